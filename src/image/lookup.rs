//! Finding a stored image from what a user typed, in Docker's order: a
//! reference (`name[:tag]`, `name@digest`), then a full or short image ID
//! (`sha256:<hex>` or a hex prefix). Ambiguous prefixes are an error.

use super::reference::Reference;
use crate::store::images::{self, ImageRecord};
use crate::store::StoreError;
use rusqlite::Connection;

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("No such image: {0}")]
    NotFound(String),
    #[error("multiple IDs found with provided prefix: {0}")]
    Ambiguous(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Resolve `input` to a stored image.
pub fn find(conn: &Connection, input: &str) -> Result<ImageRecord, LookupError> {
    match find_id(conn, input)? {
        Some(id) => images::get(conn, &id)?.ok_or_else(|| LookupError::NotFound(input.into())),
        None => Err(LookupError::NotFound(input.to_string())),
    }
}

/// How `input` matched, for `rmi` (which untags a name but deletes by ID).
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    Tag(String),
    Digest { repo: String, digest: String },
    Id,
}

pub fn find_id(conn: &Connection, input: &str) -> Result<Option<String>, LookupError> {
    Ok(find_match(conn, input)?.map(|(id, _)| id))
}

pub fn find_match(conn: &Connection, input: &str) -> Result<Option<(String, Match)>, LookupError> {
    if let Some(hex) = id_candidate(input) {
        // A full ID is unambiguous; a prefix is tried after names, as Docker does.
        if hex.len() == 64 {
            let ids = images::by_id_prefix(conn, hex)?;
            if let Some(id) = ids.into_iter().next() {
                return Ok(Some((id, Match::Id)));
            }
        }
    }
    if let Ok(r) = Reference::parse(input) {
        if let Some(d) = r.digest() {
            let repo = r.name();
            if let Some(id) = images::by_digest(conn, &repo, &d.to_string())? {
                return Ok(Some((
                    id,
                    Match::Digest {
                        repo,
                        digest: d.to_string(),
                    },
                )));
            }
        } else {
            let name = r.to_string();
            if let Some(id) = images::by_tag(conn, &name)? {
                return Ok(Some((id, Match::Tag(name))));
            }
        }
    }
    if let Some(hex) = id_candidate(input) {
        let ids = images::by_id_prefix(conn, hex)?;
        match ids.len() {
            0 => {}
            1 => {
                return Ok(Some((
                    ids.into_iter().next().unwrap_or_default(),
                    Match::Id,
                )))
            }
            _ => return Err(LookupError::Ambiguous(input.to_string())),
        }
    }
    Ok(None)
}

/// The hex part of something that could be an image ID.
fn id_candidate(input: &str) -> Option<&str> {
    let hex = input.strip_prefix("sha256:").unwrap_or(input);
    let ok = !hex.is_empty()
        && hex.len() <= 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    ok.then_some(hex)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{images::NewImage, Layout, Store};

    #[test]
    fn finds_by_tag_digest_and_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(Layout::new(dir.path().join("d"), dir.path().join("s"))).unwrap();
        let id = format!("sha256:{}", "ab".repeat(32));
        let other = format!("sha256:{}", "ac".repeat(32));
        let dg = format!("sha256:{}", "cd".repeat(32));
        s.write(|tx| {
            for i in [&id, &other] {
                images::insert(
                    tx,
                    &NewImage {
                        id: i.clone(),
                        manifest_digest: dg.clone(),
                        manifest_media_type: "m".into(),
                        size: 1,
                        created: None,
                        blobs: vec![],
                    },
                )?;
            }
            images::set_tag(tx, "docker.io/library/busybox:latest", &id)?;
            images::add_digest(tx, "docker.io/library/busybox", &dg, &id)
        })
        .unwrap();
        let c = s.conn();
        assert_eq!(find(c, "busybox").unwrap().id, id);
        assert_eq!(find(c, &format!("busybox@{dg}")).unwrap().id, id);
        assert_eq!(find(c, "abab").unwrap().id, id);
        assert_eq!(find(c, &id).unwrap().id, id);
        assert!(matches!(find(c, "a"), Err(LookupError::Ambiguous(_))));
        let e = find(c, "nope").unwrap_err();
        assert_eq!(e.to_string(), "No such image: nope");
    }
}
