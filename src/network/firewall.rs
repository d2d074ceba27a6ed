//! Per-network iptables rules, installed once per bridge network instead of
//! per container (Docker's way): the CNI bridge plugin runs with
//! `ipMasq: false` and no firewall plugin is chained, which saves a
//! per-container NAT chain and per-container FORWARD rules on every ADD and
//! DEL.
//!
//! For a network with a subnet S on bridge B, tagged with the comment
//! `berth-net <network id>`:
//! - nat `POSTROUTING -s S ! -o B -j MASQUERADE` (not on `--internal`
//!   networks, nor with `-o com.docker.network.bridge.enable_ip_masquerade=false`;
//!   `-j SNAT --to-source IP` with `-o com.docker.network.host_ipv4=IP` or
//!   `host_ipv6`): containers reach the outside from the host's address;
//! - filter `FORWARD -o B -m conntrack --ctstate RELATED,ESTABLISHED -j
//!   ACCEPT` and `FORWARD -i B -j ACCEPT`: what the firewall plugin
//!   accepted per container address, for the whole bridge;
//! - `--internal` networks instead get Docker's isolation: `FORWARD -i B
//!   -o B -j ACCEPT`, `FORWARD -i B ! -o B -j DROP`, `FORWARD ! -i B -o B
//!   -j DROP` (traffic stays on the bridge);
//! - `-o com.docker.network.bridge.enable_icc=false`: Docker's `FORWARD -i
//!   B -o B -j DROP` above the bridge's accepts (for an internal network,
//!   instead of its `-i B -o B -j ACCEPT`); bridged traffic reaches
//!   iptables through `br_netfilter` and `bridge-nf-call-iptables=1`, which
//!   `ensure` sets as Docker's bridge driver does for such a network;
//! - isolation between networks, as Docker's DOCKER-ISOLATION chains give
//!   it: `FORWARD -i B ! -o B -j BERTH-ISOLATION` above B's accepts, and
//!   `BERTH-ISOLATION -o B -j DROP`, so traffic from one berth bridge to
//!   another is dropped (one chain shared by every berth on the host,
//!   created when missing and never removed, like Docker's own chains)
//!   while traffic to anywhere else returns from the chain to the
//!   accepts. Containers on two networks still talk over the one they
//!   share.
//!
//! [`ensure`] runs before every ADD; a marker file under the state root
//! holding the kernel's boot id (and the rule set's version) makes it one file read once the rules are
//! in. The rules vanish at a reboot, and so does the marker's meaning: the
//! state root is normally on tmpfs (gone with it), and a marker left on a
//! persistent state root names another boot, so the first container after
//! a reboot installs the rules again. Installation holds a host-wide lock
//! (rules are host-wide; several state roots may share one host) and
//! checks each rule with `-C` before adding it, so concurrent `run`s add
//! each rule once. [`remove`] deletes every copy and the marker when the
//! network goes (`network rm`, `network prune`, `compose down`: all
//! through `store::remove`).
//!
//! The default network is never removed, so its rules stay as long as its
//! bridge does (Docker keeps docker0's rules for the daemon's life);
//! whoever deletes the default bridge by hand deletes them too (the e2e
//! harness and the benches do, by tag).

use super::store::Network;
use super::NetEnv;
use crate::sys::lock::FileLock;
use ipnet::IpNet;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The host-wide lock serialising rule changes of every berth.
const HOST_LOCK: &str = "/run/berth-netfw.lock";

/// Bumped whenever [`rules`] gains a rule (2: isolation between networks;
/// 3: the `-o` options' ICC drop and SNAT).
const RULES_VERSION: u32 = 3;

/// The filter chain holding one `-o BRIDGE -j DROP` per bridge network.
pub const ISOLATION_CHAIN: &str = "BERTH-ISOLATION";

/// One rule: table, chain, match-and-target words, IPv6 or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub v6: bool,
    pub table: &'static str,
    pub chain: &'static str,
    /// Inserted at the top (`-I`) rather than appended (`-A`).
    pub insert: bool,
    pub args: Vec<String>,
}

fn marker(env: &NetEnv, net: &Network) -> PathBuf {
    env.state_root
        .join("network")
        .join("firewall")
        .join(&net.id)
}

/// The comment every rule of `net` carries.
pub fn tag(network_id: &str) -> String {
    format!("berth-net {network_id}")
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// The rules of one bridge network (see the module docs), in the order they
/// are installed. `-I` rules come last-first: the last inserted is on top.
pub fn rules(net: &Network) -> Vec<Rule> {
    let b = &net.bridge;
    let tagged = |mut a: Vec<String>| {
        let j = a.iter().position(|w| w == "-j").unwrap_or(a.len());
        a.splice(
            j..j,
            ["-m", "comment", "--comment", &tag(&net.id)].map(str::to_string),
        );
        a
    };
    let opts = net.driver_options();
    let mut out = Vec::new();
    for v6 in [false, true] {
        let subnets: Vec<&IpNet> = net
            .subnets
            .iter()
            .map(|s| &s.subnet)
            .filter(|s| matches!(s, IpNet::V6(_)) == v6)
            .collect();
        if subnets.is_empty() {
            continue;
        }
        let filter = |args: Vec<String>| Rule {
            v6,
            table: "filter",
            chain: "FORWARD",
            insert: true,
            args,
        };
        let icc = if opts.icc { "ACCEPT" } else { "DROP" };
        if net.internal {
            out.push(filter(tagged(words(&format!("! -i {b} -o {b} -j DROP")))));
            out.push(filter(tagged(words(&format!("-i {b} ! -o {b} -j DROP")))));
            out.push(filter(tagged(words(&format!("-i {b} -o {b} -j {icc}")))));
        } else {
            out.push(filter(tagged(words(&format!("-i {b} -j ACCEPT")))));
            if !opts.icc {
                // Inserted after, so above the accept.
                out.push(filter(tagged(words(&format!("-i {b} -o {b} -j DROP")))));
            }
            out.push(filter(tagged(words(&format!(
                "-o {b} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
            )))));
            out.push(filter(tagged(words(&format!(
                "-i {b} ! -o {b} -j {ISOLATION_CHAIN}"
            )))));
            out.push(Rule {
                v6,
                table: "filter",
                chain: ISOLATION_CHAIN,
                insert: false,
                args: tagged(words(&format!("-o {b} -j DROP"))),
            });
            let target = match if v6 { opts.host_ipv6 } else { opts.host_ipv4 } {
                Some(ip) => format!("SNAT --to-source {ip}"),
                None => "MASQUERADE".to_string(),
            };
            for s in subnets.iter().filter(|_| opts.masquerade) {
                out.push(Rule {
                    v6,
                    table: "nat",
                    chain: "POSTROUTING",
                    insert: false,
                    args: tagged(words(&format!("-s {s} ! -o {b} -j {target}"))),
                });
            }
        }
    }
    out
}

fn exec(v6: bool, args: &[&str]) -> std::io::Result<std::process::Output> {
    let bin = if v6 { "ip6tables" } else { "iptables" };
    Command::new(bin)
        .arg("-w")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
}

fn run(rule: &Rule, op: &str) -> std::io::Result<std::process::Output> {
    let mut args = vec!["-t", rule.table, op, rule.chain];
    args.extend(rule.args.iter().map(String::as_str));
    exec(rule.v6, &args)
}

pub fn host_lock() -> anyhow::Result<FileLock> {
    FileLock::exclusive(std::path::Path::new(HOST_LOCK))
        .map_err(|e| anyhow::anyhow!("locking {HOST_LOCK}: {e}"))
}

/// Install the rules of a bridge network unless its marker says they are
/// in (see the module docs).
pub fn ensure(env: &NetEnv, net: &Network) -> anyhow::Result<()> {
    if net.driver != "bridge" || !env.host_rules {
        return Ok(());
    }
    let mark = marker(env, net);
    // The rule set's version too: a berth that adds a rule installs it on
    // networks an older one marked in the same boot.
    let boot = format!(
        "{} rules {RULES_VERSION}",
        crate::container::state::boot_id()
    );
    if std::fs::read_to_string(&mark).is_ok_and(|m| m == boot) {
        return Ok(());
    }
    let _lock = host_lock()?;
    let rules = rules(net);
    if !net.driver_options().icc {
        bridge_netfilter(net)?;
    }
    for v6 in [false, true] {
        if rules
            .iter()
            .any(|r| r.v6 == v6 && r.chain == ISOLATION_CHAIN)
        {
            // "Chain already exists" is the usual answer.
            let _ = exec(v6, &["-t", "filter", "-N", ISOLATION_CHAIN]);
        }
    }
    for r in rules {
        if run(&r, "-C")?.status.success() {
            continue;
        }
        let out = run(&r, if r.insert { "-I" } else { "-A" })?;
        if !out.status.success() {
            anyhow::bail!(
                "adding the iptables rule of network {} ({} {} {}): {}",
                net.name,
                r.table,
                r.chain,
                r.args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
    }
    if let Some(dir) = mark.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&mark, boot)?;
    Ok(())
}

/// Make bridged traffic go through iptables (`br_netfilter`,
/// `net.bridge.bridge-nf-call-ip{,6}tables=1`), as moby's
/// `setupBridgeNetFiltering` does for an `enable_icc=false` network: the
/// ICC drop sees nothing otherwise.
fn bridge_netfilter(net: &Network) -> anyhow::Result<()> {
    let dir = std::path::Path::new("/proc/sys/net/bridge");
    if !dir.join("bridge-nf-call-iptables").exists() {
        let _ = Command::new("modprobe")
            .arg("br_netfilter")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let v6 = net.subnets.iter().any(|s| matches!(s.subnet, IpNet::V6(_)));
    for (file, wanted) in [
        ("bridge-nf-call-iptables", true),
        ("bridge-nf-call-ip6tables", v6),
    ] {
        let path = dir.join(file);
        if !wanted || std::fs::read_to_string(&path).is_ok_and(|v| v.trim() == "1") {
            continue;
        }
        std::fs::write(&path, "1").map_err(|e| {
            anyhow::anyhow!(
                "network {} has enable_icc=false, which needs br_netfilter: {}: {e}",
                net.name,
                path.display()
            )
        })?;
    }
    Ok(())
}

/// Delete every copy of the rules of a network and its marker. A host
/// without iptables has none to delete.
pub fn remove(env: &NetEnv, net: &Network) {
    let _ = std::fs::remove_file(marker(env, net));
    if net.driver != "bridge" || !env.host_rules {
        return;
    }
    let _lock = host_lock();
    for r in rules(net) {
        for _ in 0..8 {
            if !run(&r, "-D").is_ok_and(|o| o.status.success()) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::store::Subnet;

    fn net(internal: bool) -> Network {
        Network {
            id: "abc".into(),
            name: "n".into(),
            driver: "bridge".into(),
            bridge: "br-x".into(),
            internal,
            subnets: vec![Subnet {
                subnet: "10.230.1.0/24".parse().unwrap(),
                gateway: "10.230.1.1".parse().unwrap(),
                ip_range: None,
                picked: false,
            }],
            created_at: String::new(),
            ipv6: false,
            labels: Default::default(),
            options: Default::default(),
        }
    }

    #[test]
    fn bridge_networks_masquerade_and_forward_internal_ones_isolate() {
        let r = rules(&net(false));
        let text: Vec<String> = r
            .iter()
            .map(|r| format!("{} {} {}", r.table, r.chain, r.args.join(" ")))
            .collect();
        assert_eq!(
            text,
            [
                "filter FORWARD -i br-x -m comment --comment berth-net abc -j ACCEPT",
                "filter FORWARD -o br-x -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment berth-net abc -j ACCEPT",
                "filter FORWARD -i br-x ! -o br-x -m comment --comment berth-net abc -j BERTH-ISOLATION",
                "filter BERTH-ISOLATION -o br-x -m comment --comment berth-net abc -j DROP",
                "nat POSTROUTING -s 10.230.1.0/24 ! -o br-x -m comment --comment berth-net abc -j MASQUERADE",
            ]
        );
        let r = rules(&net(true));
        assert!(r.iter().all(|r| r.table == "filter"));
        assert_eq!(r.len(), 3);
        assert!(r[0].args.contains(&"DROP".to_string()));
    }

    #[test]
    fn driver_options_drop_icc_and_change_the_masquerade() {
        let text = |n: &Network| -> Vec<String> {
            rules(n)
                .iter()
                .map(|r| format!("{} {} {}", r.table, r.chain, r.args.join(" ")))
                .collect()
        };
        let mut n = net(false);
        let opt = |n: &mut Network, k: &str, v: &str| {
            n.options
                .insert(format!("com.docker.network.{k}"), v.to_string());
        };
        opt(&mut n, "bridge.enable_icc", "false");
        opt(&mut n, "host_ipv4", "192.0.2.7");
        let t = text(&n);
        assert_eq!(
            t[1],
            "filter FORWARD -i br-x -o br-x -m comment --comment berth-net abc -j DROP"
        );
        assert_eq!(
            t.last().unwrap(),
            "nat POSTROUTING -s 10.230.1.0/24 ! -o br-x -m comment --comment berth-net abc -j SNAT --to-source 192.0.2.7"
        );
        opt(&mut n, "bridge.enable_ip_masquerade", "false");
        assert!(text(&n).iter().all(|r| !r.starts_with("nat")));
        let mut i = net(true);
        opt(&mut i, "bridge.enable_icc", "false");
        assert_eq!(
            text(&i)[2],
            "filter FORWARD -i br-x -o br-x -m comment --comment berth-net abc -j DROP"
        );
    }
}
