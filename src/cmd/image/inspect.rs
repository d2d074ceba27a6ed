//! `berth image inspect` and the image part of `berth inspect`.

use crate::cli::image::{ImageInspectArgs, InspectArgs};
use crate::cmd::context::Context;
use crate::format;
use crate::image::{describe, lookup, manifest::chain_ids, read_config};
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(ctx: &Context, args: ImageInspectArgs) -> Result<u8> {
    inspect(ctx, &args.images, args.format.as_deref(), "image")
}

/// `berth inspect NAME...`: images for now; containers, networks and volumes
/// join as their issues land.
pub fn run_generic(ctx: &Context, args: InspectArgs) -> Result<u8> {
    match args.kind.as_deref() {
        None => inspect(ctx, &args.names, args.format.as_deref(), "object"),
        Some("image") => inspect(ctx, &args.names, args.format.as_deref(), "image"),
        Some(other) => bail!("\"{other}\" is not a valid value for --type"),
    }
}

fn inspect(ctx: &Context, names: &[String], fmt: Option<&str>, kind: &str) -> Result<u8> {
    let store = ctx.store()?;
    let content = ctx.content();
    let snaps = crate::snapshot::Snapshotter::new(ctx.layout.snapshots_dir());
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for name in names {
        match lookup::find(store.conn(), name) {
            Ok(rec) => {
                let config = read_config(&content, &rec.id)?;
                let dirs: Vec<String> = chain_ids(&config.rootfs.diff_ids)
                    .iter()
                    .map(|c| snaps.layer_dir(c).display().to_string())
                    .collect();
                items.push(describe::inspect_json(&rec, &config, &dirs));
            }
            Err(lookup::LookupError::NotFound(n)) => missing.push(n),
            Err(e) => return Err(e.into()),
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Docker prints what it found, then fails for what it did not.
    if !items.is_empty() || fmt.is_none() {
        format::render_inspect(&mut out, fmt, &items)?;
    }
    out.flush()?;
    if let Some(first) = missing.first() {
        bail!("No such {kind}: {first}");
    }
    Ok(0)
}
