//! The json-file log writer run by the shim: Docker's on-disk format, one
//! JSON object per line, `{"log":"text\n","stream":"stdout","time":"<RFC3339Nano>"}`.
//!
//! Follows moby's `daemon/logger` copier and `jsonfilelog`: output is split at
//! newlines (the `\n` is kept in `log`); a line longer than 16 KiB is written
//! as partial entries without a trailing newline; a trailing partial line is
//! flushed when the container exits. Strings are escaped as moby's
//! `jsonlog` does (`<`, `>`, `&`, control bytes as `\u00XX`, invalid UTF-8 as
//! U+FFFD). Rotation follows `loggerutils.LogFile`: before an entry is
//! written, if the file has reached `max_size`, `<log>.(n-1)` is dropped,
//! `<log>.i` becomes `<log>.(i+1)`, `<log>` becomes `<log>.1` and a fresh file
//! is started; with `max_files == 1` the file is truncated instead.
//! Compression of rotated files (docker's `compress` option) is not done.

use super::time::rfc3339_nano;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Longest line buffered before a partial entry is written (moby's bufSize).
pub const MAX_LINE: usize = 16 * 1024;
/// Default `max-size`: 20 MiB, docker's `local` driver default (json-file's
/// own default is unlimited; rotation is on by default in berth).
pub const DEFAULT_MAX_SIZE: u64 = 20 * 1024 * 1024;
/// Default `max-file`: 5, docker's `local` driver default.
pub const DEFAULT_MAX_FILES: u32 = 5;

/// Which container stream a chunk came from (tty output is all stdout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// Where and how much to log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogConfig {
    pub path: PathBuf,
    /// Rotate once the file reaches this many bytes; 0 disables rotation.
    pub max_size: u64,
    /// Number of files kept, the live one included (at least 1).
    pub max_files: u32,
}

/// Path of the `n`th rotated file: `<log>.n`.
pub fn rotated_path(path: &Path, n: u32) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(format!(".{n}"));
    PathBuf::from(s)
}

/// Appends entries to the log, rotating as configured.
pub struct JsonLogWriter {
    cfg: LogConfig,
    file: File,
    size: u64,
    /// Pending partial line per stream (index by `Stream as usize`).
    partial: [Vec<u8>; 2],
    /// Scratch buffer for one batch of encoded entries.
    out: Vec<u8>,
}

fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

impl JsonLogWriter {
    /// Open (append to) the log: docker keeps a container's log across restarts.
    pub fn open(cfg: LogConfig) -> io::Result<JsonLogWriter> {
        let file = open_append(&cfg.path)?;
        let size = file.metadata()?.len();
        Ok(JsonLogWriter {
            cfg,
            file,
            size,
            partial: [Vec::new(), Vec::new()],
            out: Vec::new(),
        })
    }

    /// The log file written to.
    pub fn path(&self) -> &Path {
        &self.cfg.path
    }

    /// Log a chunk read from `stream` at time `now`: complete lines are
    /// written, the rest is held until its newline arrives (or 16 KiB).
    pub fn write(&mut self, stream: Stream, mut data: &[u8], now: SystemTime) -> io::Result<()> {
        let idx = stream as usize;
        let ts = rfc3339_nano(now);
        while !data.is_empty() {
            let room = MAX_LINE - self.partial[idx].len();
            match data.iter().take(room).position(|&b| b == b'\n') {
                Some(i) => {
                    let mut line = std::mem::take(&mut self.partial[idx]);
                    line.extend_from_slice(&data[..=i]);
                    self.entry(stream, &line, &ts)?;
                    self.partial[idx] = line;
                    self.partial[idx].clear();
                    data = &data[i + 1..];
                }
                None if data.len() >= room => {
                    let mut line = std::mem::take(&mut self.partial[idx]);
                    line.extend_from_slice(&data[..room]);
                    self.entry(stream, &line, &ts)?;
                    self.partial[idx] = line;
                    self.partial[idx].clear();
                    data = &data[room..];
                }
                None => {
                    self.partial[idx].extend_from_slice(data);
                    break;
                }
            }
        }
        self.partial[idx].shrink_to(MAX_LINE.min(1024));
        Ok(())
    }

    /// Write out held partial lines (the container exited mid-line).
    pub fn flush_partial(&mut self, now: SystemTime) -> io::Result<()> {
        let ts = rfc3339_nano(now);
        for stream in [Stream::Stdout, Stream::Stderr] {
            let line = std::mem::take(&mut self.partial[stream as usize]);
            if !line.is_empty() {
                self.entry(stream, &line, &ts)?;
            }
        }
        Ok(())
    }

    fn entry(&mut self, stream: Stream, line: &[u8], ts: &str) -> io::Result<()> {
        if self.cfg.max_size > 0 && self.size >= self.cfg.max_size {
            self.rotate()?;
        }
        self.out.clear();
        encode_entry(&mut self.out, line, stream, ts);
        self.file.write_all(&self.out)?;
        self.size += self.out.len() as u64;
        if self.out.capacity() > 4 * MAX_LINE {
            self.out = Vec::new();
        }
        Ok(())
    }

    fn rotate(&mut self) -> io::Result<()> {
        let path = self.cfg.path.clone();
        if self.cfg.max_files <= 1 {
            self.file.set_len(0)?;
            self.size = 0;
            return Ok(());
        }
        for i in (2..self.cfg.max_files).rev() {
            match std::fs::rename(rotated_path(&path, i - 1), rotated_path(&path, i)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        std::fs::rename(&path, rotated_path(&path, 1))?;
        self.file = open_append(&path)?;
        self.size = 0;
        Ok(())
    }
}

/// Append one json-file line for `line` to `out`.
pub fn encode_entry(out: &mut Vec<u8>, line: &[u8], stream: Stream, ts: &str) {
    out.extend_from_slice(b"{\"log\":\"");
    escape_into(out, line);
    out.extend_from_slice(b"\",\"stream\":\"");
    out.extend_from_slice(stream.name().as_bytes());
    out.extend_from_slice(b"\",\"time\":\"");
    out.extend_from_slice(ts.as_bytes());
    out.extend_from_slice(b"\"}\n");
}

/// JSON string escaping as moby's jsonlog writes it.
fn escape_into(out: &mut Vec<u8>, mut s: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    loop {
        let (valid, rest) = match std::str::from_utf8(s) {
            Ok(v) => (v, &[][..]),
            Err(e) => {
                let (v, r) = s.split_at(e.valid_up_to());
                (std::str::from_utf8(v).unwrap_or(""), r)
            }
        };
        for c in valid.chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                '<' | '>' | '&' | '\u{0}'..='\u{1f}' => {
                    let b = c as u8;
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[(b >> 4) as usize]);
                    out.push(HEX[(b & 15) as usize]);
                }
                '\u{2028}' => out.extend_from_slice(b"\\u2028"),
                '\u{2029}' => out.extend_from_slice(b"\\u2029"),
                c => {
                    let mut b = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                }
            }
        }
        if rest.is_empty() {
            return;
        }
        // One invalid byte (or a truncated sequence) becomes U+FFFD.
        out.extend_from_slice(b"\\ufffd");
        s = &rest[1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn t() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn cfg(dir: &Path, max_size: u64, max_files: u32) -> LogConfig {
        LogConfig {
            path: dir.join("c-json.log"),
            max_size,
            max_files,
        }
    }

    #[test]
    fn escapes_like_moby() {
        let mut out = Vec::new();
        encode_entry(&mut out, b"a<b>&\"\\\x01\xff\n", Stream::Stderr, "T");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"log\":\"a\\u003cb\\u003e\\u0026\\\"\\\\\\u0001\\ufffd\\n\",\"stream\":\"stderr\",\"time\":\"T\"}\n"
        );
    }

    #[test]
    fn splits_lines_and_holds_partials() {
        let d = tempfile::tempdir().unwrap();
        let c = cfg(d.path(), 0, 1);
        let mut w = JsonLogWriter::open(c.clone()).unwrap();
        w.write(Stream::Stdout, b"one\ntw", t()).unwrap();
        w.write(Stream::Stderr, b"err\n", t()).unwrap();
        w.write(Stream::Stdout, b"o\nthree", t()).unwrap();
        w.flush_partial(t()).unwrap();
        let s = std::fs::read_to_string(&c.path).unwrap();
        let logs: Vec<_> = s
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["log"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(logs, ["one\n", "err\n", "two\n", "three"]);
        assert!(s.contains("\"time\":\"2023-11-14T22:13:20Z\""));
    }

    #[test]
    fn long_lines_become_partial_entries() {
        let d = tempfile::tempdir().unwrap();
        let c = cfg(d.path(), 0, 1);
        let mut w = JsonLogWriter::open(c.clone()).unwrap();
        let mut data = vec![b'x'; MAX_LINE + 10];
        data.push(b'\n');
        w.write(Stream::Stdout, &data, t()).unwrap();
        let s = std::fs::read_to_string(&c.path).unwrap();
        let lens: Vec<usize> = s
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["log"]
                    .as_str()
                    .unwrap()
                    .len()
            })
            .collect();
        assert_eq!(lens, [MAX_LINE, 11]);
    }

    #[test]
    fn rotates_and_keeps_max_files() {
        let d = tempfile::tempdir().unwrap();
        let c = cfg(d.path(), 100, 3);
        let mut w = JsonLogWriter::open(c.clone()).unwrap();
        for i in 0..20 {
            w.write(Stream::Stdout, format!("line {i}\n").as_bytes(), t())
                .unwrap();
        }
        assert!(
            c.path.exists()
                && rotated_path(&c.path, 1).exists()
                && rotated_path(&c.path, 2).exists()
        );
        assert!(!rotated_path(&c.path, 3).exists());
        let live = std::fs::read_to_string(&c.path).unwrap();
        assert!(live.contains("line 19"));
        let first = std::fs::read_to_string(rotated_path(&c.path, 1)).unwrap();
        assert!(first.lines().count() >= 1 && !first.contains("line 19"));
    }

    #[test]
    fn single_file_truncates() {
        let d = tempfile::tempdir().unwrap();
        let c = cfg(d.path(), 100, 1);
        let mut w = JsonLogWriter::open(c.clone()).unwrap();
        for i in 0..20 {
            w.write(Stream::Stdout, format!("line {i}\n").as_bytes(), t())
                .unwrap();
        }
        assert!(std::fs::metadata(&c.path).unwrap().len() < 200);
        assert!(!rotated_path(&c.path, 1).exists());
    }
}
