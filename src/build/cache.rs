//! The build cache: what each build step produced, under a key made of its
//! parent step's key, the instruction after substitution, the build args
//! and env it sees and, for COPY/ADD, the content it copies (bctx's
//! `copy::content_key`). An unchanged rebuild finds every step here and
//! makes no container and no layer.
//!
//! Entries are small JSON files, `<data-root>/build-cache/<key>.json`,
//! holding the image config and layer descriptors the step ended with. The
//! layers themselves stay in the content store and the snapshotter; image
//! garbage collection keeps whatever an entry names ([`Cache::live`]), so
//! only `builder prune` (or `system prune -a`) frees them. An entry whose
//! blobs or layer snapshots are gone anyway (a data root repaired by hand)
//! is a miss and is deleted, never an error.

use crate::digest::Digest;
use crate::image::content::ContentStore;
use crate::image::manifest::{chain_ids, Descriptor, ImageConfig};
use crate::snapshot::Snapshotter;
use anyhow::{Context as _, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a step produced.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub image: ImageConfig,
    pub layers: Vec<Descriptor>,
    /// When the entry was written (RFC 3339).
    pub created: String,
    /// How many builds used it (written 1, one more per hit; Docker's
    /// USAGE column in `system df -v`).
    #[serde(default)]
    pub uses: u64,
}

/// One row of `system df -v`'s build cache table.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheRow {
    /// The step key's first 12 characters (Docker's CACHE ID).
    pub id: String,
    /// Bytes of the layer the step itself added (0 for a config-only step).
    pub size: u64,
    pub created: String,
    pub last_used: std::time::SystemTime,
    pub uses: u64,
    /// The step's layer is also an image's.
    pub shared: bool,
}

/// An entry as `builder prune` sees it.
#[derive(Debug, Clone)]
pub struct Record {
    pub key: String,
    pub entry: Entry,
    pub last_used: std::time::SystemTime,
}

pub struct Cache {
    dir: PathBuf,
}

/// A step's key from its parent's and what the step is.
pub fn key(parent: &str, parts: &[&str]) -> String {
    let mut s = String::from(parent);
    for p in parts {
        s.push('\0');
        s.push_str(p);
    }
    Digest::of_bytes(s.as_bytes()).hex().to_string()
}

/// What `system df` and `builder prune` count.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub entries: usize,
    /// Bytes of every blob and unpacked layer the entries name, shared
    /// with images or not (Docker's SIZE column for the build cache).
    pub total: u64,
    /// Bytes of blobs and unpacked layers that only the cache keeps
    /// (what `builder prune` frees).
    pub bytes: u64,
}

impl Cache {
    pub fn new(data_root: &Path) -> Cache {
        Cache {
            dir: data_root.join("build-cache"),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// A usable entry: every layer blob and snapshot it names still exists.
    pub fn get(&self, key: &str, content: &ContentStore, snaps: &Snapshotter) -> Option<Entry> {
        let p = self.path(key);
        let data = std::fs::read(&p).ok()?;
        let entry: Entry = match serde_json::from_slice(&data) {
            Ok(e) => e,
            Err(_) => {
                let _ = std::fs::remove_file(&p);
                return None;
            }
        };
        let blobs_ok = entry
            .layers
            .iter()
            .all(|l| content.blob_path(&l.digest).exists());
        let chains_ok = chain_ids(&entry.image.rootfs.diff_ids)
            .iter()
            .all(|c| snaps.has_layer(c));
        if !blobs_ok || !chains_ok {
            let _ = std::fs::remove_file(&p);
            return None;
        }
        // The file's mtime is when the entry was last used (`builder prune
        // --filter until=`, `--keep-storage` drop the least recently used);
        // rewriting it with one more use sets that too.
        let mut entry = entry;
        entry.uses = entry.uses.max(1) + 1;
        if self.put(key, &entry).is_err() {
            if let Ok(f) = std::fs::File::options().write(true).open(&p) {
                let _ = f.set_modified(std::time::SystemTime::now());
            }
        }
        Some(entry)
    }

    pub fn put(&self, key: &str, entry: &Entry) -> Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let body = serde_json::to_vec(entry)?;
        crate::sys::fs::write_atomic_nosync(&self.path(key), &body)
            .with_context(|| format!("writing {}", self.path(key).display()))?;
        Ok(())
    }

    fn entries(&self) -> Vec<(PathBuf, Entry)> {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        rd.filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| {
                let e = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
                Some((p, e))
            })
            .collect()
    }

    /// Every entry with its key and when it was last used.
    pub fn records(&self) -> Vec<Record> {
        self.entries()
            .into_iter()
            .filter_map(|(path, entry)| {
                let key = path.file_stem()?.to_str()?.to_string();
                let last_used = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                Some(Record {
                    key,
                    entry,
                    last_used,
                })
            })
            .collect()
    }

    /// Forget one entry (what it kept goes at the next image GC).
    pub fn remove(&self, key: &str) -> Result<()> {
        let p = self.path(key);
        match std::fs::remove_file(&p) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("removing {}", p.display())),
        }
    }

    /// Blobs (digest strings) and layer chains the entries name; image GC
    /// keeps them.
    pub fn live(&self) -> (HashSet<String>, HashSet<Digest>) {
        let mut blobs = HashSet::new();
        let mut chains = HashSet::new();
        for (_, e) in self.entries() {
            blobs.extend(e.layers.iter().map(|l| l.digest.to_string()));
            chains.extend(chain_ids(&e.image.rootfs.diff_ids));
        }
        (blobs, chains)
    }

    /// Entries and the bytes only they keep (blobs and layer snapshots no
    /// image in `image_blobs`/`image_chains` uses).
    pub fn usage(
        &self,
        content: &ContentStore,
        snaps: &Snapshotter,
        image_blobs: &HashSet<String>,
        image_chains: &HashSet<Digest>,
    ) -> Usage {
        let entries = self.entries().len();
        let (blobs, chains) = self.live();
        let (mut total, mut bytes) = (0, 0);
        for b in &blobs {
            if let Ok(d) = b.parse::<Digest>() {
                let n = content.size(&d).unwrap_or(0);
                total += n;
                if !image_blobs.contains(b) {
                    bytes += n;
                }
            }
        }
        for c in &chains {
            let n = snaps.layer_info(c).map(|i| i.size).unwrap_or(0);
            total += n;
            if !image_chains.contains(c) {
                bytes += n;
            }
        }
        Usage {
            entries,
            total,
            bytes,
        }
    }

    /// One row per entry for `system df -v`, most recently used first:
    /// the layer the step added (its last history entry made one) with its
    /// size, and whether an image in `image_chains` holds that layer.
    pub fn rows(&self, snaps: &Snapshotter, image_chains: &HashSet<Digest>) -> Vec<CacheRow> {
        let mut rows: Vec<CacheRow> = self
            .records()
            .into_iter()
            .map(|r| {
                let own = r.entry.image.history.last().is_some_and(|h| !h.empty_layer);
                let chain = chain_ids(&r.entry.image.rootfs.diff_ids)
                    .last()
                    .cloned()
                    .filter(|_| own);
                CacheRow {
                    id: r.key.chars().take(12).collect(),
                    size: chain
                        .as_ref()
                        .and_then(|c| snaps.layer_info(c).ok())
                        .map(|i| i.size)
                        .unwrap_or(0),
                    shared: chain.is_some_and(|c| image_chains.contains(&c)),
                    created: r.entry.created,
                    last_used: r.last_used,
                    uses: r.entry.uses.max(1),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.last_used.cmp(&a.last_used).then(a.id.cmp(&b.id)));
        rows
    }

    /// Bytes of every distinct blob and unpacked layer `entries` name.
    pub fn size_of(entries: &[&Entry], content: &ContentStore, snaps: &Snapshotter) -> u64 {
        let mut blobs = HashSet::new();
        let mut chains = HashSet::new();
        for e in entries {
            blobs.extend(e.layers.iter().map(|l| l.digest.clone()));
            chains.extend(chain_ids(&e.image.rootfs.diff_ids));
        }
        let b: u64 = blobs.iter().map(|d| content.size(d).unwrap_or(0)).sum();
        let c: u64 = chains
            .iter()
            .map(|c| snaps.layer_info(c).map(|i| i.size).unwrap_or(0))
            .sum();
        b + c
    }

    /// Forget every entry (what they kept goes at the next image GC).
    /// Returns how many there were.
    pub fn clear(&self) -> Result<usize> {
        let list = self.entries();
        for (p, _) in &list {
            match std::fs::remove_file(p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("removing {}", p.display())),
            }
        }
        Ok(list.len())
    }
}

/// A cache entry with an empty image config and no layers (unit tests).
#[cfg(test)]
pub(super) fn empty_entry() -> Entry {
    use crate::image::manifest::RootFs;
    Entry {
        image: ImageConfig {
            created: None,
            author: None,
            architecture: "amd64".into(),
            os: "linux".into(),
            variant: None,
            config: None,
            rootfs: RootFs {
                kind: "layers".into(),
                diff_ids: Vec::new(),
            },
            history: Vec::new(),
            extra: Default::default(),
        },
        layers: Vec::new(),
        created: "now".into(),
        uses: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_chain_and_entries_round_trip() {
        assert_eq!(key("a", &["RUN x"]), key("a", &["RUN x"]));
        assert_ne!(key("a", &["RUN x"]), key("b", &["RUN x"]));
        assert_ne!(key("a", &["RUN x", ""]), key("a", &["RUN x"]));
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path());
        let content = ContentStore::new(d.path().join("content"));
        let snaps = Snapshotter::new(d.path().join("snapshots"));
        let e = empty_entry();
        cache.put("k", &e).unwrap();
        assert!(cache.get("k", &content, &snaps).is_some());
        assert!(cache.get("other", &content, &snaps).is_none());
        // Each hit counts (system df -v's USAGE); a config-only step has no
        // layer of its own, so its size is 0 and it shares nothing.
        assert_eq!(cache.get("k", &content, &snaps).unwrap().uses, 3);
        let rows = cache.rows(&snaps, &HashSet::new());
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].id.as_str(), rows[0].size, rows[0].uses),
            ("k", 0, 3)
        );
        assert!(!rows[0].shared);
        // An entry naming a layer that is gone is a miss, and is dropped.
        let mut gone = e.clone();
        gone.image.rootfs.diff_ids.push(Digest::of_bytes(b"x"));
        cache.put("g", &gone).unwrap();
        assert!(cache.get("g", &content, &snaps).is_none());
        assert!(!d.path().join("build-cache/g.json").exists());
        assert_eq!(cache.live().1.len(), 0);
        let recs = cache.records();
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].key, "k");
        cache.put("k2", &e).unwrap();
        cache.remove("k2").unwrap();
        cache.remove("k2").unwrap();
        assert_eq!(cache.clear().unwrap(), 1);
        assert!(cache.get("k", &content, &snaps).is_none());
    }
}
