//! `berth compose run SERVICE [COMMAND...]`: the service's dependencies
//! brought up (unless `--no-deps`), then a one-off container
//! `<project>-<service>-run-<id>` (labels `oneoff=True` and the slug, as
//! compose) created through the same path as every container and run as
//! `berth run` runs one: attached until it exits with its code, or `-d`.
//! The service's ports are published only with `--service-ports`.

use super::engine::CreateTweak;
use crate::cli::compose::{ComposeCreateArgs, ComposeRunArgs};
use crate::cmd::container::run::{run_created, Session};
use crate::cmd::context::Context;
use crate::compose::project::LoadOptions;
use anyhow::{anyhow, bail, Result};
use std::io::Write;

pub fn run(
    ctx: &Context,
    base: LoadOptions,
    a: ComposeRunArgs,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<u8> {
    use std::io::IsTerminal;
    if dry_run {
        bail!("--dry-run is not supported by compose run");
    }
    if a.detach && a.rm {
        bail!("--rm and -d cannot be combined");
    }
    let create = ComposeCreateArgs {
        services: vec![a.service.clone()],
        remove_orphans: a.remove_orphans,
        ..Default::default()
    };
    let (mut engine, scale) = super::up::prepare(ctx, base, &create, a.no_deps, false)?;
    let svc = engine
        .service(&a.service)
        .cloned()
        .ok_or_else(|| anyhow!("no such service: {}", a.service))?;
    // The dependencies, up as `up -d` would bring them (compose's
    // `startDependencies`: its orphan check runs even when there are
    // none).
    engine.svcs.retain(|s| s.name != a.service);
    if !a.no_deps {
        let to_start = super::up::converge(&engine, &create, &scale, None, false, false)?;
        let order = crate::compose::plan::start_order(&engine.svcs).map_err(|e| anyhow!(e))?;
        engine.start_graph(&order, &to_start)?;
    }
    engine.svcs.push(svc.clone());
    let mut store = engine.store()?;
    engine.ensure_networks(&mut store)?;
    engine.ensure_volumes(&mut store)?;
    let images = engine.pull(&mut store, false, None, super::engine::BuildMode::Auto)?;
    let image_id = svc
        .image
        .as_ref()
        .and_then(|i| images.get(i))
        .cloned()
        .unwrap_or_default();
    let slug = crate::container::names::new_id();
    let name = a
        .name
        .clone()
        .unwrap_or_else(|| format!("{}-{}-run-{}", engine.project.name, svc.name, &slug[..12]));
    let interactive = !a.detach;
    let tty = interactive && !a.no_tty && std::io::stdin().is_terminal();
    let entrypoint = match &a.entrypoint {
        Some(e) => Some(crate::compose::canonical::shell_split(e).map_err(|e| anyhow!(e))?),
        None => None,
    };
    let (command, env, publish, service_ports) = (
        a.command.clone(),
        a.env.clone(),
        a.publish.clone(),
        a.service_ports,
    );
    let (user, workdir, rm, detach) = (a.user.clone(), a.workdir.clone(), a.rm, a.detach);
    let tweak = CreateTweak {
        slug,
        entrypoint,
        apply: Box::new(move |o| {
            if !command.is_empty() {
                o.command = command.clone();
            }
            o.env.extend(env.iter().cloned());
            if !service_ports {
                o.publish.clear();
            }
            o.publish.extend(publish.iter().cloned());
            o.tty = tty;
            o.interactive = interactive;
            o.auto_remove = rm;
            o.detach = detach;
            // A one-off runs once: no restart policy (compose does the same).
            o.restart = String::new();
            if user.is_some() {
                o.user = user.clone();
            }
            if workdir.is_some() {
                o.workdir = workdir.clone();
            }
        }),
    };
    let mut c = engine.create(&mut store, &svc, 1, &image_id, Some((&name, tweak)))?;
    engine.apply_links(&mut store, &mut c)?;
    let image_config = crate::image::read_config(&ctx.content(), &c.row.image_id)?;
    let host = ctx.host()?;
    let created = crate::cmd::container::create::Created {
        container: c,
        image_config,
        host,
        store,
    };
    run_created(
        created,
        &Session {
            detach: a.detach,
            rm: a.rm,
            interactive,
            detach_keys: None,
            sig_proxy: true,
        },
        out,
    )
}
