//! `berth system`: host-level commands.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum SystemCommand {
    /// Start the containers whose restart policy asks for it after a host
    /// restart (always; unless-stopped ones not stopped by the user;
    /// on-failure ones that failed, not by the user, with retries left);
    /// run once at boot, a second run in the same boot does nothing
    Restore,
    /// Install the boot service that runs `berth system restore`: a systemd
    /// unit on a host booted with systemd, else a SysV init script
    InstallRestore(InstallRestoreArgs),
    /// Display system-wide information
    Info(InfoArgs),
    /// Show docker disk usage
    Df(DfArgs),
    /// Remove unused data
    Prune(SystemPruneArgs),
    /// Check the host for what containers need, and say how to fix it
    /// (same as `berth doctor`)
    Check(DoctorArgs),
    /// Get real time events from the server
    Events(EventsArgs),
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Format output using a custom template: 'json' prints in JSON format,
    /// 'TEMPLATE' prints output using the given Go template
    #[arg(short, long, value_name = "string")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Format output using a custom template: 'json' prints in JSON format,
    /// 'TEMPLATE' prints output using the given Go template
    #[arg(short, long, value_name = "string")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct DfArgs {
    /// Show detailed information on space usage
    #[arg(short, long)]
    pub verbose: bool,
    /// Format output using a custom template: 'table', 'table TEMPLATE',
    /// 'json' or 'TEMPLATE'
    #[arg(long, value_name = "string")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct SystemPruneArgs {
    /// Remove all unused images not just dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Provide filter values (e.g. 'label=<key>=<value>')
    #[arg(long, value_name = "filter")]
    pub filter: Vec<String>,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Prune anonymous volumes
    #[arg(long)]
    pub volumes: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Remove the state removed containers left behind (mounts, network
    /// namespaces, CNI attachments, IPAM leases and iptables rules, shim
    /// and runtime state, cgroups, bundles, snapshots)
    #[arg(long)]
    pub fix: bool,
    /// Output format: 'json' for a JSON array of checks
    #[arg(long, value_name = "string")]
    pub format: Option<String>,
}

// `events` and `system events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Filter output based on conditions provided
    #[arg(short = 'f', long = "filter", value_name = "filter")]
    pub filter: Vec<String>,
    /// Format output using a custom template:
    /// 'json':             Print in JSON format
    /// 'TEMPLATE':         Print output using the given Go template
    #[arg(long, value_name = "string", verbatim_doc_comment)]
    pub format: Option<String>,
    /// Show all events created since timestamp
    #[arg(long, value_name = "string")]
    pub since: Option<String>,
    /// Stream events until this timestamp
    #[arg(long, value_name = "string")]
    pub until: Option<String>,
}

#[derive(Debug, Args)]
pub struct InstallRestoreArgs {
    /// Init system to install for: systemd or sysv [default: detected]
    #[arg(long, value_name = "INIT")]
    pub init: Option<String>,
    /// Install under this root directory instead of / (for images and tests;
    /// the init system is not told)
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
}
