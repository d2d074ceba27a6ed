//! The one OCI runtime driver, used by the CLI and by the shim alike: runs
//! the runtime binary (`runc` found on PATH by default; any binary with
//! runc's command line, such as `crun`, can be selected) with
//! `--root <state_root>/runtime` and a JSON log file per call
//! (`--log <file> --log-format json`), so that a failure carries the
//! runtime's own message (the last `error` line of that log, read by
//! [`last_error`]) and concurrent berth processes never mix their logs.
//! Everything goes through the [`OciRuntime`] trait; [`FakeRuntime`] is the
//! recording double other modules' unit tests use.
//!
//! Start failures are classified once, by [`classify`], with docker's rules
//! for the exit code of `docker run` (docker-cli `runStartContainerErr`):
//! "executable file not found", "no such file or directory" (and Windows'
//! "system cannot find the file specified") → 127; "permission denied"
//! (EACCES) or "is a directory" (EISDIR) → 126; anything else → 125. moby's
//! daemon records 127 for "not a directory" as the container's exit code,
//! but the CLI a script sees exits 125 then, and so does berth.
//!
//! `create`, `run` and `exec` hand the container's stdio fds to the runtime
//! process, which passes them on to the container; without fds the container
//! gets /dev/null. Those calls never pipe the runtime's own stdout/stderr
//! (the container inherits them and would hold the pipe open); errors come
//! from the log file instead. A console socket path longer than `sun_path`
//! is handed over as `/proc/<pid>/fd/<dirfd>/<name>` for the call's length.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use thiserror::Error;

/// What a failed start means for the exit code of `run`/`start -a`/`exec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitClass {
    /// The command does not exist in the container: exit 127.
    CommandNotFound,
    /// The command exists but cannot be executed: exit 126.
    CommandNotInvokable,
    /// Anything else berth or the runtime failed at: exit 125.
    RuntimeFailure,
}

impl ExitClass {
    /// Docker's exit code for `run`/`start -a` when the start failed so.
    pub fn exit_code(self) -> u8 {
        match self {
            ExitClass::CommandNotFound => 127,
            ExitClass::CommandNotInvokable => 126,
            ExitClass::RuntimeFailure => 125,
        }
    }
}

#[derive(Debug, Error)]
pub enum RuntimeError {
    #[error("OCI runtime {0:?} not found in $PATH (install the Debian package `runc`, or choose another with --runtime)")]
    BinaryNotFound(String),
    #[error("running OCI runtime {binary}: {source}")]
    Spawn {
        binary: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("container {0} does not exist in the OCI runtime")]
    NotFound(String),
    #[error("container {0} is not running")]
    NotRunning(String),
    #[error("{message}")]
    Failed {
        verb: &'static str,
        message: String,
        class: ExitClass,
    },
    #[error("decoding output of `{verb}`: {source}")]
    Decode {
        verb: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl RuntimeError {
    /// The exit class of a failure (the shim reports it on its ready line
    /// and in its state file).
    pub fn exit_class(&self) -> ExitClass {
        match self {
            RuntimeError::Failed { class, .. } => *class,
            _ => ExitClass::RuntimeFailure,
        }
    }
}

/// `status` of `runc state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Creating,
    Created,
    Running,
    Paused,
    Stopped,
}

/// The runtime's view of a container (`runc state`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct State {
    pub id: String,
    /// Pid of the container's init in the host pid namespace (0 once stopped).
    pub pid: i32,
    pub status: Status,
    #[serde(default)]
    pub bundle: PathBuf,
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
}

/// The container's (or exec process's) stdin/stdout/stderr; a missing one is
/// /dev/null. Ignored when a console socket is given for a terminal.
#[derive(Debug, Default)]
pub struct StdioFds {
    pub stdin: Option<OwnedFd>,
    pub stdout: Option<OwnedFd>,
    pub stderr: Option<OwnedFd>,
}

/// `runc create`, and `runc run --detach`.
#[derive(Debug)]
pub struct CreateRequest {
    pub id: String,
    /// Directory holding `config.json`.
    pub bundle: PathBuf,
    pub pid_file: Option<PathBuf>,
    /// Unix socket that receives the pty master when `process.terminal`.
    pub console_socket: Option<PathBuf>,
    pub stdio: StdioFds,
}

/// `runc exec`.
#[derive(Debug)]
pub struct ExecRequest {
    pub id: String,
    /// A `process.json` (an OCI `process` object).
    pub process: PathBuf,
    /// Return once the process started instead of waiting for it.
    pub detach: bool,
    pub console_socket: Option<PathBuf>,
    pub pid_file: Option<PathBuf>,
    pub stdio: StdioFds,
}

/// How an exec ended, from the caller's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecOutcome {
    /// Detached: the process runs (its pid is in the pid file).
    Started,
    /// Foreground: the process exited with this code.
    Exited(i32),
}

/// The operations berth needs from an OCI runtime.
pub trait OciRuntime: Send + Sync {
    /// The program a shim runs for this runtime (the shim has its own
    /// driver; the CLI hands it the binary it resolved).
    fn binary(&self) -> &Path;
    /// Whether the runtime keeps state for `id` (created, running, or
    /// stopped and not yet deleted).
    fn has_state(&self, id: &str) -> bool;
    /// Remove what the runtime keeps for a container whose processes are
    /// all gone, without a runtime call where that is safe (see
    /// [`super::remove_stopped_state`]). `Ok(false)`: nothing was removed
    /// (a cgroup is still busy); the caller deletes through the runtime.
    fn remove_stopped(&self, id: &str, cgroups_path: &str) -> Result<bool, RuntimeError>;
    /// Create the container (its init waits for `start`).
    fn create(&self, req: CreateRequest) -> Result<(), RuntimeError>;
    fn start(&self, id: &str) -> Result<(), RuntimeError>;
    /// Create and start, detached: returns once the container's process
    /// runs; it keeps the stdio fds of `req`. A runtime with a one-call
    /// verb for this (runc's `run --detach`) overrides it.
    fn run(&self, req: CreateRequest) -> Result<(), RuntimeError> {
        let id = req.id.clone();
        self.create(req)?;
        self.start(&id).inspect_err(|_| {
            let _ = self.delete(&id, true);
        })
    }
    /// Send `signal` to the init process, or to every process with `all`.
    fn kill(&self, id: &str, signal: i32, all: bool) -> Result<(), RuntimeError>;
    fn delete(&self, id: &str, force: bool) -> Result<(), RuntimeError>;
    fn state(&self, id: &str) -> Result<State, RuntimeError>;
    fn pause(&self, id: &str) -> Result<(), RuntimeError>;
    fn resume(&self, id: &str) -> Result<(), RuntimeError>;
    /// Host pids of the container's processes.
    fn ps(&self, id: &str) -> Result<Vec<i32>, RuntimeError>;
    fn exec(&self, req: ExecRequest) -> Result<ExecOutcome, RuntimeError>;
    /// Change the cgroup limits of a live container (`runc update
    /// --resources`); fields left out keep their values.
    fn update(
        &self,
        id: &str,
        resources: &oci_spec::runtime::LinuxResources,
    ) -> Result<(), RuntimeError>;
}

/// Hands out the driver of the OCI runtime a container names (an empty name
/// is the default runtime). The CLI builds one per invocation
/// (`cmd::context`); unit tests hand out a [`FakeRuntime`] instead.
pub trait RuntimeProvider: Send + Sync {
    fn get(&self, name: &str) -> Result<Arc<dyn OciRuntime>, RuntimeError>;
}

/// The real provider: a [`Runc`] per runtime name, resolved on first use and
/// kept for the invocation, all sharing berth's runtime `--root`.
#[derive(Debug)]
pub struct RuncProvider {
    default: String,
    state_root: PathBuf,
    drivers: Mutex<BTreeMap<String, Arc<Runc>>>,
}

impl RuncProvider {
    pub fn new(default: &str, state_root: &Path) -> RuncProvider {
        RuncProvider {
            default: default.to_string(),
            state_root: state_root.to_path_buf(),
            drivers: Mutex::new(BTreeMap::new()),
        }
    }
}

impl RuntimeProvider for RuncProvider {
    fn get(&self, name: &str) -> Result<Arc<dyn OciRuntime>, RuntimeError> {
        let name = if name.is_empty() { &self.default } else { name };
        let mut drivers = self.drivers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = drivers.get(name) {
            return Ok(d.clone());
        }
        let d = Arc::new(Runc::new(name, &self.state_root)?);
        drivers.insert(name.to_string(), d.clone());
        Ok(d)
    }
}

/// Find an OCI runtime binary: a path is taken as is, a bare name is looked
/// up in `$PATH` and then in the sbin directories (runc lives in /usr/sbin,
/// which a user's PATH may lack).
pub fn find_binary(name: &str) -> Result<PathBuf, RuntimeError> {
    if name.contains('/') {
        let p = PathBuf::from(name);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(RuntimeError::BinaryNotFound(name.to_string()))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/local/sbin", "/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
        .ok_or_else(|| RuntimeError::BinaryNotFound(name.to_string()))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The real driver, running the runtime binary.
#[derive(Debug, Clone)]
pub struct Runc {
    binary: PathBuf,
    root: PathBuf,
    log_dir: PathBuf,
    /// Start the runtime with an empty signal mask and default dispositions
    /// (the shim blocks its signals into a signalfd; the container's init
    /// must not inherit that).
    reset_signals: bool,
    /// Create `log_dir` when missing (the CLI's `runtime-logs`). The shim's
    /// log dir is its container's state dir, which only the CLI creates: a
    /// missing one means the container was removed, and recreating it would
    /// leave it behind.
    make_log_dir: bool,
}

static CALL_SEQ: AtomicU64 = AtomicU64::new(0);

/// Result of one runtime invocation.
struct Invocation {
    success: bool,
    code: Option<i32>,
    stdout: Vec<u8>,
    /// The runtime's own error message (log file, else stderr).
    error: Option<String>,
}

impl Invocation {
    /// The error message of a failed call, made up when the runtime said
    /// nothing.
    fn message(self, binary: &Path, verb: &str) -> String {
        self.error.unwrap_or_else(|| {
            format!(
                "{} {verb} failed: exit status {}",
                binary.display(),
                self.code.map_or("unknown".into(), |c| c.to_string())
            )
        })
    }
}

/// Longest console socket path handed to the runtime as is (`sun_path` is
/// 108 bytes with the NUL; the runtime dials the path itself).
const CONSOLE_SOCKET_DIRECT_MAX: usize = 100;

impl Runc {
    /// A driver for `binary` (a name looked up like [`find_binary`], or a
    /// path) keeping its state in `<state_root>/runtime` and its per-call
    /// logs in `<state_root>/runtime-logs`.
    pub fn new(binary: &str, state_root: &Path) -> Result<Runc, RuntimeError> {
        Ok(Runc {
            binary: find_binary(binary)?,
            root: super::runtime_root(state_root),
            log_dir: state_root.join("runtime-logs"),
            reset_signals: false,
            make_log_dir: true,
        })
    }

    /// The shim's driver: `binary` as the CLI resolved it, the runtime's
    /// `--root`, per-call logs in `log_dir` (the container's state dir,
    /// which must exist), and a clean signal mask in the runtime (and so in
    /// the container).
    pub fn for_shim(binary: PathBuf, root: PathBuf, log_dir: PathBuf) -> Runc {
        Runc {
            binary,
            root,
            log_dir,
            reset_signals: true,
            make_log_dir: false,
        }
    }

    /// The arguments of `create` and `run`. The returned directory (when
    /// the console socket path is too long to dial) must stay open until
    /// the runtime has exited.
    fn create_args(&self, req: &CreateRequest, detach: bool) -> (Vec<OsString>, Option<File>) {
        let mut args = vec![os("--bundle"), req.bundle.clone().into()];
        if detach {
            args.push(os("--detach"));
        }
        push_opt(&mut args, "--pid-file", &req.pid_file);
        let dir = console_arg(&mut args, &req.console_socket);
        args.push(os(&req.id));
        (args, dir)
    }

    /// Run the binary. With `stdio` the child gets those fds (or /dev/null)
    /// and nothing is captured; without, stdout is captured for parsing.
    fn invoke(
        &self,
        verb: &'static str,
        id: &str,
        args: &[OsString],
        stdio: Option<StdioFds>,
    ) -> Result<Invocation, RuntimeError> {
        if self.make_log_dir {
            std::fs::create_dir_all(&self.log_dir).map_err(|source| RuntimeError::Io {
                path: self.log_dir.clone(),
                source,
            })?;
        }
        let log = self.log_dir.join(format!(
            "{}-{}-{}-{}.json",
            sanitize(id),
            verb,
            std::process::id(),
            CALL_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        crate::debug::debug!("runtime: {} {verb} {id}", self.binary.display());
        let mut cmd = Command::new(&self.binary);
        if self.reset_signals {
            crate::sys::process::reset_signals_in_child(&mut cmd);
        }
        cmd.arg("--root")
            .arg(&self.root)
            .arg("--log")
            .arg(&log)
            .arg("--log-format")
            .arg("json")
            .arg(verb)
            .args(args);
        let spawn_err = |source| RuntimeError::Spawn {
            binary: self.binary.clone(),
            source,
        };
        let (success, code, stdout, stderr) = match stdio {
            Some(fds) => {
                cmd.stdin(fd_or_null(fds.stdin))
                    .stdout(fd_or_null(fds.stdout))
                    .stderr(fd_or_null(fds.stderr));
                let st = cmd.status().map_err(spawn_err)?;
                (st.success(), exit_code(st), Vec::new(), Vec::new())
            }
            None => {
                cmd.stdin(Stdio::null());
                let out = cmd.output().map_err(spawn_err)?;
                (
                    out.status.success(),
                    exit_code(out.status),
                    out.stdout,
                    out.stderr,
                )
            }
        };
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        let _ = std::fs::remove_file(&log);
        let error = last_error(&log_text).or_else(|| {
            let s = String::from_utf8_lossy(&stderr);
            s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_string())
        });
        Ok(Invocation {
            success,
            code,
            stdout,
            error,
        })
    }

    /// Invoke and turn a failure into an error.
    fn call(
        &self,
        verb: &'static str,
        id: &str,
        args: &[OsString],
    ) -> Result<Vec<u8>, RuntimeError> {
        let inv = self.invoke(verb, id, args, None)?;
        if inv.success {
            return Ok(inv.stdout);
        }
        Err(failure(verb, id, inv.message(&self.binary, verb)))
    }
}

fn push_opt(args: &mut Vec<OsString>, flag: &str, v: &Option<PathBuf>) {
    if let Some(v) = v {
        args.push(flag.into());
        args.push(v.clone().into());
    }
}

/// Push `--console-socket`; a path too long for `sun_path` goes through an
/// open directory fd of this process, which the caller keeps open (the
/// returned `File`) while the runtime runs.
fn console_arg(args: &mut Vec<OsString>, socket: &Option<PathBuf>) -> Option<File> {
    let s = socket.as_ref()?;
    args.push(os("--console-socket"));
    if s.as_os_str().len() > CONSOLE_SOCKET_DIRECT_MAX {
        if let (Some(dir), Some(name)) = (s.parent(), s.file_name()) {
            if let Ok(d) = File::open(dir) {
                let short =
                    PathBuf::from(format!("/proc/{}/fd/{}", std::process::id(), d.as_raw_fd()))
                        .join(name);
                args.push(short.into());
                return Some(d);
            }
        }
    }
    args.push(s.clone().into());
    None
}

fn fd_or_null(fd: Option<OwnedFd>) -> Stdio {
    fd.map(Stdio::from).unwrap_or_else(Stdio::null)
}

fn exit_code(st: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    st.code().or_else(|| st.signal().map(|s| 128 + s))
}

fn sanitize(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect()
}

/// The message of the last `error`/`fatal` line of a JSON runtime log.
pub fn last_error(log: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Line {
        #[serde(default)]
        level: String,
        #[serde(default)]
        msg: String,
    }
    log.lines()
        .filter_map(|l| serde_json::from_str::<Line>(l).ok())
        .rfind(|l| matches!(l.level.as_str(), "error" | "fatal" | "panic") && !l.msg.is_empty())
        .map(|l| l.msg)
}

/// Docker's classification of a start error message (docker-cli
/// `runStartContainerErr`, matched on the runtime's message).
pub fn classify(message: &str) -> ExitClass {
    let m = message.to_ascii_lowercase();
    if m.contains("executable file not found")
        || m.contains("no such file or directory")
        || m.contains("system cannot find the file specified")
    {
        ExitClass::CommandNotFound
    } else if m.contains("permission denied") || m.contains("is a directory") {
        ExitClass::CommandNotInvokable
    } else {
        ExitClass::RuntimeFailure
    }
}

fn failure(verb: &'static str, id: &str, message: String) -> RuntimeError {
    let lower = message.to_ascii_lowercase();
    if lower.contains("does not exist") && !matches!(verb, "create" | "run") {
        return RuntimeError::NotFound(id.to_string());
    }
    if lower.contains("not running") && matches!(verb, "kill" | "pause" | "exec") {
        return RuntimeError::NotRunning(id.to_string());
    }
    let class = if matches!(verb, "create" | "start" | "run" | "exec") {
        classify(&message)
    } else {
        ExitClass::RuntimeFailure
    };
    RuntimeError::Failed {
        verb,
        message,
        class,
    }
}

fn os(s: &str) -> OsString {
    OsStr::new(s).to_os_string()
}

impl OciRuntime for Runc {
    fn binary(&self) -> &Path {
        &self.binary
    }

    /// runc and crun keep a directory named by the id under their `--root`.
    fn has_state(&self, id: &str) -> bool {
        self.root.join(id).exists()
    }

    fn remove_stopped(&self, id: &str, cgroups_path: &str) -> Result<bool, RuntimeError> {
        super::remove_stopped_state(&self.root, id, cgroups_path).map_err(|source| {
            RuntimeError::Io {
                path: self.root.join(id),
                source,
            }
        })
    }

    fn create(&self, req: CreateRequest) -> Result<(), RuntimeError> {
        let (args, _dir) = self.create_args(&req, false);
        let inv = self.invoke("create", &req.id, &args, Some(req.stdio))?;
        if inv.success {
            return Ok(());
        }
        Err(failure(
            "create",
            &req.id,
            inv.message(&self.binary, "create"),
        ))
    }

    fn start(&self, id: &str) -> Result<(), RuntimeError> {
        self.call("start", id, &[os(id)]).map(drop)
    }

    fn run(&self, req: CreateRequest) -> Result<(), RuntimeError> {
        let (args, _dir) = self.create_args(&req, true);
        let inv = self.invoke("run", &req.id, &args, Some(req.stdio))?;
        if inv.success {
            return Ok(());
        }
        Err(failure("run", &req.id, inv.message(&self.binary, "run")))
    }

    fn kill(&self, id: &str, signal: i32, all: bool) -> Result<(), RuntimeError> {
        let mut args = Vec::new();
        if all {
            args.push(os("--all"));
        }
        args.push(os(id));
        args.push(os(&signal.to_string()));
        self.call("kill", id, &args).map(drop)
    }

    fn delete(&self, id: &str, force: bool) -> Result<(), RuntimeError> {
        let mut args = Vec::new();
        if force {
            args.push(os("--force"));
        }
        args.push(os(id));
        self.call("delete", id, &args).map(drop)
    }

    fn state(&self, id: &str) -> Result<State, RuntimeError> {
        let out = self.call("state", id, &[os(id)])?;
        serde_json::from_slice(&out).map_err(|source| RuntimeError::Decode {
            verb: "state",
            source,
        })
    }

    fn pause(&self, id: &str) -> Result<(), RuntimeError> {
        self.call("pause", id, &[os(id)]).map(drop)
    }

    fn resume(&self, id: &str) -> Result<(), RuntimeError> {
        self.call("resume", id, &[os(id)]).map(drop)
    }

    fn ps(&self, id: &str) -> Result<Vec<i32>, RuntimeError> {
        let out = self.call("ps", id, &[os("--format"), os("json"), os(id)])?;
        let pids: Option<Vec<i32>> = serde_json::from_slice(&out)
            .map_err(|source| RuntimeError::Decode { verb: "ps", source })?;
        Ok(pids.unwrap_or_default())
    }

    fn update(
        &self,
        id: &str,
        resources: &oci_spec::runtime::LinuxResources,
    ) -> Result<(), RuntimeError> {
        let json = serde_json::to_vec(resources).expect("LinuxResources serializes");
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| RuntimeError::Io { path, source }
        };
        std::fs::create_dir_all(&self.log_dir).map_err(io(&self.log_dir))?;
        let file = self.log_dir.join(format!(
            "{}-resources-{}-{}.json",
            sanitize(id),
            std::process::id(),
            CALL_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&file, json).map_err(io(&file))?;
        let res = self.call(
            "update",
            id,
            &[os("--resources"), file.clone().into(), os(id)],
        );
        let _ = std::fs::remove_file(&file);
        res.map(drop)
    }

    fn exec(&self, req: ExecRequest) -> Result<ExecOutcome, RuntimeError> {
        let mut args = vec![os("--process"), req.process.clone().into()];
        if req.detach {
            args.push(os("--detach"));
        }
        let _dir = console_arg(&mut args, &req.console_socket);
        push_opt(&mut args, "--pid-file", &req.pid_file);
        args.push(os(&req.id));
        let inv = self.invoke("exec", &req.id, &args, Some(req.stdio))?;
        // A foreground exec exits with the process's code; it failed to
        // start only when the runtime logged an error.
        match (inv.success, req.detach) {
            (true, true) => Ok(ExecOutcome::Started),
            (true, false) => Ok(ExecOutcome::Exited(0)),
            (false, false) if inv.error.is_none() => {
                Ok(ExecOutcome::Exited(inv.code.unwrap_or(255)))
            }
            (false, _) => Err(failure("exec", &req.id, inv.message(&self.binary, "exec"))),
        }
    }
}

/// A recording fake for unit tests of callers: keeps a small state machine
/// per container (create → created, start → running, run → running, kill
/// SIGKILL/SIGTERM → stopped with 128+signal unless the test made the
/// container ignore that signal, pause/resume, delete), records every call
/// as a line such as `"kill c1 9 all"`, fails calls of a verb with scripted
/// runtime messages (classified like real ones), and lets a test set a
/// container's state (say, its process died) or make it exit with a code.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct FakeRuntime {
    inner: std::sync::Mutex<FakeInner>,
}

#[cfg(test)]
#[derive(Debug, Default)]
struct FakeInner {
    calls: Vec<String>,
    states: BTreeMap<String, State>,
    /// Per verb, the messages the next calls fail with, in order.
    failures: BTreeMap<String, std::collections::VecDeque<String>>,
    /// How each stopped container's process ended.
    exit_codes: BTreeMap<String, i32>,
    /// Signals a container's process ignores.
    ignored: BTreeMap<String, Vec<i32>>,
    next_pid: i32,
}

#[cfg(test)]
impl FakeRuntime {
    pub fn new() -> FakeRuntime {
        FakeRuntime::default()
    }

    /// Every call so far, one line each.
    pub fn calls(&self) -> Vec<String> {
        self.inner.lock().unwrap().calls.clone()
    }

    /// Make the next call of `verb` fail with the runtime message `message`
    /// (classified like a real one). Calling it again scripts the call
    /// after that, and so on.
    pub fn fail_next(&self, verb: &str, message: &str) {
        self.inner
            .lock()
            .unwrap()
            .failures
            .entry(verb.to_string())
            .or_default()
            .push_back(message.to_string());
    }

    /// Set what the runtime says about `id` (creating the entry if needed):
    /// `Stopped` with pid 0 for a container whose process died on its own.
    pub fn set_state(&self, id: &str, status: Status, pid: i32) {
        let mut g = self.inner.lock().unwrap();
        let s = g.states.entry(id.to_string()).or_insert_with(|| State {
            id: id.to_string(),
            pid,
            status,
            bundle: PathBuf::new(),
            annotations: None,
        });
        s.status = status;
        s.pid = pid;
    }

    /// The container's process exits on its own with `code`.
    pub fn exit(&self, id: &str, code: i32) {
        let mut g = self.inner.lock().unwrap();
        if let Some(s) = g.states.get_mut(id) {
            s.status = Status::Stopped;
            s.pid = 0;
            g.exit_codes.insert(id.to_string(), code);
        }
    }

    /// How a stopped container's process ended (None while it runs).
    pub fn exit_code(&self, id: &str) -> Option<i32> {
        let g = self.inner.lock().unwrap();
        let stopped = g.states.get(id)?.status == Status::Stopped;
        stopped.then(|| g.exit_codes.get(id).copied().unwrap_or(0))
    }

    /// The container's process ignores `signal` (a `stop` must escalate).
    pub fn ignore_signal(&self, id: &str, signal: i32) {
        let mut g = self.inner.lock().unwrap();
        g.ignored.entry(id.to_string()).or_default().push(signal);
    }

    /// Whether the fake keeps state for `id`.
    pub fn knows(&self, id: &str) -> bool {
        self.inner.lock().unwrap().states.contains_key(id)
    }

    fn record(
        &self,
        verb: &'static str,
        id: &str,
        line: String,
    ) -> Result<std::sync::MutexGuard<'_, FakeInner>, RuntimeError> {
        let mut g = self.inner.lock().unwrap();
        g.calls.push(line);
        if let Some(msg) = g.failures.get_mut(verb).and_then(|q| q.pop_front()) {
            return Err(failure(verb, id, msg));
        }
        if verb != "create" && !g.states.contains_key(id) {
            return Err(RuntimeError::NotFound(id.to_string()));
        }
        Ok(g)
    }
}

/// A provider handing out one [`FakeRuntime`] for every runtime name.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct FakeProvider {
    pub runtime: Arc<FakeRuntime>,
}

#[cfg(test)]
impl RuntimeProvider for FakeProvider {
    fn get(&self, _name: &str) -> Result<Arc<dyn OciRuntime>, RuntimeError> {
        Ok(self.runtime.clone())
    }
}

#[cfg(test)]
impl OciRuntime for FakeRuntime {
    fn binary(&self) -> &Path {
        Path::new("/nonexistent/fake-runtime")
    }

    fn has_state(&self, id: &str) -> bool {
        self.knows(id)
    }

    fn remove_stopped(&self, id: &str, _cgroups_path: &str) -> Result<bool, RuntimeError> {
        let mut g = self.record("remove_stopped", id, format!("remove_stopped {id}"))?;
        if g.states[id].status != Status::Stopped {
            return Ok(false);
        }
        g.states.remove(id);
        g.exit_codes.remove(id);
        Ok(true)
    }

    fn create(&self, req: CreateRequest) -> Result<(), RuntimeError> {
        let mut g = self.record(
            "create",
            &req.id,
            format!("create {} {}", req.id, req.bundle.display()),
        )?;
        if g.states.contains_key(&req.id) {
            return Err(failure(
                "create",
                &req.id,
                format!("container with id exists: {}", req.id),
            ));
        }
        g.next_pid += 1;
        let pid = 1000 + g.next_pid;
        if let Some(p) = &req.pid_file {
            std::fs::write(p, pid.to_string()).map_err(|source| RuntimeError::Io {
                path: p.clone(),
                source,
            })?;
        }
        g.states.insert(
            req.id.clone(),
            State {
                id: req.id.clone(),
                pid,
                status: Status::Created,
                bundle: req.bundle.clone(),
                annotations: None,
            },
        );
        Ok(())
    }

    fn start(&self, id: &str) -> Result<(), RuntimeError> {
        let mut g = self.record("start", id, format!("start {id}"))?;
        let s = g.states.get_mut(id).expect("checked by record");
        if s.status != Status::Created {
            return Err(failure(
                "start",
                id,
                "cannot start a container that has stopped".into(),
            ));
        }
        s.status = Status::Running;
        Ok(())
    }

    fn kill(&self, id: &str, signal: i32, all: bool) -> Result<(), RuntimeError> {
        let line = format!("kill {id} {signal}{}", if all { " all" } else { "" });
        let mut g = self.record("kill", id, line)?;
        if g.states[id].status == Status::Stopped {
            return Err(RuntimeError::NotRunning(id.to_string()));
        }
        let ignored =
            signal != libc::SIGKILL && g.ignored.get(id).is_some_and(|sigs| sigs.contains(&signal));
        if !ignored && (signal == libc::SIGKILL || signal == libc::SIGTERM) {
            let s = g.states.get_mut(id).expect("checked by record");
            s.status = Status::Stopped;
            s.pid = 0;
            g.exit_codes.insert(id.to_string(), 128 + signal);
        }
        Ok(())
    }

    fn delete(&self, id: &str, force: bool) -> Result<(), RuntimeError> {
        let mut g = self.record(
            "delete",
            id,
            format!("delete {id}{}", if force { " force" } else { "" }),
        )?;
        let running = g.states[id].status != Status::Stopped;
        if running && !force {
            return Err(failure(
                "delete",
                id,
                "cannot delete container that is not stopped".into(),
            ));
        }
        g.states.remove(id);
        g.exit_codes.remove(id);
        Ok(())
    }

    fn state(&self, id: &str) -> Result<State, RuntimeError> {
        let g = self.record("state", id, format!("state {id}"))?;
        Ok(g.states[id].clone())
    }

    fn pause(&self, id: &str) -> Result<(), RuntimeError> {
        let mut g = self.record("pause", id, format!("pause {id}"))?;
        g.states.get_mut(id).expect("checked by record").status = Status::Paused;
        Ok(())
    }

    fn resume(&self, id: &str) -> Result<(), RuntimeError> {
        let mut g = self.record("resume", id, format!("resume {id}"))?;
        g.states.get_mut(id).expect("checked by record").status = Status::Running;
        Ok(())
    }

    fn ps(&self, id: &str) -> Result<Vec<i32>, RuntimeError> {
        let g = self.record("ps", id, format!("ps {id}"))?;
        let s = &g.states[id];
        Ok(if s.pid > 0 { vec![s.pid] } else { Vec::new() })
    }

    fn update(
        &self,
        id: &str,
        resources: &oci_spec::runtime::LinuxResources,
    ) -> Result<(), RuntimeError> {
        let line = format!(
            "update {id} {}",
            serde_json::to_string(resources).unwrap_or_default()
        );
        let g = self.record("update", id, line)?;
        if !matches!(g.states[id].status, Status::Running | Status::Paused) {
            return Err(RuntimeError::NotRunning(id.to_string()));
        }
        Ok(())
    }

    fn exec(&self, req: ExecRequest) -> Result<ExecOutcome, RuntimeError> {
        let line = format!(
            "exec {} {}{}",
            req.id,
            req.process.display(),
            if req.detach { " detach" } else { "" }
        );
        let g = self.record("exec", &req.id, line)?;
        if g.states[&req.id].status != Status::Running {
            return Err(RuntimeError::NotRunning(req.id.clone()));
        }
        Ok(if req.detach {
            ExecOutcome::Started
        } else {
            ExecOutcome::Exited(0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_error_of_a_json_log() {
        let log = concat!(
            "{\"level\":\"warning\",\"msg\":\"something\",\"time\":\"t\"}\n",
            "{\"level\":\"error\",\"msg\":\"first\",\"time\":\"t\"}\n",
            "{\"level\":\"error\",\"msg\":\"runc create failed: boom\",\"time\":\"t\"}\n",
            "garbage\n"
        );
        assert_eq!(last_error(log).as_deref(), Some("runc create failed: boom"));
        assert!(last_error("").is_none());
        assert!(last_error("{\"level\":\"info\",\"msg\":\"x\"}").is_none());
    }

    /// The mapping `run` ships, on the messages runc 1.1 and crun print.
    #[test]
    fn start_failures_map_to_dockers_exit_codes() {
        let code = |m: &str| classify(m).exit_code();
        let p = "runc create failed: unable to start container process: ";
        assert_eq!(
            code(&format!(
                "{p}exec: \"nope\": executable file not found in $PATH"
            )),
            127
        );
        assert_eq!(
            code(&format!(
                "{p}exec: \"/x\": stat /x: no such file or directory"
            )),
            127
        );
        assert_eq!(code("executable file not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found"), 127);
        assert_eq!(
            code(&format!("{p}exec: \"/etc/passwd\": permission denied")),
            126
        );
        assert_eq!(code(&format!("{p}exec: \"/etc\": is a directory")), 126);
        // docker-cli's rules have no case for these: 125.
        assert_eq!(
            code(&format!("{p}exec: \"/bin/x\": exec format error")),
            125
        );
        assert_eq!(
            code(&format!("{p}error during container init: error mounting \"/a\" to rootfs at \"/b\": not a directory")),
            125
        );
        assert_eq!(code("cgroup: something broke"), 125);
        assert_eq!(ExitClass::RuntimeFailure.exit_code(), 125);
    }

    #[test]
    fn failures_are_typed_by_verb() {
        assert!(matches!(
            failure("state", "c", "container does not exist".into()),
            RuntimeError::NotFound(_)
        ));
        assert!(matches!(
            failure("kill", "c", "container not running".into()),
            RuntimeError::NotRunning(_)
        ));
        let nf = "exec: \"x\": executable file not found in $PATH".to_string();
        assert_eq!(
            failure("run", "c", nf.clone()).exit_class(),
            ExitClass::CommandNotFound
        );
        // Only the verbs that start a process are classified.
        assert_eq!(
            failure("delete", "c", nf).exit_class(),
            ExitClass::RuntimeFailure
        );
    }

    #[test]
    fn long_console_socket_paths_go_through_a_dir_fd() {
        let d = tempfile::tempdir().unwrap();
        let deep = d.path().join("x".repeat(120));
        std::fs::create_dir_all(&deep).unwrap();
        let mut args = Vec::new();
        let dir = console_arg(&mut args, &Some(deep.join("console.sock")));
        assert!(dir.is_some());
        let short = args[1].to_str().unwrap().to_string();
        assert!(
            short.starts_with("/proc/") && short.ends_with("/console.sock"),
            "{short}"
        );
        let mut args = Vec::new();
        assert!(console_arg(&mut args, &Some("/run/c.sock".into())).is_none());
        assert_eq!(args, [os("--console-socket"), os("/run/c.sock")]);
    }

    #[test]
    fn state_json() {
        let s: State = serde_json::from_str(
            r#"{"ociVersion":"1.0.2-dev","id":"c1","pid":42,"status":"running","bundle":"/b","rootfs":"/b/rootfs","created":"2020-01-01T00:00:00Z","owner":""}"#,
        )
        .unwrap();
        assert_eq!((s.pid, s.status), (42, Status::Running));
    }

    #[test]
    fn binary_lookup() {
        assert!(matches!(
            find_binary("no-such-runtime-xyz"),
            Err(RuntimeError::BinaryNotFound(_))
        ));
        assert!(find_binary("/bin/sh").is_ok());
        assert!(find_binary("sh").is_ok());
    }

    #[test]
    fn fake_records_and_fails() {
        let f = FakeRuntime::new();
        let req = |id: &str| CreateRequest {
            id: id.into(),
            bundle: "/b".into(),
            pid_file: None,
            console_socket: None,
            stdio: StdioFds::default(),
        };
        f.create(req("c1")).unwrap();
        assert_eq!(f.state("c1").unwrap().status, Status::Created);
        f.start("c1").unwrap();
        assert_eq!(f.ps("c1").unwrap(), [1001]);
        f.kill("c1", libc::SIGKILL, true).unwrap();
        assert!(matches!(
            f.kill("c1", 9, false),
            Err(RuntimeError::NotRunning(_))
        ));
        f.delete("c1", false).unwrap();
        assert!(matches!(f.state("c1"), Err(RuntimeError::NotFound(_))));
        f.fail_next("create", "runc create failed: unable to start container process: exec: \"x\": executable file not found in $PATH");
        f.fail_next("create", "permission denied");
        assert_eq!(
            f.create(req("c2")).unwrap_err().exit_class(),
            ExitClass::CommandNotFound
        );
        assert_eq!(
            f.create(req("c2")).unwrap_err().exit_class(),
            ExitClass::CommandNotInvokable
        );
        // `run` is create + start unless a runtime has a verb for it; a
        // failed start leaves nothing behind.
        f.run(req("c3")).unwrap();
        assert_eq!(f.state("c3").unwrap().status, Status::Running);
        f.fail_next("start", "boom");
        assert!(f.run(req("c4")).is_err());
        f.set_state("c3", Status::Stopped, 0);
        assert!(matches!(
            f.kill("c3", 15, false),
            Err(RuntimeError::NotRunning(_))
        ));
        assert_eq!(
            f.calls(),
            [
                "create c1 /b",
                "state c1",
                "start c1",
                "ps c1",
                "kill c1 9 all",
                "kill c1 9",
                "delete c1",
                "state c1",
                "create c2 /b",
                "create c2 /b",
                "create c3 /b",
                "start c3",
                "state c3",
                "create c4 /b",
                "start c4",
                "delete c4 force",
                "kill c3 15",
            ]
        );
    }

    /// Tests against the real runtime: they need root and runc on PATH, and
    /// are skipped otherwise unless `CI=true`, where a skip is a failure.
    mod real {
        use super::super::*;
        use crate::runtime::spec::{build_spec, NetNs, SeccompMode, SpecOptions};
        use std::os::unix::fs::MetadataExt;

        static SEQ: AtomicU64 = AtomicU64::new(0);

        fn ready() -> bool {
            let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
            let have = find_binary("runc").is_ok() && Path::new("/bin/busybox").is_file();
            if root && have {
                return true;
            }
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true: these tests need root, runc and /bin/busybox (busybox-static)");
            }
            eprintln!("skipping: needs root, runc and /bin/busybox");
            false
        }

        /// A bundle with a busybox rootfs and its own runtime state root;
        /// dropping it deletes the container and the files.
        struct Bundle {
            dir: tempfile::TempDir,
            id: String,
            runc: Runc,
        }

        impl Bundle {
            fn new() -> Bundle {
                let dir = tempfile::tempdir().unwrap();
                let rootfs = dir.path().join("rootfs");
                for d in ["bin", "proc", "dev", "sys", "tmp", "etc"] {
                    std::fs::create_dir_all(rootfs.join(d)).unwrap();
                }
                std::fs::copy("/bin/busybox", rootfs.join("bin/busybox")).unwrap();
                for app in [
                    "sh", "id", "cat", "true", "sleep", "unshare", "touch", "grep",
                ] {
                    std::os::unix::fs::symlink("busybox", rootfs.join("bin").join(app)).unwrap();
                }
                let id = format!(
                    "berth-rt-test-{}-{}",
                    std::process::id(),
                    SEQ.fetch_add(1, Ordering::Relaxed)
                );
                let runc = Runc::new("runc", &dir.path().join("state")).unwrap();
                Bundle { dir, id, runc }
            }

            fn options(&self, args: &[&str]) -> SpecOptions {
                let mut o = SpecOptions::new(&self.id, self.dir.path().join("rootfs"));
                o.args = args.iter().map(|s| s.to_string()).collect();
                o.network = NetNs::Private;
                o
            }

            fn write(&self, o: &SpecOptions) {
                let spec = build_spec(o).unwrap();
                std::fs::write(
                    self.dir.path().join("config.json"),
                    serde_json::to_vec_pretty(&spec).unwrap(),
                )
                .unwrap();
            }

            fn request(&self, out: &Path) -> CreateRequest {
                let f = std::fs::File::create(out).unwrap();
                CreateRequest {
                    id: self.id.clone(),
                    bundle: self.dir.path().to_path_buf(),
                    pid_file: None,
                    console_socket: None,
                    stdio: StdioFds {
                        stdin: None,
                        stdout: Some(f.try_clone().unwrap().into()),
                        stderr: Some(f.into()),
                    },
                }
            }

            /// `run --detach` the options, wait for the container to stop
            /// and delete it; (exit code, output). The init is not our
            /// child, so a wrapping shell prints the command's exit code.
            fn run(&self, o: &SpecOptions) -> (i32, String) {
                let mut o = o.clone();
                let mut args = vec![
                    "sh".to_string(),
                    "-c".into(),
                    "\"$@\"; echo \"rc=$?\"".into(),
                    "sh".into(),
                ];
                args.append(&mut o.args);
                o.args = args;
                self.write(&o);
                let out = self.dir.path().join("out");
                self.runc.run(self.request(&out)).unwrap();
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
                while self.runc.state(&self.id).unwrap().status != Status::Stopped {
                    assert!(
                        std::time::Instant::now() < deadline,
                        "container did not stop"
                    );
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                self.runc.delete(&self.id, false).unwrap();
                let text = std::fs::read_to_string(&out).unwrap();
                let (body, last) = text
                    .trim_end()
                    .rsplit_once('\n')
                    .unwrap_or(("", text.trim_end()));
                let code = last.strip_prefix("rc=").and_then(|c| c.parse().ok());
                let code = code.unwrap_or_else(|| panic!("no exit code in {text:?}"));
                (
                    code,
                    if body.is_empty() {
                        body.to_string()
                    } else {
                        format!("{body}\n")
                    },
                )
            }
        }

        impl Drop for Bundle {
            fn drop(&mut self) {
                let _ = self.runc.delete(&self.id, true);
            }
        }

        #[test]
        fn run_exit_codes_user_caps_seccomp_readonly() {
            if !ready() {
                return;
            }
            let b = Bundle::new();
            // Exit code passthrough.
            assert_eq!(b.run(&b.options(&["sh", "-c", "exit 3"])).0, 3);
            // --user 1000:1000
            let mut o = b.options(&["id"]);
            o.user = Some("1000:1000".into());
            let (code, out) = b.run(&o);
            assert_eq!(code, 0, "{out}");
            assert!(out.starts_with("uid=1000 gid=1000"), "{out}");
            // Docker's default capabilities, nothing inheritable.
            let (code, out) = b.run(&b.options(&["cat", "/proc/self/status"]));
            assert_eq!(code, 0, "{out}");
            assert!(out.contains("CapEff:\t00000000a80425fb"), "{out}");
            assert!(out.contains("CapBnd:\t00000000a80425fb"), "{out}");
            assert!(out.contains("CapInh:\t0000000000000000"), "{out}");
            assert!(out.contains("Seccomp:\t2"), "{out}");
            // The default profile blocks unshare(2) without CAP_SYS_ADMIN;
            // unconfined lets an unprivileged user namespace be made.
            let (code, out) = b.run(&b.options(&["unshare", "-U", "true"]));
            assert_ne!(code, 0, "unshare was allowed: {out}");
            assert!(out.contains("Operation not permitted"), "{out}");
            let mut o = b.options(&["unshare", "-U", "true"]);
            o.seccomp = SeccompMode::Unconfined;
            let (code, out) = b.run(&o);
            assert_eq!(code, 0, "unshare failed unconfined: {out}");
            // Read-only rootfs; /dev/shm stays writable.
            let mut o = b.options(&[
                "sh",
                "-c",
                "touch /x && exit 10; touch /dev/shm/y || exit 11; exit 0",
            ]);
            o.read_only = true;
            let (code, out) = b.run(&o);
            assert_eq!(code, 0, "{out}");
            assert!(out.contains("Read-only file system"), "{out}");
            // Only lo in a new network namespace.
            let (code, out) = b.run(&b.options(&["cat", "/proc/net/dev"]));
            assert_eq!(code, 0, "{out}");
            let ifaces: Vec<&str> = out
                .lines()
                .skip(2)
                .filter_map(|l| l.split(':').next())
                .map(str::trim)
                .collect();
            assert_eq!(ifaces, ["lo"], "{out}");
        }

        #[test]
        fn lifecycle_through_the_trait() {
            if !ready() {
                return;
            }
            let b = Bundle::new();
            let rt: &dyn OciRuntime = &b.runc;
            // A missing entrypoint fails create with docker's 127 class.
            b.write(&b.options(&["/no/such/cmd"]));
            let err = rt.create(b.request(&b.dir.path().join("out"))).unwrap_err();
            assert_eq!(err.exit_class(), ExitClass::CommandNotFound, "{err}");
            assert!(
                err.to_string().contains("no such file or directory"),
                "{err}"
            );
            let _ = rt.delete(&b.id, true);
            b.write(&b.options(&["/etc"]));
            let err = rt.create(b.request(&b.dir.path().join("out"))).unwrap_err();
            assert_eq!(err.exit_class(), ExitClass::CommandNotInvokable, "{err}");
            let _ = rt.delete(&b.id, true);

            let o = b.options(&["sleep", "60"]);
            b.write(&o);
            let mut req = b.request(&b.dir.path().join("out"));
            req.pid_file = Some(b.dir.path().join("pid"));
            rt.create(req).unwrap();
            let st = rt.state(&b.id).unwrap();
            assert_eq!(st.status, Status::Created);
            let pid: i32 = std::fs::read_to_string(b.dir.path().join("pid"))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            assert_eq!(st.pid, pid);
            rt.start(&b.id).unwrap();
            assert_eq!(rt.state(&b.id).unwrap().status, Status::Running);
            assert!(rt.ps(&b.id).unwrap().contains(&pid));
            rt.pause(&b.id).unwrap();
            assert_eq!(rt.state(&b.id).unwrap().status, Status::Paused);
            rt.resume(&b.id).unwrap();

            // exec: foreground exit codes, detached, and a missing command.
            let spec = build_spec(&o).unwrap();
            let exec = |args: &[&str], detach: bool| {
                let mut p = spec.process().clone().unwrap();
                p.set_args(Some(args.iter().map(|s| s.to_string()).collect()));
                let path = b.dir.path().join("process.json");
                std::fs::write(&path, serde_json::to_vec(&p).unwrap()).unwrap();
                rt.exec(ExecRequest {
                    id: b.id.clone(),
                    process: path,
                    detach,
                    console_socket: None,
                    pid_file: if detach {
                        Some(b.dir.path().join("exec.pid"))
                    } else {
                        None
                    },
                    stdio: StdioFds::default(),
                })
            };
            assert_eq!(exec(&["true"], false).unwrap(), ExecOutcome::Exited(0));
            assert_eq!(
                exec(&["sh", "-c", "exit 5"], false).unwrap(),
                ExecOutcome::Exited(5)
            );
            assert_eq!(exec(&["sleep", "30"], true).unwrap(), ExecOutcome::Started);
            let err = exec(&["nope"], false).unwrap_err();
            assert_eq!(err.exit_class(), ExitClass::CommandNotFound, "{err}");

            rt.kill(&b.id, libc::SIGKILL, true).unwrap();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while rt.state(&b.id).unwrap().status != Status::Stopped {
                assert!(
                    std::time::Instant::now() < deadline,
                    "container did not stop"
                );
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            rt.delete(&b.id, false).unwrap();
            assert!(matches!(rt.state(&b.id), Err(RuntimeError::NotFound(_))));
        }
    }
}
