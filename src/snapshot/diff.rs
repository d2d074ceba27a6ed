//! `docker diff`: what a container changed relative to its image. With
//! overlay the answer is the upper dir (a 0/0 char device there is a
//! deletion; an opaque directory hides every lower entry not recreated);
//! with the copy driver it is a comparison of the rootfs against the layers'
//! merged view. Output is sorted by path, parents before children, like
//! Docker's.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt;
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};

use super::copy::{is_opaque, is_whiteout};
use super::{io_err, SnapshotError};

/// One change, printed as Docker's `A`, `C` or `D`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::Added => "A",
            Change::Modified => "C",
            Change::Deleted => "D",
        })
    }
}

/// The merged, read-only view of a stack of layer dirs (top-most first), as
/// overlayfs presents it.
struct LowerView<'a> {
    lowers: &'a [PathBuf],
}

impl LowerView<'_> {
    /// The entry at `rel` as overlay shows it, if any. Never follows a
    /// symlink: a non-directory ancestor hides everything beneath it.
    fn lookup(&self, rel: &Path) -> Option<Metadata> {
        let comps: Vec<Component> = rel.components().collect();
        'layers: for layer in self.lowers {
            let mut p = layer.clone();
            let mut opaque_above = false;
            for (i, c) in comps.iter().enumerate() {
                p.push(c);
                let md = match std::fs::symlink_metadata(&p) {
                    Ok(md) => md,
                    Err(_) if opaque_above => return None,
                    Err(_) => continue 'layers,
                };
                if is_whiteout(&md) {
                    return None;
                }
                if i + 1 == comps.len() {
                    return Some(md);
                }
                if !md.is_dir() {
                    return None;
                }
                if is_opaque(&p) {
                    opaque_above = true;
                }
            }
            if comps.is_empty() {
                return std::fs::symlink_metadata(layer).ok();
            }
        }
        None
    }

    /// Names visible in directory `rel` of the merged lower view.
    fn children(&self, rel: &Path) -> BTreeSet<OsString> {
        let mut names = BTreeSet::new();
        for layer in self.lowers {
            if let Ok(rd) = std::fs::read_dir(layer.join(rel)) {
                names.extend(rd.filter_map(|e| e.ok()).map(|e| e.file_name()));
            }
        }
        names.retain(|n| self.lookup(&rel.join(n)).is_some());
        names
    }
}

fn list(dir: &Path) -> Result<Vec<OsString>, SnapshotError> {
    let mut names: Vec<OsString> = std::fs::read_dir(dir)
        .map_err(io_err(dir))?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .map_err(io_err(dir))?;
    names.sort();
    Ok(names)
}

fn abs(rel: &Path) -> PathBuf {
    Path::new("/").join(rel)
}

/// Changes recorded in an overlay upper dir over `lowers` (top-most first).
pub(super) fn overlay_changes(
    upper: &Path,
    lowers: &[PathBuf],
) -> Result<Vec<(Change, PathBuf)>, SnapshotError> {
    let view = LowerView { lowers };
    let mut out = Vec::new();
    walk_upper(upper, Path::new(""), &view, &mut out)?;
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

fn walk_upper(
    upper: &Path,
    rel: &Path,
    view: &LowerView,
    out: &mut Vec<(Change, PathBuf)>,
) -> Result<(), SnapshotError> {
    let dir = upper.join(rel);
    let names = list(&dir)?;
    for name in &names {
        let rel = rel.join(name);
        let p = upper.join(&rel);
        let md = std::fs::symlink_metadata(&p).map_err(io_err(&p))?;
        if is_whiteout(&md) {
            out.push((Change::Deleted, abs(&rel)));
            continue;
        }
        let lower = view.lookup(&rel);
        out.push((
            if lower.is_some() {
                Change::Modified
            } else {
                Change::Added
            },
            abs(&rel),
        ));
        if md.is_dir() {
            if is_opaque(&p) && lower.as_ref().is_some_and(|l| l.is_dir()) {
                let upper_names: BTreeSet<OsString> = list(&p)?.into_iter().collect();
                for gone in view.children(&rel) {
                    if !upper_names.contains(&gone) {
                        out.push((Change::Deleted, abs(&rel.join(gone))));
                    }
                }
            }
            walk_upper(upper, &rel, view, out)?;
        }
    }
    Ok(())
}

fn differs(a: &Metadata, b: &Metadata, a_path: &Path, b_path: &Path) -> bool {
    if a.file_type() != b.file_type()
        || a.mode() != b.mode()
        || a.uid() != b.uid()
        || a.gid() != b.gid()
        || a.mtime() != b.mtime()
        || a.mtime_nsec() != b.mtime_nsec()
    {
        return true;
    }
    if a.is_dir() {
        return false;
    }
    if a.len() != b.len() {
        return true;
    }
    a.file_type().is_symlink() && std::fs::read_link(a_path).ok() != std::fs::read_link(b_path).ok()
}

/// Changes of a copied rootfs relative to `lowers` (top-most first).
pub(super) fn copy_changes(
    rootfs: &Path,
    lowers: &[PathBuf],
) -> Result<Vec<(Change, PathBuf)>, SnapshotError> {
    let view = LowerView { lowers };
    let mut out = Vec::new();
    walk_copy(rootfs, Path::new(""), &view, &mut out)?;
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

fn walk_copy(
    rootfs: &Path,
    rel: &Path,
    view: &LowerView,
    out: &mut Vec<(Change, PathBuf)>,
) -> Result<(), SnapshotError> {
    let names = list(&rootfs.join(rel))?;
    let present: BTreeSet<&OsString> = names.iter().collect();
    for gone in view.children(rel) {
        if !present.contains(&gone) {
            out.push((Change::Deleted, abs(&rel.join(gone))));
        }
    }
    for name in &names {
        let rel = rel.join(name);
        let p = rootfs.join(&rel);
        let md = std::fs::symlink_metadata(&p).map_err(io_err(&p))?;
        match view.lookup(&rel) {
            None => out.push((Change::Added, abs(&rel))),
            Some(l) => {
                let lp = lowers_path(view, &rel);
                if differs(&md, &l, &p, &lp) {
                    out.push((Change::Modified, abs(&rel)));
                }
            }
        }
        if md.is_dir() {
            walk_copy(rootfs, &rel, view, out)?;
        }
    }
    Ok(())
}

/// The path in the top-most layer that provides `rel` (for readlink).
fn lowers_path(view: &LowerView, rel: &Path) -> PathBuf {
    view.lowers
        .iter()
        .map(|l| l.join(rel))
        .find(|p| std::fs::symlink_metadata(p).is_ok())
        .unwrap_or_default()
}
