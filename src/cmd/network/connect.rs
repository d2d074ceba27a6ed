//! `berth network connect [--ip IP] [--ip6 IP] [--alias A]... NETWORK
//! CONTAINER` and `berth network disconnect [-f] NETWORK CONTAINER`: the
//! container is looked up, locked, and handed to `container::netconnect`.
//! Both print nothing on success, as docker's.

use crate::cli::network::{NetworkConnectArgs, NetworkDisconnectArgs};
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::container::netconnect::{self, ConnectRequest};
use crate::container::spec::Link;
use anyhow::{bail, Result};

pub fn run_connect(ctx: &Context, args: NetworkConnectArgs) -> Result<u8> {
    if !args.link_local_ip.is_empty() {
        bail!("network connect --link-local-ip is not supported");
    }
    if !args.driver_opt.is_empty() {
        bail!("network connect --driver-opt is not supported");
    }
    let mut links = Vec::new();
    for l in &args.link {
        let (container, alias) = crate::container::options::parse_link(l)
            .map_err(|e| anyhow::anyhow!("invalid argument {l:?} for \"--link\" flag: {e}"))?;
        links.push(Link { container, alias });
    }
    let req = ConnectRequest {
        network: args.network,
        ips: netconnect::parse_ips(args.ip.as_deref(), args.ip6.as_deref())?,
        aliases: args.alias,
        links,
        gw_priority: args.gw_priority,
    };
    let (host, mut store) = ctx.container_store()?;
    let found = lifecycle::find_row(&store, &args.container)?;
    let lock = host.lock(&found.id)?;
    let mut c = lifecycle::find(&store, &found.id)?;
    netconnect::connect(&host, &mut store, &lock, &mut c, &req)?;
    Ok(0)
}

pub fn run_disconnect(ctx: &Context, args: NetworkDisconnectArgs) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    let found = lifecycle::find_row(&store, &args.container)?;
    let lock = host.lock(&found.id)?;
    let mut c = lifecycle::find(&store, &found.id)?;
    netconnect::disconnect(&host, &mut store, &lock, &mut c, &args.network, args.force)?;
    Ok(0)
}
