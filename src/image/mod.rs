//! Everything about images: references with Docker's normalisation, the
//! registry client, the content store, manifests and configs, unpacking into
//! snapshots, and archives. It never prints; progress goes through callbacks.

/// Digests are a leaf module of their own (snapshots use them too).
pub(crate) use crate::digest;
pub mod archive;
pub mod change;
pub mod commit;
pub mod content;
pub mod describe;
pub mod gc;
pub mod import;
pub mod lookup;
pub mod manifest;
pub mod progress;
pub mod pull;
pub mod push;
pub mod record;
pub mod reference;
pub mod registry;
pub mod remove;

use std::collections::BTreeMap;

/// A tokio runtime for registry I/O (the only place berth uses async).
pub fn async_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// Record the image event `action` (see [`crate::events::emit_image`])
/// with the labels of the stored image `image_id`, as moby does for every
/// image event but `delete`.
pub fn emit_event(
    layout: &crate::store::layout::Layout,
    action: &str,
    id: &str,
    name: &str,
    image_id: &str,
) {
    let labels = config_labels(&content::ContentStore::new(layout.content_dir()), image_id);
    crate::events::emit_image(&layout.data_root, action, id, name, labels);
}

/// The labels of a stored image's config (empty when unreadable).
pub fn config_labels(content: &content::ContentStore, image_id: &str) -> BTreeMap<String, String> {
    read_config(content, image_id)
        .ok()
        .and_then(|c| c.config.and_then(|c| c.labels))
        .unwrap_or_default()
}

/// Read and parse a stored image's config blob.
pub fn read_config(
    content: &content::ContentStore,
    image_id: &str,
) -> anyhow::Result<manifest::ImageConfig> {
    let d: digest::Digest = image_id.parse()?;
    let bytes = content.read(&d, manifest::MAX_CONFIG_SIZE)?;
    Ok(serde_json::from_slice(&bytes)?)
}
