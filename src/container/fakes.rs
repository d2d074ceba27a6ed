//! Test doubles of the engine's effects: the [`FakeLauncher`] stands in for
//! shim processes and drives `runtime::runc::FakeRuntime`, so lifecycle
//! unit tests run every transition without root, runc or a shim binary.
//! Compiled only for tests.

use crate::runtime::runc::{CreateRequest, FakeRuntime, OciRuntime, StdioFds};
use crate::shim::launch::{ShimConfig, ShimLauncher, ShimStatus, StartError, Started};
use crate::shim::state::ExitInfo;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A launcher for unit tests: `start` runs the container on the fake runtime
/// in-process (create + start, the failure classified like the shim does)
/// and `status` reports what the fake runtime says: running while its
/// process lives, exited with its code once it stopped, gone once deleted.
#[derive(Debug, Default)]
pub struct FakeLauncher {
    pub runtime: Arc<FakeRuntime>,
    /// state dir → container id, for every shim started.
    shims: Mutex<BTreeMap<PathBuf, String>>,
    /// The next start's shim dies before its ready line.
    die_before_ready: AtomicBool,
    /// Control requests sent, with their state dir.
    pub requests: Mutex<Vec<(PathBuf, crate::shim::control::Request)>>,
    /// Containers whose shim was killed (`kill -9`): their container runs
    /// on, unmonitored, and nobody reports its exit.
    lost: Mutex<Vec<String>>,
}

impl FakeLauncher {
    pub fn new(runtime: Arc<FakeRuntime>) -> FakeLauncher {
        FakeLauncher {
            runtime,
            ..Default::default()
        }
    }

    /// Make the next shim die before it reports readiness.
    pub fn die_before_ready(&self) {
        self.die_before_ready.store(true, Ordering::SeqCst);
    }

    /// Kill the shim of container `id`, leaving the container running.
    pub fn kill_shim(&self, id: &str) {
        self.lost.lock().unwrap().push(id.to_string());
    }
}

impl ShimLauncher for FakeLauncher {
    fn start(&self, cfg: &ShimConfig) -> Result<Started, StartError> {
        if self.die_before_ready.swap(false, Ordering::SeqCst) {
            return Err(StartError::NoReady("killed".into()));
        }
        let rt: &dyn OciRuntime = &*self.runtime;
        rt.run(CreateRequest {
            id: cfg.id.clone(),
            bundle: cfg.bundle.clone(),
            pid_file: None,
            console_socket: None,
            stdio: StdioFds::default(),
        })
        .map_err(|e| StartError::Failed {
            code: e.exit_class().exit_code(),
            message: e.to_string(),
        })?;
        let pid = rt.state(&cfg.id).map_or(0, |s| s.pid as u32);
        self.shims
            .lock()
            .unwrap()
            .insert(cfg.state_dir.clone(), cfg.id.clone());
        Ok(Started { pid, attach: None })
    }

    /// Records the request; there is no shim to answer it.
    fn control(
        &self,
        state_dir: &Path,
        req: &crate::shim::control::Request,
    ) -> Result<crate::shim::state::ShimState, crate::shim::control::ControlError> {
        self.requests
            .lock()
            .unwrap()
            .push((state_dir.to_path_buf(), req.clone()));
        Err(crate::shim::control::ControlError::NoReply)
    }

    fn status(&self, state_dir: &Path) -> io::Result<ShimStatus> {
        let Some(id) = self.shims.lock().unwrap().get(state_dir).cloned() else {
            return Ok(ShimStatus::Gone);
        };
        if !self.runtime.knows(&id) || self.lost.lock().unwrap().contains(&id) {
            return Ok(ShimStatus::Gone);
        }
        Ok(match self.runtime.exit_code(&id) {
            None => ShimStatus::Running {
                shim_pid: 1,
                state: None,
            },
            Some(code) => ShimStatus::Exited(ExitInfo {
                exit_code: code,
                finished_at: crate::shim::time::rfc3339_nano(std::time::SystemTime::now()),
                oom_killed: false,
                pid: 0,
                error: String::new(),
                restart_count: 0,
            }),
        })
    }
}
