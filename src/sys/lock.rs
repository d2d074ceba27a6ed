//! Cross-process advisory locks with `flock(2)`: the kernel releases them when
//! the holder dies, so a killed berth never leaves a lock behind.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::io::AsRawFd;
use std::path::Path;

/// An exclusive `flock` held for as long as the guard lives.
#[derive(Debug)]
pub struct FileLock {
    file: File,
}

impl FileLock {
    /// Block until the exclusive lock on `path` (created if missing) is held.
    pub fn exclusive(path: &Path) -> io::Result<FileLock> {
        Self::acquire(path, libc::LOCK_EX)
    }

    /// Try to take the exclusive lock without waiting; `Ok(None)` when another
    /// process holds it.
    pub fn try_exclusive(path: &Path) -> io::Result<Option<FileLock>> {
        match Self::acquire(path, libc::LOCK_EX | libc::LOCK_NB) {
            Ok(l) => Ok(Some(l)),
            Err(e) if e.raw_os_error() == Some(libc::EWOULDBLOCK) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Take a shared lock (several readers may hold it at once).
    pub fn shared(path: &Path) -> io::Result<FileLock> {
        Self::acquire(path, libc::LOCK_SH)
    }

    fn acquire(path: &Path, op: libc::c_int) -> io::Result<FileLock> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        loop {
            // SAFETY: flock on a valid, owned file descriptor.
            let rc = unsafe { libc::flock(file.as_raw_fd(), op) };
            if rc == 0 {
                break;
            }
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        Ok(FileLock { file })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // SAFETY: unlocking our own descriptor; closing it would release it anyway.
        unsafe {
            libc::flock(self.file.as_raw_fd(), libc::LOCK_UN);
        }
    }
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
    }
}
