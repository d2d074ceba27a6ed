//! PLACEHOLDER: a helper replaces this file with the real `rename`.

use crate::cli::container::RenameArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: RenameArgs) -> Result<u8> {
    anyhow::bail!("rename is not available yet")
}
