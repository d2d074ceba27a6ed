//! Hidden subcommands berth runs for itself (docs generation, shim, cleanup).

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum InternalCommand {
    /// Write shell completions and man pages generated from the command tree
    GenDocs(GenDocsArgs),
    /// Monitor one container: detach, run the OCI runtime, keep its stdio,
    /// log, serve attach clients, record the exit (started by berth itself)
    Shim(ShimArgs),
    /// Remove a `--rm` container after it exited (run by its shim)
    Cleanup(CleanupArgs),
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
    /// Container ID (also the runtime's container id)
    #[arg(long)]
    pub id: String,
    /// OCI bundle directory (holds config.json)
    #[arg(long, value_name = "DIR")]
    pub bundle: PathBuf,
    /// Per-container state directory (<state-root>/containers/<id>)
    #[arg(long, value_name = "DIR")]
    pub state_dir: PathBuf,
    /// OCI runtime binary
    #[arg(long, default_value = "runc", value_name = "BIN")]
    pub runtime: PathBuf,
    /// State directory of the OCI runtime (its --root)
    #[arg(long, value_name = "DIR")]
    pub runtime_root: PathBuf,
    /// Give the container a pseudo-terminal
    #[arg(long)]
    pub tty: bool,
    /// Keep the container's stdin open for attach clients
    #[arg(long)]
    pub stdin: bool,
    /// Log driver: json-file or none
    #[arg(long, default_value = "json-file", value_name = "DRIVER")]
    pub log_driver: String,
    /// json-file log path
    #[arg(long, value_name = "FILE")]
    pub log_path: Option<PathBuf>,
    /// Rotate the log at this many bytes (0: never) [default: 20 MiB]
    #[arg(long, value_name = "BYTES")]
    pub log_max_size: Option<u64>,
    /// Number of log files kept [default: 5]
    #[arg(long, value_name = "N")]
    pub log_max_file: Option<u32>,
    /// Start the container only after the first attach client connected
    #[arg(long)]
    pub wait_attach: bool,
    /// Run `berth internal cleanup <id>` after the container exits
    #[arg(long)]
    pub rm: bool,
}

#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// Container ID
    pub id: String,
}
