//! `berth compose ls`: the compose projects in the store, found by their
//! containers' labels, as docker compose lists them: NAME, STATUS
//! (`exited(1), running(2)`: each state's count, states sorted) and CONFIG
//! FILES (the `project.config_files` labels, each file once). Without `-a`
//! only projects with a running container show. `--filter name=` is a
//! regular expression; `--format json` one JSON array.

use crate::cli::compose::ComposeLsArgs;
use crate::cmd::context::Context;
use crate::compose::containers;
use crate::container::lifecycle::Container;
use anyhow::{bail, Result};
use serde_json::json;
use std::io::Write;

/// compose's `combinedStatus`: `state(n)` per state, sorted, comma-joined.
fn combined_status(states: &[&str]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for s in states {
        *counts.entry(s).or_default() += 1;
    }
    counts
        .iter()
        .map(|(s, n)| format!("{s}({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// compose's `combinedConfigFiles`: each file once, in order of first use.
fn combined_files(cs: &[Container]) -> String {
    let mut files: Vec<&str> = Vec::new();
    for c in cs {
        let Some(v) = c.spec.labels.get(containers::CONFIG_FILES) else {
            return "N/A".into();
        };
        for f in v.split(',') {
            if !files.contains(&f) {
                files.push(f);
            }
        }
    }
    files.join(",")
}

/// A name filter matches exactly or as a pattern (compose's `match`;
/// berth's common subset of regular expressions).
fn name_matches(patterns: &[String], name: &str) -> bool {
    patterns
        .iter()
        .any(|p| p == name || crate::cmd::pattern_matches(p, name))
}

/// The `name=` values; any other key is compose's "invalid filter".
fn name_filters(raw: &[String]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for f in raw {
        let Some((k, v)) = f.split_once('=') else {
            bail!("bad format of filter (expected name=value)");
        };
        if k.trim().to_lowercase() != "name" {
            bail!("invalid filter '{}'", k.trim().to_lowercase());
        }
        names.push(v.to_string());
    }
    Ok(names)
}

pub fn run(ctx: &Context, a: ComposeLsArgs, out: &mut dyn Write) -> Result<u8> {
    let fmt = a.format.to_lowercase();
    if !matches!(fmt.as_str(), "table" | "pretty" | "" | "json") {
        bail!(
            "format value {:?} could not be parsed: parsing failed",
            a.format
        );
    }
    let names = name_filters(&a.filter)?;
    let (host, mut store) = ctx.container_store()?;
    let mut stacks = Vec::new();
    for (name, cs) in containers::projects(&host, &mut store)? {
        let cs: Vec<Container> = if a.all {
            cs
        } else {
            cs.into_iter().filter(|c| c.row.status.is_live()).collect()
        };
        if cs.is_empty() || (!names.is_empty() && !name_matches(&names, &name)) {
            continue;
        }
        let states: Vec<&str> = cs.iter().map(|c| c.row.status.as_str()).collect();
        stacks.push((name.clone(), combined_status(&states), combined_files(&cs)));
    }
    if a.quiet {
        for (n, _, _) in &stacks {
            writeln!(out, "{n}")?;
        }
        return Ok(0);
    }
    if fmt == "json" {
        let v: Vec<_> = stacks
            .iter()
            .map(|(n, s, f)| json!({"Name": n, "Status": s, "ConfigFiles": f}))
            .collect();
        writeln!(
            out,
            "{}",
            crate::format::json::to_json_compact_unescaped(&json!(v))
        )?;
        return Ok(0);
    }
    let mut tw = crate::format::tabwriter::TabWriter::with_params(&mut *out, 20, 1, 3, b' ');
    writeln!(tw, "NAME\tSTATUS\tCONFIG FILES")?;
    for (n, s, f) in &stacks {
        writeln!(tw, "{n}\t{s}\t{f}")?;
    }
    tw.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_counts_states_sorted() {
        assert_eq!(
            combined_status(&["running", "exited", "running"]),
            "exited(1), running(2)"
        );
        assert_eq!(combined_status(&[]), "");
    }

    #[test]
    fn names_match_exactly_or_as_regex() {
        assert!(name_matches(&["web".into()], "web"));
        assert!(name_matches(&["^we".into()], "web"));
        assert!(!name_matches(&["^x".into()], "web"));
        assert_eq!(name_filters(&["name=a".into()]).unwrap(), ["a"]);
        assert_eq!(
            name_filters(&["status=a".into()]).unwrap_err().to_string(),
            "invalid filter 'status'"
        );
    }
}
