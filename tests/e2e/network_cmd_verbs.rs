//! `network ls --filter`, `inspect` and `prune` through the binary (with
//! create and rm): Docker's table and JSON, Docker's refusals (a name taken
//! twice, a network with a running container), and nothing left on the
//! host (bridge link, iptables lines of the subnet, conflist) after `rm`.
//!
//! The user network takes this env's own subnet (the harness reserves it
//! per env; no container here uses the default network) and a bridge name
//! derived from this env's, so no other test meets it.

use crate::containers::Lab;
use crate::require;

/// What the network left on the host: its bridge, iptables lines naming its
/// subnet's prefix.
fn leftovers(bridge: &str, subnet: &str) -> Vec<String> {
    let prefix = subnet.rsplit_once('.').unwrap().0.to_string();
    let mut out = Vec::new();
    if std::path::Path::new("/sys/class/net").join(bridge).exists() {
        out.push(format!("link {bridge}"));
    }
    for table in ["nat", "filter"] {
        let dump = std::process::Command::new("iptables-save")
            .args(["-t", table])
            .output()
            .unwrap();
        for l in String::from_utf8_lossy(&dump.stdout).lines() {
            if l.starts_with('-') && l.contains(&format!("{prefix}.")) {
                out.push(format!("iptables {table}: {l}"));
            }
        }
    }
    out
}

#[test]
fn network_cmd_ls_filters_inspect_and_prune() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let bridge = format!("{}n", b.bridge);
    let subnet = b.subnet.clone();
    let gateway = subnet.replace(".0/24", ".254");
    let net = lab.name("net");
    assert!(leftovers(&bridge, &subnet).is_empty());

    let opt = format!("com.docker.network.bridge.name={bridge}");
    let out = b.ok(&[
        "network",
        "create",
        "--subnet",
        &subnet,
        "--gateway",
        &gateway,
        "--label",
        "team=a",
        "-o",
        &opt,
        &net,
    ]);
    let id = out.stdout.trim().to_string();
    assert_eq!(id.len(), 64, "{out}");
    let out = b.code(&["network", "create", &net], 1);
    assert!(
        out.stderr
            .contains(&format!("network with name {net} already exists")),
        "{out}"
    );
    let out = b.ok(&["network", "ls", "--filter", &format!("name={net}")]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("NETWORK ID"), "{out}");
    assert!(lines[0].contains("NAME") && lines[0].contains("DRIVER") && lines[0].contains("SCOPE"));
    let cols: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(cols, [&id[..12], net.as_str(), "bridge", "local"], "{out}");
    let out = b.ok(&["network", "list", "-q", "--no-trunc", "-f", "label=team=a"]);
    assert!(out.stdout.lines().any(|l| l == id), "{out}");

    let out = b.ok(&["network", "inspect", &net]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["Id"], id.as_str());
    assert_eq!(v[0]["Driver"], "bridge");
    assert_eq!(v[0]["IPAM"]["Config"][0]["Subnet"], subnet.as_str());
    assert_eq!(v[0]["IPAM"]["Config"][0]["Gateway"], gateway.as_str());
    assert_eq!(v[0]["Labels"]["team"], "a");
    let out = b.ok(&["network", "inspect", "-f", "{{.Name}}", &id[..12]]);
    assert_eq!(out.stdout.trim(), net);

    // A running container holds an endpoint: rm is refused, prune skips it.
    let c = lab.name("c");
    lab.run_d(&["--name", &c, "--network", &net], &["sleep", "60"]);
    let out = b.ok(&["network", "inspect", "-f", "{{len .Containers}}", &net]);
    assert_eq!(out.stdout.trim(), "1", "{out}");
    let out = b.code(&["network", "rm", &net], 1);
    assert!(out.stderr.contains("has active endpoints"), "{out}");
    let out = b.ok(&["network", "prune", "-f"]);
    assert!(!out.stdout.contains(&net), "{out}");
    b.ok(&["rm", "-f", &c]);

    let out = b.ok(&["network", "remove", &net]);
    assert_eq!(out.stdout.trim(), net);
    let out = b.code(&["network", "rm", &net], 1);
    assert!(
        out.stderr.contains(&format!("network {net} not found")),
        "{out}"
    );
    b.ok(&["network", "rm", "-f", &net]);
    let left = leftovers(&bridge, &subnet);
    assert!(left.is_empty(), "left behind:\n{}", left.join("\n"));

    // prune removes an unused network and says so.
    let other = lab.name("p");
    let opt = format!("com.docker.network.bridge.name={bridge}");
    b.ok(&["network", "create", "--subnet", &subnet, "-o", &opt, &other]);
    let out = b.ok(&["network", "prune", "-f"]);
    assert!(
        out.stdout.starts_with("Deleted Networks:\n")
            && out.stdout.contains(&format!("\n{other}\n")),
        "{out}"
    );
    assert!(leftovers(&bridge, &subnet).is_empty());
}

#[test]
fn network_cmd_rm_refuses_the_pre_defined_networks() {
    // Docker's bridge, host and none cannot be removed, -f or not, and
    // whether or not berth ever created its default bridge.
    let lab = Lab::new();
    let b = lab.b();
    for args in [
        &["network", "rm", "bridge", "host", "none"][..],
        &["network", "rm", "-f", "bridge", "host", "none"][..],
    ] {
        let out = b.code(args, 1);
        assert_eq!(out.stdout, "", "{out}");
        for n in ["bridge", "host", "none"] {
            assert!(
                out.stderr.contains(&format!(
                    "{n} is a pre-defined network and cannot be removed"
                )),
                "{out}"
            );
        }
    }
}
