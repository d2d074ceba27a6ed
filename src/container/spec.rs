//! The persisted description of a container: every `create`/`run` option
//! after validation, as typed values, stored as versioned JSON in the
//! container record so `start`, `restart`, `stop` and `inspect` use exactly
//! what was validated at create time, without parsing it again.
//!
//! It owns the stored format and its compatibility: records written by a
//! berth before the format was versioned (option strings such as
//! `nofile=1024:2048`, `--network host`, `max-size=10m`) are converted when
//! read, and a record from a newer berth is refused rather than misread.
//! It never reads the store, the image or the runtime; `container::options`
//! builds a spec, `container::lifecycle` uses it.
//!
//! Text that Docker shows back as given (`Config.StopSignal`, the log
//! options in `HostConfig.LogConfig`) is kept as given next to its parsed
//! value. New fields (port mappings, restart policy, healthcheck) are added
//! with `#[serde(default)]` so the current version keeps reading.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The version [`ContainerSpec::to_json`] writes.
pub const SPEC_VERSION: u32 = 1;

/// Why a stored spec cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("decoding the container config: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "the container config has version {0}, newer than this berth understands ({SPEC_VERSION})"
    )]
    TooNew(u32),
    #[error("the container config holds an invalid {what}: {value}")]
    Legacy { what: &'static str, value: String },
}

/// One filesystem mount of a container, resolved at create time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountSpec {
    pub kind: MountKind,
    /// Host path for binds, volume name for volumes, empty for tmpfs.
    pub source: String,
    /// Absolute path inside the container.
    pub destination: String,
    pub readonly: bool,
    /// tmpfs options (`size=64m,mode=1777`) or bind propagation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
    /// For volumes: anonymous (`-v /data`, image `VOLUME`), removed by `rm -v`.
    #[serde(default)]
    pub anonymous: bool,
    /// For volumes: do not seed from the image (`--mount volume-nocopy`).
    #[serde(default)]
    pub nocopy: bool,
    /// Brought by `--volumes-from` (in `Mounts`, not in `HostConfig.Binds`
    /// nor `Config.Volumes`; the volume stays the donor's).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
}

impl MountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MountKind::Bind => "bind",
            MountKind::Volume => "volume",
            MountKind::Tmpfs => "tmpfs",
        }
    }
}

/// Docker's `Config.AttachStdin/Stdout/Stderr`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachStreams {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
}

/// `--pid`: Docker's `HostConfig.PidMode` text (empty for a private
/// namespace, `host`, or `container:<name|id>` as given).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PidMode {
    #[default]
    Private,
    Host,
    /// Another container's namespace, named as the user gave it (resolved
    /// at each start, as moby's `getPIDContainer`).
    Container(String),
}

impl PidMode {
    /// What the CLI accepts (moby's `PidMode.Valid`).
    pub fn parse(s: &str) -> Option<PidMode> {
        match s {
            "" => Some(PidMode::Private),
            "host" => Some(PidMode::Host),
            s => container_target(s).map(PidMode::Container),
        }
    }

    pub fn name(&self) -> String {
        match self {
            PidMode::Private => String::new(),
            PidMode::Host => "host".into(),
            PidMode::Container(c) => format!("container:{c}"),
        }
    }
}

impl TryFrom<String> for PidMode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        PidMode::parse(&s).ok_or_else(|| format!("invalid PID mode {s:?}"))
    }
}

impl From<PidMode> for String {
    fn from(m: PidMode) -> String {
        m.name()
    }
}

/// `--ipc`: Docker's `HostConfig.IpcMode` text. `private` is the daemon's
/// default since Docker 20.10 (what inspect shows when `--ipc` is not
/// given); only `shareable` and `host` containers can be joined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum IpcMode {
    #[default]
    Private,
    Shareable,
    Host,
    /// A private namespace without a `/dev/shm` mount.
    None,
    /// Another container's namespace and `/dev/shm`, named as given.
    Container(String),
}

impl IpcMode {
    /// What the CLI accepts (moby's `IpcMode.Valid`); empty is the default.
    pub fn parse(s: &str) -> Option<IpcMode> {
        match s {
            "" | "private" => Some(IpcMode::Private),
            "shareable" => Some(IpcMode::Shareable),
            "host" => Some(IpcMode::Host),
            "none" => Some(IpcMode::None),
            s => container_target(s).map(IpcMode::Container),
        }
    }

    pub fn name(&self) -> String {
        match self {
            IpcMode::Private => "private".into(),
            IpcMode::Shareable => "shareable".into(),
            IpcMode::Host => "host".into(),
            IpcMode::None => "none".into(),
            IpcMode::Container(c) => format!("container:{c}"),
        }
    }

    /// Whether another container may join this one's namespace (moby
    /// checks that the donor has a shm directory: `shareable`, `host`, or
    /// one it shares itself).
    pub fn shareable(&self) -> bool {
        matches!(
            self,
            IpcMode::Shareable | IpcMode::Host | IpcMode::Container(_)
        )
    }
}

impl TryFrom<String> for IpcMode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        IpcMode::parse(&s).ok_or_else(|| format!("invalid IPC mode {s:?}"))
    }
}

impl From<IpcMode> for String {
    fn from(m: IpcMode) -> String {
        m.name()
    }
}

/// The `x` of `container:x` (non-empty).
fn container_target(s: &str) -> Option<String> {
    s.strip_prefix("container:")
        .filter(|c| !c.is_empty())
        .map(str::to_string)
}

/// `--network`: which network namespace the container gets. Stored as
/// Docker's `HostConfig.NetworkMode` text (`none`, `host`, `bridge`,
/// `container:<id>`, or a network's name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum NetworkMode {
    /// A private namespace with only `lo`.
    #[default]
    None,
    /// The host's namespace.
    Host,
    /// Another container's namespace (`container:<name|id>`, stored with
    /// the ID resolved at create).
    Container(String),
    /// CNI networks: the first one named here (`bridge` for the default
    /// network), more in `ContainerSpec::extra_networks`.
    Network(String),
}

impl NetworkMode {
    pub fn name(&self) -> String {
        match self {
            NetworkMode::None => "none".into(),
            NetworkMode::Host => "host".into(),
            NetworkMode::Container(id) => format!("container:{id}"),
            NetworkMode::Network(n) => n.clone(),
        }
    }

    /// The stored text back to a mode (what `--network` accepts is checked
    /// by `container::options`, with Docker's messages).
    pub fn from_name(s: &str) -> Option<NetworkMode> {
        match s {
            "" => None,
            "none" => Some(NetworkMode::None),
            "host" => Some(NetworkMode::Host),
            s => match s.strip_prefix("container:") {
                Some("") => None,
                Some(c) => Some(NetworkMode::Container(c.to_string())),
                None => Some(NetworkMode::Network(s.to_string())),
            },
        }
    }

    /// Whether the container joins CNI networks (gets its own netns pinned
    /// by berth).
    pub fn uses_cni(&self) -> bool {
        matches!(self, NetworkMode::Network(_))
    }
}

impl TryFrom<String> for NetworkMode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        NetworkMode::from_name(&s).ok_or_else(|| format!("invalid network mode {s:?}"))
    }
}

impl From<NetworkMode> for String {
    fn from(m: NetworkMode) -> String {
        m.name()
    }
}

/// A signal as the user named it (`SIGTERM`, `term`, `15`, `RTMIN+3`),
/// with its number on this host. Stored as the name: numbers differ
/// between architectures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Signal {
    name: String,
    number: i32,
}

impl Signal {
    pub fn parse(s: &str) -> Result<Signal, String> {
        let number = crate::sys::signal::parse_signal(s)?;
        Ok(Signal {
            name: s.to_string(),
            number,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn number(&self) -> i32 {
        self.number
    }
}

impl TryFrom<String> for Signal {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Signal::parse(&s)
    }
}

impl From<Signal> for String {
    fn from(s: Signal) -> String {
        s.name
    }
}

/// `--security-opt seccomp=...`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Seccomp {
    /// Docker's default profile.
    #[default]
    Default,
    /// `seccomp=unconfined`.
    Unconfined,
    /// A Docker-format profile's JSON text, read at create time.
    Profile(String),
}

/// One `--ulimit name=soft[:hard]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ulimit {
    /// Docker's short name: `nofile`, `nproc`, `core`, ...
    pub name: String,
    /// -1 is unlimited.
    pub soft: i64,
    pub hard: i64,
}

/// One `--device host[:container][:perms]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceMapping {
    pub host_path: PathBuf,
    pub container_path: String,
    /// Cgroup access: a combination of `r`, `w`, `m`.
    pub permissions: String,
}

/// `--log-driver`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogDriver {
    #[default]
    JsonFile,
    None,
}

impl LogDriver {
    pub fn as_str(self) -> &'static str {
        match self {
            LogDriver::JsonFile => "json-file",
            LogDriver::None => "none",
        }
    }

    pub fn from_name(s: &str) -> Option<LogDriver> {
        match s {
            "json-file" => Some(LogDriver::JsonFile),
            "none" => Some(LogDriver::None),
            _ => None,
        }
    }
}

/// A size option as given (`10m`) and in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeOpt {
    pub given: String,
    pub bytes: u64,
}

/// `--log-driver` and `--log-opt`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogConfig {
    pub driver: LogDriver,
    /// `max-size`: rotate the json-file log past this size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<SizeOpt>,
    /// `max-file`: how many files rotation keeps (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_file: Option<u32>,
}

impl LogConfig {
    /// The options as Docker shows them (`HostConfig.LogConfig.Config`).
    pub fn opts(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        if let Some(s) = &self.max_size {
            m.insert("max-size".to_string(), s.given.clone());
        }
        if let Some(n) = self.max_file {
            m.insert("max-file".to_string(), n.to_string());
        }
        m
    }
}

/// A container as validated at create time (see the module docs). Stored
/// with a `version` beside these fields (see [`ContainerSpec::to_json`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerSpec {
    /// The image as the user named it (Docker's `Config.Image`).
    pub image: String,
    /// `--entrypoint`: None keeps the image's; `Some([])` clears it.
    pub entrypoint: Option<Vec<String>>,
    /// Arguments after the image name.
    pub cmd: Vec<String>,
    /// `-e` and `--env-file` entries in order (`KEY=VALUE`, or `KEY` to unset).
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub tty: bool,
    pub open_stdin: bool,
    pub mounts: Vec<MountSpec>,
    pub read_only: bool,
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub seccomp: Seccomp,
    pub no_new_privileges: bool,
    pub shm_size: Option<u64>,
    pub ulimits: Vec<Ulimit>,
    pub sysctls: BTreeMap<String, String>,
    pub devices: Vec<DeviceMapping>,
    /// `--add-host` as (host, ip).
    pub extra_hosts: Vec<(String, String)>,
    pub memory: Option<i64>,
    /// `--memory-swap` in bytes (memory + swap; -1 unlimited).
    #[serde(default)]
    pub memory_swap: Option<i64>,
    pub nano_cpus: Option<i64>,
    /// `--cpu-shares`.
    #[serde(default)]
    pub cpu_shares: Option<i64>,
    pub pids_limit: Option<i64>,
    /// The other resource flags (`--cpuset-cpus`, `--blkio-weight`,
    /// `--oom-score-adj`, ...).
    #[serde(
        default,
        skip_serializing_if = "crate::runtime::limits::Limits::is_unset"
    )]
    pub limits: crate::runtime::limits::Limits,
    pub log: LogConfig,
    pub network: NetworkMode,
    /// Networks after the first `--network` (joined as eth1, eth2, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_networks: Vec<String>,
    /// Aliases per network (as named in `--network`): `--network-alias`
    /// for the first one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub network_aliases: BTreeMap<String, Vec<String>>,
    /// `-p` (and `-P`'s exposed ports, resolved at create).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<crate::network::ports::PortBinding>,
    /// `-P`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub publish_all: bool,
    /// `--expose` and the image's `EXPOSE`, as `80/tcp`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposed: Vec<String>,
    /// `--domainname`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domainname: Option<String>,
    /// `--mac-address` (lower-case, colon-separated): the first network's
    /// interface gets it (CNI `mac` capability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// `--ip`, `--ip6`: the addresses asked of the first network's IPAM
    /// (CNI `ips` capability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<std::net::Ipv4Addr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip6: Option<std::net::Ipv6Addr>,
    /// `network connect --ip/--ip6`: the addresses asked of the networks
    /// joined later (by network name; the first network's are `ip`/`ip6`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub network_ips: BTreeMap<String, Vec<std::net::IpAddr>>,
    /// `network disconnect` took the container off the first network of
    /// `network` (which stays its `HostConfig.NetworkMode`, as Docker's).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_network_left: bool,
    /// `--dns`: replaces the host's name servers in resolv.conf.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<std::net::IpAddr>,
    /// `--dns-search` (`.`: no search list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_search: Vec<String>,
    /// `--dns-option`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_options: Vec<String>,
    pub init: bool,
    pub stop_signal: Option<Signal>,
    pub stop_timeout: Option<i64>,
    /// `--rm`.
    pub auto_remove: bool,
    /// `--restart` (`update --restart` changes it).
    #[serde(default)]
    pub restart_policy: crate::shim::config::RestartPolicy,
    /// `--health-*` / `--no-healthcheck` (Docker's `HealthConfig`, merged
    /// over the image's when the container starts and in `inspect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<crate::shim::health::Healthcheck>,
    /// `--health-on-failure`.
    #[serde(
        default,
        skip_serializing_if = "crate::shim::health::OnFailure::is_none"
    )]
    pub health_on_failure: crate::shim::health::OnFailure,
    /// OCI runtime binary (`runc`, `crun`, or a path); empty: the default.
    pub runtime: String,
    /// `--platform` asked at create, if any.
    pub platform: Option<String>,
    /// The streams a foreground `run` or a `create` meant to attach.
    pub attach: AttachStreams,
    /// `--pid`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub pid_mode: PidMode,
    /// `--ipc` (records from before it are `private`, as they ran).
    #[serde(default, skip_serializing_if = "is_default")]
    pub ipc_mode: IpcMode,
    /// `--volumes-from` as given (the mounts it brought are in `mounts`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes_from: Vec<String>,
    /// `--link`: the linked container (its ID once created; as given on a
    /// user network, see `links_are_dns_aliases`) and the alias.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// `network connect --link`, per network (as the spec names it): the
    /// aliases of the container's endpoint there (see `dns_links_for`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub network_links: BTreeMap<String, Vec<Link>>,
    /// `network connect --gw-priority`, per network (as the spec names
    /// it; absent: 0), for `network::gateway`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub network_priorities: BTreeMap<String, i64>,
}

/// One `--link`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub container: String,
    pub alias: String,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// The stored form: the spec's fields and the format's version.
#[derive(Serialize)]
struct Versioned<'a> {
    version: u32,
    #[serde(flatten)]
    spec: &'a ContainerSpec,
}

impl ContainerSpec {
    /// Whether `--link` makes aliases of the first network's endpoint
    /// rather than legacy links: on a user network, where Docker's CLI
    /// moves the links into that endpoint's settings and the daemon makes
    /// them aliases its embedded DNS answers for this container only
    /// (`buildJoinOptions`: `CreateOptionAlias`; no `/etc/hosts` line, no
    /// link registered, the target need not exist).
    pub fn links_are_dns_aliases(&self) -> bool {
        matches!(&self.network, NetworkMode::Network(n) if n != crate::network::store::DEFAULT_NETWORK)
    }

    /// The link aliases of the container's endpoint on network `name` (as
    /// the spec names it): `--link` on a user first network, `network
    /// connect --link` on the one it was given for.
    pub fn dns_links_for(&self, name: &str) -> Vec<Link> {
        let first = matches!(&self.network, NetworkMode::Network(f) if f == name)
            && !self.first_network_left
            && self.links_are_dns_aliases();
        let run = if first {
            self.links.clone()
        } else {
            Vec::new()
        };
        run.into_iter()
            .chain(self.network_links.get(name).into_iter().flatten().cloned())
            .collect()
    }

    /// The CNI networks the container joins at its next start, in order
    /// (eth0, eth1, ...): the first `--network` unless disconnected from
    /// it, then the others and those `network connect` added.
    pub fn cni_networks(&self) -> Vec<String> {
        match &self.network {
            NetworkMode::Network(first) => (!self.first_network_left)
                .then(|| first.clone())
                .into_iter()
                .chain(self.extra_networks.iter().cloned())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The addresses asked of network `name` (as the spec names it).
    pub fn ips_for(&self, name: &str) -> Vec<std::net::IpAddr> {
        match &self.network {
            NetworkMode::Network(first) if first == name && !self.first_network_left => self
                .ip
                .map(std::net::IpAddr::V4)
                .into_iter()
                .chain(self.ip6.map(std::net::IpAddr::V6))
                .collect(),
            _ => self.network_ips.get(name).cloned().unwrap_or_default(),
        }
    }

    /// Add network `name` (not already in [`Self::cni_networks`]) with its
    /// addresses and aliases, as `network connect` stores it.
    pub fn join_network(
        &mut self,
        name: &str,
        ips: Vec<std::net::IpAddr>,
        aliases: Vec<String>,
        links: Vec<Link>,
    ) {
        let first = matches!(&self.network, NetworkMode::Network(f) if f == name);
        if first {
            self.first_network_left = false;
            self.ip = ips.iter().find_map(|ip| match ip {
                std::net::IpAddr::V4(v4) => Some(*v4),
                std::net::IpAddr::V6(_) => None,
            });
            self.ip6 = ips.iter().find_map(|ip| match ip {
                std::net::IpAddr::V6(v6) => Some(*v6),
                std::net::IpAddr::V4(_) => None,
            });
        } else {
            self.extra_networks.push(name.to_string());
            if !ips.is_empty() {
                self.network_ips.insert(name.to_string(), ips);
            }
        }
        if aliases.is_empty() {
            self.network_aliases.remove(name);
        } else {
            self.network_aliases.insert(name.to_string(), aliases);
        }
        if links.is_empty() {
            self.network_links.remove(name);
        } else {
            self.network_links.insert(name.to_string(), links);
        }
    }

    /// Drop network `name` (as the spec names it) with what was asked of
    /// it, as `network disconnect` does; false when it was not joined.
    pub fn leave_network(&mut self, name: &str) -> bool {
        let first = matches!(&self.network, NetworkMode::Network(f) if f == name);
        if first && !self.first_network_left {
            self.first_network_left = true;
            self.ip = None;
            self.ip6 = None;
            // Given to the first network's interface only.
            self.mac_address = None;
            // The endpoint's settings go with it (on the default bridge,
            // links are legacy ones, the container's own).
            if self.links_are_dns_aliases() {
                self.links.clear();
            }
        } else if let Some(at) = self.extra_networks.iter().position(|n| n == name) {
            self.extra_networks.remove(at);
            self.network_ips.remove(name);
        } else {
            return false;
        }
        self.network_aliases.remove(name);
        self.network_links.remove(name);
        self.network_priorities.remove(name);
        true
    }

    /// The gw-priority of network `name` (as the spec names it).
    pub fn gw_priority_for(&self, name: &str) -> i64 {
        self.network_priorities.get(name).copied().unwrap_or(0)
    }

    /// The stored form, at [`SPEC_VERSION`].
    pub fn to_json(&self) -> Result<String, SpecError> {
        Ok(serde_json::to_string(&Versioned {
            version: SPEC_VERSION,
            spec: self,
        })?)
    }

    /// Read a stored spec, converting a record from before versioning.
    pub fn from_json(json: &str) -> Result<ContainerSpec, SpecError> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v > u64::from(SPEC_VERSION) => Err(SpecError::TooNew(v as u32)),
            Some(_) => Ok(serde_json::from_value(value)?),
            None => serde_json::from_value::<legacy::Config>(value)?.upgrade(),
        }
    }
}

/// The unversioned format (berth before the spec had a version): options
/// kept as the strings the user gave.
mod legacy {
    use super::*;

    #[derive(Deserialize)]
    pub struct Config {
        image: String,
        entrypoint: Option<Vec<String>>,
        cmd: Vec<String>,
        env: Vec<String>,
        working_dir: Option<String>,
        user: Option<String>,
        hostname: Option<String>,
        labels: BTreeMap<String, String>,
        tty: bool,
        open_stdin: bool,
        mounts: Vec<MountSpec>,
        read_only: bool,
        privileged: bool,
        cap_add: Vec<String>,
        cap_drop: Vec<String>,
        seccomp: Option<String>,
        no_new_privileges: bool,
        shm_size: Option<u64>,
        ulimits: Vec<String>,
        sysctls: BTreeMap<String, String>,
        devices: Vec<String>,
        extra_hosts: Vec<(String, String)>,
        memory: Option<i64>,
        nano_cpus: Option<i64>,
        pids_limit: Option<i64>,
        log_driver: String,
        log_opts: BTreeMap<String, String>,
        network: String,
        init: bool,
        stop_signal: Option<String>,
        stop_timeout: Option<i64>,
        auto_remove: bool,
        runtime: String,
        platform: Option<String>,
        #[serde(default)]
        attach: AttachStreams,
    }

    fn bad(what: &'static str, value: &str) -> SpecError {
        SpecError::Legacy {
            what,
            value: value.to_string(),
        }
    }

    impl Config {
        pub fn upgrade(self) -> Result<ContainerSpec, SpecError> {
            let ulimits = self
                .ulimits
                .iter()
                .map(|u| {
                    crate::runtime::spec::Ulimit::parse(u)
                        .map(|u| Ulimit {
                            name: u.name,
                            soft: u.soft,
                            hard: u.hard,
                        })
                        .map_err(|_| bad("ulimit", u))
                })
                .collect::<Result<_, _>>()?;
            let devices = self
                .devices
                .iter()
                .map(|d| {
                    crate::runtime::devices::DeviceMapping::parse(d)
                        .map(|d| DeviceMapping {
                            host_path: d.host_path,
                            container_path: d.container_path,
                            permissions: d.permissions,
                        })
                        .map_err(|_| bad("device", d))
                })
                .collect::<Result<_, _>>()?;
            let mut log = LogConfig {
                driver: LogDriver::from_name(&self.log_driver)
                    .ok_or_else(|| bad("log driver", &self.log_driver))?,
                ..Default::default()
            };
            if let Some(s) = self.log_opts.get("max-size") {
                let bytes =
                    crate::format::units::parse_size(s).map_err(|_| bad("log max-size", s))?;
                log.max_size = Some(SizeOpt {
                    given: s.clone(),
                    bytes: bytes as u64,
                });
            }
            if let Some(s) = self.log_opts.get("max-file") {
                log.max_file = Some(s.parse().map_err(|_| bad("log max-file", s))?);
            }
            Ok(ContainerSpec {
                image: self.image,
                entrypoint: self.entrypoint,
                cmd: self.cmd,
                env: self.env,
                working_dir: self.working_dir,
                user: self.user,
                hostname: self.hostname,
                labels: self.labels,
                tty: self.tty,
                open_stdin: self.open_stdin,
                mounts: self.mounts,
                read_only: self.read_only,
                privileged: self.privileged,
                cap_add: self.cap_add,
                cap_drop: self.cap_drop,
                seccomp: match self.seccomp {
                    None => Seccomp::Default,
                    Some(s) if s == "unconfined" => Seccomp::Unconfined,
                    Some(profile) => Seccomp::Profile(profile),
                },
                no_new_privileges: self.no_new_privileges,
                shm_size: self.shm_size,
                ulimits,
                sysctls: self.sysctls,
                devices,
                extra_hosts: self.extra_hosts,
                memory: self.memory,
                memory_swap: None,
                nano_cpus: self.nano_cpus,
                cpu_shares: None,
                pids_limit: self.pids_limit,
                limits: Default::default(),
                log,
                // Unversioned records predate CNI networks.
                network: match self.network.as_str() {
                    "none" => NetworkMode::None,
                    "host" => NetworkMode::Host,
                    _ => return Err(bad("network", &self.network)),
                },
                extra_networks: Vec::new(),
                network_aliases: BTreeMap::new(),
                network_links: BTreeMap::new(),
                network_priorities: BTreeMap::new(),
                ports: Vec::new(),
                publish_all: false,
                exposed: Vec::new(),
                domainname: None,
                mac_address: None,
                ip: None,
                ip6: None,
                network_ips: BTreeMap::new(),
                first_network_left: false,
                dns: Vec::new(),
                dns_search: Vec::new(),
                dns_options: Vec::new(),
                init: self.init,
                stop_signal: self
                    .stop_signal
                    .map(|s| Signal::parse(&s).map_err(|_| bad("stop signal", &s)))
                    .transpose()?,
                stop_timeout: self.stop_timeout,
                auto_remove: self.auto_remove,
                restart_policy: Default::default(),
                healthcheck: None,
                health_on_failure: Default::default(),
                runtime: self.runtime,
                platform: self.platform,
                attach: self.attach,
                pid_mode: PidMode::Private,
                ipc_mode: IpcMode::Private,
                volumes_from: Vec::new(),
                links: Vec::new(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as the release before versioning wrote it.
    const OLD_ROW: &str = r#"{"image":"busybox","entrypoint":null,"cmd":["sleep","60"],
        "env":["A=1","UNSET"],"working_dir":null,"user":null,"hostname":"h",
        "labels":{"k":"v"},"tty":false,"open_stdin":true,
        "mounts":[{"kind":"tmpfs","source":"","destination":"/t","readonly":false,"options":"size=1m"}],
        "read_only":false,"privileged":false,"cap_add":[],"cap_drop":["NET_RAW"],
        "seccomp":"unconfined","no_new_privileges":true,"shm_size":null,
        "ulimits":["nofile=1024:2048"],"sysctls":{},"devices":["/dev/null:/dev/xnull:r"],
        "extra_hosts":[["db","10.0.0.5"]],"memory":null,"nano_cpus":null,"pids_limit":null,
        "log_driver":"json-file","log_opts":{"max-size":"1k","max-file":"2"},
        "network":"host","init":false,"stop_signal":"SIGUSR1","stop_timeout":3,
        "auto_remove":false,"runtime":"","platform":null}"#;

    #[test]
    fn pid_and_ipc_modes_read_as_docker_writes_them() {
        for (given, name) in [("", ""), ("host", "host"), ("container:db", "container:db")] {
            assert_eq!(PidMode::parse(given).unwrap().name(), name);
        }
        for bad in ["private", "container:", "bogus", "ns:/x"] {
            assert_eq!(PidMode::parse(bad), None, "{bad}");
        }
        for (given, name) in [
            ("", "private"),
            ("private", "private"),
            ("shareable", "shareable"),
            ("host", "host"),
            ("none", "none"),
            ("container:db", "container:db"),
        ] {
            assert_eq!(IpcMode::parse(given).unwrap().name(), name);
        }
        assert_eq!(IpcMode::parse("container:"), None);
        assert!(IpcMode::Shareable.shareable() && IpcMode::Host.shareable());
        assert!(!IpcMode::Private.shareable() && !IpcMode::None.shareable());
        // A record from before the fields reads as private, and the
        // defaults are not written.
        let s = ContainerSpec::from_json(OLD_ROW).unwrap();
        assert_eq!(
            (&s.pid_mode, &s.ipc_mode),
            (&PidMode::Private, &IpcMode::Private)
        );
        assert!(!s.to_json().unwrap().contains("pid_mode"));
        let shared = ContainerSpec {
            pid_mode: PidMode::Container("db".into()),
            ipc_mode: IpcMode::Shareable,
            ..s
        };
        let back = ContainerSpec::from_json(&shared.to_json().unwrap()).unwrap();
        assert_eq!(back.pid_mode, PidMode::Container("db".into()));
        assert_eq!(back.ipc_mode, IpcMode::Shareable);
    }

    #[test]
    fn an_unversioned_record_is_converted() {
        let s = ContainerSpec::from_json(OLD_ROW).unwrap();
        assert_eq!(s.env, ["A=1", "UNSET"]);
        assert_eq!(s.seccomp, Seccomp::Unconfined);
        assert_eq!(
            s.ulimits,
            [Ulimit {
                name: "nofile".into(),
                soft: 1024,
                hard: 2048
            }]
        );
        assert_eq!(s.devices[0].container_path, "/dev/xnull");
        assert_eq!(s.devices[0].permissions, "r");
        assert_eq!(s.log.driver, LogDriver::JsonFile);
        assert_eq!(s.log.max_size.as_ref().unwrap().bytes, 1024);
        assert_eq!(s.log.max_file, Some(2));
        assert_eq!(s.log.opts()["max-size"], "1k");
        assert_eq!(s.network, NetworkMode::Host);
        let sig = s.stop_signal.as_ref().unwrap();
        assert_eq!((sig.name(), sig.number()), ("SIGUSR1", libc::SIGUSR1));
        assert_eq!(s.attach, AttachStreams::default());
        // Written back in the current format, it reads the same.
        let json = s.to_json().unwrap();
        assert_eq!(ContainerSpec::from_json(&json).unwrap(), s);
        assert!(json.starts_with(r#"{"version":1,"#), "{json}");
        assert!(json.contains(r#""stop_signal":"SIGUSR1""#), "{json}");
    }

    #[test]
    fn bad_or_newer_records_are_refused() {
        let bad = OLD_ROW.replace("nofile=1024:2048", "nofile=x");
        assert!(matches!(
            ContainerSpec::from_json(&bad),
            Err(SpecError::Legacy { what: "ulimit", .. })
        ));
        let mut v: serde_json::Value = serde_json::from_str(
            &ContainerSpec::from_json(OLD_ROW)
                .unwrap()
                .to_json()
                .unwrap(),
        )
        .unwrap();
        v["version"] = 99.into();
        assert!(matches!(
            ContainerSpec::from_json(&v.to_string()),
            Err(SpecError::TooNew(99))
        ));
        v["version"] = 1.into();
        v["network"] = "container:".into();
        assert!(ContainerSpec::from_json(&v.to_string()).is_err());
    }

    #[test]
    fn connect_and_disconnect_change_the_networks_of_the_next_start() {
        let mut s = ContainerSpec::from_json(OLD_ROW).unwrap();
        s.network = NetworkMode::Network("front".into());
        s.extra_networks = vec!["mid".into()];
        s.ip = Some("10.0.0.5".parse().unwrap());
        s.mac_address = Some("02:00:00:00:00:01".into());
        s.network_aliases.insert("front".into(), vec!["f".into()]);
        assert_eq!(s.cni_networks(), ["front", "mid"]);
        assert_eq!(
            s.ips_for("front"),
            ["10.0.0.5".parse::<std::net::IpAddr>().unwrap()]
        );
        s.join_network(
            "back",
            vec!["10.9.0.7".parse().unwrap()],
            vec!["b".into()],
            Vec::new(),
        );
        assert_eq!(s.cni_networks(), ["front", "mid", "back"]);
        assert_eq!(
            s.ips_for("back"),
            ["10.9.0.7".parse::<std::net::IpAddr>().unwrap()]
        );
        assert_eq!(s.network_aliases["back"], ["b"]);
        assert!(s.leave_network("front"));
        assert!(!s.leave_network("front"));
        assert_eq!(s.cni_networks(), ["mid", "back"]);
        assert_eq!((s.ip, s.mac_address.as_deref()), (None, None));
        assert!(!s.network_aliases.contains_key("front"));
        // Still the container's HostConfig.NetworkMode, as Docker keeps it.
        assert_eq!(s.network, NetworkMode::Network("front".into()));
        assert!(s.leave_network("back"));
        assert!(s.ips_for("back").is_empty());
        s.join_network(
            "front",
            vec!["fd00::3".parse().unwrap()],
            Vec::new(),
            Vec::new(),
        );
        assert_eq!(s.cni_networks(), ["front", "mid"]);
        assert_eq!((s.ip, s.ip6), (None, Some("fd00::3".parse().unwrap())));
        let back = ContainerSpec::from_json(&s.to_json().unwrap()).unwrap();
        assert_eq!(back.cni_networks(), ["front", "mid"]);
    }
}
