use crate::cli::image::PullArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: PullArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}
