use crate::cli::image::ListArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ListArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}
