//! `berth images` / `berth image ls`.

use crate::cli::image::ListArgs;
use crate::cmd::context::Context;
use crate::filter::{FilterSpec, Filters, LabelFilter, UnknownKey};
use crate::format::{self, units, ListFormat};
use crate::image::describe::created_unix;
use crate::image::lookup;
use crate::image::reference::Reference;
use crate::store::images::{self, ImageRecord};
use anyhow::Result;
use serde_json::{json, Value};
use std::io::Write;

const DEFAULT_TABLE: &str =
    "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
const DIGESTS_TABLE: &str =
    "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
const HEADERS: &[(&str, &str)] = &[
    ("Repository", "REPOSITORY"),
    ("Tag", "TAG"),
    ("Digest", "DIGEST"),
    ("ID", "IMAGE ID"),
    ("CreatedSince", "CREATED"),
    ("CreatedAt", "CREATED AT"),
    ("Size", "SIZE"),
    ("Containers", "CONTAINERS"),
    ("SharedSize", "SHARED SIZE"),
    ("UniqueSize", "UNIQUE SIZE"),
    ("VirtualSize", "VIRTUAL SIZE"),
];

const FILTERS: FilterSpec = FilterSpec {
    flag: "-f, --filter",
    keys: &[
        "dangling",
        "reference",
        "label",
        "label!",
        "before",
        "since",
        "until",
    ],
    unknown: UnknownKey::Lower,
};

/// A parsed `--filter` of `images`: creation-time bounds as Unix seconds.
#[derive(Debug, Default)]
pub struct ImageFilters {
    dangling: Option<bool>,
    references: Vec<String>,
    labels: LabelFilter,
    before: Option<i64>,
    since: Option<i64>,
    until: Option<i64>,
}

impl ImageFilters {
    fn parse(conn: &rusqlite::Connection, raw: &[String]) -> Result<ImageFilters> {
        let f = Filters::parse(raw, &FILTERS)?;
        // `before`/`since` name images, each of which must exist; several
        // values all hold, as in moby: the oldest `before`, the newest
        // `since` (an image without a creation time bounds nothing).
        let created_of = |key, pick: fn(i64, i64) -> i64| -> Result<Option<i64>> {
            let mut bound = None;
            for name in f.values(key) {
                let rec = lookup::find(conn, name)?;
                if let Some(t) = created_unix(rec.created.as_deref()) {
                    bound = Some(bound.map_or(t, |b| pick(b, t)));
                }
            }
            Ok(bound)
        };
        let until = f
            .until(std::time::SystemTime::now())?
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).timestamp());
        Ok(ImageFilters {
            dangling: f.bools("dangling")?.last().copied(),
            references: f.values("reference").map(str::to_string).collect(),
            labels: f.labels(),
            before: created_of("before", i64::min)?,
            since: created_of("since", i64::max)?,
            until,
        })
    }
}

pub fn run(ctx: &Context, args: ListArgs, out: &mut dyn Write) -> Result<u8> {
    let store = ctx.store()?;
    let mut filters = ImageFilters::parse(store.conn(), &args.filter)?;
    if let Some(r) = &args.reference {
        filters.references.push(r.clone());
    }
    let format = if args.quiet {
        ListFormat::Template("{{.ID}}".into())
    } else {
        let default = if args.digests {
            DIGESTS_TABLE
        } else {
            DEFAULT_TABLE
        };
        ListFormat::parse(args.format.as_deref(), default)?
    };
    let content = ctx.content();
    let mut recs = images::list(store.conn())?;
    recs.sort_by_key(|r| std::cmp::Reverse(created_unix(r.created.as_deref()).unwrap_or(0)));
    let mut rows = Vec::new();
    let mut seen_ids = std::collections::HashSet::new();
    for rec in &recs {
        let created = created_unix(rec.created.as_deref());
        if let Some(b) = filters.before {
            if created.unwrap_or(0) >= b {
                continue;
            }
        }
        if let Some(s) = filters.since {
            if created.unwrap_or(0) <= s {
                continue;
            }
        }
        if let Some(d) = filters.dangling {
            if d != rec.tags.is_empty() {
                continue;
            }
        }
        if let Some(u) = filters.until {
            if created.unwrap_or(0) >= u {
                continue;
            }
        }
        if !filters.labels.is_empty()
            && !filters
                .labels
                .matches(&crate::image::config_labels(&content, &rec.id))
        {
            continue;
        }
        for row in image_rows(rec, args.no_trunc) {
            if !filters.references.is_empty()
                && !filters
                    .references
                    .iter()
                    .any(|p| reference_matches(p, &row.0, &row.1))
            {
                continue;
            }
            if args.quiet && !seen_ids.insert(rec.id.clone()) {
                continue;
            }
            rows.push(row.2);
        }
    }
    format::render_list(out, &format, HEADERS, &rows)?;
    out.flush()?;
    Ok(0)
}

/// One row per tag (or per digest for untagged images, or one `<none>` row),
/// with the familiar repository and tag used for reference filters.
fn image_rows(rec: &ImageRecord, no_trunc: bool) -> Vec<(String, String, Value)> {
    let id = if no_trunc {
        rec.id.clone()
    } else {
        rec.id
            .trim_start_matches("sha256:")
            .chars()
            .take(12)
            .collect()
    };
    let created = created_unix(rec.created.as_deref());
    let created_since = match created {
        Some(t) => {
            let now = chrono::Utc::now().timestamp();
            let d = std::time::Duration::from_secs((now - t).max(0) as u64);
            format!("{} ago", units::human_duration(d))
        }
        None => "N/A".into(),
    };
    let created_at = created
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|t| t.format("%Y-%m-%d %H:%M:%S +0000 UTC").to_string())
        .unwrap_or_default();
    let digests: Vec<(String, String)> = rec
        .digests
        .iter()
        .filter_map(|d| d.split_once('@'))
        .map(|(r, d)| (r.to_string(), d.to_string()))
        .collect();
    let mut entries: Vec<(String, String, String)> = Vec::new();
    for t in &rec.tags {
        let Ok(r) = Reference::parse(t) else { continue };
        let repo = r.name();
        let digest = digests
            .iter()
            .find(|(dr, _)| *dr == repo)
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| "<none>".into());
        entries.push((
            r.familiar_name(),
            r.tag().unwrap_or("<none>").to_string(),
            digest,
        ));
    }
    if entries.is_empty() {
        for (repo, d) in &digests {
            let fam = Reference::parse(&format!("{repo}@{d}"))
                .map(|r| r.familiar_name())
                .unwrap_or_else(|_| repo.clone());
            entries.push((fam, "<none>".into(), d.clone()));
        }
    }
    if entries.is_empty() {
        entries.push(("<none>".into(), "<none>".into(), "<none>".into()));
    }
    let size = units::human_size(rec.size);
    entries
        .into_iter()
        .map(|(repo, tag, digest)| {
            let v = json!({
                "Containers": "N/A",
                "CreatedAt": created_at,
                "CreatedSince": created_since,
                "Digest": digest,
                "ID": id,
                "Repository": repo,
                "SharedSize": "N/A",
                "Size": size,
                "Tag": tag,
                "UniqueSize": "N/A",
                "VirtualSize": size,
            });
            (repo, tag, v)
        })
        .collect()
}

/// Docker's `reference=` filter (distribution's FamiliarMatch): a glob over
/// the familiar `repo:tag`, or else over the familiar repository name.
fn reference_matches(pattern: &str, repo: &str, tag: &str) -> bool {
    glob_match(pattern, &format!("{repo}:{tag}")) || glob_match(pattern, repo)
}

/// `path.Match`-style glob: `*` (not crossing `/`), `?`, and literal text.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some(b'*') => (0..=t.len())
                .take_while(|&i| i == 0 || t[i - 1] != b'/')
                .any(|i| go(&p[1..], &t[i..])),
            Some(b'?') => !t.is_empty() && t[0] != b'/' && go(&p[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_before_and_since_values_all_hold() {
        let dir = tempfile::tempdir().unwrap();
        let layout = crate::store::Layout::new(dir.path().join("d"), dir.path().join("s"));
        let mut store = crate::store::Store::open(layout).unwrap();
        let id = |c: char| format!("sha256:{}", c.to_string().repeat(64));
        for (c, year) in [('a', 2020), ('b', 2021), ('c', 2022)] {
            let img = images::NewImage {
                id: id(c),
                manifest_digest: id(c),
                manifest_media_type: "application/vnd.oci.image.manifest.v1+json".into(),
                size: 1,
                created: Some(format!("{year}-01-01T00:00:00Z")),
                blobs: Vec::new(),
            };
            store.write(|tx| images::insert(tx, &img)).unwrap();
        }
        let year = |y: i32| created_unix(Some(&format!("{y}-01-01T00:00:00Z")));
        let parse = |items: &[String]| ImageFilters::parse(store.conn(), items);
        let f = parse(&[format!("before={}", id('c')), format!("before={}", id('b'))]).unwrap();
        assert_eq!(f.before, year(2021), "the oldest before");
        let f = parse(&[format!("since={}", id('b')), format!("since={}", id('a'))]).unwrap();
        assert_eq!(f.since, year(2021), "the newest since");
        // Every value must name an image.
        assert!(parse(&[format!("before={}", id('a')), "before=nope".into()]).is_err());
    }

    #[test]
    fn globs() {
        assert!(glob_match("busy*", "busybox"));
        assert!(!glob_match("busy*", "library/busybox"));
        assert!(glob_match("*/app", "user/app"));
        assert!(reference_matches("busybox:lat*", "busybox", "latest"));
        assert!(reference_matches("busybox", "busybox", "latest"));
        assert!(!reference_matches("busybox:1", "busybox", "latest"));
        assert!(reference_matches(
            "localhost:5000/x",
            "localhost:5000/x",
            "t"
        ));
    }
}
