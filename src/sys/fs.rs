//! Path resolution confined to a root directory, with `openat2(2)` and
//! `RESOLVE_IN_ROOT`: `..`, absolute paths and symlinks are all resolved as if
//! the root were `/`, so a path from an image can never reach the host. Used by
//! layer extraction, `cp`, and reads of an image's own files (`/etc/passwd`).

pub use rustix::fs::CWD;
use rustix::fs::{AtFlags, Mode, OFlags, RenameFlags, ResolveFlags, Timespec, Timestamps};
use rustix::fs::{Gid, Uid};
use rustix::io::Errno;
use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::{AsFd, AsRawFd};
use std::path::{Path, PathBuf};

pub const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
pub const RESOLVE_NO_SYMLINKS: u64 = 0x04;
pub const RESOLVE_IN_ROOT: u64 = 0x10;

fn oflags(flags: i32) -> OFlags {
    OFlags::from_bits_retain(flags as u32) | OFlags::CLOEXEC
}

/// `openat2(2)`: open `path` relative to `dir` with the given open flags,
/// mode and resolve flags. The returned fd is always `O_CLOEXEC`.
pub fn openat2(
    dir: impl AsFd,
    path: &Path,
    flags: i32,
    mode: u32,
    resolve: u64,
) -> io::Result<File> {
    let resolve = ResolveFlags::from_bits_retain(resolve);
    loop {
        match rustix::fs::openat2(
            &dir,
            path,
            oflags(flags),
            Mode::from_raw_mode(mode),
            resolve,
        ) {
            Ok(fd) => return Ok(File::from(fd)),
            // EAGAIN: a concurrent rename raced the resolution; the kernel asks to retry.
            Err(Errno::INTR | Errno::AGAIN) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Open a directory to serve as a resolution root.
pub fn open_root(root: &Path) -> io::Result<File> {
    openat2(CWD, root, libc::O_PATH | libc::O_DIRECTORY, 0, 0)
}

/// Open `path` for reading as if `root` were `/` (symlinks in the image are
/// followed, but never out of `root`).
#[cfg(test)]
pub fn open_in_root(root: &Path, path: &Path) -> io::Result<File> {
    let rootf = open_root(root)?;
    open_in_root_fd(&rootf, path, libc::O_RDONLY)
}

/// Like [`open_in_root`] with an already open root and explicit open flags.
pub fn open_in_root_fd(root: &File, path: &Path, flags: i32) -> io::Result<File> {
    openat2(
        root,
        path,
        flags,
        0,
        RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    )
}

// ---------------------------------------------------------------------------
// `*at` wrappers used by layer extraction and the snapshotter. Every one takes
// a directory descriptor plus a single path component (or a path that the
// caller already confined), so nothing is resolved through the host's `/`.

fn c_path(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
}

fn cvt(rc: libc::c_int) -> io::Result<()> {
    if rc == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Retry a syscall wrapper on `EINTR`.
fn retry<T>(mut f: impl FnMut() -> rustix::io::Result<T>) -> io::Result<T> {
    loop {
        match f() {
            Err(Errno::INTR) => continue,
            r => return r.map_err(Into::into),
        }
    }
}

/// `openat(2)`; the returned file is always `O_CLOEXEC`.
pub fn openat(dir: &impl AsFd, name: &Path, flags: i32, mode: u32) -> io::Result<File> {
    retry(|| rustix::fs::openat(dir, name, oflags(flags), Mode::from_raw_mode(mode)))
        .map(File::from)
}

/// `mkdirat(2)`.
pub fn mkdirat(dir: &impl AsFd, name: &Path, mode: u32) -> io::Result<()> {
    retry(|| rustix::fs::mkdirat(dir, name, Mode::from_raw_mode(mode)))
}

/// `symlinkat(2)`: the target is stored verbatim and never resolved.
pub fn symlinkat(target: &Path, dir: &impl AsFd, name: &Path) -> io::Result<()> {
    retry(|| rustix::fs::symlinkat(target, dir, name))
}

/// `mknodat(2)`; `mode` carries the file type bits (`S_IFCHR`, `S_IFIFO`, ...).
pub fn mknodat(dir: &impl AsFd, name: &Path, mode: u32, major: u32, minor: u32) -> io::Result<()> {
    let kind = rustix::fs::FileType::from_raw_mode(mode);
    let dev = rustix::fs::makedev(major, minor);
    retry(|| rustix::fs::mknodat(dir, name, kind, Mode::from_raw_mode(mode), dev))
}

/// `unlinkat(2)`; pass `libc::AT_REMOVEDIR` to remove an empty directory.
pub fn unlinkat(dir: &impl AsFd, name: &Path, flags: i32) -> io::Result<()> {
    retry(|| rustix::fs::unlinkat(dir, name, AtFlags::from_bits_retain(flags as u32)))
}

/// `fstatat(2)` with `AT_SYMLINK_NOFOLLOW` (an empty name stats `dir` itself).
/// Raw libc: callers read `libc::stat` fields, which rustix types differently.
pub fn lstatat(dir: &impl AsRawFd, name: &Path) -> io::Result<libc::stat> {
    let c = c_path(name)?;
    let flags = if name.as_os_str().is_empty() {
        libc::AT_SYMLINK_NOFOLLOW | libc::AT_EMPTY_PATH
    } else {
        libc::AT_SYMLINK_NOFOLLOW
    };
    // SAFETY: zeroed stat is a valid bit pattern; the kernel fills it in.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid C string and a writable stat buffer.
        match cvt(unsafe { libc::fstatat(dir.as_raw_fd(), c.as_ptr(), &mut st, flags) }) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r.map(|()| st),
        }
    }
}

/// `fstat(2)` on any descriptor, `O_PATH` ones included.
pub fn fstat(f: &impl AsRawFd) -> io::Result<libc::stat> {
    lstatat(f, Path::new(""))
}

/// `fchownat(2)` without following a final symlink.
pub fn lchownat(dir: &impl AsFd, name: &Path, uid: u32, gid: u32) -> io::Result<()> {
    let (u, g) = (Uid::from_raw(uid), Gid::from_raw(gid));
    retry(|| rustix::fs::chownat(dir, name, Some(u), Some(g), AtFlags::SYMLINK_NOFOLLOW))
}

fn timestamps(sec: i64, nsec: u32) -> Timestamps {
    let t = Timespec {
        tv_sec: sec,
        tv_nsec: nsec.into(),
    };
    Timestamps {
        last_access: t,
        last_modification: t,
    }
}

/// `utimensat(2)` without following a final symlink: sets atime and mtime to
/// (`sec`, `nsec`).
pub fn lutimesat(dir: &impl AsFd, name: &Path, sec: i64, nsec: u32) -> io::Result<()> {
    let times = timestamps(sec, nsec);
    retry(|| rustix::fs::utimensat(dir, name, &times, AtFlags::SYMLINK_NOFOLLOW))
}

/// `futimens(2)`: set atime and mtime of an open file (directories included).
pub fn futimens(f: &impl AsFd, sec: i64, nsec: u32) -> io::Result<()> {
    let times = timestamps(sec, nsec);
    retry(|| rustix::fs::futimens(f, &times))
}

/// `fchmod(2)`.
pub fn fchmod(f: &impl AsFd, mode: u32) -> io::Result<()> {
    retry(|| rustix::fs::fchmod(f, Mode::from_raw_mode(mode)))
}

/// `fchown(2)`.
pub fn fchown(f: &impl AsFd, uid: u32, gid: u32) -> io::Result<()> {
    let (u, g) = (Uid::from_raw(uid), Gid::from_raw(gid));
    retry(|| rustix::fs::fchown(f, Some(u), Some(g)))
}

/// Make a hard link named `name` in `dir` to the inode `src` refers to (an
/// `O_PATH|O_NOFOLLOW` descriptor, so a symlink is linked as itself). Uses
/// `AT_EMPTY_PATH`, and falls back to `/proc/self/fd` when the kernel refuses
/// it (it requires `CAP_DAC_READ_SEARCH` on older kernels).
pub fn link_fd(src: &File, dir: &impl AsFd, name: &Path) -> io::Result<()> {
    match retry(|| rustix::fs::linkat(src, "", dir, name, AtFlags::EMPTY_PATH)) {
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::EPERM)) => {
            let proc_path = format!("/proc/self/fd/{}", src.as_raw_fd());
            retry(|| {
                rustix::fs::linkat(CWD, proc_path.as_str(), dir, name, AtFlags::SYMLINK_FOLLOW)
            })
        }
        r => r,
    }
}

/// `renameat2(2)` with `RENAME_NOREPLACE`: fails with `EEXIST` instead of
/// replacing an existing target.
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    retry(|| rustix::fs::renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE))
}

/// `syncfs(2)`: flush the whole filesystem that `f` lives on.
pub fn syncfs(f: &impl AsFd) -> io::Result<()> {
    retry(|| rustix::fs::syncfs(f))
}

/// The effective uid and gid of this process.
pub fn effective_ids() -> (u32, u32) {
    (
        rustix::process::geteuid().as_raw(),
        rustix::process::getegid().as_raw(),
    )
}

/// `fchmodat(2)`. Follows a final symlink (the kernel offers no
/// non-following variant before `fchmodat2`), so only call it on a name the
/// caller has just created as a non-symlink.
pub fn chmodat(dir: &impl AsFd, name: &Path, mode: u32) -> io::Result<()> {
    retry(|| rustix::fs::chmodat(dir, name, Mode::from_raw_mode(mode), AtFlags::empty()))
}

/// `readlinkat(2)`.
pub fn readlinkat(dir: &impl AsFd, name: &Path) -> io::Result<std::path::PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let target = retry(|| rustix::fs::readlinkat(dir, name, Vec::new()))?;
    Ok(std::ffi::OsString::from_vec(target.into_bytes()).into())
}

/// A failed [`write_atomic`]: which file was being replaced, which step
/// failed and on which path (the temp file, the target or the directory).
#[derive(Debug, thiserror::Error)]
#[error("writing {}: cannot {step} {}", target.display(), at.display())]
pub struct WriteAtomicError {
    pub target: PathBuf,
    pub step: &'static str,
    pub at: PathBuf,
    #[source]
    pub source: io::Error,
}

impl From<WriteAtomicError> for io::Error {
    fn from(e: WriteAtomicError) -> io::Error {
        io::Error::new(e.source.kind(), e)
    }
}

/// Replace `path` with `bytes` so that a reader (or a crash) sees either the
/// old file or the whole new one (DESIGN integrity rule 1): write a temp file
/// in the same directory, fsync it, rename it over `path`, fsync the
/// directory. New files get mode 0666 minus the umask, as `File::create`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteAtomicError> {
    write_atomic_mode(path, bytes, 0o666)
}

/// [`write_atomic`] with the mode the file is created with (before the
/// umask), e.g. 0600 for a file holding credentials.
pub fn write_atomic_mode(path: &Path, bytes: &[u8], mode: u32) -> Result<(), WriteAtomicError> {
    replace(path, bytes, mode, true, None)
}

/// [`write_atomic`] of a file owned by `uid:gid` with exactly `mode` (no
/// umask), both set before the file appears under its name.
pub fn write_atomic_owned(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    uid: u32,
    gid: u32,
) -> Result<(), WriteAtomicError> {
    replace(path, bytes, 0o600, true, Some((mode, uid, gid)))
}

/// Replace `path` atomically for readers, without fsyncs: for files rebuilt
/// from durable data before every use (a container's bundle, written anew at
/// each start). A reader sees the old file or the whole new one; after a
/// crash the old one may be back, and the next start overwrites it. On the
/// start path this saves two fsyncs per file.
pub fn write_atomic_nosync(path: &Path, bytes: &[u8]) -> Result<(), WriteAtomicError> {
    replace(path, bytes, 0o666, false, None)
}

fn replace(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    durable: bool,
    owned: Option<(u32, u32, u32)>,
) -> Result<(), WriteAtomicError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    use std::sync::atomic::{AtomicU32, Ordering};
    static SEQ: AtomicU32 = AtomicU32::new(0);

    let fail = |step, at: &Path| {
        let target = path.to_path_buf();
        let at = at.to_path_buf();
        move |source| WriteAtomicError {
            target,
            step,
            at,
            source,
        }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        fail("name", path)(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path has no file name",
        ))
    })?;
    // Unique per process (pid) and per call (counter): concurrent writers
    // never share a temp file, and O_EXCL refuses a leftover.
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(
        ".tmp-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = dir.join(tmp_name);
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .custom_flags(libc::O_CLOEXEC)
            .open(&tmp)
            .map_err(fail("create", &tmp))?;
        f.write_all(bytes).map_err(fail("write", &tmp))?;
        if let Some((mode, uid, gid)) = owned {
            fchown(&f, uid, gid).map_err(fail("chown", &tmp))?;
            fchmod(&f, mode).map_err(fail("chmod", &tmp))?;
        }
        if durable {
            f.sync_all().map_err(fail("fsync", &tmp))?;
        }
        std::fs::rename(&tmp, path).map_err(fail("rename over", path))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    if !durable {
        return Ok(());
    }
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(fail("fsync directory", dir))
}

/// Bytes of the regular files below `root`, each inode counted once and
/// symlinks not followed (Docker's `directory.Size`). Unreadable parts count 0.
pub fn tree_size(root: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut seen = std::collections::HashSet::new();
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let Ok(md) = e.path().symlink_metadata() else {
                continue;
            };
            if md.is_dir() {
                stack.push(e.path());
            } else if md.is_file() && (md.nlink() == 1 || seen.insert((md.dev(), md.ino()))) {
                total += md.size();
            }
        }
    }
    total
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
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            root.path().join("etc/passwd"),
        )
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

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic_mode(&p, b"two", 0o600).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        write_atomic_nosync(&p, b"three").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
        let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "temp file left behind");
    }

    #[test]
    fn write_atomic_error_names_the_path() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("missing/f");
        let e = write_atomic(&p, b"x").unwrap_err();
        assert_eq!(e.target, p);
        assert_eq!(e.step, "create");
        assert!(e.to_string().contains("missing/f"), "{e}");
    }
}
