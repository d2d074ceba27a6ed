//! `berth internal dns <dir>`: one network's name server process.
//!
//! Started like the shim: the first process forks and exits (so the server
//! is nobody's child), the server leaves the CLI's session, closes every
//! inherited descriptor, points stdin and stderr at /dev/null and its log,
//! binds UDP and TCP port 53 on the gateway named in `records.json`, writes
//! `ready <pid>` (or `error: ...`) on stdout for the CLI and then points
//! stdout at /dev/null too. It runs one thread: a `poll(2)` loop over the
//! listening sockets, the TCP clients, one UDP socket per forwarded query
//! and a signalfd (SIGHUP: re-read the records; SIGTERM/SIGINT: exit).
//! Nothing wakes it but a query, a signal or a forwarding timeout.
//!
//! Bounds: at most [`MAX_PENDING`] forwarded queries in flight (more get
//! SERVFAIL at once), [`MAX_TCP`] TCP clients (idle ones closed after
//! [`TCP_IDLE`]), each upstream waited for [`UPSTREAM_TIMEOUT`] before the
//! next is tried, at most three tried; a query every upstream failed gets
//! SERVFAIL. Upstream replies (NXDOMAIN included) are passed through
//! unchanged. Forwarding goes over UDP, also for TCP clients (a truncated
//! upstream reply reaches a TCP client as it is).

use super::records::{Answer, Records};
use super::wire;
use crate::sys::process as sp;
use std::fs::File;
use std::io::{Read as _, Write as _};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::io::AsRawFd as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub const MAX_PENDING: usize = 256;
pub const MAX_TCP: usize = 64;
pub const TCP_IDLE: Duration = Duration::from_secs(10);
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_TRIES: usize = 3;
const IDLE_TRIM_MS: i32 = 100;

/// Run the server for the network whose state directory is `dir`. Returns
/// the exit code of the process that returns (the forking parent: 0).
pub fn main(dir: &Path) -> u8 {
    match sp::fork_single_threaded() {
        Ok(sp::Fork::Parent(_)) => return 0,
        Ok(sp::Fork::Child) => {}
        Err(e) => {
            println!("error: fork: {e}");
            return 1;
        }
    }
    let mut server = match setup(dir) {
        Ok(s) => s,
        Err(e) => {
            println!("error: {e}");
            return 1;
        }
    };
    println!("ready {}", std::process::id());
    let _ = std::io::stdout().flush();
    if let Ok(null) = File::open("/dev/null") {
        let _ = sp::dup_onto(&null, 1);
    }
    server.run();
    0
}

fn setup(dir: &Path) -> Result<Server, String> {
    sp::setsid().map_err(|e| format!("setsid: {e}"))?;
    // A TCP client that hangs up before its answer is written must cost an
    // EPIPE, not the server (main restores SIGPIPE's default for the CLI).
    sp::ignore_sigpipe();
    sp::close_fds_from(3).map_err(|e| format!("closing inherited descriptors: {e}"))?;
    let null = File::open("/dev/null").map_err(|e| format!("/dev/null: {e}"))?;
    sp::dup_onto(&null, 0).map_err(|e| format!("stdin: {e}"))?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(super::LOG))
        .map_err(|e| format!("{}: {e}", dir.join(super::LOG).display()))?;
    sp::dup_onto(&log, 2).map_err(|e| format!("stderr: {e}"))?;
    let signals = crate::sys::signalfd::SignalFd::new(&[libc::SIGHUP, libc::SIGTERM, libc::SIGINT])
        .map_err(|e| format!("signalfd: {e}"))?;
    let records = read_records(dir)?;
    let addr = SocketAddr::new(records.listen, 53);
    let udp = UdpSocket::bind(addr).map_err(|e| format!("listening on udp {addr}: {e}"))?;
    let tcp = TcpListener::bind(addr).map_err(|e| format!("listening on tcp {addr}: {e}"))?;
    udp.set_nonblocking(true).map_err(|e| e.to_string())?;
    tcp.set_nonblocking(true).map_err(|e| e.to_string())?;
    Ok(Server {
        dir: dir.to_path_buf(),
        records,
        signals,
        udp,
        tcp,
        conns: Vec::new(),
        pending: Vec::new(),
        buf: vec![0; 65_536],
    })
}

fn read_records(dir: &Path) -> Result<Records, String> {
    let path = dir.join(super::RECORDS);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Where a forwarded reply goes back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    Udp(SocketAddr),
    /// A TCP client, by its connection's serial number.
    Tcp(u64),
}

struct Pending {
    sock: UdpSocket,
    query: Vec<u8>,
    id: u16,
    client: Client,
    upstreams: Vec<IpAddr>,
    tried: usize,
    deadline: Instant,
}

struct Conn {
    serial: u64,
    stream: TcpStream,
    buf: Vec<u8>,
    deadline: Instant,
}

struct Server {
    dir: PathBuf,
    records: Records,
    signals: crate::sys::signalfd::SignalFd,
    udp: UdpSocket,
    tcp: TcpListener,
    conns: Vec<Conn>,
    pending: Vec<Pending>,
    buf: Vec<u8>,
}

impl Server {
    fn run(&mut self) {
        let mut serial = 0u64;
        let mut trimmed = false;
        loop {
            let mut fds = vec![
                sp::pollfd(self.signals.as_raw_fd(), sp::POLLIN),
                sp::pollfd(self.udp.as_raw_fd(), sp::POLLIN),
                sp::pollfd(self.tcp.as_raw_fd(), sp::POLLIN),
            ];
            fds.extend(
                self.conns
                    .iter()
                    .map(|c| sp::pollfd(c.stream.as_raw_fd(), sp::POLLIN)),
            );
            fds.extend(
                self.pending
                    .iter()
                    .map(|p| sp::pollfd(p.sock.as_raw_fd(), sp::POLLIN)),
            );
            let now = Instant::now();
            let next = self
                .conns
                .iter()
                .map(|c| c.deadline)
                .chain(self.pending.iter().map(|p| p.deadline))
                .min();
            let mut timeout = next.map_or(-1, |d| {
                d.saturating_duration_since(now).as_millis().min(60_000) as i32 + 1
            });
            // The first time the loop goes idle, give back what start-up
            // touched (as the shim does); what the loop needs comes back.
            if !trimmed {
                timeout = if timeout < 0 {
                    IDLE_TRIM_MS
                } else {
                    timeout.min(IDLE_TRIM_MS)
                };
            }
            match sp::poll(&mut fds, timeout) {
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
                Ok(0) if !trimmed && self.pending.is_empty() => {
                    sp::trim_resident_memory();
                    trimmed = true;
                }
                Ok(_) => {}
            }
            let ready = |i: usize| fds[i].revents != 0;
            if ready(0) {
                while let Ok(Some(sig)) = self.signals.read_signal() {
                    if sig == libc::SIGHUP {
                        match read_records(&self.dir) {
                            Ok(r) => self.records = r,
                            Err(e) => eprintln!("berth dns: reloading: {e}"),
                        }
                        // Parsing touched code and heap the answers do
                        // not need: give them back at the next idle.
                        trimmed = false;
                    } else {
                        return;
                    }
                }
            }
            let conns_ready: Vec<u64> = (0..self.conns.len())
                .filter(|i| ready(3 + i))
                .map(|i| self.conns[i].serial)
                .collect();
            let base = 3 + self.conns.len();
            let pending_ready: Vec<usize> = (0..self.pending.len())
                .filter(|i| ready(base + i))
                .collect();
            if ready(1) {
                self.read_udp();
            }
            if ready(2) {
                while let Ok((stream, _)) = self.tcp.accept() {
                    if self.conns.len() >= MAX_TCP || stream.set_nonblocking(true).is_err() {
                        continue;
                    }
                    serial += 1;
                    self.conns.push(Conn {
                        serial,
                        stream,
                        buf: Vec::new(),
                        deadline: Instant::now() + TCP_IDLE,
                    });
                }
            }
            for s in conns_ready {
                self.read_tcp(s);
            }
            // Highest index first: finishing one removes it.
            for i in pending_ready.into_iter().rev() {
                self.read_upstream(i);
            }
            self.expire();
        }
    }

    fn read_udp(&mut self) {
        for _ in 0..64 {
            let (n, from) = match self.udp.recv_from(&mut self.buf) {
                Ok(x) => x,
                Err(_) => return,
            };
            let msg = self.buf[..n].to_vec();
            self.handle(&msg, Client::Udp(from), from.ip());
        }
    }

    fn read_tcp(&mut self, serial: u64) {
        let Some(at) = self.conns.iter().position(|c| c.serial == serial) else {
            return;
        };
        let mut chunk = [0u8; 4096];
        let c = &mut self.conns[at];
        let closed = match c.stream.read(&mut chunk) {
            Ok(0) => true,
            Ok(n) => {
                c.buf.extend_from_slice(&chunk[..n]);
                c.deadline = Instant::now() + TCP_IDLE;
                c.buf.len() > 2 + 65_535
            }
            Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
        };
        if closed {
            self.conns.remove(at);
            return;
        }
        let from = match self.conns[at].stream.peer_addr() {
            Ok(a) => a.ip(),
            Err(_) => {
                self.conns.remove(at);
                return;
            }
        };
        loop {
            let Some(c) = self.conns.iter_mut().find(|c| c.serial == serial) else {
                return;
            };
            if c.buf.len() < 2 {
                return;
            }
            let len = usize::from(u16::from_be_bytes([c.buf[0], c.buf[1]]));
            if c.buf.len() < 2 + len {
                return;
            }
            let msg: Vec<u8> = c.buf.drain(..2 + len).skip(2).collect();
            self.handle(&msg, Client::Tcp(serial), from);
        }
    }

    /// Answer or forward one query.
    fn handle(&mut self, msg: &[u8], client: Client, from: IpAddr) {
        let Some(q) = wire::parse_query(msg) else {
            if let Some(r) = wire::error_reply(msg, wire::RCODE_FORMERR) {
                self.send(client, r);
            }
            return;
        };
        if !q.is_standard() {
            if let Some(r) = wire::error_reply(msg, wire::RCODE_NOTIMP) {
                self.send(client, r);
            }
            return;
        }
        let answer = if q.qclass == wire::CLASS_IN {
            self.records.answer(&q.name, q.qtype, from)
        } else {
            Answer::Forward(self.records.upstreams_for(from))
        };
        match answer {
            Answer::Local(rr) => {
                let mut r = wire::reply(msg, &q, wire::RCODE_NOERROR, &rr);
                if matches!(client, Client::Udp(_)) {
                    r = wire::truncate_for_udp(r, &q);
                }
                self.send(client, r);
            }
            Answer::Fail => self.send(client, wire::reply(msg, &q, wire::RCODE_SERVFAIL, &[])),
            Answer::Forward(upstreams) => {
                if self.pending.len() >= MAX_PENDING || upstreams.is_empty() {
                    self.send(client, wire::reply(msg, &q, wire::RCODE_SERVFAIL, &[]));
                    return;
                }
                let mut p = Pending {
                    sock: match UdpSocket::bind((IpAddr::from([0, 0, 0, 0]), 0)) {
                        Ok(s) => s,
                        Err(_) => {
                            self.send(client, wire::reply(msg, &q, wire::RCODE_SERVFAIL, &[]));
                            return;
                        }
                    },
                    query: msg.to_vec(),
                    id: q.id,
                    client,
                    upstreams,
                    tried: 0,
                    deadline: Instant::now(),
                };
                if p.sock.set_nonblocking(true).is_ok() && try_next(&mut p) {
                    self.pending.push(p);
                } else {
                    self.send(client, wire::reply(msg, &q, wire::RCODE_SERVFAIL, &[]));
                }
            }
        }
    }

    fn read_upstream(&mut self, i: usize) {
        let p = &mut self.pending[i];
        match p.sock.recv(&mut self.buf) {
            Ok(n) if n >= 12 && u16::from_be_bytes([self.buf[0], self.buf[1]]) == p.id => {
                let reply = self.buf[..n].to_vec();
                let p = self.pending.swap_remove(i);
                self.send(p.client, reply);
            }
            // Not our reply (a stray datagram): keep waiting.
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            // ICMP unreachable and the like: the next server now.
            Err(_) => self.retry(i),
        }
    }

    fn retry(&mut self, i: usize) {
        if try_next(&mut self.pending[i]) {
            return;
        }
        let p = self.pending.swap_remove(i);
        if let Some(q) = wire::parse_query(&p.query) {
            self.send(
                p.client,
                wire::reply(&p.query, &q, wire::RCODE_SERVFAIL, &[]),
            );
        }
    }

    fn expire(&mut self) {
        let now = Instant::now();
        self.conns.retain(|c| c.deadline > now);
        let mut i = self.pending.len();
        while i > 0 {
            i -= 1;
            if self.pending[i].deadline <= now {
                self.retry(i);
            }
        }
    }

    fn send(&mut self, client: Client, reply: Vec<u8>) {
        match client {
            Client::Udp(to) => {
                let _ = self.udp.send_to(&reply, to);
            }
            Client::Tcp(serial) => {
                let Some(at) = self.conns.iter().position(|c| c.serial == serial) else {
                    return;
                };
                let mut framed = (reply.len() as u16).to_be_bytes().to_vec();
                framed.extend_from_slice(&reply);
                let s = &mut self.conns[at].stream;
                // A reply fits the socket buffer of a client that reads
                // them; one that does not is dropped rather than waited on.
                let ok = s.set_nonblocking(false).is_ok()
                    && s.set_write_timeout(Some(Duration::from_millis(200)))
                        .is_ok()
                    && s.write_all(&framed).is_ok()
                    && s.set_nonblocking(true).is_ok();
                if !ok {
                    self.conns.remove(at);
                }
            }
        }
    }
}

/// Send the query to the next untried upstream; false when none is left.
fn try_next(p: &mut Pending) -> bool {
    while p.tried < p.upstreams.len().min(MAX_TRIES) {
        let to = SocketAddr::new(p.upstreams[p.tried], 53);
        p.tried += 1;
        // An IPv6 server needs an IPv6 socket.
        if to.is_ipv6() {
            match UdpSocket::bind((IpAddr::from([0u16; 8]), 0)) {
                Ok(s) if s.set_nonblocking(true).is_ok() => p.sock = s,
                _ => continue,
            }
        } else if p.sock.local_addr().is_ok_and(|a| a.is_ipv6()) {
            match UdpSocket::bind((IpAddr::from([0, 0, 0, 0]), 0)) {
                Ok(s) if s.set_nonblocking(true).is_ok() => p.sock = s,
                _ => continue,
            }
        }
        if p.sock.connect(to).is_ok() && p.sock.send(&p.query).is_ok() {
            p.deadline = Instant::now() + UPSTREAM_TIMEOUT;
            return true;
        }
    }
    false
}
