//! Published ports: `-p` in all of Docker's forms (`ctr`, `host:ctr`,
//! `ip:host:ctr`, `ip::ctr`, ranges, `/tcp|/udp|/sctp`, `[ipv6]:host:ctr`),
//! `-P` over the image's `EXPOSE` and `--expose`, and the reservation of
//! host ports when a container attaches.
//!
//! A reservation is a row in `port_reservations`, taken in one
//! `BEGIN IMMEDIATE` transaction with a wildcard-aware conflict check, so of
//! several `run -p 8080:80` racing exactly one wins and the others get
//! Docker's "Bind for 0.0.0.0:8080 failed: port is already allocated". Before
//! reserving, the port is bound once on the host to find host processes
//! holding it (Docker's "address already in use"). Random ports come from the
//! kernel's ephemeral range, skipping reserved ones. The DNAT itself is the
//! portmap plugin's; this module never touches iptables.

use crate::shim::proxy::{BindError, HeldPort, Proxy};
use crate::store::networks::{self as rows, PortRow};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Debug, thiserror::Error)]
pub enum PortError {
    #[error("invalid port specification: \"{0}\"")]
    Invalid(String),
    #[error("invalid containerPort: {0}")]
    ContainerPort(String),
    #[error("invalid hostPort: {0}")]
    HostPort(String),
    #[error("invalid IP address: {0}")]
    HostIp(String),
    #[error("invalid proto: {0}")]
    Proto(String),
    #[error("invalid ranges specified for container and host Ports: {0}")]
    Ranges(String),
    #[error("Bind for {addr} failed: port is already allocated")]
    Allocated { addr: String },
    /// A host program holds the port (current moby's words: `failed to
    /// bind host port 0.0.0.0:8080/tcp: address already in use`; Docker 28
    /// named the container's address too, which is not known before the
    /// ADD: the shim, which binds after it, says it as Docker 28).
    #[error(transparent)]
    InUse(#[from] crate::shim::proxy::BindError),
    #[error(
        "cannot publish SCTP on IPv6 address [{ip}]: {reason}, and berth's port proxy carries TCP and UDP only. Publish SCTP on an IPv4 address or on all addresses"
    )]
    Ipv6HostIp { ip: String, reason: String },
    #[error("no free host port left in {0}-{1}")]
    Exhausted(u16, u16),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

impl From<rusqlite::Error> for PortError {
    fn from(e: rusqlite::Error) -> Self {
        PortError::Store(crate::store::StoreError::Sql(e))
    }
}

/// One requested mapping of a container port (Docker's
/// `HostConfig.PortBindings` entry). `host_port_start == 0` asks for a
/// random port; a host range with one container port takes the first free
/// port of the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortBinding {
    /// Empty for all addresses.
    #[serde(default)]
    pub host_ip: String,
    pub host_port_start: u16,
    pub host_port_end: u16,
    pub container_port: u16,
    pub proto: String,
}

fn parse_port(s: &str, err: fn(String) -> PortError) -> Result<(u16, u16), PortError> {
    let one = |p: &str| -> Result<u16, PortError> {
        match p.parse::<u16>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(err(s.to_string())),
        }
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            if b < a {
                return Err(err(s.to_string()));
            }
            Ok((a, b))
        }
        None => one(s).map(|p| (p, p)),
    }
}

fn parse_proto(p: &str) -> Result<String, PortError> {
    match p.to_ascii_lowercase().as_str() {
        "tcp" | "udp" | "sctp" => Ok(p.to_ascii_lowercase()),
        _ => Err(PortError::Proto(p.to_string())),
    }
}

/// Parse one `-p` value into its mappings (a range gives one per port).
pub fn parse_publish(spec: &str) -> Result<Vec<PortBinding>, PortError> {
    let (rest, proto) = match spec.rsplit_once('/') {
        Some((r, p)) => (r, parse_proto(p)?),
        None => (spec, "tcp".to_string()),
    };
    // [ip]:host:ctr with brackets for IPv6; otherwise split on the last two colons.
    let (ip, host, ctr) = if let Some(after) = rest.strip_prefix('[') {
        let (ip, tail) = after
            .split_once(']')
            .ok_or_else(|| PortError::Invalid(spec.to_string()))?;
        let tail = tail
            .strip_prefix(':')
            .ok_or_else(|| PortError::Invalid(spec.to_string()))?;
        let (host, ctr) = tail
            .split_once(':')
            .ok_or_else(|| PortError::Invalid(spec.to_string()))?;
        (ip, host, ctr)
    } else {
        let parts: Vec<&str> = rest.split(':').collect();
        match parts.as_slice() {
            [ctr] => ("", "", *ctr),
            [host, ctr] => ("", *host, *ctr),
            [ip, host, ctr] => (*ip, *host, *ctr),
            _ => return Err(PortError::Invalid(spec.to_string())),
        }
    };
    let host_ip = if ip.is_empty() {
        String::new()
    } else {
        let a: IpAddr = ip.parse().map_err(|_| PortError::HostIp(ip.to_string()))?;
        // `0.0.0.0` is every address; `[::]` only IPv6's (Docker keeps it
        // as `::`; `check_host_families` refuses it).
        if a.is_unspecified() && a.is_ipv4() {
            String::new()
        } else {
            a.to_string()
        }
    };
    if ctr.is_empty() {
        return Err(PortError::Invalid(spec.to_string()));
    }
    let (c0, c1) = parse_port(ctr, PortError::ContainerPort)?;
    let (h0, h1) = if host.is_empty() {
        (0, 0)
    } else {
        parse_port(host, PortError::HostPort)?
    };
    let clen = c1 - c0;
    let hlen = h1 - h0;
    if h0 != 0 && clen != hlen && clen != 0 {
        return Err(PortError::Ranges(spec.to_string()));
    }
    Ok((0..=clen)
        .map(|i| {
            let (hs, he) = match (h0, clen == hlen) {
                (0, _) => (0, 0),
                (_, true) => (h0 + i, h0 + i),
                // A host range for a single container port: any free one.
                (_, false) => (h0, h1),
            };
            PortBinding {
                host_ip: host_ip.clone(),
                host_port_start: hs,
                host_port_end: he,
                container_port: c0 + i,
                proto: proto.clone(),
            }
        })
        .collect())
}

/// Parse `--expose` (`80`, `80/udp`, `8000-8010`) or an image's `EXPOSE`
/// key (`80/tcp`) into (port, proto) pairs.
pub fn parse_expose(spec: &str) -> Result<Vec<(u16, String)>, PortError> {
    let (p, proto) = match spec.rsplit_once('/') {
        Some((p, proto)) => (p, parse_proto(proto)?),
        None => (spec, "tcp".to_string()),
    };
    let (a, b) = parse_port(p, PortError::ContainerPort)?;
    Ok((a..=b).map(|n| (n, proto.clone())).collect())
}

/// `-P`: every exposed port on a random host port, unless `-p` maps it.
pub fn publish_all(exposed: &[(u16, String)], explicit: &[PortBinding]) -> Vec<PortBinding> {
    let mut out: Vec<PortBinding> = Vec::new();
    for (port, proto) in exposed {
        let taken = explicit
            .iter()
            .chain(out.iter())
            .any(|b| b.container_port == *port && b.proto == *proto);
        if !taken {
            out.push(PortBinding {
                host_ip: String::new(),
                host_port_start: 0,
                host_port_end: 0,
                container_port: *port,
                proto: proto.clone(),
            });
        }
    }
    out
}

/// A reservation's host address and port as Go's `net.JoinHostPort`
/// prints them (all addresses as `0.0.0.0`, IPv6 in brackets).
pub fn display_addr(ip: &str, port: u16) -> String {
    match host_ip_text(ip) {
        ip if ip.contains(':') => format!("[{ip}]:{port}"),
        ip => format!("{ip}:{port}"),
    }
}

/// Whether a host program holds the port: binding it once as the shim
/// will (`shim::proxy`: IPv6 with `IPV6_V6ONLY`, so `0.0.0.0` and `[::]`
/// are apart, as Docker binds them; TCP with `SO_REUSEADDR`) answers that.
/// SCTP is not checked.
fn check_host_port(ip: &str, port: u16, proto: &str) -> Result<(), BindError> {
    let host: IpAddr = match ip {
        "" => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        ip => match ip.parse() {
            Ok(a) => a,
            Err(_) => return Ok(()),
        },
    };
    if proto != "tcp" && proto != "udp" {
        return Ok(());
    }
    Proxy::bind(&[HeldPort {
        host: std::net::SocketAddr::new(host, port),
        proto: proto.to_string(),
        target: None,
    }])
    .map(drop)
}

/// Whether this host can listen on IPv6 (moby's `IsV6Listenable`: `[::1]`
/// binds). Without it a binding on all addresses takes no `[::]` half.
pub fn v6_listenable() -> bool {
    static V6: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *V6.get_or_init(|| std::net::TcpListener::bind("[::1]:0").is_ok())
}

/// The host addresses one binding takes, all on the same port (moby's
/// `sortAndNormPBs`/`needSamePort`): its own, or for all addresses
/// `0.0.0.0` (kept as `""`) and, where the host listens on IPv6, `[::]`,
/// which the shim's proxy serves when the container has no IPv6 address
/// (docker-proxy's job in Docker). SCTP has no proxy: no `[::]` half.
fn host_addresses(b: &PortBinding, v6: bool) -> Vec<String> {
    if b.host_ip.is_empty() && v6 && b.proto != "sctp" {
        vec![String::new(), "::".to_string()]
    } else {
        vec![b.host_ip.clone()]
    }
}

/// The kernel's ephemeral port range (Docker picks random ports there too).
fn ephemeral_range() -> (u16, u16) {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| {
            let mut it = s.split_whitespace().map(|n| n.parse::<u16>());
            Some((it.next()?.ok()?, it.next()?.ok()?))
        })
        .unwrap_or((32768, 60999))
}

/// Reserve host ports for a container's bindings: fixed ones as asked
/// (failing with Docker's wording), a given range's first free port (moby's
/// portallocator starts a range it has not used yet at its beginning; berth
/// has no daemon to remember where the last one ended), random ones from
/// the ephemeral range. On failure the ones reserved here are released.
pub fn reserve(
    store: &mut Store,
    container_id: &str,
    bindings: &[PortBinding],
) -> Result<Vec<PortRow>, PortError> {
    let mut done = Vec::new();
    let r = reserve_each(store, container_id, bindings, &mut done);
    if r.is_err() {
        let _ = store.write(|tx| rows::release_ports(tx, container_id));
    }
    r.map(|()| done)
}

fn reserve_each(
    store: &mut Store,
    container_id: &str,
    bindings: &[PortBinding],
    done: &mut Vec<PortRow>,
) -> Result<(), PortError> {
    let v6 = v6_listenable();
    for b in bindings {
        let (lo, hi, random) = match b.host_port_start {
            0 => {
                let (lo, hi) = ephemeral_range();
                (lo, hi, true)
            }
            s => (s, b.host_port_end.max(s), false),
        };
        let addrs = host_addresses(b, v6);
        let span = u32::from(hi - lo) + 1;
        let offset = if random {
            rand::random::<u32>() % span
        } else {
            0
        };
        let mut last_err = None;
        let mut reserved = false;
        for i in 0..span {
            let port = lo + ((offset + i) % span) as u16;
            let rows: Vec<PortRow> = addrs
                .iter()
                .map(|ip| PortRow {
                    host_ip: ip.clone(),
                    host_port: port,
                    proto: b.proto.clone(),
                    container_id: container_id.to_string(),
                    container_port: b.container_port,
                })
                .collect();
            // Another container's reservation first (moby's portallocator
            // answers before any bind), then a host program's socket; the
            // transaction decides between concurrent runs.
            let held = match rows::port_holder(store.conn(), &rows)? {
                Some(held) => Some(held),
                None => {
                    if let Err(e) = addrs
                        .iter()
                        .try_for_each(|ip| check_host_port(ip, port, &b.proto))
                    {
                        last_err = Some(PortError::InUse(e));
                        continue;
                    }
                    store.write(|tx| rows::reserve_ports(tx, &rows))?
                }
            };
            if let Some(held) = held {
                // Docker names the address asked for (all addresses: 0.0.0.0).
                let ip = if rows::addresses_overlap(&held.host_ip, &b.host_ip) {
                    &b.host_ip
                } else {
                    &held.host_ip
                };
                last_err = Some(PortError::Allocated {
                    addr: display_addr(ip, port),
                });
                continue;
            }
            done.extend(rows);
            reserved = true;
            break;
        }
        if !reserved {
            return Err(match (random, last_err) {
                (true, _) | (_, None) => PortError::Exhausted(lo, hi),
                (false, Some(e)) => e,
            });
        }
    }
    Ok(())
}

/// Refuse the `-p` host addresses berth cannot serve. TCP and UDP on any
/// address are served (portmap's DNAT, and the shim's proxy where DNAT
/// cannot go: IPv6 loopback, IPv6 to a container without an IPv6 address).
/// SCTP has only the DNAT, which cannot take IPv6 loopback (IPv6 has no
/// `route_localnet`) nor send IPv6 to a network without an IPv6 subnet; a
/// refusal at create beats publishing nothing. `network` is the one that
/// will carry the ports (the gateway endpoint's), with whether it has an
/// IPv6 subnet.
pub fn check_host_families(
    ports: &[PortBinding],
    network: Option<(&str, bool)>,
) -> Result<(), PortError> {
    for p in ports.iter().filter(|p| p.proto == "sctp") {
        let Ok(IpAddr::V6(ip)) = p.host_ip.parse::<IpAddr>() else {
            continue;
        };
        let reason = match network {
            _ if ip.is_loopback() => "IPv6 loopback cannot be forwarded by DNAT".to_string(),
            _ if ip.is_unspecified() => {
                "the portmap plugin's DNAT cannot take all IPv6 addresses without IPv4's"
                    .to_string()
            }
            Some((name, false)) => format!("network {name} has no IPv6 subnet"),
            _ => continue,
        };
        return Err(PortError::Ipv6HostIp {
            ip: ip.to_string(),
            reason,
        });
    }
    Ok(())
}

/// Release everything a container reserved.
pub fn release(store: &mut Store, container_id: &str) -> Result<(), PortError> {
    store.write(|tx| rows::release_ports(tx, container_id))?;
    Ok(())
}

/// Docker's `HostIp` of a reservation (`0.0.0.0` for all addresses).
pub fn host_ip_text(ip: &str) -> &str {
    if ip.is_empty() {
        "0.0.0.0"
    } else {
        ip
    }
}

/// One entry of Docker's `Ports` list (`container.PortSummary`): a
/// published port with its host address, or an exposed one without.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSummary {
    pub ip: Option<IpAddr>,
    pub private_port: u16,
    pub public_port: u16,
    pub proto: String,
}

/// `ps`'s PORTS: the published ports (on all addresses as `0.0.0.0`) and
/// the exposed ports nothing publishes, as docker-cli's
/// `DisplayablePorts` shows them.
pub fn ps_column(exposed: &[String], published: &[PortRow]) -> String {
    let mut ports: Vec<PortSummary> = published
        .iter()
        .map(|p| PortSummary {
            ip: host_ip_text(&p.host_ip).parse().ok(),
            private_port: p.container_port,
            public_port: p.host_port,
            proto: p.proto.clone(),
        })
        .collect();
    for e in exposed {
        let shown = published
            .iter()
            .any(|p| format!("{}/{}", p.container_port, p.proto) == *e);
        let (port, proto) = e.split_once('/').unwrap_or((e, "tcp"));
        if let (false, Ok(port)) = (shown, port.parse()) {
            ports.push(PortSummary {
                ip: None,
                private_port: port,
                public_port: 0,
                proto: proto.to_string(),
            });
        }
    }
    displayable_ports(ports)
}

/// docker-cli's `DisplayablePorts`: sorted by container port, host address
/// (numerically, IPv4 first), host port and protocol; runs of consecutive
/// ports that are exposed only, or published on the same port number of
/// one address, become one range (`8000-8002/tcp`,
/// `0.0.0.0:8000-8002->8000-8002/tcp`), in the order their runs started
/// (a run broken by a gap is written out at the gap); the other published
/// ports follow one by one.
pub fn displayable_ports(mut ports: Vec<PortSummary>) -> String {
    ports.sort_by(|a, b| {
        (a.private_port, a.ip, a.public_port, &a.proto).cmp(&(
            b.private_port,
            b.ip,
            b.public_port,
            &b.proto,
        ))
    });
    type Key = (Option<IpAddr>, String);
    let mut groups: Vec<(Key, u16, u16)> = Vec::new();
    let mut result = Vec::new();
    let mut mappings = Vec::new();
    for p in &ports {
        let current = p.private_port;
        if let Some(ip) = p.ip {
            if p.public_port != current {
                mappings.push(format!(
                    "{}->{}/{}",
                    join_host_port(&ip, &p.public_port.to_string()),
                    p.private_port,
                    p.proto
                ));
                continue;
            }
        }
        let key = (p.ip, p.proto.clone());
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            None => groups.push((key, current, current)),
            Some(g) if u32::from(current) == u32::from(g.2) + 1 => g.2 = current,
            Some(g) => {
                result.push(form_group(&g.0, g.1, g.2));
                g.1 = current;
                g.2 = current;
            }
        }
    }
    result.extend(
        groups
            .iter()
            .map(|(k, first, last)| form_group(k, *first, *last)),
    );
    result.extend(mappings);
    result.join(", ")
}

fn form_group(key: &(Option<IpAddr>, String), first: u16, last: u16) -> String {
    let mut group = first.to_string();
    if first != last {
        group = format!("{group}-{last}");
    }
    match key.0 {
        Some(ip) => format!("{}->{group}/{}", join_host_port(&ip, &group), key.1),
        None => format!("{group}/{}", key.1),
    }
}

/// Go's `net.JoinHostPort`: IPv6 addresses in brackets.
fn join_host_port(ip: &IpAddr, port: &str) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
        IpAddr::V4(v4) => format!("{v4}:{port}"),
    }
}

/// `NetworkSettings.Ports`: every exposed or published port as `80/tcp`,
/// with its host bindings (`null` when not published).
pub fn inspect_ports(exposed: &[String], published: &[PortRow]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for e in exposed {
        m.insert(e.clone(), serde_json::Value::Null);
    }
    for p in published {
        let key = format!("{}/{}", p.container_port, p.proto);
        let binding = serde_json::json!({
            "HostIp": host_ip_text(&p.host_ip),
            "HostPort": p.host_port.to_string(),
        });
        match m.get_mut(&key) {
            Some(serde_json::Value::Array(v)) => v.push(binding),
            _ => {
                m.insert(key, serde_json::Value::Array(vec![binding]));
            }
        }
    }
    serde_json::Value::Object(m)
}

/// `HostConfig.PortBindings`: what `-p`/`-P` asked for (host port "" when
/// random).
pub fn port_bindings(bindings: &[PortBinding]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for b in bindings {
        let host_port = match (b.host_port_start, b.host_port_end) {
            (0, _) => String::new(),
            (s, e) if e > s => format!("{s}-{e}"),
            (s, _) => s.to_string(),
        };
        let entry = serde_json::json!({"HostIp": b.host_ip, "HostPort": host_port});
        match m
            .entry(format!("{}/{}", b.container_port, b.proto))
            .or_insert_with(|| serde_json::Value::Array(Vec::new()))
        {
            serde_json::Value::Array(v) => v.push(entry),
            _ => unreachable!("inserted as an array"),
        }
    }
    serde_json::Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(ip: &str, hs: u16, he: u16, c: u16, proto: &str) -> PortBinding {
        PortBinding {
            host_ip: ip.into(),
            host_port_start: hs,
            host_port_end: he,
            container_port: c,
            proto: proto.into(),
        }
    }

    #[test]
    fn docker_publish_forms() {
        assert_eq!(parse_publish("80").unwrap(), [b("", 0, 0, 80, "tcp")]);
        assert_eq!(
            parse_publish("8080:80").unwrap(),
            [b("", 8080, 8080, 80, "tcp")]
        );
        assert_eq!(
            parse_publish("127.0.0.1:8080:80/udp").unwrap(),
            [b("127.0.0.1", 8080, 8080, 80, "udp")]
        );
        assert_eq!(
            parse_publish("127.0.0.1::80").unwrap(),
            [b("127.0.0.1", 0, 0, 80, "tcp")]
        );
        assert_eq!(
            parse_publish("0.0.0.0:8080:80").unwrap(),
            [b("", 8080, 8080, 80, "tcp")]
        );
        assert_eq!(
            parse_publish("[::1]:8080:80").unwrap(),
            [b("::1", 8080, 8080, 80, "tcp")]
        );
        assert_eq!(
            parse_publish("5000/sctp").unwrap(),
            [b("", 0, 0, 5000, "sctp")]
        );
        assert_eq!(
            parse_publish("8000-8001:80-81").unwrap(),
            [b("", 8000, 8000, 80, "tcp"), b("", 8001, 8001, 81, "tcp")]
        );
        assert_eq!(
            parse_publish("8000-8010:80").unwrap(),
            [b("", 8000, 8010, 80, "tcp")]
        );
        assert_eq!(
            parse_publish("80-81").unwrap(),
            [b("", 0, 0, 80, "tcp"), b("", 0, 0, 81, "tcp")]
        );
    }

    #[test]
    fn bad_publish_values() {
        for bad in [
            "",
            "x",
            "0",
            "70000",
            "1:2:3:4",
            "8000-8002:80-81",
            "80/icmp",
            "foo:80:80",
            "8080:",
            "[::1]8080:80",
        ] {
            assert!(parse_publish(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_publish("80/icmp").unwrap_err().to_string(),
            "invalid proto: icmp"
        );
    }

    fn row(ip: &str, hp: u16, cp: u16, proto: &str) -> PortRow {
        PortRow {
            host_ip: ip.into(),
            host_port: hp,
            proto: proto.into(),
            container_id: "c".into(),
            container_port: cp,
        }
    }

    #[test]
    fn docker_shows_ports_in_ps_and_inspect() {
        let exposed = vec!["80/tcp".to_string(), "53/udp".to_string()];
        let published = vec![row("", 8080, 80, "tcp"), row("127.0.0.1", 8081, 80, "tcp")];
        assert_eq!(
            ps_column(&exposed, &published),
            "53/udp, 0.0.0.0:8080->80/tcp, 127.0.0.1:8081->80/tcp"
        );
        assert_eq!(
            inspect_ports(&exposed, &published),
            serde_json::json!({
                "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"},
                           {"HostIp": "127.0.0.1", "HostPort": "8081"}],
                "53/udp": null
            })
        );
        assert_eq!(
            port_bindings(&parse_publish("127.0.0.1::80").unwrap()),
            serde_json::json!({"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]})
        );
    }

    #[test]
    fn expose_and_publish_all() {
        assert_eq!(
            parse_expose("8000-8001/udp").unwrap(),
            [(8000, "udp".to_string()), (8001, "udp".to_string())]
        );
        let exposed = vec![(80, "tcp".to_string()), (53, "udp".to_string())];
        let explicit = parse_publish("8080:80").unwrap();
        assert_eq!(publish_all(&exposed, &explicit), [b("", 0, 0, 53, "udp")]);
    }

    #[test]
    fn reservations_conflict_and_release() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = crate::store::Store::open(crate::store::Layout::new(
            dir.path().join("d"),
            dir.path().join("s"),
        ))
        .unwrap();
        for id in ["c1", "c2", "c3"] {
            store
                .write(|tx| {
                    tx.execute(
                        "INSERT INTO containers (id, name, image_id, image_ref, created_at, spec, status)
                         VALUES (?1, ?1, 'sha256:x', 'x', 'now', '{}', 'running')",
                        [id],
                    )
                })
                .unwrap();
        }
        // A free port found by the kernel.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let got = reserve(&mut store, "c1", &[b("127.0.0.1", port, port, 80, "tcp")]).unwrap();
        assert_eq!(got[0].host_port, port);
        let e = reserve(
            &mut store,
            "c2",
            &[b("", 0, 0, 53, "udp"), b("", port, port, 80, "tcp")],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("Bind for 0.0.0.0:{port} failed: port is already allocated")
        );
        // The random one reserved before the failure was released.
        assert!(rows::ports_of_container(store.conn(), "c2")
            .unwrap()
            .is_empty());
        // A host process holding a port.
        let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let hp = held.local_addr().unwrap().port();
        let e = reserve(&mut store, "c2", &[b("127.0.0.1", hp, hp, 80, "tcp")]).unwrap_err();
        assert!(e.to_string().contains("address already in use"), "{e}");
        release(&mut store, "c1").unwrap();
        reserve(&mut store, "c2", &[b("127.0.0.1", port, port, 80, "tcp")]).unwrap();
        // A range takes its first free port, in order (moby's portallocator).
        let free = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if free < u16::MAX - 8 {
            let range = [b("127.0.0.1", free, free + 8, 81, "tcp")];
            let got = reserve(&mut store, "c1", &range).unwrap();
            assert_eq!(got[0].host_port, free);
            let next_free = check_host_port("127.0.0.1", free + 1, "tcp").is_ok();
            let got = reserve(&mut store, "c3", &range).unwrap();
            assert!(got[0].host_port > free, "{got:?}");
            if next_free {
                assert_eq!(got[0].host_port, free + 1);
            }
        }
    }

    #[test]
    fn ipv6_host_addresses_are_refused_only_for_sctp() {
        // TCP and UDP: DNAT or the shim's proxy serve every address.
        for spec in [
            "[::]:8080:80",
            "[::1]:8080:80/udp",
            "[fd42::5]:8080:80",
            "8080:80",
        ] {
            let p = parse_publish(spec).unwrap();
            for net in [Some(("dual", true)), Some(("bridge", false)), None] {
                check_host_families(&p, net).unwrap();
            }
        }
        let v6 = parse_publish("[::]:8080:80/sctp").unwrap();
        let lo6 = parse_publish("[::1]:8080:80/sctp").unwrap();
        let one = parse_publish("[fd42::5]:8080:80/sctp").unwrap();
        assert_eq!(one[0].host_ip, "fd42::5");
        assert_eq!(v6[0].host_ip, "::");
        for ok in ["127.0.0.1:8080:80/sctp", "8080:80/sctp"] {
            check_host_families(&parse_publish(ok).unwrap(), Some(("bridge", false))).unwrap();
        }
        check_host_families(&one, Some(("dual", true))).unwrap();
        let e = check_host_families(&one, Some(("bridge", false))).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "cannot publish SCTP on IPv6 address [fd42::5]: network bridge has no IPv6 subnet, and berth's port proxy carries TCP and UDP only"
            ),
            "{e}"
        );
        let e = check_host_families(&v6, Some(("dual", true))).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot publish SCTP on IPv6 address [::]: the portmap plugin's"),
            "{e}"
        );
        for net in [Some(("dual", true)), Some(("bridge", false)), None] {
            let e = check_host_families(&lo6, net).unwrap_err();
            assert!(
                e.to_string().starts_with(
                    "cannot publish SCTP on IPv6 address [::1]: IPv6 loopback cannot be forwarded by DNAT"
                ),
                "{e}"
            );
        }
    }

    #[test]
    fn all_addresses_take_an_ipv6_half_on_the_same_port() {
        let all = &parse_publish("8080:80").unwrap()[0];
        assert_eq!(host_addresses(all, true), ["", "::"]);
        assert_eq!(host_addresses(all, false), [""]);
        let sctp = &parse_publish("8080:80/sctp").unwrap()[0];
        assert_eq!(host_addresses(sctp, true), [""]);
        let lo = &parse_publish("127.0.0.1:8080:80").unwrap()[0];
        assert_eq!(host_addresses(lo, true), ["127.0.0.1"]);
        let lo6 = &parse_publish("[::1]:8080:80").unwrap()[0];
        assert_eq!(host_addresses(lo6, true), ["::1"]);
    }

    /// docker-cli's `TestDisplayablePorts` cases (formatter/container_test.go).
    #[test]
    fn displayable_ports_as_docker_cli() {
        let p = |ip: &str, private_port: u16, public_port: u16, proto: &str| PortSummary {
            ip: (!ip.is_empty()).then(|| ip.parse().unwrap()),
            private_port,
            public_port,
            proto: proto.into(),
        };
        let cases: Vec<(Vec<PortSummary>, &str)> = vec![
            (vec![p("", 9988, 0, "tcp")], "9988/tcp"),
            (vec![p("", 9988, 0, "udp")], "9988/udp"),
            (vec![p("0.0.0.0", 9988, 0, "tcp")], "0.0.0.0:0->9988/tcp"),
            (vec![p("::", 9988, 0, "tcp")], "[::]:0->9988/tcp"),
            (vec![p("", 9988, 8899, "tcp")], "9988/tcp"),
            (vec![p("4.3.2.1", 9988, 8899, "tcp")], "4.3.2.1:8899->9988/tcp"),
            (vec![p("::1", 9988, 8899, "tcp")], "[::1]:8899->9988/tcp"),
            (vec![p("4.3.2.1", 9988, 9988, "tcp")], "4.3.2.1:9988->9988/tcp"),
            (vec![p("::1", 9988, 9988, "tcp")], "[::1]:9988->9988/tcp"),
            (
                vec![p("", 9988, 0, "udp"), p("", 9988, 0, "udp")],
                "9988/udp, 9988/udp",
            ),
            (
                vec![p("1.2.3.4", 9998, 9998, "udp"), p("1.2.3.4", 9999, 9999, "udp")],
                "1.2.3.4:9998-9999->9998-9999/udp",
            ),
            (
                vec![p("::1", 9998, 9998, "udp"), p("::1", 9999, 9999, "udp")],
                "[::1]:9998-9999->9998-9999/udp",
            ),
            (
                vec![p("1.2.3.4", 9998, 8887, "udp"), p("1.2.3.4", 9999, 8888, "udp")],
                "1.2.3.4:8887->9998/udp, 1.2.3.4:8888->9999/udp",
            ),
            (
                vec![p("::1", 9998, 8887, "udp"), p("::1", 9999, 8888, "udp")],
                "[::1]:8887->9998/udp, [::1]:8888->9999/udp",
            ),
            (
                vec![p("", 9998, 0, "udp"), p("", 9999, 0, "udp")],
                "9998-9999/udp",
            ),
            (
                vec![p("1.2.3.4", 6677, 7766, "tcp"), p("", 9988, 8899, "udp")],
                "9988/udp, 1.2.3.4:7766->6677/tcp",
            ),
            (
                vec![
                    p("1.2.3.4", 9988, 8899, "udp"),
                    p("1.2.3.4", 9988, 8899, "tcp"),
                    p("4.3.2.1", 2233, 3322, "tcp"),
                    p("::1", 2233, 3322, "tcp"),
                ],
                "4.3.2.1:3322->2233/tcp, [::1]:3322->2233/tcp, 1.2.3.4:8899->9988/tcp, 1.2.3.4:8899->9988/udp",
            ),
            (
                vec![
                    p("", 9988, 8899, "udp"),
                    p("1.2.3.4", 6677, 7766, "tcp"),
                    p("4.3.2.1", 2233, 3322, "tcp"),
                ],
                "9988/udp, 4.3.2.1:3322->2233/tcp, 1.2.3.4:7766->6677/tcp",
            ),
            (
                vec![
                    p("", 80, 0, "tcp"),
                    p("", 1024, 0, "tcp"),
                    p("", 80, 0, "udp"),
                    p("", 1024, 0, "udp"),
                    p("1.1.1.1", 1024, 80, "tcp"),
                    p("1.1.1.1", 1024, 80, "udp"),
                    p("1.1.1.1", 80, 1024, "tcp"),
                    p("1.1.1.1", 80, 1024, "udp"),
                    p("2.1.1.1", 1024, 80, "tcp"),
                    p("2.1.1.1", 1024, 80, "udp"),
                    p("2.1.1.1", 80, 1024, "tcp"),
                    p("2.1.1.1", 80, 1024, "udp"),
                    p("", 12345, 0, "sctp"),
                ],
                "80/tcp, 80/udp, 1024/tcp, 1024/udp, 12345/sctp, 1.1.1.1:1024->80/tcp, 1.1.1.1:1024->80/udp, 2.1.1.1:1024->80/tcp, 2.1.1.1:1024->80/udp, 1.1.1.1:80->1024/tcp, 1.1.1.1:80->1024/udp, 2.1.1.1:80->1024/tcp, 2.1.1.1:80->1024/udp",
            ),
            (
                vec![p("10.0.0.2", 80, 8080, "tcp"), p("9.0.0.1", 80, 8081, "tcp")],
                "9.0.0.1:8081->80/tcp, 10.0.0.2:8080->80/tcp",
            ),
            // The ranges -p 8000-8002:8000-8002 and --expose 7000-7001 give.
            (
                vec![
                    p("0.0.0.0", 8000, 8000, "tcp"),
                    p("0.0.0.0", 8001, 8001, "tcp"),
                    p("0.0.0.0", 8002, 8002, "tcp"),
                    p("", 7000, 0, "tcp"),
                    p("", 7001, 0, "tcp"),
                ],
                "7000-7001/tcp, 0.0.0.0:8000-8002->8000-8002/tcp",
            ),
        ];
        for (ports, want) in cases {
            assert_eq!(displayable_ports(ports.clone()), want, "{ports:?}");
        }
    }
}
