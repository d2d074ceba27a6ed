//! `berth wait CONTAINER...`: block until each stops, print its exit code.

use crate::cli::container::WaitArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus};
use crate::container::lifecycle;
use std::io::Write;

pub fn run(ctx: &Context, args: WaitArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    let mut failed = false;
    for name in &args.containers {
        let res = (|| -> anyhow::Result<i64> {
            let mut c = lifecycle::find(&store, name)?;
            loop {
                lifecycle::refresh(&host, &mut store, &mut c)?;
                if !c.row.status.can_kill() {
                    return Ok(c.row.exit_code);
                }
                lifecycle::wait_stopped(&host, &c.row, None);
            }
        })();
        match res {
            Ok(code) => writeln!(out, "{code}")?,
            Err(e) => {
                eprintln!("berth: {e:#}");
                failed = true;
            }
        }
    }
    if failed {
        return Err(ExitStatus(ExitCode::Failure).into());
    }
    Ok(0)
}
