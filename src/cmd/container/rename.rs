//! `berth rename CONTAINER NEW_NAME`: one transaction that checks the new
//! name is free (Docker's conflict error otherwise) and renames the record.
//! Renaming to the current name is docker's error too. Prints nothing.

use crate::cli::container::RenameArgs;
use crate::cmd::context::Context;
use crate::container::{lifecycle, names};
use anyhow::{anyhow, bail, Result};

pub fn run(ctx: &Context, args: RenameArgs) -> Result<u8> {
    let new_name = args.new_name.strip_prefix('/').unwrap_or(&args.new_name);
    if new_name.is_empty() {
        bail!("Neither old nor new names may be empty");
    }
    names::validate(new_name).map_err(|e| anyhow!(e))?;
    let (host, mut store) = ctx.container_store()?;
    let row = lifecycle::find_row(&store, &args.container)?;
    if row.name == new_name {
        bail!("Renaming a container with the same name as its current name");
    }
    store
        .write(|tx| crate::store::containers::rename(tx, &row.id, new_name))
        .map_err(|e| anyhow!("Error when allocating new name: {e}"))?;
    // moby's rename event: the new name, and the old one as it stored it.
    let old = format!("/{}", row.name);
    let spec = crate::container::spec::ContainerSpec::from_json(&row.spec).unwrap_or_default();
    let renamed = crate::store::containers::ContainerRow {
        name: new_name.to_string(),
        ..row
    };
    host.emit(&renamed, &spec, "rename", &[("oldName", old)]);
    Ok(0)
}
