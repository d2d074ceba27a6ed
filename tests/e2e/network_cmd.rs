//! `network create | ls | rm` through the binary: a user network on its own
//! bridge and subnet, a container on it getting an address there, `rm`
//! refused while a container uses it (moby's message) and leaving no bridge
//! once it goes.

use crate::containers::Lab;
use crate::require;
use std::path::Path;

#[test]
fn network_cmd_create_ls_rm_with_a_container() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let bridge = format!("{}u", b.bridge);
    // A subnet beside this env's default one (10.1xx.n.0/24): 10.2xx.n.0/24.
    let (_, rest) = b.subnet.split_once('.').unwrap();
    let (second, rest) = rest.split_once('.').unwrap();
    let third = rest.split_once('.').unwrap().0;
    let second: u32 = second.parse().unwrap();
    let subnet = format!("10.{}.{third}.0/24", 200 + (second - 100) / 2);
    let prefix = subnet.rsplit_once('.').unwrap().0.to_string();
    let name = lab.name("unet");
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", &bridge])
        .stderr(std::process::Stdio::null())
        .status();

    let out = b.ok(&[
        "network",
        "create",
        "--subnet",
        &subnet,
        "--gateway",
        &format!("{prefix}.254"),
        "--label",
        "tier=test",
        "-o",
        &format!("com.docker.network.bridge.name={bridge}"),
        &name,
    ]);
    let id = out.stdout.trim().to_string();
    assert_eq!(id.len(), 64, "{out}");
    let out = b.ok(&["network", "ls"]);
    let header = out.lines()[0];
    assert!(header.starts_with("NETWORK ID"), "{out}");
    assert!(
        out.lines()
            .iter()
            .any(|l| l.starts_with(&id[..12]) && l.contains(&name) && l.contains("bridge")),
        "{out}"
    );
    let out = b.ok(&["network", "ls", "-q", "--no-trunc"]);
    assert!(out.lines().contains(&id.as_str()), "{out}");
    let out = b.ok(&["network", "ls", "--format", "{{.Name}} {{.Labels}}"]);
    assert!(
        out.lines().contains(&format!("{name} tier=test").as_str()),
        "{out}"
    );
    let out = b.run(&["network", "create", &name]);
    assert_ne!(out.code, 0, "a second network of the same name: {out}");

    let ctr = lab.name("onnet");
    lab.run_d(&["--name", &ctr, "--network", &name], &["sleep", "30"]);
    let hosts = b.ok(&["exec", &ctr, "cat", "/etc/hosts"]);
    let own = hosts.lines().last().unwrap().to_string();
    assert!(own.starts_with(&format!("{prefix}.")), "{hosts}");
    let out = b.run(&["network", "rm", &name]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "error while removing network: network {name} id {id} has active endpoints"
        )),
        "{out}"
    );
    b.ok(&["rm", "-f", &ctr]);
    let out = b.ok(&["network", "rm", &name]);
    assert_eq!(out.stdout.trim(), name, "{out}");
    assert!(!Path::new("/sys/class/net").join(&bridge).exists());
    let out = b.run(&["network", "rm", &name]);
    assert_eq!(out.code, 1, "{out}");
    b.ok(&["network", "rm", "-f", &name]);
    lab.remove_all_and_check();
    b.delete_bridge();
}
