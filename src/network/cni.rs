//! berth's own CNI invoker, following the CNI 1.0 specification
//! (containernetworking/cni SPEC.md): each plugin of a conflist is exec'd
//! with a clean environment built for it (`CNI_COMMAND`, `CNI_CONTAINERID`,
//! `CNI_NETNS`, `CNI_IFNAME`, `CNI_PATH`, and a fixed `PATH` for the tools
//! plugins run, such as iptables), its network config on stdin: the
//! plugin's own object plus `cniVersion`, `name`, the previous plugin's
//! result as `prevResult`, and a `runtimeConfig` holding only the
//! capabilities the plugin declares (`portMappings`, `ips`, `mac`).
//!
//! ADD first caches its intent (the conflist and runtime config, in
//! `<cache-dir>/<container>-<network>.json`), runs the plugins in order,
//! caching the result so far after each: DEL gets the `prevResult` the
//! spec asks for even after the network definition changed, and a CLI
//! killed part-way through an ADD still leaves what DEL needs. (CHECK is
//! not issued: no berth verb needs it, as Docker has none.) DEL runs the
//! plugins in reverse order, keeps
//! going past a failing one (a teardown must remove all it can) and removes
//! the cache; a DEL of something never added is a no-op. An ADD that fails
//! part-way is rolled back with a DEL. A plugin's JSON error object
//! (`code`, `msg`, `details`) is surfaced in berth's message.
//!
//! Everything that execs sits behind [`CniInvoker`]; the lifecycle tests use
//! [`FakeInvoker`], which records calls and hands out addresses.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum CniError {
    #[error("CNI plugin {0:?} not found in {1}")]
    NotFound(String, String),
    #[error("plugin type={plugin:?} failed ({command}): {message}")]
    Plugin {
        plugin: String,
        command: &'static str,
        message: String,
    },
    #[error("network {0:?}: invalid conflist: {1}")]
    Config(String, String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("setting the default route via {gateway} on {ifname}: {message}")]
    Route {
        gateway: std::net::IpAddr,
        ifname: String,
        message: String,
    },
}

pub type Result<T, E = CniError> = std::result::Result<T, E>;

/// One `-p` mapping as the portmap plugin's `portMappings` capability takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    pub host_port: u16,
    pub container_port: u16,
    pub protocol: String,
    #[serde(default, rename = "hostIP", skip_serializing_if = "String::is_empty")]
    pub host_ip: String,
}

/// What the runtime tells the plugins about one attachment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuntimeConf {
    pub container_id: String,
    pub netns: PathBuf,
    pub ifname: String,
    #[serde(default)]
    pub port_mappings: Vec<PortMapping>,
    /// Requested addresses (`--ip`), for the `ips` capability.
    #[serde(default)]
    pub ips: Vec<String>,
    /// Requested MAC (`--mac-address`), for the `mac` capability.
    #[serde(default)]
    pub mac: Option<String>,
}

/// The parts of a CNI result berth reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attachment {
    /// `address/prefix` of the first IPv4 address.
    pub ipv4: Option<String>,
    pub ipv4_gateway: Option<String>,
    pub ipv6: Option<String>,
    pub ipv6_gateway: Option<String>,
    /// MAC of the container-side interface.
    pub mac: Option<String>,
}

impl Attachment {
    /// Read a CNI 1.0 result: addresses, gateways, and the MAC of the
    /// interface in the container's namespace.
    pub fn from_result(result: &Value, ifname: &str) -> Attachment {
        let mut a = Attachment::default();
        let ifaces = result["interfaces"].as_array().cloned().unwrap_or_default();
        a.mac = ifaces
            .iter()
            .find(|i| i["name"] == ifname && i.get("sandbox").is_some_and(|s| !s.is_null()))
            .and_then(|i| i["mac"].as_str())
            .map(str::to_string);
        for ip in result["ips"].as_array().into_iter().flatten() {
            let Some(addr) = ip["address"].as_str() else {
                continue;
            };
            let gw = ip["gateway"].as_str().map(str::to_string);
            if addr.contains(':') {
                if a.ipv6.is_none() {
                    a.ipv6 = Some(addr.to_string());
                    a.ipv6_gateway = gw;
                }
            } else if a.ipv4.is_none() {
                a.ipv4 = Some(addr.to_string());
                a.ipv4_gateway = gw;
            }
        }
        a
    }
}

/// Runs CNI operations for one attachment of a container to a network.
pub trait CniInvoker: Send + Sync {
    /// ADD every plugin of `conflist` in order; returns the final result.
    fn add(&self, conflist: &Value, rt: &RuntimeConf) -> Result<Value>;
    /// DEL in reverse order with the cached result (falling back to
    /// `conflist` when nothing was cached); a no-op when neither exists.
    fn del(&self, network: &str, conflist: Option<&Value>, rt: &RuntimeConf) -> Result<()>;
    /// Bring up `lo` in a namespace (the loopback plugin).
    fn loopback(&self, rt: &RuntimeConf) -> Result<()>;
    /// Point the namespace's default route of each gateway's family at that
    /// gateway through `rt.ifname` (the gateway endpoint moving: no plugin
    /// re-runs for it, as none does in Docker's sandbox either).
    fn default_route(&self, rt: &RuntimeConf, gateways: &[std::net::IpAddr]) -> Result<()>;
    /// Delete the namespace's default routes of the families `which` names
    /// (before a joining endpoint that takes them over is ADDed).
    fn drop_default_routes(&self, rt: &RuntimeConf, which: super::gateway::Routes) -> Result<()>;
    /// Publish `rt.port_mappings` through an attachment that exists (the
    /// gateway endpoint moved to it: Docker moves the published ports
    /// along): `conflist`'s portmap plugin ADDed alone, the cached result
    /// as its `prevResult`, and the cache updated first so the network's
    /// DEL removes the mappings again.
    fn publish(&self, conflist: &Value, rt: &RuntimeConf) -> Result<()>;
    /// Take an attachment's published ports away (the gateway endpoint
    /// moved off it): its portmap plugin DELed with the cached result, and
    /// the cache left without it.
    fn unpublish(&self, network: &str, rt: &RuntimeConf) -> Result<()>;
}

/// The real invoker: execs plugin binaries found in `plugin_dirs`.
pub struct ExecInvoker {
    pub plugin_dirs: Vec<PathBuf>,
    pub cache_dir: PathBuf,
}

/// The cache of one ADD.
#[derive(Debug, Serialize, Deserialize)]
struct Cached {
    conflist: Value,
    result: Value,
    runtime: RuntimeConf,
}

fn read_cached(cache_dir: &std::path::Path, network: &str, container_id: &str) -> Option<Cached> {
    std::fs::read(cache_dir.join(format!("{container_id}-{network}.json")))
        .ok()
        .and_then(|b| serde_json::from_slice::<Cached>(&b).ok())
}

/// Whether the cached ADD of `network` for a container carried port
/// mappings (the endpoint that publishes the container's ports).
pub fn cached_publishes(cache_dir: &std::path::Path, network: &str, container_id: &str) -> bool {
    read_cached(cache_dir, network, container_id)
        .is_some_and(|c| !c.runtime.port_mappings.is_empty())
}

/// Whether the cached ADD of `network` for a container gave it a default
/// route (its gateway endpoint).
pub fn cached_default_route(
    cache_dir: &std::path::Path,
    network: &str,
    container_id: &str,
) -> bool {
    read_cached(cache_dir, network, container_id).is_some_and(|c| {
        c.conflist["plugins"].as_array().is_some_and(|ps| {
            ps.iter().any(|p| {
                p["ipam"]["routes"]
                    .as_array()
                    .is_some_and(|rs| rs.iter().any(is_default_route))
            })
        })
    })
}

/// An IPAM route (`{"dst": ...}`) to everywhere, IPv4 or IPv6.
pub fn is_default_route(route: &serde_json::Value) -> bool {
    matches!(route["dst"].as_str(), Some("0.0.0.0/0" | "::/0"))
}

const PLUGIN_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// `ip ARGS` in the namespace `rt` names.
fn ip_in(rt: &RuntimeConf, args: &[&str]) -> std::io::Result<std::process::Output> {
    std::process::Command::new("nsenter")
        .arg(format!("--net={}", rt.netns.display()))
        .arg("ip")
        .args(args)
        .env("PATH", PLUGIN_PATH)
        .output()
}

impl ExecInvoker {
    pub fn new(env: &super::NetEnv) -> ExecInvoker {
        ExecInvoker {
            plugin_dirs: env.plugin_dirs.clone(),
            cache_dir: env.cache_dir(),
        }
    }

    fn cache_path(&self, network: &str, container_id: &str) -> PathBuf {
        self.cache_dir
            .join(format!("{container_id}-{network}.json"))
    }

    fn find(&self, plugin: &str) -> Result<PathBuf> {
        if !plugin.is_empty() && !plugin.contains('/') {
            for d in &self.plugin_dirs {
                let p = d.join(plugin);
                if p.is_file() {
                    return Ok(p);
                }
            }
        }
        Err(CniError::NotFound(
            plugin.to_string(),
            std::env::join_paths(&self.plugin_dirs)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ))
    }

    /// Exec one plugin; stdout is its result (or its error object).
    fn exec(
        &self,
        command: &'static str,
        config: &Value,
        rt: &RuntimeConf,
    ) -> Result<Option<Value>> {
        let plugin = config["type"].as_str().unwrap_or_default().to_string();
        let bin = self.find(&plugin)?;
        let started = std::time::Instant::now();
        let mut child = Command::new(&bin)
            .env_clear()
            .env("CNI_COMMAND", command)
            .env("CNI_CONTAINERID", &rt.container_id)
            .env("CNI_NETNS", &rt.netns)
            .env("CNI_IFNAME", &rt.ifname)
            .env(
                "CNI_PATH",
                std::env::join_paths(&self.plugin_dirs).unwrap_or_default(),
            )
            .env("PATH", PLUGIN_PATH)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| CniError::Io {
                path: bin.clone(),
                source,
            })?;
        let input = serde_json::to_vec(config).expect("json");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("piped");
            // A plugin may exit before reading (an early error); its answer
            // on stdout says why.
            let _ = stdin.write_all(&input);
        }
        let out = child.wait_with_output().map_err(|source| CniError::Io {
            path: bin.clone(),
            source,
        })?;
        crate::debug::debug!(
            "cni {command} {plugin} ({}): {:?}",
            rt.container_id.get(..12).unwrap_or(&rt.container_id),
            started.elapsed()
        );
        if !out.status.success() {
            return Err(CniError::Plugin {
                plugin,
                command: if command == "ADD" { "add" } else { "delete" },
                message: plugin_message(&out.stdout, &out.stderr, out.status),
            });
        }
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(&out.stdout)
            .map(Some)
            .map_err(|e| CniError::Plugin {
                plugin,
                command: "add",
                message: format!("unreadable result: {e}"),
            })
    }

    fn write_cache(
        &self,
        network: &str,
        conflist: &Value,
        result: &Value,
        rt: &RuntimeConf,
    ) -> Result<()> {
        let cached = Cached {
            conflist: conflist.clone(),
            result: result.clone(),
            runtime: rt.clone(),
        };
        let path = self.cache_path(network, &rt.container_id);
        std::fs::create_dir_all(&self.cache_dir).map_err(|source| CniError::Io {
            path: self.cache_dir.clone(),
            source,
        })?;
        crate::sys::fs::write_atomic_nosync(&path, &serde_json::to_vec(&cached).expect("json"))
            .map_err(|e| CniError::Io {
                path,
                source: e.into(),
            })
    }

    fn del_with(&self, conflist: &Value, prev: Option<&Value>, rt: &RuntimeConf) -> Result<()> {
        let plugins = plugins(conflist)?;
        let mut first_err = None;
        for p in plugins.iter().rev() {
            let cfg = plugin_config(conflist, p, prev, rt);
            if let Err(e) = self.exec("DEL", &cfg, rt) {
                first_err.get_or_insert(e);
            }
        }
        first_err.map_or(Ok(()), Err)
    }
}

impl CniInvoker for ExecInvoker {
    fn add(&self, conflist: &Value, rt: &RuntimeConf) -> Result<Value> {
        let network = conflist["name"].as_str().unwrap_or_default().to_string();
        // The intent is cached before the first plugin runs (with a null
        // result) and the result so far after each one, so a CLI killed
        // part-way leaves what DEL needs (the firewall plugin, for one,
        // removes its rules only for the addresses its prevResult names).
        self.write_cache(&network, conflist, &Value::Null, rt)?;
        let mut prev: Option<Value> = None;
        let list = plugins(conflist)?;
        for (i, p) in list.iter().enumerate() {
            let cfg = plugin_config(conflist, p, prev.as_ref(), rt);
            match self.exec("ADD", &cfg, rt) {
                Ok(Some(r)) => {
                    if i + 1 < list.len() {
                        self.write_cache(&network, conflist, &r, rt)?;
                    }
                    prev = Some(r);
                }
                Ok(None) => {}
                Err(e) => {
                    // Undo what the earlier plugins did (the spec's rule for a
                    // failed ADD: the runtime issues a DEL).
                    let _ = self.del(&network, Some(conflist), rt);
                    return Err(e);
                }
            }
        }
        let result = prev.unwrap_or_else(|| json!({"cniVersion": conflist["cniVersion"]}));
        self.write_cache(&network, conflist, &result, rt)?;
        Ok(result)
    }

    fn del(&self, network: &str, conflist: Option<&Value>, rt: &RuntimeConf) -> Result<()> {
        let path = self.cache_path(network, &rt.container_id);
        let cached: Option<Cached> = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let r = match (&cached, conflist) {
            (Some(c), _) => {
                // The cached runtime config (its port mappings) is what ADD used.
                let mut rt2 = c.runtime.clone();
                rt2.netns = rt.netns.clone();
                let prev = (!c.result.is_null()).then_some(&c.result);
                self.del_with(&c.conflist, prev, &rt2)
            }
            (None, Some(conf)) => self.del_with(conf, None, rt),
            (None, None) => Ok(()),
        };
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                r?;
                Err(CniError::Io { path, source: e })
            }
            _ => r,
        }
    }

    fn publish(&self, conflist: &Value, rt: &RuntimeConf) -> Result<()> {
        let network = conflist["name"].as_str().unwrap_or_default().to_string();
        let cached = read_cached(&self.cache_dir, &network, &rt.container_id)
            .filter(|c| !c.result.is_null())
            .ok_or_else(|| {
                CniError::Config(network.clone(), "no cached ADD to publish through".into())
            })?;
        let portmap = plugins(conflist)?
            .iter()
            .find(|p| p["type"] == "portmap")
            .cloned()
            .ok_or_else(|| CniError::Config(network.clone(), "no portmap plugin".into()))?;
        // The chain as DEL will run it: portmap right after the interface's
        // plugin, as `conflist` orders it.
        let mut chain = cached.conflist.clone();
        if let Some(ps) = chain["plugins"].as_array_mut() {
            if !ps.iter().any(|p| p["type"] == "portmap") {
                ps.insert(ps.len().min(1), portmap.clone());
            }
        }
        let mut with = cached.runtime.clone();
        with.netns = rt.netns.clone();
        with.port_mappings = rt.port_mappings.clone();
        self.write_cache(&network, &chain, &cached.result, &with)?;
        let cfg = plugin_config(&chain, &portmap, Some(&cached.result), &with);
        match self.exec("ADD", &cfg, &with) {
            Ok(r) => {
                let result = r.unwrap_or(cached.result);
                self.write_cache(&network, &chain, &result, &with)
            }
            Err(e) => {
                let _ = self.exec("DEL", &cfg, &with);
                let _ =
                    self.write_cache(&network, &cached.conflist, &cached.result, &cached.runtime);
                Err(e)
            }
        }
    }

    fn unpublish(&self, network: &str, rt: &RuntimeConf) -> Result<()> {
        let Some(cached) = read_cached(&self.cache_dir, network, &rt.container_id) else {
            return Ok(());
        };
        let Some(portmap) = plugins(&cached.conflist)?
            .iter()
            .find(|p| p["type"] == "portmap")
            .cloned()
        else {
            return Ok(());
        };
        let mut with = cached.runtime.clone();
        with.netns = rt.netns.clone();
        let prev = (!cached.result.is_null()).then_some(&cached.result);
        let cfg = plugin_config(&cached.conflist, &portmap, prev, &with);
        self.exec("DEL", &cfg, &with)?;
        let mut chain = cached.conflist.clone();
        if let Some(ps) = chain["plugins"].as_array_mut() {
            ps.retain(|p| p["type"] != "portmap");
        }
        with.port_mappings.clear();
        self.write_cache(network, &chain, &cached.result, &with)
    }

    fn drop_default_routes(&self, rt: &RuntimeConf, which: super::gateway::Routes) -> Result<()> {
        for (family, on) in [("-4", which.v4), ("-6", which.v6)] {
            // Until none is left (`ip route del` fails then; ECMP or
            // per-metric routes can make several).
            for _ in 0..8 {
                match on.then(|| ip_in(rt, &[family, "route", "del", "default"])) {
                    Some(Ok(o)) if o.status.success() => {}
                    _ => break,
                }
            }
        }
        Ok(())
    }

    fn default_route(&self, rt: &RuntimeConf, gateways: &[std::net::IpAddr]) -> Result<()> {
        let ip = |args: &[&str]| ip_in(rt, args);
        for gw in gateways {
            let family = if gw.is_ipv4() { "-4" } else { "-6" };
            let gateway = gw.to_string();
            let out = ip(&[
                family, "route", "replace", "default", "via", &gateway, "dev", &rt.ifname,
            ]);
            let message = match out {
                Ok(o) if o.status.success() => continue,
                Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
                Err(e) => format!("running nsenter: {e}"),
            };
            return Err(CniError::Route {
                gateway: *gw,
                ifname: rt.ifname.clone(),
                message,
            });
        }
        Ok(())
    }

    fn loopback(&self, rt: &RuntimeConf) -> Result<()> {
        let cfg = json!({"cniVersion": "1.0.0", "name": "lo", "type": "loopback"});
        let rt = RuntimeConf {
            ifname: "lo".into(),
            ..rt.clone()
        };
        self.exec("ADD", &cfg, &rt).map(|_| ())
    }
}

fn plugins(conflist: &Value) -> Result<&Vec<Value>> {
    conflist["plugins"].as_array().ok_or_else(|| {
        CniError::Config(
            conflist["name"].as_str().unwrap_or_default().to_string(),
            "no plugins".into(),
        )
    })
}

/// The config one plugin gets: its object, the conflist's name and version,
/// `prevResult`, and the runtime config its capabilities ask for.
fn plugin_config(
    conflist: &Value,
    plugin: &Value,
    prev: Option<&Value>,
    rt: &RuntimeConf,
) -> Value {
    let mut cfg = plugin.clone();
    cfg["cniVersion"] = conflist["cniVersion"].clone();
    cfg["name"] = conflist["name"].clone();
    if let Some(p) = prev {
        cfg["prevResult"] = p.clone();
    }
    let caps = plugin["capabilities"].as_object();
    let wants = |c: &str| caps.is_some_and(|m| m.get(c) == Some(&Value::Bool(true)));
    let mut runtime = serde_json::Map::new();
    if wants("portMappings") && !rt.port_mappings.is_empty() {
        runtime.insert("portMappings".into(), json!(rt.port_mappings));
    }
    if wants("ips") && !rt.ips.is_empty() {
        runtime.insert("ips".into(), json!(rt.ips));
    }
    if let (true, Some(mac)) = (wants("mac"), &rt.mac) {
        runtime.insert("mac".into(), json!(mac));
    }
    if let Some(obj) = cfg.as_object_mut() {
        obj.remove("capabilities");
        if !runtime.is_empty() {
            obj.insert("runtimeConfig".into(), Value::Object(runtime));
        }
    }
    cfg
}

/// A plugin's error for berth's message: its JSON error object's `msg` and
/// `details` when it printed one, else its stderr or exit status.
fn plugin_message(stdout: &[u8], stderr: &[u8], status: std::process::ExitStatus) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(stdout) {
        if let Some(msg) = v["msg"].as_str() {
            return match v["details"].as_str().filter(|d| !d.is_empty()) {
                Some(d) => format!("{msg}: {d}"),
                None => msg.to_string(),
            };
        }
    }
    let err = String::from_utf8_lossy(stderr).trim().to_string();
    if err.is_empty() {
        format!("exited with {status}")
    } else {
        err
    }
}

/// A recording invoker for tests: hands out addresses from 10.99.0.0/24 and
/// remembers every call.
#[cfg(test)]
#[derive(Default)]
pub struct FakeInvoker {
    pub calls: std::sync::Mutex<Vec<String>>,
    pub fail_add: Option<String>,
    /// The networks whose ADD kept an IPAM default route, in order.
    pub routed: std::sync::Mutex<Vec<String>>,
}

#[cfg(test)]
impl CniInvoker for FakeInvoker {
    fn add(&self, conflist: &Value, rt: &RuntimeConf) -> Result<Value> {
        let name = conflist["name"].as_str().unwrap_or_default().to_string();
        let n = {
            let mut calls = self.calls.lock().unwrap();
            calls.push(format!("add {name} {} {}", rt.container_id, rt.ifname));
            calls.len()
        };
        let routed = conflist["plugins"].as_array().is_some_and(|ps| {
            ps.iter().any(|p| {
                p["ipam"]["routes"]
                    .as_array()
                    .is_some_and(|rs| rs.iter().any(is_default_route))
            })
        });
        if routed {
            self.routed.lock().unwrap().push(name.clone());
        }
        if let Some(msg) = &self.fail_add {
            return Err(CniError::Plugin {
                plugin: "bridge".into(),
                command: "add",
                message: msg.clone(),
            });
        }
        Ok(json!({
            "cniVersion": "1.0.0",
            "interfaces": [{"name": rt.ifname, "mac": "02:42:0a:63:00:02", "sandbox": rt.netns}],
            "ips": [{"address": format!("10.99.0.{}/24", n + 1), "gateway": "10.99.0.1", "interface": 0}],
        }))
    }
    fn del(&self, network: &str, _conflist: Option<&Value>, rt: &RuntimeConf) -> Result<()> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("del {network} {} {}", rt.container_id, rt.ifname));
        Ok(())
    }
    fn loopback(&self, rt: &RuntimeConf) -> Result<()> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("lo {}", rt.container_id));
        Ok(())
    }
    fn drop_default_routes(&self, rt: &RuntimeConf, which: super::gateway::Routes) -> Result<()> {
        let families: Vec<&str> = [("v4", which.v4), ("v6", which.v6)]
            .into_iter()
            .filter_map(|(f, on)| on.then_some(f))
            .collect();
        self.calls.lock().unwrap().push(format!(
            "unroute {} {}",
            rt.container_id,
            families.join(",")
        ));
        Ok(())
    }

    fn publish(&self, conflist: &Value, rt: &RuntimeConf) -> Result<()> {
        let ports: Vec<String> = rt
            .port_mappings
            .iter()
            .map(|m| m.host_port.to_string())
            .collect();
        self.calls.lock().unwrap().push(format!(
            "publish {} {} {} {}",
            conflist["name"].as_str().unwrap_or_default(),
            rt.container_id,
            rt.ifname,
            ports.join(",")
        ));
        Ok(())
    }

    fn unpublish(&self, network: &str, rt: &RuntimeConf) -> Result<()> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("unpublish {network} {}", rt.container_id));
        Ok(())
    }

    fn default_route(&self, rt: &RuntimeConf, gateways: &[std::net::IpAddr]) -> Result<()> {
        let gws: Vec<String> = gateways.iter().map(|g| g.to_string()).collect();
        self.calls.lock().unwrap().push(format!(
            "route {} {} {}",
            rt.container_id,
            rt.ifname,
            gws.join(",")
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt() -> RuntimeConf {
        RuntimeConf {
            container_id: "c1".into(),
            netns: "/run/berth/netns/c1".into(),
            ifname: "eth0".into(),
            port_mappings: vec![PortMapping {
                host_port: 8080,
                container_port: 80,
                protocol: "tcp".into(),
                host_ip: String::new(),
            }],
            ips: vec![],
            mac: Some("02:00:00:00:00:01".into()),
        }
    }

    #[test]
    fn runtime_config_follows_capabilities() {
        let conflist = json!({"cniVersion": "1.0.0", "name": "n", "plugins": []});
        let portmap = json!({"type": "portmap", "capabilities": {"portMappings": true}});
        let cfg = plugin_config(&conflist, &portmap, Some(&json!({"ips": []})), &rt());
        assert_eq!(cfg["name"], "n");
        assert_eq!(cfg["cniVersion"], "1.0.0");
        assert_eq!(cfg["runtimeConfig"]["portMappings"][0]["hostPort"], 8080);
        assert!(cfg["runtimeConfig"].get("mac").is_none());
        assert!(cfg.get("capabilities").is_none());
        assert_eq!(cfg["prevResult"], json!({"ips": []}));
        let bridge = json!({"type": "bridge"});
        let cfg = plugin_config(&conflist, &bridge, None, &rt());
        assert!(cfg.get("runtimeConfig").is_none());
        assert!(cfg.get("prevResult").is_none());
    }

    #[test]
    fn plugin_errors_read_the_json_object() {
        use std::os::unix::process::ExitStatusExt;
        let st = std::process::ExitStatus::from_raw(1 << 8);
        let m = plugin_message(
            br#"{"cniVersion":"1.0.0","code":7,"msg":"failed to allocate","details":"range full"}"#,
            b"",
            st,
        );
        assert_eq!(m, "failed to allocate: range full");
        assert_eq!(plugin_message(b"", b"boom\n", st), "boom");
    }

    #[test]
    fn results_give_addresses_and_the_sandbox_mac() {
        let r = json!({
            "interfaces": [
                {"name": "br0", "mac": "aa:aa:aa:aa:aa:aa"},
                {"name": "veth1", "mac": "bb:bb:bb:bb:bb:bb"},
                {"name": "eth0", "mac": "cc:cc:cc:cc:cc:cc", "sandbox": "/run/netns/x"}
            ],
            "ips": [
                {"address": "fd00::2/64", "gateway": "fd00::1", "interface": 2},
                {"address": "10.1.0.2/24", "gateway": "10.1.0.1", "interface": 2}
            ]
        });
        let a = Attachment::from_result(&r, "eth0");
        assert_eq!(a.mac.as_deref(), Some("cc:cc:cc:cc:cc:cc"));
        assert_eq!(a.ipv4.as_deref(), Some("10.1.0.2/24"));
        assert_eq!(a.ipv4_gateway.as_deref(), Some("10.1.0.1"));
        assert_eq!(a.ipv6.as_deref(), Some("fd00::2/64"));
    }

    #[test]
    fn plugins_get_a_clean_environment_and_del_runs_in_reverse() {
        let d = tempfile::tempdir().unwrap();
        let bin = d.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let log = d.path().join("log");
        for name in ["one", "two"] {
            let script = format!(
                "#!/bin/sh\nread cfg\necho \"$CNI_COMMAND {name} $CNI_IFNAME $(env | grep -c .)\" >> {}\n\
                 [ \"$CNI_COMMAND\" = ADD ] && echo '{{\"cniVersion\":\"1.0.0\",\"ips\":[{{\"address\":\"10.5.0.2/24\"}}]}}'\nexit 0\n",
                log.display()
            );
            let p = bin.join(name);
            std::fs::write(&p, script).unwrap();
            std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .unwrap();
        }
        let inv = ExecInvoker {
            plugin_dirs: vec![bin],
            cache_dir: d.path().join("cache"),
        };
        let conflist = json!({"cniVersion": "1.0.0", "name": "n",
            "plugins": [{"type": "one"}, {"type": "two"}]});
        let r = inv.add(&conflist, &rt()).unwrap();
        assert_eq!(r["ips"][0]["address"], "10.5.0.2/24");
        assert!(inv.cache_path("n", "c1").is_file());
        inv.del("n", None, &rt()).unwrap();
        assert!(!inv.cache_path("n", "c1").exists());
        // Nothing cached and no conflist: nothing to do.
        inv.del("n", None, &rt()).unwrap();
        let lines: Vec<String> = std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        // Exactly CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME,
        // CNI_PATH, PATH (+ the shell's own PWD/SHLVL/_ at most).
        let order: Vec<&str> = lines
            .iter()
            .map(|l| l.rsplit_once(' ').unwrap().0)
            .collect();
        assert_eq!(
            order,
            [
                "ADD one eth0",
                "ADD two eth0",
                "DEL two eth0",
                "DEL one eth0"
            ]
        );
        for l in &lines {
            let n: usize = l.rsplit_once(' ').unwrap().1.parse().unwrap();
            assert!(n <= 9, "{l}");
        }
    }
}
