//! The shim process itself: detach, then supervise the container. The
//! long-lived parts ([`Shim`]: the signalfd, the attach/control listener and
//! its clients, the log writer, the published state) outlive each run
//! ([`Run`]: the container's stdio, its init's pid and pidfd, the OOM
//! counter). One single-threaded `poll` loop ([`Shim::serve`]) serves both
//! while a run is alive and during a restart back-off. See the module doc
//! of [`crate::shim`] for the whole life of a shim.

use super::attach::{self, encode, FrameBuf};
use super::config::{Decision, LogDriver, RunEnd, ShimConfig};
use super::control::{self, Reply, Request};
use super::health::{self, HealthStatus, Monitor, OnFailure};
use super::launch::{Ready, PID_FILE, SHIM_LOG};
use super::logfile::{JsonLogWriter, Stream};
use super::proxy::{Proxy, ProxySlot};
use super::state::{ExitInfo, RunStatus, ShimState};
use super::time::rfc3339_nano;
use super::ShimError;
use crate::events::ContainerEvents;
use crate::runtime::runc::{CreateRequest, OciRuntime, Runc, StdioFds};
use crate::sys::lock::FileLock;
use crate::sys::process::{
    self as sp, pollfd, PidFd, WaitStatus, POLLERR, POLLHUP, POLLIN, POLLOUT,
};
use crate::sys::pty::{recv_fd, set_window_size};
use crate::sys::signalfd::SignalFd;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::io::{AsRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Read buffer for container output: small, allocated once.
const BUF_SIZE: usize = 32 * 1024;
/// A client with this much unsent output pauses reading container output.
const HIGH_WATER: usize = 64 * 1024;
/// Idle time after start-up before the shim trims its resident memory.
const IDLE_TRIM_MS: i32 = 300;
/// Attempts, and the pause between them, at taking the `shim.pid` lock (a
/// status check holds it for an instant; another shim holds it for good).
const PID_LOCK_TRIES: u32 = 50;
const PID_LOCK_PAUSE: Duration = Duration::from_millis(20);
/// How long the first client of a foreground start has to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the runtime's console connection may take to show up after
/// `run` returned (it is queued by then; this only bounds a broken runtime).
const CONSOLE_WAIT_MS: i32 = 1000;
/// How long the exit frames may take to reach the clients.
const EXIT_FRAME_DEADLINE: Duration = Duration::from_secs(2);
/// How long `rm` waits for attached clients to hang up.
const HANGUP_WAIT: Duration = Duration::from_secs(30);
/// Shortest socket timeout used while finishing (a deadline that passed
/// still gets one short try).
const MIN_SOCKET_TIMEOUT: Duration = Duration::from_millis(10);
/// Reads per output during the final drain (bounds a container that keeps
/// a pipe busy from a surviving child).
const DRAIN_MAX_READS: usize = 4096;
/// Signals the shim handles; all but SIGCHLD are forwarded to the container.
const SIGNALS: [i32; 7] = [
    libc::SIGCHLD,
    libc::SIGTERM,
    libc::SIGINT,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
];
/// Forwarded signals that also mean "stop": no restart policy undoes them.
const STOP_SIGNALS: [i32; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGQUIT];

/// Fork, detach and supervise. The parent (the process the CLI spawned)
/// returns `Ok(0)` at once; the detached child never returns.
pub fn run(cfg: ShimConfig) -> Result<u8, ShimError> {
    let io_err = |what: &str, p: &Path| {
        let path = p.to_path_buf();
        let what = what.to_string();
        move |source| ShimError::Io { what, path, source }
    };
    // The CLI made the state dir (`launch::start`). A shim that starts late,
    // after its CLI was killed and the container removed, finds it gone and
    // fails here instead of recreating it.
    let shim_log = cfg.state_dir.join(SHIM_LOG);
    let log_file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&shim_log)
        .map_err(io_err("opening", &shim_log))?;
    let devnull = File::open("/dev/null").map_err(io_err("opening", Path::new("/dev/null")))?;
    match sp::fork_single_threaded().map_err(|source| ShimError::Sys {
        what: "forking the shim",
        source,
    })? {
        sp::Fork::Parent(_) => return Ok(0),
        sp::Fork::Child => {}
    }
    // The detached shim. Nothing but fds 0-2 and these two files is kept.
    let detached = detach(&devnull, &log_file);
    if let Err(e) = &detached {
        // Stderr may not be the log yet.
        let _ = writeln!(&log_file, "shim {}: {e}", cfg.id);
    }
    drop((devnull, log_file));
    let detached = detached.and_then(|()| {
        sp::close_fds_from(3).map_err(|source| ShimError::Sys {
            what: "closing inherited fds",
            source,
        })
    });
    sp::ignore_sigpipe();
    let mut ready = ReadyPipe { sent: false };
    let result = detached.and_then(|()| supervise(&cfg, &mut ready));
    if let Err(e) = &result {
        eprintln!("shim {}: {e}", cfg.id);
        ready.send(&Ready::failed(125, e.to_string()));
    }
    if let Ok(true) = result {
        // The state dir is gone when the attached CLI removed the container.
        // Cleanup also releases the container's networks (the shim links no
        // network code: `berth internal cleanup` does it).
        if (cfg.rm || cfg.network) && cfg.state_dir.exists() {
            exec_cleanup(&cfg);
        }
    }
    sp::exit_immediately(if result.is_ok() { 0 } else { 1 })
}

/// Leave the CLI's session and stdio: `setsid`, stdin from /dev/null,
/// stderr into the shim log. A failure ends the shim (reported on the
/// ready line and in the log).
fn detach(devnull: &File, log: &File) -> Result<(), ShimError> {
    let sys = |what| move |source| ShimError::Sys { what, source };
    sp::setsid().map_err(sys("setsid"))?;
    sp::dup_onto(devnull, 0).map_err(sys("pointing stdin at /dev/null"))?;
    sp::dup_onto(log, 2).map_err(sys("pointing stderr at the shim log"))
}

/// The ready line on fd 1 (a pipe the CLI reads), sent once; fd 1 then
/// points at /dev/null so the CLI's read ends.
struct ReadyPipe {
    sent: bool,
}

impl ReadyPipe {
    fn send(&mut self, r: &Ready) {
        if let Some(line) = self.prepare(r) {
            line.send();
        }
    }

    /// The line to send later (None if one was sent): the caller now owes
    /// it. Built ahead so sending it runs little code (see `Shim::ready`).
    fn prepare(&mut self, r: &Ready) -> Option<ReadyLine> {
        if std::mem::replace(&mut self.sent, true) {
            return None;
        }
        let mut line = serde_json::to_vec(r).unwrap_or_default();
        line.push(b'\n');
        Some(ReadyLine {
            line,
            devnull: File::open("/dev/null"),
        })
    }
}

/// A ready line not sent yet, and /dev/null to point fd 1 at afterwards.
struct ReadyLine {
    line: Vec<u8>,
    devnull: io::Result<File>,
}

impl ReadyLine {
    fn send(self) {
        if let Err(e) = sp::write_fd(1, &self.line) {
            eprintln!("writing the ready line: {e}");
        }
        match self.devnull.and_then(|n| sp::dup_onto(&n, 1)) {
            Ok(()) => {}
            Err(e) => eprintln!("closing the ready pipe: {e}"),
        }
    }
}

/// Why a run did not start: docker's exit code for it and the message.
struct StartFailure {
    code: u8,
    message: String,
}

impl StartFailure {
    fn internal(e: ShimError) -> StartFailure {
        StartFailure {
            code: 125,
            message: e.to_string(),
        }
    }
}

/// Everything after the fork. `Ok(true)` when a container ran and exited
/// for good (so `rm` cleanup applies); `Ok(false)` when it never started
/// (the failure was reported on the ready pipe).
fn supervise(cfg: &ShimConfig, ready: &mut ReadyPipe) -> Result<bool, ShimError> {
    let sd = &cfg.state_dir;
    let io_at = |what: &'static str, p: PathBuf| {
        move |source| ShimError::Io {
            what: what.into(),
            path: p,
            source,
        }
    };
    sp::set_child_subreaper().map_err(|source| ShimError::Sys {
        what: "becoming a subreaper",
        source,
    })?;
    let pid_path = sd.join(PID_FILE);
    let mut lock = None;
    for _ in 0..PID_LOCK_TRIES {
        lock = FileLock::try_exclusive(&pid_path).map_err(io_at("locking", pid_path.clone()))?;
        if lock.is_some() {
            break;
        }
        std::thread::sleep(PID_LOCK_PAUSE);
    }
    let Some(lock) = lock else {
        return Err(ShimError::AlreadyRunning(cfg.id.clone()));
    };
    std::fs::write(&pid_path, format!("{}\n", std::process::id()))
        .map_err(io_at("writing", pid_path.clone()))?;
    let sigfd = SignalFd::new(&SIGNALS).map_err(|source| ShimError::Sys {
        what: "creating the signalfd",
        source,
    })?;
    for stale in [
        super::state::STATE_FILE,
        attach::SOCKET_NAME,
        CONSOLE_SOCKET,
        INIT_PID_FILE,
    ] {
        let _ = std::fs::remove_file(sd.join(stale));
    }
    let sock_path = sd.join(attach::SOCKET_NAME);
    let listener =
        crate::sys::unix_socket::bind(&sock_path).map_err(io_at("binding", sock_path.clone()))?;
    listener
        .set_nonblocking(true)
        .map_err(io_at("binding", sock_path.clone()))?;
    // Published host ports are held before the first run, so a port taken
    // since the CLI's check fails the start (125) instead of publishing
    // nothing.
    let proxy = Proxy::bind(&cfg.ports).map_err(|e| ShimError::Port(e.moby28()))?;
    let log = match &cfg.log {
        LogDriver::JsonFile(c) => {
            Some(JsonLogWriter::open(c.clone()).map_err(io_at("opening", c.path.clone()))?)
        }
        LogDriver::None => None,
    };
    let mut shim = Shim {
        cfg,
        events: cfg.events.clone(),
        rt: Runc::for_shim(cfg.runtime.clone(), cfg.runtime_root.clone(), sd.clone()),
        sigfd,
        listener,
        clients: Vec::new(),
        log,
        log_failed: false,
        buf: vec![0u8; BUF_SIZE],
        state: ShimState {
            generation: 0,
            status: RunStatus::Created,
            pid: 0,
            restart_count: 0,
            started_at: String::new(),
            exit: None,
            restart_policy: cfg.restart,
            stopped_by_user: false,
            error: String::new(),
        },
        stop_requested: false,
        trimmed: false,
        probe_ended: false,
        run_untrimmed: true,
        idle_trim_due: false,
        ready: None,
        health: cfg.health.clone().map(|h| {
            Monitor::new(
                h,
                sd.clone(),
                cfg.runtime.clone(),
                cfg.runtime_root.clone(),
                cfg.id.clone(),
            )
        }),
        health_restart: false,
        kill_at: None,
        proxy,
    };
    // A foreground client attaches before the container exists, so the
    // runtime can create and start it in one invocation (`run --detach`)
    // and no early output is lost.
    if cfg.wait_attach.is_some() {
        if let Err(e) = sp::write_fd(1, super::launch::LISTENING_LINE) {
            eprintln!("writing the listening line: {e}");
        }
        shim.wait_first_client()?;
    }
    let first = match shim.start_run() {
        Ok(run) => run,
        Err(f) => {
            // The ports are free again before the CLI hears of the failure.
            shim.proxy = Proxy::default();
            shim.emit_volumes("unmount");
            ready.send(&Ready::failed(f.code, f.message));
            return Ok(false);
        }
    };
    let started = Ready::started(first.pid as u32);
    if cfg.wait_attach.is_some() {
        ready.send(&started);
    } else {
        // A detached start (`run -d`, `start`) returns once the shim has
        // given back what starting touched, at the loop's first idle
        // moment: from then on the shim is at its idle size.
        shim.ready = ready.prepare(&started);
    }
    if let Err(e) = shim.runs(first) {
        // The container may still run: the state says the shim gave up
        // watching it, and the CLI asks the runtime.
        shim.send_ready();
        shim.state.error = e.to_string();
        shim.publish();
        return Err(e);
    }
    shim.send_ready();
    shim.finish();
    drop(lock);
    if cfg.rm {
        shim.wait_hangup();
    }
    Ok(true)
}

/// The runtime's console socket and pid file in the state dir.
const CONSOLE_SOCKET: &str = "console.sock";
const INIT_PID_FILE: &str = "init.pid";

/// One run of the container: its stdio as the shim holds it and its init.
struct Run {
    outputs: Vec<(OwnedFd, Stream)>,
    stdin: Option<OwnedFd>,
    stdin_pending: Vec<u8>,
    close_stdin_when_flushed: bool,
    /// The pty master (for resizes) with a tty.
    master: Option<OwnedFd>,
    pid: i32,
    pidfd: PidFd,
    status: Option<WaitStatus>,
    oom: Option<OomCounter>,
    started: Instant,
}

/// The container's stdio right after the runtime started it.
struct RunIo {
    outputs: Vec<(OwnedFd, Stream)>,
    stdin: Option<OwnedFd>,
    master: Option<OwnedFd>,
}

/// One attached (or control) client.
struct Conn {
    sock: UnixStream,
    frames: FrameBuf,
    flags: u8,
    said_hello: bool,
    /// A control connection: closed once its reply is out.
    control: bool,
    out: Vec<u8>,
    dead: bool,
}

impl Conn {
    fn new(sock: UnixStream) -> Conn {
        Conn {
            sock,
            frames: FrameBuf::default(),
            flags: 0,
            said_hello: false,
            control: false,
            out: Vec::new(),
            dead: false,
        }
    }

    fn queue(&mut self, kind: u8, payload: &[u8]) {
        encode(&mut self.out, kind, payload);
    }

    /// Write as much queued output as the socket takes.
    fn flush(&mut self) {
        while !self.out.is_empty() && !self.dead {
            match (&self.sock).write(&self.out) {
                Ok(0) => self.dead = true,
                Ok(n) => {
                    self.out.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => self.dead = true,
            }
        }
        if self.out.is_empty() && self.control {
            self.dead = true;
        }
        if self.out.is_empty() && self.out.capacity() > HIGH_WATER {
            self.out = Vec::new();
        }
    }
}

/// What one entry of the poll set is.
#[derive(Clone, Copy)]
enum Slot {
    Signals,
    Listener,
    Output(usize),
    Stdin,
    Client(usize),
    Proxy(ProxySlot),
}

/// The long-lived half of the shim.
struct Shim<'a> {
    cfg: &'a ShimConfig,
    /// What the container's events carry: `cfg.events`, with the name a
    /// `rename` sent since (see [`Request::Rename`]).
    events: Option<ContainerEvents>,
    rt: Runc,
    sigfd: SignalFd,
    listener: UnixListener,
    clients: Vec<Conn>,
    log: Option<JsonLogWriter>,
    log_failed: bool,
    buf: Vec<u8>,
    state: ShimState,
    /// A stop signal came: the policy restarts nothing any more.
    stop_requested: bool,
    /// Start-up memory has been given back.
    trimmed: bool,
    /// A probe ended since the last trim (see `serve`).
    probe_ended: bool,
    /// A run started since the last trim: what starting it touched is
    /// still resident (see `serve`).
    run_untrimmed: bool,
    /// The loop was idle for IDLE_TRIM_MS: trim before the next poll.
    idle_trim_due: bool,
    /// A detached start's ready line, sent after the first trim.
    ready: Option<ReadyLine>,
    /// The healthcheck monitor, with a healthcheck.
    health: Option<Monitor>,
    /// `--health-on-failure restart` killed the run: run it again.
    health_restart: bool,
    /// `--health-on-failure stop`: SIGKILL at this moment if still alive.
    kill_at: Option<Instant>,
    /// The published host ports, held and proxied ([`super::proxy`]).
    proxy: Proxy,
}

impl Shim<'_> {
    /// Record the container event `action` (see [`crate::events`]).
    fn emit(&self, action: &str, extra: &[(&str, String)]) {
        if let Some(ev) = &self.events {
            ev.emit(action, extra);
        }
    }

    /// Record the `volume` event `action` of each named volume it mounts.
    fn emit_volumes(&self, action: &str) {
        if let Some(ev) = &self.events {
            ev.emit_volumes(action);
        }
    }

    /// Publish the state; a failure is logged (the next change retries).
    fn publish(&mut self) {
        if let Err(e) = self.state.publish(&self.cfg.state_dir) {
            eprintln!("shim {}: publishing the state: {e}", self.cfg.id);
        }
    }

    /// Watch runs until the restart policy lets the container stay exited.
    fn runs(&mut self, first: Run) -> Result<(), ShimError> {
        let mut attempt = Ok(first);
        let mut delay = None;
        loop {
            let (exit, ran_for) = match attempt {
                Ok(run) => {
                    let (exit, ran_for) = self.watch(run)?;
                    // Docker's order: oom, the volumes' unmount (moby's
                    // Cleanup), then die with the code and the run's length
                    // in whole seconds.
                    if exit.oom_killed {
                        self.emit("oom", &[]);
                    }
                    self.emit_volumes("unmount");
                    self.emit(
                        "die",
                        &[
                            ("exitCode", exit.exit_code.to_string()),
                            ("execDuration", ran_for.as_secs().to_string()),
                        ],
                    );
                    (exit, ran_for)
                }
                Err(f) => {
                    self.emit_volumes("unmount");
                    (self.failed_start(f), Duration::ZERO)
                }
            };
            let end = RunEnd {
                exit_code: exit.exit_code,
                stopped: self.stop_requested,
                ran_for,
            };
            self.state.exit = Some(exit);
            let policy = self.state.restart_policy;
            let decision = if std::mem::take(&mut self.health_restart) && !self.stop_requested {
                // podman's `--health-on-failure restart`: whatever the policy.
                Decision::Restart(super::config::RESTART_DELAY_START)
            } else {
                policy.decide(end, self.state.restart_count, delay)
            };
            let Decision::Restart(d) = decision else {
                return Ok(());
            };
            delay = Some(d);
            // moby counts the restart as it decides it, so `inspect` of a
            // restarting container shows the new count.
            self.state.restart_count += 1;
            self.state.status = RunStatus::Restarting;
            self.publish();
            // A foreground `run`/`start -a` ends with this run, as docker's
            // waits for the next exit: attached clients get its code.
            let code = self.state.exit.as_ref().map_or(255, |e| e.exit_code);
            self.send_exit(code, true);
            // The previous run's runtime state must go before the id can
            // be used again.
            if let Err(e) = self.rt.delete(&self.cfg.id, true) {
                eprintln!("shim {}: deleting the previous run: {e}", self.cfg.id);
            }
            self.serve(None, Some(Instant::now() + d))?;
            if self.stop_requested {
                return Ok(());
            }
            attempt = self.start_run();
            // What starting the run touched is given back at the next idle
            // moment (a crash loop must not grow the shim).
            self.trimmed = false;
        }
    }

    /// A run that did not start: its exit record.
    fn failed_start(&mut self, f: StartFailure) -> ExitInfo {
        eprintln!(
            "shim {}: starting the container: {}",
            self.cfg.id, f.message
        );
        self.state.generation += 1;
        self.state.pid = 0;
        self.state.started_at = rfc3339_nano(SystemTime::now());
        ExitInfo {
            exit_code: i32::from(f.code),
            finished_at: rfc3339_nano(SystemTime::now()),
            oom_killed: false,
            pid: 0,
            error: f.message,
            restart_count: self.state.restart_count,
        }
    }

    /// Start the next run through the runtime (`run --detach`) and publish
    /// it as running.
    fn start_run(&mut self) -> Result<Run, StartFailure> {
        // moby records each volume's mount as it builds a run's spec.
        self.emit_volumes("mount");
        // The OOM-kill count before the run: a run can be OOM-killed before
        // the shim gets to read the counter after it starts.
        let oom_base = OomCounter::baseline(&self.cfg.id);
        let sd = &self.cfg.state_dir;
        let pid_file = sd.join(INIT_PID_FILE);
        let _ = std::fs::remove_file(&pid_file);
        let console = if self.cfg.tty {
            let path = sd.join(CONSOLE_SOCKET);
            let _ = std::fs::remove_file(&path);
            let l = crate::sys::unix_socket::bind(&path).map_err(|source| {
                StartFailure::internal(ShimError::Io {
                    what: "binding".into(),
                    path: path.clone(),
                    source,
                })
            })?;
            Some((l, path))
        } else {
            None
        };
        let (stdio, mut io) = if self.cfg.tty {
            let io = RunIo {
                outputs: Vec::new(),
                stdin: None,
                master: None,
            };
            (StdioFds::default(), io)
        } else {
            container_pipes(self.cfg.stdin).map_err(StartFailure::internal)?
        };
        let req = CreateRequest {
            id: self.cfg.id.clone(),
            bundle: self.cfg.bundle.clone(),
            pid_file: Some(pid_file.clone()),
            console_socket: console.as_ref().map(|(_, p)| p.clone()),
            stdio,
        };
        let started = self.rt.run(req).map_err(|e| StartFailure {
            code: e.exit_class().exit_code(),
            message: e.to_string(),
        });
        let started = started.and_then(|()| match &console {
            Some((l, _)) => {
                let master = receive_console(l).map_err(StartFailure::internal)?;
                io = tty_io(master, self.cfg.stdin).map_err(StartFailure::internal)?;
                Ok(())
            }
            None => Ok(()),
        });
        if let Some((_, path)) = &console {
            let _ = std::fs::remove_file(path);
        }
        let run = started.and_then(|()| {
            let pid = read_pid(&pid_file).map_err(|source| {
                StartFailure::internal(ShimError::Io {
                    what: "reading".into(),
                    path: pid_file.clone(),
                    source,
                })
            })?;
            let pidfd = PidFd::open(pid).map_err(|source| {
                StartFailure::internal(ShimError::Sys {
                    what: "opening a pidfd for the container",
                    source,
                })
            })?;
            Ok(Run {
                outputs: io.outputs,
                stdin: io.stdin,
                stdin_pending: Vec::new(),
                close_stdin_when_flushed: false,
                master: io.master,
                pid,
                pidfd,
                status: None,
                oom: OomCounter::for_run(&self.cfg.id, pid, oom_base),
                started: Instant::now(),
            })
        });
        match run {
            Ok(run) => {
                self.state.generation += 1;
                self.state.status = RunStatus::Running;
                self.state.pid = run.pid as u32;
                let started = Instant::now();
                self.state.started_at = rfc3339_nano(SystemTime::now());
                self.publish();
                // The shim records every run's start (the first one too),
                // so it always precedes that run's die.
                self.emit("start", &[]);
                self.kill_at = None;
                self.run_untrimmed = true;
                if let Some(m) = &mut self.health {
                    m.run_started(&self.cfg.bundle, started);
                }
                Ok(run)
            }
            Err(f) => {
                // Leave nothing half-made behind.
                let _ = self.rt.delete(&self.cfg.id, true);
                Err(f)
            }
        }
    }

    /// Serve until the run's init has exited, then drain its output; its
    /// exit record and how long it ran.
    fn watch(&mut self, mut run: Run) -> Result<(ExitInfo, Duration), ShimError> {
        self.reap(Some(&mut run));
        let served = self.serve(Some(&mut run), None);
        if let Some(m) = &mut self.health {
            m.run_ended();
        }
        served?;
        let code = run.status.map_or(255, WaitStatus::code);
        // The kernel counts an OOM kill after it sent the SIGKILL: a
        // process killed that way may be reaped before the counter moves
        // (longer on a loaded host). A SIGKILL the user asked for (stop,
        // kill) does not wait for it.
        let oom_killed = run.oom.as_ref().is_some_and(|o| {
            o.fired()
                || (code == 128 + 9 && !self.stop_requested && o.fires_within(OOM_COUNT_GRACE))
        });
        for i in 0..run.outputs.len() {
            let mut reads = 0;
            while reads < DRAIN_MAX_READS && self.read_output_drain(&mut run, i) {
                reads += 1;
            }
        }
        if let Some(log) = &mut self.log {
            let _ = log.flush_partial(SystemTime::now());
        }
        Ok((
            ExitInfo {
                exit_code: code,
                finished_at: rfc3339_nano(SystemTime::now()),
                oom_killed,
                pid: run.pid as u32,
                error: String::new(),
                restart_count: self.state.restart_count,
            },
            run.started.elapsed(),
        ))
    }

    /// `wait_attach`: block until a client has said hello, or until the
    /// CLI that reads our ready pipe has gone (then start unattached).
    /// Control requests are answered meanwhile.
    fn wait_first_client(&mut self) -> Result<(), ShimError> {
        loop {
            let mut p = [pollfd(self.listener.as_raw_fd(), POLLIN), pollfd(1, 0)];
            poll(&mut p, -1)?;
            if p[1].revents & (POLLERR | POLLHUP) != 0 {
                return Ok(());
            }
            if p[0].revents & POLLIN == 0 {
                continue;
            }
            let Ok((sock, _)) = self.listener.accept() else {
                continue;
            };
            let mut c = Conn::new(sock);
            let _ = c.sock.set_nonblocking(false);
            let _ = c.sock.set_read_timeout(Some(HELLO_TIMEOUT));
            let mut b = [0u8; 64];
            while !c.said_hello && !c.control && !c.dead {
                match c.sock.read(&mut b) {
                    Ok(0) | Err(_) => c.dead = true,
                    Ok(n) => {
                        c.frames.push(&b[..n]);
                        self.client_frames(&mut c, None);
                    }
                }
            }
            c.flush();
            let _ = c.sock.set_nonblocking(true);
            if c.said_hello && !c.dead {
                self.clients.push(c);
                return Ok(());
            }
        }
    }

    /// Handle the frames a client has sent.
    fn client_frames(&mut self, c: &mut Conn, mut run: Option<&mut Run>) {
        loop {
            let (kind, p) = match c.frames.next_frame() {
                Ok(Some(f)) => f,
                Ok(None) => return,
                Err(_) => {
                    c.dead = true;
                    return;
                }
            };
            if !c.said_hello {
                match kind {
                    attach::HELLO if p.len() == 1 && !c.control => {
                        c.flags = p[0];
                        c.said_hello = true;
                        c.queue(
                            attach::WELCOME,
                            &[if self.cfg.tty { attach::HAS_TTY } else { 0 }],
                        );
                    }
                    attach::CONTROL if !c.control => {
                        c.control = true;
                        let reply = match control::decode_request(&p) {
                            Ok(req) => self.control(req),
                            Err(e) => Reply::Error {
                                message: format!("malformed request: {e}"),
                            },
                        };
                        c.queue(attach::REPLY, &control::encode_reply(&reply));
                    }
                    _ => {
                        c.dead = true;
                        return;
                    }
                }
                continue;
            }
            match (kind, run.as_deref_mut()) {
                (attach::STDIN, Some(r))
                    if c.flags & attach::WANT_STDIN != 0 && r.stdin.is_some() =>
                {
                    r.stdin_pending.extend_from_slice(&p)
                }
                (attach::CLOSE_STDIN, Some(r)) if !self.cfg.tty => {
                    r.close_stdin_when_flushed = true
                }
                (attach::RESIZE, Some(r)) if p.len() == 4 => {
                    if let Some(m) = &r.master {
                        let rows = u16::from_be_bytes([p[0], p[1]]);
                        let cols = u16::from_be_bytes([p[2], p[3]]);
                        let _ = set_window_size(m.as_raw_fd(), rows, cols);
                    }
                }
                (attach::STDIN | attach::CLOSE_STDIN | attach::RESIZE, _) => {}
                _ => {
                    c.dead = true;
                    return;
                }
            }
        }
    }

    /// Apply one control request; the reply carries the state after it.
    fn control(&mut self, req: Request) -> Reply {
        match req {
            Request::State => {}
            Request::SetRestartPolicy { policy } => {
                self.state.restart_policy = policy;
                self.publish();
            }
            Request::Rename { name } => {
                if let Some(ev) = &mut self.events {
                    ev.name = name;
                }
            }
            Request::Ports { ports } => {
                if let Err(e) = self.proxy.replace(&ports) {
                    return Reply::Error {
                        message: e.to_string(),
                    };
                }
            }
            Request::MarkStopped => {
                self.stop_requested = true;
                if !self.state.stopped_by_user {
                    self.state.stopped_by_user = true;
                    self.publish();
                }
            }
        }
        Reply::Ok {
            state: self.state.clone(),
        }
    }

    /// Read what one output fd has; `false` at end of stream.
    fn read_output(&mut self, run: &mut Run, idx: usize) -> bool {
        let (fd, stream) = (run.outputs[idx].0.as_raw_fd(), run.outputs[idx].1);
        match sp::read_fd(fd, &mut self.buf) {
            Ok(0) => false,
            Ok(n) => {
                let data = &self.buf[..n];
                if let Some(log) = &mut self.log {
                    if let Err(e) = log.write(stream, data, SystemTime::now()) {
                        if !self.log_failed {
                            eprintln!(
                                "writing the container log {}: {}",
                                log.path().display(),
                                crate::cmd::render_chain(&e)
                            );
                            self.log_failed = true;
                        }
                    }
                }
                let (kind, want) = match stream {
                    Stream::Stdout => (attach::STDOUT, attach::WANT_STDOUT),
                    Stream::Stderr => (attach::STDERR, attach::WANT_STDERR),
                };
                for c in self
                    .clients
                    .iter_mut()
                    .filter(|c| c.said_hello && c.flags & want != 0)
                {
                    c.queue(kind, data);
                    c.flush();
                }
                true
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => true,
            // EIO: the pty's other side is closed.
            Err(_) => false,
        }
    }

    /// One read during the final drain; `false` when nothing more comes now.
    fn read_output_drain(&mut self, run: &mut Run, idx: usize) -> bool {
        let fd = run.outputs[idx].0.as_raw_fd();
        let mut p = [pollfd(fd, POLLIN)];
        if sp::poll(&mut p, 0).unwrap_or(0) == 0 || p[0].revents & POLLIN == 0 {
            return false;
        }
        self.read_output(run, idx)
    }

    /// Reap every exited child (we are a subreaper); note the run's init.
    fn reap(&mut self, mut run: Option<&mut Run>) {
        while let Ok(Some((p, st))) = sp::reap_any() {
            if self.health.as_mut().is_some_and(|m| m.reaped(p, st)) {
                continue;
            }
            if let Some(r) = run.as_deref_mut().filter(|r| r.pid == p) {
                r.status = Some(st);
            }
        }
    }

    /// The loop: with a run, until its init has exited; without, until
    /// `until` or a stop signal (a restart back-off). EINTR is retried;
    /// another poll error is returned (it ends the shim).
    fn serve(
        &mut self,
        mut run: Option<&mut Run>,
        until: Option<Instant>,
    ) -> Result<(), ShimError> {
        let mut pfds: Vec<libc::pollfd> = Vec::new();
        let mut slots: Vec<Slot> = Vec::new();
        loop {
            match run.as_deref() {
                Some(r) if r.status.is_some() => return Ok(()),
                None if self.stop_requested || until.is_some_and(|t| Instant::now() >= t) => {
                    return Ok(())
                }
                _ => {}
            }
            let mut wake = None;
            if let Some(r) = run.as_deref_mut() {
                wake = self.health_tick(r);
            }
            self.proxy.expire(Instant::now());
            wake = match (wake, self.proxy.next_deadline()) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            pfds.clear();
            slots.clear();
            let mut add = |fd, ev, slot| {
                pfds.push(pollfd(fd, ev));
                slots.push(slot);
            };
            add(self.sigfd.as_raw_fd(), POLLIN, Slot::Signals);
            add(self.listener.as_raw_fd(), POLLIN, Slot::Listener);
            let paused = self.clients.iter().any(|c| c.out.len() >= HIGH_WATER);
            let mut take_input = true;
            if let Some(r) = run.as_deref() {
                for (i, (fd, _)) in r.outputs.iter().enumerate() {
                    add(
                        fd.as_raw_fd(),
                        if paused { 0 } else { POLLIN },
                        Slot::Output(i),
                    );
                }
                if let (Some(fd), false) = (&r.stdin, r.stdin_pending.is_empty()) {
                    add(fd.as_raw_fd(), POLLOUT, Slot::Stdin);
                }
                take_input = r.stdin_pending.len() < HIGH_WATER;
            }
            for (i, c) in self.clients.iter().enumerate() {
                let mut ev = if take_input { POLLIN } else { 0 };
                if !c.out.is_empty() {
                    ev |= POLLOUT;
                }
                add(c.sock.as_raw_fd(), ev, Slot::Client(i));
            }
            self.proxy
                .poll_set(&mut |fd, ev, slot| add(fd, ev, Slot::Proxy(slot)));
            // The first time the loop goes idle, drop the memory start-up
            // touched; what the loop needs comes back on demand.
            let left = until.or(wake).map(|t| {
                let ms = t.saturating_duration_since(Instant::now()).as_millis() + 1;
                i32::try_from(ms).unwrap_or(i32::MAX)
            });
            // A probe just ended and the next one is further away than the
            // idle threshold: what the loop touched goes now, not
            // IDLE_TRIM_MS later (with a probe every second the shim would
            // spend a third of its time at that size). With probes closer
            // than that the loop never idles: the first probe's end gives
            // back what starting the run touched.
            //
            // Every trim happens here, right before the poll, so the code
            // that runs after it until the loop sleeps is only the poll's:
            // trimming elsewhere (at a poll timeout) let the loop's top
            // (the health timers, building the poll set) fault its code
            // back in, ~400 kB of it with the kernel's fault-around.
            // A run that just started with no client attached (a detached
            // start) is trimmed at its first idle moment, before its ready
            // line goes out (so the CLI returns after it), and again after.
            let probing = self.health.as_ref().is_some_and(Monitor::probing);
            let probe_trim = std::mem::take(&mut self.probe_ended)
                && !probing
                && (self.run_untrimmed || left.is_some_and(|l| l >= IDLE_TRIM_MS));
            let start_trim = self.run_untrimmed && self.clients.is_empty() && !probing;
            if !self.trimmed && (std::mem::take(&mut self.idle_trim_due) || probe_trim) {
                self.trim();
            }
            if self.ready.is_some() && (self.trimmed || !start_trim) {
                // Sending faults in its own code (~400 kB with the
                // fault-around): give that back too, while the CLI exits.
                let trimmed = self.trimmed;
                self.send_ready();
                if trimmed {
                    self.trim();
                }
            }
            let mut timeout = if self.trimmed { -1 } else { IDLE_TRIM_MS };
            // A poll that times out after IDLE_TRIM_MS means the loop was
            // idle that long; one cut short by a timer does not.
            let mut idle_wait = !self.trimmed;
            if let Some(left) = left {
                if timeout < 0 || left < timeout {
                    idle_wait = false;
                }
                timeout = if timeout < 0 { left } else { timeout.min(left) };
            }
            if start_trim && !self.trimmed {
                // The first idle moment after a start: nothing pending (the
                // runtime's SIGCHLD is, at first), not a fixed wait.
                timeout = 0;
                idle_wait = true;
            }
            if poll(&mut pfds, timeout)? == 0 {
                if idle_wait && until.is_none_or(|t| Instant::now() < t) {
                    self.idle_trim_due = true;
                }
                continue;
            }
            let mut closed = Vec::new();
            let mut accept = false;
            let mut proxied = false;
            // Container-side fds first (their output goes to the clients),
            // then the clients, taken out of `self` while they are handled.
            for (pfd, slot) in pfds.iter().zip(&slots) {
                let rev = pfd.revents;
                match *slot {
                    Slot::Signals if rev & POLLIN != 0 => self.signals(run.as_deref_mut()),
                    Slot::Listener => accept = rev & POLLIN != 0,
                    Slot::Output(i) if rev & (POLLIN | POLLHUP | POLLERR) != 0 => {
                        if let Some(r) = run.as_deref_mut() {
                            if !self.read_output(r, i) {
                                closed.push(i);
                            }
                        }
                    }
                    Slot::Stdin if rev & (POLLOUT | POLLERR) != 0 => {
                        if let Some(r) = run.as_deref_mut() {
                            write_stdin(r);
                        }
                    }
                    Slot::Proxy(p) if rev != 0 => {
                        self.proxy.ready(p, rev);
                        proxied = true;
                    }
                    _ => {}
                }
            }
            self.proxy.sweep();
            if proxied {
                // What proxying touched (its code, the copy buffers) is
                // given back once the loop idles again.
                self.trimmed = false;
            }
            let mut clients = std::mem::take(&mut self.clients);
            for (pfd, slot) in pfds.iter().zip(&slots) {
                let Slot::Client(i) = *slot else {
                    continue;
                };
                let c = &mut clients[i];
                if pfd.revents & (POLLIN | POLLHUP | POLLERR) != 0 {
                    let mut b = [0u8; 4096];
                    match (&c.sock).read(&mut b) {
                        Ok(0) => c.dead = true,
                        Ok(n) => {
                            c.frames.push(&b[..n]);
                            self.client_frames(c, run.as_deref_mut());
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                        Err(_) => c.dead = true,
                    }
                }
                c.flush();
            }
            clients.retain(|c| !c.dead);
            clients.append(&mut self.clients);
            self.clients = clients;
            if let Some(r) = run.as_deref_mut() {
                if !r.stdin_pending.is_empty() || r.close_stdin_when_flushed {
                    write_stdin(r);
                }
                for i in closed.into_iter().rev() {
                    r.outputs.remove(i);
                }
            }
            if accept {
                while let Ok((sock, _)) = self.listener.accept() {
                    if sock.set_nonblocking(true).is_ok() {
                        self.clients.push(Conn::new(sock));
                    }
                }
            }
        }
    }

    /// Send a detached start's ready line if it is still owed.
    fn send_ready(&mut self) {
        if let Some(r) = self.ready.take() {
            r.send();
        }
    }

    /// Give back the resident memory the loop does not need now.
    fn trim(&mut self) {
        sp::trim_resident_memory();
        self.trimmed = true;
        self.run_untrimmed = false;
    }

    /// Run the healthcheck's timers for a live run and act on a change
    /// (the event, `--health-on-failure`); the next moment it needs.
    fn health_tick(&mut self, r: &mut Run) -> Option<Instant> {
        if r.status.is_some() {
            return None;
        }
        let events = self.events.as_ref();
        let m = self.health.as_mut()?;
        // The probe child records the events; the shim acts on the change.
        let changed = m.tick(events);
        if std::mem::take(&mut m.activity) {
            // What a probe touched is given back at the next idle moment
            // (a shim probing every second must not keep it).
            self.trimmed = false;
            self.probe_ended = !m.probing();
        }
        let on_failure = m.cfg.on_failure;
        let (stop_signal, stop_timeout) = (m.cfg.stop_signal, m.cfg.stop_timeout);
        let mut wake = m.deadline();
        if let health::Action::Changed(s) = changed {
            if s == HealthStatus::Unhealthy {
                match on_failure {
                    OnFailure::None => {}
                    OnFailure::Kill => {
                        let _ = r.pidfd.send_signal(libc::SIGKILL);
                    }
                    OnFailure::Restart => {
                        self.health_restart = true;
                        let _ = r.pidfd.send_signal(libc::SIGKILL);
                    }
                    OnFailure::Stop => {
                        self.stop_requested = true;
                        self.state.stopped_by_user = true;
                        self.publish();
                        let _ = r.pidfd.send_signal(stop_signal);
                        self.kill_at = Some(Instant::now() + stop_timeout);
                    }
                }
            }
        }
        if let Some(t) = self.kill_at {
            if Instant::now() >= t {
                let _ = r.pidfd.send_signal(libc::SIGKILL);
                self.kill_at = None;
            } else {
                wake = Some(wake.map_or(t, |w| w.min(t)));
            }
        }
        wake
    }

    /// Handle the signals that arrived: reap on SIGCHLD, forward the rest.
    fn signals(&mut self, mut run: Option<&mut Run>) {
        while let Ok(Some(sig)) = self.sigfd.read_signal() {
            if sig == libc::SIGCHLD {
                self.reap(run.as_deref_mut());
                continue;
            }
            if STOP_SIGNALS.contains(&sig) {
                self.stop_requested = true;
            }
            if let Some(r) = run.as_deref() {
                let _ = r.pidfd.send_signal(sig);
            }
        }
    }

    /// The container exited for good: publish it, tell the clients, close
    /// the socket.
    fn finish(&mut self) {
        self.state.status = RunStatus::Exited;
        // Whoever reads the exit may release the container's ports and
        // give them to another: they must be free by then.
        self.proxy = Proxy::default();
        // The bundle's copy first: it is what survives a reboot. A `--rm`
        // container needs none (after a reboot it is removed, not reported),
        // which saves its exit two fsyncs on the data root.
        if !self.cfg.rm {
            if let Err(e) = self.state.publish_durable(&self.cfg.bundle) {
                eprintln!(
                    "shim {}: writing the exit record to the bundle: {e}",
                    self.cfg.id
                );
            }
        }
        // No new client once the exit is out: whoever reads it finds the
        // socket gone (clients already connected get the exit frame).
        let _ = std::fs::remove_file(self.cfg.state_dir.join(attach::SOCKET_NAME));
        self.publish();
        let code = self.state.exit.as_ref().map_or(255, |e| e.exit_code);
        self.send_exit(code, false);
        if !self.cfg.rm {
            self.clients.clear();
        }
    }

    /// Send the exit frame to the attached clients (all clients with
    /// `between_runs` false: the shim is finishing) and flush what they
    /// have queued, up to [`EXIT_FRAME_DEADLINE`]; their write side is shut.
    /// Between runs the attached clients are then dropped, and the others
    /// (control requests) keep being served.
    fn send_exit(&mut self, code: i32, between_runs: bool) {
        let deadline = Instant::now() + EXIT_FRAME_DEADLINE;
        for c in &mut self.clients {
            if between_runs && !c.said_hello {
                continue;
            }
            if c.said_hello {
                c.queue(attach::EXIT, &code.to_be_bytes());
            }
            let _ = c.sock.set_nonblocking(false);
            let _ = c.sock.set_write_timeout(Some(
                deadline
                    .saturating_duration_since(Instant::now())
                    .max(MIN_SOCKET_TIMEOUT),
            ));
            let _ = (&c.sock).write_all(&c.out);
            let _ = c.sock.shutdown(std::net::Shutdown::Write);
        }
        if between_runs {
            self.clients.retain(|c| !c.said_hello);
        }
    }

    /// With `rm`: a foreground `run --rm` removes the container itself
    /// and then hangs up; waiting for that lets the shim skip its own
    /// cleanup (`run` checks whether the state dir is gone). A client that
    /// dies also hangs up, so cleanup still happens then. Called after the
    /// pid lock is released, so the exit is visible while we wait.
    fn wait_hangup(&mut self) {
        let deadline = Instant::now() + HANGUP_WAIT;
        let mut sink = [0u8; 512];
        for c in &mut self.clients {
            let _ = c.sock.set_read_timeout(Some(
                deadline
                    .saturating_duration_since(Instant::now())
                    .max(MIN_SOCKET_TIMEOUT),
            ));
            while matches!((&c.sock).read(&mut sink), Ok(n) if n > 0) {}
        }
        self.clients.clear();
    }
}

/// `poll(2)`; EINTR counts as a timeout (the caller loops), any other
/// error is the shim's end.
fn poll(fds: &mut [libc::pollfd], timeout_ms: i32) -> Result<usize, ShimError> {
    sp::poll(fds, timeout_ms).map_err(|source| ShimError::Sys {
        what: "poll",
        source,
    })
}

/// Feed the run's pending stdin; close it once flushed when asked.
fn write_stdin(run: &mut Run) {
    let Some(fd) = &run.stdin else {
        run.stdin_pending.clear();
        return;
    };
    while !run.stdin_pending.is_empty() {
        match sp::write_fd(fd.as_raw_fd(), &run.stdin_pending) {
            Ok(n) => {
                run.stdin_pending.drain(..n);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(_) => {
                // The container closed its stdin.
                run.stdin = None;
                run.stdin_pending.clear();
                return;
            }
        }
    }
    if run.close_stdin_when_flushed {
        run.stdin = None;
    }
}

/// Without a tty: pipes for stdout and stderr (and stdin with `stdin`),
/// whose child ends go to the runtime (and so the container); the shim
/// keeps the other ends, non-blocking.
fn container_pipes(stdin: bool) -> Result<(StdioFds, RunIo), ShimError> {
    let sys = |what| move |source| ShimError::Sys { what, source };
    let (out_r, out_w) = sp::pipe().map_err(sys("creating the stdout pipe"))?;
    let (err_r, err_w) = sp::pipe().map_err(sys("creating the stderr pipe"))?;
    let (stdin_r, stdin_w) = if stdin {
        let (r, w) = sp::pipe().map_err(sys("creating the stdin pipe"))?;
        (Some(r), Some(w))
    } else {
        (None, None)
    };
    for fd in [&out_r, &err_r] {
        sp::set_nonblocking(fd, true).map_err(sys("setting a pipe non-blocking"))?;
    }
    if let Some(w) = &stdin_w {
        sp::set_nonblocking(w, true).map_err(sys("setting a pipe non-blocking"))?;
    }
    Ok((
        StdioFds {
            stdin: stdin_r,
            stdout: Some(out_w),
            stderr: Some(err_w),
        },
        RunIo {
            outputs: vec![(out_r, Stream::Stdout), (err_r, Stream::Stderr)],
            stdin: stdin_w,
            master: None,
        },
    ))
}

/// The pty master the runtime sent over the console socket (its
/// connection is queued by the time `run --detach` returned).
fn receive_console(l: &UnixListener) -> Result<OwnedFd, ShimError> {
    let sys = |what| move |source| ShimError::Sys { what, source };
    let mut p = [pollfd(l.as_raw_fd(), POLLIN)];
    if poll(&mut p, CONSOLE_WAIT_MS)? == 0 {
        return Err(ShimError::Sys {
            what: "receiving the container's terminal",
            source: io::Error::new(
                io::ErrorKind::TimedOut,
                "the runtime did not send the container's terminal",
            ),
        });
    }
    let (conn, _) = l
        .accept()
        .map_err(sys("accepting the console connection"))?;
    recv_fd(&conn).map_err(sys("receiving the container's terminal"))
}

/// With a tty: the master is the output, the stdin (with `stdin`) and the
/// target of resizes.
fn tty_io(master: OwnedFd, stdin: bool) -> Result<RunIo, ShimError> {
    let sys = |what| move |source| ShimError::Sys { what, source };
    sp::set_nonblocking(&master, true).map_err(sys("setting the terminal non-blocking"))?;
    let input = if stdin {
        Some(
            master
                .try_clone()
                .map_err(sys("duplicating the terminal"))?,
        )
    } else {
        None
    };
    let resize = master
        .try_clone()
        .map_err(sys("duplicating the terminal"))?;
    Ok(RunIo {
        outputs: vec![(master, Stream::Stdout)],
        stdin: input,
        master: Some(resize),
    })
}

/// Read the pid the runtime wrote with `--pid-file`.
fn read_pid(path: &Path) -> io::Result<i32> {
    let s = std::fs::read_to_string(path)?;
    s.trim().parse().map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("bad pid file {}: {s:?}", path.display()),
        )
    })
}

/// How long a run killed by a SIGKILL nobody asked for waits for the OOM
/// counter to catch up.
const OOM_COUNT_GRACE: Duration = Duration::from_millis(1000);

struct OomCounter {
    path: PathBuf,
    start: u64,
}

impl OomCounter {
    /// The counter file of the cgroup the runtime makes for the container
    /// (`runtime::spec::cgroups_path`), known before the run starts.
    fn expected_path(id: &str) -> PathBuf {
        let cg = crate::runtime::spec::cgroups_path(id);
        let v1 = Path::new("/sys/fs/cgroup/memory");
        if v1.is_dir() {
            PathBuf::from(format!("{}{cg}/memory.oom_control", v1.display()))
        } else {
            PathBuf::from(format!("/sys/fs/cgroup{cg}/memory.events"))
        }
    }

    /// The count before a run: 0 for the fresh cgroup the runtime creates.
    fn baseline(id: &str) -> u64 {
        read_oom_kill(&Self::expected_path(id)).unwrap_or(0)
    }

    /// The run's counter: the cgroup its init is in (the one expected, or
    /// where the kernel says the init is, counted from now), or the
    /// expected one when the init is already gone.
    fn for_run(id: &str, pid: i32, base: u64) -> Option<OomCounter> {
        let expected = Self::expected_path(id);
        match Self::for_pid(pid) {
            Some(c) if c.path == expected => Some(OomCounter { start: base, ..c }),
            Some(c) => Some(c),
            None => expected.exists().then_some(OomCounter {
                path: expected,
                start: base,
            }),
        }
    }

    fn for_pid(pid: i32) -> Option<OomCounter> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
        let mut v2 = None;
        for line in text.lines() {
            let mut parts = line.splitn(3, ':');
            let (h, ctl, path) = (parts.next()?, parts.next()?, parts.next()?);
            if ctl.split(',').any(|c| c == "memory") {
                let p = PathBuf::from(format!("/sys/fs/cgroup/memory{path}/memory.oom_control"));
                return Some(OomCounter {
                    start: read_oom_kill(&p)?,
                    path: p,
                });
            }
            if h == "0" && ctl.is_empty() {
                v2 = Some(PathBuf::from(format!("/sys/fs/cgroup{path}/memory.events")));
            }
        }
        let p = v2?;
        Some(OomCounter {
            start: read_oom_kill(&p)?,
            path: p,
        })
    }

    fn fired(&self) -> bool {
        read_oom_kill(&self.path).is_some_and(|n| n > self.start)
    }

    /// Polls the counter for up to `grace` (only for a run that ended by
    /// SIGKILL, so a normal exit never waits).
    fn fires_within(&self, grace: Duration) -> bool {
        let end = Instant::now() + grace;
        while Instant::now() < end {
            std::thread::sleep(Duration::from_millis(5));
            if self.fired() {
                return true;
            }
        }
        false
    }
}

fn read_oom_kill(path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("oom_kill "))
        .and_then(|n| n.trim().parse().ok())
}

/// `rm` or networks: become `berth [globals] internal cleanup <id>` (the
/// lock on shim.pid is released by the exec since it is close-on-exec).
fn exec_cleanup(cfg: &ShimConfig) {
    let err = Command::new("/proc/self/exe")
        .arg0("berth")
        .args(&cfg.global_args)
        .args(["internal", "cleanup"])
        .arg(&cfg.id)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .exec();
    eprintln!("shim {}: exec cleanup: {err}", cfg.id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oom_counter_parses_both_formats() {
        let d = tempfile::tempdir().unwrap();
        let v1 = d.path().join("oom_control");
        std::fs::write(&v1, "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n").unwrap();
        assert_eq!(read_oom_kill(&v1), Some(2));
        let v2 = d.path().join("events");
        std::fs::write(
            &v2,
            "low 0\nhigh 0\nmax 1\noom 1\noom_kill 1\noom_group_kill 0\n",
        )
        .unwrap();
        assert_eq!(read_oom_kill(&v2), Some(1));
    }
}
