//! `berth save` and `berth load`: the archive's shape (Docker archive and OCI
//! layout in one tar, as Docker 25+ writes), round trips that keep every
//! digest, compressed input, interop with podman and skopeo in both
//! directions, and hostile archives that must be refused with nothing
//! recorded, nothing written outside the store and no temp files left.

use crate::require;
use crate::support::fixtures::{self, Fixture, RawTar};
use crate::support::podman::Podman;
use crate::support::require::Need;
use crate::support::{hex_of, serve, sha256, skopeo, Berth, Out, Served};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A registry serving `fx` and a berth that pulled it.
fn pulled(fx: &Fixture) -> Served {
    let s = serve(fx);
    s.berth.ok(&["pull", "-q", &s.image]);
    s
}

/// `berth save -o <base>/<file> args...`, returning the path.
#[track_caller]
fn save(b: &Berth, file: &str, args: &[&str]) -> PathBuf {
    let out = b.base().join(file);
    let mut a = vec!["save", "-o", out.to_str().unwrap()];
    a.extend_from_slice(args);
    b.ok(&a);
    out
}

/// Run berth with `data` on stdin.
fn run_bytes(b: &Berth, args: &[&str], data: &[u8]) -> Out {
    let mut child = b
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = data.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Out::of(args, &o)
}

/// The entries of a tar: name → content (directories with empty content).
fn entries(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = tar::Archive::new(data);
    let mut out = Vec::new();
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let mut buf = Vec::new();
        e.read_to_end(&mut buf).unwrap();
        out.push((name, buf));
    }
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Read a blob of a fixture's OCI layout.
fn layout_blob(fx: &Fixture, digest: &str) -> Vec<u8> {
    std::fs::read(fx.layout.join("blobs/sha256").join(hex_of(digest))).unwrap()
}

/// A berth that was asked to load something hostile must hold no image, no
/// spool dir, no partial ingest, and the sentinel dir must be untouched.
#[track_caller]
fn assert_nothing_loaded(b: &Berth, out: &Out) {
    assert_eq!(out.code, 1, "expected failure:\n{out}");
    assert!(out.stderr.contains("invalid archive"), "{out}");
    assert!(b.image_ids().is_empty(), "an image was recorded:\n{out}");
    let tmp = b.base().join("data/tmp");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        left.is_empty(),
        "spool left behind in {}: {left:?}",
        tmp.display()
    );
    let ingest = b.base().join("data/content/ingest");
    let data: Vec<_> = std::fs::read_dir(&ingest)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".data"))
        .map(|e| e.file_name())
        .collect();
    assert!(data.is_empty(), "partial ingest left: {data:?}");
    b.committed_blobs();
    fixtures::check_sentinel();
}

#[test]
fn save_writes_one_tar_that_is_a_docker_archive_and_an_oci_layout() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::multilayer();
    let s = pulled(fx);
    let img = fx.image();
    let path = save(&s.berth, "a.tar", &[&s.image]);
    let data = std::fs::read(&path).unwrap();
    let ents = entries(&data);
    let names: Vec<&str> = ents.iter().map(|(n, _)| n.as_str()).collect();
    let mut blobs: Vec<String> = img
        .layer_digests
        .iter()
        .chain([&img.config_digest, &img.manifest_digest])
        .map(|d| format!("blobs/sha256/{}", hex_of(d)))
        .collect();
    blobs.sort();
    blobs.dedup();
    let mut want = vec!["blobs/", "blobs/sha256/"];
    want.extend(blobs.iter().map(|s| s.as_str()));
    want.extend(["index.json", "manifest.json", "oci-layout", "repositories"]);
    assert_eq!(names, want);
    let files: BTreeMap<&str, &Vec<u8>> = ents.iter().map(|(n, d)| (n.as_str(), d)).collect();
    for b in &blobs {
        assert_eq!(
            sha256(files[b.as_str()]),
            format!("sha256:{}", &b["blobs/sha256/".len()..]),
            "{b} changed"
        );
    }
    let manifest: serde_json::Value = serde_json::from_slice(files["manifest.json"]).unwrap();
    let layers: Vec<String> = img
        .layer_digests
        .iter()
        .map(|d| format!("blobs/sha256/{}", hex_of(d)))
        .collect();
    assert_eq!(
        manifest,
        serde_json::json!([{
            "Config": format!("blobs/sha256/{}", hex_of(&img.config_digest)),
            "RepoTags": [s.image],
            "Layers": layers,
        }])
    );
    let index: serde_json::Value = serde_json::from_slice(files["index.json"]).unwrap();
    let m = &index["manifests"][0];
    assert_eq!(index["manifests"].as_array().unwrap().len(), 1);
    assert_eq!(m["digest"], img.manifest_digest);
    assert_eq!(m["annotations"]["io.containerd.image.name"], s.image);
    assert_eq!(m["annotations"]["org.opencontainers.image.ref.name"], "v1");
    assert_eq!(
        files["oci-layout"].as_slice(),
        b"{\"imageLayoutVersion\": \"1.0.0\"}"
    );
    let repos: serde_json::Value = serde_json::from_slice(files["repositories"]).unwrap();
    assert_eq!(
        repos[&s.name]["v1"],
        hex_of(img.layer_digests.last().unwrap())
    );
    // Deterministic, and the same bytes on stdout.
    let again = std::fs::read(save(&s.berth, "b.tar", &[&s.image])).unwrap();
    assert!(again == data, "two saves of one image differ");
    let o = s.berth.command(&["save", &s.image]).output().unwrap();
    assert!(o.status.success());
    assert!(o.stdout == data, "save to stdout differs from -o");
    // No temp file next to the output.
    let stray: Vec<_> = std::fs::read_dir(s.berth.base())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".berth_temp"))
        .collect();
    assert!(stray.is_empty());
}

#[test]
fn save_load_round_trip_keeps_every_digest() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::multilayer();
    let s = pulled(fx);
    let img = fx.image();
    let first = std::fs::read(save(&s.berth, "a.tar", &[&s.image])).unwrap();
    let zstd = zstd::encode_all(&first[..], 3).unwrap();
    for (how, data) in [
        ("plain", first.clone()),
        ("gzip", gzip(&first)),
        ("zstd", zstd),
    ] {
        let b = Berth::new();
        let out = run_bytes(&b, &["load"], &data);
        assert_eq!(out.code, 0, "{how}: {out}");
        assert_eq!(out.stdout, format!("Loaded image: {}\n", s.image), "{how}");
        let v = b.inspect(&s.image);
        assert_eq!(v["Id"], img.config_digest, "{how}");
        let diff_ids: Vec<String> = serde_json::from_value(v["RootFS"]["Layers"].clone()).unwrap();
        assert_eq!(diff_ids, img.diff_ids);
        for d in img.layer_digests.iter().chain([&img.manifest_digest]) {
            assert!(b.committed_blobs().contains(d), "{how}: blob {d} missing");
        }
        let second = std::fs::read(save(&b, "again.tar", &[&s.image])).unwrap();
        assert!(second == first, "{how}: save after load differs");
    }
    // -i and -q print the same lines; loading twice is fine.
    let b = Berth::new();
    let p = s.berth.base().join("a.tar");
    let out = b.ok(&["image", "load", "-q", "-i", p.to_str().unwrap()]);
    assert_eq!(out.stdout, format!("Loaded image: {}\n", s.image));
    b.ok(&["load", "-i", p.to_str().unwrap()]);
    assert_eq!(b.image_ids(), std::slice::from_ref(&img.config_digest));
}

#[test]
fn save_names_tags_and_ids_as_docker_does() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = pulled(fx);
    let id = fx.image().config_digest.clone();
    s.berth.ok(&["tag", &s.image, "local/app:1"]);
    s.berth.ok(&["tag", &s.image, "local/app:2"]);
    // A bare name saves every tag of the repository.
    let data = std::fs::read(save(&s.berth, "all.tar", &["local/app"])).unwrap();
    let ents = entries(&data);
    let manifest: serde_json::Value =
        serde_json::from_slice(&ents.iter().find(|e| e.0 == "manifest.json").unwrap().1).unwrap();
    assert_eq!(
        manifest[0]["RepoTags"],
        serde_json::json!(["local/app:1", "local/app:2"])
    );
    let index: serde_json::Value =
        serde_json::from_slice(&ents.iter().find(|e| e.0 == "index.json").unwrap().1).unwrap();
    assert_eq!(index["manifests"].as_array().unwrap().len(), 2);
    let b = Berth::new();
    let out = run_bytes(&b, &["load"], &data);
    assert_eq!(
        out.stdout, "Loaded image: local/app:1\nLoaded image: local/app:2\n",
        "{out}"
    );
    // By ID: no name, loaded by ID.
    let by_id = std::fs::read(save(&s.berth, "id.tar", &[fx.image().short_id()])).unwrap();
    let ents = entries(&by_id);
    let manifest: serde_json::Value =
        serde_json::from_slice(&ents.iter().find(|e| e.0 == "manifest.json").unwrap().1).unwrap();
    assert_eq!(manifest[0]["RepoTags"], serde_json::Value::Null);
    assert!(!ents.iter().any(|e| e.0 == "repositories"));
    let b = Berth::new();
    let out = run_bytes(&b, &["load"], &by_id);
    assert_eq!(out.stdout, format!("Loaded image ID: {id}\n"), "{out}");
    // A tag that moves is reported as Docker reports it.
    let other = Berth::new();
    let out = run_bytes(&other, &["load"], &data);
    assert_eq!(out.code, 0, "{out}");
    // Errors.
    let out = s.berth.code(&["save", "-o", "x.tar", "nosuch:1"], 1);
    assert!(out.stderr.contains("No such image: nosuch:1"), "{out}");
    let out = s
        .berth
        .code(&["save", "-o", "/nonexistent/dir/x.tar", &s.image], 1);
    assert!(out.stderr.contains("does not exist"), "{out}");
    let other_arch = format!("linux/{}", fixtures::other_arch());
    let out = s.berth.code(
        &["save", "--platform", &other_arch, "-o", "p.tar", &s.image],
        1,
    );
    assert!(
        out.stderr.contains("does not match the specified platform"),
        "{out}"
    );
    let host = format!("linux/{}", fixtures::host_arch());
    s.berth
        .ok(&["save", "--platform", &host, "-o", "p.tar", &s.image]);
    assert!(!s.berth.base().join("x.tar").exists());
    let out = s.berth.code(&["load", "--platform", "linux/amd64"], 125);
    assert!(out.stderr.contains("--platform"), "{out}");
}

/// Run berth on a pseudo-terminal (python3's pty) and return its output.
fn on_tty(b: &Berth, args: &[&str]) -> (i32, String) {
    let cmd = b.command(args);
    let mut py = std::process::Command::new("python3");
    py.arg("-c")
        .arg("import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .current_dir(b.base())
        .stdin(Stdio::null());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => py.env(k, v),
            None => py.env_remove(k),
        };
    }
    let o = py.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn save_refuses_a_terminal_and_load_an_empty_stdin() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled(fixtures::busybox());
    let (code, out) = on_tty(&s.berth, &["save", &s.image]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("cowardly refusing to save to a terminal. Use the -o flag or redirect"),
        "{out}"
    );
    let (code, out) = on_tty(&s.berth, &["load"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("requested load from stdin, but stdin is empty"),
        "{out}"
    );
    // On a terminal, load draws a bar per layer; -q leaves only the result.
    let path = save(&s.berth, "a.tar", &[&s.image]);
    let b = Berth::new();
    let (code, out) = on_tty(&b, &["load", "-i", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Loading layer"), "{out}");
    assert!(out.contains(&format!("Loaded image: {}", s.image)), "{out}");
    let b = Berth::new();
    let (code, out) = on_tty(&b, &["load", "-q", "-i", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim(), format!("Loaded image: {}", s.image));
}

#[test]
fn podman_and_skopeo_read_what_berth_saves() {
    require!(
        Need::Root,
        Need::Busybox,
        Need::Skopeo,
        Need::Registry,
        Need::Podman
    );
    let fx = fixtures::multilayer();
    let s = pulled(fx);
    let img = fx.image();
    let path = save(&s.berth, "a.tar", &[&s.image]);
    let p = path.to_str().unwrap();
    let cfg = skopeo::ok(&["inspect", "--config", &format!("docker-archive:{p}")]);
    let cfg: serde_json::Value = serde_json::from_str(&cfg).unwrap();
    assert_eq!(cfg["rootfs"]["diff_ids"], serde_json::json!(img.diff_ids));
    let raw = skopeo::ok(&["inspect", "--raw", &format!("oci-archive:{p}:v1")]);
    assert_eq!(
        sha256(raw.as_bytes()),
        img.manifest_digest,
        "oci-archive: manifest changed"
    );
    let cfg = skopeo::ok(&["inspect", "--config", &format!("oci-archive:{p}:v1")]);
    let cfg: serde_json::Value = serde_json::from_str(&cfg).unwrap();
    assert_eq!(cfg["rootfs"]["diff_ids"], serde_json::json!(img.diff_ids));
    let pm = Podman::new();
    let out = pm.load(&path);
    assert!(out.contains(&s.image), "podman load: {out}");
    let v = pm.inspect(&s.image);
    assert_eq!(v["Id"], hex_of(&img.config_digest));
}

#[test]
fn berth_loads_and_runs_what_podman_and_skopeo_save() {
    require!(@containers);
    require!(Need::Podman);
    let fx = fixtures::busybox();
    let img = fx.image();
    let layout = format!("oci:{}:{}", fx.layout.display(), fx.tag);
    let pm = Podman::new();
    let skopeo_tar = pm.path("skopeo.tar");
    skopeo::ok(&[
        "copy",
        "--quiet",
        &layout,
        &format!(
            "docker-archive:{}:localhost/from-skopeo:1",
            skopeo_tar.display()
        ),
    ]);
    pm.ok(&["pull", "-q", &layout]);
    pm.ok(&[
        "tag",
        &hex_of(&img.config_digest)[..12],
        "localhost/from-podman:1",
    ]);
    let docker_tar = pm.path("podman-docker.tar");
    let oci_tar = pm.path("podman-oci.tar");
    pm.ok(&[
        "save",
        "-q",
        "--format",
        "docker-archive",
        "-o",
        docker_tar.to_str().unwrap(),
        "localhost/from-podman:1",
    ]);
    pm.ok(&[
        "save",
        "-q",
        "--format",
        "oci-archive",
        "-o",
        oci_tar.to_str().unwrap(),
        "localhost/from-podman:1",
    ]);
    let cases: [(&Path, &str); 3] = [
        (&skopeo_tar, "localhost/from-skopeo:1"),
        (&docker_tar, "localhost/from-podman:1"),
        (&oci_tar, "localhost/from-podman:1"),
    ];
    for (tar, name) in cases {
        let b = Berth::new();
        let out = b.ok(&["load", "-i", tar.to_str().unwrap()]);
        assert!(
            out.stdout.contains(&format!("Loaded image: {name}")),
            "{}: {out}",
            tar.display()
        );
        let v = b.inspect(name);
        assert_eq!(v["Id"], img.config_digest, "{}", tar.display());
        let run = b.ok(&["run", "--rm", "--network", "none", name, "echo", "loaded"]);
        assert_eq!(run.stdout.trim(), "loaded");
    }
}

/// Docker's pre-25 layout: `<id>/layer.tar` (plain tars, one a symlink),
/// `<config>.json`, `repositories`; plus an OCI half whose manifest names
/// the compressed blobs, which the archive does not hold. The DiffIDs decide.
#[test]
fn loads_the_old_docker_layout_with_plain_layers() {
    require!(Need::Root, Need::Busybox);
    let fx = fixtures::multilayer();
    let img = fx.image();
    let config = layout_blob(fx, &img.config_digest);
    let manifest = layout_blob(fx, &img.manifest_digest);
    let mut t = RawTar::new();
    let mut layers = Vec::new();
    for (i, d) in img.layer_digests.iter().enumerate() {
        let plain = gunzip(&layout_blob(fx, d));
        let id = hex_of(&sha256(format!("v1-{i}").as_bytes())).to_string();
        t.dir(&format!("{id}/"), 0o755)
            .file(&format!("{id}/VERSION"), 0o644, b"1.0")
            .file(&format!("{id}/json"), 0o644, b"{}");
        if i == 1 {
            t.file(&format!("shared/{i}.tar"), 0o644, &plain);
            t.symlink(&format!("{id}/layer.tar"), &format!("../shared/{i}.tar"));
        } else {
            t.file(&format!("{id}/layer.tar"), 0o644, &plain);
        }
        layers.push(format!("{id}/layer.tar"));
    }
    let cfg_name = format!("{}.json", hex_of(&img.config_digest));
    t.file(&cfg_name, 0o644, &config);
    t.file(
        &format!("blobs/sha256/{}", hex_of(&img.manifest_digest)),
        0o644,
        &manifest,
    );
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": fixtures::MT_OCI_MANIFEST, "digest": img.manifest_digest,
        "size": manifest.len(), "annotations": {"io.containerd.image.name": "docker.io/old/layout:1"}}]});
    t.file("index.json", 0o644, index.to_string().as_bytes());
    t.file("oci-layout", 0o644, b"{\"imageLayoutVersion\": \"1.0.0\"}");
    let items =
        serde_json::json!([{"Config": cfg_name, "RepoTags": ["old/layout:1"], "Layers": layers}]);
    t.file("manifest.json", 0o644, items.to_string().as_bytes());
    t.file("repositories", 0o644, b"{}");
    let data = t.layer().tar;
    let b = Berth::new();
    let out = run_bytes(&b, &["load"], &data);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "Loaded image: old/layout:1\n");
    let v = b.inspect("old/layout:1");
    assert_eq!(v["Id"], img.config_digest);
    let diff_ids: Vec<String> = serde_json::from_value(v["RootFS"]["Layers"].clone()).unwrap();
    assert_eq!(diff_ids, img.diff_ids);
    // A layer whose bytes do not match its DiffID is refused.
    let mut bad = RawTar::new();
    let plain = gunzip(&layout_blob(fx, &img.layer_digests[0]));
    let mut evil = plain.clone();
    let n = evil.len() / 2;
    evil[n] ^= 0x55;
    bad.file("l0.tar", 0o644, &evil);
    bad.file("c.json", 0o644, &config);
    let items =
        serde_json::json!([{"Config": "c.json", "RepoTags": ["old/bad:1"], "Layers": ["l0.tar"]}]);
    bad.file("manifest.json", 0o644, items.to_string().as_bytes());
    let b = Berth::new();
    let out = run_bytes(&b, &["load"], &bad.layer().tar);
    assert_eq!(out.code, 1, "{out}");
    assert!(b.image_ids().is_empty());
}

/// An archive built by hand from a saved one: every entry but those
/// `skip` names, then `extra` appended.
fn rebuilt(saved: &[u8], skip: &dyn Fn(&str) -> bool, extra: impl FnOnce(&mut RawTar)) -> Vec<u8> {
    let mut t = RawTar::new();
    extra(&mut t);
    for (name, data) in entries(saved) {
        if skip(&name) {
            continue;
        }
        if name.ends_with('/') {
            t.dir(&name, 0o755);
        } else {
            t.file(&name, 0o644, &data);
        }
    }
    t.layer().tar
}

#[test]
fn hostile_archives_are_refused_and_leave_nothing() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = pulled(fx);
    let img = fx.image();
    let saved = std::fs::read(save(&s.berth, "a.tar", &[&s.image])).unwrap();
    let sentinel = fixtures::sentinel_dir();
    let sentinel = sentinel
        .to_str()
        .unwrap()
        .trim_start_matches('/')
        .to_string();
    let up = "../".repeat(24);
    let layer = format!("blobs/sha256/{}", hex_of(&img.layer_digests[0]));
    let none = |_: &str| false;
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "dotdot",
            rebuilt(&saved, &none, |t| {
                t.file(&format!("{up}{sentinel}/escape-dotdot"), 0o644, b"x");
            }),
        ),
        (
            "absolute",
            rebuilt(&saved, &none, |t| {
                t.file(&format!("/{sentinel}/escape-abs"), 0o644, b"x");
            }),
        ),
        (
            "symlink-abs",
            rebuilt(&saved, &|n| n == "manifest.json", |t| {
                t.symlink("manifest.json", &format!("/{sentinel}/passwd"));
            }),
        ),
        (
            "symlink-up",
            rebuilt(&saved, &|n: &str| n == layer, |t| {
                t.symlink(&layer, &format!("../../{up}{sentinel}/passwd"));
            }),
        ),
        (
            "hardlink-out",
            rebuilt(&saved, &none, |t| {
                t.hardlink("escape-hard", &format!("/{sentinel}/passwd"));
            }),
        ),
        (
            "missing-layer",
            rebuilt(&saved, &|n: &str| n == layer, |_| {}),
        ),
        (
            "missing-layer-oci",
            rebuilt(
                &saved,
                &|n: &str| n == layer || n == "manifest.json",
                |_| {},
            ),
        ),
        (
            "tampered-layer",
            rebuilt(&saved, &|n: &str| n == layer, |t| {
                let mut gz = layout_blob(fx, &img.layer_digests[0]);
                let n = gz.len() / 2;
                gz[n] ^= 0x55;
                t.file(&layer, 0o644, &gz);
            }),
        ),
        ("absurd-size", {
            // A header claiming 64 TiB (GNU base-256 size), then a few bytes.
            let mut h = tar::Header::new_gnu();
            h.set_path("manifest.json").unwrap();
            h.set_size(1 << 46);
            h.set_mode(0o644);
            h.set_cksum();
            let mut data = h.as_bytes().to_vec();
            data.extend_from_slice(&[b'['; 4096]);
            data
        }),
        ("truncated", saved[..saved.len() / 2].to_vec()),
        (
            "no-manifest",
            rebuilt(
                &saved,
                &|n| n == "manifest.json" || n == "index.json",
                |_| {},
            ),
        ),
    ];
    let mut gz = gzip(&saved);
    let n = gz.len() / 2;
    gz[n] ^= 0xff;
    cases.push(("corrupt-gzip", gz));
    cases.push(("not-a-tar", b"hello, this is not an archive".repeat(30)));
    for (name, data) in cases {
        let b = Berth::new();
        let out = run_bytes(&b, &["load"], &data);
        eprintln!("{name}: {}", out.stderr.trim());
        assert_nothing_loaded(&b, &out);
    }
}
