//! `network create -o KEY=VALUE`: the driver options moby's drivers read
//! (Docker 28: the bridge driver's `fromLabels`, `labels.go` and
//! `netlabel`; the macvlan and ipvlan drivers' `newConfigFromLabels`),
//! parsed with their errors (`failed to parse KEY value: VALUE (why)`).
//!
//! What berth applies: `com.docker.network.driver.mtu` (the bridge
//! plugin's `mtu`: the veths and the bridge), `...bridge.enable_ip_masquerade`
//! (false: no masquerade rule), `...bridge.enable_icc` (false: Docker's
//! `-i BRIDGE -o BRIDGE -j DROP`), `...bridge.host_binding_ipv4` (the host
//! address of a `-p` that gives none), `com.docker.network.host_ipv4` /
//! `host_ipv6` (SNAT to that address instead of masquerading), the
//! default `gateway_mode_ipv4/6=nat`, `macvlan_mode` and `ipvlan_mode` (the
//! plugins' `mode`). What it cannot is refused at create, naming the
//! option: `inhibit_ipv4=true`, `default_bridge=true`, the other gateway
//! modes, `trusted_host_interfaces`, `container_iface_prefix`,
//! `ipvlan_flag` other than `bridge`. `com.docker.network.enable_ipv4/6`
//! are checked as booleans and, as in moby, the `--ipv4`/`--ipv6` flags
//! decide. A key no driver reads is kept and ignored, as moby's drivers
//! ignore it; `network inspect` shows every option as given.

use std::collections::BTreeMap;
use std::net::IpAddr;

const PREFIX: &str = "com.docker.network.";
const BRIDGE_PREFIX: &str = "com.docker.network.bridge.";

/// What the options of one network make berth do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverOptions {
    /// The interfaces' MTU (bridge networks; 0 or none: the kernel's).
    pub mtu: Option<u32>,
    /// Masquerade (or SNAT) what leaves the bridge for elsewhere.
    pub masquerade: bool,
    /// Containers of the bridge may talk to each other.
    pub icc: bool,
    /// The host address of a published port given without one.
    pub host_binding_ip: Option<IpAddr>,
    /// The source address of outgoing traffic, per family (SNAT).
    pub host_ipv4: Option<IpAddr>,
    pub host_ipv6: Option<IpAddr>,
    /// The macvlan/ipvlan plugin's `mode`.
    pub mode: Option<String>,
}

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions {
            mtu: None,
            masquerade: true,
            icc: true,
            host_binding_ip: None,
            host_ipv4: None,
            host_ipv6: None,
            mode: None,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OptionError {
    /// moby's `parseErr`.
    #[error("failed to parse {key} value: {value} ({why})")]
    Parse {
        key: String,
        value: String,
        why: String,
    },
    #[error("invalid MTU number: {0}")]
    Mtu(i64),
    #[error(
        "requested macvlan mode '{0}' is not valid, 'bridge' mode is the macvlan driver default"
    )]
    MacvlanMode(String),
    #[error("requested ipvlan mode '{0}' is not valid, 'l2' mode is the ipvlan driver default")]
    IpvlanMode(String),
    #[error("requested ipvlan flag '{0}' is not valid, 'bridge' is the ipvlan driver default")]
    IpvlanFlag(String),
    #[error("network option {key}={value} is not supported: {why}")]
    Unsupported {
        key: String,
        value: String,
        why: &'static str,
    },
}

/// Go's `strconv.ParseBool`.
fn go_bool(key: &str, value: &str) -> Result<bool, OptionError> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(parse_err(
            key,
            value,
            format!("strconv.ParseBool: parsing {value:?}: invalid syntax"),
        )),
    }
}

/// Go's `strconv.Atoi` (64-bit `int`).
fn go_int(key: &str, value: &str) -> Result<i64, OptionError> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(parse_err(
            key,
            value,
            format!("strconv.Atoi: parsing {value:?}: invalid syntax"),
        ));
    }
    value.parse::<i64>().map_err(|_| {
        parse_err(
            key,
            value,
            format!("strconv.Atoi: parsing {value:?}: value out of range"),
        )
    })
}

/// Go's `net.ParseIP` (no zone, no brackets).
fn go_ip(key: &str, value: &str) -> Result<IpAddr, OptionError> {
    value
        .parse::<IpAddr>()
        .map_err(|_| parse_err(key, value, "nil ip".into()))
}

fn parse_err(key: &str, value: &str, why: String) -> OptionError {
    OptionError::Parse {
        key: key.into(),
        value: value.into(),
        why,
    }
}

fn unsupported(key: &str, value: &str, why: &'static str) -> OptionError {
    OptionError::Unsupported {
        key: key.into(),
        value: value.into(),
        why,
    }
}

impl DriverOptions {
    /// Parse a network's options for its driver (see the module docs).
    pub fn parse(
        driver: &str,
        options: &BTreeMap<String, String>,
    ) -> Result<DriverOptions, OptionError> {
        let mut o = DriverOptions::default();
        match driver {
            "bridge" => {
                for (k, v) in options {
                    o.bridge_option(k, v)?;
                }
            }
            "macvlan" => {
                if let Some(mode) = options.get("macvlan_mode").filter(|m| !m.is_empty()) {
                    if !matches!(mode.as_str(), "bridge" | "private" | "vepa" | "passthru") {
                        return Err(OptionError::MacvlanMode(mode.clone()));
                    }
                    o.mode = Some(mode.clone());
                }
            }
            "ipvlan" => {
                if let Some(mode) = options.get("ipvlan_mode").filter(|m| !m.is_empty()) {
                    if !matches!(mode.as_str(), "l2" | "l3" | "l3s") {
                        return Err(OptionError::IpvlanMode(mode.clone()));
                    }
                    o.mode = Some(mode.clone());
                }
                match options.get("ipvlan_flag").map(String::as_str) {
                    None | Some("" | "bridge") => {}
                    Some(f @ ("private" | "vepa")) => {
                        return Err(unsupported(
                            "ipvlan_flag",
                            f,
                            "the CNI ipvlan plugin has no flags (bridge only)",
                        ))
                    }
                    Some(f) => return Err(OptionError::IpvlanFlag(f.into())),
                }
            }
            _ => {}
        }
        Ok(o)
    }

    /// One option of a bridge network.
    fn bridge_option(&mut self, key: &str, value: &str) -> Result<(), OptionError> {
        let Some(name) = key.strip_prefix(PREFIX) else {
            return Ok(());
        };
        match name {
            "driver.mtu" => {
                let mtu = go_int(key, value)?;
                if mtu < 0 {
                    return Err(OptionError::Mtu(mtu));
                }
                let mtu = u32::try_from(mtu)
                    .map_err(|_| unsupported(key, value, "larger than any interface's MTU"))?;
                self.mtu = (mtu > 0).then_some(mtu);
            }
            "enable_ipv4" | "enable_ipv6" => {
                go_bool(key, value)?;
            }
            "host_ipv4" | "host_ipv6" => {
                let ip = go_ip(key, value)?;
                if ip.is_ipv6() != (name == "host_ipv6") {
                    return Err(unsupported(key, value, "an address of the other family"));
                }
                match ip {
                    IpAddr::V4(_) => self.host_ipv4 = Some(ip),
                    IpAddr::V6(_) => self.host_ipv6 = Some(ip),
                }
            }
            "container_iface_prefix" if !value.is_empty() => {
                return Err(unsupported(
                    key,
                    value,
                    "berth names a container's interfaces eth0, eth1, ...",
                ))
            }
            _ => {}
        }
        let Some(name) = key.strip_prefix(BRIDGE_PREFIX) else {
            return Ok(());
        };
        match name {
            "enable_ip_masquerade" => self.masquerade = go_bool(key, value)?,
            "enable_icc" => self.icc = go_bool(key, value)?,
            "host_binding_ipv4" => self.host_binding_ip = Some(go_ip(key, value)?),
            "gateway_mode_ipv4" | "gateway_mode_ipv6" => match value {
                "nat" => {}
                "nat-unprotected" | "routed" | "isolated" => {
                    return Err(unsupported(
                        key,
                        value,
                        "berth's bridge networks are NAT only (gateway mode nat)",
                    ))
                }
                _ => {
                    return Err(parse_err(
                        key,
                        value,
                        format!("unknown gateway mode {value}"),
                    ))
                }
            },
            "inhibit_ipv4" if go_bool(key, value)? => {
                return Err(unsupported(
                    key,
                    value,
                    "the bridge plugin always gives the bridge its gateway address",
                ));
            }
            "default_bridge" if go_bool(key, value)? => {
                return Err(unsupported(
                    key,
                    value,
                    "only the daemon's own default network is the default bridge",
                ));
            }
            "trusted_host_interfaces" if !value.is_empty() => {
                return Err(unsupported(
                    key,
                    value,
                    "berth does not open direct routes to container addresses",
                ))
            }
            _ => {}
        }
        Ok(())
    }

    /// The network's `-p` bindings with `host_binding_ipv4` as the host
    /// address of those that give none (moby's `DefaultBindingIP`).
    pub fn bind_defaults(
        &self,
        ports: &[super::ports::PortBinding],
    ) -> Vec<super::ports::PortBinding> {
        ports
            .iter()
            .map(|p| match (&self.host_binding_ip, p.host_ip.is_empty()) {
                (Some(ip), true) => super::ports::PortBinding {
                    host_ip: ip.to_string(),
                    ..p.clone()
                },
                _ => p.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(driver: &str, kv: &[(&str, &str)]) -> Result<DriverOptions, String> {
        let m = kv
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        DriverOptions::parse(driver, &m).map_err(|e| e.to_string())
    }

    #[test]
    fn bridge_options_berth_applies() {
        let o = parse(
            "bridge",
            &[
                ("com.docker.network.driver.mtu", "1400"),
                ("com.docker.network.bridge.enable_ip_masquerade", "false"),
                ("com.docker.network.bridge.enable_icc", "0"),
                ("com.docker.network.bridge.host_binding_ipv4", "127.0.0.1"),
                ("com.docker.network.host_ipv4", "192.0.2.7"),
                ("com.docker.network.bridge.gateway_mode_ipv4", "nat"),
                ("com.docker.network.bridge.inhibit_ipv4", "false"),
                ("com.docker.network.enable_ipv6", "true"),
                ("com.docker.network.bridge.name", "br-x"),
                ("some.unknown.key", "whatever"),
            ],
        )
        .unwrap();
        assert_eq!(o.mtu, Some(1400));
        assert!(!o.masquerade && !o.icc);
        assert_eq!(o.host_binding_ip, Some("127.0.0.1".parse().unwrap()));
        assert_eq!(o.host_ipv4, Some("192.0.2.7".parse().unwrap()));
        assert_eq!(parse("bridge", &[]).unwrap(), DriverOptions::default());
        // The bridge's keys mean nothing to macvlan (moby ignores them).
        let o = parse(
            "macvlan",
            &[
                ("com.docker.network.bridge.enable_icc", "nope"),
                ("macvlan_mode", "vepa"),
            ],
        )
        .unwrap();
        assert_eq!(o.mode.as_deref(), Some("vepa"));
    }

    #[test]
    fn parse_errors_are_mobys() {
        let e = |kv: &[(&str, &str)]| parse("bridge", kv).unwrap_err();
        assert_eq!(
            e(&[("com.docker.network.bridge.enable_icc", "yes")]),
            "failed to parse com.docker.network.bridge.enable_icc value: yes \
             (strconv.ParseBool: parsing \"yes\": invalid syntax)"
        );
        assert_eq!(
            e(&[("com.docker.network.driver.mtu", "15x")]),
            "failed to parse com.docker.network.driver.mtu value: 15x \
             (strconv.Atoi: parsing \"15x\": invalid syntax)"
        );
        assert_eq!(
            e(&[("com.docker.network.driver.mtu", "-1")]),
            "invalid MTU number: -1"
        );
        assert_eq!(
            e(&[("com.docker.network.bridge.host_binding_ipv4", "localhost")]),
            "failed to parse com.docker.network.bridge.host_binding_ipv4 value: localhost (nil ip)"
        );
        assert_eq!(
            e(&[("com.docker.network.bridge.gateway_mode_ipv6", "bogus")]),
            "failed to parse com.docker.network.bridge.gateway_mode_ipv6 value: bogus \
             (unknown gateway mode bogus)"
        );
        assert_eq!(
            parse("ipvlan", &[("ipvlan_mode", "l4")]).unwrap_err(),
            "requested ipvlan mode 'l4' is not valid, 'l2' mode is the ipvlan driver default"
        );
        assert_eq!(
            parse("macvlan", &[("macvlan_mode", "x")]).unwrap_err(),
            "requested macvlan mode 'x' is not valid, 'bridge' mode is the macvlan driver default"
        );
    }

    #[test]
    fn options_berth_cannot_apply_are_refused_by_name() {
        for (k, v) in [
            ("com.docker.network.bridge.inhibit_ipv4", "true"),
            ("com.docker.network.bridge.default_bridge", "1"),
            ("com.docker.network.bridge.gateway_mode_ipv4", "routed"),
            ("com.docker.network.bridge.trusted_host_interfaces", "eth0"),
            ("com.docker.network.container_iface_prefix", "en"),
        ] {
            let e = parse("bridge", &[(k, v)]).unwrap_err();
            assert!(
                e.starts_with(&format!("network option {k}={v} is not supported: ")),
                "{e}"
            );
        }
        let e = parse("ipvlan", &[("ipvlan_flag", "private")]).unwrap_err();
        assert!(e.starts_with("network option ipvlan_flag=private is not supported"));
    }

    #[test]
    fn host_binding_fills_in_bindings_without_an_address() {
        let o = parse(
            "bridge",
            &[("com.docker.network.bridge.host_binding_ipv4", "127.0.0.1")],
        )
        .unwrap();
        let mut ports = crate::network::ports::parse_publish("8080:80").unwrap();
        ports.extend(crate::network::ports::parse_publish("192.0.2.1:8081:81").unwrap());
        let got = o.bind_defaults(&ports);
        assert_eq!(got[0].host_ip, "127.0.0.1");
        assert_eq!(got[1].host_ip, "192.0.2.1");
        assert_eq!(DriverOptions::default().bind_defaults(&ports), ports);
    }
}
