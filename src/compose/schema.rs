//! The shape a compose file must have (the compose-spec JSON schema's keys
//! and value kinds for the top level, services, networks, volumes, secrets
//! and configs), checked on each file after interpolation, as compose-go
//! validates before it merges. An unknown key or a value of the wrong kind
//! is an error naming the file, line and key path, in the schema
//! validator's words (`additional properties 'x' not allowed`, `must be a
//! string`). `x-*` keys are extensions and always allowed.

use super::yaml::{Node, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Str,
    Bool,
    Int,
    Num,
    Seq,
    Map,
    StrOrSeq,
    SeqOrMap,
    StrOrMap,
    StrOrNull,
    Any,
}

impl Kind {
    fn accepts(self, n: &Node) -> bool {
        use Value as V;
        // Interpolation casts leave strings where numbers or booleans are
        // allowed, as the schema's `["boolean", "string"]` forms do.
        matches!(
            (self, &n.value),
            (Kind::Any, _)
                | (Kind::Str, V::Str(_) | V::Int(_) | V::Float(_))
                | (Kind::Bool, V::Bool(_) | V::Str(_))
                | (Kind::Int, V::Int(_) | V::Str(_))
                | (Kind::Num, V::Int(_) | V::Float(_) | V::Str(_))
                | (Kind::Seq, V::Seq(_))
                | (Kind::Map, V::Map(_))
                | (Kind::StrOrSeq, V::Str(_) | V::Seq(_))
                | (Kind::SeqOrMap, V::Seq(_) | V::Map(_))
                | (Kind::StrOrMap, V::Str(_) | V::Map(_))
                | (Kind::StrOrNull, V::Str(_) | V::Null)
        )
    }
    fn describe(self) -> &'static str {
        match self {
            Kind::Str => "must be a string",
            Kind::Bool => "must be a boolean",
            Kind::Int => "must be a integer",
            Kind::Num => "must be a number",
            Kind::Seq => "must be a array",
            Kind::Map => "must be a mapping",
            Kind::StrOrSeq => "must be a string or a array",
            Kind::SeqOrMap => "must be a array or a mapping",
            Kind::StrOrMap => "must be a string or a mapping",
            Kind::StrOrNull => "must be a string or null",
            Kind::Any => "",
        }
    }
}

use Kind::*;

const TOP: &[(&str, Kind)] = &[
    ("configs", Map),
    ("include", Seq),
    ("models", Map),
    ("name", Str),
    ("networks", Map),
    ("secrets", Map),
    ("services", Map),
    ("version", Str),
    ("volumes", Map),
];

const SERVICE: &[(&str, Kind)] = &[
    ("annotations", SeqOrMap),
    ("attach", Bool),
    ("blkio_config", Map),
    ("build", StrOrMap),
    ("cap_add", Seq),
    ("cap_drop", Seq),
    ("cgroup", Str),
    ("cgroup_parent", Str),
    ("command", Any),
    ("configs", Seq),
    ("container_name", Str),
    ("cpu_count", Int),
    ("cpu_percent", Num),
    ("cpu_period", Num),
    ("cpu_quota", Num),
    ("cpu_rt_period", Num),
    ("cpu_rt_runtime", Num),
    ("cpu_shares", Num),
    ("cpus", Num),
    ("cpuset", Str),
    ("credential_spec", Map),
    ("depends_on", SeqOrMap),
    ("deploy", Map),
    ("develop", Map),
    ("device_cgroup_rules", Seq),
    ("devices", Seq),
    ("dns", StrOrSeq),
    ("dns_opt", Seq),
    ("dns_search", StrOrSeq),
    ("domainname", Str),
    ("entrypoint", Any),
    ("env_file", StrOrSeq),
    ("environment", SeqOrMap),
    ("expose", Seq),
    ("extends", StrOrMap),
    ("external_links", Seq),
    ("extra_hosts", SeqOrMap),
    ("gpus", Any),
    ("group_add", Seq),
    ("healthcheck", Map),
    ("hostname", Str),
    ("image", Str),
    ("init", Bool),
    ("ipc", Str),
    ("isolation", Str),
    ("label_file", StrOrSeq),
    ("labels", SeqOrMap),
    ("links", Seq),
    ("logging", Map),
    ("mac_address", Str),
    ("mem_limit", Num),
    ("mem_reservation", Num),
    ("mem_swappiness", Int),
    ("memswap_limit", Num),
    ("models", SeqOrMap),
    ("network_mode", Str),
    ("networks", SeqOrMap),
    ("oom_kill_disable", Bool),
    ("oom_score_adj", Int),
    ("pid", StrOrNull),
    ("pids_limit", Num),
    ("platform", Str),
    ("ports", Seq),
    ("post_start", Seq),
    ("pre_start", Seq),
    ("pre_stop", Seq),
    ("privileged", Bool),
    ("profiles", Seq),
    ("provider", Map),
    ("pull_policy", Str),
    ("pull_refresh_after", Str),
    ("read_only", Bool),
    ("restart", Str),
    ("runtime", Str),
    ("scale", Int),
    ("secrets", Seq),
    ("security_opt", Seq),
    ("shm_size", Num),
    ("stdin_open", Bool),
    ("stop_grace_period", Str),
    ("stop_signal", Str),
    ("storage_opt", Map),
    ("sysctls", SeqOrMap),
    ("tmpfs", StrOrSeq),
    ("tty", Bool),
    ("ulimits", Map),
    ("use_api_socket", Bool),
    ("user", Str),
    ("userns_mode", Str),
    ("uts", Str),
    ("volumes", Seq),
    ("volumes_from", Seq),
    ("working_dir", Str),
];

const HEALTHCHECK: &[(&str, Kind)] = &[
    ("disable", Bool),
    ("interval", Str),
    ("retries", Num),
    ("start_interval", Str),
    ("start_period", Str),
    ("test", StrOrSeq),
    ("timeout", Str),
];

const NETWORK: &[(&str, Kind)] = &[
    ("attachable", Bool),
    ("driver", Str),
    ("driver_opts", Map),
    ("enable_ipv4", Bool),
    ("enable_ipv6", Bool),
    ("external", Any),
    ("internal", Bool),
    ("ipam", Map),
    ("labels", SeqOrMap),
    ("name", Str),
];

const VOLUME: &[(&str, Kind)] = &[
    ("driver", Str),
    ("driver_opts", Map),
    ("external", Any),
    ("labels", SeqOrMap),
    ("name", Str),
];

const SECRET: &[(&str, Kind)] = &[
    ("driver", Str),
    ("driver_opts", Map),
    ("environment", Str),
    ("external", Any),
    ("file", Str),
    ("labels", SeqOrMap),
    ("name", Str),
    ("template_driver", Str),
];

const CONFIG: &[(&str, Kind)] = &[
    ("content", Str),
    ("environment", Str),
    ("external", Any),
    ("file", Str),
    ("labels", SeqOrMap),
    ("name", Str),
    ("template_driver", Str),
];

/// A schema violation: where, and what.
#[derive(Debug, thiserror::Error)]
#[error("validating {file}:{line}: {message}")]
pub struct SchemaError {
    pub file: String,
    pub line: u32,
    pub message: String,
}

fn check_map(
    file: &str,
    node: &Node,
    path: &str,
    keys: &[(&str, Kind)],
) -> Result<(), SchemaError> {
    let Some(m) = node.as_map() else {
        return Ok(());
    };
    for (k, v) in m {
        if k.starts_with("x-") {
            continue;
        }
        let Some((_, kind)) = keys.iter().find(|(name, _)| name == k) else {
            let at = if path.is_empty() {
                "(root)".to_string()
            } else {
                path.to_string()
            };
            return Err(SchemaError {
                file: file.to_string(),
                line: v.line.max(node.line),
                message: format!("{at} additional properties '{k}' not allowed"),
            });
        };
        if !(kind.accepts(v) || v.is_null() && path.is_empty()) {
            let full = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            return Err(SchemaError {
                file: file.to_string(),
                line: v.line.max(node.line),
                message: format!("{full} {}", kind.describe()),
            });
        }
    }
    Ok(())
}

/// Checks one file's tree.
pub fn validate(file: &str, root: &Node) -> Result<(), SchemaError> {
    check_map(file, root, "", TOP)?;
    let Some(top) = root.as_map() else {
        return Ok(());
    };
    for (kind, keys) in [
        ("networks", NETWORK),
        ("volumes", VOLUME),
        ("secrets", SECRET),
        ("configs", CONFIG),
    ] {
        if let Some(m) = top.get(kind).and_then(Node::as_map) {
            for (name, r) in m {
                if r.is_null() {
                    continue;
                }
                if r.as_map().is_none() {
                    return Err(SchemaError {
                        file: file.into(),
                        line: r.line,
                        message: format!("{kind}.{name} must be a mapping or null"),
                    });
                }
                check_map(file, r, &format!("{kind}.{name}"), keys)?;
            }
        }
    }
    if let Some(services) = top.get("services").and_then(Node::as_map) {
        for (name, svc) in services {
            if svc.is_null() {
                continue;
            }
            if svc.as_map().is_none() {
                return Err(SchemaError {
                    file: file.into(),
                    line: svc.line,
                    message: format!("services.{name} must be a mapping"),
                });
            }
            let path = format!("services.{name}");
            check_map(file, svc, &path, SERVICE)?;
            if let Some(hc) = svc.as_map().and_then(|m| m.get("healthcheck")) {
                check_map(file, hc, &format!("{path}.healthcheck"), HEALTHCHECK)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::yaml::parse;
    use super::*;

    fn check(text: &str) -> Result<(), String> {
        validate("c.yaml", &parse("c.yaml", text).unwrap()).map_err(|e| e.to_string())
    }

    #[test]
    fn unknown_keys_and_wrong_kinds_are_named() {
        assert_eq!(
            check("services:\n  web:\n    image: x\n    x-mine: 1\nx-top: 2\n"),
            Ok(())
        );
        assert_eq!(
            check("services:\n  web:\n    image: x\n    imagee: y\n"),
            Err(
                "validating c.yaml:4: services.web additional properties 'imagee' not allowed"
                    .into()
            )
        );
        assert_eq!(
            check("services:\n  web:\n    image: [a]\n"),
            Err("validating c.yaml:3: services.web.image must be a string".into())
        );
        assert_eq!(
            check("servics: {}\n"),
            Err("validating c.yaml:1: (root) additional properties 'servics' not allowed".into())
        );
        assert_eq!(
            check("services:\n  web:\n    healthcheck: {tst: x}\n"),
            Err("validating c.yaml:3: services.web.healthcheck additional properties 'tst' not allowed".into())
        );
        assert_eq!(
            check("volumes:\n  data:\n    drivr: local\n"),
            Err(
                "validating c.yaml:3: volumes.data additional properties 'drivr' not allowed"
                    .into()
            )
        );
        assert!(check("services:\n  web: 3\n").is_err());
    }
}
