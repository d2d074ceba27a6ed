//! `login` / `logout` against an htpasswd registry, and credentials in
//! `$DOCKER_CONFIG/config.json` being used by pull and push.

use crate::require;
use crate::support::fixtures;
use crate::support::require::Need;
use crate::support::{skopeo, Berth, Registry};
use base64::Engine as _;
use std::os::unix::fs::PermissionsExt;

const USER: &str = "tester";
const PASS: &str = "s3cret-pw";

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn auth_registry() -> (Registry, Berth) {
    let reg = Registry::start_with_auth(USER, PASS);
    let b = Berth::new();
    b.set_insecure(&[&reg.host()]);
    (reg, b)
}

/// Write a config.json holding credentials for `host`, as `docker login` would.
fn write_creds(b: &Berth, host: &str) {
    let v = serde_json::json!({"auths": {host: {"auth": b64(&format!("{USER}:{PASS}"))}}});
    std::fs::write(
        b.docker_config_json(),
        serde_json::to_vec_pretty(&v).unwrap(),
    )
    .unwrap();
}

fn read_config(b: &Berth) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(b.docker_config_json()).unwrap()).unwrap()
}

#[test]
fn login_stores_credentials_0600() {
    require!(Need::Registry, Need::Htpasswd);
    let (reg, b) = auth_registry();
    let out = b.run_stdin(
        &["login", "-u", USER, "--password-stdin", &reg.host()],
        Some(&format!("{PASS}\n")),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("Login Succeeded"), "{out}");
    let md = std::fs::metadata(b.docker_config_json()).unwrap();
    assert_eq!(md.permissions().mode() & 0o777, 0o600, "config.json mode");
    let v = read_config(&b);
    assert_eq!(
        v["auths"][reg.host()]["auth"],
        b64(&format!("{USER}:{PASS}")),
        "{v:#}"
    );
}

#[test]
fn login_keeps_other_config_keys() {
    require!(Need::Registry, Need::Htpasswd);
    let (reg, b) = auth_registry();
    std::fs::write(
        b.docker_config_json(),
        r#"{"auths":{"other.example:5000":{"auth":"eDp5"}},"psFormat":"table {{.ID}}"}"#,
    )
    .unwrap();
    b.ok(&["login", "-u", USER, "-p", PASS, &reg.host()]);
    let v = read_config(&b);
    assert_eq!(v["psFormat"], "table {{.ID}}");
    assert_eq!(v["auths"]["other.example:5000"]["auth"], "eDp5");
    assert!(v["auths"][reg.host()]["auth"].is_string(), "{v:#}");
}

#[test]
fn login_wrong_password_fails() {
    require!(Need::Registry, Need::Htpasswd);
    let (reg, b) = auth_registry();
    let out = b.run_stdin(
        &["login", "-u", USER, "--password-stdin", &reg.host()],
        Some("wrong\n"),
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.starts_with("berth: "), "{out}");
    let stored = std::fs::read(b.docker_config_json())
        .map(|d| String::from_utf8_lossy(&d).contains(&reg.host()))
        .unwrap_or(false);
    assert!(!stored, "credentials stored after a failed login");
}

#[test]
fn logout_removes_credentials() {
    require!(Need::Registry, Need::Htpasswd);
    let (reg, b) = auth_registry();
    write_creds(&b, &reg.host());
    let out = b.ok(&["logout", &reg.host()]);
    assert!(out.stdout.contains(&reg.host()), "{out}");
    let v = read_config(&b);
    assert!(v["auths"].get(reg.host()).is_none(), "{v:#}");
}

#[test]
fn pull_private_uses_stored_credentials() {
    require!(
        Need::Root,
        Need::Busybox,
        Need::Skopeo,
        Need::Registry,
        Need::Htpasswd
    );
    let (reg, b) = auth_registry();
    let fx = fixtures::busybox();
    skopeo::push(fx, &reg, "private", "v1");
    write_creds(&b, &reg.host());
    b.ok(&["pull", "-q", &reg.image("private", "v1")]);
    assert_eq!(b.image_ids(), vec![fx.image().config_digest.clone()]);
}

#[test]
fn pull_private_without_credentials_fails() {
    require!(Need::Busybox, Need::Skopeo, Need::Registry, Need::Htpasswd);
    let (reg, b) = auth_registry();
    skopeo::push(fixtures::busybox(), &reg, "private", "v1");
    let out = b.code(&["pull", &reg.image("private", "v1")], 1);
    let e = out.stderr.to_lowercase();
    assert!(
        e.contains("pull access denied")
            || e.contains("unauthorized")
            || e.contains("authentication required"),
        "{out}"
    );
    assert!(b.image_ids().is_empty());
}

#[test]
fn push_private_uses_stored_credentials() {
    require!(
        Need::Root,
        Need::Busybox,
        Need::Skopeo,
        Need::Registry,
        Need::Htpasswd
    );
    let (reg, b) = auth_registry();
    let fx = fixtures::busybox();
    skopeo::push(fx, &reg, "private", "v1");
    write_creds(&b, &reg.host());
    b.ok(&["pull", "-q", &reg.image("private", "v1")]);
    let target = reg.image("private-copy", "v1");
    b.ok(&["tag", &reg.image("private", "v1"), &target]);
    let out = b.ok(&["push", &target]);
    let digest = crate::push::reported_digest(&out.stdout).expect("push reports a digest");
    assert_eq!(skopeo::digest_of(&reg, &target), digest);
}
