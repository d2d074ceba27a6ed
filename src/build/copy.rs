//! COPY and ADD file semantics, confined to the context and to the stage.
//!
//! Sources are read inside the context root (or another stage's rootfs for
//! `COPY --from`): a source path is resolved with `openat2(RESOLVE_IN_ROOT)`
//! (so a symlink among the sources is followed only as if the context were
//! `/`), and below it the tree is walked one `openat(O_NOFOLLOW)` at a time,
//! copying symlinks as symlinks. Everything is written through the layer
//! extractor's confined [`RootWriter`] on the stage's rootfs, so nothing
//! lands outside `dest_root` whatever the stage's own symlinks say.
//!
//! Rules, as the Dockerfile reference and the builders apply them:
//! - sources are relative to the context (a leading `/` too); `..` that
//!   leaves it is refused ("Forbidden path outside the build context"),
//!   except for `--from` sources, which are cleaned inside the stage;
//! - sources may be globs (Go `filepath.Match`); paths excluded by
//!   `.dockerignore` are invisible; a missing source or a glob matching
//!   nothing is an error with the classic builder's wording;
//! - a directory's *contents* are copied, not the directory itself;
//! - the destination is a directory when it ends in `/` (or is `.`), or
//!   already is one; several sources need a directory destination ending in
//!   `/`; a relative destination is taken from WORKDIR; missing parents are
//!   created (0755, owned by the `--chown` owner when there is one, as
//!   BuildKit's copy makes them, else by root);
//! - files keep their mode and mtime; owners are 0:0 for the context and
//!   kept for `--from`, unless `--chown` (names looked up in the stage's
//!   `/etc/passwd` and `/etc/group`, a user alone meaning the same number as
//!   group, as docker documents); `--chmod` (octal) applies to every entry;
//! - ADD unpacks a local tar archive (plain, gzip, bzip2, xz, zstd: told by
//!   its content, like docker) into the destination directory, with the same
//!   confined writer, keeping the archive's owners unless `--chown`;
//! - device nodes and sockets are not copied, hard links become separate
//!   files.
//! - URL sources of ADD are not handled here: the executor downloads them
//!   with `fetch::download` and writes them with `fetch::add_download`.
//!
//! [`content_key`] hashes what a copy would write (paths, types, modes,
//! owners, link targets, contents; not mtimes) for the build cache. Contents
//! are streamed, and only the data segments of sparse files are read.

// Called by the build executor (`berth build`), which lands separately.
#![allow(dead_code)]

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::context::{decompressed, is_archive, ContextError};
use super::ignore::{go_clean, has_meta, path_match, Ignore, IgnoreError};
use crate::runtime::user::{lookup_id, UserError};
use crate::snapshot::unpack::{self, clean_path, EntryMeta, RootWriter, UnpackError};
use crate::sys::fs as sysfs;

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("{cmd} failed: file not found in build context or excluded by .dockerignore: stat {src}: file does not exist")]
    NotFound { cmd: &'static str, src: String },
    #[error("{cmd} failed: no source files were specified")]
    NoSources { cmd: &'static str },
    #[error("When using {cmd} with more than one source file, the destination must be a directory and end with a /")]
    MultiSourceDest { cmd: &'static str },
    #[error("Forbidden path outside the build context: {src} ({cleaned})")]
    Outside { src: String, cleaned: String },
    #[error("source can't be a URL for COPY")]
    UrlForCopy,
    #[error("unable to convert uid/gid chown string to host mapping: {0}")]
    Chown(String),
    #[error("invalid chmod parameter: '{0}'. it should be octal string and between 0 and 07777")]
    Chmod(String),
    #[error("{cmd} failed: {}: {source}", .path.display())]
    Io {
        cmd: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("{0}")]
    Pattern(#[from] IgnoreError),
    #[error(transparent)]
    Write(#[from] UnpackError),
    #[error(transparent)]
    User(#[from] UserError),
    #[error(transparent)]
    Archive(#[from] ContextError),
}

/// How a COPY or ADD copies.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// `--chown=user[:group]` (names or ids).
    pub chown: Option<String>,
    /// `--chmod=` (octal).
    pub chmod: Option<String>,
    /// ADD: unpack local tar archives.
    pub extract_archives: bool,
    /// `COPY --from`: the sources are another stage or image (owners kept,
    /// `..` cleaned inside it, no `.dockerignore`).
    pub from_stage: bool,
}

impl CopyOptions {
    fn cmd(&self) -> &'static str {
        if self.extract_archives {
            "ADD"
        } else {
            "COPY"
        }
    }

    fn mode(&self) -> Result<Option<u32>, CopyError> {
        match &self.chmod {
            None => Ok(None),
            Some(s) => match u32::from_str_radix(s, 8) {
                Ok(m) if m <= 0o7777 && !s.is_empty() => Ok(Some(m)),
                _ => Err(CopyError::Chmod(s.clone())),
            },
        }
    }
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

/// `--chown` resolved against the stage's `/etc/passwd` and `/etc/group`.
pub fn resolve_chown(dest_root: &Path, spec: &str) -> Result<(u32, u32), CopyError> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let numeric = |s: &str| -> Option<u32> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let uid = match numeric(user) {
        Some(n) => n,
        None => lookup_id(dest_root, "/etc/passwd", user)?.ok_or_else(|| {
            CopyError::Chown(format!(
                "can't find uid for user {user}: no such user: {user}"
            ))
        })?,
    };
    let gid = match group {
        None | Some("") => uid,
        Some(g) => match numeric(g) {
            Some(n) => n,
            None => lookup_id(dest_root, "/etc/group", g)?.ok_or_else(|| {
                CopyError::Chown(format!("can't find gid for group {g}: no such group: {g}"))
            })?,
        },
    };
    Ok((uid, gid))
}

/// The source tree: a context (with its ignore rules) or a stage's rootfs.
struct Source<'a> {
    root: File,
    ignore: &'a Ignore,
    cmd: &'static str,
}

/// A source after glob expansion: its path relative to the source root.
#[derive(Debug, Clone)]
struct Matched {
    rel: String,
}

impl<'a> Source<'a> {
    fn open(root: &Path, ignore: &'a Ignore, cmd: &'static str) -> Result<Source<'a>, CopyError> {
        let root = sysfs::open_root(root).map_err(|source| CopyError::Io {
            cmd,
            path: root.to_path_buf(),
            source,
        })?;
        Ok(Source { root, ignore, cmd })
    }

    fn io(&self, p: &Path) -> impl FnOnce(io::Error) -> CopyError + '_ {
        let path = p.to_path_buf();
        move |source| CopyError::Io {
            cmd: self.cmd,
            path,
            source,
        }
    }

    /// `rel` resolved inside the root, a final symlink followed (in root).
    fn open_follow(&self, rel: &str) -> io::Result<File> {
        if rel.is_empty() {
            return sysfs::openat(&self.root, Path::new("."), libc::O_PATH, 0);
        }
        sysfs::open_in_root_fd(&self.root, Path::new(rel), libc::O_PATH)
    }

    /// Whether `rel` is hidden by `.dockerignore`; an excluded directory
    /// that may hold re-included files is still visible (as docker sends
    /// the re-included files, and their directories with them).
    fn hidden(&self, rel: &str, is_dir: bool) -> bool {
        self.ignore.matches(rel) && !(is_dir && self.ignore.may_reinclude(rel))
    }

    fn list(&self, dir: &File, p: &Path) -> Result<Vec<OsString>, CopyError> {
        let d = sysfs::openat(dir, Path::new("."), libc::O_RDONLY | libc::O_DIRECTORY, 0)
            .map_err(self.io(p))?;
        let proc = PathBuf::from(format!("/proc/self/fd/{}", d.as_raw_fd()));
        let mut names: Vec<OsString> = std::fs::read_dir(proc)
            .map_err(self.io(p))?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<io::Result<_>>()
            .map_err(self.io(p))?;
        names.sort();
        Ok(names)
    }

    /// Expand one source (cleaned, relative) into the paths it names.
    fn expand(&self, src: &str, rel: &str) -> Result<Vec<Matched>, CopyError> {
        if !has_meta(rel) {
            let st = match self.open_follow(rel) {
                Ok(f) => Some(sysfs::fstat(&f).map_err(self.io(Path::new(rel)))?),
                Err(e) if matches!(errno(&e), libc::ENOENT | libc::ENOTDIR | libc::ELOOP) => None,
                Err(e) => return Err(self.io(Path::new(rel))(e)),
            };
            let visible = st.is_some_and(|st| {
                rel.is_empty() || !self.hidden(rel, st.st_mode & libc::S_IFMT == libc::S_IFDIR)
            });
            if !visible {
                return Err(CopyError::NotFound {
                    cmd: self.cmd,
                    src: src.to_string(),
                });
            }
            return Ok(vec![Matched { rel: rel.into() }]);
        }
        // Walk the pattern one component at a time.
        path_match(rel, "")?; // syntax check
        let mut cur: Vec<String> = vec![String::new()];
        let comps: Vec<&str> = rel.split('/').collect();
        for comp in &comps {
            let mut next = Vec::new();
            for base in &cur {
                let join = |n: &str| {
                    if base.is_empty() {
                        n.to_string()
                    } else {
                        format!("{base}/{n}")
                    }
                };
                if !has_meta(comp) {
                    next.push(join(comp));
                    continue;
                }
                let dir = match self.open_follow(base) {
                    Ok(f) => f,
                    Err(_) => continue,
                };
                if sysfs::fstat(&dir)
                    .map_err(self.io(Path::new(base)))?
                    .st_mode
                    & libc::S_IFMT
                    != libc::S_IFDIR
                {
                    continue;
                }
                for name in self.list(&dir, Path::new(base))? {
                    let name = name.to_string_lossy().into_owned();
                    if path_match(comp, &name)? {
                        next.push(join(&name));
                    }
                }
            }
            cur = next;
        }
        let mut out = Vec::new();
        for p in cur {
            let Ok(f) = self.open_follow(&p) else {
                continue;
            };
            let st = sysfs::fstat(&f).map_err(self.io(Path::new(&p)))?;
            if !self.hidden(&p, st.st_mode & libc::S_IFMT == libc::S_IFDIR) {
                out.push(Matched { rel: p });
            }
        }
        Ok(out)
    }

    /// Visit `top` (an `O_PATH` descriptor at source path `rel`) and, for a
    /// directory, everything below it in name order, never following a
    /// symlink below the top. `sub` is the path below the top ("" for it).
    fn visit(
        &self,
        top: &File,
        rel: &str,
        sub: &Path,
        include_self: bool,
        f: &mut dyn FnMut(&Path, &File, &libc::stat) -> Result<(), CopyError>,
    ) -> Result<(), CopyError> {
        let st = sysfs::fstat(top).map_err(self.io(Path::new(rel)))?;
        if include_self {
            f(sub, top, &st)?;
        }
        if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
            return Ok(());
        }
        for name in self.list(top, Path::new(rel))? {
            let child_rel = if rel.is_empty() {
                name.to_string_lossy().into_owned()
            } else {
                format!("{rel}/{}", name.to_string_lossy())
            };
            let child =
                match sysfs::openat(top, Path::new(&name), libc::O_PATH | libc::O_NOFOLLOW, 0) {
                    Ok(c) => c,
                    Err(e) if errno(&e) == libc::ENOENT => continue,
                    Err(e) => return Err(self.io(Path::new(&child_rel))(e)),
                };
            let cst = sysfs::fstat(&child).map_err(self.io(Path::new(&child_rel)))?;
            let is_dir = cst.st_mode & libc::S_IFMT == libc::S_IFDIR;
            let mut show = true;
            if self.ignore.matches(&child_rel) {
                if !(is_dir && self.ignore.may_reinclude(&child_rel)) {
                    continue;
                }
                show = false; // walked for its re-included files only
            }
            self.visit(&child, &child_rel, &sub.join(&name), show, f)?;
        }
        Ok(())
    }
}

/// Reopen an `O_PATH` descriptor of a regular file for reading.
fn reopen(fd: &File) -> io::Result<File> {
    let proc = PathBuf::from(format!("/proc/self/fd/{}", fd.as_raw_fd()));
    sysfs::openat2(sysfs::CWD, &proc, libc::O_RDONLY | libc::O_CLOEXEC, 0, 0)
}

/// The sources, cleaned and checked: `(as written, relative to the root)`.
fn clean_sources(
    sources: &[String],
    opts: &CopyOptions,
) -> Result<Vec<(String, String)>, CopyError> {
    let mut out = Vec::new();
    for s in sources {
        if s.starts_with("http://") || s.starts_with("https://") {
            if !opts.extract_archives {
                return Err(CopyError::UrlForCopy);
            }
            return Err(CopyError::Io {
                cmd: "ADD",
                path: PathBuf::from(s),
                source: io::Error::other("ADD from a URL is not supported by berth build yet"),
            });
        }
        let cleaned = go_clean(s);
        let rel = if opts.from_stage {
            clean_path(Path::new(&cleaned))
                .to_string_lossy()
                .into_owned()
        } else {
            if cleaned == ".." || cleaned.starts_with("../") {
                return Err(CopyError::Outside {
                    src: s.clone(),
                    cleaned,
                });
            }
            cleaned.trim_start_matches('/').to_string()
        };
        let rel = if rel == "." { String::new() } else { rel };
        out.push((s.clone(), rel));
    }
    Ok(out)
}

/// Copy `sources` from `ctx_root` (filtered by `ignore`) to `dest` in the
/// stage rootfs `dest_root`, a relative `dest` being taken from `workdir`.
pub fn copy(
    ctx_root: &Path,
    ignore: &Ignore,
    sources: &[String],
    dest_root: &Path,
    dest: &str,
    workdir: &str,
    opts: &CopyOptions,
) -> Result<(), CopyError> {
    let cmd = opts.cmd();
    let mode = opts.mode()?;
    let owner = match &opts.chown {
        Some(spec) => Some(resolve_chown(dest_root, spec)?),
        None => None,
    };
    let none = Ignore::empty();
    let src = Source::open(ctx_root, if opts.from_stage { &none } else { ignore }, cmd)?;
    let cleaned = clean_sources(sources, opts)?;

    let dest_is_dir = dest.is_empty() || dest == "." || dest.ends_with('/') || dest.ends_with("/.");
    if cleaned.len() > 1 && !dest_is_dir {
        return Err(CopyError::MultiSourceDest { cmd });
    }
    let mut matched = Vec::new();
    for (orig, rel) in &cleaned {
        let m = src.expand(orig, rel)?;
        matched.extend(m);
    }
    if matched.is_empty() {
        return Err(CopyError::NoSources { cmd });
    }
    let full_dest = if dest.starts_with('/') {
        dest.to_string()
    } else {
        format!("{}/{dest}", if workdir.is_empty() { "/" } else { workdir })
    };
    let dest_rel = clean_path(Path::new(&full_dest));
    let dest_is_dir = dest_is_dir || matched.len() > 1;

    let root_fd = sysfs::open_root(dest_root).map_err(|source| CopyError::Io {
        cmd,
        path: dest_root.to_path_buf(),
        source,
    })?;
    let is_dir_in_dest = |rel: &Path| -> bool {
        if rel.as_os_str().is_empty() {
            return true;
        }
        sysfs::open_in_root_fd(&root_fd, rel, libc::O_PATH | libc::O_DIRECTORY).is_ok()
    };
    let mut w = RootWriter::open(dest_root)?;
    let now = now();
    let ids = |st: &libc::stat| -> (u32, u32) {
        owner.unwrap_or(if opts.from_stage {
            (st.st_uid, st.st_gid)
        } else {
            (0, 0)
        })
    };

    // Directories the copy creates above what it writes get the --chown
    // owner too (BuildKit's MkdirAll with the copy's chowner); without
    // --chown they are root's, 0755, made by the writer.
    let missing = |rel: &Path| -> bool {
        !rel.as_os_str().is_empty()
            && matches!(
                sysfs::open_in_root_fd(&root_fd, rel, libc::O_PATH | libc::O_NOFOLLOW),
                Err(e) if e.raw_os_error() == Some(libc::ENOENT)
            )
    };
    let make_parents = |w: &mut RootWriter, dir: &Path| -> Result<(), CopyError> {
        let Some((uid, gid)) = owner else {
            return Ok(());
        };
        let mut todo = Vec::new();
        let mut p = dir.to_path_buf();
        while missing(&p) {
            todo.push(p.clone());
            p = p.parent().map(Path::to_path_buf).unwrap_or_default();
        }
        for d in todo.into_iter().rev() {
            w.dir(&EntryMeta {
                path: d,
                mode: 0o755,
                uid,
                gid,
                mtime: now,
                xattrs: Vec::new(),
            })?;
        }
        Ok(())
    };
    make_parents(&mut w, dest_rel.parent().unwrap_or(Path::new("")))?;

    for m in &matched {
        let top = src.open_follow(&m.rel).map_err(src.io(Path::new(&m.rel)))?;
        let st = sysfs::fstat(&top).map_err(src.io(Path::new(&m.rel)))?;
        let kind = st.st_mode & libc::S_IFMT;
        if kind == libc::S_IFDIR {
            // The directory's contents go into dest.
            if !is_dir_in_dest(&dest_rel) {
                let (uid, gid) = ids(&st);
                w.dir(&EntryMeta {
                    path: dest_rel.clone(),
                    mode: mode.unwrap_or(st.st_mode & 0o7777),
                    uid,
                    gid,
                    mtime: (st.st_mtime, st.st_mtime_nsec as u32),
                    xattrs: Vec::new(),
                })?;
            }
            src.visit(&top, &m.rel, Path::new(""), false, &mut |sub, fd, st| {
                write_entry(&mut w, &dest_rel.join(sub), fd, st, mode, ids(st), cmd)
            })?;
            continue;
        }
        if opts.extract_archives && kind == libc::S_IFREG && is_tar_archive(&top) {
            let mut f = reopen(&top).map_err(src.io(Path::new(&m.rel)))?;
            let mut head = Vec::with_capacity(512);
            (&mut f)
                .take(512)
                .read_to_end(&mut head)
                .map_err(src.io(Path::new(&m.rel)))?;
            if !is_dir_in_dest(&dest_rel) {
                let (uid, gid) = owner.unwrap_or((0, 0));
                w.dir(&EntryMeta {
                    path: dest_rel.clone(),
                    mode: 0o755,
                    uid,
                    gid,
                    mtime: now,
                    xattrs: Vec::new(),
                })?;
            }
            w.finish()?;
            let d = sysfs::open_in_root_fd(&root_fd, &dest_rel, libc::O_PATH | libc::O_DIRECTORY)
                .map_err(|source| CopyError::Io {
                cmd,
                path: dest_rel.clone(),
                source,
            })?;
            let reader = decompressed(head, Box::new(f))?;
            let at = PathBuf::from(format!("/proc/self/fd/{}", d.as_raw_fd()));
            unpack::unpack_plain_tar(reader, &at, owner)?;
            w = RootWriter::open(dest_root)?;
            continue;
        }
        let name = Path::new(&m.rel)
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default();
        let target = if dest_is_dir || is_dir_in_dest(&dest_rel) {
            dest_rel.join(name)
        } else {
            dest_rel.clone()
        };
        make_parents(&mut w, target.parent().unwrap_or(Path::new("")))?;
        write_entry(&mut w, &target, &top, &st, mode, ids(&st), cmd)?;
    }
    w.finish()?;
    Ok(())
}

/// Whether the file is a tar archive once decompressed (moby's
/// `isArchivePath`): a `.gz` that is not a tar is copied as it is.
fn is_tar_archive(fd: &File) -> bool {
    let check = || -> Result<bool, CopyError> {
        let mut f = reopen(fd).map_err(|source| CopyError::Io {
            cmd: "ADD",
            path: PathBuf::new(),
            source,
        })?;
        let mut head = Vec::with_capacity(512);
        let _ = (&mut f).take(512).read_to_end(&mut head);
        if !is_archive(&head) {
            return Ok(false);
        }
        let mut r = decompressed(head, Box::new(f))?;
        let mut plain = Vec::with_capacity(512);
        let _ = (&mut r).take(512).read_to_end(&mut plain);
        if plain.len() < 512 {
            return Ok(false);
        }
        let mut ar = tar::Archive::new(&plain[..]);
        let ok = matches!(ar.entries().map(|mut e| e.next()), Ok(Some(Ok(_))));
        Ok(ok)
    };
    check().unwrap_or(false)
}

fn now() -> (i64, u32) {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (d.as_secs() as i64, d.subsec_nanos())
}

/// Write one walked entry at `path` (relative to the stage root).
fn write_entry(
    w: &mut RootWriter,
    path: &Path,
    fd: &File,
    st: &libc::stat,
    mode: Option<u32>,
    (uid, gid): (u32, u32),
    cmd: &'static str,
) -> Result<(), CopyError> {
    let meta = EntryMeta {
        path: path.to_path_buf(),
        mode: mode.unwrap_or(st.st_mode & 0o7777),
        uid,
        gid,
        mtime: (st.st_mtime, st.st_mtime_nsec as u32),
        xattrs: Vec::new(),
    };
    let io = |source| CopyError::Io {
        cmd,
        path: path.to_path_buf(),
        source,
    };
    match st.st_mode & libc::S_IFMT {
        libc::S_IFDIR => w.dir(&meta)?,
        libc::S_IFREG => {
            let mut f = reopen(fd).map_err(io)?;
            w.file(&meta, &mut f)?;
        }
        libc::S_IFLNK => {
            let target = sysfs::readlinkat(fd, Path::new("")).map_err(io)?;
            w.symlink(&meta, &target)?;
        }
        libc::S_IFIFO => w.fifo(&meta)?,
        _ => {} // devices and sockets are not copied
    }
    Ok(())
}

/// A digest of what [`copy`] would write from these sources: relative
/// paths, types, modes and owners as written (the `--chown` spec itself
/// when given), link targets and contents, not mtimes. Stable across
/// rebuilds of an unchanged context; any changed byte changes it.
pub fn content_key(
    ctx_root: &Path,
    ignore: &Ignore,
    sources: &[String],
    opts: &CopyOptions,
) -> Result<String, CopyError> {
    let cmd = opts.cmd();
    let mode = opts.mode()?;
    let none = Ignore::empty();
    let src = Source::open(ctx_root, if opts.from_stage { &none } else { ignore }, cmd)?;
    let mut h = Sha256::new();
    let field = |h: &mut Sha256, b: &[u8]| {
        h.update((b.len() as u64).to_le_bytes());
        h.update(b);
    };
    field(&mut h, b"berth-copy-v1");
    field(&mut h, opts.chown.as_deref().unwrap_or("").as_bytes());
    field(
        &mut h,
        &[
            opts.chown.is_some() as u8,
            opts.extract_archives as u8,
            opts.from_stage as u8,
        ],
    );
    field(&mut h, &mode.map_or(u64::MAX, u64::from).to_le_bytes());
    let mut buf = vec![0u8; 1 << 20];
    for (orig, rel) in clean_sources(sources, opts)? {
        field(&mut h, orig.as_bytes());
        for m in src.expand(&orig, &rel)? {
            field(&mut h, m.rel.as_bytes());
            let top = src.open_follow(&m.rel).map_err(src.io(Path::new(&m.rel)))?;
            src.visit(&top, &m.rel, Path::new(""), true, &mut |sub, fd, st| {
                field(&mut h, sub.as_os_str().as_bytes());
                let fmt = st.st_mode & libc::S_IFMT;
                h.update(fmt.to_le_bytes());
                h.update(mode.unwrap_or(st.st_mode & 0o7777).to_le_bytes());
                let ids = match (&opts.chown, opts.from_stage) {
                    (Some(_), _) => (0, 0),
                    (None, true) => (st.st_uid, st.st_gid),
                    (None, false) => (0, 0),
                };
                h.update(ids.0.to_le_bytes());
                h.update(ids.1.to_le_bytes());
                let io = |source| CopyError::Io {
                    cmd,
                    path: PathBuf::from(&m.rel).join(sub),
                    source,
                };
                match fmt {
                    libc::S_IFLNK => {
                        let t = sysfs::readlinkat(fd, Path::new("")).map_err(io)?;
                        field(&mut h, t.as_os_str().as_bytes());
                    }
                    libc::S_IFREG => {
                        let f = reopen(fd).map_err(io)?;
                        hash_contents(&mut h, f, &mut buf).map_err(io)?;
                    }
                    _ => {}
                }
                Ok(())
            })?;
        }
    }
    Ok(format!("sha256:{}", hex::encode(h.finalize())))
}

/// Feed a file's data segments (offset, length, bytes) into `h`, skipping
/// holes with `SEEK_DATA`/`SEEK_HOLE` where the filesystem has them.
fn hash_contents(h: &mut Sha256, mut f: File, buf: &mut [u8]) -> io::Result<()> {
    use rustix::fs::{seek, SeekFrom};
    let mut off = 0u64;
    loop {
        let data = match seek(&f, SeekFrom::Data(off)) {
            Ok(d) => d,
            Err(rustix::io::Errno::NXIO) => break, // no data after off
            Err(rustix::io::Errno::INVAL) if off == 0 => 0, // no SEEK_DATA: read it all
            Err(e) => return Err(e.into()),
        };
        let end = seek(&f, SeekFrom::Hole(data)).unwrap_or(u64::MAX);
        seek(&f, SeekFrom::Start(data))?;
        h.update(b"seg");
        h.update(data.to_le_bytes());
        let mut pos = data;
        while pos < end {
            let want = buf.len().min((end - pos).min(usize::MAX as u64) as usize);
            let n = match f.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            h.update(&buf[..n]);
            pos += n as u64;
        }
        h.update(b"end");
        h.update(pos.to_le_bytes());
        if pos < end {
            break; // end of file
        }
        off = pos;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::unpack::tests::{file as tfile, tar_of};
    use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};

    struct Env {
        _t: tempfile::TempDir,
        ctx: PathBuf,
        dst: PathBuf,
        host: PathBuf,
    }

    fn env() -> Env {
        let t = tempfile::tempdir().unwrap();
        let ctx = t.path().join("ctx");
        let dst = t.path().join("rootfs");
        let host = t.path().join("host");
        for d in [&ctx, &dst, &host] {
            std::fs::create_dir(d).unwrap();
        }
        Env {
            ctx,
            dst,
            host,
            _t: t,
        }
    }

    fn put(root: &Path, rel: &str, data: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn cp(
        e: &Env,
        ig: &Ignore,
        srcs: &[&str],
        dest: &str,
        opts: &CopyOptions,
    ) -> Result<(), CopyError> {
        copy(&e.ctx, ig, &s(srcs), &e.dst, dest, "/work", opts)
    }

    fn read(p: PathBuf) -> String {
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    #[test]
    fn directory_contents_are_copied_with_mode_and_mtime() {
        let e = env();
        put(&e.ctx, "src/a.txt", "a");
        put(&e.ctx, "src/sub/b.txt", "b");
        std::fs::set_permissions(
            e.ctx.join("src/a.txt"),
            std::fs::Permissions::from_mode(0o751),
        )
        .unwrap();
        let mtime = std::fs::metadata(e.ctx.join("src/a.txt")).unwrap().mtime();
        cp(
            &e,
            &Ignore::empty(),
            &["src"],
            "/app",
            &CopyOptions::default(),
        )
        .unwrap();
        assert_eq!(read(e.dst.join("app/a.txt")), "a");
        assert_eq!(read(e.dst.join("app/sub/b.txt")), "b");
        assert!(!e.dst.join("app/src").exists());
        let m = std::fs::metadata(e.dst.join("app/a.txt")).unwrap();
        assert_eq!(m.mode() & 0o7777, 0o751);
        assert_eq!(m.mtime(), mtime);
        assert_eq!((m.uid(), m.gid()), (0, 0));
    }

    #[test]
    fn file_destinations_follow_docker() {
        let e = env();
        put(&e.ctx, "f", "x");
        put(&e.ctx, "g", "y");
        cp(
            &e,
            &Ignore::empty(),
            &["f"],
            "/renamed",
            &CopyOptions::default(),
        )
        .unwrap();
        assert_eq!(read(e.dst.join("renamed")), "x");
        cp(
            &e,
            &Ignore::empty(),
            &["f"],
            "/dir/",
            &CopyOptions::default(),
        )
        .unwrap();
        assert_eq!(read(e.dst.join("dir/f")), "x");
        // An existing directory takes the file inside.
        cp(
            &e,
            &Ignore::empty(),
            &["g"],
            "/dir",
            &CopyOptions::default(),
        )
        .unwrap();
        assert_eq!(read(e.dst.join("dir/g")), "y");
        // Relative to WORKDIR; `.` is a directory.
        cp(&e, &Ignore::empty(), &["f"], "rel", &CopyOptions::default()).unwrap();
        assert_eq!(read(e.dst.join("work/rel")), "x");
        cp(&e, &Ignore::empty(), &["g"], ".", &CopyOptions::default()).unwrap();
        assert_eq!(read(e.dst.join("work/g")), "y");
        let err = cp(
            &e,
            &Ignore::empty(),
            &["f", "g"],
            "/x",
            &CopyOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "When using COPY with more than one source file, the destination must be a directory and end with a /"
        );
        cp(
            &e,
            &Ignore::empty(),
            &["f", "g"],
            "/both/",
            &CopyOptions::default(),
        )
        .unwrap();
        assert_eq!(read(e.dst.join("both/g")), "y");
    }

    #[test]
    fn globs_missing_sources_and_ignored_files() {
        let e = env();
        put(&e.ctx, "a.txt", "a");
        put(&e.ctx, "b.txt", "b");
        put(&e.ctx, "c.md", "c");
        put(&e.ctx, "secret.txt", "s");
        let ig = Ignore::new(&["secret.txt"]).unwrap();
        cp(&e, &ig, &["*.txt"], "/g", &CopyOptions::default()).unwrap();
        assert_eq!(read(e.dst.join("g/a.txt")), "a");
        assert_eq!(read(e.dst.join("g/b.txt")), "b");
        assert!(!e.dst.join("g/c.md").exists());
        assert!(!e.dst.join("g/secret.txt").exists());
        let err = cp(&e, &ig, &["*.nope"], "/g/", &CopyOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "COPY failed: no source files were specified"
        );
        let err = cp(&e, &ig, &["missing"], "/g/", &CopyOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist"
        );
        let err = cp(&e, &ig, &["secret.txt"], "/g/", &CopyOptions::default()).unwrap_err();
        assert!(matches!(err, CopyError::NotFound { .. }), "{err}");
    }

    #[test]
    fn dockerignore_exceptions_inside_an_excluded_directory() {
        let e = env();
        put(&e.ctx, "build/keep/k", "k");
        put(&e.ctx, "build/drop", "d");
        put(&e.ctx, "top", "t");
        let ig = Ignore::new(&["build", "!build/keep"]).unwrap();
        cp(&e, &ig, &["."], "/all", &CopyOptions::default()).unwrap();
        assert_eq!(read(e.dst.join("all/build/keep/k")), "k");
        assert!(!e.dst.join("all/build/drop").exists());
        assert_eq!(read(e.dst.join("all/top")), "t");
        // The key sees the same set: an ignored file's change does not count.
        let k1 = content_key(&e.ctx, &ig, &s(&["."]), &CopyOptions::default()).unwrap();
        put(&e.ctx, "build/drop", "changed");
        let k2 = content_key(&e.ctx, &ig, &s(&["."]), &CopyOptions::default()).unwrap();
        assert_eq!(k1, k2);
        put(&e.ctx, "build/keep/k", "changed");
        let k3 = content_key(&e.ctx, &ig, &s(&["."]), &CopyOptions::default()).unwrap();
        assert_ne!(k1, k3);
    }

    #[test]
    fn hostile_context_symlinks_and_parent_paths() {
        let e = env();
        put(&e.host, "secret", "host secret");
        symlink(&e.host, e.ctx.join("hostlink")).unwrap();
        symlink("/etc", e.ctx.join("etc")).unwrap();
        symlink("../../../..", e.ctx.join("up")).unwrap();
        put(&e.ctx, "ok", "ok");
        // Followed only inside the context: nothing there.
        let err = cp(
            &e,
            &Ignore::empty(),
            &["hostlink/secret"],
            "/x",
            &CopyOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(err, CopyError::NotFound { .. }), "{err}");
        let err = cp(
            &e,
            &Ignore::empty(),
            &["etc/passwd"],
            "/x",
            &CopyOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(err, CopyError::NotFound { .. }), "{err}");
        let err = cp(
            &e,
            &Ignore::empty(),
            &["../x"],
            "/x",
            &CopyOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Forbidden path outside the build context: ../x (../x)"
        );
        // `up` resolves to the context root itself: its contents.
        cp(
            &e,
            &Ignore::empty(),
            &["up"],
            "/viaup/",
            &CopyOptions::default(),
        )
        .unwrap();
        assert_eq!(read(e.dst.join("viaup/ok")), "ok");
        // A whole-context copy keeps the links as links.
        cp(&e, &Ignore::empty(), &["."], "/c/", &CopyOptions::default()).unwrap();
        for l in ["hostlink", "etc", "up"] {
            assert!(std::fs::symlink_metadata(e.dst.join("c").join(l))
                .unwrap()
                .file_type()
                .is_symlink());
        }
        assert_eq!(
            std::fs::read_link(e.dst.join("c/etc")).unwrap(),
            Path::new("/etc")
        );
        // A stage whose /out points at the host: the write stays in the rootfs.
        symlink(&e.host, e.dst.join("out")).unwrap();
        cp(
            &e,
            &Ignore::empty(),
            &["ok"],
            "/out/",
            &CopyOptions::default(),
        )
        .unwrap();
        assert_eq!(std::fs::read_dir(&e.host).unwrap().count(), 1);
        let inside = e.dst.join(e.host.strip_prefix("/").unwrap()).join("ok");
        assert_eq!(read(inside), "ok");
    }

    #[test]
    fn chown_and_chmod() {
        let e = env();
        put(&e.ctx, "d/f", "x");
        put(
            &e.dst,
            "etc/passwd",
            "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n",
        );
        put(&e.dst, "etc/group", "root:x:0:\nstaff:x:50:\n");
        let o = CopyOptions {
            chown: Some("app:staff".into()),
            chmod: Some("640".into()),
            ..Default::default()
        };
        cp(&e, &Ignore::empty(), &["d"], "/o/", &o).unwrap();
        let m = std::fs::metadata(e.dst.join("o/f")).unwrap();
        assert_eq!((m.uid(), m.gid(), m.mode() & 0o7777), (1000, 50, 0o640));
        // Parents the copy creates take the owner too; existing ones keep
        // theirs, and without --chown created parents are root's.
        put(&e.ctx, "g", "y");
        std::fs::create_dir_all(e.dst.join("p")).unwrap();
        cp(&e, &Ignore::empty(), &["g"], "/p/q/r/g", &o).unwrap();
        cp(&e, &Ignore::empty(), &["g"], "/s/t/", &o).unwrap();
        cp(&e, &Ignore::empty(), &["d"], "/u/v", &o).unwrap();
        let owner = |p: &str| {
            let m = std::fs::metadata(e.dst.join(p)).unwrap();
            (m.uid(), m.gid(), m.mode() & 0o7777)
        };
        assert_eq!(owner("p").0, 0);
        for d in ["p/q", "p/q/r", "s", "s/t", "u"] {
            assert_eq!(owner(d), (1000, 50, 0o755), "{d}");
        }
        assert_eq!((owner("u/v").0, owner("u/v/f").0), (1000, 1000));
        cp(
            &e,
            &Ignore::empty(),
            &["g"],
            "/w/x/g",
            &CopyOptions::default(),
        )
        .unwrap();
        assert_eq!(owner("w/x"), (0, 0, 0o755));
        assert_eq!(resolve_chown(&e.dst, "app").unwrap(), (1000, 1000));
        assert_eq!(resolve_chown(&e.host, "12:34").unwrap(), (12, 34));
        assert_eq!(resolve_chown(&e.host, "12").unwrap(), (12, 12));
        assert_eq!(
            resolve_chown(&e.dst, "nobody").unwrap_err().to_string(),
            "unable to convert uid/gid chown string to host mapping: can't find uid for user nobody: no such user: nobody"
        );
        assert_eq!(
            resolve_chown(&e.dst, "app:wheel").unwrap_err().to_string(),
            "unable to convert uid/gid chown string to host mapping: can't find gid for group wheel: no such group: wheel"
        );
        let bad = CopyOptions {
            chmod: Some("9x".into()),
            ..Default::default()
        };
        assert!(matches!(
            cp(&e, &Ignore::empty(), &["d"], "/o/", &bad),
            Err(CopyError::Chmod(_))
        ));
    }

    #[test]
    fn add_extracts_local_archives_confined() {
        let e = env();
        let tar = tar_of(&[tfile("in/a", b"A"), tfile("../../escape", b"E")]);
        std::fs::write(e.ctx.join("plain.tar"), &tar).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        io::Write::write_all(&mut gz, &tar).unwrap();
        std::fs::write(e.ctx.join("z.tgz"), gz.finish().unwrap()).unwrap();
        put(&e.ctx, "notar.txt", "just text");
        let add = CopyOptions {
            extract_archives: true,
            ..Default::default()
        };
        cp(&e, &Ignore::empty(), &["plain.tar"], "/x", &add).unwrap();
        assert_eq!(read(e.dst.join("x/in/a")), "A");
        assert_eq!(read(e.dst.join("x/escape")), "E");
        cp(&e, &Ignore::empty(), &["z.tgz"], "/y/", &add).unwrap();
        assert_eq!(read(e.dst.join("y/in/a")), "A");
        cp(&e, &Ignore::empty(), &["notar.txt"], "/y/", &add).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        io::Write::write_all(&mut gz, b"not a tar").unwrap();
        std::fs::write(e.ctx.join("t.gz"), gz.finish().unwrap()).unwrap();
        cp(&e, &Ignore::empty(), &["t.gz"], "/y/", &add).unwrap();
        assert!(e.dst.join("y/t.gz").is_file());
        assert_eq!(read(e.dst.join("y/notar.txt")), "just text");
        // COPY does not extract.
        cp(
            &e,
            &Ignore::empty(),
            &["plain.tar"],
            "/c/",
            &CopyOptions::default(),
        )
        .unwrap();
        assert!(e.dst.join("c/plain.tar").is_file());
        assert!(!e.dst.parent().unwrap().join("escape").exists());
        let err = cp(
            &e,
            &Ignore::empty(),
            &["http://example.com/x"],
            "/",
            &CopyOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "source can't be a URL for COPY");
    }

    #[test]
    fn copy_from_a_stage_keeps_owners() {
        let e = env();
        put(&e.ctx, "bin/tool", "t");
        std::os::unix::fs::chown(e.ctx.join("bin/tool"), Some(123), Some(456)).unwrap();
        let o = CopyOptions {
            from_stage: true,
            ..Default::default()
        };
        cp(
            &e,
            &Ignore::empty(),
            &["/../bin/tool"],
            "/usr/local/bin/",
            &o,
        )
        .unwrap();
        let m = std::fs::metadata(e.dst.join("usr/local/bin/tool")).unwrap();
        assert_eq!((m.uid(), m.gid()), (123, 456));
        // From the context, owners are 0:0.
        cp(
            &e,
            &Ignore::empty(),
            &["bin/tool"],
            "/ctx/",
            &CopyOptions::default(),
        )
        .unwrap();
        let m = std::fs::metadata(e.dst.join("ctx/tool")).unwrap();
        assert_eq!((m.uid(), m.gid()), (0, 0));
    }

    #[test]
    fn content_key_is_stable_and_sensitive() {
        let e = env();
        put(&e.ctx, "app/a", "hello");
        symlink("a", e.ctx.join("app/link")).unwrap();
        let key = |o: &CopyOptions| content_key(&e.ctx, &Ignore::empty(), &s(&["app"]), o).unwrap();
        let d = CopyOptions::default();
        let k1 = key(&d);
        assert_eq!(k1, key(&d));
        // mtimes do not count.
        let f = File::options()
            .write(true)
            .open(e.ctx.join("app/a"))
            .unwrap();
        f.set_modified(std::time::UNIX_EPOCH).unwrap();
        assert_eq!(k1, key(&d));
        put(&e.ctx, "app/a", "hellO");
        let k2 = key(&d);
        assert_ne!(k1, k2);
        std::fs::set_permissions(e.ctx.join("app/a"), std::fs::Permissions::from_mode(0o600))
            .unwrap();
        assert_ne!(k2, key(&d));
        let chmod = CopyOptions {
            chmod: Some("755".into()),
            ..Default::default()
        };
        assert_ne!(key(&d), key(&chmod));
        std::fs::remove_file(e.ctx.join("app/link")).unwrap();
        symlink("b", e.ctx.join("app/link")).unwrap();
        assert_ne!(k2, key(&d));
    }

    #[test]
    fn content_key_streams_a_huge_sparse_file() {
        let e = env();
        let p = e.ctx.join("huge");
        let f = File::create(&p).unwrap();
        f.set_len(64 << 30).unwrap(); // 64 GiB, all hole
        drop(f);
        let key = || {
            content_key(
                &e.ctx,
                &Ignore::empty(),
                &s(&["huge"]),
                &CopyOptions::default(),
            )
            .unwrap()
        };
        let start = std::time::Instant::now();
        let k1 = key();
        assert_eq!(k1, key());
        {
            use std::os::unix::fs::FileExt;
            let f = File::options().write(true).open(&p).unwrap();
            f.write_at(b"x", (64 << 30) - 1).unwrap();
        }
        let k2 = key();
        assert_ne!(k1, k2);
        eprintln!(
            "hashing a 64 GiB sparse file 3 times: {:?}",
            start.elapsed()
        );
    }
}
