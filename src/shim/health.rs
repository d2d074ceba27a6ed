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
//! at a time, each in a child forked from the shim (so what it touches is
//! not the shim's resident memory) — a `runc exec` of the test in the
//! container, its output (both streams, capped at [`MAX_OUTPUT`] bytes)
//! read through one pipe, killed at the timeout (exit code -1 and Docker's
//! "Health check exceeded timeout" text) — and the result bookkeeping of
//! [`Health::record`]. The state is `<state-dir>/health.json`, replaced
//! atomically after every probe, so any CLI reads it (`inspect`'s
//! `State.Health`, `ps`'s `(healthy)`).

use crate::events::ContainerEvents;
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

/// The probe child's exit code: [`OUTCOME_BASE`] + the status after the
/// probe (0 starting, 1 healthy, 2 unhealthy) + 3 when the probe changed
/// it. Any other end (killed, failed to publish) changed nothing the
/// parent knows of.
const OUTCOME_BASE: i32 = 10;
/// The probe child could not publish its result.
const OUTCOME_FAILED: i32 = 1;
/// How long past the probe's timeout the parent waits for the probe child
/// (which enforces the timeout itself) before killing it.
const CHILD_GRACE: Duration = Duration::from_secs(10);

fn outcome_code(status: HealthStatus, changed: bool) -> i32 {
    let s = match status {
        HealthStatus::Starting => 0,
        HealthStatus::Healthy => 1,
        HealthStatus::Unhealthy => 2,
    };
    OUTCOME_BASE + s + if changed { 3 } else { 0 }
}

/// The status and whether it changed, from a probe child's end.
fn outcome(st: WaitStatus) -> Option<(HealthStatus, bool)> {
    let WaitStatus::Exited(c) = st else {
        return None;
    };
    let n = c.checked_sub(OUTCOME_BASE).filter(|n| (0..6).contains(n))?;
    let status = match n % 3 {
        0 => HealthStatus::Starting,
        1 => HealthStatus::Healthy,
        _ => HealthStatus::Unhealthy,
    };
    Some((status, n >= 3))
}

/// A probe child in flight (see [`Monitor`]).
struct ProbeChild {
    pid: i32,
    /// Past this the parent kills it (its own timeout failed).
    deadline: Instant,
    status: Option<WaitStatus>,
    killed: bool,
}

/// What the shim must do after a probe's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Nothing,
    /// The status changed to this (the child recorded the event).
    Changed(HealthStatus),
}

/// The shim's health monitor for one container (across its runs).
///
/// Each probe runs in a child forked (not exec'd) from the shim: it runs
/// the `runc exec`, enforces the timeout, records the result over the
/// published `health.json`, publishes it, records the `health_status`
/// event, and exits with [`outcome_code`]. The code a probe runs is
/// faulted into the child's address space, not the shim's, so the shim's
/// resident size does not follow its probes. The parent keeps only the
/// status (for the interval) and acts on a change (`--health-on-failure`).
pub struct Monitor {
    pub cfg: HealthConfig,
    status: HealthStatus,
    /// The state the first run starts from (a new shim starts afresh).
    seed: Option<Health>,
    state_dir: PathBuf,
    runtime: PathBuf,
    runtime_root: PathBuf,
    id: String,
    run_started: Instant,
    next: Option<Instant>,
    probe: Option<ProbeChild>,
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
            status: HealthStatus::Starting,
            seed: Some(Health::default()),
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

    /// A run started at `at` (the moment its `StartedAt` names): reset to
    /// `starting` (the log stays), publish, schedule the first probe.
    pub fn run_started(&mut self, bundle: &Path, at: Instant) {
        self.stop_probe();
        let mut health = self
            .seed
            .take()
            .unwrap_or_else(|| Health::read(&self.state_dir).unwrap_or_default());
        health.restart();
        self.status = health.status;
        self.run_started = at;
        if let Err(e) = write_process(bundle, &self.state_dir, &self.cfg.probe) {
            eprintln!("shim {}: healthcheck process spec: {e}", self.id);
        }
        if let Err(e) = health.publish(&self.state_dir) {
            eprintln!("shim {}: publishing the health state: {e}", self.id);
        }
        self.next = Some(Instant::now() + self.interval());
    }

    /// The run ended: no more probes; one in flight is killed with its
    /// runc and reaped, so it cannot publish after this.
    pub fn run_ended(&mut self) {
        self.next = None;
        self.stop_probe();
    }

    fn stop_probe(&mut self) {
        if let Some(p) = self.probe.take() {
            if p.status.is_none() {
                kill_group(p.pid);
                let _ = sp::wait_pid(p.pid);
            }
        }
    }

    /// `getInterval`: the start interval while starting inside the start
    /// period, the interval otherwise.
    fn interval(&self) -> Duration {
        if self.run_started.elapsed() < self.cfg.start_period
            && self.status == HealthStatus::Starting
        {
            self.cfg.start_interval
        } else {
            self.cfg.interval
        }
    }

    /// The next moment the monitor needs the loop to wake up.
    pub fn deadline(&self) -> Option<Instant> {
        match &self.probe {
            Some(p) if p.status.is_some() => Some(Instant::now()),
            Some(p) if !p.killed => Some(p.deadline),
            Some(_) => None,
            None => self.next,
        }
    }

    /// A probe child is in flight.
    pub fn probing(&self) -> bool {
        self.probe.is_some()
    }

    /// A child was reaped: is it the probe child?
    pub fn reaped(&mut self, pid: i32, st: WaitStatus) -> bool {
        match &mut self.probe {
            Some(p) if p.pid == pid => {
                p.status = Some(st);
                true
            }
            _ => false,
        }
    }

    /// Timers and a finished probe: start probes, act on their outcome.
    /// `events` records the probe's exec events and a `health_status`
    /// change (in the probe child).
    pub fn tick(&mut self, events: Option<&ContainerEvents>) -> Action {
        let now = Instant::now();
        let mut action = Action::Nothing;
        if let Some(p) = &mut self.probe {
            if p.status.is_none() && !p.killed && now >= p.deadline {
                eprintln!(
                    "shim {}: the healthcheck probe {} outlived its timeout: killed",
                    self.id, p.pid
                );
                kill_group(p.pid);
                p.killed = true;
            }
            if let Some(st) = p.status {
                self.probe = None;
                self.activity = true;
                match outcome(st) {
                    Some((status, changed)) => {
                        self.status = status;
                        if changed {
                            action = Action::Changed(status);
                        }
                    }
                    None => eprintln!(
                        "shim {}: a healthcheck probe ended without a result ({st:?})",
                        self.id
                    ),
                }
                self.next = Some(Instant::now() + self.interval());
            }
        }
        if self.probe.is_none() && self.next.is_some_and(|t| now >= t) {
            self.next = None;
            self.activity = true;
            match self.fork_probe(events) {
                Ok(pid) => {
                    self.probe = Some(ProbeChild {
                        pid,
                        deadline: Instant::now() + self.cfg.timeout + CHILD_GRACE,
                        status: None,
                        killed: false,
                    })
                }
                Err(e) => {
                    eprintln!("shim {}: forking a healthcheck probe: {e}", self.id);
                    self.next = Some(Instant::now() + self.interval());
                }
            }
        }
        action
    }

    /// Fork the probe child, in its own process group (so a kill reaches
    /// its runc too).
    fn fork_probe(&self, events: Option<&ContainerEvents>) -> io::Result<i32> {
        // The shim is single-threaded: it runs no thread after its own
        // fork, so no lock can be held in the child.
        match sp::fork_single_threaded()? {
            sp::Fork::Parent(pid) => {
                // Both sides set the group: whichever runs first wins the
                // race with a kill of the group.
                let _ = set_own_group(pid);
                Ok(pid)
            }
            sp::Fork::Child => {
                let _ = set_own_group(0);
                // The shim's descriptors (clients, the container's stdin,
                // the listener) must not stay open for the probe's life:
                // nothing here needs them, and the child never drops the
                // objects owning them (it leaves through `_exit`).
                let _ = sp::close_fds_from(3);
                let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.probe_child(events)
                }))
                .unwrap_or(OUTCOME_FAILED);
                sp::exit_immediately(code)
            }
        }
    }

    /// The probe child's work: run the probe (with moby's exec events:
    /// a probe is an exec), record its result over the published state,
    /// publish, record a status change; its exit code.
    fn probe_child(&self, events: Option<&ContainerEvents>) -> i32 {
        // moby: the probe's start against the run's StartedAt.
        let in_start = self.run_started.elapsed() < self.cfg.start_period;
        let exec_id = crate::events::random_id();
        if let Some(ev) = events {
            ev.emit_exec_start(&exec_id, &self.cfg.probe);
        }
        let (result, died) = self.probe_once();
        if let (Some(ev), Some(code)) = (events, died) {
            ev.emit_exec_die(&exec_id, code);
        }
        let mut health = Health::read(&self.state_dir).unwrap_or_default();
        let changed = health.record(result, in_start, self.cfg.retries);
        if let Err(e) = health.publish(&self.state_dir) {
            eprintln!("shim {}: publishing the health state: {e}", self.id);
            return OUTCOME_FAILED;
        }
        if let (Some(ev), Some(s)) = (events, changed) {
            ev.emit(&format!("health_status: {}", s.as_str()), &[]);
        }
        outcome_code(health.status, changed.is_some())
    }

    /// Run the probe once, with its timeout; and the exit code of its
    /// process when one ran (137 when the timeout killed it).
    fn probe_once(&self) -> (ProbeResult, Option<i32>) {
        let start = SystemTime::now();
        let ran = self.exec(Instant::now() + self.cfg.timeout);
        let end = crate::shim::time::rfc3339_nano(SystemTime::now());
        let start = crate::shim::time::rfc3339_nano(start);
        let log = self.state_dir.join(LOG_FILE);
        let died = match &ran {
            Ok((_, _, true)) => Some(128 + libc::SIGKILL),
            Ok((st, _, false)) => Some(st.code()),
            Err(_) => None,
        };
        let (exit_code, output) = match ran {
            Err(e) => (-1, format!("starting the healthcheck: {e}")),
            Ok((_, _, true)) => (
                -1,
                format!(
                    "Health check exceeded timeout ({})",
                    go_duration(self.cfg.timeout)
                ),
            ),
            Ok((st, out, false)) => {
                let code = st.code();
                let mut output = String::from_utf8_lossy(&out).into_owned();
                if code != 0 && output.is_empty() {
                    // The runtime could not run the probe: its own error.
                    let text = std::fs::read_to_string(&log).unwrap_or_default();
                    if let Some(e) = runtime_error(&text) {
                        output = e;
                    }
                }
                (code, output)
            }
        };
        let _ = std::fs::remove_file(&log);
        let result = ProbeResult {
            start,
            end,
            exit_code,
            output,
        };
        (result, died)
    }

    /// `runc exec` of the probe, its stdout and stderr into one pipe, until
    /// runc exits; past `deadline` the process in the container is killed
    /// (runc then exits), or runc itself when it never wrote the pid. Its
    /// end, its output and whether it timed out.
    fn exec(&self, deadline: Instant) -> io::Result<(WaitStatus, Vec<u8>, bool)> {
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
        let child = cmd.spawn()?;
        // Dropping `cmd` closes our copies of the write end.
        drop(cmd);
        let pid = child.id() as i32;
        drop(child);
        let pidfd = match sp::PidFd::open(pid) {
            Ok(fd) => fd,
            Err(e) => {
                kill(pid);
                let _ = sp::wait_pid(pid);
                return Err(e);
            }
        };
        let mut out = Some(r);
        let mut output = Vec::new();
        let mut timed_out = false;
        loop {
            let now = Instant::now();
            if !timed_out && now >= deadline {
                timed_out = true;
                match std::fs::read_to_string(&pid_file)
                    .ok()
                    .and_then(|s| s.trim().parse::<i32>().ok())
                {
                    Some(p) => kill(p),
                    None => kill(pid),
                }
            }
            let mut fds = vec![sp::pollfd(pidfd.as_raw_fd(), libc::POLLIN)];
            if let Some(o) = &out {
                fds.push(sp::pollfd(o.as_raw_fd(), libc::POLLIN));
            }
            let timeout = if timed_out {
                -1
            } else {
                let ms = deadline.saturating_duration_since(now).as_millis() + 1;
                i32::try_from(ms).unwrap_or(i32::MAX)
            };
            sp::poll(&mut fds, timeout)?;
            if fds.get(1).is_some_and(|f| f.revents != 0) {
                read_pipe(&mut out, &mut output);
            }
            if fds[0].revents != 0 {
                let st = sp::wait_pid(pid)?;
                // What it wrote before it ended; a pipe kept open by a
                // process the probe left behind is not waited for.
                read_pipe(&mut out, &mut output);
                return Ok((st, output, timed_out));
            }
        }
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

/// Read the probe's pipe until it would block or ends (then `out` becomes
/// None); keep at most [`MAX_OUTPUT`] bytes (the rest is read and dropped).
fn read_pipe(out: &mut Option<OwnedFd>, output: &mut Vec<u8>) {
    let Some(fd) = out else { return };
    let mut buf = [0u8; 4096];
    loop {
        match sp::read_fd(fd.as_raw_fd(), &mut buf) {
            Ok(0) => {
                *out = None;
                return;
            }
            Ok(n) => {
                let room = MAX_OUTPUT.saturating_sub(output.len());
                output.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(_) => {
                *out = None;
                return;
            }
        }
    }
}

/// Put `pid` (0: the caller) in a process group of its own.
fn set_own_group(pid: i32) -> io::Result<()> {
    use rustix::process::{setpgid, Pid};
    let p = Pid::from_raw(pid);
    Ok(setpgid(p, p)?)
}

/// SIGKILL to the process group `pgid` (a probe child and its runc).
fn kill_group(pgid: i32) {
    use rustix::process::{kill_process_group, Pid, Signal};
    if let Some(p) = Pid::from_raw(pgid) {
        let _ = kill_process_group(p, Signal::KILL);
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
    fn probe_child_outcomes_round_trip() {
        for status in [
            HealthStatus::Starting,
            HealthStatus::Healthy,
            HealthStatus::Unhealthy,
        ] {
            for changed in [false, true] {
                let code = outcome_code(status, changed);
                assert_eq!(outcome(WaitStatus::Exited(code)), Some((status, changed)));
            }
        }
        // A killed, failed or panicking probe child changed nothing.
        assert_eq!(outcome(WaitStatus::Signaled(9)), None);
        assert_eq!(outcome(WaitStatus::Exited(OUTCOME_FAILED)), None);
        assert_eq!(outcome(WaitStatus::Exited(101)), None);
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
