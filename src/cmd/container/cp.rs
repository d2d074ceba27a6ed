//! PLACEHOLDER: a helper replaces this file with the real `cp`.

use crate::cli::container::CpArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: CpArgs) -> Result<u8> {
    anyhow::bail!("cp is not available yet")
}
