//! `docker cp` semantics over a container's root filesystem, confined to it.
//!
//! Every container-side path is resolved inside the container's root with
//! `openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)` (DESIGN.md rule 5), and
//! below the starting point the tree is walked with `openat(O_NOFOLLOW)` one
//! name at a time, so a symlink planted in the container (even one swapped in
//! while a copy runs) is only ever followed as if the container's root were
//! `/`: berth never reads or writes a host file on the container's behalf.
//! Writes go through the snapshotter's confined [`RootWriter`].
//!
//! The walker feeds a [`Sink`]: a tar stream (`cp CTR:/p -`) or a confined
//! writer (a host directory for copies out, the container root for copies
//! in). Tar streams read from stdin (`cp - CTR:/dir`) go through the same
//! writer. Docker's rules, as its `cp` documents them:
//! - a directory is copied into an existing directory under its own name,
//!   or its contents only when the source ends in `/.`; to a missing path it
//!   is created there; onto a file it is an error;
//! - a file onto a directory goes inside it under its own name, onto a file
//!   replaces it, to a missing path is created there (the parent must
//!   exist; a destination ending in `/` must be an existing directory);
//! - a source symlink is copied as a link unless `-L` (or a trailing `/`);
//! - an existing directory is never replaced by a non-directory or vice
//!   versa;
//! - modes and mtimes are kept; files copied into a container are owned by
//!   root, files copied out by the invoking user (docker without `-a`).
//!
//! Not copied: device nodes written out of a tar stream or the container
//! (skipped, like the layer extractor does), sockets, extended attributes,
//! and hard links (each link becomes its own file). Pseudo filesystems of a
//! running container (`/proc`, `/sys`, cgroups, devpts, mqueue) are not
//! descended into.

use crate::snapshot::tar_bounds::BoundedTar;
use crate::snapshot::unpack::{clean_path, quote, EntryMeta, RootWriter, UnpackError, MAX_NAME};
use crate::sys::fs as sysfs;
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("Could not find the file {0} in container {1}")]
    NotFoundInContainer(String, String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}: not a directory")]
    NotADirectory(String),
    #[error("cannot copy a directory to a file: {0}")]
    DirOntoFile(String),
    #[error("destination directory {0} must exist")]
    DestDirMissing(String),
    #[error("cannot overwrite directory {} with non-directory", quote(.0.as_os_str().as_bytes()))]
    DirWithNonDir(PathBuf),
    #[error("cannot overwrite non-directory {} with directory", quote(.0.as_os_str().as_bytes()))]
    NonDirWithDir(PathBuf),
    #[error(transparent)]
    Write(#[from] UnpackError),
    #[error("reading tar stream: {0}")]
    Tar(io::Error),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> CopyError + '_ {
    move |source| CopyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

/// What is at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    File,
    Dir,
}

/// Where a copy lands: into the existing directory `dir`, with the source's
/// top entry named `name` (empty: the source directory's contents go
/// straight into `dir`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub dir: PathBuf,
    pub name: PathBuf,
}

/// Docker's `/.` suffix: copy a directory's contents, not the directory.
pub fn wants_contents(src: &str) -> bool {
    src == "." || src.ends_with("/.")
}

fn base_name(p: &str) -> PathBuf {
    let cleaned = clean_path(Path::new(p));
    cleaned.file_name().map(PathBuf::from).unwrap_or_default()
}

fn parent_of(p: &str) -> PathBuf {
    let t = p.trim_end_matches('/');
    match Path::new(t).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ if t.starts_with('/') || t.is_empty() => PathBuf::from("/"),
        _ => PathBuf::from("."),
    }
}

/// Decide where `src` (a directory or not) goes given what `dst` is.
pub fn plan(src: &str, src_is_dir: bool, dst: &str, dst_kind: Kind) -> Result<Plan, CopyError> {
    if !src_is_dir && src.ends_with('/') {
        return Err(CopyError::NotADirectory(src.to_string()));
    }
    match dst_kind {
        Kind::Dir => Ok(Plan {
            dir: PathBuf::from(dst),
            name: if src_is_dir && wants_contents(src) {
                PathBuf::new()
            } else {
                base_name(src)
            },
        }),
        Kind::File if src_is_dir => Err(CopyError::DirOntoFile(dst.to_string())),
        Kind::File => Ok(Plan {
            dir: parent_of(dst),
            name: base_name(dst),
        }),
        Kind::Missing if dst.ends_with('/') => Err(CopyError::DestDirMissing(dst.to_string())),
        Kind::Missing => Ok(Plan {
            dir: parent_of(dst),
            name: base_name(dst),
        }),
    }
}

/// A directory paths are resolved in: a container's root (`/proc/<pid>/root`
/// or its mounted snapshot) or a host directory.
pub struct Root {
    path: PathBuf,
    fd: File,
}

impl Root {
    pub fn open(path: &Path) -> Result<Root, CopyError> {
        let fd = sysfs::openat2(sysfs::CWD, path, libc::O_PATH | libc::O_DIRECTORY, 0, 0)
            .map_err(io_err(path))?;
        Ok(Root {
            path: path.to_path_buf(),
            fd,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Open `p` (relative to the root; absolute means the same) as an
    /// `O_PATH` descriptor, following a final symlink only when asked.
    fn open_path(&self, p: &Path, follow: bool) -> io::Result<File> {
        let rel = clean_path(p);
        if rel.as_os_str().is_empty() {
            return sysfs::openat(&self.fd, Path::new("."), libc::O_PATH, 0);
        }
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        sysfs::openat2(
            &self.fd,
            &rel,
            libc::O_PATH | nofollow,
            0,
            sysfs::RESOLVE_IN_ROOT | sysfs::RESOLVE_NO_MAGICLINKS,
        )
    }

    /// What `p` is, symlinks followed (inside the root).
    pub fn kind(&self, p: &str) -> Result<Kind, CopyError> {
        match self.open_path(Path::new(p), true) {
            Ok(f) => {
                let st = sysfs::fstat(&f).map_err(io_err(Path::new(p)))?;
                Ok(if st.st_mode & libc::S_IFMT == libc::S_IFDIR {
                    Kind::Dir
                } else {
                    Kind::File
                })
            }
            Err(e) if matches!(errno(&e), libc::ENOENT | libc::ENOTDIR) => Ok(Kind::Missing),
            Err(e) => Err(io_err(Path::new(p))(e)),
        }
    }
}

/// Receives the entries of a walk (or of a tar stream).
pub trait Sink {
    fn dir(&mut self, meta: &EntryMeta) -> Result<(), CopyError>;
    fn file(&mut self, meta: &EntryMeta, size: u64, data: &mut dyn Read) -> Result<(), CopyError>;
    fn symlink(&mut self, meta: &EntryMeta, target: &Path) -> Result<(), CopyError>;
    fn fifo(&mut self, meta: &EntryMeta) -> Result<(), CopyError>;
    /// A device node: `kind` is `b'c'` or `b'b'`.
    fn device(&mut self, meta: &EntryMeta, kind: u8, rdev: u64) -> Result<(), CopyError>;
    /// A hard link to an earlier entry (tar streams only).
    fn hardlink(&mut self, path: &Path, target: &Path) -> Result<(), CopyError>;
    fn finish(&mut self) -> Result<(), CopyError>;
}

/// Walks a tree under a [`Root`] without following symlinks below the start.
pub struct Walker<'a> {
    root: &'a Root,
    /// `st_dev` of pseudo filesystems not to descend into.
    skip_devs: HashSet<u64>,
    /// Bytes of regular files emitted.
    pub bytes: u64,
}

fn meta_of(path: PathBuf, st: &libc::stat) -> EntryMeta {
    EntryMeta {
        path,
        mode: st.st_mode & 0o7777,
        uid: st.st_uid,
        gid: st.st_gid,
        mtime: (st.st_mtime, st.st_mtime_nsec as u32),
        xattrs: Vec::new(),
    }
}

/// Reads exactly `size` bytes: a file that shrank meanwhile is padded with
/// zeros, one that grew is cut, so a tar header's size always holds.
struct Exact<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let want = buf.len().min(self.left as usize);
        let n = match self.inner.read(&mut buf[..want])? {
            0 => {
                buf[..want].fill(0);
                want
            }
            n => n,
        };
        self.left -= n as u64;
        Ok(n)
    }
}

impl<'a> Walker<'a> {
    pub fn new(root: &'a Root, skip_devs: HashSet<u64>) -> Walker<'a> {
        Walker {
            root,
            skip_devs,
            bytes: 0,
        }
    }

    /// Whether `src` is a directory (following a final symlink when
    /// `follow`), or `NotFound`.
    pub fn is_dir(&self, src: &str, follow: bool) -> Result<Option<bool>, CopyError> {
        match self
            .root
            .open_path(Path::new(src), follow || src.ends_with('/'))
        {
            Ok(f) => {
                let st = sysfs::fstat(&f).map_err(io_err(Path::new(src)))?;
                Ok(Some(st.st_mode & libc::S_IFMT == libc::S_IFDIR))
            }
            Err(e) if matches!(errno(&e), libc::ENOENT | libc::ENOTDIR) => Ok(None),
            Err(e) => Err(io_err(Path::new(src))(e)),
        }
    }

    /// Emit `src` into `sink` with its top entry named `name` (empty: the
    /// directory's entries only, at the top level).
    pub fn walk(
        &mut self,
        src: &str,
        follow: bool,
        name: &Path,
        sink: &mut dyn Sink,
    ) -> Result<(), CopyError> {
        let obj = self
            .root
            .open_path(Path::new(src), follow || src.ends_with('/'))
            .map_err(io_err(Path::new(src)))?;
        self.entry(&obj, name, name.as_os_str().is_empty(), sink)?;
        sink.finish()
    }

    fn entry(
        &mut self,
        obj: &File,
        name: &Path,
        contents_only: bool,
        sink: &mut dyn Sink,
    ) -> Result<(), CopyError> {
        let st = sysfs::fstat(obj).map_err(io_err(name))?;
        let meta = meta_of(name.to_path_buf(), &st);
        match st.st_mode & libc::S_IFMT {
            libc::S_IFDIR => {
                if !contents_only {
                    sink.dir(&meta)?;
                }
                if self.skip_devs.contains(&st.st_dev) {
                    return Ok(());
                }
                let dir = sysfs::openat(obj, Path::new("."), libc::O_RDONLY | libc::O_DIRECTORY, 0)
                    .map_err(io_err(name))?;
                for child in list_dir(&dir).map_err(io_err(name))? {
                    let f = match sysfs::openat(
                        &dir,
                        Path::new(&child),
                        libc::O_PATH | libc::O_NOFOLLOW,
                        0,
                    ) {
                        Ok(f) => f,
                        // Removed while we walk (a running container).
                        Err(e) if errno(&e) == libc::ENOENT => continue,
                        Err(e) => return Err(io_err(&name.join(&child))(e)),
                    };
                    self.entry(&f, &name.join(&child), false, sink)?;
                }
            }
            libc::S_IFREG => {
                // Reopen our own O_PATH descriptor for reading; the magic
                // link names a file already resolved inside the root.
                let proc_path = PathBuf::from(format!("/proc/self/fd/{}", obj.as_raw_fd()));
                let f = sysfs::openat2(sysfs::CWD, &proc_path, libc::O_RDONLY, 0, 0)
                    .map_err(io_err(name))?;
                let size = st.st_size as u64;
                let mut data = Exact {
                    inner: f,
                    left: size,
                };
                sink.file(&meta, size, &mut data)?;
                self.bytes += size;
            }
            libc::S_IFLNK => {
                let target = sysfs::readlinkat(obj, Path::new("")).map_err(io_err(name))?;
                sink.symlink(&meta, &target)?;
            }
            libc::S_IFIFO => sink.fifo(&meta)?,
            libc::S_IFCHR => sink.device(&meta, b'c', st.st_rdev)?,
            libc::S_IFBLK => sink.device(&meta, b'b', st.st_rdev)?,
            _ => {} // sockets cannot be copied
        }
        Ok(())
    }
}

/// Names in a directory (without `.` and `..`), sorted for a stable order.
fn list_dir(dir: &File) -> io::Result<Vec<OsString>> {
    // read_dir needs a path: our own descriptor's magic link.
    let p = PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd()));
    let mut names: Vec<OsString> = std::fs::read_dir(p)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    names.sort();
    Ok(names)
}

/// A tar stream on any writer (`cp CTR:/p -`).
pub struct TarSink<W: Write> {
    builder: tar::Builder<W>,
}

impl<W: Write> TarSink<W> {
    pub fn new(out: W) -> TarSink<W> {
        let mut builder = tar::Builder::new(out);
        builder.follow_symlinks(false);
        TarSink { builder }
    }

    fn header(meta: &EntryMeta, kind: tar::EntryType, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(meta.mode);
        h.set_uid(u64::from(meta.uid));
        h.set_gid(u64::from(meta.gid));
        h.set_mtime(meta.mtime.0.max(0) as u64);
        h.set_size(size);
        h
    }

    fn tar_err(e: io::Error) -> CopyError {
        CopyError::Io {
            path: PathBuf::from("-"),
            source: e,
        }
    }

    fn name(meta: &EntryMeta, dir: bool) -> PathBuf {
        let mut p = if meta.path.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            meta.path.clone()
        };
        if dir {
            p.push("");
        }
        p
    }
}

impl<W: Write> Sink for TarSink<W> {
    fn dir(&mut self, meta: &EntryMeta) -> Result<(), CopyError> {
        let mut h = Self::header(meta, tar::EntryType::Directory, 0);
        self.builder
            .append_data(&mut h, Self::name(meta, true), io::empty())
            .map_err(Self::tar_err)
    }

    fn file(&mut self, meta: &EntryMeta, size: u64, data: &mut dyn Read) -> Result<(), CopyError> {
        let mut h = Self::header(meta, tar::EntryType::Regular, size);
        self.builder
            .append_data(&mut h, Self::name(meta, false), data)
            .map_err(Self::tar_err)
    }

    fn symlink(&mut self, meta: &EntryMeta, target: &Path) -> Result<(), CopyError> {
        let mut h = Self::header(meta, tar::EntryType::Symlink, 0);
        self.builder
            .append_link(&mut h, Self::name(meta, false), target)
            .map_err(Self::tar_err)
    }

    fn fifo(&mut self, meta: &EntryMeta) -> Result<(), CopyError> {
        let mut h = Self::header(meta, tar::EntryType::Fifo, 0);
        self.builder
            .append_data(&mut h, Self::name(meta, false), io::empty())
            .map_err(Self::tar_err)
    }

    fn device(&mut self, meta: &EntryMeta, kind: u8, rdev: u64) -> Result<(), CopyError> {
        let t = if kind == b'b' {
            tar::EntryType::Block
        } else {
            tar::EntryType::Char
        };
        let mut h = Self::header(meta, t, 0);
        h.set_device_major(libc::major(rdev))
            .map_err(Self::tar_err)?;
        h.set_device_minor(libc::minor(rdev))
            .map_err(Self::tar_err)?;
        self.builder
            .append_data(&mut h, Self::name(meta, false), io::empty())
            .map_err(Self::tar_err)
    }

    fn hardlink(&mut self, path: &Path, target: &Path) -> Result<(), CopyError> {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Link);
        h.set_size(0);
        self.builder
            .append_link(&mut h, path, target)
            .map_err(Self::tar_err)
    }

    fn finish(&mut self) -> Result<(), CopyError> {
        self.builder.finish().map_err(Self::tar_err)?;
        self.builder.get_mut().flush().map_err(Self::tar_err)
    }
}

/// Writes entries below `dir` inside a [`Root`], confined to that root,
/// owned by `owner`, never replacing a directory with a non-directory or
/// the reverse.
pub struct WriteSink<'a> {
    root: &'a Root,
    writer: RootWriter,
    dir: PathBuf,
    owner: (u32, u32),
    /// Bytes of regular files written.
    pub bytes: u64,
}

impl<'a> WriteSink<'a> {
    /// `dir` must exist inside `root` (it is resolved there, symlinks
    /// followed within the root).
    pub fn new(root: &'a Root, dir: &Path, owner: (u32, u32)) -> Result<WriteSink<'a>, CopyError> {
        let writer = RootWriter::open(root.path())?;
        Ok(WriteSink {
            root,
            writer,
            dir: clean_path(dir),
            owner,
            bytes: 0,
        })
    }

    fn place(&self, meta: &EntryMeta) -> EntryMeta {
        EntryMeta {
            path: self.dir.join(clean_path(&meta.path)),
            uid: self.owner.0,
            gid: self.owner.1,
            ..meta.clone()
        }
    }

    /// Refuse to turn a directory into a non-directory or the reverse.
    fn check(&self, path: &Path, is_dir: bool) -> Result<(), CopyError> {
        if path == self.dir {
            return Ok(());
        }
        let existing = match self.root.open_path(path, false) {
            Ok(f) => sysfs::fstat(&f).map_err(io_err(path))?,
            Err(_) => return Ok(()),
        };
        let existing_dir = existing.st_mode & libc::S_IFMT == libc::S_IFDIR;
        match (existing_dir, is_dir) {
            (true, false) => Err(CopyError::DirWithNonDir(Path::new("/").join(path))),
            (false, true) => Err(CopyError::NonDirWithDir(Path::new("/").join(path))),
            _ => Ok(()),
        }
    }
}

impl Sink for WriteSink<'_> {
    fn dir(&mut self, meta: &EntryMeta) -> Result<(), CopyError> {
        let m = self.place(meta);
        self.check(&m.path, true)?;
        Ok(self.writer.dir(&m)?)
    }

    fn file(&mut self, meta: &EntryMeta, _size: u64, data: &mut dyn Read) -> Result<(), CopyError> {
        let m = self.place(meta);
        self.check(&m.path, false)?;
        self.bytes += self.writer.file(&m, data)?;
        Ok(())
    }

    fn symlink(&mut self, meta: &EntryMeta, target: &Path) -> Result<(), CopyError> {
        let m = self.place(meta);
        self.check(&m.path, false)?;
        Ok(self.writer.symlink(&m, target)?)
    }

    fn fifo(&mut self, meta: &EntryMeta) -> Result<(), CopyError> {
        let m = self.place(meta);
        self.check(&m.path, false)?;
        Ok(self.writer.fifo(&m)?)
    }

    fn device(&mut self, _meta: &EntryMeta, _kind: u8, _rdev: u64) -> Result<(), CopyError> {
        Ok(())
    }

    fn hardlink(&mut self, path: &Path, target: &Path) -> Result<(), CopyError> {
        let p = self.dir.join(clean_path(path));
        self.check(&p, false)?;
        let t = self.dir.join(clean_path(target));
        Ok(self.writer.hardlink(&p, &t)?)
    }

    fn finish(&mut self) -> Result<(), CopyError> {
        Ok(self.writer.finish()?)
    }
}

/// Feed a tar stream (`cp - CTR:/dir`) into `sink`.
pub fn from_tar(input: impl Read, sink: &mut dyn Sink) -> Result<(), CopyError> {
    // The stream may come from anywhere: the same bounds as a layer's.
    let mut archive = tar::Archive::new(BoundedTar::new(input));
    for entry in archive.entries().map_err(CopyError::Tar)? {
        let mut entry = entry.map_err(CopyError::Tar)?;
        let longest = entry
            .path_bytes()
            .len()
            .max(entry.link_name_bytes().map_or(0, |l| l.len()));
        if longest >= MAX_NAME {
            return Err(CopyError::Tar(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "entry {}: a name of {longest} bytes is longer than PATH_MAX ({MAX_NAME})",
                    quote(&entry.path_bytes())
                ),
            )));
        }
        let h = entry.header().clone();
        let raw = entry.path().map_err(CopyError::Tar)?.into_owned();
        let path = clean_path(&raw);
        let meta = EntryMeta {
            path: path.clone(),
            mode: h.mode().unwrap_or(0o644) & 0o7777,
            uid: 0,
            gid: 0,
            mtime: (h.mtime().unwrap_or(0) as i64, 0),
            xattrs: Vec::new(),
        };
        match h.entry_type() {
            tar::EntryType::Directory => sink.dir(&meta)?,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let size = entry.size();
                sink.file(&meta, size, &mut entry)?
            }
            tar::EntryType::Symlink => {
                let target = entry
                    .link_name()
                    .map_err(CopyError::Tar)?
                    .unwrap_or_default()
                    .into_owned();
                sink.symlink(&meta, &target)?
            }
            tar::EntryType::Link => {
                let target = entry
                    .link_name()
                    .map_err(CopyError::Tar)?
                    .unwrap_or_default()
                    .into_owned();
                sink.hardlink(&path, &target)?
            }
            tar::EntryType::Fifo => sink.fifo(&meta)?,
            // Devices are never created from a stream; metadata entries
            // (PAX, GNU long names) are consumed by the tar reader.
            _ => {}
        }
    }
    sink.finish()
}

/// `st_dev` of the pseudo filesystems in a process's mount table
/// (`/proc/<pid>/mountinfo`), which a walk must not descend into.
pub fn pseudo_fs_devs(mountinfo: &str) -> HashSet<u64> {
    const PSEUDO: &[&str] = &[
        "proc",
        "sysfs",
        "cgroup",
        "cgroup2",
        "devpts",
        "mqueue",
        "debugfs",
        "tracefs",
        "securityfs",
        "bpf",
    ];
    let mut out = HashSet::new();
    for line in mountinfo.lines() {
        let Some((left, right)) = line.split_once(" - ") else {
            continue;
        };
        let fstype = right.split(' ').next().unwrap_or("");
        if !PSEUDO.contains(&fstype) {
            continue;
        }
        let Some(dev) = left.split(' ').nth(2) else {
            continue;
        };
        let Some((maj, min)) = dev.split_once(':') else {
            continue;
        };
        if let (Ok(maj), Ok(min)) = (maj.parse::<u32>(), min.parse::<u32>()) {
            out.insert(libc::makedev(maj, min));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_path_rules() {
        let p = plan("/etc", true, "/tmp/out", Kind::Dir).unwrap();
        assert_eq!(
            p,
            Plan {
                dir: "/tmp/out".into(),
                name: "etc".into()
            }
        );
        let p = plan("/etc/.", true, "/tmp/out", Kind::Dir).unwrap();
        assert_eq!(p.name, PathBuf::new());
        let p = plan("/etc/", true, "/tmp/new", Kind::Missing).unwrap();
        assert_eq!(
            p,
            Plan {
                dir: "/tmp".into(),
                name: "new".into()
            }
        );
        assert!(matches!(
            plan("/etc", true, "/tmp/f", Kind::File),
            Err(CopyError::DirOntoFile(_))
        ));
        let p = plan("/etc/hostname", false, "/tmp/f", Kind::File).unwrap();
        assert_eq!(
            p,
            Plan {
                dir: "/tmp".into(),
                name: "f".into()
            }
        );
        let p = plan("/etc/hostname", false, "/tmp", Kind::Dir).unwrap();
        assert_eq!(p.name, PathBuf::from("hostname"));
        assert!(matches!(
            plan("/etc/hostname", false, "/tmp/nodir/", Kind::Missing),
            Err(CopyError::DestDirMissing(_))
        ));
        assert!(matches!(
            plan("/etc/hostname/", false, "/tmp", Kind::Dir),
            Err(CopyError::NotADirectory(_))
        ));
        let p = plan("f", false, "out", Kind::Missing).unwrap();
        assert_eq!(
            p,
            Plan {
                dir: ".".into(),
                name: "out".into()
            }
        );
    }

    fn tree(root: &Path) {
        std::fs::create_dir_all(root.join("d/sub")).unwrap();
        std::fs::write(root.join("d/a"), b"alpha").unwrap();
        std::fs::write(root.join("d/sub/b"), b"beta").unwrap();
        std::os::unix::fs::symlink("a", root.join("d/link")).unwrap();
        std::fs::set_permissions(
            root.join("d/a"),
            std::os::unix::fs::PermissionsExt::from_mode(0o751),
        )
        .unwrap();
    }

    #[test]
    fn walk_into_a_directory_keeps_modes_and_links() {
        let src = tempfile::tempdir().unwrap();
        let dst = tempfile::tempdir().unwrap();
        tree(src.path());
        let sroot = Root::open(src.path()).unwrap();
        let droot = Root::open(dst.path()).unwrap();
        let mut sink = WriteSink::new(&droot, Path::new(""), sysfs::effective_ids()).unwrap();
        let mut w = Walker::new(&sroot, HashSet::new());
        w.walk("/d", false, Path::new("copy"), &mut sink).unwrap();
        let out = dst.path().join("copy");
        assert_eq!(std::fs::read(out.join("a")).unwrap(), b"alpha");
        assert_eq!(std::fs::read(out.join("sub/b")).unwrap(), b"beta");
        assert_eq!(
            std::fs::read_link(out.join("link")).unwrap(),
            Path::new("a")
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("a"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o7777, 0o751);
        assert_eq!(w.bytes, 9);
        // A file may not replace the directory now at copy/sub.
        std::fs::write(src.path().join("sub"), b"x").unwrap();
        let mut sink = WriteSink::new(&droot, Path::new("copy"), sysfs::effective_ids()).unwrap();
        let e = Walker::new(&sroot, HashSet::new())
            .walk("/sub", false, Path::new("sub"), &mut sink)
            .unwrap_err();
        assert!(matches!(e, CopyError::DirWithNonDir(_)), "{e}");
    }

    #[test]
    fn symlinks_never_leave_the_root() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), b"host").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.path().join("evil"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("evildir")).unwrap();
        let r = Root::open(root.path()).unwrap();
        // Reading through the link (-L) resolves inside the root: not found.
        let w = Walker::new(&r, HashSet::new());
        assert_eq!(w.is_dir("/evil", true).unwrap(), None);
        // Writing through a directory link lands inside the root.
        let mut sink = WriteSink::new(&r, Path::new(""), sysfs::effective_ids()).unwrap();
        let meta = EntryMeta {
            path: "evildir/secret".into(),
            mode: 0o644,
            ..Default::default()
        };
        let _ = sink.file(&meta, 3, &mut &b"bad"[..]);
        assert_eq!(
            std::fs::read(outside.path().join("secret")).unwrap(),
            b"host"
        );
    }

    #[test]
    fn tar_round_trip_and_hostile_names() {
        let src = tempfile::tempdir().unwrap();
        tree(src.path());
        let sroot = Root::open(src.path()).unwrap();
        let mut buf = Vec::new();
        let mut tar = TarSink::new(&mut buf);
        Walker::new(&sroot, HashSet::new())
            .walk("/d", false, Path::new("d"), &mut tar)
            .unwrap();
        drop(tar);
        let dst = tempfile::tempdir().unwrap();
        let droot = Root::open(dst.path()).unwrap();
        let mut sink = WriteSink::new(&droot, Path::new(""), (0, 0)).unwrap();
        from_tar(&buf[..], &mut sink).unwrap();
        assert_eq!(std::fs::read(dst.path().join("d/sub/b")).unwrap(), b"beta");
        // `../` in a stream stays inside.
        let mut evil = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(1);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        let name = b"../../escape";
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_cksum();
        evil.append(&h, &b"x"[..]).unwrap();
        let data = evil.into_inner().unwrap();
        let inner = dst.path().join("inner");
        std::fs::create_dir(&inner).unwrap();
        let mut sink = WriteSink::new(&droot, Path::new("inner"), (0, 0)).unwrap();
        from_tar(&data[..], &mut sink).unwrap();
        assert!(inner.join("escape").is_file());
        assert!(!dst.path().join("escape").exists());
        // A 256 MiB long-name record fails before it is buffered; a PAX
        // path over PATH_MAX fails with a short message.
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::GNULongName);
        h.set_path("././@LongLink").unwrap();
        h.set_size(256 << 20);
        h.set_cksum();
        let huge = std::io::Cursor::new(h.as_bytes().to_vec())
            .chain(std::io::repeat(b'a').take(256 << 20));
        let e = from_tar(huge, &mut sink).unwrap_err().to_string();
        assert!(e.contains("over the 4096-byte limit"), "{e}");
        let mut b = tar::Builder::new(Vec::new());
        b.append_pax_extensions([("path", "p".repeat(8192).as_bytes())])
            .unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        h.set_path("short").unwrap();
        h.set_cksum();
        b.append(&h, &b""[..]).unwrap();
        let e = from_tar(&b.into_inner().unwrap()[..], &mut sink)
            .unwrap_err()
            .to_string();
        assert!(e.contains("longer than PATH_MAX") && e.len() < 400, "{e}");
    }

    #[test]
    fn pseudo_filesystems_from_mountinfo() {
        let info = "22 1 0:21 / /proc rw,nosuid - proc proc rw\n\
                    23 1 8:1 / / rw - ext4 /dev/sda1 rw\n\
                    24 22 0:22 / /sys ro - sysfs sysfs ro\n";
        let devs = pseudo_fs_devs(info);
        assert!(devs.contains(&libc::makedev(0, 21)));
        assert!(devs.contains(&libc::makedev(0, 22)));
        assert!(!devs.contains(&libc::makedev(8, 1)));
    }
}
