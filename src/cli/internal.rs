//! Hidden subcommands berth runs for itself (docs generation, shim, cleanup).

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum InternalCommand {
    /// Write shell completions and man pages generated from the command tree
    GenDocs(GenDocsArgs),
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
