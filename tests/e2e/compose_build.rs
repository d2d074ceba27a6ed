//! `berth compose build` and `down --rmi` through the binary: only the
//! named services with `build:` (their dependencies with
//! `--with-dependencies`), `--build-arg` over the file's args, `-q`,
//! `--dry-run`; built images named `<project>-<service>` unless `image:`
//! names them, labelled with compose's project/service/version labels;
//! `down --rmi local` removes exactly the images compose built.
//!
//! Subnets: 10.247.N.0/24, N the lab's own third octet.

use crate::compose_up::{compose, compose_ok, need, project};
use crate::containers::Lab;

const BUILT: &str = "\
services:
  app:
    build: {context: ./app, args: {WHAT: file}}
    command: [sleep, '1000']
    stop_grace_period: 1s
    depends_on: [base]
  base:
    build: ./app
    command: [sleep, '1000']
    stop_grace_period: 1s
  tagged:
    image: TAGGED
    build: ./app
    profiles: [extra]
  plain:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
networks:
  default:
    ipam:
      config: [{subnet: MYNET}]
";

/// Tagged images (compose leaves the dangling ones a rebuild makes, as
/// its `ImagePruner` says it always has).
fn repos(lab: &Lab) -> Vec<String> {
    let mut v: Vec<String> = lab
        .b()
        .ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .stdout
        .lines()
        .filter(|l| *l != "<none>:<none>")
        .map(String::from)
        .collect();
    v.sort();
    v
}

fn built_value(lab: &Lab, image: &str) -> String {
    lab.b()
        .ok(&["run", "--rm", image, "cat", "/built"])
        .stdout
        .trim()
        .to_string()
}

#[test]
fn compose_build_builds_named_services_and_down_rmi_local_removes_them() {
    need();
    let lab = Lab::new();
    let third = lab.b().subnet.split('.').nth(2).unwrap().to_string();
    let name = crate::support::unique("cbuild").replace('-', "_");
    let tagged = format!("{name}-custom:v1");
    let yaml = BUILT
        .replace("MYNET", &format!("10.247.{third}.0/24"))
        .replace("TAGGED", &tagged);
    let p = project(&lab, "cbuild", &yaml);
    std::fs::create_dir_all(p.dir.join("app")).unwrap();
    std::fs::write(
        p.dir.join("app/Dockerfile"),
        format!(
            "FROM {}\nARG WHAT=default\nRUN echo $WHAT > /built\n",
            lab.image()
        ),
    )
    .unwrap();
    let (app, base) = (format!("{}-app", p.name), format!("{}-base", p.name));
    let before = repos(&lab);

    let bad = compose(&lab, &p, &["build", "nosuch"]);
    assert_eq!(bad.code, 1, "{bad}");
    assert!(bad.stderr.contains("no such service: nosuch"), "{bad}");
    let dry = compose_ok(&lab, &p, &["--dry-run", "build", "app"]);
    assert!(dry.stderr.contains(&format!("Image {app}  Built")), "{dry}");
    assert_eq!(repos(&lab), before, "a dry run builds nothing");

    // Only the named service; what it depends on is not built.
    let out = compose_ok(&lab, &p, &["build", "app"]);
    assert!(
        out.stderr.contains(&format!(" Image {app}  Built")),
        "{out}"
    );
    assert!(!out.stderr.contains(&base), "{out}");
    assert_eq!(built_value(&lab, &app), "file");
    let labels = lab.b().ok(&[
        "image",
        "inspect",
        "--format",
        "{{json .Config.Labels}}",
        &app,
    ]);
    let labels: serde_json::Value = serde_json::from_str(labels.stdout.trim()).unwrap();
    assert_eq!(labels["com.docker.compose.project"], p.name.as_str());
    assert_eq!(labels["com.docker.compose.service"], "app");
    assert!(labels["com.docker.compose.version"].is_string(), "{labels}");

    // --build-arg over the file's args, -q prints nothing on stdout;
    // --with-dependencies builds base too; a profile's service by name.
    let out = compose_ok(
        &lab,
        &p,
        &[
            "build",
            "-q",
            "--no-cache",
            "--build-arg",
            "WHAT=cli",
            "--with-dependencies",
            "app",
        ],
    );
    assert_eq!(out.stdout, "", "{out}");
    assert_eq!(built_value(&lab, &app), "cli");
    // The command line's args go to every service built.
    assert_eq!(built_value(&lab, &base), "cli");
    compose_ok(&lab, &p, &["build", "tagged"]);
    assert_eq!(built_value(&lab, &tagged), "default");

    // up uses the built images; down --rmi local removes what compose
    // built (the tagged one too: it carries the project's labels), never
    // the pulled image.
    let up = compose_ok(&lab, &p, &["up", "-d"]);
    assert!(!up.stderr.contains("Building"), "{up}");
    let down = compose_ok(
        &lab,
        &p,
        &[
            "-f",
            "compose.yaml",
            "--profile",
            "extra",
            "down",
            "--rmi",
            "local",
        ],
    );
    for image in [
        format!("{app}:latest"),
        format!("{base}:latest"),
        tagged.clone(),
    ] {
        assert!(
            down.stderr.contains(&format!("Image {image}  Removed")),
            "{image}:\n{down}"
        );
    }
    assert!(!down.stderr.contains(lab.image()), "{down}");
    assert_eq!(repos(&lab), before);
    lab.assert_clean();
}
