//! `berth volume ...` definitions.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum VolumeCommand {
    /// Create a volume
    Create(VolumeCreateArgs),
    /// List volumes
    #[command(visible_alias = "list")]
    Ls(VolumeListArgs),
    /// Display detailed information on one or more volumes
    Inspect(VolumeInspectArgs),
    /// Remove one or more volumes
    #[command(visible_alias = "remove")]
    Rm(VolumeRemoveArgs),
    /// Remove unused local volumes
    Prune(VolumePruneArgs),
}

#[derive(Debug, Args)]
pub struct VolumeCreateArgs {
    /// Volume name (generated when omitted)
    pub name: Option<String>,
    /// Volume name (same as the positional argument)
    #[arg(long = "name", value_name = "NAME")]
    pub name_flag: Option<String>,
    /// Volume driver (only "local")
    #[arg(short, long, default_value = "local")]
    pub driver: String,
    /// Set metadata for a volume (key=value)
    #[arg(long)]
    pub label: Vec<String>,
    /// Set driver specific options (key=value)
    #[arg(short = 'o', long = "opt", value_name = "OPT")]
    pub opt: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VolumeListArgs {
    /// Only display volume names
    #[arg(short, long)]
    pub quiet: bool,
    /// Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Provide filter values (e.g. 'dangling=true', 'name=x', 'label=k=v', 'driver=local')
    #[arg(short, long)]
    pub filter: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VolumeInspectArgs {
    /// Volumes to inspect
    #[arg(required = true, value_name = "VOLUME")]
    pub volumes: Vec<String>,
    /// Format output using a custom template: 'json' or a Go template
    #[arg(short, long)]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct VolumeRemoveArgs {
    /// Volumes to remove
    #[arg(required = true, value_name = "VOLUME")]
    pub volumes: Vec<String>,
    /// Do not fail for volumes that do not exist
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct VolumePruneArgs {
    /// Remove all unused volumes, not just anonymous ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Provide filter values (e.g. 'label=<key>=<value>', 'label!=<key>', 'all=true')
    #[arg(long)]
    pub filter: Vec<String>,
}
