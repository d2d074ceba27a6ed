use crate::cli::image::RemoveArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: RemoveArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}

pub fn run_prune(_ctx: &Context, _args: crate::cli::image::PruneArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}
