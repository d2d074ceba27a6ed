//! `export`, `import` and `commit` through the binary with the real runc:
//! an exported container imports and runs; a commit of a container that
//! created, changed and deleted files (a deleted directory and a directory
//! replaced whole, which overlay marks opaque, included) gives an image
//! whose containers see exactly those changes, with `--change` applied and
//! berth's runtime mount points left out; `import` from a loopback URL; a
//! hostile tarball writes nothing outside the store.

use crate::containers::Lab;
use crate::require;
use crate::support::fixtures::{self, RawTar};
use crate::support::http::{Canned, FakeServer};
use crate::support::walk_all;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn export_to(lab: &Lab, name: &str, file: &Path) {
    let f = std::fs::File::create(file).unwrap();
    let st = lab
        .b()
        .command(&["export", name])
        .stdout(f)
        .stderr(Stdio::inherit())
        .status()
        .unwrap();
    assert!(st.success(), "export {name} failed");
}

fn tar_names(file: &Path) -> Vec<String> {
    let mut a = tar::Archive::new(std::fs::File::open(file).unwrap());
    a.entries()
        .unwrap()
        .map(|e| String::from_utf8_lossy(&e.unwrap().path_bytes()).into_owned())
        .collect()
}

fn image_id(out: &str) -> String {
    let id = out.trim().to_string();
    assert!(
        id.len() == 71 && id.starts_with("sha256:"),
        "expected an image ID, got {out:?}"
    );
    id
}

fn inspect(lab: &Lab, image: &str) -> Value {
    let out = lab.b().ok(&["image", "inspect", image]);
    serde_json::from_str::<Value>(&out.stdout).unwrap()[0].clone()
}

/// Layer dirs whose `fs` holds `marker` at the top.
fn layers_with(lab: &Lab, marker: &str) -> Vec<PathBuf> {
    let dir = lab.b().snapshots_dir().join("layers");
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path().join("fs"))
        .filter(|p| p.join(marker).exists())
        .collect()
}

#[test]
fn export_import_round_trip() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("exp");
    let out = lab.run(
        &["--name", &n, "-v", "/vol"],
        &[
            "sh",
            "-c",
            "echo hello > /x && echo v > /vol/in-volume && rm /bin/ls",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let tmp = crate::support::temp_dir("export");
    let file = tmp.path().join("c.tar");
    export_to(&lab, &n, &file);
    let names = tar_names(&file);
    assert!(names.contains(&"x".to_string()), "{names:?}");
    assert!(names.contains(&"bin/busybox".to_string()), "{names:?}");
    assert!(
        !names.contains(&"bin/ls".to_string()),
        "deleted file exported"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("vol/") && n.len() > 4),
        "volume content exported: {names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("proc/") && n.len() > 5),
        "runtime mounts exported: {names:?}"
    );
    // `-o` writes the same archive.
    let file2 = tmp.path().join("o.tar");
    lab.b()
        .ok(&["container", "export", "-o", file2.to_str().unwrap(), &n]);
    assert_eq!(tar_names(&file2), names);

    let id = image_id(
        &lab.b()
            .ok(&["import", file.to_str().unwrap(), "imp:1"])
            .stdout,
    );
    let piped = lab
        .b()
        .command(&["image", "import", "-", "imp:2"])
        .stdin(std::fs::File::open(&file).unwrap())
        .output()
        .unwrap();
    assert!(piped.status.success(), "{piped:?}");
    // The same tarball gives the same layer (same DiffID).
    let (a, b) = (inspect(&lab, "imp:1"), inspect(&lab, "imp:2"));
    assert_eq!(a["Id"], id.as_str());
    assert_eq!(a["RootFS"]["Layers"], b["RootFS"]["Layers"]);
    assert_eq!(a["RootFS"]["Layers"].as_array().unwrap().len(), 1);
    let hist = lab
        .b()
        .ok(&["history", "--no-trunc", "--format", "{{.Comment}}", "imp:1"]);
    assert_eq!(hist.stdout.trim(), "Imported from -");

    let out = lab.b().run(&["run", "--rm", "imp:1", "/bin/cat", "/x"]);
    lab.note(&out);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "hello\n");
    lab.remove_all_and_check();
}

#[test]
fn commit_keeps_exactly_the_containers_changes() {
    require!(@containers);
    commit_case(&Lab::new());
}

/// The copy-based snapshotter has no upper dir: its changes come from the
/// comparison with the image's layers.
#[test]
fn commit_with_the_native_snapshotter() {
    require!(@containers);
    let lab = Lab::new();
    let mut cfg = std::fs::read_to_string(&lab.b().config).unwrap();
    cfg.push_str("snapshotter = \"native\"\n");
    std::fs::write(&lab.b().config, cfg).unwrap();
    commit_case(&lab);
}

fn commit_case(lab: &Lab) {
    let n = lab.name("c1");
    let script = "echo new > /new && echo changed >> /etc/passwd && rm /bin/ls && rm -rf /tmp \
                  && mkdir -p /data/sub && echo a > /data/a && echo b > /data/sub/b";
    let out = lab.run(&["--name", &n, "-e", "RUNTIME=1"], &["sh", "-c", script]);
    assert_eq!(out.code, 0, "{out}");
    let out = lab.b().ok(&[
        "commit",
        "-c",
        r#"CMD ["cat", "/new"]"#,
        "-c",
        "ENV FOO=bar",
        "-c",
        "EXPOSE 8080",
        "-c",
        "WORKDIR /data",
        "-c",
        "LABEL stage=one",
        "-m",
        "first commit",
        "-a",
        "Tester <t@example.com>",
        &n,
        "committed:1",
    ]);
    let id = image_id(&out.stdout);
    let img = inspect(lab, "committed:1");
    assert_eq!(img["Id"], id.as_str());
    assert_eq!(img["Config"]["Cmd"], serde_json::json!(["cat", "/new"]));
    let env: Vec<&str> = img["Config"]["Env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        env.contains(&"FOO=bar") && env.contains(&"RUNTIME=1"),
        "{env:?}"
    );
    assert!(
        img["Config"]["ExposedPorts"]["8080/tcp"].is_object(),
        "{img}"
    );
    assert_eq!(img["Config"]["WorkingDir"], "/data");
    assert_eq!(img["Config"]["Labels"]["stage"], "one");
    assert_eq!(img["Author"], "Tester <t@example.com>");
    assert_eq!(img["RootFS"]["Layers"].as_array().unwrap().len(), 2);

    // berth's own mount points are not part of the layer.
    let layer = layers_with(lab, "new");
    assert_eq!(layer.len(), 1, "{layer:?}");
    for p in [
        "etc/hosts",
        "etc/hostname",
        "etc/resolv.conf",
        "proc",
        "sys",
        "dev",
    ] {
        assert!(!layer[0].join(p).exists(), "{p} committed");
    }

    let check = "cat /new && tail -n1 /etc/passwd && test ! -e /bin/ls && test ! -e /tmp \
                 && cat /data/a /data/sub/b && pwd";
    let out = lab
        .b()
        .run(&["run", "--rm", "committed:1", "sh", "-c", check]);
    lab.note(&out);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "new\nchanged\na\nb\n/data\n");
    let out = lab.b().run(&["run", "--rm", "committed:1"]);
    lab.note(&out);
    assert_eq!(out.stdout, "new\n", "{out}");

    // A directory replaced whole (opaque in the upper dir) hides the old
    // content; a running container is paused for the commit and resumed.
    let n2 = lab.name("c2");
    let out = lab.b().run(&[
        "run",
        "-d",
        "--name",
        &n2,
        "committed:1",
        "sh",
        "-c",
        "rm -rf /data && mkdir /data && echo c > /data/c && echo live > /live && sleep 1000",
    ]);
    lab.note(&out);
    assert_eq!(out.code, 0, "{out}");
    crate::support::wait_for(std::time::Duration::from_secs(10), || {
        let o = lab.b().run(&["exec", &n2, "cat", "/live"]);
        (o.code == 0).then_some(())
    })
    .expect("container did not write /live");
    image_id(
        &lab.b()
            .ok(&["container", "commit", &n2, "committed:2"])
            .stdout,
    );
    assert_eq!(lab.state_of(&n2).unwrap().0, "running");
    let out = lab.b().run(&[
        "run",
        "--rm",
        "committed:2",
        "sh",
        "-c",
        "ls -A /data && cat /live",
    ]);
    lab.note(&out);
    assert_eq!(out.stdout, "c\nlive\n", "{out}");
    lab.remove_all_and_check();
}

#[test]
fn change_errors_read_like_docker() {
    require!(@containers);
    let lab = Lab::new();
    let tmp = crate::support::temp_dir("chg");
    let file = tmp.path().join("t.tar");
    let mut t = RawTar::new();
    t.file("f", 0o644, b"x");
    std::fs::write(&file, t.layer().tar).unwrap();
    let out = lab
        .b()
        .code(&["import", "-c", "RUN echo", file.to_str().unwrap()], 1);
    assert!(
        out.stderr.contains("run is not a valid change command"),
        "{out}"
    );
    assert!(lab.b().image_ids().len() == 1, "an image was recorded");
    let out = lab.b().code(&["commit", "nosuchcontainer"], 1);
    assert!(out.stderr.contains("No such container"), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn import_from_a_loopback_url() {
    require!(@containers);
    let lab = Lab::new();
    let mut t = RawTar::new();
    t.dir("etc/", 0o755)
        .file("etc/served", 0o644, b"over http\n");
    let tar = t.layer().tar;
    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&tar).unwrap();
        e.finish().unwrap()
    };
    let server = FakeServer::start(move |_, path| match path {
        "/rootfs.tar.gz" => Canned {
            status: 200,
            headers: vec![],
            body: gz.clone(),
            fill: None,
            no_length: false,
        },
        _ => Canned::json(404, "{}"),
    });
    let url = format!("http://{}/rootfs.tar.gz", server.host());
    let id = image_id(
        &lab.b()
            .ok(&["import", "-m", "from the web", &url, "web:1"])
            .stdout,
    );
    let img = inspect(&lab, "web:1");
    assert_eq!(img["Id"], id.as_str());
    // The DiffID is the digest of the decompressed tar.
    assert_eq!(
        img["RootFS"]["Layers"][0],
        crate::support::sha256(&tar).as_str()
    );
    let hist = lab
        .b()
        .ok(&["history", "--format", "{{.Comment}}", "web:1"]);
    assert_eq!(hist.stdout.trim(), "from the web");
    let missing = format!("http://{}/nope.tar", server.host());
    let out = lab.b().code(&["import", &missing], 1);
    assert!(out.stderr.contains("404"), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn hostile_import_tarball_stays_inside() {
    require!(@containers);
    let lab = Lab::new();
    let s = fixtures::sentinel_dir();
    let s = s.to_str().unwrap();
    let up = "../".repeat(24);
    let s_rel = s.trim_start_matches('/');
    let tmp = crate::support::temp_dir("hostile");
    let cases: Vec<(&str, RawTar)> = vec![
        ("dotdot", {
            let mut t = RawTar::new();
            t.file(&format!("{up}{s_rel}/escape-import-dotdot"), 0o644, b"x")
                .file("../escape-import-1", 0o644, b"x");
            t
        }),
        ("abs", {
            let mut t = RawTar::new();
            t.file(&format!("{s}/escape-import-abs"), 0o644, b"x");
            t
        }),
        ("symlink", {
            let mut t = RawTar::new();
            t.symlink("evil-link", s)
                .file("evil-link/escape-import-symlink", 0o644, b"x")
                .symlink("evil-passwd", &format!("{s}/passwd"))
                .file("evil-passwd", 0o644, b"overwritten\n");
            t
        }),
        ("hardlink", {
            let mut t = RawTar::new();
            t.hardlink("evil-hl", &format!("{s}/passwd"))
                .hardlink("evil-hl-rel", &format!("{up}{s_rel}/passwd"));
            t
        }),
    ];
    for (name, t) in cases {
        let file = tmp.path().join(format!("{name}.tar"));
        std::fs::write(&file, t.layer().tar).unwrap();
        let out = lab
            .b()
            .run(&["import", file.to_str().unwrap(), &format!("evil:{name}")]);
        assert!(out.code == 0 || out.code == 1, "berth crashed:\n{out}");
        if out.code != 0 {
            assert!(out.stderr.contains("berth: "), "{out}");
        }
        fixtures::check_sentinel();
        for p in walk_all(lab.b().base()) {
            let n = p.file_name().unwrap().to_string_lossy();
            if n.starts_with("escape-import") {
                assert!(
                    p.starts_with(lab.b().snapshots_dir().join("layers")),
                    "{} written outside a layer snapshot\n{out}",
                    p.display()
                );
            }
        }
    }
    lab.remove_all_and_check();
}
