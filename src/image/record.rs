//! Recording an image: the one place an image becomes visible to berth. The
//! image row (config digest, manifest, size, creation time, blobs), the names
//! pointing at it and the repository digests it is known by are written in
//! one `BEGIN IMMEDIATE` transaction. Pull calls it today; load, import,
//! commit and build record their images through it too.
//!
//! It must only be called once every blob and layer snapshot the image
//! names is durable (DESIGN.md integrity rules 1 and 6): a half-made image
//! never gets a record, and an interrupted writer leaves only unreferenced
//! files for garbage collection. The caller proves it has held the GC lock
//! since it wrote those files by passing the guard, so nothing it wrote was
//! collected in between. Like Docker, a tag that pointed at another image
//! moves to this one; the other image keeps its other names.

use crate::store::images::{self, NewImage};
use crate::store::{Store, StoreError};
use crate::sys::lock::FileLock;

/// What to record: the image and every name it gets.
#[derive(Debug, Clone)]
pub struct ImageRecordRequest {
    pub image: NewImage,
    /// Full normalised `domain/path:tag` names, e.g. `docker.io/library/busybox:latest`.
    pub tags: Vec<String>,
    /// `(repository, digest)` pairs, e.g. `("docker.io/library/busybox", "sha256:…")`.
    pub repo_digests: Vec<(String, String)>,
}

/// Write the image record, its tags and repo digests in one transaction.
/// `_gc_lock` proves the caller holds the GC lock (shared is enough).
pub fn record(
    _gc_lock: &FileLock,
    store: &mut Store,
    req: &ImageRecordRequest,
) -> Result<(), StoreError> {
    store.write(|tx| -> Result<(), StoreError> {
        images::insert(tx, &req.image)?;
        for name in &req.tags {
            images::set_tag(tx, name, &req.image.id)?;
        }
        for (repo, digest) in &req.repo_digests {
            images::add_digest(tx, repo, digest, &req.image.id)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Layout;

    fn image(id: &str) -> NewImage {
        NewImage {
            id: id.into(),
            manifest_digest: "sha256:m".into(),
            manifest_media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            size: 10,
            created: None,
            blobs: vec!["sha256:m".into(), id.into()],
        }
    }

    #[test]
    fn records_image_names_and_moves_a_tag() {
        let d = tempfile::tempdir().unwrap();
        let layout = Layout::new(d.path().join("data"), d.path().join("state"));
        let mut store = Store::open(layout.clone()).unwrap();
        let lock = layout.gc_lock_shared().unwrap();
        let tag = "docker.io/library/app:1".to_string();
        let repo = "docker.io/library/app".to_string();
        let first = ImageRecordRequest {
            image: image("sha256:a"),
            tags: vec![tag.clone(), "docker.io/library/app:latest".into()],
            repo_digests: vec![(repo.clone(), "sha256:d1".into())],
        };
        record(&lock, &mut store, &first).unwrap();
        let rec = images::get(store.conn(), "sha256:a").unwrap().unwrap();
        assert_eq!(rec.tags.len(), 2);
        assert_eq!(rec.digests, ["docker.io/library/app@sha256:d1"]);
        assert!(images::referenced_blobs(store.conn())
            .unwrap()
            .contains("sha256:m"));

        // Recording is idempotent, and a tag moves to the newer image.
        record(&lock, &mut store, &first).unwrap();
        let second = ImageRecordRequest {
            image: image("sha256:b"),
            tags: vec![tag.clone()],
            repo_digests: Vec::new(),
        };
        record(&lock, &mut store, &second).unwrap();
        assert_eq!(
            images::by_tag(store.conn(), &tag).unwrap().as_deref(),
            Some("sha256:b")
        );
        let old = images::get(store.conn(), "sha256:a").unwrap().unwrap();
        assert_eq!(old.tags, ["docker.io/library/app:latest"]);
    }
}
