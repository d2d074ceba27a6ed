//! Which of a container's endpoints carries its default routes: moby's
//! choice (`Sandbox.getGatewayEndpoint` over the sandbox's endpoints kept
//! sorted by `Endpoint.Less`, daemon/libnetwork of Docker 28), whatever the
//! order of `--network` flags or of `network connect`s.
//!
//! moby sorts endpoints by: gw-priority, highest first (`network connect
//! --gw-priority`; Docker's `--network name=x,gw-priority=N` has no berth
//! form: `run`'s networks have moby's default 0); endpoints of swarm's
//! `docker_gwbridge` last (berth has none);
//! non-internal before internal; dual-stack before single-stack before no
//! gateway; then network name (byte order). The IPv4 default route goes to
//! the first endpoint whose network gives one (not internal, an IPv4
//! subnet), the IPv6 one to the first with an IPv6 subnet: usually the same
//! endpoint.
//!
//! Pure: `attach` turns the answer into CNI ADDs with or without the
//! default routes and into `ip route` moves.

use super::store::Network;

/// One endpoint as moby weighs it for the default gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub network: String,
    /// gw-priority: higher first.
    pub priority: i64,
    pub internal: bool,
    /// The network gives an IPv4 (IPv6) default route.
    pub v4: bool,
    pub v6: bool,
    /// The network publishes ports when it is the gateway
    /// (`Network::publishes_ports`).
    pub publishes: bool,
}

impl Candidate {
    pub fn of(net: &Network) -> Candidate {
        let (v4, v6) = net.default_routes();
        Candidate {
            network: net.name.clone(),
            priority: 0,
            internal: net.internal,
            v4,
            v6,
            publishes: net.publishes_ports(),
        }
    }

    fn families(&self) -> u8 {
        u8::from(self.v4) + u8::from(self.v6)
    }
}

/// The endpoints (by index in `eps`) that get the IPv4 and the IPv6
/// default route.
pub fn gateways(eps: &[Candidate]) -> Gateways {
    let mut order: Vec<usize> = (0..eps.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&eps[a], &eps[b]);
        b.priority
            .cmp(&a.priority)
            .then(a.internal.cmp(&b.internal))
            .then(b.families().cmp(&a.families()))
            .then(a.network.as_bytes().cmp(b.network.as_bytes()))
    });
    Gateways {
        v4: order.iter().copied().find(|&i| eps[i].v4),
        v6: order.iter().copied().find(|&i| eps[i].v6),
    }
}

/// The endpoint that carries the published ports: the gateway endpoint
/// (IPv4's, else IPv6's), whose default route their replies take, when
/// its network publishes ports (a bridge: moby's macvlan and ipvlan
/// drivers program no external connectivity); none without one.
pub fn ports_carrier(eps: &[Candidate]) -> Option<usize> {
    let g = gateways(eps);
    g.v4.or(g.v6).filter(|&i| eps[i].publishes)
}

/// What `gateways` chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gateways {
    pub v4: Option<usize>,
    pub v6: Option<usize>,
}

impl Gateways {
    /// The default routes endpoint `i` keeps.
    pub fn of(&self, i: usize) -> Routes {
        Routes {
            v4: self.v4 == Some(i),
            v6: self.v6 == Some(i),
        }
    }
}

/// The default routes (per family) one endpoint carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Routes {
    pub v4: bool,
    pub v6: bool,
}

impl Routes {
    pub fn any(&self) -> bool {
        self.v4 || self.v6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(name: &str, internal: bool, v4: bool, v6: bool) -> Candidate {
        Candidate {
            network: name.into(),
            priority: 0,
            internal,
            v4: v4 && !internal,
            v6: v6 && !internal,
            publishes: !internal,
        }
    }

    fn both(v4: usize, v6: usize) -> Gateways {
        Gateways {
            v4: Some(v4),
            v6: Some(v6),
        }
    }

    #[test]
    fn ports_go_with_the_gateway_through_a_bridge_only() {
        let mut mv = ep("mv", false, true, false);
        mv.publishes = false;
        assert_eq!(ports_carrier(&[ep("b", false, true, false)]), Some(0));
        // Internal networks are never the gateway: nothing is published.
        assert_eq!(ports_carrier(&[ep("i", true, true, false)]), None);
        // A macvlan gateway publishes nothing, even beside a bridge it
        // sorts before.
        assert_eq!(
            ports_carrier(&[mv.clone(), ep("z", false, true, false)]),
            None
        );
        assert_eq!(ports_carrier(&[ep("a", false, true, false), mv]), Some(0));
    }

    #[test]
    fn network_name_decides_between_equals_not_the_flag_order() {
        let eps = [
            ep("zeta", false, true, false),
            ep("alpha", false, true, false),
        ];
        assert_eq!(
            gateways(&eps),
            Gateways {
                v4: Some(1),
                v6: None
            }
        );
        // Byte order, as Go compares strings: upper case first.
        let eps = [ep("a", false, true, false), ep("B", false, true, false)];
        assert_eq!(gateways(&eps).v4, Some(1));
    }

    #[test]
    fn internal_networks_come_last_and_give_no_route() {
        let eps = [ep("a", true, true, false), ep("b", false, true, false)];
        assert_eq!(gateways(&eps).v4, Some(1));
        let eps = [ep("a", true, true, true)];
        assert_eq!(gateways(&eps), Gateways::default());
    }

    #[test]
    fn dual_stack_comes_before_single_stack() {
        let eps = [ep("a", false, true, false), ep("b", false, true, true)];
        assert_eq!(gateways(&eps), both(1, 1));
        // An IPv6-only network is single-stack too: name order, and the
        // IPv4 route stays with the IPv4 network.
        let eps = [ep("a", false, true, false), ep("b", false, false, true)];
        assert_eq!(gateways(&eps), both(0, 1));
    }

    #[test]
    fn gw_priority_comes_first() {
        let mut eps = [ep("a", false, true, true), ep("z", false, true, false)];
        eps[1].priority = 10;
        assert_eq!(gateways(&eps), both(1, 0));
        // Even before non-internal ones; an internal one still gives no
        // route.
        let mut eps = [ep("a", false, true, false), ep("b", true, true, false)];
        eps[1].priority = 10;
        assert_eq!(gateways(&eps).v4, Some(0));
        eps[0].priority = -1;
        eps[1].priority = 0;
        let eps2 = [eps[0].clone(), ep("c", false, true, false)];
        assert_eq!(gateways(&eps2).v4, Some(1));
    }

    #[test]
    fn routes_per_endpoint() {
        let g = both(0, 1);
        assert_eq!(
            g.of(0),
            Routes {
                v4: true,
                v6: false
            }
        );
        assert_eq!(
            g.of(1),
            Routes {
                v4: false,
                v6: true
            }
        );
        assert!(!g.of(2).any());
    }
}
