//! `berth doctor` / `berth system check [--fix] [--format json]`: every
//! host check (`host::checks`) with its status, what it found and the
//! exact fix, and the state of removed containers (`host::leftovers`),
//! which `--fix` removes (CNI DEL through the cached results first, so
//! leases and the plugins' iptables rules go too), and the `berth-net`
//! iptables rules of networks that are gone (`--fix` deletes them). Exit 0 when nothing is
//! an error, 1 otherwise.

use crate::cli::system::DoctorArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus};
use crate::host::leftovers::{self, Kind, Leftover, Roots};
use crate::host::{checks, Check, Status};
use anyhow::{bail, Result};
use std::collections::HashSet;
use std::io::Write;

fn roots(ctx: &Context) -> Roots {
    let env = ctx.net_env();
    Roots {
        data_root: ctx.settings.data_root.clone(),
        state_root: ctx.settings.state_root.clone(),
        netns_dir: env.netns_dir(),
        cache_dir: env.cache_dir(),
        ipam_dir: env.ipam_dir(),
        cgroup_root: "/sys/fs/cgroup".into(),
    }
}

/// The tagged iptables rules on this berth's networks (name and subnet
/// both match; see `TaggedRule::on`), grouped by container: a group with
/// one rule of ours is ours (portmap's jump rule carries no address).
fn our_rules(ctx: &Context) -> Result<Vec<crate::host::iptables::TaggedRule>> {
    let all = crate::host::iptables::tagged_rules();
    if all.is_empty() {
        return Ok(all);
    }
    let store = ctx.store()?;
    let nets: Vec<(String, Vec<ipnet::IpNet>)> = crate::network::store::list(&store)?
        .into_iter()
        .map(|n| (n.name, n.subnets.iter().map(|s| s.subnet).collect()))
        .collect();
    let ours: HashSet<String> = all
        .iter()
        .filter(|r| nets.iter().any(|(name, subnets)| r.on(name, subnets)))
        .map(|r| r.container_id.clone())
        .collect();
    Ok(all
        .into_iter()
        .filter(|r| ours.contains(&r.container_id))
        .collect())
}

fn find_leftovers(ctx: &Context) -> Result<Vec<Leftover>> {
    let rules = our_rules(ctx)?;
    leftovers::find(&roots(ctx), rules, || {
        // After the scan: a container created meanwhile is in this list.
        let (_, store) = ctx.container_store()?;
        Ok(crate::store::containers::list(store.conn())?
            .into_iter()
            .map(|r| r.id)
            .collect::<HashSet<String>>())
    })
}

/// `berth-net` rules whose network is gone: no network of that id in the
/// store and no interface of the bridge they name. Another data root's
/// networks keep their bridges, so their rules are never taken.
fn orphan_network_rules(ctx: &Context) -> Result<Vec<crate::host::iptables::NetworkRule>> {
    let all = crate::host::iptables::network_rules();
    if all.is_empty() {
        return Ok(all);
    }
    let store = ctx.store()?;
    let ids: HashSet<String> = crate::network::store::list(&store)?
        .into_iter()
        .map(|n| n.id)
        .collect();
    Ok(all
        .into_iter()
        .filter(|r| {
            !ids.contains(&r.network_id)
                && !r
                    .bridge
                    .as_ref()
                    .is_some_and(|b| std::path::Path::new("/sys/class/net").join(b).exists())
        })
        .collect())
}

/// Delete orphaned network rules, printing each.
fn fix_network_rules(
    orphans: &[crate::host::iptables::NetworkRule],
    out: &mut dyn Write,
) -> Result<()> {
    for r in orphans {
        let what = format!("iptables rule -t {} {}", r.table, r.spec);
        match crate::host::iptables::remove_network_rule(r) {
            Ok(()) => writeln!(out, "removed: {what}")?,
            Err(why) => writeln!(out, "not removed: {what}: {why}")?,
        }
    }
    Ok(())
}

/// Remove `left`, printing what was removed and what was not.
fn fix(ctx: &Context, left: &[Leftover], out: &mut dyn Write) -> Result<()> {
    let (host, mut store) = ctx.container_store()?;
    let env = ctx.net_env();
    let runtime = host.runtimes.get(&host.default_runtime);
    let stop = |l: &Leftover| -> Result<()> {
        if l.kind == Kind::LiveShim {
            // The runtime kills the container; then the shim itself.
            if let Ok(rt) = &runtime {
                let _ = rt.delete(&l.container_id, true);
            }
            let pid: i32 = std::fs::read_to_string(&l.path)?.trim().parse()?;
            match crate::sys::process::PidFd::open(pid) {
                Ok(fd) => {
                    let _ = fd.send_signal(libc::SIGKILL);
                }
                Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
                Err(e) => return Err(e.into()),
            }
            let gone = (0..100).any(|_| {
                std::thread::sleep(std::time::Duration::from_millis(50));
                !crate::shim::launch::is_running(l.path.parent().unwrap_or(&l.path))
            });
            if !gone {
                bail!("shim {pid} still running");
            }
        } else if let Ok(rt) = &runtime {
            // What the runtime cannot delete, the directory's removal ends.
            let _ = rt.delete(&l.container_id, true);
        }
        Ok(())
    };
    let failed = leftovers::clean(left, stop, |id| {
        let _lock = host.lock(id)?;
        crate::network::attach::detach(&env, host.cni.as_ref(), &mut store, id)
    });
    for l in left {
        if let Some((_, why)) = failed.iter().find(|(f, _)| f == l) {
            writeln!(
                out,
                "not removed: {} {}: {why}",
                l.kind.as_str(),
                l.path.display()
            )?;
        } else {
            writeln!(out, "removed: {} {}", l.kind.as_str(), l.path.display())?;
        }
    }
    Ok(())
}

fn write_human(out: &mut dyn Write, checks: &[Check]) -> std::io::Result<()> {
    let id_width = checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for c in checks {
        writeln!(
            out,
            "{:<5}  {:<id_width$}  {}",
            c.status.as_str(),
            c.id,
            c.found
        )?;
        for item in &c.items {
            writeln!(out, "{:<5}  {:<id_width$}    {item}", "", "")?;
        }
        if let Some(f) = &c.fix {
            writeln!(out, "{:<5}  {:<id_width$}  fix: {f}", "", "")?;
        }
    }
    let count = |s| checks.iter().filter(|c| c.status == s).count();
    writeln!(
        out,
        "\n{} error(s), {} warning(s)",
        count(Status::Error),
        count(Status::Warn)
    )
}

pub fn run(ctx: &Context, args: DoctorArgs, out: &mut dyn Write) -> Result<u8> {
    let json = match args.format.as_deref() {
        None | Some("") => false,
        Some("json") => true,
        Some(other) => bail!("unsupported format {other:?}: doctor prints a table or json"),
    };
    let mut list = checks::host_checks(&ctx.settings);
    // Networks of other drivers need their plugins too.
    if let Ok(store) = ctx.store() {
        let mut extra: Vec<&str> = crate::network::store::list(&store)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| match n.driver.as_str() {
                "macvlan" => Some("macvlan"),
                "ipvlan" => Some("ipvlan"),
                _ => None,
            })
            .collect();
        extra.sort();
        extra.dedup();
        if let Some(c) = list.iter_mut().find(|c| c.id == "cni-plugins") {
            *c = checks::cni_plugins_for(&ctx.settings.cni_path, &extra);
        }
    }
    let mut left = match find_leftovers(ctx) {
        Ok(l) => l,
        Err(e) => {
            list.push(Check::error(
                "leftovers",
                format!(
                    "cannot read berth's store: {}",
                    crate::cmd::render_error(&e)
                ),
                "fix the data root first (see the checks above)",
            ));
            return finish(&list, json, out);
        }
    };
    let mut orphans = orphan_network_rules(ctx)?;
    if args.fix && !(left.is_empty() && orphans.is_empty()) {
        let mut log = Vec::new();
        if !left.is_empty() {
            fix(ctx, &left, &mut log)?;
        }
        if !orphans.is_empty() {
            // Under the lock `network::firewall` installs rules with, and
            // what is still an orphan a moment later: another berth's new
            // network has its rules a little before the bridge plugin's
            // first ADD makes its bridge.
            let _lock = crate::network::firewall::host_lock()?;
            std::thread::sleep(std::time::Duration::from_secs(1));
            fix_network_rules(&orphan_network_rules(ctx)?, &mut log)?;
        }
        // The fix's lines go to stderr with --format json (stdout stays JSON).
        if json {
            std::io::stderr().write_all(&log)?;
        } else {
            out.write_all(&log)?;
            writeln!(out)?;
        }
        left = find_leftovers(ctx)?;
        orphans = orphan_network_rules(ctx)?;
    }
    list.push(checks::leftovers(&left));
    list.push(checks::network_rules(&orphans));
    finish(&list, json, out)
}

fn finish(list: &[Check], json: bool, out: &mut dyn Write) -> Result<u8> {
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
    } else {
        write_human(out, list)?;
    }
    out.flush()?;
    if list.iter().any(|c| c.status == Status::Error) {
        return Err(ExitStatus(ExitCode::Failure).into());
    }
    Ok(0)
}
