//! Network verbs: `network create | ls | inspect | rm | prune`, over `network::store` (which
//! validates, picks subnets, writes conflists and deletes bridges). Output
//! and error wording follow docker-cli; nothing here talks to CNI plugins.

pub mod create;
pub mod inspect;
pub mod list;
pub mod prune;
pub mod remove;

use crate::cli::network::NetworkCommand;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run_group(ctx: &Context, cmd: NetworkCommand) -> Result<u8> {
    match cmd {
        NetworkCommand::Create(a) => create::run(ctx, a),
        NetworkCommand::Ls(a) => list::run(ctx, a),
        NetworkCommand::Inspect(a) => inspect::run(ctx, a),
        NetworkCommand::Rm(a) => remove::run(ctx, a),
        NetworkCommand::Prune(a) => prune::run(ctx, a),
    }
}
