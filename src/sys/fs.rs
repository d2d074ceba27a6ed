//! Path resolution confined to a root directory, with `openat2(2)` and
//! `RESOLVE_IN_ROOT`: `..`, absolute paths and symlinks are all resolved as if
//! the root were `/`, so a path from an image can never reach the host. Used by
//! layer extraction, `cp`, and reads of an image's own files (`/etc/passwd`).

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::{AsRawFd, FromRawFd, RawFd};
use std::path::Path;

/// `struct open_how` from linux/openat2.h.
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

pub const RESOLVE_NO_XDEV: u64 = 0x01;
pub const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
pub const RESOLVE_NO_SYMLINKS: u64 = 0x04;
pub const RESOLVE_BENEATH: u64 = 0x08;
pub const RESOLVE_IN_ROOT: u64 = 0x10;

/// Raw `openat2`: open `path` relative to `dirfd` with the given open flags,
/// mode and resolve flags. The returned fd is always `O_CLOEXEC`.
pub fn openat2(dirfd: RawFd, path: &Path, flags: i32, mode: u32, resolve: u64) -> io::Result<File> {
    let c = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))?;
    let how = OpenHow {
        flags: (flags | libc::O_CLOEXEC) as u64,
        mode: mode as u64,
        resolve,
    };
    loop {
        // SAFETY: `c` is a valid NUL-terminated string and `how` a properly laid
        // out open_how that lives across the call; the kernel reads
        // size_of::<OpenHow>() bytes from it.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dirfd,
                c.as_ptr(),
                &how as *const OpenHow,
                std::mem::size_of::<OpenHow>(),
            )
        };
        if fd >= 0 {
            // SAFETY: the kernel returned a fresh descriptor that nothing else owns.
            return Ok(unsafe { File::from_raw_fd(fd as RawFd) });
        }
        let err = io::Error::last_os_error();
        // EAGAIN: a concurrent rename raced the resolution; the kernel asks to retry.
        if err.kind() == io::ErrorKind::Interrupted || err.raw_os_error() == Some(libc::EAGAIN) {
            continue;
        }
        return Err(err);
    }
}

/// Open a directory to serve as a resolution root.
pub fn open_root(root: &Path) -> io::Result<File> {
    openat2(
        libc::AT_FDCWD,
        root,
        libc::O_PATH | libc::O_DIRECTORY,
        0,
        0,
    )
}

/// Open `path` for reading as if `root` were `/` (symlinks in the image are
/// followed, but never out of `root`).
pub fn open_in_root(root: &Path, path: &Path) -> io::Result<File> {
    let rootf = open_root(root)?;
    open_in_root_fd(&rootf, path, libc::O_RDONLY)
}

/// Like [`open_in_root`] with an already open root and explicit open flags.
pub fn open_in_root_fd(root: &File, path: &Path, flags: i32) -> io::Result<File> {
    openat2(
        root.as_raw_fd(),
        path,
        flags,
        0,
        RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn symlinks_cannot_escape() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), b"host").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("etc")).unwrap();
        std::fs::write(root.path().join("secret"), b"inside").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.path().join("etc/passwd"))
            .unwrap();
        std::os::unix::fs::symlink("../../../../secret", root.path().join("etc/group")).unwrap();
        for p in ["etc/passwd", "/etc/group", "../secret"] {
            let r = open_in_root(root.path(), Path::new(p));
            if let Ok(mut f) = r {
                let mut s = String::new();
                f.read_to_string(&mut s).unwrap();
                assert_eq!(s, "inside", "{p} escaped the root");
            }
        }
    }
}
