//! Volumes of Docker's `local` driver: named and anonymous volumes whose data
//! lives in `<data-root>/volumes/<name>/_data`, their records (through
//! `store::volumes`), and the copy-up that seeds a new volume from the image
//! (`seed`). It never prints; `cmd/volume` does.
//!
//! Docker behaviour followed (moby `volume/local`, `volume/service`):
//! - names match `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (so at least two characters),
//!   with Docker's error text; a volume created without a name gets 64 random
//!   hex characters;
//! - creating a name that exists returns the existing volume;
//! - a volume used by a container cannot be removed (`volume is in use - [ids]`),
//!   not even with `force`, which only silences missing names;
//! - anonymous volumes carry the label `com.docker.volume.anonymous` and
//!   `prune` without `all` removes only those (Docker 23+);
//! - only the `local` driver exists, and berth does not mount devices or tmpfs
//!   for it, so driver options (`-o type=...`) are refused rather than ignored.
//!
//! Integrity (DESIGN.md rules 3 and 6): every record change is one short
//! `BEGIN IMMEDIATE` transaction. The directory of a new volume is created
//! inside the transaction that inserts its record (so no concurrent `rm` can
//! slip between them); `remove` renames the directory to a trash name inside
//! the transaction that deletes the record, and deletes the trash after the
//! commit. A crash therefore never leaves a record without its directory, nor
//! old data under a name that a later `create` would reuse; leftover trash is
//! swept by the next `create` or `prune`.

pub mod seed;

use crate::store::volumes::{self as records, VolumeRow};
use crate::store::{Layout, Store, StoreError};
use rusqlite::Transaction;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The only volume driver berth has.
pub const LOCAL_DRIVER: &str = "local";
/// The label Docker (23+) puts on anonymous volumes; `prune` keys on it.
pub const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";
/// Directories of removed volumes waiting to be deleted start with this.
const TRASH_PREFIX: &str = ".trash-";

#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    /// Docker's wording, which scripts grep for.
    #[error("create {0}: \"{0}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    InvalidName(String),
    #[error("No such volume: {0}")]
    NotFound(String),
    #[error("remove {name}: volume is in use - [{}]", .users.join(" "))]
    InUse { name: String, users: Vec<String> },
    #[error("create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found (berth has only the \"local\" driver)")]
    UnknownDriver { name: String, driver: String },
    #[error("create {name}: driver options of the local driver (-o {option}) are not supported by berth: it does not mount devices or tmpfs for volumes; use --tmpfs or --mount type=tmpfs on the container instead")]
    OptionsUnsupported { name: String, option: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("volume {name} has a corrupt {what} record: {source}")]
    Corrupt {
        name: String,
        what: &'static str,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for VolumeError {
    fn from(e: rusqlite::Error) -> Self {
        VolumeError::Store(StoreError::Sql(e))
    }
}

pub type Result<T, E = VolumeError> = std::result::Result<T, E>;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> VolumeError + '_ {
    move |source| VolumeError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `name` is a valid local volume name (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`).
pub fn is_valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphanumeric()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// Check a volume name, with Docker's error when it is not one.
pub fn validate_name(name: &str) -> Result<()> {
    if is_valid_name(name) {
        Ok(())
    } else {
        Err(VolumeError::InvalidName(name.to_string()))
    }
}

/// A generated name: 64 random hex characters, like Docker's anonymous volumes.
pub fn generate_name() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// `<data-root>/volumes/<name>`: the volume's own directory (data, seed marker).
pub fn volume_dir(layout: &Layout, name: &str) -> PathBuf {
    layout.volumes_dir().join(name)
}

/// `<data-root>/volumes/<name>/_data`: what containers mount (Docker's `Mountpoint`).
pub fn path(layout: &Layout, name: &str) -> PathBuf {
    volume_dir(layout, name).join("_data")
}

/// What `volume create` asks for.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// None: a generated name.
    pub name: Option<String>,
    /// `-d`; None means `local`.
    pub driver: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// `-o key=value` driver options.
    pub driver_opts: BTreeMap<String, String>,
}

/// Create a volume (`volume create`). An existing name is returned as it is,
/// like Docker does.
pub fn create(store: &mut Store, opts: &CreateOptions) -> Result<VolumeRow> {
    let name = match &opts.name {
        Some(n) => {
            validate_name(n)?;
            n.clone()
        }
        None => generate_name(),
    };
    let driver = opts.driver.as_deref().unwrap_or(LOCAL_DRIVER);
    if driver != LOCAL_DRIVER {
        return Err(VolumeError::UnknownDriver {
            name,
            driver: driver.to_string(),
        });
    }
    if let Some((k, v)) = opts.driver_opts.iter().next() {
        return Err(VolumeError::OptionsUnsupported {
            name,
            option: format!("{k}={v}"),
        });
    }
    sweep_trash(store.layout());
    let layout = store.layout().clone();
    let labels = opts.labels.clone();
    store.write(|tx| Ok(create_in(tx, &layout, &name, labels, false)?.0))
}

/// Get or create the volume a container mount names (`-v name:/x` creates
/// it on demand), or create a new anonymous volume when `name` is None.
/// Commits its own short transaction; see [`ensure_in`] to do it inside the
/// caller's.
#[cfg(test)]
pub fn ensure(store: &mut Store, name: Option<&str>, anonymous: bool) -> Result<VolumeRow> {
    let layout = store.layout().clone();
    store.write(|tx| Ok(ensure_in(tx, &layout, name, anonymous)?.0))
}

/// [`ensure`] inside the caller's `BEGIN IMMEDIATE` transaction, so that the
/// container record and its `store::volumes::attach` rows commit together
/// with the volume (a concurrent `volume prune` can then never remove it in
/// between). Returns the row and whether this call created it. When it did and
/// the caller's transaction rolls back, call [`discard_uncommitted`] with the
/// name after the rollback.
pub fn ensure_in(
    tx: &Transaction<'_>,
    layout: &Layout,
    name: Option<&str>,
    anonymous: bool,
) -> Result<(VolumeRow, bool)> {
    let name = match name {
        Some(n) => {
            validate_name(n)?;
            n.to_string()
        }
        None => generate_name(),
    };
    let mut labels = BTreeMap::new();
    if anonymous {
        labels.insert(ANONYMOUS_LABEL.to_string(), String::new());
    }
    create_in(tx, layout, &name, labels, anonymous)
}

/// Insert the record (unless it exists) after creating its directories.
fn create_in(
    tx: &Transaction<'_>,
    layout: &Layout,
    name: &str,
    labels: BTreeMap<String, String>,
    anonymous: bool,
) -> Result<(VolumeRow, bool)> {
    // Made (or remade, if someone deleted it by hand) before the record
    // commits, so a container never gets a volume without its directory.
    let data = path(layout, name);
    std::fs::create_dir_all(&data).map_err(io_err(&data))?;
    if let Some(row) = records::get(tx, name)? {
        return Ok((row, false));
    }
    let row = VolumeRow {
        name: name.to_string(),
        driver: LOCAL_DRIVER.to_string(),
        created_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        labels: serde_json::to_string(&labels).expect("a string map serializes"),
        options: "{}".to_string(),
        anonymous,
    };
    let created = records::create(tx, &row)?;
    if created {
        crate::events::emit_volume(&layout.data_root, "create", name, &[]);
    }
    Ok((row, created))
}

/// After the caller's transaction that [`ensure_in`] created `name` in rolled
/// back: delete the directory, unless the volume exists after all (another
/// process created it meanwhile).
pub fn discard_uncommitted(store: &mut Store, name: &str) -> Result<()> {
    let layout = store.layout().clone();
    let trash = store.write(|tx| -> Result<Option<PathBuf>> {
        if records::get(tx, name)?.is_some() {
            return Ok(None);
        }
        to_trash(&layout, name)
    })?;
    if let Some(t) = trash {
        delete_tree(&t)?;
    }
    Ok(())
}

/// One volume by name.
pub fn get(store: &Store, name: &str) -> Result<VolumeRow> {
    records::get(store.conn(), name)?.ok_or_else(|| VolumeError::NotFound(name.to_string()))
}

/// Every volume, ordered by name.
pub fn list(store: &Store) -> Result<Vec<VolumeRow>> {
    Ok(records::list(store.conn())?)
}

/// IDs of the containers using a volume.
pub fn users(store: &Store, name: &str) -> Result<Vec<String>> {
    Ok(records::users(store.conn(), name)?)
}

/// A volume's labels.
pub fn labels(row: &VolumeRow) -> Result<BTreeMap<String, String>> {
    serde_json::from_str(&row.labels).map_err(|source| VolumeError::Corrupt {
        name: row.name.clone(),
        what: "labels",
        source,
    })
}

/// A volume's driver options.
pub fn options(row: &VolumeRow) -> Result<BTreeMap<String, String>> {
    serde_json::from_str(&row.options).map_err(|source| VolumeError::Corrupt {
        name: row.name.clone(),
        what: "options",
        source,
    })
}

/// What `remove` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    Removed,
    /// Missing, and `force` asked not to mind.
    Missing,
}

/// Remove a volume and its data (`volume rm`). Refused while a container
/// uses it; `force` only turns a missing name into [`Removed::Missing`].
pub fn remove(store: &mut Store, name: &str, force: bool) -> Result<Removed> {
    let layout = store.layout().clone();
    let outcome = store.write(|tx| -> Result<Option<PathBuf>> {
        if records::get(tx, name)?.is_none() {
            return Err(VolumeError::NotFound(name.to_string()));
        }
        remove_in(tx, &layout, name)
    });
    match outcome {
        Ok(trash) => {
            crate::events::emit_volume(&layout.data_root, "destroy", name, &[]);
            if let Some(t) = trash {
                delete_tree(&t)?;
            }
            Ok(Removed::Removed)
        }
        Err(VolumeError::NotFound(_)) if force => Ok(Removed::Missing),
        Err(e) => Err(e),
    }
}

/// Delete the record of an existing volume and move its directory to the
/// trash, inside `tx`. Returns the trash path to delete after the commit.
fn remove_in(tx: &Transaction<'_>, layout: &Layout, name: &str) -> Result<Option<PathBuf>> {
    let users = records::users(tx, name)?;
    if !users.is_empty() {
        return Err(VolumeError::InUse {
            name: name.to_string(),
            users,
        });
    }
    records::remove(tx, name)?;
    to_trash(layout, name)
}

/// Rename `volumes/<name>` to a trash name (None when it does not exist).
fn to_trash(layout: &Layout, name: &str) -> Result<Option<PathBuf>> {
    let dir = volume_dir(layout, name);
    let trash = layout.volumes_dir().join(format!(
        "{TRASH_PREFIX}{name}-{:016x}",
        rand::random::<u64>()
    ));
    match std::fs::rename(&dir, &trash) {
        Ok(()) => Ok(Some(trash)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(&dir)(e)),
    }
}

fn delete_tree(path: &Path) -> Result<()> {
    // std's remove_dir_all never follows symlinks (CVE-2022-21658 fixed).
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Delete trash left by a `remove` that died after its commit. Best effort:
/// a failure here must not fail the command that triggered the sweep.
fn sweep_trash(layout: &Layout) {
    let Ok(rd) = std::fs::read_dir(layout.volumes_dir()) else {
        return;
    };
    for e in rd.flatten() {
        if e.file_name().to_string_lossy().starts_with(TRASH_PREFIX) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Which volumes `prune` may remove besides being unused.
#[derive(Debug, Clone, Default)]
pub struct PruneFilter {
    /// `-a` / `all=true`: named volumes too, not only anonymous ones.
    pub all: bool,
    /// `label=k`, `label=k=v` (must match) and `label!=...` (must not).
    pub labels: crate::filter::LabelFilter,
}

impl PruneFilter {
    fn admits(&self, row: &VolumeRow, labels: &BTreeMap<String, String>) -> bool {
        if !self.all && !row.anonymous {
            return false;
        }
        self.labels.matches(labels)
    }
}

/// What `prune` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneReport {
    pub names: Vec<String>,
    /// Sum of the sizes of the removed volumes' files.
    pub bytes: u64,
}

/// Remove unused volumes the filter admits (`volume prune`). Each volume goes
/// in its own short transaction that re-checks it is unused, so a container
/// created meanwhile keeps its volume.
pub fn prune(store: &mut Store, filter: &PruneFilter) -> Result<PruneReport> {
    let layout = store.layout().clone();
    sweep_trash(&layout);
    let mut report = PruneReport::default();
    for row in records::list(store.conn())? {
        if !filter.admits(&row, &labels(&row)?) {
            continue;
        }
        let trash = store.write(|tx| -> Result<Option<Option<PathBuf>>> {
            if records::get(tx, &row.name)?.is_none() || !records::users(tx, &row.name)?.is_empty()
            {
                return Ok(None);
            }
            Ok(Some(remove_in(tx, &layout, &row.name)?))
        })?;
        let Some(trash) = trash else { continue };
        crate::events::emit_volume(&layout.data_root, "destroy", &row.name, &[]);
        if let Some(t) = trash {
            report.bytes += crate::sys::fs::tree_size(&t.join("_data"));
            delete_tree(&t)?;
        }
        report.names.push(row.name);
    }
    Ok(report)
}

/// Docker's `volume inspect` object for one volume.
pub fn inspect_json(layout: &Layout, row: &VolumeRow) -> Result<Value> {
    let map = |m: BTreeMap<String, String>| -> Value {
        Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect::<Map<_, _>>(),
        )
    };
    let opts = options(row)?;
    Ok(json!({
        "CreatedAt": row.created_at,
        "Driver": row.driver,
        "Labels": map(labels(row)?),
        "Mountpoint": path(layout, &row.name).display().to_string(),
        "Name": row.name,
        // Docker shows null for a volume created without options (anonymous ones).
        "Options": if opts.is_empty() && row.anonymous { Value::Null } else { map(opts) },
        "Scope": "local",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("data"), dir.path().join("state"));
        let s = Store::open(layout).unwrap();
        (dir, s)
    }

    fn named(n: &str) -> CreateOptions {
        CreateOptions {
            name: Some(n.into()),
            ..Default::default()
        }
    }

    /// A container record that uses `vol` (the container store's own insert
    /// is not needed to exercise the foreign key and `users`).
    fn use_volume(s: &mut Store, id: &str, vol: &str) {
        s.write(|tx| -> rusqlite::Result<()> {
            tx.execute(
                "INSERT INTO containers (id, name, image_id, image_ref, created_at, spec, status)
                 VALUES (?1, ?1, 'sha256:x', 'x', 'now', '{}', 'created')",
                [id],
            )?;
            records::attach(tx, id, vol).unwrap();
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn names() {
        for ok in ["ab", "a1", "A.b-c_d", "0volume", "x-"] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "", "a", "-ab", ".ab", "_ab", "a/b", "a b", "./x", "a:b", "é1",
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
        let e = validate_name("a/b").unwrap_err().to_string();
        assert_eq!(
            e,
            "create a/b: \"a/b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
        );
        let g = generate_name();
        assert_eq!(g.len(), 64);
        assert!(is_valid_name(&g));
    }

    #[test]
    fn create_is_idempotent_and_makes_the_data_dir() {
        let (_d, mut s) = store();
        let mut o = named("data1");
        o.labels.insert("a".into(), "b".into());
        let v = create(&mut s, &o).unwrap();
        assert_eq!(v.name, "data1");
        assert_eq!(v.driver, "local");
        assert!(!v.anonymous);
        assert!(path(s.layout(), "data1").is_dir());
        std::fs::remove_dir_all(volume_dir(s.layout(), "data1")).unwrap();
        let again = create(&mut s, &named("data1")).unwrap();
        assert!(
            path(s.layout(), "data1").is_dir(),
            "a lost data dir is remade"
        );
        assert_eq!(again, v, "an existing volume is returned as it was");
        assert_eq!(labels(&again).unwrap()["a"], "b");
        let gen = create(&mut s, &CreateOptions::default()).unwrap();
        assert_eq!(gen.name.len(), 64);
        assert_eq!(list(&s).unwrap().len(), 2);
    }

    #[test]
    fn create_refuses_bad_input() {
        let (_d, mut s) = store();
        assert!(matches!(
            create(&mut s, &named("x")),
            Err(VolumeError::InvalidName(_))
        ));
        let mut o = named("vv");
        o.driver = Some("nfs".into());
        let e = create(&mut s, &o).unwrap_err().to_string();
        assert!(e.contains("plugin \"nfs\" not found"), "{e}");
        let mut o = named("vv");
        o.driver_opts.insert("type".into(), "tmpfs".into());
        let e = create(&mut s, &o).unwrap_err().to_string();
        assert!(e.contains("not supported"), "{e}");
        assert!(list(&s).unwrap().is_empty());
        assert!(!volume_dir(s.layout(), "vv").exists());
    }

    #[test]
    fn ensure_creates_named_and_anonymous() {
        let (_d, mut s) = store();
        let a = ensure(&mut s, None, true).unwrap();
        assert!(a.anonymous);
        assert!(labels(&a).unwrap().contains_key(ANONYMOUS_LABEL));
        let n = ensure(&mut s, Some("named"), false).unwrap();
        assert!(!n.anonymous);
        assert_eq!(ensure(&mut s, Some("named"), false).unwrap(), n);
        let layout = s.layout().clone();
        let (row, created) = s
            .write(|tx| ensure_in(tx, &layout, Some("named"), false))
            .unwrap();
        assert_eq!((row, created), (n, false));
    }

    #[test]
    fn ensure_in_rolled_back_leaves_nothing() {
        let (_d, mut s) = store();
        let layout = s.layout().clone();
        let r: Result<()> = s.write(|tx| {
            let (_, created) = ensure_in(tx, &layout, Some("gone"), false)?;
            assert!(created);
            Err(VolumeError::NotFound("forced rollback".into()))
        });
        assert!(r.is_err());
        assert!(get(&s, "gone").is_err());
        discard_uncommitted(&mut s, "gone").unwrap();
        assert!(!volume_dir(&layout, "gone").exists());
    }

    #[test]
    fn remove_refuses_in_use_and_missing() {
        let (_d, mut s) = store();
        create(&mut s, &named("busy")).unwrap();
        std::fs::write(path(s.layout(), "busy").join("f"), b"x").unwrap();
        let id = "a".repeat(64);
        use_volume(&mut s, &id, "busy");
        let e = remove(&mut s, "busy", true).unwrap_err().to_string();
        assert_eq!(e, format!("remove busy: volume is in use - [{id}]"));
        assert!(path(s.layout(), "busy").join("f").exists());
        assert_eq!(
            remove(&mut s, "nope", false).unwrap_err().to_string(),
            "No such volume: nope"
        );
        assert_eq!(remove(&mut s, "nope", true).unwrap(), Removed::Missing);
        s.write(|tx| tx.execute("DELETE FROM containers", []))
            .unwrap();
        assert_eq!(remove(&mut s, "busy", false).unwrap(), Removed::Removed);
        assert!(!volume_dir(s.layout(), "busy").exists());
        let left: Vec<_> = std::fs::read_dir(s.layout().volumes_dir())
            .unwrap()
            .collect();
        assert!(left.is_empty(), "trash left behind: {left:?}");
    }

    #[test]
    fn prune_takes_anonymous_unless_all() {
        let (_d, mut s) = store();
        let anon = ensure(&mut s, None, true).unwrap();
        std::fs::write(path(s.layout(), &anon.name).join("f"), b"12345").unwrap();
        let used = ensure(&mut s, None, true).unwrap();
        use_volume(&mut s, &"b".repeat(64), &used.name);
        let mut o = named("keep");
        o.labels.insert("tier".into(), "db".into());
        create(&mut s, &o).unwrap();
        create(&mut s, &named("other")).unwrap();

        let r = prune(&mut s, &PruneFilter::default()).unwrap();
        assert_eq!(r.names, std::slice::from_ref(&anon.name));
        assert_eq!(r.bytes, 5);

        let f = PruneFilter {
            all: true,
            labels: crate::filter::LabelFilter {
                refuse: vec![("tier".into(), None)],
                ..Default::default()
            },
        };
        let r = prune(&mut s, &f).unwrap();
        assert_eq!(r.names, ["other"]);
        let f = PruneFilter {
            all: true,
            labels: crate::filter::LabelFilter {
                want: vec![("tier".into(), Some("db".into()))],
                ..Default::default()
            },
        };
        assert_eq!(prune(&mut s, &f).unwrap().names, ["keep"]);
        let names: Vec<_> = list(&s).unwrap().into_iter().map(|v| v.name).collect();
        assert_eq!(names, [used.name]);
    }

    #[test]
    fn trash_is_swept() {
        let (_d, mut s) = store();
        let t = s.layout().volumes_dir().join(".trash-x-1");
        std::fs::create_dir_all(t.join("_data")).unwrap();
        create(&mut s, &named("yy")).unwrap();
        assert!(!t.exists());
    }

    #[test]
    fn inspect_shape() {
        let (_d, mut s) = store();
        let v = create(&mut s, &named("shape")).unwrap();
        let j = inspect_json(s.layout(), &v).unwrap();
        let keys: Vec<_> = j.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "CreatedAt",
                "Driver",
                "Labels",
                "Mountpoint",
                "Name",
                "Options",
                "Scope"
            ]
        );
        assert_eq!(j["Labels"], json!({}));
        assert_eq!(j["Options"], json!({}));
        assert!(j["Mountpoint"]
            .as_str()
            .unwrap()
            .ends_with("/volumes/shape/_data"));
        let a = ensure(&mut s, None, true).unwrap();
        let j = inspect_json(s.layout(), &a).unwrap();
        assert_eq!(j["Options"], Value::Null);
        assert_eq!(j["Labels"][ANONYMOUS_LABEL], "");
    }
}
