//! `berth stop`, `berth restart` and `berth kill`.

use crate::cli::container::{KillArgs, StopArgs};
use crate::cmd::context::Context;
use crate::cmd::for_each_name;
use crate::container::lifecycle::{self, StartOptions};
use crate::container::state::Status;
use crate::image::read_config;
use anyhow::{anyhow, bail, Result};

fn parse_signal(s: &Option<String>) -> Result<Option<i32>> {
    match s {
        Some(s) => Ok(Some(
            crate::sys::signal::parse_signal(s).map_err(|e| anyhow!(e))?,
        )),
        None => Ok(None),
    }
}

pub fn run_stop(ctx: &Context, args: StopArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    let signal = parse_signal(&args.signal)?;
    let (host, mut store) = ctx.container_store()?;
    for_each_name(out, &args.containers, |name| {
        let mut c = lifecycle::find(&store, name)?;
        let lock = host.lock(&c.row.id)?;
        let image_config = read_config(&ctx.content(), &c.row.image_id).ok();
        lifecycle::stop(
            &host,
            &mut store,
            &lock,
            &mut c,
            image_config.as_ref(),
            args.time,
            signal,
        )
    })
}

pub fn run_restart(ctx: &Context, args: StopArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    let signal = parse_signal(&args.signal)?;
    let (host, mut store) = ctx.container_store()?;
    for_each_name(out, &args.containers, |name| {
        let mut c = lifecycle::find(&store, name)?;
        let lock = host.lock(&c.row.id)?;
        let image_config = read_config(&ctx.content(), &c.row.image_id)?;
        lifecycle::stop(
            &host,
            &mut store,
            &lock,
            &mut c,
            Some(&image_config),
            args.time,
            signal,
        )?;
        lifecycle::start(
            &host,
            &mut store,
            &lock,
            &mut c,
            &image_config,
            StartOptions { attach: None },
        )
        .map_err(|f| f.error)?;
        host.emit(&c.row, &c.spec, "restart", &[]);
        Ok(())
    })
}

pub fn run_kill(ctx: &Context, args: KillArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    let signal = crate::sys::signal::parse_signal(&args.signal).map_err(|e| anyhow!(e))?;
    let (host, mut store) = ctx.container_store()?;
    for_each_name(out, &args.containers, |name| {
        let mut c = lifecycle::find(&store, name)?;
        let _lock = host.lock(&c.row.id)?;
        lifecycle::refresh(&host, &mut store, &mut c)?;
        let status = c.row.status;
        if !status.can_kill() {
            bail!(
                "cannot kill container: {name}: container {} is not running",
                c.row.id
            );
        }
        if status == Status::Paused && signal != libc::SIGKILL {
            bail!(
                "cannot kill container: {name}: Container {} is paused. Unpause the container before stopping or killing",
                c.row.id
            );
        }
        let image_config = read_config(&ctx.content(), &c.row.image_id).ok();
        let stop_signal = lifecycle::stop_signal(&c.spec, image_config.as_ref())?;
        if lifecycle::kill_stops(signal, stop_signal) {
            lifecycle::mark_stopped(&host, &c);
        }
        lifecycle::kill(&host, &c, signal)?;
        if signal == libc::SIGKILL || c.row.status == Status::Restarting {
            lifecycle::wait_stopped(&host, &c.row, Some(std::time::Duration::from_secs(10)));
            lifecycle::refresh(&host, &mut store, &mut c)?;
        }
        Ok(())
    })
}
