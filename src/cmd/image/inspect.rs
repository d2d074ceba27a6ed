//! `berth image inspect` and `berth inspect`. The generic verb looks a name
//! up the way docker does: containers first, then images (`--type
//! container|image` restricts it), and prints every object it found in one
//! JSON array before failing for the first name it did not
//! (`No such object: x`, or `No such container|image: x` with `--type`).
//! The lookup itself is `crate::inspect`; this file parses and renders.

use crate::cli::image::{ImageInspectArgs, InspectArgs};
use crate::cmd::context::Context;
use crate::format;
use crate::inspect::{self, Found, Kind, Sources};
use crate::snapshot::Snapshotter;
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(ctx: &Context, args: ImageInspectArgs, out: &mut dyn Write) -> Result<u8> {
    let mut store = ctx.store()?;
    let found = lookup(ctx, None, &mut store, Kind::Image, &args.images)?;
    render(out, &found, args.format.as_deref(), Kind::Image)
}

/// `berth inspect NAME...`: containers, then images.
pub fn run_generic(ctx: &Context, args: InspectArgs, out: &mut dyn Write) -> Result<u8> {
    let kind = match args.kind.as_deref() {
        None => Kind::Any,
        Some("container") => Kind::Container,
        Some("image") => Kind::Image,
        Some(other) => bail!("\"{other}\" is not a valid value for --type"),
    };
    let found = if kind == Kind::Image {
        lookup(ctx, None, &mut ctx.store()?, kind, &args.names)?
    } else {
        let (host, mut store) = ctx.container_store()?;
        lookup(ctx, Some(&host), &mut store, kind, &args.names)?
    };
    render(out, &found, args.format.as_deref(), kind)
}

fn lookup(
    ctx: &Context,
    host: Option<&crate::container::lifecycle::Host>,
    store: &mut crate::store::Store,
    kind: Kind,
    names: &[String],
) -> Result<Found> {
    let content = ctx.content();
    let snapshots = Snapshotter::new(ctx.layout.snapshots_dir());
    let src = Sources {
        host,
        store,
        content: &content,
        snapshots: &snapshots,
    };
    inspect::lookup(src, kind, names, false)
}

/// Docker prints what it found, then fails for what it did not.
pub fn render(out: &mut dyn Write, found: &Found, fmt: Option<&str>, kind: Kind) -> Result<u8> {
    if !found.items.is_empty() || fmt.is_none() {
        format::render_inspect(out, fmt, &found.items)?;
    }
    out.flush()?;
    if let Some(first) = &found.missing {
        bail!("No such {}: {first}", kind.noun());
    }
    Ok(0)
}
