//! `berth save [-o FILE] IMAGE...`: plan the images (`image::archive::save`)
//! and stream the archive to the file or to stdout, refusing a terminal as
//! Docker does. A file is written under a temporary name in its directory
//! and renamed into place once complete, so a failed save leaves nothing.

use crate::cli::image::SaveArgs;
use crate::cmd::context::Context;
use crate::image::archive::save;
use crate::image::content::ContentStore;
use crate::image::manifest::parse_platform;
use anyhow::{anyhow, bail, Context as _, Result};
use std::fs::File;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

pub fn run(ctx: &Context, args: SaveArgs) -> Result<u8> {
    if args.output.is_none() && io::stdout().is_terminal() {
        bail!("cowardly refusing to save to a terminal. Use the -o flag or redirect");
    }
    if let Some(out) = &args.output {
        check_output_path(out)?;
    }
    let platform = match &args.platform {
        Some(p) => Some(parse_platform(p).map_err(|e| anyhow!(e))?),
        None => None,
    };
    let store = ctx.store()?;
    let layout = store.layout().clone();
    // Held while blobs are read so rmi's garbage collection waits for us.
    let _gc = layout.gc_lock_shared()?;
    let content = ContentStore::new(layout.content_dir());
    let images = save::plan(store.conn(), &content, &args.images, platform.as_ref())?;
    match &args.output {
        None => save::write(&content, &images, io::stdout().lock())?,
        Some(path) => {
            let tmp = TempOut::create(path)?;
            save::write(&content, &images, &tmp.file)?;
            tmp.persist(path)?;
        }
    }
    for img in &images {
        let id = img.id.to_string();
        crate::image::emit_event(&layout, "save", &id, &id, &id);
    }
    Ok(0)
}

/// Docker's check of `-o`: its directory must exist.
fn check_output_path(path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        bail!(
            "failed to save image: invalid output path: directory {:?} does not exist",
            dir.display().to_string()
        );
    }
    if path.is_dir() {
        bail!(
            "failed to save image: invalid output path: {:?} must be a directory or a regular file",
            path.display().to_string()
        );
    }
    Ok(())
}

/// A file next to the destination, removed unless persisted.
struct TempOut {
    path: PathBuf,
    file: File,
    keep: bool,
}

impl TempOut {
    fn create(dest: &Path) -> Result<TempOut> {
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let path = dir.join(format!(".berth_temp_{:016x}", rand::random::<u64>()));
        let file = File::create_new(&path)
            .with_context(|| format!("failed to save image: {}", path.display()))?;
        Ok(TempOut {
            path,
            file,
            keep: false,
        })
    }

    fn persist(mut self, dest: &Path) -> Result<()> {
        self.file
            .sync_all()
            .with_context(|| format!("failed to save image: {}", self.path.display()))?;
        std::fs::rename(&self.path, dest)
            .with_context(|| format!("failed to save image: {}", dest.display()))?;
        self.keep = true;
        Ok(())
    }
}

impl Drop for TempOut {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
