//! `berth compose ps [SERVICE...]`: the project's containers as docker
//! compose lists them (NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS,
//! sorted by name), found by their labels; `-p NAME` needs no file. Each
//! row starts as `berth ps`'s row and gains compose's fields.

use crate::cli::compose::ComposePsArgs;
use crate::cli::container::PsArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use crate::format::{self, ListFormat};
use anyhow::{bail, Result};
use serde_json::{json, Map, Value};
use std::io::Write;

const DEFAULT_TABLE: &str =
    "table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}";
const HEADERS: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("Name", "NAME"),
    ("Names", "NAMES"),
    ("Project", "PROJECT"),
    ("Service", "SERVICE"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("CreatedAt", "CREATED AT"),
    ("RunningFor", "CREATED"),
    ("Ports", "PORTS"),
    ("State", "STATE"),
    ("Status", "STATUS"),
    ("Size", "SIZE"),
    ("Labels", "LABELS"),
    ("Mounts", "MOUNTS"),
    ("LocalVolumes", "LOCAL VOLUMES"),
    ("Networks", "NETWORKS"),
];

/// compose's `parseFilter`: one `KEY=VAL`; `status` adds to `--status`.
fn parse_filter(filter: &Option<String>, status: &mut Vec<String>) -> Result<()> {
    let Some(f) = filter else { return Ok(()) };
    let Some((key, val)) = f.split_once('=') else {
        bail!("arguments to --filter should be in form KEY=VAL");
    };
    match key {
        "status" => status.push(val.to_string()),
        "source" => bail!("not implemented"),
        _ => bail!("unknown filter {key}"),
    }
    Ok(())
}

pub fn run(ctx: &Context, base: &LoadOptions, a: ComposePsArgs, out: &mut dyn Write) -> Result<u8> {
    let mut status = a.status.clone();
    parse_filter(&a.filter, &mut status)?;
    let format = ListFormat::parse(a.format.as_deref(), DEFAULT_TABLE)?;
    let (project, name) = super::project_or_name(base)?;
    let mut services = a.service.clone();
    super::check_services(project.as_ref(), &services)?;
    if let (Some(p), true, false) = (&project, services.is_empty(), a.orphans) {
        services = super::service_names(p);
    }
    let all = a.all || !status.is_empty();
    let (host, mut store) = ctx.container_store()?;
    let q = Query {
        project: &name.to_lowercase(),
        oneoff: if all {
            OneOff::Include
        } else {
            OneOff::Exclude
        },
        all,
        services: &services,
    };
    let list: Vec<_> = containers::list(&host, &mut store, &q)?
        .into_iter()
        .filter(|c| status.is_empty() || status.iter().any(|s| s == c.row.status.as_str()))
        .collect();
    if a.quiet {
        for c in &list {
            writeln!(out, "{}", c.row.id)?;
        }
        return Ok(0);
    }
    if a.services {
        let mut seen: Vec<&str> = Vec::new();
        for c in &list {
            let s = containers::service_of(c);
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
        writeln!(out, "{}", seen.join("\n"))?;
        return Ok(0);
    }
    let ps_args = PsArgs {
        all: true,
        filter: Vec::new(),
        format: None,
        last: -1,
        latest: false,
        no_trunc: a.no_trunc,
        quiet: false,
        size: false,
    };
    let content = ctx.content();
    let now = chrono::Utc::now();
    let mut rows = Vec::new();
    for c in &list {
        let image_config = crate::image::read_config(&content, &c.row.image_id).ok();
        let base_row = crate::cmd::container::ps::row_json(
            &host,
            store.conn(),
            &c.row,
            &c.spec,
            image_config.as_ref(),
            &ps_args,
            now,
        );
        let published =
            crate::store::networks::ports_of_container(store.conn(), &c.row.id).unwrap_or_default();
        let health =
            crate::cmd::container::ps::health(&host, &c.row, &c.spec, image_config.as_ref())
                .map_or("", |h| h.as_str());
        let exit_code = match c.row.status.as_str() {
            "exited" | "dead" => c.row.exit_code,
            _ => 0,
        };
        let mut row = compose_row(
            base_row,
            containers::project_of(c),
            containers::service_of(c),
            &c.row.name,
            health,
            exit_code,
            publishers(&c.spec.exposed, &published),
        );
        if format == ListFormat::Json {
            // `Label` only serves `{{.Label "k"}}` in templates.
            if let Value::Object(m) = &mut row {
                m.remove("Label");
            }
        }
        rows.push(row);
    }
    format::render_list(out, &format, HEADERS, &rows)?;
    Ok(0)
}

/// compose's `Publishers`: every published or exposed port, by container
/// port.
fn publishers(exposed: &[String], published: &[crate::store::networks::PortRow]) -> Value {
    let mut v: Vec<(u16, Value)> = published
        .iter()
        .map(|p| {
            (
                p.container_port,
                json!({
                    "URL": crate::network::ports::host_ip_text(&p.host_ip),
                    "TargetPort": p.container_port,
                    "PublishedPort": p.host_port,
                    "Protocol": p.proto,
                }),
            )
        })
        .collect();
    for e in exposed {
        let (port, proto) = e.split_once('/').unwrap_or((e, "tcp"));
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        if published
            .iter()
            .any(|p| p.container_port == port && p.proto == proto)
        {
            continue;
        }
        v.push((
            port,
            json!({"URL": "", "TargetPort": port, "PublishedPort": 0, "Protocol": proto}),
        ));
    }
    v.sort_by_key(|(p, _)| *p);
    Value::Array(v.into_iter().map(|(_, p)| p).collect())
}

/// `berth ps`'s row with compose's fields, keys sorted as Go marshals a
/// map (the `Label` helper for `{{.Label "k"}}` stays for templates).
fn compose_row(
    base: Value,
    project: &str,
    service: &str,
    name: &str,
    health: &str,
    exit_code: i64,
    publishers: Value,
) -> Value {
    let mut m: Map<String, Value> = match base {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    m.insert("Name".into(), name.into());
    m.insert("Project".into(), project.into());
    m.insert("Service".into(), service.into());
    m.insert("Health".into(), health.into());
    m.insert("ExitCode".into(), exit_code.into());
    m.insert("Publishers".into(), publishers);
    let mut keys: Vec<String> = m.keys().cloned().collect();
    keys.sort();
    let mut sorted = Map::new();
    for k in keys {
        if let Some(v) = m.remove(&k) {
            sorted.insert(k, v);
        }
    }
    Value::Object(sorted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_is_compose_s() {
        let mut s = Vec::new();
        parse_filter(&Some("status=running".into()), &mut s).unwrap();
        assert_eq!(s, ["running"]);
        let e = |f: &str| {
            parse_filter(&Some(f.into()), &mut Vec::new())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            e("status"),
            "arguments to --filter should be in form KEY=VAL"
        );
        assert_eq!(e("source=image"), "not implemented");
        assert_eq!(e("name=x"), "unknown filter name");
    }

    #[test]
    fn publishers_list_published_then_exposed_by_port() {
        let p = crate::store::networks::PortRow {
            host_ip: String::new(),
            host_port: 8080,
            proto: "tcp".into(),
            container_id: "x".into(),
            container_port: 80,
        };
        let v = publishers(&["80/tcp".into(), "53/udp".into()], &[p]);
        assert_eq!(
            v,
            json!([
                {"URL": "", "TargetPort": 53, "PublishedPort": 0, "Protocol": "udp"},
                {"URL": "0.0.0.0", "TargetPort": 80, "PublishedPort": 8080, "Protocol": "tcp"}
            ])
        );
    }

    #[test]
    fn rows_are_sorted_with_compose_fields() {
        let r = compose_row(
            json!({"Status": "Up", "ID": "abc"}),
            "p",
            "web",
            "p-web-1",
            "",
            0,
            json!([]),
        );
        let keys: Vec<_> = r.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "ExitCode",
                "Health",
                "ID",
                "Name",
                "Project",
                "Publishers",
                "Service",
                "Status"
            ]
        );
    }
}
