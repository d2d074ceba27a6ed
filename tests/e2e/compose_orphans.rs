//! Orphans and `--no-deps` through the binary: orphans are computed
//! against every service the file declares (a SERVICE selection or a
//! disabled profile does not make the others orphans; finished one-offs
//! are orphans, running ones are not), `--remove-orphans` of `up` and
//! `down SERVICE` removes only those, `COMPOSE_IGNORE_ORPHANS`; `up
//! --no-deps` and `run --no-deps` of a service with `depends_on`.
//!
//! Subnets: 10.246.N.0/24, N the lab's own third octet.

use crate::compose_up::{compose, compose_ok, containers, need, project, write, Proj};
use crate::containers::Lab;

/// The file with this lab's subnet in place of MYNET.
fn yaml(lab: &Lab, text: &str) -> String {
    let third = lab.b().subnet.split('.').nth(2).unwrap().to_string();
    text.replace("MYNET", &format!("10.246.{third}.0/24"))
}

fn running(lab: &Lab, p: &Proj) -> Vec<String> {
    containers(lab, p)
        .into_iter()
        .filter(|(_, s)| s == "running")
        .map(|(n, _)| n)
        .collect()
}

const THREE: &str = "\
services:
  web:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
  db:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
  debug:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    profiles: [debug]
networks:
  default:
    ipam:
      config: [{subnet: MYNET}]
";

#[test]
fn compose_orphans_are_what_no_file_declares_and_finished_one_offs() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "corph", &yaml(&lab, THREE));
    let n = |s: &str| format!("{}-{s}-1", p.name);
    compose_ok(&lab, &p, &["up", "-d"]);
    // Naming a profile's service enables it; the others are not orphans.
    let up = compose_ok(&lab, &p, &["up", "-d", "debug"]);
    assert!(!up.stderr.contains("orphan"), "{up}");
    let up = compose_ok(&lab, &p, &["up", "-d", "--remove-orphans", "web"]);
    assert!(!up.stderr.contains("orphan"), "{up}");
    assert!(!up.stderr.contains("Removing"), "{up}");
    assert_eq!(running(&lab, &p), [n("db"), n("debug"), n("web")]);

    // A finished one-off is an orphan, a running one is not.
    compose_ok(&lab, &p, &["run", "-T", "web", "true"]);
    compose_ok(&lab, &p, &["run", "-d", "web", "sleep", "1000"]);
    let all = containers(&lab, &p);
    let run_of = |state: &str| {
        all.iter()
            .find(|(c, s)| c.contains("-web-run-") && s == state)
            .map(|(c, _)| c.clone())
            .unwrap_or_else(|| panic!("no {state} one-off in {all:?}"))
    };
    let (done, live) = (run_of("exited"), run_of("running"));
    let up = compose_ok(&lab, &p, &["up", "-d", "web"]);
    assert!(
        up.stderr.contains(&format!(
            "Found orphan containers ([{done}]) for this project."
        )),
        "{up}"
    );

    // COMPOSE_IGNORE_ORPHANS (here from .env) silences them, and cannot
    // be combined with --remove-orphans.
    std::fs::write(p.dir.join(".env"), "COMPOSE_IGNORE_ORPHANS=true\n").unwrap();
    let up = compose_ok(&lab, &p, &["up", "-d"]);
    assert!(!up.stderr.contains("orphan"), "{up}");
    let bad = compose(&lab, &p, &["up", "-d", "--remove-orphans"]);
    assert_eq!(bad.code, 1, "{bad}");
    assert!(
        bad.stderr
            .contains("cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans"),
        "{bad}"
    );
    std::fs::remove_file(p.dir.join(".env")).unwrap();

    // db leaves the file: its container is an orphan now.
    write(&lab, &p, &yaml(&lab, &THREE.replace("  db:", "  gone:")));
    let up = compose_ok(&lab, &p, &["up", "-d", "web"]);
    assert!(
        up.stderr
            .contains(&format!("Found orphan containers ([{} {done}])", n("db"))),
        "{up}"
    );
    assert!(!up.stderr.contains(&n("debug")), "{up}");
    // down SERVICE --remove-orphans with the file (`-p` alone reads none,
    // as compose's `projectOrName`): the service's containers (its
    // one-offs too) and the orphans; a disabled profile's stay.
    let down = compose_ok(
        &lab,
        &p,
        &["-f", "compose.yaml", "down", "--remove-orphans", "web"],
    );
    for c in [n("web"), n("db"), done.clone(), live.clone()] {
        assert!(
            down.stderr.contains(&format!("Container {c}  Removed")),
            "{c}:\n{down}"
        );
    }
    assert_eq!(containers(&lab, &p), [(n("debug"), "running".into())]);
    compose_ok(&lab, &p, &["--profile", "debug", "down"]);
    assert!(containers(&lab, &p).is_empty());
    lab.assert_clean();
}

const DEPS: &str = "\
services:
  web:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    depends_on:
      db: {condition: service_healthy}
  db:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    healthcheck:
      test: [CMD, 'true']
      interval: 500ms
networks:
  default:
    ipam:
      config: [{subnet: MYNET}]
";

#[test]
fn compose_no_deps_neither_starts_nor_waits_for_dependencies() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "cnodeps", &yaml(&lab, DEPS));
    let n = |s: &str| format!("{}-{s}-1", p.name);
    let up = compose_ok(&lab, &p, &["up", "-d", "--no-deps", "web"]);
    assert!(!up.stderr.contains(&n("db")), "{up}");
    assert_eq!(containers(&lab, &p), [(n("web"), "running".into())]);
    // The dependency, once up, answers to its service name.
    compose_ok(&lab, &p, &["up", "-d", "db"]);
    let run = compose_ok(
        &lab,
        &p,
        &[
            "run",
            "--rm",
            "-T",
            "--no-deps",
            "web",
            "sh",
            "-c",
            "ping -c1 -W5 db >/dev/null && echo reached",
        ],
    );
    assert!(run.stdout.contains("reached"), "{run}");
    assert!(!run.stderr.contains("Waiting"), "{run}");
    compose_ok(&lab, &p, &["down"]);
    assert!(containers(&lab, &p).is_empty());
    lab.assert_clean();
}

/// `down -v` while a running one-off still uses the project's network and
/// volume: compose warns `Resource is still in use` for each, leaves them
/// and exits 0; once the one-off is gone, `down -v` removes them.
#[test]
fn compose_down_leaves_resources_still_in_use_with_a_warning() {
    need();
    let lab = Lab::new();
    let text = "\
services:
  db:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    volumes: [data:/data]
volumes:
  data: {}
networks:
  default:
    ipam:
      config: [{subnet: MYNET}]
";
    let p = project(&lab, "cinuse", &yaml(&lab, text));
    compose_ok(&lab, &p, &["up", "-d"]);
    compose_ok(&lab, &p, &["run", "-d", "db", "sleep", "1000"]);
    let down = compose_ok(&lab, &p, &["down", "-v", "-t", "1"]);
    for line in [
        format!(" Network {}_default  Resource is still in use", p.name),
        format!(" Volume {}_data  Resource is still in use", p.name),
    ] {
        assert!(down.stderr.contains(&line), "want {line:?}:\n{down}");
    }
    let oneoff = running(&lab, &p);
    assert_eq!(oneoff.len(), 1, "the one-off runs on");
    // Once it is gone, the next down removes them.
    lab.b().ok(&["rm", "-f", &oneoff[0]]);
    let down = compose_ok(&lab, &p, &["down", "-v"]);
    for line in [
        format!(" Network {}_default  Removed", p.name),
        format!(" Volume {}_data  Removed", p.name),
    ] {
        assert!(down.stderr.contains(&line), "want {line:?}:\n{down}");
    }
    assert!(containers(&lab, &p).is_empty());
    lab.assert_clean();
}

/// Concurrent `compose run -T` of a command that exits at once, stdin at
/// its end, in a project whose network none has made yet: each gets its
/// exit code. (The stdin EOF could reach the shim
/// after the exit frame, and the failed send ended the session with
/// "attach connection: Broken pipe", exit 125.)
#[test]
fn compose_concurrent_one_offs_that_exit_at_once_all_report_their_code() {
    need();
    let lab = Lab::new();
    let text = "\
services:
  web:
    image: IMAGE
    command: [sleep, '1000']
networks:
  default:
    ipam:
      config: [{subnet: MYNET}]
";
    let p = project(&lab, "cfast", &yaml(&lab, text));
    // The runs also race to create the project's network: the losers use
    // the winner's.
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    (0..4)
                        .map(|_| {
                            let out = compose(
                                &lab,
                                &p,
                                &["run", "--rm", "-T", "web", "sh", "-c", "exit 3"],
                            );
                            (out.code == 3).then_some(()).ok_or(out.to_string())
                        })
                        .collect::<Result<Vec<()>, String>>()
                })
            })
            .collect();
        for w in workers {
            if let Err(out) = w.join().unwrap() {
                panic!("a one-off did not report its code:\n{out}");
            }
        }
    });
    compose_ok(&lab, &p, &["down", "-t", "0", "--remove-orphans"]);
    lab.assert_clean();
}
