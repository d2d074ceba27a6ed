//! The resolved model written out as `docker compose config` writes it:
//! YAML in block style with two-space indents (sequences indented under
//! their key, as yaml.v3 does), strings quoted only where a plain scalar
//! would read as something else, the top level in compose's order (`name`,
//! `services`, `networks`, `volumes`, `secrets`, `configs`, extensions),
//! everything below in key order; or the same as indented JSON. Also the
//! per-service config hash.

use super::yaml::{format_float, Node, Value};
use sha2::{Digest, Sha256};

const TOP_ORDER: [&str; 7] = [
    "name", "services", "networks", "volumes", "secrets", "configs", "models",
];

/// The top-level keys in compose's order, extensions last.
fn top_entries(model: &Node) -> Vec<(&String, &Node)> {
    let Some(m) = model.as_map() else {
        return Vec::new();
    };
    let mut out: Vec<(&String, &Node)> = TOP_ORDER
        .iter()
        .filter_map(|k| m.get_key_value(*k))
        .collect();
    out.extend(m.iter().filter(|(k, _)| !TOP_ORDER.contains(&k.as_str())));
    out
}

pub fn to_yaml(model: &Node) -> String {
    let mut out = String::new();
    for (k, v) in top_entries(model) {
        entry(&mut out, 0, k, v);
    }
    out
}

pub fn to_json(model: &Node) -> String {
    let mut obj = serde_json::Map::new();
    for (k, v) in top_entries(model) {
        obj.insert(k.clone(), v.to_json());
    }
    serde_json::to_string_pretty(&serde_json::Value::Object(obj)).unwrap_or_default()
}

fn is_empty_collection(n: &Node) -> bool {
    match &n.value {
        Value::Map(m) => m.is_empty(),
        Value::Seq(s) => s.is_empty(),
        _ => false,
    }
}

fn entry(out: &mut String, indent: usize, key: &str, v: &Node) {
    out.push_str(&" ".repeat(indent));
    out.push_str(&scalar_str(key));
    out.push(':');
    match &v.value {
        Value::Map(_) | Value::Seq(_) if !is_empty_collection(v) => {
            out.push('\n');
            block(out, indent + 2, v);
        }
        _ => {
            out.push(' ');
            out.push_str(&inline(v));
            out.push('\n');
        }
    }
}

fn block(out: &mut String, indent: usize, v: &Node) {
    match &v.value {
        Value::Map(m) => {
            for (k, child) in m {
                entry(out, indent, k, child);
            }
        }
        Value::Seq(items) => {
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                match &item.value {
                    Value::Map(m) if !m.is_empty() => {
                        let mut first = true;
                        for (k, child) in m {
                            if first {
                                // The first key goes on the dash's line.
                                let mut s = String::new();
                                entry(&mut s, 0, k, child);
                                let s = reindent(&s, indent + 2);
                                out.push_str(&s);
                                first = false;
                            } else {
                                entry(out, indent + 2, k, child);
                            }
                        }
                    }
                    Value::Seq(s) if !s.is_empty() => {
                        out.push('\n');
                        block(out, indent + 2, item);
                    }
                    _ => {
                        out.push_str(&inline(item));
                        out.push('\n');
                    }
                }
            }
        }
        _ => {
            out.push_str(&" ".repeat(indent));
            out.push_str(&inline(v));
            out.push('\n');
        }
    }
}

/// Continuation lines of an entry rendered at indent 0, moved to `indent`.
fn reindent(s: &str, indent: usize) -> String {
    let mut out = String::new();
    for (i, line) in s.lines().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn inline(v: &Node) -> String {
    match &v.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(*f),
        Value::Str(s) => scalar_str(s),
        Value::Map(_) => "{}".into(),
        Value::Seq(_) => "[]".into(),
    }
}

/// Would a plain scalar with this text read back as something other than
/// this string?
fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    let lower = s.to_lowercase();
    if matches!(
        lower.as_str(),
        "null"
            | "~"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
    ) {
        return true;
    }
    let numeric = s.parse::<f64>().is_ok()
        || s.starts_with("0x")
        || s.starts_with("0o")
        || (s.contains(':')
            && s.split(':')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())));
    if numeric {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    let risky_dash = s == "-" || s.starts_with("- ") || s.starts_with("---");
    if first == '-' {
        if risky_dash {
            return true;
        }
    } else if "?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.chars().any(|c| c.is_control())
}

fn scalar_str(s: &str) -> String {
    if !needs_quotes(s) {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The version of what `service_hash` hashes: bump it when the normalised
/// model changes shape, so a berth upgrade does not recreate every
/// container by itself.
pub const HASH_SCHEMA: &str = "berth-compose-service/1";

/// A stable hash of a resolved service's configuration, for deciding
/// whether its containers must be recreated: keys that do not change a
/// container (`build`, `pull_policy`, `scale`, `deploy.replicas`,
/// `profiles`, `depends_on`'s `restart` hint... as compose-go leaves them
/// out) are removed first; JSON with sorted keys is hashed with SHA-256.
pub fn service_hash(service: &Node) -> String {
    let mut h = Sha256::new();
    h.update(HASH_SCHEMA.as_bytes());
    h.update(b"\n");
    h.update(hashed_form(service).to_json().to_string().as_bytes());
    hex::encode(h.finalize())
}

/// The service as it is hashed: without the keys that do not change a
/// container.
fn hashed_form(service: &Node) -> Node {
    let mut s = service.clone();
    if let Some(m) = s.as_map_mut() {
        for k in ["build", "pull_policy", "scale", "profiles"] {
            m.remove(k);
        }
        if let Some(d) = m.get_mut("deploy").and_then(Node::as_map_mut) {
            d.remove("replicas");
        }
    }
    s
}

/// A short hash of each top-level key of the hashed form, as
/// `key=hash,...`: stored with the container so a recreate can name the
/// keys that changed.
pub fn key_hashes(service: &Node) -> String {
    let form = hashed_form(service);
    let Some(m) = form.as_map() else {
        return String::new();
    };
    m.iter()
        .map(|(k, v)| {
            let d = Sha256::digest(v.to_json().to_string().as_bytes());
            format!("{k}={}", &hex::encode(d)[..8])
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The keys whose hashes differ between two [`key_hashes`] values (added
/// and removed keys included), sorted.
pub fn changed_keys(old: &str, new: &str) -> Vec<String> {
    let parse = |s: &str| -> std::collections::BTreeMap<String, String> {
        s.split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let (a, b) = (parse(old), parse(new));
    let mut keys: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::super::yaml::parse;
    use super::*;

    #[test]
    fn yaml_output_reads_back_the_same() {
        let text = "\
name: p
services:
  web:
    command: [echo, \"a: b\", \"\", \"1\", \"true\", \"-x\", \"- y\", \"#c\", 'it''s']
    environment: {A: \"1\", B: null, C: \"line1\\nline2\", D: \"x #y\"}
    ports:
      - mode: ingress
        target: 80
        published: \"8080\"
    volumes: []
    labels: {}
    healthcheck: {test: [[a]]}
x-ext: {k: v}
networks:
  default: {name: p_default}
";
        let model = parse("c.yaml", text).unwrap();
        let y = to_yaml(&model);
        assert!(y.starts_with("name: p\nservices:\n"), "{y}");
        assert!(y.contains("    ports:\n      - mode: ingress\n        published: \"8080\"\n        target: 80\n"), "{y}");
        assert!(y.ends_with("x-ext:\n  k: v\n"), "{y}");
        assert!(
            y.contains("    volumes: []\n") && y.contains("    labels: {}\n"),
            "{y}"
        );
        let back = parse("back.yaml", &y).unwrap();
        assert_eq!(back.to_json(), model.to_json(), "{y}");
        let j: serde_json::Value = serde_json::from_str(&to_json(&model)).unwrap();
        assert_eq!(j, model.to_json());
    }

    #[test]
    fn hashes_ignore_scale_and_are_stable() {
        let a = parse("a", "image: x\nscale: 2\nenvironment: {A: '1'}\n").unwrap();
        let b = parse("b", "environment: {A: '1'}\nimage: x\n").unwrap();
        let c = parse("c", "image: x\nenvironment: {A: '2'}\n").unwrap();
        assert_eq!(service_hash(&a), service_hash(&b));
        assert_ne!(service_hash(&a), service_hash(&c));
        assert_eq!(service_hash(&b).len(), 64);
        assert_eq!(
            changed_keys(&key_hashes(&a), &key_hashes(&c)),
            ["environment"]
        );
        assert!(changed_keys(&key_hashes(&a), &key_hashes(&b)).is_empty());
        let d = parse("d", "image: x\nuser: nobody\n").unwrap();
        assert_eq!(
            changed_keys(&key_hashes(&c), &key_hashes(&d)),
            ["environment", "user"]
        );
    }
}
