//! `berth rmi` / `image rm` and `image prune`.
//!
//! Docker's rules: removing a name untags it, and the image itself goes when
//! its last name does; removing by ID refuses an image with several names
//! unless forced; an image a container uses is refused, and with `-f` only
//! untagged. Records change in one transaction, then unreferenced blobs and
//! snapshots are collected under the exclusive GC lock.

use crate::cli::image::{PruneArgs, RemoveArgs};
use crate::cmd::context::Context;
use crate::filter::{FilterSpec, Filters, UnknownKey};
use crate::image::describe::{created_unix, repo_digests, repo_tags};
use crate::image::lookup::{self, Match};
use crate::image::{gc, reference::Reference};
use crate::store::images::{self, ImageRecord};
use anyhow::{anyhow, bail, Result};
use rusqlite::Transaction;
use std::io::Write;

pub fn run(ctx: &Context, args: RemoveArgs) -> Result<u8> {
    let mut store = ctx.store()?;
    let gc_lock = ctx.layout.gc_lock_exclusive()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = None;
    for name in &args.images {
        let res = store.write(|tx| remove_one(tx, name, args.force));
        match res {
            Ok(lines) => {
                for l in lines {
                    writeln!(out, "{l}")?;
                }
            }
            Err(e) => {
                eprintln!("berth: {e:#}");
                failed = Some(e);
            }
        }
    }
    out.flush()?;
    gc::collect(
        &gc_lock,
        store.conn(),
        &ctx.content(),
        &crate::snapshot::Snapshotter::new(ctx.layout.snapshots_dir()),
    )?;
    match failed {
        // Each error was printed as it happened; exit 1 like docker.
        Some(_) => Err(crate::cmd::ExitStatus(1).into()),
        None => Ok(0),
    }
}

/// Containers (id, running) that use an image. The containers table arrives
/// with the container issue; until it exists nothing uses an image.
fn users(tx: &Transaction<'_>, image_id: &str) -> Result<Vec<(String, bool)>> {
    let exists: bool = tx.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'containers'",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut stmt = tx.prepare(
        "SELECT id, status IN ('running', 'paused', 'restarting') FROM containers WHERE image_id = ?1",
    )?;
    let rows = stmt.query_map([image_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn short(id: &str) -> &str {
    let hex = id.trim_start_matches("sha256:");
    &hex[..hex.len().min(12)]
}

fn remove_one(tx: &Transaction<'_>, name: &str, force: bool) -> Result<Vec<String>> {
    let (id, how) =
        lookup::find_match(tx, name)?.ok_or_else(|| anyhow!("No such image: {name}"))?;
    let rec = images::get(tx, &id)?.ok_or_else(|| anyhow!("No such image: {name}"))?;
    let used = users(tx, &id)?;
    let mut lines = Vec::new();
    match how {
        Match::Tag(_) | Match::Digest { .. } if rec.tags.len() + rec.digests.len() > 1 => {
            // Other names remain: only this one goes.
            untag(tx, &how, &mut lines)?;
            if let Match::Tag(t) = &how {
                // Docker also drops the repo digest that only this tag's repo used.
                drop_orphan_digests(tx, &rec, t, &mut lines)?;
            }
            if images::get(tx, &id)?.is_some_and(|r| !r.tags.is_empty() || !r.digests.is_empty()) {
                return Ok(lines);
            }
        }
        Match::Id if rec.tags.len() > 1 && !force => {
            bail!(
                "conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
                short(&id)
            );
        }
        _ => {}
    }
    if let Some((cid, running)) = used.first() {
        let state = if *running { "running" } else { "stopped" };
        if !force || *running {
            let forced = if *running {
                "cannot be forced"
            } else {
                "must be forced"
            };
            match &how {
                Match::Id => bail!(
                    "conflict: unable to delete {} ({forced}) - image is being used by {state} container {}",
                    short(&id),
                    short(cid)
                ),
                _ => bail!(
                    "conflict: unable to remove repository reference \"{name}\" ({forced}) - container {} is using its referenced image {}",
                    short(cid),
                    short(&id)
                ),
            }
        }
        // Forced with a stopped user: untag everything, keep the image.
        untag_all(tx, &rec, &mut lines)?;
        return Ok(lines);
    }
    untag_all(tx, &rec, &mut lines)?;
    images::remove(tx, &id)?;
    lines.push(format!("Deleted: {id}"));
    Ok(lines)
}

fn untag(tx: &Transaction<'_>, how: &Match, lines: &mut Vec<String>) -> Result<()> {
    match how {
        Match::Tag(t) => {
            images::remove_tag(tx, t)?;
            lines.push(format!("Untagged: {}", familiar(t)));
        }
        Match::Digest { repo, digest } => {
            images::remove_digest(tx, repo, digest)?;
            lines.push(format!(
                "Untagged: {}",
                familiar(&format!("{repo}@{digest}"))
            ));
        }
        Match::Id => {}
    }
    Ok(())
}

fn drop_orphan_digests(
    tx: &Transaction<'_>,
    rec: &ImageRecord,
    removed_tag: &str,
    lines: &mut Vec<String>,
) -> Result<()> {
    let Ok(r) = Reference::parse(removed_tag) else {
        return Ok(());
    };
    let repo = r.name();
    let other_tag_in_repo = rec.tags.iter().any(|t| {
        t != removed_tag
            && Reference::parse(t)
                .map(|x| x.name() == repo)
                .unwrap_or(false)
    });
    if other_tag_in_repo {
        return Ok(());
    }
    for d in &rec.digests {
        if let Some((drepo, digest)) = d.split_once('@') {
            if drepo == repo {
                images::remove_digest(tx, drepo, digest)?;
                lines.push(format!("Untagged: {}", familiar(d)));
            }
        }
    }
    Ok(())
}

fn untag_all(tx: &Transaction<'_>, rec: &ImageRecord, lines: &mut Vec<String>) -> Result<()> {
    for t in &rec.tags {
        if images::remove_tag(tx, t)? {
            lines.push(format!("Untagged: {}", familiar(t)));
        }
    }
    for d in &rec.digests {
        if let Some((repo, digest)) = d.split_once('@') {
            if images::remove_digest(tx, repo, digest)? {
                lines.push(format!("Untagged: {}", familiar(d)));
            }
        }
    }
    Ok(())
}

fn familiar(s: &str) -> String {
    Reference::parse(s)
        .map(|r| r.familiar())
        .unwrap_or_else(|_| s.to_string())
}

const PRUNE_FILTERS: FilterSpec = FilterSpec {
    flag: "--filter",
    keys: &["until", "label", "label!"],
    unknown: UnknownKey::Lower,
};

pub fn run_prune(ctx: &Context, args: PruneArgs) -> Result<u8> {
    let filters = Filters::parse(&args.filter, &PRUNE_FILTERS)?;
    let until = filters
        .until(std::time::SystemTime::now())?
        .map(|t| chrono::DateTime::<chrono::Utc>::from(t).timestamp());
    let labels = filters.labels();
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
    let mut store = ctx.store()?;
    let gc_lock = ctx.layout.gc_lock_exclusive()?;
    let content = ctx.content();
    let mut lines = Vec::new();
    let candidates = images::list(store.conn())?;
    for rec in candidates {
        if !args.all && !rec.tags.is_empty() {
            continue;
        }
        if let Some(until) = until {
            if created_unix(rec.created.as_deref()).unwrap_or(0) >= until {
                continue;
            }
        }
        if !labels.is_empty() && !labels.matches(&crate::image::config_labels(&content, &rec.id)) {
            continue;
        }
        let removed = store.write(|tx| -> Result<Vec<String>> {
            if !users(tx, &rec.id)?.is_empty() {
                return Ok(Vec::new());
            }
            let mut l = Vec::new();
            for t in repo_tags(&rec) {
                l.push(format!("untagged: {t}"));
            }
            for d in repo_digests(&rec) {
                l.push(format!("untagged: {d}"));
            }
            images::remove(tx, &rec.id)?;
            l.push(format!("deleted: {}", rec.id));
            Ok(l)
        })?;
        lines.extend(removed);
    }
    let report = gc::collect(
        &gc_lock,
        store.conn(),
        &content,
        &crate::snapshot::Snapshotter::new(ctx.layout.snapshots_dir()),
    )?;
    crate::cmd::print_prune_report("Deleted Images:", &lines, report.bytes)?;
    Ok(0)
}
