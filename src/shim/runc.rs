//! Running the OCI runtime binary from the shim: `create`, `start`,
//! `delete --force`, with runc's global flags (`--root`, `--log`,
//! `--log-format json`), which crun accepts too. The runtime's error is read
//! back from its JSON log file because, without a tty, its stderr is the
//! container's stderr pipe. Errors are classified into docker's `run` exit
//! codes the way moby's `translateContainerdStartErr` does.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// How to invoke the runtime for one container.
#[derive(Debug, Clone)]
pub struct Runtime {
    pub bin: PathBuf,
    pub root: PathBuf,
    pub log: PathBuf,
    pub id: String,
}

/// Stdio handed to `runtime create`; without a tty the container inherits it.
pub struct CreateStdio {
    pub stdin: Stdio,
    pub stdout: Stdio,
    pub stderr: Stdio,
}

impl Runtime {
    fn command(&self, verb: &str) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--root")
            .arg(&self.root)
            .arg("--log")
            .arg(&self.log)
            .args(["--log-format", "json", verb]);
        crate::sys::process::reset_signals_in_child(&mut c);
        c
    }

    /// Spawn `run --detach --bundle B --pid-file P [--console-socket S] <id>`:
    /// create and start in one runtime invocation.
    pub fn spawn_create(
        &self,
        bundle: &Path,
        pid_file: &Path,
        console_socket: Option<&Path>,
        stdio: CreateStdio,
    ) -> io::Result<Child> {
        let mut c = self.command("run");
        c.arg("--detach")
            .arg("--bundle")
            .arg(bundle)
            .arg("--pid-file")
            .arg(pid_file);
        if let Some(s) = console_socket {
            // runc dials this path itself (after chdir to the bundle): a
            // deep state root exceeds sun_path, so hand it a short path
            // through our own fd table. The directory fd stays open for the
            // shim's life (one fd).
            let short = match (s.as_os_str().len() > 100, s.parent(), s.file_name()) {
                (true, Some(dir), Some(name)) => std::fs::File::open(dir).ok().map(|d| {
                    let p = std::path::PathBuf::from(format!(
                        "/proc/{}/fd/{}",
                        std::process::id(),
                        std::os::unix::io::IntoRawFd::into_raw_fd(d)
                    ))
                    .join(name);
                    p
                }),
                _ => None,
            };
            c.arg("--console-socket").arg(short.as_deref().unwrap_or(s));
        }
        c.arg(&self.id)
            .stdin(stdio.stdin)
            .stdout(stdio.stdout)
            .stderr(stdio.stderr)
            .spawn()
    }

    /// `delete --force <id>`: only used to undo a half-started container.
    pub fn delete_force(&self) -> Result<(), String> {
        self.run_quiet("delete", &["--force".into()])
    }

    fn run_quiet(&self, verb: &str, extra: &[OsString]) -> Result<(), String> {
        let out = self
            .command(verb)
            .args(extra)
            .arg(&self.id)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("running {} {verb}: {e}", self.bin.display()))?;
        if out.status.success() {
            return Ok(());
        }
        Err(self.error_message(&String::from_utf8_lossy(&out.stderr), out.status))
    }

    /// The runtime's last error: from its JSON log, else its stderr.
    pub fn error_message(&self, stderr: &str, status: std::process::ExitStatus) -> String {
        if let Some(m) = last_log_error(&self.log) {
            return m;
        }
        let s = stderr.trim();
        if !s.is_empty() {
            return s.lines().last().unwrap_or(s).to_string();
        }
        format!("{} exited with {status}", self.bin.display())
    }
}

/// The `msg` of the last `"level":"error"` entry of a runtime's JSON log.
pub fn last_log_error(log: &Path) -> Option<String> {
    let data = std::fs::read(log).ok()?;
    data.split(|&b| b == b'\n').rev().find_map(|l| {
        let v: serde_json::Value = serde_json::from_slice(l).ok()?;
        if v.get("level")?.as_str()? != "error" {
            return None;
        }
        Some(v.get("msg")?.as_str()?.to_string())
    })
}

/// Docker's exit code for a container that failed to start: 127 when the
/// command was not found, 126 when it cannot be invoked, 125 otherwise.
pub fn classify(message: &str, cmd: &str) -> u8 {
    let m = message.to_lowercase();
    let cmd = cmd.to_lowercase();
    if !cmd.is_empty()
        && m.contains(&cmd)
        && (m.contains("executable file not found") || m.contains("no such file or directory"))
    {
        return 127;
    }
    if m.contains("permission denied") {
        return 126;
    }
    if m.contains("not a directory") {
        return 127;
    }
    125
}

/// `process.args[0]` of the bundle's config.json, for [`classify`].
pub fn bundle_command(bundle: &Path) -> String {
    let Ok(f) = File::open(bundle.join("config.json")) else {
        return String::new();
    };
    let v: serde_json::Value = serde_json::from_reader(io::BufReader::new(f)).unwrap_or_default();
    v.pointer("/process/args/0")
        .and_then(|a| a.as_str())
        .unwrap_or("")
        .to_string()
}

/// Read the pid the runtime wrote with `--pid-file`.
pub fn read_pid(path: &Path) -> io::Result<i32> {
    let s = std::fs::read_to_string(path)?;
    s.trim().parse().map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("bad pid file {}: {s:?}", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_like_docker() {
        let nf = r#"runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH"#;
        assert_eq!(classify(nf, "nope"), 127);
        let pd = r#"runc create failed: unable to start container process: exec: "/bin/x": permission denied"#;
        assert_eq!(classify(pd, "/bin/x"), 126);
        assert_eq!(classify("cgroup: something broke", "sh"), 125);
    }

    #[test]
    fn reads_last_error_from_json_log() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("log.json");
        std::fs::write(
            &p,
            "{\"level\":\"warning\",\"msg\":\"w\"}\n{\"level\":\"error\",\"msg\":\"first\"}\n{\"level\":\"error\",\"msg\":\"boom\"}\n",
        )
        .unwrap();
        assert_eq!(last_log_error(&p).as_deref(), Some("boom"));
        assert_eq!(last_log_error(&d.path().join("missing")), None);
    }
}
