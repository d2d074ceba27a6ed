//! `signalfd(2)`: signals delivered as readable records on a descriptor, so a
//! single-threaded `poll` loop (the shim's) can handle SIGCHLD and SIGTERM
//! without async-signal-safety concerns. The signals are blocked first, as
//! signalfd requires; `std::process::Command` clears the mask in children.

use std::io;
use std::os::unix::io::{AsRawFd, FromRawFd, OwnedFd, RawFd};

#[derive(Debug)]
pub struct SignalFd(OwnedFd);

impl SignalFd {
    /// Block `signals` for this (single-threaded) process and return a
    /// non-blocking, close-on-exec signalfd that reports them.
    pub fn new(signals: &[i32]) -> io::Result<SignalFd> {
        // SAFETY: `set` is initialised by sigemptyset before use and lives
        // across the calls that read it.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for &s in signals {
                libc::sigaddset(&mut set, s);
            }
            if libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
                return Err(io::Error::last_os_error());
            }
            let fd = libc::signalfd(-1, &set, libc::SFD_NONBLOCK | libc::SFD_CLOEXEC);
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(SignalFd(OwnedFd::from_raw_fd(fd)))
        }
    }

    /// The next pending signal number, `Ok(None)` when none is pending.
    pub fn read_signal(&self) -> io::Result<Option<i32>> {
        // SAFETY: signalfd_siginfo is plain data; zeroed is a valid value.
        let mut info: libc::signalfd_siginfo = unsafe { std::mem::zeroed() };
        let size = std::mem::size_of::<libc::signalfd_siginfo>();
        // SAFETY: `info` is valid for `size` bytes of writes.
        let n = unsafe {
            libc::read(
                self.0.as_raw_fd(),
                (&mut info as *mut libc::signalfd_siginfo).cast(),
                size,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            return match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(None),
                _ => Err(e),
            };
        }
        if n as usize != size {
            return Ok(None);
        }
        Ok(Some(info.ssi_signo as i32))
    }
}

impl AsRawFd for SignalFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_a_blocked_signal() {
        // A thread of its own: the block applies to the calling thread only.
        std::thread::spawn(|| {
            let fd = SignalFd::new(&[libc::SIGUSR2]).unwrap();
            assert_eq!(fd.read_signal().unwrap(), None);
            // SAFETY: SIGUSR2 is blocked in this thread, so raising it only
            // makes it pending for the signalfd.
            unsafe { libc::raise(libc::SIGUSR2) };
            assert_eq!(fd.read_signal().unwrap(), Some(libc::SIGUSR2));
        })
        .join()
        .unwrap();
    }
}
