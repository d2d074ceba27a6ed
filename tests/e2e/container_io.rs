//! A container's input and output through the binary with the real runc:
//! `logs` (`-n`, `-t`, `--since`/`--until`, `-f` ending with the container,
//! foreground and detached containers, `--log-driver none`, `| head`),
//! `attach` through a real pseudo-terminal (input, ctrl-p ctrl-q, exit code),
//! and `exec` (exit codes 0/3/127/137, `-e`/`--env-file`/`-w`/`-u`, `-i` with
//! piped stdin, `-t` through a pty with its window size, `-d`, detaching,
//! stopped containers).
//!
//! Terminal sessions are driven by a small `python3` program that runs
//! berth on a pty ([`pty_session`]): it answers prompts (send X once Y was
//! seen) and reports everything berth printed and its exit code.

use crate::containers::Lab;
use crate::require;
use crate::support::require::{find_binary, in_ci};
use crate::support::wait_for;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Runs argv[1:] on a new pty of ROWSxCOLS; STEPS is a JSON list of
/// [wait_for, send] pairs: once `wait_for` has appeared in the output (since
/// the previous step), `send` is typed. Prints {"out": ..., "code": N}.
const PTY_DRIVER: &str = r#"
import fcntl, json, os, pty, select, signal, struct, sys, termios, time
rows, cols = int(os.environ["ROWS"]), int(os.environ["COLS"])
steps = json.loads(os.environ["STEPS"])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execv(sys.argv[1], sys.argv[1:])
out, seen_from, deadline = b"", 0, time.time() + float(os.environ["TIMEOUT"])
while time.time() < deadline:
    if steps and steps[0][0].encode() in out[seen_from:]:
        time.sleep(0.2)
        os.write(fd, steps[0][1].encode())
        seen_from = len(out)
        steps.pop(0)
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            d = os.read(fd, 65536)
        except OSError:
            break
        if not d:
            break
        out += d
else:
    os.kill(pid, signal.SIGKILL)
_, st = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(st)
try:
    lflag = termios.tcgetattr(fd)[3]
except OSError:
    lflag = None
print(json.dumps({"out": out.decode("latin-1"), "code": code, "unsent": steps, "lflag": lflag}))
"#;

struct PtyOut {
    out: String,
    code: i32,
    /// The terminal's `c_lflag` once berth has exited.
    lflag: Option<u32>,
}

impl std::fmt::Display for PtyOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- exit code {}\n--- terminal:\n{:?}",
            self.code, self.out
        )
    }
}

/// `python3` to drive a pty, or None when the test must skip.
fn python() -> Option<std::path::PathBuf> {
    let p = find_binary("python3");
    if p.is_none() {
        assert!(!in_ci(), "python3 is needed to drive a pseudo-terminal");
        eprintln!("skipping: python3 (apt-get install python3) drives the pty sessions");
    }
    p
}

/// Run berth with `args` on a pty of `rows`x`cols`, typing each `send` once
/// its `wait_for` was printed.
fn pty_session(
    lab: &Lab,
    py: &std::path::Path,
    args: &[&str],
    steps: &[(&str, &str)],
    size: (u16, u16),
) -> PtyOut {
    pty_session_env(lab, py, &[], args, steps, size)
}

/// [`pty_session`] with extra environment variables for berth.
fn pty_session_env(
    lab: &Lab,
    py: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
    steps: &[(&str, &str)],
    size: (u16, u16),
) -> PtyOut {
    let mut cmd = lab.b().command(args);
    cmd.envs(env.iter().copied());
    let mut argv: Vec<String> = vec![cmd.get_program().to_string_lossy().into_owned()];
    argv.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    let mut c = std::process::Command::new(py);
    c.arg("-c").arg(PTY_DRIVER).args(&argv);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    if let Some(d) = cmd.get_current_dir() {
        c.current_dir(d);
    }
    let o = c
        .env("ROWS", size.0.to_string())
        .env("COLS", size.1.to_string())
        .env("TIMEOUT", "30")
        .env("STEPS", serde_json::to_string(steps).unwrap())
        .stdin(Stdio::null())
        .output()
        .expect("running python3");
    let text = String::from_utf8_lossy(&o.stdout);
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "pty driver output is not JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let out = PtyOut {
        out: v["out"].as_str().unwrap_or_default().to_string(),
        code: v["code"].as_i64().unwrap_or(-1) as i32,
        lflag: v["lflag"].as_u64().map(|f| f as u32),
    };
    assert_eq!(
        v["unsent"].as_array().map(Vec::len),
        Some(0),
        "the session never printed what a step waited for:\n{out}"
    );
    out
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[test]
fn logs_of_detached_container_tail_timestamps_since_until() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let n = lab.name("logs");
    lab.run_d(
        &["--name", &n],
        &[
            "sh",
            "-c",
            "echo out-1; echo err-1 >&2; echo out-2; echo out-3",
        ],
    );
    lab.wait_state(&n, "exited", Duration::from_secs(20));
    let out = b.ok(&["logs", &n]);
    assert_eq!(out.stdout, "out-1\nout-2\nout-3\n", "{out}");
    assert_eq!(out.stderr, "err-1\n", "{out}");

    let t = lab.name("tail");
    lab.run_d(
        &["--name", &t],
        &["sh", "-c", "for i in 1 2 3 4 5; do echo l$i; done"],
    );
    lab.wait_state(&t, "exited", Duration::from_secs(20));
    assert_eq!(b.ok(&["logs", "-n", "2", &t]).stdout, "l4\nl5\n");
    assert_eq!(b.ok(&["logs", "--tail", "0", &t]).stdout, "");
    assert_eq!(
        b.ok(&["logs", "--tail", "all", &t]).stdout.lines().count(),
        5
    );
    let ts = b.ok(&["logs", "-t", "-n", "1", &t]);
    let (stamp, line) = ts
        .stdout
        .trim_end()
        .split_once(' ')
        .expect("timestamp then line");
    assert_eq!(line, "l5", "{ts}");
    // RFC 3339 with nine fractional digits, UTC: 2024-01-02T03:04:05.123456789Z
    assert_eq!(stamp.len(), 30, "{ts}");
    assert!(
        stamp.ends_with('Z') && &stamp[10..11] == "T" && &stamp[19..20] == ".",
        "{ts}"
    );

    let s = lab.name("since");
    lab.run_d(
        &["--name", &s],
        &["sh", "-c", "echo early; sleep 3; echo late"],
    );
    std::thread::sleep(Duration::from_millis(1500));
    let mid = format!("{:.3}", now_secs());
    lab.wait_state(&s, "exited", Duration::from_secs(20));
    assert_eq!(b.ok(&["logs", "--since", &mid, &s]).stdout, "late\n");
    assert_eq!(b.ok(&["logs", "--until", &mid, &s]).stdout, "early\n");
    assert_eq!(
        b.ok(&["logs", "--since", "10m", &s]).stdout,
        "early\nlate\n"
    );
    let bad = b.code(&["logs", "--since", "yesterday", &s], 1);
    assert!(bad.stderr.contains("invalid value for \"since\""), "{bad}");
    let none = b.code(&["logs", "no-such-container-x"], 1);
    assert!(
        none.stderr
            .contains("No such container: no-such-container-x"),
        "{none}"
    );
    lab.remove_all_and_check();
}

#[test]
fn logs_follow_ends_when_the_container_exits() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("follow");
    lab.run_d(
        &["--name", &n],
        &["sh", "-c", "echo a; sleep 1; echo b >&2; sleep 1; echo c"],
    );
    let t = Instant::now();
    let out = lab.b().ok(&["logs", "-f", &n]);
    let took = t.elapsed();
    assert_eq!(out.stdout, "a\nc\n", "{out}");
    assert_eq!(out.stderr, "b\n", "{out}");
    assert!(
        took >= Duration::from_millis(1200) && took < Duration::from_secs(15),
        "logs -f returned after {took:?}, not when the container exited"
    );
    assert_eq!(lab.state_of(&n).map(|s| s.0).as_deref(), Some("exited"));
    // Following a stopped container prints what there is and returns.
    assert_eq!(lab.b().ok(&["logs", "-f", "-n", "1", &n]).stdout, "c\n");
    lab.remove_all_and_check();
}

#[test]
fn logs_of_foreground_run_none_driver_and_closed_pipe() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let n = lab.name("fg");
    let run = lab.run(
        &["--name", &n],
        &["sh", "-c", "echo fg-out; echo fg-err >&2; exit 3"],
    );
    assert_eq!(run.code, 3, "{run}");
    let out = b.ok(&["logs", &n]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("fg-out\n", "fg-err\n"),
        "{out}"
    );

    let quiet = lab.name("none");
    lab.run_d(
        &["--name", &quiet, "--log-driver", "none"],
        &["sh", "-c", "echo x"],
    );
    let out = b.code(&["logs", &quiet], 1);
    assert!(
        out.stderr
            .contains("configured logging driver does not support reading"),
        "{out}"
    );

    // `logs | head -1`: berth sees a closed pipe and ends quietly with 0.
    let big = lab.name("big");
    lab.run_d(
        &["--name", &big],
        &[
            "sh",
            "-c",
            "i=0; while [ $i -lt 20000 ]; do echo line-$i; i=$((i+1)); done",
        ],
    );
    lab.wait_state(&big, "exited", Duration::from_secs(60));
    for follow in [false, true] {
        let mut args = vec!["logs"];
        if follow {
            args.push("-f");
        }
        args.push(&big);
        let mut child = b
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert_eq!(first, "line-0\n");
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "follow={follow}: {o:?}");
        assert!(
            o.stderr.is_empty(),
            "follow={follow}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    lab.remove_all_and_check();
}

#[test]
fn attach_through_a_pty_sends_input_detaches_and_reports_the_exit() {
    require!(@containers);
    let Some(py) = python() else { return };
    let lab = Lab::new();
    let n = lab.name("att");
    lab.run_d(&["-it", "--name", &n], &["sh"]);
    let s = pty_session(
        &lab,
        &py,
        &["attach", &n],
        &[("", "echo in-$((6*7))\n"), ("in-42", "\x10\x11")],
        (24, 80),
    );
    assert_eq!(s.code, 1, "{s}");
    assert!(
        s.out.contains("in-42") && s.out.contains("read escape sequence"),
        "{s}"
    );
    assert_eq!(lab.state_of(&n).map(|s| s.0).as_deref(), Some("running"));

    let s = pty_session(
        &lab,
        &py,
        &["attach", &n],
        &[("", "\n"), ("# ", "stty size; exit 4\n")],
        (31, 97),
    );
    assert_eq!(s.code, 4, "{s}");
    assert!(
        s.out.contains("31 97"),
        "the window size did not reach the container:\n{s}"
    );
    lab.wait_state(&n, "exited", Duration::from_secs(10));
    let out = lab.b().code(&["attach", &n], 1);
    assert!(
        out.stderr
            .contains("You cannot attach to a stopped container, start it first"),
        "{out}"
    );

    // A tty container wants a terminal on stdin; a plain one does not.
    let t = lab.name("att-tty");
    lab.run_d(&["-it", "--name", &t], &["sh"]);
    let out = lab.b().code(&["attach", &t], 1);
    assert!(
        out.stderr.contains("the input device is not a TTY"),
        "{out}"
    );
    let p = lab.name("att-plain");
    lab.run_d(&["--name", &p], &["sh", "-c", "sleep 2; echo late; exit 6"]);
    let out = lab.b().run(&["attach", &p]);
    assert_eq!((out.code, out.stdout.as_str()), (6, "late\n"), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn exec_exit_codes_env_workdir_user_and_stdin() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let n = lab.name("exec");
    lab.run_d(&["--name", &n, "-e", "FROM_RUN=r"], &["sleep", "1000"]);
    assert_eq!(b.ok(&["exec", &n, "echo", "hi"]).stdout, "hi\n");
    b.code(&["exec", &n, "sh", "-c", "exit 3"], 3);
    b.code(&["exec", &n, "sh", "-c", "kill -9 $$"], 137);
    let out = b.code(&["exec", &n, "nope"], 127);
    assert!(
        out.stderr.contains("OCI runtime exec failed")
            && out
                .stderr
                .contains("\"nope\": executable file not found in $PATH"),
        "{out}"
    );
    assert_eq!(
        out.stderr.matches("executable file not found").count(),
        1,
        "the runtime's message is printed twice:\n{out}"
    );
    b.code(&["exec", &n, "/etc"], 126);
    let out = b.code(&["exec", "-u", "nouser", &n, "id"], 126);
    assert!(out.stderr.contains("unable to find user nouser"), "{out}");

    let env_file = b.base().join("exec.env");
    std::fs::write(&env_file, "# comment\nFROM_FILE=f\n").unwrap();
    let out = b.ok(&[
        "exec",
        "-e",
        "A=1",
        "--env-file",
        env_file.to_str().unwrap(),
        "-w",
        "/tmp",
        "-u",
        "nobody",
        &n,
        "sh",
        "-c",
        "echo \"$A|$FROM_RUN|$FROM_FILE|$(pwd)|$(id -u):$(id -g)\"",
    ]);
    assert_eq!(out.stdout, "1|r|f|/tmp|65534:65534\n", "{out}");
    // The container's own process is untouched by an exec's -e.
    assert_eq!(
        b.ok(&["exec", &n, "sh", "-c", "echo ${A:-unset}"]).stdout,
        "unset\n"
    );

    let out = b.run_stdin(
        &["exec", "-i", &n, "sh", "-c", "cat; echo end"],
        Some("piped\nin\n"),
    );
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "piped\nin\nend\n"),
        "{out}"
    );
    let out = b.run_stdin(&["exec", &n, "cat"], Some("not forwarded\n"));
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{out}");
    let out = b.run(&["exec", &n, "sh", "-c", "echo to-err >&2"]);
    assert_eq!(out.stderr, "to-err\n", "{out}");

    let t = Instant::now();
    let out = b.ok(&["exec", "-d", &n, "sh", "-c", "sleep 2; echo done > /tmp/d"]);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "exec -d waited for the process"
    );
    let done = wait_for(Duration::from_secs(15), || {
        let o = b.run(&["exec", &n, "cat", "/tmp/d"]);
        (o.stdout == "done\n").then_some(())
    });
    assert!(done.is_some(), "the detached exec never ran");
    lab.remove_all_and_check();
}

/// `exec --privileged` gets every capability berth itself holds (moby's
/// `GetAllCapabilities` is limited to the caller's bounding set, so this
/// also works where the host withholds a capability from berth).
#[test]
fn exec_privileged_widens_capabilities() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let n = lab.name("exec-priv");
    lab.run_d(&["--name", &n], &["sleep", "1000"]);
    let caps = |flags: &[&str]| {
        let mut a = vec!["exec"];
        a.extend_from_slice(flags);
        a.extend_from_slice(&[&n, "grep", "CapEff", "/proc/self/status"]);
        let o = b.ok(&a);
        let hex = o
            .stdout
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        u64::from_str_radix(&hex, 16).unwrap_or_else(|_| panic!("{o}"))
    };
    let (plain, privileged) = (caps(&[]), caps(&["--privileged"]));
    assert!(
        privileged & plain == plain && privileged.count_ones() > plain.count_ones() + 10,
        "--privileged did not widen the capabilities: {plain:x} vs {privileged:x}"
    );
    lab.remove_all_and_check();
}

#[test]
fn exec_tty_through_a_pty_and_detach() {
    require!(@containers);
    let Some(py) = python() else { return };
    let lab = Lab::new();
    let n = lab.name("exec-t");
    lab.run_d(&["--name", &n], &["sleep", "1000"]);
    let s = pty_session(
        &lab,
        &py,
        &["exec", "-it", &n, "sh"],
        &[
            ("# ", "stty size; tty; echo $TERM\n"),
            ("xterm", "exit 7\n"),
        ],
        (33, 101),
    );
    assert_eq!(s.code, 7, "{s}");
    assert!(s.out.contains("33 101"), "window size not applied:\n{s}");
    assert!(s.out.contains("/dev/pts/"), "no tty in the container:\n{s}");
    // Output through the pty comes back with CRLF, as from docker exec -t.
    let s = pty_session(&lab, &py, &["exec", "-t", &n, "echo", "one"], &[], (24, 80));
    assert_eq!((s.code, s.out.contains("one\r")), (0, true), "{s}");

    let s = pty_session(
        &lab,
        &py,
        &[
            "exec",
            "-it",
            &n,
            "sh",
            "-c",
            "echo started; exec sleep 1001",
        ],
        &[("started", "\x10\x11")],
        (24, 80),
    );
    assert_eq!(s.code, 1, "{s}");
    assert!(s.out.contains("read escape sequence"), "{s}");
    let ps = lab.b().ok(&["exec", &n, "ps"]);
    assert!(
        ps.stdout.contains("sleep 1001"),
        "the detached exec should keep running:\n{ps}"
    );
    // -dt: the process gets a terminal that outlives this CLI.
    lab.b().ok(&[
        "exec",
        "-dt",
        &n,
        "sh",
        "-c",
        "tty > /tmp/t; exec sleep 1002",
    ]);
    let tty = wait_for(Duration::from_secs(15), || {
        let o = lab.b().run(&["exec", &n, "cat", "/tmp/t"]);
        o.stdout.starts_with("/dev/pts/").then_some(())
    });
    assert!(tty.is_some(), "exec -dt got no terminal");
    std::thread::sleep(Duration::from_millis(500));
    let ps = lab.b().ok(&["exec", &n, "ps"]);
    assert!(
        ps.stdout.contains("sleep 1002"),
        "exec -dt was hung up:\n{ps}"
    );
    // -it needs a terminal on stdin.
    let out = lab.b().code(&["exec", "-it", &n, "sh"], 1);
    assert!(
        out.stderr.contains("the input device is not a TTY"),
        "{out}"
    );
    lab.remove_all_and_check();
}

#[test]
fn exec_in_a_stopped_container_fails() {
    require!(@containers);
    let lab = Lab::new();
    let id = lab.create(&[], &["sleep", "1000"]);
    let out = lab.b().code(&["exec", &id[..12], "echo", "hi"], 1);
    assert!(
        out.stderr
            .contains(&format!("Container {id} is not running")),
        "{out}"
    );
    lab.b().ok(&["start", &id]);
    assert_eq!(lab.b().ok(&["exec", &id, "echo", "hi"]).stdout, "hi\n");
    lab.b().ok(&["stop", "-t", "0", &id]);
    let out = lab.b().code(&["exec", &id, "echo", "hi"], 1);
    assert!(
        out.stderr
            .contains(&format!("Container {id} is not running")),
        "{out}"
    );
    lab.remove_all_and_check();
}

/// A panic with the user's terminal in raw mode (release builds abort, so no
/// `Drop` runs) must leave the terminal as it was: the panic hook restores
/// it before the message is printed. The trigger is read by debug builds only.
#[test]
fn a_panic_in_exec_it_restores_the_terminal() {
    require!(@containers);
    if !cfg!(debug_assertions) {
        eprintln!("skipping: the panic trigger exists in debug builds only");
        return;
    }
    let Some(py) = python() else { return };
    let lab = Lab::new();
    let n = lab.name("exec-panic");
    lab.run_d(&["--name", &n], &["sleep", "1000"]);
    let s = pty_session_env(
        &lab,
        &py,
        &[("BERTH_DEBUG_PANIC_IN_RAW_MODE", "1")],
        &["exec", "-it", &n, "sh"],
        &[],
        (24, 80),
    );
    assert_ne!(s.code, 0, "{s}");
    let msg = s
        .out
        .split_once("BERTH_DEBUG_PANIC_IN_RAW_MODE")
        .map(|(_, m)| m)
        .unwrap_or_else(|| panic!("no panic message:\n{s}"));
    // Raw mode turns output processing off (a bare "\n"); the hook restored
    // the terminal first, so the message's newline came out as "\r\n".
    assert!(msg.contains("\r\nsecond line"), "printed in raw mode:\n{s}");
    let lflag = s.lflag.expect("the terminal's mode after the exit");
    let cooked = libc::ICANON | libc::ECHO;
    assert_eq!(
        lflag & cooked,
        cooked,
        "the terminal was left raw (lflag {lflag:#o}):\n{s}"
    );
    lab.remove_all_and_check();
}
