use crate::cli::image::HistoryArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: HistoryArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}
