//! `berth compose wait SERVICE...`: blocks until every running container of
//! those services (one-offs included) has stopped, each waited on as
//! `berth wait` waits (`container::wait`), printing compose's `container
//! "ID" exited with status code N`; the command exits with the last code.
//! `--down-project` then takes the project down as its containers'
//! labels describe it (`compose -p NAME down --remove-orphans`).

use crate::cli::compose::ComposeWaitArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use crate::container::wait::{self, Condition};
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposeWaitArgs,
    out: &mut dyn Write,
) -> Result<u8> {
    let (_, name) = super::project_or_name(base)?;
    let name = name.to_lowercase();
    let (host, mut store) = ctx.container_store()?;
    let q = Query {
        project: &name,
        oneoff: OneOff::Include,
        all: false,
        services: &a.service,
    };
    let list = containers::list(&host, &mut store, &q)?;
    if list.is_empty() {
        bail!("no containers for project {name:?}");
    }
    let mut last = 0i64;
    for c in &list {
        let code = wait::wait(&host, &mut store, &c.row.id, Condition::NotRunning)?;
        writeln!(
            out,
            "container {:?} exited with status code {code}",
            c.row.id
        )?;
        out.flush()?;
        last = code;
    }
    if a.down_project {
        drop(store);
        let down = crate::cli::compose::ComposeDownArgs {
            volumes: false,
            rmi: None,
            remove_orphans: true,
            timeout: None,
            services: Vec::new(),
        };
        // compose's `Down` by project name: the project as its
        // containers describe it, every one of them removed.
        let by_name = LoadOptions {
            files: Vec::new(),
            project_name: Some(name.clone()),
            ..base.clone()
        };
        super::down::run_down(ctx, by_name, down, false)?;
    }
    // The shell sees the code modulo 256, as a Go `os.Exit` gives it.
    Ok((last & 0xff) as u8)
}
