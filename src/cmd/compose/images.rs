//! `berth compose images [SERVICE...]`: the image of each of the project's
//! containers (every state), as compose lists them: CONTAINER, REPOSITORY,
//! TAG (from the reference the container was created from), IMAGE ID
//! (short), SIZE; `-q` the image IDs once each; `--format json` one JSON
//! array.

use crate::cli::compose::ComposeImagesArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use crate::format::units;
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::io::Write;

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
    let mut rows: Vec<Value> = Vec::new();
    for c in &list {
        let rec = crate::store::images::get(store.conn(), &c.row.image_id)?;
        let (repo, tag) = repo_tag(&c.row.image_ref);
        let config = crate::image::read_config(&content, &c.row.image_id).ok();
        let platform = config
            .as_ref()
            .map(|c| match &c.variant {
                Some(v) => format!("{}/{}/{v}", c.os, c.architecture),
                None => format!("{}/{}", c.os, c.architecture),
            })
            .unwrap_or_default();
        let mut row = json!({
            "ID": c.row.image_id,
            "ContainerName": c.row.name,
            "Repository": repo,
            "Tag": tag,
            "Platform": platform,
            "Size": rec.as_ref().map_or(0, |r| r.size),
        });
        if let Some(created) = config.as_ref().and_then(|c| c.created.clone()) {
            row["Created"] = created.into();
        }
        rows.push(row);
    }
    if a.quiet {
        let mut seen: Vec<String> = Vec::new();
        for r in &rows {
            let id = r["ID"].as_str().unwrap_or_default();
            let id = id.split_once(':').map_or(id, |(_, h)| h).to_string();
            if !seen.contains(&id) {
                writeln!(out, "{id}")?;
                seen.push(id);
            }
        }
        return Ok(0);
    }
    if fmt == "json" {
        writeln!(
            out,
            "{}",
            crate::format::json::to_json_compact_unescaped(&Value::Array(rows))
        )?;
        return Ok(0);
    }
    let mut tw = crate::format::tabwriter::TabWriter::with_params(&mut *out, 20, 1, 3, b' ');
    writeln!(tw, "CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE")?;
    for r in &rows {
        let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
        let or_none = |v: String| if v.is_empty() { "<none>".into() } else { v };
        let id = s("ID");
        let id = id.strip_prefix("sha256:").unwrap_or(&id);
        writeln!(
            tw,
            "{}\t{}\t{}\t{}\t{}",
            s("ContainerName"),
            or_none(s("Repository")),
            or_none(s("Tag")),
            &id[..id.len().min(12)],
            units::human_size_with_precision(r["Size"].as_u64().unwrap_or(0) as f64, 3)
        )?;
    }
    tw.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
