//! Registries that lie and images that overreach: ambiguous manifests
//! (CVE-2021-41190), a blob served wrong once and right the next time, a pull
//! that fills the disk, and a 64 MiB `/etc/group`. After each failure nothing
//! of the image is recorded and nothing is left that would poison the next
//! pull; the user database is refused clearly in bounded memory (peak RSS
//! measured with GNU time, package `time`).

use crate::require;
use crate::support::fixtures::{self, MT_OCI_INDEX, MT_OCI_MANIFEST};
use crate::support::http::{Canned, FakeServer};
use crate::support::require::Need;
use crate::support::{serve, sha256, Berth};

const CONFIG_DESC: &str = r#"{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}"#;

/// A fake registry that serves `docs` (path suffix after `/manifests/`,
/// Content-Type, body) and nothing else.
fn manifest_server(docs: Vec<(String, &'static str, String)>) -> FakeServer {
    FakeServer::start(move |_, path| {
        if path == "/v2/" {
            let mut c = Canned::json(200, "{}");
            c.headers.push((
                "Docker-Distribution-API-Version".into(),
                "registry/2.0".into(),
            ));
            return c;
        }
        for (object, ct, body) in &docs {
            if path.ends_with(&format!("/manifests/{object}")) {
                let mut c = Canned::json(200, body);
                c.headers = vec![("Content-Type".into(), ct.to_string())];
                return c;
            }
        }
        Canned::json(404, r#"{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"#)
    })
}

#[track_caller]
fn assert_refused(srv: &FakeServer, expect: &str) {
    let b = Berth::new();
    b.set_insecure(&[&srv.host()]);
    let image = format!("{}/amb:v1", srv.host());
    let out = b.code(&["pull", &image], 1);
    assert!(
        out.stderr.contains("invalid manifest for") && out.stderr.contains(expect),
        "{out}"
    );
    assert!(b.image_ids().is_empty(), "ambiguous image recorded");
    let blobs_asked = srv
        .requests
        .lock()
        .unwrap()
        .iter()
        .any(|r| r.contains("/blobs/"));
    assert!(!blobs_asked, "berth fetched blobs of an ambiguous manifest");
}

#[test]
fn pull_refuses_a_document_that_is_both_manifest_and_index() {
    let body =
        format!(r#"{{"schemaVersion":2,"config":{CONFIG_DESC},"layers":[],"manifests":[]}}"#);
    let srv = manifest_server(vec![("v1".into(), MT_OCI_MANIFEST, body)]);
    assert_refused(&srv, "both");
}

#[test]
fn pull_refuses_a_media_type_that_disagrees_with_content_type() {
    let body = format!(
        r#"{{"schemaVersion":2,"mediaType":"{MT_OCI_MANIFEST}","config":{CONFIG_DESC},"layers":[]}}"#
    );
    let srv = manifest_server(vec![("v1".into(), MT_OCI_INDEX, body)]);
    assert_refused(
        &srv,
        &format!("served as {MT_OCI_INDEX} but its mediaType is {MT_OCI_MANIFEST}"),
    );
}

#[test]
fn pull_refuses_an_index_child_that_is_not_the_manifest_it_was_described_as() {
    // The child says it is an index, served under a vague Content-Type, while
    // the index describes it as a manifest.
    let child = format!(r#"{{"schemaVersion":2,"mediaType":"{MT_OCI_INDEX}","manifests":[]}}"#);
    let digest = sha256(child.as_bytes());
    let index = format!(
        r#"{{"schemaVersion":2,"mediaType":"{MT_OCI_INDEX}","manifests":[{{"mediaType":"{MT_OCI_MANIFEST}","digest":"{digest}","size":{},"platform":{{"architecture":"{}","os":"linux"}}}}]}}"#,
        child.len(),
        fixtures::host_arch()
    );
    let srv = manifest_server(vec![
        ("v1".into(), MT_OCI_INDEX, index),
        (digest, "application/json", child),
    ]);
    assert_refused(
        &srv,
        &format!("served as {MT_OCI_MANIFEST} but its mediaType is {MT_OCI_INDEX}"),
    );
}

/// `.data` files under `content/ingest/` (partial downloads).
fn ingest_files(b: &Berth) -> Vec<std::path::PathBuf> {
    let dir = b.data_root.join("content/ingest");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "data"))
        .collect();
    out.sort();
    out
}

/// The registry serves the layer with one byte changed, then (repaired) the
/// right bytes: the first pull fails and keeps nothing of the bad download,
/// the second succeeds.
fn bad_bytes_once_then_right(flip_at: impl FnOnce(usize) -> usize) {
    let fx = fixtures::busybox();
    let s = serve(fx);
    let layer = &fx.image().layer_digests[0];
    let path = s.reg.blob_path(layer);
    let good = std::fs::read(&path).unwrap();
    let mut bad = good.clone();
    let at = flip_at(bad.len());
    bad[at] ^= 0xff;
    std::fs::write(&path, &bad).unwrap();
    let out = s.berth.code(&["pull", &s.image], 1);
    assert!(s.berth.image_ids().is_empty(), "image recorded:\n{out}");
    assert!(!s.berth.committed_blobs().contains(layer), "{out}");
    assert_eq!(
        ingest_files(&s.berth),
        Vec::<std::path::PathBuf>::new(),
        "the bad download was kept for resuming:\n{out}"
    );
    std::fs::write(&path, &good).unwrap();
    s.berth.ok(&["pull", &s.image]);
    crate::pull::assert_pulled(&s.berth, &s.image, fx.image());
}

#[test]
fn pull_after_a_corrupt_layer_mid_stream_starts_afresh() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    bad_bytes_once_then_right(|len| len / 2);
}

#[test]
fn pull_after_a_layer_with_a_bad_trailer_starts_afresh() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    // The gzip trailer (CRC and size): the tar reads fine, only the end of
    // the stream and the digest can tell.
    bad_bytes_once_then_right(|len| len - 1);
}

/// A tmpfs of `size` mounted on `dir` for the life of the guard.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(dir: &std::path::Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).unwrap();
        let st = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir)
            .status()
            .expect("running mount");
        assert!(st.success(), "mounting a tmpfs on {}", dir.display());
        Tmpfs(dir.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn pull_onto_a_full_disk_names_the_path_and_keeps_nothing() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    // 12 MiB that do not compress, on a data root of 8 MiB.
    let mut t = fixtures::RawTar::new();
    t.file("big", 0o644, &fixtures::noise(42, 12 << 20));
    let fx = fixtures::on_busybox("fulldisk", t.layer());
    let s = serve(&fx);
    let _fs = Tmpfs::mount(&s.berth.data_root, "8m");
    let out = s.berth.code(&["pull", &s.image], 1);
    let data_root = s.berth.data_root.display().to_string();
    assert!(
        out.stderr.contains("no space left on device") && out.stderr.contains(&data_root),
        "the error must say the disk is full and where:\n{out}"
    );
    assert!(s.berth.image_ids().is_empty(), "image recorded:\n{out}");
    assert_eq!(
        ingest_files(&s.berth),
        Vec::<std::path::PathBuf>::new(),
        "the partial download was kept:\n{out}"
    );
    let tmp = s.berth.snapshots_dir().join("tmp");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "extraction leftovers {left:?}:\n{out}");
    let big_layer = &fx.image().layer_digests[1];
    assert!(!s.berth.committed_blobs().contains(big_layer), "{out}");
    // The space came back: the base layer and the metadata fit again.
    let df = std::process::Command::new("df")
        .args(["--output=used", "-B1"])
        .arg(&s.berth.data_root)
        .output()
        .unwrap();
    let used: u64 = String::from_utf8_lossy(&df.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap();
    assert!(
        used < 6 << 20,
        "{used} bytes still used after the failed pull"
    );
}

/// Run `berth` under GNU time, returning its output and its peak RSS in KiB.
fn run_measured(b: &Berth, args: &[&str]) -> (std::process::Output, u64) {
    const TIME: &str = "/usr/bin/time";
    assert!(
        std::path::Path::new(TIME).is_file(),
        "{TIME} is missing (apt-get install time)"
    );
    let inner = b.command(args);
    let report = b.base().join("maxrss");
    let mut c = std::process::Command::new(TIME);
    c.args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(inner.get_program())
        .args(inner.get_args());
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    if let Some(d) = inner.get_current_dir() {
        c.current_dir(d);
    }
    let out = c.stdin(std::process::Stdio::null()).output().unwrap();
    let text = std::fs::read_to_string(&report).unwrap();
    let kib = text.lines().last().and_then(|l| l.trim().parse().ok());
    (out, kib.unwrap_or_else(|| panic!("{TIME} wrote {text:?}")))
}

#[test]
fn run_as_a_group_from_a_64mib_group_file_fails_clearly_in_bounded_memory() {
    require!(@containers);
    let lab = crate::containers::Lab::new();
    // busybox with a 64 MiB /etc/group (it compresses to almost nothing).
    let mut group = String::from("root:x:0:\n");
    let mut n = 0u32;
    while group.len() < 64 << 20 {
        group.push_str(&format!("g{n}:x:{}:root,nobody\n", 100_000 + n));
        n += 1;
    }
    group.push_str("last:x:4242:\n");
    let mut t = fixtures::RawTar::new();
    t.dir("etc/", 0o755)
        .file("etc/group", 0o644, group.as_bytes());
    drop(group);
    let fx = fixtures::on_busybox("biggroup", t.layer());
    let repo = crate::support::unique("biggroup");
    crate::support::skopeo::push_with(&fx, &lab.s.reg, &repo, "v1", Default::default());
    let image = lab.s.reg.image(&repo, "v1");
    lab.b().ok(&["pull", "-q", &image]);
    let (out, maxrss_kib) = run_measured(lab.b(), &["run", "--rm", "-u", "0:last", &image, "id"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("berth run peak RSS: {maxrss_kib} KiB");
    // The same exit code as any other user lookup failure.
    let missing = lab.run(&["--rm", "-u", "0:nosuchgroup"], &["id"]);
    assert!(missing.stderr.contains("unable to find group"), "{missing}");
    assert_eq!(out.status.code(), Some(missing.code), "{stderr}");
    assert!(
        stderr.contains("/etc/group in the container root is larger than 16777216 bytes"),
        "{stderr}"
    );
    assert!(maxrss_kib < 64 << 10, "berth peaked at {maxrss_kib} KiB");
}
