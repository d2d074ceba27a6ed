//! The container state machine and its reconciliation with reality.
//!
//! The database holds what the CLI last did; the shim's state dir holds what
//! actually happened since (a live shim holds the lock on `shim.pid`; it
//! writes `exit.json` when the container ends). Every command that reads a
//! container first folds those facts into the record, so a container that
//! exited while no CLI was running, a killed shim, or a host reboot is
//! reported truthfully (Docker's `State` fields).
//!
//! Every write of a container's state is a [`Transition`] applied by
//! [`apply`], the one writer: it checks the transition is legal from the
//! current status inside the caller's transaction, writes it, and returns the
//! [`Event`] it makes (for the events journal, `wait --condition` and restart
//! counts). An exit is a compare-and-set on the run it ends, so a late
//! observer never overwrites a newer run.

use crate::shim::launch::ShimStatus;
use crate::shim::state::{RunStatus, ShimState};
use crate::store::containers::{self, ContainerRow};
use crate::store::StoreError;
use rusqlite::Transaction;

pub use crate::store::containers::Status;

/// Zero time in Docker's JSON.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The kernel's id of this boot.
pub fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// A change of a container's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// Its files exist: `creating` → `created`.
    Created,
    /// Its shim runs it: `created`, `exited` or `dead` → `running`.
    Started {
        pid: i64,
        started_at: String,
        boot_id: String,
    },
    /// A start failed with Docker's code (125/126/127) and message: a
    /// created container stays created, another becomes exited.
    StartFailed { code: i64, error: String },
    /// `running` → `paused`.
    Paused,
    /// `paused` → `running`.
    Unpaused,
    /// The run that started at `run` ended: live → `exited`; `restarts`
    /// is the shim's final restart count, when it is known.
    Exited {
        restarts: Option<i64>,
        run: String,
        code: i64,
        oom_killed: bool,
        finished_at: String,
        error: String,
    },
    /// The shim runs the container again under its restart policy (the
    /// record knew the run that started at `run`): between runs the
    /// container is `restarting` with the last run's exit; a new run is
    /// `running` with its own pid and start time.
    Supervised { run: String, now: Supervision },
    /// The shim of the run that started at `run` died while the container's
    /// processes live on: the status stays, the error says so.
    MonitorLost { run: String, error: String },
    /// Removal begins (from any state: a killed remover's record is swept).
    Removing,
}

impl Transition {
    fn name(&self) -> &'static str {
        match self {
            Transition::Created => "created",
            Transition::Started { .. } => "started",
            Transition::StartFailed { .. } => "start-failed",
            Transition::Paused => "paused",
            Transition::Unpaused => "unpaused",
            Transition::Exited { .. } => "exited",
            Transition::Supervised { .. } => "supervised",
            Transition::MonitorLost { .. } => "monitor-lost",
            Transition::Removing => "removing",
        }
    }
}

/// Where a shim that restarts its container is (see
/// [`Transition::Supervised`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Supervision {
    /// Waiting out the back-off after a run that ended so.
    Restarting {
        restart_count: i64,
        code: i64,
        oom_killed: bool,
        finished_at: String,
    },
    /// Run number `restart_count + 1` is alive.
    Running {
        restart_count: i64,
        pid: i64,
        started_at: String,
    },
}

/// What an applied transition did, with the record as it now is.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub action: Action,
    pub row: ContainerRow,
}

/// The kind of an [`Event`] (Docker's event actions where one exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Start,
    StartFailed {
        code: i64,
    },
    Pause,
    Unpause,
    Die {
        code: i64,
        oom_killed: bool,
    },
    /// The restart policy started the container again.
    Restart,
    MonitorLost,
    Removing,
}

/// Why a transition was not applied.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("No such container: {0}")]
    NotFound(String),
    #[error("container {id} is {}: it cannot be {transition}", from.as_str())]
    Illegal {
        id: String,
        from: Status,
        transition: &'static str,
    },
    /// The run an exit belongs to is over: the container was started again.
    #[error("container {0} was started again since")]
    Stale(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for StateError {
    fn from(e: rusqlite::Error) -> Self {
        StateError::Store(StoreError::Sql(e))
    }
}

/// Whether `t` may follow `from` (an exit also needs its run to be current).
fn legal(from: Status, t: &Transition) -> bool {
    match t {
        Transition::Created => from == Status::Creating,
        Transition::Started { .. } | Transition::StartFailed { .. } => from.can_start(),
        Transition::Paused => from == Status::Running,
        Transition::Unpaused => from == Status::Paused,
        Transition::Exited { .. }
        | Transition::MonitorLost { .. }
        | Transition::Supervised { .. } => from.is_live(),
        Transition::Removing => true,
    }
}

/// The one writer of container state (see the module docs).
pub fn apply(tx: &Transaction<'_>, id: &str, t: Transition) -> Result<Event, StateError> {
    let mut row = containers::get(tx, id)?.ok_or_else(|| StateError::NotFound(id.to_string()))?;
    let action = advance(&mut row, t)?;
    containers::update_state(tx, &row)?;
    Ok(Event { action, row })
}

/// [`apply`] to a record in memory only: check `t` against `row` and change
/// it. `apply` is this plus the read and the write of the record.
pub fn advance(row: &mut ContainerRow, t: Transition) -> Result<Action, StateError> {
    let id = &row.id;
    let from = row.status;
    if let Transition::Exited { run, .. }
    | Transition::MonitorLost { run, .. }
    | Transition::Supervised { run, .. } = &t
    {
        if *run != row.started_at {
            return Err(StateError::Stale(id.to_string()));
        }
    }
    if !legal(from, &t) {
        return Err(StateError::Illegal {
            id: id.to_string(),
            from,
            transition: t.name(),
        });
    }
    let action = match t {
        Transition::Created => {
            row.status = Status::Created;
            Action::Create
        }
        Transition::Started {
            pid,
            started_at,
            boot_id,
        } => {
            row.status = Status::Running;
            row.pid = pid;
            row.exit_code = 0;
            row.started_at = started_at;
            row.oom_killed = false;
            row.error.clear();
            row.boot_id = boot_id;
            // A start by the user begins a new count (the shim's).
            row.restart_count = 0;
            Action::Start
        }
        Transition::StartFailed { code, error } => {
            if from != Status::Created {
                row.status = Status::Exited;
            }
            row.pid = 0;
            row.exit_code = code;
            row.oom_killed = false;
            row.error = error;
            Action::StartFailed { code }
        }
        Transition::Paused => {
            row.status = Status::Paused;
            Action::Pause
        }
        Transition::Unpaused => {
            row.status = Status::Running;
            Action::Unpause
        }
        Transition::Exited {
            code,
            oom_killed,
            finished_at,
            error,
            restarts,
            ..
        } => {
            if let Some(n) = restarts {
                row.restart_count = n;
            }
            row.status = Status::Exited;
            row.pid = 0;
            row.exit_code = code;
            row.oom_killed = oom_killed;
            row.finished_at = finished_at;
            row.error = error;
            Action::Die { code, oom_killed }
        }
        Transition::Supervised { now, .. } => match now {
            Supervision::Restarting {
                restart_count,
                code,
                oom_killed,
                finished_at,
            } => {
                row.status = Status::Restarting;
                row.pid = 0;
                row.restart_count = restart_count;
                row.exit_code = code;
                row.oom_killed = oom_killed;
                row.finished_at = finished_at;
                Action::Die { code, oom_killed }
            }
            Supervision::Running {
                restart_count,
                pid,
                started_at,
            } => {
                row.status = Status::Running;
                row.pid = pid;
                row.restart_count = restart_count;
                row.started_at = started_at;
                row.oom_killed = false;
                row.error.clear();
                Action::Restart
            }
        },
        Transition::MonitorLost { error, .. } => {
            row.error = error;
            Action::MonitorLost
        }
        Transition::Removing => {
            row.status = Status::Removing;
            row.pid = 0;
            Action::Removing
        }
    };
    Ok(action)
}

/// What the container's shim says (`shim_status`, asked only for a record
/// that calls the container live) as the transition to apply (None when the
/// record is already right).
pub fn observe(
    row: &ContainerRow,
    shim_status: impl FnOnce() -> std::io::Result<ShimStatus>,
    runtime_says_alive: impl FnOnce() -> bool,
) -> Option<Transition> {
    if !row.status.is_live() {
        return None;
    }
    match shim_status() {
        Ok(ShimStatus::Running { state, .. }) => state.and_then(|s| supervised(row, &s)),
        Ok(ShimStatus::Exited(info)) => Some(Transition::Exited {
            restarts: Some(i64::from(info.restart_count)),
            run: row.started_at.clone(),
            code: i64::from(info.exit_code),
            oom_killed: info.oom_killed,
            finished_at: info.finished_at,
            error: String::new(),
        }),
        Ok(ShimStatus::Gone) | Err(_) => {
            // The shim was killed. If the container's processes survive,
            // it is still running, just unmonitored; otherwise its exit
            // status is lost.
            if runtime_says_alive() {
                row.error.is_empty().then(|| Transition::MonitorLost {
                    run: row.started_at.clone(),
                    error: "container monitor (shim) exited unexpectedly".into(),
                })
            } else {
                Some(lost(row))
            }
        }
    }
}

/// What a live shim's published state changes in the record: a restart
/// policy at work (None when the record already says it, or for a paused
/// container, or before the shim's first run).
fn supervised(row: &ContainerRow, s: &ShimState) -> Option<Transition> {
    let count = i64::from(s.restart_count);
    let now = match (s.status, &s.exit) {
        (RunStatus::Restarting, Some(e)) => {
            if row.status == Status::Restarting && row.restart_count == count {
                return None;
            }
            Supervision::Restarting {
                restart_count: count,
                code: i64::from(e.exit_code),
                oom_killed: e.oom_killed,
                finished_at: e.finished_at.clone(),
            }
        }
        (RunStatus::Running, _) => {
            if row.status != Status::Restarting && row.restart_count == count {
                return None;
            }
            Supervision::Running {
                restart_count: count,
                pid: i64::from(s.pid),
                started_at: s.started_at.clone(),
            }
        }
        _ => return None,
    };
    Some(Transition::Supervised {
        run: row.started_at.clone(),
        now,
    })
}

/// The exit of a container whose end was not witnessed (shim killed, host
/// rebooted): 255, as Docker reports after a daemon crash.
pub fn lost(row: &ContainerRow) -> Transition {
    Transition::Exited {
        restarts: None,
        run: row.started_at.clone(),
        code: 255,
        oom_killed: false,
        finished_at: crate::shim::time::rfc3339_nano(std::time::SystemTime::now()),
        error: if row.error.is_empty() {
            "container monitor exited; exit status unknown".into()
        } else {
            row.error.clone()
        },
    }
}

/// The exit of a container whose shim was gone (it ran unmonitored) and
/// that `signal`, sent by berth and not one a process can survive or
/// handle (SIGKILL), ended: `128 + signal`, the code Docker records for
/// it, rather than the 255 of an exit nobody saw.
pub fn killed_unmonitored(row: &ContainerRow, signal: i32) -> Transition {
    match lost(row) {
        Transition::Exited {
            restarts,
            run,
            oom_killed,
            finished_at,
            error,
            ..
        } => Transition::Exited {
            restarts,
            run,
            code: 128 + i64::from(signal),
            oom_killed,
            finished_at,
            error,
        },
        other => other,
    }
}

/// Docker's `Status` column text: `Up 5 minutes`, `Exited (0) 2 hours ago`,
/// `Created`, `Up 3 seconds (Paused)`.
pub fn human_status(row: &ContainerRow, now: chrono::DateTime<chrono::Utc>) -> String {
    let since = |t: &str| -> Option<std::time::Duration> {
        let t = chrono::DateTime::parse_from_rfc3339(t).ok()?;
        (now - t.with_timezone(&chrono::Utc)).to_std().ok()
    };
    let dur = |t: &str| {
        since(t)
            .map(crate::format::units::human_duration)
            .unwrap_or_else(|| "Less than a second".into())
    };
    match row.status {
        Status::Created | Status::Creating => "Created".into(),
        Status::Running => format!("Up {}", dur(&row.started_at)),
        Status::Paused => format!("Up {} (Paused)", dur(&row.started_at)),
        Status::Restarting => format!(
            "Restarting ({}) {} ago",
            row.exit_code,
            dur(&row.finished_at)
        ),
        Status::Exited => {
            if row.finished_at == ZERO_TIME || row.finished_at.is_empty() {
                format!("Exited ({})", row.exit_code)
            } else {
                format!("Exited ({}) {} ago", row.exit_code, dur(&row.finished_at))
            }
        }
        Status::Dead => "Dead".into(),
        Status::Removing => "Removal In Progress".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: &str) -> ContainerRow {
        ContainerRow {
            id: "x".into(),
            name: "n".into(),
            created_at: ZERO_TIME.into(),
            spec: "{}".into(),
            status: Status::parse(status).unwrap(),
            pid: 10,
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: "2026-01-01T00:01:00Z".into(),
            ..Default::default()
        }
    }

    #[test]
    fn state_rules() {
        assert!(Status::Exited.can_start());
        assert!(!Status::Running.can_start());
        assert!(Status::Paused.can_kill());
        assert!(!Status::Created.can_kill());
        assert_eq!(Status::parse("weird"), None);
        assert_eq!(Status::parse("dead"), Some(Status::Dead));
    }

    #[test]
    fn a_missing_shim_means_lost_unless_the_runtime_disagrees() {
        let r = row("running");
        let gone = || Ok(ShimStatus::Gone);
        let t = observe(&r, gone, || false).unwrap();
        assert!(matches!(t, Transition::Exited { code: 255, ref run, .. } if *run == r.started_at));
        let t = observe(&r, gone, || true).unwrap();
        assert!(matches!(t, Transition::MonitorLost { .. }));
        assert!(observe(&row("exited"), || panic!("not asked"), || false).is_none());
    }

    fn store_with(status: Status) -> (tempfile::TempDir, crate::store::Store) {
        use crate::store::{Layout, Store};
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(Layout::new(dir.path().join("d"), dir.path().join("s"))).unwrap();
        let mut r = row("created");
        r.status = status;
        s.write(|tx| containers::insert(tx, &r)).unwrap();
        (dir, s)
    }

    fn started(at: &str) -> Transition {
        Transition::Started {
            pid: 7,
            started_at: at.into(),
            boot_id: "b".into(),
        }
    }

    fn exited(run: &str, code: i64) -> Transition {
        Transition::Exited {
            restarts: None,
            run: run.into(),
            code,
            oom_killed: true,
            finished_at: "2026-01-02T00:00:00Z".into(),
            error: String::new(),
        }
    }

    #[test]
    fn a_whole_life_goes_through_apply() {
        let (_d, mut s) = store_with(Status::Creating);
        let mut go = |t: Transition| s.write(|tx| apply(tx, "x", t));
        assert_eq!(go(Transition::Created).unwrap().action, Action::Create);
        let e = go(started("T1")).unwrap();
        assert_eq!(e.action, Action::Start);
        assert_eq!((e.row.status, e.row.pid), (Status::Running, 7));
        assert_eq!(e.row.started_at, "T1");
        assert_eq!(go(Transition::Paused).unwrap().row.status, Status::Paused);
        assert_eq!(
            go(Transition::Unpaused).unwrap().row.status,
            Status::Running
        );
        // An exit of an older run is refused; the current run's applies.
        assert!(matches!(go(exited("T0", 1)), Err(StateError::Stale(_))));
        let e = go(exited("T1", 3)).unwrap();
        assert_eq!(
            e.action,
            Action::Die {
                code: 3,
                oom_killed: true
            }
        );
        assert_eq!(
            (e.row.status, e.row.pid, e.row.exit_code),
            (Status::Exited, 0, 3)
        );
        // A failed restart stays exited with docker's code and message.
        let e = go(Transition::StartFailed {
            code: 127,
            error: "not found".into(),
        })
        .unwrap();
        assert_eq!((e.row.status, e.row.exit_code), (Status::Exited, 127));
        assert_eq!(e.row.error, "not found");
        let e = go(started("T2")).unwrap();
        assert!(e.row.error.is_empty() && !e.row.oom_killed);
        let e = go(Transition::MonitorLost {
            run: "T2".into(),
            error: "shim died".into(),
        })
        .unwrap();
        assert_eq!(
            (e.row.status, e.row.error.as_str()),
            (Status::Running, "shim died")
        );
        assert_eq!(
            go(Transition::Removing).unwrap().row.status,
            Status::Removing
        );
    }

    #[test]
    fn illegal_transitions_change_nothing() {
        for (from, t) in [
            (Status::Created, Transition::Paused),
            (Status::Running, Transition::Unpaused),
            (Status::Running, Transition::Created),
            (Status::Exited, Transition::Paused),
            (Status::Running, started("T9")),
            (Status::Paused, started("T9")),
            (Status::Creating, started("T9")),
            (Status::Removing, started("T9")),
            (Status::Created, exited("2026-01-01T00:00:00Z", 0)),
        ] {
            let (_d, mut s) = store_with(from);
            let before = containers::get(s.conn(), "x").unwrap();
            let err = s.write(|tx| apply(tx, "x", t.clone())).unwrap_err();
            assert!(
                matches!(err, StateError::Illegal { .. }),
                "{from:?} {t:?}: {err}"
            );
            assert_eq!(containers::get(s.conn(), "x").unwrap(), before);
        }
        let (_d, mut s) = store_with(Status::Created);
        let err = s
            .write(|tx| apply(tx, "nope", Transition::Paused))
            .unwrap_err();
        assert_eq!(err.to_string(), "No such container: nope");
        let err = s
            .write(|tx| apply(tx, "x", Transition::Paused))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "container x is created: it cannot be paused"
        );
    }

    #[test]
    fn a_failed_first_start_stays_created() {
        let (_d, mut s) = store_with(Status::Created);
        let e = s
            .write(|tx| {
                apply(
                    tx,
                    "x",
                    Transition::StartFailed {
                        code: 126,
                        error: "permission denied".into(),
                    },
                )
            })
            .unwrap();
        assert_eq!((e.row.status, e.row.exit_code), (Status::Created, 126));
        assert_eq!(e.action, Action::StartFailed { code: 126 });
    }

    fn shim_state(status: RunStatus, generation: u64) -> ShimState {
        ShimState {
            generation,
            status,
            pid: 99,
            restart_count: generation as u32 - 1,
            started_at: "2026-01-01T00:02:00Z".into(),
            exit: Some(crate::shim::state::ExitInfo {
                exit_code: 3,
                finished_at: "2026-01-01T00:01:30Z".into(),
                oom_killed: false,
                pid: 98,
                error: String::new(),
                restart_count: 0,
            }),
            restart_policy: crate::shim::config::RestartPolicy::Always,
            stopped_by_user: false,
            error: String::new(),
        }
    }

    #[test]
    fn a_restarting_shim_is_folded_into_the_record() {
        let (_d, mut s) = store_with(Status::Creating);
        let mut go = |t: Transition| s.write(|tx| apply(tx, "x", t));
        go(Transition::Created).unwrap();
        let mut r = go(started("T1")).unwrap().row;
        let running = |st: ShimState| {
            move || {
                Ok(ShimStatus::Running {
                    shim_pid: 1,
                    state: Some(Box::new(st)),
                })
            }
        };
        // The first run as the CLI recorded it: nothing to change.
        let mut first = shim_state(RunStatus::Running, 1);
        first.exit = None;
        assert_eq!(observe(&r, running(first), || true), None);
        // It exited and waits out the back-off: restarting, last exit kept.
        let t = observe(&r, running(shim_state(RunStatus::Restarting, 1)), || true).unwrap();
        let e = go(t).unwrap();
        assert_eq!(
            e.action,
            Action::Die {
                code: 3,
                oom_killed: false
            }
        );
        assert_eq!(
            (e.row.status, e.row.exit_code, e.row.pid),
            (Status::Restarting, 3, 0)
        );
        assert_eq!(e.row.finished_at, "2026-01-01T00:01:30Z");
        assert_eq!(
            human_status(&e.row, chrono::Utc::now())
                .split(' ')
                .take(2)
                .collect::<Vec<_>>(),
            ["Restarting", "(3)"]
        );
        r = e.row;
        assert_eq!(
            observe(&r, running(shim_state(RunStatus::Restarting, 1)), || true),
            None
        );
        // The second run: running again, its own pid and start, one restart.
        let t = observe(&r, running(shim_state(RunStatus::Running, 2)), || true).unwrap();
        let e = go(t).unwrap();
        assert_eq!(e.action, Action::Restart);
        assert_eq!(
            (e.row.status, e.row.pid, e.row.restart_count),
            (Status::Running, 99, 1)
        );
        assert_eq!(e.row.started_at, "2026-01-01T00:02:00Z");
        // An observation made against the previous run is stale.
        let stale = observe(&r, running(shim_state(RunStatus::Running, 2)), || true).unwrap();
        assert!(matches!(go(stale), Err(StateError::Stale(_))));
        // A new start by the user begins a new count.
        let e = go(exited("2026-01-01T00:02:00Z", 1)).unwrap();
        assert_eq!(e.row.restart_count, 1);
        assert_eq!(go(started("T3")).unwrap().row.restart_count, 0);
    }

    #[test]
    fn human_statuses() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:11:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(human_status(&row("running"), now), "Up 11 minutes");
        let mut r = row("exited");
        r.exit_code = 3;
        assert_eq!(human_status(&r, now), "Exited (3) 10 minutes ago");
        assert_eq!(human_status(&row("created"), now), "Created");
    }
}
