//! Attached `up`: `Attaching to ...`, every container's output (from its
//! json-file log, read from the start, so nothing before the follower
//! began is lost) with a `name  | ` prefix padded to the longest name and
//! coloured per container on a terminal, `p-web-1 exited with code N`.
//! Ctrl-C stops every container gracefully (a second one kills them) and
//! `up` returns 0; `--abort-on-container-exit`/`-failure` stop everything
//! when a container exits (with a failure), `--exit-code-from` returns
//! that service's code.

use super::engine::Engine;
use crate::cli::compose::ComposeUpArgs;
use crate::container::lifecycle;
use crate::shim::launch;
use crate::shim::logs::{self, LogsOptions};
use crate::store::Store;
use anyhow::{bail, Result};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

const COLORS: &[&str] = &["36", "33", "32", "35", "34", "96", "93", "92", "95", "94"];

/// Lines of one container to stdout, each with the prefix.
struct Prefixed {
    prefix: String,
    partial: Vec<u8>,
    out: Arc<Mutex<()>>,
}

impl Write for Prefixed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.partial.extend_from_slice(buf);
        while let Some(i) = self.partial.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=i).collect();
            let _g = self.out.lock().unwrap_or_else(|e| e.into_inner());
            let mut o = std::io::stdout().lock();
            o.write_all(self.prefix.as_bytes())?;
            o.write_all(&line)?;
            o.flush()?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Exit {
    service: String,
    name: String,
    code: i64,
}

pub fn run(
    engine: &Engine,
    order: &[String],
    to_start: &BTreeMap<String, Vec<String>>,
    a: &ComposeUpArgs,
) -> Result<u8> {
    use std::io::IsTerminal;
    // Signals first, so every thread started below inherits the mask.
    let signals = crate::sys::signalfd::SignalFd::new(&[libc::SIGINT, libc::SIGTERM])?;
    let mut store = engine.store()?;
    let attached: Vec<_> = engine
        .members(&mut store)?
        .into_iter()
        .filter(|m| !m.existing.oneoff)
        .filter(|m| {
            engine
                .service(&m.existing.service)
                .is_some_and(|s| s.attach)
        })
        .collect();
    let names: Vec<&str> = attached.iter().map(|m| m.existing.name.as_str()).collect();
    println!("Attaching to {}", names.join(", "));
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let color = !a.no_color && std::io::stdout().is_terminal();
    let out_lock = Arc::new(Mutex::new(()));
    let started = AtomicBool::new(false);
    let start_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let (tx, rx) = mpsc::channel::<Exit>();
    let mut code: Option<i64> = None;
    let stop_all = |kill: bool| {
        let ids: Vec<String> = attached.iter().map(|m| m.existing.id.clone()).collect();
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
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(|| {
            if let Err(e) = engine.start_graph(order, to_start) {
                *start_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
            }
            started.store(true, Ordering::SeqCst);
        });
        for (i, m) in attached.iter().enumerate() {
            let id = m.existing.id.clone();
            let name = m.existing.name.clone();
            let service = m.existing.service.clone();
            let prefix = if a.no_log_prefix {
                String::new()
            } else if color {
                format!(
                    "\x1b[{}m{:<width$} | \x1b[0m",
                    COLORS[i % COLORS.len()],
                    name
                )
            } else {
                format!("{name:<width$} | ")
            };
            let (tx, out_lock, started) = (tx.clone(), out_lock.clone(), &started);
            scope.spawn(move || {
                let state_dir = engine.host.state_dir(&id);
                // Until the container runs (or the starter gave up on it).
                while !launch::is_running(&state_dir) {
                    if started.load(Ordering::SeqCst) && !launch::is_running(&state_dir) {
                        let Ok(mut st) = Store::open(engine.host.layout.clone()) else {
                            return;
                        };
                        let ran = lifecycle::find(&st, &id).is_ok_and(|mut c| {
                            let _ = lifecycle::refresh(&engine.host, &mut st, &mut c);
                            c.row.status != crate::store::containers::Status::Created
                        });
                        if !ran {
                            return;
                        }
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                let mut w = Prefixed {
                    prefix,
                    partial: Vec::new(),
                    out: out_lock.clone(),
                };
                let mut e = Prefixed {
                    prefix: w.prefix.clone(),
                    partial: Vec::new(),
                    out: out_lock,
                };
                let opts = LogsOptions {
                    follow: true,
                    ..Default::default()
                };
                let mut running = || launch::is_running(&state_dir);
                let _ = logs::read(
                    &engine.host.log_path(&id),
                    &opts,
                    &mut w,
                    &mut e,
                    &mut running,
                );
                // The shim's published exit first: it needs no lock, and a
                // `stop` of the project may hold the container's while it
                // waits out the timeout (a failed refresh read as 0 then).
                let published = match launch::status(&state_dir) {
                    Ok(launch::ShimStatus::Exited(e)) => Some(i64::from(e.exit_code)),
                    _ => None,
                };
                let code = published
                    .or_else(|| {
                        let mut st = Store::open(engine.host.layout.clone()).ok()?;
                        let mut c = lifecycle::find(&st, &id).ok()?;
                        lifecycle::refresh(&engine.host, &mut st, &mut c).ok()?;
                        Some(c.row.exit_code)
                    })
                    .unwrap_or(0);
                let _ = tx.send(Exit {
                    service,
                    name,
                    code,
                });
            });
        }
        drop(tx);
        let mut stopping = false;
        let mut stopper: Option<std::thread::ScopedJoinHandle<'_, ()>> = None;
        loop {
            match signals.read_signal() {
                Ok(Some(_)) if !stopping => {
                    stopping = true;
                    eprintln!("Gracefully stopping... (press Ctrl+C again to force)");
                    let stop_all = &stop_all;
                    stopper = Some(scope.spawn(move || stop_all(false)));
                }
                Ok(Some(_)) => {
                    stop_all(true);
                }
                _ => {}
            }
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(exit) => {
                    {
                        let _g = out_lock.lock().unwrap_or_else(|e| e.into_inner());
                        println!("{} exited with code {}", exit.name, exit.code);
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
                        eprintln!("Aborting on container exit...");
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
