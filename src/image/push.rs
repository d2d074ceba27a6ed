//! Pushing an image: every blob the platform manifest references is checked
//! on the registry first and skipped when present, mounted from another
//! repository of the same registry when berth knows one that has it, and
//! streamed from the content store otherwise; then the manifest is put with
//! its original bytes, so its digest is the one stored locally.
//!
//! The use case `push` calls is `plan` (find the local image the reference
//! names, with Docker's error when there is none) then `push_and_record`
//! (push under the shared GC lock, then record the pushed digest as one
//! more repo digest of the image). Progress goes to the callback it is
//! handed; nothing prints.

use super::content::ContentStore;
use super::digest::Digest;
use super::manifest::{Descriptor, Manifest, MAX_MANIFEST_SIZE};
use super::reference::Reference;
use super::registry::client::BlobBody;
use super::registry::Registry;
use crate::store::{images, Store};
use anyhow::{bail, Context as _, Result};
use rusqlite::Connection;
use std::sync::Arc;

/// What happened to one blob.
#[derive(Debug, Clone, PartialEq)]
pub enum BlobOutcome {
    Preparing,
    AlreadyExists,
    MountedFrom(String),
    Pushed,
}

#[derive(Debug, Clone)]
pub enum PushEvent {
    Blob {
        digest: Digest,
        outcome: BlobOutcome,
    },
}

pub type PushProgress = Arc<dyn Fn(PushEvent) + Send + Sync>;

pub struct Pusher {
    pub registry: Registry,
    pub content: ContentStore,
    pub max_concurrent: usize,
}

pub struct PushRequest {
    pub target: Reference,
    pub manifest_digest: Digest,
    pub manifest_media_type: String,
    /// Repositories (full names) known to hold this image, for cross-repo mounts.
    pub known_repos: Vec<String>,
}

/// A push decided from the local store: what to send and the image it is.
pub struct PushPlan {
    pub request: PushRequest,
    /// Docker's image ID (the config digest).
    pub image_id: Digest,
}

/// Find the local image `target` names (by tag, or by repo digest).
pub fn plan(conn: &Connection, target: &Reference) -> Result<PushPlan> {
    let image_id = match target.digest() {
        Some(d) => images::by_digest(conn, &target.name(), &d.to_string())?,
        None => images::by_tag(conn, &target.to_string())?,
    };
    let Some(image_id) = image_id else {
        bail!(
            "An image does not exist locally with the tag: {}",
            target.familiar_name()
        );
    };
    let Some(rec) = images::get(conn, &image_id)? else {
        bail!("No such image: {target}");
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
    Ok(PushPlan {
        request: PushRequest {
            target: target.clone(),
            manifest_digest: rec.manifest_digest.parse()?,
            manifest_media_type: rec.manifest_media_type.clone(),
            known_repos,
        },
        image_id: rec.id.parse()?,
    })
}

/// The push use case: push `plan` (at most `max_concurrent` blobs at once)
/// and record the manifest digest as a repo digest of the image in the
/// target repository. Returns the manifest digest and size. Progress
/// reports layers only: Docker shows no line for the config blob.
pub fn push_and_record(
    store: &mut Store,
    registry: Registry,
    plan: &PushPlan,
    max_concurrent: usize,
    progress: PushProgress,
) -> Result<(Digest, u64)> {
    let layout = store.layout().clone();
    // Held shared: GC must not remove blobs while they are read.
    let _gc = layout.gc_lock_shared()?;
    let pusher = Pusher {
        registry,
        content: ContentStore::new(layout.content_dir()),
        max_concurrent,
    };
    let config = plan.image_id.clone();
    let layers: PushProgress = Arc::new(move |ev| {
        let PushEvent::Blob { digest, .. } = &ev;
        if *digest != config {
            progress(ev);
        }
    });
    let rt = super::async_runtime().context("starting the async runtime")?;
    let (digest, size) = rt.block_on(pusher.push(&plan.request, layers))?;
    let target = &plan.request.target;
    let image_id = plan.image_id.to_string();
    store.write(|tx| images::add_digest(tx, &target.name(), &digest.to_string(), &image_id))?;
    Ok((digest, size))
}

impl Pusher {
    /// Push and return the manifest digest and size.
    pub async fn push(&self, req: &PushRequest, progress: PushProgress) -> Result<(Digest, u64)> {
        let bytes = self
            .content
            .read(&req.manifest_digest, MAX_MANIFEST_SIZE)
            .with_context(|| format!("reading manifest {}", req.manifest_digest))?;
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .with_context(|| format!("parsing manifest {}", req.manifest_digest))?;
        let mut blobs: Vec<Descriptor> = manifest.layers.clone();
        blobs.push(manifest.config.clone());
        let mount_from: Vec<Reference> = req
            .known_repos
            .iter()
            .filter_map(|r| Reference::parse(r).ok())
            .filter(|r| r.domain() == req.target.domain() && r.path() != req.target.path())
            .collect();
        let sem = Arc::new(tokio::sync::Semaphore::new(self.max_concurrent.max(1)));
        let mut tasks = Vec::new();
        for desc in blobs {
            progress(PushEvent::Blob {
                digest: desc.digest.clone(),
                outcome: BlobOutcome::Preparing,
            });
            let (registry, content, target, sem, progress, mount_from) = (
                self.registry.clone(),
                self.content.clone(),
                req.target.clone(),
                sem.clone(),
                progress.clone(),
                mount_from.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let _permit = sem.acquire_owned().await;
                let outcome = push_blob(&registry, &content, &target, &desc, &mount_from).await?;
                progress(PushEvent::Blob {
                    digest: desc.digest.clone(),
                    outcome,
                });
                Ok::<_, anyhow::Error>(())
            }));
        }
        for t in tasks {
            t.await.context("push task failed")??;
        }
        let tag = req
            .target
            .tag()
            .map(str::to_string)
            .unwrap_or_else(|| req.manifest_digest.to_string());
        self.registry
            .put_manifest(&req.target, &tag, &req.manifest_media_type, &bytes)
            .await?;
        Ok((req.manifest_digest.clone(), bytes.len() as u64))
    }
}

async fn push_blob(
    registry: &Registry,
    content: &ContentStore,
    target: &Reference,
    desc: &Descriptor,
    mount_from: &[Reference],
) -> Result<BlobOutcome> {
    if registry.blob_exists(target, &desc.digest).await? {
        return Ok(BlobOutcome::AlreadyExists);
    }
    for from in mount_from {
        match registry.mount_blob(target, from, &desc.digest).await {
            Ok(true) => return Ok(BlobOutcome::MountedFrom(from.path().to_string())),
            Ok(false) => {}
            // A failed mount attempt is not fatal: upload instead.
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
    }
    let path = content.blob_path(&desc.digest);
    if !path.is_file() {
        anyhow::bail!(
            "blob {} is not in the local content store; pull the image again before pushing",
            desc.digest
        );
    }
    registry
        .push_blob(target, desc, BlobBody::File(path), None)
        .await?;
    Ok(BlobOutcome::Pushed)
}
