//! Peers in a container's `/etc/hosts` on user networks.
//!
//! On a user network (any but the default `bridge`, as Docker) every
//! container's hosts file lists the other containers attached to the same
//! networks: one line per peer address, `IP<TAB>name aliases... hostname`
//! (each name once; the aliases are the peer's on that network). The lines follow a marker line
//! after the container's own part, which `lifecycle::write_bundle` writes
//! at each start; everything from the marker on is rebuilt whenever a peer
//! joins (a start) or leaves (`network::attach::detach`, whoever runs it).
//!
//! The file is bind-mounted into the running container, so it is rewritten
//! in place (the inode stays): under an exclusive `flock` on the file
//! itself, read, truncate, write. A rename would leave the container
//! looking at the old file.
//!
//! Endpoint rows exist only while a container is attached, so the peers
//! are exactly the running members of the network.

use super::store::DEFAULT_NETWORK;
use crate::store::networks::{self as rows, EndpointRow};
use crate::store::Store;
use anyhow::{Context as _, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

/// The line after which berth's peer entries start.
pub const MARKER: &str = "# berth: containers on the same networks";

/// What a peer line needs of a container besides its endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerNames {
    pub name: String,
    pub hostname: String,
    /// `--network-alias` (later `network connect --alias`) by network ID.
    pub aliases: BTreeMap<String, Vec<String>>,
}

impl PeerNames {
    /// The names this container answers to on `network_id`, Docker's
    /// `DNSNames` order without its short ID: name, aliases, hostname.
    pub fn on(&self, network_id: &str) -> Vec<String> {
        let mut out = vec![self.name.clone()];
        for n in self.aliases.get(network_id).into_iter().flatten() {
            out.push(n.clone());
        }
        out.push(self.hostname.clone());
        let mut seen = BTreeSet::new();
        out.retain(|n| !n.is_empty() && seen.insert(n.clone()));
        out
    }
}

/// The user networks (IDs) a container is attached to.
pub fn user_networks_of(store: &Store, container_id: &str) -> Result<Vec<String>> {
    let default_id = rows::get_by_name(store.conn(), DEFAULT_NETWORK)?.map(|r| r.id);
    Ok(rows::endpoints_of_container(store.conn(), container_id)?
        .into_iter()
        .map(|e| e.network_id)
        .filter(|id| Some(id) != default_id.as_ref())
        .collect())
}

/// The peer section of one member's hosts file: every other container's
/// addresses on the networks `member` shares with it, sorted and deduped.
pub fn section(
    member: &str,
    endpoints: &[EndpointRow],
    names: &BTreeMap<String, PeerNames>,
) -> String {
    let bare = |s: &str| s.split('/').next().unwrap_or("").to_string();
    let mine: BTreeSet<&str> = endpoints
        .iter()
        .filter(|e| e.container_id == member)
        .map(|e| e.network_id.as_str())
        .collect();
    let mut lines = BTreeSet::new();
    for e in endpoints {
        if e.container_id == member || !mine.contains(e.network_id.as_str()) {
            continue;
        }
        let Some(n) = names.get(&e.container_id) else {
            continue;
        };
        let label = n.on(&e.network_id).join(" ");
        for ip in [bare(&e.ip), bare(&e.ipv6)] {
            if !ip.is_empty() {
                lines.insert(format!("{ip}\t{label}"));
            }
        }
    }
    let mut out = String::new();
    if !lines.is_empty() {
        out.push_str(MARKER);
        out.push('\n');
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// `current` with everything from the marker on replaced by `section`.
pub fn splice(current: &str, section: &str) -> String {
    let own = match current.find(&format!("{MARKER}\n")) {
        Some(at) if at == 0 || current[..at].ends_with('\n') => &current[..at],
        _ => current,
    };
    format!("{own}{section}")
}

/// Rewrite `path` in place (same inode) with its peer section replaced.
/// A missing file (the container's bundle is gone) is not an error.
pub fn rewrite_in_place(path: &Path, section: &str) -> Result<()> {
    rewrite_with(path, |current| splice(current, section))
}

/// Rewrite the container's own part of its hosts file at `path` (what
/// comes before the peer marker) in place with `edit`, keeping the peer
/// section, under the same lock the peer updates take.
pub fn rewrite_own_in_place(path: &Path, edit: impl FnOnce(&str) -> String) -> Result<()> {
    rewrite_with(path, |current| {
        let at = match current.find(&format!("{MARKER}\n")) {
            Some(at) if at == 0 || current[..at].ends_with('\n') => at,
            _ => current.len(),
        };
        format!("{}{}", edit(&current[..at]), &current[at..])
    })
}

/// Rewrite a bind-mounted file in place (same inode) with what `next`
/// makes of its current text, under an exclusive `flock` on the file. A
/// missing file (the container's bundle is gone) is not an error.
pub fn rewrite_with(path: &Path, next: impl FnOnce(&str) -> String) -> Result<()> {
    let mut f = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("opening {}", path.display())),
    };
    // flock(2) on the file itself (std's File::lock), released on close.
    f.lock()
        .with_context(|| format!("locking {}", path.display()))?;
    let mut current = String::new();
    f.read_to_string(&mut current)
        .with_context(|| format!("reading {}", path.display()))?;
    let next = next(&current);
    if next == current {
        return Ok(());
    }
    f.set_len(0)
        .and_then(|()| f.seek(SeekFrom::Start(0)).map(|_| ()))
        .and_then(|()| f.write_all(next.as_bytes()))
        .with_context(|| format!("rewriting {}", path.display()))
}

/// Rebuild the peer section of every container attached to any of
/// `networks` (IDs). `hosts_of` gives a container's bundle hosts file.
/// Best effort per member: the first error is returned after all ran.
pub fn refresh(
    store: &Store,
    networks: &[String],
    hosts_of: &dyn Fn(&str) -> PathBuf,
) -> Result<()> {
    if networks.is_empty() {
        return Ok(());
    }
    let mut members = BTreeSet::new();
    for net in networks {
        for e in rows::endpoints_of_network(store.conn(), net)? {
            members.insert(e.container_id);
        }
    }
    // Every endpoint of every member (a member's other user networks count
    // too), and the names of everyone involved.
    let default_id = rows::get_by_name(store.conn(), DEFAULT_NETWORK)?.map(|r| r.id);
    let mut nets: BTreeSet<String> = BTreeSet::new();
    for m in &members {
        for e in rows::endpoints_of_container(store.conn(), m)? {
            nets.insert(e.network_id);
        }
    }
    let mut endpoints = Vec::new();
    for n in nets.iter().filter(|n| Some(*n) != default_id.as_ref()) {
        endpoints.extend(rows::endpoints_of_network(store.conn(), n)?);
    }
    let mut names = BTreeMap::new();
    for e in &endpoints {
        if names.contains_key(&e.container_id) {
            continue;
        }
        if let Some(row) = crate::store::containers::get(store.conn(), &e.container_id)? {
            let spec = crate::container::spec::ContainerSpec::from_json(&row.spec).ok();
            let hostname = spec
                .as_ref()
                .and_then(|s| s.hostname.clone())
                .unwrap_or_else(|| row.id.chars().take(12).collect());
            let mut aliases = BTreeMap::new();
            for (net, list) in spec.map(|s| s.network_aliases).unwrap_or_default() {
                if let Ok(n) = super::store::find(store, &net) {
                    aliases.insert(n.id, list);
                }
            }
            let name = row.name.trim_start_matches('/').to_string();
            names.insert(
                e.container_id.clone(),
                PeerNames {
                    name,
                    hostname,
                    aliases,
                },
            );
        }
    }
    let mut first = None;
    for m in &members {
        if let Err(e) = rewrite_in_place(&hosts_of(m), &section(m, &endpoints, &names)) {
            first.get_or_insert(e);
        }
    }
    first.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(c: &str, net: &str, ip: &str) -> EndpointRow {
        EndpointRow {
            container_id: c.into(),
            network_id: net.into(),
            ip: ip.into(),
            ..Default::default()
        }
    }

    fn names() -> BTreeMap<String, PeerNames> {
        [
            ("a", "web", "a1b2"),
            ("b", "db", "db"),
            ("c", "cache", "c3"),
        ]
        .into_iter()
        .map(|(id, n, h)| {
            (
                id.to_string(),
                PeerNames {
                    name: n.into(),
                    hostname: h.into(),
                    aliases: if id == "b" {
                        BTreeMap::from([
                            ("n1".into(), vec!["pg".into(), "db".into()]),
                            ("n2".into(), vec!["other".into()]),
                        ])
                    } else {
                        BTreeMap::new()
                    },
                },
            )
        })
        .collect()
    }

    #[test]
    fn lists_peers_on_shared_networks_only() {
        let eps = vec![
            ep("a", "n1", "10.1.0.2/24"),
            ep("b", "n1", "10.1.0.3/24"),
            ep("c", "n2", "10.2.0.2/24"),
        ];
        let s = section("a", &eps, &names());
        assert_eq!(s, format!("{MARKER}\n10.1.0.3\tdb pg\n"));
        let s = section("b", &eps, &names());
        assert_eq!(s, format!("{MARKER}\n10.1.0.2\tweb a1b2\n"));
        assert_eq!(section("c", &eps, &names()), "");
    }

    #[test]
    fn splice_replaces_the_old_section() {
        let own = "127.0.0.1\tlocalhost\n10.1.0.2\ta1b2\n";
        let once = splice(own, &format!("{MARKER}\n10.1.0.3\tdb\n"));
        assert_eq!(once, format!("{own}{MARKER}\n10.1.0.3\tdb\n"));
        assert_eq!(splice(&once, ""), own);
    }

    #[test]
    fn rewrite_keeps_the_inode() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("hosts");
        std::fs::write(&p, "127.0.0.1\tlocalhost\n").unwrap();
        let ino = std::fs::metadata(&p).unwrap().ino();
        rewrite_in_place(&p, &format!("{MARKER}\n10.1.0.3\tdb\n")).unwrap();
        rewrite_in_place(&p, &format!("{MARKER}\n10.1.0.4\tx\n")).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().ino(), ino);
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            format!("127.0.0.1\tlocalhost\n{MARKER}\n10.1.0.4\tx\n")
        );
        rewrite_in_place(&dir.path().join("gone"), "").unwrap();
    }
}
