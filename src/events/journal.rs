//! The append-only journal file and its readers.
//!
//! Writers (any CLI, any shim) hold a shared `flock` on `events.lock` while
//! they open `events.log` and append one line with one `write(2)` on an
//! `O_APPEND` descriptor, so concurrent lines never interleave. A writer
//! that finds the file past [`MAX_SIZE`] takes the lock exclusively (every
//! other writer has finished its line), renames the file to `events.log.1`
//! (dropping the previous one) and starts a new file. A reader that follows
//! the journal therefore sees, once `events.log` is a new file, every line
//! the old one will ever get, and switches after draining it.

use super::Message;
use crate::sys::lock::FileLock;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// A journal file grows to about this size before it is rotated.
pub const MAX_SIZE: u64 = 2 * 1024 * 1024;
const LOG: &str = "events.log";
const PREVIOUS: &str = "events.log.1";
const LOCK: &str = "events.lock";

/// One report per process of a journal that cannot be written.
static WARNED: AtomicBool = AtomicBool::new(false);

/// The journal in one directory (`<data-root>/events`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    pub fn new(dir: PathBuf) -> Journal {
        Journal { dir }
    }

    /// The journal of a data root.
    pub fn of_data_root(data_root: &Path) -> Journal {
        Journal::new(super::journal_dir(data_root))
    }

    /// Append `m`; a failure is reported on stderr (once per process) and
    /// otherwise ignored: an event never fails what caused it.
    pub fn record(&self, m: &Message) {
        if let Err(e) = self.append(m) {
            if !WARNED.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "berth: warning: recording the {} {} event in {}: {e}",
                    m.kind,
                    m.action,
                    self.dir.display()
                );
            }
        }
    }

    /// Append `m` as one line.
    pub fn append(&self, m: &Message) -> io::Result<()> {
        let mut line = serde_json::to_vec(m).map_err(io::Error::other)?;
        line.push(b'\n');
        self.append_line(&line, MAX_SIZE)
    }

    fn append_line(&self, line: &[u8], max: u64) -> io::Result<()> {
        if !self.dir.is_dir() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.dir)?;
        }
        let lock_path = self.dir.join(LOCK);
        let mut guard = FileLock::shared(&lock_path)?;
        let mut file = open_append(&self.dir.join(LOG))?;
        if file.metadata()?.len() + line.len() as u64 > max {
            drop(file);
            drop(guard);
            let exclusive = FileLock::exclusive(&lock_path)?;
            let path = self.dir.join(LOG);
            // Another writer may have rotated meanwhile.
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            if size > 0 && size + line.len() as u64 > max {
                std::fs::rename(&path, self.dir.join(PREVIOUS))?;
            }
            file = open_append(&path)?;
            guard = exclusive;
        }
        // One write: O_APPEND makes it land whole at the end.
        let n = file.write(line)?;
        drop(guard);
        if n != line.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!("short write ({n} of {} bytes)", line.len()),
            ));
        }
        Ok(())
    }

    /// Start reading: every event now in the journal (oldest first), and a
    /// follower positioned after the last of them.
    pub fn open(&self) -> io::Result<(Vec<Message>, Follower)> {
        let path = self.dir.join(LOG);
        let mut follower = Follower {
            path,
            file: None,
            ino: 0,
            pending: Vec::new(),
        };
        follower.reopen()?;
        let mut past = Vec::new();
        // The previous file, unless it is the one just opened (a rotation
        // between the two opens).
        if let Ok(mut prev) = File::open(self.dir.join(PREVIOUS)) {
            if prev.metadata()?.ino() != follower.ino {
                let mut buf = Vec::new();
                prev.read_to_end(&mut buf)?;
                parse_lines(&buf, &mut past);
            }
        }
        follower.read_available(&mut past)?;
        Ok((past, follower))
    }
}

fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_CLOEXEC)
        .open(path)
}

/// Reads `events.log` as it grows, across rotations.
#[derive(Debug)]
pub struct Follower {
    path: PathBuf,
    file: Option<File>,
    ino: u64,
    /// The start of a line not yet complete.
    pending: Vec<u8>,
}

impl Follower {
    /// Open the current file (none yet is fine: it is looked for again).
    fn reopen(&mut self) -> io::Result<()> {
        match File::open(&self.path) {
            Ok(f) => {
                self.ino = f.metadata()?.ino();
                self.file = Some(f);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.file = None;
                self.ino = 0;
            }
            Err(e) => return Err(e),
        }
        self.pending.clear();
        Ok(())
    }

    /// Append to `out` the events written since the last call.
    pub fn read_available(&mut self, out: &mut Vec<Message>) -> io::Result<()> {
        loop {
            self.drain(out)?;
            // Rotated (or created) since we opened it: what the old file
            // got is all read; go on with the new one.
            let now = std::fs::metadata(&self.path).map_or(0, |m| m.ino());
            if now == 0 || now == self.ino {
                return Ok(());
            }
            self.reopen()?;
        }
    }

    fn drain(&mut self, out: &mut Vec<Message>) -> io::Result<()> {
        let Some(f) = &mut self.file else {
            return Ok(());
        };
        let start = self.pending.len();
        f.read_to_end(&mut self.pending)?;
        if self.pending.len() == start {
            return Ok(());
        }
        let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') else {
            return Ok(());
        };
        let rest = self.pending.split_off(end + 1);
        parse_lines(&self.pending, out);
        self.pending = rest;
        Ok(())
    }
}

/// Complete lines of `buf` as events; a line that does not parse (a torn
/// write after a crash) is skipped.
fn parse_lines(buf: &[u8], out: &mut Vec<Message>) {
    for line in buf.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        if let Ok(m) = serde_json::from_slice::<Message>(line) {
            out.push(m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::message::CONTAINER;
    use std::collections::BTreeMap;

    fn ev(n: usize) -> Message {
        Message::now(CONTAINER, "start", &format!("c{n}"), BTreeMap::new())
    }

    #[test]
    fn follows_appends_and_rotation() {
        let d = tempfile::tempdir().unwrap();
        let j = Journal::new(d.path().join("events"));
        let (past, mut f) = j.open().unwrap();
        assert!(past.is_empty());
        j.append(&ev(0)).unwrap();
        let mut got = Vec::new();
        f.read_available(&mut got).unwrap();
        assert_eq!(got.len(), 1);
        // Small rotation size: every few lines start a new file.
        for n in 1..50 {
            let mut line = serde_json::to_vec(&ev(n)).unwrap();
            line.push(b'\n');
            j.append_line(&line, 600).unwrap();
            // A reader must come by at least once per rotation.
            if n % 2 == 0 {
                f.read_available(&mut got).unwrap();
            }
        }
        f.read_available(&mut got).unwrap();
        let ids: Vec<String> = got.iter().map(|m| m.actor.id.clone()).collect();
        let want: Vec<String> = (0..50).map(|n| format!("c{n}")).collect();
        assert_eq!(ids, want);
        // A new reader sees the last two files' worth, in order.
        let (past, _) = j.open().unwrap();
        assert!(!past.is_empty() && past.len() < 50);
        assert_eq!(past.last().unwrap().actor.id, "c49");
        let first: usize = past[0].actor.id[1..].parse().unwrap();
        let ids: Vec<String> = past.iter().map(|m| m.actor.id.clone()).collect();
        let want: Vec<String> = (first..50).map(|n| format!("c{n}")).collect();
        assert_eq!(ids, want);
    }

    #[test]
    fn concurrent_writers_never_tear_lines() {
        let d = tempfile::tempdir().unwrap();
        let j = Journal::new(d.path().join("events"));
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let j = j.clone();
                std::thread::spawn(move || {
                    for n in 0..200 {
                        let mut m = ev(t * 1000 + n);
                        m.actor.attributes.insert("pad".into(), "x".repeat(300));
                        let mut line = serde_json::to_vec(&m).unwrap();
                        line.push(b'\n');
                        j.append_line(&line, 64 * 1024).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let raw = std::fs::read(d.path().join("events").join(LOG)).unwrap();
        let mut out = Vec::new();
        parse_lines(&raw, &mut out);
        assert_eq!(out.len(), raw.iter().filter(|&&b| b == b'\n').count());
    }
}
