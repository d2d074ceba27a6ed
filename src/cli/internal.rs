//! Hidden subcommands berth runs for itself (docs generation, shim, cleanup).

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum InternalCommand {
    /// Write shell completions and man pages generated from the command tree
    GenDocs(GenDocsArgs),
    /// Monitor one container as its shim.json says: detach, run the OCI
    /// runtime, keep its stdio, log, serve attach and control clients,
    /// restart it per its policy, publish its state (started by berth itself)
    Shim(ShimArgs),
    /// Remove a `--rm` container after it exited (run by its shim)
    Cleanup(CleanupArgs),
    /// Ask a running shim for its state, or change its restart policy;
    /// prints the state it replies with as JSON
    ShimControl(ShimControlArgs),
    /// Serve names on one user network as its name server (started by
    /// berth itself when the first container joins the network)
    Dns(DnsArgs),
}

#[derive(Debug, Args)]
pub struct DnsArgs {
    /// The server's state directory (<state-root>/dns/<network-id>) holding
    /// the records.json written by berth
    #[arg(value_name = "STATE_DIR")]
    pub state_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct GenDocsArgs {
    /// Directory for completions (bash, zsh, fish)
    #[arg(long, default_value = "completions")]
    pub completions: PathBuf,
    /// Directory for man pages
    #[arg(long, default_value = "man")]
    pub man: PathBuf,
}

#[derive(Debug, Args)]
pub struct ShimArgs {
    /// Per-container state directory (<state-root>/containers/<id>) holding
    /// the shim.json written by berth
    #[arg(value_name = "STATE_DIR")]
    pub state_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ShimControlArgs {
    /// Per-container state directory (<state-root>/containers/<id>)
    #[arg(value_name = "STATE_DIR")]
    pub state_dir: PathBuf,
    /// Set the restart policy: no, always, unless-stopped, on-failure[:N]
    #[arg(long, value_name = "POLICY")]
    pub restart: Option<String>,
}

#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// Container ID
    pub id: String,
}
