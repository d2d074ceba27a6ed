//! The per-network iptables rules (issue 8 speed): a bridge network gets
//! one masquerade rule and FORWARD accepts tagged `berth-net <id>` when a
//! container first joins it, an `--internal` one Docker's isolation drops
//! instead; no container adds a rule of its own (no per-container CNI
//! chain), a container still reaches the host through the masquerade, and
//! `network rm` leaves no rule behind; two bridge networks are isolated
//! from each other as Docker's are, while a container on both reaches
//! each.
//!
//! Subnets: 10.230.N.0/24 and 10.231.N.0/24, N the third octet of this
//! env's own subnet (unique per env among the running tests).

use crate::containers::Lab;
use crate::require;

fn save(table: &str) -> String {
    let o = std::process::Command::new("iptables-save")
        .args(["-t", table])
        .output()
        .expect("iptables-save");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn tagged(id: &str) -> Vec<String> {
    let tag = format!("berth-net {id}\"");
    ["nat", "filter"]
        .iter()
        .flat_map(|t| {
            save(t)
                .lines()
                .filter(|l| l.starts_with("-A ") && l.contains(&tag))
                .map(|l| format!("{t}: {l}"))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn network_rules_are_per_network_and_go_with_network_rm() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let n = b.subnet.split('.').nth(2).unwrap().to_string();
    let (br_out, br_int) = (format!("{}o", b.bridge), format!("{}i", b.bridge));
    let (sub_out, sub_int) = (format!("10.230.{n}.0/24"), format!("10.231.{n}.0/24"));
    let (net_out, net_int) = (lab.name("out"), lab.name("int"));
    let o1 = format!("com.docker.network.bridge.name={br_out}");
    let o2 = format!("com.docker.network.bridge.name={br_int}");
    let id_out = b
        .ok(&[
            "network", "create", "--subnet", &sub_out, "-o", &o1, &net_out,
        ])
        .stdout
        .trim()
        .to_string();
    let id_int = b
        .ok(&[
            "network",
            "create",
            "--internal",
            "--subnet",
            &sub_int,
            "-o",
            &o2,
            &net_int,
        ])
        .stdout
        .trim()
        .to_string();
    // Nothing until a container joins.
    assert!(tagged(&id_out).is_empty());

    let c1 = lab.name("c1");
    let c2 = lab.name("c2");
    b.ok(&[
        "run",
        "-d",
        "--name",
        &c1,
        "--network",
        &net_out,
        lab.image(),
        "sleep",
        "60",
    ]);
    b.ok(&[
        "run",
        "-d",
        "--name",
        &c2,
        "--network",
        &net_int,
        lab.image(),
        "sleep",
        "60",
    ]);
    let out_rules = tagged(&id_out);
    eprintln!("rules of {net_out}:\n{}", out_rules.join("\n"));
    assert!(
        out_rules
            .iter()
            .any(|l| l.starts_with("nat: -A POSTROUTING")
                && l.contains(&format!("-s {sub_out}"))
                && l.contains(&format!("! -o {br_out}"))
                && l.contains("MASQUERADE")),
        "{out_rules:?}"
    );
    assert!(out_rules
        .iter()
        .any(|l| l.contains(&format!("-A FORWARD -i {br_out}"))));
    assert!(out_rules
        .iter()
        .any(|l| l.contains(&format!("-o {br_out}")) && l.contains("RELATED,ESTABLISHED")));
    // Masquerade, two accepts, the isolation jump and its drop.
    assert_eq!(out_rules.len(), 5, "{out_rules:?}");
    let int_rules = tagged(&id_int);
    assert!(
        int_rules.iter().all(|l| !l.contains("MASQUERADE")),
        "{int_rules:?}"
    );
    assert!(int_rules
        .iter()
        .any(|l| l.contains(&format!("-i {br_int} ! -o {br_int}")) && l.contains("DROP")));
    // No container has a rule or chain of its own.
    let id1 = b
        .ok(&["inspect", "-f", "{{.Id}}", &c1])
        .stdout
        .trim()
        .to_string();
    for t in ["nat", "filter"] {
        assert!(
            !save(t).contains(&id1),
            "{t} names the container:\n{}",
            save(t)
        );
    }
    // The gateway (the host) answers through the bridge; a second run adds
    // no second copy of the rules.
    let gw = format!("10.230.{n}.1");
    b.ok(&["exec", &c1, "ping", "-c1", "-W2", &gw]);
    b.ok(&["run", "--rm", "--network", &net_out, lab.image(), "true"]);
    assert_eq!(tagged(&id_out).len(), 5);

    b.ok(&["rm", "-f", &c1, &c2]);
    // The rules belong to the network, not to its containers.
    assert_eq!(tagged(&id_out).len(), 5);
    b.ok(&["network", "rm", &net_out, &net_int]);
    assert_eq!(tagged(&id_out), Vec::<String>::new());
    assert_eq!(tagged(&id_int), Vec::<String>::new());
    for t in ["nat", "filter"] {
        let left: Vec<String> = save(t)
            .lines()
            .filter(|l| l.contains(&format!("10.230.{n}.")) || l.contains(&format!("10.231.{n}.")))
            .map(str::to_string)
            .collect();
        assert!(left.is_empty(), "{t}: {left:?}");
    }
}

/// A user network's address on `net`.
fn ip_on(lab: &Lab, ctr: &str, net: &str) -> String {
    let f = format!("{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}");
    lab.b()
        .ok(&["inspect", "-f", &f, ctr])
        .stdout
        .trim()
        .to_string()
}

#[test]
fn bridge_networks_are_isolated_from_each_other() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let n = b.subnet.split('.').nth(2).unwrap().to_string();
    let (br_a, br_b) = (format!("{}a", b.bridge), format!("{}b", b.bridge));
    let (net_a, net_b) = (lab.name("isoa"), lab.name("isob"));
    for (net, br, sub) in [
        (&net_a, &br_a, format!("10.230.{n}.0/24")),
        (&net_b, &br_b, format!("10.231.{n}.0/24")),
    ] {
        let o = format!("com.docker.network.bridge.name={br}");
        b.ok(&["network", "create", "--subnet", &sub, "-o", &o, net]);
    }
    let server = lab.name("srv");
    b.ok(&[
        "run",
        "-d",
        "--name",
        &server,
        "--network",
        &net_a,
        lab.image(),
        "sh",
        "-c",
        "while true; do echo hi | nc -l -p 8080; done",
    ]);
    let ip = ip_on(&lab, &server, &net_a);
    let probe = format!("for i in 1 2 3 4 5 6 7 8 9 10; do nc -w 1 {ip} 8080 </dev/null && exit 0; sleep 0.3; done; exit 1");
    // Same network: reachable.
    b.ok(&[
        "run",
        "--rm",
        "--network",
        &net_a,
        lab.image(),
        "sh",
        "-c",
        &probe,
    ]);
    // Another berth network: dropped in FORWARD.
    let once = format!("nc -w 2 {ip} 8080 </dev/null");
    let out = b.run(&[
        "run",
        "--rm",
        "--network",
        &net_b,
        lab.image(),
        "sh",
        "-c",
        &once,
    ]);
    assert_ne!(out.code, 0, "a container on {net_b} reached {net_a}: {out}");
    // On both networks: reachable over the one it shares.
    let both = lab.name("both");
    b.ok(&[
        "run",
        "-d",
        "--name",
        &both,
        "--network",
        &net_b,
        lab.image(),
        "sleep",
        "60",
    ]);
    b.ok(&["network", "connect", &net_a, &both]);
    b.ok(&["exec", &both, "sh", "-c", &probe]);
    b.ok(&["rm", "-f", &server, &both]);
    b.ok(&["network", "rm", &net_a, &net_b]);
    let left: Vec<String> = save("filter")
        .lines()
        .filter(|l| l.contains(&format!("{br_a} ")) || l.contains(&format!("{br_b} ")))
        .map(str::to_string)
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
