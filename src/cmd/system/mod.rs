//! `berth system ...`, `info`, `version` and `doctor`: what is on this
//! host, what berth stores, and what is wrong with the host.

pub mod df;
pub mod doctor;
pub mod info;
pub mod prune;
pub mod restore;
pub mod version;

use crate::cli::system::SystemCommand;
use crate::cmd::context::Context;
use anyhow::Result;
use std::io::Write;

/// berth's own version and the commit it was built from.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const GIT_COMMIT: &str = env!("BERTH_BUILD");
/// `berth -v`, in Docker's shape (`Docker version 27.5.1, build 9f9e405`).
pub const VERSION_LINE: &str = concat!(
    "version ",
    env!("CARGO_PKG_VERSION"),
    ", build ",
    env!("BERTH_BUILD")
);

pub fn run(ctx: &Context, cmd: SystemCommand, out: &mut dyn Write) -> Result<u8> {
    match cmd {
        SystemCommand::Restore => restore::restore(ctx, out),
        SystemCommand::InstallRestore(a) => restore::install(ctx, a, out),
        SystemCommand::Info(a) => info::run(ctx, a, out),
        SystemCommand::Df(a) => df::run(ctx, a, out),
        SystemCommand::Prune(a) => prune::run(ctx, a, out),
        SystemCommand::Check(a) => doctor::run(ctx, a, out),
        SystemCommand::Events(a) => crate::cmd::events::run(ctx, a, out),
    }
}

/// Go's name of this machine's architecture (`GOARCH`), as Docker's
/// `OS/Arch` shows it.
pub fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
        "powerpc64" => "ppc64",
        "loongarch64" => "loong64",
        other => other,
    }
}

/// `--format` for `info` and `version`: `json` (or `{{json .}}`) prints
/// the object as one line of JSON, anything else is a Go template over it.
pub fn render_format(out: &mut dyn Write, format: &str, value: &serde_json::Value) -> Result<()> {
    let text = if format == "json" {
        crate::format::json::to_json_compact(value)
    } else {
        let mut text = String::new();
        crate::format::template::Template::parse(format)?.execute_into(value, &mut text)?;
        text
    };
    writeln!(out, "{text}")?;
    Ok(())
}
