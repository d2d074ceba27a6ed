//! Mount destinations (and the working directory) resolved inside the
//! container, before the runtime sees them. Owns the walk that turns each `config.json` mount destination into a
//! path with no symlink in it, creating what is missing on the way, confined
//! to the container's root filesystem (or to the mount that covers the path
//! at that point of the mount sequence: a volume, a bind source). It never
//! mounts anything and never follows a path outside the filesystem it is in:
//! every lookup is an `openat2(2)` with `RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS`
//! of an already verified prefix, then an `lstat`/`readlink` of one component
//! that this walk interprets itself, as if the root were `/`.
//!
//! Why: the runtime resolves destinations too, but runc before 1.1.14 (Debian
//! 12 ships 1.1.5) also joins some of them lexically with the rootfs path
//! (`/dev/fd`, `/dev/ptmx`, ... under `/dev`), so an image whose `/dev` is a
//! symlink to a host path made runc write on the host. Docker keeps the same
//! destinations safe with its init layer, which replaces whatever the image
//! has at `/proc`, `/sys`, `/dev/...` and `/etc/{hosts,hostname,resolv.conf}`
//! by a real directory or file. berth does the same:
//!
//! - [`Policy::Replace`] (Docker's own destinations, whoever mounts on them):
//!   a component of the image's root filesystem that is a symlink, or not a
//!   directory where one is needed, is removed and replaced by a directory
//!   (or an empty file for the last component of a file mount). This changes
//!   the container's own writable layer only, never an image layer.
//! - [`Policy::Follow`] (the user's `-v`/`--mount`/`--tmpfs`, image `VOLUME`s,
//!   the `--init` binary): symlinks are followed as the runtime's
//!   `securejoin` does, inside the root, and missing directories (or the
//!   final file of a file bind) are created in-root with mode 0755.
//!
//! A path below a mount of any other type (`proc`, `sysfs`, `tmpfs`,
//! `devpts`, `mqueue`, `cgroup`: a new filesystem) is left to the runtime, which creates it in
//! that new, empty filesystem; a path below a bind mount is resolved inside
//! the bind's source. What cannot be made safe (a loop of symlinks, a
//! non-directory in the middle of a user destination) is refused with the
//! destination and the reason.
//!
//! What is left to the runtime: the window between this walk and its own
//! mount, in which another container sharing a volume can swap a directory
//! for a symlink (CVE-2024-45310); only a runtime that mounts through file
//! descriptors closes it (see `runtime::known_escapes`).

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

use oci_spec::runtime::Mount;

use crate::sys::fs as sysfs;

/// Linux's limit on symlinks followed in one lookup (`MAXSYMLINKS`).
const MAX_LINKS: u32 = 40;

/// The destinations whose content Docker provides itself: a symlink or a
/// non-directory the image has on their path is replaced, never followed.
const OWN_DESTINATIONS: [&str; 10] = [
    "/proc",
    "/dev",
    "/dev/pts",
    "/dev/shm",
    "/dev/mqueue",
    "/sys",
    "/sys/fs/cgroup",
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
];

#[derive(Debug, thiserror::Error)]
pub enum DestinationError {
    // The io::Error is part of the message, not a `source`: printed once.
    #[error("opening the container's root filesystem {}: {err}", path.display())]
    Root { path: PathBuf, err: io::Error },
    #[error("mount destination {dest}: {reason}")]
    Unsafe { dest: String, reason: String },
    #[error("mount destination {dest}: {op} {}: {err}", at.display())]
    Io {
        dest: String,
        op: &'static str,
        at: PathBuf,
        err: io::Error,
    },
}

/// How symlinks met on a destination's way through the image are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    Follow,
    Replace,
}

/// What the last component of a destination must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
}

/// What a path below a mount point resolves in.
enum Covered {
    /// A directory: the bind's source, opened `O_PATH`.
    Dir(File),
    /// A new filesystem, or a file bind: left to the runtime.
    Opaque,
}

/// The container's mount namespace as the runtime will build it, one mount
/// at a time, over the root filesystem.
struct Namespace {
    rootfs: File,
    /// Resolved destinations (components) in mount order.
    mounts: Vec<(Vec<OsString>, Covered)>,
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

fn join(comps: &[OsString]) -> PathBuf {
    let mut p = PathBuf::from("/");
    for c in comps {
        p.push(c);
    }
    p
}

/// The components of `p` as a queue to walk (`.` dropped, `..` kept).
fn components(p: &Path) -> Vec<OsString> {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_os_string()),
            Component::ParentDir => Some(OsString::from("..")),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect()
}

impl Namespace {
    /// Start from the (mounted) root filesystem at `rootfs`.
    fn new(rootfs: &Path) -> Result<Namespace, DestinationError> {
        let root = sysfs::open_root(rootfs).map_err(|err| DestinationError::Root {
            path: rootfs.to_path_buf(),
            err,
        })?;
        Ok(Namespace {
            rootfs: root,
            mounts: Vec::new(),
        })
    }

    /// Record a mount at the resolved destination `dest`: a bind of `source`
    /// when `bind_source` is given, else a fresh filesystem.
    fn add_mount(&mut self, dest: &Path, bind_source: Option<&Path>) {
        let covered = match bind_source {
            Some(src) => match sysfs::openat2(sysfs::CWD, src, libc::O_PATH, 0, 0) {
                Ok(f)
                    if sysfs::fstat(&f)
                        .is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFDIR) =>
                {
                    Covered::Dir(f)
                }
                // A file bind has nothing below it; a missing source is the
                // runtime's error to report.
                _ => Covered::Opaque,
            },
            None => Covered::Opaque,
        };
        self.mounts.push((components(dest), covered));
    }

    /// Which filesystem holds `path` (resolved components): the last mount
    /// whose destination is a prefix of it (a later mount hides an earlier
    /// one), else the root filesystem. Returns the directory to resolve in
    /// (None: opaque), the rest of the path inside it, and whether it is the
    /// image's root filesystem.
    fn locate<'a>(&self, path: &'a [OsString]) -> (Option<&File>, &'a [OsString], bool) {
        for (dest, covered) in self.mounts.iter().rev() {
            if path.len() >= dest.len() && path[..dest.len()] == dest[..] {
                let rest = &path[dest.len()..];
                return match covered {
                    Covered::Dir(f) => (Some(f), rest, false),
                    Covered::Opaque => (None, rest, false),
                };
            }
        }
        (Some(&self.rootfs), path, true)
    }

    /// Resolve `dest` (absolute) as the runtime will see it at this point of
    /// the mount sequence, making its missing (or, with `Replace`, unsafe)
    /// components real. Returns the resolved absolute destination, free of
    /// symlinks up to where a fresh filesystem begins.
    fn resolve(&self, dest: &str, kind: Kind, policy: Policy) -> Result<PathBuf, DestinationError> {
        let unsafe_ = |reason: &str| DestinationError::Unsafe {
            dest: dest.to_string(),
            reason: reason.to_string(),
        };
        let mut pending: Vec<OsString> = components(Path::new(dest));
        pending.reverse(); // a stack: next component last
        let mut resolved: Vec<OsString> = Vec::new();
        let mut links = 0;
        while let Some(c) = pending.pop() {
            if c == ".." {
                resolved.pop();
                continue;
            }
            let (base, rel, in_image) = self.locate(&resolved);
            let Some(base) = base else {
                // A fresh filesystem: the runtime creates the rest there.
                resolved.push(c);
                while let Some(c) = pending.pop() {
                    if c == ".." {
                        resolved.pop();
                    } else {
                        resolved.push(c);
                    }
                }
                break;
            };
            let parent_rel = if rel.is_empty() {
                PathBuf::from(".")
            } else {
                rel.iter().collect()
            };
            let io_err = |op: &'static str, at: &Path, err: io::Error| DestinationError::Io {
                dest: dest.to_string(),
                op,
                at: at.to_path_buf(),
                err,
            };
            let parent = sysfs::openat2(
                base,
                &parent_rel,
                libc::O_PATH | libc::O_DIRECTORY,
                0,
                sysfs::RESOLVE_IN_ROOT | sysfs::RESOLVE_NO_SYMLINKS | sysfs::RESOLVE_NO_MAGICLINKS,
            )
            .map_err(|e| io_err("opening", &join(&resolved), e))?;
            let last = pending.is_empty();
            let want_dir = !last || kind == Kind::Dir;
            let name = Path::new(&c);
            let here = join(&resolved).join(&c);
            match sysfs::lstatat(&parent, name) {
                Ok(st) => {
                    let fmt = st.st_mode & libc::S_IFMT;
                    let replace = policy == Policy::Replace && in_image;
                    if fmt == libc::S_IFLNK && !replace {
                        links += 1;
                        if links > MAX_LINKS {
                            return Err(unsafe_("too many levels of symbolic links"));
                        }
                        let target = sysfs::readlinkat(&parent, name)
                            .map_err(|e| io_err("reading link", &here, e))?;
                        if target.is_absolute() {
                            resolved.clear();
                        }
                        let mut t = components(&target);
                        t.reverse();
                        pending.extend(t);
                        continue;
                    }
                    let ok = match fmt {
                        libc::S_IFDIR => true,
                        libc::S_IFLNK => false,
                        _ => !want_dir,
                    };
                    if !ok {
                        if !replace {
                            return Err(unsafe_(&format!(
                                "{} exists and is not a directory",
                                here.display()
                            )));
                        }
                        sysfs::unlinkat(&parent, name, 0)
                            .map_err(|e| io_err("replacing", &here, e))?;
                        self.create(&parent, name, want_dir)
                            .map_err(|e| io_err("creating", &here, e))?;
                    }
                }
                Err(e) if errno(&e) == libc::ENOENT => {
                    match self.create(&parent, name, want_dir) {
                        Ok(()) => {}
                        // Created meanwhile (by another start): look again.
                        Err(e) if errno(&e) == libc::EEXIST => {
                            pending.push(c);
                            continue;
                        }
                        Err(e) => return Err(io_err("creating", &here, e)),
                    }
                }
                Err(e) => return Err(io_err("looking up", &here, e)),
            }
            resolved.push(c);
        }
        if resolved.is_empty() {
            return Err(unsafe_("resolves to the container's root directory"));
        }
        Ok(join(&resolved))
    }

    /// Create `name` in `parent`: a directory, or an empty file, mode 0755
    /// (what the runtime would create).
    fn create(&self, parent: &File, name: &Path, dir: bool) -> io::Result<()> {
        if dir {
            sysfs::mkdirat(parent, name, 0o755)
        } else {
            sysfs::openat(
                parent,
                name,
                libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_WRONLY,
                0o755,
            )
            .map(drop)
        }
    }
}

/// Prepare a container's spec for the runtime in its (mounted) root
/// filesystem: every mount destination resolved and made real
/// ([`confine_mounts_in`]), the directories of device nodes resolved, then
/// the working directory created where it is
/// missing, in-root and through the mounts, as Docker's
/// `SetupWorkingDirectory` does (the runtime would otherwise fail on a
/// working directory reached through an absolute symlink). The spec's `cwd`
/// stays as given: the runtime changes to it inside the container.
pub fn confine(rootfs: &Path, spec: &mut oci_spec::runtime::Spec) -> Result<(), DestinationError> {
    let mut ns = Namespace::new(rootfs)?;
    if let Some(mounts) = spec.mounts_mut() {
        confine_mounts_in(&mut ns, mounts)?;
    }
    // Device nodes: their directory resolved the same way (the node itself
    // is the runtime's to make), so the runtime gets a path without symlinks.
    let devices = spec
        .linux_mut()
        .as_mut()
        .and_then(|l| l.devices_mut().as_mut());
    for d in devices.into_iter().flatten() {
        let path = d.path().clone();
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            continue;
        };
        if parent != Path::new("/") {
            let dir = ns.resolve(&parent.to_string_lossy(), Kind::Dir, Policy::Follow)?;
            d.set_path(dir.join(name));
        }
    }
    if let Some(cwd) = spec.process().as_ref().map(|p| p.cwd().clone()) {
        let cwd = cwd.to_string_lossy();
        if cwd != "/" {
            ns.resolve(&cwd, Kind::Dir, Policy::Follow)?;
        }
    }
    Ok(())
}

/// [`confine_mounts_in`] in a namespace of its own.
#[cfg(test)]
fn confine_mounts(rootfs: &Path, mounts: &mut [Mount]) -> Result<(), DestinationError> {
    confine_mounts_in(&mut Namespace::new(rootfs)?, mounts)
}

/// Resolve the destination of every mount, in mount order, and write the
/// resolved destinations back: the runtime then mounts on paths without
/// symlinks. Docker's own destinations are made real directories and files
/// ([`Policy::Replace`]); the others follow the image's symlinks inside the
/// root.
fn confine_mounts_in(ns: &mut Namespace, mounts: &mut [Mount]) -> Result<(), DestinationError> {
    for m in mounts.iter_mut() {
        let dest = m.destination().to_string_lossy().into_owned();
        let is_bind = m.typ().as_deref() == Some("bind")
            || m.options()
                .as_ref()
                .is_some_and(|o| o.iter().any(|x| x == "bind" || x == "rbind"));
        let source = m.source().clone();
        let kind = match &source {
            Some(src) if is_bind => match std::fs::metadata(src) {
                Ok(md) if !md.is_dir() => Kind::File,
                _ => Kind::Dir,
            },
            _ => Kind::Dir,
        };
        let policy = if OWN_DESTINATIONS.contains(&dest.as_str()) {
            Policy::Replace
        } else {
            Policy::Follow
        };
        let resolved = ns.resolve(&dest, kind, policy)?;
        let bind_source = if is_bind { source.as_deref() } else { None };
        ns.add_mount(&resolved, bind_source);
        m.set_destination(resolved);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A root filesystem and, beside it, a "host" directory that must stay empty.
    struct Fx {
        _d: tempfile::TempDir,
        root: PathBuf,
        host: PathBuf,
    }

    fn fx() -> Fx {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        let host = d.path().join("host");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::create_dir_all(&host).unwrap();
        Fx { _d: d, root, host }
    }

    fn host_is_empty(f: &Fx) {
        let left: Vec<_> = std::fs::read_dir(&f.host).unwrap().flatten().collect();
        assert!(left.is_empty(), "written on the host: {left:?}");
    }

    fn bind(src: &Path, dest: &str) -> Mount {
        let mut m = Mount::default();
        m.set_destination(dest.into())
            .set_typ(Some("bind".into()))
            .set_source(Some(src.to_path_buf()))
            .set_options(Some(vec!["rbind".into()]));
        m
    }

    fn fresh(dest: &str, typ: &str) -> Mount {
        let mut m = Mount::default();
        m.set_destination(dest.into())
            .set_typ(Some(typ.into()))
            .set_source(Some(typ.into()));
        m
    }

    fn dests(ms: &[Mount]) -> Vec<String> {
        ms.iter()
            .map(|m| m.destination().display().to_string())
            .collect()
    }

    #[test]
    fn own_destinations_replace_symlinks_out_of_the_root() {
        let f = fx();
        symlink(&f.host, f.root.join("dev")).unwrap();
        let rel = format!("{}{}", "../".repeat(12), f.host.display());
        symlink(&rel, f.root.join("proc")).unwrap();
        symlink(f.host.join("hosts"), f.root.join("etc/hosts")).unwrap();
        symlink("/nowhere", f.root.join("sys")).unwrap();
        let file = f.root.join("etc/passwd");
        std::fs::write(&file, "x").unwrap();
        let mut ms = vec![
            fresh("/proc", "proc"),
            fresh("/dev", "tmpfs"),
            fresh("/dev/pts", "devpts"),
            fresh("/sys", "sysfs"),
            fresh("/sys/fs/cgroup", "cgroup"),
            bind(&file, "/etc/hosts"),
        ];
        confine_mounts(&f.root, &mut ms).unwrap();
        assert_eq!(
            dests(&ms),
            [
                "/proc",
                "/dev",
                "/dev/pts",
                "/sys",
                "/sys/fs/cgroup",
                "/etc/hosts"
            ]
        );
        for d in ["proc", "dev", "sys"] {
            let md = std::fs::symlink_metadata(f.root.join(d)).unwrap();
            assert!(md.is_dir(), "{d} replaced by a directory");
        }
        assert!(std::fs::symlink_metadata(f.root.join("etc/hosts"))
            .unwrap()
            .is_file());
        host_is_empty(&f);
        // Below a fresh filesystem nothing is created by berth.
        assert!(!f.root.join("dev/pts").exists());
        assert!(!f.root.join("sys/fs").exists());
    }

    #[test]
    fn own_file_destination_under_a_symlinked_etc_is_replaced() {
        let f = fx();
        std::fs::remove_dir(f.root.join("etc")).unwrap();
        symlink(&f.host, f.root.join("etc")).unwrap();
        let src = f.root.parent().unwrap().join("hosts-src");
        std::fs::write(&src, "127.0.0.1 localhost\n").unwrap();
        let mut ms = vec![bind(&src, "/etc/hosts")];
        confine_mounts(&f.root, &mut ms).unwrap();
        assert!(std::fs::symlink_metadata(f.root.join("etc"))
            .unwrap()
            .is_dir());
        assert!(f.root.join("etc/hosts").is_file());
        host_is_empty(&f);
    }

    #[test]
    fn user_destinations_follow_symlinks_inside_the_root() {
        let f = fx();
        let src = tempfile::tempdir().unwrap();
        symlink(&f.host, f.root.join("abs")).unwrap();
        symlink("../../../..", f.root.join("up")).unwrap();
        std::fs::create_dir(f.root.join("data")).unwrap();
        symlink("data", f.root.join("link")).unwrap();
        let mut ms = vec![
            bind(src.path(), "/abs/x"),
            bind(src.path(), "/up/etc/y"),
            bind(src.path(), "/link/z"),
            fresh("/tmpdir/a/b", "tmpfs"),
        ];
        confine_mounts(&f.root, &mut ms).unwrap();
        let host = f.host.display().to_string();
        assert_eq!(
            dests(&ms),
            [
                format!("{host}/x"),
                "/etc/y".into(),
                "/data/z".into(),
                "/tmpdir/a/b".into()
            ]
        );
        assert!(f.root.join(host.trim_start_matches('/')).join("x").is_dir());
        assert!(f.root.join("etc/y").is_dir());
        assert!(f.root.join("data/z").is_dir());
        assert!(f.root.join("tmpdir/a/b").is_dir());
        host_is_empty(&f);
    }

    #[test]
    fn a_file_bind_gets_a_file_destination() {
        let f = fx();
        let src = f.root.parent().unwrap().join("one-file");
        std::fs::write(&src, "x").unwrap();
        let mut ms = vec![bind(&src, "/opt/conf/app.conf")];
        confine_mounts(&f.root, &mut ms).unwrap();
        assert!(f.root.join("opt/conf/app.conf").is_file());
    }

    #[test]
    fn nested_destinations_resolve_in_the_covering_mount() {
        let f = fx();
        // A volume whose content is hostile: its symlinks lead, as in the
        // container, to the container's root, never to the host.
        let vol = tempfile::tempdir().unwrap();
        std::fs::create_dir(vol.path().join("inner")).unwrap();
        symlink("inner", vol.path().join("d")).unwrap();
        symlink(&f.host, vol.path().join("e")).unwrap();
        symlink("../../..", vol.path().join("up")).unwrap();
        let src = tempfile::tempdir().unwrap();
        let mut ms = vec![
            bind(vol.path(), "/v"),
            bind(src.path(), "/v/d/mnt"),
            bind(src.path(), "/v/e/mnt"),
            bind(src.path(), "/v/up/mnt"),
            fresh("/run", "tmpfs"),
            bind(src.path(), "/run/x/y"),
        ];
        confine_mounts(&f.root, &mut ms).unwrap();
        let host = f.host.display().to_string();
        assert_eq!(
            dests(&ms),
            [
                "/v".to_string(),
                "/v/inner/mnt".into(),
                format!("{host}/mnt"),
                "/mnt".into(),
                "/run".into(),
                "/run/x/y".into()
            ]
        );
        assert!(vol.path().join("inner/mnt").is_dir());
        assert!(f
            .root
            .join(host.trim_start_matches('/'))
            .join("mnt")
            .is_dir());
        assert!(f.root.join("mnt").is_dir());
        assert!(!f.root.join("v/d").exists());
        assert!(!f.root.join("run/x").exists());
        host_is_empty(&f);
    }

    #[test]
    fn a_missing_working_directory_is_made_in_root() {
        let f = fx();
        symlink(&f.host, f.root.join("work")).unwrap();
        let vol = tempfile::tempdir().unwrap();
        let mut spec = oci_spec::runtime::Spec::default();
        let mut process = oci_spec::runtime::Process::default();
        process.set_cwd("/work/a/b".into());
        spec.set_process(Some(process.clone()))
            .set_mounts(Some(vec![bind(vol.path(), "/data")]));
        confine(&f.root, &mut spec).unwrap();
        let host = f.host.display().to_string();
        assert!(f
            .root
            .join(host.trim_start_matches('/'))
            .join("a/b")
            .is_dir());
        assert_eq!(
            spec.process().as_ref().unwrap().cwd(),
            Path::new("/work/a/b"),
            "the runtime follows the symlink itself"
        );
        // A device's directory resolves the same way; /dev is the runtime's.
        let dev = |p: &str| {
            let mut d = oci_spec::runtime::LinuxDevice::default();
            d.set_path(p.into());
            d
        };
        let mut linux = oci_spec::runtime::Linux::default();
        linux.set_devices(Some(vec![dev("/work/d/null"), dev("/dev/fuse")]));
        spec.set_linux(Some(linux));
        spec.set_mounts(Some(vec![
            bind(vol.path(), "/data"),
            fresh("/dev", "tmpfs"),
        ]));
        confine(&f.root, &mut spec).unwrap();
        let paths: Vec<_> = spec
            .linux()
            .as_ref()
            .unwrap()
            .devices()
            .as_ref()
            .unwrap()
            .iter()
            .map(|d| d.path().display().to_string())
            .collect();
        assert_eq!(paths, [format!("{host}/d/null"), "/dev/fuse".into()]);
        assert!(f.root.join(host.trim_start_matches('/')).join("d").is_dir());
        // Inside a volume, in the volume.
        process.set_cwd("/data/sub".into());
        spec.set_process(Some(process));
        confine(&f.root, &mut spec).unwrap();
        assert!(vol.path().join("sub").is_dir());
        assert!(!f.root.join("data/sub").exists());
        host_is_empty(&f);
    }

    #[test]
    fn refuses_loops_and_files_in_the_way() {
        let f = fx();
        let src = tempfile::tempdir().unwrap();
        symlink("b", f.root.join("a")).unwrap();
        symlink("a", f.root.join("b")).unwrap();
        std::fs::write(f.root.join("file"), "x").unwrap();
        let e = confine_mounts(&f.root, &mut [bind(src.path(), "/a/x")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "mount destination /a/x: too many levels of symbolic links"
        );
        let e = confine_mounts(&f.root, &mut [bind(src.path(), "/file/x")]).unwrap_err();
        assert!(
            e.to_string()
                .contains("/file exists and is not a directory"),
            "{e}"
        );
        symlink("/", f.root.join("toroot")).unwrap();
        let e = confine_mounts(&f.root, &mut [bind(src.path(), "/toroot")]).unwrap_err();
        assert!(e.to_string().contains("root directory"), "{e}");
    }
}
