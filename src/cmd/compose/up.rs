//! `berth compose up` and `create`: check the model (support table, graph,
//! scale), pull what is missing, create networks and volumes, converge
//! each service in dependency order (keep what matches its config hash and
//! image, recreate what changed, create up to the scale, remove over it),
//! then start along the graph. `-d` returns; `--wait` waits for running or
//! healthy; otherwise attached (see `attach`).

use super::engine::{BuildMode, Engine};
use crate::cli::compose::{ComposeCreateArgs, ComposeUpArgs};
use crate::cmd::context::Context;
use crate::compose::plan::{self, Recreate, Step};
use crate::compose::project::LoadOptions;
use anyhow::{anyhow, bail, Result};
use std::collections::{BTreeMap, BTreeSet};

/// `--scale SERVICE=NUM` items.
fn scales(items: &[String]) -> Result<BTreeMap<String, u32>> {
    items
        .iter()
        .map(|s| {
            let (svc, n) = s
                .split_once('=')
                .ok_or_else(|| anyhow!("invalid scale specifier: {s}"))?;
            let n: u32 = n
                .parse()
                .map_err(|_| anyhow!("invalid scale specifier: {s}"))?;
            Ok((svc.to_string(), n))
        })
        .collect()
}

/// The engine for `up`/`create`: the project loaded, the acting services
/// chosen, everything checked before anything is created.
pub fn prepare<'a>(
    ctx: &'a Context,
    mut base: LoadOptions,
    a: &ComposeCreateArgs,
    no_deps: bool,
    dry_run: bool,
) -> Result<(Engine<'a>, BTreeMap<String, u32>)> {
    if let Some(p) = &a.pull {
        if !matches!(p.as_str(), "always" | "missing" | "never") {
            bail!(
                "invalid --pull option {p:?}: must be one of \"always\", \"missing\" or \"never\""
            );
        }
    }
    // The named services are enabled whatever their profiles, with what
    // they depend on (the rest stays declared: not orphans).
    base.services = a.services.clone();
    let project = super::load(&base)?;
    let mut engine = Engine::new(ctx, project, "Running", dry_run)?;
    if no_deps && !a.services.is_empty() {
        no_deps_selection(&mut engine.svcs, &a.services);
    }
    let scale = scales(&a.scale)?;
    for name in scale.keys() {
        if engine.service(name).is_none() {
            bail!("no such service: {name}");
        }
    }
    for s in &engine.svcs {
        let n = scale.get(&s.name).copied().unwrap_or(s.replicas);
        plan::check_scale(s, n).map_err(|e| anyhow!(e))?;
    }
    plan::start_order(&engine.svcs).map_err(|e| anyhow!(e))?;
    engine.check_support(a.strict)?;
    engine.check_resources(&engine.store()?)?;
    orphan_flags(&engine, a.remove_orphans)?;
    Ok((engine, scale))
}

/// compose-go's `WithSelectedServices(.., IgnoreDependencies)` for
/// `--no-deps` (and `build` without `--with-dependencies`): only the named services act, and their `depends_on`
/// edges to the others are dropped, so those are neither started nor
/// waited on (their containers, if any, still answer to links and
/// aliases).
pub(super) fn no_deps_selection(
    svcs: &mut Vec<crate::compose::service::Service>,
    named: &[String],
) {
    svcs.retain(|s| named.contains(&s.name));
    for s in svcs.iter_mut() {
        s.depends_on.retain(|d| named.contains(&d.service));
    }
}

/// compose's `recreateStrategy` and `dependenciesRecreateStrategy`: the
/// services named on the command line (all when none is) follow
/// `--force-recreate`/`--no-recreate`; the dependencies they pull in are
/// recreated only when they diverged, or always with `up
/// --always-recreate-deps`, never with `--no-recreate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RecreatePolicies {
    named: Recreate,
    deps: Recreate,
}

impl RecreatePolicies {
    fn of(a: &ComposeCreateArgs, always_recreate_deps: bool) -> Self {
        let (named, deps) = if a.no_recreate {
            (Recreate::Never, Recreate::Never)
        } else {
            let force = |on| {
                if on {
                    Recreate::Force
                } else {
                    Recreate::Diverged
                }
            };
            (force(a.force_recreate), force(always_recreate_deps))
        };
        RecreatePolicies { named, deps }
    }

    /// compose's convergence: `create` takes every service as named when
    /// none is.
    fn for_service(self, named: &[String], service: &str) -> Recreate {
        if named.is_empty() || named.iter().any(|n| n == service) {
            self.named
        } else {
            self.deps
        }
    }
}

/// compose's `validate`/`validateFlags` checks of the build and recreate
/// flags, with its messages (`create` has no `--always-recreate-deps`,
/// nor `-V`).
fn check_recreate_flags(a: &ComposeCreateArgs, always_deps: bool, renew_anon: bool) -> Result<()> {
    if a.build && a.no_build {
        bail!("--build and --no-build are incompatible");
    }
    if a.no_recreate {
        if renew_anon {
            bail!("--no-recreate and --renew-anon-volumes are incompatible");
        }
        if a.force_recreate {
            bail!("--force-recreate and --no-recreate are incompatible");
        }
        if always_deps {
            bail!("--always-recreate-deps and --no-recreate are incompatible");
        }
    }
    Ok(())
}

/// Create and converge; the containers to start per service. A recreated
/// container keeps its predecessor's anonymous volumes unless
/// `renew_anon` (`up -V`).
pub fn converge(
    engine: &Engine,
    a: &ComposeCreateArgs,
    scale: &BTreeMap<String, u32>,
    timeout: Option<i64>,
    renew_anon: bool,
    always_recreate_deps: bool,
) -> Result<BTreeMap<String, Vec<String>>> {
    let mut store = engine.store()?;
    let members = engine.members(&mut store)?;
    let existing: Vec<_> = members.iter().map(|m| m.existing.clone()).collect();
    let build = if a.build {
        BuildMode::Force
    } else if a.no_build {
        BuildMode::Never
    } else {
        BuildMode::Auto
    };
    let images = engine.pull(&mut store, a.quiet_pull, a.pull.as_deref(), build)?;
    engine.ensure_networks(&mut store)?;
    engine.ensure_volumes(&mut store)?;
    // compose's order: images, networks, volumes, then the orphans.
    handle_orphans(engine, &mut store, &members, a.remove_orphans, timeout)?;
    let policies = RecreatePolicies::of(a, always_recreate_deps);
    let order = plan::start_order(&engine.svcs).map_err(|e| anyhow!(e))?;
    let mut to_start: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // Services whose containers were replaced: dependents with
    // `depends_on.<svc>.restart: true` restart around them.
    let mut replaced: BTreeSet<String> = BTreeSet::new();
    for name in &order {
        let svc = engine.service(name).expect("ordered from the services");
        let image_id = svc
            .image
            .as_ref()
            .and_then(|i| images.get(i))
            .cloned()
            .unwrap_or_default();
        let n = scale.get(name).copied().unwrap_or(svc.replicas);
        let restart = svc
            .depends_on
            .iter()
            .any(|d| d.restart && replaced.contains(&d.service));
        let ids = to_start.entry(name.clone()).or_default();
        let policy = policies.for_service(&a.services, name);
        for step in plan::converge(svc, n, &existing, &image_id, policy) {
            match step {
                Step::Create { number } => {
                    let cname = plan::container_name(&engine.project.name, svc, number);
                    engine.progress.event("Container", &cname, "Creating");
                    if engine.dry_run {
                        // The start that follows names it (nothing was created).
                        ids.push(cname.clone());
                    } else {
                        let c = engine.create(&mut store, svc, number, &image_id, None)?;
                        ids.push(c.row.id);
                    }
                    engine.progress.event("Container", &cname, "Created");
                }
                Step::Recreate { old, why } => {
                    replaced.insert(name.clone());
                    engine
                        .progress
                        .event("Container", &old.name, &format!("Recreate ({why})"));
                    if engine.dry_run {
                        ids.push(old.name.clone());
                    } else {
                        ids.push(engine.recreate(
                            &mut store,
                            svc,
                            &old,
                            &image_id,
                            timeout,
                            !renew_anon,
                        )?);
                    }
                    engine.progress.event("Container", &old.name, "Recreated");
                }
                Step::Keep { old } => {
                    if old.running && restart {
                        let mut c = lifecycle_find(&store, &old.id)?;
                        engine.progress.event("Container", &old.name, "Restarting");
                        if !engine.dry_run {
                            engine.stop_container(&mut store, &mut c, timeout)?;
                        }
                        ids.push(old.id);
                    } else if old.running {
                        engine.progress.event("Container", &old.name, "Running");
                    } else {
                        ids.push(old.id);
                    }
                }
                Step::Remove { old } => {
                    let mut c = lifecycle_find(&store, &old.id)?;
                    engine.progress.event("Container", &old.name, "Stopping");
                    if !engine.dry_run {
                        engine.stop_container(&mut store, &mut c, timeout)?;
                    }
                    engine.progress.event("Container", &old.name, "Stopped");
                    engine.progress.event("Container", &old.name, "Removing");
                    if !engine.dry_run {
                        engine.remove_container(&mut store, &mut c, false)?;
                    }
                    engine.progress.event("Container", &old.name, "Removed");
                }
            }
        }
    }
    Ok(to_start)
}

/// `--remove-orphans` (or `COMPOSE_REMOVE_ORPHANS`) and
/// `COMPOSE_IGNORE_ORPHANS`, which cannot be combined.
fn orphan_flags(engine: &Engine, remove: bool) -> Result<(bool, bool)> {
    let remove = remove || super::env_flag(None, super::REMOVE_ORPHANS);
    let ignore = super::env_flag(Some(&engine.project), super::IGNORE_ORPHANS);
    if ignore && remove {
        bail!(
            "cannot combine {} and --remove-orphans",
            super::IGNORE_ORPHANS
        );
    }
    Ok((remove, ignore))
}

/// compose's orphans step of `create`: the project's containers of
/// services no file declares, and its finished one-offs, removed with
/// `--remove-orphans`, else named in a warning; nothing with
/// `COMPOSE_IGNORE_ORPHANS` set (in the shell or the project's `.env`).
fn handle_orphans(
    engine: &Engine,
    store: &mut crate::store::Store,
    members: &[super::engine::Member],
    remove: bool,
    timeout: Option<i64>,
) -> Result<()> {
    let (remove, ignore) = orphan_flags(engine, remove)?;
    let orphans = engine.orphans(members);
    if orphans.is_empty() || ignore {
        return Ok(());
    }
    if !remove {
        let names: Vec<&str> = orphans.iter().map(|m| m.existing.name.as_str()).collect();
        engine.progress.warn(&plan::orphan_warning(&names));
        return Ok(());
    }
    for o in orphans {
        let name = &o.existing.name;
        let mut c = lifecycle_find(store, &o.existing.id)?;
        engine.progress.event("Container", name, "Stopping");
        if !engine.dry_run {
            engine.stop_container(store, &mut c, timeout)?;
        }
        engine.progress.event("Container", name, "Stopped");
        engine.progress.event("Container", name, "Removing");
        if !engine.dry_run {
            engine.remove_container(store, &mut c, false)?;
        }
        engine.progress.event("Container", name, "Removed");
    }
    Ok(())
}

fn lifecycle_find(
    store: &crate::store::Store,
    id: &str,
) -> Result<crate::container::lifecycle::Container> {
    crate::container::lifecycle::find(store, id)
}

pub fn run_create(
    ctx: &Context,
    base: LoadOptions,
    a: ComposeCreateArgs,
    dry_run: bool,
) -> Result<u8> {
    check_recreate_flags(&a, false, false)?;
    let (engine, scale) = prepare(ctx, base, &a, false, dry_run)?;
    converge(&engine, &a, &scale, None, false, false)?;
    Ok(0)
}

/// compose's `validateFlags` for the attach-related flags, with its
/// messages; `--menu` and `--watch` are refused (berth has neither).
fn check_flags(a: &ComposeUpArgs) -> Result<()> {
    if a.menu == Some(true) {
        bail!("--menu is not supported by berth: the navigation menu of an attached up is not implemented (use --menu=false, or leave it out)");
    }
    if a.watch {
        bail!("--watch is not supported by berth: file watching is not implemented");
    }
    // --exit-code-from implies --abort-on-container-exit unless
    // --abort-on-container-failure is given.
    let cascade_stop =
        a.abort_on_container_exit || (a.exit_code_from.is_some() && !a.abort_on_container_failure);
    if cascade_stop && a.abort_on_container_failure {
        bail!("--abort-on-container-failure cannot be combined with --abort-on-container-exit");
    }
    let attaching = a.attach_dependencies || !a.attach.is_empty();
    if a.wait && (attaching || cascade_stop) {
        bail!("--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies");
    }
    if a.wait && a.abort_on_container_failure {
        bail!("--wait cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch");
    }
    if a.detach && (attaching || cascade_stop || a.abort_on_container_failure) {
        bail!("--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch");
    }
    check_recreate_flags(&a.create, a.always_recreate_deps, a.renew_anon_volumes)?;
    if !a.attach.is_empty() && a.attach_dependencies {
        bail!("cannot combine --attach and --attach-dependencies");
    }
    Ok(())
}

pub fn run(ctx: &Context, base: LoadOptions, a: ComposeUpArgs, dry_run: bool) -> Result<u8> {
    check_flags(&a)?;
    let detach = a.detach || a.wait;
    let aborting =
        a.abort_on_container_exit || a.abort_on_container_failure || a.exit_code_from.is_some();
    if a.no_start && (a.wait || aborting) {
        bail!("--no-start is incompatible with --wait, --abort-on-container-exit and --exit-code-from");
    }
    let (engine, scale) = prepare(ctx, base, &a.create, a.no_deps, dry_run)?;
    if let Some(s) = &a.exit_code_from {
        if engine.service(s).is_none() {
            bail!("no such service: {s}");
        }
    }
    let sets = if detach || a.no_start {
        None
    } else {
        Some(super::attach::attach_sets(&engine, &a)?)
    };
    let to_start = converge(
        &engine,
        &a.create,
        &scale,
        a.timeout,
        a.renew_anon_volumes,
        a.always_recreate_deps,
    )?;
    if a.no_start {
        return Ok(0);
    }
    let order = plan::start_order(&engine.svcs).map_err(|e| anyhow!(e))?;
    if detach {
        engine.start_graph(&order, &to_start)?;
        if a.wait && !dry_run {
            let mut store = engine.store()?;
            let timeout = a.wait_timeout.map(std::time::Duration::from_secs);
            engine.wait_ready(&mut store, timeout)?;
        }
        return Ok(0);
    }
    if dry_run {
        // compose creates, then stops short of attaching.
        println!("end of 'compose up' output, interactive run is not supported in dry-run mode");
        return Ok(0);
    }
    let (attach_to, watch) = sets.unwrap_or_default();
    super::attach::run(&engine, &order, &to_start, &a, &attach_to, &watch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::service::{from_labels, labels};

    fn svc(name: &str, deps: &str) -> crate::compose::service::Service {
        let l: BTreeMap<String, String> =
            [(labels::DEPENDS_ON.to_string(), deps.to_string())].into();
        from_labels(name, "alpine", &l)
    }

    fn create_args(flags: &[&str], services: &[&str]) -> ComposeCreateArgs {
        ComposeCreateArgs {
            force_recreate: flags.contains(&"--force-recreate"),
            no_recreate: flags.contains(&"--no-recreate"),
            build: flags.contains(&"--build"),
            no_build: flags.contains(&"--no-build"),
            services: services.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn named_services_and_their_dependencies_recreate_as_compose_decides() {
        use Recreate::{Diverged, Force, Never};
        // (flags, --always-recreate-deps, named, for web, for db)
        type Case = (
            &'static [&'static str],
            bool,
            &'static [&'static str],
            Recreate,
            Recreate,
        );
        let cases: [Case; 7] = [
            (&[], false, &["web"], Diverged, Diverged),
            (&["--force-recreate"], false, &["web"], Force, Diverged),
            (&["--force-recreate"], false, &[], Force, Force),
            (&["--force-recreate"], true, &["web"], Force, Force),
            (&[], true, &["web"], Diverged, Force),
            (&["--no-recreate"], false, &["web"], Never, Never),
            (&["--no-recreate"], false, &[], Never, Never),
        ];
        for (flags, deps, named, web, db) in cases {
            let a = create_args(flags, named);
            let p = RecreatePolicies::of(&a, deps);
            let got = (
                p.for_service(&a.services, "web"),
                p.for_service(&a.services, "db"),
            );
            assert_eq!(got, (web, db), "{flags:?} deps={deps} {named:?}");
        }
    }

    #[test]
    fn recreate_flags_conflict_with_no_recreate_in_composes_words() {
        let no = create_args(&["--no-recreate"], &[]);
        let err = |a: &ComposeCreateArgs, deps, renew| {
            check_recreate_flags(a, deps, renew)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(&no, false, true),
            "--no-recreate and --renew-anon-volumes are incompatible"
        );
        assert_eq!(
            err(&no, true, false),
            "--always-recreate-deps and --no-recreate are incompatible"
        );
        let both = create_args(&["--no-recreate", "--force-recreate"], &[]);
        assert_eq!(
            err(&both, false, false),
            "--force-recreate and --no-recreate are incompatible"
        );
        let force = create_args(&["--force-recreate"], &[]);
        assert!(check_recreate_flags(&force, true, true).is_ok());
        let builds = create_args(&["--build", "--no-build"], &[]);
        assert_eq!(
            err(&builds, false, false),
            "--build and --no-build are incompatible"
        );
    }

    #[test]
    fn no_deps_keeps_the_named_services_and_their_edges_between_them() {
        let mut svcs = vec![
            svc("web", "db:service_healthy:false,api:service_started:false"),
            svc("api", "db:service_started:false"),
            svc("db", ""),
        ];
        no_deps_selection(&mut svcs, &["web".into(), "api".into()]);
        let got: Vec<(&str, Vec<&str>)> = svcs
            .iter()
            .map(|s| {
                let deps = s.depends_on.iter().map(|d| d.service.as_str()).collect();
                (s.name.as_str(), deps)
            })
            .collect();
        assert_eq!(got, [("web", vec!["api"]), ("api", vec![])]);
        assert_eq!(plan::start_order(&svcs).unwrap(), ["api", "web"]);
    }
}
