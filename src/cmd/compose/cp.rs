//! `berth compose cp [--index N] [--all] SERVICE:SRC DEST` (or `SRC
//! SERVICE:DEST`): `berth cp` against the service's containers: out of the
//! first container (by number), into every container of the service
//! (`--all`: one-offs too, `--index`: only that one), as compose copies.
//! `--dry-run` checks the source is there and copies nothing.

use crate::cli::compose::ComposeCpArgs;
use crate::cli::container::CpArgs;
use crate::cmd::context::Context;
use crate::compose::containers::{self, OneOff, Query};
use crate::compose::project::LoadOptions;
use anyhow::{bail, Result};
use std::io::Write;

/// compose's `splitCpArg`: `SERVICE:PATH`, unless the argument is an
/// absolute path or starts with `.` (a local path).
fn split(arg: &str) -> (Option<&str>, &str) {
    if arg.starts_with('/') || arg.starts_with('.') {
        return (None, arg);
    }
    match arg.split_once(':') {
        Some((s, p)) => (Some(s), p),
        None => (None, arg),
    }
}

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposeCpArgs,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<u8> {
    if a.archive {
        bail!("compose cp --archive is not supported: berth cp keeps the copied files' owners as they are");
    }
    let (src_svc, src_path) = split(&a.source);
    let (dst_svc, dst_path) = split(&a.dest);
    let (service, from) = match (src_svc, dst_svc) {
        (Some(_), Some(_)) => bail!("copying between services is not supported"),
        (None, None) => bail!("unknown copy direction"),
        (Some(s), None) => (s, true),
        (None, Some(s)) => (s, false),
    };
    let (_, name) = super::project_or_name(base)?;
    let name = name.to_lowercase();
    let targets = {
        let (host, mut store) = ctx.container_store()?;
        if a.index > 0 {
            vec![containers::specified(
                &host,
                &mut store,
                &name,
                OneOff::Exclude,
                true,
                service,
                a.index,
            )?]
        } else {
            let services = [service.to_string()];
            let q = Query {
                project: &name,
                oneoff: if a.all {
                    OneOff::Include
                } else {
                    OneOff::Exclude
                },
                all: true,
                services: &services,
            };
            let mut v = containers::list(&host, &mut store, &q)?;
            if v.is_empty() {
                bail!("no container found for service {service:?}");
            }
            if from {
                v.sort_by_key(|c| (containers::is_oneoff(c), containers::number_of(c)));
                v.truncate(1);
            }
            v
        }
    };
    let prefix = super::dry_prefix(dry_run);
    for c in &targets {
        // compose's event: the container, what is copied, the status.
        let what = if from {
            format!("copy {}:{src_path} to {dst_path}", c.row.name)
        } else {
            format!("copy {src_path} to {}:{dst_path}", c.row.name)
        };
        eprintln!("{prefix} {} {what} Copying", c.row.name);
        if dry_run {
            dry_check(ctx, &c.row.id, from, src_path, a.follow_link)?;
            eprintln!("{prefix} {} {what} Copied", c.row.name);
            continue;
        }
        let (source, dest) = if from {
            (format!("{}:{src_path}", c.row.id), dst_path.to_string())
        } else {
            (src_path.to_string(), format!("{}:{dst_path}", c.row.id))
        };
        let args = CpArgs {
            follow_link: a.follow_link,
            quiet: true,
            source,
            dest,
        };
        crate::cmd::container::cp::run(ctx, args, out)?;
        eprintln!(" {} {what} Copied", c.row.name);
    }
    Ok(0)
}

/// A dry run's copy checks what compose's dry-run client checks, and
/// copies nothing: out of a container, that the source is there; into
/// one, that the local source is there.
fn dry_check(ctx: &Context, id: &str, from: bool, src: &str, follow: bool) -> Result<()> {
    if from {
        if !crate::cmd::container::cp::exists_in(ctx, id, src, follow)? {
            bail!(
                "{}Could not find the file {src} in container {id}",
                super::progress::DRY_RUN_PREFIX
            );
        }
    } else if src != "-" {
        let abs = std::path::absolute(src)?;
        if std::fs::symlink_metadata(&abs).is_err() {
            bail!("stat {src}: no such file or directory");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_like_compose() {
        assert_eq!(super::split("web:/etc/x"), (Some("web"), "/etc/x"));
        assert_eq!(super::split("/tmp/a:b"), (None, "/tmp/a:b"));
        assert_eq!(super::split("./a:b"), (None, "./a:b"));
        assert_eq!(super::split("file"), (None, "file"));
    }
}
