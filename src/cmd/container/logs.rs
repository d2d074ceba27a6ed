//! PLACEHOLDER: a helper replaces this file with the real `logs`.

use crate::cli::container::LogsArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: LogsArgs) -> Result<u8> {
    anyhow::bail!("logs is not available yet")
}
