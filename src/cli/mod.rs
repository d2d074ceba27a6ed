//! Command-line definitions only: clap derive structs whose doc comments are
//! the help text. Nothing here validates beyond what clap does; `cmd/` turns
//! these into typed options.
//!
//! Every subcommand enum is `#[command(defer = true)]`: clap then builds a
//! subcommand's arguments only when that subcommand is parsed (or its help,
//! completions or man page rendered), instead of the whole tree of ~200
//! commands at every start. That halves berth's start-up CPU (2.3 → 1.5 ms
//! task-clock for `--version`), paid by every CLI call and every shim. A
//! struct that a variant wraps or flattens must not carry a `///` doc comment:
//! with deferral it would replace the variant's about line.

pub mod build;
pub mod compose;
pub mod container;
pub mod image;
pub mod internal;
pub mod network;
pub mod system;
pub mod volume;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// A daemonless, Docker-compatible container CLI.
#[derive(Debug, Parser)]
#[command(
    name = "berth",
    version,
    disable_version_flag = true,
    disable_help_subcommand = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
    /// Print version information and quit
    #[arg(short = 'v', long = "version", action = clap::ArgAction::Version)]
    pub version: Option<bool>,
}

/// Options every command accepts. Each can also be set in the config file
/// and by an environment variable; the flag wins over the variable, which wins
/// over the file.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Root directory of persistent data (images, containers, volumes)
    #[arg(long, global = true, env = "BERTH_DATA_ROOT", value_name = "DIR")]
    pub data_root: Option<PathBuf>,
    /// Root directory of runtime state (shim sockets, locks); should be on tmpfs
    #[arg(long, global = true, env = "BERTH_STATE_ROOT", value_name = "DIR")]
    pub state_root: Option<PathBuf>,
    /// Config file (TOML) [default: /etc/berth/berth.toml]
    #[arg(long, global = true, env = "BERTH_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print debug messages
    #[arg(long, global = true, env = "BERTH_DEBUG")]
    pub debug: bool,
    /// Registry host (host[:port]) to reach over plain HTTP; repeatable
    #[arg(
        long,
        global = true,
        env = "BERTH_INSECURE_REGISTRY",
        value_delimiter = ',',
        value_name = "HOST"
    )]
    pub insecure_registry: Vec<String>,
    /// Directory of per-registry hosts.toml files (containerd certs.d layout)
    #[arg(long, global = true, env = "BERTH_HOSTS_DIR", value_name = "DIR")]
    pub hosts_dir: Option<PathBuf>,
    /// OCI runtime binary for containers, given before the command (name on PATH or a path) [default: runc]
    #[arg(long, env = "BERTH_RUNTIME", value_name = "BIN")]
    pub runtime: Option<String>,
    /// Directories of CNI plugin binaries, ':'-separated [default: /usr/lib/cni:/opt/cni/bin]
    #[arg(long, global = true, env = "CNI_PATH", value_name = "DIRS")]
    pub cni_path: Option<String>,
    /// Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]
    #[arg(long, global = true, env = "NETCONFPATH", value_name = "DIR")]
    pub cni_netconfpath: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Create and run a new container from an image
    Run(container::RunArgs),
    /// Create a new container
    Create(container::CreateCmdArgs),
    /// Start one or more stopped containers
    Start(container::StartArgs),
    /// Stop one or more running containers
    Stop(container::StopArgs),
    /// Restart one or more containers
    Restart(container::StopArgs),
    /// Kill one or more running containers
    Kill(container::KillArgs),
    /// Remove one or more containers
    Rm(container::RmArgs),
    /// List containers
    Ps(container::PsArgs),
    /// Fetch the logs of a container
    Logs(container::LogsArgs),
    /// Execute a command in a running container
    Exec(container::ExecArgs),
    /// Attach local standard input, output, and error streams to a running container
    Attach(container::AttachArgs),
    /// Block until one or more containers stop, then print their exit codes
    Wait(container::WaitArgs),
    /// Display the running processes of a container
    Top(container::TopArgs),
    /// Pause all processes within one or more containers
    Pause(container::ContainersArgs),
    /// Unpause all processes within one or more containers
    Unpause(container::ContainersArgs),
    /// Rename a container
    Rename(container::RenameArgs),
    /// Copy files/folders between a container and the local filesystem
    Cp(container::CpArgs),
    /// Inspect changes to files or directories on a container's filesystem
    Diff(container::ContainersArgs1),
    /// Display a live stream of container(s) resource usage statistics
    Stats(container::StatsArgs),
    /// List port mappings or a specific mapping for the container
    Port(container::PortArgs),
    /// Update configuration of one or more containers
    Update(container::UpdateArgs),
    /// Export a container's filesystem as a tar archive
    Export(container::ExportArgs),
    /// Create a new image from a container's changes
    Commit(container::CommitArgs),
    /// Manage containers
    #[command(subcommand)]
    Container(container::ContainerCommand),
    /// Download an image from a registry
    Pull(image::PullArgs),
    /// Upload an image to a registry
    Push(image::PushArgs),
    /// Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
    Tag(image::TagArgs),
    /// List images
    Images(image::ListArgs),
    /// Remove one or more images
    Rmi(image::RemoveArgs),
    /// Show the history of an image
    History(image::HistoryArgs),
    /// Import the contents from a tarball to create a filesystem image
    Import(image::ImportArgs),
    /// Return low-level information on objects
    Inspect(image::InspectArgs),
    /// Save one or more images to a tar archive (streamed to STDOUT by default)
    Save(image::SaveArgs),
    /// Load an image from a tar archive or STDIN
    Load(image::LoadArgs),
    /// Log in to a registry
    Login(image::LoginArgs),
    /// Log out from a registry
    Logout(image::LogoutArgs),
    /// Build an image from a Dockerfile
    Build(build::BuildArgs),
    /// Manage builds
    #[command(subcommand)]
    Builder(build::BuilderCommand),
    /// Manage images
    #[command(subcommand)]
    Image(image::ImageCommand),
    /// Manage networks
    #[command(subcommand)]
    Network(network::NetworkCommand),
    /// Manage volumes
    #[command(subcommand)]
    Volume(volume::VolumeCommand),
    /// Manage berth on this host
    #[command(subcommand)]
    System(system::SystemCommand),
    /// Define and run multi-container applications (compose-spec)
    Compose(compose::ComposeArgs),
    /// Get real time events from the server
    Events(system::EventsArgs),
    /// Show the berth version information
    ///
    /// berth has no server: it is one program, run once per command, with
    /// no daemon. The Client section describes this binary. The Server
    /// section describes what runs containers for it: this binary (and its
    /// shim) and the OCI runtime, each a component with its version; its
    /// Version (`{{.Server.Version}}`) is the Docker Engine release whose
    /// command-line behaviour berth follows, so scripts and tools that read
    /// it or gate features on it keep working.
    Version(system::VersionArgs),
    /// Display system-wide information
    Info(system::InfoArgs),
    /// Check the host for what containers need, and say how to fix it
    Doctor(system::DoctorArgs),
    /// Commands berth runs for itself
    #[command(subcommand, hide = true)]
    Internal(internal::InternalCommand),
}

/// The parsed command line.
pub struct Parsed {
    pub cli: Cli,
}

pub fn command() -> clap::Command {
    Cli::command()
}

pub fn parse(args: &[OsString]) -> Result<Parsed, clap::Error> {
    let matches = command().try_get_matches_from(args)?;
    let cli = Cli::from_arg_matches(&matches)?;
    Ok(Parsed { cli })
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_tree_is_consistent() {
        super::command().debug_assert();
    }
}
