//! The one `--filter key=value` parser, shared by `ps`, `images`, `volume
//! ls` and the prune commands. Each command declares the keys it accepts;
//! values of one key are alternatives, different keys must all hold, as in
//! Docker. Label conditions (`label=k`, `label=k=v`, `label!=k[=v]`) and the
//! `until=` time are interpreted here once; what needs a store lookup
//! (`before=`, `since=`, `ancestor=`) stays with the command.
//!
//! Errors use Docker's words: the docker CLI rejects an item without `=`
//! while parsing the flag (`invalid argument "x" for "-f, --filter" flag:
//! bad format of filter (expected name=value)`, exit 125 like every flag
//! error, see [`FilterError::is_flag_error`]), and the daemon rejects an
//! unknown key (`invalid filter 'x'`; container prune keeps the older
//! capitalised `Invalid filter 'x'`). Like docker-cli's `FilterOpt`, keys
//! are trimmed and lowercased, values trimmed, and an empty item ignored.
//! A leaf: no store, no domain types.

use std::collections::BTreeMap;
use std::time::SystemTime;

/// What one command accepts.
#[derive(Debug, Clone, Copy)]
pub struct FilterSpec {
    /// The flag as docker-cli names it in errors: `-f, --filter` or `--filter`.
    pub flag: &'static str,
    /// Accepted keys; `label!` is the key of `label!=…`.
    pub keys: &'static [&'static str],
    /// Docker's wording for an unknown key.
    pub unknown: UnknownKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownKey {
    /// `invalid filter 'x'` (moby's filters.Validate).
    Lower,
    /// `Invalid filter 'x'` (container prune).
    Capitalised,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("invalid argument \"{item}\" for \"{flag}\" flag: bad format of filter (expected name=value)")]
    Format { item: String, flag: &'static str },
    #[error("invalid filter '{0}'")]
    Key(String),
    #[error("Invalid filter '{0}'")]
    KeyCapitalised(String),
    /// A value the key does not take (`dangling=maybe`, `status=bogus`).
    #[error("invalid filter '{key}={value}'")]
    Value { key: String, value: String },
    #[error("failed to parse value as time or duration: \"{0}\"")]
    Time(String),
    /// Both `KEY=true` and `KEY=false` asked.
    #[error("conflicting {0} filters: both true and false asked")]
    Conflict(String),
}

impl FilterError {
    /// docker-cli reports this while parsing the command line (exit 125);
    /// the other errors come from the daemon (exit 1).
    pub fn is_flag_error(&self) -> bool {
        matches!(self, FilterError::Format { .. })
    }
}

/// Parsed `--filter` items, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    items: Vec<(String, String)>,
}

impl Filters {
    pub fn parse(raw: &[String], spec: &FilterSpec) -> Result<Filters, FilterError> {
        let mut items = Vec::new();
        for item in raw {
            if item.is_empty() {
                continue;
            }
            let Some((k, v)) = item.split_once('=') else {
                return Err(FilterError::Format {
                    item: item.clone(),
                    flag: spec.flag,
                });
            };
            let key = k.trim().to_ascii_lowercase();
            if !spec.keys.contains(&key.as_str()) {
                return Err(match spec.unknown {
                    UnknownKey::Lower => FilterError::Key(key),
                    UnknownKey::Capitalised => FilterError::KeyCapitalised(key),
                });
            }
            items.push((key, v.trim().to_string()));
        }
        Ok(Filters { items })
    }

    /// The values given for `key`, in order.
    pub fn values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.items
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The values of a boolean key (`dangling`, `all`): Docker takes
    /// `true`/`1` and `false`/`0`, in any case.
    pub fn bools(&self, key: &str) -> Result<Vec<bool>, FilterError> {
        self.values(key)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(FilterError::Value {
                    key: key.to_string(),
                    value: v.to_string(),
                }),
            })
            .collect()
    }

    /// A boolean key that may be given several times but must agree with
    /// itself (`dangling=true` twice is fine, `true` and `false` is not).
    pub fn one_bool(&self, key: &str) -> Result<Option<bool>, FilterError> {
        let values = self.bools(key)?;
        if values.contains(&true) && values.contains(&false) {
            return Err(FilterError::Conflict(key.to_string()));
        }
        Ok(values.first().copied())
    }

    /// The `label=` and `label!=` conditions.
    pub fn labels(&self) -> LabelFilter {
        LabelFilter {
            want: self.values("label").map(label_condition).collect(),
            refuse: self.values("label!").map(label_condition).collect(),
        }
    }

    /// The `until=` time (the last one given), relative to `now`.
    pub fn until(&self, now: SystemTime) -> Result<Option<SystemTime>, FilterError> {
        match self.values("until").last() {
            None => Ok(None),
            Some(v) => crate::gotime::parse_timestamp(v, now)
                .map(Some)
                .ok_or_else(|| FilterError::Time(v.to_string())),
        }
    }
}

/// `k` or `k=v`.
fn label_condition(v: &str) -> (String, Option<String>) {
    match v.split_once('=') {
        Some((k, v)) => (k.to_string(), Some(v.to_string())),
        None => (v.to_string(), None),
    }
}

/// Label conditions: every `label=` must hold, no `label!=` may.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelFilter {
    pub want: Vec<(String, Option<String>)>,
    pub refuse: Vec<(String, Option<String>)>,
}

impl LabelFilter {
    pub fn is_empty(&self) -> bool {
        self.want.is_empty() && self.refuse.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let has = |(k, v): &(String, Option<String>)| match v {
            Some(v) => labels.get(k) == Some(v),
            None => labels.contains_key(k),
        };
        self.want.iter().all(has) && !self.refuse.iter().any(has)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const SPEC: FilterSpec = FilterSpec {
        flag: "-f, --filter",
        keys: &["label", "label!", "until", "dangling", "name"],
        unknown: UnknownKey::Lower,
    };

    fn parse(items: &[&str]) -> Result<Filters, FilterError> {
        let raw: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        Filters::parse(&raw, &SPEC)
    }

    #[test]
    fn errors_use_docker_words() {
        let e = |items: &[&str]| parse(items).unwrap_err().to_string();
        assert_eq!(
            e(&["dangling"]),
            "invalid argument \"dangling\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
        );
        assert_eq!(e(&["bogus=1"]), "invalid filter 'bogus'");
        let capital = FilterSpec {
            unknown: UnknownKey::Capitalised,
            ..SPEC
        };
        assert_eq!(
            Filters::parse(&["nope=1".into()], &capital)
                .unwrap_err()
                .to_string(),
            "Invalid filter 'nope'"
        );
        assert_eq!(
            parse(&["dangling=maybe"])
                .unwrap()
                .bools("dangling")
                .unwrap_err()
                .to_string(),
            "invalid filter 'dangling=maybe'"
        );
        assert_eq!(
            parse(&["until=soon"])
                .unwrap()
                .until(SystemTime::now())
                .unwrap_err()
                .to_string(),
            "failed to parse value as time or duration: \"soon\""
        );
    }

    #[test]
    fn keys_are_normalised_and_values_collected() {
        let f = parse(&["", " Name = web ", "name=db", "dangling=TRUE", "dangling=0"]).unwrap();
        assert_eq!(f.values("name").collect::<Vec<_>>(), ["web", "db"]);
        assert_eq!(f.bools("dangling").unwrap(), [true, false]);
        assert!(f.values("label").next().is_none());
    }

    #[test]
    fn labels_want_and_refuse() {
        let f = parse(&["label=a", "label=b=1", "label!=c", "label!=d=2"]).unwrap();
        let l = f.labels();
        let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert!(l.matches(&labels(&[("a", ""), ("b", "1"), ("d", "3")])));
        assert!(!l.matches(&labels(&[("a", ""), ("b", "2")])));
        assert!(!l.matches(&labels(&[("a", ""), ("b", "1"), ("c", "x")])));
        assert!(!l.matches(&labels(&[("a", ""), ("b", "1"), ("d", "2")])));
        assert!(LabelFilter::default().matches(&BTreeMap::new()));
        assert!(!l.is_empty());
    }

    #[test]
    fn until_is_a_time_or_a_duration_back_from_now() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let f = parse(&["until=1h"]).unwrap();
        assert_eq!(f.until(now).unwrap(), Some(now - Duration::from_secs(3600)));
        assert_eq!(parse(&[]).unwrap().until(now).unwrap(), None);
    }
}
