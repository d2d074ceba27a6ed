//! The events journal and `events` through the binary (issue 9): a
//! container's lifecycle events in order with Docker's object shape, a
//! `die` recorded by the shim while no CLI runs, the events of a restart
//! policy, filters, `--since`/`--until`, follow mode as the devcontainers
//! CLI uses it, and image, network and volume events. Containers use
//! `--network none`; the network case creates networks without attaching
//! anything (no subnet of its own is used).

use crate::containers::Lab;
use crate::require;
use crate::support::wait_for;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

/// `events --since 0 --until <now>` with these extra args, as parsed
/// JSON objects.
#[track_caller]
fn past(lab: &Lab, extra: &[&str]) -> Vec<Value> {
    let until = format!(
        "{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            + 0.001
    );
    let mut args = vec![
        "events",
        "--since",
        "0",
        "--until",
        &until,
        "--format",
        "{{json .}}",
    ];
    args.extend_from_slice(extra);
    let out = lab.b().ok(&args);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn actions(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["Action"].as_str().unwrap().to_string())
        .collect()
}

/// Wait until the container's events include `want` (in order, as a
/// subsequence is not enough: exactly these actions).
#[track_caller]
fn wait_actions(lab: &Lab, id: &str, want: &[&str]) -> Vec<Value> {
    let mut last = Vec::new();
    let got = wait_for(Duration::from_secs(20), || {
        let ev = past(lab, &["--filter", &format!("container={id}")]);
        last = actions(&ev);
        (last == want).then_some(ev)
    });
    got.unwrap_or_else(|| panic!("events of {id}: got {last:?}, want {want:?}"))
}

#[test]
fn events_container_lifecycle_in_order_with_dockers_shape() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("ev-life");
    let id = lab.run_d(
        &["--name", &name, "--network", "none", "--label", "x=y"],
        &["sh", "-c", "trap 'exit 0' TERM; sleep 100 & wait"],
    );
    lab.b().ok(&["stop", "-t", "5", &name]);
    lab.b().ok(&["start", &name]);
    lab.b().ok(&["pause", &name]);
    lab.b().ok(&["unpause", &name]);
    let renamed = format!("{name}-2");
    lab.b().ok(&["rename", &name, &renamed]);
    lab.b().ok(&["kill", &renamed]);
    lab.b().ok(&["rm", &renamed]);
    let ev = wait_actions(
        &lab,
        &id,
        &[
            "create", "start", "kill", "die", "stop", "start", "pause", "unpause", "rename",
            "kill", "die", "destroy",
        ],
    );
    let image = lab.image();
    let start = &ev[1];
    // Docker's field order and legacy fields.
    let keys: Vec<&str> = start
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        ["status", "id", "from", "Type", "Action", "Actor", "scope", "time", "timeNano"]
    );
    assert_eq!(start["status"], "start");
    assert_eq!(start["id"], id.as_str());
    assert_eq!(start["from"], image);
    assert_eq!(start["Type"], "container");
    assert_eq!(start["scope"], "local");
    assert_eq!(start["Actor"]["ID"], id.as_str());
    assert_eq!(
        start["Actor"]["Attributes"],
        serde_json::json!({"image": image, "name": name, "x": "y"})
    );
    let t = start["time"].as_i64().unwrap();
    let tn = start["timeNano"].as_i64().unwrap();
    assert_eq!(t, tn / 1_000_000_000);
    assert_eq!(ev[2]["Actor"]["Attributes"]["signal"], "15");
    assert_eq!(ev[3]["Actor"]["Attributes"]["exitCode"], "0");
    assert!(ev[3]["Actor"]["Attributes"]["execDuration"].is_string());
    assert_eq!(ev[8]["Actor"]["Attributes"]["oldName"], format!("/{name}"));
    assert_eq!(ev[8]["Actor"]["Attributes"]["name"], renamed.as_str());
    assert_eq!(ev[9]["Actor"]["Attributes"]["signal"], "9");
    assert_eq!(ev[10]["Actor"]["Attributes"]["exitCode"], "137");
    // The CLI's kill and the shim's die after the rename: the new name.
    for e in &ev[9..] {
        assert_eq!(e["Actor"]["Attributes"]["name"], renamed.as_str(), "{e}");
    }
    // The default line: time, type, action, id, sorted attributes. An
    // `--until` in the future follows until then, so it is now.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let out = lab.b().ok(&[
        "events",
        "--since",
        "0",
        "--until",
        &format!("{}", now + 0.001),
        "--filter",
        &format!("container={id}"),
        "--filter",
        "event=create",
    ]);
    let line = out.stdout.trim();
    let want_tail = format!("Z container create {id} (image={image}, name={name}, x=y)");
    assert!(line.ends_with(&want_tail), "{line}");
    assert_eq!(
        line.len(),
        "2006-01-02T15:04:05.000000000".len() + want_tail.len()
    );
}

#[test]
fn events_die_is_recorded_by_the_shim_and_restarts_by_policy() {
    require!(@containers);
    let lab = Lab::new();
    // Exits on its own a second after `run -d` returned: no CLI runs then.
    let a = lab.name("ev-die");
    let id = lab.run_d(
        &["--name", &a, "--network", "none"],
        &["sh", "-c", "sleep 1; exit 3"],
    );
    std::thread::sleep(Duration::from_secs(3));
    let ev = wait_actions(&lab, &id, &["create", "start", "die"]);
    assert_eq!(ev[2]["Actor"]["Attributes"]["exitCode"], "3");
    assert_eq!(ev[2]["Actor"]["Attributes"]["name"], a.as_str());
    // on-failure:2 runs it three times: each run starts and dies.
    let b = lab.name("ev-restart");
    let id = lab.run_d(
        &[
            "--name",
            &b,
            "--network",
            "none",
            "--restart",
            "on-failure:2",
        ],
        &["sh", "-c", "exit 2"],
    );
    let ev = wait_actions(
        &lab,
        &id,
        &["create", "start", "die", "start", "die", "start", "die"],
    );
    for d in [&ev[2], &ev[4], &ev[6]] {
        assert_eq!(d["Actor"]["Attributes"]["exitCode"], "2");
    }
    lab.b().ok(&["rm", "-f", &a, &b]);
}

#[test]
fn events_filters_and_time_range() {
    require!(@containers);
    let lab = Lab::new();
    let a = lab.name("ev-fa");
    let b = lab.name("ev-fb");
    let ida = lab.create(
        &["--name", &a, "--network", "none", "--label", "team=red"],
        &["true"],
    );
    let mid = format!(
        "{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    );
    std::thread::sleep(Duration::from_millis(20));
    let idb = lab.create(
        &["--name", &b, "--network", "none", "--label", "team=blue"],
        &["true"],
    );
    let ids = |ev: &[Value]| -> Vec<String> {
        ev.iter()
            .map(|e| e["Actor"]["ID"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(&past(&lab, &["--filter", "label=team=red"])),
        vec![ida.clone()]
    );
    assert_eq!(
        ids(&past(&lab, &["--filter", "label=team"])),
        [ida.clone(), idb.clone()]
    );
    assert_eq!(
        ids(&past(&lab, &["--filter", &format!("container={b}")])),
        vec![idb.clone()]
    );
    assert_eq!(
        ids(&past(
            &lab,
            &["--filter", &format!("container={}", &ida[..12])]
        )),
        vec![ida.clone()]
    );
    // Different keys must all hold; values of one key are alternatives.
    assert!(past(
        &lab,
        &["--filter", "label=team=red", "--filter", "event=start"]
    )
    .is_empty());
    let both = past(
        &lab,
        &["--filter", "event=create", "--filter", "type=container"],
    );
    assert_eq!(ids(&both), [ida.clone(), idb.clone()]);
    assert!(past(
        &lab,
        &["--filter", "type=network", "--filter", "label=team"]
    )
    .is_empty());
    // --since cuts the earlier one off; --until the later one.
    let out = lab.b().ok(&[
        "events",
        "--since",
        &mid,
        "--until",
        "0s",
        "--filter",
        "label=team",
        "--format",
        "{{.Actor.Attributes.name}} {{.Status}}",
    ]);
    assert_eq!(out.stdout, format!("{b} create\n"));
    let out = lab.b().ok(&[
        "events",
        "--since",
        "0",
        "--until",
        &mid,
        "--filter",
        "label=team",
        "--format",
        "{{.Actor.Attributes.name}}",
    ]);
    assert_eq!(out.stdout, format!("{a}\n"));
    // Docker's errors.
    let out = lab
        .b()
        .code(&["events", "--filter", "bogus=1", "--until", "0s"], 1);
    assert!(out.stderr.contains("invalid filter 'bogus'"), "{out}");
    let out = lab
        .b()
        .code(&["events", "--filter", "nonsense", "--until", "0s"], 125);
    assert!(out.stderr.contains("bad format of filter"), "{out}");
    let out = lab
        .b()
        .code(&["events", "--since", "yesterday", "--until", "0s"], 1);
    assert!(
        out.stderr
            .contains("failed to parse value as time or duration"),
        "{out}"
    );
    let out = lab
        .b()
        .code(&["events", "--format", "{{.Foo", "--until", "0s"], 64);
    assert!(out.stderr.contains("Error parsing format"), "{out}");
    lab.b().ok(&["rm", &a, &b]);
}

#[test]
fn events_follow_sees_a_start_with_its_labels_promptly() {
    require!(@containers);
    let lab = Lab::new();
    // The devcontainers CLI's watch.
    let mut child = lab
        .b()
        .command(&[
            "events",
            "--format",
            "{{json .}}",
            "--filter",
            "event=start",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Give it a moment to open the journal, then start a container.
    std::thread::sleep(Duration::from_millis(300));
    let name = lab.name("ev-follow");
    let id = lab.run_d(
        &[
            "--name",
            &name,
            "--network",
            "none",
            "--label",
            "devcontainer.local_folder=/w",
        ],
        &["sleep", "100"],
    );
    let got = rx.recv_timeout(Duration::from_secs(5));
    let _ = child.kill();
    let _ = child.wait();
    let line = got.expect("no start event within 5 s");
    let ev: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(ev["Action"], "start");
    assert_eq!(ev["Actor"]["ID"], id.as_str());
    assert_eq!(ev["Actor"]["Attributes"]["devcontainer.local_folder"], "/w");
    // Only one line: the create was filtered out.
    assert!(rx.try_recv().is_err());
    // --until in the future: follows, then ends by itself.
    let out = lab
        .b()
        .ok(&["events", "--until=-1s", "--filter", "event=nothing"]);
    assert_eq!(out.stdout, "");
    lab.b().ok(&["rm", "-f", &name]);
}

/// moby's exec events: `exec_create: ARGV`, `exec_start: ARGV` and
/// `exec_die` with the exit code, one exec id for the three; a
/// healthcheck probe is an exec too. `event=exec_create` matches the long
/// form, as Docker's filter does.
#[test]
fn events_exec_create_start_die_for_exec_and_probes() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("ev-exec");
    let id = lab.run_d(
        &[
            "--name",
            &name,
            "--network",
            "none",
            "--health-cmd",
            "true",
            "--health-interval",
            "300ms",
        ],
        &["sleep", "100"],
    );
    let out = lab.b().run(&["exec", &name, "sh", "-c", "exit 3"]);
    assert_eq!(out.code, 3, "{out}");
    let exec_of = |ev: &[Value], action: &str| -> Vec<Value> {
        ev.iter()
            .filter(|e| e["Action"] == action)
            .cloned()
            .collect()
    };
    let ev = wait_for(Duration::from_secs(20), || {
        let ev = past(&lab, &["--filter", &format!("container={id}")]);
        let probes = exec_of(&ev, "exec_create: /bin/sh -c true");
        (!probes.is_empty() && ev.iter().any(|e| e["Action"] == "health_status: healthy"))
            .then_some(ev)
    })
    .expect("a probe's exec events and the healthy status");
    let create = exec_of(&ev, "exec_create: sh -c exit 3");
    let start = exec_of(&ev, "exec_start: sh -c exit 3");
    assert_eq!((create.len(), start.len()), (1, 1), "{ev:?}");
    let exec_id = create[0]["Actor"]["Attributes"]["execID"].as_str().unwrap();
    assert_eq!(exec_id.len(), 64, "{exec_id}");
    assert_eq!(start[0]["Actor"]["Attributes"]["execID"], exec_id);
    assert_eq!(create[0]["Actor"]["Attributes"]["name"], name.as_str());
    let die: Vec<&Value> = ev
        .iter()
        .filter(|e| e["Action"] == "exec_die" && e["Actor"]["Attributes"]["execID"] == exec_id)
        .collect();
    assert_eq!(die.len(), 1, "{ev:?}");
    assert_eq!(die[0]["Actor"]["Attributes"]["exitCode"], "3");
    // A probe: create, start and die (exit 0) under one id of its own.
    let probe = &exec_of(&ev, "exec_create: /bin/sh -c true")[0];
    let probe_id = probe["Actor"]["Attributes"]["execID"].as_str().unwrap();
    assert_ne!(probe_id, exec_id);
    let probe_die = wait_for(Duration::from_secs(10), || {
        past(&lab, &["--filter", &format!("container={id}")])
            .into_iter()
            .find(|e| e["Action"] == "exec_die" && e["Actor"]["Attributes"]["execID"] == probe_id)
    })
    .expect("the probe's exec_die");
    assert_eq!(probe_die["Actor"]["Attributes"]["exitCode"], "0");
    // The short filter matches the long actions.
    let only = past(
        &lab,
        &[
            "--filter",
            &format!("container={id}"),
            "--filter",
            "event=exec_create",
        ],
    );
    assert!(!only.is_empty());
    assert!(
        only.iter()
            .all(|e| e["Action"].as_str().unwrap().starts_with("exec_create: ")),
        "{only:?}"
    );
    lab.b().ok(&["rm", "-f", &name]);
    lab.assert_clean();
}
