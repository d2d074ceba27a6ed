//! `wait --condition`: block until a container reaches a condition and
//! return its `State.ExitCode` at that moment.
//!
//! Docker's API knows `not-running` (the default of `docker wait`),
//! `next-exit` and `removed`; docker's CLI exposes none of them, so
//! `berth wait --condition` (and `berth container wait`) takes those plus
//! `running`, `exited` and `healthy` for scripts and compose (podman's
//! names). A container waiting out a restart back-off counts as running,
//! as Docker reports it, so `not-running` returns only after its last run.
//!
//! Waiting is polling (there is no daemon to notify us): the record is
//! refreshed from the shim's published state every [`POLL`]; `next-exit`
//! follows the shim's run generation, so a run that ends and restarts
//! between two polls is still seen.

use super::lifecycle::{self, Host};
use super::state::Status;
use crate::shim::health::HealthStatus;
use crate::shim::launch::ShimStatus;
use crate::store::Store;
use anyhow::{bail, Result};
use std::time::Duration;

/// How often the record and the shim's state are read.
const POLL: Duration = Duration::from_millis(20);

/// What to wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    NotRunning,
    NextExit,
    Removed,
    Running,
    Exited,
    Healthy,
}

impl std::str::FromStr for Condition {
    type Err = String;

    fn from_str(s: &str) -> Result<Condition, String> {
        Ok(match s {
            "" | "not-running" => Condition::NotRunning,
            "next-exit" => Condition::NextExit,
            "removed" => Condition::Removed,
            "running" => Condition::Running,
            "exited" => Condition::Exited,
            "healthy" => Condition::Healthy,
            other => {
                return Err(format!(
                    "invalid condition: \"{other}\": use one of not-running, next-exit, removed, running, exited, healthy"
                ))
            }
        })
    }
}

/// Block until the container `input` names meets `cond`; its exit code
/// then (the last run's for the exit conditions, 0 for `running`).
pub fn wait(host: &Host, store: &mut Store, input: &str, cond: Condition) -> Result<i64> {
    let mut c = lifecycle::find(store, input)?;
    let id = c.row.id.clone();
    if cond == Condition::Healthy {
        let content = crate::image::content::ContentStore::new(host.layout.content_dir());
        let image = crate::image::read_config(&content, &c.row.image_id).ok();
        let runs = lifecycle::healthcheck(&c.spec, image.as_ref())
            .is_some_and(|h| h.resolve(Default::default(), 0, Duration::ZERO).is_some());
        if !runs {
            bail!("container {} has no healthcheck configured", c.row.name);
        }
    }
    // next-exit: the run generation that must end (None until one runs).
    let mut watched: Option<u64> = None;
    loop {
        match crate::store::containers::get(store.conn(), &id)? {
            Some(row) => c.row = row,
            None if cond == Condition::Removed => return Ok(c.row.exit_code),
            None => bail!("No such container: {input}"),
        }
        lifecycle::refresh(host, store, &mut c)?;
        let status = c.row.status;
        match cond {
            Condition::NotRunning if !status.can_kill() => return Ok(c.row.exit_code),
            Condition::Running if status == Status::Running => return Ok(c.row.exit_code),
            Condition::Exited if matches!(status, Status::Exited | Status::Dead) => {
                return Ok(c.row.exit_code)
            }
            Condition::Healthy => {
                let health = crate::shim::health::Health::read(&host.state_dir(&id));
                if status == Status::Running
                    && health.is_some_and(|h| h.status == HealthStatus::Healthy)
                {
                    return Ok(c.row.exit_code);
                }
                if !status.is_live() && status != Status::Created {
                    bail!(
                        "container {} exited before it became healthy (exit code {})",
                        c.row.name,
                        c.row.exit_code
                    );
                }
            }
            Condition::NextExit => {
                if let Some(code) = next_exit(host, &c.row, &mut watched) {
                    return Ok(code);
                }
            }
            _ => {}
        }
        std::thread::sleep(POLL);
    }
}

/// One look for `next-exit`: the exit code once the watched run ended.
fn next_exit(
    host: &Host,
    row: &crate::store::containers::ContainerRow,
    watched: &mut Option<u64>,
) -> Option<i64> {
    let dir = host.state_dir(&row.id);
    let shim = host.shims.status(&dir).ok();
    let state = match &shim {
        Some(ShimStatus::Running { state: Some(s), .. }) => Some((**s).clone()),
        _ => crate::shim::state::ShimState::read(&dir).ok().flatten(),
    };
    match (*watched, state) {
        // The first run seen alive is the one whose end we wait for.
        (None, Some(s))
            if row.status.is_live() && s.status == crate::shim::state::RunStatus::Running =>
        {
            *watched = Some(s.generation);
            None
        }
        (Some(g), Some(s)) => {
            use crate::shim::state::RunStatus;
            let ended = s.generation > g
                || (s.generation == g
                    && matches!(s.status, RunStatus::Restarting | RunStatus::Exited));
            ended.then(|| s.exit.map_or(row.exit_code, |e| i64::from(e.exit_code)))
        }
        // Watching a run whose shim and state are gone: the record has it.
        (Some(_), None) if !row.status.is_live() => Some(row.exit_code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse() {
        assert_eq!("".parse(), Ok(Condition::NotRunning));
        assert_eq!("not-running".parse(), Ok(Condition::NotRunning));
        assert_eq!("next-exit".parse(), Ok(Condition::NextExit));
        assert_eq!("removed".parse(), Ok(Condition::Removed));
        assert_eq!("running".parse(), Ok(Condition::Running));
        assert_eq!("exited".parse(), Ok(Condition::Exited));
        assert_eq!("healthy".parse(), Ok(Condition::Healthy));
        let e = "stopped".parse::<Condition>().unwrap_err();
        assert!(e.starts_with("invalid condition: \"stopped\""), "{e}");
    }
}
