//! Reading a json-file log for `berth logs`: the live file and its rotated
//! predecessors (`<log>.N` … `<log>.1`, oldest first), filtered by
//! `--since`/`--until`, limited by `--tail`, optionally prefixed with the
//! entry's time (`--timestamps`, nine fractional digits like docker), and
//! followed (`--follow`) across rotations until the container stops.
//! stdout entries go to one writer and stderr entries to the other, as the
//! docker CLI demultiplexes them. Used by the CLI; the shim never reads logs.

use super::logfile::rotated_path;
use super::time::{parse_rfc3339, rfc3339_nano_fixed};
use serde::Deserialize;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

#[derive(Debug, thiserror::Error)]
pub enum LogsError {
    #[error("reading log {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// Writing to the caller's stdout/stderr failed (e.g. a closed pipe).
    #[error("writing log output: {0}")]
    Output(#[source] io::Error),
}

/// What `berth logs` asked for.
#[derive(Debug, Clone, Default)]
pub struct LogsOptions {
    /// Keep reading new entries until `running()` says the container stopped.
    pub follow: bool,
    /// Only entries at or after this time.
    pub since: Option<SystemTime>,
    /// Only entries before this time (docker: `--until`).
    pub until: Option<SystemTime>,
    /// Prefix each entry with its RFC 3339 timestamp and a space.
    pub timestamps: bool,
    /// Only the last N entries of the existing log (`None`: all).
    pub tail: Option<usize>,
}

#[derive(Deserialize)]
struct Entry {
    log: String,
    stream: String,
    time: String,
}

struct Parsed {
    log: String,
    stderr: bool,
    time: SystemTime,
}

fn parse_line(line: &[u8]) -> Option<Parsed> {
    let e: Entry = serde_json::from_slice(line).ok()?;
    Some(Parsed {
        stderr: e.stream == "stderr",
        time: parse_rfc3339(&e.time)?,
        log: e.log,
    })
}

/// The files that make up a log, oldest first; the live file last (it may
/// be missing if the container never wrote anything).
pub fn log_files(path: &Path) -> Vec<PathBuf> {
    let mut rotated = Vec::new();
    let mut n = 1;
    loop {
        let p = rotated_path(path, n);
        if !p.exists() {
            break;
        }
        rotated.push(p);
        n += 1;
    }
    rotated.reverse();
    rotated.push(path.to_path_buf());
    rotated
}

struct Printer<'a> {
    opts: &'a LogsOptions,
    stdout: &'a mut dyn Write,
    stderr: &'a mut dyn Write,
}

impl Printer<'_> {
    fn wanted(&self, p: &Parsed) -> bool {
        self.opts.since.is_none_or(|s| p.time >= s) && self.opts.until.is_none_or(|u| p.time <= u)
    }

    fn print(&mut self, p: &Parsed) -> Result<(), LogsError> {
        let w: &mut dyn Write = if p.stderr {
            &mut *self.stderr
        } else {
            &mut *self.stdout
        };
        if self.opts.timestamps {
            write!(w, "{} ", rfc3339_nano_fixed(p.time)).map_err(LogsError::Output)?;
        }
        w.write_all(p.log.as_bytes()).map_err(LogsError::Output)?;
        w.flush().map_err(LogsError::Output)
    }
}

/// Read the log at `path` as `opts` asks, writing stdout entries to `stdout`
/// and stderr entries to `stderr`. With `follow`, keeps going until
/// `running()` returns false (then prints what is left and returns).
pub fn read(
    path: &Path,
    opts: &LogsOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    running: &mut dyn FnMut() -> bool,
) -> Result<(), LogsError> {
    let mut pr = Printer {
        opts,
        stdout,
        stderr,
    };
    let io_err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| LogsError::Io { path: p, source }
    };
    let files = log_files(path);
    let mut tail: VecDeque<Parsed> = VecDeque::new();
    let keep = opts.tail;
    let mut live: Option<BufReader<File>> = None;
    for (i, f) in files.iter().enumerate() {
        let file = match File::open(f) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_err(f)(e)),
        };
        let mut r = BufReader::new(file);
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = r.read_until(b'\n', &mut line).map_err(io_err(f))?;
            if n == 0 || line.last() != Some(&b'\n') {
                // An unfinished last line of the live file is picked up by follow.
                if n > 0 {
                    r.seek_relative(-(n as i64)).map_err(io_err(f))?;
                }
                break;
            }
            let Some(p) = parse_line(&line) else { continue };
            if !pr.wanted(&p) {
                continue;
            }
            match keep {
                Some(0) => {}
                Some(k) => {
                    if tail.len() == k {
                        tail.pop_front();
                    }
                    tail.push_back(p);
                }
                None => pr.print(&p)?,
            }
        }
        if i == files.len() - 1 {
            live = Some(r);
        }
    }
    for p in &tail {
        pr.print(p)?;
    }
    drop(tail);
    if opts.follow {
        follow(path, live, &mut pr, running)?;
    }
    Ok(())
}

fn follow(
    path: &Path,
    mut cur: Option<BufReader<File>>,
    pr: &mut Printer,
    running: &mut dyn FnMut() -> bool,
) -> Result<(), LogsError> {
    let err = |source| LogsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut line = Vec::new();
    let mut last_round = false;
    loop {
        if let Some(r) = cur.as_mut() {
            if !print_lines(r, &mut line, pr).map_err(err)? {
                return Ok(());
            }
        }
        // At the end of what we have: was the file rotated or truncated?
        match std::fs::metadata(path) {
            Ok(m) => {
                let ours = match cur.as_mut() {
                    None => None,
                    Some(r) => Some(r.get_ref().metadata().map_err(err)?),
                };
                let rotated = match &ours {
                    None => true,
                    Some(fm) => fm.ino() != m.ino() || fm.dev() != m.dev(),
                };
                if rotated {
                    // Finish ours first: the writer may have appended to it
                    // between our last read and the rotation. Then read the
                    // files rotated since ours, oldest first, and switch to
                    // the new live file.
                    if let Some(r) = cur.as_mut() {
                        if !print_lines(r, &mut line, pr).map_err(err)? {
                            return Ok(());
                        }
                    }
                    for f in newer_rotated(path, ours.as_ref()) {
                        if let Ok(file) = File::open(&f) {
                            let mut r = BufReader::new(file);
                            line.clear();
                            let cont = print_lines(&mut r, &mut line, pr).map_err(|source| {
                                LogsError::Io {
                                    path: f.clone(),
                                    source,
                                }
                            })?;
                            if !cont {
                                return Ok(());
                            }
                        }
                    }
                    line.clear();
                    match File::open(path) {
                        Ok(f) => {
                            cur = Some(BufReader::new(f));
                            continue;
                        }
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => return Err(err(e)),
                    }
                } else if let Some(r) = cur.as_mut() {
                    let pos = r.stream_position().map_err(err)?;
                    if m.len() < pos {
                        // Truncated in place (max-file 1): start over.
                        r.seek(SeekFrom::Start(0)).map_err(err)?;
                        line.clear();
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(err(e)),
        }
        if last_round {
            return Ok(());
        }
        if pr.opts.until.is_some_and(|u| SystemTime::now() > u) {
            return Ok(());
        }
        if !running() {
            // One more pass picks up what the shim wrote before it exited.
            last_round = true;
            continue;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Print the complete lines available from `r`; `Ok(false)` once an entry
/// is past `--until`. An incomplete last line stays in `line`.
fn print_lines(r: &mut BufReader<File>, line: &mut Vec<u8>, pr: &mut Printer) -> io::Result<bool> {
    loop {
        let n = r.read_until(b'\n', line)?;
        if n == 0 || line.last() != Some(&b'\n') {
            return Ok(true);
        }
        if let Some(p) = parse_line(line) {
            if pr.opts.until.is_some_and(|u| p.time > u) {
                return Ok(false);
            }
            if pr.wanted(&p) {
                pr.print(&p).map_err(|e| match e {
                    LogsError::Output(e) | LogsError::Io { source: e, .. } => e,
                })?;
            }
        }
        line.clear();
    }
}

/// Rotated files newer than the one described by `ours`, oldest first: those
/// numbered below the one that now holds our inode, or all of them when ours
/// is gone (it was the oldest and has been deleted).
fn newer_rotated(path: &Path, ours: Option<&std::fs::Metadata>) -> Vec<PathBuf> {
    let Some(ours) = ours else { return Vec::new() };
    let mut files = Vec::new();
    for n in 1.. {
        let p = rotated_path(path, n);
        match std::fs::metadata(&p) {
            Ok(m) if m.ino() == ours.ino() && m.dev() == ours.dev() => break,
            Ok(_) => files.push(p),
            Err(_) => break,
        }
    }
    files.reverse();
    files
}

#[cfg(test)]
mod tests {
    use super::super::logfile::{JsonLogWriter, LogConfig, Stream};
    use super::*;
    use std::time::UNIX_EPOCH;

    fn at(s: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000 + s)
    }

    fn write_log(dir: &Path, max_size: u64) -> PathBuf {
        let path = dir.join("c-json.log");
        let mut w = JsonLogWriter::open(LogConfig {
            path: path.clone(),
            max_size,
            max_files: 10,
        })
        .unwrap();
        for i in 0..10u64 {
            let s = if i % 3 == 0 {
                Stream::Stderr
            } else {
                Stream::Stdout
            };
            w.write(s, format!("l{i}\n").as_bytes(), at(i)).unwrap();
        }
        path
    }

    fn run(path: &Path, o: LogsOptions) -> (String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        read(path, &o, &mut out, &mut err, &mut || false).unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn splits_streams_across_rotated_files() {
        let d = tempfile::tempdir().unwrap();
        let path = write_log(d.path(), 150);
        assert!(rotated_path(&path, 2).exists());
        let (out, err) = run(&path, LogsOptions::default());
        assert_eq!(out, "l1\nl2\nl4\nl5\nl7\nl8\n");
        assert_eq!(err, "l0\nl3\nl6\nl9\n");
    }

    #[test]
    fn tail_since_until_timestamps() {
        let d = tempfile::tempdir().unwrap();
        let path = write_log(d.path(), 0);
        let (out, err) = run(
            &path,
            LogsOptions {
                tail: Some(3),
                ..Default::default()
            },
        );
        assert_eq!((out.as_str(), err.as_str()), ("l7\nl8\n", "l9\n"));
        let (out, _) = run(
            &path,
            LogsOptions {
                since: Some(at(4)),
                until: Some(at(5)),
                ..Default::default()
            },
        );
        assert_eq!(out, "l4\nl5\n");
        let (out, _) = run(
            &path,
            LogsOptions {
                tail: Some(1),
                timestamps: true,
                until: Some(at(8)),
                ..Default::default()
            },
        );
        assert_eq!(out, "2023-11-14T22:13:28.000000000Z l8\n");
        let (out, err) = run(
            &path,
            LogsOptions {
                tail: Some(0),
                ..Default::default()
            },
        );
        assert_eq!(out + &err, "");
    }

    #[test]
    fn follow_picks_up_rotation() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("c-json.log");
        let cfg = LogConfig {
            path: path.clone(),
            max_size: 60,
            max_files: 20,
        };
        let mut w = JsonLogWriter::open(cfg).unwrap();
        w.write(Stream::Stdout, b"first\n", at(0)).unwrap();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer_done = done.clone();
        let writer = std::thread::spawn(move || {
            for i in 0..6 {
                std::thread::sleep(Duration::from_millis(30));
                w.write(Stream::Stdout, format!("f{i}\n").as_bytes(), at(i))
                    .unwrap();
            }
            writer_done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let mut out = Vec::new();
        // Follow until the writer is done, then two more polls: however
        // slowly a loaded machine runs the writer, the reader sees it all.
        let mut after = 0;
        let opts = LogsOptions {
            follow: true,
            ..Default::default()
        };
        read(&path, &opts, &mut out, &mut io::sink(), &mut || {
            if done.load(std::sync::atomic::Ordering::SeqCst) {
                after += 1;
            }
            after < 3
        })
        .unwrap();
        writer.join().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "first\nf0\nf1\nf2\nf3\nf4\nf5\n"
        );
    }
}
