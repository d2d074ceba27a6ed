//! The container runtime layer: generation of the OCI runtime spec
//! (`config.json`) with Docker's defaults — capabilities, seccomp, masked and
//! read-only paths, default mounts and device rules — from the image config
//! and `run` flags, resolution of users inside the image, and the driver for
//! the OCI runtime binary (`runc` by default, `crun` or any compatible binary
//! selectable) behind the [`runc::OciRuntime`] trait.
//!
//! This module never prints, never touches the metadata store and never
//! executes anything from an image on the host: image files (`/etc/passwd`,
//! `/etc/group`) are read through `openat2(RESOLVE_IN_ROOT)`.

pub mod advisory;
pub mod caps;
pub mod destination;
pub mod devices;
pub mod limits;
pub mod runc;
pub mod seccomp;
pub mod spec;
pub mod user;

/// Where the OCI runtime keeps its state (its `--root`) under berth's
/// state root.
pub fn runtime_root(state_root: &std::path::Path) -> std::path::PathBuf {
    state_root.join("runtime")
}

/// Remove a container's cgroup directories (`cgroups_path` under every
/// mounted hierarchy). Returns false when one is still busy (processes or
/// child cgroups left), in which case the rest may remain too.
pub fn remove_cgroups(cgroups_path: &str) -> bool {
    let rel = cgroups_path.trim_start_matches('/');
    if rel.is_empty() || rel.contains("..") {
        return false;
    }
    let mut dirs = vec![std::path::PathBuf::from("/sys/fs/cgroup").join(rel)];
    if let Ok(rd) = std::fs::read_dir("/sys/fs/cgroup") {
        for e in rd.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(e.path().join(rel));
            }
        }
    }
    let mut all = true;
    // No stat first: a hierarchy the container had no cgroup in answers
    // ENOENT, a file there ENOTDIR.
    for d in &dirs {
        match std::fs::remove_dir(d) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => {}
            Err(_) => all = false,
        }
    }
    all
}

/// Remove what the OCI runtime keeps for a container whose processes are
/// all gone (its init exited, which in a private PID namespace takes every
/// other process with it): the cgroup directories berth asked for and the
/// runtime's state directory `<runtime_root>/<id>`. This is what
/// `runc delete` does for a stopped container, without starting a runtime
/// process (7 ms of every `run --rm` here). Returns false, having left the
/// runtime's state in place, when a cgroup is still busy: the caller then
/// runs `delete`.
pub fn remove_stopped_state(
    runtime_root: &std::path::Path,
    id: &str,
    cgroups_path: &str,
) -> std::io::Result<bool> {
    if !remove_cgroups(cgroups_path) {
        return Ok(false);
    }
    let state = runtime_root.join(id);
    match std::fs::remove_dir_all(&state) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}
