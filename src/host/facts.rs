//! Plain facts about the host, read from /proc, /sys and /etc (no
//! syscalls beyond `statfs`/`statvfs`): what `info` shows and the checks
//! judge.

use std::path::{Path, PathBuf};

fn read_trim(p: &str) -> Option<String> {
    std::fs::read_to_string(p)
        .ok()
        .map(|s| s.trim().to_string())
}

/// The kernel release (`uname -r`).
pub fn kernel_version() -> String {
    read_trim("/proc/sys/kernel/osrelease").unwrap_or_default()
}

/// The host name (`uname -n`), docker's `Name`.
pub fn hostname() -> String {
    read_trim("/proc/sys/kernel/hostname").unwrap_or_default()
}

/// `PRETTY_NAME` of os-release, as docker's `OperatingSystem`.
pub fn operating_system() -> String {
    let text = std::fs::read_to_string("/etc/os-release")
        .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    os_release_value(&text, "PRETTY_NAME").unwrap_or_else(|| "Linux".to_string())
}

fn os_release_value(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix('=')?;
        Some(v.trim_matches('"').trim_matches('\'').to_string())
    })
}

/// `VERSION_ID` of os-release, as docker's `OSVersion`.
pub fn os_version() -> String {
    let text = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    os_release_value(&text, "VERSION_ID").unwrap_or_default()
}

/// The machine as `uname -m` prints it (docker's `Architecture`).
pub fn architecture() -> &'static str {
    std::env::consts::ARCH
}

pub fn ncpu() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `MemTotal` of /proc/meminfo in bytes.
pub fn mem_total() -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    meminfo_total(&text)
}

fn meminfo_total(text: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// The cgroup hierarchy berth's runtime puts containers in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cgroups {
    /// 2 (unified) or 1 (legacy/hybrid).
    pub version: u8,
    /// The controllers the root offers (v2: `cgroup.controllers`; v1: the
    /// mounted hierarchies).
    pub controllers: Vec<String>,
}

pub fn cgroups() -> Cgroups {
    let root = Path::new("/sys/fs/cgroup");
    if let Ok(text) = std::fs::read_to_string(root.join("cgroup.controllers")) {
        return Cgroups {
            version: 2,
            controllers: text.split_whitespace().map(str::to_string).collect(),
        };
    }
    let mut controllers = Vec::new();
    if let Ok(dir) = std::fs::read_dir(root) {
        for e in dir.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            for c in name.split(',') {
                if !controllers.iter().any(|x| x == c) {
                    controllers.push(c.to_string());
                }
            }
        }
    }
    controllers.sort();
    Cgroups {
        version: 1,
        controllers,
    }
}

/// Whether the kernel filters system calls with seccomp (what the default
/// profile needs): `Seccomp:` in /proc/self/status, and seccomp filters.
pub fn seccomp_supported() -> bool {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines().any(|l| l.starts_with("Seccomp:"))
        && Path::new("/proc/sys/kernel/seccomp/actions_avail").exists()
}

/// A filesystem's name from its `statfs` magic, as docker's `Backing
/// Filesystem` names them (`extfs`, `xfs`, ...).
pub fn fs_name(magic: i64) -> &'static str {
    match magic {
        0xEF53 => "extfs",
        0x5846_5342 => "xfs",
        0x9123_683E => "btrfs",
        0x0102_1994 => "tmpfs",
        0x794c_7630 => "overlayfs",
        0x2fc1_2fc1 => "zfs",
        0x4d44 => "vfat",
        0x6969 => "nfs",
        0x6573_5546 => "fuse",
        0x5346_544e => "ntfs",
        0x0102_1997 => "v9fs",
        0x7366_746e => "ntfs3",
        0xf2f5_2010 => "f2fs",
        _ => "unknown",
    }
}

/// The nearest existing ancestor of `path` (a data root not created yet
/// will be created on that filesystem).
pub fn existing_ancestor(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    while !p.exists() {
        match p.parent() {
            Some(parent) => p = parent.to_path_buf(),
            None => break,
        }
    }
    p
}

/// The filesystem `path` lives on.
pub fn backing_fs(path: &Path) -> &'static str {
    match rustix::fs::statfs(existing_ancestor(path)) {
        #[allow(clippy::unnecessary_cast)]
        Ok(st) => fs_name(st.f_type as i64),
        Err(_) => "unknown",
    }
}

/// Free and total bytes of the filesystem `path` lives on.
pub fn space(path: &Path) -> Option<(u64, u64)> {
    let st = rustix::fs::statvfs(existing_ancestor(path)).ok()?;
    Some((st.f_bavail * st.f_frsize, st.f_blocks * st.f_frsize))
}

/// Whether directory entries on `dir`'s filesystem carry their type
/// (`d_type`), which overlayfs needs: a file made in a scratch directory
/// must read back as a regular file without a `stat`.
pub fn supports_d_type(dir: &Path) -> Option<bool> {
    let scratch = dir.join(format!(".berth-dtype-{}", std::process::id()));
    std::fs::create_dir(&scratch).ok()?;
    let found = (|| {
        std::fs::write(scratch.join("f"), b"").ok()?;
        let fd = rustix::fs::open(
            &scratch,
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY,
            rustix::fs::Mode::empty(),
        )
        .ok()?;
        let mut d = rustix::fs::Dir::read_from(fd).ok()?;
        while let Some(Ok(e)) = d.next() {
            if e.file_name().to_bytes() == b"f" {
                return Some(e.file_type() == rustix::fs::FileType::RegularFile);
            }
        }
        None
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    found
}

/// `iptables --version`: the version and the backend (`nf_tables` or
/// `legacy`), or None when there is no iptables.
pub fn iptables() -> Option<(String, String)> {
    let bin = crate::runtime::runc::find_binary("iptables").ok()?;
    let out = std::process::Command::new(bin)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    parse_iptables_version(&String::from_utf8_lossy(&out.stdout))
}

fn parse_iptables_version(text: &str) -> Option<(String, String)> {
    // "iptables v1.8.9 (nf_tables)"; old ones print no backend (legacy).
    let rest = text.trim().strip_prefix("iptables v")?;
    let (version, backend) = match rest.split_once(' ') {
        Some((v, b)) => (v, b.trim_matches(|c| c == '(' || c == ')')),
        None => (rest, "legacy"),
    };
    Some((version.to_string(), backend.to_string()))
}

/// How many `CNI-` rules and chains `binary -t nat -S` shows (None when
/// the binary is missing or cannot read the table).
pub fn cni_rules_in(binary: &str) -> Option<usize> {
    let bin = crate::runtime::runc::find_binary(binary).ok()?;
    let out = std::process::Command::new(bin)
        .args(["-w", "-t", "nat", "-S"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("CNI-"))
            .count()
    })
}

/// A `/proc/sys` value (`net/ipv4/ip_forward`).
pub fn sysctl(key: &str) -> Option<String> {
    read_trim(&format!("/proc/sys/{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_host_files() {
        let osr = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n";
        assert_eq!(
            os_release_value(osr, "PRETTY_NAME").as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(os_release_value(osr, "VERSION_ID").as_deref(), Some("12"));
        assert_eq!(
            meminfo_total("MemTotal:  2048 kB\nMemFree: 1 kB\n"),
            2048 * 1024
        );
        assert_eq!(
            parse_iptables_version("iptables v1.8.9 (nf_tables)\n"),
            Some(("1.8.9".into(), "nf_tables".into()))
        );
        assert_eq!(
            parse_iptables_version("iptables v1.6.1\n"),
            Some(("1.6.1".into(), "legacy".into()))
        );
        assert_eq!(fs_name(0xEF53), "extfs");
        assert_eq!(fs_name(0x4d44), "vfat");
    }

    #[test]
    fn d_type_on_the_temp_dir() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(supports_d_type(d.path()), Some(true));
    }
}
