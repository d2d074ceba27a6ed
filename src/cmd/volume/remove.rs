//! `berth volume rm` and `volume prune`.
//!
//! `rm` prints each removed name and carries on past failures, reporting each
//! and exiting 1, like docker; `-f` only stops a missing name from failing.
//! A volume a container uses is refused (`volume is in use - [ids]`).
//! `prune` removes unused volumes: anonymous ones only, or all with `-a`
//! (Docker 23+), after a prompt unless `-f`.

use crate::cli::volume::{VolumePruneArgs, VolumeRemoveArgs};
use crate::cmd::context::Context;
use crate::filter::{FilterSpec, Filters, UnknownKey};
use crate::volume::{self, PruneFilter};
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Context, args: VolumeRemoveArgs) -> Result<u8> {
    let mut store = ctx.store()?;
    store.frees_space();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for name in &args.volumes {
        match volume::remove(&mut store, name, args.force) {
            Ok(_) => writeln!(out, "{name}")?,
            Err(e) => {
                out.flush()?;
                eprintln!("berth: {e}");
                failed = true;
            }
        }
    }
    out.flush()?;
    if failed {
        // Each error was printed as it happened; exit 1 like docker.
        return Err(crate::cmd::ExitStatus(crate::cmd::ExitCode::Failure).into());
    }
    Ok(0)
}

const PRUNE_FILTERS: FilterSpec = FilterSpec {
    flag: "--filter",
    keys: &["label", "label!", "all"],
    unknown: UnknownKey::Lower,
};

/// `-a` and the `--filter`s of `volume prune` (`label`, `label!`, `all`).
pub fn prune_filter(all: bool, raw: &[String]) -> Result<PruneFilter> {
    let f = Filters::parse(raw, &PRUNE_FILTERS)?;
    Ok(PruneFilter {
        all: all || f.bools("all")?.contains(&true),
        labels: f.labels(),
    })
}

pub fn run_prune(ctx: &Context, args: VolumePruneArgs) -> Result<u8> {
    let filter = prune_filter(args.all, &args.filter)?;
    if !args.force {
        let what = if filter.all {
            "WARNING! This will remove all local volumes not used by at least one container."
        } else {
            "WARNING! This will remove anonymous local volumes not used by at least one container."
        };
        if !crate::cmd::confirm(what)? {
            return Ok(0);
        }
    }
    let mut store = ctx.store()?;
    store.frees_space();
    let report = volume::prune(&mut store, &filter)?;
    crate::cmd::print_prune_report("Deleted Volumes:", &report.names, report.bytes)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_filters() {
        let f = prune_filter(
            false,
            &["label=a".into(), "label!=b=c".into(), "all=true".into()],
        )
        .unwrap();
        assert!(f.all);
        assert_eq!(f.labels.want, [("a".to_string(), None)]);
        assert_eq!(f.labels.refuse, [("b".to_string(), Some("c".to_string()))]);
        assert!(!prune_filter(false, &[]).unwrap().all);
        assert!(prune_filter(false, &["until=1h".into()]).is_err());
        assert!(prune_filter(false, &["all=maybe".into()]).is_err());
    }
}
