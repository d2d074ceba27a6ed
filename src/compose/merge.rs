//! Merging a later compose file (or an `extends` child) over what came
//! before, by the compose-spec merge rules (13-merge.md, compose-go's
//! `override` package): mappings merge key by key, sequences append,
//! `command`, `entrypoint` and `healthcheck.test` replace, a `logging` with
//! another driver replaces, and sequences whose entries have an identity
//! (ports, volumes by target, secrets and configs by target, `cap_add`,
//! `dns`, `expose`, `env_file` by path, ...) keep one entry per identity, the
//! later one in the earlier one's place. `!reset` drops the earlier value
//! (and the tagged one); `!override` replaces it whole. Both trees are
//! already canonical (`canonical.rs`), so maps are maps here.

use super::yaml::{Map, Node, Tag, Value};

fn matches(path: &[String], pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('.').collect();
    parts.len() == path.len() && parts.iter().zip(path).all(|(p, k)| *p == "*" || p == k)
}

fn any_match(path: &[String], patterns: &[&str]) -> bool {
    patterns.iter().any(|p| matches(path, p))
}

const REPLACE: &[&str] = &[
    "services.*.command",
    "services.*.entrypoint",
    "services.*.healthcheck.test",
    "services.*.ulimits.*",
];

/// Takes the `!reset` / `!override` tags out of a file's tree: `!reset`
/// nodes are removed; both kinds' paths are returned so the same paths are
/// removed from what the file merges over.
pub fn take_resets(node: &mut Node, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match &mut node.value {
        Value::Map(m) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                path.push(k.clone());
                let child = m.get_mut(&k).expect("key listed above");
                match child.tag {
                    Tag::Reset => {
                        out.push(path.clone());
                        m.remove(&k);
                    }
                    Tag::Override => {
                        out.push(path.clone());
                        child.tag = Tag::None;
                    }
                    Tag::None => take_resets(child, path, out),
                }
                path.pop();
            }
        }
        Value::Seq(items) => {
            for i in items.iter_mut() {
                path.push("[]".into());
                take_resets(i, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Removes `path` from `node`, if it is there.
pub fn remove_path(node: &mut Node, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = node;
    for p in parents {
        match cur.as_map_mut().and_then(|m| m.get_mut(p)) {
            Some(next) => cur = next,
            None => return,
        }
    }
    if let Some(m) = cur.as_map_mut() {
        m.remove(last);
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot override {0}")]
pub struct MergeError(pub String);

/// Merges `over` into `base` (both top-level trees or service mappings,
/// `path` says which).
pub fn merge(base: &mut Node, over: Node, path: &mut Vec<String>) -> Result<(), MergeError> {
    if any_match(path, REPLACE) {
        *base = over;
        return Ok(());
    }
    if matches(path, "services.*.logging") {
        let driver = |n: &Node| {
            n.as_map()
                .and_then(|m| m.get("driver"))
                .map(|d| d.value.clone())
        };
        if let (Some(a), Some(b)) = (driver(base), driver(&over)) {
            if a != b {
                *base = over;
                return Ok(());
            }
        }
    }
    if over.is_null() {
        return Ok(());
    }
    match (&mut base.value, over.value) {
        (Value::Map(bm), Value::Map(om)) => {
            for (k, v) in om {
                path.push(k.clone());
                match bm.get_mut(&k) {
                    Some(existing) if !existing.is_null() => merge(existing, v, path)?,
                    _ => {
                        bm.insert(k, v);
                    }
                }
                path.pop();
            }
        }
        (Value::Seq(bs), Value::Seq(os)) => {
            if matches(path, "networks.*.ipam.config") {
                for o in os {
                    let subnet = o
                        .as_map()
                        .and_then(|m| m.get("subnet"))
                        .map(|s| s.value.clone());
                    match bs.iter_mut().find(|b| {
                        b.as_map()
                            .and_then(|m| m.get("subnet"))
                            .map(|s| s.value.clone())
                            == subnet
                    }) {
                        Some(b) => merge(b, o, &mut path.clone())?,
                        None => bs.push(o),
                    }
                }
            } else {
                bs.extend(os);
            }
        }
        (Value::Map(_), _) | (Value::Seq(_), _) => return Err(MergeError(path.join("."))),
        (_, value) => {
            *base = Node {
                value,
                tag: over.tag,
                line: over.line,
            };
        }
    }
    Ok(())
}

/// The identity of an entry of a sequence that keeps one entry per
/// identity, or `None` for sequences that simply append.
fn identity(path: &[String], entry: &Node) -> Option<String> {
    let text = || entry.scalar_text().unwrap_or_default();
    let field = |k: &str| {
        entry
            .as_map()
            .and_then(|m| m.get(k))
            .and_then(Node::scalar_text)
    };
    if any_match(
        path,
        &[
            "services.*.cap_add",
            "services.*.cap_drop",
            "services.*.dns",
            "services.*.dns_opt",
            "services.*.dns_search",
            "services.*.links",
            "services.*.networks.*.aliases",
            "services.*.networks.*.link_local_ips",
            "services.*.profiles",
            "services.*.tmpfs",
            "services.*.build.tags",
            "services.*.build.platforms",
        ],
    ) {
        let t = text();
        return Some(t.split_once('=').map_or(t.clone(), |(k, _)| k.to_string()));
    }
    if any_match(path, &["services.*.expose", "services.*.extra_hosts"]) {
        return Some(text());
    }
    if any_match(
        path,
        &[
            "services.*.volumes",
            "services.*.devices",
            "services.*.configs",
        ],
    ) {
        return field("target").or_else(|| field("source").map(|s| format!("/{s}")));
    }
    if matches(path, "services.*.secrets") {
        return field("target").or_else(|| field("source").map(|s| format!("/run/secrets/{s}")));
    }
    if matches(path, "services.*.env_file") {
        return field("path");
    }
    if matches(path, "services.*.ports") {
        return Some(format!(
            "{}:{}:{}/{}",
            field("host_ip").unwrap_or_else(|| "0.0.0.0".into()),
            field("published").unwrap_or_default(),
            field("target").unwrap_or_default(),
            field("protocol").unwrap_or_else(|| "tcp".into())
        ));
    }
    None
}

/// compose-go's `EnforceUnicity`: one entry per identity, the later entry
/// in the first one's place.
pub fn enforce_unicity(node: &mut Node, path: &mut Vec<String>) {
    match &mut node.value {
        Value::Map(m) => {
            for (k, v) in m.iter_mut() {
                path.push(k.clone());
                enforce_unicity(v, path);
                path.pop();
            }
        }
        Value::Seq(items) => {
            if items.first().is_some_and(|e| identity(path, e).is_some()) {
                let mut out: Vec<Node> = Vec::new();
                let mut seen: Vec<String> = Vec::new();
                for e in std::mem::take(items) {
                    let key = identity(path, &e).unwrap_or_default();
                    match seen.iter().position(|s| *s == key) {
                        Some(i) => out[i] = e,
                        None => {
                            seen.push(key);
                            out.push(e);
                        }
                    }
                }
                *items = out;
            }
            for i in items.iter_mut() {
                path.push("[]".into());
                enforce_unicity(i, path);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Merges one file's canonical tree over the accumulated one: resets and
/// overrides first, then the merge, then unicity.
pub fn merge_file(acc: &mut Node, mut file: Node) -> Result<(), MergeError> {
    let mut resets = Vec::new();
    take_resets(&mut file, &mut Vec::new(), &mut resets);
    for r in &resets {
        remove_path(acc, r);
    }
    merge(acc, file, &mut Vec::new())?;
    enforce_unicity(acc, &mut Vec::new());
    Ok(())
}

/// An empty top-level tree.
pub fn empty() -> Node {
    Node::map(Map::new())
}

#[cfg(test)]
mod tests {
    use super::super::{canonical::canonical, yaml::parse};
    use super::*;
    use serde_json::json;

    fn load(files: &[&str]) -> serde_json::Value {
        let mut acc = empty();
        for (i, text) in files.iter().enumerate() {
            let mut t = parse(&format!("f{i}.yaml"), text).unwrap();
            canonical(&mut t).unwrap();
            merge_file(&mut acc, t).unwrap();
        }
        acc.to_json()
    }

    #[test]
    fn override_files_merge_by_the_spec() {
        let base = "\
services:
  web:
    image: nginx
    command: [a, b]
    environment: {A: '1', B: '2'}
    ports: ['8080:80', '9090:90']
    volumes: ['data:/data', './x:/x']
    cap_add: [NET_ADMIN]
    dns: [1.1.1.1]
    labels: [x=1]
    logging: {driver: json-file, options: {max-size: 1m}}
    healthcheck: {test: [CMD, a], interval: 5s}
    depends_on: [db]
";
        let over = "\
services:
  web:
    image: nginx:2
    command: [c]
    environment: [B=3, C=4]
    ports: ['8080:80', '7070:70']
    volumes: ['other:/data']
    cap_add: [NET_ADMIN, SYS_TIME]
    dns: 8.8.8.8
    labels: {y: '2'}
    logging: {driver: syslog}
    healthcheck: {test: [CMD, b]}
    depends_on: {cache: {condition: service_healthy}}
";
        let j = load(&[base, over]);
        let w = &j["services"]["web"];
        assert_eq!(w["image"], "nginx:2");
        assert_eq!(w["command"], json!(["c"]));
        assert_eq!(w["environment"], json!({"A": "1", "B": "3", "C": "4"}));
        let published: Vec<_> = w["ports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["published"].clone())
            .collect();
        assert_eq!(published, vec![json!("8080"), json!("9090"), json!("7070")]);
        assert_eq!(w["volumes"][0]["source"], "other");
        assert_eq!(w["volumes"].as_array().unwrap().len(), 2);
        assert_eq!(w["cap_add"], json!(["NET_ADMIN", "SYS_TIME"]));
        assert_eq!(w["dns"], json!(["1.1.1.1", "8.8.8.8"]));
        assert_eq!(w["labels"], json!({"x": "1", "y": "2"}));
        assert_eq!(w["logging"], json!({"driver": "syslog"}));
        assert_eq!(
            w["healthcheck"],
            json!({"test": ["CMD", "b"], "interval": "5s"})
        );
        assert_eq!(w["depends_on"]["db"]["condition"], "service_started");
        assert_eq!(w["depends_on"]["cache"]["condition"], "service_healthy");
    }

    #[test]
    fn reset_and_override_tags() {
        let base = "\
services:
  web:
    image: nginx
    ports: ['8080:80']
    environment: {A: '1', B: '2'}
    volumes: ['data:/data']
    labels: {keep: 'yes'}
";
        let over = "\
services:
  web:
    ports: !reset []
    environment: !override {C: '3'}
    volumes: !reset null
    labels: {more: 'yes'}
";
        let j = load(&[base, over]);
        let w = &j["services"]["web"];
        assert!(w.get("ports").is_none(), "{w}");
        assert!(w.get("volumes").is_none(), "{w}");
        assert_eq!(w["environment"], json!({"C": "3"}));
        assert_eq!(w["labels"], json!({"keep": "yes", "more": "yes"}));
        // A reset of a whole service.
        let j = load(&[
            "services:\n  a: {image: x}\n  b: {image: y}\n",
            "services:\n  b: !reset\n",
        ]);
        assert!(j["services"].get("b").is_none(), "{j}");
    }

    #[test]
    fn mismatched_types_cannot_override() {
        let mut acc = empty();
        let mut a = parse("a", "services:\n  web:\n    cap_add: [A]\n").unwrap();
        canonical(&mut a).unwrap();
        merge_file(&mut acc, a).unwrap();
        let mut b = parse("b", "services:\n  web:\n    cap_add: {x: 1}\n").unwrap();
        canonical(&mut b).unwrap();
        assert_eq!(
            merge_file(&mut acc, b).unwrap_err().to_string(),
            "cannot override services.web.cap_add"
        );
    }
}
