//! Image records: one row per image (keyed by config digest, Docker's image
//! ID), its tags (full normalised names, each pointing at exactly one image),
//! the repository digests it is known by, and the blobs it holds so garbage
//! collection can tell what is still referenced.

use super::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct ImageRecord {
    pub id: String,
    pub manifest_digest: String,
    pub manifest_media_type: String,
    pub size: u64,
    pub created: Option<String>,
    pub added_at: i64,
    /// Full names, e.g. `docker.io/library/busybox:latest`, sorted.
    pub tags: Vec<String>,
    /// `repo@digest` strings, e.g. `docker.io/library/busybox@sha256:...`, sorted.
    pub digests: Vec<String>,
}

/// What a pull, load or commit records.
#[derive(Debug, Clone)]
pub struct NewImage {
    pub id: String,
    pub manifest_digest: String,
    pub manifest_media_type: String,
    pub size: u64,
    pub created: Option<String>,
    pub blobs: Vec<String>,
}

/// Insert the image if new (an image is immutable: same id, same content) and
/// record its blobs.
pub fn insert(tx: &Transaction<'_>, img: &NewImage) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO images (id, manifest_digest, manifest_media_type, size, created, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            img.id,
            img.manifest_digest,
            img.manifest_media_type,
            img.size as i64,
            img.created,
            super::now_nanos()
        ],
    )?;
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO image_blobs (image_id, digest) VALUES (?1, ?2)")?;
    for b in &img.blobs {
        stmt.execute(params![img.id, b])?;
    }
    Ok(())
}

/// Point `name` at `image_id`, returning the image it pointed at before (if a
/// different one).
pub fn set_tag(tx: &Transaction<'_>, name: &str, image_id: &str) -> Result<Option<String>> {
    let prev: Option<String> = tx
        .query_row(
            "SELECT image_id FROM image_tags WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    if prev.as_deref() == Some(image_id) {
        return Ok(None);
    }
    tx.execute(
        "INSERT OR REPLACE INTO image_tags (name, image_id, added_at) VALUES (?1, ?2, ?3)",
        params![name, image_id, super::now_nanos()],
    )?;
    Ok(prev)
}

/// When a name was last pointed at the image (unix nanos; Docker's
/// `Metadata.LastTagTime`), None for an image with no tag.
pub fn last_tag_time(conn: &Connection, image_id: &str) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT MAX(added_at) FROM image_tags WHERE image_id = ?1",
        [image_id],
        |r| r.get(0),
    )?)
}

pub fn add_digest(tx: &Transaction<'_>, repo: &str, digest: &str, image_id: &str) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO image_digests (repo, digest, image_id) VALUES (?1, ?2, ?3)",
        params![repo, digest, image_id],
    )?;
    Ok(())
}

/// Remove one tag; true when it existed.
pub fn remove_tag(tx: &Transaction<'_>, name: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM image_tags WHERE name = ?1", [name])? > 0)
}

/// Remove one `repo@digest` entry; true when it existed.
pub fn remove_digest(tx: &Transaction<'_>, repo: &str, digest: &str) -> Result<bool> {
    Ok(tx.execute(
        "DELETE FROM image_digests WHERE repo = ?1 AND digest = ?2",
        params![repo, digest],
    )? > 0)
}

/// Remove the image row and everything hanging off it.
pub fn remove(tx: &Transaction<'_>, image_id: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM images WHERE id = ?1", [image_id])? > 0)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<ImageRecord>> {
    let mut all = query(conn, Some(id))?;
    Ok(all.pop())
}

pub fn list(conn: &Connection) -> Result<Vec<ImageRecord>> {
    query(conn, None)
}

fn query(conn: &Connection, only: Option<&str>) -> Result<Vec<ImageRecord>> {
    let mut by_id: BTreeMap<String, ImageRecord> = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, manifest_digest, manifest_media_type, size, created, added_at
             FROM images WHERE (?1 IS NULL OR id = ?1)",
        )?;
        let rows = stmt.query_map([only], |r| {
            Ok(ImageRecord {
                id: r.get(0)?,
                manifest_digest: r.get(1)?,
                manifest_media_type: r.get(2)?,
                size: r.get::<_, i64>(3)? as u64,
                created: r.get(4)?,
                added_at: r.get(5)?,
                tags: Vec::new(),
                digests: Vec::new(),
            })
        })?;
        for row in rows {
            let rec = row?;
            by_id.insert(rec.id.clone(), rec);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT image_id, name FROM image_tags WHERE (?1 IS NULL OR image_id = ?1) ORDER BY name",
    )?;
    for row in stmt.query_map([only], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, name) = row?;
        if let Some(rec) = by_id.get_mut(&id) {
            rec.tags.push(name);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT image_id, repo, digest FROM image_digests WHERE (?1 IS NULL OR image_id = ?1)
         ORDER BY repo, digest",
    )?;
    for row in stmt.query_map([only], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (id, repo, digest) = row?;
        if let Some(rec) = by_id.get_mut(&id) {
            rec.digests.push(format!("{repo}@{digest}"));
        }
    }
    Ok(by_id.into_values().collect())
}

/// The image a full tagged name points at.
pub fn by_tag(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT image_id FROM image_tags WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// The image known by `repo@digest`.
pub fn by_digest(conn: &Connection, repo: &str, digest: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT image_id FROM image_digests WHERE repo = ?1 AND digest = ?2",
            params![repo, digest],
            |r| r.get(0),
        )
        .optional()?)
}

/// Image ids starting with `sha256:<prefix>`.
pub fn by_id_prefix(conn: &Connection, hex_prefix: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM images WHERE substr(id, 1, ?1) = ?2")?;
    let full = format!("sha256:{hex_prefix}");
    let rows = stmt.query_map(params![full.len() as i64, full], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// Every blob digest some image still holds.
pub fn referenced_blobs(conn: &Connection) -> Result<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT digest FROM image_blobs")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::super::{Layout, Store};
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(Layout::new(dir.path().join("d"), dir.path().join("s"))).unwrap();
        (dir, s)
    }

    fn img(id: &str) -> NewImage {
        NewImage {
            id: id.into(),
            manifest_digest: "sha256:m".into(),
            manifest_media_type: "x".into(),
            size: 10,
            created: None,
            blobs: vec!["sha256:b1".into(), "sha256:b2".into()],
        }
    }

    #[test]
    fn tags_move_between_images() {
        let (_d, mut s) = store();
        s.write(|tx| {
            insert(tx, &img("sha256:aaa"))?;
            insert(tx, &img("sha256:bbb"))?;
            assert_eq!(
                set_tag(tx, "docker.io/library/x:latest", "sha256:aaa")?,
                None
            );
            assert_eq!(
                set_tag(tx, "docker.io/library/x:latest", "sha256:bbb")?,
                Some("sha256:aaa".into())
            );
            Ok::<_, super::super::StoreError>(())
        })
        .unwrap();
        let all = list(s.conn()).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].tags.is_empty());
        assert_eq!(all[1].tags, vec!["docker.io/library/x:latest".to_string()]);
        assert_eq!(by_id_prefix(s.conn(), "bb").unwrap(), vec!["sha256:bbb"]);
        s.write(|tx| remove(tx, "sha256:bbb")).unwrap();
        assert_eq!(
            by_tag(s.conn(), "docker.io/library/x:latest").unwrap(),
            None
        );
        assert_eq!(referenced_blobs(s.conn()).unwrap().len(), 2);
    }
}
