//! `berth compose top [SERVICE...]`: the processes of the project's running
//! containers in one table as compose prints it: SERVICE, # (the container
//! number), then the `ps -ef` columns with CMD last (rows from `berth
//! top`'s `processes`), containers by name, tabwriter 4/1/2.

use crate::cli::compose::ComposeServicesArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use anyhow::Result;
use std::io::Write;

/// One container's processes, labelled.
struct Procs {
    service: String,
    replica: String,
    titles: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// compose's `collectTop` + `topPrint`: columns in the order first seen,
/// CMD moved last, `-` where a container lacks a column.
fn table(procs: &[Procs]) -> Vec<Vec<String>> {
    let mut header: Vec<String> = vec!["SERVICE".into(), "#".into()];
    for p in procs {
        if p.rows.is_empty() {
            continue;
        }
        for t in &p.titles {
            if !header.contains(t) {
                header.push(t.clone());
            }
        }
    }
    if let Some(i) = header.iter().position(|h| h == "CMD") {
        let cmd = header.remove(i);
        header.push(cmd);
    }
    let mut out = Vec::new();
    for p in procs {
        for row in &p.rows {
            let cell = |h: &str| -> String {
                match h {
                    "SERVICE" => p.service.clone(),
                    "#" => p.replica.clone(),
                    _ => p
                        .titles
                        .iter()
                        .position(|t| t == h)
                        .and_then(|i| row.get(i).cloned())
                        .unwrap_or_else(|| "-".into()),
                }
            };
            out.push(header.iter().map(|h| cell(h)).collect());
        }
    }
    if out.is_empty() {
        return out;
    }
    out.insert(0, header);
    out
}

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposeServicesArgs,
    out: &mut dyn Write,
) -> Result<u8> {
    let (_, name) = super::project_or_name(base)?;
    let (host, mut store) = ctx.container_store()?;
    let q = Query {
        project: &name.to_lowercase(),
        oneoff: OneOff::Include,
        all: false,
        services: &a.service,
    };
    let list = containers::list(&host, &mut store, &q)?;
    let mut procs = Vec::new();
    for c in &list {
        let (titles, rows) =
            crate::cmd::container::top::processes(&host, &mut store, &c.row.id, &[])?;
        procs.push(Procs {
            service: containers::service_of(c).to_string(),
            replica: c
                .spec
                .labels
                .get(containers::NUMBER)
                .cloned()
                .unwrap_or_default(),
            titles,
            rows,
        });
    }
    let rows = table(&procs);
    let mut w = crate::format::tabwriter::TabWriter::with_params(&mut *out, 4, 1, 2, b' ');
    for r in rows {
        writeln!(w, "{}", r.join("\t"))?;
    }
    w.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_table_with_cmd_last() {
        let p = |s: &str, titles: &[&str], rows: &[&[&str]]| Procs {
            service: s.into(),
            replica: "1".into(),
            titles: titles.iter().map(|t| t.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        };
        let t = table(&[
            p("db", &["UID", "PID", "CMD"], &[&["root", "10", "postgres"]]),
            p(
                "web",
                &["UID", "PID", "CMD", "X"],
                &[&["root", "20", "nginx", "x"]],
            ),
        ]);
        assert_eq!(t[0], ["SERVICE", "#", "UID", "PID", "X", "CMD"]);
        assert_eq!(t[1], ["db", "1", "root", "10", "-", "postgres"]);
        assert_eq!(t[2], ["web", "1", "root", "20", "x", "nginx"]);
        assert!(table(&[]).is_empty());
    }
}
