//! Room for the metadata database when the data root's filesystem is full.
//!
//! What SQLite writes on a full disk, in WAL mode (measured on a full tmpfs):
//! the first connection to open the database truncates `berth.db-shm` to 3
//! bytes and grows it back to 32 KiB, writing one byte into each page, so
//! it fails with ENOSPC ("disk I/O error ... xShmMap") before any read; and
//! every write transaction, a delete included, appends its pages to
//! `berth.db-wal` (29 KiB, 7 pages, to delete one container with a 16 KiB
//! spec among 200: `a_delete_needs_far_less_wal_than_the_reserve`).
//! Persistent WAL (`SQLITE_FCNTL_PERSIST_WAL`) does not help the first: the
//! kept `-shm` is truncated and regrown all the same. So:
//!
//! 1. Reading: when the index cannot be mapped for want of space, the
//!    database is opened again with `locking_mode=EXCLUSIVE`, and SQLite
//!    keeps the index in this process's memory. It holds the database's lock
//!    for the command (another berth waits for it, as for a writer), which
//!    only happens when nothing else has the database open, on a full disk.
//! 2. Freeing: a reserve file, `berth.db.reserve` (4 MiB, `fallocate`d), is
//!    made whenever the filesystem has room to spare for it. A command that
//!    frees space (`Store::frees_space`: `rm`, `rmi`, the prunes, `volume
//!    rm`, `network rm`) deletes it before a write transaction when less than
//!    1 MiB is free, so what it deletes can be recorded; other writers never
//!    touch it, so a `run` failing on a full disk cannot spend that room.
//!    It comes back at the next open with room for it.
//! 3. A state change a reading command only observes (a container found
//!    exited by `ps`) is shown even when it cannot be recorded.
//!
//! Journal modes that write in place (`MEMORY`, `OFF`) would need no WAL
//! space for a delete, but a crash mid-transaction corrupts the database and
//! leaving WAL needs every other connection closed: not chosen. A write that
//! fails all the same says which file could not grow and that the device is
//! full ([`is_no_space`], `StoreError::NoSpace`), not SQLite's "database or
//! disk is full".

use super::Layout;
use std::path::{Path, PathBuf};

/// The reserve's size: room for the `-shm` index and over a hundred
/// delete transactions of ~30 KiB of WAL each.
pub const RESERVE_BYTES: u64 = 4 << 20;
/// Below this much free space a writer releases the reserve first.
pub const LOW_WATER: u64 = 1 << 20;

pub fn reserve_path(layout: &Layout) -> PathBuf {
    layout.data_root.join("berth.db.reserve")
}

/// Bytes an unprivileged writer could still allocate on `dir`'s filesystem
/// (the conservative figure: root may have a few percent more on ext4).
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

/// Make the reserve file if it is missing and the filesystem has room to
/// spare for it. Best effort: a failure leaves no partial file behind.
pub fn ensure_reserve(layout: &Layout) {
    let path = reserve_path(layout);
    if std::fs::symlink_metadata(&path).is_ok() {
        return;
    }
    match free_bytes(&layout.data_root) {
        Some(free) if free >= 2 * RESERVE_BYTES + LOW_WATER => {}
        _ => return,
    }
    let tmp = layout
        .data_root
        .join(format!("berth.db.reserve.{}.tmp", std::process::id()));
    if let Err(e) = write_reserve(&tmp).and_then(|()| std::fs::rename(&tmp, &path)) {
        let _ = std::fs::remove_file(&tmp);
        crate::debug::debug!("making {}: {e}", path.display());
    }
}

fn write_reserve(tmp: &Path) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(tmp)?;
    match rustix::fs::fallocate(&f, rustix::fs::FallocateFlags::empty(), 0, RESERVE_BYTES) {
        Ok(()) => Ok(()),
        // A filesystem without fallocate: real zeros take real blocks too.
        Err(rustix::io::Errno::OPNOTSUPP) => {
            let zeros = vec![0u8; 64 << 10];
            for _ in 0..RESERVE_BYTES / zeros.len() as u64 {
                f.write_all(&zeros)?;
            }
            f.sync_all()
        }
        Err(e) => Err(e.into()),
    }
}

/// Before a write transaction: when the data root has less than
/// [`LOW_WATER`] free, delete the reserve so the transaction has room.
/// Returns whether it was deleted.
pub fn make_room(layout: &Layout) -> bool {
    match free_bytes(&layout.data_root) {
        Some(free) if free < LOW_WATER => {}
        _ => return false,
    }
    let path = reserve_path(layout);
    match std::fs::remove_file(&path) {
        Ok(()) => {
            crate::debug::debug!("data root nearly full: released {}", path.display());
            true
        }
        Err(_) => false,
    }
}

/// Whether `err` (with `errno`, SQLite's last system error) means a file of
/// the database could not grow: SQLITE_FULL, or an I/O error from ENOSPC or
/// EDQUOT (how a failed `-shm` allocation shows).
pub fn is_no_space(err: &rusqlite::Error, errno: i32) -> bool {
    match err {
        rusqlite::Error::SqliteFailure(e, _) => {
            e.code == rusqlite::ErrorCode::DiskFull
                || (e.code == rusqlite::ErrorCode::SystemIoFailure
                    && (errno == libc::ENOSPC || errno == libc::EDQUOT))
        }
        _ => false,
    }
}

/// Which of the database's files a no-space error is about: the `-shm`
/// index for a shared-memory error, else the `-wal` log writes go to.
pub fn full_file(layout: &Layout, err: &rusqlite::Error) -> PathBuf {
    let shm = matches!(err, rusqlite::Error::SqliteFailure(e, _)
        if e.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE
            || e.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMMAP
            || e.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMOPEN);
    if shm {
        let mut p = layout.db_path().into_os_string();
        p.push("-shm");
        PathBuf::from(p)
    } else {
        layout.wal_path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::containers::{self, ContainerRow, Status};
    use crate::store::Store;

    fn wal_len(layout: &Layout) -> u64 {
        std::fs::metadata(layout.wal_path())
            .map(|m| m.len())
            .unwrap_or(0)
    }

    /// What a delete writes: removing one container (a 16 KiB spec, among
    /// 200) from a checkpointed database appends a few pages to the WAL,
    /// far below the reserve.
    #[test]
    fn a_delete_needs_far_less_wal_than_the_reserve() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("d"), dir.path().join("s"));
        let mut s = Store::open(layout.clone()).unwrap();
        let spec = format!("{{\"x\":\"{}\"}}", "s".repeat(16 << 10));
        s.write(|tx| -> crate::store::Result<()> {
            for i in 0..200 {
                let row = ContainerRow {
                    id: format!("{i:064x}"),
                    name: format!("c{i}"),
                    image_id: "sha256:x".into(),
                    image_ref: "busybox".into(),
                    created_at: "2026-01-01T00:00:00Z".into(),
                    spec: spec.clone(),
                    status: Status::Exited,
                    ..Default::default()
                };
                containers::insert(tx, &row).map_err(|e| match e {
                    containers::InsertError::Store(e) => e,
                    other => panic!("{other}"),
                })?;
            }
            Ok(())
        })
        .unwrap();
        s.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        assert_eq!(wal_len(&layout), 0);
        s.write(|tx| containers::remove(tx, &format!("{:064x}", 100)))
            .unwrap();
        let used = wal_len(&layout);
        eprintln!("WAL written by one container delete: {used} bytes");
        assert!(used > 0 && used < RESERVE_BYTES / 16, "{used}");
    }

    #[test]
    fn the_reserve_is_made_and_released_only_when_nearly_full() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("d"), dir.path().join("s"));
        Store::open(layout.clone()).unwrap();
        let p = reserve_path(&layout);
        assert_eq!(std::fs::metadata(&p).unwrap().len(), RESERVE_BYTES);
        // The test filesystem has room: nothing to release.
        assert!(!make_room(&layout));
        assert!(p.exists());
    }
}
