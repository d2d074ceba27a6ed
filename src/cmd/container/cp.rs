//! `berth cp [-L] [-q] SRC DEST`: copy between a container and the host,
//! either way; `-` instead of the host path is a tar stream on stdout (out
//! of the container) or stdin (into a container directory). Path rules and
//! confinement are `container::copy`'s.
//!
//! Which filesystem a container path names:
//! - running (or paused) containers are reached through the init process's
//!   root, `/proc/<pid>/root`, so the copy sees exactly what the container
//!   sees, volumes, binds and tmpfs mounts included. The root is opened
//!   first and the runtime is asked afterwards whether that pid is still the
//!   container's init, so a recycled pid can never hand over the host's root;
//! - stopped and created containers are reached through their snapshot,
//!   mounted for the copy if it is not mounted (and unmounted after), under
//!   the container's lock so `start` and `rm` wait. Only the container's own
//!   filesystem is there: volumes and binds are mounted by the runtime when
//!   the container runs, so paths inside them are not reachable while it is
//!   stopped (docker mounts them for the copy; berth does not).
//!
//! Copying into a stopped `--read-only` container is refused like docker's
//! "container rootfs is marked read-only"; a running one fails with the
//! kernel's EROFS outside its writable mounts. After a copy to or from a
//! terminal user, docker's `Successfully copied <size> to <dest>` goes to
//! stderr unless `-q`.

use crate::cli::container::CpArgs;
use crate::cmd::context::Context;
use crate::container::copy::{self, CopyError, Kind, Root, TarSink, Walker, WriteSink};
use crate::container::lifecycle::{self, Host};
use crate::runtime::runc;
use crate::snapshot::{ContainerSnapshot, Driver, Snapshotter};
use crate::store::Store;
use anyhow::{anyhow, bail, Context as _, Result};
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// One side of a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Endpoint {
    Local(String),
    Container { name: String, path: String },
}

impl Endpoint {
    /// docker's `splitCpArg`: an absolute path, a name without `:`, or one
    /// starting with `.` is local; otherwise `CONTAINER:PATH`.
    fn parse(arg: &str) -> Endpoint {
        if arg.starts_with('/') {
            return Endpoint::Local(arg.to_string());
        }
        match arg.split_once(':') {
            Some((c, p)) if !c.starts_with('.') => Endpoint::Container {
                name: c.to_string(),
                path: p.to_string(),
            },
            _ => Endpoint::Local(arg.to_string()),
        }
    }
}

/// A container path as an absolute one (docker: relative to `/`).
fn container_path(p: &str) -> String {
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

/// A copy out to `-` writes its tar stream to `out`.
pub fn run(ctx: &Context, args: CpArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    let (src, dst) = (Endpoint::parse(&args.source), Endpoint::parse(&args.dest));
    let (host, mut store) = ctx.container_store()?;
    let (bytes, shown) = match (src, dst) {
        (Endpoint::Container { .. }, Endpoint::Container { .. }) => {
            bail!("copying between containers is not supported")
        }
        (Endpoint::Local(_), Endpoint::Local(_)) => {
            bail!("must specify at least one container source")
        }
        (Endpoint::Container { name, path }, Endpoint::Local(to)) => {
            let n = copy_out(
                &host,
                &mut store,
                &name,
                (&container_path(&path), &to),
                &args,
                out,
            )?;
            (n, to)
        }
        (Endpoint::Local(from), Endpoint::Container { name, path }) => {
            let n = copy_in(
                &host,
                &mut store,
                &from,
                &name,
                &container_path(&path),
                &args,
            )?;
            (n, args.dest.clone())
        }
    };
    if !args.quiet && shown != "-" && std::io::stderr().is_terminal() {
        eprintln!(
            "Successfully copied {} to {shown}",
            crate::format::units::human_size(bytes)
        );
    }
    Ok(0)
}

/// A container's root filesystem, held open for one copy.
struct Access {
    root: Root,
    skip_devs: HashSet<u64>,
    running: bool,
    /// Our mount of a stopped container's snapshot, undone on drop.
    mounted: Option<(Snapshotter, ContainerSnapshot)>,
    _lock: Option<lifecycle::ContainerLock>,
}

impl Drop for Access {
    fn drop(&mut self) {
        if let Some((snaps, snap)) = self.mounted.take() {
            let _ = snaps.unmount(&snap);
        }
    }
}

fn open_container(host: &Host, store: &mut Store, name: &str) -> Result<Access> {
    let c = lifecycle::find(store, name)?;
    let lock = host.lock(&c.row.id)?;
    let mut c = lifecycle::find(store, &c.row.id)?;
    lifecycle::refresh(host, store, &mut c)?;
    let cfg = &c.spec;
    if c.row.status.is_live() && c.row.pid > 0 {
        drop(lock);
        let pid = c.row.pid as i32;
        let proc_root = PathBuf::from(format!("/proc/{pid}/root"));
        let root = Root::open(&proc_root)
            .with_context(|| format!("container {} is not running", c.row.id))?;
        let mountinfo = std::fs::read_to_string(format!("/proc/{pid}/mountinfo"))
            .with_context(|| format!("container {} is not running", c.row.id))?;
        // Only now check the pid is still the container's init: had it been
        // recycled, the root we hold would be another process's.
        let st = host.runtime(&cfg.runtime)?.state(&c.row.id)?;
        if st.pid != pid || !matches!(st.status, runc::Status::Running | runc::Status::Paused) {
            bail!("container {} is not running any more", c.row.id);
        }
        return Ok(Access {
            root,
            skip_devs: copy::pseudo_fs_devs(&mountinfo),
            running: true,
            mounted: None,
            _lock: None,
        });
    }
    let snaps = host.snapshots();
    let snap = snaps
        .container(&c.row.id)
        .with_context(|| format!("container {} has no root filesystem", c.row.id))?;
    let mounted = if snap.driver == Driver::Overlay
        && !crate::sys::mount::is_mount_point(&snap.rootfs)
            .with_context(|| format!("reading mounts for {}", snap.rootfs.display()))?
    {
        snaps
            .mount(&snap)
            .context("mounting the container's root filesystem")?;
        Some((snaps, snap.clone()))
    } else {
        None
    };
    let access = Access {
        root: Root::open(&snap.rootfs).map_err(|e| anyhow!(e))?,
        skip_devs: HashSet::new(),
        running: false,
        mounted,
        _lock: Some(lock),
    };
    Ok(access)
}

fn host_kind(p: &str) -> Kind {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => Kind::Dir,
        Ok(_) => Kind::File,
        Err(_) => Kind::Missing,
    }
}

/// Whether `path` exists in the container (`-L`: its link followed),
/// seen as a copy would see it; compose's dry-run cp only checks this.
pub fn exists_in(ctx: &Context, container: &str, path: &str, follow: bool) -> Result<bool> {
    let (host, mut store) = ctx.container_store()?;
    let access = open_container(&host, &mut store, container)?;
    let walker = Walker::new(&access.root, access.skip_devs.clone());
    Ok(walker.is_dir(&container_path(path), follow)?.is_some())
}

fn copy_out(
    host: &Host,
    store: &mut Store,
    name: &str,
    (src, dst): (&str, &str),
    args: &CpArgs,
    out: &mut dyn std::io::Write,
) -> Result<u64> {
    let access = open_container(host, store, name)?;
    let mut walker = Walker::new(&access.root, access.skip_devs.clone());
    let is_dir = walker
        .is_dir(src, args.follow_link)?
        .ok_or_else(|| CopyError::NotFoundInContainer(src.to_string(), name.to_string()))?;
    if dst == "-" {
        if !is_dir && src.ends_with('/') {
            return Err(CopyError::NotADirectory(src.to_string()).into());
        }
        let base = Path::new(src)
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut sink = TarSink::new(out);
        walker.walk(src, args.follow_link, &base, &mut sink)?;
        return Ok(walker.bytes);
    }
    let plan = copy::plan(src, is_dir, dst, host_kind(dst))?;
    if host_kind(&plan.dir.to_string_lossy()) != Kind::Dir {
        bail!(
            "destination directory {} does not exist",
            plan.dir.display()
        );
    }
    let dest_root = Root::open(&plan.dir)?;
    let mut sink = WriteSink::new(&dest_root, Path::new(""), crate::sys::fs::effective_ids())?;
    walker.walk(src, args.follow_link, &plan.name, &mut sink)?;
    Ok(sink.bytes)
}

fn copy_in(
    host: &Host,
    store: &mut Store,
    src: &str,
    name: &str,
    dst: &str,
    args: &CpArgs,
) -> Result<u64> {
    let access = open_container(host, store, name)?;
    let c = lifecycle::find(store, name)?;
    if !access.running && c.spec.read_only {
        bail!("container rootfs is marked read-only");
    }
    if src == "-" {
        if access.root.kind(dst)? != Kind::Dir {
            bail!("destination \"{dst}\" must be a directory");
        }
        let mut sink = WriteSink::new(&access.root, Path::new(dst), (0, 0))?;
        copy::from_tar(std::io::stdin().lock(), &mut sink)?;
        return Ok(sink.bytes);
    }
    // Host paths resolve from the host's `/` (as the user's shell would).
    let abs = if src.starts_with('/') {
        src.to_string()
    } else {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        format!("{}/{src}", cwd.display())
    };
    let host_root = Root::open(Path::new("/"))?;
    let mut walker = Walker::new(&host_root, HashSet::new());
    let is_dir = walker
        .is_dir(&abs, args.follow_link)?
        .ok_or_else(|| anyhow!("stat {src}: no such file or directory"))?;
    let plan = copy::plan(src, is_dir, dst, access.root.kind(dst)?)?;
    let dir = plan.dir.to_string_lossy().into_owned();
    if access.root.kind(&dir)? != Kind::Dir {
        return Err(CopyError::NotFoundInContainer(dir, name.to_string()).into());
    }
    let mut sink = WriteSink::new(&access.root, &plan.dir, (0, 0))?;
    walker.walk(&abs, args.follow_link, &plan.name, &mut sink)?;
    Ok(sink.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_argument_split() {
        let c = |n: &str, p: &str| Endpoint::Container {
            name: n.into(),
            path: p.into(),
        };
        assert_eq!(Endpoint::parse("web:/etc"), c("web", "/etc"));
        assert_eq!(Endpoint::parse("web:etc"), c("web", "etc"));
        assert_eq!(Endpoint::parse("/abs:x"), Endpoint::Local("/abs:x".into()));
        assert_eq!(Endpoint::parse("./a:b"), Endpoint::Local("./a:b".into()));
        assert_eq!(Endpoint::parse("-"), Endpoint::Local("-".into()));
        assert_eq!(Endpoint::parse("file"), Endpoint::Local("file".into()));
        assert_eq!(container_path("etc/x"), "/etc/x");
    }
}
