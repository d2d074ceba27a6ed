//! A container's `/etc/resolv.conf`, made the way Docker makes it.
//!
//! The source is the host's `/etc/resolv.conf`; when that file points only
//! at systemd-resolved's stub (`127.0.0.53`), the real upstreams are read
//! from `/run/systemd/resolve/resolv.conf` instead, as Docker does. For a
//! container in its own network namespace, name servers on the host's
//! loopback (unreachable from there) are dropped, and IPv6 ones too unless
//! the container has IPv6; when none are left, Google's public resolvers
//! are used (Docker's defaults). `search`, `options` and every other line of
//! the host file are kept. `--dns`, `--dns-search` (`.` alone: no search
//! list) and `--dns-option` replace the host's name servers, search list and
//! options. With `--network host` the host's servers are kept as they are.
//!
//! On a user network with a name server (`network::dns`) the only
//! `nameserver` is that server (the network's gateway), whatever `--dns`
//! says: the server forwards to the `--dns` servers for that container, as
//! Docker's embedded server does (Docker writes 127.0.0.11 there).
//! `--dns-search` and `--dns-option` apply as above, and `ndots:0` is added
//! unless a valid `ndots` option is there (libnetwork's resolver requires
//! it, so that a bare container name is not first tried with the host's
//! search domains). The server itself
//! forwards to [`upstreams`]: the host's servers, loopback ones included
//! (it runs in the host's namespace), Google's when there are none.
//!
//! This module only builds text and reads the host's files; it never writes
//! into a bundle and knows nothing of networks or containers.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The host's resolver configuration.
pub const HOST_RESOLV_CONF: &str = "/etc/resolv.conf";
/// systemd-resolved's list of its real upstream servers.
pub const RESOLVED_UPSTREAMS: &str = "/run/systemd/resolve/resolv.conf";
/// The stub address systemd-resolved listens on.
const RESOLVED_STUB: &str = "127.0.0.53";
/// Docker's fallback servers when the host leaves none usable.
const DEFAULT_V4: [&str; 2] = ["8.8.8.8", "8.8.4.4"];
const DEFAULT_V6: [&str; 2] = ["2001:4860:4860::8888", "2001:4860:4860::8844"];

#[derive(Debug, Error)]
pub enum ResolvError {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// `--dns`, `--dns-search`, `--dns-option`: each, when given, replaces the
/// host's corresponding lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub servers: Vec<IpAddr>,
    pub search: Vec<String>,
    pub options: Vec<String>,
}

/// How the container sees the host's name servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `--network host`: the host's servers as they are.
    Host,
    /// Its own network namespace: no loopback servers; IPv6 ones only with
    /// `ipv6`.
    Namespace { ipv6: bool },
}

/// The host's resolv.conf text (the file at `path`: `resolv_conf` in
/// berth.toml, [`HOST_RESOLV_CONF`] by default), with systemd-resolved's
/// stub replaced by its upstreams. A missing host file reads as empty (the
/// defaults then apply).
pub fn host_source_from(path: &Path) -> Result<String, ResolvError> {
    let main = read_optional(path)?;
    let servers = nameservers(&main);
    if !servers.is_empty() && servers.iter().all(|s| s == RESOLVED_STUB) {
        let upstreams = read_optional(Path::new(RESOLVED_UPSTREAMS))?;
        if !upstreams.is_empty() {
            return Ok(upstreams);
        }
    }
    Ok(main)
}

fn read_optional(path: &Path) -> Result<String, ResolvError> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(source) => Err(ResolvError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The `nameserver` values of a resolv.conf text, in order.
fn nameservers(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| directive(l, "nameserver"))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The rest of `line` after `keyword` when the line is that directive.
fn directive<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let t = line.trim_start();
    let rest = t.strip_prefix(keyword)?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then(|| rest.trim())
}

/// Whether a host name server is usable from the container's namespace.
fn usable(server: &str, scope: Scope) -> bool {
    let Scope::Namespace { ipv6 } = scope else {
        return true;
    };
    // A zone suffix (fe80::1%eth0) names a host interface: never reachable.
    if server.contains('%') {
        return false;
    }
    match server.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => false,
        Ok(IpAddr::V6(_)) => ipv6,
        Ok(IpAddr::V4(_)) => true,
        Err(_) => false,
    }
}

/// Where a network name server forwards to: every server of the host's
/// text (it runs in the host's namespace, so loopback ones are reachable),
/// Docker's public defaults when there is none.
pub fn upstreams(host: &str) -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = nameservers(host)
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    if out.is_empty() {
        out.extend(DEFAULT_V4.iter().filter_map(|s| s.parse::<IpAddr>().ok()));
    }
    out
}

/// The resolv.conf of a container whose queries go to a network's name
/// server at `server` (see the module docs). Its options are the host's
/// (every `options` line, on one line) or `--dns-option`'s, with
/// `ndots:0` added unless a valid `ndots` is there: libnetwork's
/// `TransformForIntNS` with its resolver's required options (an `ndots`
/// that is not a non-negative number is dropped first).
pub fn generate_embedded(host: &str, overrides: &Overrides, server: IpAddr) -> String {
    let mut options: Vec<String> = if overrides.options.is_empty() {
        host.lines()
            .filter_map(|l| directive(l, "options"))
            .flat_map(|o| o.split_whitespace().map(str::to_string))
            .collect()
    } else {
        overrides.options.clone()
    };
    options.retain(|o| match o.split_once(':') {
        Some(("ndots", n)) => n.parse::<u32>().is_ok(),
        None => o != "ndots",
        _ => true,
    });
    if !options
        .iter()
        .any(|o| o.split_once(':').map_or(o.as_str(), |(k, _)| k) == "ndots")
    {
        options.push("ndots:0".to_string());
    }
    let overrides = Overrides {
        servers: vec![server],
        search: overrides.search.clone(),
        options,
    };
    generate(host, &overrides, Scope::Host)
}

/// The container's resolv.conf from the host's text (see the module docs).
pub fn generate(host: &str, overrides: &Overrides, scope: Scope) -> String {
    let mut servers: Vec<String> = if overrides.servers.is_empty() {
        nameservers(host)
            .into_iter()
            .filter(|s| usable(s, scope))
            .collect()
    } else {
        overrides.servers.iter().map(IpAddr::to_string).collect()
    };
    if servers.is_empty() {
        servers.extend(DEFAULT_V4.iter().map(|s| s.to_string()));
        if scope == (Scope::Namespace { ipv6: true }) {
            servers.extend(DEFAULT_V6.iter().map(|s| s.to_string()));
        }
    }
    let search: Option<Vec<String>> = if overrides.search.is_empty() {
        None
    } else {
        Some(
            overrides
                .search
                .iter()
                .filter(|s| s.as_str() != ".")
                .cloned()
                .collect(),
        )
    };
    let options = (!overrides.options.is_empty()).then(|| overrides.options.clone());

    let mut out = String::new();
    for l in host.lines() {
        if directive(l, "nameserver").is_some() {
            continue;
        }
        if search.is_some()
            && (directive(l, "search").is_some() || directive(l, "domain").is_some())
        {
            continue;
        }
        if options.is_some() && directive(l, "options").is_some() {
            continue;
        }
        out.push_str(l);
        out.push('\n');
    }
    for s in &servers {
        out.push_str(&format!("nameserver {s}\n"));
    }
    if let Some(search) = search.filter(|s| !s.is_empty()) {
        out.push_str(&format!("search {}\n", search.join(" ")));
    }
    if let Some(options) = options {
        out.push_str(&format!("options {}\n", options.join(" ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: Scope = Scope::Namespace { ipv6: false };

    #[test]
    fn loopback_servers_are_dropped_in_a_namespace() {
        let host = "# host\nnameserver 127.0.0.1\nnameserver 10.0.0.2\nnameserver ::1\nsearch corp.example\noptions ndots:2\n";
        let out = generate(host, &Overrides::default(), NS);
        assert_eq!(
            out,
            "# host\nsearch corp.example\noptions ndots:2\nnameserver 10.0.0.2\n"
        );
    }

    #[test]
    fn host_scope_keeps_every_server() {
        let host = "nameserver 127.0.0.53\nsearch x\n";
        let out = generate(host, &Overrides::default(), Scope::Host);
        assert_eq!(out, "search x\nnameserver 127.0.0.53\n");
    }

    #[test]
    fn defaults_only_when_nothing_is_left() {
        let out = generate("nameserver 127.0.0.11\n", &Overrides::default(), NS);
        assert_eq!(out, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        let out = generate("", &Overrides::default(), Scope::Namespace { ipv6: true });
        assert!(out.contains("nameserver 2001:4860:4860::8888\n"));
    }

    #[test]
    fn ipv6_servers_need_ipv6() {
        let host = "nameserver 2001:db8::1\nnameserver fe80::1%eth0\nnameserver 192.0.2.1\n";
        assert_eq!(
            generate(host, &Overrides::default(), NS),
            "nameserver 192.0.2.1\n"
        );
        assert_eq!(
            generate(host, &Overrides::default(), Scope::Namespace { ipv6: true }),
            "nameserver 2001:db8::1\nnameserver 192.0.2.1\n"
        );
    }

    #[test]
    fn overrides_replace_their_lines() {
        let host = "nameserver 10.0.0.2\nsearch a.example\noptions ndots:3\nsortlist 10.0.0.0/8\n";
        let o = Overrides {
            servers: vec!["1.1.1.1".parse().unwrap()],
            search: vec!["b.example".into(), "c.example".into()],
            options: vec!["timeout:1".into()],
        };
        assert_eq!(
            generate(host, &o, NS),
            "sortlist 10.0.0.0/8\nnameserver 1.1.1.1\nsearch b.example c.example\noptions timeout:1\n"
        );
        // An override server on loopback is the user's choice: kept.
        let o = Overrides {
            servers: vec!["127.0.0.1".parse().unwrap()],
            ..Default::default()
        };
        assert_eq!(
            generate(host, &o, NS),
            "search a.example\noptions ndots:3\nsortlist 10.0.0.0/8\nnameserver 127.0.0.1\n"
        );
    }

    #[test]
    fn a_network_name_server_replaces_every_server() {
        let host = "nameserver 10.0.0.2\nsearch a.example\n";
        let o = Overrides {
            servers: vec!["1.1.1.1".parse().unwrap()],
            options: vec!["ndots:0".into()],
            ..Default::default()
        };
        assert_eq!(
            generate_embedded(host, &o, "10.9.0.1".parse().unwrap()),
            "search a.example\nnameserver 10.9.0.1\noptions ndots:0\n"
        );
    }

    #[test]
    fn a_network_name_server_needs_ndots() {
        let server: IpAddr = "10.9.0.1".parse().unwrap();
        let none = Overrides::default();
        // libnetwork's required ndots:0, after the host's options.
        assert_eq!(
            generate_embedded("nameserver 10.0.0.2\n", &none, server),
            "nameserver 10.9.0.1\noptions ndots:0\n"
        );
        assert_eq!(
            generate_embedded(
                "options edns0\nnameserver 10.0.0.2\noptions trust-ad\n",
                &none,
                server
            ),
            "nameserver 10.9.0.1\noptions edns0 trust-ad ndots:0\n"
        );
        // A valid ndots is kept, from the host or --dns-option.
        assert_eq!(
            generate_embedded("options ndots:2 edns0\n", &none, server),
            "nameserver 10.9.0.1\noptions ndots:2 edns0\n"
        );
        let o = Overrides {
            options: vec!["ndots:1".into(), "timeout:3".into()],
            ..Default::default()
        };
        assert_eq!(
            generate_embedded("options ndots:5\n", &o, server),
            "nameserver 10.9.0.1\noptions ndots:1 timeout:3\n"
        );
        // An invalid one is replaced.
        assert_eq!(
            generate_embedded("options ndots:-1 attempts:3 ndots\n", &none, server),
            "nameserver 10.9.0.1\noptions attempts:3 ndots:0\n"
        );
    }

    #[test]
    fn upstreams_keep_loopback_and_fall_back_to_defaults() {
        let u = upstreams("nameserver 127.0.0.53\nnameserver bogus\nnameserver ::1\n");
        assert_eq!(
            u,
            [
                "127.0.0.53".parse::<IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        assert_eq!(
            upstreams(""),
            [
                "8.8.8.8".parse::<IpAddr>().unwrap(),
                "8.8.4.4".parse().unwrap()
            ]
        );
    }

    #[test]
    fn dot_search_clears_the_search_list() {
        let o = Overrides {
            search: vec![".".into()],
            ..Default::default()
        };
        assert_eq!(
            generate("nameserver 10.0.0.2\nsearch a\ndomain b\n", &o, NS),
            "nameserver 10.0.0.2\n"
        );
    }

    #[test]
    fn directives_need_a_separator() {
        assert_eq!(
            nameservers("nameservers 1.2.3.4\n  nameserver\t5.6.7.8 # x\n"),
            ["5.6.7.8"]
        );
    }
}
