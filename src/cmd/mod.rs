//! One file per verb: each turns parsed arguments into validated options,
//! composes the domain modules, and is the only layer that prints to the user.

pub mod build;
pub mod compose;
pub mod container;
pub mod context;
pub mod events;
pub mod image;
pub mod internal;
pub mod network;
pub mod system;
pub mod volume;

use crate::cli::{Command, Parsed};
use context::Context;

pub use crate::container::exit::ExitCode;

/// Ends an `inspect` of objects looked up by name, as docker does: what was
/// found prints first (`[]` without a format when nothing was), then one
/// missing name is the command's error and several are reported one per
/// line with exit 1.
pub fn finish_inspect(
    format: Option<&str>,
    items: &[serde_json::Value],
    missing: &[String],
    not_found: impl Fn(&str) -> String,
) -> anyhow::Result<u8> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !items.is_empty() || format.is_none() {
        crate::format::render_inspect(&mut out, format, items)?;
    }
    out.flush()?;
    match missing {
        [] => Ok(0),
        [only] => anyhow::bail!("{}", not_found(only)),
        many => {
            for n in many {
                eprintln!("berth: {}", not_found(n));
            }
            Err(ExitStatus(ExitCode::Failure).into())
        }
    }
}

/// An exit code that has already been reported (or needs no message), e.g.
/// a container's exit status passed through.
#[derive(Debug, thiserror::Error)]
#[error("exit status {}", .0.status())]
pub struct ExitStatus(pub ExitCode);

/// An error that ends the command with a specific exit code (e.g. 125 for
/// `run`).
#[derive(Debug, thiserror::Error)]
#[error("{}", render_error(.error))]
pub struct WithExitCode {
    pub code: ExitCode,
    pub error: anyhow::Error,
}

pub fn dispatch(parsed: Parsed) -> anyhow::Result<u8> {
    let cli = parsed.cli;
    // Commands that must not touch the data root.
    match cli.command {
        Command::Version(a) => {
            return system::version::run(&cli.global, a, &mut std::io::stdout().lock())
        }
        Command::Internal(c) => return internal::run(c, &cli.global),
        // Loading a compose model needs no data root.
        Command::Compose(a) => return compose::run(a, &cli.global),
        _ => {}
    }
    let ctx = Context::new(&cli.global)?;
    crate::debug::enable(ctx.settings.debug);
    crate::debug::debug!(
        "data root {}, state root {}",
        ctx.settings.data_root.display(),
        ctx.settings.state_root.display()
    );
    use crate::cli::container::ContainerCommand as C;
    match cli.command {
        Command::Run(a) => container::run_group(&ctx, C::Run(a), &mut std::io::stdout()),
        Command::Create(a) => container::run_group(&ctx, C::Create(a), &mut std::io::stdout()),
        Command::Start(a) => container::run_group(&ctx, C::Start(a), &mut std::io::stdout()),
        Command::Stop(a) => container::run_group(&ctx, C::Stop(a), &mut std::io::stdout()),
        Command::Restart(a) => container::run_group(&ctx, C::Restart(a), &mut std::io::stdout()),
        Command::Kill(a) => container::run_group(&ctx, C::Kill(a), &mut std::io::stdout()),
        Command::Rm(a) => container::run_group(&ctx, C::Rm(a), &mut std::io::stdout()),
        Command::Ps(a) => container::run_group(&ctx, C::Ls(a), &mut std::io::stdout()),
        Command::Logs(a) => container::run_group(&ctx, C::Logs(a), &mut std::io::stdout()),
        Command::Exec(a) => container::run_group(&ctx, C::Exec(a), &mut std::io::stdout()),
        Command::Attach(a) => container::run_group(&ctx, C::Attach(a), &mut std::io::stdout()),
        Command::Wait(a) => container::run_group(&ctx, C::Wait(a), &mut std::io::stdout()),
        Command::Top(a) => container::run_group(&ctx, C::Top(a), &mut std::io::stdout()),
        Command::Pause(a) => container::run_group(&ctx, C::Pause(a), &mut std::io::stdout()),
        Command::Unpause(a) => container::run_group(&ctx, C::Unpause(a), &mut std::io::stdout()),
        Command::Rename(a) => container::run_group(&ctx, C::Rename(a), &mut std::io::stdout()),
        Command::Cp(a) => container::run_group(&ctx, C::Cp(a), &mut std::io::stdout()),
        Command::Diff(a) => container::run_group(&ctx, C::Diff(a), &mut std::io::stdout()),
        Command::Stats(a) => container::run_group(&ctx, C::Stats(a), &mut std::io::stdout()),
        Command::Port(a) => container::run_group(&ctx, C::Port(a), &mut std::io::stdout()),
        Command::System(c) => system::run(&ctx, c, &mut std::io::stdout()),
        Command::Info(a) => system::info::run(&ctx, a, &mut std::io::stdout().lock()),
        Command::Doctor(a) => system::doctor::run(&ctx, a, &mut std::io::stdout().lock()),
        Command::Events(a) => events::run(&ctx, a, &mut std::io::stdout()),
        Command::Update(a) => container::run_group(&ctx, C::Update(a), &mut std::io::stdout()),
        Command::Export(a) => container::run_group(&ctx, C::Export(a), &mut std::io::stdout()),
        Command::Commit(a) => container::run_group(&ctx, C::Commit(a), &mut std::io::stdout()),
        Command::Container(c) => container::run_group(&ctx, c, &mut std::io::stdout()),
        Command::Pull(a) => image::pull::run(&ctx, a),
        Command::Push(a) => image::push::run(&ctx, a),
        Command::Tag(a) => image::tag::run(&ctx, a),
        Command::Images(a) => image::list::run(&ctx, a, &mut std::io::stdout().lock()),
        Command::Rmi(a) => image::remove::run(&ctx, a, &mut std::io::stdout().lock()),
        Command::History(a) => image::history::run(&ctx, a, &mut std::io::stdout().lock()),
        Command::Import(a) => image::import::run(&ctx, a, &mut std::io::stdout().lock()),
        Command::Inspect(a) => image::inspect::run_generic(&ctx, a, &mut std::io::stdout().lock()),
        Command::Save(a) => image::save::run(&ctx, a),
        Command::Load(a) => image::load::run(&ctx, a),
        Command::Login(a) => image::login::run(&ctx, a, &mut std::io::stdout().lock()),
        Command::Logout(a) => image::login::run_logout(&ctx, a, &mut std::io::stdout().lock()),
        Command::Image(c) => image::run_group(&ctx, c),
        Command::Build(a) => build::run(&ctx, a),
        Command::Builder(c) => build::run_group(&ctx, c),
        Command::Network(c) => network::run_group(&ctx, c),
        Command::Volume(c) => volume::run_group(&ctx, c),
        Command::Version(_) | Command::Internal(_) | Command::Compose(_) => {
            unreachable!("handled above")
        }
    }
}

/// How a failed command ends: the code its error carries, else 1.
pub fn exit_code_for(err: &anyhow::Error) -> ExitCode {
    if let Some(s) = err.downcast_ref::<ExitStatus>() {
        return s.0;
    }
    if let Some(w) = err.downcast_ref::<WithExitCode>() {
        return w.code;
    }
    // A missing or damaged metadata database: berth cannot work at all, as
    // a daemon that does not start (125, whatever the verb).
    if err.chain().any(|c| {
        c.downcast_ref::<crate::store::StoreError>()
            .is_some_and(crate::store::StoreError::is_unusable)
            || c.downcast_ref::<rusqlite::Error>()
                .is_some_and(crate::store::check::is_corruption)
    }) {
        return ExitCode::Berth;
    }
    // docker-cli rejects a malformed `--filter` while parsing its flags,
    // and every flag error exits 125.
    if err
        .downcast_ref::<crate::filter::FilterError>()
        .is_some_and(crate::filter::FilterError::is_flag_error)
    {
        return ExitCode::Berth;
    }
    ExitCode::Failure
}

/// Docker's multi-object verbs (`stop a b`, `pause a b`): run `f` for each
/// name, print the name on success and the error otherwise, and exit 1 when
/// any failed.
pub fn for_each_name(
    out: &mut dyn std::io::Write,
    names: &[String],
    mut f: impl FnMut(&str) -> anyhow::Result<()>,
) -> anyhow::Result<u8> {
    let mut failed = false;
    for n in names {
        match f(n) {
            Ok(()) => writeln!(out, "{n}")?,
            Err(e) => {
                eprintln!("berth: {}", render_error(&e));
                failed = true;
            }
        }
    }
    if failed {
        return Err(ExitStatus(ExitCode::Failure).into());
    }
    Ok(0)
}

/// Docker's `name=` filters are regular expressions; berth supports the
/// common subset: a substring, anchored with `^` and/or `$`.
pub fn pattern_matches(pattern: &str, text: &str) -> bool {
    let (start, p) = match pattern.strip_prefix('^') {
        Some(p) => (true, p),
        None => (false, pattern),
    };
    let (end, p) = match p.strip_suffix('$') {
        Some(p) => (true, p),
        None => (false, p),
    };
    match (start, end) {
        (true, true) => text == p,
        (true, false) => text.starts_with(p),
        (false, true) => text.ends_with(p),
        (false, false) => text.contains(p),
    }
}

/// Ask Docker's prune question on stderr; true when the user said yes.
pub fn confirm(warning: &str) -> anyhow::Result<bool> {
    use std::io::BufRead;
    eprint!("{warning}\nAre you sure you want to continue? [y/N] ");
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// The end of every prune: `Deleted <What>:` and its lines (when any), then
/// `Total reclaimed space: <size>`.
pub fn print_prune_report(heading: &str, lines: &[String], bytes: u64) -> anyhow::Result<()> {
    write_prune_report(&mut std::io::stdout().lock(), heading, lines, bytes)
}

/// [`print_prune_report`] to a writer.
pub fn write_prune_report(
    out: &mut dyn std::io::Write,
    heading: &str,
    lines: &[String],
    bytes: u64,
) -> anyhow::Result<()> {
    if !lines.is_empty() {
        writeln!(out, "{heading}")?;
        for l in lines {
            writeln!(out, "{l}")?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "Total reclaimed space: {}",
        crate::format::units::human_size(bytes)
    )?;
    out.flush()?;
    Ok(())
}

/// The message printed after `berth: `: the error chain on one line,
/// joined with ": " as anyhow's `{:#}` does, less what only repeats: a cause
/// whose text the message before it already holds or ends with (thiserror
/// variants that print their source and also return it), and SQLite's
/// "Error code N: ..." under a rusqlite error, which already printed that
/// message; a full disk is said in Docker's words.
pub fn render_error(err: &anyhow::Error) -> String {
    render_chain(err.as_ref())
}

/// [`render_error`] for any error value.
pub fn render_chain(err: &(dyn std::error::Error + 'static)) -> String {
    // Causes are compared as they print; the ENOSPC wording is changed once
    // the chain is joined.
    let mut out = String::new();
    let mut last = String::new();
    let mut next = Some(err);
    while let Some(cause) = next {
        next = cause.source();
        if cause.is::<rusqlite::ffi::Error>() && !out.is_empty() {
            continue;
        }
        let text = cause.to_string();
        if !out.is_empty() && (out.ends_with(&text) || last.contains(&text)) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
        last = text;
    }
    if is_host_problem(err) {
        out.push_str("; ");
        out.push_str(crate::host::DOCTOR_HINT);
    }
    go_wording(&out)
}

/// Whether an error comes from the host rather than the request (a runtime
/// or CNI plugin missing, overlayfs refusing the data root): `doctor` says
/// more about those.
fn is_host_problem(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if matches!(
            e.downcast_ref::<crate::runtime::runc::RuntimeError>(),
            Some(crate::runtime::runc::RuntimeError::BinaryNotFound(_))
        ) || matches!(
            e.downcast_ref::<crate::container::options::OptionsError>(),
            Some(crate::container::options::OptionsError::RuntimeBinary(
                crate::runtime::runc::RuntimeError::BinaryNotFound(_)
            ))
        ) || matches!(
            e.downcast_ref::<crate::network::cni::CniError>(),
            Some(crate::network::cni::CniError::NotFound(..))
        ) || matches!(
            e.downcast_ref::<crate::snapshot::SnapshotError>(),
            Some(crate::snapshot::SnapshotError::Mount { .. })
        ) {
            return true;
        }
        next = e.source();
    }
    false
}

/// Docker's (Go's) words for a full or over-quota disk, wherever Rust's
/// "No space left on device (os error 28)" shows in `text` (an error that
/// names its path prints its io::Error inside its own message).
fn go_wording(text: &str) -> String {
    let mut text = text.to_string();
    for (errno, go) in [
        (libc::ENOSPC, "no space left on device"),
        (libc::EDQUOT, "disk quota exceeded"),
    ] {
        let rust = std::io::Error::from_raw_os_error(errno).to_string();
        if text.contains(&rust) {
            text = text.replace(&rust, go);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_full_disk_is_said_in_dockers_words_after_the_path() {
        let io = std::io::Error::from_raw_os_error(libc::ENOSPC);
        let e = anyhow::Error::new(io).context("mkdir /d/volumes/v/_data");
        assert_eq!(
            super::render_error(&e),
            "mkdir /d/volumes/v/_data: no space left on device"
        );
    }

    #[test]
    fn render_error_prints_each_cause_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("layer entry \"big\": {source}")]
        struct Shows {
            source: std::io::Error,
        }
        let io = std::io::Error::from_raw_os_error(libc::ENOSPC);
        let e = anyhow::Error::new(Shows { source: io }).context("unpacking layer");
        assert_eq!(
            super::render_error(&e),
            "unpacking layer: layer entry \"big\": no space left on device"
        );
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(super::render_error(&e), "outer: inner");
    }
}
