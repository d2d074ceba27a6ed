//! `<state-dir>/shim.json`: the shim's whole configuration, written by the
//! CLI (atomically, before it spawns the shim) and read by
//! `berth internal shim <state-dir>`. It is the one type both sides share:
//! there is no second copy of these settings in argv or elsewhere.
//!
//! The restart policy follows Docker's `HostConfig.RestartPolicy`
//! (`no`, `always`, `on-failure[:max]`, `unless-stopped`); the supervisor's
//! decision from it is [`RestartPolicy::decide`]. The CLI writes the
//! container's `--restart` (its spec's `restart_policy`); `update --restart`
//! changes a live shim's copy over the control channel.

use super::attach::AttachOptions;
use super::logfile::LogConfig;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const CONFIG_FILE: &str = "shim.json";

/// Where the container's output goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "driver", rename_all = "kebab-case")]
pub enum LogDriver {
    /// Docker's json-file format with rotation.
    JsonFile(LogConfig),
    /// `--log-driver none`: output goes to attached clients only.
    None,
}

/// Whether the shim runs the container again after it exited (Docker's
/// restart policies). A restart waits a back-off that starts at
/// [`RESTART_DELAY_START`] and doubles per consecutive restart up to
/// [`RESTART_DELAY_MAX`]; a run that lasted [`RESTART_RESET_AFTER`] starts
/// the back-off over (the restart manager's constants in moby).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "kebab-case")]
pub enum RestartPolicy {
    /// Never restart.
    #[default]
    No,
    /// Restart whatever the exit code, unless the container was stopped.
    Always,
    /// Restart after a non-zero exit, at most `max_retries` times (0: no
    /// limit).
    OnFailure {
        #[serde(default)]
        max_retries: u32,
    },
    /// Like `always` while the shim lives; differs only when the host
    /// restarts (a stopped container stays stopped).
    UnlessStopped,
}

impl std::str::FromStr for RestartPolicy {
    type Err = String;

    /// Docker's `--restart` syntax: `no`, `always`, `unless-stopped`,
    /// `on-failure[:max-retries]` (empty means `no`), with docker's errors.
    fn from_str(s: &str) -> Result<RestartPolicy, String> {
        let (name, count) = match s.split_once(':') {
            Some(("", _)) => {
                return Err("invalid restart policy format: no policy provided before colon".into())
            }
            Some((name, count)) if !count.is_empty() => {
                let n: i64 = count.parse().map_err(|_| {
                    "invalid restart policy format: maximum retry count must be an integer"
                        .to_string()
                })?;
                (name, Some(n))
            }
            Some((name, _)) => (name, None),
            None => (s, None),
        };
        let policy = match name {
            "" | "no" => RestartPolicy::No,
            "always" => RestartPolicy::Always,
            "unless-stopped" => RestartPolicy::UnlessStopped,
            "on-failure" => {
                let n = count.unwrap_or(0);
                if n < 0 {
                    return Err(
                        "invalid restart policy: maximum retry count cannot be negative".into(),
                    );
                }
                let max_retries = u32::try_from(n).map_err(|_| {
                    "invalid restart policy: maximum retry count is too large".to_string()
                })?;
                return Ok(RestartPolicy::OnFailure { max_retries });
            }
            other => {
                return Err(format!(
                    "invalid restart policy: unknown policy '{other}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
                ))
            }
        };
        if count.is_some_and(|n| n != 0) {
            return Err(
                "invalid restart policy: maximum retry count can only be used with 'on-failure'"
                    .into(),
            );
        }
        Ok(policy)
    }
}

/// First restart delay.
pub const RESTART_DELAY_START: Duration = Duration::from_millis(100);
/// Longest restart delay.
pub const RESTART_DELAY_MAX: Duration = Duration::from_secs(60);
/// A run at least this long resets the back-off.
pub const RESTART_RESET_AFTER: Duration = Duration::from_secs(10);

/// What the supervisor does after a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The container stays exited; the shim finishes.
    Stop,
    /// Run it again after this delay.
    Restart(Duration),
}

/// How the last run ended, as far as the restart decision goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunEnd {
    pub exit_code: i32,
    /// The container was asked to stop (the shim got a stop signal), so
    /// no policy restarts it.
    pub stopped: bool,
    /// How long the run lasted.
    pub ran_for: Duration,
}

impl RestartPolicy {
    /// The supervisor's decision after a run. `restarts` counts the
    /// restarts so far; `delay` is the back-off used for the previous
    /// restart (None before the first).
    pub fn decide(&self, end: RunEnd, restarts: u32, delay: Option<Duration>) -> Decision {
        let again = match *self {
            RestartPolicy::No => false,
            _ if end.stopped => false,
            RestartPolicy::Always | RestartPolicy::UnlessStopped => true,
            RestartPolicy::OnFailure { max_retries } => {
                end.exit_code != 0 && (max_retries == 0 || restarts < max_retries)
            }
        };
        if !again {
            return Decision::Stop;
        }
        let next = match delay {
            Some(d) if end.ran_for < RESTART_RESET_AFTER => (d * 2).min(RESTART_DELAY_MAX),
            _ => RESTART_DELAY_START,
        };
        Decision::Restart(next)
    }
}

/// Everything the CLI decides about a shim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShimConfig {
    /// The berth binary that starts the shim (normally
    /// `std::env::current_exe()`); CLI side only.
    #[serde(skip)]
    pub exe: PathBuf,
    /// Global flags (`--data-root X --state-root Y ...`) handed on to
    /// `berth internal cleanup`.
    pub global_args: Vec<OsString>,
    pub id: String,
    pub bundle: PathBuf,
    /// `<state_root>/containers/<id>`: this file, pid, sockets, state.
    pub state_dir: PathBuf,
    /// OCI runtime binary (`runc`, `crun`, or a path).
    pub runtime: PathBuf,
    /// The runtime's `--root` (its own state directory).
    pub runtime_root: PathBuf,
    pub tty: bool,
    /// Keep the container's stdin open (`-i`); otherwise it reads /dev/null.
    pub stdin: bool,
    pub log: LogDriver,
    /// `--rm`: exec `berth internal cleanup <id>` when the container exits
    /// for good.
    pub rm: bool,
    /// The container holds CNI networks: exec `berth internal cleanup <id>`
    /// when it exits for good, to release them even if no CLI runs.
    #[serde(default)]
    pub network: bool,
    /// Attach with these streams before the container starts (foreground
    /// `run`/`start -a`), so no output is lost. The shim then waits for
    /// its first client before the first run.
    pub wait_attach: Option<AttachOptions>,
    pub restart: RestartPolicy,
    /// Where and as what the shim records the container's events (`start`
    /// of each run, `die`, `oom`, `health_status`); None records nothing.
    #[serde(default)]
    pub events: Option<crate::events::ContainerEvents>,
    /// The healthcheck the shim runs (the container's merged over the
    /// image's, defaults applied); None runs none.
    #[serde(default)]
    pub health: Option<super::health::HealthConfig>,
    /// The published host ports the shim binds for the container's life
    /// (held against other programs, and proxied where DNAT cannot go:
    /// [`super::proxy`]); a bind that fails ends the start.
    #[serde(default)]
    pub ports: Vec<super::proxy::HeldPort>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("{}: {source}", path.display())]
    Decode {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: {problem}", path.display())]
    Invalid { path: PathBuf, problem: String },
}

impl ShimConfig {
    /// Write `<state_dir>/shim.json` atomically (the state dir must exist),
    /// without fsyncs: the CLI writes it anew at every start, in the state
    /// root, which lives for one boot.
    pub fn write(&self) -> Result<(), ConfigError> {
        let path = self.state_dir.join(CONFIG_FILE);
        let body = serde_json::to_vec(self).map_err(|source| ConfigError::Decode {
            path: path.clone(),
            source,
        })?;
        crate::sys::fs::write_atomic_nosync(&path, &body).map_err(|e| ConfigError::Io {
            what: "writing",
            path,
            source: e.into(),
        })
    }

    /// Read and check `<state_dir>/shim.json`.
    pub fn read(state_dir: &Path) -> Result<ShimConfig, ConfigError> {
        let path = state_dir.join(CONFIG_FILE);
        let data = std::fs::read(&path).map_err(|source| ConfigError::Io {
            what: "reading",
            path: path.clone(),
            source,
        })?;
        let cfg: ShimConfig =
            serde_json::from_slice(&data).map_err(|source| ConfigError::Decode {
                path: path.clone(),
                source,
            })?;
        let invalid = |problem: String| ConfigError::Invalid {
            path: path.clone(),
            problem,
        };
        if !valid_id(&cfg.id) {
            return Err(invalid(format!("bad container id {:?}", cfg.id)));
        }
        if cfg.state_dir != state_dir {
            return Err(invalid(format!(
                "written for state dir {}",
                cfg.state_dir.display()
            )));
        }
        if !cfg.bundle.join("config.json").is_file() {
            return Err(invalid(format!(
                "no config.json in bundle {}",
                cfg.bundle.display()
            )));
        }
        if let LogDriver::JsonFile(l) = &cfg.log {
            if l.max_files == 0 {
                return Err(invalid("log max-file must be at least 1".into()));
            }
        }
        Ok(cfg)
    }
}

/// A container id the runtime and the state dir can use: up to 128 of
/// `[A-Za-z0-9_.-]`, not starting with a dot.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !id.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dir: &Path) -> ShimConfig {
        ShimConfig {
            exe: "/bin/berth".into(),
            global_args: vec!["--state-root".into(), "/s".into()],
            id: "abc".into(),
            bundle: dir.join("bundle"),
            state_dir: dir.to_path_buf(),
            runtime: "/usr/sbin/runc".into(),
            runtime_root: "/s/runtime".into(),
            tty: true,
            stdin: false,
            log: LogDriver::JsonFile(LogConfig {
                path: "/l".into(),
                max_size: 10,
                max_files: 2,
            }),
            rm: true,
            network: false,
            wait_attach: Some(AttachOptions {
                stdin: false,
                stdout: true,
                stderr: true,
            }),
            restart: RestartPolicy::OnFailure { max_retries: 3 },
            events: Some(crate::events::ContainerEvents {
                journal: "/d/events".into(),
                id: "abc".into(),
                name: "web".into(),
                image: "alpine".into(),
                labels: [("k".to_string(), "v".to_string())].into(),
                volumes: vec![crate::events::VolumeUse {
                    name: "data".into(),
                    destination: "/data".into(),
                    read_write: false,
                    propagation: String::new(),
                }],
            }),
            health: None,
            ports: Vec::new(),
        }
    }

    #[test]
    fn round_trips_through_the_file() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("bundle")).unwrap();
        std::fs::write(d.path().join("bundle/config.json"), "{}").unwrap();
        let c = config(d.path());
        c.write().unwrap();
        let back = ShimConfig::read(d.path()).unwrap();
        // The binary is the CLI's business.
        assert_eq!(back.exe, PathBuf::new());
        assert_eq!(
            ShimConfig {
                exe: c.exe.clone(),
                ..back
            },
            c
        );
        let raw = std::fs::read_to_string(d.path().join(CONFIG_FILE)).unwrap();
        assert!(
            raw.contains(r#""restart":{"name":"on-failure","max_retries":3}"#),
            "{raw}"
        );
        assert!(
            raw.contains(r#""log":{"driver":"json-file","path":"/l""#),
            "{raw}"
        );
        let none: LogDriver = serde_json::from_str(r#"{"driver":"none"}"#).unwrap();
        assert_eq!(none, LogDriver::None);
    }

    #[test]
    fn read_checks_what_it_got() {
        let d = tempfile::tempdir().unwrap();
        assert!(matches!(
            ShimConfig::read(d.path()),
            Err(ConfigError::Io { .. })
        ));
        let mut c = config(d.path());
        c.write().unwrap();
        let e = ShimConfig::read(d.path()).unwrap_err();
        assert!(e.to_string().contains("no config.json in bundle"), "{e}");
        std::fs::create_dir_all(d.path().join("bundle")).unwrap();
        std::fs::write(d.path().join("bundle/config.json"), "{}").unwrap();
        c.id = "../x".into();
        c.write().unwrap();
        let e = ShimConfig::read(d.path()).unwrap_err();
        assert!(e.to_string().contains("bad container id"), "{e}");
        std::fs::write(d.path().join(CONFIG_FILE), "{").unwrap();
        assert!(matches!(
            ShimConfig::read(d.path()),
            Err(ConfigError::Decode { .. })
        ));
    }

    #[test]
    fn parses_dockers_restart_syntax() {
        let p = |s: &str| s.parse::<RestartPolicy>();
        assert_eq!(p(""), Ok(RestartPolicy::No));
        assert_eq!(p("no"), Ok(RestartPolicy::No));
        assert_eq!(p("always"), Ok(RestartPolicy::Always));
        assert_eq!(p("unless-stopped"), Ok(RestartPolicy::UnlessStopped));
        assert_eq!(
            p("on-failure"),
            Ok(RestartPolicy::OnFailure { max_retries: 0 })
        );
        assert_eq!(
            p("on-failure:5"),
            Ok(RestartPolicy::OnFailure { max_retries: 5 })
        );
        assert_eq!(
            p("on-failure:"),
            Ok(RestartPolicy::OnFailure { max_retries: 0 })
        );
        assert!(p(":3")
            .unwrap_err()
            .contains("no policy provided before colon"));
        assert!(p("on-failure:x")
            .unwrap_err()
            .contains("must be an integer"));
        assert!(p("on-failure:-1")
            .unwrap_err()
            .contains("cannot be negative"));
        assert!(p("always:3")
            .unwrap_err()
            .contains("only be used with 'on-failure'"));
        assert!(p("sometimes")
            .unwrap_err()
            .contains("unknown policy 'sometimes'"));
    }

    #[test]
    fn supervisor_decisions_follow_dockers_policies() {
        let end = |exit_code, stopped, secs| RunEnd {
            exit_code,
            stopped,
            ran_for: Duration::from_secs(secs),
        };
        let first = Decision::Restart(RESTART_DELAY_START);
        assert_eq!(
            RestartPolicy::No.decide(end(1, false, 0), 0, None),
            Decision::Stop
        );
        assert_eq!(
            RestartPolicy::Always.decide(end(0, false, 0), 0, None),
            first
        );
        assert_eq!(
            RestartPolicy::UnlessStopped.decide(end(0, false, 0), 5, None),
            first
        );
        // A stop asked for is never undone by the policy.
        assert_eq!(
            RestartPolicy::Always.decide(end(143, true, 0), 0, None),
            Decision::Stop
        );
        let on_failure = RestartPolicy::OnFailure { max_retries: 2 };
        assert_eq!(on_failure.decide(end(0, false, 0), 0, None), Decision::Stop);
        assert_eq!(on_failure.decide(end(3, false, 0), 1, None), first);
        assert_eq!(on_failure.decide(end(3, false, 0), 2, None), Decision::Stop);
        let unlimited = RestartPolicy::OnFailure { max_retries: 0 };
        assert_eq!(unlimited.decide(end(3, false, 0), 1000, None), first);
        // Back-off: doubles while runs are short, capped, reset by a long run.
        let d = Duration::from_millis(400);
        assert_eq!(
            RestartPolicy::Always.decide(end(0, false, 1), 3, Some(d)),
            Decision::Restart(Duration::from_millis(800))
        );
        assert_eq!(
            RestartPolicy::Always.decide(end(0, false, 1), 9, Some(Duration::from_secs(50))),
            Decision::Restart(RESTART_DELAY_MAX)
        );
        assert_eq!(
            RestartPolicy::Always.decide(end(0, false, 10), 9, Some(RESTART_DELAY_MAX)),
            first
        );
    }
}
