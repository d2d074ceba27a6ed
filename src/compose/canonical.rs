//! Short syntax turned into the long form `docker compose config` prints
//! (compose-go's `transform` and `SetDefaultValues`): ports and volumes as
//! mappings, `depends_on` and `networks` lists as maps, environment and
//! label lists as maps, `build: DIR` as `{context: DIR}`, string commands
//! split like a shell, `env_file` entries with `required`, secrets with
//! their `/run/secrets/NAME` target. Runs on each file before merging, so
//! override files merge entries by their keys.

use super::yaml::{Map, Node, Value};

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CanonicalError {
    pub path: String,
    pub message: String,
}

fn err(path: impl Into<String>, message: impl Into<String>) -> CanonicalError {
    CanonicalError {
        path: path.into(),
        message: message.into(),
    }
}

fn s(v: &str) -> Node {
    Node::str(v)
}

fn b(v: bool) -> Node {
    Node::new(Value::Bool(v))
}

fn int(v: i64) -> Node {
    Node::new(Value::Int(v))
}

/// Canonicalises a whole file tree in place.
pub fn canonical(root: &mut Node) -> Result<(), CanonicalError> {
    let Some(top) = root.as_map_mut() else {
        return Ok(());
    };
    if let Some(services) = top.get_mut("services").and_then(Node::as_map_mut) {
        for (name, svc) in services.iter_mut() {
            if svc.is_null() {
                svc.value = Value::Map(Map::new());
            }
            let path = format!("services.{name}");
            let Some(m) = svc.as_map_mut() else {
                return Err(err(
                    path,
                    format!("invalid type {} for service", svc.kind()),
                ));
            };
            service(m, &path)?;
        }
    }
    for kind in ["networks", "volumes", "secrets", "configs"] {
        if let Some(res) = top.get_mut(kind).and_then(Node::as_map_mut) {
            for (key, r) in res.iter_mut() {
                external(r, &format!("{kind}.{key}"))?;
            }
        }
    }
    Ok(())
}

/// `external: {name: x}` (deprecated) becomes `external: true` + `name`.
fn external(r: &mut Node, path: &str) -> Result<(), CanonicalError> {
    let Some(m) = r.as_map_mut() else {
        return Ok(());
    };
    if let Some(ext) = m.get("external").and_then(Node::as_map).cloned() {
        m.insert("external".into(), b(true));
        if let Some(extname) = ext.get("name") {
            match m.get("name") {
                Some(n) if n.value != extname.value => {
                    return Err(err(path, "name and external.name conflict; only use name"))
                }
                _ => {
                    m.insert("name".into(), extname.clone());
                }
            }
        }
    }
    Ok(())
}

fn service(m: &mut Map, path: &str) -> Result<(), CanonicalError> {
    for key in ["command", "entrypoint"] {
        if let Some(n) = m.get_mut(key) {
            if let Some(text) = n.as_str() {
                let words = shell_split(text).map_err(|e| err(format!("{path}.{key}"), e))?;
                *n = Node {
                    value: Value::Seq(words.into_iter().map(Node::str).collect()),
                    ..n.clone()
                };
            }
        }
    }
    if let Some(test) = m
        .get_mut("healthcheck")
        .and_then(Node::as_map_mut)
        .and_then(|h| h.get_mut("test"))
    {
        if let Some(text) = test.as_str() {
            *test = Node {
                value: Value::Seq(vec![s("CMD-SHELL"), s(text)]),
                ..test.clone()
            };
        }
    }
    if let Some(build) = m.get_mut("build") {
        if let Some(ctx) = build.as_str() {
            let mut bm = Map::new();
            bm.insert("context".into(), s(ctx));
            *build = Node {
                value: Value::Map(bm),
                ..build.clone()
            };
        }
        if let Some(bm) = build.as_map_mut() {
            for k in ["args", "labels", "additional_contexts"] {
                if let Some(n) = bm.get_mut(k) {
                    key_values(n, &format!("{path}.build.{k}"))?;
                }
            }
        }
    }
    for key in ["environment", "labels", "annotations", "sysctls"] {
        if let Some(n) = m.get_mut(key) {
            key_values(n, &format!("{path}.{key}"))?;
        }
    }
    if let Some(n) = m.get_mut("depends_on") {
        depends_on(n, &format!("{path}.depends_on"))?;
    }
    if let Some(n) = m.get_mut("networks") {
        if let Some(list) = n.as_seq() {
            let mut nm = Map::new();
            for item in list {
                let name = item
                    .scalar_text()
                    .ok_or_else(|| err(format!("{path}.networks"), "invalid network entry"))?;
                nm.insert(name, Node::new(Value::Null));
            }
            *n = Node {
                value: Value::Map(nm),
                ..n.clone()
            };
        }
    }
    for key in ["dns", "dns_search", "tmpfs", "label_file"] {
        if let Some(n) = m.get_mut(key) {
            if let Some(one) = n.as_str() {
                *n = Node {
                    value: Value::Seq(vec![s(one)]),
                    ..n.clone()
                };
            }
        }
    }
    if let Some(n) = m.get_mut("env_file") {
        env_file(n, &format!("{path}.env_file"))?;
    }
    if let Some(n) = m.get_mut("ports") {
        ports(n, &format!("{path}.ports"))?;
    }
    if let Some(n) = m.get_mut("expose") {
        if let Value::Seq(items) = &mut n.value {
            for i in items.iter_mut() {
                if let Some(t) = i.scalar_text() {
                    *i = s(&t);
                }
            }
        }
    }
    if let Some(Value::Seq(items)) = m.get_mut("volumes").map(|n| &mut n.value) {
        for v in items.iter_mut() {
            volume(v, &format!("{path}.volumes"))?;
        }
    }
    for (key, default_dir) in [("secrets", Some("/run/secrets")), ("configs", None)] {
        if let Some(Value::Seq(items)) = m.get_mut(key).map(|n| &mut n.value) {
            for v in items.iter_mut() {
                if let Some(src) = v.as_str() {
                    let mut fm = Map::new();
                    fm.insert("source".into(), s(src));
                    *v = Node {
                        value: Value::Map(fm),
                        ..v.clone()
                    };
                }
                let Some(fm) = v.as_map_mut() else {
                    return Err(err(
                        format!("{path}.{key}"),
                        format!("unsupported type {}", v.kind()),
                    ));
                };
                if let Some(dir) = default_dir {
                    if !fm.contains_key("target") {
                        let src = fm
                            .get("source")
                            .and_then(Node::scalar_text)
                            .unwrap_or_default();
                        fm.insert("target".into(), s(&format!("{dir}/{src}")));
                    }
                }
            }
        }
    }
    if let Some(Value::Seq(items)) = m.get_mut("devices").map(|n| &mut n.value) {
        for v in items.iter_mut() {
            if let Some(spec) = v.as_str() {
                let parts: Vec<&str> = spec.split(':').collect();
                let mut dm = Map::new();
                dm.insert("source".into(), s(parts[0]));
                dm.insert(
                    "target".into(),
                    s(parts.get(1).copied().unwrap_or(parts[0])),
                );
                dm.insert(
                    "permissions".into(),
                    s(parts.get(2).copied().unwrap_or("rwm")),
                );
                *v = Node {
                    value: Value::Map(dm),
                    ..v.clone()
                };
            }
        }
    }
    if let Some(n) = m.get_mut("extra_hosts") {
        extra_hosts(n);
    }
    if let Some(ext) = m.get_mut("extends") {
        if let Some(svc) = ext.as_str() {
            let mut em = Map::new();
            em.insert("service".into(), s(svc));
            *ext = Node {
                value: Value::Map(em),
                ..ext.clone()
            };
        }
    }
    if m.get("pull_policy").and_then(Node::as_str) == Some("if_not_present") {
        m.insert("pull_policy".into(), s("missing"));
    }
    Ok(())
}

/// A `KEY=VALUE` list or a mapping, as a mapping of strings (a bare `KEY`
/// maps to null; scalar values become their text).
pub fn key_values(n: &mut Node, path: &str) -> Result<(), CanonicalError> {
    let mut out = Map::new();
    match &n.value {
        Value::Seq(items) => {
            for i in items {
                let text = i.scalar_text().ok_or_else(|| {
                    err(
                        path,
                        format!("invalid value {}, expected key=value", i.kind()),
                    )
                })?;
                match text.split_once('=') {
                    Some((k, v)) => out.insert(k.to_string(), s(v)),
                    None => out.insert(text, Node::new(Value::Null)),
                };
            }
        }
        Value::Map(m) => {
            for (k, v) in m {
                let value = match &v.value {
                    Value::Null => Node::new(Value::Null),
                    Value::Seq(_) | Value::Map(_) => {
                        return Err(err(
                            format!("{path}.{k}"),
                            format!(
                                "must be a string, number, boolean or null, not {}",
                                v.kind()
                            ),
                        ))
                    }
                    _ => Node {
                        value: Value::Str(v.scalar_text().unwrap_or_default()),
                        ..v.clone()
                    },
                };
                out.insert(k.clone(), value);
            }
        }
        Value::Null => {}
        _ => {
            return Err(err(
                path,
                format!("must be a mapping or a list, not {}", n.kind()),
            ))
        }
    }
    n.value = Value::Map(out);
    Ok(())
}

fn depends_on(n: &mut Node, path: &str) -> Result<(), CanonicalError> {
    let defaults = || {
        let mut d = Map::new();
        d.insert("condition".into(), s("service_started"));
        d.insert("required".into(), b(true));
        Node::map(d)
    };
    match &mut n.value {
        Value::Seq(items) => {
            let mut out = Map::new();
            for i in items.iter() {
                let name = i
                    .scalar_text()
                    .ok_or_else(|| err(path, "invalid depends_on entry"))?;
                out.insert(name, defaults());
            }
            n.value = Value::Map(out);
        }
        Value::Map(m) => {
            for (k, d) in m.iter_mut() {
                if d.is_null() {
                    *d = Node::map(Map::new());
                }
                let Some(dm) = d.as_map_mut() else {
                    return Err(err(format!("{path}.{k}"), "unsupported value"));
                };
                dm.entry("condition".into())
                    .or_insert_with(|| s("service_started"));
                dm.entry("required".into()).or_insert_with(|| b(true));
            }
        }
        _ => {
            return Err(err(
                path,
                format!("invalid type {} for depends_on", n.kind()),
            ))
        }
    }
    Ok(())
}

fn env_file(n: &mut Node, path: &str) -> Result<(), CanonicalError> {
    if let Some(one) = n.as_str() {
        n.value = Value::Seq(vec![s(one)]);
    }
    let Value::Seq(items) = &mut n.value else {
        return Err(err(path, format!("invalid type {} for env_file", n.kind())));
    };
    for i in items.iter_mut() {
        if let Some(p) = i.as_str() {
            let mut m = Map::new();
            m.insert("path".into(), s(p));
            *i = Node::map(m);
        }
        if let Some(m) = i.as_map_mut() {
            m.entry("required".into()).or_insert_with(|| b(true));
        }
    }
    Ok(())
}

fn extra_hosts(n: &mut Node) {
    let mut out = Vec::new();
    match &n.value {
        Value::Map(m) => {
            for (k, v) in m {
                match &v.value {
                    Value::Seq(ips) => out.extend(
                        ips.iter()
                            .filter_map(Node::scalar_text)
                            .map(|ip| format!("{k}={ip}")),
                    ),
                    _ => out.push(format!("{k}={}", v.scalar_text().unwrap_or_default())),
                }
            }
        }
        Value::Seq(items) => {
            for i in items {
                let t = i.scalar_text().unwrap_or_default();
                out.push(if t.contains('=') {
                    t
                } else {
                    match t.split_once(':') {
                        Some((h, ip)) => format!("{h}={ip}"),
                        None => t,
                    }
                });
            }
        }
        _ => return,
    }
    n.value = Value::Seq(out.into_iter().map(Node::str).collect());
}

fn ports(n: &mut Node, path: &str) -> Result<(), CanonicalError> {
    let Value::Seq(items) = &n.value else {
        return Err(err(path, format!("invalid type {} for port", n.kind())));
    };
    let mut out = Vec::new();
    for i in items {
        match &i.value {
            Value::Map(m) => {
                let mut m = m.clone();
                if let Some(p) = m.get("published").and_then(Node::scalar_text) {
                    m.insert("published".into(), s(&p));
                }
                if let Some(t) = m.get("target").and_then(Node::scalar_text) {
                    let t: i64 = t
                        .parse()
                        .map_err(|_| err(path, format!("invalid target port {t:?}")))?;
                    m.insert("target".into(), int(t));
                }
                m.entry("protocol".into()).or_insert_with(|| s("tcp"));
                m.entry("mode".into()).or_insert_with(|| s("ingress"));
                out.push(Node {
                    value: Value::Map(m),
                    ..i.clone()
                });
            }
            Value::Str(_) | Value::Int(_) => {
                let spec = i.scalar_text().unwrap_or_default();
                for p in parse_port(&spec).map_err(|e| err(path, e))? {
                    out.push(Node {
                        value: Value::Map(p),
                        line: i.line,
                        tag: Default::default(),
                    });
                }
            }
            _ => return Err(err(path, format!("invalid type {} for port", i.kind()))),
        }
    }
    n.value = Value::Seq(out);
    Ok(())
}

fn port_range(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("Invalid containerPort: {s}");
    let (a, z) = s.split_once('-').unwrap_or((s, s));
    let a: u32 = a.parse().map_err(|_| bad())?;
    let z: u32 = z.parse().map_err(|_| bad())?;
    if z < a || z > 65535 {
        return Err(bad());
    }
    Ok((a, z))
}

/// A short port spec (`[IP:][HOST:]CONTAINER[/PROTO]`, ranges allowed), as
/// docker's `nat.ParsePortSpec` reads it, in compose's long form.
pub fn parse_port(spec: &str) -> Result<Vec<Map>, String> {
    let (rest, proto) = spec.rsplit_once('/').unwrap_or((spec, "tcp"));
    let proto = proto.to_lowercase();
    let (ip, host, container) = if let Some(after) = rest.strip_prefix('[') {
        let (ip, tail) = after
            .split_once(']')
            .ok_or_else(|| format!("invalid IP address: {spec}"))?;
        let tail = tail.strip_prefix(':').unwrap_or(tail);
        let (h, c) = tail
            .split_once(':')
            .ok_or_else(|| format!("No port specified: {spec}<empty>"))?;
        (ip.to_string(), h.to_string(), c.to_string())
    } else {
        let parts: Vec<&str> = rest.split(':').collect();
        match parts.len() {
            1 => (String::new(), String::new(), parts[0].to_string()),
            2 => (String::new(), parts[0].to_string(), parts[1].to_string()),
            3 => (
                parts[0].to_string(),
                parts[1].to_string(),
                parts[2].to_string(),
            ),
            n => (
                parts[..n - 2].join(":"),
                parts[n - 2].to_string(),
                parts[n - 1].to_string(),
            ),
        }
    };
    if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("invalid IP address: {ip}"));
    }
    if container.is_empty() {
        return Err(format!("No port specified: {spec}<empty>"));
    }
    let (c0, c1) = port_range(&container)?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(port_range(&host).map_err(|_| format!("Invalid hostPort: {host}"))?)
    };
    let mut out = Vec::new();
    let entry = |target: u32, published: Option<String>| {
        let mut m = Map::new();
        m.insert("mode".into(), s("ingress"));
        if !ip.is_empty() {
            m.insert("host_ip".into(), s(&ip));
        }
        m.insert("target".into(), int(target.into()));
        if let Some(p) = published {
            m.insert("published".into(), s(&p));
        }
        m.insert("protocol".into(), s(&proto));
        m
    };
    match host_range {
        None => {
            for t in c0..=c1 {
                out.push(entry(t, None));
            }
        }
        Some((h0, h1)) if c0 == c1 => {
            let p = if h0 == h1 {
                h0.to_string()
            } else {
                format!("{h0}-{h1}")
            };
            out.push(entry(c0, Some(p)));
        }
        Some((h0, h1)) => {
            if h1 - h0 != c1 - c0 {
                return Err(format!(
                    "Invalid ranges specified for container and host Ports: {container} and {host}"
                ));
            }
            for (k, t) in (c0..=c1).enumerate() {
                out.push(entry(t, Some((h0 + k as u32).to_string())));
            }
        }
    }
    Ok(out)
}

/// Is a volume source a host path (`.`, `/`, `~`) rather than a volume name?
pub fn is_path(source: &str) -> bool {
    source.starts_with('.') || source.starts_with('/') || source.starts_with('~')
}

fn volume(v: &mut Node, path: &str) -> Result<(), CanonicalError> {
    match &mut v.value {
        Value::Map(m) => {
            if let Some(t) = m.get("target").and_then(Node::as_str) {
                let clean = clean_path(t);
                m.insert("target".into(), s(&clean));
            }
            if m.get("type").and_then(Node::as_str) == Some("bind") {
                let bind = m
                    .entry("bind".into())
                    .or_insert_with(|| Node::map(Map::new()));
                if let Some(bm) = bind.as_map_mut() {
                    bm.entry("create_host_path".into())
                        .or_insert_with(|| b(true));
                }
            }
            Ok(())
        }
        Value::Str(spec) => {
            let m = parse_volume(spec).map_err(|e| err(path, e))?;
            v.value = Value::Map(m);
            Ok(())
        }
        _ => Err(err(
            path,
            format!("invalid type {} for service volume mount", v.kind()),
        )),
    }
}

/// `path.Clean` of Go for a Unix path.
pub fn clean_path(p: &str) -> String {
    let abs = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !abs {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    let joined = parts.join("/");
    match (abs, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// A short volume spec `[SOURCE:]TARGET[:MODE]` in compose's long form.
pub fn parse_volume(spec: &str) -> Result<Map, String> {
    if spec.is_empty() {
        return Err("invalid empty volume spec".into());
    }
    let parts: Vec<&str> = spec.split(':').collect();
    let (source, target, mode) = match parts.as_slice() {
        [t] => ("", *t, ""),
        [src, t] => (*src, *t, ""),
        [src, t, m] => (*src, *t, *m),
        _ => return Err(format!("invalid spec: {spec}: too many colons")),
    };
    let mut m = Map::new();
    let bind = !source.is_empty() && is_path(source);
    m.insert("type".into(), s(if bind { "bind" } else { "volume" }));
    if !source.is_empty() {
        m.insert("source".into(), s(source));
    }
    m.insert("target".into(), s(&clean_path(target)));
    let mut bind_opts = Map::new();
    let mut vol_opts = Map::new();
    for opt in mode.split(',').filter(|o| !o.is_empty()) {
        match opt {
            "ro" => {
                m.insert("read_only".into(), b(true));
            }
            "rw" => {}
            "z" | "Z" => {
                bind_opts.insert("selinux".into(), s(opt));
            }
            "nocopy" => {
                vol_opts.insert("nocopy".into(), b(true));
            }
            "shared" | "rshared" | "slave" | "rslave" | "private" | "rprivate" => {
                bind_opts.insert("propagation".into(), s(opt));
            }
            "consistent" | "cached" | "delegated" => {
                m.insert("consistency".into(), s(opt));
            }
            other => return Err(format!("invalid spec: {spec}: unknown option {other:?}")),
        }
    }
    if bind {
        bind_opts.insert("create_host_path".into(), b(true));
        m.insert("bind".into(), Node::map(bind_opts));
    } else {
        m.insert("volume".into(), Node::map(vol_opts));
    }
    Ok(m)
}

/// Splits a string command as a POSIX shell would (quotes and backslashes,
/// no expansion), as compose-go's shellwords does.
pub fn shell_split(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err(format!("invalid command line string: {text:?}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err(format!("invalid command line string: {text:?}")),
                        },
                        Some(c) => cur.push(c),
                        None => return Err(format!("invalid command line string: {text:?}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => cur.push(c),
                    None => cur.push('\\'),
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(m: &Map) -> serde_json::Value {
        Node::map(m.clone()).to_json()
    }

    #[test]
    fn ports_table() {
        use serde_json::json;
        let cases: &[(&str, serde_json::Value)] = &[
            (
                "80",
                json!([{"mode":"ingress","target":80,"protocol":"tcp"}]),
            ),
            (
                "8080:80",
                json!([{"mode":"ingress","target":80,"published":"8080","protocol":"tcp"}]),
            ),
            (
                "127.0.0.1:8080:80/udp",
                json!([{"mode":"ingress","host_ip":"127.0.0.1","target":80,"published":"8080","protocol":"udp"}]),
            ),
            (
                "127.0.0.1::80",
                json!([{"mode":"ingress","host_ip":"127.0.0.1","target":80,"protocol":"tcp"}]),
            ),
            (
                "[::1]:8080:80",
                json!([{"mode":"ingress","host_ip":"::1","target":80,"published":"8080","protocol":"tcp"}]),
            ),
            (
                "8000-8001:80-81",
                json!([
                {"mode":"ingress","target":80,"published":"8000","protocol":"tcp"},
                {"mode":"ingress","target":81,"published":"8001","protocol":"tcp"}]),
            ),
            (
                "8000-8010:80",
                json!([{"mode":"ingress","target":80,"published":"8000-8010","protocol":"tcp"}]),
            ),
            (
                "80-81",
                json!([
                {"mode":"ingress","target":80,"protocol":"tcp"},
                {"mode":"ingress","target":81,"protocol":"tcp"}]),
            ),
        ];
        for (spec, want) in cases {
            let got: Vec<_> = parse_port(spec).unwrap().iter().map(j).collect();
            assert_eq!(serde_json::Value::Array(got), *want, "{spec}");
        }
        for bad in [
            "",
            "abc",
            "8080:",
            "1.2.3:80:80",
            "80-79",
            "8000-8002:80-81",
            "70000",
        ] {
            assert!(parse_port(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn volumes_table() {
        use serde_json::json;
        let cases: &[(&str, serde_json::Value)] = &[
            (
                "/data",
                json!({"type":"volume","target":"/data","volume":{}}),
            ),
            (
                "data:/data",
                json!({"type":"volume","source":"data","target":"/data","volume":{}}),
            ),
            (
                "data:/data:ro,nocopy",
                json!({"type":"volume","source":"data","target":"/data","read_only":true,"volume":{"nocopy":true}}),
            ),
            (
                "./src:/app/",
                json!({"type":"bind","source":"./src","target":"/app","bind":{"create_host_path":true}}),
            ),
            (
                "/etc:/host/etc:ro,z",
                json!({"type":"bind","source":"/etc","target":"/host/etc","read_only":true,"bind":{"create_host_path":true,"selinux":"z"}}),
            ),
            (
                "~/x:/x:rw,rshared",
                json!({"type":"bind","source":"~/x","target":"/x","bind":{"create_host_path":true,"propagation":"rshared"}}),
            ),
        ];
        for (spec, want) in cases {
            assert_eq!(j(&parse_volume(spec).unwrap()), *want, "{spec}");
        }
        for bad in ["", "a:b:c:d", "a:/b:bogus"] {
            assert!(parse_volume(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shell_words_and_clean_paths() {
        let cases: &[(&str, &[&str])] = &[
            ("echo hi", &["echo", "hi"]),
            (
                "  sh -c 'echo $HOME; ls'  ",
                &["sh", "-c", "echo $HOME; ls"],
            ),
            (r#"a "b c" d\ e"#, &["a", "b c", "d e"]),
            (r#""a\"b""#, &["a\"b"]),
            ("''", &[""]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(shell_split(text).unwrap(), *want, "{text:?}");
        }
        assert!(shell_split("'open").is_err());
        for (p, want) in [
            ("/a/b/../c/", "/a/c"),
            ("/..", "/"),
            ("a/./b", "a/b"),
            ("../x", "../x"),
            ("", "."),
        ] {
            assert_eq!(clean_path(p), want);
        }
    }

    #[test]
    fn services_are_expanded() {
        let text = "\
services:
  web:
    build: ./app
    command: echo \"hello world\"
    environment: [A=1, B, C=x=y]
    labels: {n: 1, b: true}
    depends_on: [db]
    networks: [front]
    env_file: .env.web
    secrets: [token]
    extra_hosts: {db: 10.0.0.1}
    healthcheck: {test: curl -f localhost}
  db:
    depends_on: {cache: {condition: service_healthy}}
networks:
  ext: {external: {name: real}}
";
        let mut tree = super::super::yaml::parse("c.yaml", text).unwrap();
        canonical(&mut tree).unwrap();
        let j = tree.to_json();
        let web = &j["services"]["web"];
        assert_eq!(web["build"], serde_json::json!({"context": "./app"}));
        assert_eq!(web["command"], serde_json::json!(["echo", "hello world"]));
        assert_eq!(
            web["environment"],
            serde_json::json!({"A": "1", "B": null, "C": "x=y"})
        );
        assert_eq!(web["labels"], serde_json::json!({"n": "1", "b": "true"}));
        assert_eq!(
            web["depends_on"],
            serde_json::json!({"db": {"condition": "service_started", "required": true}})
        );
        assert_eq!(web["networks"], serde_json::json!({"front": null}));
        assert_eq!(
            web["env_file"],
            serde_json::json!([{"path": ".env.web", "required": true}])
        );
        assert_eq!(
            web["secrets"],
            serde_json::json!([{"source": "token", "target": "/run/secrets/token"}])
        );
        assert_eq!(web["extra_hosts"], serde_json::json!(["db=10.0.0.1"]));
        assert_eq!(
            web["healthcheck"]["test"],
            serde_json::json!(["CMD-SHELL", "curl -f localhost"])
        );
        assert_eq!(
            j["services"]["db"]["depends_on"]["cache"],
            serde_json::json!({"condition": "service_healthy", "required": true})
        );
        assert_eq!(
            j["networks"]["ext"],
            serde_json::json!({"external": true, "name": "real"})
        );
    }
}
