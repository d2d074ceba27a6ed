//! Joining a container to its CNI networks and leaving them.
//!
//! [`attach`] runs before the runtime starts the container (every start, so
//! a start after a stop takes a new address, as Docker's does): reserve the
//! published host ports, pin a new network namespace, bring up `lo`, then
//! ADD each network in order as `eth0`, `eth1`, ... (port mappings go with
//! the first one), recording an endpoint row per network. Any failure tears
//! down what was done, so a failed start leaves no namespace, address, rule
//! or reservation behind.
//!
//! [`detach`] is the teardown, run by whoever notices the stop first (`stop`,
//! `kill`, `rm`, a refresh that folds an exit, or the shim through `berth
//! internal cleanup`): unpin the namespace (first, when no process is left
//! in it: see `detach`), DEL every network with a cached ADD result (in
//! reverse order inside each conflist), drop the endpoint rows and port
//! reservations. It is idempotent; the caller holds the
//! container's lock, which is what serialises two teardowns.

use super::cni::{Attachment, CniInvoker, PortMapping, RuntimeConf};
use super::gateway::{self, Candidate, Routes};
use super::ports::{self, PortBinding};
use super::store::{self as netstore, Network, DEFAULT_NETWORK};
use super::{netns, NetEnv};
use crate::shim::proxy::HeldPort;
use crate::store::networks::{self as rows, EndpointRow};
use crate::store::Store;
use anyhow::{Context as _, Result};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// What one container asks of its networks.
#[derive(Debug, Clone, Default)]
pub struct AttachRequest {
    pub container_id: String,
    /// Network names or IDs in `--network` order (`bridge` for the default).
    pub networks: Vec<String>,
    /// Published ports (`-p`, and `-P` resolved against the exposed ports).
    pub ports: Vec<PortBinding>,
    /// `--mac-address` for the first network.
    pub mac: Option<String>,
    /// The addresses asked of each network (`--ip`/`--ip6` for the first,
    /// `network connect --ip/--ip6` for later ones), by index in `networks`.
    pub ips: Vec<Vec<IpAddr>>,
    /// Each network's gw-priority (`network connect --gw-priority`), by
    /// index in `networks`; missing: 0.
    pub priorities: Vec<i64>,
}

fn resolve(env: &NetEnv, store: &mut Store, name: &str) -> Result<Network> {
    let net = if name == DEFAULT_NETWORK {
        netstore::ensure_default(env, store)?
    } else {
        netstore::find(store, name)?
    };
    netstore::ensure_conflist(env, &net)?;
    Ok(net)
}

/// Attach a container to its networks (see the module docs) and return the
/// namespace for the runtime spec; what each network gave is in the
/// container's endpoint rows. The caller holds the container's lock.
pub fn attach(
    env: &NetEnv,
    cni: &dyn CniInvoker,
    store: &mut Store,
    req: &AttachRequest,
) -> Result<PathBuf> {
    // A previous run may have left state if nobody noticed its end.
    detach(env, cni, store, &req.container_id)?;
    match attach_inner(env, cni, store, req) {
        Ok(a) => Ok(a),
        Err(e) => {
            if let Err(undo) = detach(env, cni, store, &req.container_id) {
                crate::debug::debug!("undoing a failed attach: {undo:#}");
            }
            Err(e)
        }
    }
}

fn attach_inner(
    env: &NetEnv,
    cni: &dyn CniInvoker,
    store: &mut Store,
    req: &AttachRequest,
) -> Result<PathBuf> {
    let networks = req
        .networks
        .iter()
        .map(|n| resolve(env, store, n))
        .collect::<Result<Vec<_>>>()?;
    // Docker's gateway endpoints (see `gateway`) get the default routes;
    // the others only their subnets. The published ports go with the
    // gateway endpoint (moby's gw4, else gw6), whose default route their
    // replies take; its `host_binding_ipv4` is the host address of those
    // that give none.
    // A container whose networks are all internal publishes nothing, nor
    // one whose gateway is a macvlan/ipvlan network (`publishes_ports`).
    let cands: Vec<Candidate> = networks
        .iter()
        .enumerate()
        .map(|(i, n)| Candidate {
            priority: req.priorities.get(i).copied().unwrap_or(0),
            ..Candidate::of(n)
        })
        .collect();
    let gateways = gateway::gateways(&cands);
    let carrier = gateway::ports_carrier(&cands);
    let publish = match carrier {
        Some(i) => networks[i].driver_options().bind_defaults(&req.ports),
        None => Vec::new(),
    };
    let reserved = ports::reserve(store, &req.container_id, &publish)?;
    let path = netns::create(&env.netns_dir(), &req.container_id)?;
    let base = RuntimeConf {
        container_id: req.container_id.clone(),
        netns: path.clone(),
        ifname: String::new(),
        ..Default::default()
    };
    cni.loopback(&base)
        .context("bringing up lo in the container's network namespace")?;
    for (i, net) in networks.into_iter().enumerate() {
        let rt = RuntimeConf {
            ifname: format!("eth{i}"),
            port_mappings: if Some(i) == carrier {
                mappings(&reserved, &net)
            } else {
                Vec::new()
            },
            mac: if i == 0 { req.mac.clone() } else { None },
            ips: req
                .ips
                .get(i)
                .into_iter()
                .flatten()
                .map(|ip| ip.to_string())
                .collect(),
            ..base.clone()
        };
        add_endpoint(env, cni, store, &net, &rt, gateways.of(i))?;
    }
    Ok(path)
}

/// ADD one network to the container's namespace as `rt` says (its
/// interface, addresses, MAC, port mappings) and record its endpoint row.
/// It keeps the network's default routes of the families in `routes` only.
fn add_endpoint(
    env: &NetEnv,
    cni: &dyn CniInvoker,
    store: &mut Store,
    net: &Network,
    rt: &RuntimeConf,
    routes: Routes,
) -> Result<EndpointRow> {
    for ip in &rt.ips {
        let ip: IpAddr = ip.parse().context("an address asked of IPAM")?;
        if !net.has_user_subnet_for(&ip) {
            anyhow::bail!("user specified IP address is supported only when connecting to networks with user configured subnets");
        }
        if !net.subnets.iter().any(|s| s.subnet.contains(&ip)) {
            anyhow::bail!("no configured subnet or ip-range contain the IP address {ip}");
        }
    }
    let conflist = without_default_routes(chain_for(netstore::conflist(env, net), rt), routes);
    let result = cni
        .add(&conflist, rt)
        .map_err(|e| {
            // host-local's refusal of a taken --ip, in Docker's words.
            let text = format!("{e:#}");
            if !rt.ips.is_empty() && text.contains("is not available in range set") {
                anyhow::anyhow!("Address already in use")
            } else {
                anyhow::Error::from(e)
            }
        })
        .with_context(|| format!("attaching to network {}", net.name))?;
    let a = Attachment::from_result(&result, &rt.ifname);
    let row = EndpointRow {
        container_id: rt.container_id.clone(),
        network_id: net.id.clone(),
        endpoint_id: crate::container::names::new_id(),
        ifname: rt.ifname.clone(),
        ip: a.ipv4.clone().unwrap_or_default(),
        gateway: a.ipv4_gateway.clone().unwrap_or_default(),
        ipv6: a.ipv6.clone().unwrap_or_default(),
        ipv6_gateway: a.ipv6_gateway.clone().unwrap_or_default(),
        mac: a.mac.clone().unwrap_or_default(),
    };
    store.write(|tx| rows::put_endpoint(tx, &row))?;
    crate::events::emit_network(
        &store.layout().data_root,
        "connect",
        &net.id,
        &net.name,
        &net.driver,
        &[("container", rt.container_id.clone())],
    );
    Ok(row)
}

/// `network connect` on a running container: ADD `net` into its pinned
/// namespace as the next interface (one past the highest `ethN` it has)
/// with the addresses asked, and record the endpoint. A failed ADD is
/// rolled back by the invoker; a failed record is undone with a DEL. The
/// caller holds the container's lock and has checked it is not attached;
/// `priority` is the new endpoint's gw-priority.
#[allow(clippy::too_many_arguments)]
pub fn connect(
    env: &NetEnv,
    cni: &dyn CniInvoker,
    store: &mut Store,
    container_id: &str,
    net: &Network,
    ips: &[IpAddr],
    publish: &[PortBinding],
    priority: i64,
) -> Result<EndpointRow> {
    let path = netns::path(&env.netns_dir(), container_id);
    if !netns::is_pinned(&path) {
        anyhow::bail!("container {container_id} has no network namespace to connect");
    }
    netstore::ensure_conflist(env, net)?;
    let taken = endpoint_candidates(store, container_id)?;
    // moby sorts the sandbox's endpoints again at each join: the new one
    // takes the default routes it now comes first for (`gateway`).
    let mut all: Vec<Candidate> = taken.iter().map(|(_, c)| c.clone()).collect();
    all.push(Candidate {
        priority,
        ..Candidate::of(net)
    });
    let chosen = gateway::gateways(&all);
    let routes = chosen.of(taken.len());
    let here = RuntimeConf {
        container_id: container_id.to_string(),
        netns: path.clone(),
        ..Default::default()
    };
    // The published ports go with the gateway endpoint (its IPv4 one, else
    // IPv6), as moby programs the new gateway's external connectivity and
    // revokes the old one's: they move here when this endpoint becomes it.
    let carrier = gateway::ports_carrier(&all) == Some(taken.len()) && !publish.is_empty();
    let publishing = taken
        .iter()
        .find(|(_, c)| super::cni::cached_publishes(&env.cache_dir(), &c.network, container_id));
    // A move keeps the host ports (the shim holds them throughout): only
    // the DNAT leaves the old endpoint for this one.
    let moved_from = match publishing {
        Some((e, c)) if carrier => {
            let old = RuntimeConf {
                ifname: e.ifname.clone(),
                ..here.clone()
            };
            cni.unpublish(&c.network, &old)
                .context("moving the published ports")?;
            Some((e.clone(), c.network.clone()))
        }
        _ => None,
    };
    let reserved = if moved_from.is_some() {
        rows::ports_of_container(store.conn(), container_id)?
    } else if carrier && publishing.is_none() {
        ports::reserve(
            store,
            container_id,
            &net.driver_options().bind_defaults(publish),
        )?
    } else {
        Vec::new()
    };
    let current = gateway::gateways(&all[..taken.len()]);
    let drop = Routes {
        v4: routes.v4 && current.v4.is_some(),
        v6: routes.v6 && current.v6.is_some(),
    };
    if drop.any() {
        // The endpoint that had them gives way.
        cni.drop_default_routes(&here, drop)
            .context("moving the default route")?;
    }
    let rt = RuntimeConf {
        container_id: container_id.to_string(),
        netns: path,
        ifname: format!(
            "eth{}",
            next_ifindex(taken.iter().map(|(e, _)| e.ifname.as_str()))
        ),
        ips: ips.iter().map(|ip| ip.to_string()).collect(),
        port_mappings: mappings(&reserved, net),
        ..Default::default()
    };
    add_endpoint(env, cni, store, net, &rt, routes).inspect_err(|_| {
        if let Err(e) = cni.del(&net.name, None, &rt) {
            crate::debug::debug!("undoing a failed connect: {e:#}");
        }
        if !reserved.is_empty() && moved_from.is_none() {
            let _ = ports::release(store, container_id);
        }
        if let Err(e) = route_via(cni, &here, &taken, drop) {
            crate::debug::debug!("restoring the default route: {e:#}");
        }
        if let Some((e, network)) = &moved_from {
            if let Err(err) = publish_on(env, cni, store, &here, e, network) {
                let _ = ports::release(store, container_id);
                eprintln!("WARNING: the published ports were released: {err:#}");
            }
        }
    })
}

/// Publish the container's reserved ports through its existing endpoint
/// `e` of `network` (the gateway endpoint moved there, or back there).
fn publish_on(
    env: &NetEnv,
    cni: &dyn CniInvoker,
    store: &Store,
    here: &RuntimeConf,
    e: &EndpointRow,
    network: &str,
) -> Result<()> {
    let net = netstore::find(store, network)?;
    let reserved = rows::ports_of_container(store.conn(), &here.container_id)?;
    let on = RuntimeConf {
        ifname: e.ifname.clone(),
        port_mappings: mappings(&reserved, &net),
        ..here.clone()
    };
    if !on.port_mappings.is_empty() {
        cni.publish(&netstore::conflist(env, &net), &on)?;
    }
    Ok(())
}

/// A container's endpoints with their networks as `gateway` weighs them,
/// gw-priorities from its stored spec (rows of networks gone from the
/// store are skipped).
fn endpoint_candidates(store: &Store, container_id: &str) -> Result<Vec<(EndpointRow, Candidate)>> {
    let spec = crate::store::containers::get(store.conn(), container_id)?
        .and_then(|r| crate::container::spec::ContainerSpec::from_json(&r.spec).ok());
    let mut out = Vec::new();
    for e in rows::endpoints_of_container(store.conn(), container_id)? {
        if let Some(r) = rows::get(store.conn(), &e.network_id)? {
            let net = Network::from_row(r)?;
            let priority = spec.as_ref().map_or(0, |s| {
                s.network_priorities
                    .iter()
                    .find(|(n, _)| **n == net.name || **n == net.id)
                    .map_or(0, |(_, p)| *p)
            });
            out.push((
                e,
                Candidate {
                    priority,
                    ..Candidate::of(&net)
                },
            ));
        }
    }
    Ok(out)
}

/// The CNI port mappings of reserved host ports: the ones portmap's DNAT
/// can serve. An IPv4 row (`""` is all addresses: portmap DNATs IPv6 too
/// when the container has an IPv6 address) always; an IPv6 one only when
/// `net` has an IPv6 subnet, and never `[::1]` (no `route_localnet` for
/// IPv6) nor `[::]` (the half of an all-addresses binding, which the `""`
/// row covers; alone, the shim's proxy serves it). What is left out is
/// still held and served by the shim's proxy (`held_ports`).
fn mappings(reserved: &[rows::PortRow], net: &Network) -> Vec<PortMapping> {
    let v6_net = net.subnets.iter().any(|s| s.subnet.addr().is_ipv6());
    reserved
        .iter()
        .filter(|p| match p.host_ip.parse::<IpAddr>() {
            Ok(IpAddr::V6(ip)) => v6_net && !ip.is_loopback() && !ip.is_unspecified(),
            _ => true,
        })
        .map(|p| PortMapping {
            host_port: p.host_port,
            container_port: p.container_port,
            protocol: p.proto.clone(),
            host_ip: p.host_ip.clone(),
        })
        .collect()
}

fn next_ifindex<'a>(ifnames: impl Iterator<Item = &'a str>) -> u32 {
    ifnames
        .filter_map(|n| n.strip_prefix("eth")?.parse::<u32>().ok())
        .map(|n| n + 1)
        .max()
        .unwrap_or(0)
}

/// `network disconnect` on a running container: DEL `net` only (from its
/// cached ADD, which releases the address) and drop its endpoint row. When
/// that endpoint published the container's ports (`publish`, its `-p`),
/// their rules go with the DEL, and they move with the default route to the
/// endpoint that takes it, as Docker's sandbox programs the new gateway
/// endpoint's external connectivity; with none left they are released
/// (`inspect` shows none after). The caller holds the container's lock.
pub fn disconnect(
    env: &NetEnv,
    cni: &dyn CniInvoker,
    store: &mut Store,
    container_id: &str,
    net: &Network,
    publish: &[PortBinding],
) -> Result<()> {
    let rt = RuntimeConf {
        container_id: container_id.to_string(),
        netns: netns::path(&env.netns_dir(), container_id),
        ..Default::default()
    };
    let published = super::cni::cached_publishes(&env.cache_dir(), &net.name, container_id);
    let before = endpoint_candidates(store, container_id)?;
    let cands: Vec<Candidate> = before.iter().map(|(_, c)| c.clone()).collect();
    let mut had = before
        .iter()
        .position(|(e, _)| e.network_id == net.id)
        .map(|i| gateway::gateways(&cands).of(i))
        .unwrap_or_default();
    // An endpoint a berth with another rule made the gateway says so in
    // its cached ADD.
    if super::cni::cached_default_route(&env.cache_dir(), &net.name, container_id) {
        (had.v4, had.v6) = net.default_routes();
    }
    cni.del(&net.name, None, &rt)
        .with_context(|| format!("detaching from network {}", net.name))?;
    store.write(|tx| rows::remove_endpoint(tx, container_id, &net.id))?;
    let after: Vec<_> = before
        .into_iter()
        .filter(|(e, _)| e.network_id != net.id)
        .collect();
    if had.any() {
        route_via(cni, &rt, &after, had)?;
    }
    let moved = published && !publish.is_empty() && move_ports(env, cni, store, &rt, &after);
    if published && !moved {
        ports::release(store, container_id)?;
    }
    crate::events::emit_network(
        &store.layout().data_root,
        "disconnect",
        &net.id,
        &net.name,
        &net.driver,
        &[("container", container_id.to_string())],
    );
    Ok(())
}

/// Publish the container's ports (the same host ports, which its shim
/// keeps holding) on the endpoint `gateway` chooses among `eps` (its IPv4
/// gateway, else IPv6). Whether they moved: with no such endpoint, or on a
/// failure (the disconnect itself has succeeded: it warns), the caller
/// releases them.
fn move_ports(
    env: &NetEnv,
    cni: &dyn CniInvoker,
    store: &Store,
    rt: &RuntimeConf,
    eps: &[(EndpointRow, Candidate)],
) -> bool {
    let cands: Vec<Candidate> = eps.iter().map(|(_, c)| c.clone()).collect();
    let Some((e, c)) = gateway::ports_carrier(&cands).map(|i| &eps[i]) else {
        return false;
    };
    match publish_on(env, cni, store, rt, e, &c.network) {
        Ok(()) => true,
        Err(err) => {
            eprintln!("WARNING: the published ports were released, not moved: {err:#}");
            false
        }
    }
}

/// Point the default routes of the families in `which` at the endpoint
/// of `eps` that `gateway` chooses for each, through its network's gateway
/// (after the gateway endpoint left, as Docker's sandbox moves them; or
/// back after a failed connect); `move_ports` moves the published ports.
/// The endpoint's cached ADD keeps no default route (none re-runs).
fn route_via(
    cni: &dyn CniInvoker,
    rt: &RuntimeConf,
    eps: &[(EndpointRow, Candidate)],
    which: Routes,
) -> Result<()> {
    let cands: Vec<Candidate> = eps.iter().map(|(_, c)| c.clone()).collect();
    let chosen = gateway::gateways(&cands);
    let bare = |s: &str| s.split('/').next().and_then(|a| a.parse::<IpAddr>().ok());
    for (want, at, v6) in [(which.v4, chosen.v4, false), (which.v6, chosen.v6, true)] {
        let Some((e, c)) = at.filter(|_| want).map(|i| &eps[i]) else {
            continue;
        };
        let Some(gw) = bare(if v6 { &e.ipv6_gateway } else { &e.gateway }) else {
            continue;
        };
        let on = RuntimeConf {
            ifname: e.ifname.clone(),
            ..rt.clone()
        };
        cni.default_route(&on, &[gw])
            .with_context(|| format!("moving the default route to network {}", c.network))?;
    }
    Ok(())
}

/// `conflist` with no default route in any plugin's IPAM routes but those
/// of the families `keep` names: the interface of a non-gateway endpoint
/// reaches its own subnet only.
fn without_default_routes(mut conflist: serde_json::Value, keep: Routes) -> serde_json::Value {
    if let Some(plugins) = conflist["plugins"].as_array_mut() {
        for p in plugins {
            if let Some(routes) = p["ipam"]["routes"].as_array_mut() {
                routes.retain(|r| match r["dst"].as_str() {
                    Some("0.0.0.0/0") => keep.v4,
                    Some("::/0") => keep.v6,
                    _ => true,
                });
            }
        }
    }
    conflist
}

/// The conflist this attachment runs: a plugin configured for nothing but
/// runtime capabilities this attachment does not use (tuning, when no MAC
/// is asked for) is left out, which saves its exec on ADD and on DEL (the
/// cached conflist is what DEL runs).
fn chain_for(mut conflist: serde_json::Value, rt: &RuntimeConf) -> serde_json::Value {
    if let Some(plugins) = conflist["plugins"].as_array_mut() {
        plugins.retain(|p| {
            let Some(obj) = p.as_object() else {
                return true;
            };
            // portmap's `conditionsV6` only shapes the mappings it makes.
            let only_caps = obj.keys().all(|k| {
                matches!(
                    k.as_str(),
                    "type" | "capabilities" | "conditionsV4" | "conditionsV6"
                )
            });
            if !only_caps {
                return true;
            }
            let caps = obj
                .get("capabilities")
                .and_then(|c| c.as_object())
                .cloned()
                .unwrap_or_default();
            caps.iter().any(|(name, on)| {
                on == &serde_json::Value::Bool(true)
                    && match name.as_str() {
                        "portMappings" => !rt.port_mappings.is_empty(),
                        "ips" => !rt.ips.is_empty(),
                        "mac" => rt.mac.is_some(),
                        _ => true,
                    }
            })
        });
    }
    conflist
}

/// Tear down everything a container holds on its networks (see the module
/// docs). Every step runs even when an earlier one failed; the first error
/// is returned.
pub fn detach(
    env: &NetEnv,
    cni: &dyn CniInvoker,
    store: &mut Store,
    container_id: &str,
) -> Result<()> {
    let mut first: Option<anyhow::Error> = None;
    let mut keep = |r: Result<()>| {
        if let Err(e) = r {
            first.get_or_insert(e);
        }
    };
    let path = netns::path(&env.netns_dir(), container_id);
    let base = RuntimeConf {
        container_id: container_id.to_string(),
        netns: path.clone(),
        ..Default::default()
    };
    // Every cached ADD of this container (an endpoint row may be missing if
    // a CLI died between the ADD and its record).
    let prefix = format!("{container_id}-");
    let mut cached: Vec<String> = std::fs::read_dir(env.cache_dir())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_prefix(&prefix)?
                .strip_suffix(".json")
                .map(str::to_string)
        })
        .collect();
    cached.sort();
    // Unpin the namespace first when no process lives in it any more: the
    // kernel then destroys its interfaces in the background, where the
    // plugins' own deletion of a veth waits for an RCU grace period (15-20
    // ms here, most of a teardown). Handed a namespace path that no longer
    // exists, the bridge, macvlan and ipvlan DELs release the address and
    // skip the interface (CNI: a DEL succeeds when resources are already
    // gone). host-local hands addresses out round-robin, so the freed one is
    // not given again while the old interface is still being destroyed. A
    // namespace a `--network container:` peer still lives in keeps the
    // plugins' deletion, so no interface with a released address stays up.
    let unpinned_first = netns::is_pinned(&path)
        && !netns::has_processes(&path)
        && netns::remove(&env.netns_dir(), container_id).is_ok();
    for net in cached.iter().rev() {
        keep(
            cni.del(net, None, &base)
                .with_context(|| format!("detaching from network {net}")),
        );
    }
    keep(
        rows::endpoints_of_container(store.conn(), container_id)
            .map_err(anyhow::Error::from)
            .and_then(|eps| {
                store.write(|tx| {
                    for e in &eps {
                        rows::remove_endpoint(tx, container_id, &e.network_id)?;
                    }
                    Ok::<_, crate::store::StoreError>(())
                })?;
                for e in &eps {
                    if let Ok(Some(n)) = rows::get(store.conn(), &e.network_id) {
                        crate::events::emit_network(
                            &store.layout().data_root,
                            "disconnect",
                            &n.id,
                            &n.name,
                            &n.driver,
                            &[("container", container_id.to_string())],
                        );
                    }
                }
                Ok(())
            }),
    );
    keep(ports::release(store, container_id).map_err(Into::into));
    if !unpinned_first {
        keep(netns::remove(&env.netns_dir(), container_id).map_err(Into::into));
    }
    first.map_or(Ok(()), Err)
}

/// The host ports the shim holds for a container while it runs: every
/// reserved TCP and UDP port (SCTP has DNAT only), each with where the
/// shim's proxy sends what reaches it: the container's address on the
/// endpoint that carries the ports (IPv6 for an IPv6 host address when the
/// container has one there, else IPv4, as docker-proxy does).
pub fn held_ports(env: &NetEnv, store: &Store, container_id: &str) -> Result<Vec<HeldPort>> {
    let published = rows::ports_of_container(store.conn(), container_id)?;
    if published.is_empty() {
        return Ok(Vec::new());
    }
    // The endpoint whose ADD published them; when DNAT took none of them
    // (all on `[::1]`, say), the gateway endpoint they were reserved for.
    let cache = env.cache_dir();
    let mut endpoints = Vec::new();
    for e in rows::endpoints_of_container(store.conn(), container_id)? {
        if let Some(n) = rows::get(store.conn(), &e.network_id)? {
            endpoints.push((e, n.name));
        }
    }
    let carrier = endpoints
        .iter()
        .find(|(_, n)| super::cni::cached_publishes(&cache, n, container_id))
        .or_else(|| {
            endpoints
                .iter()
                .find(|(_, n)| super::cni::cached_default_route(&cache, n, container_id))
        })
        .or(endpoints.first())
        .map(|(e, _)| e);
    Ok(held_for(&published, carrier))
}

fn held_for(published: &[rows::PortRow], carrier: Option<&EndpointRow>) -> Vec<HeldPort> {
    let addr = |cidr: &str| cidr.split('/').next()?.parse::<IpAddr>().ok();
    let v4 = carrier.and_then(|e| addr(&e.ip));
    let v6 = carrier.and_then(|e| addr(&e.ipv6));
    published
        .iter()
        .filter(|p| p.proto == "tcp" || p.proto == "udp")
        .filter_map(|p| {
            let host: IpAddr = match p.host_ip.as_str() {
                "" => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
                ip => ip.parse().ok()?,
            };
            let to = if host.is_ipv6() { v6.or(v4) } else { v4 };
            Some(HeldPort {
                host: SocketAddr::new(host, p.host_port),
                proto: p.proto.clone(),
                target: to.map(|ip| SocketAddr::new(ip, p.container_port)),
            })
        })
        .collect()
}

/// Whether a container still holds network state (a namespace or a cached
/// ADD): a cheap check before taking locks for a teardown.
pub fn is_attached(env: &NetEnv, container_id: &str) -> bool {
    netns::path(&env.netns_dir(), container_id).exists()
        || std::fs::read_dir(env.cache_dir())
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{container_id}-"))
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_ports_lead_to_the_carrier_address_of_their_family() {
        let row = |ip: &str, port: u16, proto: &str| rows::PortRow {
            host_ip: ip.into(),
            host_port: port,
            proto: proto.into(),
            container_id: "c1".into(),
            container_port: 80,
        };
        let published = [
            row("", 8080, "tcp"),
            row("::", 8080, "tcp"),
            row("::1", 8081, "udp"),
            row("", 8082, "sctp"),
        ];
        let v4_only = EndpointRow {
            ip: "10.1.0.2/24".into(),
            ..Default::default()
        };
        let dual = EndpointRow {
            ipv6: "fd00::2/64".into(),
            ..v4_only.clone()
        };
        let show = |held: Vec<HeldPort>| -> Vec<String> {
            held.iter()
                .map(|h| format!("{} {} {:?}", h.host, h.proto, h.target))
                .collect()
        };
        assert_eq!(
            show(held_for(&published, Some(&v4_only))),
            [
                "0.0.0.0:8080 tcp Some(10.1.0.2:80)",
                "[::]:8080 tcp Some(10.1.0.2:80)",
                "[::1]:8081 udp Some(10.1.0.2:80)",
            ]
        );
        assert_eq!(
            show(held_for(&published, Some(&dual))),
            [
                "0.0.0.0:8080 tcp Some(10.1.0.2:80)",
                "[::]:8080 tcp Some([fd00::2]:80)",
                "[::1]:8081 udp Some([fd00::2]:80)",
            ]
        );
        // No endpoint: held only.
        assert!(held_for(&published, None)
            .iter()
            .all(|h| h.target.is_none()));
    }

    #[test]
    fn dnat_takes_what_it_can_serve() {
        let row = |ip: &str| rows::PortRow {
            host_ip: ip.into(),
            host_port: 8080,
            proto: "tcp".into(),
            container_id: "c1".into(),
            container_port: 80,
        };
        let reserved = [
            row(""),
            row("::"),
            row("::1"),
            row("127.0.0.1"),
            row("fd00::5"),
        ];
        let net = |subnets: &[&str]| Network {
            subnets: subnets
                .iter()
                .map(|s| netstore::Subnet {
                    subnet: s.parse().unwrap(),
                    gateway: "10.1.0.1".parse().unwrap(),
                    ip_range: None,
                    picked: false,
                })
                .collect(),
            id: "n".into(),
            name: "n".into(),
            driver: "bridge".into(),
            created_at: String::new(),
            internal: false,
            ipv6: subnets.len() > 1,
            labels: Default::default(),
            options: Default::default(),
            bridge: "b".into(),
        };
        let ips =
            |m: Vec<PortMapping>| -> Vec<String> { m.into_iter().map(|m| m.host_ip).collect() };
        assert_eq!(
            ips(mappings(&reserved, &net(&["10.1.0.0/24"]))),
            ["", "127.0.0.1"]
        );
        assert_eq!(
            ips(mappings(&reserved, &net(&["10.1.0.0/24", "fd00::/64"]))),
            ["", "127.0.0.1", "fd00::5"]
        );
    }
    use crate::network::cni::FakeInvoker;
    use crate::store::Layout;

    fn setup() -> (tempfile::TempDir, NetEnv, Store) {
        let dir = tempfile::tempdir().unwrap();
        let env = NetEnv::for_tests(dir.path().join("s"));
        let mut store =
            Store::open(Layout::new(dir.path().join("d"), dir.path().join("s"))).unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO containers (id, name, image_id, image_ref, created_at, spec, status)
                     VALUES ('c1', 'c1', 'sha256:x', 'x', 'now', '{}', 'created')",
                    [],
                )
            })
            .unwrap();
        (dir, env, store)
    }

    #[test]
    fn non_gateway_endpoints_get_no_default_route() {
        let conflist = serde_json::json!({"plugins": [
            {"type": "bridge", "ipam": {"type": "host-local", "routes": [
                {"dst": "0.0.0.0/0"}, {"dst": "::/0"}, {"dst": "192.0.2.0/24"},
            ]}},
            {"type": "portmap", "capabilities": {"portMappings": true}},
        ]});
        let c = without_default_routes(conflist.clone(), Routes::default());
        assert_eq!(
            c["plugins"][0]["ipam"]["routes"],
            serde_json::json!([{"dst": "192.0.2.0/24"}])
        );
        assert_eq!(c["plugins"][1]["type"], "portmap");
        let v6 = Routes {
            v4: false,
            v6: true,
        };
        let c = without_default_routes(conflist, v6);
        assert_eq!(
            c["plugins"][0]["ipam"]["routes"],
            serde_json::json!([{"dst": "::/0"}, {"dst": "192.0.2.0/24"}])
        );
    }

    #[test]
    fn unused_capability_plugins_leave_the_chain() {
        let conflist = serde_json::json!({"plugins": [
            {"type": "bridge", "bridge": "b0"},
            {"type": "portmap", "capabilities": {"portMappings": true}, "conditionsV6": ["!", "-d", "::1/128"]},
            {"type": "firewall", "backend": "iptables"},
            {"type": "tuning", "capabilities": {"mac": true}},
        ]});
        let types = |v: serde_json::Value| -> Vec<String> {
            v["plugins"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["type"].as_str().unwrap().to_string())
                .collect()
        };
        let mut rt = RuntimeConf::default();
        assert_eq!(
            types(chain_for(conflist.clone(), &rt)),
            ["bridge", "firewall"]
        );
        rt.mac = Some("02:00:00:00:00:01".into());
        rt.port_mappings.push(PortMapping {
            host_port: 1,
            container_port: 1,
            protocol: "tcp".into(),
            host_ip: String::new(),
        });
        assert_eq!(
            types(chain_for(conflist, &rt)),
            ["bridge", "portmap", "firewall", "tuning"]
        );
    }

    #[test]
    fn connect_takes_the_interface_after_the_highest() {
        assert_eq!(next_ifindex(std::iter::empty()), 0);
        assert_eq!(next_ifindex(["eth0", "eth2"].into_iter()), 3);
        assert_eq!(next_ifindex(["eth1", "lo", "ethx"].into_iter()), 2);
    }

    #[test]
    fn connect_and_disconnect_one_network_of_a_running_container() {
        if !rustix::process::geteuid().is_root() {
            eprintln!("skipping: needs root (netns)");
            return;
        }
        let (_d, env, mut store) = setup();
        let cni = FakeInvoker::default();
        let req = AttachRequest {
            container_id: "c1".into(),
            networks: vec!["bridge".into()],
            ..Default::default()
        };
        attach(&env, &cni, &mut store, &req).unwrap();
        let net = netstore::find(&store, "bridge").unwrap();
        // The fake answers every ADD; a second endpoint of another network
        // is what connect records (the same network stands in for it).
        store
            .write(|tx| rows::remove_endpoint(tx, "c1", &net.id))
            .unwrap();
        store
            .write(|tx| {
                rows::put_endpoint(
                    tx,
                    &EndpointRow {
                        container_id: "c1".into(),
                        network_id: net.id.clone(),
                        ifname: "eth0".into(),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        let row = connect(&env, &cni, &mut store, "c1", &net, &[], &[], 0).unwrap();
        assert_eq!(row.ifname, "eth1");
        disconnect(&env, &cni, &mut store, "c1", &net, &[]).unwrap();
        assert!(rows::endpoints_of_container(store.conn(), "c1")
            .unwrap()
            .is_empty());
        let calls = cni.calls.lock().unwrap().clone();
        assert!(
            calls.last().unwrap().starts_with("del bridge c1"),
            "{calls:?}"
        );
        assert!(
            calls.contains(&"add bridge c1 eth1".to_string()),
            "{calls:?}"
        );
        detach(&env, &cni, &mut store, "c1").unwrap();
    }

    #[test]
    fn the_default_route_follows_mobys_order_at_start_connect_and_disconnect() {
        if !rustix::process::geteuid().is_root() {
            eprintln!("skipping: needs root (netns)");
            return;
        }
        let (_d, env, mut store) = setup();
        let cni = FakeInvoker::default();
        let mut make = |name: &str, subnet: &str, internal: bool| {
            netstore::create(
                &env,
                &mut store,
                netstore::CreateRequest {
                    name: name.into(),
                    pools: vec![netstore::PoolRequest {
                        subnet: Some(subnet.parse().unwrap()),
                        ..Default::default()
                    }],
                    internal,
                    ..Default::default()
                },
            )
            .unwrap()
        };
        let inner = make("inner", "198.51.100.0/26", true);
        let zeta = make("zeta", "198.51.100.64/26", false);
        let alpha = make("alpha", "198.51.100.128/26", false);
        let beta = make("beta", "198.51.100.192/26", false);
        let omega = make("omega", "203.0.113.0/26", false);
        let req = AttachRequest {
            container_id: "c1".into(),
            networks: vec![inner.name.clone(), zeta.name.clone()],
            ..Default::default()
        };
        attach(&env, &cni, &mut store, &req).unwrap();
        assert_eq!(*cni.routed.lock().unwrap(), ["zeta"]);
        let calls_after = |n: usize| cni.calls.lock().unwrap()[n..].to_vec();
        // alpha sorts before zeta: it takes the route over.
        let n = cni.calls.lock().unwrap().len();
        connect(&env, &cni, &mut store, "c1", &alpha, &[], &[], 0).unwrap();
        assert_eq!(calls_after(n), ["unroute c1 v4", "add alpha c1 eth2"]);
        assert_eq!(*cni.routed.lock().unwrap(), ["zeta", "alpha"]);
        // beta does not (alpha < beta).
        let n = cni.calls.lock().unwrap().len();
        connect(&env, &cni, &mut store, "c1", &beta, &[], &[], 0).unwrap();
        assert_eq!(calls_after(n), ["add beta c1 eth3"]);
        assert_eq!(cni.routed.lock().unwrap().len(), 2);
        // alpha leaving moves it to beta (beta < zeta), through beta's
        // gateway; zeta leaving then moves nothing.
        let n = cni.calls.lock().unwrap().len();
        disconnect(&env, &cni, &mut store, "c1", &alpha, &[]).unwrap();
        assert_eq!(calls_after(n), ["del alpha c1 ", "route c1 eth3 10.99.0.1"]);
        let n = cni.calls.lock().unwrap().len();
        disconnect(&env, &cni, &mut store, "c1", &zeta, &[]).unwrap();
        assert_eq!(calls_after(n), ["del zeta c1 "]);
        // A gw-priority above beta's 0 takes it over whatever the name.
        let n = cni.calls.lock().unwrap().len();
        connect(&env, &cni, &mut store, "c1", &omega, &[], &[], 5).unwrap();
        assert_eq!(calls_after(n), ["unroute c1 v4", "add omega c1 eth4"]);
        detach(&env, &cni, &mut store, "c1").unwrap();
    }

    #[test]
    fn a_failed_add_leaves_nothing_reserved() {
        if !rustix::process::geteuid().is_root() {
            eprintln!("skipping: needs root (netns)");
            return;
        }
        let (_d, env, mut store) = setup();
        let cni = FakeInvoker {
            fail_add: Some("no".into()),
            ..Default::default()
        };
        let req = AttachRequest {
            container_id: "c1".into(),
            networks: vec!["bridge".into()],
            ports: ports::parse_publish("127.0.0.1::80").unwrap(),
            ..Default::default()
        };
        let e = attach(&env, &cni, &mut store, &req).unwrap_err();
        assert!(
            format!("{e:#}").contains("plugin type=\"bridge\" failed (add): no"),
            "{e:#}"
        );
        assert!(rows::ports_of_container(store.conn(), "c1")
            .unwrap()
            .is_empty());
        assert!(!netns::path(&env.netns_dir(), "c1").exists());
        assert!(!is_attached(&env, "c1"));
    }

    #[test]
    fn attach_records_endpoints_and_detach_clears_them() {
        if !rustix::process::geteuid().is_root() {
            eprintln!("skipping: needs root (netns)");
            return;
        }
        let (_d, env, mut store) = setup();
        let cni = FakeInvoker::default();
        let req = AttachRequest {
            container_id: "c1".into(),
            networks: vec!["bridge".into()],
            ports: ports::parse_publish("127.0.0.1::80").unwrap(),
            ..Default::default()
        };
        let netns = attach(&env, &cni, &mut store, &req).unwrap();
        let eps = rows::endpoints_of_container(store.conn(), "c1").unwrap();
        assert_eq!(eps.len(), 1);
        assert_eq!(eps[0].ip, "10.99.0.3/24");
        assert_eq!(eps[0].ifname, "eth0");
        assert_eq!(
            rows::ports_of_container(store.conn(), "c1").unwrap().len(),
            1
        );
        detach(&env, &cni, &mut store, "c1").unwrap();
        assert!(rows::endpoints_of_container(store.conn(), "c1")
            .unwrap()
            .is_empty());
        assert!(rows::ports_of_container(store.conn(), "c1")
            .unwrap()
            .is_empty());
        assert!(!netns.exists());
        let calls = cni.calls.lock().unwrap().clone();
        assert_eq!(calls[0], "lo c1");
        assert_eq!(calls[1], "add bridge c1 eth0");
    }
}
