//! `network connect` and `network disconnect` through the binary (issue 8):
//! a running container joins a second user network as its next interface
//! and reaches a peer there by name (`/etc/hosts` and a direct DNS query)
//! and by address; inspect shows it; disconnect takes the interface, the
//! lease and the peer's hosts line away. A stopped container is connected
//! in its config only and gets the network at its next start. Docker's
//! refusals. Each test checks that nothing is left on the host.
//!
//! Subnets: 10.30-39.n.0/24 and 10.40-49.n.0/24 (n this env's own third
//! octet), `fd30:<second octet>:<n>::/64` for IPv6; bridges are this env's
//! bridge name + `j` / `k`, deleted at the end.

use crate::containers::Lab;
use crate::require;
use std::path::Path;

/// This env's user network number `which` (0 or 1): (name, bridge, IPv4
/// prefix, IPv6 prefix).
fn user_network(lab: &Lab, what: &str, which: u32, ipv6: bool) -> (String, String, String, String) {
    let b = lab.b();
    let bridge = format!("{}{}", b.bridge, if which == 0 { "j" } else { "k" });
    let (_, rest) = b.subnet.split_once('.').unwrap();
    let (second, rest) = rest.split_once('.').unwrap();
    let third = rest.split_once('.').unwrap().0;
    let second: u32 = second.parse().unwrap();
    let prefix = format!("10.{}.{third}", 30 + which * 10 + (second - 100) % 10);
    let prefix6 = format!("fd30:{second}:{third}:{which}:");
    let name = lab.name(what);
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", &bridge])
        .stderr(std::process::Stdio::null())
        .status();
    let subnet = format!("{prefix}.0/24");
    let subnet6 = format!("{prefix6}:/64");
    let opt = format!("com.docker.network.bridge.name={bridge}");
    let mut args = vec!["network", "create", "--subnet", &subnet, "-o", &opt];
    if ipv6 {
        args.extend(["--ipv6", "--subnet", &subnet6]);
    }
    args.push(&name);
    b.ok(&args);
    (name, bridge, prefix, prefix6)
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

fn networks_of(lab: &Lab, ctr: &str) -> Vec<String> {
    let out = lab.b().ok(&[
        "inspect",
        "-f",
        "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
        ctr,
    ]);
    out.stdout.split_whitespace().map(str::to_string).collect()
}

fn hosts_of(lab: &Lab, ctr: &str) -> String {
    lab.b().ok(&["exec", ctr, "cat", "/etc/hosts"]).stdout
}

/// What this lab's networks left on the host: iptables lines naming one of
/// the prefixes or a container of the lab, links on the bridges, pinned
/// namespaces, IPAM leases.
fn leftovers(lab: &Lab, prefixes: &[&str], bridges: &[&str]) -> Vec<String> {
    let b = lab.b();
    let ids = lab.known_ids();
    let mut out = Vec::new();
    for table in ["nat", "filter"] {
        let dump = std::process::Command::new("iptables-save")
            .args(["-t", table])
            .output()
            .unwrap();
        for l in String::from_utf8_lossy(&dump.stdout).lines() {
            if l.starts_with('-')
                && (prefixes.iter().any(|p| l.contains(&format!("{p}.")))
                    || ids.iter().any(|id| l.contains(id.as_str())))
            {
                out.push(format!("iptables {table}: {l}"));
            }
        }
    }
    for br in bridges {
        if Path::new("/sys/class/net").join(br).exists() {
            out.push(format!("bridge {br}"));
        }
    }
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    let netns = b.state_root.join("netns");
    for l in mountinfo.lines() {
        if l.contains(netns.to_str().unwrap()) {
            out.push(format!("netns mount: {l}"));
        }
    }
    for lease in leases(lab) {
        out.push(format!("lease: {lease}"));
    }
    out
}

/// The addresses host-local holds (files named by an address).
fn leases(lab: &Lab) -> Vec<String> {
    crate::support::walk_files(&lab.b().state_root.join("network/ipam"))
        .into_iter()
        .filter_map(|p| {
            let n = p.file_name()?.to_string_lossy().into_owned();
            n.parse::<std::net::IpAddr>().is_ok().then_some(n)
        })
        .collect()
}

/// `wget` from `ctr` until it answers (a fresh interface may need a moment
/// for its neighbour entries), returning the last output.
fn wget(lab: &Lab, ctr: &str, url: &str) -> String {
    let mut got = String::new();
    for _ in 0..50 {
        let out = lab.b().run(&["exec", ctr, "wget", "-q", "-O", "-", url]);
        got = out.to_string();
        if out.code == 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    got
}

/// busybox `nslookup NAME SERVER` from `ctr`, retried a few times; on
/// failure the name servers' files are shown with the last output.
fn nslookup(lab: &Lab, ctr: &str, name: &str, server: &str) -> String {
    let b = lab.b();
    let mut last = String::new();
    for _ in 0..5 {
        let out = b.run(&["exec", ctr, "busybox", "nslookup", name, server]);
        if out.code == 0 {
            return out.stdout;
        }
        last = out.to_string();
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let mut files = String::new();
    for f in crate::support::walk_files(&b.state_root.join("dns")) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        files.push_str(&format!("== {}\n{text}\n", f.display()));
    }
    panic!("nslookup {name} {server} from {ctr}:\n{last}\n{files}");
}

#[test]
fn network_connect_verbs_running_container_joins_and_leaves() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (front, front_br, front_prefix, _) = user_network(&lab, "front", 0, false);
    let (back, back_br, back_prefix, _) = user_network(&lab, "back", 1, false);

    let peer = lab.name("peer");
    lab.run_d(
        &["--name", &peer, "--network", &back],
        &[
            "sh",
            "-c",
            "mkdir -p /srv && echo hello-back > /srv/i.html && exec httpd -f -p 80 -h /srv",
        ],
    );
    let peer_ip = ip_of(&lab, &peer, &back);
    let app = lab.name("app");
    let app_id = lab.run_d(&["--name", &app, "--network", &front], &["sleep", "300"]);
    assert_eq!(networks_of(&lab, &app), [front.as_str()]);
    let out = b.run(&["exec", &app, "ip", "link", "show", "eth1"]);
    assert_ne!(out.code, 0, "{out}");

    // Connect: the next interface, an address of the second network, the
    // peer by name (hosts file and DNS) and by address.
    let out = b.ok(&["network", "connect", "--alias", "appalias", &back, &app]);
    assert!(out.stdout.is_empty(), "{out}");
    let app_back_ip = ip_of(&lab, &app, &back);
    assert!(
        app_back_ip.starts_with(&format!("{back_prefix}.")),
        "{app_back_ip}"
    );
    let out = b.ok(&["exec", &app, "ip", "-4", "-o", "addr", "show", "eth1"]);
    assert!(out.stdout.contains(&format!(" {app_back_ip}/24 ")), "{out}");
    let mut nets = networks_of(&lab, &app);
    nets.sort();
    let mut want = vec![front.clone(), back.clone()];
    want.sort();
    assert_eq!(nets, want);
    let out = b.ok(&[
        "inspect",
        "-f",
        &format!("{{{{json (index .NetworkSettings.Networks \"{back}\").Aliases}}}}"),
        &app,
    ]);
    assert_eq!(out.stdout.trim(), "[\"appalias\"]", "{out}");
    let got = wget(&lab, &app, &format!("http://{peer}/i.html"));
    assert!(got.contains("hello-back"), "wget by name: {got}");
    let got = wget(&lab, &app, &format!("http://{peer_ip}/i.html"));
    assert!(got.contains("hello-back"), "wget by address: {got}");
    let gateway = format!("{back_prefix}.1");
    let out = nslookup(&lab, &app, &peer, &gateway);
    assert!(out.contains(&peer_ip), "{out}");
    // The peer sees the newcomer under its name and alias.
    let peer_hosts = hosts_of(&lab, &peer);
    assert!(
        peer_hosts
            .lines()
            .any(|l| l.starts_with(&format!("{app_back_ip}\t{app} appalias"))),
        "{peer_hosts}"
    );
    let out = nslookup(&lab, &peer, "appalias", &gateway);
    assert!(out.contains(&app_back_ip), "{out}");

    // Docker's refusals.
    let out = b.code(&["network", "connect", &back, &app], 1);
    assert!(
        out.stderr.contains(&format!(
            "endpoint with name {app} already exists in network {back}"
        )),
        "{out}"
    );
    let out = b.code(&["network", "connect", "nosuchnet-x", &app], 1);
    assert!(
        out.stderr.contains("network nosuchnet-x not found"),
        "{out}"
    );
    let out = b.code(&["network", "connect", &back, "nosuchctr-x"], 1);
    assert!(
        out.stderr.contains("No such container: nosuchctr-x"),
        "{out}"
    );
    let out = b.code(&["network", "connect", "host", &app], 1);
    assert!(
        out.stderr.contains(
            "container cannot be disconnected from host network or connected to host network"
        ),
        "{out}"
    );
    let out = b.code(&["network", "connect", "none", &app], 1);
    assert!(
        out.stderr.contains(
            "container cannot be connected to multiple networks with one of the networks in private (none) mode"
        ),
        "{out}"
    );
    let out = b.code(
        &["network", "connect", "--ip", "10.1.2.3", "bridge", &app],
        1,
    );
    assert!(
        out.stderr
            .contains("user specified IP address is supported on user defined networks only"),
        "{out}"
    );
    let out = b.code(&["network", "connect", "--alias", "x", "bridge", &app], 1);
    assert!(
        out.stderr.contains(
            "network-scoped alias is supported only for containers in user defined networks"
        ),
        "{out}"
    );
    // --link on a user network is an alias (network_gaps2); the default
    // bridge's links are run's legacy ones.
    let out = b.code(&["network", "connect", "--link", &peer, "bridge", &app], 1);
    assert!(
        out.stderr.contains(
            "network connect --link: links to the default bridge network are legacy links"
        ),
        "{out}"
    );
    let out = b.code(&["network", "connect", "--link", "a:b:c", &back, &app], 1);
    assert!(
        out.stderr.contains(
            "invalid argument \"a:b:c\" for \"--link\" flag: bad format for links: a:b:c"
        ),
        "{out}"
    );
    let on_host = lab.name("onhost");
    lab.run_d(
        &["--name", &on_host, "--network", "host"],
        &["sleep", "300"],
    );
    let out = b.code(&["network", "connect", &back, &on_host], 1);
    assert!(
        out.stderr.contains("container sharing network namespace with another container or host cannot be connected to any other network"),
        "{out}"
    );
    let out = b.code(&["network", "disconnect", "host", &on_host], 1);
    assert!(
        out.stderr.contains(
            "container cannot be disconnected from host network or connected to host network"
        ),
        "{out}"
    );
    b.ok(&["rm", "-f", &on_host]);

    // Disconnect: interface, lease and the peer's line go; the first
    // network stays.
    assert!(leases(&lab).contains(&app_back_ip), "{:?}", leases(&lab));
    let out = b.ok(&["network", "disconnect", &back, &app]);
    assert!(out.stdout.is_empty(), "{out}");
    let out = b.run(&["exec", &app, "ip", "link", "show", "eth1"]);
    assert_ne!(out.code, 0, "{out}");
    assert_eq!(networks_of(&lab, &app), [front.as_str()]);
    assert!(!leases(&lab).contains(&app_back_ip), "{:?}", leases(&lab));
    let peer_hosts = hosts_of(&lab, &peer);
    assert!(!peer_hosts.contains(&app), "{peer_hosts}");
    let app_hosts = hosts_of(&lab, &app);
    assert!(!app_hosts.contains(&peer), "{app_hosts}");
    let out = b.ok(&["exec", &app, "ip", "-4", "-o", "addr", "show", "eth0"]);
    assert!(out.stdout.contains(&format!(" {front_prefix}.")), "{out}");
    let out = b.code(&["network", "disconnect", &back, &app], 1);
    assert!(
        out.stderr.contains(&format!(
            "container {app_id} is not connected to network {back}"
        )),
        "{out}"
    );
    // Connected again: a new interface past the highest one.
    b.ok(&["network", "connect", &back, &app]);
    let out = b.ok(&["exec", &app, "ip", "-4", "-o", "addr", "show", "eth1"]);
    assert!(out.stdout.contains(&format!(" {back_prefix}.")), "{out}");
    // And a stop releases it with the rest.
    b.ok(&["stop", "-t", "1", &app]);
    assert!(leases(&lab)
        .iter()
        .all(|l| !l.starts_with(&format!("{front_prefix}."))));
    assert_eq!(leases(&lab), [peer_ip.as_str()]);

    b.ok(&["rm", "-f", &app, &peer]);
    b.ok(&["network", "rm", &front, &back]);
    let left = leftovers(&lab, &[&front_prefix, &back_prefix], &[&front_br, &back_br]);
    assert!(left.is_empty(), "left behind:\n{}", left.join("\n"));
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_connect_verbs_stopped_container_gets_the_network_at_start() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (front, front_br, front_prefix, _) = user_network(&lab, "sfront", 0, false);
    let (back, back_br, back_prefix, _) = user_network(&lab, "sback", 1, false);
    let ctr = lab.name("stopped");
    let id = lab.create(&["--name", &ctr, "--network", &front], &["sleep", "300"]);
    let asked = format!("{back_prefix}.77");
    b.ok(&["network", "connect", "--ip", &asked, &back, &ctr]);
    // Only the config changed: no namespace, no lease.
    assert!(!b.state_root.join("netns").join(&id).exists());
    assert!(leases(&lab).is_empty(), "{:?}", leases(&lab));
    let out = b.ok(&[
        "inspect",
        "-f",
        &format!("{{{{(index .NetworkSettings.Networks \"{back}\").IPAMConfig.IPv4Address}}}}"),
        &ctr,
    ]);
    assert_eq!(out.stdout.trim(), asked, "{out}");
    // Connecting a stopped container again changes nothing (moby's rule).
    b.ok(&["network", "connect", &back, &ctr]);
    b.ok(&["start", &ctr]);
    let out = b.ok(&["exec", &ctr, "ip", "-4", "-o", "addr", "show", "eth1"]);
    assert!(out.stdout.contains(&format!(" {asked}/24 ")), "{out}");
    assert_eq!(ip_of(&lab, &ctr, &back), asked);
    b.ok(&["stop", "-t", "1", &ctr]);

    // Disconnected from its first network while stopped: the next start
    // has only the other one, as eth0.
    b.ok(&["network", "disconnect", &front, &ctr]);
    let out = b.code(&["network", "disconnect", &front, &ctr], 1);
    assert!(
        out.stderr.contains(&format!(
            "container {id} is not connected to the network {front}"
        )),
        "{out}"
    );
    assert_eq!(networks_of(&lab, &ctr), [back.as_str()]);
    b.ok(&["start", &ctr]);
    let out = b.ok(&["exec", &ctr, "ip", "-4", "-o", "addr"]);
    assert!(
        out.lines()
            .iter()
            .any(|l| l.contains(" eth0 ") && l.contains(&format!(" {asked}/24 "))),
        "{out}"
    );
    assert!(!out.stdout.contains(&format!("{front_prefix}.")), "{out}");
    b.ok(&["rm", "-f", &ctr]);

    // --ip needs a subnet the user gave (berth picked this one).
    let picked = lab.name("picked");
    b.ok(&["network", "create", &picked]);
    let other = lab.create(&["--network", &front], &["true"]);
    let out = b.code(
        &["network", "connect", "--ip", "10.222.0.9", &picked, &other],
        1,
    );
    assert!(
        out.stderr.contains("user specified IP address is supported only when connecting to networks with user configured subnets"),
        "{out}"
    );
    let out = b.code(
        &["network", "connect", "--ip", "192.0.2.9", &back, &other],
        1,
    );
    assert!(
        out.stderr
            .contains("no configured subnet or ip-range contain the IP address 192.0.2.9"),
        "{out}"
    );
    b.ok(&["rm", "-f", &other]);
    let out = lab.run(
        &["--rm", "--network", &picked, "--ip", "10.1.2.3"],
        &["true"],
    );
    assert_ne!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("user specified IP address is supported only when connecting to networks with user configured subnets"),
        "{out}"
    );
    b.ok(&["network", "rm", &front, &back, &picked]);
    let left = leftovers(&lab, &[&front_prefix, &back_prefix], &[&front_br, &back_br]);
    assert!(left.is_empty(), "left behind:\n{}", left.join("\n"));
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_connect_verbs_ip6_on_a_dual_stack_network_and_builtin_members() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (front, front_br, front_prefix, _) = user_network(&lab, "v4", 0, false);
    let (dual, dual_br, dual_prefix, dual_prefix6) = user_network(&lab, "dual", 1, true);
    let mac = "02:42:0a:1e:00:09";
    let app = lab.name("app6");
    lab.run_d(
        &["--name", &app, "--network", &front, "--mac-address", mac],
        &["sleep", "300"],
    );
    let ip = format!("{dual_prefix}.50");
    let ip6 = format!("{dual_prefix6}:50");
    b.ok(&[
        "network", "connect", "--ip", &ip, "--ip6", &ip6, &dual, &app,
    ]);
    let out = b.ok(&["exec", &app, "ip", "-6", "-o", "addr", "show", "eth1"]);
    assert!(out.stdout.contains(&format!(" {ip6}/64 ")), "{out}");
    let out = b.ok(&["exec", &app, "ip", "-4", "-o", "addr", "show", "eth1"]);
    assert!(out.stdout.contains(&format!(" {ip}/24 ")), "{out}");
    let out = b.ok(&[
        "inspect",
        "-f",
        &format!(
            "{{{{with index .NetworkSettings.Networks \"{dual}\"}}}}{{{{.GlobalIPv6Address}}}}/{{{{.GlobalIPv6PrefixLen}}}} \
             {{{{.IPAMConfig.IPv6Address}}}} {{{{.IPAMConfig.IPv4Address}}}}{{{{end}}}}"
        ),
        &app,
    ]);
    assert_eq!(out.stdout.trim(), format!("{ip6}/64 {ip6} {ip}"), "{out}");
    // A peer there reaches it over IPv6.
    let peer = lab.name("peer6");
    lab.run_d(&["--name", &peer, "--network", &dual], &["sleep", "300"]);
    let mut pinged = None;
    for _ in 0..30 {
        let out = b.run(&["exec", &peer, "ping", "-6", "-c", "1", "-W", "1", &ip6]);
        if out.code == 0 {
            pinged = Some(out);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(pinged.is_some(), "no IPv6 answer from {ip6}");
    // --ip6 needs an IPv6 pool the user gave.
    let out = b.code(
        &["network", "connect", "--ip6", "fd30::9", &front, &peer],
        1,
    );
    assert!(
        out.stderr.contains("user specified IP address is supported only when connecting to networks with user configured subnets"),
        "{out}"
    );
    let out = b.code(
        &["network", "connect", "--ip6", "10.0.0.1", &front, &peer],
        1,
    );
    assert!(
        out.stderr.contains("invalid IPv6 address: 10.0.0.1"),
        "{out}"
    );

    // --mac-address is the first network's, also in Config, as Docker.
    let out = b.ok(&[
        "inspect",
        "-f",
        &format!(
            "{{{{.Config.MacAddress}}}} {{{{(index .NetworkSettings.Networks \"{front}\").MacAddress}}}}"
        ),
        &app,
    ]);
    assert_eq!(out.stdout.trim(), format!("{mac} {mac}"), "{out}");
    b.ok(&["stop", "-t", "1", &app]);
    let out = b.ok(&[
        "inspect",
        "-f",
        &format!(
            "{{{{.Config.MacAddress}}}} {{{{(index .NetworkSettings.Networks \"{front}\").MacAddress}}}}"
        ),
        &app,
    ]);
    assert_eq!(out.stdout.trim(), format!("{mac} {mac}"), "{out}");

    // `network inspect host` lists the containers on the host network.
    let on_host = lab.name("onhost6");
    let host_id = lab.run_d(
        &["--name", &on_host, "--network", "host"],
        &["sleep", "300"],
    );
    let out = b.ok(&[
        "network",
        "inspect",
        "-f",
        "{{range $id, $c := .Containers}}{{$id}} {{$c.Name}} {{$c.IPv4Address}}|{{end}}",
        "host",
    ]);
    assert!(
        out.stdout.contains(&format!("{host_id} {on_host} |")),
        "{out}"
    );
    b.ok(&["rm", "-f", &on_host]);
    let out = b.ok(&["network", "inspect", "-f", "{{len .Containers}}", "host"]);
    assert_eq!(out.stdout.trim(), "0", "{out}");

    b.ok(&["rm", "-f", &app, &peer]);
    b.ok(&["network", "rm", &front, &dual]);
    let left = leftovers(&lab, &[&front_prefix, &dual_prefix], &[&front_br, &dual_br]);
    assert!(left.is_empty(), "left behind:\n{}", left.join("\n"));
    lab.remove_all_and_check();
    b.delete_bridge();
}
