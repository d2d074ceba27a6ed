//! The per-network name server: Docker's embedded DNS for user networks,
//! run the way podman runs aardvark-dns (one small process per network).
//!
//! Every user network with the `bridge` driver (not the default `bridge`
//! network, where Docker has no name server either) gets one `berth
//! internal dns <dir>` process while at least one container is attached.
//! It listens on UDP and TCP port 53 of the network's gateway address (the
//! host's end of the bridge), answers A, AAAA and PTR for the names of the
//! running members (name, `--network-alias` aliases, hostname, short ID,
//! each also under `.<network>`, case-insensitive) and forwards everything
//! else to the host's resolvers, or to a container's own `--dns` servers for
//! that container's queries (what Docker's embedded server does with
//! `--dns`). Internal networks get no forwarding (SERVFAIL), as Docker.
//!
//! Why the gateway address and not Docker's 127.0.0.11: Docker runs its
//! server inside the daemon and DNATs 127.0.0.11:53 in every container's
//! namespace to it; berth has no daemon, so that would take a listener
//! per container namespace, or NAT rules per container. One process on the
//! gateway serves every member with no rule in the container, and its
//! lifetime follows the network's membership, not any one container's.
//! The CNI firewall plugin filters FORWARD only; container → gateway is
//! INPUT, which berth opens explicitly for port 53 on the bridge (one
//! `iptables -I INPUT` rule per protocol, tagged `berth-dns <id>`, inserted
//! when the server starts and deleted when it stops) so a host whose INPUT
//! policy drops does not cut the names off.
//!
//! State lives in `<state-root>/dns/<network-id>/`: `records.json` (what
//! the server answers, written by the CLI that changed the membership),
//! `pid`, and the server's `log`; `<state-root>/dns/<network-id>.lock`
//! serialises every change, so two containers joining at once start one
//! server (it stays until `network rm`). [`members_changed`] is the one entry point: whoever changes a
//! network's endpoint rows (start, stop, `network connect/disconnect`, the
//! shim's cleanup, the reboot sweep) calls it afterwards; it rewrites the
//! records and sends SIGHUP (the server re-reads them, nothing is polled),
//! starts the server when none runs (a crashed one included), and stops it
//! and removes its directory and rules when no member is left.
//!
//! This module never prints; the server (`server`) links no store code.

pub mod records;
pub mod server;
pub mod wire;

use super::store::{Network, DEFAULT_NETWORK};
use super::NetEnv;
use crate::store::networks as rows;
use crate::store::Store;
use crate::sys::lock::FileLock;
use anyhow::{anyhow, Context as _, Result};
use records::Records;
use std::ffi::OsString;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The records file the server reads.
pub const RECORDS: &str = "records.json";
/// The server's pid, written by the CLI that started it.
pub const PID: &str = "pid";
/// The server's own messages (startup failures, upstream errors).
pub const LOG: &str = "log";

/// How to start a server: the berth binary and the global flags that name
/// this berth instance (shown in a process listing, as the shim's are).
#[derive(Debug, Clone)]
pub struct Launcher {
    pub exe: PathBuf,
    pub global_args: Vec<OsString>,
}

/// `<state-root>/dns`.
pub fn root(env: &NetEnv) -> PathBuf {
    env.state_root.join("dns")
}

/// The state directory of one network's server.
pub fn dir(env: &NetEnv, network_id: &str) -> PathBuf {
    root(env).join(network_id)
}

/// Whether a network gets a name server (see the module docs).
pub fn serves(net: &Network) -> bool {
    net.name != DEFAULT_NETWORK && net.driver == "bridge" && net.ipv4().is_some()
}

/// The address containers on `net` send their queries to, when it has a
/// server.
pub fn server_address(net: &Network) -> Option<std::net::IpAddr> {
    serves(net).then(|| net.ipv4().map(|s| s.gateway)).flatten()
}

/// Bring the network's server in line with its endpoint rows (see the
/// module docs). Call it after every change of the network's membership.
pub fn members_changed(
    env: &NetEnv,
    store: &Store,
    launcher: &Launcher,
    network_id: &str,
) -> Result<()> {
    let Some(row) = rows::get(store.conn(), network_id)? else {
        // The network is gone: nothing may be left of its server.
        return stop(env, network_id);
    };
    let net = Network::from_row(row)?;
    if !serves(&net) {
        return Ok(());
    }
    let _lock = lock(env, network_id)?;
    let records = records::build(env, store, &net)?;
    if records.members.is_empty() {
        return stop_locked(env, network_id);
    }
    let dir = dir(env, network_id);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    crate::sys::fs::write_atomic_nosync(&dir.join(RECORDS), &serde_json::to_vec(&records)?)?;
    match running_pid(&dir) {
        Some(pid) => {
            // A server that died between the check and the signal is
            // started again by the next change.
            let _ = signal(pid, libc::SIGHUP);
            Ok(())
        }
        None => start(&dir, launcher, &records, &net),
    }
}

/// Stop the server of a removed network and remove its state, rules and
/// lock (`network rm`).
pub fn stop(env: &NetEnv, network_id: &str) -> Result<()> {
    let lock_path = root(env).join(format!("{network_id}.lock"));
    if !dir(env, network_id).exists() {
        let _ = std::fs::remove_file(&lock_path);
        return Ok(());
    }
    let lock = lock(env, network_id)?;
    stop_locked(env, network_id)?;
    // The network is gone, so nobody waits on its lock any more; while it
    // exists the lock file stays (removing a file others may be waiting to
    // lock would let two holders in).
    let _ = std::fs::remove_file(&lock_path);
    drop(lock);
    Ok(())
}

/// Stop the servers of networks that have no member left (or no longer
/// exist): what a CLI killed between a teardown and its
/// [`members_changed`] left; and start again the dead server of a network
/// that has members. Run by every command's sweep; cheap when no server
/// runs (one `read_dir`).
/// Membership is re-read under each network's lock, so a server a
/// concurrent start just launched is not stopped.
pub fn reconcile(env: &NetEnv, store: &Store, launcher: &Launcher) -> Result<()> {
    let mut first = None;
    let mut dead = Vec::new();
    for e in std::fs::read_dir(root(env)).into_iter().flatten().flatten() {
        if !e.path().is_dir() {
            continue;
        }
        let id = e.file_name().to_string_lossy().into_owned();
        let r = lock(env, &id).and_then(|_lock| {
            if rows::endpoints_of_network(store.conn(), &id)?.is_empty() {
                stop_locked(env, &id)?;
            } else if running_pid(&e.path()).is_none() {
                dead.push(id.clone());
            }
            Ok(())
        });
        if let Err(err) = r {
            first.get_or_insert(err);
        }
    }
    // A server that died (killed, OOM) while its network has members is
    // started again, so its names resolve again without waiting for a join.
    for id in dead {
        if let Err(err) = members_changed(env, store, launcher, &id) {
            first.get_or_insert(err);
        }
    }
    first.map_or(Ok(()), Err)
}

fn lock(env: &NetEnv, network_id: &str) -> Result<FileLock> {
    let root = root(env);
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let path = root.join(format!("{network_id}.lock"));
    FileLock::exclusive(&path).with_context(|| format!("locking {}", path.display()))
}

fn stop_locked(env: &NetEnv, network_id: &str) -> Result<()> {
    let dir = dir(env, network_id);
    if let Some(pid) = running_pid(&dir) {
        // The server is never our child (it was forked by a process that
        // exited at once), so there is no zombie to reap here.
        let _ = signal(pid, libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(2);
        while running_pid(&dir).is_some() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        if running_pid(&dir).is_some() {
            let _ = signal(pid, libc::SIGKILL);
        }
    }
    if let Ok(text) = std::fs::read(dir.join(RECORDS)) {
        if let Ok(r) = serde_json::from_slice::<Records>(&text) {
            firewall::revoke(&r);
        }
    }
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("removing {}", dir.display())),
    }
    Ok(())
}

/// The pid of the server serving `dir`, if one runs: the pid file names a
/// live process whose command line is `... internal dns <dir>` (a reused
/// pid, or a zombie, has another or none).
pub fn running_pid(dir: &Path) -> Option<i32> {
    let pid: i32 = std::fs::read_to_string(dir.join(PID))
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    let want = dir.as_os_str().as_encoded_bytes();
    args.windows(3)
        .any(|w| w[0] == b"internal" && w[1] == b"dns" && w[2] == want)
        .then_some(pid)
}

/// Signal a server through a pidfd (no recycled pid is ever hit).
fn signal(pid: i32, sig: i32) -> std::io::Result<()> {
    crate::sys::process::PidFd::open(pid)?.send_signal(sig)
}

/// Start the server and wait for its ready line (it has bound its sockets
/// by then, so the first container's first query is answered).
fn start(dir: &Path, launcher: &Launcher, records: &Records, net: &Network) -> Result<()> {
    let _ = std::fs::remove_file(dir.join(PID));
    let mut child = Command::new(&launcher.exe)
        .args(&launcher.global_args)
        .args(["internal", "dns"])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", launcher.exe.display()))?;
    let stdout = child.stdout.take().expect("stdout was piped");
    // The first process forks the server and exits.
    let _ = child.wait();
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .context("reading the name server's ready line")?;
    let Some(pid) = line
        .trim()
        .strip_prefix("ready ")
        .and_then(|p| p.parse::<i32>().ok())
    else {
        let why = line.trim().strip_prefix("error: ").unwrap_or(line.trim());
        let why = if why.is_empty() {
            std::fs::read_to_string(dir.join(LOG)).unwrap_or_default()
        } else {
            why.to_string()
        };
        return Err(anyhow!(
            "starting the name server of network {}: {}",
            net.name,
            why.trim()
        ));
    };
    crate::sys::fs::write_atomic_nosync(&dir.join(PID), format!("{pid}\n").as_bytes())?;
    firewall::allow(records);
    Ok(())
}

/// Bring the servers in line after a change of `network_ids`' membership:
/// those networks' and every network sharing a member with them (whose
/// records list what their members see of these, see `records`). Best
/// effort: the first error is returned after all ran.
pub fn refresh(
    env: &NetEnv,
    store: &Store,
    launcher: &Launcher,
    network_ids: &[String],
) -> Result<()> {
    let mut all: std::collections::BTreeSet<String> = network_ids.iter().cloned().collect();
    for id in network_ids {
        for e in rows::endpoints_of_network(store.conn(), id)? {
            for other in rows::endpoints_of_container(store.conn(), &e.container_id)? {
                all.insert(other.network_id);
            }
        }
    }
    let mut first = None;
    for id in &all {
        if let Err(e) = members_changed(env, store, launcher, id) {
            first.get_or_insert(e);
        }
    }
    first.map_or(Ok(()), Err)
}

/// Port 53 on the gateway, open in INPUT for the bridge's traffic.
mod firewall {
    use super::records::Records;
    use std::process::{Command, Stdio};

    fn rule(r: &Records, proto: &str) -> Vec<String> {
        let mut v: Vec<String> = vec!["INPUT".into()];
        v.extend(
            [
                "-i",
                &r.bridge,
                "-d",
                &r.listen.to_string(),
                "-p",
                proto,
                "--dport",
                "53",
                "-m",
                "comment",
                "--comment",
                &format!("berth-dns {}", r.network_id),
                "-j",
                "ACCEPT",
            ]
            .map(str::to_string),
        );
        v
    }

    fn iptables(op: &str, args: &[String]) -> bool {
        Command::new("iptables")
            .arg("-w")
            .arg(op)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Insert the rules unless they are there. A host without iptables has
    /// no INPUT filter to open.
    pub fn allow(r: &Records) {
        if !r.listen.is_ipv4() {
            return;
        }
        for proto in ["udp", "tcp"] {
            let rule = rule(r, proto);
            if !iptables("-C", &rule) {
                iptables("-I", &rule);
            }
        }
    }

    /// Delete the rules, every copy of them.
    pub fn revoke(r: &Records) {
        if !r.listen.is_ipv4() {
            return;
        }
        for proto in ["udp", "tcp"] {
            let rule = rule(r, proto);
            for _ in 0..8 {
                if !iptables("-D", &rule) {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pid_file_naming_another_process_is_not_a_server() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(running_pid(d.path()), None);
        std::fs::write(d.path().join(PID), format!("{}\n", std::process::id())).unwrap();
        assert_eq!(running_pid(d.path()), None);
    }
}
