//! Tar writers over snapshots: a container's filesystem as `export` writes
//! it, and a container's changes as the layer `commit` makes.
//!
//! Docker's `export` writes the container's root filesystem as the layer
//! stack presents it (image layers, its init layer and the container layer),
//! never what the runtime mounts on top (`/proc`, `/sys`, volumes, binds);
//! berth likewise reads the layer dirs (or the copy driver's rootfs) and not
//! the mounted root. Every directory is opened with `O_NOFOLLOW` relative to
//! its parent's descriptor and every file relative to its directory's, so a
//! running container that swaps a directory for a symlink to `/` cannot make
//! berth read a host file: the walk never leaves the snapshot.
//!
//! A committed layer follows the OCI image spec: an overlay whiteout (a 0/0
//! character device in the upper dir) becomes a `.wh.<name>` entry, and an
//! opaque directory (`trusted.overlay.opaque=y`) is written with a
//! `.wh..wh..opq` entry after it. Paths the caller hides (berth's runtime
//! mount points, see `cmd/container/diff.rs`) are left out, with any
//! directory that holds nothing else, as Docker's init layer keeps them out
//! of a commit.

use std::collections::{BTreeSet, HashMap};
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

use super::{io_err, Change, Driver, SnapshotError, Snapshotter};
use crate::sys::fs as sysfs;

const WHITEOUT_PREFIX: &str = ".wh.";
const OPAQUE_MARKER: &str = ".wh..wh..opq";

fn is_type(st: &libc::stat, t: libc::mode_t) -> bool {
    st.st_mode & libc::S_IFMT == t
}

fn is_whiteout(st: &libc::stat) -> bool {
    is_type(st, libc::S_IFCHR) && st.st_rdev == 0
}

fn major(dev: u64) -> u64 {
    ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)
}

fn minor(dev: u64) -> u64 {
    ((dev >> 12) & 0xffff_ff00) | (dev & 0xff)
}

/// Open the directory `name` under `dir` without following a symlink.
fn open_dir(dir: &File, name: &Path) -> io::Result<File> {
    sysfs::openat(
        dir,
        name,
        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
        0,
    )
}

fn list(dir: &File) -> io::Result<Vec<OsString>> {
    let mut out = Vec::new();
    for ent in rustix::fs::Dir::read_from(dir)? {
        let ent = ent?;
        let name = ent.file_name().to_bytes();
        if name != b"." && name != b".." {
            out.push(OsString::from_vec(name.to_vec()));
        }
    }
    out.sort();
    Ok(out)
}

fn fxattr(f: &File, name: &str) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; 4096];
    match rustix::fs::fgetxattr(f, name, &mut buf[..]) {
        Ok(n) => {
            buf.truncate(n);
            Some(buf)
        }
        Err(_) => None,
    }
}

fn is_opaque(dir: &File) -> bool {
    fxattr(dir, super::unpack::OPAQUE_XATTR).as_deref() == Some(b"y")
}

/// The image xattrs of an open file or directory (overlay markers left out).
fn xattrs(f: &File) -> Vec<(String, Vec<u8>)> {
    let mut buf = vec![0u8; 4096];
    let Ok(n) = rustix::fs::flistxattr(f, &mut buf[..]) else {
        return Vec::new();
    };
    buf[..n]
        .split(|b| *b == 0)
        .filter_map(|n| std::str::from_utf8(n).ok())
        .filter(|n| !n.is_empty() && super::unpack::xattr_allowed(n))
        .filter_map(|n| fxattr(f, n).map(|v| (n.to_string(), v)))
        .collect()
}

/// Reads exactly `left` bytes: a file that shrank while being read is
/// padded with zeros and one that grew is cut, so the tar stays valid.
struct Exact<R> {
    inner: R,
    left: u64,
    eof: bool,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf.len().min(self.left as usize);
        if want == 0 {
            return Ok(0);
        }
        let n = if self.eof {
            0
        } else {
            self.inner.read(&mut buf[..want])?
        };
        let n = if n == 0 {
            self.eof = true;
            buf[..want].fill(0);
            want
        } else {
            n
        };
        self.left -= n as u64;
        Ok(n)
    }
}

/// Writes tar entries for files found through directory descriptors.
pub struct TarWriter<W: Write> {
    b: tar::Builder<W>,
    /// First path written for each multiply-linked inode, for hard links.
    links: HashMap<(u64, u64), PathBuf>,
}

impl<W: Write> TarWriter<W> {
    pub fn new(w: W) -> TarWriter<W> {
        let mut b = tar::Builder::new(w);
        b.mode(tar::HeaderMode::Complete);
        TarWriter {
            b,
            links: HashMap::new(),
        }
    }

    /// Write the end-of-archive blocks and hand back the writer.
    pub fn finish(self) -> io::Result<W> {
        self.b.into_inner()
    }

    fn header(st: &libc::stat, kind: tar::EntryType) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(st.st_mode & 0o7777);
        h.set_uid(u64::from(st.st_uid));
        h.set_gid(u64::from(st.st_gid));
        h.set_mtime(st.st_mtime.max(0) as u64);
        h.set_size(0);
        h
    }

    fn pax(&mut self, xattrs: &[(String, Vec<u8>)]) -> io::Result<()> {
        if xattrs.is_empty() {
            return Ok(());
        }
        let keys: Vec<(String, &[u8])> = xattrs
            .iter()
            .map(|(k, v)| (format!("SCHILY.xattr.{k}"), v.as_slice()))
            .collect();
        self.b
            .append_pax_extensions(keys.iter().map(|(k, v)| (k.as_str(), *v)))
    }

    /// A directory entry (`rel/`), its xattrs read from the open `dir`.
    fn dir(&mut self, rel: &Path, dir: &File) -> io::Result<()> {
        let st = sysfs::fstat(dir)?;
        self.pax(&xattrs(dir))?;
        let mut h = Self::header(&st, tar::EntryType::Directory);
        let mut name = rel.as_os_str().to_os_string();
        name.push("/");
        self.b.append_data(&mut h, Path::new(&name), io::empty())
    }

    /// The non-directory `name` of `parent`, written at `rel`.
    fn other(
        &mut self,
        parent: &File,
        name: &OsStr,
        rel: &Path,
        st: &libc::stat,
    ) -> io::Result<()> {
        let name = Path::new(name);
        match st.st_mode & libc::S_IFMT {
            libc::S_IFREG => {
                let f = sysfs::openat(parent, name, libc::O_RDONLY | libc::O_NOFOLLOW, 0)?;
                let st = sysfs::fstat(&f)?;
                if !is_type(&st, libc::S_IFREG) {
                    return Err(io::Error::other(format!(
                        "{} changed while it was read",
                        rel.display()
                    )));
                }
                if st.st_nlink > 1 {
                    let key = (st.st_dev, st.st_ino);
                    if let Some(first) = self.links.get(&key).cloned() {
                        let mut h = Self::header(&st, tar::EntryType::Link);
                        return self.b.append_link(&mut h, rel, first);
                    }
                    self.links.insert(key, rel.to_path_buf());
                }
                self.pax(&xattrs(&f))?;
                let mut h = Self::header(&st, tar::EntryType::Regular);
                h.set_size(st.st_size as u64);
                let data = Exact {
                    inner: io::BufReader::with_capacity(1 << 17, f),
                    left: st.st_size as u64,
                    eof: false,
                };
                self.b.append_data(&mut h, rel, data)
            }
            libc::S_IFLNK => {
                let target = sysfs::readlinkat(parent, name)?;
                let mut h = Self::header(st, tar::EntryType::Symlink);
                self.b.append_link(&mut h, rel, target)
            }
            libc::S_IFCHR | libc::S_IFBLK => {
                let kind = if is_type(st, libc::S_IFCHR) {
                    tar::EntryType::Char
                } else {
                    tar::EntryType::Block
                };
                let mut h = Self::header(st, kind);
                h.set_device_major(major(st.st_rdev) as u32)?;
                h.set_device_minor(minor(st.st_rdev) as u32)?;
                self.b.append_data(&mut h, rel, io::empty())
            }
            libc::S_IFIFO => {
                let mut h = Self::header(st, tar::EntryType::Fifo);
                self.b.append_data(&mut h, rel, io::empty())
            }
            // Sockets are not archived (as Docker's archive package skips them).
            _ => Ok(()),
        }
    }

    /// An empty marker file (`.wh.<name>` or `.wh..wh..opq`) at `rel`.
    fn marker(&mut self, rel: &Path) -> io::Result<()> {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mode(0o644);
        h.set_size(0);
        h.set_mtime(0);
        self.b.append_data(&mut h, rel, io::empty())
    }

    /// The OCI whiteout for the deleted `rel`.
    pub fn whiteout(&mut self, rel: &Path) -> io::Result<()> {
        let parent = rel.parent().unwrap_or(Path::new(""));
        let mut name = OsString::from(WHITEOUT_PREFIX);
        name.push(rel.file_name().unwrap_or_default());
        self.marker(&parent.join(name))
    }

    /// The OCI opaque marker for directory `rel`.
    pub fn opaque(&mut self, rel: &Path) -> io::Result<()> {
        self.marker(&rel.join(OPAQUE_MARKER))
    }
}

/// Write the merged view of `layers` (directories open at the same relative
/// directory, top-most first, overlay-form whiteouts) below `rel`.
fn walk_merged<W: Write>(w: &mut TarWriter<W>, layers: &[File], rel: &Path) -> io::Result<()> {
    let mut names = BTreeSet::new();
    for l in layers {
        names.extend(list(l)?);
    }
    for name in names {
        let mut top = None;
        for (i, l) in layers.iter().enumerate() {
            match sysfs::lstatat(l, Path::new(&name)) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
                Ok(st) if is_whiteout(&st) => break,
                Ok(st) => {
                    top = Some((i, st));
                    break;
                }
            }
        }
        let Some((i, st)) = top else { continue };
        let crel = rel.join(&name);
        if !is_type(&st, libc::S_IFDIR) {
            w.other(&layers[i], &name, &crel, &st)?;
            continue;
        }
        let d = open_dir(&layers[i], Path::new(&name))?;
        w.dir(&crel, &d)?;
        let mut below = Vec::new();
        let mut stop = is_opaque(&d);
        below.push(d);
        for l in &layers[i + 1..] {
            if stop {
                break;
            }
            match sysfs::lstatat(l, Path::new(&name)) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
                Ok(st) if is_type(&st, libc::S_IFDIR) => {
                    let d = open_dir(l, Path::new(&name))?;
                    stop = is_opaque(&d);
                    below.push(d);
                }
                // A file or whiteout here hides everything further down.
                Ok(_) => break,
            }
        }
        walk_merged(w, &below, &crel)?;
    }
    Ok(())
}

/// Paths left out of a committed layer (absolute, as seen in the container).
pub struct Hidden<'a>(pub &'a [PathBuf]);

impl Hidden<'_> {
    fn hides(&self, rel: &Path) -> bool {
        let abs = Path::new("/").join(rel);
        self.0.iter().any(|m| abs.starts_with(m))
    }

    fn holds(&self, rel: &Path) -> bool {
        let abs = Path::new("/").join(rel);
        self.0.iter().any(|m| m.starts_with(&abs) && *m != abs)
    }
}

/// Whether the upper dir `dir` (at `rel`) holds anything not hidden.
fn has_visible(dir: &File, rel: &Path, hidden: &Hidden) -> io::Result<bool> {
    for name in list(dir)? {
        let crel = rel.join(&name);
        if hidden.hides(&crel) {
            continue;
        }
        let st = sysfs::lstatat(dir, Path::new(&name))?;
        if !is_type(&st, libc::S_IFDIR) || !hidden.holds(&crel) {
            return Ok(true);
        }
        let d = open_dir(dir, Path::new(&name))?;
        if is_opaque(&d) || has_visible(&d, &crel, hidden)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Write an overlay upper dir (`dir`, at `rel`) as an OCI layer.
fn walk_upper<W: Write>(
    w: &mut TarWriter<W>,
    dir: &File,
    rel: &Path,
    hidden: &Hidden,
) -> io::Result<()> {
    for name in list(dir)? {
        let crel = rel.join(&name);
        if hidden.hides(&crel) {
            continue;
        }
        let st = sysfs::lstatat(dir, Path::new(&name))?;
        if is_whiteout(&st) {
            w.whiteout(&crel)?;
            continue;
        }
        if !is_type(&st, libc::S_IFDIR) {
            w.other(dir, &name, &crel, &st)?;
            continue;
        }
        let d = open_dir(dir, Path::new(&name))?;
        let opaque = is_opaque(&d);
        if hidden.holds(&crel) && !opaque && !has_visible(&d, &crel, hidden)? {
            continue;
        }
        w.dir(&crel, &d)?;
        if opaque {
            w.opaque(&crel)?;
        }
        walk_upper(w, &d, &crel, hidden)?;
    }
    Ok(())
}

/// Write the changes of a copied rootfs (`root`) as an OCI layer: added and
/// changed entries from the rootfs (found in-root), deletions as whiteouts.
fn write_changes<W: Write>(
    w: &mut TarWriter<W>,
    root: &Path,
    changes: &[(Change, PathBuf)],
    hidden: &Hidden,
) -> io::Result<()> {
    let rootf = sysfs::open_root(root)?;
    for (change, abs) in changes {
        let rel = abs.strip_prefix("/").unwrap_or(abs);
        if hidden.hides(rel) {
            continue;
        }
        if *change == Change::Deleted {
            w.whiteout(rel)?;
            continue;
        }
        let (Some(parent), Some(name)) = (rel.parent(), rel.file_name()) else {
            continue;
        };
        let pdir = sysfs::open_in_root_fd(
            &rootf,
            if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            },
            libc::O_RDONLY | libc::O_DIRECTORY,
        )?;
        let st = sysfs::lstatat(&pdir, Path::new(name))?;
        if is_type(&st, libc::S_IFDIR) {
            let d = open_dir(&pdir, Path::new(name))?;
            w.dir(rel, &d)?;
        } else {
            w.other(&pdir, name, rel, &st)?;
        }
    }
    Ok(())
}

fn tar_err(what: &str, id: &str) -> impl FnOnce(io::Error) -> SnapshotError {
    let path = PathBuf::from(format!("{what} of container {id}"));
    move |e| io_err(&path)(e)
}

impl Snapshotter {
    /// Write container `id`'s filesystem (its layers and its own changes,
    /// without anything mounted over them) to `out` as a tar.
    pub fn export<W: Write>(&self, id: &str, out: W) -> Result<W, SnapshotError> {
        let snap = self.container(id)?;
        let roots: Vec<&PathBuf> = match snap.driver {
            Driver::Overlay => std::iter::once(&snap.upper)
                .chain(snap.lowers.iter())
                .collect(),
            Driver::Copy => vec![&snap.rootfs],
        };
        let mut layers = Vec::with_capacity(roots.len());
        for r in roots {
            layers.push(File::open(r).map_err(io_err(r))?);
        }
        let mut w = TarWriter::new(out);
        walk_merged(&mut w, &layers, Path::new("")).map_err(tar_err("the filesystem", id))?;
        w.finish().map_err(tar_err("the filesystem", id))
    }

    /// Write container `id`'s changes to its image as an OCI layer tar,
    /// leaving out `hidden` paths.
    pub fn export_changes<W: Write>(
        &self,
        id: &str,
        hidden: &[PathBuf],
        out: W,
    ) -> Result<W, SnapshotError> {
        let snap = self.container(id)?;
        let hidden = Hidden(hidden);
        let mut w = TarWriter::new(out);
        let what = "the changes";
        match snap.driver {
            Driver::Overlay => {
                let upper = File::open(&snap.upper).map_err(io_err(&snap.upper))?;
                walk_upper(&mut w, &upper, Path::new(""), &hidden).map_err(tar_err(what, id))?;
            }
            Driver::Copy => {
                let changes = self.diff(id)?;
                write_changes(&mut w, &snap.rootfs, &changes, &hidden)
                    .map_err(tar_err(what, id))?;
            }
        }
        w.finish().map_err(tar_err(what, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn entries(tar: &[u8]) -> Vec<(String, tar::EntryType)> {
        let mut a = tar::Archive::new(tar);
        a.entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    String::from_utf8_lossy(&e.path_bytes()).into_owned(),
                    e.header().entry_type(),
                )
            })
            .collect()
    }

    fn mknod_whiteout(p: &Path) {
        let dir = File::open(p.parent().unwrap()).unwrap();
        sysfs::mknodat(&dir, Path::new(p.file_name().unwrap()), libc::S_IFCHR, 0, 0).unwrap();
    }

    fn set_opaque(p: &Path) {
        crate::sys::xattr::lset(p, super::super::unpack::OPAQUE_XATTR, b"y").unwrap();
    }

    fn root() -> bool {
        rustix::process::geteuid().is_root()
    }

    #[test]
    fn upper_dir_becomes_an_oci_layer() {
        if !root() {
            eprintln!("skipped: whiteouts and trusted xattrs need root");
            return;
        }
        let d = tempfile::tempdir().unwrap();
        let up = d.path();
        std::fs::create_dir_all(up.join("etc")).unwrap();
        std::fs::write(up.join("etc/hosts"), "").unwrap();
        std::fs::write(up.join("etc/app.conf"), "x=1").unwrap();
        std::fs::create_dir_all(up.join("proc")).unwrap();
        std::fs::create_dir_all(up.join("data")).unwrap();
        std::fs::write(up.join("data/new"), "n").unwrap();
        set_opaque(&up.join("data"));
        mknod_whiteout(&up.join("gone"));
        std::fs::write(up.join("big"), vec![7u8; 100_000]).unwrap();
        std::fs::hard_link(up.join("big"), up.join("big2")).unwrap();
        symlink("/etc/passwd", up.join("link")).unwrap();
        let hidden = [PathBuf::from("/etc/hosts"), PathBuf::from("/proc")];
        let mut w = TarWriter::new(Vec::new());
        let upper = File::open(up).unwrap();
        walk_upper(&mut w, &upper, Path::new(""), &Hidden(&hidden)).unwrap();
        let got = entries(&w.finish().unwrap());
        use tar::EntryType as T;
        assert_eq!(
            got,
            [
                ("big".to_string(), T::Regular),
                ("big2".into(), T::Link),
                ("data/".into(), T::Directory),
                ("data/.wh..wh..opq".into(), T::Regular),
                ("data/new".into(), T::Regular),
                ("etc/".into(), T::Directory),
                ("etc/app.conf".into(), T::Regular),
                (".wh.gone".into(), T::Regular),
                ("link".into(), T::Symlink),
            ]
        );

        // Only hidden paths below /etc: /etc itself is left out too.
        std::fs::remove_file(up.join("etc/app.conf")).unwrap();
        let mut w = TarWriter::new(Vec::new());
        walk_upper(&mut w, &upper, Path::new(""), &Hidden(&hidden)).unwrap();
        let got = entries(&w.finish().unwrap());
        assert!(!got.iter().any(|(p, _)| p.starts_with("etc")), "{got:?}");
    }

    #[test]
    fn merged_view_honours_whiteouts_and_opaque_dirs_and_stays_inside() {
        if !root() {
            eprintln!("skipped: whiteouts and trusted xattrs need root");
            return;
        }
        let d = tempfile::tempdir().unwrap();
        let (up, low) = (d.path().join("up"), d.path().join("low"));
        for p in ["a", "keep", "op"] {
            std::fs::create_dir_all(low.join(p)).unwrap();
        }
        std::fs::write(low.join("a/x"), "x").unwrap();
        std::fs::write(low.join("keep/k"), "k").unwrap();
        std::fs::write(low.join("op/old"), "o").unwrap();
        std::fs::write(low.join("file"), "lower").unwrap();
        std::fs::create_dir_all(up.join("op")).unwrap();
        set_opaque(&up.join("op"));
        std::fs::write(up.join("op/new"), "n").unwrap();
        mknod_whiteout(&up.join("a"));
        std::fs::write(up.join("file"), "upper!").unwrap();
        // A symlink in the container pointing at the host's root.
        symlink("/", up.join("escape")).unwrap();
        let layers = [File::open(&up).unwrap(), File::open(&low).unwrap()];
        let mut w = TarWriter::new(Vec::new());
        walk_merged(&mut w, &layers, Path::new("")).unwrap();
        let bytes = w.finish().unwrap();
        let names: Vec<String> = entries(&bytes).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            names,
            ["escape", "file", "keep/", "keep/k", "op/", "op/new"]
        );
        let mut a = tar::Archive::new(&bytes[..]);
        for e in a.entries().unwrap() {
            let mut e = e.unwrap();
            if e.path().unwrap() == Path::new("file") {
                let mut s = String::new();
                e.read_to_string(&mut s).unwrap();
                assert_eq!(s, "upper!");
            }
        }
    }

    #[test]
    fn exact_reader_pads_and_cuts() {
        let mut s = Vec::new();
        Exact {
            inner: &b"ab"[..],
            left: 4,
            eof: false,
        }
        .read_to_end(&mut s)
        .unwrap();
        assert_eq!(s, b"ab\0\0");
        let mut s = Vec::new();
        Exact {
            inner: &b"abcdef"[..],
            left: 3,
            eof: false,
        }
        .read_to_end(&mut s)
        .unwrap();
        assert_eq!(s, b"abc");
    }
}
