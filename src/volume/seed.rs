//! Docker's volume copy-up: when a container mounts a new, empty volume over
//! a directory its image has, the image's files there are copied into the
//! volume first (moby `container.CopyImagePathContent` and
//! `copyExistingContents`), with their contents, ownership, modes, times and
//! xattrs; symlinks are copied as links, hard links stay linked, FIFOs are
//! recreated. Device nodes and sockets are skipped (layer extraction never
//! creates them either). The volume's root directory takes the owner and mode
//! of the image directory, so `VOLUME /var/lib/mysql` owned by `mysql` stays
//! writable for it.
//!
//! Safety: the source is resolved inside the container's rootfs with
//! `openat2(RESOLVE_IN_ROOT)`, and the walk below it opens every entry
//! relative to its parent descriptor with `O_NOFOLLOW`, so an image symlink
//! (`/data -> /etc`, or one inside the tree) can never make berth read host
//! files. Writes go through `snapshot::unpack::RootWriter`, confined to the
//! volume's `_data`.
//!
//! A volume is seeded at most once: a `seeded` marker next to `_data` (outside
//! what containers see) records it, and a volume that already has content is
//! left alone, as Docker does. A flock on `seed.lock` serialises containers
//! starting on the same new volume at once. If the copy fails part-way, what
//! it copied is removed again so the next container can retry from empty.

use super::{io_err, Result, VolumeError};
use crate::snapshot::unpack::{EntryMeta, RootWriter, UnpackError};
use crate::sys::fs as sysfs;
use crate::sys::lock::FileLock;
use crate::sys::xattr;
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

/// Name of the marker file in `volumes/<name>/`.
pub const SEEDED_MARKER: &str = "seeded";
const LOCK_FILE: &str = "seed.lock";

/// What [`seed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The image's directory was copied into the volume.
    Copied,
    /// The volume was seeded before (the marker exists).
    AlreadySeeded,
    /// The volume has content of its own.
    NotEmpty,
    /// The image has no directory at that path: nothing to copy.
    NoSource,
}

impl From<UnpackError> for VolumeError {
    fn from(e: UnpackError) -> Self {
        VolumeError::Io {
            path: PathBuf::from("volume copy-up"),
            source: io::Error::other(e.to_string()),
        }
    }
}

/// Copy the files of the image at `dest_in_container` (resolved inside
/// `rootfs`, the container's prepared root filesystem) into `volume_data`
/// (`volume::path(..)`), unless the volume was seeded before or is not empty.
/// Call it after the rootfs is mounted and before the container starts, for
/// each volume mount without `nocopy`.
pub fn seed(rootfs: &Path, dest_in_container: &str, volume_data: &Path) -> Result<SeedOutcome> {
    let vol_dir = volume_data.parent().ok_or_else(|| VolumeError::Io {
        path: volume_data.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidInput, "volume data dir has no parent"),
    })?;
    let lock_path = vol_dir.join(LOCK_FILE);
    let _lock = FileLock::exclusive(&lock_path).map_err(io_err(&lock_path))?;
    let marker = vol_dir.join(SEEDED_MARKER);
    if marker.exists() {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    if !is_empty_dir(volume_data)? {
        return Ok(SeedOutcome::NotEmpty);
    }
    let root = sysfs::open_root(rootfs).map_err(io_err(rootfs))?;
    let src = match sysfs::open_in_root_fd(
        &root,
        Path::new(dest_in_container),
        libc::O_RDONLY | libc::O_DIRECTORY,
    ) {
        Ok(f) => f,
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR)) => {
            return Ok(SeedOutcome::NoSource)
        }
        Err(e) => {
            return Err(io_err(
                &rootfs.join(dest_in_container.trim_start_matches('/')),
            )(e))
        }
    };
    let mut copier = Copier {
        w: RootWriter::open(volume_data)?,
        links: HashMap::new(),
        origin: rootfs.join(dest_in_container.trim_start_matches('/')),
    };
    let copied = copier
        .entry(&src, None, Path::new(""))
        .and_then(|()| copier.w.finish().map_err(VolumeError::from));
    if let Err(e) = copied {
        clear_dir(volume_data);
        return Err(e);
    }
    let data = File::open(volume_data).map_err(io_err(volume_data))?;
    sysfs::syncfs(&data).map_err(io_err(volume_data))?;
    std::fs::write(&marker, b"").map_err(io_err(&marker))?;
    Ok(SeedOutcome::Copied)
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    let mut rd = std::fs::read_dir(dir).map_err(io_err(dir))?;
    Ok(rd.next().is_none())
}

/// Remove everything inside `dir` (best effort: used to undo a failed copy).
fn clear_dir(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let _ = match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
            _ => std::fs::remove_file(&p),
        };
    }
}

/// `/proc/self/fd/<dir>/<name>`: a path to `name` inside an open directory
/// that the kernel resolves through our descriptor, never through the host's
/// view of the rootfs (the final component is not followed by `l*` calls).
fn fd_path(dir: &File, name: Option<&OsString>) -> PathBuf {
    let mut p = PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd()));
    if let Some(n) = name {
        p.push(n);
    }
    p
}

struct Copier {
    w: RootWriter,
    /// (dev, ino) of multiply-linked files already copied → their path.
    links: HashMap<(u64, u64), PathBuf>,
    /// Where the source is, for error messages.
    origin: PathBuf,
}

impl Copier {
    fn err(&self, rel: &Path) -> impl FnOnce(io::Error) -> VolumeError {
        let path = self.origin.join(rel);
        move |source| VolumeError::Io { path, source }
    }

    fn meta(&self, rel: &Path, st: &libc::stat, xattr_path: &Path) -> Result<EntryMeta> {
        let mut xattrs = Vec::new();
        let names = match xattr::llist(xattr_path) {
            Ok(n) => n,
            Err(e) if e.raw_os_error() == Some(libc::ENOTSUP) => Vec::new(),
            Err(e) => return Err(self.err(rel)(e)),
        };
        for name in names {
            let Some(name) = name.to_str() else { continue };
            if let Some(v) = xattr::lget(xattr_path, name).map_err(self.err(rel))? {
                xattrs.push((name.to_string(), v));
            }
        }
        Ok(EntryMeta {
            path: rel.to_path_buf(),
            mode: st.st_mode & 0o7777,
            uid: st.st_uid,
            gid: st.st_gid,
            mtime: (st.st_mtime, st.st_mtime_nsec as u32),
            xattrs,
        })
    }

    /// Copy the directory open as `dir` (whose own entry is `name` in
    /// `parent`, or the root of the copy when None) to `rel`.
    fn entry(&mut self, dir: &File, parent: Option<(&File, &OsString)>, rel: &Path) -> Result<()> {
        let st = sysfs::fstat(dir).map_err(self.err(rel))?;
        let xpath = match parent {
            Some((p, n)) => fd_path(p, Some(n)),
            None => fd_path(dir, None),
        };
        let meta = self.meta(rel, &st, &xpath)?;
        self.w.dir(&meta)?;
        let mut names: Vec<OsString> = std::fs::read_dir(fd_path(dir, None))
            .map_err(self.err(rel))?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<io::Result<_>>()
            .map_err(self.err(rel))?;
        names.sort();
        for name in names {
            let child = rel.join(&name);
            let n = Path::new(&name);
            let st = sysfs::lstatat(dir, n).map_err(self.err(&child))?;
            let xpath = fd_path(dir, Some(&name));
            match st.st_mode & libc::S_IFMT {
                libc::S_IFDIR => {
                    let sub = sysfs::openat(
                        dir,
                        n,
                        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                        0,
                    )
                    .map_err(self.err(&child))?;
                    self.entry(&sub, Some((dir, &name)), &child)?;
                }
                libc::S_IFREG => {
                    let key = (st.st_dev, st.st_ino);
                    if st.st_nlink > 1 {
                        if let Some(first) = self.links.get(&key) {
                            let first = first.clone();
                            self.w.hardlink(&child, &first)?;
                            continue;
                        }
                        self.links.insert(key, child.clone());
                    }
                    let mut f = sysfs::openat(dir, n, libc::O_RDONLY | libc::O_NOFOLLOW, 0)
                        .map_err(self.err(&child))?;
                    let meta = self.meta(&child, &st, &xpath)?;
                    self.w.file(&meta, &mut f)?;
                }
                libc::S_IFLNK => {
                    let target = sysfs::readlinkat(dir, n).map_err(self.err(&child))?;
                    let meta = self.meta(&child, &st, &xpath)?;
                    self.w.symlink(&meta, &target)?;
                }
                libc::S_IFIFO => {
                    let meta = self.meta(&child, &st, &xpath)?;
                    self.w.fifo(&meta)?;
                }
                // Device nodes and sockets: skipped, as layer extraction does.
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    struct Fixture {
        _dir: tempfile::TempDir,
        rootfs: PathBuf,
        data: PathBuf,
        host: PathBuf,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let rootfs = dir.path().join("rootfs");
        let data = dir.path().join("volumes/v1/_data");
        let host = dir.path().join("host");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&host).unwrap();
        std::fs::write(host.join("secret"), b"host secret").unwrap();
        std::fs::create_dir_all(rootfs.join("srv/app/sub")).unwrap();
        std::fs::write(rootfs.join("srv/app/a.txt"), b"hello").unwrap();
        std::fs::write(rootfs.join("srv/app/sub/b"), b"bee").unwrap();
        std::fs::hard_link(rootfs.join("srv/app/a.txt"), rootfs.join("srv/app/hard")).unwrap();
        std::os::unix::fs::symlink("a.txt", rootfs.join("srv/app/link")).unwrap();
        std::os::unix::fs::symlink(host.join("secret"), rootfs.join("srv/app/abs")).unwrap();
        std::fs::set_permissions(
            rootfs.join("srv/app/a.txt"),
            std::fs::Permissions::from_mode(0o640),
        )
        .unwrap();
        std::fs::set_permissions(
            rootfs.join("srv/app"),
            std::fs::Permissions::from_mode(0o751),
        )
        .unwrap();
        Fixture {
            _dir: dir,
            rootfs,
            data,
            host,
        }
    }

    #[test]
    fn copies_contents_modes_and_links() {
        let f = fixture();
        assert_eq!(
            seed(&f.rootfs, "/srv/app", &f.data).unwrap(),
            SeedOutcome::Copied
        );
        assert_eq!(std::fs::read(f.data.join("a.txt")).unwrap(), b"hello");
        assert_eq!(std::fs::read(f.data.join("sub/b")).unwrap(), b"bee");
        let md = std::fs::metadata(f.data.join("a.txt")).unwrap();
        assert_eq!(md.mode() & 0o7777, 0o640);
        assert_eq!(
            md.ino(),
            std::fs::metadata(f.data.join("hard")).unwrap().ino()
        );
        assert_eq!(
            std::fs::metadata(&f.data).unwrap().mode() & 0o7777,
            0o751,
            "the volume root takes the image dir's mode"
        );
        assert_eq!(
            std::fs::read_link(f.data.join("link")).unwrap(),
            Path::new("a.txt")
        );
        // An absolute symlink is copied as a link, never dereferenced.
        assert_eq!(
            std::fs::read_link(f.data.join("abs")).unwrap(),
            f.host.join("secret")
        );
        assert!(f.data.parent().unwrap().join(SEEDED_MARKER).exists());
    }

    #[test]
    fn seeds_once_and_not_over_content() {
        let f = fixture();
        assert_eq!(
            seed(&f.rootfs, "/srv/app", &f.data).unwrap(),
            SeedOutcome::Copied
        );
        clear_dir(&f.data);
        assert_eq!(
            seed(&f.rootfs, "/srv/app", &f.data).unwrap(),
            SeedOutcome::AlreadySeeded
        );
        assert!(is_empty_dir(&f.data).unwrap());

        let g = fixture();
        std::fs::write(g.data.join("mine"), b"x").unwrap();
        assert_eq!(
            seed(&g.rootfs, "/srv/app", &g.data).unwrap(),
            SeedOutcome::NotEmpty
        );
        assert!(!g.data.join("a.txt").exists());
    }

    #[test]
    fn missing_source_copies_nothing() {
        let f = fixture();
        assert_eq!(
            seed(&f.rootfs, "/nope", &f.data).unwrap(),
            SeedOutcome::NoSource
        );
        assert_eq!(
            seed(&f.rootfs, "/srv/app/a.txt", &f.data).unwrap(),
            SeedOutcome::NoSource
        );
        assert!(!f.data.parent().unwrap().join(SEEDED_MARKER).exists());
    }

    #[test]
    fn image_symlinks_stay_inside_the_rootfs() {
        let f = fixture();
        // /data -> the host dir (absolute) and a ../ escape: both resolve in
        // the rootfs, where they name nothing or the rootfs's own files.
        std::os::unix::fs::symlink(&f.host, f.rootfs.join("data")).unwrap();
        assert_eq!(
            seed(&f.rootfs, "/data", &f.data).unwrap(),
            SeedOutcome::NoSource
        );
        std::os::unix::fs::symlink("../../../../../srv/app", f.rootfs.join("up")).unwrap();
        assert_eq!(
            seed(&f.rootfs, "/up", &f.data).unwrap(),
            SeedOutcome::Copied
        );
        assert!(
            f.data.join("a.txt").exists(),
            "resolved to the rootfs's /srv/app"
        );
        assert!(!f.data.join("secret").exists());
    }
}
