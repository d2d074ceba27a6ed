//! `berth top CONTAINER [ps OPTIONS]`: the container's processes as docker
//! shows them. The runtime names the pids (`runc ps`), the host's `ps`
//! (procps; `-ef` unless options are given) describes them, and only the
//! rows whose PID is in the container are kept. Like dockerd, the header
//! line gives the columns, the last column takes the rest of each row, and
//! the result is aligned with docker's tabwriter (min width 20, padding 3).

use crate::cli::container::TopArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::format::tabwriter::TabWriter;
use anyhow::{anyhow, bail, Context as _, Result};
use std::collections::HashSet;
use std::io::Write;
use std::process::Command;

pub fn run(ctx: &Context, args: TopArgs, out: &mut dyn Write) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    let (titles, rows) = processes(&host, &mut store, &args.container, &args.ps_args)?;
    let mut w = TabWriter::with_params(out, 20, 1, 3, b' ');
    let mut emit = || -> std::io::Result<()> {
        writeln!(w, "{}", titles.join("\t"))?;
        for r in &rows {
            writeln!(w, "{}", r.join("\t"))?;
        }
        w.flush()
    };
    match emit() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        r => r.map(|()| 0).map_err(Into::into),
    }
}

/// The titles and rows of a live container's processes (also
/// `compose top`'s).
pub(crate) fn processes(
    host: &lifecycle::Host,
    store: &mut crate::store::Store,
    name: &str,
    ps_args: &[String],
) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let ps_args = if ps_args.is_empty() {
        vec!["-ef".to_string()]
    } else {
        ps_args.to_vec()
    };
    let mut c = lifecycle::find(store, name)?;
    lifecycle::refresh(host, store, &mut c)?;
    if !c.row.status.is_live() {
        bail!("container {} is not running", c.row.id);
    }
    let cfg = &c.spec;
    let pids: HashSet<i32> = host
        .runtime(&cfg.runtime)?
        .ps(&c.row.id)?
        .into_iter()
        .collect();
    let ps = Command::new("ps")
        .args(&ps_args)
        .output()
        .context("running ps (install procps)")?;
    if !ps.status.success() {
        bail!("ps: {}", String::from_utf8_lossy(&ps.stderr).trim_end());
    }
    parse_ps(&String::from_utf8_lossy(&ps.stdout), &pids)
}

/// dockerd's `parsePSOutput`: the header's fields are the titles, each row is
/// split on whitespace with the last column taking the remainder, and rows
/// whose PID is not in `pids` are dropped.
fn parse_ps(text: &str, pids: &HashSet<i32>) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut lines = text.lines();
    let titles: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let pid_col = titles
        .iter()
        .position(|t| t == "PID")
        .ok_or_else(|| anyhow!("Couldn't find PID field in ps output"))?;
    let mut rows = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < titles.len() {
            continue;
        }
        let pid: i32 = fields[pid_col]
            .parse()
            .map_err(|_| anyhow!("Unexpected pid '{}'", fields[pid_col]))?;
        if !pids.contains(&pid) {
            continue;
        }
        let last = titles.len() - 1;
        let mut row: Vec<String> = fields[..last].iter().map(|s| s.to_string()).collect();
        row.push(fields[last..].join(" "));
        rows.push(row);
    }
    Ok((titles, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_container_rows_and_joins_the_command() {
        let text = "UID PID PPID C STIME TTY TIME CMD\n\
                    root 1 0 0 10:00 ? 00:00:01 /sbin/init\n\
                    root 4242 4200 0 10:01 ? 00:00:00 sleep 1000\n";
        let pids: HashSet<i32> = [4242].into();
        let (t, rows) = parse_ps(text, &pids).unwrap();
        assert_eq!(t.len(), 8);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][1], "4242");
        assert_eq!(rows[0][7], "sleep 1000");
        assert!(parse_ps("USER COMMAND\nroot x\n", &pids)
            .unwrap_err()
            .to_string()
            .contains("Couldn't find PID field"));
    }
}
