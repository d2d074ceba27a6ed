//! A compose project's containers, found the way docker compose finds
//! them: by their `com.docker.compose.*` labels in the container store
//! (the one `ps` reads), never through the compose file. A container
//! belongs to project P when its `com.docker.compose.project` label is P
//! and it carries a `com.docker.compose.config-hash` label (compose's own
//! filter); one-off containers (`compose run`) have `oneoff=True`.

use crate::container::lifecycle::{self, Container, Host};
use crate::store::{containers, Store};
use anyhow::{bail, Result};
use std::collections::BTreeMap;

pub const PROJECT: &str = "com.docker.compose.project";
pub const SERVICE: &str = "com.docker.compose.service";
pub const NUMBER: &str = "com.docker.compose.container-number";
pub const ONEOFF: &str = "com.docker.compose.oneoff";
pub const CONFIG_HASH: &str = "com.docker.compose.config-hash";
pub const CONFIG_FILES: &str = "com.docker.compose.project.config_files";

/// Which containers of a project: compose's `oneOff` selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneOff {
    Include,
    Exclude,
}

fn label<'a>(c: &'a Container, key: &str) -> &'a str {
    c.spec.labels.get(key).map_or("", String::as_str)
}

pub fn project_of(c: &Container) -> &str {
    label(c, PROJECT)
}

pub fn service_of(c: &Container) -> &str {
    label(c, SERVICE)
}

pub fn number_of(c: &Container) -> i64 {
    label(c, NUMBER).parse().unwrap_or(0)
}

pub fn is_oneoff(c: &Container) -> bool {
    label(c, ONEOFF) == "True"
}

/// Whether a container belongs to a compose project at all.
fn is_compose(c: &Container) -> bool {
    c.spec.labels.contains_key(PROJECT) && c.spec.labels.contains_key(CONFIG_HASH)
}

/// Every compose container in the store, refreshed (state as the shims
/// know it).
pub fn all_compose(host: &Host, store: &mut Store) -> Result<Vec<Container>> {
    let mut out = Vec::new();
    for r in containers::list(store.conn())? {
        if r.status.is_transient() {
            continue;
        }
        let mut c = Container::from_row(r)?;
        if !is_compose(&c) {
            continue;
        }
        lifecycle::refresh(host, store, &mut c)?;
        out.push(c);
    }
    Ok(out)
}

/// What to select from the store.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub project: &'a str,
    pub oneoff: OneOff,
    /// Stopped containers too (`-a`); else only running/paused/restarting.
    pub all: bool,
    /// Restrict to these services (empty: every service).
    pub services: &'a [String],
}

/// Whether `c` passes `q`.
pub fn matches(c: &Container, q: &Query) -> bool {
    if !is_compose(c) || project_of(c) != q.project {
        return false;
    }
    if q.oneoff == OneOff::Exclude && is_oneoff(c) {
        return false;
    }
    if !q.all && !c.row.status.is_live() {
        return false;
    }
    q.services.is_empty() || q.services.iter().any(|s| s == service_of(c))
}

/// The project's containers that pass `q`, sorted by name (compose's
/// `sorted()`: the canonical name).
pub fn list(host: &Host, store: &mut Store, q: &Query) -> Result<Vec<Container>> {
    let mut v: Vec<Container> = all_compose(host, store)?
        .into_iter()
        .filter(|c| matches(c, q))
        .collect();
    v.sort_by(|a, b| a.row.name.cmp(&b.row.name));
    Ok(v)
}

/// Compose's `getSpecifiedContainer`: the service's container with number
/// `index` (0: the lowest number, service containers before one-offs), or
/// compose's "service \"x\" is not running" error.
pub fn specified(
    host: &Host,
    store: &mut Store,
    project: &str,
    oneoff: OneOff,
    all: bool,
    service: &str,
    index: i64,
) -> Result<Container> {
    let services = [service.to_string()];
    let q = Query {
        project,
        oneoff,
        all,
        services: &services,
    };
    let mut v: Vec<Container> = list(host, store, &q)?
        .into_iter()
        .filter(|c| index <= 0 || number_of(c) == index)
        .collect();
    pick_first(&mut v);
    if v.is_empty() {
        if index > 0 {
            bail!("service {service:?} is not running container #{index}");
        }
        bail!("service {service:?} is not running");
    }
    Ok(v.swap_remove(0))
}

/// Orders by container number with one-off containers last; the first is
/// the one a single-container verb acts on.
fn pick_first(v: &mut [Container]) {
    v.sort_by_key(|c| (is_oneoff(c), number_of(c)));
}

/// The projects in the store: name → its containers (every state).
pub fn projects(host: &Host, store: &mut Store) -> Result<BTreeMap<String, Vec<Container>>> {
    let mut m: BTreeMap<String, Vec<Container>> = BTreeMap::new();
    for c in all_compose(host, store)? {
        m.entry(project_of(&c).to_string()).or_default().push(c);
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::state::Status;

    fn c(name: &str, labels: &[(&str, &str)], status: Status) -> Container {
        let spec = crate::container::spec::ContainerSpec {
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        };
        let row = containers::ContainerRow {
            id: format!("{name:0>64}"),
            name: name.into(),
            status,
            ..Default::default()
        };
        Container { row, spec }
    }

    fn svc(p: &str, s: &str, n: &str, oneoff: &str, status: Status) -> Container {
        c(
            &format!("{p}-{s}-{n}"),
            &[
                (PROJECT, p),
                (SERVICE, s),
                (NUMBER, n),
                (ONEOFF, oneoff),
                (CONFIG_HASH, "h"),
            ],
            status,
        )
    }

    #[test]
    fn selects_by_project_service_state_and_oneoff() {
        let web = svc("p", "web", "1", "False", Status::Running);
        let db = svc("p", "db", "1", "False", Status::Exited);
        let run = svc("p", "web", "run-1", "True", Status::Running);
        let other = svc("q", "web", "1", "False", Status::Running);
        let nohash = c("p-x-1", &[(PROJECT, "p"), (SERVICE, "x")], Status::Running);
        let q = |all, oneoff, services: &'static [String]| Query {
            project: "p",
            oneoff,
            all,
            services,
        };
        assert!(matches(&web, &q(false, OneOff::Exclude, &[])));
        assert!(!matches(&db, &q(false, OneOff::Exclude, &[])));
        assert!(matches(&db, &q(true, OneOff::Exclude, &[])));
        assert!(!matches(&run, &q(false, OneOff::Exclude, &[])));
        assert!(matches(&run, &q(false, OneOff::Include, &[])));
        assert!(!matches(&other, &q(true, OneOff::Include, &[])));
        assert!(!matches(&nohash, &q(true, OneOff::Include, &[])));
        let only_db: &'static [String] = Box::leak(Box::new(["db".to_string()]));
        assert!(!matches(&web, &q(true, OneOff::Include, only_db)));
        assert!(matches(&db, &q(true, OneOff::Include, only_db)));
    }

    #[test]
    fn first_is_lowest_number_and_oneoffs_last() {
        let mut v = vec![
            svc("p", "web", "0", "True", Status::Running),
            svc("p", "web", "3", "False", Status::Running),
            svc("p", "web", "2", "False", Status::Running),
        ];
        pick_first(&mut v);
        assert_eq!(v[0].row.name, "p-web-2");
        assert_eq!(v[2].row.name, "p-web-0");
    }
}
