//! `berth compose rm [-f] [-s] [-v] [SERVICE...]`: removes the project's
//! stopped service containers (not one-offs) through `berth rm`, after
//! compose's confirmation (`Going to remove p-web-1` then `Are you sure?
//! [yN]`, read from stdin; `-f` only prints the first line). `-s` stops
//! the running ones first (`berth stop`); "No stopped containers" when
//! nothing is left to remove. `--dry-run`: the same lines (the prompt
//! too), nothing stopped or removed.

use crate::cli::compose::ComposeRmArgs;
use crate::cli::container::{RmArgs, StopArgs};
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus};
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use crate::container::lifecycle::Container;
use anyhow::Result;
use std::io::Write;

/// compose's `StringToBool` on the answer.
fn confirmed(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "true" | "1"
    )
}

fn select(
    ctx: &Context,
    name: &str,
    services: &[String],
    declared: Option<&[String]>,
) -> Result<Vec<Container>> {
    let (host, mut store) = ctx.container_store()?;
    let q = Query {
        project: name,
        oneoff: OneOff::Exclude,
        all: true,
        services,
    };
    let mut list = containers::list(&host, &mut store, &q)?;
    if let Some(d) = declared {
        list.retain(|c| d.iter().any(|s| s == containers::service_of(c)));
    }
    Ok(list)
}

pub fn run(ctx: &Context, base: &LoadOptions, a: ComposeRmArgs, dry_run: bool) -> Result<u8> {
    let (project, name) = super::project_or_name(base)?;
    let name = name.to_lowercase();
    let declared = project.as_ref().map(super::service_names);
    if a.stop {
        for c in select(ctx, &name, &a.service, declared.as_deref())? {
            if !c.row.status.is_live() {
                continue;
            }
            super::progress(dry_run, &c.row.name, "Stopping");
            if !dry_run {
                let args = StopArgs {
                    time: None,
                    signal: None,
                    containers: vec![c.row.id.clone()],
                };
                crate::cmd::container::stop::run_stop(ctx, args, &mut std::io::sink())?;
            }
            super::progress(dry_run, &c.row.name, "Stopped");
        }
    }
    let stopped: Vec<Container> = select(ctx, &name, &a.service, declared.as_deref())?
        .into_iter()
        // A dry run's `-s` stopped nothing: compose counts the running
        // ones as stopped all the same.
        .filter(|c| !c.row.status.is_live() || (a.stop && dry_run))
        .collect();
    if stopped.is_empty() {
        eprintln!("No stopped containers");
        return Ok(0);
    }
    let names: Vec<&str> = stopped.iter().map(|c| c.row.name.as_str()).collect();
    let mut out = std::io::stdout();
    writeln!(out, "Going to remove {}", names.join(", "))?;
    if !a.force {
        write!(out, "Are you sure? [yN] ")?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !confirmed(&answer) {
            return Ok(0);
        }
    }
    let mut failed = false;
    for c in &stopped {
        super::progress(dry_run, &c.row.name, "Removing");
        if dry_run {
            super::progress(dry_run, &c.row.name, "Removed");
            continue;
        }
        let args = RmArgs {
            force: a.force,
            volumes: a.volumes,
            containers: vec![c.row.id.clone()],
        };
        match crate::cmd::container::rm::run(ctx, args, &mut std::io::sink()) {
            Ok(_) => super::progress(dry_run, &c.row.name, "Removed"),
            Err(_) => failed = true,
        }
    }
    if failed {
        return Err(ExitStatus(ExitCode::Failure).into());
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn answers() {
        for y in ["y", "Y\n", "yes", "true"] {
            assert!(super::confirmed(y), "{y}");
        }
        for n in ["", "n", "no", "maybe"] {
            assert!(!super::confirmed(n), "{n}");
        }
    }
}
