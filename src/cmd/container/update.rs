//! `berth update [OPTIONS] CONTAINER...`: change the restart policy and
//! the resource limits of containers, live ones included (the runtime
//! applies the limits at once, the shim takes the policy at once; see
//! `container::update` and `container::restart`). Prints each container as
//! given, then moby's warnings, as docker does.

use crate::cli::container::UpdateArgs;
use crate::cmd::context::Context;
use crate::cmd::for_each_name;
use crate::container::update::{self, UpdateRequest};
use crate::container::{lifecycle, restart};
use crate::runtime::limits::LimitError;
use crate::shim::config::RestartPolicy;
use anyhow::{anyhow, bail, Result};

/// The resource flags as an engine request, with docker-cli's parse errors.
fn request(args: &UpdateArgs) -> Result<UpdateRequest> {
    let size = |flag: &str, v: &Option<String>| -> Result<Option<i64>> {
        v.as_deref()
            .map(|s| {
                crate::format::units::parse_size(s)
                    .map_err(|e| anyhow!("invalid argument \"{s}\" for \"{flag}\" flag: {e}"))
            })
            .transpose()
    };
    for (flag, v) in [
        ("cpu-rt-period", args.cpu_rt_period),
        ("cpu-rt-runtime", args.cpu_rt_runtime),
    ] {
        if v.is_some_and(|v| v != 0) {
            return Err(LimitError::Realtime(flag).into());
        }
    }
    Ok(UpdateRequest {
        memory: size("-m, --memory", &args.memory)?,
        memory_swap: match args.memory_swap.as_deref() {
            Some("-1") => Some(-1),
            _ => size("--memory-swap", &args.memory_swap)?,
        },
        memory_reservation: size("--memory-reservation", &args.memory_reservation)?,
        nano_cpus: args
            .cpus
            .as_deref()
            .map(crate::runtime::spec::parse_cpus)
            .transpose()?,
        cpu_shares: args.cpu_shares,
        cpu_period: args.cpu_period,
        cpu_quota: args.cpu_quota,
        cpuset_cpus: args.cpuset_cpus.clone(),
        cpuset_mems: args.cpuset_mems.clone(),
        pids_limit: args.pids_limit,
        blkio_weight: args.blkio_weight,
    })
}

pub fn run(ctx: &Context, args: UpdateArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    let req = request(&args)?;
    // Docker 23+ takes --kernel-memory (a size) and sets nothing.
    let mut warnings = Vec::new();
    if let Some(k) = &args.kernel_memory {
        crate::format::units::parse_size(k)
            .map_err(|e| anyhow!("invalid argument \"{k}\" for \"--kernel-memory\" flag: {e}"))?;
        warnings.push(crate::runtime::limits::KERNEL_MEMORY_IGNORED.to_string());
    }
    if req.is_empty() && args.restart.is_none() && args.kernel_memory.is_none() {
        bail!("you must provide one or more flags when using this command");
    }
    let policy: Option<RestartPolicy> = args
        .restart
        .as_deref()
        .map(|given| given.parse().map_err(|e: String| anyhow!(e)))
        .transpose()?;
    let (host, mut store) = ctx.container_store()?;
    let code = for_each_name(out, &args.containers, |name| {
        let mut c = lifecycle::find(&store, name)?;
        let lock = host.lock(&c.row.id)?;
        let id = c.row.id.clone();
        let cannot = |e: anyhow::Error| anyhow!("Cannot update container {id}: {e:#}");
        if !req.is_empty() {
            warnings
                .extend(update::update(&host, &mut store, &lock, &mut c, &req).map_err(cannot)?);
        }
        if let Some(policy) = policy {
            restart::set_policy(&host, &mut store, &lock, &mut c, policy).map_err(cannot)?;
        }
        Ok(())
    });
    for w in warnings {
        writeln!(out, "{w}")?;
    }
    code
}
