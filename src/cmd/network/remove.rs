//! `berth network rm`: prints each name as given and carries on past
//! failures, reporting each and exiting 1, like docker; `-f` only stops a
//! missing network from failing. A network with endpoints is refused with
//! moby's message (`network::store::remove`); `bridge`, `host` and `none`
//! are pre-defined and refused with moby's message, `-f` or not, whether
//! or not `bridge` was ever created.

use crate::cli::network::NetworkRemoveArgs;
use crate::cmd::context::Context;
use crate::network::store::{self as netstore, NetworkError};
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Context, args: NetworkRemoveArgs) -> Result<u8> {
    let env = ctx.net_env();
    let mut store = ctx.store()?;
    store.frees_space();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for name in &args.networks {
        let res = if netstore::is_predefined(name) || name == netstore::DEFAULT_NETWORK {
            Err(NetworkError::PreDefined(name.clone()))
        } else {
            netstore::find(&store, name).and_then(|n| netstore::remove(&env, &mut store, &n))
        };
        match res {
            Ok(()) => writeln!(out, "{name}")?,
            Err(NetworkError::NotFound(_)) if args.force => {}
            Err(e) => {
                out.flush()?;
                eprintln!("berth: {e}");
                failed = true;
            }
        }
    }
    out.flush()?;
    if failed {
        return Err(crate::cmd::ExitStatus(crate::cmd::ExitCode::Failure).into());
    }
    Ok(0)
}
