//! The resource flags of `run`/`create`/`update` beyond `-m`,
//! `--memory-swap`, `--cpus`, `--cpu-shares` and `--pids-limit` (those live
//! in [`super::spec`]): memory reservation and swappiness, CFS period and
//! quota, cpusets, block I/O weights and throttles, the OOM killer switch
//! and the OOM score. [`LimitFlags::validate`] checks them with docker-cli's
//! parsers and moby's `verifyPlatformContainerResources` (same messages, and
//! the same warnings where moby discards what the host cannot do);
//! [`apply`] writes them into the OCI `linux.resources` the runtime gets.
//!
//! Real-time CPU scheduling (`--cpu-rt-period`/`--cpu-rt-runtime`) is
//! refused: it needs a real-time budget handed down the parent cgroups,
//! which docker's daemon owns (`--cpu-rt-runtime` of dockerd) and berth,
//! having no daemon, does not set up. `--kernel-memory` is accepted and
//! ignored with a warning, as docker 23+ does (API 1.42 dropped it; the
//! kernel removed `kmem.limit_in_bytes`).

use oci_spec::runtime::{
    LinuxBlockIo, LinuxResources, LinuxThrottleDeviceBuilder, LinuxWeightDeviceBuilder,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;
use thiserror::Error;

/// Smallest `--memory-reservation` docker accepts (as `-m`).
const MIN_MEMORY: i64 = 6 << 20;

#[derive(Debug, Error, PartialEq)]
pub enum LimitError {
    /// A flag value docker-cli refuses while parsing.
    #[error("invalid argument \"{value}\" for \"--{flag}\" flag: {reason}")]
    Flag {
        flag: &'static str,
        value: String,
        reason: String,
    },
    /// moby's own wording.
    #[error("{0}")]
    Daemon(String),
    #[error("--{0}: real-time CPU scheduling is not supported: berth sets up no real-time budget for its containers' cgroups")]
    Realtime(&'static str),
    #[error("{path}: cannot use as a block device for {flag}: {reason}")]
    Device {
        flag: &'static str,
        path: String,
        reason: String,
    },
}

fn daemon(s: &str) -> LimitError {
    LimitError::Daemon(s.to_string())
}

/// A `--blkio-weight-device` entry (docker's `WeightDevice`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightDevice {
    pub path: String,
    pub weight: u16,
}

/// A `--device-{read,write}-{bps,iops}` entry (docker's `ThrottleDevice`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottleDevice {
    pub path: String,
    pub rate: u64,
}

/// The validated limits, as stored in the container's spec. Zero/empty
/// means unset (docker's `HostConfig` convention), except
/// `memory_swappiness` (None: the kernel's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    pub memory_reservation: i64,
    pub memory_swappiness: Option<i64>,
    pub cpu_period: i64,
    pub cpu_quota: i64,
    pub cpuset_cpus: String,
    pub cpuset_mems: String,
    pub blkio_weight: u16,
    pub blkio_weight_device: Vec<WeightDevice>,
    pub device_read_bps: Vec<ThrottleDevice>,
    pub device_write_bps: Vec<ThrottleDevice>,
    pub device_read_iops: Vec<ThrottleDevice>,
    pub device_write_iops: Vec<ThrottleDevice>,
    pub oom_kill_disable: bool,
    pub oom_score_adj: i32,
}

impl Limits {
    /// Nothing asked for (the stored spec leaves the field out).
    pub fn is_unset(&self) -> bool {
        *self == Limits::default()
    }
}

/// The flags as given (plain values, no clap types).
#[derive(Debug, Clone, Default)]
pub struct LimitFlags {
    pub memory_reservation: Option<String>,
    /// -1 (docker's default) leaves the kernel's.
    pub memory_swappiness: Option<i64>,
    pub kernel_memory: Option<String>,
    pub cpu_period: Option<i64>,
    pub cpu_quota: Option<i64>,
    pub cpu_rt_period: Option<i64>,
    pub cpu_rt_runtime: Option<i64>,
    pub cpuset_cpus: Option<String>,
    pub cpuset_mems: Option<String>,
    pub blkio_weight: Option<u16>,
    pub blkio_weight_device: Vec<String>,
    pub device_read_bps: Vec<String>,
    pub device_write_bps: Vec<String>,
    pub device_read_iops: Vec<String>,
    pub device_write_iops: Vec<String>,
    pub oom_kill_disable: bool,
    pub oom_score_adj: Option<i64>,
}

/// What the host's cgroups can do (moby's `sysinfo`).
#[derive(Debug, Clone, PartialEq)]
pub struct LimitHost {
    pub cgroup_v2: bool,
    pub swappiness: bool,
    pub oom_kill_disable: bool,
    pub blkio_weight: bool,
    pub blkio_weight_device: bool,
    pub throttle: bool,
    /// The cpus and memory nodes containers may use (`0-3` lists).
    pub cpus: String,
    pub mems: String,
}

impl LimitHost {
    pub fn detect() -> LimitHost {
        let root = Path::new("/sys/fs/cgroup");
        let v2 = root.join("cgroup.controllers").exists();
        let read = |p: &Path| {
            std::fs::read_to_string(p)
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        if v2 {
            let controllers = read(&root.join("cgroup.controllers"));
            let has = |c: &str| controllers.split_whitespace().any(|x| x == c);
            let mut cpus = read(&root.join("cpuset.cpus.effective"));
            if cpus.is_empty() {
                cpus = read(Path::new("/sys/devices/system/cpu/online"));
            }
            let mut mems = read(&root.join("cpuset.mems.effective"));
            if mems.is_empty() {
                mems = read(Path::new("/sys/devices/system/node/online"));
            }
            return LimitHost {
                cgroup_v2: true,
                swappiness: false,
                oom_kill_disable: false,
                blkio_weight: has("io"),
                blkio_weight_device: has("io"),
                throttle: has("io"),
                cpus,
                mems: if mems.is_empty() { "0".into() } else { mems },
            };
        }
        let blkio = root.join("blkio");
        let weight = blkio.join("blkio.weight").exists() || blkio.join("blkio.bfq.weight").exists();
        let weight_device = blkio.join("blkio.weight_device").exists()
            || blkio.join("blkio.bfq.weight_device").exists();
        let mut mems = read(&root.join("cpuset/cpuset.mems"));
        if mems.is_empty() {
            mems = "0".into();
        }
        LimitHost {
            cgroup_v2: false,
            swappiness: root.join("memory/memory.swappiness").exists(),
            oom_kill_disable: root.join("memory/memory.oom_control").exists(),
            blkio_weight: weight,
            blkio_weight_device: weight_device,
            throttle: blkio.join("blkio.throttle.read_bps_device").exists(),
            cpus: read(&root.join("cpuset/cpuset.cpus")),
            mems,
        }
    }
}

impl LimitFlags {
    /// Docker's checks (docker-cli's flag parsers, then moby's), given the
    /// already validated `-m` and `--cpus`. Returns the limits and moby's
    /// warnings for what this host discards.
    pub fn validate(
        &self,
        memory: Option<i64>,
        nano_cpus: Option<i64>,
        host: &LimitHost,
    ) -> Result<(Limits, Vec<String>), LimitError> {
        let mut warnings = Vec::new();
        let mut l = Limits::default();
        if let Some(r) = &self.memory_reservation {
            l.memory_reservation = ram_flag("memory-reservation", r)?;
        }
        if let Some(k) = &self.kernel_memory {
            ram_flag("kernel-memory", k)?;
            warnings.push(KERNEL_MEMORY_IGNORED.into());
        }
        for (flag, v) in [
            ("cpu-rt-period", self.cpu_rt_period),
            ("cpu-rt-runtime", self.cpu_rt_runtime),
        ] {
            if v.is_some_and(|v| v != 0) {
                return Err(LimitError::Realtime(flag));
            }
        }
        for (flag, given, out) in [
            ("blkio-weight-device", &self.blkio_weight_device, 0),
            ("device-read-bps", &self.device_read_bps, 1),
            ("device-write-bps", &self.device_write_bps, 1),
            ("device-read-iops", &self.device_read_iops, 2),
            ("device-write-iops", &self.device_write_iops, 2),
        ] {
            for v in given {
                let bad = |reason: String| LimitError::Flag {
                    flag,
                    value: v.clone(),
                    reason,
                };
                let (path, rate) = match v.split_once(':') {
                    Some((p, r)) if !p.is_empty() => (p, r),
                    _ => return Err(bad(format!("bad format: {v}"))),
                };
                if !path.starts_with("/dev/") {
                    return Err(bad(format!("bad format for device path: {v}")));
                }
                match out {
                    0 => {
                        let weight = rate
                            .parse::<u16>()
                            .ok()
                            .filter(|w| *w == 0 || (10..=1000).contains(w))
                            .ok_or_else(|| bad(format!("invalid weight for device: {v}")))?;
                        l.blkio_weight_device.push(WeightDevice {
                            path: path.into(),
                            weight,
                        });
                    }
                    1 => {
                        let rate = crate::format::units::parse_size(rate)
                            .ok()
                            .filter(|r| *r >= 0)
                            .ok_or_else(|| bad(format!("invalid rate for device: {v}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb")))?;
                        let d = ThrottleDevice {
                            path: path.into(),
                            rate: rate as u64,
                        };
                        if flag == "device-read-bps" {
                            l.device_read_bps.push(d);
                        } else {
                            l.device_write_bps.push(d);
                        }
                    }
                    _ => {
                        let rate = rate.parse::<u64>().map_err(|_| {
                            bad(format!("invalid rate for device: {v}. The correct format is <device-path>:<number>. Number must be a positive integer"))
                        })?;
                        let d = ThrottleDevice {
                            path: path.into(),
                            rate,
                        };
                        if flag == "device-read-iops" {
                            l.device_read_iops.push(d);
                        } else {
                            l.device_write_iops.push(d);
                        }
                    }
                }
            }
        }
        // moby's verifyPlatformContainerResources, in its order.
        let memory = memory.unwrap_or(0);
        l.memory_swappiness = self.memory_swappiness.filter(|s| *s != -1);
        if l.memory_swappiness.is_some() && !host.swappiness {
            warnings.push("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.".into());
            l.memory_swappiness = None;
        }
        if let Some(s) = l.memory_swappiness {
            if !(0..=100).contains(&s) {
                return Err(LimitError::Daemon(format!(
                    "Invalid value: {s}, valid memory swappiness range is 0-100"
                )));
            }
        }
        check_reservation(memory, l.memory_reservation)?;
        l.oom_kill_disable = self.oom_kill_disable;
        if l.oom_kill_disable && !host.oom_kill_disable {
            warnings.push(
                "Your kernel does not support OomKillDisable. OomKillDisable discarded.".into(),
            );
            l.oom_kill_disable = false;
        }
        if l.oom_kill_disable && memory == 0 {
            warnings.push("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.".into());
        }
        l.cpu_period = self.cpu_period.unwrap_or(0);
        l.cpu_quota = self.cpu_quota.unwrap_or(0);
        check_cpu(nano_cpus.unwrap_or(0), l.cpu_period, l.cpu_quota)?;
        if let Some(c) = self.cpuset_cpus.as_deref().filter(|c| !c.is_empty()) {
            check_cpuset(c, &host.cpus, "cpus", "Requested CPUs are not available")?;
            l.cpuset_cpus = c.to_string();
        }
        if let Some(m) = self.cpuset_mems.as_deref().filter(|m| !m.is_empty()) {
            check_cpuset(
                m,
                &host.mems,
                "mems",
                "Requested memory nodes are not available",
            )?;
            l.cpuset_mems = m.to_string();
        }
        l.blkio_weight = self.blkio_weight.unwrap_or(0);
        if l.blkio_weight > 0 && !host.blkio_weight {
            warnings.push("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.".into());
            l.blkio_weight = 0;
        }
        check_blkio_weight(l.blkio_weight)?;
        if !l.blkio_weight_device.is_empty() && !host.blkio_weight_device {
            warnings.push("Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.".into());
            l.blkio_weight_device.clear();
        }
        for (list, what) in [
            (&mut l.device_read_bps, "BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded."),
            (&mut l.device_write_bps, "BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write limit discarded."),
            (&mut l.device_read_iops, "IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded."),
            (&mut l.device_write_iops, "IOPS Block write limit or the cgroup is not mounted. Block I/O IOPS write limit discarded."),
        ] {
            if !list.is_empty() && !host.throttle {
                warnings.push(format!("Your kernel does not support {what}"));
                list.clear();
            }
        }
        if let Some(adj) = self.oom_score_adj {
            if !(-1000..=1000).contains(&adj) {
                return Err(LimitError::Daemon(format!(
                    "Invalid value {adj}, range for oom score adj is [-1000, 1000]"
                )));
            }
            l.oom_score_adj = adj as i32;
        }
        Ok((l, warnings))
    }
}

/// What `--kernel-memory` (of `create`/`run` and `update`) prints: Docker
/// 23+ takes the flag and sets nothing.
pub const KERNEL_MEMORY_IGNORED: &str =
    "--kernel-memory is ignored: kernel memory limits were removed in Docker 23 (API 1.42) and by the kernel";

fn ram_flag(flag: &'static str, v: &str) -> Result<i64, LimitError> {
    crate::format::units::parse_size(v).map_err(|e| LimitError::Flag {
        flag,
        value: v.to_string(),
        reason: e.to_string(),
    })
}

/// moby's checks of `--memory-reservation` against itself and `-m`.
pub fn check_reservation(memory: i64, reservation: i64) -> Result<(), LimitError> {
    if reservation > 0 && reservation < MIN_MEMORY {
        return Err(daemon("Minimum memory reservation allowed is 6MB"));
    }
    if memory > 0 && reservation > 0 && memory < reservation {
        return Err(daemon(
            "Minimum memory limit can not be less than memory reservation limit, see usage",
        ));
    }
    Ok(())
}

/// moby's CFS checks, shared by `update` (with the merged values).
pub fn check_cpu(nano_cpus: i64, period: i64, quota: i64) -> Result<(), LimitError> {
    if nano_cpus > 0 && period > 0 {
        return Err(daemon(
            "Conflicting options: Nano CPUs and CPU Period cannot both be set",
        ));
    }
    if nano_cpus > 0 && quota > 0 {
        return Err(daemon(
            "Conflicting options: Nano CPUs and CPU Quota cannot both be set",
        ));
    }
    if period != 0 && !(1000..=1_000_000).contains(&period) {
        return Err(daemon(
            "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
        ));
    }
    if quota > 0 && quota < 1000 {
        return Err(daemon("CPU cfs quota can not be less than 1ms (i.e. 1000)"));
    }
    Ok(())
}

/// moby's range check of `--blkio-weight`.
pub fn check_blkio_weight(w: u16) -> Result<(), LimitError> {
    if w > 0 && !(10..=1000).contains(&w) {
        return Err(daemon("Range of blkio weight is from 10 to 1000"));
    }
    Ok(())
}

/// A cpuset list (`0-2,4`) against what the host offers.
pub fn check_cpuset(
    given: &str,
    available: &str,
    what: &str,
    unavailable: &str,
) -> Result<(), LimitError> {
    let want = parse_list(given)
        .map_err(|e| LimitError::Daemon(format!("Invalid value {given} for cpuset {what}: {e}")))?;
    let have = parse_list(available).unwrap_or_default();
    if !want.is_subset(&have) {
        return Err(LimitError::Daemon(format!(
            "{unavailable} - requested {given}, available: {available}"
        )));
    }
    Ok(())
}

/// docker's `parsers.ParseUintList`: `0-3,5`.
pub fn parse_list(s: &str) -> Result<BTreeSet<u32>, String> {
    let invalid = || format!("invalid format: {s}");
    let mut out = BTreeSet::new();
    if s.is_empty() {
        return Ok(out);
    }
    for part in s.split(',') {
        match part.split_once('-') {
            None => {
                out.insert(part.parse().map_err(|_| invalid())?);
            }
            Some((a, b)) => {
                let a: u32 = a.parse().map_err(|_| invalid())?;
                let b: u32 = b.parse().map_err(|_| invalid())?;
                if b < a || b - a > 1 << 16 {
                    return Err(invalid());
                }
                out.extend(a..=b);
            }
        }
    }
    Ok(out)
}

/// A device path's major and minor numbers (any device node, as docker).
fn major_minor(flag: &'static str, path: &str) -> Result<(i64, i64), LimitError> {
    let st = rustix::fs::stat(path).map_err(|e| LimitError::Device {
        flag,
        path: path.to_string(),
        reason: e.to_string(),
    })?;
    Ok((
        rustix::fs::major(st.st_rdev) as i64,
        rustix::fs::minor(st.st_rdev) as i64,
    ))
}

/// Write the limits into `r` (the memory and CPU parts `-m`/`--cpus`/
/// `--cpu-shares` set already are kept).
pub fn apply(l: &Limits, r: &mut LinuxResources) -> Result<(), LimitError> {
    if l.memory_reservation > 0 || l.memory_swappiness.is_some() || l.oom_kill_disable {
        let mut m = r.memory().unwrap_or_default();
        if l.memory_reservation > 0 {
            m.set_reservation(Some(l.memory_reservation));
        }
        if let Some(s) = l.memory_swappiness {
            m.set_swappiness(Some(s as u64));
        }
        if l.oom_kill_disable {
            m.set_disable_oom_killer(Some(true));
        }
        r.set_memory(Some(m));
    }
    if l.cpu_period != 0
        || l.cpu_quota != 0
        || !l.cpuset_cpus.is_empty()
        || !l.cpuset_mems.is_empty()
    {
        let mut c = r.cpu().clone().unwrap_or_default();
        if l.cpu_period != 0 {
            c.set_period(Some(l.cpu_period as u64));
        }
        if l.cpu_quota != 0 {
            c.set_quota(Some(l.cpu_quota));
        }
        if !l.cpuset_cpus.is_empty() {
            c.set_cpus(Some(l.cpuset_cpus.clone()));
        }
        if !l.cpuset_mems.is_empty() {
            c.set_mems(Some(l.cpuset_mems.clone()));
        }
        r.set_cpu(Some(c));
    }
    let throttle = |flag, list: &[ThrottleDevice]| -> Result<_, LimitError> {
        let mut out = Vec::new();
        for d in list {
            let (major, minor) = major_minor(flag, &d.path)?;
            let t = LinuxThrottleDeviceBuilder::default()
                .major(major)
                .minor(minor)
                .rate(d.rate)
                .build()
                .expect("every field is set");
            out.push(t);
        }
        Ok((!out.is_empty()).then_some(out))
    };
    let mut weights = Vec::new();
    for d in &l.blkio_weight_device {
        let (major, minor) = major_minor("--blkio-weight-device", &d.path)?;
        let w = LinuxWeightDeviceBuilder::default()
            .major(major)
            .minor(minor)
            .weight(d.weight)
            .build()
            .expect("every field is set");
        weights.push(w);
    }
    let mut b = LinuxBlockIo::default();
    b.set_weight((l.blkio_weight > 0).then_some(l.blkio_weight))
        .set_weight_device((!weights.is_empty()).then_some(weights))
        .set_throttle_read_bps_device(throttle("--device-read-bps", &l.device_read_bps)?)
        .set_throttle_write_bps_device(throttle("--device-write-bps", &l.device_write_bps)?)
        .set_throttle_read_iops_device(throttle("--device-read-iops", &l.device_read_iops)?)
        .set_throttle_write_iops_device(throttle("--device-write-iops", &l.device_write_iops)?);
    if b != LinuxBlockIo::default() {
        r.set_block_io(Some(b));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> LimitHost {
        LimitHost {
            cgroup_v2: false,
            swappiness: true,
            oom_kill_disable: true,
            blkio_weight: false,
            blkio_weight_device: false,
            throttle: true,
            cpus: "0-1".into(),
            mems: "0".into(),
        }
    }

    fn refuse(f: LimitFlags, memory: Option<i64>, nano: Option<i64>) -> String {
        f.validate(memory, nano, &host()).unwrap_err().to_string()
    }

    #[test]
    fn docker_messages() {
        let d = LimitFlags::default;
        assert_eq!(
            refuse(
                LimitFlags {
                    memory_swappiness: Some(101),
                    ..d()
                },
                None,
                None
            ),
            "Invalid value: 101, valid memory swappiness range is 0-100"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    memory_reservation: Some("1m".into()),
                    ..d()
                },
                None,
                None
            ),
            "Minimum memory reservation allowed is 6MB"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    memory_reservation: Some("64m".into()),
                    ..d()
                },
                Some(32 << 20),
                None
            ),
            "Minimum memory limit can not be less than memory reservation limit, see usage"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    cpu_period: Some(50000),
                    ..d()
                },
                None,
                Some(1_000_000_000)
            ),
            "Conflicting options: Nano CPUs and CPU Period cannot both be set"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    cpu_period: Some(999),
                    ..d()
                },
                None,
                None
            ),
            "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    cpu_quota: Some(10),
                    ..d()
                },
                None,
                None
            ),
            "CPU cfs quota can not be less than 1ms (i.e. 1000)"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    cpuset_cpus: Some("0-7".into()),
                    ..d()
                },
                None,
                None
            ),
            "Requested CPUs are not available - requested 0-7, available: 0-1"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    cpuset_mems: Some("1".into()),
                    ..d()
                },
                None,
                None
            ),
            "Requested memory nodes are not available - requested 1, available: 0"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    cpuset_cpus: Some("a".into()),
                    ..d()
                },
                None,
                None
            ),
            "Invalid value a for cpuset cpus: invalid format: a"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    oom_score_adj: Some(1001),
                    ..d()
                },
                None,
                None
            ),
            "Invalid value 1001, range for oom score adj is [-1000, 1000]"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    blkio_weight_device: vec!["sda:100".into()],
                    ..d()
                },
                None,
                None
            ),
            "invalid argument \"sda:100\" for \"--blkio-weight-device\" flag: bad format for device path: sda:100"
        );
        assert_eq!(
            refuse(
                LimitFlags {
                    device_read_iops: vec!["/dev/sda:1k".into()],
                    ..d()
                },
                None,
                None
            ),
            "invalid argument \"/dev/sda:1k\" for \"--device-read-iops\" flag: invalid rate for device: /dev/sda:1k. The correct format is <device-path>:<number>. Number must be a positive integer"
        );
        assert!(refuse(
            LimitFlags {
                cpu_rt_runtime: Some(950000),
                ..d()
            },
            None,
            None
        )
        .contains("real-time"));
    }

    #[test]
    fn warnings_where_moby_discards() {
        let (l, w) = LimitFlags {
            blkio_weight: Some(300),
            oom_kill_disable: true,
            kernel_memory: Some("10m".into()),
            device_write_bps: vec!["/dev/null:1mb".into()],
            ..Default::default()
        }
        .validate(None, None, &host())
        .unwrap();
        assert_eq!(l.blkio_weight, 0);
        assert!(l.oom_kill_disable);
        assert_eq!(l.device_write_bps[0].rate, 1 << 20);
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[1].starts_with("OOM killer is disabled"));
        assert!(w[2].contains("Weight discarded"));
    }

    #[test]
    fn limits_reach_the_oci_resources() {
        let l = Limits {
            memory_reservation: 32 << 20,
            memory_swappiness: Some(10),
            cpu_period: 50000,
            cpu_quota: 25000,
            cpuset_cpus: "0".into(),
            device_read_bps: vec![ThrottleDevice {
                path: "/dev/null".into(),
                rate: 1024,
            }],
            oom_kill_disable: true,
            ..Default::default()
        };
        let mut r = LinuxResources::default();
        apply(&l, &mut r).unwrap();
        let m = r.memory().as_ref().unwrap();
        assert_eq!(m.reservation(), Some(32 << 20));
        assert_eq!(m.swappiness(), Some(10));
        assert_eq!(m.disable_oom_killer(), Some(true));
        let c = r.cpu().as_ref().unwrap();
        assert_eq!((c.period(), c.quota()), (Some(50000), Some(25000)));
        assert_eq!(c.cpus().as_deref(), Some("0"));
        let t = &r
            .block_io()
            .as_ref()
            .unwrap()
            .throttle_read_bps_device()
            .as_ref()
            .unwrap()[0];
        assert_eq!((t.major(), t.minor(), t.rate()), (1, 3, 1024));
        assert_eq!(parse_list("0-2,5").unwrap().len(), 4);
        assert!(parse_list("2-1").is_err());
    }
}
