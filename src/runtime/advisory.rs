//! Known container escapes of OCI runtime versions: which published
//! advisories a runtime binary's version is older than the fix of. Owns the
//! table and the version comparison only; it never decides to refuse a
//! runtime (berth works with any, and cannot see distribution backports, so
//! this is an indication to show the user, not a verdict).
//!
//! The table holds runc's advisories for escapes that berth's own checks
//! cannot close, because the runtime does the work after berth hands it the
//! bundle (runc security advisories, GHSA):
//! - CVE-2024-45310 (GHSA-jfvp-7x6p-h2pv): mount destinations raced through
//!   a volume shared with another container make runc create files and
//!   directories on the host; fixed in 1.1.14 and 1.2.0-rc.3.
//! - CVE-2025-31133, CVE-2025-52565, CVE-2025-52881 (November 2025):
//!   masked paths, `/dev/console` and procfs writes redirected through
//!   raced mounts, fixed in 1.2.8, 1.3.3 and 1.4.0-rc.3.
//!
//! Debian 12's runc 1.1.5 predates all of them. crun and youki have no
//! entry: they resolve mount destinations with `openat2(RESOLVE_IN_ROOT)`.

use std::path::Path;

/// A version as runtimes print it: `1.1.5`, `1.4.0-rc.3`, `1.1.5+ds1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    major: u32,
    minor: u32,
    patch: u32,
    /// `-rc.N` sorts before the release (`u32::MAX`).
    pre: u32,
}

impl Version {
    const fn new(major: u32, minor: u32, patch: u32, pre: Option<u32>) -> Version {
        Version {
            major,
            minor,
            patch,
            pre: match pre {
                Some(n) => n,
                None => u32::MAX,
            },
        }
    }

    /// Parse `MAJOR.MINOR[.PATCH][-rc.N|-rcN][+build]`.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.split('+').next()?;
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => {
                let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                (c, Some(digits.parse().unwrap_or(0)))
            }
            None => (s, None),
        };
        let mut it = core.split('.');
        let major = it.next()?.parse().ok()?;
        let minor = it.next()?.parse().ok()?;
        let patch = match it.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        Some(Version::new(major, minor, patch, pre))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if self.pre != u32::MAX {
            write!(f, "-rc.{}", self.pre)?;
        }
        Ok(())
    }
}

/// One published escape and the first fixed version of each release branch.
#[derive(Debug)]
pub struct Advisory {
    pub id: &'static str,
    pub runtime: &'static str,
    pub fixed: &'static [Version],
}

impl Advisory {
    /// Whether `v` is older than the fix of its release branch (or, on a
    /// branch without a fix of its own, than the next branch's).
    fn affects(&self, v: Version) -> bool {
        self.fixed
            .iter()
            .find(|f| (f.major, f.minor) >= (v.major, v.minor))
            .is_some_and(|f| v < *f)
    }
}

const ADVISORIES: &[Advisory] = &[
    Advisory {
        id: "CVE-2024-45310",
        runtime: "runc",
        fixed: &[Version::new(1, 1, 14, None), Version::new(1, 2, 0, Some(3))],
    },
    Advisory {
        id: "CVE-2025-31133",
        runtime: "runc",
        fixed: &[
            Version::new(1, 2, 8, None),
            Version::new(1, 3, 3, None),
            Version::new(1, 4, 0, Some(3)),
        ],
    },
    Advisory {
        id: "CVE-2025-52565",
        runtime: "runc",
        fixed: &[
            Version::new(1, 2, 8, None),
            Version::new(1, 3, 3, None),
            Version::new(1, 4, 0, Some(3)),
        ],
    },
    Advisory {
        id: "CVE-2025-52881",
        runtime: "runc",
        fixed: &[
            Version::new(1, 2, 8, None),
            Version::new(1, 3, 3, None),
            Version::new(1, 4, 0, Some(3)),
        ],
    },
];

/// What a runtime binary says it is (`runc --version`, first line
/// `runc version 1.1.5+ds1`; crun prints the same shape, youki
/// `youki version: 0.7.0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeVersion {
    pub name: String,
    /// The version as printed (`1.1.5+ds1`).
    pub text: String,
    pub version: Option<Version>,
}

impl RuntimeVersion {
    /// From the output of `<runtime> --version`.
    pub fn parse(output: &str) -> Option<RuntimeVersion> {
        // `runc version 1.1.5`, `crun version 1.8.1`, `youki version: 0.7.0`.
        let line = output.lines().find(|l| l.contains(" version"))?;
        let (name, text) = line.split_once(" version")?;
        let text = text.strip_prefix(':').unwrap_or(text);
        let text = text.split_whitespace().next()?.to_string();
        Some(RuntimeVersion {
            name: name.trim().to_string(),
            version: Version::parse(&text),
            text,
        })
    }

    /// Run `<binary> --version`.
    pub fn probe(binary: &Path) -> Option<RuntimeVersion> {
        let out = std::process::Command::new(binary)
            .arg("--version")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        RuntimeVersion::parse(&String::from_utf8_lossy(&out.stdout))
    }

    /// The advisories this version is older than the fix of.
    pub fn known_escapes(&self) -> Vec<&'static Advisory> {
        let Some(v) = self.version else {
            return Vec::new();
        };
        ADVISORIES
            .iter()
            .filter(|a| a.runtime == self.name && a.affects(v))
            .collect()
    }
}

/// One line naming the escapes, for `version` (empty when none is known).
pub fn describe_escapes(rt: &RuntimeVersion) -> Option<String> {
    let list = rt.known_escapes();
    if list.is_empty() {
        return None;
    }
    let items: Vec<String> = list
        .iter()
        .map(|a| {
            let fixed: Vec<String> = a.fixed.iter().map(Version::to_string).collect();
            format!("{} (fixed in {})", a.id, fixed.join(", "))
        })
        .collect();
    Some(format!(
        "{} {} has known container escapes: {}; use a fixed {} or crun (--runtime crun)",
        rt.name,
        rt.text,
        items.join(", "),
        rt.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(s: &str) -> RuntimeVersion {
        RuntimeVersion::parse(s).unwrap()
    }

    fn ids(s: &str) -> Vec<&'static str> {
        rt(s).known_escapes().iter().map(|a| a.id).collect()
    }

    #[test]
    fn parses_what_runtimes_print() {
        let r = rt("runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\n");
        assert_eq!(r.name, "runc");
        assert_eq!(r.text, "1.1.5+ds1");
        assert_eq!(r.version, Version::parse("1.1.5"));
        let c = rt("crun version 1.8.1\ncommit: f8a0\nrundir: /run/crun\n+SYSTEMD +SELINUX\n");
        assert_eq!((c.name.as_str(), c.text.as_str()), ("crun", "1.8.1"));
        let y = rt("youki version: 0.7.0\ncommit: 0.7.0-VERGEN\nspec: 1.1.0\n");
        assert_eq!((y.name.as_str(), y.text.as_str()), ("youki", "0.7.0"));
        assert!(RuntimeVersion::parse("garbage").is_none());
        assert!(Version::parse("1.4.0-rc.1") < Version::parse("1.4.0"));
        assert!(Version::parse("1.2.0-rc.2") < Version::parse("1.2.0-rc.3"));
        assert_eq!(Version::parse("1.2").unwrap().to_string(), "1.2.0");
        assert!(Version::parse("x.y").is_none());
    }

    #[test]
    fn runc_versions_against_the_advisories() {
        let all = [
            "CVE-2024-45310",
            "CVE-2025-31133",
            "CVE-2025-52565",
            "CVE-2025-52881",
        ];
        assert_eq!(ids("runc version 1.1.5+ds1"), all, "Debian 12");
        assert_eq!(ids("runc version 1.1.13"), all);
        assert_eq!(ids("runc version 1.1.14"), &all[1..]);
        assert_eq!(ids("runc version 1.2.0-rc.2"), all);
        assert_eq!(ids("runc version 1.2.0"), &all[1..]);
        assert_eq!(ids("runc version 1.2.7"), &all[1..]);
        assert!(ids("runc version 1.2.8").is_empty());
        assert_eq!(ids("runc version 1.3.2"), &all[1..]);
        assert!(ids("runc version 1.3.3").is_empty());
        assert_eq!(ids("runc version 1.4.0-rc.2"), &all[1..]);
        assert!(ids("runc version 1.4.0").is_empty());
        assert!(ids("runc version 1.5.1").is_empty());
        assert!(ids("crun version 1.8.1").is_empty());
        assert!(ids("runc version unknown").is_empty());
    }

    #[test]
    fn describes_the_escapes_in_one_line() {
        let line = describe_escapes(&rt("runc version 1.1.5+ds1")).unwrap();
        assert!(line.starts_with("runc 1.1.5+ds1 has known container escapes: CVE-2024-45310 (fixed in 1.1.14, 1.2.0-rc.3), CVE-2025-31133 (fixed in 1.2.8, 1.3.3, 1.4.0-rc.3)"), "{line}");
        assert!(line.ends_with("use a fixed runc or crun (--runtime crun)"));
        assert_eq!(describe_escapes(&rt("runc version 1.3.3")), None);
    }
}
