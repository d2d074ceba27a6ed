//! The host checks of `doctor` (and `info`'s warnings): each reads the
//! host, returns one [`Check`], and names the exact fix.

use super::facts;
use super::leftovers::{Kind, Leftover};
use super::Check;
use crate::config::Settings;
use crate::runtime::advisory::{describe_escapes, RuntimeVersion};
use std::path::{Path, PathBuf};

/// The CNI plugins berth's network configs name (`network::store`:
/// bridge with host-local IPAM, portmap, firewall, tuning; loopback for
/// every container's `lo`).
pub const NEEDED_PLUGINS: &[&str] = &[
    "bridge",
    "host-local",
    "portmap",
    "firewall",
    "tuning",
    "loopback",
];

/// Controllers the runtime spec's resource limits use.
const NEEDED_CONTROLLERS: &[&str] = &["cpu", "memory", "pids"];

/// Below this much free space on the data root, pulls and runs fail.
const SPACE_ERROR: u64 = 100 << 20;
const SPACE_WARN: u64 = 1 << 30;

/// All the checks that need no store, in the order `doctor` prints them.
pub fn host_checks(s: &Settings) -> Vec<Check> {
    vec![
        runtime(&s.runtime),
        cni_plugins(&s.cni_path),
        iptables(),
        overlay(&s.snapshotter, &s.data_root),
        cgroups(),
        seccomp(),
        sysctls(),
        subids(),
        disk_space(&s.data_root),
    ]
}

const RUNTIME_FIX_CONFIG: &str = "--runtime BIN, or runtime = \"crun\" in berth.toml";

pub fn runtime(name: &str) -> Check {
    let binary = match crate::runtime::runc::find_binary(name) {
        Ok(b) => b,
        Err(_) => {
            return Check::error(
                "runtime",
                format!("OCI runtime {name:?} not found"),
                format!(
                    "apt-get install {} (or choose an installed runtime: {RUNTIME_FIX_CONFIG})",
                    if name.contains('/') { "runc" } else { name }
                ),
            )
        }
    };
    match RuntimeVersion::probe(&binary) {
        None => Check::warn(
            "runtime",
            format!("{}: version unknown (`--version` printed no version)", binary.display()),
            format!("use runc or crun: {RUNTIME_FIX_CONFIG}"),
        ),
        Some(rt) => match describe_escapes(&rt) {
            Some(line) => Check::warn(
                "runtime",
                format!("{line} ({})", binary.display()),
                format!(
                    "install {} 1.2.8, 1.3.3 or newer, or use crun (apt-get install crun; {RUNTIME_FIX_CONFIG})",
                    rt.name
                ),
            ),
            None => Check::ok("runtime", format!("{} {} ({})", rt.name, rt.text, binary.display())),
        },
    }
}

/// The first directory of `dirs` holding an executable `name`.
fn find_plugin(dirs: &[PathBuf], name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    dirs.iter().map(|d| d.join(name)).find(|p| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

pub fn cni_plugins(dirs: &[PathBuf]) -> Check {
    cni_plugins_for(dirs, &[])
}

/// [`cni_plugins`], also requiring `extra` (the `macvlan`/`ipvlan`
/// plugins of such networks in the store).
pub fn cni_plugins_for(dirs: &[PathBuf], extra: &[&str]) -> Check {
    let shown = std::env::join_paths(dirs)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let needed: Vec<&str> = NEEDED_PLUGINS.iter().chain(extra).copied().collect();
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|p| find_plugin(dirs, p).is_none())
        .collect();
    if missing.is_empty() {
        return Check::ok("cni-plugins", format!("{} in {shown}", needed.join(", ")));
    }
    Check::error(
        "cni-plugins",
        format!("CNI plugins missing from {shown}: {}", missing.join(", ")),
        "apt-get install containernetworking-plugins, or point --cni-path ($CNI_PATH, cni_path in berth.toml) at the directory holding them",
    )
}

pub fn iptables() -> Check {
    match facts::iptables() {
        Some((v, backend)) => {
            // The plugins write through `iptables`; CNI rules in the other
            // backend were made by another tool or before a switch, and
            // both rule sets see every packet.
            let other = if backend == "nf_tables" {
                "iptables-legacy"
            } else {
                "iptables-nft"
            };
            match facts::cni_rules_in(other) {
                Some(n) if n > 0 => Check::warn(
                    "iptables",
                    format!("iptables {v} ({backend}), but {other} also holds {n} CNI rule(s) in its nat table: both rule sets apply to every packet"),
                    format!("keep one backend: remove the CNI rules from {other} (`{other} -t nat -S | grep CNI-` lists them), or make it berth's: update-alternatives --set iptables /usr/sbin/{other}"),
                ),
                _ => Check::ok("iptables", format!("iptables {v} ({backend})")),
            }
        }
        None => Check::warn(
            "iptables",
            "iptables not found: published ports (-p) and the CNI firewall plugin cannot work",
            "apt-get install iptables",
        ),
    }
}

const OVERLAY_FIX: &str = "put the data root on ext4 or xfs (--data-root DIR, data_root in berth.toml), or use full copies: snapshotter = \"native\" in berth.toml";

pub fn overlay(snapshotter: &str, data_root: &Path) -> Check {
    let fs = facts::backing_fs(data_root);
    if snapshotter == "native" {
        return Check::ok(
            "overlay",
            format!("native snapshotter (full copies) configured; data root on {fs}"),
        );
    }
    let kernel = std::fs::read_to_string("/proc/filesystems").is_ok_and(|s| {
        s.lines()
            .any(|l| l.split_whitespace().last() == Some("overlay"))
    });
    if !kernel {
        return Check::warn(
            "overlay",
            "the kernel has no overlayfs: berth copies each layer in full (native)",
            "modprobe overlay (and add overlay to /etc/modules)",
        );
    }
    let at = data_root.display();
    if fs == "overlayfs" {
        return Check::warn(
            "overlay",
            format!("data root {at} is on overlayfs, which cannot hold overlay upper layers: berth copies layers in full"),
            OVERLAY_FIX,
        );
    }
    let dir = facts::existing_ancestor(data_root);
    if facts::supports_d_type(&dir) == Some(false) {
        return Check::error(
            "overlay",
            format!("data root {at} is on {fs} without d_type support, which overlayfs needs"),
            "put the data root on a filesystem with d_type (ext4 with its default filetype feature, xfs with ftype=1): --data-root DIR or data_root in berth.toml; or use full copies: snapshotter = \"native\" in berth.toml",
        );
    }
    if dir == data_root && rustix::process::geteuid().is_root() {
        if let Err(e) = try_overlay_mount(data_root) {
            return Check::error(
                "overlay",
                format!("overlayfs refuses the data root {at} ({fs}): {e}"),
                OVERLAY_FIX,
            );
        }
        return Check::ok(
            "overlay",
            format!("overlayfs usable on {at} ({fs}, d_type)"),
        );
    }
    Check::ok("overlay", format!("data root {at} on {fs} (d_type)"))
}

/// Mount a one-lower overlay in a scratch directory of `root` and unmount it.
fn try_overlay_mount(root: &Path) -> Result<(), String> {
    let scratch = root.join(format!(".berth-overlay-check-{}", std::process::id()));
    let res = (|| {
        for d in ["lower", "upper", "work", "merged"] {
            std::fs::create_dir_all(scratch.join(d)).map_err(|e| e.to_string())?;
        }
        let opts = format!(
            "lowerdir={},upperdir={},workdir={}",
            scratch.join("lower").display(),
            scratch.join("upper").display(),
            scratch.join("work").display()
        );
        crate::sys::mount::mount_overlay_legacy(&opts, &scratch.join("merged"))
            .map_err(|e| crate::cmd::render_chain(&e))?;
        let _ = crate::sys::mount::unmount(&scratch.join("merged"));
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    res
}

pub fn cgroups() -> Check {
    let cg = facts::cgroups();
    if cg.controllers.is_empty() {
        return Check::error(
            "cgroups",
            "no cgroup hierarchy mounted at /sys/fs/cgroup",
            "mount -t cgroup2 none /sys/fs/cgroup",
        );
    }
    let missing: Vec<&str> = NEEDED_CONTROLLERS
        .iter()
        .copied()
        .filter(|c| !cg.controllers.iter().any(|x| x == c))
        .collect();
    if cg.version == 1 {
        return Check::warn(
            "cgroups",
            "cgroup v1 (legacy hierarchy): runtimes are moving to v2 only",
            "boot with systemd.unified_cgroup_hierarchy=1 on the kernel command line",
        );
    }
    if !missing.is_empty() {
        return Check::warn(
            "cgroups",
            format!(
                "cgroup v2 without the {} controller(s): limits on them cannot apply",
                missing.join(", ")
            ),
            format!(
                "enable them for child groups: echo '{}' > /sys/fs/cgroup/cgroup.subtree_control",
                missing
                    .iter()
                    .map(|c| format!("+{c}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        );
    }
    Check::ok(
        "cgroups",
        format!("cgroup v2 ({})", cg.controllers.join(" ")),
    )
}

pub fn seccomp() -> Check {
    if facts::seccomp_supported() {
        Check::ok(
            "seccomp",
            "seccomp filters supported (default profile applies)",
        )
    } else {
        Check::warn(
            "seccomp",
            "the kernel has no seccomp filter support: containers run without the default profile",
            "use a kernel built with CONFIG_SECCOMP and CONFIG_SECCOMP_FILTER",
        )
    }
}

pub fn sysctls() -> Check {
    let fwd = facts::sysctl("net/ipv4/ip_forward").unwrap_or_default();
    let local = facts::sysctl("net/ipv4/conf/all/route_localnet").unwrap_or_default();
    let found = format!("net.ipv4.ip_forward = {fwd}, net.ipv4.conf.all.route_localnet = {local}");
    if fwd == "0" {
        return Check::warn(
            "sysctl",
            format!("{found}: IPv4 forwarding is disabled; containers reach no other network until the bridge plugin turns it on, and a sysctl reload turns it off again"),
            "sysctl -w net.ipv4.ip_forward=1; echo net.ipv4.ip_forward=1 > /etc/sysctl.d/99-berth.conf",
        );
    }
    Check::ok(
        "sysctl",
        format!("{found} (portmap sets route_localnet on berth's bridges for ports published on 127.0.0.1)"),
    )
}

/// Whether `/etc/subuid`-style `text` gives `user` (name or uid) a range.
fn has_range(text: &str, user: &str, uid: u32) -> bool {
    text.lines().any(|l| {
        let mut f = l.split(':');
        let who = f.next().unwrap_or_default();
        (who == user || who == uid.to_string())
            && f.nth(1)
                .is_some_and(|n| n.trim().parse::<u64>().is_ok_and(|n| n >= 65536))
    })
}

pub fn subids() -> Check {
    let uid = std::env::var("SUDO_UID")
        .ok()
        .and_then(|u| u.parse().ok())
        .unwrap_or_else(|| rustix::process::getuid().as_raw());
    let user = std::env::var("SUDO_USER")
        .ok()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "root".to_string());
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let missing: Vec<&str> = [("/etc/subuid", "subuid"), ("/etc/subgid", "subgid")]
        .into_iter()
        .filter(|(p, _)| !has_range(&read(p), &user, uid))
        .map(|(_, n)| n)
        .collect();
    if missing.is_empty() {
        return Check::ok(
            "subids",
            format!("{user} has 65536 subordinate uids and gids"),
        );
    }
    Check::warn(
        "subids",
        format!(
            "no {} range of 65536 ids for {user} (needed for rootless containers)",
            missing.join("/")
        ),
        format!("usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {user}"),
    )
}

pub fn disk_space(data_root: &Path) -> Check {
    let Some((free, total)) = facts::space(data_root) else {
        return Check::warn(
            "disk-space",
            format!("cannot read the free space of {}", data_root.display()),
            "check that the data root's filesystem is mounted",
        );
    };
    let h = crate::format::units::human_size;
    let found = format!(
        "{} free of {} on the data root {}",
        h(free),
        h(total),
        data_root.display()
    );
    let fix = "free space: berth system prune (-a, --volumes), or move the data root (--data-root, data_root in berth.toml)";
    if free < SPACE_ERROR {
        Check::error("disk-space", found, fix)
    } else if free < SPACE_WARN || free < total / 20 {
        Check::warn("disk-space", found, fix)
    } else {
        Check::ok("disk-space", found)
    }
}

/// The leftover state `doctor` found (see `host::leftovers`).
pub fn leftovers(left: &[Leftover]) -> Check {
    if left.is_empty() {
        return Check::ok("leftovers", "no state of removed containers");
    }
    let mut kinds: Vec<Kind> = left.iter().map(|l| l.kind).collect();
    kinds.dedup();
    let parts: Vec<String> = kinds
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                left.iter().filter(|l| l.kind == *k).count(),
                k.as_str()
            )
        })
        .collect();
    let mut ids: Vec<&str> = left.iter().map(|l| l.container_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    let mut c = Check::warn(
        "leftovers",
        format!(
            "state of {} removed container(s): {}",
            ids.len(),
            parts.join(", ")
        ),
        "berth doctor --fix",
    );
    c.items = left
        .iter()
        .map(|l| format!("{} {}", l.kind.as_str(), l.describe()))
        .collect();
    c
}

/// `berth-net` iptables rules of networks that are gone: the store has no
/// network of that id and the bridge they name is not on the host (a
/// network whose removal was cut short, or a lost store row).
pub fn network_rules(orphans: &[super::iptables::NetworkRule]) -> Check {
    if orphans.is_empty() {
        return Check::ok("network-rules", "no iptables rules of removed networks");
    }
    let mut ids: Vec<&str> = orphans.iter().map(|r| r.network_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    let mut c = Check::warn(
        "network-rules",
        format!(
            "{} iptables rule(s) of {} removed network(s)",
            orphans.len(),
            ids.len()
        ),
        "berth system check --fix",
    );
    c.items = orphans
        .iter()
        .map(|r| {
            format!(
                "{} -t {} {}",
                if r.v6 { "ip6tables" } else { "iptables" },
                r.table,
                r.spec
            )
        })
        .collect();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugins_of_the_store_networks_drivers_are_needed_too() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        for p in NEEDED_PLUGINS {
            let f = d.path().join(p);
            std::fs::write(&f, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let dirs = [d.path().to_path_buf()];
        assert_eq!(cni_plugins(&dirs).status, super::super::Status::Ok);
        let c = cni_plugins_for(&dirs, &["macvlan"]);
        assert_eq!(c.status, super::super::Status::Error);
        assert!(c.found.ends_with(": macvlan"), "{}", c.found);
    }

    #[test]
    fn subordinate_ranges() {
        assert!(has_range("root:100000:65536\n", "root", 0));
        assert!(has_range("1000:100000:65536\n", "me", 1000));
        assert!(!has_range("root:100000:1000\n", "root", 0));
        assert!(!has_range("other:100000:65536\n", "root", 0));
    }

    #[test]
    fn missing_runtime_and_plugins_are_errors_with_fixes() {
        let c = runtime("/nonexistent/runc");
        assert_eq!(c.status, super::super::Status::Error);
        assert!(c.fix.unwrap().contains("apt-get install runc"));
        let d = std::env::temp_dir().join(format!("berth-noplugins-{}", std::process::id()));
        let c = cni_plugins(std::slice::from_ref(&d));
        assert_eq!(c.status, super::super::Status::Error);
        assert!(
            c.found
                .contains("bridge, host-local, portmap, firewall, tuning, loopback"),
            "{}",
            c.found
        );
        assert!(c.fix.unwrap().contains("containernetworking-plugins"));
    }
}
