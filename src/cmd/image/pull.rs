//! `berth pull`: resolve, download and unpack, then record the image.
//!
//! Output follows docker: plain status lines when stdout is not a terminal,
//! a progress bar per layer when it is, and only the reference with `-q`.

use crate::cli::image::PullArgs;
use crate::cmd::context::Context;
use crate::image::digest::Digest;
use crate::image::manifest::{host_platform, parse_platform, Platform};
use crate::image::pull::{LayerStatus, Progress, PullEvent, PulledImage, Puller};
use crate::image::reference::Reference;
use crate::store::images::{self, NewImage};
use anyhow::{anyhow, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

pub fn run(ctx: &Context, args: PullArgs) -> Result<u8> {
    let reference = Reference::parse(&args.image)?;
    let platform = match &args.platform {
        Some(p) => parse_platform(p).map_err(|e| anyhow!(e))?,
        None => host_platform(),
    };
    let mode = if args.quiet {
        OutputMode::Quiet
    } else if std::io::stdout().is_terminal() {
        OutputMode::Bars
    } else {
        OutputMode::Lines
    };
    pull_image(ctx, &reference, platform, mode, &args.image)?;
    Ok(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    Quiet,
    Lines,
    Bars,
    /// Plain lines on stderr, without the final reference (`run`, `create`).
    Stderr,
}

/// Pull and record an image; shared by `pull` and by `run`/`create` when the
/// image is missing. Returns the image ID.
pub fn pull_image(
    ctx: &Context,
    reference: &Reference,
    platform: Platform,
    mode: OutputMode,
    typed: &str,
) -> Result<String> {
    let layout = &ctx.layout;
    let mut store = ctx.store()?;
    let mut out: Box<dyn Write> = if mode == OutputMode::Stderr {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    };
    if mode != OutputMode::Quiet {
        let named = Reference::parse_named(typed).ok();
        // `run`/`create` announce the pull with "Unable to find image" instead.
        if mode != OutputMode::Stderr
            && named.is_some_and(|n| n.tag().is_none() && n.digest().is_none())
        {
            writeln!(out, "Using default tag: latest")?;
        }
        let what = reference
            .tag()
            .map(str::to_string)
            .or_else(|| reference.digest().map(|d| d.to_string()))
            .unwrap_or_default();
        let repo = reference.familiar_name();
        let path = if reference.domain() == "docker.io" {
            reference.path().to_string()
        } else {
            repo
        };
        writeln!(out, "{what}: Pulling from {path}")?;
        out.flush()?;
    }
    // Held shared for the whole pull: GC must not collect what we write
    // before the record exists.
    let _gc = layout.gc_lock_shared()?;
    let snapshots = Arc::new(crate::snapshot::Snapshotter::new(layout.snapshots_dir()));
    snapshots.clean_temp()?;
    let registry = ctx.registry()?;
    let puller = Puller {
        registry,
        content: ctx.content(),
        snapshots,
        max_concurrent: ctx.settings.max_concurrent_downloads,
        platform,
    };
    let reporter = Reporter::new(mode);
    let progress: Progress = {
        let r = reporter.clone();
        Arc::new(move |ev| r.event(ev))
    };
    let rt = ctx.runtime()?;
    let result = rt.block_on(puller.pull(reference, progress));
    reporter.finish();
    let pulled = result?;
    record(&mut store, reference, &pulled)?;
    match mode {
        OutputMode::Quiet => writeln!(out, "{reference}")?,
        _ => {
            writeln!(out, "Digest: {}", pulled.repo_digest)?;
            let status = if pulled.up_to_date {
                "Image is up to date for"
            } else {
                "Downloaded newer image for"
            };
            writeln!(out, "Status: {status} {}", reference.familiar())?;
            if mode != OutputMode::Stderr {
                writeln!(out, "{reference}")?;
            }
        }
    }
    out.flush()?;
    Ok(pulled.config_digest.to_string())
}

/// Write the image record, its tag and repo digest in one transaction.
fn record(store: &mut crate::store::Store, r: &Reference, p: &PulledImage) -> Result<()> {
    let img = NewImage {
        id: p.config_digest.to_string(),
        manifest_digest: p.manifest_digest.to_string(),
        manifest_media_type: p.manifest_media_type.clone(),
        size: p.size,
        created: p.created.clone(),
        blobs: p.blobs.iter().map(Digest::to_string).collect(),
    };
    // `domain/path:tag`, dropping a digest given next to the tag.
    let tag_name = r.tag().map(|t| format!("{}:{t}", r.name()));
    let repo = r.name();
    store.write(|tx| -> Result<()> {
        images::insert(tx, &img)?;
        if let Some(name) = &tag_name {
            images::set_tag(tx, name, &img.id)?;
        }
        images::add_digest(tx, &repo, &p.repo_digest.to_string(), &img.id)?;
        Ok(())
    })
}

/// Renders pull events as docker does, either as lines or as bars.
#[derive(Clone)]
struct Reporter {
    mode: OutputMode,
    inner: Arc<Mutex<ReporterState>>,
}

struct ReporterState {
    multi: Option<MultiProgress>,
    bars: HashMap<Digest, ProgressBar>,
    last: HashMap<Digest, &'static str>,
}

impl Reporter {
    fn new(mode: OutputMode) -> Reporter {
        let multi = (mode == OutputMode::Bars)
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stdout()));
        Reporter {
            mode,
            inner: Arc::new(Mutex::new(ReporterState {
                multi,
                bars: HashMap::new(),
                last: HashMap::new(),
            })),
        }
    }

    fn event(&self, ev: PullEvent) {
        if self.mode == OutputMode::Quiet {
            return;
        }
        let Ok(mut st) = self.inner.lock() else {
            return;
        };
        match ev {
            PullEvent::Resolved { layers } => {
                if let Some(multi) = st.multi.clone() {
                    for d in layers {
                        let bar = multi.add(ProgressBar::new(0));
                        bar.set_style(
                            ProgressStyle::with_template(
                                "{prefix}: {msg:<12} {bar:40} {bytes:>10}/{total_bytes:<10}",
                            )
                            .unwrap_or_else(|_| ProgressStyle::default_bar())
                            .progress_chars("=> "),
                        );
                        bar.set_prefix(d.short().to_string());
                        bar.set_message("Waiting");
                        st.bars.insert(d, bar);
                    }
                }
            }
            PullEvent::Layer { digest, status } => {
                let word = match &status {
                    LayerStatus::Waiting => "Waiting",
                    LayerStatus::AlreadyExists => "Already exists",
                    LayerStatus::Downloading { .. } => "Downloading",
                    LayerStatus::Extracting => "Extracting",
                    LayerStatus::Complete => "Pull complete",
                };
                if let Some(bar) = st.bars.get(&digest) {
                    if let LayerStatus::Downloading { done, total } = status {
                        bar.set_length(total);
                        bar.set_position(done);
                    }
                    bar.set_message(word);
                    if matches!(status, LayerStatus::AlreadyExists | LayerStatus::Complete) {
                        bar.finish();
                    }
                    return;
                }
                // Plain lines: one per state change, skipping byte counts.
                let word = match status {
                    LayerStatus::Waiting => return,
                    LayerStatus::Downloading { .. } => "Pulling fs layer",
                    _ => word,
                };
                if st.last.get(&digest) != Some(&word) {
                    st.last.insert(digest.clone(), word);
                    if self.mode == OutputMode::Stderr {
                        eprintln!("{}: {word}", digest.short());
                    } else {
                        println!("{}: {word}", digest.short());
                    }
                }
            }
        }
    }

    fn finish(&self) {
        if let Ok(st) = self.inner.lock() {
            for b in st.bars.values() {
                if !b.is_finished() {
                    b.abandon();
                }
            }
        }
    }
}
