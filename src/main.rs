//! berth: a daemonless, Docker-compatible container CLI.
//!
//! `main` parses the command line, dispatches to `cmd`, prints an error once as
//! `berth: <message>` and picks the exit code the way docker does (125 for usage
//! errors, 1 for a failed command, the container's own code where a verb passes it through).
//! Release builds abort on panic, so no `Drop` runs: a panic hook puts back any terminal
//! that `run -it`/`exec -it`/`attach` set to raw mode (`sys::pty`) before the message prints.

mod build;
mod cli;
mod cmd;
mod compose;
mod config;
mod container;
mod debug;
mod digest;
mod events;
mod filter;
mod format;
mod gotime;
mod host;
mod image;
mod inspect;
mod network;
mod runtime;
mod shim;
mod snapshot;
mod store;
mod sys;
mod volume;

use std::process::ExitCode;

fn main() -> ExitCode {
    sys::signal::reset_sigpipe();
    sys::pty::restore_terminals_on_panic();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(state_dir) = shim::fast_entry(&args) {
        return match shim::main(&state_dir) {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                eprintln!("berth: {e}");
                ExitCode::from(cmd::ExitCode::Berth.status())
            }
        };
    }
    let parsed = match cli::parse(&args) {
        Ok(p) => p,
        Err(e) => {
            // clap renders help/version as "errors" too; those go to stdout, exit 0.
            let code = match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => 0,
                // A usage error, as docker: 125.
                _ => cmd::ExitCode::Berth.status(),
            };
            if e.kind() == clap::error::ErrorKind::DisplayVersion {
                // Docker's shape: `Docker version 27.5.1, build 9f9e405`.
                println!("berth {}", cmd::system::VERSION_LINE);
            } else {
                let _ = e.print();
            }
            return ExitCode::from(code);
        }
    };
    let r = cmd::dispatch(parsed);
    // A shim spawned ahead for a container that never started.
    shim::launch::discard_spare();
    // Snapshot deletions that overlapped the command's last database work.
    snapshot::finish_removals();
    match r {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let code = cmd::exit_code_for(&err).status();
            // An ExitStatus has been reported already (or is a container's own code).
            if err.downcast_ref::<cmd::ExitStatus>().is_none() {
                eprintln!("berth: {}", cmd::render_error(&err));
            }
            ExitCode::from(code)
        }
    }
}
