//! `berth compose ...`: the project options turned into
//! `compose::project::LoadOptions`, then the verb. Loading prints compose's
//! warnings (`WARN[0000] ...`) on stderr.

pub mod config;

use crate::cli::compose::{ComposeArgs, ComposeCommand};
use crate::compose::project::{self, LoadOptions, Project};

pub fn run(args: ComposeArgs) -> anyhow::Result<u8> {
    let base = LoadOptions {
        files: args.file,
        project_directory: args.project_directory,
        project_name: args.project_name,
        env_files: args.env_file,
        profiles: args.profile,
        services: Vec::new(),
        interpolate: true,
        normalize: true,
        resolve_paths: true,
    };
    match args.command {
        ComposeCommand::Config(a) => config::run(base, a, &mut std::io::stdout().lock()),
    }
}

/// Loads the project for a verb, from this process's directory,
/// environment and stdin, and prints the load's warnings.
pub fn load(opts: &LoadOptions) -> anyhow::Result<Project> {
    let mut read_stdin = || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        Ok(s)
    };
    let mut host = project::Host {
        cwd: std::env::current_dir()?,
        environ: std::env::vars().collect(),
        stdin: &mut read_stdin,
    };
    let p = project::load(opts, &mut host)?;
    crate::debug::debug!(
        "compose project {} in {}, files {:?}",
        p.name,
        p.working_dir.display(),
        p.config_files
    );
    for w in &p.warnings {
        eprintln!("WARN[0000] {w}");
    }
    Ok(p)
}
