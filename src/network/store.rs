//! Network definitions: what a network is (driver, subnets, gateway, bridge
//! interface, flags, labels, options), how it is recorded (`store::networks`
//! rows) and the CNI conflist it generates in berth's CNI config dir.
//!
//! Public API: [`create`] (validates a [`CreateRequest`], picks a free
//! subnet when none is given, reserves the name and the bridge, writes the
//! conflist), [`find`] (by name, full ID or unique ID prefix, Docker's
//! lookup order), [`list`], [`remove`] (refused while a container holds an
//! endpoint on it; deletes the conflist and the bridge), [`ensure_default`]
//! (the `bridge` network, created on first use) and [`conflist`].
//!
//! Changes are serialised by the network lock (`NetEnv::lock_path`) so two
//! processes never pick the same subnet; the rows' UNIQUE constraints make a
//! name or a bridge interface taken twice impossible even without it.
//! Subnets are never picked over docker's, podman's or nerdctl's defaults
//! (172.17/16, 10.88/16, 10.4/24) nor over a route the host already has.
//! A network whose conflist went missing (a wiped CNI dir) gets it back at
//! its next use. This module never runs plugins.

use super::NetEnv;
use crate::store::networks::{self as rows, NetworkRow, Taken};
use crate::store::{Store, StoreError};
use crate::sys::lock::FileLock;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

/// The default network's name, as in Docker.
pub const DEFAULT_NETWORK: &str = "bridge";

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("network {0} not found")]
    NotFound(String),
    #[error("network with name {0} already exists")]
    NameTaken(String),
    #[error("bridge interface {0} is already used by another network")]
    BridgeTaken(String),
    /// moby's macvlan/ipvlan drivers' words (for `eth0.10`, the `eth0`).
    #[error("-o parent interface was not found on the host: {0}")]
    ParentNotFound(String),
    #[error("-o parent interface was not found on the host: {0} (berth does not create VLAN sub-interfaces; create it first: ip link add link {1} name {0} type vlan id {2})")]
    VlanNotFound(String, String, String),
    /// Docker makes a dummy link the parent of such a network and makes it
    /// internal; berth does not make links for a network.
    #[error("the {0} driver needs -o parent=IFACE (a host interface): berth does not create the dummy parent Docker makes for a {0} network without one")]
    ParentRequired(String),
    #[error("network driver {0:?} is not supported (bridge, macvlan, ipvlan)")]
    Driver(String),
    #[error("invalid subnet {0}: {1}")]
    Subnet(String, String),
    #[error("invalid pool request: Pool overlaps with other one on this address space")]
    Overlap,
    #[error("no free subnet left in {0} for a new network")]
    NoFreeSubnet(String),
    #[error("{0} is a pre-defined network and cannot be removed")]
    PreDefined(String),
    #[error("error while removing network: network {name} id {id} has active endpoints")]
    InUse { name: String, id: String },
    #[error(transparent)]
    Option(#[from] super::options::OptionError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for NetworkError {
    fn from(e: rusqlite::Error) -> Self {
        NetworkError::Store(StoreError::Sql(e))
    }
}

pub type Result<T, E = NetworkError> = std::result::Result<T, E>;

/// One IPAM pool of a network (Docker's `IPAM.Config[]` entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    pub subnet: IpNet,
    pub gateway: IpAddr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_range: Option<IpNet>,
    /// Chosen by berth (no `--subnet`): Docker refuses `--ip` on such a
    /// network. Records from before this field count as user-given.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub picked: bool,
}

/// A network as berth uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub created_at: String,
    pub subnets: Vec<Subnet>,
    pub internal: bool,
    pub ipv6: bool,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
    /// The bridge interface (or the macvlan/ipvlan parent).
    pub bridge: String,
}

impl Network {
    /// Whether a container's `-p` ports are published through this network
    /// when it is the container's gateway endpoint: only a bridge's (moby's
    /// macvlan and ipvlan drivers program no external connectivity) and not
    /// an internal one's (which is never the gateway).
    pub fn publishes_ports(&self) -> bool {
        self.driver == "bridge" && !self.internal
    }

    /// Whether `network create --subnet` gave this network a pool of the
    /// address family of `ip` (Docker's condition for `--ip`/`--ip6`).
    pub fn has_user_subnet_for(&self, ip: &IpAddr) -> bool {
        self.subnets
            .iter()
            .any(|s| s.subnet.addr().is_ipv6() == ip.is_ipv6() && !s.picked)
    }

    pub fn from_row(r: NetworkRow) -> Result<Network> {
        let bad = |what: &str, e: serde_json::Error| {
            NetworkError::Store(StoreError::Io {
                path: PathBuf::from(format!("networks/{}/{what}", r.id)),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            })
        };
        Ok(Network {
            subnets: serde_json::from_str(&r.subnets).map_err(|e| bad("subnets", e))?,
            labels: serde_json::from_str(&r.labels).map_err(|e| bad("labels", e))?,
            options: serde_json::from_str(&r.options).map_err(|e| bad("options", e))?,
            id: r.id,
            name: r.name,
            driver: r.driver,
            created_at: r.created_at,
            internal: r.internal,
            ipv6: r.ipv6,
            bridge: r.bridge,
        })
    }

    fn to_row(&self) -> NetworkRow {
        NetworkRow {
            id: self.id.clone(),
            name: self.name.clone(),
            driver: self.driver.clone(),
            created_at: self.created_at.clone(),
            subnets: serde_json::to_string(&self.subnets).expect("subnets serialise"),
            internal: self.internal,
            ipv6: self.ipv6,
            labels: serde_json::to_string(&self.labels).expect("labels serialise"),
            options: serde_json::to_string(&self.options).expect("options serialise"),
            bridge: self.bridge.clone(),
        }
    }

    /// What the network's `-o` options make berth do (options an older
    /// berth stored unchecked and this one refuses count as not given).
    pub fn driver_options(&self) -> super::options::DriverOptions {
        super::options::DriverOptions::parse(&self.driver, &self.options).unwrap_or_default()
    }

    /// The default routes (IPv4, IPv6) an endpoint of this network can
    /// carry: those of the families it has a subnet of, none when internal
    /// (moby's bridge `Join` gives internal networks no gateway).
    pub fn default_routes(&self) -> (bool, bool) {
        if self.internal {
            return (false, false);
        }
        (
            self.ipv4().is_some(),
            self.subnets
                .iter()
                .any(|s| matches!(s.subnet, IpNet::V6(_))),
        )
    }

    /// The first IPv4 pool (the one `IPAddress`/`Gateway` report).
    pub fn ipv4(&self) -> Option<&Subnet> {
        self.subnets
            .iter()
            .find(|s| matches!(s.subnet, IpNet::V4(_)))
    }
}

/// One `--subnet` (with the `--gateway` and `--ip-range` at the same index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoolRequest {
    pub subnet: Option<IpNet>,
    pub gateway: Option<IpAddr>,
    pub ip_range: Option<IpNet>,
}

/// What `network create` asks for, validated by [`create`].
#[derive(Debug, Clone, Default)]
pub struct CreateRequest {
    pub name: String,
    /// `bridge` when empty.
    pub driver: String,
    pub pools: Vec<PoolRequest>,
    pub internal: bool,
    pub ipv6: bool,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
}

/// Docker's option naming the bridge interface.
pub const BRIDGE_NAME_OPTION: &str = "com.docker.network.bridge.name";
/// The parent interface of macvlan/ipvlan networks.
pub const PARENT_OPTION: &str = "parent";

/// Networks that exist without being created (`--network none|host`).
pub fn is_predefined(name: &str) -> bool {
    matches!(name, "none" | "host")
}

/// Create a network: validate, pick a subnet when none is given, record it
/// and write its conflist.
pub fn create(env: &NetEnv, store: &mut Store, req: CreateRequest) -> Result<Network> {
    let _lock = lock(env)?;
    create_locked(env, store, req, false)
}

fn lock(env: &NetEnv) -> Result<FileLock> {
    let p = env.lock_path();
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|source| NetworkError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    FileLock::exclusive(&p).map_err(|source| NetworkError::Io { path: p, source })
}

/// `default` is true only for `ensure_default`: no one else may create the
/// network called `bridge`.
fn create_locked(
    env: &NetEnv,
    store: &mut Store,
    req: CreateRequest,
    default: bool,
) -> Result<Network> {
    if is_predefined(&req.name) || req.name == DEFAULT_NETWORK && !default {
        return Err(NetworkError::NameTaken(req.name));
    }
    let driver = if req.driver.is_empty() {
        "bridge".to_string()
    } else {
        req.driver.clone()
    };
    if !matches!(driver.as_str(), "bridge" | "macvlan" | "ipvlan") {
        return Err(NetworkError::Driver(driver));
    }
    super::options::DriverOptions::parse(&driver, &req.options)?;
    if rows::get_by_name(store.conn(), &req.name)?.is_some() {
        return Err(NetworkError::NameTaken(req.name));
    }
    let existing: Vec<Network> = list(store)?;
    let taken: Vec<IpNet> = existing
        .iter()
        .flat_map(|n| n.subnets.iter().map(|s| s.subnet))
        .collect();
    let mut subnets = Vec::new();
    for pool in &req.pools {
        subnets.push(validate_pool(pool, &taken)?);
    }
    // What berth picks itself overlaps no other network, no host route of
    // its family and no subnet given.
    let avoid = |routes: Vec<IpNet>, given: &[Subnet]| -> Vec<IpNet> {
        taken
            .iter()
            .copied()
            .chain(routes)
            .chain(given.iter().map(|s| s.subnet))
            .collect()
    };
    let picked = |subnet: IpNet| Subnet {
        subnet,
        gateway: first_host(&subnet),
        ip_range: None,
        picked: true,
    };
    if !subnets.iter().any(|s| matches!(s.subnet, IpNet::V4(_))) {
        let subnet = IpNet::V4(free_subnet(&avoid(host_routes(), &subnets))?);
        subnets.insert(0, picked(subnet));
    }
    // Docker 27+: `--ipv6` with no IPv6 `--subnet` takes a /64 of a ULA
    // prefix of this host's own.
    if req.ipv6 && !subnets.iter().any(|s| s.subnet.addr().is_ipv6()) {
        let base = ula_base(env);
        let subnet = IpNet::V6(free_ula_subnet(base, &avoid(host_routes_v6(), &subnets))?);
        subnets.push(picked(subnet));
    }
    let id = crate::container::names::new_id();
    let bridge = match req
        .options
        .get(BRIDGE_NAME_OPTION)
        .or(req.options.get(PARENT_OPTION))
    {
        Some(b) => b.clone(),
        None if driver == "bridge" => format!("br-{}", &id[..12]),
        None => return Err(NetworkError::ParentRequired(driver)),
    };
    if driver != "bridge" {
        check_parent(&bridge, |i| {
            std::path::Path::new("/sys/class/net").join(i).exists()
        })?;
    }
    let net = Network {
        id,
        name: req.name,
        driver,
        created_at: crate::shim::time::rfc3339_nano(std::time::SystemTime::now()),
        subnets,
        internal: req.internal,
        ipv6: req.ipv6,
        labels: req.labels,
        options: req.options,
        bridge,
    };
    write_conflist(env, &net)?;
    let inserted = store.write(|tx| rows::create(tx, &net.to_row()));
    match inserted {
        Ok(Ok(())) => {
            if !default {
                crate::events::emit_network(
                    &store.layout().data_root,
                    "create",
                    &net.id,
                    &net.name,
                    &net.driver,
                    &[],
                );
            }
            Ok(net)
        }
        Ok(Err(taken)) => {
            remove_file(&env.conflist_path(&net.name));
            Err(match taken {
                Taken::Name => NetworkError::NameTaken(net.name),
                Taken::Bridge => NetworkError::BridgeTaken(net.bridge),
            })
        }
        Err(e) => {
            remove_file(&env.conflist_path(&net.name));
            Err(e.into())
        }
    }
}

/// A macvlan/ipvlan parent must be on the host. moby's drivers create a
/// missing `name.vlan` sub-interface of an existing `name`; berth does not,
/// and says how.
fn check_parent(parent: &str, exists: impl Fn(&str) -> bool) -> Result<()> {
    let named = !parent.is_empty() && !parent.contains('/');
    if named && exists(parent) {
        return Ok(());
    }
    Err(match parent.split_once('.') {
        Some((base, vlan)) if named && exists(base) => {
            NetworkError::VlanNotFound(parent.to_string(), base.to_string(), vlan.to_string())
        }
        Some((base, _)) if named => NetworkError::ParentNotFound(base.to_string()),
        _ => NetworkError::ParentNotFound(parent.to_string()),
    })
}

fn validate_pool(p: &PoolRequest, taken: &[IpNet]) -> Result<Subnet> {
    let Some(subnet) = p.subnet else {
        return Err(NetworkError::Subnet(
            String::new(),
            "a gateway or an ip range needs a subnet".into(),
        ));
    };
    let s = subnet.to_string();
    if subnet.trunc() != subnet {
        return Err(NetworkError::Subnet(
            s,
            format!("host bits are set (did you mean {}?)", subnet.trunc()),
        ));
    }
    if subnet.prefix_len() >= subnet.max_prefix_len() - 1 {
        return Err(NetworkError::Subnet(
            s,
            "too small for any container".into(),
        ));
    }
    if taken.iter().any(|t| overlaps(t, &subnet)) {
        return Err(NetworkError::Overlap);
    }
    let gateway = match p.gateway {
        Some(g) if !subnet.contains(&g) => {
            return Err(NetworkError::Subnet(
                s,
                format!("gateway {g} is not in the subnet"),
            ))
        }
        Some(g) => g,
        None => first_host(&subnet),
    };
    if let Some(r) = p.ip_range {
        if !subnet.contains(&r) {
            return Err(NetworkError::Subnet(
                s,
                format!("ip range {r} is not in the subnet"),
            ));
        }
    }
    Ok(Subnet {
        subnet,
        gateway,
        ip_range: p.ip_range,
        picked: false,
    })
}

fn first_host(n: &IpNet) -> IpAddr {
    match n {
        IpNet::V4(n) => IpAddr::V4(Ipv4Addr::from(u32::from(n.network()) + 1)),
        IpNet::V6(n) => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(n.network()) + 1)),
    }
}

fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// Subnets other engines use by default; berth never picks them itself.
fn foreign_defaults() -> [IpNet; 3] {
    [
        "172.17.0.0/16".parse().expect("literal"),
        "10.88.0.0/16".parse().expect("literal"),
        "10.4.0.0/24".parse().expect("literal"),
    ]
}

/// Where berth picks subnets from: 10.222.0.0/16 in /24s, then 10.223/16.
const POOLS: &[&str] = &["10.222.0.0/16", "10.223.0.0/16"];

fn free_subnet(avoid: &[IpNet]) -> Result<Ipv4Net> {
    let foreign = foreign_defaults();
    for pool in POOLS {
        let pool: Ipv4Net = pool.parse().expect("literal");
        let candidates = pool.subnets(24).expect("/24 inside a /16");
        for c in candidates {
            let n = IpNet::V4(c);
            if !avoid.iter().chain(foreign.iter()).any(|t| overlaps(t, &n)) {
                return Ok(c);
            }
        }
    }
    Err(NetworkError::NoFreeSubnet(POOLS.join(", ")))
}

/// `name`, or the first of `name` with its trailing number counted up (a
/// `1` appended when it has none) that `exists` says is not taken; at most
/// 15 bytes (IFNAMSIZ - 1).
fn free_bridge_name(name: &str, exists: impl Fn(&str) -> bool) -> String {
    if !exists(name) {
        return name.to_string();
    }
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let first: u64 = name[stem.len()..].parse().map_or(1, |n: u64| n + 1);
    for n in first..first + 1000 {
        let suffix = n.to_string();
        let keep = stem.len().min(15 - suffix.len());
        let candidate = format!("{}{suffix}", &stem[..keep]);
        if !exists(&candidate) {
            return candidate;
        }
    }
    name.to_string()
}

/// The IPv4 destinations of the host's routes, except the default route.
/// This host's ULA /48 for IPv6 subnets berth picks, as moby's
/// `deriveULABaseNetwork`: `fd00::/8` with a 40-bit global ID from the
/// SHA-256 of an ID of the host (berth has no daemon ID: the machine ID and
/// the state root, so two berths on one host pick apart), stable over time.
fn ula_base(env: &NetEnv) -> std::net::Ipv6Addr {
    use sha2::Digest;
    let machine = std::fs::read_to_string("/etc/machine-id").unwrap_or_default();
    let mut h = sha2::Sha256::new();
    h.update(machine.trim().as_bytes());
    h.update(b"\n");
    h.update(env.state_root.as_os_str().as_encoded_bytes());
    let sha = h.finalize();
    let first = u64::from_be_bytes(sha[..8].try_into().expect("8 bytes"));
    let gid = u128::from(first & ((1 << 40) - 1));
    std::net::Ipv6Addr::from((0xfd00u128 << 112) | (gid << 80))
}

/// The first /64 of the /48 at `base` that overlaps nothing in `avoid`.
fn free_ula_subnet(base: std::net::Ipv6Addr, avoid: &[IpNet]) -> Result<Ipv6Net> {
    let base = Ipv6Net::new(base, 48).expect("a /48").trunc();
    for c in base.subnets(64).expect("/64s inside a /48") {
        let n = IpNet::V6(c);
        if !avoid.iter().any(|t| overlaps(t, &n)) {
            return Ok(c);
        }
    }
    Err(NetworkError::NoFreeSubnet(base.to_string()))
}

/// The host's IPv6 routes but the default one (`/proc/net/ipv6_route`).
fn host_routes_v6() -> Vec<IpNet> {
    let text = std::fs::read_to_string("/proc/net/ipv6_route").unwrap_or_default();
    parse_routes_v6(&text)
}

fn parse_routes_v6(text: &str) -> Vec<IpNet> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let dst = u128::from_str_radix(f.next()?, 16).ok()?;
            let len = u8::from_str_radix(f.next()?, 16).ok()?;
            (len > 0)
                .then(|| Ipv6Net::new(std::net::Ipv6Addr::from(dst), len).ok())
                .flatten()
                .map(|n| IpNet::V6(n.trunc()))
        })
        .collect()
}

fn host_routes() -> Vec<IpNet> {
    let text = std::fs::read_to_string("/proc/net/route").unwrap_or_default();
    parse_routes(&text)
}

fn parse_routes(text: &str) -> Vec<IpNet> {
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 8 {
            continue;
        }
        let (Ok(dst), Ok(mask)) = (u32::from_str_radix(f[1], 16), u32::from_str_radix(f[7], 16))
        else {
            continue;
        };
        // /proc/net/route prints the words in host (little-endian) order.
        let dst = Ipv4Addr::from(u32::from_be(dst.to_be().swap_bytes()));
        let mask = u32::from_be(mask.to_be().swap_bytes());
        if mask == 0 {
            continue;
        }
        if let Ok(n) = Ipv4Net::new(dst, mask.leading_ones() as u8) {
            out.push(IpNet::V4(n.trunc()));
        }
    }
    out
}

/// Find a network by exact ID, exact name, then unique ID prefix (Docker's order).
pub fn find(store: &Store, input: &str) -> Result<Network> {
    if let Some(r) = rows::get(store.conn(), input)? {
        return Network::from_row(r);
    }
    if let Some(r) = rows::get_by_name(store.conn(), input)? {
        return Network::from_row(r);
    }
    let matches: Vec<NetworkRow> = rows::list(store.conn())?
        .into_iter()
        .filter(|r| !input.is_empty() && r.id.starts_with(input))
        .collect();
    match matches.len() {
        1 => Network::from_row(matches.into_iter().next().expect("one")),
        _ => Err(NetworkError::NotFound(input.to_string())),
    }
}

/// `host` and `none` as `network ls` and `network inspect` show them
/// (drivers `host` and `null`, no IPAM pools). They have no record: their
/// IDs are derived from their names, so they are the same on every call.
pub fn builtin() -> Vec<Network> {
    use sha2::Digest as _;
    [("host", "host"), ("none", "null")]
        .into_iter()
        .map(|(name, driver)| Network {
            id: format!(
                "{:x}",
                sha2::Sha256::digest(format!("berth predefined network {name}"))
            ),
            name: name.to_string(),
            driver: driver.to_string(),
            created_at: "0001-01-01T00:00:00Z".to_string(),
            subnets: Vec::new(),
            internal: false,
            ipv6: false,
            labels: BTreeMap::new(),
            options: BTreeMap::new(),
            bridge: String::new(),
        })
        .collect()
}

/// [`find`], then `host` and `none` by name, ID or unique ID prefix (for
/// the commands that show networks, not those that change them).
pub fn find_shown(store: &Store, input: &str) -> Result<Network> {
    match find(store, input) {
        Err(NetworkError::NotFound(_)) => {
            let all = builtin();
            if let Some(n) = all.iter().find(|n| n.name == input || n.id == input) {
                return Ok(n.clone());
            }
            let mut by_prefix = all
                .into_iter()
                .filter(|n| !input.is_empty() && n.id.starts_with(input));
            match (by_prefix.next(), by_prefix.next()) {
                (Some(n), None) => Ok(n),
                _ => Err(NetworkError::NotFound(input.to_string())),
            }
        }
        other => other,
    }
}

/// All networks, by name.
pub fn list(store: &Store) -> Result<Vec<Network>> {
    rows::list(store.conn())?
        .into_iter()
        .map(Network::from_row)
        .collect()
}

/// Remove a network with no endpoints: its record, its conflist, its bridge
/// interface. The default network is removable only when unused, like any
/// other (it comes back at the next use).
pub fn remove(env: &NetEnv, store: &mut Store, net: &Network) -> Result<()> {
    if net.name == DEFAULT_NETWORK {
        return Err(NetworkError::PreDefined(net.name.clone()));
    }
    let _lock = lock(env)?;
    if !rows::endpoints_of_network(store.conn(), &net.id)?.is_empty() {
        return Err(NetworkError::InUse {
            name: net.name.clone(),
            id: net.id.clone(),
        });
    }
    // The host rules go before the record: a CLI killed in between leaves
    // a network whose next container installs them again (or whose next
    // `network rm` removes them), never rules no record names.
    super::firewall::remove(env, net);
    store.write(|tx| rows::remove(tx, &net.id).map(|_| ()))?;
    // No member is left, so its name server has stopped already; a server
    // a killed CLI left behind goes now.
    if let Err(e) = super::dns::stop(env, &net.id) {
        crate::debug::debug!("stopping the name server of {}: {e:#}", net.name);
    }
    remove_file(&env.conflist_path(&net.name));
    // host-local's directory of the network (its last-reserved files; no
    // lease is left without endpoints).
    let ipam = env.ipam_dir().join(&net.name);
    if let Err(e) = std::fs::remove_dir_all(&ipam) {
        if e.kind() != std::io::ErrorKind::NotFound {
            crate::debug::debug!("removing {}: {e}", ipam.display());
        }
    }
    if net.driver == "bridge" {
        delete_link(&net.bridge);
    }
    crate::events::emit_network(
        &store.layout().data_root,
        "destroy",
        &net.id,
        &net.name,
        &net.driver,
        &[],
    );
    Ok(())
}

fn remove_file(p: &std::path::Path) {
    let _ = std::fs::remove_file(p);
}

/// Delete a host interface (the bridge plugin creates bridges but never
/// deletes them). A missing interface is fine.
fn delete_link(name: &str) {
    if std::path::Path::new("/sys/class/net").join(name).exists() {
        let _ = std::process::Command::new("ip")
            .args(["link", "delete", name])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// The default `bridge` network, created on first use on the configured
/// bridge interface and subnet (or the first free one).
pub fn ensure_default(env: &NetEnv, store: &mut Store) -> Result<Network> {
    if let Some(r) = rows::get_by_name(store.conn(), DEFAULT_NETWORK)? {
        let net = Network::from_row(r)?;
        ensure_conflist(env, &net)?;
        return Ok(net);
    }
    let _lock = lock(env)?;
    if let Some(r) = rows::get_by_name(store.conn(), DEFAULT_NETWORK)? {
        return Network::from_row(r);
    }
    let mut options = BTreeMap::new();
    // A bridge of that name already on the host belongs to another data
    // root (or outlived a removed one). Sharing it would put two IPAM
    // stores on one subnet, and taking another subnet on it makes the
    // bridge plugin refuse the bridge: this root's default network gets
    // the next free name instead (berth0 -> berth1 ...).
    let bridge = free_bridge_name(&env.default_bridge, |n| {
        Path::new("/sys/class/net").join(n).exists()
    });
    options.insert(BRIDGE_NAME_OPTION.to_string(), bridge);
    create_locked(
        env,
        store,
        CreateRequest {
            name: DEFAULT_NETWORK.into(),
            driver: "bridge".into(),
            pools: env
                .default_subnet
                .map(|s| PoolRequest {
                    subnet: Some(s),
                    ..Default::default()
                })
                .into_iter()
                .collect(),
            options,
            ..Default::default()
        },
        true,
    )
}

/// Write the conflist again when it went missing or an older berth wrote
/// another one, and install the network's own iptables rules (once; see
/// `firewall`) before a container joins it.
pub fn ensure_conflist(env: &NetEnv, net: &Network) -> Result<()> {
    let want = serde_json::to_string_pretty(&conflist(env, net)).expect("json");
    if std::fs::read_to_string(env.conflist_path(&net.name))
        .ok()
        .as_deref()
        != Some(&want)
    {
        write_conflist(env, net)?;
    }
    super::firewall::ensure(env, net).map_err(|e| NetworkError::Io {
        path: PathBuf::from("iptables"),
        source: std::io::Error::other(format!("{e:#}")),
    })
}

fn write_conflist(env: &NetEnv, net: &Network) -> Result<()> {
    let io = |path: PathBuf| move |source| NetworkError::Io { path, source };
    std::fs::create_dir_all(&env.conf_dir).map_err(io(env.conf_dir.clone()))?;
    let path = env.conflist_path(&net.name);
    let text = serde_json::to_string_pretty(&conflist(env, net)).expect("json");
    crate::sys::fs::write_atomic(&path, text.as_bytes()).map_err(|e| NetworkError::Io {
        path: path.clone(),
        source: e.into(),
    })
}

/// The CNI 1.0 conflist of a network. Bridge networks chain bridge
/// (host-local IPAM, no masquerade: `firewall` has per-network rules) →
/// portmap → tuning; macvlan and ipvlan ones
/// chain their plugin → tuning. The loopback interface is brought up
/// separately (it belongs to every namespace, not to a network).
pub fn conflist(env: &NetEnv, net: &Network) -> serde_json::Value {
    let ranges: Vec<serde_json::Value> = net
        .subnets
        .iter()
        .map(|s| {
            let mut r = json!({"subnet": s.subnet.to_string(), "gateway": s.gateway.to_string()});
            if let Some(range) = s.ip_range {
                r["rangeStart"] = json!(first_host(&range).to_string());
                r["rangeEnd"] = json!(last_host(&range).to_string());
            }
            json!([r])
        })
        .collect();
    let mut routes = Vec::new();
    let (v4, v6) = net.default_routes();
    if v4 {
        routes.push(json!({"dst": "0.0.0.0/0"}));
    }
    if v6 {
        routes.push(json!({"dst": "::/0"}));
    }
    let ipam = json!({
        "type": "host-local",
        "ranges": ranges,
        "routes": routes,
        "dataDir": env.ipam_dir().to_string_lossy(),
    });
    let mut plugins = Vec::new();
    let opts = net.driver_options();
    match net.driver.as_str() {
        "bridge" => {
            let mut bridge = json!({
                "type": "bridge",
                "bridge": net.bridge,
                "isGateway": true,
                // Masquerade and FORWARD accepts are per network (`firewall`).
                "ipMasq": false,
                "hairpinMode": true,
                "ipam": ipam,
                "capabilities": {"ips": true},
            });
            if let Some(mtu) = opts.mtu {
                bridge["mtu"] = json!(mtu);
            }
            plugins.push(bridge);
            // IPv6 has no `route_localnet`: a DNAT of `[::1]` to the
            // container would be dropped. Left alone, `[::1]` reaches the
            // socket the shim holds for `[::]` and its proxy serves it.
            plugins.push(json!({
                "type": "portmap",
                "capabilities": {"portMappings": true},
                "conditionsV6": ["!", "-d", "::1/128"],
            }));
        }
        driver => {
            let mut plugin = json!({
                "type": driver,
                "master": net.bridge,
                "ipam": ipam,
                "capabilities": {"ips": true},
            });
            if let Some(mode) = &opts.mode {
                plugin["mode"] = json!(mode);
            }
            plugins.push(plugin);
        }
    }
    plugins.push(json!({"type": "tuning", "capabilities": {"mac": true}}));
    json!({
        "cniVersion": "1.0.0",
        "name": net.name,
        "plugins": plugins,
    })
}

fn last_host(n: &IpNet) -> IpAddr {
    match n {
        IpNet::V4(n) => IpAddr::V4(Ipv4Addr::from(u32::from(n.broadcast()) - 1)),
        IpNet::V6(n) => IpAddr::V6(n.broadcast()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Layout;

    fn setup() -> (tempfile::TempDir, NetEnv, Store) {
        let dir = tempfile::tempdir().unwrap();
        let env = NetEnv::for_tests(dir.path().join("s"));
        let store = Store::open(Layout::new(dir.path().join("d"), dir.path().join("s"))).unwrap();
        (dir, env, store)
    }

    fn req(name: &str, subnet: Option<&str>) -> CreateRequest {
        CreateRequest {
            name: name.into(),
            pools: subnet
                .map(|s| PoolRequest {
                    subnet: Some(s.parse().unwrap()),
                    ..Default::default()
                })
                .into_iter()
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_bridge_name_in_use_is_counted_up() {
        let taken = [
            "berth0",
            "berth1",
            "br",
            "abcdefghijklmn9",
            "abcdefghijklm10",
        ];
        let exists = |n: &str| taken.contains(&n);
        assert_eq!(free_bridge_name("berth0", exists), "berth2");
        assert_eq!(free_bridge_name("berth7", exists), "berth7");
        assert_eq!(free_bridge_name("br", exists), "br1");
        assert_eq!(
            free_bridge_name("abcdefghijklmn9", exists),
            "abcdefghijklm11"
        );
    }

    #[test]
    fn routes_parse_in_host_byte_order() {
        let text = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n\
                    eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\n\
                    eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\n";
        assert_eq!(
            parse_routes(text),
            vec!["192.0.2.0/24".parse::<IpNet>().unwrap()]
        );
    }

    #[test]
    fn ipv6_without_a_subnet_takes_a_ula_64_of_the_hosts_own_48() {
        let routes = parse_routes_v6(
            "fd000000000000000000000000000000 40 0 00 0 00000100 1 0 1 eth0\n\
             00000000000000000000000000000000 00 0 00 0 00000400 1 0 1 lo\n",
        );
        assert_eq!(routes, vec!["fd00::/64".parse::<IpNet>().unwrap()]);
        let base: std::net::Ipv6Addr = "fd12:3456:789a::".parse().unwrap();
        let first = free_ula_subnet(base, &[]).unwrap();
        assert_eq!(first.to_string(), "fd12:3456:789a::/64");
        let taken = [IpNet::V6(first)];
        assert_eq!(
            free_ula_subnet(base, &taken).unwrap().to_string(),
            "fd12:3456:789a:1::/64"
        );
        let (_d, env, _store) = setup();
        let b = ula_base(&env);
        assert_eq!(b.segments()[0] & 0xff00, 0xfd00, "{b}");
        assert_eq!(b, ula_base(&env), "stable");
    }

    #[test]
    fn free_subnets_skip_taken_and_foreign_ones() {
        let taken: Vec<IpNet> = vec!["10.222.0.0/23".parse().unwrap()];
        assert_eq!(free_subnet(&taken).unwrap().to_string(), "10.222.2.0/24");
        let all: Vec<IpNet> = vec!["10.222.0.0/16".parse().unwrap()];
        assert_eq!(free_subnet(&all).unwrap().to_string(), "10.223.0.0/24");
    }

    #[test]
    fn create_find_remove() {
        let (_d, env, mut store) = setup();
        let n = create(&env, &mut store, req("front", Some("10.77.0.0/24"))).unwrap();
        assert_eq!(n.subnets[0].gateway.to_string(), "10.77.0.1");
        assert_eq!(n.bridge, format!("br-{}", &n.id[..12]));
        assert!(env.conflist_path("front").is_file());
        assert_eq!(find(&store, "front").unwrap().id, n.id);
        assert_eq!(find(&store, &n.id[..6]).unwrap().name, "front");
        assert!(matches!(
            create(&env, &mut store, req("front", None)),
            Err(NetworkError::NameTaken(_))
        ));
        assert!(matches!(
            create(&env, &mut store, req("back", Some("10.77.0.128/25"))),
            Err(NetworkError::Overlap)
        ));
        let b = create(&env, &mut store, req("back", None)).unwrap();
        assert_ne!(b.subnets[0].subnet, n.subnets[0].subnet);
        remove(&env, &mut store, &n).unwrap();
        assert!(!env.conflist_path("front").exists());
        assert!(matches!(
            find(&store, "front"),
            Err(NetworkError::NotFound(_))
        ));
    }

    #[test]
    fn bridge_name_is_reserved_only_for_the_default() {
        let (_d, env, mut store) = setup();
        assert!(matches!(
            create(&env, &mut store, req("bridge", None)),
            Err(NetworkError::NameTaken(_))
        ));
        let d = ensure_default(&env, &mut store).unwrap();
        assert_eq!(d.bridge, "brtest0");
        assert!(d.labels.is_empty());
        assert_eq!(ensure_default(&env, &mut store).unwrap().id, d.id);
        assert!(find(&store, "bridge").unwrap().labels.is_empty());
        // Created or not, the default network is Docker's pre-defined one.
        assert!(matches!(
            remove(&env, &mut store, &d),
            Err(NetworkError::PreDefined(n)) if n == "bridge"
        ));
        assert_eq!(find(&store, "bridge").unwrap().id, d.id);
        assert!(env.conflist_path("bridge").is_file());
    }

    #[test]
    fn bad_pools_are_refused() {
        let (_d, env, mut store) = setup();
        assert!(create(&env, &mut store, req("x", Some("10.9.0.1/24"))).is_err());
        let mut r = req("y", Some("10.9.0.0/24"));
        r.pools[0].gateway = Some("10.8.0.1".parse().unwrap());
        assert!(create(&env, &mut store, r).is_err());
        let mut r = req("z", None);
        r.driver = "overlay".into();
        assert!(matches!(
            create(&env, &mut store, r),
            Err(NetworkError::Driver(_))
        ));
    }

    #[test]
    fn conflist_chains_bridge_portmap_tuning() {
        let (_d, env, mut store) = setup();
        let mut r = req("n", Some("10.77.0.0/24"));
        r.pools[0].ip_range = Some("10.77.0.128/25".parse().unwrap());
        let n = create(&env, &mut store, r).unwrap();
        let c = conflist(&env, &n);
        let types: Vec<&str> = c["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["bridge", "portmap", "tuning"]);
        assert_eq!(c["plugins"][0]["ipMasq"], false);
        let range = &c["plugins"][0]["ipam"]["ranges"][0][0];
        assert_eq!(range["rangeStart"], "10.77.0.129");
        assert_eq!(range["rangeEnd"], "10.77.0.254");
        assert_eq!(
            c["plugins"][0]["ipam"]["dataDir"],
            env.ipam_dir().to_string_lossy().as_ref()
        );
    }

    #[test]
    fn driver_options_reach_the_plugins_or_refuse_the_create() {
        let (_d, env, mut store) = setup();
        let mut r = req("m", Some("10.77.1.0/24"));
        r.options
            .insert("com.docker.network.driver.mtu".into(), "1400".into());
        let n = create(&env, &mut store, r).unwrap();
        assert_eq!(conflist(&env, &n)["plugins"][0]["mtu"], 1400);
        let mut r = req("i", Some("10.77.2.0/24"));
        r.options.insert(
            "com.docker.network.bridge.inhibit_ipv4".into(),
            "true".into(),
        );
        let e = create(&env, &mut store, r).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "network option com.docker.network.bridge.inhibit_ipv4=true is not supported"
            ),
            "{e}"
        );
        assert!(!env.conflist_path("i").exists());
        let mut mv = n.clone();
        mv.driver = "macvlan".into();
        mv.options = [("macvlan_mode".to_string(), "private".to_string())].into();
        let c = conflist(&env, &mv);
        assert_eq!(c["plugins"][0]["mode"], "private");
        assert!(c["plugins"][0].get("mtu").is_none());
    }

    #[test]
    fn macvlan_and_ipvlan_without_parent_are_refused_leaving_nothing() {
        let (_d, env, mut store) = setup();
        for driver in ["macvlan", "ipvlan"] {
            let mut r = req("mv", Some("10.244.7.0/24"));
            r.driver = driver.into();
            let e = create(&env, &mut store, r).unwrap_err().to_string();
            assert_eq!(
                e,
                format!("the {driver} driver needs -o parent=IFACE (a host interface): berth does not create the dummy parent Docker makes for a {driver} network without one")
            );
        }
        assert!(list(&store).unwrap().is_empty());
        assert!(!env.conflist_path("mv").exists());
    }

    #[test]
    fn a_macvlan_parent_must_be_on_the_host() {
        let host = |i: &str| matches!(i, "eth0" | "eth0.10");
        check_parent("eth0", host).unwrap();
        check_parent("eth0.10", host).unwrap();
        let e = |p: &str| check_parent(p, host).unwrap_err().to_string();
        assert_eq!(
            e("eth9"),
            "-o parent interface was not found on the host: eth9"
        );
        assert_eq!(
            e("eth9.5"),
            "-o parent interface was not found on the host: eth9"
        );
        assert!(e("eth0.20").starts_with(
            "-o parent interface was not found on the host: eth0.20 (berth does not create VLAN sub-interfaces; create it first: ip link add link eth0 name eth0.20 type vlan id 20)"
        ));
        assert_eq!(
            e("../x"),
            "-o parent interface was not found on the host: ../x"
        );
    }
}
