//! `berth volume ls`: Docker's `DRIVER    VOLUME NAME` table, `-q`,
//! `--format`, and the `dangling`, `name`, `label` and `driver` filters.
//!
//! Filters follow Docker's rules: values of one key are alternatives (OR),
//! different keys must all match (AND). Docker matches `name` and `driver` as
//! unanchored regular expressions; berth matches them as substrings, with a
//! leading `^` and a trailing `$` anchoring the match, which covers how they
//! are used in practice. Volumes are listed in natural name order, as the
//! docker CLI sorts them.

use crate::cli::volume::VolumeListArgs;
use crate::cmd::context::Context;
use crate::filter::{FilterSpec, Filters, LabelFilter, UnknownKey};
use crate::format::{self, ListFormat};
use crate::store::volumes::VolumeRow;
use crate::volume;
use anyhow::Result;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;

const DEFAULT_TABLE: &str = "table {{.Driver}}\t{{.Name}}";
const HEADERS: &[(&str, &str)] = &[
    ("Name", "VOLUME NAME"),
    ("Driver", "DRIVER"),
    ("Scope", "SCOPE"),
    ("Mountpoint", "MOUNTPOINT"),
    ("Labels", "LABELS"),
    ("Links", "LINKS"),
    ("Size", "SIZE"),
    ("Group", "GROUP"),
    ("Availability", "AVAILABILITY"),
    ("Status", "STATUS"),
];

const FILTERS: FilterSpec = FilterSpec {
    flag: "-f, --filter",
    keys: &["dangling", "name", "driver", "label"],
    unknown: UnknownKey::Lower,
};

/// Parsed `--filter`s of `volume ls`.
#[derive(Debug, Default)]
struct ListFilters {
    dangling: Option<bool>,
    names: Vec<String>,
    drivers: Vec<String>,
    labels: LabelFilter,
}

impl ListFilters {
    fn parse(raw: &[String]) -> Result<ListFilters> {
        let f = Filters::parse(raw, &FILTERS)?;
        let dangling = f.one_bool("dangling")?;
        Ok(ListFilters {
            dangling,
            names: f.values("name").map(str::to_string).collect(),
            drivers: f.values("driver").map(str::to_string).collect(),
            labels: f.labels(),
        })
    }

    fn admits(&self, row: &VolumeRow, labels: &BTreeMap<String, String>, used: bool) -> bool {
        let any = |pats: &[String], text: &str| {
            pats.is_empty() || pats.iter().any(|p| crate::cmd::pattern_matches(p, text))
        };
        self.dangling.is_none_or(|d| d != used)
            && any(&self.names, &row.name)
            && any(&self.drivers, &row.driver)
            && self.labels.matches(labels)
    }
}

/// One row with Docker's template fields.
fn row_json(mountpoint: &str, row: &VolumeRow, labels: &BTreeMap<String, String>) -> Value {
    let joined: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    json!({
        "Availability": "N/A",
        "Driver": row.driver,
        "Group": "N/A",
        "Labels": joined.join(","),
        "Links": "N/A",
        "Mountpoint": mountpoint,
        "Name": row.name,
        "Scope": "local",
        "Size": "N/A",
        "Status": "N/A",
    })
}

pub fn run(ctx: &Context, args: VolumeListArgs) -> Result<u8> {
    let filters = ListFilters::parse(&args.filter)?;
    let format = if args.quiet {
        ListFormat::Template("{{.Name}}".into())
    } else {
        ListFormat::parse(args.format.as_deref(), DEFAULT_TABLE)?
    };
    let store = ctx.store()?;
    let mut vols = volume::list(&store)?;
    vols.sort_by(|a, b| crate::format::natural::natural_cmp(&a.name, &b.name));
    let mut rows = Vec::new();
    for row in &vols {
        let labels = volume::labels(row)?;
        let used = filters.dangling.is_some() && !volume::users(&store, &row.name)?.is_empty();
        if !filters.admits(row, &labels, used) {
            continue;
        }
        let mountpoint = volume::path(store.layout(), &row.name);
        rows.push(row_json(&mountpoint.display().to_string(), row, &labels));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    format::render_list(&mut out, &format, HEADERS, &rows)?;
    out.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> VolumeRow {
        VolumeRow {
            name: name.into(),
            driver: "local".into(),
            created_at: String::new(),
            labels: "{}".into(),
            options: "{}".into(),
            anonymous: false,
        }
    }

    #[test]
    fn patterns() {
        assert!(crate::cmd::pattern_matches("db", "mydb1"));
        assert!(crate::cmd::pattern_matches("^my", "mydb1"));
        assert!(!crate::cmd::pattern_matches("^db", "mydb1"));
        assert!(crate::cmd::pattern_matches("1$", "mydb1"));
        assert!(crate::cmd::pattern_matches("^mydb1$", "mydb1"));
        assert!(!crate::cmd::pattern_matches("^mydb$", "mydb1"));
    }

    #[test]
    fn filters_or_within_and_across_keys() {
        let f = ListFilters::parse(&["name=alpha".into(), "name=beta".into(), "label=tier".into()])
            .unwrap();
        let tier: BTreeMap<_, _> = [("tier".to_string(), "db".to_string())].into();
        assert!(f.admits(&row("alpha1"), &tier, false));
        assert!(f.admits(&row("beta"), &tier, true));
        assert!(!f.admits(&row("gamma"), &tier, false));
        assert!(!f.admits(&row("alpha"), &BTreeMap::new(), false));

        let f = ListFilters::parse(&["dangling=true".into(), "label=tier=db".into()]).unwrap();
        assert!(f.admits(&row("x1"), &tier, false));
        assert!(!f.admits(&row("x1"), &tier, true));
        let f = ListFilters::parse(&["dangling=0".into(), "driver=local".into()]).unwrap();
        assert!(f.admits(&row("x1"), &tier, true));
        assert!(!f.admits(&row("x1"), &tier, false));
    }

    #[test]
    fn filter_errors() {
        let e = |s: &str| {
            ListFilters::parse(&[s.to_string()])
                .unwrap_err()
                .to_string()
        };
        assert_eq!(e("bogus=1"), "invalid filter 'bogus'");
        assert_eq!(e("dangling=maybe"), "invalid filter 'dangling=maybe'");
        assert_eq!(
            e("dangling"),
            "invalid argument \"dangling\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
        );
    }

    #[test]
    fn row_fields() {
        let mut r = row("v1");
        r.labels = r#"{"b":"2","a":"1"}"#.into();
        let labels = volume::labels(&r).unwrap();
        let j = row_json("/m", &r, &labels);
        assert_eq!(j["Labels"], "a=1,b=2");
        assert_eq!(j["Mountpoint"], "/m");
        assert_eq!(j["Scope"], "local");
    }
}
