//! The container state machine and its reconciliation with reality.
//!
//! The database holds what the CLI last did; the shim's state dir holds what
//! actually happened since (a live shim holds the lock on `shim.pid`; it
//! writes `exit.json` when the container ends). Every command that reads a
//! container first folds those facts into the record, so a container that
//! exited while no CLI was running, a killed shim, or a host reboot is
//! reported truthfully (Docker's `State` fields).

use crate::shim::launch::{self, ShimStatus};
use crate::store::containers::{ContainerRow, StateUpdate};
use std::path::Path;

pub use crate::store::containers::Status;

/// Zero time in Docker's JSON.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The kernel's id of this boot.
pub fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// What the state dir says about a container the record calls live, as the
/// update to write (None when the record is already right).
pub fn observe(
    row: &ContainerRow,
    state_dir: &Path,
    runtime_says_alive: impl FnOnce() -> bool,
) -> Option<StateUpdate> {
    let status = row.status;
    if !status.is_live() {
        return None;
    }
    match launch::status(state_dir) {
        Ok(ShimStatus::Running { .. }) => None,
        Ok(ShimStatus::Exited(info)) => Some(StateUpdate {
            status: Status::Exited,
            pid: 0,
            exit_code: i64::from(info.exit_code),
            started_at: None,
            finished_at: Some(info.finished_at),
            oom_killed: info.oom_killed,
            error: String::new(),
            restart_count: None,
            boot_id: None,
        }),
        Ok(ShimStatus::Gone) | Err(_) => {
            // The shim was killed. If the container's processes survive,
            // it is still running, just unmonitored; otherwise its exit
            // status is lost.
            if runtime_says_alive() {
                if row.error.is_empty() {
                    Some(StateUpdate {
                        status: row.status,
                        pid: row.pid,
                        exit_code: row.exit_code,
                        started_at: None,
                        finished_at: None,
                        oom_killed: row.oom_killed,
                        error: "container monitor (shim) exited unexpectedly".into(),
                        restart_count: None,
                        boot_id: None,
                    })
                } else {
                    None
                }
            } else {
                Some(lost(row))
            }
        }
    }
}

/// The update for a container whose end was not witnessed (shim killed,
/// host rebooted): exited with 255, as Docker reports after a daemon crash.
pub fn lost(row: &ContainerRow) -> StateUpdate {
    StateUpdate {
        status: Status::Exited,
        pid: 0,
        exit_code: 255,
        started_at: None,
        finished_at: Some(crate::shim::time::rfc3339_nano(std::time::SystemTime::now())),
        oom_killed: false,
        error: if row.error.is_empty() {
            "container monitor exited; exit status unknown".into()
        } else {
            row.error.clone()
        },
        restart_count: None,
        boot_id: None,
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
        let dir = tempfile::tempdir().unwrap();
        let r = row("running");
        let u = observe(&r, dir.path(), || false).unwrap();
        assert_eq!(u.status, Status::Exited);
        assert_eq!(u.exit_code, 255);
        let u = observe(&r, dir.path(), || true).unwrap();
        assert_eq!(u.status, Status::Running);
        assert!(observe(&row("exited"), dir.path(), || false).is_none());
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
