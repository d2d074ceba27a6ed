//! What `compose up` recreates, as docker compose v2's convergence
//! decides it: the services named on the command line follow
//! `--force-recreate`, the dependencies they bring only when they
//! diverged (`Running` otherwise), or always with
//! `--always-recreate-deps`; `--no-recreate` conflicts with both in
//! compose's words. A changed image is named by both short ids. `up
//! --no-deps` finds the container of a `service:x` left out by its name.
//!
//! Networks: every service uses `network_mode: none`, so no test here
//! needs a subnet.

use crate::compose_up::{compose, compose_ok, containers, inspect, need, project, write};
use crate::containers::Lab;

const CHAIN: &str = "
services:
  db:
    image: IMAGE
    network_mode: none
    command: [sleep, '1000']
    stop_grace_period: 1s
  app:
    image: IMAGE
    network_mode: none
    depends_on: [db]
    command: [sleep, '1000']
    stop_grace_period: 1s
";

fn id(lab: &Lab, name: &str) -> String {
    inspect(lab, name)["Id"].as_str().unwrap().to_string()
}

#[test]
fn compose_force_recreate_spares_unchanged_dependencies_unless_asked() {
    need();
    let lab = Lab::new();
    let p = project(&lab, "crecr", CHAIN);
    let (db, app) = (format!("{}-db-1", p.name), format!("{}-app-1", p.name));
    let line = |name: &str, what: &str| format!(" Container {name}  {what}");
    compose_ok(&lab, &p, &["up", "-d"]);
    let (db0, app0) = (id(&lab, &db), id(&lab, &app));

    // The named service is recreated, its unchanged dependency runs on.
    let out = compose_ok(&lab, &p, &["up", "-d", "--force-recreate", "app"]);
    assert!(out.stderr.contains(&line(&db, "Running")), "{out}");
    assert!(
        out.stderr
            .contains(&line(&app, "Recreate (--force-recreate)")),
        "{out}"
    );
    assert_eq!(id(&lab, &db), db0);
    let app1 = id(&lab, &app);
    assert_ne!(app1, app0);

    // --always-recreate-deps recreates the dependency too; the named
    // service, unchanged, is not.
    let out = compose_ok(&lab, &p, &["up", "-d", "--always-recreate-deps", "app"]);
    assert!(
        out.stderr
            .contains(&line(&db, "Recreate (--force-recreate)")),
        "{out}"
    );
    assert!(out.stderr.contains(&line(&app, "Running")), "{out}");
    assert_ne!(id(&lab, &db), db0);
    assert_eq!(id(&lab, &app), app1);

    // Without a service named, every service is named.
    let db1 = id(&lab, &db);
    compose_ok(&lab, &p, &["up", "-d", "--force-recreate"]);
    assert_ne!(id(&lab, &db), db1);
    assert_ne!(id(&lab, &app), app1);

    // compose's conflicts, before anything changes.
    let before = containers(&lab, &p);
    for (flags, error) in [
        (
            &["--no-recreate", "--always-recreate-deps"][..],
            "--always-recreate-deps and --no-recreate are incompatible",
        ),
        (
            &["--no-recreate", "--force-recreate"][..],
            "--force-recreate and --no-recreate are incompatible",
        ),
        (
            &["--no-recreate", "-V"][..],
            "--no-recreate and --renew-anon-volumes are incompatible",
        ),
    ] {
        let mut args = vec!["up", "-d"];
        args.extend_from_slice(flags);
        let out = compose(&lab, &p, &args);
        assert_eq!(out.code, 1, "{out}");
        assert!(out.stderr.contains(error), "{error}:\n{out}");
    }
    let out = compose(&lab, &p, &["create", "--no-recreate", "--force-recreate"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("--force-recreate and --no-recreate are incompatible"),
        "{out}"
    );
    assert_eq!(containers(&lab, &p), before);
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}

/// A service whose tag now names another image is recreated, and the
/// reason gives both images as short ids.
#[test]
fn compose_recreate_for_a_new_image_names_both_short_ids() {
    need();
    let lab = Lab::new();
    let tag = format!("{}:v1", crate::support::unique("crimg"));
    lab.b().ok(&["tag", lab.image(), &tag]);
    let p = project(&lab, "crimg", CHAIN);
    write(&lab, &p, &CHAIN.replace("IMAGE", &tag));
    compose_ok(&lab, &p, &["up", "-d", "db"]);
    let db = format!("{}-db-1", p.name);
    let short = |image: &str| {
        let out = lab.b().ok(&["image", "inspect", "-f", "{{.Id}}", image]);
        out.stdout.trim().trim_start_matches("sha256:")[..12].to_string()
    };
    let old = short(&tag);
    // A new image under the same tag: the container's changes committed.
    lab.b().ok(&["exec", &db, "touch", "/marker"]);
    lab.b().ok(&["commit", &db, &tag]);
    let new = short(&tag);
    assert_ne!(old, new);
    let out = compose_ok(&lab, &p, &["up", "-d", "db"]);
    let want = format!(" Container {db}  Recreate (image changed ({old} -> {new}))");
    assert!(out.stderr.contains(&want), "{want:?}:\n{out}");
    compose_ok(&lab, &p, &["down", "--rmi", "all"]);
    lab.b().run(&["rmi", &tag]);
    lab.assert_clean();
}

/// `up --no-deps SVC` whose `network_mode: service:x`, `pid: service:x`
/// and `volumes_from: [x]` name a service left out of the selection:
/// they join x's running container, found under the `container_name` it
/// was given (not `<project>-x-1`).
#[test]
fn compose_no_deps_joins_a_named_container_of_the_service_left_out() {
    need();
    let lab = Lab::new();
    let x = crate::support::unique("crnd-x");
    let yaml = format!(
        "
services:
  x:
    image: IMAGE
    container_name: {x}
    network_mode: none
    command: [sleep, '1000']
    volumes: [/shared]
    stop_grace_period: 1s
  y:
    image: IMAGE
    network_mode: service:x
    pid: service:x
    volumes_from: [x]
    command: [sleep, '1000']
    stop_grace_period: 1s
"
    );
    let p = project(&lab, "crnd", &yaml);
    compose_ok(&lab, &p, &["up", "-d"]);
    let y = format!("{}-y-1", p.name);
    let out = compose_ok(
        &lab,
        &p,
        &["up", "-d", "--no-deps", "--force-recreate", "y"],
    );
    assert!(
        out.stderr
            .contains(&format!(" Container {y}  Recreate (--force-recreate)")),
        "{out}"
    );
    let x_id = id(&lab, &x);
    let v = inspect(&lab, &y);
    assert_eq!(v["State"]["Status"], "running", "{v}");
    for mode in ["NetworkMode", "PidMode"] {
        let m = v["HostConfig"][mode].as_str().unwrap();
        assert!(
            m == format!("container:{x}") || m == format!("container:{x_id}"),
            "{mode} {m}"
        );
    }
    assert!(
        v["HostConfig"]["VolumesFrom"].to_string().contains(&x),
        "{v}"
    );
    compose_ok(&lab, &p, &["down"]);
    lab.assert_clean();
}
