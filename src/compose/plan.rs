//! What `up` must do, decided before anything changes (pure: tested
//! without containers): the dependency graph (cycles, undefined services,
//! start order), and per service which existing containers are kept,
//! started, recreated or removed, from the `config-hash` and `image`
//! labels compose writes (convergence.go's `mustRecreate`), the scale,
//! and the orphans (compose's `isOrphaned`).

use super::service::Service;
use std::collections::{BTreeMap, BTreeSet};

/// A project container as its labels describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: String,
    pub name: String,
    pub service: String,
    pub number: u32,
    pub oneoff: bool,
    pub hash: String,
    /// The `io.berth.compose.config-keys` label.
    pub key_hashes: String,
    pub image: String,
    /// Running, paused or restarting.
    pub running: bool,
    /// Exited or dead (compose's test for a finished one-off).
    pub exited: bool,
}

/// `--force-recreate` / `--no-recreate` / neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recreate {
    #[default]
    Diverged,
    Force,
    Never,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Create {
        number: u32,
    },
    /// Replace `old` (why: which label changed) by a new container with
    /// its number.
    Recreate {
        old: Existing,
        why: String,
    },
    /// Exists with the wanted config: start it if it is not running.
    Keep {
        old: Existing,
    },
    /// Over the scale.
    Remove {
        old: Existing,
    },
}

/// The services in an order where each comes after what it depends on;
/// Docker's errors for a cycle or a dependency on an unknown service.
pub fn start_order(svcs: &[Service]) -> Result<Vec<String>, String> {
    let by_name: BTreeMap<&str, &Service> = svcs.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut done: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    fn visit(
        name: &str,
        by_name: &BTreeMap<&str, &Service>,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
        done: &mut Vec<String>,
    ) -> Result<(), String> {
        if let Some(i) = path.iter().position(|p| p == name) {
            let mut cycle = path[i..].to_vec();
            cycle.push(name.to_string());
            return Err(format!("dependency cycle detected: {}", cycle.join(" -> ")));
        }
        if !seen.insert(name.to_string()) {
            return Ok(());
        }
        let svc = by_name[name];
        path.push(name.to_string());
        for d in &svc.depends_on {
            if by_name.contains_key(d.service.as_str()) {
                visit(&d.service, by_name, path, seen, done)?;
            } else if d.required {
                return Err(format!(
                    "service {:?} depends on undefined service {:?}: invalid compose project",
                    svc.name, d.service
                ));
            }
        }
        path.pop();
        done.push(name.to_string());
        Ok(())
    }
    for s in svcs {
        visit(&s.name, &by_name, &mut Vec::new(), &mut seen, &mut done)?;
    }
    Ok(done)
}

/// Services that depend on `name` (directly), for `down`'s reverse order.
pub fn dependents<'a>(svcs: &'a [Service], name: &str) -> Vec<&'a str> {
    svcs.iter()
        .filter(|s| s.depends_on.iter().any(|d| d.service == name))
        .map(|s| s.name.as_str())
        .collect()
}

/// Why an existing container no longer matches, if it does not.
pub fn divergence(old: &Existing, svc: &Service, image_id: &str) -> Option<String> {
    if old.hash != svc.hash {
        let keys = super::render::changed_keys(&old.key_hashes, &svc.key_hashes);
        if keys.is_empty() || old.key_hashes.is_empty() {
            return Some("configuration changed".into());
        }
        return Some(format!("{} changed", keys.join(", ")));
    }
    if !image_id.is_empty() && old.image != image_id {
        // Both ids in one form, docker's 12-hex short id.
        return Some(format!(
            "image changed ({} -> {})",
            short(&old.image),
            short(image_id)
        ));
    }
    None
}

fn short(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    &id[..id.len().min(12)]
}

/// The steps for one service with `scale` replicas over its existing
/// (non one-off) containers, numbers kept; excess removed from the
/// highest number down, new ones numbered after the highest.
pub fn converge(
    svc: &Service,
    scale: u32,
    existing: &[Existing],
    image_id: &str,
    policy: Recreate,
) -> Vec<Step> {
    let mut mine: Vec<&Existing> = existing
        .iter()
        .filter(|e| e.service == svc.name && !e.oneoff)
        .collect();
    mine.sort_by_key(|e| e.number);
    let mut steps = Vec::new();
    let keep = mine.len().min(scale as usize);
    for old in mine.iter().skip(keep).rev() {
        steps.push(Step::Remove {
            old: (*old).clone(),
        });
    }
    for old in &mine[..keep] {
        let why = match policy {
            Recreate::Force => Some("--force-recreate".to_string()),
            Recreate::Never => None,
            Recreate::Diverged => divergence(old, svc, image_id),
        };
        steps.push(match why {
            Some(why) => Step::Recreate {
                old: (*old).clone(),
                why,
            },
            None => Step::Keep {
                old: (*old).clone(),
            },
        });
    }
    let highest = mine.iter().map(|e| e.number).max().unwrap_or(0);
    let missing = (scale as usize).saturating_sub(keep) as u32;
    for number in highest + 1..=highest + missing {
        steps.push(Step::Create { number });
    }
    steps
}

/// compose's `isOrphaned`: a project container whose service no file
/// declares (`declared` holds every service, those of disabled profiles
/// and those a SERVICE selection left out too), or a one-off container
/// that has exited (`compose run` without `--rm`); a one-off still
/// running is not an orphan.
pub fn is_orphan(e: &Existing, declared: &BTreeSet<String>) -> bool {
    if e.oneoff {
        return e.exited;
    }
    !declared.contains(&e.service)
}

/// compose's warning for orphans left in place.
pub fn orphan_warning(names: &[&str]) -> String {
    format!(
        "Found orphan containers ([{}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.",
        names.join(" ")
    )
}

/// The name of a service's container number `n` (`container_name` wins).
pub fn container_name(project: &str, svc: &Service, n: u32) -> String {
    match &svc.container_name {
        Some(c) => c.clone(),
        None => format!("{project}-{}-{n}", svc.name),
    }
}

/// compose-go's check: a fixed container name cannot be scaled.
pub fn check_scale(svc: &Service, scale: u32) -> Result<(), String> {
    if svc.container_name.is_some() && scale > 1 {
        return Err(format!(
            "services.{0}: can't set container_name and {0} as container name must be unique: invalid compose project",
            svc.name
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::service::{Condition, Dependency, NetMode};
    use super::*;

    fn svc(name: &str, deps: &[&str]) -> Service {
        Service {
            name: name.into(),
            image: Some("alpine".into()),
            image_given: true,
            build: None,
            pull_policy: "missing".into(),
            container_name: None,
            replicas: 1,
            depends_on: deps
                .iter()
                .map(|d| Dependency {
                    service: d.to_string(),
                    condition: Condition::Started,
                    required: true,
                    restart: false,
                })
                .collect(),
            net: NetMode::Networks(vec![]),
            opts: Default::default(),
            healthcheck: None,
            entrypoint: None,
            hash: "h1".into(),
            key_hashes: String::new(),
            attach: true,
            files: vec![],
            links: vec![],
            external_links: vec![],
            reports: vec![],
        }
    }

    fn ex(service: &str, n: u32, hash: &str) -> Existing {
        Existing {
            id: format!("id-{service}-{n}"),
            name: format!("p-{service}-{n}"),
            service: service.into(),
            number: n,
            oneoff: false,
            hash: hash.into(),
            key_hashes: String::new(),
            image: "sha256:img".into(),
            running: true,
            exited: false,
        }
    }

    #[test]
    fn order_puts_dependencies_first_and_finds_cycles() {
        let s = vec![
            svc("web", &["db", "cache"]),
            svc("db", &[]),
            svc("cache", &["db"]),
        ];
        assert_eq!(start_order(&s).unwrap(), ["db", "cache", "web"]);
        let c = vec![svc("a", &["b"]), svc("b", &["a"])];
        assert_eq!(
            start_order(&c).unwrap_err(),
            "dependency cycle detected: a -> b -> a"
        );
        let u = vec![svc("a", &["nope"])];
        assert!(start_order(&u)
            .unwrap_err()
            .contains("undefined service \"nope\""));
        assert_eq!(dependents(&s, "db"), ["web", "cache"]);
    }

    #[test]
    fn converge_keeps_recreates_and_scales() {
        let s = svc("web", &[]);
        let existing = vec![ex("web", 1, "h1"), ex("web", 2, "old"), ex("db", 1, "x")];
        let steps = converge(&s, 2, &existing, "sha256:img", Recreate::Diverged);
        assert!(matches!(&steps[0], Step::Keep { old } if old.number == 1));
        assert!(
            matches!(&steps[1], Step::Recreate { old, why } if old.number == 2 && why == "configuration changed")
        );
        let up = converge(&s, 4, &existing, "sha256:img", Recreate::Never);
        assert_eq!(
            up[2..],
            [Step::Create { number: 3 }, Step::Create { number: 4 }]
        );
        let down = converge(&s, 0, &existing, "sha256:img", Recreate::Diverged);
        assert!(matches!(&down[0], Step::Remove { old } if old.number == 2));
        assert!(matches!(&down[1], Step::Remove { old } if old.number == 1));
        let img = converge(&s, 1, &existing, "sha256:new", Recreate::Diverged);
        assert!(matches!(&img[1], Step::Recreate { why, .. } if why.starts_with("image changed")));
        // Both ids as docker's short ids, whichever form the labels hold.
        let mut digests = ex("web", 1, "h1");
        digests.image = format!("sha256:{}", "8fa35efa5710".repeat(5) + "abcd");
        let new = format!("sha256:{}", "05890bc31234".repeat(5) + "abcd");
        assert_eq!(
            divergence(&digests, &s, &new).as_deref(),
            Some("image changed (8fa35efa5710 -> 05890bc31234)")
        );
        let f = converge(&s, 1, &existing, "sha256:img", Recreate::Force);
        assert!(matches!(&f[1], Step::Recreate { .. }));
    }

    #[test]
    fn orphans_and_names() {
        let existing = [ex("web", 1, "h"), ex("old", 1, "h")];
        let all: BTreeSet<String> = ["web".to_string()].into();
        let o: Vec<_> = existing.iter().filter(|e| is_orphan(e, &all)).collect();
        assert_eq!(o.len(), 1);
        assert!(orphan_warning(&["p-old-1"]).starts_with("Found orphan containers ([p-old-1])"));
        let mut s = svc("web", &[]);
        assert_eq!(container_name("p", &s, 3), "p-web-3");
        s.container_name = Some("fixed".into());
        assert!(check_scale(&s, 2)
            .unwrap_err()
            .contains("can't set container_name"));
    }

    #[test]
    fn declared_services_are_not_orphans_and_finished_one_offs_are() {
        // `up web` of a file declaring web, db and a profile's debug: db's
        // and debug's containers are the project's, not orphans.
        let declared: BTreeSet<String> = ["web", "db", "debug"].map(String::from).into();
        let mut running_run = ex("web", 1, "h");
        running_run.oneoff = true;
        let mut exited_run = running_run.clone();
        exited_run.id = "id-run-2".into();
        exited_run.running = false;
        exited_run.exited = true;
        let mut created_run = running_run.clone();
        created_run.running = false;
        let existing = [
            ex("web", 1, "h"),
            ex("db", 1, "h"),
            ex("debug", 1, "h"),
            ex("gone", 1, "h"),
            running_run,
            exited_run,
            created_run,
        ];
        let ids: Vec<&str> = existing
            .iter()
            .filter(|e| is_orphan(e, &declared))
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["id-gone-1", "id-run-2"]);
    }
}
