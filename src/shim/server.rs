//! The shim process itself: detach, create and start the container through
//! the runtime, then one single-threaded `poll` loop over a signalfd, the
//! attach listener, the container's output (pipes or the pty master), its
//! stdin and the attached clients, until the container's init exits.

use super::attach::{self, encode, FrameBuf};
use super::exit::{ExitInfo, EXIT_FILE};
use super::launch::{Ready, PID_FILE, SHIM_LOG};
use super::logfile::{JsonLogWriter, LogConfig, Stream};
use super::runc::{bundle_command, classify, read_pid, CreateStdio, Runtime};
use super::time::rfc3339_nano;
use super::ShimError;
use crate::sys::lock::FileLock;
use crate::sys::process::{
    self as sp, pollfd, PidFd, WaitStatus, POLLERR, POLLHUP, POLLIN, POLLOUT,
};
use crate::sys::pty::{recv_fd, set_window_size};
use crate::sys::signalfd::SignalFd;
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::io::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Validated shim options (built from `berth internal shim` flags).
#[derive(Debug, Clone)]
pub struct ShimOptions {
    pub id: String,
    pub bundle: PathBuf,
    pub state_dir: PathBuf,
    pub runtime: PathBuf,
    pub runtime_root: PathBuf,
    pub tty: bool,
    pub stdin: bool,
    /// `None` for `--log-driver none`.
    pub log: Option<LogConfig>,
    pub rm: bool,
    pub wait_attach: bool,
    /// Global flags to pass to `berth internal cleanup` (`--rm`).
    pub cleanup_globals: Vec<OsString>,
}

/// Read buffer for container output: small, allocated once.
const BUF_SIZE: usize = 32 * 1024;
/// A client with this much unsent output pauses reading container output.
const HIGH_WATER: usize = 64 * 1024;
/// Idle time after start-up before the shim trims its resident memory.
const IDLE_TRIM_MS: i32 = 300;
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

/// Fork, detach and supervise. The parent (the process the CLI spawned)
/// returns `Ok(0)` at once; the detached child never returns.
pub fn run(opts: ShimOptions) -> Result<u8, ShimError> {
    let io_err = |what: &str, p: &Path| {
        let path = p.to_path_buf();
        let what = what.to_string();
        move |source| ShimError::Io { what, path, source }
    };
    std::fs::create_dir_all(&opts.state_dir).map_err(io_err("creating", &opts.state_dir))?;
    let shim_log = opts.state_dir.join(SHIM_LOG);
    let log_file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&shim_log)
        .map_err(io_err("opening", &shim_log))?;
    let devnull = File::open("/dev/null").map_err(io_err("opening", Path::new("/dev/null")))?;
    match sp::fork_single_threaded().map_err(ShimError::Sys)? {
        sp::Fork::Parent(_) => return Ok(0),
        sp::Fork::Child => {}
    }
    // The detached shim. Nothing but fds 0-2 and these two files is kept.
    let _ = sp::setsid();
    let _ = sp::dup_onto(&devnull, 0);
    let _ = sp::dup_onto(&log_file, 2);
    drop((devnull, log_file));
    let _ = sp::close_fds_from(3);
    sp::ignore_sigpipe();
    let mut ready = ReadyPipe { sent: false };
    let result = detached(&opts, &mut ready);
    if let Err(e) = &result {
        eprintln!("shim {}: {e}", opts.id);
        ready.send(&Ready::failed(125, e.to_string()));
    }
    if let Ok(true) = result {
        // The state dir is gone when the attached CLI removed the container.
        if opts.rm && opts.state_dir.exists() {
            exec_cleanup(&opts);
        }
    }
    sp::exit_immediately(if result.is_ok() { 0 } else { 1 })
}

/// The ready line on fd 1 (a pipe the CLI reads), sent once; fd 1 then
/// points at /dev/null so the CLI's read ends.
struct ReadyPipe {
    sent: bool,
}

impl ReadyPipe {
    fn send(&mut self, r: &Ready) {
        if self.sent {
            return;
        }
        self.sent = true;
        let mut line = serde_json::to_vec(r).unwrap_or_default();
        line.push(b'\n');
        let _ = sp::write_fd(1, &line);
        if let Ok(n) = File::open("/dev/null") {
            let _ = sp::dup_onto(&n, 1);
        }
    }
}

/// Everything after the fork. `Ok(true)` when a container ran and exited
/// (so `--rm` cleanup applies); `Ok(false)` when it never started (the
/// failure was reported on the ready pipe).
fn detached(o: &ShimOptions, ready: &mut ReadyPipe) -> Result<bool, ShimError> {
    let sd = &o.state_dir;
    let io_at = |what: &'static str, p: PathBuf| {
        move |source| ShimError::Io {
            what: what.into(),
            path: p,
            source,
        }
    };
    sp::set_child_subreaper().map_err(ShimError::Sys)?;
    let pid_path = sd.join(PID_FILE);
    // A status check holds the lock for an instant; another shim holds it
    // for good.
    let mut lock = None;
    for _ in 0..50 {
        lock = FileLock::try_exclusive(&pid_path).map_err(io_at("locking", pid_path.clone()))?;
        if lock.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let Some(_lock) = lock else {
        return Err(ShimError::AlreadyRunning(o.id.clone()));
    };
    std::fs::write(&pid_path, format!("{}\n", std::process::id()))
        .map_err(io_at("writing", pid_path.clone()))?;
    let sigfd = SignalFd::new(&SIGNALS).map_err(ShimError::Sys)?;
    for stale in [
        EXIT_FILE,
        attach::SOCKET_NAME,
        "console.sock",
        "init.pid",
        "runtime.log",
    ] {
        let _ = std::fs::remove_file(sd.join(stale));
    }
    let sock_path = sd.join(attach::SOCKET_NAME);
    let listener =
        crate::sys::unix_socket::bind(&sock_path).map_err(io_at("binding", sock_path.clone()))?;
    listener
        .set_nonblocking(true)
        .map_err(io_at("binding", sock_path.clone()))?;

    let rt = Runtime {
        bin: o.runtime.clone(),
        root: o.runtime_root.clone(),
        log: sd.join("runtime.log"),
        id: o.id.clone(),
    };
    let cmd = bundle_command(&o.bundle);
    let pid_file = sd.join("init.pid");
    let log = match &o.log {
        Some(c) => Some(JsonLogWriter::open(c.clone()).map_err(io_at("opening", c.path.clone()))?),
        None => None,
    };
    let mut lp = EventLoop {
        outputs: Vec::new(),
        stdin: None,
        stdin_pending: Vec::new(),
        close_stdin_when_flushed: false,
        master: None,
        tty: o.tty,
        clients: Vec::new(),
        listener,
        log,
        log_failed: false,
        buf: vec![0u8; BUF_SIZE],
        init_pid: 0,
        init_status: None,
    };
    // A foreground client attaches before the container exists, so the
    // runtime can create and start it in one invocation (`run --detach`)
    // and no early output is lost.
    if o.wait_attach {
        lp.wait_first_client();
    }
    let created = if o.tty {
        create_tty(o, &rt, &pid_file)?
    } else {
        create_pipes(o, &rt, &pid_file)?
    };
    let mut io = match created {
        Ok(io) => io,
        Err(msg) => {
            let _ = rt.delete_force();
            ready.send(&Ready::failed(classify(&msg, &cmd), msg));
            return Ok(false);
        }
    };
    let pid = read_pid(&pid_file).map_err(io_at("reading", pid_file.clone()))?;
    let pidfd = PidFd::open(pid).map_err(ShimError::Sys)?;
    let oom = OomCounter::for_pid(pid);
    lp.outputs = std::mem::take(&mut io.outputs);
    lp.stdin = io.stdin.take();
    lp.master = io.master.take();
    lp.init_pid = pid;
    ready.send(&Ready::started(pid as u32));
    let status = lp.run(&sigfd, &pidfd);
    let oom_killed = oom.map(|c| c.fired()).unwrap_or(false);
    lp.finish(o, status.code(), pid, oom_killed);
    drop(_lock);
    lp.wait_hangup();
    Ok(true)
}

/// The container's stdio as the shim holds it.
#[derive(Default)]
struct ContainerIo {
    outputs: Vec<(OwnedFd, Stream)>,
    stdin: Option<OwnedFd>,
    master: Option<OwnedFd>,
}

type Created = Result<Result<ContainerIo, String>, ShimError>;

/// Without a tty: pipes for stdout and stderr (and stdin with `--stdin`),
/// handed to `runtime create`, whose stdio the container inherits.
fn create_pipes(o: &ShimOptions, rt: &Runtime, pid_file: &Path) -> Created {
    let (out_r, out_w) = sp::pipe().map_err(ShimError::Sys)?;
    let (err_r, err_w) = sp::pipe().map_err(ShimError::Sys)?;
    let (stdin_stdio, stdin_w) = if o.stdin {
        let (r, w) = sp::pipe().map_err(ShimError::Sys)?;
        (Stdio::from(r), Some(w))
    } else {
        (Stdio::null(), None)
    };
    let stdio = CreateStdio {
        stdin: stdin_stdio,
        stdout: Stdio::from(out_w),
        stderr: Stdio::from(err_w),
    };
    let mut child = match rt.spawn_create(&o.bundle, pid_file, None, stdio) {
        Ok(c) => c,
        Err(e) => return Ok(Err(format!("running {}: {e}", rt.bin.display()))),
    };
    // Our copies of the child ends were moved into the Command and are
    // closed now that it has been spawned.
    let status = child.wait().map_err(ShimError::Sys)?;
    if !status.success() {
        return Ok(Err(rt.error_message("", status)));
    }
    for fd in [&out_r, &err_r] {
        sp::set_nonblocking(fd, true).map_err(ShimError::Sys)?;
    }
    if let Some(w) = &stdin_w {
        sp::set_nonblocking(w, true).map_err(ShimError::Sys)?;
    }
    Ok(Ok(ContainerIo {
        outputs: vec![(out_r, Stream::Stdout), (err_r, Stream::Stderr)],
        stdin: stdin_w,
        master: None,
    }))
}

/// With a tty: runc connects to our console socket and sends the pty master.
fn create_tty(o: &ShimOptions, rt: &Runtime, pid_file: &Path) -> Created {
    let sock = o.state_dir.join("console.sock");
    let listener = crate::sys::unix_socket::bind(&sock).map_err(|source| ShimError::Io {
        what: "binding".into(),
        path: sock.clone(),
        source,
    })?;
    listener.set_nonblocking(true).map_err(ShimError::Sys)?;
    let stdio = CreateStdio {
        stdin: Stdio::null(),
        stdout: Stdio::null(),
        stderr: Stdio::piped(),
    };
    let mut child = match rt.spawn_create(&o.bundle, pid_file, Some(&sock), stdio) {
        Ok(c) => c,
        Err(e) => return Ok(Err(format!("running {}: {e}", rt.bin.display()))),
    };
    let mut master: Option<OwnedFd> = None;
    let status = loop {
        if master.is_none() {
            let mut p = [pollfd(listener.as_raw_fd(), POLLIN)];
            let _ = sp::poll(&mut p, 50);
            if let Ok((conn, _)) = listener.accept() {
                let _ = conn.set_nonblocking(false);
                match recv_fd(&conn) {
                    Ok(fd) => master = Some(fd),
                    Err(e) => eprintln!("shim {}: console socket: {e}", o.id),
                }
            }
        } else {
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Some(st) = child.try_wait().map_err(ShimError::Sys)? {
            break st;
        }
    };
    let _ = std::fs::remove_file(&sock);
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    if !status.success() {
        return Ok(Err(rt.error_message(&stderr, status)));
    }
    let Some(master) = master else {
        return Ok(Err(
            "the runtime did not send the container's terminal".into()
        ));
    };
    sp::set_nonblocking(&master, true).map_err(ShimError::Sys)?;
    let stdin = if o.stdin {
        Some(master.try_clone().map_err(ShimError::Sys)?)
    } else {
        None
    };
    let resize = master.try_clone().map_err(ShimError::Sys)?;
    Ok(Ok(ContainerIo {
        outputs: vec![(master, Stream::Stdout)],
        stdin,
        master: Some(resize),
    }))
}

/// One attached client.
struct Conn {
    sock: UnixStream,
    frames: FrameBuf,
    flags: u8,
    said_hello: bool,
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
        if self.out.is_empty() && self.out.capacity() > HIGH_WATER {
            self.out = Vec::new();
        }
    }
}

struct EventLoop {
    outputs: Vec<(OwnedFd, Stream)>,
    stdin: Option<OwnedFd>,
    stdin_pending: Vec<u8>,
    close_stdin_when_flushed: bool,
    master: Option<OwnedFd>,
    tty: bool,
    clients: Vec<Conn>,
    listener: UnixListener,
    log: Option<JsonLogWriter>,
    log_failed: bool,
    buf: Vec<u8>,
    init_pid: i32,
    init_status: Option<WaitStatus>,
}

impl EventLoop {
    /// `--wait-attach`: block until a client has said hello, or until the
    /// CLI that reads our ready pipe has gone (then start unattached).
    fn wait_first_client(&mut self) {
        loop {
            let mut p = [pollfd(self.listener.as_raw_fd(), POLLIN), pollfd(1, 0)];
            if sp::poll(&mut p, -1).is_err() {
                return;
            }
            if p[1].revents & (POLLERR | POLLHUP) != 0 {
                return;
            }
            if p[0].revents & POLLIN == 0 {
                continue;
            }
            let Ok((sock, _)) = self.listener.accept() else {
                continue;
            };
            let mut c = Conn::new(sock);
            let _ = c.sock.set_nonblocking(false);
            let _ = c.sock.set_read_timeout(Some(Duration::from_secs(10)));
            let mut b = [0u8; 64];
            while !c.said_hello && !c.dead {
                match c.sock.read(&mut b) {
                    Ok(0) | Err(_) => c.dead = true,
                    Ok(n) => {
                        c.frames.push(&b[..n]);
                        self.client_frames(&mut c);
                    }
                }
            }
            let _ = c.sock.set_nonblocking(true);
            c.flush();
            if !c.dead {
                self.clients.push(c);
                return;
            }
        }
    }

    /// Handle the frames a client has sent.
    fn client_frames(&mut self, c: &mut Conn) {
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
                if kind != attach::HELLO || p.len() != 1 {
                    c.dead = true;
                    return;
                }
                c.flags = p[0];
                c.said_hello = true;
                c.queue(
                    attach::WELCOME,
                    &[if self.tty { attach::HAS_TTY } else { 0 }],
                );
                continue;
            }
            match kind {
                attach::STDIN if c.flags & attach::WANT_STDIN != 0 && self.stdin.is_some() => {
                    self.stdin_pending.extend_from_slice(&p)
                }
                attach::CLOSE_STDIN if !self.tty => self.close_stdin_when_flushed = true,
                attach::RESIZE if p.len() == 4 => {
                    if let Some(m) = &self.master {
                        let rows = u16::from_be_bytes([p[0], p[1]]);
                        let cols = u16::from_be_bytes([p[2], p[3]]);
                        let _ = set_window_size(m.as_raw_fd(), rows, cols);
                    }
                }
                attach::STDIN | attach::CLOSE_STDIN | attach::RESIZE => {}
                _ => {
                    c.dead = true;
                    return;
                }
            }
        }
    }

    /// Read what one output fd has; `false` at end of stream.
    fn read_output(&mut self, idx: usize) -> bool {
        let (fd, stream) = (self.outputs[idx].0.as_raw_fd(), self.outputs[idx].1);
        match sp::read_fd(fd, &mut self.buf) {
            Ok(0) => false,
            Ok(n) => {
                let data = &self.buf[..n];
                if let Some(log) = &mut self.log {
                    if let Err(e) = log.write(stream, data, SystemTime::now()) {
                        if !self.log_failed {
                            eprintln!("writing the container log: {e}");
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

    fn write_stdin(&mut self) {
        let Some(fd) = &self.stdin else {
            self.stdin_pending.clear();
            return;
        };
        while !self.stdin_pending.is_empty() {
            match sp::write_fd(fd.as_raw_fd(), &self.stdin_pending) {
                Ok(n) => {
                    self.stdin_pending.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(_) => {
                    // The container closed its stdin.
                    self.stdin = None;
                    self.stdin_pending.clear();
                    return;
                }
            }
        }
        if self.close_stdin_when_flushed {
            self.stdin = None;
        }
    }

    fn reap(&mut self) {
        while let Ok(Some((p, st))) = sp::reap_any() {
            if p == self.init_pid {
                self.init_status = Some(st);
            }
        }
    }

    /// Run until the container's init has exited; its wait status.
    fn run(&mut self, sigfd: &SignalFd, pidfd: &PidFd) -> WaitStatus {
        self.reap();
        let mut pfds: Vec<libc::pollfd> = Vec::new();
        let mut trimmed = false;
        while self.init_status.is_none() {
            pfds.clear();
            pfds.push(pollfd(sigfd.as_raw_fd(), POLLIN));
            pfds.push(pollfd(self.listener.as_raw_fd(), POLLIN));
            let paused = self.clients.iter().any(|c| c.out.len() >= HIGH_WATER);
            for (fd, _) in &self.outputs {
                pfds.push(pollfd(fd.as_raw_fd(), if paused { 0 } else { POLLIN }));
            }
            let stdin_idx = pfds.len();
            let stdin_fd: RawFd = self.stdin.as_ref().map(|f| f.as_raw_fd()).unwrap_or(-1);
            pfds.push(pollfd(
                stdin_fd,
                if self.stdin_pending.is_empty() {
                    0
                } else {
                    POLLOUT
                },
            ));
            let client_base = pfds.len();
            let take_input = self.stdin_pending.len() < HIGH_WATER;
            for c in &self.clients {
                let mut ev = if take_input { POLLIN } else { 0 };
                if !c.out.is_empty() {
                    ev |= POLLOUT;
                }
                pfds.push(pollfd(c.sock.as_raw_fd(), ev));
            }
            // The first time the loop goes idle, drop the memory start-up
            // touched; what the loop needs comes back on demand.
            match sp::poll(&mut pfds, if trimmed { -1 } else { IDLE_TRIM_MS }) {
                Ok(0) if !trimmed => {
                    sp::trim_resident_memory();
                    trimmed = true;
                    continue;
                }
                Ok(_) => {}
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            }
            if pfds[0].revents & POLLIN != 0 {
                while let Ok(Some(sig)) = sigfd.read_signal() {
                    if sig == libc::SIGCHLD {
                        self.reap();
                    } else {
                        let _ = pidfd.send_signal(sig);
                    }
                }
            }
            let mut closed = Vec::new();
            for i in 0..self.outputs.len() {
                if pfds[2 + i].revents & (POLLIN | POLLHUP | POLLERR) != 0 && !self.read_output(i) {
                    closed.push(i);
                }
            }
            if pfds[stdin_idx].revents & (POLLOUT | POLLERR) != 0 {
                self.write_stdin();
            }
            let mut clients = std::mem::take(&mut self.clients);
            for (i, c) in clients.iter_mut().enumerate() {
                let rev = pfds[client_base + i].revents;
                if rev & (POLLIN | POLLHUP | POLLERR) != 0 {
                    let mut b = [0u8; 4096];
                    match (&c.sock).read(&mut b) {
                        Ok(0) => c.dead = true,
                        Ok(n) => {
                            c.frames.push(&b[..n]);
                            self.client_frames(c);
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
            if !self.stdin_pending.is_empty() || self.close_stdin_when_flushed {
                self.write_stdin();
            }
            for i in closed.into_iter().rev() {
                self.outputs.remove(i);
            }
            if pfds[1].revents & POLLIN != 0 {
                while let Ok((sock, _)) = self.listener.accept() {
                    if sock.set_nonblocking(true).is_ok() {
                        self.clients.push(Conn::new(sock));
                    }
                }
            }
        }
        self.init_status.unwrap_or(WaitStatus::Exited(255))
    }

    /// After the init exited: drain output, flush the log, record the exit,
    /// tell the clients, close the socket.
    fn finish(&mut self, o: &ShimOptions, code: i32, pid: i32, oom_killed: bool) {
        for i in 0..self.outputs.len() {
            let mut rounds = 0;
            while rounds < 4096 && self.read_output_drain(i) {
                rounds += 1;
            }
        }
        self.outputs.clear();
        if let Some(log) = &mut self.log {
            let _ = log.flush_partial(SystemTime::now());
        }
        let info = ExitInfo {
            exit_code: code,
            finished_at: rfc3339_nano(SystemTime::now()),
            oom_killed,
            pid: pid as u32,
        };
        // The bundle (in the data root) gets a copy: the state root is a
        // tmpfs, and the exit must survive a reboot that comes before any
        // berth command has read it.
        if let Err(e) = info.write(&o.bundle) {
            eprintln!("shim {}: writing exit record to the bundle: {e}", o.id);
        }
        if let Err(e) = info.write(&o.state_dir) {
            eprintln!("shim {}: writing exit record: {e}", o.id);
        }
        let _ = std::fs::remove_file(o.state_dir.join(attach::SOCKET_NAME));
        let deadline = Instant::now() + Duration::from_secs(2);
        for c in &mut self.clients {
            if c.said_hello {
                c.queue(attach::EXIT, &code.to_be_bytes());
            }
            let _ = c.sock.set_nonblocking(false);
            let _ = c.sock.set_write_timeout(Some(
                deadline
                    .saturating_duration_since(Instant::now())
                    .max(Duration::from_millis(10)),
            ));
            let _ = (&c.sock).write_all(&c.out);
            let _ = c.sock.shutdown(std::net::Shutdown::Write);
        }
        if o.rm {
            // Kept until `wait_hangup`, after the pid lock is released.
            return;
        }
        self.clients.clear();
    }

    /// With `--rm`: a foreground `run --rm` removes the container itself
    /// and then hangs up; waiting for that lets the shim skip its own
    /// cleanup (main checks whether the state dir is gone). A client that
    /// dies also hangs up, so cleanup still happens then. Called after the
    /// pid lock is released, so the exit is visible while we wait.
    fn wait_hangup(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut sink = [0u8; 512];
        for c in &mut self.clients {
            let _ = c.sock.set_read_timeout(Some(
                deadline
                    .saturating_duration_since(Instant::now())
                    .max(Duration::from_millis(10)),
            ));
            while matches!((&c.sock).read(&mut sink), Ok(n) if n > 0) {}
        }
        self.clients.clear();
    }

    /// One read during the final drain; `false` when nothing more comes now.
    fn read_output_drain(&mut self, idx: usize) -> bool {
        let fd = self.outputs[idx].0.as_raw_fd();
        let mut p = [pollfd(fd, POLLIN)];
        if sp::poll(&mut p, 0).unwrap_or(0) == 0 || p[0].revents & POLLIN == 0 {
            return false;
        }
        self.read_output(idx)
    }
}

/// The memory cgroup's OOM-kill counter for the container: `oom_kill` in
/// `memory.oom_control` (cgroup v1, kernel ≥ 4.13) or `memory.events` (v2).
/// The cgroup is found from `/proc/<init>/cgroup` right after create; it
/// outlives the init because only `runtime delete` (done by `berth rm`)
/// removes it.
struct OomCounter {
    path: PathBuf,
    start: u64,
}

impl OomCounter {
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
}

fn read_oom_kill(path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("oom_kill "))
        .and_then(|n| n.trim().parse().ok())
}

/// `--rm`: become `berth [globals] internal cleanup <id>` (the lock on
/// shim.pid is released by the exec since it is close-on-exec).
fn exec_cleanup(o: &ShimOptions) {
    let err = Command::new("/proc/self/exe")
        .arg0("berth")
        .args(&o.cleanup_globals)
        .args(["internal", "cleanup"])
        .arg(&o.id)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .exec();
    eprintln!("shim {}: exec cleanup: {err}", o.id);
}

/// The global flags this process was started with: the arguments before
/// `internal shim` (the launcher puts them there).
pub fn globals_from_argv(argv: &[OsString]) -> Vec<OsString> {
    let args = argv.get(1..).unwrap_or(&[]);
    let pos = args
        .windows(2)
        .rposition(|w| w[0] == "internal" && w[1] == "shim");
    match pos {
        Some(p) => args[..p].to_vec(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globals_are_what_precedes_internal_shim() {
        let argv: Vec<OsString> = [
            "berth",
            "--data-root",
            "/d",
            "internal",
            "shim",
            "--id",
            "x",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        assert_eq!(
            globals_from_argv(&argv),
            vec![OsString::from("--data-root"), OsString::from("/d")]
        );
        assert!(globals_from_argv(&argv[..1]).is_empty());
    }

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
