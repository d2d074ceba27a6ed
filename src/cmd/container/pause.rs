//! `berth pause|unpause CONTAINER...`: freeze or thaw every process of a
//! container through the runtime (`runc pause|resume`, the cgroup freezer),
//! under the container's lock, and record `paused` ↔ `running`. Errors use
//! docker's wording (`Container <id> is not running`, `... is already
//! paused`, `... is not paused`); each container is reported on its own and
//! the command exits 1 if any failed.

use crate::cli::container::ContainersArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle::{self, Host};
use crate::container::state::Status;
use crate::runtime::runc::OciRuntime;
use crate::store::containers::{self, StateUpdate};
use crate::store::Store;
use anyhow::{bail, Result};

pub fn run_pause(ctx: &Context, args: ContainersArgs) -> Result<u8> {
    each(ctx, &args.containers, true)
}

pub fn run_unpause(ctx: &Context, args: ContainersArgs) -> Result<u8> {
    each(ctx, &args.containers, false)
}

fn each(ctx: &Context, names: &[String], pause: bool) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    crate::cmd::for_each_name(names, |name| set_paused(&host, &mut store, name, pause))
}

/// What pausing (or unpausing) a container in `status` must do.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    Act,
    NotRunning,
    AlreadyPaused,
    NotPaused,
}

fn step(status: Status, pause: bool) -> Step {
    match (status, pause) {
        (Status::Running, true) => Step::Act,
        (Status::Paused, true) => Step::AlreadyPaused,
        (Status::Paused, false) => Step::Act,
        (Status::Running, false) => Step::NotPaused,
        (_, _) => Step::NotRunning,
    }
}

fn set_paused(host: &Host, store: &mut Store, name: &str, pause: bool) -> Result<()> {
    let c = lifecycle::find(store, name)?;
    let _lock = host.lock(&c.row.id)?;
    let mut c = lifecycle::find(store, &c.row.id)?;
    lifecycle::refresh(host, store, &mut c)?;
    let id = &c.row.id;
    match step(c.row.status, pause) {
        Step::Act => {}
        Step::NotRunning => bail!("Container {id} is not running"),
        Step::AlreadyPaused => bail!("Container {id} is already paused"),
        Step::NotPaused => bail!("Container {id} is not paused"),
    }
    let cfg = &c.spec;
    let rt = host.runtime(&cfg.runtime)?;
    let next = if pause {
        rt.pause(id)?;
        Status::Paused
    } else {
        rt.resume(id)?;
        Status::Running
    };
    let u = StateUpdate {
        status: next,
        pid: c.row.pid,
        exit_code: c.row.exit_code,
        started_at: None,
        finished_at: None,
        oom_killed: c.row.oom_killed,
        error: c.row.error.clone(),
        restart_count: None,
        boot_id: None,
    };
    store.write(|tx| containers::update_state(tx, id, &u))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_state_rules() {
        assert_eq!(step(Status::Running, true), Step::Act);
        assert_eq!(step(Status::Paused, false), Step::Act);
        assert_eq!(step(Status::Paused, true), Step::AlreadyPaused);
        assert_eq!(step(Status::Running, false), Step::NotPaused);
        assert_eq!(step(Status::Exited, true), Step::NotRunning);
        assert_eq!(step(Status::Created, false), Step::NotRunning);
    }
}
