//! `berth info` / `berth system info [--format]`: Docker's `info` object
//! (its field names, so `{{.Driver}}`, `{{json .}}` and the like work) from
//! the store and the host, the human layout with its `Client:`/`Server:`
//! sections, and `WARNING:` lines on stderr for what `doctor` reports as
//! unsafe or broken (`host::checks`).

use crate::cli::system::InfoArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::host::{checks, facts, Check, Status};
use crate::store::containers::{self, Status as CStatus};
use anyhow::Result;
use serde_json::{json, Value};
use std::io::Write;

use super::version::{RuntimeInfo, DOCKER_COMPAT};
use super::{GIT_COMMIT, VERSION};

/// Runtimes berth knows by name; those found on this host are listed.
const KNOWN_RUNTIMES: &[&str] = &["runc", "crun", "youki"];

#[derive(Default)]
struct Counts {
    running: u64,
    paused: u64,
    stopped: u64,
}

fn count_containers(ctx: &Context) -> Result<Counts> {
    let (host, mut store) = ctx.container_store()?;
    let mut n = Counts::default();
    for row in containers::list(store.conn())? {
        if row.status.is_transient() {
            continue;
        }
        let mut c = lifecycle::Container::from_row(row)?;
        lifecycle::refresh(&host, &mut store, &mut c)?;
        match c.row.status {
            CStatus::Paused => n.paused += 1,
            CStatus::Running | CStatus::Restarting => n.running += 1,
            _ => n.stopped += 1,
        }
    }
    Ok(n)
}

/// The warnings `info` prints: the non-ok checks `docker info` would
/// also warn about, and the runtime's.
fn warnings(s: &crate::config::Settings) -> Vec<Check> {
    [
        checks::runtime(&s.runtime),
        checks::cni_plugins(&s.cni_path),
        checks::iptables(),
        checks::cgroups(),
        checks::seccomp(),
        checks::sysctls(),
        checks::disk_space(&s.data_root),
    ]
    .into_iter()
    .filter(|c| c.status != Status::Ok)
    .collect()
}

fn registry_config(ctx: &Context) -> Value {
    let s = &ctx.settings;
    let mirrors: Vec<String> = crate::image::registry::hosts::resolve_endpoints(
        "docker.io",
        &s.hosts_dir,
        &s.insecure_registries,
    )
    .unwrap_or_default()
    .into_iter()
    .filter(|e| e.mirror)
    .map(|e| format!("{}/", e.api.trim_end_matches("/v2")))
    .collect();
    let mut index = serde_json::Map::new();
    index.insert(
        "docker.io".into(),
        json!({"Name": "docker.io", "Mirrors": mirrors, "Secure": true, "Official": true}),
    );
    for h in &s.insecure_registries {
        index.insert(
            h.clone(),
            json!({"Name": h, "Mirrors": [], "Secure": false, "Official": false}),
        );
    }
    json!({
        "AllowNondistributableArtifactsCIDRs": null,
        "AllowNondistributableArtifactsHostnames": null,
        "InsecureRegistryCIDRs": ["127.0.0.0/8"],
        "IndexConfigs": index,
        "Mirrors": mirrors,
    })
}

/// The whole `info` object with Docker's field names.
fn info_value(ctx: &Context, warnings: &[Check]) -> Result<Value> {
    let s = &ctx.settings;
    let counts = count_containers(ctx)?;
    let images = crate::store::images::list(ctx.store()?.conn())?.len();
    let driver = crate::snapshot::choose_driver(&s.snapshotter, &s.data_root);
    let fs = facts::backing_fs(&s.data_root);
    let (driver_name, driver_status) = match driver {
        crate::snapshot::Driver::Overlay => {
            let dtype =
                facts::supports_d_type(&facts::existing_ancestor(&s.data_root)).unwrap_or(false);
            (
                "overlayfs",
                json!([
                    ["Backing Filesystem", fs],
                    ["Supports d_type", dtype.to_string()],
                ]),
            )
        }
        crate::snapshot::Driver::Copy => ("native", json!([["Backing Filesystem", fs]])),
    };
    let cg = facts::cgroups();
    let mut runtimes = serde_json::Map::new();
    let default_rt = RuntimeInfo::probe(&s.runtime);
    let mut names: Vec<String> = KNOWN_RUNTIMES.iter().map(|n| n.to_string()).collect();
    if !names.contains(&s.runtime) {
        names.push(s.runtime.clone());
    }
    for name in names {
        let rt = RuntimeInfo::probe(&name);
        if let Ok((path, _)) = &rt.found {
            runtimes.insert(
                name.clone(),
                json!({"path": path.display().to_string(), "version": rt.version_text()}),
            );
        }
    }
    let (ipt, fwd) = (
        facts::iptables().is_some(),
        facts::sysctl("net/ipv4/ip_forward").as_deref() == Some("1"),
    );
    let has = |c: &str| cg.controllers.iter().any(|x| x == c);
    let mut security = Vec::new();
    if facts::seccomp_supported() {
        security.push("name=seccomp,profile=builtin");
    }
    if cg.version == 2 {
        security.push("name=cgroupns");
    }
    let mut v = json!({
        "ID": "",
        "Containers": counts.running + counts.paused + counts.stopped,
        "ContainersRunning": counts.running,
        "ContainersPaused": counts.paused,
        "ContainersStopped": counts.stopped,
        "Images": images,
        "Driver": driver_name,
        "DriverStatus": driver_status,
        "Plugins": {
            "Volume": ["local"],
            "Network": ["bridge", "host", "ipvlan", "macvlan", "null"],
            "Authorization": null,
            "Log": ["json-file"],
        },
        "MemoryLimit": has("memory"),
        "SwapLimit": has("memory"),
        "CpuCfsPeriod": has("cpu"),
        "CpuCfsQuota": has("cpu"),
        "CPUShares": has("cpu"),
        "CPUSet": has("cpuset"),
        "PidsLimit": has("pids"),
        "IPv4Forwarding": fwd,
        "BridgeNfIptables": ipt,
        "BridgeNfIp6tables": ipt,
        "Debug": s.debug,
        "OomKillDisable": false,
        "SystemTime": chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, false),
        "LoggingDriver": "json-file",
        "CgroupDriver": "cgroupfs",
        "CgroupVersion": cg.version.to_string(),
        "KernelVersion": facts::kernel_version(),
        "OperatingSystem": facts::operating_system(),
        "OSVersion": facts::os_version(),
        "OSType": "linux",
        "Architecture": facts::architecture(),
        "IndexServerAddress": "https://index.docker.io/v1/",
        "RegistryConfig": registry_config(ctx),
    });
    let rest = json!({
        "NCPU": facts::ncpu(),
        "MemTotal": facts::mem_total(),
        "DockerRootDir": s.data_root.display().to_string(),
        "HttpProxy": std::env::var("HTTP_PROXY").or_else(|_| std::env::var("http_proxy")).unwrap_or_default(),
        "HttpsProxy": std::env::var("HTTPS_PROXY").or_else(|_| std::env::var("https_proxy")).unwrap_or_default(),
        "NoProxy": std::env::var("NO_PROXY").or_else(|_| std::env::var("no_proxy")).unwrap_or_default(),
        "Name": facts::hostname(),
        "Labels": [],
        "ExperimentalBuild": false,
        "ServerVersion": DOCKER_COMPAT,
        "Runtimes": runtimes,
        "DefaultRuntime": s.runtime,
        "Swarm": {"NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive", "ControlAvailable": false, "Error": "", "RemoteManagers": null},
        "LiveRestoreEnabled": true,
        "Isolation": "",
        "InitBinary": "",
        "ContainerdCommit": {"ID": ""},
        "RuncCommit": {"ID": default_rt.version_text()},
        "InitCommit": {"ID": ""},
        "SecurityOptions": security,
        "Warnings": warnings.iter().map(|w| format!("WARNING: {}", w.found)).collect::<Vec<_>>(),
        "ClientInfo": {
            "Debug": s.debug,
            "Version": VERSION,
            "GitCommit": GIT_COMMIT,
            "GoVersion": "",
            "Os": "linux",
            "Arch": super::go_arch(),
            "BuildTime": "",
            "Context": "default",
            "Plugins": [],
            "Warnings": null,
        },
    });
    if let (Some(v), Value::Object(rest)) = (v.as_object_mut(), rest) {
        v.extend(rest);
    }
    Ok(v)
}

fn str_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Docker's human layout of `info`.
fn write_human(out: &mut dyn Write, v: &Value) -> std::io::Result<()> {
    let c = &v["ClientInfo"];
    writeln!(out, "Client:")?;
    writeln!(out, " Version:    {}", str_of(&c["Version"]))?;
    writeln!(out, " Context:    {}", str_of(&c["Context"]))?;
    writeln!(out, " Debug Mode: {}", str_of(&c["Debug"]))?;
    writeln!(out)?;
    writeln!(out, "Server:")?;
    writeln!(out, " Containers: {}", v["Containers"])?;
    writeln!(out, "  Running: {}", v["ContainersRunning"])?;
    writeln!(out, "  Paused: {}", v["ContainersPaused"])?;
    writeln!(out, "  Stopped: {}", v["ContainersStopped"])?;
    writeln!(out, " Images: {}", v["Images"])?;
    writeln!(
        out,
        " Server Version: {} (berth {})",
        str_of(&v["ServerVersion"]),
        str_of(&c["Version"])
    )?;
    writeln!(out, " Storage Driver: {}", str_of(&v["Driver"]))?;
    for pair in v["DriverStatus"].as_array().into_iter().flatten() {
        writeln!(out, "  {}: {}", str_of(&pair[0]), str_of(&pair[1]))?;
    }
    writeln!(out, " Logging Driver: {}", str_of(&v["LoggingDriver"]))?;
    writeln!(out, " Cgroup Driver: {}", str_of(&v["CgroupDriver"]))?;
    writeln!(out, " Cgroup Version: {}", str_of(&v["CgroupVersion"]))?;
    writeln!(out, " Plugins:")?;
    for k in ["Volume", "Network", "Log"] {
        let names: Vec<String> = v["Plugins"][k]
            .as_array()
            .into_iter()
            .flatten()
            .map(str_of)
            .collect();
        writeln!(out, "  {k}: {}", names.join(" "))?;
    }
    writeln!(out, " Swarm: inactive")?;
    let rts: Vec<String> = v["Runtimes"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    writeln!(out, " Runtimes: {}", rts.join(" "))?;
    writeln!(out, " Default Runtime: {}", str_of(&v["DefaultRuntime"]))?;
    writeln!(out, " runc version: {}", str_of(&v["RuncCommit"]["ID"]))?;
    writeln!(out, " Security Options:")?;
    for o in v["SecurityOptions"].as_array().into_iter().flatten() {
        let o = str_of(o);
        let mut parts = o.split(',');
        let name = parts.next().unwrap_or_default().trim_start_matches("name=");
        writeln!(out, "  {name}")?;
        for p in parts {
            if let Some((k, val)) = p.split_once('=') {
                let mut k = k.to_string();
                k[..1].make_ascii_uppercase();
                writeln!(out, "   {k}: {val}")?;
            }
        }
    }
    writeln!(out, " Kernel Version: {}", str_of(&v["KernelVersion"]))?;
    writeln!(out, " Operating System: {}", str_of(&v["OperatingSystem"]))?;
    writeln!(out, " OSType: {}", str_of(&v["OSType"]))?;
    writeln!(out, " Architecture: {}", str_of(&v["Architecture"]))?;
    writeln!(out, " CPUs: {}", v["NCPU"])?;
    writeln!(
        out,
        " Total Memory: {}",
        crate::format::units::bytes_size(v["MemTotal"].as_u64().unwrap_or(0))
    )?;
    writeln!(out, " Name: {}", str_of(&v["Name"]))?;
    writeln!(out, " Docker Root Dir: {}", str_of(&v["DockerRootDir"]))?;
    writeln!(out, " Debug Mode: {}", str_of(&v["Debug"]))?;
    for (key, label) in [
        ("HttpProxy", "HTTP Proxy"),
        ("HttpsProxy", "HTTPS Proxy"),
        ("NoProxy", "No Proxy"),
    ] {
        let val = str_of(&v[key]);
        if !val.is_empty() {
            writeln!(out, " {label}: {val}")?;
        }
    }
    writeln!(out, " Experimental: false")?;
    writeln!(out, " Insecure Registries:")?;
    for (name, idx) in v["RegistryConfig"]["IndexConfigs"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if idx["Secure"] == false {
            writeln!(out, "  {name}")?;
        }
    }
    for c in v["RegistryConfig"]["InsecureRegistryCIDRs"]
        .as_array()
        .into_iter()
        .flatten()
    {
        writeln!(out, "  {}", str_of(c))?;
    }
    let mirrors = v["RegistryConfig"]["Mirrors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !mirrors.is_empty() {
        writeln!(out, " Registry Mirrors:")?;
        for m in &mirrors {
            writeln!(out, "  {}", str_of(m))?;
        }
    }
    writeln!(out, " Live Restore Enabled: true")?;
    writeln!(out)?;
    Ok(())
}

pub fn run(ctx: &Context, args: InfoArgs, out: &mut dyn Write) -> Result<u8> {
    let warnings = warnings(&ctx.settings);
    let v = info_value(ctx, &warnings)?;
    match args.format.as_deref() {
        Some(f) => super::render_format(out, f, &v)?,
        None => {
            write_human(out, &v)?;
            out.flush()?;
            // Docker prints the warnings after the body, on stderr.
            for w in &warnings {
                eprintln!("WARNING: {}", w.found);
            }
        }
    }
    Ok(0)
}
