use crate::cli::image::TagArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: TagArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}
