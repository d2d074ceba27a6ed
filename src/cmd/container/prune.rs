//! PLACEHOLDER: a helper replaces this file with the real `prune`.

use crate::cli::container::ContainerPruneArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ContainerPruneArgs) -> Result<u8> {
    anyhow::bail!("prune is not available yet")
}
