//! Docker's `container inspect` JSON for a berth container, built from its
//! record, its persisted [`ContainerSpec`], the image config and the
//! snapshot. Field names, nesting and zero values follow Docker 24's API
//! (`State`, `HostConfig`, `GraphDriver`, `Mounts`, `Config`,
//! `NetworkSettings`) so `--format` templates written for docker work
//! unchanged; fields berth has no notion of carry Docker's zero values.
//! It reads the snapshot metadata but never changes anything.
//!
//! Known differences: `-v` and `--mount` are not
//! told apart, so every bind and named volume is listed in
//! `HostConfig.Binds` and every tmpfs in `HostConfig.Tmpfs`.

use super::lifecycle::{command_line, Host};
use super::spec::{ContainerSpec, LogDriver, MountKind, Seccomp};
use super::state::{Status, ZERO_TIME};
use crate::image::manifest::ImageConfig;
use crate::snapshot::{ContainerSnapshot, Driver};
use crate::store::containers::ContainerRow;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Docker's default `/dev/shm` size (64 MiB), reported when `--shm-size` is unset.
pub const DEFAULT_SHM_SIZE: u64 = 64 * 1024 * 1024;

/// Sizes for `inspect -s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Bytes the container wrote (its upper dir).
    pub rw: u64,
    /// `rw` plus the image's size.
    pub root_fs: u64,
}

/// What `inspect` shows about one container, beyond the record and config.
pub struct Facts<'a> {
    pub row: &'a ContainerRow,
    pub config: &'a ContainerSpec,
    pub image_config: Option<&'a ImageConfig>,
    /// None when the snapshot metadata is missing.
    pub snapshot: Option<&'a ContainerSnapshot>,
    pub sizes: Option<Sizes>,
    /// What the container holds on its networks right now (empty when it
    /// is not attached).
    pub network: &'a NetworkFacts,
}

/// A container's live network state, read from the store by the caller.
#[derive(Debug, Clone, Default)]
pub struct NetworkFacts {
    /// Each endpoint with its network (None if the network is gone).
    pub endpoints: Vec<(
        crate::store::networks::EndpointRow,
        Option<crate::network::store::Network>,
    )>,
    pub ports: Vec<crate::store::networks::PortRow>,
    /// `HostConfig.Links` as Docker shows its legacy links
    /// (`/<linked>:/<this>/<alias>`, current names; see [`legacy_links`]).
    pub links: Vec<String>,
}

/// Docker's `HostConfig.Links` of a container: its `--link`s when they are
/// legacy links (not on a user-defined network, moby's `registerLinks`),
/// `/<linked name>:/<its name>/<alias>` with the names of now; a linked
/// container since removed is left out, as moby's link index drops it.
pub fn legacy_links(
    store: &crate::store::Store,
    row: &ContainerRow,
    cfg: &ContainerSpec,
) -> anyhow::Result<Vec<String>> {
    use crate::container::spec::NetworkMode;
    let legacy = match &cfg.network {
        NetworkMode::Network(n) => n == crate::network::store::DEFAULT_NETWORK,
        _ => true,
    };
    let mut out = Vec::new();
    if !legacy {
        return Ok(out);
    }
    for l in &cfg.links {
        if let Some(child) = crate::store::containers::get(store.conn(), &l.container)? {
            out.push(format!("/{}:/{}/{}", child.name, row.name, l.alias));
        }
    }
    Ok(out)
}

impl NetworkFacts {
    /// Read a container's endpoints and published ports.
    pub fn load(store: &crate::store::Store, id: &str) -> anyhow::Result<NetworkFacts> {
        let mut endpoints = Vec::new();
        for e in crate::store::networks::endpoints_of_container(store.conn(), id)? {
            let net = crate::store::networks::get(store.conn(), &e.network_id)?
                .map(crate::network::store::Network::from_row)
                .transpose()?;
            endpoints.push((e, net));
        }
        Ok(NetworkFacts {
            endpoints,
            ports: crate::store::networks::ports_of_container(store.conn(), id)?,
            links: Vec::new(),
        })
    }
}

fn key(e: &str) -> &str {
    e.split_once('=').map(|(k, _)| k).unwrap_or(e)
}

/// `Config.Env` as the daemon stores it: the user's `-e` entries, then the
/// image's entries whose key the user did not set (runconfig.Merge).
/// Entries without `=` name unset variables and are dropped.
pub fn merged_env(image_env: &[String], user_env: &[String]) -> Vec<String> {
    let mut out: Vec<String> = user_env
        .iter()
        .filter(|e| e.contains('='))
        .cloned()
        .collect();
    for ie in image_env {
        if !user_env.iter().any(|u| key(u) == key(ie)) {
            out.push(ie.clone());
        }
    }
    out
}

/// Image labels overlaid with the container's (`--label` wins).
pub fn merged_labels(
    image_labels: Option<&BTreeMap<String, String>>,
    labels: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut out = image_labels.cloned().unwrap_or_default();
    out.extend(labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

fn time_or_zero(t: &str) -> &str {
    if t.is_empty() {
        ZERO_TIME
    } else {
        t
    }
}

fn list_or_null(v: &[String]) -> Value {
    if v.is_empty() {
        Value::Null
    } else {
        json!(v)
    }
}

/// One element of `container inspect`'s array.
pub fn inspect_json(host: &Host, f: &Facts<'_>) -> Value {
    let (row, cfg) = (f.row, f.config);
    let image = f.image_config.and_then(|c| c.config.as_ref());
    let argv = command_line(cfg, f.image_config);
    let (path, args) = match argv.split_first() {
        Some((p, a)) => (p.clone(), a.to_vec()),
        None => (String::new(), Vec::new()),
    };
    let bundle = host.bundle_dir(&row.id);
    let status = row.status;
    let mut m = Map::new();
    m.insert("Id".into(), json!(row.id));
    m.insert("Created".into(), json!(row.created_at));
    m.insert("Path".into(), json!(path));
    m.insert("Args".into(), json!(args));
    let mut state = state_json(row, status);
    if let Some(h) = health_json(host, f) {
        state["Health"] = h;
    }
    m.insert("State".into(), state);
    m.insert("Image".into(), json!(row.image_id));
    // A `container:` mode container uses the other one's files (Docker's
    // `initializeNetworkingPaths`).
    let etc_dir = match &cfg.network {
        crate::container::spec::NetworkMode::Container(id) => host.bundle_dir(id),
        _ => bundle.clone(),
    };
    for (k, file) in [
        ("ResolvConfPath", "resolv.conf"),
        ("HostnamePath", "hostname"),
        ("HostsPath", "hosts"),
    ] {
        m.insert(k.into(), json!(etc_dir.join(file).display().to_string()));
    }
    let log_path = if cfg.log.driver == LogDriver::None {
        String::new()
    } else {
        host.log_path(&row.id).display().to_string()
    };
    m.insert("LogPath".into(), json!(log_path));
    m.insert("Name".into(), json!(format!("/{}", row.name)));
    m.insert("RestartCount".into(), json!(row.restart_count));
    let driver = match f.snapshot.map(|s| s.driver) {
        Some(Driver::Copy) => "vfs",
        _ => "overlayfs",
    };
    m.insert("Driver".into(), json!(driver));
    m.insert("Platform".into(), json!("linux"));
    m.insert("MountLabel".into(), json!(""));
    m.insert("ProcessLabel".into(), json!(""));
    m.insert("AppArmorProfile".into(), json!(""));
    m.insert("ExecIDs".into(), Value::Null);
    let mut host_config = host_config_json(host, cfg);
    host_config["Links"] = list_or_null(&f.network.links);
    m.insert("HostConfig".into(), host_config);
    m.insert("GraphDriver".into(), graph_driver_json(f.snapshot, driver));
    if let Some(s) = f.sizes {
        m.insert("SizeRw".into(), json!(s.rw));
        m.insert("SizeRootFs".into(), json!(s.root_fs));
    }
    m.insert("Mounts".into(), mounts_json(host, cfg));
    // A `container:` mode container's names are the other one's from its
    // first start (`lifecycle::record_shared_names`).
    let mut config = config_json(row, cfg, image);
    if let Some(h) = super::lifecycle::healthcheck(cfg, f.image_config) {
        config["Healthcheck"] = json!(h);
    }
    m.insert("Config".into(), config);
    m.insert(
        "NetworkSettings".into(),
        network_json(host, row, cfg, f.network),
    );
    Value::Object(m)
}

/// Docker's `State.Health`: what the shim published, `starting` before
/// its first write; None without a healthcheck (or with `NONE`).
fn health_json(host: &Host, f: &Facts<'_>) -> Option<Value> {
    let hc = super::lifecycle::healthcheck(f.config, f.image_config)?;
    hc.resolve(Default::default(), 0, Default::default())?;
    let health = crate::shim::health::Health::read(&host.state_dir(&f.row.id));
    match health {
        Some(h) => Some(json!(h)),
        None if f.row.status.is_live() => Some(json!(crate::shim::health::Health::default())),
        None => None,
    }
}

fn state_json(row: &ContainerRow, status: Status) -> Value {
    json!({
        "Status": status.as_str(),
        // Docker counts a restart back-off as running.
        "Running": matches!(status, Status::Running | Status::Paused | Status::Restarting),
        "Paused": status == Status::Paused,
        "Restarting": status == Status::Restarting,
        "OOMKilled": row.oom_killed,
        "Dead": status == Status::Dead,
        "Pid": if status.is_live() { row.pid } else { 0 },
        "ExitCode": row.exit_code,
        "Error": row.error,
        "StartedAt": time_or_zero(&row.started_at),
        "FinishedAt": time_or_zero(&row.finished_at),
    })
}

/// Docker's `HostConfig.RestartPolicy`.
pub fn restart_policy_json(p: crate::shim::config::RestartPolicy) -> Value {
    use crate::shim::config::RestartPolicy as P;
    let (name, max) = match p {
        P::No => ("no", 0),
        P::Always => ("always", 0),
        P::UnlessStopped => ("unless-stopped", 0),
        P::OnFailure { max_retries } => ("on-failure", max_retries),
    };
    json!({"Name": name, "MaximumRetryCount": max})
}

fn host_config_json(host: &Host, cfg: &ContainerSpec) -> Value {
    let binds: Vec<String> = cfg
        .mounts
        .iter()
        .filter(|m| !m.inherited)
        .filter(|m| m.kind == MountKind::Bind || (m.kind == MountKind::Volume && !m.anonymous))
        .map(|m| {
            let mut s = format!("{}:{}", m.source, m.destination);
            if m.readonly {
                s.push_str(":ro");
            }
            s
        })
        .collect();
    let tmpfs: Map<String, Value> = cfg
        .mounts
        .iter()
        .filter(|m| m.kind == MountKind::Tmpfs)
        .map(|m| {
            (
                m.destination.clone(),
                json!(m.options.clone().unwrap_or_default()),
            )
        })
        .collect();
    let mut security = Vec::new();
    match &cfg.seccomp {
        Seccomp::Default => {}
        Seccomp::Unconfined => security.push("seccomp=unconfined".to_string()),
        Seccomp::Profile(profile) => security.push(format!("seccomp={profile}")),
    }
    if cfg.no_new_privileges {
        security.push("no-new-privileges".into());
    }
    let ulimits: Vec<Value> = cfg
        .ulimits
        .iter()
        .map(|u| json!({"Name": u.name, "Hard": u.hard, "Soft": u.soft}))
        .collect();
    let devices: Vec<Value> = cfg
        .devices
        .iter()
        .map(|d| {
            json!({
                "PathOnHost": d.host_path.display().to_string(),
                "PathInContainer": d.container_path,
                "CgroupPermissions": d.permissions,
            })
        })
        .collect();
    let extra_hosts: Vec<String> = cfg
        .extra_hosts
        .iter()
        .map(|(h, ip)| format!("{h}:{ip}"))
        .collect();
    let runtime = if cfg.runtime.is_empty() {
        host.default_runtime.clone()
    } else {
        cfg.runtime.clone()
    };
    let mut m = Map::new();
    m.insert("Binds".into(), list_or_null(&binds));
    m.insert("ContainerIDFile".into(), json!(""));
    m.insert(
        "LogConfig".into(),
        json!({"Type": cfg.log.driver.as_str(), "Config": cfg.log.opts()}),
    );
    m.insert("NetworkMode".into(), json!(cfg.network.name()));
    m.insert(
        "PortBindings".into(),
        crate::network::ports::port_bindings(&cfg.ports),
    );
    m.insert(
        "RestartPolicy".into(),
        restart_policy_json(cfg.restart_policy),
    );
    m.insert("AutoRemove".into(), json!(cfg.auto_remove));
    m.insert("VolumeDriver".into(), json!(""));
    m.insert("VolumesFrom".into(), list_or_null(&cfg.volumes_from));
    m.insert("ConsoleSize".into(), json!([0, 0]));
    m.insert("CapAdd".into(), list_or_null(&cfg.cap_add));
    m.insert("CapDrop".into(), list_or_null(&cfg.cap_drop));
    m.insert("CgroupnsMode".into(), json!("host"));
    m.insert("Dns".into(), json!(cfg.dns));
    m.insert("DnsOptions".into(), json!(cfg.dns_options));
    m.insert("DnsSearch".into(), json!(cfg.dns_search));
    m.insert("ExtraHosts".into(), list_or_null(&extra_hosts));
    m.insert("GroupAdd".into(), Value::Null);
    m.insert("IpcMode".into(), json!(cfg.ipc_mode.name()));
    m.insert("Cgroup".into(), json!(""));
    m.insert("Links".into(), Value::Null);
    m.insert("OomScoreAdj".into(), json!(cfg.limits.oom_score_adj));
    m.insert("PidMode".into(), json!(cfg.pid_mode.name()));
    m.insert("Privileged".into(), json!(cfg.privileged));
    m.insert("PublishAllPorts".into(), json!(false));
    m.insert("ReadonlyRootfs".into(), json!(cfg.read_only));
    m.insert("SecurityOpt".into(), list_or_null(&security));
    if !tmpfs.is_empty() {
        m.insert("Tmpfs".into(), Value::Object(tmpfs));
    }
    m.insert("UTSMode".into(), json!(""));
    m.insert("UsernsMode".into(), json!(""));
    m.insert(
        "ShmSize".into(),
        json!(cfg.shm_size.unwrap_or(DEFAULT_SHM_SIZE)),
    );
    if !cfg.sysctls.is_empty() {
        m.insert("Sysctls".into(), json!(cfg.sysctls));
    }
    m.insert("Runtime".into(), json!(runtime));
    m.insert("Isolation".into(), json!(""));
    m.insert("Memory".into(), json!(cfg.memory.unwrap_or(0)));
    m.insert("MemorySwap".into(), json!(cfg.memory_swap.unwrap_or(0)));
    m.insert("NanoCpus".into(), json!(cfg.nano_cpus.unwrap_or(0)));
    m.insert("CpuShares".into(), json!(cfg.cpu_shares.unwrap_or(0)));
    m.insert("CgroupParent".into(), json!(""));
    let lim = &cfg.limits;
    let weights: Vec<Value> = lim
        .blkio_weight_device
        .iter()
        .map(|d| json!({"Path": d.path, "Weight": d.weight}))
        .collect();
    let rates = |l: &[crate::runtime::limits::ThrottleDevice]| {
        Value::Array(
            l.iter()
                .map(|d| json!({"Path": d.path, "Rate": d.rate}))
                .collect(),
        )
    };
    m.insert("BlkioWeight".into(), json!(lim.blkio_weight));
    m.insert("BlkioWeightDevice".into(), Value::Array(weights));
    m.insert("BlkioDeviceReadBps".into(), rates(&lim.device_read_bps));
    m.insert("BlkioDeviceWriteBps".into(), rates(&lim.device_write_bps));
    m.insert("BlkioDeviceReadIOps".into(), rates(&lim.device_read_iops));
    m.insert("BlkioDeviceWriteIOps".into(), rates(&lim.device_write_iops));
    m.insert("CpuPeriod".into(), json!(lim.cpu_period));
    m.insert("CpuQuota".into(), json!(lim.cpu_quota));
    m.insert("CpuRealtimePeriod".into(), json!(0));
    m.insert("CpuRealtimeRuntime".into(), json!(0));
    m.insert("CpusetCpus".into(), json!(lim.cpuset_cpus));
    m.insert("CpusetMems".into(), json!(lim.cpuset_mems));
    m.insert(
        "Devices".into(),
        if devices.is_empty() {
            json!([])
        } else {
            json!(devices)
        },
    );
    m.insert("MemoryReservation".into(), json!(lim.memory_reservation));
    m.insert("MemorySwappiness".into(), json!(lim.memory_swappiness));
    m.insert("OomKillDisable".into(), json!(lim.oom_kill_disable));
    m.insert(
        "PidsLimit".into(),
        cfg.pids_limit.map(|p| json!(p)).unwrap_or(Value::Null),
    );
    m.insert(
        "Ulimits".into(),
        if ulimits.is_empty() {
            Value::Null
        } else {
            json!(ulimits)
        },
    );
    m.insert(
        "Init".into(),
        if cfg.init { json!(true) } else { Value::Null },
    );
    Value::Object(m)
}

fn graph_driver_json(snapshot: Option<&ContainerSnapshot>, driver: &str) -> Value {
    let data = match snapshot {
        Some(s) if s.driver == Driver::Overlay => {
            let lowers: Vec<String> = s.lowers.iter().map(|p| p.display().to_string()).collect();
            json!({
                "LowerDir": lowers.join(":"),
                "MergedDir": s.rootfs.display().to_string(),
                "UpperDir": s.upper.display().to_string(),
                "WorkDir": s.work.display().to_string(),
            })
        }
        _ => Value::Null,
    };
    json!({"Data": data, "Name": driver})
}

fn mounts_json(host: &Host, cfg: &ContainerSpec) -> Value {
    let mounts: Vec<Value> = cfg
        .mounts
        .iter()
        .map(|m| {
            let mode = if m.readonly { "ro" } else { "" };
            match m.kind {
                MountKind::Bind => json!({
                    "Type": "bind",
                    "Source": m.source,
                    "Destination": m.destination,
                    "Mode": mode,
                    "RW": !m.readonly,
                    "Propagation": m.options.clone().unwrap_or_else(|| "rprivate".into()),
                }),
                MountKind::Volume => json!({
                    "Type": "volume",
                    "Name": m.source,
                    "Source": crate::volume::path(&host.layout, &m.source).display().to_string(),
                    "Destination": m.destination,
                    "Driver": "local",
                    "Mode": mode,
                    "RW": !m.readonly,
                    "Propagation": "",
                }),
                MountKind::Tmpfs => json!({
                    "Type": "tmpfs",
                    "Source": "",
                    "Destination": m.destination,
                    "Mode": mode,
                    "RW": !m.readonly,
                    "Propagation": "",
                }),
            }
        })
        .collect();
    json!(mounts)
}

fn config_json(
    row: &ContainerRow,
    cfg: &ContainerSpec,
    image: Option<&crate::image::manifest::ContainerConfig>,
) -> Value {
    let image_env = image.and_then(|i| i.env.clone()).unwrap_or_default();
    let entrypoint: Option<Vec<String>> = match &cfg.entrypoint {
        Some(e) => Some(e.iter().filter(|s| !s.is_empty()).cloned().collect()),
        None => image.and_then(|i| i.entrypoint.clone()),
    };
    let cmd: Option<Vec<String>> = if !cfg.cmd.is_empty() {
        Some(cfg.cmd.clone())
    } else if cfg.entrypoint.is_none() {
        image.and_then(|i| i.cmd.clone())
    } else {
        None
    };
    let none_if_empty = |v: Option<Vec<String>>| v.filter(|v| !v.is_empty());
    let mut volumes: BTreeMap<String, Value> =
        image.and_then(|i| i.volumes.clone()).unwrap_or_default();
    for m in &cfg.mounts {
        if m.kind == MountKind::Volume && m.anonymous && !m.inherited {
            volumes.insert(m.destination.clone(), json!({}));
        }
    }
    let labels = merged_labels(image.and_then(|i| i.labels.as_ref()), &cfg.labels);
    let mut m = Map::new();
    m.insert(
        "Hostname".into(),
        json!(crate::container::lifecycle::own_hostname(row, cfg)),
    );
    m.insert(
        "Domainname".into(),
        json!(cfg.domainname.as_deref().unwrap_or("")),
    );
    m.insert(
        "User".into(),
        json!(cfg
            .user
            .clone()
            .or_else(|| image.and_then(|i| i.user.clone()))
            .unwrap_or_default()),
    );
    m.insert("AttachStdin".into(), json!(cfg.attach.stdin));
    m.insert("AttachStdout".into(), json!(cfg.attach.stdout));
    m.insert("AttachStderr".into(), json!(cfg.attach.stderr));
    let exposed: Map<String, Value> = cfg
        .exposed
        .iter()
        .map(|p| (p.clone(), json!({})))
        .chain(
            image
                .and_then(|i| i.exposed_ports.clone())
                .unwrap_or_default(),
        )
        .collect();
    if !exposed.is_empty() {
        m.insert("ExposedPorts".into(), Value::Object(exposed));
    }
    m.insert("Tty".into(), json!(cfg.tty));
    m.insert("OpenStdin".into(), json!(cfg.open_stdin));
    m.insert("StdinOnce".into(), json!(false));
    m.insert("Env".into(), json!(merged_env(&image_env, &cfg.env)));
    m.insert("Cmd".into(), json!(none_if_empty(cmd)));
    m.insert("Image".into(), json!(cfg.image));
    m.insert(
        "Volumes".into(),
        if volumes.is_empty() {
            Value::Null
        } else {
            json!(volumes)
        },
    );
    m.insert(
        "WorkingDir".into(),
        json!(cfg
            .working_dir
            .clone()
            .or_else(|| image.and_then(|i| i.working_dir.clone()))
            .unwrap_or_default()),
    );
    m.insert("Entrypoint".into(), json!(none_if_empty(entrypoint)));
    // `--mac-address`, as Docker keeps it here too (omitted when unset).
    if let Some(mac) = &cfg.mac_address {
        m.insert("MacAddress".into(), json!(mac));
    }
    m.insert(
        "OnBuild".into(),
        json!(image.and_then(|i| i.on_build.clone())),
    );
    m.insert("Labels".into(), json!(labels));
    if let Some(s) = cfg
        .stop_signal
        .as_ref()
        .map(|s| s.name().to_string())
        .or_else(|| image.and_then(|i| i.stop_signal.clone()))
    {
        m.insert("StopSignal".into(), json!(s));
    }
    if let Some(t) = cfg.stop_timeout {
        m.insert("StopTimeout".into(), json!(t));
    }
    Value::Object(m)
}

/// `NetworkSettings` as Docker shows it: `Ports` (exposed and published),
/// one `Networks.<name>` entry per network asked for (addresses filled while
/// the container is attached), and the top-level address fields of the
/// default `bridge` network.
fn network_json(host: &Host, row: &ContainerRow, cfg: &ContainerSpec, f: &NetworkFacts) -> Value {
    let split = |cidr: &str| -> (String, u8) {
        match cidr.split_once('/') {
            Some((ip, len)) => (ip.to_string(), len.parse().unwrap_or(0)),
            None => (cidr.to_string(), 0),
        }
    };
    let endpoint = |name: &str| -> Value {
        let found = f
            .endpoints
            .iter()
            .find(|(_, n)| n.as_ref().is_some_and(|n| n.name == name || n.id == name));
        let network_id = found
            .and_then(|(_, n)| n.as_ref().map(|n| n.id.clone()))
            .unwrap_or_default();
        let (e, _) = match found {
            Some(x) => x.clone(),
            None => (Default::default(), None),
        };
        let (ip, len) = split(&e.ip);
        let (ip6, len6) = split(&e.ipv6);
        let aliases = cfg.network_aliases.get(name).filter(|a| !a.is_empty());
        // Docker's DNSNames, on user networks while attached: name,
        // aliases, short ID, hostname, each once.
        let dns_names = (name != crate::network::store::DEFAULT_NETWORK
            && !e.endpoint_id.is_empty())
        .then(|| {
            let mut all = vec![row.name.trim_start_matches('/').to_string()];
            all.extend(aliases.into_iter().flatten().cloned());
            all.push(row.id.chars().take(12).collect());
            all.extend(cfg.hostname.clone());
            let mut seen = std::collections::BTreeSet::new();
            all.retain(|n| seen.insert(n.clone()));
            all
        });
        // Attached: the interface's; otherwise the one asked for (the
        // first network's `--mac-address`), as Docker shows it.
        let mac = if e.mac.is_empty() && cfg.cni_networks().first().is_some_and(|n| n == name) {
            cfg.mac_address.clone().unwrap_or_default()
        } else {
            e.mac.clone()
        };
        // --ip/--ip6 (of run, or of network connect).
        let mut ipam = serde_json::Map::new();
        for ip in cfg.ips_for(name) {
            let key = if ip.is_ipv4() {
                "IPv4Address"
            } else {
                "IPv6Address"
            };
            ipam.insert(key.into(), json!(ip.to_string()));
        }
        let ipam = if ipam.is_empty() {
            Value::Null
        } else {
            Value::Object(ipam)
        };
        // On a user network `--link` is the first endpoint's (Docker's
        // EndpointSettings.Links, as given).
        let links: Vec<String> = cfg
            .dns_links_for(name)
            .iter()
            .map(|l| match l.alias == l.container {
                true => l.container.clone(),
                false => format!("{}:{}", l.container, l.alias),
            })
            .collect();
        json!({
            "IPAMConfig": ipam,
            "Links": list_or_null(&links),
            "Aliases": aliases,
            "MacAddress": mac,
            "NetworkID": network_id,
            "EndpointID": e.endpoint_id,
            "Gateway": e.gateway,
            "IPAddress": ip,
            "IPPrefixLen": len,
            "IPv6Gateway": e.ipv6_gateway,
            "GlobalIPv6Address": ip6,
            "GlobalIPv6PrefixLen": len6,
            "DriverOpts": null,
            "GwPriority": cfg.gw_priority_for(name),
            "DNSNames": dns_names,
        })
    };
    let names: Vec<String> = match &cfg.network {
        crate::container::spec::NetworkMode::Network(_) => cfg.cni_networks(),
        crate::container::spec::NetworkMode::None | crate::container::spec::NetworkMode::Host => {
            vec![cfg.network.name()]
        }
        crate::container::spec::NetworkMode::Container(_) => Vec::new(),
    };
    let mut networks = Map::new();
    for n in &names {
        networks.insert(n.clone(), endpoint(n));
    }
    let attached = !f.endpoints.is_empty();
    let default = networks
        .get(crate::network::store::DEFAULT_NETWORK)
        .cloned()
        .unwrap_or(Value::Null);
    let top = |k: &str, zero: Value| default.get(k).cloned().unwrap_or(zero);
    json!({
        "Bridge": "",
        "SandboxID": if attached { row.id.clone() } else { String::new() },
        "SandboxKey": if attached {
            crate::network::netns::path(&host.net.netns_dir(), &row.id).display().to_string()
        } else {
            String::new()
        },
        // `{}` once stopped: moby's `releaseNetwork` drops the map and
        // inspect makes an empty one of it.
        "Ports": if row.status.shows_ports() {
            crate::network::ports::inspect_ports(&cfg.exposed, &f.ports)
        } else {
            json!({})
        },
        "HairpinMode": false,
        "LinkLocalIPv6Address": "",
        "LinkLocalIPv6PrefixLen": 0,
        "SecondaryIPAddresses": null,
        "SecondaryIPv6Addresses": null,
        "EndpointID": top("EndpointID", json!("")),
        "Gateway": top("Gateway", json!("")),
        "GlobalIPv6Address": top("GlobalIPv6Address", json!("")),
        "GlobalIPv6PrefixLen": top("GlobalIPv6PrefixLen", json!(0)),
        "IPAddress": top("IPAddress", json!("")),
        "IPPrefixLen": top("IPPrefixLen", json!(0)),
        "IPv6Gateway": top("IPv6Gateway", json!("")),
        "MacAddress": top("MacAddress", json!("")),
        "Networks": Value::Object(networks),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::spec::{MountSpec, NetworkMode};
    use crate::store::Layout;

    fn host() -> Host {
        Host::with_fakes(
            Layout::new("/data".into(), "/run/b".into()),
            crate::snapshot::Driver::Overlay,
        )
        .0
    }

    fn row(status: &str) -> ContainerRow {
        ContainerRow {
            id: "a".repeat(64),
            name: "web".into(),
            image_id: format!("sha256:{}", "b".repeat(64)),
            image_ref: "busybox".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            spec: "{}".into(),
            status: Status::parse(status).unwrap(),
            pid: 42,
            started_at: "2026-01-01T00:00:01Z".into(),
            ..Default::default()
        }
    }

    fn image() -> ImageConfig {
        serde_json::from_value(json!({
            "architecture": "amd64",
            "os": "linux",
            "config": {
                "Env": ["PATH=/bin", "A=image"],
                "Cmd": ["sh"],
                "WorkingDir": "/",
                "Labels": {"from": "image", "both": "image"}
            },
            "rootfs": {"type": "layers", "diff_ids": []}
        }))
        .unwrap()
    }

    #[test]
    fn env_and_labels_merge_like_the_daemon() {
        let env = merged_env(
            &["PATH=/bin".into(), "A=image".into()],
            &["A=user".into(), "B=2".into(), "UNSET".into()],
        );
        assert_eq!(env, ["A=user", "B=2", "PATH=/bin"]);
        let mut l = BTreeMap::new();
        l.insert("both".to_string(), "container".to_string());
        let img: BTreeMap<String, String> =
            [("both".into(), "image".into()), ("x".into(), "1".into())].into();
        let m = merged_labels(Some(&img), &l);
        assert_eq!(m["both"], "container");
        assert_eq!(m["x"], "1");
    }

    #[test]
    fn docker_shape() {
        let cfg = ContainerSpec {
            image: "busybox".into(),
            cmd: vec!["sleep".into(), "100".into()],
            env: vec!["B=2".into()],
            labels: [("both".to_string(), "c".to_string())].into(),
            mounts: vec![MountSpec {
                kind: MountKind::Volume,
                source: "vol".into(),
                destination: "/data".into(),
                readonly: true,
                options: None,
                anonymous: false,
                nocopy: false,
                inherited: false,
            }],
            pids_limit: Some(10),
            ..Default::default()
        };
        let r = row("paused");
        let ic = image();
        let v = inspect_json(
            &host(),
            &Facts {
                row: &r,
                config: &cfg,
                image_config: Some(&ic),
                snapshot: None,
                sizes: Some(Sizes { rw: 1, root_fs: 2 }),
                network: &NetworkFacts::default(),
            },
        );
        assert_eq!(v["Name"], "/web");
        assert_eq!(v["Path"], "sleep");
        assert_eq!(v["Args"], json!(["100"]));
        assert_eq!(v["State"]["Status"], "paused");
        assert_eq!(v["State"]["Running"], true);
        assert_eq!(v["State"]["Paused"], true);
        assert_eq!(v["State"]["Pid"], 42);
        assert_eq!(v["State"]["FinishedAt"], ZERO_TIME);
        assert_eq!(v["Config"]["Env"], json!(["B=2", "PATH=/bin", "A=image"]));
        assert_eq!(v["Config"]["Cmd"], json!(["sleep", "100"]));
        assert_eq!(v["Config"]["Entrypoint"], Value::Null);
        assert_eq!(v["Config"]["Hostname"], "aaaaaaaaaaaa");
        assert_eq!(v["Config"]["Labels"]["both"], "c");
        assert_eq!(v["Config"]["Labels"]["from"], "image");
        assert_eq!(v["HostConfig"]["RestartPolicy"]["Name"], "no");
        assert_eq!(v["HostConfig"]["Binds"], json!(["vol:/data:ro"]));
        assert_eq!(v["HostConfig"]["PidsLimit"], 10);
        assert_eq!(v["HostConfig"]["ShmSize"], DEFAULT_SHM_SIZE);
        assert_eq!(v["HostConfig"]["Runtime"], "runc");
        assert_eq!(v["Mounts"][0]["Source"], "/data/volumes/vol/_data");
        assert_eq!(v["Mounts"][0]["RW"], false);
        assert!(v["NetworkSettings"]["Networks"]["none"].is_object());
        assert_eq!(v["SizeRw"], 1);
        assert_eq!(
            v["LogPath"],
            format!("/data/containers/{0}/{0}-json.log", "a".repeat(64))
        );
        assert_eq!(v["GraphDriver"]["Name"], "overlayfs");
    }

    #[test]
    fn ports_only_while_running() {
        let cfg = ContainerSpec {
            image: "busybox".into(),
            exposed: vec!["53/udp".into(), "80/tcp".into()],
            ..Default::default()
        };
        let ic = image();
        let ports = |status: &str| {
            let r = row(status);
            inspect_json(
                &host(),
                &Facts {
                    row: &r,
                    config: &cfg,
                    image_config: Some(&ic),
                    snapshot: None,
                    sizes: None,
                    network: &NetworkFacts::default(),
                },
            )["NetworkSettings"]["Ports"]
                .clone()
        };
        let exposed = json!({"53/udp": null, "80/tcp": null});
        assert_eq!(ports("running"), exposed);
        assert_eq!(ports("paused"), exposed);
        for stopped in ["created", "exited", "restarting", "dead"] {
            assert_eq!(ports(stopped), json!({}), "{stopped}");
        }
    }

    #[test]
    fn entrypoint_override_drops_the_image_cmd() {
        let cfg = ContainerSpec {
            entrypoint: Some(vec!["echo".into()]),
            network: NetworkMode::Host,
            ..Default::default()
        };
        let r = row("exited");
        let ic = image();
        let v = inspect_json(
            &host(),
            &Facts {
                row: &r,
                config: &cfg,
                image_config: Some(&ic),
                snapshot: None,
                sizes: None,
                network: &NetworkFacts::default(),
            },
        );
        assert_eq!(v["Config"]["Entrypoint"], json!(["echo"]));
        assert_eq!(v["Config"]["Cmd"], Value::Null);
        assert_eq!(v["State"]["Pid"], 0);
        assert_eq!(v["State"]["Running"], false);
        assert!(v.get("SizeRw").is_none());
    }
}
