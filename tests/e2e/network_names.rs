//! Name resolution between containers on a user network through the
//! binary: each container's `/etc/hosts` lists its running peers (name and
//! hostname), rewritten in place while the containers run (a peer that
//! starts later appears in the first one's file, one that stops, is
//! removed or exits on its own goes), and
//! a busybox `wget` reaches a peer's httpd by name, hostname and
//! `--network-alias` (shown in inspect's `Aliases` and `DNSNames`). The
//! default `bridge` network gets no peer lines and refuses aliases, as
//! Docker's.

use crate::containers::Lab;
use crate::require;
use std::path::Path;

/// A user network on this env's own bridge name and a subnet no other
/// test of this process uses (10.250-255.n.0/24; `network_cmd` takes
/// 10.200-249.n.0/24 for the same n).
fn user_network(lab: &Lab, what: &str) -> (String, String, String) {
    let b = lab.b();
    let bridge = format!("{}n", b.bridge);
    let (_, rest) = b.subnet.split_once('.').unwrap();
    let (second, rest) = rest.split_once('.').unwrap();
    let third = rest.split_once('.').unwrap().0;
    let second: u32 = second.parse().unwrap();
    let subnet = format!("10.{}.{third}.0/24", 250 + (second - 100) % 6);
    let name = lab.name(what);
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", &bridge])
        .stderr(std::process::Stdio::null())
        .status();
    b.ok(&[
        "network",
        "create",
        "--subnet",
        &subnet,
        "-o",
        &format!("com.docker.network.bridge.name={bridge}"),
        &name,
    ]);
    (name, bridge, subnet)
}

fn hosts_of(lab: &Lab, ctr: &str) -> String {
    lab.b().ok(&["exec", ctr, "cat", "/etc/hosts"]).stdout
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
fn network_names_peers_in_etc_hosts_follow_joins_and_leaves() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (net, bridge, subnet) = user_network(&lab, "names");
    let prefix = subnet.rsplit_once('.').unwrap().0.to_string();

    let web = lab.name("web");
    lab.run_d(
        &[
            "--name",
            &web,
            "--hostname",
            "webhost",
            "--network",
            &net,
            "--network-alias",
            "www",
            "--net-alias",
            "front",
        ],
        &[
            "sh",
            "-c",
            "mkdir -p /srv && echo hello-peer > /srv/i.html && exec httpd -f -p 80 -h /srv",
        ],
    );
    let inode = b
        .ok(&["exec", &web, "stat", "-c", "%i", "/etc/hosts"])
        .stdout;
    let web_ip = ip_of(&lab, &web, &net);
    assert!(web_ip.starts_with(&format!("{prefix}.")), "{web_ip}");
    let out = b.ok(&[
        "inspect",
        "-f",
        &format!("{{{{json (index .NetworkSettings.Networks \"{net}\").Aliases}}}} {{{{json (index .NetworkSettings.Networks \"{net}\").DNSNames}}}}"),
        &web,
    ]);
    let web_id = b.ok(&["inspect", "-f", "{{.Id}}", &web]).stdout;
    assert_eq!(
        out.stdout.trim(),
        format!(
            "[\"www\",\"front\"] [\"{web}\",\"www\",\"front\",\"{}\",\"webhost\"]",
            &web_id[..12]
        ),
        "{out}"
    );
    let alone = hosts_of(&lab, &web);
    assert!(!alone.contains("# berth:"), "no peers yet:\n{alone}");

    let cli = lab.name("cli");
    lab.run_d(&["--name", &cli, "--network", &net], &["sleep", "60"]);
    let cli_ip = ip_of(&lab, &cli, &net);
    let cli_hosts = hosts_of(&lab, &cli);
    assert!(
        cli_hosts
            .lines()
            .any(|l| l == format!("{web_ip}\t{web} www front webhost")),
        "{cli_hosts}"
    );
    // The first container's file, bind-mounted while it runs, got the
    // newcomer: rewritten in place, the inode is the same.
    let web_hosts = hosts_of(&lab, &web);
    assert!(
        web_hosts
            .lines()
            .any(|l| l.starts_with(&format!("{cli_ip}\t{cli} "))),
        "{web_hosts}"
    );
    assert_eq!(
        b.ok(&["exec", &web, "stat", "-c", "%i", "/etc/hosts"])
            .stdout,
        inode
    );

    for host in [web.as_str(), "webhost", "www", "front"] {
        let mut got = String::new();
        for _ in 0..50 {
            let out = b.run(&[
                "exec",
                &cli,
                "wget",
                "-q",
                "-O",
                "-",
                &format!("http://{host}/i.html"),
            ]);
            got = out.to_string();
            if out.code == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert!(got.contains("hello-peer"), "wget {host}: {got}");
    }

    // A rename follows into the peers' files and the name server, as
    // Docker's embedded DNS: the new name answers, the old one no more.
    let renamed = format!("{web}-re");
    b.ok(&["rename", &web, &renamed]);
    let cli_hosts = hosts_of(&lab, &cli);
    assert!(
        cli_hosts
            .lines()
            .any(|l| l == format!("{web_ip}\t{renamed} www front webhost")),
        "{cli_hosts}"
    );
    // Through the name server (busybox's own resolver: its wget's libc
    // lookup crashes in a static binary).
    let lookup = |host: &str| b.run(&["exec", &cli, "busybox", "nslookup", host]);
    let out = lookup(&format!("{renamed}.{net}"));
    assert!(out.code == 0 && out.stdout.contains(&web_ip), "{out}");
    let out = lookup(&format!("{web}.{net}"));
    assert!(
        !out.stdout.contains(&web_ip),
        "the old name still answers: {out}"
    );
    b.ok(&["rename", &renamed, &web]);

    // A peer leaving disappears from the others' files.
    b.ok(&["stop", "-t", "1", &cli]);
    let web_hosts = hosts_of(&lab, &web);
    assert!(!web_hosts.contains(&cli), "{web_hosts}");
    assert!(!web_hosts.contains("# berth:"), "{web_hosts}");
    // And comes back when it starts again (with its new address).
    b.ok(&["start", &cli]);
    let cli_ip = ip_of(&lab, &cli, &net);
    let web_hosts = hosts_of(&lab, &web);
    assert!(
        web_hosts
            .lines()
            .any(|l| l.starts_with(&format!("{cli_ip}\t{cli} "))),
        "{web_hosts}"
    );
    // Removing a running peer (rm -f) also takes it out.
    b.ok(&["rm", "-f", &cli]);
    let web_hosts = hosts_of(&lab, &web);
    assert!(!web_hosts.contains(&cli), "{web_hosts}");

    // A peer that exits on its own goes too: the shim's `internal
    // cleanup` releases its network, with no CLI call about it.
    let brief = lab.name("brief");
    lab.run_d(&["--name", &brief, "--network", &net], &["sleep", "1"]);
    let web_hosts = hosts_of(&lab, &web);
    assert!(web_hosts.contains(&brief), "{web_hosts}");
    let gone = crate::support::wait_for(std::time::Duration::from_secs(10), || {
        (!hosts_of(&lab, &web).contains(&brief)).then_some(())
    });
    assert!(gone.is_some(), "{}", hosts_of(&lab, &web));

    b.ok(&["rm", "-f", &web]);
    b.ok(&["network", "rm", &net]);
    assert!(!Path::new("/sys/class/net").join(&bridge).exists());
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_names_default_bridge_lists_no_peers() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let one = lab.name("one");
    let two = lab.name("two");
    lab.run_d(&["--name", &one], &["sleep", "60"]);
    lab.run_d(&["--name", &two], &["sleep", "60"]);
    for c in [&one, &two] {
        let hosts = hosts_of(&lab, c);
        assert!(
            !hosts.contains(&one) && !hosts.contains(&two) && !hosts.contains("# berth:"),
            "{hosts}"
        );
    }
    // Docker refuses aliases off user networks.
    for net in [
        &[][..],
        &["--network", "bridge"][..],
        &["--network", "host"][..],
    ] {
        let mut flags = net.to_vec();
        flags.extend(["--network-alias", "x"]);
        let out = lab.run(&flags, &["true"]);
        assert_eq!(out.code, 125, "{out}");
        assert!(
            out.stderr.contains(
                "network-scoped alias is supported only for containers in user defined networks"
            ),
            "{out}"
        );
    }
    b.ok(&["rm", "-f", &one, &two]);
    lab.remove_all_and_check();
    b.delete_bridge();
}
