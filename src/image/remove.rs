//! Docker's image removal rules (`rmi`, `image rm`, `image prune`), below
//! the commands. `plan` decides from an image record, how the name matched
//! and the containers using the image; `apply` writes the plan inside the
//! caller's transaction. Neither prints nor collects blobs: the command
//! renders the `Removal`s and runs `gc::collect` under the exclusive GC lock.
//!
//! The rules, as moby's image delete service applies them: removing a name
//! (tag or repo digest) of an image that has other names only untags it
//! (and drops the repo digests of that tag's repository when no other tag
//! of it remains); the image itself goes with its last name. Removing by ID
//! refuses an image tagged in several repositories unless forced. An image a
//! container uses is refused; with `-f` and only stopped users it is
//! untagged but kept, and a running user can never be forced.

use super::describe::{repo_digests, repo_tags};
use super::lookup::{self, LookupError, Match};
use super::reference::Reference;
use crate::filter::LabelFilter;
use crate::store::images::{self, ImageRecord};
use crate::store::{containers, StoreError};
use rusqlite::Transaction;

#[derive(Debug, thiserror::Error)]
pub enum RemoveError {
    #[error("No such image: {0}")]
    NotFound(String),
    #[error(transparent)]
    Lookup(#[from] LookupError),
    #[error("conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories", short(.image))]
    MultipleRepositories { image: String },
    #[error("conflict: unable to delete {} ({}) - image is being used by {} container {}", short(.image), forced(.running), state(.running), short(.container))]
    ImageInUse {
        image: String,
        container: String,
        running: bool,
    },
    #[error("conflict: unable to remove repository reference \"{name}\" ({}) - container {} is using its referenced image {}", forced(.running), short(.container), short(.image))]
    ReferenceInUse {
        name: String,
        image: String,
        container: String,
        running: bool,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for RemoveError {
    fn from(e: rusqlite::Error) -> Self {
        RemoveError::Store(StoreError::Sql(e))
    }
}

fn short(id: &str) -> &str {
    let hex = id.trim_start_matches("sha256:");
    &hex[..hex.len().min(12)]
}

fn forced(running: &bool) -> &'static str {
    if *running {
        "cannot be forced"
    } else {
        "must be forced"
    }
}

fn state(running: &bool) -> &'static str {
    if *running {
        "running"
    } else {
        "stopped"
    }
}

/// One name of an image, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// A full `domain/path:tag`.
    Tag(String),
    Digest {
        repo: String,
        digest: String,
    },
}

impl Name {
    /// The familiar form Docker prints (`busybox:latest`, `busybox@sha256:…`).
    fn familiar(&self) -> String {
        let full = match self {
            Name::Tag(t) => t.clone(),
            Name::Digest { repo, digest } => format!("{repo}@{digest}"),
        };
        Reference::parse(&full)
            .map(|r| r.familiar())
            .unwrap_or(full)
    }
}

/// What removing one name does to one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub image_id: String,
    /// Names to drop, in the order Docker reports them.
    pub untag: Vec<Name>,
    /// Whether the image record goes too.
    pub delete: bool,
}

/// What was removed, for the command to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// A familiar name.
    Untagged(String),
    /// A full image ID.
    Deleted(String),
}

/// A container that uses an image, and whether it is live (running,
/// paused or restarting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub container_id: String,
    pub live: bool,
}

fn names_of(rec: &ImageRecord) -> Vec<Name> {
    let tags = rec.tags.iter().cloned().map(Name::Tag);
    let digests = rec.digests.iter().filter_map(|d| {
        d.split_once('@').map(|(repo, digest)| Name::Digest {
            repo: repo.to_string(),
            digest: digest.to_string(),
        })
    });
    tags.chain(digests).collect()
}

fn repo_of(tag: &str) -> Option<String> {
    Reference::parse(tag).ok().map(|r| r.name())
}

/// Decide what removing `typed` (which matched `rec` as `how`) does.
pub fn plan(
    rec: &ImageRecord,
    how: &Match,
    typed: &str,
    force: bool,
    users: &[User],
) -> Result<Plan, RemoveError> {
    let mut remaining = names_of(rec);
    let mut untag = Vec::new();
    let named = match how {
        Match::Tag(t) => Some(Name::Tag(t.clone())),
        Match::Digest { repo, digest } => Some(Name::Digest {
            repo: repo.clone(),
            digest: digest.clone(),
        }),
        Match::Id => None,
    };
    if let Some(name) = named.filter(|_| remaining.len() > 1) {
        // Other names remain: only this one goes, with the repo digests of
        // a tag's repository when no other tag of that repository is left.
        remaining.retain(|n| *n != name);
        if let Name::Tag(t) = &name {
            let repo = repo_of(t);
            let other_tag_in_repo = remaining
                .iter()
                .any(|n| matches!(n, Name::Tag(o) if repo_of(o) == repo));
            if !other_tag_in_repo {
                let (orphans, keep): (Vec<Name>, Vec<Name>) = remaining.into_iter().partition(
                    |n| matches!(n, Name::Digest { repo: r, .. } if Some(r) == repo.as_ref()),
                );
                remaining = keep;
                untag.push(name);
                untag.extend(orphans);
            } else {
                untag.push(name);
            }
        } else {
            untag.push(name);
        }
        if !remaining.is_empty() {
            return Ok(Plan {
                image_id: rec.id.clone(),
                untag,
                delete: false,
            });
        }
    } else if *how == Match::Id && rec.tags.len() > 1 && !force {
        return Err(RemoveError::MultipleRepositories {
            image: rec.id.clone(),
        });
    }
    if let Some(user) = users.first() {
        if !force || user.live {
            let (container, running) = (user.container_id.clone(), user.live);
            return Err(match how {
                Match::Id => RemoveError::ImageInUse {
                    image: rec.id.clone(),
                    container,
                    running,
                },
                _ => RemoveError::ReferenceInUse {
                    name: typed.to_string(),
                    image: rec.id.clone(),
                    container,
                    running,
                },
            });
        }
        // Forced with only stopped users: untag everything, keep the image.
        untag.extend(remaining);
        return Ok(Plan {
            image_id: rec.id.clone(),
            untag,
            delete: false,
        });
    }
    untag.extend(remaining);
    Ok(Plan {
        image_id: rec.id.clone(),
        untag,
        delete: true,
    })
}

/// Write `plan` in the caller's transaction.
pub fn apply(tx: &Transaction<'_>, plan: &Plan) -> Result<Vec<Removal>, StoreError> {
    let mut out = Vec::new();
    for name in &plan.untag {
        let removed = match name {
            Name::Tag(t) => images::remove_tag(tx, t)?,
            Name::Digest { repo, digest } => images::remove_digest(tx, repo, digest)?,
        };
        if removed {
            out.push(Removal::Untagged(name.familiar()));
        }
    }
    if plan.delete {
        images::remove(tx, &plan.image_id)?;
        out.push(Removal::Deleted(plan.image_id.clone()));
    }
    Ok(out)
}

fn users(tx: &Transaction<'_>, image_id: &str) -> Result<Vec<User>, StoreError> {
    Ok(containers::image_users(tx, image_id)?
        .into_iter()
        .map(|(container_id, live)| User { container_id, live })
        .collect())
}

/// `rmi NAME`: look the name up, plan and apply, in the caller's transaction.
pub fn remove(tx: &Transaction<'_>, typed: &str, force: bool) -> Result<Vec<Removal>, RemoveError> {
    let (id, how) =
        lookup::find_match(tx, typed)?.ok_or_else(|| RemoveError::NotFound(typed.into()))?;
    let rec = images::get(tx, &id)?.ok_or_else(|| RemoveError::NotFound(typed.into()))?;
    let plan = plan(&rec, &how, typed, force, &users(tx, &id)?)?;
    Ok(apply(tx, &plan)?)
}

/// Which images `image prune` removes (besides being unused).
#[derive(Debug, Clone, Default)]
pub struct PruneOptions {
    /// `-a`: tagged images too, not only dangling ones.
    pub all: bool,
    /// `until=`: only images created before this Unix time.
    pub until: Option<i64>,
    pub labels: LabelFilter,
}

impl PruneOptions {
    /// Whether `rec` (whose config labels `labels` reads) is a candidate.
    pub fn selects(
        &self,
        rec: &ImageRecord,
        labels: impl FnOnce() -> std::collections::BTreeMap<String, String>,
    ) -> bool {
        if !self.all && !rec.tags.is_empty() {
            return false;
        }
        let created = super::describe::created_unix(rec.created.as_deref()).unwrap_or(0);
        if self.until.is_some_and(|until| created >= until) {
            return false;
        }
        self.labels.is_empty() || self.labels.matches(&labels())
    }
}

/// Prune one candidate in the caller's transaction: nothing when a
/// container uses it, else every name and the image.
pub fn prune_one(tx: &Transaction<'_>, rec: &ImageRecord) -> Result<Vec<Removal>, StoreError> {
    if !containers::image_users(tx, &rec.id)?.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Removal> = repo_tags(rec)
        .into_iter()
        .chain(repo_digests(rec))
        .map(Removal::Untagged)
        .collect();
    images::remove(tx, &rec.id)?;
    out.push(Removal::Deleted(rec.id.clone()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::containers::ContainerRow;
    use crate::store::images::NewImage;
    use crate::store::{Layout, Store};

    const IMG: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const CTR: &str = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    const DG: &str = "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

    fn rec(tags: &[&str], digests: &[&str]) -> ImageRecord {
        ImageRecord {
            id: IMG.into(),
            manifest_digest: DG.into(),
            manifest_media_type: String::new(),
            size: 0,
            created: None,
            added_at: 0,
            tags: tags.iter().map(|s| s.to_string()).collect(),
            digests: digests.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn tag(t: &str) -> Match {
        Match::Tag(t.into())
    }

    fn user(live: bool) -> Vec<User> {
        vec![User {
            container_id: CTR.into(),
            live,
        }]
    }

    const LATEST: &str = "docker.io/library/busybox:latest";
    const OLD: &str = "docker.io/library/busybox:old";
    const APP: &str = "docker.io/library/app:1";

    #[test]
    fn a_name_with_others_left_is_only_untagged() {
        let r = rec(&[APP, LATEST], &[]);
        let p = plan(&r, &tag(LATEST), "busybox", false, &user(true)).unwrap();
        assert_eq!(p.untag, [Name::Tag(LATEST.into())]);
        assert!(!p.delete);
    }

    #[test]
    fn the_last_tag_of_a_repo_takes_its_repo_digest_along() {
        let bb_digest = format!("docker.io/library/busybox@{DG}");
        let r = rec(&[APP, LATEST], &[&bb_digest]);
        let p = plan(&r, &tag(LATEST), "busybox", false, &[]).unwrap();
        let digest = Name::Digest {
            repo: "docker.io/library/busybox".into(),
            digest: DG.into(),
        };
        assert_eq!(p.untag, [Name::Tag(LATEST.into()), digest.clone()]);
        assert!(!p.delete);
        // With a second tag of the repository left, its digest stays.
        let r = rec(&[LATEST, OLD], &[&bb_digest]);
        let p = plan(&r, &tag(LATEST), "busybox", false, &[]).unwrap();
        assert_eq!(p.untag, [Name::Tag(LATEST.into())]);
        // The only tag plus its digest: both go and so does the image.
        let r = rec(&[LATEST], &[&bb_digest]);
        let p = plan(&r, &tag(LATEST), "busybox", false, &[]).unwrap();
        assert_eq!(p.untag, [Name::Tag(LATEST.into()), digest]);
        assert!(p.delete);
    }

    #[test]
    fn removing_by_id_with_several_repositories_must_be_forced() {
        let r = rec(&[APP, LATEST], &[]);
        let e = plan(&r, &Match::Id, "aaaa", false, &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "conflict: unable to delete aaaaaaaaaaaa (must be forced) - image is referenced in multiple repositories"
        );
        let p = plan(&r, &Match::Id, "aaaa", true, &[]).unwrap();
        assert_eq!(p.untag.len(), 2);
        assert!(p.delete);
    }

    #[test]
    fn a_used_image_is_refused_and_force_only_untags_it() {
        let r = rec(&[LATEST], &[]);
        let e = plan(&r, &tag(LATEST), "busybox", false, &user(false)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "conflict: unable to remove repository reference \"busybox\" (must be forced) - container cccccccccccc is using its referenced image aaaaaaaaaaaa"
        );
        let e = plan(&r, &Match::Id, "aaaa", false, &user(true)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "conflict: unable to delete aaaaaaaaaaaa (cannot be forced) - image is being used by running container cccccccccccc"
        );
        assert!(plan(&r, &Match::Id, "aaaa", true, &user(true)).is_err());
        let p = plan(&r, &Match::Id, "aaaa", true, &user(false)).unwrap();
        assert_eq!(p.untag, [Name::Tag(LATEST.into())]);
        assert!(!p.delete);
    }

    #[test]
    fn a_dangling_image_is_deleted_by_id() {
        let r = rec(&[], &[]);
        let p = plan(&r, &Match::Id, "aaaa", false, &[]).unwrap();
        assert!(p.untag.is_empty());
        assert!(p.delete);
        let prune = PruneOptions::default();
        assert!(prune.selects(&r, Default::default));
        assert!(!prune.selects(&rec(&[LATEST], &[]), Default::default));
        let all = PruneOptions {
            all: true,
            ..Default::default()
        };
        assert!(all.selects(&rec(&[LATEST], &[]), Default::default));
    }

    fn new_image(id: &str, blobs: &[&str]) -> NewImage {
        NewImage {
            id: id.into(),
            manifest_digest: DG.into(),
            manifest_media_type: String::new(),
            size: 0,
            created: None,
            blobs: blobs.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn remove_applies_in_the_store_and_keeps_shared_layers_referenced() {
        let d = tempfile::tempdir().unwrap();
        let mut store = Store::open(Layout::new(d.path().join("d"), d.path().join("s"))).unwrap();
        let other = format!("sha256:{}", "b".repeat(64));
        store
            .write(|tx| -> Result<(), StoreError> {
                images::insert(tx, &new_image(IMG, &["sha256:shared", "sha256:own"]))?;
                images::insert(tx, &new_image(&other, &["sha256:shared"]))?;
                images::set_tag(tx, LATEST, IMG)?;
                images::set_tag(tx, APP, &other)?;
                Ok(())
            })
            .unwrap();
        // A stopped container uses the app image.
        store
            .write(|tx| {
                containers::insert(
                    tx,
                    &ContainerRow {
                        id: CTR.into(),
                        name: "c".into(),
                        image_id: other.clone(),
                        status: crate::store::containers::Status::Exited,
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        let e = store.write(|tx| remove(tx, "app:1", false)).unwrap_err();
        assert!(matches!(e, RemoveError::ReferenceInUse { .. }), "{e}");
        let out = store.write(|tx| remove(tx, "busybox", false)).unwrap();
        assert_eq!(
            out,
            [
                Removal::Untagged("busybox:latest".into()),
                Removal::Deleted(IMG.into())
            ]
        );
        let blobs = images::referenced_blobs(store.conn()).unwrap();
        assert!(blobs.contains("sha256:shared"));
        assert!(!blobs.contains("sha256:own"));
        assert!(matches!(
            store.write(|tx| remove(tx, "busybox", false)),
            Err(RemoveError::NotFound(_))
        ));
        // Pruning skips the used image.
        let rec = images::get(store.conn(), &other).unwrap().unwrap();
        assert!(store.write(|tx| prune_one(tx, &rec)).unwrap().is_empty());
    }
}
