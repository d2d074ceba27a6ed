//! PLACEHOLDER: a helper replaces this file with the real `diff`.

use crate::cli::container::ContainersArgs1;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ContainersArgs1) -> Result<u8> {
    anyhow::bail!("diff is not available yet")
}
