//! `berth network connect [--ip IP] [--ip6 IP] [--alias A]... NETWORK
//! CONTAINER` and `berth network disconnect [-f] NETWORK CONTAINER`: the
//! container is looked up, locked, and handed to `container::netconnect`.
//! Both print nothing on success, as docker's.

use crate::cli::network::{NetworkConnectArgs, NetworkDisconnectArgs};
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::container::netconnect::{self, ConnectRequest};
use anyhow::{bail, Result};
use std::net::IpAddr;

/// `--ip`/`--ip6` as docker's daemon reads them (empty: not given).
fn parse_ips(ip: Option<&str>, ip6: Option<&str>) -> Result<Vec<IpAddr>> {
    let mut out = Vec::new();
    if let Some(s) = ip.map(str::trim).filter(|s| !s.is_empty()) {
        match s.parse::<IpAddr>() {
            Ok(a @ IpAddr::V4(_)) => out.push(a),
            _ => bail!("invalid IPv4 address: {s}"),
        }
    }
    if let Some(s) = ip6.map(str::trim).filter(|s| !s.is_empty()) {
        match s.parse::<IpAddr>() {
            Ok(a @ IpAddr::V6(_)) => out.push(a),
            _ => bail!("invalid IPv6 address: {s}"),
        }
    }
    Ok(out)
}

pub fn run_connect(ctx: &Context, args: NetworkConnectArgs) -> Result<u8> {
    if !args.link.is_empty() {
        bail!("network connect --link: legacy container links are not supported; containers on a user network reach each other by name");
    }
    if !args.link_local_ip.is_empty() {
        bail!("network connect --link-local-ip is not supported");
    }
    if !args.driver_opt.is_empty() {
        bail!("network connect --driver-opt is not supported");
    }
    let req = ConnectRequest {
        network: args.network,
        ips: parse_ips(args.ip.as_deref(), args.ip6.as_deref())?,
        aliases: args.alias,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ips_are_checked_per_family() {
        assert_eq!(
            parse_ips(Some("10.30.0.5"), Some("fd00::5")).unwrap(),
            [
                "10.30.0.5".parse::<IpAddr>().unwrap(),
                "fd00::5".parse().unwrap()
            ]
        );
        assert!(parse_ips(None, Some("")).unwrap().is_empty());
        assert_eq!(
            parse_ips(Some("fd00::5"), None).unwrap_err().to_string(),
            "invalid IPv4 address: fd00::5"
        );
        assert_eq!(
            parse_ips(None, Some("1.2.3.4")).unwrap_err().to_string(),
            "invalid IPv6 address: 1.2.3.4"
        );
    }
}
