//! `berth push NAME[:TAG]`: find the image (`image::push::plan`), print
//! docker's header, run the push use case (`image::push::push_and_record`)
//! and print one line per layer outcome, then the digest line (or only the
//! reference with `-q`).

use crate::cli::image::PushArgs;
use crate::cmd::context::Context;
use crate::image::push::{self, BlobOutcome, PushEvent, PushProgress};
use crate::image::reference::Reference;
use anyhow::Result;
use std::io::{self, Write};
use std::sync::Arc;

pub fn run(ctx: &Context, args: PushArgs) -> Result<u8> {
    let target = Reference::parse(&args.image)?;
    let mut store = ctx.store()?;
    let plan = push::plan(store.conn(), &target)?;
    let quiet = args.quiet;
    if !quiet {
        writeln!(
            io::stdout().lock(),
            "The push refers to repository [{}]",
            target.name()
        )?;
    }
    let progress: PushProgress = Arc::new(move |ev| {
        if quiet {
            return;
        }
        let PushEvent::Blob { digest, outcome } = ev;
        let text = match outcome {
            BlobOutcome::Preparing => "Preparing".to_string(),
            BlobOutcome::AlreadyExists => "Layer already exists".to_string(),
            BlobOutcome::MountedFrom(r) => format!("Mounted from {r}"),
            BlobOutcome::Pushed => "Pushed".to_string(),
        };
        // A progress line cannot fail the push; the last line reports a
        // closed stdout.
        let _ = writeln!(io::stdout().lock(), "{}: {text}", digest.short());
    });
    let (digest, size) = push::push_and_record(
        &mut store,
        ctx.registry()?,
        &plan,
        ctx.settings.max_concurrent_uploads,
        progress,
    )?;
    crate::image::emit_event(
        &ctx.layout,
        "push",
        &target.familiar(),
        &target.familiar_name(),
        &plan.image_id.to_string(),
    );
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if quiet {
        writeln!(out, "{}", target.familiar())?;
    } else {
        let tag = target.tag().unwrap_or("latest");
        writeln!(out, "{tag}: digest: {digest} size: {size}")?;
    }
    out.flush()?;
    Ok(0)
}
