//! Spooling an archive to disk before reading it: a Docker archive may name
//! its `manifest.json` last, so `load` first copies every regular file (but
//! OCI blobs, which go to the content store) into a private temp dir under
//! the data root (`tmp/load-<random>`), locked while
//! in use and removed when the `Spool` is dropped, on every exit path; one a
//! killed load left behind is removed by the next load.
//!
//! Spooled files are named by a counter, never by their path in the
//! archive, so no archive path ever reaches the filesystem. Paths are
//! checked all the same (a `..` component or an absolute path makes the
//! archive invalid), symlinks and hardlinks must stay inside the archive,
//! and an entry larger than the free space is refused before it is written.

use super::{invalid, io_err, ArchiveError};
use crate::image::content::{ContentError, ContentStore};
use crate::image::digest::Digest;
use crate::snapshot::tar_bounds::BoundedTar;
use crate::snapshot::unpack::{quote, MAX_NAME};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Entries in one archive; far beyond any real image archive.
const MAX_ENTRIES: usize = 1_000_000;
/// Symlinks followed when resolving one path.
const MAX_LINK_HOPS: usize = 16;

#[derive(Debug, Clone)]
enum Entry {
    File { path: PathBuf, size: u64 },
    Symlink(String),
    Dir,
}

/// A spooled archive: its files by archive path.
pub struct Spool {
    dir: PathBuf,
    _lock: File,
    entries: BTreeMap<String, Entry>,
    /// Where `blobs/sha256/<hex>` entries go straight to (verified).
    content: Option<ContentStore>,
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The directory spools live in.
pub fn spool_root(data_root: &Path) -> PathBuf {
    data_root.join("tmp")
}

/// Remove spools no running load holds (left by killed loads).
pub fn clean_stale(data_root: &Path) {
    let Ok(rd) = std::fs::read_dir(spool_root(data_root)) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        if !name.to_string_lossy().starts_with("load-") {
            continue;
        }
        let p = e.path();
        let Ok(f) = File::open(&p) else { continue };
        if matches!(crate::sys::lock::try_exclusive_on(&f), Ok(true)) {
            let _ = std::fs::remove_dir_all(&p);
        }
    }
}

/// Normalise an archive path: `./` and empty components dropped; absolute
/// paths and `..` refused. The archive root itself is "".
pub fn clean_path(raw: &str) -> Result<String, ArchiveError> {
    if raw.starts_with('/') {
        return Err(invalid(format!("entry {raw:?} has an absolute path")));
    }
    let mut parts = Vec::new();
    for c in raw.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                return Err(invalid(format!(
                    "entry {raw:?} has a \"..\" component, pointing outside the archive"
                )))
            }
            c => parts.push(c),
        }
    }
    Ok(parts.join("/"))
}

/// Where a symlink at `link` pointing at `target` leads, inside the archive.
fn resolve_link(link: &str, target: &str) -> Result<String, ArchiveError> {
    if target.starts_with('/') {
        return Err(invalid(format!(
            "symlink {link:?} points at the absolute path {target:?}, outside the archive"
        )));
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(invalid(format!(
                        "symlink {link:?} points at {target:?}, outside the archive"
                    )));
                }
            }
            c => parts.push(c),
        }
    }
    Ok(parts.join("/"))
}

fn free_bytes(dir: &Path) -> Option<u64> {
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

/// A reader that reports how many bytes went through it.
struct Counting<'a, R> {
    inner: R,
    done: u64,
    last: u64,
    report: &'a dyn Fn(u64),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        if self.done - self.last >= 1 << 20 || n == 0 {
            self.last = self.done;
            (self.report)(self.done);
        }
        Ok(n)
    }
}

impl Spool {
    /// Read a whole (possibly compressed) archive from `input` into a new
    /// spool under `data_root`. `report` gets the input bytes read so far.
    ///
    /// With `content`, an entry named `blobs/sha256/<hex>` is not spooled
    /// but written straight into the content store, verified against its
    /// name (a mismatch fails the load), sparing a copy of the largest
    /// files; the caller must hold the GC lock from before this call until
    /// the images are recorded.
    pub fn read(
        input: impl Read,
        data_root: &Path,
        content: Option<ContentStore>,
        report: &dyn Fn(u64),
    ) -> Result<Spool, ArchiveError> {
        let root = spool_root(data_root);
        std::fs::create_dir_all(&root).map_err(io_err(&root))?;
        // Archive contents are the owner's business only, like the store.
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700))
            .map_err(io_err(&root))?;
        let (dir, lock) = loop {
            let dir = root.join(format!("load-{:016x}", rand::random::<u64>()));
            match std::fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_err(&dir)(e)),
            }
            let lock = File::open(&dir).map_err(io_err(&dir))?;
            if crate::sys::lock::try_exclusive_on(&lock).map_err(io_err(&dir))? {
                break (dir, lock);
            }
        };
        let mut spool = Spool {
            dir,
            _lock: lock,
            entries: BTreeMap::new(),
            content,
        };
        let counting = Counting {
            inner: input,
            done: 0,
            last: 0,
            report,
        };
        let buffered = io::BufReader::with_capacity(1 << 20, counting);
        let decoded = super::format::decompress(buffered).map_err(ArchiveError::Read)?;
        let mut decoded = io::BufReader::with_capacity(64 * 1024, decoded);
        let head = io::BufRead::fill_buf(&mut decoded).map_err(truncated)?;
        // Every tool that writes image archives writes ustar, GNU or PAX
        // headers, all with "ustar" at offset 257.
        if head.len() >= 262 && &head[257..262] != b"ustar" {
            return Err(invalid(
                "it is not a tar archive (plain, gzip or zstd compressed)",
            ));
        }
        // Long-name and PAX records are bounded before the tar crate
        // buffers them, as for layers.
        let mut archive = tar::Archive::new(BoundedTar::new(decoded));
        let entries = archive.entries().map_err(ArchiveError::Read)?;
        for (n, entry) in entries.enumerate() {
            if n >= MAX_ENTRIES {
                return Err(invalid(format!("more than {MAX_ENTRIES} entries")));
            }
            let entry = entry.map_err(truncated)?;
            spool.add(n, entry)?;
        }
        // Read to the end so a compressed stream's trailer is checked too.
        let mut rest = archive.into_inner().into_inner();
        io::copy(&mut rest, &mut io::sink()).map_err(truncated)?;
        Ok(spool)
    }

    fn add<R: Read>(&mut self, n: usize, mut entry: tar::Entry<'_, R>) -> Result<(), ArchiveError> {
        let longest = entry
            .path_bytes()
            .len()
            .max(entry.link_name_bytes().map_or(0, |l| l.len()));
        if longest >= MAX_NAME {
            return Err(invalid(format!(
                "entry {}: a name of {longest} bytes is longer than PATH_MAX ({MAX_NAME})",
                quote(&entry.path_bytes())
            )));
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let path = clean_path(&raw)?;
        let kind = entry.header().entry_type();
        if path.is_empty() {
            return if kind.is_dir() {
                Ok(())
            } else {
                Err(invalid(format!("entry {raw:?} has no name")))
            };
        }
        let value = match kind {
            tar::EntryType::Directory => Entry::Dir,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let size = entry.header().size().map_err(ArchiveError::Read)?;
                if let Some(free) = free_bytes(&self.dir) {
                    if size > free {
                        return Err(invalid(format!(
                            "entry {path:?} is {size} bytes, more than the {free} bytes free in {}",
                            self.dir.display()
                        )));
                    }
                }
                if let (Some(content), Some(d)) = (self.content.clone(), blob_digest(&path)) {
                    let size = ingest_blob(&content, &d, size, &mut entry, &path)?;
                    self.entries.insert(
                        path,
                        Entry::File {
                            path: content.blob_path(&d),
                            size,
                        },
                    );
                    return Ok(());
                }
                let file = self.dir.join(format!("{n}"));
                let out = File::create(&file).map_err(io_err(&file))?;
                let mut out = io::BufWriter::with_capacity(1 << 20, out);
                let copied = io::copy(&mut (&mut entry).take(size), &mut out).map_err(|e| {
                    if e.kind() == io::ErrorKind::StorageFull {
                        io_err(&file)(e)
                    } else {
                        truncated(e)
                    }
                })?;
                out.flush().map_err(io_err(&file))?;
                if copied != size {
                    return Err(short(&path, copied, size));
                }
                Entry::File { path: file, size }
            }
            tar::EntryType::Symlink => {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                Entry::Symlink(resolve_link(&path, &target)?)
            }
            tar::EntryType::Link => {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                let target = clean_path(&target)?;
                match self.entries.get(&target) {
                    Some(e @ Entry::File { .. }) => e.clone(),
                    _ => {
                        return Err(invalid(format!(
                            "hardlink {path:?} points at {target:?}, which is not a file earlier in the archive"
                        )))
                    }
                }
            }
            // Extended headers are folded into the next entry by the reader.
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => return Ok(()),
            other => {
                return Err(invalid(format!(
                    "entry {path:?} is of a type an image archive does not hold ({other:?})"
                )))
            }
        };
        self.entries.insert(path, value);
        Ok(())
    }

    fn lookup(&self, path: &str) -> Option<(&Path, u64)> {
        let mut p = clean_path(path).ok()?;
        for _ in 0..MAX_LINK_HOPS {
            match self.entries.get(&p)? {
                Entry::File { path, size } => return Some((path, *size)),
                Entry::Symlink(t) => p = t.clone(),
                Entry::Dir => return None,
            }
        }
        None
    }

    pub fn has(&self, path: &str) -> bool {
        self.lookup(path).is_some()
    }

    /// Size of the file at `path` (following symlinks inside the archive).
    pub fn size(&self, path: &str) -> Result<u64, ArchiveError> {
        Ok(self.need(path)?.1)
    }

    fn need(&self, path: &str) -> Result<(&Path, u64), ArchiveError> {
        self.lookup(path)
            .ok_or_else(|| invalid(format!("{path:?} is not in the archive")))
    }

    pub fn open(&self, path: &str) -> Result<File, ArchiveError> {
        let (p, _) = self.need(path)?;
        File::open(p).map_err(io_err(p))
    }

    /// Read a small file whole, refusing one over `limit` bytes.
    pub fn read_small(&self, path: &str, limit: u64) -> Result<Vec<u8>, ArchiveError> {
        let (p, size) = self.need(path)?;
        if size > limit {
            return Err(invalid(format!(
                "{path:?} is {size} bytes, more than the {limit} allowed"
            )));
        }
        std::fs::read(p).map_err(io_err(p))
    }
}

fn short(path: &str, copied: u64, size: u64) -> ArchiveError {
    invalid(format!(
        "the archive is truncated: entry {path:?} has {copied} of its {size} bytes"
    ))
}

/// The digest an OCI layout path names, for `blobs/sha256/<64 hex>`.
fn blob_digest(path: &str) -> Option<Digest> {
    let hex = path.strip_prefix("blobs/sha256/")?;
    if hex.len() != 64
        || !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    format!("sha256:{hex}").parse().ok()
}

/// Copy an entry into the content store as blob `d`, verified; a blob
/// already there is kept and the entry skipped. Returns the blob's size.
fn ingest_blob(
    content: &ContentStore,
    d: &Digest,
    size: u64,
    entry: &mut impl Read,
    path: &str,
) -> Result<u64, ArchiveError> {
    let mut buf = vec![0u8; 1 << 20];
    let mut copied = 0u64;
    let mut ing = content.ingest(d, size)?;
    if let Some(ing) = ing.as_mut() {
        ing.reset()?;
    }
    // A load is not resumed: whatever goes wrong, the partial blob goes.
    let fail = |ing: &mut Option<crate::image::content::Ingest>, e: ArchiveError| {
        if let Some(ing) = ing.as_mut() {
            ing.discard();
        }
        Err(e)
    };
    loop {
        let want = buf.len().min((size - copied) as usize);
        if want == 0 {
            break;
        }
        let n = match entry.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) => return fail(&mut ing, truncated(e)),
        };
        if n == 0 {
            break;
        }
        if let Some(i) = ing.as_mut() {
            if let Err(e) = i.write_all(&buf[..n]) {
                return fail(&mut ing, e.into());
            }
        }
        copied += n as u64;
    }
    if copied != size {
        return fail(&mut ing, short(path, copied, size));
    }
    match ing {
        None => Ok(content.size(d).unwrap_or(size)),
        Some(ing) => match ing.commit() {
            Ok(()) => Ok(size),
            Err(ContentError::Mismatch { actual, .. }) => Err(invalid(format!(
                "blob {d} failed verification: its content has digest {actual}"
            ))),
            Err(e) => Err(e.into()),
        },
    }
}

fn truncated(e: io::Error) -> ArchiveError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        invalid(format!("the archive is truncated: {e}"))
    } else {
        invalid(format!("the archive is corrupt: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_of(build: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        build(&mut b);
        b.into_inner().unwrap()
    }

    fn file(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        // set_path refuses "..", so write the raw name.
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_cksum();
        b.append(&h, data).unwrap();
    }

    fn link(b: &mut tar::Builder<Vec<u8>>, kind: tar::EntryType, name: &str, target: &str) {
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        h.set_entry_type(kind);
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.as_old_mut().linkname[..target.len()].copy_from_slice(target.as_bytes());
        h.set_cksum();
        b.append(&h, &[][..]).unwrap();
    }

    fn spool(data: &[u8], root: &Path) -> Result<Spool, ArchiveError> {
        Spool::read(data, root, None, &|_| {})
    }

    #[test]
    fn paths_are_cleaned_or_refused() {
        assert_eq!(clean_path("./a//b/./c").unwrap(), "a/b/c");
        assert_eq!(clean_path("./").unwrap(), "");
        assert!(clean_path("/etc/passwd").is_err());
        assert!(clean_path("a/../../b").is_err());
        assert_eq!(
            resolve_link("a/b/layer.tar", "../c/layer.tar").unwrap(),
            "a/c/layer.tar"
        );
        assert!(resolve_link("a/layer.tar", "../../x").is_err());
        assert!(resolve_link("a/layer.tar", "/etc/shadow").is_err());
    }

    #[test]
    fn spools_files_links_and_cleans_up() {
        let d = tempfile::tempdir().unwrap();
        let data = tar_of(|b| {
            file(b, "./one/layer.tar", b"layer");
            link(
                b,
                tar::EntryType::Symlink,
                "two/layer.tar",
                "../one/layer.tar",
            );
            link(b, tar::EntryType::Link, "three", "one/layer.tar");
        });
        let s = spool(&data, d.path()).unwrap();
        assert_eq!(s.read_small("two/layer.tar", 100).unwrap(), b"layer");
        assert_eq!(s.read_small("three", 100).unwrap(), b"layer");
        assert!(s.read_small("one/layer.tar", 2).is_err());
        assert!(!s.has("missing"));
        let dir = s.dir.clone();
        assert!(dir.exists());
        drop(s);
        assert!(!dir.exists());
    }

    #[test]
    fn huge_name_records_fail_before_they_are_buffered() {
        let d = tempfile::tempdir().unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::GNULongName);
        h.set_path("././@LongLink").unwrap();
        h.set_size(256 << 20);
        h.set_cksum();
        let huge = io::Cursor::new(h.as_bytes().to_vec()).chain(io::repeat(b'a').take(256 << 20));
        let e = Spool::read(huge, d.path(), None, &|_| {})
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("over the 4096-byte limit"), "{e}");
        let data = tar_of(|b| {
            b.append_pax_extensions([("path", "p".repeat(8192).as_bytes())])
                .unwrap();
            file(b, "short", b"x");
        });
        let e = spool(&data[..], d.path()).err().unwrap().to_string();
        assert!(e.contains("longer than PATH_MAX") && e.len() < 400, "{e}");
    }

    #[test]
    fn hostile_entries_are_refused_and_leave_nothing() {
        let d = tempfile::tempdir().unwrap();
        let cases: Vec<Vec<u8>> = vec![
            tar_of(|b| file(b, "../evil", b"x")),
            tar_of(|b| file(b, "/abs", b"x")),
            tar_of(|b| link(b, tar::EntryType::Symlink, "l", "../../etc/passwd")),
            tar_of(|b| link(b, tar::EntryType::Symlink, "l", "/etc/passwd")),
            tar_of(|b| link(b, tar::EntryType::Link, "l", "/etc/passwd")),
            tar_of(|b| link(b, tar::EntryType::Link, "l", "not-there")),
        ];
        for c in cases {
            assert!(matches!(spool(&c, d.path()), Err(ArchiveError::Invalid(_))));
        }
        // Truncated in the middle of a file.
        let mut t = tar_of(|b| file(b, "big", &[7u8; 5000]));
        t.truncate(2048);
        assert!(spool(&t, d.path()).is_err());
        // Corrupt gzip.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        io::Write::write_all(&mut gz, &tar_of(|b| file(b, "f", b"data"))).unwrap();
        let mut gz = gz.finish().unwrap();
        let n = gz.len();
        gz[n - 6] ^= 0xff;
        assert!(spool(&gz, d.path()).is_err());
        assert_eq!(std::fs::read_dir(spool_root(d.path())).unwrap().count(), 0);
    }
}
