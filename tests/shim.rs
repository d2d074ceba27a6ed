//! End-to-end tests of `berth internal shim` with the real runc: the built
//! binary is started through the same CLI-side code berth uses
//! (`shim::launch`, `shim::attach`, `shim::control`, `shim::logs`, compiled
//! into this test from src/ by path, since berth is a binary crate).
//!
//! Needs root, `runc` on PATH and busybox at /bin/busybox; skips otherwise,
//! and fails instead when `CI=true`. Every test uses its own container id,
//! state dir and runc root, and deletes its runc container on the way out.

#![allow(dead_code)]

#[path = "../src/sys"]
#[allow(unsafe_code)] // the one module allowed it (see src/sys/mod.rs)
mod sys {
    pub mod fs;
    pub mod lock;
    pub mod process;
    pub mod pty;
    pub mod udp;
    pub mod unix_socket;
}

#[path = "../src/events/mod.rs"]
mod events;
#[path = "../src/filter.rs"]
mod filter;
#[path = "../src/gotime.rs"]
mod gotime;

#[path = "../src/shim"]
mod shim {
    pub mod attach;
    pub mod config;
    pub mod control;
    pub mod detach_keys;
    pub mod health;
    pub mod launch;
    pub mod logfile;
    pub mod logs;
    pub mod proxy;
    pub mod state;
    pub mod time;
}

use shim::attach::{self as att, AttachOptions, PumpEnd, PumpIo};
use shim::config::{RestartPolicy, ShimConfig};
use shim::control::{self, Request};
use shim::launch::{self, LogDriver, ShimStatus, StartError};
use shim::logfile::{rotated_path, LogConfig};
use shim::logs::{self, LogsOptions};
use shim::state::{ExitInfo, RunStatus, ShimState};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {cmd} >/dev/null"))
        .status()
        .is_ok_and(|s| s.success())
}

/// `true` if the environment can run these tests; panics under CI=true
/// when it cannot.
fn can_run() -> bool {
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"));
    let ok = root && have("runc") && Path::new("/bin/busybox").exists();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "shim tests need root, runc and /bin/busybox"
        );
        eprintln!("skipping: needs root, runc on PATH and /bin/busybox");
    }
    ok
}

/// One container under test: bundle, state dir, runc root; cleaned on drop.
struct Case {
    _tmp: tempfile::TempDir,
    id: String,
    bundle: PathBuf,
    state: PathBuf,
    runc_root: PathBuf,
}

impl Case {
    fn new(name: &str, args: &[&str], tty: bool) -> Case {
        let tmp = tempfile::tempdir().unwrap();
        let bundle = tmp.path().join("bundle");
        let bin = bundle.join("rootfs/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::copy("/bin/busybox", bin.join("busybox")).unwrap();
        for app in [
            "sh", "cat", "echo", "sleep", "stty", "true", "seq", "kill", "head", "dd",
        ] {
            std::os::unix::fs::symlink("busybox", bin.join(app)).unwrap();
        }
        std::fs::write(bin.join("noexec"), "not a program").unwrap();
        let st = Command::new("runc")
            .args(["spec", "--bundle"])
            .arg(&bundle)
            .status()
            .unwrap();
        assert!(st.success());
        let cfg_path = bundle.join("config.json");
        let mut cfg: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&cfg_path).unwrap()).unwrap();
        cfg["process"]["args"] = serde_json::json!(args);
        cfg["process"]["terminal"] = serde_json::json!(tty);
        cfg["root"]["readonly"] = serde_json::json!(false);
        std::fs::write(&cfg_path, serde_json::to_vec_pretty(&cfg).unwrap()).unwrap();
        let id = format!("berth-shim-{name}-{}", std::process::id());
        let state = tmp.path().join("state/containers").join(&id);
        let runc_root = tmp.path().join("runc");
        Case {
            _tmp: tmp,
            id,
            bundle,
            state,
            runc_root,
        }
    }

    fn edit_config(&self, f: impl FnOnce(&mut serde_json::Value)) {
        let p = self.bundle.join("config.json");
        let mut cfg: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        f(&mut cfg);
        std::fs::write(&p, serde_json::to_vec_pretty(&cfg).unwrap()).unwrap();
    }

    fn log_path(&self) -> PathBuf {
        self.state.join("c-json.log")
    }

    fn config(&self) -> ShimConfig {
        ShimConfig {
            exe: PathBuf::from(env!("CARGO_BIN_EXE_berth")),
            global_args: vec![],
            id: self.id.clone(),
            bundle: self.bundle.clone(),
            state_dir: self.state.clone(),
            runtime: "runc".into(),
            runtime_root: self.runc_root.clone(),
            tty: false,
            stdin: false,
            log: LogDriver::JsonFile(LogConfig {
                path: self.log_path(),
                max_size: 1 << 20,
                max_files: 3,
            }),
            rm: false,
            network: false,
            wait_attach: None,
            restart: RestartPolicy::No,
            events: None,
            health: None,
            ports: Vec::new(),
        }
    }

    fn runc(&self, args: &[&str]) -> bool {
        Command::new("runc")
            .arg("--root")
            .arg(&self.runc_root)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Wait for the shim to record the exit.
    fn wait_exit(&self) -> ExitInfo {
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            match launch::status(&self.state).unwrap() {
                ShimStatus::Exited(e) => return e,
                ShimStatus::Gone => panic!("shim vanished without an exit record"),
                ShimStatus::Running { .. } => {}
            }
            assert!(Instant::now() < end, "container did not exit in time");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn shim_pid(&self) -> i32 {
        match launch::status(&self.state).unwrap() {
            ShimStatus::Running { shim_pid, .. } => shim_pid as i32,
            other => panic!("shim not running: {other:?}"),
        }
    }

    fn logs(&self, o: LogsOptions) -> (String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        logs::read(&self.log_path(), &o, &mut out, &mut err, &mut || false).unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        // A restart policy set by the test would bring the container back
        // (a panicking test leaked a shim that way): none from here on.
        let _ = control::request(
            &self.state,
            &Request::SetRestartPolicy {
                policy: RestartPolicy::No,
            },
        );
        self.runc(&["delete", "--force", &self.id]);
        // The shim exits by itself once the container is gone; wait briefly.
        let end = Instant::now() + Duration::from_secs(5);
        while launch::is_running(&self.state) && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn proc_field(pid: i32, file: &str, key: &str) -> Option<String> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
}

#[test]
fn exit_code_and_json_file_logs() {
    if !can_run() {
        return;
    }
    let c = Case::new(
        "exit3",
        &[
            "sh",
            "-c",
            "echo out; echo 'a<b' >&2; printf partial; exit 3",
        ],
        false,
    );
    let t = Instant::now();
    let started = launch::start(&c.config()).unwrap();
    eprintln!("start latency: {:?}", t.elapsed());
    assert!(started.pid > 0);
    let e = c.wait_exit();
    assert_eq!(e.exit_code, 3);
    assert_eq!(e.pid, started.pid);
    assert!(!e.oom_killed);
    assert!(shim::time::parse_rfc3339(&e.finished_at).is_some());
    let raw = std::fs::read_to_string(c.log_path()).unwrap();
    let lines: Vec<serde_json::Value> = raw
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{raw}");
    for l in &lines {
        assert_eq!(
            l.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["log", "stream", "time"]
        );
        assert!(shim::time::parse_rfc3339(l["time"].as_str().unwrap()).is_some());
    }
    assert!(
        raw.contains(r#"{"log":"a\u003cb\n","stream":"stderr","time":""#),
        "{raw}"
    );
    let (out, err) = c.logs(LogsOptions::default());
    assert_eq!(out, "out\npartial");
    assert_eq!(err, "a<b\n");
}

#[test]
fn missing_and_non_executable_commands() {
    if !can_run() {
        return;
    }
    let c = Case::new("missing", &["no-such-cmd"], false);
    match launch::start(&c.config()) {
        Err(e @ StartError::Failed { .. }) => {
            assert_eq!(e.exit_code(), 127);
            assert!(e.to_string().contains("executable file not found"), "{e}");
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("started a missing command"),
    }
    assert!(
        !c.runc(&["state", &c.id]),
        "a failed create must leave no container"
    );
    // The shim reports the failure, then exits: wait for that (bounded),
    // not for a fixed time.
    let end = Instant::now() + Duration::from_secs(20);
    while launch::is_running(&c.state) {
        assert!(
            Instant::now() < end,
            "the shim of a failed start did not exit"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    let c = Case::new("noexec", &["/bin/noexec"], false);
    match launch::start(&c.config()) {
        Err(e) => assert_eq!(e.exit_code(), 126, "{e}"),
        Ok(_) => panic!("started a non-executable file"),
    }
}

#[test]
fn kill_9_detached_shim_and_pss() {
    if !can_run() {
        return;
    }
    let c = Case::new("kill9", &["sleep", "1000"], false);
    let started = launch::start(&c.config()).unwrap();
    let shim = c.shim_pid();
    // Detached: its own session, not our child any more, and a subreaper.
    let sid = proc_field(shim, "stat", "").and_then(|s| {
        let after = s.rsplit_once(')')?.1.to_string();
        after.split_whitespace().nth(3).map(str::to_string)
    });
    assert_eq!(
        sid,
        Some(shim.to_string()),
        "shim must lead its own session"
    );
    let ppid: i32 = proc_field(shim, "status", "PPid:")
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(ppid, std::process::id() as i32);
    // Its fds: 0-2 plus what it opened itself, nothing inherited.
    let fds = std::fs::read_dir(format!("/proc/{shim}/fd"))
        .unwrap()
        .count();
    assert!(fds < 16, "shim holds {fds} fds");
    // A second shim for the same container refuses to run.
    match launch::start(&c.config()) {
        Err(e) => assert!(
            e.to_string().contains("already running") && e.exit_code() == 125,
            "{e}"
        ),
        Ok(_) => panic!("two shims for one container"),
    }
    assert_eq!(c.shim_pid(), shim);
    // Let the shim go idle (it trims start-up memory then), then measure.
    std::thread::sleep(Duration::from_millis(600));
    let kb = |key: &str| -> u64 {
        proc_field(shim, "smaps_rollup", key)
            .unwrap()
            .trim_end_matches(" kB")
            .trim()
            .parse()
            .unwrap()
    };
    let (pss_kb, anon_kb, rss_kb) = (kb("Pss:"), kb("Pss_Anon:"), kb("Rss:"));
    eprintln!(
        "shim memory: Pss {pss_kb} kB (anonymous {anon_kb} kB), Rss {rss_kb} kB (debug build: {})",
        cfg!(debug_assertions)
    );
    // conmon uses ~1 MB PSS here, and a release shim must stay below it.
    // A debug build maps several times more code, and how much of it is
    // touched moves with every change to the binary, so there the bound is
    // on anonymous memory only: what a tokio runtime, a thread pool or a
    // leaked buffer would add.
    if cfg!(debug_assertions) {
        assert!(
            anon_kb < 1200,
            "shim anonymous PSS {anon_kb} kB exceeds 1200 kB"
        );
    } else {
        assert!(pss_kb < 1024, "shim PSS {pss_kb} kB exceeds 1024 kB");
    }
    assert!(c.runc(&["kill", &c.id, "KILL"]));
    let e = c.wait_exit();
    assert_eq!(e.exit_code, 137);
    assert_eq!(e.pid, started.pid);
    // The shim is gone and released its lock.
    assert!(!launch::is_running(&c.state));
    assert!(!c.state.join(att::SOCKET_NAME).exists());
}

#[test]
fn sigterm_to_shim_is_forwarded() {
    if !can_run() {
        return;
    }
    let c = Case::new(
        "term",
        &[
            "sh",
            "-c",
            "trap 'exit 42' TERM; while :; do sleep 0.05; done",
        ],
        false,
    );
    launch::start(&c.config()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let shim = c.shim_pid();
    assert!(Command::new("kill")
        .args(["-TERM", &shim.to_string()])
        .status()
        .unwrap()
        .success());
    assert_eq!(c.wait_exit().exit_code, 42);
}

#[test]
fn log_rotation_with_tiny_max_size() {
    if !can_run() {
        return;
    }
    let c = Case::new("rotate", &["seq", "1", "300"], false);
    let mut cfg = c.config();
    cfg.log = LogDriver::JsonFile(LogConfig {
        path: c.log_path(),
        max_size: 2000,
        max_files: 3,
    });
    launch::start(&cfg).unwrap();
    assert_eq!(c.wait_exit().exit_code, 0);
    assert!(rotated_path(&c.log_path(), 1).exists() && rotated_path(&c.log_path(), 2).exists());
    assert!(!rotated_path(&c.log_path(), 3).exists());
    for p in [c.log_path(), rotated_path(&c.log_path(), 1)] {
        assert!(
            std::fs::metadata(&p).unwrap().len() < 2100,
            "{} too big",
            p.display()
        );
    }
    let (out, _) = c.logs(LogsOptions::default());
    let nums: Vec<u32> = out.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(*nums.last().unwrap(), 300);
    assert!(
        nums.windows(2).all(|w| w[1] == w[0] + 1),
        "lines must be contiguous"
    );
    let (tail, _) = c.logs(LogsOptions {
        tail: Some(2),
        timestamps: true,
        ..Default::default()
    });
    let tl: Vec<&str> = tail.lines().collect();
    assert_eq!(tl.len(), 2);
    assert!(
        tl[1].ends_with("Z 300") && tl[1].len() == "2006-01-02T15:04:05.000000000Z 300".len(),
        "{tail}"
    );
}

#[test]
fn log_driver_none_writes_nothing() {
    if !can_run() {
        return;
    }
    let c = Case::new("nolog", &["echo", "hi"], false);
    let mut cfg = c.config();
    cfg.log = LogDriver::None;
    launch::start(&cfg).unwrap();
    assert_eq!(c.wait_exit().exit_code, 0);
    assert!(!c.log_path().exists());
}

#[test]
fn attach_streams_output_and_stdin_for_cat() {
    if !can_run() {
        return;
    }
    let c = Case::new(
        "cat",
        &["sh", "-c", "echo ready; echo to-err >&2; cat; echo done"],
        false,
    );
    let mut cfg = c.config();
    cfg.stdin = true;
    cfg.wait_attach = Some(AttachOptions {
        stdin: true,
        stdout: true,
        stderr: true,
    });
    let started = launch::start(&cfg).unwrap();
    let mut client = started.attach.expect("attached");
    assert!(!client.tty());
    let (r, w) = sys::process::pipe().unwrap();
    sys::process::write_fd(w.as_raw_fd(), b"hello\nworld\n").unwrap();
    drop(w);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let end = client
        .pump(PumpIo {
            input: Some(r.as_raw_fd()),
            stdout: &mut out,
            stderr: &mut err,
            detach_keys: None,
            close_stdin_on_eof: true,
            resize_from: None,
        })
        .unwrap();
    assert_eq!(end, PumpEnd::Exited(0));
    // Nothing was lost before the client connected (--wait-attach).
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "ready\nhello\nworld\ndone\n"
    );
    assert_eq!(String::from_utf8(err).unwrap(), "to-err\n");
    assert_eq!(c.wait_exit().exit_code, 0);
    let (logged, _) = c.logs(LogsOptions::default());
    assert_eq!(logged, "ready\nhello\nworld\ndone\n");
}

#[test]
fn second_client_attaches_to_running_container_and_waits() {
    if !can_run() {
        return;
    }
    let c = Case::new("late", &["sh", "-c", "read x; echo got-$x; exit 5"], false);
    let mut cfg = c.config();
    cfg.stdin = true;
    launch::start(&cfg).unwrap();
    let sock = c.state.join(att::SOCKET_NAME);
    let mut waiter = att::Client::connect(
        &sock,
        AttachOptions {
            stdin: false,
            stdout: false,
            stderr: false,
        },
    )
    .unwrap();
    let mut a = att::Client::connect(
        &sock,
        AttachOptions {
            stdin: true,
            stdout: true,
            stderr: false,
        },
    )
    .unwrap();
    a.send_stdin(b"x1\n").unwrap();
    let mut got = Vec::new();
    loop {
        match a.read_frame().unwrap() {
            Some((att::STDOUT, p)) => got.extend(p),
            Some((att::EXIT, p)) => {
                assert_eq!(i32::from_be_bytes(p.try_into().unwrap()), 5);
                break;
            }
            Some(_) => {}
            None => panic!("no exit frame"),
        }
    }
    assert_eq!(got, b"got-x1\n");
    assert_eq!(waiter.wait().unwrap(), Some(5));
}

#[test]
fn tty_through_pty_with_resize() {
    if !can_run() {
        return;
    }
    let c = Case::new(
        "tty",
        &["sh", "-c", "read a; stty size; read b; stty size; exit 7"],
        true,
    );
    let mut cfg = c.config();
    cfg.tty = true;
    cfg.stdin = true;
    cfg.wait_attach = Some(AttachOptions {
        stdin: true,
        stdout: true,
        stderr: true,
    });
    let started = launch::start(&cfg).unwrap();
    let mut client = started.attach.unwrap();
    assert!(client.tty());
    client.resize(30, 90).unwrap();
    client.send_stdin(b"a\n").unwrap();
    let mut out = Vec::new();
    let read_until = |client: &mut att::Client, out: &mut Vec<u8>, needle: &str| loop {
        if String::from_utf8_lossy(out).contains(needle) {
            return;
        }
        match client.read_frame().unwrap() {
            Some((att::STDOUT, p)) => out.extend(p),
            Some((att::STDERR, _)) => panic!("a tty has no separate stderr"),
            Some((att::EXIT, _)) | None => {
                panic!("exited early: {:?}", String::from_utf8_lossy(out))
            }
            Some(_) => {}
        }
    };
    read_until(&mut client, &mut out, "30 90");
    client.resize(50, 120).unwrap();
    client.send_stdin(b"b\n").unwrap();
    read_until(&mut client, &mut out, "50 120");
    assert_eq!(client.wait().unwrap(), Some(7));
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("30 90\r\n"), "tty output uses CRLF: {text:?}");
    let (logged, err) = c.logs(LogsOptions::default());
    assert!(logged.contains("50 120") && err.is_empty());
}

#[test]
fn shim_survives_the_cli_that_started_it() {
    if !can_run() {
        return;
    }
    let c = Case::new("orphan", &["sleep", "1000"], false);
    // A throwaway "CLI": a shell that starts the shim and exits at once.
    let cfg = c.config();
    std::fs::create_dir_all(&c.state).unwrap();
    cfg.write().unwrap();
    let script = format!(
        "{} internal shim {} >/dev/null; exit 0",
        env!("CARGO_BIN_EXE_berth"),
        c.state.display()
    );
    let cli = Command::new("sh").arg("-c").arg(script).status().unwrap();
    assert!(cli.success());
    let end = Instant::now() + Duration::from_secs(10);
    while !c.runc(&["state", &c.id]) || !c.state.join(att::SOCKET_NAME).exists() {
        assert!(Instant::now() < end, "container did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let shim = c.shim_pid();
    assert!(sys::process::pid_alive(shim));
    std::thread::sleep(Duration::from_millis(200));
    assert!(launch::is_running(&c.state), "shim died with its CLI");
    // sleep runs as pid 1 of its namespace, where SIGTERM has no default action.
    assert!(c.runc(&["kill", &c.id, "KILL"]));
    assert_eq!(c.wait_exit().exit_code, 137);
}

#[test]
fn oom_kill_is_recorded() {
    if !can_run() {
        return;
    }
    let c = Case::new(
        "oom",
        &["sh", "-c", "x=xxxxxxxxxxxxxxxx; while :; do x=$x$x; done"],
        false,
    );
    c.edit_config(|cfg| {
        cfg["linux"]["resources"]["memory"] =
            serde_json::json!({"limit": 16 * 1024 * 1024, "swap": 16 * 1024 * 1024});
    });
    launch::start(&c.config()).unwrap();
    let e = c.wait_exit();
    assert_eq!(e.exit_code, 137);
    assert!(e.oom_killed, "{e:?}");
}

#[test]
fn killed_shim_is_reported_gone() {
    if !can_run() {
        return;
    }
    let c = Case::new("shimkill", &["sleep", "1000"], false);
    launch::start(&c.config()).unwrap();
    let shim = c.shim_pid();
    assert!(Command::new("kill")
        .args(["-KILL", &shim.to_string()])
        .status()
        .unwrap()
        .success());
    let end = Instant::now() + Duration::from_secs(5);
    while launch::status(&c.state).unwrap() != ShimStatus::Gone {
        assert!(Instant::now() < end, "a killed shim must show as gone");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The container outlives its shim; `rm -f` (runc delete --force) still works.
    assert!(c.runc(&["state", &c.id]));
    assert!(c.runc(&["delete", "--force", &c.id]));
}

/// Read state.json until the shim has published its final exit, checking
/// that once a state is out, every read finds a whole one. Returns the
/// (generation, status) pairs seen, in order, without repeats.
fn watch_states(dir: PathBuf) -> std::thread::JoinHandle<Vec<(u64, RunStatus)>> {
    std::thread::spawn(move || {
        let end = Instant::now() + Duration::from_secs(30);
        let mut seen: Vec<(u64, RunStatus)> = Vec::new();
        loop {
            assert!(Instant::now() < end, "no final state; saw {seen:?}");
            let s = match ShimState::read(&dir) {
                Ok(Some(s)) => s,
                Ok(None) if seen.is_empty() => continue,
                Ok(None) => panic!("state.json vanished after {seen:?}"),
                Err(e) => panic!("torn state.json after {seen:?}: {e}"),
            };
            let now = (s.generation, s.status);
            if seen.last() != Some(&now) {
                seen.push(now);
            }
            if s.status == RunStatus::Exited {
                return seen;
            }
        }
    })
}

#[test]
fn runs_its_container_again_and_publishes_every_step() {
    if !can_run() {
        return;
    }
    let c = Case::new("twice", &["sh", "-c", "sleep 0.3; echo run; exit 3"], false);
    let mut cfg = c.config();
    cfg.restart = RestartPolicy::OnFailure { max_retries: 1 };
    let reader = watch_states(c.state.clone());
    let started = launch::start(&cfg).unwrap();
    // An attach client ends with its run, as docker's attach streams do (a
    // foreground `run` waits for the next exit): it sees the first run's
    // output and that run's exit frame while the policy restarts it.
    let mut client = att::Client::connect(
        &c.state.join(att::SOCKET_NAME),
        AttachOptions {
            stdin: false,
            stdout: true,
            stderr: true,
        },
    )
    .unwrap();
    let mut out = Vec::new();
    let code = loop {
        match client.read_frame().unwrap() {
            Some((att::STDOUT, p)) => out.extend_from_slice(&p),
            Some((att::EXIT, p)) => break i32::from_be_bytes(p[..4].try_into().unwrap()),
            Some(_) => {}
            None => panic!("the shim hung up without an exit frame"),
        }
    };
    assert_eq!(code, 3);
    assert_eq!(String::from_utf8(out).unwrap(), "run\n");
    let e = c.wait_exit();
    assert_eq!(e.exit_code, 3);
    assert_ne!(e.pid, started.pid, "the second run has its own init");
    let st = ShimState::read(&c.state).unwrap().unwrap();
    assert_eq!(
        (st.generation, st.restart_count, st.status),
        (2, 1, RunStatus::Exited)
    );
    assert_eq!(
        reader.join().unwrap(),
        [
            (1, RunStatus::Running),
            (1, RunStatus::Restarting),
            (2, RunStatus::Running),
            (2, RunStatus::Exited),
        ]
    );
    // The bundle keeps a copy of the final state (it survives a reboot).
    assert_eq!(ExitInfo::read(&c.bundle).unwrap(), Some(e));
    let (logged, _) = c.logs(LogsOptions::default());
    assert_eq!(logged, "run\nrun\n");
}

#[test]
fn control_channel_reports_state_and_updates_the_policy() {
    if !can_run() {
        return;
    }
    let c = Case::new("control", &["sleep", "1000"], false);
    let started = launch::start(&c.config()).unwrap();
    let st = control::request(&c.state, &Request::State).unwrap();
    assert_eq!(
        (st.generation, st.status, st.pid, st.restart_policy),
        (1, RunStatus::Running, started.pid, RestartPolicy::No)
    );
    let st = control::request(
        &c.state,
        &Request::SetRestartPolicy {
            policy: RestartPolicy::Always,
        },
    )
    .unwrap();
    assert_eq!(st.restart_policy, RestartPolicy::Always);
    assert_eq!(
        ShimState::read(&c.state).unwrap().unwrap().restart_policy,
        RestartPolicy::Always,
        "the update is published"
    );
    // The new policy applies to the next exit: a killed container comes back.
    assert!(c.runc(&["kill", &c.id, "KILL"]));
    let end = Instant::now() + Duration::from_secs(20);
    let st = loop {
        let st = control::request(&c.state, &Request::State).unwrap();
        if st.generation == 2 && st.status == RunStatus::Running {
            break st;
        }
        assert!(Instant::now() < end, "not restarted: {st:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(st.restart_count, 1);
    assert_eq!(st.exit.as_ref().map(|e| e.exit_code), Some(137));
    assert!(c.runc(&["state", &c.id]));
    // The same request through the CLI's hidden command.
    let out = Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(["internal", "shim-control"])
        .arg(&c.state)
        .args(["--restart", "on-failure:2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let printed: ShimState = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        printed.restart_policy,
        RestartPolicy::OnFailure { max_retries: 2 }
    );
    // A stop signal to the shim is forwarded and never undone by the policy
    // (sleep, pid 1 of its namespace, ignores SIGTERM, so KILL ends it
    // after the stop request).
    let shim = c.shim_pid();
    assert!(Command::new("kill")
        .args(["-TERM", &shim.to_string()])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(100));
    assert!(c.runc(&["kill", &c.id, "KILL"]));
    let e = c.wait_exit();
    assert_eq!(e.exit_code, 137);
    let st = ShimState::read(&c.state).unwrap().unwrap();
    assert_eq!((st.generation, st.status), (2, RunStatus::Exited));
}

/// PSS (and anonymous PSS) of `pid` in kB.
fn pss_kb(pid: i32) -> (u64, u64) {
    let kb = |key: &str| -> u64 {
        proc_field(pid, "smaps_rollup", key)
            .unwrap()
            .trim_end_matches(" kB")
            .trim()
            .parse()
            .unwrap()
    };
    (kb("Pss:"), kb("Pss_Anon:"))
}

#[test]
fn healthcheck_probes_keep_the_shim_small() {
    if !can_run() {
        return;
    }
    let c = Case::new("health", &["sleep", "1000"], false);
    let mut cfg = c.config();
    // Each probe appends a line to a file of the rootfs: the count. The
    // 1,000th probe then hangs, so the shim goes idle and can be measured
    // as a shim between two probes is.
    cfg.health = Some(shim::health::HealthConfig {
        probe: vec![
            "sh".into(),
            "-c".into(),
            "echo >> /probes; while [ -e /pause ]; do sleep 0.05; done; [ $(wc -l < /probes) -lt 1000 ] || exec sleep 1000".into(),
        ],
        interval: Duration::from_millis(1),
        timeout: Duration::from_secs(3600),
        start_period: Duration::ZERO,
        start_interval: Duration::from_millis(1),
        retries: 3,
        on_failure: Default::default(),
        stop_signal: libc::SIGTERM,
        stop_timeout: Duration::from_secs(10),
    });
    launch::start(&cfg).unwrap();
    let shim = c.shim_pid();
    let probes_file = c.bundle.join("rootfs/probes");
    let probes = || {
        std::fs::read(&probes_file)
            .map(|b| b.iter().filter(|c| **c == b'\n').count())
            .unwrap_or(0)
    };
    let wait_probes = |n: usize| {
        let end = Instant::now() + Duration::from_secs(120);
        while probes() < n {
            assert!(Instant::now() < end, "only {} probes ran", probes());
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    // Hold the probes after 100 (a probe waits while /pause exists), let
    // the shim go idle and trim, measure, and let them go on.
    let pause = c.bundle.join("rootfs/pause");
    wait_probes(100);
    std::fs::write(&pause, "").unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    let (pss_100, anon_100) = pss_kb(shim);
    std::fs::remove_file(&pause).unwrap();
    let t = Instant::now();
    wait_probes(1000);
    // Idle now (the last probe hangs): the shim trims after 300 ms.
    std::thread::sleep(Duration::from_millis(800));
    let (pss_1000, anon_1000) = pss_kb(shim);
    eprintln!(
        "shim memory with probes: idle after about 100 Pss {pss_100} kB (anonymous {anon_100} kB), idle after 1000 Pss {pss_1000} kB (anonymous {anon_1000} kB); 900 probes in {:?} (debug build: {})",
        t.elapsed(),
        cfg!(debug_assertions)
    );
    let health: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.state.join("health.json")).unwrap()).unwrap();
    assert_eq!(health["Status"], "healthy", "{health}");
    assert_eq!(health["Log"].as_array().unwrap().len(), 5, "{health}");
    assert_eq!(health["FailingStreak"], 0, "{health}");
    // No growth over the probes (a page or two of allocator noise). Only the
    // anonymous part: the file-backed share of PSS moves with how many other
    // processes map the same binary at that moment.
    assert!(
        anon_1000 <= anon_100 + 64,
        "the shim grew from {pss_100} kB ({anon_100} kB anonymous) to {pss_1000} kB ({anon_1000} kB) over 900 probes"
    );
    if cfg!(debug_assertions) {
        assert!(anon_1000 < 1200, "shim anonymous PSS {anon_1000} kB");
    } else {
        assert!(pss_1000 < 1024, "shim PSS {pss_1000} kB exceeds 1024 kB");
    }
    assert!(c.runc(&["kill", &c.id, "KILL"]));
    assert_eq!(c.wait_exit().exit_code, 137);
}
