//! `berth create`, and what `run` shares with it: the flags become plain
//! [`CreateOptions`], validated once into a `ContainerSpec`; the image is
//! found locally or pulled according to `--pull`.

use crate::cli::container::{CreateArgs, CreateCmdArgs, StreamArg};
use crate::cmd::context::Context;
use crate::container::lifecycle::{self, Container, CreateRequest};
use crate::container::mounts;
use crate::container::options::{CreateOptions, Stream};
use crate::image::manifest::{host_platform, parse_platform, ImageConfig};
use crate::image::reference::Reference;
use crate::image::{lookup, read_config};
use anyhow::{anyhow, bail, Result};
use std::io::Write;

pub fn run(ctx: &Context, args: CreateCmdArgs, out: &mut dyn Write) -> Result<u8> {
    let mut opts = options(&args.create);
    opts.auto_remove = args.rm;
    let created = create_container(ctx, &args.create, &opts)?;
    writeln!(out, "{}", created.container.row.id)?;
    Ok(0)
}

/// Network settings that need the store or the image: `container:<name>`
/// becomes the ID, user networks must exist, `-P` takes the image's
/// `EXPOSE` and `--expose` onto random host ports; `-p` with host
/// networking warns as Docker does.
fn resolve_network(
    store: &crate::store::Store,
    opts: &CreateOptions,
    image_config: &ImageConfig,
    config: &mut crate::container::spec::ContainerSpec,
) -> Result<()> {
    use crate::container::spec::NetworkMode;
    use crate::network::gateway::{self, Candidate};
    use crate::network::ports;
    if config.network == NetworkMode::Host && (!opts.publish.is_empty() || opts.publish_all) {
        eprintln!("WARNING: Published ports are discarded when using host network mode");
    }
    if let NetworkMode::Container(target) = &config.network {
        let row = lifecycle::find_row(store, target)?;
        config.network = NetworkMode::Container(row.id);
    }
    // Legacy links name their container by ID from now on; on a user
    // network a link is a name the name server resolves when asked.
    if !config.links_are_dns_aliases() {
        for link in &mut config.links {
            link.container = link_target(store, &link.container)?;
        }
    }
    if let NetworkMode::Network(first) = &config.network {
        // Only SCTP on an IPv6 host address needs the networks' families;
        // the default network is not read otherwise (it may not exist yet:
        // it is made at the first start).
        let sctp_v6 = config
            .ports
            .iter()
            .any(|p| p.proto == "sctp" && p.host_ip.contains(':'));
        let mut nets = Vec::new();
        for n in std::iter::once(first).chain(config.extra_networks.iter()) {
            let net = match n == crate::network::store::DEFAULT_NETWORK {
                true if !sctp_v6 => None,
                true => crate::network::store::find(store, n).ok(),
                false => Some(crate::network::store::find(store, n)?),
            };
            nets.push((n.clone(), net));
        }
        if sctp_v6 {
            // The ports go to the network `attach` gives them
            // (`gateway::ports_carrier`); a default network not made yet
            // is an IPv4 bridge.
            let cands: Vec<Candidate> = nets
                .iter()
                .map(|(name, net)| match net {
                    Some(n) => Candidate::of(n),
                    None => Candidate {
                        network: name.clone(),
                        priority: 0,
                        internal: false,
                        v4: true,
                        v6: false,
                        publishes: true,
                    },
                })
                .collect();
            let carrier = gateway::ports_carrier(&cands).map(|i| {
                let has_v6 = nets[i]
                    .1
                    .as_ref()
                    .is_some_and(|n| n.subnets.iter().any(|s| s.subnet.addr().is_ipv6()));
                (nets[i].0.as_str(), has_v6)
            });
            ports::check_host_families(&config.ports, carrier)?;
        }
    }
    let image_ports = image_config
        .config
        .as_ref()
        .and_then(|c| c.exposed_ports.as_ref())
        .map(|m| m.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    // docker-cli exposes what `-p` publishes too (`Config.ExposedPorts`).
    let published = config
        .ports
        .iter()
        .map(|b| format!("{}/{}", b.container_port, b.proto));
    for p in image_ports.into_iter().chain(published) {
        if !config.exposed.contains(&p) {
            config.exposed.push(p);
        }
    }
    if config.publish_all {
        let mut exposed = Vec::new();
        for e in &config.exposed {
            exposed.extend(ports::parse_expose(e)?);
        }
        let all = ports::publish_all(&exposed, &config.ports);
        config.ports.extend(all);
    }
    Ok(())
}

/// The plain options the flags ask for (`run` adds `--rm` and `-d`).
pub fn options(a: &CreateArgs) -> CreateOptions {
    CreateOptions {
        image: a.image.clone(),
        command: a.command.clone(),
        entrypoint: a.entrypoint.clone(),
        env: a.env.clone(),
        env_files: a.env_file.clone(),
        labels: a.label.clone(),
        label_files: a.label_file.clone(),
        workdir: a.workdir.clone(),
        user: a.user.clone(),
        hostname: a.hostname.clone(),
        tty: a.tty,
        interactive: a.interactive,
        attach: a
            .attach
            .iter()
            .map(|s| match s {
                StreamArg::Stdin => Stream::Stdin,
                StreamArg::Stdout => Stream::Stdout,
                StreamArg::Stderr => Stream::Stderr,
            })
            .collect(),
        detach: false,
        volumes: a.volume.clone(),
        mounts: a.mount.clone(),
        tmpfs: a.tmpfs.clone(),
        read_only: a.read_only,
        privileged: a.privileged,
        cap_add: a.cap_add.clone(),
        cap_drop: a.cap_drop.clone(),
        security_opt: a.security_opt.clone(),
        platform: a.platform.clone(),
        stop_signal: a.stop_signal.clone(),
        stop_timeout: a.stop_timeout,
        init: a.init,
        shm_size: a.shm_size.clone(),
        pid: a.pid.clone(),
        ipc: a.ipc.clone(),
        volumes_from: a.volumes_from.clone(),
        links: a.link.clone(),
        ulimits: a.ulimit.clone(),
        sysctls: a.sysctl.clone(),
        devices: a.device.clone(),
        add_hosts: a.add_host.clone(),
        domainname: a.domainname.clone(),
        mac_address: a.mac_address.clone(),
        ip: a.ip.clone(),
        ip6: a.ip6.clone(),
        dns: a.dns.clone(),
        dns_search: a.dns_search.clone(),
        dns_options: a.dns_option.clone(),
        memory: a.memory.clone(),
        memory_swap: a.memory_swap.clone(),
        cpus: a.cpus.clone(),
        cpu_shares: a.cpu_shares,
        pids_limit: a.pids_limit,
        limits: crate::runtime::limits::LimitFlags {
            memory_reservation: a.memory_reservation.clone(),
            memory_swappiness: a.memory_swappiness,
            kernel_memory: a.kernel_memory.clone(),
            cpu_period: a.cpu_period,
            cpu_quota: a.cpu_quota,
            cpu_rt_period: a.cpu_rt_period,
            cpu_rt_runtime: a.cpu_rt_runtime,
            cpuset_cpus: a.cpuset_cpus.clone(),
            cpuset_mems: a.cpuset_mems.clone(),
            blkio_weight: a.blkio_weight,
            blkio_weight_device: a.blkio_weight_device.clone(),
            device_read_bps: a.device_read_bps.clone(),
            device_write_bps: a.device_write_bps.clone(),
            device_read_iops: a.device_read_iops.clone(),
            device_write_iops: a.device_write_iops.clone(),
            oom_kill_disable: a.oom_kill_disable,
            oom_score_adj: a.oom_score_adj,
        },
        log_driver: a.log_driver.clone(),
        log_opts: a.log_opt.clone(),
        networks: a.network.clone(),
        network_aliases: a.network_alias.clone(),
        publish: a.publish.clone(),
        publish_all: a.publish_all,
        expose: a.expose.clone(),
        runtime: a.runtime.clone(),
        restart: a.restart.clone(),
        health: crate::container::options::HealthFlags {
            cmd: a.health_cmd.clone(),
            interval: a.health_interval.clone(),
            retries: a.health_retries,
            start_period: a.health_start_period.clone(),
            start_interval: a.health_start_interval.clone(),
            timeout: a.health_timeout.clone(),
            none: a.no_healthcheck,
            on_failure: a.health_on_failure.clone(),
        },
        auto_remove: false,
    }
}

/// A new container with what `run` goes on to use: the image's config and
/// the open store (opened once per command: every close of the database
/// checkpoints its WAL, which costs two fsyncs).
pub struct Created {
    pub container: Container,
    pub image_config: ImageConfig,
    pub host: lifecycle::Host,
    pub store: crate::store::Store,
}

/// Validate, resolve the image and create; shared with `run`.
pub fn create_container(ctx: &Context, args: &CreateArgs, opts: &CreateOptions) -> Result<Created> {
    let (host, mut store) = ctx.container_store()?;
    let (c, image_config) = create_with(
        ctx,
        &host,
        &mut store,
        &NewContainer {
            name: args.name.clone(),
            pull: args.pull.clone(),
            opts: opts.clone(),
            prepare: None,
        },
    )?;
    for w in opts.limit_warnings() {
        eprintln!("WARNING: {w}");
    }
    if let Some(path) = &args.cidfile {
        write_cidfile(path, &c.row.id)?;
    }
    Ok(Created {
        container: c,
        image_config,
        host,
        store,
    })
}

/// What creating one container takes besides the open store: the plain
/// options, the name and the pull policy. `prepare` may adjust the
/// validated spec, its mounts resolved against the image but anonymous
/// volumes not yet named, before the record is written (compose sets
/// per-network aliases and addresses, and a replacement's inherited
/// volumes, there).
pub struct NewContainer<'a> {
    pub name: Option<String>,
    /// `always`, `missing` or `never`.
    pub pull: String,
    pub opts: CreateOptions,
    #[allow(clippy::type_complexity)]
    pub prepare: Option<&'a dyn Fn(&mut crate::container::spec::ContainerSpec) -> Result<()>>,
}

/// The one container-creation path (`create`, `run`, compose): validate
/// the options, find or pull the image, resolve mounts and networks, and
/// create the record.
pub fn create_with(
    ctx: &Context,
    host: &lifecycle::Host,
    store: &mut crate::store::Store,
    req: &NewContainer,
) -> Result<(Container, ImageConfig)> {
    let opts = &req.opts;
    let mut config = opts.validate(&ctx.settings.runtime)?;
    let (image_id, image_config) =
        resolve_image(ctx, store, &opts.image, &req.pull, opts.platform.as_deref())?;
    let image_volumes: Vec<String> = image_config
        .config
        .as_ref()
        .and_then(|c| c.volumes.as_ref())
        .map(|v| v.keys().cloned().collect())
        .unwrap_or_default();
    let mut user_mounts = std::mem::take(&mut config.mounts);
    user_mounts.extend(volumes_from(store, &opts.volumes_from, &user_mounts)?);
    config.mounts = mounts::resolve(user_mounts, &image_volumes)?;
    // After the image's VOLUMEs joined the mounts (as unnamed anonymous
    // volumes), before those get names: compose's recreate gives them its
    // predecessor's volumes there.
    if let Some(prepare) = req.prepare {
        prepare(&mut config)?;
    }
    mounts::name_anonymous_volumes(&mut config.mounts);
    resolve_network(store, opts, &image_config, &mut config)?;
    mounts::prepare_bind_sources(&config.mounts)?;
    let c = lifecycle::create(
        host,
        store,
        CreateRequest {
            name: req.name.clone(),
            image_id,
            image_config: image_config.clone(),
            config,
        },
    )?;
    Ok((c, image_config))
}

/// The container a `--link` names, as moby's `registerLinks` finds it:
/// through `container:` network modes to the one owning the network, and
/// not one on the host's network.
fn link_target(store: &crate::store::Store, name: &str) -> Result<String> {
    use crate::container::spec::NetworkMode;
    let not_found = |e: anyhow::Error| anyhow!("could not get container for {name}: {e}");
    let mut child = lifecycle::find(store, name).map_err(not_found)?;
    for _ in 0..16 {
        match &child.spec.network {
            NetworkMode::Container(id) => child = lifecycle::find(store, id).map_err(not_found)?,
            NetworkMode::Host => {
                bail!("conflicting options: host type networking can't be used with links. This would result in undefined behavior")
            }
            _ => break,
        }
    }
    Ok(child.row.id)
}

/// The mounts `--volumes-from` brings, as moby's `registerMountPoints`
/// collects them: each donor's volumes and binds at their destinations (a
/// later donor wins a destination), less those the container's own
/// `-v`/`--mount` cover. tmpfs mounts hold no data to share and stay the
/// donor's own.
fn volumes_from(
    store: &crate::store::Store,
    given: &[String],
    own: &[crate::container::spec::MountSpec],
) -> Result<Vec<crate::container::spec::MountSpec>> {
    use crate::container::spec::MountKind;
    let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
    let mut out: Vec<crate::container::spec::MountSpec> = Vec::new();
    for v in given {
        let (target, readonly) = mounts::parse_volumes_from(v)?;
        let donor = lifecycle::find(store, &target)?;
        let shared: Vec<_> = donor
            .spec
            .mounts
            .iter()
            .filter(|m| m.kind != MountKind::Tmpfs)
            .cloned()
            .collect();
        for m in mounts::inherited_from(&shared, readonly) {
            out.retain(|o| !same(&o.destination, &m.destination));
            out.push(m);
        }
    }
    out.retain(|m| !own.iter().any(|o| same(&o.destination, &m.destination)));
    Ok(out)
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
pub fn resolve_image(
    ctx: &Context,
    store: &mut crate::store::Store,
    image: &str,
    policy: &str,
    platform: Option<&str>,
) -> Result<(String, ImageConfig)> {
    if !matches!(policy, "always" | "missing" | "never") {
        bail!(
            "invalid pull option: '{policy}': must be one of \"always\", \"missing\" or \"never\""
        );
    }
    let found = match lookup::find(store.conn(), image) {
        Ok(rec) => Some(rec.id),
        Err(lookup::LookupError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let id = match (found, policy) {
        (Some(id), "missing" | "never") => id,
        (None, "never") => bail!("No such image: {image}"),
        (found, _) => {
            let reference = Reference::parse(image)?;
            if found.is_none() {
                eprintln!("Unable to find image '{}' locally", reference.familiar());
            }
            let platform = match platform {
                Some(p) => parse_platform(p).map_err(|e| anyhow!(e))?,
                None => host_platform(),
            };
            let opts = crate::image::pull::PullOptions {
                reference,
                platform,
                max_concurrent_downloads: ctx.settings.max_concurrent_downloads,
            };
            let progress = crate::image::progress::TextProgress::new(std::io::stderr());
            crate::image::pull::pull_and_record(
                store,
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
