//! Cross-process advisory locks: `flock(2)` through std's `File::lock`
//! family (on Linux std implements them with `flock`), so the kernel releases
//! them when the holder dies and a killed berth never leaves a lock behind.
//! The lock belongs to the open file description: a second `open` of the same
//! path conflicts even within one process.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;

/// An exclusive or shared lock held for as long as the guard lives (closing
/// the file releases it).
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

impl FileLock {
    /// Block until the exclusive lock on `path` (created if missing) is held.
    pub fn exclusive(path: &Path) -> io::Result<FileLock> {
        let file = open(path)?;
        retry_eintr(|| file.lock())?;
        Ok(FileLock { _file: file })
    }

    /// Try to take the exclusive lock without waiting; `Ok(None)` when another
    /// process holds it.
    pub fn try_exclusive(path: &Path) -> io::Result<Option<FileLock>> {
        let file = open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }

    /// Take a shared lock (several readers may hold it at once).
    pub fn shared(path: &Path) -> io::Result<FileLock> {
        let file = open(path)?;
        retry_eintr(|| file.lock_shared())?;
        Ok(FileLock { _file: file })
    }
}

/// Try to take an exclusive lock on an already open file or directory without
/// waiting. `Ok(false)` when another open file description holds it. The lock
/// lives as long as the descriptor.
pub fn try_exclusive_on(f: &File) -> io::Result<bool> {
    match f.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// A blocking `flock` returns `EINTR` when a signal handler installed
/// without `SA_RESTART` runs; std does not retry, so wait again.
fn retry_eintr(mut f: impl FnMut() -> io::Result<()>) -> io::Result<()> {
    loop {
        match f() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

fn open(path: &Path) -> io::Result<File> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_try_lock_fails_while_held() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l");
        let _a = FileLock::exclusive(&p).unwrap();
        // flock locks belong to the open file description, so a second open conflicts.
        assert!(FileLock::try_exclusive(&p).unwrap().is_none());
        drop(_a);
        assert!(FileLock::try_exclusive(&p).unwrap().is_some());
    }

    #[test]
    fn shared_locks_coexist_and_exclude_writers() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l");
        let _a = FileLock::shared(&p).unwrap();
        let _b = FileLock::shared(&p).unwrap();
        assert!(FileLock::try_exclusive(&p).unwrap().is_none());
    }

    #[test]
    fn directories_lock_too() {
        let dir = tempfile::tempdir().unwrap();
        let a = File::open(dir.path()).unwrap();
        let b = File::open(dir.path()).unwrap();
        assert!(try_exclusive_on(&a).unwrap());
        assert!(!try_exclusive_on(&b).unwrap());
    }
}
