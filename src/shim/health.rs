//! Healthchecks, run by the shim (Docker's `daemon/health.go` semantics).
//!
//! [`Healthcheck`] is Docker's `HealthConfig` as it is stored (the
//! container's spec, the image's config, `inspect`'s `Config.Healthcheck`):
//! `Test` (`["CMD", ...]`, `["CMD-SHELL", "..."]`, `["NONE"]`, or empty to
//! inherit), durations in nanoseconds where 0 means "inherit / default", and
//! `Retries`. [`Healthcheck::merge`] is the daemon's merge of the container's
//! settings over the image's; [`HealthConfig`] is the result with the
//! defaults applied, handed to the shim in `shim.json`.
//!
//! The shim's side is [`Monitor`]: a timer (start interval inside the start
//! period while the status is `starting`, the interval otherwise), one probe
//! at a time — a `runc exec` of the test in the container, its output (both
//! streams, capped at [`MAX_OUTPUT`] bytes) read through one pipe, killed at
//! the timeout (exit code -1 and Docker's "Health check exceeded timeout"
//! text) — and the result bookkeeping of [`Health::record`]. The state is
//! `<state-dir>/health.json`, replaced atomically after every probe, so any
//! CLI reads it (`inspect`'s `State.Health`, `ps`'s `(healthy)`).

use crate::sys::process::{self as sp, WaitStatus};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io;
use std::os::unix::io::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

pub const HEALTH_FILE: &str = "health.json";
/// The process spec the probes run with (the container's, new args).
const PROCESS_FILE: &str = "health-process.json";
const PID_FILE: &str = "health-exec.pid";
const LOG_FILE: &str = "health-exec.log";

/// Docker's defaults for zero durations and retries.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_START_INTERVAL: Duration = Duration::from_secs(5);
pub const DEFAULT_RETRIES: u32 = 3;
/// Docker keeps this many results.
pub const MAX_LOG: usize = 5;
/// Docker keeps this much of a probe's output.
pub const MAX_OUTPUT: usize = 4096;
/// The shortest non-zero duration Docker accepts.
pub const MIN_DURATION_NS: i64 = 1_000_000;

/// Docker's `HealthConfig` (JSON names and nanosecond durations as Docker's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub interval: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub timeout: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_period: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_interval: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl Healthcheck {
    /// The daemon's merge: the container's test and each non-zero setting
    /// win; what the container leaves empty comes from the image.
    pub fn merge(user: Option<&Healthcheck>, image: Option<&Healthcheck>) -> Option<Healthcheck> {
        let Some(user) = user else {
            return image.cloned();
        };
        let Some(image) = image else {
            return Some(user.clone());
        };
        let pick = |u: i64, i: i64| if u == 0 { i } else { u };
        Some(Healthcheck {
            test: if user.test.is_empty() {
                image.test.clone()
            } else {
                user.test.clone()
            },
            interval: pick(user.interval, image.interval),
            timeout: pick(user.timeout, image.timeout),
            start_period: pick(user.start_period, image.start_period),
            start_interval: pick(user.start_interval, image.start_interval),
            retries: pick(user.retries, image.retries),
        })
    }

    /// The image config's `Healthcheck` (a JSON value), if it parses.
    pub fn from_image(v: Option<&serde_json::Value>) -> Option<Healthcheck> {
        v.and_then(|v| serde_json::from_value(v.clone()).ok())
    }

    /// Docker's daemon-side checks (`validateHealthCheck`).
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("Interval", self.interval),
            ("Timeout", self.timeout),
            ("StartPeriod", self.start_period),
            ("StartInterval", self.start_interval),
        ] {
            if v != 0 && v < MIN_DURATION_NS {
                return Err(format!("{name} in Healthcheck cannot be less than 1ms"));
            }
        }
        if self.retries < 0 {
            return Err("Retries in Healthcheck cannot be negative".into());
        }
        Ok(())
    }

    /// What the shim runs, with the defaults applied; None when there is
    /// nothing to run (no test, or `NONE`).
    pub fn resolve(
        &self,
        on_failure: OnFailure,
        stop_signal: i32,
        stop_timeout: Duration,
    ) -> Option<HealthConfig> {
        let probe = match self.test.first().map(String::as_str) {
            Some("CMD") if self.test.len() > 1 => self.test[1..].to_vec(),
            Some("CMD-SHELL") if self.test.len() > 1 => {
                vec!["/bin/sh".into(), "-c".into(), self.test[1..].join(" ")]
            }
            _ => return None,
        };
        let d = |ns: i64, default: Duration| {
            if ns <= 0 {
                default
            } else {
                Duration::from_nanos(ns as u64)
            }
        };
        Some(HealthConfig {
            probe,
            interval: d(self.interval, DEFAULT_INTERVAL),
            timeout: d(self.timeout, DEFAULT_TIMEOUT),
            start_period: d(self.start_period, Duration::ZERO),
            start_interval: d(self.start_interval, DEFAULT_START_INTERVAL),
            retries: if self.retries <= 0 {
                DEFAULT_RETRIES
            } else {
                u32::try_from(self.retries).unwrap_or(u32::MAX)
            },
            on_failure,
            stop_signal,
            stop_timeout,
        })
    }
}

/// podman's `--health-on-failure`: what happens when the container turns
/// unhealthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnFailure {
    #[default]
    None,
    Kill,
    Restart,
    Stop,
}

impl std::str::FromStr for OnFailure {
    type Err = String;

    fn from_str(s: &str) -> Result<OnFailure, String> {
        Ok(match s {
            "none" => OnFailure::None,
            "kill" => OnFailure::Kill,
            "restart" => OnFailure::Restart,
            "stop" => OnFailure::Stop,
            other => {
                return Err(format!(
                    "invalid health-on-failure action \"{other}\": use one of none, kill, restart, stop"
                ))
            }
        })
    }
}

impl OnFailure {
    pub fn is_none(&self) -> bool {
        *self == OnFailure::None
    }
}

/// A resolved healthcheck, as the shim runs it (in `shim.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthConfig {
    /// The argv run in the container.
    pub probe: Vec<String>,
    pub interval: Duration,
    pub timeout: Duration,
    pub start_period: Duration,
    pub start_interval: Duration,
    pub retries: u32,
    #[serde(default)]
    pub on_failure: OnFailure,
    /// The container's stop signal and timeout (`--health-on-failure stop`).
    pub stop_signal: i32,
    pub stop_timeout: Duration,
}

/// Docker's `Health.Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Starting,
    Healthy,
    Unhealthy,
}

impl HealthStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Starting => "starting",
            HealthStatus::Healthy => "healthy",
            HealthStatus::Unhealthy => "unhealthy",
        }
    }

    /// The suffix of `ps`'s status column.
    pub fn ps_suffix(self) -> &'static str {
        match self {
            HealthStatus::Starting => " (health: starting)",
            HealthStatus::Healthy => " (healthy)",
            HealthStatus::Unhealthy => " (unhealthy)",
        }
    }
}

/// One probe's result, as Docker's `HealthcheckResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProbeResult {
    pub start: String,
    pub end: String,
    pub exit_code: i32,
    pub output: String,
}

/// Docker's `State.Health`; the content of `health.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Health {
    pub status: HealthStatus,
    pub failing_streak: u32,
    pub log: VecDeque<ProbeResult>,
}

impl Default for Health {
    fn default() -> Health {
        Health {
            status: HealthStatus::Starting,
            failing_streak: 0,
            log: VecDeque::new(),
        }
    }
}

impl Health {
    /// Record a result (`handleProbeResult`): exit 0 is healthy and resets
    /// the streak; a failure while `starting` inside the start period does
    /// not count; `retries` counted failures make it unhealthy. Returns the
    /// new status when it changed.
    pub fn record(
        &mut self,
        r: ProbeResult,
        in_start_period: bool,
        retries: u32,
    ) -> Option<HealthStatus> {
        let old = self.status;
        let ok = r.exit_code == 0;
        if self.log.len() >= MAX_LOG {
            self.log.pop_front();
        }
        self.log.push_back(r);
        if ok {
            self.failing_streak = 0;
            self.status = HealthStatus::Healthy;
        } else if !(self.status == HealthStatus::Starting && in_start_period) {
            self.failing_streak += 1;
            if self.failing_streak >= retries {
                self.status = HealthStatus::Unhealthy;
            }
        }
        (self.status != old).then_some(self.status)
    }

    /// A new run starts: `starting` again with no streak (the log stays,
    /// as Docker keeps it across restarts).
    pub fn restart(&mut self) {
        self.status = HealthStatus::Starting;
        self.failing_streak = 0;
    }

    pub fn publish(&self, dir: &Path) -> io::Result<()> {
        let mut body = serde_json::to_vec(self).map_err(io::Error::other)?;
        body.push(b'\n');
        Ok(crate::sys::fs::write_atomic_nosync(
            &dir.join(HEALTH_FILE),
            &body,
        )?)
    }

    /// `<dir>/health.json`, None when there is none (or it does not parse).
    pub fn read(dir: &Path) -> Option<Health> {
        let b = std::fs::read(dir.join(HEALTH_FILE)).ok()?;
        serde_json::from_slice(&b).ok()
    }
}

/// Go's `time.Duration.String()` for the durations a healthcheck uses.
pub fn go_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns == 0 {
        return "0s".into();
    }
    if ns < 1_000 {
        return format!("{ns}ns");
    }
    if ns < 1_000_000 {
        return format!("{}µs", trim_frac(ns, 1_000));
    }
    if ns < 1_000_000_000 {
        return format!("{}ms", trim_frac(ns, 1_000_000));
    }
    let mut out = String::new();
    let total_s = ns / 1_000_000_000;
    let frac = ns % 1_000_000_000;
    let (h, m, s) = (total_s / 3600, (total_s / 60) % 60, total_s % 60);
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&trim_frac(s * 1_000_000_000 + frac, 1_000_000_000));
    out.push('s');
    out
}

fn trim_frac(n: u128, unit: u128) -> String {
    let whole = n / unit;
    let frac = n % unit;
    if frac == 0 {
        return whole.to_string();
    }
    let width = unit.ilog10() as usize;
    let f = format!("{frac:0width$}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}

/// A probe in flight.
struct Probe {
    /// The `runc exec` process (our child).
    pid: i32,
    out: Option<OwnedFd>,
    output: Vec<u8>,
    start: SystemTime,
    deadline: Instant,
    status: Option<WaitStatus>,
    timed_out: bool,
}

/// What the shim must do after a probe's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Nothing,
    /// The status changed to this (an event).
    Changed(HealthStatus),
}

/// The shim's health monitor for one container (across its runs).
pub struct Monitor {
    pub cfg: HealthConfig,
    pub health: Health,
    state_dir: PathBuf,
    runtime: PathBuf,
    runtime_root: PathBuf,
    id: String,
    run_started: Instant,
    next: Option<Instant>,
    probe: Option<Probe>,
    /// A probe started or ended since the shim last looked.
    pub activity: bool,
}

impl Monitor {
    pub fn new(
        cfg: HealthConfig,
        state_dir: PathBuf,
        runtime: PathBuf,
        root: PathBuf,
        id: String,
    ) -> Monitor {
        Monitor {
            cfg,
            health: Health::default(),
            state_dir,
            runtime,
            runtime_root: root,
            id,
            run_started: Instant::now(),
            next: None,
            probe: None,
            activity: false,
        }
    }

    /// A run started: reset to `starting`, publish, schedule the first probe.
    pub fn run_started(&mut self, bundle: &Path) {
        self.health.restart();
        self.run_started = Instant::now();
        if let Err(e) = write_process(bundle, &self.state_dir, &self.cfg.probe) {
            eprintln!("shim {}: healthcheck process spec: {e}", self.id);
        }
        self.publish();
        self.next = Some(Instant::now() + self.interval());
    }

    /// The run ended: no more probes (one in flight is killed; its runc is
    /// reaped by the shim's loop).
    pub fn run_ended(&mut self) {
        self.next = None;
        if let Some(p) = self.probe.take() {
            if p.status.is_none() {
                kill(p.pid);
            }
        }
    }

    fn publish(&self) {
        if let Err(e) = self.health.publish(&self.state_dir) {
            eprintln!("shim {}: publishing the health state: {e}", self.id);
        }
    }

    /// `getInterval`: the start interval while starting inside the start
    /// period, the interval otherwise.
    fn interval(&self) -> Duration {
        if self.run_started.elapsed() < self.cfg.start_period
            && self.health.status == HealthStatus::Starting
        {
            self.cfg.start_interval
        } else {
            self.cfg.interval
        }
    }

    /// The next moment the monitor needs the loop to wake up.
    pub fn deadline(&self) -> Option<Instant> {
        match &self.probe {
            Some(p) if !p.timed_out => Some(p.deadline),
            Some(_) => None,
            None => self.next,
        }
    }

    /// The probe's output fd to poll.
    pub fn output_fd(&self) -> Option<i32> {
        self.probe
            .as_ref()
            .and_then(|p| p.out.as_ref())
            .map(AsRawFd::as_raw_fd)
    }

    /// Read what the probe's pipe has.
    pub fn read_output(&mut self) {
        let Some(p) = &mut self.probe else { return };
        read_pipe(p);
    }

    /// A child was reaped: is it the probe's runc?
    pub fn reaped(&mut self, pid: i32, st: WaitStatus) -> bool {
        match &mut self.probe {
            Some(p) if p.pid == pid => {
                p.status = Some(st);
                true
            }
            _ => false,
        }
    }

    /// Timers and a finished probe: start, time out or record probes.
    pub fn tick(&mut self) -> Action {
        let now = Instant::now();
        let mut action = Action::Nothing;
        if let Some(p) = &mut self.probe {
            if p.status.is_none() && !p.timed_out && now >= p.deadline {
                p.timed_out = true;
                // The process in the container first (runc then exits),
                // runc itself when it never wrote the pid.
                match std::fs::read_to_string(self.state_dir.join(PID_FILE))
                    .ok()
                    .and_then(|s| s.trim().parse::<i32>().ok())
                {
                    Some(pid) => {
                        kill(pid);
                    }
                    None => {
                        kill(p.pid);
                    }
                }
            }
            if p.status.is_some() {
                self.activity = true;
                let mut p = self.probe.take().expect("probe");
                read_pipe(&mut p);
                let result = self.result_of(p);
                let in_start = self.run_started.elapsed() < self.cfg.start_period;
                if let Some(s) = self.health.record(result, in_start, self.cfg.retries) {
                    action = Action::Changed(s);
                }
                self.publish();
                self.next = Some(Instant::now() + self.interval());
            }
        }
        if self.probe.is_none() && self.next.is_some_and(|t| now >= t) {
            self.next = None;
            self.activity = true;
            match self.spawn() {
                Ok(p) => self.probe = Some(p),
                Err(e) => {
                    let r = ProbeResult {
                        start: crate::shim::time::rfc3339_nano(SystemTime::now()),
                        end: crate::shim::time::rfc3339_nano(SystemTime::now()),
                        exit_code: -1,
                        output: format!("starting the healthcheck: {e}"),
                    };
                    let in_start = self.run_started.elapsed() < self.cfg.start_period;
                    if let Some(s) = self.health.record(r, in_start, self.cfg.retries) {
                        action = Action::Changed(s);
                    }
                    self.publish();
                    self.next = Some(Instant::now() + self.interval());
                }
            }
        }
        action
    }

    fn result_of(&self, p: Probe) -> ProbeResult {
        let end = crate::shim::time::rfc3339_nano(SystemTime::now());
        let start = crate::shim::time::rfc3339_nano(p.start);
        if p.timed_out {
            return ProbeResult {
                start,
                end,
                exit_code: -1,
                output: format!(
                    "Health check exceeded timeout ({})",
                    go_duration(self.cfg.timeout)
                ),
            };
        }
        let code = p.status.map_or(-1, WaitStatus::code);
        let mut output = String::from_utf8_lossy(&p.output).into_owned();
        let log = self.state_dir.join(LOG_FILE);
        if code != 0 && output.is_empty() {
            // The runtime could not run the probe: its own error.
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(e) = runtime_error(&text) {
                output = e;
            }
        }
        let _ = std::fs::remove_file(&log);
        ProbeResult {
            start,
            end,
            exit_code: code,
            output,
        }
    }

    /// `runc exec` of the probe, its stdout and stderr into one pipe.
    fn spawn(&self) -> io::Result<Probe> {
        let pid_file = self.state_dir.join(PID_FILE);
        let _ = std::fs::remove_file(&pid_file);
        let (r, w) = sp::pipe()?;
        sp::set_nonblocking(&r, true)?;
        let w2 = w.try_clone()?;
        let mut cmd = std::process::Command::new(&self.runtime);
        sp::reset_signals_in_child(&mut cmd);
        cmd.arg("--root")
            .arg(&self.runtime_root)
            .arg("--log")
            .arg(self.state_dir.join(LOG_FILE))
            .arg("--log-format")
            .arg("json")
            .arg("exec")
            .arg("--process")
            .arg(self.state_dir.join(PROCESS_FILE))
            .arg("--pid-file")
            .arg(&pid_file)
            .arg(&self.id)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::from(w))
            .stderr(std::process::Stdio::from(w2));
        let start = SystemTime::now();
        let child = cmd.spawn()?;
        // Dropping `cmd` closes our copies of the write end.
        drop(cmd);
        let pid = child.id() as i32;
        // The shim's loop reaps it (`reaped`), not `Child`.
        drop(child);
        Ok(Probe {
            pid,
            out: Some(r),
            output: Vec::new(),
            start,
            deadline: Instant::now() + self.cfg.timeout,
            status: None,
            timed_out: false,
        })
    }
}

/// The last error of the runtime's JSON log (`{"level":"error","msg":..}`).
fn runtime_error(log: &str) -> Option<String> {
    log.lines().rev().find_map(|l| {
        let v: serde_json::Value = serde_json::from_str(l).ok()?;
        (v["level"] == "error").then(|| v["msg"].as_str().map(str::to_string))?
    })
}

/// SIGKILL; a process already gone is fine.
fn kill(pid: i32) {
    use rustix::process::{kill_process, Pid, Signal};
    if let Some(p) = Pid::from_raw(pid) {
        let _ = kill_process(p, Signal::KILL);
    }
}

/// Read the probe's pipe until it would block or ends; keep at most
/// [`MAX_OUTPUT`] bytes (the rest is read and dropped).
fn read_pipe(p: &mut Probe) {
    let Some(fd) = &p.out else { return };
    let mut buf = [0u8; 4096];
    loop {
        match sp::read_fd(fd.as_raw_fd(), &mut buf) {
            Ok(0) => {
                p.out = None;
                return;
            }
            Ok(n) => {
                let room = MAX_OUTPUT.saturating_sub(p.output.len());
                p.output.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                // A reaped probe whose pipe stays open (a child of the
                // probe kept it): stop reading.
                if p.status.is_some() {
                    p.out = None;
                }
                return;
            }
            Err(_) => {
                p.out = None;
                return;
            }
        }
    }
}

/// The probe's process spec: the container's `process` with the probe's
/// argv and no terminal.
fn write_process(bundle: &Path, state_dir: &Path, probe: &[String]) -> io::Result<()> {
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("config.json"))?)
            .map_err(io::Error::other)?;
    let mut process = cfg
        .get("process")
        .cloned()
        .ok_or_else(|| io::Error::other("config.json has no process"))?;
    process["args"] = serde_json::json!(probe);
    process["terminal"] = serde_json::json!(false);
    if let Some(m) = process.as_object_mut() {
        m.remove("consoleSize");
    }
    let body = serde_json::to_vec(&process).map_err(io::Error::other)?;
    Ok(crate::sys::fs::write_atomic_nosync(
        &state_dir.join(PROCESS_FILE),
        &body,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(code: i32) -> ProbeResult {
        ProbeResult {
            start: String::new(),
            end: String::new(),
            exit_code: code,
            output: String::new(),
        }
    }

    #[test]
    fn merge_takes_the_image_where_the_container_is_empty() {
        let image = Healthcheck {
            test: vec!["CMD".into(), "true".into()],
            interval: 5,
            retries: 7,
            ..Default::default()
        };
        let user = Healthcheck {
            interval: 9,
            ..Default::default()
        };
        let m = Healthcheck::merge(Some(&user), Some(&image)).unwrap();
        assert_eq!(m.test, image.test);
        assert_eq!((m.interval, m.retries), (9, 7));
        assert_eq!(Healthcheck::merge(None, Some(&image)), Some(image.clone()));
        assert_eq!(Healthcheck::merge(None, None), None);
    }

    #[test]
    fn resolve_applies_defaults_and_none() {
        let h = Healthcheck {
            test: vec!["CMD-SHELL".into(), "test -f /x".into()],
            ..Default::default()
        };
        let c = h
            .resolve(OnFailure::None, 15, Duration::from_secs(10))
            .unwrap();
        assert_eq!(c.probe, ["/bin/sh", "-c", "test -f /x"]);
        assert_eq!(c.interval, DEFAULT_INTERVAL);
        assert_eq!(c.timeout, DEFAULT_TIMEOUT);
        assert_eq!(c.start_interval, DEFAULT_START_INTERVAL);
        assert_eq!(c.retries, 3);
        let none = Healthcheck {
            test: vec!["NONE".into()],
            ..Default::default()
        };
        assert!(none
            .resolve(OnFailure::None, 15, Duration::from_secs(10))
            .is_none());
    }

    #[test]
    fn validate_has_dockers_minimum() {
        let h = Healthcheck {
            interval: 999_999,
            ..Default::default()
        };
        assert_eq!(
            h.validate().unwrap_err(),
            "Interval in Healthcheck cannot be less than 1ms"
        );
    }

    #[test]
    fn record_follows_handle_probe_result() {
        let mut h = Health::default();
        // Failures inside the start period while starting do not count.
        assert_eq!(h.record(result(1), true, 2), None);
        assert_eq!(h.failing_streak, 0);
        assert_eq!(h.record(result(0), true, 2), Some(HealthStatus::Healthy));
        assert_eq!(h.record(result(1), true, 2), None);
        assert_eq!(h.failing_streak, 1);
        assert_eq!(h.record(result(1), false, 2), Some(HealthStatus::Unhealthy));
        assert_eq!(h.record(result(0), false, 2), Some(HealthStatus::Healthy));
        for _ in 0..10 {
            h.record(result(0), false, 2);
        }
        assert_eq!(h.log.len(), MAX_LOG);
        h.restart();
        assert_eq!(h.status, HealthStatus::Starting);
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(Duration::from_secs(30)), "30s");
        assert_eq!(go_duration(Duration::from_millis(500)), "500ms");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(go_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(go_duration(Duration::from_secs(3600)), "1h0m0s");
    }
}
