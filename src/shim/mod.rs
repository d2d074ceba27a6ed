//! The per-container shim (`berth internal shim <state-dir>`): a small
//! detached process that outlives the CLI, owns the container's stdio,
//! writes its log, serves attach and control clients, runs the container
//! again when its restart policy says so, and publishes how it is doing.
//! Modelled on conmon/conmon-rs; it must not link in tokio, the store,
//! image, network or compose logic. It drives the OCI runtime through the
//! same driver as the CLI ([`crate::runtime::runc::Runc`]).
//!
//! # The contract with the CLI
//! Two files in `<state_root>/containers/<id>`: `shim.json`
//! ([`config::ShimConfig`], written by the CLI before it spawns the shim:
//! bundle, runtime, stdio, log, `--rm`, restart policy, the published host
//! ports it holds and proxies ([`proxy`]) from before the first run until
//! it publishes the final exit) and `state.json`
//! ([`state::ShimState`], written only by the shim, atomically, at every
//! change: generation, running/restarting/exited, pid, restart count,
//! start time, the last exit record). Requests while the shim runs go over
//! the control channel ([`control`]).
//!
//! # Start-up and the ready pipe
//! [`launch::start`] writes `shim.json`, runs `berth [globals] internal shim DIR` with
//! `std::process::Command` and reads one JSON line from the shim's stdout:
//! `{"ok":true,"pid":N}` (N is the container init's host pid) or
//! `{"ok":false,"code":125|126|127,"message":"..."}` (the runtime's error,
//! classified by [`crate::runtime::runc::classify`] with docker's rules).
//!
//! `run` spawns its shim ahead ([`launch::prespawn`], on a thread, with
//! state dir `-` and a socket for stdin) as its first step, so the shim's
//! exec and start-up overlap the CLI's store, snapshot and bundle work;
//! `launch::start` then writes the state dir line to that socket instead of
//! spawning. A spare no start used sees end-of-file and exits.
//!
//! The shim forks right after reading its config (no thread exists yet);
//! the parent exits at once so the CLI reaps it, and the child is
//! reparented to init/the nearest subreaper. The child calls `setsid`,
//! points stdin at /dev/null and stderr at `<state-dir>/shim.log` (a failure
//! there is reported on the ready line and ends the shim), closes every
//! other inherited fd, becomes `PR_SET_CHILD_SUBREAPER`, takes an exclusive
//! `flock` on `<state-dir>/shim.pid` (and writes its pid there) for its
//! whole life, blocks its signals into a signalfd and binds
//! `<state-dir>/attach.sock`. Each run is `<runtime> run --detach --bundle B
//! --pid-file <state-dir>/init.pid [--console-socket <state-dir>/console.sock]
//! ID` (runc 1.1 reports a missing or non-executable entrypoint there).
//!
//! With `wait_attach` (foreground `run`, `start -a`) the first run waits
//! until the first attach client has said hello, so no early output is
//! lost; if the CLI dies first (its end of the ready pipe closes) the
//! container is started unattached.
//!
//! # Stdio and the loop
//! Without a tty, stdout and stderr are pipes (stdin too with `stdin`,
//! else /dev/null) given to the runtime as its own stdio, which the
//! container inherits. With a tty the runtime sends the pty master over the
//! console socket (`SCM_RIGHTS`). A single-threaded `poll` loop copies output
//! into the log and to attached clients, feeds stdin from clients, applies
//! resizes, answers control requests, reaps every child (subreaper) on
//! SIGCHLD, and forwards SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and
//! SIGUSR2 to the container's init through a pidfd (so a `kill <shim>`
//! stops the container gracefully and is still recorded; such a stop is
//! never undone by the restart policy). EINTR is retried; any other poll
//! error ends the shim, recorded in `state.json` and `shim.log`. No tokio;
//! one 32 KiB read buffer; a client that does not keep up pauses output
//! reading (back-pressure) instead of growing memory. The loop gives back
//! what start-up touched ([`crate::sys::process::trim_resident_memory`])
//! right before a blocking poll: after a detached start at its first idle
//! moment, before and again after the ready line (so `run -d` returns
//! with the shim at its idle size), else after 300 ms idle; after probes
//! as `server::Shim::serve` says. tests/shim.rs measures the PSS from
//! `/proc/<pid>/smaps_rollup` afterwards.
//!
//! # Logs
//! Docker's json-file format ([`logfile`]), rotation on by default with
//! docker's `local`-driver defaults (20 MiB × 5 files; json-file itself has no
//! default limit). `LogDriver::None` writes nothing. [`logs::read`] is the
//! reader `berth logs` uses. Log, attach socket and clients belong to the
//! shim, not to a run: they carry across restarts.
//!
//! # Exit and restart
//! When a run's init exits, remaining output is drained, partial lines
//! flushed, and the exit recorded (128+signal for signal deaths; OOM: the
//! `oom_kill` counter of the container's memory cgroup grew while it ran).
//! The restart policy ([`config::RestartPolicy::decide`]) then either
//! restarts: state `restarting`, `runtime delete --force`, a back-off
//! during which the loop keeps serving clients, and the next run with the
//! generation bumped; or stops: state `exited` (also copied into the
//! bundle), attach clients get an exit frame and the socket is removed.
//! With `rm` the shim then execs `berth [globals] internal cleanup ID`
//! (same binary, `/proc/self/exe`); otherwise it just exits.
//!
//! The split of duties: the shim never runs `runtime delete` for a container
//! whose final run ended (the CLI's `rm`, or `internal cleanup`, does that,
//! and it also removes the cgroup the OOM check reads). It deletes a
//! container that failed half-way through a start, and the previous run's
//! before it runs the container again. The CLI tells a live shim from a
//! dead one with [`launch::status`]: the lock on `shim.pid` is held exactly
//! while the shim lives (released by the kernel if it is killed).

pub mod attach;
pub mod config;
pub mod control;
pub mod detach_keys;
pub mod health;
pub mod launch;
pub mod logfile;
pub mod logs;
pub mod proxy;
pub mod server;
pub mod state;
pub mod time;

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ShimError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("a shim is already running for container {0}")]
    AlreadyRunning(String),
    /// A published host port could not be bound: Docker 28's words, which
    /// name the container's side too (`BindError::moby28`).
    #[error("{0}")]
    Port(String),
    #[error("{what}: {source}")]
    Sys {
        what: &'static str,
        source: std::io::Error,
    },
}

pub use launch::ARGV0;

/// The state dir of a shim that [`launch::start`] spawned (argv[0] is
/// [`ARGV0`] and the command line ends in `internal shim <state-dir>`), so
/// `main` can run it before building the CLI's parser: about half a
/// millisecond of every container start. Any other command line, including
/// `berth internal shim` typed by hand, goes through clap.
pub fn fast_entry(args: &[std::ffi::OsString]) -> Option<PathBuf> {
    let [first, .., internal, shim, dir] = args else {
        return None;
    };
    (first == ARGV0 && internal == "internal" && shim == "shim").then(|| PathBuf::from(dir))
}

/// Entry point of `berth internal shim <state-dir>`: read and check
/// `shim.json`, then detach and supervise.
///
/// A spare shim ([`launch::prespawn`], state dir `-`) first reads its state
/// dir from stdin; end-of-file there means its CLI needed no shim after
/// all, and it exits quietly.
pub fn main(state_dir: &Path) -> Result<u8, ShimError> {
    let named;
    let state_dir = if state_dir.as_os_str() == launch::SPARE_DIR {
        let mut line = Vec::new();
        let mut buf = [0u8; 512];
        while !line.ends_with(b"\n") {
            match crate::sys::process::read_fd(0, &mut buf) {
                Ok(0) => return Ok(0),
                Ok(n) => line.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Ok(0),
            }
        }
        line.pop();
        use std::os::unix::ffi::OsStringExt;
        named = PathBuf::from(std::ffi::OsString::from_vec(line));
        &named
    } else {
        state_dir
    };
    let cfg = config::ShimConfig::read(state_dir)?;
    server::run(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<std::ffi::OsString> {
        v.iter().map(Into::into).collect()
    }

    #[test]
    fn only_a_spawned_shim_skips_the_parser() {
        let spawned = args(&[ARGV0, "--data-root", "/d", "internal", "shim", "/s/c"]);
        assert_eq!(fast_entry(&spawned), Some(PathBuf::from("/s/c")));
        assert_eq!(
            fast_entry(&args(&[ARGV0, "internal", "shim", "/s"])),
            Some(PathBuf::from("/s"))
        );
        for other in [
            args(&["berth", "internal", "shim", "/s"]),
            args(&[ARGV0, "internal", "shim"]),
            args(&[ARGV0, "run", "img", "internal", "cleanup", "x"]),
            args(&[ARGV0]),
        ] {
            assert_eq!(fast_entry(&other), None, "{other:?}");
        }
    }
}
