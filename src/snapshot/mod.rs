//! The snapshotter: unpacked layers by chain id, and per-container root
//! filesystems on top of them.
//!
//! Layout under the snapshot root (`<data-root>/snapshots`):
//! - `layers/<chain-id hex>/fs` — one layer's own files, whiteouts already in
//!   overlayfs form (see [`crate::snapshot::unpack`]); layers are not applied onto
//!   their parents, so they unpack in parallel and in any order;
//!   `layers/<hex>/layer.json` records the diff id and size;
//! - `containers/<id>/{upper,work,merged}` — a container's overlay (with the
//!   copy driver only `merged`, a full copy of the image) and `snapshot.json`;
//! - `tmp/` — extractions and removals in progress, each a directory holding
//!   an `flock` on itself; [`Snapshotter::clean_temp`] removes unlocked ones
//!   left by killed processes;
//! - `l/` — short symlinks to layer dirs, used only by the legacy
//!   `mount(2)` fallback when a lowerdir list would not fit in one page.
//!
//! A layer directory appears atomically by `rename(2)` of a finished,
//! verified and synced temp dir (DESIGN.md rules 1, 2 and 6): if it exists, it
//! is complete. The snapshotter does not track references; callers (the
//! store) decide when a layer or container may go. It never prints.

mod copy;
mod diff;
pub mod export;
mod overlay;
pub mod tar_bounds;
pub mod unpack;

pub use diff::Change;

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::digest::{Digest, Hasher};
use crate::sys::fs as sysfs;
use crate::sys::mount::MountError;
use unpack::UnpackError;

const READ_BUF: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    /// ENOSPC, in Docker's words, naming the file that did not fit.
    #[error("{path}: no space left on device")]
    NoSpace { path: PathBuf },
    #[error(transparent)]
    Write(#[from] sysfs::WriteAtomicError),
    #[error("layer {chain_id}: uncompressed content has digest {actual}, but the image config expects diff id {expected}")]
    DiffIdMismatch {
        chain_id: Digest,
        expected: Digest,
        actual: Digest,
    },
    #[error("layer {chain_id}: {source}")]
    Unpack {
        chain_id: Digest,
        #[source]
        source: UnpackError,
    },
    #[error("layer {0} is not unpacked")]
    NoSuchLayer(Digest),
    #[error("no snapshot for container {0}")]
    NoSuchContainer(String),
    #[error("a snapshot for container {0} already exists")]
    ContainerExists(String),
    #[error("invalid container id {0:?}")]
    InvalidId(String),
    #[error("{path}: {source}")]
    Metadata {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("mounting overlay at {target}: {source}")]
    Mount {
        target: PathBuf,
        #[source]
        source: MountError,
    },
    #[error("unmounting {target}: {source}")]
    Unmount { target: PathBuf, source: io::Error },
    #[error("copying layers into {target}: {source}")]
    Copy {
        target: PathBuf,
        #[source]
        source: UnpackError,
    },
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> SnapshotError + '_ {
    move |source| {
        if source.raw_os_error() == Some(libc::ENOSPC) {
            return SnapshotError::NoSpace {
                path: path.to_path_buf(),
            };
        }
        SnapshotError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// An extraction or copy error into `root`: a full disk is reported with the
/// absolute path that did not fit, the rest as `wrap` makes it.
fn tree_err(
    root: &Path,
    source: UnpackError,
    wrap: impl FnOnce(UnpackError) -> SnapshotError,
) -> SnapshotError {
    match source {
        UnpackError::Io { path, source } if source.raw_os_error() == Some(libc::ENOSPC) => {
            SnapshotError::NoSpace {
                path: root.join(path),
            }
        }
        other => wrap(other),
    }
}

/// How container root filesystems are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Driver {
    /// overlayfs with the layer dirs as lower layers (the default).
    Overlay,
    /// A full copy of the layers, for filesystems or kernels where overlayfs
    /// cannot be mounted (like Docker's `vfs` driver).
    Copy,
}

/// How a layer blob is compressed (from its media type, see
/// `image::manifest::layer_compression`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// What [`Snapshotter::unpack_layer`] learned about a layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerInfo {
    /// Sum of the sizes of the layer's regular files.
    pub size: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LayerMeta {
    diff_id: Digest,
    size: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContainerMeta {
    driver: Driver,
    /// Chain ids, bottom first.
    layers: Vec<Digest>,
    /// See [`Lifetime::Ephemeral`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    ephemeral: bool,
}

/// How long a container's snapshot lives, which decides what its overlay
/// spends on durability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Kept across stops and host restarts (`docker start` finds its files).
    Kept,
    /// Deleted when its container ends (`run --rm`, a build step): mounted
    /// with overlayfs's `volatile` option, so unmounting does not sync the
    /// data root's whole filesystem (an ext4 journal commit, 0.6-4 ms here),
    /// and its metadata is written without fsync. A host crash may leave
    /// its upper dir torn; such a container is removed, never reused.
    /// (Podman mounts its `--rm` containers the same way.)
    Ephemeral,
}

/// A container's root filesystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerSnapshot {
    pub id: String,
    pub driver: Driver,
    /// Chain ids, bottom first.
    pub layers: Vec<Digest>,
    /// Layer dirs, top-most first (overlay `lowerdir` order).
    pub lowers: Vec<PathBuf>,
    /// overlay upper dir (unused with [`Driver::Copy`]).
    pub upper: PathBuf,
    /// overlay work dir (unused with [`Driver::Copy`]).
    pub work: PathBuf,
    /// The root filesystem to hand to the runtime.
    pub rootfs: PathBuf,
    /// Mounted `volatile` ([`Lifetime::Ephemeral`]).
    pub ephemeral: bool,
}

/// Reader adapter that hashes everything read through it.
struct HashingReader<R> {
    inner: R,
    hasher: Hasher,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// A locked directory under `tmp/`, removed on drop unless committed.
struct TempDir {
    path: PathBuf,
    _lock: File,
    keep: bool,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[derive(Clone)]
pub struct Snapshotter {
    root: PathBuf,
    driver: Driver,
}

/// The driver for `setting` (`overlayfs`, `native`, `auto`). `auto` takes
/// overlayfs when the kernel has it and the data root is not itself on
/// overlayfs (overlay upper dirs cannot live there), else full copies.
pub fn choose_driver(setting: &str, data_root: &Path) -> Driver {
    match setting {
        "overlayfs" => Driver::Overlay,
        "native" => Driver::Copy,
        _ => {
            let kernel_has_overlay = std::fs::read_to_string("/proc/filesystems")
                .map(|s| {
                    s.lines()
                        .any(|l| l.split_whitespace().last() == Some("overlay"))
                })
                .unwrap_or(false);
            let on_overlay = crate::sys::mount::is_on_overlayfs(data_root).unwrap_or(false);
            if kernel_has_overlay && !on_overlay {
                Driver::Overlay
            } else {
                Driver::Copy
            }
        }
    }
}

impl Snapshotter {
    /// A snapshotter rooted at `root` (created on first use) using overlayfs.
    pub fn new(root: PathBuf) -> Snapshotter {
        Snapshotter::with_driver(root, Driver::Overlay)
    }

    /// A snapshotter using `driver`. A relative `root` is made absolute
    /// (mount options and `l/` links need absolute paths).
    pub fn with_driver(root: PathBuf, driver: Driver) -> Snapshotter {
        let root = std::path::absolute(&root).unwrap_or(root);
        Snapshotter { root, driver }
    }

    #[cfg(test)]
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn layer_base(&self, chain_id: &Digest) -> PathBuf {
        self.root.join("layers").join(chain_id.hex())
    }

    /// The directory holding a layer's files.
    pub fn layer_dir(&self, chain_id: &Digest) -> PathBuf {
        self.layer_base(chain_id).join("fs")
    }

    pub fn has_layer(&self, chain_id: &Digest) -> bool {
        self.layer_base(chain_id).is_dir()
    }

    /// Size and diff id recorded when the layer was unpacked.
    pub fn layer_info(&self, chain_id: &Digest) -> Result<LayerInfo, SnapshotError> {
        let p = self.layer_base(chain_id).join("layer.json");
        let data = match std::fs::read(&p) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(SnapshotError::NoSuchLayer(chain_id.clone()))
            }
            Err(e) => return Err(io_err(&p)(e)),
        };
        let meta: LayerMeta = serde_json::from_slice(&data)
            .map_err(|source| SnapshotError::Metadata { path: p, source })?;
        Ok(LayerInfo { size: meta.size })
    }

    /// Create a fresh locked directory under `tmp/`.
    fn temp_dir(&self) -> Result<TempDir, SnapshotError> {
        let tmp = self.root.join("tmp");
        std::fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
        loop {
            let path = tmp.join(format!("{:016x}", rand::random::<u64>()));
            match std::fs::create_dir(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_err(&path)(e)),
            }
            let lock = File::open(&path).map_err(io_err(&path))?;
            // A concurrent clean_temp may lock and delete it between mkdir
            // and flock: then try another name.
            if !crate::sys::lock::try_exclusive_on(&lock).map_err(io_err(&path))? {
                continue;
            }
            match (sysfs::fstat(&lock), std::fs::symlink_metadata(&path)) {
                (Ok(a), Ok(b)) if a.st_ino == std::os::unix::fs::MetadataExt::ino(&b) => {
                    return Ok(TempDir {
                        path,
                        _lock: lock,
                        keep: false,
                    })
                }
                _ => continue,
            }
        }
    }

    /// Unpack one layer blob under its chain id, verifying the uncompressed
    /// stream against `diff_id` while extracting. The whole stream is read to
    /// EOF (trailing data is hashed too). If the layer is already present,
    /// returns its info without reading `blob`; if another process commits
    /// the same chain id meanwhile, theirs is kept and ours dropped.
    pub fn unpack_layer(
        &self,
        chain_id: &Digest,
        diff_id: &Digest,
        compression: Compression,
        blob: impl Read,
    ) -> Result<LayerInfo, SnapshotError> {
        if self.has_layer(chain_id) {
            if let Ok(info) = self.layer_info(chain_id) {
                return Ok(info);
            }
        }
        let tmp = self.temp_dir()?;
        let fs_dir = tmp.path.join("fs");
        std::fs::create_dir(&fs_dir).map_err(io_err(&fs_dir))?;

        let buffered = BufReader::with_capacity(READ_BUF, blob);
        let decoded: Box<dyn Read> = match compression {
            Compression::None => Box::new(buffered),
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            Compression::Zstd => Box::new(
                zstd::stream::read::Decoder::with_buffer(buffered).map_err(io_err(&fs_dir))?,
            ),
        };
        let hashing = HashingReader {
            inner: decoded,
            hasher: Hasher::new(),
        };
        let tar_in = BufReader::with_capacity(READ_BUF, hashing);
        let unpack_err = |source| {
            tree_err(&fs_dir, source, |source| SnapshotError::Unpack {
                chain_id: chain_id.clone(),
                source,
            })
        };
        let (stats, mut rest) = unpack::unpack_tar(tar_in, &fs_dir).map_err(unpack_err)?;
        io::copy(&mut rest, &mut io::sink()).map_err(|e| unpack_err(UnpackError::Read(e)))?;
        let actual = rest.into_inner().hasher.finish();
        if &actual != diff_id {
            return Err(SnapshotError::DiffIdMismatch {
                chain_id: chain_id.clone(),
                expected: diff_id.clone(),
                actual,
            });
        }

        let meta = LayerMeta {
            diff_id: diff_id.clone(),
            size: stats.size,
        };
        let meta_path = tmp.path.join("layer.json");
        std::fs::write(&meta_path, serde_json::to_vec(&meta).expect("serializable"))
            .map_err(io_err(&meta_path))?;
        // One syncfs makes every file, directory and inode of the layer
        // durable before the rename publishes it.
        let dirf = File::open(&tmp.path).map_err(io_err(&tmp.path))?;
        sysfs::syncfs(&dirf).map_err(io_err(&tmp.path))?;

        let layers = self.root.join("layers");
        std::fs::create_dir_all(&layers).map_err(io_err(&layers))?;
        let dest = self.layer_base(chain_id);
        match sysfs::rename_noreplace(&tmp.path, &dest) {
            Ok(()) => {
                let mut tmp = tmp;
                tmp.keep = true;
                fsync_dir(&layers)?;
            }
            // Someone else committed it first: keep theirs; ours goes on drop.
            Err(e) if matches!(e.raw_os_error(), Some(libc::EEXIST) | Some(libc::ENOTEMPTY)) => {}
            Err(e) => return Err(io_err(&dest)(e)),
        }
        Ok(LayerInfo { size: stats.size })
    }

    /// Remove an unpacked layer (missing is not an error). The directory is
    /// first renamed away, so a half-removed layer is never visible.
    pub fn remove_layer(&self, chain_id: &Digest) -> Result<(), SnapshotError> {
        let src = self.layer_base(chain_id);
        self.remove_tree(&src)
    }

    /// Atomically move `src` under `tmp/` (locked) and delete it there.
    fn remove_tree(&self, src: &Path) -> Result<(), SnapshotError> {
        let tmp = self.temp_dir()?;
        let dest = tmp.path.join("x");
        match std::fs::rename(src, &dest) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io_err(src)(e)),
        }
        if let Some(parent) = src.parent() {
            fsync_dir(parent)?;
        }
        std::fs::remove_dir_all(&tmp.path).map_err(io_err(&tmp.path))?;
        Ok(())
    }

    /// Chain ids of all unpacked layers, sorted.
    pub fn list_layers(&self) -> Result<Vec<Digest>, SnapshotError> {
        let dir = self.root.join("layers");
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(&dir)(e)),
        };
        let mut out = Vec::new();
        for e in rd {
            let e = e.map_err(io_err(&dir))?;
            if let Some(d) = e
                .file_name()
                .to_str()
                .and_then(|n| format!("sha256:{n}").parse::<Digest>().ok())
            {
                out.push(d);
            }
        }
        out.sort();
        Ok(out)
    }

    /// Remove temp dirs left behind by killed processes (those whose lock
    /// nobody holds). Returns how many were removed.
    pub fn clean_temp(&self) -> Result<usize, SnapshotError> {
        let tmp = self.root.join("tmp");
        let rd = match std::fs::read_dir(&tmp) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(io_err(&tmp)(e)),
        };
        let mut removed = 0;
        for e in rd {
            let e = e.map_err(io_err(&tmp))?;
            let p = e.path();
            let Ok(f) = File::open(&p) else { continue };
            if crate::sys::lock::try_exclusive_on(&f).map_err(io_err(&p))? {
                match std::fs::remove_dir_all(&p) {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(io_err(&p)(e)),
                }
            }
        }
        Ok(removed)
    }

    fn container_dir(&self, id: &str) -> Result<PathBuf, SnapshotError> {
        let valid = !id.is_empty()
            && id != "."
            && id != ".."
            && id.len() <= 128
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
        if !valid {
            return Err(SnapshotError::InvalidId(id.to_string()));
        }
        Ok(self.root.join("containers").join(id))
    }

    fn snapshot_of(
        &self,
        id: &str,
        meta: ContainerMeta,
    ) -> Result<ContainerSnapshot, SnapshotError> {
        let dir = self.container_dir(id)?;
        Ok(ContainerSnapshot {
            id: id.to_string(),
            driver: meta.driver,
            lowers: meta
                .layers
                .iter()
                .rev()
                .map(|l| self.layer_dir(l))
                .collect(),
            layers: meta.layers,
            upper: dir.join("upper"),
            work: dir.join("work"),
            rootfs: dir.join("merged"),
            ephemeral: meta.ephemeral,
        })
    }

    /// Create a container's snapshot on top of `layers` (chain ids, bottom
    /// first). With the copy driver the layers are copied into the rootfs
    /// now. Nothing is left behind on failure.
    pub fn prepare_container(
        &self,
        id: &str,
        layers: &[Digest],
        lifetime: Lifetime,
    ) -> Result<ContainerSnapshot, SnapshotError> {
        let dir = self.container_dir(id)?;
        for l in layers {
            if !self.has_layer(l) {
                return Err(SnapshotError::NoSuchLayer(l.clone()));
            }
        }
        let parent = self.root.join("containers");
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        match std::fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(SnapshotError::ContainerExists(id.to_string()))
            }
            Err(e) => return Err(io_err(&dir)(e)),
        }
        let meta = ContainerMeta {
            driver: self.driver,
            layers: layers.to_vec(),
            ephemeral: lifetime == Lifetime::Ephemeral,
        };
        let snap = self.snapshot_of(id, meta)?;
        let r = self.populate(&snap, &dir);
        if let Err(e) = r {
            // Removing through tmp/ needs a new directory, which a full disk
            // may refuse: then delete in place rather than keep the copy.
            if self.remove_tree(&dir).is_err() {
                let _ = std::fs::remove_dir_all(&dir);
            }
            return Err(e);
        }
        Ok(snap)
    }

    fn populate(&self, snap: &ContainerSnapshot, dir: &Path) -> Result<(), SnapshotError> {
        let subdirs: &[&Path] = match snap.driver {
            Driver::Overlay => &[&snap.upper, &snap.work, &snap.rootfs],
            Driver::Copy => &[&snap.rootfs],
        };
        for d in subdirs {
            std::fs::create_dir(d).map_err(io_err(d))?;
        }
        if snap.driver == Driver::Copy {
            copy::apply_layers(&snap.lowers, &snap.rootfs).map_err(|source| {
                tree_err(&snap.rootfs, source, |source| SnapshotError::Copy {
                    target: snap.rootfs.clone(),
                    source,
                })
            })?;
            let f = File::open(&snap.rootfs).map_err(io_err(&snap.rootfs))?;
            sysfs::syncfs(&f).map_err(io_err(&snap.rootfs))?;
        }
        let meta = ContainerMeta {
            driver: snap.driver,
            layers: snap.layers.clone(),
            ephemeral: snap.ephemeral,
        };
        let body = serde_json::to_vec(&meta).expect("serializable");
        if snap.ephemeral {
            sysfs::write_atomic_nosync(&dir.join("snapshot.json"), &body)?;
        } else {
            sysfs::write_atomic(&dir.join("snapshot.json"), &body)?;
        }
        Ok(())
    }

    /// Load an existing container snapshot.
    pub fn container(&self, id: &str) -> Result<ContainerSnapshot, SnapshotError> {
        let dir = self.container_dir(id)?;
        let p = dir.join("snapshot.json");
        let data = match std::fs::read(&p) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(SnapshotError::NoSuchContainer(id.to_string()))
            }
            Err(e) => return Err(io_err(&p)(e)),
        };
        let meta: ContainerMeta = serde_json::from_slice(&data)
            .map_err(|source| SnapshotError::Metadata { path: p, source })?;
        self.snapshot_of(id, meta)
    }

    /// Mount the container's root filesystem at `snap.rootfs` (a no-op for
    /// the copy driver, or when already mounted).
    pub fn mount(&self, snap: &ContainerSnapshot) -> Result<(), SnapshotError> {
        match snap.driver {
            Driver::Copy => Ok(()),
            Driver::Overlay => overlay::mount(&self.root, snap, overlay::Method::Auto),
        }
    }

    /// Unmount the container's root filesystem (not mounted is fine).
    pub fn unmount(&self, snap: &ContainerSnapshot) -> Result<(), SnapshotError> {
        match snap.driver {
            Driver::Copy => Ok(()),
            Driver::Overlay => {
                crate::sys::mount::unmount(&snap.rootfs).map_err(|source| SnapshotError::Unmount {
                    target: snap.rootfs.clone(),
                    source,
                })
            }
        }
    }

    /// Unmount and delete a container's snapshot (missing is not an error).
    ///
    /// A kept snapshot is first renamed into `tmp/` (durably), so a crash
    /// half-way never leaves a partial one under its id. An ephemeral one
    /// loses its `snapshot.json` first, which makes it unloadable (and
    /// unmountable) at once, and is then deleted in place: no temp dir, no
    /// rename, no directory fsync on its way out.
    pub fn remove_container(&self, id: &str) -> Result<(), SnapshotError> {
        let dir = self.container_dir(id)?;
        if !self.unmount_for_removal(&dir)? {
            return self.remove_tree(&dir);
        }
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(&dir)(e)),
            _ => Ok(()),
        }
    }

    /// Unmount the snapshot in `dir`; whether it is ephemeral, in which case
    /// its `snapshot.json` is gone too (it can no longer be loaded or
    /// mounted, whatever happens to its files next).
    fn unmount_for_removal(&self, dir: &Path) -> Result<bool, SnapshotError> {
        let rootfs = dir.join("merged");
        crate::sys::mount::unmount(&rootfs).map_err(|source| SnapshotError::Unmount {
            target: rootfs.clone(),
            source,
        })?;
        let meta_path = dir.join("snapshot.json");
        let ephemeral = std::fs::read(&meta_path)
            .ok()
            .and_then(|d| serde_json::from_slice::<ContainerMeta>(&d).ok())
            .is_some_and(|m| m.ephemeral);
        if ephemeral {
            std::fs::remove_file(&meta_path).map_err(io_err(&meta_path))?;
        }
        Ok(ephemeral)
    }

    /// [`Snapshotter::remove_container`], except that an ephemeral
    /// snapshot's files are deleted on a thread of their own after the
    /// snapshot is unmounted, made unloadable and renamed under `tmp/` (all
    /// before this returns): the command goes on with its database work
    /// meanwhile, and [`finish_removals`] (called by `main` before exiting)
    /// waits for the deletion. About 1.4 ms of every `run --rm` on ext4 here
    /// (a handful of directory removals, each a journal update). A process
    /// killed before the deletion ends leaves an unlocked entry in `tmp/`,
    /// which the next `clean_temp` removes.
    pub fn remove_container_deferred(&self, id: &str) -> Result<(), SnapshotError> {
        let dir = self.container_dir(id)?;
        if !self.unmount_for_removal(&dir)? {
            return self.remove_tree(&dir);
        }
        let tmp = self.root.join("tmp");
        let doomed = tmp.join(format!("rm-{:016x}", rand::random::<u64>()));
        let moved = std::fs::create_dir_all(&tmp).and_then(|()| std::fs::rename(&dir, &doomed));
        let target = if moved.is_ok() { doomed } else { dir };
        let remove = {
            let target = target.clone();
            move || {
                let _ = std::fs::remove_dir_all(&target);
            }
        };
        match std::thread::Builder::new()
            .name("rm-snapshot".into())
            .spawn(remove)
        {
            Ok(h) => {
                PENDING.lock().unwrap_or_else(|e| e.into_inner()).push(h);
                Ok(())
            }
            Err(_) => match std::fs::remove_dir_all(&target) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(&target)(e)),
                _ => Ok(()),
            },
        }
    }

    /// What the container changed relative to its image, like `docker diff`:
    /// sorted by path, paths absolute inside the container.
    pub fn diff(&self, id: &str) -> Result<Vec<(Change, PathBuf)>, SnapshotError> {
        let snap = self.container(id)?;
        match snap.driver {
            Driver::Overlay => diff::overlay_changes(&snap.upper, &snap.lowers),
            Driver::Copy => diff::copy_changes(&snap.rootfs, &snap.lowers),
        }
    }
}

/// Deletions started by [`Snapshotter::remove_container_deferred`] that
/// may still be running.
static PENDING: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// Wait for the snapshot deletions this process started on threads.
pub fn finish_removals() {
    let pending = std::mem::take(&mut *PENDING.lock().unwrap_or_else(|e| e.into_inner()));
    for h in pending {
        let _ = h.join();
    }
}

fn fsync_dir(dir: &Path) -> Result<(), SnapshotError> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io_err(dir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::unpack::tests::{dir, file, symlink, tar_of, E};
    use std::io::Write;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};

    fn layer(entries: &[E]) -> (Vec<u8>, Digest) {
        let t = tar_of(entries);
        let d = Digest::of_bytes(&t);
        (t, d)
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn whiteout(name: &str) -> E {
        file(name, b"")
    }

    /// Unpack `entries` as the next layer of `chain`, returning its chain id.
    fn add_layer(s: &Snapshotter, chain: &mut Vec<Digest>, entries: &[E]) -> Digest {
        let (t, diff_id) = layer(entries);
        let chain_id = match chain.last() {
            None => diff_id.clone(),
            Some(p) => Digest::of_bytes(format!("{p} {diff_id}").as_bytes()),
        };
        s.unpack_layer(&chain_id, &diff_id, Compression::Gzip, gzip(&t).as_slice())
            .unwrap();
        chain.push(chain_id.clone());
        chain_id
    }

    fn tmp_entries(s: &Snapshotter) -> usize {
        std::fs::read_dir(s.root().join("tmp"))
            .map(|r| r.count())
            .unwrap_or(0)
    }

    #[test]
    fn same_layer_whiteouts_hide_only_lower_layers_with_both_drivers() {
        for driver in [Driver::Overlay, Driver::Copy] {
            let t = tempfile::tempdir().unwrap();
            let s = Snapshotter::with_driver(t.path().join("snapshots"), driver);
            let mut chain = Vec::new();
            add_layer(
                &s,
                &mut chain,
                &[file("x11", b"lower"), dir("d/"), file("d/lower", b"l")],
            );
            add_layer(
                &s,
                &mut chain,
                &[
                    file("x11", b"upper"),
                    whiteout(".wh.x11"),
                    dir("d/"),
                    file("d/upper", b"u"),
                    whiteout(".wh.d"),
                ],
            );
            let snap = s.prepare_container("c", &chain, Lifetime::Kept).unwrap();
            s.mount(&snap).unwrap();
            let r = std::panic::catch_unwind(|| {
                let root = &snap.rootfs;
                assert_eq!(std::fs::read(root.join("x11")).unwrap(), b"upper");
                assert!(root.join("d/upper").is_file());
                assert!(!root.join("d/lower").exists(), "lower d shows through");
            });
            s.unmount(&snap).unwrap();
            s.remove_container("c").unwrap();
            if let Err(e) = r {
                panic!("{driver:?}: {e:?}");
            }
        }
    }

    #[test]
    fn unpacks_every_compression_and_records_size() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let (tar, diff_id) = layer(&[
            dir("etc/"),
            file("etc/hostname", b"box\n"),
            file("bin/sh", b"12345"),
        ]);
        let blobs = [
            (Compression::None, tar.clone()),
            (Compression::Gzip, gzip(&tar)),
            (
                Compression::Zstd,
                zstd::encode_all(tar.as_slice(), 3).unwrap(),
            ),
        ];
        for (i, (c, blob)) in blobs.iter().enumerate() {
            let chain = Digest::of_bytes(format!("chain{i}").as_bytes());
            assert!(!s.has_layer(&chain));
            let info = s
                .unpack_layer(&chain, &diff_id, *c, blob.as_slice())
                .unwrap();
            assert_eq!(info.size, 9);
            assert!(s.has_layer(&chain));
            assert_eq!(s.layer_info(&chain).unwrap(), info);
            assert_eq!(
                std::fs::read(s.layer_dir(&chain).join("etc/hostname")).unwrap(),
                b"box\n"
            );
        }
        assert_eq!(s.list_layers().unwrap().len(), 3);
        assert_eq!(tmp_entries(&s), 0);
        let first = s.list_layers().unwrap()[0].clone();
        s.remove_layer(&first).unwrap();
        s.remove_layer(&first).unwrap();
        assert!(!s.has_layer(&first));
        assert_eq!(s.list_layers().unwrap().len(), 2);
        assert_eq!(tmp_entries(&s), 0);
    }

    #[test]
    fn diff_id_mismatch_fails_and_cleans_up() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let (tar, _) = layer(&[file("a", b"a")]);
        let wrong = Digest::of_bytes(b"something else");
        let chain = wrong.clone();
        let err = s
            .unpack_layer(&chain, &wrong, Compression::Gzip, gzip(&tar).as_slice())
            .unwrap_err();
        assert!(matches!(err, SnapshotError::DiffIdMismatch { .. }), "{err}");
        assert!(err.to_string().contains("diff id"), "{err}");
        assert!(!s.has_layer(&chain));
        assert_eq!(tmp_entries(&s), 0);
    }

    #[test]
    fn trailing_data_is_hashed() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let (mut tar, tar_only) = layer(&[file("a", b"a")]);
        tar.extend_from_slice(&[0u8; 4096]);
        tar.extend_from_slice(b"trailing garbage");
        let full = Digest::of_bytes(&tar);
        let chain = full.clone();
        let err = s.unpack_layer(&chain, &tar_only, Compression::None, tar.as_slice());
        assert!(matches!(err, Err(SnapshotError::DiffIdMismatch { .. })));
        s.unpack_layer(&chain, &full, Compression::None, tar.as_slice())
            .unwrap();
    }

    #[test]
    fn concurrent_unpacks_of_one_layer_keep_one() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let entries: Vec<E> = (0..200)
            .map(|i| file(&format!("d/f{i}"), &[b'x'; 1000]))
            .collect();
        let (tar, diff_id) = layer(&entries);
        let blob = gzip(&tar);
        std::thread::scope(|sc| {
            for _ in 0..4 {
                sc.spawn(|| {
                    let info = s
                        .unpack_layer(&diff_id, &diff_id, Compression::Gzip, blob.as_slice())
                        .unwrap();
                    assert_eq!(info.size, 200_000);
                });
            }
        });
        assert_eq!(s.list_layers().unwrap(), vec![diff_id.clone()]);
        assert_eq!(
            std::fs::read_dir(s.layer_dir(&diff_id).join("d"))
                .unwrap()
                .count(),
            200
        );
        assert_eq!(tmp_entries(&s), 0);
    }

    #[test]
    fn clean_temp_removes_only_unlocked_dirs() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let held = s.temp_dir().unwrap();
        let stale = s.root().join("tmp/stale");
        std::fs::create_dir_all(stale.join("fs/a/b")).unwrap();
        std::fs::write(stale.join("fs/a/b/c"), b"x").unwrap();
        assert_eq!(s.clean_temp().unwrap(), 1);
        assert!(!stale.exists());
        assert!(held.path.exists());
        drop(held);
        assert_eq!(tmp_entries(&s), 0);
    }

    /// A two-layer image exercising whiteouts and an opaque dir.
    fn sample_image(s: &Snapshotter) -> Vec<Digest> {
        let mut chain = Vec::new();
        add_layer(
            s,
            &mut chain,
            &[
                dir("etc/"),
                file("etc/passwd", b"root:x:0:0\n"),
                file("etc/group", b"root:x:0:\n"),
                dir("opt/"),
                file("opt/a", b"a"),
                file("opt/b", b"b"),
                dir("var/"),
                dir("var/lib/"),
                file("var/lib/x", b"x1"),
                symlink("hostetc", "/etc"),
            ],
        );
        add_layer(
            s,
            &mut chain,
            &[
                dir("etc/"),
                whiteout("etc/.wh.group"),
                dir("opt/"),
                whiteout("opt/.wh..wh..opq"),
                file("opt/c", b"c"),
                // written through the lower layer's absolute symlink: must
                // stay inside the image when copied
                dir("hostetc/"),
                file("hostetc/berth-test-marker", b"inside"),
            ],
        );
        chain
    }

    fn check_view(rootfs: &Path) {
        assert_eq!(
            std::fs::read(rootfs.join("etc/passwd")).unwrap(),
            b"root:x:0:0\n"
        );
        assert!(!rootfs.join("etc/group").exists());
        let mut opt: Vec<_> = std::fs::read_dir(rootfs.join("opt"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        opt.sort();
        assert_eq!(opt, ["c"]);
        assert_eq!(std::fs::read(rootfs.join("var/lib/x")).unwrap(), b"x1");
        // the upper layer's dir replaces the lower layer's `hostetc -> /etc`
        assert_eq!(
            std::fs::read(rootfs.join("hostetc/berth-test-marker")).unwrap(),
            b"inside"
        );
        assert!(!Path::new("/etc/berth-test-marker").exists());
    }

    fn mutate(rootfs: &Path) {
        std::fs::write(rootfs.join("new"), b"n").unwrap();
        std::fs::remove_file(rootfs.join("etc/passwd")).unwrap();
        std::fs::write(rootfs.join("var/lib/x"), b"x2").unwrap();
        std::fs::remove_dir_all(rootfs.join("opt")).unwrap();
        std::fs::create_dir(rootfs.join("opt")).unwrap();
        std::fs::write(rootfs.join("opt/d"), b"d").unwrap();
    }

    fn render(changes: &[(Change, PathBuf)]) -> Vec<String> {
        changes
            .iter()
            .map(|(c, p)| format!("{c} {}", p.display()))
            .collect()
    }

    #[test]
    fn overlay_container_mounts_diffs_and_cleans_up() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let chain = sample_image(&s);
        let snap = s.prepare_container("c1", &chain, Lifetime::Kept).unwrap();
        assert!(matches!(
            s.prepare_container("c1", &chain, Lifetime::Kept),
            Err(SnapshotError::ContainerExists(_))
        ));
        assert!(matches!(
            s.prepare_container("../x", &chain, Lifetime::Kept),
            Err(SnapshotError::InvalidId(_))
        ));
        assert_eq!(s.container("c1").unwrap(), snap);
        s.mount(&snap).unwrap();
        s.mount(&snap).unwrap(); // idempotent
        let r = std::panic::catch_unwind(|| {
            check_view(&snap.rootfs);
            mutate(&snap.rootfs);
            let upper_wh = std::fs::symlink_metadata(snap.upper.join("etc/passwd")).unwrap();
            assert!(upper_wh.file_type().is_char_device() && upper_wh.rdev() == 0);
            render(&s.diff("c1").unwrap())
        });
        s.unmount(&snap).unwrap();
        assert!(!crate::sys::mount::is_mount_point(&snap.rootfs).unwrap());
        let changes = r.unwrap();
        assert_eq!(
            changes,
            [
                "C /etc",
                "D /etc/passwd",
                "A /new",
                "C /opt",
                "D /opt/c",
                "A /opt/d",
                "C /var",
                "C /var/lib",
                "C /var/lib/x"
            ]
        );
        s.remove_container("c1").unwrap();
        assert!(matches!(
            s.container("c1"),
            Err(SnapshotError::NoSuchContainer(_))
        ));
        assert!(!s.root().join("containers/c1").exists());
        assert_eq!(tmp_entries(&s), 0);
    }

    #[test]
    fn ephemeral_overlay_is_volatile_and_mounts_again() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let chain = sample_image(&s);
        let snap = s
            .prepare_container("e1", &chain, Lifetime::Ephemeral)
            .unwrap();
        assert!(snap.ephemeral);
        assert_eq!(s.container("e1").unwrap(), snap, "the lifetime is recorded");
        let kept = s.prepare_container("k1", &chain, Lifetime::Kept).unwrap();
        assert!(!kept.ephemeral);
        let options = |rootfs: &Path| {
            let canonical = std::fs::canonicalize(rootfs).unwrap();
            let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
            info.lines()
                .find(|l| l.split(' ').nth(4) == Some(canonical.to_str().unwrap()))
                .map(str::to_string)
                .unwrap_or_default()
        };
        // Mounted, written, unmounted and mounted again: the kernel's
        // volatile marker from the first mount must not block the second.
        for round in 0..2 {
            s.mount(&snap).unwrap();
            let line = options(&snap.rootfs);
            s.mount(&kept).unwrap();
            let kept_line = options(&kept.rootfs);
            s.unmount(&kept).unwrap();
            let r = std::panic::catch_unwind(|| {
                assert!(line.contains("volatile"), "round {round}: {line}");
                assert!(!kept_line.contains("volatile"), "{kept_line}");
                if round == 0 {
                    std::fs::write(snap.rootfs.join("kept-across-mounts"), b"x").unwrap();
                } else {
                    assert!(snap.rootfs.join("kept-across-mounts").exists());
                }
            });
            s.unmount(&snap).unwrap();
            r.unwrap();
        }
        s.remove_container("e1").unwrap();
        assert!(!s.root().join("containers/e1").exists());
        assert!(matches!(
            s.container("e1"),
            Err(SnapshotError::NoSuchContainer(_))
        ));
        s.remove_container("e1").unwrap(); // gone is fine
        s.remove_container("k1").unwrap();
        assert_eq!(tmp_entries(&s), 0);
        // Deferred: gone from its place at once, its files after the wait.
        let e2 = s
            .prepare_container("e2", &chain, Lifetime::Ephemeral)
            .unwrap();
        s.mount(&e2).unwrap();
        std::fs::write(e2.rootfs.join("scratch"), b"x").unwrap();
        s.remove_container_deferred("e2").unwrap();
        assert!(!s.root().join("containers/e2").exists());
        assert!(matches!(
            s.container("e2"),
            Err(SnapshotError::NoSuchContainer(_))
        ));
        finish_removals();
        assert_eq!(tmp_entries(&s), 0);
        // A kept one is removed before the call returns.
        let k2 = s.prepare_container("k2", &chain, Lifetime::Kept).unwrap();
        s.remove_container_deferred(&k2.id).unwrap();
        assert!(!s.root().join("containers/k2").exists());
        assert_eq!(tmp_entries(&s), 0);
    }

    #[test]
    fn copy_driver_applies_whiteouts_and_diffs() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::with_driver(t.path().join("snapshots"), Driver::Copy);
        let chain = sample_image(&s);
        let snap = s.prepare_container("c2", &chain, Lifetime::Kept).unwrap();
        s.mount(&snap).unwrap();
        check_view(&snap.rootfs);
        assert!(s.diff("c2").unwrap().is_empty(), "{:?}", s.diff("c2"));
        mutate(&snap.rootfs);
        let changes = render(&s.diff("c2").unwrap());
        for want in [
            "D /etc/passwd",
            "A /new",
            "D /opt/c",
            "A /opt/d",
            "C /var/lib/x",
        ] {
            assert!(
                changes.iter().any(|c| c == want),
                "{want} missing from {changes:?}"
            );
        }
        s.unmount(&snap).unwrap();
        s.remove_container("c2").unwrap();
        assert!(!s.root().join("containers/c2").exists());
    }

    fn many_layers(s: &Snapshotter, n: usize) -> Vec<Digest> {
        let mut chain = Vec::new();
        for i in 0..n {
            add_layer(
                s,
                &mut chain,
                &[
                    file(&format!("layers/f{i}"), b""),
                    file("top", format!("{i}").as_bytes()),
                ],
            );
        }
        chain
    }

    fn check_many(snap: &ContainerSnapshot, n: usize) {
        assert_eq!(
            std::fs::read_dir(snap.rootfs.join("layers"))
                .unwrap()
                .count(),
            n
        );
        assert_eq!(
            std::fs::read_to_string(snap.rootfs.join("top")).unwrap(),
            (n - 1).to_string()
        );
    }

    #[test]
    fn two_hundred_layers_mount_with_both_methods() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let n = 200;
        let chain = many_layers(&s, n);
        let snap = s.prepare_container("many", &chain, Lifetime::Kept).unwrap();
        let total: usize = snap.lowers.iter().map(|l| l.as_os_str().len() + 1).sum();
        assert!(total > 4096, "the lowerdir list must exceed a page");
        for method in [overlay::Method::Auto, overlay::Method::Legacy] {
            overlay::mount(s.root(), &snap, method).unwrap();
            let r = std::panic::catch_unwind(|| check_many(&snap, n));
            s.unmount(&snap).unwrap();
            r.unwrap();
            // The new mount API needs no short links; the legacy path does.
            let links = s.root().join("l").exists();
            assert_eq!(links, method == overlay::Method::Legacy);
        }
        s.remove_container("many").unwrap();
    }

    #[test]
    fn legacy_mount_with_short_option_string() {
        let t = tempfile::tempdir().unwrap();
        let s = Snapshotter::new(t.path().join("snapshots"));
        let chain = many_layers(&s, 3);
        let snap = s.prepare_container("few", &chain, Lifetime::Kept).unwrap();
        overlay::mount(s.root(), &snap, overlay::Method::Legacy).unwrap();
        let r = std::panic::catch_unwind(|| check_many(&snap, 3));
        s.unmount(&snap).unwrap();
        r.unwrap();
        assert!(!s.root().join("l").exists(), "short links only when needed");
        s.remove_container("few").unwrap();
    }

    /// Timing of a real image: `BERTH_UNPACK_BENCH=<dir of *.tgz layers>
    /// cargo test --bin berth snapshot::tests::bench -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn bench_unpack_layers() {
        let Ok(dir) = std::env::var("BERTH_UNPACK_BENCH") else {
            return;
        };
        let mut blobs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "tgz"))
            .collect();
        blobs.sort();
        let layers: Vec<(Digest, PathBuf)> = blobs
            .into_iter()
            .map(|p| {
                let mut h = HashingReader {
                    inner: flate2::read::MultiGzDecoder::new(File::open(&p).unwrap()),
                    hasher: Hasher::new(),
                };
                io::copy(&mut h, &mut io::sink()).unwrap();
                (h.hasher.finish(), p)
            })
            .collect();
        for parallel in [false, true] {
            let t = tempfile::tempdir_in("/var/tmp").unwrap();
            let s = Snapshotter::new(t.path().join("snapshots"));
            let start = std::time::Instant::now();
            let run = |(d, p): &(Digest, PathBuf)| {
                s.unpack_layer(d, d, Compression::Gzip, File::open(p).unwrap())
                    .unwrap()
                    .size
            };
            let size: u64 = if parallel {
                std::thread::scope(|sc| {
                    let hs: Vec<_> = layers.iter().map(|l| sc.spawn(move || run(l))).collect();
                    hs.into_iter().map(|h| h.join().unwrap()).sum()
                })
            } else {
                layers.iter().map(run).sum()
            };
            eprintln!(
                "parallel={parallel}: {} layers, {size} bytes in {:?}",
                layers.len(),
                start.elapsed()
            );
        }
    }
}
