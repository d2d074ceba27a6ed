//! `berth volume ...` definitions.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum VolumeCommand {
    /// Create a volume
    Create(VolumeCreateArgs),
}

#[derive(Debug, Args)]
pub struct VolumeCreateArgs {
    /// Volume name (generated when omitted)
    pub name: Option<String>,
}
