//! Registry credentials in Docker's `config.json` format (`$DOCKER_CONFIG/config.json`
//! or `~/.docker/config.json`): `auths[server].auth` (base64 `user:password`),
//! `identitytoken`, and the `credsStore` / `credHelpers` external helpers
//! (`docker-credential-<name> get|store|erase`, speaking Docker's protocol:
//! the server URL or a `{"ServerURL","Username","Secret"}` JSON on stdin).
//! Docker Hub's key is `https://index.docker.io/v1/`. Writes are atomic
//! (temp file, fsync, rename, mode 0600) and keep every other key untouched.

use base64::Engine as _;
use serde_json::{Map, Value};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The key Docker uses for Docker Hub in `auths` and with helpers.
pub const HUB_KEY: &str = "https://index.docker.io/v1/";

#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("reading credentials file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid credentials file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("invalid credentials file {path}: {detail}")]
    Invalid { path: PathBuf, detail: String },
    #[error("writing credentials file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("error {action} credentials - err: {detail}")]
    Helper {
        action: &'static str,
        detail: String,
    },
}

/// Credentials for one registry.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// Username and password (or a personal access token used as password).
    Basic { username: String, password: String },
    /// An OAuth2 refresh token (`identitytoken`), exchanged at the token endpoint.
    IdentityToken { token: String },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secrets, even in debug output.
        match self {
            Credential::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
            Credential::IdentityToken { .. } => f.write_str("IdentityToken(***)"),
        }
    }
}

/// The key under which `login` stores credentials for `server`, as Docker
/// does: Docker Hub's spellings map to [`HUB_KEY`], others to `host[:port]`
/// (scheme and path dropped).
pub fn server_key(server: &str) -> String {
    let host = hostname_of(server);
    if is_hub_host(&host) {
        HUB_KEY.to_string()
    } else {
        host
    }
}

/// `https://host:port/v1/` → `host:port` (Docker's `ConvertToHostname`).
fn hostname_of(s: &str) -> String {
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    s.split('/').next().unwrap_or("").to_string()
}

fn is_hub_host(host: &str) -> bool {
    matches!(
        host,
        "" | "docker.io" | "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com"
    )
}

/// Find credentials for a registry host (`docker.io`, `localhost:5000`,
/// or an endpoint host such as `registry-1.docker.io`). A missing file means
/// no credentials.
pub fn lookup(config_path: &Path, host: &str) -> Result<Option<Credential>, CredentialsError> {
    let Some(root) = read_config(config_path)? else {
        return Ok(None);
    };
    let key = server_key(host);
    if let Some(helper) = helper_for(&root, &key) {
        return helper_get(&helper, &key);
    }
    let Some(auths) = root.get("auths").and_then(Value::as_object) else {
        return Ok(None);
    };
    for (k, entry) in auths {
        if server_key(k) != key {
            continue;
        }
        if let Some(c) = entry_credential(config_path, k, entry)? {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// Store credentials for `server` the way `docker login` does: through the
/// configured helper (leaving an empty `auths` entry), or base64 in the file.
pub fn store(
    config_path: &Path,
    server: &str,
    username: &str,
    secret: &str,
) -> Result<(), CredentialsError> {
    let mut root = read_config(config_path)?.unwrap_or_default();
    let key = server_key(server);
    let entry = match helper_for(&root, &key) {
        Some(helper) => {
            let input =
                serde_json::json!({"ServerURL": key, "Username": username, "Secret": secret});
            run_helper(&helper, "store", input.to_string().as_bytes(), "storing")?;
            Value::Object(Map::new())
        }
        None => {
            let auth =
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{secret}"));
            serde_json::json!({ "auth": auth })
        }
    };
    let auths = root
        .entry("auths")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(auths) = auths.as_object_mut() else {
        return Err(CredentialsError::Invalid {
            path: config_path.to_path_buf(),
            detail: "\"auths\" is not an object".into(),
        });
    };
    // Drop other spellings of the same server so lookups are unambiguous.
    auths.retain(|k, _| server_key(k) != key);
    auths.insert(key, entry);
    write_config(config_path, &root)
}

/// Remove credentials for `server` (`docker logout`). Returns whether any
/// were present.
pub fn erase(config_path: &Path, server: &str) -> Result<bool, CredentialsError> {
    let Some(mut root) = read_config(config_path)? else {
        return Ok(false);
    };
    let key = server_key(server);
    let mut found = false;
    if let Some(helper) = helper_for(&root, &key) {
        match run_helper(&helper, "erase", key.as_bytes(), "erasing") {
            Ok(_) => found = true,
            Err(CredentialsError::Helper { detail, .. }) if is_not_found(&detail) => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(auths) = root.get_mut("auths").and_then(Value::as_object_mut) {
        let before = auths.len();
        auths.retain(|k, _| server_key(k) != key);
        if auths.len() != before {
            found = true;
            write_config(config_path, &root)?;
        }
    }
    Ok(found)
}

fn read_config(path: &Path) -> Result<Option<Map<String, Value>>, CredentialsError> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CredentialsError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok(Some(Map::new()));
    }
    match serde_json::from_slice::<Value>(&text) {
        Ok(Value::Object(m)) => Ok(Some(m)),
        Ok(_) => Err(CredentialsError::Invalid {
            path: path.to_path_buf(),
            detail: "not a JSON object".into(),
        }),
        Err(source) => Err(CredentialsError::Parse {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Write atomically: temp file in the same directory (mode 0600), fsync,
/// rename over the target (through a symlink, as Docker does), fsync the dir.
fn write_config(path: &Path, root: &Map<String, Value>) -> Result<(), CredentialsError> {
    use std::os::unix::fs::DirBuilderExt;
    let werr = |p: &Path, source| CredentialsError::Write {
        path: p.to_path_buf(),
        source,
    };
    let target = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_path_buf(),
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .map_err(|e| werr(&dir, e))?;
    let mut text = serde_json::to_vec_pretty(&Value::Object(root.clone()))
        .expect("a JSON value always serialises");
    text.push(b'\n');
    crate::sys::fs::write_atomic_mode(&target, &text, 0o600).map_err(|e| werr(&e.at, e.source))
}

fn helper_for(root: &Map<String, Value>, key: &str) -> Option<String> {
    if let Some(helpers) = root.get("credHelpers").and_then(Value::as_object) {
        for (k, v) in helpers {
            if server_key(k) == key {
                if let Some(name) = v.as_str().filter(|n| !n.is_empty()) {
                    return Some(name.to_string());
                }
            }
        }
    }
    root.get("credsStore")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

fn entry_credential(
    path: &Path,
    key: &str,
    entry: &Value,
) -> Result<Option<Credential>, CredentialsError> {
    let field = |name: &str| {
        entry
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(token) = field("identitytoken") {
        return Ok(Some(Credential::IdentityToken {
            token: token.to_string(),
        }));
    }
    if let Some(auth) = field("auth") {
        let invalid = |detail: String| CredentialsError::Invalid {
            path: path.to_path_buf(),
            detail,
        };
        let raw = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .map_err(|e| invalid(format!("auth for {key} is not base64: {e}")))?;
        let text =
            String::from_utf8(raw).map_err(|_| invalid(format!("auth for {key} is not UTF-8")))?;
        let (user, pass) = text
            .split_once(':')
            .ok_or_else(|| invalid(format!("auth for {key} is not user:password")))?;
        return Ok(Some(Credential::Basic {
            username: user.to_string(),
            password: pass.trim_end_matches('\0').to_string(),
        }));
    }
    if let (Some(u), Some(p)) = (field("username"), field("password")) {
        return Ok(Some(Credential::Basic {
            username: u.to_string(),
            password: p.to_string(),
        }));
    }
    Ok(None)
}

fn is_not_found(detail: &str) -> bool {
    detail.contains("credentials not found")
}

fn helper_get(helper: &str, key: &str) -> Result<Option<Credential>, CredentialsError> {
    let out = match run_helper(helper, "get", key.as_bytes(), "getting") {
        Ok(out) => out,
        Err(CredentialsError::Helper { detail, .. }) if is_not_found(&detail) => return Ok(None),
        Err(e) => return Err(e),
    };
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct HelperCreds {
        #[serde(default)]
        username: String,
        #[serde(default)]
        secret: String,
    }
    let c: HelperCreds = serde_json::from_slice(&out).map_err(|e| CredentialsError::Helper {
        action: "getting",
        detail: format!("docker-credential-{helper} printed invalid JSON: {e}"),
    })?;
    if c.secret.is_empty() {
        return Ok(None);
    }
    // Docker's convention: a username of "<token>" marks an identity token.
    if c.username == "<token>" {
        return Ok(Some(Credential::IdentityToken { token: c.secret }));
    }
    Ok(Some(Credential::Basic {
        username: c.username,
        password: c.secret,
    }))
}

/// Run `docker-credential-<helper> <verb>` with `input` on stdin; its
/// stdout on success, its message (stdout or stderr) as the error otherwise.
fn run_helper(
    helper: &str,
    verb: &str,
    input: &[u8],
    action: &'static str,
) -> Result<Vec<u8>, CredentialsError> {
    let program = format!("docker-credential-{helper}");
    let herr = |detail: String| CredentialsError::Helper { action, detail };
    let mut child = Command::new(helper_program(&program))
        .arg(verb)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| herr(format!("exec: \"{program}\": {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading gives EPIPE; its exit status tells.
        let _ = stdin.write_all(input);
    }
    let out = child
        .wait_with_output()
        .map_err(|e| herr(format!("{program}: {e}")))?;
    if !out.status.success() {
        let mut msg = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if msg.is_empty() {
            msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
        }
        if msg.is_empty() {
            msg = format!("{program} {verb} failed: {}", out.status);
        }
        return Err(herr(msg));
    }
    Ok(out.stdout)
}

/// The helper executable: looked up on `PATH`, as Docker does. Tests point
/// it at a directory of fakes (per thread) instead of changing `PATH`.
fn helper_program(program: &str) -> PathBuf {
    #[cfg(test)]
    if let Some(dir) = tests::HELPER_DIR.with(|d| d.borrow().clone()) {
        return dir.join(program);
    }
    PathBuf::from(program)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    thread_local! {
        pub(super) static HELPER_DIR: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
    }

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn server_keys() {
        for hub in [
            "docker.io",
            "index.docker.io",
            "https://index.docker.io/v1/",
            "registry-1.docker.io",
            "",
        ] {
            assert_eq!(server_key(hub), HUB_KEY, "{hub}");
        }
        assert_eq!(server_key("localhost:5000"), "localhost:5000");
        assert_eq!(server_key("http://localhost:5000/v2/"), "localhost:5000");
        assert_eq!(server_key("ghcr.io"), "ghcr.io");
    }

    #[test]
    fn reads_auths_and_identity_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        assert_eq!(lookup(&path, "docker.io").unwrap(), None, "missing file");
        let text = serde_json::json!({
            "auths": {
                "https://index.docker.io/v1/": {"auth": b64("hubuser:hub:pass")},
                "http://localhost:5000": {"auth": b64("u:p")},
                "ghcr.io": {"auth": "", "identitytoken": "refresh-me"},
                "legacy.example": {"username": "a", "password": "b"},
                "empty.example": {}
            },
            "proxies": {"default": {}}
        });
        std::fs::write(&path, text.to_string()).unwrap();
        assert_eq!(
            lookup(&path, "registry-1.docker.io").unwrap(),
            Some(Credential::Basic {
                username: "hubuser".into(),
                password: "hub:pass".into()
            })
        );
        assert_eq!(
            lookup(&path, "localhost:5000").unwrap(),
            Some(Credential::Basic {
                username: "u".into(),
                password: "p".into()
            })
        );
        assert_eq!(
            lookup(&path, "ghcr.io").unwrap(),
            Some(Credential::IdentityToken {
                token: "refresh-me".into()
            })
        );
        assert!(matches!(
            lookup(&path, "legacy.example").unwrap(),
            Some(Credential::Basic { .. })
        ));
        assert_eq!(lookup(&path, "empty.example").unwrap(), None);
        assert_eq!(lookup(&path, "other:1").unwrap(), None);
        assert!(!format!("{:?}", lookup(&path, "localhost:5000").unwrap()).contains('p'));

        std::fs::write(&path, "{not json").unwrap();
        let e = lookup(&path, "docker.io").unwrap_err().to_string();
        assert!(e.contains("config.json"), "{e}");
    }

    #[test]
    fn store_and_erase_keep_other_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.json");
        store(&path, "localhost:5000", "me", "secret").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            lookup(&path, "localhost:5000").unwrap(),
            Some(Credential::Basic {
                username: "me".into(),
                password: "secret".into()
            })
        );

        let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        v["psFormat"] = "table {{.ID}}".into();
        v["auths"]["other.example"] = serde_json::json!({"auth": b64("x:y")});
        std::fs::write(&path, v.to_string()).unwrap();

        store(&path, "docker.io", "hub", "pw").unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(v["psFormat"], "table {{.ID}}");
        assert_eq!(v["auths"][HUB_KEY]["auth"], b64("hub:pw"));
        assert!(v["auths"]["other.example"].is_object());

        assert!(erase(&path, "localhost:5000").unwrap());
        assert!(!erase(&path, "localhost:5000").unwrap());
        assert_eq!(lookup(&path, "localhost:5000").unwrap(), None);
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(v["psFormat"], "table {{.ID}}");
        assert!(v["auths"]["other.example"].is_object());
        assert!(v["auths"][HUB_KEY].is_object());
        // No temp files left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    /// A fake `docker-credential-test` helper speaking Docker's protocol,
    /// keeping its secrets in a directory.
    fn install_fake_helper(dir: &Path) -> PathBuf {
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let store = dir.join("store");
        std::fs::create_dir_all(&store).unwrap();
        let script = format!(
            r#"#!/bin/sh
set -e
S={store}
case "$1" in
get) url=$(cat); f="$S/$(echo "$url" | tr '/:' '__')"
     if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
store) json=$(cat); url=$(echo "$json" | sed 's/.*"ServerURL":"\([^"]*\)".*/\1/')
     echo "$json" > "$S/$(echo "$url" | tr '/:' '__')" ;;
erase) url=$(cat); f="$S/$(echo "$url" | tr '/:' '__')"
     if [ -f "$f" ]; then rm "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
esac
"#,
            store = store.display()
        );
        let path = bin.join("docker-credential-test");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        bin
    }

    #[test]
    fn credential_helpers() {
        let dir = tempfile::tempdir().unwrap();
        let bin = install_fake_helper(dir.path());
        let path = dir.path().join("config.json");
        std::fs::write(
            &path,
            serde_json::json!({"credHelpers": {"localhost:5000": "test"}}).to_string(),
        )
        .unwrap();
        HELPER_DIR.with(|d| *d.borrow_mut() = Some(bin));

        assert_eq!(lookup(&path, "localhost:5000").unwrap(), None);
        store(&path, "localhost:5000", "me", "s3cret").unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(v["auths"]["localhost:5000"], serde_json::json!({}));
        assert_eq!(v["credHelpers"]["localhost:5000"], "test");
        assert_eq!(
            lookup(&path, "localhost:5000").unwrap(),
            Some(Credential::Basic {
                username: "me".into(),
                password: "s3cret".into()
            })
        );
        store(&path, "localhost:5000", "<token>", "idtok").unwrap();
        assert_eq!(
            lookup(&path, "localhost:5000").unwrap(),
            Some(Credential::IdentityToken {
                token: "idtok".into()
            })
        );
        assert!(erase(&path, "localhost:5000").unwrap());
        assert_eq!(lookup(&path, "localhost:5000").unwrap(), None);

        // A missing helper binary is an error, as with docker.
        std::fs::write(&path, r#"{"credsStore": "nonexistent-berth-test"}"#).unwrap();
        let e = lookup(&path, "docker.io").unwrap_err().to_string();
        assert!(
            e.contains("docker-credential-nonexistent-berth-test"),
            "{e}"
        );
    }
}
