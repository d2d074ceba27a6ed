//! Attached `compose up` and `compose logs` output, byte for byte as docker
//! compose v2 prints it (its `cmd/formatter` log consumer and the
//! `printer`/`monitor` of `pkg/compose`): `Attaching to` with the sorted
//! short names; `name | ` prefixes padded to the longest name printed so
//! far plus one; stderr lines on stderr; `\r ESC[K`-led `exited with code N`
//! status lines (` (restarting)` under a restart policy); the rainbow on a
//! terminal (stdout on a pty) and none with `--no-color`; `--no-log-prefix`,
//! `--timestamps`, `--attach`, `--no-attach`, `--attach-dependencies`;
//! the flags berth refuses; `logs` with `-t`, `--tail`, `--index`, `-f`.
//!
//! Networks: every service uses `network_mode: none`, so no test here
//! needs a subnet (none of 10.247.n.0/24 is taken).

use crate::compose_up::{compose, compose_ok, containers, need, project, Proj};
use crate::containers::Lab;
use crate::support::require::{find_binary, in_ci};
use std::process::Stdio;
use std::time::Duration;

/// Runs its arguments with stdout on a pseudo-terminal without output
/// translation (the bytes as written) and stderr inherited; prints what
/// the terminal got and exits with the command's code. Stops reading a
/// second after the command is gone (a process it left may hold the pty).
const PTY_STDOUT: &str = r#"
import os, select, subprocess, sys, termios, time
m, s = os.openpty()
a = termios.tcgetattr(s)
a[1] &= ~termios.OPOST
termios.tcsetattr(s, termios.TCSANOW, a)
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=s)
os.close(s)
out, quiet = b"", None
while True:
    r, _, _ = select.select([m], [], [], 0.2)
    if r:
        try:
            d = os.read(m, 65536)
        except OSError:
            break
        if not d:
            break
        out += d
        continue
    if p.poll() is not None:
        quiet = quiet or time.time()
        if time.time() - quiet > 1:
            break
sys.stdout.buffer.write(out)
sys.exit(p.wait())
"#;

/// `berth compose -p P args` with stdout on a pty: (stdout, stderr, code),
/// or None when python3 is missing outside CI.
fn on_pty(lab: &Lab, p: &Proj, args: &[&str]) -> Option<(String, String, i32)> {
    let Some(py) = find_binary("python3") else {
        assert!(!in_ci(), "python3 is needed to drive a pseudo-terminal");
        eprintln!("skipping the terminal cases: python3 drives the pty");
        return None;
    };
    let mut full = vec!["compose", "-p", &p.name];
    full.extend_from_slice(args);
    let cmd = lab.b().command(&full);
    let mut c = std::process::Command::new(py);
    c.arg("-c").arg(PTY_STDOUT).arg(cmd.get_program());
    c.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    c.current_dir(&p.dir).stdin(Stdio::null());
    let o = c.output().expect("python3");
    Some((
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    ))
}

/// alpha prints first; bravo-longer (started after it) prints once alpha
/// has, alpha prints again once bravo has, then both exit; bravo's last
/// line has no newline. Files in a shared volume order the lines.
const ORDERED: &str = r#"
services:
  alpha:
    image: IMAGE
    network_mode: none
    volumes: [shared:/s]
    command:
      - sh
      - -c
      - |
        rm -f /s/b1 /s/a2
        echo alpha-out; echo alpha-err >&2
        while [ ! -e /s/b1 ]; do sleep 1; done
        sleep 1; echo alpha-late; touch /s/a2; exit 3
  bravo-longer:
    image: IMAGE
    network_mode: none
    volumes: [shared:/s]
    depends_on: [alpha]
    command:
      - sh
      - -c
      - |
        sleep 1; echo bravo-out; touch /s/b1
        while [ ! -e /s/a2 ]; do sleep 1; done
        sleep 1; printf partial; exit 0
volumes:
  shared: {}
"#;

#[test]
fn compose_up_attached_prints_what_compose_prints() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "catt", ORDERED);

    // Not a terminal: no colour; widths grow as containers first print.
    let out = compose(&lab, &p, &["up"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout,
        "Attaching to alpha-1, bravo-longer-1\n\
         alpha-1  | alpha-out\n\
         bravo-longer-1  | bravo-out\n\
         alpha-1         | alpha-late\n\
         \r\x1b[Kalpha-1 exited with code 3\n\
         bravo-longer-1  | partial\n\
         \r\x1b[Kbravo-longer-1 exited with code 0\n",
        "{out}"
    );
    assert!(out.stderr.contains("alpha-1  | alpha-err\n"), "{out}");
    assert!(!out.stderr.contains("alpha-out"), "{out}");

    // A second up shows only the new run's lines; on a terminal the
    // prefixes and status lines take the rainbow in order of first output.
    if let Some((stdout, stderr, code)) = on_pty(&lab, &p, &["up"]) {
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        assert_eq!(
            stdout,
            "Attaching to alpha-1, bravo-longer-1\n\
         \x1b[36malpha-1  | \x1b[0malpha-out\n\
         \x1b[33mbravo-longer-1  | \x1b[0mbravo-out\n\
         \x1b[36malpha-1         | \x1b[0malpha-late\n\
         \x1b[36m\r\x1b[Kalpha-1 exited with code 3\n\x1b[0m\
         \x1b[33mbravo-longer-1  | \x1b[0mpartial\n\
         \x1b[33m\r\x1b[Kbravo-longer-1 exited with code 0\n\x1b[0m",
            "{stderr}"
        );

        // --no-color on a terminal; --no-log-prefix leaves the lines bare.
        let (stdout, stderr, code) =
            on_pty(&lab, &p, &["up", "--no-color", "--no-log-prefix"]).unwrap();
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        assert_eq!(
            stdout,
            "Attaching to alpha-1, bravo-longer-1\n\
         alpha-out\nbravo-out\nalpha-late\n\
         \r\x1b[Kalpha-1 exited with code 3\n\
         partial\n\
         \r\x1b[Kbravo-longer-1 exited with code 0\n",
            "{stderr}"
        );
    }

    // --timestamps: the time of printing after the prefix.
    let out = compose(&lab, &p, &["up", "--timestamps"]);
    assert_eq!(out.code, 0, "{out}");
    let line = out
        .stdout
        .lines()
        .find(|l| l.ends_with(" alpha-out"))
        .unwrap_or_else(|| panic!("{out}"));
    let ts = line
        .strip_prefix("alpha-1  | ")
        .and_then(|l| l.strip_suffix(" alpha-out"))
        .unwrap_or_else(|| panic!("{line:?}"));
    assert!(
        chrono::DateTime::parse_from_rfc3339(ts).is_ok() && ts.len() >= 30,
        "{ts:?}"
    );

    // compose logs: the containers in name order, the same width rule,
    // both streams on stdout, the unterminated last line left out.
    let out = compose_ok(&lab, &p, &["logs", "--no-color"]);
    let alpha: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("alpha-1"))
        .collect();
    assert!(alpha.contains(&"alpha-1  | alpha-err"), "{out}");
    assert!(
        out.stdout
            .lines()
            .any(|l| l == "bravo-longer-1  | bravo-out"),
        "{out}"
    );
    // compose's line splitter keeps an unterminated line for the next
    // entry of the stream (the next run's first line here) and drops the
    // very last one: four runs of bravo.
    let joined = "bravo-longer-1  | partialbravo-out";
    assert_eq!(
        out.stdout.lines().filter(|l| *l == joined).count(),
        3,
        "{out}"
    );
    assert!(out.stdout.ends_with(&format!("{joined}\n")), "{out}");
    let out = compose_ok(
        &lab,
        &p,
        &["logs", "--no-log-prefix", "--tail", "1", "alpha"],
    );
    assert_eq!(out.stdout, "alpha-late\n", "{out}");
    let out = compose_ok(&lab, &p, &["logs", "-t", "-n", "1", "alpha"]);
    assert!(out.stdout.starts_with("alpha-1  | 20"), "{out}");
    assert!(out.stdout.ends_with("Z alpha-late\n"), "{out}");
    let out = compose(&lab, &p, &["logs", "--index", "1"]);
    assert_ne!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .contains("--index requires one service to be selected"),
        "{out}"
    );
    let out = compose_ok(
        &lab,
        &p,
        &[
            "logs",
            "--index",
            "1",
            "--no-log-prefix",
            "-n",
            "2",
            "bravo-longer",
        ],
    );
    assert_eq!(out.stdout, "bravo-out\n", "{out}");
    compose_ok(&lab, &p, &["down", "-v"]);
    lab.assert_clean();
}

const SELECT: &str = r#"
services:
  web:
    image: IMAGE
    network_mode: none
    depends_on: [db]
    command: [sh, -c, 'sleep 2; echo web-says; exit 4']
  db:
    image: IMAGE
    network_mode: none
    command: [sh, -c, 'echo db-says; sleep 1000']
    stop_grace_period: 1s
  quiet:
    image: IMAGE
    network_mode: none
    attach: false
    command: [sh, -c, 'echo quiet-says; exit 0']
"#;

#[test]
fn compose_up_attaches_the_services_compose_attaches() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "csel", SELECT);
    let db = format!("{}-db-1", p.name);

    // Refused before anything is created.
    for (args, msg) in [
        (
            &["up", "--attach", "nosuch"][..],
            "cannot attach to services not included in up: nosuch",
        ),
        (
            &["up", "--attach", "web", "--attach-dependencies"][..],
            "cannot combine --attach and --attach-dependencies",
        ),
        (
            &["up", "-d", "--attach", "web"][..],
            "--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch",
        ),
        (
            &["up", "--wait", "--attach-dependencies"][..],
            "--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies",
        ),
        (
            &["up", "--abort-on-container-exit", "--abort-on-container-failure"][..],
            "--abort-on-container-failure cannot be combined with --abort-on-container-exit",
        ),
        (&["up", "--menu"][..], "--menu is not supported by berth"),
        (&["up", "-w"][..], "--watch is not supported by berth"),
    ] {
        let out = compose(&lab, &p, args);
        assert_ne!(out.code, 0, "{out}");
        assert!(out.stderr.contains(msg), "{args:?}: {out}");
    }
    assert!(
        containers(&lab, &p).is_empty(),
        "{:?}",
        containers(&lab, &p)
    );

    // A named service: only it is attached and watched; its dependency
    // runs on after up returns with 0.
    let out = compose(&lab, &p, &["up", "--menu=false", "web"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout, "Attaching to web-1\nweb-1  | web-says\n\r\x1b[Kweb-1 exited with code 4\n",
        "{out}"
    );
    assert!(
        containers(&lab, &p).contains(&(db.clone(), "running".into())),
        "{:?}",
        containers(&lab, &p)
    );

    // --attach-dependencies: db's output too, but only web is watched.
    let out = compose(&lab, &p, &["up", "--attach-dependencies", "web"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.starts_with("Attaching to db-1, web-1\n"),
        "{out}"
    );
    assert!(out.stdout.contains("web-1  | web-says\n"), "{out}");
    assert!(!out.stdout.contains("db-1 exited"), "{out}");

    // --attach db while web is the named service: db's lines, web's exit.
    let out = compose(&lab, &p, &["up", "--attach", "db", "web"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with("Attaching to db-1\n"), "{out}");
    assert!(!out.stdout.contains("web-says"), "{out}");
    assert!(
        out.stdout.ends_with("\r\x1b[Kweb-1 exited with code 4\n"),
        "{out}"
    );

    // No service named: every service but `attach: false` ones, less
    // --no-attach; the watched set is the attached one, so up ends when
    // web exits, with the other containers left as they are.
    compose_ok(&lab, &p, &["stop", "db"]);
    let out = compose(&lab, &p, &["up", "--no-attach", "db"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout, "Attaching to web-1\nweb-1  | web-says\n\r\x1b[Kweb-1 exited with code 4\n",
        "{out}"
    );
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}

/// Each run prints a second after it starts and exits a second later, so
/// a loaded machine still reads a run's line before its end is reported
/// and the end before the next run's line.
const RESTARTS: &str = r#"
services:
  flaky:
    image: IMAGE
    network_mode: none
    restart: on-failure:2
    command: [sh, -c, 'sleep 1; echo try; sleep 1; exit 5']
"#;

#[test]
fn compose_up_attached_reports_restarts_and_logs_follow_ends() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "crst", RESTARTS);

    // Two restarts by the policy, then the final exit; up returns 0.
    let out = compose(&lab, &p, &["up"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout,
        "Attaching to flaky-1\n\
         flaky-1  | try\n\
         \r\x1b[Kflaky-1 exited with code 5 (restarting)\n\
         flaky-1  | try\n\
         \r\x1b[Kflaky-1 exited with code 5 (restarting)\n\
         flaky-1  | try\n\
         \r\x1b[Kflaky-1 exited with code 5\n",
        "{out}"
    );

    // logs -f with the container stopped keeps following (compose's
    // monitor waits for every container of the service to exit); once it
    // runs and exits again, -f ends with the exit line.
    let mut follower = {
        let mut c = lab
            .b()
            .command(&["compose", "-p", &p.name, "logs", "-f", "--no-log-prefix"]);
        c.current_dir(&p.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c.spawn().unwrap()
    };
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        follower.try_wait().unwrap().is_none(),
        "logs -f ended with every container stopped"
    );
    compose_ok(&lab, &p, &["start"]);
    let ended = crate::support::wait_for(Duration::from_secs(60), || follower.try_wait().unwrap());
    if ended.is_none() {
        let _ = follower.kill();
    }
    let o = follower.wait_with_output().unwrap();
    assert!(ended.is_some_and(|s| s.success()), "{o:?}");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("try\ntry\ntry\n"), "{text:?}");
    assert!(
        text.ends_with("\r\x1b[Kflaky-1 exited with code 5\n"),
        "{text:?}"
    );
    assert!(
        text.contains("\r\x1b[Kflaky-1 exited with code 5 (restarting)\n"),
        "{text:?}"
    );
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}
