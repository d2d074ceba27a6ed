//! A live container's own `/etc/hosts` and `resolv.conf` follow `network
//! connect` / `disconnect` (issue 8), as Docker's sandbox edits them: the
//! line for its address on the network comes and goes (lines the user
//! wrote stay), and `resolv.conf` names the user network's name server
//! while the container is on one and the host's servers once it is back on
//! the default bridge only. Both files are rewritten in place (same inode:
//! they are bind-mounted). Also Docker's refusals for `--network none` and
//! `container:` containers.
//!
//! Subnets: 10.235.n.0/24 (n this env's own third octet); the bridge is
//! this env's bridge name + `f`, removed with its network.

use crate::containers::Lab;
use crate::require;

/// This env's user network: (name, IPv4 prefix).
fn user_network(lab: &Lab) -> (String, String) {
    let b = lab.b();
    let bridge = format!("{}f", b.bridge);
    let third = b.subnet.split('.').nth(2).unwrap().to_string();
    let prefix = format!("10.235.{third}");
    let name = lab.name("files");
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", &bridge])
        .stderr(std::process::Stdio::null())
        .status();
    let subnet = format!("{prefix}.0/24");
    let opt = format!("com.docker.network.bridge.name={bridge}");
    b.ok(&["network", "create", "--subnet", &subnet, "-o", &opt, &name]);
    (name, prefix)
}

fn cat(lab: &Lab, ctr: &str, file: &str) -> String {
    lab.b().ok(&["exec", ctr, "cat", file]).stdout
}

fn inode(lab: &Lab, ctr: &str, file: &str) -> String {
    let out = lab.b().ok(&["exec", ctr, "stat", "-c", "%i", file]);
    out.stdout.trim().to_string()
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

#[test]
fn network_connect_files_follow_connect_and_disconnect() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (net, prefix) = user_network(&lab);
    let peer = lab.name("peer");
    lab.run_d(&["--name", &peer, "--network", &net], &["sleep", "300"]);
    let peer_ip = ip_of(&lab, &peer, &net);

    // On the default bridge: the host's servers, no line on the network.
    let app = lab.name("app");
    lab.run_d(
        &["--name", &app, "--hostname", "apphost"],
        &["sleep", "300"],
    );
    b.ok(&[
        "exec",
        &app,
        "sh",
        "-c",
        "echo '192.0.2.7\tmine' >> /etc/hosts",
    ]);
    let hosts_ino = inode(&lab, &app, "/etc/hosts");
    let resolv_ino = inode(&lab, &app, "/etc/resolv.conf");
    let resolv = cat(&lab, &app, "/etc/resolv.conf");
    assert!(!resolv.contains(&format!("{prefix}.")), "{resolv}");
    let host_resolv = resolv.clone();

    // Connect: its line for the new address, the network's name server.
    b.ok(&["network", "connect", &net, &app]);
    let app_ip = ip_of(&lab, &app, &net);
    assert!(app_ip.starts_with(&format!("{prefix}.")), "{app_ip}");
    let hosts = cat(&lab, &app, "/etc/hosts");
    assert!(
        hosts.lines().any(|l| l == format!("{app_ip}\tapphost")),
        "{hosts}"
    );
    assert!(hosts.contains("192.0.2.7\tmine"), "{hosts}");
    let resolv = cat(&lab, &app, "/etc/resolv.conf");
    assert!(
        resolv.contains(&format!("nameserver {prefix}.1")),
        "{resolv}"
    );
    // libnetwork's resolver requires ndots:0 (the host file has no ndots).
    assert!(
        resolv.lines().any(|l| l.starts_with("options ") && l.ends_with(" ndots:0")
            || l == "options ndots:0"),
        "{resolv}"
    );
    assert_eq!(inode(&lab, &app, "/etc/hosts"), hosts_ino);
    assert_eq!(inode(&lab, &app, "/etc/resolv.conf"), resolv_ino);
    // The resolver the file names answers for the peer (no server given).
    let mut last = String::new();
    for _ in 0..10 {
        let out = b.run(&["exec", &app, "busybox", "nslookup", &peer]);
        last = out.to_string();
        if out.code == 0 && out.stdout.contains(&peer_ip) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(last.contains(&peer_ip), "{last}");

    // Disconnect: the line goes, the user's stays, the host's servers
    // come back.
    b.ok(&["network", "disconnect", &net, &app]);
    let hosts = cat(&lab, &app, "/etc/hosts");
    assert!(!hosts.contains(&app_ip), "{hosts}");
    assert!(!hosts.contains(&peer), "{hosts}");
    assert!(hosts.contains("192.0.2.7\tmine"), "{hosts}");
    assert!(hosts.lines().any(|l| l.ends_with("\tapphost")), "{hosts}");
    assert_eq!(cat(&lab, &app, "/etc/resolv.conf"), host_resolv);
    assert_eq!(inode(&lab, &app, "/etc/hosts"), hosts_ino);
    assert_eq!(inode(&lab, &app, "/etc/resolv.conf"), resolv_ino);

    b.ok(&["rm", "-f", &app, &peer]);
    b.ok(&["network", "rm", &net]);
    lab.remove_all_and_check();
}

#[test]
fn network_connect_files_refusals_for_none_and_container_modes() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (net, _) = user_network(&lab);
    let alone = lab.name("alone");
    lab.run_d(&["--name", &alone, "--network", "none"], &["sleep", "300"]);
    let out = b.code(&["network", "connect", &net, &alone], 1);
    assert!(
        out.stderr.contains(
            "container cannot be connected to multiple networks with one of the networks in private (none) mode"
        ),
        "{out}"
    );
    let out = b.code(&["network", "connect", "bridge", &alone], 1);
    assert!(out.stderr.contains("private (none) mode"), "{out}");
    let out = b.code(&["network", "connect", "host", &alone], 1);
    assert!(
        out.stderr.contains(
            "container cannot be disconnected from host network or connected to host network"
        ),
        "{out}"
    );
    let shared = lab.name("shared");
    lab.run_d(
        &[
            "--name",
            &shared,
            "--network",
            &format!("container:{alone}"),
        ],
        &["sleep", "300"],
    );
    for target in [net.as_str(), "bridge", "none", "host"] {
        let out = b.code(&["network", "connect", target, &shared], 1);
        assert!(
            out.stderr.contains(
                "container sharing network namespace with another container or host cannot be connected to any other network"
            ),
            "{target}: {out}"
        );
    }
    // Neither container gained an interface.
    for c in [&alone, &shared] {
        let out = b.run(&["exec", c, "ip", "link", "show", "eth0"]);
        assert_ne!(out.code, 0, "{out}");
    }
    b.ok(&["rm", "-f", &shared, &alone]);
    b.ok(&["network", "rm", &net]);
    lab.remove_all_and_check();
}
