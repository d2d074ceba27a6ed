//! The compose verbs that find a project's containers by their labels,
//! through the binary with the real runtime: `ps`, `ls`, `images`, `logs`,
//! `exec`, `top`, `port`, `cp`, `kill`, `pause`/`unpause`, `rm`, `wait`,
//! `events`, `version` and `pull`. Every project is made next to another
//! project whose containers must never be listed or touched.
//!
//! Each project is a `compose.yaml` brought up with `compose up -d` (the
//! `up` helper), its services on `network_mode: none`; only the `port`
//! case has a project network, on 10.70-79.n.0/24 (n this env's own third
//! octet).

use crate::containers::Lab;
use crate::require;
use crate::support::berth::Out;
use serde_json::Value;
use std::time::Duration;

/// `projects/<project>/compose.yaml` with IMAGE and SUBNET filled in;
/// its path.
fn file(lab: &Lab, project: &str, yaml: &str) -> String {
    let dir = lab.b().base().join("projects").join(project);
    std::fs::create_dir_all(&dir).unwrap();
    let (_, rest) = lab.b().subnet.split_once('.').unwrap();
    let (second, rest) = rest.split_once('.').unwrap();
    let third = rest.split_once('.').unwrap().0;
    let second: u32 = second.parse().unwrap();
    let subnet = format!("10.{}.{third}.0/24", 70 + (second - 100) % 10);
    let path = dir.join("compose.yaml");
    std::fs::write(
        &path,
        yaml.replace("IMAGE", lab.image())
            .replace("SUBNET", &subnet),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

/// `compose -f FILE -p PROJECT ARGS` that must succeed (`up -d`, `run -d`).
#[track_caller]
fn up(lab: &Lab, file: &str, project: &str, args: &[&str]) -> Out {
    let mut a = vec!["-f", file, "-p", project];
    a.extend_from_slice(args);
    let out = ok(compose(lab, &a, None));
    lab.note(&out);
    out
}

/// Two `web` replicas sleeping and a `db` that exits with 3.
const WEB2_DB: &str = "services:
  web:
    image: IMAGE
    command: [sleep, \"1000\"]
    network_mode: none
    deploy:
      replicas: 2
  db:
    image: IMAGE
    command: [sh, -c, exit 3]
    network_mode: none
";

/// One `web` sleeping.
const WEB: &str = "services:
  web:
    image: IMAGE
    command: [sleep, \"1000\"]
    network_mode: none
";

/// A container's full id.
fn id(lab: &Lab, name: &str) -> String {
    lab.b()
        .ok(&["inspect", "-f", "{{.Id}}", name])
        .stdout
        .trim()
        .to_string()
}

/// `berth compose ARGS`, stdin closed (or fed `input`).
fn compose(lab: &Lab, args: &[&str], input: Option<&str>) -> Out {
    let mut a = vec!["compose"];
    a.extend_from_slice(args);
    lab.b().run_stdin(&a, input)
}

#[track_caller]
fn ok(out: Out) -> Out {
    assert_eq!(out.code, 0, "expected success:\n{out}");
    out
}

#[track_caller]
fn fails(out: Out, code: i32, msg: &str) -> Out {
    assert_eq!(out.code, code, "expected exit {code}:\n{out}");
    assert!(
        out.stderr.contains(msg),
        "expected {msg:?} on stderr:\n{out}"
    );
    out
}

fn names(out: &Out) -> Vec<String> {
    out.stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn ps_ls_images_select_by_labels() {
    require!(@containers);
    let lab = Lab::new();
    let p = lab.name("cvp");
    let other = lab.name("cvq");
    let f = file(&lab, &p, WEB2_DB);
    up(&lab, &f, &p, &["up", "-d"]);
    up(&lab, &f, &p, &["run", "-d", "web", "sleep", "1000"]);
    let fo = file(&lab, &other, WEB);
    up(&lab, &fo, &other, &["up", "-d"]);
    lab.wait_state(&format!("{p}-db-1"), "exited", Duration::from_secs(20));
    let (web1, web2, db) = (
        id(&lab, &format!("{p}-web-1")),
        id(&lab, &format!("{p}-web-2")),
        id(&lab, &format!("{p}-db-1")),
    );

    // Default: running service containers, sorted by name, compose's columns.
    let out = ok(compose(&lab, &["-p", &p, "ps"], None));
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    );
    assert_eq!(names(&out), [format!("{p}-web-1"), format!("{p}-web-2")]);
    assert!(out.stdout.contains("\"sleep 1000\""), "{out}");
    // -a: stopped and one-off containers too; never the other project's.
    let out = ok(compose(&lab, &["-p", &p, "ps", "-a"], None));
    let listed = names(&out);
    assert_eq!(
        listed[..3],
        [
            format!("{p}-db-1"),
            format!("{p}-web-1"),
            format!("{p}-web-2")
        ]
    );
    assert_eq!(listed.len(), 4, "{out}");
    assert!(listed[3].starts_with(&format!("{p}-web-run-")), "{out}");
    assert!(!out.stdout.contains(&other), "{out}");
    let out = ok(compose(&lab, &["-p", &p, "ps", "-q"], None));
    assert_eq!(out.stdout, format!("{web1}\n{web2}\n"));
    let out = ok(compose(&lab, &["-p", &p, "ps", "--services", "-a"], None));
    assert_eq!(out.stdout, "db\nweb\n");
    for args in [
        &["--status", "exited"][..],
        &["--filter", "status=exited"][..],
    ] {
        let mut a = vec!["-p", &p, "ps", "-q"];
        a.extend_from_slice(args);
        assert_eq!(ok(compose(&lab, &a, None)).stdout, format!("{db}\n"));
    }
    let out = ok(compose(&lab, &["-p", &p, "ps", "-a", "-q", "db"], None));
    assert_eq!(out.stdout, format!("{db}\n"));
    let out = ok(compose(
        &lab,
        &["-p", &p, "ps", "--format", "{{.Service}}/{{.Name}}"],
        None,
    ));
    assert_eq!(out.stdout, format!("web/{p}-web-1\nweb/{p}-web-2\n"));
    // JSON Lines with compose's keys.
    let out = ok(compose(
        &lab,
        &["-p", &p, "ps", "-a", "--format", "json", "db"],
        None,
    ));
    let v: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    for k in [
        "Command",
        "CreatedAt",
        "ExitCode",
        "Health",
        "ID",
        "Image",
        "Labels",
        "LocalVolumes",
        "Mounts",
        "Name",
        "Names",
        "Networks",
        "Ports",
        "Project",
        "Publishers",
        "RunningFor",
        "Service",
        "Size",
        "State",
        "Status",
    ] {
        assert!(v.get(k).is_some(), "no {k} in {v}");
    }
    assert_eq!(v["Name"], format!("{p}-db-1"));
    assert_eq!(v["Project"], p.as_str());
    assert_eq!(v["Service"], "db");
    assert_eq!(v["State"], "exited");
    assert_eq!(v["ExitCode"], 3);
    assert_eq!(v["Publishers"], serde_json::json!([]));
    // Filter errors as compose words them.
    fails(
        compose(&lab, &["-p", &p, "ps", "--filter", "name=x"], None),
        1,
        "unknown filter name",
    );
    fails(
        compose(&lab, &["-p", &p, "ps", "--filter", "source=x"], None),
        1,
        "not implemented",
    );
    // Without -p and without a file there is no project.
    fails(
        compose(&lab, &["ps"], None),
        1,
        "no configuration file provided: not found",
    );

    // ls: running projects, then -a with every state counted.
    let out = ok(compose(&lab, &["ls"], None));
    let row = out
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("{p} ")))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("running(3)"), "{row}");
    assert!(row.contains(&f), "{row}");
    assert!(
        out.stdout.lines().next().unwrap().starts_with("NAME"),
        "{out}"
    );
    let out = ok(compose(
        &lab,
        &["ls", "-a", "--filter", &format!("name={p}")],
        None,
    ));
    assert_eq!(out.stdout.lines().count(), 2, "{out}");
    assert!(out.stdout.contains("exited(1), running(3)"), "{out}");
    let out = ok(compose(
        &lab,
        &["ls", "-q", "--filter", &format!("name={other}")],
        None,
    ));
    assert_eq!(out.stdout, format!("{other}\n"));
    let out = ok(compose(
        &lab,
        &[
            "ls",
            "--format",
            "json",
            "--filter",
            &format!("name={other}"),
        ],
        None,
    ));
    let v: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"Name": other, "Status": "running(1)", "ConfigFiles": fo}])
    );
    fails(
        compose(&lab, &["ls", "--filter", "status=x"], None),
        1,
        "invalid filter 'status'",
    );

    // images: one row per container of the project.
    let out = ok(compose(&lab, &["-p", &p, "images"], None));
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "CONTAINER",
            "REPOSITORY",
            "TAG",
            "PLATFORM",
            "IMAGE",
            "ID",
            "SIZE",
            "CREATED"
        ]
    );
    assert_eq!(out.stdout.lines().count(), 5, "{out}");
    // The platform and the image's last tag time (the pull, just now).
    let platform = format!(
        "linux/{}",
        std::env::consts::ARCH
            .replace("x86_64", "amd64")
            .replace("aarch64", "arm64")
    );
    for line in out.stdout.lines().skip(1) {
        assert!(line.contains(&format!("   {platform}   ")), "{out}");
        assert!(line.ends_with(" ago"), "{out}");
    }
    assert!(!out.stdout.contains(&other), "{out}");
    let out = ok(compose(&lab, &["-p", &p, "images", "-q"], None));
    assert_eq!(
        out.stdout.lines().count(),
        1,
        "one image, listed once:\n{out}"
    );
    let out = ok(compose(
        &lab,
        &["-p", &p, "images", "--format", "json", "db"],
        None,
    ));
    let v: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    // compose's ImageSummary: no container name, an OCI platform object.
    let keys: Vec<&String> = v[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["ID", "Repository", "Tag", "Platform", "Size", "LastTagTime"],
        "{v}"
    );
    assert_eq!(v[0]["Platform"]["os"], "linux", "{v}");
    assert!(v[0]["ID"].as_str().unwrap().starts_with("sha256:"), "{v}");
    assert!(
        !v[0]["LastTagTime"].as_str().unwrap().starts_with("0001"),
        "{v}"
    );
    // Nothing of the other project changed.
    assert_eq!(
        lab.state_of(&format!("{other}-web-1")).unwrap().0,
        "running"
    );
}

#[test]
fn logs_exec_top_cp_port() {
    require!(@containers);
    let lab = Lab::new();
    let p = lab.name("cvl");
    let other = lab.name("cvm");
    let f = file(
        &lab,
        &p,
        r#"services:
  web:
    image: IMAGE
    command: [sh, -c, "echo hello-web; echo err-web >&2; sleep 1000"]
    network_mode: none
  db:
    image: IMAGE
    command: [sh, -c, "echo from-db; sleep 1000"]
    network_mode: none
  api:
    image: IMAGE
    command: [sleep, "1000"]
    ports: ["80"]
networks:
  default:
    ipam:
      config:
        - subnet: SUBNET
"#,
    );
    up(&lab, &f, &p, &["up", "-d"]);
    let fo = file(
        &lab,
        &other,
        r#"services:
  web:
    image: IMAGE
    command: [sh, -c, "echo not-mine; sleep 1000"]
    network_mode: none
"#,
    );
    up(&lab, &fo, &other, &["up", "-d"]);
    std::thread::sleep(Duration::from_millis(500));

    // logs: every service in name order, prefixed and padded to the
    // longest name printed so far + 1 (compose registers a container's
    // prefix at its first line).
    let out = ok(compose(&lab, &["-p", &p, "logs"], None));
    assert!(out.stdout.contains("web-1  | hello-web\n"), "{out}");
    assert!(out.stdout.contains("web-1  | err-web\n"), "{out}");
    assert!(out.stdout.contains("db-1  | from-db\n"), "{out}");
    assert!(!out.stdout.contains("not-mine"), "{out}");
    assert!(
        !out.stdout.contains('\x1b'),
        "no colours off a terminal:\n{out}"
    );
    let out = ok(compose(
        &lab,
        &["-p", &p, "logs", "--no-log-prefix", "db"],
        None,
    ));
    assert_eq!(out.stdout, "from-db\n");
    let out = ok(compose(
        &lab,
        &["-p", &p, "logs", "-t", "--tail", "1", "db"],
        None,
    ));
    assert!(out.stdout.starts_with("db-1  | 20"), "{out}");
    // -f ends when the followed containers stop.
    let follower = {
        let mut c = lab.b().command(&["compose", "-p", &p, "logs", "-f", "db"]);
        c.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        c.spawn().unwrap()
    };
    std::thread::sleep(Duration::from_secs(1));
    lab.b().ok(&["kill", &format!("{p}-db-1")]);
    let o = follower.wait_with_output().unwrap();
    assert!(o.status.success(), "{o:?}");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("db-1  | from-db\n"), "{o:?}");
    assert!(text.ends_with("db-1 exited with code 137\n"), "{o:?}");

    // exec: the command's exit code; compose's errors.
    let out = compose(
        &lab,
        &[
            "-p",
            &p,
            "exec",
            "-T",
            "web",
            "sh",
            "-c",
            "echo in-web; exit 7",
        ],
        None,
    );
    assert_eq!(out.code, 7, "{out}");
    assert_eq!(out.stdout, "in-web\n");
    let out = ok(compose(
        &lab,
        &[
            "-p",
            &p,
            "exec",
            "-T",
            "-e",
            "X=1",
            "-w",
            "/tmp",
            "web",
            "sh",
            "-c",
            "echo $X $(pwd)",
        ],
        None,
    ));
    assert_eq!(out.stdout, "1 /tmp\n");
    fails(
        compose(&lab, &["-p", &p, "exec", "-T", "nope", "true"], None),
        1,
        "service \"nope\" is not running",
    );
    fails(
        compose(
            &lab,
            &["-p", &p, "exec", "-T", "--index", "2", "web", "true"],
            None,
        ),
        1,
        "service \"web\" is not running container #2",
    );
    fails(
        compose(&lab, &["-p", &p, "exec", "-T", "db", "true"], None),
        1,
        "service \"db\" is not running",
    );

    // top: one table, SERVICE and # first, CMD last.
    let out = ok(compose(&lab, &["-p", &p, "top", "web"], None));
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(&header[..2], ["SERVICE", "#"]);
    assert_eq!(header.last(), Some(&"CMD"));
    assert!(
        out.stdout.lines().skip(1).all(|l| l.starts_with("web ")),
        "{out}"
    );
    assert!(out.stdout.contains("sleep 1000"), "{out}");

    // cp both ways.
    let host_file = lab.b().base().join("cp-in.txt");
    std::fs::write(&host_file, "payload\n").unwrap();
    ok(compose(
        &lab,
        &[
            "-p",
            &p,
            "cp",
            host_file.to_str().unwrap(),
            "web:/tmp/in.txt",
        ],
        None,
    ));
    let back = lab.b().base().join("cp-out.txt");
    ok(compose(
        &lab,
        &["-p", &p, "cp", "web:/tmp/in.txt", back.to_str().unwrap()],
        None,
    ));
    assert_eq!(std::fs::read_to_string(&back).unwrap(), "payload\n");
    fails(
        compose(&lab, &["-p", &p, "cp", "web:/a", "db:/b"], None),
        1,
        "copying between services is not supported",
    );
    fails(
        compose(&lab, &["-p", &p, "cp", "nope:/a", "/tmp/x"], None),
        1,
        "no container found for service \"nope\"",
    );

    // port: as `berth port` reports it.
    let want = lab.b().ok(&["port", &format!("{p}-api-1"), "80"]).stdout;
    let host_port = want
        .lines()
        .next()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let out = ok(compose(&lab, &["-p", &p, "port", "api", "80"], None));
    assert!(
        out.stdout.ends_with(&format!(":{host_port}\n")),
        "{out} vs {want}"
    );
    fails(
        compose(&lab, &["-p", &p, "port", "api", "81"], None),
        1,
        "no port 81/tcp for container",
    );
    fails(
        compose(
            &lab,
            &["-p", &p, "port", "--protocol", "udp", "api", "80"],
            None,
        ),
        1,
        "no port 80/udp",
    );
    // The other project's container still runs, its log untouched.
    assert_eq!(
        lab.state_of(&format!("{other}-web-1")).unwrap().0,
        "running"
    );
    // The project network goes with the project.
    up(&lab, &f, &p, &["down"]);
}

#[test]
fn kill_pause_rm_wait_events() {
    require!(@containers);
    let lab = Lab::new();
    let p = lab.name("cvk");
    let other = lab.name("cvo");
    let since = chrono::Utc::now().timestamp().to_string();
    let f = file(
        &lab,
        &p,
        &format!(
            "{WEB2_DB}  job:
    image: IMAGE
    command: [sh, -c, sleep 3; exit 5]
    network_mode: none
    profiles: [later]
"
        )
        .replace(
            "  db:\n    image: IMAGE\n    command: [sh, -c, exit 3]\n    network_mode: none\n",
            "",
        ),
    );
    up(&lab, &f, &p, &["up", "-d"]);
    let fo = file(&lab, &other, WEB);
    up(&lab, &fo, &other, &["up", "-d"]);
    let state = |n: &str| lab.state_of(n).map(|s| s.0).unwrap_or_default();
    let (w1, w2, theirs) = (
        format!("{p}-web-1"),
        format!("{p}-web-2"),
        format!("{other}-web-1"),
    );

    // pause / unpause.
    let out = ok(compose(&lab, &["-p", &p, "pause"], None));
    assert!(
        out.stderr.contains(&format!(" Container {w1}  Paused")),
        "{out}"
    );
    assert_eq!(state(&w1), "paused");
    assert_eq!(state(&w2), "paused");
    assert_eq!(state(&theirs), "running");
    let out = ok(compose(&lab, &["-p", &p, "unpause", "web"], None));
    assert!(
        out.stderr.contains(&format!(" Container {w2}  Unpaused")),
        "{out}"
    );
    assert_eq!(state(&w1), "running");

    // rm refuses nothing running; kill; rm with the prompt.
    let out = ok(compose(&lab, &["-p", &p, "rm", "-f"], None));
    assert!(out.stderr.contains("No stopped containers"), "{out}");
    fails(
        compose(&lab, &["-p", &p, "kill", "-s", "NOPE"], None),
        1,
        "",
    );
    let out = ok(compose(&lab, &["-p", &p, "kill"], None));
    assert!(
        out.stderr.contains(&format!(" Container {w1}  Killed")),
        "{out}"
    );
    lab.wait_state(&w1, "exited", Duration::from_secs(20));
    lab.wait_state(&w2, "exited", Duration::from_secs(20));
    assert_eq!(state(&theirs), "running");
    let out = ok(compose(&lab, &["-p", &p, "kill"], None));
    assert!(out.stderr.contains("No container to kill"), "{out}");
    let out = ok(compose(&lab, &["-p", &p, "rm"], Some("n\n")));
    assert_eq!(
        out.stdout,
        format!("Going to remove {w1}, {w2}\nAre you sure? [yN] ")
    );
    assert_eq!(state(&w1), "exited", "answered no");
    let out = ok(compose(&lab, &["-p", &p, "rm", "web"], Some("y\n")));
    assert!(
        out.stderr.contains(&format!(" Container {w2}  Removed")),
        "{out}"
    );
    assert!(lab.state_of(&w1).is_none() && lab.state_of(&w2).is_none());
    assert_eq!(state(&theirs), "running");

    // rm -s stops first; wait reports each exit.
    up(&lab, &f, &p, &["--profile", "later", "up", "-d", "job"]);
    let out = compose(&lab, &["-p", &p, "wait", "job"], None);
    assert_eq!(out.code, 5, "{out}");
    assert!(
        out.stdout.starts_with("container \"") && out.stdout.contains("exited with status code 5"),
        "{out}"
    );
    fails(
        compose(&lab, &["-p", &p, "wait", "nope"], None),
        1,
        &format!("no containers for project \"{p}\""),
    );
    up(&lab, &f, &p, &["up", "-d", "web"]);
    assert_eq!(state(&w1), "running");
    let out = ok(compose(&lab, &["-p", &p, "rm", "-s", "-f", "web"], None));
    assert_eq!(out.stdout, format!("Going to remove {w1}, {w2}\n"), "{out}");
    assert!(lab.state_of(&w1).is_none() && lab.state_of(&w2).is_none());
    assert_eq!(state(&theirs), "running");

    // events: the project's container events from the journal.
    let out = ok(compose(
        &lab,
        &[
            "-p", &p, "events", "--json", "--since", &since, "--until", "0s",
        ],
        None,
    ));
    let evs: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<&str> = evs.iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in [
        "create", "start", "pause", "unpause", "kill", "die", "destroy",
    ] {
        assert!(actions.contains(&a), "no {a} in {actions:?}");
    }
    assert!(
        evs.iter()
            .all(|e| e["type"] == "container" && e["service"] != ""),
        "{out}"
    );
    assert!(!out.stdout.contains(&other), "{out}");
    assert!(!out.stdout.contains("com.docker.compose"), "{out}");
    let out = ok(compose(
        &lab,
        &[
            "-p", &p, "events", "--since", &since, "--until", "0s", "job",
        ],
        None,
    ));
    assert!(out.stdout.contains(" container die "), "{out}");
    assert!(out.stdout.contains(&format!("name={p}-job-1")), "{out}");
    assert!(!out.stdout.contains("web-"), "{out}");
    // wait --down-project: the project is gone afterwards, not the other.
    up(&lab, &f, &p, &["--profile", "later", "up", "-d", "job"]);
    let out = compose(
        &lab,
        &["-f", &f, "-p", &p, "wait", "--down-project", "job"],
        None,
    );
    assert_eq!(out.code, 5, "{out}");
    assert_eq!(
        ok(compose(&lab, &["-p", &p, "ps", "-a", "-q"], None)).stdout,
        ""
    );
    assert_eq!(state(&theirs), "running");
}

#[test]
fn version_and_pull() {
    require!(@containers);
    let lab = Lab::new();
    // The compose release berth follows, the one its labels carry.
    let out = ok(compose(&lab, &["version", "--short"], None));
    assert_eq!(out.stdout, "2.32.4\n");
    let out = ok(compose(&lab, &["version", "--format", "json"], None));
    let v: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(v["version"], "v2.32.4");
    assert_eq!(
        ok(compose(&lab, &["version"], None)).stdout,
        "Docker Compose version v2.32.4\n"
    );

    let dir = lab.b().base().join("pullproj");
    std::fs::create_dir_all(&dir).unwrap();
    let image = lab.image().to_string();
    let missing = format!("{}/nothing/here:1", image.split('/').next().unwrap());
    std::fs::write(
        dir.join("compose.yaml"),
        format!(
            "services:\n  web:\n    image: {image}\n  built:\n    build: .\n  gone:\n    image: {missing}\n    profiles: [extra]\n"
        ),
    )
    .unwrap();
    let f = dir.join("compose.yaml");
    let f = f.to_str().unwrap();
    let out = ok(compose(&lab, &["-f", f, "pull"], None));
    assert!(
        out.stderr.contains(&format!(" Image {image} Pulling")),
        "{out}"
    );
    assert!(
        out.stderr.contains(&format!(" Image {image} Pulled")),
        "{out}"
    );
    assert!(
        out.stderr
            .contains(" built Skipped - No image to be pulled"),
        "{out}"
    );
    let out = ok(compose(&lab, &["-f", f, "pull", "-q"], None));
    assert_eq!(out.stderr, "", "{out}");
    ok(compose(
        &lab,
        &["-f", f, "pull", "--policy", "missing", "web"],
        None,
    ));
    fails(
        compose(&lab, &["-f", f, "pull", "nope"], None),
        1,
        "no such service: nope",
    );
    fails(
        compose(&lab, &["-f", f, "pull", "--policy", "sometimes"], None),
        1,
        "invalid --policy",
    );
    // A failed pull fails the command, unless told to ignore it.
    let out = compose(&lab, &["-f", f, "--profile", "extra", "pull"], None);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains(&format!(" Image {missing} Error")),
        "{out}"
    );
    ok(compose(
        &lab,
        &[
            "-f",
            f,
            "--profile",
            "extra",
            "pull",
            "--ignore-pull-failures",
        ],
        None,
    ));
}

#[test]
fn the_project_name_comes_from_the_file_or_the_environment() {
    require!(@containers);
    let lab = Lab::new();
    let p = lab.name("cvf");
    let other = lab.name("cvg");
    // Brought up from a file with `gone`, which the file below lacks.
    let f = file(
        &lab,
        &p,
        &format!("{WEB}{}", &WEB[10..].replace("web:", "gone:")),
    );
    up(&lab, &f, &p, &["up", "-d"]);
    let fo = file(&lab, &other, WEB);
    up(&lab, &fo, &other, &["up", "-d"]);
    let dir = lab.b().base().join("fileproj");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("compose.yaml"),
        format!("name: {p}\nservices:\n  web:\n    image: {}\n", lab.image()),
    )
    .unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut a = vec!["compose"];
        a.extend_from_slice(args);
        let mut c = lab.b().command(&a);
        c.current_dir(&dir).env_remove("COMPOSE_PROJECT_NAME");
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.stdin(std::process::Stdio::null()).output().unwrap();
        Out::of(&a, &o)
    };
    // The file's `name:` names the project; orphans are listed unless
    // --orphans=false; a service the file does not declare is refused.
    let out = ok(run(&["ps", "--format", "{{.Name}}"], &[]));
    assert_eq!(out.stdout, format!("{p}-gone-1\n{p}-web-1\n"));
    let out = ok(run(
        &["ps", "--orphans=false", "--format", "{{.Name}}"],
        &[],
    ));
    assert_eq!(out.stdout, format!("{p}-web-1\n"));
    fails(run(&["ps", "nope"], &[]), 1, "no such service: nope");
    // logs and kill limit themselves to the file's services.
    let out = ok(run(&["kill"], &[]));
    assert!(out.stderr.contains(&format!("{p}-web-1  Killed")), "{out}");
    assert!(!out.stderr.contains("gone"), "{out}");
    assert_eq!(lab.state_of(&format!("{p}-gone-1")).unwrap().0, "running");
    assert_eq!(
        lab.state_of(&format!("{other}-web-1")).unwrap().0,
        "running"
    );
    // With no file, COMPOSE_PROJECT_NAME names it; -p beats the file.
    std::fs::remove_file(dir.join("compose.yaml")).unwrap();
    let out = ok(run(
        &["ps", "--format", "{{.Name}}"],
        &[("COMPOSE_PROJECT_NAME", &other)],
    ));
    assert_eq!(out.stdout, format!("{other}-web-1\n"));
    fails(
        run(&["-p", "Bad", "ps"], &[]),
        1,
        "invalid project name \"Bad\"",
    );
}
