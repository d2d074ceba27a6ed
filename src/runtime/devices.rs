//! Devices for containers, as Docker does them: `--device
//! /dev/x[:/dev/y][:rwm]` parsing (docker/cli `parseDevice`), host lookup of
//! type/major/minor with symlinks followed and directories expanded (moby
//! `oci.DevicesFromPath`), the device cgroup rules docker starts from
//! (deny all, allow null/zero/random/urandom/tty/console, deny fuse), and the
//! full host device list for `--privileged`.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use thiserror::Error;

use oci_spec::runtime::{LinuxDevice, LinuxDeviceCgroup, LinuxDeviceType};

#[derive(Debug, Error)]
pub enum DeviceError {
    #[error("invalid device specification: {0}")]
    Spec(String),
    #[error("bad mode specified: {0}")]
    Mode(String),
    #[error("{0} is not an absolute path")]
    NotAbsolute(String),
    #[error("error gathering device information while adding custom device {path:?}: {source}")]
    Stat {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "error gathering device information while adding custom device {0:?}: not a device node"
    )]
    NotADevice(PathBuf),
}

/// One `--device` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceMapping {
    pub host_path: PathBuf,
    pub container_path: String,
    /// Cgroup access: a combination of `r`, `w`, `m`.
    pub permissions: String,
}

fn valid_mode(m: &str) -> bool {
    !m.is_empty()
        && m.len() <= 3
        && m.chars().all(|c| matches!(c, 'r' | 'w' | 'm'))
        && m.chars().collect::<std::collections::HashSet<_>>().len() == m.len()
}

impl DeviceMapping {
    /// Parse `host[:container][:perms]`; a second part made only of `rwm`
    /// letters is the permissions.
    pub fn parse(s: &str) -> Result<DeviceMapping, DeviceError> {
        let parts: Vec<&str> = s.split(':').collect();
        let (src, mut dst, mut perms) = (parts[0], "", "rwm");
        match parts.len() {
            1 => {}
            2 | 3 => {
                if valid_mode(parts[1]) && parts.len() == 2 {
                    perms = parts[1];
                } else {
                    dst = parts[1];
                }
                if let Some(p) = parts.get(2) {
                    if !valid_mode(p) {
                        return Err(DeviceError::Mode(s.to_string()));
                    }
                    perms = p;
                }
            }
            _ => return Err(DeviceError::Spec(s.to_string())),
        }
        if src.is_empty() {
            return Err(DeviceError::Spec(s.to_string()));
        }
        if dst.is_empty() {
            dst = src;
        }
        for p in [src, dst] {
            if !p.starts_with('/') {
                return Err(DeviceError::NotAbsolute(p.to_string()));
            }
        }
        Ok(DeviceMapping {
            host_path: PathBuf::from(src),
            container_path: dst.to_string(),
            permissions: perms.to_string(),
        })
    }

    /// The device nodes and cgroup rules for this mapping, from the host
    /// device (or every device under a host directory).
    pub fn resolve(&self) -> Result<(Vec<LinuxDevice>, Vec<LinuxDeviceCgroup>), DeviceError> {
        let stat_err = |source| DeviceError::Stat {
            path: self.host_path.clone(),
            source,
        };
        let meta = std::fs::metadata(&self.host_path).map_err(stat_err)?;
        let mut devs = Vec::new();
        if meta.is_dir() {
            let mut found = Vec::new();
            walk_devices(&self.host_path, &[], &mut found).map_err(stat_err)?;
            for (path, mut d) in found {
                let rel = path.strip_prefix(&self.host_path).unwrap_or(&path);
                d.set_path(Path::new(&self.container_path).join(rel));
                devs.push(d);
            }
        } else {
            let mut d = device_from_meta(&self.host_path, &meta)
                .ok_or_else(|| DeviceError::NotADevice(self.host_path.clone()))?;
            d.set_path(PathBuf::from(&self.container_path));
            devs.push(d);
        }
        let rules = devs
            .iter()
            .map(|d| {
                rule(
                    true,
                    Some(d.typ()),
                    Some(d.major()),
                    Some(d.minor()),
                    &self.permissions,
                )
            })
            .collect();
        Ok((devs, rules))
    }
}

/// Major number of a `dev_t` (glibc's `gnu_dev_major`).
pub fn dev_major(dev: u64) -> i64 {
    (((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff)) as i64
}

/// Minor number of a `dev_t` (glibc's `gnu_dev_minor`).
pub fn dev_minor(dev: u64) -> i64 {
    ((dev & 0xff) | ((dev >> 12) & !0xff)) as i64
}

fn device_from_meta(path: &Path, meta: &std::fs::Metadata) -> Option<LinuxDevice> {
    let ft = meta.file_type();
    let typ = if ft.is_char_device() {
        LinuxDeviceType::C
    } else if ft.is_block_device() {
        LinuxDeviceType::B
    } else {
        return None;
    };
    let mut d = LinuxDevice::default();
    d.set_path(PathBuf::from(path.to_string_lossy().into_owned()))
        .set_typ(typ)
        .set_major(dev_major(meta.rdev()))
        .set_minor(dev_minor(meta.rdev()))
        .set_file_mode(Some(meta.mode() & 0o777))
        .set_uid(Some(meta.uid()))
        .set_gid(Some(meta.gid()));
    Some(d)
}

/// Collect the character and block devices under `dir` (symlinks not
/// followed), skipping the named subdirectories.
fn walk_devices(
    dir: &Path,
    skip: &[&str],
    out: &mut Vec<(PathBuf, LinuxDevice)>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let name = e.file_name();
        let name = name.to_string_lossy();
        if meta.is_dir() {
            if !skip.contains(&name.as_ref()) {
                // Unreadable subdirectories are skipped, like docker's walk.
                let _ = walk_devices(&path, skip, out);
            }
        } else if let Some(d) = device_from_meta(&path, &meta) {
            out.push((path, d));
        }
    }
    Ok(())
}

/// Every device of the host under /dev, for `--privileged` (pts, shm, mqueue
/// and the console are the container's own).
pub fn host_devices() -> Vec<LinuxDevice> {
    let mut found = Vec::new();
    let _ = walk_devices(
        Path::new("/dev"),
        &["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev"],
        &mut found,
    );
    found
        .into_iter()
        .filter(|(p, _)| p != Path::new("/dev/console"))
        .map(|(_, d)| d)
        .collect()
}

/// A device cgroup allow (or deny) rule; an absent type, major or minor
/// means "all".
pub fn rule(
    allow: bool,
    typ: Option<LinuxDeviceType>,
    major: Option<i64>,
    minor: Option<i64>,
    access: &str,
) -> LinuxDeviceCgroup {
    let mut r = LinuxDeviceCgroup::default();
    r.set_allow(allow)
        .set_typ(typ)
        .set_major(major)
        .set_minor(minor)
        .set_access(Some(access.to_string()));
    r
}

/// Docker's default device cgroup rules.
pub fn default_rules() -> Vec<LinuxDeviceCgroup> {
    let c = Some(LinuxDeviceType::C);
    let mut v = vec![rule(false, None, None, None, "rwm")];
    for (maj, min) in [(1, 5), (1, 3), (1, 9), (1, 8), (5, 0), (5, 1)] {
        v.push(rule(true, c, Some(maj), Some(min), "rwm"));
    }
    v.push(rule(false, c, Some(10), Some(229), "rwm"));
    v
}

/// The single rule of a privileged container: everything allowed.
pub fn allow_all_rule() -> LinuxDeviceCgroup {
    rule(true, None, None, None, "rwm")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_forms() {
        let d = DeviceMapping::parse("/dev/null").unwrap();
        assert_eq!(
            (d.container_path.as_str(), d.permissions.as_str()),
            ("/dev/null", "rwm")
        );
        let d = DeviceMapping::parse("/dev/null:r").unwrap();
        assert_eq!(
            (d.container_path.as_str(), d.permissions.as_str()),
            ("/dev/null", "r")
        );
        let d = DeviceMapping::parse("/dev/null:/dev/mynull").unwrap();
        assert_eq!(
            (d.container_path.as_str(), d.permissions.as_str()),
            ("/dev/mynull", "rwm")
        );
        let d = DeviceMapping::parse("/dev/null:/dev/mynull:rw").unwrap();
        assert_eq!(d.permissions, "rw");
        assert!(matches!(
            DeviceMapping::parse("/dev/null:/x:rx"),
            Err(DeviceError::Mode(_))
        ));
        assert!(matches!(
            DeviceMapping::parse("a:b:c:d"),
            Err(DeviceError::Spec(_))
        ));
        assert!(matches!(
            DeviceMapping::parse("dev/null"),
            Err(DeviceError::NotAbsolute(_))
        ));
    }

    #[test]
    fn resolve_null() {
        let d = DeviceMapping::parse("/dev/null:/dev/xnull:rw").unwrap();
        let (devs, rules) = d.resolve().unwrap();
        assert_eq!(devs.len(), 1);
        assert_eq!(
            (devs[0].path().as_path(), devs[0].typ()),
            (Path::new("/dev/xnull"), LinuxDeviceType::C)
        );
        assert_eq!((devs[0].major(), devs[0].minor()), (1, 3));
        assert_eq!(
            rules[0],
            rule(true, Some(LinuxDeviceType::C), Some(1), Some(3), "rw")
        );
        let bad = DeviceMapping::parse("/etc/hostname").unwrap();
        assert!(matches!(bad.resolve(), Err(DeviceError::NotADevice(_))));
        let gone = DeviceMapping::parse("/dev/does-not-exist").unwrap();
        assert!(matches!(gone.resolve(), Err(DeviceError::Stat { .. })));
    }

    #[test]
    fn dev_numbers() {
        // makedev(259, 65537) in glibc's encoding.
        let dev: u64 = ((259u64 & 0xfff) << 8) | ((65537u64 & 0xff) | ((65537u64 & !0xff) << 12));
        assert_eq!((dev_major(dev), dev_minor(dev)), (259, 65537));
    }

    #[test]
    fn host_devices_include_null() {
        let all = host_devices();
        assert!(all
            .iter()
            .any(|d| d.path() == Path::new("/dev/null") && d.major() == 1 && d.minor() == 3));
        assert!(!all.iter().any(|d| d.path().starts_with("/dev/pts/")));
    }
}
