//! Image archives: `save` writes one tar that is both a Docker archive
//! (`manifest.json`, `repositories`) and an OCI image layout (`oci-layout`,
//! `index.json`, `blobs/sha256/`), sharing the blobs, as Docker 25+ does;
//! `load` reads Docker archives (old and new layouts), OCI layouts and OCI
//! archives, plain or gzip/zstd compressed.
//!
//! Saving streams blobs from the content store byte for byte, so every
//! digest survives. Loading reads the archive once: OCI blobs go straight
//! into the content store (verified against their names), other files into
//! a private temp dir under the data root (a Docker archive may name its
//! manifest last); then it records each image through the same path pull uses
//! (content ingest, snapshot unpack checked against the DiffIDs,
//! `image::record`). Nothing here prints; load reports progress through a
//! callback.

pub mod format;
pub mod load;
pub mod save;
pub mod spool;

use super::content::ContentError;
use super::digest::Digest;
use crate::snapshot::SnapshotError;
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Docker's `manifest.json`: one item per image.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Docker's legacy `repositories`: `{repo: {tag: top layer id}}`.
pub const REPOSITORIES_FILE: &str = "repositories";
pub const OCI_LAYOUT_FILE: &str = "oci-layout";
pub const OCI_INDEX_FILE: &str = "index.json";
/// Exactly what Docker writes to `oci-layout`.
pub const OCI_LAYOUT_CONTENT: &str = "{\"imageLayoutVersion\": \"1.0.0\"}";
/// The annotation containerd and Docker 25+ put the full image name in.
pub const ANNOTATION_IMAGE_NAME: &str = "io.containerd.image.name";
/// The OCI annotation for a reference name (Docker writes the tag).
pub const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";

/// One item of Docker's `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DockerManifestItem {
    #[serde(rename = "Config")]
    pub config: String,
    /// `null` for an untagged image, as Docker writes it.
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    pub layers: Vec<String>,
}

/// Docker's legacy `repositories` file.
pub type Repositories = BTreeMap<String, BTreeMap<String, String>>;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("reading the archive: {0}")]
    Read(std::io::Error),
    #[error("writing the archive: {0}")]
    Write(std::io::Error),
    #[error("invalid archive: {0}")]
    Invalid(String),
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Lookup(#[from] super::lookup::LookupError),
    #[error("blob {digest} of image {image} is missing from the content store")]
    MissingBlob { digest: Digest, image: String },
    #[error("{0}")]
    Other(String),
}

pub(crate) fn invalid(msg: impl Into<String>) -> ArchiveError {
    ArchiveError::Invalid(msg.into())
}

pub(crate) fn io_err(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_path_buf(),
        source,
    }
}
