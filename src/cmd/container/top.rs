//! PLACEHOLDER: a helper replaces this file with the real `top`.

use crate::cli::container::TopArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: TopArgs) -> Result<u8> {
    anyhow::bail!("top is not available yet")
}
