//! `berth volume inspect`: Docker's JSON per volume, or `-f` templates.
//! Found volumes are printed first; a missing one then fails the command
//! (exit 1) with `No such volume: x`, as docker does.

use crate::cli::volume::VolumeInspectArgs;
use crate::cmd::context::Context;
use crate::volume::{self, VolumeError};
use anyhow::Result;

pub fn run(ctx: &Context, args: VolumeInspectArgs) -> Result<u8> {
    let store = ctx.store()?;
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for name in &args.volumes {
        match volume::get(&store, name) {
            Ok(row) => items.push(volume::inspect_json(store.layout(), &row)?),
            Err(VolumeError::NotFound(n)) => missing.push(n),
            Err(e) => return Err(e.into()),
        }
    }
    crate::cmd::finish_inspect(args.format.as_deref(), &items, &missing, |n| {
        format!("No such volume: {n}")
    })
}
