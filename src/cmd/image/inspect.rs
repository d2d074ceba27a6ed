use crate::cli::image::ImageInspectArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ImageInspectArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}

pub fn run_generic(_ctx: &Context, _args: crate::cli::image::InspectArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}
