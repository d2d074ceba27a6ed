//! `berth container prune [-f] [--filter until=T|label=K[=V]|label!=K[=V]]`:
//! remove every container that is not running (created, exited, dead), as
//! docker does. Without `-f` it asks first. Each removal takes the
//! container's lock and re-reads the record, so a container started (or
//! removed) meanwhile by another berth is skipped. Anonymous volumes stay,
//! like docker's. Prints `Deleted Containers:` with the full ids, then
//! `Total reclaimed space:` (the size of their writable layers).

use crate::cli::container::ContainerPruneArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::filter::{FilterSpec, LabelFilter, UnknownKey};
use crate::store::containers::{self, ContainerRow};
use anyhow::Result;
use std::collections::BTreeMap;
use std::time::SystemTime;

#[derive(Debug, Default)]
struct Filters {
    /// Only containers created before this time.
    until: Option<SystemTime>,
    labels: LabelFilter,
}

const FILTERS: FilterSpec = FilterSpec {
    flag: "--filter",
    keys: &["until", "label", "label!"],
    unknown: UnknownKey::Capitalised,
};

fn parse_filters(raw: &[String], now: SystemTime) -> Result<Filters> {
    let f = crate::filter::Filters::parse(raw, &FILTERS)?;
    Ok(Filters {
        until: f.until(now)?,
        labels: f.labels(),
    })
}

fn selected(row: &ContainerRow, labels: &BTreeMap<String, String>, f: &Filters) -> bool {
    if row.status.is_live() || row.status.is_transient() {
        return false;
    }
    if let Some(until) = f.until {
        let created = chrono::DateTime::parse_from_rfc3339(&row.created_at)
            .map(SystemTime::from)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        if created >= until {
            return false;
        }
    }
    f.labels.matches(labels)
}

pub fn run(ctx: &Context, args: ContainerPruneArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    parse_filters(&args.filter, SystemTime::now())?;
    if !args.force && !crate::cmd::confirm("WARNING! This will remove all stopped containers.")? {
        return Ok(0);
    }
    let (deleted, reclaimed) = prune(ctx, &args.filter)?;
    crate::cmd::write_prune_report(out, "Deleted Containers:", &deleted, reclaimed)?;
    Ok(0)
}

/// Remove the containers the filters select (no prompt): their full ids
/// and the size of their writable layers. Also `system prune`'s first step.
pub fn prune(ctx: &Context, raw_filters: &[String]) -> Result<(Vec<String>, u64)> {
    let filters = parse_filters(raw_filters, SystemTime::now())?;
    let (host, mut store) = ctx.container_store()?;
    store.frees_space();
    let mut deleted = Vec::new();
    let mut reclaimed = 0u64;
    for row in containers::list(store.conn())? {
        let Ok(mut c) = lifecycle::Container::from_row(row) else {
            continue;
        };
        lifecycle::refresh(&host, &mut store, &mut c)?;
        if !selected(&c.row, &c.spec.labels, &filters) {
            continue;
        }
        let lock = host.lock(&c.row.id)?;
        // Re-check under the lock: another berth may have started or removed it.
        let Ok(mut c) = lifecycle::find(&store, &c.row.id) else {
            continue;
        };
        lifecycle::refresh(&host, &mut store, &mut c)?;
        if !selected(&c.row, &c.spec.labels, &filters) {
            continue;
        }
        let size = host.rw_size(&c.row.id);
        match lifecycle::remove(&host, &mut store, &lock, &mut c, false, false) {
            Ok(()) => {
                deleted.push(c.row.id.clone());
                reclaimed += size;
            }
            Err(e) => eprintln!("berth: {}", crate::cmd::render_error(&e)),
        }
    }
    Ok((deleted, reclaimed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn row(status: &str, created: &str) -> ContainerRow {
        ContainerRow {
            id: "a".repeat(64),
            name: "n".into(),
            created_at: created.into(),
            spec: "{}".into(),
            status: crate::container::state::Status::parse(status).unwrap(),
            ..Default::default()
        }
    }

    #[test]
    fn filters_select_stopped_containers() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let labels: BTreeMap<String, String> = [("app".into(), "web".into())].into();
        let none = Filters::default();
        assert!(selected(
            &row("exited", "2026-01-01T00:00:00Z"),
            &labels,
            &none
        ));
        assert!(selected(
            &row("created", "2026-01-01T00:00:00Z"),
            &labels,
            &none
        ));
        assert!(!selected(
            &row("running", "2026-01-01T00:00:00Z"),
            &labels,
            &none
        ));
        assert!(!selected(
            &row("paused", "2026-01-01T00:00:00Z"),
            &labels,
            &none
        ));
        let f = parse_filters(&["label=app=web".into()], now).unwrap();
        assert!(selected(
            &row("exited", "2026-01-01T00:00:00Z"),
            &labels,
            &f
        ));
        let f = parse_filters(&["label!=app".into()], now).unwrap();
        assert!(!selected(
            &row("exited", "2026-01-01T00:00:00Z"),
            &labels,
            &f
        ));
        let f = parse_filters(&["until=2025-01-01T00:00:00Z".into()], now).unwrap();
        assert!(!selected(
            &row("exited", "2026-01-01T00:00:00Z"),
            &labels,
            &f
        ));
        let f = parse_filters(&["until=1h".into()], now).unwrap();
        assert!(selected(
            &row("exited", "2026-01-01T00:00:00Z"),
            &labels,
            &f
        ));
        assert!(parse_filters(&["name=x".into()], now).is_err());
    }
}
