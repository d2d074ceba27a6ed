//! `berth pull`: every fixture kind, by tag, by digest, by platform, and the
//! failures a user meets (missing tag, bad reference, registry down).

use crate::require;
use crate::support::fixtures::{self, ImageMeta};
use crate::support::require::Need;
use crate::support::skopeo::PushOpts;
use crate::support::{free_port, serve, serve_with, Berth};

/// What every successful pull must leave behind for `img` under `name`.
#[track_caller]
pub fn assert_pulled(b: &Berth, reference: &str, img: &ImageMeta) {
    let v = b.inspect(reference);
    assert_eq!(
        v["Id"], img.config_digest,
        "Id is the config digest:\n{v:#}"
    );
    assert_eq!(v["RootFS"]["Type"], "layers");
    let layers: Vec<String> = serde_json::from_value(v["RootFS"]["Layers"].clone()).unwrap();
    assert_eq!(layers, img.diff_ids, "RootFS.Layers are the diff ids");
    assert_eq!(v["Architecture"], img.arch);
    assert_eq!(v["Os"], "linux");
    assert_eq!(v["Config"]["Cmd"], serde_json::json!(["sh"]));
    assert!(
        v["Config"]["Env"]
            .as_array()
            .is_some_and(|e| e.iter().any(|x| x == fixtures::PATH_ENV)),
        "Config.Env lacks PATH:\n{v:#}"
    );
    for (i, chain) in img.chain_ids().iter().enumerate() {
        assert!(
            b.snapshot_dir(chain).is_some(),
            "no snapshot dir for layer {i} (chain id {chain}) under {}",
            b.snapshots_dir().display()
        );
    }
    let blobs = b.committed_blobs();
    for d in img.layer_digests.iter().chain([&img.config_digest]) {
        assert!(blobs.contains(d), "blob {d} not committed; have {blobs:?}");
    }
}

#[test]
fn pull_single_layer_image() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = serve(fx);
    let out = s.berth.ok(&["pull", &s.image]);
    assert!(
        out.stdout.contains(&s.digest),
        "pull does not report the digest:\n{out}"
    );
    assert_pulled(&s.berth, &s.image, fx.image());
    let v = s.berth.inspect(&s.image);
    assert_eq!(v["RepoTags"], serde_json::json!([s.image]));
    assert_eq!(
        v["RepoDigests"],
        serde_json::json!([format!("{}@{}", s.name, s.digest)])
    );
}

#[test]
fn pull_multi_layer_image() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::multilayer();
    let s = serve(fx);
    s.berth.ok(&["pull", &s.image]);
    let img = fx.image();
    assert_pulled(&s.berth, &s.image, img);
    let chains = img.chain_ids();
    let l3 = s.berth.snapshot_dir(&chains[2]).unwrap();
    assert_eq!(
        std::fs::read_to_string(l3.join("data/version")).unwrap(),
        "three\n"
    );
    let l4 = s.berth.snapshot_dir(&chains[3]).unwrap();
    assert!(
        l4.join("etc/motd").is_file(),
        "layer 4 not unpacked in {}",
        l4.display()
    );
}

#[test]
fn pull_multi_arch_index_picks_host_platform() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::multiarch();
    let s = serve(fx);
    s.berth.ok(&["pull", &s.image]);
    assert_pulled(&s.berth, &s.image, fx.image_for(fixtures::host_arch()));
    let v = s.berth.inspect(&s.image);
    assert_eq!(
        v["RepoDigests"],
        serde_json::json!([format!("{}@{}", s.name, fx.top_digest)]),
        "RepoDigests names the index digest"
    );
}

#[test]
fn pull_platform_flag_picks_other_arch() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::multiarch();
    let s = serve(fx);
    let other = fixtures::other_arch();
    s.berth
        .ok(&["pull", "--platform", &format!("linux/{other}"), &s.image]);
    let img = fx.image_for(other);
    let v = s.berth.inspect(&s.image);
    assert_eq!(v["Id"], img.config_digest);
    assert_eq!(v["Architecture"], other);
    let layers: Vec<String> = serde_json::from_value(v["RootFS"]["Layers"].clone()).unwrap();
    assert_eq!(layers, img.diff_ids);
}

#[test]
fn pull_platform_missing_from_index_fails() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = serve(fixtures::multiarch());
    let out = s
        .berth
        .code(&["pull", "--platform", "linux/s390x", &s.image], 1);
    assert!(
        out.stderr.contains("s390x"),
        "error should name the platform:\n{out}"
    );
    assert!(s.berth.image_ids().is_empty());
}

#[test]
fn pull_docker_schema2_manifest() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = serve_with(fx, PushOpts { v2s2: true });
    assert_ne!(s.digest, fx.top_digest);
    s.berth.ok(&["pull", &s.image]);
    assert_pulled(&s.berth, &s.image, fx.image());
    let v = s.berth.inspect(&s.image);
    assert_eq!(
        v["RepoDigests"],
        serde_json::json!([format!("{}@{}", s.name, s.digest)])
    );
}

#[test]
fn pull_by_digest() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = serve(fx);
    let by_digest = format!("{}@{}", s.name, s.digest);
    s.berth.ok(&["pull", &by_digest]);
    assert_pulled(&s.berth, &by_digest, fx.image());
    let v = s.berth.inspect(&by_digest);
    assert_eq!(
        v["RepoTags"],
        serde_json::json!([]),
        "a digest pull creates no tag"
    );
    assert_eq!(v["RepoDigests"], serde_json::json!([by_digest]));
}

#[test]
fn pull_default_tag_is_latest() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = serve(fx);
    crate::support::skopeo::push(fx, &s.reg, &s.repo, "latest");
    let out = s.berth.ok(&["pull", &s.name]);
    assert!(out.stdout.contains("Using default tag: latest"), "{out}");
    let v = s.berth.inspect(&format!("{}:latest", s.name));
    assert_eq!(v["Id"], fx.image().config_digest);
}

#[test]
fn pull_quiet_prints_only_the_reference() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = serve(fixtures::busybox());
    let out = s.berth.ok(&["pull", "-q", &s.image]);
    assert_eq!(out.stdout.trim_end(), s.image, "{out}");
}

#[test]
fn pull_again_is_up_to_date() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = serve(fx);
    s.berth.ok(&["pull", "-q", &s.image]);
    let out = s.berth.ok(&["pull", &s.image]);
    assert!(out.stdout.contains("Image is up to date"), "{out}");
    assert_eq!(s.berth.image_ids(), vec![fx.image().config_digest.clone()]);
}

#[test]
fn pull_whiteouts_and_opaque_dirs() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let fx = fixtures::whiteouts();
    let s = serve(fx);
    s.berth.ok(&["pull", &s.image]);
    assert_pulled(&s.berth, &s.image, fx.image());
    for p in crate::support::walk_all(&s.berth.snapshots_dir()) {
        let n = p.file_name().unwrap().to_string_lossy();
        assert!(
            !n.starts_with(".wh."),
            "whiteout file left as is: {}",
            p.display()
        );
    }
    let top = s.berth.snapshot_dir(&fx.image().chain_ids()[2]).unwrap();
    assert!(top.join("opq/new").is_file());
    for gone in ["a/gone", "a/gonedir", "top-gone"] {
        let p = top.join(gone);
        if let Ok(md) = std::fs::symlink_metadata(&p) {
            // Overlay snapshot: a whiteout is a 0/0 character device.
            assert!(
                md.file_type().is_char_device() && md.rdev() == 0,
                "{} should be deleted or an overlay whiteout",
                p.display()
            );
        }
    }
    if top.join("bin/busybox").exists() {
        // A full copy per snapshot (no overlay): the deletions are applied.
        assert!(top.join("a/keep").is_file());
        assert!(
            !top.join("opq/old1").exists(),
            "opaque dir kept old entries"
        );
    }
}

#[test]
fn pull_missing_tag_is_not_found() {
    require!(Need::Busybox, Need::Skopeo, Need::Registry);
    let s = serve(fixtures::busybox());
    let missing = format!("{}:no-such-tag", s.name);
    let out = s.berth.code(&["pull", &missing], 1);
    assert!(out.stderr.starts_with("berth: "), "{out}");
    assert!(out.stderr.contains("not found"), "{out}");
    assert!(s.berth.image_ids().is_empty());
}

#[test]
fn pull_malformed_reference_is_rejected() {
    let b = Berth::new();
    for bad in [
        // "UPPER/x" would be a host name to Docker; without a slash it is a repository.
        "UPPERCASE:tag",
        "repo:tag:extra",
        "repo@sha256:abc",
        "-leading-dash",
    ] {
        let out = b.run(&["pull", "--", bad]);
        assert_eq!(out.code, 1, "{out}");
        assert!(out.stderr.contains("invalid reference format"), "{out}");
    }
}

#[test]
fn pull_from_down_registry_names_the_host() {
    let b = Berth::new();
    let host = format!("127.0.0.1:{}", free_port());
    b.set_insecure(&[&host]);
    let out = b.code(&["pull", &format!("{host}/nothing:here")], 1);
    assert!(
        out.stderr.contains(&host),
        "error should name {host}:\n{out}"
    );
}
