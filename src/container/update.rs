//! `update` of a container's resource limits, live or not: docker's merge
//! rules (moby `container.UpdateContainer`: a zero value leaves a limit as
//! it is; `-m` above the swap limit needs `--memory-swap` too; `--cpus`
//! and the CFS period/quota exclude each other across updates), the merged
//! limits checked as at create, then — for a running or paused container —
//! applied by the runtime (`runc update --resources`) and written into the
//! bundle's `config.json` (the shim's restarts run that bundle), and only
//! then stored in the spec (so the next `start` builds the same). A
//! runtime failure changes nothing. A stopped container only has its spec
//! changed.

use super::lifecycle::{self, Container, ContainerLock, Host};
use super::state::Status;
use crate::runtime::limits::{self, LimitHost};
use crate::runtime::spec::{self as rspec, HostInfo, SpecOptions};
use crate::store::{containers, Store};
use anyhow::{bail, Context as _, Result};
use oci_spec::runtime::{LinuxPids, LinuxResources};

/// The resource flags of `update`, parsed; None (or docker's zero) keeps
/// the container's value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateRequest {
    pub memory: Option<i64>,
    /// Bytes, or -1 for unlimited swap.
    pub memory_swap: Option<i64>,
    pub memory_reservation: Option<i64>,
    pub nano_cpus: Option<i64>,
    pub cpu_shares: Option<i64>,
    pub cpu_period: Option<i64>,
    pub cpu_quota: Option<i64>,
    pub cpuset_cpus: Option<String>,
    pub cpuset_mems: Option<String>,
    /// 0 or negative: unlimited.
    pub pids_limit: Option<i64>,
    pub blkio_weight: Option<u16>,
}

impl UpdateRequest {
    pub fn is_empty(&self) -> bool {
        *self == UpdateRequest::default()
    }
}

/// The swap limit the container has now: docker stores twice the memory
/// when `-m` came without `--memory-swap`.
fn current_swap(spec: &super::spec::ContainerSpec) -> i64 {
    match (spec.memory.filter(|m| *m > 0), spec.memory_swap) {
        (_, Some(s)) if s != 0 => s,
        (Some(m), _) => m * 2,
        _ => 0,
    }
}

/// Merge `req` into a copy of the container's spec with moby's rules and
/// check the result; returns it with moby's warnings.
pub fn merge(
    spec: &super::spec::ContainerSpec,
    req: &UpdateRequest,
    host: &LimitHost,
) -> Result<(super::spec::ContainerSpec, Vec<String>)> {
    let mut next = spec.clone();
    let mut warnings = Vec::new();
    let nano_now = spec.nano_cpus.unwrap_or(0);
    let nano = req.nano_cpus.unwrap_or(0);
    let period = req.cpu_period.unwrap_or(0);
    let quota = req.cpu_quota.unwrap_or(0);
    if nano > 0 && spec.limits.cpu_period > 0 {
        bail!(
            "Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set"
        );
    }
    if nano > 0 && spec.limits.cpu_quota > 0 {
        bail!("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
    }
    if period > 0 && nano_now > 0 {
        bail!("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
    }
    if quota > 0 && nano_now > 0 {
        bail!("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
    }
    if let Some(w) = req.blkio_weight.filter(|w| *w != 0) {
        if host.blkio_weight {
            next.limits.blkio_weight = w;
        } else {
            warnings.push("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.".into());
        }
    }
    if let Some(s) = req.cpu_shares.filter(|s| *s != 0) {
        next.cpu_shares = Some(s);
    }
    if nano != 0 {
        next.nano_cpus = Some(nano);
    }
    if period != 0 {
        next.limits.cpu_period = period;
    }
    if quota != 0 {
        next.limits.cpu_quota = quota;
    }
    if let Some(c) = req.cpuset_cpus.as_deref().filter(|c| !c.is_empty()) {
        next.limits.cpuset_cpus = c.to_string();
    }
    if let Some(m) = req.cpuset_mems.as_deref().filter(|m| !m.is_empty()) {
        next.limits.cpuset_mems = m.to_string();
    }
    let swap = req.memory_swap.unwrap_or(0);
    if let Some(m) = req.memory.filter(|m| *m != 0) {
        // -1 (unlimited swap) is never smaller than a memory limit.
        let now = current_swap(spec);
        if now != -1 && m > now && swap == 0 {
            bail!("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }
        next.memory = Some(m);
        if spec.memory_swap.is_none() && swap == 0 && now > 0 {
            // Keep the swap limit the container runs with.
            next.memory_swap = Some(now);
        }
    }
    if swap != 0 {
        next.memory_swap = Some(swap);
    }
    if let Some(r) = req.memory_reservation.filter(|r| *r != 0) {
        next.limits.memory_reservation = r;
    }
    if let Some(p) = req.pids_limit {
        next.pids_limit = (p > 0).then_some(p);
    }
    rspec::check_memory(next.memory, next.memory_swap)?;
    limits::check_reservation(next.memory.unwrap_or(0), next.limits.memory_reservation)?;
    limits::check_cpu(
        next.nano_cpus.unwrap_or(0),
        next.limits.cpu_period,
        next.limits.cpu_quota,
    )?;
    limits::check_blkio_weight(next.limits.blkio_weight)?;
    if req.cpuset_cpus.as_deref().is_some_and(|c| !c.is_empty()) {
        limits::check_cpuset(
            &next.limits.cpuset_cpus,
            &host.cpus,
            "cpus",
            "Requested CPUs are not available",
        )?;
    }
    if req.cpuset_mems.as_deref().is_some_and(|m| !m.is_empty()) {
        limits::check_cpuset(
            &next.limits.cpuset_mems,
            &host.mems,
            "mems",
            "Requested memory nodes are not available",
        )?;
    }
    Ok((next, warnings))
}

/// The cgroup limits a spec asks for (the same as a start builds).
fn resources(spec: &super::spec::ContainerSpec, host: HostInfo) -> Result<LinuxResources> {
    let mut o = SpecOptions::with_host("update", "/", host);
    o.memory = spec.memory;
    o.memory_swap = spec.memory_swap;
    o.nano_cpus = spec.nano_cpus;
    o.cpu_shares = spec.cpu_shares.map(|s| s as u64);
    o.pids_limit = spec.pids_limit;
    o.limits = spec.limits.clone();
    Ok(rspec::cgroup_resources(&o)?)
}

/// What the runtime is told: every limit, with explicit "unlimited" for
/// the ones that may have been lifted (no CFS quota, no pids limit), since
/// a field left out keeps the cgroup's current value.
fn runtime_resources(r: &LinuxResources) -> LinuxResources {
    let mut out = r.clone();
    let mut cpu = r.cpu().clone().unwrap_or_default();
    if cpu.quota().is_none() {
        cpu.set_quota(Some(-1));
    }
    out.set_cpu(Some(cpu));
    let mut pids = LinuxPids::default();
    pids.set_limit(r.pids().map(|p| p.limit()).unwrap_or(-1));
    out.set_pids(Some(pids));
    out.set_devices(None);
    out
}

/// Put the new limits into the bundle's `config.json`, keeping its device
/// rules (the shim runs this bundle again on a restart). Patched as JSON:
/// decoding a whole OCI `Spec` would link its deserializer into every berth
/// process, the shims included.
fn patch_bundle(host: &Host, id: &str, r: &LinuxResources) -> Result<()> {
    let path = host.bundle_dir(id).join("config.json");
    let Ok(text) = std::fs::read(&path) else {
        // Not written yet (a start under way builds it from the spec).
        return Ok(());
    };
    let mut spec: serde_json::Value =
        serde_json::from_slice(&text).with_context(|| format!("reading {}", path.display()))?;
    let new = serde_json::to_value(r)?;
    if let Some(res) = spec
        .get_mut("linux")
        .and_then(|l| l.as_object_mut())
        .map(|l| {
            l.entry("resources")
                .or_insert_with(|| serde_json::json!({}))
        })
        .and_then(|r| r.as_object_mut())
    {
        for key in ["memory", "cpu", "pids", "blockIO"] {
            match new.get(key) {
                Some(v) => res.insert(key.to_string(), v.clone()),
                None => res.remove(key),
            };
        }
    }
    let json = serde_json::to_vec_pretty(&spec)?;
    crate::sys::fs::write_atomic(&path, &json)?;
    Ok(())
}

/// Update one container under its lock; returns moby's warnings.
pub fn update(
    host: &Host,
    store: &mut Store,
    lock: &ContainerLock,
    c: &mut Container,
    req: &UpdateRequest,
) -> Result<Vec<String>> {
    lock.holds(c)?;
    lifecycle::refresh(host, store, c)?;
    if matches!(c.row.status, Status::Removing | Status::Dead) {
        bail!("container is marked for removal and cannot be \"update\"");
    }
    let (next, warnings) = merge(&c.spec, req, &LimitHost::detect())?;
    let r = resources(&next, HostInfo::detect())?;
    if matches!(c.row.status, Status::Running | Status::Paused) {
        let rt = host.runtime(&c.spec.runtime)?;
        rt.update(&c.row.id, &runtime_resources(&r))?;
    }
    if matches!(
        c.row.status,
        Status::Running | Status::Paused | Status::Restarting
    ) {
        patch_bundle(host, &c.row.id, &r)?;
    }
    c.spec = next;
    let json = c.spec.to_json()?;
    store.write(|tx| containers::set_spec(tx, &c.row.id, &json))?;
    host.emit(&c.row, &c.spec, "update", &[]);
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::spec::ContainerSpec;

    fn host() -> LimitHost {
        LimitHost {
            cgroup_v2: false,
            swappiness: true,
            oom_kill_disable: true,
            blkio_weight: true,
            blkio_weight_device: true,
            throttle: true,
            cpus: "0-1".into(),
            mems: "0".into(),
        }
    }

    fn refuse(spec: &ContainerSpec, req: UpdateRequest) -> String {
        merge(spec, &req, &host()).unwrap_err().to_string()
    }

    #[test]
    fn moby_merge_rules() {
        let none = ContainerSpec::default();
        // No memory limit: no swap limit either, so -m alone is refused.
        assert_eq!(
            refuse(
                &none,
                UpdateRequest {
                    memory: Some(64 << 20),
                    ..Default::default()
                }
            ),
            "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time"
        );
        let (s, _) = merge(
            &none,
            &UpdateRequest {
                memory: Some(64 << 20),
                memory_swap: Some(-1),
                pids_limit: Some(20),
                ..Default::default()
            },
            &host(),
        )
        .unwrap();
        assert_eq!(
            (s.memory, s.memory_swap, s.pids_limit),
            (Some(64 << 20), Some(-1), Some(20))
        );
        // -m 64m alone means 128m of memory+swap: 100m fits.
        let m64 = ContainerSpec {
            memory: Some(64 << 20),
            nano_cpus: Some(500_000_000),
            pids_limit: Some(20),
            ..Default::default()
        };
        let (s, _) = merge(
            &m64,
            &UpdateRequest {
                memory: Some(100 << 20),
                pids_limit: Some(-1),
                ..Default::default()
            },
            &host(),
        )
        .unwrap();
        assert_eq!(
            (s.memory, s.memory_swap, s.pids_limit),
            (Some(100 << 20), Some(128 << 20), None)
        );
        assert_eq!(
            refuse(
                &m64,
                UpdateRequest {
                    cpu_quota: Some(50000),
                    ..Default::default()
                }
            ),
            "Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set"
        );
        assert_eq!(
            refuse(
                &m64,
                UpdateRequest {
                    memory_reservation: Some(128 << 20),
                    ..Default::default()
                }
            ),
            "Minimum memory limit can not be less than memory reservation limit, see usage"
        );
        assert_eq!(
            refuse(
                &m64,
                UpdateRequest {
                    cpuset_cpus: Some("5".into()),
                    ..Default::default()
                }
            ),
            "Requested CPUs are not available - requested 5, available: 0-1"
        );
        assert_eq!(
            refuse(
                &m64,
                UpdateRequest {
                    blkio_weight: Some(5),
                    ..Default::default()
                }
            ),
            "Range of blkio weight is from 10 to 1000"
        );
    }

    #[test]
    fn the_runtime_is_told_what_was_lifted() {
        let r = resources(
            &ContainerSpec {
                memory: Some(64 << 20),
                ..Default::default()
            },
            HostInfo::detect(),
        )
        .unwrap();
        let rr = runtime_resources(&r);
        assert_eq!(rr.pids().unwrap().limit(), -1);
        assert_eq!(rr.cpu().as_ref().unwrap().quota(), Some(-1));
        assert_eq!(rr.memory().unwrap().limit(), Some(64 << 20));
    }
}
