//! PLACEHOLDER: a helper replaces this file with the real `attach`.

use crate::cli::container::AttachArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: AttachArgs) -> Result<u8> {
    anyhow::bail!("attach is not available yet")
}
