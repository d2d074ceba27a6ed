//! Integration tests of the registry client: against Debian's
//! `docker-registry` started on a free loopback port (with `skopeo` as an
//! independent reader), and against a scripted HTTP server for the Bearer
//! token flow and hostile answers. Tests that need a missing binary skip,
//! unless `CI=true`, which turns the skip into a failure.

use super::client::BlobBody;
use super::credentials;
use super::{Registry, RegistryError, RegistryOptions};
use crate::image::digest::Digest;
use crate::image::manifest::{Descriptor, MAX_MANIFEST_SIZE, OCI_CONFIG, OCI_LAYER, OCI_MANIFEST};
use crate::image::reference::Reference;
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const REGISTRY_BIN: &str = "/usr/bin/docker-registry";

/// Whether `path` exists; otherwise skip (or fail under CI=true).
fn have(test: &str, path: &str) -> bool {
    if Path::new(path).exists() {
        return true;
    }
    let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    assert!(
        !ci,
        "{test}: {path} is missing and CI=true turns skips into failures"
    );
    eprintln!("skipping {test}: {path} is missing");
    false
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A `docker-registry` process on 127.0.0.1, killed on drop.
struct TestRegistry {
    child: Child,
    addr: String,
    dir: tempfile::TempDir,
}

impl TestRegistry {
    fn start(htpasswd: Option<(&str, &str)>) -> TestRegistry {
        TestRegistry::start_with(htpasswd, None)
    }

    /// `tls`: server certificate and key files.
    fn start_with(htpasswd: Option<(&str, &str)>, tls: Option<(&Path, &Path)>) -> TestRegistry {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
             http:\n  addr: {addr}\n",
            dir.path().join("data").display()
        );
        if let Some((cert, key)) = tls {
            config.push_str(&format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                cert.display(),
                key.display()
            ));
        }
        if let Some((user, pass)) = htpasswd {
            let out = Command::new("htpasswd")
                .args(["-Bbn", user, pass])
                .output()
                .expect("running htpasswd");
            assert!(out.status.success());
            let file = dir.path().join("htpasswd");
            std::fs::write(&file, out.stdout).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: berth-test\n    path: {}\n",
                file.display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).unwrap();
        let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
        let mut child = Command::new(REGISTRY_BIN)
            .arg("serve")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("starting docker-registry");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if std::net::TcpStream::connect(&addr).is_ok() {
                break;
            }
            if let Some(status) = child.try_wait().unwrap() {
                let log =
                    std::fs::read_to_string(dir.path().join("registry.log")).unwrap_or_default();
                panic!("docker-registry exited with {status}: {log}");
            }
            assert!(
                Instant::now() < deadline,
                "docker-registry did not start on {addr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        TestRegistry { child, addr, dir }
    }

    fn client(&self) -> Registry {
        client_in(self.dir.path())
    }
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client_in(dir: &Path) -> Registry {
    Registry::new(RegistryOptions {
        insecure: Vec::new(),
        hosts_dir: dir.join("certs.d"),
        docker_config: dir.join("docker/config.json"),
    })
}

/// A tiny image: a config blob, one layer, and an OCI manifest.
struct TinyImage {
    config: Vec<u8>,
    config_desc: Descriptor,
    layer: Vec<u8>,
    layer_desc: Descriptor,
    manifest: Vec<u8>,
}

fn desc(media_type: &str, data: &[u8]) -> Descriptor {
    Descriptor {
        media_type: media_type.to_string(),
        digest: Digest::of_bytes(data),
        size: data.len() as u64,
        platform: None,
        annotations: None,
        urls: None,
    }
}

fn tiny_image(seed: &str) -> TinyImage {
    let layer: Vec<u8> = format!("layer bytes for {seed}; ")
        .into_bytes()
        .into_iter()
        .cycle()
        .take(200_000)
        .collect();
    let layer_desc = desc(OCI_LAYER, &layer);
    let config = serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [layer_desc.digest.to_string()]},
    })
    .to_string()
    .into_bytes();
    let config_desc = desc(OCI_CONFIG, &config);
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config_desc,
        "layers": [layer_desc],
    })
    .to_string()
    .into_bytes();
    TinyImage {
        config,
        config_desc,
        layer,
        layer_desc,
        manifest,
    }
}

async fn collect(mut s: super::client::BlobStream) -> Result<Vec<u8>, RegistryError> {
    let mut out = Vec::new();
    while let Some(chunk) = s.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}

/// Push `img` as `r` with the client: blobs (layer streamed from a file) then manifest.
async fn push_image(
    client: &Registry,
    r: &Reference,
    img: &TinyImage,
    dir: &Path,
) -> Result<Digest, RegistryError> {
    let layer_file = dir.join(format!("layer-{}", img.layer_desc.digest.short()));
    std::fs::write(&layer_file, &img.layer).unwrap();
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    client
        .push_blob(
            r,
            &img.layer_desc,
            BlobBody::File(layer_file),
            Some(Arc::new(move |n| {
                counter.fetch_add(n, Ordering::Relaxed);
            })),
        )
        .await?;
    assert_eq!(sent.load(Ordering::Relaxed), img.layer_desc.size);
    client
        .push_blob(r, &img.config_desc, img.config.clone().into(), None)
        .await?;
    client
        .put_manifest(r, r.tag().unwrap(), OCI_MANIFEST, &img.manifest)
        .await
}

#[tokio::test]
async fn push_pull_mount_and_errors_against_docker_registry() {
    if !have("registry round trip", REGISTRY_BIN) {
        return;
    }
    let reg = TestRegistry::start(None);
    let client = reg.client();
    let img = tiny_image("round-trip");
    let r = Reference::parse(&format!("{}/berth/test:v1", reg.addr)).unwrap();

    assert!(!client
        .blob_exists(&r, &img.layer_desc.digest)
        .await
        .unwrap());
    let digest = push_image(&client, &r, &img, reg.dir.path()).await.unwrap();
    assert_eq!(digest, Digest::of_bytes(&img.manifest));
    assert!(client
        .blob_exists(&r, &img.layer_desc.digest)
        .await
        .unwrap());

    // Resolve by tag and by digest; fetch by descriptor.
    let (d, body) = client.resolve(&r).await.unwrap();
    assert_eq!(d.digest, digest);
    assert_eq!(d.media_type, OCI_MANIFEST);
    assert_eq!(d.size, img.manifest.len() as u64);
    assert_eq!(body, img.manifest);
    let (d2, _) = client
        .resolve(&r.with_digest(digest.clone()).without_tag())
        .await
        .unwrap();
    assert_eq!(d2, d);
    assert_eq!(client.fetch_manifest(&r, &d).await.unwrap(), img.manifest);
    let mut wrong = d.clone();
    wrong.size += 1;
    let e = client.fetch_manifest(&r, &wrong).await.unwrap_err();
    assert!(matches!(e, RegistryError::Mismatch { .. }), "{e}");

    // Blobs, whole and from an offset.
    let whole = collect(client.fetch_blob(&r, &img.layer_desc, 0).await.unwrap())
        .await
        .unwrap();
    assert_eq!(whole, img.layer);
    let tail = collect(client.fetch_blob(&r, &img.layer_desc, 12345).await.unwrap())
        .await
        .unwrap();
    assert_eq!(tail, img.layer[12345..]);
    let cfg = collect(client.fetch_blob(&r, &img.config_desc, 0).await.unwrap())
        .await
        .unwrap();
    assert_eq!(cfg, img.config);

    // skopeo, an independent client, reads what we pushed.
    if have("registry round trip (skopeo)", "/usr/bin/skopeo") {
        let out = Command::new("skopeo")
            .args(["inspect", "--raw", "--tls-verify=false"])
            .arg(format!("docker://{}/berth/test:v1", reg.addr))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout, img.manifest);
    }

    // Cross-repository mount: known blob mounts, unknown one does not.
    let other = Reference::parse(&format!("{}/berth/other:v1", reg.addr)).unwrap();
    assert!(!client
        .blob_exists(&other, &img.layer_desc.digest)
        .await
        .unwrap());
    assert!(client
        .mount_blob(&other, &r, &img.layer_desc.digest)
        .await
        .unwrap());
    assert!(client
        .blob_exists(&other, &img.layer_desc.digest)
        .await
        .unwrap());
    let unknown = Digest::of_bytes(b"never pushed");
    assert!(!client.mount_blob(&other, &r, &unknown).await.unwrap());
    let elsewhere = Reference::parse("example.com/berth/test:v1").unwrap();
    assert!(!client
        .mount_blob(&other, &elsewhere, &img.layer_desc.digest)
        .await
        .unwrap());

    // Not found.
    let e = client
        .resolve(&r.with_tag("nope").unwrap())
        .await
        .unwrap_err();
    assert!(e.is_not_found());
    assert_eq!(
        e.to_string(),
        format!(
            "manifest for {}/berth/test:nope not found: manifest unknown",
            reg.addr
        )
    );
    let e = client
        .fetch_blob(&r, &desc(OCI_LAYER, b"never pushed"), 0)
        .await
        .err()
        .unwrap();
    assert!(matches!(e, RegistryError::BlobNotFound { .. }), "{e}");

    // A manifest naming a missing blob is refused with the registry's message.
    let bad = serde_json::json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": desc(OCI_CONFIG, b"missing config"), "layers": [],
    })
    .to_string();
    let e = client
        .put_manifest(&r, "bad", OCI_MANIFEST, bad.as_bytes())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("blob unknown"), "{e}");

    // A digest that does not match the bytes is rejected by the registry.
    let mut lie = desc(OCI_LAYER, b"abc");
    lie.digest = Digest::of_bytes(b"xyz");
    assert!(client
        .push_blob(&r, &lie, b"abc".to_vec().into(), None)
        .await
        .is_err());
    // And a file whose size differs from the descriptor is refused before upload.
    let f = reg.dir.path().join("short");
    std::fs::write(&f, b"ab").unwrap();
    let e = client
        .push_blob(&r, &lie, BlobBody::File(f), None)
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::Mismatch { .. }), "{e}");
}

#[tokio::test]
async fn mirrors_are_tried_in_order() {
    if !have("registry mirrors", REGISTRY_BIN) {
        return;
    }
    let reg = TestRegistry::start(None);
    let img = tiny_image("mirrors");
    let r = Reference::parse(&format!("{}/berth/m:v1", reg.addr)).unwrap();
    push_image(&reg.client(), &r, &img, reg.dir.path())
        .await
        .unwrap();

    let dead = free_port();
    let dir = tempfile::tempdir().unwrap();
    // A dead mirror in front of the live server: the server answers.
    let host_dir = dir.path().join("certs.d").join(&reg.addr);
    std::fs::create_dir_all(&host_dir).unwrap();
    std::fs::write(
        host_dir.join("hosts.toml"),
        format!("[host.\"http://127.0.0.1:{dead}\"]\n  capabilities = [\"pull\", \"resolve\"]\n"),
    )
    .unwrap();
    // A dead server behind a live mirror: the mirror answers pulls, pushes fail.
    let dead_domain = format!("127.0.0.1:{}", free_port());
    let dead_dir = dir.path().join("certs.d").join(&dead_domain);
    std::fs::create_dir_all(&dead_dir).unwrap();
    std::fs::write(
        dead_dir.join("hosts.toml"),
        format!(
            "server = \"http://{dead_domain}\"\n[host.\"http://{}\"]\n  capabilities = [\"pull\", \"resolve\"]\n",
            reg.addr
        ),
    )
    .unwrap();
    let client = client_in(dir.path());

    let (d, _) = client.resolve(&r).await.unwrap();
    assert_eq!(d.digest, Digest::of_bytes(&img.manifest));

    let via_mirror = Reference::parse(&format!("{dead_domain}/berth/m:v1")).unwrap();
    let (d, _) = client.resolve(&via_mirror).await.unwrap();
    assert_eq!(d.digest, Digest::of_bytes(&img.manifest));
    let layer = collect(
        client
            .fetch_blob(&via_mirror, &img.layer_desc, 0)
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(layer, img.layer);
    let e = client
        .blob_exists(&via_mirror, &img.layer_desc.digest)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("connection refused"), "{e}");
}

#[tokio::test]
async fn refused_connection_names_host_and_port() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let client = client_in(dir.path());
    let r = Reference::parse(&format!("127.0.0.1:{port}/berth/x")).unwrap();
    let e = client.resolve(&r).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "Get \"http://127.0.0.1:{port}/v2/berth/x/manifests/latest\": \
             dial tcp 127.0.0.1:{port}: connect: connection refused"
        )
    );
    let e = client
        .login(&format!("127.0.0.1:{port}"), "u", "p")
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("Get \"http://127.0.0.1:{port}/v2/\": dial tcp 127.0.0.1:{port}: connect: connection refused")
    );
}

#[tokio::test]
async fn basic_auth_with_htpasswd_registry() {
    if !have("registry basic auth", REGISTRY_BIN)
        || !have("registry basic auth", "/usr/bin/htpasswd")
    {
        return;
    }
    let reg = TestRegistry::start(Some(("berth", "s3cret")));
    let img = tiny_image("auth");
    let r = Reference::parse(&format!("{}/berth/private:v1", reg.addr)).unwrap();

    let anonymous = reg.client();
    let e = anonymous.resolve(&r).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "pull access denied for {}/berth/private, repository does not exist or may require 'docker login'",
            reg.addr
        )
    );
    let e = push_image(&anonymous, &r, &img, reg.dir.path())
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::PushDenied { .. }), "{e}");
    assert!(e
        .to_string()
        .contains("requested access to the resource is denied"));

    let e = anonymous
        .login(&reg.addr, "berth", "wrong")
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "login attempt to http://{}/v2/ failed with status: 401 Unauthorized",
            reg.addr
        )
    );
    anonymous.login(&reg.addr, "berth", "s3cret").await.unwrap();
    anonymous
        .login(&format!("http://{}", reg.addr), "berth", "s3cret")
        .await
        .unwrap();

    let config = reg.dir.path().join("docker/config.json");
    credentials::store(&config, &reg.addr, "berth", "s3cret").unwrap();
    let authed = reg.client();
    push_image(&authed, &r, &img, reg.dir.path()).await.unwrap();
    let (d, body) = authed.resolve(&r).await.unwrap();
    assert_eq!(body, img.manifest);
    assert_eq!(d.digest, Digest::of_bytes(&img.manifest));
    let layer = collect(authed.fetch_blob(&r, &img.layer_desc, 0).await.unwrap())
        .await
        .unwrap();
    assert_eq!(layer, img.layer);

    // Wrong stored credentials: still denied, not a crash.
    credentials::store(&config, &reg.addr, "berth", "bad").unwrap();
    let e = reg.client().resolve(&r).await.unwrap_err();
    assert!(matches!(e, RegistryError::PullDenied { .. }), "{e}");
}

/// A CA and a server certificate for 127.0.0.1 signed by it, made with openssl.
fn make_certs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=berth test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    )
}

#[tokio::test]
async fn tls_registry_with_hosts_toml_ca_and_skip_verify() {
    if !have("registry TLS", REGISTRY_BIN) || !have("registry TLS", "/usr/bin/openssl") {
        return;
    }
    let certs = tempfile::tempdir().unwrap();
    let (ca, cert, key) = make_certs(certs.path());
    let reg = TestRegistry::start_with(None, Some((&cert, &key)));
    let r = Reference::parse(&format!("{}/berth/tls:v1", reg.addr)).unwrap();
    let host_dir = |root: &Path| {
        let d = root.join("certs.d").join(&reg.addr);
        std::fs::create_dir_all(&d).unwrap();
        d
    };

    // Trusting the CA through hosts.toml: push and pull work over HTTPS.
    let trusted = tempfile::tempdir().unwrap();
    std::fs::write(
        host_dir(trusted.path()).join("hosts.toml"),
        format!(
            "server = \"https://{}\"\nca = \"{}\"\n",
            reg.addr,
            ca.display()
        ),
    )
    .unwrap();
    let client = client_in(trusted.path());
    let img = tiny_image("tls");
    push_image(&client, &r, &img, trusted.path()).await.unwrap();
    let (_, body) = client.resolve(&r).await.unwrap();
    assert_eq!(body, img.manifest);

    // Without the CA the certificate is refused, naming the URL.
    let untrusted = tempfile::tempdir().unwrap();
    std::fs::write(
        host_dir(untrusted.path()).join("hosts.toml"),
        format!("server = \"https://{}\"\n", reg.addr),
    )
    .unwrap();
    let e = client_in(untrusted.path()).resolve(&r).await.unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!("Get \"https://{}/v2/", reg.addr)),
        "{msg}"
    );
    assert!(
        msg.ends_with(
            "tls: failed to verify certificate: x509: certificate signed by unknown authority"
        ),
        "{msg}"
    );

    // skip_verify accepts it.
    std::fs::write(
        host_dir(untrusted.path()).join("hosts.toml"),
        format!("server = \"https://{}\"\nskip_verify = true\n", reg.addr),
    )
    .unwrap();
    let (_, body) = client_in(untrusted.path()).resolve(&r).await.unwrap();
    assert_eq!(body, img.manifest);
}

// ---- A scripted HTTP/1.1 server for the token flow and hostile answers. ----

struct FakeRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl FakeRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct FakeResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Send Content-Length (else the body ends when the connection closes).
    length: Option<u64>,
}

impl FakeResponse {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> FakeResponse {
        let body = body.into();
        FakeResponse {
            status,
            headers: Vec::new(),
            length: Some(body.len() as u64),
            body,
        }
    }
    fn header(mut self, k: &str, v: &str) -> FakeResponse {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
}

type Handler = Arc<dyn Fn(&FakeRequest) -> FakeResponse + Send + Sync>;

/// Serve `handler` on a loopback port for the rest of the test's runtime.
async fn fake_server(handler: Handler) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let handler = handler.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    let n = match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i;
                    }
                    if buf.len() > 65536 {
                        return;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let mut lines = head.split("\r\n");
                let mut first = lines.next().unwrap_or("").split(' ');
                let req = FakeRequest {
                    method: first.next().unwrap_or("").to_string(),
                    target: first.next().unwrap_or("").to_string(),
                    headers: lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                        .collect(),
                };
                let resp = handler(&req);
                let mut out = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", resp.status);
                for (k, v) in &resp.headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                if let Some(n) = resp.length {
                    out.push_str(&format!("Content-Length: {n}\r\n"));
                }
                out.push_str("\r\n");
                let _ = sock.write_all(out.as_bytes()).await;
                let _ = sock.write_all(&resp.body).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn bearer_token_flow_and_hostile_answers() {
    const MANIFEST: &[u8] = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},"layers":[]}"#;
    let tokens = Arc::new(AtomicUsize::new(0));
    let token_queries = Arc::new(Mutex::new(Vec::<String>::new()));
    let addr_cell = Arc::new(Mutex::new(String::new()));
    let handler: Handler = {
        let tokens = tokens.clone();
        let token_queries = token_queries.clone();
        let addr_cell = addr_cell.clone();
        Arc::new(move |req: &FakeRequest| {
            let addr = addr_cell.lock().unwrap().clone();
            if let Some(q) = req.target.strip_prefix("/token?") {
                token_queries.lock().unwrap().push(q.to_string());
                // "user:pass"
                return if req.header("authorization") == Some("Basic dXNlcjpwYXNz") {
                    tokens.fetch_add(1, Ordering::SeqCst);
                    FakeResponse::new(200, r#"{"access_token":"tok-1","expires_in":300}"#)
                } else {
                    FakeResponse::new(401, r#"{"details":"incorrect username or password"}"#)
                };
            }
            if req.header("authorization") != Some("Bearer tok-1") {
                return FakeResponse::new(401, "").header(
                    "WWW-Authenticate",
                    &format!(
                        r#"Bearer realm="http://{addr}/token",service="fake",scope="repository:berth/app:pull""#
                    ),
                );
            }
            let good = Digest::of_bytes(MANIFEST).to_string();
            match (req.method.as_str(), req.target.as_str()) {
                ("GET", "/v2/") => FakeResponse::new(200, "{}"),
                ("GET", "/v2/berth/app/manifests/v1") => FakeResponse::new(200, MANIFEST)
                    .header("Content-Type", OCI_MANIFEST)
                    .header("Docker-Content-Digest", &good),
                ("GET", "/v2/berth/app/manifests/liar") => FakeResponse::new(200, MANIFEST)
                    .header("Content-Type", OCI_MANIFEST)
                    .header(
                        "Docker-Content-Digest",
                        &Digest::of_bytes(b"other").to_string(),
                    ),
                ("GET", "/v2/berth/app/manifests/huge") => FakeResponse {
                    length: Some(MAX_MANIFEST_SIZE + 1),
                    ..FakeResponse::new(200, "{}")
                },
                ("GET", "/v2/berth/app/manifests/endless") => FakeResponse {
                    length: None,
                    ..FakeResponse::new(200, vec![b' '; MAX_MANIFEST_SIZE as usize + 10])
                },
                ("GET", "/v2/berth/app/manifests/broken") => FakeResponse::new(
                    500,
                    r#"{"errors":[{"code":"UNKNOWN","message":"storage exploded"}]}"#,
                ),
                ("GET", p) if p.starts_with("/v2/berth/app/blobs/") => {
                    // Ignores Range and sends too much.
                    FakeResponse {
                        length: None,
                        ..FakeResponse::new(200, vec![b'x'; 100])
                    }
                }
                _ => FakeResponse::new(
                    404,
                    r#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#,
                ),
            }
        })
    };
    let addr = fake_server(handler).await;
    *addr_cell.lock().unwrap() = addr.clone();

    let dir = tempfile::tempdir().unwrap();
    let anonymous = client_in(dir.path());
    let r = Reference::parse(&format!("{addr}/berth/app:v1")).unwrap();
    let e = anonymous.resolve(&r).await.unwrap_err();
    assert!(matches!(e, RegistryError::PullDenied { .. }), "{e}");

    credentials::store(
        &dir.path().join("docker/config.json"),
        &addr,
        "user",
        "pass",
    )
    .unwrap();
    let client = client_in(dir.path());
    let (d, body) = client.resolve(&r).await.unwrap();
    assert_eq!(body, MANIFEST);
    assert_eq!(d.media_type, OCI_MANIFEST);
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
    // The cached token serves the next request without a new token fetch.
    client.resolve(&r).await.unwrap();
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
    let q = token_queries.lock().unwrap().last().cloned().unwrap();
    assert!(
        q.contains("service=fake") && q.contains("scope=repository%3Aberth%2Fapp%3Apull"),
        "{q}"
    );

    // Bearer login with the token server.
    client.login(&addr, "user", "pass").await.unwrap();
    let e = client.login(&addr, "user", "nope").await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("authenticating to {addr}: unauthorized: incorrect username or password")
    );

    let at = |tag: &str| r.with_tag(tag).unwrap();
    let e = client.resolve(&at("liar")).await.unwrap_err();
    assert!(matches!(e, RegistryError::Mismatch { .. }), "{e}");
    let e = client.resolve(&at("huge")).await.unwrap_err();
    assert!(matches!(e, RegistryError::TooLarge { .. }), "{e}");
    let e = client.resolve(&at("endless")).await.unwrap_err();
    assert!(matches!(e, RegistryError::TooLarge { .. }), "{e}");
    let e = client.resolve(&at("broken")).await.unwrap_err();
    assert!(
        e.to_string()
            .ends_with("unexpected status 500: unknown: storage exploded"),
        "{e}"
    );
    let e = client.resolve(&at("missing")).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    // Pinned to a digest the body does not have.
    let pinned = r.with_digest(Digest::of_bytes(b"something else"));
    let e = client.resolve(&pinned).await.unwrap_err();
    assert!(
        matches!(e, RegistryError::Mismatch { .. }) || e.is_not_found(),
        "{e}"
    );

    // A blob server that ignores Range is skipped forward, and one that
    // sends more than the descriptor says is cut off.
    let blob = desc(OCI_LAYER, &[b'x'; 100]);
    let tail = collect(client.fetch_blob(&r, &blob, 60).await.unwrap())
        .await
        .unwrap();
    assert_eq!(tail, vec![b'x'; 40]);
    let small = desc(OCI_LAYER, &[b'x'; 10]);
    let e = collect(client.fetch_blob(&r, &small, 0).await.unwrap())
        .await
        .unwrap_err();
    assert!(matches!(e, RegistryError::TooLarge { .. }), "{e}");
    let big = desc(OCI_LAYER, &[b'x'; 200]);
    let e = collect(client.fetch_blob(&r, &big, 0).await.unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("unexpected EOF"), "{e}");
}

#[allow(dead_code)]
fn _assert_send(r: Registry, p: PathBuf) {
    // The client's futures must be Send so callers can spawn them.
    fn is_send<T: Send>(_: T) {}
    let reference = Reference::parse("x").unwrap();
    is_send(async move {
        let _ = r.resolve(&reference).await;
        let d = desc(OCI_LAYER, b"");
        let _ = r.push_blob(&reference, &d, BlobBody::File(p), None).await;
        let _ = r.fetch_blob(&reference, &d, 0).await;
    });
}
