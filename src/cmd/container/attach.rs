//! `berth attach [--detach-keys K] [--no-stdin] [--sig-proxy=false] CONTAINER`:
//! connect the terminal to a running container's stdio through its shim's
//! attach socket. Docker's rules: a stopped container cannot be attached; a
//! tty container needs a terminal on stdin unless `--no-stdin`; stdin goes to
//! the container only if it was created with `-i`; the detach keys
//! (ctrl-p,ctrl-q for tty containers) leave it running and end the command
//! with "read escape sequence" and exit 1, as the docker CLI does; otherwise
//! the command exits with the container's exit code.

use super::session::{pump, SessionOptions};
use crate::cli::container::AttachArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus};
use crate::container::lifecycle;
use crate::container::state::Status;
use crate::shim::attach::{self, AttachOptions, Client, PumpEnd};
use anyhow::{bail, Context as _, Result};
use std::io::IsTerminal;

pub fn run(ctx: &Context, args: AttachArgs) -> Result<u8> {
    if let Some(k) = &args.detach_keys {
        crate::shim::detach_keys::parse(k)?;
    }
    let (host, mut store) = ctx.container_store()?;
    let mut c = lifecycle::find(&store, &args.container)?;
    lifecycle::refresh(&host, &mut store, &mut c)?;
    match c.row.status {
        Status::Paused => bail!("You cannot attach to a paused container, unpause it first"),
        Status::Restarting => {
            bail!("You cannot attach to a restarting container, wait until it is running")
        }
        s if !s.can_kill() => bail!("You cannot attach to a stopped container, start it first"),
        _ => {}
    }
    let cfg = &c.spec;
    if cfg.tty && !args.no_stdin && !std::io::stdin().is_terminal() {
        bail!("the input device is not a TTY");
    }
    let stdin = cfg.open_stdin && !args.no_stdin;
    let sock = host.state_dir(&c.row.id).join(attach::SOCKET_NAME);
    let mut client = Client::connect(
        &sock,
        AttachOptions {
            stdin,
            stdout: true,
            stderr: true,
        },
    )
    .with_context(|| format!("attaching to container {}", c.row.name))?;
    let end = pump(
        &mut client,
        &SessionOptions {
            stdin,
            detach_keys: args.detach_keys.clone(),
            proxy_pid: args.sig_proxy.then_some(c.row.pid as i32),
            close_stdin_on_eof: false,
        },
    )?;
    match end {
        PumpEnd::Exited(code) => Err(ExitStatus(ExitCode::Container(i64::from(code))).into()),
        PumpEnd::Detached => {
            eprintln!("read escape sequence");
            Err(ExitStatus(ExitCode::Failure).into())
        }
        PumpEnd::Disconnected => {
            let mut c = lifecycle::find(&store, &c.row.id)?;
            lifecycle::refresh(&host, &mut store, &mut c)?;
            Err(ExitStatus(ExitCode::Container(c.row.exit_code)).into())
        }
    }
}
