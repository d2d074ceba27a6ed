//! Creating, starting, stopping, killing and removing containers.
//!
//! Crash safety (DESIGN.md rule 6): a container's record is inserted with
//! status `creating` while its creator holds the container's `flock`, and
//! only becomes `created` once every file it needs exists; removal marks it
//! `removing` before deleting anything. A record in either transient state
//! whose lock is free belongs to a CLI that was killed: [`sweep`] finishes
//! the job (removes everything), so a container is either fully there or not
//! there. Lifecycle operations on one container serialise on its lock; no
//! database transaction is held across a runtime or shim call.

use super::exit::ExitCode;
use super::names;
use super::spec::{ContainerSpec, LogDriver as LogKind, MountKind, NetworkMode, Seccomp};
use super::state::{self, StateError, Status, Transition};
use crate::image::manifest::ImageConfig;
use crate::runtime::runc::{OciRuntime, RuntimeProvider};
use crate::runtime::spec::{self, SpecOptions};
use crate::shim::attach::AttachOptions;
use crate::shim::launch::{self, LogDriver, ShimConfig, ShimLauncher, ShimStatus};
use crate::snapshot::Snapshotter;
use crate::store::containers::{self, ContainerRow};
use crate::store::{Layout, Store};
use crate::sys::fs::{write_atomic, write_atomic_nosync};
use crate::sys::lock::FileLock;
use anyhow::{anyhow, bail, Context as _, Result};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The engine value: everything the lifecycle needs from the CLI's context,
/// with its effects behind traits (the OCI runtime through `runtimes`, the
/// shim through `shims`), so unit tests run it on fakes without root.
pub struct Host {
    pub layout: Layout,
    /// The berth binary the shim re-executes.
    pub exe: PathBuf,
    /// Global flags to hand to the shim (and through it to `internal cleanup`).
    pub global_args: Vec<OsString>,
    /// Default OCI runtime (`--runtime` global).
    pub default_runtime: String,
    /// How new containers get their root filesystem (existing ones keep the
    /// driver recorded in their snapshot).
    pub snapshot_driver: crate::snapshot::Driver,
    /// The OCI runtime driver of each runtime name.
    pub runtimes: Arc<dyn RuntimeProvider>,
    /// Starts and watches shims.
    pub shims: Arc<dyn ShimLauncher>,
    /// Where networking finds its plugins and keeps its files.
    pub net: crate::network::NetEnv,
    /// Runs the CNI plugins.
    pub cni: std::sync::Arc<dyn crate::network::cni::CniInvoker>,
}

impl Host {
    pub fn snapshots(&self) -> Snapshotter {
        Snapshotter::with_driver(self.layout.snapshots_dir(), self.snapshot_driver)
    }

    pub fn bundle_dir(&self, id: &str) -> PathBuf {
        self.layout.containers_dir().join(id)
    }

    pub fn state_dir(&self, id: &str) -> PathBuf {
        self.layout.state_root.join("containers").join(id)
    }

    pub fn log_path(&self, id: &str) -> PathBuf {
        self.bundle_dir(id).join(format!("{id}-json.log"))
    }

    /// What a container's events carry (see `crate::events`).
    pub fn container_events(
        &self,
        row: &ContainerRow,
        spec: &ContainerSpec,
    ) -> crate::events::ContainerEvents {
        crate::events::ContainerEvents {
            journal: crate::events::journal_dir(&self.layout.data_root),
            id: row.id.clone(),
            name: row.name.clone(),
            image: row.image_ref.clone(),
            labels: spec.labels.clone(),
            volumes: spec
                .mounts
                .iter()
                .filter(|m| m.kind == MountKind::Volume)
                .map(|m| crate::events::VolumeUse {
                    name: m.source.clone(),
                    destination: m.destination.clone(),
                    read_write: !m.readonly,
                    propagation: String::new(),
                })
                .collect(),
        }
    }

    /// Record the container event `action` now (see `crate::events`).
    pub fn emit(
        &self,
        row: &ContainerRow,
        spec: &ContainerSpec,
        action: &str,
        extra: &[(&str, String)],
    ) {
        self.container_events(row, spec).emit(action, extra);
    }

    pub fn runtime_root(&self) -> PathBuf {
        crate::runtime::runtime_root(&self.layout.state_root)
    }

    /// Bytes the container wrote: its overlay upper dir (with the copy
    /// driver nothing is measurable apart from the image, so 0).
    pub fn rw_size(&self, id: &str) -> u64 {
        match self.snapshots().container(id) {
            Ok(s) if s.driver == crate::snapshot::Driver::Overlay => {
                crate::sys::fs::tree_size(&s.upper)
            }
            _ => 0,
        }
    }

    fn lock_path(&self, id: &str) -> PathBuf {
        self.layout
            .locks_dir()
            .join("containers")
            .join(format!("{id}.lock"))
    }

    /// Take the container's lifecycle lock (blocking).
    pub fn lock(&self, id: &str) -> Result<ContainerLock> {
        let p = self.lock_path(id);
        let file = FileLock::exclusive(&p).with_context(|| format!("locking container {id}"))?;
        Ok(ContainerLock {
            id: id.to_string(),
            _file: file,
        })
    }

    /// The OCI runtime a container's spec names (empty: the default).
    pub fn runtime(&self, name: &str) -> Result<Arc<dyn OciRuntime>> {
        Ok(self.runtimes.get(name)?)
    }
}

#[cfg(test)]
impl Host {
    /// A host on `layout` whose runtime and shims are the fakes (returned
    /// too, for the test to script and inspect).
    pub fn with_fakes(
        layout: Layout,
        snapshot_driver: crate::snapshot::Driver,
    ) -> (
        Host,
        Arc<crate::runtime::runc::FakeRuntime>,
        Arc<super::fakes::FakeLauncher>,
    ) {
        let provider = crate::runtime::runc::FakeProvider::default();
        let runtime = provider.runtime.clone();
        let shims = Arc::new(super::fakes::FakeLauncher::new(runtime.clone()));
        let net = crate::network::NetEnv::for_tests(layout.state_root.clone());
        let host = Host {
            layout,
            exe: "/nonexistent/berth".into(),
            global_args: Vec::new(),
            default_runtime: "runc".into(),
            snapshot_driver,
            runtimes: Arc::new(provider),
            shims: shims.clone(),
            net,
            cni: Arc::new(crate::network::cni::FakeInvoker::default()),
        };
        (host, runtime, shims)
    }
}

/// A container's lifecycle lock (an `flock`, released when dropped or when
/// the process dies). Operations that need it borrow it; it names the
/// container it locks, and they refuse another container's.
pub struct ContainerLock {
    id: String,
    _file: FileLock,
}

impl ContainerLock {
    /// Refuse to act on a container this lock does not hold.
    pub(crate) fn holds(&self, c: &Container) -> Result<()> {
        if self.id != c.row.id {
            bail!(
                "internal error: the lock of container {} used for {}",
                self.id,
                c.row.id
            );
        }
        Ok(())
    }
}

/// A container as one operation sees it: its record and its spec, decoded
/// once when it is looked up.
#[derive(Debug, Clone)]
pub struct Container {
    pub row: ContainerRow,
    pub spec: ContainerSpec,
}

impl Container {
    /// Decode a record's stored spec.
    pub fn from_row(row: ContainerRow) -> Result<Container> {
        let spec = ContainerSpec::from_json(&row.spec)
            .with_context(|| format!("container {} has an unreadable config", row.id))?;
        Ok(Container { row, spec })
    }
}

/// What `create` needs besides the validated config.
pub struct CreateRequest {
    pub name: Option<String>,
    pub image_id: String,
    pub image_config: ImageConfig,
    pub config: ContainerSpec,
}

/// Create a container: reserve the name, prepare its snapshot and files,
/// then mark it created. Returns the record.
pub fn create(host: &Host, store: &mut Store, req: CreateRequest) -> Result<Container> {
    let id = names::new_id();
    let lock = host.lock(&id)?;
    let explicit = req.name.is_some();
    let mut name = match &req.name {
        Some(n) => {
            names::validate(n).map_err(|e| anyhow!(e))?;
            n.trim_start_matches('/').to_string()
        }
        None => names::generate(0),
    };
    let now = crate::shim::time::rfc3339_nano(std::time::SystemTime::now());
    let mut row = ContainerRow {
        id: id.clone(),
        name: name.clone(),
        image_id: req.image_id.clone(),
        image_ref: req.config.image.clone(),
        created_at: now,
        spec: req.config.to_json()?,
        status: Status::Creating,
        started_at: state::ZERO_TIME.into(),
        finished_at: state::ZERO_TIME.into(),
        ..Default::default()
    };
    // Reserve the name (generated names retry on collision, as Docker does).
    let mut attempt = 0;
    loop {
        match store.write(|tx| containers::insert(tx, &row)) {
            Ok(()) => break,
            Err(containers::InsertError::NameInUse { .. }) if !explicit && attempt < 10 => {
                attempt += 1;
                name = names::generate(attempt);
                row.name = name.clone();
            }
            Err(e) => {
                let _ = std::fs::remove_file(host.lock_path(&id));
                return Err(e.into());
            }
        }
    }
    match prepare(host, store, &row, &req) {
        Ok(()) => {
            let event = store.write(|tx| state::apply(tx, &id, Transition::Created))?;
            drop(lock);
            let row = event.row;
            host.emit(&row, &req.config, "create", &[]);
            Ok(Container {
                row,
                spec: req.config,
            })
        }
        Err(e) => {
            // Anonymous volumes made for it go too.
            let _ = destroy(host, store, &row, Some(&req.config), true);
            drop(lock);
            Err(e)
        }
    }
}

/// Files and snapshot of a new container.
fn prepare(host: &Host, store: &mut Store, row: &ContainerRow, req: &CreateRequest) -> Result<()> {
    let bundle = host.bundle_dir(&row.id);
    std::fs::create_dir_all(&bundle).with_context(|| format!("creating {}", bundle.display()))?;
    let chains = crate::image::manifest::chain_ids(&req.image_config.rootfs.diff_ids);
    let lifetime = if req.config.auto_remove {
        crate::snapshot::Lifetime::Ephemeral
    } else {
        crate::snapshot::Lifetime::Kept
    };
    host.snapshots()
        .prepare_container(&row.id, &chains, lifetime)
        .context("preparing the container's root filesystem")?;
    for m in &req.config.mounts {
        if m.kind == MountKind::Volume {
            // Creating the volume and recording its use commit together, so
            // a concurrent `volume prune` cannot remove it in between.
            let layout = host.layout.clone();
            let res = store.write(|tx| -> Result<()> {
                crate::volume::ensure_in(tx, &layout, Some(&m.source), m.anonymous)?;
                crate::store::volumes::attach(tx, &row.id, &m.source)?;
                Ok(())
            });
            if let Err(e) = res {
                let _ = crate::volume::discard_uncommitted(store, &m.source);
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Remove everything a container has; the record goes last. With `volumes`,
/// anonymous volumes no other container uses go too.
/// `spec` is None for a record whose spec cannot be read (the runtime is
/// then the default one).
fn destroy(
    host: &Host,
    store: &mut Store,
    row: &ContainerRow,
    spec: Option<&ContainerSpec>,
    volumes: bool,
) -> Result<()> {
    store.write(|tx| state::apply(tx, &row.id, Transition::Removing))?;
    let rt = host.runtime(spec.map_or("", |s| s.runtime.as_str()));
    let has_state = match &rt {
        Ok(rt) => rt.has_state(&row.id),
        // The runtime binary is gone; its state may still be there.
        Err(_) => host.runtime_root().join(&row.id).exists(),
    };
    if has_state {
        // A container whose exit the shim recorded has no processes left:
        // its runtime state and cgroups are removed directly. Otherwise
        // (created, never started; or unknown) the runtime deletes it.
        let exited = matches!(
            crate::shim::state::ExitInfo::read(&host.state_dir(&row.id)),
            Ok(Some(_))
        );
        let cgroups_path = spec::cgroups_path(&row.id);
        let removed = exited
            && match &rt {
                Ok(rt) => rt.remove_stopped(&row.id, &cgroups_path).unwrap_or(false),
                Err(_) => crate::runtime::remove_stopped_state(
                    &host.runtime_root(),
                    &row.id,
                    &cgroups_path,
                )
                .unwrap_or(false),
            };
        if !removed {
            if let Ok(rt) = &rt {
                // Deleting also removes the container's cgroup.
                let _ = rt.delete(&row.id, true);
            }
        }
    } else {
        // No runtime state (a fresh state root after a reboot, or never
        // started): a cgroup may still outlive it where cgroupfs did.
        crate::runtime::remove_cgroups(&spec::cgroups_path(&row.id));
    }
    release_network(host, store, &row.id);
    release_shm(host, &row.id);
    host.snapshots()
        .remove_container_deferred(&row.id)
        .context("removing the container's root filesystem")?;
    for dir in [host.bundle_dir(&row.id), host.state_dir(&row.id)] {
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", dir.display())),
        }
    }
    let vols = crate::store::volumes::of_container(store.conn(), &row.id)?;
    store.write(|tx| containers::remove(tx, &row.id))?;
    if volumes {
        for v in vols {
            let anonymous = crate::store::volumes::get(store.conn(), &v)?
                .map(|r| r.anonymous)
                .unwrap_or(false);
            if anonymous && crate::store::volumes::users(store.conn(), &v)?.is_empty() {
                crate::volume::remove(store, &v, false)?;
            }
        }
    }
    let _ = std::fs::remove_file(host.lock_path(&row.id));
    // A record that never finished its creation was never announced.
    if row.status != Status::Creating {
        let empty = ContainerSpec::default();
        host.emit(row, spec.unwrap_or(&empty), "destroy", &[]);
    }
    Ok(())
}

/// Fold the shim's facts into a record (and the database).
pub fn refresh(host: &Host, store: &mut Store, c: &mut Container) -> Result<()> {
    let Container { row, spec } = c;
    let state_dir = host.state_dir(&row.id);
    let update = state::observe(
        row,
        || host.shims.status(&state_dir),
        || {
            let Ok(rt) = host.runtime(&spec.runtime) else {
                return false;
            };
            match rt.state(&row.id) {
                Ok(s) => matches!(
                    s.status,
                    crate::runtime::runc::Status::Running | crate::runtime::runc::Status::Paused
                ),
                Err(_) => false,
            }
        },
    );
    if let Some(t) = update {
        // Only if nobody changed the record since we read it (a concurrent
        // `start` records a new run): otherwise re-read what they wrote.
        match store.write(|tx| state::apply(tx, &row.id, t.clone())) {
            Ok(event) => *row = event.row,
            // A full data root: show what the shim says all the same; the
            // next command with room records it.
            Err(StateError::Store(e)) if e.is_no_space() => {
                crate::debug::debug!("not recording the state of {}: {e}", row.id);
                let _ = state::advance(row, t);
                return Ok(());
            }
            Err(StateError::Stale(_) | StateError::Illegal { .. }) => {
                if let Some(fresh) = containers::get(store.conn(), &row.id)? {
                    *row = fresh;
                }
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        }
        // The container stopped: release its root filesystem mount, unless
        // someone holds its lock (they start, stop or remove it themselves).
        if !row.status.is_live() {
            if let Ok(Some(_lock)) = FileLock::try_exclusive(&host.lock_path(&row.id)) {
                release(host, store, row);
            }
        }
    }
    Ok(())
}

/// What a stopped container gives back, whoever notices the stop first:
/// its network attachments (addresses, rules, host ports, namespace) and its
/// root filesystem mount. Best effort and idempotent; the caller holds the
/// container's lock.
pub fn release(host: &Host, store: &mut Store, row: &ContainerRow) {
    release_network(host, store, &row.id);
    unmount_rootfs(host, row);
    release_shm(host, &row.id);
}

/// Where a `shareable` container's `/dev/shm` tmpfs is mounted on the host
/// (Docker's `containers/<id>/mounts/shm`), for `container:` joiners.
pub fn shm_dir(host: &Host, id: &str) -> PathBuf {
    host.bundle_dir(id).join("mounts").join("shm")
}

/// Unmount a stopped container's shareable `/dev/shm` (best effort;
/// nothing mounted is fine).
fn release_shm(host: &Host, id: &str) {
    let dir = shm_dir(host, id);
    if dir.exists() {
        let _ = crate::sys::mount::unmount(&dir);
    }
}

/// Mount a `shareable` container's `/dev/shm` tmpfs (its `--shm-size`)
/// unless a restart left it mounted.
fn prepare_shm(host: &Host, id: &str, cfg: &ContainerSpec) -> Result<Option<PathBuf>> {
    if cfg.ipc_mode != crate::container::spec::IpcMode::Shareable {
        return Ok(None);
    }
    let dir = shm_dir(host, id);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    if !crate::sys::mount::is_mount_point(&dir).unwrap_or(false) {
        let size = cfg
            .shm_size
            .filter(|s| *s > 0)
            .unwrap_or(crate::runtime::spec::DEFAULT_SHM_SIZE);
        crate::sys::mount::mount_tmpfs(&dir, &format!("mode=1777,size={size}"))
            .with_context(|| format!("mounting shm tmpfs at {}", dir.display()))?;
    }
    Ok(Some(dir))
}

/// Leave the container's CNI networks (see `network::attach::detach`).
pub fn release_network(host: &Host, store: &mut Store, id: &str) {
    if crate::network::attach::is_attached(&host.net, id)
        || !crate::store::networks::ports_of_container(store.conn(), id)
            .unwrap_or_default()
            .is_empty()
    {
        let peers = crate::network::peers::user_networks_of(store, id).unwrap_or_default();
        if let Err(e) = crate::network::attach::detach(&host.net, &*host.cni, store, id) {
            eprintln!("WARNING: releasing the network of container {id}: {e:#}");
        }
        refresh_peers(host, store, &peers);
    }
}

/// Rewrite the peer lines in the hosts files of every container on these
/// user networks (see `network::peers`). Best effort: a peer's stale line
/// must not fail the start or stop that changed the membership.
pub fn refresh_peers(host: &Host, store: &Store, networks: &[String]) {
    let hosts_of = |id: &str| host.bundle_dir(id).join("hosts");
    if let Err(e) = crate::network::peers::refresh(store, networks, &hosts_of) {
        crate::debug::debug!("updating peers in /etc/hosts: {e:#}");
    }
    // The networks' name servers follow the same membership change.
    let launcher = crate::network::dns::Launcher {
        exe: host.exe.clone(),
        global_args: host.global_args.clone(),
    };
    if let Err(e) = crate::network::dns::refresh(&host.net, store, &launcher, networks) {
        eprintln!("WARNING: {e:#}");
    }
}

/// Unmount a stopped container's root filesystem, as docker does when a
/// container stops (`start` mounts it again; `cp` mounts it for a copy).
/// Best effort; the caller holds the container's lock.
pub fn unmount_rootfs(host: &Host, row: &ContainerRow) {
    let snaps = host.snapshots();
    if let Ok(snap) = snaps.container(&row.id) {
        let _ = snaps.unmount(&snap);
    }
}

/// Finish what killed CLIs left: transient records whose lock is free, and
/// containers that were running before a reboot (the state root's boot
/// marker is missing or names another boot).
pub fn sweep(host: &Host, store: &mut Store) -> Result<()> {
    let rebooted = check_boot(host)?;
    for row in containers::list_for_sweep(store.conn(), rebooted)? {
        let status = row.status;
        if status.is_transient() {
            let Some(lock) = FileLock::try_exclusive(&host.lock_path(&row.id))? else {
                continue;
            };
            // Re-read under the lock: its creator may have finished (and
            // released the lock) since the list was read.
            let still = containers::get(store.conn(), &row.id)?.filter(|r| r.status.is_transient());
            if let Some(row) = still {
                let spec = ContainerSpec::from_json(&row.spec).ok();
                let _ = destroy(host, store, &row, spec.as_ref(), true);
            }
            drop(lock);
        } else if rebooted && status.is_live() {
            let Some(_lock) = FileLock::try_exclusive(&host.lock_path(&row.id))? else {
                continue;
            };
            let Some(row) = containers::get(store.conn(), &row.id)?.filter(|r| r.status.is_live())
            else {
                continue;
            };
            let spec = ContainerSpec::from_json(&row.spec).ok();
            if spec.as_ref().is_some_and(|s| s.auto_remove) {
                let _ = destroy(host, store, &row, spec.as_ref(), true);
            } else {
                // The shim's copy of the exit record in the bundle says how
                // it ended, if it ended before the reboot.
                let recorded = crate::shim::state::ExitInfo::read(&host.bundle_dir(&row.id))
                    .ok()
                    .flatten();
                let t = match recorded {
                    Some(info) => Transition::Exited {
                        restarts: Some(i64::from(info.restart_count)),
                        run: row.started_at.clone(),
                        code: i64::from(info.exit_code),
                        oom_killed: info.oom_killed,
                        finished_at: info.finished_at,
                        error: String::new(),
                    },
                    None => state::lost(&row),
                };
                store.write(|tx| state::apply(tx, &row.id, t))?;
                // The state root is new: only the records of its endpoints
                // and host ports are left to release.
                release_network(host, store, &row.id);
                let _ = host
                    .snapshots()
                    .container(&row.id)
                    .map(|s| host.snapshots().unmount(&s));
            }
        }
    }
    // Name servers of networks a killed CLI left without members, and
    // dead ones of networks that still have members.
    let launcher = crate::network::dns::Launcher {
        exe: host.exe.clone(),
        global_args: host.global_args.clone(),
    };
    if let Err(e) = crate::network::dns::reconcile(&host.net, store, &launcher) {
        crate::debug::debug!("reconciling name servers: {e:#}");
    }
    Ok(())
}

/// Compare the state root's boot marker with this boot; write it when new.
/// Returns true when the state root was fresh or from another boot.
fn check_boot(host: &Host) -> Result<bool> {
    let marker = host.layout.state_root.join("boot_id");
    let current = state::boot_id();
    if std::fs::read_to_string(&marker).is_ok_and(|s| s.trim() == current) {
        return Ok(false);
    }
    let _guard = FileLock::exclusive(&host.layout.locks_dir().join("boot.lock"))?;
    if std::fs::read_to_string(&marker).is_ok_and(|s| s.trim() == current) {
        return Ok(false);
    }
    std::fs::create_dir_all(&host.layout.state_root)
        .with_context(|| format!("creating {}", host.layout.state_root.display()))?;
    write_atomic(&marker, format!("{current}\n").as_bytes())?;
    Ok(true)
}

/// How a start should treat stdio.
pub struct StartOptions {
    /// Attach before the container starts (foreground run, `start -a`).
    pub attach: Option<AttachOptions>,
}

/// Start a created or exited container under its lock.
pub fn start(
    host: &Host,
    store: &mut Store,
    lock: &ContainerLock,
    c: &mut Container,
    image_config: &ImageConfig,
    opts: StartOptions,
) -> Result<launch::Started, StartFailure> {
    lock.holds(c).map_err(StartFailure::other)?;
    refresh(host, store, c).map_err(StartFailure::other)?;
    let Container { row, spec: cfg } = c;
    let status = row.status;
    if !status.can_start() {
        return Err(StartFailure::other(anyhow!(
            "container {} is {}",
            row.name,
            status.as_str()
        )));
    }
    // Runtime state left by a previous run (a fresh container has none,
    // which saves a runtime invocation on every `run`).
    let rt = host.runtime(&cfg.runtime).map_err(StartFailure::other)?;
    if rt.has_state(&row.id) {
        let _ = rt.delete(&row.id, true);
    }
    let state_dir = host.state_dir(&row.id);
    if state_dir.exists() {
        std::fs::remove_dir_all(&state_dir)
            .with_context(|| format!("clearing {}", state_dir.display()))
            .map_err(StartFailure::other)?;
    }
    // The previous run's exit record (see `sweep`) no longer applies.
    let _ = std::fs::remove_file(
        host.bundle_dir(&row.id)
            .join(crate::shim::state::STATE_FILE),
    );
    let (pid, mut ipc) = join_namespaces(host, store, cfg).map_err(StartFailure::other)?;
    if let Some(shm) = prepare_shm(host, &row.id, cfg).map_err(StartFailure::other)? {
        ipc = spec::IpcNs::Shared(shm);
    }
    let (netns, shared) = join_network(host, store, row, cfg).map_err(StartFailure::other)?;
    if let Some(shared) = &shared {
        record_shared_names(store, row, cfg, shared).map_err(StartFailure::other)?;
    }
    let written = link_hosts(host, store, row, cfg).and_then(|links| {
        let addrs = EtcAddrs::of(store, &row.id)?;
        let bundle = BundleNet {
            netns,
            addrs: &addrs,
            shared,
            pid,
            ipc,
            links,
        };
        write_bundle(host, row, cfg, image_config, bundle)
    });
    if let Err(e) = written {
        release_network(host, store, &row.id);
        return Err(StartFailure::other(e));
    }
    refresh_peers(
        host,
        store,
        &crate::network::peers::user_networks_of(store, &row.id).unwrap_or_default(),
    );
    let log = match cfg.log.driver {
        LogKind::None => LogDriver::None,
        LogKind::JsonFile => LogDriver::JsonFile(crate::shim::logfile::LogConfig {
            path: host.log_path(&row.id),
            max_size: cfg
                .log
                .max_size
                .as_ref()
                .map_or(crate::shim::logfile::DEFAULT_MAX_SIZE, |s| s.bytes),
            max_files: cfg
                .log
                .max_file
                .unwrap_or(crate::shim::logfile::DEFAULT_MAX_FILES),
        }),
    };
    let runtime_bin = rt.binary().to_path_buf();
    let held = if cfg.ports.is_empty() {
        Ok(Vec::new())
    } else {
        crate::network::attach::held_ports(&host.net, store, &row.id)
    };
    let ports = match held {
        Ok(p) => p,
        Err(e) => {
            release_network(host, store, &row.id);
            return Err(StartFailure::other(e));
        }
    };
    let shim = ShimConfig {
        exe: host.exe.clone(),
        global_args: host.global_args.clone(),
        id: row.id.clone(),
        bundle: host.bundle_dir(&row.id),
        state_dir,
        runtime: runtime_bin,
        runtime_root: host.runtime_root(),
        tty: cfg.tty,
        stdin: cfg.open_stdin,
        log,
        rm: cfg.auto_remove,
        network: cfg.network.uses_cni(),
        wait_attach: opts.attach,
        restart: cfg.restart_policy,
        events: Some(host.container_events(row, cfg)),
        health: shim_health(cfg, Some(image_config)),
        ports,
    };
    crate::debug::debug!(
        "starting the shim for {} with runtime {}",
        row.id,
        shim.runtime.display()
    );
    match host.shims.start(&shim) {
        Ok(started) => {
            let t = Transition::Started {
                pid: i64::from(started.pid),
                started_at: crate::shim::time::rfc3339_nano(std::time::SystemTime::now()),
                boot_id: state::boot_id(),
            };
            let event = store
                .write(|tx| state::apply(tx, &row.id, t))
                .map_err(|e| StartFailure::other(e.into()))?;
            *row = event.row;
            Ok(started)
        }
        Err(e) => {
            release_network(host, store, &row.id);
            // The shim reports the runtime's classification of the failure.
            let code = match e.exit_code() {
                126 => ExitCode::CannotInvoke,
                127 => ExitCode::NotFound,
                _ => ExitCode::Berth,
            };
            let message = e.to_string();
            let t = Transition::StartFailed {
                code: i64::from(code.status()),
                error: message.clone(),
            };
            if let Ok(event) = store.write(|tx| state::apply(tx, &row.id, t)) {
                *row = event.row;
            }
            Err(StartFailure {
                code,
                error: anyhow!(message),
            })
        }
    }
}

/// A failed start with Docker's exit code (125, 126 or 127).
#[derive(Debug)]
pub struct StartFailure {
    pub code: ExitCode,
    pub error: anyhow::Error,
}

impl StartFailure {
    fn other(error: anyhow::Error) -> StartFailure {
        StartFailure {
            code: ExitCode::Berth,
            error,
        }
    }
}

/// What a `container:<x>` container takes from `x` at start, as Docker's
/// `initializeNetworking` does: its hostname and domainname, and its
/// `hostname`, `hosts` and `resolv.conf` files (the same files, bind-mounted).
#[derive(Debug)]
struct SharedNet {
    hostname: String,
    domainname: Option<String>,
    bundle: PathBuf,
}

/// Record a `container:<x>` container's names as x's, as Docker's start
/// does (`initializeNetworking` sets `Config.Hostname`/`Domainname` to the
/// other container's, the user's `--domainname` included): inspect shows
/// them from the first start on, whatever becomes of x.
fn record_shared_names(
    store: &mut Store,
    row: &ContainerRow,
    cfg: &mut ContainerSpec,
    shared: &SharedNet,
) -> Result<()> {
    let hostname = Some(shared.hostname.clone());
    let domainname = shared.domainname.clone().filter(|d| !d.is_empty());
    if cfg.hostname == hostname && cfg.domainname == domainname {
        return Ok(());
    }
    cfg.hostname = hostname;
    cfg.domainname = domainname;
    let json = cfg.to_json()?;
    store.write(|tx| containers::set_spec(tx, &row.id, &json))?;
    Ok(())
}

/// The namespaces of a bundle: the network one `join_network` gave, the
/// addresses `/etc/hosts` lists, what a `container:` network mode shares,
/// and the PID and IPC ones `join_namespaces` gave.
struct BundleNet<'a> {
    netns: spec::NetNs,
    addrs: &'a EtcAddrs,
    shared: Option<SharedNet>,
    pid: spec::PidNs,
    ipc: spec::IpcNs,
    /// `--link` lines for `/etc/hosts` (see `link_hosts`).
    links: Vec<(String, String)>,
}

/// The PID and IPC namespaces a starting container gets (`--pid`,
/// `--ipc`): a `container:` one must name a running container, and an IPC
/// donor must be shareable, as moby's `getPIDContainer`/`getIPCContainer`
/// check at each start; the donor's `/dev/shm` is reached through its
/// root (`/proc/<pid>/root/dev/shm`).
fn join_namespaces(
    host: &Host,
    store: &mut Store,
    cfg: &ContainerSpec,
) -> Result<(spec::PidNs, spec::IpcNs)> {
    use crate::container::spec::{IpcMode, PidMode};
    let pid = match &cfg.pid_mode {
        PidMode::Private => spec::PidNs::Private,
        PidMode::Host => spec::PidNs::Host,
        PidMode::Container(target) => {
            let donor = running_donor(host, store, target)?;
            spec::PidNs::Join(PathBuf::from(format!("/proc/{}/ns/pid", donor.row.pid)))
        }
    };
    let ipc = match &cfg.ipc_mode {
        IpcMode::Private | IpcMode::Shareable => spec::IpcNs::Private,
        IpcMode::None => spec::IpcNs::NoShm,
        IpcMode::Host => spec::IpcNs::Host,
        IpcMode::Container(target) => {
            let donor =
                running_donor(host, store, target).context("failed to join IPC namespace")?;
            if !donor.spec.ipc_mode.shareable() {
                bail!(
                    "failed to join IPC namespace: container {target}: non-shareable IPC \
                     (hint: use IpcMode:shareable for the donor container)"
                );
            }
            spec::IpcNs::Join {
                ns: PathBuf::from(format!("/proc/{}/ns/ipc", donor.row.pid)),
                shm: donor_shm(host, store, &donor)?,
            }
        }
    };
    Ok((pid, ipc))
}

/// The host directory a shareable donor's `/dev/shm` is: its own tmpfs,
/// the host's, or the one it shares itself (moby's `ShmPath`).
fn donor_shm(host: &Host, store: &mut Store, donor: &Container) -> Result<PathBuf> {
    use crate::container::spec::IpcMode;
    let mut donor = donor.clone();
    // A chain of `container:` modes ends at a shareable or host one.
    for _ in 0..16 {
        match &donor.spec.ipc_mode {
            IpcMode::Shareable => return Ok(shm_dir(host, &donor.row.id)),
            IpcMode::Host => return Ok(PathBuf::from("/dev/shm")),
            IpcMode::Container(next) => donor = find(store, next)?,
            IpcMode::Private | IpcMode::None => break,
        }
    }
    bail!("container {}: non-shareable IPC", donor.row.id)
}

/// The `/etc/hosts` lines of a container's `--link`s, as Docker's
/// `buildSandboxOptions` writes them for legacy links: the linked
/// container's address on the default network (on a user network, on the
/// container's first one) under the alias, its hostname and, when the
/// alias differs, its name. A linked container must run (moby's
/// `setupLinkedContainers`).
fn link_hosts(
    host: &Host,
    store: &mut Store,
    row: &ContainerRow,
    cfg: &ContainerSpec,
) -> Result<Vec<(String, String)>> {
    use crate::store::networks as rows;
    let mut lines = Vec::new();
    if cfg.links.is_empty() || cfg.links_are_dns_aliases() {
        return Ok(lines);
    }
    let net_name = match &cfg.network {
        NetworkMode::Network(_) => cfg.cni_networks().into_iter().next(),
        _ => None,
    };
    let net_id = match &net_name {
        Some(n) => rows::get_by_name(store.conn(), n)?.map(|r| r.id),
        None => None,
    };
    for link in &cfg.links {
        let mut child = find(store, &link.container)?;
        refresh(host, store, &mut child)?;
        if !child.row.status.is_live() {
            bail!(
                "Cannot link to a non running container: /{} AS /{}/{}",
                child.row.name,
                row.name,
                link.alias
            );
        }
        let ip = rows::endpoints_of_container(store.conn(), &child.row.id)?
            .into_iter()
            .find(|e| Some(&e.network_id) == net_id.as_ref() && !e.ip.is_empty())
            .map(|e| e.ip.split('/').next().unwrap_or_default().to_string());
        let Some(ip) = ip else {
            bail!(
                "container {} not attached to default bridge network",
                child.row.id
            );
        };
        let mut names = format!("{} {}", link.alias, own_hostname(&child.row, &child.spec));
        if link.alias != child.row.name {
            names.push(' ');
            names.push_str(&child.row.name);
        }
        lines.push((names, ip));
    }
    Ok(lines)
}

/// The container a `container:<target>` PID or IPC mode joins: it must
/// exist, run and not be restarting (moby's messages).
fn running_donor(host: &Host, store: &mut Store, target: &str) -> Result<Container> {
    let mut donor = find(store, target)?;
    refresh(host, store, &mut donor)?;
    match donor.row.status {
        Status::Restarting => {
            bail!("Container {target} is restarting, wait until the container is running")
        }
        s if !s.is_live() || donor.row.pid <= 0 => bail!("container {target} is not running"),
        _ => Ok(donor),
    }
}

/// The hostname a container runs with: `--hostname`, else the host's with
/// `--network host` (Docker's `initializeNetworking`; its UTS namespace
/// stays its own), else its short ID.
pub(crate) fn own_hostname(row: &ContainerRow, cfg: &ContainerSpec) -> String {
    if let Some(h) = cfg.hostname.as_ref().filter(|h| !h.is_empty()) {
        return h.clone();
    }
    if cfg.network == NetworkMode::Host {
        if let Ok(h) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
            return h.trim().to_string();
        }
    }
    row.id.chars().take(12).collect()
}

/// The network namespace a starting container gets: its own, joined to its
/// CNI networks (a new attachment at every start, as Docker takes a new
/// address); another running container's (with that one's names and etc
/// files); the host's; or a private one with only `lo` (`none`).
fn join_network(
    host: &Host,
    store: &mut Store,
    row: &ContainerRow,
    cfg: &ContainerSpec,
) -> Result<(spec::NetNs, Option<SharedNet>)> {
    match &cfg.network {
        NetworkMode::None => Ok((spec::NetNs::Private, None)),
        NetworkMode::Host => Ok((spec::NetNs::Host, None)),
        NetworkMode::Container(target) => {
            let mut other = find(store, target)?;
            refresh(host, store, &mut other)?;
            if !other.row.status.is_live() || other.row.pid <= 0 {
                bail!(
                    "cannot join network of a non running container: {}",
                    other.row.id
                );
            }
            let pinned = crate::network::netns::path(&host.net.netns_dir(), &other.row.id);
            let netns = spec::NetNs::Join(if crate::network::netns::is_pinned(&pinned) {
                pinned
            } else {
                PathBuf::from(format!("/proc/{}/ns/net", other.row.pid))
            });
            let shared = SharedNet {
                hostname: own_hostname(&other.row, &other.spec),
                domainname: other.spec.domainname.clone(),
                bundle: host.bundle_dir(&other.row.id),
            };
            Ok((netns, Some(shared)))
        }
        NetworkMode::Network(_) => {
            let networks = cfg.cni_networks();
            let req = crate::network::attach::AttachRequest {
                container_id: row.id.clone(),
                ips: networks.iter().map(|n| cfg.ips_for(n)).collect(),
                priorities: networks.iter().map(|n| cfg.gw_priority_for(n)).collect(),
                networks,
                ports: cfg.ports.clone(),
                mac: cfg.mac_address.clone(),
            };
            let netns = crate::network::attach::attach(&host.net, &*host.cni, store, &req)?;
            Ok((spec::NetNs::Join(netns), None))
        }
    }
}

/// Mount the rootfs, write hostname/hosts/resolv.conf and the runtime spec.
fn write_bundle(
    host: &Host,
    row: &ContainerRow,
    cfg: &ContainerSpec,
    image_config: &ImageConfig,
    net: BundleNet<'_>,
) -> Result<()> {
    let snaps = host.snapshots();
    let snap = snaps.container(&row.id)?;
    snaps
        .mount(&snap)
        .context("mounting the container's root filesystem")?;
    let bundle = host.bundle_dir(&row.id);
    let (hostname, domainname, etc_dir) = match net.shared {
        Some(shared) => (shared.hostname, shared.domainname, shared.bundle),
        None => {
            let hostname = own_hostname(row, cfg);
            let with_links;
            let etc_cfg = if net.links.is_empty() {
                cfg
            } else {
                let mut c = cfg.clone();
                c.extra_hosts.extend(net.links.iter().cloned());
                with_links = c;
                &with_links
            };
            let (hosts, resolv) = etc_files(etc_cfg, &hostname, net.addrs, &host.net.resolv_conf)?;
            // The bundle is rebuilt from the record at every start: atomic
            // for readers, no fsyncs (sys::fs::write_atomic_nosync).
            write_atomic_nosync(&bundle.join("hostname"), format!("{hostname}\n").as_bytes())?;
            write_atomic_nosync(&bundle.join("hosts"), hosts.as_bytes())?;
            write_atomic_nosync(&bundle.join("resolv.conf"), resolv.as_bytes())?;
            (hostname, cfg.domainname.clone(), bundle.clone())
        }
    };
    // Volumes: seed new ones from the image, then bind their data dirs.
    let mut mounts = Vec::new();
    for m in &cfg.mounts {
        match m.kind {
            MountKind::Bind => {
                let mut b = spec::UserMount::bind(&m.source, &m.destination, m.readonly);
                if let (Some(p), spec::UserMount::Bind { propagation, .. }) = (&m.options, &mut b) {
                    *propagation = Some(p.clone());
                }
                mounts.push(b);
            }
            MountKind::Volume => {
                let data = crate::volume::path(&host.layout, &m.source);
                if !m.nocopy {
                    crate::volume::seed::seed(&snap.rootfs, &m.destination, &data)?;
                }
                mounts.push(spec::UserMount::bind(
                    data.display().to_string(),
                    &m.destination,
                    m.readonly,
                ));
            }
            MountKind::Tmpfs => {
                let mut opts: Vec<String> = m
                    .options
                    .iter()
                    .flat_map(|o| o.split(','))
                    .filter(|o| !o.is_empty())
                    .map(str::to_string)
                    .collect();
                if m.readonly {
                    opts.push("ro".into());
                }
                let arg = if opts.is_empty() {
                    m.destination.clone()
                } else {
                    format!("{}:{}", m.destination, opts.join(","))
                };
                mounts.push(spec::UserMount::parse_tmpfs(&arg)?);
            }
        }
    }
    let mut o = SpecOptions::new(&row.id, snap.rootfs.clone());
    o.image = image_defaults(image_config);
    o.entrypoint = cfg.entrypoint.clone();
    o.args = cfg.cmd.clone();
    o.env = cfg.env.clone();
    o.working_dir = cfg.working_dir.clone();
    o.user = cfg.user.clone();
    o.hostname = hostname;
    o.domainname = domainname;
    o.tty = cfg.tty;
    o.read_only = cfg.read_only;
    o.privileged = cfg.privileged;
    o.cap_add = cfg.cap_add.clone();
    o.cap_drop = cfg.cap_drop.clone();
    o.seccomp = match &cfg.seccomp {
        Seccomp::Default => spec::SeccompMode::Default,
        Seccomp::Unconfined => spec::SeccompMode::Unconfined,
        Seccomp::Profile(json) => spec::SeccompMode::Profile(json.clone()),
    };
    o.no_new_privileges = cfg.no_new_privileges;
    o.mounts = mounts;
    o.shm_size = cfg.shm_size;
    o.ulimits = cfg
        .ulimits
        .iter()
        .map(|u| spec::Ulimit {
            name: u.name.clone(),
            soft: u.soft,
            hard: u.hard,
        })
        .collect();
    o.sysctls = cfg.sysctls.clone();
    o.devices = cfg
        .devices
        .iter()
        .map(|d| crate::runtime::devices::DeviceMapping {
            host_path: d.host_path.clone(),
            container_path: d.container_path.clone(),
            permissions: d.permissions.clone(),
        })
        .collect();
    o.memory = cfg.memory;
    o.memory_swap = cfg.memory_swap;
    o.nano_cpus = cfg.nano_cpus;
    o.cpu_shares = cfg.cpu_shares.map(|s| s as u64);
    o.pids_limit = cfg.pids_limit;
    o.limits = cfg.limits.clone();
    o.oom_score_adj = Some(cfg.limits.oom_score_adj).filter(|a| *a != 0);
    o.network = net.netns;
    o.pid = net.pid;
    o.ipc = net.ipc;
    o.init = cfg.init;
    o.etc_files = spec::EtcFiles {
        hosts: Some(etc_dir.join("hosts")),
        hostname: Some(etc_dir.join("hostname")),
        resolv_conf: Some(etc_dir.join("resolv.conf")),
    };
    let mut spec = spec::build_spec(&o)?;
    crate::runtime::destination::confine(&snap.rootfs, &mut spec)?;
    let json = serde_json::to_vec_pretty(&spec)?;
    write_atomic_nosync(&bundle.join("config.json"), &json)?;
    Ok(())
}

/// The image's container defaults in the runtime's terms.
pub fn image_defaults(image_config: &ImageConfig) -> spec::ImageDefaults {
    let image = image_config.config.clone().unwrap_or_default();
    spec::ImageDefaults {
        entrypoint: image.entrypoint.unwrap_or_default(),
        cmd: image.cmd.unwrap_or_default(),
        env: image.env.unwrap_or_default(),
        working_dir: image.working_dir.unwrap_or_default(),
        user: image.user.unwrap_or_default(),
    }
}

/// The `Command` moby's container list reports (`container.View`): the
/// path, then the arguments, each one holding a space in single quotes.
pub fn command_text(cfg: &ContainerSpec, image_config: Option<&ImageConfig>) -> String {
    command_words(&command_line(cfg, image_config))
}

fn command_words(argv: &[String]) -> String {
    let Some((path, args)) = argv.split_first() else {
        return String::new();
    };
    let mut out = path.clone();
    for a in args {
        out.push(' ');
        if a.contains(' ') {
            out.push_str(&format!("'{a}'"));
        } else {
            out.push_str(a);
        }
    }
    out
}

/// The command line a container runs (entrypoint + cmd), for `ps` and `inspect`.
pub fn command_line(cfg: &ContainerSpec, image_config: Option<&ImageConfig>) -> Vec<String> {
    let defaults = image_config.map(image_defaults).unwrap_or_default();
    spec::resolve_args(&defaults, cfg.entrypoint.as_deref(), &cfg.cmd)
}

/// What a container's /etc/hosts needs from its networks: its own addresses
/// and the host's address on its (or the default) bridge.
#[derive(Debug, Default)]
pub(crate) struct EtcAddrs {
    pub(crate) own: Vec<std::net::IpAddr>,
    gateway: Option<std::net::IpAddr>,
    ipv6: bool,
    /// The name server of its first user network that has one
    /// (`network::dns`), which its resolv.conf names.
    pub(crate) dns_server: Option<std::net::IpAddr>,
}

impl EtcAddrs {
    /// From the endpoint rows `join_network` left; the default network's
    /// gateway stands in for `host-gateway` when the container has none.
    pub(crate) fn of(store: &Store, id: &str) -> Result<EtcAddrs> {
        let bare = |s: &str| s.split('/').next().and_then(|a| a.parse().ok());
        let eps = crate::store::networks::endpoints_of_container(store.conn(), id)?;
        let mut a = EtcAddrs::default();
        for e in &eps {
            a.own.extend(bare(&e.ip));
            if let Some(v6) = bare(&e.ipv6) {
                a.own.push(v6);
                a.ipv6 = true;
            }
            a.gateway = a.gateway.or_else(|| bare(&e.gateway));
            if a.dns_server.is_none() {
                a.dns_server = crate::store::networks::get(store.conn(), &e.network_id)?
                    .and_then(|r| crate::network::store::Network::from_row(r).ok())
                    .and_then(|n| crate::network::dns::server_address(&n));
            }
        }
        if a.gateway.is_none() {
            a.gateway = crate::network::store::find(store, crate::network::store::DEFAULT_NETWORK)
                .ok()
                .and_then(|n| n.ipv4().map(|s| s.gateway));
        }
        Ok(a)
    }
}

/// The container's /etc/hosts and /etc/resolv.conf (network::hosts and
/// network::resolv).
pub(crate) fn etc_files(
    cfg: &ContainerSpec,
    hostname: &str,
    addrs: &EtcAddrs,
    host_resolv_conf: &std::path::Path,
) -> Result<(String, String)> {
    use crate::network::{hosts, resolv};
    let extra = hosts::resolve_extra(&cfg.extra_hosts, addrs.gateway)?;
    let host_resolv = resolv::host_source_from(host_resolv_conf)?;
    let overrides = resolv::Overrides {
        servers: cfg.dns.clone(),
        search: cfg.dns_search.clone(),
        options: cfg.dns_options.clone(),
    };
    if cfg.network == NetworkMode::Host {
        let path = "/etc/hosts";
        let host_hosts = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e).with_context(|| format!("reading {path}")),
        };
        return Ok((
            hosts::generate_host_network(&host_hosts, &extra),
            resolv::generate(&host_resolv, &overrides, resolv::Scope::Host),
        ));
    }
    let entries = hosts::Entries {
        extra,
        own: addrs.own.clone(),
        hostname: hostname.to_string(),
        domainname: cfg.domainname.clone(),
    };
    let resolv = match addrs.dns_server {
        Some(server) => resolv::generate_embedded(&host_resolv, &overrides, server),
        None => resolv::generate(
            &host_resolv,
            &overrides,
            resolv::Scope::Namespace { ipv6: addrs.ipv6 },
        ),
    };
    Ok((hosts::generate(&entries), resolv))
}

/// The container's healthcheck merged over the image's (Docker's
/// `Config.Healthcheck`); None when neither has one.
pub fn healthcheck(
    cfg: &ContainerSpec,
    image_config: Option<&ImageConfig>,
) -> Option<crate::shim::health::Healthcheck> {
    use crate::shim::health::Healthcheck;
    let image = Healthcheck::from_image(
        image_config
            .and_then(|c| c.config.as_ref())
            .and_then(|c| c.healthcheck.as_ref()),
    );
    Healthcheck::merge(cfg.healthcheck.as_ref(), image.as_ref())
}

/// What the shim runs for the healthcheck, if anything.
fn shim_health(
    cfg: &ContainerSpec,
    image_config: Option<&ImageConfig>,
) -> Option<crate::shim::health::HealthConfig> {
    let signal = stop_signal(cfg, image_config).unwrap_or(libc::SIGTERM);
    let timeout = std::time::Duration::from_secs(cfg.stop_timeout.unwrap_or(10).max(0) as u64);
    healthcheck(cfg, image_config)?.resolve(cfg.health_on_failure, signal, timeout)
}

/// The signal `stop` sends: the container's, else the image's, else SIGTERM.
pub fn stop_signal(cfg: &ContainerSpec, image_config: Option<&ImageConfig>) -> Result<i32> {
    if let Some(s) = &cfg.stop_signal {
        return Ok(s.number());
    }
    match image_config
        .and_then(|c| c.config.as_ref())
        .and_then(|c| c.stop_signal.as_deref())
    {
        Some(s) => crate::sys::signal::parse_signal(s).map_err(|e| anyhow!(e)),
        None => Ok(libc::SIGTERM),
    }
}

/// Wait until the shim reports the container gone, up to `timeout`.
pub fn wait_stopped(host: &Host, row: &ContainerRow, timeout: Option<Duration>) -> bool {
    let state_dir = host.state_dir(&row.id);
    let start = Instant::now();
    let deadline = timeout.map(|t| start + t);
    loop {
        match host.shims.status(&state_dir) {
            Ok(ShimStatus::Running { .. }) => {}
            _ => {
                // No shim: fall back to whether the init process exists.
                if row.pid <= 0
                    || !crate::sys::signal::process_alive(row.pid as i32)
                    || matches!(host.shims.status(&state_dir), Ok(ShimStatus::Exited(_)))
                {
                    return true;
                }
            }
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return false;
        }
        // A shim usually finishes within milliseconds of its container's
        // exit: look every 2 ms for the first second (a check is one state
        // read and one lock probe), then every 50 ms. (A doubling back-off
        // from 5 ms cost `stop`, `rm -f` and `down` about 100 ms each.)
        let delay = if start.elapsed() < Duration::from_secs(1) {
            Duration::from_millis(2)
        } else {
            Duration::from_millis(50)
        };
        std::thread::sleep(delay);
    }
}

/// Fold a foreground container's exit into its record once its shim is
/// done (foreground `run`, `start -a`): exit code, time, OOM, and the root
/// filesystem released. Best effort: a later command's refresh does the same.
///
/// A run its restart policy follows with another (the shim published
/// `restarting` before it sent the exit) is folded in at once: there is no
/// shim end to wait for.
pub fn record_exit(host: &Host, store: &mut Store, id: &str) {
    if let Ok(mut c) = find(store, id) {
        let _ = refresh(host, store, &mut c);
        if c.row.status == Status::Restarting || c.row.restart_count > 0 {
            return;
        }
        wait_stopped(host, &c.row, Some(Duration::from_secs(5)));
        let _ = refresh(host, store, &mut c);
    }
}

/// Tell the container's shim that the user stops it, before the signal
/// goes out: its restart policy no longer brings it back (Docker's
/// `ExitOnNext` and `HasBeenManuallyStopped`; a restart back-off in progress
/// ends and the container stays exited). Best effort: a shim that is gone
/// restarts nothing anyway.
pub fn mark_stopped(host: &Host, c: &Container) {
    let req = crate::shim::control::Request::MarkStopped;
    if let Err(e) = host.shims.control(&host.state_dir(&c.row.id), &req) {
        crate::debug::debug!("marking {} stopped by the user: {e}", c.row.id);
    }
}

/// Whether `kill -s signal` stops the container for good (no restart
/// policy brings it back), as moby decides: SIGKILL always does; with a
/// stop signal of its own (`--stop-signal`, the image's `STOPSIGNAL`) only
/// that signal does; without one, any signal does.
pub fn kill_stops(signal: i32, stop_signal: i32) -> bool {
    signal == libc::SIGKILL || stop_signal == libc::SIGTERM || signal == stop_signal
}

/// Send a signal to a running container's init process. A container
/// waiting out a restart back-off has no process: nothing is sent.
pub fn kill(host: &Host, c: &Container, signal: i32) -> Result<()> {
    let row = &c.row;
    if row.status == Status::Restarting {
        return Ok(());
    }
    let rt = host.runtime(&c.spec.runtime)?;
    // Recorded before the signal goes, so it precedes the `die` the shim
    // records when the signal ends the container.
    host.emit(row, &c.spec, "kill", &[("signal", signal.to_string())]);
    match rt.kill(&row.id, signal, false) {
        Ok(()) => Ok(()),
        Err(e) => {
            // The runtime may already consider it stopped.
            if !crate::sys::signal::process_alive(row.pid as i32) {
                return Ok(());
            }
            Err(e.into())
        }
    }
}

/// Stop, under the container's lock: the stop signal, then SIGKILL after
/// `timeout` seconds (negative: wait forever).
pub fn stop(
    host: &Host,
    store: &mut Store,
    lock: &ContainerLock,
    c: &mut Container,
    image_config: Option<&ImageConfig>,
    timeout: Option<i64>,
    signal: Option<i32>,
) -> Result<()> {
    lock.holds(c)?;
    refresh(host, store, c)?;
    if !c.row.status.can_kill() {
        return Ok(());
    }
    let cfg = &c.spec;
    let sig = match signal {
        Some(s) => s,
        None => stop_signal(cfg, image_config)?,
    };
    let timeout = timeout.or(cfg.stop_timeout).unwrap_or(10);
    mark_stopped(host, c);
    if c.row.status == Status::Paused {
        let rt = host.runtime(&cfg.runtime)?;
        let _ = rt.resume(&c.row.id);
    }
    if kill(host, c, sig).is_ok() {
        let wait = (timeout >= 0).then(|| Duration::from_secs(timeout as u64));
        if wait_stopped(host, &c.row, wait) {
            record_if_unmonitored(host, store, c, sig)?;
            refresh(host, store, c)?;
            release(host, store, &c.row);
            host.emit(&c.row, &c.spec, "stop", &[]);
            return Ok(());
        }
    }
    kill(host, c, libc::SIGKILL)?;
    if !wait_stopped(host, &c.row, Some(Duration::from_secs(30))) {
        bail!("container {} did not stop after SIGKILL", c.row.name);
    }
    record_if_unmonitored(host, store, c, libc::SIGKILL)?;
    refresh(host, store, c)?;
    release(host, store, &c.row);
    host.emit(&c.row, &c.spec, "stop", &[]);
    Ok(())
}

/// A container whose shim is gone (killed) has nobody to witness its exit,
/// which `refresh` would record as 255; when berth's own `signal` ended it
/// and no process can outlive that signal (SIGKILL), the code is known:
/// record `128 + signal` as Docker does.
fn record_if_unmonitored(
    host: &Host,
    store: &mut Store,
    c: &mut Container,
    signal: i32,
) -> Result<()> {
    if signal != libc::SIGKILL || !c.row.status.is_live() {
        return Ok(());
    }
    if !matches!(
        host.shims.status(&host.state_dir(&c.row.id)),
        Ok(ShimStatus::Gone) | Err(_)
    ) {
        return Ok(());
    }
    let t = state::killed_unmonitored(&c.row, signal);
    match store.write(|tx| state::apply(tx, &c.row.id, t)) {
        Ok(event) => c.row = event.row,
        // Someone recorded it meanwhile: theirs stands.
        Err(StateError::Stale(_) | StateError::Illegal { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// Remove a container under its lock.
pub fn remove(
    host: &Host,
    store: &mut Store,
    lock: &ContainerLock,
    c: &mut Container,
    force: bool,
    volumes: bool,
) -> Result<()> {
    lock.holds(c)?;
    refresh(host, store, c)?;
    let status = c.row.status;
    if status.can_kill() {
        if !force {
            bail!(
                "cannot remove container \"/{}\": container is {}: stop the container before removing or force remove",
                c.row.name,
                status.as_str()
            );
        }
        mark_stopped(host, c);
        if status == Status::Paused {
            let _ = host.runtime(&c.spec.runtime)?.resume(&c.row.id);
        }
        kill(host, c, libc::SIGKILL)?;
        wait_stopped(host, &c.row, Some(Duration::from_secs(30)));
        refresh(host, store, c)?;
    }
    destroy(host, store, &c.row, Some(&c.spec), volumes)
}

/// What pausing (or unpausing) a container in `status` must do.
#[derive(Debug, PartialEq, Eq)]
enum PauseStep {
    Act,
    NotRunning,
    AlreadyPaused,
    NotPaused,
    Restarting,
}

fn pause_step(status: Status, pause: bool) -> PauseStep {
    match (status, pause) {
        (Status::Restarting, _) => PauseStep::Restarting,
        (Status::Running, true) => PauseStep::Act,
        (Status::Paused, true) => PauseStep::AlreadyPaused,
        (Status::Paused, false) => PauseStep::Act,
        (Status::Running, false) => PauseStep::NotPaused,
        (_, _) => PauseStep::NotRunning,
    }
}

/// Freeze (or thaw) every process of a container through the runtime
/// (`runc pause|resume`, the cgroup freezer) and record `paused` ↔
/// `running`, with docker's wording for a container in the wrong state.
pub fn set_paused(
    host: &Host,
    store: &mut Store,
    lock: &ContainerLock,
    c: &mut Container,
    pause: bool,
) -> Result<()> {
    lock.holds(c)?;
    refresh(host, store, c)?;
    let id = c.row.id.clone();
    match pause_step(c.row.status, pause) {
        PauseStep::Act => {}
        PauseStep::NotRunning => bail!("Container {id} is not running"),
        PauseStep::Restarting => {
            bail!("Container {id} is restarting, wait until the container is running")
        }
        PauseStep::AlreadyPaused => bail!("Container {id} is already paused"),
        PauseStep::NotPaused => bail!("Container {id} is not paused"),
    }
    let rt = host.runtime(&c.spec.runtime)?;
    let t = if pause {
        rt.pause(&id)?;
        Transition::Paused
    } else {
        rt.resume(&id)?;
        Transition::Unpaused
    };
    c.row = store.write(|tx| state::apply(tx, &id, t))?.row;
    host.emit(
        &c.row,
        &c.spec,
        if pause { "pause" } else { "unpause" },
        &[],
    );
    Ok(())
}

/// Find a container by full ID, exact name, or unique ID prefix (Docker's
/// order), with its spec. Transient records are invisible.
pub fn find(store: &Store, input: &str) -> Result<Container> {
    Container::from_row(find_row(store, input)?)
}

/// [`find`] without decoding the spec (`rename` needs only the record).
pub fn find_row(store: &Store, input: &str) -> Result<ContainerRow> {
    let conn = store.conn();
    let name = input.strip_prefix('/').unwrap_or(input);
    let visible = |r: Option<ContainerRow>| r.filter(|r| !r.status.is_transient());
    if input.len() == 64 {
        if let Some(r) = visible(containers::get(conn, input)?) {
            return Ok(r);
        }
    }
    if let Some(id) = containers::id_by_name(conn, name)? {
        if let Some(r) = visible(containers::get(conn, &id)?) {
            return Ok(r);
        }
    }
    if !input.is_empty() && input.bytes().all(|b| b.is_ascii_hexdigit()) {
        let ids = containers::ids_by_prefix(conn, &input.to_ascii_lowercase())?;
        let mut rows = Vec::new();
        for id in ids {
            if let Some(r) = visible(containers::get(conn, &id)?) {
                rows.push(r);
            }
        }
        match rows.len() {
            0 => {}
            1 => return Ok(rows.remove(0)),
            _ => bail!("multiple IDs found with provided prefix: {input}"),
        }
    }
    Err(NoSuchContainer(input.to_string()).into())
}

#[derive(Debug, thiserror::Error)]
#[error("No such container: {0}")]
pub struct NoSuchContainer(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_kills_stop_a_container_for_good() {
        use libc::{SIGHUP, SIGKILL, SIGTERM, SIGUSR1};
        // No stop signal of its own: any signal the user sends.
        assert!(kill_stops(SIGKILL, SIGTERM));
        assert!(kill_stops(SIGHUP, SIGTERM));
        // With one: that signal and SIGKILL only.
        assert!(kill_stops(SIGKILL, SIGUSR1));
        assert!(kill_stops(SIGUSR1, SIGUSR1));
        assert!(!kill_stops(SIGHUP, SIGUSR1));
        assert!(!kill_stops(SIGTERM, SIGUSR1));
    }

    #[test]
    fn docker_pause_rules() {
        assert_eq!(pause_step(Status::Running, true), PauseStep::Act);
        assert_eq!(pause_step(Status::Paused, false), PauseStep::Act);
        assert_eq!(pause_step(Status::Paused, true), PauseStep::AlreadyPaused);
        assert_eq!(pause_step(Status::Running, false), PauseStep::NotPaused);
        assert_eq!(pause_step(Status::Exited, true), PauseStep::NotRunning);
        assert_eq!(pause_step(Status::Created, false), PauseStep::NotRunning);
        assert_eq!(pause_step(Status::Restarting, true), PauseStep::Restarting);
    }

    #[test]
    fn a_lock_serves_only_its_container() {
        let dir = tempfile::tempdir().unwrap();
        let (host, _, _) = Host::with_fakes(
            Layout::new(dir.path().join("d"), dir.path().join("s")),
            crate::snapshot::Driver::Overlay,
        );
        let lock = host.lock("a").unwrap();
        let mut c = Container {
            row: ContainerRow {
                id: "a".into(),
                ..Default::default()
            },
            spec: ContainerSpec::default(),
        };
        assert!(lock.holds(&c).is_ok());
        c.row.id = "b".into();
        assert!(lock.holds(&c).is_err());
        // Held: another taker would block; a try fails until it is dropped.
        let path = host.lock_path("a");
        assert!(FileLock::try_exclusive(&path).unwrap().is_none());
        drop(lock);
        assert!(FileLock::try_exclusive(&path).unwrap().is_some());
    }

    /// A store and a host on the fakes in a temporary data and state root,
    /// with the full-copy snapshotter (no mount, no root needed).
    struct Engine {
        dir: tempfile::TempDir,
        host: Host,
        rt: Arc<crate::runtime::runc::FakeRuntime>,
        shims: Arc<super::super::fakes::FakeLauncher>,
        store: Store,
    }

    impl Engine {
        fn new() -> Engine {
            let dir = tempfile::tempdir().unwrap();
            let layout = Layout::new(dir.path().join("d"), dir.path().join("s"));
            let (host, rt, shims) = Host::with_fakes(layout.clone(), crate::snapshot::Driver::Copy);
            let store = Store::open(layout).unwrap();
            Engine {
                dir,
                host,
                rt,
                shims,
                store,
            }
        }

        fn request(name: Option<&str>, config: ContainerSpec) -> CreateRequest {
            CreateRequest {
                name: name.map(str::to_string),
                image_id: format!("sha256:{}", "0".repeat(64)),
                image_config: ImageConfig::default(),
                config,
            }
        }

        /// A spec that runs `true`.
        fn spec() -> ContainerSpec {
            ContainerSpec {
                cmd: vec!["true".into()],
                ..Default::default()
            }
        }

        fn create(&mut self, name: &str) -> Container {
            let req = Engine::request(Some(name), Engine::spec());
            create(&self.host, &mut self.store, req).unwrap()
        }

        fn start(&mut self, c: &mut Container) -> Result<launch::Started, StartFailure> {
            let lock = self.host.lock(&c.row.id).unwrap();
            let opts = StartOptions { attach: None };
            start(
                &self.host,
                &mut self.store,
                &lock,
                c,
                &ImageConfig::default(),
                opts,
            )
        }

        fn remove(&mut self, c: &mut Container, force: bool) -> Result<()> {
            let lock = self.host.lock(&c.row.id).unwrap();
            remove(&self.host, &mut self.store, &lock, c, force, true)
        }

        /// The record as a fresh command sees it (after its refresh).
        fn status(&mut self, id: &str) -> Status {
            let mut c = find(&self.store, id).unwrap();
            refresh(&self.host, &mut self.store, &mut c).unwrap();
            c.row.status
        }

        /// Nothing of container `id` is left: no record, no bundle, state
        /// dir, snapshot or lock file, no runtime state.
        fn assert_gone(&self, id: &str) {
            assert!(containers::get(self.store.conn(), id).unwrap().is_none());
            for p in [
                self.host.bundle_dir(id),
                self.host.state_dir(id),
                self.host.layout.snapshots_dir().join("containers").join(id),
                self.host.lock_path(id),
            ] {
                assert!(!p.exists(), "{} is left", p.display());
            }
            assert!(!self.rt.knows(id), "runtime state is left");
        }
    }

    #[test]
    fn create_start_exit_remove() {
        let mut e = Engine::new();
        let mut c = e.create("web");
        assert_eq!(c.row.status, Status::Created);
        assert!(e.host.bundle_dir(&c.row.id).is_dir());
        let started = e.start(&mut c).unwrap();
        assert_eq!(c.row.status, Status::Running);
        assert_eq!(i64::from(started.pid), c.row.pid);
        assert!(e.host.bundle_dir(&c.row.id).join("config.json").is_file());
        assert_eq!(e.status("web"), Status::Running);
        e.rt.exit(&c.row.id, 3);
        let mut c = find(&e.store, "web").unwrap();
        refresh(&e.host, &mut e.store, &mut c).unwrap();
        assert_eq!(
            (c.row.status, c.row.exit_code, c.row.pid),
            (Status::Exited, 3, 0)
        );
        // Started again: the old runtime state goes first.
        e.start(&mut c).unwrap();
        assert_eq!(c.row.status, Status::Running);
        let calls = e.rt.calls();
        assert!(
            calls.contains(&format!("delete {} force", c.row.id)),
            "{calls:?}"
        );
        e.rt.exit(&c.row.id, 0);
        let id = c.row.id.clone();
        e.remove(&mut c, false).unwrap();
        e.assert_gone(&id);
    }

    #[test]
    fn a_start_failing_with_127_leaves_the_container_created() {
        let mut e = Engine::new();
        let mut c = e.create("app");
        let msg = "exec: \"nope\": executable file not found in $PATH";
        e.rt.fail_next("create", msg);
        let err = e.start(&mut c).err().expect("the start failed");
        assert_eq!(err.code, ExitCode::NotFound);
        assert_eq!(err.code.status(), 127);
        assert_eq!(err.error.to_string(), msg);
        assert_eq!(c.row.status, Status::Created);
        assert_eq!(c.row.exit_code, 127);
        assert_eq!(c.row.error, msg);
        assert_eq!(e.status("app"), Status::Created);
        // A shim that dies before its ready line is berth's failure (125).
        e.shims.die_before_ready();
        let err = e.start(&mut c).err().expect("the start failed");
        assert_eq!(err.code, ExitCode::Berth);
        assert_eq!(c.row.status, Status::Created);
        // It can still start, and be removed.
        e.start(&mut c).unwrap();
        assert_eq!(c.row.status, Status::Running);
    }

    #[test]
    fn a_create_failing_half_way_leaves_nothing() {
        let mut e = Engine::new();
        // The snapshot fails: a layer the store does not have.
        let mut req = Engine::request(Some("half"), ContainerSpec::default());
        req.image_config.rootfs.diff_ids =
            vec![format!("sha256:{}", "1".repeat(64)).parse().unwrap()];
        assert!(create(&e.host, &mut e.store, req).is_err());
        // A volume fails after an anonymous one was made for it.
        let volume = |source: &str, anonymous: bool| super::super::spec::MountSpec {
            kind: MountKind::Volume,
            source: source.into(),
            destination: format!("/{}", source.len()),
            readonly: false,
            options: None,
            anonymous,
            nocopy: false,
            inherited: false,
        };
        let spec = ContainerSpec {
            mounts: vec![volume(&"a".repeat(64), true), volume("bad/name", false)],
            ..Engine::spec()
        };
        let req = Engine::request(Some("half"), spec);
        assert!(create(&e.host, &mut e.store, req).is_err());
        assert!(containers::list(e.store.conn()).unwrap().is_empty());
        assert!(crate::store::volumes::list(e.store.conn())
            .unwrap()
            .is_empty());
        let left = |p: PathBuf| std::fs::read_dir(p).map_or(0, |d| d.count());
        assert_eq!(left(e.host.layout.containers_dir()), 0);
        assert_eq!(left(e.host.layout.snapshots_dir().join("containers")), 0);
        assert_eq!(left(e.host.layout.locks_dir().join("containers")), 0);
        assert_eq!(left(e.host.layout.data_root.join("volumes")), 0);
        // The name is free again.
        e.create("half");
    }

    #[test]
    fn a_taken_name_is_docker_s_conflict_and_leaves_nothing() {
        let mut e = Engine::new();
        let first = e.create("db");
        let req = Engine::request(Some("db"), ContainerSpec::default());
        let err = create(&e.host, &mut e.store, req).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Conflict. The container name \"/db\" is already in use by container \"{}\". \
                 You have to remove (or rename) that container to be able to reuse that name.",
                first.row.id
            )
        );
        assert_eq!(containers::list(e.store.conn()).unwrap().len(), 1);
        let locks = std::fs::read_dir(e.host.layout.locks_dir().join("containers")).unwrap();
        assert_eq!(locks.count(), 1, "the refused container left its lock file");
    }

    #[test]
    fn an_unmonitored_container_killed_by_berth_records_the_signal() {
        let mut e = Engine::new();
        let mut c = e.create("orphan");
        e.start(&mut c).unwrap();
        e.shims.kill_shim(&c.row.id);
        refresh(&e.host, &mut e.store, &mut c).unwrap();
        assert_eq!(c.row.status, Status::Running, "runs on, unmonitored");
        // A stop signal it may have handled: its code stays unknown.
        record_if_unmonitored(&e.host, &mut e.store, &mut c, libc::SIGTERM).unwrap();
        assert_eq!(c.row.status, Status::Running);
        // berth's SIGKILL ended it: 137 as Docker records, not the 255 of
        // an exit nobody saw.
        kill(&e.host, &c, libc::SIGKILL).unwrap();
        record_if_unmonitored(&e.host, &mut e.store, &mut c, libc::SIGKILL).unwrap();
        assert_eq!((c.row.status, c.row.exit_code), (Status::Exited, 137));
        refresh(&e.host, &mut e.store, &mut c).unwrap();
        let row = containers::get(e.store.conn(), &c.row.id).unwrap().unwrap();
        assert_eq!((row.status, row.exit_code), (Status::Exited, 137));
        // Without berth's kill, the exit nobody saw is 255.
        let mut c = e.create("lost");
        e.start(&mut c).unwrap();
        e.shims.kill_shim(&c.row.id);
        e.rt.set_state(&c.row.id, crate::runtime::runc::Status::Stopped, 0);
        refresh(&e.host, &mut e.store, &mut c).unwrap();
        assert_eq!((c.row.status, c.row.exit_code), (Status::Exited, 255));
    }

    #[test]
    fn stop_escalates_to_kill_after_the_timeout() {
        let mut e = Engine::new();
        let mut c = e.create("stubborn");
        e.start(&mut c).unwrap();
        e.rt.ignore_signal(&c.row.id, libc::SIGTERM);
        let lock = e.host.lock(&c.row.id).unwrap();
        let t = Instant::now();
        stop(&e.host, &mut e.store, &lock, &mut c, None, Some(1), None).unwrap();
        assert!(t.elapsed() >= Duration::from_secs(1), "{:?}", t.elapsed());
        let id = &c.row.id;
        let kills: Vec<String> =
            e.rt.calls()
                .into_iter()
                .filter(|l| l.starts_with("kill"))
                .collect();
        assert_eq!(kills, [format!("kill {id} 15"), format!("kill {id} 9")]);
        assert_eq!((c.row.status, c.row.exit_code), (Status::Exited, 137));
        // A container that obeys stops on the signal alone.
        let mut c = e.create("meek");
        e.start(&mut c).unwrap();
        stop(
            &e.host,
            &mut e.store,
            &e.host.lock(&c.row.id).unwrap(),
            &mut c,
            None,
            Some(10),
            None,
        )
        .unwrap();
        assert_eq!((c.row.status, c.row.exit_code), (Status::Exited, 143));
        // Each stop told the shim first that the user stops it, so no
        // restart policy brings the container back.
        let marks = e
            .shims
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(dir, r)| {
                *r == crate::shim::control::Request::MarkStopped
                    && *dir == e.host.state_dir(&c.row.id)
            })
            .count();
        assert_eq!(marks, 1);
    }

    #[test]
    fn rm_of_a_running_container_needs_force() {
        let mut e = Engine::new();
        let mut c = e.create("busy");
        e.start(&mut c).unwrap();
        let err = e.remove(&mut c, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot remove container \"/busy\": container is running: stop the container before removing or force remove"
        );
        assert_eq!(e.status("busy"), Status::Running);
        let id = c.row.id.clone();
        e.remove(&mut c, true).unwrap();
        assert!(e.rt.calls().contains(&format!("kill {id} 9")));
        assert!(e.shims.requests.lock().unwrap().iter().any(|(d, r)| {
            *r == crate::shim::control::Request::MarkStopped && *d == e.host.state_dir(&id)
        }));
        e.assert_gone(&id);
    }

    #[test]
    fn illegal_transitions_are_refused() {
        let mut e = Engine::new();
        let mut c = e.create("xx");
        let id = c.row.id.clone();
        let pause = |e: &mut Engine, c: &mut Container, p: bool| {
            let lock = e.host.lock(&c.row.id).unwrap();
            set_paused(&e.host, &mut e.store, &lock, c, p).map_err(|e| e.to_string())
        };
        assert_eq!(
            pause(&mut e, &mut c, true),
            Err(format!("Container {id} is not running"))
        );
        e.start(&mut c).unwrap();
        // Starting a running container is refused.
        let err = e.start(&mut c).err().expect("the start failed");
        assert_eq!(err.error.to_string(), "container xx is running");
        assert_eq!(
            pause(&mut e, &mut c, false),
            Err(format!("Container {id} is not paused"))
        );
        pause(&mut e, &mut c, true).unwrap();
        assert_eq!(c.row.status, Status::Paused);
        assert_eq!(
            pause(&mut e, &mut c, true),
            Err(format!("Container {id} is already paused"))
        );
        pause(&mut e, &mut c, false).unwrap();
        assert_eq!(c.row.status, Status::Running);
        // A lock of another container is refused.
        let other = e.create("yy");
        let lock = e.host.lock(&other.row.id).unwrap();
        assert!(remove(&e.host, &mut e.store, &lock, &mut c, true, false).is_err());
        drop(lock);
        // The database refuses what the state table forbids.
        let r = e
            .store
            .write(|tx| state::apply(tx, &other.row.id, Transition::Paused));
        assert!(matches!(r, Err(StateError::Illegal { .. })), "{r:?}");
        let _ = &e.dir;
    }

    /// A record as a CLI killed half-way through `create` leaves it.
    fn transient_row(id: char, name: &str) -> ContainerRow {
        ContainerRow {
            id: id.to_string().repeat(64),
            name: name.into(),
            image_id: format!("sha256:{}", "0".repeat(64)),
            created_at: "2026-01-01T00:00:00Z".into(),
            spec: Engine::spec().to_json().unwrap(),
            status: Status::Creating,
            started_at: state::ZERO_TIME.into(),
            finished_at: state::ZERO_TIME.into(),
            ..Default::default()
        }
    }

    #[test]
    fn sweep_finishes_what_a_killed_cli_left() {
        let mut e = Engine::new();
        sweep(&e.host, &mut e.store).unwrap();
        e.create("whole");
        let half = transient_row('f', "half");
        e.store.write(|tx| containers::insert(tx, &half)).unwrap();
        std::fs::create_dir_all(e.host.bundle_dir(&half.id)).unwrap();
        // Its creator still runs (holds the lock): left alone.
        let busy = transient_row('e', "busy");
        e.store.write(|tx| containers::insert(tx, &busy)).unwrap();
        let lock = e.host.lock(&busy.id).unwrap();
        sweep(&e.host, &mut e.store).unwrap();
        e.assert_gone(&half.id);
        assert!(containers::get(e.store.conn(), &busy.id).unwrap().is_some());
        // Transient records are invisible to lookups meanwhile.
        assert!(find(&e.store, "busy").is_err());
        drop(lock);
        sweep(&e.host, &mut e.store).unwrap();
        e.assert_gone(&busy.id);
        assert_eq!(e.status("whole"), Status::Created);
    }

    #[test]
    fn a_reboot_marks_running_containers_exited_255() {
        let mut e = Engine::new();
        sweep(&e.host, &mut e.store).unwrap();
        let mut c = e.create("up");
        e.start(&mut c).unwrap();
        sweep(&e.host, &mut e.store).unwrap();
        assert_eq!(e.status("up"), Status::Running, "same boot");
        let marker = e.host.layout.state_root.join("boot_id");
        std::fs::write(&marker, "another-boot\n").unwrap();
        sweep(&e.host, &mut e.store).unwrap();
        let c = find(&e.store, "up").unwrap();
        assert_eq!((c.row.status, c.row.exit_code), (Status::Exited, 255));
        assert_eq!(
            std::fs::read_to_string(&marker).unwrap().trim(),
            state::boot_id()
        );
    }

    #[test]
    fn rm_racing_start_waits_for_the_lock() {
        let mut e = Engine::new();
        let mut c = e.create("race");
        let id = c.row.id.clone();
        let lock = e.host.lock(&id).unwrap();
        let Engine {
            host, store, rt, ..
        } = &mut e;
        let host = &*host;
        std::thread::scope(|s| {
            let remover = s.spawn(|| {
                let mut store = Store::open(host.layout.clone()).unwrap();
                // Blocks until the start below let go of the lock.
                let lock = host.lock(&id).unwrap();
                let mut c = find(&store, &id).unwrap();
                assert_eq!(c.row.status, Status::Running, "rm saw a half-made start");
                remove(host, &mut store, &lock, &mut c, true, true)
            });
            std::thread::sleep(Duration::from_millis(50));
            let opts = StartOptions { attach: None };
            start(host, store, &lock, &mut c, &ImageConfig::default(), opts).unwrap();
            drop(lock);
            remover.join().unwrap().unwrap();
        });
        assert!(rt.calls().contains(&format!("kill {id} 9")));
        e.assert_gone(&id);
    }

    #[test]
    fn etc_hosts_has_localhost_extras_and_own_address() {
        let cfg = ContainerSpec {
            extra_hosts: vec![
                ("db".into(), "10.0.0.5".into()),
                ("gw".into(), "host-gateway".into()),
            ],
            network: NetworkMode::None,
            ..Default::default()
        };
        let addrs = EtcAddrs {
            own: vec!["10.88.0.2".parse().unwrap()],
            gateway: Some("10.88.0.1".parse().unwrap()),
            ..Default::default()
        };
        let (h, _) = etc_files(&cfg, "abc", &addrs, std::path::Path::new("/nonexistent")).unwrap();
        assert!(h.starts_with("127.0.0.1\tlocalhost\n"));
        assert!(h.ends_with("10.0.0.5\tdb\n10.88.0.1\tgw\n10.88.0.2\tabc\n"));
    }

    #[test]
    fn command_text_quotes_arguments_with_spaces_as_moby() {
        let w = |v: &[&str]| command_words(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(w(&[]), "");
        assert_eq!(w(&["/bin/sh"]), "/bin/sh");
        assert_eq!(
            w(&["sh", "-c", "echo hi; sleep 1", "x"]),
            "sh -c 'echo hi; sleep 1' x"
        );
        // moby quotes neither the path nor arguments without a space.
        // (moby looks for a space only: a tab is no reason.)
        assert_eq!(w(&["/my app", "a\tb", "it's"]), "/my app a\tb it's");
    }
}
