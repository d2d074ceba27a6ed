//! Pulling an image: resolve the reference, pick the platform's manifest from
//! an index, fetch the config, then download every layer in parallel (bounded)
//! straight into the content store while unpacking it into its snapshot in
//! the same pass. `Puller::pull` records nothing; `pull_and_record`, the use
//! case `pull`, `run` and `create` call, writes the image record (through
//! `image::record`) only after every blob is durable, all under the shared
//! GC lock, so an interrupted pull leaves no image record, only verified
//! blobs, finished snapshots and resumable ingest files (integrity rule 6).
//! Progress goes to the `PullProgress` the caller hands in; nothing prints.
//!
//! Layers are independent overlay dirs (see `snapshot`), so they unpack in
//! any order and in parallel. Each layer's compressed bytes are hashed as they
//! arrive; the unpacker sees end-of-stream only after the blob digest matched,
//! so a tampered blob never becomes a snapshot, and the snapshot itself is
//! checked against the config's `diff_ids`.

use super::content::{ContentError, ContentStore, Ingest};
use super::digest::Digest;
use super::manifest::{
    self, chain_ids, is_index, is_manifest, layer_compression, Descriptor, ImageConfig, Index,
    Manifest, Platform,
};
use super::progress::PullProgress;
use super::record::{self, ImageRecordRequest};
use super::reference::Reference;
use super::registry::{Registry, RegistryError};
use crate::snapshot::{SnapshotError, Snapshotter};
use crate::store::images::NewImage;
use crate::store::{Store, StoreError};
use futures_util::StreamExt;
use std::io::{self, Read};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error("no matching manifest for {wanted} in the manifest list entries")]
    NoPlatform { wanted: String },
    #[error("unsupported manifest media type {0:?}")]
    UnsupportedManifest(String),
    #[error("unsupported layer media type {0:?}")]
    UnsupportedLayer(String),
    #[error("invalid {what} {digest}: {source}")]
    Parse {
        what: &'static str,
        digest: Digest,
        source: serde_json::Error,
    },
    #[error("image config {config} lists {diff_ids} layer diff_ids but the manifest has {layers} layers")]
    LayerCount {
        config: Digest,
        diff_ids: usize,
        layers: usize,
    },
    #[error("image config {0} is larger than allowed")]
    ConfigTooLarge(Digest),
    #[error("downloading layer {digest}: {source}")]
    Download { digest: Digest, source: io::Error },
    #[error("background task failed: {0}")]
    Join(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("starting the async runtime: {0}")]
    Runtime(io::Error),
    #[error("writing pull progress: {0}")]
    Output(io::Error),
}

/// Progress of one layer, reported as it changes.
#[derive(Debug, Clone, PartialEq)]
pub enum LayerStatus {
    Waiting,
    AlreadyExists,
    Downloading { done: u64, total: u64 },
    Extracting,
    Complete,
}

#[derive(Debug, Clone)]
pub enum PullEvent {
    /// The manifest was resolved; lists the layers about to be fetched.
    Resolved {
        layers: Vec<Digest>,
    },
    Layer {
        digest: Digest,
        status: LayerStatus,
    },
}

pub type Progress = Arc<dyn Fn(PullEvent) + Send + Sync>;

/// What a finished pull produced, for the caller to record.
#[derive(Debug, Clone)]
pub struct PulledImage {
    /// Docker's image ID: the config digest.
    pub config_digest: Digest,
    pub manifest_digest: Digest,
    pub manifest_media_type: String,
    /// The digest the reference resolved to (an index's digest when the
    /// registry served an index), shown as RepoDigest.
    pub repo_digest: Digest,
    pub created: Option<String>,
    /// Sum of the unpacked layer sizes.
    pub size: u64,
    /// Every blob the image holds: index, manifest, config, layers.
    pub blobs: Vec<Digest>,
    /// True when every layer was already present.
    pub up_to_date: bool,
}

impl PulledImage {
    /// The record this pull makes: the image, the reference's tag (a digest
    /// given next to a tag is dropped from the name), and the repo digest.
    pub fn record_request(&self, r: &Reference) -> ImageRecordRequest {
        ImageRecordRequest {
            image: NewImage {
                id: self.config_digest.to_string(),
                manifest_digest: self.manifest_digest.to_string(),
                manifest_media_type: self.manifest_media_type.clone(),
                size: self.size,
                created: self.created.clone(),
                blobs: self.blobs.iter().map(Digest::to_string).collect(),
            },
            tags: r
                .tag()
                .map(|t| format!("{}:{t}", r.name()))
                .into_iter()
                .collect(),
            repo_digests: vec![(r.name(), self.repo_digest.to_string())],
        }
    }
}

/// What `pull_and_record` needs, with no CLI types in it.
#[derive(Debug, Clone)]
pub struct PullOptions {
    pub reference: Reference,
    pub platform: Platform,
    /// Layers downloaded at once (at least one).
    pub max_concurrent_downloads: usize,
}

/// The pull use case: download and unpack `opts.reference` for its
/// platform, then record the image with its tag and repo digest. Reports to
/// `progress` (start, layer events, done once recorded).
pub fn pull_and_record(
    store: &mut Store,
    registry: Registry,
    opts: &PullOptions,
    progress: Arc<dyn PullProgress>,
) -> Result<PulledImage, PullError> {
    let layout = store.layout().clone();
    progress.start(&opts.reference).map_err(PullError::Output)?;
    // Held shared for the whole pull: GC must not collect what we write
    // before the record exists.
    let gc_lock = layout.gc_lock_shared()?;
    let snapshots = Arc::new(Snapshotter::new(layout.snapshots_dir()));
    snapshots.clean_temp()?;
    let puller = Puller {
        registry,
        content: ContentStore::new(layout.content_dir()),
        snapshots,
        max_concurrent: opts.max_concurrent_downloads,
        platform: opts.platform.clone(),
    };
    let events: Progress = {
        let p = progress.clone();
        Arc::new(move |ev| p.event(ev))
    };
    let rt = super::async_runtime().map_err(PullError::Runtime)?;
    let pulled = rt.block_on(puller.pull(&opts.reference, events))?;
    record::record(&gc_lock, store, &pulled.record_request(&opts.reference))?;
    super::emit_event(
        &layout,
        "pull",
        &opts.reference.familiar(),
        &opts.reference.familiar_name(),
        &pulled.config_digest.to_string(),
    );
    progress
        .done(&opts.reference, &pulled)
        .map_err(PullError::Output)?;
    Ok(pulled)
}

/// What a dry-run pull does (compose's dry-run client): resolve the
/// reference against its registry, download nothing, record nothing.
pub fn resolve_only(registry: Registry, r: &Reference) -> Result<(), PullError> {
    let rt = super::async_runtime().map_err(PullError::Runtime)?;
    rt.block_on(with_retries(|| registry.resolve(r)))?;
    Ok(())
}

pub struct Puller {
    pub registry: Registry,
    pub content: ContentStore,
    pub snapshots: Arc<Snapshotter>,
    pub max_concurrent: usize,
    pub platform: Platform,
}

impl Puller {
    pub async fn pull(&self, r: &Reference, progress: Progress) -> Result<PulledImage, PullError> {
        let (top, top_bytes) = with_retries(|| self.registry.resolve(r)).await?;
        let mut blobs = vec![top.digest.clone()];
        let (manifest_desc, manifest_bytes) = if is_index(&top.media_type) {
            let index: Index =
                serde_json::from_slice(&top_bytes).map_err(|source| PullError::Parse {
                    what: "image index",
                    digest: top.digest.clone(),
                    source,
                })?;
            let chosen = select_platform(&index, &self.platform)?;
            let bytes = with_retries(|| self.registry.fetch_manifest(r, &chosen)).await?;
            self.write_small(&top.digest, &top_bytes).await?;
            (chosen, bytes)
        } else if is_manifest(&top.media_type) {
            (top.clone(), top_bytes)
        } else {
            return Err(PullError::UnsupportedManifest(top.media_type.clone()));
        };
        if manifest_desc.digest != top.digest {
            blobs.push(manifest_desc.digest.clone());
        }
        let manifest: Manifest =
            serde_json::from_slice(&manifest_bytes).map_err(|source| PullError::Parse {
                what: "manifest",
                digest: manifest_desc.digest.clone(),
                source,
            })?;
        // A manifest's own mediaType wins over a vague Content-Type.
        let manifest_media_type = manifest
            .media_type
            .clone()
            .filter(|m| is_manifest(m))
            .unwrap_or_else(|| manifest_desc.media_type.clone());

        let config_bytes = self.fetch_config(r, &manifest.config).await?;
        let config: ImageConfig =
            serde_json::from_slice(&config_bytes).map_err(|source| PullError::Parse {
                what: "image config",
                digest: manifest.config.digest.clone(),
                source,
            })?;
        if config.rootfs.diff_ids.len() != manifest.layers.len() {
            return Err(PullError::LayerCount {
                config: manifest.config.digest.clone(),
                diff_ids: config.rootfs.diff_ids.len(),
                layers: manifest.layers.len(),
            });
        }
        for l in &manifest.layers {
            if layer_compression(&l.media_type).is_none() {
                return Err(PullError::UnsupportedLayer(l.media_type.clone()));
            }
        }
        blobs.push(manifest.config.digest.clone());
        progress(PullEvent::Resolved {
            layers: manifest.layers.iter().map(|l| l.digest.clone()).collect(),
        });

        let chains = chain_ids(&config.rootfs.diff_ids);
        let sem = Arc::new(tokio::sync::Semaphore::new(self.max_concurrent.max(1)));
        let mut tasks = Vec::new();
        for (i, layer) in manifest.layers.iter().enumerate() {
            blobs.push(layer.digest.clone());
            let job = LayerJob {
                registry: self.registry.clone(),
                content: self.content.clone(),
                snapshots: self.snapshots.clone(),
                reference: r.clone(),
                desc: layer.clone(),
                chain_id: chains[i].clone(),
                diff_id: config.rootfs.diff_ids[i].clone(),
                progress: progress.clone(),
            };
            let sem = sem.clone();
            progress(PullEvent::Layer {
                digest: layer.digest.clone(),
                status: LayerStatus::Waiting,
            });
            tasks.push(tokio::spawn(async move {
                let _permit = sem.acquire_owned().await;
                job.run().await
            }));
        }
        let mut size = 0u64;
        let mut up_to_date = true;
        let mut first_err = None;
        for t in tasks {
            match t.await {
                Ok(Ok(outcome)) => {
                    size += outcome.size;
                    up_to_date &= outcome.existed;
                }
                Ok(Err(e)) => {
                    first_err.get_or_insert(e);
                }
                Err(e) => {
                    first_err.get_or_insert(PullError::Join(e.to_string()));
                }
            }
        }
        if let Some(e) = first_err {
            return Err(e);
        }
        // The manifest is committed last of the metadata blobs: its presence
        // says nothing by itself, the database record is what makes an image.
        self.write_small(&manifest_desc.digest, &manifest_bytes)
            .await?;
        dedup(&mut blobs);
        Ok(PulledImage {
            config_digest: manifest.config.digest.clone(),
            manifest_digest: manifest_desc.digest.clone(),
            manifest_media_type,
            repo_digest: top.digest.clone(),
            created: config.created.clone(),
            size,
            blobs,
            up_to_date,
        })
    }

    async fn fetch_config(&self, r: &Reference, desc: &Descriptor) -> Result<Vec<u8>, PullError> {
        if desc.size > manifest::MAX_CONFIG_SIZE {
            return Err(PullError::ConfigTooLarge(desc.digest.clone()));
        }
        if self.content.has(&desc.digest) {
            let content = self.content.clone();
            let d = desc.digest.clone();
            return blocking(move || Ok(content.read(&d, manifest::MAX_CONFIG_SIZE)?)).await;
        }
        let mut stream = self.registry.fetch_blob(r, desc, 0).await?;
        let mut buf = Vec::with_capacity(desc.size as usize);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            if (buf.len() + chunk.len()) as u64 > desc.size {
                return Err(PullError::ConfigTooLarge(desc.digest.clone()));
            }
            buf.extend_from_slice(&chunk);
        }
        self.write_small(&desc.digest, &buf).await?;
        Ok(buf)
    }

    async fn write_small(&self, d: &Digest, data: &[u8]) -> Result<(), PullError> {
        let content = self.content.clone();
        let d = d.clone();
        let data = data.to_vec();
        blocking(move || Ok(content.write_blob(&d, &data)?)).await
    }
}

/// Pick the manifest for `want` from an index, as containerd's platform
/// matcher does for the common cases: exact os/arch, variant when both set.
pub fn select_platform(index: &Index, want: &Platform) -> Result<Descriptor, PullError> {
    let candidates = index
        .manifests
        .iter()
        .filter(|m| is_manifest(&m.media_type) || m.media_type.is_empty());
    let mut best: Option<&Descriptor> = None;
    for m in candidates {
        let Some(p) = &m.platform else { continue };
        if !manifest::platform_matches(want, p) {
            continue;
        }
        // Prefer an exact variant match over a variant-less one.
        let exact = p.variant == want.variant;
        match best {
            Some(b)
                if !exact
                    || b.platform.as_ref().map(|bp| bp.variant == want.variant) == Some(true) => {}
            _ => best = Some(m),
        }
    }
    best.cloned().ok_or_else(|| PullError::NoPlatform {
        wanted: platform_string(want),
    })
}

pub fn platform_string(p: &Platform) -> String {
    match &p.variant {
        Some(v) => format!("{}/{}/{}", p.os, p.architecture, v),
        None => format!("{}/{}", p.os, p.architecture),
    }
}

fn dedup(v: &mut Vec<Digest>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|d| seen.insert(d.clone()));
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, PullError> + Send + 'static,
) -> Result<T, PullError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PullError::Join(e.to_string()))?
}

struct LayerJob {
    registry: Registry,
    content: ContentStore,
    snapshots: Arc<Snapshotter>,
    reference: Reference,
    desc: Descriptor,
    chain_id: Digest,
    diff_id: Digest,
    progress: Progress,
}

struct LayerOutcome {
    size: u64,
    existed: bool,
}

/// How many times a broken download is resumed (with a Range request) before
/// the pull gives up.
const DOWNLOAD_ATTEMPTS: u32 = 3;

impl LayerJob {
    fn report(&self, status: LayerStatus) {
        (self.progress)(PullEvent::Layer {
            digest: self.desc.digest.clone(),
            status,
        });
    }

    async fn run(self) -> Result<LayerOutcome, PullError> {
        let compression = layer_compression(&self.desc.media_type)
            .ok_or_else(|| PullError::UnsupportedLayer(self.desc.media_type.clone()))?;
        let have_snapshot = self.snapshots.has_layer(&self.chain_id);
        if have_snapshot && self.content.has(&self.desc.digest) {
            self.report(LayerStatus::AlreadyExists);
            let size = self
                .snapshots
                .layer_info(&self.chain_id)
                .map(|i| i.size)
                .unwrap_or(0);
            return Ok(LayerOutcome {
                size,
                existed: true,
            });
        }
        // Taking the ingest lock blocks while another process downloads it.
        let content = self.content.clone();
        let (digest, total) = (self.desc.digest.clone(), self.desc.size);
        let ingest = blocking(move || Ok(content.ingest(&digest, total)?)).await?;
        let size = match ingest {
            // Fresh download and no snapshot: download and unpack in one pass.
            Some(ing) if ing.offset() == 0 && !have_snapshot => {
                self.download_and_unpack(ing, compression).await?
            }
            Some(mut ing) => {
                self.download(&mut ing).await?;
                let ing_done = ing;
                blocking(move || Ok(ing_done.commit()?)).await?;
                self.unpack_from_store(compression, have_snapshot).await?
            }
            None => self.unpack_from_store(compression, have_snapshot).await?,
        };
        self.report(LayerStatus::Complete);
        Ok(LayerOutcome {
            size,
            existed: false,
        })
    }

    async fn unpack_from_store(
        &self,
        compression: manifest::Compression,
        have_snapshot: bool,
    ) -> Result<u64, PullError> {
        if have_snapshot {
            return Ok(self
                .snapshots
                .layer_info(&self.chain_id)
                .map(|i| i.size)
                .unwrap_or(0));
        }
        self.report(LayerStatus::Extracting);
        let (content, snaps) = (self.content.clone(), self.snapshots.clone());
        let (digest, chain, diff) = (
            self.desc.digest.clone(),
            self.chain_id.clone(),
            self.diff_id.clone(),
        );
        blocking(move || {
            let f = content.open(&digest)?;
            let r = io::BufReader::with_capacity(1 << 20, f);
            Ok(snaps.unpack_layer(&chain, &diff, compression, r)?.size)
        })
        .await
    }

    /// Download the rest of a blob into its ingest file (resuming at its
    /// offset) and verify it.
    async fn download(&self, ing: &mut Ingest) -> Result<(), PullError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.download_once(ing).await {
                Ok(()) => break,
                Err(e) if attempt < DOWNLOAD_ATTEMPTS && retryable(&e) => backoff(attempt).await,
                Err(e) => return Err(e),
            }
        }
        ing.verify()?;
        Ok(())
    }

    async fn download_once(&self, ing: &mut Ingest) -> Result<(), PullError> {
        let mut done = ing.offset();
        let mut stream = self
            .registry
            .fetch_blob(&self.reference, &self.desc, done)
            .await?;
        let mut last = done;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            ing.write_all(&chunk)?;
            done += chunk.len() as u64;
            self.report_progress(&mut last, done);
        }
        Ok(())
    }

    fn report_progress(&self, last: &mut u64, done: u64) {
        let total = self.desc.size;
        if done - *last >= 512 * 1024 || done == total {
            *last = done;
            self.report(LayerStatus::Downloading { done, total });
        }
    }

    /// The fast path: bytes go from the network to the ingest file and, in the
    /// same pass, through the decompressor into the snapshot.
    async fn download_and_unpack(
        &self,
        ing: Ingest,
        compression: manifest::Compression,
    ) -> Result<u64, PullError> {
        let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<bytes::Bytes>>(64);
        let snaps = self.snapshots.clone();
        let (chain, diff) = (self.chain_id.clone(), self.diff_id.clone());
        let unpacker = tokio::task::spawn_blocking(move || -> Result<u64, PullError> {
            let mut reader = TeeReader {
                rx,
                ingest: Some(ing),
                current: bytes::Bytes::new(),
                finished: false,
                broken: false,
                write_error: None,
            };
            let size = match snaps.unpack_layer(&chain, &diff, compression, &mut reader) {
                Ok(info) => info.size,
                // Writing the download failed (a full disk): say so plainly,
                // not as a broken layer stream. The ingest is already discarded.
                Err(_) if reader.write_error.is_some() => {
                    return Err(reader.write_error.take().expect("checked").into())
                }
                Err(e) => {
                    // Unless the download itself broke (then what arrived is
                    // good and resumable), the bytes were refused as data
                    // (corrupt gzip, bad tar, wrong diff id) or could not be
                    // stored: the next pull must fetch them afresh.
                    if !reader.broken {
                        if let Some(ing) = reader.ingest.as_mut() {
                            ing.discard();
                        }
                    }
                    return Err(e.into());
                }
            };
            let ing = reader.finish()?;
            ing.commit()?;
            Ok(size)
        });
        let mut sent = 0u64;
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            match self.send_once(&tx, &mut sent).await {
                Ok(()) => break Ok(()),
                Err(e) if attempt < DOWNLOAD_ATTEMPTS && retryable(&e) => backoff(attempt).await,
                Err(e) => break Err(e),
            }
        };
        if let Err(e) = result {
            let msg = e.to_string();
            let _ = tx.send(Err(io::Error::other(msg))).await;
            drop(tx);
            // The unpacker fails on the error and removes its temp dir.
            let _ = unpacker.await;
            return Err(e);
        }
        drop(tx);
        self.report(LayerStatus::Extracting);
        unpacker.await.map_err(|e| PullError::Join(e.to_string()))?
    }

    /// Stream the blob from `*sent` onwards into the unpacker's channel.
    async fn send_once(
        &self,
        tx: &tokio::sync::mpsc::Sender<io::Result<bytes::Bytes>>,
        sent: &mut u64,
    ) -> Result<(), PullError> {
        let mut stream = self
            .registry
            .fetch_blob(&self.reference, &self.desc, *sent)
            .await?;
        let mut last = *sent;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            *sent += chunk.len() as u64;
            if tx.send(Ok(chunk)).await.is_err() {
                // The unpacker stopped early; its own error explains why.
                return Ok(());
            }
            self.report_progress(&mut last, *sent);
        }
        Ok(())
    }
}

/// Retry a small registry request (manifest, index) on connection-level
/// failures, as docker does; answers from the registry are final.
async fn with_retries<T, F, Fut>(mut f: F) -> Result<T, RegistryError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, RegistryError>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match f().await {
            Err(e @ RegistryError::Transport { .. }) if attempt < DOWNLOAD_ATTEMPTS => {
                crate::debug::debug!("retrying after: {e}");
                backoff(attempt).await;
            }
            other => return other,
        }
    }
}

async fn backoff(attempt: u32) {
    tokio::time::sleep(std::time::Duration::from_millis(250 * u64::from(attempt))).await;
}

fn content_io(e: &ContentError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

fn retryable(e: &PullError) -> bool {
    match e {
        PullError::Registry(r) => matches!(r, RegistryError::Transport { .. }),
        _ => false,
    }
}

/// Reads chunks from the download, writing each to the ingest file and
/// hashing it on the way; end-of-stream is reported only after the blob's
/// digest and size matched.
struct TeeReader {
    rx: tokio::sync::mpsc::Receiver<io::Result<bytes::Bytes>>,
    ingest: Option<Ingest>,
    current: bytes::Bytes,
    finished: bool,
    /// The download failed (as opposed to the bytes being refused).
    broken: bool,
    /// Why the ingest refused a chunk (too many bytes, a full disk).
    write_error: Option<ContentError>,
}

impl TeeReader {
    fn finish(mut self) -> Result<Ingest, PullError> {
        // The unpacker read to EOF, which already verified the blob.
        let mut sink = [0u8; 8192];
        while self.read(&mut sink).map_err(|e| PullError::Download {
            digest: self
                .ingest
                .as_ref()
                .map(|i| i.expected().clone())
                .unwrap_or_else(|| Digest::of_bytes(b"")),
            source: e,
        })? > 0
        {}
        self.ingest
            .take()
            .ok_or_else(|| PullError::Join("ingest already taken".into()))
    }
}

impl Read for TeeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            if self.finished {
                return Ok(0);
            }
            match self.rx.blocking_recv() {
                Some(Ok(b)) => {
                    if let Some(ing) = self.ingest.as_mut() {
                        if let Err(e) = ing.write_all(&b) {
                            let err = content_io(&e);
                            self.write_error = Some(e);
                            return Err(err);
                        }
                    }
                    self.current = b;
                }
                Some(Err(e)) => {
                    self.broken = true;
                    return Err(e);
                }
                None => {
                    if let Some(ing) = self.ingest.as_mut() {
                        ing.verify().map_err(|e| content_io(&e))?;
                    }
                    self.finished = true;
                }
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        let _ = self.current.split_to(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(arch: &str, variant: Option<&str>, n: u8) -> Descriptor {
        Descriptor {
            media_type: manifest::OCI_MANIFEST.into(),
            digest: Digest::of_bytes(&[n]),
            size: 1,
            platform: Some(Platform {
                architecture: arch.into(),
                os: "linux".into(),
                os_version: None,
                variant: variant.map(Into::into),
            }),
            annotations: None,
            urls: None,
        }
    }

    #[test]
    fn platform_selection() {
        let index = Index {
            schema_version: 2,
            media_type: None,
            manifests: vec![
                desc("arm", Some("v6"), 1),
                desc("arm", Some("v7"), 2),
                desc("amd64", None, 3),
                desc("arm64", None, 4),
            ],
            annotations: None,
        };
        let pick = |s: &str| select_platform(&index, &manifest::parse_platform(s).unwrap());
        assert_eq!(pick("linux/amd64").unwrap().digest, Digest::of_bytes(&[3]));
        assert_eq!(pick("linux/arm/v7").unwrap().digest, Digest::of_bytes(&[2]));
        assert_eq!(pick("linux/arm64").unwrap().digest, Digest::of_bytes(&[4]));
        let e = pick("linux/s390x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "no matching manifest for linux/s390x in the manifest list entries"
        );
    }
}
