//! The OCI runtime spec (`config.json`, runtime-spec v1.0.2: config.md and
//! config-linux.md) of a container. The types are the `oci-spec` crate's
//! (`oci_spec::runtime`), which has every field of the spec; this module
//! fills them and sets every optional field it writes explicitly, so none of
//! the crate's own defaults (its youki-flavoured capabilities, mounts,
//! namespaces) ever reach a berth container. Fields berth does not set stay
//! out of the JSON, so runc applies its own defaults for them.
//!
//! [`build_spec`] makes the spec of a container from its image config and
//! `run` flags ([`SpecOptions`]), with Docker's defaults and rules (moby `oci/defaults.go`,
//! `daemon/oci_linux.go`, `container.CreateDaemonEnvironment`,
//! `runconfig.Merge`):
//!
//! - args: the image entrypoint (or `--entrypoint`, where `""` clears it)
//!   followed by the command arguments, or the image's `Cmd` only when no
//!   arguments were given and the entrypoint was not overridden; `--init`
//!   prepends `/sbin/docker-init --`.
//! - env: `PATH` (default), `HOSTNAME`, `TERM=xterm` with a tty, then the
//!   image env merged with `-e` (a user key replaces the image's; `KEY`
//!   without `=` unsets it).
//! - user: resolved in the image's own `/etc/passwd` and `/etc/group`; root
//!   gets the capability sets bounding/effective/permitted, other users only
//!   the bounding set (what execve would give them); inheritable stays empty.
//! - mounts: proc, /dev tmpfs, devpts, sysfs (ro), cgroup (ro), mqueue,
//!   /dev/shm (64 MiB by default), then user mounts sorted parents-first, where
//!   a user mount at a default destination replaces the default.
//! - linux: namespaces pid ipc uts mount net (+ cgroup on a cgroup v2 host),
//!   masked and read-only /proc and /sys paths, docker's device cgroup rules,
//!   the default seccomp profile; `--privileged` lifts all of that.
//!
//! [`build_spec`] reads the image's passwd/group files, stats host devices
//! and looks for the init binary; the rootfs must be mounted when it runs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use oci_spec::runtime::{
    Capabilities, Capability, Hooks, Linux, LinuxCapabilities, LinuxCpu, LinuxDevice,
    LinuxDeviceCgroup, LinuxMemory, LinuxNamespace, LinuxNamespaceType, LinuxPids, LinuxResources,
    LinuxSeccomp, Mount, PosixRlimit, PosixRlimitBuilder, Root, User,
};
pub use oci_spec::runtime::{Process, Spec};
use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::caps::{self, CapError};
use super::devices::{self, DeviceError, DeviceMapping};
use super::seccomp::{self, SeccompError, SeccompHost};
use super::user::{self, UserError};

/// The OCI runtime spec version berth generates.
pub const OCI_VERSION: &str = "1.0.2";

/// An `oci_spec` enum value from its name in the JSON (`CAP_KILL`,
/// `RLIMIT_NOFILE`, `SCMP_ACT_ERRNO`, ...), by the same rules as reading a
/// `config.json`.
pub(super) fn from_oci_name<T: DeserializeOwned>(name: &str) -> Result<T, String> {
    T::deserialize(name.into_deserializer()).map_err(|e: serde::de::value::Error| e.to_string())
}

/// `Some(v)` unless `v` is empty: the spec's optional lists that berth
/// leaves out when it has nothing to put in them.
pub(super) fn non_empty<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}

/// A mount with its type, source and options.
fn oci_mount(
    destination: &str,
    kind: &str,
    source: impl Into<PathBuf>,
    options: Vec<String>,
) -> Mount {
    let mut m = Mount::default();
    m.set_destination(destination.into())
        .set_typ(Some(kind.to_string()))
        .set_source(Some(source.into()))
        .set_options(non_empty(options));
    m
}

/// Capability names (`CAP_CHOWN`, ...) as the spec's set.
fn cap_set(names: &[String]) -> Result<Capabilities, CapError> {
    names
        .iter()
        .map(|n| from_oci_name::<Capability>(n).map_err(|_| CapError::Unknown(n.clone())))
        .collect()
}

// ---- building the spec ----

/// `PATH` when neither the image nor `-e` sets one (moby `DefaultPathEnv`).
pub const DEFAULT_PATH_ENV: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Docker's default `/dev/shm` size: 64 MiB.
pub const DEFAULT_SHM_SIZE: u64 = 64 << 20;
/// Where `--init` puts the init binary inside the container.
pub const INIT_PATH_IN_CONTAINER: &str = "/sbin/docker-init";
/// Host paths searched for an init binary, static builds first.
pub const INIT_CANDIDATES: [&str; 5] = [
    "/usr/bin/tini-static",
    "/usr/bin/docker-init",
    "/usr/libexec/docker/docker-init",
    "/usr/local/bin/docker-init",
    "/usr/bin/tini",
];
/// CPU CFS period docker uses with `--cpus`.
pub const CPU_PERIOD: u64 = 100_000;
/// Smallest `-m` docker accepts.
pub const MIN_MEMORY: i64 = 6 << 20;

#[derive(Debug, Error)]
pub enum SpecError {
    #[error("no command specified")]
    NoCommand,
    #[error("invalid process.{0} in the container's config.json: {1}")]
    ContainerProcess(&'static str, #[source] serde_json::Error),
    #[error("the working directory '{0}' is invalid, it needs to be an absolute path")]
    WorkingDir(String),
    #[error(transparent)]
    User(#[from] UserError),
    #[error(transparent)]
    Caps(#[from] CapError),
    #[error(transparent)]
    Seccomp(#[from] SeccompError),
    #[error(transparent)]
    Device(#[from] DeviceError),
    #[error("--init needs an init binary: none of {} exists (install the Debian package `tini`)", INIT_CANDIDATES.join(", "))]
    InitNotFound,
    #[error("init binary {0} does not exist")]
    InitMissing(PathBuf),
    #[error("invalid mount config: {0}")]
    Mount(String),
    #[error("Duplicate mount point: {0}")]
    DuplicateMount(String),
    #[error("sysctl '{0}' is not allowed")]
    Sysctl(String),
    #[error("sysctl '{0}' is not allowed in host network namespace")]
    SysctlHostNet(String),
    #[error("invalid ulimit: {0}")]
    Ulimit(String),
    #[error("ulimit soft limit must be less than or equal to hard limit: {0} > {1}")]
    UlimitOrder(i64, i64),
    #[error("Minimum memory limit allowed is 6MB")]
    MemoryTooLow,
    #[error("You should always set the Memory limit when using Memoryswap limit, see usage")]
    SwapWithoutMemory,
    #[error("Minimum memoryswap limit should be larger than memory limit, see usage")]
    SwapTooLow,
    #[error("invalid --cpus value {0:?}: {1}")]
    Cpus(String, String),
    #[error("range of CPUs is from 0.01 to {0}.00, as there are only {0} CPUs available")]
    CpusRange(u32),
    #[error(transparent)]
    Limits(#[from] super::limits::LimitError),
}

/// What the image config contributes (its `config` object).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageDefaults {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub working_dir: String,
    pub user: String,
}

/// `--security-opt seccomp=...`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SeccompMode {
    /// Docker's default profile.
    #[default]
    Default,
    /// `seccomp=unconfined`: no filter.
    Unconfined,
    /// A Docker-format profile, as JSON text (see `seccomp::read_profile`).
    Profile(String),
}

/// The network namespace of the container.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum NetNs {
    /// A new namespace (with only `lo` until something joins it to a network:
    /// `--network none`).
    #[default]
    Private,
    /// `--network host`: the host's namespace.
    Host,
    /// Join the namespace bind-mounted at this path (prepared by CNI setup).
    #[allow(dead_code)] // constructed once CNI networking lands; spec tests cover it
    Join(PathBuf),
}

/// The PID namespace of the container (`--pid`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum PidNs {
    #[default]
    Private,
    /// The host's: no PID namespace in the spec.
    Host,
    /// Another container's (`/proc/<its pid>/ns/pid`).
    Join(PathBuf),
}

/// The IPC namespace of the container and where its `/dev/shm` comes
/// from (`--ipc`, moby's `setupIPCDirs` and `WithNamespaces`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum IpcNs {
    /// A new namespace and its own `/dev/shm` tmpfs (`private`).
    #[default]
    Private,
    /// A new namespace whose `/dev/shm` is this host tmpfs (`shareable`).
    Shared(PathBuf),
    /// A new namespace without `/dev/shm` (`none`).
    NoShm,
    /// The host's namespace and the host's `/dev/shm`, bind-mounted.
    Host,
    /// Another container's namespace and `/dev/shm` (bind-mounted from
    /// `shm`: the donor's, seen through its root).
    Join { ns: PathBuf, shm: PathBuf },
}

/// A user mount: `-v`/`--mount type=bind|volume` (volumes resolved to their
/// host directory) or `--tmpfs`/`--mount type=tmpfs`.
#[derive(Debug, Clone, PartialEq)]
pub enum UserMount {
    Bind {
        source: PathBuf,
        destination: String,
        readonly: bool,
        /// One of private, rprivate (default), shared, rshared, slave, rslave.
        propagation: Option<String>,
        /// `rbind` (default) or plain `bind` (`bind-recursive=disabled`).
        recursive: bool,
    },
    Tmpfs {
        destination: String,
        /// tmpfs options (`size=64m`, `mode=1777`, `exec`, ...), merged over
        /// docker's `noexec,nosuid,nodev`.
        options: Vec<String>,
    },
}

impl UserMount {
    /// A read-write recursive bind with the default propagation.
    pub fn bind(source: impl Into<PathBuf>, destination: &str, readonly: bool) -> UserMount {
        UserMount::Bind {
            source: source.into(),
            destination: destination.to_string(),
            readonly,
            propagation: None,
            recursive: true,
        }
    }

    /// Parse a `--tmpfs` argument: `/path[:opt,opt...]`.
    pub fn parse_tmpfs(s: &str) -> Result<UserMount, SpecError> {
        let (dest, opts) = s.split_once(':').unwrap_or((s, ""));
        let options = opts
            .split(',')
            .filter(|o| !o.is_empty())
            .map(String::from)
            .collect();
        Ok(UserMount::Tmpfs {
            destination: dest.to_string(),
            options,
        })
    }

    pub fn destination(&self) -> &str {
        match self {
            UserMount::Bind { destination, .. } | UserMount::Tmpfs { destination, .. } => {
                destination
            }
        }
    }
}

/// One `--ulimit name=soft[:hard]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ulimit {
    /// Short name as docker spells it: `nofile`, `nproc`, `core`, ...
    pub name: String,
    /// -1 means unlimited.
    pub soft: i64,
    pub hard: i64,
}

const ULIMIT_NAMES: [&str; 16] = [
    "as",
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack",
];

impl Ulimit {
    pub fn parse(s: &str) -> Result<Ulimit, SpecError> {
        let bad = || SpecError::Ulimit(s.to_string());
        let (name, vals) = s.split_once('=').ok_or_else(bad)?;
        if !ULIMIT_NAMES.contains(&name) {
            return Err(SpecError::Ulimit(format!("invalid ulimit type: {name}")));
        }
        let (soft, hard) = vals.split_once(':').unwrap_or((vals, vals));
        let soft: i64 = soft.parse().map_err(|_| bad())?;
        let hard: i64 = hard.parse().map_err(|_| bad())?;
        if soft < -1 || hard < -1 {
            return Err(bad());
        }
        if hard != -1 && (soft == -1 || soft > hard) {
            return Err(SpecError::UlimitOrder(soft, hard));
        }
        Ok(Ulimit {
            name: name.to_string(),
            soft,
            hard,
        })
    }

    fn rlimit(&self) -> Result<PosixRlimit, SpecError> {
        let v = |n: i64| if n < 0 { u64::MAX } else { n as u64 };
        let name = format!("RLIMIT_{}", self.name.to_ascii_uppercase());
        PosixRlimitBuilder::default()
            .typ(
                from_oci_name::<oci_spec::runtime::PosixRlimitType>(&name)
                    .map_err(SpecError::Ulimit)?,
            )
            .soft(v(self.soft))
            .hard(v(self.hard))
            .build()
            .map_err(|e| SpecError::Ulimit(e.to_string()))
    }
}

/// Parse `--cpus` (a decimal such as `1.5`) to nano-CPUs, like docker.
/// moby's range of `--cpus` on this host: 0.01 up to its CPU count (0:
/// no limit). `create` checks it, so no container is made with a value
/// the runtime would refuse at start.
pub fn check_cpus_range(nano_cpus: i64, ncpu: u32) -> Result<(), SpecError> {
    if nano_cpus > i64::from(ncpu) * 1_000_000_000 || (nano_cpus > 0 && nano_cpus < 10_000_000) {
        return Err(SpecError::CpusRange(ncpu));
    }
    Ok(())
}

/// The CPUs this process may run on, as moby's `sysinfo.NumCPU`.
pub fn host_ncpu() -> u32 {
    std::thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(1)
}

pub fn parse_cpus(s: &str) -> Result<i64, SpecError> {
    let err = |m: &str| SpecError::Cpus(s.to_string(), m.to_string());
    let (int, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(err("not a number"));
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 9 {
        return Err(err("value is too precise"));
    }
    let int: i64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| err("too large"))?
    };
    let frac_n: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().unwrap_or(0)
    };
    int.checked_mul(1_000_000_000)
        .and_then(|n| n.checked_add(frac_n))
        .ok_or_else(|| err("too large"))
}

/// Files berth writes per container and binds over the image's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EtcFiles {
    pub hosts: Option<PathBuf>,
    pub hostname: Option<PathBuf>,
    pub resolv_conf: Option<PathBuf>,
}

/// Facts about the host that the spec depends on; [`HostInfo::detect`]
/// reads them, tests fake them.
#[derive(Debug, Clone, PartialEq)]
pub struct HostInfo {
    pub cap_last_cap: u32,
    /// berth's own capability bounding set (`CapBnd`).
    pub cap_bounding: u64,
    /// The unified cgroup v2 hierarchy is mounted at /sys/fs/cgroup.
    pub cgroup_v2: bool,
    /// cgroup v1 memory controller with swap accounting (memory.memsw.*).
    pub swap_accounting: bool,
    pub ncpu: u32,
    pub seccomp: SeccompHost,
}

impl HostInfo {
    pub fn detect() -> HostInfo {
        // One read for the bounding set and the seccomp mode.
        let own_status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let cgroup_v2 = Path::new("/sys/fs/cgroup/cgroup.controllers").exists();
        let swap_accounting = if cgroup_v2 {
            true
        } else {
            Path::new("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes").exists()
        };
        HostInfo {
            cap_last_cap: caps::read_cap_last_cap(),
            cap_bounding: caps::bounding_set_in(&own_status).unwrap_or(u64::MAX),
            cgroup_v2,
            swap_accounting,
            ncpu: host_ncpu(),
            seccomp: SeccompHost::detect(&own_status),
        }
    }
}

/// Everything of `run`/`create` that shapes the spec, already validated by
/// the command layer where the parsing belongs to it (volumes, env files).
#[derive(Debug, Clone)]
pub struct SpecOptions {
    /// Container id (64 hex); names the cgroup `/berth/<id>`.
    pub id: String,
    /// The mounted root filesystem (absolute path).
    pub rootfs: PathBuf,
    pub image: ImageDefaults,
    /// `--entrypoint`: `None` keeps the image's, `Some(vec![])` clears it.
    pub entrypoint: Option<Vec<String>>,
    /// Arguments after the image name.
    pub args: Vec<String>,
    /// `-e`/`--env-file` entries, in order: `KEY=VALUE`, or `KEY` to unset.
    pub env: Vec<String>,
    /// `-w`.
    pub working_dir: Option<String>,
    /// `-u`; `None` uses the image's `User`.
    pub user: Option<String>,
    pub hostname: String,
    /// `--domainname` (the UTS namespace's NIS domain name).
    pub domainname: Option<String>,
    pub tty: bool,
    pub read_only: bool,
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub seccomp: SeccompMode,
    pub no_new_privileges: bool,
    pub apparmor_profile: Option<String>,
    pub oom_score_adj: Option<i32>,
    pub mounts: Vec<UserMount>,
    /// `--shm-size` in bytes; `None` is 64 MiB.
    pub shm_size: Option<u64>,
    pub ulimits: Vec<Ulimit>,
    pub sysctls: BTreeMap<String, String>,
    pub devices: Vec<DeviceMapping>,
    /// `-m` in bytes.
    pub memory: Option<i64>,
    /// `--memory-swap` in bytes (memory + swap; -1 unlimited).
    pub memory_swap: Option<i64>,
    /// `--cpus` as nano-CPUs (see [`parse_cpus`]).
    pub nano_cpus: Option<i64>,
    pub cpu_shares: Option<u64>,
    /// `--pids-limit`; 0 or negative means unlimited.
    pub pids_limit: Option<i64>,
    /// The other resource flags (`--cpuset-cpus`, `--blkio-weight`, ...).
    pub limits: super::limits::Limits,
    pub network: NetNs,
    pub pid: PidNs,
    pub ipc: IpcNs,
    /// `--init`.
    pub init: bool,
    /// Init binary to use instead of searching [`INIT_CANDIDATES`].
    pub init_binary: Option<PathBuf>,
    pub etc_files: EtcFiles,
    pub annotations: BTreeMap<String, String>,
    pub hooks: Option<Hooks>,
    pub host: HostInfo,
}

impl SpecOptions {
    /// Options with docker's defaults for everything, for the host this runs on.
    pub fn new(id: &str, rootfs: impl Into<PathBuf>) -> SpecOptions {
        SpecOptions::with_host(id, rootfs, HostInfo::detect())
    }

    pub fn with_host(id: &str, rootfs: impl Into<PathBuf>, host: HostInfo) -> SpecOptions {
        SpecOptions {
            id: id.to_string(),
            rootfs: rootfs.into(),
            image: ImageDefaults::default(),
            entrypoint: None,
            args: Vec::new(),
            env: Vec::new(),
            working_dir: None,
            user: None,
            hostname: id.chars().take(12).collect(),
            domainname: None,
            tty: false,
            read_only: false,
            privileged: false,
            cap_add: Vec::new(),
            cap_drop: Vec::new(),
            seccomp: SeccompMode::Default,
            no_new_privileges: false,
            apparmor_profile: None,
            oom_score_adj: None,
            mounts: Vec::new(),
            shm_size: None,
            ulimits: Vec::new(),
            sysctls: BTreeMap::new(),
            devices: Vec::new(),
            memory: None,
            memory_swap: None,
            nano_cpus: None,
            cpu_shares: None,
            pids_limit: None,
            limits: Default::default(),
            network: NetNs::Private,
            pid: PidNs::Private,
            ipc: IpcNs::Private,
            init: false,
            init_binary: None,
            etc_files: EtcFiles::default(),
            annotations: BTreeMap::new(),
            hooks: None,
            host,
        }
    }
}

/// The container's command line by docker's entrypoint/cmd rules (before
/// `--init`).
pub fn resolve_args(
    image: &ImageDefaults,
    entrypoint: Option<&[String]>,
    args: &[String],
) -> Vec<String> {
    let ep: Vec<String> = match entrypoint {
        Some(e) => e.iter().filter(|s| !s.is_empty()).cloned().collect(),
        None => image.entrypoint.clone(),
    };
    let cmd: &[String] = if !args.is_empty() {
        args
    } else if entrypoint.is_none() {
        &image.cmd
    } else {
        &[]
    };
    ep.into_iter().chain(cmd.iter().cloned()).collect()
}

fn env_key(e: &str) -> &str {
    e.split_once('=').map(|(k, _)| k).unwrap_or(e)
}

/// moby `ReplaceOrAppendEnvValues`: each override replaces the entry with the
/// same key in place or is appended; entries without `=` are then removed.
pub fn replace_or_append_env(mut base: Vec<String>, overrides: &[String]) -> Vec<String> {
    for o in overrides {
        match base.iter().position(|b| env_key(b) == env_key(o)) {
            Some(i) => base[i] = o.clone(),
            None => base.push(o.clone()),
        }
    }
    base.retain(|e| e.contains('='));
    base
}

/// The container's environment (see the module docs).
pub fn resolve_env(
    image_env: &[String],
    user_env: &[String],
    hostname: &str,
    tty: bool,
) -> Vec<String> {
    // runconfig.Merge: the user's entries, then the image's whose key the
    // user did not set.
    let mut config_env = user_env.to_vec();
    for ie in image_env {
        if !user_env.iter().any(|u| env_key(u) == env_key(ie)) {
            config_env.push(ie.clone());
        }
    }
    let mut base = vec![
        format!("PATH={DEFAULT_PATH_ENV}"),
        format!("HOSTNAME={hostname}"),
    ];
    if tty {
        base.push("TERM=xterm".into());
    }
    replace_or_append_env(base, &config_env)
}

/// Find the `--init` binary on the host.
pub fn find_init_binary(explicit: Option<&Path>) -> Result<PathBuf, SpecError> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(SpecError::InitMissing(p.to_path_buf()))
        };
    }
    INIT_CANDIDATES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or(SpecError::InitNotFound)
}

const PROPAGATIONS: [&str; 6] = [
    "private", "rprivate", "shared", "rshared", "slave", "rslave",
];

/// moby `MergeTmpfsOptions`: later options win over earlier ones that set the
/// same flag or key.
pub fn merge_tmpfs_options(opts: &[String]) -> Vec<String> {
    const PAIRS: [(&str, &str); 8] = [
        ("ro", "rw"),
        ("exec", "noexec"),
        ("suid", "nosuid"),
        ("dev", "nodev"),
        ("atime", "noatime"),
        ("diratime", "nodiratime"),
        ("relatime", "norelatime"),
        ("strictatime", "nostrictatime"),
    ];
    let group = |o: &str| -> String {
        if let Some((k, _)) = o.split_once('=') {
            return format!("{k}=");
        }
        if PROPAGATIONS.contains(&o) {
            return "propagation".into();
        }
        for (a, b) in PAIRS {
            if o == a || o == b {
                return a.to_string();
            }
        }
        o.to_string()
    };
    let mut out: Vec<String> = Vec::new();
    for o in opts {
        let g = group(o);
        out.retain(|x| group(x) != g);
        out.push(o.clone());
    }
    out
}

fn default_mounts(shm_size: u64, privileged: bool) -> Vec<Mount> {
    let ro = if privileged { "rw" } else { "ro" };
    vec![
        oci_mount(
            "/proc",
            "proc",
            "proc",
            strings(&["nosuid", "noexec", "nodev"]),
        ),
        oci_mount(
            "/dev",
            "tmpfs",
            "tmpfs",
            strings(&["nosuid", "strictatime", "mode=755", "size=65536k"]),
        ),
        oci_mount(
            "/dev/pts",
            "devpts",
            "devpts",
            strings(&[
                "nosuid",
                "noexec",
                "newinstance",
                "ptmxmode=0666",
                "mode=0620",
                "gid=5",
            ]),
        ),
        oci_mount(
            "/sys",
            "sysfs",
            "sysfs",
            strings(&["nosuid", "noexec", "nodev", ro]),
        ),
        oci_mount(
            "/sys/fs/cgroup",
            "cgroup",
            "cgroup",
            strings(&["nosuid", "noexec", "nodev", "relatime", ro]),
        ),
        oci_mount(
            "/dev/mqueue",
            "mqueue",
            "mqueue",
            strings(&["nosuid", "noexec", "nodev"]),
        ),
        oci_mount(
            "/dev/shm",
            "tmpfs",
            "shm",
            strings(&[
                "nosuid",
                "noexec",
                "nodev",
                "mode=1777",
                &format!("size={shm_size}"),
            ]),
        ),
    ]
}

const MASKED_PATHS: [&str; 11] = [
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];

const READONLY_PATHS: [&str; 5] = [
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

/// Sysctls that are namespaced and that docker lets containers set.
fn check_sysctl(key: &str, net: &NetNs) -> Result<(), SpecError> {
    const IPC: [&str; 8] = [
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ];
    if key.starts_with("net.") {
        if *net == NetNs::Host {
            return Err(SpecError::SysctlHostNet(key.to_string()));
        }
        return Ok(());
    }
    if IPC.contains(&key) || key.starts_with("fs.mqueue.") || key == "kernel.domainname" {
        return Ok(());
    }
    Err(SpecError::Sysctl(key.to_string()))
}

fn user_mount_to_oci(m: &UserMount) -> Result<Mount, SpecError> {
    let dest = m.destination();
    if !dest.starts_with('/') {
        return Err(SpecError::Mount(format!(
            "mount path must be absolute: {dest}"
        )));
    }
    if Path::new(dest).components().count() == 1 {
        return Err(SpecError::Mount("destination can't be '/'".into()));
    }
    Ok(match m {
        UserMount::Bind {
            source,
            destination,
            readonly,
            propagation,
            recursive,
        } => {
            if !source.is_absolute() {
                return Err(SpecError::Mount(format!(
                    "invalid mount source {}: must be an absolute path",
                    source.display()
                )));
            }
            let prop = propagation.as_deref().unwrap_or("rprivate");
            if !PROPAGATIONS.contains(&prop) {
                return Err(SpecError::Mount(format!(
                    "invalid propagation mode: {prop}"
                )));
            }
            let mut options = vec![if *recursive { "rbind" } else { "bind" }.to_string()];
            if *readonly {
                options.push("ro".into());
            }
            options.push(prop.to_string());
            oci_mount(
                destination,
                "bind",
                source.to_string_lossy().into_owned(),
                options,
            )
        }
        UserMount::Tmpfs {
            destination,
            options,
        } => {
            let mut all: Vec<String> = ["noexec", "nosuid", "nodev", "rprivate"]
                .map(String::from)
                .to_vec();
            all.extend(options.iter().cloned());
            oci_mount(destination, "tmpfs", "tmpfs", merge_tmpfs_options(&all))
        }
    })
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The cgroup (cgroupfs driver) a container's processes live in.
pub fn cgroups_path(id: &str) -> String {
    format!("/berth/{id}")
}

/// Build the OCI runtime spec of a container: each part of it by its own
/// step below, in the order docker's `createSpec` applies them.
pub fn build_spec(opts: &SpecOptions) -> Result<Spec, SpecError> {
    let (args, init_mount) = command_line(opts)?;
    let cwd = working_dir(opts)?;
    let user_spec = opts.user.as_deref().unwrap_or(&opts.image.user);
    let exec_user = user::resolve_user(&opts.rootfs, user_spec)?;
    let caplist = caps::container_caps(
        &opts.cap_add,
        &opts.cap_drop,
        opts.privileged,
        caps::CapSet {
            last: opts.host.cap_last_cap,
            bounding: opts.host.cap_bounding,
        },
    )?;
    let mounts = mounts(opts, init_mount)?;
    for k in opts.sysctls.keys() {
        check_sysctl(k, &opts.network)?;
    }
    let (devices, device_rules) = devices(opts)?;
    let resources = resources(opts, device_rules)?;
    let seccomp = seccomp_filter(opts, &caplist)?;
    let process = process(opts, args, cwd, &exec_user, cap_set(&caplist)?)?;
    let mut root = Root::default();
    root.set_path(opts.rootfs.to_string_lossy().into_owned().into())
        .set_readonly(Some(opts.read_only));
    let mut spec = Spec::default();
    spec.set_version(OCI_VERSION.to_string())
        .set_process(Some(process))
        .set_root(Some(root))
        .set_hostname((!opts.hostname.is_empty()).then(|| opts.hostname.clone()))
        .set_domainname(opts.domainname.clone().filter(|d| !d.is_empty()))
        .set_mounts(Some(mounts))
        .set_hooks(opts.hooks.clone())
        .set_annotations(map(&opts.annotations))
        .set_linux(Some(linux(opts, devices, resources, seccomp)));
    Ok(spec)
}

/// The container's process: its command line, user and capabilities, the
/// environment by docker's rules, rlimits and the security options.
fn process(
    opts: &SpecOptions,
    args: Vec<String>,
    cwd: String,
    exec_user: &user::ExecUser,
    caps: Capabilities,
) -> Result<Process, SpecError> {
    let mut user = User::default();
    user.set_uid(exec_user.uid)
        .set_gid(exec_user.gid)
        .set_umask(None)
        .set_additional_gids(non_empty(exec_user.additional_gids.clone()))
        .set_username(None);
    let mut process = Process::default();
    process
        .set_terminal(Some(opts.tty))
        .set_console_size(None)
        .set_user(user)
        .set_args(Some(args))
        .set_env(Some(resolve_env(
            &opts.image.env,
            &opts.env,
            &opts.hostname,
            opts.tty,
        )))
        .set_cwd(cwd.into())
        .set_capabilities(Some(capabilities(exec_user.uid, caps)))
        .set_rlimits(non_empty(rlimits(&opts.ulimits)?))
        .set_no_new_privileges(Some(opts.no_new_privileges))
        .set_apparmor_profile(if opts.privileged {
            None
        } else {
            opts.apparmor_profile.clone()
        })
        .set_oom_score_adj(opts.oom_score_adj);
    Ok(process)
}

/// The `linux` object: namespaces, cgroup and its limits, sysctls, seccomp,
/// devices, and docker's masked and read-only paths (none when privileged).
fn linux(
    opts: &SpecOptions,
    devices: Vec<LinuxDevice>,
    resources: LinuxResources,
    seccomp: Option<LinuxSeccomp>,
) -> Linux {
    let (masked_paths, readonly_paths) = if opts.privileged {
        (None, None)
    } else {
        (Some(strings(&MASKED_PATHS)), Some(strings(&READONLY_PATHS)))
    };
    let mut linux = Linux::default();
    linux
        .set_namespaces(Some(namespaces(opts)))
        .set_uid_mappings(None)
        .set_gid_mappings(None)
        .set_resources(Some(resources))
        .set_cgroups_path(Some(cgroups_path(&opts.id).into()))
        .set_sysctl(map(&sysctls(opts)))
        .set_seccomp(seccomp)
        .set_masked_paths(masked_paths)
        .set_readonly_paths(readonly_paths)
        .set_devices(non_empty(devices))
        .set_mount_label(None);
    linux
}

/// A string map of the spec, left out when empty.
/// `--sysctl`, plus `kernel.domainname` for `--domainname` as Docker does
/// (runtimes that ignore the spec's `domainname`, runc 1.1 among them, still
/// set it through the sysctl); an explicit `--sysctl kernel.domainname`
/// wins.
fn sysctls(opts: &SpecOptions) -> BTreeMap<String, String> {
    let mut all = opts.sysctls.clone();
    if let Some(d) = opts.domainname.as_ref().filter(|d| !d.is_empty()) {
        all.entry("kernel.domainname".into()).or_insert(d.clone());
    }
    all
}

fn map(m: &BTreeMap<String, String>) -> Option<HashMap<String, String>> {
    (!m.is_empty()).then(|| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// The process's command line, with `/sbin/docker-init --` in front for
/// `--init`, and then the bind mount of the host's init binary.
fn command_line(opts: &SpecOptions) -> Result<(Vec<String>, Option<Mount>), SpecError> {
    let mut args = resolve_args(&opts.image, opts.entrypoint.as_deref(), &opts.args);
    if args.is_empty() {
        return Err(SpecError::NoCommand);
    }
    if !opts.init {
        return Ok((args, None));
    }
    let bin = find_init_binary(opts.init_binary.as_deref())?;
    args.splice(0..0, [INIT_PATH_IN_CONTAINER.to_string(), "--".to_string()]);
    let mount = oci_mount(
        INIT_PATH_IN_CONTAINER,
        "bind",
        bin.to_string_lossy().into_owned(),
        strings(&["bind", "ro"]),
    );
    Ok((args, Some(mount)))
}

/// `-w`, else the image's `WorkingDir` (made absolute), else `/`.
fn working_dir(opts: &SpecOptions) -> Result<String, SpecError> {
    Ok(match &opts.working_dir {
        Some(w) if !w.starts_with('/') => return Err(SpecError::WorkingDir(w.clone())),
        Some(w) => w.clone(),
        None if opts.image.working_dir.is_empty() => "/".to_string(),
        None if !opts.image.working_dir.starts_with('/') => format!("/{}", opts.image.working_dir),
        None => opts.image.working_dir.clone(),
    })
}

/// The capability sets of a process: root gets `set` as its bounding,
/// effective and permitted sets; any other user only the bounding set, which
/// is what execve leaves it.
fn capabilities(uid: u32, set: Capabilities) -> LinuxCapabilities {
    let root = (uid == 0).then(|| set.clone());
    let mut c = LinuxCapabilities::default();
    c.set_effective(root.clone())
        .set_permitted(root)
        .set_bounding(Some(set))
        .set_inheritable(None)
        .set_ambient(None);
    c
}

/// `--ulimit`s as rlimits: a later flag for the same resource wins.
fn rlimits(ulimits: &[Ulimit]) -> Result<Vec<PosixRlimit>, SpecError> {
    let mut rlimits: Vec<PosixRlimit> = Vec::new();
    for u in ulimits {
        let r = u.rlimit()?;
        rlimits.retain(|x| x.typ() != r.typ());
        rlimits.push(r);
    }
    Ok(rlimits)
}

/// Docker's default mounts, then the user's, the per-container `/etc` files
/// and the init binary sorted parents-first; a user mount at a default
/// destination replaces the default.
fn mounts(opts: &SpecOptions, init_mount: Option<Mount>) -> Result<Vec<Mount>, SpecError> {
    let shm = opts.shm_size.filter(|s| *s > 0).unwrap_or(DEFAULT_SHM_SIZE);
    let mut user_mounts = Vec::new();
    for m in &opts.mounts {
        let om = user_mount_to_oci(m)?;
        if user_mounts.iter().any(|x: &Mount| same_destination(x, &om)) {
            return Err(SpecError::DuplicateMount(m.destination().to_string()));
        }
        user_mounts.push(om);
    }
    let etc_opts: Vec<String> = if opts.read_only {
        strings(&["rbind", "ro", "rprivate"])
    } else {
        strings(&["rbind", "rprivate"])
    };
    for (dest, src) in [
        ("/etc/resolv.conf", &opts.etc_files.resolv_conf),
        ("/etc/hostname", &opts.etc_files.hostname),
        ("/etc/hosts", &opts.etc_files.hosts),
    ] {
        if let Some(src) = src {
            if !user_mounts
                .iter()
                .any(|m| m.destination().as_os_str() == dest)
            {
                user_mounts.push(oci_mount(
                    dest,
                    "bind",
                    src.to_string_lossy().into_owned(),
                    etc_opts.clone(),
                ));
            }
        }
    }
    // A shared `/dev/shm` is a bind of the host's or the donor's, unless
    // the user mounts one (moby's `IpcMounts`); `none` has none.
    let shared_shm = match &opts.ipc {
        IpcNs::Host => Some(PathBuf::from("/dev/shm")),
        IpcNs::Shared(shm) | IpcNs::Join { shm, .. } => Some(shm.clone()),
        IpcNs::Private | IpcNs::NoShm => None,
    };
    if let Some(src) = shared_shm {
        if !user_mounts
            .iter()
            .any(|m| m.destination().as_os_str() == "/dev/shm")
        {
            user_mounts.push(oci_mount(
                "/dev/shm",
                "bind",
                src.to_string_lossy().into_owned(),
                strings(&["rbind", "rprivate"]),
            ));
        }
    }
    user_mounts.extend(init_mount);
    user_mounts.sort_by_key(|m| m.destination().components().count());
    let no_shm = opts.ipc == IpcNs::NoShm;
    let mut mounts: Vec<Mount> = default_mounts(shm, opts.privileged)
        .into_iter()
        .filter(|d| !user_mounts.iter().any(|u| same_destination(u, d)))
        .filter(|d| !(no_shm && d.destination().as_os_str() == "/dev/shm"))
        .collect();
    mounts.extend(user_mounts);
    Ok(mounts)
}

/// Two mounts at the same destination, compared as the strings the user
/// gave (`/x` and `/x/` are different places to docker's checks).
fn same_destination(a: &Mount, b: &Mount) -> bool {
    a.destination().as_os_str() == b.destination().as_os_str()
}

/// New uts and mount namespaces; pid and ipc by `--pid`/`--ipc` (new
/// ones unless shared); the network one by `--network`;
/// a cgroup namespace on a cgroup v2 host (docker's default there).
fn namespaces(opts: &SpecOptions) -> Vec<LinuxNamespace> {
    let ns = |typ: LinuxNamespaceType, path: Option<&PathBuf>| {
        let mut n = LinuxNamespace::default();
        n.set_typ(typ).set_path(path.cloned());
        n
    };
    let mut namespaces = Vec::new();
    match &opts.pid {
        PidNs::Private => namespaces.push(ns(LinuxNamespaceType::Pid, None)),
        PidNs::Host => {}
        PidNs::Join(p) => namespaces.push(ns(LinuxNamespaceType::Pid, Some(p))),
    }
    match &opts.ipc {
        IpcNs::Private | IpcNs::Shared(_) | IpcNs::NoShm => {
            namespaces.push(ns(LinuxNamespaceType::Ipc, None))
        }
        IpcNs::Host => {}
        IpcNs::Join { ns: p, .. } => namespaces.push(ns(LinuxNamespaceType::Ipc, Some(p))),
    }
    namespaces.push(ns(LinuxNamespaceType::Uts, None));
    namespaces.push(ns(LinuxNamespaceType::Mount, None));
    match &opts.network {
        NetNs::Private => namespaces.push(ns(LinuxNamespaceType::Network, None)),
        NetNs::Host => {}
        NetNs::Join(p) => namespaces.push(ns(LinuxNamespaceType::Network, Some(p))),
    }
    if opts.host.cgroup_v2 {
        namespaces.push(ns(LinuxNamespaceType::Cgroup, None));
    }
    namespaces
}

/// The device nodes and device cgroup rules: every host device and
/// everything allowed for `--privileged`, else docker's default rules plus
/// the `--device` mappings.
fn devices(opts: &SpecOptions) -> Result<(Vec<LinuxDevice>, Vec<LinuxDeviceCgroup>), SpecError> {
    if opts.privileged {
        return Ok((devices::host_devices(), vec![devices::allow_all_rule()]));
    }
    let mut devs = Vec::new();
    let mut rules = devices::default_rules();
    for d in &opts.devices {
        let (dv, r) = d.resolve()?;
        devs.extend(dv);
        rules.extend(r);
    }
    Ok((devs, rules))
}

/// The cgroup limits: device rules, memory (`-m`, `--memory-swap`), CPU
/// (`--cpus`, `--cpu-shares`) and pids, validated like docker's daemon.
fn resources(
    opts: &SpecOptions,
    device_rules: Vec<LinuxDeviceCgroup>,
) -> Result<LinuxResources, SpecError> {
    let pids = opts.pids_limit.filter(|p| *p > 0).map(|limit| {
        let mut p = LinuxPids::default();
        p.set_limit(limit);
        p
    });
    let mut r = LinuxResources::default();
    r.set_devices(non_empty(device_rules))
        .set_memory(memory(opts)?)
        .set_cpu(cpu(opts)?)
        .set_pids(pids);
    super::limits::apply(&opts.limits, &mut r)?;
    Ok(r)
}

/// The cgroup limits alone (no device rules), as `update` hands them to
/// the runtime and writes them into a bundle.
pub fn cgroup_resources(opts: &SpecOptions) -> Result<LinuxResources, SpecError> {
    resources(opts, Vec::new())
}

/// Docker's checks of `-m` and `--memory-swap` (also run at create, so a
/// bad value creates nothing).
pub fn check_memory(memory: Option<i64>, swap: Option<i64>) -> Result<(), SpecError> {
    if let Some(m) = memory {
        if m > 0 && m < MIN_MEMORY {
            return Err(SpecError::MemoryTooLow);
        }
    }
    match (memory.filter(|m| *m > 0), swap) {
        (None, Some(s)) if s > 0 => Err(SpecError::SwapWithoutMemory),
        (Some(m), Some(s)) if s > 0 && s < m => Err(SpecError::SwapTooLow),
        _ => Ok(()),
    }
}

/// `-m` and `--memory-swap`: swap defaults to twice the memory where the
/// host accounts swap.
fn memory(opts: &SpecOptions) -> Result<Option<LinuxMemory>, SpecError> {
    check_memory(opts.memory, opts.memory_swap)?;
    let memory_limit = opts.memory.filter(|m| *m > 0);
    let swap = match (memory_limit, opts.memory_swap) {
        (Some(_), Some(s)) if s != 0 && opts.host.swap_accounting => Some(s),
        (Some(m), None) if opts.host.swap_accounting => Some(m * 2),
        _ => None,
    };
    Ok(memory_limit.map(|limit| {
        let mut m = LinuxMemory::default();
        m.set_limit(Some(limit)).set_swap(swap);
        m
    }))
}

/// `--cpus` as a CFS quota over docker's 100 ms period, and `--cpu-shares`.
fn cpu(opts: &SpecOptions) -> Result<Option<LinuxCpu>, SpecError> {
    let quota = match opts.nano_cpus {
        Some(n) if n < 0 => return Err(SpecError::Cpus(n.to_string(), "must be positive".into())),
        Some(n) if check_cpus_range(n, opts.host.ncpu).is_err() => {
            return Err(SpecError::CpusRange(opts.host.ncpu))
        }
        Some(n) if n > 0 => Some(n * CPU_PERIOD as i64 / 1_000_000_000),
        _ => None,
    };
    if quota.is_none() && opts.cpu_shares.is_none() {
        return Ok(None);
    }
    let mut cpu = LinuxCpu::default();
    cpu.set_shares(opts.cpu_shares)
        .set_quota(quota)
        .set_period(quota.map(|_| CPU_PERIOD));
    Ok(Some(cpu))
}

/// The seccomp filter: none for `--privileged` or `seccomp=unconfined`,
/// else docker's default profile or the given one, for the container's caps.
fn seccomp_filter(
    opts: &SpecOptions,
    caplist: &[String],
) -> Result<Option<LinuxSeccomp>, SpecError> {
    if opts.privileged {
        return Ok(None);
    }
    Ok(match &opts.seccomp {
        SeccompMode::Default => Some(seccomp::default_profile(caplist, &opts.host.seccomp)),
        SeccompMode::Unconfined => None,
        SeccompMode::Profile(json) => Some(seccomp::convert(json, caplist, &opts.host.seccomp)?),
    })
}

/// `exec` flags that shape the process of an exec (moby
/// `daemon/exec_linux.go`): the container's process is the base.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecOptions {
    pub args: Vec<String>,
    /// `-e`: replaces or adds to the container's env (`KEY` unsets).
    pub env: Vec<String>,
    /// `-w`; `None` keeps the container's cwd.
    pub working_dir: Option<String>,
    /// `-u`, resolved in the container's root; `None` keeps its user.
    pub user: Option<String>,
    pub tty: bool,
    /// `--privileged`: every capability for this process.
    pub privileged: bool,
}

/// What an exec starts from: its container's `config.json` as far as an
/// exec needs it, the process (kept as JSON, so every field of it carries
/// over to the exec) and the root. It is read this way rather than as
/// oci-spec's whole [`Spec`] because the crate checks
/// `process.execCPUAffinity` with a regex while deserializing a [`Process`]:
/// linking that adds 1.6 MB and some 10,000 start-up relocations to every
/// berth process, the CLI's and the shim's.
#[derive(Debug, Clone, Deserialize)]
pub struct ContainerSpec {
    process: serde_json::Map<String, serde_json::Value>,
    root: Root,
}

impl ContainerSpec {
    /// The container's root filesystem: `root.path` resolved against its
    /// bundle directory (berth writes an absolute path there).
    pub fn rootfs(&self, bundle: &Path) -> PathBuf {
        bundle.join(self.root.path())
    }

    /// One field of the container's process, read with oci-spec's type for
    /// it; an absent field reads as JSON `null`.
    fn field<T: DeserializeOwned>(&self, name: &'static str) -> Result<T, SpecError> {
        let v = self
            .process
            .get(name)
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        serde_json::from_value(v).map_err(|e| SpecError::ContainerProcess(name, e))
    }
}

/// The `process.json` of an exec in a container (moby
/// `daemon/exec_linux.go`): the container's process with the exec's
/// command, tty, env, cwd, user and capabilities. `rootfs` is the
/// container's root, where `-u` names are looked up.
pub fn exec_process(
    container: &ContainerSpec,
    rootfs: &Path,
    opts: &ExecOptions,
    available: impl Into<caps::CapSet>,
) -> Result<serde_json::Value, SpecError> {
    if opts.args.is_empty() {
        return Err(SpecError::NoCommand);
    }
    let mut env: Vec<String> = container
        .field::<Option<Vec<String>>>("env")?
        .unwrap_or_default();
    if opts.tty && !env.iter().any(|e| env_key(e) == "TERM") {
        env.push("TERM=xterm".into());
    }
    let mut user: User = container.field("user")?;
    if let Some(u) = &opts.user {
        let eu = user::resolve_user(rootfs, u)?;
        let umask = user.umask();
        user = User::default();
        user.set_uid(eu.uid)
            .set_gid(eu.gid)
            .set_umask(umask)
            .set_additional_gids(non_empty(eu.additional_gids));
    }
    let set = if opts.privileged {
        cap_set(&caps::all_caps(available))?
    } else {
        container
            .field::<Option<LinuxCapabilities>>("capabilities")?
            .and_then(|c| c.bounding().clone())
            .unwrap_or_default()
    };
    let mut p = container.process.clone();
    p.insert("args".into(), to_json("args", &opts.args)?);
    p.insert("terminal".into(), to_json("terminal", &opts.tty)?);
    p.insert(
        "env".into(),
        to_json("env", &replace_or_append_env(env, &opts.env))?,
    );
    if let Some(w) = &opts.working_dir {
        if !w.starts_with('/') {
            return Err(SpecError::WorkingDir(w.clone()));
        }
        p.insert("cwd".into(), to_json("cwd", w)?);
    }
    let caps = capabilities(user.uid(), set);
    p.insert("user".into(), to_json("user", &user)?);
    p.insert("capabilities".into(), to_json("capabilities", &caps)?);
    Ok(serde_json::Value::Object(p))
}

fn to_json<T: Serialize>(field: &'static str, v: &T) -> Result<serde_json::Value, SpecError> {
    serde_json::to_value(v).map_err(|e| SpecError::ContainerProcess(field, e))
}

/// The exec's view of a spec built here (in production it comes from the
/// container's `config.json`).
#[cfg(test)]
impl From<&Spec> for ContainerSpec {
    fn from(spec: &Spec) -> Self {
        serde_json::from_value(serde_json::to_value(spec).unwrap()).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::caps::mask;

    fn host() -> HostInfo {
        HostInfo {
            cap_last_cap: 40,
            cap_bounding: u64::MAX,
            cgroup_v2: false,
            swap_accounting: true,
            ncpu: 2,
            seccomp: SeccompHost {
                scmp_arch: "SCMP_ARCH_X86_64".into(),
                go_arch: "amd64".into(),
                kernel: (6, 1),
                x32_refused: false,
            },
        }
    }

    fn rootfs() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("etc")).unwrap();
        std::fs::write(
            d.path().join("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33::/var/www:/bin/sh\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("etc/group"),
            "root:x:0:\nwww:x:33:\nlog:x:4:www\n",
        )
        .unwrap();
        d
    }

    fn opts(root: &Path) -> SpecOptions {
        let mut o = SpecOptions::with_host(&"a".repeat(64), root, host());
        o.image = ImageDefaults {
            entrypoint: vec![],
            cmd: vec!["sh".into()],
            env: vec!["PATH=/img/bin:/bin".into(), "LANG=C".into()],
            working_dir: String::new(),
            user: String::new(),
        };
        o
    }

    fn s(v: &[&str]) -> Vec<String> {
        strings(v)
    }

    fn process_of(spec: &Spec) -> &Process {
        spec.process().as_ref().unwrap()
    }

    fn linux_of(spec: &Spec) -> &Linux {
        spec.linux().as_ref().unwrap()
    }

    fn resources_of(spec: &Spec) -> &LinuxResources {
        linux_of(spec).resources().as_ref().unwrap()
    }

    fn mount_at<'a>(spec: &'a Spec, dest: &str) -> &'a Mount {
        spec.mounts()
            .iter()
            .flatten()
            .find(|m| m.destination() == Path::new(dest))
            .unwrap()
    }

    fn destinations(spec: &Spec) -> Vec<&str> {
        spec.mounts()
            .iter()
            .flatten()
            .map(|m| m.destination().to_str().unwrap())
            .collect()
    }

    fn options(m: &Mount) -> Vec<String> {
        m.options().clone().unwrap_or_default()
    }

    /// A capability set as names.
    fn names(set: &Option<Capabilities>) -> Vec<String> {
        set.iter().flatten().map(|c| format!("CAP_{c}")).collect()
    }

    fn namespace_types(spec: &Spec) -> Vec<LinuxNamespaceType> {
        linux_of(spec)
            .namespaces()
            .iter()
            .flatten()
            .map(|n| n.typ())
            .collect()
    }

    #[test]
    fn pid_and_ipc_modes_shape_namespaces_and_dev_shm() {
        use LinuxNamespaceType::*;
        let d = rootfs();
        let mut o = opts(d.path());
        o.pid = PidNs::Host;
        o.ipc = IpcNs::Host;
        let spec = build_spec(&o).unwrap();
        assert!(!namespace_types(&spec).contains(&Pid));
        assert!(!namespace_types(&spec).contains(&Ipc));
        let shm = mount_at(&spec, "/dev/shm");
        assert_eq!(shm.source().as_deref(), Some(Path::new("/dev/shm")));
        assert_eq!(options(shm), ["rbind", "rprivate"]);

        o.pid = PidNs::Join("/proc/7/ns/pid".into());
        o.ipc = IpcNs::Join {
            ns: "/proc/7/ns/ipc".into(),
            shm: "/var/lib/berth/containers/x/mounts/shm".into(),
        };
        let spec = build_spec(&o).unwrap();
        let paths: Vec<_> = linux_of(&spec)
            .namespaces()
            .iter()
            .flatten()
            .filter(|n| matches!(n.typ(), Pid | Ipc))
            .map(|n| n.path().clone().unwrap())
            .collect();
        assert_eq!(
            paths,
            [Path::new("/proc/7/ns/pid"), Path::new("/proc/7/ns/ipc")]
        );
        assert_eq!(
            mount_at(&spec, "/dev/shm").source().as_deref(),
            Some(Path::new("/var/lib/berth/containers/x/mounts/shm"))
        );

        // `none`: a namespace of its own and no /dev/shm at all; a user
        // mount there still wins over a shared one.
        o.ipc = IpcNs::NoShm;
        let spec = build_spec(&o).unwrap();
        assert!(namespace_types(&spec).contains(&Ipc));
        assert!(!destinations(&spec).contains(&"/dev/shm"));
        o.ipc = IpcNs::Shared("/b/mounts/shm".into());
        o.mounts = vec![UserMount::parse_tmpfs("/dev/shm:size=1m").unwrap()];
        let spec = build_spec(&o).unwrap();
        assert_eq!(mount_at(&spec, "/dev/shm").typ().as_deref(), Some("tmpfs"));
        assert_eq!(
            destinations(&spec)
                .iter()
                .filter(|d| **d == "/dev/shm")
                .count(),
            1
        );
    }

    #[test]
    fn domainname_goes_into_the_spec() {
        let d = rootfs();
        let mut o = opts(d.path());
        o.domainname = Some("example.org".into());
        let spec = build_spec(&o).unwrap();
        assert_eq!(spec.domainname().as_deref(), Some("example.org"));
        let sysctl = linux_of(&spec).sysctl().clone().unwrap();
        assert_eq!(sysctl["kernel.domainname"], "example.org");
        o.sysctls
            .insert("kernel.domainname".into(), "mine.example".into());
        let spec = build_spec(&o).unwrap();
        let sysctl = linux_of(&spec).sysctl().clone().unwrap();
        assert_eq!(sysctl["kernel.domainname"], "mine.example");
    }

    #[test]
    fn defaults_like_docker() {
        let d = rootfs();
        let spec = build_spec(&opts(d.path())).unwrap();
        let p = process_of(&spec);
        assert_eq!(p.args().as_deref().unwrap(), ["sh"]);
        assert_eq!(p.cwd(), Path::new("/"));
        assert_eq!((p.user().uid(), p.user().gid()), (0, 0));
        let c = p.capabilities().as_ref().unwrap();
        for set in [c.bounding(), c.effective(), c.permitted()] {
            assert_eq!(mask(&names(set)), 0xa80425fb);
        }
        assert!(c.inheritable().is_none() && c.ambient().is_none());
        assert_eq!(spec.hostname().as_deref(), Some("aaaaaaaaaaaa"));
        assert_eq!(spec.domainname().as_deref(), None);
        let linux = linux_of(&spec);
        assert_eq!(
            linux.cgroups_path().as_deref(),
            Some(Path::new(&format!("/berth/{}", "a".repeat(64))))
        );
        use LinuxNamespaceType::*;
        assert_eq!(namespace_types(&spec), [Pid, Ipc, Uts, Mount, Network]);
        assert_eq!(linux.masked_paths().as_ref().unwrap().len(), 11);
        assert!(linux
            .readonly_paths()
            .as_ref()
            .unwrap()
            .contains(&"/proc/sys".to_string()));
        assert_eq!(
            destinations(&spec),
            [
                "/proc",
                "/dev",
                "/dev/pts",
                "/sys",
                "/sys/fs/cgroup",
                "/dev/mqueue",
                "/dev/shm"
            ]
        );
        assert!(options(mount_at(&spec, "/dev/shm")).contains(&"size=67108864".to_string()));
        assert!(options(mount_at(&spec, "/sys")).contains(&"ro".to_string()));
        let res = resources_of(&spec);
        let rules = res.devices().as_ref().unwrap();
        assert!(!rules[0].allow());
        assert_eq!(rules.len(), 8);
        assert!(res.memory().is_none() && res.cpu().is_none() && res.pids().is_none());
        let sc = linux.seccomp().as_ref().unwrap();
        assert_eq!(
            sc.default_action(),
            oci_spec::runtime::LinuxSeccompAction::ScmpActErrno
        );
        assert_eq!(spec.root().as_ref().unwrap().readonly(), Some(false));
        // JSON: camelCase names, None fields left out.
        let j = serde_json::to_value(&spec).unwrap();
        assert_eq!(j["ociVersion"], "1.0.2");
        assert!(j["process"].get("apparmorProfile").is_none());
        assert!(j["process"]["capabilities"].get("inheritable").is_none());
        assert!(j["linux"]["maskedPaths"].is_array());
        assert_eq!(j["linux"]["seccomp"]["defaultErrnoRet"], 1);
        let back: Spec = serde_json::from_value(j).unwrap();
        assert_eq!(back, spec);
    }

    #[test]
    fn entrypoint_and_cmd_rules() {
        let img = ImageDefaults {
            entrypoint: s(&["/ep", "-x"]),
            cmd: s(&["default"]),
            ..Default::default()
        };
        assert_eq!(resolve_args(&img, None, &[]), ["/ep", "-x", "default"]);
        assert_eq!(resolve_args(&img, None, &s(&["a"])), ["/ep", "-x", "a"]);
        assert_eq!(resolve_args(&img, Some(&s(&["/other"])), &[]), ["/other"]);
        assert_eq!(
            resolve_args(&img, Some(&s(&["/other"])), &s(&["a"])),
            ["/other", "a"]
        );
        assert_eq!(resolve_args(&img, Some(&s(&[""])), &s(&["ls"])), ["ls"]);
        assert!(resolve_args(&img, Some(&[]), &[]).is_empty());
        let d = rootfs();
        let mut o = opts(d.path());
        o.entrypoint = Some(vec![]);
        assert!(matches!(build_spec(&o), Err(SpecError::NoCommand)));
        assert_eq!(SpecError::NoCommand.to_string(), "no command specified");
    }

    #[test]
    fn env_merging() {
        let env = resolve_env(
            &s(&["PATH=/img/bin", "LANG=C", "A=img"]),
            &s(&["A=user", "B=2", "LANG"]),
            "host1",
            true,
        );
        assert_eq!(
            env,
            [
                "PATH=/img/bin",
                "HOSTNAME=host1",
                "TERM=xterm",
                "A=user",
                "B=2"
            ]
        );
        let env = resolve_env(&[], &[], "h", false);
        assert_eq!(
            env,
            [format!("PATH={DEFAULT_PATH_ENV}"), "HOSTNAME=h".to_string()]
        );
        let env = resolve_env(&[], &s(&["PATH=/x", "TERM=vt100"]), "h", true);
        assert_eq!(env, ["PATH=/x", "HOSTNAME=h", "TERM=vt100"]);
    }

    #[test]
    fn user_and_workdir() {
        let d = rootfs();
        let mut o = opts(d.path());
        o.image.user = "www".into();
        o.image.working_dir = "/srv".into();
        let spec = build_spec(&o).unwrap();
        let p = process_of(&spec);
        assert_eq!((p.user().uid(), p.user().gid()), (33, 33));
        assert_eq!(p.user().additional_gids().as_deref(), Some(&[4][..]));
        assert_eq!(p.cwd(), Path::new("/srv"));
        // A non-root user gets only the bounding set.
        let c = p.capabilities().as_ref().unwrap();
        assert!(c.bounding().is_some() && c.effective().is_none() && c.permitted().is_none());
        o.user = Some("1000:1000".into());
        o.working_dir = Some("/tmp".into());
        let spec = build_spec(&o).unwrap();
        let p = process_of(&spec);
        assert_eq!((p.user().uid(), p.user().gid()), (1000, 1000));
        assert_eq!(p.cwd(), Path::new("/tmp"));
        o.working_dir = Some("tmp".into());
        assert!(matches!(build_spec(&o), Err(SpecError::WorkingDir(_))));
        o.working_dir = None;
        o.user = Some("ghost".into());
        assert_eq!(
            build_spec(&o).unwrap_err().to_string(),
            "unable to find user ghost: no matching entries in passwd file"
        );
    }

    #[test]
    fn privileged_lifts_confinement() {
        let d = rootfs();
        let mut o = opts(d.path());
        o.privileged = true;
        o.cap_drop = s(&["ALL"]);
        let spec = build_spec(&o).unwrap();
        let c = process_of(&spec).capabilities().as_ref().unwrap();
        assert_eq!(c.bounding().as_ref().unwrap().len(), 41);
        let linux = linux_of(&spec);
        assert!(linux.seccomp().is_none());
        assert!(linux.masked_paths().is_none() && linux.readonly_paths().is_none());
        assert_eq!(
            resources_of(&spec).devices().as_deref(),
            Some(&[devices::allow_all_rule()][..])
        );
        assert!(linux
            .devices()
            .iter()
            .flatten()
            .any(|d| d.path() == Path::new("/dev/null")));
        assert!(options(mount_at(&spec, "/sys")).contains(&"rw".to_string()));
    }

    #[test]
    fn caps_seccomp_and_readonly() {
        let d = rootfs();
        let mut o = opts(d.path());
        o.cap_add = s(&["sys_admin"]);
        o.cap_drop = s(&["NET_RAW"]);
        o.seccomp = SeccompMode::Unconfined;
        o.read_only = true;
        o.no_new_privileges = true;
        o.etc_files.hosts = Some("/run/x/hosts".into());
        let spec = build_spec(&o).unwrap();
        let p = process_of(&spec);
        let b = p
            .capabilities()
            .as_ref()
            .unwrap()
            .bounding()
            .clone()
            .unwrap();
        assert!(b.contains(&Capability::SysAdmin) && !b.contains(&Capability::NetRaw));
        assert!(linux_of(&spec).seccomp().is_none());
        assert_eq!(spec.root().as_ref().unwrap().readonly(), Some(true));
        assert_eq!(p.no_new_privileges(), Some(true));
        assert_eq!(
            options(mount_at(&spec, "/etc/hosts")),
            ["rbind", "ro", "rprivate"]
        );
        // A custom profile is converted with the container's caps.
        o.seccomp = SeccompMode::Profile(
            r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["CAP_SYS_ADMIN"]}}]}"#.into(),
        );
        let spec = build_spec(&o).unwrap();
        assert!(linux_of(&spec)
            .seccomp()
            .as_ref()
            .unwrap()
            .syscalls()
            .is_none());
        o.cap_add = s(&["BOGUS"]);
        assert!(matches!(build_spec(&o), Err(SpecError::Caps(_))));
    }

    #[test]
    fn resources_math() {
        let d = rootfs();
        let mut o = opts(d.path());
        o.memory = Some(64 << 20);
        o.nano_cpus = Some(parse_cpus("1.5").unwrap());
        o.pids_limit = Some(100);
        o.cpu_shares = Some(512);
        let spec = build_spec(&o).unwrap();
        let r = resources_of(&spec);
        let m = r.memory().unwrap();
        assert_eq!((m.limit(), m.swap()), (Some(64 << 20), Some(128 << 20)));
        let c = r.cpu().as_ref().unwrap();
        assert_eq!(
            (c.shares(), c.quota(), c.period()),
            (Some(512), Some(150_000), Some(100_000))
        );
        assert_eq!(r.pids().unwrap().limit(), 100);
        let swap = |o: &SpecOptions| {
            let spec = build_spec(o).unwrap();
            resources_of(&spec).memory().unwrap().swap()
        };
        o.memory_swap = Some(-1);
        assert_eq!(swap(&o), Some(-1));
        o.host.swap_accounting = false;
        o.memory_swap = None;
        assert_eq!(swap(&o), None);
        o.memory = Some(1 << 20);
        assert!(matches!(build_spec(&o), Err(SpecError::MemoryTooLow)));
        o.memory = None;
        o.memory_swap = Some(1 << 30);
        assert!(matches!(build_spec(&o), Err(SpecError::SwapWithoutMemory)));
        o.memory_swap = None;
        o.nano_cpus = Some(parse_cpus("3").unwrap());
        assert_eq!(
            build_spec(&o).unwrap_err().to_string(),
            "range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"
        );
        o.nano_cpus = None;
        o.pids_limit = Some(-1);
        assert!(resources_of(&build_spec(&o).unwrap()).pids().is_none());
        assert_eq!(parse_cpus("0.5").unwrap(), 500_000_000);
        assert_eq!(parse_cpus(".25").unwrap(), 250_000_000);
        assert_eq!(parse_cpus("2").unwrap(), 2_000_000_000);
        assert!(parse_cpus("abc").is_err() && parse_cpus("0.0000000001").is_err());
    }

    #[test]
    fn mounts_tmpfs_shm_and_order() {
        let d = rootfs();
        let mut o = opts(d.path());
        o.shm_size = Some(1 << 30);
        o.mounts = vec![
            UserMount::bind("/srv/data/sub", "/data/sub", false),
            UserMount::bind("/srv/data", "/data", true),
            UserMount::parse_tmpfs("/run:exec,size=10m").unwrap(),
        ];
        let spec = build_spec(&o).unwrap();
        assert_eq!(&destinations(&spec)[7..], ["/data", "/run", "/data/sub"]);
        let data = mount_at(&spec, "/data");
        assert_eq!(
            (data.typ().as_deref(), options(data)),
            (Some("bind"), s(&["rbind", "ro", "rprivate"]))
        );
        assert_eq!(
            options(mount_at(&spec, "/run")),
            ["nosuid", "nodev", "rprivate", "exec", "size=10m"]
        );
        assert!(options(mount_at(&spec, "/dev/shm")).contains(&"size=1073741824".to_string()));
        // A user mount replaces a default at the same place.
        o.mounts = vec![UserMount::parse_tmpfs("/dev/shm:size=1m").unwrap()];
        let spec = build_spec(&o).unwrap();
        assert_eq!(
            destinations(&spec)
                .iter()
                .filter(|d| **d == "/dev/shm")
                .count(),
            1
        );
        assert_eq!(
            mount_at(&spec, "/dev/shm").source().as_deref(),
            Some(Path::new("tmpfs"))
        );
        o.mounts = vec![
            UserMount::bind("/a", "/x", false),
            UserMount::bind("/b", "/x", false),
        ];
        assert!(matches!(build_spec(&o), Err(SpecError::DuplicateMount(_))));
        o.mounts = vec![UserMount::bind("/a", "x", false)];
        assert!(matches!(build_spec(&o), Err(SpecError::Mount(_))));
    }

    #[test]
    fn devices_ulimits_sysctls_network() {
        let d = rootfs();
        let mut o = opts(d.path());
        o.devices = vec![DeviceMapping::parse("/dev/null:/dev/mynull:rw").unwrap()];
        o.ulimits = vec![
            Ulimit::parse("nofile=1024:2048").unwrap(),
            Ulimit::parse("nproc=-1").unwrap(),
        ];
        o.sysctls.insert("net.ipv4.ip_forward".into(), "1".into());
        o.network = NetNs::Join("/run/berth/netns/x".into());
        let spec = build_spec(&o).unwrap();
        let linux = linux_of(&spec);
        assert_eq!(
            linux.devices().as_ref().unwrap()[0].path(),
            Path::new("/dev/mynull")
        );
        assert_eq!(
            resources_of(&spec).devices().as_ref().unwrap().last(),
            Some(&devices::rule(
                true,
                Some(oci_spec::runtime::LinuxDeviceType::C),
                Some(1),
                Some(3),
                "rw"
            ))
        );
        let rl: Vec<(String, u64, u64)> = process_of(&spec)
            .rlimits()
            .iter()
            .flatten()
            .map(|r| (r.typ().to_string(), r.hard(), r.soft()))
            .collect();
        assert_eq!(
            rl,
            [
                ("RLIMIT_NOFILE".to_string(), 2048, 1024),
                ("RLIMIT_NPROC".to_string(), u64::MAX, u64::MAX),
            ]
        );
        let net = linux
            .namespaces()
            .iter()
            .flatten()
            .find(|n| n.typ() == LinuxNamespaceType::Network)
            .unwrap();
        assert_eq!(net.path().as_deref(), Some(Path::new("/run/berth/netns/x")));
        o.network = NetNs::Host;
        assert!(matches!(build_spec(&o), Err(SpecError::SysctlHostNet(_))));
        o.sysctls.clear();
        let spec = build_spec(&o).unwrap();
        assert!(!namespace_types(&spec).contains(&LinuxNamespaceType::Network));
        o.sysctls.insert("kernel.hostname".into(), "x".into());
        assert_eq!(
            build_spec(&o).unwrap_err().to_string(),
            "sysctl 'kernel.hostname' is not allowed"
        );
        assert!(Ulimit::parse("nofile=10:5").is_err());
        assert!(Ulimit::parse("bogus=1").is_err());
        o.host.cgroup_v2 = true;
        o.sysctls.clear();
        let spec = build_spec(&o).unwrap();
        assert!(namespace_types(&spec).contains(&LinuxNamespaceType::Cgroup));
    }

    #[test]
    fn every_ulimit_name_is_an_oci_rlimit() {
        for name in ULIMIT_NAMES {
            let u = Ulimit::parse(&format!("{name}=1")).unwrap();
            assert!(u.rlimit().is_ok(), "{name}");
        }
    }

    #[test]
    fn init_binary() {
        let d = rootfs();
        let bin = d.path().join("tini");
        std::fs::write(&bin, b"").unwrap();
        let mut o = opts(d.path());
        o.init = true;
        o.init_binary = Some(bin.clone());
        let spec = build_spec(&o).unwrap();
        assert_eq!(
            process_of(&spec).args().as_deref().unwrap(),
            ["/sbin/docker-init", "--", "sh"]
        );
        let m = mount_at(&spec, "/sbin/docker-init");
        assert_eq!(
            (m.source().as_deref(), options(m)),
            (Some(bin.as_path()), s(&["bind", "ro"]))
        );
        o.init_binary = Some(d.path().join("missing"));
        assert!(matches!(build_spec(&o), Err(SpecError::InitMissing(_))));
        assert!(SpecError::InitNotFound.to_string().contains("tini"));
    }

    #[test]
    fn exec_process_from_container() {
        let d = rootfs();
        let mut o = opts(d.path());
        o.env = s(&["A=1"]);
        let spec = ContainerSpec::from(&build_spec(&o).unwrap());
        assert_eq!(spec.rootfs(Path::new("/bundle")), d.path());
        let e = ExecOptions {
            args: s(&["ls", "-l"]),
            env: s(&["A=2", "B=3"]),
            working_dir: Some("/tmp".into()),
            user: Some("www".into()),
            tty: true,
            privileged: false,
        };
        let p = exec_process(&spec, d.path(), &e, 40).unwrap();
        assert_eq!(p["args"], serde_json::json!(["ls", "-l"]));
        assert_eq!(p["terminal"], true);
        let env = p["env"].as_array().unwrap();
        for v in ["A=2", "B=3", "TERM=xterm"] {
            assert!(env.contains(&v.into()), "{v}");
        }
        assert_eq!(
            (&p["user"]["uid"], &p["user"]["gid"], &p["cwd"]),
            (&33.into(), &33.into(), &"/tmp".into())
        );
        assert!(p["capabilities"].get("effective").is_none());
        // The container's other fields carry over.
        assert_eq!(p["noNewPrivileges"], false);
        let root = ExecOptions {
            args: s(&["sh"]),
            privileged: true,
            ..Default::default()
        };
        let p = exec_process(&spec, d.path(), &root, 40).unwrap();
        assert_eq!(p["capabilities"]["effective"].as_array().unwrap().len(), 41);
        assert_eq!(p["cwd"], "/");
        assert!(matches!(
            exec_process(&spec, d.path(), &ExecOptions::default(), 40),
            Err(SpecError::NoCommand)
        ));
        let broken: ContainerSpec = serde_json::from_value(serde_json::json!({
            "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "capabilities": {"bounding": ["CAP_NOPE"]}},
            "root": {"path": "/r"}
        }))
        .unwrap();
        let plain = ExecOptions {
            privileged: false,
            ..root
        };
        let err = exec_process(&broken, d.path(), &plain, 40).unwrap_err();
        assert!(
            matches!(err, SpecError::ContainerProcess("capabilities", _)),
            "{err}"
        );
    }

    /// Golden `config.json`s: [`build_spec`] (and [`exec_process`]) for a
    /// representative set of options, compared as JSON values with the files
    /// under `src/runtime/testdata/spec/`. `BERTH_BLESS=1` rewrites the files
    /// instead; review the diff before committing it.
    ///
    /// Before the comparison the machine-dependent parts are replaced (the
    /// temporary rootfs path, the host's device list of a privileged
    /// container) and the capability lists are sorted: OCI defines them as
    /// sets, so their order carries no meaning.
    mod golden {
        use super::*;
        use serde_json::{json, Value};

        const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/runtime/testdata/spec");

        const PROFILE: &str = r#"{
            "defaultAction": "SCMP_ACT_ERRNO",
            "defaultErrnoRet": 38,
            "archMap": [
                {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}
            ],
            "flags": ["SECCOMP_FILTER_FLAG_LOG"],
            "syscalls": [
                {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
                {"name": "personality", "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
                {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 0, "value": 4294967295, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ"}]},
                {"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                 "excludes": {"caps": ["CAP_SYS_PTRACE"]}},
                {"names": ["mount"], "action": "SCMP_ACT_ALLOW",
                 "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["kexec_load"], "action": "SCMP_ACT_KILL_PROCESS",
                 "includes": {"arches": ["arm64"]}},
                {"names": ["bpf"], "action": "SCMP_ACT_LOG",
                 "includes": {"minKernel": "5.8"}}
            ]
        }"#;

        fn cases(root: &Path) -> Vec<(&'static str, SpecOptions)> {
            let base = || opts(root);
            let with = |f: &dyn Fn(&mut SpecOptions)| {
                let mut o = base();
                f(&mut o);
                o
            };
            let init_bin = root.join("docker-init");
            std::fs::write(&init_bin, b"").unwrap();
            vec![
                ("default", base()),
                (
                    "privileged",
                    with(&|o| {
                        o.privileged = true;
                        o.apparmor_profile = Some("docker-default".into());
                        o.cap_drop = s(&["ALL"]);
                    }),
                ),
                (
                    "read_only",
                    with(&|o| {
                        o.read_only = true;
                        o.tty = true;
                        o.no_new_privileges = true;
                        o.env = s(&["A=1", "LANG", "PATH=/usr/bin"]);
                        o.working_dir = Some("/srv".into());
                        o.hostname = "web".into();
                        o.etc_files = EtcFiles {
                            hosts: Some("/run/b/hosts".into()),
                            hostname: Some("/run/b/hostname".into()),
                            resolv_conf: Some("/run/b/resolv.conf".into()),
                        };
                    }),
                ),
                (
                    "mounts",
                    with(&|o| {
                        o.shm_size = Some(128 << 20);
                        o.etc_files.hosts = Some("/run/b/hosts".into());
                        o.mounts = vec![
                            UserMount::bind("/srv/data/sub", "/data/sub", false),
                            UserMount::bind("/srv/data", "/data", true),
                            UserMount::Bind {
                                source: "/var/lib/berth/volumes/v/_data".into(),
                                destination: "/var/lib/db".into(),
                                readonly: false,
                                propagation: Some("rshared".into()),
                                recursive: false,
                            },
                            UserMount::bind("/etc/myhosts", "/etc/hosts", true),
                            UserMount::parse_tmpfs("/run:exec,size=10m,mode=1770").unwrap(),
                            UserMount::parse_tmpfs("/tmp").unwrap(),
                            UserMount::parse_tmpfs("/dev/shm:size=1m,ro").unwrap(),
                        ];
                    }),
                ),
                (
                    "ulimits",
                    with(&|o| {
                        o.ulimits = ["nofile=1024:2048", "nproc=-1", "core=0", "nofile=4096"]
                            .iter()
                            .map(|u| Ulimit::parse(u).unwrap())
                            .collect();
                    }),
                ),
                (
                    "devices",
                    with(&|o| {
                        o.devices = vec![
                            DeviceMapping::parse("/dev/null:/dev/mynull:rw").unwrap(),
                            DeviceMapping::parse("/dev/zero").unwrap(),
                        ];
                    }),
                ),
                (
                    "sysctls",
                    with(&|o| {
                        for (k, v) in [
                            ("net.ipv4.ip_forward", "1"),
                            ("kernel.shmmax", "1000000"),
                            ("fs.mqueue.msg_max", "20"),
                        ] {
                            o.sysctls.insert(k.into(), v.into());
                        }
                    }),
                ),
                (
                    "caps",
                    with(&|o| {
                        o.cap_add = s(&["sys_admin", "CAP_NET_ADMIN"]);
                        o.cap_drop = s(&["NET_RAW", "mknod"]);
                    }),
                ),
                (
                    "caps_all_user",
                    with(&|o| {
                        o.cap_add = s(&["ALL"]);
                        o.cap_drop = s(&["SYS_MODULE"]);
                        o.image.user = "www".into();
                    }),
                ),
                (
                    "seccomp_unconfined",
                    with(&|o| o.seccomp = SeccompMode::Unconfined),
                ),
                (
                    "seccomp_profile",
                    with(&|o| {
                        o.seccomp = SeccompMode::Profile(PROFILE.into());
                        o.cap_add = s(&["SYS_ADMIN"]);
                    }),
                ),
                (
                    "init",
                    with(&|o| {
                        o.init = true;
                        o.init_binary = Some(init_bin.clone());
                        o.image.entrypoint = s(&["/entry.sh"]);
                        o.args = s(&["serve", "--port", "80"]);
                    }),
                ),
                (
                    "host_network",
                    with(&|o| {
                        o.network = NetNs::Host;
                        o.host.cgroup_v2 = true;
                        o.sysctls.insert("kernel.msgmax".into(), "65536".into());
                    }),
                ),
                (
                    "joined_network",
                    with(&|o| o.network = NetNs::Join("/run/berth/netns/n1".into())),
                ),
                (
                    "limits",
                    with(&|o| {
                        o.memory = Some(256 << 20);
                        o.memory_swap = Some(1 << 30);
                        o.nano_cpus = Some(parse_cpus("1.5").unwrap());
                        o.cpu_shares = Some(512);
                        o.pids_limit = Some(100);
                        o.oom_score_adj = Some(500);
                    }),
                ),
                (
                    "limits_shares_only",
                    with(&|o| {
                        o.memory = Some(64 << 20);
                        o.host.swap_accounting = false;
                        o.cpu_shares = Some(2048);
                        o.pids_limit = Some(-1);
                    }),
                ),
                (
                    "user_annotations_hooks",
                    with(&|o| {
                        o.user = Some("www:log".into());
                        o.image.working_dir = "app".into();
                        o.image.env = s(&["HOME=/var/www"]);
                        o.apparmor_profile = Some("docker-default".into());
                        o.annotations
                            .insert("org.opencontainers.image.title".into(), "web".into());
                        o.annotations.insert("berth.name".into(), "web-1".into());
                        o.hooks = Some(
                            serde_json::from_value(json!({
                                "prestart": [{"path": "/usr/bin/berth", "args": ["berth", "internal", "hook"], "env": ["A=1"], "timeout": 10}],
                                "poststop": [{"path": "/usr/bin/true"}]
                            }))
                            .unwrap(),
                        );
                    }),
                ),
            ]
        }

        /// The spec as JSON, with machine-dependent parts replaced and the
        /// capability sets sorted.
        fn normalize(v: &impl serde::Serialize, root: &Path) -> Value {
            let text = serde_json::to_string(v).unwrap();
            let text = text.replace(root.to_str().unwrap(), "/ROOTFS");
            let mut v: Value = serde_json::from_str(&text).unwrap();
            let process = if v.get("process").is_some() {
                &mut v["process"]
            } else {
                &mut v
            };
            if let Some(Value::Object(caps)) = process.get_mut("capabilities") {
                for set in caps.values_mut() {
                    if let Value::Array(a) = set {
                        a.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
                    }
                }
            }
            v
        }

        /// JSON pointers where `a` and `b` differ.
        fn diff(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
            match (a, b) {
                (Value::Object(x), Value::Object(y)) => {
                    for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                        let (l, r) = (x.get(k), y.get(k));
                        match (l, r) {
                            (Some(l), Some(r)) => diff(l, r, format!("{at}/{k}"), out),
                            _ => out.push(format!("{at}/{k}: {l:?} != {r:?}")),
                        }
                    }
                }
                (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                    for (i, (l, r)) in x.iter().zip(y).enumerate() {
                        diff(l, r, format!("{at}/{i}"), out);
                    }
                }
                _ if a != b => out.push(format!("{at}: {a} != {b}")),
                _ => {}
            }
        }

        fn check(name: &str, actual: Value) {
            let path = Path::new(DIR).join(format!("{name}.json"));
            if std::env::var_os("BERTH_BLESS").is_some() {
                std::fs::create_dir_all(DIR).unwrap();
                let mut text = serde_json::to_string_pretty(&actual).unwrap();
                text.push('\n');
                std::fs::write(&path, text).unwrap();
                return;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (BERTH_BLESS=1 writes it)", path.display()));
            let expected: Value = serde_json::from_str(&text).unwrap();
            let mut out = Vec::new();
            diff(&expected, &actual, String::new(), &mut out);
            assert!(
                out.is_empty(),
                "{name}: differs from {} (expected != actual):\n{}",
                path.display(),
                out.join("\n")
            );
        }

        #[test]
        fn specs_match_golden_files() {
            let d = rootfs();
            for (name, o) in cases(d.path()) {
                let spec = build_spec(&o).unwrap_or_else(|e| panic!("{name}: {e}"));
                let mut v = normalize(&spec, d.path());
                if o.privileged {
                    // The host's own device list: checked, then left out.
                    let devs = v["linux"]["devices"].as_array().unwrap();
                    assert!(devs.iter().any(|d| d["path"] == "/dev/null"), "{name}");
                    v["linux"]["devices"] = json!("<host devices>");
                }
                check(name, v);
            }
        }

        #[test]
        fn exec_processes_match_golden_files() {
            let d = rootfs();
            let container = ContainerSpec::from(&build_spec(&with_env(opts(d.path()))).unwrap());
            let cases = [
                (
                    "exec_user_tty",
                    ExecOptions {
                        args: s(&["ls", "-l"]),
                        env: s(&["A=2", "B=3", "LANG"]),
                        working_dir: Some("/tmp".into()),
                        user: Some("www".into()),
                        tty: true,
                        privileged: false,
                    },
                ),
                (
                    "exec_privileged",
                    ExecOptions {
                        args: s(&["sh"]),
                        privileged: true,
                        ..Default::default()
                    },
                ),
            ];
            for (name, e) in cases {
                let p = exec_process(&container, d.path(), &e, 40).unwrap();
                check(name, normalize(&p, d.path()));
            }
        }

        fn with_env(mut o: SpecOptions) -> SpecOptions {
            o.env = s(&["A=1", "LANG=en_US.UTF-8"]);
            o
        }
    }
}
