//! Container verbs.

pub mod create;
pub mod ps;
pub mod rm;
pub mod run;
pub mod session;
pub mod start;
pub mod stop;
pub mod wait;

use crate::cli::container::ContainerCommand;
use crate::cmd::context::Context;
use anyhow::{bail, Result};

pub fn run_group(ctx: &Context, cmd: ContainerCommand) -> Result<u8> {
    match cmd {
        ContainerCommand::Run(a) => run::run(ctx, a),
        ContainerCommand::Create(a) => create::run(ctx, a),
        ContainerCommand::Start(a) => start::run(ctx, a),
        ContainerCommand::Stop(a) => stop::run_stop(ctx, a),
        ContainerCommand::Restart(a) => stop::run_restart(ctx, a),
        ContainerCommand::Kill(a) => stop::run_kill(ctx, a),
        ContainerCommand::Rm(a) => rm::run(ctx, a),
        ContainerCommand::Ls(a) => ps::run(ctx, a),
        ContainerCommand::Wait(a) => wait::run(ctx, a),
        other => bail!("{} is not available yet", verb_name(&other)),
    }
}

fn verb_name(c: &ContainerCommand) -> &'static str {
    match c {
        ContainerCommand::Logs(_) => "logs",
        ContainerCommand::Exec(_) => "exec",
        ContainerCommand::Attach(_) => "attach",
        ContainerCommand::Inspect(_) => "container inspect",
        ContainerCommand::Top(_) => "top",
        ContainerCommand::Pause(_) => "pause",
        ContainerCommand::Unpause(_) => "unpause",
        ContainerCommand::Rename(_) => "rename",
        ContainerCommand::Cp(_) => "cp",
        ContainerCommand::Diff(_) => "diff",
        ContainerCommand::Stats(_) => "stats",
        ContainerCommand::Prune(_) => "container prune",
        _ => "this command",
    }
}
