//! Is `berth.db` the database of this data root? Checked at every open,
//! before SQLite sees the file, because SQLite itself would start over: it
//! creates a missing file and treats an empty one as a new database, and a
//! fresh database would hide every container berth made before, running ones
//! included (their processes, mounts and shims could no longer be reached,
//! and a second container could take a running one's name).
//!
//! - Missing or empty: a fresh start only when the data root shows no sign
//!   of use (no container, blob, layer or volume directory, no WAL left, no
//!   shim in the state root). Otherwise [`StoreError::Missing`] names the
//!   file and what was found.
//! - Present: the 100-byte header must be SQLite's, and when no WAL is
//!   pending (`berth.db-wal` absent or empty, as after every clean close)
//!   the file must be as long as its header says; a shorter one was
//!   truncated ([`StoreError::Corrupt`]). With a WAL pending the length is
//!   not checked: a checkpoint cut short by a crash leaves the header ahead
//!   of the file until SQLite replays the WAL.
//!
//! Costs one `stat` of the database and the WAL and one 100-byte read per
//! open (a `PRAGMA quick_check` reads the whole file). Damage past the
//! header is found when SQLite reads it; those errors exit 125 with the same
//! advice (`cmd::exit_code_for`, [`is_corruption`]).
//!
//! berth never rebuilds or replaces the file itself: the errors say what
//! the user can do (restore a backup, or move the data root aside).

use super::{Layout, StoreError};
use std::io::Read as _;
use std::path::Path;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// This process's open connections, per database file.
static OPEN: std::sync::Mutex<Vec<(std::path::PathBuf, usize)>> = std::sync::Mutex::new(Vec::new());

/// Held by a `Store` for as long as its connection lives (it is declared
/// after the connection, so it drops after it).
pub struct OpenGuard(std::path::PathBuf);

impl Clone for OpenGuard {
    fn clone(&self) -> OpenGuard {
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        match open.iter_mut().find(|(p, _)| *p == self.0) {
            Some((_, n)) => *n += 1,
            None => open.push((self.0.clone(), 1)),
        }
        OpenGuard(self.0.clone())
    }
}

impl Drop for OpenGuard {
    fn drop(&mut self) {
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = open.iter().position(|(p, _)| *p == self.0) {
            open[i].1 -= 1;
            if open[i].1 == 0 {
                open.swap_remove(i);
            }
        }
    }
}

/// [`before_open`] when this process has no connection to the database
/// yet, and a guard to keep in the `Store` (what `Store::open` calls).
///
/// Reading the header opens and closes the file, and closing any
/// descriptor of a file drops every POSIX lock this process holds on it,
/// SQLite's included. A thread opening a second store (compose's parallel
/// starts and stops) while another thread's connection holds its locks would
/// let other processes write under it (SQLite's "How To Corrupt" §2.2): such
/// an open trusts the check made before the first connection. The mutex is
/// held across a check, so no connection is opened meanwhile.
pub fn before_first_open(layout: &Layout) -> Result<OpenGuard, StoreError> {
    let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
    let path = layout.db_path();
    match open.iter_mut().find(|(p, _)| *p == path) {
        Some((_, n)) => *n += 1,
        None => {
            before_open(layout)?;
            open.push((path.clone(), 1));
        }
    }
    Ok(OpenGuard(path))
}

/// Check the database file before opening it (module doc).
///
/// A first open in another process creates the file, then its WAL, while
/// holding the init lock: a check that saw no file and then a WAL raced it.
/// Waiting for that lock and looking again tells a fresh start that is under
/// way from a database that went missing.
pub fn before_open(layout: &Layout) -> Result<(), StoreError> {
    match check_file(layout) {
        Err(StoreError::Missing { .. }) => {
            let lock_path = layout.init_lock_path();
            let _init = crate::sys::lock::FileLock::exclusive(&lock_path).map_err(|source| {
                StoreError::Io {
                    path: lock_path.clone(),
                    source,
                }
            })?;
            check_file(layout)
        }
        r => r,
    }
}

fn check_file(layout: &Layout) -> Result<(), StoreError> {
    let path = layout.db_path();
    let len = match std::fs::metadata(&path) {
        Ok(md) => md.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return fresh_or_missing(layout, "is missing");
        }
        Err(source) => return Err(StoreError::Io { path, source }),
    };
    if len == 0 {
        return fresh_or_missing(layout, "is empty");
    }
    let mut head = [0u8; 100];
    let got = std::fs::File::open(&path)
        .and_then(|f| read_up_to(f, &mut head))
        .map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?;
    let corrupt = |what: String| StoreError::Corrupt {
        path: path.clone(),
        what,
    };
    if got < head.len() || &head[..16] != MAGIC {
        return Err(corrupt(
            "it is not an SQLite database (its header is wrong)".into(),
        ));
    }
    if wal_pending(layout) {
        return Ok(());
    }
    if let Some(want) = header_size(&head) {
        if len < want {
            return Err(corrupt(format!(
                "it is truncated ({len} bytes, its header says {want})"
            )));
        }
    }
    Ok(())
}

fn read_up_to(mut f: std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The database size the header records, when it is valid (SQLite's file
/// format, 1.3.2: page size at 16, page count at 28, valid when the change
/// counter at 24 equals the version-valid-for number at 92).
fn header_size(h: &[u8; 100]) -> Option<u64> {
    let be32 = |o: usize| u32::from_be_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
    let page = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65536u64,
        p if p >= 512 && p.is_power_of_two() => u64::from(p),
        _ => return None,
    };
    let pages = u64::from(be32(28));
    (pages > 0 && be32(24) == be32(92)).then_some(page * pages)
}

fn wal_pending(layout: &Layout) -> bool {
    std::fs::metadata(layout.wal_path())
        .map(|m| m.len() > 0)
        .unwrap_or(false)
}

/// No database: a new data root starts one; a used one is an error.
fn fresh_or_missing(layout: &Layout, how: &'static str) -> Result<(), StoreError> {
    let found = signs_of_use(layout);
    if found.is_empty() {
        return Ok(());
    }
    Err(StoreError::Missing {
        path: layout.db_path(),
        how,
        found: found.join(", "),
    })
}

/// What in the roots shows berth used them, as "3 container directories".
pub fn signs_of_use(layout: &Layout) -> Vec<String> {
    let count = |dir: &Path| {
        std::fs::read_dir(dir)
            .map(|d| d.flatten().count())
            .unwrap_or(0)
    };
    let mut found = Vec::new();
    let mut note = |n: usize, one: &str, many: &str| {
        if n > 0 {
            found.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    note(
        count(&layout.containers_dir()),
        "container directory",
        "container directories",
    );
    note(
        count(&layout.state_root.join("containers")),
        "container with a shim in the state root",
        "containers with a shim in the state root",
    );
    note(
        count(&layout.content_dir().join("blobs/sha256")),
        "image blob",
        "image blobs",
    );
    note(
        count(&layout.snapshots_dir().join("layers")),
        "image layer",
        "image layers",
    );
    note(count(&layout.volumes_dir()), "volume", "volumes");
    note(
        usize::from(layout.wal_path().exists()),
        "write-ahead log (berth.db-wal)",
        "",
    );
    found
}

/// Whether SQLite reported the database file as damaged.
pub fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn layout(d: &tempfile::TempDir) -> Layout {
        Layout::new(d.path().join("data"), d.path().join("state"))
    }

    #[test]
    fn a_new_or_unused_root_starts_a_database() {
        let d = tempfile::tempdir().unwrap();
        let l = layout(&d);
        Store::open(l.clone()).unwrap();
        // Deleted before anything was made: still nothing to lose.
        std::fs::remove_file(l.db_path()).unwrap();
        Store::open(l.clone()).unwrap();
        std::fs::write(l.db_path(), "").unwrap();
        Store::open(l).unwrap();
    }

    #[test]
    fn a_missing_or_empty_database_of_a_used_root_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        let l = layout(&d);
        Store::open(l.clone()).unwrap();
        std::fs::create_dir(l.containers_dir().join("c1")).unwrap();
        std::fs::create_dir(l.volumes_dir().join("v1")).unwrap();
        std::fs::create_dir(l.volumes_dir().join("v2")).unwrap();
        std::fs::remove_file(l.db_path()).unwrap();
        let e = Store::open(l.clone()).err().unwrap().to_string();
        assert!(e.contains("is missing"), "{e}");
        assert!(e.contains("1 container directory, 2 volumes"), "{e}");
        assert!(e.contains(&l.db_path().display().to_string()), "{e}");
        assert!(!l.db_path().exists(), "a database was created");
        std::fs::write(l.db_path(), "").unwrap();
        let e = Store::open(l.clone()).err().unwrap().to_string();
        assert!(e.contains("is empty"), "{e}");
    }

    #[test]
    fn garbage_and_truncation_are_found_at_open() {
        let d = tempfile::tempdir().unwrap();
        let l = layout(&d);
        drop(Store::open(l.clone()).unwrap());
        let good = std::fs::read(l.db_path()).unwrap();
        assert!(good.len() > 8192);

        std::fs::write(l.db_path(), vec![0x5a; good.len()]).unwrap();
        let e = Store::open(l.clone()).err().unwrap();
        assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
        assert!(e.to_string().contains("not an SQLite database"), "{e}");

        std::fs::write(l.db_path(), &good[..good.len() / 2]).unwrap();
        let e = Store::open(l.clone()).err().unwrap().to_string();
        assert!(e.contains("truncated"), "{e}");
        std::fs::write(l.db_path(), &good[..50]).unwrap();
        let e = Store::open(l.clone()).err().unwrap().to_string();
        assert!(e.contains("not an SQLite database"), "{e}");

        std::fs::write(l.db_path(), &good).unwrap();
        Store::open(l).unwrap();
    }
}
