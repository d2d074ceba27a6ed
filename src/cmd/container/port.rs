//! `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: the host addresses a
//! container's ports are published on, as docker-cli prints them (every
//! line sorted by `sortorder.NaturalLess`; nothing once it has stopped,
//! when moby has dropped its `NetworkSettings.Ports`).

use crate::cli::container::PortArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::network::ports::display_addr;
use crate::store::networks::PortRow;
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(ctx: &Context, args: PortArgs, out: &mut dyn Write) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    let mut c = lifecycle::find(&store, &args.container)?;
    lifecycle::refresh(&host, &mut store, &mut c)?;
    let ports = if c.row.status.shows_ports() {
        crate::store::networks::ports_of_container(store.conn(), &c.row.id)?
    } else {
        Vec::new()
    };
    let lines = match &args.port {
        None => ports
            .iter()
            .map(|p| format!("{}/{} -> {}", p.container_port, p.proto, addr(p)))
            .collect(),
        Some(spec) => lines_for(&ports, spec, &args.container)?,
    };
    write_sorted(out, lines)?;
    Ok(0)
}

/// The host addresses of one `PRIVATE_PORT[/PROTO]` (tcp by default),
/// docker-cli's errors echoing the argument as given.
fn lines_for(ports: &[PortRow], spec: &str, container: &str) -> Result<Vec<String>> {
    let (port, proto) = match spec.split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (spec, "tcp".to_string()),
    };
    let port = match port.parse::<u16>() {
        Ok(port) => port,
        Err(_) => {
            // Go's strconv.ParseUint(port, 10, 16) error, as docker-cli wraps it.
            let why = if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            bail!("invalid port ({port}): strconv.ParseUint: parsing {port:?}: {why}");
        }
    };
    let lines: Vec<String> = ports
        .iter()
        .filter(|p| p.container_port == port && p.proto == proto)
        .map(addr)
        .collect();
    if lines.is_empty() {
        bail!("No public port '{spec}' published for {container}");
    }
    Ok(lines)
}

/// Go's `net.JoinHostPort` of the binding's host address and port.
fn addr(p: &PortRow) -> String {
    display_addr(&p.host_ip, p.host_port)
}

fn write_sorted(out: &mut dyn Write, mut lines: Vec<String>) -> std::io::Result<()> {
    lines.sort_by(|a, b| crate::format::natural::natural_cmp(a, b));
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ip: &str, host_port: u16, port: u16, proto: &str) -> PortRow {
        PortRow {
            host_ip: ip.into(),
            host_port,
            proto: proto.into(),
            container_id: "c".into(),
            container_port: port,
        }
    }

    #[test]
    fn lines_sorted_and_errors_as_docker_cli() {
        let ports = [
            row("", 18501, 80, "tcp"),
            row("127.0.0.1", 18499, 80, "tcp"),
            row("", 18053, 53, "udp"),
        ];
        let mut buf = Vec::new();
        let lines = lines_for(&ports, "80", "web").unwrap();
        write_sorted(&mut buf, lines).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "0.0.0.0:18501\n127.0.0.1:18499\n"
        );
        assert_eq!(
            lines_for(&ports, "53/UDP", "web").unwrap(),
            ["0.0.0.0:18053"]
        );
        let e = lines_for(&ports, "81", "web").unwrap_err();
        assert_eq!(e.to_string(), "No public port '81' published for web");
        let e = lines_for(&ports, "81/udp", "web").unwrap_err();
        assert_eq!(e.to_string(), "No public port '81/udp' published for web");
        let e = lines_for(&ports, "x/tcp", "web").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid port (x): strconv.ParseUint: parsing \"x\": invalid syntax"
        );
        let e = lines_for(&ports, "70000", "web").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid port (70000): strconv.ParseUint: parsing \"70000\": value out of range"
        );
    }
}
