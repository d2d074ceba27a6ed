//! The init layer: the mount points every container gets from the runtime
//! spec (`/proc`, `/dev`, `/sys`, `/etc/hosts`, `/etc/hostname`,
//! `/etc/resolv.conf`) that the image itself lacks, made once per image and
//! stacked between the image's layers and each container's upper dir.
//!
//! Without it, runc creates the missing ones in the container's upper dir at
//! its first start: inode creations and an overlay copy-up of `/etc` on the
//! data root's filesystem, then as many deletions when the container goes
//! (about 3 ms of a `run --rm` of a busybox image here). Docker keeps the same
//! entries in a per-container `<id>-init` layer; their content depends on the
//! image alone, so berth shares one per top layer (`init/<chain-id>/fs`), made
//! the first time a container of that image is prepared and removed with the
//! layer.
//!
//! What the image has wins: an entry is made only where the image's merged
//! view has nothing (a whiteout counts as nothing). `/etc` files are made only
//! when `/etc` is a directory there or absent; a `/etc` that is a symlink is
//! left to the runtime, as before. An `etc` directory made to hold them copies
//! the mode, owner and times of the image's own `/etc`, because the topmost
//! layer's directory is what overlayfs shows (Docker's init layer gets the
//! same from its copy-up). Entries are made as runc makes mount points: root
//! owned, mode 0755, files empty.

use std::fs::{File, Metadata};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::diff::LowerView;
use super::{fsync_dir, io_err, SnapshotError, Snapshotter};
use crate::digest::Digest;
use crate::sys::fs as sysfs;

/// Directories the runtime mounts over.
const DIRS: &[&str] = &["proc", "dev", "sys"];
/// Files under `/etc` the runtime bind-mounts over.
const ETC_FILES: &[&str] = &["hosts", "hostname", "resolv.conf"];
const MODE: u32 = 0o755;

impl Snapshotter {
    fn init_base(&self, top: &Digest) -> PathBuf {
        self.root.join("init").join(top.hex())
    }

    /// The init layer's directory for an image whose top layer is `top`.
    pub(super) fn init_dir(&self, top: &Digest) -> PathBuf {
        self.init_base(top).join("fs")
    }

    /// Make the init layer over `layers` (chain ids, bottom first) unless it
    /// exists; its directory. Concurrent callers may both build one: the
    /// first rename wins and the other's copy is dropped.
    pub(super) fn ensure_init(&self, layers: &[Digest]) -> Result<PathBuf, SnapshotError> {
        let top = layers.last().expect("an image with layers");
        let dir = self.init_dir(top);
        if dir.is_dir() {
            return Ok(dir);
        }
        let lowers: Vec<PathBuf> = layers.iter().rev().map(|l| self.layer_dir(l)).collect();
        let tmp = self.temp_dir()?;
        let fs_dir = tmp.path.join("fs");
        std::fs::create_dir(&fs_dir).map_err(io_err(&fs_dir))?;
        populate(&LowerView { lowers: &lowers }, &fs_dir).map_err(io_err(&fs_dir))?;
        // Durable before it is published: a kept container's overlay names it.
        let f = File::open(&tmp.path).map_err(io_err(&tmp.path))?;
        sysfs::syncfs(&f).map_err(io_err(&tmp.path))?;
        let parent = self.root.join("init");
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let base = self.init_base(top);
        match sysfs::rename_noreplace(&tmp.path, &base) {
            Ok(()) => {
                let mut tmp = tmp;
                tmp.keep = true;
                fsync_dir(&parent)?;
            }
            Err(e) if matches!(e.raw_os_error(), Some(libc::EEXIST) | Some(libc::ENOTEMPTY)) => {}
            Err(e) => return Err(io_err(&base)(e)),
        }
        Ok(dir)
    }

    /// Remove the init layer made over `top` (missing is fine).
    pub(super) fn remove_init(&self, top: &Digest) -> Result<(), SnapshotError> {
        let base = self.init_base(top);
        self.remove_tree(&base)
    }
}

/// Fill `out` with what the image (`view`) lacks.
fn populate(view: &LowerView, out: &Path) -> io::Result<()> {
    for d in DIRS {
        if view.lookup(Path::new(d)).is_none() {
            mkdir(&out.join(d), None)?;
        }
    }
    let etc = Path::new("etc");
    let image_etc = view.lookup(etc);
    if image_etc.as_ref().is_some_and(|m| !m.is_dir()) {
        return Ok(());
    }
    let missing: Vec<&str> = ETC_FILES
        .iter()
        .copied()
        .filter(|f| view.lookup(&etc.join(f)).is_none())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let out_etc = out.join(etc);
    mkdir(&out_etc, image_etc.as_ref())?;
    for f in missing {
        let p = out_etc.join(f);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)?;
        sysfs::fchmod(&file, MODE)?;
    }
    if let Some(md) = &image_etc {
        // Creating the files moved its times; put the image's back.
        set_times(&out_etc, md)?;
    }
    Ok(())
}

/// A directory as runc makes a mount point, or with `like`'s mode, owner and
/// times.
fn mkdir(p: &Path, like: Option<&Metadata>) -> io::Result<()> {
    std::fs::create_dir(p)?;
    let f = File::open(p)?;
    match like {
        None => sysfs::fchmod(&f, MODE),
        Some(md) => {
            sysfs::fchown(&f, md.uid(), md.gid())?;
            sysfs::fchmod(&f, md.mode() & 0o7777)?;
            set_times(p, md)
        }
    }
}

fn set_times(p: &Path, md: &Metadata) -> io::Result<()> {
    let f = File::open(p)?;
    sysfs::futimens(&f, md.mtime(), md.mtime_nsec() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn view_of(layers: &[PathBuf]) -> LowerView<'_> {
        LowerView { lowers: layers }
    }

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn an_empty_image_gets_every_mount_point() {
        let t = tempfile::tempdir().unwrap();
        let layer = t.path().join("l");
        std::fs::create_dir_all(layer.join("bin")).unwrap();
        let out = t.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let lowers = vec![layer];
        populate(&view_of(&lowers), &out).unwrap();
        for d in ["proc", "dev", "sys", "etc"] {
            assert!(out.join(d).is_dir(), "{d}");
            assert_eq!(mode(&out.join(d)), 0o755, "{d}");
        }
        for f in ETC_FILES {
            let p = out.join("etc").join(f);
            assert!(p.is_file(), "{f}");
            assert_eq!(std::fs::metadata(&p).unwrap().len(), 0);
            assert_eq!(mode(&p), 0o755, "{f}");
        }
        assert!(!out.join("bin").exists());
    }

    #[test]
    fn what_the_image_has_is_left_alone() {
        let t = tempfile::tempdir().unwrap();
        let low = t.path().join("low");
        let top = t.path().join("top");
        for d in ["proc", "etc"] {
            std::fs::create_dir_all(low.join(d)).unwrap();
        }
        std::fs::set_permissions(low.join("etc"), std::fs::Permissions::from_mode(0o750)).unwrap();
        std::fs::write(low.join("etc/hosts"), "127.0.0.1 x\n").unwrap();
        std::fs::create_dir_all(top.join("sys")).unwrap();
        let out = t.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let lowers = vec![top, low.clone()];
        populate(&view_of(&lowers), &out).unwrap();
        assert!(!out.join("proc").exists());
        assert!(!out.join("sys").exists());
        assert!(out.join("dev").is_dir());
        assert!(!out.join("etc/hosts").exists());
        assert!(out.join("etc/hostname").is_file());
        assert!(out.join("etc/resolv.conf").is_file());
        // The merged /etc keeps the image's mode and times.
        assert_eq!(mode(&out.join("etc")), 0o750);
        let (a, b) = (
            std::fs::metadata(out.join("etc")).unwrap(),
            std::fs::metadata(low.join("etc")).unwrap(),
        );
        assert_eq!((a.mtime(), a.mtime_nsec()), (b.mtime(), b.mtime_nsec()));
    }

    #[test]
    fn a_whiteout_counts_as_missing_and_a_symlinked_etc_is_left_to_the_runtime() {
        let t = tempfile::tempdir().unwrap();
        let low = t.path().join("low");
        let top = t.path().join("top");
        std::fs::create_dir_all(low.join("dev")).unwrap();
        std::fs::create_dir_all(&top).unwrap();
        // overlay's whiteout: a 0/0 character device.
        sysfs::mknodat(
            &File::open(&top).unwrap(),
            Path::new("dev"),
            libc::S_IFCHR,
            0,
            0,
        )
        .unwrap();
        std::os::unix::fs::symlink("/outside", top.join("etc")).unwrap();
        let out = t.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let lowers = vec![top, low];
        populate(&view_of(&lowers), &out).unwrap();
        assert!(out.join("dev").is_dir());
        assert!(!out.join("etc").exists());
    }
}
