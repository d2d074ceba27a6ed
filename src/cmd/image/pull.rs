//! `berth pull`: parse the flags into `PullOptions`, run the pull use case
//! (`image::pull::pull_and_record`), and render its progress.
//!
//! Output follows docker: plain status lines when stdout is not a terminal,
//! a progress bar per layer when it is, and only the reference with `-q`.

use crate::cli::image::PullArgs;
use crate::cmd::context::Context;
use crate::image::digest::Digest;
use crate::image::manifest::{host_platform, parse_platform};
use crate::image::progress::{PullProgress, Silent, TextProgress};
use crate::image::pull::{pull_and_record, LayerStatus, PullEvent, PullOptions, PulledImage};
use crate::image::reference::Reference;
use anyhow::{anyhow, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};

pub fn run(ctx: &Context, args: PullArgs) -> Result<u8> {
    let opts = PullOptions {
        reference: Reference::parse(&args.image)?,
        platform: match &args.platform {
            Some(p) => parse_platform(p).map_err(|e| anyhow!(e))?,
            None => host_platform(),
        },
        max_concurrent_downloads: ctx.settings.max_concurrent_downloads,
    };
    let stdout = io::stdout();
    let progress: Arc<dyn PullProgress> = if args.quiet {
        Arc::new(Silent)
    } else {
        // Docker names the tag it chose when none was typed.
        let named = Reference::parse_named(&args.image).ok();
        if named.is_some_and(|n| n.tag().is_none() && n.digest().is_none()) {
            writeln!(stdout.lock(), "Using default tag: latest")?;
        }
        if stdout.is_terminal() {
            Arc::new(Bars::new())
        } else {
            Arc::new(TextProgress::new(io::stdout()))
        }
    };
    let mut store = ctx.store()?;
    let result = pull_and_record(&mut store, ctx.registry()?, &opts, progress.clone());
    drop(progress);
    result?;
    let mut out = stdout.lock();
    writeln!(out, "{}", opts.reference)?;
    out.flush()?;
    Ok(0)
}

/// Docker's terminal output: the header and summary as plain lines, one
/// progress bar per layer in between.
struct Bars {
    text: TextProgress<io::Stdout>,
    multi: MultiProgress,
    bars: Mutex<HashMap<Digest, ProgressBar>>,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            text: TextProgress::new(io::stdout()),
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stdout()),
            bars: Mutex::new(HashMap::new()),
        }
    }
}

impl PullProgress for Bars {
    fn start(&self, reference: &Reference) -> io::Result<()> {
        self.text.start(reference)
    }

    fn event(&self, ev: PullEvent) {
        let mut bars = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        match ev {
            PullEvent::Resolved { layers } => {
                for d in layers {
                    let bar = self.multi.add(ProgressBar::new(0));
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{prefix}: {msg:<12} {bar:40} {bytes:>10}/{total_bytes:<10}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                    );
                    bar.set_prefix(d.short().to_string());
                    bar.set_message("Waiting");
                    bars.insert(d, bar);
                }
            }
            PullEvent::Layer { digest, status } => {
                let Some(bar) = bars.get(&digest) else {
                    return;
                };
                let word = match &status {
                    LayerStatus::Waiting => "Waiting",
                    LayerStatus::AlreadyExists => "Already exists",
                    LayerStatus::Downloading { .. } => "Downloading",
                    LayerStatus::Extracting => "Extracting",
                    LayerStatus::Complete => "Pull complete",
                };
                if let LayerStatus::Downloading { done, total } = status {
                    bar.set_length(total);
                    bar.set_position(done);
                }
                bar.set_message(word);
                if matches!(status, LayerStatus::AlreadyExists | LayerStatus::Complete) {
                    bar.finish();
                }
            }
        }
    }

    fn done(&self, reference: &Reference, pulled: &PulledImage) -> io::Result<()> {
        self.text.done(reference, pulled)
    }
}

impl Drop for Bars {
    /// Bars of a failed pull stay where they stopped.
    fn drop(&mut self) {
        let bars = self.bars.get_mut().unwrap_or_else(|p| p.into_inner());
        for b in bars.values() {
            if !b.is_finished() {
                b.abandon();
            }
        }
    }
}
