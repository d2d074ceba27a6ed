//! `berth run`: create, start, and (unless `-d`) attach until the container
//! exits, then exit with its code. berth's own failures exit 125; a command
//! that cannot be invoked 126, one not found 127 (docker's contract).

use super::create::create_container;
use super::session::{pump, SessionOptions};
use crate::cli::container::RunArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus, WithExitCode};
use crate::container::lifecycle::{self, StartOptions};
use crate::shim::attach::{AttachOptions, PumpEnd};
use anyhow::Result;
use std::io::Write;

fn fail125(e: anyhow::Error) -> anyhow::Error {
    WithExitCode {
        code: ExitCode::Berth,
        error: e,
    }
    .into()
}

pub fn run(ctx: &Context, args: RunArgs, out: &mut dyn Write) -> Result<u8> {
    use std::io::IsTerminal;
    if !args.detach && args.create.tty && args.create.interactive && !std::io::stdin().is_terminal()
    {
        anyhow::bail!("the input device is not a TTY");
    }
    // The shim's start-up overlaps the preparation below.
    if let Ok((exe, globals)) = ctx.shim_command() {
        crate::shim::launch::prespawn(&exe, &globals);
    }
    let mut opts = super::create::options(&args.create);
    opts.auto_remove = args.rm;
    opts.detach = args.detach;
    let created = create_container(ctx, &args.create, &opts).map_err(fail125)?;
    run_created(
        created,
        &Session {
            detach: args.detach,
            rm: args.rm,
            interactive: args.create.interactive,
            detach_keys: args.detach_keys.clone(),
            sig_proxy: args.sig_proxy,
        },
        out,
    )
}

/// How a created container is run: what `run`'s flags (and compose
/// `run`'s) say about the session.
pub struct Session {
    pub detach: bool,
    pub rm: bool,
    pub interactive: bool,
    pub detach_keys: Option<String>,
    pub sig_proxy: bool,
}

/// Start a created container and, unless detached, attach until it exits
/// (shared by `run` and `compose run`).
pub fn run_created(
    created: super::create::Created,
    args: &Session,
    out: &mut dyn Write,
) -> Result<u8> {
    let (mut c, image_config, host, mut store) = (
        created.container,
        created.image_config,
        created.host,
        created.store,
    );
    let attach_streams = c.spec.attach;
    let attach = (!args.detach).then_some(AttachOptions {
        stdin: attach_streams.stdin && args.interactive,
        stdout: attach_streams.stdout,
        stderr: attach_streams.stderr,
    });
    let lock = host.lock(&c.row.id).map_err(fail125)?;
    let started = match lifecycle::start(
        &host,
        &mut store,
        &lock,
        &mut c,
        &image_config,
        StartOptions { attach },
    ) {
        Ok(s) => s,
        Err(f) => {
            if args.rm {
                if let Err(e) = lifecycle::remove(&host, &mut store, &lock, &mut c, true, true) {
                    eprintln!("Error removing container {}: {e:#}", c.row.id);
                }
            }
            return Err(WithExitCode {
                code: f.code,
                error: f.error,
            }
            .into());
        }
    };
    drop(lock);
    // Docker prints the id whenever neither stdout nor stderr is attached.
    if !attach_streams.stdout && !attach_streams.stderr {
        writeln!(out, "{}", c.row.id)?;
        out.flush()?;
    }
    if args.detach {
        return Ok(0);
    }
    let Some(mut client) = started.attach else {
        return Err(fail125(anyhow::anyhow!(
            "the shim did not open an attach session"
        )));
    };
    let end = pump(
        &mut client,
        &SessionOptions {
            stdin: attach_streams.stdin && args.interactive,
            detach_keys: args.detach_keys.clone(),
            proxy_pid: args.sig_proxy.then_some(started.pid as i32),
            close_stdin_on_eof: args.interactive,
        },
    )
    .map_err(fail125)?;
    match end {
        PumpEnd::Exited(code) => {
            if args.rm {
                // Removed before this command returns: nothing it wrote
                // needs to survive a power loss (`Store::transient`). A
                // detached `--rm` (flag or detach keys) keeps its record
                // durable.
                store.transient();
                // The shim removes it too; whoever comes second finds nothing.
                let lock = host.lock(&c.row.id)?;
                if let Ok(mut c) = lifecycle::find(&store, &c.row.id) {
                    // The container's own exit code stays the answer; a
                    // removal that failed is said, not hidden.
                    if let Err(e) = lifecycle::remove(&host, &mut store, &lock, &mut c, true, true)
                    {
                        eprintln!("Error removing container {}: {e:#}", c.row.id);
                    }
                }
                drop(lock);
            } else {
                // Fold the shim's exit record in now (exit code, time, OOM),
                // which also releases the root filesystem mount.
                lifecycle::record_exit(&host, &mut store, &c.row.id);
            }
            Err(ExitStatus(ExitCode::Container(i64::from(code))).into())
        }
        PumpEnd::Detached => Ok(0),
        PumpEnd::Disconnected => {
            let mut c = lifecycle::find(&store, &c.row.id).map_err(fail125)?;
            lifecycle::refresh(&host, &mut store, &mut c).map_err(fail125)?;
            Err(ExitStatus(ExitCode::Container(c.row.exit_code)).into())
        }
    }
}
