//! Resource limits through the binary with the real runc and shim (issue 9):
//! `-m`, `--memory-swap`, `--cpu-shares` and `--cpus` reach the container's
//! cgroup (cgroup v1 here) and inspect's `HostConfig`, bad values give
//! Docker's errors and create nothing, and an out-of-memory kill shows as
//! `State.OOMKilled: true` with exit code 137. No networks (`--network none`).

use crate::containers::Lab;
use crate::require;
use std::path::Path;

use crate::containers::field;

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
        // `create` refuses it too, before making anything (docker's exit 1).
        args[0] = "create";
        args.remove(1);
        let out = lab.b().run(&args);
        assert_eq!(out.code, 1, "{out}");
        assert!(out.stderr.contains(want), "want {want:?}:\n{out}");
        assert!(
            lab.all_ids().is_empty(),
            "create {flags:?} left a container"
        );
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

/// A block device of this host for the throttle flags, with its
/// `major:minor` (None when the host shows none).
fn block_device() -> Option<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir("/sys/block")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort_by_key(|n| (n.starts_with("loop") || n.starts_with("zram"), n.clone()));
    names.into_iter().find_map(|n| {
        let dev = std::fs::read_to_string(format!("/sys/block/{n}/dev")).ok()?;
        let path = format!("/dev/{n}");
        Path::new(&path)
            .exists()
            .then(|| (path, dev.trim().to_string()))
    })
}

#[test]
fn the_other_resource_flags_reach_the_cgroup_and_inspect() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("flags");
    let (dev, majmin) = block_device().expect("a block device on this host");
    let flags = [
        "--name",
        &n,
        "--network",
        "none",
        "-m",
        "64m",
        "--memory-reservation",
        "32m",
        "--memory-swappiness",
        "10",
        "--cpu-period",
        "50000",
        "--cpu-quota",
        "25000",
        "--cpuset-cpus",
        "0",
        "--cpuset-mems",
        "0",
        "--device-read-bps",
        &format!("{dev}:1mb"),
        "--device-write-iops",
        &format!("{dev}:100"),
        "--oom-kill-disable",
        // Raised only: a sandboxed host may forbid lowering it.
        "--oom-score-adj",
        "500",
    ];
    lab.run_d(&flags, &["sleep", "300"]);
    let hc = |f: &str| field(&lab, &n, &format!("{{{{.HostConfig.{f}}}}}"));
    assert_eq!(hc("MemoryReservation"), "33554432");
    assert_eq!(hc("MemorySwappiness"), "10");
    assert_eq!(hc("CpuPeriod"), "50000");
    assert_eq!(hc("CpuQuota"), "25000");
    assert_eq!(hc("CpusetCpus"), "0");
    assert_eq!(hc("CpusetMems"), "0");
    assert_eq!(hc("OomKillDisable"), "true");
    assert_eq!(hc("OomScoreAdj"), "500");
    assert_eq!(
        field(&lab, &n, "{{json .HostConfig.BlkioDeviceReadBps}}"),
        format!("[{{\"Path\":\"{dev}\",\"Rate\":1048576}}]")
    );
    assert_eq!(
        field(&lab, &n, "{{json .HostConfig.BlkioDeviceWriteIOps}}"),
        format!("[{{\"Path\":\"{dev}\",\"Rate\":100}}]")
    );
    let cat = |f: &str| {
        lab.b()
            .ok(&["exec", &n, "cat", f])
            .stdout
            .trim()
            .to_string()
    };
    assert_eq!(cat("/proc/1/oom_score_adj"), "500");
    if v1() {
        assert_eq!(
            cat("/sys/fs/cgroup/memory/memory.soft_limit_in_bytes"),
            "33554432"
        );
        assert_eq!(cat("/sys/fs/cgroup/memory/memory.swappiness"), "10");
        assert!(cat("/sys/fs/cgroup/memory/memory.oom_control").contains("oom_kill_disable 1"));
        assert_eq!(cat("/sys/fs/cgroup/cpu/cpu.cfs_period_us"), "50000");
        assert_eq!(cat("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), "25000");
        assert_eq!(cat("/sys/fs/cgroup/cpuset/cpuset.cpus"), "0");
        assert_eq!(cat("/sys/fs/cgroup/cpuset/cpuset.mems"), "0");
        assert_eq!(
            cat("/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device"),
            format!("{majmin} 1048576")
        );
        assert_eq!(
            cat("/sys/fs/cgroup/blkio/blkio.throttle.write_iops_device"),
            format!("{majmin} 100")
        );
    } else {
        assert_eq!(cat("/sys/fs/cgroup/memory.low"), "33554432");
        assert_eq!(cat("/sys/fs/cgroup/cpu.max"), "25000 50000");
        assert_eq!(cat("/sys/fs/cgroup/cpuset.cpus"), "0");
        assert!(cat("/sys/fs/cgroup/io.max").contains(&format!("{majmin} rbps=1048576")));
    }
    // Unset, they read as Docker's zero values; a warning where moby gives one.
    let d = lab.name("nolimits");
    let out = lab.b().run(&[
        "create",
        "--name",
        &d,
        "--network",
        "none",
        "--oom-kill-disable",
        lab.image(),
        "true",
    ]);
    assert_eq!(out.code, 0, "{out}");
    if v1() {
        assert!(
            out.stderr.contains(
                "WARNING: OOM killer is disabled for the container, but no memory limit is set"
            ),
            "{out}"
        );
    }
    let d2 = lab.name("zero");
    lab.create(&["--name", &d2, "--network", "none"], &["true"]);
    for (f, want) in [
        ("MemoryReservation", "0"),
        ("CpuPeriod", "0"),
        ("CpuQuota", "0"),
        ("CpusetCpus", ""),
        ("BlkioWeight", "0"),
        ("OomScoreAdj", "0"),
        ("OomKillDisable", "false"),
    ] {
        assert_eq!(
            field(&lab, &d2, &format!("{{{{.HostConfig.{f}}}}}")),
            want,
            "{f}"
        );
    }
    assert_eq!(
        field(&lab, &d2, "{{json .HostConfig.MemorySwappiness}}"),
        "null"
    );
    lab.remove_all_and_check();
}

#[test]
fn bad_resource_flags_give_dockers_errors() {
    require!(@containers);
    let lab = Lab::new();
    let ncpu = std::thread::available_parallelism().unwrap().get();
    let too_many = (ncpu + 1).to_string();
    let cpus_range =
        format!("range of CPUs is from 0.01 to {ncpu}.00, as there are only {ncpu} CPUs available");
    let cases: &[(&[&str], &str)] = &[
        (&["--cpus", &too_many], &cpus_range),
        (
            &["--memory-swappiness", "101"],
            "Invalid value: 101, valid memory swappiness range is 0-100",
        ),
        (
            &["-m", "16m", "--memory-reservation", "32m"],
            "Minimum memory limit can not be less than memory reservation limit, see usage",
        ),
        (
            &["--cpus", "1", "--cpu-quota", "50000"],
            "Conflicting options: Nano CPUs and CPU Quota cannot both be set",
        ),
        (
            &["--cpuset-cpus", "0-999"],
            "Requested CPUs are not available - requested 0-999, available: ",
        ),
        (
            &["--cpuset-mems", "7"],
            "Requested memory nodes are not available - requested 7, available: ",
        ),
        (
            &["--oom-score-adj", "-1001"],
            "Invalid value -1001, range for oom score adj is [-1000, 1000]",
        ),
        (
            &["--device-read-bps", "sda:1mb"],
            "bad format for device path: sda:1mb",
        ),
        (
            &["--cpu-rt-runtime", "950000"],
            "real-time CPU scheduling is not supported",
        ),
    ];
    for (flags, want) in cases {
        let n = lab.name("bad");
        let mut args = vec!["run", "-d", "--network", "none", "--name", &n];
        args.extend_from_slice(flags);
        args.extend_from_slice(&[lab.image(), "true"]);
        let out = lab.b().run(&args);
        assert_eq!(out.code, 125, "{out}");
        assert!(out.stderr.contains(want), "want {want:?}:\n{out}");
        assert!(lab.all_ids().is_empty(), "{flags:?} left a container");
        // `create` refuses it too, before making anything (docker's exit 1).
        args[0] = "create";
        args.remove(1);
        let out = lab.b().run(&args);
        assert_eq!(out.code, 1, "{out}");
        assert!(out.stderr.contains(want), "want {want:?}:\n{out}");
        assert!(
            lab.all_ids().is_empty(),
            "create {flags:?} left a container"
        );
    }
    lab.remove_all_and_check();
}

#[test]
fn update_changes_a_running_containers_limits_and_a_restart_keeps_them() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("upd");
    lab.run_d(
        &[
            "--name",
            &n,
            "--network",
            "none",
            "-m",
            "64m",
            "--pids-limit",
            "50",
        ],
        &["sleep", "300"],
    );
    let cat = |f: &str| {
        lab.b()
            .ok(&["exec", &n, "cat", f])
            .stdout
            .trim()
            .to_string()
    };
    let (mem_file, pids_file) = if v1() {
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/pids/pids.max",
        )
    } else {
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/pids.max")
    };
    assert_eq!(cat(mem_file), "67108864");
    assert_eq!(cat(pids_file), "50");
    let out = lab.b().ok(&[
        "update",
        "-m",
        "96m",
        "--pids-limit",
        "80",
        "--memory-reservation",
        "48m",
        &n,
    ]);
    assert_eq!(out.stdout.trim(), n);
    assert_eq!(cat(mem_file), "100663296");
    assert_eq!(cat(pids_file), "80");
    let hc = |f: &str| field(&lab, &n, &format!("{{{{.HostConfig.{f}}}}}"));
    assert_eq!(hc("Memory"), "100663296");
    assert_eq!(hc("PidsLimit"), "80");
    assert_eq!(hc("MemoryReservation"), "50331648");
    // Lifting the pids limit, and docker's refusal of a memory limit above
    // the swap limit (-m 64m alone gave 128m of memory+swap).
    lab.b().ok(&["update", "--pids-limit", "-1", &n]);
    assert_eq!(cat(pids_file), "max");
    // --kernel-memory is taken and ignored, as by Docker 23+.
    let out = lab.b().ok(&["update", "--kernel-memory", "10m", &n]);
    assert!(
        out.stdout.starts_with(&format!("{n}\n"))
            && out.stdout.contains("--kernel-memory is ignored"),
        "{out}"
    );
    lab.b().code(&["update", "--kernel-memory", "lots", &n], 1);
    assert_eq!(field(&lab, &n, "{{json .HostConfig.PidsLimit}}"), "null");
    let out = lab.b().code(&["update", "-m", "512m", &n], 1);
    assert!(
        out.stderr.contains(
            "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time"
        ),
        "{out}"
    );
    assert_eq!(
        cat(mem_file),
        "100663296",
        "a refused update changes nothing"
    );
    // A restart keeps the new limits; a stopped container's update is stored.
    lab.b().ok(&["restart", "-t", "0", &n]);
    assert_eq!(cat(mem_file), "100663296");
    lab.b().ok(&["stop", "-t", "0", &n]);
    lab.b().ok(&["update", "--pids-limit", "30", &n]);
    assert_eq!(hc("PidsLimit"), "30");
    lab.b().ok(&["start", &n]);
    assert_eq!(cat(pids_file), "30");
    // `stats` reads the updated limit: docker's `{{json .}}` object.
    let out = lab
        .b()
        .ok(&["stats", "--no-stream", "--format", "{{json .}}", &n]);
    let row: serde_json::Value = serde_json::from_str(out.stdout.trim()).expect("one JSON row");
    let keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "BlockIO",
            "CPUPerc",
            "Container",
            "ID",
            "MemPerc",
            "MemUsage",
            "Name",
            "NetIO",
            "PIDs"
        ],
        "{out}"
    );
    assert!(
        row["MemUsage"].as_str().unwrap().ends_with(" / 96MiB"),
        "{out}"
    );
    assert_eq!(row["Name"], n.as_str());
    assert_eq!(row["PIDs"], "1");
    lab.remove_all_and_check();
}
