//! What berth finds on this host: facts (`info`) and checks (`doctor`, and
//! `info`'s `WARNING:` lines). A check is data — an id, ok/warn/error, what
//! was found and the exact fix — so every command that reports on the host
//! says the same thing. This module reads the host and never prints; the
//! only changes it makes are `leftovers::clean` (asked for by `doctor --fix`)
//! and the scratch overlay mount of the overlay check, undone before it
//! returns.
//!
//! Docker reports some of these as `docker info` warnings (no seccomp,
//! IPv4 forwarding disabled, cgroup controllers missing); berth adds the
//! causes a daemonless tool meets first: a runtime missing or below its
//! security floor (`runtime::advisory`), CNI plugins missing, a data root
//! overlayfs cannot use.

pub mod checks;
pub mod facts;
pub mod iptables;
pub mod leftovers;

use serde::Serialize;

/// How bad a check's finding is: `error` means containers (or some of
/// them) cannot work; `warn` means they work with a risk or a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Error => "error",
        }
    }
}

/// One finding about the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable name (`runtime`, `cni-plugins`, `overlay`, ...).
    pub id: &'static str,
    pub status: Status,
    /// What was found, in one line.
    pub found: String,
    /// The exact fix (a package, a sysctl, a config line), when not ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The things found one by one (the leftovers' paths and rules).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

impl Check {
    pub fn ok(id: &'static str, found: impl Into<String>) -> Check {
        Check {
            id,
            status: Status::Ok,
            found: found.into(),
            fix: None,
            items: Vec::new(),
        }
    }

    pub fn warn(id: &'static str, found: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            id,
            status: Status::Warn,
            found: found.into(),
            fix: Some(fix.into()),
            items: Vec::new(),
        }
    }

    pub fn error(id: &'static str, found: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            id,
            status: Status::Error,
            found: found.into(),
            fix: Some(fix.into()),
            items: Vec::new(),
        }
    }
}

/// The hint errors caused by the host end with.
pub const DOCTOR_HINT: &str = "run `berth doctor` for details";
