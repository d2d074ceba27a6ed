//! Garbage collection of blobs and layer snapshots no image references.
//!
//! Runs under the exclusive GC lock (see `store::Layout::gc_lock_exclusive`):
//! pulls hold it shared while they write files they have not recorded yet, so
//! nothing in flight is ever collected. Ingest files of killed pulls that no
//! process holds are removed too.

use super::content::ContentStore;
use super::digest::Digest;
use super::manifest::chain_ids;
use crate::snapshot::Snapshotter;
use crate::store::images;
use crate::sys::lock::FileLock;
use anyhow::Result;
use rusqlite::Connection;
use std::collections::HashSet;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct GcReport {
    pub blobs_removed: usize,
    pub snapshots_removed: usize,
    /// Bytes freed: blob sizes plus unpacked layer sizes.
    pub bytes: u64,
}

/// Blobs and layer chains kept although no image names them: the build
/// cache's (`build::cache::Cache::live`), freed by `builder prune`.
pub type Keep = (HashSet<String>, HashSet<Digest>);

/// Remove what no image record (and nothing in `keep`) references. `_lock`
/// proves the caller holds the exclusive GC lock.
pub fn collect(
    _lock: &FileLock,
    conn: &Connection,
    content: &ContentStore,
    snaps: &Snapshotter,
    keep: &Keep,
) -> Result<GcReport> {
    let mut referenced = images::referenced_blobs(conn)?;
    referenced.extend(keep.0.iter().cloned());
    let mut keep_chains: HashSet<Digest> = keep.1.clone();
    for rec in images::list(conn)? {
        if let Ok(cfg) = super::read_config(content, &rec.id) {
            keep_chains.extend(chain_ids(&cfg.rootfs.diff_ids));
        }
    }
    let mut report = GcReport::default();
    for chain in snaps.list_layers()? {
        if !keep_chains.contains(&chain) {
            report.bytes += snaps.layer_info(&chain).map(|i| i.size).unwrap_or(0);
            snaps.remove_layer(&chain)?;
            report.snapshots_removed += 1;
        }
    }
    for blob in content.list()? {
        if !referenced.contains(&blob.to_string()) {
            report.bytes += content.size(&blob).unwrap_or(0);
            content.remove(&blob)?;
            report.blobs_removed += 1;
        }
    }
    content.clean_ingest()?;
    crate::debug::debug!(
        "gc: removed {} blobs and {} layer snapshots ({} bytes)",
        report.blobs_removed,
        report.snapshots_removed,
        report.bytes
    );
    Ok(report)
}
