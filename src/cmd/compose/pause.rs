//! `berth compose pause|unpause [SERVICE...]`: `berth pause`/`unpause` on
//! the project's running service containers, with compose's
//! ` Container p-web-1  Paused` lines on stderr (`--dry-run`: the same
//! lines, nothing paused).

use crate::cli::compose::ComposeServicesArgs;
use crate::cli::container::ContainersArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use anyhow::Result;

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposeServicesArgs,
    pause: bool,
    dry_run: bool,
) -> Result<u8> {
    let (project, name) = super::project_or_name(base)?;
    let (host, mut store) = ctx.container_store()?;
    let q = Query {
        project: &name.to_lowercase(),
        oneoff: OneOff::Exclude,
        all: false,
        services: &a.service,
    };
    let mut list = containers::list(&host, &mut store, &q)?;
    if let Some(p) = &project {
        let declared = super::acting_services(p, &a.service);
        list.retain(|c| declared.iter().any(|s| s == containers::service_of(c)));
    }
    drop(store);
    let what = if pause { "Paused" } else { "Unpaused" };
    if dry_run {
        for c in &list {
            super::progress(true, &c.row.name, what);
        }
        return Ok(0);
    }
    let names: Vec<String> = list.iter().map(|c| c.row.id.clone()).collect();
    let args = ContainersArgs { containers: names };
    let mut done = Vec::new();
    let res = if pause {
        crate::cmd::container::pause::run_pause(ctx, args, &mut done)
    } else {
        crate::cmd::container::pause::run_unpause(ctx, args, &mut done)
    };
    // `berth pause` prints each id it handled; compose names them.
    let done = String::from_utf8_lossy(&done);
    for id in done.lines() {
        if let Some(c) = list.iter().find(|c| c.row.id == id) {
            super::progress(false, &c.row.name, what);
        }
    }
    res
}
