//! The CLI side of starting and finding a shim: write its configuration
//! (`shim.json`, [`ShimConfig`]), spawn `berth internal shim <state-dir>`,
//! read its ready line, optionally attach before the container starts, and
//! tell whether a shim is still running and how the container ended (from
//! the shim's `state.json`).
//!
//! The lifecycle reaches shims only through the [`ShimLauncher`] trait:
//! [`ProcessLauncher`] is the real one (the functions below); the engine's
//! unit tests use `container::fakes::FakeLauncher`, which "runs" the
//! container on the fake runtime without a process.
//!
//! The ready channel is the shim's stdout: the CLI spawns the shim with
//! stdout piped, the shim writes exactly one line of JSON there once the
//! container has started (or failed to), and the CLI reads up to the
//! newline. The intermediate child of the shim's fork exits at once and is
//! reaped by `start`.

use super::attach::{self, Client};
pub use super::config::{LogDriver, ShimConfig};
use super::state::ExitInfo;
use super::state::{RunStatus, ShimState};
use crate::sys::lock::FileLock;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::{self, BufRead, BufReader};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

pub const PID_FILE: &str = "shim.pid";
pub const SHIM_LOG: &str = "shim.log";

/// The line a shim that waits for a foreground client writes on its stdout
/// once its attach socket is bound, before the [`Ready`] line: the CLI
/// connects on reading it instead of looking for the socket.
pub const LISTENING_LINE: &[u8] = b"listening\n";

/// The last line a shim writes on its stdout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Ready {
    Started { ok: bool, pid: u32 },
    Failed { ok: bool, code: u8, message: String },
}

impl Ready {
    pub fn started(pid: u32) -> Ready {
        Ready::Started { ok: true, pid }
    }
    pub fn failed(code: u8, message: String) -> Ready {
        Ready::Failed {
            ok: false,
            code,
            message,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("starting the shim {}: {source}", exe.display())]
    Spawn { exe: PathBuf, source: io::Error },
    /// The runtime refused the container; `code` is docker's exit code for
    /// `run` (125, 126 cannot invoke, 127 not found).
    #[error("{message}")]
    Failed { code: u8, message: String },
    #[error("the shim exited without reporting readiness{}", if .0.is_empty() { String::new() } else { format!(": {}", .0) })]
    NoReady(String),
    #[error("the shim sent a malformed ready line: {0:?}")]
    BadReady(String),
    #[error(transparent)]
    Attach(#[from] attach::AttachError),
    #[error(transparent)]
    Config(#[from] super::config::ConfigError),
}

impl StartError {
    /// Exit code for `run`: the runtime's classification, else 125.
    pub fn exit_code(&self) -> u8 {
        match self {
            StartError::Failed { code, .. } => *code,
            _ => 125,
        }
    }
}

/// A shim that reported a started container.
pub struct Started {
    /// Host pid of the container's init process.
    pub pid: u32,
    /// Connected attach session when `wait_attach` was asked for; the
    /// container starts as soon as this connection said hello.
    pub attach: Option<Client>,
}

/// How the lifecycle starts and watches shims.
pub trait ShimLauncher: Send + Sync {
    /// Start a shim for the prepared bundle of `cfg` and wait for its ready
    /// line (the container started, or the runtime's classified failure).
    fn start(&self, cfg: &ShimConfig) -> Result<Started, StartError>;
    /// What the shim of `state_dir` publishes about its container.
    fn status(&self, state_dir: &Path) -> io::Result<ShimStatus>;
    /// Send one request over the shim's control channel.
    fn control(
        &self,
        state_dir: &Path,
        req: &super::control::Request,
    ) -> Result<ShimState, super::control::ControlError>;
}

/// The real launcher: `berth internal shim` processes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessLauncher;

impl ShimLauncher for ProcessLauncher {
    fn start(&self, cfg: &ShimConfig) -> Result<Started, StartError> {
        start(cfg)
    }

    fn status(&self, state_dir: &Path) -> io::Result<ShimStatus> {
        status(state_dir)
    }

    fn control(
        &self,
        state_dir: &Path,
        req: &super::control::Request,
    ) -> Result<ShimState, super::control::ControlError> {
        super::control::request(state_dir, req)
    }
}

/// argv[0] of a spawned shim: marks the process for `shim::fast_entry` and
/// names it in process listings.
pub const ARGV0: &str = "berth-shim";

/// The state-dir argument of a spare shim ([`prespawn`]): it reads its
/// state dir, one line, from stdin.
pub const SPARE_DIR: &str = "-";

/// A shim spawned before its container was ready ([`prespawn`]).
struct Spare {
    exe: PathBuf,
    global_args: Vec<OsString>,
    child: Child,
    /// The CLI's end of the shim's stdin (a socket, so a write to a spare
    /// that died returns EPIPE instead of raising SIGPIPE).
    line: UnixStream,
}

/// At most one spare per process: `run` starts one container. The spawn
/// itself runs on a thread ([`prespawn`]); its handle waits here until a
/// start or [`discard_spare`] needs the spare.
static SPARE: Mutex<Option<std::thread::JoinHandle<Option<Spare>>>> = Mutex::new(None);

/// Spawn a shim ahead of the container it will supervise, so its exec and
/// start-up (about a millisecond, plus the spawn's own half millisecond of
/// the caller blocked in `clone`, done here on a thread) overlap the CLI's
/// own preparation: store, snapshot, bundle. [`start`] hands it the state
/// dir when the container is ready; [`discard_spare`] ends one no start
/// used (the command failed first, or started nothing). A failure here is
/// silent: `start` then spawns the shim itself.
pub fn prespawn(exe: &Path, global_args: &[OsString]) {
    let exe = exe.to_path_buf();
    let global_args = global_args.to_vec();
    let spawn = move || {
        let (line, theirs) = UnixStream::pair().ok()?;
        let child = Command::new(&exe)
            .arg0(ARGV0)
            .args(&global_args)
            .args(["internal", "shim", SPARE_DIR])
            .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .ok()?;
        Some(Spare {
            exe,
            global_args,
            child,
            line,
        })
    };
    let Ok(handle) = std::thread::Builder::new()
        .name("spawn-shim".into())
        .spawn(spawn)
    else {
        return;
    };
    let old = SPARE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .replace(handle);
    if let Some(s) = old.and_then(|h| h.join().ok().flatten()) {
        end_spare(s);
    }
}

fn spare() -> Option<Spare> {
    let handle = SPARE.lock().unwrap_or_else(|e| e.into_inner()).take()?;
    handle.join().ok().flatten()
}

/// End the spare shim this process did not use: it reads end-of-file,
/// exits, and is reaped here.
pub fn discard_spare() {
    if let Some(s) = spare() {
        end_spare(s);
    }
}

fn end_spare(s: Spare) {
    let Spare {
        mut child, line, ..
    } = s;
    drop(line);
    let _ = child.wait();
}

/// The spare, if there is one for this binary and these flags, told its
/// state dir.
fn take_spare(cfg: &ShimConfig) -> Option<Child> {
    let s = spare()?;
    if s.exe != cfg.exe || s.global_args != cfg.global_args {
        end_spare(s);
        return None;
    }
    let mut msg = cfg.state_dir.as_os_str().as_encoded_bytes().to_vec();
    msg.push(b'\n');
    match rustix::net::send(&s.line, &msg, rustix::net::SendFlags::NOSIGNAL) {
        Ok(n) if n == msg.len() => {
            let Spare { child, line, .. } = s;
            drop(line);
            Some(child)
        }
        _ => {
            end_spare(s);
            None
        }
    }
}

/// Write the shim's configuration, spawn the shim (or wake the spare) and
/// wait for its ready line. The state dir is created.
pub fn start(cfg: &ShimConfig) -> Result<Started, StartError> {
    let spawn_err = |source| StartError::Spawn {
        exe: cfg.exe.clone(),
        source,
    };
    std::fs::create_dir_all(&cfg.state_dir).map_err(spawn_err)?;
    cfg.write()?;
    let mut child = match take_spare(cfg) {
        Some(c) => c,
        // The global flags go first although the shim reads everything
        // from shim.json: a process listing then shows which berth
        // instance (data and state root) a shim belongs to.
        None => Command::new(&cfg.exe)
            .arg0(ARGV0)
            .args(&cfg.global_args)
            .args(["internal", "shim"])
            .arg(&cfg.state_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(spawn_err)?,
    };
    let stdout = child.stdout.take().expect("stdout was piped");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader.read_line(&mut line).map_err(spawn_err)?;
    // The intermediate process exited right after its fork, before the
    // shim wrote anything: this reaps it without waiting.
    let _ = child.wait();
    // A foreground session attaches before the container is created (the
    // shim waits for it, then creates and starts in one runtime call): the
    // shim says when its socket is bound, and the ready line follows.
    let mut attach = None;
    if line.as_bytes() == LISTENING_LINE {
        if let Some(o) = cfg.wait_attach {
            attach = Some(Client::connect(
                &cfg.state_dir.join(attach::SOCKET_NAME),
                o,
            )?);
        }
        line.clear();
        reader.read_line(&mut line).map_err(spawn_err)?;
    }
    if line.is_empty() {
        let log = std::fs::read_to_string(cfg.state_dir.join(SHIM_LOG)).unwrap_or_default();
        return Err(StartError::NoReady(
            log.trim().lines().last().unwrap_or("").to_string(),
        ));
    }
    let pid = match serde_json::from_str::<Ready>(line.trim()) {
        Ok(Ready::Started { ok: true, pid }) => pid,
        Ok(Ready::Failed {
            ok: false,
            code,
            message,
        }) => return Err(StartError::Failed { code, message }),
        _ => return Err(StartError::BadReady(line)),
    };
    drop(reader);
    Ok(Started { pid, attach })
}

/// What the state dir says about a container's shim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShimStatus {
    /// A shim holds the lock on `shim.pid` and has published no final exit:
    /// the container is running or restarting; `state` is what it
    /// published (None before its first run).
    Running {
        shim_pid: u32,
        state: Option<Box<ShimState>>,
    },
    /// The shim recorded the container's final exit.
    Exited(ExitInfo),
    /// No live shim and no final exit: never started, or the shim was
    /// killed (docker would report the container as exited; treat as 255
    /// or ask the runtime).
    Gone,
}

/// Inspect `state_dir` (without creating anything).
///
/// A final exit the shim has published wins over its pid lock: the shim
/// writes `state.json` as exited (output drained, log flushed) before it
/// tells attach clients and lets go of the lock, so a foreground `run` that
/// got the exit frame sees the container exited, not running, and does not
/// signal a container that is already gone.
pub fn status(state_dir: &Path) -> io::Result<ShimStatus> {
    let state = ShimState::read(state_dir)?;
    if let Some(ShimState {
        status: RunStatus::Exited,
        exit: Some(e),
        ..
    }) = state
    {
        return Ok(ShimStatus::Exited(e));
    }
    let pid_path = state_dir.join(PID_FILE);
    if pid_path.exists() && FileLock::try_exclusive(&pid_path)?.is_none() {
        let pid = std::fs::read_to_string(&pid_path)?
            .trim()
            .parse()
            .unwrap_or(0);
        return Ok(ShimStatus::Running {
            shim_pid: pid,
            state: state.map(Box::new),
        });
    }
    // The shim may have published its exit and let go of the lock between
    // the first read and the lock check: what it wrote before letting go is
    // on disk now.
    if let Some(ShimState {
        status: RunStatus::Exited,
        exit: Some(e),
        ..
    }) = ShimState::read(state_dir)?
    {
        return Ok(ShimStatus::Exited(e));
    }
    Ok(ShimStatus::Gone)
}

/// `true` while a shim runs for this state dir (for `logs --follow`).
pub fn is_running(state_dir: &Path) -> bool {
    matches!(status(state_dir), Ok(ShimStatus::Running { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_lines_parse_both_ways() {
        assert_eq!(
            serde_json::to_string(&Ready::started(42)).unwrap(),
            r#"{"ok":true,"pid":42}"#
        );
        let f = Ready::failed(127, "not found".into());
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"ok":false,"code":127,"message":"not found"}"#
        );
        assert_eq!(
            serde_json::from_str::<Ready>(r#"{"ok":false,"code":126,"message":"x"}"#).unwrap(),
            Ready::failed(126, "x".into())
        );
    }

    #[test]
    fn status_of_empty_restarting_and_exited_dirs() {
        use super::super::config::RestartPolicy;
        let d = tempfile::tempdir().unwrap();
        assert_eq!(status(d.path()).unwrap(), ShimStatus::Gone);
        let e = ExitInfo {
            exit_code: 1,
            finished_at: "t".into(),
            oom_killed: false,
            pid: 1,
            error: String::new(),
            restart_count: 0,
        };
        let mut st = ShimState {
            generation: 1,
            status: RunStatus::Restarting,
            pid: 1,
            restart_count: 0,
            started_at: "t".into(),
            exit: Some(e.clone()),
            restart_policy: RestartPolicy::Always,
            stopped_by_user: false,
            error: String::new(),
        };
        st.publish(d.path()).unwrap();
        std::fs::write(d.path().join(PID_FILE), "1").unwrap();
        // A shim that died while restarting left no final exit.
        assert_eq!(status(d.path()).unwrap(), ShimStatus::Gone);
        st.status = RunStatus::Exited;
        st.publish(d.path()).unwrap();
        assert_eq!(status(d.path()).unwrap(), ShimStatus::Exited(e.clone()));
        // A shim that published its final exit and still holds its lock
        // (telling attach clients) is past running.
        let _held = FileLock::exclusive(&d.path().join(PID_FILE)).unwrap();
        assert_eq!(status(d.path()).unwrap(), ShimStatus::Exited(e));
        st.status = RunStatus::Running;
        st.publish(d.path()).unwrap();
        assert_eq!(
            status(d.path()).unwrap(),
            ShimStatus::Running {
                shim_pid: 1,
                state: Some(Box::new(st))
            }
        );
    }
}
