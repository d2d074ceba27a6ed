//! `compose up` attached with the abort flags, as docker compose v2 (its
//! `stopOnFirstExit` and `captureExitCodeFrom` listeners):
//! `--abort-on-container-exit` stops the project at the first exit and
//! returns that container's code; `--abort-on-container-failure` only at a
//! non-zero one; `--exit-code-from S` implies the first and returns S's
//! own code (143/137 when the abort stopped it); each conflicts with `-d`.
//! Ctrl-C and the aborts stop the project in reverse dependency order.
//!
//! Subnet: the compose_up helpers' (10.20-39.N.0/24, N per env); the
//! ordering test's services use `network_mode: none`.

use crate::compose_up::{compose, compose_ok, containers, need, project};
use crate::containers::Lab;

const YAML: &str = "
services:
  quick:
    image: IMAGE
    command: [sh, -c, 'echo from-quick; sleep 1; exit 3']
  slow:
    image: IMAGE
    command: [sh, -c, 'trap \"exit 143\" TERM; echo from-slow; sleep 60 & wait']
    stop_grace_period: 5s
networks:
  default:
    ipam:
      config: [{subnet: SUBNET}]
";

#[test]
fn compose_up_abort_flags_stop_the_project_and_return_dockers_codes() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "cabo", YAML);
    // Exit lines name the container without the project, as compose's.
    let (quick, slow) = ("quick-1", "slow-1");

    // The first exit stops the rest; `up` returns its code.
    let out = compose(&lab, &p, &["up", "--abort-on-container-exit"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.starts_with("Attaching to "), "{out}");
    assert!(
        out.stdout.contains(&format!("{quick} exited with code 3")),
        "{out}"
    );
    assert!(
        out.stdout.contains(&format!("{slow} exited with code 143")),
        "{out}"
    );
    assert!(
        out.stderr.contains("Aborting on container exit..."),
        "{out}"
    );
    assert!(
        containers(&lab, &p).iter().all(|(_, s)| s == "exited"),
        "{:?}",
        containers(&lab, &p)
    );

    // --exit-code-from implies the abort and returns the chosen service's
    // own code: slow was stopped by it (143), whatever quick returned.
    let out = compose(&lab, &p, &["up", "--exit-code-from", "slow"]);
    assert_eq!(out.code, 143, "{out}");
    assert!(
        out.stderr.contains("Aborting on container exit..."),
        "{out}"
    );
    let out = compose(&lab, &p, &["up", "--exit-code-from", "quick"]);
    assert_eq!(out.code, 3, "{out}");

    // Only a failure aborts: quick's 3 does.
    let out = compose(&lab, &p, &["up", "--abort-on-container-failure"]);
    assert_eq!(out.code, 3, "{out}");

    // Detached and aborting do not mix; nothing starts.
    compose_ok(&lab, &p, &["down"]);
    for flag in ["--abort-on-container-exit", "--abort-on-container-failure"] {
        let out = compose(&lab, &p, &["up", "-d", flag]);
        assert_ne!(out.code, 0, "{out}");
        assert!(
            out.stderr.contains("--detach cannot be combined with"),
            "{out}"
        );
    }
    assert!(
        containers(&lab, &p).is_empty(),
        "{:?}",
        containers(&lab, &p)
    );
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}

/// Ctrl-C of an attached `up`: "Gracefully Stopping...", the project's
/// containers stopped, exit 0 (docker compose's answer to one interrupt);
/// `--dry-run` says what it would do and creates nothing.
#[test]
fn compose_up_interrupted_stops_gracefully_and_dry_run_creates_nothing() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "caint", YAML);

    let out = compose(&lab, &p, &["--dry-run", "up", "-d"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .lines()
            .any(|l| l.starts_with(" DRY-RUN MODE - ") && l.contains("Created")),
        "{out}"
    );
    assert!(
        containers(&lab, &p).is_empty(),
        "{:?}",
        containers(&lab, &p)
    );
    assert!(
        crate::compose_up::networks(&lab, &p).is_empty(),
        "{:?}",
        crate::compose_up::networks(&lab, &p)
    );

    let mut cmd = lab
        .b()
        .command(&["compose", "-p", &p.name, "up", "-t", "2", "slow"]);
    cmd.current_dir(&p.dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("compose up");
    let running = crate::support::wait_for(std::time::Duration::from_secs(30), || {
        containers(&lab, &p)
            .iter()
            .any(|(_, s)| s == "running")
            .then_some(())
    });
    assert!(
        running.is_some(),
        "slow never ran: {:?}",
        containers(&lab, &p)
    );
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    let out = child.wait_with_output().expect("waiting for compose up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(" Compose Stopping Gracefully Stopping... press Ctrl+C again to force"),
        "{stderr}"
    );
    assert!(
        stdout.contains("\r\x1b[Kslow-1 exited with code 143\n"),
        "{stdout}"
    );
    assert!(
        containers(&lab, &p).iter().all(|(_, s)| s == "exited"),
        "{:?}",
        containers(&lab, &p)
    );
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}

/// app depends on db: db quits on SIGTERM at once, app only when killed
/// at the end of its grace period. Stopped together, db would be gone
/// first; compose stops in reverse dependency order, so db's stop begins
/// only once app is stopped.
const CHAIN: &str = "
services:
  db:
    image: IMAGE
    network_mode: none
    command: [sh, -c, 'trap \"exit 143\" TERM; sleep 60 & wait']
  app:
    image: IMAGE
    network_mode: none
    depends_on: [db]
    command: [sh, -c, 'sleep 60 & wait']
    stop_grace_period: 2s
  once:
    image: IMAGE
    network_mode: none
    profiles: [once]
    command: [sh, -c, 'sleep 2']
";

/// The index of the first stderr line that is this container's event.
fn event_line(stderr: &str, name: &str, event: &str) -> usize {
    let want = format!(" Container {name}  {event}");
    stderr
        .lines()
        .position(|l| l.trim_end() == want)
        .unwrap_or_else(|| panic!("no {want:?} in:\n{stderr}"))
}

#[test]
fn compose_up_stops_in_reverse_dependency_order_on_ctrl_c_and_abort() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "cordr", CHAIN);
    let (db, app) = (format!("{}-db-1", p.name), format!("{}-app-1", p.name));
    let ordered = |stderr: &str| {
        let app_stopped = event_line(stderr, &app, "Stopped");
        let db_stopping = event_line(stderr, &db, "Stopping");
        assert!(
            app_stopped < db_stopping,
            "db stopped before app:\n{stderr}"
        );
    };

    // Ctrl-C: a graceful stop, app first.
    let mut cmd = lab.b().command(&["compose", "-p", &p.name, "up"]);
    cmd.current_dir(&p.dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("compose up");
    let running = crate::support::wait_for(std::time::Duration::from_secs(30), || {
        let c = containers(&lab, &p);
        (c.len() == 2 && c.iter().all(|(_, s)| s == "running")).then_some(())
    });
    assert!(running.is_some(), "never ran: {:?}", containers(&lab, &p));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    let out = child.wait_with_output().expect("waiting for compose up");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    ordered(&stderr);
    let finished = |name: &str| {
        let v = crate::compose_up::inspect(&lab, name);
        assert_eq!(v["State"]["Status"], "exited", "{name}: {v}");
        v["State"]["ExitCode"].as_i64().unwrap()
    };
    // app was killed at its grace period's end, db took its SIGTERM.
    assert_eq!(finished(&app), 137);
    assert_eq!(finished(&db), 143);

    // An abort stops the project the same way.
    let out = compose(
        &lab,
        &p,
        &["--profile", "once", "up", "--abort-on-container-exit"],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("Aborting on container exit..."),
        "{out}"
    );
    ordered(&out.stderr);
    compose_ok(&lab, &p, &["--profile", "once", "down"]);
    lab.assert_clean();
}
