//! Metadata in SQLite and the on-disk layout of the data and state roots.
//!
//! The database (`<data-root>/berth.db`) runs in WAL mode with a busy timeout;
//! every write is a short `BEGIN IMMEDIATE` transaction that never spans a
//! runtime call, a CNI call or network I/O (DESIGN.md, integrity rule 3).
//! Names are reserved by UNIQUE constraints inside the transaction that creates
//! the record, so two berth processes racing for a name cannot both win.
//! A record is written only after the files it points to are durable.

pub mod check;
pub mod containers;
pub mod images;
pub mod layout;
pub mod networks;
pub mod space;
pub mod volumes;

use crate::sys::lock::FileLock;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use layout::Layout;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("opening metadata database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("metadata database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file of the database could not grow: the data root's filesystem
    /// is full (see `space`).
    #[error("write {}: no space left on device (free space on that filesystem: `berth rm`, `rmi`, `image prune` and `volume rm` work on a full disk)", path.display())]
    NoSpace { path: PathBuf },
    /// `berth.db` is gone (or empty) from a data root berth used (`check`).
    #[error("metadata database {} {how}, but this data root was in use ({found}). berth will not start over with an empty database: that would hide what this data root holds, running containers included. {RECOVER}", path.display())]
    Missing {
        path: PathBuf,
        how: &'static str,
        found: String,
    },
    /// `berth.db` is not a whole SQLite database (`check`).
    #[error("metadata database {} is damaged: {what}. berth will not replace it. {RECOVER}", path.display())]
    Corrupt { path: PathBuf, what: String },
    #[error("metadata database {path} has schema version {found}, newer than this berth understands ({known}); upgrade berth")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
}

/// What the user can do about a missing or damaged database.
const RECOVER: &str = "Restore berth.db from a backup; or, to start afresh, stop what still runs from this data root and move the data root aside";

impl StoreError {
    /// The database is missing or damaged: nothing berth can do until the
    /// user restores or moves it (exit 125).
    pub fn is_unusable(&self) -> bool {
        match self {
            StoreError::Missing { .. } | StoreError::Corrupt { .. } => true,
            StoreError::Open { source, .. } | StoreError::Sql(source) => {
                check::is_corruption(source)
            }
            _ => false,
        }
    }

    /// The data root's filesystem is full (a database file could not grow).
    pub fn is_no_space(&self) -> bool {
        match self {
            StoreError::NoSpace { .. } => true,
            StoreError::Sql(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull),
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Ordered schema migrations; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: images
    "CREATE TABLE images (
        id TEXT PRIMARY KEY,            -- config digest, sha256:...
        manifest_digest TEXT NOT NULL,  -- platform manifest
        manifest_media_type TEXT NOT NULL,
        size INTEGER NOT NULL,          -- unpacked size of all layers
        created TEXT,                   -- image config 'created'
        added_at INTEGER NOT NULL       -- unix nanos, when berth first stored it
     );
     CREATE TABLE image_tags (
        name TEXT PRIMARY KEY,          -- docker.io/library/busybox:latest
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        added_at INTEGER NOT NULL
     );
     CREATE INDEX image_tags_image ON image_tags(image_id);
     CREATE TABLE image_digests (
        repo TEXT NOT NULL,             -- docker.io/library/busybox
        digest TEXT NOT NULL,           -- digest the image was pulled or pushed by
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        PRIMARY KEY (repo, digest)
     );
     CREATE INDEX image_digests_image ON image_digests(image_id);
     CREATE TABLE image_blobs (
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        digest TEXT NOT NULL,
        PRIMARY KEY (image_id, digest)
     );
     CREATE INDEX image_blobs_digest ON image_blobs(digest);",
    // 2: containers and volumes
    "CREATE TABLE containers (
        id TEXT PRIMARY KEY,            -- 64 hex
        name TEXT NOT NULL UNIQUE,      -- without the leading '/'
        image_id TEXT NOT NULL,         -- sha256:... (not a foreign key: rmi -f may untag it)
        image_ref TEXT NOT NULL,        -- what the user asked for, shown by ps
        created_at TEXT NOT NULL,       -- RFC 3339 with nanoseconds
        spec TEXT NOT NULL,             -- JSON: everything needed to (re)start it
        status TEXT NOT NULL,           -- created|running|paused|restarting|exited|dead|removing
        pid INTEGER NOT NULL DEFAULT 0,
        exit_code INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL DEFAULT '0001-01-01T00:00:00Z',
        finished_at TEXT NOT NULL DEFAULT '0001-01-01T00:00:00Z',
        oom_killed INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        restart_count INTEGER NOT NULL DEFAULT 0,
        boot_id TEXT NOT NULL DEFAULT ''  -- boot the container last started in
     );
     CREATE INDEX containers_image ON containers(image_id);
     CREATE TABLE volumes (
        name TEXT PRIMARY KEY,
        driver TEXT NOT NULL DEFAULT 'local',
        created_at TEXT NOT NULL,
        labels TEXT NOT NULL DEFAULT '{}',   -- JSON object
        options TEXT NOT NULL DEFAULT '{}',  -- JSON object
        anonymous INTEGER NOT NULL DEFAULT 0
     );
     CREATE TABLE container_volumes (
        container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
        volume TEXT NOT NULL REFERENCES volumes(name),
        PRIMARY KEY (container_id, volume)
     );",
    // 3: networks (network::store), their live endpoints and published ports
    "CREATE TABLE networks (
        id TEXT PRIMARY KEY,            -- 64 hex
        name TEXT NOT NULL UNIQUE,
        driver TEXT NOT NULL,           -- bridge|macvlan|ipvlan
        created_at TEXT NOT NULL,       -- RFC 3339 with nanoseconds
        subnets TEXT NOT NULL,          -- JSON: [{subnet, gateway, ip_range}]
        internal INTEGER NOT NULL DEFAULT 0,
        ipv6 INTEGER NOT NULL DEFAULT 0,
        labels TEXT NOT NULL DEFAULT '{}',   -- JSON object
        options TEXT NOT NULL DEFAULT '{}',  -- JSON object
        bridge TEXT NOT NULL UNIQUE     -- host interface (bridge, or macvlan/ipvlan parent)
     );
     CREATE TABLE network_endpoints (
        container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
        network_id TEXT NOT NULL REFERENCES networks(id),
        endpoint_id TEXT NOT NULL,      -- 64 hex, new at every attach
        ifname TEXT NOT NULL,           -- eth0, eth1, ...
        ip TEXT NOT NULL DEFAULT '',    -- address/prefix
        gateway TEXT NOT NULL DEFAULT '',
        ipv6 TEXT NOT NULL DEFAULT '',
        ipv6_gateway TEXT NOT NULL DEFAULT '',
        mac TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (container_id, network_id)
     );
     CREATE INDEX network_endpoints_network ON network_endpoints(network_id);
     CREATE TABLE port_reservations (
        host_ip TEXT NOT NULL,          -- '' for all addresses
        host_port INTEGER NOT NULL,
        proto TEXT NOT NULL,            -- tcp|udp|sctp
        container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
        container_port INTEGER NOT NULL,
        PRIMARY KEY (host_ip, host_port, proto)
     );
     CREATE INDEX port_reservations_container ON port_reservations(container_id);",
    // 4: a host interface is unique among bridge networks only: several
    // macvlan/ipvlan networks may share a parent (Docker allows it). SQLite
    // drops a constraint only by rebuilding the table (`migrate` runs with
    // foreign keys off, so the endpoints' references stay as they are).
    "CREATE TABLE networks_v4 (
        id TEXT PRIMARY KEY,            -- 64 hex
        name TEXT NOT NULL UNIQUE,
        driver TEXT NOT NULL,           -- bridge|macvlan|ipvlan
        created_at TEXT NOT NULL,       -- RFC 3339 with nanoseconds
        subnets TEXT NOT NULL,          -- JSON: [{subnet, gateway, ip_range}]
        internal INTEGER NOT NULL DEFAULT 0,
        ipv6 INTEGER NOT NULL DEFAULT 0,
        labels TEXT NOT NULL DEFAULT '{}',   -- JSON object
        options TEXT NOT NULL DEFAULT '{}',  -- JSON object
        bridge TEXT NOT NULL            -- host interface (bridge, or macvlan/ipvlan parent)
     );
     INSERT INTO networks_v4 (id, name, driver, created_at, subnets, internal, ipv6, labels, options, bridge)
        SELECT id, name, driver, created_at, subnets, internal, ipv6, labels, options, bridge FROM networks;
     DROP TABLE networks;
     ALTER TABLE networks_v4 RENAME TO networks;
     CREATE UNIQUE INDEX networks_bridge ON networks(bridge) WHERE driver = 'bridge';",
];

/// An open metadata store.
pub struct Store {
    conn: Connection,
    layout: Layout,
    /// This command frees space: its writes may use the reserve (`space`).
    frees_space: bool,
    /// This connection's writes must survive a power loss (see `transient`).
    durable: bool,
    /// Counts this connection as open in this process (`check`); declared
    /// after `conn` so it is dropped after the connection closed.
    _open: check::OpenGuard,
}

impl Store {
    /// Open (creating if needed) the database under the data root and bring
    /// its schema up to date. On a full data root it falls back to an
    /// in-process index (module `space`).
    pub fn open(layout: Layout) -> Result<Store> {
        layout.ensure_dirs()?;
        let open = check::before_first_open(&layout)?;
        let store = match Store::open_mode(&layout, &open, false) {
            Err(StoreError::NoSpace { path }) => {
                crate::debug::debug!(
                    "{}: no space to map; opening with an in-process index",
                    path.display()
                );
                Store::open_mode(&layout, &open, true)?
            }
            r => r?,
        };
        space::ensure_reserve(&store.layout);
        Ok(store)
    }

    /// Open the connection; `exclusive` keeps the WAL index in this
    /// process's memory instead of `berth.db-shm`, holding the lock.
    fn open_mode(layout: &Layout, open: &check::OpenGuard, exclusive: bool) -> Result<Store> {
        let path = layout.db_path();
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
        let no_space = |conn: &Connection, e: rusqlite::Error| {
            if space::is_no_space(&e, crate::sys::sqlite::system_errno(conn)) {
                StoreError::NoSpace {
                    path: space::full_file(layout, &e),
                }
            } else if check::is_corruption(&e) {
                StoreError::Corrupt {
                    path: path.clone(),
                    what: e.to_string(),
                }
            } else {
                StoreError::Sql(e)
            }
        };
        conn.busy_timeout(Duration::from_secs(60))?;
        if exclusive {
            conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| no_space(&conn, e))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            layout: layout.clone(),
            frees_space: false,
            durable: true,
            _open: open.clone(),
        };
        // Switching a new database to WAL and migrating it are serialised
        // by a file lock: SQLite answers a concurrent journal-mode change
        // with SQLITE_BUSY without waiting (seen with two first pulls into
        // one fresh data root). Once set up, opens take no lock.
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| no_space(&store.conn, e))?;
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| no_space(&store.conn, e))?;
        layout.restrict_db_files()?;
        if !mode.eq_ignore_ascii_case("wal") || version != MIGRATIONS.len() as i64 {
            let lock_path = store.layout.init_lock_path();
            let _init = FileLock::exclusive(&lock_path).map_err(|source| StoreError::Io {
                path: lock_path.clone(),
                source,
            })?;
            store
                .conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| no_space(&store.conn, e))?;
            store.migrate(&path)?;
        }
        Ok(store)
    }

    fn migrate(&mut self, path: &Path) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > known {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known,
            });
        }
        if version == known {
            return Ok(());
        }
        // Off for the table rebuilds (a pragma a transaction cannot change):
        // dropping a parent table would otherwise delete-check its children.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let migrated = (|| -> Result<()> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Exclusive)?;
            // Re-read inside the lock: another process may have migrated meanwhile.
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            }
            tx.commit()?;
            Ok(())
        })();
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        migrated
    }

    /// Mark this command as one that frees space (`rm`, `rmi`, the prunes,
    /// `volume rm`, `network rm`): on a nearly full data root its writes
    /// release the reserve first. Other writers never touch the reserve,
    /// so a `run` that fails on a full disk cannot spend the room `rm` needs.
    pub fn frees_space(&mut self) {
        self.frees_space = true;
    }

    /// This connection's writes need not survive a power loss, because the
    /// command undoes them before it ends (`run --rm` removes the container
    /// it created). Its close then leaves the WAL as it is, with no
    /// checkpoint and no fsync, and the next writer appends to it instead
    /// of creating it again (a header write, an fsync and a directory
    /// fsync): about 1.5 ms of a `run --rm` here. Durable connections sync
    /// the WAL at their own close ([`Drop`]), so their writes never depend
    /// on which connection closes last. With `synchronous=NORMAL` a power
    /// loss may lose recent transactions but never corrupts the database,
    /// transient or not.
    pub fn transient(&mut self) {
        self.durable = false;
        let _ = self.conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        );
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run `f` inside a `BEGIN IMMEDIATE` transaction, committing when it
    /// returns Ok.
    pub fn write<T, E>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<rusqlite::Error>,
    {
        if self.frees_space {
            space::make_room(&self.layout);
        }
        let (layout, conn) = (&self.layout, &self.conn);
        // `new_unchecked` borrows the connection shared, so its error can be
        // read after a failure; `&mut self` still rules out nesting.
        let tx = match rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => return Err(no_space_message(layout, conn, e).into()),
        };
        let out = f(&tx)?;
        // The WAL grows at commit: say which file is full, not SQLite's
        // "database or disk is full".
        if let Err(e) = tx.commit() {
            return Err(no_space_message(layout, conn, e).into());
        }
        Ok(out)
    }
}

/// The WAL length past which a transient connection's close checkpoints
/// and truncates it (about ten `run --rm`s). A WAL left behind is read
/// whole by the next first opener to rebuild the WAL index, and that
/// rebuild forgets what was checkpointed, so SQLite's own autocheckpoint
/// would never start such a WAL over.
pub const TRANSIENT_WAL_BYTES: u64 = 512 * 1024;

impl Drop for Store {
    /// A durable connection that wrote syncs the WAL itself (one
    /// `fdatasync`): under `synchronous=NORMAL` a commit is synced only by
    /// a checkpoint, and SQLite checkpoints at close only in the last
    /// connection to close, which may be a transient one that skips it. A
    /// transient one truncates a WAL grown past [`TRANSIENT_WAL_BYTES`],
    /// unless a reader or another checkpoint is busy (it does not wait).
    fn drop(&mut self) {
        let wal = self.layout.wal_path();
        if self.durable {
            if self.conn.total_changes() > 0 {
                if let Ok(f) = std::fs::File::open(&wal) {
                    let _ = f.sync_data();
                }
            }
        } else if std::fs::metadata(&wal).is_ok_and(|m| m.len() > TRANSIENT_WAL_BYTES) {
            let _ = self.conn.busy_timeout(Duration::ZERO);
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }
}

/// `e`, reworded as "write PATH: no space left on device" when it is one.
fn no_space_message(layout: &Layout, conn: &Connection, e: rusqlite::Error) -> rusqlite::Error {
    if !space::is_no_space(&e, crate::sys::sqlite::system_errno(conn)) {
        return e;
    }
    let msg = StoreError::NoSpace {
        path: space::full_file(layout, &e),
    }
    .to_string();
    // SQLITE_FULL whatever SQLite said (an I/O error for the -shm), so
    // callers can tell it by `StoreError::is_no_space`.
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
        Some(msg),
    )
}

/// Nanoseconds since the Unix epoch, for `added_at` columns.
pub fn now_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_first_opens_all_succeed() {
        for _ in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            let layout = Layout::new(dir.path().join("d"), dir.path().join("s"));
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let layout = layout.clone();
                    std::thread::spawn(move || Store::open(layout).map(|_| ()))
                })
                .collect();
            for h in handles {
                h.join().unwrap().unwrap();
            }
        }
    }

    #[test]
    fn migration_4_shares_parents_and_keeps_endpoints() {
        use rusqlite::OptionalExtension;
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("data"), dir.path().join("state"));
        drop(Store::open(layout.clone()).unwrap());
        // Back to schema 3 with a network that has an endpoint.
        {
            let c = Connection::open(layout.db_path()).unwrap();
            c.execute_batch(
                "DROP TABLE port_reservations; DROP TABLE network_endpoints; DROP TABLE networks;",
            )
            .unwrap();
            c.execute_batch(MIGRATIONS[2]).unwrap();
            c.pragma_update(None, "user_version", 3).unwrap();
            c.execute_batch(
                "INSERT INTO containers (id, name, image_id, image_ref, created_at, spec, status)
                    VALUES ('c1', 'c1', 'i', 'i', '', '{}', 'running');
                 INSERT INTO networks (id, name, driver, created_at, subnets, bridge)
                    VALUES ('n1', 'mv1', 'macvlan', '', '[]', 'eth0');
                 INSERT INTO network_endpoints (container_id, network_id, endpoint_id, ifname)
                    VALUES ('c1', 'n1', 'e1', 'eth0');",
            )
            .unwrap();
        }
        let mut s = Store::open(layout).unwrap();
        let ins = |s: &mut Store, id: &str, driver: &str, bridge: &str| {
            s.write(|tx| {
                tx.execute(
                    "INSERT INTO networks (id, name, driver, created_at, subnets, bridge)
                     VALUES (?1, ?1, ?2, '', '[]', ?3)",
                    [id, driver, bridge],
                )
            })
        };
        ins(&mut s, "n2", "macvlan", "eth0").unwrap();
        ins(&mut s, "n3", "bridge", "br0").unwrap();
        assert!(ins(&mut s, "n4", "bridge", "br0").is_err());
        let n: i64 = s
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM network_endpoints e JOIN networks n ON n.id = e.network_id",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
        // The endpoints still reference networks(id).
        let fk: Option<String> = s
            .conn()
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()
            .unwrap();
        assert_eq!(fk, None);
        assert!(s
            .write(|tx| tx.execute("DELETE FROM networks WHERE id = 'n1'", []))
            .is_err());
    }

    #[test]
    fn opens_twice_and_migrates_once() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("data"), dir.path().join("state"));
        let a = Store::open(layout.clone()).unwrap();
        let b = Store::open(layout).unwrap();
        let v: i64 = b
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        drop(a);
    }

    fn wal_len(layout: &Layout) -> Option<u64> {
        std::fs::metadata(layout.wal_path()).ok().map(|m| m.len())
    }

    fn put_label(s: &mut Store, name: &str) {
        s.write(|tx| {
            tx.execute(
                "INSERT INTO networks (id, name, driver, created_at, subnets, bridge)
                 VALUES (?1, ?1, 'bridge', '', '[]', ?1)",
                [name],
            )
        })
        .unwrap();
    }

    #[test]
    fn a_transient_close_leaves_the_wal_and_a_durable_close_checkpoints_it() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("data"), dir.path().join("state"));
        drop(Store::open(layout.clone()).unwrap());
        assert_eq!(wal_len(&layout), None, "a clean close removes the WAL");

        let mut t = Store::open(layout.clone()).unwrap();
        put_label(&mut t, "t1");
        t.transient();
        drop(t);
        assert!(wal_len(&layout).unwrap_or(0) > 0, "the WAL is kept");

        // The next connection sees the transient write and, closing last
        // and durable, checkpoints and removes the WAL.
        let mut d = Store::open(layout.clone()).unwrap();
        let n: i64 = d
            .conn()
            .query_row("SELECT count(*) FROM networks WHERE name = 't1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1);
        put_label(&mut d, "d1");
        drop(d);
        assert_eq!(wal_len(&layout), None);
    }

    #[test]
    fn transient_connections_truncate_a_long_wal() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("data"), dir.path().join("state"));
        drop(Store::open(layout.clone()).unwrap());
        let mut longest = 0;
        for i in 0..200 {
            let mut t = Store::open(layout.clone()).unwrap();
            t.transient();
            put_label(&mut t, &format!("n{i}"));
            drop(t);
            longest = longest.max(wal_len(&layout).unwrap_or(0));
        }
        // Each write adds a few pages: 200 of them would make a WAL of
        // several MB without the truncation.
        assert!(longest > 0);
        assert!(
            longest <= TRANSIENT_WAL_BYTES + 16 * 4120,
            "the WAL grew to {longest} bytes"
        );
    }
}
