//! Serde types for the part of the OCI runtime spec (config.json, runtime-spec
//! v1.0.2: config.md and config-linux.md) that berth writes. Field names and
//! shapes follow the spec; optional fields are left out of the JSON when unset,
//! so runc applies its own defaults for them.
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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::caps::{self, CapError};
use super::devices::{self, DeviceError, DeviceMapping};
use super::seccomp::{self, SeccompError, SeccompHost};
use super::user::{self, UserError};

/// The OCI runtime spec version berth generates.
pub const OCI_VERSION: &str = "1.0.2";

/// The whole `config.json` of a bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    pub oci_version: String,
    pub process: Process,
    pub root: Root,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    #[serde(default)]
    pub mounts: Vec<Mount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hooks: Option<Hooks>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    pub linux: Linux,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Process {
    #[serde(default)]
    pub terminal: bool,
    pub user: User,
    pub args: Vec<String>,
    #[serde(default)]
    pub env: Vec<String>,
    pub cwd: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Capabilities>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rlimits: Vec<Rlimit>,
    #[serde(default)]
    pub no_new_privileges: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apparmor_profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oom_score_adj: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub uid: u32,
    pub gid: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub umask: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_gids: Vec<u32>,
}

/// Capability sets by name (`CAP_CHOWN`, ...). An absent set is empty.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Capabilities {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounding: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permitted: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inheritable: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambient: Option<Vec<String>>,
}

/// `process.rlimits[]`: `type` is `RLIMIT_NOFILE` etc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rlimit {
    #[serde(rename = "type")]
    pub kind: String,
    pub hard: u64,
    pub soft: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Root {
    pub path: String,
    #[serde(default)]
    pub readonly: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mount {
    pub destination: String,
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

impl Mount {
    pub fn new(destination: &str, kind: &str, source: &str, options: &[&str]) -> Mount {
        Mount {
            destination: destination.to_string(),
            kind: kind.to_string(),
            source: source.to_string(),
            options: options.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// POSIX-platform hooks (config.md "POSIX-platform Hooks").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hooks {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prestart: Vec<Hook>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub create_runtime: Vec<Hook>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub create_container: Vec<Hook>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub start_container: Vec<Hook>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub poststart: Vec<Hook>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub poststop: Vec<Hook>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hook {
    pub path: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Linux {
    #[serde(default)]
    pub namespaces: Vec<Namespace>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid_mappings: Option<Vec<IdMapping>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid_mappings: Option<Vec<IdMapping>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cgroups_path: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sysctl: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp: Option<Seccomp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masked_paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readonly_paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<Device>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_label: Option<String>,
}

/// `linux.namespaces[]`: `type` is one of pid, network, mount, ipc, uts, user,
/// cgroup; `path` joins an existing namespace instead of creating one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdMapping {
    #[serde(rename = "containerID")]
    pub container_id: u32,
    #[serde(rename = "hostID")]
    pub host_id: u32,
    pub size: u32,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Resources {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceCgroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Memory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Cpu>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pids: Option<Pids>,
}

/// `linux.resources.devices[]`: a device cgroup allow/deny rule; absent
/// type/major/minor mean "all".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCgroup {
    pub allow: bool,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
}

impl DeviceCgroup {
    /// An `allow` (or deny) rule for one character or block device.
    pub fn rule(
        allow: bool,
        kind: &str,
        major: Option<i64>,
        minor: Option<i64>,
        access: &str,
    ) -> Self {
        DeviceCgroup {
            allow,
            kind: Some(kind.to_string()),
            major,
            minor,
            access: Some(access.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Memory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cpu {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pids {
    pub limit: i64,
}

/// `linux.devices[]`: a device node runc creates in the container's /dev.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub path: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub major: i64,
    pub minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_mode: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
}

/// `linux.seccomp` in the OCI form (config-linux.md "Seccomp").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Seccomp {
    pub default_action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_errno_ret: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub architectures: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub syscalls: Vec<Syscall>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Syscall {
    pub names: Vec<String>,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errno_ret: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<SyscallArg>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyscallArg {
    pub index: u32,
    pub value: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_two: Option<u64>,
    pub op: String,
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

    fn rlimit(&self) -> Rlimit {
        let v = |n: i64| if n < 0 { u64::MAX } else { n as u64 };
        Rlimit {
            kind: format!("RLIMIT_{}", self.name.to_ascii_uppercase()),
            soft: v(self.soft),
            hard: v(self.hard),
        }
    }
}

/// Parse `--cpus` (a decimal such as `1.5`) to nano-CPUs, like docker.
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
        let cgroup_v2 = Path::new("/sys/fs/cgroup/cgroup.controllers").exists();
        let swap_accounting = if cgroup_v2 {
            true
        } else {
            Path::new("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes").exists()
        };
        HostInfo {
            cap_last_cap: caps::read_cap_last_cap(),
            cap_bounding: caps::read_own_bounding_set().unwrap_or(u64::MAX),
            cgroup_v2,
            swap_accounting,
            ncpu: std::thread::available_parallelism()
                .map(|n| n.get() as u32)
                .unwrap_or(1),
            seccomp: SeccompHost::detect(),
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
    pub network: NetNs,
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
            network: NetNs::Private,
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
        Mount::new("/proc", "proc", "proc", &["nosuid", "noexec", "nodev"]),
        Mount::new(
            "/dev",
            "tmpfs",
            "tmpfs",
            &["nosuid", "strictatime", "mode=755", "size=65536k"],
        ),
        Mount::new(
            "/dev/pts",
            "devpts",
            "devpts",
            &[
                "nosuid",
                "noexec",
                "newinstance",
                "ptmxmode=0666",
                "mode=0620",
                "gid=5",
            ],
        ),
        Mount::new("/sys", "sysfs", "sysfs", &["nosuid", "noexec", "nodev", ro]),
        Mount::new(
            "/sys/fs/cgroup",
            "cgroup",
            "cgroup",
            &["nosuid", "noexec", "nodev", "relatime", ro],
        ),
        Mount::new(
            "/dev/mqueue",
            "mqueue",
            "mqueue",
            &["nosuid", "noexec", "nodev"],
        ),
        Mount::new(
            "/dev/shm",
            "tmpfs",
            "shm",
            &[
                "nosuid",
                "noexec",
                "nodev",
                "mode=1777",
                &format!("size={shm_size}"),
            ],
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

fn depth(p: &str) -> usize {
    Path::new(p).components().count()
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
            Mount {
                destination: destination.clone(),
                kind: "bind".into(),
                source: source.to_string_lossy().into_owned(),
                options,
            }
        }
        UserMount::Tmpfs {
            destination,
            options,
        } => {
            let mut all: Vec<String> = ["noexec", "nosuid", "nodev", "rprivate"]
                .map(String::from)
                .to_vec();
            all.extend(options.iter().cloned());
            Mount {
                destination: destination.clone(),
                kind: "tmpfs".into(),
                source: "tmpfs".into(),
                options: merge_tmpfs_options(&all),
            }
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
    let (masked_paths, readonly_paths) = if opts.privileged {
        (Vec::new(), Vec::new())
    } else {
        (strings(&MASKED_PATHS), strings(&READONLY_PATHS))
    };

    Ok(Spec {
        oci_version: OCI_VERSION.to_string(),
        process: Process {
            terminal: opts.tty,
            user: User {
                uid: exec_user.uid,
                gid: exec_user.gid,
                umask: None,
                additional_gids: exec_user.additional_gids,
            },
            args,
            env: resolve_env(&opts.image.env, &opts.env, &opts.hostname, opts.tty),
            cwd,
            capabilities: Some(capabilities(exec_user.uid, caplist)),
            rlimits: rlimits(&opts.ulimits),
            no_new_privileges: opts.no_new_privileges,
            apparmor_profile: if opts.privileged {
                None
            } else {
                opts.apparmor_profile.clone()
            },
            oom_score_adj: opts.oom_score_adj,
        },
        root: Root {
            path: opts.rootfs.to_string_lossy().into_owned(),
            readonly: opts.read_only,
        },
        hostname: opts.hostname.clone(),
        mounts,
        hooks: opts.hooks.clone(),
        annotations: opts.annotations.clone(),
        linux: Linux {
            namespaces: namespaces(opts),
            uid_mappings: None,
            gid_mappings: None,
            resources: Some(resources),
            cgroups_path: cgroups_path(&opts.id),
            sysctl: opts.sysctls.clone(),
            seccomp,
            masked_paths,
            readonly_paths,
            devices,
            mount_label: None,
        },
    })
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
    let mount = Mount {
        destination: INIT_PATH_IN_CONTAINER.into(),
        kind: "bind".into(),
        source: bin.to_string_lossy().into_owned(),
        options: strings(&["bind", "ro"]),
    };
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

/// The capability sets of a process: root gets `caplist` as its bounding,
/// effective and permitted sets; any other user only the bounding set, which
/// is what execve leaves it.
fn capabilities(uid: u32, caplist: Vec<String>) -> Capabilities {
    if uid == 0 {
        Capabilities {
            bounding: Some(caplist.clone()),
            effective: Some(caplist.clone()),
            permitted: Some(caplist),
            inheritable: None,
            ambient: None,
        }
    } else {
        Capabilities {
            bounding: Some(caplist),
            ..Default::default()
        }
    }
}

/// `--ulimit`s as rlimits: a later flag for the same resource wins.
fn rlimits(ulimits: &[Ulimit]) -> Vec<Rlimit> {
    let mut rlimits: Vec<Rlimit> = Vec::new();
    for u in ulimits {
        let r = u.rlimit();
        rlimits.retain(|x| x.kind != r.kind);
        rlimits.push(r);
    }
    rlimits
}

/// Docker's default mounts, then the user's, the per-container `/etc` files
/// and the init binary sorted parents-first; a user mount at a default
/// destination replaces the default.
fn mounts(opts: &SpecOptions, init_mount: Option<Mount>) -> Result<Vec<Mount>, SpecError> {
    let shm = opts.shm_size.filter(|s| *s > 0).unwrap_or(DEFAULT_SHM_SIZE);
    let mut user_mounts = Vec::new();
    for m in &opts.mounts {
        let om = user_mount_to_oci(m)?;
        if user_mounts
            .iter()
            .any(|x: &Mount| x.destination == om.destination)
        {
            return Err(SpecError::DuplicateMount(om.destination));
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
            if !user_mounts.iter().any(|m| m.destination == dest) {
                user_mounts.push(Mount {
                    destination: dest.into(),
                    kind: "bind".into(),
                    source: src.to_string_lossy().into_owned(),
                    options: etc_opts.clone(),
                });
            }
        }
    }
    user_mounts.extend(init_mount);
    user_mounts.sort_by_key(|m| depth(&m.destination));
    let mut mounts: Vec<Mount> = default_mounts(shm, opts.privileged)
        .into_iter()
        .filter(|d| !user_mounts.iter().any(|u| u.destination == d.destination))
        .collect();
    mounts.extend(user_mounts);
    Ok(mounts)
}

/// New pid, ipc, uts and mount namespaces; the network one by `--network`;
/// a cgroup namespace on a cgroup v2 host (docker's default there).
fn namespaces(opts: &SpecOptions) -> Vec<Namespace> {
    let new = |kind: &str| Namespace {
        kind: kind.into(),
        path: None,
    };
    let mut namespaces = vec![new("pid"), new("ipc"), new("uts"), new("mount")];
    match &opts.network {
        NetNs::Private => namespaces.push(new("network")),
        NetNs::Host => {}
        NetNs::Join(p) => namespaces.push(Namespace {
            kind: "network".into(),
            path: Some(p.to_string_lossy().into_owned()),
        }),
    }
    if opts.host.cgroup_v2 {
        namespaces.push(new("cgroup"));
    }
    namespaces
}

/// The device nodes and device cgroup rules: every host device and
/// everything allowed for `--privileged`, else docker's default rules plus
/// the `--device` mappings.
fn devices(opts: &SpecOptions) -> Result<(Vec<Device>, Vec<DeviceCgroup>), SpecError> {
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
fn resources(opts: &SpecOptions, device_rules: Vec<DeviceCgroup>) -> Result<Resources, SpecError> {
    Ok(Resources {
        devices: device_rules,
        memory: memory(opts)?,
        cpu: cpu(opts)?,
        pids: opts
            .pids_limit
            .filter(|p| *p > 0)
            .map(|limit| Pids { limit }),
    })
}

/// `-m` and `--memory-swap`: swap defaults to twice the memory where the
/// host accounts swap.
fn memory(opts: &SpecOptions) -> Result<Option<Memory>, SpecError> {
    if let Some(m) = opts.memory {
        if m > 0 && m < MIN_MEMORY {
            return Err(SpecError::MemoryTooLow);
        }
    }
    let memory_limit = opts.memory.filter(|m| *m > 0);
    let swap = match (memory_limit, opts.memory_swap) {
        (None, Some(s)) if s > 0 => return Err(SpecError::SwapWithoutMemory),
        (Some(m), Some(s)) if s > 0 && s < m => return Err(SpecError::SwapTooLow),
        (Some(_), Some(s)) if s != 0 && opts.host.swap_accounting => Some(s),
        (Some(m), None) if opts.host.swap_accounting => Some(m * 2),
        _ => None,
    };
    Ok(memory_limit.map(|limit| Memory {
        limit: Some(limit),
        swap,
    }))
}

/// `--cpus` as a CFS quota over docker's 100 ms period, and `--cpu-shares`.
fn cpu(opts: &SpecOptions) -> Result<Option<Cpu>, SpecError> {
    let quota = match opts.nano_cpus {
        Some(n) if n < 0 => return Err(SpecError::Cpus(n.to_string(), "must be positive".into())),
        Some(n) if n > opts.host.ncpu as i64 * 1_000_000_000 || (n > 0 && n < 10_000_000) => {
            return Err(SpecError::CpusRange(opts.host.ncpu))
        }
        Some(n) if n > 0 => Some(n * CPU_PERIOD as i64 / 1_000_000_000),
        _ => None,
    };
    if quota.is_none() && opts.cpu_shares.is_none() {
        return Ok(None);
    }
    Ok(Some(Cpu {
        shares: opts.cpu_shares,
        quota,
        period: quota.map(|_| CPU_PERIOD),
    }))
}

/// The seccomp filter: none for `--privileged` or `seccomp=unconfined`,
/// else docker's default profile or the given one, for the container's caps.
fn seccomp_filter(opts: &SpecOptions, caplist: &[String]) -> Result<Option<Seccomp>, SpecError> {
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

/// The `process.json` of an exec in a container created from `container`;
/// `rootfs` is the container's root, where `-u` names are looked up.
pub fn exec_process(
    container: &Spec,
    rootfs: &Path,
    opts: &ExecOptions,
    available: impl Into<caps::CapSet>,
) -> Result<Process, SpecError> {
    if opts.args.is_empty() {
        return Err(SpecError::NoCommand);
    }
    let mut p = container.process.clone();
    p.args = opts.args.clone();
    p.terminal = opts.tty;
    let mut env = p.env.clone();
    if opts.tty && !env.iter().any(|e| env_key(e) == "TERM") {
        env.push("TERM=xterm".into());
    }
    p.env = replace_or_append_env(env, &opts.env);
    if let Some(w) = &opts.working_dir {
        if !w.starts_with('/') {
            return Err(SpecError::WorkingDir(w.clone()));
        }
        p.cwd = w.clone();
    }
    if let Some(u) = &opts.user {
        let eu = user::resolve_user(rootfs, u)?;
        p.user = User {
            uid: eu.uid,
            gid: eu.gid,
            umask: p.user.umask,
            additional_gids: eu.additional_gids,
        };
    }
    let caplist = if opts.privileged {
        caps::all_caps(available)
    } else {
        p.capabilities
            .as_ref()
            .and_then(|c| c.bounding.clone())
            .unwrap_or_default()
    };
    p.capabilities = Some(capabilities(p.user.uid, caplist));
    Ok(p)
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

    #[test]
    fn defaults_like_docker() {
        let d = rootfs();
        let spec = build_spec(&opts(d.path())).unwrap();
        assert_eq!(spec.process.args, ["sh"]);
        assert_eq!(spec.process.cwd, "/");
        assert_eq!((spec.process.user.uid, spec.process.user.gid), (0, 0));
        let c = spec.process.capabilities.as_ref().unwrap();
        for set in [&c.bounding, &c.effective, &c.permitted] {
            assert_eq!(mask(set.as_ref().unwrap()), 0xa80425fb);
        }
        assert!(c.inheritable.is_none() && c.ambient.is_none());
        assert_eq!(spec.hostname, "aaaaaaaaaaaa");
        assert_eq!(
            spec.linux.cgroups_path,
            format!("/berth/{}", "a".repeat(64))
        );
        let ns: Vec<&str> = spec
            .linux
            .namespaces
            .iter()
            .map(|n| n.kind.as_str())
            .collect();
        assert_eq!(ns, ["pid", "ipc", "uts", "mount", "network"]);
        assert_eq!(spec.linux.masked_paths.len(), 11);
        assert!(spec.linux.readonly_paths.contains(&"/proc/sys".to_string()));
        let dests: Vec<&str> = spec.mounts.iter().map(|m| m.destination.as_str()).collect();
        assert_eq!(
            dests,
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
        let shm = spec
            .mounts
            .iter()
            .find(|m| m.destination == "/dev/shm")
            .unwrap();
        assert!(shm.options.contains(&"size=67108864".to_string()));
        let sys = spec
            .mounts
            .iter()
            .find(|m| m.destination == "/sys")
            .unwrap();
        assert!(sys.options.contains(&"ro".to_string()));
        let res = spec.linux.resources.as_ref().unwrap();
        assert!(!res.devices[0].allow);
        assert_eq!(res.devices.len(), 8);
        assert!(res.memory.is_none() && res.cpu.is_none() && res.pids.is_none());
        let sc = spec.linux.seccomp.as_ref().unwrap();
        assert_eq!(sc.default_action, "SCMP_ACT_ERRNO");
        assert!(!spec.root.readonly);
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
        assert_eq!((spec.process.user.uid, spec.process.user.gid), (33, 33));
        assert_eq!(spec.process.user.additional_gids, [4]);
        assert_eq!(spec.process.cwd, "/srv");
        // A non-root user gets only the bounding set.
        let c = spec.process.capabilities.unwrap();
        assert!(c.bounding.is_some() && c.effective.is_none() && c.permitted.is_none());
        o.user = Some("1000:1000".into());
        o.working_dir = Some("/tmp".into());
        let spec = build_spec(&o).unwrap();
        assert_eq!((spec.process.user.uid, spec.process.user.gid), (1000, 1000));
        assert_eq!(spec.process.cwd, "/tmp");
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
        let c = spec.process.capabilities.unwrap();
        assert_eq!(c.bounding.unwrap().len(), 41);
        assert!(spec.linux.seccomp.is_none());
        assert!(spec.linux.masked_paths.is_empty() && spec.linux.readonly_paths.is_empty());
        let res = spec.linux.resources.unwrap();
        assert_eq!(res.devices, [devices::allow_all_rule()]);
        assert!(spec.linux.devices.iter().any(|d| d.path == "/dev/null"));
        let sys = spec
            .mounts
            .iter()
            .find(|m| m.destination == "/sys")
            .unwrap();
        assert!(sys.options.contains(&"rw".to_string()));
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
        let b = spec.process.capabilities.unwrap().bounding.unwrap();
        assert!(b.contains(&"CAP_SYS_ADMIN".into()) && !b.contains(&"CAP_NET_RAW".into()));
        assert!(spec.linux.seccomp.is_none());
        assert!(spec.root.readonly && spec.process.no_new_privileges);
        let hosts = spec
            .mounts
            .iter()
            .find(|m| m.destination == "/etc/hosts")
            .unwrap();
        assert_eq!(hosts.options, ["rbind", "ro", "rprivate"]);
        // A custom profile is converted with the container's caps.
        o.seccomp = SeccompMode::Profile(
            r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["CAP_SYS_ADMIN"]}}]}"#.into(),
        );
        assert!(build_spec(&o)
            .unwrap()
            .linux
            .seccomp
            .unwrap()
            .syscalls
            .is_empty());
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
        let r = build_spec(&o).unwrap().linux.resources.unwrap();
        assert_eq!(
            r.memory,
            Some(Memory {
                limit: Some(64 << 20),
                swap: Some(128 << 20)
            })
        );
        assert_eq!(
            r.cpu,
            Some(Cpu {
                shares: Some(512),
                quota: Some(150_000),
                period: Some(100_000)
            })
        );
        assert_eq!(r.pids, Some(Pids { limit: 100 }));
        o.memory_swap = Some(-1);
        assert_eq!(
            build_spec(&o)
                .unwrap()
                .linux
                .resources
                .unwrap()
                .memory
                .unwrap()
                .swap,
            Some(-1)
        );
        o.host.swap_accounting = false;
        o.memory_swap = None;
        assert_eq!(
            build_spec(&o)
                .unwrap()
                .linux
                .resources
                .unwrap()
                .memory
                .unwrap()
                .swap,
            None
        );
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
        assert!(build_spec(&o)
            .unwrap()
            .linux
            .resources
            .unwrap()
            .pids
            .is_none());
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
        let dests: Vec<&str> = spec.mounts.iter().map(|m| m.destination.as_str()).collect();
        assert_eq!(&dests[7..], ["/data", "/run", "/data/sub"]);
        let data = &spec.mounts[7];
        assert_eq!(
            (data.kind.as_str(), data.options.clone()),
            ("bind", s(&["rbind", "ro", "rprivate"]))
        );
        let run = &spec.mounts[8];
        assert_eq!(
            run.options,
            ["nosuid", "nodev", "rprivate", "exec", "size=10m"]
        );
        let shm = spec
            .mounts
            .iter()
            .find(|m| m.destination == "/dev/shm")
            .unwrap();
        assert!(shm.options.contains(&"size=1073741824".to_string()));
        // A user mount replaces a default at the same place.
        o.mounts = vec![UserMount::parse_tmpfs("/dev/shm:size=1m").unwrap()];
        let spec = build_spec(&o).unwrap();
        let shms: Vec<&Mount> = spec
            .mounts
            .iter()
            .filter(|m| m.destination == "/dev/shm")
            .collect();
        assert_eq!(shms.len(), 1);
        assert_eq!(shms[0].source, "tmpfs");
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
        assert_eq!(spec.linux.devices[0].path, "/dev/mynull");
        let rules = spec.linux.resources.unwrap().devices;
        assert_eq!(
            rules.last().unwrap(),
            &DeviceCgroup::rule(true, "c", Some(1), Some(3), "rw")
        );
        assert_eq!(
            spec.process.rlimits,
            [
                Rlimit {
                    kind: "RLIMIT_NOFILE".into(),
                    hard: 2048,
                    soft: 1024
                },
                Rlimit {
                    kind: "RLIMIT_NPROC".into(),
                    hard: u64::MAX,
                    soft: u64::MAX
                },
            ]
        );
        let net = spec
            .linux
            .namespaces
            .iter()
            .find(|n| n.kind == "network")
            .unwrap();
        assert_eq!(net.path.as_deref(), Some("/run/berth/netns/x"));
        o.network = NetNs::Host;
        assert!(matches!(build_spec(&o), Err(SpecError::SysctlHostNet(_))));
        o.sysctls.clear();
        let spec = build_spec(&o).unwrap();
        assert!(!spec.linux.namespaces.iter().any(|n| n.kind == "network"));
        o.sysctls.insert("kernel.hostname".into(), "x".into());
        assert_eq!(
            build_spec(&o).unwrap_err().to_string(),
            "sysctl 'kernel.hostname' is not allowed"
        );
        assert!(Ulimit::parse("nofile=10:5").is_err());
        assert!(Ulimit::parse("bogus=1").is_err());
        o.host.cgroup_v2 = true;
        o.sysctls.clear();
        assert!(build_spec(&o)
            .unwrap()
            .linux
            .namespaces
            .iter()
            .any(|n| n.kind == "cgroup"));
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
        assert_eq!(spec.process.args, ["/sbin/docker-init", "--", "sh"]);
        let m = spec
            .mounts
            .iter()
            .find(|m| m.destination == "/sbin/docker-init")
            .unwrap();
        assert_eq!(
            (m.source.as_str(), m.options.clone()),
            (bin.to_str().unwrap(), s(&["bind", "ro"]))
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
        let spec = build_spec(&o).unwrap();
        let e = ExecOptions {
            args: s(&["ls", "-l"]),
            env: s(&["A=2", "B=3"]),
            working_dir: Some("/tmp".into()),
            user: Some("www".into()),
            tty: true,
            privileged: false,
        };
        let p = exec_process(&spec, d.path(), &e, 40).unwrap();
        assert_eq!(p.args, ["ls", "-l"]);
        assert!(p.terminal);
        assert!(p.env.contains(&"A=2".to_string()) && p.env.contains(&"B=3".to_string()));
        assert!(p.env.contains(&"TERM=xterm".to_string()));
        assert_eq!((p.user.uid, p.user.gid, p.cwd.as_str()), (33, 33, "/tmp"));
        assert!(p.capabilities.as_ref().unwrap().effective.is_none());
        let root = ExecOptions {
            args: s(&["sh"]),
            privileged: true,
            ..Default::default()
        };
        let p = exec_process(&spec, d.path(), &root, 40).unwrap();
        assert_eq!(p.capabilities.unwrap().effective.unwrap().len(), 41);
        assert_eq!(p.cwd, "/");
        assert!(matches!(
            exec_process(&spec, d.path(), &ExecOptions::default(), 40),
            Err(SpecError::NoCommand)
        ));
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
            let container = build_spec(&with_env(opts(d.path()))).unwrap();
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
