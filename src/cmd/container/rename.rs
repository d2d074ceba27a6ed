//! `berth rename CONTAINER NEW_NAME`: one transaction that checks the new
//! name is free (Docker's conflict error otherwise) and renames the record,
//! under the container's lock. Renaming to the current name is docker's
//! error too. Prints nothing.
//!
//! A live container's shim records events with no CLI running (die, a
//! restart's start, health_status): it is told the new name, as moby's
//! daemon updates its in-memory container. Its networks' name servers and
//! its peers' `/etc/hosts` follow the new name, as Docker's embedded DNS
//! does after a rename.

use crate::cli::container::RenameArgs;
use crate::cmd::context::Context;
use crate::container::{lifecycle, names};
use crate::shim::control::Request;
use crate::shim::launch::ShimStatus;
use crate::store::containers;
use anyhow::{anyhow, bail, Context as _, Result};

pub fn run(ctx: &Context, args: RenameArgs) -> Result<u8> {
    let new_name = args.new_name.strip_prefix('/').unwrap_or(&args.new_name);
    if new_name.is_empty() {
        bail!("Neither old nor new names may be empty");
    }
    names::validate(new_name).map_err(|e| anyhow!(e))?;
    let (host, mut store) = ctx.container_store()?;
    let found = lifecycle::find_row(&store, &args.container)?;
    let _lock = host.lock(&found.id)?;
    // What the record is under the lock (a concurrent rename or rm).
    let row = containers::get(store.conn(), &found.id)?
        .ok_or_else(|| anyhow!("No such container: {}", args.container))?;
    if row.name == new_name {
        bail!("Renaming a container with the same name as its current name");
    }
    store
        .write(|tx| containers::rename(tx, &row.id, new_name))
        .map_err(|e| anyhow!("Error when allocating new name: {e}"))?;
    if row.status.is_live() {
        let dir = host.state_dir(&row.id);
        let told = host.shims.control(
            &dir,
            &Request::Rename {
                name: new_name.to_string(),
            },
        );
        // A shim that has just finished records nothing any more.
        if let Err(e) = told {
            if matches!(host.shims.status(&dir), Ok(ShimStatus::Running { .. })) {
                let old = row.name.clone();
                let _ = store.write(|tx| containers::rename(tx, &row.id, &old));
                return Err(e).context("telling the container's shim its new name");
            }
        }
        match crate::network::peers::user_networks_of(&store, &row.id) {
            Ok(nets) => lifecycle::refresh_peers(&host, &store, &nets),
            Err(e) => eprintln!("WARNING: updating the container's networks: {e:#}"),
        }
    }
    // moby's rename event: the new name, and the old one as it stored it.
    let old = format!("/{}", row.name);
    let spec = crate::container::spec::ContainerSpec::from_json(&row.spec).unwrap_or_default();
    let renamed = containers::ContainerRow {
        name: new_name.to_string(),
        ..row
    };
    host.emit(&renamed, &spec, "rename", &[("oldName", old)]);
    Ok(0)
}
