//! `berth compose images [SERVICE...]`: the image of each of the project's
//! containers (every state), as compose v2 lists them (`cmd/compose/
//! images.go`): sorted by container, CONTAINER, REPOSITORY, TAG (from the
//! reference the container was created from), PLATFORM (containerd's
//! `platforms.Format`), IMAGE ID (short), SIZE, CREATED (the image's last
//! tag time, `2 hours ago`); `-q` the image IDs once each; `--format json`
//! one array of compose's `ImageSummary` (`ID`, `Repository`, `Tag`,
//! `Platform` as an OCI platform object, `Size`, `LastTagTime`).

use crate::cli::compose::ComposeImagesArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use crate::format::units;
use anyhow::{bail, Result};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Repository and tag of a container's image reference (`<none>` when the
/// container names its image by ID).
fn repo_tag(image_ref: &str) -> (String, String) {
    if image_ref.starts_with("sha256:") {
        return (String::new(), String::new());
    }
    match crate::image::reference::Reference::parse(image_ref) {
        Ok(r) if r.digest().is_none() || r.tag().is_some() => {
            (r.familiar_name(), r.tag().unwrap_or("latest").to_string())
        }
        Ok(r) => (r.familiar_name(), String::new()),
        Err(_) => (String::new(), String::new()),
    }
}

/// One container's image.
struct Row {
    container: String,
    id: String,
    repository: String,
    tag: String,
    /// The OCI platform object (`architecture`, `os`, `os.version`,
    /// `variant`), empty when the config cannot be read.
    platform: Map<String, Value>,
    size: u64,
    /// Unix nanos; None: never tagged (Go's zero time).
    last_tag: Option<i64>,
}

impl Row {
    /// containerd's `platforms.Format`: `os/arch[/variant]`, `unknown`
    /// without an OS.
    fn platform_text(&self) -> String {
        let get = |k: &str| self.platform.get(k).and_then(Value::as_str).unwrap_or("");
        if get("os").is_empty() {
            return "unknown".into();
        }
        [get("os"), get("architecture"), get("variant")]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Go's `time.Time` JSON: RFC 3339 with trimmed nanoseconds, local
    /// offset; the zero time when never tagged.
    fn last_tag_json(&self) -> String {
        let Some(nanos) = self.last_tag else {
            return "0001-01-01T00:00:00Z".into();
        };
        let t = chrono::DateTime::from_timestamp_nanos(nanos).with_timezone(&chrono::Local);
        t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }

    /// `units.HumanDuration(now - LastTagTime) + " ago"`; Go's `Sub`
    /// saturates at ~292 years for the zero time.
    fn created_text(&self, now: SystemTime) -> String {
        let since = match self.last_tag {
            Some(n) => now
                .duration_since(UNIX_EPOCH + Duration::from_nanos(n.max(0) as u64))
                .unwrap_or_default(),
            None => Duration::from_nanos(i64::MAX as u64),
        };
        format!("{} ago", units::human_duration(since))
    }

    fn json(&self) -> Value {
        json!({
            "ID": self.id,
            "Repository": self.repository,
            "Tag": self.tag,
            "Platform": Value::Object(self.platform.clone()),
            "Size": self.size,
            "LastTagTime": self.last_tag_json(),
        })
    }
}

/// The OCI platform object of an image config.
fn platform_of(config: &crate::image::manifest::ImageConfig) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("architecture".into(), json!(config.architecture));
    p.insert("os".into(), json!(config.os));
    if let Some(v) = config
        .extra
        .get("os.version")
        .filter(|v| v.as_str() != Some(""))
    {
        p.insert("os.version".into(), v.clone());
    }
    if let Some(v) = config.variant.as_ref().filter(|v| !v.is_empty()) {
        p.insert("variant".into(), json!(v));
    }
    p
}

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposeImagesArgs,
    out: &mut dyn Write,
) -> Result<u8> {
    let fmt = a.format.to_lowercase();
    if !matches!(fmt.as_str(), "table" | "pretty" | "" | "json") {
        bail!(
            "format value {:?} could not be parsed: parsing failed",
            a.format
        );
    }
    let (_, name) = super::project_or_name(base)?;
    let (host, mut store) = ctx.container_store()?;
    let q = Query {
        project: &name.to_lowercase(),
        oneoff: OneOff::Include,
        all: true,
        services: &a.service,
    };
    let list = containers::list(&host, &mut store, &q)?;
    let content = ctx.content();
    let mut rows: Vec<Row> = Vec::new();
    for c in &list {
        let rec = crate::store::images::get(store.conn(), &c.row.image_id)?;
        let (repository, tag) = repo_tag(&c.row.image_ref);
        let config = crate::image::read_config(&content, &c.row.image_id).ok();
        rows.push(Row {
            container: c.row.name.clone(),
            id: c.row.image_id.clone(),
            repository,
            tag,
            platform: config.as_ref().map(platform_of).unwrap_or_default(),
            size: rec.as_ref().map_or(0, |r| r.size),
            last_tag: crate::store::images::last_tag_time(store.conn(), &c.row.image_id)?,
        });
    }
    // compose keys them by container name and prints them sorted.
    rows.sort_by(|a, b| a.container.cmp(&b.container));
    if a.quiet {
        let mut seen: Vec<&str> = Vec::new();
        for r in &rows {
            let id = r.id.split_once(':').map_or(r.id.as_str(), |(_, h)| h);
            if !seen.contains(&id) {
                writeln!(out, "{id}")?;
                seen.push(id);
            }
        }
        return Ok(0);
    }
    if fmt == "json" {
        let all = Value::Array(rows.iter().map(Row::json).collect());
        writeln!(
            out,
            "{}",
            crate::format::json::to_json_compact_unescaped(&all)
        )?;
        return Ok(0);
    }
    render_table(&rows, SystemTime::now(), out)
}

fn render_table(rows: &[Row], now: SystemTime, out: &mut dyn Write) -> Result<u8> {
    let mut tw = crate::format::tabwriter::TabWriter::with_params(&mut *out, 20, 1, 3, b' ');
    writeln!(
        tw,
        "CONTAINER\tREPOSITORY\tTAG\tPLATFORM\tIMAGE ID\tSIZE\tCREATED"
    )?;
    for r in rows {
        let or_none = |v: &str| {
            if v.is_empty() {
                "<none>".to_string()
            } else {
                v.to_string()
            }
        };
        let id = r.id.strip_prefix("sha256:").unwrap_or(&r.id);
        writeln!(
            tw,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.container,
            or_none(&r.repository),
            or_none(&r.tag),
            r.platform_text(),
            &id[..id.len().min(12)],
            units::human_size_with_precision(r.size as f64, 3),
            r.created_text(now),
        )?;
    }
    tw.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(platform: Value, last_tag: Option<i64>) -> Row {
        Row {
            container: "p-web-1".into(),
            id: format!("sha256:{}", "ab".repeat(32)),
            repository: "busybox".into(),
            tag: String::new(),
            platform: platform.as_object().cloned().unwrap_or_default(),
            size: 4_400_000,
            last_tag,
        }
    }

    #[test]
    fn table_has_compose_columns_platform_and_created() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let tagged = (1_700_000_000i64 - 7200) * 1_000_000_000;
        let rows = [
            row(
                json!({"architecture": "arm", "os": "linux", "variant": "v7"}),
                Some(tagged),
            ),
            row(json!({}), None),
        ];
        let mut out = Vec::new();
        render_table(&rows, now, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<Vec<&str>> = text
            .lines()
            .map(|l| {
                l.split("   ")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .collect();
        assert_eq!(
            lines[0],
            [
                "CONTAINER",
                "REPOSITORY",
                "TAG",
                "PLATFORM",
                "IMAGE ID",
                "SIZE",
                "CREATED"
            ]
        );
        assert_eq!(
            lines[1],
            [
                "p-web-1",
                "busybox",
                "<none>",
                "linux/arm/v7",
                "abababababab",
                "4.4MB",
                "2 hours ago"
            ]
        );
        assert_eq!(lines[2][3], "unknown");
        assert_eq!(lines[2][6], "292 years ago");
    }

    #[test]
    fn json_is_compose_image_summary() {
        let v = row(json!({"architecture": "amd64", "os": "linux"}), None).json();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["ID", "Repository", "Tag", "Platform", "Size", "LastTagTime"]
        );
        assert_eq!(
            v["Platform"],
            json!({"architecture": "amd64", "os": "linux"})
        );
        assert_eq!(v["LastTagTime"], "0001-01-01T00:00:00Z");
        let v = row(json!({}), Some(1_700_000_000_500_000_000)).json();
        let t = chrono::DateTime::parse_from_rfc3339(v["LastTagTime"].as_str().unwrap()).unwrap();
        assert_eq!(t.timestamp_nanos_opt(), Some(1_700_000_000_500_000_000));
    }

    #[test]
    fn repository_and_tag() {
        assert_eq!(repo_tag("busybox"), ("busybox".into(), "latest".into()));
        assert_eq!(
            repo_tag("localhost:5000/a/b:1"),
            ("localhost:5000/a/b".into(), "1".into())
        );
        assert_eq!(repo_tag("sha256:abc"), (String::new(), String::new()));
    }
}
