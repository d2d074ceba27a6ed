//! `berth system df [-v] [--format]`: Docker's disk usage summary (TYPE,
//! TOTAL, ACTIVE, SIZE, RECLAIMABLE with "(NN%)") for images, containers,
//! local volumes and the build cache (its entries, and the layers only
//! they keep),
//! from what the store recorded: layer sizes from `layer.json` (written at
//! unpack and commit), never a walk of the layers. Containers' writable
//! layers and volumes are measured on each call, as Docker's daemon does.
//! `-v` prints Docker's four detail tables instead.

use crate::cli::system::DfArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle::{self, Container};
use crate::format::{render_list, units, ListFormat};
use crate::store::containers::{self, Status};
use crate::store::images::{self, ImageRecord};
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;

const SUMMARY: &str = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
const SUMMARY_HEADERS: &[(&str, &str)] = &[
    ("Type", "TYPE"),
    ("TotalCount", "TOTAL"),
    ("Active", "ACTIVE"),
    ("Size", "SIZE"),
    ("Reclaimable", "RECLAIMABLE"),
];

/// One image with its layers' sizes.
struct ImageUsage {
    rec: ImageRecord,
    /// (chain id, size), bottom first.
    layers: Vec<(String, u64)>,
    containers: usize,
}

impl ImageUsage {
    fn size(&self) -> u64 {
        if self.layers.is_empty() {
            self.rec.size
        } else {
            self.layers.iter().map(|l| l.1).sum()
        }
    }
}

struct ContainerUsage {
    c: Container,
    size: u64,
}

struct VolumeUsage {
    name: String,
    links: usize,
    size: u64,
}

struct Usage {
    images: Vec<ImageUsage>,
    containers: Vec<ContainerUsage>,
    volumes: Vec<VolumeUsage>,
    /// Build cache entries and the bytes only they keep.
    cache: crate::build::cache::Usage,
    /// Its entries, for `-v`.
    cache_rows: Vec<crate::build::cache::CacheRow>,
}

fn collect(ctx: &Context) -> Result<Usage> {
    let (host, mut store) = ctx.container_store()?;
    let content = ctx.content();
    let snaps = host.snapshots();
    let mut list = Vec::new();
    for row in containers::list(store.conn())? {
        if row.status.is_transient() {
            continue;
        }
        let mut c = Container::from_row(row)?;
        lifecycle::refresh(&host, &mut store, &mut c)?;
        let size = host.rw_size(&c.row.id);
        list.push(ContainerUsage { c, size });
    }
    let mut users: HashMap<&str, usize> = HashMap::new();
    for u in &list {
        *users.entry(u.c.row.image_id.as_str()).or_default() += 1;
    }
    let mut imgs = Vec::new();
    for rec in images::list(store.conn())? {
        let layers = crate::image::read_config(&content, &rec.id)
            .map(|cfg| {
                crate::image::manifest::chain_ids(&cfg.rootfs.diff_ids)
                    .into_iter()
                    .map(|chain| {
                        let size = snaps.layer_info(&chain).map_or(0, |i| i.size);
                        (chain.to_string(), size)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let containers = users.get(rec.id.as_str()).copied().unwrap_or(0);
        imgs.push(ImageUsage {
            rec,
            layers,
            containers,
        });
    }
    let mut vols = Vec::new();
    for v in crate::volume::list(&store)? {
        let links = crate::volume::users(&store, &v.name)?.len();
        let size = crate::sys::fs::tree_size(&crate::volume::path(&ctx.layout, &v.name));
        vols.push(VolumeUsage {
            name: v.name,
            links,
            size,
        });
    }
    let image_blobs = images::referenced_blobs(store.conn())?;
    let image_chains = imgs
        .iter()
        .flat_map(|i| i.layers.iter().filter_map(|(c, _)| c.parse().ok()))
        .collect();
    let build_cache = crate::build::cache::Cache::new(&ctx.layout.data_root);
    let cache = build_cache.usage(&content, &snaps, &image_blobs, &image_chains);
    let cache_rows = build_cache.rows(&snaps, &image_chains);
    Ok(Usage {
        images: imgs,
        containers: list,
        volumes: vols,
        cache,
        cache_rows,
    })
}

fn is_active(s: Status) -> bool {
    matches!(s, Status::Running | Status::Paused | Status::Restarting)
}

/// Docker's "SIZE (NN%)" of a reclaimable amount.
fn with_percent(reclaimable: u64, total: u64) -> String {
    match (reclaimable * 100).checked_div(total) {
        Some(pct) => format!("{} ({pct}%)", units::human_size(reclaimable)),
        None => units::human_size(reclaimable),
    }
}

/// How many images share each layer.
fn layer_users(images: &[ImageUsage]) -> HashMap<&str, usize> {
    let mut n: HashMap<&str, usize> = HashMap::new();
    for i in images {
        for (chain, _) in &i.layers {
            *n.entry(chain.as_str()).or_default() += 1;
        }
    }
    n
}

fn shared_size(i: &ImageUsage, users: &HashMap<&str, usize>) -> u64 {
    i.layers
        .iter()
        .filter(|(c, _)| users.get(c.as_str()).copied().unwrap_or(0) > 1)
        .map(|l| l.1)
        .sum()
}

fn summary_rows(u: &Usage) -> Vec<Value> {
    let users = layer_users(&u.images);
    // Every layer once, as Docker's LayersSize.
    let mut seen = std::collections::HashSet::new();
    let mut layers_size = 0u64;
    for i in &u.images {
        if i.layers.is_empty() {
            layers_size += i.rec.size;
        }
        for (c, s) in &i.layers {
            if seen.insert(c.as_str()) {
                layers_size += s;
            }
        }
    }
    let used: u64 = u
        .images
        .iter()
        .filter(|i| i.containers > 0)
        .map(|i| i.size() - shared_size(i, &users))
        .sum();
    let img_active = u.images.iter().filter(|i| i.containers > 0).count();
    let c_size: u64 = u.containers.iter().map(|c| c.size).sum();
    let c_reclaim: u64 = u
        .containers
        .iter()
        .filter(|c| !is_active(c.c.row.status))
        .map(|c| c.size)
        .sum();
    let c_active = u
        .containers
        .iter()
        .filter(|c| is_active(c.c.row.status))
        .count();
    let v_size: u64 = u.volumes.iter().map(|v| v.size).sum();
    let v_reclaim: u64 = u
        .volumes
        .iter()
        .filter(|v| v.links == 0)
        .map(|v| v.size)
        .sum();
    let v_active = u.volumes.iter().filter(|v| v.links > 0).count();
    let row = |t: &str, total: usize, active: usize, size: u64, reclaim: String| {
        // Docker marshals these as a map: keys sorted.
        json!({
            "Active": active.to_string(),
            "Reclaimable": reclaim,
            "Size": units::human_size(size),
            "TotalCount": total.to_string(),
            "Type": t,
        })
    };
    vec![
        row(
            "Images",
            u.images.len(),
            img_active,
            layers_size,
            with_percent(layers_size.saturating_sub(used), layers_size),
        ),
        row(
            "Containers",
            u.containers.len(),
            c_active,
            c_size,
            with_percent(c_reclaim, c_size),
        ),
        row(
            "Local Volumes",
            u.volumes.len(),
            v_active,
            v_size,
            with_percent(v_reclaim, v_size),
        ),
        row(
            "Build Cache",
            u.cache.entries,
            0,
            u.cache.total,
            units::human_size(u.cache.bytes),
        ),
    ]
}

fn ago(rfc3339: Option<&str>) -> String {
    let Some(t) = rfc3339.and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()) else {
        return "N/A".to_string();
    };
    let d = (chrono::Utc::now() - t.with_timezone(&chrono::Utc))
        .to_std()
        .unwrap_or_default();
    format!("{} ago", units::human_duration(d))
}

/// The build cache table's rows (Docker's: every entry is a `regular`
/// step result here; berth keeps no separate source or cache-mount records).
fn cache_rows(rows: &[crate::build::cache::CacheRow]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            let used: chrono::DateTime<chrono::Utc> = r.last_used.into();
            json!({
                "ID": r.id,
                "CacheType": "regular",
                "Size": units::human_size(r.size),
                "CreatedSince": ago(Some(&r.created)),
                "LastUsedSince": ago(Some(&used.to_rfc3339())),
                "UsageCount": r.uses.to_string(),
                "Shared": r.shared.to_string(),
            })
        })
        .collect()
}

fn short_id(id: &str) -> String {
    id.trim_start_matches("sha256:").chars().take(12).collect()
}

fn write_verbose(ctx: &Context, out: &mut dyn Write, u: &Usage) -> Result<()> {
    let table = |t: &str| ListFormat::Table {
        template: t.to_string(),
    };
    let users = layer_users(&u.images);
    writeln!(out, "Images space usage:\n")?;
    let mut rows = Vec::new();
    for i in &u.images {
        let shared = shared_size(i, &users);
        let names: Vec<(String, String)> = if i.rec.tags.is_empty() {
            vec![("<none>".into(), "<none>".into())]
        } else {
            i.rec
                .tags
                .iter()
                .map(|t| match t.rsplit_once(':') {
                    Some((r, tag)) if !tag.contains('/') => (r.to_string(), tag.to_string()),
                    _ => (t.clone(), "<none>".into()),
                })
                .collect()
        };
        for (repo, tag) in names {
            rows.push(json!({
                "Repository": repo,
                "Tag": tag,
                "ID": short_id(&i.rec.id),
                "CreatedSince": ago(i.rec.created.as_deref()),
                "Size": units::human_size(i.size()),
                "SharedSize": units::human_size(shared),
                "UniqueSize": units::human_size(i.size() - shared),
                "Containers": i.containers.to_string(),
            }));
        }
    }
    render_list(
        out,
        &table("{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}"),
        &[
            ("Repository", "REPOSITORY"),
            ("Tag", "TAG"),
            ("ID", "IMAGE ID"),
            ("CreatedSince", "CREATED"),
            ("Size", "SIZE"),
            ("SharedSize", "SHARED SIZE"),
            ("UniqueSize", "UNIQUE SIZE"),
            ("Containers", "CONTAINERS"),
        ],
        &rows,
    )?;
    writeln!(out, "\nContainers space usage:\n")?;
    let content = ctx.content();
    let now = chrono::Utc::now();
    let mut rows = Vec::new();
    for cu in &u.containers {
        let (r, spec) = (&cu.c.row, &cu.c.spec);
        let cfg = crate::image::read_config(&content, &r.image_id).ok();
        let command = lifecycle::command_text(spec, cfg.as_ref());
        let command = if command.chars().count() > 20 {
            let mut t: String = command.chars().take(19).collect();
            t.push('…');
            t
        } else {
            command
        };
        let vols = spec
            .mounts
            .iter()
            .filter(|m| m.kind == crate::container::spec::MountKind::Volume)
            .count();
        rows.push(json!({
            "ID": &r.id[..12],
            "Image": r.image_ref,
            "Command": crate::format::go_quote(&command),
            "LocalVolumes": vols.to_string(),
            "Size": units::human_size(cu.size),
            "RunningFor": ago(Some(&r.created_at)),
            "Status": crate::container::state::human_status(r, now),
            "Names": r.name,
        }));
    }
    render_list(
        out,
        &table("{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}"),
        &[
            ("ID", "CONTAINER ID"),
            ("Image", "IMAGE"),
            ("Command", "COMMAND"),
            ("LocalVolumes", "LOCAL VOLUMES"),
            ("Size", "SIZE"),
            ("RunningFor", "CREATED"),
            ("Status", "STATUS"),
            ("Names", "NAMES"),
        ],
        &rows,
    )?;
    writeln!(out, "\nLocal Volumes space usage:\n")?;
    let rows: Vec<Value> = u
        .volumes
        .iter()
        .map(|v| json!({"Name": v.name, "Links": v.links.to_string(), "Size": units::human_size(v.size)}))
        .collect();
    render_list(
        out,
        &table("{{.Name}}\t{{.Links}}\t{{.Size}}"),
        &[
            ("Name", "VOLUME NAME"),
            ("Links", "LINKS"),
            ("Size", "SIZE"),
        ],
        &rows,
    )?;
    writeln!(
        out,
        "\nBuild cache usage: {}\n",
        units::human_size(u.cache.total)
    )?;
    render_list(
        out,
        &table("{{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}"),
        &[
            ("ID", "CACHE ID"),
            ("CacheType", "CACHE TYPE"),
            ("Size", "SIZE"),
            ("CreatedSince", "CREATED"),
            ("LastUsedSince", "LAST USED"),
            ("UsageCount", "USAGE"),
            ("Shared", "SHARED"),
        ],
        &cache_rows(&u.cache_rows),
    )?;
    Ok(())
}

pub fn run(ctx: &Context, args: DfArgs, out: &mut dyn Write) -> Result<u8> {
    if args.verbose {
        if args.format.is_some() {
            bail!("--format is not supported with --verbose");
        }
        let u = collect(ctx)?;
        write_verbose(ctx, out, &u)?;
        return Ok(0);
    }
    let fmt = ListFormat::parse(args.format.as_deref(), SUMMARY)?;
    let u = collect(ctx)?;
    render_list(out, &fmt, SUMMARY_HEADERS, &summary_rows(&u))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_cache_rows() {
        let r = crate::build::cache::CacheRow {
            id: "0123456789ab".into(),
            size: 2048,
            created: "2020-01-01T00:00:00Z".into(),
            last_used: std::time::SystemTime::now(),
            uses: 3,
            shared: true,
        };
        let rows = cache_rows(&[r]);
        assert_eq!(rows[0]["ID"], "0123456789ab");
        assert_eq!(rows[0]["CacheType"], "regular");
        assert_eq!(rows[0]["Size"], "2.05kB");
        assert_eq!(rows[0]["UsageCount"], "3");
        assert_eq!(rows[0]["Shared"], "true");
        assert_eq!(rows[0]["LastUsedSince"], "Less than a second ago");
        assert!(rows[0]["CreatedSince"].as_str().unwrap().ends_with("ago"));
    }

    #[test]
    fn reclaimable_percentages() {
        assert_eq!(with_percent(0, 0), "0B");
        assert_eq!(with_percent(50, 200), "50B (25%)");
        assert_eq!(with_percent(200, 200), "200B (100%)");
    }
}
