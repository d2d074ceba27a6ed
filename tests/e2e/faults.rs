//! Pulls under faults: the registry dying mid-blob, a corrupted blob, an
//! oversized manifest, `kill -9` of berth part-way, and two pulls racing.
//! After each, the store holds either the whole image or nothing of it.

use crate::require;
use crate::support::fixtures;
use crate::support::http::{Canned, FakeServer};
use crate::support::proxy::{Fault, FaultProxy};
use crate::support::require::Need;
use crate::support::{serve, wait_for, Berth};
use std::time::Duration;

#[test]
fn pull_cut_mid_blob_fails_then_retry_succeeds() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = serve(fx);
    let proxy = FaultProxy::start(&s.reg.addr());
    s.berth.set_insecure(&[&proxy.host()]);
    let image = proxy.image(&s.repo, "v1");
    proxy.set(Fault::CutAfter(300_000));
    let out = s.berth.code(&["pull", &image], 1);
    assert!(proxy.was_cut(), "the pull never reached the cut:\n{out}");
    assert!(
        s.berth.image_ids().is_empty(),
        "image recorded after a failed pull"
    );
    let layer = &fx.image().layer_digests[0];
    assert!(
        !s.berth.committed_blobs().contains(layer),
        "partial layer committed"
    );
    proxy.set(Fault::Pass);
    s.berth.ok(&["pull", &image]);
    crate::pull::assert_pulled(&s.berth, &image, fx.image());
}

#[test]
fn pull_corrupted_blob_is_a_digest_error() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = serve(fx);
    let layer = &fx.image().layer_digests[0];
    let path = s.reg.blob_path(layer);
    let mut data = std::fs::read(&path).unwrap();
    let mid = data.len() / 2;
    data[mid] ^= 0xff;
    std::fs::write(&path, &data).unwrap();
    let out = s.berth.code(&["pull", &s.image], 1);
    assert!(out.stderr.to_lowercase().contains("digest"), "{out}");
    assert!(
        s.berth.image_ids().is_empty(),
        "image recorded from a corrupt blob"
    );
    assert!(
        !s.berth.committed_blobs().contains(layer),
        "corrupt blob committed"
    );
    for chain in fx.image().chain_ids() {
        assert!(
            s.berth.snapshot_dir(&chain).is_none(),
            "snapshot {chain} committed"
        );
    }
}

fn oversized_manifest_server(no_length: bool) -> FakeServer {
    FakeServer::start(move |_, path| {
        if path == "/v2/" {
            let mut c = Canned::json(200, "{}");
            c.headers.push((
                "Docker-Distribution-API-Version".into(),
                "registry/2.0".into(),
            ));
            return c;
        }
        if path.contains("/manifests/") {
            let mut c = Canned::json(200, r#"{"schemaVersion":2,"layers":["#);
            c.headers = vec![("Content-Type".into(), fixtures::MT_OCI_MANIFEST.into())];
            c.fill = Some((5 << 20, b' '));
            c.no_length = no_length;
            return c;
        }
        Canned::json(404, r#"{"errors":[{"code":"NOT_FOUND"}]}"#)
    })
}

fn assert_oversized_refused(no_length: bool) {
    let srv = oversized_manifest_server(no_length);
    let b = Berth::new();
    b.set_insecure(&[&srv.host()]);
    let out = b.code(&["pull", &format!("{}/big:v1", srv.host())], 1);
    assert!(out.stderr.to_lowercase().contains("manifest"), "{out}");
    assert!(b.image_ids().is_empty());
    assert!(
        srv.requests
            .lock()
            .unwrap()
            .iter()
            .any(|r| r.contains("/manifests/")),
        "berth never asked for the manifest"
    );
}

#[test]
fn pull_manifest_over_4mib_is_refused() {
    assert_oversized_refused(false);
}

#[test]
fn pull_manifest_over_4mib_without_length_is_refused() {
    assert_oversized_refused(true);
}

#[test]
fn pull_killed_midway_then_pull_again_succeeds() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::busybox();
    let s = serve(fx);
    let proxy = FaultProxy::start(&s.reg.addr());
    s.berth.set_insecure(&[&proxy.host()]);
    let image = proxy.image(&s.repo, "v1");
    proxy.set(Fault::Throttle(200_000));
    let mut child = s.berth.spawn(&["pull", &image]);
    // Part-way: some of the layer has arrived and berth is still running.
    let mut early_exit = None;
    let started = wait_for(Duration::from_secs(30), || {
        early_exit = child.try_wait().unwrap();
        (early_exit.is_some() || proxy.response_bytes() > 150_000).then_some(())
    });
    assert!(
        early_exit.is_none(),
        "pull ended before the kill: {early_exit:?}"
    );
    assert!(started.is_some(), "pull never got going");
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(
        status.code().is_none(),
        "pull finished before the kill: {status:?}"
    );
    assert!(
        s.berth.image_ids().is_empty(),
        "interrupted pull left an image record"
    );
    proxy.set(Fault::Pass);
    s.berth.ok(&["pull", &image]);
    crate::pull::assert_pulled(&s.berth, &image, fx.image());
    let out = s
        .berth
        .ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert_eq!(out.lines(), [image.as_str()], "{out}");
}

#[test]
fn concurrent_pulls_of_one_image_store_each_blob_once() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::multilayer();
    let s = serve(fx);
    let proxy = FaultProxy::start(&s.reg.addr());
    s.berth.set_insecure(&[&proxy.host()]);
    let image = proxy.image(&s.repo, "v1");
    // Slow enough that the two downloads overlap.
    proxy.set(Fault::Throttle(2_000_000));
    let mut a = s.berth.spawn(&["pull", &image]);
    let mut b = s.berth.spawn(&["pull", &image]);
    let (ra, rb) = (a.wait().unwrap(), b.wait().unwrap());
    assert!(
        ra.success() && rb.success(),
        "concurrent pulls: {ra:?} {rb:?}\n{}",
        s.berth.spawned_output()
    );
    let img = fx.image();
    assert_eq!(s.berth.image_ids(), vec![img.config_digest.clone()]);
    crate::pull::assert_pulled(&s.berth, &image, img);
    // Blob names are unique by construction; what must not exist is any
    // extra file (temp names, duplicates under other names) in the dir.
    let blobs = s.berth.committed_blobs();
    let mut allowed = fx.all_digests();
    allowed.push(s.digest.clone());
    for b in &blobs {
        assert!(allowed.contains(b), "unexpected blob {b}");
    }
    assert_eq!(
        blobs.len(),
        img.layer_digests.len() + 1 + usize::from(blobs.contains(&s.digest)),
        "{blobs:?}"
    );
}
