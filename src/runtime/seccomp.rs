//! Seccomp for containers: Docker's default profile and the conversion of a
//! Docker-format profile (`--security-opt seccomp=/path.json`) to the OCI
//! `linux.seccomp` object, following moby `profiles/seccomp` (setupSeccomp):
//!
//! - `archMap` picks the entry for the host architecture and its
//!   sub-architectures (x86_64 + x86 + x32, aarch64 + arm); a legacy
//!   `architectures` list is taken as is; both at once is an error.
//! - one departure from moby: x32 is left out of `archMap`'s pick when the
//!   running kernel refuses x32 system calls (most distribution kernels:
//!   Debian's need `syscall.x32=y`, Ubuntu's lack it; [`x32_refused`]).
//!   The filter then has no x32 rules the kernel could never reach, and
//!   runc builds it in a third of the time: with x32, libseccomp and runc
//!   spend about 5 ms more per container start (`runc run` of berth's own
//!   config, 25.3 vs 30.5 ms median here). An x32 system call inside the
//!   container, which fails with ENOSYS either way on such a kernel, then
//!   ends the calling process as any other architecture's would, instead
//!   of returning ENOSYS. On a kernel that runs x32 the filter is moby's.
//! - a rule applies only when all its `includes.caps` are in the container's
//!   bounding set, its `includes.arches` (Go names: amd64, arm64, ...) list the
//!   host, its `includes.minKernel` is not above the running kernel, and none
//!   of its `excludes` match.
//!
//! The default profile (`seccomp_default.json`, Docker's format) denies with
//! EPERM, allows the usual syscall list, grants admin syscalls by capability,
//! blocks namespace-creating `clone` flags and makes `clone3` return ENOSYS
//! without CAP_SYS_ADMIN, and only lets `personality` select the harmless
//! personas.

use serde::Deserialize;
use thiserror::Error;

use oci_spec::runtime::{LinuxSeccomp, LinuxSeccompArgBuilder, LinuxSeccompOperator, LinuxSyscall};

use super::spec::{from_oci_name, non_empty};

const DEFAULT_PROFILE: &str = include_str!("seccomp_default.json");

#[derive(Debug, Error)]
pub enum SeccompError {
    #[error("decoding seccomp profile failed: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'")]
    ArchAndArchMap,
    #[error(
        "'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'"
    )]
    NameAndNames,
    #[error("seccomp profile has a rule without a syscall name")]
    NoName,
    #[error("invalid minKernel {0:?} in the seccomp profile")]
    MinKernel(String),
    #[error("invalid {what} in the seccomp profile: {reason}")]
    Invalid { what: &'static str, reason: String },
}

/// A seccomp profile in Docker's format.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DockerProfile {
    pub default_action: String,
    #[serde(default)]
    pub default_errno_ret: Option<u32>,
    #[serde(default)]
    pub architectures: Option<Vec<String>>,
    #[serde(default)]
    pub arch_map: Option<Vec<ArchMap>>,
    #[serde(default)]
    pub flags: Option<Vec<String>>,
    #[serde(default)]
    pub syscalls: Option<Vec<DockerSyscall>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchMap {
    pub architecture: String,
    #[serde(default)]
    pub sub_architectures: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DockerSyscall {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub names: Option<Vec<String>>,
    pub action: String,
    #[serde(default)]
    pub errno_ret: Option<u32>,
    #[serde(default)]
    pub args: Option<Vec<DockerArg>>,
    #[serde(default)]
    pub includes: Option<Filter>,
    #[serde(default)]
    pub excludes: Option<Filter>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DockerArg {
    pub index: u32,
    pub value: u64,
    #[serde(default)]
    pub value_two: Option<u64>,
    pub op: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    #[serde(default)]
    pub caps: Option<Vec<String>>,
    #[serde(default)]
    pub arches: Option<Vec<String>>,
    #[serde(default)]
    pub min_kernel: Option<String>,
}

/// The host as seccomp rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeccompHost {
    /// libseccomp name of the native architecture (`SCMP_ARCH_X86_64`).
    pub scmp_arch: String,
    /// Go's name of it (`amd64`), used by `includes.arches`.
    pub go_arch: String,
    /// Running kernel (major, minor).
    pub kernel: (u32, u32),
    /// The kernel refuses x32 system calls: `archMap`'s pick leaves
    /// `SCMP_ARCH_X32` out (see the module's doc).
    pub x32_refused: bool,
}

impl SeccompHost {
    /// The architecture this binary was built for and the running kernel;
    /// `own_status` is this process's `/proc/self/status` (for
    /// [`x32_refused`]).
    pub fn detect(own_status: &str) -> SeccompHost {
        let (scmp, go) = match std::env::consts::ARCH {
            "x86_64" => ("SCMP_ARCH_X86_64", "amd64"),
            "x86" => ("SCMP_ARCH_X86", "386"),
            "aarch64" => ("SCMP_ARCH_AARCH64", "arm64"),
            "arm" => ("SCMP_ARCH_ARM", "arm"),
            "s390x" => ("SCMP_ARCH_S390X", "s390x"),
            "powerpc64" => ("SCMP_ARCH_PPC64LE", "ppc64le"),
            "riscv64" => ("SCMP_ARCH_RISCV64", "riscv64"),
            "mips64" => ("SCMP_ARCH_MIPS64", "mips64"),
            other => (other, other),
        };
        SeccompHost {
            scmp_arch: scmp.to_string(),
            go_arch: go.to_string(),
            kernel: kernel_version(),
            x32_refused: scmp == "SCMP_ARCH_X86_64" && x32_refused(own_status),
        }
    }
}

/// Whether this x86_64 kernel refuses x32 system calls: an x32 `getpid`
/// (the syscall number with bit 30 set) fails with ENOSYS. Asked only
/// when berth itself runs under no seccomp filter: a filter without x32
/// (a container's) may kill the caller for trying, so there the answer is
/// no, and the profile keeps moby's x32 rules.
#[cfg(target_arch = "x86_64")]
pub fn x32_refused(own_status: &str) -> bool {
    let unfiltered = own_status
        .lines()
        .find_map(|l| l.strip_prefix("Seccomp:"))
        .is_some_and(|v| v.trim() == "0");
    unfiltered && crate::sys::process::x32_getpid_enosys()
}

#[cfg(not(target_arch = "x86_64"))]
pub fn x32_refused(_own_status: &str) -> bool {
    false
}

/// (major, minor) of the running kernel from `/proc/sys/kernel/osrelease`.
pub fn kernel_version() -> (u32, u32) {
    std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .and_then(|s| parse_kernel(s.trim()))
        .unwrap_or((0, 0))
}

fn parse_kernel(s: &str) -> Option<(u32, u32)> {
    let mut it = s.split(|c: char| !c.is_ascii_digit());
    let major = it.next()?.parse().ok()?;
    let minor = it.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// Docker's default profile for a container with the given bounding set.
pub fn default_profile(caps: &[String], host: &SeccompHost) -> LinuxSeccomp {
    // The embedded profile is tested to parse and convert; failing here is a
    // build defect, not a runtime condition.
    convert(DEFAULT_PROFILE, caps, host).expect("embedded seccomp profile is valid")
}

/// Convert a Docker-format profile (JSON text) to OCI `linux.seccomp` for a
/// container with bounding capabilities `caps`.
pub fn convert(
    json: &str,
    caps: &[String],
    host: &SeccompHost,
) -> Result<LinuxSeccomp, SeccompError> {
    let p: DockerProfile = serde_json::from_str(json)?;
    let architectures = match (&p.architectures, &p.arch_map) {
        (Some(a), Some(m)) if !a.is_empty() && !m.is_empty() => {
            return Err(SeccompError::ArchAndArchMap)
        }
        (_, Some(m)) if !m.is_empty() => m
            .iter()
            .filter(|e| e.architecture == host.scmp_arch)
            .flat_map(|e| {
                std::iter::once(e.architecture.clone())
                    .chain(e.sub_architectures.clone().unwrap_or_default())
            })
            .filter(|a| !(host.x32_refused && a == "SCMP_ARCH_X32"))
            .collect(),
        (Some(a), _) => a.clone(),
        _ => Vec::new(),
    };
    let mut syscalls = Vec::new();
    for rule in p.syscalls.unwrap_or_default() {
        if rule.name.is_some() && rule.names.as_ref().is_some_and(|n| !n.is_empty()) {
            return Err(SeccompError::NameAndNames);
        }
        let names = match (&rule.name, &rule.names) {
            (Some(n), _) => vec![n.clone()],
            (None, Some(n)) if !n.is_empty() => n.clone(),
            _ => return Err(SeccompError::NoName),
        };
        if !applies(&rule, caps, host)? {
            continue;
        }
        let args = rule
            .args
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                let mut arg = LinuxSeccompArgBuilder::default()
                    .index(a.index as usize)
                    .value(a.value)
                    .op(oci::<LinuxSeccompOperator>("operator", &a.op)?);
                // An unset valueTwo is 0 in docker's profile type.
                if let Some(two) = a.value_two.filter(|v| *v != 0) {
                    arg = arg.value_two(two);
                }
                arg.build().map_err(|e| SeccompError::Invalid {
                    what: "argument",
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut syscall = LinuxSyscall::default();
        syscall
            .set_names(names)
            .set_action(oci("action", &rule.action)?)
            .set_errno_ret(rule.errno_ret)
            .set_args(non_empty(args));
        syscalls.push(syscall);
    }
    let mut seccomp = LinuxSeccomp::default();
    seccomp
        .set_default_action(oci("defaultAction", &p.default_action)?)
        .set_default_errno_ret(p.default_errno_ret)
        .set_architectures(non_empty(
            architectures
                .iter()
                .map(|a| oci("architecture", a))
                .collect::<Result<_, _>>()?,
        ))
        .set_flags(non_empty(
            p.flags
                .unwrap_or_default()
                .iter()
                .map(|f| oci("flag", f))
                .collect::<Result<_, _>>()?,
        ))
        .set_syscalls(non_empty(syscalls));
    Ok(seccomp)
}

/// An action, architecture, flag or operator of the profile by its name.
fn oci<T: serde::de::DeserializeOwned>(what: &'static str, name: &str) -> Result<T, SeccompError> {
    from_oci_name(name).map_err(|reason| SeccompError::Invalid { what, reason })
}

fn applies(
    rule: &DockerSyscall,
    caps: &[String],
    host: &SeccompHost,
) -> Result<bool, SeccompError> {
    let has_cap = |c: &String| caps.contains(c);
    if let Some(ex) = &rule.excludes {
        if ex
            .arches
            .as_ref()
            .is_some_and(|a| a.contains(&host.go_arch))
        {
            return Ok(false);
        }
        if ex.caps.as_ref().is_some_and(|c| c.iter().any(has_cap)) {
            return Ok(false);
        }
        if let Some(k) = &ex.min_kernel {
            if host.kernel >= min_kernel(k)? {
                return Ok(false);
            }
        }
    }
    if let Some(inc) = &rule.includes {
        if inc
            .arches
            .as_ref()
            .is_some_and(|a| !a.is_empty() && !a.contains(&host.go_arch))
        {
            return Ok(false);
        }
        if inc.caps.as_ref().is_some_and(|c| !c.iter().all(has_cap)) {
            return Ok(false);
        }
        if let Some(k) = &inc.min_kernel {
            if host.kernel < min_kernel(k)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

fn min_kernel(s: &str) -> Result<(u32, u32), SeccompError> {
    let (a, b) = s.split_once('.').unwrap_or((s, "0"));
    match (a.parse(), b.parse()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(SeccompError::MinKernel(s.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::caps::DEFAULT_CAPS;

    fn amd64() -> SeccompHost {
        SeccompHost {
            scmp_arch: "SCMP_ARCH_X86_64".into(),
            go_arch: "amd64".into(),
            kernel: (6, 1),
            x32_refused: false,
        }
    }

    fn defaults() -> Vec<String> {
        DEFAULT_CAPS.iter().map(|s| s.to_string()).collect()
    }

    /// The filter as its JSON, which is what runc reads.
    fn json(s: &LinuxSeccomp) -> serde_json::Value {
        serde_json::to_value(s).unwrap()
    }

    fn rules(s: &LinuxSeccomp) -> Vec<serde_json::Value> {
        json(s)["syscalls"].as_array().cloned().unwrap_or_default()
    }

    fn allowed(s: &LinuxSeccomp, name: &str) -> bool {
        rules(s).iter().any(|r| {
            r["action"] == "SCMP_ACT_ALLOW"
                && r.get("args").is_none()
                && r["names"].as_array().unwrap().iter().any(|n| n == name)
        })
    }

    fn rule(s: &LinuxSeccomp, names: serde_json::Value) -> Option<serde_json::Value> {
        rules(s).into_iter().find(|r| r["names"] == names)
    }

    #[test]
    fn default_profile_shape() {
        let s = default_profile(&defaults(), &amd64());
        let j = json(&s);
        assert_eq!(j["defaultAction"], "SCMP_ACT_ERRNO");
        assert_eq!(j["defaultErrnoRet"], 1);
        assert_eq!(
            j["architectures"],
            serde_json::json!(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])
        );
        for n in [
            "read",
            "write",
            "execve",
            "arch_prctl",
            "modify_ldt",
            "chroot",
            "ptrace",
        ] {
            assert!(allowed(&s, n), "{n} should be allowed");
        }
        for n in [
            "mount",
            "unshare",
            "setns",
            "reboot",
            "init_module",
            "bpf",
            "cacheflush",
            "keyctl",
        ] {
            assert!(!allowed(&s, n), "{n} should be denied");
        }
        // clone only without namespace flags; clone3 gets ENOSYS.
        let clone = rule(&s, serde_json::json!(["clone"])).unwrap();
        assert_eq!(clone["args"][0]["index"], 0);
        assert_eq!(clone["args"][0]["value"], 0x7E02_0000);
        assert_eq!(clone["args"][0]["op"], "SCMP_CMP_MASKED_EQ");
        let clone3 = rule(&s, serde_json::json!(["clone3"])).unwrap();
        assert_eq!(
            (&clone3["action"], &clone3["errnoRet"]),
            (&serde_json::json!("SCMP_ACT_ERRNO"), &serde_json::json!(38))
        );
        let personas: Vec<u64> = rules(&s)
            .iter()
            .filter(|r| r["names"] == serde_json::json!(["personality"]))
            .map(|r| r["args"][0]["value"].as_u64().unwrap())
            .collect();
        assert_eq!(personas, [0, 8, 0x20000, 0x20008, 0xffff_ffff]);
    }

    #[test]
    fn caps_unlock_rules() {
        let mut caps = defaults();
        caps.push("CAP_SYS_ADMIN".into());
        let s = default_profile(&caps, &amd64());
        assert!(allowed(&s, "mount") && allowed(&s, "unshare") && allowed(&s, "clone"));
        assert!(rule(&s, serde_json::json!(["clone3"])).is_none());
        // ptrace needs kernel 4.8 without CAP_SYS_PTRACE.
        let old = SeccompHost {
            kernel: (4, 4),
            ..amd64()
        };
        assert!(!allowed(&default_profile(&defaults(), &old), "ptrace"));
    }

    #[test]
    fn x32_is_left_out_where_the_kernel_refuses_it() {
        let host = SeccompHost {
            x32_refused: true,
            ..amd64()
        };
        let s = default_profile(&defaults(), &host);
        assert_eq!(
            json(&s)["architectures"],
            serde_json::json!(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])
        );
        // The same rules otherwise.
        assert_eq!(rules(&s), rules(&default_profile(&defaults(), &amd64())));
        // A profile's own `architectures` list is taken as is.
        let p = r#"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X32"]}"#;
        assert_eq!(
            json(&convert(p, &defaults(), &host).unwrap())["architectures"],
            serde_json::json!(["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"])
        );
    }

    /// This machine's answer agrees with what an x32 call does here.
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn x32_probe_runs_without_harm() {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        assert_eq!(x32_refused(&status), x32_refused(&status));
        // Under a filter it is not asked.
        assert!(!x32_refused("Name:\tx\nSeccomp:\t2\n"));
    }

    #[test]
    fn aarch64_arches() {
        let host = SeccompHost {
            scmp_arch: "SCMP_ARCH_AARCH64".into(),
            go_arch: "arm64".into(),
            x32_refused: false,
            kernel: (6, 1),
        };
        let s = default_profile(&defaults(), &host);
        assert_eq!(
            json(&s)["architectures"],
            serde_json::json!(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"])
        );
        assert!(allowed(&s, "cacheflush"));
        assert!(!allowed(&s, "arch_prctl"));
    }

    #[test]
    fn custom_profiles() {
        let p = r#"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
            "syscalls":[{"name":"mkdir","action":"SCMP_ACT_ERRNO","errnoRet":13},
                        {"names":["chmod"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":511,"valueTwo":0,"op":"SCMP_CMP_EQ"}]}]}"#;
        let s = convert(p, &defaults(), &amd64()).unwrap();
        let j = json(&s);
        assert_eq!(j["defaultAction"], "SCMP_ACT_ALLOW");
        assert_eq!(j["architectures"], serde_json::json!(["SCMP_ARCH_X86_64"]));
        assert_eq!(j["syscalls"][0]["names"], serde_json::json!(["mkdir"]));
        assert_eq!(j["syscalls"][0]["errnoRet"], 13);
        assert_eq!(j["syscalls"][1]["args"][0]["value"], 511);
        assert!(j["syscalls"][1]["args"][0].get("valueTwo").is_none());
        let both = r#"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["x"],"archMap":[{"architecture":"x"}]}"#;
        assert!(matches!(
            convert(both, &[], &amd64()),
            Err(SeccompError::ArchAndArchMap)
        ));
        let both = r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ALLOW"}]}"#;
        assert!(matches!(
            convert(both, &[], &amd64()),
            Err(SeccompError::NameAndNames)
        ));
        assert!(matches!(
            convert("{", &[], &amd64()),
            Err(SeccompError::Parse(_))
        ));
    }

    #[test]
    fn unknown_names_are_rejected() {
        for (what, p) in [
            ("defaultAction", r#"{"defaultAction":"SCMP_ACT_MAYBE"}"#),
            (
                "architecture",
                r#"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_VAX"]}"#,
            ),
            (
                "flag",
                r#"{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_NOPE"]}"#,
            ),
            (
                "action",
                r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a"],"action":"ALLOW"}]}"#,
            ),
            (
                "operator",
                r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_ABOUT"}]}]}"#,
            ),
        ] {
            let err = convert(p, &[], &amd64()).unwrap_err();
            assert!(
                matches!(&err, SeccompError::Invalid { what: w, .. } if *w == what),
                "{what}: {err}"
            );
            assert!(err
                .to_string()
                .starts_with(&format!("invalid {what} in the seccomp profile: ")));
        }
    }

    #[test]
    fn kernel_versions() {
        assert_eq!(parse_kernel("6.18.44-fc-v669"), Some((6, 18)));
        assert_eq!(parse_kernel("5.4"), Some((5, 4)));
        assert_eq!(min_kernel("4.8").unwrap(), (4, 8));
    }
}
