//! `berth network inspect`: Docker's JSON per network (IPAM config,
//! `Containers` with each running container's endpoint), or `-f`
//! templates. Found networks print first; a missing one then fails the
//! command (exit 1) with `network x not found`. `host` and `none` are
//! found too (`network::store::find_shown`), their `Containers` the live
//! containers in that network mode.

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
    // `host` and `none` have no endpoint rows: their members are the live
    // containers in that network mode, as Docker lists them.
    if net.driver == "host" || net.driver == "null" {
        for (id, name) in builtin_members(store, &net.name)? {
            use sha2::Digest as _;
            let endpoint = format!(
                "{:x}",
                sha2::Sha256::digest(format!("berth {} endpoint {id}", net.name))
            );
            containers.insert(
                id,
                json!({
                    "Name": name,
                    "EndpointID": endpoint,
                    "MacAddress": "",
                    "IPv4Address": "",
                    "IPv6Address": "",
                }),
            );
        }
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

/// The running (or paused) containers whose network mode is `mode`
/// (`host` or `none`), as (ID, name).
fn builtin_members(store: &Store, mode: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for row in crate::store::containers::list(store.conn())? {
        if !row.status.is_live() {
            continue;
        }
        let Ok(spec) = crate::container::spec::ContainerSpec::from_json(&row.spec) else {
            continue;
        };
        if spec.network.name() == mode {
            out.push((row.id, row.name));
        }
    }
    Ok(out)
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
