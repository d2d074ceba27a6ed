//! `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: the host addresses a
//! container's ports are published on, as docker-cli prints them.

use crate::cli::container::PortArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::network::ports::host_ip_text;
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(ctx: &Context, args: PortArgs, out: &mut dyn Write) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    let mut c = lifecycle::find(&store, &args.container)?;
    lifecycle::refresh(&host, &mut store, &mut c)?;
    let ports = crate::store::networks::ports_of_container(store.conn(), &c.row.id)?;
    let addr = |ip: &str, port: u16| {
        let ip = host_ip_text(ip);
        if ip.contains(':') {
            format!("[{ip}]:{port}")
        } else {
            format!("{ip}:{port}")
        }
    };
    match &args.port {
        None => {
            for p in &ports {
                writeln!(
                    out,
                    "{}/{} -> {}",
                    p.container_port,
                    p.proto,
                    addr(&p.host_ip, p.host_port)
                )?;
            }
        }
        Some(spec) => {
            let (port, proto) = match spec.split_once('/') {
                Some((p, proto)) => (p, proto.to_ascii_lowercase()),
                None => (spec.as_str(), "tcp".to_string()),
            };
            let Ok(port) = port.parse::<u16>() else {
                bail!("invalid port {spec:?}");
            };
            let matching: Vec<_> = ports
                .iter()
                .filter(|p| p.container_port == port && p.proto == proto)
                .collect();
            if matching.is_empty() {
                bail!(
                    "No public port '{port}/{proto}' published for {}",
                    args.container
                );
            }
            for p in matching {
                writeln!(out, "{}", addr(&p.host_ip, p.host_port))?;
            }
        }
    }
    Ok(0)
}
