//! Test support: the `berth` runner, a loopback registry with a fault proxy,
//! a tiny HTTP client and fake server, offline OCI fixtures, and `require!`.

pub mod berth;
pub mod fixtures;
pub mod http;
pub mod podman;
pub mod proxy;
pub mod registry;
pub mod require;
pub mod skopeo;

pub use berth::{Berth, Out};
pub use registry::Registry;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A fresh temp dir for one test, under `$BERTH_E2E_TMP` when set.
pub fn temp_dir(prefix: &str) -> tempfile::TempDir {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    match std::env::var_os("BERTH_E2E_TMP") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).expect("creating $BERTH_E2E_TMP");
            b.tempdir_in(dir)
        }
        None => b.tempdir(),
    }
    .expect("creating temp dir")
}

/// A name unique to this process and call, for repositories and tags.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Poll `f` until it returns `Some` or `timeout` passes.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() >= end {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A loopback port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    l.local_addr().unwrap().port()
}

/// Whether the host listens on IPv6 (moby's `IsV6Listenable`): then a
/// port published on all addresses also takes `[::]`, as in Docker 28.
pub fn v6_listenable() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}

/// What `port CONTAINER PORT` prints for a binding on all addresses.
pub fn all_addresses(port: u16) -> String {
    if v6_listenable() {
        format!("0.0.0.0:{port}\n[::]:{port}\n")
    } else {
        format!("0.0.0.0:{port}\n")
    }
}

/// A bridge interface of a test's own, up (a macvlan parent: no dummy
/// driver on every kernel), deleted when dropped.
pub struct TempLink(pub String);

impl TempLink {
    pub fn bridge(name: &str) -> TempLink {
        let ip = |args: &[&str]| {
            std::process::Command::new("ip")
                .args(args)
                .stderr(std::process::Stdio::null())
                .status()
                .expect("ip")
        };
        ip(&["link", "delete", name]);
        assert!(ip(&["link", "add", name, "type", "bridge"]).success());
        assert!(ip(&["link", "set", name, "up"]).success());
        TempLink(name.to_string())
    }
}

impl Drop for TempLink {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip")
            .args(["link", "delete", &self.0])
            .status();
    }
}

/// `sha256:<hex>` of `data`.
pub fn sha256(data: &[u8]) -> String {
    use sha2::{Digest as _, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// The hex part of `sha256:<hex>`.
pub fn hex_of(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap_or(digest)
}

/// Every file (not dir) below `root`, recursively; symlinks are not followed.
pub fn walk_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(_) => out.push(p),
                Err(_) => {}
            }
        }
    }
    out.sort();
    out
}

/// Every entry (files, dirs, links) below `root`, recursively.
pub fn walk_all(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A fresh registry holding one fixture and a `Berth` that reaches it over HTTP.
pub struct Served {
    pub reg: Registry,
    pub berth: Berth,
    /// Repository path inside the registry (unique per call).
    pub repo: String,
    /// `127.0.0.1:<port>/<repo>`
    pub name: String,
    /// `<name>:v1`
    pub image: String,
    /// The digest the registry serves for the tag.
    pub digest: String,
}

/// Start a registry, push `fx` as `<unique repo>:v1` with skopeo (as Docker
/// schema 2 when `v2s2`), and prepare a `Berth` that trusts the registry.
pub fn serve(fx: &fixtures::Fixture) -> Served {
    serve_with(fx, skopeo::PushOpts::default())
}

pub fn serve_with(fx: &fixtures::Fixture, opts: skopeo::PushOpts) -> Served {
    let reg = Registry::start();
    let repo = unique(fx.name);
    let digest = skopeo::push_with(fx, &reg, &repo, "v1", opts);
    let berth = Berth::new();
    berth.set_insecure(&[&reg.host()]);
    let name = format!("{}/{repo}", reg.host());
    Served {
        image: format!("{name}:v1"),
        name,
        repo,
        digest,
        reg,
        berth,
    }
}

/// A first non-loopback IPv4 address of the host (not a test bridge's).
pub fn host_address() -> Option<String> {
    let out = std::process::Command::new("ip")
        .args(["-4", "-o", "addr", "show", "scope", "global"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.contains(" bt") && !l.contains(" br-") && !l.contains(" berth"))
        .find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let i = f.iter().position(|w| *w == "inet")?;
            Some(f.get(i + 1)?.split('/').next()?.to_string())
        })
}

/// The nat and filter rules (`iptables-save` lines) `keep` selects, each
/// as `iptables TABLE: LINE`: what a leak check reports.
pub fn iptables_rules_where(keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for table in ["nat", "filter"] {
        let dump = std::process::Command::new("iptables-save")
            .args(["-t", table])
            .output()
            .expect("iptables-save");
        for l in String::from_utf8_lossy(&dump.stdout).lines() {
            if l.starts_with('-') && keep(l) {
                out.push(format!("iptables {table}: {l}"));
            }
        }
    }
    out
}

/// GET / over plain TCP (HTTP/1.0); the response body, or None when
/// nothing answers within a few seconds.
pub fn http_body(addr: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s =
        std::net::TcpStream::connect_timeout(&addr.parse().ok()?, Duration::from_secs(2)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(3))).ok()?;
    s.write_all(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    Some(buf.split_once("\r\n\r\n")?.1.to_string())
}

/// Split an `iptables-save` rule line into words: double quotes group
/// (comments with spaces), a backslash escapes inside them.
pub fn split_rule(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let (mut in_word, mut quoted) = (false, false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => cur.extend(chars.next()),
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}
