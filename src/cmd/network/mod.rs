//! Network verbs: `network create | ls | inspect | rm | prune`, over `network::store` (which
//! validates, picks subnets, writes conflists and deletes bridges), and
//! `connect | disconnect` over `container::netconnect`. Output and error
//! wording follow docker-cli.

pub mod connect;
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
        NetworkCommand::Connect(a) => connect::run_connect(ctx, a),
        NetworkCommand::Disconnect(a) => connect::run_disconnect(ctx, a),
    }
}
