//! `berth compose logs [SERVICE...]`: the json-file logs of the project's
//! service containers (not one-offs), read by `shim::logs::read` with
//! `berth logs`'s options and printed through compose's log consumer
//! (`printer`: `web-1  | ` prefixes padded to the longest name printed so
//! far, rainbow colours in order of first output on a terminal unless
//! `--no-color`, `--no-log-prefix`). Both streams go to stdout, as
//! compose's; `-t` puts each entry's own timestamp after the prefix; a
//! last line without a newline is not printed (compose never closes its
//! line splitter there). Without a SERVICE, services with `attach: false`
//! are left out; `--index` needs exactly one SERVICE.
//!
//! `-f` follows every container in its own thread, picks up containers
//! of those services that start (or start again) later (polled), prints
//! compose's `web-1 exited with code N` (` (restarting)` when the restart
//! policy runs it again) when a followed one stops, and ends, as compose's
//! monitor does, once every container of those services that existed at
//! the start or appeared since has exited while followed: a container
//! already stopped when `logs -f` began keeps it running until it has run
//! and exited again (or until Ctrl-C).

use super::printer::{self, Lines, LogConsumer, RunWatch, Seen};
use crate::cli::compose::ComposeLogsArgs;
use crate::cli::container::LogsArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::{LoadOptions, Project};
use crate::compose::service::labels;
use crate::container::lifecycle::{self, Container};
use crate::shim::logs::{self, LogsError, LogsOptions};
use anyhow::{bail, Result};
use std::collections::{BTreeSet, HashMap};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What a reader thread needs of one container.
struct Source {
    id: String,
    log: PathBuf,
    state_dir: PathBuf,
    live: bool,
    readable: bool,
    name: String,
    short: String,
}

fn source(host: &lifecycle::Host, project: &str, c: &Container) -> Source {
    let label = |k: &str| c.spec.labels.get(k).cloned().unwrap_or_default();
    Source {
        id: c.row.id.clone(),
        log: host.log_path(&c.row.id),
        state_dir: host.state_dir(&c.row.id),
        live: c.row.status.is_live(),
        readable: c.spec.log.driver != crate::container::spec::LogDriver::None,
        name: c.row.name.clone(),
        short: printer::short_name(
            project,
            &label(labels::SERVICE),
            &label(labels::NUMBER),
            &c.row.name,
        ),
    }
}

/// Reads one container's log through the consumer; a restart of a live
/// one is reported as it happens. A closed output ends it quietly (true:
/// the output is gone).
fn read_one(s: &Source, opts: &LogsOptions, consumer: &Arc<LogConsumer>) -> Result<bool> {
    if !s.readable {
        eprintln!(
            "WARN[0000] Can't retrieve logs for {:?}: configured logging driver does not support reading",
            s.name
        );
        return Ok(false);
    }
    let mut o = Lines::new(consumer, &s.short, false);
    let mut e = Lines::new(consumer, &s.short, false);
    let mut runs = RunWatch::new(s.state_dir.clone());
    let mut gone = false;
    let live = s.live;
    let mut running = || {
        if !live || gone {
            return false;
        }
        match runs.poll() {
            Seen::Running => true,
            Seen::Restarting(code) => {
                gone = consumer.exited(&s.short, code, true).is_err();
                !gone
            }
            Seen::Ended => false,
        }
    };
    let res = logs::read(&s.log, opts, &mut o, &mut e, &mut running);
    match res.map_err(anyhow::Error::from) {
        Ok(()) => Ok(gone),
        Err(err) if is_broken_pipe(&err) => Ok(true),
        Err(err) => Err(err),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let kind = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    match e.downcast_ref::<LogsError>() {
        Some(LogsError::Output(io) | LogsError::Io { source: io, .. }) => kind(io),
        _ => e.downcast_ref::<std::io::Error>().is_some_and(kind),
    }
}

/// The services `logs` shows without a SERVICE argument: the project's,
/// less those with `attach: false` (all of them when that leaves none).
fn default_services(p: &Project) -> Vec<String> {
    let all = super::service_names(p);
    let services = p
        .model
        .as_map()
        .and_then(|m| m.get("services"))
        .and_then(crate::compose::yaml::Node::as_map);
    let attached: Vec<String> = all
        .iter()
        .filter(|n| {
            let attach = services
                .and_then(|m| m.get(n.as_str()))
                .and_then(crate::compose::yaml::Node::as_map)
                .and_then(|m| m.get("attach"));
            !attach.is_some_and(|a| {
                matches!(a.value, crate::compose::yaml::Value::Bool(false))
                    || a.as_str() == Some("false")
            })
        })
        .cloned()
        .collect();
    if attached.is_empty() {
        all
    } else {
        attached
    }
}

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposeLogsArgs,
    _out: &mut dyn Write,
) -> Result<u8> {
    if a.index > 0 && a.service.len() != 1 {
        bail!("--index requires one service to be selected");
    }
    let largs = LogsArgs {
        follow: a.follow,
        since: a.since.clone(),
        until: a.until.clone(),
        timestamps: a.timestamps,
        tail: a.tail.clone(),
        container: String::new(),
    };
    let opts = crate::cmd::container::logs::options(&largs, SystemTime::now())?;
    crate::sys::process::ignore_sigpipe();
    let (project, name) = super::project_or_name(base)?;
    let mut services = a.service.clone();
    let (host, mut store) = ctx.container_store()?;
    if let (Some(p), true) = (&project, services.is_empty()) {
        services = default_services(p);
    }
    let all = Query {
        project: &name,
        oneoff: OneOff::Exclude,
        all: true,
        services: &services,
    };
    let selected: Vec<Container> = if a.index > 0 {
        vec![containers::specified(
            &host,
            &mut store,
            &name,
            OneOff::Exclude,
            true,
            &services[0],
            a.index,
        )?]
    } else {
        containers::list(&host, &mut store, &all)?
    };
    let color = !a.no_color && std::io::stdout().is_terminal();
    // Both streams to stdout.
    let consumer = Arc::new(LogConsumer::new(
        color,
        !a.no_log_prefix,
        false,
        Box::new(std::io::stdout()),
        Box::new(std::io::stdout()),
    ));
    if !a.follow {
        // One container after the other, each container's lines in order.
        for c in &selected {
            if read_one(&source(&host, &name, c), &opts, &consumer)? {
                return Ok(0);
            }
        }
        return Ok(0);
    }
    // Following: what compose's monitor watches (every container of the
    // services, stopped ones too) must each be seen to exit. A container
    // that starts later is read from the end of what was already shown of
    // it (the follow's start), so every run of a restarting one shows.
    let follow_start = SystemTime::now();
    let mut seen_until: HashMap<String, SystemTime> = HashMap::new();
    let mut pending: BTreeSet<String> = containers::list(&host, &mut store, &all)?
        .into_iter()
        .map(|c| c.row.id)
        .collect();
    let mut readers: Vec<Reader> = selected
        .iter()
        .map(|c| {
            let s = source(&host, &name, c);
            let report = s.live;
            Reader::spawn(s, opts.clone(), &consumer, report)
        })
        .collect();
    loop {
        if pending.is_empty() && readers.is_empty() {
            return Ok(0);
        }
        std::thread::sleep(Duration::from_millis(500));
        for c in containers::list(&host, &mut store, &all)? {
            if readers.iter().any(|r| r.id == c.row.id) {
                continue;
            }
            let since = seen_until.get(&c.row.id).copied().unwrap_or(follow_start);
            let started = chrono::DateTime::parse_from_rfc3339(&c.row.started_at)
                .ok()
                .map(SystemTime::from);
            // Running now, or ran (and exited) between two polls.
            if !c.row.status.is_live() && started.is_none_or(|t| t < since) {
                continue;
            }
            pending.insert(c.row.id.clone());
            let mut o = opts.clone();
            o.since = Some(since);
            readers.push(Reader::spawn(source(&host, &name, &c), o, &consumer, true));
        }
        let mut i = 0;
        while i < readers.len() {
            if !readers[i].handle.is_finished() {
                i += 1;
                continue;
            }
            let r = readers.swap_remove(i);
            match r.handle.join() {
                Ok(Ok(true)) => return Ok(0),
                Ok(Ok(false)) => {}
                Ok(Err(e)) => return Err(e),
                Err(_) => bail!("a log reader failed"),
            }
            if !r.report {
                continue;
            }
            seen_until.insert(r.id.clone(), SystemTime::now());
            let Ok(mut c) = lifecycle::find(&store, &r.id) else {
                pending.remove(&r.id);
                continue;
            };
            lifecycle::refresh(&host, &mut store, &mut c)?;
            if !c.row.status.is_live() {
                pending.remove(&r.id);
                if consumer.exited(&r.short, c.row.exit_code, false).is_err() {
                    return Ok(0);
                }
            }
        }
    }
}

/// A following reader thread and what its end is reported with.
struct Reader {
    id: String,
    short: String,
    /// Its end gets an exit line (it was followed while it ran).
    report: bool,
    handle: std::thread::JoinHandle<Result<bool>>,
}

impl Reader {
    fn spawn(s: Source, opts: LogsOptions, consumer: &Arc<LogConsumer>, report: bool) -> Reader {
        let consumer = consumer.clone();
        Reader {
            id: s.id.clone(),
            short: s.short.clone(),
            report,
            handle: std::thread::spawn(move || read_one(&s, &opts, &consumer)),
        }
    }
}
