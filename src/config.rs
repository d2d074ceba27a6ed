//! Resolved global settings: the config file (`/etc/berth/berth.toml` or
//! `--config`), overlaid by environment variables and flags (clap merges those
//! two). Every path berth touches is derived from here, so tests can move all
//! of them.

use crate::cli::GlobalArgs;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_CONFIG: &str = "/etc/berth/berth.toml";
pub const DEFAULT_DATA_ROOT: &str = "/var/lib/berth";
pub const DEFAULT_STATE_ROOT: &str = "/run/berth";
pub const DEFAULT_HOSTS_DIR: &str = "/etc/berth/certs.d";

/// The keys of `berth.toml`; all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct FileConfig {
    pub data_root: Option<PathBuf>,
    pub state_root: Option<PathBuf>,
    pub debug: Option<bool>,
    pub insecure_registry: Option<Vec<String>>,
    pub hosts_dir: Option<PathBuf>,
    pub max_concurrent_downloads: Option<usize>,
    pub max_concurrent_uploads: Option<usize>,
    pub runtime: Option<String>,
    /// `overlayfs`, `native` (full copies, for filesystems where overlayfs
    /// cannot be mounted) or `auto` (the default).
    pub snapshotter: Option<String>,
    /// CNI plugin directories, searched in order.
    pub cni_path: Option<Vec<PathBuf>>,
    /// Where berth writes its networks' conflists.
    pub cni_netconfpath: Option<PathBuf>,
    /// Bridge interface of the default `bridge` network (default `berth0`).
    pub default_bridge: Option<String>,
    /// Subnet of the default `bridge` network (default: the first free /24
    /// of 10.222.0.0/16).
    pub default_subnet: Option<String>,
    /// The host's resolver file containers' resolv.conf and the network
    /// name servers' upstreams come from (default `/etc/resolv.conf`).
    pub resolv_conf: Option<PathBuf>,
}

/// Settings after merging file, environment and flags.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_root: PathBuf,
    pub state_root: PathBuf,
    pub debug: bool,
    pub insecure_registries: Vec<String>,
    pub hosts_dir: PathBuf,
    /// Where `login`/`logout` and pulls read credentials: `$DOCKER_CONFIG/config.json`
    /// or `~/.docker/config.json`.
    pub docker_config: PathBuf,
    pub max_concurrent_downloads: usize,
    pub max_concurrent_uploads: usize,
    /// Default OCI runtime binary.
    pub runtime: String,
    /// The config file given with `--config`, passed on to the shim.
    pub config_path: Option<PathBuf>,
    /// Snapshotter for new containers: `overlayfs`, `native` or `auto`.
    pub snapshotter: String,
    /// CNI plugin directories (`--cni-path`).
    pub cni_path: Vec<PathBuf>,
    /// Where berth writes its networks' conflists (`--cni-netconfpath`).
    pub cni_netconfpath: PathBuf,
    pub default_bridge: String,
    pub default_subnet: Option<ipnet::IpNet>,
    pub resolv_conf: PathBuf,
}

impl Settings {
    pub fn load(args: &GlobalArgs) -> Result<Settings> {
        let (path, explicit) = match &args.config {
            Some(p) => (p.clone(), true),
            None => (PathBuf::from(DEFAULT_CONFIG), false),
        };
        let file = read_file_config(&path, explicit)?;
        let env_usize = |name: &str| -> Result<Option<usize>> {
            match std::env::var(name) {
                Ok(v) if !v.is_empty() => v
                    .parse()
                    .map(Some)
                    .with_context(|| format!("invalid {name}={v:?}: expected a number")),
                _ => Ok(None),
            }
        };
        let mut insecure = file.insecure_registry.unwrap_or_default();
        insecure.extend(args.insecure_registry.iter().cloned());
        let downloads = env_usize("BERTH_MAX_CONCURRENT_DOWNLOADS")?
            .or(file.max_concurrent_downloads)
            .unwrap_or(3)
            .max(1);
        let uploads = env_usize("BERTH_MAX_CONCURRENT_UPLOADS")?
            .or(file.max_concurrent_uploads)
            .unwrap_or(5)
            .max(1);
        Ok(Settings {
            data_root: args
                .data_root
                .clone()
                .or(file.data_root)
                .unwrap_or_else(|| DEFAULT_DATA_ROOT.into()),
            state_root: args
                .state_root
                .clone()
                .or(file.state_root)
                .unwrap_or_else(|| DEFAULT_STATE_ROOT.into()),
            debug: args.debug || file.debug.unwrap_or(false),
            insecure_registries: insecure,
            hosts_dir: args
                .hosts_dir
                .clone()
                .or(file.hosts_dir)
                .unwrap_or_else(|| DEFAULT_HOSTS_DIR.into()),
            docker_config: docker_config_path(),
            max_concurrent_downloads: downloads,
            max_concurrent_uploads: uploads,
            runtime: args
                .runtime
                .clone()
                .or(file.runtime)
                .unwrap_or_else(|| "runc".into()),
            config_path: args.config.clone(),
            snapshotter: {
                let s = std::env::var("BERTH_SNAPSHOTTER")
                    .ok()
                    .filter(|v| !v.is_empty())
                    .or(file.snapshotter)
                    .unwrap_or_else(|| "auto".into());
                if !matches!(s.as_str(), "auto" | "overlayfs" | "native") {
                    anyhow::bail!("invalid snapshotter {s:?}: expected overlayfs, native or auto");
                }
                s
            },
            cni_path: match &args.cni_path {
                Some(p) => std::env::split_paths(p).collect(),
                None => file.cni_path.unwrap_or_else(|| {
                    crate::network::DEFAULT_CNI_PATH
                        .iter()
                        .map(PathBuf::from)
                        .collect()
                }),
            },
            cni_netconfpath: args
                .cni_netconfpath
                .clone()
                .or(file.cni_netconfpath)
                .unwrap_or_else(|| crate::network::DEFAULT_CNI_NETCONFPATH.into()),
            default_bridge: file
                .default_bridge
                .unwrap_or_else(|| crate::network::DEFAULT_BRIDGE.into()),
            default_subnet: match file.default_subnet {
                Some(s) => {
                    Some(s.parse().with_context(|| {
                        format!("invalid default_subnet {s:?} in the config file")
                    })?)
                }
                None => None,
            },
            resolv_conf: file
                .resolv_conf
                .unwrap_or_else(|| crate::network::resolv::HOST_RESOLV_CONF.into()),
        })
    }
}

fn read_file_config(path: &Path, explicit: bool) -> Result<FileConfig> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(FileConfig::default())
        }
        Err(e) => Err(e).with_context(|| format!("reading config file {}", path.display())),
    }
}

/// Docker's credential file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
pub fn docker_config_path() -> PathBuf {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("config.json");
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "/root".into());
    PathBuf::from(home).join(".docker").join("config.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_rejected() {
        let r: Result<FileConfig, _> = toml::from_str("data_rot = \"/x\"");
        assert!(r.is_err());
    }

    #[test]
    fn flags_win_over_file() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("berth.toml");
        std::fs::write(&cfg, "data_root = \"/from-file\"\nstate_root = \"/s\"\n").unwrap();
        let args = GlobalArgs {
            config: Some(cfg),
            data_root: Some("/from-flag".into()),
            ..Default::default()
        };
        let s = Settings::load(&args).unwrap();
        assert_eq!(s.data_root, PathBuf::from("/from-flag"));
        assert_eq!(s.state_root, PathBuf::from("/s"));
    }

    #[test]
    fn explicit_missing_config_is_an_error() {
        let args = GlobalArgs {
            config: Some("/nonexistent/berth.toml".into()),
            ..Default::default()
        };
        assert!(Settings::load(&args).is_err());
    }
}
