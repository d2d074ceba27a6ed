//! `berth compose ...`: the project options turned into
//! `compose::project::LoadOptions`, then the verb. Loading prints compose's
//! warnings (`WARN[0000] ...`) on stderr.

pub mod attach;
pub mod build;
pub mod config;
pub mod cp;
pub mod down;
pub mod engine;
pub mod events;
pub mod exec;
pub mod images;
pub mod kill;
pub mod logs;
pub mod ls;
pub mod oneoff;
pub mod pause;
pub mod port;
pub mod printer;
pub mod progress;
pub mod ps;
pub mod pull;
pub mod rm;
pub mod top;
pub mod up;
pub mod version;
pub mod wait;

use crate::cli::compose::{ComposeArgs, ComposeCommand};
use crate::cli::GlobalArgs;
use crate::cmd::context::Context;
use crate::compose::project::{self, LoadOptions, Project};

pub fn run(args: ComposeArgs, global: &GlobalArgs) -> anyhow::Result<u8> {
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
    let dry = args.dry_run;
    match args.command {
        ComposeCommand::Config(a) => config::run(base, a, &mut std::io::stdout().lock()),
        ComposeCommand::Version(a) => version::run(a, &mut std::io::stdout().lock()),
        ComposeCommand::Build(a) => build::run(&context(global)?, base, a, dry),
        ComposeCommand::Up(a) => up::run(&context(global)?, base, a, dry),
        ComposeCommand::Create(a) => up::run_create(&context(global)?, base, a, dry),
        ComposeCommand::Down(a) => down::run_down(&context(global)?, base, a, dry),
        ComposeCommand::Start(a) => down::run_start(&context(global)?, base, a, dry),
        ComposeCommand::Stop(a) => down::run_stop(&context(global)?, base, a, dry),
        ComposeCommand::Restart(a) => down::run_restart(&context(global)?, base, a, dry),
        ComposeCommand::Run(a) => {
            oneoff::run(&context(global)?, base, a, dry, &mut std::io::stdout())
        }
        c => run_labelled(base, c, global, dry),
    }
}

/// The data root, for the verbs that run the model.
fn context(global: &GlobalArgs) -> anyhow::Result<Context> {
    let ctx = Context::new(global)?;
    crate::debug::enable(ctx.settings.debug);
    Ok(ctx)
}

/// The verbs that work on a project's containers through their labels;
/// they open the data root. Those that change something honour
/// `--dry-run` as compose's dry-run client does; the others only read.
fn run_labelled(
    base: LoadOptions,
    c: ComposeCommand,
    global: &GlobalArgs,
    dry: bool,
) -> anyhow::Result<u8> {
    let ctx = Context::new(global)?;
    crate::debug::enable(ctx.settings.debug);
    let out = &mut std::io::stdout();
    match c {
        ComposeCommand::Ps(a) => ps::run(&ctx, &base, a, out),
        ComposeCommand::Ls(a) => ls::run(&ctx, a, out),
        ComposeCommand::Logs(a) => logs::run(&ctx, &base, a, out),
        ComposeCommand::Kill(a) => kill::run(&ctx, &base, a, dry),
        ComposeCommand::Rm(a) => rm::run(&ctx, &base, a, dry),
        ComposeCommand::Pause(a) => pause::run(&ctx, &base, a, true, dry),
        ComposeCommand::Unpause(a) => pause::run(&ctx, &base, a, false, dry),
        ComposeCommand::Top(a) => top::run(&ctx, &base, a, out),
        ComposeCommand::Port(a) => port::run(&ctx, &base, a, out),
        ComposeCommand::Images(a) => images::run(&ctx, &base, a, out),
        ComposeCommand::Wait(a) => wait::run(&ctx, &base, a, out),
        ComposeCommand::Events(a) => events::run(&ctx, &base, a, out),
        ComposeCommand::Exec(a) => exec::run(&ctx, &base, a, dry),
        ComposeCommand::Cp(a) => cp::run(&ctx, &base, a, dry, out),
        ComposeCommand::Pull(a) => pull::run(&ctx, &base, a, dry),
        ComposeCommand::Config(_)
        | ComposeCommand::Version(_)
        | ComposeCommand::Build(_)
        | ComposeCommand::Up(_)
        | ComposeCommand::Create(_)
        | ComposeCommand::Down(_)
        | ComposeCommand::Start(_)
        | ComposeCommand::Stop(_)
        | ComposeCommand::Restart(_)
        | ComposeCommand::Run(_) => unreachable!("handled above"),
    }
}

/// compose's `projectOrName`: with `-p` and no `-f`, only the name (no
/// file is read); otherwise the project is loaded, and when that fails
/// `COMPOSE_PROJECT_NAME` still names it.
pub fn project_or_name(opts: &LoadOptions) -> anyhow::Result<(Option<Project>, String)> {
    if let Some(name) = &opts.project_name {
        if opts.files.is_empty() {
            project::check_project_name(name)?;
            return Ok((None, name.clone()));
        }
    }
    match load(opts) {
        Ok(p) => {
            let name = p.name.clone();
            Ok((Some(p), name))
        }
        Err(e) => match std::env::var("COMPOSE_PROJECT_NAME") {
            Ok(n) if !n.is_empty() => Ok((None, n)),
            _ => Err(e),
        },
    }
}

/// The services a loaded project declares (every profile's).
pub fn service_names(p: &Project) -> Vec<String> {
    p.model
        .as_map()
        .and_then(|m| m.get("services"))
        .and_then(crate::compose::yaml::Node::as_map)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The services a verb acts on, as compose's `ToProject(services)` leaves
/// them: the enabled ones, and those named on the command line (enabled
/// whatever their profiles).
pub fn acting_services(p: &Project, named: &[String]) -> Vec<String> {
    let mut names = service_names(p);
    for n in named {
        if p.declared_services.contains(n) && !names.contains(n) {
            names.push(n.clone());
        }
    }
    names
}

/// compose's check of the SERVICE arguments against a loaded project: a
/// service of a profile not enabled exists (naming it enables it).
pub fn check_services(p: Option<&Project>, services: &[String]) -> anyhow::Result<()> {
    if let Some(p) = p {
        for s in services {
            if !p.declared_services.contains(s) {
                anyhow::bail!("no such service: {s}");
            }
        }
    }
    Ok(())
}

/// The variable that makes `--remove-orphans` the default of `up`,
/// `down`, `kill` and `run`.
pub const REMOVE_ORPHANS: &str = "COMPOSE_REMOVE_ORPHANS";
/// The variable that silences orphans in `up` and `run`.
pub const IGNORE_ORPHANS: &str = "COMPOSE_IGNORE_ORPHANS";

/// A boolean compose variable as compose reads it (Go's
/// `strconv.ParseBool`, anything else false): from the project's
/// environment (the shell over `.env`) when there is one, else the shell.
pub fn env_flag(project: Option<&Project>, name: &str) -> bool {
    let v = match project {
        Some(p) => p.environment.get(name).cloned(),
        None => std::env::var(name).ok(),
    };
    parse_go_bool(v.as_deref().unwrap_or(""))
}

/// Go's `strconv.ParseBool`, an error read as false.
fn parse_go_bool(s: &str) -> bool {
    matches!(s, "1" | "t" | "T" | "true" | "TRUE" | "True")
}

/// One line of compose's plain progress output on stderr
/// (` Container p-web-1  Killing`), after ` DRY-RUN MODE - ` in a dry run.
pub fn progress(dry_run: bool, name: &str, what: &str) {
    eprintln!("{} Container {name}  {what}", dry_prefix(dry_run));
}

/// compose's prefix of a dry run's progress lines (empty otherwise).
pub fn dry_prefix(dry_run: bool) -> &'static str {
    if dry_run {
        progress::DRY_RUN_PREFIX
    } else {
        ""
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

#[cfg(test)]
mod tests {
    #[test]
    fn compose_variables_read_booleans_as_go_does() {
        for t in ["1", "t", "T", "true", "TRUE", "True"] {
            assert!(super::parse_go_bool(t), "{t}");
        }
        for f in ["", "0", "false", "yes", "on", "tRuE"] {
            assert!(!super::parse_go_bool(f), "{f}");
        }
    }
}
