//! Container options as plain values (no clap types): what `create`, `run`
//! and `exec` were asked for, validated once with Docker's rules and
//! messages into a [`ContainerSpec`], so every caller (a command, later
//! compose) shares one parser. It reads the files an option names
//! (`--env-file`, `--label-file`, a seccomp profile), the CLI's own
//! environment (`-e KEY`) and looks the OCI runtime binary up; it never
//! touches the store or runs anything.
//!
//! Docker behaviour followed:
//! - `-e KEY=VALUE` is kept as given; `-e KEY` takes the value of `KEY` in
//!   the CLI's environment, and when that is unset stays a bare `KEY`, which
//!   the container's process environment then lacks (docker-cli
//!   `opts.ValidateEnv`, moby `ReplaceOrAppendEnvValues`). Same for `exec`.
//! - `--env-file` lines: `#` comments and blank lines skipped, leading
//!   whitespace trimmed, `KEY=VALUE` passed through untrimmed, a bare `KEY`
//!   takes the CLI's value and is dropped when unset (docker-cli
//!   `ReadKVEnvStrings`).
//! - `-a/--attach STDIN|STDOUT|STDERR`: the streams a foreground `run` (or a
//!   later `start -a`) attaches; without `-a` stdout and stderr, and stdin
//!   with `-i` (docker-cli `parse`).

use super::mounts::{self, MountError};
use super::spec::{
    AttachStreams, ContainerSpec, DeviceMapping, IpcMode, Link, LogConfig, LogDriver, MountSpec,
    NetworkMode, PidMode, Seccomp, Signal, SizeOpt, Ulimit,
};
use crate::shim::config::RestartPolicy;
use crate::shim::health::{Healthcheck, OnFailure};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why an option was refused.
#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    /// The healthcheck flags (Docker's and podman's texts).
    #[error("{0}")]
    Health(String),
    #[error("invalid environment variable: {0}")]
    Env(String),
    #[error("variable '{0}' contains whitespaces")]
    EnvFileKey(String),
    #[error("open {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid label '{0}': empty name")]
    Label(String),
    #[error("Conflicting options: -a and -d")]
    AttachDetach,
    #[error(transparent)]
    Mount(#[from] MountError),
    #[error("opening seccomp profile ({path}) failed: {source}")]
    SeccompOpen {
        path: String,
        source: std::io::Error,
    },
    #[error("decoding seccomp profile {path} failed: {source}")]
    SeccompDecode {
        path: String,
        source: serde_json::Error,
    },
    #[error("security option {0:?} is not supported: this host has no AppArmor or SELinux policy for berth")]
    SecurityUnsupported(String),
    #[error("Invalid --security-opt: {0:?}")]
    SecurityOpt(String),
    #[error("invalid {flag}: {source}")]
    Size {
        flag: &'static str,
        source: crate::format::units::SizeError,
    },
    #[error("invalid --shm-size: must be greater than 0")]
    ShmSize,
    #[error(transparent)]
    Runtime(#[from] crate::runtime::spec::SpecError),
    #[error(transparent)]
    Device(#[from] crate::runtime::devices::DeviceError),
    #[error("invalid argument \"{0}\" for \"--sysctl\" flag: sysctl '{0}' is not allowed")]
    Sysctl(String),
    #[error("bad format for add-host: \"{0}\"")]
    AddHost(String),
    #[error("invalid IP address in add-host: \"{0}\"")]
    AddHostIp(String),
    #[error("logging driver {0:?} is not supported: use json-file or none")]
    LogDriver(String),
    #[error("invalid log opt format: {0}")]
    LogOptFormat(String),
    #[error("log opts are not supported by the none logging driver")]
    LogOptNone,
    #[error("invalid max-file: {0}")]
    MaxFile(String),
    #[error("invalid max-file: must be at least 1")]
    MaxFileZero,
    #[error("unknown log opt '{0}' for json-file log driver")]
    LogOpt(String),
    #[error(
        "conflicting options: cannot attach both user-defined and non-user-defined network-modes"
    )]
    NetworkModes,
    #[error("network-scoped alias is supported only for containers in user defined networks")]
    AliasNotUserNetwork,
    #[error("conflicting options: port publishing and the container type network mode")]
    PortsContainerNetwork,
    #[error("{0}")]
    Port(#[from] crate::network::ports::PortError),
    #[error("conflicting options: hostname and the network mode")]
    HostnameNetworkMode,
    #[error("conflicting options: custom host-to-IP mapping and the network mode")]
    AddHostContainerNetwork,
    #[error("conflicting options: port exposing and the container type network mode")]
    ExposeContainerNetwork,
    #[error("{0} is not a valid mac address")]
    MacAddress(String),
    #[error("conflicting options: mac-address and the network mode")]
    MacNetworkMode,
    #[error("invalid IPv4 address: {0}")]
    Ipv4(String),
    #[error("invalid IPv6 address: {0}")]
    Ipv6(String),
    #[error("user specified IP address is supported on user defined networks only")]
    IpNotUserNetwork,
    #[error(
        "invalid argument \"{0}\" for \"--dns\" flag: IP address is not correctly formatted: {0}"
    )]
    Dns(String),
    #[error("invalid argument \"{0}\" for \"--dns-search\" flag: {0} is not a valid domain")]
    DnsSearch(String),
    #[error("conflicting options: dns and the network mode")]
    DnsContainerNetwork,
    #[error("{0}")]
    Signal(String),
    #[error("{0}")]
    Platform(String),
    /// Docker's own wording (the CLI's format errors, the daemon's
    /// policy errors).
    #[error("{0}")]
    Restart(String),
    #[error("conflicting options: cannot specify both --restart and --rm")]
    RestartAutoRemove,
    #[error("--pid: invalid PID mode")]
    PidMode,
    #[error("--ipc: invalid IPC mode")]
    IpcMode,
    #[error("invalid argument \"{0}\" for \"--link\" flag: {1}")]
    Link(String, String),
    #[error("conflicting options: host type networking can't be used with links. This would result in undefined behavior")]
    LinksHostNetwork,
    #[error("conflicting options: container type network can't be used with links. This would result in undefined behavior")]
    LinksContainerNetwork,

    #[error(transparent)]
    Limits(#[from] crate::runtime::limits::LimitError),
    #[error(transparent)]
    RuntimeBinary(#[from] crate::runtime::runc::RuntimeError),
}

/// Everything `create`/`run` can be asked for besides the name and the
/// image pull policy, as given (see [`CreateOptions::validate`]).
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    pub image: String,
    pub command: Vec<String>,
    /// `--entrypoint`: `Some("")` clears the image's.
    pub entrypoint: Option<String>,
    pub env: Vec<String>,
    pub env_files: Vec<PathBuf>,
    pub labels: Vec<String>,
    pub label_files: Vec<PathBuf>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub tty: bool,
    pub interactive: bool,
    /// `-a`: the streams to attach.
    pub attach: Vec<Stream>,
    /// `run -d`: nothing is attached.
    pub detach: bool,
    pub volumes: Vec<String>,
    pub mounts: Vec<String>,
    pub tmpfs: Vec<String>,
    pub read_only: bool,
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub security_opt: Vec<String>,
    pub platform: Option<String>,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<i64>,
    pub init: bool,
    pub shm_size: Option<String>,
    /// `--pid`, `--ipc` as given.
    pub pid: Option<String>,
    pub ipc: Option<String>,
    /// `--volumes-from` as given (the donors' mounts are added by
    /// `cmd::container::create`, which reads the store).
    pub volumes_from: Vec<String>,
    /// `--link` as given (the containers are found by `cmd::container::create`).
    pub links: Vec<String>,
    pub ulimits: Vec<String>,
    pub sysctls: Vec<String>,
    pub devices: Vec<String>,
    pub add_hosts: Vec<String>,
    /// `--domainname`.
    pub domainname: Option<String>,
    /// `--mac-address`.
    pub mac_address: Option<String>,
    /// `--ip`, `--ip6`.
    pub ip: Option<String>,
    pub ip6: Option<String>,
    /// `--dns`, `--dns-search`, `--dns-option`.
    pub dns: Vec<String>,
    pub dns_search: Vec<String>,
    pub dns_options: Vec<String>,
    pub memory: Option<String>,
    /// `--memory-swap`: a size or `-1` (unlimited).
    pub memory_swap: Option<String>,
    pub cpus: Option<String>,
    /// `--cpu-shares`.
    pub cpu_shares: Option<i64>,
    pub pids_limit: Option<i64>,
    /// The other resource flags (`--cpuset-cpus`, `--blkio-weight`, ...).
    pub limits: crate::runtime::limits::LimitFlags,
    pub log_driver: String,
    pub log_opts: Vec<String>,
    /// `--network` in order; empty: the default network.
    pub networks: Vec<String>,
    /// `--network-alias`: aliases on the first network.
    pub network_aliases: Vec<String>,
    /// `-p`.
    pub publish: Vec<String>,
    /// `-P`.
    pub publish_all: bool,
    /// `--expose`.
    pub expose: Vec<String>,
    /// `--runtime`; None uses `default_runtime` of [`CreateOptions::validate`].
    pub runtime: Option<String>,
    /// `--restart` as given (empty: `no`).
    pub restart: String,
    /// `--health-*`, `--no-healthcheck`, `--health-on-failure`.
    pub health: HealthFlags,
    /// `--rm`.
    pub auto_remove: bool,
}

/// The healthcheck flags as given.
#[derive(Debug, Clone, Default)]
pub struct HealthFlags {
    pub cmd: Option<String>,
    pub interval: Option<String>,
    pub retries: Option<i64>,
    pub start_period: Option<String>,
    pub start_interval: Option<String>,
    pub timeout: Option<String>,
    pub none: bool,
    /// Empty: `none`.
    pub on_failure: String,
}

impl HealthFlags {
    /// Docker's checks and `HealthConfig` (CLI side, then the daemon's
    /// `validateHealthCheck`); None when no flag asks for anything.
    pub fn healthcheck(&self) -> Result<Option<Healthcheck>, OptionsError> {
        let dur = |flag: &str, v: &Option<String>| -> Result<i64, OptionsError> {
            let Some(v) = v else { return Ok(0) };
            let ns = crate::gotime::parse_duration(v).map_err(|e| {
                OptionsError::Health(format!(
                    "invalid argument \"{v}\" for \"--{flag}\" flag: {e}"
                ))
            })?;
            if ns < 0 {
                return Err(OptionsError::Health(format!("--{flag} cannot be negative")));
            }
            Ok(ns)
        };
        let interval = dur("health-interval", &self.interval)?;
        let timeout = dur("health-timeout", &self.timeout)?;
        let start_period = dur("health-start-period", &self.start_period)?;
        let start_interval = dur("health-start-interval", &self.start_interval)?;
        let retries = self.retries.unwrap_or(0);
        let cmd = self.cmd.clone().unwrap_or_default();
        let any = !cmd.is_empty()
            || interval != 0
            || timeout != 0
            || start_period != 0
            || retries != 0
            || start_interval != 0;
        if self.none {
            if any {
                return Err(OptionsError::Health(
                    "--no-healthcheck conflicts with --health-* options".into(),
                ));
            }
            return Ok(Some(Healthcheck {
                test: vec!["NONE".into()],
                ..Default::default()
            }));
        }
        if !any {
            return Ok(None);
        }
        if retries < 0 {
            return Err(OptionsError::Health(
                "--health-retries cannot be negative".into(),
            ));
        }
        let h = Healthcheck {
            test: if cmd.is_empty() {
                Vec::new()
            } else {
                vec!["CMD-SHELL".into(), cmd]
            },
            interval,
            timeout,
            start_period,
            start_interval,
            retries,
        };
        h.validate().map_err(OptionsError::Health)?;
        Ok(Some(h))
    }
}

impl CreateOptions {
    /// What `container:<x>` refuses, in moby's order
    /// (`runconfig.validateNetContainerMode`): the other container's UTS
    /// names, `/etc/hosts`, `resolv.conf` and ports are its own. Like moby,
    /// only `--dns` is refused of the resolver flags: `--dns-search` and
    /// `--dns-option` are kept (inspect's `HostConfig` shows them) and, the
    /// other container's `resolv.conf` being the one bind-mounted, change
    /// nothing.
    fn container_mode_conflicts(
        &self,
        ports: &[crate::network::ports::PortBinding],
        exposed: &[String],
    ) -> Result<(), OptionsError> {
        if self.hostname.as_deref().is_some_and(|h| !h.is_empty()) {
            return Err(OptionsError::HostnameNetworkMode);
        }
        if !self.links.is_empty() {
            return Err(OptionsError::LinksContainerNetwork);
        }
        if !self.dns.is_empty() {
            return Err(OptionsError::DnsContainerNetwork);
        }
        if !self.add_hosts.is_empty() {
            return Err(OptionsError::AddHostContainerNetwork);
        }
        if !ports.is_empty() || self.publish_all {
            return Err(OptionsError::PortsContainerNetwork);
        }
        if !exposed.is_empty() {
            return Err(OptionsError::ExposeContainerNetwork);
        }
        Ok(())
    }

    /// Check every option once and build the spec the store keeps (the
    /// mounts as the user gave them; the image's volumes are added by
    /// `mounts::resolve` once the image is known).
    pub fn validate(&self, default_runtime: &str) -> Result<ContainerSpec, OptionsError> {
        if self.detach && !self.attach.is_empty() {
            return Err(OptionsError::AttachDetach);
        }
        let restart_policy: RestartPolicy = self.restart.parse().map_err(OptionsError::Restart)?;
        let healthcheck = self.health.healthcheck()?;
        let health_on_failure: OnFailure = match self.health.on_failure.as_str() {
            "" => OnFailure::None,
            s => s.parse().map_err(OptionsError::Health)?,
        };
        if health_on_failure == OnFailure::Restart && restart_policy != RestartPolicy::No {
            return Err(OptionsError::Health(
                "conflicting options: cannot combine --health-on-failure restart with a --restart policy".into(),
            ));
        }
        if self.auto_remove && restart_policy != RestartPolicy::No {
            return Err(OptionsError::RestartAutoRemove);
        }
        let mut env = Vec::new();
        for f in &self.env_files {
            env.extend(read_env_file(f)?);
        }
        for e in &self.env {
            env.push(env_from_flag(e)?);
        }
        let mut labels = BTreeMap::new();
        for f in &self.label_files {
            for line in read_option_lines(f)? {
                let (k, v) = split_kv(&line);
                labels.insert(k, v);
            }
        }
        for l in &self.labels {
            let (k, v) = split_kv(l);
            if k.is_empty() {
                return Err(OptionsError::Label(l.clone()));
            }
            labels.insert(k, v);
        }
        let entrypoint = self.entrypoint.as_ref().map(|e| {
            if e.is_empty() {
                Vec::new()
            } else {
                vec![e.clone()]
            }
        });
        let mut user_mounts: Vec<MountSpec> = Vec::new();
        for v in &self.volumes {
            user_mounts.push(mounts::parse_volume_flag(v)?);
        }
        for m in &self.mounts {
            user_mounts.push(mounts::parse_mount_flag(m)?);
        }
        for t in &self.tmpfs {
            user_mounts.push(mounts::parse_tmpfs_flag(t)?);
        }
        let (seccomp, no_new_privileges) = security_options(&self.security_opt)?;
        let shm_size = match &self.shm_size {
            Some(s) => {
                let n = parse_size("--shm-size", s)?;
                if n <= 0 {
                    return Err(OptionsError::ShmSize);
                }
                Some(n as u64)
            }
            None => None,
        };
        let memory = self
            .memory
            .as_deref()
            .map(|m| parse_size("memory", m))
            .transpose()?;
        let memory_swap = match self.memory_swap.as_deref() {
            Some("-1") => Some(-1),
            Some(s) => Some(parse_size("memory-swap", s)?),
            None => None,
        };
        crate::runtime::spec::check_memory(memory, memory_swap)?;
        let nano_cpus = self
            .cpus
            .as_deref()
            .map(crate::runtime::spec::parse_cpus)
            .transpose()?;
        if let Some(n) = nano_cpus {
            crate::runtime::spec::check_cpus_range(n, crate::runtime::spec::host_ncpu())?;
        }
        let (limits, _) = self.limits.validate(
            memory,
            nano_cpus,
            &crate::runtime::limits::LimitHost::detect(),
        )?;
        let mut sysctls = BTreeMap::new();
        for s in &self.sysctls {
            let (k, v) = s
                .split_once('=')
                .ok_or_else(|| OptionsError::Sysctl(s.clone()))?;
            sysctls.insert(k.to_string(), v.to_string());
        }
        let ulimits = self
            .ulimits
            .iter()
            .map(|u| {
                crate::runtime::spec::Ulimit::parse(u).map(|u| Ulimit {
                    name: u.name,
                    soft: u.soft,
                    hard: u.hard,
                })
            })
            .collect::<Result<_, _>>()?;
        let devices = self
            .devices
            .iter()
            .map(|d| {
                crate::runtime::devices::DeviceMapping::parse(d).map(|d| DeviceMapping {
                    host_path: d.host_path,
                    container_path: d.container_path,
                    permissions: d.permissions,
                })
            })
            .collect::<Result<_, _>>()?;
        let mut extra_hosts = Vec::new();
        for h in &self.add_hosts {
            let (name, ip) = h
                .split_once([':', '='])
                .ok_or_else(|| OptionsError::AddHost(h.clone()))?;
            let ip = ip.trim_start_matches('[').trim_end_matches(']');
            if ip != crate::network::hosts::HOST_GATEWAY && ip.parse::<std::net::IpAddr>().is_err()
            {
                return Err(OptionsError::AddHostIp(ip.to_string()));
            }
            extra_hosts.push((name.to_string(), ip.to_string()));
        }
        let log = log_config(&self.log_driver, &self.log_opts)?;
        let (pid_mode, ipc_mode) = self.namespace_modes()?;
        let (network, extra_networks) = network_modes(&self.networks)?;
        let mut ports = Vec::new();
        for p in &self.publish {
            ports.extend(crate::network::ports::parse_publish(p)?);
        }
        let mut exposed = Vec::new();
        for e in &self.expose {
            for (port, proto) in crate::network::ports::parse_expose(e)? {
                exposed.push(format!("{port}/{proto}"));
            }
        }
        let links = self.parse_links(&network)?;
        if matches!(network, NetworkMode::Container(_)) {
            self.container_mode_conflicts(&ports, &exposed)?;
        }
        let ip = match self.ip.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(
                s.parse::<std::net::Ipv4Addr>()
                    .map_err(|_| OptionsError::Ipv4(s.to_string()))?,
            ),
        };
        let ip6 = match self.ip6.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(
                s.parse::<std::net::Ipv6Addr>()
                    .map_err(|_| OptionsError::Ipv6(s.to_string()))?,
            ),
        };
        let on_user_network = matches!(&network, NetworkMode::Network(first)
            if first != crate::network::store::DEFAULT_NETWORK);
        if (ip.is_some() || ip6.is_some()) && !on_user_network {
            return Err(OptionsError::IpNotUserNetwork);
        }
        let mac_address = match self.mac_address.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(m) => {
                let mac = parse_mac(m).ok_or_else(|| OptionsError::MacAddress(m.to_string()))?;
                // No CNI interface to give it to (host, none, container:).
                if !network.uses_cni() {
                    return Err(OptionsError::MacNetworkMode);
                }
                Some(mac)
            }
        };
        let dns = self
            .dns
            .iter()
            .map(|s| s.parse().map_err(|_| OptionsError::Dns(s.clone())))
            .collect::<Result<Vec<std::net::IpAddr>, _>>()?;
        let dns_search = self
            .dns_search
            .iter()
            .map(|s| dns_search_domain(s))
            .collect::<Result<Vec<_>, _>>()?;
        let network_aliases = match &network {
            _ if self.network_aliases.is_empty() => BTreeMap::new(),
            NetworkMode::Network(first) if first != crate::network::store::DEFAULT_NETWORK => {
                BTreeMap::from([(first.clone(), self.network_aliases.clone())])
            }
            _ => return Err(OptionsError::AliasNotUserNetwork),
        };
        let stop_signal = self
            .stop_signal
            .as_deref()
            .map(Signal::parse)
            .transpose()
            .map_err(OptionsError::Signal)?;
        if let Some(p) = &self.platform {
            crate::image::manifest::parse_platform(p).map_err(OptionsError::Platform)?;
        }
        crate::runtime::runc::find_binary(self.runtime.as_deref().unwrap_or(default_runtime))?;
        Ok(ContainerSpec {
            image: self.image.clone(),
            entrypoint,
            cmd: self.command.clone(),
            env,
            working_dir: self.workdir.clone(),
            user: self.user.clone(),
            hostname: self.hostname.clone(),
            labels,
            tty: self.tty,
            open_stdin: self.interactive,
            mounts: user_mounts,
            read_only: self.read_only,
            privileged: self.privileged,
            cap_add: self.cap_add.clone(),
            cap_drop: self.cap_drop.clone(),
            seccomp,
            no_new_privileges,
            shm_size,
            ulimits,
            sysctls,
            devices,
            extra_hosts,
            domainname: self.domainname.clone().filter(|d| !d.is_empty()),
            mac_address,
            ip,
            ip6,
            network_ips: BTreeMap::new(),
            first_network_left: false,
            dns,
            dns_search,
            dns_options: self.dns_options.clone(),
            memory,
            memory_swap,
            nano_cpus,
            cpu_shares: self.cpu_shares.filter(|s| *s != 0),
            pids_limit: self.pids_limit,
            limits,
            log,
            // Published ports apply only to CNI networks (with host networking
            // the command warns, as Docker does, and publishes nothing).
            ports: if network.uses_cni() {
                ports
            } else {
                Vec::new()
            },
            publish_all: self.publish_all && network.uses_cni(),
            exposed,
            network,
            extra_networks,
            network_aliases,
            network_links: BTreeMap::new(),
            network_priorities: BTreeMap::new(),
            init: self.init,
            stop_signal,
            stop_timeout: self.stop_timeout,
            auto_remove: self.auto_remove,
            restart_policy,
            healthcheck,
            health_on_failure,
            runtime: self.runtime.clone().unwrap_or_default(),
            platform: self.platform.clone(),
            attach: if self.detach {
                AttachStreams::default()
            } else {
                attach_streams(&self.attach, self.interactive)
            },
            pid_mode,
            ipc_mode,
            volumes_from: self.volumes_from.clone(),
            links,
        })
    }

    /// `--link name[:alias]` as the docker CLI parses it (`opts.ParseLink`)
    /// and moby's `validateNetMode` refuses it with host networking (with
    /// container networking, `container_mode_conflicts` does, in moby's
    /// order). Legacy links' names are resolved to IDs at create; on a
    /// user network a link is a name-server alias and stays as given.
    fn parse_links(&self, network: &NetworkMode) -> Result<Vec<Link>, OptionsError> {
        let mut links = Vec::new();
        for l in &self.links {
            let (name, alias) = parse_link(l).map_err(|e| OptionsError::Link(l.clone(), e))?;
            links.push(Link {
                container: name,
                alias,
            });
        }
        match network {
            _ if links.is_empty() => {}
            NetworkMode::Host => return Err(OptionsError::LinksHostNetwork),
            _ => {}
        }
        Ok(links)
    }

    /// `--pid` and `--ipc` as the docker CLI checks them (the containers
    /// they name are looked up at each start, as the daemon does), and
    /// `--volumes-from`'s syntax.
    fn namespace_modes(&self) -> Result<(PidMode, IpcMode), OptionsError> {
        let pid = PidMode::parse(self.pid.as_deref().unwrap_or("")).ok_or(OptionsError::PidMode)?;
        let ipc = IpcMode::parse(self.ipc.as_deref().unwrap_or("")).ok_or(OptionsError::IpcMode)?;
        for v in &self.volumes_from {
            mounts::parse_volumes_from(v)?;
        }
        Ok((pid, ipc))
    }
}

impl CreateOptions {
    /// moby's warnings about resource flags this host discards (or that
    /// are risky); empty when they are invalid (`validate` says why).
    pub fn limit_warnings(&self) -> Vec<String> {
        let memory = self
            .memory
            .as_deref()
            .and_then(|m| parse_size("memory", m).ok());
        let cpus = self
            .cpus
            .as_deref()
            .and_then(|c| crate::runtime::spec::parse_cpus(c).ok());
        self.limits
            .validate(memory, cpus, &crate::runtime::limits::LimitHost::detect())
            .map(|(_, w)| w)
            .unwrap_or_default()
    }
}

/// A `--dns-search` value as docker-cli checks it: `.` (no search list)
/// stays; a trailing dot is dropped; labels of letters, digits and inner
/// hyphens, at most 255 characters in all.
/// A 48-bit MAC address (`aa:bb:cc:dd:ee:ff` or `aa-bb-cc-dd-ee-ff`, any
/// case) in the lower-case colon form the CNI `mac` capability takes.
fn parse_mac(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split([':', '-']).collect();
    let ok = parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()));
    ok.then(|| parts.join(":").to_ascii_lowercase())
}

fn dns_search_domain(s: &str) -> Result<String, OptionsError> {
    if s == "." {
        return Ok(s.to_string());
    }
    let d = s.strip_suffix('.').unwrap_or(s);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if d.is_empty() || d.len() > 255 || !d.split('.').all(label_ok) {
        return Err(OptionsError::DnsSearch(s.to_string()));
    }
    Ok(d.to_string())
}

/// The network mode `create`/`run` use when no `--network` is given.
pub const DEFAULT_NETWORK_MODE: &str = "bridge";

/// moby's `opts.ParseLink`: `name`, `name:alias`, or the stored form
/// `/name:/linker/alias`.
pub fn parse_link(val: &str) -> Result<(String, String), String> {
    if val.is_empty() {
        return Err("empty string specified for links".into());
    }
    let parts: Vec<&str> = val.splitn(3, ':').collect();
    match parts[..] {
        [name] => Ok((name.to_string(), name.to_string())),
        [name, alias] => match name.strip_prefix('/') {
            Some(n) => Ok((
                n.to_string(),
                alias.rsplit('/').next().unwrap_or(alias).to_string(),
            )),
            None => Ok((name.to_string(), alias.to_string())),
        },
        _ => Err(format!("bad format for links: {val}")),
    }
}

/// `--network` values: `none`, `host` and `container:<x>` alone; otherwise
/// one or more CNI networks (`default` is Docker's alias of `bridge`).
fn network_modes(given: &[String]) -> Result<(NetworkMode, Vec<String>), OptionsError> {
    let mut names: Vec<String> = given
        .iter()
        .map(|n| {
            if n == "default" {
                "bridge".to_string()
            } else {
                n.clone()
            }
        })
        .collect();
    if names.is_empty() {
        names.push(DEFAULT_NETWORK_MODE.to_string());
    }
    names.dedup();
    let modes = names
        .iter()
        .map(|n| NetworkMode::from_name(n).ok_or(OptionsError::NetworkModes))
        .collect::<Result<Vec<_>, _>>()?;
    if modes.len() > 1 && modes.iter().any(|m| !m.uses_cni()) {
        return Err(OptionsError::NetworkModes);
    }
    let first = modes.into_iter().next().expect("at least one");
    Ok((first, names.into_iter().skip(1).collect()))
}

fn split_kv(s: &str) -> (String, String) {
    match s.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (s.to_string(), String::new()),
    }
}

fn parse_size(flag: &'static str, s: &str) -> Result<i64, OptionsError> {
    crate::format::units::parse_size(s).map_err(|source| OptionsError::Size { flag, source })
}

/// `--security-opt`: the seccomp profile and no-new-privileges.
fn security_options(opts: &[String]) -> Result<(Seccomp, bool), OptionsError> {
    let mut seccomp = Seccomp::Default;
    let mut no_new_privileges = false;
    for opt in opts {
        let (k, v) = match opt.split_once(['=', ':']) {
            Some((k, v)) => (k, Some(v)),
            None => (opt.as_str(), None),
        };
        match (k, v) {
            ("seccomp", Some("unconfined")) => seccomp = Seccomp::Unconfined,
            ("seccomp", Some(path)) => {
                let json =
                    std::fs::read_to_string(path).map_err(|source| OptionsError::SeccompOpen {
                        path: path.to_string(),
                        source,
                    })?;
                serde_json::from_str::<serde_json::Value>(&json).map_err(|source| {
                    OptionsError::SeccompDecode {
                        path: path.to_string(),
                        source,
                    }
                })?;
                seccomp = Seccomp::Profile(json);
            }
            ("no-new-privileges", None | Some("true")) => no_new_privileges = true,
            ("no-new-privileges", Some("false")) => no_new_privileges = false,
            ("apparmor" | "label", _) => {
                return Err(OptionsError::SecurityUnsupported(opt.clone()))
            }
            _ => return Err(OptionsError::SecurityOpt(opt.clone())),
        }
    }
    Ok((seccomp, no_new_privileges))
}

/// `--log-driver` and `--log-opt`.
pub fn log_config(driver: &str, opts: &[String]) -> Result<LogConfig, OptionsError> {
    let mut log = LogConfig {
        driver: LogDriver::from_name(driver)
            .ok_or_else(|| OptionsError::LogDriver(driver.to_string()))?,
        ..Default::default()
    };
    for o in opts {
        let (k, v) = o
            .split_once('=')
            .ok_or_else(|| OptionsError::LogOptFormat(o.clone()))?;
        if log.driver == LogDriver::None {
            return Err(OptionsError::LogOptNone);
        }
        match k {
            "max-size" => {
                let bytes = parse_size("max-size", v)?;
                log.max_size = Some(SizeOpt {
                    given: v.to_string(),
                    bytes: bytes as u64,
                });
            }
            "max-file" => {
                let n: u32 = v
                    .parse()
                    .map_err(|_| OptionsError::MaxFile(v.to_string()))?;
                if n == 0 {
                    return Err(OptionsError::MaxFileZero);
                }
                log.max_file = Some(n);
            }
            _ => return Err(OptionsError::LogOpt(k.to_string())),
        }
    }
    Ok(log)
}

/// One `-e` value with docker's semantics (see the module docs).
pub fn env_from_flag(e: &str) -> Result<String, OptionsError> {
    let (key, has_value) = match e.split_once('=') {
        Some((k, _)) => (k, true),
        None => (e, false),
    };
    if key.is_empty() {
        return Err(OptionsError::Env(e.to_string()));
    }
    if has_value {
        return Ok(e.to_string());
    }
    Ok(match std::env::var_os(key) {
        Some(v) => format!("{key}={}", v.to_string_lossy()),
        None => key.to_string(),
    })
}

/// The non-comment lines of a line-delimited option file (`--env-file`,
/// `--label-file`), leading whitespace trimmed.
pub fn read_option_lines(path: &Path) -> Result<Vec<String>, OptionsError> {
    let text = std::fs::read_to_string(path).map_err(|source| OptionsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(text
        .lines()
        .map(|l| l.trim_start().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect())
}

/// One `--env-file` (see the module docs).
pub fn read_env_file(path: &Path) -> Result<Vec<String>, OptionsError> {
    let mut out = Vec::new();
    for line in read_option_lines(path)? {
        let (key, has_value) = match line.split_once('=') {
            Some((k, _)) => (k, true),
            None => (line.as_str(), false),
        };
        if key.contains(char::is_whitespace) {
            return Err(OptionsError::EnvFileKey(key.to_string()));
        }
        if key.is_empty() {
            return Err(OptionsError::Env(line));
        }
        if has_value {
            out.push(line);
        } else if let Some(v) = std::env::var_os(key) {
            out.push(format!("{key}={}", v.to_string_lossy()));
        }
    }
    Ok(out)
}

/// One stream `-a/--attach` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdin,
    Stdout,
    Stderr,
}

/// Docker's `Config.AttachStdin/Stdout/Stderr` from `-a` and `-i`: the
/// streams given, plus stdin with `-i`; with no `-a`, stdout and stderr.
pub fn attach_streams(given: &[Stream], interactive: bool) -> AttachStreams {
    let has = |s| given.is_empty() || given.contains(&s);
    AttachStreams {
        stdin: interactive || (!given.is_empty() && given.contains(&Stream::Stdin)),
        stdout: has(Stream::Stdout),
        stderr: has(Stream::Stderr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_parse_as_docker_and_refuse_host_and_container_networking() {
        assert_eq!(parse_link("db").unwrap(), ("db".into(), "db".into()));
        assert_eq!(
            parse_link("db:alias").unwrap(),
            ("db".into(), "alias".into())
        );
        assert_eq!(
            parse_link("/db:/web/alias").unwrap(),
            ("db".into(), "alias".into())
        );
        assert_eq!(
            parse_link("a:b:c").unwrap_err(),
            "bad format for links: a:b:c"
        );
        assert_eq!(
            parse_link("").unwrap_err(),
            "empty string specified for links"
        );
        let with = |net: &str| CreateOptions {
            links: vec!["db".into()],
            networks: vec![net.into()],
            log_driver: "json-file".into(),
            ..Default::default()
        };
        assert!(matches!(
            with("host").validate("true"),
            Err(OptionsError::LinksHostNetwork)
        ));
        assert!(matches!(
            with("container:x").validate("true"),
            Err(OptionsError::LinksContainerNetwork)
        ));
        let s = with("bridge").validate("true").unwrap();
        assert_eq!(
            s.links,
            [Link {
                container: "db".into(),
                alias: "db".into()
            }]
        );
    }

    #[test]
    fn dns_search_domains_as_docker_cli_checks_them() {
        assert_eq!(dns_search_domain(".").unwrap(), ".");
        assert_eq!(dns_search_domain("a-b.example.").unwrap(), "a-b.example");
        for bad in ["", "bad_domain", "-a.example", "a..b", &"x".repeat(64)] {
            assert!(
                matches!(dns_search_domain(bad), Err(OptionsError::DnsSearch(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn env_flags_follow_docker() {
        assert_eq!(env_from_flag("A=1").unwrap(), "A=1");
        assert_eq!(env_from_flag("A=").unwrap(), "A=");
        assert_eq!(env_from_flag("A=b=c").unwrap(), "A=b=c");
        // Unset on the CLI's side: kept bare, which unsets it in the container.
        assert_eq!(
            env_from_flag("BERTH_SURELY_UNSET_VAR").unwrap(),
            "BERTH_SURELY_UNSET_VAR"
        );
        let path = std::env::var("PATH").unwrap();
        assert_eq!(env_from_flag("PATH").unwrap(), format!("PATH={path}"));
        assert!(env_from_flag("").is_err());
        assert_eq!(
            env_from_flag("=x").unwrap_err().to_string(),
            "invalid environment variable: =x"
        );
    }

    #[test]
    fn env_file_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("env");
        std::fs::write(
            &p,
            "# c\nA=1\n\n  B=two words \nBERTH_SURELY_UNSET_VAR\nPATH\n",
        )
        .unwrap();
        let path = std::env::var("PATH").unwrap();
        assert_eq!(
            read_env_file(&p).unwrap(),
            vec![
                "A=1".to_string(),
                "B=two words ".into(),
                format!("PATH={path}")
            ]
        );
        std::fs::write(&p, "BAD KEY=1\n").unwrap();
        assert_eq!(
            read_env_file(&p).unwrap_err().to_string(),
            "variable 'BAD KEY' contains whitespaces"
        );
        let missing = dir.path().join("missing");
        assert!(read_env_file(&missing)
            .unwrap_err()
            .to_string()
            .starts_with(&format!("open {}: ", missing.display())));
    }

    #[test]
    fn create_options_become_a_typed_spec() {
        let o = CreateOptions {
            image: "busybox".into(),
            ulimits: vec!["nofile=10:20".into()],
            devices: vec!["/dev/null:/dev/n:rw".into()],
            stop_signal: Some("usr1".into()),
            log_driver: "json-file".into(),
            log_opts: vec!["max-size=1k".into(), "max-file=3".into()],
            networks: vec!["host".into()],
            publish: vec!["8080:80".into()],
            security_opt: vec!["seccomp=unconfined".into(), "no-new-privileges".into()],
            attach: vec![Stream::Stderr],
            ..Default::default()
        };
        let s = o.validate("true").unwrap();
        assert_eq!((s.ulimits[0].soft, s.ulimits[0].hard), (10, 20));
        assert_eq!(s.devices[0].permissions, "rw");
        assert_eq!(s.stop_signal.as_ref().unwrap().number(), libc::SIGUSR1);
        assert_eq!(s.log.max_size.as_ref().unwrap().bytes, 1024);
        assert_eq!(s.log.max_file, Some(3));
        assert_eq!(s.network, NetworkMode::Host);
        assert!(s.ports.is_empty(), "host networking publishes nothing");
        assert_eq!(s.seccomp, Seccomp::Unconfined);
        assert!(s.no_new_privileges);
        assert!(s.attach.stderr && !s.attach.stdout);
        let detached = CreateOptions {
            detach: true,
            ..o.clone()
        };
        assert!(matches!(
            detached.validate("true"),
            Err(OptionsError::AttachDetach)
        ));
        let refuse = |o: CreateOptions| o.validate("true").unwrap_err().to_string();
        let base = CreateOptions {
            log_driver: "json-file".into(),
            networks: vec!["none".into()],
            ..Default::default()
        };
        assert_eq!(
            refuse(CreateOptions {
                networks: vec!["none".into(), "front".into()],
                ..base.clone()
            }),
            "conflicting options: cannot attach both user-defined and non-user-defined network-modes"
        );
        assert_eq!(
            refuse(CreateOptions {
                networks: vec!["container:web".into()],
                publish: vec!["80".into()],
                ..base.clone()
            }),
            "conflicting options: port publishing and the container type network mode"
        );
        // container: mode: moby's validateNetContainerMode, in its order.
        let shared = CreateOptions {
            networks: vec!["container:web".into()],
            ..base.clone()
        };
        for (o, want) in [
            (
                CreateOptions {
                    hostname: Some("h".into()),
                    add_hosts: vec!["a:1.2.3.4".into()],
                    ..shared.clone()
                },
                "conflicting options: hostname and the network mode",
            ),
            (
                CreateOptions {
                    links: vec!["db:alias".into()],
                    dns: vec!["1.1.1.1".into()],
                    ..shared.clone()
                },
                "conflicting options: container type network can't be used with links. This would result in undefined behavior",
            ),
            (
                CreateOptions {
                    dns: vec!["1.1.1.1".into()],
                    add_hosts: vec!["a:1.2.3.4".into()],
                    ..shared.clone()
                },
                "conflicting options: dns and the network mode",
            ),
            (
                CreateOptions {
                    add_hosts: vec!["a:1.2.3.4".into()],
                    publish: vec!["80".into()],
                    ..shared.clone()
                },
                "conflicting options: custom host-to-IP mapping and the network mode",
            ),
            (
                CreateOptions {
                    publish_all: true,
                    ..shared.clone()
                },
                "conflicting options: port publishing and the container type network mode",
            ),
            (
                CreateOptions {
                    expose: vec!["80".into()],
                    ..shared.clone()
                },
                "conflicting options: port exposing and the container type network mode",
            ),
            (
                CreateOptions {
                    mac_address: Some("02:42:ac:11:00:02".into()),
                    ..shared.clone()
                },
                "conflicting options: mac-address and the network mode",
            ),
        ] {
            assert_eq!(refuse(o), want);
        }
        assert!(shared.validate("true").is_ok());
        // Only --dns is refused: the search list and options are kept.
        let kept = CreateOptions {
            dns_search: vec!["example.org".into()],
            dns_options: vec!["ndots:2".into()],
            ..shared.clone()
        }
        .validate("true")
        .unwrap();
        assert_eq!(kept.dns_search, ["example.org"]);
        assert_eq!(kept.dns_options, ["ndots:2"]);
        assert_eq!(
            refuse(CreateOptions {
                networks: vec!["bridge".into()],
                publish: vec!["80/icmp".into()],
                ..base.clone()
            }),
            "invalid proto: icmp"
        );
        let s = CreateOptions {
            networks: vec!["default".into(), "front".into()],
            publish: vec!["127.0.0.1:8080:80".into()],
            expose: vec!["53/udp".into()],
            ..base.clone()
        }
        .validate("true")
        .unwrap();
        assert_eq!(s.network, NetworkMode::Network("bridge".into()));
        assert_eq!(s.extra_networks, ["front"]);
        assert_eq!(s.ports[0].host_port_start, 8080);
        assert_eq!(s.exposed, ["53/udp"]);
        assert_eq!(
            refuse(CreateOptions {
                mac_address: Some("02:42:ac:11:00".into()),
                ..base.clone()
            }),
            "02:42:ac:11:00 is not a valid mac address"
        );
        assert_eq!(
            refuse(CreateOptions {
                mac_address: Some("02:42:ac:11:00:02".into()),
                networks: vec!["host".into()],
                ..base.clone()
            }),
            "conflicting options: mac-address and the network mode"
        );
        let s = CreateOptions {
            mac_address: Some("02-42-AC-11-00-02".into()),
            networks: vec!["front".into()],
            ..base.clone()
        }
        .validate("true")
        .unwrap();
        assert_eq!(s.mac_address.as_deref(), Some("02:42:ac:11:00:02"));
        let s = CreateOptions {
            ip: Some("10.5.0.9".into()),
            ip6: Some("fd00::9".into()),
            networks: vec!["front".into()],
            ..base.clone()
        }
        .validate("true")
        .unwrap();
        assert_eq!(s.ip, Some("10.5.0.9".parse().unwrap()));
        assert_eq!(s.ip6, Some("fd00::9".parse().unwrap()));
        for (ip, ip6, nets, err) in [
            ("10.5.0", "", "front", "invalid IPv4 address: 10.5.0"),
            ("fd00::9", "", "front", "invalid IPv4 address: fd00::9"),
            ("", "10.5.0.9", "front", "invalid IPv6 address: 10.5.0.9"),
            (
                "10.5.0.9",
                "",
                "bridge",
                "user specified IP address is supported on user defined networks only",
            ),
            (
                "",
                "fd00::9",
                "host",
                "user specified IP address is supported on user defined networks only",
            ),
        ] {
            let o = CreateOptions {
                ip: Some(ip.into()),
                ip6: Some(ip6.into()),
                networks: vec![nets.into()],
                ..base.clone()
            };
            assert_eq!(refuse(o), err);
        }
        assert_eq!(
            refuse(CreateOptions {
                log_opts: vec!["max-file=0".into()],
                ..base.clone()
            }),
            "invalid max-file: must be at least 1"
        );
        assert_eq!(
            refuse(CreateOptions {
                stop_signal: Some("SIGNOPE".into()),
                ..base.clone()
            }),
            "Invalid signal: SIGNOPE"
        );
        assert!(refuse(CreateOptions {
            runtime: Some("berth-no-such-runtime".into()),
            ..base
        })
        .contains("not found"));
    }

    #[test]
    fn attach_streams_follow_docker() {
        use Stream::*;
        let a = attach_streams(&[], false);
        assert!(!a.stdin && a.stdout && a.stderr);
        let a = attach_streams(&[], true);
        assert!(a.stdin && a.stdout && a.stderr);
        let a = attach_streams(&[Stdout, Stderr], false);
        assert!(!a.stdin && a.stdout && a.stderr);
        let a = attach_streams(&[Stderr], true);
        assert!(a.stdin && !a.stdout && a.stderr);
        let a = attach_streams(&[Stdin], false);
        assert!(a.stdin && !a.stdout && !a.stderr);
    }
}
