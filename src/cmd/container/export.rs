//! `berth export [-o FILE] CONTAINER`: the container's filesystem (running
//! or not) as a tar, from `Snapshotter::export`. Like docker-cli it refuses
//! to write the archive to a terminal, and `-o` writes a temp file beside
//! the target and renames it into place, so a failed export leaves no
//! half-written file. A reader that goes away (`| head`) ends it quietly.

use crate::cli::container::ExportArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use anyhow::{bail, Context as _, Result};
use std::cell::Cell;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::rc::Rc;

/// Notes whether the reader went away.
struct PipeWatch<'a> {
    inner: &'a mut dyn Write,
    broken: Rc<Cell<bool>>,
}

impl Write for PipeWatch<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                self.broken.set(true);
            }
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().inspect_err(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                self.broken.set(true);
            }
        })
    }
}

pub fn run(ctx: &Context, args: ExportArgs, out: &mut dyn Write) -> Result<u8> {
    if args.output.is_none() && io::stdout().is_terminal() {
        bail!("cowardly refusing to save to a terminal. Use the -o flag or redirect");
    }
    let host = ctx.host()?;
    let store = ctx.store()?;
    let c = lifecycle::find(&store, &args.container)?;
    let snapshots = host.snapshots();
    match &args.output {
        None => {
            let broken = Rc::new(Cell::new(false));
            let w = io::BufWriter::with_capacity(
                1 << 20,
                PipeWatch {
                    inner: out,
                    broken: broken.clone(),
                },
            );
            let r = snapshots
                .export(&c.row.id, w)
                .map_err(anyhow::Error::from)
                .and_then(|mut w| Ok(w.flush()?));
            match r {
                Err(_) if broken.get() => Ok(0),
                Err(e) => Err(e.context(format!("exporting container {}", c.row.id))),
                Ok(()) => Ok(0),
            }
        }
        Some(path) => {
            to_file(path, |f| {
                let mut w =
                    snapshots.export(&c.row.id, io::BufWriter::with_capacity(1 << 20, f))?;
                w.flush()?;
                Ok(())
            })
            .with_context(|| format!("exporting container {}", c.row.id))?;
            Ok(0)
        }
    }
}

/// Write through `f` to a temp file beside `path`, then rename it there.
fn to_file(path: &Path, f: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.berth-{:08x}", rand::random::<u32>()));
    let mut file = std::fs::File::create(&tmp)
        .with_context(|| format!("failed to create file {}", path.display()))?;
    let r = f(&mut file).and_then(|()| Ok(file.sync_all()?));
    let r = r.and_then(|()| {
        std::fs::rename(&tmp, path)
            .with_context(|| format!("failed to rename to {}", path.display()))
    });
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}
