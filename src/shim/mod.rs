//! The per-container shim (`berth internal shim`): a small detached process
//! that outlives the CLI, owns the container's stdio, writes its log, serves
//! attach clients and records how it exited. Modelled on conmon/conmon-rs;
//! it must not link in tokio, the store, image, network or compose logic.
//!
//! # Start-up and the ready pipe
//! The CLI runs `berth [globals] internal shim --id ID --bundle DIR
//! --state-dir <state_root>/containers/ID --runtime BIN --runtime-root DIR
//! [--tty] [--stdin] [--wait-attach] [--rm] [--log-path FILE --log-max-size N
//! --log-max-file N | --log-driver none]` with `std::process::Command`
//! ([`launch::start`] builds and runs it) and reads one JSON line from the
//! shim's stdout: `{"ok":true,"pid":N}` (N is the container init's host pid)
//! or `{"ok":false,"code":125|126|127,"message":"..."}`.
//!
//! The shim forks right after argument parsing (no thread exists yet); the
//! parent exits at once so the CLI reaps it, and the child is reparented to
//! init/the nearest subreaper. The child calls `setsid`, points stdin at
//! /dev/null and stderr at `<state-dir>/shim.log`, closes every other
//! inherited fd, becomes `PR_SET_CHILD_SUBREAPER`, takes an exclusive
//! `flock` on `<state-dir>/shim.pid` (and writes its pid there) for its whole
//! life, blocks its signals into a signalfd and binds `<state-dir>/attach.sock`.
//! Then it runs `<runtime> --root R --log <state-dir>/runtime.log
//! --log-format json create --bundle B --pid-file <state-dir>/init.pid
//! [--console-socket <state-dir>/console.sock] ID` and `... start ID`.
//! A failure is classified as docker does (moby's
//! `translateContainerdStartErr`): the command (`process.args[0]`) named with
//! "executable file not found" / "no such file or directory" → 127,
//! "permission denied" → 126, "not a directory" → 127, anything else 125.
//! runc 1.1 reports a missing or non-executable entrypoint at *create*.
//!
//! With `--wait-attach` (foreground `run`, `start -a`) the ready line is sent
//! after create, and `start` runs only once the first attach client has said
//! hello, so no early output is lost; if the CLI dies first (its end of the
//! ready pipe closes) the container is started unattached. A start failure
//! in that mode is reported as an exit frame and in exit.json.
//!
//! # Stdio and the loop
//! Without a tty, stdout and stderr are pipes (stdin too with `--stdin`,
//! else /dev/null) given to `runtime create` as its own stdio, which the
//! container inherits. With a tty the runtime sends the pty master over the
//! console socket (`SCM_RIGHTS`). A single-threaded `poll` loop copies output
//! into the log and to attached clients, feeds stdin from clients, applies
//! resizes, reaps every child (subreaper) on SIGCHLD, and forwards SIGTERM,
//! SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to the container's init
//! through a pidfd (so a `kill <shim>` stops the container gracefully and is
//! still recorded). No tokio; one 32 KiB read buffer; a client that does not
//! keep up pauses output reading (back-pressure) instead of growing memory.
//! The first time the loop has been idle for 300 ms it gives back what
//! start-up touched (argument parsing of the whole CLI tree, runc spawning):
//! freed heap, dead stack, and the executable's clean code pages
//! ([`crate::sys::process::trim_resident_memory`]); tests/shim.rs measures the
//! PSS from `/proc/<pid>/smaps_rollup` afterwards.
//!
//! # Logs
//! Docker's json-file format ([`logfile`]), rotation on by default with
//! docker's `local`-driver defaults (20 MiB × 5 files; json-file itself has no
//! default limit). `--log-driver none` writes nothing. [`logs::read`] is the
//! reader `berth logs` uses.
//!
//! # Exit
//! When the init exits, remaining output is drained, partial lines flushed,
//! and `<state-dir>/exit.json` written atomically ([`exit::ExitInfo`]:
//! `{"exit_code":N,"finished_at":"RFC3339Nano","oom_killed":bool,"pid":N}`,
//! 128+signal for signal deaths). OOM: the `oom_kill` counter of the
//! container's memory cgroup (v1 `memory.oom_control`, v2 `memory.events`)
//! grew while it ran. Then attach clients get an exit frame and the socket
//! is removed. With `--rm` the shim execs `berth [globals] internal cleanup
//! ID` (same binary, `/proc/self/exe`, global flags being the arguments that
//! preceded `internal shim`); otherwise it just exits.
//!
//! The split of duties: the shim never runs `runtime delete` for a container
//! that ran (the CLI's `rm`, or `internal cleanup`, does that, and it also
//! removes the cgroup the OOM check reads). It only deletes a container that
//! failed half-way through create/start. The CLI tells a live shim from a
//! dead one with [`launch::status`]: the lock on `shim.pid` is held exactly
//! while the shim lives (released by the kernel if it is killed).

pub mod attach;
pub mod detach_keys;
pub mod exit;
pub mod launch;
pub mod logfile;
pub mod logs;
pub mod runc;
pub mod server;
pub mod time;

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ShimError {
    #[error("invalid shim arguments: {0}")]
    Usage(String),
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("a shim is already running for container {0}")]
    AlreadyRunning(String),
    #[error("{0}")]
    Sys(#[source] std::io::Error),
}

/// Entry point of `berth internal shim`: validate the flags, then detach.
/// The shim's command-line flags (see `cli::internal::ShimArgs`, which
/// `cmd::internal` turns into this), kept here so the shim does not depend
/// on the CLI layer.
#[derive(Debug, Clone)]
pub struct ShimFlags {
    pub id: String,
    pub bundle: PathBuf,
    pub state_dir: PathBuf,
    pub runtime: PathBuf,
    pub runtime_root: PathBuf,
    pub tty: bool,
    pub stdin: bool,
    pub log_driver: String,
    pub log_path: Option<PathBuf>,
    pub log_max_size: Option<u64>,
    pub log_max_file: Option<u32>,
    pub wait_attach: bool,
    pub rm: bool,
}

pub fn main(a: ShimFlags) -> Result<u8, ShimError> {
    let opts = options(a, std::env::args_os().collect())?;
    server::run(opts)
}

fn options(a: ShimFlags, argv: Vec<std::ffi::OsString>) -> Result<server::ShimOptions, ShimError> {
    let valid_id = !a.id.is_empty()
        && a.id.len() <= 128
        && a.id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !a.id.starts_with('.');
    if !valid_id {
        return Err(ShimError::Usage(format!("bad container id {:?}", a.id)));
    }
    if !a.bundle.join("config.json").is_file() {
        return Err(ShimError::Usage(format!(
            "no config.json in bundle {}",
            a.bundle.display()
        )));
    }
    let log = match a.log_driver.as_str() {
        "none" => {
            if a.log_path.is_some() || a.log_max_size.is_some() || a.log_max_file.is_some() {
                return Err(ShimError::Usage(
                    "--log-driver none takes no --log-* options".into(),
                ));
            }
            None
        }
        "json-file" => {
            let path = a
                .log_path
                .ok_or_else(|| ShimError::Usage("--log-path is required for json-file".into()))?;
            let max_files = a.log_max_file.unwrap_or(logfile::DEFAULT_MAX_FILES);
            if max_files == 0 {
                return Err(ShimError::Usage("--log-max-file must be at least 1".into()));
            }
            Some(logfile::LogConfig {
                path,
                max_size: a.log_max_size.unwrap_or(logfile::DEFAULT_MAX_SIZE),
                max_files,
            })
        }
        other => {
            return Err(ShimError::Usage(format!(
                "unsupported log driver {other:?}"
            )))
        }
    };
    Ok(server::ShimOptions {
        id: a.id,
        bundle: a.bundle,
        state_dir: a.state_dir,
        runtime: a.runtime,
        runtime_root: a.runtime_root,
        tty: a.tty,
        stdin: a.stdin,
        log,
        rm: a.rm,
        wait_attach: a.wait_attach,
        cleanup_globals: server::globals_from_argv(&argv),
    })
}
