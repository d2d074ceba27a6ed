//! Offline image fixtures: OCI image layouts written from test code, with
//! `/bin/busybox` (busybox-static) as the only binary. Tar streams are
//! written header by header (GNU long names included) so that hostile entries
//! — `../` names, absolute names, links out of the root — can be produced,
//! which `tar::Builder`'s path checks would refuse. Everything is
//! deterministic (fixed mtimes, gzip without a timestamp), so each fixture is
//! built once per test process and written once into
//! `$CARGO_TARGET_TMPDIR/e2e-fixtures/<name>-<digest>`.

use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tar::{EntryType, Header};

pub const BUSYBOX: &str = "/bin/busybox";
const MTIME: u64 = 1_700_000_000;
const CREATED: &str = "2023-11-14T22:13:20Z";
pub const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
pub const MT_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MT_OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const MT_OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// One layer: its tar, gzip blob and both digests.
#[derive(Clone)]
pub struct Layer {
    pub tar: Vec<u8>,
    pub gz: Vec<u8>,
    /// sha256 of the uncompressed tar (the config's `rootfs.diff_ids`).
    pub diff_id: String,
    /// sha256 of the gzip blob (the manifest's layer digest).
    pub digest: String,
}

impl Layer {
    fn from_tar(tar: Vec<u8>) -> Layer {
        let mut enc = flate2::GzBuilder::new()
            .mtime(0)
            .write(Vec::new(), flate2::Compression::new(6));
        enc.write_all(&tar).unwrap();
        let gz = enc.finish().unwrap();
        Layer {
            diff_id: super::sha256(&tar),
            digest: super::sha256(&gz),
            tar,
            gz,
        }
    }
}

/// One platform's image inside a fixture.
#[derive(Clone, Debug)]
pub struct ImageMeta {
    /// `(architecture, variant)`
    pub arch: String,
    pub variant: Option<String>,
    pub manifest_digest: String,
    pub config_digest: String,
    pub diff_ids: Vec<String>,
    pub layer_digests: Vec<String>,
    /// `created_by` of each history entry.
    pub history: Vec<String>,
}

impl ImageMeta {
    /// OCI chain ids of the layers, bottom first.
    pub fn chain_ids(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in &self.diff_ids {
            let next = match out.last() {
                None => d.clone(),
                Some(prev) => super::sha256(format!("{prev} {d}").as_bytes()),
            };
            out.push(next);
        }
        out
    }

    /// The 12-hex short image id.
    pub fn short_id(&self) -> &str {
        &super::hex_of(&self.config_digest)[..12]
    }
}

/// An OCI image layout on disk with one tagged top-level object.
pub struct Fixture {
    pub name: &'static str,
    pub layout: PathBuf,
    /// The `org.opencontainers.image.ref.name` in the layout's index.json.
    pub tag: &'static str,
    /// Digest of the tagged manifest or image index.
    pub top_digest: String,
    pub is_index: bool,
    /// Host platform first.
    pub images: Vec<ImageMeta>,
}

impl Fixture {
    /// The host-platform image.
    pub fn image(&self) -> &ImageMeta {
        &self.images[0]
    }

    /// The image for `arch`.
    pub fn image_for(&self, arch: &str) -> &ImageMeta {
        self.images
            .iter()
            .find(|i| i.arch == arch)
            .unwrap_or_else(|| panic!("fixture {} has no {arch} image", self.name))
    }

    /// Every blob digest in the layout reachable from the tag.
    pub fn all_digests(&self) -> Vec<String> {
        let mut v = vec![self.top_digest.clone()];
        for i in &self.images {
            v.push(i.manifest_digest.clone());
            v.push(i.config_digest.clone());
            v.extend(i.layer_digests.iter().cloned());
        }
        v.sort();
        v.dedup();
        v
    }
}

/// `amd64`/`arm64` for the machine the tests run on (the busybox binary's).
pub fn host_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "arm" => "arm",
        "powerpc64" => "ppc64le",
        "s390x" => "s390x",
        other => other,
    }
}

/// The second platform of the multi-arch fixture.
pub fn other_arch() -> &'static str {
    if host_arch() == "arm64" {
        "amd64"
    } else {
        "arm64"
    }
}

// ---------------------------------------------------------------- tar writer

/// Writes tar entries with raw names: no normalisation, no safety checks.
pub struct RawTar {
    b: tar::Builder<Vec<u8>>,
}

impl Default for RawTar {
    fn default() -> Self {
        Self::new()
    }
}

impl RawTar {
    pub fn new() -> RawTar {
        RawTar {
            b: tar::Builder::new(Vec::new()),
        }
    }

    fn long(&mut self, kind: EntryType, value: &[u8]) {
        let mut h = Header::new_gnu();
        h.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"././@LongLink");
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(0);
        h.set_size(value.len() as u64 + 1);
        h.set_entry_type(kind);
        h.set_cksum();
        let mut data = value.to_vec();
        data.push(0);
        self.b.append(&h, &data[..]).unwrap();
    }

    fn entry(&mut self, kind: EntryType, name: &str, link: Option<&str>, mode: u32, data: &[u8]) {
        if name.len() > 100 {
            self.long(EntryType::GNULongName, name.as_bytes());
        }
        if let Some(l) = link.filter(|l| l.len() > 100) {
            self.long(EntryType::GNULongLink, l.as_bytes());
        }
        let mut h = Header::new_gnu();
        {
            let g = h.as_gnu_mut().unwrap();
            let n = name.len().min(100);
            g.name[..n].copy_from_slice(&name.as_bytes()[..n]);
            if let Some(l) = link {
                let n = l.len().min(100);
                g.linkname[..n].copy_from_slice(&l.as_bytes()[..n]);
            }
        }
        h.set_mode(mode);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(MTIME);
        h.set_size(data.len() as u64);
        h.set_entry_type(kind);
        if kind == EntryType::Char || kind == EntryType::Block {
            h.set_device_major(0).unwrap();
            h.set_device_minor(0).unwrap();
        }
        h.set_cksum();
        self.b.append(&h, data).unwrap();
    }

    pub fn dir(&mut self, name: &str, mode: u32) -> &mut Self {
        self.entry(EntryType::Directory, name, None, mode, b"");
        self
    }

    pub fn file(&mut self, name: &str, mode: u32, data: &[u8]) -> &mut Self {
        self.entry(EntryType::Regular, name, None, mode, data);
        self
    }

    pub fn symlink(&mut self, name: &str, target: &str) -> &mut Self {
        self.entry(EntryType::Symlink, name, Some(target), 0o777, b"");
        self
    }

    pub fn hardlink(&mut self, name: &str, target: &str) -> &mut Self {
        self.entry(EntryType::Link, name, Some(target), 0o644, b"");
        self
    }

    pub fn layer(self) -> Layer {
        Layer::from_tar(self.b.into_inner().unwrap())
    }
}

// ------------------------------------------------------------- layer contents

/// Applets linked to busybox in the base layer.
const APPLETS: &[&str] = &[
    "sh", "ls", "cat", "echo", "env", "true", "false", "sleep", "id", "hostname", "ps", "mkdir",
    "rm", "cp", "mv", "touch", "grep", "wget", "httpd", "nc", "ip", "ping", "test", "[", "printf",
    "stat", "wc", "head", "tail", "kill", "sync", "uname", "date", "whoami", "mount", "df",
];

fn busybox_layer() -> Layer {
    let bin = std::fs::read(BUSYBOX)
        .unwrap_or_else(|e| panic!("reading {BUSYBOX} (apt-get install busybox-static): {e}"));
    let mut t = RawTar::new();
    t.dir("bin/", 0o755).file("bin/busybox", 0o755, &bin);
    for a in APPLETS {
        t.symlink(&format!("bin/{a}"), "busybox");
    }
    t.dir("etc/", 0o755)
        .file(
            "etc/passwd",
            0o644,
            b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
        )
        .file("etc/group", 0o644, b"root:x:0:\nnogroup:x:65534:\n")
        .dir("root/", 0o700)
        .dir("tmp/", 0o1777)
        .dir("usr/", 0o755)
        .dir("usr/bin/", 0o755)
        .dir("var/", 0o755)
        .dir("var/www/", 0o755)
        .file("var/www/index.html", 0o644, b"hello from berth\n");
    t.layer()
}

/// Deterministic pseudo-random bytes (xorshift), so layers differ without a RNG.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

// ------------------------------------------------------------ layout writer

struct LayoutWriter {
    blobs: Vec<(String, Vec<u8>)>,
}

impl LayoutWriter {
    fn new() -> LayoutWriter {
        LayoutWriter { blobs: Vec::new() }
    }

    fn blob(&mut self, data: Vec<u8>) -> (String, usize) {
        let d = super::sha256(&data);
        let n = data.len();
        if !self.blobs.iter().any(|(x, _)| *x == d) {
            self.blobs.push((d.clone(), data));
        }
        (d, n)
    }

    /// Config + manifest for one platform; returns the metadata and the
    /// manifest's descriptor (without platform).
    fn image(
        &mut self,
        arch: &str,
        variant: Option<&str>,
        layers: &[(Layer, &str)],
    ) -> (ImageMeta, serde_json::Value) {
        let diff_ids: Vec<String> = layers.iter().map(|(l, _)| l.diff_id.clone()).collect();
        let history: Vec<serde_json::Value> = layers
            .iter()
            .map(|(_, by)| json!({"created": CREATED, "created_by": by}))
            .collect();
        let mut config = json!({
            "created": CREATED,
            "architecture": arch,
            "os": "linux",
            "config": {
                "Env": [PATH_ENV],
                "Cmd": ["sh"],
                "WorkingDir": "/",
                "Labels": {"org.berth.test": "fixture"}
            },
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history
        });
        if let Some(v) = variant {
            config["variant"] = json!(v);
        }
        let (config_digest, config_size) = self.blob(serde_json::to_vec(&config).unwrap());
        let mut layer_descs = Vec::new();
        for (l, _) in layers {
            let (d, n) = self.blob(l.gz.clone());
            layer_descs.push(json!({"mediaType": MT_OCI_LAYER_GZIP, "digest": d, "size": n}));
        }
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": MT_OCI_MANIFEST,
            "config": {"mediaType": MT_OCI_CONFIG, "digest": config_digest, "size": config_size},
            "layers": layer_descs
        });
        let (md, mn) = self.blob(serde_json::to_vec(&manifest).unwrap());
        let meta = ImageMeta {
            arch: arch.to_string(),
            variant: variant.map(str::to_string),
            manifest_digest: md.clone(),
            config_digest,
            diff_ids: layers.iter().map(|(l, _)| l.diff_id.clone()).collect(),
            layer_digests: layers.iter().map(|(l, _)| l.digest.clone()).collect(),
            history: layers.iter().map(|(_, by)| by.to_string()).collect(),
        };
        (
            meta,
            json!({"mediaType": MT_OCI_MANIFEST, "digest": md, "size": mn}),
        )
    }

    /// Write the layout under the fixtures cache (once) and return its path.
    fn write(self, name: &str, tag: &str, top: serde_json::Value, top_digest: &str) -> PathBuf {
        let root = fixtures_root();
        let dir = root.join(format!("{name}-{}", &super::hex_of(top_digest)[..16]));
        if dir.join("index.json").is_file() {
            return dir;
        }
        let tmp = root.join(format!(".{name}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(tmp.join("blobs/sha256")).unwrap();
        for (d, data) in &self.blobs {
            std::fs::write(tmp.join("blobs/sha256").join(super::hex_of(d)), data).unwrap();
        }
        std::fs::write(tmp.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        let mut top = top;
        top["annotations"] = json!({"org.opencontainers.image.ref.name": tag});
        let index = json!({"schemaVersion": 2, "manifests": [top]});
        std::fs::write(tmp.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
        // Another test binary may have won the race; identical content either way.
        if std::fs::rename(&tmp, &dir).is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        assert!(
            dir.join("index.json").is_file(),
            "fixture {name} not written"
        );
        dir
    }
}

fn fixtures_root() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-fixtures");
    std::fs::create_dir_all(&root).unwrap();
    root
}

fn single(name: &'static str, layers: &[(Layer, &str)]) -> Fixture {
    let mut w = LayoutWriter::new();
    let (meta, desc) = w.image(host_arch(), None, layers);
    let top_digest = meta.manifest_digest.clone();
    let layout = w.write(name, "latest", desc, &top_digest);
    Fixture {
        name,
        layout,
        tag: "latest",
        top_digest,
        is_index: false,
        images: vec![meta],
    }
}

/// The busybox base layer shared by most fixtures.
pub fn base() -> Layer {
    static L: OnceLock<Layer> = OnceLock::new();
    L.get_or_init(busybox_layer).clone()
}

const BASE_BY: &str = "ADD busybox-static /bin/busybox # berth e2e fixture";

// ------------------------------------------------------------------ fixtures

/// One layer: busybox with applet links, /etc/passwd, /tmp.
pub fn busybox() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| single("busybox", &[(base(), BASE_BY)]))
}

/// Four layers; the third overwrites a file of the second.
pub fn multilayer() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut l2 = RawTar::new();
        l2.dir("data/", 0o755)
            .file("data/noise.bin", 0o644, &noise(2, 64 * 1024))
            .file("data/version", 0o644, b"two\n");
        let mut l3 = RawTar::new();
        l3.dir("data/", 0o755)
            .file("data/version", 0o644, b"three\n")
            .file("data/three.txt", 0o644, b"layer three\n");
        let mut l4 = RawTar::new();
        l4.dir("etc/", 0o755)
            .file("etc/motd", 0o644, b"multi-layer fixture\n");
        single(
            "multilayer",
            &[
                (base(), BASE_BY),
                (l2.layer(), "RUN write data/noise.bin data/version"),
                (l3.layer(), "RUN overwrite data/version"),
                (l4.layer(), "COPY motd /etc/motd"),
            ],
        )
    })
}

/// An image index: the host platform with the real busybox layer, the other
/// platform (arm64 on amd64 hosts, variant v8) with a small different layer.
pub fn multiarch() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut w = LayoutWriter::new();
        let host = host_arch();
        let other = other_arch();
        let (m1, mut d1) = w.image(host, None, &[(base(), BASE_BY)]);
        d1["platform"] = json!({"architecture": host, "os": "linux"});
        let mut t = RawTar::new();
        t.dir("etc/", 0o755)
            .file("etc/arch", 0o644, format!("{other}\n").as_bytes());
        let variant = (other == "arm64").then_some("v8");
        let (m2, mut d2) = w.image(other, variant, &[(t.layer(), "COPY arch /etc/arch")]);
        d2["platform"] = json!({"architecture": other, "os": "linux"});
        if let Some(v) = variant {
            d2["platform"]["variant"] = json!(v);
        }
        let index = json!({
            "schemaVersion": 2,
            "mediaType": MT_OCI_INDEX,
            "manifests": [d1, d2]
        });
        let (top_digest, n) = w.blob(serde_json::to_vec(&index).unwrap());
        let desc = json!({"mediaType": MT_OCI_INDEX, "digest": top_digest, "size": n});
        let layout = w.write("multiarch", "latest", desc, &top_digest);
        Fixture {
            name: "multiarch",
            layout,
            tag: "latest",
            top_digest,
            is_index: true,
            images: vec![m1, m2],
        }
    })
}

/// busybox, then a layer with files and dirs, then one that deletes some of
/// them with `.wh.<name>` whiteouts and empties `opq/` with `.wh..wh..opq`.
pub fn whiteouts() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut l2 = RawTar::new();
        l2.dir("a/", 0o755)
            .file("a/keep", 0o644, b"keep\n")
            .file("a/gone", 0o644, b"gone\n")
            .dir("a/gonedir/", 0o755)
            .file("a/gonedir/inner", 0o644, b"inner\n")
            .dir("opq/", 0o755)
            .file("opq/old1", 0o644, b"old1\n")
            .file("opq/old2", 0o644, b"old2\n")
            .file("top-gone", 0o644, b"top\n");
        let mut l3 = RawTar::new();
        l3.dir("a/", 0o755)
            .file("a/.wh.gone", 0o644, b"")
            .file("a/.wh.gonedir", 0o644, b"")
            .file(".wh.top-gone", 0o644, b"")
            .dir("opq/", 0o755)
            .file("opq/.wh..wh..opq", 0o644, b"")
            .file("opq/new", 0o644, b"new\n");
        single(
            "whiteouts",
            &[
                (base(), BASE_BY),
                (l2.layer(), "RUN create a/ opq/ top-gone"),
                (l3.layer(), "RUN rm a/gone a/gonedir top-gone opq/*"),
            ],
        )
    })
}

/// A directory outside any data root that the hostile layers aim at. It
/// holds `passwd` (the hardlink target); `check_sentinel` verifies that
/// nothing was added or changed.
/// It is recreated once per test process, so an escape seen by an earlier
/// run does not fail later ones.
pub fn sentinel_dir() -> PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = fixtures_root().join("sentinel");
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("passwd"), SENTINEL_PASSWD).unwrap();
        d
    })
    .clone()
}

pub const SENTINEL_PASSWD: &str = "root:x:0:0:sentinel:/root:/bin/sh\n";

/// Panics if anything besides the untouched `passwd` is in the sentinel dir.
#[track_caller]
pub fn check_sentinel() {
    use std::os::unix::fs::MetadataExt;
    let d = sentinel_dir();
    let entries: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        entries,
        vec!["passwd".to_string()],
        "something escaped into {}",
        d.display()
    );
    let p = d.join("passwd");
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        SENTINEL_PASSWD,
        "{} was modified",
        p.display()
    );
    let md = std::fs::symlink_metadata(&p).unwrap();
    assert!(md.file_type().is_file(), "{} replaced", p.display());
    assert_eq!(
        md.nlink(),
        1,
        "{} was hard-linked into an image",
        p.display()
    );
}

/// Hostile layers (each on top of busybox, one attack per image so that a
/// rejection of one does not hide another). Names of escaped files start with
/// `escape-`.
pub fn malicious() -> &'static [Fixture] {
    static F: OnceLock<Vec<Fixture>> = OnceLock::new();
    F.get_or_init(|| {
        let s = sentinel_dir();
        let s = s.to_str().unwrap();
        let up = "../".repeat(24);
        let s_rel = s.trim_start_matches('/');
        let mut v = Vec::new();

        let mut t = RawTar::new();
        t.file(&format!("{up}{s_rel}/escape-dotdot"), 0o644, b"x")
            .file("../escape-dotdot-1", 0o644, b"x")
            .file("a/../../escape-dotdot-2", 0o644, b"x");
        v.push(single(
            "evil-dotdot",
            &[(base(), BASE_BY), (t.layer(), "dotdot")],
        ));

        let mut t = RawTar::new();
        t.file(&format!("{s}/escape-abs"), 0o644, b"x");
        v.push(single(
            "evil-abs",
            &[(base(), BASE_BY), (t.layer(), "absolute")],
        ));

        let mut t = RawTar::new();
        t.symlink("evil-link", s)
            .file("evil-link/escape-symlink", 0o644, b"x")
            .symlink("evil-rel", &format!("{up}{s_rel}"))
            .file("evil-rel/escape-symlink-rel", 0o644, b"x")
            .symlink("evil-passwd", &format!("{s}/passwd"))
            .file("evil-passwd", 0o644, b"overwritten through a symlink\n");
        v.push(single(
            "evil-symlink",
            &[(base(), BASE_BY), (t.layer(), "symlink")],
        ));

        let mut t = RawTar::new();
        t.hardlink("evil-hl", &format!("{s}/passwd"))
            .hardlink("evil-hl-rel", &format!("{up}{s_rel}/passwd"))
            .symlink("evil-sl", &format!("{s}/passwd"))
            .hardlink("evil-hl-via-symlink", "evil-sl");
        v.push(single(
            "evil-hardlink",
            &[(base(), BASE_BY), (t.layer(), "hardlink")],
        ));
        v
    })
}

/// A one-off image: busybox with `top` as a second layer (not cached per
/// process: the caller builds it once per case, e.g. aimed at its own host
/// directory).
pub fn on_busybox(name: &'static str, top: Layer) -> Fixture {
    single(name, &[(base(), BASE_BY), (top, name)])
}
