//! `berth compose exec [-T] [--index N] SERVICE COMMAND...`: `berth exec`
//! in the service's running container (the lowest number, or `--index`),
//! with stdin attached and, unless `-T` or stdout is not a terminal, a
//! pseudo-TTY, as compose does; the exit code is the command's.

use crate::cli::compose::ComposeExecArgs;
use crate::cli::container::ExecArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff};
use crate::compose::project::LoadOptions;
use anyhow::Result;
use std::io::IsTerminal;

pub fn run(ctx: &Context, base: &LoadOptions, a: ComposeExecArgs) -> Result<u8> {
    let (_, name) = super::project_or_name(base)?;
    let id = {
        let (host, mut store) = ctx.container_store()?;
        containers::specified(
            &host,
            &mut store,
            &name.to_lowercase(),
            OneOff::Include,
            false,
            &a.service,
            a.index,
        )?
        .row
        .id
    };
    let tty = !a.no_tty && std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let args = ExecArgs {
        detach: a.detach,
        interactive: !a.detach,
        tty,
        env: a.env,
        env_file: Vec::new(),
        workdir: a.workdir,
        user: a.user,
        privileged: a.privileged,
        detach_keys: None,
        container: id,
        command: a.command,
    };
    crate::cmd::container::exec::run(ctx, args)
}
