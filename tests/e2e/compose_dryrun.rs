//! `berth compose --dry-run VERB` for every verb that changes something:
//! the progress lines docker compose's dry run prints (each after
//! ` DRY-RUN MODE - `), and nothing changed: the containers and their
//! states (`ps -a`), networks, volumes and files are compared before and
//! after each verb. The read-only verbs just run.
//!
//! Subnets: 10.248.n.0/24 (n this env's own third octet).

use super::compose_up::{compose, compose_ok, containers, need, networks, project, Proj};
use crate::containers::Lab;
use crate::support::berth::Out;

const PREFIX: &str = " DRY-RUN MODE -  ";

const YAML: &str = "\
services:
  db:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    volumes: [data:/data]
  web:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    depends_on: [db]
volumes:
  data: {}
networks:
  default:
    ipam:
      config:
        - subnet: 10.248.N.0/24
";

/// Everything a dry run must leave alone.
fn state(lab: &Lab, p: &Proj) -> (Vec<(String, String)>, Vec<String>, String) {
    let volumes = lab.b().ok(&["volume", "ls", "-q"]).stdout;
    (containers(lab, p), networks(lab, p), volumes)
}

/// Every progress line on stderr carries the dry-run prefix, and each of
/// `lines` (after the prefix) is there, in this order.
#[track_caller]
fn says(out: &Out, lines: &[String]) {
    assert_eq!(out.code, 0, "{out}");
    for l in out.stderr.lines() {
        assert!(
            l.starts_with(PREFIX) || l.starts_with("WARN["),
            "{l:?} lacks the prefix:\n{out}"
        );
    }
    let mut at = 0;
    for want in lines {
        let full = format!("{PREFIX}{want}");
        match out.stderr[at..].find(&full) {
            Some(i) => at += i + full.len(),
            None => panic!("{full:?} missing or out of order:\n{out}"),
        }
    }
}

fn dry(lab: &Lab, p: &Proj, args: &[&str]) -> Out {
    let mut a = vec!["--dry-run"];
    a.extend_from_slice(args);
    compose(lab, p, &a)
}

#[test]
fn compose_dry_run_of_every_verb_changes_nothing() {
    need();
    let lab = Lab::new();
    let n = lab.b().subnet.split('.').nth(2).unwrap().to_string();
    let p = project(
        &lab,
        "cdry",
        &YAML.replace("10.248.N", &format!("10.248.{n}")),
    );
    let (db, web) = (format!("{}-db-1", p.name), format!("{}-web-1", p.name));
    let c = |name: &str, what: &str| format!("Container {name}  {what}");
    let empty = state(&lab, &p);

    // up: what compose prints, created and started, and nothing exists.
    let out = dry(&lab, &p, &["up", "-d"]);
    says(
        &out,
        &[
            format!("Network {}_default  Creating", p.name),
            format!("Network {}_default  Created", p.name),
            format!("Volume \"{}_data\"  Created", p.name),
            c(&db, "Creating"),
            c(&db, "Created"),
            c(&web, "Created"),
            c(&db, "Starting"),
            c(&db, "Started"),
            c(&web, "Starting"),
            c(&web, "Started"),
        ],
    );
    assert_eq!(state(&lab, &p), empty);
    // Attached: created, then compose's note instead of attaching.
    let out = dry(&lab, &p, &["up"]);
    says(&out, &[c(&web, "Created")]);
    assert_eq!(
        out.stdout.trim(),
        "end of 'compose up' output, interactive run is not supported in dry-run mode"
    );
    assert_eq!(state(&lab, &p), empty);
    let out = dry(&lab, &p, &["create"]);
    says(&out, &[c(&db, "Created"), c(&web, "Created")]);
    assert!(!out.stderr.contains("Started"), "{out}");
    assert_eq!(state(&lab, &p), empty);

    compose_ok(&lab, &p, &["up", "-d"]);
    let marker = p.dir.join("copied");
    std::fs::write(&marker, "x").unwrap();
    let running = state(&lab, &p);
    assert_eq!(running.0.len(), 2, "{running:?}");

    let cases: Vec<(Vec<&str>, Vec<String>)> = vec![
        (
            vec!["stop"],
            vec![c(&web, "Stopping"), c(&web, "Stopped"), c(&db, "Stopped")],
        ),
        (vec!["kill"], vec![c(&db, "Killing"), c(&db, "Killed")]),
        (vec!["kill", "-s", "TERM", "web"], vec![c(&web, "Killed")]),
        (vec!["pause"], vec![c(&db, "Paused")]),
        (vec!["unpause", "web"], vec![c(&web, "Unpaused")]),
        (
            vec!["restart"],
            vec![
                c(&db, "Restarting"),
                c(&db, "Started"),
                c(&web, "Restarting"),
                c(&web, "Started"),
            ],
        ),
        (
            vec!["rm", "-f", "-s"],
            vec![
                c(&web, "Stopping"),
                c(&web, "Stopped"),
                c(&web, "Removing"),
                c(&web, "Removed"),
            ],
        ),
        (
            vec!["down", "-v"],
            vec![
                c(&web, "Stopping"),
                c(&web, "Removed"),
                c(&db, "Removed"),
                format!("Network {}_default  Removing", p.name),
                format!("Network {}_default  Removed", p.name),
                format!("Volume {}_data  Removed", p.name),
            ],
        ),
        (
            vec!["cp", "copied", "web:/tmp/"],
            vec![format!("{web} copy copied to {web}:/tmp/ Copied")],
        ),
        (
            vec!["cp", "web:/etc/hostname", "out"],
            vec![format!("{web} copy {web}:/etc/hostname to out Copied")],
        ),
    ];
    for (args, lines) in &cases {
        let out = dry(&lab, &p, args);
        says(&out, lines);
        assert_eq!(state(&lab, &p), running, "after {args:?}");
    }
    // Nothing was copied either way.
    assert!(!p.dir.join("out").exists());
    let ls = lab.b().ok(&["exec", &web, "ls", "/tmp"]);
    assert!(!ls.stdout.contains("copied"), "{ls}");
    // A missing source fails as compose's dry run fails.
    let out = dry(&lab, &p, &["cp", "web:/nope", "out"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("Could not find the file /nope in container"),
        "{out}"
    );
    let out = dry(&lab, &p, &["cp", "nope", "web:/tmp/"]);
    assert_eq!(out.code, 1, "{out}");

    // exec: detached says what it would run; attached is refused.
    let out = dry(&lab, &p, &["exec", "-d", "web", "touch", "/tmp/ran"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .starts_with(" DRY-RUN MODE - Executing command [\"touch\" \"/tmp/ran\"] in ")
            && out.stdout.trim_end().ends_with(" (detached mode)"),
        "{out}"
    );
    let out = dry(&lab, &p, &["exec", "-T", "web", "touch", "/tmp/ran"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("interactive exec is not supported in dry-run mode"),
        "{out}"
    );
    let ls = lab.b().ok(&["exec", &web, "ls", "/tmp"]);
    assert!(!ls.stdout.contains("ran"), "{ls}");

    // pull: the reference resolved, nothing else.
    let images = lab.b().ok(&["images", "-q"]).stdout;
    let out = dry(&lab, &p, &["pull", "web"]);
    says(
        &out,
        &[
            format!("Image {} Pulling", lab.image()),
            format!("Image {} Pulled", lab.image()),
        ],
    );
    assert_eq!(lab.b().ok(&["images", "-q"]).stdout, images);

    // The read-only verbs just run.
    let out = compose_ok(&lab, &p, &["--dry-run", "ps", "-q"]);
    assert_eq!(out.stdout.lines().count(), 2, "{out}");
    assert_eq!(state(&lab, &p), running);

    // start of a stopped project: its lines, nothing started.
    compose_ok(&lab, &p, &["stop"]);
    let stopped = state(&lab, &p);
    let out = dry(&lab, &p, &["start"]);
    says(
        &out,
        &[c(&db, "Starting"), c(&db, "Started"), c(&web, "Started")],
    );
    assert_eq!(state(&lab, &p), stopped);

    compose_ok(&lab, &p, &["down", "-v"]);
    assert_eq!(state(&lab, &p), empty);
    lab.assert_clean();
}
