//! OCI image-spec and Docker schema 2 documents: descriptors, manifests,
//! indexes (manifest lists) and image configs. Field names follow the specs so
//! documents round-trip; unknown fields are kept where berth re-serialises.

use super::digest::Digest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";

pub const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar";
pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const OCI_LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const OCI_LAYER_NONDIST_GZIP: &str =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
pub const DOCKER_LAYER_FOREIGN: &str = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

/// Media types berth accepts for a manifest or index, in `Accept` order.
pub const MANIFEST_ACCEPT: &[&str] = &[OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST];

/// Manifests larger than this are refused: no real manifest comes near it and
/// it bounds what a hostile registry can make berth buffer.
pub const MAX_MANIFEST_SIZE: u64 = 4 * 1024 * 1024;
/// Image configs larger than this are refused, for the same reason.
pub const MAX_CONFIG_SIZE: u64 = 16 * 1024 * 1024;

pub fn is_index(media_type: &str) -> bool {
    media_type == OCI_INDEX || media_type == DOCKER_LIST
}

pub fn is_manifest(media_type: &str) -> bool {
    media_type == OCI_MANIFEST || media_type == DOCKER_MANIFEST
}

/// Why a manifest or index body is refused before anything reads it as one
/// or the other: a document that has both `manifests` and `config`/`layers`,
/// or whose own `mediaType` disagrees with the type it was served or
/// described as, could be read as an image by one client and as a different
/// image (or an index) by another (CVE-2021-41190; containerd, distribution
/// and the OCI image spec reject such documents since). `served` is the
/// Content-Type the registry sent, or the media type of the descriptor that
/// pointed at the document; a body that is not JSON is left to the parser.
pub fn check_document(body: &[u8], served: &str) -> Result<(), String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Shape {
        #[serde(default)]
        media_type: Option<String>,
        #[serde(default)]
        config: Option<serde_json::Value>,
        #[serde(default)]
        layers: Option<serde_json::Value>,
        #[serde(default)]
        manifests: Option<serde_json::Value>,
    }
    let Ok(doc) = serde_json::from_slice::<Shape>(body) else {
        return Ok(());
    };
    let manifest_fields = doc.config.is_some() || doc.layers.is_some();
    let index_fields = doc.manifests.is_some();
    if manifest_fields && index_fields {
        return Err("it has both \"manifests\" and \"config\"/\"layers\", so it is both an index and a manifest".into());
    }
    let known = |m: &str| is_manifest(m) || is_index(m);
    if let Some(own) = doc.media_type.as_deref().filter(|m| !m.is_empty()) {
        if known(served) && own != served {
            return Err(format!(
                "it was served as {served} but its mediaType is {own}"
            ));
        }
    }
    if is_manifest(served) && index_fields {
        return Err(format!(
            "it was served as {served} but has \"manifests\", like an index"
        ));
    }
    if is_index(served) && manifest_fields {
        return Err(format!(
            "it was served as {served} but has \"config\"/\"layers\", like a manifest"
        ));
    }
    Ok(())
}

pub use crate::snapshot::Compression;

pub fn layer_compression(media_type: &str) -> Option<Compression> {
    match media_type {
        OCI_LAYER | "application/vnd.oci.image.layer.nondistributable.v1.tar" => {
            Some(Compression::None)
        }
        OCI_LAYER_GZIP | OCI_LAYER_NONDIST_GZIP | DOCKER_LAYER_GZIP | DOCKER_LAYER_FOREIGN => {
            Some(Compression::Gzip)
        }
        OCI_LAYER_ZSTD | "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" => {
            Some(Compression::Zstd)
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Platform {
    pub architecture: String,
    pub os: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "os.version"
    )]
    pub os_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub config: Descriptor,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
}

/// The image config ("application/vnd.oci.image.config.v1+json" and Docker's
/// equivalent). Only the fields berth reads are typed; the rest is kept.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ImageConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ContainerConfig>,
    pub rootfs: RootFs,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<History>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The `config` object of an image config: defaults for containers.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_build: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct RootFs {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub diff_ids: Vec<Digest>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct History {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub empty_layer: bool,
}

/// The chain ids of a layer stack (OCI image spec: ChainID(L0) = DiffID(L0),
/// ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))). Snapshots are keyed
/// by chain id so images that share a base share its layer dirs.
pub fn chain_ids(diff_ids: &[Digest]) -> Vec<Digest> {
    let mut out: Vec<Digest> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(prev) => Digest::of_bytes(format!("{prev} {d}").as_bytes()),
        };
        out.push(next);
    }
    out
}

/// The platform berth runs on, in OCI terms (`linux/amd64`, `linux/arm64/v8`).
pub fn host_platform() -> Platform {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "arm" => "arm",
        "powerpc64" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        other => other,
    };
    Platform {
        architecture: arch.to_string(),
        os: "linux".to_string(),
        os_version: None,
        variant: if arch == "arm64" {
            Some("v8".into())
        } else {
            None
        },
    }
}

/// Parse `os/arch[/variant]` as given to `--platform`.
pub fn parse_platform(s: &str) -> Result<Platform, String> {
    let parts: Vec<&str> = s.split('/').collect();
    let bad = || format!("invalid platform {s:?}: expected os/arch[/variant], e.g. linux/amd64");
    if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad());
    }
    let mut arch = parts[1].to_ascii_lowercase();
    let mut variant = parts.get(2).map(|v| v.to_ascii_lowercase());
    // Normalise the common aliases as containerd's platforms package does.
    match arch.as_str() {
        "x86_64" | "x86-64" => arch = "amd64".into(),
        "aarch64" => {
            arch = "arm64".into();
        }
        "armhf" => {
            arch = "arm".into();
            variant = Some("v7".into());
        }
        "armel" => {
            arch = "arm".into();
            variant = Some("v6".into());
        }
        _ => {}
    }
    if arch == "arm64" && variant.is_none() {
        variant = Some("v8".into());
    }
    Ok(Platform {
        architecture: arch,
        os: parts[0].to_ascii_lowercase(),
        os_version: None,
        variant,
    })
}

/// Whether an index entry's platform satisfies the wanted one. A missing
/// variant on either side matches (arm64 entries often omit `v8`).
pub fn platform_matches(wanted: &Platform, have: &Platform) -> bool {
    if wanted.os != have.os || wanted.architecture != have.architecture {
        return false;
    }
    match (&wanted.variant, &have.variant) {
        (Some(w), Some(h)) => w == h,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_ids_follow_the_spec() {
        let a = Digest::of_bytes(b"a");
        let b = Digest::of_bytes(b"b");
        let ids = chain_ids(&[a.clone(), b.clone()]);
        assert_eq!(ids[0], a);
        assert_eq!(ids[1], Digest::of_bytes(format!("{a} {b}").as_bytes()));
    }

    #[test]
    fn platform_parsing() {
        let p = parse_platform("linux/arm64").unwrap();
        assert_eq!(p.architecture, "arm64");
        assert_eq!(p.variant.as_deref(), Some("v8"));
        assert!(parse_platform("linux").is_err());
        assert!(parse_platform("linux//v7").is_err());
        assert_eq!(
            parse_platform("linux/x86_64").unwrap().architecture,
            "amd64"
        );
    }

    #[test]
    fn manifest_round_trip_keeps_fields() {
        let text = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},"layers":[]}"#;
        let m: Manifest = serde_json::from_str(text).unwrap();
        assert_eq!(m.config.size, 0);
        assert_eq!(m.media_type.as_deref(), Some(OCI_MANIFEST));
    }

    #[test]
    fn ambiguous_documents_are_refused() {
        let cfg = r#""config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}"#;
        let manifest =
            format!(r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}",{cfg},"layers":[]}}"#);
        let index = format!(r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[]}}"#);
        let both = format!(r#"{{"schemaVersion":2,{cfg},"layers":[],"manifests":[]}}"#);
        let bare_manifest = format!(r#"{{"schemaVersion":2,{cfg},"layers":[]}}"#);
        // Well-formed documents pass, with or without their own mediaType.
        check_document(manifest.as_bytes(), OCI_MANIFEST).unwrap();
        check_document(index.as_bytes(), OCI_INDEX).unwrap();
        check_document(bare_manifest.as_bytes(), DOCKER_MANIFEST).unwrap();
        check_document(br#"{"schemaVersion":2,"manifests":[]}"#, DOCKER_LIST).unwrap();
        // A vague or unknown served type is not compared with the body.
        check_document(manifest.as_bytes(), "application/json").unwrap();
        // Both shapes at once: refused whatever it was served as.
        for served in [
            OCI_MANIFEST,
            OCI_INDEX,
            DOCKER_MANIFEST,
            "application/json",
            "",
        ] {
            let e = check_document(both.as_bytes(), served).unwrap_err();
            assert!(e.contains("both"), "{e}");
        }
        // mediaType disagreeing with the Content-Type (or descriptor).
        let e = check_document(manifest.as_bytes(), OCI_INDEX).unwrap_err();
        assert_eq!(
            e,
            format!("it was served as {OCI_INDEX} but its mediaType is {OCI_MANIFEST}")
        );
        assert!(check_document(index.as_bytes(), OCI_MANIFEST).is_err());
        assert!(check_document(manifest.as_bytes(), DOCKER_MANIFEST).is_err());
        // No mediaType, but the other kind's fields.
        assert!(check_document(bare_manifest.as_bytes(), OCI_INDEX)
            .unwrap_err()
            .contains("like a manifest"));
        assert!(
            check_document(br#"{"schemaVersion":2,"manifests":[]}"#, OCI_MANIFEST)
                .unwrap_err()
                .contains("like an index")
        );
        // Not JSON: left to the parser's own error.
        check_document(b"not json", OCI_MANIFEST).unwrap();
    }
}
