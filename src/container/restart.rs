//! Restart policies seen from the CLI: `update --restart` on a container
//! (live or not) and the boot restore (`system restore`). The restarts
//! themselves happen in the shim (`shim::server`), which decides at each
//! exit with the policy it holds ([`crate::shim::config::RestartPolicy`]).
//!
//! Why `update` tells the shim over its control channel rather than letting
//! the shim re-read the container's config at each exit: the shim links no
//! store code and reads nothing of the data root after start-up; a request
//! answers at once with the state it now holds (so `update` fails loudly
//! when a live shim cannot take it), and costs the shim nothing between
//! exits. The stored spec is changed first, so the next `start` (and a
//! restore after a reboot) uses the new policy even when the shim is gone.

use super::lifecycle::{self, Container, ContainerLock, Host};
use super::state::{self, Status};
use crate::shim::config::RestartPolicy;
use crate::shim::control::Request;
use crate::shim::launch::ShimStatus;
use crate::shim::state::ShimState;
use crate::store::{containers, Store};
use crate::sys::lock::FileLock;
use anyhow::{bail, Context as _, Result};

/// Change a container's restart policy, under its lock: the stored spec,
/// then the live shim's copy.
pub fn set_policy(
    host: &Host,
    store: &mut Store,
    lock: &ContainerLock,
    c: &mut Container,
    policy: RestartPolicy,
) -> Result<()> {
    lock.holds(c)?;
    lifecycle::refresh(host, store, c)?;
    if c.spec.auto_remove && policy != RestartPolicy::No {
        bail!("Restart policy cannot be updated because AutoRemove is enabled for the container");
    }
    c.spec.restart_policy = policy;
    let json = c.spec.to_json()?;
    store.write(|tx| containers::set_spec(tx, &c.row.id, &json))?;
    if !c.row.status.is_live() {
        return Ok(());
    }
    let dir = host.state_dir(&c.row.id);
    if let Err(e) = host
        .shims
        .control(&dir, &Request::SetRestartPolicy { policy })
    {
        // A shim that has just finished needs no policy any more.
        if matches!(host.shims.status(&dir), Ok(ShimStatus::Running { .. })) {
            return Err(e).context("telling the container's shim the new restart policy");
        }
    }
    Ok(())
}

/// Whether the boot restore starts this container, as moby's restore asks
/// its restart manager: `always`; `unless-stopped` unless the user stopped
/// it (what its shim recorded in the bundle's exit record); `on-failure`
/// after a non-zero exit (a reboot ends a running container with 255) while
/// retries are left, unless the user stopped it (berth's rule at every
/// exit: a user's stop or kill is never a failure to recover from). A
/// container that never ran, or one that is live, is left alone.
pub fn wants_restore(c: &Container, stopped_by_user: bool) -> bool {
    if !matches!(c.row.status, Status::Exited | Status::Dead) {
        return false;
    }
    match c.spec.restart_policy {
        RestartPolicy::Always => true,
        RestartPolicy::UnlessStopped => !stopped_by_user,
        RestartPolicy::OnFailure { max_retries } => {
            !stopped_by_user
                && c.row.exit_code != 0
                && (max_retries == 0 || c.row.restart_count < i64::from(max_retries))
        }
        RestartPolicy::No => false,
    }
}

/// The file in the state root that says this boot was restored.
const RESTORED_MARKER: &str = "restored";

/// What `system restore` found to do.
pub enum Restore {
    /// The containers to start, in creation order.
    Start(Vec<Container>, RestoreDone),
    /// This boot was restored already: nothing to do.
    AlreadyDone,
}

/// Held while the restore runs; [`RestoreDone::finish`] marks the boot
/// restored.
pub struct RestoreDone {
    _lock: FileLock,
    marker: std::path::PathBuf,
    boot: String,
}

impl RestoreDone {
    pub fn finish(self) -> Result<()> {
        crate::sys::fs::write_atomic_nosync(&self.marker, format!("{}\n", self.boot).as_bytes())
            .with_context(|| format!("writing {}", self.marker.display()))
    }
}

/// The boot restore's plan: once per boot (a marker in the state root,
/// which a reboot empties), after the reboot sweep (the caller opened the
/// store through `Context::container_store`, which runs it), the
/// containers [`wants_restore`] picks. Concurrent restores wait for each
/// other; the second finds the marker.
pub fn plan(host: &Host, store: &Store) -> Result<Restore> {
    let lock = FileLock::exclusive(&host.layout.locks_dir().join("restore.lock"))?;
    let marker = host.layout.state_root.join(RESTORED_MARKER);
    let boot = state::boot_id();
    if std::fs::read_to_string(&marker).is_ok_and(|s| s.trim() == boot) {
        return Ok(Restore::AlreadyDone);
    }
    let mut rows = containers::list(store.conn())?;
    rows.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    let mut picked = Vec::new();
    for row in rows {
        let Ok(c) = Container::from_row(row) else {
            continue;
        };
        let stopped = ShimState::read(&host.bundle_dir(&c.row.id))
            .ok()
            .flatten()
            .is_some_and(|s| s.stopped_by_user);
        if wants_restore(&c, stopped) {
            picked.push(c);
        }
    }
    Ok(Restore::Start(
        picked,
        RestoreDone {
            _lock: lock,
            marker,
            boot,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(status: Status, policy: RestartPolicy, exit_code: i64, count: i64) -> Container {
        let mut c = Container {
            row: containers::ContainerRow::default(),
            spec: Default::default(),
        };
        (c.row.status, c.row.exit_code, c.row.restart_count) = (status, exit_code, count);
        c.spec.restart_policy = policy;
        c
    }

    #[test]
    fn restore_follows_dockers_policies() {
        let of = RestartPolicy::OnFailure { max_retries: 0 };
        let of3 = RestartPolicy::OnFailure { max_retries: 3 };
        for (status, policy, code, count, stopped, want) in [
            (Status::Exited, RestartPolicy::Always, 0, 0, false, true),
            // `always` comes back after a reboot even when stopped by hand.
            (Status::Exited, RestartPolicy::Always, 0, 0, true, true),
            (
                Status::Exited,
                RestartPolicy::UnlessStopped,
                0,
                0,
                false,
                true,
            ),
            (
                Status::Exited,
                RestartPolicy::UnlessStopped,
                0,
                0,
                true,
                false,
            ),
            (Status::Exited, RestartPolicy::No, 255, 0, false, false),
            // on-failure: a failed exit (255: ended by the reboot) with
            // retries left, and not the user's stop.
            (Status::Exited, of, 0, 0, false, false),
            (Status::Exited, of, 255, 7, false, true),
            (Status::Exited, of, 137, 0, true, false),
            (Status::Exited, of3, 1, 2, false, true),
            (Status::Exited, of3, 1, 3, false, false),
            (Status::Dead, RestartPolicy::Always, 0, 0, false, true),
            // Never started, or already up: left alone.
            (Status::Created, RestartPolicy::Always, 0, 0, false, false),
            (Status::Running, RestartPolicy::Always, 0, 0, false, false),
            (Status::Restarting, of, 1, 0, false, false),
        ] {
            assert_eq!(
                wants_restore(&container(status, policy, code, count), stopped),
                want,
                "{status:?} {policy:?} exit={code} count={count} stopped={stopped}"
            );
        }
    }
}
