//! The per-network name server through the binary: on a user network a
//! busybox `nslookup` (a direct DNS query to the server its resolv.conf
//! names: the network's gateway) resolves the peers by name, hostname,
//! alias, short ID and `name.<network>`, and their addresses back (PTR);
//! other names are forwarded to the "host's resolvers", here a tiny UDP
//! responder this test runs on a loopback address (`resolv_conf` in
//! berth.toml points at a file naming it, so nothing leaves the machine),
//! or to a container's own `--dns` server; NXDOMAIN comes back as it is.
//! A peer that stops stops resolving; two containers starting at once get
//! one server; a killed server is started again by the next command (its
//! sweep) or join; names resolve on a host whose INPUT chain drops the
//! bridge's traffic; the server exits with the last member and leaves no
//! process, state or iptables rule. The server's PSS and the query latency
//! (from the host, to the gateway) are printed.
//!
//! A container on two user networks resolves the members of both through
//! the server of the first; a container on one only does not see the
//! other's.
//!
//! Subnets: 10.70-89.n.0/24 (n this env's own third octet); upstream
//! responders on 127.77.<pid>.x.

use crate::containers::{processes, Lab};
use crate::require;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A user network on its own bridge (this env's name + `suffix`) and
/// subnet (second octet `base`..`base`+9); returns (name, id, gateway).
fn user_network(lab: &Lab, what: &str, base: u32, suffix: char) -> (String, String, String) {
    let b = lab.b();
    let bridge = format!("{}{suffix}", b.bridge);
    let (_, rest) = b.subnet.split_once('.').unwrap();
    let (second, rest) = rest.split_once('.').unwrap();
    let third = rest.split_once('.').unwrap().0;
    let second: u32 = second.parse().unwrap();
    let prefix = format!("10.{}.{third}", base + (second - 100) % 10);
    let name = lab.name(what);
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", &bridge])
        .stderr(std::process::Stdio::null())
        .status();
    let id = b
        .ok(&[
            "network",
            "create",
            "--subnet",
            &format!("{prefix}.0/24"),
            "-o",
            &format!("com.docker.network.bridge.name={bridge}"),
            &name,
        ])
        .stdout
        .trim()
        .to_string();
    (name, id, format!("{prefix}.1"))
}

/// Deletes this test's bridges however it ends: a failed run must not
/// leave an address of a subnet a later run takes again.
struct Links(Vec<String>);

impl Drop for Links {
    fn drop(&mut self) {
        for l in &self.0 {
            if Path::new("/sys/class/net").join(l).exists() {
                let _ = std::process::Command::new("ip")
                    .args(["link", "delete", l])
                    .stderr(std::process::Stdio::null())
                    .status();
            }
        }
    }
}

fn links(lab: &Lab) -> Links {
    let b = lab.b();
    Links(vec![
        format!("{}d", b.bridge),
        format!("{}e", b.bridge),
        b.bridge.clone(),
    ])
}

/// `iptables -A INPUT -i <bridge> -j DROP`, deleted on drop.
struct DropRule(String);

impl DropRule {
    fn append(bridge: &str) -> DropRule {
        let ok = std::process::Command::new("iptables")
            .args(["-w", "-A", "INPUT", "-i", bridge, "-j", "DROP"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "iptables -A INPUT");
        DropRule(bridge.to_string())
    }
}

impl Drop for DropRule {
    fn drop(&mut self) {
        let _ = std::process::Command::new("iptables")
            .args(["-w", "-D", "INPUT", "-i", &self.0, "-j", "DROP"])
            .status();
    }
}

/// A loopback address of this test's own for an upstream responder.
fn upstream_addr() -> Ipv4Addr {
    static N: AtomicU32 = AtomicU32::new(1);
    let n = N.fetch_add(1, Ordering::SeqCst);
    Ipv4Addr::new(127, 77, (std::process::id() % 250) as u8, n as u8)
}

/// A UDP name server on `addr:53` answering `outside.example` with
/// `answer` and everything else with NXDOMAIN, until dropped.
struct Upstream {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Upstream {
    fn start(addr: Ipv4Addr, answer: Ipv4Addr) -> Upstream {
        let sock = UdpSocket::bind((addr, 53)).expect("binding the upstream responder");
        sock.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 1500];
            while !flag.load(Ordering::SeqCst) {
                let Ok((n, from)) = sock.recv_from(&mut buf) else {
                    continue;
                };
                if let Some(r) = answer_query(&buf[..n], answer) {
                    let _ = sock.send_to(&r, from);
                }
            }
        });
        Upstream {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The name and type of a query's question, and where the question ends.
fn question(msg: &[u8]) -> Option<(String, u16, usize)> {
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let len = *msg.get(at)? as usize;
        at += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(msg.get(at..at + len)?).into_owned());
        at += len;
    }
    let qtype = u16::from_be_bytes([*msg.get(at)?, *msg.get(at + 1)?]);
    Some((labels.join("."), qtype, at + 4))
}

fn answer_query(msg: &[u8], answer: Ipv4Addr) -> Option<Vec<u8>> {
    let (name, qtype, end) = question(msg)?;
    let known = name.eq_ignore_ascii_case("outside.example");
    let mut r = msg[..end].to_vec();
    r[2] = 0x81;
    r[3] = if known { 0x80 } else { 0x83 };
    r[6..12].fill(0);
    if known && qtype == 1 {
        r[7] = 1;
        r.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
        r.extend_from_slice(&answer.octets());
    }
    Some(r)
}

/// A query for `name` (type A) as a client sends it.
fn query(id: u16, name: &str) -> Vec<u8> {
    let mut m = id.to_be_bytes().to_vec();
    m.extend_from_slice(&[1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    for l in name.split('.') {
        m.push(l.len() as u8);
        m.extend_from_slice(l.as_bytes());
    }
    m.extend_from_slice(&[0, 0, 1, 0, 1]);
    m
}

fn nslookup(lab: &Lab, ctr: &str, name: &str) -> crate::support::berth::Out {
    lab.b().run(&["exec", ctr, "busybox", "nslookup", name])
}

fn ip_of(lab: &Lab, ctr: &str, net: &str) -> String {
    let out = lab.b().ok(&[
        "inspect",
        "-f",
        &format!("{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}"),
        ctr,
    ]);
    out.stdout.trim().to_string()
}

fn server_dir(lab: &Lab, net_id: &str) -> PathBuf {
    lab.b().state_root.join("dns").join(net_id)
}

/// Pids of name server processes serving `dir`.
fn servers_of(dir: &Path) -> Vec<i32> {
    let want = format!("internal\0dns\0{}", dir.display());
    processes()
        .into_iter()
        .filter(|(_, cmd)| cmd.contains(&want))
        .map(|(p, _)| p)
        .collect()
}

/// A field of the process's `smaps_rollup`, in KiB.
fn smaps_kib(pid: i32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn iptables_rules() -> String {
    std::process::Command::new("iptables-save")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// Point the lab's "host resolvers" at `server`.
fn use_host_resolver(lab: &Lab, server: Ipv4Addr) {
    let b = lab.b();
    let file = b.base().join("host-resolv.conf");
    std::fs::write(&file, format!("nameserver {server}\n")).unwrap();
    let mut cfg = std::fs::read_to_string(&b.config).unwrap();
    cfg.push_str(&format!("resolv_conf = {:?}\n", file.display().to_string()));
    std::fs::write(&b.config, cfg).unwrap();
}

#[test]
fn network_dns_server_resolves_peers_and_forwards() {
    require!(@network);
    let lab = Lab::new();
    let _links = links(&lab);
    let b = lab.b();
    let host_upstream = upstream_addr();
    let own_upstream = upstream_addr();
    let _u1 = Upstream::start(host_upstream, Ipv4Addr::new(192, 0, 2, 77));
    let _u2 = Upstream::start(own_upstream, Ipv4Addr::new(192, 0, 2, 78));
    use_host_resolver(&lab, host_upstream);
    let (net, net_id, gateway) = user_network(&lab, "dnsnet", 70, 'd');

    let web = lab.name("web");
    let web_id = lab.run_d(
        &[
            "--name",
            &web,
            "--hostname",
            "webhost",
            "--network",
            &net,
            "--network-alias",
            "www",
        ],
        &["sleep", "120"],
    );
    let cli = lab.name("cli");
    lab.run_d(&["--name", &cli, "--network", &net], &["sleep", "120"]);
    let web_ip = ip_of(&lab, &web, &net);
    let cli_ip = ip_of(&lab, &cli, &net);

    let resolv = b.ok(&["exec", &cli, "cat", "/etc/resolv.conf"]).stdout;
    assert!(
        resolv.contains(&format!("nameserver {gateway}\n")),
        "{resolv}"
    );
    assert_eq!(resolv.matches("nameserver").count(), 1, "{resolv}");

    let dir = server_dir(&lab, &net_id);
    let pids = servers_of(&dir);
    assert_eq!(pids.len(), 1, "one server for the network: {pids:?}");
    let pid = pids[0];
    assert!(iptables_rules().contains(&format!("berth-dns {net_id}")));

    // By name, hostname, alias, short ID, under the network's name, in
    // any case; and from the other side.
    for name in [
        web.clone(),
        "webhost".into(),
        "WWW".into(),
        web_id[..12].to_string(),
        format!("{web}.{net}"),
    ] {
        let out = nslookup(&lab, &cli, &name);
        assert!(
            out.code == 0 && out.stdout.contains(&web_ip),
            "nslookup {name}:\n{out}\nserver log: {}",
            std::fs::read_to_string(dir.join("log")).unwrap_or_default()
        );
    }
    let out = nslookup(&lab, &web, &cli);
    assert!(out.stdout.contains(&cli_ip), "{out}");
    // Reverse.
    let out = nslookup(&lab, &cli, &web_ip);
    assert!(
        out.stdout.to_lowercase().contains(&format!("{web}.{net}")),
        "{out}"
    );

    // Forwarded to the host's resolvers; NXDOMAIN passed through.
    let out = nslookup(&lab, &cli, "outside.example");
    assert!(out.stdout.contains("192.0.2.77"), "{out}");
    let out = nslookup(&lab, &cli, "missing.invalid");
    assert_ne!(out.code, 0, "{out}");
    assert!(out.to_string().contains("NXDOMAIN"), "{out}");

    // `--dns`: the resolv.conf still names the network's server, which
    // forwards this container's queries to its own server (Docker's way).
    let own = lab.name("own");
    lab.run_d(
        &[
            "--name",
            &own,
            "--network",
            &net,
            "--dns",
            &own_upstream.to_string(),
        ],
        &["sleep", "120"],
    );
    let resolv = b.ok(&["exec", &own, "cat", "/etc/resolv.conf"]).stdout;
    assert!(
        resolv.contains(&format!("nameserver {gateway}\n")),
        "{resolv}"
    );
    let out = nslookup(&lab, &own, "outside.example");
    assert!(out.stdout.contains("192.0.2.78"), "{out}");
    let out = nslookup(&lab, &own, &web);
    assert!(out.stdout.contains(&web_ip), "{out}");
    assert_eq!(servers_of(&dir), vec![pid], "still the one server");

    // Two networks: the server of the first answers for both, to a member
    // of both only.
    let (net2, _, _) = user_network(&lab, "dnsnet2", 80, 'e');
    let other = lab.name("other");
    lab.run_d(&["--name", &other, "--network", &net2], &["sleep", "120"]);
    let other_ip = ip_of(&lab, &other, &net2);
    let both = lab.name("both");
    lab.run_d(
        &["--name", &both, "--network", &net, "--network", &net2],
        &["sleep", "120"],
    );
    for (name, want) in [
        (other.clone(), &other_ip),
        (format!("{other}.{net2}"), &other_ip),
        (web.clone(), &web_ip),
    ] {
        let out = nslookup(&lab, &both, &name);
        assert!(
            out.stdout.contains(want.as_str()),
            "nslookup {name}:\n{out}"
        );
    }
    let out = nslookup(&lab, &cli, &other);
    assert!(!out.stdout.contains(&other_ip), "{out}");
    b.ok(&["rm", "-f", &both, &other]);
    b.ok(&["network", "rm", &net2]);
    let out = nslookup(&lab, &cli, &web);
    assert!(out.stdout.contains(&web_ip), "{out}");

    // Measurements: PSS and latency from the host.
    let (pss, anon) = (smaps_kib(pid, "Pss:"), smaps_kib(pid, "Pss_Anon:"));
    let sock = UdpSocket::bind("0.0.0.0:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let to: SocketAddr = format!("{gateway}:53").parse().unwrap();
    let rounds = 500u16;
    let mut buf = [0u8; 512];
    let mut timed = |name: &str, answer: [u8; 4]| {
        let started = Instant::now();
        for i in 0..rounds {
            sock.send_to(&query(i, name), to).unwrap();
            let n = sock.recv(&mut buf).expect("a reply from the name server");
            assert_eq!(&buf[..2], &i.to_be_bytes());
            assert_eq!(&buf[n - 4..n], &answer, "{name}");
        }
        started.elapsed() / u32::from(rounds)
    };
    let web_octets: Ipv4Addr = web_ip.parse().unwrap();
    let local = timed(&web, web_octets.octets());
    let forwarded = timed("outside.example", [192, 0, 2, 77]);
    // Over TCP (length-prefixed), a client hanging up early first: the
    // server must survive it.
    {
        use std::io::{Read as _, Write as _};
        let framed = |name: &str| {
            let q = query(7, name);
            let mut m = (q.len() as u16).to_be_bytes().to_vec();
            m.extend_from_slice(&q);
            m
        };
        let mut rude = std::net::TcpStream::connect(to).unwrap();
        rude.write_all(&framed(&web)).unwrap();
        drop(rude);
        let mut c = std::net::TcpStream::connect(to).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        for (name, want) in [
            (web.as_str(), web_octets.octets()),
            ("outside.example", [192, 0, 2, 77]),
        ] {
            c.write_all(&framed(name)).unwrap();
            let mut len = [0u8; 2];
            c.read_exact(&mut len).unwrap();
            let mut r = vec![0u8; usize::from(u16::from_be_bytes(len))];
            c.read_exact(&mut r).unwrap();
            assert_eq!(&r[..2], &[0, 7]);
            assert_eq!(&r[r.len() - 4..], &want, "tcp {name}");
        }
    }
    assert_eq!(servers_of(&dir), vec![pid]);
    eprintln!(
        "network_dns_server: server PSS {pss} KiB (anonymous {anon} KiB, debug build: {}); \
         {rounds} queries from the host, one at a time: local {local:?}, forwarded {forwarded:?} each",
        cfg!(debug_assertions)
    );
    // As the shim's bound (tests/shim.rs): a debug build maps and touches
    // several times more code, so there only anonymous memory is bounded.
    if cfg!(debug_assertions) {
        assert!(anon > 0 && anon < 1200, "anonymous PSS {anon} KiB");
    } else {
        assert!(pss > 0 && pss < 2048, "PSS {pss} KiB");
    }

    // A peer leaving stops resolving.
    b.ok(&["stop", "-t", "1", &web]);
    let out = nslookup(&lab, &cli, &web);
    assert!(!out.stdout.contains(&web_ip), "{out}");
    assert!(!out.stdout.contains(&web_ip), "{out}");

    // The last member leaving ends the server: no process, state or rule.
    b.ok(&["rm", "-f", &cli, &own, &web]);
    assert!(servers_of(&dir).is_empty(), "server still running");
    assert!(!dir.exists(), "{} left", dir.display());
    assert!(!iptables_rules().contains(&format!("berth-dns {net_id}")));
    b.ok(&["network", "rm", &net]);
    assert!(!b
        .state_root
        .join("dns")
        .join(format!("{net_id}.lock"))
        .exists());
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_dns_server_starts_once_and_restarts_after_a_crash() {
    require!(@network);
    let lab = Lab::new();
    let _links = links(&lab);
    let b = lab.b();
    let upstream = upstream_addr();
    let _u = Upstream::start(upstream, Ipv4Addr::new(192, 0, 2, 79));
    use_host_resolver(&lab, upstream);
    let (net, net_id, _gateway) = user_network(&lab, "dnsrace", 70, 'd');
    let dir = server_dir(&lab, &net_id);

    // Two containers joining at once: one server.
    let names: Vec<String> = (0..2).map(|i| lab.name(&format!("r{i}"))).collect();
    let children: Vec<_> = names
        .iter()
        .map(|n| {
            b.spawn(&[
                "run",
                "-d",
                "--name",
                n,
                "--network",
                &net,
                lab.image(),
                "sleep",
                "120",
            ])
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", b.spawned_output());
    }
    let pids = servers_of(&dir);
    assert_eq!(pids.len(), 1, "{pids:?}");
    let out = nslookup(&lab, &names[0], &names[1]);
    assert!(out.code == 0, "{out}");

    // A crashed server is started again by the next berth command (its
    // sweep), with no join needed...
    crate::containers::kill(pids[0], libc::SIGKILL);
    assert!(
        crate::support::wait_for(Duration::from_secs(5), || servers_of(&dir)
            .is_empty()
            .then_some(()))
        .is_some()
    );
    b.ok(&["ps"]);
    let back = servers_of(&dir);
    assert_eq!(back.len(), 1, "{back:?}");
    let out = nslookup(&lab, &names[0], &names[1]);
    assert!(out.code == 0, "{out}");
    // ...and by the next join.
    crate::containers::kill(back[0], libc::SIGKILL);
    assert!(
        crate::support::wait_for(Duration::from_secs(5), || servers_of(&dir)
            .is_empty()
            .then_some(()))
        .is_some()
    );
    let third = lab.name("r2");
    lab.run_d(&["--name", &third, "--network", &net], &["sleep", "4"]);
    let again = servers_of(&dir);
    assert_eq!(again.len(), 1, "{again:?}");
    let out = nslookup(&lab, &third, &names[0]);
    assert!(out.code == 0, "{out}");
    let out = nslookup(&lab, &names[1], "outside.example");
    assert!(out.stdout.contains("192.0.2.79"), "{out}");

    // A host whose INPUT chain drops the bridge's traffic: berth's own
    // accept rule for port 53 on the gateway comes first.
    let drop_rule = DropRule::append(&format!("{}d", b.bridge));
    let out = nslookup(&lab, &names[0], &names[1]);
    assert!(out.code == 0, "{out}\n{}", iptables_rules());
    drop(drop_rule);

    // A container that exits on its own leaves through the shim's cleanup;
    // the server goes with the last one, with no CLI call about it.
    b.ok(&["rm", "-f", &names[0], &names[1]]);
    assert_eq!(servers_of(&dir), again);
    let gone = crate::support::wait_for(Duration::from_secs(20), || {
        (servers_of(&dir).is_empty() && !dir.exists()).then_some(())
    });
    assert!(gone.is_some(), "the server outlived its last member");
    b.ok(&["rm", &third]);
    b.ok(&["network", "rm", &net]);
    lab.remove_all_and_check();
    b.delete_bridge();
}
