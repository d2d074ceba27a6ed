//! `berth compose logs [SERVICE...]`: the json-file logs of the project's
//! service containers (not one-offs), read by `shim::logs::read` with
//! `berth logs`'s options, each line prefixed `web-1  | ` (the container
//! name without the project, padded to the longest name plus one, as
//! compose's log consumer does; coloured per container only on a terminal
//! and without `--no-color`). Both streams go to stdout, as compose's.
//! `-f` follows every container in its own thread, picks up containers
//! of the project that start (or start again) later (polled), prints
//! compose's `web-1 exited with code N` when a followed one stops, and
//! ends when none is left running.

use crate::cli::compose::ComposeLogsArgs;
use crate::cli::container::LogsArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use crate::container::lifecycle::{self, Container};
use crate::shim::launch;
use crate::shim::logs::{self, LogsError, LogsOptions};
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// compose's rainbow: cyan, yellow, green, magenta, blue, then bold.
const RAINBOW: &[&str] = &[
    "36", "33", "32", "35", "34", "36;1", "33;1", "32;1", "35;1", "34;1",
];

/// The name a log line is prefixed with: the container name without the
/// `<project>-` (compose's `getContainerNameWithoutProject`).
fn short_name(project: &str, name: &str) -> String {
    name.strip_prefix(&format!("{project}-"))
        .unwrap_or(name)
        .to_string()
}

/// `name  | `: padded to `width` (the longest name plus one), coloured by
/// `color` (an SGR code) when given.
fn prefix(name: &str, width: usize, color: Option<&str>) -> String {
    let p = format!("{name:<width$} | ");
    match color {
        Some(c) => format!("\x1b[{c}m{p}\x1b[0m"),
        None => p,
    }
}

/// Where prefixed lines go, shared by the readers.
type Sink = Arc<Mutex<dyn Write + Send>>;

/// A writer that prefixes every complete line and writes it, whole, to the
/// shared output (so lines of different containers never interleave).
struct Prefixed {
    prefix: String,
    buf: Vec<u8>,
    out: Sink,
}

impl Write for Prefixed {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        while let Some(i) = self.buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buf.drain(..=i).collect();
            let mut o = self.out.lock().unwrap_or_else(|e| e.into_inner());
            o.write_all(self.prefix.as_bytes())?;
            o.write_all(&line)?;
            o.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buf.is_empty() {
            let rest = std::mem::take(&mut self.buf);
            let mut o = self.out.lock().unwrap_or_else(|e| e.into_inner());
            o.write_all(self.prefix.as_bytes())?;
            o.write_all(&rest)?;
            o.write_all(b"\n")?;
            o.flush()?;
        }
        Ok(())
    }
}

/// What a reader thread needs of one container.
struct Source {
    prefix: String,
    log: PathBuf,
    state_dir: PathBuf,
    live: bool,
    readable: bool,
    name: String,
    short: String,
    color: Option<String>,
}

/// Reads one container's log through `prefix`; a closed output ends it
/// quietly (true: the output is gone).
fn read_one(s: &Source, opts: &LogsOptions, out: &Sink) -> Result<bool> {
    if !s.readable {
        eprintln!(
            "WARN[0000] Can't retrieve logs for {:?}: configured logging driver does not support reading",
            s.name
        );
        return Ok(false);
    }
    let mk = || Prefixed {
        prefix: s.prefix.clone(),
        buf: Vec::new(),
        out: out.clone(),
    };
    let (mut o, mut e) = (mk(), mk());
    let live = s.live;
    let mut running = || live && launch::is_running(&s.state_dir);
    let res = logs::read(&s.log, opts, &mut o, &mut e, &mut running);
    let flushed = o.flush().and_then(|()| e.flush());
    match res
        .map_err(anyhow::Error::from)
        .and(flushed.map_err(Into::into))
    {
        Ok(()) => Ok(false),
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

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposeLogsArgs,
    out: &mut dyn Write,
) -> Result<u8> {
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
    let selected: Vec<Container> = if a.index > 0 {
        let service = services.first().cloned().unwrap_or_default();
        vec![containers::specified(
            &host,
            &mut store,
            &name,
            OneOff::Exclude,
            true,
            &service,
            a.index,
        )?]
    } else {
        if let (Some(p), true) = (&project, services.is_empty()) {
            services = super::service_names(p);
        }
        let q = Query {
            project: &name,
            oneoff: OneOff::Exclude,
            all: true,
            services: &services,
        };
        containers::list(&host, &mut store, &q)?
    };
    let color = !a.no_color && std::io::stdout().is_terminal();
    let mut colors = RAINBOW.iter().cycle();
    let names: Vec<String> = selected
        .iter()
        .map(|c| short_name(&name, &c.row.name))
        .collect();
    let width = names.iter().map(String::len).max().unwrap_or(0) + 1;
    let source = |c: &Container, short: &str, color: Option<&str>| Source {
        prefix: if a.no_log_prefix {
            String::new()
        } else {
            prefix(short, width, color)
        },
        log: host.log_path(&c.row.id),
        state_dir: host.state_dir(&c.row.id),
        live: c.row.status.is_live(),
        readable: c.spec.log.driver != crate::container::spec::LogDriver::None,
        name: c.row.name.clone(),
        short: short.to_string(),
        color: color.map(str::to_string),
    };
    let mut sources: Vec<Source> = selected
        .iter()
        .zip(&names)
        .map(|(c, n)| source(c, n, color.then(|| *colors.next().unwrap_or(&"36"))))
        .collect();
    if !a.follow {
        // One container after the other, each container's lines in order.
        for s in &sources {
            let buf = Arc::new(Mutex::new(Vec::<u8>::new()));
            let sink: Sink = buf.clone();
            read_one(s, &opts, &sink)?;
            let text = std::mem::take(&mut *buf.lock().unwrap_or_else(|e| e.into_inner()));
            match out.write_all(&text).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
                r => r?,
            }
        }
        return Ok(0);
    }
    // Following: one thread per container, new (and restarted) containers
    // polled; a followed container that stops gets compose's
    // `web-1 exited with code N` line.
    let shared: Sink = Arc::new(Mutex::new(std::io::stdout()));
    let mut readers: Vec<Reader> = Vec::new();
    for (s, c) in sources.drain(..).zip(&selected) {
        readers.push(Reader::spawn(&c.row.id, s, opts.clone(), &shared));
    }
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let q = Query {
            project: &name,
            oneoff: OneOff::Exclude,
            all: false,
            services: &services,
        };
        for c in containers::list(&host, &mut store, &q)? {
            if readers.iter().any(|r| r.id == c.row.id) {
                continue;
            }
            let short = short_name(&name, &c.row.name);
            let s = source(&c, &short, color.then(|| *colors.next().unwrap_or(&"36")));
            // A container started later: its log from its start.
            let mut o = opts.clone();
            o.since = chrono::DateTime::parse_from_rfc3339(&c.row.started_at)
                .ok()
                .map(SystemTime::from);
            o.tail = None;
            readers.push(Reader::spawn(&c.row.id, s, o, &shared));
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
                Err(_) => anyhow::bail!("a log reader failed"),
            }
            if !r.live {
                continue;
            }
            let Ok(mut c) = lifecycle::find(&store, &r.id) else {
                continue;
            };
            lifecycle::refresh(&host, &mut store, &mut c)?;
            if !c.row.status.is_live() {
                let line = format!("{} exited with code {}\n", r.short, c.row.exit_code);
                let line = match &r.color {
                    Some(code) => format!("\x1b[{code}m{line}\x1b[0m"),
                    None => line,
                };
                let mut o = shared.lock().unwrap_or_else(|e| e.into_inner());
                if o.write_all(line.as_bytes())
                    .and_then(|()| o.flush())
                    .is_err()
                {
                    return Ok(0);
                }
            }
        }
        if readers.is_empty() {
            return Ok(0);
        }
    }
}

/// A following reader thread and what its end is reported with.
struct Reader {
    id: String,
    short: String,
    live: bool,
    color: Option<String>,
    handle: std::thread::JoinHandle<Result<bool>>,
}

impl Reader {
    fn spawn(id: &str, s: Source, opts: LogsOptions, shared: &Sink) -> Reader {
        let shared = shared.clone();
        let (short, live, color) = (s.short.clone(), s.live, s.color.clone());
        Reader {
            id: id.to_string(),
            short,
            live,
            color,
            handle: std::thread::spawn(move || read_one(&s, &opts, &shared)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_pad_to_longest_plus_one() {
        assert_eq!(short_name("p", "p-web-1"), "web-1");
        assert_eq!(short_name("p", "custom"), "custom");
        assert_eq!(prefix("web-1", 6, None), "web-1  | ");
        assert_eq!(prefix("db-1", 6, None), "db-1   | ");
        assert_eq!(prefix("db-1", 5, Some("36")), "\x1b[36mdb-1  | \x1b[0m");
    }

    #[test]
    fn lines_are_prefixed_whole() {
        let buf = Arc::new(Mutex::new(Vec::<u8>::new()));
        let mut p = Prefixed {
            prefix: "a | ".into(),
            buf: Vec::new(),
            out: buf.clone(),
        };
        p.write_all(b"one\ntw").unwrap();
        p.write_all(b"o\nthree").unwrap();
        p.flush().unwrap();
        let text = String::from_utf8(buf.lock().unwrap().clone()).unwrap();
        assert_eq!(text, "a | one\na | two\na | three\n");
    }
}
