//! `berth rm [-f] [-v] CONTAINER...`.

use crate::cli::container::RmArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus};
use crate::container::lifecycle;
use std::io::Write;

pub fn run(ctx: &Context, args: RmArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    store.frees_space();
    let mut failed = false;
    for name in &args.containers {
        let res = (|| -> anyhow::Result<()> {
            let c = lifecycle::find(&store, name)?;
            let lock = host.lock(&c.row.id)?;
            // Re-read under the lock: a concurrent rm may have won (and
            // then the error names what the user typed, not the id).
            let mut c = lifecycle::find(&store, &c.row.id).map_err(|e| {
                if e.downcast_ref::<lifecycle::NoSuchContainer>().is_some() {
                    lifecycle::NoSuchContainer(name.clone()).into()
                } else {
                    e
                }
            })?;
            lifecycle::remove(&host, &mut store, &lock, &mut c, args.force, args.volumes)
        })();
        match res {
            Ok(()) => writeln!(out, "{name}")?,
            Err(e) => {
                // `rm -f` of something already gone is not an error for docker.
                if args.force && e.downcast_ref::<lifecycle::NoSuchContainer>().is_some() {
                    continue;
                }
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
