//! `berth system prune [-a] [--volumes] [-f] [--filter until=|label=]`:
//! Docker's prompt (`WARNING! This will remove:` and its list), then, in
//! Docker's order, stopped containers, unused networks, with `--volumes`
//! anonymous volumes no container uses, and dangling (with `-a`, unused)
//! images, each through its own prune (`cmd/container/prune`,
//! `cmd/network/prune`, `volume::prune`, `cmd/image/remove`), each
//! section's `Deleted ...:` list, then the build cache (`builder prune`'s
//! `prune_cache`), and `Total reclaimed space:`. Running containers, and
//! what they use, are never touched.

use crate::cli::system::SystemPruneArgs;
use crate::cmd::context::Context;
use crate::filter::{FilterSpec, Filters, UnknownKey};
use anyhow::{bail, Result};
use std::io::Write;

const FILTERS: FilterSpec = FilterSpec {
    flag: "--filter",
    keys: &["until", "label", "label!"],
    unknown: UnknownKey::Lower,
};

/// Docker's confirmation text (docker-cli `confirmationTemplate`).
fn confirmation(args: &SystemPruneArgs) -> String {
    let mut warnings = vec![
        "all stopped containers",
        "all networks not used by at least one container",
    ];
    if args.volumes {
        warnings.push("all anonymous volumes not used by at least one container");
    }
    warnings.push(if args.all {
        "all images without at least one container associated to them"
    } else {
        "all dangling images"
    });
    warnings.push("unused build cache");
    let mut text = String::from("WARNING! This will remove:\n");
    for w in warnings {
        text.push_str(&format!("  - {w}\n"));
    }
    if !args.filter.is_empty() {
        text.push_str("\n  Items to be pruned will be filtered with:\n");
        for f in &args.filter {
            text.push_str(&format!("  - {f}\n"));
        }
    }
    text
}

pub fn run(ctx: &Context, args: SystemPruneArgs, out: &mut dyn Write) -> Result<u8> {
    let filters = Filters::parse(&args.filter, &FILTERS)?;
    if args.volumes && filters.until(std::time::SystemTime::now())?.is_some() {
        bail!("ERROR: The \"until\" filter is not supported with \"--volumes\"");
    }
    if !args.force && !crate::cmd::confirm(&confirmation(&args))? {
        return Ok(0);
    }
    let mut total = 0u64;
    let section = |out: &mut dyn Write, heading: &str, lines: &[String]| -> Result<()> {
        if !lines.is_empty() {
            writeln!(out, "{heading}")?;
            for l in lines {
                writeln!(out, "{l}")?;
            }
            writeln!(out)?;
        }
        Ok(())
    };
    let (containers, bytes) = crate::cmd::container::prune::prune(ctx, &args.filter)?;
    total += bytes;
    section(out, "Deleted Containers:", &containers)?;
    let networks = crate::cmd::network::prune::prune(ctx, &args.filter)?;
    section(out, "Deleted Networks:", &networks)?;
    if args.volumes {
        let filter = crate::cmd::volume::remove::prune_filter(false, &args.filter)?;
        let mut store = ctx.store()?;
        store.frees_space();
        let report = crate::volume::prune(&mut store, &filter)?;
        total += report.bytes;
        section(out, "Deleted Volumes:", &report.names)?;
    }
    let (images, bytes) = crate::cmd::image::remove::prune(ctx, args.all, &args.filter)?;
    total += bytes;
    section(out, "Deleted Images:", &images)?;
    // The build cache goes too (a filtered prune leaves it: its entries
    // have no labels).
    if args.filter.is_empty() {
        total += crate::cmd::build::prune_cache(ctx)?;
    }
    writeln!(
        out,
        "Total reclaimed space: {}",
        crate::format::units::human_size(total)
    )?;
    out.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_prompt_text() {
        let args = SystemPruneArgs {
            all: false,
            filter: vec![],
            force: false,
            volumes: false,
        };
        assert_eq!(
            confirmation(&args),
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - unused build cache\n"
        );
        let args = SystemPruneArgs {
            all: true,
            filter: vec!["label=a".into()],
            force: false,
            volumes: true,
        };
        let text = confirmation(&args);
        assert!(text.contains("  - all anonymous volumes not used by at least one container\n  - all images without at least one container associated to them\n"), "{text}");
        assert!(
            text.ends_with("\n  Items to be pruned will be filtered with:\n  - label=a\n"),
            "{text}"
        );
    }
}
