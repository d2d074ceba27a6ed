//! Per-container network identity (issue 8): `--domainname` in the UTS
//! namespace, and `--mac-address` on the container's first interface (no
//! veth, netns or lease left after `rm`); `host` and `none` in `network ls`
//! and `network inspect`.
//!
//! Uses `--network none` and the lab's own default bridge (its own
//! interface and subnet, deleted at the end); no fixed subnet is taken.

use crate::containers::Lab;
use crate::require;
use crate::support::require::Need;

#[test]
fn network_connect_domainname_is_the_uts_domain() {
    require!(Need::Runc, Need::Busybox, Need::Registry, Need::Skopeo);
    let lab = Lab::new();
    let out = lab.run_ok(
        &[
            "--network",
            "none",
            "--hostname",
            "web",
            "--domainname",
            "example.org",
        ],
        &["sh", "-c", "cat /proc/sys/kernel/domainname; hostname"],
    );
    assert_eq!(out, "example.org\nweb\n");
    // Without it the domain stays the kernel's default, as in Docker.
    let out = lab.run_ok(
        &["--network", "none"],
        &["cat", "/proc/sys/kernel/domainname"],
    );
    assert_eq!(out, "(none)\n");
    lab.assert_clean();
}

#[test]
fn network_connect_mac_address_is_the_first_interface_s() {
    require!(@network);
    let lab = Lab::new();
    lab.b().delete_bridge();
    let mac = "02:42:0a:0b:0c:0d";
    let id = lab.run_d(
        &["--network", "bridge", "--mac-address", "02-42-0A-0B-0C-0D"],
        &["sleep", "60"],
    );
    let out = lab.b().ok(&["exec", &id, "ip", "link", "show", "eth0"]);
    assert!(out.stdout.contains(&format!("link/ether {mac} ")), "{out}");
    let out = lab.b().ok(&[
        "inspect",
        "--format",
        "{{.NetworkSettings.MacAddress}} {{.NetworkSettings.Networks.bridge.MacAddress}}",
        &id,
    ]);
    assert_eq!(out.stdout.trim(), format!("{mac} {mac}"), "{out}");
    lab.b().ok(&["rm", "-f", &id]);
    // The kernel deletes the veth of an unpinned namespace in the background.
    let links = || {
        std::process::Command::new("ip")
            .args(["-br", "link", "show", "master", &lab.b().bridge])
            .output()
            .unwrap()
    };
    let gone = crate::support::wait_for(std::time::Duration::from_secs(10), || {
        links().stdout.is_empty().then_some(())
    });
    assert!(gone.is_some(), "{:?}", links());
    assert!(!lab.b().state_root.join("netns").join(&id).exists());
    let leases: Vec<_> = crate::support::walk_files(&lab.b().state_root.join("network/ipam"))
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.parse::<std::net::IpAddr>().is_ok()
        })
        .collect();
    assert!(leases.is_empty(), "{leases:?}");

    // Docker's refusals, and nothing is created.
    let out = lab.run(&["--mac-address", "02:42:0a:0b:0c"], &["true"]);
    assert_eq!(out.code, 125, "{out}");
    assert!(
        out.stderr
            .contains("02:42:0a:0b:0c is not a valid mac address"),
        "{out}"
    );
    let out = lab.run(&["--network", "host", "--mac-address", mac], &["true"]);
    assert_eq!(out.code, 125, "{out}");
    assert!(
        out.stderr
            .contains("conflicting options: mac-address and the network mode"),
        "{out}"
    );
    lab.b().delete_bridge();
    lab.assert_clean();
}

#[test]
fn network_connect_host_and_none_are_listed_and_inspected() {
    require!(Need::Busybox, Need::Registry, Need::Skopeo);
    let lab = Lab::new();
    let b = lab.b();
    let out = b.ok(&[
        "network",
        "ls",
        "--filter",
        "type=builtin",
        "--format",
        "{{.Name}} {{.Driver}} {{.Scope}}",
    ]);
    let lines = out.lines();
    assert!(lines.contains(&"host host local"), "{out}");
    assert!(lines.contains(&"none null local"), "{out}");
    let out = b.ok(&["network", "ls", "--filter", "type=custom", "-q"]);
    assert!(out.stdout.trim().is_empty(), "{out}");
    let out = b.ok(&["network", "ls", "--filter", "dangling=true", "-q"]);
    assert!(out.stdout.trim().is_empty(), "{out}");
    let none_id = b.ok(&[
        "network",
        "ls",
        "--filter",
        "driver=null",
        "-q",
        "--no-trunc",
    ]);
    let none_id = none_id.stdout.trim().to_string();
    assert_eq!(none_id.len(), 64, "{none_id}");
    let out = b.ok(&[
        "network",
        "inspect",
        "--format",
        "{{.Name}} {{.Driver}} {{.Scope}} {{len .IPAM.Config}}",
        "none",
        &none_id[..12],
        "host",
    ]);
    assert_eq!(
        out.lines(),
        [
            "none null local 0",
            "none null local 0",
            "host host local 0"
        ],
        "{out}"
    );
    // They stay: prune skips them, rm refuses them.
    b.ok(&["network", "prune", "-f"]);
    let out = b.run(&["network", "rm", "none"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("none is a pre-defined network and cannot be removed"),
        "{out}"
    );
    let out = b.ok(&["network", "ls", "--format", "{{.Name}}"]);
    assert!(out.lines().contains(&"none"), "{out}");
}

/// A user network on this env's own bridge name and a subnet no other test
/// file uses: 10.50-69.n.0/24 (n this env's own third octet).
fn user_network(lab: &Lab, what: &str) -> (String, String, String) {
    let b = lab.b();
    let bridge = format!("{}c", b.bridge);
    let (_, rest) = b.subnet.split_once('.').unwrap();
    let (second, rest) = rest.split_once('.').unwrap();
    let third = rest.split_once('.').unwrap().0;
    let second: u32 = second.parse().unwrap();
    let prefix = format!("10.{}.{third}", 50 + (second - 100) % 20);
    let name = lab.name(what);
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", &bridge])
        .stderr(std::process::Stdio::null())
        .status();
    lab.b().ok(&[
        "network",
        "create",
        "--subnet",
        &format!("{prefix}.0/24"),
        "-o",
        &format!("com.docker.network.bridge.name={bridge}"),
        &name,
    ]);
    (name, bridge, prefix)
}

#[test]
fn network_connect_ip_is_taken_as_asked_and_refused_when_in_use() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (net, bridge, prefix) = user_network(&lab, "ipnet");
    let ip = format!("{prefix}.42");
    let web = lab.name("ipweb");
    lab.run_d(
        &["--name", &web, "--network", &net, "--ip", &ip],
        &["sleep", "60"],
    );
    let out = b.ok(&["exec", &web, "ip", "-4", "-o", "addr", "show", "eth0"]);
    assert!(out.stdout.contains(&format!(" {ip}/24 ")), "{out}");
    let out = b.ok(&[
        "inspect",
        "-f",
        &format!(
            "{{{{(index .NetworkSettings.Networks \"{net}\").IPAMConfig.IPv4Address}}}} \
             {{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}"
        ),
        &web,
    ]);
    assert_eq!(out.stdout.trim(), format!("{ip} {ip}"), "{out}");

    // The same address again: Docker's error, and nothing is held for it.
    let other = lab.name("ipother");
    let out = lab.run(
        &["-d", "--name", &other, "--network", &net, "--ip", &ip],
        &["sleep", "60"],
    );
    assert_ne!(out.code, 0, "{out}");
    assert!(out.stderr.contains("Address already in use"), "{out}");
    assert!(!b.state_root.join("netns").join(&other).exists());
    // The kernel deletes the veth of an unpinned namespace in the background.
    let links = || {
        let o = std::process::Command::new("ip")
            .args(["-br", "link", "show", "master", &bridge])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let one = crate::support::wait_for(std::time::Duration::from_secs(10), || {
        (links().lines().count() == 1).then_some(())
    });
    assert!(one.is_some(), "{}", links());
    // Outside the subnet, and off user networks.
    let out = lab.run(&["--rm", "--network", &net, "--ip", "192.0.2.9"], &["true"]);
    assert!(
        out.stderr
            .contains("no configured subnet or ip-range contain the IP address 192.0.2.9"),
        "{out}"
    );
    let out = lab.run(&["--rm", "--network", "bridge", "--ip", &ip], &["true"]);
    assert_eq!(out.code, 125, "{out}");
    assert!(
        out.stderr
            .contains("user specified IP address is supported on user defined networks only"),
        "{out}"
    );
    let out = lab.run(&["--rm", "--network", &net, "--ip", "10.1.2"], &["true"]);
    assert!(out.stderr.contains("invalid IPv4 address: 10.1.2"), "{out}");

    // Released at rm: the address can be taken again.
    b.ok(&["rm", "-f", &web, &other]);
    lab.run_ok(&["--network", &net, "--ip", &ip], &["true"]);
    let leases: Vec<_> = crate::support::walk_files(&b.state_root.join("network/ipam"))
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.parse::<std::net::IpAddr>().is_ok()
        })
        .collect();
    assert!(leases.is_empty(), "{leases:?}");
    b.ok(&["network", "rm", &net]);
    assert!(!std::path::Path::new("/sys/class/net")
        .join(&bridge)
        .exists());
    lab.assert_clean();
}
