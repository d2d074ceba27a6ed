//! `import`: a root filesystem tarball becomes a one-layer image, and the
//! pieces `commit` shares with it: a layer written as a tar stream becomes a
//! gzip blob in the content store (its DiffID hashed on the way) and an
//! unpacked snapshot, and a config over a list of layers becomes an OCI
//! manifest recorded through `image::record`, as `pull` records images.
//!
//! Like Docker, the input may be plain, gzip or zstd compressed (detected
//! from its first bytes, not its name); bzip2 and xz, which Docker also
//! reads, are refused with a clear error. The DiffID is the digest of the
//! decompressed stream. The tarball is only ever extracted by the
//! snapshotter's confined unpacker, so a hostile tarball (`..` names, links
//! out) cannot write outside the layer dir; it fails the import and leaves
//! no image. The history entry carries `-m` or Docker's `Imported from -`
//! (`Imported from <url>` for a URL) comment, and `import` prints the
//! config digest as the image ID.

use super::change::{self, Instruction};
use super::content::ContentStore;
use super::digest::{Digest, Hasher};
use super::manifest::{
    self, chain_ids, ContainerConfig, Descriptor, History, ImageConfig, Manifest, Platform, RootFs,
};
use super::record::{self, ImageRecordRequest};
use super::reference::Reference;
use crate::snapshot::{Compression, Snapshotter};
use crate::store::images::NewImage;
use crate::store::Store;
use crate::sys::lock::FileLock;
use anyhow::{bail, Context as _, Result};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// Where `import` reads the tarball from.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportSource {
    Stdin,
    File(PathBuf),
    Url(String),
}

impl ImportSource {
    /// Docker's reading of the SOURCE argument: `-`, an http(s) URL, or a file.
    pub fn parse(s: &str) -> ImportSource {
        if s == "-" {
            ImportSource::Stdin
        } else if s.starts_with("http://") || s.starts_with("https://") {
            ImportSource::Url(s.to_string())
        } else {
            ImportSource::File(PathBuf::from(s))
        }
    }

    /// The comment Docker writes when `-m` is not given (the CLI streams a
    /// file as the request body, so a file reads `-` too).
    fn default_comment(&self) -> String {
        match self {
            ImportSource::Url(u) => format!("Imported from {u}"),
            _ => "Imported from -".to_string(),
        }
    }
}

/// What `import` needs, with no CLI types in it.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub source: ImportSource,
    pub reference: Option<Reference>,
    pub changes: Vec<Instruction>,
    pub message: Option<String>,
    pub platform: Platform,
}

/// A layer just written to the content store and unpacked.
#[derive(Debug, Clone)]
pub(crate) struct NewLayer {
    pub descriptor: Descriptor,
    pub diff_id: Digest,
}

/// A writer that hashes and counts what goes through it.
struct Hashing<W> {
    inner: W,
    hasher: Hasher,
    size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A spool file under `content/ingest/`, named so that garbage collection
/// (`ContentStore::clean_ingest`) removes it once no process holds its lock.
struct Spool {
    data: PathBuf,
    lock_path: PathBuf,
    _lock: FileLock,
}

impl Spool {
    fn new(content_root: &Path) -> io::Result<(Spool, File)> {
        let dir = content_root.join("ingest");
        std::fs::create_dir_all(&dir)?;
        let stem = format!("spool-{:016x}", rand::random::<u64>());
        let lock_path = dir.join(format!("{stem}.lock"));
        let lock = FileLock::exclusive(&lock_path)?;
        let data = dir.join(format!("{stem}.data"));
        let f = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&data)?;
        Ok((
            Spool {
                data,
                lock_path,
                _lock: lock,
            },
            f,
        ))
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.data);
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// Write a layer: `write_tar` produces the uncompressed tar; it is gzipped
/// into the content store under its digest and unpacked as the snapshot
/// `chain_id(parent, diff_id)` by the confined unpacker. The caller holds
/// the GC lock.
pub(crate) fn store_layer(
    content: &ContentStore,
    content_root: &Path,
    snapshots: &Snapshotter,
    parent_chain: Option<&Digest>,
    write_tar: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<(NewLayer, u64)> {
    let (spool, file) = Spool::new(content_root).context("creating a spool file")?;
    let blob = Hashing {
        inner: io::BufWriter::with_capacity(1 << 20, file),
        hasher: Hasher::new(),
        size: 0,
    };
    let gz = flate2::write::GzEncoder::new(blob, flate2::Compression::fast());
    let mut tar = Hashing {
        inner: gz,
        hasher: Hasher::new(),
        size: 0,
    };
    write_tar(&mut tar)?;
    let diff_id = tar.hasher.finish();
    let blob = tar.inner.finish().context("compressing the layer")?;
    let digest = blob.hasher.finish();
    let size = blob.size;
    let file = blob
        .inner
        .into_inner()
        .map_err(|e| e.into_error())
        .context("writing the layer")?;
    let chain = match parent_chain {
        None => diff_id.clone(),
        Some(p) => chain_ids(&[p.clone(), diff_id.clone()])[1].clone(),
    };
    // The blob is copied into the content store while the snapshot is
    // unpacked from the same spool file: the two run side by side.
    let (committed, unpacked) = std::thread::scope(|s| {
        let commit = s.spawn(|| commit_spool(content, &digest, size, file));
        let unpacked = File::open(&spool.data)
            .map_err(anyhow::Error::from)
            .and_then(|f| {
                let blob = io::BufReader::with_capacity(1 << 20, f);
                Ok(snapshots.unpack_layer(&chain, &diff_id, Compression::Gzip, blob)?)
            });
        (commit.join(), unpacked)
    });
    drop(spool);
    committed.map_err(|_| anyhow::anyhow!("committing the layer blob panicked"))??;
    let info = unpacked?;
    Ok((
        NewLayer {
            descriptor: Descriptor {
                media_type: manifest::OCI_LAYER_GZIP.to_string(),
                digest,
                size,
                platform: None,
                annotations: None,
                urls: None,
            },
            diff_id,
        },
        info.size,
    ))
}

/// Copy a finished spool file into the content store under `digest`.
fn commit_spool(content: &ContentStore, digest: &Digest, size: u64, mut file: File) -> Result<()> {
    use std::io::Seek;
    if let Some(mut ing) = content.ingest(digest, size)? {
        ing.reset()?;
        file.seek(io::SeekFrom::Start(0))?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            ing.write_all(&buf[..n])?;
        }
        ing.commit()?;
    }
    Ok(())
}

/// Write `config` and an OCI manifest over `layers` to the content store
/// and record the image under `reference`. Returns the image ID.
pub(crate) fn record_image(
    gc_lock: &FileLock,
    store: &mut Store,
    content: &ContentStore,
    config: &ImageConfig,
    layers: Vec<Descriptor>,
    size: u64,
    reference: Option<&Reference>,
) -> Result<Digest> {
    let config_bytes = serde_json::to_vec(config)?;
    let config_digest = Digest::of_bytes(&config_bytes);
    content.write_blob(&config_digest, &config_bytes)?;
    let manifest = Manifest {
        schema_version: 2,
        media_type: Some(manifest::OCI_MANIFEST.to_string()),
        config: Descriptor {
            media_type: manifest::OCI_CONFIG.to_string(),
            digest: config_digest.clone(),
            size: config_bytes.len() as u64,
            platform: None,
            annotations: None,
            urls: None,
        },
        layers,
        annotations: None,
    };
    let manifest_bytes = serde_json::to_vec(&manifest)?;
    let manifest_digest = Digest::of_bytes(&manifest_bytes);
    content.write_blob(&manifest_digest, &manifest_bytes)?;
    let mut blobs = vec![manifest_digest.to_string(), config_digest.to_string()];
    blobs.extend(manifest.layers.iter().map(|l| l.digest.to_string()));
    let req = ImageRecordRequest {
        image: NewImage {
            id: config_digest.to_string(),
            manifest_digest: manifest_digest.to_string(),
            manifest_media_type: manifest::OCI_MANIFEST.to_string(),
            size,
            created: config.created.clone(),
            blobs,
        },
        tags: reference.map(|r| r.to_string()).into_iter().collect(),
        repo_digests: Vec::new(),
    };
    record::record(gc_lock, store, &req)?;
    Ok(config_digest)
}

/// The current time as image configs carry it.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

/// How the tarball is compressed, from its first bytes.
fn decompressed<'a>(mut r: BufReader<Box<dyn Read + 'a>>) -> Result<Box<dyn Read + 'a>> {
    let head = r.fill_buf().context("reading the tarball")?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(r))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(zstd::stream::read::Decoder::with_buffer(r)?)
    } else if head.starts_with(b"BZh") {
        bail!("bzip2-compressed tarballs are not supported by berth: decompress it first (bunzip2)")
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        bail!("xz-compressed tarballs are not supported by berth: decompress it first (unxz)")
    } else {
        Box::new(r)
    })
}

/// Download `url` into a spool file and return it, rewound.
fn download(url: &str, content_root: &Path) -> Result<(Spool, File)> {
    let (spool, mut file) = Spool::new(content_root).context("creating a spool file")?;
    let rt = super::async_runtime()?;
    rt.block_on(async {
        use futures_util::StreamExt;
        let resp = reqwest::Client::new()
            .get(url)
            .send()
            .await
            .with_context(|| format!("Get {url:?}"))?;
        let status = resp.status();
        if !status.is_success() {
            bail!("Get {url:?}: unexpected status code {}", status.as_u16());
        }
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.with_context(|| format!("Get {url:?}"))?;
            file.write_all(&chunk)?;
        }
        Ok(())
    })?;
    use std::io::Seek;
    file.seek(io::SeekFrom::Start(0))?;
    Ok((spool, file))
}

/// The import use case: read the tarball, store it as one layer, write the
/// config (with `--change` applied) and manifest, record the image.
pub fn import(store: &mut Store, opts: &ImportOptions) -> Result<Digest> {
    let mut config = ContainerConfig::default();
    change::apply(&mut config, &opts.changes)?;
    let layout = store.layout().clone();
    let gc_lock = layout.gc_lock_shared()?;
    let content_root = layout.content_dir();
    let content = ContentStore::new(content_root.clone());
    let snapshots = Snapshotter::new(layout.snapshots_dir());
    snapshots.clean_temp()?;

    let mut _download = None;
    let input: Box<dyn Read> = match &opts.source {
        ImportSource::Stdin => Box::new(io::stdin().lock()),
        ImportSource::File(p) => {
            Box::new(File::open(p).with_context(|| format!("open {}", p.display()))?)
        }
        ImportSource::Url(u) => {
            let (spool, file) = download(u, &content_root)?;
            _download = Some(spool);
            Box::new(file)
        }
    };
    let mut tar = decompressed(BufReader::with_capacity(1 << 20, input))?;
    let (layer, size) = store_layer(&content, &content_root, &snapshots, None, |w| {
        io::copy(&mut tar, w).context("reading the tarball")?;
        Ok(())
    })
    .context("importing the tarball")?;

    let created = now();
    let image = ImageConfig {
        created: Some(created.clone()),
        author: None,
        architecture: opts.platform.architecture.clone(),
        os: opts.platform.os.clone(),
        variant: opts.platform.variant.clone(),
        config: Some(config),
        rootfs: RootFs {
            kind: "layers".into(),
            diff_ids: vec![layer.diff_id.clone()],
        },
        history: vec![History {
            created: Some(created),
            comment: Some(
                opts.message
                    .clone()
                    .unwrap_or_else(|| opts.source.default_comment()),
            ),
            ..Default::default()
        }],
        extra: Default::default(),
    };
    record_image(
        &gc_lock,
        store,
        &content,
        &image,
        vec![layer.descriptor],
        size,
        opts.reference.as_ref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_argument() {
        assert_eq!(ImportSource::parse("-"), ImportSource::Stdin);
        assert_eq!(
            ImportSource::parse("http://127.0.0.1:1/x.tar"),
            ImportSource::Url("http://127.0.0.1:1/x.tar".into())
        );
        assert_eq!(
            ImportSource::parse("rootfs.tar"),
            ImportSource::File("rootfs.tar".into())
        );
        assert_eq!(ImportSource::Stdin.default_comment(), "Imported from -");
    }

    #[test]
    fn compression_is_detected_from_the_bytes() {
        let plain = b"hello".to_vec();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).unwrap();
        let gz = gz.finish().unwrap();
        let zst = zstd::encode_all(&plain[..], 1).unwrap();
        for input in [plain.clone(), gz, zst] {
            let r: Box<dyn Read> = Box::new(io::Cursor::new(input));
            let mut out = Vec::new();
            decompressed(BufReader::new(r))
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, plain);
        }
        let r: Box<dyn Read> = Box::new(&b"BZh91AY"[..]);
        assert!(decompressed(BufReader::new(r)).is_err());
    }

    #[test]
    fn a_layer_is_stored_unpacked_and_recorded() {
        use crate::snapshot::unpack::tests::{file, tar_of};
        let d = tempfile::tempdir().unwrap();
        let layout = crate::store::Layout::new(d.path().join("data"), d.path().join("state"));
        let mut store = Store::open(layout.clone()).unwrap();
        let lock = layout.gc_lock_shared().unwrap();
        let content = ContentStore::new(layout.content_dir());
        let snaps = Snapshotter::with_driver(layout.snapshots_dir(), crate::snapshot::Driver::Copy);
        let tar = tar_of(&[file("hello.txt", b"hi")]);
        let (layer, size) = store_layer(&content, &layout.content_dir(), &snaps, None, |w| {
            w.write_all(&tar)?;
            Ok(())
        })
        .unwrap();
        assert_eq!(layer.diff_id, Digest::of_bytes(&tar));
        assert!(content.has(&layer.descriptor.digest));
        assert!(snaps.has_layer(&layer.diff_id));
        assert_eq!(size, 2);
        // The spool files are gone.
        let ingest: Vec<_> = std::fs::read_dir(layout.content_dir().join("ingest"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("spool-"))
            .collect();
        assert!(ingest.is_empty());
        let cfg = ImageConfig {
            rootfs: RootFs {
                kind: "layers".into(),
                diff_ids: vec![layer.diff_id.clone()],
            },
            ..Default::default()
        };
        let r = Reference::parse("imported:1").unwrap();
        let id = record_image(
            &lock,
            &mut store,
            &content,
            &cfg,
            vec![layer.descriptor],
            size,
            Some(&r),
        )
        .unwrap();
        let rec = crate::store::images::get(store.conn(), &id.to_string())
            .unwrap()
            .unwrap();
        assert_eq!(rec.tags, ["docker.io/library/imported:1"]);
    }
}
