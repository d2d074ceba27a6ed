//! Mounting overlayfs and unmounting. Two ways in: the new mount API
//! (`fsopen`/`fsconfig`/`fsmount`/`move_mount`, Linux 5.2+, with one
//! `lowerdir+` per layer since Linux 6.8), which has no limit on the number
//! of layers; and classic `mount(2)`, whose option string must fit in one
//! page, optionally issued from a child process that first `chdir`s so the
//! layer paths can be short and relative (the trick Docker's overlay2 driver
//! uses with its `l/` links).

use std::ffi::CString;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

use rustix::fs::CWD;
use rustix::mount::{
    fsconfig_create, fsconfig_set_flag, fsconfig_set_string, fsmount, fsopen, move_mount,
    FsMountFlags, FsOpenFlags, MountAttrFlags, MountFlags, MoveMountFlags, UnmountFlags,
};

fn c_path(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
}

fn c_str(s: &str) -> io::Result<CString> {
    CString::new(s)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "string contains a NUL byte"))
}

/// A failed step of an overlay mount, with the messages the kernel logged on
/// the filesystem context (the new API reports "overlay: ..." details there).
#[derive(Debug)]
pub struct MountError {
    pub step: &'static str,
    pub source: io::Error,
    pub kernel_log: String,
}

impl MountError {
    /// The errno, to decide whether to fall back to another mount method.
    pub fn errno(&self) -> Option<i32> {
        self.source.raw_os_error()
    }
}

impl fmt::Display for MountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.step, self.source)?;
        if !self.kernel_log.is_empty() {
            write!(f, " ({})", self.kernel_log)?;
        }
        Ok(())
    }
}

impl std::error::Error for MountError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn step_err(step: &'static str, source: io::Error) -> MountError {
    MountError {
        step,
        source,
        kernel_log: String::new(),
    }
}

/// Drain the kernel's message log of an fs context (each read returns one
/// message; EOF/ENODATA when empty).
fn drain_log(fs: &File) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    let mut f = fs;
    for _ in 0..32 {
        match f.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.push(String::from_utf8_lossy(&buf[..n]).trim_end().to_string()),
        }
    }
    out.join("; ")
}

fn fsconfig_string(fs: &File, key: &str, value: &Path) -> Result<(), MountError> {
    fsconfig_set_string(fs, key, value).map_err(|e| MountError {
        step: if key == "lowerdir+" {
            "fsconfig lowerdir+"
        } else {
            "fsconfig"
        },
        source: e.into(),
        kernel_log: drain_log(fs),
    })
}

/// Mount overlayfs at `target` with the new mount API. `lowers` is top-most
/// first, as in the `lowerdir=` option; each is passed with its own
/// `lowerdir+` so the total length is unbounded.
pub fn mount_overlay_fsapi(
    lowers: &[PathBuf],
    upper: &Path,
    work: &Path,
    volatile: bool,
    target: &Path,
) -> Result<(), MountError> {
    let fs = File::from(
        fsopen("overlay", FsOpenFlags::FSOPEN_CLOEXEC)
            .map_err(|e| step_err("fsopen overlay", e.into()))?,
    );
    for l in lowers {
        fsconfig_string(&fs, "lowerdir+", l)?;
    }
    fsconfig_string(&fs, "upperdir", upper)?;
    fsconfig_string(&fs, "workdir", work)?;
    if volatile {
        fsconfig_set_flag(&fs, "volatile").map_err(|e| MountError {
            step: "fsconfig volatile",
            source: e.into(),
            kernel_log: drain_log(&fs),
        })?;
    }
    fsconfig_create(&fs).map_err(|e| MountError {
        step: "fsconfig create",
        source: e.into(),
        kernel_log: drain_log(&fs),
    })?;
    let mnt =
        fsmount(&fs, FsMountFlags::FSMOUNT_CLOEXEC, MountAttrFlags::empty()).map_err(|e| {
            MountError {
                step: "fsmount",
                source: e.into(),
                kernel_log: drain_log(&fs),
            }
        })?;
    move_mount(
        &mnt,
        "",
        CWD,
        target,
        MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH,
    )
    .map_err(|e| step_err("move_mount", e.into()))
}

/// Classic `mount(2)` of overlayfs with an option string (which the kernel
/// truncates at one page, so callers keep it short).
pub fn mount_overlay_legacy(options: &str, target: &Path) -> Result<(), MountError> {
    let data = c_str(options).map_err(|e| step_err("mount", e))?;
    rustix::mount::mount(
        "overlay",
        target,
        "overlay",
        MountFlags::empty(),
        data.as_c_str(),
    )
    .map_err(|e| step_err("mount overlay", e.into()))
}

/// Like [`mount_overlay_legacy`], but issued by a short-lived child *process*
/// whose working directory is `cwd`, so relative layer paths in `options`
/// resolve against it (changing the cwd of this multi-threaded process would
/// race other threads). `target` should be absolute.
pub fn mount_overlay_legacy_in(cwd: &Path, options: &str, target: &Path) -> Result<(), MountError> {
    let cwd_c = c_path(cwd).map_err(|e| step_err("mount", e))?;
    let src = c_str("overlay").map_err(|e| step_err("mount", e))?;
    let t = c_path(target).map_err(|e| step_err("mount", e))?;
    let data = c_str(options).map_err(|e| step_err("mount", e))?;
    let mut cmd = std::process::Command::new("/proc/self/exe");
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: the closure runs in the forked child before exec and only makes
    // async-signal-safe system calls (chdir, mount, _exit) on buffers built
    // before the fork; it never allocates. On success it exits without exec,
    // which the parent sees as a normal exit with status 0; on failure the
    // returned errno is reported to the parent as the spawn error.
    unsafe {
        cmd.pre_exec(move || {
            if libc::chdir(cwd_c.as_ptr()) != 0 {
                return Err(io::Error::last_os_error());
            }
            if libc::mount(
                src.as_ptr(),
                t.as_ptr(),
                src.as_ptr(),
                0,
                data.as_ptr().cast(),
            ) != 0
            {
                return Err(io::Error::last_os_error());
            }
            libc::_exit(0);
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| step_err("mount overlay (child)", e))?;
    let status = child
        .wait()
        .map_err(|e| step_err("mount overlay (child)", e))?;
    if !status.success() {
        return Err(step_err(
            "mount overlay (child)",
            io::Error::other(format!("mount helper exited with {status}")),
        ));
    }
    Ok(())
}

/// A tmpfs at `target` with `nosuid,nodev,noexec` and these options
/// (`mode=1777,size=N`): a shareable container's `/dev/shm`, which other
/// containers bind (moby's `setupIPCDirs`).
pub fn mount_tmpfs(target: &Path, options: &str) -> io::Result<()> {
    use rustix::mount::MountFlags;
    let data = std::ffi::CString::new(options).map_err(io::Error::other)?;
    rustix::mount::mount(
        "shm",
        target,
        "tmpfs",
        MountFlags::NOSUID | MountFlags::NODEV | MountFlags::NOEXEC,
        data.as_c_str(),
    )
    .map_err(io::Error::from)
}

/// `umount2(2)` with `MNT_DETACH` (lazy, like Docker's overlay2 `Put`). A
/// target that is not a mount point is not an error.
pub fn unmount(target: &Path) -> io::Result<()> {
    loop {
        match rustix::mount::unmount(target, UnmountFlags::DETACH) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::INTR) => continue,
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOENT) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether `path` (absolute, canonical) is a mount point of this mount
/// namespace: `statx`'s `STATX_ATTR_MOUNT_ROOT` (Linux 5.8+, one call),
/// else `/proc/self/mountinfo`, whose reading grows with every mount on
/// the host (each running container adds a few).
pub fn is_mount_point(path: &Path) -> io::Result<bool> {
    use rustix::fs::{AtFlags, StatxAttributes, StatxFlags, CWD};
    match rustix::fs::statx(
        CWD,
        path,
        AtFlags::NO_AUTOMOUNT | AtFlags::SYMLINK_NOFOLLOW,
        StatxFlags::empty(),
    ) {
        Ok(st) if st.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT) => {
            return Ok(st.stx_attributes.contains(StatxAttributes::MOUNT_ROOT));
        }
        Ok(_) | Err(rustix::io::Errno::NOSYS) => {}
        Err(e) => return Err(e.into()),
    }
    is_mount_point_per_mountinfo(path)
}

fn is_mount_point_per_mountinfo(path: &Path) -> io::Result<bool> {
    let info = std::fs::read_to_string("/proc/self/mountinfo")?;
    let want = path.as_os_str().as_bytes();
    Ok(info.lines().any(|line| {
        line.split(' ')
            .nth(4)
            .map(|mp| unescape_mountinfo(mp) == want)
            .unwrap_or(false)
    }))
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape_mountinfo(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Whether `path` (or its nearest existing ancestor) lives on overlayfs.
pub fn is_on_overlayfs(path: &Path) -> std::io::Result<bool> {
    const OVERLAYFS_SUPER_MAGIC: i64 = 0x794c_7630;
    let mut p = path;
    while !p.exists() {
        match p.parent() {
            Some(parent) => p = parent,
            None => break,
        }
    }
    let st = rustix::fs::statfs(p)?;
    #[allow(clippy::unnecessary_cast)]
    Ok(st.f_type as i64 == OVERLAYFS_SUPER_MAGIC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_points_by_statx_and_by_mountinfo_agree() {
        for p in ["/", "/proc", "/sys", "/usr", "/etc", "/tmp"] {
            let p = Path::new(p);
            if !p.exists() {
                continue;
            }
            assert_eq!(
                is_mount_point(p).unwrap(),
                is_mount_point_per_mountinfo(p).unwrap(),
                "{}",
                p.display()
            );
        }
        assert!(is_mount_point(Path::new("/proc")).unwrap());
    }

    #[test]
    fn mountinfo_unescape() {
        assert_eq!(unescape_mountinfo(r"/a\040b"), b"/a b");
        assert_eq!(unescape_mountinfo("/plain"), b"/plain");
        assert!(is_mount_point(Path::new("/")).unwrap());
    }
}
