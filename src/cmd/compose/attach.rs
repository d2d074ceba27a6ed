//! Attached `up`, as docker compose's `runInteractiveUp`: `Attaching to
//! web-1, db-1` (the attached containers sorted by name, shown without the
//! project), then every attached container's output (from its json-file
//! log, read from the start, so nothing before the follower began is lost)
//! through compose's log consumer (`printer`), stdout lines to stdout and
//! stderr lines to stderr, interleaved as they come. The watched
//! containers (the services named on the command line, else the attached
//! ones) get `web-1 exited with code N` (` (restarting)` when the restart
//! policy runs them again), and `up` returns once every one of them has
//! exited for good. Ctrl-C stops the named services gracefully (a second
//! one kills them) and `up` returns 0; `--abort-on-container-exit`/
//! `-failure` stop them when a watched container exits (with a failure),
//! `--exit-code-from` returns that service's code.

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
    let mut store = engine.store()?;
    let mut members: Vec<Member> = engine
        .members(&mut store)?
        .into_iter()
        .filter(|m| !m.existing.oneoff)
        .collect();
    // compose sorts the attached containers by name.
    members.sort_by(|x, y| x.existing.name.cmp(&y.existing.name));
    let project = &engine.project.name;
    let short = |m: &Member| {
        printer::short_name(
            project,
            &m.existing.service,
            &m.existing.number.to_string(),
            &m.existing.name,
        )
    };
    let names: Vec<String> = members
        .iter()
        .filter(|m| selected(attach_to, &m.existing.service))
        .map(short)
        .collect();
    if !names.is_empty() {
        println!("Attaching to {}", names.join(", "));
    }
    // Only what the containers print from now on, as compose's attach
    // (a container run before has older lines in its log).
    let since = std::time::SystemTime::now();
    let color = !a.no_color && std::io::stdout().is_terminal();
    let consumer = LogConsumer::stdio(color, !a.no_log_prefix, a.timestamps);
    let started = AtomicBool::new(false);
    let done = AtomicBool::new(false);
    let start_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let (tx, rx) = mpsc::channel::<Option<Exit>>();
    let mut code: Option<i64> = None;
    // Stopping acts on the services named on the command line (all when
    // none is), as compose's stopApplication.
    let named = &a.create.services;
    let stop_all = |kill: bool| {
        let ids: Vec<String> = members
            .iter()
            .filter(|m| selected(named, &m.existing.service))
            .map(|m| m.existing.id.clone())
            .collect();
        std::thread::scope(|s| {
            for id in &ids {
                s.spawn(move || {
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
                    let _ = engine.stop_container(&mut st, &mut c, a.timeout);
                    engine.progress.event("Container", &c.row.name, "Stopped");
                });
            }
        });
    };
    let mut remaining = 0usize;
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(|| {
            if let Err(e) = engine.start_graph(order, to_start) {
                *start_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
            }
            started.store(true, Ordering::SeqCst);
        });
        for m in &members {
            let attached = selected(attach_to, &m.existing.service);
            let watched = selected(watch, &m.existing.service);
            if !attached && !watched {
                continue;
            }
            remaining += usize::from(watched);
            let id = m.existing.id.clone();
            let short = short(m);
            let service = m.existing.service.clone();
            let (tx, consumer, started, done) = (tx.clone(), consumer.clone(), &started, &done);
            scope.spawn(move || {
                let state_dir = engine.host.state_dir(&id);
                let ran = wait_started(engine, &id, &state_dir, started, done);
                if !ran {
                    if watched {
                        let _ = tx.send(None);
                    }
                    return;
                }
                let mut runs = RunWatch::new(state_dir.clone());
                let mut running = || {
                    if done.load(Ordering::SeqCst) {
                        return false;
                    }
                    match runs.poll() {
                        Seen::Running => true,
                        Seen::Restarting(code) => {
                            if watched {
                                // Here, so it sits between the runs' lines.
                                let _ = consumer.exited(&short, code, true);
                                let _ = tx.send(Some(Exit {
                                    service: service.clone(),
                                    short: short.clone(),
                                    code,
                                    restarting: true,
                                }));
                            }
                            true
                        }
                        Seen::Ended => false,
                    }
                };
                if attached {
                    let mut o = Lines::new(&consumer, &short, false);
                    let mut e = Lines::new(&consumer, &short, true);
                    let opts = LogsOptions {
                        follow: true,
                        since: Some(since),
                        ..Default::default()
                    };
                    let _ = logs::read(
                        &engine.host.log_path(&id),
                        &opts,
                        &mut o,
                        &mut e,
                        &mut running,
                    );
                    let _ = o.finish().and_then(|()| e.finish());
                } else {
                    while running() {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
                if !watched || done.load(Ordering::SeqCst) {
                    return;
                }
                let code = final_code(engine, &id, &state_dir);
                let _ = tx.send(Some(Exit {
                    service,
                    short,
                    code,
                    restarting: false,
                }));
            });
        }
        drop(tx);
        let mut stopping = false;
        let mut stopper: Option<std::thread::ScopedJoinHandle<'_, ()>> = None;
        let announce = |what: &str| engine.progress.compose_event("Stopping", what);
        while remaining > 0 {
            match signals.read_signal() {
                Ok(Some(_)) if !stopping => {
                    stopping = true;
                    announce("Gracefully Stopping... press Ctrl+C again to force");
                    let stop_all = &stop_all;
                    stopper = Some(scope.spawn(move || stop_all(false)));
                }
                Ok(Some(_)) => {
                    stop_all(true);
                }
                _ => {}
            }
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(None) => remaining -= 1,
                Ok(Some(exit)) => {
                    if !exit.restarting {
                        remaining -= 1;
                    }
                    if !exit.restarting {
                        let _ = consumer.exited(&exit.short, exit.code, false);
                    }
                    let from = a.exit_code_from.as_deref();
                    // `--exit-code-from` implies `--abort-on-container-exit`
                    // (unless `--abort-on-container-failure` is given).
                    let on_exit = a.abort_on_container_exit
                        || (from.is_some() && !a.abort_on_container_failure);
                    let triggers = !stopping
                        && (on_exit
                            || (a.abort_on_container_failure && exit.code != 0)
                            || from == Some(exit.service.as_str()));
                    if from == Some(exit.service.as_str()) || (from.is_none() && triggers) {
                        code.get_or_insert(exit.code);
                    }
                    if triggers {
                        stopping = true;
                        announce("Aborting on container exit...");
                        let stop_all = &stop_all;
                        stopper = Some(scope.spawn(move || stop_all(false)));
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            if started.load(Ordering::SeqCst)
                && !stopping
                && start_error
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .is_some()
            {
                stopping = true;
                let stop_all = &stop_all;
                stopper = Some(scope.spawn(move || stop_all(false)));
            }
        }
        // Every watched container is gone: `up` ends, and so do the
        // followers of attached containers it does not watch.
        done.store(true, Ordering::SeqCst);
        if let Some(h) = stopper {
            let _ = h.join();
        }
        Ok(())
    })?;
    if let Some(e) = start_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    match code {
        Some(c) if c != 0 => bail!(crate::cmd::ExitStatus(
            crate::container::exit::ExitCode::Container(c)
        )),
        _ => Ok(0),
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
