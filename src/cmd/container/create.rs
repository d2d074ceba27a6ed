//! `berth create`, and the option validation `run` shares: parsed flags
//! become a checked [`ContainerConfig`]; the image is found locally or
//! pulled according to `--pull`.

use crate::cli::container::{CreateArgs, CreateCmdArgs, StreamArg};
use crate::cmd::context::Context;
use crate::container::config::{AttachStreams, ContainerConfig, MountSpec};
use crate::container::lifecycle::{self, CreateRequest};
use crate::container::mounts;
use crate::container::options::{self, Stream};
use crate::image::manifest::{host_platform, parse_platform, ImageConfig};
use crate::image::reference::Reference;
use crate::image::{lookup, read_config};
use crate::store::containers::ContainerRow;
use anyhow::{anyhow, bail, Context as _, Result};
use std::collections::BTreeMap;
use std::io::Write;

pub fn run(ctx: &Context, args: CreateCmdArgs) -> Result<u8> {
    let mut create = args.create;
    // Like `docker create`: the container is meant to be attached later.
    let attach = attach_streams(&create);
    let (row, _) = create_container(ctx, &mut create, args.rm, attach)?;
    println!("{}", row.id);
    Ok(0)
}

/// The streams `-a` and `-i` ask to attach (docker's `Config.Attach*`).
pub fn attach_streams(args: &CreateArgs) -> AttachStreams {
    let given: Vec<Stream> = args
        .attach
        .iter()
        .map(|s| match s {
            StreamArg::Stdin => Stream::Stdin,
            StreamArg::Stdout => Stream::Stdout,
            StreamArg::Stderr => Stream::Stderr,
        })
        .collect();
    options::attach_streams(&given, args.interactive)
}

/// Validate, resolve the image and create; shared with `run`.
pub fn create_container(
    ctx: &Context,
    args: &mut CreateArgs,
    rm: bool,
    attach: AttachStreams,
) -> Result<(ContainerRow, ImageConfig)> {
    let mut config = build_config(ctx, args)?;
    config.auto_remove = rm;
    config.attach = attach;
    let (image_id, image_config) = resolve_image(ctx, args)?;
    let image_volumes: Vec<String> = image_config
        .config
        .as_ref()
        .and_then(|c| c.volumes.as_ref())
        .map(|v| v.keys().cloned().collect())
        .unwrap_or_default();
    config.mounts = mounts::resolve(std::mem::take(&mut config.mounts), &image_volumes)?;
    mounts::name_anonymous_volumes(&mut config.mounts);
    mounts::prepare_bind_sources(&config.mounts)?;
    let (host, mut store) = ctx.container_store()?;
    let row = lifecycle::create(
        &host,
        &mut store,
        CreateRequest {
            name: args.name.clone(),
            image_id,
            image_config: image_config.clone(),
            config,
        },
    )?;
    if let Some(path) = &args.cidfile {
        write_cidfile(path, &row.id)?;
    }
    Ok((row, image_config))
}

/// Docker refuses to overwrite an existing cidfile.
fn write_cidfile(path: &std::path::Path, id: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow!(
                    "container ID file found, make sure the other container isn't running or delete {}",
                    path.display()
                )
            } else {
                anyhow!("failed to create the container ID file: {e}")
            }
        })?;
    f.write_all(id.as_bytes())?;
    Ok(())
}

/// Find the image, pulling it as `--pull` says. Pull progress goes to
/// stderr, as docker does for `run`.
pub fn resolve_image(ctx: &Context, args: &CreateArgs) -> Result<(String, ImageConfig)> {
    let policy = args.pull.as_str();
    if !matches!(policy, "always" | "missing" | "never") {
        bail!(
            "invalid pull option: '{policy}': must be one of \"always\", \"missing\" or \"never\""
        );
    }
    let store = ctx.store()?;
    let found = match lookup::find(store.conn(), &args.image) {
        Ok(rec) => Some(rec.id),
        Err(lookup::LookupError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    drop(store);
    let id = match (found, policy) {
        (Some(id), "missing" | "never") => id,
        (None, "never") => bail!("No such image: {}", args.image),
        (found, _) => {
            let reference = Reference::parse(&args.image)?;
            if found.is_none() {
                eprintln!("Unable to find image '{}' locally", reference.familiar());
            }
            let platform = match &args.platform {
                Some(p) => parse_platform(p).map_err(|e| anyhow!(e))?,
                None => host_platform(),
            };
            let opts = crate::image::pull::PullOptions {
                reference,
                platform,
                max_concurrent_downloads: ctx.settings.max_concurrent_downloads,
            };
            let progress = crate::image::progress::TextProgress::new(std::io::stderr());
            let mut store = ctx.store()?;
            crate::image::pull::pull_and_record(
                &mut store,
                ctx.registry()?,
                &opts,
                std::sync::Arc::new(progress),
            )?
            .config_digest
            .to_string()
        }
    };
    let cfg = read_config(&ctx.content(), &id)?;
    Ok((id, cfg))
}

/// Turn flags into a checked config (everything except the image).
pub fn build_config(ctx: &Context, a: &CreateArgs) -> Result<ContainerConfig> {
    let mut env = Vec::new();
    for f in &a.env_file {
        env.extend(options::read_env_file(f)?);
    }
    for e in &a.env {
        env.push(options::env_from_flag(e)?);
    }
    let mut labels = BTreeMap::new();
    for f in &a.label_file {
        for line in options::read_option_lines(f)? {
            let (k, v) = split_kv(&line);
            labels.insert(k, v);
        }
    }
    for l in &a.label {
        let (k, v) = split_kv(l);
        if k.is_empty() {
            bail!("invalid label '{l}': empty name");
        }
        labels.insert(k, v);
    }
    let entrypoint = a.entrypoint.as_ref().map(|e| {
        if e.is_empty() {
            Vec::new()
        } else {
            vec![e.clone()]
        }
    });
    let mut user_mounts: Vec<MountSpec> = Vec::new();
    for v in &a.volume {
        user_mounts.push(mounts::parse_volume_flag(v)?);
    }
    for m in &a.mount {
        user_mounts.push(mounts::parse_mount_flag(m)?);
    }
    for t in &a.tmpfs {
        user_mounts.push(mounts::parse_tmpfs_flag(t)?);
    }
    let mut seccomp = None;
    let mut no_new_privileges = false;
    for opt in &a.security_opt {
        let (k, v) = match opt.split_once(['=', ':']) {
            Some((k, v)) => (k, Some(v)),
            None => (opt.as_str(), None),
        };
        match (k, v) {
            ("seccomp", Some("unconfined")) => seccomp = Some("unconfined".to_string()),
            ("seccomp", Some(path)) => {
                let json = std::fs::read_to_string(path)
                    .with_context(|| format!("opening seccomp profile ({path}) failed"))?;
                serde_json::from_str::<serde_json::Value>(&json)
                    .with_context(|| format!("decoding seccomp profile {path} failed"))?;
                seccomp = Some(json);
            }
            ("no-new-privileges", None | Some("true")) => no_new_privileges = true,
            ("no-new-privileges", Some("false")) => no_new_privileges = false,
            ("apparmor" | "label", _) => bail!(
                "security option {opt:?} is not supported: this host has no AppArmor or SELinux policy for berth"
            ),
            _ => bail!("Invalid --security-opt: {opt:?}"),
        }
    }
    let shm_size = match &a.shm_size {
        Some(s) => {
            let n = crate::format::units::parse_size(s)
                .map_err(|e| anyhow!("invalid --shm-size: {e}"))?;
            if n <= 0 {
                bail!("invalid --shm-size: must be greater than 0");
            }
            Some(n as u64)
        }
        None => None,
    };
    let memory = match &a.memory {
        Some(m) => {
            Some(crate::format::units::parse_size(m).map_err(|e| anyhow!("invalid memory: {e}"))?)
        }
        None => None,
    };
    let nano_cpus = match &a.cpus {
        Some(c) => Some(crate::runtime::spec::parse_cpus(c)?),
        None => None,
    };
    let mut sysctls = BTreeMap::new();
    for s in &a.sysctl {
        let (k, v) = s.split_once('=').ok_or_else(|| {
            anyhow!("invalid argument \"{s}\" for \"--sysctl\" flag: sysctl '{s}' is not allowed")
        })?;
        sysctls.insert(k.to_string(), v.to_string());
    }
    for u in &a.ulimit {
        crate::runtime::spec::Ulimit::parse(u)?;
    }
    for d in &a.device {
        crate::runtime::devices::DeviceMapping::parse(d)?;
    }
    let mut extra_hosts = Vec::new();
    for h in &a.add_host {
        let (name, ip) = h
            .split_once([':', '='])
            .ok_or_else(|| anyhow!("bad format for add-host: \"{h}\""))?;
        let ip = ip.trim_start_matches('[').trim_end_matches(']');
        if ip.parse::<std::net::IpAddr>().is_err() {
            bail!("invalid IP address in add-host: \"{ip}\"");
        }
        extra_hosts.push((name.to_string(), ip.to_string()));
    }
    let mut log_opts = BTreeMap::new();
    match a.log_driver.as_str() {
        "json-file" | "none" => {}
        other => bail!("logging driver {other:?} is not supported: use json-file or none"),
    }
    for o in &a.log_opt {
        let (k, v) = o
            .split_once('=')
            .ok_or_else(|| anyhow!("invalid log opt format: {o}"))?;
        if a.log_driver == "none" {
            bail!("log opts are not supported by the none logging driver");
        }
        match k {
            "max-size" => {
                crate::format::units::parse_size(v)
                    .map_err(|e| anyhow!("invalid max-size: {e}"))?;
            }
            "max-file" => {
                let n: u32 = v.parse().map_err(|_| anyhow!("invalid max-file: {v}"))?;
                if n == 0 {
                    bail!("invalid max-file: must be at least 1");
                }
            }
            _ => bail!("unknown log opt '{k}' for json-file log driver"),
        }
        log_opts.insert(k.to_string(), v.to_string());
    }
    let network = match a.network.as_str() {
        "none" | "host" => a.network.clone(),
        "default" | "bridge" => bail!(
            "network {} is not available yet: berth supports --network none and --network host",
            a.network
        ),
        other => bail!("network {other} not found"),
    };
    if network == "host" && a.hostname.is_some() {
        bail!("conflicting options: hostname and the network mode");
    }
    if let Some(sig) = &a.stop_signal {
        crate::sys::signal::parse_signal(sig).map_err(|e| anyhow!(e))?;
    }
    if let Some(p) = &a.platform {
        parse_platform(p).map_err(|e| anyhow!(e))?;
    }
    if let Some(rt) = &a.runtime {
        crate::runtime::runc::find_binary(rt)?;
    } else {
        crate::runtime::runc::find_binary(&ctx.settings.runtime)?;
    }
    Ok(ContainerConfig {
        image: a.image.clone(),
        entrypoint,
        cmd: a.command.clone(),
        env,
        working_dir: a.workdir.clone(),
        user: a.user.clone(),
        hostname: a.hostname.clone(),
        labels,
        tty: a.tty,
        open_stdin: a.interactive,
        mounts: user_mounts,
        read_only: a.read_only,
        privileged: a.privileged,
        cap_add: a.cap_add.clone(),
        cap_drop: a.cap_drop.clone(),
        seccomp,
        no_new_privileges,
        shm_size,
        ulimits: a.ulimit.clone(),
        sysctls,
        devices: a.device.clone(),
        extra_hosts,
        memory,
        nano_cpus,
        pids_limit: a.pids_limit,
        log_driver: a.log_driver.clone(),
        log_opts,
        network,
        init: a.init,
        stop_signal: a.stop_signal.clone(),
        stop_timeout: a.stop_timeout,
        auto_remove: false,
        runtime: a.runtime.clone().unwrap_or_default(),
        platform: a.platform.clone(),
        attach: AttachStreams::default(),
    })
}

fn split_kv(s: &str) -> (String, String) {
    match s.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (s.to_string(), String::new()),
    }
}
