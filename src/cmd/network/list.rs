//! `berth network ls`: Docker's `NETWORK ID  NAME  DRIVER  SCOPE` table
//! sorted by name, `-q`, `--no-trunc`, `--format`. Only the networks berth
//! has recorded are listed (`bridge` once first used; `host` and `none` are
//! modes, not records).

use crate::cli::network::NetworkListArgs;
use crate::cmd::context::Context;
use crate::format::{self, ListFormat};
use crate::network::store::{self as netstore, Network};
use anyhow::Result;
use serde_json::{json, Value};
use std::io::Write;

const DEFAULT_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
const HEADERS: &[(&str, &str)] = &[
    ("ID", "NETWORK ID"),
    ("Name", "NAME"),
    ("Driver", "DRIVER"),
    ("Scope", "SCOPE"),
    ("IPv6", "IPV6"),
    ("Internal", "INTERNAL"),
    ("Labels", "LABELS"),
    ("CreatedAt", "CREATED AT"),
];

fn row_json(n: &Network, no_trunc: bool) -> Value {
    let id = if no_trunc {
        &n.id[..]
    } else {
        &n.id[..12.min(n.id.len())]
    };
    let labels: Vec<String> = n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    json!({
        "ID": id,
        "Name": n.name,
        "Driver": n.driver,
        "Scope": "local",
        "IPv6": n.ipv6.to_string(),
        "Internal": n.internal.to_string(),
        "Labels": labels.join(","),
        "CreatedAt": n.created_at,
    })
}

pub fn run(ctx: &Context, args: NetworkListArgs) -> Result<u8> {
    let format = if args.quiet {
        ListFormat::Template("{{.ID}}".into())
    } else {
        ListFormat::parse(args.format.as_deref(), DEFAULT_TABLE)?
    };
    let store = ctx.store()?;
    let mut nets = netstore::list(&store)?;
    nets.sort_by(|a, b| a.name.cmp(&b.name));
    let rows: Vec<Value> = nets.iter().map(|n| row_json(n, args.no_trunc)).collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    format::render_list(&mut out, &format, HEADERS, &rows)?;
    out.flush()?;
    Ok(0)
}
