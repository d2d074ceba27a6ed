//! `berth load [-i FILE] [-q]`: run the load use case
//! (`image::archive::load`) on the file or stdin and print Docker's lines:
//! `Loaded image: NAME:TAG` per tag, `Loaded image ID: sha256:…` for an
//! image without one. Progress bars (reading the archive, then one per
//! layer) are drawn only on a terminal and not with `-q`, as Docker does.

use crate::cli::image::LoadArgs;
use crate::cmd::context::Context;
use crate::image::archive::load::{load, LoadEvent};
use crate::image::digest::Digest;
use anyhow::{bail, Context as _, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::sync::Mutex;

pub fn run(ctx: &Context, args: LoadArgs) -> Result<u8> {
    let (input, total): (Box<dyn Read>, Option<u64>) = match &args.input {
        Some(p) => {
            let f = std::fs::File::open(p).with_context(|| format!("open {}", p.display()))?;
            let len = f.metadata().ok().map(|m| m.len());
            (Box::new(f), len)
        }
        None => {
            if io::stdin().is_terminal() {
                bail!("requested load from stdin, but stdin is empty");
            }
            (Box::new(io::stdin().lock()), None)
        }
    };
    let quiet = args.quiet || !io::stdout().is_terminal();
    let bars = (!quiet).then(|| Bars::new(total));
    let progress = |ev: LoadEvent| {
        if let Some(b) = &bars {
            b.event(ev);
        }
    };
    let mut store = ctx.store()?;
    let result = load(&mut store, input, &progress);
    drop(bars);
    let loaded = result?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for img in &loaded {
        let id = img.id.to_string();
        crate::image::emit_event(&ctx.layout, "load", &id, &id, &id);
        for (tag, old) in &img.moved {
            writeln!(
                out,
                "The image {} already exists, renaming the old one with ID {old} to empty string",
                tag.familiar()
            )?;
        }
        if img.tags.is_empty() {
            writeln!(out, "Loaded image ID: {}", img.id)?;
        }
        for t in &img.tags {
            writeln!(out, "Loaded image: {}", t.familiar())?;
        }
    }
    out.flush()?;
    Ok(0)
}

struct Bars {
    multi: MultiProgress,
    reading: ProgressBar,
    layers: Mutex<HashMap<Digest, ProgressBar>>,
}

fn style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix}: {msg} [{bar:50}] {bytes:>10}/{total_bytes:<10}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl Bars {
    fn new(total: Option<u64>) -> Bars {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stdout());
        let reading = multi.add(match total {
            Some(t) => ProgressBar::new(t).with_style(style()),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{prefix}: {msg} {bytes:>10}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        });
        reading.set_prefix("archive");
        reading.set_message("Reading");
        Bars {
            multi,
            reading,
            layers: Mutex::new(HashMap::new()),
        }
    }

    fn event(&self, ev: LoadEvent) {
        match ev {
            LoadEvent::Reading { done } => self.reading.set_position(done),
            LoadEvent::Layer {
                digest,
                done,
                total,
            } => {
                if !self.reading.is_finished() {
                    self.reading.finish();
                }
                let mut layers = self.layers.lock().unwrap_or_else(|p| p.into_inner());
                let bar = layers.entry(digest.clone()).or_insert_with(|| {
                    let b = self.multi.add(ProgressBar::new(total).with_style(style()));
                    b.set_prefix(digest.short().to_string());
                    b.set_message("Loading layer");
                    b
                });
                bar.set_position(done);
                if done >= total {
                    bar.finish();
                }
            }
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        if !self.reading.is_finished() {
            self.reading.abandon();
        }
        let layers = self.layers.get_mut().unwrap_or_else(|p| p.into_inner());
        for b in layers.values() {
            if !b.is_finished() {
                b.abandon();
            }
        }
    }
}
