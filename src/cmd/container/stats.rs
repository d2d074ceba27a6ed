//! `berth stats [--no-stream] [-a] [--format F] [--no-trunc] [CONTAINER...]`:
//! docker's columns (CONTAINER ID, NAME, CPU %, MEM USAGE / LIMIT, MEM %,
//! NET I/O, BLOCK I/O, PIDS) from each container's cgroup
//! (`container::stats`). CPU % needs two readings: they are taken 0.5 s
//! apart for `--no-stream` and for the first screen of a stream. Without
//! `--no-stream` the table is redrawn every second until interrupted (the
//! screen is cleared first on a terminal, as docker does). Containers that
//! are not running show zeros. Named containers are fixed; without names the
//! running ones (all with `-a`) are listed again on every refresh.

use crate::cli::container::StatsArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle::{self, Host};
use crate::container::spec::NetworkMode;
use crate::container::stats::{self, Sample, Sources};
use crate::format::{self, units, ListFormat};
use crate::store::containers::{self, ContainerRow};
use crate::store::Store;
use anyhow::Result;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

const DEFAULT_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
const HEADERS: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("Container", "CONTAINER"),
    ("Name", "NAME"),
    ("CPUPerc", "CPU %"),
    ("MemUsage", "MEM USAGE / LIMIT"),
    ("MemPerc", "MEM %"),
    ("NetIO", "NET I/O"),
    ("BlockIO", "BLOCK I/O"),
    ("PIDs", "PIDS"),
];

/// One container to show: what the user called it, and its record.
struct Target {
    label: String,
    row: ContainerRow,
    /// `--network host`: the host's interfaces are not the container's.
    host_network: bool,
}

/// `tty`: the output is a terminal (a stream then clears the screen
/// before each table).
pub fn run(ctx: &Context, args: StatsArgs, out: &mut dyn Write, tty: bool) -> Result<u8> {
    let format = ListFormat::parse(args.format.as_deref(), DEFAULT_TABLE)?;
    let (host, mut store) = ctx.container_store()?;
    let src = Sources::default();
    let mut prev: HashMap<String, Sample> = HashMap::new();
    loop {
        let targets = targets(&host, &mut store, &args)?;
        if prev.is_empty() || targets.iter().any(|t| !prev.contains_key(&t.row.id)) {
            for t in &targets {
                if let Some(s) = read(&host, &src, t) {
                    prev.insert(t.row.id.clone(), s);
                }
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let mut rows = Vec::new();
        let mut next = HashMap::new();
        for t in &targets {
            let cur = read(&host, &src, t);
            rows.push(row_json(
                t,
                prev.get(&t.row.id),
                cur.as_ref(),
                args.no_trunc,
            ));
            if let Some(c) = cur {
                next.insert(t.row.id.clone(), c);
            }
        }
        prev = next;
        let mut text = Vec::new();
        if !args.no_stream && tty {
            text.extend_from_slice(b"\x1b[2J\x1b[H");
        }
        format::render_list(&mut text, &format, HEADERS, &rows)?;
        match out.write_all(&text).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
            r => r?,
        }
        if args.no_stream {
            return Ok(0);
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn targets(host: &Host, store: &mut Store, args: &StatsArgs) -> Result<Vec<Target>> {
    let mut out = Vec::new();
    if args.containers.is_empty() {
        for row in containers::list(store.conn())? {
            if row.status.is_transient() {
                continue;
            }
            let mut c = lifecycle::Container::from_row(row)?;
            lifecycle::refresh(host, store, &mut c)?;
            if args.all || c.row.status.is_live() {
                out.push(target(c.row.id.clone(), c));
            }
        }
    } else {
        for name in &args.containers {
            let mut c = lifecycle::find(store, name)?;
            lifecycle::refresh(host, store, &mut c)?;
            out.push(target(name.clone(), c));
        }
    }
    Ok(out)
}

fn target(label: String, c: lifecycle::Container) -> Target {
    Target {
        label,
        host_network: c.spec.network == NetworkMode::Host,
        row: c.row,
    }
}

/// A reading of a live container; None when it is not running or its
/// cgroup is gone (it stopped in between).
fn read(host: &Host, src: &Sources, t: &Target) -> Option<Sample> {
    let row = &t.row;
    if !row.status.is_live() || row.pid <= 0 {
        return None;
    }
    let path = stats::cgroups_path(&host.bundle_dir(&row.id)).ok()?;
    stats::sample(src, &path, row.pid as i32, t.host_network).ok()
}

fn row_json(t: &Target, prev: Option<&Sample>, cur: Option<&Sample>, no_trunc: bool) -> Value {
    let id = if no_trunc {
        t.row.id.clone()
    } else {
        t.row.id[..12].to_string()
    };
    let zero = Sample::default();
    let s = cur.unwrap_or(&zero);
    let cpu = match (prev, cur) {
        (Some(p), Some(c)) => stats::cpu_percent(p, c),
        _ => 0.0,
    };
    let pair = |a: u64, b: u64| {
        format!(
            "{} / {}",
            units::human_size_with_precision(a as f64, 3),
            units::human_size_with_precision(b as f64, 3)
        )
    };
    json!({
        "BlockIO": pair(s.blk_read, s.blk_write),
        "CPUPerc": format!("{cpu:.2}%"),
        "Container": t.label,
        "ID": id,
        "MemPerc": format!("{:.2}%", s.mem_percent()),
        "MemUsage": format!("{} / {}", units::bytes_size(s.mem_usage), units::bytes_size(s.mem_limit)),
        "Name": t.row.name,
        "NetIO": pair(s.net_rx, s.net_tx),
        "PIDs": s.pids.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_cells() {
        let row = ContainerRow {
            id: "c".repeat(64),
            name: "web".into(),
            spec: "{}".into(),
            status: crate::container::state::Status::Running,
            pid: 1,
            ..Default::default()
        };
        let t = Target {
            label: "web".into(),
            row,
            host_network: false,
        };
        let cur = Sample {
            cpu_ns: 100,
            system_ns: 1000,
            online_cpus: 1,
            mem_usage: 1536 * 1024,
            mem_limit: 8 * 1024 * 1024 * 1024,
            net_rx: 1200,
            pids: 2,
            ..Sample::default()
        };
        let v = row_json(&t, Some(&Sample::default()), Some(&cur), false);
        assert_eq!(v["ID"], "cccccccccccc");
        assert_eq!(v["CPUPerc"], "10.00%");
        assert_eq!(v["MemUsage"], "1.5MiB / 8GiB");
        assert_eq!(v["MemPerc"], "0.02%");
        assert_eq!(v["NetIO"], "1.2kB / 0B");
        assert_eq!(v["BlockIO"], "0B / 0B");
        assert_eq!(v["PIDs"], "2");
        let idle = row_json(&t, None, None, true);
        assert_eq!(idle["MemUsage"], "0B / 0B");
        assert_eq!(idle["ID"].as_str().unwrap().len(), 64);
    }
}
