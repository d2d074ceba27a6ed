//! `berth network create`: prints the new network's full ID, like docker.
//! `--subnet`, `--gateway` and `--ip-range` are matched the way docker-cli
//! does it: each gateway and range goes with the subnet that contains it.

use crate::cli::network::NetworkCreateArgs;
use crate::cmd::context::Context;
use crate::network::store::{self as netstore, CreateRequest, PoolRequest};
use anyhow::{anyhow, bail, Result};
use ipnet::IpNet;
use std::collections::BTreeMap;
use std::io::Write;
use std::net::IpAddr;

fn key_values(items: &[String]) -> BTreeMap<String, String> {
    items
        .iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (s.clone(), String::new()),
        })
        .collect()
}

/// One pool per `--subnet`, with the gateway and range that fall inside it.
fn pools(subnets: &[String], gateways: &[String], ranges: &[String]) -> Result<Vec<PoolRequest>> {
    if subnets.is_empty() && !(gateways.is_empty() && ranges.is_empty()) {
        bail!("every ip-range or gateway must have a corresponding subnet");
    }
    let mut pools = subnets
        .iter()
        .map(|s| {
            let net: IpNet = s
                .parse()
                .map_err(|_| anyhow!("invalid CIDR address: {s}"))?;
            Ok(PoolRequest {
                subnet: Some(net),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>>>()?;
    for r in ranges {
        let range: IpNet = r
            .parse()
            .map_err(|_| anyhow!("invalid CIDR address: {r}"))?;
        let pool = pools
            .iter_mut()
            .find(|p| p.subnet.is_some_and(|s| s.contains(&range)))
            .ok_or_else(|| anyhow!("no matching subnet for range {r}"))?;
        if let Some(old) = pool.ip_range {
            bail!(
                "cannot configure multiple ranges ({r}, {old}) on the same subnet ({})",
                pool.subnet.expect("matched")
            );
        }
        pool.ip_range = Some(range);
    }
    for g in gateways {
        let gw: IpAddr = g.parse().map_err(|_| anyhow!("invalid IP address: {g}"))?;
        let pool = pools
            .iter_mut()
            .find(|p| p.subnet.is_some_and(|s| s.contains(&gw)))
            .ok_or_else(|| anyhow!("no matching subnet for gateway {g}"))?;
        if let Some(old) = pool.gateway {
            bail!(
                "cannot configure multiple gateways ({g}, {old}) for the same subnet ({})",
                pool.subnet.expect("matched")
            );
        }
        pool.gateway = Some(gw);
    }
    Ok(pools)
}

pub fn run(ctx: &Context, args: NetworkCreateArgs) -> Result<u8> {
    let req = CreateRequest {
        name: args.name.clone(),
        driver: args.driver.clone(),
        pools: pools(&args.subnet, &args.gateway, &args.ip_range)?,
        internal: args.internal,
        ipv6: args.ipv6,
        labels: key_values(&args.label),
        options: key_values(&args.opt),
    };
    let env = ctx.net_env();
    let mut store = ctx.store()?;
    let net = netstore::create(&env, &mut store, req)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{}", net.id)?;
    out.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn gateways_and_ranges_go_with_their_subnet() {
        let p = pools(
            &s(&["10.5.0.0/16", "fd00:5::/64"]),
            &s(&["fd00:5::1", "10.5.0.254"]),
            &s(&["10.5.1.0/24"]),
        )
        .unwrap();
        assert_eq!(p[0].gateway, Some("10.5.0.254".parse().unwrap()));
        assert_eq!(p[0].ip_range, Some("10.5.1.0/24".parse().unwrap()));
        assert_eq!(p[1].gateway, Some("fd00:5::1".parse().unwrap()));
    }

    #[test]
    fn docker_cli_errors() {
        let e = |sub: &[&str], gw: &[&str], r: &[&str]| {
            pools(&s(sub), &s(gw), &s(r)).unwrap_err().to_string()
        };
        assert_eq!(
            e(&[], &["10.0.0.1"], &[]),
            "every ip-range or gateway must have a corresponding subnet"
        );
        assert_eq!(
            e(&["10.0.0.0/24"], &["10.1.0.1"], &[]),
            "no matching subnet for gateway 10.1.0.1"
        );
        assert_eq!(e(&["nope"], &[], &[]), "invalid CIDR address: nope");
        assert!(e(&["10.0.0.0/24"], &["10.0.0.1", "10.0.0.2"], &[])
            .starts_with("cannot configure multiple gateways"));
    }
}
