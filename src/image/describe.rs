//! Docker's JSON shapes for images: `image inspect` objects, `images` rows
//! and `history` rows, built from a stored record and its config. Field names
//! and zero values follow Docker 24's API so `--format` templates written for
//! docker work unchanged.

use super::manifest::{ContainerConfig, ImageConfig};
use super::reference::Reference;
use crate::store::images::ImageRecord;
use serde_json::{json, Map, Value};

/// `RepoTags` entries in Docker's familiar form (`busybox:latest`).
pub fn repo_tags(rec: &ImageRecord) -> Vec<String> {
    rec.tags
        .iter()
        .map(|t| {
            Reference::parse(t)
                .map(|r| r.familiar())
                .unwrap_or_else(|_| t.clone())
        })
        .collect()
}

/// `RepoDigests` entries in familiar form (`busybox@sha256:...`).
pub fn repo_digests(rec: &ImageRecord) -> Vec<String> {
    rec.digests
        .iter()
        .map(|d| {
            Reference::parse(d)
                .map(|r| r.familiar())
                .unwrap_or_else(|_| d.clone())
        })
        .collect()
}

/// The `Config` object as Docker prints it: every key present, nulls where unset.
pub fn container_config_json(c: Option<&ContainerConfig>) -> Value {
    let c = c.cloned().unwrap_or_default();
    let mut m = Map::new();
    m.insert("Hostname".into(), json!(""));
    m.insert("Domainname".into(), json!(""));
    m.insert("User".into(), json!(c.user.unwrap_or_default()));
    m.insert("AttachStdin".into(), json!(false));
    m.insert("AttachStdout".into(), json!(false));
    m.insert("AttachStderr".into(), json!(false));
    if let Some(p) = c.exposed_ports {
        m.insert("ExposedPorts".into(), json!(p));
    }
    m.insert("Tty".into(), json!(false));
    m.insert("OpenStdin".into(), json!(false));
    m.insert("StdinOnce".into(), json!(false));
    m.insert("Env".into(), json!(c.env));
    m.insert("Cmd".into(), json!(c.cmd));
    if let Some(h) = c.healthcheck {
        m.insert("Healthcheck".into(), h);
    }
    m.insert("Image".into(), json!(""));
    m.insert("Volumes".into(), json!(c.volumes));
    m.insert(
        "WorkingDir".into(),
        json!(c.working_dir.unwrap_or_default()),
    );
    m.insert("Entrypoint".into(), json!(c.entrypoint));
    m.insert("OnBuild".into(), json!(c.on_build));
    m.insert("Labels".into(), json!(c.labels));
    if let Some(s) = c.stop_signal {
        m.insert("StopSignal".into(), json!(s));
    }
    if let Some(s) = c.shell {
        m.insert("Shell".into(), json!(s));
    }
    Value::Object(m)
}

/// One element of `image inspect`'s array.
pub fn inspect_json(rec: &ImageRecord, config: &ImageConfig, layer_dirs: &[String]) -> Value {
    let mut graph = Map::new();
    if let Some((upper, lowers)) = layer_dirs.split_last() {
        graph.insert("MergedDir".into(), json!(null));
        graph.insert("UpperDir".into(), json!(upper));
        if !lowers.is_empty() {
            let lower: Vec<&str> = lowers.iter().rev().map(String::as_str).collect();
            graph.insert("LowerDir".into(), json!(lower.join(":")));
        }
    }
    let mut m = Map::new();
    m.insert("Id".into(), json!(rec.id));
    m.insert("RepoTags".into(), json!(repo_tags(rec)));
    m.insert("RepoDigests".into(), json!(repo_digests(rec)));
    m.insert("Parent".into(), json!(""));
    m.insert(
        "Comment".into(),
        json!(config
            .history
            .last()
            .and_then(|h| h.comment.clone())
            .unwrap_or_default()),
    );
    m.insert(
        "Created".into(),
        json!(config
            .created
            .clone()
            .unwrap_or_else(|| "0001-01-01T00:00:00Z".into())),
    );
    m.insert(
        "DockerVersion".into(),
        config
            .extra
            .get("docker_version")
            .cloned()
            .unwrap_or_else(|| json!("")),
    );
    m.insert(
        "Author".into(),
        json!(config.author.clone().unwrap_or_default()),
    );
    m.insert(
        "Config".into(),
        container_config_json(config.config.as_ref()),
    );
    m.insert("Architecture".into(), json!(config.architecture));
    if let Some(v) = &config.variant {
        m.insert("Variant".into(), json!(v));
    }
    m.insert("Os".into(), json!(config.os));
    m.insert("Size".into(), json!(rec.size));
    m.insert("VirtualSize".into(), json!(rec.size));
    m.insert(
        "GraphDriver".into(),
        json!({"Data": Value::Object(graph), "Name": "overlayfs"}),
    );
    m.insert(
        "RootFS".into(),
        json!({
            "Type": if config.rootfs.kind.is_empty() { "layers" } else { &config.rootfs.kind },
            "Layers": config.rootfs.diff_ids.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        }),
    );
    m.insert(
        "Metadata".into(),
        json!({"LastTagTime": "0001-01-01T00:00:00Z"}),
    );
    Value::Object(m)
}

/// Seconds since the epoch of an RFC 3339 timestamp, if it parses.
pub fn created_unix(created: Option<&str>) -> Option<i64> {
    created
        .and_then(|c| chrono::DateTime::parse_from_rfc3339(c).ok())
        .map(|t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_has_dockers_keys() {
        let rec = ImageRecord {
            id: format!("sha256:{}", "a".repeat(64)),
            manifest_digest: "sha256:m".into(),
            manifest_media_type: "x".into(),
            size: 42,
            created: None,
            added_at: 0,
            tags: vec!["docker.io/library/busybox:latest".into()],
            digests: vec![format!(
                "docker.io/library/busybox@sha256:{}",
                "b".repeat(64)
            )],
        };
        let cfg: ImageConfig = serde_json::from_str(
            r#"{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[]}}"#,
        )
        .unwrap();
        let v = inspect_json(&rec, &cfg, &[]);
        assert_eq!(v["RepoTags"][0], "busybox:latest");
        assert_eq!(
            v["RepoDigests"][0],
            format!("busybox@sha256:{}", "b".repeat(64))
        );
        assert_eq!(v["Config"]["Cmd"][0], "sh");
        assert_eq!(v["Config"]["Entrypoint"], Value::Null);
        assert_eq!(v["Size"], 42);
        assert_eq!(v["RootFS"]["Type"], "layers");
    }
}
