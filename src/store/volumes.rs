//! Volume records: named and anonymous local volumes whose data lives in
//! `<data-root>/volumes/<name>/_data`, and which containers use them.

use super::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

#[derive(Debug, Clone, PartialEq)]
pub struct VolumeRow {
    pub name: String,
    pub driver: String,
    pub created_at: String,
    pub labels: String,
    pub options: String,
    pub anonymous: bool,
}

/// Insert unless it exists; returns true when this call created it.
pub fn create(tx: &Transaction<'_>, v: &VolumeRow) -> Result<bool> {
    Ok(tx.execute(
        "INSERT OR IGNORE INTO volumes (name, driver, created_at, labels, options, anonymous)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            v.name,
            v.driver,
            v.created_at,
            v.labels,
            v.options,
            v.anonymous as i64
        ],
    )? > 0)
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VolumeRow> {
    Ok(VolumeRow {
        name: r.get(0)?,
        driver: r.get(1)?,
        created_at: r.get(2)?,
        labels: r.get(3)?,
        options: r.get(4)?,
        anonymous: r.get::<_, i64>(5)? != 0,
    })
}

pub fn get(conn: &Connection, name: &str) -> Result<Option<VolumeRow>> {
    Ok(conn
        .query_row(
            "SELECT name, driver, created_at, labels, options, anonymous FROM volumes WHERE name = ?1",
            [name],
            from_row,
        )
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<VolumeRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, driver, created_at, labels, options, anonymous FROM volumes ORDER BY name",
    )?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Record that a container uses a volume.
pub fn attach(tx: &Transaction<'_>, container_id: &str, volume: &str) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO container_volumes (container_id, volume) VALUES (?1, ?2)",
        params![container_id, volume],
    )?;
    Ok(())
}

/// Containers using a volume.
pub fn users(conn: &Connection, volume: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT container_id FROM container_volumes WHERE volume = ?1")?;
    let rows = stmt.query_map([volume], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Volumes a container uses.
pub fn of_container(conn: &Connection, container_id: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT volume FROM container_volumes WHERE container_id = ?1")?;
    let rows = stmt.query_map([container_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn remove(tx: &Transaction<'_>, name: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM volumes WHERE name = ?1", [name])? > 0)
}
