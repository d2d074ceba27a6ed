//! Resource usage of a running container, read from its cgroup and its init
//! process, the way `docker stats` computes it.
//!
//! The cgroup is the runtime spec's `linux.cgroupsPath` (berth writes
//! `/berth/<id>`; runc's cgroupfs driver places it under each v1 controller,
//! or directly under the unified root on a pure cgroup v2 host). Docker's
//! rules: CPU % is the container's CPU time delta over the host's CPU time
//! delta times the number of online CPUs; memory usage excludes inactive
//! page cache (`total_inactive_file` on v1, `inactive_file` on v2); the
//! memory limit is capped at the host's RAM; block I/O sums the read and
//! write bytes of every device; network I/O sums the container's interfaces
//! except `lo` (none for `--network host`, as docker has no endpoint then).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: unexpected content {content:?}")]
    Parse { path: PathBuf, content: String },
    #[error("runtime spec {path} has no linux.cgroupsPath")]
    NoCgroupsPath { path: PathBuf },
}

fn read(path: &Path) -> Result<String, StatsError> {
    std::fs::read_to_string(path).map_err(|source| StatsError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn read_u64(path: &Path) -> Result<u64, StatsError> {
    let s = read(path)?;
    let t = s.trim();
    if t == "max" {
        return Ok(u64::MAX);
    }
    t.parse().map_err(|_| StatsError::Parse {
        path: path.to_path_buf(),
        content: t.to_string(),
    })
}

/// `key value` lines (memory.stat, cpu.stat) as a map.
fn read_kv(path: &Path) -> Result<BTreeMap<String, u64>, StatsError> {
    Ok(read(path)?
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_string(), v.trim().parse().ok()?))
        })
        .collect())
}

/// The cgroup path from a bundle's `config.json`.
pub fn cgroups_path(bundle: &Path) -> Result<String, StatsError> {
    let p = bundle.join("config.json");
    let v: serde_json::Value = serde_json::from_str(&read(&p)?).map_err(|_| StatsError::Parse {
        path: p.clone(),
        content: "invalid JSON".into(),
    })?;
    v["linux"]["cgroupsPath"]
        .as_str()
        .map(str::to_string)
        .ok_or(StatsError::NoCgroupsPath { path: p })
}

/// Where cgroup files live, and the host facts the percentages need.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Usually `/sys/fs/cgroup`.
    pub cgroup_root: PathBuf,
    /// Usually `/proc`.
    pub proc_root: PathBuf,
}

impl Default for Sources {
    fn default() -> Self {
        Sources {
            cgroup_root: "/sys/fs/cgroup".into(),
            proc_root: "/proc".into(),
        }
    }
}

/// One reading of a container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    /// Container CPU time, ns.
    pub cpu_ns: u64,
    /// Host CPU time (all CPUs), ns.
    pub system_ns: u64,
    pub online_cpus: u32,
    pub mem_usage: u64,
    pub mem_limit: u64,
    pub net_rx: u64,
    pub net_tx: u64,
    pub blk_read: u64,
    pub blk_write: u64,
    pub pids: u64,
}

impl Sample {
    pub fn mem_percent(&self) -> f64 {
        if self.mem_limit == 0 {
            0.0
        } else {
            self.mem_usage as f64 / self.mem_limit as f64 * 100.0
        }
    }
}

/// Docker's CPU %: container delta over host delta, times online CPUs.
pub fn cpu_percent(prev: &Sample, cur: &Sample) -> f64 {
    let cpu = cur.cpu_ns.saturating_sub(prev.cpu_ns) as f64;
    let sys = cur.system_ns.saturating_sub(prev.system_ns) as f64;
    if cpu <= 0.0 || sys <= 0.0 {
        return 0.0;
    }
    cpu / sys * f64::from(cur.online_cpus.max(1)) * 100.0
}

/// Read everything about one container. `pid` is its init process (for
/// network counters); `host_network` skips them.
pub fn sample(
    src: &Sources,
    cgroups_path: &str,
    pid: i32,
    host_network: bool,
) -> Result<Sample, StatsError> {
    let rel = cgroups_path.trim_start_matches('/');
    let mut s = Sample::default();
    let (system_ns, cpus) = host_cpu(&src.proc_root)?;
    s.system_ns = system_ns;
    s.online_cpus = cpus;
    let host_mem = host_memory(&src.proc_root).unwrap_or(u64::MAX);
    if src.cgroup_root.join("cgroup.controllers").exists() {
        let dir = src.cgroup_root.join(rel);
        s.cpu_ns = read_kv(&dir.join("cpu.stat"))?
            .get("usage_usec")
            .copied()
            .unwrap_or(0)
            * 1000;
        let usage = read_u64(&dir.join("memory.current"))?;
        let stat = read_kv(&dir.join("memory.stat")).unwrap_or_default();
        s.mem_usage = usage.saturating_sub(stat.get("inactive_file").copied().unwrap_or(0));
        s.mem_limit = read_u64(&dir.join("memory.max"))?.min(host_mem);
        s.pids = read_u64(&dir.join("pids.current")).unwrap_or(0);
        (s.blk_read, s.blk_write) = io_stat_v2(&dir.join("io.stat"));
    } else {
        let ctl = |c: &str| src.cgroup_root.join(c).join(rel);
        s.cpu_ns = read_u64(&ctl("cpuacct").join("cpuacct.usage"))?;
        let mem = ctl("memory");
        let usage = read_u64(&mem.join("memory.usage_in_bytes"))?;
        let stat = read_kv(&mem.join("memory.stat")).unwrap_or_default();
        let inactive = stat.get("total_inactive_file").copied().unwrap_or(0);
        s.mem_usage = if inactive < usage {
            usage - inactive
        } else {
            usage
        };
        s.mem_limit = read_u64(&mem.join("memory.limit_in_bytes"))?.min(host_mem);
        s.pids = read_u64(&ctl("pids").join("pids.current")).unwrap_or(0);
        let blk = ctl("blkio");
        let recursive = blk.join("blkio.throttle.io_service_bytes_recursive");
        let file = if recursive.exists() {
            recursive
        } else {
            blk.join("blkio.throttle.io_service_bytes")
        };
        (s.blk_read, s.blk_write) = io_service_bytes_v1(&file);
    }
    if !host_network && pid > 0 {
        (s.net_rx, s.net_tx) = net_dev(&src.proc_root.join(pid.to_string()).join("net/dev"));
    }
    Ok(s)
}

/// Host CPU time in ns (user..steal of the `cpu` line) and the online CPU count.
fn host_cpu(proc_root: &Path) -> Result<(u64, u32), StatsError> {
    let p = proc_root.join("stat");
    let text = read(&p)?;
    let mut total = None;
    let mut cpus = 0;
    for line in text.lines() {
        let mut f = line.split_whitespace();
        match f.next() {
            Some("cpu") => {
                let ticks: u64 = f.take(8).filter_map(|v| v.parse::<u64>().ok()).sum();
                // USER_HZ is 100 on every Linux ABI.
                total = Some(ticks * 10_000_000);
            }
            Some(c) if c.starts_with("cpu") => cpus += 1,
            _ => {}
        }
    }
    let total = total.ok_or(StatsError::Parse {
        path: p,
        content: "no cpu line".into(),
    })?;
    Ok((total, cpus))
}

fn host_memory(proc_root: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(proc_root.join("meminfo")).ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// v1 `blkio.throttle.io_service_bytes`: `MAJ:MIN Read N` lines summed.
fn io_service_bytes_v1(path: &Path) -> (u64, u64) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (mut r, mut w) = (0, 0);
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() != 3 {
            continue;
        }
        let n: u64 = f[2].parse().unwrap_or(0);
        match f[1] {
            "Read" => r += n,
            "Write" => w += n,
            _ => {}
        }
    }
    (r, w)
}

/// v2 `io.stat`: `MAJ:MIN rbytes=N wbytes=N ...` lines summed.
fn io_stat_v2(path: &Path) -> (u64, u64) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (mut r, mut w) = (0, 0);
    for field in text.split_whitespace() {
        if let Some(v) = field.strip_prefix("rbytes=") {
            r += v.parse::<u64>().unwrap_or(0);
        } else if let Some(v) = field.strip_prefix("wbytes=") {
            w += v.parse::<u64>().unwrap_or(0);
        }
    }
    (r, w)
}

/// `/proc/<pid>/net/dev`: received and transmitted bytes of every interface but `lo`.
fn net_dev(path: &Path) -> (u64, u64) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (mut rx, mut tx) = (0, 0);
    for line in text.lines().skip(2) {
        let Some((name, rest)) = line.split_once(':') else {
            continue;
        };
        if name.trim() == "lo" {
            continue;
        }
        let f: Vec<u64> = rest
            .split_whitespace()
            .map(|v| v.parse().unwrap_or(0))
            .collect();
        if f.len() >= 9 {
            rx += f[0];
            tx += f[8];
        }
    }
    (rx, tx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(p: &Path, s: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    }

    fn fake_proc(root: &Path) {
        put(
            &root.join("stat"),
            "cpu  100 0 50 850 0 0 0 0 0 0\ncpu0 50 0 25 425 0 0 0 0 0 0\ncpu1 50 0 25 425 0 0 0 0 0 0\nintr 1\n",
        );
        put(
            &root.join("meminfo"),
            "MemTotal:       1024 kB\nMemFree: 1 kB\n",
        );
        put(
            &root.join("7/net/dev"),
            "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes\n    lo: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n",
        );
    }

    #[test]
    fn v1_hybrid_sample() {
        let d = tempfile::tempdir().unwrap();
        let (cg, proc_) = (d.path().join("cg"), d.path().join("proc"));
        fake_proc(&proc_);
        let rel = "berth/x";
        put(
            &cg.join("cpuacct").join(rel).join("cpuacct.usage"),
            "5000000\n",
        );
        let mem = cg.join("memory").join(rel);
        put(&mem.join("memory.usage_in_bytes"), "4096\n");
        put(
            &mem.join("memory.stat"),
            "cache 0\ntotal_inactive_file 1024\n",
        );
        put(&mem.join("memory.limit_in_bytes"), "9223372036854771712\n");
        put(&cg.join("pids").join(rel).join("pids.current"), "3\n");
        put(
            &cg.join("blkio")
                .join(rel)
                .join("blkio.throttle.io_service_bytes_recursive"),
            "8:0 Read 100\n8:0 Write 200\n8:0 Total 300\nTotal 300\n",
        );
        let src = Sources {
            cgroup_root: cg,
            proc_root: proc_,
        };
        let s = sample(&src, "/berth/x", 7, false).unwrap();
        assert_eq!(s.cpu_ns, 5_000_000);
        assert_eq!(s.system_ns, 1000 * 10_000_000);
        assert_eq!(s.online_cpus, 2);
        assert_eq!(s.mem_usage, 3072);
        assert_eq!(s.mem_limit, 1024 * 1024, "capped at host RAM");
        assert_eq!(s.pids, 3);
        assert_eq!((s.blk_read, s.blk_write), (100, 200));
        assert_eq!((s.net_rx, s.net_tx), (1000, 2000));
        let host = sample(&src, "/berth/x", 7, true).unwrap();
        assert_eq!((host.net_rx, host.net_tx), (0, 0));
    }

    #[test]
    fn v2_sample_and_cpu_percent() {
        let d = tempfile::tempdir().unwrap();
        let (cg, proc_) = (d.path().join("cg"), d.path().join("proc"));
        fake_proc(&proc_);
        put(&cg.join("cgroup.controllers"), "cpu memory pids io\n");
        let dir = cg.join("berth/x");
        put(&dir.join("cpu.stat"), "usage_usec 7\nuser_usec 5\n");
        put(&dir.join("memory.current"), "2048\n");
        put(&dir.join("memory.stat"), "inactive_file 48\n");
        put(&dir.join("memory.max"), "max\n");
        put(&dir.join("pids.current"), "1\n");
        put(
            &dir.join("io.stat"),
            "8:0 rbytes=10 wbytes=20 rios=1 wios=2\n",
        );
        let src = Sources {
            cgroup_root: cg,
            proc_root: proc_,
        };
        let s = sample(&src, "/berth/x", 0, false).unwrap();
        assert_eq!(s.cpu_ns, 7000);
        assert_eq!(s.mem_usage, 2000);
        assert_eq!((s.blk_read, s.blk_write), (10, 20));
        let prev = Sample {
            cpu_ns: 0,
            system_ns: 0,
            ..s.clone()
        };
        let cur = Sample {
            cpu_ns: 250,
            system_ns: 1000,
            online_cpus: 2,
            ..Sample::default()
        };
        assert!((cpu_percent(&prev, &cur) - 50.0).abs() < 1e-9);
        assert_eq!(cpu_percent(&cur, &cur), 0.0);
    }
}
