//! `berth container inspect [-f FORMAT] [-s] CONTAINER...`: Docker's JSON
//! (see `container::describe`; the lookup is `inspect::lookup`), state
//! refreshed from the shim first. Like docker, what was found is printed and
//! the command then fails for the first name that was not
//! (`No such container: x`, exit 1).

use crate::cli::container::ContainerInspectArgs;
use crate::cmd::context::Context;
use crate::inspect::{self, Kind, Sources};
use crate::snapshot::Snapshotter;
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Context, args: ContainerInspectArgs, out: &mut dyn Write) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    let content = ctx.content();
    let snapshots = Snapshotter::new(ctx.layout.snapshots_dir());
    let src = Sources {
        host: Some(&host),
        store: &mut store,
        content: &content,
        snapshots: &snapshots,
    };
    let found = inspect::lookup(src, Kind::Container, &args.containers, args.size)?;
    crate::cmd::image::inspect::render(out, &found, args.format.as_deref(), Kind::Container)
}
