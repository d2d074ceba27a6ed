//! skopeo as an independent client: pushes fixtures into a registry and checks
//! what berth pushed. Always `--insecure-policy` (no host policy needed) and
//! plain HTTP towards loopback.

use super::fixtures::Fixture;
use super::Registry;
use std::process::Command;

pub struct SkopeoOut {
    pub stdout: String,
    pub stderr: String,
    pub ok: bool,
}

/// Run `skopeo --insecure-policy <args>`.
pub fn run(args: &[&str]) -> SkopeoOut {
    let home = std::env::temp_dir();
    let o = Command::new("skopeo")
        .arg("--insecure-policy")
        .args(args)
        // Keep the host's credentials out of the tests.
        .env("REGISTRY_AUTH_FILE", home.join("berth-e2e-no-auth.json"))
        .output()
        .expect("running skopeo (apt-get install skopeo)");
    SkopeoOut {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        ok: o.status.success(),
    }
}

#[track_caller]
pub fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.ok,
        "skopeo {} failed:\n{}\n{}",
        args.join(" "),
        o.stdout,
        o.stderr
    );
    o.stdout
}

fn creds(reg: &Registry) -> Option<String> {
    reg.auth.as_ref().map(|(u, p)| format!("{u}:{p}"))
}

#[derive(Debug, Clone, Copy, Default)]
pub struct PushOpts {
    /// Convert to a Docker schema 2 manifest (`--format v2s2`).
    pub v2s2: bool,
}

/// Push `fx` to `reg` as `<repo>:<tag>` (the whole index for multi-arch
/// fixtures) and return the digest the registry now serves for the tag.
#[track_caller]
pub fn push(fx: &Fixture, reg: &Registry, repo: &str, tag: &str) -> String {
    push_with(fx, reg, repo, tag, PushOpts::default())
}

#[track_caller]
pub fn push_with(fx: &Fixture, reg: &Registry, repo: &str, tag: &str, opts: PushOpts) -> String {
    let src = format!("oci:{}:{}", fx.layout.display(), fx.tag);
    let dst = format!("docker://{}", reg.image(repo, tag));
    let mut args = vec!["copy", "--quiet", "--dest-tls-verify=false"];
    if fx.is_index {
        args.push("--all");
    }
    if opts.v2s2 {
        args.extend(["--format", "v2s2"]);
    }
    let c = creds(reg);
    if let Some(c) = &c {
        args.extend(["--dest-creds", c.as_str()]);
    }
    args.extend([src.as_str(), dst.as_str()]);
    ok(&args);
    digest_of(reg, &reg.image(repo, tag))
}

/// The raw manifest (or index) the registry serves for `image`.
#[track_caller]
pub fn raw_manifest(reg: &Registry, image: &str) -> String {
    let r = format!("docker://{image}");
    let c = creds(reg);
    let mut args = vec!["inspect", "--raw", "--tls-verify=false"];
    if let Some(c) = &c {
        args.extend(["--creds", c.as_str()]);
    }
    args.push(&r);
    ok(&args)
}

/// `sha256:` of the raw manifest the registry serves for `image`.
#[track_caller]
pub fn digest_of(reg: &Registry, image: &str) -> String {
    super::sha256(raw_manifest(reg, image).as_bytes())
}

/// `skopeo inspect` (the image's config summary) for `image`, parsed.
#[track_caller]
pub fn inspect(reg: &Registry, image: &str, arch: Option<&str>) -> serde_json::Value {
    let r = format!("docker://{image}");
    let c = creds(reg);
    let mut args = vec![];
    if let Some(a) = arch {
        args.extend(["--override-arch", a]);
    }
    args.extend(["inspect", "--tls-verify=false"]);
    if let Some(c) = &c {
        args.extend(["--creds", c.as_str()]);
    }
    args.push(&r);
    serde_json::from_str(&ok(&args)).expect("skopeo inspect prints JSON")
}
