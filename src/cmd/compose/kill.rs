//! `berth compose kill [-s SIGNAL] [SERVICE...]`: `berth kill` on each
//! running container of the project (one-offs included), with compose's
//! progress lines on stderr; "No container to kill" when there is none.
//! Without `--remove-orphans`, a loaded project limits it to its services.
//! `--dry-run`: the same lines, nothing signalled.

use crate::cli::compose::ComposeKillArgs;
use crate::cli::container::KillArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus};
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use anyhow::Result;

pub fn run(ctx: &Context, base: &LoadOptions, a: ComposeKillArgs, dry_run: bool) -> Result<u8> {
    // Checked before anything is selected, as docker checks it first.
    crate::sys::signal::parse_signal(&a.signal).map_err(|e| anyhow::anyhow!(e))?;
    let (project, name) = super::project_or_name(base)?;
    let (host, mut store) = ctx.container_store()?;
    let q = Query {
        project: &name.to_lowercase(),
        oneoff: OneOff::Include,
        all: false,
        services: &a.service,
    };
    let mut list = containers::list(&host, &mut store, &q)?;
    let remove_orphans = a.remove_orphans || super::env_flag(None, super::REMOVE_ORPHANS);
    if let (Some(p), false) = (&project, remove_orphans) {
        let declared = super::acting_services(p, &a.service);
        list.retain(|c| declared.iter().any(|s| s == containers::service_of(c)));
    }
    drop(store);
    if list.is_empty() {
        eprintln!("No container to kill");
        return Ok(0);
    }
    let mut failed = false;
    for c in &list {
        super::progress(dry_run, &c.row.name, "Killing");
        if dry_run {
            super::progress(dry_run, &c.row.name, "Killed");
            continue;
        }
        let args = KillArgs {
            signal: a.signal.clone(),
            containers: vec![c.row.id.clone()],
        };
        match crate::cmd::container::stop::run_kill(ctx, args, &mut std::io::sink()) {
            Ok(_) => super::progress(dry_run, &c.row.name, "Killed"),
            Err(_) => {
                super::progress(dry_run, &c.row.name, "Error while Killing");
                failed = true;
            }
        }
    }
    if failed {
        return Err(ExitStatus(ExitCode::Failure).into());
    }
    Ok(0)
}
