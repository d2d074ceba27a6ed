//! What a network's name server answers: the records file the CLI writes
//! from the endpoint rows and the server reads (on start and on SIGHUP),
//! and the lookup over it.
//!
//! Names follow Docker's embedded DNS on a user network: a running member
//! answers to its container name, its `--network-alias` aliases on this
//! network, its hostname and its short ID (`DNSNames`), each also with the
//! network's name as a domain (`web.mynet`), case-insensitive. PTR for a
//! member's address gives `<name>.<network>`. A known name asked for a type
//! it has no address of (AAAA of an IPv4-only container) is an empty
//! NOERROR answer, as Docker's; any other question is forwarded.
//!
//! A container on several user networks sends its queries to the server of
//! the first one, and Docker resolves the members of all of them: so this
//! network's records also hold, for each member, the members of its other
//! served networks, visible to that member's addresses only (and named
//! under their own network's domain).
//!
//! A member's `--link target:alias` on a user network (its first) is an
//! alias of its endpoint there (moby's `CreateOptionAlias`, checked first
//! by `Sandbox.ResolveName`): `alias` (and `alias.<network>`) resolves, for
//! that member's addresses only, to what `target` resolves to among this
//! network's own members.

use super::super::store::Network;
use super::super::NetEnv;
use super::wire::{self, Rdata};
use crate::store::networks as rows;
use crate::store::Store;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub network_id: String,
    /// The network's name: the domain its members' names are also under.
    pub network: String,
    /// The bridge interface (for the INPUT rule).
    pub bridge: String,
    /// The gateway address the server listens on.
    pub listen: IpAddr,
    /// `--internal`: nothing is forwarded.
    pub internal: bool,
    /// The host's resolvers (see `resolv::upstreams`).
    pub upstreams: Vec<IpAddr>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// Lowercased names, the container name first.
    pub names: Vec<String>,
    pub addrs: Vec<IpAddr>,
    /// The container's `--dns` servers, used for its own forwarded queries.
    pub dns: Vec<IpAddr>,
    /// Only clients at these addresses see this entry (a member of another
    /// network they are on); empty: every client of this network.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visible_to: Vec<IpAddr>,
    /// The entry's own network when it is not this one: its names are also
    /// under `.<domain>` and its PTR name ends in it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Its link aliases: names only this member resolves (see the module
    /// docs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkAlias>,
}

/// One link alias of a member's endpoint, lowercased.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkAlias {
    pub alias: String,
    /// The name the alias stands for on the endpoint's network.
    pub target: String,
    /// That network when it is another of the member's served networks
    /// (its queries come here, to its first one's server): the target is
    /// one of the entries under that domain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub network: String,
}

impl Member {
    fn visible(&self, from: IpAddr) -> bool {
        self.visible_to.is_empty() || self.visible_to.contains(&from)
    }
}

/// How the server handles one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Answered here (possibly with no records).
    Local(Vec<Rdata>),
    /// Sent on to these servers, in order.
    Forward(Vec<IpAddr>),
    /// Neither known nor forwardable (an internal network).
    Fail,
}

impl Records {
    fn domain_of<'a>(&'a self, m: &'a Member) -> &'a str {
        if m.domain.is_empty() {
            &self.network
        } else {
            &m.domain
        }
    }

    /// The member a name stands for, as `from` sees them (see the module
    /// docs): this network's own members first.
    fn member_named(&self, name: &str, from: IpAddr) -> Option<&Member> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.members.iter().filter(|m| m.visible(from)).find(|m| {
            let domain = format!(".{}", self.domain_of(m).to_ascii_lowercase());
            let bare = name.strip_suffix(&domain).unwrap_or(&name);
            m.names.iter().any(|n| n == bare || *n == name)
        })
    }

    /// The member a link alias of the client at `from` stands for: its
    /// target among the members of the alias's network (moby's
    /// `Sandbox.ResolveName` over the sandbox's endpoints).
    fn linked_member(&self, name: &str, from: IpAddr) -> Option<&Member> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let client = self
            .members
            .iter()
            .find(|m| m.visible_to.is_empty() && m.addrs.contains(&from))?;
        client.links.iter().find_map(|l| {
            let domain = if l.network.is_empty() {
                &self.network
            } else {
                &l.network
            };
            let suffix = format!(".{}", domain.to_ascii_lowercase());
            if name.strip_suffix(&suffix).unwrap_or(&name) != l.alias {
                return None;
            }
            self.members
                .iter()
                .filter(|m| match l.network.is_empty() {
                    true => m.visible_to.is_empty(),
                    false => m.domain == l.network && m.visible(from),
                })
                .find(|m| m.names.contains(&l.target))
        })
    }

    /// The answer to a question of type `qtype` for `name`, asked by a
    /// client at `from`.
    pub fn answer(&self, name: &str, qtype: u16, from: IpAddr) -> Answer {
        match qtype {
            wire::TYPE_A | wire::TYPE_AAAA => {
                let found = self
                    .linked_member(name, from)
                    .or_else(|| self.member_named(name, from));
                if let Some(m) = found {
                    let want_v4 = qtype == wire::TYPE_A;
                    return Answer::Local(
                        m.addrs
                            .iter()
                            .filter(|a| a.is_ipv4() == want_v4)
                            .map(|a| Rdata::Addr(*a))
                            .collect(),
                    );
                }
            }
            wire::TYPE_PTR => {
                if let Some(ip) = wire::ptr_address(name) {
                    let m = self
                        .members
                        .iter()
                        .find(|m| m.visible(from) && m.addrs.contains(&ip));
                    if let Some(m) = m {
                        if let Some(first) = m.names.first() {
                            return Answer::Local(vec![Rdata::Name(format!(
                                "{first}.{}",
                                self.domain_of(m)
                            ))]);
                        }
                    }
                }
            }
            _ => {}
        }
        if self.internal {
            return Answer::Fail;
        }
        Answer::Forward(self.upstreams_for(from))
    }

    /// The servers a client's forwarded queries go to: its own `--dns`
    /// when it has some, else the host's.
    pub fn upstreams_for(&self, from: IpAddr) -> Vec<IpAddr> {
        self.members
            .iter()
            .find(|m| m.visible_to.is_empty() && m.addrs.contains(&from) && !m.dns.is_empty())
            .map_or_else(|| self.upstreams.clone(), |m| m.dns.clone())
    }
}

/// The records of `net` from its endpoint rows and its members' specs.
pub fn build(env: &NetEnv, store: &Store, net: &Network) -> Result<Records> {
    let mut members = Vec::new();
    let mut shared = Vec::new();
    for e in rows::endpoints_of_network(store.conn(), &net.id)? {
        let Some(mut m) = member(store, &e, net)? else {
            continue;
        };
        // What this member sees of its other served networks.
        for other in rows::endpoints_of_container(store.conn(), &e.container_id)? {
            if other.network_id == net.id {
                continue;
            }
            let Some(row) = rows::get(store.conn(), &other.network_id)? else {
                continue;
            };
            let Ok(o) = Network::from_row(row) else {
                continue;
            };
            if !super::serves(&o) {
                continue;
            }
            // Its link aliases there, answered here for it.
            if let Some(there) = member(store, &other, &o)? {
                m.links.extend(there.links.into_iter().map(|l| LinkAlias {
                    network: o.name.clone(),
                    ..l
                }));
            }
            for f in rows::endpoints_of_network(store.conn(), &o.id)? {
                if f.container_id == e.container_id {
                    continue;
                }
                if let Some(mut peer) = member(store, &f, &o)? {
                    peer.dns.clear();
                    peer.links.clear();
                    peer.visible_to = m.addrs.clone();
                    peer.domain = o.name.clone();
                    shared.push(peer);
                }
            }
        }
        members.push(m);
    }
    members.extend(shared);
    let host = super::super::resolv::host_source_from(&env.resolv_conf)?;
    Ok(Records {
        network_id: net.id.clone(),
        network: net.name.clone(),
        bridge: net.bridge.clone(),
        listen: net
            .ipv4()
            .map(|s| s.gateway)
            .unwrap_or(IpAddr::from([0, 0, 0, 0])),
        internal: net.internal,
        upstreams: super::super::resolv::upstreams(&host),
        members,
    })
}

/// One endpoint's entry: the container's names on `net`, its addresses
/// there, its `--dns` servers. `None` when the container is gone.
fn member(store: &Store, e: &rows::EndpointRow, net: &Network) -> Result<Option<Member>> {
    let bare = |s: &str| s.split('/').next().and_then(|a| a.parse::<IpAddr>().ok());
    let Some(row) = crate::store::containers::get(store.conn(), &e.container_id)? else {
        return Ok(None);
    };
    let spec = crate::container::spec::ContainerSpec::from_json(&row.spec).ok();
    let short: String = row.id.chars().take(12).collect();
    let mut names = vec![row.name.trim_start_matches('/').to_string()];
    if let Some(s) = &spec {
        for (key, list) in &s.network_aliases {
            if key == &net.name || key == &net.id || net.id.starts_with(key.as_str()) {
                names.extend(list.iter().cloned());
            }
        }
    }
    names.push(
        spec.as_ref()
            .and_then(|s| s.hostname.clone())
            .unwrap_or_else(|| short.clone()),
    );
    names.push(short);
    let links = match &spec {
        Some(s) => link_aliases(store, s, net)?,
        None => Vec::new(),
    };
    let mut seen = std::collections::BTreeSet::new();
    let names: Vec<String> = names
        .into_iter()
        .map(|n| n.to_ascii_lowercase())
        .filter(|n| !n.is_empty() && seen.insert(n.clone()))
        .collect();
    Ok(Some(Member {
        names,
        addrs: [bare(&e.ip), bare(&e.ipv6)].into_iter().flatten().collect(),
        dns: spec.map(|s| s.dns).unwrap_or_default(),
        links,
        ..Default::default()
    }))
}

/// A container's link aliases on `net` (`ContainerSpec::dns_links_for`). A
/// target recorded by ID (a container made before links on user networks
/// were aliases) is named by the container's name.
fn link_aliases(
    store: &Store,
    spec: &crate::container::spec::ContainerSpec,
    net: &Network,
) -> Result<Vec<LinkAlias>> {
    let Some(name) = spec.cni_networks().into_iter().find(|n| {
        n == &net.name || n == &net.id || (n != "bridge" && net.id.starts_with(n.as_str()))
    }) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for l in spec.dns_links_for(&name) {
        let target = match crate::store::containers::get(store.conn(), &l.container)? {
            Some(row) => row.name.trim_start_matches('/').to_string(),
            None => l.container.clone(),
        };
        out.push(LinkAlias {
            alias: l.alias.to_ascii_lowercase(),
            target: target.to_ascii_lowercase(),
            network: String::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records() -> Records {
        Records {
            network_id: "n1".into(),
            network: "MyNet".into(),
            bridge: "br".into(),
            listen: "10.1.0.1".parse().unwrap(),
            internal: false,
            upstreams: vec!["192.0.2.53".parse().unwrap()],
            members: vec![
                Member {
                    names: vec!["web".into(), "www".into(), "webhost".into()],
                    addrs: vec!["10.1.0.2".parse().unwrap(), "fd00::2".parse().unwrap()],
                    ..Default::default()
                },
                Member {
                    names: vec!["db".into(), "0123456789ab".into()],
                    addrs: vec!["10.1.0.3".parse().unwrap()],
                    dns: vec!["198.51.100.1".parse().unwrap()],
                    ..Default::default()
                },
            ],
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn names_aliases_and_the_network_domain_resolve() {
        let r = records();
        let from = ip("10.1.0.3");
        for name in ["web", "WWW", "webhost.", "web.mynet", "Web.MyNet."] {
            assert_eq!(
                r.answer(name, wire::TYPE_A, from),
                Answer::Local(vec![Rdata::Addr(ip("10.1.0.2"))]),
                "{name}"
            );
        }
        assert_eq!(
            r.answer("web", wire::TYPE_AAAA, from),
            Answer::Local(vec![Rdata::Addr(ip("fd00::2"))])
        );
        // Known name, no IPv6 address: an empty answer, not a forward.
        assert_eq!(
            r.answer("0123456789AB", wire::TYPE_AAAA, from),
            Answer::Local(vec![])
        );
    }

    #[test]
    fn members_of_a_clients_other_networks_are_seen_by_it_only() {
        let mut r = records();
        r.members.push(Member {
            names: vec!["cache".into()],
            addrs: vec![ip("10.2.0.5")],
            visible_to: vec![ip("10.1.0.3")],
            domain: "other".into(),
            ..Default::default()
        });
        let seen = Answer::Local(vec![Rdata::Addr(ip("10.2.0.5"))]);
        assert_eq!(r.answer("cache", wire::TYPE_A, ip("10.1.0.3")), seen);
        assert_eq!(r.answer("cache.other", wire::TYPE_A, ip("10.1.0.3")), seen);
        assert_eq!(
            r.answer("cache", wire::TYPE_A, ip("10.1.0.2")),
            Answer::Forward(vec![ip("192.0.2.53")])
        );
        assert_eq!(
            r.answer("5.0.2.10.in-addr.arpa", wire::TYPE_PTR, ip("10.1.0.3")),
            Answer::Local(vec![Rdata::Name("cache.other".into())])
        );
    }

    #[test]
    fn link_aliases_resolve_for_the_linking_member_only() {
        let mut r = records();
        let link = |alias: &str, target: &str, network: &str| LinkAlias {
            alias: alias.into(),
            target: target.into(),
            network: network.into(),
        };
        r.members[0].links = vec![link("store", "db", ""), link("www", "db", "")];
        // A member of another network named like the target is not it.
        r.members.push(Member {
            names: vec!["db".into()],
            addrs: vec![ip("10.2.0.9")],
            visible_to: vec![ip("10.1.0.2")],
            domain: "other".into(),
            ..Default::default()
        });
        let db = Answer::Local(vec![Rdata::Addr(ip("10.1.0.3"))]);
        for name in ["store", "STORE.", "store.mynet"] {
            assert_eq!(r.answer(name, wire::TYPE_A, ip("10.1.0.2")), db, "{name}");
        }
        // The alias comes before a name of this network (moby checks the
        // sandbox's aliases first).
        assert_eq!(r.answer("www", wire::TYPE_A, ip("10.1.0.2")), db);
        // Others do not see it.
        assert_eq!(
            r.answer("store", wire::TYPE_A, ip("10.1.0.3")),
            Answer::Forward(vec![ip("198.51.100.1")])
        );
        assert_eq!(
            r.answer("www", wire::TYPE_A, ip("10.1.0.3")),
            Answer::Local(vec![Rdata::Addr(ip("10.1.0.2"))])
        );
        // A target that is not on the network: the alias answers nothing.
        r.members[0].links = vec![link("gone", "nosuch", "")];
        assert_eq!(
            r.answer("gone", wire::TYPE_A, ip("10.1.0.2")),
            Answer::Forward(vec![ip("192.0.2.53")])
        );
        // An alias of its endpoint on another network: the target there.
        r.members[0].links = vec![link("cache", "db", "other")];
        let there = Answer::Local(vec![Rdata::Addr(ip("10.2.0.9"))]);
        assert_eq!(r.answer("cache", wire::TYPE_A, ip("10.1.0.2")), there);
        assert_eq!(r.answer("cache.other", wire::TYPE_A, ip("10.1.0.2")), there);
        assert_eq!(
            r.answer("cache.mynet", wire::TYPE_A, ip("10.1.0.2")),
            Answer::Forward(vec![ip("192.0.2.53")])
        );
    }

    #[test]
    fn reverse_lookups_name_the_container_on_the_network() {
        let r = records();
        assert_eq!(
            r.answer("3.0.1.10.in-addr.arpa", wire::TYPE_PTR, ip("10.1.0.2")),
            Answer::Local(vec![Rdata::Name("db.MyNet".into())])
        );
        assert_eq!(
            r.answer("9.0.1.10.in-addr.arpa", wire::TYPE_PTR, ip("10.1.0.2")),
            Answer::Forward(vec![ip("192.0.2.53")])
        );
    }

    #[test]
    fn other_names_go_to_the_clients_servers() {
        let mut r = records();
        assert_eq!(
            r.answer("example.com", wire::TYPE_A, ip("10.1.0.2")),
            Answer::Forward(vec![ip("192.0.2.53")])
        );
        assert_eq!(
            r.answer("example.com", wire::TYPE_A, ip("10.1.0.3")),
            Answer::Forward(vec![ip("198.51.100.1")])
        );
        assert_eq!(
            r.answer("web", 16, ip("10.1.0.3")),
            Answer::Forward(vec![ip("198.51.100.1")])
        );
        r.internal = true;
        assert_eq!(
            r.answer("example.com", wire::TYPE_A, ip("10.1.0.2")),
            Answer::Fail
        );
    }
}
