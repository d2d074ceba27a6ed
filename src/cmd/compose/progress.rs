//! compose's progress on stderr. Not a terminal (compose's `plain`/`quiet
//! tty` mode): one line per event, ` Container p-web-1  Started`. On a
//! terminal: a `[+] Running 2/3` header over one line per resource, redrawn
//! in place as events arrive. `--dry-run` prefixes ` DRY-RUN MODE - `.
//! Shared by the threads that start services in parallel.

use std::io::Write;
use std::sync::Mutex;

/// Statuses that finish a resource's line (`n/m` counts them).
fn is_done(status: &str) -> bool {
    matches!(
        status,
        "Created"
            | "Started"
            | "Running"
            | "Healthy"
            | "Exited"
            | "Recreated"
            | "Stopped"
            | "Removed"
            | "Pulled"
            | "Skipped"
            | "Error"
    )
}

/// compose's `DRYRUN_PREFIX`; its plain writer prints it, then a space,
/// then the event (` DRY-RUN MODE -  Container p-web-1  Started`).
pub const DRY_RUN_PREFIX: &str = " DRY-RUN MODE - ";

struct Line {
    id: String,
    status: String,
}

pub struct Progress {
    tty: bool,
    prefix: &'static str,
    title: &'static str,
    lines: Mutex<(Vec<Line>, usize)>,
}

impl Progress {
    pub fn new(title: &'static str, dry_run: bool) -> Progress {
        use std::io::IsTerminal;
        Progress {
            tty: std::io::stderr().is_terminal(),
            prefix: super::dry_prefix(dry_run),
            title,
            lines: Mutex::new((Vec::new(), 0)),
        }
    }

    /// One event of one resource: `kind` is `Container`, `Network`,
    /// `Volume` or `Image`.
    /// compose quotes a volume's name where it creates one (`Volume
    /// "p_data"  Created`), not where `down` removes it ([`Self::removal`]).
    pub fn event(&self, kind: &str, name: &str, status: &str) {
        let id = if kind == "Volume" {
            format!("{kind} \"{name}\"")
        } else {
            format!("{kind} {name}")
        };
        self.line(id, status);
    }

    /// An event of `down`'s removal of a network, volume or image:
    /// `Kind name`, never quoted (compose's down.go).
    pub fn removal(&self, kind: &str, name: &str, status: &str) {
        self.line(format!("{kind} {name}"), status);
    }

    fn line(&self, id: String, status: &str) {
        let mut guard = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        let (lines, drawn) = &mut *guard;
        let mut err = std::io::stderr().lock();
        if !self.tty {
            let _ = writeln!(err, "{} {id}  {status}", self.prefix);
            return;
        }
        match lines.iter_mut().find(|l| l.id == id) {
            Some(l) => l.status = status.to_string(),
            None => lines.push(Line {
                id,
                status: status.to_string(),
            }),
        }
        // Move back over what was drawn, then draw everything again.
        if *drawn > 0 {
            let _ = write!(err, "\x1b[{}A", *drawn);
        }
        let done = lines.iter().filter(|l| is_done(&l.status)).count();
        let _ = writeln!(
            err,
            "\x1b[2K{}[+] {} {done}/{}",
            self.prefix,
            self.title,
            lines.len()
        );
        let width = lines.iter().map(|l| l.id.len()).max().unwrap_or(0);
        for l in lines.iter() {
            let mark = if is_done(&l.status) { "✔" } else { " " };
            let _ = writeln!(
                err,
                "\x1b[2K {mark} {:<width$}  {}",
                l.id,
                l.status,
                width = width
            );
        }
        *drawn = lines.len() + 1;
        let _ = err.flush();
    }

    /// An event of the whole project (compose's `Compose` resource):
    /// ` Compose Stopping Gracefully Stopping...`, as compose's plain
    /// writer prints it.
    pub fn compose_event(&self, status: &str, details: &str) {
        let _guard = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        eprintln!("{} Compose {status} {details}", self.prefix);
    }

    /// A warning between progress lines (compose's `WARN[0000]`).
    pub fn warn(&self, msg: &str) {
        let _guard = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        eprintln!("WARN[0000] {msg}");
    }
}
