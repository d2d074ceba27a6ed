//! `berth compose version [--short] [--format pretty|json]`: berth's
//! version in compose's three shapes (`... version vX`, `X`,
//! `{"version":"vX"}`). Reads no project and opens no data root.

use crate::cli::compose::ComposeVersionArgs;
use crate::cmd::system::VERSION;
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(a: ComposeVersionArgs, out: &mut dyn Write) -> Result<u8> {
    if a.short {
        writeln!(out, "{VERSION}")?;
        return Ok(0);
    }
    match a.format.as_deref().unwrap_or("pretty") {
        "json" => writeln!(out, "{{\"version\":\"v{VERSION}\"}}")?,
        "pretty" | "" => writeln!(out, "berth compose version v{VERSION}")?,
        other => bail!("unsupported format {other:?}: use pretty or json"),
    }
    Ok(0)
}
