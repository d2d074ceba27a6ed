//! Mounting a container's overlay. The lowerdir list of a many-layer image
//! easily exceeds the one page `mount(2)` accepts for options (Docker's
//! overlay2 caps images at 128 layers for this reason), so berth uses the new
//! mount API with one `lowerdir+` per layer (Linux 6.8+). On older kernels
//! it falls back to `mount(2)`, and when the option string would be too long,
//! to short relative links under `<root>/l/` from a child process that
//! `chdir`s there first (overlay2's approach).

use std::io;
use std::path::{Path, PathBuf};

use super::{io_err, ContainerSnapshot, SnapshotError};
use crate::sys::fs as sysfs;
use crate::sys::mount::{self, MountError};

/// Which mount path to take; tests force the fallbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    /// New API first, then the legacy paths.
    Auto,
    /// Only `mount(2)` (absolute paths if they fit, else short links).
    #[cfg_attr(not(test), allow(dead_code))] // forced by the many-layers tests
    Legacy,
}

/// Longest option string `mount(2)` takes whole: one page including the
/// NUL, with 4096 bytes the smallest page size Linux runs with.
const PAGE_LIMIT: usize = 4095;

pub(super) fn mount(
    root: &Path,
    snap: &ContainerSnapshot,
    method: Method,
) -> Result<(), SnapshotError> {
    let target = &snap.rootfs;
    let canonical = std::fs::canonicalize(target).map_err(io_err(target))?;
    if mount::is_mount_point(&canonical).map_err(io_err(target))? {
        return Ok(());
    }
    let mut lowers = snap.lowers.clone();
    if lowers.is_empty() {
        // overlayfs needs at least one lower layer; an image without layers
        // gets an empty one.
        let empty = snap.rootfs.with_file_name("empty");
        match std::fs::create_dir(&empty) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_err(&empty)(e)),
        }
        lowers.push(empty);
    }
    let mount_err = |source: MountError| SnapshotError::Mount {
        target: target.clone(),
        source,
    };
    if snap.ephemeral {
        clear_volatile_marker(&snap.work)?;
    }
    if method == Method::Auto {
        match mount::mount_overlay_fsapi(&lowers, &snap.upper, &snap.work, snap.ephemeral, target) {
            Ok(()) => return Ok(()),
            // ENOSYS: no new mount API; EINVAL on lowerdir+: kernel < 6.8.
            Err(e)
                if e.errno() == Some(libc::ENOSYS)
                    || (e.step == "fsconfig lowerdir+" && e.errno() == Some(libc::EINVAL)) => {}
            Err(e) => return Err(mount_err(e)),
        }
    }
    let volatile = if snap.ephemeral { ",volatile" } else { "" };
    let abs = format!(
        "lowerdir={},upperdir={},workdir={}{volatile}",
        join_lowers(lowers.iter().map(|p| p.as_path())),
        escape(&snap.upper),
        escape(&snap.work)
    );
    if abs.len() <= PAGE_LIMIT {
        return mount::mount_overlay_legacy(&abs, target).map_err(mount_err);
    }
    let links_dir = root.join("l");
    std::fs::create_dir_all(&links_dir).map_err(io_err(&links_dir))?;
    let mut names = Vec::with_capacity(lowers.len());
    for l in &lowers {
        names.push(short_link(&links_dir, l)?);
    }
    let rel = format!(
        "lowerdir={},upperdir={},workdir={}{volatile}",
        names.join(":"),
        escape(&snap.upper),
        escape(&snap.work)
    );
    if rel.len() > PAGE_LIMIT {
        return Err(mount_err(MountError {
            step: "mount overlay",
            source: io::Error::other(format!(
                "{} layers do not fit in one mount(2) option page",
                lowers.len()
            )),
            kernel_log: String::new(),
        }));
    }
    mount::mount_overlay_legacy_in(&links_dir, &rel, target).map_err(mount_err)
}

/// A `volatile` overlay leaves `<work>/work/incompat/volatile/dirty` behind, and
/// the kernel refuses to mount over it again (the upper dir may be torn by
/// a crash). An ephemeral snapshot is mounted again only in the life of its
/// container (`create --rm` then `cp`, then `start`), which a host crash
/// ends by removing it: the marker is stale and goes.
fn clear_volatile_marker(work: &Path) -> Result<(), SnapshotError> {
    let incompat = work.join("work").join("incompat");
    let volatile = incompat.join("volatile");
    let gone = |r: io::Result<()>, p: &Path| match r {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(p)(e)),
        _ => Ok(()),
    };
    let dirty = volatile.join("dirty");
    gone(std::fs::remove_file(&dirty), &dirty)?;
    gone(std::fs::remove_dir(&volatile), &volatile)?;
    gone(std::fs::remove_dir(&incompat), &incompat)
}

/// Escape the characters overlayfs treats specially in option values.
fn escape(p: &Path) -> String {
    let s = p.to_string_lossy();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, ':' | ',' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn join_lowers<'a>(lowers: impl Iterator<Item = &'a Path>) -> String {
    lowers.map(escape).collect::<Vec<_>>().join(":")
}

/// A short stable link name in `links_dir` pointing at `target`: 12 hex
/// chars of the sha256 of the target path.
fn short_link(links_dir: &Path, target: &Path) -> Result<String, SnapshotError> {
    use std::os::unix::ffi::OsStrExt;
    let d = crate::digest::Digest::of_bytes(target.as_os_str().as_bytes());
    let name = d.hex()[..12].to_string();
    let link = links_dir.join(&name);
    match std::fs::read_link(&link) {
        Ok(t) if t == target => return Ok(name),
        Ok(_) => std::fs::remove_file(&link).map_err(io_err(&link))?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(&link)(e)),
    }
    // Created under a temp name and renamed, so concurrent mounts never see
    // a missing or half-made link.
    let tmp: PathBuf = links_dir.join(format!(".{name}.{:08x}", rand::random::<u32>()));
    sysfs::symlinkat(
        target,
        &std::fs::File::open(links_dir).map_err(io_err(links_dir))?,
        Path::new(tmp.file_name().expect("named")),
    )
    .map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, &link).map_err(io_err(&link))?;
    Ok(name)
}
