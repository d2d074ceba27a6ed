//! `exec`: run a further process in a running container, the way
//! `docker exec` does, as one engine call ([`run`]) taking plain options and
//! the caller's stdio ([`ExecIo`]); no clap, no printing, no exit codes
//! (the command maps [`ExecEnd`] and [`ExecError::exit_code`]).
//!
//! The process is the container's own (`config.json` of its bundle: env,
//! cwd, user, capabilities, rlimits, seccomp) with the exec's overrides
//! ([`spec::exec_process`]), run by the container's OCI runtime
//! (`runc exec --process`):
//!
//! - in the foreground, the process is started with `runc exec --detach`
//!   while this CLI is a child subreaper, so it becomes our child once runc
//!   exits; we watch it with a pidfd and reap it ourselves (its code,
//!   128+signal for a signal death). Without a tty it inherits our stdout,
//!   our stdin with `-i` (else /dev/null), and a pipe for stderr that we copy,
//!   so that the runtime's own error line (runc prints it on its stderr) is
//!   not shown twice;
//! - with a tty, berth owns the pty like dockerd does: `--console-socket`
//!   hands us the pty master and we pump the caller's terminal (window size
//!   and SIGWINCH, the detach keys through the one
//!   [`DetachMatcher`](crate::shim::detach_keys::DetachMatcher), ctrl-p,ctrl-q
//!   by default) until the process exits, with the caller's terminal in raw
//!   mode while it reads from it (restored on return, or by the panic hook).
//!   Detaching leaves the process running, its terminal drained in the
//!   background;
//! - detached (`-d`), the runtime returns once the process started; its
//!   output is discarded (with a tty a `cat` in its own process group drains
//!   the pty, the part dockerd plays for docker).

use super::exit::ExitCode;
use crate::container::lifecycle::{self, Host};
use crate::container::state::Status;
use crate::runtime::caps::CapSet;
use crate::runtime::runc::{ExecRequest, ExitClass, OciRuntime, RuntimeError, StdioFds};
use crate::runtime::spec::{self, ContainerSpec, SpecError};
use crate::runtime::user::UserError;
use crate::shim::detach_keys::{self, DetachKeysError, DetachMatcher};
use crate::store::Store;
use crate::sys::process::{poll, pollfd, read_fd, wait_pid, PidFd, POLLERR, POLLHUP, POLLIN};
use crate::sys::pty::{set_window_size, window_size, RawMode, WinchPipe};
use anyhow::Context as _;
use std::io::{IsTerminal, Write};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

/// What to run and how it is connected (docker's `exec` flags, parsed).
#[derive(Debug, Clone)]
pub struct ExecOptions {
    /// Name or id (prefix) of the container.
    pub container: String,
    /// The process: command, env overrides, cwd, user, tty, privileged.
    pub process: spec::ExecOptions,
    /// `-d`: start and return.
    pub detach: bool,
    /// `-i`: forward the caller's stdin.
    pub interactive: bool,
    /// `--detach-keys` as given (Docker's default when `None`).
    pub detach_keys: Option<String>,
}

/// The caller's end of the session.
pub struct ExecIo<'a> {
    /// Forwarded with `-i` (to the pty, or handed to the process).
    pub stdin: BorrowedFd<'a>,
    /// Handed to the process as its stdout without a tty; its size is the
    /// pty's when stdin is not a terminal.
    pub stdout: BorrowedFd<'a>,
    /// The pty's output with a tty.
    pub out: &'a mut dyn Write,
    /// The process's stderr without a tty.
    pub err: &'a mut dyn Write,
}

/// How an exec session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecEnd {
    /// Detached (`-d`): the process runs on.
    Started,
    /// The process ended with this code (128+signal for a signal death).
    Exited(i32),
    /// The user typed the detach keys; the process runs on.
    Detached,
}

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// docker's CheckTty: a tty session reading stdin needs a terminal there.
    #[error("the input device is not a TTY")]
    NotATty,
    #[error(transparent)]
    DetachKeys(#[from] DetachKeysError),
    #[error("Container {0} is paused, unpause the container before exec")]
    Paused(String),
    #[error("Container {0} is not running")]
    NotRunning(String),
    /// The runtime could not start the command.
    #[error("OCI runtime exec failed: {message}: unknown")]
    Runtime { message: String, not_found: bool },
    /// `-u` names a user or group the container does not have.
    #[error(transparent)]
    User(#[from] UserError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl ExecError {
    /// docker's exit code: 127 when the command is not found, 126 when it
    /// cannot be run, 1 otherwise.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            ExecError::Runtime {
                not_found: true, ..
            } => ExitCode::NotFound,
            ExecError::Runtime { .. } | ExecError::User(_) => ExitCode::CannotInvoke,
            _ => ExitCode::Failure,
        }
    }
}

/// How the process is connected to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `-d`: start and return.
    Detached,
    /// Foreground without a tty: the process gets our fds.
    Pipes,
    /// Foreground with a tty: we own the pty master.
    Terminal,
}

/// The options, validated before the container is looked at.
#[derive(Debug)]
struct Plan {
    mode: Mode,
    interactive: bool,
    detach_keys: Vec<u8>,
}

fn plan(opts: &ExecOptions, stdin_is_tty: bool) -> Result<Plan, ExecError> {
    let detach_keys = match &opts.detach_keys {
        Some(k) => detach_keys::parse(k)?,
        None => detach_keys::DEFAULT_DETACH_KEYS.to_vec(),
    };
    let mode = match (opts.detach, opts.process.tty) {
        (true, _) => Mode::Detached,
        (false, false) => Mode::Pipes,
        (false, true) => Mode::Terminal,
    };
    if mode == Mode::Terminal && opts.interactive && !stdin_is_tty {
        return Err(ExecError::NotATty);
    }
    Ok(Plan {
        mode,
        interactive: opts.interactive && !opts.detach,
        detach_keys,
    })
}

/// Run `opts.process` in the container and connect it to `io` until it ends
/// (or the user detaches, or at once with `-d`).
pub fn run(
    host: &Host,
    store: &mut Store,
    opts: &ExecOptions,
    io: ExecIo,
) -> Result<ExecEnd, ExecError> {
    let plan = plan(opts, io.stdin.is_terminal())?;
    let mut c = lifecycle::find(store, &opts.container)?;
    lifecycle::refresh(host, store, &mut c)?;
    let row = c.row;
    match row.status {
        Status::Paused => return Err(ExecError::Paused(row.id)),
        s if !s.can_kill() => return Err(ExecError::NotRunning(row.id)),
        _ => {}
    }
    let bundle = host.bundle_dir(&row.id);
    let spec_path = bundle.join("config.json");
    let spec: ContainerSpec = serde_json::from_slice(
        &std::fs::read(&spec_path).with_context(|| format!("reading {}", spec_path.display()))?,
    )
    .with_context(|| format!("parsing {}", spec_path.display()))?;
    let rootfs = spec.rootfs(&bundle);
    let process = spec::exec_process(&spec, &rootfs, &opts.process, CapSet::detect()).map_err(
        |e| match e {
            SpecError::User(u) => ExecError::User(u),
            other => ExecError::Other(other.into()),
        },
    )?;
    let work = WorkDir::create(&host.layout.state_root)?;
    let process_path = work.0.join("process.json");
    crate::sys::fs::write_atomic(
        &process_path,
        &serde_json::to_vec(&process).map_err(anyhow::Error::from)?,
    )
    .map_err(anyhow::Error::from)?;
    let rt = host.runtime(&c.spec.runtime)?;
    let pid_file = work.0.join("exec.pid");
    let request = |console: Option<PathBuf>, stdio: StdioFds| ExecRequest {
        id: row.id.clone(),
        process: process_path.clone(),
        detach: true,
        console_socket: console,
        pid_file: Some(pid_file.clone()),
        stdio,
    };
    let exec = |req| rt.exec(req).map(drop).map_err(|e| exec_failure(&row.id, e));
    match plan.mode {
        Mode::Detached if !opts.process.tty => {
            exec(request(None, StdioFds::default()))?;
            Ok(ExecEnd::Started)
        }
        Mode::Detached => {
            let sock = work.0.join("console.sock");
            let listener = bind(&sock)?;
            exec(request(Some(sock.clone()), StdioFds::default()))?;
            drain_in_background(receive_master(&listener, &sock)?)?;
            Ok(ExecEnd::Started)
        }
        Mode::Pipes => {
            // runc prints its own failures on its stderr, which a detached
            // process inherits: give it a pipe, dropped unread if the exec
            // fails (the error carries the message), else copied to ours.
            crate::sys::process::set_child_subreaper().context("becoming a child subreaper")?;
            let (err_r, err_w) = crate::sys::process::pipe().context("creating a pipe")?;
            let dup = |fd: BorrowedFd<'_>| fd.try_clone_to_owned().context("duplicating stdio");
            let stdio = StdioFds {
                stdin: if plan.interactive {
                    Some(dup(io.stdin)?)
                } else {
                    None
                },
                stdout: Some(dup(io.stdout)?),
                stderr: Some(err_w),
            };
            exec(request(None, stdio))?;
            let child = Child::adopt(&pid_file)?;
            drop(work);
            let end = pump(
                &err_r,
                &child,
                Pump {
                    input: None,
                    output: io.err,
                    detach_keys: &[],
                    resize_from: None,
                },
            )?;
            Ok(end)
        }
        Mode::Terminal => {
            // The process is runc's child; once runc exits it is ours.
            crate::sys::process::set_child_subreaper().context("becoming a child subreaper")?;
            let sock = work.0.join("console.sock");
            let listener = bind(&sock)?;
            exec(request(Some(sock.clone()), StdioFds::default()))?;
            let master = receive_master(&listener, &sock)?;
            let child = Child::adopt(&pid_file)?;
            drop(work);
            let resize_from = if io.stdin.is_terminal() {
                Some(io.stdin.as_raw_fd())
            } else if io.stdout.is_terminal() {
                Some(io.stdout.as_raw_fd())
            } else {
                None
            };
            let _raw = if plan.interactive {
                Some(
                    RawMode::enable(io.stdin.as_raw_fd())
                        .context("setting the terminal to raw mode")?,
                )
            } else {
                None
            };
            let end = pump(
                &master,
                &child,
                Pump {
                    input: plan.interactive.then_some(io.stdin.as_raw_fd()),
                    output: io.out,
                    detach_keys: &plan.detach_keys,
                    resize_from,
                },
            )?;
            drop(_raw);
            if end == ExecEnd::Detached {
                // The process keeps its terminal after we are gone.
                drain_in_background(master)?;
            }
            Ok(end)
        }
    }
}

/// A runtime failure as docker reports it.
fn exec_failure(id: &str, e: RuntimeError) -> ExecError {
    match e {
        RuntimeError::NotRunning(_) | RuntimeError::NotFound(_) => {
            ExecError::NotRunning(id.to_string())
        }
        RuntimeError::Failed { message, class, .. } => ExecError::Runtime {
            message,
            not_found: class == ExitClass::CommandNotFound,
        },
        other => ExecError::Other(other.into()),
    }
}

/// A private directory for one exec's `process.json`, pid file and console
/// socket, removed when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn create(state_root: &Path) -> anyhow::Result<WorkDir> {
        let name = crate::container::names::new_id()[..16].to_string();
        let mut dir = state_root.join("exec").join(&name);
        // A unix socket path must fit in sun_path (108 bytes).
        if dir.join("console.sock").as_os_str().len() > 100 {
            dir = std::env::temp_dir().join(format!("berth-exec-{name}"));
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(WorkDir(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The exec'd process once runc has exited and we (a subreaper) adopted it.
struct Child {
    pid: libc::pid_t,
    /// Readable once the process has ended.
    pidfd: PidFd,
}

impl Child {
    /// The pid the runtime wrote, opened as a pidfd. It cannot be recycled
    /// before we reap it: it is our child (or our zombie) by now.
    fn adopt(pid_file: &Path) -> anyhow::Result<Child> {
        let pid = std::fs::read_to_string(pid_file)
            .with_context(|| format!("reading {}", pid_file.display()))?
            .trim()
            .parse()
            .with_context(|| format!("bad pid in {}", pid_file.display()))?;
        let pidfd = PidFd::open(pid).with_context(|| format!("opening a pidfd for {pid}"))?;
        Ok(Child { pid, pidfd })
    }

    /// Reap it (blocking) and return docker's code for how it ended.
    fn wait(&self) -> anyhow::Result<i32> {
        let st = wait_pid(self.pid).with_context(|| format!("waiting for process {}", self.pid))?;
        Ok(st.code())
    }
}

fn bind(sock: &Path) -> anyhow::Result<UnixListener> {
    let l = UnixListener::bind(sock).with_context(|| format!("binding {}", sock.display()))?;
    l.set_nonblocking(true)
        .with_context(|| format!("configuring {}", sock.display()))?;
    Ok(l)
}

/// The pty master the runtime sent on the console socket (it connected and
/// sent it before `runc exec --detach` returned).
fn receive_master(listener: &UnixListener, sock: &Path) -> anyhow::Result<OwnedFd> {
    let (conn, _) = listener
        .accept()
        .with_context(|| format!("the runtime sent no pty on {}", sock.display()))?;
    conn.set_nonblocking(false)
        .with_context(|| format!("configuring {}", sock.display()))?;
    crate::sys::pty::recv_fd(&conn)
        .with_context(|| format!("receiving the pty master on {}", sock.display()))
}

/// `exec -dt`, or a detached `exec -it`: keep the pty master open and drain
/// it, as dockerd does, with a `cat` outside our process group (without it
/// the process would get a hangup when this CLI exits).
fn drain_in_background(master: OwnedFd) -> anyhow::Result<()> {
    use std::os::unix::process::CommandExt;
    std::process::Command::new("cat")
        .stdin(std::process::Stdio::from(master))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .context("starting `cat` to hold the detached exec's terminal")?;
    Ok(())
}

/// The caller's side of [`pump`].
struct Pump<'a> {
    /// User input (a terminal in raw mode), forwarded to the source.
    input: Option<RawFd>,
    output: &'a mut dyn Write,
    detach_keys: &'a [u8],
    /// Copy this terminal's size to the source (a pty) now and on SIGWINCH.
    resize_from: Option<RawFd>,
}

fn write_all_fd(fd: RawFd, mut data: &[u8]) -> std::io::Result<()> {
    while !data.is_empty() {
        let n = crate::sys::process::write_fd(fd, data)?;
        data = &data[n..];
    }
    Ok(())
}

/// Copy `source` (a pty master, or the process's stderr pipe) to the output
/// and the input to it, until the child exits or the user types the detach
/// keys. Everything blocks in one `poll` (the child's pidfd included: a
/// background process may hold the pty open after the child ended).
fn pump(source: &OwnedFd, child: &Child, io: Pump) -> anyhow::Result<ExecEnd> {
    let sfd = source.as_raw_fd();
    let winch = match io.resize_from {
        Some(fd) => {
            if let Ok((r, c)) = window_size(fd) {
                let _ = set_window_size(sfd, r, c);
            }
            Some(WinchPipe::install().context("watching for window resizes")?)
        }
        None => None,
    };
    let mut source_open = true;
    let mut input = io.input;
    let mut matcher = DetachMatcher::new(io.detach_keys);
    let mut output_ok = true;
    let mut buf = vec![0u8; 16 * 1024];
    let mut copy_out = |output: &mut dyn Write, data: &[u8]| {
        // A closed output (`| head`) stops the copy, not the session.
        if output_ok {
            output_ok = output.write_all(data).and_then(|_| output.flush()).is_ok();
        }
    };
    loop {
        let mut fds = vec![pollfd(child.pidfd.as_raw_fd(), POLLIN)];
        let source_idx = source_open.then(|| {
            fds.push(pollfd(sfd, POLLIN));
            fds.len() - 1
        });
        let input_idx = input.map(|fd| {
            fds.push(pollfd(fd, POLLIN));
            fds.len() - 1
        });
        let winch_idx = winch.as_ref().map(|w| {
            fds.push(pollfd(w.as_raw_fd(), POLLIN));
            fds.len() - 1
        });
        poll(&mut fds, -1).context("waiting for the exec session")?;
        let ready = |i: Option<usize>| {
            i.is_some_and(|i| fds[i].revents & (POLLIN | POLLHUP | POLLERR) != 0)
        };
        if ready(source_idx) {
            // EIO: every slave fd is closed (the process and its children ended).
            match read_fd(sfd, &mut buf).unwrap_or(0) {
                0 => source_open = false,
                n => copy_out(io.output, &buf[..n]),
            }
        }
        if let (true, Some(fd)) = (ready(input_idx), input) {
            let n = read_fd(fd, &mut buf).unwrap_or(0);
            let mut out = Vec::with_capacity(n + io.detach_keys.len());
            if n == 0 {
                input = None;
                matcher.flush(&mut out);
            }
            let detach = matcher.feed(&buf[..n], &mut out);
            // The process may have just exited: a failed write is not ours to report.
            let _ = write_all_fd(sfd, &out);
            if detach {
                return Ok(ExecEnd::Detached);
            }
        }
        if let (true, Some(w), Some(fd)) = (ready(winch_idx), &winch, io.resize_from) {
            if w.drain() {
                if let Ok((r, c)) = window_size(fd) {
                    let _ = set_window_size(sfd, r, c);
                }
            }
        }
        if fds[0].revents != 0 {
            break;
        }
    }
    let code = child.wait()?;
    // Output written just before the exit.
    if source_open {
        crate::sys::process::set_nonblocking(source, true).context("draining the output")?;
        while let Ok(n @ 1..) = read_fd(sfd, &mut buf) {
            copy_out(io.output, &buf[..n]);
        }
    }
    Ok(ExecEnd::Exited(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(tty: bool, detach: bool, interactive: bool, keys: Option<&str>) -> ExecOptions {
        ExecOptions {
            container: "c".into(),
            process: spec::ExecOptions {
                args: vec!["sh".into()],
                tty,
                ..Default::default()
            },
            detach,
            interactive,
            detach_keys: keys.map(Into::into),
        }
    }

    #[test]
    fn plan_modes_and_tty_check() {
        let p = plan(&opts(false, false, false, None), false).unwrap();
        assert_eq!(p.mode, Mode::Pipes);
        assert_eq!(p.detach_keys, detach_keys::DEFAULT_DETACH_KEYS);
        assert_eq!(
            plan(&opts(true, true, true, None), false).unwrap().mode,
            Mode::Detached
        );
        assert!(
            !plan(&opts(true, true, true, None), false)
                .unwrap()
                .interactive
        );
        assert_eq!(
            plan(&opts(true, false, false, None), false).unwrap().mode,
            Mode::Terminal
        );
        let e = plan(&opts(true, false, true, None), false).unwrap_err();
        assert_eq!(e.to_string(), "the input device is not a TTY");
        assert_eq!(e.exit_code(), ExitCode::Failure);
        assert!(
            plan(&opts(true, false, true, None), true)
                .unwrap()
                .interactive
        );
        let k = plan(&opts(false, false, false, Some("ctrl-a,x")), false).unwrap();
        assert_eq!(k.detach_keys, [1, b'x']);
        let e = plan(&opts(false, false, false, Some("ctrl-long")), false).unwrap_err();
        assert_eq!(e.to_string(), "Invalid escape keys (ctrl-long) provided");
    }

    #[test]
    fn failures_map_to_docker_codes() {
        let f = |class| RuntimeError::Failed {
            verb: "exec",
            message: "exec failed: x".into(),
            class,
        };
        let e = exec_failure("id", f(ExitClass::CommandNotFound));
        assert_eq!(e.exit_code(), ExitCode::NotFound);
        assert_eq!(
            e.to_string(),
            "OCI runtime exec failed: exec failed: x: unknown"
        );
        assert_eq!(
            exec_failure("id", f(ExitClass::CommandNotInvokable)).exit_code(),
            ExitCode::CannotInvoke
        );
        let e = exec_failure("id", RuntimeError::NotRunning("id".into()));
        assert_eq!(
            (e.exit_code(), e.to_string().as_str()),
            (ExitCode::Failure, "Container id is not running")
        );
    }

    /// A child of this test process standing in for the exec'd process.
    fn spawn(cmd: &str) -> Child {
        let c = std::process::Command::new("sh")
            .args(["-c", cmd])
            .spawn()
            .unwrap();
        let pid = c.id() as libc::pid_t;
        // Reaped by Child::wait (or left to the test harness), not by std.
        std::mem::forget(c);
        Child {
            pid,
            pidfd: PidFd::open(pid).unwrap(),
        }
    }

    #[test]
    fn pty_pump_copies_and_detaches() {
        let (master, slave) = crate::sys::pty::open_pty().unwrap();
        // The fake process writes through the slave side.
        write_all_fd(slave.as_raw_fd(), b"hello\n").unwrap();
        let (r, w) = crate::sys::process::pipe().unwrap();
        write_all_fd(w.as_raw_fd(), b"ls\n\x10\x11").unwrap();
        let child = spawn("sleep 30");
        let mut out = Vec::new();
        let end = pump(
            &master,
            &child,
            Pump {
                input: Some(r.as_raw_fd()),
                output: &mut out,
                detach_keys: detach_keys::DEFAULT_DETACH_KEYS,
                resize_from: None,
            },
        )
        .unwrap();
        assert_eq!(end, ExecEnd::Detached);
        assert_eq!(out, b"hello\r\n");
        let mut got = [0u8; 16];
        let n = read_fd(slave.as_raw_fd(), &mut got).unwrap();
        assert_eq!(&got[..n], b"ls\n");
        child.pidfd.send_signal(libc::SIGKILL).unwrap();
        assert_eq!(child.wait().unwrap(), 137);
    }

    #[test]
    fn pump_ends_with_the_child_even_if_the_source_stays_open() {
        // The write end stays open here (as a background process holding the
        // pty would): the pidfd, not EOF, ends the session, without polling.
        let (r, w) = crate::sys::process::pipe().unwrap();
        write_all_fd(w.as_raw_fd(), b"before exit\n").unwrap();
        let child = spawn("exit 3");
        let mut out = Vec::new();
        let end = pump(
            &r,
            &child,
            Pump {
                input: None,
                output: &mut out,
                detach_keys: &[],
                resize_from: None,
            },
        )
        .unwrap();
        assert_eq!(end, ExecEnd::Exited(3));
        assert_eq!(out, b"before exit\n");
        drop(w);
    }
}
