//! `berth compose config`: the resolved model in canonical form, or one of
//! its lists (`--services`, `--volumes`, `--networks`, `--images`,
//! `--profiles`), the per-service config hashes (`--hash`), the variables
//! the files use (`--variables`) or the interpolation environment
//! (`--environment`). Nothing is created; `-q` only validates.

use crate::cli::compose::ComposeConfigArgs;
use crate::compose::project::{LoadOptions, Project};
use crate::compose::render;
use crate::compose::yaml::Node;
use anyhow::Context as _;
use std::io::Write;

fn keys(p: &Project, kind: &str) -> Vec<String> {
    p.model
        .as_map()
        .and_then(|m| m.get(kind))
        .and_then(Node::as_map)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn services(p: &Project) -> Vec<(String, Node)> {
    p.model
        .as_map()
        .and_then(|m| m.get("services"))
        .and_then(Node::as_map)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

fn render(p: &Project, a: &ComposeConfigArgs) -> anyhow::Result<String> {
    let lines = |v: Vec<String>| v.iter().map(|l| format!("{l}\n")).collect::<String>();
    if a.services {
        return Ok(lines(keys(p, "services")));
    }
    if a.volumes {
        return Ok(lines(keys(p, "volumes")));
    }
    if a.networks {
        return Ok(lines(keys(p, "networks")));
    }
    if a.profiles {
        return Ok(lines(p.all_profiles.iter().cloned().collect()));
    }
    if a.images {
        let images = services(p)
            .into_iter()
            .map(|(name, svc)| {
                svc.as_map()
                    .and_then(|m| m.get("image"))
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| format!("{}-{name}", p.name))
            })
            .collect();
        return Ok(lines(images));
    }
    if let Some(which) = &a.hash {
        let wanted: Vec<&str> = which.split(',').map(str::trim).collect();
        let all = services(p);
        for w in &wanted {
            if *w != "*" && !all.iter().any(|(n, _)| n == w) {
                anyhow::bail!("no such service: {w}");
            }
        }
        let out = all
            .iter()
            .filter(|(n, _)| wanted.contains(&"*") || wanted.contains(&n.as_str()))
            .map(|(n, svc)| format!("{n} {}", render::service_hash(svc)))
            .collect();
        return Ok(lines(out));
    }
    if a.variables {
        let mut buf = Vec::new();
        let mut tw = crate::format::tabwriter::TabWriter::new(&mut buf);
        writeln!(tw, "NAME\tREQUIRED\tDEFAULT VALUE\tALTERNATE VALUE")?;
        for v in p.variables.values() {
            writeln!(
                tw,
                "{}\t{}\t{}\t{}",
                v.name, v.required, v.default, v.alternate
            )?;
        }
        tw.flush()?;
        drop(tw);
        return Ok(String::from_utf8_lossy(&buf).into_owned());
    }
    if a.environment {
        return Ok(lines(
            p.environment
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect(),
        ));
    }
    match a.format.as_str() {
        "yaml" => Ok(render::to_yaml(&p.model)),
        "json" => Ok(render::to_json(&p.model) + "\n"),
        other => anyhow::bail!("unsupported format {other:?}"),
    }
}

pub fn run(mut opts: LoadOptions, a: ComposeConfigArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    if a.format != "yaml" && a.format != "json" {
        anyhow::bail!("unsupported format {:?}", a.format);
    }
    opts.interpolate = !a.no_interpolate;
    opts.normalize = !a.no_normalize;
    opts.resolve_paths = !a.no_path_resolution;
    opts.services = a.service.clone();
    if a.profiles {
        // Every profile is listed, whatever is active.
        opts.profiles = vec!["*".into()];
    }
    let project = super::load(&opts)?;
    if a.check {
        return check(&project, &a.format, out);
    }
    if a.quiet {
        return Ok(0);
    }
    let text = render(&project, &a)?;
    match &a.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("write {}", path.display()))?
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(0)
}

/// `--check`: every key of every service with what berth does with it,
/// then the networks' and volumes' drivers and options berth refuses
/// (SERVICE empty, KEY `volumes.<key>.driver`); exits 1 when anything is
/// not fully supported (for CI).
fn check(p: &Project, format: &str, out: &mut dyn Write) -> anyhow::Result<u8> {
    use crate::compose::service::{self, Support};
    let svcs = service::services(p).map_err(|e| anyhow::anyhow!(e))?;
    let mut reports = service::reports(&svcs);
    // Then the top-level networks' and volumes' (no service named).
    reports.extend(crate::compose::resources::reports(&p.model, |_, _| true));
    if format == "json" {
        writeln!(out, "{}", serde_json::to_string(&reports)?)?;
    } else {
        let mut tw = crate::format::tabwriter::TabWriter::new(&mut *out);
        writeln!(tw, "SERVICE\tKEY\tSUPPORT\tREASON")?;
        for r in &reports {
            writeln!(
                tw,
                "{}\t{}\t{}\t{}",
                r.service,
                r.key,
                r.support.as_str(),
                r.reason
            )?;
        }
        tw.flush()?;
    }
    let all = reports.iter().all(|r| r.support == Support::Supported);
    Ok(if all { 0 } else { 1 })
}
