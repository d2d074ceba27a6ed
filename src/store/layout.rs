//! Where everything lives under the data root and the state root
//! (DESIGN.md, "Where things live"). Every other module asks here for paths.

use super::{Result, StoreError};
use crate::sys::lock::FileLock;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Layout {
    pub data_root: PathBuf,
    pub state_root: PathBuf,
}

impl Layout {
    pub fn new(data_root: PathBuf, state_root: PathBuf) -> Layout {
        Layout {
            data_root,
            state_root,
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.data_root.join("berth.db")
    }
    pub fn content_dir(&self) -> PathBuf {
        self.data_root.join("content")
    }
    pub fn snapshots_dir(&self) -> PathBuf {
        self.data_root.join("snapshots")
    }
    pub fn containers_dir(&self) -> PathBuf {
        self.data_root.join("containers")
    }
    pub fn volumes_dir(&self) -> PathBuf {
        self.data_root.join("volumes")
    }
    pub fn locks_dir(&self) -> PathBuf {
        self.state_root.join("locks")
    }

    /// Create the roots (0700 for data, like docker's /var/lib/docker).
    pub fn ensure_dirs(&self) -> Result<()> {
        for dir in [&self.data_root, &self.state_root] {
            create_private_dir(dir)?;
        }
        Ok(())
    }

    /// The garbage-collection lock. Pulls, loads and pushes hold it shared for
    /// their whole run, so blobs and snapshots they have written but not yet
    /// recorded are never collected; `rmi`/`prune` take it exclusive.
    pub fn gc_lock_shared(&self) -> Result<FileLock> {
        let p = self.locks_dir().join("gc.lock");
        FileLock::shared(&p).map_err(|source| StoreError::Io { path: p, source })
    }

    pub fn gc_lock_exclusive(&self) -> Result<FileLock> {
        let p = self.locks_dir().join("gc.lock");
        FileLock::exclusive(&p).map_err(|source| StoreError::Io { path: p, source })
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        Ok(()) => Ok(()),
        Err(source) => Err(StoreError::Io {
            path: dir.to_path_buf(),
            source,
        }),
    }
}
