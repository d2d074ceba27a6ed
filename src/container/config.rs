//! The persisted description of a container: every `create`/`run` option
//! after validation, stored as JSON in the container record so `start`,
//! `restart` and `inspect` see exactly what the user asked for.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One filesystem mount of a container, resolved at create time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountSpec {
    pub kind: MountKind,
    /// Host path for binds, volume name for volumes, empty for tmpfs.
    pub source: String,
    /// Absolute path inside the container.
    pub destination: String,
    pub readonly: bool,
    /// tmpfs options (`size=64m,mode=1777`) or bind propagation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
    /// For volumes: anonymous (`-v /data`, image `VOLUME`), removed by `rm -v`.
    #[serde(default)]
    pub anonymous: bool,
    /// For volumes: do not seed from the image (`--mount volume-nocopy`).
    #[serde(default)]
    pub nocopy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
}

impl MountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MountKind::Bind => "bind",
            MountKind::Volume => "volume",
            MountKind::Tmpfs => "tmpfs",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerConfig {
    /// The image as the user named it (Docker's `Config.Image`).
    pub image: String,
    /// `--entrypoint`: None keeps the image's; `Some([])` clears it.
    pub entrypoint: Option<Vec<String>>,
    /// Arguments after the image name.
    pub cmd: Vec<String>,
    /// `-e` and `--env-file` entries in order (`KEY=VALUE` or `KEY`).
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub tty: bool,
    pub open_stdin: bool,
    pub mounts: Vec<MountSpec>,
    pub read_only: bool,
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// None: Docker's default profile; Some("unconfined"); or a profile's JSON.
    pub seccomp: Option<String>,
    pub no_new_privileges: bool,
    pub shm_size: Option<u64>,
    /// `name=soft[:hard]` as given.
    pub ulimits: Vec<String>,
    pub sysctls: BTreeMap<String, String>,
    /// `--device` values as given.
    pub devices: Vec<String>,
    /// `--add-host` as (host, ip).
    pub extra_hosts: Vec<(String, String)>,
    pub memory: Option<i64>,
    pub nano_cpus: Option<i64>,
    pub pids_limit: Option<i64>,
    pub log_driver: String,
    pub log_opts: BTreeMap<String, String>,
    /// `none` or `host` (CNI networks arrive with the networking issue).
    pub network: String,
    pub init: bool,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<i64>,
    /// `--rm`.
    pub auto_remove: bool,
    /// OCI runtime binary (`runc`, `crun`, or a path).
    pub runtime: String,
    /// `--platform` asked at create, if any.
    pub platform: Option<String>,
    /// Docker's `Config.AttachStdin/Stdout/Stderr`: the streams a
    /// foreground `run` or a `create` meant to attach.
    #[serde(default)]
    pub attach: AttachStreams,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachStreams {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
}
