//! Published ports of a container on more than one network (issue 8): the
//! mapping stays on the container's first network, which keeps the default
//! route (Docker's gateway endpoint), so `network connect` of a second
//! network leaves `-p` answering on 127.0.0.1 and on a non-loopback host
//! address, and so does `run --network A --network B -p`. `network
//! disconnect` of the network carrying the ports removes their rules there
//! and moves them, with the default route, to the other network (as
//! Docker, whose ports go with the gateway endpoint), and a later
//! `connect` that makes the first network the gateway again moves them
//! back. Nothing is left on the host.
//!
//! Subnets: 10.232.N.0/24 and 10.233.N.0/24, N the third octet of this
//! env's own subnet (unique per env among the running tests); bridges are
//! this env's bridge name + `p` / `q`.

use crate::containers::Lab;
use crate::require;
use crate::support::wait_for;
use std::time::Duration;

const HTTPD: &[&str] = &[
    "sh",
    "-c",
    "mkdir -p /www && echo hello-multi > /www/index.html && exec httpd -f -p 80 -h /www",
];

/// GET / over plain TCP; the body when it is the test page's.
fn http_get(addr: &str) -> Option<String> {
    crate::support::http_body(addr).filter(|b| b.contains("hello-multi"))
}

/// The addresses a published host port should answer on.
fn targets(port: u16) -> Vec<String> {
    let mut t = vec![format!("127.0.0.1:{port}")];
    t.extend(crate::support::host_address().map(|a| format!("{a}:{port}")));
    t
}

fn assert_answers(port: u16, when: &str) {
    for t in targets(port) {
        let got = wait_for(Duration::from_secs(10), || http_get(&t));
        assert!(got.is_some(), "{t} does not answer {when}");
    }
}

/// Two user networks of this env: (name, bridge, prefix) each.
struct Nets {
    a: (String, String, String),
    b: (String, String, String),
}

fn networks(lab: &Lab) -> Nets {
    let b = lab.b();
    let n = b.subnet.split('.').nth(2).unwrap().to_string();
    let make = |suffix: &str, second: u32| {
        let bridge = format!("{}{suffix}", b.bridge);
        let _ = std::process::Command::new("ip")
            .args(["link", "delete", &bridge])
            .stderr(std::process::Stdio::null())
            .status();
        let prefix = format!("10.{second}.{n}");
        let name = lab.name(&format!("net{suffix}"));
        let opt = format!("com.docker.network.bridge.name={bridge}");
        let subnet = format!("{prefix}.0/24");
        b.ok(&["network", "create", "--subnet", &subnet, "-o", &opt, &name]);
        (name, bridge, prefix)
    };
    Nets {
        a: make("p", 232),
        b: make("q", 233),
    }
}

/// iptables lines naming a prefix or a container of the lab, links on the
/// bridges, leases: what must be gone after the test.
fn leftovers(lab: &Lab, nets: &Nets) -> Vec<String> {
    let ids = lab.known_ids();
    let mut out = crate::support::iptables_rules_where(|l| {
        l.contains(&format!("{}.", nets.a.2))
            || l.contains(&format!("{}.", nets.b.2))
            || ids.iter().any(|id| l.contains(id.as_str()))
    });
    for br in [&nets.a.1, &nets.b.1] {
        let links = std::process::Command::new("ip")
            .args(["-br", "link", "show", "master", br])
            .output()
            .unwrap();
        for l in String::from_utf8_lossy(&links.stdout).lines() {
            out.push(format!("link on {br}: {l}"));
        }
    }
    out
}

fn finish(lab: &Lab, nets: &Nets) {
    lab.b().ok(&["network", "rm", &nets.a.0, &nets.b.0]);
    let gone = wait_for(Duration::from_secs(10), || {
        leftovers(lab, nets).is_empty().then_some(())
    });
    assert!(
        gone.is_some(),
        "left behind:\n{}",
        leftovers(lab, nets).join("\n")
    );
    for br in [&nets.a.1, &nets.b.1] {
        let _ = std::process::Command::new("ip")
            .args(["link", "delete", br])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// Whether a nat rule DNATs to an address of `prefix` (a.b.c).
fn dnat_to(prefix: &str) -> bool {
    let nat = std::process::Command::new("iptables-save")
        .args(["-t", "nat"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&nat.stdout)
        .lines()
        .any(|l| l.contains("DNAT") && l.contains(&format!("--to-destination {prefix}.")))
}

fn default_routes(lab: &Lab, ctr: &str) -> Vec<String> {
    let out = lab.b().ok(&["exec", ctr, "ip", "route"]);
    out.stdout
        .lines()
        .filter(|l| l.starts_with("default"))
        .map(str::to_string)
        .collect()
}

#[test]
fn network_ports_stay_on_the_first_network_after_connect() {
    require!(@network);
    let lab = Lab::new();
    let nets = networks(&lab);
    let b = lab.b();
    let port = crate::support::free_port();
    let web = lab.name("web");
    let p = format!("{port}:80");
    lab.run_d(&["--name", &web, "--network", &nets.a.0, "-p", &p], HTTPD);
    assert_answers(port, "before connect");

    b.ok(&["network", "connect", &nets.b.0, &web]);
    let routes = default_routes(&lab, &web);
    assert_eq!(routes.len(), 1, "{routes:?}");
    assert!(routes[0].contains(&format!("{}.1", nets.a.2)), "{routes:?}");
    assert_answers(port, "after network connect");
    let out = b.ok(&["port", &web]);
    assert!(out.stdout.contains(&format!(":{port}")), "{out}");

    // Disconnecting the network that carries the ports moves them with the
    // default route to B (Docker's next gateway endpoint): the host stays
    // reachable through B's bridge and the ports answer there; A's DNAT
    // rules are gone.
    b.ok(&["network", "disconnect", &nets.a.0, &web]);
    let routes = default_routes(&lab, &web);
    assert_eq!(routes.len(), 1, "{routes:?}");
    assert!(
        routes[0].starts_with(&format!("default via {}.1 dev eth1", nets.b.2)),
        "{routes:?}"
    );
    if let Some(addr) = crate::support::host_address() {
        b.ok(&["exec", &web, "ping", "-c", "1", "-W", "3", &addr]);
    }
    assert_answers(port, "after the ports moved to B");
    let out = b.ok(&["port", &web, "80"]);
    assert_eq!(out.stdout, crate::support::all_addresses(port));
    assert!(!dnat_to(&nets.a.2), "DNAT to A is left");
    assert!(dnat_to(&nets.b.2), "no DNAT to B");
    // Connecting A again makes it the gateway endpoint (moby's order: by
    // name), and the ports move back with it.
    b.ok(&["network", "connect", &nets.a.0, &web]);
    let routes = default_routes(&lab, &web);
    assert_eq!(routes.len(), 1, "{routes:?}");
    assert!(routes[0].contains(&format!("{}.1", nets.a.2)), "{routes:?}");
    assert_answers(port, "after connecting the first network again");
    assert!(dnat_to(&nets.a.2), "no DNAT to A");
    assert!(!dnat_to(&nets.b.2), "the ports stayed on B too");
    b.ok(&["rm", "-f", &web]);
    finish(&lab, &nets);
}

#[test]
fn network_ports_with_two_networks_at_run() {
    require!(@network);
    let lab = Lab::new();
    let nets = networks(&lab);
    let b = lab.b();
    let port = crate::support::free_port();
    let web = lab.name("web2");
    let p = format!("{port}:80");
    lab.run_d(
        &[
            "--name",
            &web,
            "--network",
            &nets.a.0,
            "--network",
            &nets.b.0,
            "-p",
            &p,
        ],
        HTTPD,
    );
    let routes = default_routes(&lab, &web);
    assert_eq!(routes.len(), 1, "{routes:?}");
    assert!(routes[0].contains(&format!("{}.1", nets.a.2)), "{routes:?}");
    assert_answers(port, "with two networks");
    b.ok(&["rm", "-f", &web]);
    finish(&lab, &nets);
}
