//! Pulls under faults: the registry dying mid-blob, a corrupted blob, an
//! oversized manifest, `kill -9` of berth part-way, and two pulls racing.
//! After each, the store holds either the whole image or nothing of it.

use crate::require;
use crate::support::fixtures;
use crate::support::http::{Canned, FakeServer};
use crate::support::proxy::{Fault, FaultProxy};
use crate::support::require::Need;
use crate::support::{serve, wait_for, Berth};
use std::io::Write as _;
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

/// Replace a blob in the registry's storage, then pull: the pull fails,
/// and neither the image, the bad blob nor any snapshot is committed.
fn pull_with_bad_blob(
    target: &str,
    replace: impl FnOnce(Vec<u8>) -> Vec<u8>,
) -> crate::support::Out {
    let fx = fixtures::busybox();
    let s = serve(fx);
    let img = fx.image();
    let digest = match target {
        "config" => &img.config_digest,
        _ => &img.layer_digests[0],
    };
    let path = s.reg.blob_path(digest);
    std::fs::write(&path, replace(std::fs::read(&path).unwrap())).unwrap();
    let out = s.berth.code(&["pull", &s.image], 1);
    assert!(
        s.berth.image_ids().is_empty(),
        "image recorded from a bad blob:\n{out}"
    );
    assert!(
        !s.berth.committed_blobs().contains(digest),
        "bad blob committed:\n{out}"
    );
    for chain in img.chain_ids() {
        assert!(
            s.berth.snapshot_dir(&chain).is_none(),
            "snapshot {chain} committed:\n{out}"
        );
    }
    out
}

#[test]
fn pull_corrupted_config_is_a_digest_error() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let out = pull_with_bad_blob("config", |mut d| {
        let i = d.iter().position(|&b| b == b'"').unwrap();
        d[i + 1] ^= 0x20; // still JSON, same size
        d
    });
    assert!(out.stderr.to_lowercase().contains("digest"), "{out}");
}

#[test]
fn pull_corrupted_layer_fails() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    // A flipped byte mid-stream: the gzip CRC or the digest check, whichever
    // comes first, must stop the pull.
    let out = pull_with_bad_blob("layer", |mut d| {
        let mid = d.len() / 2;
        d[mid] ^= 0xff;
        d
    });
    let e = out.stderr.to_lowercase();
    assert!(
        e.contains("digest") || e.contains("corrupt") || e.contains("checksum"),
        "{out}"
    );
}

#[test]
fn pull_substituted_layer_is_a_digest_error() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    // A well-formed gzip tar of the right size but other content: only the
    // digest (or diff id) check can catch it.
    let out = pull_with_bad_blob("layer", |d| {
        let gz = |noise_len: usize, comment: Option<Vec<u8>>| {
            let mut t = fixtures::RawTar::new();
            t.file("other", 0o644, &fixtures::noise(9, noise_len));
            let mut b = flate2::GzBuilder::new().mtime(0);
            if let Some(c) = comment {
                b = b.comment(c);
            }
            // Stored blocks: the size follows the input almost byte for byte.
            let mut enc = b.write(Vec::new(), flate2::Compression::none());
            enc.write_all(&t.layer().tar).unwrap();
            enc.finish().unwrap()
        };
        // Just under the original size, then padded with a short header
        // comment (NUL-terminated; decoders cap header fields at 64 KiB).
        let mut n = d.len().saturating_sub(8192) / 512 * 512;
        let short = loop {
            let short = gz(n, None).len();
            if short + 2 <= d.len() {
                break short;
            }
            n -= 512;
        };
        let out = gz(n, Some(vec![b'x'; d.len() - short - 1]));
        assert_eq!(out.len(), d.len());
        out
    });
    let e = out.stderr.to_lowercase();
    assert!(e.contains("digest") || e.contains("diff"), "{out}");
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
