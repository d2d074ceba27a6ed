//! PLACEHOLDER: a helper replaces this file with the real `inspect`.

use crate::cli::container::ContainerInspectArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ContainerInspectArgs) -> Result<u8> {
    anyhow::bail!("inspect is not available yet")
}
