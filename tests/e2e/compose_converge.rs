//! Compose without its file and compose's recreate, through the binary:
//! `compose -p NAME ps/stop/start/down -v` run from a directory with no
//! compose file work from the containers' labels as docker compose's do
//! (down removes the project's containers, networks and volumes, and
//! leaves another project alone); a recreate creates the replacement
//! first (under a temporary name, labelled with what it replaces), so a
//! new config whose create fails leaves the old container running; `up`
//! pulls the missing images of several services at the same time; a
//! recreated container keeps its anonymous volumes (not with `up -V`).
//!
//! Subnets: each project network is set through `ipam` in
//! 10.200.0.0-10.209.255.0 (/24s keyed by the lab's own default subnet).

use crate::containers::Lab;
use crate::require;
use crate::support::berth::Out;
use std::path::{Path, PathBuf};

/// This lab's compose subnet (`10.X.Y.0/24`).
fn subnet(lab: &Lab) -> String {
    let (_, rest) = lab.b().subnet.split_once('.').unwrap();
    let (second, rest) = rest.split_once('.').unwrap();
    let third = rest.split_once('.').unwrap().0;
    let second: u32 = second.parse().unwrap();
    format!("10.{}.{third}.0/24", 200 + (second - 100) % 10)
}

/// A project directory holding `compose.yaml` (IMAGE and SUBNET replaced);
/// the project name and the directory.
fn project(lab: &Lab, what: &str, yaml: &str) -> (String, PathBuf) {
    let name = crate::support::unique(what).replace('-', "_");
    let dir = lab.b().base().join("projects").join(&name);
    std::fs::create_dir_all(&dir).unwrap();
    write(lab, &dir, yaml);
    (name, dir)
}

fn write(lab: &Lab, dir: &Path, yaml: &str) {
    let text = yaml
        .replace("IMAGE", lab.image())
        .replace("SUBNET", &subnet(lab));
    std::fs::write(dir.join("compose.yaml"), text).unwrap();
}

/// `berth compose -p NAME ARGS` run in `dir`.
fn compose(lab: &Lab, dir: &Path, name: &str, args: &[&str]) -> Out {
    let mut full = vec!["compose", "-p", name];
    full.extend_from_slice(args);
    let mut cmd = lab.b().command(&full);
    cmd.current_dir(dir);
    let out = cmd.output().expect("running berth compose");
    let out = Out::of(&full, &out);
    lab.note(&out);
    out
}

#[track_caller]
fn compose_ok(lab: &Lab, dir: &Path, name: &str, args: &[&str]) -> Out {
    let out = compose(lab, dir, name, args);
    assert_eq!(out.code, 0, "compose {args:?} failed:\n{out}");
    out
}

/// The project's containers by label: (name, state), sorted.
fn containers(lab: &Lab, project: &str) -> Vec<(String, String)> {
    let out = lab.b().ok(&[
        "ps",
        "-a",
        "--filter",
        &format!("label=com.docker.compose.project={project}"),
        "--format",
        "{{.Names}} {{.State}}",
    ]);
    let mut v: Vec<(String, String)> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    v.sort();
    v
}

fn listed(lab: &Lab, what: &str, project: &str) -> Vec<String> {
    lab.b()
        .ok(&[
            what,
            "ls",
            "--format",
            "{{.Name}}",
            "--filter",
            &format!("label=com.docker.compose.project={project}"),
        ])
        .stdout
        .split_whitespace()
        .map(String::from)
        .collect()
}

/// `web` depends on `db`; both exit on SIGTERM; a project network and a
/// named volume.
const WEB_DB: &str = "services:
  web:
    image: IMAGE
    command: [sh, -c, \"trap 'exit 0' TERM; while :; do sleep 1 & wait; done\"]
    depends_on: [db]
  db:
    image: IMAGE
    command: [sh, -c, \"trap 'exit 0' TERM; while :; do sleep 1 & wait; done\"]
    volumes: [data:/data]
networks:
  default:
    ipam:
      config:
        - subnet: SUBNET
volumes:
  data: {}
";

#[test]
fn compose_verbs_by_project_name_without_a_file() {
    require!(@network);
    let lab = Lab::new();
    let (p, dir) = project(&lab, "cbnf", WEB_DB);
    let (web, db) = (format!("{p}-web-1"), format!("{p}-db-1"));
    compose_ok(&lab, &dir, &p, &["up", "-d"]);
    // Another project with a container of the same service names.
    let other = crate::support::unique("cbno").replace('-', "_");
    let other_dir = lab.b().base().join("projects").join(&other);
    std::fs::create_dir_all(&other_dir).unwrap();
    write(
        &lab,
        &other_dir,
        "services:\n  web:\n    image: IMAGE\n    command: [sleep, \"1000\"]\n    network_mode: none\n",
    );
    compose_ok(&lab, &other_dir, &other, &["up", "-d"]);

    // From a directory without any compose file.
    let empty = lab.b().base().join("projects").join(format!("{p}-empty"));
    std::fs::create_dir_all(&empty).unwrap();
    let ps = compose_ok(&lab, &empty, &p, &["ps", "--services"]);
    assert_eq!(
        ps.stdout.split_whitespace().collect::<Vec<_>>(),
        ["db", "web"]
    );
    let stop = compose_ok(&lab, &empty, &p, &["stop"]);
    // The dependent stops before what it depends on.
    let at = |s: &str| {
        stop.stderr
            .find(s)
            .unwrap_or_else(|| panic!("{s:?}:\n{stop}"))
    };
    assert!(
        at(&format!(" Container {web}  Stopped")) < at(&format!(" Container {db}  Stopping")),
        "{stop}"
    );
    assert_eq!(
        containers(&lab, &p),
        [
            (db.clone(), "exited".into()),
            (web.clone(), "exited".into())
        ]
    );
    compose_ok(&lab, &empty, &p, &["start"]);
    assert_eq!(
        containers(&lab, &p),
        [
            (db.clone(), "running".into()),
            (web.clone(), "running".into())
        ]
    );
    assert_eq!(listed(&lab, "network", &p), [format!("{p}_default")]);
    assert_eq!(listed(&lab, "volume", &p), [format!("{p}_data")]);

    let down = compose_ok(&lab, &empty, &p, &["down", "-v"]);
    for s in [
        format!(" Container {web}  Removed"),
        format!(" Container {db}  Removed"),
        format!(" Network {p}_default  Removed"),
        format!(" Volume {p}_data  Removed"),
    ] {
        assert!(down.stderr.contains(&s), "{s:?}:\n{down}");
    }
    assert!(containers(&lab, &p).is_empty());
    assert!(listed(&lab, "network", &p).is_empty());
    assert!(listed(&lab, "volume", &p).is_empty());
    let again = compose_ok(&lab, &empty, &p, &["down"]);
    let warning = format!("Warning: No resource found to remove for project \"{p}\".");
    assert!(again.stderr.contains(&warning), "{again}");
    // The other project is untouched.
    assert_eq!(
        containers(&lab, &other),
        [(format!("{other}-web-1"), "running".into())]
    );
    compose_ok(&lab, &empty, &other, &["down", "-t", "0"]);
    lab.assert_clean();
}

/// One `web` on no network, its environment and network mode replaced
/// by the test.
const WEB: &str = "services:
  web:
    image: IMAGE
    command: [sleep, \"1000\"]
    environment:
      MODE: one
    network_mode: NETMODE
";

#[test]
fn compose_recreate_creates_the_replacement_first() {
    require!(@containers);
    let lab = Lab::new();
    let (p, dir) = project(&lab, "cbrc", &WEB.replace("NETMODE", "none"));
    let web = format!("{p}-web-1");
    compose_ok(&lab, &dir, &p, &["up", "-d"]);
    let old = lab
        .b()
        .ok(&["inspect", "-f", "{{.Id}}", &web])
        .stdout
        .trim()
        .to_string();

    // A new config whose create fails: the old container stays as it was,
    // and no replacement is left behind.
    let missing = crate::support::unique("cbrc-missing");
    write(
        &lab,
        &dir,
        &WEB.replace("MODE: one", "MODE: two")
            .replace("NETMODE", &format!("\"container:{missing}\"")),
    );
    let up = compose(&lab, &dir, &p, &["up", "-d"]);
    assert_ne!(up.code, 0, "{up}");
    assert!(up.stderr.contains(&missing), "{up}");
    assert_eq!(containers(&lab, &p), [(web.clone(), "running".into())]);
    let now = lab.b().ok(&["inspect", "-f", "{{.Id}}", &web]);
    assert_eq!(now.stdout.trim(), old);

    // A config that creates: the replacement takes the name, says what it
    // replaced, and the old one is gone.
    write(
        &lab,
        &dir,
        &WEB.replace("MODE: one", "MODE: two")
            .replace("NETMODE", "none"),
    );
    let up = compose_ok(&lab, &dir, &p, &["up", "-d"]);
    assert!(
        up.stderr.contains(&format!(" Container {web}  Recreated")),
        "{up}"
    );
    assert_eq!(containers(&lab, &p), [(web.clone(), "running".into())]);
    let new = lab.b().ok(&[
        "inspect",
        "-f",
        "{{.Id}} {{index .Config.Labels \"com.docker.compose.replace\"}}",
        &web,
    ]);
    let (new_id, replaced) = new.stdout.trim().split_once(' ').unwrap();
    assert_ne!(new_id, old);
    assert_eq!(replaced, "web-1");
    let gone = lab.b().run(&["inspect", &old]);
    assert_ne!(gone.code, 0, "{gone}");
    compose_ok(&lab, &dir, &p, &["down", "-t", "0"]);
    lab.assert_clean();
}

#[test]
fn compose_up_pulls_missing_images_together() {
    require!(@containers);
    let lab = Lab::new();
    // Two references to the same content, neither in the store: the two
    // pulls share every blob, as images of one project often do.
    let fx = crate::support::fixtures::busybox();
    crate::support::skopeo::push(fx, &lab.s.reg, &lab.s.repo, "v2");
    let (v1, v2) = (lab.image().to_string(), format!("{}:v2", lab.s.name));
    lab.b().ok(&["rmi", &v1]);
    let yaml = format!(
        "services:\n  one:\n    image: {v1}\n    command: [sleep, \"1000\"]\n    network_mode: none\n  two:\n    image: {v2}\n    command: [sleep, \"1000\"]\n    network_mode: none\n"
    );
    let (p, dir) = project(&lab, "cbpl", &yaml);
    let up = compose_ok(&lab, &dir, &p, &["up", "-d"]);
    for image in [&v1, &v2] {
        for what in ["Pulling", "Pulled"] {
            let line = format!(" Image {image}  {what}");
            assert!(up.stderr.contains(&line), "{line:?}:\n{up}");
        }
    }
    assert_eq!(
        containers(&lab, &p),
        [
            (format!("{p}-one-1"), "running".into()),
            (format!("{p}-two-1"), "running".into())
        ]
    );
    let images = lab
        .b()
        .ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    for image in [&v1, &v2] {
        assert!(images.stdout.contains(image.as_str()), "{images}");
    }
    compose_ok(&lab, &dir, &p, &["down", "-t", "0"]);
    lab.assert_clean();
}

/// `web` with an anonymous volume at /data.
const ANON: &str = "services:
  web:
    image: IMAGE
    command: [sleep, \"1000\"]
    environment:
      MODE: one
    network_mode: none
    volumes: [/data]
";

#[test]
fn compose_recreate_keeps_anonymous_volumes_unless_renewed() {
    require!(@containers);
    let lab = Lab::new();
    let (p, dir) = project(&lab, "cbav", ANON);
    let web = format!("{p}-web-1");
    compose_ok(&lab, &dir, &p, &["up", "-d"]);
    lab.b()
        .ok(&["exec", &web, "sh", "-c", "echo kept > /data/f"]);
    let volumes = |lab: &Lab| -> Vec<String> {
        let out = lab
            .b()
            .ok(&["inspect", "-f", "{{range .Mounts}}{{.Name}} {{end}}", &web]);
        out.stdout.split_whitespace().map(String::from).collect()
    };
    let before = volumes(&lab);
    assert_eq!(before.len(), 1, "{before:?}");

    write(&lab, &dir, &ANON.replace("MODE: one", "MODE: two"));
    let up = compose_ok(&lab, &dir, &p, &["up", "-d"]);
    assert!(
        up.stderr.contains(&format!(" Container {web}  Recreated")),
        "{up}"
    );
    assert_eq!(volumes(&lab), before);
    let read = lab.b().ok(&["exec", &web, "cat", "/data/f"]);
    assert_eq!(read.stdout.trim(), "kept");

    // -V: a fresh anonymous volume (the old one stays until removed).
    write(&lab, &dir, &ANON.replace("MODE: one", "MODE: three"));
    compose_ok(&lab, &dir, &p, &["up", "-d", "-V"]);
    let after = volumes(&lab);
    assert_eq!(after.len(), 1, "{after:?}");
    assert_ne!(after, before);
    let read = lab.b().run(&["exec", &web, "cat", "/data/f"]);
    assert_ne!(read.code, 0, "{read}");

    compose_ok(&lab, &dir, &p, &["down", "-v", "-t", "0"]);
    lab.b().ok(&["volume", "rm", &before[0]]);
    let left = lab.b().ok(&["volume", "ls", "-q"]);
    assert!(left.stdout.trim().is_empty(), "{left}");
    lab.assert_clean();
}
