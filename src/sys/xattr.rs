//! Extended attributes (`setxattr(2)` family). Layer extraction sets image
//! xattrs (`security.capability`, ACLs) and overlayfs markers
//! (`trusted.overlay.opaque`) through these; the copy snapshotter and `diff`
//! read them back. Path variants never follow a final symlink.

use rustix::fs::XattrFlags;
use rustix::io::Errno;
use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::io::AsFd;
use std::path::Path;

/// `fsetxattr(2)` on an open (non-`O_PATH`) descriptor.
pub fn fset(f: &impl AsFd, name: &str, value: &[u8]) -> io::Result<()> {
    Ok(rustix::fs::fsetxattr(f, name, value, XattrFlags::empty())?)
}

/// `lsetxattr(2)`: set on `path` itself, not on what a final symlink points to.
pub fn lset(path: &Path, name: &str, value: &[u8]) -> io::Result<()> {
    Ok(rustix::fs::lsetxattr(
        path,
        name,
        value,
        XattrFlags::empty(),
    )?)
}

/// `lgetxattr(2)`; `Ok(None)` when the attribute is absent or the filesystem
/// does not support xattrs.
pub fn lget(path: &Path, name: &str) -> io::Result<Option<Vec<u8>>> {
    let mut buf = vec![0u8; 256];
    loop {
        match rustix::fs::lgetxattr(path, name, &mut buf[..]) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(Some(buf));
            }
            Err(Errno::NODATA | Errno::NOTSUP) => return Ok(None),
            Err(Errno::RANGE) if buf.len() < 1 << 20 => buf.resize(buf.len() * 4, 0),
            Err(e) => return Err(e.into()),
        }
    }
}

/// `llistxattr(2)`: the attribute names on `path` (empty when unsupported).
pub fn llist(path: &Path) -> io::Result<Vec<OsString>> {
    let mut buf = vec![0u8; 1024];
    loop {
        match rustix::fs::llistxattr(path, &mut buf[..]) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf
                    .split(|b| *b == 0)
                    .filter(|s| !s.is_empty())
                    .map(|s| OsString::from_vec(s.to_vec()))
                    .collect());
            }
            Err(Errno::NOTSUP) => return Ok(Vec::new()),
            Err(Errno::RANGE) if buf.len() < 1 << 20 => buf.resize(buf.len() * 4, 0),
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_list_roundtrip() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let f = std::fs::File::create(&p).unwrap();
        fset(&f, "user.berth", b"v1").unwrap();
        assert_eq!(lget(&p, "user.berth").unwrap().as_deref(), Some(&b"v1"[..]));
        assert_eq!(lget(&p, "user.none").unwrap(), None);
        assert!(llist(&p).unwrap().iter().any(|n| n == "user.berth"));
        lset(&p, "user.other", b"").unwrap();
        assert_eq!(lget(&p, "user.other").unwrap().as_deref(), Some(&b""[..]));
    }
}
