//! Container verbs.

pub mod attach;
pub mod commit;
pub mod cp;
pub mod create;
pub mod diff;
pub mod exec;
pub mod export;
pub mod inspect;
pub mod logs;
pub mod pause;
pub mod port;
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
pub mod update;
pub mod wait;

use crate::cli::container::ContainerCommand;
use crate::cmd::context::Context;
use anyhow::Result;
use std::io::Write;

/// Run a container verb; what it prints goes to `out` (interactive sessions
/// of `run`, `start -a`, `exec` and `attach` stream the container's output
/// to the terminal themselves).
pub fn run_group(ctx: &Context, cmd: ContainerCommand, out: &mut dyn Write) -> Result<u8> {
    match cmd {
        ContainerCommand::Run(a) => run::run(ctx, a, out),
        ContainerCommand::Create(a) => create::run(ctx, a, out),
        ContainerCommand::Start(a) => start::run(ctx, a, out),
        ContainerCommand::Stop(a) => stop::run_stop(ctx, a, out),
        ContainerCommand::Restart(a) => stop::run_restart(ctx, a, out),
        ContainerCommand::Kill(a) => stop::run_kill(ctx, a, out),
        ContainerCommand::Rm(a) => rm::run(ctx, a, out),
        ContainerCommand::Ls(a) => ps::run(ctx, a, out),
        ContainerCommand::Wait(a) => wait::run(ctx, a, out),
        ContainerCommand::Logs(a) => logs::run(ctx, a, out),
        ContainerCommand::Exec(a) => exec::run(ctx, a),
        ContainerCommand::Attach(a) => attach::run(ctx, a),
        ContainerCommand::Inspect(a) => inspect::run(ctx, a, out),
        ContainerCommand::Top(a) => top::run(ctx, a, out),
        ContainerCommand::Pause(a) => pause::run_pause(ctx, a, out),
        ContainerCommand::Unpause(a) => pause::run_unpause(ctx, a, out),
        ContainerCommand::Rename(a) => rename::run(ctx, a),
        ContainerCommand::Cp(a) => cp::run(ctx, a, out),
        ContainerCommand::Diff(a) => diff::run(ctx, a, out),
        ContainerCommand::Stats(a) => {
            use std::io::IsTerminal;
            stats::run(ctx, a, out, std::io::stdout().is_terminal())
        }
        ContainerCommand::Prune(a) => prune::run(ctx, a, out),
        ContainerCommand::Port(a) => port::run(ctx, a, out),
        ContainerCommand::Update(a) => update::run(ctx, a, out),
        ContainerCommand::Export(a) => export::run(ctx, a, out),
        ContainerCommand::Commit(a) => commit::run(ctx, a, out),
    }
}
