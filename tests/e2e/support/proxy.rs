//! `FaultProxy`: a loopback TCP proxy in front of a registry that can cut
//! every connection once N response bytes have passed (the registry "dies
//! mid-blob" and stays down until `set` is called again), throttle responses,
//! or refuse connections. It counts bytes, it does not parse HTTP.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward everything.
    Pass,
    /// After this many response bytes (counted from the last `set`), close
    /// all connections and refuse new ones.
    CutAfter(u64),
    /// Forward responses at about this many bytes per second.
    Throttle(u64),
    /// Refuse (close) every connection.
    Down,
}

struct State {
    upstream: String,
    fault: Mutex<Fault>,
    sent: AtomicU64,
    dead: AtomicBool,
    conns: Mutex<Vec<TcpStream>>,
}

impl State {
    fn fault(&self) -> Fault {
        *self.fault.lock().unwrap()
    }

    fn cut_all(&self) {
        self.dead.store(true, Ordering::SeqCst);
        for c in self.conns.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}

pub struct FaultProxy {
    pub port: u16,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Listen on a free loopback port and forward to `upstream` (`host:port`).
    pub fn start(upstream: &str) -> FaultProxy {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        l.set_nonblocking(true).unwrap();
        let state = Arc::new(State {
            upstream: upstream.to_string(),
            fault: Mutex::new(Fault::Pass),
            sent: AtomicU64::new(0),
            dead: AtomicBool::new(false),
            conns: Mutex::new(Vec::new()),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let (st, stop2) = (state.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                match l.accept() {
                    Ok((client, _)) => {
                        let st = st.clone();
                        std::thread::spawn(move || handle(client, st));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            st.cut_all();
        });
        FaultProxy {
            port,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// Switch behaviour; resets the byte counter and revives a cut proxy.
    pub fn set(&self, fault: Fault) {
        *self.state.fault.lock().unwrap() = fault;
        self.state.sent.store(0, Ordering::SeqCst);
        self.state.dead.store(false, Ordering::SeqCst);
    }

    /// True once a `CutAfter` fired.
    pub fn was_cut(&self) -> bool {
        self.state.dead.load(Ordering::SeqCst)
    }

    /// Response bytes forwarded since the last `set`.
    pub fn response_bytes(&self) -> u64 {
        self.state.sent.load(Ordering::SeqCst)
    }

    /// `127.0.0.1:<port>`
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:<port>/<repo>:<tag>`
    pub fn image(&self, repo: &str, tag: &str) -> String {
        format!("{}/{repo}:{tag}", self.host())
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(client: TcpStream, st: Arc<State>) {
    let _ = client.set_nonblocking(false);
    if st.dead.load(Ordering::SeqCst) || st.fault() == Fault::Down {
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    let Ok(upstream) = TcpStream::connect(&st.upstream) else {
        return;
    };
    {
        let mut conns = st.conns.lock().unwrap();
        conns.push(client.try_clone().unwrap());
        conns.push(upstream.try_clone().unwrap());
    }
    // Requests: forwarded untouched.
    let (mut c_in, mut u_out) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut c_in, &mut u_out);
        let _ = u_out.shutdown(Shutdown::Write);
    });
    // Responses: counted, cut or throttled.
    let (mut u_in, mut c_out) = (upstream, client);
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        if st.dead.load(Ordering::SeqCst) {
            break;
        }
        let n = match u_in.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        match st.fault() {
            Fault::Pass => {
                st.sent.fetch_add(n as u64, Ordering::SeqCst);
                if c_out.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Fault::Down => {
                st.cut_all();
                break;
            }
            Fault::CutAfter(limit) => {
                let before = st.sent.fetch_add(n as u64, Ordering::SeqCst);
                if before + n as u64 > limit {
                    let keep = limit.saturating_sub(before) as usize;
                    let _ = c_out.write_all(&buf[..keep]);
                    let _ = c_out.flush();
                    st.cut_all();
                    break;
                }
                if c_out.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Fault::Throttle(rate) => {
                let step = (rate / 20).max(1) as usize;
                let mut ok = true;
                for piece in buf[..n].chunks(step) {
                    st.sent.fetch_add(piece.len() as u64, Ordering::SeqCst);
                    if c_out.write_all(piece).is_err() {
                        ok = false;
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                if !ok {
                    break;
                }
            }
        }
    }
    let _ = c_out.shutdown(Shutdown::Both);
    let _ = u_in.shutdown(Shutdown::Both);
}
