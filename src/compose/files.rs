//! Secrets and configs as docker compose (v2, non-swarm) gives them to a
//! service's containers, and what berth reports about each.
//!
//! - `file:` is bind-mounted read-only at the target; the long syntax's
//!   `uid`, `gid` and `mode` do not apply to it (compose warns and ignores
//!   them: the host file is mounted as it is).
//! - `environment:` (the variable's value in the project's resolved
//!   environment) and, for configs, `content:` (inline, interpolated by
//!   the loader) become a file owned by `uid`:`gid` (default 0:0) with
//!   `mode` (default 0444). compose copies such a file into the container's
//!   filesystem; berth writes it under the data root
//!   (`compose/<project>/files/`, root-only, removed by `compose down`) and
//!   bind-mounts it read-only, so the container can never write it and
//!   a read-only service can have one (compose refuses that case).
//! - Targets: a secret at `/run/secrets/<source>`, or `/run/secrets/<target>`
//!   for a relative target; a config at `/<source>`, or `/<target>`.
//! - `external: true` is swarm's: compose refuses it (`unsupported external
//!   secret NAME`), as do `driver` and `template_driver`; berth rejects
//!   them in `config --check` and `up` with the same words.

use super::service::Support;
use super::yaml::{Map, Node, Value};
use std::collections::BTreeMap;

/// Where a file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A host file, bind-mounted as it is.
    File(String),
    /// Bytes berth writes (from `environment:` or `content:`).
    Content(String),
    /// `environment:` names a variable the project's environment lacks:
    /// compose's error when a container would be created.
    MissingEnv(String),
}

/// One secret or config of a service, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMount {
    /// `secret` or `config` (compose's words in messages).
    pub kind: &'static str,
    /// The definition's name (`name:`, else its key).
    pub name: String,
    /// Absolute path in the container.
    pub target: String,
    pub source: Source,
    pub uid: u32,
    pub gid: u32,
    pub mode: u32,
}

impl FileMount {
    /// compose's error for a file that cannot be made, if any.
    pub fn error(&self) -> Option<String> {
        match &self.source {
            Source::MissingEnv(var) => Some(format!(
                "environment variable {var:?} required by {} {:?} is not set",
                self.kind, self.name
            )),
            _ => None,
        }
    }
}

fn text(n: &Node) -> String {
    n.scalar_text().unwrap_or_default()
}

fn singular(key: &str) -> &'static str {
    if key == "secrets" {
        "secret"
    } else {
        "config"
    }
}

/// The target in the container, as compose places it.
pub fn target_path(key: &str, source: &str, target: Option<&str>) -> String {
    let base = if key == "secrets" {
        "/run/secrets/"
    } else {
        "/"
    };
    match target.filter(|t| !t.is_empty()) {
        Some(t) if t.starts_with('/') => t.to_string(),
        Some(t) => format!("{base}{t}"),
        None => format!("{base}{source}"),
    }
}

/// `mode` as compose-go reads it: a string is octal, a number is taken as
/// it is. compose's YAML parser reads `0440` as octal (Go's base-0
/// integers); berth's (YAML 1.2) reads a leading-zero number as the float
/// 440.0 (`0o440` is the integer 288), so an integral float's digits are
/// read as octal, as compose would have read them.
fn mode(n: &Node) -> Result<u32, String> {
    match &n.value {
        Value::Int(i) => u32::try_from(*i).map_err(|_| format!("invalid mode {i}")),
        Value::Float(f) if f.fract() == 0.0 && *f >= 0.0 => {
            let digits = format!("{}", *f as u64);
            u32::from_str_radix(&digits, 8).map_err(|_| format!("invalid mode 0{digits}"))
        }
        _ => {
            let t = text(n);
            let digits = t.strip_prefix("0o").unwrap_or(&t);
            u32::from_str_radix(digits, 8).map_err(|_| format!("invalid mode {t:?}"))
        }
    }
}

fn id(n: Option<&Node>, what: &str) -> Result<u32, String> {
    match n.map(text) {
        None => Ok(0),
        Some(t) if t.is_empty() => Ok(0),
        Some(t) => t
            .parse()
            .map_err(|_| format!("invalid {what} {t:?}: must be a number")),
    }
}

/// The service's secrets (`key` "secrets") or configs ("configs").
pub fn mounts(
    top: &Map,
    env: &BTreeMap<String, String>,
    svc: &Map,
    key: &str,
) -> Result<Vec<FileMount>, String> {
    let defs = top.get(key).and_then(Node::as_map);
    let mut out: Vec<FileMount> = Vec::new();
    for item in svc.get(key).and_then(Node::as_seq).into_iter().flatten() {
        let Some(im) = item.as_map() else { continue };
        let src = im.get("source").map(text).unwrap_or_default();
        let Some(def) = defs.and_then(|d| d.get(&src)).and_then(Node::as_map) else {
            return Err(format!(
                "service refers to undefined {} {src}: invalid compose project",
                singular(key)
            ));
        };
        let name = def.get("name").map(text).unwrap_or_else(|| src.clone());
        let target = target_path(key, &src, im.get("target").map(text).as_deref());
        let source = if let Some(f) = def.get("file") {
            Source::File(text(f))
        } else if let Some(c) = def.get("content") {
            Source::Content(text(c))
        } else if let Some(var) = def.get("environment").map(text) {
            match env.get(&var) {
                Some(v) => Source::Content(v.clone()),
                None => Source::MissingEnv(var),
            }
        } else {
            // external (rejected by the verdict) or an empty definition.
            continue;
        };
        let m = FileMount {
            kind: singular(key),
            name,
            target,
            source,
            uid: id(im.get("uid"), "uid")?,
            gid: id(im.get("gid"), "gid")?,
            mode: im.get("mode").map(mode).transpose()?.unwrap_or(0o444),
        };
        // compose keys its mounts by target: the last one wins.
        out.retain(|o| o.target != m.target);
        out.push(m);
    }
    Ok(out)
}

/// The verdict on a service's `secrets`/`configs` key, with the reason.
pub fn verdict(top: &Map, key: &str, v: &Node) -> (Support, String) {
    let defs = top.get(key).and_then(Node::as_map);
    let mut partial = Vec::new();
    for item in v.as_seq().into_iter().flatten() {
        let Some(im) = item.as_map() else { continue };
        let src = im.get("source").map(text).unwrap_or_default();
        let Some(def) = defs.and_then(|d| d.get(&src)).and_then(Node::as_map) else {
            return (
                Support::Rejected,
                format!("{src}: not defined in the top-level {key}"),
            );
        };
        let name = def.get("name").map(text).unwrap_or_else(|| src.clone());
        let one = singular(key);
        if def.get("external").is_some_and(|e| {
            matches!(e.value, Value::Bool(true))
                || e.as_str() == Some("true")
                || e.as_map().is_some()
        }) {
            return (
                Support::Rejected,
                format!("unsupported external {one} {name} (external {key} are swarm's)"),
            );
        }
        for d in ["driver", "template_driver"] {
            if def.contains_key(d) {
                return (
                    Support::Rejected,
                    format!("Docker Compose does not support {key}.*.{d}"),
                );
            }
        }
        let from_file = def.contains_key("file");
        if !from_file && !def.contains_key("environment") && !def.contains_key("content") {
            return (
                Support::Rejected,
                format!("{src}: a {one} needs file, environment or content"),
            );
        }
        let owned: Vec<&str> = ["uid", "gid", "mode"]
            .into_iter()
            .filter(|k| im.contains_key(*k))
            .collect();
        if from_file && !owned.is_empty() {
            partial.push(format!(
                "{src}: {} not applied to a file-based {one} (bind-mounted as it is, as docker compose does)",
                owned.join(", ")
            ));
        }
    }
    if partial.is_empty() {
        (Support::Supported, String::new())
    } else {
        (Support::Partial, partial.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(y: &str) -> Map {
        super::super::yaml::parse("compose.yaml", y)
            .unwrap()
            .as_map()
            .cloned()
            .unwrap()
    }

    fn svc(top: &Map) -> &Map {
        top["services"].as_map().unwrap()["web"].as_map().unwrap()
    }

    const FILE: &str = r#"
services:
  web:
    secrets:
      - source: db
      - source: tok
        target: token.txt
        uid: "100"
        gid: "101"
        mode: "0400"
      - source: missing
    configs:
      - source: conf
      - source: inline
        target: etc/app.conf
        mode: 0o640
secrets:
  db:
    file: /srv/db.txt
  tok:
    environment: TOKEN
  missing:
    environment: NOPE
configs:
  conf:
    file: /srv/conf
    name: real-conf
  inline:
    content: "hello"
"#;

    #[test]
    fn every_source_resolves_with_compose_targets_and_defaults() {
        let top = model(FILE);
        let env = BTreeMap::from([("TOKEN".to_string(), "s3cr3t".to_string())]);
        let s = mounts(&top, &env, svc(&top), "secrets").unwrap();
        assert_eq!(s[0].target, "/run/secrets/db");
        assert_eq!(s[0].source, Source::File("/srv/db.txt".into()));
        assert_eq!(
            (
                s[1].target.as_str(),
                &s[1].source,
                s[1].uid,
                s[1].gid,
                s[1].mode
            ),
            (
                "/run/secrets/token.txt",
                &Source::Content("s3cr3t".into()),
                100,
                101,
                0o400
            )
        );
        assert_eq!(s[2].source, Source::MissingEnv("NOPE".into()));
        assert_eq!(
            s[2].error().unwrap(),
            r#"environment variable "NOPE" required by secret "missing" is not set"#
        );
        let c = mounts(&top, &env, svc(&top), "configs").unwrap();
        assert_eq!(
            (c[0].target.as_str(), c[0].name.as_str()),
            ("/conf", "real-conf")
        );
        assert_eq!(c[0].mode, 0o444);
        assert_eq!(c[1].target, "/etc/app.conf");
        assert_eq!(c[1].source, Source::Content("hello".into()));
        assert_eq!(c[1].mode, 0o640);
    }

    #[test]
    fn modes_read_as_compose_reads_them() {
        for (y, want) in [
            ("0440", Ok(0o440)),
            ("0400", Ok(0o400)),
            ("0o640", Ok(0o640)),
            ("'0440'", Ok(0o440)),
            ("\"600\"", Ok(0o600)),
            ("288", Ok(288)),
            ("0490", Err(())),
            ("'rw'", Err(())),
        ] {
            let top = model(&format!("m: {y}\n"));
            assert_eq!(mode(&top["m"]).map_err(|_| ()), want, "{y}");
        }
    }

    #[test]
    fn targets_as_compose_places_them() {
        for (key, src, target, want) in [
            ("secrets", "a", None, "/run/secrets/a"),
            ("secrets", "a", Some("b"), "/run/secrets/b"),
            ("secrets", "a", Some("/etc/b"), "/etc/b"),
            ("configs", "a", None, "/a"),
            ("configs", "a", Some("b/c"), "/b/c"),
            ("configs", "a", Some("/x"), "/x"),
        ] {
            assert_eq!(
                target_path(key, src, target),
                want,
                "{key} {src} {target:?}"
            );
        }
    }

    #[test]
    fn verdicts_name_what_is_not_run() {
        let cases = [
            ("file: /f", "", Support::Supported, ""),
            ("environment: X", "", Support::Supported, ""),
            ("content: x", "", Support::Supported, ""),
            (
                "file: /f",
                "mode: \"0400\"",
                Support::Partial,
                "mode not applied",
            ),
            ("environment: X", "uid: \"1\"", Support::Supported, ""),
            (
                "external: true",
                "",
                Support::Rejected,
                "unsupported external config s",
            ),
            (
                "{external: true, name: other}",
                "",
                Support::Rejected,
                "unsupported external config other",
            ),
            (
                "{file: /f, driver: x}",
                "",
                Support::Rejected,
                "configs.*.driver",
            ),
            (
                "{file: /f, template_driver: golang}",
                "",
                Support::Rejected,
                "template_driver",
            ),
        ];
        for (def, extra, support, reason) in cases {
            let def = if def.starts_with('{') {
                def.to_string()
            } else {
                format!("{{{def}}}")
            };
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(", {extra}")
            };
            let y = format!(
                "services:\n  web:\n    configs: [{{source: s{extra}}}]\nconfigs:\n  s: {def}\n"
            );
            let top = model(&y);
            let (got, why) = verdict(&top, "configs", &svc(&top)["configs"]);
            assert_eq!(got, support, "{y}");
            assert!(why.contains(reason), "{y}: {why}");
        }
    }
}
