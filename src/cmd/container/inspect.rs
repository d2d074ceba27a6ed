//! `berth container inspect [-f FORMAT] [-s] CONTAINER...`: Docker's JSON
//! (see `container::describe`), state refreshed from the shim first. Like
//! docker, what was found is printed and the command then fails for the
//! first name that was not (`No such container: x`, exit 1).

use crate::cli::container::ContainerInspectArgs;
use crate::cmd::context::Context;
use crate::container::describe::{self, Facts, Sizes};
use crate::container::lifecycle::{self, Host};
use crate::format;
use crate::store::Store;
use anyhow::Result;
use serde_json::Value;
use std::io::Write;

pub fn run(ctx: &Context, args: ContainerInspectArgs) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    let mut items = Vec::new();
    let mut missing = None;
    for name in &args.containers {
        match describe_one(ctx, &host, &mut store, name, args.size) {
            Ok(v) => items.push(v),
            Err(e) if e.downcast_ref::<lifecycle::NoSuchContainer>().is_some() => {
                missing.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !items.is_empty() || args.format.is_none() {
        format::render_inspect(&mut out, args.format.as_deref(), &items)?;
    }
    out.flush()?;
    if let Some(e) = missing {
        return Err(e);
    }
    Ok(0)
}

/// The inspect object of one container (`NoSuchContainer` when there is none).
pub fn describe_one(
    ctx: &Context,
    host: &Host,
    store: &mut Store,
    name: &str,
    size: bool,
) -> Result<Value> {
    let mut c = lifecycle::find(store, name)?;
    lifecycle::refresh(host, store, &mut c)?;
    let cfg = &c.spec;
    let image_config = crate::image::read_config(&ctx.content(), &c.row.image_id).ok();
    let snapshot = host.snapshots().container(&c.row.id).ok();
    let sizes = if size {
        let rw = host.rw_size(&c.row.id);
        let image = crate::store::images::get(store.conn(), &c.row.image_id)?
            .map(|r| r.size)
            .unwrap_or(0);
        Some(Sizes {
            rw,
            root_fs: rw + image,
        })
    } else {
        None
    };
    Ok(describe::inspect_json(
        host,
        &Facts {
            row: &c.row,
            config: cfg,
            image_config: image_config.as_ref(),
            snapshot: snapshot.as_ref(),
            sizes,
        },
    ))
}
