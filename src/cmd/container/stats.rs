//! PLACEHOLDER: a helper replaces this file with the real `stats`.

use crate::cli::container::StatsArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: StatsArgs) -> Result<u8> {
    anyhow::bail!("stats is not available yet")
}
