//! `berth push`: the registry ends up with what berth says it pushed, and an
//! independent client (skopeo) can read it back.

use crate::require;
use crate::support::fixtures::{self, Fixture};
use crate::support::require::Need;
use crate::support::{serve, skopeo};

/// `digest: sha256:<hex>` from docker-style push output.
pub fn reported_digest(stdout: &str) -> Option<String> {
    let i = stdout.find("digest: sha256:")?;
    let hex: String = stdout[i + "digest: sha256:".len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    (hex.len() == 64).then(|| format!("sha256:{hex}"))
}

fn push_under_new_name(fx: &Fixture) {
    let s = serve(fx);
    s.berth.ok(&["pull", "-q", &s.image]);
    let target = s.reg.image(&crate::support::unique("pushed"), "v2");
    s.berth.ok(&["tag", &s.image, &target]);
    let out = s.berth.ok(&["push", &target]);
    let digest = reported_digest(&out.stdout)
        .unwrap_or_else(|| panic!("push output lacks `digest: sha256:...`:\n{out}"));
    assert_eq!(
        skopeo::digest_of(&s.reg, &target),
        digest,
        "registry serves another manifest"
    );
    let info = skopeo::inspect(&s.reg, &target, None);
    let layers: Vec<String> = serde_json::from_value(info["Layers"].clone()).unwrap();
    assert_eq!(
        layers,
        fx.image().layer_digests,
        "layers changed on the way"
    );
    assert_eq!(info["Architecture"], fx.image().arch);
    let raw: serde_json::Value =
        serde_json::from_str(&skopeo::raw_manifest(&s.reg, &target)).unwrap();
    assert_eq!(raw["config"]["digest"], fx.image().config_digest);
    let dir = s.berth.base().join("copied");
    skopeo::ok(&[
        "copy",
        "--quiet",
        "--src-tls-verify=false",
        &format!("docker://{target}"),
        &format!("oci:{}:out", dir.display()),
    ]);
    assert!(dir.join("index.json").is_file());
}

#[test]
fn push_single_layer_under_new_name() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    push_under_new_name(fixtures::busybox());
}

#[test]
fn push_multi_layer_under_new_name() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    push_under_new_name(fixtures::multilayer());
}

#[test]
fn push_missing_image_is_no_such_image() {
    require!(Need::Registry);
    let reg = crate::support::Registry::start();
    let b = crate::support::Berth::new();
    b.set_insecure(&[&reg.host()]);
    let out = b.code(&["push", &reg.image("absent", "v1")], 1);
    // Docker says "An image does not exist locally with the tag: ...".
    assert!(
        out.stderr.contains("No such image") || out.stderr.contains("does not exist locally"),
        "{out}"
    );
}
