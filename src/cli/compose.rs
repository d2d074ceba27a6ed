//! `berth compose ...` definitions: the project options every compose
//! command takes, then the verb.

use clap::{Args, Subcommand};
use std::path::PathBuf;

/// Define and run multi-container applications (compose-spec)
#[derive(Debug, Args)]
pub struct ComposeArgs {
    /// Compose configuration files ("-" for standard input); repeatable
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Vec<String>,
    /// Project name
    #[arg(short = 'p', long)]
    pub project_name: Option<String>,
    /// Alternate working directory (default: the directory of the first compose file)
    #[arg(long, value_name = "DIR")]
    pub project_directory: Option<PathBuf>,
    /// Alternate environment file; repeatable
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Profile to enable; repeatable
    #[arg(long, value_name = "NAME")]
    pub profile: Vec<String>,
    #[command(subcommand)]
    pub command: ComposeCommand,
}

#[derive(Debug, Subcommand)]
pub enum ComposeCommand {
    /// Parse, resolve and render compose file in canonical format
    Config(ComposeConfigArgs),
}

#[derive(Debug, Args)]
pub struct ComposeConfigArgs {
    /// Format the output. Values: [yaml | json]
    #[arg(long, default_value = "yaml")]
    pub format: String,
    /// Only validate the configuration, don't print anything
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the service names, one per line
    #[arg(long)]
    pub services: bool,
    /// Print the volume names, one per line
    #[arg(long)]
    pub volumes: bool,
    /// Print the network names, one per line
    #[arg(long)]
    pub networks: bool,
    /// Print the image names, one per line
    #[arg(long)]
    pub images: bool,
    /// Print the profile names, one per line
    #[arg(long)]
    pub profiles: bool,
    /// Print the model variables and default values
    #[arg(long)]
    pub variables: bool,
    /// Print the environment used for interpolation
    #[arg(long)]
    pub environment: bool,
    /// Print the service config hash, one per line ("*" for every service, or SERVICE,...)
    #[arg(long, value_name = "SERVICES")]
    pub hash: Option<String>,
    /// Don't interpolate environment variables
    #[arg(long)]
    pub no_interpolate: bool,
    /// Don't normalize compose model
    #[arg(long)]
    pub no_normalize: bool,
    /// Don't resolve file paths
    #[arg(long)]
    pub no_path_resolution: bool,
    /// Save to file (default to stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Services to render (and what they depend on)
    pub service: Vec<String>,
}
