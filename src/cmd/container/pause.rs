//! `berth pause|unpause CONTAINER...`: under each container's lock,
//! `lifecycle::set_paused` (docker's rules and wording); each container is
//! reported on its own and the command exits 1 if any failed.

use crate::cli::container::ContainersArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle::{self, Host};
use crate::store::Store;
use anyhow::Result;

pub fn run_pause(ctx: &Context, args: ContainersArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    each(ctx, &args.containers, true, out)
}

pub fn run_unpause(
    ctx: &Context,
    args: ContainersArgs,
    out: &mut dyn std::io::Write,
) -> Result<u8> {
    each(ctx, &args.containers, false, out)
}

fn each(ctx: &Context, names: &[String], pause: bool, out: &mut dyn std::io::Write) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    crate::cmd::for_each_name(out, names, |name| {
        set_paused(&host, &mut store, name, pause)
    })
}

fn set_paused(host: &Host, store: &mut Store, name: &str, pause: bool) -> Result<()> {
    let found = lifecycle::find_row(store, name)?;
    let lock = host.lock(&found.id)?;
    let mut c = lifecycle::find(store, &found.id)?;
    lifecycle::set_paused(host, store, &lock, &mut c, pause)
}
