//! Attached `up`, as docker compose's `runInteractiveUp`: `Attaching to
//! web-1, db-1` (the attached containers sorted by name, shown without the
//! project), then every attached container's output (from its json-file
//! log, read from the start, so nothing before the follower began is lost)
//! through compose's log consumer (`printer`), stdout lines to stdout and
//! stderr lines to stderr, interleaved as they come. The watched
//! containers (the services named on the command line, else the attached
//! ones) get `web-1 exited with code N` (` (restarting)` when the restart
//! policy runs them again), and `up` returns once every one of them has
//! exited for good. Ctrl-C stops the named services gracefully, in
//! reverse dependency order as `compose stop` (a second one kills them all
//! at once), and `up` returns 0; `--abort-on-container-exit`/`-failure`
//! stop them the same way when a watched container exits (with a
//! failure), `--exit-code-from` returns that service's code.

use super::engine::{Engine, Member};
use super::printer::{self, Lines, LogConsumer, RunWatch, Seen};
use crate::cli::compose::ComposeUpArgs;
use crate::container::lifecycle;
use crate::shim::launch;
use crate::shim::logs::{self, LogsOptions};
use crate::store::Store;
use anyhow::{bail, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

/// One watched container's end of a run.
struct Exit {
    service: String,
    short: String,
    code: i64,
    restarting: bool,
}

/// Which services `up` attaches to and which it watches, as compose's
/// `runUp`/`runInteractiveUp`: `--attach` as given (each must be in the
/// project); else the services named on the command line (all when none),
/// with their dependencies under `--attach-dependencies`, less those with
/// `attach: false`; then `--no-attach` removed. The monitor watches the
/// named services, or the attached ones when none is named. An empty set
/// means every service (compose's container query without a filter).
pub fn attach_sets(engine: &Engine, a: &ComposeUpArgs) -> Result<(Vec<String>, Vec<String>)> {
    let named = &a.create.services;
    let mut attach: BTreeSet<String> = if !a.attach.is_empty() {
        let unknown: BTreeSet<&str> = a
            .attach
            .iter()
            .filter(|s| engine.service(s).is_none())
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            bail!(
                "cannot attach to services not included in up: {}",
                unknown.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
        a.attach.iter().cloned().collect()
    } else {
        engine
            .svcs
            .iter()
            .filter(|s| named.is_empty() || a.attach_dependencies || named.contains(&s.name))
            .filter(|s| s.attach)
            .map(|s| s.name.clone())
            .collect()
    };
    for s in &a.no_attach {
        attach.remove(s);
    }
    let attach: Vec<String> = attach.into_iter().collect();
    let watch = if named.is_empty() {
        attach.clone()
    } else {
        named.clone()
    };
    Ok((attach, watch))
}

fn selected(set: &[String], service: &str) -> bool {
    set.is_empty() || set.iter().any(|s| s == service)
}

/// What the watching threads share with the loop that supervises them.
struct Shared<'e, 's> {
    engine: &'s Engine<'e>,
    consumer: std::sync::Arc<LogConsumer>,
    /// Only what the containers print from now on, as compose's attach
    /// (a container run before has older lines in its log).
    since: std::time::SystemTime,
    /// The starter finished (whether or not it failed).
    started: AtomicBool,
    /// `up` is ending: followers stop.
    done: AtomicBool,
    start_error: Mutex<Option<anyhow::Error>>,
}

pub fn run(
    engine: &Engine,
    order: &[String],
    to_start: &BTreeMap<String, Vec<String>>,
    a: &ComposeUpArgs,
    attach_to: &[String],
    watch: &[String],
) -> Result<u8> {
    use std::io::IsTerminal;
    // Signals first, so every thread started below inherits the mask.
    let signals = crate::sys::signalfd::SignalFd::new(&[libc::SIGINT, libc::SIGTERM])?;
    let members = attached_members(engine, attach_to)?;
    let color = !a.no_color && std::io::stdout().is_terminal();
    let shared = Shared {
        engine,
        consumer: LogConsumer::stdio(color, !a.no_log_prefix, a.timestamps),
        since: std::time::SystemTime::now(),
        started: AtomicBool::new(false),
        done: AtomicBool::new(false),
        start_error: Mutex::new(None),
    };
    let (tx, rx) = mpsc::channel::<Option<Exit>>();
    let stopper = Stopper {
        engine,
        members: &members,
        named: &a.create.services,
        timeout: a.timeout,
    };
    let code = std::thread::scope(|scope| -> Result<Option<i64>> {
        let shared = &shared;
        scope.spawn(move || {
            if let Err(e) = engine.start_graph(order, to_start) {
                *shared.start_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
            }
            shared.started.store(true, Ordering::SeqCst);
        });
        let mut remaining = 0usize;
        for m in &members {
            let attached = selected(attach_to, &m.existing.service);
            let watched = selected(watch, &m.existing.service);
            if !attached && !watched {
                continue;
            }
            remaining += usize::from(watched);
            let follower = Follower {
                id: m.existing.id.clone(),
                short: short_name(engine, m),
                service: m.existing.service.clone(),
                attached,
                watched,
            };
            let tx = tx.clone();
            scope.spawn(move || follower.run(shared, &tx));
        }
        drop(tx);
        let supervisor = Supervisor {
            shared,
            stopper: &stopper,
            args: a,
            signals: &signals,
        };
        Ok(supervisor.run(scope, &rx, remaining))
    })?;
    if let Some(e) = shared
        .start_error
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
    {
        return Err(e);
    }
    match code {
        Some(c) if c != 0 => bail!(crate::cmd::ExitStatus(
            crate::container::exit::ExitCode::Container(c)
        )),
        _ => Ok(0),
    }
}

/// The project's service containers sorted by name (as compose sorts the
/// attached ones), after `Attaching to ...` for those attached.
fn attached_members(engine: &Engine, attach_to: &[String]) -> Result<Vec<Member>> {
    let mut store = engine.store()?;
    let mut members: Vec<Member> = engine
        .members(&mut store)?
        .into_iter()
        .filter(|m| !m.existing.oneoff)
        .collect();
    members.sort_by(|x, y| x.existing.name.cmp(&y.existing.name));
    let names: Vec<String> = members
        .iter()
        .filter(|m| selected(attach_to, &m.existing.service))
        .map(|m| short_name(engine, m))
        .collect();
    if !names.is_empty() {
        println!("Attaching to {}", names.join(", "));
    }
    Ok(members)
}

/// A container's name without the project (`web-1`).
fn short_name(engine: &Engine, m: &Member) -> String {
    printer::short_name(
        &engine.project.name,
        &m.existing.service,
        &m.existing.number.to_string(),
        &m.existing.name,
    )
}

/// Stopping acts on the services named on the command line (all when
/// none is), as compose's stopApplication/killApplication: gracefully in
/// reverse dependency order (compose's `stop`: a service once its
/// dependents are stopped), or all killed at once (compose's `kill`).
struct Stopper<'e, 's> {
    engine: &'s Engine<'e>,
    members: &'s [Member],
    named: &'s [String],
    timeout: Option<i64>,
}

impl Stopper<'_, '_> {
    fn stop_all(&self, kill: bool) {
        let members: Vec<&Member> = self
            .members
            .iter()
            .filter(|m| selected(self.named, &m.existing.service))
            .collect();
        if kill {
            std::thread::scope(|s| {
                for m in &members {
                    s.spawn(move || self.stop_one(&m.existing.id, true));
                }
            });
        } else {
            super::down::in_stop_waves(self.engine, &members, |m| {
                self.stop_one(&m.existing.id, false)
            });
        }
    }

    fn stop_one(&self, id: &str, kill: bool) {
        let engine = self.engine;
        let Ok(mut st) = Store::open(engine.host.layout.clone()) else {
            return;
        };
        let Ok(mut c) = lifecycle::find(&st, id) else {
            return;
        };
        if kill {
            let _ = lifecycle::kill(&engine.host, &c, libc::SIGKILL);
            return;
        }
        let _ = lifecycle::refresh(&engine.host, &mut st, &mut c);
        if !c.row.status.is_live() {
            return;
        }
        engine.progress.event("Container", &c.row.name, "Stopping");
        let _ = engine.stop_container(&mut st, &mut c, self.timeout);
        engine.progress.event("Container", &c.row.name, "Stopped");
    }
}

/// One attached or watched container, on a thread of its own: its output
/// through the log consumer while it runs (attached), its restarts and
/// its final exit reported to the supervisor (watched).
struct Follower {
    id: String,
    short: String,
    service: String,
    attached: bool,
    watched: bool,
}

impl Follower {
    fn run(self, shared: &Shared, tx: &mpsc::Sender<Option<Exit>>) {
        let engine = shared.engine;
        let state_dir = engine.host.state_dir(&self.id);
        if !wait_started(engine, &self.id, &state_dir, &shared.started, &shared.done) {
            if self.watched {
                let _ = tx.send(None);
            }
            return;
        }
        let mut runs = RunWatch::new(state_dir.clone());
        let mut running = || {
            if shared.done.load(Ordering::SeqCst) {
                return false;
            }
            match runs.poll() {
                Seen::Running => true,
                Seen::Restarting(code) => {
                    if self.watched {
                        // Here, so it sits between the runs' lines.
                        let _ = shared.consumer.exited(&self.short, code, true);
                        let _ = tx.send(Some(self.exit(code, true)));
                    }
                    true
                }
                Seen::Ended => false,
            }
        };
        if self.attached {
            let mut o = Lines::new(&shared.consumer, &self.short, false);
            let mut e = Lines::new(&shared.consumer, &self.short, true);
            let opts = LogsOptions {
                follow: true,
                since: Some(shared.since),
                ..Default::default()
            };
            let log = engine.host.log_path(&self.id);
            let _ = logs::read(&log, &opts, &mut o, &mut e, &mut running);
            let _ = o.finish().and_then(|()| e.finish());
        } else {
            while running() {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        if !self.watched || shared.done.load(Ordering::SeqCst) {
            return;
        }
        let code = final_code(engine, &self.id, &state_dir);
        let _ = tx.send(Some(self.exit(code, false)));
    }

    fn exit(&self, code: i64, restarting: bool) -> Exit {
        Exit {
            service: self.service.clone(),
            short: self.short.clone(),
            code,
            restarting,
        }
    }
}

/// What one watched container's exit means under `--abort-on-container-
/// exit`/`-failure` and `--exit-code-from` (which implies the first unless
/// the second is given): whether it stops the project, and whether its
/// code is `up`'s.
fn on_exit(a: &ComposeUpArgs, exit: &Exit, stopping: bool) -> (bool, bool) {
    let from = a.exit_code_from.as_deref();
    let on_any = a.abort_on_container_exit || (from.is_some() && !a.abort_on_container_failure);
    let triggers = !stopping
        && (on_any
            || (a.abort_on_container_failure && exit.code != 0)
            || from == Some(exit.service.as_str()));
    let takes_code = from == Some(exit.service.as_str()) || (from.is_none() && triggers);
    (triggers, takes_code)
}

/// The loop of attached `up`: Ctrl-C (graceful, then kill), the watched
/// containers' exits, a failed start; until every watched one is gone.
struct Supervisor<'a, 'e, 's> {
    shared: &'a Shared<'e, 's>,
    stopper: &'a Stopper<'e, 's>,
    args: &'a ComposeUpArgs,
    signals: &'a crate::sys::signalfd::SignalFd,
}

impl<'a> Supervisor<'a, '_, '_> {
    /// `up`'s exit code when an exit decided it.
    fn run<'scope>(
        &self,
        scope: &'scope std::thread::Scope<'scope, '_>,
        rx: &mpsc::Receiver<Option<Exit>>,
        mut remaining: usize,
    ) -> Option<i64>
    where
        'a: 'scope,
    {
        let engine = self.shared.engine;
        let mut code = None;
        let mut stopping = false;
        let mut stopper: Option<std::thread::ScopedJoinHandle<'scope, ()>> = None;
        let stop_all = self.stopper;
        let stop_gracefully = || Some(scope.spawn(move || stop_all.stop_all(false)));
        while remaining > 0 {
            match self.signals.read_signal() {
                Ok(Some(_)) if !stopping => {
                    stopping = true;
                    engine.progress.compose_event(
                        "Stopping",
                        "Gracefully Stopping... press Ctrl+C again to force",
                    );
                    stopper = stop_gracefully();
                }
                Ok(Some(_)) => stop_all.stop_all(true),
                _ => {}
            }
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(None) => remaining -= 1,
                Ok(Some(exit)) => {
                    if !exit.restarting {
                        remaining -= 1;
                        let _ = self.shared.consumer.exited(&exit.short, exit.code, false);
                    }
                    let (triggers, takes_code) = on_exit(self.args, &exit, stopping);
                    if takes_code {
                        code.get_or_insert(exit.code);
                    }
                    if triggers {
                        stopping = true;
                        engine
                            .progress
                            .compose_event("Stopping", "Aborting on container exit...");
                        stopper = stop_gracefully();
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            if !stopping && self.start_failed() {
                stopping = true;
                stopper = stop_gracefully();
            }
        }
        // Every watched container is gone: `up` ends, and so do the
        // followers of attached containers it does not watch.
        self.shared.done.store(true, Ordering::SeqCst);
        if let Some(h) = stopper {
            let _ = h.join();
        }
        code
    }

    fn start_failed(&self) -> bool {
        self.shared.started.load(Ordering::SeqCst)
            && self
                .shared
                .start_error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_some()
    }
}

/// Waits until the container runs (true), or the starter is done and it
/// never ran, or `up` is ending (false).
fn wait_started(
    engine: &Engine,
    id: &str,
    state_dir: &std::path::Path,
    started: &AtomicBool,
    done: &AtomicBool,
) -> bool {
    while !launch::is_running(state_dir) {
        if done.load(Ordering::SeqCst) {
            return false;
        }
        if started.load(Ordering::SeqCst) && !launch::is_running(state_dir) {
            let Ok(mut st) = Store::open(engine.host.layout.clone()) else {
                return false;
            };
            return lifecycle::find(&st, id).is_ok_and(|mut c| {
                let _ = lifecycle::refresh(&engine.host, &mut st, &mut c);
                c.row.status != crate::store::containers::Status::Created
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

/// The code of a container's last run.
fn final_code(engine: &Engine, id: &str, state_dir: &std::path::Path) -> i64 {
    // The shim's published exit first: it needs no lock, and a `stop` of
    // the project may hold the container's while it waits out the timeout
    // (a failed refresh read as 0 then).
    let published = match launch::status(state_dir) {
        Ok(launch::ShimStatus::Exited(e)) => Some(i64::from(e.exit_code)),
        _ => None,
    };
    published
        .or_else(|| {
            let mut st = Store::open(engine.host.layout.clone()).ok()?;
            let mut c = lifecycle::find(&st, id).ok()?;
            lifecycle::refresh(&engine.host, &mut st, &mut c).ok()?;
            Some(c.row.exit_code)
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(args: &[&str]) -> ComposeUpArgs {
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            up: ComposeUpArgs,
        }
        let argv = std::iter::once("up").chain(args.iter().copied());
        <Wrap as clap::Parser>::try_parse_from(argv).unwrap().up
    }

    fn exit(service: &str, code: i64) -> Exit {
        Exit {
            service: service.into(),
            short: format!("{service}-1"),
            code,
            restarting: false,
        }
    }

    #[test]
    fn which_exits_abort_and_whose_code_up_returns() {
        // Plain attached up: an exit stops nothing and decides nothing.
        assert_eq!(on_exit(&up(&[]), &exit("web", 3), false), (false, false));
        let any = up(&["--abort-on-container-exit"]);
        assert_eq!(on_exit(&any, &exit("web", 0), false), (true, true));
        // Once stopping, later exits neither trigger nor take the code.
        assert_eq!(on_exit(&any, &exit("db", 2), true), (false, false));
        let failure = up(&["--abort-on-container-failure"]);
        assert_eq!(on_exit(&failure, &exit("web", 0), false), (false, false));
        assert_eq!(on_exit(&failure, &exit("web", 1), false), (true, true));
        // --exit-code-from implies abort-on-exit, and only its service's
        // code is up's, even while stopping.
        let from = up(&["--exit-code-from", "web"]);
        assert_eq!(on_exit(&from, &exit("db", 4), false), (true, false));
        assert_eq!(on_exit(&from, &exit("web", 5), true), (false, true));
        let from_failure = up(&["--exit-code-from", "web", "--abort-on-container-failure"]);
        assert_eq!(
            on_exit(&from_failure, &exit("db", 0), false),
            (false, false)
        );
        assert_eq!(on_exit(&from_failure, &exit("web", 0), false), (true, true));
    }
}
