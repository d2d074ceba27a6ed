//! One network namespace per attached container, pinned at
//! `<state-root>/netns/<container-id>` (tmpfs: a reboot removes them all).
//! It is created before the runtime starts the container and handed to the
//! runtime spec as the namespace to join; teardown unpins it. Both steps are
//! idempotent. The system calls live in `sys::netns`.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("network namespace {path}: {source}")]
pub struct NetnsError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Where a container's namespace is pinned.
pub fn path(netns_dir: &Path, container_id: &str) -> PathBuf {
    netns_dir.join(container_id)
}

/// Create and pin the namespace unless it is already there (a pinned file is
/// a mount point: its device differs from its directory's).
pub fn create(netns_dir: &Path, container_id: &str) -> Result<PathBuf, NetnsError> {
    let p = path(netns_dir, container_id);
    let err = |source| NetnsError {
        path: p.clone(),
        source,
    };
    std::fs::create_dir_all(netns_dir).map_err(err)?;
    if is_pinned(&p) {
        return Ok(p);
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&p)
        .map_err(err)?;
    if let Err(e) = crate::sys::netns::create_pinned(&p) {
        let _ = std::fs::remove_file(&p);
        return Err(err(e));
    }
    Ok(p)
}

/// Whether `p` is a pinned namespace (nsfs mount).
pub fn is_pinned(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(p), p.parent().map(std::fs::metadata)) {
        (Ok(f), Some(Ok(d))) => f.dev() != d.dev(),
        _ => false,
    }
}

/// Whether a process still lives in the namespace pinned at `p` (one that
/// joined it with `--network container:`): a scan of `/proc` comparing the
/// namespace's inode. Unreadable `/proc` counts as in use.
pub fn has_processes(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(ns) = std::fs::metadata(p) else {
        return false;
    };
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return true;
    };
    procs.flatten().any(|e| {
        e.file_name()
            .to_str()
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            && std::fs::metadata(e.path().join("ns/net"))
                .is_ok_and(|m| m.dev() == ns.dev() && m.ino() == ns.ino())
    })
}

/// Unpin and remove the namespace file; nothing there is fine.
pub fn remove(netns_dir: &Path, container_id: &str) -> Result<(), NetnsError> {
    let p = path(netns_dir, container_id);
    let err = |source| NetnsError {
        path: p.clone(),
        source,
    };
    crate::sys::netns::unpin(&p).map_err(err)?;
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_is_idempotent_and_remove_unpins() {
        if !rustix::process::geteuid().is_root() {
            eprintln!("skipping: needs root");
            return;
        }
        let d = tempfile::tempdir().unwrap();
        let p = create(d.path(), "c1").unwrap();
        assert!(is_pinned(&p));
        let ino = std::fs::metadata(&p).map(|m| std::os::unix::fs::MetadataExt::ino(&m));
        create(d.path(), "c1").unwrap();
        assert_eq!(
            std::fs::metadata(&p)
                .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
                .unwrap(),
            ino.unwrap()
        );
        assert!(!has_processes(&p));
        remove(d.path(), "c1").unwrap();
        assert!(!p.exists());
        remove(d.path(), "c1").unwrap();
    }
}
