//! What berth does with the top-level `networks:` and `volumes:` it would
//! create: the drivers and driver options `network create` and `volume
//! create` honour, and a report for the others, so `config --check` lists
//! them with the service keys and `up`/`create` refuse them before
//! anything is made (`volume create` and `network create` would refuse
//! them part-way, after the networks before them were created). External
//! resources are only looked up, never created: their drivers do not
//! matter.

use super::service::{KeyReport, Support};
use super::yaml::{Map, Node};
use crate::network::options::DriverOptions;
use crate::network::store::PARENT_OPTION;
use std::collections::BTreeMap;

/// The network drivers `network create` makes.
const NETWORK_DRIVERS: [&str; 3] = ["bridge", "macvlan", "ipvlan"];

/// The reports for the project's networks and volumes that `wanted(kind,
/// key)` selects (`kind` is `networks` or `volumes`), in key order; none
/// when everything is supported. Each names its key as
/// `networks.<key>.driver` or `volumes.<key>.driver_opts`, with no service.
pub fn reports(model: &Node, wanted: impl Fn(&str, &str) -> bool) -> Vec<KeyReport> {
    let mut out = Vec::new();
    for kind in ["networks", "volumes"] {
        let defs = model
            .as_map()
            .and_then(|m| m.get(kind))
            .and_then(Node::as_map);
        for (key, def) in defs.into_iter().flatten() {
            let Some(def) = def.as_map() else { continue };
            if is_external(def) || !wanted(kind, key) {
                continue;
            }
            let verdicts = if kind == "networks" {
                network_verdicts(def)
            } else {
                volume_verdicts(def)
            };
            for (field, reason) in verdicts {
                out.push(KeyReport {
                    service: String::new(),
                    key: format!("{kind}.{key}.{field}"),
                    support: Support::Rejected,
                    reason,
                });
            }
        }
    }
    out
}

fn is_external(def: &Map) -> bool {
    def.get("external").is_some_and(|x| {
        matches!(x.value, super::yaml::Value::Bool(true)) || x.as_str() == Some("true")
    })
}

fn text(def: &Map, key: &str) -> Option<String> {
    def.get(key).and_then(Node::scalar_text)
}

/// The keys of `driver_opts`, in order.
fn option_keys(def: &Map) -> Vec<String> {
    def.get("driver_opts")
        .and_then(Node::as_map)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// `volume create`'s refusals: only the `local` driver, and none of its
/// options (berth mounts no device or tmpfs for a volume).
fn volume_verdicts(def: &Map) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    if let Some(d) = text(def, "driver").filter(|d| d != "local") {
        v.push((
            "driver",
            format!("volume driver {d:?} is not supported: berth has only the \"local\" driver"),
        ));
    }
    let opts = option_keys(def);
    if !opts.is_empty() {
        v.push((
            "driver_opts",
            format!(
                "driver options of the local driver ({}) are not supported: berth mounts no device, NFS share or tmpfs for a volume; use a bind mount or a tmpfs mount in the service instead",
                opts.join(", ")
            ),
        ));
    }
    v
}

/// `network create`'s drivers, and its refusals of their options
/// (`network::options`: moby's parse errors, the options berth cannot
/// apply; keys no driver reads pass, as with Docker). A macvlan/ipvlan
/// network needs its parent.
fn network_verdicts(def: &Map) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    let driver = text(def, "driver").unwrap_or_else(|| "bridge".into());
    if !NETWORK_DRIVERS.contains(&driver.as_str()) {
        v.push((
            "driver",
            format!(
                "network driver {driver:?} is not supported ({})",
                NETWORK_DRIVERS.join(", ")
            ),
        ));
        return v;
    }
    let opts: BTreeMap<String, String> = def
        .get("driver_opts")
        .and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .map(|(k, n)| (k.clone(), n.scalar_text().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    if let Err(e) = DriverOptions::parse(&driver, &opts) {
        v.push(("driver_opts", e.to_string()));
    } else if driver != "bridge" && !opts.contains_key(PARENT_OPTION) {
        v.push((
            "driver_opts",
            format!("the {driver} driver needs driver_opts.parent (a host interface)"),
        ));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> Node {
        super::super::yaml::parse("compose.yaml", yaml).unwrap()
    }

    fn verdicts(yaml: &str) -> Vec<(String, String)> {
        reports(&model(yaml), |_, _| true)
            .into_iter()
            .map(|r| {
                assert!(r.service.is_empty());
                assert_eq!(r.support, Support::Rejected);
                (r.key, r.reason)
            })
            .collect()
    }

    #[test]
    fn supported_drivers_and_options_make_no_report() {
        let yaml = "
networks:
  a: {}
  b: {driver: bridge, driver_opts: {com.docker.network.bridge.name: br-b, com.docker.network.driver.mtu: 1400}}
  c: {driver: macvlan, driver_opts: {parent: eth0, macvlan_mode: private}}
  d: {driver: overlay, external: true}
volumes:
  v: {}
  w: {driver: local}
  x: {driver: nfs, external: true}
";
        assert_eq!(verdicts(yaml), []);
    }

    #[test]
    fn unsupported_drivers_and_options_are_rejected_with_the_reason() {
        let yaml = "
networks:
  a: {driver: overlay}
  b: {driver_opts: {com.docker.network.bridge.enable_icc: 'no'}}
  c: {driver: ipvlan}
volumes:
  v: {driver: nfs}
  w: {driver_opts: {type: nfs, o: 'addr=1.2.3.4', device: ':/x'}}
";
        let got = verdicts(yaml);
        let keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "networks.a.driver",
                "networks.b.driver_opts",
                "networks.c.driver_opts",
                "volumes.v.driver",
                "volumes.w.driver_opts"
            ]
        );
        assert_eq!(
            got[0].1,
            "network driver \"overlay\" is not supported (bridge, macvlan, ipvlan)"
        );
        assert_eq!(
            got[1].1,
            "failed to parse com.docker.network.bridge.enable_icc value: no \
             (strconv.ParseBool: parsing \"no\": invalid syntax)"
        );
        assert!(got[2].1.contains("needs driver_opts.parent"), "{got:?}");
        assert!(got[3].1.contains("\"nfs\""), "{got:?}");
        assert!(got[4].1.contains("(device, o, type)"), "{got:?}");
    }

    #[test]
    fn only_the_wanted_resources_are_checked() {
        let yaml = "
networks:
  a: {driver: overlay}
volumes:
  v: {driver: nfs}
";
        let only_v = reports(&model(yaml), |kind, key| kind == "volumes" && key == "v");
        assert_eq!(only_v.len(), 1);
        assert_eq!(only_v[0].key, "volumes.v.driver");
    }
}
