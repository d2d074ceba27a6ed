//! `berth start [-a] [-i] CONTAINER...`.

use super::session::{pump, SessionOptions};
use crate::cli::container::StartArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus, WithExitCode};
use crate::container::lifecycle::{self, StartOptions};
use crate::image::read_config;
use crate::shim::attach::{AttachOptions, PumpEnd};
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(ctx: &Context, args: StartArgs, out: &mut dyn Write) -> Result<u8> {
    let attach = args.attach || args.interactive;
    if attach && args.containers.len() > 1 {
        bail!("you cannot start and attach multiple containers at once");
    }
    let (host, mut store) = ctx.container_store()?;
    let mut failed = false;
    for name in &args.containers {
        let res = (|| -> Result<Option<ExitCode>> {
            let mut c = lifecycle::find(&store, name)?;
            let lock = host.lock(&c.row.id)?;
            lifecycle::refresh(&host, &mut store, &mut c)?;
            if c.row.status.can_kill() {
                if attach {
                    bail!("container {} is already running; use attach", c.row.name);
                }
                return Ok(None);
            }
            let image_config = read_config(&ctx.content(), &c.row.image_id)?;
            let open_stdin = c.spec.open_stdin;
            let opts = StartOptions {
                attach: attach.then_some(AttachOptions {
                    stdin: args.interactive && open_stdin,
                    stdout: true,
                    stderr: true,
                }),
            };
            let started = lifecycle::start(&host, &mut store, &lock, &mut c, &image_config, opts)
                .map_err(|f| WithExitCode {
                code: f.code,
                error: f.error,
            })?;
            drop(lock);
            let Some(mut client) = started.attach else {
                return Ok(None);
            };
            let end = pump(
                &mut client,
                &SessionOptions {
                    stdin: args.interactive && open_stdin,
                    detach_keys: args.detach_keys.clone(),
                    proxy_pid: Some(started.pid as i32),
                    close_stdin_on_eof: args.interactive,
                },
            )?;
            Ok(match end {
                PumpEnd::Exited(code) => {
                    lifecycle::record_exit(&host, &mut store, &c.row.id);
                    Some(ExitCode::Container(i64::from(code)))
                }
                // Detached: the session ends, the container runs on.
                _ => Some(ExitCode::Container(0)),
            })
        })();
        match res {
            Ok(Some(code)) => return Err(ExitStatus(code).into()),
            Ok(None) => writeln!(out, "{name}")?,
            Err(e) => {
                if attach {
                    return Err(e);
                }
                eprintln!("berth: {}", crate::cmd::render_error(&e));
                failed = true;
            }
        }
    }
    if failed {
        return Err(ExitStatus(ExitCode::Failure).into());
    }
    Ok(0)
}
