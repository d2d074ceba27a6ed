//! `berth tag SOURCE TARGET`.

use crate::cli::image::TagArgs;
use crate::cmd::context::Context;
use crate::image::lookup;
use crate::image::reference::parse_tag_target;
use crate::store::images;
use anyhow::Result;

pub fn run(ctx: &Context, args: TagArgs) -> Result<u8> {
    let target = parse_tag_target(&args.target)?;
    let mut store = ctx.store()?;
    let name = target.to_string();
    let id = store.write(|tx| -> Result<String> {
        // Look up inside the transaction so a concurrent rmi cannot slip in.
        let id = lookup::find_id(tx, &args.source)?
            .ok_or_else(|| lookup::LookupError::NotFound(args.source.clone()))?;
        images::set_tag(tx, &name, &id)?;
        Ok(id)
    })?;
    crate::image::emit_event(&ctx.layout, "tag", &id, &target.familiar(), &id);
    Ok(0)
}
