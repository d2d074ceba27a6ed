//! Terminals: raw mode for an attached user's tty (restored on drop, and by a
//! panic hook: the release build aborts on panic, so no `Drop` runs), window
//! sizes (`TIOCGWINSZ`/`TIOCSWINSZ`), a SIGWINCH notifier that works in a
//! multi-threaded CLI, and receiving a pty master over a unix socket with
//! `SCM_RIGHTS` (runc's `--console-socket` protocol).

use std::io;
use std::os::unix::io::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{Mutex, TryLockError};

/// Window size of the terminal behind `fd` as `(rows, cols)`.
pub fn window_size(fd: RawFd) -> io::Result<(u16, u16)> {
    // SAFETY: winsize is plain data; TIOCGWINSZ writes one into `ws`.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: see above; `ws` outlives the call.
    if unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((ws.ws_row, ws.ws_col))
}

/// Set the window size of the terminal behind `fd` (the kernel then sends
/// SIGWINCH to its foreground process group).
pub fn set_window_size(fd: RawFd, rows: u16, cols: u16) -> io::Result<()> {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads a winsize from the pointer, valid for the call.
    if unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &ws) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A terminal put in raw mode; the previous settings come back on drop.
pub struct RawMode {
    id: u64,
    fd: RawFd,
    saved: libc::termios,
}

/// The settings every live [`RawMode`] will restore, oldest first, so that the
/// panic hook can put them back when `Drop` will not run.
static SAVED: Mutex<Vec<(u64, RawFd, libc::termios)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Install a panic hook that restores every terminal a live [`RawMode`]
/// changed before the panic message is printed (so the message is readable
/// and the user's shell is usable after the abort), then runs the previous
/// hook. Called once at the start of `main`.
pub fn restore_terminals_on_panic() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_all_saved();
        previous(info);
    }));
}

fn restore_all_saved() {
    let saved = match SAVED.try_lock() {
        Ok(g) => g,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        // The panicking thread holds the lock (a panic inside this module):
        // nothing safe to do but leave the terminal as it is.
        Err(TryLockError::WouldBlock) => return,
    };
    for (_, fd, termios) in saved.iter().rev() {
        // SAFETY: restoring settings captured from the same descriptor.
        unsafe {
            libc::tcsetattr(*fd, libc::TCSANOW, termios);
        }
    }
}

fn lock_saved() -> std::sync::MutexGuard<'static, Vec<(u64, RawFd, libc::termios)>> {
    SAVED.lock().unwrap_or_else(|p| p.into_inner())
}

impl RawMode {
    /// Raw mode (no line editing, echo or signal keys) for an attached session.
    pub fn enable(fd: RawFd) -> io::Result<RawMode> {
        // SAFETY: cfmakeraw edits a termios struct we own in place.
        RawMode::change(fd, |t| unsafe { libc::cfmakeraw(t) })
    }

    /// Echo off (newlines still echoed), for password prompts.
    pub fn echo_off(fd: RawFd) -> io::Result<RawMode> {
        RawMode::change(fd, |t| {
            t.c_lflag &= !libc::ECHO;
            t.c_lflag |= libc::ECHONL;
        })
    }

    /// Apply `edit` to the terminal's settings until the guard is dropped.
    fn change(fd: RawFd, edit: impl FnOnce(&mut libc::termios)) -> io::Result<RawMode> {
        // SAFETY: termios is plain data; tcgetattr fills it in.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: `saved` is a valid out-pointer.
        if unsafe { libc::tcgetattr(fd, &mut saved) } < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut changed = saved;
        edit(&mut changed);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        // Registered before the change, so there is no window in which the
        // terminal is changed and the hook does not know how to undo it.
        lock_saved().push((id, fd, saved));
        // SAFETY: tcsetattr reads a valid termios struct.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &changed) } < 0 {
            let err = io::Error::last_os_error();
            lock_saved().retain(|e| e.0 != id);
            return Err(err);
        }
        let guard = RawMode { id, fd, saved };
        debug_panic_trigger();
        Ok(guard)
    }
}

/// Debug builds only: `BERTH_DEBUG_PANIC_IN_RAW_MODE=1` panics right after a
/// terminal was changed, so the e2e suite can check that the panic hook puts
/// the terminal back. Release builds do not read the variable.
fn debug_panic_trigger() {
    #[cfg(debug_assertions)]
    if std::env::var_os("BERTH_DEBUG_PANIC_IN_RAW_MODE").is_some_and(|v| v == "1") {
        panic!(
            "BERTH_DEBUG_PANIC_IN_RAW_MODE: panicking with the terminal in raw mode\nsecond line"
        );
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        lock_saved().retain(|e| e.0 != self.id);
        // SAFETY: restoring settings captured from the same descriptor.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSANOW, &self.saved);
        }
    }
}

static WINCH_WRITE_FD: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_winch(_: libc::c_int) {
    let fd = WINCH_WRITE_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let b = 1u8;
        // SAFETY: write(2) is async-signal-safe; the pipe is non-blocking so a
        // full pipe (an unread resize already pending) just drops the byte.
        unsafe {
            libc::write(fd, (&b as *const u8).cast(), 1);
        }
    }
}

/// Turns SIGWINCH into a readable pipe (the self-pipe trick), so a `poll`
/// loop can forward window resizes. A signal handler rather than a signalfd,
/// because the CLI may have other threads that would otherwise take the signal.
pub struct WinchPipe {
    read: OwnedFd,
    _write: OwnedFd,
}

impl WinchPipe {
    pub fn install() -> io::Result<WinchPipe> {
        use rustix::pipe::{pipe_with, PipeFlags};
        let (read, write) = pipe_with(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK)?;
        WINCH_WRITE_FD.store(write.as_raw_fd(), Ordering::Relaxed);
        // SAFETY: installing an async-signal-safe handler (it only calls write).
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_winch as extern "C" fn(libc::c_int) as usize;
            sa.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            if libc::sigaction(libc::SIGWINCH, &sa, std::ptr::null_mut()) < 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(WinchPipe {
            read,
            _write: write,
        })
    }

    /// Drain pending notifications; `true` if there was at least one.
    pub fn drain(&self) -> bool {
        let mut buf = [0u8; 16];
        let mut any = false;
        while matches!(rustix::io::read(&self.read, &mut buf), Ok(1..)) {
            any = true;
        }
        any
    }
}

impl AsRawFd for WinchPipe {
    fn as_raw_fd(&self) -> RawFd {
        self.read.as_raw_fd()
    }
}

impl Drop for WinchPipe {
    fn drop(&mut self) {
        WINCH_WRITE_FD.store(-1, Ordering::Relaxed);
        // SAFETY: restoring the default (ignore) disposition for SIGWINCH.
        unsafe {
            libc::signal(libc::SIGWINCH, libc::SIG_DFL);
        }
    }
}

/// Receive one descriptor sent with `SCM_RIGHTS` on a connected unix socket
/// (runc sends the pty master this way, with the pty's name as the payload).
pub fn recv_fd(sock: &impl AsFd) -> io::Result<OwnedFd> {
    use rustix::net::{recvmsg, RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags};
    use std::mem::MaybeUninit;
    let mut data = [0u8; 256];
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(1))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    loop {
        match recvmsg(
            sock,
            &mut [io::IoSliceMut::new(&mut data)],
            &mut control,
            RecvFlags::CMSG_CLOEXEC,
        ) {
            Ok(_) => break,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    for msg in control.drain() {
        if let RecvAncillaryMessage::ScmRights(mut fds) = msg {
            if let Some(fd) = fds.next() {
                return Ok(fd);
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "no file descriptor received on the console socket",
    ))
}

/// Open a new pseudo-terminal pair `(master, slave)` (tests and tools).
/// `isatty(3)`.
#[cfg(test)]
pub fn is_terminal(fd: RawFd) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

#[cfg(test)]
pub fn open_pty() -> io::Result<(OwnedFd, OwnedFd)> {
    use std::os::unix::io::FromRawFd;
    let (mut m, mut s) = (0, 0);
    // SAFETY: out-pointers are valid; null name/termios/winsize are allowed.
    if unsafe {
        libc::openpty(
            &mut m,
            &mut s,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    } < 0
    {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: openpty returned two fresh descriptors we now own.
    let (m, s) = unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
    for fd in [&m, &s] {
        // SAFETY: setting FD_CLOEXEC on descriptors we own.
        unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    Ok((m, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pty_window_size_roundtrip() {
        let (m, s) = open_pty().unwrap();
        set_window_size(m.as_raw_fd(), 33, 101).unwrap();
        assert_eq!(window_size(s.as_raw_fd()).unwrap(), (33, 101));
        assert!(is_terminal(s.as_raw_fd()));
        let raw = RawMode::enable(s.as_raw_fd()).unwrap();
        drop(raw);
    }

    fn lflag(fd: RawFd) -> libc::tcflag_t {
        // SAFETY: termios is plain data; tcgetattr fills it in.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: `t` is a valid out-pointer.
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        t.c_lflag
    }

    #[test]
    fn the_panic_path_restores_what_live_guards_changed() {
        let (_m, s) = open_pty().unwrap();
        let fd = s.as_raw_fd();
        let cooked = lflag(fd);
        assert_ne!(cooked & libc::ICANON, 0);
        let raw = RawMode::enable(fd).unwrap();
        let no_echo = RawMode::echo_off(fd).unwrap();
        assert_eq!(lflag(fd) & (libc::ICANON | libc::ECHO), 0);
        // What the hook does when a panic aborts the process with both guards alive.
        restore_all_saved();
        assert_eq!(lflag(fd), cooked);
        let ids = [raw.id, no_echo.id];
        drop(no_echo);
        drop(raw);
        assert!(lock_saved().iter().all(|e| !ids.contains(&e.0)));
    }
}
