//! Container networking with the standard CNI plugins, without a daemon.
//!
//! - `store`: network definitions (rows in `store::networks`), the conflist
//!   each one generates in berth's CNI config dir, the default `bridge`
//!   network created on first use on a subnet free on this host.
//! - `cni`: berth's own CNI 1.0 invoker (`CniInvoker` trait, `ExecInvoker`
//!   that execs the plugins, a recording fake for tests).
//! - `netns`: one named network namespace per container, bind-mounted under
//!   the state root.
//! - `options`: `network create -o`, moby's driver options parsed, applied
//!   or refused.
//! - `ports`: `-p`/`-P` parsing and host port reservation.
//! - `hosts`, `resolv`: a container's `/etc/hosts` and `/etc/resolv.conf`
//!   as Docker writes them.
//! - `peers`: the other containers on a container's user networks, in
//!   its `/etc/hosts` (rewritten in place when one joins or leaves).
//! - `dns`: the per-network name server (Docker's embedded DNS on user
//!   networks), its process lifecycle and its wire format.
//! - `firewall`: the per-network iptables rules (masquerade, FORWARD
//!   accepts, `--internal` isolation) installed once per bridge network.
//! - `gateway`: which endpoint carries the default routes (moby's order).
//! - `attach`: joining a container to its networks before the runtime starts
//!   it and leaving them when it stops (whoever notices first).
//!
//! This module never prints and never talks to the runtime; it follows
//! Docker's behaviour (names, IDs, the `bridge` network, error wording) and
//! the CNI 1.0 specification for everything it asks of the plugins.

pub mod attach;
pub mod cni;
pub mod dns;
pub mod firewall;
pub mod gateway;
pub mod hosts;
pub mod netns;
pub mod options;
pub mod peers;
pub mod ports;
pub mod resolv;
pub mod store;

use std::path::PathBuf;

/// Where networking keeps its files and finds its plugins, resolved from the
/// settings once per invocation.
#[derive(Debug, Clone)]
pub struct NetEnv {
    /// Directories searched for CNI plugin binaries, in order.
    pub plugin_dirs: Vec<PathBuf>,
    /// Where berth writes one `<name>.conflist` per network.
    pub conf_dir: PathBuf,
    /// Bridge interface of the default `bridge` network.
    pub default_bridge: String,
    /// Subnet of the default network; `None` picks the first free one.
    pub default_subnet: Option<ipnet::IpNet>,
    /// The state root: IPAM leases, CNI result cache, netns mounts and the
    /// network lock live below it (tmpfs: a reboot releases them all).
    pub state_root: PathBuf,
    /// The host's resolver file (`resolv_conf` in berth.toml, default
    /// `/etc/resolv.conf`): containers' resolv.conf and the name servers'
    /// upstreams come from it.
    pub resolv_conf: PathBuf,
    /// Whether networks get their host iptables rules (`firewall`); off in
    /// unit tests, which must leave the host's tables alone.
    pub host_rules: bool,
}

impl NetEnv {
    /// host-local's `dataDir`.
    pub fn ipam_dir(&self) -> PathBuf {
        self.state_root.join("network").join("ipam")
    }
    /// Cached ADD results, one file per container and network.
    pub fn cache_dir(&self) -> PathBuf {
        self.state_root.join("network").join("results")
    }
    /// Bind mounts of container network namespaces.
    pub fn netns_dir(&self) -> PathBuf {
        self.state_root.join("netns")
    }
    /// Serialises changes to network definitions and default-network creation.
    pub fn lock_path(&self) -> PathBuf {
        self.state_root.join("locks").join("network.lock")
    }
    /// An environment entirely under `state_root` (CNI config dir
    /// included), with a bridge name no host uses.
    #[cfg(test)]
    pub fn for_tests(state_root: PathBuf) -> NetEnv {
        NetEnv {
            plugin_dirs: Vec::new(),
            conf_dir: state_root.join("cni"),
            default_bridge: "brtest0".into(),
            default_subnet: None,
            resolv_conf: state_root.join("resolv.conf"),
            host_rules: false,
            state_root,
        }
    }

    /// The conflist of the network called `name`.
    pub fn conflist_path(&self, name: &str) -> PathBuf {
        self.conf_dir.join(format!("berth-{name}.conflist"))
    }
}

/// Default plugin search path (Debian's package, then the upstream tarball's).
pub const DEFAULT_CNI_PATH: &[&str] = &["/usr/lib/cni", "/opt/cni/bin"];
/// Default CNI config dir for berth's networks.
pub const DEFAULT_CNI_NETCONFPATH: &str = "/etc/berth/cni/net.d";
/// Bridge interface of the default network.
pub const DEFAULT_BRIDGE: &str = "berth0";
