//! `network connect` and `network disconnect` on one container, under its
//! lock, with moby's rules and words (daemon/container_operations.go of
//! docker 24: `ConnectToNetwork`, `DisconnectFromNetwork`,
//! `updateNetworkSettings`, `validateNetworkingConfig`).
//!
//! On a live container the network is joined or left at once
//! (`network::attach::connect` / `disconnect`: the CNI ADD into its pinned
//! namespace as the next `ethN`, or the DEL of that one network), then the
//! peers' `/etc/hosts` and the networks' name servers follow
//! (`lifecycle::refresh_peers`), and so do the container's own files
//! ([`update_own_files`]): its `/etc/hosts` gains (or loses) the line for
//! its address on that network, and its `resolv.conf` is rewritten when the
//! name server it should use changes. On a created or stopped container only the
//! stored spec changes, and the next start attaches what it lists
//! (`ContainerSpec::cni_networks`).

use super::lifecycle::{self, Container, ContainerLock, EtcAddrs, Host};
use super::spec::NetworkMode;
use crate::network::store::{self as netstore, Network, NetworkError, DEFAULT_NETWORK};
use crate::shim::control::Request;
use crate::shim::launch::ShimStatus;
use crate::store::{containers, networks as rows, Store};
use anyhow::{bail, Result};
use std::net::IpAddr;

/// moby's runconfig errors these verbs can give.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConnectError {
    #[error("container sharing network namespace with another container or host cannot be connected to any other network")]
    SharedNetwork,
    #[error("container cannot be disconnected from host network or connected to host network")]
    HostNetwork,
    #[error("container cannot be connected to multiple networks with one of the networks in private (none) mode")]
    NoNetwork,
    #[error("user specified IP address is supported on user defined networks only")]
    IpNotUserNetwork,
    #[error("user specified IP address is supported only when connecting to networks with user configured subnets")]
    IpNoUserSubnet,
    #[error("network-scoped alias is supported only for containers in user defined networks")]
    AliasNotUserNetwork,
    #[error("endpoint with name {container} already exists in network {network}")]
    EndpointExists { container: String, network: String },
    #[error("container {container} is not connected to network {network}")]
    NotConnected { container: String, network: String },
    /// The stopped container's wording (moby says "the network" there).
    #[error("container {container} is not connected to the network {network}")]
    NotConnectedStopped { container: String, network: String },
}

/// `--ip`/`--ip6` (and compose's `ipv4_address`/`ipv6_address`) as
/// docker's daemon reads them (empty: not given).
pub fn parse_ips(ip: Option<&str>, ip6: Option<&str>) -> Result<Vec<IpAddr>> {
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

/// What `network connect` asks for.
#[derive(Debug, Clone, Default)]
pub struct ConnectRequest {
    /// The network as given (name, ID or unique ID prefix).
    pub network: String,
    /// `--ip` and `--ip6`.
    pub ips: Vec<IpAddr>,
    /// `--alias`.
    pub aliases: Vec<String>,
    /// `--link` (user networks: aliases of the endpoint, see
    /// `ContainerSpec::dns_links_for`).
    pub links: Vec<super::spec::Link>,
    /// `--gw-priority` (see `network::gateway`).
    pub gw_priority: i64,
}

/// The network a verb names: a berth network (the default `bridge` created
/// on first use, as Docker always has it), or `host`/`none`.
enum Target {
    Net(Network),
    Builtin(String),
}

fn resolve(host: &Host, store: &mut Store, input: &str) -> Result<Target, NetworkError> {
    if input == DEFAULT_NETWORK {
        return netstore::ensure_default(&host.net, store).map(Target::Net);
    }
    match netstore::find(store, input) {
        Err(NetworkError::NotFound(_)) => match netstore::find_shown(store, input) {
            Ok(n) => Ok(Target::Builtin(n.name)),
            Err(e) => Err(e),
        },
        other => other.map(Target::Net),
    }
}

/// The name under which the spec lists `net` among its CNI networks, if it
/// does (the spec keeps networks as given at create: name, ID or prefix).
fn spec_name_of(store: &Store, c: &Container, net: &Network) -> Option<String> {
    c.spec.cni_networks().into_iter().find(|n| {
        n == &net.name
            || n == &net.id
            || (n != DEFAULT_NETWORK
                && netstore::find(store, n).is_ok_and(|found| found.id == net.id))
    })
}

/// `network connect` (see the module docs).
pub fn connect(
    host: &Host,
    store: &mut Store,
    lock: &ContainerLock,
    c: &mut Container,
    req: &ConnectRequest,
) -> Result<()> {
    lock.holds(c)?;
    lifecycle::refresh(host, store, c)?;
    if matches!(c.spec.network, NetworkMode::Container(_)) {
        bail!(ConnectError::SharedNetwork);
    }
    let live = c.row.status.is_live();
    let name = c.row.name.trim_start_matches('/').to_string();
    let net = match resolve(host, store, &req.network)? {
        Target::Builtin(b) => {
            let current = c.spec.network.name();
            if b == current {
                // Already there: moby keeps the config as it is for a
                // stopped container; a running one has the endpoint.
                if live {
                    bail!(ConnectError::EndpointExists {
                        container: name,
                        network: b,
                    });
                }
                return Ok(());
            }
            bail!(if b == "host" {
                ConnectError::HostNetwork
            } else if c.spec.network == NetworkMode::Host {
                ConnectError::SharedNetwork
            } else {
                ConnectError::NoNetwork
            });
        }
        Target::Net(n) => n,
    };
    match c.spec.network {
        NetworkMode::Host => bail!(ConnectError::SharedNetwork),
        NetworkMode::None => bail!(ConnectError::NoNetwork),
        _ => {}
    }
    if net.name == DEFAULT_NETWORK {
        if !req.ips.is_empty() {
            bail!(ConnectError::IpNotUserNetwork);
        }
        if !req.aliases.is_empty() {
            bail!(ConnectError::AliasNotUserNetwork);
        }
        if !req.links.is_empty() {
            // moby keeps them and nothing resolves them there (the default
            // bridge has no name server; its legacy links are `run`'s).
            bail!("network connect --link: links to the default bridge network are legacy links, made only by run/create --link");
        }
    }
    for ip in &req.ips {
        if !net.has_user_subnet_for(ip) {
            bail!(ConnectError::IpNoUserSubnet);
        }
        if !net.subnets.iter().any(|s| s.subnet.contains(ip)) {
            bail!("no configured subnet or ip-range contain the IP address {ip}");
        }
    }
    let attached = rows::endpoints_of_container(store.conn(), &c.row.id)?
        .iter()
        .any(|e| e.network_id == net.id);
    if spec_name_of(store, c, &net).is_some() || attached {
        if live {
            bail!(ConnectError::EndpointExists {
                container: name,
                network: net.name,
            });
        }
        return Ok(());
    }
    let mut spec = c.spec.clone();
    spec.join_network(
        &net.name,
        req.ips.clone(),
        req.aliases.clone(),
        req.links.clone(),
    );
    if req.gw_priority != 0 {
        spec.network_priorities
            .insert(net.name.clone(), req.gw_priority);
    }
    let json = spec.to_json()?;
    if live {
        let before = EtcAddrs::of(store, &c.row.id)?;
        let old_json = c.spec.to_json()?;
        crate::network::attach::connect(
            &host.net,
            &*host.cni,
            store,
            &c.row.id,
            &net,
            &req.ips,
            &c.spec.ports,
            req.gw_priority,
        )?;
        let recorded = store
            .write(|tx| containers::set_spec(tx, &c.row.id, &json))
            .map_err(anyhow::Error::from)
            .and_then(|_| tell_ports(host, store, c));
        if let Err(e) = recorded {
            let _ = crate::network::attach::disconnect(
                &host.net,
                &*host.cni,
                store,
                &c.row.id,
                &net,
                &c.spec.ports,
            );
            let _ = store.write(|tx| containers::set_spec(tx, &c.row.id, &old_json));
            return Err(e);
        }
        c.spec = spec;
        lifecycle::refresh_peers(
            host,
            store,
            &crate::network::peers::user_networks_of(store, &c.row.id).unwrap_or_default(),
        );
        update_own_files(host, store, c, &before)?;
    } else {
        store.write(|tx| containers::set_spec(tx, &c.row.id, &json))?;
        c.spec = spec;
    }
    Ok(())
}

/// `network disconnect [-f]` (see the module docs). `-f` lets a network
/// that no longer exists be dropped from the container's config by name.
pub fn disconnect(
    host: &Host,
    store: &mut Store,
    lock: &ContainerLock,
    c: &mut Container,
    network: &str,
    force: bool,
) -> Result<()> {
    lock.holds(c)?;
    lifecycle::refresh(host, store, c)?;
    let live = c.row.status.is_live();
    let not_connected = |network: String| -> anyhow::Error {
        if live {
            ConnectError::NotConnected {
                container: c.row.id.clone(),
                network,
            }
            .into()
        } else {
            ConnectError::NotConnectedStopped {
                container: c.row.id.clone(),
                network,
            }
            .into()
        }
    };
    let net = match resolve(host, store, network) {
        Ok(Target::Net(n)) => n,
        Ok(Target::Builtin(b)) => {
            if b == "host" && c.spec.network == NetworkMode::Host {
                bail!(ConnectError::HostNetwork);
            }
            if b == "none" && c.spec.network == NetworkMode::None {
                bail!("disconnecting a container from the none network is not supported");
            }
            return Err(not_connected(b));
        }
        Err(NetworkError::NotFound(_)) if force => {
            // A network removed behind the container's back: forget it.
            let mut spec = c.spec.clone();
            if !spec.leave_network(network) {
                return Err(ConnectError::NotConnectedStopped {
                    container: c.row.id.clone(),
                    network: network.to_string(),
                }
                .into());
            }
            let json = spec.to_json()?;
            store.write(|tx| containers::set_spec(tx, &c.row.id, &json))?;
            c.spec = spec;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let spec_name = spec_name_of(store, c, &net);
    let attached = rows::endpoints_of_container(store.conn(), &c.row.id)?
        .iter()
        .any(|e| e.network_id == net.id);
    if (live && !attached) || (!live && spec_name.is_none()) {
        return Err(not_connected(net.name));
    }
    let mut spec = c.spec.clone();
    if let Some(n) = &spec_name {
        spec.leave_network(n);
    }
    let json = spec.to_json()?;
    if live {
        let before = crate::network::peers::user_networks_of(store, &c.row.id).unwrap_or_default();
        let before_addrs = EtcAddrs::of(store, &c.row.id)?;
        crate::network::attach::disconnect(
            &host.net,
            &*host.cni,
            store,
            &c.row.id,
            &net,
            &c.spec.ports,
        )?;
        store.write(|tx| containers::set_spec(tx, &c.row.id, &json))?;
        c.spec = spec;
        // The ports moved to the new gateway endpoint, or were released.
        if let Err(e) = tell_ports(host, store, c) {
            eprintln!("WARNING: {e:#}");
        }
        // Its own peer lines are rebuilt from the networks it still has.
        let own = host.bundle_dir(&c.row.id).join("hosts");
        if let Err(e) = crate::network::peers::rewrite_in_place(&own, "") {
            crate::debug::debug!("clearing the peers of {}: {e:#}", c.row.id);
        }
        lifecycle::refresh_peers(host, store, &before);
        update_own_files(host, store, c, &before_addrs)?;
    } else {
        store.write(|tx| containers::set_spec(tx, &c.row.id, &json))?;
        c.spec = spec;
    }
    Ok(())
}

/// Tell a running container's shim the host ports it holds now (see
/// `shim::proxy`): a connect may publish them on a new gateway endpoint, a
/// disconnect release them. A shim that finished meanwhile holds nothing.
fn tell_ports(host: &Host, store: &Store, c: &Container) -> Result<()> {
    if c.spec.ports.is_empty() {
        return Ok(());
    }
    let ports = crate::network::attach::held_ports(&host.net, store, &c.row.id)?;
    let dir = host.state_dir(&c.row.id);
    match host.shims.control(&dir, &Request::Ports { ports }) {
        Ok(_) => Ok(()),
        Err(_) if !matches!(host.shims.status(&dir), Ok(ShimStatus::Running { .. })) => Ok(()),
        Err(e) => Err(anyhow::Error::from(e).context("handing the container's shim its ports")),
    }
}

/// A live container's own `/etc/hosts` and `resolv.conf` after one of its
/// networks came or went (`before`: its addresses until then). Both files
/// are bind-mounted, so they are rewritten in place under the flock the
/// peer updates take (`network::peers::rewrite_with`).
///
/// `/etc/hosts` is edited as Docker's sandbox does (libnetwork
/// `addHostsEntries` on join, `deleteHostsEntries` on leave: a line for
/// each address gained, the container's line for each address lost, the
/// rest untouched). `resolv.conf` is rebuilt when the name server the
/// container should use changed: a user network's server once it is on
/// one, the host's servers once it is on none. Docker keeps its sandbox
/// resolver (127.0.0.11) after the last user network goes, because that
/// resolver lives in the container's namespace and forwards to the host's
/// servers; berth's servers live on a network's gateway and stop with the
/// network's last member, so the host's servers are what keeps working.
fn update_own_files(host: &Host, store: &Store, c: &Container, before: &EtcAddrs) -> Result<()> {
    use crate::network::{hosts, peers};
    let after = EtcAddrs::of(store, &c.row.id)?;
    let bundle = host.bundle_dir(&c.row.id);
    let hostname = c
        .spec
        .hostname
        .clone()
        .unwrap_or_else(|| c.row.id.chars().take(12).collect());
    let added: Vec<IpAddr> = after
        .own
        .iter()
        .filter(|ip| !before.own.contains(ip))
        .copied()
        .collect();
    let removed: Vec<IpAddr> = before
        .own
        .iter()
        .filter(|ip| !after.own.contains(ip))
        .copied()
        .collect();
    if !added.is_empty() || !removed.is_empty() {
        let names = hosts::own_names(&hostname, c.spec.domainname.as_deref());
        peers::rewrite_own_in_place(&bundle.join("hosts"), |own| {
            hosts::edit_own(own, &names, &added, &removed)
        })?;
    }
    if after.dns_server != before.dns_server {
        let (_, resolv) = lifecycle::etc_files(&c.spec, &hostname, &after, &host.net.resolv_conf)?;
        peers::rewrite_with(&bundle.join("resolv.conf"), |_| resolv)?;
    }
    Ok(())
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
