//! `berth rmi` / `image rm` and `image prune`: flags → the removal rules of
//! `image::remove` (one transaction per name or image) → Docker's lines,
//! then unreferenced blobs and snapshots are collected under the exclusive
//! GC lock.

use crate::cli::image::{PruneArgs, RemoveArgs};
use crate::cmd::context::Context;
use crate::filter::{FilterSpec, Filters, UnknownKey};
use crate::image::config_labels;
use crate::image::remove::{self, PruneOptions, Removal};
use crate::store::images;
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Context, args: RemoveArgs, out: &mut dyn Write) -> Result<u8> {
    let mut store = ctx.store()?;
    store.frees_space();
    let gc_lock = ctx.layout.gc_lock_exclusive()?;
    let mut failed = false;
    for name in &args.images {
        let image_id = crate::image::lookup::find_id(store.conn(), name)
            .ok()
            .flatten()
            .unwrap_or_default();
        match store.write(|tx| remove::remove(tx, name, args.force)) {
            Ok(removed) => {
                for r in removed {
                    let root = &ctx.layout.data_root;
                    match r {
                        Removal::Untagged(n) => {
                            writeln!(out, "Untagged: {n}")?;
                            crate::image::emit_event(
                                &ctx.layout,
                                "untag",
                                &image_id,
                                &image_id,
                                &image_id,
                            );
                        }
                        Removal::Deleted(id) => {
                            writeln!(out, "Deleted: {id}")?;
                            crate::events::emit_image(root, "delete", &id, &id, Default::default());
                        }
                    }
                }
            }
            Err(e) => {
                out.flush()?;
                eprintln!("berth: {}", crate::cmd::render_chain(&e));
                failed = true;
            }
        }
    }
    out.flush()?;
    ctx.collect_garbage(&gc_lock, &store)?;
    if failed {
        // Each error was printed as it happened; exit 1 like docker.
        return Err(crate::cmd::ExitStatus(crate::cmd::ExitCode::Failure).into());
    }
    Ok(0)
}

const PRUNE_FILTERS: FilterSpec = FilterSpec {
    flag: "--filter",
    keys: &["until", "label", "label!"],
    unknown: UnknownKey::Lower,
};

pub fn run_prune(ctx: &Context, args: PruneArgs) -> Result<u8> {
    prune_options(args.all, &args.filter)?;
    if !args.force {
        let what = if args.all {
            "WARNING! This will remove all images without at least one container associated to them."
        } else {
            "WARNING! This will remove all dangling images."
        };
        if !crate::cmd::confirm(what)? {
            return Ok(0);
        }
    }
    let (lines, bytes) = prune(ctx, args.all, &args.filter)?;
    crate::cmd::print_prune_report("Deleted Images:", &lines, bytes)?;
    Ok(0)
}

fn prune_options(all: bool, raw_filters: &[String]) -> Result<PruneOptions> {
    let filters = Filters::parse(raw_filters, &PRUNE_FILTERS)?;
    Ok(PruneOptions {
        all,
        until: filters
            .until(std::time::SystemTime::now())?
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).timestamp()),
        labels: filters.labels(),
    })
}

/// Remove the dangling (or, with `all`, unused) images the filters select,
/// then collect garbage (no prompt): the `untagged:`/`deleted:` lines and
/// the bytes freed. Also a step of `system prune`.
pub fn prune(ctx: &Context, all: bool, raw_filters: &[String]) -> Result<(Vec<String>, u64)> {
    let opts = prune_options(all, raw_filters)?;
    let mut store = ctx.store()?;
    store.frees_space();
    let gc_lock = ctx.layout.gc_lock_exclusive()?;
    let content = ctx.content();
    let mut lines = Vec::new();
    for rec in images::list(store.conn())? {
        if !opts.selects(&rec, || config_labels(&content, &rec.id)) {
            continue;
        }
        for r in store.write(|tx| remove::prune_one(tx, &rec))? {
            lines.push(match r {
                Removal::Untagged(n) => format!("untagged: {n}"),
                Removal::Deleted(id) => format!("deleted: {id}"),
            });
        }
    }
    let report = ctx.collect_garbage(&gc_lock, &store)?;
    Ok((lines, report.bytes))
}
