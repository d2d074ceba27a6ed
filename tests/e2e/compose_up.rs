//! `berth compose up/down/create/start/stop/restart/run` through the
//! binary, each case in its own project directory with its own project
//! name: `up -d` with compose's names and labels, services reaching each
//! other by name, `down -v` leaving no container, network, volume or
//! iptables rule; `depends_on` gated on `service_healthy` (the dependent
//! starts only after the dependency's first healthy probe; one that never
//! turns healthy fails `up` with compose's message) and on
//! `service_completed_successfully`; `--wait` success and timeout;
//! recreate only the service whose environment changed; orphans; scale up
//! and down; a malformed file creates nothing; a one-off `run`.
//!
//! Subnets: each project network is set through `ipam` in
//! 10.20.0.0-10.39.255.0 (/24s keyed by the lab's own default subnet).

use crate::containers::Lab;
use crate::require;
use crate::support::berth::Out;
use std::path::PathBuf;

pub(super) fn need() {
    require!(@network);
}

/// This lab's compose subnet prefix (`10.X.Y`).
fn prefix(lab: &Lab) -> String {
    let (_, rest) = lab.b().subnet.split_once('.').unwrap();
    let (second, rest) = rest.split_once('.').unwrap();
    let third = rest.split_once('.').unwrap().0;
    let second: u32 = second.parse().unwrap();
    format!("10.{}.{third}", 20 + (second - 100) % 20)
}

pub(super) struct Proj {
    pub(super) dir: PathBuf,
    pub(super) name: String,
}

/// A project directory holding `compose.yaml` (IMAGE and SUBNET replaced).
pub(super) fn project(lab: &Lab, what: &str, yaml: &str) -> Proj {
    let name = crate::support::unique(what).replace('-', "_");
    let dir = lab.b().base().join("projects").join(&name);
    std::fs::create_dir_all(&dir).unwrap();
    let p = Proj { dir, name };
    write(lab, &p, yaml);
    p
}

pub(super) fn write(lab: &Lab, p: &Proj, yaml: &str) {
    let text = yaml
        .replace("IMAGE", lab.image())
        .replace("SUBNET", &format!("{}.0/24", prefix(lab)));
    std::fs::write(p.dir.join("compose.yaml"), text).unwrap();
}

pub(super) fn compose(lab: &Lab, p: &Proj, args: &[&str]) -> Out {
    let mut full = vec!["compose", "-p", &p.name];
    full.extend_from_slice(args);
    let mut cmd = lab.b().command(&full);
    cmd.current_dir(&p.dir);
    let out = cmd.output().expect("running berth compose");
    let out = Out::of(&full, &out);
    lab.note(&out);
    out
}

#[track_caller]
pub(super) fn compose_ok(lab: &Lab, p: &Proj, args: &[&str]) -> Out {
    let out = compose(lab, p, args);
    assert_eq!(out.code, 0, "compose {args:?} failed:\n{out}");
    out
}

/// `ps -a` of the project's containers by label: name -> status.
pub(super) fn containers(lab: &Lab, p: &Proj) -> Vec<(String, String)> {
    let out = lab.b().ok(&[
        "ps",
        "-a",
        "--filter",
        &format!("label=com.docker.compose.project={}", p.name),
        "--format",
        "{{.Names}} {{.State}}",
    ]);
    let mut v: Vec<(String, String)> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    v.sort();
    v
}

pub(super) fn inspect(lab: &Lab, name: &str) -> serde_json::Value {
    let out = lab.b().ok(&["inspect", name]);
    serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()[0].clone()
}

fn id_of(lab: &Lab, name: &str) -> String {
    inspect(lab, name)["Id"].as_str().unwrap().to_string()
}

fn iptables_mentions(prefix: &str) -> Vec<String> {
    let mut left = Vec::new();
    for table in ["nat", "filter"] {
        if let Ok(o) = std::process::Command::new("iptables-save")
            .args(["-t", table])
            .output()
        {
            for l in String::from_utf8_lossy(&o.stdout).lines() {
                if l.contains(&format!("{prefix}.")) {
                    left.push(l.to_string());
                }
            }
        }
    }
    left
}

pub(super) fn networks(lab: &Lab, p: &Proj) -> Vec<String> {
    lab.b()
        .ok(&["network", "ls", "--format", "{{.Name}}"])
        .stdout
        .lines()
        .filter(|n| n.starts_with(&format!("{}_", p.name)))
        .map(String::from)
        .collect()
}

fn volumes(lab: &Lab, p: &Proj) -> Vec<String> {
    lab.b()
        .ok(&["volume", "ls", "-q"])
        .stdout
        .lines()
        .filter(|n| n.starts_with(&format!("{}_", p.name)))
        .map(String::from)
        .collect()
}

const TWO: &str = "\
services:
  web:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    environment: {MODE: one}
    depends_on: [db]
    volumes: [data:/data]
  db:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
networks:
  default:
    ipam:
      config: [{subnet: SUBNET}]
volumes:
  data: {}
";

#[test]
fn compose_up_names_labels_reach_by_name_and_down_leaves_nothing() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "cup", TWO);
    let up = compose_ok(&lab, &p, &["up", "-d"]);
    let (web, db) = (format!("{}-web-1", p.name), format!("{}-db-1", p.name));
    for line in [
        format!(" Network {}_default  Created", p.name),
        format!(" Volume \"{}_data\"  Created", p.name),
        format!(" Container {web}  Created"),
        format!(" Container {db}  Started"),
        format!(" Container {web}  Started"),
    ] {
        assert!(up.stderr.contains(&line), "{line:?} missing:\n{up}");
    }
    // db starts before web (web depends on it).
    assert!(
        up.stderr.find(&format!("Container {db}  Started"))
            < up.stderr.find(&format!("Container {web}  Started")),
        "{up}"
    );
    assert_eq!(
        containers(&lab, &p),
        [
            (db.clone(), "running".into()),
            (web.clone(), "running".into())
        ]
    );
    let labels = inspect(&lab, &web)["Config"]["Labels"].clone();
    for (k, v) in [
        ("com.docker.compose.project", p.name.as_str()),
        ("com.docker.compose.service", "web"),
        ("com.docker.compose.container-number", "1"),
        ("com.docker.compose.oneoff", "False"),
        ("com.docker.compose.depends_on", "db:service_started:false"),
    ] {
        assert_eq!(labels[k], v, "{labels}");
    }
    for k in [
        "com.docker.compose.config-hash",
        "com.docker.compose.image",
        "com.docker.compose.version",
        "com.docker.compose.project.working_dir",
        "com.docker.compose.project.config_files",
    ] {
        assert!(
            labels[k].as_str().is_some_and(|s| !s.is_empty()),
            "{k}: {labels}"
        );
    }
    // Service names resolve on the project network.
    let ping = lab
        .b()
        .ok(&["exec", &web, "ping", "-c", "1", "-W", "5", "db"]);
    assert!(
        ping.stdout.contains(&format!("{}.", prefix(&lab))),
        "{ping}"
    );
    // A second up changes nothing.
    let again = compose_ok(&lab, &p, &["up", "-d"]);
    assert!(
        again.stderr.contains(&format!(" Container {web}  Running")),
        "{again}"
    );

    let down = compose_ok(&lab, &p, &["down", "-v"]);
    assert!(
        down.stderr.find(&format!("Container {web}  Stopped"))
            < down.stderr.find(&format!("Container {db}  Stopping")),
        "web stops before db:\n{down}"
    );
    assert!(containers(&lab, &p).is_empty());
    assert!(networks(&lab, &p).is_empty());
    assert!(volumes(&lab, &p).is_empty());
    assert_eq!(iptables_mentions(&prefix(&lab)), Vec::<String>::new());
    lab.assert_clean();
}

const HEALTH: &str = "\
services:
  db:
    image: IMAGE
    command: [sh, -c, 'sleep 3; touch /tmp/ready; exec sleep 1000']
    stop_grace_period: 1s
    healthcheck:
      test: [CMD, test, -f, /tmp/ready]
      interval: 500ms
      retries: 100
  web:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    depends_on:
      db: {condition: service_healthy}
networks:
  default:
    ipam:
      config: [{subnet: SUBNET}]
";

/// RFC 3339 to nanoseconds since the epoch, enough for ordering.
fn nanos(t: &str) -> i128 {
    let out = std::process::Command::new("date")
        .args(["-d", t, "+%s%N"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn compose_depends_on_service_healthy_gates_the_dependent() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "cuph", HEALTH);
    let up = compose_ok(&lab, &p, &["up", "-d"]);
    let (web, db) = (format!("{}-web-1", p.name), format!("{}-db-1", p.name));
    assert!(
        up.stderr.contains(&format!(" Container {db}  Healthy")),
        "{up}"
    );
    let dbi = inspect(&lab, &db);
    let healthy_at = dbi["State"]["Health"]["Log"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["ExitCode"] == 0)
        .map(|l| nanos(l["End"].as_str().unwrap()))
        .expect("a healthy probe");
    let web_started = nanos(inspect(&lab, &web)["State"]["StartedAt"].as_str().unwrap());
    println!(
        "web started {} ms after db's first healthy probe",
        (web_started - healthy_at) / 1_000_000
    );
    assert!(
        web_started >= healthy_at,
        "web started before db was healthy"
    );
    compose_ok(&lab, &p, &["down"]);

    // A dependency that never turns healthy fails up; the dependent stays created.
    write(
        &lab,
        &p,
        &HEALTH
            .replace("test, -f, /tmp/ready", "'false'")
            .replace("retries: 100", "retries: 2"),
    );
    let out = compose(&lab, &p, &["up", "-d"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "dependency failed to start: container {db} is unhealthy"
        )),
        "{out}"
    );
    assert_eq!(lab.state_of(&web).unwrap().0, "created");
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}

#[test]
fn compose_completed_successfully_and_wait() {
    need();
    let lab = Lab::new();
    let yaml = "\
services:
  migrate:
    image: IMAGE
    command: [sh, -c, 'sleep 1; exit CODE']
  app:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    depends_on:
      migrate: {condition: service_completed_successfully}
    healthcheck:
      test: [CMD, 'true']
      interval: HEALTHINTERVAL
networks:
  default:
    ipam:
      config: [{subnet: SUBNET}]
";
    let p = project(
        &lab,
        "cupc",
        &yaml.replace("CODE", "0").replace("HEALTHINTERVAL", "300ms"),
    );
    let app = format!("{}-app-1", p.name);
    let up = compose_ok(&lab, &p, &["up", "--wait"]);
    assert!(
        up.stderr
            .contains(&format!(" Container {}-migrate-1  Exited", p.name)),
        "{up}"
    );
    assert!(
        up.stderr.contains(&format!(" Container {app}  Healthy")),
        "{up}"
    );
    assert_eq!(inspect(&lab, &app)["State"]["Health"]["Status"], "healthy");
    compose_ok(&lab, &p, &["down"]);

    write(
        &lab,
        &p,
        &yaml.replace("CODE", "3").replace("HEALTHINTERVAL", "300ms"),
    );
    let out = compose(&lab, &p, &["up", "-d"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("service \"migrate\" didn't complete successfully: exit 3"),
        "{out}"
    );
    assert_eq!(lab.state_of(&app).unwrap().0, "created");
    compose_ok(&lab, &p, &["down"]);

    // Never healthy within the timeout (the first probe is an hour away).
    write(
        &lab,
        &p,
        &yaml.replace("CODE", "0").replace("HEALTHINTERVAL", "1h"),
    );
    let out = compose(&lab, &p, &["up", "--wait", "--wait-timeout", "2"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains("application not healthy after 2s"),
        "{out}"
    );
    compose_ok(&lab, &p, &["down"]);

    // A service that dies at once fails the wait: compose's first look
    // comes half a second after the starts.
    write(
        &lab,
        &p,
        &yaml
            .replace("CODE", "0")
            .replace("HEALTHINTERVAL", "300ms")
            .replace("[sleep, '1000']", "[sh, -c, 'exit 2']"),
    );
    let out = compose(&lab, &p, &["up", "-d", "--wait", "app"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains(&format!("container {app} exited (2)")),
        "{out}"
    );
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}

#[test]
fn compose_recreate_orphans_and_scale() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "cupr", TWO);
    compose_ok(&lab, &p, &["up", "-d"]);
    let (web, db) = (format!("{}-web-1", p.name), format!("{}-db-1", p.name));
    let (web_id, db_id) = (id_of(&lab, &web), id_of(&lab, &db));
    // A changed variable recreates that service only.
    write(&lab, &p, &TWO.replace("MODE: one", "MODE: two"));
    let up = compose_ok(&lab, &p, &["up", "-d"]);
    assert!(
        up.stderr.contains(&format!(" Container {web}  Recreated")),
        "{up}"
    );
    assert!(
        up.stderr
            .contains(&format!(" Container {web}  Recreate (environment changed)")),
        "{up}"
    );
    assert!(
        up.stderr.contains(&format!(" Container {db}  Running")),
        "{up}"
    );
    assert_ne!(id_of(&lab, &web), web_id);
    assert_eq!(id_of(&lab, &db), db_id);
    let env = inspect(&lab, &web)["Config"]["Env"].to_string();
    assert!(env.contains("MODE=two"), "{env}");

    // Scale up, then down (the highest numbers go).
    compose_ok(&lab, &p, &["up", "-d", "--scale", "web=3"]);
    let names: Vec<String> = containers(&lab, &p).into_iter().map(|c| c.0).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.contains(&format!("{}-web-3", p.name)), "{names:?}");
    let down = compose_ok(&lab, &p, &["up", "-d", "--scale", "web=1"]);
    assert!(
        down.stderr
            .contains(&format!(" Container {}-web-3  Removed", p.name)),
        "{down}"
    );
    let names: Vec<String> = containers(&lab, &p).into_iter().map(|c| c.0).collect();
    assert_eq!(names, [db.clone(), web.clone()]);

    // Orphans: warned about, removed only with --remove-orphans.
    let only_db = TWO
        .split("  db:")
        .nth(1)
        .map(|rest| format!("services:\n  db:{rest}"))
        .unwrap();
    write(&lab, &p, &only_db);
    let up = compose_ok(&lab, &p, &["up", "-d"]);
    assert!(
        up.stderr.contains(&format!(
            "Found orphan containers ([{web}]) for this project"
        )),
        "{up}"
    );
    assert_eq!(containers(&lab, &p).len(), 2);
    let up = compose_ok(&lab, &p, &["up", "-d", "--remove-orphans"]);
    assert!(
        up.stderr.contains(&format!(" Container {web}  Removed")),
        "{up}"
    );
    assert_eq!(containers(&lab, &p), [(db.clone(), "running".into())]);
    // The volume is a project volume: only -v removes it.
    compose_ok(&lab, &p, &["down"]);
    assert_eq!(volumes(&lab, &p), [format!("{}_data", p.name)]);
    write(&lab, &p, TWO);
    compose_ok(&lab, &p, &["down", "-v"]);
    assert!(volumes(&lab, &p).is_empty());
    lab.assert_clean();
}

#[test]
fn compose_malformed_or_unsupported_file_creates_nothing() {
    need();
    let lab = Lab::new();
    let p = project(
        &lab,
        "cupm",
        "services:\n  web:\n    image: IMAGE\n    ports: [\n",
    );
    let out = compose(&lab, &p, &["up", "-d"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("compose.yaml"), "{out}");
    // A key berth cannot honour is refused before anything is made.
    write(
        &lab,
        &p,
        &TWO.replace("    environment: {MODE: one}\n", "    uts: host\n"),
    );
    let out = compose(&lab, &p, &["up", "-d"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains("services.web.uts: rejected by berth"),
        "{out}"
    );
    // A service whose build fails (no Dockerfile) creates nothing either.
    write(&lab, &p, "services:\n  app:\n    build: .\n");
    let out = compose(&lab, &p, &["up", "-d"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains("failed to build service \"app\""),
        "{out}"
    );
    assert!(containers(&lab, &p).is_empty());
    assert!(networks(&lab, &p).is_empty());
    assert!(volumes(&lab, &p).is_empty());
    // --check lists the verdicts and fails.
    write(
        &lab,
        &p,
        &TWO.replace("    environment: {MODE: one}\n", "    uts: host\n"),
    );
    let out = compose(&lab, &p, &["config", "--check"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.starts_with("SERVICE"), "{out}");
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("web") && l.contains("uts") && l.contains("rejected")),
        "{out}"
    );
}

#[test]
fn compose_builds_a_service_with_only_build() {
    need();
    let lab = Lab::new();
    let p = project(
        &lab,
        "cupb",
        "services:\n  app:\n    build: {context: ./app, args: {WHAT: built}}\n    command: [cat, /built]\nnetworks:\n  default:\n    ipam:\n      config: [{subnet: SUBNET}]\n",
    );
    std::fs::create_dir_all(p.dir.join("app")).unwrap();
    std::fs::write(
        p.dir.join("app/Dockerfile"),
        format!("FROM {}\nARG WHAT\nRUN echo $WHAT > /built\n", lab.image()),
    )
    .unwrap();
    let out = compose_ok(&lab, &p, &["run", "--rm", "-T", "app"]);
    assert_eq!(out.stdout.trim(), "built", "{out}");
    assert!(
        out.stderr
            .contains(&format!(" Image {}-app  Built", p.name)),
        "{out}"
    );
    // The image exists now: up uses it without building again.
    let up = compose_ok(&lab, &p, &["up", "--exit-code-from", "app"]);
    assert!(!up.stderr.contains("Building"), "{up}");
    assert!(up.stdout.contains("| built"), "{up}");
    compose_ok(&lab, &p, &["down", "--rmi", "all"]);
    let images = lab.b().ok(&["images", "--format", "{{.Repository}}"]);
    assert!(
        !images.stdout.contains(&format!("{}-app", p.name)),
        "{images}"
    );
    lab.assert_clean();
}

#[test]
fn compose_run_one_off_and_attached_up() {
    need();
    let lab = Lab::new();
    let yaml = "\
services:
  db:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
  tool:
    image: IMAGE
    depends_on: [db]
    command: [echo, from-file]
networks:
  default:
    ipam:
      config: [{subnet: SUBNET}]
";
    let p = project(&lab, "cupo", yaml);
    let out = compose(
        &lab,
        &p,
        &[
            "run",
            "--rm",
            "-T",
            "tool",
            "sh",
            "-c",
            "ping -c1 -W5 db >/dev/null && echo reached; exit 4",
        ],
    );
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stdout.contains("reached"), "{out}");
    // The dependency came up; the one-offs are gone.
    assert_eq!(
        containers(&lab, &p),
        [(format!("{}-db-1", p.name), "running".into())]
    );
    // Attached: prefixed output, the exit line, --exit-code-from.
    let out = compose(&lab, &p, &["up", "--exit-code-from", "tool", "tool"]);
    assert_eq!(out.code, 0, "{out}");
    let tool = "tool-1";
    assert!(out.stdout.starts_with("Attaching to tool-1\n"), "{out}");
    assert!(
        out.stdout.lines().any(|l| l == "tool-1  | from-file"),
        "{out}"
    );
    assert!(
        out.stdout.contains(&format!("{tool} exited with code 0")),
        "{out}"
    );
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}
