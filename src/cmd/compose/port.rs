//! `berth compose port [--protocol P] [--index N] SERVICE PRIVATE_PORT`:
//! the host address a service container publishes a port on, as compose
//! prints it (`0.0.0.0:8080`), read from the container's port rows as
//! `berth port` reads them.

use crate::cli::compose::ComposePortArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff};
use crate::compose::project::LoadOptions;
use anyhow::{anyhow, bail, Result};
use std::io::Write;

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposePortArgs,
    out: &mut dyn Write,
) -> Result<u8> {
    let port: u16 = a.private_port.parse().map_err(|_| {
        anyhow!(
            "strconv.ParseUint: parsing {:?}: invalid syntax",
            a.private_port
        )
    })?;
    let proto = a.protocol.to_lowercase();
    let (_, name) = super::project_or_name(base)?;
    let (host, mut store) = ctx.container_store()?;
    let c = containers::specified(
        &host,
        &mut store,
        &name.to_lowercase(),
        OneOff::Include,
        false,
        &a.service,
        a.index,
    )?;
    let ports = crate::store::networks::ports_of_container(store.conn(), &c.row.id)?;
    match ports
        .iter()
        .find(|p| p.container_port == port && p.proto == proto)
    {
        Some(p) => {
            writeln!(
                out,
                "{}:{}",
                crate::network::ports::host_ip_text(&p.host_ip),
                p.host_port
            )?;
            Ok(0)
        }
        None => {
            let have: Vec<String> = ports
                .iter()
                .map(|p| format!("{}/{}", p.container_port, p.proto))
                .collect();
            bail!(
                "no port {port}/{proto} for container {}: {}",
                c.row.name,
                have.join(", ")
            )
        }
    }
}
