//! `berth exec [-d] [-i] [-t] [-e K=V] [--env-file F] [-w DIR] [-u USER]
//! [--privileged] [--detach-keys K] CONTAINER CMD...`: run a process in a
//! running container, the way `docker exec` does.
//!
//! The process is the container's own (`config.json` of its bundle: env,
//! cwd, user, capabilities, rlimits, seccomp via the container) with the
//! exec's overrides ([`crate::runtime::spec::exec_process`]), run by the
//! container's OCI runtime (`runc exec --process`):
//!
//! - in the foreground, the process is started with `runc exec --detach`
//!   while this CLI is a child subreaper, so it becomes our child once runc
//!   exits and we wait for it ourselves (its code, 128+signal for a signal
//!   death). Without `-t` it inherits our stdout, our stdin with `-i` (else
//!   /dev/null), and a pipe for stderr that we copy, so that the runtime's
//!   own error line (runc prints it on its stderr) is not shown twice;
//! - with `-t`, berth owns the pty like dockerd does: `--console-socket`
//!   hands us the pty master and we pump our terminal (raw mode with `-i`,
//!   window size and SIGWINCH, the detach keys, ctrl-p,ctrl-q by default)
//!   until the process exits. Detaching leaves it running (its terminal
//!   drained in the background, see `-d`) and, as the docker CLI does,
//!   prints "read escape sequence" and exits 1;
//! - with `-d`, the runtime returns once the process started; its output is
//!   discarded (with `-t` a `cat` in its own process group drains the pty,
//!   the part dockerd plays for docker).
//!
//! Exit codes (docker's): the process's own; 127 when the command is not
//! found and 126 when it cannot be run (`OCI runtime exec failed: ...`);
//! 1 when the container is not running or berth itself fails.

use crate::cli::container::ExecArgs;
use crate::cmd::context::Context;
use crate::cmd::ExitStatus;
use crate::container::lifecycle;
use crate::container::state::Status;
use crate::runtime::caps::CapSet;
use crate::runtime::runc::{ExecRequest, ExitClass, OciRuntime, RuntimeError, StdioFds};
use crate::runtime::spec::{self, ExecOptions, Spec, SpecError};
use crate::shim::attach::DEFAULT_DETACH_KEYS;
use crate::sys::process::{poll, pollfd, read_fd, reap_any, POLLERR, POLLHUP, POLLIN};
use crate::sys::pty::{set_window_size, window_size, RawMode, WinchPipe};
use anyhow::{anyhow, bail, Context as _, Result};
use std::io::{IsTerminal, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How the process is connected to this CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `-d`: start and return.
    Detached,
    /// Foreground without a tty: the runtime copies stdio.
    Pipes,
    /// Foreground with a tty: we own the pty master.
    Terminal,
}

/// The validated flags.
#[derive(Debug)]
struct ExecPlan {
    mode: Mode,
    interactive: bool,
    detach_keys: Vec<u8>,
    options: ExecOptions,
}

fn plan(args: &ExecArgs, stdin_is_tty: bool) -> Result<ExecPlan> {
    let mut env = Vec::new();
    for f in &args.env_file {
        env.extend(crate::container::options::read_env_file(f)?);
    }
    for e in &args.env {
        env.push(crate::container::options::env_from_flag(e)?);
    }
    let detach_keys = match &args.detach_keys {
        Some(k) => super::session::parse_detach_keys(k)?,
        None => DEFAULT_DETACH_KEYS.to_vec(),
    };
    let mode = match (args.detach, args.tty) {
        (true, _) => Mode::Detached,
        (false, false) => Mode::Pipes,
        (false, true) => Mode::Terminal,
    };
    // docker's CheckTty: a tty session reading stdin needs a terminal there.
    if mode == Mode::Terminal && args.interactive && !stdin_is_tty {
        bail!("the input device is not a TTY");
    }
    Ok(ExecPlan {
        mode,
        interactive: args.interactive && !args.detach,
        detach_keys,
        options: ExecOptions {
            args: args.command.clone(),
            env,
            working_dir: args.workdir.clone(),
            user: args.user.clone(),
            tty: args.tty,
            privileged: args.privileged,
        },
    })
}

/// A private directory for one exec's `process.json`, pid file and console
/// socket, removed when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn create(state_root: &Path) -> Result<WorkDir> {
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

/// A runtime failure as docker reports it, with its exit code.
fn exec_failure(id: &str, e: RuntimeError) -> anyhow::Error {
    match e {
        RuntimeError::NotRunning(_) | RuntimeError::NotFound(_) => {
            anyhow!("Container {id} is not running")
        }
        RuntimeError::Failed { message, class, .. } => {
            let code = match class {
                ExitClass::CommandNotFound => 127,
                _ => 126,
            };
            crate::cmd::WithExitCode {
                code,
                error: anyhow!("OCI runtime exec failed: {message}: unknown"),
            }
            .into()
        }
        other => other.into(),
    }
}

pub fn run(ctx: &Context, args: ExecArgs) -> Result<u8> {
    let plan = plan(&args, std::io::stdin().is_terminal())?;
    let (host, mut store) = ctx.container_store()?;
    let mut row = lifecycle::find(&store, &args.container)?;
    lifecycle::refresh(&host, &mut store, &mut row)?;
    match Status::parse(&row.status) {
        Status::Paused => bail!(
            "Container {} is paused, unpause the container before exec",
            row.id
        ),
        s if !s.can_kill() => bail!("Container {} is not running", row.id),
        _ => {}
    }
    let cfg = lifecycle::config_of(&row)?;
    let bundle = host.bundle_dir(&row.id);
    let spec_path = bundle.join("config.json");
    let spec: Spec = serde_json::from_slice(
        &std::fs::read(&spec_path).with_context(|| format!("reading {}", spec_path.display()))?,
    )
    .with_context(|| format!("parsing {}", spec_path.display()))?;
    let rootfs = spec::rootfs(&spec, &bundle)?;
    let process = spec::exec_process(&spec, &rootfs, &plan.options, CapSet::detect()).map_err(
        |e| match e {
            SpecError::User(u) => crate::cmd::WithExitCode {
                code: 126,
                error: u.into(),
            }
            .into(),
            other => anyhow::Error::from(other),
        },
    )?;
    let work = WorkDir::create(&host.layout.state_root)?;
    let process_path = work.0.join("process.json");
    std::fs::write(&process_path, serde_json::to_vec(&process)?)
        .with_context(|| format!("writing {}", process_path.display()))?;
    let rt = host.runtime(&cfg)?;
    let request = |detach: bool, console: Option<PathBuf>, stdio: StdioFds| ExecRequest {
        id: row.id.clone(),
        process: process_path.clone(),
        detach,
        console_socket: console,
        pid_file: Some(work.0.join("exec.pid")),
        stdio,
    };
    match plan.mode {
        Mode::Pipes => {
            // runc prints its own failures on its stderr, which a detached
            // process inherits: give it a pipe, dropped unread if the exec
            // fails (the error carries the message), else copied to ours.
            crate::sys::process::set_child_subreaper().context("becoming a child subreaper")?;
            let (err_r, err_w) = crate::sys::process::pipe()?;
            let dup = |fd: std::os::fd::BorrowedFd<'_>| fd.try_clone_to_owned();
            let stdio = StdioFds {
                stdin: if plan.interactive {
                    Some(dup(std::io::stdin().as_fd())?)
                } else {
                    None
                },
                stdout: Some(dup(std::io::stdout().as_fd())?),
                stderr: Some(err_w),
            };
            rt.exec(request(true, None, stdio))
                .map_err(|e| exec_failure(&row.id, e))?;
            let pid = read_pid(&work.0.join("exec.pid"))?;
            drop(work);
            let end = pump_until_exit(
                &err_r,
                pid,
                PtyIo {
                    input: None,
                    output: &mut std::io::stderr().lock(),
                    detach_keys: &[],
                    resize_from: None,
                },
            )?;
            match end {
                PtyEnd::Exited(code) => finish(code),
                PtyEnd::Detached => Ok(0),
            }
        }
        Mode::Detached if !plan.options.tty => {
            rt.exec(request(true, None, StdioFds::default()))
                .map_err(|e| exec_failure(&row.id, e))?;
            Ok(0)
        }
        Mode::Detached => {
            let sock = work.0.join("console.sock");
            let listener = bind(&sock)?;
            rt.exec(request(true, Some(sock.clone()), StdioFds::default()))
                .map_err(|e| exec_failure(&row.id, e))?;
            let master = receive_master(&listener, &sock)?;
            drain_in_background(master)?;
            Ok(0)
        }
        Mode::Terminal => {
            // The process is runc's child; once runc exits it is ours.
            crate::sys::process::set_child_subreaper().context("becoming a child subreaper")?;
            let sock = work.0.join("console.sock");
            let listener = bind(&sock)?;
            rt.exec(request(true, Some(sock.clone()), StdioFds::default()))
                .map_err(|e| exec_failure(&row.id, e))?;
            let master = receive_master(&listener, &sock)?;
            let pid = read_pid(&work.0.join("exec.pid"))?;
            drop(work);
            let stdin = std::io::stdin();
            let stdin_fd = stdin.as_raw_fd();
            let stdout_fd = std::io::stdout().as_raw_fd();
            let resize_from = if stdin.is_terminal() {
                Some(stdin_fd)
            } else if std::io::stdout().is_terminal() {
                Some(stdout_fd)
            } else {
                None
            };
            let _raw = if plan.interactive {
                Some(RawMode::enable(stdin_fd).context("setting the terminal to raw mode")?)
            } else {
                None
            };
            let end = pump_until_exit(
                &master,
                pid,
                PtyIo {
                    input: plan.interactive.then_some(stdin_fd),
                    output: &mut std::io::stdout().lock(),
                    detach_keys: &plan.detach_keys,
                    resize_from,
                },
            )?;
            drop(_raw);
            match end {
                PtyEnd::Exited(code) => finish(code),
                PtyEnd::Detached => {
                    // The process keeps its terminal after we are gone.
                    drain_in_background(master)?;
                    eprintln!("read escape sequence");
                    Err(ExitStatus(1).into())
                }
            }
        }
    }
}

/// The exec process's host pid, written by the runtime once it started.
fn read_pid(path: &Path) -> Result<libc::pid_t> {
    std::fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))?
        .trim()
        .parse()
        .with_context(|| format!("bad pid in {}", path.display()))
}

/// Exit with the process's code.
fn finish(code: i32) -> Result<u8> {
    match (code & 0xff) as u8 {
        0 => Ok(0),
        c => Err(ExitStatus(c).into()),
    }
}

fn bind(sock: &Path) -> Result<UnixListener> {
    let l = UnixListener::bind(sock).with_context(|| format!("binding {}", sock.display()))?;
    l.set_nonblocking(true)
        .with_context(|| format!("configuring {}", sock.display()))?;
    Ok(l)
}

/// The pty master the runtime sent on the console socket (it connected and
/// sent it before `runc exec --detach` returned).
fn receive_master(listener: &UnixListener, sock: &Path) -> Result<OwnedFd> {
    let (conn, _) = listener
        .accept()
        .with_context(|| format!("the runtime sent no pty on {}", sock.display()))?;
    conn.set_nonblocking(false)?;
    crate::sys::pty::recv_fd(conn.as_raw_fd())
        .with_context(|| format!("receiving the pty master on {}", sock.display()))
}

/// `exec -dt`, or a detached `exec -it`: keep the pty master open and drain
/// it, as dockerd does, with a `cat` outside our process group (without it
/// the process would get a hangup when this CLI exits).
fn drain_in_background(master: OwnedFd) -> Result<()> {
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

/// How a terminal session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PtyEnd {
    Exited(i32),
    Detached,
}

struct PtyIo<'a> {
    /// User input (a terminal in raw mode), forwarded to the pty.
    input: Option<RawFd>,
    output: &'a mut dyn Write,
    detach_keys: &'a [u8],
    /// Copy this terminal's size to the pty now and on SIGWINCH.
    resize_from: Option<RawFd>,
}

/// Recognises the detach sequence in a byte stream; bytes that start the
/// sequence are held back until it is complete or broken.
struct DetachMatcher<'a> {
    keys: &'a [u8],
    matched: usize,
}

impl DetachMatcher<'_> {
    /// Append to `out` what should go to the process; `true` on detach.
    fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> bool {
        for &b in input {
            if self.keys.is_empty() {
                out.push(b);
                continue;
            }
            if b == self.keys[self.matched] {
                self.matched += 1;
                if self.matched == self.keys.len() {
                    return true;
                }
                continue;
            }
            out.extend_from_slice(&self.keys[..self.matched]);
            self.matched = 0;
            if b == self.keys[0] {
                self.matched = 1;
                if self.keys.len() == 1 {
                    return true;
                }
            } else {
                out.push(b);
            }
        }
        false
    }

    /// The held-back bytes (at end of input).
    fn flush(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.keys[..self.matched]);
        self.matched = 0;
    }
}

fn write_all_fd(fd: RawFd, mut data: &[u8]) -> std::io::Result<()> {
    while !data.is_empty() {
        let n = crate::sys::process::write_fd(fd, data)?;
        data = &data[n..];
    }
    Ok(())
}

/// `Some(code)` once `pid` (our adopted child) has been reaped.
fn reap(pid: libc::pid_t) -> Result<Option<i32>> {
    while let Some((p, status)) = reap_any()? {
        if p == pid {
            return Ok(Some(status.code()));
        }
    }
    Ok(None)
}

/// Copy `source` (a pty master, or the process's stderr pipe) to the output
/// and the input to it, until `pid` exits or the user types the detach keys.
fn pump_until_exit(master: &OwnedFd, pid: libc::pid_t, io: PtyIo) -> Result<PtyEnd> {
    let mfd = master.as_raw_fd();
    let winch = match io.resize_from {
        Some(fd) => {
            if let Ok((r, c)) = window_size(fd) {
                let _ = set_window_size(mfd, r, c);
            }
            Some(WinchPipe::install()?)
        }
        None => None,
    };
    let mut input = io.input;
    let mut matcher = DetachMatcher {
        keys: io.detach_keys,
        matched: 0,
    };
    let mut output_ok = true;
    let mut buf = vec![0u8; 16 * 1024];
    let mut exited = None;
    loop {
        let mut fds = vec![pollfd(mfd, POLLIN)];
        if let Some(fd) = input {
            fds.push(pollfd(fd, POLLIN));
        }
        if let Some(w) = &winch {
            fds.push(pollfd(w.as_raw_fd(), POLLIN));
        }
        poll(&mut fds, 200)?;
        if fds[0].revents & (POLLIN | POLLHUP | POLLERR) != 0 {
            // EIO: every slave fd is closed (the process ended).
            let n = read_fd(mfd, &mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            if output_ok {
                output_ok = io
                    .output
                    .write_all(&buf[..n])
                    .and_then(|_| io.output.flush())
                    .is_ok();
            }
        }
        let mut idx = 1;
        if let Some(fd) = input {
            if fds[idx].revents & (POLLIN | POLLHUP | POLLERR) != 0 {
                let n = read_fd(fd, &mut buf).unwrap_or(0);
                let mut out = Vec::with_capacity(n + io.detach_keys.len());
                if n == 0 {
                    input = None;
                    matcher.flush(&mut out);
                } else if matcher.feed(&buf[..n], &mut out) {
                    let _ = write_all_fd(mfd, &out);
                    return Ok(PtyEnd::Detached);
                }
                // The process may have just exited: a failed write is not ours to report.
                let _ = write_all_fd(mfd, &out);
            }
            idx += 1;
        }
        if let (Some(w), Some(fd)) = (&winch, io.resize_from) {
            if fds[idx].revents & POLLIN != 0 && w.drain() {
                if let Ok((r, c)) = window_size(fd) {
                    let _ = set_window_size(mfd, r, c);
                }
            }
        }
        // A background child may keep the pty open after the process ended.
        if let Some(code) = reap(pid)? {
            exited = Some(code);
            break;
        }
    }
    if let Some(code) = exited {
        // Output written just before the exit.
        crate::sys::process::set_nonblocking(master, true)?;
        while let Ok(n) = read_fd(mfd, &mut buf) {
            if n == 0 || !output_ok {
                break;
            }
            output_ok = io
                .output
                .write_all(&buf[..n])
                .and_then(|_| io.output.flush())
                .is_ok();
        }
        return Ok(PtyEnd::Exited(code));
    }
    loop {
        if let Some(code) = reap(pid)? {
            return Ok(PtyEnd::Exited(code));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> ExecArgs {
        use clap::Parser;
        #[derive(Parser)]
        struct T {
            #[command(flatten)]
            a: ExecArgs,
        }
        T::try_parse_from(std::iter::once("exec").chain(v.iter().copied()))
            .unwrap()
            .a
    }

    #[test]
    fn plan_modes_and_env() {
        std::env::set_var("BERTH_EXEC_TEST_HOST", "h");
        let p = plan(
            &args(&[
                "-e",
                "A=1",
                "-e",
                "BERTH_EXEC_TEST_HOST",
                "-e",
                "NOPE_UNSET_X",
                "c",
                "sh",
                "-c",
                "x",
            ]),
            false,
        )
        .unwrap();
        assert_eq!(p.mode, Mode::Pipes);
        assert_eq!(p.options.args, ["sh", "-c", "x"]);
        assert_eq!(
            p.options.env,
            ["A=1", "BERTH_EXEC_TEST_HOST=h", "NOPE_UNSET_X"]
        );
        assert_eq!(p.detach_keys, DEFAULT_DETACH_KEYS);
        assert_eq!(
            plan(&args(&["-d", "-t", "c", "sh"]), false).unwrap().mode,
            Mode::Detached
        );
        assert_eq!(
            plan(&args(&["-t", "c", "sh"]), false).unwrap().mode,
            Mode::Terminal
        );
        let e = plan(&args(&["-it", "c", "sh"]), false).unwrap_err();
        assert_eq!(e.to_string(), "the input device is not a TTY");
        assert!(plan(&args(&["-it", "c", "sh"]), true).unwrap().interactive);
        assert!(plan(&args(&["-e", "=x", "c", "sh"]), false).is_err());
        let k = plan(&args(&["--detach-keys", "ctrl-a,x", "c", "sh"]), false).unwrap();
        assert_eq!(k.detach_keys, [1, b'x']);
    }

    #[test]
    fn env_file_lines() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("env");
        std::fs::write(&f, "# c\n\nA=1\n  B=x y\nBERTH_SURELY_UNSET_VAR\n").unwrap();
        assert_eq!(
            crate::container::options::read_env_file(&f).unwrap(),
            ["A=1", "B=x y"]
        );
        std::fs::write(&f, "BAD KEY=1\n").unwrap();
        assert!(crate::container::options::read_env_file(&f).is_err());
        assert!(crate::container::options::read_env_file(&d.path().join("missing")).is_err());
    }

    #[test]
    fn detach_matcher_holds_and_releases_prefixes() {
        let mut m = DetachMatcher {
            keys: DEFAULT_DETACH_KEYS,
            matched: 0,
        };
        let mut out = Vec::new();
        assert!(!m.feed(b"a\x10b\x10", &mut out));
        assert_eq!(out, b"a\x10b");
        m.flush(&mut out);
        assert_eq!(out, b"a\x10b\x10");
        out.clear();
        assert!(!m.feed(b"\x10\x10", &mut out));
        assert!(m.feed(b"\x11zz", &mut out));
        assert_eq!(out, b"\x10");
    }

    #[test]
    fn failures_map_to_docker_codes() {
        let f = |class| RuntimeError::Failed {
            verb: "exec",
            message: "exec failed: x".into(),
            class,
        };
        let e = exec_failure("id", f(ExitClass::CommandNotFound));
        assert_eq!(crate::cmd::exit_code_for(&e), 127);
        assert_eq!(
            e.to_string(),
            "OCI runtime exec failed: exec failed: x: unknown"
        );
        assert_eq!(
            crate::cmd::exit_code_for(&exec_failure("id", f(ExitClass::CommandNotInvokable))),
            126
        );
        let e = exec_failure("id", RuntimeError::NotRunning("id".into()));
        assert_eq!(
            (crate::cmd::exit_code_for(&e), e.to_string().as_str()),
            (1, "Container id is not running")
        );
    }

    #[test]
    fn pty_pump_copies_and_detaches() {
        let (master, slave) = crate::sys::pty::open_pty().unwrap();
        // A fake process: the test writes through the slave side.
        write_all_fd(slave.as_raw_fd(), b"hello\n").unwrap();
        let (r, w) = crate::sys::process::pipe().unwrap();
        write_all_fd(w.as_raw_fd(), b"ls\n\x10\x11").unwrap();
        let mut out = Vec::new();
        let end = pump_until_exit(
            &master,
            -1,
            PtyIo {
                input: Some(r.as_raw_fd()),
                output: &mut out,
                detach_keys: DEFAULT_DETACH_KEYS,
                resize_from: None,
            },
        )
        .unwrap();
        assert_eq!(end, PtyEnd::Detached);
        assert_eq!(out, b"hello\r\n");
        let mut got = [0u8; 16];
        let n = read_fd(slave.as_raw_fd(), &mut got).unwrap();
        assert_eq!(&got[..n], b"ls\n");
    }
}
