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

/// Every event so far matching `filters`, as JSON objects.
#[track_caller]
fn events_json(lab: &Lab, filters: &[&str]) -> Vec<Value> {
    let mut args = vec!["--format", "{{json .}}"];
    args.extend_from_slice(filters);
    lab.events_so_far(&args)
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Every event so far of one type.
#[track_caller]
fn of_type(lab: &Lab, kind: &str) -> Vec<Value> {
    events_json(lab, &["--filter", &format!("type={kind}")])
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

#[test]
fn volume_unmount_follows_each_run_even_without_a_cli() {
    require!(@containers);
    let lab = Lab::new();
    let vol = lab.name("evunm");
    let c = lab.name("evunmctr");
    // Two runs (one restart), each ending on its own: only the shim sees
    // the exits.
    let cid = lab.run_d(
        &[
            "--name",
            &c,
            "--network",
            "none",
            "--restart",
            "on-failure:1",
            "-v",
            &format!("{vol}:/data"),
        ],
        &["sh", "-c", "exit 3"],
    );
    lab.wait_state(&c, "exited", std::time::Duration::from_secs(60));
    // The shim records the last run's events before it publishes the exit.
    let ev = events_json(&lab, &[]);
    let seq: Vec<String> = ev
        .iter()
        .filter(|e| {
            (e["Type"] == "volume" && e["Actor"]["ID"] == vol.as_str() && e["Action"] != "create")
                || (e["Type"] == "container"
                    && e["Actor"]["ID"] == cid.as_str()
                    && matches!(e["Action"].as_str(), Some("start" | "die")))
        })
        .map(|e| {
            format!(
                "{} {}",
                e["Type"].as_str().unwrap(),
                e["Action"].as_str().unwrap()
            )
        })
        .collect();
    let run = [
        "volume mount",
        "container start",
        "volume unmount",
        "container die",
    ];
    let want: Vec<String> = run
        .iter()
        .chain(run.iter())
        .map(|s| s.to_string())
        .collect();
    assert_eq!(seq, want, "in {ev:#?}");
    for e in ev
        .iter()
        .filter(|e| e["Type"] == "volume" && e["Actor"]["ID"] == vol.as_str())
    {
        assert_eq!(e["Actor"]["Attributes"]["driver"], "local", "{e}");
        if e["Action"] == "create" {
            continue;
        }
        assert_eq!(e["Actor"]["Attributes"]["container"], cid.as_str(), "{e}");
        if e["Action"] == "unmount" {
            let keys: Vec<&String> = e["Actor"]["Attributes"]
                .as_object()
                .unwrap()
                .keys()
                .collect();
            assert_eq!(
                keys,
                ["container", "driver"],
                "moby's unmount attributes: {e}"
            );
        } else {
            assert_eq!(e["Actor"]["Attributes"]["destination"], "/data");
            assert_eq!(e["Actor"]["Attributes"]["read/write"], "true");
        }
    }
    lab.b().ok(&["rm", &c]);
    lab.b().ok(&["volume", "rm", &vol]);
    lab.remove_all_and_check();
}

#[test]
fn image_events_carry_the_images_labels() {
    require!(@containers);
    let lab = Lab::new();
    let tar = lab.b().base().join("rootfs.tar");
    let tar = tar.to_str().unwrap();
    let src = lab.name("evlsrc");
    lab.create(&["--name", &src, "--network", "none"], &["true"]);
    lab.b().ok(&["export", "-o", tar, &src]);
    lab.b().ok(&["rm", &src]);
    let repo = lab.name("evlabels");
    let named = format!("{repo}:v1");
    let id = lab
        .b()
        .ok(&["import", "--change", "LABEL evlabel=yes", tar, &named])
        .stdout
        .trim()
        .to_string();
    let tagged = format!("{repo}:v2");
    lab.b().ok(&["tag", &named, &tagged]);
    let saved = lab.b().base().join("img.tar");
    let saved = saved.to_str().unwrap();
    lab.b().ok(&["save", "-o", saved, &named]);
    lab.b().ok(&["load", "-i", saved]);
    lab.b().ok(&["rmi", &named, &tagged]);
    let ev = of_type(&lab, "image");
    let mine: Vec<&Value> = ev
        .iter()
        .filter(|e| e["Actor"]["ID"] == id.as_str())
        .collect();
    for action in ["import", "tag", "save", "load", "untag", "delete"] {
        let e = mine
            .iter()
            .find(|e| e["Action"] == action)
            .unwrap_or_else(|| panic!("no {action} of {id} in {mine:#?}"));
        let label = &e["Actor"]["Attributes"]["evlabel"];
        if action == "delete" {
            // moby's image is gone when it records delete: no labels.
            assert!(label.is_null(), "{e}");
        } else {
            assert_eq!(label, "yes", "{e}");
        }
    }
    // import with a name records tag (moby's TagImage) before import.
    let pos = |a: &str, n: &str| {
        mine.iter()
            .position(|e| e["Action"] == a && e["Actor"]["Attributes"]["name"] == n)
    };
    let tag_v1 = pos("tag", &named).unwrap_or_else(|| panic!("no tag {named} in {mine:#?}"));
    assert!(tag_v1 < pos("import", &id).unwrap(), "{mine:#?}");
    assert!(pos("tag", &tagged).is_some(), "{mine:#?}");
    lab.remove_all_and_check();
}
