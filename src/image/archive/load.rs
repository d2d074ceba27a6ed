//! `load`: record the images of a Docker archive, OCI layout or OCI archive.
//!
//! The archive is spooled first (`spool`), then read as an OCI layout when
//! it has `index.json` and `oci-layout` and every blob its manifests name,
//! else as a Docker archive through `manifest.json` (new layout with
//! `blobs/sha256/`, old with `<id>/layer.tar`, layers plain or compressed).
//! A Docker archive only vouches for its layers through the config's
//! DiffIDs, as Docker checks them: its layers are stored as they come and
//! described by a new OCI manifest. An OCI layout keeps its manifests byte
//! for byte, so a saved and reloaded image keeps every digest.
//!
//! Every blob is verified against its digest while it is copied into the
//! content store and unpacked into its snapshot in the same pass (the
//! snapshot checked against its DiffID), all under the shared GC lock; the
//! images are recorded only once all of them are in place, so a bad archive
//! records nothing and leaves at most verified blobs and layers for GC.
//!
//! Names, as Docker gives them: a Docker archive's `RepoTags`; an OCI
//! descriptor's `io.containerd.image.name`, or its
//! `org.opencontainers.image.ref.name` when that is a full reference (a bare
//! tag names nothing). An image without a name is loaded by ID.

use super::spool::{self, Spool};
use super::{invalid, ArchiveError, DockerManifestItem, MANIFEST_FILE, OCI_INDEX_FILE};
use super::{ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, OCI_LAYOUT_FILE};
use crate::image::content::{ContentError, ContentStore, Ingest};
use crate::image::digest::{Digest, Hasher};
use crate::image::manifest::{
    self, chain_ids, check_document, host_platform, is_index, is_manifest, layer_compression,
    Descriptor, ImageConfig, Index, Manifest, OCI_LAYER, OCI_LAYER_GZIP, OCI_LAYER_ZSTD,
    OCI_MANIFEST,
};
use crate::image::record::{self, ImageRecordRequest};
use crate::image::reference::Reference;
use crate::snapshot::{Compression, Snapshotter};
use crate::store::images::{self, NewImage};
use crate::store::Store;
use std::io::{self, Read};

const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";

/// What load reports while it works.
#[derive(Debug, Clone)]
pub enum LoadEvent {
    /// Bytes of the archive read so far.
    Reading { done: u64 },
    /// A layer is being stored and unpacked.
    Layer {
        digest: Digest,
        done: u64,
        total: u64,
    },
}

pub type LoadProgress<'a> = &'a (dyn Fn(LoadEvent) + Sync);

/// One loaded image.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub id: Digest,
    pub tags: Vec<Reference>,
    /// Tags that pointed at another image before: `(tag, old image id)`.
    pub moved: Vec<(Reference, String)>,
}

#[derive(Debug, Clone)]
struct LayerPlan {
    /// Path in the archive.
    path: String,
    digest: Digest,
    size: u64,
    compression: Compression,
}

#[derive(Debug, Clone)]
struct ImagePlan {
    manifest_bytes: Vec<u8>,
    manifest_digest: Digest,
    manifest_media_type: String,
    config_bytes: Vec<u8>,
    config_digest: Digest,
    config: ImageConfig,
    layers: Vec<LayerPlan>,
    names: Vec<Reference>,
}

/// The load use case: read the archive from `input`, store and record its
/// images.
pub fn load(
    store: &mut Store,
    input: impl Read,
    progress: LoadProgress<'_>,
) -> Result<Vec<Loaded>, ArchiveError> {
    let layout = store.layout().clone();
    spool::clean_stale(&layout.data_root);
    // Held from here: blobs go into the content store while spooling.
    let gc_lock = layout.gc_lock_shared()?;
    let content = ContentStore::new(layout.content_dir());
    let spool = Spool::read(input, &layout.data_root, Some(content.clone()), &|done| {
        progress(LoadEvent::Reading { done })
    })?;
    let plans = plan(&spool)?;
    let snapshots = Snapshotter::new(layout.snapshots_dir());
    snapshots.clean_temp()?;
    let mut requests = Vec::new();
    for p in &plans {
        requests.push(store_image(&spool, &content, &snapshots, p, progress)?);
    }
    drop(spool);
    let mut loaded = Vec::new();
    for (req, p) in requests.iter().zip(&plans) {
        let mut moved = Vec::new();
        for t in &p.names {
            if let Some(old) = images::by_tag(store.conn(), &t.to_string())? {
                if old != req.image.id {
                    moved.push((t.clone(), old));
                }
            }
        }
        record::record(&gc_lock, store, req)?;
        loaded.push(Loaded {
            id: p.config_digest.clone(),
            tags: p.names.clone(),
            moved,
        });
    }
    Ok(loaded)
}

/// Read the archive's documents and decide what to load, checking that
/// every file they name is there before anything is written.
fn plan(spool: &Spool) -> Result<Vec<ImagePlan>, ArchiveError> {
    let docker = spool.has(MANIFEST_FILE);
    if spool.has(OCI_INDEX_FILE) && spool.has(OCI_LAYOUT_FILE) {
        match plan_oci(spool) {
            Ok(mut plans) => {
                if docker {
                    add_repo_tags(spool, &mut plans)?;
                }
                return Ok(plans);
            }
            // Docker's own archives may name compressed blobs in their OCI
            // half that only exist as plain layer tars in the Docker half.
            Err(_) if docker => {}
            Err(e) => return Err(e),
        }
    }
    if docker {
        return plan_docker(spool);
    }
    Err(invalid(
        "it has neither manifest.json nor index.json and oci-layout (archives from Docker before 1.10 are not supported)",
    ))
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, ArchiveError> {
    serde_json::from_slice(bytes).map_err(|e| invalid(format!("{what}: {e}")))
}

fn blob_path(d: &Digest) -> String {
    format!("blobs/sha256/{}", d.hex())
}

/// Read a blob named by a descriptor, refusing one over `limit` and
/// checking its digest and size.
fn read_blob(spool: &Spool, desc: &Descriptor, limit: u64) -> Result<Vec<u8>, ArchiveError> {
    let path = blob_path(&desc.digest);
    if !spool.has(&path) {
        return Err(invalid(format!(
            "blob {} is named but not in the archive",
            desc.digest
        )));
    }
    let bytes = spool.read_small(&path, limit)?;
    let actual = Digest::of_bytes(&bytes);
    if actual != desc.digest || bytes.len() as u64 != desc.size {
        return Err(invalid(format!(
            "blob {} failed verification: got {} bytes with digest {actual}, expected {}",
            desc.digest,
            bytes.len(),
            desc.size
        )));
    }
    Ok(bytes)
}

fn config_of(what: &str, bytes: &[u8], layers: usize) -> Result<ImageConfig, ArchiveError> {
    let config: ImageConfig = parse(what, bytes)?;
    if config.rootfs.diff_ids.len() != layers {
        return Err(invalid(format!(
            "{what} lists {} layer DiffIDs but the image has {layers} layers",
            config.rootfs.diff_ids.len()
        )));
    }
    Ok(config)
}

/// Names an OCI descriptor gives its image.
fn oci_names(desc: &Descriptor) -> Vec<Reference> {
    let Some(a) = &desc.annotations else {
        return Vec::new();
    };
    let full = a.get(ANNOTATION_IMAGE_NAME).cloned().or_else(|| {
        a.get(ANNOTATION_REF_NAME)
            .filter(|r| r.contains('/') || r.contains(':'))
            .cloned()
    });
    full.and_then(|n| Reference::parse_named(&n).ok())
        .filter(|r| r.tag().is_some() && r.digest().is_none())
        .into_iter()
        .collect()
}

fn plan_oci(spool: &Spool) -> Result<Vec<ImagePlan>, ArchiveError> {
    let bytes = spool.read_small(OCI_INDEX_FILE, manifest::MAX_MANIFEST_SIZE)?;
    check_document(&bytes, manifest::OCI_INDEX).map_err(|e| invalid(format!("index.json: {e}")))?;
    let index: Index = parse("index.json", &bytes)?;
    let mut plans: Vec<ImagePlan> = Vec::new();
    for top in &index.manifests {
        let names = oci_names(top);
        let desc = if is_index(&top.media_type) {
            let b = read_blob(spool, top, manifest::MAX_MANIFEST_SIZE)?;
            check_document(&b, &top.media_type)
                .map_err(|e| invalid(format!("index {}: {e}", top.digest)))?;
            let inner: Index = parse(&format!("index {}", top.digest), &b)?;
            crate::image::pull::select_platform(&inner, &host_platform())
                .map_err(|e| invalid(e.to_string()))?
        } else {
            top.clone()
        };
        if !is_manifest(&desc.media_type) {
            return Err(invalid(format!(
                "unsupported manifest media type {:?}",
                desc.media_type
            )));
        }
        if let Some(p) = plans.iter_mut().find(|p| p.manifest_digest == desc.digest) {
            for n in names {
                if !p.names.contains(&n) {
                    p.names.push(n);
                }
            }
            continue;
        }
        let mbytes = read_blob(spool, &desc, manifest::MAX_MANIFEST_SIZE)?;
        check_document(&mbytes, &desc.media_type)
            .map_err(|e| invalid(format!("manifest {}: {e}", desc.digest)))?;
        let m: Manifest = parse(&format!("manifest {}", desc.digest), &mbytes)?;
        let cbytes = read_blob(spool, &m.config, manifest::MAX_CONFIG_SIZE)?;
        let config = config_of(
            &format!("image config {}", m.config.digest),
            &cbytes,
            m.layers.len(),
        )?;
        let mut layers = Vec::new();
        for l in &m.layers {
            let compression = layer_compression(&l.media_type).ok_or_else(|| {
                invalid(format!("unsupported layer media type {:?}", l.media_type))
            })?;
            let path = blob_path(&l.digest);
            let size = spool.size(&path).map_err(|_| {
                invalid(format!(
                    "manifest {} names layer {}, which is not in the archive",
                    desc.digest, l.digest
                ))
            })?;
            if size != l.size {
                return Err(invalid(format!(
                    "layer {} is {size} bytes, its manifest says {}",
                    l.digest, l.size
                )));
            }
            layers.push(LayerPlan {
                path,
                digest: l.digest.clone(),
                size,
                compression,
            });
        }
        let media_type = m
            .media_type
            .clone()
            .filter(|t| is_manifest(t))
            .unwrap_or_else(|| desc.media_type.clone());
        plans.push(ImagePlan {
            manifest_bytes: mbytes,
            manifest_digest: desc.digest.clone(),
            manifest_media_type: media_type,
            config_bytes: cbytes,
            config_digest: m.config.digest.clone(),
            config,
            layers,
            names,
        });
    }
    if plans.is_empty() {
        return Err(invalid("index.json names no image"));
    }
    Ok(plans)
}

fn docker_items(spool: &Spool) -> Result<Vec<DockerManifestItem>, ArchiveError> {
    let bytes = spool.read_small(MANIFEST_FILE, manifest::MAX_MANIFEST_SIZE)?;
    let items: Vec<DockerManifestItem> = parse(MANIFEST_FILE, &bytes)?;
    if items.is_empty() {
        return Err(invalid("manifest.json names no image"));
    }
    Ok(items)
}

/// `RepoTags` as full references; Docker refuses an archive with a bad one.
fn repo_tags(item: &DockerManifestItem) -> Result<Vec<Reference>, ArchiveError> {
    let mut out = Vec::new();
    for t in item.repo_tags.iter().flatten() {
        let r =
            Reference::parse_named(t).map_err(|e| invalid(format!("RepoTags entry {t:?}: {e}")))?;
        if r.tag().is_none() || r.digest().is_some() {
            return Err(invalid(format!("invalid tag {t:?}")));
        }
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Give OCI-loaded images the tags the Docker half of the archive names.
fn add_repo_tags(spool: &Spool, plans: &mut [ImagePlan]) -> Result<(), ArchiveError> {
    for item in docker_items(spool)? {
        let Ok(bytes) = spool.read_small(&item.config, manifest::MAX_CONFIG_SIZE) else {
            continue;
        };
        let d = Digest::of_bytes(&bytes);
        if let Some(p) = plans.iter_mut().find(|p| p.config_digest == d) {
            for t in repo_tags(&item)? {
                if !p.names.contains(&t) {
                    p.names.push(t);
                }
            }
        }
    }
    Ok(())
}

fn hash_file(spool: &Spool, path: &str) -> Result<Digest, ArchiveError> {
    let mut f = spool.open(path)?;
    let mut h = Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(ArchiveError::Read)?;
        if n == 0 {
            return Ok(h.finish());
        }
        h.update(&buf[..n]);
    }
}

fn plan_docker(spool: &Spool) -> Result<Vec<ImagePlan>, ArchiveError> {
    let mut plans: Vec<ImagePlan> = Vec::new();
    for item in docker_items(spool)? {
        let names = repo_tags(&item)?;
        let cbytes = spool
            .read_small(&item.config, manifest::MAX_CONFIG_SIZE)
            .map_err(|e| invalid(format!("config {:?}: {e}", item.config)))?;
        let config_digest = Digest::of_bytes(&cbytes);
        let config = config_of(
            &format!("image config {config_digest}"),
            &cbytes,
            item.layers.len(),
        )?;
        let mut layers = Vec::new();
        for path in &item.layers {
            let size = spool
                .size(path)
                .map_err(|_| invalid(format!("layer {path:?} is not in the archive")))?;
            let mut head = [0u8; 6];
            let mut f = spool.open(path)?;
            let n = read_up_to(&mut f, &mut head).map_err(ArchiveError::Read)?;
            let magic = super::format::detect(&head[..n]);
            let compression = magic.compression().ok_or_else(|| {
                invalid(format!(
                    "layer {path:?} is {} compressed, which berth cannot unpack",
                    magic.name()
                ))
            })?;
            layers.push(LayerPlan {
                path: path.clone(),
                digest: hash_file(spool, path)?,
                size,
                compression,
            });
        }
        let manifest = Manifest {
            schema_version: 2,
            media_type: Some(OCI_MANIFEST.into()),
            config: Descriptor {
                media_type: OCI_CONFIG.into(),
                digest: config_digest.clone(),
                size: cbytes.len() as u64,
                platform: None,
                annotations: None,
                urls: None,
            },
            layers: layers
                .iter()
                .map(|l| Descriptor {
                    media_type: match l.compression {
                        Compression::None => OCI_LAYER,
                        Compression::Gzip => OCI_LAYER_GZIP,
                        Compression::Zstd => OCI_LAYER_ZSTD,
                    }
                    .into(),
                    digest: l.digest.clone(),
                    size: l.size,
                    platform: None,
                    annotations: None,
                    urls: None,
                })
                .collect(),
            annotations: None,
        };
        let mbytes =
            serde_json::to_vec(&manifest).map_err(|e| ArchiveError::Other(e.to_string()))?;
        if let Some(p) = plans.iter_mut().find(|p| p.config_digest == config_digest) {
            for n in names {
                if !p.names.contains(&n) {
                    p.names.push(n);
                }
            }
            continue;
        }
        plans.push(ImagePlan {
            manifest_digest: Digest::of_bytes(&mbytes),
            manifest_bytes: mbytes,
            manifest_media_type: OCI_MANIFEST.into(),
            config_bytes: cbytes,
            config_digest,
            config,
            layers,
            names,
        });
    }
    Ok(plans)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Copy an image's blobs into the content store and unpack its layers,
/// verifying each; return the record to write.
fn store_image(
    spool: &Spool,
    content: &ContentStore,
    snapshots: &Snapshotter,
    p: &ImagePlan,
    progress: LoadProgress<'_>,
) -> Result<ImageRecordRequest, ArchiveError> {
    let chains = chain_ids(&p.config.rootfs.diff_ids);
    let mut size = 0u64;
    for (i, l) in p.layers.iter().enumerate() {
        let (chain, diff) = (&chains[i], &p.config.rootfs.diff_ids[i]);
        let have_blob = content.has(&l.digest);
        if have_blob && snapshots.has_layer(chain) {
            size += snapshots.layer_info(chain).map(|i| i.size).unwrap_or(0);
            progress(LoadEvent::Layer {
                digest: l.digest.clone(),
                done: l.size,
                total: l.size,
            });
            continue;
        }
        let ingest = if have_blob {
            None
        } else {
            content.ingest(&l.digest, l.size)?
        };
        let mut tee = Tee {
            inner: spool.open(&l.path)?,
            ingest,
            digest: l.digest.clone(),
            done: 0,
            last: 0,
            total: l.size,
            progress,
        };
        if let Some(ing) = tee.ingest.as_mut() {
            ing.reset()?;
        }
        match snapshots.unpack_layer(chain, diff, l.compression, &mut tee) {
            Ok(info) => size += info.size,
            Err(e) => {
                if let Some(ing) = tee.ingest.as_mut() {
                    ing.discard();
                }
                return Err(bad_layer(l, e));
            }
        }
        // The layer was there already: the blob still has to be read whole.
        io::copy(&mut tee, &mut io::sink()).map_err(|e| bad_layer(l, e))?;
        if let Some(ing) = tee.ingest.take() {
            ing.commit().map_err(|e| match e {
                e @ ContentError::Mismatch { .. } => bad_layer(l, e),
                e => e.into(),
            })?;
        }
    }
    content.write_blob(&p.config_digest, &p.config_bytes)?;
    content.write_blob(&p.manifest_digest, &p.manifest_bytes)?;
    let mut blobs = vec![p.manifest_digest.to_string(), p.config_digest.to_string()];
    for l in &p.layers {
        let d = l.digest.to_string();
        if !blobs.contains(&d) {
            blobs.push(d);
        }
    }
    Ok(ImageRecordRequest {
        image: NewImage {
            id: p.config_digest.to_string(),
            manifest_digest: p.manifest_digest.to_string(),
            manifest_media_type: p.manifest_media_type.clone(),
            size,
            created: p.config.created.clone(),
            blobs,
        },
        tags: p.names.iter().map(|n| n.to_string()).collect(),
        repo_digests: Vec::new(),
    })
}

/// A layer whose bytes were refused (digest, DiffID, compression, tar).
fn bad_layer(l: &LayerPlan, e: impl std::fmt::Display) -> ArchiveError {
    invalid(format!("layer {} ({:?}): {e}", l.digest, l.path))
}

/// Reads a spooled layer, copying it into its ingest on the way; the end of
/// the stream is reported only once the blob's digest and size matched.
struct Tee<'a> {
    inner: std::fs::File,
    ingest: Option<Ingest>,
    digest: Digest,
    done: u64,
    last: u64,
    total: u64,
    progress: LoadProgress<'a>,
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            if let Some(ing) = self.ingest.as_mut() {
                ing.verify().map_err(io::Error::other)?;
            }
            return Ok(0);
        }
        if let Some(ing) = self.ingest.as_mut() {
            ing.write_all(&buf[..n]).map_err(io::Error::other)?;
        }
        self.done += n as u64;
        if self.done - self.last >= 1 << 20 || self.done == self.total {
            self.last = self.done;
            (self.progress)(LoadEvent::Layer {
                digest: self.digest.clone(),
                done: self.done,
                total: self.total,
            });
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn oci_names_follow_containerd() {
        let d = |pairs: &[(&str, &str)]| Descriptor {
            media_type: OCI_MANIFEST.into(),
            digest: Digest::of_bytes(b"m"),
            size: 1,
            platform: None,
            annotations: Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            urls: None,
        };
        let names = |pairs: &[(&str, &str)]| -> Vec<String> {
            oci_names(&d(pairs)).iter().map(|r| r.to_string()).collect()
        };
        assert_eq!(
            names(&[
                (ANNOTATION_IMAGE_NAME, "docker.io/library/busybox:1"),
                (ANNOTATION_REF_NAME, "1")
            ]),
            ["docker.io/library/busybox:1"]
        );
        assert!(names(&[(ANNOTATION_REF_NAME, "latest")]).is_empty());
        assert_eq!(
            names(&[(ANNOTATION_REF_NAME, "localhost/app:2")]),
            ["localhost/app:2"]
        );
        assert!(names(&[]).is_empty());
    }
}
