//! `berth diff CONTAINER`: the container's changes relative to its image
//! (`Snapshotter::diff`), printed as docker does: `C /etc`, `A /x`, `D /y`,
//! sorted by path.
//!
//! Docker keeps the files and mount points the runtime needs (`/etc/hosts`,
//! `/proc`, volume targets...) in an "init" layer below the container's, so
//! they never show up in `docker diff`. berth has no init layer: runc creates
//! those mount points in the container's upper dir. They are hidden here
//! instead, together with any directory that was only touched to hold them.

use crate::cli::container::ContainersArgs1;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::snapshot::Change;
use anyhow::{Context as _, Result};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(ctx: &Context, args: ContainersArgs1, out: &mut dyn Write) -> Result<u8> {
    let (host, store) = ctx.container_store()?;
    let c = lifecycle::find(&store, &args.container)?;
    let cfg = &c.spec;
    let changes = host
        .snapshots()
        .diff(&c.row.id)
        .with_context(|| format!("reading the changes of container {}", c.row.id))?;
    let changes = hide_runtime_paths(changes, &runtime_mount_points(cfg));
    for (change, path) in changes {
        if let Err(e) = writeln!(out, "{change} {}", path.display()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(0);
            }
            return Err(e.into());
        }
    }
    out.flush().or_else(|e| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(e)
        }
    })?;
    Ok(0)
}

pub(crate) use crate::container::mounts::runtime_mount_points;

/// Drop changes at or below a mount point, and directories whose only
/// changed descendants were such mount points.
fn hide_runtime_paths(
    changes: Vec<(Change, PathBuf)>,
    mounts: &[PathBuf],
) -> Vec<(Change, PathBuf)> {
    let hidden = |p: &Path| mounts.iter().any(|m| p.starts_with(m));
    let (gone, kept): (Vec<_>, Vec<_>) = changes.into_iter().partition(|(_, p)| hidden(p));
    let ancestors = |list: &[(Change, PathBuf)]| -> HashSet<PathBuf> {
        list.iter()
            .flat_map(|(_, p)| p.ancestors().skip(1).map(Path::to_path_buf))
            .collect()
    };
    let under_gone = ancestors(&gone);
    let under_kept = ancestors(&kept);
    kept.into_iter()
        .filter(|(c, p)| *c == Change::Deleted || !under_gone.contains(p) || under_kept.contains(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(ch: Change, p: &str) -> (Change, PathBuf) {
        (ch, PathBuf::from(p))
    }

    #[test]
    fn mount_points_and_their_parents_are_hidden() {
        let mounts: Vec<PathBuf> = ["/etc/hosts", "/etc/hostname", "/proc", "/data/vol"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let changes = vec![
            c(Change::Added, "/data"),
            c(Change::Added, "/data/vol"),
            c(Change::Modified, "/etc"),
            c(Change::Added, "/etc/hostname"),
            c(Change::Added, "/etc/hosts"),
            c(Change::Added, "/proc"),
            c(Change::Modified, "/tmp"),
            c(Change::Added, "/tmp/x"),
        ];
        let out = hide_runtime_paths(changes, &mounts);
        assert_eq!(
            out,
            vec![c(Change::Modified, "/tmp"), c(Change::Added, "/tmp/x")]
        );
        let changes = vec![
            c(Change::Modified, "/etc"),
            c(Change::Added, "/etc/hosts"),
            c(Change::Deleted, "/etc/passwd"),
        ];
        let out = hide_runtime_paths(changes, &mounts);
        assert_eq!(
            out,
            vec![
                c(Change::Modified, "/etc"),
                c(Change::Deleted, "/etc/passwd")
            ]
        );
    }
}
