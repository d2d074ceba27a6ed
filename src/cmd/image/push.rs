//! `berth push NAME[:TAG]`.

use crate::cli::image::PushArgs;
use crate::cmd::context::Context;
use crate::image::digest::Digest;
use crate::image::push::{BlobOutcome, PushEvent, PushProgress, PushRequest, Pusher};
use crate::image::reference::Reference;
use crate::store::images;
use anyhow::{bail, Result};
use std::io::Write;
use std::sync::Arc;

pub fn run(ctx: &Context, args: PushArgs) -> Result<u8> {
    let target = Reference::parse(&args.image)?;
    let mut store = ctx.store()?;
    let image_id = match target.digest() {
        Some(d) => images::by_digest(store.conn(), &target.name(), &d.to_string())?,
        None => images::by_tag(store.conn(), &target.to_string())?,
    };
    let Some(image_id) = image_id else {
        bail!(
            "An image does not exist locally with the tag: {}",
            target.familiar_name()
        );
    };
    let Some(rec) = images::get(store.conn(), &image_id)? else {
        bail!("No such image: {}", args.image);
    };
    let known_repos = rec
        .digests
        .iter()
        .filter_map(|d| d.split_once('@').map(|(r, _)| r.to_string()))
        .chain(
            rec.tags
                .iter()
                .filter_map(|t| Reference::parse(t).ok().map(|r| r.name())),
        )
        .collect();
    let req = PushRequest {
        target: target.clone(),
        manifest_digest: rec.manifest_digest.parse()?,
        manifest_media_type: rec.manifest_media_type.clone(),
        known_repos,
    };
    let config_digest: Digest = rec.id.parse()?;
    let quiet = args.quiet;
    if !quiet {
        println!("The push refers to repository [{}]", target.name());
    }
    let progress: PushProgress = Arc::new(move |ev| {
        if quiet {
            return;
        }
        let PushEvent::Blob { digest, outcome } = ev;
        if digest == config_digest {
            return;
        }
        let text = match outcome {
            BlobOutcome::Preparing => "Preparing".to_string(),
            BlobOutcome::AlreadyExists => "Layer already exists".to_string(),
            BlobOutcome::MountedFrom(r) => format!("Mounted from {r}"),
            BlobOutcome::Pushed => "Pushed".to_string(),
        };
        println!("{}: {text}", digest.short());
    });
    let _gc = ctx.layout.gc_lock_shared()?;
    let pusher = Pusher {
        registry: ctx.registry()?,
        content: ctx.content(),
        max_concurrent: ctx.settings.max_concurrent_uploads,
    };
    let rt = ctx.runtime()?;
    let (digest, size) = rt.block_on(pusher.push(&req, progress))?;
    // The image is now also known by its digest in the target repository.
    store.write(|tx| images::add_digest(tx, &target.name(), &digest.to_string(), &rec.id))?;
    let stdout = std::io::stdout();
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
