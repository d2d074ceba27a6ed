//! Volume verbs: `volume create | ls | inspect | rm | prune`.

pub mod create;
pub mod inspect;
pub mod list;
pub mod remove;

use crate::cli::volume::VolumeCommand;
use crate::cmd::context::Context;
use anyhow::{bail, Result};

pub fn run_group(ctx: &Context, cmd: VolumeCommand) -> Result<u8> {
    match cmd {
        VolumeCommand::Create(a) => create::run(ctx, a),
        VolumeCommand::Ls(a) => list::run(ctx, a),
        VolumeCommand::Inspect(a) => inspect::run(ctx, a),
        VolumeCommand::Rm(a) => remove::run(ctx, a),
        VolumeCommand::Prune(a) => remove::run_prune(ctx, a),
    }
}

/// A `label=` filter value: `key` or `key=value`.
fn label_filter(value: &str) -> (String, Option<String>) {
    match value.split_once('=') {
        Some((k, v)) => (k.to_string(), Some(v.to_string())),
        None => (value.to_string(), None),
    }
}

/// Split `--filter key=value`, with Docker's error for a malformed one.
fn split_filter(item: &str) -> Result<(&str, &str)> {
    match item.split_once('=') {
        Some((k, v)) => Ok((k, v)),
        None => bail!("bad format of filter (expected name=value)"),
    }
}

/// Go's `strconv.ParseBool`-like truth values Docker takes in filters.
fn filter_bool(key: &str, value: &str) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => bail!("invalid filter '{key}={value}'"),
    }
}
