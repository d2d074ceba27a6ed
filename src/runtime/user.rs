//! Resolution of `--user name|uid[:group|gid]` (and the image's `User`) to
//! numeric ids, with the rules of runc's libcontainer/user that Docker uses:
//! names are looked up in the image's own `/etc/passwd` and `/etc/group`,
//! numeric ids work without those files, supplementary groups are the groups
//! that list the matched user by name (only when no group is given).
//!
//! The files are read *inside the rootfs* through `openat2(RESOLVE_IN_ROOT)`,
//! so a symlink in the image (`/etc/passwd -> /etc/shadow` of the host, or
//! `../../..`) resolves inside the image and never reads host files. They are
//! opened non-blocking and must be regular files, so a FIFO planted in an image
//! cannot hang berth.

use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::sys::fs::open_in_root_fd;

/// Largest passwd/group file berth reads.
const MAX_FILE: u64 = 16 << 20;
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

    let passwd = read_root_file(rootfs, "/etc/passwd")?
        .map(|t| parse_passwd(&t))
        .unwrap_or_default();
    let matched = passwd.into_iter().find(|e| match user_num {
        Some(uid) => e.uid == uid,
        None => e.name == user_arg,
    });

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
    let groups = read_root_file(rootfs, "/etc/group")?
        .map(|t| parse_group(&t))
        .unwrap_or_default();
    match group_arg {
        Some(g) => {
            let gnum = parse_id(g, user_spec)?;
            let found = groups.iter().find(|e| match gnum {
                Some(n) => e.gid == n,
                None => e.name == g,
            });
            user.gid = match (found, gnum) {
                (Some(e), _) => e.gid,
                (None, Some(n)) => n,
                (None, None) => return Err(UserError::NoGroup(g.to_string())),
            };
        }
        None => {
            let name = matched.map(|e| e.name).unwrap_or_default();
            for g in groups.iter().filter(|g| g.members.contains(&name)) {
                if !user.additional_gids.contains(&g.gid) {
                    user.additional_gids.push(g.gid);
                }
            }
        }
    }
    Ok(user)
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

/// Read a small regular file at `path` resolved inside `rootfs`; `None` when
/// it does not exist.
pub fn read_root_file(rootfs: &Path, path: &str) -> Result<Option<String>, UserError> {
    let io_err = |source| UserError::Io {
        path: PathBuf::from(path),
        source,
    };
    let root = crate::sys::fs::open_root(rootfs).map_err(|source| UserError::Io {
        path: rootfs.to_path_buf(),
        source,
    })?;
    let mut f = match open_in_root_fd(&root, Path::new(path), libc::O_RDONLY | libc::O_NONBLOCK) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(e)),
    };
    let meta = f.metadata().map_err(io_err)?;
    if !meta.is_file() {
        return Err(io_err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not a regular file",
        )));
    }
    let mut buf = Vec::new();
    (&mut f)
        .take(MAX_FILE)
        .read_to_end(&mut buf)
        .map_err(io_err)?;
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

fn fields(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split(':').collect())
}

fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    fields(text)
        .filter_map(|f| {
            Some(PasswdEntry {
                name: f.first()?.to_string(),
                uid: f.get(2)?.parse().ok()?,
                gid: f.get(3)?.parse().ok()?,
                home: f.get(5).copied().unwrap_or("").to_string(),
            })
        })
        .collect()
}

fn parse_group(text: &str) -> Vec<GroupEntry> {
    fields(text)
        .filter_map(|f| {
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
        })
        .collect()
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
            Err(UserError::Io { .. })
        ));
    }
}
