//! `build`, `image build`, `builder build` and `builder prune`.

use clap::{ArgAction, Args, Subcommand};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The build context: a directory, or `-` to read a Dockerfile or a
    /// tar archive (plain or gzip) from STDIN
    #[arg(value_name = "PATH | -")]
    pub context: String,
    /// Name of the Dockerfile (default: PATH/Dockerfile; `-` reads it from STDIN)
    #[arg(short, long)]
    pub file: Option<String>,
    /// Name and optionally a tag in the "name:tag" format
    #[arg(short, long)]
    pub tag: Vec<String>,
    /// Set build-time variables (KEY=VALUE, or KEY to take it from the environment)
    #[arg(long)]
    pub build_arg: Vec<String>,
    /// Set the target build stage to build
    #[arg(long)]
    pub target: Option<String>,
    /// Set metadata for an image
    #[arg(long)]
    pub label: Vec<String>,
    /// Do not use cache when building the image
    #[arg(long)]
    pub no_cache: bool,
    /// Always attempt to pull a newer version of the base images
    #[arg(long)]
    pub pull: bool,
    /// Suppress the build output and print image ID on success
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the image ID to the file
    #[arg(long)]
    pub iidfile: Option<std::path::PathBuf>,
    /// Set platform if server is multi-platform capable (the host's only)
    #[arg(long)]
    pub platform: Option<String>,
    /// Set the networking mode for the RUN instructions during build
    /// (default, none or host)
    #[arg(long, default_value = "default")]
    pub network: String,
    /// Set type of progress output (auto, tty: the classic builder's step
    /// lines on stdout; plain: BuildKit's plain lines on stderr)
    #[arg(long, default_value = "auto")]
    pub progress: String,
    /// Add a custom host-to-IP mapping (host:ip)
    #[arg(long)]
    pub add_host: Vec<String>,
    /// Size of /dev/shm of the RUN containers
    #[arg(long)]
    pub shm_size: Option<String>,
    /// Ulimit options of the RUN containers
    #[arg(long)]
    pub ulimit: Vec<String>,
    /// Remove intermediate containers after a successful build (berth
    /// always removes them; --rm=false is refused)
    #[arg(long, default_value = "true", action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub rm: bool,
    /// Always remove intermediate containers (berth always does)
    #[arg(long)]
    pub force_rm: bool,
    /// Secret to expose to the build (not supported by berth)
    #[arg(long, hide = true)]
    pub secret: Vec<String>,
    /// SSH agent socket or keys to expose to the build (not supported by berth)
    #[arg(long, hide = true)]
    pub ssh: Vec<String>,
    /// Output destination (not supported by berth: the image goes to the store)
    #[arg(short, long, hide = true)]
    pub output: Vec<String>,
    /// External cache sources (not supported by berth)
    #[arg(long, hide = true)]
    pub cache_from: Vec<String>,
    /// Cache export destinations (not supported by berth)
    #[arg(long, hide = true)]
    pub cache_to: Vec<String>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum BuilderCommand {
    /// Build an image from a Dockerfile
    Build(Box<BuildArgs>),
    /// Remove build cache
    Prune(BuilderPruneArgs),
}

#[derive(Debug, Args)]
pub struct BuilderPruneArgs {
    /// Remove all unused build cache, not just dangling ones (berth's
    /// cache entries are all unused between builds, so both remove all)
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Provide filter values (e.g. "until=24h")
    #[arg(long)]
    pub filter: Vec<String>,
    /// Amount of disk space to keep for cache
    #[arg(long)]
    pub keep_storage: Option<String>,
}
