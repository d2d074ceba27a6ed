//! Unix sockets whose path may exceed `sun_path` (108 bytes): deep state
//! roots (tests, custom `--state-root`) put sockets beyond that limit, so
//! long paths go through `/proc/self/fd/<dirfd>/<name>`, which the kernel
//! resolves through the open directory.

use std::fs::File;
use std::io;
use std::os::unix::io::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

/// Longest path used directly (sun_path is 108 bytes including the NUL).
const DIRECT_MAX: usize = 100;

fn via_dir<T>(path: &Path, f: impl FnOnce(&Path) -> io::Result<T>) -> io::Result<T> {
    if path.as_os_str().len() <= DIRECT_MAX {
        return f(path);
    }
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return f(path);
    };
    let d = File::open(dir)?;
    let short = PathBuf::from(format!("/proc/self/fd/{}", d.as_raw_fd())).join(name);
    let r = f(&short);
    drop(d);
    r
}

/// `UnixListener::bind` for any path length.
pub fn bind(path: &Path) -> io::Result<UnixListener> {
    via_dir(path, |p| UnixListener::bind(p))
}

/// `UnixStream::connect` for any path length.
pub fn connect(path: &Path) -> io::Result<UnixStream> {
    via_dir(path, |p| UnixStream::connect(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_work() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a".repeat(60)).join("b".repeat(60));
        std::fs::create_dir_all(&deep).unwrap();
        let p = deep.join("attach.sock");
        assert!(p.as_os_str().len() > 108);
        let l = bind(&p).unwrap();
        let _c = connect(&p).unwrap();
        let _ = l.accept().unwrap();
    }
}
