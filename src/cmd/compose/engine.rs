//! Running a compose model: the project's networks, volumes and
//! containers made and changed through the same engine functions as
//! `network create` (`network::store::create`), `volume create`
//! (`volume::create`) and `create`/`start`/`stop`/`rm`
//! (`cmd::container::create::create_with`, `container::lifecycle`), each
//! labelled as docker compose labels them. Services start along the
//! dependency graph, independent ones in parallel threads (each with its
//! own store connection), gated on `service_healthy` and
//! `service_completed_successfully` with compose's messages.

use super::progress::Progress;
use crate::cmd::container::create::{create_with, NewContainer};
use crate::cmd::context::Context;
use crate::compose::plan::{self, Existing};
use crate::compose::project::Project;
use crate::compose::service::{
    self, container_labels, labels, Condition, NetMode, Service, Support,
};
use crate::container::lifecycle::{self, Container, Host, StartOptions};
use crate::container::spec::{ContainerSpec, MountKind, MountSpec};
use crate::image::read_config;
use crate::shim::health::{Health, HealthStatus};
use crate::store::Store;
use anyhow::{anyhow, bail, Context as _, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

pub struct Engine<'a> {
    pub ctx: &'a Context,
    pub host: Host,
    pub project: Project,
    /// The services this command acts on (enabled, selected), by name.
    pub svcs: Vec<Service>,
    pub progress: Progress,
    pub dry_run: bool,
}

/// A project container: its labels' view and its record.
pub struct Member {
    pub existing: Existing,
    pub container: Container,
}

fn label(c: &Container, key: &str) -> String {
    c.spec.labels.get(key).cloned().unwrap_or_default()
}

impl<'a> Engine<'a> {
    pub fn new(
        ctx: &'a Context,
        project: Project,
        title: &'static str,
        dry_run: bool,
    ) -> Result<Engine<'a>> {
        let svcs = service::services(&project).map_err(|e| anyhow!(e))?;
        Ok(Engine {
            ctx,
            host: ctx.host()?,
            project,
            svcs,
            progress: Progress::new(title, dry_run),
            dry_run,
        })
    }

    /// The engine of a project known only by name (`-p NAME`, no file):
    /// its services rebuilt from its containers' labels, as compose
    /// rebuilds a project from its resources.
    pub fn from_labels(
        ctx: &'a Context,
        name: &str,
        title: &'static str,
        dry_run: bool,
    ) -> Result<Engine<'a>> {
        let mut model = crate::compose::yaml::Map::new();
        model.insert("name".into(), crate::compose::yaml::Node::str(name));
        let project = Project {
            name: name.to_string(),
            working_dir: std::env::current_dir()?,
            config_files: Vec::new(),
            environment: BTreeMap::new(),
            model: crate::compose::yaml::Node::map(model),
            all_profiles: BTreeSet::new(),
            declared_services: BTreeSet::new(),
            variables: BTreeMap::new(),
            warnings: Vec::new(),
        };
        let mut engine = Engine::new(ctx, project, title, dry_run)?;
        let mut store = engine.store()?;
        for m in engine.members(&mut store)? {
            if m.existing.oneoff || engine.service(&m.existing.service).is_some() {
                continue;
            }
            let c = &m.container;
            engine.svcs.push(service::from_labels(
                &m.existing.service,
                &c.spec.image,
                &c.spec.labels,
            ));
        }
        // A dependency whose containers are gone is not waited for.
        let names: BTreeSet<String> = engine.svcs.iter().map(|s| s.name.clone()).collect();
        for s in &mut engine.svcs {
            s.depends_on.retain(|d| names.contains(&d.service));
        }
        // compose's project rebuilt from resources declares the services
        // its containers name: only finished one-offs are orphans.
        engine.project.declared_services = names;
        Ok(engine)
    }

    pub fn store(&self) -> Result<Store> {
        let (_, store) = self.ctx.container_store()?;
        Ok(store)
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.svcs.iter().find(|s| s.name == name)
    }

    /// Every container labelled with this project, refreshed.
    pub fn members(&self, store: &mut Store) -> Result<Vec<Member>> {
        let mut out = Vec::new();
        for row in crate::store::containers::list(store.conn())? {
            if row.status.is_transient() {
                continue;
            }
            let Ok(mut c) = Container::from_row(row) else {
                continue;
            };
            if c.spec.labels.get(labels::PROJECT) != Some(&self.project.name) {
                continue;
            }
            let _ = lifecycle::refresh(&self.host, store, &mut c);
            let existing = Existing {
                id: c.row.id.clone(),
                name: c.row.name.clone(),
                service: label(&c, labels::SERVICE),
                number: label(&c, labels::NUMBER).parse().unwrap_or(0),
                oneoff: label(&c, labels::ONEOFF) == "True",
                hash: label(&c, labels::CONFIG_HASH),
                key_hashes: label(&c, labels::KEY_HASHES),
                image: label(&c, labels::IMAGE),
                running: c.row.status.is_live(),
                exited: matches!(
                    c.row.status,
                    crate::store::containers::Status::Exited
                        | crate::store::containers::Status::Dead
                ),
            };
            out.push(Member {
                existing,
                container: c,
            });
        }
        out.sort_by(|a, b| {
            (&a.existing.service, a.existing.number).cmp(&(&b.existing.service, b.existing.number))
        });
        Ok(out)
    }

    /// The orphans among the project's containers (`plan::is_orphan`
    /// against every service the files declare).
    pub fn orphans<'m>(&self, members: &'m [Member]) -> Vec<&'m Member> {
        members
            .iter()
            .filter(|m| plan::is_orphan(&m.existing, &self.project.declared_services))
            .collect()
    }

    /// The key reports: each key not fully supported warned about once;
    /// rejected keys (and with `strict` anything not supported) refuse, as
    /// do the drivers and driver options of the networks and volumes `up`
    /// would create that berth cannot honour (`compose::resources`);
    /// services with only `build:` refuse, naming them and the way out.
    pub fn check_support(&self, strict: bool) -> Result<()> {
        // compose's error for a secret/config that cannot be made, before
        // anything is created.
        if let Some(e) = self
            .svcs
            .iter()
            .flat_map(|s| &s.files)
            .find_map(|f| f.error())
        {
            bail!("{e}");
        }
        let mut refused = Vec::new();
        let mut warned = BTreeSet::new();
        // The networks and volumes `up` would create.
        let (networks, volumes) = (self.network_keys(), self.volume_keys());
        let made = |kind: &str, key: &str| {
            let keys = if kind == "networks" {
                &networks
            } else {
                &volumes
            };
            keys.contains(key)
        };
        for r in crate::compose::resources::reports(&self.project.model, made) {
            refused.push(format!(
                "{}: {} by berth: {}",
                r.key,
                r.support.as_str(),
                r.reason
            ));
        }
        for r in service::reports(&self.svcs) {
            if r.support == Support::Supported {
                continue;
            }
            let text = format!(
                "services.{}.{}: {} by berth: {}",
                r.service,
                r.key,
                r.support.as_str(),
                r.reason
            );
            if r.support == Support::Rejected || strict {
                refused.push(text);
            } else if warned.insert((r.service.clone(), r.key.clone())) {
                self.progress.warn(&text);
            }
        }
        if !refused.is_empty() {
            bail!(
                "the compose file uses what berth does not support{}:\n  {}",
                if strict { " (--strict)" } else { "" },
                refused.join("\n  ")
            );
        }
        self.check_creatable()
    }

    /// Pull what is missing (or everything, by pull_policy `always`) and
    /// build what has `build:` and no image yet (or everything with
    /// `--build`, or `pull_policy: build`); the image IDs by reference.
    /// The pulls run at the same time (one thread and store connection
    /// each, their events on the one progress display); builds follow,
    /// one at a time, with the services whose pull failed but can build.
    pub fn pull(
        &self,
        store: &mut Store,
        quiet: bool,
        policy: Option<&str>,
        build: BuildMode,
    ) -> Result<BTreeMap<String, String>> {
        let mut ids = BTreeMap::new();
        let mut to_pull: Vec<(&Service, &String)> = Vec::new();
        let mut to_build: Vec<(&Service, &String)> = Vec::new();
        for s in &self.svcs {
            let Some(image) = &s.image else { continue };
            if ids.contains_key(image) || to_pull.iter().chain(&to_build).any(|(_, i)| *i == image)
            {
                continue;
            }
            let found = crate::image::lookup::find(store.conn(), image)
                .ok()
                .map(|r| r.id);
            let wants_build = s.build.is_some()
                && build != BuildMode::Never
                && (build == BuildMode::Force
                    || s.pull_policy == "build"
                    || (found.is_none() && !s.image_given));
            if wants_build {
                to_build.push((s, image));
                continue;
            }
            let policy = match policy.unwrap_or(&s.pull_policy) {
                "always" => "always",
                "never" => "never",
                _ => "missing",
            };
            match (found, policy) {
                (Some(id), "missing" | "never") => {
                    ids.insert(image.clone(), id);
                }
                (found, _) if self.dry_run => {
                    self.progress.event("Image", image, "Pulled");
                    ids.insert(image.clone(), found.unwrap_or_default());
                }
                _ if policy == "never" || !s.image_given => bail!("No such image: {image}"),
                _ => to_pull.push((s, image)),
            }
        }
        let pulled: Vec<Result<String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = to_pull
                .iter()
                .map(|(s, image)| {
                    scope.spawn(move || {
                        let mut store = Store::open(self.host.layout.clone())?;
                        self.pull_one(&mut store, s, image, quiet)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow!("pull thread panicked")))
                })
                .collect()
        });
        for ((s, image), r) in to_pull.into_iter().zip(pulled) {
            match r {
                Ok(id) => {
                    ids.insert(image.clone(), id);
                }
                // compose builds what it could not pull.
                Err(e) if s.build.is_some() && build != BuildMode::Never => {
                    self.progress.warn(&format!("{image}: {e:#}; building it"));
                    to_build.push((s, image));
                }
                Err(e) => return Err(e),
            }
        }
        for (s, image) in to_build {
            ids.insert(image.clone(), self.build(s, image, &BuildFlags::default())?);
        }
        Ok(ids)
    }

    fn pull_one(&self, store: &mut Store, s: &Service, image: &str, quiet: bool) -> Result<String> {
        if !quiet {
            self.progress.event("Image", image, "Pulling");
        }
        let reference = crate::image::reference::Reference::parse(image)?;
        let platform = match &s.opts.platform {
            Some(p) => crate::image::manifest::parse_platform(p).map_err(|e| anyhow!(e))?,
            None => crate::image::manifest::host_platform(),
        };
        let opts = crate::image::pull::PullOptions {
            reference,
            platform,
            max_concurrent_downloads: self.ctx.settings.max_concurrent_downloads,
        };
        let pulled = crate::image::pull::pull_and_record(
            store,
            self.ctx.registry()?,
            &opts,
            std::sync::Arc::new(crate::image::progress::Silent),
        )?;
        if !quiet {
            self.progress.event("Image", image, "Pulled");
        }
        Ok(pulled.config_digest.to_string())
    }

    /// `berth build` of a service's `build:` tagged `image` (its steps'
    /// output on stderr, as compose shows the build), the image labelled
    /// as compose labels what it builds (`getImageBuildLabels`: the
    /// build's labels, then project, service and version), which is how
    /// `down --rmi local` finds it.
    pub fn build(&self, s: &Service, image: &str, flags: &BuildFlags) -> Result<String> {
        let b = s
            .build
            .as_ref()
            .expect("only services with build: are built");
        self.progress.event("Image", image, "Building");
        if self.dry_run {
            self.progress.event("Image", image, "Built");
            return Ok(String::new());
        }
        let argv = self.build_argv(s, b, image, flags);
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            a: crate::cli::build::BuildArgs,
        }
        let w = <Wrap as clap::Parser>::try_parse_from(&argv)
            .map_err(|e| anyhow!("service {:?}: build: {e}", s.name))?;
        let mut err = std::io::stderr();
        let (id, _) =
            crate::cmd::build::build_with(self.ctx, &w.a, &mut std::io::stderr(), &mut err)
                .with_context(|| format!("failed to build service {:?}", s.name))?;
        self.progress.event("Image", image, "Built");
        Ok(id)
    }

    /// The `berth build` command line of a service's build.
    fn build_argv(
        &self,
        s: &Service,
        b: &service::BuildSpec,
        image: &str,
        flags: &BuildFlags,
    ) -> Vec<String> {
        let mut argv: Vec<String> = vec!["build".into(), "--progress".into(), "plain".into()];
        argv.extend(["-t".into(), image.to_string()]);
        if let Some(f) = &b.dockerfile {
            argv.extend(["-f".into(), f.clone()]);
        }
        for a in build_args(&b.args, &flags.args, &self.project.environment) {
            argv.extend(["--build-arg".into(), a]);
        }
        let mut l: BTreeMap<String, String> = b
            .labels
            .iter()
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (kv.clone(), String::new()),
            })
            .collect();
        l.insert(labels::VERSION.into(), labels::COMPOSE_VERSION.into());
        l.insert(labels::PROJECT.into(), self.project.name.clone());
        l.insert(labels::SERVICE.into(), s.name.clone());
        for (k, v) in l {
            argv.extend(["--label".into(), format!("{k}={v}")]);
        }
        if let Some(t) = &b.target {
            argv.extend(["--target".into(), t.clone()]);
        }
        if flags.no_cache {
            argv.push("--no-cache".into());
        }
        if flags.pull {
            argv.push("--pull".into());
        }
        if flags.quiet {
            argv.push("--quiet".into());
        }
        argv.push(b.context.clone());
        argv
    }

    /// Network keys the acting services use, with their definitions.
    fn network_keys(&self) -> BTreeSet<String> {
        self.svcs
            .iter()
            .filter_map(|s| match &s.net {
                NetMode::Networks(a) => Some(a.iter().map(|a| a.key.clone())),
                _ => None,
            })
            .flatten()
            .collect()
    }

    fn definition(&self, kind: &str, key: &str) -> crate::compose::yaml::Map {
        self.project
            .model
            .as_map()
            .and_then(|m| m.get(kind))
            .and_then(|n| n.as_map())
            .and_then(|m| m.get(key))
            .and_then(|n| n.as_map())
            .cloned()
            .unwrap_or_default()
    }

    fn is_external(def: &crate::compose::yaml::Map) -> bool {
        def.get("external").is_some_and(|x| {
            matches!(x.value, crate::compose::yaml::Value::Bool(true)) || x.as_str() == Some("true")
        })
    }

    fn resource_labels(
        &self,
        kind_label: &str,
        key: &str,
        def: &crate::compose::yaml::Map,
    ) -> BTreeMap<String, String> {
        let mut l: BTreeMap<String, String> = def
            .get("labels")
            .and_then(|n| n.as_map())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.scalar_text().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        l.insert(kind_label.into(), key.into());
        l.insert(labels::PROJECT.into(), self.project.name.clone());
        l.insert(labels::VERSION.into(), labels::COMPOSE_VERSION.into());
        l
    }

    /// Create the project networks the services use (external ones must
    /// exist and are used as they are).
    pub fn ensure_networks(&self, store: &mut Store) -> Result<()> {
        let env = self.ctx.net_env();
        for key in self.network_keys() {
            let def = self.definition("networks", &key);
            let name = service::resource_name(
                self.project.model.as_map().unwrap_or(&Default::default()),
                "networks",
                &key,
            )
            .unwrap_or_else(|| key.clone());
            if crate::network::store::is_predefined(&name)
                || name == crate::network::store::DEFAULT_NETWORK
            {
                continue;
            }
            let found = crate::network::store::find(store, &name)
                .ok()
                .filter(|n| n.name == name);
            if Self::is_external(&def) {
                if found.is_none() {
                    bail!("network {name} declared as external, but could not be found");
                }
                continue;
            }
            if let Some(n) = found {
                if n.labels.get(labels::PROJECT) != Some(&self.project.name) {
                    self.progress.warn(&format!(
                        "a network with name {name} exists but was not created for project {:?}.\nSet `external: true` to use an existing network",
                        self.project.name
                    ));
                }
                continue;
            }
            self.progress.event("Network", &name, "Creating");
            if !self.dry_run {
                let req = network_request(
                    &name,
                    &def,
                    self.resource_labels(labels::NETWORK, &key, &def),
                )?;
                if let Err(e) = crate::network::store::create(&env, store, req) {
                    // Another command of this project (a concurrent `run`
                    // or `up`) made it meanwhile: use it.
                    let theirs = crate::network::store::find(store, &name).ok().filter(|n| {
                        n.name == name && n.labels.get(labels::PROJECT) == Some(&self.project.name)
                    });
                    if theirs.is_none() {
                        return Err(e).with_context(|| format!("failed to create network {name}"));
                    }
                }
            }
            self.progress.event("Network", &name, "Created");
        }
        Ok(())
    }

    /// The volume keys the acting services mount.
    fn volume_keys(&self) -> BTreeSet<String> {
        self.project
            .model
            .as_map()
            .and_then(|m| m.get("services"))
            .and_then(|n| n.as_map())
            .into_iter()
            .flatten()
            .filter(|(n, _)| self.service(n).is_some())
            .flat_map(|(_, s)| {
                s.as_map()
                    .and_then(|m| m.get("volumes"))
                    .and_then(|v| v.as_seq())
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|v| {
                let m = v.as_map()?;
                (m.get("type")?.as_str()? == "volume").then(|| m.get("source")?.scalar_text())?
            })
            .collect()
    }

    /// What `ensure_networks`, `ensure_volumes` and the creates would
    /// refuse, checked before anything is made: external networks and
    /// volumes that do not exist, network definitions `network create`
    /// would refuse, `external_links` to containers that do not exist.
    pub fn check_resources(&self, store: &Store) -> Result<()> {
        let top = self.project.model.as_map().cloned().unwrap_or_default();
        for key in self.network_keys() {
            let def = self.definition("networks", &key);
            let name =
                service::resource_name(&top, "networks", &key).unwrap_or_else(|| key.clone());
            if crate::network::store::is_predefined(&name)
                || name == crate::network::store::DEFAULT_NETWORK
            {
                continue;
            }
            let found = crate::network::store::find(store, &name)
                .ok()
                .is_some_and(|n| n.name == name);
            if Self::is_external(&def) {
                if !found {
                    bail!("network {name} declared as external, but could not be found");
                }
            } else if !found {
                network_request(&name, &def, BTreeMap::new())?;
            }
        }
        for key in self.volume_keys() {
            let def = self.definition("volumes", &key);
            let name = service::resource_name(&top, "volumes", &key).unwrap_or_else(|| key.clone());
            if Self::is_external(&def) && crate::volume::get(store, &name).is_err() {
                bail!("external volume \"{name}\" not found");
            }
        }
        for svc in &self.svcs {
            for (target, _) in &svc.external_links {
                if lifecycle::find(store, target).is_err() {
                    bail!("Error response from daemon: could not get container for {target}: No such container: {target}");
                }
            }
        }
        Ok(())
    }

    /// Create the project volumes the services mount.
    pub fn ensure_volumes(&self, store: &mut Store) -> Result<()> {
        let top = self.project.model.as_map().cloned().unwrap_or_default();
        let used = self.volume_keys();
        for key in used {
            let def = self.definition("volumes", &key);
            let name = service::resource_name(&top, "volumes", &key).unwrap_or_else(|| key.clone());
            let found = crate::volume::get(store, &name).ok();
            if Self::is_external(&def) {
                if found.is_none() {
                    bail!("external volume \"{name}\" not found");
                }
                continue;
            }
            if let Some(v) = found {
                let l = crate::volume::labels(&v).unwrap_or_default();
                if l.get(labels::PROJECT) != Some(&self.project.name) {
                    self.progress.warn(&format!(
                        "volume \"{name}\" already exists but was not created by Docker Compose. Use `external: true` to use an existing volume"
                    ));
                }
                continue;
            }
            self.progress.event("Volume", &name, "Creating");
            if !self.dry_run {
                let opts = crate::volume::CreateOptions {
                    name: Some(name.clone()),
                    driver: def.get("driver").and_then(|d| d.scalar_text()),
                    labels: self.resource_labels(labels::VOLUME, &key, &def),
                    driver_opts: def
                        .get("driver_opts")
                        .and_then(|n| n.as_map())
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| (k.clone(), v.scalar_text().unwrap_or_default()))
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                crate::volume::create(store, &opts)?;
            }
            self.progress.event("Volume", &name, "Created");
        }
        Ok(())
    }

    /// Create container number `n` of a service.
    pub fn create(
        &self,
        store: &mut Store,
        svc: &Service,
        number: u32,
        image_id: &str,
        oneoff: Option<(&str, CreateTweak)>,
    ) -> Result<Container> {
        self.create_as(store, svc, number, image_id, oneoff, None)
    }

    /// compose's `recreateContainer`: the replacement is created first
    /// under a temporary name (`<old-id-prefix>_<name>`, labelled with
    /// what it replaces), so a create that fails leaves the old container
    /// as it was; then the old one is stopped and removed and the new one
    /// takes its name. With `inherit`, the new container mounts the old
    /// one's anonymous volumes where it mounted them (compose's inherited
    /// container; `up -V` renews them instead). The new container's ID.
    pub fn recreate(
        &self,
        store: &mut Store,
        svc: &Service,
        old: &plan::Existing,
        image_id: &str,
        timeout: Option<i64>,
        inherit: bool,
    ) -> Result<String> {
        let name = plan::container_name(&self.project.name, svc, old.number);
        let tmp = format!("{}_{name}", &old.id[..old.id.len().min(12)]);
        let replaced = svc
            .container_name
            .clone()
            .unwrap_or_else(|| format!("{}-{}", svc.name, old.number));
        let mut c = lifecycle::find(store, &old.id)?;
        let inherited: Vec<MountSpec> = if inherit {
            c.spec
                .mounts
                .iter()
                .filter(|m| m.kind == MountKind::Volume && m.anonymous && !m.source.is_empty())
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let new = self.create_as(
            store,
            svc,
            old.number,
            image_id,
            None,
            Some(Replacing {
                tmp: &tmp,
                replaced: &replaced,
                inherited,
            }),
        )?;
        self.stop_container(store, &mut c, timeout)?;
        self.remove_container(store, &mut c, false)?;
        store
            .write(|tx| crate::store::containers::rename(tx, &new.row.id, &name))
            .map_err(|e| anyhow!("Error when allocating new name: {e}"))?;
        let renamed = crate::store::containers::ContainerRow {
            name: name.clone(),
            ..new.row.clone()
        };
        self.host.emit(
            &renamed,
            &new.spec,
            "rename",
            &[("oldName", format!("/{tmp}"))],
        );
        Ok(new.row.id)
    }

    /// The one creation path: `oneoff` names a one-off container,
    /// `replacing` a replacement.
    fn create_as(
        &self,
        store: &mut Store,
        svc: &Service,
        number: u32,
        image_id: &str,
        oneoff: Option<(&str, CreateTweak)>,
        replacing: Option<Replacing>,
    ) -> Result<Container> {
        let mut opts = svc.opts.clone();
        let name = match (&oneoff, &replacing) {
            (Some((n, _)), _) => n.to_string(),
            (None, Some(r)) => r.tmp.to_string(),
            (None, None) => plan::container_name(&self.project.name, svc, number),
        };
        let mut l = container_labels(&self.project, svc, number, oneoff.is_some(), image_id);
        if let Some((_, t)) = &oneoff {
            l.insert(labels::SLUG.into(), t.slug.clone());
        }
        let inherited = match replacing {
            Some(r) => {
                l.insert(labels::REPLACE.into(), r.replaced.to_string());
                r.inherited
            }
            None => Vec::new(),
        };
        opts.labels
            .extend(l.iter().map(|(k, v)| format!("{k}={v}")));
        let (aliases, extra_ips) = self.net_options(svc, &mut opts, oneoff.is_none())?;
        self.name_shared_containers(&mut opts);
        for f in &svc.files {
            let path = self.write_file(f)?;
            opts.mounts.push(format!(
                "type=bind,source={},target={},readonly",
                path.display(),
                f.target
            ));
        }
        if let Some((_, t)) = &oneoff {
            (t.apply)(&mut opts);
        }
        let health = svc.healthcheck.clone();
        let entrypoint = match &oneoff {
            Some((_, t)) if t.entrypoint.is_some() => t.entrypoint.clone(),
            _ => svc.entrypoint.clone(),
        };
        let prepare = move |spec: &mut ContainerSpec| -> Result<()> {
            for (net, a) in &aliases {
                spec.network_aliases.insert(net.clone(), a.clone());
            }
            spec.network_ips.extend(extra_ips.clone());
            if let Some(h) = &health {
                spec.healthcheck = Some(h.clone());
            }
            if let Some(e) = &entrypoint {
                spec.entrypoint = Some(e.clone());
            }
            inherit_volumes(&mut spec.mounts, &inherited);
            Ok(())
        };
        let (c, _) = create_with(
            self.ctx,
            &self.host,
            store,
            &NewContainer {
                name: Some(name),
                pull: "never".into(),
                opts,
                prepare: Some(&prepare),
            },
        )?;
        Ok(c)
    }

    /// `pid:`/`ipc: service:x` and `volumes_from: [x[:mode]]` name x's
    /// first container, as compose resolves them; `container:x` entries
    /// of `volumes_from` are x itself.
    /// The name of service `s`'s first container, which `service:s`
    /// modes join: from the model when `s` acts (it is created before the
    /// services that join it); else (`up --no-deps`, or a service the
    /// selection left out) the project's existing container of `s` with
    /// the lowest number, as compose's `resolveSharedNamespaces` takes it
    /// from the observed containers; else the name the file gives it
    /// (`container_name`, or `<project>-s-1`), for the runtime to report
    /// missing.
    fn first_container(&self, s: &str) -> String {
        if let Some(t) = self.service(s) {
            return plan::container_name(&self.project.name, t, 1);
        }
        let existing = self.store().ok().and_then(|store| {
            let rows = crate::store::containers::list(store.conn()).ok()?;
            rows.into_iter()
                .filter_map(|row| Container::from_row(row).ok())
                .filter(|c| {
                    c.spec.labels.get(labels::PROJECT) == Some(&self.project.name)
                        && label(c, labels::SERVICE) == s
                        && label(c, labels::ONEOFF) != "True"
                })
                .min_by_key(|c| label(c, labels::NUMBER).parse::<u32>().unwrap_or(u32::MAX))
                .map(|c| c.row.name)
        });
        existing.unwrap_or_else(|| {
            self.project
                .model
                .as_map()
                .and_then(|m| m.get("services"))
                .and_then(|n| n.as_map())
                .and_then(|m| m.get(s))
                .and_then(|n| n.as_map())
                .and_then(|m| m.get("container_name"))
                .and_then(|n| n.scalar_text())
                .unwrap_or_else(|| format!("{}-{s}-1", self.project.name))
        })
    }

    fn name_shared_containers(&self, opts: &mut crate::container::options::CreateOptions) {
        let first = |s: &str| self.first_container(s);
        for mode in [&mut opts.pid, &mut opts.ipc] {
            if let Some(s) = mode.as_deref().and_then(|m| m.strip_prefix("service:")) {
                *mode = Some(format!("container:{}", first(s)));
            }
        }
        for v in &mut opts.volumes_from {
            *v = match v.strip_prefix("container:") {
                Some(c) => c.to_string(),
                None => match v.split_once(':') {
                    Some((s, mode)) => format!("{}:{mode}", first(s)),
                    None => first(v),
                },
            };
        }
    }

    /// A service's networks in its container options (the primary one's
    /// static addresses and MAC through `--ip`/`--ip6`/`--mac-address`);
    /// the aliases per network (none for a one-off) and the static
    /// addresses on the other networks, as `network connect --ip`.
    #[allow(clippy::type_complexity)]
    fn net_options(
        &self,
        svc: &Service,
        opts: &mut crate::container::options::CreateOptions,
        with_aliases: bool,
    ) -> Result<(
        BTreeMap<String, Vec<String>>,
        BTreeMap<String, Vec<std::net::IpAddr>>,
    )> {
        let mut aliases = BTreeMap::new();
        let mut extra_ips = BTreeMap::new();
        match &svc.net {
            NetMode::Networks(atts) => {
                opts.networks = atts.iter().map(|a| a.name.clone()).collect();
                for (i, a) in atts.iter().enumerate() {
                    if with_aliases {
                        aliases.insert(a.name.clone(), a.aliases.clone());
                    }
                    if i == 0 {
                        opts.ip = a.ipv4_address.clone();
                        opts.ip6 = a.ipv6_address.clone();
                        if a.mac_address.is_some() {
                            opts.mac_address = a.mac_address.clone();
                        }
                    } else {
                        let ips = crate::container::netconnect::parse_ips(
                            a.ipv4_address.as_deref(),
                            a.ipv6_address.as_deref(),
                        )?;
                        if !ips.is_empty() {
                            extra_ips.insert(a.name.clone(), ips);
                        }
                    }
                }
            }
            NetMode::Plain(m) => opts.networks = vec![m.clone()],
            NetMode::Service(s) => {
                opts.networks = vec![format!("container:{}", self.first_container(s))];
            }
        }
        Ok((aliases, extra_ips))
    }

    /// compose's refusals that Docker would give only at container
    /// create, checked for every acting service before anything is made:
    /// its container options as `create_as` builds them validated
    /// (`CreateOptions::validate`: log driver and options, restart,
    /// healthcheck, ports, devices, ulimits...) and its mounts resolved.
    fn check_creatable(&self) -> Result<()> {
        for svc in &self.svcs {
            let mut opts = svc.opts.clone();
            self.net_options(svc, &mut opts, false)
                .and_then(|_| {
                    self.name_shared_containers(&mut opts);
                    let spec = opts.validate(&self.ctx.settings.runtime)?;
                    crate::container::mounts::resolve(spec.mounts, &[])?;
                    Ok(())
                })
                .with_context(|| format!("service {:?}", svc.name))?;
        }
        Ok(())
    }

    /// The project's directory of secret and config files berth writes
    /// (root-only; `down` removes it).
    pub fn files_dir(&self) -> std::path::PathBuf {
        files_dir(&self.host.layout.data_root, &self.project.name)
    }

    /// Write an `environment:`/`content:` secret or config (named by its
    /// bytes, owner and mode, so replicas and recreates share it and a
    /// changed value gets a new file) and return its host path.
    fn write_file(&self, f: &crate::compose::files::FileMount) -> Result<std::path::PathBuf> {
        use sha2::{Digest, Sha256};
        use std::os::unix::fs::DirBuilderExt;
        let crate::compose::files::Source::Content(bytes) = &f.source else {
            bail!(
                "{}",
                f.error()
                    .unwrap_or_else(|| format!("{} {:?} has no content", f.kind, f.name))
            );
        };
        let dir = self.files_dir();
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        let mut h = Sha256::new();
        h.update(format!("{}:{}:{:o}\n", f.uid, f.gid, f.mode));
        h.update(bytes.as_bytes());
        let path = dir.join(hex::encode(h.finalize()));
        if !path.exists() {
            crate::sys::fs::write_atomic_owned(&path, bytes.as_bytes(), f.mode, f.uid, f.gid)?;
        }
        Ok(path)
    }

    /// Stop (the service's grace period, or `timeout`) and remove.
    pub fn stop_container(
        &self,
        store: &mut Store,
        c: &mut Container,
        timeout: Option<i64>,
    ) -> Result<()> {
        let lock = self.host.lock(&c.row.id)?;
        let image_config = read_config(&self.ctx.content(), &c.row.image_id).ok();
        lifecycle::stop(
            &self.host,
            store,
            &lock,
            c,
            image_config.as_ref(),
            timeout,
            None,
        )
    }

    pub fn remove_container(
        &self,
        store: &mut Store,
        c: &mut Container,
        volumes: bool,
    ) -> Result<()> {
        let lock = self.host.lock(&c.row.id)?;
        lifecycle::remove(&self.host, store, &lock, c, true, volumes)
    }

    /// Start one container (if it is not running).
    pub fn start_container(&self, store: &mut Store, id: &str) -> Result<()> {
        let mut c = lifecycle::find(store, id)?;
        let lock = self.host.lock(&c.row.id)?;
        lifecycle::refresh(&self.host, store, &mut c)?;
        if c.row.status.is_live() {
            return Ok(());
        }
        let image_config = read_config(&self.ctx.content(), &c.row.image_id)?;
        self.apply_links(store, &mut c)?;
        self.progress.event("Container", &c.row.name, "Starting");
        lifecycle::start(
            &self.host,
            store,
            &lock,
            &mut c,
            &image_config,
            StartOptions { attach: None },
        )
        .map_err(|f| f.error)?;
        self.progress.event("Container", &c.row.name, "Started");
        Ok(())
    }

    /// Before a start: the container's link lines (see `link_hosts`) in
    /// its stored extra hosts, last start's replaced (the linked
    /// containers' addresses may have changed), the user's kept.
    pub fn apply_links(&self, store: &mut Store, c: &mut Container) -> Result<()> {
        if let Some((names, hosts)) = self.link_hosts(store, c)? {
            c.spec.extra_hosts.retain(|(n, _)| !names.contains(n));
            c.spec.extra_hosts.extend(hosts);
            let json = c.spec.to_json()?;
            store.write(|tx| crate::store::containers::set_spec(tx, &c.row.id, &json))?;
        }
        Ok(())
    }

    /// `links` and `external_links` as compose passes them to Docker
    /// (`getLinks`: a service link names each linked container by its
    /// alias, `<service>-<n>` and `<project>-<service>-<n>`, n the linking
    /// container's number), made resolvable in this container only: /etc/hosts
    /// lines (name, the linked container's address on a network both are
    /// on). The names managed and the lines; None without links.
    #[allow(clippy::type_complexity)]
    fn link_hosts(
        &self,
        store: &mut Store,
        c: &Container,
    ) -> Result<Option<(BTreeSet<String>, Vec<(String, String)>)>> {
        use crate::store::networks as rows;
        let svc_name = c
            .spec
            .labels
            .get(labels::SERVICE)
            .cloned()
            .unwrap_or_default();
        let Some(svc) = self.service(&svc_name) else {
            return Ok(None);
        };
        if svc.links.is_empty() && svc.external_links.is_empty() {
            return Ok(None);
        }
        let number = c
            .spec
            .labels
            .get(labels::NUMBER)
            .cloned()
            .unwrap_or_default();
        let mut mine = BTreeSet::new();
        for n in c.spec.cni_networks() {
            if let Some(r) = rows::get_by_name(store.conn(), &n)? {
                mine.insert(r.id);
            }
        }
        let ip_of = |store: &Store, id: &str| -> Result<Option<String>> {
            Ok(rows::endpoints_of_container(store.conn(), id)?
                .into_iter()
                .find(|e| mine.contains(&e.network_id) && !e.ip.is_empty())
                .map(|e| e.ip.split('/').next().unwrap_or_default().to_string()))
        };
        let mut names = BTreeSet::new();
        let mut hosts = Vec::new();
        for (target, alias) in &svc.links {
            let given = [
                alias.clone(),
                format!("{target}-{number}"),
                format!("{}-{target}-{number}", self.project.name),
            ];
            names.extend(given.iter().cloned());
            for linked in self.service_containers(store, target)? {
                if let Some(ip) = ip_of(store, &linked.row.id)? {
                    for n in &given {
                        if !hosts.iter().any(|(h, _): &(String, String)| h == n) {
                            hosts.push((n.clone(), ip.clone()));
                        }
                    }
                }
            }
        }
        for (target, alias) in &svc.external_links {
            names.insert(alias.clone());
            let linked = lifecycle::find(store, target).map_err(|_| {
                anyhow!("Error response from daemon: could not get container for {target}: No such container: {target}")
            })?;
            if let Some(ip) = ip_of(store, &linked.row.id)? {
                hosts.push((alias.clone(), ip));
            }
        }
        Ok(Some((names, hosts)))
    }

    /// Start services along the graph: each once the services it depends
    /// on are started and meet their condition; independent ones at the
    /// same time. `to_start` holds the container IDs of each service.
    pub fn start_graph(
        &self,
        order: &[String],
        to_start: &BTreeMap<String, Vec<String>>,
    ) -> Result<()> {
        #[derive(Clone, PartialEq)]
        enum St {
            Pending,
            Done,
            Failed(String),
        }
        let state: Mutex<BTreeMap<String, St>> =
            Mutex::new(order.iter().map(|s| (s.clone(), St::Pending)).collect());
        let cv = Condvar::new();
        std::thread::scope(|scope| {
            for name in order {
                let (state, cv) = (&state, &cv);
                scope.spawn(move || {
                    let result = (|| -> Result<()> {
                        let svc = self
                            .service(name)
                            .ok_or_else(|| anyhow!("no such service: {name}"))?;
                        // Wait until what it depends on was handled.
                        {
                            let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
                            loop {
                                let pending = svc
                                    .depends_on
                                    .iter()
                                    .any(|d| g.get(&d.service) == Some(&St::Pending));
                                if !pending {
                                    break;
                                }
                                g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
                            }
                            for d in &svc.depends_on {
                                if let Some(St::Failed(e)) = g.get(&d.service) {
                                    if d.required {
                                        return Err(anyhow!("{e}"));
                                    }
                                }
                            }
                        }
                        let mut store = Store::open(self.host.layout.clone())?;
                        for d in &svc.depends_on {
                            if !order.contains(&d.service) || d.condition == Condition::Started {
                                continue;
                            }
                            if self.dry_run {
                                self.dry_wait(&mut store, &d.service, d.condition, to_start);
                                continue;
                            }
                            if let Err(e) = self.wait_condition(&mut store, &d.service, d.condition)
                            {
                                if d.required {
                                    return Err(e);
                                }
                                self.progress.warn(&format!(
                                    "optional dependency {:?} failed: {e}",
                                    d.service
                                ));
                            }
                        }
                        for id in to_start.get(name).into_iter().flatten() {
                            if self.dry_run {
                                self.dry_start(&store, id);
                            } else {
                                self.start_container(&mut store, id)?;
                            }
                        }
                        Ok(())
                    })();
                    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
                    g.insert(
                        name.clone(),
                        match &result {
                            Ok(()) => St::Done,
                            Err(e) => St::Failed(format!("{e:#}")),
                        },
                    );
                    cv.notify_all();
                });
            }
        });
        let g = state.into_inner().unwrap_or_else(|e| e.into_inner());
        // The first failure in start order is the one reported.
        for name in order {
            if let Some(St::Failed(e)) = g.get(name) {
                bail!("{e}");
            }
        }
        Ok(())
    }

    /// The name a dry run shows for an entry of `to_start`: a container
    /// ID, or the name of a container the dry run only pretended to
    /// create; None for a container already running.
    fn dry_name(&self, store: &Store, entry: &str) -> Option<String> {
        match lifecycle::find(store, entry) {
            Ok(c) if c.row.status.is_live() => None,
            Ok(c) => Some(c.row.name),
            Err(_) => Some(entry.to_string()),
        }
    }

    /// `--dry-run`'s start: the events a start prints, nothing started.
    fn dry_start(&self, store: &Store, entry: &str) {
        if let Some(name) = self.dry_name(store, entry) {
            self.progress.event("Container", &name, "Starting");
            self.progress.event("Container", &name, "Started");
        }
    }

    /// `--dry-run`'s wait for a dependency: compose's dry-run client
    /// answers every inspect with a running, healthy container, so the
    /// wait prints its events and passes at once.
    fn dry_wait(
        &self,
        store: &mut Store,
        dep: &str,
        cond: Condition,
        to_start: &BTreeMap<String, Vec<String>>,
    ) {
        let mut names: BTreeSet<String> = to_start
            .get(dep)
            .into_iter()
            .flatten()
            .map(|e| match lifecycle::find(store, e) {
                Ok(c) => c.row.name,
                Err(_) => e.clone(),
            })
            .collect();
        if let Ok(cs) = self.service_containers(store, dep) {
            names.extend(cs.into_iter().map(|c| c.row.name));
        }
        let done = if cond == Condition::Healthy {
            "Healthy"
        } else {
            "Exited"
        };
        for n in &names {
            self.progress.event("Container", n, "Waiting");
        }
        for n in &names {
            self.progress.event("Container", n, done);
        }
    }

    /// The containers of a service (not one-offs) as the store has them now.
    fn service_containers(&self, store: &mut Store, name: &str) -> Result<Vec<Container>> {
        Ok(self
            .members(store)?
            .into_iter()
            .filter(|m| m.existing.service == name && !m.existing.oneoff)
            .map(|m| m.container)
            .collect())
    }

    /// Health of a container: None when it has no healthcheck.
    fn health(&self, c: &Container) -> Option<HealthStatus> {
        let image_config = read_config(&self.ctx.content(), &c.row.image_id).ok();
        let hc = lifecycle::healthcheck(&c.spec, image_config.as_ref())?;
        hc.resolve(Default::default(), 0, Default::default())?;
        Some(
            Health::read(&self.host.state_dir(&c.row.id))
                .map_or(HealthStatus::Starting, |h| h.status),
        )
    }

    /// compose's `waitDependencies` for one dependency.
    fn wait_condition(&self, store: &mut Store, dep: &str, cond: Condition) -> Result<()> {
        let containers = self.service_containers(store, dep)?;
        for c in &containers {
            self.progress.event("Container", &c.row.name, "Waiting");
        }
        loop {
            let mut all = true;
            for c in self.service_containers(store, dep)? {
                let name = &c.row.name;
                let live = c.row.status.is_live();
                match cond {
                    Condition::Started => {}
                    Condition::Healthy => match self.health(&c) {
                        None => bail!("dependency failed to start: container {name} has no healthcheck configured"),
                        Some(HealthStatus::Healthy) => {}
                        Some(HealthStatus::Unhealthy) => {
                            self.progress.event("Container", name, "Error");
                            bail!("dependency failed to start: container {name} is unhealthy")
                        }
                        Some(_) if !live => {
                            self.progress.event("Container", name, "Error");
                            bail!("dependency failed to start: container {name} exited ({})", c.row.exit_code)
                        }
                        Some(_) => all = false,
                    },
                    Condition::CompletedSuccessfully => {
                        if live || c.row.status == crate::store::containers::Status::Created {
                            all = false;
                        } else if c.row.exit_code != 0 {
                            self.progress.event("Container", name, "Error");
                            bail!("service {dep:?} didn't complete successfully: exit {}", c.row.exit_code);
                        }
                    }
                }
            }
            if all {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        for c in &containers {
            let status = if cond == Condition::Healthy {
                "Healthy"
            } else {
                "Exited"
            };
            self.progress.event("Container", &c.row.name, status);
        }
        Ok(())
    }

    /// `up --wait`: every container of the acting services running, and
    /// healthy where it has a healthcheck; an exit fails.
    pub fn wait_ready(&self, store: &mut Store, timeout: Option<Duration>) -> Result<()> {
        let begin = Instant::now();
        let names: BTreeSet<String> = self.svcs.iter().map(|s| s.name.clone()).collect();
        let mut announced = BTreeSet::new();
        for m in self.members(store)? {
            let c = &m.container;
            if names.contains(&m.existing.service) && !m.existing.oneoff && c.row.status.is_live() {
                announced.insert(c.row.name.clone());
                self.progress.event("Container", &c.row.name, "Waiting");
            }
        }
        loop {
            // compose's ticker: the first look half a second after the
            // starts, so a service that dies at once fails the wait.
            std::thread::sleep(WAIT_TICK);
            let mut ready = true;
            for m in self.members(store)? {
                if !names.contains(&m.existing.service) || m.existing.oneoff {
                    continue;
                }
                let c = &m.container;
                if c.row.status.is_live() && announced.insert(c.row.name.clone()) {
                    self.progress.event("Container", &c.row.name, "Waiting");
                }
                if !c.row.status.is_live() {
                    // A one-shot others wait to complete is done, not failed.
                    let one_shot = self.svcs.iter().any(|s| {
                        s.depends_on.iter().any(|d| {
                            d.service == m.existing.service
                                && d.condition == Condition::CompletedSuccessfully
                        })
                    });
                    if one_shot && c.row.exit_code == 0 {
                        continue;
                    }
                    bail!("container {} exited ({})", c.row.name, c.row.exit_code);
                }
                match self.health(c) {
                    Some(HealthStatus::Unhealthy) => bail!("container {} is unhealthy", c.row.name),
                    Some(HealthStatus::Healthy) | None => {}
                    Some(_) => ready = false,
                }
            }
            if ready {
                for n in &announced {
                    self.progress.event("Container", n, "Healthy");
                }
                return Ok(());
            }
            if let Some(t) = timeout {
                if begin.elapsed() >= t {
                    bail!(
                        "application not healthy after {}",
                        crate::shim::health::go_duration(t)
                    );
                }
            }
        }
    }
}

/// How often `--wait` looks at the services (compose's 500 ms ticker).
const WAIT_TICK: Duration = Duration::from_millis(500);

/// A replacement's temporary name, what it replaces (the
/// `com.docker.compose.replace` label) and the old container's anonymous
/// volumes.
struct Replacing<'r> {
    tmp: &'r str,
    replaced: &'r str,
    inherited: Vec<MountSpec>,
}

/// compose's inherited anonymous volumes: each of the old container's
/// goes where it was mounted when the new container mounts an unnamed
/// anonymous volume there (`volumes: [/data]`, or the new image's
/// `VOLUME` that nothing else covers: `mounts` are already resolved
/// against the image); anything else the new config says wins.
fn inherit_volumes(mounts: &mut [MountSpec], inherited: &[MountSpec]) {
    for old in inherited {
        if let Some(m) = mounts.iter_mut().find(|m| {
            m.destination == old.destination
                && m.kind == MountKind::Volume
                && m.anonymous
                && m.source.is_empty()
        }) {
            m.source = old.source.clone();
        }
    }
}

/// `--build`, `--no-build`, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildMode {
    Auto,
    Force,
    Never,
}

/// `compose build`'s flags over a service's `build:` (`up` builds with
/// none).
#[derive(Debug, Clone, Default)]
pub struct BuildFlags {
    pub no_cache: bool,
    pub pull: bool,
    pub quiet: bool,
    /// `--build-arg KEY=VALUE` or `KEY`, over the service's `args`.
    pub args: Vec<String>,
}

/// compose's `resolveAndMergeBuildArgs`: the service's args, then the
/// command line's over them; a bare `KEY` takes its value from the
/// project's environment (the shell over `.env`) and is left out when
/// that has none.
fn build_args(service: &[String], cli: &[String], env: &BTreeMap<String, String>) -> Vec<String> {
    let mut merged: Vec<(String, Option<String>)> = Vec::new();
    for kv in service.iter().chain(cli) {
        let (k, v) = match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (kv.clone(), env.get(kv).cloned()),
        };
        match merged.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => merged.push((k, v)),
        }
    }
    merged
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect()
}

/// What a one-off `run` changes on the service's options.
pub struct CreateTweak {
    pub slug: String,
    pub entrypoint: Option<Vec<String>>,
    pub apply: Box<dyn Fn(&mut crate::container::options::CreateOptions)>,
}

/// Where project `project`'s secret and config files are written.
pub fn files_dir(data_root: &std::path::Path, project: &str) -> std::path::PathBuf {
    data_root.join("compose").join(project).join("files")
}

/// `network create`'s request from a compose network definition.
fn network_request(
    name: &str,
    def: &crate::compose::yaml::Map,
    labels: BTreeMap<String, String>,
) -> Result<crate::network::store::CreateRequest> {
    use crate::network::store::{CreateRequest, PoolRequest};
    let text = |n: Option<&crate::compose::yaml::Node>| n.and_then(|n| n.scalar_text());
    let mut pools = Vec::new();
    let configs = def
        .get("ipam")
        .and_then(|i| i.as_map())
        .and_then(|i| i.get("config"))
        .and_then(|c| c.as_seq())
        .cloned()
        .unwrap_or_default();
    for c in configs {
        let Some(cm) = c.as_map() else { continue };
        let parse_net = |k: &str| -> Result<Option<ipnet::IpNet>> {
            text(cm.get(k))
                .map(|s| s.parse().map_err(|_| anyhow!("invalid CIDR address: {s}")))
                .transpose()
        };
        pools.push(PoolRequest {
            subnet: parse_net("subnet")?,
            ip_range: parse_net("ip_range")?,
            gateway: text(cm.get("gateway"))
                .map(|g| g.parse().map_err(|_| anyhow!("invalid IP address: {g}")))
                .transpose()?,
        });
    }
    let truthy = |k: &str| {
        def.get(k)
            .is_some_and(|x| x.scalar_text().as_deref() == Some("true"))
    };
    Ok(CreateRequest {
        name: name.to_string(),
        driver: text(def.get("driver")).unwrap_or_default(),
        pools,
        internal: truthy("internal"),
        ipv6: truthy("enable_ipv6"),
        labels,
        options: def
            .get("driver_opts")
            .and_then(|n| n.as_map())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.scalar_text().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(dest: &str, source: &str, anonymous: bool) -> MountSpec {
        MountSpec {
            kind: MountKind::Volume,
            source: source.into(),
            destination: dest.into(),
            readonly: false,
            options: None,
            anonymous,
            nocopy: false,
            inherited: false,
        }
    }

    #[test]
    fn build_args_merge_as_compose_merges_them() {
        let env: BTreeMap<String, String> = [("FROM_ENV".to_string(), "e".to_string())].into();
        let service = [
            "A=1".to_string(),
            "FROM_ENV".into(),
            "UNSET".into(),
            "B=2".into(),
        ];
        let cli = ["B=3".to_string(), "C".into(), "D=".into()];
        assert_eq!(
            build_args(&service, &cli, &env),
            ["A=1", "FROM_ENV=e", "B=3", "D="]
        );
    }

    #[test]
    fn inherited_anonymous_volumes_go_where_the_new_config_allows() {
        let inherited = [
            volume("/data", "old1", true),
            volume("/cache", "old2", true),
            volume("/img", "old3", true),
            volume("/gone", "old4", true),
        ];
        // Resolved against the new image, whose VOLUME /img nothing covers.
        let mut mounts = vec![
            volume("/data", "", true),
            volume("/cache", "named", false),
            volume("/img", "", true),
        ];
        inherit_volumes(&mut mounts, &inherited);
        let got: Vec<(&str, &str)> = mounts
            .iter()
            .map(|m| (m.destination.as_str(), m.source.as_str()))
            .collect();
        assert_eq!(
            got,
            [("/data", "old1"), ("/cache", "named"), ("/img", "old3")]
        );
    }
}
