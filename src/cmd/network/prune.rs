//! `berth network prune`: removes every network no running container
//! uses, except the predefined `bridge`, after Docker's prompt unless `-f`;
//! `--filter until=`/`label=`/`label!=`; prints Docker's `Deleted Networks:` list
//! (nothing when none was removed).

use crate::cli::network::NetworkPruneArgs;
use crate::cmd::context::Context;
use crate::filter::{FilterSpec, Filters, UnknownKey};
use crate::network::store::{self as nets, NetworkError, DEFAULT_NETWORK};
use anyhow::{Context as _, Result};
use std::io::Write;

const PRUNE_FILTERS: FilterSpec = FilterSpec {
    flag: "--filter",
    keys: &["until", "label", "label!"],
    unknown: UnknownKey::Lower,
};

pub fn run(ctx: &Context, args: NetworkPruneArgs) -> Result<u8> {
    Filters::parse(&args.filter, &PRUNE_FILTERS)?;
    if !args.force
        && !crate::cmd::confirm(
            "WARNING! This will remove all custom networks not used by at least one container.",
        )?
    {
        return Ok(0);
    }
    let deleted = prune(ctx, &args.filter)?;
    if !deleted.is_empty() {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        writeln!(out, "Deleted Networks:")?;
        for n in &deleted {
            writeln!(out, "{n}")?;
        }
        writeln!(out)?;
        out.flush()?;
    }
    Ok(0)
}

/// Remove the unused networks the filters select (no prompt); their
/// names. `until=` compares the network's creation time. Also a step of
/// `system prune`.
pub fn prune(ctx: &Context, raw_filters: &[String]) -> Result<Vec<String>> {
    let filters = Filters::parse(raw_filters, &PRUNE_FILTERS)?;
    let labels = filters.labels();
    let until = filters.until(std::time::SystemTime::now())?;
    let mut store = ctx.store()?;
    store.frees_space();
    let env = ctx.net_env();
    let mut deleted = Vec::new();
    for net in nets::list(&store)? {
        if net.name == DEFAULT_NETWORK
            || nets::is_predefined(&net.name)
            || !labels.matches(&net.labels)
        {
            continue;
        }
        if let Some(until) = until {
            let created = chrono::DateTime::parse_from_rfc3339(&net.created_at)
                .map(std::time::SystemTime::from)
                .unwrap_or(std::time::SystemTime::UNIX_EPOCH);
            if created >= until {
                continue;
            }
        }
        match nets::remove(&env, &mut store, &net) {
            Ok(()) => deleted.push(net.name),
            Err(NetworkError::InUse { .. }) => {}
            Err(e) => return Err(e).with_context(|| format!("removing network {}", net.name)),
        }
    }
    Ok(deleted)
}
