//! Resource limits through the binary with the real runc and shim (issue 9):
//! `-m`, `--memory-swap`, `--cpu-shares` and `--cpus` reach the container's
//! cgroup (cgroup v1 here) and inspect's `HostConfig`, bad values give
//! Docker's errors and create nothing, and an out-of-memory kill shows as
//! `State.OOMKilled: true` with exit code 137. No networks (`--network none`).

use crate::containers::Lab;
use crate::require;
use std::path::Path;

/// `inspect -f FORMAT name`, trimmed.
#[track_caller]
fn field(lab: &Lab, name: &str, format: &str) -> String {
    lab.b()
        .ok(&["inspect", "-f", format, name])
        .stdout
        .trim()
        .to_string()
}

fn v1() -> bool {
    Path::new("/sys/fs/cgroup/memory/memory.limit_in_bytes").exists()
}

#[test]
fn limits_reach_the_cgroup_and_inspect() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("limits");
    let swap_accounting = Path::new("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes").exists();
    let flags = [
        "--name",
        &n,
        "--network",
        "none",
        "-m",
        "64m",
        "--memory-swap",
        "128m",
        "-c",
        "512",
        "--cpus",
        "0.5",
    ];
    lab.run_d(&flags, &["sleep", "300"]);
    assert_eq!(field(&lab, &n, "{{.HostConfig.Memory}}"), "67108864");
    assert_eq!(field(&lab, &n, "{{.HostConfig.MemorySwap}}"), "134217728");
    assert_eq!(field(&lab, &n, "{{.HostConfig.CpuShares}}"), "512");
    assert_eq!(field(&lab, &n, "{{.HostConfig.NanoCpus}}"), "500000000");
    if v1() {
        let cat = |f: &str| {
            lab.b()
                .ok(&["exec", &n, "cat", f])
                .stdout
                .trim()
                .to_string()
        };
        assert_eq!(
            cat("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
            "67108864"
        );
        if swap_accounting {
            assert_eq!(
                cat("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"),
                "134217728"
            );
        }
        assert_eq!(cat("/sys/fs/cgroup/cpu/cpu.shares"), "512");
        assert_eq!(cat("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), "50000");
    } else {
        let cat = |f: &str| {
            lab.b()
                .ok(&["exec", &n, "cat", f])
                .stdout
                .trim()
                .to_string()
        };
        assert_eq!(cat("/sys/fs/cgroup/memory.max"), "67108864");
        assert_eq!(cat("/sys/fs/cgroup/cpu.max"), "50000 100000");
    }
    // Unset limits read as Docker's zero values.
    let d = lab.name("defaults");
    lab.create(&["--name", &d, "--network", "none"], &["true"]);
    for f in ["Memory", "MemorySwap", "CpuShares", "NanoCpus"] {
        assert_eq!(
            field(&lab, &d, &format!("{{{{.HostConfig.{f}}}}}")),
            "0",
            "{f}"
        );
    }
    lab.remove_all_and_check();
}

#[test]
fn bad_limits_give_dockers_errors_and_create_nothing() {
    require!(@containers);
    let lab = Lab::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--memory-swap", "64m"],
            "You should always set the Memory limit when using Memoryswap limit, see usage",
        ),
        (
            &["-m", "64m", "--memory-swap", "32m"],
            "Minimum memoryswap limit should be larger than memory limit, see usage",
        ),
        (&["-m", "1m"], "Minimum memory limit allowed is 6MB"),
    ];
    for (flags, want) in cases {
        let n = lab.name("bad");
        let mut args = vec!["run", "-d", "--network", "none", "--name", &n];
        args.extend_from_slice(flags);
        args.extend_from_slice(&[lab.image(), "true"]);
        let out = lab.b().run(&args);
        assert_ne!(out.code, 0, "{out}");
        assert!(out.stderr.contains(want), "want {want:?}:\n{out}");
        assert!(lab.all_ids().is_empty(), "{flags:?} left a container");
    }
    lab.remove_all_and_check();
}

#[test]
fn an_oom_kill_shows_in_inspect_with_exit_137() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("oom");
    let out = lab.run(
        &[
            "--name",
            &n,
            "--network",
            "none",
            "-m",
            "8m",
            "--memory-swap",
            "8m",
        ],
        &["sh", "-c", "tail /dev/zero"],
    );
    assert_eq!(out.code, 137, "{out}");
    assert_eq!(field(&lab, &n, "{{.State.OOMKilled}}"), "true");
    assert_eq!(field(&lab, &n, "{{.State.ExitCode}}"), "137");
    // A plain exit is not an OOM kill.
    let ok = lab.name("fine");
    lab.run(&["--name", &ok, "--network", "none", "-m", "8m"], &["true"]);
    assert_eq!(field(&lab, &ok, "{{.State.OOMKilled}}"), "false");
    lab.remove_all_and_check();
}
