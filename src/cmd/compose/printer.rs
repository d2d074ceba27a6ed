//! compose's log consumer, shared by attached `up` and `compose logs`
//! (docker compose's `cmd/formatter/logs.go` and `colors.go`):
//!
//! - A container gets its presenter when its first line (or status) is
//!   printed: the next colour of the rainbow (cyan, yellow, green,
//!   magenta, blue, then the same five bold, round and round) and a
//!   `name | ` prefix. The prefix is padded to the longest name registered
//!   *so far* plus one, and every prefix is recomputed on each
//!   registration, so early lines can be narrower than later ones, exactly
//!   as compose's.
//! - A coloured prefix is `ESC[<code>m<name padded> | ESC[0m`; the line
//!   itself is not coloured. Without colour (not a terminal, `--no-color`)
//!   no escape code is written in a log line.
//! - Status lines (`web-1 exited with code 0`) start with `\r ESC[K` (goterm's
//!   RESET_LINE, written even when not on a terminal) and are coloured as
//!   a whole, the newline included: `ESC[36m\r ESC[Kweb-1 exited with code
//!   0\n ESC[0m`.
//! - `up --timestamps` puts the time of printing (local time, Go's
//!   RFC3339NanoFixed) after the prefix; `logs -t` instead gets the log's
//!   own timestamps from the reader, inside the line.
//! - Lines a container wrote to stderr go to stderr (attached `up`);
//!   `compose logs` sends both streams to stdout.

use crate::shim::launch;
use crate::shim::state::RunStatus;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// compose's rainbow, as SGR parameters.
pub const RAINBOW: [&str; 10] = [
    "36", "33", "32", "35", "34", "36;1", "33;1", "32;1", "35;1", "34;1",
];

/// goterm's RESET_LINE: back to the line's start and clear it.
const RESET_LINE: &str = "\r\x1b[K";

struct Presenter {
    name: String,
    color: Option<&'static str>,
    prefix: String,
}

struct State {
    presenters: Vec<Presenter>,
    next_color: usize,
    out: Box<dyn Write + Send>,
    err: Box<dyn Write + Send>,
}

pub struct LogConsumer {
    color: bool,
    prefix: bool,
    timestamps: bool,
    state: Mutex<State>,
}

fn colored(color: Option<&str>, s: &str) -> String {
    match color {
        Some(c) => format!("\x1b[{c}m{s}\x1b[0m"),
        None => s.to_string(),
    }
}

/// The container name a log line is prefixed with: without the
/// `<project>-` when it is the default `<project>-<service>-<n>`, the
/// whole name when the service sets `container_name` (compose's
/// `getContainerNameWithoutProject`).
pub fn short_name(project: &str, service: &str, number: &str, name: &str) -> String {
    if name == format!("{project}-{service}-{number}") {
        name[project.len() + 1..].to_string()
    } else {
        name.to_string()
    }
}

impl LogConsumer {
    /// To the process's stdout and stderr.
    pub fn stdio(color: bool, prefix: bool, timestamps: bool) -> Arc<LogConsumer> {
        Arc::new(Self::new(
            color,
            prefix,
            timestamps,
            Box::new(io::stdout()),
            Box::new(io::stderr()),
        ))
    }

    pub fn new(
        color: bool,
        prefix: bool,
        timestamps: bool,
        out: Box<dyn Write + Send>,
        err: Box<dyn Write + Send>,
    ) -> LogConsumer {
        LogConsumer {
            color,
            prefix,
            timestamps,
            state: Mutex::new(State {
                presenters: Vec::new(),
                next_color: 0,
                out,
                err,
            }),
        }
    }

    /// The presenter of `name`, registered (and every prefix re-padded)
    /// on first use.
    fn presenter<'s>(&self, st: &'s mut State, name: &str) -> &'s Presenter {
        if let Some(i) = st.presenters.iter().position(|p| p.name == name) {
            return &st.presenters[i];
        }
        let color = if self.color && !name.is_empty() {
            let c = RAINBOW[st.next_color];
            st.next_color = (st.next_color + 1) % RAINBOW.len();
            Some(c)
        } else {
            None
        };
        st.presenters.push(Presenter {
            name: name.to_string(),
            color,
            prefix: String::new(),
        });
        let width = st
            .presenters
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(0)
            + 1;
        if self.prefix {
            for p in &mut st.presenters {
                p.prefix = colored(p.color, &format!("{:<width$} | ", p.name));
            }
        }
        st.presenters.last().expect("just pushed")
    }

    fn write(&self, to_err: bool, name: &str, line: &[u8]) -> io::Result<()> {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let st = &mut *guard;
        let mut buf = self.presenter(st, name).prefix.clone().into_bytes();
        if self.timestamps {
            let now = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
            buf.extend_from_slice(now.as_bytes());
            buf.push(b' ');
        }
        buf.extend_from_slice(line);
        buf.push(b'\n');
        let w = if to_err { &mut st.err } else { &mut st.out };
        w.write_all(&buf)?;
        w.flush()
    }

    /// One line (without its newline) the container wrote to stdout.
    pub fn log(&self, name: &str, line: &[u8]) -> io::Result<()> {
        self.write(false, name, line)
    }

    /// One line the container wrote to stderr.
    pub fn err(&self, name: &str, line: &[u8]) -> io::Result<()> {
        self.write(true, name, line)
    }

    /// `name msg` on stdout, as compose's `Status`.
    pub fn status(&self, name: &str, msg: &str) -> io::Result<()> {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let st = &mut *guard;
        let color = self.presenter(st, name).color;
        let text = colored(color, &format!("{RESET_LINE}{name} {msg}\n"));
        st.out.write_all(text.as_bytes())?;
        st.out.flush()
    }

    /// compose's printer of an exit: `exited with code N`, with
    /// ` (restarting)` when the restart policy runs the container again.
    pub fn exited(&self, name: &str, code: i64, restarting: bool) -> io::Result<()> {
        let msg = if restarting {
            format!("exited with code {code} (restarting)")
        } else {
            format!("exited with code {code}")
        };
        self.status(name, &msg)
    }
}

/// A writer that hands every complete line of one container's stream to
/// the consumer (compose's `splitWriter`). `finish` passes on a last line
/// without a newline, which compose does for an attached stream (it
/// closes the writer) and not for `logs` (it does not).
pub struct Lines {
    pub consumer: Arc<LogConsumer>,
    pub name: String,
    pub stderr: bool,
    buf: Vec<u8>,
}

impl Lines {
    pub fn new(consumer: &Arc<LogConsumer>, name: &str, stderr: bool) -> Lines {
        Lines {
            consumer: consumer.clone(),
            name: name.to_string(),
            stderr,
            buf: Vec::new(),
        }
    }

    pub fn finish(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let rest = std::mem::take(&mut self.buf);
        self.emit(&rest)
    }

    fn emit(&self, line: &[u8]) -> io::Result<()> {
        if self.stderr {
            self.consumer.err(&self.name, line)
        } else {
            self.consumer.log(&self.name, line)
        }
    }
}

impl Write for Lines {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        while let Some(i) = self.buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buf.drain(..=i).collect();
            self.emit(&line[..i])?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What a watcher of one container's shim saw.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    /// Running (or already reported restarting).
    Running,
    /// A run ended and the restart policy runs it again: its exit code.
    Restarting(i64),
    /// No run is left.
    Ended,
}

/// Watches one container's runs through its shim's published state, so
/// each end of a run the restart policy follows is reported once (compose
/// sees a `die` with the container restarting), even when a poll misses
/// the back-off between two runs (the run number moved on).
pub struct RunWatch {
    state_dir: PathBuf,
    /// The last run whose restarting end was reported (or that had ended
    /// before the first poll).
    reported: Option<u64>,
}

impl RunWatch {
    pub fn new(state_dir: PathBuf) -> RunWatch {
        RunWatch {
            state_dir,
            reported: None,
        }
    }

    pub fn poll(&mut self) -> Seen {
        let s = match launch::status(&self.state_dir) {
            Ok(launch::ShimStatus::Running { state, .. }) => state,
            _ => return Seen::Ended,
        };
        let Some(s) = s else {
            return Seen::Running;
        };
        match restart_seen(&mut self.reported, s.status, s.generation) {
            true => Seen::Restarting(s.exit.as_ref().map_or(0, |e| i64::from(e.exit_code))),
            false => Seen::Running,
        }
    }
}

/// Whether the published (status, run) shows a restarting end not yet
/// reported; `reported` is the last reported run (set on the first call).
fn restart_seen(reported: &mut Option<u64>, status: RunStatus, generation: u64) -> bool {
    // The runs that ended with the policy running the container again.
    let ended = match status {
        RunStatus::Restarting => generation,
        _ => generation.saturating_sub(1),
    };
    let base = *reported.get_or_insert(match status {
        RunStatus::Restarting => generation.saturating_sub(1),
        _ => ended,
    });
    if ended > base {
        *reported = Some(ended);
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, d: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(d);
            Ok(d.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    impl Buf {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn consumer(color: bool, prefix: bool) -> (Arc<LogConsumer>, Buf, Buf) {
        let (o, e) = (Buf::default(), Buf::default());
        let c = LogConsumer::new(
            color,
            prefix,
            false,
            Box::new(o.clone()),
            Box::new(e.clone()),
        );
        (Arc::new(c), o, e)
    }

    #[test]
    fn prefixes_grow_as_containers_register() {
        let (c, o, e) = consumer(false, true);
        c.log("a-1", b"one").unwrap();
        c.log("longer-1", b"two").unwrap();
        c.log("a-1", b"three").unwrap();
        c.err("a-1", b"oops").unwrap();
        c.exited("a-1", 3, false).unwrap();
        c.exited("longer-1", 0, true).unwrap();
        assert_eq!(
            o.text(),
            "a-1  | one\nlonger-1  | two\na-1       | three\n\
             \r\x1b[Ka-1 exited with code 3\n\
             \r\x1b[Klonger-1 exited with code 0 (restarting)\n"
        );
        assert_eq!(e.text(), "a-1       | oops\n");
    }

    #[test]
    fn colours_follow_the_rainbow_in_order_of_first_output() {
        let (c, o, _) = consumer(true, true);
        for i in 0..11 {
            c.log(&format!("s{i:02}-1"), b"x").unwrap();
        }
        c.exited("s01-1", 0, false).unwrap();
        let text = o.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "\x1b[36ms00-1  | \x1b[0mx");
        assert_eq!(lines[1], "\x1b[33ms01-1  | \x1b[0mx");
        assert_eq!(lines[5], "\x1b[36;1ms05-1  | \x1b[0mx");
        assert_eq!(lines[9], "\x1b[34;1ms09-1  | \x1b[0mx");
        assert_eq!(lines[10], "\x1b[36ms10-1  | \x1b[0mx");
        assert!(text.ends_with("\x1b[33m\r\x1b[Ks01-1 exited with code 0\n\x1b[0m"));
    }

    #[test]
    fn no_prefix_and_split_lines() {
        let (c, o, _) = consumer(true, false);
        let mut w = Lines::new(&c, "web-1", false);
        w.write_all(b"one\ntw").unwrap();
        w.write_all(b"o\nrest").unwrap();
        assert_eq!(o.text(), "one\ntwo\n");
        w.finish().unwrap();
        assert_eq!(o.text(), "one\ntwo\nrest\n");
    }

    #[test]
    fn restarts_are_seen_once_even_between_polls() {
        let mut r = None;
        assert!(!restart_seen(&mut r, RunStatus::Running, 1));
        assert!(restart_seen(&mut r, RunStatus::Restarting, 1));
        assert!(!restart_seen(&mut r, RunStatus::Restarting, 1));
        assert!(!restart_seen(&mut r, RunStatus::Running, 2));
        // The back-off of run 2 was missed: run 3 runs.
        assert!(restart_seen(&mut r, RunStatus::Running, 3));
        assert!(!restart_seen(&mut r, RunStatus::Running, 3));
        // First seen restarting: that end is reported.
        let mut r = None;
        assert!(restart_seen(&mut r, RunStatus::Restarting, 4));
        let mut r = None;
        assert!(!restart_seen(&mut r, RunStatus::Running, 4));
    }

    #[test]
    fn short_names_keep_custom_container_names() {
        assert_eq!(short_name("p", "web", "1", "p-web-1"), "web-1");
        assert_eq!(short_name("p", "web", "1", "p-custom"), "p-custom");
        assert_eq!(short_name("p", "web", "2", "p-web-1"), "p-web-1");
    }
}
