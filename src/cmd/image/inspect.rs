//! `berth image inspect` and `berth inspect`. The generic verb looks a name
//! up the way docker does: containers first, then images (`--type
//! container|image` restricts it), and prints every object it found in one
//! JSON array before failing for the first name it did not
//! (`No such object: x`, or `No such container|image: x` with `--type`).

use crate::cli::image::{ImageInspectArgs, InspectArgs};
use crate::cmd::context::Context;
use crate::format;
use crate::image::content::ContentStore;
use crate::image::{describe, lookup, manifest::chain_ids, read_config};
use crate::snapshot::Snapshotter;
use crate::store::Store;
use anyhow::{bail, Result};
use serde_json::Value;
use std::io::Write;

pub fn run(ctx: &Context, args: ImageInspectArgs, out: &mut dyn Write) -> Result<u8> {
    let store = ctx.store()?;
    let (content, snaps) = image_sources(ctx);
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for name in &args.images {
        match image_item(&store, &content, &snaps, name)? {
            Some(v) => items.push(v),
            None => missing.push(name.clone()),
        }
    }
    print(
        out,
        &items,
        args.format.as_deref(),
        missing.first(),
        "image",
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    Container,
    Image,
}

/// `berth inspect NAME...`: containers, then images.
pub fn run_generic(ctx: &Context, args: InspectArgs, out: &mut dyn Write) -> Result<u8> {
    let kind = match args.kind.as_deref() {
        None => Kind::Any,
        Some("container") => Kind::Container,
        Some("image") => Kind::Image,
        Some(other) => bail!("\"{other}\" is not a valid value for --type"),
    };
    let (content, snaps) = image_sources(ctx);
    let mut containers = match kind {
        Kind::Image => None,
        _ => Some(ctx.container_store()?),
    };
    let store = match &containers {
        Some(_) => None,
        None => Some(ctx.store()?),
    };
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for name in &args.names {
        if let Some((host, cstore)) = containers.as_mut() {
            match crate::cmd::container::inspect::describe_one(ctx, host, cstore, name, false) {
                Ok(v) => {
                    items.push(v);
                    continue;
                }
                Err(e)
                    if e.downcast_ref::<crate::container::lifecycle::NoSuchContainer>()
                        .is_some() => {}
                Err(e) => return Err(e),
            }
        }
        if kind != Kind::Container {
            let s = match (&containers, &store) {
                (Some((_, s)), _) => s,
                (None, Some(s)) => s,
                (None, None) => unreachable!("one store is always open"),
            };
            if let Some(v) = image_item(s, &content, &snaps, name)? {
                items.push(v);
                continue;
            }
        }
        missing.push(name.clone());
    }
    let what = match kind {
        Kind::Any => "object",
        Kind::Container => "container",
        Kind::Image => "image",
    };
    print(out, &items, args.format.as_deref(), missing.first(), what)
}

fn image_sources(ctx: &Context) -> (ContentStore, Snapshotter) {
    (ctx.content(), Snapshotter::new(ctx.layout.snapshots_dir()))
}

/// The inspect object of one image, None when there is no such image.
fn image_item(
    store: &Store,
    content: &ContentStore,
    snaps: &Snapshotter,
    name: &str,
) -> Result<Option<Value>> {
    match lookup::find(store.conn(), name) {
        Ok(rec) => {
            let config = read_config(content, &rec.id)?;
            let dirs: Vec<String> = chain_ids(&config.rootfs.diff_ids)
                .iter()
                .map(|c| snaps.layer_dir(c).display().to_string())
                .collect();
            Ok(Some(describe::inspect_json(&rec, &config, &dirs)))
        }
        Err(lookup::LookupError::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Docker prints what it found, then fails for what it did not.
fn print(
    out: &mut dyn Write,
    items: &[Value],
    fmt: Option<&str>,
    missing: Option<&String>,
    kind: &str,
) -> Result<u8> {
    if !items.is_empty() || fmt.is_none() {
        format::render_inspect(out, fmt, items)?;
    }
    out.flush()?;
    if let Some(first) = missing {
        bail!("No such {kind}: {first}");
    }
    Ok(0)
}
