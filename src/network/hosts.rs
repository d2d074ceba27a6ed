//! A container's `/etc/hosts`, made the way Docker makes it.
//!
//! In its own network namespace a container gets Docker's fixed lines
//! (`localhost` on IPv4 and IPv6 and the IPv6 multicast names), then the
//! `--add-host` entries in order, then one line per address of its own
//! (`IP<TAB>hostname.domainname hostname`, or just the hostname without
//! `--domainname`), as Docker's sandbox writes them. With `--network host`
//! it gets the host's own file with the `--add-host` entries appended.
//! `--add-host NAME:host-gateway` stands for the host's address on the
//! container's bridge (Docker uses the default bridge's gateway).
//!
//! This module only builds text; it never writes into a bundle and knows
//! nothing of the store.

use std::net::IpAddr;
use thiserror::Error;

/// The `--add-host` value that stands for the host.
pub const HOST_GATEWAY: &str = "host-gateway";

/// Docker's fixed lines, first in every container's own hosts file.
const DEFAULT_LINES: &str = "127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
fe00::0\tip6-localnet
ff00::0\tip6-mcastprefix
ff02::1\tip6-allnodes
ff02::2\tip6-allrouters
";

#[derive(Debug, Error, PartialEq, Eq)]
pub enum HostsError {
    #[error("unable to derive the IP value for host-gateway: the container has no bridge network gateway")]
    NoGateway,
    #[error("invalid IP address in add-host: {0:?}")]
    BadAddress(String),
}

/// What a container's own hosts file lists besides the fixed lines.
#[derive(Debug, Clone, Default)]
pub struct Entries {
    /// `--add-host` entries as (name, address), `host-gateway` resolved.
    pub extra: Vec<(String, IpAddr)>,
    /// The container's own addresses, one line each.
    pub own: Vec<IpAddr>,
    pub hostname: String,
    pub domainname: Option<String>,
}

/// Resolve `--add-host` pairs: an address stays, `host-gateway` becomes
/// `gateway` (an error when there is none).
pub fn resolve_extra(
    extra: &[(String, String)],
    gateway: Option<IpAddr>,
) -> Result<Vec<(String, IpAddr)>, HostsError> {
    extra
        .iter()
        .map(|(name, value)| {
            let ip = if value == HOST_GATEWAY {
                gateway.ok_or(HostsError::NoGateway)?
            } else {
                value
                    .parse()
                    .map_err(|_| HostsError::BadAddress(value.clone()))?
            };
            Ok((name.clone(), ip))
        })
        .collect()
}

/// The hosts file of a container in its own network namespace.
pub fn generate(e: &Entries) -> String {
    let mut out = String::from(DEFAULT_LINES);
    for (name, ip) in &e.extra {
        out.push_str(&format!("{ip}\t{name}\n"));
    }
    let names = own_names(&e.hostname, e.domainname.as_deref());
    for ip in &e.own {
        out.push_str(&format!("{ip}\t{names}\n"));
    }
    out
}

/// The names on a container's own lines: `hostname.domainname hostname`,
/// or the hostname alone without a domain name.
pub fn own_names(hostname: &str, domainname: Option<&str>) -> String {
    match domainname.filter(|d| !d.is_empty()) {
        Some(d) => format!("{hostname}.{d} {hostname}"),
        None => hostname.to_string(),
    }
}

/// The container's own part of its hosts file after `network connect` or
/// `disconnect` on a live container, as Docker's sandbox edits it
/// (libnetwork `addHostsEntries` on join, `deleteHostsEntries` on leave):
/// a line `IP<TAB>names` appended for each address gained, and the lines
/// that are exactly `IP<TAB>names` for an address lost deleted. Every
/// other line, the user's own edits included, stays as it is.
pub fn edit_own(own: &str, names: &str, added: &[IpAddr], removed: &[IpAddr]) -> String {
    let gone: Vec<String> = removed.iter().map(|ip| format!("{ip}\t{names}")).collect();
    let mut out = String::new();
    for line in own.lines() {
        if !gone.iter().any(|g| g == line.trim_end()) {
            out.push_str(line);
            out.push('\n');
        }
    }
    for ip in added {
        out.push_str(&format!("{ip}\t{names}\n"));
    }
    out
}

/// The hosts file with `--network host`: the host's own, then `--add-host`.
pub fn generate_host_network(host_file: &str, extra: &[(String, IpAddr)]) -> String {
    let mut out = host_file.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    for (name, ip) in extra {
        out.push_str(&format!("{ip}\t{name}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn own_address_follows_the_extras() {
        let e = Entries {
            extra: vec![("db".into(), ip("10.0.0.5"))],
            own: vec![ip("10.88.0.2")],
            hostname: "abc".into(),
            domainname: None,
        };
        let out = generate(&e);
        assert!(
            out.starts_with("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
        );
        assert!(out.ends_with("ff02::2\tip6-allrouters\n10.0.0.5\tdb\n10.88.0.2\tabc\n"));
    }

    #[test]
    fn domainname_gives_the_full_name_first() {
        let e = Entries {
            own: vec![ip("10.88.0.2"), ip("fd00::2")],
            hostname: "web".into(),
            domainname: Some("example.org".into()),
            ..Default::default()
        };
        let out = generate(&e);
        assert!(out.ends_with("10.88.0.2\tweb.example.org web\nfd00::2\tweb.example.org web\n"));
    }

    #[test]
    fn no_network_no_own_line() {
        assert_eq!(generate(&Entries::default()), DEFAULT_LINES);
    }

    #[test]
    fn host_gateway_takes_the_gateway() {
        let extra = vec![
            ("h".to_string(), HOST_GATEWAY.to_string()),
            ("x".to_string(), "::1".to_string()),
        ];
        assert_eq!(
            resolve_extra(&extra, Some(ip("10.88.0.1"))).unwrap(),
            vec![("h".into(), ip("10.88.0.1")), ("x".into(), ip("::1"))]
        );
        assert_eq!(resolve_extra(&extra, None), Err(HostsError::NoGateway));
    }

    #[test]
    fn host_network_appends_to_the_host_file() {
        let out = generate_host_network("127.0.0.1 localhost", &[("db".into(), ip("10.0.0.5"))]);
        assert_eq!(out, "127.0.0.1 localhost\n10.0.0.5\tdb\n");
    }

    #[test]
    fn edit_own_adds_and_removes_only_the_containers_lines() {
        let a: IpAddr = "10.1.0.2".parse().unwrap();
        let b: IpAddr = "10.2.0.5".parse().unwrap();
        let own = format!("{DEFAULT_LINES}10.9.9.9\tmine\n{a}\tweb.example web\n");
        let names = own_names("web", Some("example"));
        let joined = edit_own(&own, &names, &[b], &[]);
        assert_eq!(joined, format!("{own}{b}\tweb.example web\n"));
        let left = edit_own(&joined, &names, &[], &[a]);
        assert_eq!(
            left,
            format!("{DEFAULT_LINES}10.9.9.9\tmine\n{b}\tweb.example web\n")
        );
        // A line the user wrote for the same address stays.
        let user = format!("{a}\tsomething else\n");
        assert_eq!(edit_own(&user, &names, &[], &[a]), user);
    }
}
