//! `ADD <url>`: the download half. [`download`] fetches the URL with
//! reqwest (as `import` does for URLs) into an unnamed temp file, hashing it
//! on the way (the digest is the step's cache input); [`add_download`]
//! writes it into the stage rootfs with the confined [`RootWriter`].
//!
//! Docker's rules: the file is not unpacked, it gets mode 0600 (unless
//! `--chmod`) and owner 0:0 (unless `--chown`), its mtime is the response's
//! `Last-Modified` when there is one; a destination ending in `/` takes the
//! file name from the URL path (an error when it has none), otherwise the
//! destination is the file.

// Called by the build executor for `ADD <url>`, which wires it separately.
#![allow(dead_code)]

use std::fs::File;
use std::io::{self, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::copy::{resolve_chown, CopyError, CopyOptions};
use crate::snapshot::unpack::{clean_path, EntryMeta, RootWriter};

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("failed to GET {url} with status {status}")]
    Status { url: String, status: String },
    #[error("Get {url:?}: {detail}")]
    Http { url: String, detail: String },
    #[error("downloading {url}: {source}")]
    Io { url: String, source: io::Error },
}

/// A downloaded URL, spooled to an unnamed file.
#[derive(Debug)]
pub struct Download {
    file: File,
    pub url: String,
    /// The last segment of the URL path, when it has one.
    pub name: Option<String>,
    /// `Last-Modified`, when the server sent a valid one.
    pub mtime: Option<(i64, u32)>,
    /// `sha256:<hex>` of the body.
    pub digest: String,
}

fn name_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let last = u.path_segments()?.next_back()?.to_string();
    (!last.is_empty()).then_some(last)
}

/// Download `url` into an unnamed file under `scratch`.
pub fn download(url: &str, scratch: &Path) -> Result<Download, FetchError> {
    let io_err = |source| FetchError::Io {
        url: url.to_string(),
        source,
    };
    std::fs::create_dir_all(scratch).map_err(io_err)?;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(0o600)
        .open(scratch)
        .map_err(io_err)?;
    let rt = crate::image::async_runtime().map_err(io_err)?;
    let http = |e: reqwest::Error| FetchError::Http {
        url: url.to_string(),
        detail: e.to_string(),
    };
    let (mtime, digest) = rt.block_on(async {
        use futures_util::StreamExt;
        let resp = reqwest::Client::new().get(url).send().await.map_err(http)?;
        let status = resp.status();
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_string(),
                status: status.to_string(),
            });
        }
        let mtime = resp
            .headers()
            .get(reqwest::header::LAST_MODIFIED)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
            .map(|t| (t.timestamp(), t.timestamp_subsec_nanos()));
        let mut h = Sha256::new();
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(http)?;
            h.update(&chunk);
            file.write_all(&chunk).map_err(io_err)?;
        }
        Ok((mtime, format!("sha256:{}", hex::encode(h.finalize()))))
    })?;
    file.seek(io::SeekFrom::Start(0)).map_err(io_err)?;
    Ok(Download {
        file,
        url: url.to_string(),
        name: name_of(url),
        mtime,
        digest,
    })
}

/// Write a download to `dest` (relative ones from `workdir`) in the stage
/// rootfs `dest_root`, with ADD's ownership and mode rules.
pub fn add_download(
    d: &mut Download,
    dest_root: &Path,
    dest: &str,
    workdir: &str,
    opts: &CopyOptions,
) -> Result<(), CopyError> {
    let full = if dest.starts_with('/') {
        dest.to_string()
    } else {
        format!("{}/{dest}", if workdir.is_empty() { "/" } else { workdir })
    };
    let mut path = clean_path(Path::new(&full));
    if dest.is_empty() || dest == "." || dest.ends_with('/') {
        let name = d.name.clone().ok_or_else(|| CopyError::Io {
            cmd: "ADD",
            path: PathBuf::from(&d.url),
            source: io::Error::other(format!("cannot determine filename from url: {}", d.url)),
        })?;
        path.push(name);
    }
    let mode = match &opts.chmod {
        None => 0o600,
        Some(s) => match u32::from_str_radix(s, 8) {
            Ok(m) if m <= 0o7777 => m,
            _ => return Err(CopyError::Chmod(s.clone())),
        },
    };
    let (uid, gid) = match &opts.chown {
        Some(spec) => resolve_chown(dest_root, spec)?,
        None => (0, 0),
    };
    let mtime = d.mtime.unwrap_or_else(|| {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        (n.as_secs() as i64, n.subsec_nanos())
    });
    let io = |source| CopyError::Io {
        cmd: "ADD",
        path: PathBuf::from(&d.url),
        source,
    };
    d.file.seek(io::SeekFrom::Start(0)).map_err(io)?;
    let mut w = RootWriter::open(dest_root)?;
    w.file(
        &EntryMeta {
            path,
            mode,
            uid,
            gid,
            mtime,
            xattrs: Vec::new(),
        },
        &mut d.file,
    )?;
    w.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    use std::os::unix::fs::MetadataExt;

    /// Serve `responses` (raw HTTP) to one connection each.
    fn serve(responses: Vec<String>) -> String {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        std::thread::spawn(move || {
            for r in responses {
                let (mut s, _) = l.accept().unwrap();
                let mut rd = BufReader::new(s.try_clone().unwrap());
                let mut line = String::new();
                while rd.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let _ = s.write_all(r.as_bytes());
            }
        });
        format!("http://{addr}")
    }

    #[test]
    fn downloads_with_docker_mode_name_and_mtime() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("rootfs");
        std::fs::create_dir(&root).unwrap();
        let ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nLast-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\nConnection: close\r\n\r\nhello".to_string();
        let base = serve(vec![
            ok.clone(),
            ok,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into(),
        ]);
        let mut d = download(&format!("{base}/files/app.tar.gz"), t.path()).unwrap();
        assert_eq!(d.name.as_deref(), Some("app.tar.gz"));
        add_download(&mut d, &root, "/opt/", "/", &CopyOptions::default()).unwrap();
        let p = root.join("opt/app.tar.gz");
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        let m = std::fs::metadata(&p).unwrap();
        assert_eq!(m.mode() & 0o7777, 0o600);
        assert_eq!(m.mtime(), 1_445_412_480);
        assert_eq!((m.uid(), m.gid()), (0, 0));
        // Without a trailing slash the destination is the file; relative to WORKDIR.
        add_download(&mut d, &root, "renamed", "/w", &CopyOptions::default()).unwrap();
        assert_eq!(std::fs::read(root.join("w/renamed")).unwrap(), b"hello");
        let mut bare = download(&format!("{base}/"), t.path()).unwrap();
        assert_eq!(bare.digest, d.digest);
        let e = add_download(&mut bare, &root, "/opt/", "/", &CopyOptions::default()).unwrap_err();
        assert!(
            e.to_string().contains("cannot determine filename from url"),
            "{e}"
        );
        let e = download(&format!("{base}/missing"), t.path()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("failed to GET {base}/missing with status 404 Not Found")
        );
        // Nothing left in the scratch directory (the spool has no name).
        assert_eq!(std::fs::read_dir(t.path()).unwrap().count(), 1);
    }
}
