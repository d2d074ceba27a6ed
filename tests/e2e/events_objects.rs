//! Image, network and volume events through the binary (issue 9): `pull`,
//! `tag`, `untag`, `save`, `load`, `import` and `delete` of an image, a
//! container's `commit`; `create`, `connect`,
//! `disconnect` and `destroy` of a network; `create`, `mount` and
//! `destroy` of a volume, each with Docker's `Type`, `Action`, `Actor.ID`
//! and attributes, and the legacy `status`/`id` only on image events.
//! The network case creates a network without a subnet of its own (the
//! default pool's next free /24; no address of it is asserted).

use crate::containers::Lab;
use crate::require;
use serde_json::Value;

/// Every event so far of one type, as JSON objects.
#[track_caller]
fn of_type(lab: &Lab, kind: &str) -> Vec<Value> {
    let until = format!(
        "{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            + 0.001
    );
    let out = lab.b().ok(&[
        "events",
        "--since",
        "0",
        "--until",
        &until,
        "--format",
        "{{json .}}",
        "--filter",
        &format!("type={kind}"),
    ]);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn find<'a>(events: &'a [Value], action: &str, id: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["Action"] == action && e["Actor"]["ID"] == id)
        .unwrap_or_else(|| panic!("no {action} of {id} in {events:#?}"))
}

#[test]
fn image_events_with_dockers_shape() {
    require!(@containers);
    let lab = Lab::new();
    // The lab's image was pulled from its registry.
    let image = lab.image().to_string();
    let (repo, _) = image.rsplit_once(':').unwrap();
    let ev = of_type(&lab, "image");
    let pull = find(&ev, "pull", &image);
    assert_eq!(pull["status"], "pull");
    assert_eq!(pull["id"], image.as_str());
    assert_eq!(pull["Type"], "image");
    assert_eq!(pull["Actor"]["Attributes"]["name"], repo);
    assert_eq!(pull["scope"], "local");
    let id = lab
        .b()
        .ok(&["image", "inspect", "-f", "{{.Id}}", &image])
        .stdout
        .trim()
        .to_string();
    let tag = lab.name("evtag");
    lab.b().ok(&["tag", &image, &format!("{tag}:v1")]);
    lab.b().ok(&["rmi", &format!("{tag}:v1")]);
    let ev = of_type(&lab, "image");
    let t = find(&ev, "tag", &id);
    assert_eq!(t["Actor"]["Attributes"]["name"], format!("{tag}:v1"));
    let u = find(&ev, "untag", &id);
    assert_eq!(u["Actor"]["Attributes"]["name"], id.as_str());
    // save, load, import and commit.
    let tar = lab.b().base().join("img.tar");
    let tar = tar.to_str().unwrap();
    lab.b().ok(&["save", "-o", tar, &image]);
    lab.b().ok(&["load", "-i", tar]);
    let imported = lab.b().ok(&["import", tar]).stdout.trim().to_string();
    let c = lab.name("evcommit");
    lab.create(&["--name", &c, "--network", "none"], &["true"]);
    let committed = lab
        .b()
        .ok(&["commit", "-m", "msg", &c, &format!("{tag}:c")])
        .stdout
        .trim()
        .to_string();
    let ev = of_type(&lab, "image");
    find(&ev, "save", &id);
    find(&ev, "load", &id);
    find(&ev, "import", &imported);
    let ev = of_type(&lab, "container");
    let cm = ev
        .iter()
        .find(|e| e["Action"] == "commit")
        .unwrap_or_else(|| panic!("no commit in {ev:#?}"));
    assert_eq!(cm["Actor"]["Attributes"]["name"], c.as_str());
    assert_eq!(cm["Actor"]["Attributes"]["comment"], "msg");
    assert_eq!(cm["Actor"]["Attributes"]["imageID"], committed.as_str());
    assert_eq!(cm["Actor"]["Attributes"]["imageRef"], format!("{tag}:c"));
    lab.b().ok(&["rm", &c]);
    lab.b().ok(&["rmi", &format!("{tag}:c"), &imported]);
    // Removing the last name deletes the image.
    lab.b().ok(&["rmi", &image]);
    let ev = of_type(&lab, "image");
    find(&ev, "delete", &id);
    lab.remove_all_and_check();
}

#[test]
fn network_and_volume_events_with_dockers_shape() {
    require!(@containers);
    let lab = Lab::new();
    let net = lab.name("evnet");
    let nid = lab
        .b()
        .ok(&["network", "create", &net])
        .stdout
        .trim()
        .to_string();
    let vol = lab.name("evvol");
    lab.b().ok(&["volume", "create", &vol]);
    let c = lab.name("evctr");
    let cid = lab.run_d(
        &[
            "--name",
            &c,
            "--network",
            &net,
            "-v",
            &format!("{vol}:/data:ro"),
        ],
        &["sleep", "100"],
    );
    lab.b().ok(&["rm", "-f", &c]);
    lab.b().ok(&["network", "rm", &net]);
    lab.b().ok(&["volume", "rm", &vol]);
    let ev = of_type(&lab, "network");
    for action in ["create", "connect", "disconnect", "destroy"] {
        let e = find(&ev, action, &nid);
        assert_eq!(e["Type"], "network");
        assert_eq!(e["Actor"]["Attributes"]["name"], net.as_str());
        assert_eq!(e["Actor"]["Attributes"]["type"], "bridge");
        assert!(e.get("status").is_none(), "no legacy fields: {e}");
        if matches!(action, "connect" | "disconnect") {
            assert_eq!(e["Actor"]["Attributes"]["container"], cid.as_str());
        }
    }
    let ev = of_type(&lab, "volume");
    for action in ["create", "mount", "destroy"] {
        let e = find(&ev, action, &vol);
        assert_eq!(e["Actor"]["Attributes"]["driver"], "local");
    }
    let m = find(&ev, "mount", &vol);
    assert_eq!(m["Actor"]["Attributes"]["container"], cid.as_str());
    assert_eq!(m["Actor"]["Attributes"]["destination"], "/data");
    assert_eq!(m["Actor"]["Attributes"]["read/write"], "false");
    lab.remove_all_and_check();
}
