//! Issue 8's audit gaps, through the binary: SCTP on an IPv6 host address
//! is refused at create with a clear error where DNAT cannot serve it (IPv6
//! loopback, IPv6 on an IPv4-only network; berth's port proxy carries TCP
//! and UDP only, see `network_proxy.rs`), leaving no container behind.
//!
//! `system check` reports the `berth-net` iptables rules of a network whose
//! store row is lost and whose bridge is gone, and `--fix` deletes them.
//!
//! Subnets: 10.242.n.0/24 (n this env's own third octet).

use crate::containers::Lab;
use crate::require;

#[test]
fn network_sctp_on_ipv6_host_address_is_refused_at_create() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let port = crate::support::free_port().to_string();
    for (spec, why) in [
        (
            format!("[::1]:{port}:80/sctp"),
            "cannot publish SCTP on IPv6 address [::1]: IPv6 loopback cannot be forwarded by DNAT",
        ),
        (
            format!("[::]:{port}:80/sctp"),
            "cannot publish SCTP on IPv6 address [::]: the portmap plugin's DNAT",
        ),
        (
            format!("[fd42::7]:{port}:80/sctp"),
            "cannot publish SCTP on IPv6 address [fd42::7]: network bridge has no IPv6 subnet",
        ),
    ] {
        let out = lab.run(&["-d", "-p", &spec], &["sleep", "30"]);
        assert_eq!(out.code, 125, "{spec}: {out}");
        assert!(out.stderr.contains(why), "{spec}: {out}");
        let out = b.code(&["create", "-p", &spec, lab.image(), "true"], 1);
        assert!(out.stderr.contains(why), "create {spec}: {out}");
    }
    let left = b.ok(&["ps", "-aq"]);
    assert_eq!(left.stdout, "", "a refused -p left a container");
    // IPv4 forms still publish.
    let ok = lab.run_d(&["-p", &format!("127.0.0.1:{port}:80")], &["sleep", "30"]);
    let out = b.ok(&["port", &ok]);
    assert_eq!(out.stdout, format!("80/tcp -> 127.0.0.1:{port}\n"));
    lab.remove_all_and_check();
    b.delete_bridge();
}

/// This env's user network on 10.24X.n.0/24 (n this env's own third
/// octet) with its own bridge: (name, bridge).
fn user_network(lab: &Lab, second: u8, suffix: &str) -> (String, String) {
    let b = lab.b();
    let bridge = format!("{}{suffix}", b.bridge);
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", &bridge])
        .stderr(std::process::Stdio::null())
        .status();
    let third = b.subnet.split('.').nth(2).unwrap().to_string();
    let name = lab.name(&format!("gap{suffix}"));
    let subnet = format!("10.{second}.{third}.0/24");
    let opt = format!("com.docker.network.bridge.name={bridge}");
    b.ok(&["network", "create", "--subnet", &subnet, "-o", &opt, &name]);
    (name, bridge)
}

fn rules_tagged(id: &str) -> Vec<String> {
    crate::support::iptables_rules_where(|l| l.contains(&format!("berth-net {id}")))
}

fn check_json(lab: &Lab, fix: bool) -> serde_json::Value {
    let mut args = vec!["system", "check", "--format", "json"];
    if fix {
        args.push("--fix");
    }
    let out = lab.b().run(&args);
    let v: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out}"));
    v.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "network-rules")
        .unwrap_or_else(|| panic!("no network-rules check: {out}"))
        .clone()
}

#[test]
fn network_rules_of_a_lost_network_are_reported_and_fixed() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (net, bridge) = user_network(&lab, 242, "r");
    let id = b
        .ok(&["network", "inspect", "-f", "{{.Id}}", &net])
        .stdout
        .trim()
        .to_string();
    let port = crate::support::free_port().to_string();
    let web = lab.run_d(
        &["--network", &net, "-p", &format!("{port}:80")],
        &["sleep", "300"],
    );
    assert!(!rules_tagged(&id).is_empty(), "no rules for {net}");
    b.ok(&["rm", "-f", &web]);
    // While the network exists (or its bridge does), its rules are its own.
    let c = check_json(&lab, false);
    assert!(!c["items"].to_string().contains(&id), "{c}");

    // A crash that lost the store row, and the bridge gone with a reboot
    // of the interfaces: the rules are orphans.
    let db = rusqlite::Connection::open(b.data_root.join("berth.db")).unwrap();
    db.execute("DELETE FROM networks WHERE id = ?1", [&id])
        .unwrap();
    drop(db);
    b.code(&["network", "inspect", &net], 1);
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", &bridge])
        .status();
    let c = check_json(&lab, false);
    assert_eq!(c["status"], "warn", "{c}");
    assert!(
        c["items"].to_string().contains(&format!("berth-net {id}")),
        "{c}"
    );
    assert_eq!(c["fix"], "berth system check --fix");

    let fixed = b.run(&["system", "check", "--fix"]);
    assert!(
        fixed
            .stdout
            .contains("removed: iptables rule -t nat -A POSTROUTING"),
        "{fixed}"
    );
    assert!(rules_tagged(&id).is_empty(), "{:?}", rules_tagged(&id));
    let c = check_json(&lab, false);
    assert!(!c["items"].to_string().contains(&id), "{c}");
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_rm_and_prune_remove_the_ipam_dir() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let ipam = b.state_root.join("network/ipam");
    let (one, _) = user_network(&lab, 243, "i");
    let (two, _) = user_network(&lab, 244, "j");
    // `ls`'s CreatedAt is Go's time.Time.String() (docker-cli's network
    // formatter); inspect's Created stays RFC 3339.
    let filter = format!("name={one}");
    let out = b.ok(&["network", "ls", "--format", "{{.CreatedAt}}", "-f", &filter]);
    let created = b
        .ok(&["network", "inspect", "-f", "{{.Created}}", &one])
        .stdout
        .trim()
        .to_string();
    let (date, rest) = created.split_once('T').unwrap();
    let time = rest.trim_end_matches('Z');
    let time = match time.contains('.') {
        true => time.trim_end_matches('0').trim_end_matches('.'),
        false => time,
    };
    assert_eq!(
        out.stdout,
        format!("{date} {time} +0000 UTC\n"),
        "{created}"
    );
    for net in [&one, &two] {
        lab.run_ok(&["--network", net], &["true"]);
        assert!(ipam.join(net).is_dir(), "no ipam dir for {net}");
    }
    b.ok(&["network", "rm", &one]);
    assert!(!ipam.join(&one).exists(), "network rm left its ipam dir");
    let out = b.ok(&["network", "prune", "-f"]);
    assert!(out.stdout.contains(&two), "{out}");
    assert!(!ipam.join(&two).exists(), "network prune left its ipam dir");
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_macvlan_parents_are_shared_and_must_exist() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let link = crate::support::TempLink::bridge(&format!("{}m", b.bridge));
    let parent = link.0.clone();
    let third = b.subnet.split('.').nth(2).unwrap().to_string();
    let opt = format!("parent={parent}");
    let mut nets = Vec::new();
    for (i, half) in ["0/25", "128/25"].iter().enumerate() {
        let name = lab.name(&format!("mv{i}"));
        let subnet = format!("10.245.{third}.{half}");
        b.ok(&[
            "network", "create", "-d", "macvlan", "--subnet", &subnet, "-o", &opt, &name,
        ]);
        nets.push(name);
    }
    for net in &nets {
        let out = lab.run_ok(
            &["--network", net],
            &["ip", "-4", "-o", "addr", "show", "eth0"],
        );
        assert!(out.contains(&format!("10.245.{third}.")), "{net}: {out}");
    }
    let missing = format!("{}z", b.bridge);
    let out = b.code(
        &[
            "network",
            "create",
            "-d",
            "macvlan",
            "-o",
            &format!("parent={missing}"),
            &lab.name("mvx"),
        ],
        1,
    );
    assert!(
        out.stderr.contains(&format!(
            "-o parent interface was not found on the host: {missing}"
        )),
        "{out}"
    );
    b.ok(&["network", "rm", &nets[0], &nets[1]]);
    // No parent (the subnet is free again): Docker would make a dummy
    // one; berth refuses in words that name the option, and makes nothing.
    let bare = lab.name("mvbare");
    let subnet = format!("10.245.{third}.0/25");
    let out = b.code(
        &[
            "network", "create", "-d", "macvlan", "--subnet", &subnet, &bare,
        ],
        1,
    );
    assert!(
        out.stderr
            .contains("the macvlan driver needs -o parent=IFACE (a host interface)"),
        "{out}"
    );
    b.code(&["network", "inspect", &bare], 1);
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_ps_ports_and_command_as_docker() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let port = crate::support::free_port();
    let name = lab.name("ranges");
    lab.run_d(
        &[
            "--name",
            &name,
            "--expose",
            "7000-7002",
            "--expose",
            "9000/udp",
            "-p",
            &format!("127.0.0.1:{port}:80"),
        ],
        &["sh", "-c", "sleep 300; true"],
    );
    let filter = format!("name={name}");
    let out = b.ok(&["ps", "--format", "{{.Ports}}", "-f", &filter]);
    assert_eq!(
        out.stdout,
        format!("7000-7002/tcp, 9000/udp, 127.0.0.1:{port}->80/tcp\n")
    );
    // COMMAND as moby lists it (an argument with a space in single
    // quotes), truncated and Go-quoted as docker-cli prints it.
    let out = b.ok(&[
        "ps",
        "--no-trunc",
        "--format",
        "{{.Command}}",
        "-f",
        &filter,
    ]);
    assert_eq!(out.stdout, "\"sh -c 'sleep 300; true'\"\n");
    let out = b.ok(&["ps", "--format", "{{.Command}}", "-f", &filter]);
    assert_eq!(out.stdout, "\"sh -c 'sleep 300; t…\"\n");
    lab.remove_all_and_check();
    b.delete_bridge();
}

/// `n` consecutive TCP ports free on all addresses (held while probing).
fn free_port_run(n: u16) -> u16 {
    for _ in 0..50 {
        let base = crate::support::free_port();
        if base > u16::MAX - n {
            continue;
        }
        let held: Vec<_> = (base..base + n)
            .map_while(|p| std::net::TcpListener::bind(("0.0.0.0", p)).ok())
            .collect();
        if held.len() == usize::from(n) {
            return base;
        }
    }
    panic!("no run of {n} free ports");
}

#[test]
fn network_port_order_ranges_and_stopped_containers_as_docker() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let base = free_port_run(4);
    let (p443, p9000) = (crate::support::free_port(), crate::support::free_port());
    let name = lab.name("pts");
    let range = format!("{base}-{}:80", base + 3);
    lab.run_d(
        &[
            "--name",
            &name,
            "--expose",
            "53/udp",
            "-p",
            &format!("127.0.0.1:{p9000}:9000"),
            "-p",
            &range,
            "-p",
            &format!("127.0.0.1:{p443}:443"),
        ],
        &["sleep", "300"],
    );
    // moby's portallocator: a range's first free port.
    let out = b.ok(&["port", &name, "80"]);
    assert_eq!(out.stdout, crate::support::all_addresses(base));
    let other = lab.run_d(&["-p", &range], &["sleep", "300"]);
    let out = b.ok(&["port", &other, "80/tcp"]);
    assert_eq!(out.stdout, crate::support::all_addresses(base + 1));
    // docker-cli sorts the lines with sortorder.NaturalLess.
    let out = b.ok(&["port", &name]);
    assert_eq!(
        out.stdout,
        format!(
            "80/tcp -> 0.0.0.0:{base}\n{v6}443/tcp -> 127.0.0.1:{p443}\n9000/tcp -> 127.0.0.1:{p9000}\n",
            v6 = if crate::support::v6_listenable() {
                format!("80/tcp -> [::]:{base}\n")
            } else {
                String::new()
            }
        )
    );
    let out = b.code(&["port", &name, "81"], 1);
    assert!(
        out.stderr
            .contains(&format!("No public port '81' published for {name}")),
        "{out}"
    );
    // Stopped: no ports anywhere (moby's releaseNetwork drops them).
    b.ok(&["stop", "-t", "0", &name]);
    let filter = format!("name={name}");
    let out = b.ok(&[
        "ps",
        "-a",
        "--format",
        "{{.Ports}}|{{.State}}",
        "-f",
        &filter,
    ]);
    assert_eq!(out.stdout, "|exited\n");
    let out = b.ok(&["inspect", "-f", "{{json .NetworkSettings.Ports}}", &name]);
    assert_eq!(out.stdout, "{}\n");
    let out = b.ok(&["port", &name]);
    assert_eq!(out.stdout, "");
    // A container never started shows none either.
    let created = lab.create(&["--expose", "53/udp", "-p", "80"], &["true"]);
    let out = b.ok(&["inspect", "-f", "{{json .NetworkSettings.Ports}}", &created]);
    assert_eq!(out.stdout, "{}\n");
    lab.remove_all_and_check();
    b.delete_bridge();
}
