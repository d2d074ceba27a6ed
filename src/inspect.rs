//! What `docker inspect` finds for a name, below the commands: one
//! container's inspect object (state refreshed from its shim first), one
//! image's, and the generic lookup that tries containers first, then images
//! (`--type container|image` restricts it), as Docker does.
//!
//! It returns JSON values and the first name it did not find; rendering
//! (`--format`, the JSON array) and the error wording of a miss
//! (`No such object|container|image: x`) belong to the command. It never
//! prints.

use crate::container::describe::{self, Facts, Sizes};
use crate::container::lifecycle::{self, Host};
use crate::image::content::ContentStore;
use crate::image::{lookup, manifest::chain_ids, read_config};
use crate::snapshot::Snapshotter;
use crate::store::Store;
use anyhow::Result;
use serde_json::Value;

/// Which kinds of object a name may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Any,
    Container,
    Image,
}

impl Kind {
    /// The word of Docker's miss message (`No such object: x`).
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Any => "object",
            Kind::Container => "container",
            Kind::Image => "image",
        }
    }
}

/// What a lookup of several names found, in order, and the first name it
/// did not.
#[derive(Debug, Default)]
pub struct Found {
    pub items: Vec<Value>,
    pub missing: Option<String>,
}

/// Where the objects are looked up. `host` is needed for containers (it is
/// None only for `Kind::Image`).
pub struct Sources<'a> {
    pub host: Option<&'a Host>,
    pub store: &'a mut Store,
    pub content: &'a ContentStore,
    pub snapshots: &'a Snapshotter,
}

/// Look every name up as `kind` allows; `size` adds a container's
/// `SizeRw`/`SizeRootFs`.
pub fn lookup(src: Sources<'_>, kind: Kind, names: &[String], size: bool) -> Result<Found> {
    let mut found = Found::default();
    for name in names {
        if kind != Kind::Image {
            if let Some(host) = src.host {
                if let Some(v) = container(host, src.store, src.content, name, size)? {
                    found.items.push(v);
                    continue;
                }
            }
        }
        if kind != Kind::Container {
            if let Some(v) = image(src.store, src.content, src.snapshots, name)? {
                found.items.push(v);
                continue;
            }
        }
        found.missing.get_or_insert_with(|| name.clone());
    }
    Ok(found)
}

/// The inspect object of one container, None when there is no such
/// container.
pub fn container(
    host: &Host,
    store: &mut Store,
    content: &ContentStore,
    name: &str,
    size: bool,
) -> Result<Option<Value>> {
    let mut c = match lifecycle::find(store, name) {
        Ok(c) => c,
        Err(e) if e.downcast_ref::<lifecycle::NoSuchContainer>().is_some() => return Ok(None),
        Err(e) => return Err(e),
    };
    lifecycle::refresh(host, store, &mut c)?;
    let image_config = read_config(content, &c.row.image_id).ok();
    let snapshot = host.snapshots().container(&c.row.id).ok();
    let sizes = if size {
        let rw = host.rw_size(&c.row.id);
        let image = crate::store::images::get(store.conn(), &c.row.image_id)?
            .map(|r| r.size)
            .unwrap_or(0);
        Some(Sizes {
            rw,
            root_fs: rw + image,
        })
    } else {
        None
    };
    let mut network = describe::NetworkFacts::load(store, &c.row.id)?;
    network.links = describe::legacy_links(store, &c.row, &c.spec)?;
    Ok(Some(describe::inspect_json(
        host,
        &Facts {
            row: &c.row,
            config: &c.spec,
            image_config: image_config.as_ref(),
            snapshot: snapshot.as_ref(),
            sizes,
            network: &network,
        },
    )))
}

/// The inspect object of one image, None when there is no such image.
pub fn image(
    store: &Store,
    content: &ContentStore,
    snaps: &Snapshotter,
    name: &str,
) -> Result<Option<Value>> {
    match lookup::find(store.conn(), name) {
        Ok(rec) => {
            let config = read_config(content, &rec.id)?;
            let dirs: Vec<String> = chain_ids(&config.rootfs.diff_ids)
                .iter()
                .map(|c| snaps.layer_dir(c).display().to_string())
                .collect();
            Ok(Some(crate::image::describe::inspect_json(
                &rec, &config, &dirs,
            )))
        }
        Err(lookup::LookupError::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::lifecycle::CreateRequest;
    use crate::container::spec::ContainerSpec;
    use crate::store::Layout;

    #[test]
    fn containers_first_then_images_and_the_first_miss() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("d"), dir.path().join("s"));
        let (host, _, _) = Host::with_fakes(layout.clone(), crate::snapshot::Driver::Copy);
        let mut store = Store::open(layout.clone()).unwrap();
        let req = CreateRequest {
            name: Some("web".into()),
            image_id: format!("sha256:{}", "0".repeat(64)),
            image_config: Default::default(),
            config: ContainerSpec {
                cmd: vec!["true".into()],
                ..Default::default()
            },
        };
        let c = lifecycle::create(&host, &mut store, req).unwrap();
        let content = ContentStore::new(layout.content_dir());
        let snapshots = Snapshotter::new(layout.snapshots_dir());
        let names: Vec<String> = ["web", "nope", "web", "gone"].map(String::from).into();
        let mut find = |kind: Kind| {
            let src = Sources {
                host: Some(&host),
                store: &mut store,
                content: &content,
                snapshots: &snapshots,
            };
            lookup(src, kind, &names, false).unwrap()
        };
        for kind in [Kind::Any, Kind::Container] {
            let found = find(kind);
            assert_eq!(found.items.len(), 2);
            assert_eq!(found.items[0]["Id"], c.row.id.as_str());
            assert_eq!(found.items[0]["Name"], "/web");
            assert_eq!(found.missing.as_deref(), Some("nope"));
        }
        // Images only: the container's name names nothing.
        let found = find(Kind::Image);
        assert!(found.items.is_empty());
        assert_eq!(found.missing.as_deref(), Some("web"));
        assert_eq!(Kind::Any.noun(), "object");
    }
}
