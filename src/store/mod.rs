//! Metadata in SQLite and the on-disk layout of the data and state roots.
//!
//! The database (`<data-root>/berth.db`) runs in WAL mode with a busy timeout;
//! every write is a short `BEGIN IMMEDIATE` transaction that never spans a
//! runtime call, a CNI call or network I/O (DESIGN.md, integrity rule 3).
//! Names are reserved by UNIQUE constraints inside the transaction that creates
//! the record, so two berth processes racing for a name cannot both win.
//! A record is written only after the files it points to are durable.

pub mod containers;
pub mod images;
pub mod layout;
pub mod networks;
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
    #[error("metadata database {path} has schema version {found}, newer than this berth understands ({known}); upgrade berth")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
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
];

/// An open metadata store.
pub struct Store {
    conn: Connection,
    layout: Layout,
}

impl Store {
    /// Open (creating if needed) the database under the data root and bring
    /// its schema up to date.
    pub fn open(layout: Layout) -> Result<Store> {
        layout.ensure_dirs()?;
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
        layout.restrict_db_files()?;
        conn.busy_timeout(Duration::from_secs(60))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn, layout };
        // Switching a new database to WAL and migrating it are serialised
        // by a file lock: SQLite answers a concurrent journal-mode change
        // with SQLITE_BUSY without waiting (seen with two first pulls into
        // one fresh data root). Once set up, opens take no lock.
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") || version != MIGRATIONS.len() as i64 {
            let lock_path = store.layout.data_root.join("berth.db.init-lock");
            let _init = FileLock::exclusive(&lock_path).map_err(|source| StoreError::Io {
                path: lock_path.clone(),
                source,
            })?;
            store.conn.pragma_update(None, "journal_mode", "WAL")?;
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
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
}
