//! `<state-dir>/exit.json`: how the container's init process ended, written
//! once by the shim, atomically (temp file, fsync, rename, fsync of the
//! directory), so a reader sees either nothing or the whole record.

use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;

pub const EXIT_FILE: &str = "exit.json";

/// The recorded end of a container process (Docker's `State.ExitCode`,
/// `State.FinishedAt`, `State.OOMKilled`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitInfo {
    /// Exit code, or 128 + signal for a signal death (137 for SIGKILL).
    pub exit_code: i32,
    /// RFC 3339 with nanoseconds, UTC.
    pub finished_at: String,
    /// The memory cgroup recorded an OOM kill while the container ran.
    pub oom_killed: bool,
    /// Host pid of the container's init process.
    pub pid: u32,
}

impl ExitInfo {
    /// Write `dir/exit.json` atomically.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let mut body = serde_json::to_vec(self).map_err(io::Error::other)?;
        body.push(b'\n');
        crate::sys::fs::write_atomic(&dir.join(EXIT_FILE), &body)?;
        Ok(())
    }

    /// Read `dir/exit.json`; `Ok(None)` if the shim has not written it.
    pub fn read(dir: &Path) -> io::Result<Option<ExitInfo>> {
        match std::fs::read(dir.join(EXIT_FILE)) {
            Ok(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_then_read() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(ExitInfo::read(d.path()).unwrap(), None);
        let e = ExitInfo {
            exit_code: 137,
            finished_at: "2024-01-01T00:00:00Z".into(),
            oom_killed: false,
            pid: 42,
        };
        e.write(d.path()).unwrap();
        assert_eq!(ExitInfo::read(d.path()).unwrap(), Some(e));
        let raw = std::fs::read_to_string(d.path().join(EXIT_FILE)).unwrap();
        assert!(
            raw.starts_with("{\"exit_code\":137,\"finished_at\":"),
            "{raw}"
        );
    }
}
