//! `require!(Need::Root, Need::Skopeo, ...)`: skip a test (return early with a
//! message on stderr) when the environment lacks something it needs, but fail
//! it when `CI=true`, where every dependency is supposed to be installed.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Effective uid 0 (unpacking layers with owners and device nodes, mounts).
    Root,
    /// The `runc` binary.
    Runc,
    /// The `skopeo` binary (pushing fixtures, checking pushes).
    Skopeo,
    /// The `podman` binary (archive interop).
    Podman,
    /// Debian's `docker-registry` binary.
    Registry,
    /// `htpasswd` from apache2-utils (bcrypt entries for registry auth).
    Htpasswd,
    /// `/bin/busybox` from busybox-static (the fixtures' only binary).
    Busybox,
    /// The CNI plugins (containernetworking-plugins), `iptables` and `ip`,
    /// and root to use them.
    Cni,
}

impl Need {
    fn present(self) -> bool {
        match self {
            Need::Root => is_root(),
            Need::Runc => find_binary("runc").is_some(),
            Need::Skopeo => find_binary("skopeo").is_some(),
            Need::Podman => find_binary("podman").is_some(),
            Need::Registry => Path::new(super::registry::REGISTRY_BIN).is_file(),
            Need::Htpasswd => find_binary("htpasswd").is_some(),
            Need::Busybox => Path::new(super::fixtures::BUSYBOX).is_file(),
            Need::Cni => {
                is_root()
                    && Path::new("/usr/lib/cni/bridge").is_file()
                    && find_binary("iptables").is_some()
                    && find_binary("ip").is_some()
            }
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Need::Root => "run as root",
            Need::Runc => "apt-get install runc",
            Need::Skopeo => "apt-get install skopeo",
            Need::Podman => "apt-get install podman",
            Need::Registry => "apt-get install docker-registry",
            Need::Htpasswd => "apt-get install apache2-utils",
            Need::Busybox => "apt-get install busybox-static",
            Need::Cni => {
                "run as root; apt-get install containernetworking-plugins iptables iproute2"
            }
        }
    }
}

/// True when the test may go on. Prefer the `require!` macro.
pub fn check(test: &str, needs: &[Need]) -> bool {
    let missing: Vec<Need> = needs.iter().copied().filter(|n| !n.present()).collect();
    if missing.is_empty() {
        return true;
    }
    let what: Vec<String> = missing
        .iter()
        .map(|n| format!("{n:?} ({})", n.hint()))
        .collect();
    if in_ci() {
        panic!(
            "{test}: missing {} and CI=true turns skips into failures \
             (scripts/test.sh installs everything)",
            what.join(", ")
        );
    }
    eprintln!("skipping {test}: missing {}", what.join(", "));
    false
}

pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v.eq_ignore_ascii_case("true") || v == "1")
        .unwrap_or(false)
}

pub fn is_root() -> bool {
    // /proc/self/status "Uid:\treal\teffective\t..."; no libc call needed.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

/// `name` on `$PATH`, or in the sbin dirs a non-root `$PATH` often lacks.
pub fn find_binary(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(Into::into))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Skip (or, under CI=true, fail) the current test unless all needs are met.
#[macro_export]
macro_rules! require {
    // What every container test needs: root, runc, busybox-static for the
    // image, skopeo and the registry to serve it.
    (@containers) => {
        require!(
            $crate::support::require::Need::Root,
            $crate::support::require::Need::Runc,
            $crate::support::require::Need::Busybox,
            $crate::support::require::Need::Skopeo,
            $crate::support::require::Need::Registry
        )
    };
    // A container test that also needs the CNI plugins (networks, ports).
    (@network) => {
        require!(
            $crate::support::require::Need::Root,
            $crate::support::require::Need::Runc,
            $crate::support::require::Need::Busybox,
            $crate::support::require::Need::Skopeo,
            $crate::support::require::Need::Registry,
            $crate::support::require::Need::Cni
        )
    };
    ($($need:expr),+ $(,)?) => {
        if !$crate::support::require::check(
            {
                fn f() {}
                let name = std::any::type_name_of_val(&f);
                name.strip_suffix("::f").unwrap_or(name)
            },
            &[$($need),+],
        ) {
            return;
        }
    };
}
