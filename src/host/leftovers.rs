//! State left behind by containers that no longer exist: mounts, pinned
//! network namespaces, cached CNI results (whose DEL frees IPAM leases and
//! the plugins' iptables rules), IPAM leases, shim state directories,
//! bundles and snapshots. A CLI or a host killed at the wrong moment leaves
//! these; the sweep of `container::lifecycle` finishes what a record still
//! names, this finds what no record names any more.
//!
//! The filesystem is scanned *before* the container ids are read, so a
//! container created meanwhile is in the id list and never counted.

use super::iptables::TaggedRule;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What kind of thing was left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Mount,
    Netns,
    CniResult,
    Lease,
    ShimState,
    Bundle,
    Snapshot,
    RuntimeState,
    Cgroup,
    Iptables,
    /// A shim still running for a container no record names.
    LiveShim,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mount => "mount",
            Kind::Netns => "network namespace",
            Kind::CniResult => "CNI attachment",
            Kind::Lease => "IPAM lease",
            Kind::ShimState => "shim state",
            Kind::Bundle => "bundle",
            Kind::Snapshot => "snapshot",
            Kind::RuntimeState => "runtime state",
            Kind::Cgroup => "cgroup",
            Kind::Iptables => "iptables rule",
            Kind::LiveShim => "running shim",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    pub kind: Kind,
    /// The container the thing belonged to.
    pub container_id: String,
    /// The file or mount point (empty for an iptables rule).
    pub path: PathBuf,
    /// The rule, for [`Kind::Iptables`].
    pub rule: Option<TaggedRule>,
}

impl Leftover {
    fn at(kind: Kind, container_id: String, path: PathBuf) -> Leftover {
        Leftover {
            kind,
            container_id,
            path,
            rule: None,
        }
    }

    /// The path, or the rule with its table.
    pub fn describe(&self) -> String {
        match &self.rule {
            Some(r) => format!("-t {} {}", r.table, r.spec),
            None => self.path.display().to_string(),
        }
    }
}

/// Where berth keeps per-container state.
#[derive(Debug, Clone)]
pub struct Roots {
    pub data_root: PathBuf,
    pub state_root: PathBuf,
    pub netns_dir: PathBuf,
    pub cache_dir: PathBuf,
    pub ipam_dir: PathBuf,
    /// `/sys/fs/cgroup` (a directory of the test's own in unit tests).
    pub cgroup_root: PathBuf,
}

fn is_container_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The first path component below `base` that looks like a container id.
fn id_below(path: &Path, base: &Path) -> Option<String> {
    path.strip_prefix(base)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .find(|c| is_container_id(c))
        .map(|c| c.into_owned())
}

fn dir_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Mount points of this namespace under `roots` (mountinfo order).
fn mounts_under(roots: &[&Path]) -> Vec<PathBuf> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    info.lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(|mp| PathBuf::from(unescape(mp)))
        .filter(|p| roots.iter().any(|r| p.starts_with(r) && p != r))
        .collect()
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Everything of a container id on disk or in the mount table (`scan`
/// then filter by the ids that exist).
fn scan(r: &Roots) -> Vec<Leftover> {
    let mut found = Vec::new();
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (data, state) = (canon(&r.data_root), canon(&r.state_root));
    for mp in mounts_under(&[&data, &state]) {
        let base = if mp.starts_with(&data) { &data } else { &state };
        if let Some(id) = id_below(&mp, base) {
            let kind = if mp.starts_with(canon(&r.netns_dir)) {
                Kind::Netns
            } else {
                Kind::Mount
            };
            found.push(Leftover::at(kind, id, mp));
        }
    }
    let each = |found: &mut Vec<Leftover>,
                dir: &Path,
                kind: Kind,
                id_of: &dyn Fn(&str) -> Option<String>| {
        for name in dir_names(dir) {
            if let Some(id) = id_of(&name) {
                let path = dir.join(&name);
                if !found.iter().any(|f| f.path == path) {
                    found.push(Leftover::at(kind, id, path));
                }
            }
        }
    };
    let plain = |n: &str| is_container_id(n).then(|| n.to_string());
    each(&mut found, &r.netns_dir, Kind::Netns, &plain);
    each(&mut found, &r.cache_dir, Kind::CniResult, &|n: &str| {
        let id = n.get(..64)?;
        (is_container_id(id) && n[64..].starts_with('-')).then(|| id.to_string())
    });
    for net in dir_names(&r.ipam_dir) {
        let dir = r.ipam_dir.join(&net);
        for name in dir_names(&dir) {
            // host-local: one file per address, holding the container id
            // on its first line (and the interface on the second).
            if name.starts_with("last_reserved_ip") || name == "lock" {
                continue;
            }
            let path = dir.join(&name);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if let Some(id) = text
                .lines()
                .next()
                .map(str::trim)
                .filter(|l| is_container_id(l))
            {
                found.push(Leftover::at(Kind::Lease, id.to_string(), path));
            }
        }
    }
    each(
        &mut found,
        &r.state_root.join("containers"),
        Kind::ShimState,
        &plain,
    );
    each(
        &mut found,
        &r.data_root.join("containers"),
        Kind::Bundle,
        &plain,
    );
    each(
        &mut found,
        &r.state_root.join("runtime"),
        Kind::RuntimeState,
        &plain,
    );
    // The cgroups the runtime made (`runtime::spec::cgroups_path`: `/berth/<id>`),
    // in the unified hierarchy or in each v1 controller's.
    let cg = Path::new(&r.cgroup_root);
    let mut cg_dirs = vec![cg.join("berth")];
    cg_dirs.extend(dir_names(cg).iter().map(|c| cg.join(c).join("berth")));
    for d in cg_dirs {
        if d.is_dir() {
            each(&mut found, &d, Kind::Cgroup, &plain);
        }
    }
    each(
        &mut found,
        &r.data_root.join("snapshots").join("containers"),
        Kind::Snapshot,
        &plain,
    );
    found
}

/// What belongs to no container in `existing` (read after the scan):
/// files and mounts under the roots, and `rules` (this berth's tagged
/// iptables rules, read by the caller before `existing`).
pub fn find(
    r: &Roots,
    rules: Vec<TaggedRule>,
    existing: impl FnOnce() -> anyhow::Result<HashSet<String>>,
) -> anyhow::Result<Vec<Leftover>> {
    let mut scanned = scan(r);
    scanned.extend(rules.into_iter().map(|rule| Leftover {
        kind: Kind::Iptables,
        container_id: rule.container_id.clone(),
        path: PathBuf::new(),
        rule: Some(rule),
    }));
    let ids = existing()?;
    let mut left: Vec<Leftover> = scanned
        .into_iter()
        .filter(|l| !ids.contains(&l.container_id))
        .collect();
    // cgroups are shared by every berth on the host (`/berth/<id>`): one
    // is this berth's only when this berth holds other state of its id.
    let owned: HashSet<String> = left
        .iter()
        .filter(|l| l.kind != Kind::Cgroup)
        .map(|l| l.container_id.clone())
        .collect();
    left.retain(|l| l.kind != Kind::Cgroup || owned.contains(&l.container_id));
    left.sort_by_key(|l| (l.kind, l.describe()));
    Ok(left)
}

/// Remove leftovers in a safe order: CNI DELs first (`detach`, given by
/// the caller, which also unpins the namespace), then mounts (deepest
/// first), namespaces, leases, and directories. Returns what could not be
/// removed, with why.
pub fn clean(
    left: &[Leftover],
    mut stop: impl FnMut(&Leftover) -> anyhow::Result<()>,
    mut detach: impl FnMut(&str) -> anyhow::Result<()>,
) -> Vec<(Leftover, String)> {
    let mut failed = Vec::new();
    // A running shim and its container go first (the runtime's delete
    // --force kills the processes), before their state is removed.
    for l in left
        .iter()
        .filter(|l| matches!(l.kind, Kind::LiveShim | Kind::RuntimeState))
    {
        if let Err(e) = stop(l) {
            failed.push((l.clone(), format!("{e:#}")));
        }
    }
    let mut ids: Vec<&str> = left
        .iter()
        .filter(|l| matches!(l.kind, Kind::CniResult | Kind::Netns))
        .map(|l| l.container_id.as_str())
        .collect();
    ids.sort();
    ids.dedup();
    let mut detach_failed = HashSet::new();
    for id in ids {
        if let Err(e) = detach(id) {
            detach_failed.insert(id.to_string());
            for l in left
                .iter()
                .filter(|l| l.container_id == id && l.kind == Kind::CniResult)
            {
                failed.push((l.clone(), format!("{e:#}")));
            }
        }
    }
    let mut mounts: Vec<&Leftover> = left.iter().filter(|l| l.kind == Kind::Mount).collect();
    mounts.sort_by_key(|l| std::cmp::Reverse(l.path.components().count()));
    for l in mounts {
        if let Err(e) = crate::sys::mount::unmount(&l.path) {
            failed.push((l.clone(), e.to_string()));
        }
    }
    for l in left {
        let res = match l.kind {
            Kind::Mount | Kind::LiveShim | Kind::RuntimeState
                if failed.iter().any(|f| f.0 == *l) =>
            {
                continue
            }
            Kind::Mount | Kind::LiveShim => continue,
            Kind::CniResult if detach_failed.contains(&l.container_id) => continue,
            Kind::Netns => crate::sys::netns::unpin(&l.path).and_then(|()| remove_file(&l.path)),
            Kind::CniResult | Kind::Lease => remove_file(&l.path),
            Kind::Iptables => match &l.rule {
                Some(rule) => super::iptables::remove(rule).map_err(std::io::Error::other),
                None => Ok(()),
            },
            Kind::ShimState | Kind::Bundle | Kind::Snapshot | Kind::RuntimeState => {
                remove_dir(&l.path)
            }
            // A cgroup goes with rmdir once no process is left in it.
            Kind::Cgroup => match std::fs::remove_dir(&l.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        };
        if let Err(e) = res {
            failed.push((l.clone(), e.to_string()));
        }
    }
    failed
}

fn remove_file(p: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn remove_dir(p: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn roots(base: &Path) -> Roots {
        let state = base.join("state");
        Roots {
            data_root: base.join("data"),
            netns_dir: state.join("netns"),
            cache_dir: state.join("network/results"),
            ipam_dir: state.join("network/ipam"),
            cgroup_root: base.join("cgroup"),
            state_root: state,
        }
    }

    #[test]
    fn finds_only_what_no_container_owns_and_cleans_it() {
        let base = tempfile::tempdir().unwrap();
        let r = roots(base.path());
        for id in [A, B] {
            std::fs::create_dir_all(r.state_root.join("containers").join(id)).unwrap();
            std::fs::create_dir_all(r.data_root.join("containers").join(id)).unwrap();
            std::fs::create_dir_all(r.data_root.join("snapshots/containers").join(id)).unwrap();
            std::fs::create_dir_all(&r.cache_dir).unwrap();
            std::fs::write(r.cache_dir.join(format!("{id}-bridge.json")), "{}").unwrap();
        }
        std::fs::create_dir_all(r.cgroup_root.join("memory/berth").join(B)).unwrap();
        let other = "c".repeat(64);
        std::fs::create_dir_all(r.cgroup_root.join("memory/berth").join(&other)).unwrap();
        std::fs::create_dir_all(r.ipam_dir.join("bridge")).unwrap();
        std::fs::write(r.ipam_dir.join("bridge/10.1.0.2"), format!("{B}\neth0")).unwrap();
        std::fs::write(r.ipam_dir.join("bridge/last_reserved_ip.0"), "10.1.0.2").unwrap();
        std::fs::write(r.ipam_dir.join("bridge/10.1.0.3"), format!("{A}\neth0")).unwrap();
        let left = find(&r, Vec::new(), || Ok(HashSet::from([A.to_string()]))).unwrap();
        let kinds: Vec<Kind> = left.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::CniResult,
                Kind::Lease,
                Kind::ShimState,
                Kind::Bundle,
                Kind::Snapshot,
                Kind::Cgroup
            ]
        );
        assert!(left.iter().all(|l| l.container_id == B));
        let mut detached = Vec::new();
        let failed = clean(
            &left,
            |_| Ok(()),
            |id| {
                detached.push(id.to_string());
                Ok(())
            },
        );
        assert!(failed.is_empty(), "{failed:?}");
        assert_eq!(detached, [B]);
        assert!(find(&r, Vec::new(), || Ok(HashSet::from([A.to_string()])))
            .unwrap()
            .is_empty());
        assert!(r.state_root.join("containers").join(A).is_dir());
        assert!(r.ipam_dir.join("bridge/10.1.0.3").is_file());
        // Another berth's cgroup (no other state of its id here) stays.
        assert!(r.cgroup_root.join("memory/berth").join(&other).is_dir());
    }
}
