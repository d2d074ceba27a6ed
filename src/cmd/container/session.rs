//! The CLI end of an attached container session (foreground `run`,
//! `start -a`, `attach`): raw mode on a terminal, stdin forwarding, detach
//! keys, window resizes and signal forwarding.

use crate::shim::attach::{Client, PumpEnd, PumpIo, DEFAULT_DETACH_KEYS};
use anyhow::Result;
use std::io::IsTerminal;
use std::os::unix::io::AsRawFd;

pub struct SessionOptions {
    /// Forward our stdin to the container.
    pub stdin: bool,
    /// `--detach-keys` as given (`ctrl-p,ctrl-q` by default).
    pub detach_keys: Option<String>,
    /// Forward signals we receive to this pid (sig-proxy), when not a tty.
    pub proxy_pid: Option<i32>,
    /// Close the container's stdin when ours ends (`run -i`).
    pub close_stdin_on_eof: bool,
}

/// Pump the session until the container exits or the user detaches.
pub fn pump(client: &mut Client, opts: &SessionOptions) -> Result<PumpEnd> {
    let tty = client.tty();
    let stdin = std::io::stdin();
    let stdin_fd = stdin.as_raw_fd();
    let stdin_is_tty = stdin.is_terminal();
    let keys = match &opts.detach_keys {
        Some(k) => Some(crate::shim::detach_keys::parse(k)?),
        None if tty && opts.stdin => Some(DEFAULT_DETACH_KEYS.to_vec()),
        None => None,
    };
    let _raw = if tty && opts.stdin && stdin_is_tty {
        Some(crate::sys::pty::RawMode::enable(stdin_fd)?)
    } else {
        None
    };
    if !tty {
        if let Some(pid) = opts.proxy_pid {
            crate::sys::signal::proxy_signals_to(pid)?;
        }
    }
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let end = client.pump(PumpIo {
        input: opts.stdin.then_some(stdin_fd),
        stdout: &mut out,
        stderr: &mut err,
        detach_keys: keys.as_deref(),
        close_stdin_on_eof: opts.close_stdin_on_eof,
        resize_from: (tty && stdin_is_tty).then_some(stdin_fd),
    })?;
    Ok(end)
}
