//! `version`, `info`, `system df`, `system prune` and `doctor` through the
//! binary: fields against what the test created, prune against Docker's
//! rules, and the doctor against a host broken on purpose (a runtime path
//! that does not exist, a CNI dir without plugins, a data root on a
//! filesystem without d_type, leaked mounts and network state), each with
//! its fix, and `--fix` cleaning the leaks. Networks: each `Berth` env's own
//! bridge and /24 (harness, 10.100-10.199); no other range is used here.

use crate::containers::Lab;
use crate::require;
use crate::support::require::Need;
use crate::support::{temp_dir, Berth};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn json_of(out: &crate::support::berth::Out) -> Value {
    serde_json::from_str(out.stdout.trim()).unwrap_or_else(|e| panic!("{e}:\n{out}"))
}

fn check<'a>(checks: &'a Value, id: &str) -> &'a Value {
    checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#}"))
}

#[test]
fn version_prints_docker_sections_and_formats() {
    let b = Berth::new();
    let v = b.ok(&["-v"]);
    let want = format!("berth version {}, build ", env!("CARGO_PKG_VERSION"));
    assert!(v.stdout.starts_with(&want), "{v}");
    assert_eq!(v.stdout.lines().count(), 1, "{v}");
    let long = b.ok(&["--version"]);
    assert_eq!(long.stdout, v.stdout);
    let out = b.ok(&["version"]);
    assert!(
        out.stdout.starts_with("Client:\n Version:           "),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("\nServer: berth (daemonless)\n Engine:\n  Version:"),
        "{out}"
    );
    let client = b.ok(&["version", "--format", "{{.Client.Version}}"]);
    assert_eq!(client.stdout, format!("{}\n", env!("CARGO_PKG_VERSION")));
    // ansible's docker connection quotes the template and compares the result.
    let server = b.ok(&["version", "--format", "'{{.Server.Version}}'"]);
    let s = server.stdout.trim().trim_matches('\'');
    let major: u32 = s.split('.').next().unwrap().parse().expect(s);
    assert!(
        major >= 18,
        "Server.Version {s} must pass the 18.06 gate of tools"
    );
    let j = json_of(&b.ok(&["version", "--format", "json"]));
    assert_eq!(j["Client"]["Version"], env!("CARGO_PKG_VERSION"));
    let names: Vec<&str> = j["Server"]["Components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap())
        .collect();
    assert_eq!(&names[..2], ["Engine", "berth"], "{j:#}");
    let bad = b.run(&["version", "--format", "{{.Nope"]);
    assert_ne!(bad.code, 0, "{bad}");
}

#[test]
fn info_counts_what_the_test_created() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let stopped = lab.name("info-stopped");
    let running = lab.name("info-running");
    lab.create(&["--name", &stopped], &["true"]);
    lab.run_d(&["--name", &running], &["sleep", "60"]);
    let info = json_of(&b.ok(&["info", "--format", "{{json .}}"]));
    assert_eq!(info["Containers"], 2, "{info:#}");
    assert_eq!(info["ContainersRunning"], 1);
    assert_eq!(info["ContainersPaused"], 0);
    assert_eq!(info["ContainersStopped"], 1);
    assert_eq!(info["Images"], 1);
    assert_eq!(info["DockerRootDir"], b.data_root.display().to_string());
    assert!(["overlayfs", "native"].contains(&info["Driver"].as_str().unwrap()));
    assert_eq!(info["DriverStatus"][0][0], "Backing Filesystem");
    assert_eq!(info["LoggingDriver"], "json-file");
    assert_eq!(info["OSType"], "linux");
    assert!(info["NCPU"].as_u64().unwrap() >= 1);
    assert!(info["MemTotal"].as_u64().unwrap() > 0);
    let rt = info["DefaultRuntime"].as_str().unwrap();
    assert!(
        info["Runtimes"].get(rt).is_some() || rt.contains('/'),
        "{info:#}"
    );
    let one = b.ok(&[
        "system",
        "info",
        "--format",
        "{{.Driver}} {{.ContainersRunning}}",
    ]);
    assert_eq!(
        one.stdout,
        format!("{} 1\n", info["Driver"].as_str().unwrap())
    );
    let human = b.ok(&["info"]);
    assert!(human.stdout.starts_with("Client:\n"), "{human}");
    assert!(
        human.stdout.contains(
            "\nServer:\n Containers: 2\n  Running: 1\n  Paused: 0\n  Stopped: 1\n Images: 1\n"
        ),
        "{human}"
    );
    b.ok(&["pause", &running]);
    let paused = b.ok(&[
        "info",
        "--format",
        "{{.ContainersPaused}} {{.ContainersRunning}}",
    ]);
    assert_eq!(paused.stdout, "1 0\n");
    lab.remove_all_and_check();
}

#[test]
fn info_and_doctor_name_a_missing_runtime_and_its_fix() {
    let b = Berth::new();
    let out = b.run(&[
        "--runtime",
        "/nonexistent/runc",
        "doctor",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let checks = json_of(&out);
    let rt = check(&checks, "runtime");
    assert_eq!(rt["status"], "error", "{rt}");
    assert!(
        rt["found"].as_str().unwrap().contains("/nonexistent/runc"),
        "{rt}"
    );
    assert!(
        rt["fix"].as_str().unwrap().contains("apt-get install runc"),
        "{rt}"
    );
    let info = b.run(&["--runtime", "/nonexistent/runc", "info"]);
    assert_eq!(info.code, 0, "{info}");
    assert!(
        info.stderr
            .contains("WARNING: OCI runtime \"/nonexistent/runc\" not found"),
        "{info}"
    );
    // The same host problem met by `run` points at the doctor.
    let run = b.run(&["--runtime", "/nonexistent/runc", "create", "busybox"]);
    assert_ne!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .trim_end()
            .ends_with("run `berth doctor` for details"),
        "{run}"
    );
}

#[test]
fn doctor_reports_a_cni_dir_without_plugins() {
    let b = Berth::new();
    let empty = temp_dir("no-plugins");
    let dir = empty.path().display().to_string();
    let out = b.run(&["--cni-path", &dir, "doctor"]);
    assert_eq!(out.code, 1, "{out}");
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("error  cni-plugins"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains(&dir) && line.contains("bridge, host-local, portmap"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("fix: apt-get install containernetworking-plugins"),
        "{out}"
    );
}

#[test]
fn doctor_reports_a_data_root_overlayfs_cannot_use() {
    require!(Need::Root);
    // An ext4 made without the filetype feature has no d_type, which
    // overlayfs needs (as a vfat one would: this kernel may lack vfat).
    let tmp = temp_dir("no-dtype");
    let img = tmp.path().join("fs.img");
    let mnt = tmp.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let sh = |args: &[&str]| {
        let st = Command::new(args[0]).args(&args[1..]).status().unwrap();
        assert!(st.success(), "{args:?}");
    };
    sh(&["truncate", "-s", "256M", img.to_str().unwrap()]);
    sh(&["mkfs.ext4", "-q", "-O", "^filetype", img.to_str().unwrap()]);
    sh(&[
        "mount",
        "-o",
        "loop",
        img.to_str().unwrap(),
        mnt.to_str().unwrap(),
    ]);
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-d").arg(self.0).status();
        }
    }
    let _guard = Unmount(&mnt);
    let mut b = Berth::new();
    b.data_root = mnt.join("data");
    let out = b.run(&["doctor", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    let ov = check(&json_of(&out), "overlay").clone();
    assert_eq!(ov["status"], "error", "{ov}");
    assert!(
        ov["found"].as_str().unwrap().contains("without d_type"),
        "{ov}"
    );
    assert!(
        ov["fix"]
            .as_str()
            .unwrap()
            .contains("snapshotter = \"native\""),
        "{ov}"
    );
}

#[test]
fn doctor_finds_leaked_state_and_fix_cleans_it() {
    require!(Need::Root);
    let b = Berth::new();
    b.ok(&["images"]); // creates the roots
    let ghost = "d0c7".repeat(16);
    let merged = b
        .data_root
        .join("snapshots/containers")
        .join(&ghost)
        .join("merged");
    std::fs::create_dir_all(&merged).unwrap();
    let st = Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&merged)
        .status()
        .unwrap();
    assert!(st.success());
    let lease_dir = b.state_root.join("network/ipam/bridge");
    std::fs::create_dir_all(&lease_dir).unwrap();
    std::fs::write(lease_dir.join("10.1.2.3"), format!("{ghost}\neth0")).unwrap();
    let shim_dir = b.state_root.join("containers").join(&ghost);
    std::fs::create_dir_all(&shim_dir).unwrap();

    let out = b.run(&["doctor", "--format", "json"]);
    let left = check(&json_of(&out), "leftovers").clone();
    assert_eq!(left["status"], "warn", "{left}");
    let found = left["found"].as_str().unwrap();
    for want in [
        merged.display().to_string(),
        lease_dir.join("10.1.2.3").display().to_string(),
        shim_dir.display().to_string(),
    ] {
        assert!(found.contains(&want), "{want} not in {found}");
    }
    assert_eq!(left["fix"], "berth doctor --fix");

    let fixed = b.run(&["doctor", "--fix"]);
    assert!(
        fixed
            .stdout
            .contains(&format!("removed: mount {}", merged.display())),
        "{fixed}"
    );
    let mounted = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    assert!(!mounted.contains(&ghost), "mount left:\n{mounted}");
    assert!(!lease_dir.join("10.1.2.3").exists());
    assert!(!shim_dir.exists());
    assert!(!b
        .data_root
        .join("snapshots/containers")
        .join(&ghost)
        .exists());
    let after = b.run(&["doctor", "--format", "json"]);
    assert_eq!(
        check(&json_of(&after), "leftovers")["status"],
        "ok",
        "{after}"
    );
}
