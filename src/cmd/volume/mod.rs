//! Volume verbs: `volume create | ls | inspect | rm | prune`.

pub mod create;
pub mod inspect;
pub mod list;
pub mod remove;

use crate::cli::volume::VolumeCommand;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run_group(ctx: &Context, cmd: VolumeCommand) -> Result<u8> {
    match cmd {
        VolumeCommand::Create(a) => create::run(ctx, a),
        VolumeCommand::Ls(a) => list::run(ctx, a),
        VolumeCommand::Inspect(a) => inspect::run(ctx, a),
        VolumeCommand::Rm(a) => remove::run(ctx, a),
        VolumeCommand::Prune(a) => remove::run_prune(ctx, a),
    }
}
