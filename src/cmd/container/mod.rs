//! Container verbs.

pub mod attach;
pub mod cp;
pub mod create;
pub mod diff;
pub mod exec;
pub mod inspect;
pub mod logs;
pub mod pause;
pub mod prune;
pub mod ps;
pub mod rename;
pub mod rm;
pub mod run;
pub mod session;
pub mod start;
pub mod stats;
pub mod stop;
pub mod top;
pub mod wait;

use crate::cli::container::ContainerCommand;
use crate::cmd::context::Context;
use anyhow::Result;

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
        ContainerCommand::Logs(a) => logs::run(ctx, a),
        ContainerCommand::Exec(a) => exec::run(ctx, a),
        ContainerCommand::Attach(a) => attach::run(ctx, a),
        ContainerCommand::Inspect(a) => inspect::run(ctx, a),
        ContainerCommand::Top(a) => top::run(ctx, a),
        ContainerCommand::Pause(a) => pause::run_pause(ctx, a),
        ContainerCommand::Unpause(a) => pause::run_unpause(ctx, a),
        ContainerCommand::Rename(a) => rename::run(ctx, a),
        ContainerCommand::Cp(a) => cp::run(ctx, a),
        ContainerCommand::Diff(a) => diff::run(ctx, a),
        ContainerCommand::Stats(a) => stats::run(ctx, a),
        ContainerCommand::Prune(a) => prune::run(ctx, a),
    }
}
