//! `commit`: a container's changes become a new layer on top of its image.
//!
//! The layer is the container's upper dir written as an OCI layer by
//! `Snapshotter::export_changes` (whiteouts as `.wh.` entries, berth's
//! runtime mount points left out as Docker's init layer leaves them out),
//! stored and unpacked through `image::import::store_layer`, and the image
//! is recorded through `image::record` like every other. As in Docker, the
//! new config starts from the container's own config (the image's defaults
//! with the container's `--env`, `--entrypoint`, command ... over them),
//! `--change` instructions apply on top, and the history gains one entry:
//! the container's command as `created_by`, `-m` as the comment and `-a` as
//! the author. Pausing the container is the caller's business (it holds the
//! container's lock); this module never touches the runtime.

use super::change::{self, Instruction};
use super::content::ContentStore;
use super::digest::Digest;
use super::import::{now, record_image, store_layer, NewLayer};
use super::manifest::{self, chain_ids, ContainerConfig, History, Manifest};
use super::reference::Reference;
use crate::snapshot::Snapshotter;
use crate::store::{images, Store};
use anyhow::{Context as _, Result};
use std::path::PathBuf;

/// What `commit` needs, with no CLI or container types in it.
#[derive(Debug, Clone)]
pub struct CommitRequest {
    pub container_id: String,
    /// The container's image (its ID).
    pub image_id: String,
    /// The container's effective config, before `changes`.
    pub config: ContainerConfig,
    pub changes: Vec<Instruction>,
    pub comment: Option<String>,
    pub author: Option<String>,
    /// Paths (absolute in the container) kept out of the layer.
    pub hidden: Vec<PathBuf>,
    pub reference: Option<Reference>,
}

/// Keys of a parent config that describe the parent's own build, not the
/// new image.
const PARENT_ONLY: &[&str] = &["container", "container_config", "docker_version"];

/// A snapshot's changes (a container's, or a build step's) as a new layer
/// over `parent`: written as an OCI layer with whiteouts, stored in the
/// content store and unpacked. `commit` and every `RUN`/`COPY` step of
/// `build` make their layers through here.
pub(crate) fn changes_layer(
    content: &ContentStore,
    snapshots: &Snapshotter,
    parent: Option<&Digest>,
    snapshot_id: &str,
    hidden: &[PathBuf],
) -> Result<NewLayer> {
    let (layer, _) = store_layer(content, content.root(), snapshots, parent, |w| {
        snapshots.export_changes(snapshot_id, hidden, w)?;
        Ok(())
    })?;
    Ok(layer)
}

/// The commit use case. Returns the new image ID.
pub fn commit(store: &mut Store, snapshots: &Snapshotter, req: &CommitRequest) -> Result<Digest> {
    let mut config = req.config.clone();
    change::apply(&mut config, &req.changes)?;
    let layout = store.layout().clone();
    let gc_lock = layout.gc_lock_shared()?;
    let content_root = layout.content_dir();
    let content = ContentStore::new(content_root.clone());
    let rec = images::get(store.conn(), &req.image_id)?
        .ok_or_else(|| anyhow::anyhow!("No such image: {}", req.image_id))?;
    let mut image = super::read_config(&content, &req.image_id)
        .with_context(|| format!("reading the config of image {}", req.image_id))?;
    let manifest_digest: Digest = rec.manifest_digest.parse()?;
    let base: Manifest =
        serde_json::from_slice(&content.read(&manifest_digest, manifest::MAX_MANIFEST_SIZE)?)
            .with_context(|| format!("reading the manifest of image {}", req.image_id))?;
    let chains = chain_ids(&image.rootfs.diff_ids);

    let layer = changes_layer(
        &content,
        snapshots,
        chains.last(),
        &req.container_id,
        &req.hidden,
    )
    .with_context(|| format!("committing container {}", req.container_id))?;

    let created = now();
    image.rootfs.diff_ids.push(layer.diff_id.clone());
    image.history.push(History {
        created: Some(created.clone()),
        created_by: Some(config.cmd.clone().unwrap_or_default().join(" ")),
        author: req.author.clone(),
        comment: req.comment.clone(),
        empty_layer: false,
    });
    image.created = Some(created);
    image.author = req.author.clone();
    image.config = Some(config);
    for k in PARENT_ONLY {
        image.extra.remove(*k);
    }
    let mut layers = base.layers;
    layers.push(layer.descriptor);
    let size = chain_ids(&image.rootfs.diff_ids)
        .iter()
        .map(|c| snapshots.layer_info(c).map(|i| i.size).unwrap_or(0))
        .sum();
    record_image(
        &gc_lock,
        store,
        &content,
        &image,
        layers,
        size,
        req.reference.as_ref(),
    )
}
