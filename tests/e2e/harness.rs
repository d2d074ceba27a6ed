//! Self-tests of the harness: fixtures build, push with skopeo and read back
//! as built; the registry restarts on its storage and enforces auth; the fault
//! proxy passes, cuts and throttles; the fake server serves large bodies.
//! These do not run berth, so they pass whatever state berth is in.

use crate::require;
use crate::support::fixtures::{self, Fixture};
use crate::support::http::{self, Canned, FakeServer};
use crate::support::proxy::{Fault, FaultProxy};
use crate::support::require::Need;
use crate::support::skopeo::{self, PushOpts};
use crate::support::{sha256, Registry};
use std::time::{Duration, Instant};

fn all_fixtures() -> Vec<&'static Fixture> {
    let mut v = vec![
        fixtures::busybox(),
        fixtures::multilayer(),
        fixtures::multiarch(),
        fixtures::whiteouts(),
    ];
    v.extend(fixtures::malicious().iter());
    v
}

#[test]
fn harness_fixture_layouts_are_consistent() {
    require!(Need::Busybox);
    for fx in all_fixtures() {
        for d in fx.all_digests() {
            let p = fx
                .layout
                .join("blobs/sha256")
                .join(crate::support::hex_of(&d));
            let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(sha256(&data), d, "{} in {}", p.display(), fx.name);
        }
        for img in &fx.images {
            let cfg: serde_json::Value = serde_json::from_slice(
                &std::fs::read(
                    fx.layout
                        .join("blobs/sha256")
                        .join(crate::support::hex_of(&img.config_digest)),
                )
                .unwrap(),
            )
            .unwrap();
            assert_eq!(cfg["rootfs"]["diff_ids"], serde_json::json!(img.diff_ids));
            assert_eq!(cfg["config"]["Cmd"], serde_json::json!(["sh"]));
            assert_eq!(img.chain_ids().len(), img.diff_ids.len());
            assert_eq!(cfg["architecture"], img.arch.as_str());
            assert_eq!(
                cfg.get("variant").and_then(|v| v.as_str()),
                img.variant.as_deref()
            );
        }
    }
    assert_eq!(fixtures::multilayer().image().layer_digests.len(), 4);
    fixtures::check_sentinel();
}

#[test]
fn harness_layers_gunzip_to_their_diff_ids() {
    require!(Need::Busybox);
    use std::io::Read as _;
    let base = fixtures::base();
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(&base.gz[..])
        .read_to_end(&mut tar)
        .unwrap();
    assert_eq!(tar, base.tar);
    assert_eq!(sha256(&tar), base.diff_id);
    assert_eq!(sha256(&base.gz), base.digest);
    let names: Vec<String> = tar::Archive::new(&tar[..])
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"bin/busybox".to_string()), "{names:?}");
}

#[test]
fn harness_runc_is_installed() {
    require!(Need::Runc);
    let out = std::process::Command::new(crate::support::require::find_binary("runc").unwrap())
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn harness_fixtures_push_and_inspect_with_skopeo() {
    require!(Need::Busybox, Need::Skopeo, Need::Registry);
    let reg = Registry::start();
    for fx in all_fixtures() {
        let digest = skopeo::push(fx, &reg, fx.name, "v1");
        assert_eq!(
            digest, fx.top_digest,
            "{}: registry serves other bytes",
            fx.name
        );
        let info = skopeo::inspect(&reg, &reg.image(fx.name, "v1"), None);
        let img = fx.image();
        assert_eq!(info["Architecture"], img.arch, "{}", fx.name);
        let layers: Vec<String> = serde_json::from_value(info["Layers"].clone()).unwrap();
        assert_eq!(layers, img.layer_digests, "{}", fx.name);
        assert_eq!(info["Digest"], fx.top_digest, "{}", fx.name);
    }
    // The other platform of the index.
    let fx = fixtures::multiarch();
    let other = fx.image_for(fixtures::other_arch());
    let info = skopeo::inspect(
        &reg,
        &reg.image(fx.name, "v1"),
        Some(fixtures::other_arch()),
    );
    let layers: Vec<String> = serde_json::from_value(info["Layers"].clone()).unwrap();
    assert_eq!(layers, other.layer_digests);
    let raw: serde_json::Value =
        serde_json::from_str(&skopeo::raw_manifest(&reg, &reg.image(fx.name, "v1"))).unwrap();
    assert_eq!(raw["manifests"].as_array().unwrap().len(), 2);

    // Docker schema 2 conversion keeps the layer blobs.
    let fx = fixtures::busybox();
    let d = skopeo::push_with(fx, &reg, "busybox-v2s2", "v1", PushOpts { v2s2: true });
    assert_ne!(d, fx.top_digest);
    let raw: serde_json::Value = serde_json::from_str(&skopeo::raw_manifest(
        &reg,
        &reg.image("busybox-v2s2", "v1"),
    ))
    .unwrap();
    assert_eq!(
        raw["mediaType"],
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    assert_eq!(raw["layers"][0]["digest"], fx.image().layer_digests[0]);
    assert!(reg.blob_path(&fx.image().layer_digests[0]).is_file());
}

#[test]
fn harness_registry_restarts_on_same_storage() {
    require!(Need::Busybox, Need::Skopeo, Need::Registry);
    let mut reg = Registry::start();
    let fx = fixtures::busybox();
    skopeo::push(fx, &reg, "restart", "v1");
    reg.stop();
    assert!(http::request(&reg.addr(), "GET", "/v2/", &[], b"").is_err());
    reg.restart();
    assert_eq!(
        skopeo::digest_of(&reg, &reg.image("restart", "v1")),
        fx.top_digest
    );
}

#[test]
fn harness_registry_auth_requires_credentials() {
    require!(Need::Busybox, Need::Skopeo, Need::Registry, Need::Htpasswd);
    let reg = Registry::start_with_auth("tester", "s3cret");
    let r = http::request(&reg.addr(), "GET", "/v2/", &[], b"").unwrap();
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic"));
    let auth = reg.basic_auth().unwrap();
    let r = http::request(&reg.addr(), "GET", "/v2/", &[("Authorization", &auth)], b"").unwrap();
    assert_eq!(r.status, 200);
    let fx = fixtures::busybox();
    assert_eq!(skopeo::push(fx, &reg, "private", "v1"), fx.top_digest);
}

#[test]
fn harness_fault_proxy_passes_cuts_and_throttles() {
    require!(Need::Busybox, Need::Skopeo, Need::Registry);
    let reg = Registry::start();
    let fx = fixtures::busybox();
    skopeo::push(fx, &reg, "proxied", "v1");
    let layer = &fx.image().layer_digests[0];
    let path = format!("/v2/proxied/blobs/{layer}");
    let proxy = FaultProxy::start(&reg.addr());

    let r = http::request(&proxy.host(), "GET", &path, &[], b"").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(&sha256(&r.body), layer);
    let full = r.body.len();
    assert!(full > 500_000, "busybox layer unexpectedly small: {full}");

    proxy.set(Fault::CutAfter(100_000));
    let got = http::request(&proxy.host(), "GET", &path, &[], b"")
        .map(|r| r.body.len())
        .unwrap_or(0);
    assert!(got < full, "the cut let {got} of {full} bytes through");
    assert!(proxy.was_cut());
    assert!(
        http::request(&proxy.host(), "GET", "/v2/", &[], b"").is_err(),
        "a cut proxy must stay down"
    );

    proxy.set(Fault::Throttle(2_000_000));
    let t = Instant::now();
    let r = http::request(&proxy.host(), "GET", &path, &[], b"").unwrap();
    assert_eq!(&sha256(&r.body), layer);
    assert!(
        t.elapsed() >= Duration::from_millis(200),
        "throttle had no effect: {:?}",
        t.elapsed()
    );

    proxy.set(Fault::Down);
    assert!(http::request(&proxy.host(), "GET", "/v2/", &[], b"").is_err());
    proxy.set(Fault::Pass);
    assert_eq!(
        http::request(&proxy.host(), "GET", "/v2/", &[], b"")
            .unwrap()
            .status,
        200
    );
}

#[test]
fn harness_fake_server_serves_large_bodies() {
    let srv = FakeServer::start(|_, path| {
        let mut c = Canned::json(200, "{");
        if path == "/big" {
            c.fill = Some((5 << 20, b' '));
        }
        c
    });
    let r = http::request(&srv.host(), "GET", "/big", &[], b"").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 1 + (5 << 20));
    assert_eq!(srv.requests.lock().unwrap().as_slice(), ["GET /big"]);
}
