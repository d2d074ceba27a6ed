//! `berth ps` / `container ls`: Docker's columns, filters and templates.

use crate::cli::container::PsArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::container::spec::MountKind;
use crate::container::state::{human_status, Status};
use crate::filter::{FilterSpec, LabelFilter, UnknownKey};
use crate::format::{self, units, ListFormat};
use crate::store::containers::{self, ContainerRow};
use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;

const DEFAULT_TABLE: &str =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
const HEADERS: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("RunningFor", "CREATED"),
    ("CreatedAt", "CREATED AT"),
    ("Status", "STATUS"),
    ("Ports", "PORTS"),
    ("Names", "NAMES"),
    ("Size", "SIZE"),
    ("Labels", "LABELS"),
    ("Mounts", "MOUNTS"),
    ("Networks", "NETWORKS"),
    ("State", "STATE"),
    ("LocalVolumes", "LOCAL VOLUMES"),
    ("Platform", "PLATFORM"),
];

#[derive(Debug, Default)]
struct Filters {
    names: Vec<String>,
    ids: Vec<String>,
    labels: LabelFilter,
    statuses: Vec<String>,
    ancestors: Vec<String>,
    exited: Vec<i64>,
}

const FILTERS: FilterSpec = FilterSpec {
    flag: "-f, --filter",
    keys: &["name", "id", "label", "status", "ancestor", "exited"],
    unknown: UnknownKey::Lower,
};

fn parse_filters(raw: &[String]) -> Result<Filters> {
    let f = crate::filter::Filters::parse(raw, &FILTERS)?;
    let strings = |key| f.values(key).map(str::to_string).collect::<Vec<_>>();
    let statuses = strings("status");
    for v in &statuses {
        if !matches!(
            v.as_str(),
            "created" | "restarting" | "running" | "removing" | "paused" | "exited" | "dead"
        ) {
            bail!("invalid filter 'status={v}'");
        }
    }
    let exited = f
        .values("exited")
        .map(|v| {
            v.parse()
                .map_err(|_| anyhow!("invalid filter 'exited={v}'"))
        })
        .collect::<Result<_>>()?;
    Ok(Filters {
        names: strings("name"),
        ids: strings("id"),
        labels: f.labels(),
        statuses,
        ancestors: strings("ancestor"),
        exited,
    })
}

/// Names are shown without the leading `/`; a filter may carry one.
fn name_matches(pattern: &str, name: &str) -> bool {
    let p = pattern.replacen("^/", "^", 1);
    let p = p.strip_prefix('/').unwrap_or(&p);
    crate::cmd::pattern_matches(p, name)
}

pub fn run(ctx: &Context, args: PsArgs, out: &mut dyn Write) -> Result<u8> {
    let filters = parse_filters(&args.filter)?;
    let format = if args.quiet {
        ListFormat::Template("{{.ID}}".into())
    } else {
        // `-s` adds the SIZE column to the default table (docker's ps).
        let default_table = if args.size {
            format!("{DEFAULT_TABLE}\t{{{{.Size}}}}")
        } else {
            DEFAULT_TABLE.to_string()
        };
        ListFormat::parse(args.format.as_deref(), &default_table)?
    };
    let (host, mut store) = ctx.container_store()?;
    let content = ctx.content();
    // Ancestor filters resolve to image IDs.
    let mut ancestor_ids = Vec::new();
    for a in &filters.ancestors {
        match crate::image::lookup::find(store.conn(), a) {
            Ok(rec) => ancestor_ids.push(rec.id),
            Err(_) => ancestor_ids.push(format!("unknown:{a}")),
        }
    }
    let mut rows = Vec::new();
    for r in containers::list(store.conn())? {
        if !r.status.is_transient() {
            rows.push(lifecycle::Container::from_row(r)?);
        }
    }
    for c in rows.iter_mut() {
        lifecycle::refresh(&host, &mut store, c)?;
    }
    // Newest first.
    rows.sort_by(|a, b| b.row.created_at.cmp(&a.row.created_at));
    let last = if args.latest { 1 } else { args.last };
    let all = args.all || last > 0 || !filters.statuses.is_empty() || !filters.exited.is_empty();
    let now = chrono::Utc::now();
    let mut image_configs = HashMap::new();
    let mut out_rows = Vec::new();
    for c in &rows {
        let (r, cfg) = (&c.row, &c.spec);
        let status = r.status;
        if !all && !status.is_live() {
            continue;
        }
        if !filters.names.is_empty() && !filters.names.iter().any(|p| name_matches(p, &r.name)) {
            continue;
        }
        if !filters.ids.is_empty() && !filters.ids.iter().any(|p| r.id.starts_with(p.as_str())) {
            continue;
        }
        if !filters.statuses.is_empty() && !filters.statuses.iter().any(|s| s == status.as_str()) {
            continue;
        }
        if !filters.exited.is_empty()
            && (status != Status::Exited || !filters.exited.contains(&r.exit_code))
        {
            continue;
        }
        if !ancestor_ids.is_empty() && !ancestor_ids.contains(&r.image_id) {
            continue;
        }
        if !filters.labels.matches(&cfg.labels) {
            continue;
        }
        let image_config = image_configs
            .entry(r.image_id.clone())
            .or_insert_with(|| crate::image::read_config(&content, &r.image_id).ok());
        out_rows.push(row_json(
            &host,
            store.conn(),
            r,
            cfg,
            image_config.as_ref(),
            &args,
            now,
        ));
        if last > 0 && out_rows.len() as i64 >= last {
            break;
        }
    }
    format::render_list(out, &format, HEADERS, &out_rows)?;
    out.flush()?;
    Ok(0)
}

/// Docker's `Ellipsis`: at most `n` characters, the last one `…`.
fn ellipsis(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n - 1).collect();
    t.push('…');
    t
}

/// One container's row (also `compose ps`'s base row).
pub(crate) fn row_json(
    host: &lifecycle::Host,
    conn: &rusqlite::Connection,
    r: &ContainerRow,
    cfg: &crate::container::spec::ContainerSpec,
    image_config: Option<&crate::image::manifest::ImageConfig>,
    args: &PsArgs,
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let trunc = !args.no_trunc;
    let id = if trunc {
        r.id[..12].to_string()
    } else {
        r.id.clone()
    };
    // docker-cli's ContainerContext.Command: truncated, then strconv.Quote.
    let command = lifecycle::command_text(cfg, image_config);
    let command = crate::format::go_quote(&if trunc {
        ellipsis(&command, 20)
    } else {
        command
    });
    let created = chrono::DateTime::parse_from_rfc3339(&r.created_at)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or(now);
    let running_for = format!(
        "{} ago",
        units::human_duration((now - created).to_std().unwrap_or_default())
    );
    let labels: Vec<String> = cfg.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mounts: Vec<String> = cfg
        .mounts
        .iter()
        .filter(|m| m.kind != MountKind::Tmpfs)
        .map(|m| {
            if trunc && m.kind == MountKind::Volume && m.source.len() > 15 {
                ellipsis(&m.source, 15)
            } else {
                m.source.clone()
            }
        })
        .collect();
    let local_volumes = cfg
        .mounts
        .iter()
        .filter(|m| m.kind == MountKind::Volume)
        .count();
    let size = if args.size {
        let rw = host.rw_size(&r.id);
        let image = crate::store::images::get(conn, &r.image_id).ok().flatten();
        let virt = rw + image.map_or(0, |i| i.size);
        format!(
            "{} (virtual {})",
            units::human_size(rw),
            units::human_size(virt)
        )
    } else {
        String::new()
    };
    json!({
        "Command": command,
        "CreatedAt": created.format("%Y-%m-%d %H:%M:%S +0000 UTC").to_string(),
        "ID": id,
        "Image": r.image_ref,
        "Labels": labels.join(","),
        // For `{{.Label "key"}}` (see format::template's lookup methods).
        "Label": cfg.labels,
        "LocalVolumes": local_volumes.to_string(),
        "Mounts": mounts.join(","),
        "Names": r.name,
        "Networks": match &cfg.network {
            crate::container::spec::NetworkMode::Network(_) => cfg.cni_networks().join(","),
            other => other.name(),
        },
        "Ports": if r.status.shows_ports() {
            crate::network::ports::ps_column(
                &cfg.exposed,
                &crate::store::networks::ports_of_container(conn, &r.id).unwrap_or_default(),
            )
        } else {
            String::new()
        },
        "RunningFor": running_for,
        "Size": size,
        "State": r.status.as_str(),
        "Status": human_status(r, now) + health_suffix(host, r, cfg, image_config),
    })
}

/// `ps`'s health suffix of a running container with a healthcheck:
/// ` (healthy)`, ` (unhealthy)`, ` (health: starting)`.
fn health_suffix(
    host: &lifecycle::Host,
    r: &ContainerRow,
    cfg: &crate::container::spec::ContainerSpec,
    image_config: Option<&crate::image::manifest::ImageConfig>,
) -> &'static str {
    health(host, r, cfg, image_config).map_or("", |h| h.ps_suffix())
}

/// The health of a running container with a healthcheck.
pub(crate) fn health(
    host: &lifecycle::Host,
    r: &ContainerRow,
    cfg: &crate::container::spec::ContainerSpec,
    image_config: Option<&crate::image::manifest::ImageConfig>,
) -> Option<crate::shim::health::HealthStatus> {
    use crate::shim::health::{Health, HealthStatus};
    if r.status != Status::Running {
        return None;
    }
    let hc = lifecycle::healthcheck(cfg, image_config)?;
    hc.resolve(Default::default(), 0, Default::default())?;
    Some(Health::read(&host.state_dir(&r.id)).map_or(HealthStatus::Starting, |h| h.status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ellipsis() {
        assert!(name_matches("web", "my-web-1"));
        assert!(name_matches("^web$", "web"));
        assert!(!name_matches("^web$", "web2"));
        assert!(name_matches("/web", "web"));
        assert_eq!(
            ellipsis("sleep 1000000000000000000", 20),
            "sleep 1000000000000…"
        );
        assert_eq!(ellipsis("sh", 20), "sh");
    }
}
