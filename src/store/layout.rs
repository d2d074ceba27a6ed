//! Where everything lives under the data root and the state root
//! (DESIGN.md, "Where things live"). Every other module asks here for paths.
//!
//! It also owns the modes of berth's own directories: the roots berth
//! creates are 0700, and whatever the mode of a root that existed before
//! (`mkdir -p` leaves 0755), the subdirectories berth keeps there
//! (`containers`, `content`, `snapshots`, `volumes`; the state root's
//! `containers`, `locks`, `runtime`, `exec`) are made 0700, or tightened to
//! it when they exist, and the metadata database files to 0600, so other
//! users can neither read logs and configurations nor reach a layer's
//! setuid files or a running container's root filesystem. Docker keeps its
//! root 0710 and its layer directories 0700. Containers do not need more:
//! the runtime (root) mounts their root filesystem and volumes, and the
//! container's processes never walk these host paths. A root that already
//! exists is left as its owner made it.

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
    /// SQLite's write-ahead log beside the database.
    pub fn wal_path(&self) -> PathBuf {
        self.data_root.join("berth.db-wal")
    }
    /// Held while a new database is switched to WAL and migrated.
    pub fn init_lock_path(&self) -> PathBuf {
        self.data_root.join("berth.db.init-lock")
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

    /// Create the roots (0700, missing parents included) and berth's own
    /// directories in them (0700, tightened to that when they exist).
    pub fn ensure_dirs(&self) -> Result<()> {
        for dir in [&self.data_root, &self.state_root] {
            create_private_dir(dir)?;
        }
        for name in DATA_DIRS {
            ensure_private_dir(&self.data_root.join(name))?;
        }
        for name in STATE_DIRS {
            ensure_private_dir(&self.state_root.join(name))?;
        }
        Ok(())
    }

    /// Make the metadata database and its WAL and shared-memory files
    /// readable by their owner only (SQLite creates them 0644, and gives the
    /// WAL files the database file's mode). Call right after opening it.
    pub fn restrict_db_files(&self) -> Result<()> {
        let db = self.db_path();
        for suffix in ["", "-wal", "-shm"] {
            let mut p = db.clone().into_os_string();
            p.push(suffix);
            restrict(Path::new(&p), 0o600)?;
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

/// berth's directories in the data root.
const DATA_DIRS: [&str; 4] = ["containers", "content", "snapshots", "volumes"];
/// berth's directories in the state root.
const STATE_DIRS: [&str; 4] = ["containers", "locks", "runtime", "exec"];

/// Create `dir` 0700, or take the group's and others' permissions off it
/// when it exists (a symlink is refused: these are berth's own paths).
fn ensure_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    let io = |source| StoreError::Io {
        path: dir.to_path_buf(),
        source,
    };
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let md = std::fs::symlink_metadata(dir).map_err(io)?;
            if !md.is_dir() {
                return Err(io(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "exists and is not a directory",
                )));
            }
            restrict(dir, 0o700)
        }
        Err(e) => Err(io(e)),
    }
}

/// Take every permission outside `keep` off `path` if it exists (without
/// following a symlink there).
fn restrict(path: &Path, keep: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let md = match std::fs::symlink_metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mode = md.permissions().mode() & 0o7777;
    if md.file_type().is_symlink() || mode & !keep == 0 {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & keep)).map_err(|source| {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn own_dirs_are_private_in_a_root_made_beforehand() {
        let d = tempfile::tempdir().unwrap();
        let data = d.path().join("data");
        let state = d.path().join("state");
        for p in [&data, &state, &data.join("snapshots"), &state.join("locks")] {
            std::fs::create_dir_all(p).unwrap();
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::write(data.join("berth.db"), "").unwrap();
        std::fs::set_permissions(
            data.join("berth.db"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        let l = Layout::new(data.clone(), state.clone());
        l.ensure_dirs().unwrap();
        l.restrict_db_files().unwrap();
        assert_eq!(mode(&data), 0o755, "a root made beforehand is left alone");
        for n in DATA_DIRS {
            assert_eq!(mode(&data.join(n)), 0o700, "{n}");
        }
        for n in STATE_DIRS {
            assert_eq!(mode(&state.join(n)), 0o700, "{n}");
        }
        assert_eq!(mode(&data.join("berth.db")), 0o600);

        let fresh = Layout::new(d.path().join("new/data"), d.path().join("new/state"));
        fresh.ensure_dirs().unwrap();
        assert_eq!(mode(&fresh.data_root), 0o700);
        assert_eq!(mode(&fresh.state_root), 0o700);

        std::fs::remove_dir(data.join("volumes")).unwrap();
        std::os::unix::fs::symlink(d.path(), data.join("volumes")).unwrap();
        assert!(
            l.ensure_dirs().is_err(),
            "a symlink in place of a berth dir"
        );
    }
}
