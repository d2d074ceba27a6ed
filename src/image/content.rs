//! The content store: blobs addressed by digest under `content/blobs/sha256/`,
//! read-only once committed; partial downloads under `content/ingest/`.
//!
//! A blob is written to an ingest file, its size and digest verified, the file
//! fsynced, renamed into place and the directory fsynced (integrity rules 1 and
//! 2). An ingest is guarded by an `flock`, so two pulls of the same blob never
//! write one file at once: the second waits and then finds the blob committed.
//! An ingest left by a killed process is resumed from where it stopped; one
//! whose bytes failed verification (wrong size or digest) or whose write ran
//! out of space is deleted before its lock is released, so the next pull starts
//! clean instead of resuming bad or truncated data (containerd does the same).

use super::digest::{Digest, Hasher};
use crate::sys::lock::FileLock;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    /// ENOSPC, in Docker's words, naming the file that did not fit.
    #[error("{path}: no space left on device")]
    NoSpace { path: PathBuf },
    #[error("blob {expected} failed verification: got {actual_size} bytes with digest {actual}, expected {expected_size} bytes")]
    Mismatch {
        expected: Digest,
        expected_size: u64,
        actual: Digest,
        actual_size: u64,
    },
    #[error("blob {digest} is larger than the {limit} bytes allowed")]
    TooLarge { digest: Digest, limit: u64 },
    #[error("blob {0} not found in the content store")]
    NotFound(Digest),
}

type Result<T, E = ContentError> = std::result::Result<T, E>;

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ContentError + '_ {
    move |source| {
        if source.raw_os_error() == Some(libc::ENOSPC) {
            return ContentError::NoSpace {
                path: path.to_path_buf(),
            };
        }
        ContentError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ContentStore {
    root: PathBuf,
}

impl ContentStore {
    pub fn new(root: PathBuf) -> ContentStore {
        ContentStore { root }
    }

    /// The content store's directory (`<data-root>/content`).
    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    fn blobs_dir(&self) -> PathBuf {
        self.root.join("blobs").join("sha256")
    }

    fn ingest_dir(&self) -> PathBuf {
        self.root.join("ingest")
    }

    pub fn blob_path(&self, d: &Digest) -> PathBuf {
        self.blobs_dir().join(d.hex())
    }

    pub fn has(&self, d: &Digest) -> bool {
        self.blob_path(d).is_file()
    }

    /// Size of a committed blob.
    pub fn size(&self, d: &Digest) -> Option<u64> {
        std::fs::metadata(self.blob_path(d)).ok().map(|m| m.len())
    }

    pub fn open(&self, d: &Digest) -> Result<File> {
        let p = self.blob_path(d);
        File::open(&p).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                ContentError::NotFound(d.clone())
            } else {
                ContentError::Io { path: p, source: e }
            }
        })
    }

    /// Read a whole blob, refusing ones over `limit` bytes.
    pub fn read(&self, d: &Digest, limit: u64) -> Result<Vec<u8>> {
        let mut f = self.open(d)?;
        let p = self.blob_path(d);
        let len = f.metadata().map_err(io_err(&p))?.len();
        if len > limit {
            return Err(ContentError::TooLarge {
                digest: d.clone(),
                limit,
            });
        }
        let mut buf = Vec::with_capacity(len as usize);
        f.read_to_end(&mut buf).map_err(io_err(&p))?;
        Ok(buf)
    }

    /// Verify and commit a small blob held in memory (manifests, configs).
    pub fn write_blob(&self, expected: &Digest, data: &[u8]) -> Result<()> {
        if self.has(expected) {
            return Ok(());
        }
        let mut ing = self.ingest(expected, data.len() as u64)?;
        if let Some(ing) = ing.as_mut() {
            ing.reset()?;
            ing.write_all(data)?;
        }
        match ing {
            Some(ing) => ing.commit(),
            None => Ok(()),
        }
    }

    /// Begin (or resume) writing a blob. Returns `None` when the blob is
    /// already committed (possibly by another process we waited for).
    pub fn ingest(&self, expected: &Digest, expected_size: u64) -> Result<Option<Ingest>> {
        let dir = self.ingest_dir();
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let blobs = self.blobs_dir();
        std::fs::create_dir_all(&blobs).map_err(io_err(&blobs))?;
        let lock_path = dir.join(format!("{}.lock", expected.hex()));
        let lock = FileLock::exclusive(&lock_path).map_err(io_err(&lock_path))?;
        if self.has(expected) {
            return Ok(None);
        }
        let data_path = dir.join(format!("{}.data", expected.hex()));
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&data_path)
            .map_err(io_err(&data_path))?;
        // Re-hash what a killed process left, so the download resumes.
        let mut hasher = Hasher::new();
        let mut offset = 0u64;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf).map_err(io_err(&data_path))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            offset += n as u64;
        }
        let mut ing = Ingest {
            expected: expected.clone(),
            expected_size,
            data_path,
            blob_path: self.blob_path(expected),
            file,
            hasher,
            offset,
            discard: false,
            _lock: lock,
        };
        if offset > expected_size {
            ing.reset()?;
        }
        Ok(Some(ing))
    }

    /// All committed blobs.
    pub fn list(&self) -> Result<Vec<Digest>> {
        let dir = self.blobs_dir();
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(&dir)(e)),
        };
        let mut out = Vec::new();
        for ent in rd {
            let ent = ent.map_err(io_err(&dir))?;
            if let Some(name) = ent.file_name().to_str() {
                if let Ok(d) = format!("sha256:{name}").parse::<Digest>() {
                    out.push(d);
                }
            }
        }
        Ok(out)
    }

    pub fn remove(&self, d: &Digest) -> Result<()> {
        let p = self.blob_path(d);
        match std::fs::remove_file(&p) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err(&p)(e)),
        }
    }

    /// Remove ingest files no process holds (left by killed pulls that will
    /// never resume them); called by garbage collection.
    pub fn clean_ingest(&self) -> Result<()> {
        let dir = self.ingest_dir();
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(_) => return Ok(()),
        };
        for ent in rd.flatten() {
            let name = ent.file_name().to_string_lossy().into_owned();
            if let Some(hex) = name.strip_suffix(".lock") {
                let lock_path = ent.path();
                if let Ok(Some(_guard)) = FileLock::try_exclusive(&lock_path) {
                    let _ = std::fs::remove_file(dir.join(format!("{hex}.data")));
                    let _ = std::fs::remove_file(&lock_path);
                }
            }
        }
        Ok(())
    }
}

/// An in-progress blob write; `commit` verifies and publishes it. Dropping it
/// without committing keeps the partial data for a later resume, unless the
/// data failed verification or a write ran out of space: then it is deleted.
pub struct Ingest {
    expected: Digest,
    expected_size: u64,
    data_path: PathBuf,
    blob_path: PathBuf,
    file: File,
    hasher: Hasher,
    offset: u64,
    /// Set when the partial data must not be resumed.
    discard: bool,
    // Declared last so the lock is released after `drop` removed the data.
    _lock: FileLock,
}

impl Drop for Ingest {
    fn drop(&mut self) {
        if self.discard {
            let _ = std::fs::remove_file(&self.data_path);
        }
    }
}

impl Ingest {
    /// Delete the partial data when this ingest is dropped: what arrived
    /// was read and found bad (it did not decompress or unpack), so it must
    /// not be resumed.
    pub fn discard(&mut self) {
        self.discard = true;
    }

    /// Bytes already present (the offset to resume a download from).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Discard any partial data and start over.
    pub fn reset(&mut self) -> Result<()> {
        self.file.set_len(0).map_err(io_err(&self.data_path))?;
        use std::io::Seek;
        self.file
            .seek(io::SeekFrom::Start(0))
            .map_err(io_err(&self.data_path))?;
        self.hasher = Hasher::new();
        self.offset = 0;
        Ok(())
    }

    pub fn write_all(&mut self, data: &[u8]) -> Result<()> {
        if self.offset + data.len() as u64 > self.expected_size {
            self.discard = true;
            return Err(ContentError::Mismatch {
                expected: self.expected.clone(),
                expected_size: self.expected_size,
                actual: Hasher::new().finish(),
                actual_size: self.offset + data.len() as u64,
            });
        }
        if let Err(e) = self.file.write_all(data) {
            // A partial write leaves the file out of step with the hash, and
            // a full disk should get its space back: start over next time.
            self.discard = true;
            return Err(io_err(&self.data_path)(e));
        }
        self.hasher.update(data);
        self.offset += data.len() as u64;
        Ok(())
    }

    /// Check size and digest of what was written so far against the
    /// expectation, without committing. On a mismatch the data is discarded
    /// when the ingest is dropped.
    pub fn verify(&mut self) -> Result<()> {
        let actual = self.hasher.clone().finish();
        if actual != self.expected || self.offset != self.expected_size {
            self.discard = true;
            return Err(ContentError::Mismatch {
                expected: self.expected.clone(),
                expected_size: self.expected_size,
                actual,
                actual_size: self.offset,
            });
        }
        Ok(())
    }

    pub fn expected(&self) -> &Digest {
        &self.expected
    }

    /// Verify size and digest, fsync, and rename into the blob store. On a
    /// mismatch the partial data is discarded so a retry starts clean.
    pub fn commit(mut self) -> Result<()> {
        self.verify()?;
        self.file
            .set_permissions(std::fs::Permissions::from_mode(0o444))
            .map_err(io_err(&self.data_path))?;
        self.file.sync_data().map_err(io_err(&self.data_path))?;
        std::fs::rename(&self.data_path, &self.blob_path).map_err(io_err(&self.blob_path))?;
        if let Some(parent) = self.blob_path.parent() {
            sync_dir(parent)?;
        }
        Ok(())
    }
}

pub fn sync_dir(dir: &Path) -> Result<()> {
    let f = File::open(dir).map_err(io_err(dir))?;
    f.sync_all().map_err(io_err(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_verifies_and_resumes() {
        let dir = tempfile::tempdir().unwrap();
        let cs = ContentStore::new(dir.path().to_path_buf());
        let data = b"hello world";
        let d = Digest::of_bytes(data);
        {
            let mut ing = cs.ingest(&d, data.len() as u64).unwrap().unwrap();
            ing.write_all(&data[..5]).unwrap();
            // dropped: simulates a killed pull
        }
        let mut ing = cs.ingest(&d, data.len() as u64).unwrap().unwrap();
        assert_eq!(ing.offset(), 5);
        ing.write_all(&data[5..]).unwrap();
        ing.commit().unwrap();
        assert!(cs.has(&d));
        assert_eq!(cs.read(&d, 100).unwrap(), data);
        assert!(cs.ingest(&d, data.len() as u64).unwrap().is_none());
        assert_eq!(cs.list().unwrap(), vec![d]);
    }

    #[test]
    fn mismatch_is_rejected_and_nothing_committed() {
        let dir = tempfile::tempdir().unwrap();
        let cs = ContentStore::new(dir.path().to_path_buf());
        let d = Digest::of_bytes(b"expected");
        assert!(cs.write_blob(&d, b"tampered").is_err());
        assert!(!cs.has(&d));
        assert!(cs.write_blob(&d, b"expected").is_ok());
        assert!(cs.has(&d));
    }

    #[test]
    fn oversize_write_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cs = ContentStore::new(dir.path().to_path_buf());
        let d = Digest::of_bytes(b"ab");
        let mut ing = cs.ingest(&d, 2).unwrap().unwrap();
        assert!(ing.write_all(b"abc").is_err());
    }

    #[test]
    fn failed_verification_discards_the_ingest() {
        let dir = tempfile::tempdir().unwrap();
        let cs = ContentStore::new(dir.path().to_path_buf());
        let good = b"good bytes";
        let d = Digest::of_bytes(good);
        // Right size, wrong bytes: verify fails and the data must not survive.
        {
            let mut ing = cs.ingest(&d, good.len() as u64).unwrap().unwrap();
            ing.write_all(b"evil bytes").unwrap();
            assert!(ing.verify().is_err());
        }
        let ing = cs.ingest(&d, good.len() as u64).unwrap().unwrap();
        assert_eq!(ing.offset(), 0, "a bad download was kept for resume");
        drop(ing);
        // Too many bytes: the same.
        {
            let mut ing = cs.ingest(&d, good.len() as u64).unwrap().unwrap();
            ing.write_all(b"good").unwrap();
            assert!(ing.write_all(b" bytes, and more").is_err());
        }
        let mut ing = cs.ingest(&d, good.len() as u64).unwrap().unwrap();
        assert_eq!(ing.offset(), 0);
        // The registry now serves the right bytes: the pull succeeds.
        ing.write_all(good).unwrap();
        ing.commit().unwrap();
        assert_eq!(cs.read(&d, 100).unwrap(), good);
        // An interrupted (not bad) download is still resumed.
        let d2 = Digest::of_bytes(b"resumable");
        {
            let mut ing = cs.ingest(&d2, 9).unwrap().unwrap();
            ing.write_all(b"resu").unwrap();
        }
        assert_eq!(cs.ingest(&d2, 9).unwrap().unwrap().offset(), 4);
    }
}
