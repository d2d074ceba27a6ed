//! Linux capabilities the way Docker hands them out: its 14 default
//! capabilities, `--cap-add`/`--cap-drop` with or without the `CAP_` prefix and
//! the `ALL` keyword (moby `oci/caps.TweakCapabilities`), and the full set for
//! `--privileged`, limited to what the running kernel knows
//! (`/proc/sys/kernel/cap_last_cap`).

use thiserror::Error;

/// Capability names by number (linux/capability.h), 0 ..= 40.
const CAP_NAMES: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

/// Docker's default capability set (moby `oci/caps.DefaultCapabilities`).
pub const DEFAULT_CAPS: [&str; 14] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FSETID",
    "CAP_FOWNER",
    "CAP_MKNOD",
    "CAP_NET_RAW",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETFCAP",
    "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT",
    "CAP_KILL",
    "CAP_AUDIT_WRITE",
];

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CapError {
    #[error("unknown capability: \"{0}\"")]
    Unknown(String),
}

/// The number of a capability name (`CAP_` prefixed, upper case).
pub fn cap_number(name: &str) -> Option<u32> {
    CAP_NAMES.iter().position(|n| *n == name).map(|i| i as u32)
}

/// The capabilities berth can hand to a container: those the kernel knows
/// (up to `last`) that are also in berth's own bounding set. Like docker,
/// a cap missing from the bounding set (CAP_SYS_RESOURCE in some sandboxes)
/// is left out, since the runtime would fail with EPERM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapSet {
    pub last: u32,
    pub bounding: u64,
}

impl CapSet {
    /// This host and this process.
    pub fn detect() -> CapSet {
        CapSet {
            last: read_cap_last_cap(),
            bounding: read_own_bounding_set().unwrap_or(u64::MAX),
        }
    }
}

/// Every capability up to `last`, with nothing missing from the bounding set.
impl From<u32> for CapSet {
    fn from(last: u32) -> CapSet {
        CapSet {
            last,
            bounding: u64::MAX,
        }
    }
}

/// Every capability available, by name, in number order.
pub fn all_caps(caps: impl Into<CapSet>) -> Vec<String> {
    let caps = caps.into();
    CAP_NAMES
        .iter()
        .enumerate()
        .take(caps.last as usize + 1)
        .filter(|(i, _)| caps.bounding & (1u64 << i) != 0)
        .map(|(_, s)| s.to_string())
        .collect()
}

/// `CapBnd` of this process, from `/proc/self/status`.
pub fn read_own_bounding_set() -> Option<u64> {
    bounding_set_in(&std::fs::read_to_string("/proc/self/status").ok()?)
}

/// The `CapBnd` of a `/proc/PID/status` text.
pub fn bounding_set_in(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("CapBnd:"))?;
    u64::from_str_radix(line.trim_start_matches("CapBnd:").trim(), 16).ok()
}

/// Read `/proc/sys/kernel/cap_last_cap`; falls back to the highest number
/// berth knows when it can't be read.
pub fn read_cap_last_cap() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(CAP_NAMES.len() as u32 - 1)
}

/// Normalise a user-given name: `ALL` stays as is, otherwise upper-cased and
/// `CAP_`-prefixed, and checked against the known names.
pub fn normalize(name: &str) -> Result<String, CapError> {
    let upper = name.trim().to_ascii_uppercase();
    if upper == "ALL" {
        return Ok(upper);
    }
    let full = if upper.starts_with("CAP_") {
        upper
    } else {
        format!("CAP_{upper}")
    };
    if cap_number(&full).is_none() {
        return Err(CapError::Unknown(full));
    }
    Ok(full)
}

/// The capability list of a container: all known ones when privileged,
/// otherwise Docker's defaults tweaked by `--cap-add`/`--cap-drop`
/// (`--cap-add ALL` adds everything but the drops, `--cap-drop ALL` keeps only
/// the adds). Capabilities the kernel lacks are left out.
pub fn container_caps(
    add: &[String],
    drop: &[String],
    privileged: bool,
    available: impl Into<CapSet>,
) -> Result<Vec<String>, CapError> {
    let all = all_caps(available);
    if privileged {
        return Ok(all);
    }
    let add = add
        .iter()
        .map(|c| normalize(c))
        .collect::<Result<Vec<_>, _>>()?;
    let drop = drop
        .iter()
        .map(|c| normalize(c))
        .collect::<Result<Vec<_>, _>>()?;
    let has_all = |l: &[String]| l.iter().any(|c| c == "ALL");
    let mut caps: Vec<String> = if has_all(&add) {
        all.iter().filter(|c| !drop.contains(c)).cloned().collect()
    } else if has_all(&drop) {
        add.clone()
    } else {
        let mut v: Vec<String> = DEFAULT_CAPS
            .iter()
            .map(|s| s.to_string())
            .filter(|c| !drop.contains(c))
            .collect();
        v.extend(add.iter().cloned());
        v
    };
    let mut seen = std::collections::HashSet::new();
    caps.retain(|c| c != "ALL" && all.contains(c) && seen.insert(c.clone()));
    Ok(caps)
}

/// The capability bitmask of a list of names, as shown in
/// `/proc/<pid>/status` (`CapEff:` etc.).
#[cfg(test)]
pub fn mask(caps: &[String]) -> u64 {
    caps.iter()
        .filter_map(|c| cap_number(c))
        .fold(0u64, |m, n| m | (1u64 << n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn default_mask_matches_docker() {
        let caps = container_caps(&[], &[], false, 40).unwrap();
        assert_eq!(caps.len(), 14);
        assert_eq!(mask(&caps), 0xa80425fb);
    }

    #[test]
    fn add_and_drop_with_or_without_prefix() {
        let caps = container_caps(
            &s(&["net_admin", "CAP_SYS_ADMIN"]),
            &s(&["chown", "CAP_KILL"]),
            false,
            40,
        )
        .unwrap();
        assert!(caps.contains(&"CAP_NET_ADMIN".to_string()));
        assert!(caps.contains(&"CAP_SYS_ADMIN".to_string()));
        assert!(!caps.contains(&"CAP_CHOWN".to_string()));
        assert!(!caps.contains(&"CAP_KILL".to_string()));
        // Adding a default again does not duplicate it.
        let caps = container_caps(&s(&["chown"]), &[], false, 40).unwrap();
        assert_eq!(caps.len(), 14);
    }

    #[test]
    fn all_keyword() {
        let caps = container_caps(&[], &s(&["ALL"]), false, 40).unwrap();
        assert!(caps.is_empty());
        let caps = container_caps(&s(&["net_bind_service"]), &s(&["all"]), false, 40).unwrap();
        assert_eq!(caps, s(&["CAP_NET_BIND_SERVICE"]));
        let caps = container_caps(&s(&["ALL"]), &s(&["SYS_ADMIN"]), false, 40).unwrap();
        assert_eq!(caps.len(), 40);
        assert!(!caps.contains(&"CAP_SYS_ADMIN".to_string()));
    }

    #[test]
    fn privileged_follows_kernel() {
        assert_eq!(container_caps(&[], &[], true, 40).unwrap().len(), 41);
        assert_eq!(container_caps(&[], &[], true, 37).unwrap().len(), 38);
    }

    #[test]
    fn unknown_capability() {
        assert_eq!(
            container_caps(&s(&["FOO"]), &[], false, 40),
            Err(CapError::Unknown("CAP_FOO".into()))
        );
        assert_eq!(
            CapError::Unknown("CAP_FOO".into()).to_string(),
            "unknown capability: \"CAP_FOO\""
        );
    }
}
