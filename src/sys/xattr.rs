//! Extended attributes (`setxattr(2)` family). Layer extraction sets image
//! xattrs (`security.capability`, ACLs) and overlayfs markers
//! (`trusted.overlay.opaque`) through these; the copy snapshotter and `diff`
//! read them back. Path variants never follow a final symlink.

use std::ffi::{CString, OsString};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::io::AsRawFd;
use std::path::Path;

fn c_bytes(b: &[u8]) -> io::Result<CString> {
    CString::new(b)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "name contains a NUL byte"))
}

/// `fsetxattr(2)` on an open (non-`O_PATH`) descriptor.
pub fn fset(f: &impl AsRawFd, name: &str, value: &[u8]) -> io::Result<()> {
    let n = c_bytes(name.as_bytes())?;
    // SAFETY: valid C string and a value buffer of the given length.
    let rc = unsafe {
        libc::fsetxattr(
            f.as_raw_fd(),
            n.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// `lsetxattr(2)`: set on `path` itself, not on what a final symlink points to.
pub fn lset(path: &Path, name: &str, value: &[u8]) -> io::Result<()> {
    let p = c_bytes(path.as_os_str().as_bytes())?;
    let n = c_bytes(name.as_bytes())?;
    // SAFETY: valid C strings and a value buffer of the given length.
    let rc = unsafe {
        libc::lsetxattr(
            p.as_ptr(),
            n.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// `lgetxattr(2)`; `Ok(None)` when the attribute is absent or the filesystem
/// does not support xattrs.
pub fn lget(path: &Path, name: &str) -> io::Result<Option<Vec<u8>>> {
    let p = c_bytes(path.as_os_str().as_bytes())?;
    let n = c_bytes(name.as_bytes())?;
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: valid C strings and a writable buffer of buf.len() bytes.
        let rc =
            unsafe { libc::lgetxattr(p.as_ptr(), n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if rc >= 0 {
            buf.truncate(rc as usize);
            return Ok(Some(buf));
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::ENODATA) | Some(libc::ENOTSUP) => return Ok(None),
            Some(libc::ERANGE) if buf.len() < 1 << 20 => buf.resize(buf.len() * 4, 0),
            _ => return Err(e),
        }
    }
}

/// `llistxattr(2)`: the attribute names on `path` (empty when unsupported).
pub fn llist(path: &Path) -> io::Result<Vec<OsString>> {
    let p = c_bytes(path.as_os_str().as_bytes())?;
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: valid C string and a writable buffer of buf.len() bytes.
        let rc = unsafe { libc::llistxattr(p.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if rc >= 0 {
            buf.truncate(rc as usize);
            return Ok(buf
                .split(|b| *b == 0)
                .filter(|s| !s.is_empty())
                .map(|s| OsString::from_vec(s.to_vec()))
                .collect());
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::ENOTSUP) => return Ok(Vec::new()),
            Some(libc::ERANGE) if buf.len() < 1 << 20 => buf.resize(buf.len() * 4, 0),
            _ => return Err(e),
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
