//! `berth compose exec [-T] [--index N] SERVICE COMMAND...`: `berth exec`
//! in the service's running container (the lowest number, or `--index`),
//! with stdin attached and, unless `-T` or stdout is not a terminal, a
//! pseudo-TTY, as compose does; the exit code is the command's.
//! `--dry-run` runs nothing, as compose's dry-run client: `-d` says what
//! it would execute, an attached exec is refused.

use crate::cli::compose::ComposeExecArgs;
use crate::cli::container::ExecArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff};
use crate::compose::project::LoadOptions;
use anyhow::Result;
use std::io::IsTerminal;

pub fn run(ctx: &Context, base: &LoadOptions, a: ComposeExecArgs, dry_run: bool) -> Result<u8> {
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
    if dry_run {
        return dry_exec(&id, &a, &mut std::io::stdout());
    }
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

/// compose's dry-run exec: a detached one prints the command (Go's `%q`
/// of the argument list) and the container; an attached one fails.
fn dry_exec(id: &str, a: &ComposeExecArgs, out: &mut dyn std::io::Write) -> Result<u8> {
    if !a.detach {
        anyhow::bail!("interactive exec is not supported in dry-run mode");
    }
    let words: Vec<String> = a.command.iter().map(|w| format!("{w:?}")).collect();
    writeln!(
        out,
        "{}Executing command [{}] in {id} (detached mode)",
        super::progress::DRY_RUN_PREFIX,
        words.join(" ")
    )?;
    Ok(0)
}
