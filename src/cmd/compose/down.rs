//! `berth compose down`, `stop`, `start`, `restart`: the project's
//! containers found by their labels. `down` stops them in reverse
//! dependency order (each service once its dependents are stopped, the
//! containers of a service in parallel), removes them, then the project's
//! networks (never external ones), with `-v` its named volumes and the
//! containers' anonymous ones, with `--rmi` the images compose's
//! `ImagePruner` picks (`local`: those built for the project; `all`: the
//! services' `image:` too).

use super::engine::{Engine, Member};
use crate::cli::compose::{
    ComposeDownArgs, ComposeRestartArgs, ComposeServicesArgs, ComposeStopArgs,
};
use crate::cmd::context::Context;
use crate::compose::plan;
use crate::compose::project::LoadOptions;
use crate::compose::service::labels;
use crate::store::Store;
use anyhow::{anyhow, bail, Context as _, Result};
use std::collections::{BTreeMap, BTreeSet};

/// Services grouped into stop waves: a service comes after every service
/// that depends on it has been stopped.
fn stop_waves(engine: &Engine, services: &BTreeSet<String>) -> Vec<Vec<String>> {
    let order = plan::start_order(&engine.svcs).unwrap_or_default();
    // Depth from the roots of the start order; stop deepest first.
    let mut depth: BTreeMap<String, usize> = BTreeMap::new();
    for name in &order {
        let d = engine
            .service(name)
            .map(|s| {
                s.depends_on
                    .iter()
                    .filter_map(|d| depth.get(&d.service).map(|x| x + 1))
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        depth.insert(name.clone(), d);
    }
    let max = depth.values().copied().max().unwrap_or(0);
    let mut waves: Vec<Vec<String>> = vec![Vec::new(); max + 1];
    // Services not in the model (orphans) go first.
    let mut first = Vec::new();
    for s in services {
        match depth.get(s) {
            Some(d) => waves[max - d].push(s.clone()),
            None => first.push(s.clone()),
        }
    }
    let mut out = vec![first];
    out.extend(waves);
    out.retain(|w| !w.is_empty());
    out
}

/// Runs `act` on each member, wave by wave in reverse dependency order
/// (`stop_waves`), in parallel inside a wave (one thread each), as
/// compose's `InReverseDependencyOrder`: `down`, `stop`, `restart` and an
/// attached `up` that stops the project.
pub(super) fn in_stop_waves<'m, F>(engine: &Engine, members: &[&'m Member], act: F)
where
    F: Fn(&'m Member) + Sync,
{
    let services: BTreeSet<String> = members.iter().map(|m| m.existing.service.clone()).collect();
    for wave in stop_waves(engine, &services) {
        std::thread::scope(|s| {
            for m in members
                .iter()
                .copied()
                .filter(|m| wave.contains(&m.existing.service))
            {
                let act = &act;
                s.spawn(move || act(m));
            }
        });
    }
}

/// Stop these members in reverse dependency order (one store connection
/// per container); with `remove` (`Some(-v)`) each is removed once
/// stopped, as compose's `down` does.
fn stop_members(
    engine: &Engine,
    members: &[&Member],
    timeout: Option<i64>,
    remove: Option<bool>,
) -> Result<()> {
    let errors: std::sync::Mutex<Vec<String>> = Default::default();
    in_stop_waves(engine, members, |m| {
        let live = m.container.row.status.is_live();
        if !live && remove.is_none() {
            return;
        }
        if let Err(e) = stop_one(engine, m, live, timeout, remove) {
            errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(format!("{e:#}"));
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = errors.into_iter().next() {
        bail!(e);
    }
    Ok(())
}

/// One member stopped (when `live`) and, with `remove`, removed.
fn stop_one(
    engine: &Engine,
    m: &Member,
    live: bool,
    timeout: Option<i64>,
    remove: Option<bool>,
) -> Result<()> {
    let name = &m.existing.name;
    let mut st = None;
    let open = || -> Result<(Store, crate::container::lifecycle::Container)> {
        let st = Store::open(engine.host.layout.clone())?;
        let c = crate::container::lifecycle::find(&st, &m.existing.id)?;
        Ok((st, c))
    };
    if live {
        engine.progress.event("Container", name, "Stopping");
        if !engine.dry_run {
            let (mut store, mut c) = open()?;
            engine.stop_container(&mut store, &mut c, timeout)?;
            st = Some((store, c));
        }
        engine.progress.event("Container", name, "Stopped");
    }
    if let Some(volumes) = remove {
        engine.progress.event("Container", name, "Removing");
        if !engine.dry_run {
            let (mut store, mut c) = match st {
                Some(x) => x,
                None => open()?,
            };
            engine.remove_container(&mut store, &mut c, volumes)?;
        }
        engine.progress.event("Container", name, "Removed");
    }
    Ok(())
}

fn engine<'a>(
    ctx: &'a Context,
    base: LoadOptions,
    title: &'static str,
    dry_run: bool,
) -> Result<Engine<'a>> {
    // `-p NAME` without `-f`: the project as its containers' labels
    // describe it, the file not read (compose's `projectOrName`).
    match super::project_or_name(&base)? {
        (Some(project), _) => Engine::new(ctx, project, title, dry_run),
        (None, name) => Engine::from_labels(ctx, &name, title, dry_run),
    }
}

fn selected<'m>(
    members: &'m [Member],
    services: &[String],
    engine: &Engine,
) -> Result<Vec<&'m Member>> {
    for s in services {
        if engine.service(s).is_none() {
            bail!("no such service: {s}");
        }
    }
    Ok(members
        .iter()
        .filter(|m| services.is_empty() || services.contains(&m.existing.service))
        .collect())
}

/// compose's `down` selection: the containers of the acting services
/// (of the named ones, when named), one-offs only with
/// `--remove-orphans`, which adds the orphans (`Engine::orphans`:
/// containers of services no file declares and finished one-offs,
/// whatever services are named). Containers of declared services that do
/// not act (a disabled profile's) stay, and no warning names them.
fn down_targets<'m>(
    engine: &Engine,
    members: &'m [Member],
    services: &[String],
    remove_orphans: bool,
) -> Vec<&'m Member> {
    let mut targets: Vec<&Member> = members
        .iter()
        .filter(|m| remove_orphans || !m.existing.oneoff)
        .filter(|m| engine.service(&m.existing.service).is_some())
        .filter(|m| services.is_empty() || services.contains(&m.existing.service))
        .collect();
    if remove_orphans {
        for o in engine.orphans(members) {
            if !targets.iter().any(|t| t.existing.id == o.existing.id) {
                targets.push(o);
            }
        }
    }
    targets
}

pub fn run_down(ctx: &Context, base: LoadOptions, a: ComposeDownArgs, dry_run: bool) -> Result<u8> {
    if let Some(r) = &a.rmi {
        if r != "local" && r != "all" {
            bail!("invalid value for --rmi: {r:?}");
        }
    }
    // Named services are enabled whatever their profiles; an unknown one
    // fails the load.
    let base = LoadOptions {
        services: a.services.clone(),
        ..base
    };
    let engine = engine(ctx, base, "Running", dry_run)?;
    let mut store = engine.store()?;
    let members = engine.members(&mut store)?;
    let remove_orphans = a.remove_orphans || super::env_flag(None, super::REMOVE_ORPHANS);
    let targets = down_targets(&engine, &members, &a.services, remove_orphans);
    stop_members(&engine, &targets, a.timeout, Some(a.volumes))?;
    if !a.services.is_empty() {
        return Ok(0);
    }
    // Containers, networks, volumes and images found to remove.
    let mut found = targets.len();
    let removed: BTreeSet<String> = targets.iter().map(|m| m.existing.id.clone()).collect();
    // The secret and config files berth wrote for the project's
    // containers, once none of them is left.
    let files = engine.files_dir();
    if !dry_run && files.exists() && engine.members(&mut store)?.is_empty() {
        std::fs::remove_dir_all(&files).with_context(|| format!("removing {}", files.display()))?;
        if let Some(project_dir) = files.parent() {
            let _ = std::fs::remove_dir(project_dir);
        }
    }
    // Networks created for this project (labels), never external ones.
    let env = ctx.net_env();
    for net in crate::network::store::list(&store)? {
        if net.labels.get(labels::PROJECT) != Some(&engine.project.name) {
            continue;
        }
        found += 1;
        engine.progress.removal("Network", &net.name, "Removing");
        // compose leaves a network that still has containers (another
        // project's, a one-off's) with a warning, and goes on. (Under
        // --dry-run the containers this down removes are still there.)
        let in_use = crate::store::networks::endpoints_of_network(store.conn(), &net.id)?
            .iter()
            .any(|e| !removed.contains(&e.container_id));
        if in_use {
            engine
                .progress
                .removal("Network", &net.name, "Resource is still in use");
            continue;
        }
        if !dry_run {
            crate::network::store::remove(&env, &mut store, &net)
                .with_context(|| format!("failed to remove network {}", net.name))?;
        }
        engine.progress.removal("Network", &net.name, "Removed");
    }
    if a.volumes {
        for v in crate::volume::list(&store)? {
            let l = crate::volume::labels(&v).unwrap_or_default();
            if l.get(labels::PROJECT) != Some(&engine.project.name) {
                continue;
            }
            found += 1;
            engine.progress.removal("Volume", &v.name, "Removing");
            if !dry_run {
                match crate::volume::remove(&mut store, &v.name, false) {
                    Ok(_) => {}
                    Err(crate::volume::VolumeError::InUse { .. }) => {
                        engine
                            .progress
                            .removal("Volume", &v.name, "Resource is still in use");
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            engine.progress.removal("Volume", &v.name, "Removed");
        }
    }
    if let Some(mode) = &a.rmi {
        let all = mode == "all";
        for image in images_to_remove(ctx, &engine, &store, all, remove_orphans)? {
            found += 1;
            remove_image(&engine, &mut store, &image);
        }
        if !dry_run {
            let gc_lock = ctx.layout.gc_lock_exclusive()?;
            ctx.collect_garbage(&gc_lock, &store)?;
        }
    }
    if found == 0 {
        engine.progress.warn(&format!(
            "Warning: No resource found to remove for project {:?}.",
            engine.project.name
        ));
    }
    Ok(0)
}

/// compose's `ImagePruner` for `down --rmi`: with `all`, the services'
/// `image:` names that exist; then the images compose built for the
/// project (labelled with it, tagged: their first tag) whose service acts
/// (any service with `--remove-orphans`), and the `<project>-<service>`
/// images of services without `image:` that exist, built before labels.
/// Familiar names with their tag, once each, sorted.
fn images_to_remove(
    ctx: &Context,
    engine: &Engine,
    store: &Store,
    all: bool,
    remove_orphans: bool,
) -> Result<Vec<String>> {
    let exists = |name: &str| crate::image::lookup::find(store.conn(), name).is_ok();
    let mut names: Vec<String> = Vec::new();
    for s in &engine.svcs {
        let Some(image) = &s.image else { continue };
        if (all || !s.image_given) && exists(image) {
            names.push(image.clone());
        }
    }
    let content = ctx.content();
    for rec in crate::store::images::list(store.conn())? {
        let Some(tag) = rec.tags.first() else {
            continue;
        };
        let l = crate::image::config_labels(&content, &rec.id);
        if l.get(labels::PROJECT) != Some(&engine.project.name) {
            continue;
        }
        let service = l.get(labels::SERVICE).map(String::as_str).unwrap_or("");
        if remove_orphans || engine.service(service).is_some() {
            names.push(tag.clone());
        }
    }
    let mut out: BTreeSet<String> = BTreeSet::new();
    for n in names {
        out.insert(match crate::image::reference::Reference::parse(&n) {
            Ok(r) => r.familiar(),
            Err(_) => n,
        });
    }
    Ok(out.into_iter().collect())
}

/// One image of `down --rmi` untagged (and deleted when nothing else
/// names it), with compose's events: an image in use or gone is
/// reported, not an error.
fn remove_image(engine: &Engine, store: &mut Store, image: &str) {
    use crate::image::remove::{Removal, RemoveError};
    engine.progress.event("Image", image, "Removing");
    if engine.dry_run {
        engine.progress.event("Image", image, "Removed");
        return;
    }
    let id = crate::image::lookup::find_id(store.conn(), image)
        .ok()
        .flatten()
        .unwrap_or_default();
    match store.write(|tx| crate::image::remove::remove(tx, image, false)) {
        Ok(removed) => {
            // The events `rmi` emits.
            let layout = &engine.ctx.layout;
            for r in removed {
                match r {
                    Removal::Untagged(_) => {
                        crate::image::emit_event(layout, "untag", &id, &id, &id)
                    }
                    Removal::Deleted(d) => crate::events::emit_image(
                        &layout.data_root,
                        "delete",
                        &d,
                        &d,
                        Default::default(),
                    ),
                }
            }
            engine.progress.event("Image", image, "Removed")
        }
        Err(RemoveError::NotFound(_)) => {
            engine
                .progress
                .event("Image", image, "Warning: No resource found to remove")
        }
        Err(
            RemoveError::ImageInUse { .. }
            | RemoveError::ReferenceInUse { .. }
            | RemoveError::MultipleRepositories { .. },
        ) => engine
            .progress
            .event("Image", image, "Resource is still in use"),
        Err(e) => engine.progress.warn(&format!("{image}: {e}")),
    }
}

pub fn run_stop(ctx: &Context, base: LoadOptions, a: ComposeStopArgs, dry_run: bool) -> Result<u8> {
    let engine = engine(ctx, base, "Stopping", dry_run)?;
    let mut store = engine.store()?;
    let members = engine.members(&mut store)?;
    let targets = selected(&members, &a.services, &engine)?;
    stop_members(&engine, &targets, a.timeout, None)?;
    Ok(0)
}

pub fn run_start(
    ctx: &Context,
    base: LoadOptions,
    a: ComposeServicesArgs,
    dry_run: bool,
) -> Result<u8> {
    let services = a.service;
    let engine = engine(ctx, base, "Running", dry_run)?;
    let mut store = engine.store()?;
    let members = engine.members(&mut store)?;
    let targets = selected(&members, &services, &engine)?;
    if targets.is_empty() {
        bail!(
            "service(s) {} not running, or have no container: run `compose up` first",
            if services.is_empty() {
                "of the project".to_string()
            } else {
                services.join(", ")
            }
        );
    }
    let mut to_start: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &targets {
        if !m.existing.oneoff && !m.existing.running {
            to_start
                .entry(m.existing.service.clone())
                .or_default()
                .push(m.existing.id.clone());
        }
    }
    let order = plan::start_order(&engine.svcs).map_err(|e| anyhow!(e))?;
    let order: Vec<String> = order
        .into_iter()
        .filter(|s| services.is_empty() || services.contains(s) || to_start.contains_key(s))
        .collect();
    engine.start_graph(&order, &to_start)?;
    Ok(0)
}

pub fn run_restart(
    ctx: &Context,
    base: LoadOptions,
    a: ComposeRestartArgs,
    dry_run: bool,
) -> Result<u8> {
    let engine = engine(ctx, base, "Restarting", dry_run)?;
    let mut store = engine.store()?;
    let members = engine.members(&mut store)?;
    let mut services = a.services.clone();
    if !a.no_deps && !services.is_empty() {
        // Dependents restart too, as compose does.
        let mut i = 0;
        while i < services.len() {
            for d in plan::dependents(&engine.svcs, &services[i]) {
                if !services.iter().any(|s| s == d) {
                    services.push(d.to_string());
                }
            }
            i += 1;
        }
    }
    let targets: Vec<&Member> = selected(&members, &services, &engine)?
        .into_iter()
        .filter(|m| !m.existing.oneoff)
        .collect();
    if dry_run {
        // compose restarts each container in one call: `Restarting`, then
        // `Started`, service by service in dependency order.
        for s in plan::start_order(&engine.svcs).map_err(|e| anyhow!(e))? {
            for m in targets.iter().filter(|m| m.existing.service == s) {
                engine
                    .progress
                    .event("Container", &m.existing.name, "Restarting");
                engine
                    .progress
                    .event("Container", &m.existing.name, "Started");
            }
        }
        return Ok(0);
    }
    stop_members(&engine, &targets, a.timeout, None)?;
    let mut to_start: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &targets {
        to_start
            .entry(m.existing.service.clone())
            .or_default()
            .push(m.existing.id.clone());
    }
    let order: Vec<String> = plan::start_order(&engine.svcs)
        .map_err(|e| anyhow!(e))?
        .into_iter()
        .filter(|s| to_start.contains_key(s))
        .collect();
    engine.start_graph(&order, &to_start)?;
    Ok(0)
}
