//! `<state-dir>/state.json`: what the shim publishes about its container,
//! as ONE file rewritten atomically (temp file, rename over the old one) at
//! every change, so a reader sees the whole previous state or the whole new
//! one, never a torn or missing file once the first state is out. Only the
//! shim writes it. No fsyncs: the state root lives for one boot (a tmpfs;
//! on any other filesystem berth treats it as fresh after a reboot, see
//! `lifecycle::sweep`), so nothing in it has to survive a power loss.
//!
//! The exit record follows Docker's `State.ExitCode`, `State.FinishedAt`,
//! `State.OOMKilled` and `State.Error`. When the container has exited for
//! good, the shim also writes the same file into the bundle (in the data
//! root), durably (fsynced file and directory): the state root is a tmpfs,
//! and the exit must survive a reboot that comes before any berth command
//! has read it.

use super::config::RestartPolicy;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;

pub const STATE_FILE: &str = "state.json";

/// Where the container is in its life under this shim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    /// Not started yet (a foreground start waiting for its client); never
    /// published, only reported on the control channel.
    Created,
    /// A run's process is alive.
    Running,
    /// A run ended and the restart policy runs it again after a back-off.
    Restarting,
    /// The last run ended and nothing runs it again; the shim is finishing.
    Exited,
}

/// The recorded end of one run of the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitInfo {
    /// Exit code, 128 + signal for a signal death (137 for SIGKILL), or
    /// docker's 125/126/127 when the run failed to start.
    pub exit_code: i32,
    /// RFC 3339 with nanoseconds, UTC.
    pub finished_at: String,
    /// The memory cgroup recorded an OOM kill while the container ran.
    pub oom_killed: bool,
    /// Host pid of the run's init process (0 when it never started).
    pub pid: u32,
    /// Why the run failed to start (docker's `State.Error`), else empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// Restarts done before this run (so the final exit carries the
    /// container's `RestartCount` even when no CLI saw the last restart).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub restart_count: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The whole published state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShimState {
    /// The run this state is about: 1 for the first, bumped per run.
    pub generation: u64,
    pub status: RunStatus,
    /// Host pid of the current (or last) run's init process.
    pub pid: u32,
    /// Restarts done so far (docker's `RestartCount`).
    pub restart_count: u32,
    /// When the current (or last) run started, RFC 3339 with nanoseconds.
    pub started_at: String,
    /// How the last run ended (None while the first one runs).
    pub exit: Option<ExitInfo>,
    /// The policy in force (the CLI can change it while the shim runs).
    pub restart_policy: RestartPolicy,
    /// The user stopped or killed the container (`stop`, `kill`, `rm -f`
    /// through the control channel), as Docker's `HasBeenManuallyStopped`:
    /// no policy restarts it, and after a reboot `unless-stopped` leaves it
    /// stopped. A stop signal sent to the shim itself (a host shutdown)
    /// does not count.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stopped_by_user: bool,
    /// The shim's own failure, when it had to stop watching the container
    /// (the container may still run); else empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
}

impl ShimState {
    /// Replace `dir/state.json` (in the state root) atomically for
    /// readers, without fsyncs (see the module doc).
    pub fn publish(&self, dir: &Path) -> io::Result<()> {
        Ok(crate::sys::fs::write_atomic_nosync(
            &dir.join(STATE_FILE),
            &self.body()?,
        )?)
    }

    /// Replace `dir/state.json` atomically and durably: the bundle's copy
    /// of a final exit, which must survive a reboot.
    pub fn publish_durable(&self, dir: &Path) -> io::Result<()> {
        Ok(crate::sys::fs::write_atomic(
            &dir.join(STATE_FILE),
            &self.body()?,
        )?)
    }

    fn body(&self) -> io::Result<Vec<u8>> {
        let mut body = serde_json::to_vec(self).map_err(io::Error::other)?;
        body.push(b'\n');
        Ok(body)
    }

    /// Read `dir/state.json`; `Ok(None)` before the shim published any.
    pub fn read(dir: &Path) -> io::Result<Option<ShimState>> {
        match std::fs::read(dir.join(STATE_FILE)) {
            Ok(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl ExitInfo {
    /// The final exit recorded in `dir/state.json` (a state dir or the
    /// bundle's copy); `Ok(None)` while the container has not exited for
    /// good.
    pub fn read(dir: &Path) -> io::Result<Option<ExitInfo>> {
        Ok(ShimState::read(dir)?
            .filter(|s| s.status == RunStatus::Exited)
            .and_then(|s| s.exit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(generation: u64, status: RunStatus) -> ShimState {
        ShimState {
            generation,
            status,
            pid: 42,
            restart_count: generation as u32 - 1,
            started_at: "2024-01-01T00:00:00.000000001Z".into(),
            exit: Some(ExitInfo {
                exit_code: 137,
                finished_at: "2024-01-01T00:00:01Z".into(),
                oom_killed: true,
                pid: 41,
                error: String::new(),
                restart_count: 0,
            }),
            restart_policy: RestartPolicy::Always,
            stopped_by_user: false,
            error: String::new(),
        }
    }

    #[test]
    fn round_trip_and_final_exit() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(ShimState::read(d.path()).unwrap(), None);
        assert_eq!(ExitInfo::read(d.path()).unwrap(), None);
        let s = state(2, RunStatus::Restarting);
        s.publish(d.path()).unwrap();
        assert_eq!(ShimState::read(d.path()).unwrap(), Some(s.clone()));
        // An exit the policy undoes is not the container's final exit.
        assert_eq!(ExitInfo::read(d.path()).unwrap(), None);
        let done = ShimState {
            status: RunStatus::Exited,
            ..s
        };
        done.publish(d.path()).unwrap();
        assert_eq!(ExitInfo::read(d.path()).unwrap(), done.exit);
        let raw = std::fs::read_to_string(d.path().join(STATE_FILE)).unwrap();
        assert!(
            raw.starts_with(r#"{"generation":2,"status":"exited","pid":42,"restart_count":1,"#),
            "{raw}"
        );
        assert!(
            raw.contains(r#""restart_policy":{"name":"always"}"#),
            "{raw}"
        );
        assert!(!raw.contains("error"), "{raw}");
        // Only the state file is left: no temp files.
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [STATE_FILE]);
    }

    #[test]
    fn a_concurrent_reader_never_sees_a_torn_or_missing_state() {
        let d = tempfile::tempdir().unwrap();
        state(1, RunStatus::Running).publish(d.path()).unwrap();
        let dir = d.path().to_path_buf();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut reads = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let s = ShimState::read(&dir).unwrap().expect("state file missing");
                    assert!(s.generation >= 1);
                    reads += 1;
                }
                reads
            })
        };
        for g in 1..300 {
            let mut s = state(g, RunStatus::Running);
            s.error = "x".repeat(g as usize * 7);
            s.publish(d.path()).unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(reader.join().unwrap() > 0);
    }
}
