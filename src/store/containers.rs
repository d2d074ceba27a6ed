//! Container records. The name is reserved by the UNIQUE constraint in the
//! same transaction that inserts the record, so of several processes racing
//! to create one name exactly one wins and the rest see Docker's conflict.
//! Live state (running, exit code) is written by the CLI when it changes it
//! and reconciled with the shim's files by `container::state`.

use super::{Result, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// A container's state, a typed column (stored as Docker's `State.Status`
/// word; the transient states are berth's own).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Status {
    /// Being created by a CLI that holds the container lock; hidden from users.
    #[default]
    Creating,
    Created,
    Running,
    Paused,
    Restarting,
    Exited,
    Dead,
    /// Being removed; hidden from users.
    Removing,
}

impl Status {
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "creating" => Status::Creating,
            "created" => Status::Created,
            "running" => Status::Running,
            "paused" => Status::Paused,
            "restarting" => Status::Restarting,
            "exited" => Status::Exited,
            "dead" => Status::Dead,
            "removing" => Status::Removing,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Creating => "creating",
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Exited => "exited",
            Status::Dead => "dead",
            Status::Removing => "removing",
        }
    }

    /// A process exists for it (a shim is or should be watching it).
    pub fn is_live(self) -> bool {
        matches!(self, Status::Running | Status::Paused | Status::Restarting)
    }

    /// Docker shows a container's ports (`NetworkSettings.Ports`, `ps`
    /// PORTS, `port`) only while it runs: moby sets them at start and its
    /// `releaseNetwork` clears them when the container stops (also between
    /// the runs of a policy restart).
    pub fn shows_ports(self) -> bool {
        matches!(self, Status::Running | Status::Paused)
    }

    pub fn can_start(self) -> bool {
        matches!(self, Status::Created | Status::Exited | Status::Dead)
    }

    pub fn can_kill(self) -> bool {
        matches!(self, Status::Running | Status::Paused | Status::Restarting)
    }

    /// Hidden from `ps` and lookups: a transient state of another process.
    pub fn is_transient(self) -> bool {
        matches!(self, Status::Creating | Status::Removing)
    }
}

impl rusqlite::types::ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for Status {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = v.as_str()?;
        Status::parse(s).ok_or_else(|| {
            rusqlite::types::FromSqlError::Other(format!("unknown container status {s:?}").into())
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerRow {
    pub id: String,
    pub name: String,
    pub image_id: String,
    pub image_ref: String,
    pub created_at: String,
    pub spec: String,
    pub status: Status,
    pub pid: i64,
    pub exit_code: i64,
    pub started_at: String,
    pub finished_at: String,
    pub oom_killed: bool,
    pub error: String,
    pub restart_count: i64,
    pub boot_id: String,
}

/// Why an insert failed.
#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("Conflict. The container name \"/{name}\" is already in use by container \"{by}\". You have to remove (or rename) that container to be able to reuse that name.")]
    NameInUse { name: String, by: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for InsertError {
    fn from(e: rusqlite::Error) -> Self {
        InsertError::Store(StoreError::Sql(e))
    }
}

const COLUMNS: &str = "id, name, image_id, image_ref, created_at, spec, status, pid, exit_code,
    started_at, finished_at, oom_killed, error, restart_count, boot_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ContainerRow> {
    Ok(ContainerRow {
        id: r.get(0)?,
        name: r.get(1)?,
        image_id: r.get(2)?,
        image_ref: r.get(3)?,
        created_at: r.get(4)?,
        spec: r.get(5)?,
        status: r.get(6)?,
        pid: r.get(7)?,
        exit_code: r.get(8)?,
        started_at: r.get(9)?,
        finished_at: r.get(10)?,
        oom_killed: r.get::<_, i64>(11)? != 0,
        error: r.get(12)?,
        restart_count: r.get(13)?,
        boot_id: r.get(14)?,
    })
}

pub fn insert(tx: &Transaction<'_>, c: &ContainerRow) -> std::result::Result<(), InsertError> {
    if let Some(by) = id_by_name(tx, &c.name)? {
        return Err(InsertError::NameInUse {
            name: c.name.clone(),
            by,
        });
    }
    tx.execute(
        &format!("INSERT INTO containers ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
        params![
            c.id, c.name, c.image_id, c.image_ref, c.created_at, c.spec, c.status, c.pid,
            c.exit_code, c.started_at, c.finished_at, c.oom_killed as i64, c.error,
            c.restart_count, c.boot_id
        ],
    )?;
    Ok(())
}

pub fn id_by_name(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT id FROM containers WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<ContainerRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM containers WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<ContainerRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM containers ORDER BY created_at DESC"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The containers another process left half-made or half-removed
/// (`creating`, `removing`), and after a reboot also those that were live:
/// what the sweep looks at. Filtered in SQL so that a `run` on a data root
/// with many containers does not read every record.
pub fn list_for_sweep(conn: &Connection, rebooted: bool) -> Result<Vec<ContainerRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM containers
         WHERE status IN (?1, ?2) OR (?3 AND status IN (?4, ?5, ?6))
         ORDER BY created_at DESC"
    ))?;
    let rows = stmt.query_map(
        params![
            Status::Creating,
            Status::Removing,
            rebooted,
            Status::Running,
            Status::Paused,
            Status::Restarting
        ],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Containers created from `image_id`, oldest first, each with whether it
/// is live (running, paused or restarting): what image removal checks.
pub fn image_users(conn: &Connection, image_id: &str) -> Result<Vec<(String, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, status IN ('running', 'paused', 'restarting') FROM containers
         WHERE image_id = ?1 ORDER BY created_at",
    )?;
    let rows = stmt.query_map([image_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ids whose id starts with `prefix`.
pub fn ids_by_prefix(conn: &Connection, prefix: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM containers WHERE substr(id, 1, ?1) = ?2")?;
    let rows = stmt.query_map(params![prefix.len() as i64, prefix], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Write a record's live-state fields (status, pid, exit code, times, OOM
/// flag, error, restart count, boot id). Only `container::state::apply`
/// calls it: the one writer of container state.
pub fn update_state(tx: &Transaction<'_>, c: &ContainerRow) -> Result<()> {
    tx.execute(
        "UPDATE containers SET status = ?2, pid = ?3, exit_code = ?4, started_at = ?5,
            finished_at = ?6, oom_killed = ?7, error = ?8, restart_count = ?9, boot_id = ?10
         WHERE id = ?1",
        params![
            c.id,
            c.status,
            c.pid,
            c.exit_code,
            c.started_at,
            c.finished_at,
            c.oom_killed as i64,
            c.error,
            c.restart_count,
            c.boot_id
        ],
    )?;
    Ok(())
}

pub fn rename(
    tx: &Transaction<'_>,
    id: &str,
    new_name: &str,
) -> std::result::Result<(), InsertError> {
    if let Some(by) = id_by_name(tx, new_name)? {
        return Err(InsertError::NameInUse {
            name: new_name.to_string(),
            by,
        });
    }
    tx.execute(
        "UPDATE containers SET name = ?2 WHERE id = ?1",
        params![id, new_name],
    )?;
    Ok(())
}

/// Replace a container's stored spec (`update`).
pub fn set_spec(tx: &Transaction<'_>, id: &str, spec: &str) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE containers SET spec = ?2 WHERE id = ?1",
        params![id, spec],
    )? > 0)
}

pub fn remove(tx: &Transaction<'_>, id: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM containers WHERE id = ?1", [id])? > 0)
}

#[cfg(test)]
mod tests {
    use super::super::{Layout, Store};
    use super::*;

    fn row(id: &str, name: &str) -> ContainerRow {
        ContainerRow {
            id: id.into(),
            name: name.into(),
            image_id: "sha256:x".into(),
            image_ref: "busybox".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            spec: "{}".into(),
            status: Status::Created,
            ..Default::default()
        }
    }

    #[test]
    fn names_are_unique_and_renames_check_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(Layout::new(dir.path().join("d"), dir.path().join("s"))).unwrap();
        s.write(|tx| insert(tx, &row("a1", "web"))).unwrap();
        let e = s.write(|tx| insert(tx, &row("b2", "web"))).unwrap_err();
        assert!(e.to_string().starts_with(
            "Conflict. The container name \"/web\" is already in use by container \"a1\""
        ));
        s.write(|tx| insert(tx, &row("b2", "db"))).unwrap();
        assert!(s.write(|tx| rename(tx, "b2", "web")).is_err());
        s.write(|tx| rename(tx, "b2", "cache")).unwrap();
        assert_eq!(
            id_by_name(s.conn(), "cache").unwrap().as_deref(),
            Some("b2")
        );
        assert_eq!(ids_by_prefix(s.conn(), "a").unwrap(), vec!["a1"]);
    }

    #[test]
    fn the_sweep_reads_transient_records_and_after_a_reboot_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(Layout::new(dir.path().join("d"), dir.path().join("s"))).unwrap();
        let all = [
            Status::Creating,
            Status::Created,
            Status::Running,
            Status::Paused,
            Status::Restarting,
            Status::Exited,
            Status::Dead,
            Status::Removing,
        ];
        for (i, st) in all.iter().enumerate() {
            let mut r = row(&format!("c{i}"), &format!("n{i}"));
            r.status = *st;
            s.write(|tx| insert(tx, &r)).unwrap();
        }
        let statuses = |rebooted| {
            let mut v: Vec<&str> = list_for_sweep(s.conn(), rebooted)
                .unwrap()
                .iter()
                .map(|r| r.status.as_str())
                .collect();
            v.sort();
            v
        };
        assert_eq!(statuses(false), ["creating", "removing"]);
        assert_eq!(
            statuses(true),
            ["creating", "paused", "removing", "restarting", "running"]
        );
    }

    #[test]
    fn concurrent_creates_of_one_name_have_one_winner() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path().join("d"), dir.path().join("s"));
        Store::open(layout.clone()).unwrap();
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let layout = layout.clone();
                std::thread::spawn(move || {
                    let mut s = Store::open(layout).unwrap();
                    s.write(|tx| insert(tx, &row(&format!("id{i}"), "same")))
                        .is_ok()
                })
            })
            .collect();
        let wins = handles
            .into_iter()
            .filter(|_| true)
            .map(|h| h.join().unwrap())
            .filter(|ok| *ok)
            .count();
        assert_eq!(wins, 1);
    }
}
