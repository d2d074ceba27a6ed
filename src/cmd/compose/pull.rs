//! `berth compose pull [SERVICE...]`: pulls the images of the project's
//! services (needs the compose file) through `image::pull`, all at the
//! same time (a thread and store connection each), with compose's plain
//! progress lines on stderr (`-q`: none).
//! Services without `image:` (only `build:`) are skipped; `pull_policy`
//! (or `--policy`) decides as compose's `shouldPullImage` does: none or
//! `always` pulls, `missing`/`if_not_present` pulls only what is not in
//! the store (and `latest` tags), `never`/`build` skip. `--include-deps`
//! adds the services the selected ones depend on. A failed pull fails the
//! command after the others ran, unless `--ignore-pull-failures`.
//! `--dry-run` only resolves each reference against its registry (as
//! compose's dry-run client does): the same lines, nothing downloaded.

use crate::cli::compose::ComposePullArgs;
use crate::cmd::context::Context;
use crate::compose::project::LoadOptions;
use crate::compose::yaml::Node;
use crate::image::manifest::host_platform;
use crate::image::progress::Silent;
use crate::image::pull::{pull_and_record, resolve_only, PullOptions};
use crate::image::reference::Reference;
use anyhow::{bail, Result};
use std::sync::Arc;

const POLICIES: &[&str] = &["always", "missing", "if_not_present", "never", "build"];

/// One service as `pull` needs it.
#[derive(Debug, Clone, PartialEq)]
struct Svc {
    name: String,
    image: Option<String>,
    build: bool,
    policy: String,
    depends_on: Vec<String>,
}

fn services(model: &Node) -> Vec<Svc> {
    let Some(m) = model
        .as_map()
        .and_then(|m| m.get("services"))
        .and_then(Node::as_map)
    else {
        return Vec::new();
    };
    m.iter()
        .map(|(name, s)| {
            let get = |k: &str| s.as_map().and_then(|m| m.get(k));
            Svc {
                name: name.clone(),
                image: get("image").and_then(Node::scalar_text),
                build: get("build").is_some_and(|b| !b.is_null()),
                policy: get("pull_policy")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
                depends_on: get("depends_on")
                    .map(|d| match (d.as_map(), d.as_seq()) {
                        (Some(m), _) => m.keys().cloned().collect(),
                        (_, Some(v)) => v.iter().filter_map(Node::scalar_text).collect(),
                        _ => Vec::new(),
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The selected services (all when none is named), with what they depend
/// on when `deps`.
fn select(all: &[Svc], wanted: &[String], deps: bool) -> Result<Vec<Svc>> {
    for w in wanted {
        if !all.iter().any(|s| &s.name == w) {
            bail!("no such service: {w}");
        }
    }
    if wanted.is_empty() {
        return Ok(all.to_vec());
    }
    let mut names: Vec<String> = wanted.to_vec();
    if deps {
        let mut i = 0;
        while i < names.len() {
            if let Some(s) = all.iter().find(|s| s.name == names[i]) {
                for d in &s.depends_on {
                    if !names.contains(d) {
                        names.push(d.clone());
                    }
                }
            }
            i += 1;
        }
    }
    Ok(all
        .iter()
        .filter(|s| names.contains(&s.name))
        .cloned()
        .collect())
}

/// compose's `shouldPullImage`: whether to pull, or why not.
fn should_pull(policy: &str, image: &str, present: bool) -> Result<(), &'static str> {
    match policy {
        "" | "always" => Ok(()),
        _ if !present => match policy {
            "never" | "build" => Err(""),
            _ => Ok(()),
        },
        "missing" | "if_not_present" => {
            let latest = Reference::parse(image).is_ok_and(|r| r.tag() == Some("latest"));
            if latest {
                Ok(())
            } else {
                Err("Image is already present locally")
            }
        }
        _ => Err(""),
    }
}

pub fn run(ctx: &Context, base: &LoadOptions, a: ComposePullArgs, dry_run: bool) -> Result<u8> {
    if let Some(p) = &a.policy {
        if !POLICIES.contains(&p.as_str()) {
            bail!("invalid --policy {p:?}: use missing or always");
        }
    }
    let mut opts = base.clone();
    opts.services = a.service.clone();
    let project = super::load(&opts)?;
    let selected = select(&services(&project.model), &a.service, a.include_deps)?;
    let store = ctx.store()?;
    let prefix = super::dry_prefix(dry_run);
    let say = |what: &str| {
        if !a.quiet {
            eprintln!("{prefix} {what}");
        }
    };
    let mut scheduled: Vec<(String, &Svc)> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut must_build: Vec<String> = Vec::new();
    for s in &selected {
        let Some(image) = &s.image else {
            say(&format!("{} Skipped - No image to be pulled", s.name));
            continue;
        };
        let policy = a.policy.clone().unwrap_or_else(|| s.policy.clone());
        let present = crate::image::lookup::find(store.conn(), image).is_ok();
        if let Err(why) = should_pull(&policy, image, present) {
            if !why.is_empty() {
                say(&format!("Image {image} Skipped - {why}"));
            }
            continue;
        }
        if s.build && a.ignore_buildable {
            say(&format!("Image {image} Skipped - Image can be built"));
            continue;
        }
        if scheduled.iter().any(|(i, _)| i == image) {
            continue;
        }
        scheduled.push((image.clone(), s));
    }
    drop(store);
    // The pulls run at the same time, one thread and store connection each.
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = scheduled
            .iter()
            .map(|(image, _)| {
                say(&format!("Image {image} Pulling"));
                scope.spawn(move || -> Result<()> {
                    if dry_run {
                        let r = Reference::parse(image)
                            .map_err(anyhow::Error::from)
                            .and_then(|r| Ok(resolve_only(ctx.registry()?, &r)?));
                        match &r {
                            Ok(_) => say(&format!("Image {image} Pulled")),
                            Err(e) => say(&format!(
                                "Image {image} Error {}",
                                crate::cmd::render_error(e)
                            )),
                        }
                        return r;
                    }
                    let mut store = ctx.store()?;
                    let pull = PullOptions {
                        reference: Reference::parse(image)?,
                        platform: host_platform(),
                        max_concurrent_downloads: ctx.settings.max_concurrent_downloads,
                    };
                    let r = pull_and_record(&mut store, ctx.registry()?, &pull, Arc::new(Silent))
                        .map_err(anyhow::Error::from);
                    match &r {
                        Ok(_) => say(&format!("Image {image} Pulled")),
                        Err(e) => say(&format!(
                            "Image {image} Error {}",
                            crate::cmd::render_error(e)
                        )),
                    }
                    r.map(|_| ())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("pull thread panicked")))
            })
            .collect()
    });
    for ((_, s), r) in scheduled.iter().zip(results) {
        if let Err(e) = r {
            let msg = crate::cmd::render_error(&e);
            if s.build {
                must_build.push(s.name.clone());
            }
            if !a.ignore_pull_failures && !s.build {
                bail!("{msg}");
            }
            errors.push(msg);
        }
    }
    if !must_build.is_empty() {
        eprintln!(
            "WARN[0000] WARNING: Some service image(s) must be built from source by running:\n    berth compose build {}",
            must_build.join(" ")
        );
    }
    if !errors.is_empty() && !a.ignore_pull_failures {
        bail!("{}", errors.join("\n"));
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(name: &str, image: Option<&str>, deps: &[&str]) -> Svc {
        Svc {
            name: name.into(),
            image: image.map(String::from),
            build: false,
            policy: String::new(),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn selection_and_dependencies() {
        let all = vec![
            svc("db", Some("pg"), &[]),
            svc("app", Some("app"), &["db"]),
            svc("web", None, &["app"]),
        ];
        let names = |v: Vec<Svc>| v.into_iter().map(|s| s.name).collect::<Vec<_>>();
        assert_eq!(names(select(&all, &[], false).unwrap()).len(), 3);
        assert_eq!(
            names(select(&all, &["web".into()], false).unwrap()),
            ["web"]
        );
        assert_eq!(
            names(select(&all, &["web".into()], true).unwrap()),
            ["db", "app", "web"]
        );
        assert_eq!(
            select(&all, &["x".into()], false).unwrap_err().to_string(),
            "no such service: x"
        );
    }

    #[test]
    fn policies() {
        assert!(should_pull("", "a:1", true).is_ok());
        assert!(should_pull("always", "a:1", true).is_ok());
        assert_eq!(
            should_pull("missing", "a:1", true),
            Err("Image is already present locally")
        );
        assert!(should_pull("missing", "a:1", false).is_ok());
        assert!(should_pull("missing", "a:latest", true).is_ok());
        assert!(should_pull("never", "a:1", false).is_err());
        assert!(should_pull("build", "a:1", true).is_err());
    }
}
