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
//!   128+signal for a signal death). Without a tty it gets pipes for stdout
//!   and stderr (and stdin with `-i`, else /dev/null) that we copy to and
//!   from the caller's, as Docker and the shim's `run` do: never the
//!   caller's own descriptors, which the process could reopen through
//!   `/proc/self/fd` to read or truncate the file or terminal behind them.
//!   The stderr pipe also keeps the runtime's own error line (runc prints it
//!   on its stderr) from being shown twice;
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
use crate::runtime::runc::{ExecRequest, ExitClass, RuntimeError, StdioFds};
use crate::runtime::spec::{self, ContainerSpec, SpecError};
use crate::runtime::user::UserError;
use crate::shim::detach_keys::{self, DetachKeysError, DetachMatcher};
use crate::store::Store;
use crate::sys::process::{
    poll, pollfd, read_fd, wait_pid, PidFd, POLLERR, POLLHUP, POLLIN, POLLOUT,
};
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
    /// Only looked at (never handed to the process): its size is the
    /// pty's when stdin is not a terminal.
    pub stdout: BorrowedFd<'a>,
    /// The process's stdout (or the pty's output with a tty).
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
    /// Waiting out a restart back-off (Docker's conflict error).
    #[error("Container {0} is restarting, wait until the container is running")]
    Restarting(String),
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
    /// Foreground without a tty: the process gets pipes we copy.
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
        Status::Restarting => return Err(ExecError::Restarting(row.id)),
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
    // moby's exec events: create and start as the process starts, die
    // when berth sees it end (in the foreground; a detached exec's end is
    // watched by no one, so it has none).
    let events = host.container_events(&row, &c.spec);
    let exec_id = crate::events::random_id();
    let exec = |req| {
        events.emit_exec_start(&exec_id, &opts.process.args);
        rt.exec(req).map(drop).map_err(|e| exec_failure(&row.id, e))
    };
    let died = |end: ExecEnd| {
        if let ExecEnd::Exited(code) = end {
            events.emit_exec_die(&exec_id, code);
        }
        end
    };
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
            // The process gets pipes, never the caller's descriptors (a
            // process holding our stdout could reopen it through
            // /proc/self/fd and read or truncate the file behind it), and we
            // copy between them, as the shim does for `run`. runc prints its
            // own failures on the stderr the process inherits: dropped
            // unread if the exec fails (the error carries the message).
            crate::sys::process::set_child_subreaper().context("becoming a child subreaper")?;
            let pipe = || crate::sys::process::pipe().context("creating a pipe");
            let (out_r, out_w) = pipe()?;
            let (err_r, err_w) = pipe()?;
            let (in_r, in_w) = if plan.interactive {
                let (r, w) = pipe()?;
                crate::sys::process::set_nonblocking(&w, true)
                    .context("configuring the stdin pipe")?;
                (Some(r), Some(w))
            } else {
                (None, None)
            };
            let stdio = StdioFds {
                stdin: in_r,
                stdout: Some(out_w),
                stderr: Some(err_w),
            };
            exec(request(None, stdio))?;
            let child = Child::adopt(&pid_file)?;
            drop(work);
            let end = pump(
                &[(&out_r, Stream::Out), (&err_r, Stream::Err)],
                &child,
                Pump {
                    input: in_w.as_ref().map(|_| io.stdin.as_raw_fd()),
                    sink: in_w.map(Sink::Owned),
                    out: io.out,
                    err: io.err,
                    detach_keys: &[],
                    resize_from: None,
                },
            )?;
            Ok(died(end))
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
                &[(&master, Stream::Out)],
                &child,
                Pump {
                    input: plan.interactive.then_some(io.stdin.as_raw_fd()),
                    sink: Some(Sink::Pty(master.as_raw_fd())),
                    out: io.out,
                    err: io.err,
                    detach_keys: &plan.detach_keys,
                    resize_from,
                },
            )?;
            drop(_raw);
            if end == ExecEnd::Detached {
                // The process keeps its terminal after we are gone.
                drain_in_background(master)?;
            }
            Ok(died(end))
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
        use std::os::unix::fs::DirBuilderExt;
        let name = crate::container::names::new_id()[..16].to_string();
        let mut dir = state_root.join("exec").join(&name);
        // A unix socket path must fit in sun_path (108 bytes).
        if dir.join("console.sock").as_os_str().len() > 100 {
            dir = std::env::temp_dir().join(format!("berth-exec-{name}"));
        }
        // Private: process.json holds the process's environment.
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .with_context(|| format!("creating {}", dir.display()))?;
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

/// Which of the caller's outputs a source is copied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Out,
    Err,
}

/// Where the caller's input goes.
enum Sink {
    /// The pty master (also a source): never closed here.
    Pty(RawFd),
    /// The write end of the process's stdin pipe (non-blocking), closed at
    /// the end of the input so that the process sees EOF.
    Owned(OwnedFd),
}

impl Sink {
    fn fd(&self) -> RawFd {
        match self {
            Sink::Pty(fd) => *fd,
            Sink::Owned(fd) => fd.as_raw_fd(),
        }
    }
}

/// The caller's side of [`pump`].
struct Pump<'a> {
    /// User input (a terminal in raw mode, or any file with `-i`),
    /// forwarded to `sink`.
    input: Option<RawFd>,
    sink: Option<Sink>,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    detach_keys: &'a [u8],
    /// Copy this terminal's size to the pty (the first source) now and on
    /// SIGWINCH.
    resize_from: Option<RawFd>,
}

#[cfg(test)]
fn write_all_fd(fd: RawFd, mut data: &[u8]) -> std::io::Result<()> {
    while !data.is_empty() {
        let n = crate::sys::process::write_fd(fd, data)?;
        data = &data[n..];
    }
    Ok(())
}

/// Write as much of `pending` to `fd` as it takes now (all of it when `fd`
/// blocks); Err when the reader is gone.
fn flush_pending(fd: RawFd, pending: &mut Vec<u8>) -> std::io::Result<()> {
    while !pending.is_empty() {
        match crate::sys::process::write_fd(fd, pending) {
            Ok(n) => {
                pending.drain(..n);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Copy the sources (a pty master, or the process's stdout and stderr
/// pipes) to the caller's outputs and the input to the sink, until the child
/// exits or the user types the detach keys. Everything waits in one `poll`
/// (the child's pidfd included: a background process may hold the pty or
/// pipes open after the child ended); input is read only once the sink took
/// the previous chunk, so a process that does not read its stdin never
/// blocks the copy of its output.
fn pump(sources: &[(&OwnedFd, Stream)], child: &Child, mut io: Pump) -> anyhow::Result<ExecEnd> {
    let winch = match (io.resize_from, sources.first()) {
        (Some(fd), Some((pty, _))) => {
            if let Ok((r, c)) = window_size(fd) {
                let _ = set_window_size(pty.as_raw_fd(), r, c);
            }
            Some(WinchPipe::install().context("watching for window resizes")?)
        }
        _ => None,
    };
    let mut open = vec![true; sources.len()];
    let mut input = io.input;
    let mut pending: Vec<u8> = Vec::new();
    let mut matcher = DetachMatcher::new(io.detach_keys);
    let mut ok = [true, true];
    let mut buf = vec![0u8; 16 * 1024];
    let mut copy_out = |io: &mut Pump, stream: Stream, data: &[u8]| {
        // A closed output (`| head`) stops the copy, not the session.
        let (w, ok): (&mut dyn Write, &mut bool) = match stream {
            Stream::Out => (&mut *io.out, &mut ok[0]),
            Stream::Err => (&mut *io.err, &mut ok[1]),
        };
        if *ok {
            *ok = w.write_all(data).and_then(|_| w.flush()).is_ok();
        }
    };
    loop {
        let mut fds = vec![pollfd(child.pidfd.as_raw_fd(), POLLIN)];
        let source_idx: Vec<Option<usize>> = sources
            .iter()
            .zip(&open)
            .map(|((fd, _), open)| {
                open.then(|| {
                    fds.push(pollfd(fd.as_raw_fd(), POLLIN));
                    fds.len() - 1
                })
            })
            .collect();
        let input_idx = input.filter(|_| pending.is_empty()).map(|fd| {
            fds.push(pollfd(fd, POLLIN));
            fds.len() - 1
        });
        let sink_idx = io.sink.as_ref().filter(|_| !pending.is_empty()).map(|s| {
            fds.push(pollfd(s.fd(), POLLOUT));
            fds.len() - 1
        });
        let winch_idx = winch.as_ref().map(|w| {
            fds.push(pollfd(w.as_raw_fd(), POLLIN));
            fds.len() - 1
        });
        poll(&mut fds, -1).context("waiting for the exec session")?;
        let ready = |i: Option<usize>, ev: i16| {
            i.is_some_and(|i| fds[i].revents & (ev | POLLHUP | POLLERR) != 0)
        };
        for (i, (fd, stream)) in sources.iter().enumerate() {
            if ready(source_idx[i], POLLIN) {
                // EIO on a pty: every slave fd is closed (the process and
                // its children ended).
                match read_fd(fd.as_raw_fd(), &mut buf).unwrap_or(0) {
                    0 => open[i] = false,
                    n => copy_out(&mut io, *stream, &buf[..n]),
                }
            }
        }
        if let (true, Some(fd)) = (ready(input_idx, POLLIN), input) {
            let n = read_fd(fd, &mut buf).unwrap_or(0);
            if n == 0 {
                input = None;
                matcher.flush(&mut pending);
            }
            if matcher.feed(&buf[..n], &mut pending) {
                if let Some(sink) = &io.sink {
                    let _ = flush_pending(sink.fd(), &mut pending);
                }
                return Ok(ExecEnd::Detached);
            }
        }
        if let Some(sink) = &io.sink {
            // The process may have closed its stdin or exited: a failed
            // write is not ours to report, it ends the input.
            if (ready(sink_idx, POLLOUT) || sink_idx.is_none())
                && flush_pending(sink.fd(), &mut pending).is_err()
            {
                pending.clear();
                input = None;
            }
        }
        if input.is_none() && pending.is_empty() && matches!(io.sink, Some(Sink::Owned(_))) {
            io.sink = None;
        }
        if let (true, Some(w), Some(fd), Some((pty, _))) = (
            ready(winch_idx, POLLIN),
            &winch,
            io.resize_from,
            sources.first(),
        ) {
            if w.drain() {
                if let Ok((r, c)) = window_size(fd) {
                    let _ = set_window_size(pty.as_raw_fd(), r, c);
                }
            }
        }
        if fds[0].revents != 0 {
            break;
        }
    }
    let code = child.wait()?;
    // Output written just before the exit.
    for (i, (fd, stream)) in sources.iter().enumerate() {
        if open[i] {
            crate::sys::process::set_nonblocking(*fd, true).context("draining the output")?;
            while let Ok(n @ 1..) = read_fd(fd.as_raw_fd(), &mut buf) {
                copy_out(&mut io, *stream, &buf[..n]);
            }
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
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let end = pump(
            &[(&master, Stream::Out)],
            &child,
            Pump {
                input: Some(r.as_raw_fd()),
                sink: Some(Sink::Pty(master.as_raw_fd())),
                out: &mut out,
                err: &mut err,
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
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let end = pump(
            &[(&r, Stream::Err)],
            &child,
            Pump {
                input: None,
                sink: None,
                out: &mut out,
                err: &mut err,
                detach_keys: &[],
                resize_from: None,
            },
        )
        .unwrap();
        assert_eq!(end, ExecEnd::Exited(3));
        assert_eq!(err, b"before exit\n");
        assert!(out.is_empty());
        drop(w);
    }

    #[test]
    fn pipe_pump_copies_both_streams_and_closes_stdin_at_eof() {
        // A stand-in process: echoes its stdin to stdout, writes to stderr,
        // exits once its stdin ends. More input than a pipe holds, so the
        // copy must interleave writing its stdin and reading its stdout.
        let (in_r, in_w) = crate::sys::process::pipe().unwrap();
        let (out_r, out_w) = crate::sys::process::pipe().unwrap();
        let (err_r, err_w) = crate::sys::process::pipe().unwrap();
        crate::sys::process::set_nonblocking(&in_w, true).unwrap();
        let c = std::process::Command::new("sh")
            .args(["-c", "cat; echo done >&2"])
            .stdin(std::process::Stdio::from(in_r))
            .stdout(std::process::Stdio::from(out_w))
            .stderr(std::process::Stdio::from(err_w))
            .spawn()
            .unwrap();
        let pid = c.id() as libc::pid_t;
        std::mem::forget(c);
        let child = Child {
            pid,
            pidfd: PidFd::open(pid).unwrap(),
        };
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut input = tempfile::tempfile().unwrap();
        input.write_all(&data).unwrap();
        use std::io::Seek;
        input.rewind().unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let end = pump(
            &[(&out_r, Stream::Out), (&err_r, Stream::Err)],
            &child,
            Pump {
                input: Some(input.as_raw_fd()),
                sink: Some(Sink::Owned(in_w)),
                out: &mut out,
                err: &mut err,
                detach_keys: &[],
                resize_from: None,
            },
        )
        .unwrap();
        assert_eq!(end, ExecEnd::Exited(0));
        assert!(out == data, "stdout copied whole ({} bytes)", out.len());
        assert_eq!(err, b"done\n");
    }
}
