//! `berth wait [--condition C] CONTAINER...`: block until each meets the
//! condition (default: not running), print its exit code.

use crate::cli::container::WaitArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus};
use crate::container::wait::{self, Condition};
use anyhow::anyhow;
use std::io::Write;

pub fn run(ctx: &Context, args: WaitArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let cond: Condition = args
        .condition
        .as_deref()
        .unwrap_or("")
        .parse()
        .map_err(|e: String| anyhow!(e))?;
    let (host, mut store) = ctx.container_store()?;
    let mut failed = false;
    for name in &args.containers {
        match wait::wait(&host, &mut store, name, cond) {
            Ok(code) => {
                writeln!(out, "{code}")?;
                out.flush()?;
            }
            Err(e) => {
                eprintln!("berth: {}", crate::cmd::render_error(&e));
                failed = true;
            }
        }
    }
    if failed {
        return Err(ExitStatus(ExitCode::Failure).into());
    }
    Ok(0)
}
