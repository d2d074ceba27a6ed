//! Safe extraction of layer tar streams into a directory, and the confined
//! writer ([`RootWriter`]) that the copy snapshotter reuses.
//!
//! Every path from an image is resolved *inside* the target root (DESIGN.md
//! rule 5): the parent directory of each entry is opened with `openat2(2)` and
//! `RESOLVE_IN_ROOT` relative to a descriptor of the root, and the entry itself
//! is created with `*at` system calls on that parent, never following a final
//! symlink (`O_CREAT|O_EXCL|O_NOFOLLOW`, `symlinkat`, `mknodat`, `linkat` from
//! an `O_PATH|O_NOFOLLOW` source, `fchownat(AT_SYMLINK_NOFOLLOW)`...). So a
//! symlink planted earlier in the archive (or swapped in for a directory
//! mid-archive) is followed, if at all, only as if the root were `/`.
//!
//! Follows the OCI image-spec layer format and Docker's applier:
//! - names are cleaned lexically as if rooted at `/`: `../../etc/x` and
//!   `/etc/x` both land on `<root>/etc/x` (not rejected, like containerd);
//! - a later entry for an existing path replaces it, except that a directory
//!   over a directory merges (its metadata is updated);
//! - whiteouts are converted to overlayfs form rather than applied, because
//!   each layer is unpacked on its own: `.wh.name` becomes a 0/0 character
//!   device `name`, `.wh..wh..opq` sets `trusted.overlay.opaque=y` on its
//!   directory; other `.wh..wh.` names (aufs metadata) are ignored. Both
//!   apply to lower layers only, whatever the order of entries: an entry of
//!   the same layer at a whited-out path stays (an opaque directory if it is
//!   one), and an opaque directory keeps this layer's entries;
//! - block and character devices are skipped: the runtime provides `/dev`,
//!   and creating host device nodes from an image is a needless risk (a
//!   0/0 char device from a tar would also read as a whiteout);
//! - mode (setuid/setgid/sticky included), owner, mtime and PAX
//!   `SCHILY.xattr.*` attributes are kept; `trusted.overlay.*` and
//!   `user.overlay.*` attributes from an image are dropped, as only berth may
//!   set overlay markers;
//! - uid/gid above 4294967294 are rejected with an error: `(uid_t)-1` means
//!   "leave unchanged" to `chown(2)` and larger values would wrap;
//! - directory mtimes are applied after the whole stream, since creating
//!   entries inside a directory changes its mtime.
//!
//! Known limit of unpacking layers separately: a path that goes through a
//! symlink owned by a *lower* layer is resolved only within this layer.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use super::tar_bounds::BoundedTar;
use crate::sys::fs as sysfs;
use crate::sys::xattr;

/// The xattr overlayfs reads to make a directory opaque.
pub const OPAQUE_XATTR: &str = "trusted.overlay.opaque";
/// Largest uid/gid accepted from an image (`u32::MAX` is `(uid_t)-1`).
pub const MAX_ID: u64 = u32::MAX as u64 - 1;
const WHITEOUT_PREFIX: &str = ".wh.";
const OPAQUE_MARKER: &str = ".wh..wh..opq";
const COPY_BUF: usize = 1 << 20;

/// Longest name accepted from an archive (`PATH_MAX`, its NUL included).
pub const MAX_NAME: usize = 4096;
/// How much of a name from an archive an error message quotes.
const QUOTE_MAX: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("reading layer stream: {0}")]
    Read(#[source] io::Error),
    #[error("opening unpack root {path}: {source}")]
    Root { path: PathBuf, source: io::Error },
    #[error("layer entry {}: {source}", quote(.path.as_os_str().as_bytes()))]
    Io { path: PathBuf, source: io::Error },
    #[error("layer entry {}: {reason}", quote(.path.as_os_str().as_bytes()))]
    Invalid { path: PathBuf, reason: String },
}

/// A name from an archive as an error message shows it: quoted, and cut to
/// its first bytes when long, so a hostile name cannot blow up a message.
pub fn quote(name: &[u8]) -> String {
    if name.len() <= QUOTE_MAX {
        return format!("{:?}", String::from_utf8_lossy(name));
    }
    let mut cut = QUOTE_MAX;
    // Cut on a character boundary when the name is UTF-8 there.
    while cut > 0 && name[cut] & 0xc0 == 0x80 {
        cut -= 1;
    }
    format!(
        "{:?}... ({} bytes)",
        String::from_utf8_lossy(&name[..cut]),
        name.len()
    )
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> UnpackError + '_ {
    move |source| UnpackError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn invalid(path: &Path, reason: impl Into<String>) -> UnpackError {
    UnpackError::Invalid {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// What an extraction did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UnpackStats {
    /// Sum of the sizes of regular files written (hard links not counted twice).
    pub size: u64,
    /// Entries applied.
    pub entries: u64,
    /// Device nodes skipped.
    pub skipped_devices: u64,
}

/// Metadata of an entry to create, with a path already cleaned by
/// [`clean_path`] (relative, no `.`/`..`).
#[derive(Debug, Clone, Default)]
pub struct EntryMeta {
    pub path: PathBuf,
    /// Permission bits including setuid/setgid/sticky (`0o7777`).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: (i64, u32),
    pub xattrs: Vec<(String, Vec<u8>)>,
}

/// Clean an archive path as if it were rooted at `/`: drop `.`, `/` and
/// prefixes, let `..` stop at the root. The result is relative; empty means
/// the root itself.
pub fn clean_path(raw: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in raw.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// Whether an image may set this xattr: overlay markers are berth's alone.
pub fn xattr_allowed(name: &str) -> bool {
    !(name.starts_with("trusted.overlay.") || name.starts_with("user.overlay."))
}

fn split(path: &Path) -> (&Path, &OsStr) {
    (
        path.parent().unwrap_or(Path::new("")),
        path.file_name().unwrap_or(OsStr::new("")),
    )
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

/// Creates entries inside one root directory without ever resolving a path
/// outside it. Not thread-safe by design: one writer per extraction.
pub struct RootWriter {
    root: File,
    /// The last resolved parent directory (path, `O_PATH` fd, setgid bit);
    /// dropped whenever anything is removed, since that can change what a
    /// path resolves to.
    cache: Option<(PathBuf, Rc<File>, bool)>,
    dir_times: Vec<(PathBuf, (i64, u32))>,
    ids: (u32, u32),
    /// The process umask, when known: lets regular files get their final
    /// mode from `openat` and skip an `fchmod`.
    umask: Option<u32>,
    buf: Vec<u8>,
}

/// The umask from `/proc/self/status` (reading it with `umask(2)` would
/// briefly change it for every thread).
fn current_umask() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Umask:"))?;
    u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
}

impl RootWriter {
    /// Open `root` (an existing directory) as the confinement root.
    pub fn open(root: &Path) -> Result<RootWriter, UnpackError> {
        let f = sysfs::openat2(sysfs::CWD, root, libc::O_RDONLY | libc::O_DIRECTORY, 0, 0)
            .map_err(|source| UnpackError::Root {
                path: root.to_path_buf(),
                source,
            })?;
        Ok(RootWriter {
            root: f,
            cache: None,
            dir_times: Vec::new(),
            ids: sysfs::effective_ids(),
            umask: current_umask(),
            buf: Vec::new(),
        })
    }

    fn open_in_root(&self, path: &Path, flags: i32) -> io::Result<File> {
        if path.as_os_str().is_empty() {
            return sysfs::openat(&self.root, Path::new("."), flags, 0);
        }
        sysfs::openat2(
            &self.root,
            path,
            flags,
            0,
            sysfs::RESOLVE_IN_ROOT | sysfs::RESOLVE_NO_MAGICLINKS,
        )
    }

    /// Resolve (creating missing components with mode 0755) the directory
    /// `dir` inside the root. Returns an `O_PATH` descriptor and whether the
    /// directory is setgid (new entries then inherit its group).
    fn dir_fd(&mut self, dir: &Path) -> Result<(Rc<File>, bool), UnpackError> {
        if let Some((p, f, sgid)) = &self.cache {
            if p == dir {
                return Ok((f.clone(), *sgid));
            }
        }
        let flags = libc::O_PATH | libc::O_DIRECTORY;
        let f = match self.open_in_root(dir, flags) {
            Ok(f) => f,
            Err(e) if errno(&e) == libc::ENOENT => self.mkdir_parents(dir)?,
            Err(e) if errno(&e) == libc::ENOTDIR => {
                return Err(invalid(dir, "a parent path component is not a directory"))
            }
            Err(e) => return Err(io_err(dir)(e)),
        };
        let st = sysfs::fstat(&f).map_err(io_err(dir))?;
        let sgid = st.st_mode & libc::S_ISGID != 0;
        let f = Rc::new(f);
        self.cache = Some((dir.to_path_buf(), f.clone(), sgid));
        Ok((f, sgid))
    }

    /// Create the missing components of `dir`. A component that is a
    /// dangling symlink is followed the way containerd does, lexically and
    /// confined to the root: the directory is created at its target.
    fn mkdir_parents(&mut self, dir: &Path) -> Result<File, UnpackError> {
        let flags = libc::O_PATH | libc::O_DIRECTORY;
        let mut want = dir.to_path_buf();
        let mut hops = 0;
        'restart: loop {
            let mut cur = self
                .open_in_root(Path::new(""), flags)
                .map_err(io_err(dir))?;
            let mut prefix = PathBuf::new();
            let comps: Vec<PathBuf> = want
                .components()
                .map(|c| PathBuf::from(c.as_os_str()))
                .collect();
            for (i, comp) in comps.iter().enumerate() {
                prefix.push(comp);
                cur = match self.open_in_root(&prefix, flags) {
                    Ok(f) => f,
                    Err(e) if errno(&e) == libc::ENOENT => {
                        match sysfs::mkdirat(&cur, comp, 0o755) {
                            Ok(()) => {}
                            Err(e) if errno(&e) == libc::EEXIST => {
                                hops += 1;
                                if hops > 40 {
                                    return Err(invalid(dir, "too many levels of symbolic links"));
                                }
                                let target = sysfs::readlinkat(&cur, comp).map_err(|_| {
                                    invalid(
                                        &prefix,
                                        "parent exists but is neither a directory nor a symlink",
                                    )
                                })?;
                                let base = if target.is_absolute() {
                                    PathBuf::new()
                                } else {
                                    prefix.parent().unwrap_or(Path::new("")).to_path_buf()
                                };
                                let rest: PathBuf = comps[i + 1..].iter().collect();
                                want = clean_path(&base.join(target).join(rest));
                                continue 'restart;
                            }
                            Err(e) => return Err(io_err(&prefix)(e)),
                        }
                        self.open_in_root(&prefix, flags).map_err(io_err(&prefix))?
                    }
                    Err(e) if errno(&e) == libc::ENOTDIR => {
                        return Err(invalid(
                            &prefix,
                            "a parent path component is not a directory",
                        ))
                    }
                    Err(e) => return Err(io_err(&prefix)(e)),
                };
            }
            return Ok(cur);
        }
    }

    /// Remove whatever is at `name` in `dir` (recursively for a directory,
    /// never following symlinks). Missing is fine.
    fn remove_at(&mut self, dir: &File, name: &OsStr, path: &Path) -> Result<(), UnpackError> {
        self.cache = None;
        match sysfs::unlinkat(dir, Path::new(name), 0) {
            Ok(()) => Ok(()),
            Err(e) if errno(&e) == libc::ENOENT => Ok(()),
            Err(e) if errno(&e) == libc::EISDIR => {
                // std's remove_dir_all opens each level with O_NOFOLLOW and
                // works relative to directory fds (CVE-2022-21658 fix); the
                // magic link only names our own, already confined descriptor.
                let p = PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd())).join(name);
                match std::fs::remove_dir_all(&p) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                    Err(e) => Err(io_err(path)(e)),
                }
            }
            Err(e) => Err(io_err(path)(e)),
        }
    }

    /// Create with `create`, and if the name exists, remove it and retry once.
    fn create_replacing(
        &mut self,
        dir: &File,
        name: &OsStr,
        path: &Path,
        mut create: impl FnMut(&File) -> io::Result<()>,
    ) -> Result<(), UnpackError> {
        match create(dir) {
            Err(e) if errno(&e) == libc::EEXIST => {
                self.remove_at(dir, name, path)?;
                create(dir).map_err(io_err(path))
            }
            r => r.map_err(io_err(path)),
        }
    }

    fn needs_chown(&self, meta: &EntryMeta, parent_sgid: bool) -> bool {
        parent_sgid || (meta.uid, meta.gid) != self.ids
    }

    fn set_xattrs_fd(&self, f: &File, meta: &EntryMeta) -> Result<(), UnpackError> {
        for (k, v) in &meta.xattrs {
            if !xattr_allowed(k) {
                continue;
            }
            match xattr::fset(f, k, v) {
                Ok(()) => {}
                Err(e) if errno(&e) == libc::ENOTSUP => {}
                Err(e) => {
                    return Err(UnpackError::Io {
                        path: meta.path.clone(),
                        source: io::Error::new(
                            e.kind(),
                            format!("setting xattr {}: {e}", quote(k.as_bytes())),
                        ),
                    })
                }
            }
        }
        Ok(())
    }

    /// Create or merge a directory. An empty path applies the metadata to
    /// the root itself.
    pub fn dir(&mut self, meta: &EntryMeta) -> Result<(), UnpackError> {
        let path = meta.path.as_path();
        let (f, sgid) = if path.as_os_str().is_empty() {
            let f = self
                .open_in_root(path, libc::O_RDONLY | libc::O_DIRECTORY)
                .map_err(io_err(path))?;
            (f, false)
        } else {
            let (parent, name) = split(path);
            let (pfd, sgid) = self.dir_fd(parent)?;
            match sysfs::mkdirat(&*pfd, Path::new(name), 0o700) {
                Ok(()) => {}
                Err(e) if errno(&e) == libc::EEXIST => {
                    let st = sysfs::lstatat(&*pfd, Path::new(name)).map_err(io_err(path))?;
                    if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
                        self.remove_at(&pfd, name, path)?;
                        sysfs::mkdirat(&*pfd, Path::new(name), 0o700).map_err(io_err(path))?;
                    }
                }
                Err(e) => return Err(io_err(path)(e)),
            }
            let f = sysfs::openat(
                &*pfd,
                Path::new(name),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                0,
            )
            .map_err(io_err(path))?;
            (f, sgid)
        };
        if self.needs_chown(meta, sgid) {
            sysfs::fchown(&f, meta.uid, meta.gid).map_err(io_err(path))?;
        }
        sysfs::fchmod(&f, meta.mode & 0o7777).map_err(io_err(path))?;
        self.set_xattrs_fd(&f, meta)?;
        self.dir_times.push((meta.path.clone(), meta.mtime));
        Ok(())
    }

    /// Create (or replace) a regular file with the contents of `data`.
    /// Returns the number of bytes written.
    pub fn file(&mut self, meta: &EntryMeta, data: &mut dyn Read) -> Result<u64, UnpackError> {
        let path = meta.path.as_path();
        let (parent, name) = split(path);
        if name.is_empty() {
            return Err(invalid(
                path,
                "a regular file cannot replace the root directory",
            ));
        }
        let (pfd, sgid) = self.dir_fd(parent)?;
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW;
        let mode = meta.mode & 0o7777;
        // Created with its final mode when the umask and no special bits get
        // in the way; otherwise 0600 and an fchmod below.
        let exact = mode & 0o7000 == 0 && self.umask.is_some_and(|u| mode & u == 0);
        let create_mode = if exact { mode } else { 0o600 };
        let mut out = None;
        self.create_replacing(&pfd, name, path, |d| {
            out = Some(sysfs::openat(d, Path::new(name), flags, create_mode)?);
            Ok(())
        })?;
        let mut f = out.expect("created above");
        if self.buf.is_empty() {
            self.buf = vec![0u8; COPY_BUF];
        }
        let mut written = 0u64;
        loop {
            let n = match data.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(UnpackError::Read(e)),
            };
            f.write_all(&self.buf[..n]).map_err(io_err(path))?;
            written += n as u64;
        }
        // chown before chmod (chown clears setuid/setgid) and both before the
        // xattrs (chown and writes clear security.capability).
        if self.needs_chown(meta, sgid) {
            sysfs::fchown(&f, meta.uid, meta.gid).map_err(io_err(path))?;
        }
        if !exact {
            sysfs::fchmod(&f, mode).map_err(io_err(path))?;
        }
        self.set_xattrs_fd(&f, meta)?;
        sysfs::futimens(&f, meta.mtime.0, meta.mtime.1).map_err(io_err(path))?;
        Ok(written)
    }

    /// Create (or replace) a symlink; `target` is stored verbatim.
    pub fn symlink(&mut self, meta: &EntryMeta, target: &Path) -> Result<(), UnpackError> {
        let path = meta.path.as_path();
        let (parent, name) = split(path);
        if name.is_empty() {
            return Err(invalid(path, "a symlink cannot replace the root directory"));
        }
        if target.as_os_str().is_empty() {
            return Err(invalid(path, "symlink with an empty target"));
        }
        let (pfd, sgid) = self.dir_fd(parent)?;
        self.create_replacing(&pfd, name, path, |d| {
            sysfs::symlinkat(target, d, Path::new(name))
        })?;
        if self.needs_chown(meta, sgid) {
            sysfs::lchownat(&*pfd, Path::new(name), meta.uid, meta.gid).map_err(io_err(path))?;
        }
        let proc_path = PathBuf::from(format!("/proc/self/fd/{}", pfd.as_raw_fd())).join(name);
        for (k, v) in &meta.xattrs {
            // Symlinks cannot carry user.* xattrs; others are best effort, as
            // in containerd.
            if xattr_allowed(k) {
                let _ = xattr::lset(&proc_path, k, v);
            }
        }
        sysfs::lutimesat(&*pfd, Path::new(name), meta.mtime.0, meta.mtime.1)
            .map_err(io_err(path))?;
        Ok(())
    }

    /// Create (or replace) `path` as a hard link to `target` (an archive
    /// path, resolved inside the root without following its final symlink).
    /// A link to a directory, or to the root, is rejected.
    pub fn hardlink(&mut self, path: &Path, target: &Path) -> Result<(), UnpackError> {
        let (parent, name) = split(path);
        if name.is_empty() || target.as_os_str().is_empty() {
            return Err(invalid(path, "hard link to or from the root directory"));
        }
        if path == target {
            return Ok(());
        }
        let src = sysfs::openat2(
            &self.root,
            target,
            libc::O_PATH | libc::O_NOFOLLOW,
            0,
            sysfs::RESOLVE_IN_ROOT | sysfs::RESOLVE_NO_MAGICLINKS,
        )
        .map_err(|e| {
            invalid(
                path,
                format!(
                    "hard link target {}: {e}",
                    quote(target.as_os_str().as_bytes())
                ),
            )
        })?;
        let sst = sysfs::fstat(&src).map_err(io_err(path))?;
        if sst.st_mode & libc::S_IFMT == libc::S_IFDIR {
            return Err(invalid(
                path,
                format!(
                    "hard link target {} is a directory",
                    quote(target.as_os_str().as_bytes())
                ),
            ));
        }
        let (pfd, _) = self.dir_fd(parent)?;
        match sysfs::link_fd(&src, &*pfd, Path::new(name)) {
            Ok(()) => Ok(()),
            Err(e) if errno(&e) == libc::EEXIST => {
                let st = sysfs::lstatat(&*pfd, Path::new(name)).map_err(io_err(path))?;
                if st.st_dev == sst.st_dev && st.st_ino == sst.st_ino {
                    return Ok(());
                }
                self.remove_at(&pfd, name, path)?;
                sysfs::link_fd(&src, &*pfd, Path::new(name)).map_err(io_err(path))
            }
            Err(e) => Err(io_err(path)(e)),
        }
    }

    /// Create (or replace) a FIFO.
    pub fn fifo(&mut self, meta: &EntryMeta) -> Result<(), UnpackError> {
        let path = meta.path.as_path();
        let (parent, name) = split(path);
        if name.is_empty() {
            return Err(invalid(path, "a FIFO cannot replace the root directory"));
        }
        let (pfd, sgid) = self.dir_fd(parent)?;
        let n = Path::new(name);
        self.create_replacing(&pfd, name, path, |d| {
            sysfs::mknodat(d, n, libc::S_IFIFO | 0o600, 0, 0)
        })?;
        if self.needs_chown(meta, sgid) {
            sysfs::lchownat(&*pfd, n, meta.uid, meta.gid).map_err(io_err(path))?;
        }
        // Just created by mknodat in a directory only this writer changes, so
        // the name is not a symlink and chmodat cannot be redirected.
        sysfs::chmodat(&*pfd, n, meta.mode & 0o7777).map_err(io_err(path))?;
        sysfs::lutimesat(&*pfd, n, meta.mtime.0, meta.mtime.1).map_err(io_err(path))?;
        Ok(())
    }

    /// Put an overlayfs whiteout (a 0/0 character device) at `path`, which
    /// hides `path` of the layers below. The root being a fresh layer dir,
    /// anything already at `path` came from this same layer, and a whiteout
    /// applies to lower layers only (OCI image spec): that entry stays, and a
    /// directory of this layer becomes opaque, since the lower one it would
    /// have merged with is deleted. Returns whether a whiteout was made.
    pub fn whiteout(&mut self, path: &Path) -> Result<bool, UnpackError> {
        let (parent, name) = split(path);
        if name.is_empty() {
            return Err(invalid(path, "whiteout of the root directory"));
        }
        let (pfd, _) = self.dir_fd(parent)?;
        let n = Path::new(name);
        match sysfs::lstatat(&*pfd, n) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFDIR => {
                self.opaque(path)?;
                Ok(false)
            }
            Ok(_) => Ok(false),
            Err(e) if errno(&e) == libc::ENOENT => {
                sysfs::mknodat(&*pfd, n, libc::S_IFCHR, 0, 0).map_err(io_err(path))?;
                Ok(true)
            }
            Err(e) => Err(io_err(path)(e)),
        }
    }

    /// Mark directory `path` opaque for overlayfs (creating it if missing).
    pub fn opaque(&mut self, path: &Path) -> Result<(), UnpackError> {
        let f = self.open_dir_rw(path)?;
        xattr::fset(&f, OPAQUE_XATTR, b"y").map_err(io_err(path))
    }

    fn open_dir_rw(&mut self, path: &Path) -> Result<File, UnpackError> {
        // Make sure it exists (missing components are created).
        let _ = self.dir_fd(path)?;
        self.open_in_root(path, libc::O_RDONLY | libc::O_DIRECTORY)
            .map_err(io_err(path))
    }

    /// Remove `path` (recursively) if it exists. Used to apply whiteouts
    /// when copying layers; a missing path or parent is not an error.
    pub fn remove(&mut self, path: &Path) -> Result<(), UnpackError> {
        let (parent, name) = split(path);
        if name.is_empty() {
            return Err(invalid(path, "refusing to remove the root directory"));
        }
        let pfd = match self.open_in_root(parent, libc::O_PATH | libc::O_DIRECTORY) {
            Ok(f) => f,
            Err(e) if matches!(errno(&e), libc::ENOENT | libc::ENOTDIR) => return Ok(()),
            Err(e) => return Err(io_err(path)(e)),
        };
        self.remove_at(&pfd, name, path)
    }

    /// Remove everything inside directory `path` (an opaque directory when
    /// copying layers). Missing is not an error.
    pub fn clear_dir(&mut self, path: &Path) -> Result<(), UnpackError> {
        let d = match self.open_in_root(path, libc::O_PATH | libc::O_DIRECTORY) {
            Ok(f) => f,
            Err(e) if matches!(errno(&e), libc::ENOENT | libc::ENOTDIR) => return Ok(()),
            Err(e) => return Err(io_err(path)(e)),
        };
        let listing = PathBuf::from(format!("/proc/self/fd/{}", d.as_raw_fd()));
        let names: Vec<_> = std::fs::read_dir(&listing)
            .map_err(io_err(path))?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()
            .map_err(io_err(path))?;
        for n in names {
            self.remove_at(&d, &n, &path.join(&n))?;
        }
        Ok(())
    }

    /// Apply deferred directory mtimes (deepest first) and flush nothing
    /// else; call once at the end.
    pub fn finish(&mut self) -> Result<(), UnpackError> {
        self.cache = None;
        let mut times = std::mem::take(&mut self.dir_times);
        // Later entries win for the same path; deeper dirs first so setting
        // a child's time does not disturb its parent (it does not anyway).
        let mut seen = HashMap::new();
        for (i, (p, _)) in times.iter().enumerate() {
            seen.insert(p.clone(), i);
        }
        let mut idx: Vec<usize> = seen.into_values().collect();
        idx.sort_by_key(|&i| std::cmp::Reverse(times[i].0.components().count()));
        for i in idx {
            let (p, (sec, nsec)) = std::mem::take(&mut times[i]);
            if p.as_os_str().is_empty() {
                sysfs::futimens(&self.root, sec, nsec).map_err(io_err(&p))?;
                continue;
            }
            let (parent, name) = split(&p);
            let pfd = match self.open_in_root(parent, libc::O_PATH | libc::O_DIRECTORY) {
                Ok(f) => f,
                Err(_) => continue, // replaced or removed later in the stream
            };
            match sysfs::lstatat(&pfd, Path::new(name)) {
                Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFDIR => {
                    sysfs::lutimesat(&pfd, Path::new(name), sec, nsec).map_err(io_err(&p))?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Parse a PAX time (`123`, `123.456`, `-1.5`) into seconds and nanoseconds.
fn parse_pax_time(s: &str) -> Option<(i64, u32)> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let sec: i64 = int.parse().ok()?;
    let mut nsec: u32 = 0;
    if !frac.is_empty() {
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
        nsec = digits.parse().ok()?;
    }
    if int.starts_with('-') && nsec > 0 {
        return Some((sec - 1, 1_000_000_000 - nsec));
    }
    Some((sec, nsec))
}

fn check_id(path: &Path, what: &str, id: u64) -> Result<u32, UnpackError> {
    if id > MAX_ID {
        return Err(invalid(
            path,
            format!("{what} {id} out of range (maximum {MAX_ID})"),
        ));
    }
    Ok(id as u32)
}

/// Extract a (decompressed) layer tar stream into `root`, converting
/// whiteouts to overlayfs form. Stops at the end-of-archive marker and
/// returns the reader so the caller can drain (and hash) any trailing data.
pub fn unpack_tar<R: Read>(reader: R, root: &Path) -> Result<(UnpackStats, R), UnpackError> {
    unpack_entries(reader, root, true, None)
}

/// Extract an ordinary tar stream (a build context, an archive `ADD`
/// unpacks) into `root` with the same confinement: `.wh.` names are plain
/// files here, and `owner` (when given) replaces every entry's uid/gid.
pub fn unpack_plain_tar<R: Read>(
    reader: R,
    root: &Path,
    owner: Option<(u32, u32)>,
) -> Result<UnpackStats, UnpackError> {
    unpack_entries(reader, root, false, owner).map(|(stats, _)| stats)
}

fn unpack_entries<R: Read>(
    reader: R,
    root: &Path,
    layer: bool,
    owner: Option<(u32, u32)>,
) -> Result<(UnpackStats, R), UnpackError> {
    let mut w = RootWriter::open(root)?;
    let mut stats = UnpackStats::default();
    let mut ar = tar::Archive::new(BoundedTar::new(reader));
    // Whiteouts this layer made: an entry of the same layer at (or below)
    // one of them replaces it, as an opaque directory where it is one.
    let mut whited: HashSet<PathBuf> = HashSet::new();
    for entry in ar.entries().map_err(UnpackError::Read)? {
        let mut e = entry.map_err(UnpackError::Read)?;
        // A PAX path or linkpath can be as long as the PAX header allows.
        let name_len = e.path_bytes().len();
        let link_len = e.link_name_bytes().map_or(0, |l| l.len());
        if name_len.max(link_len) >= MAX_NAME {
            let p = e.path_bytes();
            let what = if name_len >= MAX_NAME {
                "name"
            } else {
                "link target"
            };
            return Err(invalid(
                Path::new(OsStr::from_bytes(&p[..p.len().min(QUOTE_MAX + 1)])),
                format!(
                    "{what} of {} bytes is longer than PATH_MAX ({MAX_NAME})",
                    name_len.max(link_len)
                ),
            ));
        }
        let raw = PathBuf::from(OsStr::from_bytes(&e.path_bytes()).to_os_string());
        let path = clean_path(&raw);
        let header = e.header().clone();
        let kind = header.entry_type();

        let mut mtime = None;
        let mut xattrs = Vec::new();
        if let Some(pax) = e.pax_extensions().map_err(UnpackError::Read)? {
            for ext in pax {
                let ext = ext.map_err(UnpackError::Read)?;
                let Ok(key) = ext.key() else { continue };
                if let Some(name) = key.strip_prefix("SCHILY.xattr.") {
                    xattrs.push((name.to_string(), ext.value_bytes().to_vec()));
                } else if key == "mtime" {
                    mtime = ext.value().ok().and_then(parse_pax_time);
                }
            }
        }

        // Whiteouts and opaque markers.
        let (parent, base) = split(&path);
        let base_bytes = base.as_bytes();
        if layer && base_bytes.starts_with(WHITEOUT_PREFIX.as_bytes()) {
            if base_bytes == OPAQUE_MARKER.as_bytes() {
                w.opaque(parent)?;
            } else if base_bytes.starts_with(b".wh..wh.") {
                // aufs metadata (.wh..wh.plnk, .wh..wh.aufs): ignored like Docker.
                continue;
            } else {
                let target = &base_bytes[WHITEOUT_PREFIX.len()..];
                if target.is_empty() || target == b"." || target == b".." {
                    return Err(invalid(&raw, "whiteout names no file"));
                }
                let target = parent.join(OsStr::from_bytes(target));
                if w.whiteout(&target)? {
                    whited.insert(target);
                }
            }
            stats.entries += 1;
            continue;
        }
        let mut replaces_whiteout = false;
        if !whited.is_empty() {
            replaces_whiteout = whited.remove(&path);
            // `d/x` below a whiteout `d` of this layer: `d` becomes an
            // opaque directory holding this layer's entries.
            for a in path.ancestors().skip(1) {
                if whited.remove(a) {
                    w.remove(a)?;
                    w.opaque(a)?;
                }
            }
        }

        let (uid, gid) = match owner {
            Some(ids) => ids,
            None => (
                check_id(&raw, "uid", header.uid().map_err(UnpackError::Read)?)?,
                check_id(&raw, "gid", header.gid().map_err(UnpackError::Read)?)?,
            ),
        };
        let mtime = match mtime {
            Some(t) => t,
            None => (
                header
                    .mtime()
                    .map_err(UnpackError::Read)?
                    .min(i64::MAX as u64) as i64,
                0,
            ),
        };
        let meta = EntryMeta {
            path,
            mode: header.mode().map_err(UnpackError::Read)? & 0o7777,
            uid,
            gid,
            mtime,
            xattrs,
        };
        use tar::EntryType as T;
        match kind {
            T::Directory => {
                w.dir(&meta)?;
                if replaces_whiteout {
                    w.opaque(&meta.path)?;
                }
            }
            T::Regular | T::Continuous | T::GNUSparse => {
                stats.size += w.file(&meta, &mut e)?;
            }
            T::Symlink => {
                let target = e
                    .link_name_bytes()
                    .ok_or_else(|| invalid(&raw, "symlink without a target"))?;
                let target = PathBuf::from(OsStr::from_bytes(&target));
                w.symlink(&meta, &target)?;
            }
            T::Link => {
                let target = e
                    .link_name_bytes()
                    .ok_or_else(|| invalid(&raw, "hard link without a target"))?;
                let target = clean_path(Path::new(OsStr::from_bytes(&target)));
                w.hardlink(&meta.path, &target)?;
            }
            T::Fifo => w.fifo(&meta)?,
            T::Char | T::Block => {
                stats.skipped_devices += 1;
                continue;
            }
            T::XGlobalHeader => continue,
            other => {
                return Err(invalid(
                    &raw,
                    format!("unsupported tar entry type {:?}", other.as_byte() as char),
                ))
            }
        }
        stats.entries += 1;
    }
    w.finish()?;
    Ok((stats, ar.into_inner().into_inner()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    use tar::{EntryType, Header};

    /// One raw tar entry, names written byte for byte (no sanitising).
    #[derive(Clone, Default)]
    pub(crate) struct E {
        pub kind: Option<EntryType>,
        pub name: Vec<u8>,
        pub link: Vec<u8>,
        pub data: Vec<u8>,
        pub mode: u32,
        pub uid: u64,
        pub gid: u64,
        pub mtime: u64,
        pub pax: Vec<(String, Vec<u8>)>,
        pub dev: (u32, u32),
    }

    pub(crate) fn file(name: &str, data: &[u8]) -> E {
        E {
            kind: Some(EntryType::Regular),
            name: name.into(),
            data: data.to_vec(),
            mode: 0o644,
            mtime: 1_600_000_000,
            ..E::default()
        }
    }
    pub(crate) fn dir(name: &str) -> E {
        E {
            kind: Some(EntryType::Directory),
            name: name.into(),
            mode: 0o755,
            mtime: 1_600_000_000,
            ..E::default()
        }
    }
    pub(crate) fn symlink(name: &str, target: &str) -> E {
        E {
            kind: Some(EntryType::Symlink),
            name: name.into(),
            link: target.into(),
            mode: 0o777,
            ..E::default()
        }
    }
    pub(crate) fn hardlink(name: &str, target: &str) -> E {
        E {
            kind: Some(EntryType::Link),
            name: name.into(),
            link: target.into(),
            ..E::default()
        }
    }
    fn dev(kind: EntryType, name: &str, major: u32, minor: u32) -> E {
        E {
            kind: Some(kind),
            name: name.into(),
            mode: 0o666,
            dev: (major, minor),
            ..E::default()
        }
    }
    fn with_pax(mut e: E, key: &str, value: &[u8]) -> E {
        e.pax.push((key.to_string(), value.to_vec()));
        e
    }

    /// Build a tar stream from raw entries.
    pub(crate) fn tar_of(entries: &[E]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for e in entries {
            if !e.pax.is_empty() {
                b.append_pax_extensions(e.pax.iter().map(|(k, v)| (k.as_str(), v.as_slice())))
                    .unwrap();
            }
            let mut h = Header::new_gnu();
            h.set_entry_type(e.kind.unwrap());
            {
                let old = h.as_old_mut();
                let n = e.name.len().min(100);
                old.name[..n].copy_from_slice(&e.name[..n]);
                let l = e.link.len().min(100);
                old.linkname[..l].copy_from_slice(&e.link[..l]);
            }
            h.set_mode(e.mode);
            h.set_uid(e.uid);
            h.set_gid(e.gid);
            h.set_mtime(e.mtime);
            h.set_size(e.data.len() as u64);
            if e.dev != (0, 0) || matches!(e.kind, Some(EntryType::Char) | Some(EntryType::Block)) {
                h.set_device_major(e.dev.0).unwrap();
                h.set_device_minor(e.dev.1).unwrap();
            }
            h.set_cksum();
            b.append(&h, e.data.as_slice()).unwrap();
        }
        b.into_inner().unwrap()
    }

    /// Everything observable about a tree (type, mode, owner, nlink,
    /// contents, link targets, xattrs), without following symlinks.
    fn fingerprint(base: &Path, skip: Option<&Path>) -> BTreeMap<PathBuf, String> {
        let mut out = BTreeMap::new();
        fn walk(p: &Path, rel: &Path, skip: Option<&Path>, out: &mut BTreeMap<PathBuf, String>) {
            if Some(p) == skip {
                return;
            }
            let md = std::fs::symlink_metadata(p).unwrap();
            let mut desc = format!(
                "{:o} {}:{} n{} {:?}",
                md.mode(),
                md.uid(),
                md.gid(),
                md.nlink(),
                xattr::llist(p).unwrap()
            );
            if md.is_file() {
                desc += &format!(" {:?}", std::fs::read(p).unwrap());
            } else if md.file_type().is_symlink() {
                desc += &format!(" -> {:?}", std::fs::read_link(p).unwrap());
            }
            out.insert(rel.to_path_buf(), desc);
            if md.is_dir() {
                for e in std::fs::read_dir(p).unwrap() {
                    let e = e.unwrap();
                    walk(&e.path(), &rel.join(e.file_name()), skip, out);
                }
            }
        }
        walk(base, Path::new(""), skip, &mut out);
        out
    }

    struct Scene {
        _t: tempfile::TempDir,
        base: PathBuf,
        root: PathBuf,
        outside: PathBuf,
    }

    fn scene() -> Scene {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().to_path_buf();
        let outside = base.join("outside");
        std::fs::create_dir_all(outside.join("sub")).unwrap();
        std::fs::write(outside.join("keep"), b"host data").unwrap();
        std::fs::write(outside.join("sub/deep"), b"deep").unwrap();
        let root = base.join("root");
        std::fs::create_dir(&root).unwrap();
        Scene {
            _t: t,
            base,
            root,
            outside,
        }
    }

    fn unpack(s: &Scene, entries: &[E]) -> Result<UnpackStats, UnpackError> {
        unpack_tar(std::io::Cursor::new(tar_of(entries)), &s.root).map(|(st, _)| st)
    }

    #[test]
    fn malicious_layers_stay_inside_the_root() {
        let probe = scene();
        let out_abs = probe.outside.to_str().unwrap().to_string();
        let out_keep = format!("{out_abs}/keep");
        let long_dir = "d".repeat(120);
        let long_name = format!("{long_dir}/{}/../../../../outside/long", "e".repeat(150));
        type Check = fn(&Scene, &Result<UnpackStats, UnpackError>);
        let cases: Vec<(&str, Vec<E>, Option<Check>)> = vec![
            (
                "dotdot file",
                vec![
                    file("../outside/pwn", b"x"),
                    file("../../../../../outside/keep", b"x"),
                ],
                Some(|s, r| {
                    assert!(r.is_ok(), "{r:?}");
                    assert!(s.root.join("outside/pwn").is_file());
                }),
            ),
            (
                "absolute file",
                vec![
                    file("/outside/pwn", b"x"),
                    dir("/abs/"),
                    file("/abs/f", b"y"),
                ],
                Some(|s, r| {
                    assert!(r.is_ok(), "{r:?}");
                    assert!(s.root.join("outside/pwn").is_file());
                    assert!(s.root.join("abs/f").is_file());
                }),
            ),
            (
                "absolute symlink then write through",
                vec![
                    symlink("lnk", &out_abs),
                    file("lnk/pwn", b"x"),
                    dir("lnk/newdir"),
                ],
                None,
            ),
            (
                "relative symlink then write through",
                vec![
                    symlink("lnk", "../../outside"),
                    file("lnk/pwn", b"x"),
                    file("lnk/keep", b"x"),
                    symlink("l3", "../../../outside"),
                    file("l3/pwn3", b"x"),
                ],
                Some(|s, r| {
                    assert!(r.is_ok(), "{r:?}");
                    assert!(s.root.join("outside/pwn").is_file());
                }),
            ),
            (
                "chained symlinks",
                vec![
                    symlink("a", "b"),
                    symlink("b", &out_abs),
                    file("a/pwn", b"x"),
                    file("a/sub/deep", b"x"),
                ],
                None,
            ),
            (
                "file over symlink to outside file",
                vec![symlink("lnk", &out_keep), file("lnk", b"pwned")],
                Some(|s, r| {
                    assert!(r.is_ok(), "{r:?}");
                    assert_eq!(std::fs::read(s.root.join("lnk")).unwrap(), b"pwned");
                }),
            ),
            (
                "dir swapped for symlink mid-archive",
                vec![
                    dir("d/"),
                    file("d/a", b"1"),
                    symlink("d", &out_abs),
                    file("d/pwn", b"x"),
                    file("d/keep", b"x"),
                ],
                Some(|s, r| {
                    assert!(r.is_ok(), "{r:?}");
                    assert!(std::fs::symlink_metadata(s.root.join("d"))
                        .unwrap()
                        .file_type()
                        .is_symlink());
                }),
            ),
            (
                "dir swapped for relative symlink",
                vec![
                    dir("d/"),
                    symlink("d", "../.."),
                    file("d/outside/pwn", b"x"),
                    dir("e/"),
                    symlink("e", "../../outside"),
                    file("e/keep", b"x"),
                ],
                None,
            ),
            (
                "hardlink dotdot escape",
                vec![hardlink("hl", "../outside/keep")],
                Some(|_, r| assert!(r.is_err())),
            ),
            (
                "hardlink absolute escape",
                vec![hardlink("hl", &out_keep)],
                Some(|_, r| assert!(r.is_err())),
            ),
            (
                "hardlink through symlink",
                vec![symlink("lnk", &out_abs), hardlink("hl", "lnk/keep")],
                Some(|_, r| assert!(r.is_err())),
            ),
            (
                "hardlink to directory",
                vec![dir("d/"), hardlink("hl", "d")],
                Some(|_, r| assert!(r.is_err())),
            ),
            (
                "hardlink to symlink stays a symlink",
                vec![
                    symlink("lnk", &out_keep),
                    hardlink("hl", "lnk"),
                    file("hl", b"pwned"),
                ],
                None,
            ),
            (
                "whiteout of dotdot",
                vec![file(".wh..", b"")],
                Some(|_, r| assert!(r.is_err())),
            ),
            (
                "whiteout aimed at parent",
                vec![file("../.wh.outside", b""), file("/.wh.outside", b"")],
                Some(|s, r| {
                    assert!(r.is_ok(), "{r:?}");
                    let md = std::fs::symlink_metadata(s.root.join("outside")).unwrap();
                    assert!(md.file_type().is_char_device() && md.rdev() == 0);
                }),
            ),
            (
                "whiteout through symlink",
                vec![
                    symlink("lnk", &out_abs),
                    file("lnk/.wh.keep", b""),
                    file("lnk/.wh.sub", b""),
                ],
                None,
            ),
            (
                "opaque through symlink",
                vec![
                    symlink("lnk", &out_abs),
                    file("lnk/.wh..wh..opq", b""),
                    file("lnk/sub/.wh..wh..opq", b""),
                ],
                None,
            ),
            (
                "opaque root via dotdot",
                vec![file("../.wh..wh..opq", b"")],
                None,
            ),
            (
                "device nodes skipped",
                vec![
                    dev(EntryType::Char, "dev/sda", 8, 0),
                    dev(EntryType::Block, "dev/loop0", 7, 0),
                    dev(EntryType::Char, "../outside/null", 1, 3),
                    dev(EntryType::Char, "wh", 0, 0),
                ],
                Some(|s, r| {
                    assert_eq!(r.as_ref().unwrap().skipped_devices, 4);
                    assert!(!s.root.join("dev/sda").exists() && !s.root.join("wh").exists());
                }),
            ),
            (
                "uid -1",
                vec![with_pax(file("f", b"x"), "uid", b"4294967295")],
                Some(|_, r| assert!(r.is_err())),
            ),
            (
                "huge gid",
                vec![with_pax(file("f", b"x"), "gid", b"1099511627776")],
                Some(|_, r| assert!(r.is_err())),
            ),
            (
                "huge uid in base-256 header",
                vec![E {
                    uid: 1 << 40,
                    ..file("f", b"x")
                }],
                Some(|_, r| assert!(r.is_err())),
            ),
            (
                "long pax path with dotdot",
                vec![with_pax(file("short", b"x"), "path", long_name.as_bytes())],
                Some(|s, r| {
                    assert!(r.is_ok(), "{r:?}");
                    assert!(s.root.join("outside/long").is_file());
                }),
            ),
            (
                "pax linkpath escape",
                vec![
                    with_pax(
                        symlink("lnk", "x"),
                        "linkpath",
                        format!("{out_abs}/sub").as_bytes(),
                    ),
                    file("lnk/pwn", b"x"),
                ],
                None,
            ),
            (
                "file then dir then file through",
                vec![
                    file("x", b"1"),
                    dir("x/"),
                    file("x/y", b"2"),
                    symlink("x", "/"),
                    file("x/outside/keep", b"x"),
                ],
                None,
            ),
            (
                "overlay xattrs from image dropped",
                vec![with_pax(
                    dir("d/"),
                    "SCHILY.xattr.trusted.overlay.redirect",
                    b"/outside",
                )],
                Some(|s, r| {
                    assert!(r.is_ok(), "{r:?}");
                    assert!(xattr::lget(&s.root.join("d"), "trusted.overlay.redirect")
                        .unwrap()
                        .is_none());
                }),
            ),
        ];
        // Every case gets its own root under `roots/`, all next to the one
        // sentinel dir that the absolute and relative escapes aim at.
        let roots = probe.base.join("roots");
        for (i, (name, entries, check)) in cases.into_iter().enumerate() {
            let root = roots.join(i.to_string());
            std::fs::create_dir_all(&root).unwrap();
            let s = Scene {
                _t: tempfile::tempdir().unwrap(),
                base: probe.base.clone(),
                root,
                outside: probe.outside.clone(),
            };
            let before = fingerprint(&s.base, Some(&roots));
            let r = unpack(&s, &entries);
            let after = fingerprint(&s.base, Some(&roots));
            assert_eq!(
                before, after,
                "case {name:?} changed something outside the root ({r:?})"
            );
            if let Some(check) = check {
                check(&s, &r);
            }
        }
    }

    #[test]
    fn normal_entries_keep_metadata() {
        let s = scene();
        let entries = vec![
            E {
                mode: 0o750,
                uid: 1000,
                gid: 1001,
                mtime: 1_500_000_000,
                ..dir("./")
            },
            dir("bin/"),
            E {
                mode: 0o4755,
                ..file("bin/su", b"#!su")
            },
            E {
                mode: 0o2711,
                uid: 0,
                gid: 42,
                ..file("bin/sg", b"sg")
            },
            E {
                mode: 0o1777,
                ..dir("tmp/")
            },
            E {
                uid: 1234,
                gid: 5678,
                mtime: 1_234_567_890,
                ..file("home/u/file", b"hello")
            },
            with_pax(
                with_pax(file("bin/ping", b"ping"), "SCHILY.xattr.user.note", b"v"),
                "SCHILY.xattr.trusted.berth",
                b"t",
            ),
            with_pax(file("frac", b""), "mtime", b"1600000000.5"),
            symlink("bin/sh", "/bin/busybox"),
            E {
                uid: 7,
                gid: 8,
                ..symlink("rel", "../x/y")
            },
            hardlink("bin/su2", "bin/su"),
            E {
                kind: Some(EntryType::Fifo),
                name: b"run/fifo".to_vec(),
                mode: 0o620,
                ..E::default()
            },
        ];
        let mut entries = entries;
        entries.push(E {
            mode: 0o444,
            ..file("ro", b"")
        });
        entries.push(E {
            mode: 0o666,
            ..file("rw", b"")
        });
        entries.push(file("plain", b""));
        let st = unpack(&s, &entries).unwrap();
        assert_eq!(st.size, 4 + 2 + 5 + 4);
        let md = |p: &str| std::fs::symlink_metadata(s.root.join(p)).unwrap();
        assert_eq!(md("").mode() & 0o7777, 0o750);
        assert_eq!(
            (md("").uid(), md("").gid(), md("").mtime()),
            (1000, 1001, 1_500_000_000)
        );
        assert_eq!(md("bin/su").mode() & 0o7777, 0o4755);
        assert_eq!(md("bin/sg").mode() & 0o7777, 0o2711);
        assert_eq!(md("bin/sg").gid(), 42);
        assert_eq!(md("tmp").mode() & 0o7777, 0o1777);
        assert_eq!(
            md("bin").mtime(),
            1_600_000_000,
            "dir mtime applied after children"
        );
        let f = md("home/u/file");
        assert_eq!((f.uid(), f.gid(), f.mtime()), (1234, 5678, 1_234_567_890));
        assert_eq!(
            md("home").mode() & 0o7777,
            0o755,
            "missing parents are created 0755"
        );
        assert_eq!(
            (md("frac").mtime(), md("frac").mtime_nsec()),
            (1_600_000_000, 500_000_000)
        );
        assert_eq!(
            xattr::lget(&s.root.join("bin/ping"), "user.note")
                .unwrap()
                .unwrap(),
            b"v"
        );
        assert_eq!(
            xattr::lget(&s.root.join("bin/ping"), "trusted.berth")
                .unwrap()
                .unwrap(),
            b"t"
        );
        assert_eq!(
            std::fs::read_link(s.root.join("bin/sh")).unwrap(),
            Path::new("/bin/busybox")
        );
        assert_eq!((md("rel").uid(), md("rel").gid()), (7, 8));
        assert_eq!(md("bin/su2").ino(), md("bin/su").ino());
        assert!(md("run/fifo").file_type().is_fifo());
        assert_eq!(md("ro").mode() & 0o7777, 0o444);
        assert_eq!(md("rw").mode() & 0o7777, 0o666);
        assert_eq!(md("plain").mode() & 0o7777, 0o644);
        assert_eq!(md("run/fifo").mode() & 0o7777, 0o620);
    }

    #[test]
    fn whiteouts_and_replacements() {
        let s = scene();
        let entries = vec![
            dir("etc/"),
            file("etc/.wh.passwd", b""),
            dir("var/"),
            file("var/old", b"1"),
            file("var/.wh..wh..opq", b""),
            file(".wh..wh.plnk", b""),
            // file over file, dir over file, file over dir, dir over dir merges
            file("a", b"1"),
            file("a", b"22"),
            file("b", b"1"),
            dir("b/"),
            file("b/in", b"x"),
            dir("c/"),
            file("c/in", b"x"),
            file("c", b"now a file"),
            dir("m/"),
            file("m/keep", b"k"),
            E {
                mode: 0o700,
                ..dir("m/")
            },
            symlink("s", "a"),
            file("s", b"replaced link"),
        ];
        unpack(&s, &entries).unwrap();
        let md = std::fs::symlink_metadata(s.root.join("etc/passwd")).unwrap();
        assert!(md.file_type().is_char_device());
        assert_eq!((md.rdev(), md.uid(), md.gid()), (0, 0, 0));
        assert_eq!(
            xattr::lget(&s.root.join("var"), OPAQUE_XATTR)
                .unwrap()
                .unwrap(),
            b"y"
        );
        assert!(
            s.root.join("var/old").is_file(),
            "opaque hides lower layers only"
        );
        assert!(!s.root.join(".wh..wh.plnk").exists());
        assert_eq!(std::fs::read(s.root.join("a")).unwrap(), b"22");
        assert!(s.root.join("b/in").is_file());
        assert_eq!(std::fs::read(s.root.join("c")).unwrap(), b"now a file");
        assert!(s.root.join("m/keep").is_file());
        assert_eq!(
            std::fs::metadata(s.root.join("m")).unwrap().mode() & 0o777,
            0o700
        );
        assert!(std::fs::symlink_metadata(s.root.join("s"))
            .unwrap()
            .is_file());
    }

    #[test]
    fn same_layer_whiteouts_apply_to_lower_layers_only() {
        let s = scene();
        let entries = vec![
            // The file first, then its whiteout, and the other way round.
            file("x11", b"kept"),
            file(".wh.x11", b""),
            file(".wh.y11", b""),
            file("y11", b"kept too"),
            // A directory of this layer whited out after or before its
            // entries: it stays, opaque (the lower one is deleted).
            dir("d/"),
            file("d/a", b"a"),
            file(".wh.d", b""),
            file(".wh.e", b""),
            dir("e/"),
            file("e/b", b"b"),
            file(".wh.f", b""),
            file("f/c", b"c"),
            // Opaque markers keep the same layer's entries in either order.
            dir("o/"),
            file("o/1", b"1"),
            file("o/.wh..wh..opq", b""),
            file("o/2", b"2"),
            // A plain whiteout still hides the lower layers' file.
            file(".wh.gone", b""),
        ];
        unpack(&s, &entries).unwrap();
        let r = &s.root;
        assert_eq!(std::fs::read(r.join("x11")).unwrap(), b"kept");
        assert_eq!(std::fs::read(r.join("y11")).unwrap(), b"kept too");
        let opaque =
            |p: &str| xattr::lget(&r.join(p), OPAQUE_XATTR).unwrap().as_deref() == Some(&b"y"[..]);
        for (d, f) in [("d", "a"), ("e", "b"), ("f", "c"), ("o", "1"), ("o", "2")] {
            assert!(r.join(d).join(f).is_file(), "{d}/{f} was removed");
            assert!(opaque(d), "{d} is not opaque");
        }
        let gone = std::fs::symlink_metadata(r.join("gone")).unwrap();
        assert!(gone.file_type().is_char_device() && gone.rdev() == 0);
    }

    /// A header of `kind` claiming `size` bytes, then that many bytes made
    /// on demand: a hostile layer that costs no memory to produce.
    fn hostile_stream(kind: EntryType, size: u64) -> impl Read {
        let mut h = Header::new_gnu();
        h.set_entry_type(kind);
        h.set_path("././@LongLink").unwrap();
        h.set_size(size);
        h.set_cksum();
        std::io::Cursor::new(h.as_bytes().to_vec()).chain(std::io::repeat(b'a').take(size))
    }

    fn peak_rss_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    #[test]
    fn huge_names_and_extension_headers_fail_short() {
        let s = scene();
        // A PAX path of 100 KiB: within the PAX limit, over PATH_MAX.
        let long = "n".repeat(100 << 10);
        let e = unpack(&s, &[with_pax(file("x", b""), "path", long.as_bytes())]).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("longer than PATH_MAX (4096)"), "{msg}");
        assert!(msg.len() < 400, "{} bytes: {msg:.400}", msg.len());
        // A long link target too.
        let e = unpack(
            &s,
            &[with_pax(symlink("l", "t"), "linkpath", long.as_bytes())],
        )
        .unwrap_err();
        assert!(e.to_string().contains("link target of 102400 bytes"), "{e}");
        // Records over the limits fail before their body is read.
        for kind in [
            EntryType::GNULongName,
            EntryType::XHeader,
            EntryType::XGlobalHeader,
        ] {
            let e = unpack_tar(hostile_stream(kind, 256 << 20), &s.root)
                .map(|_| ())
                .unwrap_err();
            assert!(e.to_string().contains("-byte limit"), "{kind:?}: {e}");
            assert!(e.to_string().len() < 200, "{e}");
        }
        assert!(quote(&[b'q'; 10_000]).ends_with("... (10000 bytes)"));
    }

    /// Peak RSS of unpacking 256 MiB extension records; run alone:
    /// `cargo test --bin berth -- --ignored --exact snapshot::unpack::tests::peak_rss_of_hostile_headers --nocapture`
    #[test]
    #[ignore]
    fn peak_rss_of_hostile_headers() {
        let s = scene();
        let before = peak_rss_kib();
        for kind in [EntryType::XHeader, EntryType::GNULongName] {
            let r = unpack_tar(hostile_stream(kind, 256 << 20), &s.root).map(|_| ());
            let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
            println!(
                "{kind:?}: VmHWM {before} -> {} KiB, error of {} bytes: {:.120}",
                peak_rss_kib(),
                msg.len(),
                msg
            );
        }
    }

    #[test]
    fn pax_time_parsing() {
        assert_eq!(parse_pax_time("12"), Some((12, 0)));
        assert_eq!(parse_pax_time("12.25"), Some((12, 250_000_000)));
        assert_eq!(parse_pax_time("-1.5"), Some((-2, 500_000_000)));
        assert_eq!(parse_pax_time("x"), None);
        assert_eq!(clean_path(Path::new("/../a/./b/../c")), Path::new("a/c"));
        assert_eq!(clean_path(Path::new("../..")), Path::new(""));
    }
}
