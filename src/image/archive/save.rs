//! `save`: the images named, as one tar that is both a Docker archive and
//! an OCI image layout, in the shape Docker 25+ writes: `blobs/sha256/<hex>`
//! (manifests, configs and layers, each once), `index.json` (one manifest
//! descriptor per tag, annotated with `io.containerd.image.name` and
//! `org.opencontainers.image.ref.name`), `manifest.json` (Config, RepoTags,
//! Layers as blob paths), `oci-layout` and `repositories`.
//!
//! Blobs are streamed from the content store unchanged, so the manifest,
//! config and layer digests survive; berth keeps layers as the registry
//! served them (compressed), which Docker, podman and skopeo all load. The
//! output is deterministic: entries sorted as Docker's tar walk sorts them,
//! owner root, mtime 0. Untagged images get an index entry without
//! annotations (Docker's graphdriver store leaves them out of the OCI half).

use super::{
    invalid, ArchiveError, DockerManifestItem, Repositories, ANNOTATION_IMAGE_NAME,
    ANNOTATION_REF_NAME, MANIFEST_FILE, OCI_INDEX_FILE, OCI_LAYOUT_CONTENT, OCI_LAYOUT_FILE,
    REPOSITORIES_FILE,
};
use crate::image::content::ContentStore;
use crate::image::digest::Digest;
use crate::image::lookup::{self, LookupError, Match};
use crate::image::manifest::{self, ImageConfig, Manifest, Platform, OCI_INDEX};
use crate::image::pull::platform_string;
use crate::image::reference::Reference;
use crate::store::images;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read, Write};

/// One image to save and the tags it is saved under.
#[derive(Debug, Clone)]
pub struct SaveImage {
    pub id: Digest,
    pub manifest_digest: Digest,
    pub manifest_media_type: String,
    pub manifest_size: u64,
    pub manifest: Manifest,
    pub platform: Platform,
    /// Full names with tags, in the order they were asked for.
    pub tags: Vec<Reference>,
}

/// Resolve `names` as `docker save` does: `name:tag` saves that tag, a
/// bare name every tag of that repository, an ID or digest the image
/// without a name. With `platform`, an image of another platform is an
/// error.
pub fn plan(
    conn: &Connection,
    content: &ContentStore,
    names: &[String],
    platform: Option<&Platform>,
) -> Result<Vec<SaveImage>, ArchiveError> {
    let mut wanted: Vec<(String, Option<Reference>, String)> = Vec::new();
    for name in names {
        let bare = Reference::parse_named(name)
            .ok()
            .filter(|r| r.tag().is_none() && r.digest().is_none());
        if let Some(bare) = bare {
            let prefix = format!("{}:", bare.name());
            let mut found = false;
            for rec in images::list(conn)? {
                for t in rec.tags.iter().filter(|t| t.starts_with(&prefix)) {
                    if let Ok(r) = Reference::parse(t) {
                        wanted.push((rec.id.clone(), Some(r), name.clone()));
                        found = true;
                    }
                }
            }
            if found {
                continue;
            }
        }
        let (id, how) =
            lookup::find_match(conn, name)?.ok_or_else(|| LookupError::NotFound(name.clone()))?;
        let tag = match how {
            Match::Tag(t) => Reference::parse(&t).ok(),
            Match::Digest { .. } | Match::Id => None,
        };
        wanted.push((id, tag, name.clone()));
    }

    let mut out: Vec<SaveImage> = Vec::new();
    for (id, tag, asked) in wanted {
        if let Some(img) = out.iter_mut().find(|i| i.id.to_string() == id) {
            if let Some(t) = tag {
                if !img.tags.contains(&t) {
                    img.tags.push(t);
                }
            }
            continue;
        }
        let rec = images::get(conn, &id)?.ok_or_else(|| LookupError::NotFound(asked.clone()))?;
        let id: Digest = rec
            .id
            .parse()
            .map_err(|_| invalid(format!("bad image id {}", rec.id)))?;
        let manifest_digest: Digest = rec
            .manifest_digest
            .parse()
            .map_err(|_| invalid(format!("bad manifest digest {}", rec.manifest_digest)))?;
        let missing = |d: &Digest| ArchiveError::MissingBlob {
            digest: d.clone(),
            image: asked.clone(),
        };
        let bytes = content
            .read(&manifest_digest, manifest::MAX_MANIFEST_SIZE)
            .map_err(|_| missing(&manifest_digest))?;
        let m: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| ArchiveError::Other(format!("manifest {manifest_digest}: {e}")))?;
        for d in std::iter::once(&m.config.digest).chain(m.layers.iter().map(|l| &l.digest)) {
            if !content.has(d) {
                return Err(missing(d));
            }
        }
        let config: ImageConfig = crate::image::read_config(content, &rec.id)
            .map_err(|e| ArchiveError::Other(format!("image config {id}: {e}")))?;
        let actual = Platform {
            architecture: config.architecture.clone(),
            os: config.os.clone(),
            os_version: None,
            variant: config.variant.clone(),
        };
        if let Some(want) = platform {
            let matches = want.os == actual.os
                && want.architecture == actual.architecture
                && (want.variant.is_none() || want.variant == actual.variant);
            if !matches {
                return Err(ArchiveError::Other(format!(
                    "image with reference {asked} was found but does not match the specified platform: wanted {}, actual: {}",
                    platform_string(want),
                    platform_string(&actual)
                )));
            }
        }
        out.push(SaveImage {
            id,
            manifest_digest,
            manifest_media_type: rec.manifest_media_type.clone(),
            manifest_size: bytes.len() as u64,
            manifest: m,
            platform: actual,
            tags: tag.into_iter().collect(),
        });
    }
    Ok(out)
}

/// A descriptor in `index.json`, with Go's field order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IndexEntry<'a> {
    media_type: &'a str,
    digest: &'a Digest,
    size: u64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    annotations: BTreeMap<&'static str, String>,
    platform: &'a Platform,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IndexDoc<'a> {
    schema_version: u32,
    media_type: &'static str,
    manifests: Vec<IndexEntry<'a>>,
}

/// The small documents of the archive, as bytes.
pub struct Documents {
    pub index: Vec<u8>,
    pub manifest: Vec<u8>,
    pub repositories: Option<Vec<u8>>,
}

pub fn documents(images: &[SaveImage]) -> Result<Documents, ArchiveError> {
    let mut entries = Vec::new();
    let mut items = Vec::new();
    let mut repos = Repositories::new();
    for img in images {
        let top = img
            .manifest
            .layers
            .last()
            .map(|l| l.digest.hex().to_string());
        let mut repo_tags = Vec::new();
        for t in &img.tags {
            let tag = t.tag().unwrap_or("latest");
            let mut annotations = BTreeMap::new();
            annotations.insert(ANNOTATION_IMAGE_NAME, t.to_string());
            annotations.insert(ANNOTATION_REF_NAME, tag.to_string());
            entries.push(IndexEntry {
                media_type: &img.manifest_media_type,
                digest: &img.manifest_digest,
                size: img.manifest_size,
                annotations,
                platform: &img.platform,
            });
            repo_tags.push(t.familiar());
            if let Some(top) = &top {
                repos
                    .entry(t.familiar_name())
                    .or_default()
                    .insert(tag.to_string(), top.clone());
            }
        }
        if img.tags.is_empty() {
            entries.push(IndexEntry {
                media_type: &img.manifest_media_type,
                digest: &img.manifest_digest,
                size: img.manifest_size,
                annotations: BTreeMap::new(),
                platform: &img.platform,
            });
        }
        items.push(DockerManifestItem {
            config: blob_path(&img.id),
            repo_tags: (!repo_tags.is_empty()).then_some(repo_tags),
            layers: img
                .manifest
                .layers
                .iter()
                .map(|l| blob_path(&l.digest))
                .collect(),
        });
    }
    let index = json(&IndexDoc {
        schema_version: 2,
        media_type: OCI_INDEX,
        manifests: entries,
    })?;
    // Docker writes these two with a JSON encoder: a newline at the end.
    let mut manifest = json(&items)?;
    manifest.push(b'\n');
    let repositories = if repos.is_empty() {
        None
    } else {
        let mut r = json(&repos)?;
        r.push(b'\n');
        Some(r)
    };
    Ok(Documents {
        index,
        manifest,
        repositories,
    })
}

fn json(v: &impl Serialize) -> Result<Vec<u8>, ArchiveError> {
    serde_json::to_vec(v).map_err(|e| ArchiveError::Other(e.to_string()))
}

fn blob_path(d: &Digest) -> String {
    format!("blobs/sha256/{}", d.hex())
}

fn header(path: &str, kind: tar::EntryType, size: u64) -> Result<tar::Header, ArchiveError> {
    let mut h = tar::Header::new_ustar();
    h.set_path(path).map_err(ArchiveError::Write)?;
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(if kind.is_dir() { 0o755 } else { 0o644 });
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(0);
    h.set_cksum();
    Ok(h)
}

/// Write the archive for `images` to `out`, streaming every blob.
pub fn write(
    content: &ContentStore,
    images: &[SaveImage],
    out: impl Write,
) -> Result<(), ArchiveError> {
    let docs = documents(images)?;
    let mut blobs = BTreeSet::new();
    for img in images {
        blobs.insert(img.manifest_digest.clone());
        blobs.insert(img.manifest.config.digest.clone());
        blobs.extend(img.manifest.layers.iter().map(|l| l.digest.clone()));
    }
    let mut tar = tar::Builder::new(io::BufWriter::with_capacity(1 << 20, out));
    for dir in ["blobs/", "blobs/sha256/"] {
        let h = header(dir, tar::EntryType::Directory, 0)?;
        tar.append(&h, io::empty()).map_err(ArchiveError::Write)?;
    }
    // Sorted by hex, as Docker's directory walk sorts them.
    let mut blobs: Vec<Digest> = blobs.into_iter().collect();
    blobs.sort_by(|a, b| a.hex().cmp(b.hex()));
    for d in &blobs {
        let f = content.open(d)?;
        let size = f
            .metadata()
            .map_err(|e| ArchiveError::Io {
                path: content.blob_path(d),
                source: e,
            })?
            .len();
        let h = header(&blob_path(d), tar::EntryType::Regular, size)?;
        // A blob that changed size under us would corrupt the stream: copy
        // exactly `size` bytes and fail if fewer arrive.
        let mut counted = ExactReader {
            inner: f.take(size),
            left: size,
        };
        tar.append(&h, &mut counted).map_err(ArchiveError::Write)?;
    }
    let mut small = vec![
        (OCI_INDEX_FILE, docs.index),
        (MANIFEST_FILE, docs.manifest),
        (OCI_LAYOUT_FILE, OCI_LAYOUT_CONTENT.as_bytes().to_vec()),
    ];
    if let Some(r) = docs.repositories {
        small.push((REPOSITORIES_FILE, r));
    }
    for (name, data) in small {
        let h = header(name, tar::EntryType::Regular, data.len() as u64)?;
        tar.append(&h, &data[..]).map_err(ArchiveError::Write)?;
    }
    let mut w = tar.into_inner().map_err(ArchiveError::Write)?;
    w.flush().map_err(ArchiveError::Write)?;
    Ok(())
}

struct ExactReader<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for ExactReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.left > 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "a blob shrank while it was being saved",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::manifest::{Descriptor, OCI_LAYER_GZIP, OCI_MANIFEST};

    fn desc(media: &str, data: &[u8]) -> Descriptor {
        Descriptor {
            media_type: media.into(),
            digest: Digest::of_bytes(data),
            size: data.len() as u64,
            platform: None,
            annotations: None,
            urls: None,
        }
    }

    #[test]
    fn documents_have_dockers_shape() {
        let m = Manifest {
            schema_version: 2,
            media_type: Some(OCI_MANIFEST.into()),
            config: desc("application/vnd.oci.image.config.v1+json", b"{}"),
            layers: vec![desc(OCI_LAYER_GZIP, b"l1"), desc(OCI_LAYER_GZIP, b"l2")],
            annotations: None,
        };
        let img = SaveImage {
            id: m.config.digest.clone(),
            manifest_digest: Digest::of_bytes(b"m"),
            manifest_media_type: OCI_MANIFEST.into(),
            manifest_size: 1,
            manifest: m.clone(),
            platform: Platform {
                architecture: "amd64".into(),
                os: "linux".into(),
                os_version: None,
                variant: None,
            },
            tags: vec![Reference::parse("busybox:1").unwrap()],
        };
        let mut untagged = img.clone();
        untagged.tags.clear();
        let docs = documents(&[img, untagged]).unwrap();
        let items: serde_json::Value = serde_json::from_slice(&docs.manifest).unwrap();
        let l2 = Digest::of_bytes(b"l2");
        assert_eq!(
            items[0],
            serde_json::json!({
                "Config": format!("blobs/sha256/{}", m.config.digest.hex()),
                "RepoTags": ["busybox:1"],
                "Layers": [format!("blobs/sha256/{}", Digest::of_bytes(b"l1").hex()),
                           format!("blobs/sha256/{}", l2.hex())],
            })
        );
        assert_eq!(items[1]["RepoTags"], serde_json::Value::Null);
        assert!(docs.manifest.ends_with(b"]\n"));
        let index: serde_json::Value = serde_json::from_slice(&docs.index).unwrap();
        assert_eq!(index["mediaType"], OCI_INDEX);
        let a = &index["manifests"][0]["annotations"];
        assert_eq!(a[ANNOTATION_IMAGE_NAME], "docker.io/library/busybox:1");
        assert_eq!(a[ANNOTATION_REF_NAME], "1");
        assert!(index["manifests"][1].get("annotations").is_none());
        let repos: serde_json::Value = serde_json::from_slice(&docs.repositories.unwrap()).unwrap();
        assert_eq!(repos, serde_json::json!({"busybox": {"1": l2.hex()}}));
    }
}
