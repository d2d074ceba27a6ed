//! The copy driver: builds a container rootfs by copying layer dirs bottom
//! up, applying overlay-form whiteouts (0/0 char devices delete, opaque
//! directories are emptied first) the way overlayfs would present them.
//! Writes go through [`RootWriter`], so a symlink from a lower layer (say
//! `etc -> /etc`) can never redirect a later copy onto the host.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::snapshot::unpack::{self, EntryMeta, RootWriter, UnpackError};
use crate::sys::xattr;

fn read_err(path: &Path) -> impl FnOnce(std::io::Error) -> UnpackError + '_ {
    move |source| UnpackError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `md` is an overlayfs whiteout (a 0/0 character device).
pub(super) fn is_whiteout(md: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    md.file_type().is_char_device() && md.rdev() == 0
}

/// Whether the directory at `path` carries `trusted.overlay.opaque=y`.
pub(super) fn is_opaque(path: &Path) -> bool {
    matches!(xattr::lget(path, unpack::OPAQUE_XATTR), Ok(Some(v)) if v == b"y")
}

/// Image xattrs of `path` (overlay markers excluded).
fn xattrs_of(path: &Path) -> Result<Vec<(String, Vec<u8>)>, UnpackError> {
    let mut out = Vec::new();
    for name in xattr::llist(path).map_err(read_err(path))? {
        let Some(name) = name.to_str() else { continue };
        if !unpack::xattr_allowed(name) {
            continue;
        }
        if let Some(v) = xattr::lget(path, name).map_err(read_err(path))? {
            out.push((name.to_string(), v));
        }
    }
    Ok(out)
}

fn meta_of(rel: &Path, abs: &Path, md: &std::fs::Metadata) -> Result<EntryMeta, UnpackError> {
    Ok(EntryMeta {
        path: rel.to_path_buf(),
        mode: md.mode() & 0o7777,
        uid: md.uid(),
        gid: md.gid(),
        mtime: (md.mtime(), md.mtime_nsec() as u32),
        xattrs: xattrs_of(abs)?,
    })
}

/// Copy `lowers` (top-most first, as overlay takes them) into `dest`.
pub(super) fn apply_layers(lowers: &[PathBuf], dest: &Path) -> Result<(), UnpackError> {
    let mut w = RootWriter::open(dest)?;
    for layer in lowers.iter().rev() {
        let mut links: HashMap<(u64, u64), PathBuf> = HashMap::new();
        copy_dir(&mut w, layer, Path::new(""), &mut links)?;
    }
    w.finish()
}

fn copy_dir(
    w: &mut RootWriter,
    layer: &Path,
    rel: &Path,
    links: &mut HashMap<(u64, u64), PathBuf>,
) -> Result<(), UnpackError> {
    let abs_dir = layer.join(rel);
    let mut entries: Vec<_> = std::fs::read_dir(&abs_dir)
        .map_err(read_err(&abs_dir))?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .map_err(read_err(&abs_dir))?;
    entries.sort();
    for name in entries {
        let rel = rel.join(&name);
        let abs = layer.join(&rel);
        let md = std::fs::symlink_metadata(&abs).map_err(read_err(&abs))?;
        let ft = md.file_type();
        if is_whiteout(&md) {
            w.remove(&rel)?;
        } else if ft.is_dir() {
            if is_opaque(&abs) {
                w.clear_dir(&rel)?;
            }
            w.dir(&meta_of(&rel, &abs, &md)?)?;
            copy_dir(w, layer, &rel, links)?;
        } else if ft.is_file() {
            if md.nlink() > 1 {
                if let Some(first) = links.get(&(md.dev(), md.ino())) {
                    w.hardlink(&rel, first)?;
                    continue;
                }
                links.insert((md.dev(), md.ino()), rel.clone());
            }
            let mut f: File = OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&abs)
                .map_err(read_err(&abs))?;
            w.file(&meta_of(&rel, &abs, &md)?, &mut f)?;
        } else if ft.is_symlink() {
            let target = std::fs::read_link(&abs).map_err(read_err(&abs))?;
            w.symlink(&meta_of(&rel, &abs, &md)?, &target)?;
        } else {
            use std::os::unix::fs::FileTypeExt;
            if ft.is_fifo() {
                w.fifo(&meta_of(&rel, &abs, &md)?)?;
            }
            // Sockets and device nodes are never produced by unpacking;
            // skip them like the extractor does.
        }
    }
    Ok(())
}
