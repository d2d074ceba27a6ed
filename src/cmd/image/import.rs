//! `berth import file|URL|- [REPOSITORY[:TAG]]` (and `image import`):
//! `image::import::import` with `--change`, `-m` and `--platform`; prints
//! the new image ID (`sha256:...`) as Docker does.

use crate::cli::image::ImportArgs;
use crate::cmd::context::Context;
use crate::image::change;
use crate::image::import::{self, ImportOptions, ImportSource};
use crate::image::manifest::{host_platform, parse_platform};
use crate::image::reference::parse_tag_target;
use anyhow::{anyhow, Result};
use std::io::Write;

pub fn run(ctx: &Context, args: ImportArgs, out: &mut dyn Write) -> Result<u8> {
    let opts = ImportOptions {
        source: ImportSource::parse(&args.source),
        reference: args
            .reference
            .as_deref()
            .map(parse_tag_target)
            .transpose()?,
        changes: change::parse_all(&args.change)?,
        message: args.message,
        platform: match args.platform.as_deref() {
            Some(p) => parse_platform(p).map_err(|e| anyhow!(e))?,
            None => host_platform(),
        },
    };
    let mut store = ctx.store()?;
    let id = import::import(&mut store, &opts)?;
    // moby tags the imported image (a `tag` event) before `import`.
    if let Some(r) = &opts.reference {
        crate::image::emit_event(
            &ctx.layout,
            "tag",
            &id.to_string(),
            &r.familiar(),
            &id.to_string(),
        );
    }
    crate::image::emit_event(
        &ctx.layout,
        "import",
        &id.to_string(),
        &id.to_string(),
        &id.to_string(),
    );
    writeln!(out, "{id}")?;
    Ok(0)
}
