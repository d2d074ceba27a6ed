//! Process-level system calls the shim needs to detach and supervise a
//! container: `fork`, `setsid`, `close_range`, `PR_SET_CHILD_SUBREAPER`,
//! `waitpid`, pidfds, `poll` and pipes. Modelled on conmon/conmon-rs: the
//! caller forks before any thread exists, and reaps every child it adopts.

use std::io;
use std::os::unix::io::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

/// Which side of a `fork` we are on.
#[derive(Debug, PartialEq, Eq)]
pub enum Fork {
    Parent(libc::pid_t),
    Child,
}

fn cvt(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

/// `fork(2)`. Only call this while the process is single-threaded: the child
/// gets one thread, and any lock another thread held stays locked forever.
pub fn fork_single_threaded() -> io::Result<Fork> {
    // SAFETY: documented precondition: the caller guarantees no other thread
    // exists (the shim forks straight after argument parsing), so the child
    // cannot inherit a lock held by a thread that does not exist in it.
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => Err(io::Error::last_os_error()),
        0 => Ok(Fork::Child),
        p => Ok(Fork::Parent(p)),
    }
}

/// Leave the caller's session and process group: the shim must not receive
/// the terminal's SIGINT/SIGHUP meant for the CLI.
pub fn setsid() -> io::Result<()> {
    rustix::process::setsid()?;
    Ok(())
}

/// Close every descriptor numbered `from` and above (`close_range(2)`, with a
/// `/proc/self/fd` fallback for old kernels).
pub fn close_fds_from(from: RawFd) -> io::Result<()> {
    // SAFETY: close_range only closes descriptors; the caller owns the whole
    // range (it is called before any Rust object holding such an fd exists).
    let rc = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            from as libc::c_uint,
            libc::c_uint::MAX,
            0,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let mut fds = Vec::new();
    for e in std::fs::read_dir("/proc/self/fd")?.flatten() {
        if let Some(fd) = e.file_name().to_str().and_then(|s| s.parse::<RawFd>().ok()) {
            if fd >= from {
                fds.push(fd);
            }
        }
    }
    for fd in fds {
        // SAFETY: as above; closing an fd that was the read_dir handle's is
        // harmless because read_dir has already been dropped.
        unsafe { libc::close(fd) };
    }
    Ok(())
}

/// Become a child subreaper: orphaned descendants (the container's init once
/// `runc create` exits) are reparented to us rather than to pid 1.
pub fn set_child_subreaper() -> io::Result<()> {
    // rustix passes the pid as prctl's flag: any non-zero value turns it on.
    Ok(rustix::process::set_child_subreaper(Some(
        rustix::process::getpid(),
    ))?)
}

/// Replace `target` with `src` (`dup2`), used to point stdin/stderr at files.
pub fn dup_onto(src: &impl AsRawFd, target: RawFd) -> io::Result<()> {
    // SAFETY: both descriptors are valid; dup2 atomically replaces `target`.
    cvt(unsafe { libc::dup2(src.as_raw_fd(), target) }).map(|_| ())
}

/// End the process at once, without running atexit handlers or destructors:
/// used by the intermediate child of the double fork.
pub fn exit_immediately(code: i32) -> ! {
    // SAFETY: _exit never returns and touches no Rust state.
    unsafe { libc::_exit(code) }
}

/// Ignore SIGPIPE so writes to a vanished attach client fail with EPIPE
/// instead of killing the shim. `std::process::Command` resets it to the
/// default in the children it spawns.
pub fn ignore_sigpipe() {
    // SAFETY: setting a disposition to SIG_IGN is always sound.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// How a reaped child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitStatus {
    Exited(i32),
    Signaled(i32),
}

impl WaitStatus {
    /// Docker's convention: the exit code, or 128 + signal number.
    pub fn code(self) -> i32 {
        match self {
            WaitStatus::Exited(c) => c,
            WaitStatus::Signaled(s) => 128 + s,
        }
    }
}

/// Reap one exited child without blocking: `Ok(None)` when none is ready
/// (or there are no children at all).
pub fn reap_any() -> io::Result<Option<(libc::pid_t, WaitStatus)>> {
    use rustix::process::{wait, WaitOptions};
    loop {
        match wait(WaitOptions::NOHANG) {
            Ok(None) | Err(rustix::io::Errno::CHILD) => return Ok(None),
            Ok(Some((pid, st))) => {
                if let Some(ws) = wait_status(st) {
                    return Ok(Some((pid.as_raw_nonzero().get(), ws)));
                }
            }
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// An exit or a signal death (stops and continues are not ends).
fn wait_status(st: rustix::process::WaitStatus) -> Option<WaitStatus> {
    if let Some(c) = st.exit_status() {
        Some(WaitStatus::Exited(c))
    } else {
        st.terminating_signal().map(WaitStatus::Signaled)
    }
}

/// Wait (blocking) for our child `pid` to end and reap it.
pub fn wait_pid(pid: libc::pid_t) -> io::Result<WaitStatus> {
    use rustix::process::{waitpid, Pid, WaitOptions};
    let pid = Pid::from_raw(pid).ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
    loop {
        match waitpid(Some(pid), WaitOptions::empty()) {
            Ok(Some((_, st))) => {
                if let Some(ws) = wait_status(st) {
                    return Ok(ws);
                }
            }
            Ok(None) => {}
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// A pidfd (`pidfd_open(2)`): signals sent through it cannot hit a recycled
/// pid, and it polls readable once the process has ended.
#[derive(Debug)]
pub struct PidFd(OwnedFd);

impl AsFd for PidFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

impl AsRawFd for PidFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl PidFd {
    pub fn open(pid: libc::pid_t) -> io::Result<PidFd> {
        let pid = rustix::process::Pid::from_raw(pid)
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        Ok(PidFd(rustix::process::pidfd_open(
            pid,
            rustix::process::PidfdFlags::empty(),
        )?))
    }

    /// `pidfd_send_signal(2)`; ESRCH once the process has exited.
    pub fn send_signal(&self, sig: i32) -> io::Result<()> {
        // SAFETY: valid pidfd, null siginfo (the kernel fills in SI_USER).
        let rc = unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                self.0.as_raw_fd(),
                sig,
                std::ptr::null::<libc::siginfo_t>(),
                0,
            )
        };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }
}

/// `true` if a process with this pid exists (signal 0).
pub fn pid_alive(pid: libc::pid_t) -> bool {
    if pid <= 0 {
        return false;
    }
    let Some(pid) = rustix::process::Pid::from_raw(pid) else {
        return false;
    };
    matches!(
        rustix::process::test_kill_process(pid),
        Ok(()) | Err(rustix::io::Errno::PERM)
    )
}

/// A close-on-exec pipe: `(read end, write end)`.
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    Ok(rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?)
}

/// Put a descriptor in non-blocking mode.
pub fn set_nonblocking(fd: &impl AsRawFd, on: bool) -> io::Result<()> {
    let fd = fd.as_raw_fd();
    // SAFETY: fcntl F_GETFL/F_SETFL on a valid descriptor.
    unsafe {
        let flags = cvt(libc::fcntl(fd, libc::F_GETFL))?;
        let flags = if on {
            flags | libc::O_NONBLOCK
        } else {
            flags & !libc::O_NONBLOCK
        };
        cvt(libc::fcntl(fd, libc::F_SETFL, flags))?;
    }
    Ok(())
}

/// `read(2)` into `buf`, retrying on EINTR.
pub fn read_fd(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: `buf` is valid for `buf.len()` bytes of writes.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// `write(2)` from `buf`, retrying on EINTR.
pub fn write_fd(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    loop {
        // SAFETY: `buf` is valid for `buf.len()` bytes of reads.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

pub const POLLIN: i16 = libc::POLLIN;
pub const POLLOUT: i16 = libc::POLLOUT;
pub const POLLERR: i16 = libc::POLLERR;
pub const POLLHUP: i16 = libc::POLLHUP;

/// `poll(2)` over `fds`; `timeout_ms < 0` waits forever. EINTR returns 0.
pub fn poll(fds: &mut [libc::pollfd], timeout_ms: i32) -> io::Result<usize> {
    // SAFETY: `fds` is a valid, exclusively borrowed array of pollfd.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) };
    if n < 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::Interrupted {
            return Ok(0);
        }
        return Err(e);
    }
    Ok(n as usize)
}

/// A pollfd entry for `fd` with the given interest.
pub fn pollfd(fd: RawFd, events: i16) -> libc::pollfd {
    libc::pollfd {
        fd,
        events,
        revents: 0,
    }
}

/// Give back memory a long-lived process touched while starting up and will
/// not need again, so its resident set is its working set (conmon-style):
///
/// - freed heap pages go back to the kernel (`malloc_trim`);
/// - pages of the executable's read-only, never-written mappings (code,
///   constants) are dropped from this process's page tables with
///   `MADV_DONTNEED`; the few the process still runs are faulted back in
///   from the page cache on use (minor faults, same contents);
/// - stack pages more than 16 KiB below the current stack pointer, which
///   only hold dead frames from argument parsing, are discarded.
///
/// Writable or copy-on-write-modified mappings (`.data`, RELRO after
/// relocation: they show `Anonymous` pages in smaps) are never touched.
pub fn trim_resident_memory() {
    drop_startup_pages();
    // SAFETY: malloc_trim has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn drop_startup_pages() {
    let Ok(exe) = std::fs::read_link("/proc/self/exe") else {
        return;
    };
    let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else {
        return;
    };
    let exe = exe.to_string_lossy().into_owned();
    let page = rustix::param::page_size();
    let marker = 0u8;
    let sp = &marker as *const u8 as usize;
    let mut drops: Vec<(usize, usize)> = Vec::new();
    let mut cur: Option<(usize, usize, bool)> = None; // start, end, candidate
    let mut stack: Option<(usize, usize)> = None;
    for line in smaps.lines() {
        let mut f = line.split_whitespace();
        let first = f.next().unwrap_or("");
        if let Some((a, b)) = first.split_once('-') {
            if let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16)) {
                let perms = f.next().unwrap_or("");
                let path = f.nth(3).unwrap_or("");
                let candidate = path == exe && perms.as_bytes().get(1) == Some(&b'-');
                if path == "[stack]" {
                    stack = Some((a, b));
                }
                cur = Some((a, b, candidate));
                continue;
            }
        }
        if first == "Anonymous:" {
            if let Some((a, b, true)) = cur {
                if f.next() == Some("0") {
                    drops.push((a, b));
                }
            }
        }
    }
    drop(smaps);
    for (a, b) in drops {
        // SAFETY: [a, b) is a whole mapping of our executable that is not
        // writable and has no anonymous (copy-on-write) pages, so every page
        // equals the file's contents; MADV_DONTNEED on a private file mapping
        // re-reads those contents on the next access. No reference into the
        // mapping is invalidated.
        unsafe {
            libc::madvise(a as *mut libc::c_void, b - a, libc::MADV_DONTNEED);
        }
    }
    if let Some((lo, hi)) = stack {
        let end = sp.saturating_sub(16 * 1024) & !(page - 1);
        if sp > lo && sp < hi && end > lo {
            // SAFETY: [lo, end) lies more than 16 KiB below the current stack
            // pointer: no live frame, red zone or signal frame (signals are
            // blocked; the shim uses a signalfd) is there. Discarded pages
            // read back as zeroes, which is fine for stack not yet in use.
            unsafe {
                libc::madvise(lo as *mut libc::c_void, end - lo, libc::MADV_DONTNEED);
            }
        }
    }
}

/// Make `cmd`'s child start with an empty signal mask and default
/// dispositions, whatever the parent blocked (the shim blocks signals into a
/// signalfd; without this the container's init would inherit them blocked).
pub fn reset_signals_in_child(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the forked child before exec and only calls
    // async-signal-safe functions (sigemptyset, sigprocmask, signal).
    unsafe {
        cmd.pre_exec(|| {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
            for s in 1..32 {
                if s != libc::SIGKILL && s != libc::SIGSTOP {
                    libc::signal(s, libc::SIG_DFL);
                }
            }
            Ok(())
        });
    }
}

/// Whether an x32 `getpid` (its number with the x32 bit, 30, set) fails
/// with ENOSYS: the kernel does not run x32 system calls. Only for a
/// process under no seccomp filter (one without x32 may kill it).
#[cfg(target_arch = "x86_64")]
pub fn x32_getpid_enosys() -> bool {
    const X32_SYSCALL_BIT: libc::c_long = 0x4000_0000;
    // SAFETY: getpid takes no arguments and touches no memory; the kernel
    // runs it or answers ENOSYS.
    let r = unsafe { libc::syscall(X32_SYSCALL_BIT | libc::SYS_getpid) };
    r == -1 && io::Error::last_os_error().raw_os_error() == Some(libc::ENOSYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_status_codes() {
        assert_eq!(WaitStatus::Exited(3).code(), 3);
        assert_eq!(WaitStatus::Signaled(9).code(), 137);
    }

    #[test]
    fn pipe_roundtrip_and_poll() {
        let (r, w) = pipe().unwrap();
        assert_eq!(write_fd(w.as_raw_fd(), b"hi").unwrap(), 2);
        let mut p = [pollfd(r.as_raw_fd(), POLLIN)];
        assert_eq!(poll(&mut p, 1000).unwrap(), 1);
        let mut buf = [0u8; 8];
        assert_eq!(read_fd(r.as_raw_fd(), &mut buf).unwrap(), 2);
        set_nonblocking(&r, true).unwrap();
        let e = read_fd(r.as_raw_fd(), &mut buf).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
    }

    #[test]
    fn pidfd_of_self_and_alive() {
        let me = std::process::id() as libc::pid_t;
        assert!(pid_alive(me));
        let fd = PidFd::open(me).unwrap();
        fd.send_signal(0).unwrap();
    }
}
