//! Restart policies through the binary with the real runc and shim (issue
//! 9): each policy, Docker's back-off measured from the log's timestamps,
//! the stopped-by-user rule (`stop`, `kill`, `rm -f`), `kill -9` of the
//! container's process from the host, `update --restart` on a live
//! container, `wait --condition`, a crash loop that keeps the CLI answering
//! and costs the shim little, and a simulated reboot followed by
//! `system restore`.

use crate::containers::{alive, kill, Lab};
use crate::require;
use crate::support::{wait_for, Out};
use std::time::{Duration, Instant};

use crate::containers::field;

fn pid_of(lab: &Lab, name: &str) -> i32 {
    field(lab, name, "{{.State.Pid}}").parse().unwrap()
}

fn restarts(lab: &Lab, name: &str) -> u32 {
    field(lab, name, "{{.RestartCount}}").parse().unwrap()
}

/// The timestamps `logs -t` puts on each line of `name`'s log.
fn log_times(lab: &Lab, name: &str) -> Vec<chrono::DateTime<chrono::FixedOffset>> {
    lab.b()
        .ok(&["logs", "-t", name])
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap())
        .collect()
}

/// `berth ARGS` in a thread; its output when it ends.
fn background(lab: &Lab, args: &[&str]) -> std::thread::JoinHandle<Out> {
    let mut cmd = lab.b().command(args);
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    std::thread::spawn(move || {
        let o = cmd
            .stdin(std::process::Stdio::null())
            .output()
            .expect("running berth");
        Out {
            args,
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    })
}

/// Wait for a background command, failing after `timeout`.
#[track_caller]
fn join(h: std::thread::JoinHandle<Out>, timeout: Duration) -> Out {
    let end = Instant::now() + timeout;
    while !h.is_finished() {
        assert!(Instant::now() < end, "the command did not finish in time");
        std::thread::sleep(Duration::from_millis(20));
    }
    h.join().unwrap()
}

#[test]
fn always_restarts_with_dockers_back_off_until_the_user_stops_it() {
    require!(@containers);
    let lab = Lab::new();
    let a = lab.name("always");
    lab.run_d(
        &["--name", &a, "--restart", "always", "--network", "none"],
        &["sh", "-c", "echo run; exit 3"],
    );
    // Runs start at 0, 0.1, 0.3, 0.7, 1.5, 3.1 s (plus each start's cost).
    let times = wait_for(Duration::from_secs(20), || {
        let t = log_times(&lab, &a);
        (t.len() >= 6).then_some(t)
    })
    .expect("six runs");
    // While it waits out the 3.2 s back-off, ps says so as Docker does.
    let restarting = wait_for(Duration::from_secs(10), || {
        let (state, status) = lab.state_of(&a)?;
        (state == "restarting").then_some(status)
    })
    .expect("ps never showed the container restarting");
    assert!(restarting.starts_with("Restarting (3) "), "{restarting}");
    assert!(restarting.ends_with(" ago"), "{restarting}");
    // moby counts a restart as it decides it: a restarting container's
    // count already includes the run it waits to start (one per run so
    // far, the first run being the start, not a restart).
    let counted = wait_for(Duration::from_secs(10), || {
        let got = field(&lab, &a, "{{.State.Status}} {{.RestartCount}}");
        let runs = log_times(&lab, &a).len();
        let (status, n) = got.split_once(' ')?;
        (status == "restarting").then(|| (n.parse::<usize>().unwrap(), runs))
    })
    .expect("restarting");
    assert_eq!(
        counted.0, counted.1,
        "RestartCount while restarting vs runs"
    );
    let mut delay = 100i64;
    for (i, w) in times.windows(2).take(5).enumerate() {
        let gap = (w[1] - w[0]).num_milliseconds();
        eprintln!(
            "restart {}: {gap} ms after the previous run (back-off {delay} ms)",
            i + 1
        );
        assert!(
            gap >= delay - 10 && gap <= delay + 1000,
            "restart {} came {gap} ms after the previous run; back-off is {delay} ms",
            i + 1
        );
        delay *= 2;
    }
    assert!(restarts(&lab, &a) >= 5);
    assert_eq!(
        field(&lab, &a, "{{.HostConfig.RestartPolicy.Name}}"),
        "always"
    );
    // Stopped by the user: stays exited with the last run's code.
    lab.b().ok(&["stop", "-t", "1", &a]);
    let (state, status) = lab.state_of(&a).unwrap();
    assert_eq!(state, "exited", "{status}");
    assert!(status.starts_with("Exited (3)"), "{status}");
    let (count, runs) = (restarts(&lab, &a), log_times(&lab, &a).len());
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(restarts(&lab, &a), count);
    assert_eq!(log_times(&lab, &a).len(), runs);
    // `start` brings it back under its policy; `rm -f` while it restarts.
    lab.b().ok(&["start", &a]);
    assert!(
        wait_for(Duration::from_secs(10), || (log_times(&lab, &a).len()
            >= runs + 3)
            .then_some(()))
        .is_some()
    );
    lab.wait_state(&a, "restarting", Duration::from_secs(10));
    lab.b().ok(&["rm", "-f", &a]);
    lab.assert_clean();
}

#[test]
fn on_failure_counts_its_retries_and_leaves_a_clean_exit_alone() {
    require!(@containers);
    let lab = Lab::new();
    let f = lab.name("onfail");
    lab.run_d(
        &[
            "--name",
            &f,
            "--restart",
            "on-failure:2",
            "--network",
            "none",
        ],
        &["sh", "-c", "echo x; exit 4"],
    );
    // `wait` returns after the last run only, with its code.
    assert_eq!(lab.b().ok(&["wait", &f]).stdout, "4\n");
    assert_eq!(restarts(&lab, &f), 2);
    assert_eq!(log_times(&lab, &f).len(), 3);
    assert_eq!(
        field(
            &lab,
            &f,
            "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}"
        ),
        "on-failure:2"
    );
    // A foreground run ends with its first run, as docker's waits for the
    // next exit; the policy goes on restarting it. The later runs take 3 s
    // each (the first leaves a mark in the container's filesystem, which
    // restarts keep), so the container is still live when `run` is back:
    // a condition, not a bound on how fast a loaded host runs the CLI.
    let g = lab.name("fg");
    let out = lab.run(
        &[
            "--name",
            &g,
            "--restart",
            "on-failure:3",
            "--network",
            "none",
        ],
        &[
            "sh",
            "-c",
            "echo once; if [ -e /ran ]; then sleep 3; fi; touch /ran; exit 3",
        ],
    );
    assert_eq!((out.code, out.stdout.as_str()), (3, "once\n"), "{out}");
    let (state, _) = lab.state_of(&g).unwrap();
    assert!(
        matches!(state.as_str(), "running" | "restarting"),
        "run came back after the last run: {state}"
    );
    assert_eq!(lab.b().ok(&["wait", &g]).stdout, "3\n");
    assert_eq!(restarts(&lab, &g), 3);
    assert_eq!(log_times(&lab, &g).len(), 4);
    let z = lab.name("zero");
    lab.run_d(
        &["--name", &z, "--restart", "on-failure", "--network", "none"],
        &["true"],
    );
    assert_eq!(lab.b().ok(&["wait", &z]).stdout, "0\n");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(restarts(&lab, &z), 0);
    assert_eq!(lab.state_of(&z).unwrap().0, "exited");
    lab.remove_all_and_check();
}

/// `kill -9` of the container's process from the host is a crash: every
/// policy but `no` restarts it, in place (same id, same address). The
/// user's `kill` is not: nothing brings the container back.
#[test]
fn kill_9_from_the_host_restarts_and_the_users_kill_does_not() {
    require!(@containers);
    let lab = Lab::new();
    for policy in ["always", "on-failure", "unless-stopped"] {
        let c = lab.name(policy);
        let id = lab.run_d(&["--name", &c, "--restart", policy], &["sleep", "100"]);
        let ip = field(&lab, &c, "{{.NetworkSettings.IPAddress}}");
        assert!(!ip.is_empty());
        let pid = pid_of(&lab, &c);
        kill(pid, libc::SIGKILL);
        let back = wait_for(Duration::from_secs(10), || {
            let (state, _) = lab.state_of(&c)?;
            let p = pid_of(&lab, &c);
            (state == "running" && p != pid && p > 0).then_some(p)
        });
        assert!(
            back.is_some(),
            "{policy}: not restarted: {:?}",
            lab.state_of(&c)
        );
        assert_eq!(restarts(&lab, &c), 1, "{policy}");
        assert_eq!(field(&lab, &c, "{{.Id}}"), id);
        assert_eq!(
            field(&lab, &c, "{{.NetworkSettings.IPAddress}}"),
            ip,
            "{policy}"
        );
        // The restarted container answers on its network as before.
        lab.b().ok(&["exec", &c, "true"]);
        lab.b().ok(&["kill", &c]);
        std::thread::sleep(Duration::from_millis(800));
        let (state, status) = lab.state_of(&c).unwrap();
        assert_eq!(state, "exited", "{policy}: {status}");
        assert!(status.starts_with("Exited (137)"), "{status}");
        assert_eq!(restarts(&lab, &c), 1, "{policy}");
        // `restart` runs it again; `stop` is final too.
        lab.b().ok(&["restart", "-t", "1", &c]);
        assert_eq!(lab.state_of(&c).unwrap().0, "running");
        lab.b().ok(&["stop", "-t", "1", &c]);
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(lab.state_of(&c).unwrap().0, "exited", "{policy}");
    }
    lab.remove_all_and_check();
}

#[test]
fn restart_flag_is_validated_and_update_changes_a_live_policy() {
    require!(@containers);
    let lab = Lab::new();
    let out = lab.run(
        &["--rm", "--restart", "always", "--network", "none"],
        &["true"],
    );
    assert_eq!(out.code, 125, "{out}");
    assert!(
        out.stderr
            .contains("conflicting options: cannot specify both --restart and --rm"),
        "{out}"
    );
    for (bad, msg) in [
        (
            "always:3",
            "maximum retry count can only be used with 'on-failure'",
        ),
        ("sometimes", "unknown policy 'sometimes'"),
        ("on-failure:x", "maximum retry count must be an integer"),
    ] {
        let out = lab.run(&["--restart", bad, "--network", "none"], &["true"]);
        assert_eq!(out.code, 125, "{out}");
        assert!(out.stderr.contains(msg), "{out}");
    }
    let u = lab.name("upd");
    lab.run_d(&["--name", &u, "--network", "none"], &["sleep", "100"]);
    assert_eq!(field(&lab, &u, "{{.HostConfig.RestartPolicy.Name}}"), "no");
    let out = lab.b().ok(&["update", "--restart", "always", &u]);
    assert_eq!(out.stdout, format!("{u}\n"));
    assert_eq!(
        field(&lab, &u, "{{.HostConfig.RestartPolicy.Name}}"),
        "always"
    );
    // The live shim took it: a crash is restarted.
    let pid = pid_of(&lab, &u);
    kill(pid, libc::SIGKILL);
    let back = wait_for(Duration::from_secs(10), || {
        (restarts(&lab, &u) == 1 && lab.state_of(&u)?.0 == "running").then_some(())
    });
    assert!(back.is_some(), "{:?}", lab.state_of(&u));
    // And back to `no`: the next crash is final.
    lab.b().ok(&["container", "update", "--restart", "no", &u]);
    kill(pid_of(&lab, &u), libc::SIGKILL);
    lab.wait_state(&u, "exited", Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(lab.state_of(&u).unwrap().0, "exited");
    // Docker's refusal of -m alone without a swap limit, no flag at all, and --rm.
    let out = lab.b().code(&["update", "--memory", "10m", &u], 1);
    assert!(
        out.stderr
            .contains("update the memoryswap at the same time"),
        "{out}"
    );
    let out = lab.b().code(&["update", &u], 1);
    assert!(
        out.stderr.contains("you must provide one or more flags"),
        "{out}"
    );
    let r = lab.name("rm");
    lab.run_d(
        &["--name", &r, "--rm", "--network", "none"],
        &["sleep", "100"],
    );
    let out = lab.b().code(&["update", "--restart", "always", &r], 1);
    assert!(out.stderr.contains("AutoRemove is enabled"), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn wait_conditions() {
    require!(@containers);
    let lab = Lab::new();
    let c = lab.name("cond");
    lab.create(
        &["--name", &c, "--network", "none"],
        &["sh", "-c", "sleep 1; exit 5"],
    );
    let running = background(&lab, &["wait", "--condition", "running", &c]);
    let exited = background(&lab, &["wait", "--condition", "exited", &c]);
    // not-running: a created container is not running.
    assert_eq!(
        lab.b()
            .ok(&["wait", "--condition", "not-running", &c])
            .stdout,
        "0\n"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(!running.is_finished() && !exited.is_finished());
    lab.b().ok(&["start", &c]);
    assert_eq!(join(running, Duration::from_secs(10)).stdout, "0\n");
    assert_eq!(join(exited, Duration::from_secs(10)).stdout, "5\n");
    // next-exit sees one run of a crash loop end; not-running waits for
    // the last run; removed for the removal.
    let l = lab.name("loop");
    lab.run_d(
        &["--name", &l, "--restart", "always", "--network", "none"],
        &["sh", "-c", "sleep 1; exit 6"],
    );
    let not_running = background(&lab, &["container", "wait", &l]);
    let removed = background(&lab, &["wait", "--condition", "removed", &l]);
    assert_eq!(
        lab.b().ok(&["wait", "--condition", "next-exit", &l]).stdout,
        "6\n"
    );
    assert_eq!(
        lab.b().ok(&["wait", "--condition", "next-exit", &l]).stdout,
        "6\n"
    );
    assert!(!not_running.is_finished());
    lab.b().ok(&["stop", "-t", "0", &l]);
    let out = join(not_running, Duration::from_secs(10));
    assert!(out.stdout == "137\n" || out.stdout == "6\n", "{out}");
    assert!(!removed.is_finished());
    lab.b().ok(&["rm", &l]);
    assert_eq!(join(removed, Duration::from_secs(10)).stdout, out.stdout);
    let out = lab.b().code(&["wait", "--condition", "stopped", &c], 1);
    assert!(
        out.stderr.contains("invalid condition: \"stopped\""),
        "{out}"
    );
    let out = lab.b().code(&["wait", "--condition", "healthy", &c], 1);
    assert!(out.stderr.contains("has no healthcheck"), "{out}");
    lab.remove_all_and_check();
}

/// The shim's CPU time (its own and its reaped runtime children's), in
/// clock ticks.
fn cpu_ticks(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = stat.rsplit_once(')').unwrap().1;
    let f: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(4)
        .map(|x| x.parse().unwrap())
        .collect();
    f.iter().sum()
}

/// One `smaps_rollup` line of `pid`, in kB.
fn rollup_kb(pid: i32, key: &str) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap()
        .trim()
        .trim_end_matches(" kB")
        .trim()
        .parse()
        .unwrap()
}

/// The shim's settled PSS and anonymous PSS: the least of a few samples
/// (one taken while it forks a runtime counts the child's copy-on-write
/// pages too). The file-backed part depends on how many other berth
/// processes share the binary's pages; the anonymous part is the shim's
/// own, so growth is measured on it.
fn settled_pss_kb(pid: i32) -> (u64, u64) {
    (0..5)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(150));
            (rollup_kb(pid, "Pss:"), rollup_kb(pid, "Pss_Anon:"))
        })
        .min()
        .unwrap()
}

/// A minute of a crash loop: the CLI keeps answering, the shim restarts it
/// as often as the back-off allows (0.1 + 0.2 + ... + 25.6 s = 51.1 s: ten
/// runs) and costs little CPU and memory doing it.
#[test]
fn a_crash_loop_keeps_the_cli_answering_and_the_shim_cheap() {
    require!(@containers);
    let lab = Lab::new();
    let c = lab.name("crash");
    lab.run_d(
        &["--name", &c, "--restart", "always", "--network", "none"],
        &["sh", "-c", "exit 1"],
    );
    let shims = lab.shim_pids();
    assert_eq!(shims.len(), 1, "{shims:?}");
    let shim = shims[0];
    // After the first few restarts, for the no-growth check.
    std::thread::sleep(Duration::from_millis(1000));
    let (_, early_anon) = settled_pss_kb(shim);
    let start = Instant::now();
    let cpu0 = cpu_ticks(shim);
    let mut slowest = Duration::ZERO;
    while start.elapsed() < Duration::from_secs(60) {
        let t = Instant::now();
        lab.b().ok(&["ps", "-a"]);
        lab.b().ok(&["inspect", &c]);
        slowest = slowest.max(t.elapsed());
        std::thread::sleep(Duration::from_millis(500));
    }
    let ticks = cpu_ticks(shim) - cpu0;
    let hz = 100;
    let count = restarts(&lab, &c);
    let (pss, anon) = settled_pss_kb(shim);
    eprintln!(
        "crash loop: {count} restarts in 60 s, shim CPU (with its runtime children) {} ms, \
         PSS {pss} kB (anonymous: {early_anon} kB after 1 s, {anon} kB after 60 s), \
         slowest ps+inspect {slowest:?}",
        ticks * 1000 / hz
    );
    assert!((8..=11).contains(&count), "{count} restarts in a minute");
    assert!(
        slowest < Duration::from_secs(3),
        "ps+inspect took {slowest:?}"
    );
    // Each restart is one `runc run` and one `runc delete`: well under a
    // second of CPU each, even on a debug build.
    assert!(
        ticks * 1000 / hz < u64::from(count + 1) * 600,
        "the shim used {ticks} ticks for {count} restarts"
    );
    // conmon's ~1 MB for a release build. A debug build's code is several
    // times larger, and the share of it charged to this shim depends on how
    // many other shims of the same binary are alive (fewer near the end of a
    // parallel run): there the bound is on the shim's own (anonymous) memory.
    if cfg!(debug_assertions) {
        assert!(
            anon < 1200,
            "shim anonymous PSS {anon} kB after a crash loop"
        );
    } else {
        assert!(pss < 1024, "shim PSS {pss} kB after a crash loop");
    }
    assert!(
        anon <= early_anon + 128,
        "the shim's anonymous memory grew from {early_anon} kB to {anon} kB over the crash loop"
    );
    // Deep in its back-off: Docker's answers for a restarting container.
    assert_eq!(lab.state_of(&c).unwrap().0, "restarting");
    let out = lab.b().code(&["exec", &c, "true"], 1);
    assert!(
        out.stderr
            .contains("is restarting, wait until the container is running"),
        "{out}"
    );
    let out = lab.b().code(&["pause", &c], 1);
    assert!(
        out.stderr
            .contains("is restarting, wait until the container is running"),
        "{out}"
    );
    let out = lab.b().code(&["attach", &c], 1);
    assert!(
        out.stderr
            .contains("You cannot attach to a restarting container"),
        "{out}"
    );
    lab.b().ok(&["rm", "-f", &c]);
    lab.assert_clean();
}

/// A simulated reboot (fresh state root, the old processes gone) and then
/// `system restore`: `always` comes back even when stopped by the user,
/// `unless-stopped` only when it was not, `on-failure` after the reboot's
/// 255 but not after the user's stop; the others and a never-started
/// container stay as they are; a second restore does nothing.
#[test]
fn system_restore_after_a_reboot_starts_what_the_policies_ask() {
    require!(@containers);
    let mut lab = Lab::new();
    let names: Vec<String> = [
        "always",
        "unless",
        "unless-stopped-by-user",
        "always-stopped",
        "no",
        "onfail",
        "onfail-stopped",
    ]
    .iter()
    .map(|n| lab.name(n))
    .collect();
    let policies = [
        "always",
        "unless-stopped",
        "unless-stopped",
        "always",
        "no",
        "on-failure",
        "on-failure:3",
    ];
    for (n, p) in names.iter().zip(policies) {
        lab.run_d(
            &["--name", n, "--restart", p, "--network", "none"],
            &["sleep", "100"],
        );
    }
    let never = lab.name("never");
    lab.create(
        &["--name", &never, "--restart", "always", "--network", "none"],
        &["true"],
    );
    lab.b()
        .ok(&["stop", "-t", "0", &names[2], &names[3], &names[6]]);
    // The "power cut": shims first (so none restarts), then containers.
    let old_procs = lab.container_pids();
    for p in lab.shim_pids() {
        kill(p, libc::SIGKILL);
    }
    for p in &old_procs {
        kill(*p, libc::SIGKILL);
    }
    assert!(wait_for(Duration::from_secs(5), || old_procs
        .iter()
        .all(|p| !alive(*p))
        .then_some(()))
    .is_some());
    let old_state = lab.reboot();
    let out = lab.b().ok(&["system", "restore"]);
    let started: Vec<&str> = out.lines();
    assert_eq!(
        started,
        [
            names[0].as_str(),
            names[1].as_str(),
            names[3].as_str(),
            names[5].as_str()
        ],
        "{out}"
    );
    let state = |n: &str| lab.state_of(n).unwrap().0;
    for (i, n) in names.iter().enumerate() {
        let want = if [0, 1, 3, 5].contains(&i) {
            "running"
        } else {
            "exited"
        };
        assert_eq!(state(n), want, "{n}");
    }
    assert_eq!(state(&never), "created");
    // Idempotent: once per boot.
    assert_eq!(lab.b().ok(&["system", "restore"]).stdout, "");
    assert_eq!(lab.shim_pids().len(), 4);
    lab.remove_all_and_check();
    drop(old_state);
}

/// `system install-restore` writes the unit or the init script for the
/// host's init system with this binary and its roots; the installed SysV
/// script's `stop` leaves containers running and its `start` restores.
#[test]
fn install_restore_writes_the_boot_service() {
    require!(@containers);
    let lab = Lab::new();
    let root = tempfile::tempdir().unwrap();
    let r = root.path().to_str().unwrap();
    let out = lab.b().ok(&[
        "system",
        "install-restore",
        "--init",
        "systemd",
        "--root",
        r,
    ]);
    assert!(out.stdout.contains("systemd"), "{out}");
    let unit =
        std::fs::read_to_string(root.path().join("etc/systemd/system/berth-restore.service"))
            .unwrap();
    let data_root = lab.b().data_root.display().to_string();
    let exec = unit
        .lines()
        .find(|l| l.starts_with("ExecStart="))
        .unwrap()
        .to_string();
    assert!(
        exec.contains(&data_root) && exec.ends_with(" system restore"),
        "{exec}"
    );
    assert!(unit.contains("KillMode=process"));
    let wants = root
        .path()
        .join("etc/systemd/system/multi-user.target.wants/berth-restore.service");
    assert_eq!(
        std::fs::read_link(wants).unwrap().to_str().unwrap(),
        "/etc/systemd/system/berth-restore.service"
    );
    lab.b()
        .ok(&["system", "install-restore", "--init", "sysv", "--root", r]);
    let script = root.path().join("etc/init.d/berth-restore");
    let body = std::fs::read_to_string(&script).unwrap();
    assert!(body.contains(&data_root), "{body}");
    for level in 2..=5 {
        let link = root
            .path()
            .join(format!("etc/rc{level}.d/S99berth-restore"));
        assert_eq!(
            std::fs::read_link(link).unwrap().to_str().unwrap(),
            "../init.d/berth-restore"
        );
    }
    // Stopping the service never stops containers; starting it restores.
    let c = lab.name("svc");
    lab.run_d(
        &["--name", &c, "--restart", "always", "--network", "none"],
        &["sleep", "100"],
    );
    let sh = |arg: &str| {
        let st = std::process::Command::new("sh")
            .arg(&script)
            .arg(arg)
            .output()
            .unwrap();
        assert!(st.status.success(), "{arg}: {st:?}");
    };
    sh("stop");
    assert_eq!(lab.state_of(&c).unwrap().0, "running");
    lab.b().ok(&["stop", "-t", "0", &c]);
    sh("start");
    // The script's berth names this lab's state root: it restored `c`.
    assert_eq!(lab.state_of(&c).unwrap().0, "running");
    lab.remove_all_and_check();
}
