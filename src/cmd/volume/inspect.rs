//! `berth volume inspect`: Docker's JSON per volume, or `-f` templates.
//! Found volumes are printed first; a missing one then fails the command
//! (exit 1) with `No such volume: x`, as docker does.

use crate::cli::volume::VolumeInspectArgs;
use crate::cmd::context::Context;
use crate::format;
use crate::volume::{self, VolumeError};
use anyhow::{bail, Result};
use std::io::Write;

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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !items.is_empty() || args.format.is_none() {
        format::render_inspect(&mut out, args.format.as_deref(), &items)?;
    }
    out.flush()?;
    match missing.as_slice() {
        [] => Ok(0),
        [only] => bail!("No such volume: {only}"),
        many => {
            // One line per missing volume, then exit 1 like docker.
            for n in many {
                eprintln!("berth: No such volume: {n}");
            }
            Err(crate::cmd::ExitStatus(crate::cmd::ExitCode::Failure).into())
        }
    }
}
