//! The attach protocol spoken on `<state-dir>/attach.sock`, and its client.
//!
//! Frames in both directions are `[kind: u8][len: u32 big-endian][payload]`,
//! payloads at most [`MAX_FRAME`] bytes:
//!
//! | kind | dir | payload |
//! |---|---|---|
//! | 1 `HELLO` | client → shim | one flag byte: 1 stdin, 2 stdout, 4 stderr; must be first |
//! | 2 `WELCOME` | shim → client | one flag byte: 1 the container has a tty |
//! | 3 `STDOUT`, 4 `STDERR` | shim → client | container output (tty output is all `STDOUT`) |
//! | 5 `STDIN` | client → shim | bytes for the container's stdin (or the pty) |
//! | 6 `CLOSE_STDIN` | client → shim | empty: close the container's stdin pipe (ignored with a tty) |
//! | 7 `RESIZE` | client → shim | rows: u16 BE, cols: u16 BE → `TIOCSWINSZ` on the pty master |
//! | 8 `EXIT` | shim → client | exit code: i32 BE; the shim then closes the connection |
//! | 9 `CONTROL` | client → shim | a JSON [`super::control::Request`], instead of `HELLO` |
//! | 10 `REPLY` | shim → client | the JSON [`super::control::Reply`]; the shim then closes the connection |
//!
//! Output is not replayed: a client sees what the container writes after it
//! has connected. A foreground `run` does not lose early output because the
//! shim, started with `--wait-attach`, runs `runtime start` only once its
//! first client has said hello. Several clients may attach at once; all get
//! the output, and all may write stdin. A slow client slows the container's
//! output down (back-pressure, as docker's attach does) rather than making the
//! shim buffer without bound. Detaching (ctrl-p ctrl-q) is done by the client
//! simply closing its connection: the container keeps running.

use super::detach_keys::DetachMatcher;
use crate::sys::process::{poll, pollfd, read_fd, POLLERR, POLLHUP, POLLIN};
use crate::sys::pty::{window_size, WinchPipe};
use std::io::{self, Read, Write};
use std::os::unix::io::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

pub const SOCKET_NAME: &str = "attach.sock";
pub const MAX_FRAME: usize = 64 * 1024;

pub const HELLO: u8 = 1;
pub const WELCOME: u8 = 2;
pub const STDOUT: u8 = 3;
pub const STDERR: u8 = 4;
pub const STDIN: u8 = 5;
pub const CLOSE_STDIN: u8 = 6;
pub const RESIZE: u8 = 7;
pub const EXIT: u8 = 8;
pub const CONTROL: u8 = 9;
pub const REPLY: u8 = 10;

pub const WANT_STDIN: u8 = 1;
pub const WANT_STDOUT: u8 = 2;
pub const WANT_STDERR: u8 = 4;
pub const HAS_TTY: u8 = 1;

pub use super::detach_keys::DEFAULT_DETACH_KEYS;

#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("connecting to the container's attach socket {}: {source}", path.display())]
    Connect { path: PathBuf, source: io::Error },
    #[error("attach connection: {0}")]
    Io(#[from] io::Error),
    #[error("attach protocol error: {0}")]
    Protocol(String),
}

/// Append one frame to `out`.
pub fn encode(out: &mut Vec<u8>, kind: u8, payload: &[u8]) {
    out.push(kind);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
}

/// Accumulates bytes from a stream and splits them into frames.
#[derive(Default)]
pub struct FrameBuf {
    buf: Vec<u8>,
}

impl FrameBuf {
    pub fn push(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// The next complete frame, if any. Errors on an oversized frame.
    pub fn next_frame(&mut self) -> Result<Option<(u8, Vec<u8>)>, AttachError> {
        if self.buf.len() < 5 {
            return Ok(None);
        }
        let len = u32::from_be_bytes([self.buf[1], self.buf[2], self.buf[3], self.buf[4]]) as usize;
        if len > MAX_FRAME {
            return Err(AttachError::Protocol(format!(
                "frame of {len} bytes is too large"
            )));
        }
        if self.buf.len() < 5 + len {
            return Ok(None);
        }
        let kind = self.buf[0];
        let payload = self.buf[5..5 + len].to_vec();
        self.buf.drain(..5 + len);
        if self.buf.is_empty() && self.buf.capacity() > MAX_FRAME {
            self.buf = Vec::new();
        }
        Ok(Some((kind, payload)))
    }
}

/// Which streams a client wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttachOptions {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
}

impl AttachOptions {
    pub fn flags(self) -> u8 {
        (self.stdin as u8 * WANT_STDIN)
            | (self.stdout as u8 * WANT_STDOUT)
            | (self.stderr as u8 * WANT_STDERR)
    }
}

/// How a pumped attach session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PumpEnd {
    /// The container exited with this code (Docker's convention, 128+signal).
    Exited(i32),
    /// The user typed the detach keys; the container keeps running.
    Detached,
    /// The shim went away without an exit frame (it was killed).
    Disconnected,
}

/// What [`Client::pump`] connects the session to.
pub struct PumpIo<'a> {
    /// Read user input from this fd (a terminal in raw mode, a pipe, a file).
    pub input: Option<RawFd>,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Sequence that detaches (usually [`DEFAULT_DETACH_KEYS`] with a tty).
    pub detach_keys: Option<&'a [u8]>,
    /// Send `CLOSE_STDIN` when `input` reaches end of file (docker's
    /// `StdinOnce`, set for `run -i`).
    pub close_stdin_on_eof: bool,
    /// Forward this terminal's size now and on every SIGWINCH.
    pub resize_from: Option<RawFd>,
}

/// A connection to a shim's attach socket.
pub struct Client {
    sock: UnixStream,
    tty: bool,
    frames: FrameBuf,
}

impl Client {
    /// Connect, say hello, and read the shim's welcome.
    pub fn connect(path: &Path, opts: AttachOptions) -> Result<Client, AttachError> {
        let sock =
            crate::sys::unix_socket::connect(path).map_err(|source| AttachError::Connect {
                path: path.to_path_buf(),
                source,
            })?;
        let mut c = Client {
            sock,
            tty: false,
            frames: FrameBuf::default(),
        };
        c.send(HELLO, &[opts.flags()])?;
        match c.read_frame()? {
            Some((WELCOME, p)) if p.len() == 1 => c.tty = p[0] & HAS_TTY != 0,
            Some((k, _)) => {
                return Err(AttachError::Protocol(format!(
                    "expected a welcome frame, got kind {k}"
                )))
            }
            None => {
                return Err(AttachError::Protocol(
                    "the shim closed the connection".into(),
                ))
            }
        }
        Ok(c)
    }

    /// Whether the container runs with a tty (output is then one stream).
    pub fn tty(&self) -> bool {
        self.tty
    }

    fn send(&mut self, kind: u8, payload: &[u8]) -> Result<(), AttachError> {
        let mut f = Vec::with_capacity(5 + payload.len());
        encode(&mut f, kind, payload);
        self.sock.write_all(&f)?;
        Ok(())
    }

    /// Send bytes to the container's stdin.
    pub fn send_stdin(&mut self, data: &[u8]) -> Result<(), AttachError> {
        for chunk in data.chunks(MAX_FRAME) {
            self.send(STDIN, chunk)?;
        }
        Ok(())
    }

    /// Close the container's stdin (EOF for a process reading it).
    pub fn close_stdin(&mut self) -> Result<(), AttachError> {
        self.send(CLOSE_STDIN, &[])
    }

    /// Resize the container's tty.
    pub fn resize(&mut self, rows: u16, cols: u16) -> Result<(), AttachError> {
        let mut p = [0u8; 4];
        p[..2].copy_from_slice(&rows.to_be_bytes());
        p[2..].copy_from_slice(&cols.to_be_bytes());
        self.send(RESIZE, &p)
    }

    /// Block for the next frame; `None` on end of stream.
    pub fn read_frame(&mut self) -> Result<Option<(u8, Vec<u8>)>, AttachError> {
        let mut buf = [0u8; 8192];
        loop {
            if let Some(f) = self.frames.next_frame()? {
                return Ok(Some(f));
            }
            let n = match self.sock.read(&mut buf) {
                // A signal to the caller (a SIGCHLD handler without SA_RESTART).
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => r?,
            };
            if n == 0 {
                return Ok(None);
            }
            self.frames.push(&buf[..n]);
        }
    }

    /// Discard output until the exit frame; `None` if the shim vanished.
    #[allow(dead_code)] // used by tests/shim.rs
    pub fn wait(&mut self) -> Result<Option<i32>, AttachError> {
        while let Some((k, p)) = self.read_frame()? {
            if k == EXIT {
                return Ok(Some(exit_code(&p)?));
            }
        }
        Ok(None)
    }

    /// Copy output to the writers and input to the container until the
    /// container exits, the user detaches, or the shim disappears. Raw mode
    /// on a terminal is the caller's job (`sys::pty::RawMode`).
    pub fn pump(&mut self, io: PumpIo) -> Result<PumpEnd, AttachError> {
        let winch = match io.resize_from {
            Some(fd) => {
                if let Ok((r, c)) = window_size(fd) {
                    self.resize(r, c)?;
                }
                Some(WinchPipe::install()?)
            }
            None => None,
        };
        let mut input = io.input;
        let mut matcher = DetachMatcher::new(io.detach_keys.unwrap_or(&[]));
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            // Frames already buffered are handled before polling again.
            while let Some((k, p)) = self.frames.next_frame()? {
                match k {
                    STDOUT => {
                        io.stdout.write_all(&p)?;
                        io.stdout.flush()?;
                    }
                    STDERR => {
                        io.stderr.write_all(&p)?;
                        io.stderr.flush()?;
                    }
                    EXIT => return Ok(PumpEnd::Exited(exit_code(&p)?)),
                    _ => {}
                }
            }
            let mut fds = vec![pollfd(self.sock.as_raw_fd(), POLLIN)];
            if let Some(fd) = input {
                fds.push(pollfd(fd, POLLIN));
            }
            if let Some(w) = &winch {
                fds.push(pollfd(w.as_raw_fd(), POLLIN));
            }
            poll(&mut fds, -1)?;
            if fds[0].revents & (POLLIN | POLLHUP | POLLERR) != 0 {
                let n = match self.sock.read(&mut buf) {
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::ConnectionReset => 0,
                    Err(e) => return Err(e.into()),
                };
                if n == 0 {
                    return Ok(PumpEnd::Disconnected);
                }
                self.frames.push(&buf[..n]);
            }
            let mut idx = 1;
            if let Some(fd) = input {
                if fds[idx].revents & (POLLIN | POLLHUP | POLLERR) != 0 {
                    let n = read_fd(fd, &mut buf).unwrap_or(0);
                    let mut out = Vec::with_capacity(n + DEFAULT_DETACH_KEYS.len());
                    if n == 0 {
                        input = None;
                        matcher.flush(&mut out);
                    }
                    let detach = matcher.feed(&buf[..n], &mut out);
                    if !out.is_empty() {
                        peer_may_be_gone(self.send_stdin(&out))?;
                    }
                    if detach {
                        return Ok(PumpEnd::Detached);
                    }
                    if n == 0 && io.close_stdin_on_eof {
                        peer_may_be_gone(self.close_stdin())?;
                    }
                }
                idx += 1;
            }
            if let (Some(w), Some(fd)) = (&winch, io.resize_from) {
                if fds[idx].revents & POLLIN != 0 && w.drain() {
                    if let Ok((r, c)) = window_size(fd) {
                        peer_may_be_gone(self.resize(r, c))?;
                    }
                }
            }
        }
    }
}

/// A send to the shim that found its end closed: the container ended and
/// the shim, having sent the exit frame, let go of the connection (a fast
/// container's stdin EOF can race its exit). What the shim sent before is
/// still to be read, so the pump goes on reading instead of failing.
fn peer_may_be_gone(r: Result<(), AttachError>) -> Result<(), AttachError> {
    match r {
        Err(AttachError::Io(e))
            if matches!(
                e.kind(),
                io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
            ) =>
        {
            Ok(())
        }
        r => r,
    }
}

fn exit_code(p: &[u8]) -> Result<i32, AttachError> {
    let b: [u8; 4] = p
        .try_into()
        .map_err(|_| AttachError::Protocol("malformed exit frame".into()))?;
    Ok(i32::from_be_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shim sent the exit frame and closed: a late stdin send fails
    /// with EPIPE, and the pump still reads the exit code.
    #[test]
    fn pump_reads_the_exit_after_a_send_to_a_closed_shim() {
        let (a, mut b) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut wire = Vec::new();
        encode(&mut wire, EXIT, &7i32.to_be_bytes());
        b.write_all(&wire).unwrap();
        drop(b);
        let mut c = Client {
            sock: a,
            tty: false,
            frames: FrameBuf::default(),
        };
        assert!(matches!(peer_may_be_gone(c.close_stdin()), Ok(())));
        let (r, _w) = crate::sys::process::pipe().unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let end = c
            .pump(PumpIo {
                input: Some(r.as_raw_fd()),
                stdout: &mut out,
                stderr: &mut err,
                detach_keys: None,
                close_stdin_on_eof: true,
                resize_from: None,
            })
            .unwrap();
        assert_eq!(end, PumpEnd::Exited(7));
    }

    #[test]
    fn frames_roundtrip_in_pieces() {
        let mut wire = Vec::new();
        encode(&mut wire, STDOUT, b"hello");
        encode(&mut wire, EXIT, &3i32.to_be_bytes());
        let mut fb = FrameBuf::default();
        fb.push(&wire[..3]);
        assert!(fb.next_frame().unwrap().is_none());
        fb.push(&wire[3..]);
        assert_eq!(fb.next_frame().unwrap(), Some((STDOUT, b"hello".to_vec())));
        let (k, p) = fb.next_frame().unwrap().unwrap();
        assert_eq!((k, exit_code(&p).unwrap()), (EXIT, 3));
        assert!(fb.next_frame().unwrap().is_none());
    }

    #[test]
    fn rejects_oversized_frames() {
        let mut fb = FrameBuf::default();
        fb.push(&[STDIN, 0xff, 0xff, 0xff, 0xff]);
        assert!(fb.next_frame().is_err());
    }

    /// A fake shim on a socketpair: welcome, echo stdin back as stdout,
    /// exit 7 on close-stdin.
    fn fake_shim(mut s: UnixStream, tty: bool) -> std::thread::JoinHandle<Vec<(u8, Vec<u8>)>> {
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            let mut fb = FrameBuf::default();
            let mut buf = [0u8; 1024];
            loop {
                while let Some((k, p)) = fb.next_frame().unwrap() {
                    seen.push((k, p.clone()));
                    let mut out = Vec::new();
                    match k {
                        HELLO => encode(&mut out, WELCOME, &[tty as u8]),
                        STDIN => encode(&mut out, STDOUT, &p),
                        CLOSE_STDIN => encode(&mut out, EXIT, &7i32.to_be_bytes()),
                        _ => {}
                    }
                    if s.write_all(&out).is_err() || k == CLOSE_STDIN {
                        return seen;
                    }
                }
                let n = s.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    return seen;
                }
                fb.push(&buf[..n]);
            }
        })
    }

    fn client(s: UnixStream) -> Client {
        let mut c = Client {
            sock: s,
            tty: false,
            frames: FrameBuf::default(),
        };
        c.send(HELLO, &[7]).unwrap();
        let (k, p) = c.read_frame().unwrap().unwrap();
        assert_eq!(k, WELCOME);
        c.tty = p[0] == 1;
        c
    }

    #[test]
    fn pump_pipes_until_exit() {
        let (a, b) = UnixStream::pair().unwrap();
        let shim = fake_shim(b, false);
        let mut c = client(a);
        let (r, w) = crate::sys::process::pipe().unwrap();
        crate::sys::process::write_fd(w.as_raw_fd(), b"abc").unwrap();
        drop(w);
        let mut out = Vec::new();
        let end = c
            .pump(PumpIo {
                input: Some(r.as_raw_fd()),
                stdout: &mut out,
                stderr: &mut io::sink(),
                detach_keys: None,
                close_stdin_on_eof: true,
                resize_from: None,
            })
            .unwrap();
        assert_eq!(end, PumpEnd::Exited(7));
        assert_eq!(out, b"abc");
        let seen = shim.join().unwrap();
        assert_eq!(seen[0], (HELLO, vec![7]));
    }

    #[test]
    fn detach_keys_detach_and_pass_lone_ctrl_p() {
        let (a, b) = UnixStream::pair().unwrap();
        let shim = fake_shim(b, true);
        let mut c = client(a);
        assert!(c.tty());
        let (r, w) = crate::sys::process::pipe().unwrap();
        crate::sys::process::write_fd(w.as_raw_fd(), b"x\x10y\x10\x11z").unwrap();
        let end = c
            .pump(PumpIo {
                input: Some(r.as_raw_fd()),
                stdout: &mut io::sink(),
                stderr: &mut io::sink(),
                detach_keys: Some(DEFAULT_DETACH_KEYS),
                close_stdin_on_eof: false,
                resize_from: None,
            })
            .unwrap();
        assert_eq!(end, PumpEnd::Detached);
        drop(c);
        let seen = shim.join().unwrap();
        let stdin: Vec<u8> = seen
            .iter()
            .filter(|(k, _)| *k == STDIN)
            .flat_map(|(_, p)| p.clone())
            .collect();
        assert_eq!(stdin, b"x\x10y");
    }
}
