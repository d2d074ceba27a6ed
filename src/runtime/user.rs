//! Resolution of `--user name|uid[:group|gid]` (and the image's `User`) to
//! numeric ids, with the rules of runc's libcontainer/user that Docker uses:
//! names are looked up in the image's own `/etc/passwd` and `/etc/group`,
//! numeric ids work without those files, supplementary groups are the groups
//! that list the matched user by name (only when no group is given).
//!
//! The files are read *inside the rootfs* through `openat2(RESOLVE_IN_ROOT)`,
//! so a symlink in the image (`/etc/passwd -> /etc/shadow` of the host, or
//! `../../..`) resolves inside the image and never reads host files. They are
//! first opened `O_PATH` and must be regular files, so a FIFO or a device node
//! (which a container with `CAP_MKNOD` can create in its own layer) is never
//! opened for reading: it could hang berth or have an effect on open. They are
//! read line by line, keeping only what matches, and refused past
//! [`MAX_FILE`], so their size bounds neither memory nor time.

use std::io::{BufRead, Read};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::sys::fs::open_in_root_fd;

/// Largest passwd/group file berth reads. Images carry a few KiB; hosts that
/// flatten a directory service into these files reach a few MiB (a line is
/// 50-100 bytes, so 100k users is under 10 MiB). Past 16 MiB the file is not
/// a user database but an attack or a mistake, and is refused.
pub const MAX_FILE: u64 = 16 << 20;
/// Docker/libcontainer limit for ids.
const MAX_ID: u64 = 2_147_483_647;

#[derive(Debug, Error)]
pub enum UserError {
    #[error("unable to find user {0}: no matching entries in passwd file")]
    NoUser(String),
    #[error("unable to find group {0}: no matching entries in group file")]
    NoGroup(String),
    #[error("invalid user {0:?}: uids and gids must be in range 0-{MAX_ID}")]
    OutOfRange(String),
    #[error("reading {path} in the container root: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} in the container root is not a regular file ({kind}); refusing to read it")]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{path} in the container root is larger than {MAX_FILE} bytes; refusing to read it")]
    TooLarge { path: PathBuf },
}

/// The ids the container process runs with, and the user's home directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecUser {
    pub uid: u32,
    pub gid: u32,
    pub additional_gids: Vec<u32>,
    pub home: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PasswdEntry {
    name: String,
    uid: u32,
    gid: u32,
    home: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct GroupEntry {
    name: String,
    gid: u32,
    members: Vec<String>,
}

/// Resolve `user_spec` (`""`, `name`, `uid`, `name:group`, `uid:gid`, ...)
/// against the files in `rootfs`. An empty spec means root.
pub fn resolve_user(rootfs: &Path, user_spec: &str) -> Result<ExecUser, UserError> {
    let (user_arg, group_arg) = match user_spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (user_spec, None),
    };
    let user_arg = if user_arg.is_empty() { "0" } else { user_arg };
    let group_arg = group_arg.filter(|g| !g.is_empty());
    let user_num = parse_id(user_arg, user_spec)?;

    let mut matched = None;
    for_each_line(rootfs, "/etc/passwd", |line| {
        let Some(e) = parse_passwd_line(line) else {
            return true;
        };
        let hit = match user_num {
            Some(uid) => e.uid == uid,
            None => e.name == user_arg,
        };
        if hit {
            matched = Some(e);
        }
        !hit
    })?;

    let mut user = match (&matched, user_num) {
        (Some(e), _) => ExecUser {
            uid: e.uid,
            gid: e.gid,
            additional_gids: Vec::new(),
            home: e.home.clone(),
        },
        (None, Some(uid)) => ExecUser {
            uid,
            gid: 0,
            additional_gids: Vec::new(),
            home: "/".into(),
        },
        (None, None) => return Err(UserError::NoUser(user_arg.to_string())),
    };

    if group_arg.is_none() && matched.is_none() {
        return Ok(user);
    }
    match group_arg {
        Some(g) => {
            let gnum = parse_id(g, user_spec)?;
            let mut found = None;
            for_each_line(rootfs, "/etc/group", |line| {
                let Some(e) = parse_group_line(line) else {
                    return true;
                };
                let hit = match gnum {
                    Some(n) => e.gid == n,
                    None => e.name == g,
                };
                if hit {
                    found = Some(e.gid);
                }
                !hit
            })?;
            user.gid = match (found, gnum) {
                (Some(gid), _) => gid,
                (None, Some(n)) => n,
                (None, None) => return Err(UserError::NoGroup(g.to_string())),
            };
        }
        None => {
            let name = matched.map(|e| e.name).unwrap_or_default();
            let mut gids = Vec::new();
            for_each_line(rootfs, "/etc/group", |line| {
                if let Some(g) = parse_group_line(line) {
                    if g.members.contains(&name) && !gids.contains(&g.gid) {
                        gids.push(g.gid);
                    }
                }
                true
            })?;
            user.additional_gids = gids;
        }
    }
    Ok(user)
}

/// The id (third field) of the entry named `name` in `file` (`/etc/passwd`
/// or `/etc/group`) inside `rootfs`, read with the same confinement and
/// limits as [`resolve_user`]. `None` when no entry has that name.
pub fn lookup_id(rootfs: &Path, file: &str, name: &str) -> Result<Option<u32>, UserError> {
    let mut found = None;
    for_each_line(rootfs, file, |line| {
        if let Some(f) = fields(line) {
            if f.first() == Some(&name) {
                found = f.get(2).and_then(|id| id.parse().ok());
                return found.is_none();
            }
        }
        true
    })?;
    Ok(found)
}

/// `Some(n)` for a numeric id, `None` for a name.
fn parse_id(s: &str, spec: &str) -> Result<Option<u32>, UserError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    match s.parse::<u64>() {
        Ok(n) if n <= MAX_ID => Ok(Some(n as u32)),
        _ => Err(UserError::OutOfRange(spec.to_string())),
    }
}

/// Call `f` with each line of the regular file at `path` resolved inside
/// `rootfs`, until it returns false. A missing file has no lines. The file is
/// refused (before it is opened for reading) unless it is a regular file of
/// at most [`MAX_FILE`] bytes; only one line is held at a time.
fn for_each_line(
    rootfs: &Path,
    path: &str,
    mut f: impl FnMut(&str) -> bool,
) -> Result<(), UserError> {
    let io_err = |source| UserError::Io {
        path: PathBuf::from(path),
        source,
    };
    let root = crate::sys::fs::open_root(rootfs).map_err(|source| UserError::Io {
        path: rootfs.to_path_buf(),
        source,
    })?;
    let pinned = match open_in_root_fd(&root, Path::new(path), libc::O_PATH) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(e)),
    };
    let st = crate::sys::fs::fstat(&pinned).map_err(io_err)?;
    let kind = match st.st_mode & libc::S_IFMT {
        libc::S_IFREG => None,
        libc::S_IFIFO => Some("a FIFO"),
        libc::S_IFCHR => Some("a character device"),
        libc::S_IFBLK => Some("a block device"),
        libc::S_IFSOCK => Some("a socket"),
        libc::S_IFDIR => Some("a directory"),
        _ => Some("not a file"),
    };
    if let Some(kind) = kind {
        return Err(UserError::NotRegular {
            path: PathBuf::from(path),
            kind,
        });
    }
    if st.st_size as u64 > MAX_FILE {
        return Err(UserError::TooLarge {
            path: PathBuf::from(path),
        });
    }
    // The O_PATH descriptor pins the checked inode; reopen it for reading.
    let file =
        std::fs::File::open(format!("/proc/self/fd/{}", pinned.as_raw_fd())).map_err(io_err)?;
    // One byte over the limit tells a file that grew since the check.
    let mut r = std::io::BufReader::new(file.take(MAX_FILE + 1));
    let mut line = Vec::new();
    let mut total = 0u64;
    loop {
        line.clear();
        let n = r.read_until(b'\n', &mut line).map_err(io_err)?;
        if n == 0 {
            return Ok(());
        }
        total += n as u64;
        if total > MAX_FILE {
            return Err(UserError::TooLarge {
                path: PathBuf::from(path),
            });
        }
        if !f(&String::from_utf8_lossy(&line)) {
            return Ok(());
        }
    }
}

/// The `:`-separated fields of a line, or `None` for a blank or comment line.
fn fields(line: &str) -> Option<Vec<&str>> {
    let l = line.trim();
    (!l.is_empty() && !l.starts_with('#')).then(|| l.split(':').collect())
}

fn parse_passwd_line(line: &str) -> Option<PasswdEntry> {
    let f = fields(line)?;
    Some(PasswdEntry {
        name: f.first()?.to_string(),
        uid: f.get(2)?.parse().ok()?,
        gid: f.get(3)?.parse().ok()?,
        home: f.get(5).copied().unwrap_or("").to_string(),
    })
}

fn parse_group_line(line: &str) -> Option<GroupEntry> {
    let f = fields(line)?;
    Some(GroupEntry {
        name: f.first()?.to_string(),
        gid: f.get(2)?.parse().ok()?,
        members: f
            .get(3)
            .map(|m| {
                m.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rootfs() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("etc")).unwrap();
        std::fs::write(
            d.path().join("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\n# comment\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:100:Bob:/home/bob:/bin/sh\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("etc/group"),
            "root:x:0:\nwheel:x:10:root,alice\nusers:x:100:\nalice:x:1000:\nstaff:x:50:alice,bob\n",
        )
        .unwrap();
        d
    }

    fn u(uid: u32, gid: u32, add: &[u32]) -> (u32, u32, Vec<u32>) {
        (uid, gid, add.to_vec())
    }

    fn r(root: &Path, spec: &str) -> (u32, u32, Vec<u32>) {
        let e = resolve_user(root, spec).unwrap();
        (e.uid, e.gid, e.additional_gids)
    }

    #[test]
    fn names_and_numbers() {
        let d = rootfs();
        let p = d.path();
        assert_eq!(r(p, ""), u(0, 0, &[10]));
        assert_eq!(r(p, "alice"), u(1000, 1000, &[10, 50]));
        assert_eq!(r(p, "1000"), u(1000, 1000, &[10, 50]));
        assert_eq!(r(p, "bob:staff"), u(1001, 50, &[]));
        assert_eq!(r(p, "bob:7"), u(1001, 7, &[]));
        assert_eq!(r(p, "4242"), u(4242, 0, &[]));
        assert_eq!(r(p, "4242:4242"), u(4242, 4242, &[]));
        assert_eq!(resolve_user(p, "alice").unwrap().home, "/home/alice");
    }

    #[test]
    fn unknown_names_fail_like_docker() {
        let d = rootfs();
        let e = resolve_user(d.path(), "nobody").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unable to find user nobody: no matching entries in passwd file"
        );
        let e = resolve_user(d.path(), "alice:nogroup").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unable to find group nogroup: no matching entries in group file"
        );
        assert!(matches!(
            resolve_user(d.path(), "99999999999"),
            Err(UserError::OutOfRange(_))
        ));
    }

    #[test]
    fn numeric_ids_without_files() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(r(d.path(), "1000:1000"), u(1000, 1000, &[]));
        assert_eq!(r(d.path(), ""), u(0, 0, &[]));
        assert!(matches!(
            resolve_user(d.path(), "alice"),
            Err(UserError::NoUser(_))
        ));
    }

    #[test]
    fn symlink_to_host_passwd_stays_inside() {
        // The image's /etc/passwd points at the host's: the read resolves to
        // the image's own /etc/passwd path again (a loop), or to nothing; it
        // never sees the host's entries.
        let host = tempfile::tempdir().unwrap();
        std::fs::write(
            host.path().join("passwd"),
            "hostonly:x:4321:4321::/:/bin/sh\n",
        )
        .unwrap();
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("etc")).unwrap();
        std::os::unix::fs::symlink(host.path().join("passwd"), d.path().join("etc/passwd"))
            .unwrap();
        std::os::unix::fs::symlink("../../../../../etc/group", d.path().join("etc/group")).unwrap();
        match resolve_user(d.path(), "hostonly") {
            Err(UserError::NoUser(_)) | Err(UserError::Io { .. }) => {}
            other => panic!("host passwd was read: {other:?}"),
        }
        // Same with the real host file.
        std::fs::remove_file(d.path().join("etc/passwd")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", d.path().join("etc/passwd")).unwrap();
        // Inside the root, "/etc/passwd" is the link itself: a loop, reported
        // as an error rather than followed out to the host's root entry.
        assert!(resolve_user(d.path(), "root").is_err());
    }

    #[test]
    fn oversized_files_and_device_nodes_are_refused() {
        let d = rootfs();
        let group = d.path().join("etc/group");
        // 64 MiB (sparse: costs no disk), refused before a byte is read.
        std::fs::File::options()
            .append(true)
            .open(&group)
            .unwrap()
            .set_len(64 << 20)
            .unwrap();
        let e = resolve_user(d.path(), "0:wheel").unwrap_err();
        assert_eq!(
            e.to_string(),
            "/etc/group in the container root is larger than 16777216 bytes; refusing to read it"
        );
        std::fs::remove_file(&group).unwrap();
        if crate::sys::fs::effective_ids().0 == 0 {
            // A device node (as a container with CAP_MKNOD can make): never
            // opened, so no driver sees an open from berth.
            let st = std::process::Command::new("mknod")
                .arg(&group)
                .args(["c", "1", "3"])
                .status()
                .unwrap();
            assert!(st.success());
            let e = resolve_user(d.path(), "0:wheel").unwrap_err();
            assert!(
                e.to_string()
                    .contains("is not a regular file (a character device)"),
                "{e}"
            );
        }
    }

    #[test]
    fn fifo_is_rejected_not_waited_on() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("etc")).unwrap();
        let st = std::process::Command::new("mkfifo")
            .arg(d.path().join("etc/passwd"))
            .status()
            .unwrap();
        assert!(st.success());
        assert!(matches!(
            resolve_user(d.path(), "root"),
            Err(UserError::NotRegular { kind: "a FIFO", .. })
        ));
    }

    /// Peak RSS of `-u 0:last` against a 64 MiB /etc/group; run alone:
    /// `cargo test --bin berth -- --ignored --exact runtime::user::tests::peak_rss_of_a_64mib_group_file --nocapture`
    #[test]
    #[ignore]
    fn peak_rss_of_a_64mib_group_file() {
        use std::io::Write;
        let d = rootfs();
        let mut w =
            std::io::BufWriter::new(std::fs::File::create(d.path().join("etc/group")).unwrap());
        let mut n = 0u64;
        let mut written = 0u64;
        while written < 64 << 20 {
            let line = format!("g{n}:x:{}:alice,bob\n", 100_000 + n);
            w.write_all(line.as_bytes()).unwrap();
            written += line.len() as u64;
            n += 1;
        }
        w.write_all(b"last:x:4242:\n").unwrap();
        drop(w);
        let hwm = || {
            let s = std::fs::read_to_string("/proc/self/status").unwrap();
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .unwrap()
                .to_string()
        };
        let before = hwm();
        let r = resolve_user(d.path(), "0:last");
        println!("{before} -> {} : {r:?}", hwm());
    }
}
