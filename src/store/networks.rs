//! Network records, the endpoints containers hold on them while attached, and
//! the host ports those endpoints publish. Rows only: what a network means
//! (its conflist, its subnets) is `network::store`'s business.
//!
//! Names are reserved by the UNIQUE constraint on `networks.name` (and
//! bridge interfaces by `networks.bridge`) in the inserting transaction.
//! Host ports are reserved by the primary key of `port_reservations` plus the
//! family-aware check `reserve_ports` does inside the same `BEGIN IMMEDIATE`
//! transaction, so of two concurrent `run -p 8080:80` exactly one wins.
//! Endpoints and reservations exist only while a container is attached:
//! Docker releases them when a container stops.

use super::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkRow {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub created_at: String,
    /// JSON array of `network::store::Subnet`.
    pub subnets: String,
    pub internal: bool,
    pub ipv6: bool,
    /// JSON object.
    pub labels: String,
    /// JSON object (`-o` driver options).
    pub options: String,
    /// The host interface: the bridge, or the macvlan/ipvlan parent.
    pub bridge: String,
}

const NETWORK_COLUMNS: &str =
    "id, name, driver, created_at, subnets, internal, ipv6, labels, options, bridge";

fn network_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<NetworkRow> {
    Ok(NetworkRow {
        id: r.get(0)?,
        name: r.get(1)?,
        driver: r.get(2)?,
        created_at: r.get(3)?,
        subnets: r.get(4)?,
        internal: r.get::<_, i64>(5)? != 0,
        ipv6: r.get::<_, i64>(6)? != 0,
        labels: r.get(7)?,
        options: r.get(8)?,
        bridge: r.get(9)?,
    })
}

/// Which UNIQUE column a failed insert collided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Name,
    Bridge,
}

/// Insert a network; `Err(Taken)` when its name or bridge is already used.
pub fn create(tx: &Transaction<'_>, n: &NetworkRow) -> Result<std::result::Result<(), Taken>> {
    let exists = |col: &str, v: &str| -> Result<bool> {
        Ok(tx
            .query_row(
                &format!("SELECT 1 FROM networks WHERE {col} = ?1"),
                [v],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    };
    if exists("name", &n.name)? {
        return Ok(Err(Taken::Name));
    }
    // Bridges are one network's each; macvlan/ipvlan parents are shared.
    let bridge_taken = n.driver == "bridge"
        && tx
            .query_row(
                "SELECT 1 FROM networks WHERE bridge = ?1 AND driver = 'bridge'",
                [&n.bridge],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
    if bridge_taken {
        return Ok(Err(Taken::Bridge));
    }
    tx.execute(
        &format!(
            "INSERT INTO networks ({NETWORK_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ),
        params![
            n.id,
            n.name,
            n.driver,
            n.created_at,
            n.subnets,
            n.internal as i64,
            n.ipv6 as i64,
            n.labels,
            n.options,
            n.bridge
        ],
    )?;
    Ok(Ok(()))
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<NetworkRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {NETWORK_COLUMNS} FROM networks WHERE id = ?1"),
            [id],
            network_from_row,
        )
        .optional()?)
}

pub fn get_by_name(conn: &Connection, name: &str) -> Result<Option<NetworkRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {NETWORK_COLUMNS} FROM networks WHERE name = ?1"),
            [name],
            network_from_row,
        )
        .optional()?)
}

/// All networks, by name.
pub fn list(conn: &Connection) -> Result<Vec<NetworkRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {NETWORK_COLUMNS} FROM networks ORDER BY name"
    ))?;
    let rows = stmt.query_map([], network_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// Called by `network rm` (the `network` verbs, issue 8, land next).
#[allow(dead_code)]
pub fn remove(tx: &Transaction<'_>, id: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM networks WHERE id = ?1", [id])? > 0)
}

/// A container's attachment to one network, recorded after CNI ADD succeeded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndpointRow {
    pub container_id: String,
    pub network_id: String,
    pub endpoint_id: String,
    pub ifname: String,
    /// `address/prefix`, or empty.
    pub ip: String,
    pub gateway: String,
    pub ipv6: String,
    pub ipv6_gateway: String,
    pub mac: String,
}

const ENDPOINT_COLUMNS: &str =
    "container_id, network_id, endpoint_id, ifname, ip, gateway, ipv6, ipv6_gateway, mac";

fn endpoint_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EndpointRow> {
    Ok(EndpointRow {
        container_id: r.get(0)?,
        network_id: r.get(1)?,
        endpoint_id: r.get(2)?,
        ifname: r.get(3)?,
        ip: r.get(4)?,
        gateway: r.get(5)?,
        ipv6: r.get(6)?,
        ipv6_gateway: r.get(7)?,
        mac: r.get(8)?,
    })
}

/// Record (or replace) an endpoint.
pub fn put_endpoint(tx: &Transaction<'_>, e: &EndpointRow) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT OR REPLACE INTO network_endpoints ({ENDPOINT_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
        params![
            e.container_id,
            e.network_id,
            e.endpoint_id,
            e.ifname,
            e.ip,
            e.gateway,
            e.ipv6,
            e.ipv6_gateway,
            e.mac
        ],
    )?;
    Ok(())
}

/// A container's endpoints, in interface order.
pub fn endpoints_of_container(conn: &Connection, container_id: &str) -> Result<Vec<EndpointRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM network_endpoints WHERE container_id = ?1 ORDER BY ifname"
    ))?;
    let rows = stmt.query_map([container_id], endpoint_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The endpoints on a network (Docker's "active endpoints").
// Called by `network rm` (the `network` verbs, issue 8, land next).
#[allow(dead_code)]
pub fn endpoints_of_network(conn: &Connection, network_id: &str) -> Result<Vec<EndpointRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM network_endpoints WHERE network_id = ?1 ORDER BY container_id"
    ))?;
    let rows = stmt.query_map([network_id], endpoint_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn remove_endpoint(tx: &Transaction<'_>, container_id: &str, network_id: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM network_endpoints WHERE container_id = ?1 AND network_id = ?2",
        params![container_id, network_id],
    )?;
    Ok(())
}

/// One published host port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortRow {
    /// Empty for all addresses (0.0.0.0 / ::).
    pub host_ip: String,
    pub host_port: u16,
    pub proto: String,
    pub container_id: String,
    pub container_port: u16,
}

fn port_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PortRow> {
    Ok(PortRow {
        host_ip: r.get(0)?,
        host_port: r.get::<_, i64>(1)? as u16,
        proto: r.get(2)?,
        container_id: r.get(3)?,
        container_port: r.get::<_, i64>(4)? as u16,
    })
}

/// Reserve host ports (the addresses of one binding, all on one port)
/// unless another container holds one of them on an overlapping address:
/// the same address, or the wildcard of its family (`''`, all IPv4
/// addresses, as `0.0.0.0`; `::`, all IPv6 ones: the kernel keeps the two
/// apart with `IPV6_V6ONLY`, as Docker binds them). All or none are
/// inserted. Returns the holder on conflict.
pub fn reserve_ports(tx: &Transaction<'_>, ports: &[PortRow]) -> Result<Option<PortRow>> {
    if let Some(held) = port_holder(tx, ports)? {
        return Ok(Some(held));
    }
    for p in ports {
        tx.execute(
            "INSERT INTO port_reservations (host_ip, host_port, proto, container_id, container_port)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                p.host_ip,
                p.host_port as i64,
                p.proto,
                p.container_id,
                p.container_port as i64
            ],
        )?;
    }
    Ok(None)
}

/// A reservation of another container that one of `ports` would overlap.
pub fn port_holder(conn: &Connection, ports: &[PortRow]) -> Result<Option<PortRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT host_ip, host_port, proto, container_id, container_port FROM port_reservations
         WHERE host_port = ?1 AND proto = ?2",
    )?;
    for p in ports {
        let taken = stmt.query_map(params![p.host_port as i64, p.proto], port_from_row)?;
        for held in taken {
            let held = held?;
            if addresses_overlap(&held.host_ip, &p.host_ip) {
                return Ok(Some(held));
            }
        }
    }
    Ok(None)
}

/// Whether two reservations' host addresses overlap (see [`reserve_ports`]).
pub fn addresses_overlap(a: &str, b: &str) -> bool {
    let v6 = |s: &str| s.contains(':');
    let all4 = |s: &str| s.is_empty() || s == "0.0.0.0";
    a == b
        || (all4(a) && !v6(b))
        || (all4(b) && !v6(a))
        || (a == "::" && v6(b))
        || (b == "::" && v6(a))
}

/// The ports a container publishes.
pub fn ports_of_container(conn: &Connection, container_id: &str) -> Result<Vec<PortRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT host_ip, host_port, proto, container_id, container_port FROM port_reservations
         WHERE container_id = ?1 ORDER BY container_port, proto, host_ip",
    )?;
    let rows = stmt.query_map([container_id], port_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn release_ports(tx: &Transaction<'_>, container_id: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM port_reservations WHERE container_id = ?1",
        [container_id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Layout, Store};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("d"), dir.path().join("s"));
        let s = Store::open(layout).unwrap();
        (dir, s)
    }

    fn net(id: &str, name: &str, bridge: &str) -> NetworkRow {
        NetworkRow {
            id: id.into(),
            name: name.into(),
            driver: "bridge".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            subnets: "[]".into(),
            internal: false,
            ipv6: false,
            labels: "{}".into(),
            options: "{}".into(),
            bridge: bridge.into(),
        }
    }

    fn container(s: &mut Store, id: &str) {
        s.write(|tx| {
            tx.execute(
                "INSERT INTO containers (id, name, image_id, image_ref, created_at, spec, status)
                 VALUES (?1, ?1, 'sha256:x', 'x', 'now', '{}', 'running')",
                [id],
            )
        })
        .unwrap();
    }

    #[test]
    fn names_and_bridges_are_unique() {
        let (_d, mut s) = store();
        s.write(|tx| create(tx, &net("a", "one", "br-a")))
            .unwrap()
            .unwrap();
        let r = s.write(|tx| create(tx, &net("b", "one", "br-b"))).unwrap();
        assert_eq!(r, Err(Taken::Name));
        let r = s.write(|tx| create(tx, &net("b", "two", "br-a"))).unwrap();
        assert_eq!(r, Err(Taken::Bridge));
        assert_eq!(list(s.conn()).unwrap().len(), 1);
        assert_eq!(get_by_name(s.conn(), "one").unwrap().unwrap().id, "a");
    }

    #[test]
    fn wildcard_reservations_conflict_within_their_family() {
        let (_d, mut s) = store();
        container(&mut s, "c1");
        container(&mut s, "c2");
        let p = |ip: &str, port: u16, proto: &str, c: &str| PortRow {
            host_ip: ip.into(),
            host_port: port,
            proto: proto.into(),
            container_id: c.into(),
            container_port: 80,
        };
        let one = |s: &mut Store, row: PortRow| s.write(|tx| reserve_ports(tx, &[row])).unwrap();
        assert_eq!(one(&mut s, p("127.0.0.1", 8080, "tcp", "c1")), None);
        let held = one(&mut s, p("", 8080, "tcp", "c2"));
        assert_eq!(held.unwrap().container_id, "c1");
        // Both halves of an all-addresses binding, or neither.
        let held = s
            .write(|tx| reserve_ports(tx, &[p("::", 8080, "tcp", "c2"), p("", 8080, "tcp", "c2")]))
            .unwrap();
        assert_eq!(held.unwrap().host_ip, "127.0.0.1");
        assert_eq!(ports_of_container(s.conn(), "c2").unwrap(), vec![]);
        assert_eq!(one(&mut s, p("", 8080, "udp", "c2")), None);
        assert_eq!(one(&mut s, p("10.0.0.1", 8080, "tcp", "c2")), None);
        // IPv6 addresses do not overlap IPv4 ones, `::` covers IPv6's.
        assert_eq!(one(&mut s, p("::1", 8080, "tcp", "c2")), None);
        assert_eq!(
            one(&mut s, p("::", 8080, "tcp", "c1")).unwrap().host_ip,
            "::1"
        );
        assert_eq!(one(&mut s, p("::", 8081, "tcp", "c1")), None);
        assert_eq!(
            one(&mut s, p("fd00::1", 8081, "tcp", "c2"))
                .unwrap()
                .host_ip,
            "::"
        );
        assert_eq!(one(&mut s, p("0.0.0.0", 8081, "tcp", "c2")), None);
        s.write(|tx| release_ports(tx, "c1")).unwrap();
        assert_eq!(ports_of_container(s.conn(), "c1").unwrap(), vec![]);
        assert_eq!(ports_of_container(s.conn(), "c2").unwrap().len(), 4);
    }

    #[test]
    fn address_overlap_by_family() {
        for (a, b, want) in [
            ("", "127.0.0.1", true),
            ("0.0.0.0", "", true),
            ("", "::", false),
            ("", "::1", false),
            ("::", "::1", true),
            ("::", "10.0.0.1", false),
            ("10.0.0.1", "10.0.0.2", false),
            ("::1", "::1", true),
        ] {
            assert_eq!(addresses_overlap(a, b), want, "{a} {b}");
            assert_eq!(addresses_overlap(b, a), want, "{b} {a}");
        }
    }
}
