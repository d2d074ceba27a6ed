//! `berth login` and `berth logout`: verify credentials against the registry
//! and keep them in Docker's `config.json` (or its credential helper).

use crate::cli::image::{LoginArgs, LogoutArgs};
use crate::cmd::context::Context;
use crate::image::registry::credentials;
use anyhow::{bail, Context as _, Result};
use std::io::{BufRead, IsTerminal, Write};

/// Docker Hub, as `docker login` names it when no server is given.
const DEFAULT_SERVER: &str = "docker.io";

pub fn run(ctx: &Context, args: LoginArgs, out: &mut dyn Write) -> Result<u8> {
    let server = args.server.clone().unwrap_or_else(|| DEFAULT_SERVER.into());
    if args.password.is_some() && args.password_stdin {
        bail!("--password and --password-stdin are mutually exclusive");
    }
    let mut password = args.password.clone();
    if password.is_some() {
        eprintln!("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
    }
    if args.password_stdin {
        if args.username.is_none() {
            bail!("Must provide --username with --password-stdin");
        }
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_to_string_trimmed(&mut line)
            .context("reading the password from stdin")?;
        password = Some(line);
    }
    let interactive = std::io::stdin().is_terminal();
    let username = match args.username.clone() {
        Some(u) => u,
        None if interactive => prompt("Username: ", false)?,
        None => bail!("Cannot perform an interactive login from a non TTY device"),
    };
    let password = match password {
        Some(p) => p,
        None if interactive => prompt("Password: ", true)?,
        None => bail!("Cannot perform an interactive login from a non TTY device"),
    };
    if username.is_empty() {
        bail!("Username is required");
    }
    if password.is_empty() {
        bail!("Password is required");
    }
    let registry = ctx.registry()?;
    let host = login_host(&server);
    let rt = ctx.runtime()?;
    rt.block_on(registry.login(&host, &username, &password))?;
    credentials::store(&ctx.settings.docker_config, &server, &username, &password)?;
    writeln!(out, "Login Succeeded")?;
    Ok(0)
}

pub fn run_logout(ctx: &Context, args: LogoutArgs, out: &mut dyn Write) -> Result<u8> {
    let server = args.server.unwrap_or_else(|| DEFAULT_SERVER.into());
    let key = credentials::server_key(&server);
    if credentials::erase(&ctx.settings.docker_config, &server)? {
        writeln!(out, "Removing login credentials for {key}")?;
    } else {
        writeln!(out, "Not logged in to {key}")?;
    }
    Ok(0)
}

/// The registry host to verify against: `docker.io` for Hub's spellings.
fn login_host(server: &str) -> String {
    let key = credentials::server_key(server);
    if key.starts_with("https://index.docker.io") {
        DEFAULT_SERVER.to_string()
    } else {
        key
    }
}

trait ReadTrimmed {
    fn read_to_string_trimmed(&mut self, out: &mut String) -> std::io::Result<()>;
}

impl<R: BufRead> ReadTrimmed for R {
    /// Docker strips the trailing newline (and CR) from a piped password.
    fn read_to_string_trimmed(&mut self, out: &mut String) -> std::io::Result<()> {
        self.read_to_string(out)?;
        while out.ends_with('\n') || out.ends_with('\r') {
            out.pop();
        }
        Ok(())
    }
}

fn prompt(label: &str, secret: bool) -> Result<String> {
    let mut err = std::io::stderr();
    write!(err, "{label}")?;
    err.flush()?;
    let guard = if secret {
        crate::sys::pty::RawMode::echo_off(0).ok()
    } else {
        None
    };
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    drop(guard);
    if secret {
        writeln!(err)?;
    }
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
