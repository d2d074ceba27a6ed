//! `builder prune`'s choice of cache entries: moby's filters (`until`, its
//! deprecated synonym `unused-for`, a Go duration each; `id`, `type`,
//! `inuse`) and `--keep-storage` (least recently used entries go first,
//! until what the remaining entries name fits). Pure: the command reads
//! the records and removes what this picks.

use super::cache::{Entry, Record};
use crate::filter::{FilterSpec, Filters, UnknownKey};
use anyhow::{bail, Result};
use std::time::{Duration, SystemTime};

/// What moby passes on to BuildKit; `parent`, `description`, `shared` and
/// `private` are refused below with a reason.
const SPEC: FilterSpec = FilterSpec {
    flag: "--filter",
    keys: &[
        "until",
        "unused-for",
        "id",
        "type",
        "inuse",
        "parent",
        "description",
        "shared",
        "private",
    ],
    unknown: UnknownKey::Lower,
};

/// Every berth cache entry is what BuildKit calls a `regular` record.
pub const CACHE_TYPE: &str = "regular";

#[derive(Debug, Default)]
pub struct Selection {
    /// Entries not used for this long (or longer) match.
    unused_for: Option<Duration>,
    ids: Vec<String>,
    types: Vec<String>,
    inuse: Option<bool>,
}

impl Selection {
    pub fn parse(raw: &[String]) -> Result<Selection> {
        let f = Filters::parse(raw, &SPEC)?;
        for k in ["parent", "description", "shared", "private"] {
            if f.values(k).next().is_some() {
                bail!("filter '{k}' is not supported by berth's builder prune");
            }
        }
        let until: Vec<&str> = f.values("until").collect();
        let unused: Vec<&str> = f.values("unused-for").collect();
        if !until.is_empty() && !unused.is_empty() {
            bail!("conflicting filters \"until\" and \"unused-for\"");
        }
        let (key, values) = if until.is_empty() {
            ("unused-for", unused)
        } else {
            ("until", until)
        };
        if values.len() > 1 {
            bail!("filters expect only one value");
        }
        let unused_for = match values.first() {
            None => None,
            Some(v) => match crate::gotime::parse_duration(v) {
                Ok(ns) if ns >= 0 => Some(Duration::from_nanos(ns as u64)),
                _ => bail!(
                    "{key:?} filter expects a duration (e.g., '24h'): time: invalid duration {v:?}"
                ),
            },
        };
        Ok(Selection {
            unused_for,
            ids: f.values("id").map(str::to_string).collect(),
            types: f.values("type").map(str::to_string).collect(),
            inuse: f.one_bool("inuse")?,
        })
    }

    fn matches(&self, r: &Record, now: SystemTime) -> bool {
        if let Some(d) = self.unused_for {
            let idle = now.duration_since(r.last_used).unwrap_or_default();
            if idle < d {
                return false;
            }
        }
        (self.ids.is_empty() || self.ids.contains(&r.key))
            && (self.types.is_empty() || self.types.iter().any(|t| t == CACHE_TYPE))
            // No entry is in use between builds.
            && self.inuse != Some(true)
    }
}

/// The keys to remove: the matching entries, least recently used first;
/// with `keep`, only until `size` of the entries left is at most `keep`.
pub fn pick(
    records: &[Record],
    sel: &Selection,
    keep: Option<u64>,
    now: SystemTime,
    size: &dyn Fn(&[&Entry]) -> u64,
) -> Vec<String> {
    let mut cands: Vec<&Record> = records.iter().filter(|r| sel.matches(r, now)).collect();
    cands.sort_by_key(|r| r.last_used);
    let Some(keep) = keep else {
        return cands.into_iter().map(|r| r.key.clone()).collect();
    };
    let mut gone: Vec<String> = Vec::new();
    for c in cands {
        let left: Vec<&Entry> = records
            .iter()
            .filter(|r| !gone.contains(&r.key))
            .map(|r| &r.entry)
            .collect();
        if size(&left) <= keep {
            break;
        }
        gone.push(c.key.clone());
    }
    gone
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(key: &str, secs_ago: u64, now: SystemTime) -> Record {
        Record {
            key: key.into(),
            entry: super::super::cache::empty_entry(),
            last_used: now - Duration::from_secs(secs_ago),
        }
    }

    fn sel(f: &[&str]) -> Result<Selection> {
        Selection::parse(&f.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn filters_and_keep_storage() {
        let now = SystemTime::now();
        let recs = vec![
            rec("new", 10, now),
            rec("old", 7200, now),
            rec("mid", 600, now),
        ];
        let count = |e: &[&Entry]| e.len() as u64 * 100;
        let all = pick(&recs, &sel(&[]).unwrap(), None, now, &count);
        assert_eq!(all, ["old", "mid", "new"]);
        let until = pick(&recs, &sel(&["until=1h"]).unwrap(), None, now, &count);
        assert_eq!(until, ["old"]);
        let unused = pick(&recs, &sel(&["unused-for=5m"]).unwrap(), None, now, &count);
        assert_eq!(unused, ["old", "mid"]);
        let id = pick(&recs, &sel(&["id=mid"]).unwrap(), None, now, &count);
        assert_eq!(id, ["mid"]);
        assert!(pick(
            &recs,
            &sel(&["type=exec.cachemount"]).unwrap(),
            None,
            now,
            &count
        )
        .is_empty());
        assert_eq!(
            pick(&recs, &sel(&["type=regular"]).unwrap(), None, now, &count).len(),
            3
        );
        assert!(pick(&recs, &sel(&["inuse=true"]).unwrap(), None, now, &count).is_empty());
        // Keep 150 bytes: two of the three 100-byte entries go, oldest first.
        let keep = pick(&recs, &sel(&[]).unwrap(), Some(150), now, &count);
        assert_eq!(keep, ["old", "mid"]);
        assert!(pick(&recs, &sel(&[]).unwrap(), Some(1000), now, &count).is_empty());
    }

    #[test]
    fn filter_errors_are_mobys() {
        let e = |f: &[&str]| sel(f).unwrap_err().to_string();
        assert_eq!(e(&["bogus=1"]), "invalid filter 'bogus'");
        assert_eq!(
            e(&["until=1h", "unused-for=2h"]),
            "conflicting filters \"until\" and \"unused-for\""
        );
        assert_eq!(
            e(&["until=1h", "until=2h"]),
            "filters expect only one value"
        );
        assert!(e(&["until=yesterday"]).starts_with("\"until\" filter expects a duration"));
        assert!(e(&["parent=x"]).contains("not supported"));
    }
}
