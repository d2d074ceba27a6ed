//! Volume verbs.

use crate::cli::volume::VolumeCommand;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run_group(_ctx: &Context, cmd: VolumeCommand) -> Result<u8> {
    match cmd {
        VolumeCommand::Create(_) => anyhow::bail!("volume create: being written"),
    }
}
