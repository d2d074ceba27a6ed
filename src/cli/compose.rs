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
    /// Execute command in dry run mode
    #[arg(long)]
    pub dry_run: bool,
    #[command(subcommand)]
    pub command: ComposeCommand,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ComposeCommand {
    /// Parse, resolve and render compose file in canonical format
    Config(ComposeConfigArgs),
    // The verbs that find a project's containers by their labels
    // (cmd/compose/<verb>.rs over compose::containers).
    /// List containers
    Ps(ComposePsArgs),
    /// List running compose projects
    Ls(ComposeLsArgs),
    /// View output from containers
    Logs(ComposeLogsArgs),
    /// Force stop service containers
    Kill(ComposeKillArgs),
    /// Removes stopped service containers
    Rm(ComposeRmArgs),
    /// Pause services
    Pause(ComposeServicesArgs),
    /// Unpause services
    Unpause(ComposeServicesArgs),
    /// Display the running processes
    Top(ComposeServicesArgs),
    /// Print the public port for a port binding
    Port(ComposePortArgs),
    /// List images used by the created containers
    Images(ComposeImagesArgs),
    /// Block until containers of all (or specified) services stop.
    Wait(ComposeWaitArgs),
    /// Receive real time events from containers
    Events(ComposeEventsArgs),
    /// Execute a command in a running container
    Exec(ComposeExecArgs),
    /// Copy files/folders between a service container and the local filesystem
    Cp(ComposeCpArgs),
    /// Show the Docker Compose version information
    Version(ComposeVersionArgs),
    /// Pull service images
    Pull(ComposePullArgs),
    /// Build or rebuild services
    Build(ComposeBuildArgs),
    /// Create and start containers
    Up(ComposeUpArgs),
    /// Stop and remove containers, networks
    Down(ComposeDownArgs),
    /// Creates containers for a service
    Create(ComposeCreateArgs),
    /// Start services
    Start(ComposeServicesArgs),
    /// Stop services
    Stop(ComposeStopArgs),
    /// Restart service containers
    Restart(ComposeRestartArgs),
    /// Run a one-off command on a service
    Run(ComposeRunArgs),
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
    /// Check what berth supports of each service key: supported, partial,
    /// ignored or rejected (exits 1 unless everything is supported)
    #[arg(long)]
    pub check: bool,
    /// Save to file (default to stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Services to render (and what they depend on)
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposePsArgs {
    /// Show all stopped containers (including those created by the run command)
    #[arg(short, long)]
    pub all: bool,
    /// Only display IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Display services
    #[arg(long)]
    pub services: bool,
    /// Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// Filter services by a property (supported filters: status)
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
    /// Format the output. Values: [table | json | TEMPLATE]
    #[arg(long)]
    pub format: Option<String>,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Include orphaned services (not declared by project)
    #[arg(long, default_value = "true", action = clap::ArgAction::Set, value_name = "BOOL")]
    pub orphans: bool,
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeLsArgs {
    /// Show all stopped Compose projects
    #[arg(short, long)]
    pub all: bool,
    /// Only display project names
    #[arg(short, long)]
    pub quiet: bool,
    /// Filter output based on conditions provided
    #[arg(long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Format the output. Values: [table | json]
    #[arg(long, default_value = "table")]
    pub format: String,
}

#[derive(Debug, Args)]
pub struct ComposeLogsArgs {
    /// Follow log output
    #[arg(short, long)]
    pub follow: bool,
    /// index of the container if service has multiple replicas
    #[arg(long, default_value_t = 0)]
    pub index: i64,
    /// Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)
    #[arg(long)]
    pub since: Option<String>,
    /// Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)
    #[arg(long)]
    pub until: Option<String>,
    /// Produce monochrome output
    #[arg(long)]
    pub no_color: bool,
    /// Don't print prefix in logs
    #[arg(long)]
    pub no_log_prefix: bool,
    /// Show timestamps
    #[arg(short, long)]
    pub timestamps: bool,
    /// Number of lines to show from the end of the logs for each container
    #[arg(short = 'n', long, default_value = "all")]
    pub tail: String,
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeKillArgs {
    /// Remove containers for services not defined in the Compose file
    #[arg(long)]
    pub remove_orphans: bool,
    /// SIGNAL to send to the container
    #[arg(short, long, default_value = "SIGKILL")]
    pub signal: String,
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeRmArgs {
    /// Don't ask to confirm removal
    #[arg(short, long)]
    pub force: bool,
    /// Stop the containers, if required, before removing
    #[arg(short, long)]
    pub stop: bool,
    /// Remove any anonymous volumes attached to containers
    #[arg(short, long)]
    pub volumes: bool,
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeServicesArgs {
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposePortArgs {
    /// tcp or udp
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Index of the container if service has multiple replicas
    #[arg(long, default_value_t = 0)]
    pub index: i64,
    pub service: String,
    pub private_port: String,
}

#[derive(Debug, Args)]
pub struct ComposeImagesArgs {
    /// Format the output. Values: [table | json]
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Only display IDs
    #[arg(short, long)]
    pub quiet: bool,
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeWaitArgs {
    /// Drops project when the first container stops
    #[arg(long)]
    pub down_project: bool,
    #[arg(required = true)]
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeEventsArgs {
    /// Output events as a stream of json objects
    #[arg(long)]
    pub json: bool,
    /// Show all events created since timestamp
    #[arg(long)]
    pub since: Option<String>,
    /// Stream events until this timestamp
    #[arg(long)]
    pub until: Option<String>,
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
#[command(trailing_var_arg = true)]
pub struct ComposeExecArgs {
    /// Detached mode: Run command in the background
    #[arg(short, long)]
    pub detach: bool,
    /// Set environment variables
    #[arg(short, long, value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Index of the container if service has multiple replicas
    #[arg(long, default_value_t = 0)]
    pub index: i64,
    /// Give extended privileges to the process
    #[arg(long)]
    pub privileged: bool,
    /// Run the command as this user
    #[arg(short, long)]
    pub user: Option<String>,
    /// Disable pseudo-TTY allocation. By default 'compose exec' allocates a TTY.
    #[arg(short = 'T', long)]
    pub no_tty: bool,
    /// Path to workdir directory for this command
    #[arg(short, long)]
    pub workdir: Option<String>,
    pub service: String,
    #[arg(required = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeCpArgs {
    /// Index of the container if service has multiple replicas
    #[arg(long, default_value_t = 0)]
    pub index: i64,
    /// Include containers created by the run command
    #[arg(long)]
    pub all: bool,
    /// Always follow symbol link in SRC_PATH
    #[arg(short = 'L', long)]
    pub follow_link: bool,
    /// Archive mode (copy all uid/gid information)
    #[arg(short = 'a', long)]
    pub archive: bool,
    pub source: String,
    pub dest: String,
}

#[derive(Debug, Args)]
pub struct ComposeVersionArgs {
    /// Format the output. Values: [pretty | json]. (Default: pretty)
    #[arg(short, long)]
    pub format: Option<String>,
    /// Shows only Compose's version number
    #[arg(long)]
    pub short: bool,
}

#[derive(Debug, Args)]
pub struct ComposePullArgs {
    /// Pull without printing progress information
    #[arg(short, long)]
    pub quiet: bool,
    /// Also pull services declared as dependencies
    #[arg(long)]
    pub include_deps: bool,
    /// Pull what it can and ignores images with pull failures
    #[arg(long)]
    pub ignore_pull_failures: bool,
    /// Ignore images that can be built
    #[arg(long)]
    pub ignore_buildable: bool,
    /// Apply pull policy ("missing"|"always")
    #[arg(long)]
    pub policy: Option<String>,
    pub service: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeBuildArgs {
    /// Do not use cache when building the image
    #[arg(long)]
    pub no_cache: bool,
    /// Always attempt to pull a newer version of the image
    #[arg(long)]
    pub pull: bool,
    /// Set build-time variables for services
    #[arg(long, value_name = "KEY=VALUE")]
    pub build_arg: Vec<String>,
    /// Don't print anything to STDOUT
    #[arg(short, long)]
    pub quiet: bool,
    /// Also build dependencies (transitively)
    #[arg(long)]
    pub with_dependencies: bool,
    /// Services to build (all when none is named)
    pub services: Vec<String>,
}

// `up` and `create` share these.
#[derive(Debug, Args, Default)]
pub struct ComposeCreateArgs {
    /// Recreate containers even if their configuration and image haven't changed
    #[arg(long)]
    pub force_recreate: bool,
    /// If containers already exist, don't recreate them. Incompatible with --force-recreate.
    #[arg(long)]
    pub no_recreate: bool,
    /// Remove containers for services not defined in the Compose file
    #[arg(long)]
    pub remove_orphans: bool,
    /// Scale SERVICE to NUM instances (SERVICE=NUM); overrides `scale` in the file
    #[arg(long, value_name = "SERVICE=NUM")]
    pub scale: Vec<String>,
    /// Pull image before running ("always"|"missing"|"never")
    #[arg(long, value_name = "POLICY")]
    pub pull: Option<String>,
    /// Pull without printing progress information
    #[arg(long)]
    pub quiet_pull: bool,
    /// Build images before starting containers
    #[arg(long)]
    pub build: bool,
    /// Don't build an image, even if it's policy
    #[arg(long)]
    pub no_build: bool,
    /// Refuse a file that uses anything berth does not fully support
    #[arg(long)]
    pub strict: bool,
    /// Services to act on (and what they depend on)
    pub services: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeUpArgs {
    #[command(flatten)]
    pub create: ComposeCreateArgs,
    /// Detached mode: Run containers in the background
    #[arg(short, long)]
    pub detach: bool,
    /// Wait for services to be running|healthy. Implies detached mode.
    #[arg(long)]
    pub wait: bool,
    /// Maximum duration in seconds to wait for the project to be running|healthy
    #[arg(long, value_name = "SECONDS")]
    pub wait_timeout: Option<u64>,
    /// Don't start linked services
    #[arg(long)]
    pub no_deps: bool,
    /// Don't start the services after creating them
    #[arg(long)]
    pub no_start: bool,
    /// Use this timeout in seconds for container shutdown when attached or when containers are already running
    #[arg(short = 't', long, value_name = "SECONDS")]
    pub timeout: Option<i64>,
    /// Stops all containers if any container was stopped. Incompatible with -d
    #[arg(long)]
    pub abort_on_container_exit: bool,
    /// Stops all containers if any container exited with failure. Incompatible with -d
    #[arg(long)]
    pub abort_on_container_failure: bool,
    /// Return the exit code of the selected service container. Implies --abort-on-container-exit
    #[arg(long, value_name = "SERVICE")]
    pub exit_code_from: Option<String>,
    /// Produce monochrome output
    #[arg(long)]
    pub no_color: bool,
    /// Don't print prefix in logs
    #[arg(long)]
    pub no_log_prefix: bool,
    /// Recreate anonymous volumes instead of retrieving data from the previous containers
    #[arg(short = 'V', long)]
    pub renew_anon_volumes: bool,
    /// Recreate dependent containers. Incompatible with --no-recreate.
    #[arg(long)]
    pub always_recreate_deps: bool,
    /// Restrict attaching to the specified services. Incompatible with --attach-dependencies.
    #[arg(long, value_name = "SERVICE")]
    pub attach: Vec<String>,
    /// Do not attach (stream logs) to the specified services
    #[arg(long, value_name = "SERVICE")]
    pub no_attach: Vec<String>,
    /// Automatically attach to log output of dependent services
    #[arg(long)]
    pub attach_dependencies: bool,
    /// Show timestamps
    #[arg(long)]
    pub timestamps: bool,
    /// Enable interactive shortcuts when running attached (not supported by berth: only --menu=false is accepted)
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub menu: Option<bool>,
    /// Watch source code and rebuild/refresh containers when files are updated (not supported by berth)
    #[arg(short = 'w', long)]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct ComposeDownArgs {
    /// Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers
    #[arg(short, long)]
    pub volumes: bool,
    /// Remove images used by services. "local" remove only images that don't have a custom tag ("local"|"all")
    #[arg(long, value_name = "TYPE")]
    pub rmi: Option<String>,
    /// Remove containers for services not defined in the Compose file
    #[arg(long)]
    pub remove_orphans: bool,
    /// Specify a shutdown timeout in seconds
    #[arg(short = 't', long, value_name = "SECONDS")]
    pub timeout: Option<i64>,
    /// Services to stop and remove
    pub services: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeStopArgs {
    /// Specify a shutdown timeout in seconds
    #[arg(short = 't', long, value_name = "SECONDS")]
    pub timeout: Option<i64>,
    /// Services to stop (all when none is named)
    pub services: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeRestartArgs {
    /// Specify a shutdown timeout in seconds
    #[arg(short = 't', long, value_name = "SECONDS")]
    pub timeout: Option<i64>,
    /// Don't restart dependent services
    #[arg(long)]
    pub no_deps: bool,
    /// Services to restart (all when none is named)
    pub services: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ComposeRunArgs {
    /// Run container in background and print container ID
    #[arg(short, long)]
    pub detach: bool,
    /// Automatically remove the container when it exits
    #[arg(long)]
    pub rm: bool,
    /// Set environment variables
    #[arg(short = 'e', long = "env", value_name = "KEY=VAL")]
    pub env: Vec<String>,
    /// Override the entrypoint of the image
    #[arg(long, value_name = "CMD")]
    pub entrypoint: Option<String>,
    /// Don't start linked services
    #[arg(long)]
    pub no_deps: bool,
    /// Remove containers for services not defined in the Compose file
    #[arg(long)]
    pub remove_orphans: bool,
    /// Run command with all service's ports enabled and mapped to the host
    #[arg(long)]
    pub service_ports: bool,
    /// Publish a container's port(s) to the host
    #[arg(short = 'p', long = "publish", value_name = "PORT")]
    pub publish: Vec<String>,
    /// Disable pseudo-TTY allocation (default: auto-detected)
    #[arg(short = 'T', long = "no-TTY")]
    pub no_tty: bool,
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,
    /// Run as specified username or uid
    #[arg(short, long)]
    pub user: Option<String>,
    /// Working directory inside the container
    #[arg(short, long)]
    pub workdir: Option<String>,
    /// The service to run
    pub service: String,
    /// The command and its arguments
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}
