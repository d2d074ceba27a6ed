//! Image verbs.

pub mod history;
pub mod import;
pub mod inspect;
pub mod list;
pub mod load;
pub mod login;
pub mod pull;
pub mod push;
pub mod remove;
pub mod save;
pub mod tag;

use crate::cli::image::ImageCommand;
use crate::cmd::context::Context;
use anyhow::Result;
use std::io;

pub fn run_group(ctx: &Context, cmd: ImageCommand) -> Result<u8> {
    // stdout is locked per verb, never across pull or push: they report
    // progress from worker threads.
    match cmd {
        ImageCommand::Build(a) => crate::cmd::build::run(ctx, *a),
        ImageCommand::Ls(a) => list::run(ctx, a, &mut io::stdout().lock()),
        ImageCommand::Pull(a) => pull::run(ctx, a),
        ImageCommand::Push(a) => push::run(ctx, a),
        ImageCommand::Tag(a) => tag::run(ctx, a),
        ImageCommand::Rm(a) => remove::run(ctx, a, &mut io::stdout().lock()),
        ImageCommand::Inspect(a) => inspect::run(ctx, a, &mut io::stdout().lock()),
        ImageCommand::History(a) => history::run(ctx, a, &mut io::stdout().lock()),
        ImageCommand::Prune(a) => remove::run_prune(ctx, a),
        ImageCommand::Save(a) => save::run(ctx, a),
        ImageCommand::Load(a) => load::run(ctx, a),
        ImageCommand::Import(a) => import::run(ctx, a, &mut io::stdout().lock()),
    }
}
