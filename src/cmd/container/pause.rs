//! PLACEHOLDER: a helper replaces this file with the real `pause`/`unpause`.

use crate::cli::container::ContainersArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run_pause(_ctx: &Context, _args: ContainersArgs) -> Result<u8> {
    anyhow::bail!("pause is not available yet")
}

pub fn run_unpause(_ctx: &Context, _args: ContainersArgs) -> Result<u8> {
    anyhow::bail!("unpause is not available yet")
}
