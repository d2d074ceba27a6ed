//! Healthchecks run by the shim (issue 9), through the binary with the
//! real runc: healthy, unhealthy and back (a probe on a file the test
//! creates and removes with `exec`), the timeout, the start period, `NONE`
//! and `--no-healthcheck`, docker's flag errors, `ps` and `inspect`
//! output, `wait --condition healthy`, `--health-on-failure` and an image
//! `HEALTHCHECK` from `commit --change`. Every container uses
//! `--network none` (no subnet is taken).

use crate::containers::Lab;
use crate::require;
use crate::support::wait_for;
use std::time::Duration;

use crate::containers::field;

fn health_status(lab: &Lab, name: &str) -> String {
    field(lab, name, "{{.State.Health.Status}}")
}

/// Wait until `State.Health.Status` is `want`.
#[track_caller]
fn wait_health(lab: &Lab, name: &str, want: &str, timeout: Duration) {
    let got = wait_for(timeout, || (health_status(lab, name) == want).then_some(()));
    assert!(
        got.is_some(),
        "{name} never became {want}: {}",
        field(lab, name, "{{json .State.Health}}")
    );
}

fn ps_status(lab: &Lab, name: &str) -> String {
    lab.state_of(name).map(|(_, s)| s).unwrap_or_default()
}

#[test]
fn healthy_unhealthy_and_back_in_inspect_and_ps() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("hc");
    lab.run_d(
        &[
            "--name",
            &n,
            "--network",
            "none",
            "--health-cmd",
            "test -f /tmp/ok && echo fine",
            "--health-interval",
            "200ms",
            "--health-retries",
            "2",
        ],
        &["sleep", "300"],
    );
    let cfg: serde_json::Value =
        serde_json::from_str(&field(&lab, &n, "{{json .Config.Healthcheck}}")).unwrap();
    assert_eq!(
        cfg,
        serde_json::json!({"Test": ["CMD-SHELL", "test -f /tmp/ok && echo fine"],
            "Interval": 200_000_000, "Retries": 2})
    );
    // No file: two failures make it unhealthy.
    wait_health(&lab, &n, "unhealthy", Duration::from_secs(10));
    assert!(
        ps_status(&lab, &n).ends_with(" (unhealthy)"),
        "{}",
        ps_status(&lab, &n)
    );
    let streak: u32 = field(&lab, &n, "{{.State.Health.FailingStreak}}")
        .parse()
        .unwrap();
    assert!(streak >= 2, "{streak}");
    lab.b().ok(&["exec", &n, "touch", "/tmp/ok"]);
    wait_health(&lab, &n, "healthy", Duration::from_secs(10));
    let status = ps_status(&lab, &n);
    assert!(
        status.starts_with("Up ") && status.ends_with(" (healthy)"),
        "{status}"
    );
    assert_eq!(field(&lab, &n, "{{.State.Health.FailingStreak}}"), "0");
    let log: Vec<serde_json::Value> =
        serde_json::from_str(&field(&lab, &n, "{{json .State.Health.Log}}")).unwrap();
    assert!(log.len() <= 5 && !log.is_empty(), "{log:?}");
    let last = log.last().unwrap();
    assert_eq!(last["ExitCode"], 0, "{last}");
    assert_eq!(last["Output"], "fine\n", "{last}");
    assert!(last["Start"].as_str().unwrap() <= last["End"].as_str().unwrap());
    // And unhealthy again once the file is gone.
    lab.b().ok(&["exec", &n, "rm", "/tmp/ok"]);
    wait_health(&lab, &n, "unhealthy", Duration::from_secs(10));
    // The five last results only.
    std::thread::sleep(Duration::from_millis(1500));
    let log: Vec<serde_json::Value> =
        serde_json::from_str(&field(&lab, &n, "{{json .State.Health.Log}}")).unwrap();
    assert_eq!(log.len(), 5);
    lab.b().ok(&["rm", "-f", &n]);
}

#[test]
fn starting_timeout_and_start_period() {
    require!(@containers);
    let lab = Lab::new();
    // A long interval: the status stays `starting` for a while.
    let s = lab.name("starting");
    lab.run_d(
        &[
            "--name",
            &s,
            "--network",
            "none",
            "--health-cmd",
            "true",
            "--health-interval",
            "1h",
        ],
        &["sleep", "300"],
    );
    assert_eq!(health_status(&lab, &s), "starting");
    assert!(
        ps_status(&lab, &s).ends_with(" (health: starting)"),
        "{}",
        ps_status(&lab, &s)
    );
    // A probe that outlives its timeout is killed: exit -1 and docker's text.
    let t = lab.name("timeout");
    lab.run_d(
        &[
            "--name",
            &t,
            "--network",
            "none",
            "--health-cmd",
            "sleep 5",
            "--health-interval",
            "100ms",
            "--health-timeout",
            "300ms",
            "--health-retries",
            "1",
        ],
        &["sleep", "300"],
    );
    wait_health(&lab, &t, "unhealthy", Duration::from_secs(10));
    assert_eq!(
        field(&lab, &t, "{{(index .State.Health.Log 0).ExitCode}}"),
        "-1"
    );
    assert_eq!(
        field(&lab, &t, "{{(index .State.Health.Log 0).Output}}"),
        "Health check exceeded timeout (300ms)"
    );
    // Inside the start period failures do not count (start interval 100ms).
    let p = lab.name("period");
    lab.run_d(
        &[
            "--name",
            &p,
            "--network",
            "none",
            "--health-cmd",
            "false",
            "--health-interval",
            "100ms",
            "--health-start-period",
            "2s",
            "--health-start-interval",
            "100ms",
            "--health-retries",
            "1",
        ],
        &["sleep", "300"],
    );
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(health_status(&lab, &p), "starting");
    assert_eq!(field(&lab, &p, "{{.State.Health.FailingStreak}}"), "0");
    wait_health(&lab, &p, "unhealthy", Duration::from_secs(10));
    lab.b().ok(&["rm", "-f", &s, &t, &p]);
}

#[test]
fn no_healthcheck_and_flag_errors() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("nohc");
    lab.run_d(
        &["--name", &n, "--network", "none", "--no-healthcheck"],
        &["sleep", "300"],
    );
    assert_eq!(
        field(&lab, &n, "{{json .Config.Healthcheck}}"),
        r#"{"Test":["NONE"]}"#
    );
    assert_eq!(field(&lab, &n, "{{json .State.Health}}"), "null");
    let status = ps_status(&lab, &n);
    assert!(!status.contains('('), "{status}");
    let out = lab.b().code(&["wait", "--condition", "healthy", &n], 1);
    assert!(
        out.stderr.contains("has no healthcheck configured"),
        "{out}"
    );
    lab.b().ok(&["rm", "-f", &n]);
    for (flags, err) in [
        (
            vec!["--no-healthcheck", "--health-cmd", "true"],
            "--no-healthcheck conflicts with --health-* options",
        ),
        (
            vec!["--health-interval", "-1s"],
            "--health-interval cannot be negative",
        ),
        (
            vec!["--health-retries", "-1"],
            "--health-retries cannot be negative",
        ),
        (
            vec!["--health-timeout", "500us"],
            "Timeout in Healthcheck cannot be less than 1ms",
        ),
        (
            vec!["--health-interval", "soon"],
            r#"invalid argument "soon" for "--health-interval" flag"#,
        ),
        (
            vec!["--health-on-failure", "explode"],
            "invalid health-on-failure action",
        ),
    ] {
        let mut f = vec!["--rm"];
        f.extend(flags);
        let out = lab.run(&f, &["true"]);
        assert_eq!(out.code, 125, "{out}");
        assert!(out.stderr.contains(err), "{out}");
    }
}

#[test]
fn wait_healthy_events_and_on_failure_actions() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("waith");
    let hc = [
        "--network",
        "none",
        "--health-cmd",
        "test -f /tmp/ok",
        "--health-interval",
        "100ms",
        "--health-retries",
        "1",
    ];
    let mut flags = vec!["--name", &n];
    flags.extend(hc);
    lab.run_d(&flags, &["sleep", "300"]);
    let mut waiter = lab.b().command(&["wait", "--condition", "healthy", &n]);
    let waiter = std::thread::spawn(move || waiter.output().unwrap());
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !waiter.is_finished(),
        "wait returned before the container was healthy"
    );
    lab.b().ok(&["exec", &n, "touch", "/tmp/ok"]);
    let out = waiter.join().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
    // The shim recorded the status changes as events.
    let ev = lab.events_so_far(&[
        "--filter",
        &format!("container={n}"),
        "--format",
        "{{.Action}}",
    ]);
    let actions: Vec<&str> = ev.stdout.lines().collect();
    assert!(actions.contains(&"health_status: unhealthy"), "{actions:?}");
    assert!(actions.contains(&"health_status: healthy"), "{actions:?}");
    lab.b().ok(&["rm", "-f", &n]);

    // A container that exits before it is healthy: wait says so.
    let e = lab.name("exits");
    let mut flags = vec!["--name", &e];
    flags.extend(hc);
    lab.run_d(&flags, &["sleep", "1"]);
    let out = lab.b().code(&["wait", "--condition", "healthy", &e], 1);
    assert!(
        out.stderr.contains("exited before it became healthy"),
        "{out}"
    );

    // --health-on-failure kill: the run is killed (137), nothing restarts it.
    let k = lab.name("kill");
    let mut flags = vec!["--name", &k, "--health-on-failure", "kill"];
    flags.extend(hc);
    lab.run_d(&flags, &["sleep", "300"]);
    lab.wait_state(&k, "exited", Duration::from_secs(10));
    assert_eq!(field(&lab, &k, "{{.State.ExitCode}}"), "137");
    // restart: the same container runs again, starting over.
    let r = lab.name("restart");
    let mut flags = vec!["--name", &r, "--health-on-failure", "restart"];
    flags.extend(hc);
    lab.run_d(&flags, &["sleep", "300"]);
    let again = wait_for(Duration::from_secs(10), || {
        (field(&lab, &r, "{{.RestartCount}}") != "0").then_some(())
    });
    assert!(again.is_some(), "never restarted");
    lab.wait_state(&r, "running", Duration::from_secs(10));
    // stop: the stop signal, then SIGKILL after the stop timeout (sleep as
    // pid 1 ignores SIGTERM); stopped as by the user.
    let s = lab.name("stop");
    let mut flags = vec![
        "--name",
        &s,
        "--health-on-failure",
        "stop",
        "--stop-timeout",
        "1",
    ];
    flags.extend(hc);
    lab.run_d(&flags, &["sleep", "300"]);
    lab.wait_state(&s, "exited", Duration::from_secs(10));
    assert_eq!(field(&lab, &s, "{{.State.ExitCode}}"), "137");
    let out = lab.run(
        &[
            "--rm",
            "--health-on-failure",
            "restart",
            "--restart",
            "always",
        ],
        &["true"],
    );
    assert_eq!(out.code, 125, "{out}");
    lab.b().ok(&["rm", "-f", &e, &k, &r, &s]);
}

#[test]
fn image_healthcheck_from_commit_change_merges_with_flags() {
    require!(@containers);
    let lab = Lab::new();
    let base = lab.name("hcbase");
    lab.run_d(&["--name", &base, "--network", "none"], &["sleep", "300"]);
    let tag = format!("{base}:hc");
    lab.b().ok(&[
        "commit",
        "-c",
        "HEALTHCHECK --interval=100ms --retries=1 CMD test -f /tmp/ok",
        &base,
        &tag,
    ]);
    let image = lab.b().inspect(&tag);
    assert_eq!(
        image["Config"]["Healthcheck"],
        serde_json::json!({"Test": ["CMD-SHELL", "test -f /tmp/ok"],
            "Interval": 100_000_000, "Retries": 1})
    );
    let out = lab
        .b()
        .code(&["commit", "-c", "HEALTHCHECK RUN x", &base, &tag], 1);
    assert!(
        out.stderr.contains("Unknown type \"RUN\" in HEALTHCHECK"),
        "{out}"
    );
    // The image's check runs; a container flag overrides one setting.
    let n = lab.name("fromimage");
    let out = lab.b().ok(&[
        "run",
        "-d",
        "--name",
        &n,
        "--network",
        "none",
        "--health-retries",
        "4",
        &tag,
        "sleep",
        "300",
    ]);
    lab.note(&out);
    assert_eq!(
        field(&lab, &n, "{{json .Config.Healthcheck}}"),
        r#"{"Test":["CMD-SHELL","test -f /tmp/ok"],"Interval":100000000,"Retries":4}"#
    );
    wait_health(&lab, &n, "unhealthy", Duration::from_secs(10));
    let streak: u32 = field(&lab, &n, "{{.State.Health.FailingStreak}}")
        .parse()
        .unwrap();
    assert!(streak >= 4, "{streak}");
    lab.b().ok(&["exec", &n, "touch", "/tmp/ok"]);
    wait_health(&lab, &n, "healthy", Duration::from_secs(10));
    // --no-healthcheck switches the image's off.
    let off = lab.name("off");
    let out = lab.b().ok(&[
        "run",
        "-d",
        "--name",
        &off,
        "--network",
        "none",
        "--no-healthcheck",
        &tag,
        "sleep",
        "300",
    ]);
    lab.note(&out);
    assert_eq!(field(&lab, &off, "{{json .State.Health}}"), "null");
    lab.b().ok(&["rm", "-f", &base, &n, &off]);
}

/// A probe runs in a child forked from the shim, with its `runc exec`; a
/// `stop`, a `kill` and a `restart` during a probe each end both (killed
/// and reaped: no process of theirs is left, not even a zombie), and the
/// health state is sane afterwards (`starting`: no probe ever finished).
#[test]
fn stop_kill_and_restart_during_a_probe_end_the_probe_child_and_its_runc() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("probing");
    let id = lab.run_d(
        &[
            "--name",
            &n,
            "--network",
            "none",
            "--stop-timeout",
            "1",
            "--health-cmd",
            "sleep 120",
            "--health-interval",
            "100ms",
            "--health-timeout",
            "5m",
        ],
        &["sleep", "300"],
    );
    // The probe's `runc exec` (its process file names the container's
    // state dir) and the shim's processes: the shim and its probe child,
    // which is forked from it and has its command line.
    let probe_runcs = || -> Vec<i32> {
        crate::containers::processes()
            .into_iter()
            .filter(|(_, c)| c.contains("health-process.json") && c.contains(&id))
            .map(|(p, _)| p)
            .collect()
    };
    let gone = |pid: &i32| !std::path::Path::new(&format!("/proc/{pid}")).exists();
    for verb in ["stop", "kill", "restart"] {
        let probing = wait_for(Duration::from_secs(20), || {
            let runcs = probe_runcs();
            let shims = lab.shim_pids();
            (!runcs.is_empty() && shims.len() >= 2).then(|| [runcs, shims].concat())
        });
        let Some(pids) = probing else {
            panic!(
                "before {verb}: no probe seen: runcs {:?}, shim processes {:?}",
                probe_runcs(),
                lab.shim_pids()
            );
        };
        lab.b().ok(&[verb, &n]);
        // Every process seen while probing ends: the probe child and its
        // runc, and for stop and kill the shim itself (the run ended with
        // no restart policy); `restart` starts a new shim.
        let ended = wait_for(Duration::from_secs(20), || {
            pids.iter().all(gone).then_some(())
        });
        assert!(
            ended.is_some(),
            "after {verb}: left of {pids:?}: {:?} (probe runcs now {:?}, shims {:?})",
            pids.iter().filter(|p| !gone(p)).collect::<Vec<_>>(),
            probe_runcs(),
            lab.shim_pids()
        );
        assert_eq!(health_status(&lab, &n), "starting", "after {verb}");
        if verb != "restart" {
            assert!(
                probe_runcs().is_empty(),
                "after {verb}: {:?}",
                probe_runcs()
            );
            assert!(
                lab.shim_pids().is_empty(),
                "after {verb}: {:?}",
                lab.shim_pids()
            );
            assert_eq!(field(&lab, &n, "{{.State.Status}}"), "exited");
            lab.b().ok(&["start", &n]);
        } else {
            assert_eq!(field(&lab, &n, "{{.State.Status}}"), "running");
        }
    }
    lab.b().ok(&["rm", "-f", &n]);
    lab.assert_clean();
}
