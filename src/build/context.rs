//! The build context of `berth build`: the directory COPY/ADD read from, the
//! Dockerfile, and the `.dockerignore` rules, with the docker CLI's rules.
//!
//! API for the build executor:
//! ```text
//! let ctx = Context::open(ContextSource::Dir(path) | ContextSource::Stdin,
//!                         dockerfile /* -f: None, Some("-"), Some(path) */,
//!                         &mut stdin, scratch_dir)?;
//! ctx.dockerfile()   // the Dockerfile's bytes
//! ctx.root()         // the context directory (pass to copy::copy as ctx_root)
//! ctx.ignore()       // the .dockerignore rules (pass to copy::copy)
//! ctx.is_ignored(r)  // a path relative to the root is excluded
//! drop(ctx)          // removes the unpacked copy of a tar context
//! ```
//!
//! Sources, as `docker build` takes them:
//! - a directory (`PATH`): used in place; `-f` relative to the *current
//!   directory* (docker CLI rule for local contexts), absolute, or `-` for
//!   stdin; by default `Dockerfile`, then `dockerfile` in the context;
//! - `-`: stdin is a tar context when it looks like one (the docker CLI's
//!   test: compressed magic bytes, or a valid tar header in the first 512
//!   bytes), else it is the Dockerfile and the context is empty. A tar
//!   (plain, gzip, zstd; bzip2 and xz through the system's `bzip2`/`xz`, as
//!   moby runs `xz`) is unpacked into a private directory under `scratch`
//!   by the layer extractor's confined writer, so `../` and absolute names
//!   and symlink-then-write pairs stay inside it; `-f` then names a file
//!   inside the archive.
//!
//! `<Dockerfile>.dockerignore` next to the Dockerfile takes precedence over
//! the context's `.dockerignore` (BuildKit rule). The Dockerfile and
//! `.dockerignore` are never excluded (the classic builder always sends
//! them).

// Called by the build executor (`berth build`), which lands separately.
#![allow(dead_code)]

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::ignore::{Ignore, IgnoreError};
use crate::snapshot::unpack::{self, UnpackError};
use crate::sys::fs as sysfs;

/// Bytes of stdin the docker CLI looks at to tell a tar from a Dockerfile.
const HEADER_SIZE: usize = 512;

#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("unable to prepare context: path {0:?} not found")]
    NotFound(String),
    #[error("unable to prepare context: context must be a directory: {0}")]
    NotADirectory(PathBuf),
    #[error("unable to prepare context: unable to evaluate symlinks in Dockerfile path: {0}")]
    DockerfilePath(io::Error),
    #[error("Cannot locate specified Dockerfile: {0}")]
    NoDockerfile(String),
    #[error("invalid argument: can't use stdin for both build context and dockerfile")]
    StdinTwice,
    #[error("reading {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("reading the build context from stdin: {0}")]
    Stdin(io::Error),
    #[error("unpacking the build context: {0}")]
    Unpack(#[from] UnpackError),
    #[error("parsing {file}: {source}")]
    Ignore { file: String, source: IgnoreError },
    #[error("decompressing the build context with {tool}: {reason}")]
    Decompress { tool: &'static str, reason: String },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ContextError + '_ {
    move |source| ContextError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where the context comes from.
#[derive(Debug, Clone)]
pub enum ContextSource {
    Dir(PathBuf),
    /// `berth build -`
    Stdin,
}

/// An open build context. Dropping it removes an unpacked tar context.
#[derive(Debug)]
pub struct Context {
    root: PathBuf,
    dockerfile: Vec<u8>,
    ignore: Ignore,
    /// The private directory a tar context was unpacked in.
    temp: Option<PathBuf>,
}

impl Drop for Context {
    fn drop(&mut self) {
        if let Some(t) = self.temp.take() {
            // std's remove_dir_all does not follow symlinks (CVE-2022-21658).
            let _ = std::fs::remove_dir_all(t);
        }
    }
}

/// Compression of a stream, from its first bytes (moby's DetectCompression).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

pub fn detect_compression(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        Compression::Gzip
    } else if head.starts_with(b"BZh") {
        Compression::Bzip2
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Compression::Xz
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// Whether `head` (the first bytes of a stream) is an archive, the docker
/// CLI's `IsArchive`: compressed, or a tar header that parses.
pub fn is_archive(head: &[u8]) -> bool {
    if detect_compression(head) != Compression::None {
        return true;
    }
    if head.len() < HEADER_SIZE {
        return false;
    }
    let mut ar = tar::Archive::new(&head[..HEADER_SIZE]);
    let ok = match ar.entries() {
        Ok(mut it) => matches!(it.next(), Some(Ok(_))),
        Err(_) => false,
    };
    ok
}

/// Read up to `n` bytes (fewer only at end of stream).
fn read_head(r: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Stream through an external decompressor (`xz -d -c -q`, as moby does).
fn external(
    tool: &'static str,
    input: Box<dyn Read + Send>,
) -> Result<Box<dyn Read + Send>, ContextError> {
    let mut child = Command::new(tool)
        .args(["-d", "-c", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| ContextError::Decompress {
            tool,
            reason: format!("{e} (is {tool} installed?)"),
        })?;
    let mut stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let mut input = input;
    std::thread::spawn(move || {
        let _ = io::copy(&mut input, &mut stdin);
    });
    Ok(Box::new(ChildReader {
        child,
        stdout,
        tool,
    }))
}

struct ChildReader {
    child: std::process::Child,
    stdout: std::process::ChildStdout,
    tool: &'static str,
}

impl Read for ChildReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.stdout.read(buf)?;
        if n == 0 && !buf.is_empty() {
            let st = self.child.wait()?;
            if !st.success() {
                return Err(io::Error::other(format!("{} failed: {st}", self.tool)));
            }
        }
        Ok(n)
    }
}

impl Drop for ChildReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `input` decompressed according to its first bytes (`head`, already read
/// from it).
pub fn decompressed(
    head: Vec<u8>,
    rest: Box<dyn Read + Send>,
) -> Result<Box<dyn Read + Send>, ContextError> {
    let kind = detect_compression(&head);
    let whole: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(rest));
    Ok(match kind {
        Compression::None => whole,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(whole)),
        Compression::Zstd => Box::new(zstd::Decoder::new(whole).map_err(ContextError::Stdin)?),
        Compression::Bzip2 => external("bzip2", whole)?,
        Compression::Xz => external("xz", whole)?,
    })
}

/// Open `rel` inside `root` (symlinks resolved within it) and read it, if
/// it is a regular file. `None` when missing.
fn read_in_root(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, ContextError> {
    let rootf = sysfs::open_root(root).map_err(io_err(root))?;
    let p = Path::new(rel);
    let f = match sysfs::open_in_root_fd(&rootf, p, libc::O_PATH) {
        Ok(f) => f,
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR)) => {
            return Ok(None)
        }
        Err(e) => return Err(io_err(p)(e)),
    };
    let st = sysfs::fstat(&f).map_err(io_err(p))?;
    if st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Ok(None);
    }
    let mut data = Vec::new();
    File::open(format!("/proc/self/fd/{}", f.as_raw_fd()))
        .and_then(|mut r| r.read_to_end(&mut data))
        .map_err(io_err(p))?;
    Ok(Some(data))
}

fn parse_ignore(file: &str, bytes: &[u8]) -> Result<Ignore, ContextError> {
    Ignore::parse(bytes).map_err(|source| ContextError::Ignore {
        file: file.to_string(),
        source,
    })
}

/// A fresh private (0700) directory under `scratch`.
fn make_temp(scratch: &Path) -> Result<PathBuf, ContextError> {
    std::fs::create_dir_all(scratch).map_err(io_err(scratch))?;
    for _ in 0..16 {
        let p = scratch.join(format!(
            "build-context-{}-{:016x}",
            std::process::id(),
            rand::random::<u64>()
        ));
        match std::fs::DirBuilder::new().mode(0o700).create(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_err(&p)(e)),
        }
    }
    Err(io_err(scratch)(io::Error::other("no unique name")))
}

impl Context {
    /// Open a build context. `dockerfile` is `-f` (`"-"` reads it from
    /// `stdin`); `scratch` holds the unpacked copy of a tar context.
    pub fn open(
        src: ContextSource,
        dockerfile: Option<&str>,
        stdin: &mut dyn Read,
        scratch: &Path,
    ) -> Result<Context, ContextError> {
        match src {
            ContextSource::Dir(dir) => Context::open_dir(&dir, dockerfile, stdin),
            ContextSource::Stdin => {
                if dockerfile == Some("-") {
                    return Err(ContextError::StdinTwice);
                }
                Context::open_stdin(dockerfile, stdin, scratch)
            }
        }
    }

    fn open_dir(
        dir: &Path,
        dockerfile: Option<&str>,
        stdin: &mut dyn Read,
    ) -> Result<Context, ContextError> {
        let meta = std::fs::metadata(dir)
            .map_err(|_| ContextError::NotFound(dir.display().to_string()))?;
        if !meta.is_dir() {
            return Err(ContextError::NotADirectory(dir.to_path_buf()));
        }
        let root = std::fs::canonicalize(dir).map_err(io_err(dir))?;
        let (bytes, df_path) = match dockerfile {
            Some("-") => {
                let mut b = Vec::new();
                stdin.read_to_end(&mut b).map_err(ContextError::Stdin)?;
                (b, None)
            }
            given => {
                let path = match given {
                    Some(p) => {
                        let cwd = std::env::current_dir().map_err(io_err(Path::new(".")))?;
                        cwd.join(p)
                    }
                    None => {
                        let upper = root.join("Dockerfile");
                        let lower = root.join("dockerfile");
                        if std::fs::symlink_metadata(&upper).is_err()
                            && std::fs::symlink_metadata(&lower).is_ok()
                        {
                            lower
                        } else {
                            upper
                        }
                    }
                };
                let real = std::fs::canonicalize(&path).map_err(|e| {
                    ContextError::DockerfilePath(io::Error::new(
                        e.kind(),
                        format!("lstat {}: {e}", path.display()),
                    ))
                })?;
                let bytes = std::fs::read(&real).map_err(io_err(&real))?;
                (bytes, Some((path, real)))
            }
        };
        // <Dockerfile>.dockerignore next to the Dockerfile, else the
        // context's .dockerignore.
        let mut ignore = None;
        if let Some((given, _)) = &df_path {
            let mut name = given.as_os_str().to_os_string();
            name.push(".dockerignore");
            let p = PathBuf::from(name);
            if let Ok(b) = std::fs::read(&p) {
                ignore = Some(parse_ignore(&p.display().to_string(), &b)?);
            }
        }
        let mut ignore = match ignore {
            Some(i) => i,
            None => match read_in_root(&root, ".dockerignore")? {
                Some(b) => parse_ignore(".dockerignore", &b)?,
                None => Ignore::empty(),
            },
        };
        ignore.keep(".dockerignore");
        if let Some((_, real)) = &df_path {
            if let Ok(rel) = real.strip_prefix(&root) {
                ignore.keep(&rel.to_string_lossy());
            }
        }
        Ok(Context {
            root,
            dockerfile: bytes,
            ignore,
            temp: None,
        })
    }

    fn open_stdin(
        dockerfile: Option<&str>,
        stdin: &mut dyn Read,
        scratch: &Path,
    ) -> Result<Context, ContextError> {
        let head = read_head(stdin, HEADER_SIZE).map_err(ContextError::Stdin)?;
        let temp = make_temp(scratch)?;
        // From here on `ctx` owns the directory and removes it on error.
        let mut ctx = Context {
            root: temp.clone(),
            dockerfile: Vec::new(),
            ignore: Ignore::empty(),
            temp: Some(temp.clone()),
        };
        if !is_archive(&head) {
            // The docker CLI: stdin is the Dockerfile, the context is empty.
            let mut bytes = head;
            stdin.read_to_end(&mut bytes).map_err(ContextError::Stdin)?;
            ctx.dockerfile = bytes;
            return Ok(ctx);
        }
        // Read stdin on this thread through a pipe-like adapter: the tar
        // reader only needs `Read`, so borrow stdin for the unpack.
        let rest = ReadBorrow(stdin);
        unpack_stream(head, rest, &temp)?;
        let name = match dockerfile {
            Some(n) => n.to_string(),
            None => {
                if read_in_root(&temp, "Dockerfile")?.is_none()
                    && read_in_root(&temp, "dockerfile")?.is_some()
                {
                    "dockerfile".into()
                } else {
                    "Dockerfile".into()
                }
            }
        };
        ctx.dockerfile =
            read_in_root(&temp, &name)?.ok_or_else(|| ContextError::NoDockerfile(name.clone()))?;
        let own = format!("{}.dockerignore", name.trim_end_matches('/'));
        let mut ignore = match read_in_root(&temp, &own)? {
            Some(b) => parse_ignore(&own, &b)?,
            None => match read_in_root(&temp, ".dockerignore")? {
                Some(b) => parse_ignore(".dockerignore", &b)?,
                None => Ignore::empty(),
            },
        };
        ignore.keep(".dockerignore");
        ignore.keep(&name);
        ctx.ignore = ignore;
        Ok(ctx)
    }

    /// The Dockerfile's contents.
    pub fn dockerfile(&self) -> &[u8] {
        &self.dockerfile
    }

    /// The context directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The `.dockerignore` rules in force.
    pub fn ignore(&self) -> &Ignore {
        &self.ignore
    }

    /// Whether `rel` (relative to the root, `/`-separated) is excluded.
    pub fn is_ignored(&self, rel: &str) -> bool {
        self.ignore.matches(rel)
    }
}

/// A `&mut dyn Read` lent out as an owned reader for a scoped unpack.
struct ReadBorrow<'a>(&'a mut dyn Read);

impl Read for ReadBorrow<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

/// Unpack a (maybe compressed) tar whose first bytes are `head` into `root`.
fn unpack_stream(head: Vec<u8>, rest: impl Read, root: &Path) -> Result<(), ContextError> {
    let kind = detect_compression(&head);
    let whole = io::Cursor::new(head).chain(rest);
    match kind {
        Compression::None => {
            unpack::unpack_plain_tar(whole, root, None)?;
        }
        Compression::Gzip => {
            unpack::unpack_plain_tar(flate2::read::MultiGzDecoder::new(whole), root, None)?;
        }
        Compression::Zstd => {
            let d = zstd::Decoder::new(whole).map_err(ContextError::Stdin)?;
            unpack::unpack_plain_tar(d, root, None)?;
        }
        Compression::Bzip2 | Compression::Xz => {
            // External tools need an owned, Send input: the stream is
            // spooled to a file in the private directory first.
            let spool = root.join(".berth-context-spool");
            let mut f = File::options()
                .create_new(true)
                .read(true)
                .write(true)
                .open(&spool)
                .map_err(io_err(&spool))?;
            io::copy(&mut whole.take(u64::MAX), &mut f).map_err(ContextError::Stdin)?;
            std::fs::remove_file(&spool).map_err(io_err(&spool))?;
            use std::io::Seek;
            f.seek(io::SeekFrom::Start(0)).map_err(io_err(&spool))?;
            let tool = if kind == Compression::Xz {
                "xz"
            } else {
                "bzip2"
            };
            let r = external(tool, Box::new(f))?;
            unpack::unpack_plain_tar(r, root, None)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::unpack::tests::{dir, file, symlink, tar_of};

    fn scratch() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn directory_context_with_default_and_lowercase_dockerfile() {
        let d = scratch();
        std::fs::write(d.path().join("dockerfile"), "FROM lower\n").unwrap();
        let ctx = Context::open(
            ContextSource::Dir(d.path().into()),
            None,
            &mut io::empty(),
            d.path(),
        )
        .unwrap();
        assert_eq!(ctx.dockerfile(), b"FROM lower\n");
        std::fs::write(d.path().join("Dockerfile"), "FROM upper\n").unwrap();
        let ctx = Context::open(
            ContextSource::Dir(d.path().into()),
            None,
            &mut io::empty(),
            d.path(),
        )
        .unwrap();
        assert_eq!(ctx.dockerfile(), b"FROM upper\n");
        assert_eq!(ctx.root(), std::fs::canonicalize(d.path()).unwrap());
    }

    #[test]
    fn missing_context_and_dockerfile_errors() {
        let d = scratch();
        let e = Context::open(
            ContextSource::Dir(d.path().join("nope")),
            None,
            &mut io::empty(),
            d.path(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("unable to prepare context: path "),
            "{e}"
        );
        let e = Context::open(
            ContextSource::Dir(d.path().into()),
            None,
            &mut io::empty(),
            d.path(),
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with(
                "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat "
            ),
            "{e}"
        );
        let e =
            Context::open(ContextSource::Stdin, Some("-"), &mut io::empty(), d.path()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid argument: can't use stdin for both build context and dockerfile"
        );
    }

    #[test]
    fn dockerfile_from_stdin_and_specific_dockerignore() {
        let d = scratch();
        std::fs::write(d.path().join(".dockerignore"), "a\n").unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("sub/app.Dockerfile"), "FROM x\n").unwrap();
        std::fs::write(
            d.path().join("sub/app.Dockerfile.dockerignore"),
            "b\n*.Dockerfile\n",
        )
        .unwrap();
        let df = d.path().join("sub/app.Dockerfile");
        let ctx = Context::open(
            ContextSource::Dir(d.path().into()),
            Some(df.to_str().unwrap()),
            &mut io::empty(),
            d.path(),
        )
        .unwrap();
        assert!(!ctx.is_ignored("a"));
        assert!(ctx.is_ignored("b"));
        // The Dockerfile itself is always sent.
        assert!(!ctx.is_ignored("sub/app.Dockerfile"));
        let mut input: &[u8] = b"FROM stdin\n";
        let ctx = Context::open(
            ContextSource::Dir(d.path().into()),
            Some("-"),
            &mut input,
            d.path(),
        )
        .unwrap();
        assert_eq!(ctx.dockerfile(), b"FROM stdin\n");
        assert!(ctx.is_ignored("a"));
        assert!(!ctx.is_ignored(".dockerignore"));
    }

    #[test]
    fn stdin_dockerfile_gives_an_empty_context() {
        let d = scratch();
        let mut input: &[u8] = b"FROM busybox\nRUN true\n";
        let ctx = Context::open(ContextSource::Stdin, None, &mut input, d.path()).unwrap();
        assert_eq!(ctx.dockerfile(), b"FROM busybox\nRUN true\n");
        assert_eq!(std::fs::read_dir(ctx.root()).unwrap().count(), 0);
        let root = ctx.root().to_path_buf();
        drop(ctx);
        assert!(!root.exists());
    }

    #[test]
    fn tar_and_gzip_contexts_unpack_confined() {
        let d = scratch();
        let outside = d.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        let entries = vec![
            file("Dockerfile", b"FROM t\n"),
            file(".dockerignore", b"secret\n"),
            file("secret", b"s"),
            dir("app"),
            file("app/main.sh", b"echo"),
            file("../escape", b"x"),
            file("/abs", b"y"),
            symlink("link", outside.to_str().unwrap()),
            file("link/planted", b"z"),
        ];
        let tar = tar_of(&entries);
        for data in [tar.clone(), {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            io::Write::write_all(&mut gz, &tar).unwrap();
            gz.finish().unwrap()
        }] {
            let mut input: &[u8] = &data;
            let ctx =
                Context::open(ContextSource::Stdin, None, &mut input, &d.path().join("s")).unwrap();
            assert_eq!(ctx.dockerfile(), b"FROM t\n");
            assert!(ctx.is_ignored("secret"));
            assert!(!ctx.is_ignored("app/main.sh"));
            let r = ctx.root();
            assert_eq!(std::fs::read(r.join("escape")).unwrap(), b"x");
            assert_eq!(std::fs::read(r.join("abs")).unwrap(), b"y");
            // The symlink stays a symlink; the write through it landed inside.
            assert!(std::fs::symlink_metadata(r.join("link"))
                .unwrap()
                .file_type()
                .is_symlink());
            assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        }
        assert!(!d.path().join("escape").exists());
        assert_eq!(std::fs::read_dir(d.path().join("s")).unwrap().count(), 0);
    }

    #[test]
    fn tar_context_dockerfile_by_name_and_missing() {
        let d = scratch();
        let tar = tar_of(&[file("build/Dockerfile.dev", b"FROM dev\n")]);
        let mut input: &[u8] = &tar;
        let ctx = Context::open(
            ContextSource::Stdin,
            Some("build/Dockerfile.dev"),
            &mut input,
            d.path(),
        )
        .unwrap();
        assert_eq!(ctx.dockerfile(), b"FROM dev\n");
        drop(ctx);
        let mut input: &[u8] = &tar;
        let e = Context::open(ContextSource::Stdin, None, &mut input, d.path()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Cannot locate specified Dockerfile: Dockerfile"
        );
        // The failed open cleaned its directory up.
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
    }

    #[test]
    fn archive_detection_follows_the_docker_cli() {
        assert!(!is_archive(b"FROM busybox\n"));
        assert!(is_archive(&[0x1f, 0x8b, 0x08, 0]));
        assert!(is_archive(b"BZh91AY"));
        let tar = tar_of(&[file("a", b"1")]);
        assert!(is_archive(&tar[..512]));
        let mut long = b"FROM busybox\n".repeat(100);
        long.truncate(512);
        assert!(!is_archive(&long));
    }
}
