//! iptables rules the CNI plugins (bridge's masquerade, portmap's DNAT)
//! made for a container, found by the `id: "<container id>"` in their
//! comments, and the per-container chains those rules jump to: what a DEL
//! that never ran leaves in the nat table. Read with `iptables -S`,
//! removed with `iptables -D` and `-F`/`-X`.

use std::process::{Command, Stdio};

/// One rule tagged with a container id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedRule {
    pub table: &'static str,
    /// The rule as `iptables -S` prints it (`-A CHAIN ...`).
    pub spec: String,
    pub container_id: String,
    /// The per-container chain it jumps to (`CNI-...`), if any.
    pub target_chain: Option<String>,
    /// The CNI network named in the comment.
    pub network: String,
    /// Addresses the rule matches or rewrites to (`-s`/`-d`,
    /// `--to-destination`).
    pub addresses: Vec<std::net::IpAddr>,
}

impl TaggedRule {
    /// Whether the rule belongs to one of `networks` (name and subnets):
    /// its comment names the network and one of its addresses is inside
    /// it. Rules of other tools, or of another berth's same-named network,
    /// fail this.
    pub fn on(&self, name: &str, subnets: &[ipnet::IpNet]) -> bool {
        self.network == name
            && self
                .addresses
                .iter()
                .any(|a| subnets.iter().any(|s| s.contains(a)))
    }
}

const TABLES: &[&str] = &["nat", "filter"];

/// Split an `iptables -S` line into words: double quotes group, and a
/// backslash escapes the next character inside them.
pub fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// The network and container id of a CNI comment (`name: "net" id: "<id>"`).
fn comment_tags(words: &[String]) -> Option<(String, String)> {
    let i = words.iter().position(|w| w == "--comment")?;
    let comment = words.get(i + 1)?;
    let id = comment.split("id: \"").nth(1)?.split('"').next()?;
    let name = comment.split("name: \"").nth(1)?.split('"').next()?;
    (id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| (name.to_string(), id.to_string()))
}

/// The addresses of `-s`/`-d` and `--to-destination` arguments.
fn addresses(words: &[String]) -> Vec<std::net::IpAddr> {
    let mut out = Vec::new();
    for pair in words.windows(2) {
        let v = &pair[1];
        let text = match pair[0].as_str() {
            "-s" | "-d" => v.split('/').next(),
            "--to-destination" => v.rsplit_once(':').map(|(a, _)| a).or(Some(v.as_str())),
            _ => None,
        };
        if let Some(a) = text.and_then(|t| t.trim_matches(|c| c == '[' || c == ']').parse().ok()) {
            out.push(a);
        }
    }
    out
}

/// Tagged rules in `text` (the output of `iptables -t TABLE -S`).
pub fn parse(table: &'static str, text: &str) -> Vec<TaggedRule> {
    text.lines()
        .filter(|l| l.starts_with("-A "))
        .filter_map(|l| {
            let words = split_words(l);
            let (network, container_id) = comment_tags(&words)?;
            let target_chain = words
                .iter()
                .position(|w| w == "-j")
                .and_then(|i| words.get(i + 1))
                .filter(|t| t.starts_with("CNI-") && !t.starts_with("CNI-HOSTPORT"))
                .cloned();
            Some(TaggedRule {
                table,
                spec: l.to_string(),
                container_id,
                target_chain,
                addresses: addresses(&words),
                network,
            })
        })
        .collect()
}

fn iptables(args: &[&str]) -> Option<String> {
    tables_of(false, args)
}

/// Every tagged rule of the nat and filter tables (none without iptables
/// or without the privilege to read them).
pub fn tagged_rules() -> Vec<TaggedRule> {
    TABLES
        .iter()
        .flat_map(|t| parse(t, &iptables(&["-t", t, "-S"]).unwrap_or_default()))
        .collect()
}

/// Delete `rule`, then flush and delete the chain it jumped to (once no
/// other rule of the same container refers to it; `iptables -X` refuses a
/// chain still referenced).
pub fn remove(rule: &TaggedRule) -> Result<(), String> {
    let words = split_words(&rule.spec);
    let mut args: Vec<&str> = vec!["-t", rule.table, "-D"];
    args.extend(words.iter().skip(1).map(String::as_str));
    if iptables(&args).is_none() && still_there(rule) {
        return Err(format!("iptables -t {} -D failed", rule.table));
    }
    if let Some(chain) = &rule.target_chain {
        // Another rule may still jump to it: then -X fails and a later
        // rule's removal deletes it.
        let _ = iptables(&["-t", rule.table, "-F", chain]);
        let _ = iptables(&["-t", rule.table, "-X", chain]);
    }
    Ok(())
}

fn still_there(rule: &TaggedRule) -> bool {
    iptables(&["-t", rule.table, "-S"]).is_some_and(|t| t.lines().any(|l| l == rule.spec))
}

/// One rule of a network's own set (`network::firewall`), found by its
/// `berth-net <network id>` comment, IPv4 or IPv6.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkRule {
    pub v6: bool,
    pub table: &'static str,
    /// The rule as `iptables -S` prints it (`-A CHAIN ...`).
    pub spec: String,
    pub network_id: String,
    /// The bridge the rule names (`-i`/`-o`).
    pub bridge: Option<String>,
}

/// The `berth-net` rules in `text` (the output of `iptables -t TABLE -S`).
pub fn parse_network_rules(v6: bool, table: &'static str, text: &str) -> Vec<NetworkRule> {
    text.lines()
        .filter(|l| l.starts_with("-A "))
        .filter_map(|l| {
            let words = split_words(l);
            let i = words.iter().position(|w| w == "--comment")?;
            let id = words.get(i + 1)?.strip_prefix("berth-net ")?;
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let bridge = words
                .windows(2)
                .find(|p| p[0] == "-i" || p[0] == "-o")
                .map(|p| p[1].clone());
            Some(NetworkRule {
                v6,
                table,
                spec: l.to_string(),
                network_id: id.to_string(),
                bridge,
            })
        })
        .collect()
}

fn tables_of(v6: bool, args: &[&str]) -> Option<String> {
    let bin = if v6 { "ip6tables" } else { "iptables" };
    let bin = crate::runtime::runc::find_binary(bin).ok()?;
    let out = Command::new(bin)
        .arg("-w")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every `berth-net` rule of the nat and filter tables, IPv4 and IPv6
/// (none without the tools or the privilege to read them).
pub fn network_rules() -> Vec<NetworkRule> {
    let mut out = Vec::new();
    for v6 in [false, true] {
        for t in TABLES {
            let text = tables_of(v6, &["-t", t, "-S"]).unwrap_or_default();
            out.extend(parse_network_rules(v6, t, &text));
        }
    }
    out
}

/// Delete one network rule (every copy of it).
pub fn remove_network_rule(rule: &NetworkRule) -> Result<(), String> {
    let words = split_words(&rule.spec);
    let mut args: Vec<&str> = vec!["-t", rule.table, "-D"];
    args.extend(words.iter().skip(1).map(String::as_str));
    for _ in 0..16 {
        if tables_of(rule.v6, &args).is_none() {
            break;
        }
    }
    let there = tables_of(rule.v6, &["-t", rule.table, "-S"])
        .is_some_and(|t| t.lines().any(|l| l == rule.spec));
    if there {
        return Err(format!(
            "{} -t {} -D failed",
            if rule.v6 { "ip6tables" } else { "iptables" },
            rule.table
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rules_of_a_network_by_its_tag() {
        let id = "cd".repeat(32);
        let text = format!(
            "-P FORWARD ACCEPT\n\
             -A FORWARD -i br-1 ! -o br-1 -m comment --comment \"berth-net {id}\" -j BERTH-ISOLATION\n\
             -A POSTROUTING -s 10.1.0.0/24 ! -o br-1 -m comment --comment \"berth-net {id}\" -j MASQUERADE\n\
             -A FORWARD -i docker0 -m comment --comment \"berth-net nothex\" -j ACCEPT\n\
             -A FORWARD -i x -j ACCEPT\n"
        );
        let rules = parse_network_rules(false, "filter", &text);
        assert_eq!(rules.len(), 2, "{rules:?}");
        assert!(rules.iter().all(|r| r.network_id == id));
        assert_eq!(rules[0].bridge.as_deref(), Some("br-1"));
        assert_eq!(rules[1].bridge.as_deref(), Some("br-1"));
        assert!(rules[1].spec.starts_with("-A POSTROUTING -s 10.1.0.0/24"));
    }

    #[test]
    fn finds_rules_tagged_with_a_container_id() {
        let id = "ab".repeat(32);
        let text = format!(
            "-P POSTROUTING ACCEPT\n-N CNI-1f2e\n\
             -A POSTROUTING -s 10.88.0.2/32 -m comment --comment \"name: \\\"berth-bridge\\\" id: \\\"{id}\\\"\" -j CNI-1f2e\n\
             -A CNI-1f2e -d 10.88.0.0/24 -m comment --comment \"name: \\\"berth-bridge\\\" id: \\\"{id}\\\"\" -j ACCEPT\n\
             -A POSTROUTING -m comment --comment \"CNI portfwd requiring masquerade\" -j CNI-HOSTPORT-MASQ\n"
        );
        let rules = parse("nat", &text);
        assert_eq!(rules.len(), 2, "{rules:?}");
        assert!(rules.iter().all(|r| r.container_id == id));
        assert_eq!(rules[0].target_chain.as_deref(), Some("CNI-1f2e"));
        assert_eq!(rules[1].target_chain, None);
        let net: ipnet::IpNet = "10.88.0.0/24".parse().unwrap();
        assert!(rules[0].on("berth-bridge", &[net]));
        assert!(!rules[0].on("other", &[net]));
        assert!(!rules[0].on("berth-bridge", &["10.89.0.0/24".parse().unwrap()]));
        let words = split_words(&rules[0].spec);
        assert_eq!(words[7], format!("name: \"berth-bridge\" id: \"{id}\""));
        assert_eq!(words.last().unwrap(), "CNI-1f2e");
    }
}
