use crate::cli::image::PushArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: PushArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}
