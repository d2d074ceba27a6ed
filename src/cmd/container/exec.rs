//! PLACEHOLDER: a helper replaces this file with the real `exec`.

use crate::cli::container::ExecArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ExecArgs) -> Result<u8> {
    anyhow::bail!("exec is not available yet")
}
