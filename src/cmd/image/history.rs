//! `berth history IMAGE`.

use crate::cli::image::HistoryArgs;
use crate::cmd::context::Context;
use crate::format::{self, units, ListFormat};
use crate::image::{lookup, read_config};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

const DEFAULT_TABLE: &str =
    "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
const HEADERS: &[(&str, &str)] = &[
    ("ID", "IMAGE"),
    ("CreatedSince", "CREATED"),
    ("CreatedAt", "CREATED AT"),
    ("CreatedBy", "CREATED BY"),
    ("Size", "SIZE"),
    ("Comment", "COMMENT"),
];

pub fn run(ctx: &Context, args: HistoryArgs, out: &mut dyn Write) -> Result<u8> {
    let store = ctx.store()?;
    let rec = lookup::find(store.conn(), &args.image)?;
    let content = ctx.content();
    let config = read_config(&content, &rec.id)?;
    let format = if args.quiet {
        ListFormat::Template("{{.ID}}".into())
    } else {
        ListFormat::parse(args.format.as_deref(), DEFAULT_TABLE)?
    };
    let snaps = crate::snapshot::Snapshotter::new(ctx.layout.snapshots_dir());
    let layer_sizes: Vec<u64> = crate::image::manifest::chain_ids(&config.rootfs.diff_ids)
        .iter()
        .map(|c| snaps.layer_info(c).map(|i| i.size).unwrap_or(0))
        .collect();
    let now = chrono::Utc::now();
    let mut layer = layer_sizes.len();
    let mut rows = Vec::new();
    // Newest first, like docker; the image ID goes on the top entry only.
    for (i, h) in config.history.iter().enumerate().rev() {
        let size = if h.empty_layer || layer == 0 {
            0
        } else {
            layer -= 1;
            layer_sizes[layer]
        };
        let created = h
            .created
            .as_deref()
            .and_then(|c| chrono::DateTime::parse_from_rfc3339(c).ok())
            .map(|t| t.with_timezone(&chrono::Utc));
        let id = if i + 1 == config.history.len() {
            if args.no_trunc {
                rec.id.clone()
            } else {
                rec.id.trim_start_matches("sha256:")[..12].to_string()
            }
        } else {
            "<missing>".to_string()
        };
        let created_by = h.created_by.clone().unwrap_or_default();
        let created_by = if args.no_trunc || created_by.chars().count() <= 45 {
            created_by
        } else {
            let s: String = created_by.chars().take(44).collect();
            format!("{s}…")
        };
        let (since, size_s) = if args.human {
            (
                created
                    .map(|t| {
                        let d = (now - t).to_std().unwrap_or_default();
                        format!("{} ago", units::human_duration(d))
                    })
                    .unwrap_or_else(|| "N/A".into()),
                units::human_size(size),
            )
        } else {
            (
                created.map(|t| t.to_rfc3339()).unwrap_or_default(),
                size.to_string(),
            )
        };
        rows.push(json!({
            "ID": id,
            "CreatedSince": since,
            "CreatedAt": created.map(|t| t.to_rfc3339()).unwrap_or_default(),
            "CreatedBy": created_by,
            "Size": size_s,
            "Comment": h.comment.clone().unwrap_or_default(),
        }));
    }
    format::render_list(out, &format, HEADERS, &rows)?;
    out.flush()?;
    Ok(0)
}
