//! `berth network inspect`: Docker's JSON per network (IPAM config,
//! `Containers` with each running container's endpoint), or `-f`
//! templates. Found networks print first; a missing one then fails the
//! command (exit 1) with `network x not found`. `host` and `none` are
//! found too (`network::store::find_shown`).

use crate::cli::network::NetworkInspectArgs;
use crate::cmd::context::Context;
use crate::network::store::{self as nets, Network, NetworkError};
use crate::store::Store;
use anyhow::Result;
use serde_json::{json, Map, Value};

/// Docker's `network inspect` object for one network.
pub fn inspect_json(store: &Store, net: &Network) -> Result<Value> {
    let config: Vec<Value> = net
        .subnets
        .iter()
        .map(|s| {
            let mut c = Map::new();
            c.insert("Subnet".into(), json!(s.subnet.to_string()));
            if let Some(r) = s.ip_range {
                c.insert("IPRange".into(), json!(r.to_string()));
            }
            c.insert("Gateway".into(), json!(s.gateway.to_string()));
            Value::Object(c)
        })
        .collect();
    let mut containers = Map::new();
    for e in crate::store::networks::endpoints_of_network(store.conn(), &net.id)? {
        let name = crate::store::containers::get(store.conn(), &e.container_id)?
            .map(|c| c.name)
            .unwrap_or_default();
        containers.insert(
            e.container_id.clone(),
            json!({
                "Name": name,
                "EndpointID": e.endpoint_id,
                "MacAddress": e.mac,
                "IPv4Address": e.ip,
                "IPv6Address": e.ipv6,
            }),
        );
    }
    let ipam_options = if config.is_empty() {
        Value::Null
    } else {
        json!({})
    };
    Ok(json!({
        "Name": net.name,
        "Id": net.id,
        "Created": net.created_at,
        "Scope": "local",
        "Driver": net.driver,
        "EnableIPv4": true,
        "EnableIPv6": net.ipv6,
        "IPAM": {"Driver": "default", "Options": ipam_options, "Config": config},
        "Internal": net.internal,
        "Attachable": false,
        "Ingress": false,
        "ConfigFrom": {"Network": ""},
        "ConfigOnly": false,
        "Containers": containers,
        "Options": net.options,
        "Labels": net.labels,
    }))
}

pub fn run(ctx: &Context, args: NetworkInspectArgs) -> Result<u8> {
    let store = ctx.store()?;
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for name in &args.networks {
        match nets::find_shown(&store, name) {
            Ok(net) => items.push(inspect_json(&store, &net)?),
            Err(NetworkError::NotFound(n)) => missing.push(n),
            Err(e) => return Err(e.into()),
        }
    }
    crate::cmd::finish_inspect(args.format.as_deref(), &items, &missing, |n| {
        format!("network {n} not found")
    })
}
