//! `berth update [--restart POLICY] CONTAINER...`: change the restart
//! policy of containers, live ones included (their shim takes it at once).
//! The resource flags of docker's `update` are refused until live limits
//! exist. Prints each container as given, as docker does.

use crate::cli::container::UpdateArgs;
use crate::cmd::context::Context;
use crate::cmd::for_each_name;
use crate::container::{lifecycle, restart};
use crate::shim::config::RestartPolicy;
use anyhow::{anyhow, bail, Result};

pub fn run(ctx: &Context, args: UpdateArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    if let Some(flag) = args.unsupported() {
        bail!("update {flag}: changing resource limits is not supported yet; only --restart can be updated");
    }
    let Some(given) = &args.restart else {
        bail!("you must provide one or more flags when using this command");
    };
    let policy: RestartPolicy = given.parse().map_err(|e: String| anyhow!(e))?;
    let (host, mut store) = ctx.container_store()?;
    for_each_name(out, &args.containers, |name| {
        let mut c = lifecycle::find(&store, name)?;
        let lock = host.lock(&c.row.id)?;
        restart::set_policy(&host, &mut store, &lock, &mut c, policy)
            .map_err(|e| anyhow!("Cannot update container {}: {e:#}", c.row.id))
    })
}
