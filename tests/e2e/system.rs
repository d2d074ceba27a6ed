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
fn a_run_without_cni_plugins_points_at_the_doctor() {
    require!(@containers);
    let lab = Lab::new();
    let empty = temp_dir("no-plugins-run");
    let dir = empty.path().display().to_string();
    let out = lab
        .b()
        .run(&["--cni-path", &dir, "run", "--rm", lab.image(), "true"]);
    assert_ne!(out.code, 0, "{out}");
    assert!(out.stderr.contains("not found in"), "{out}");
    assert!(
        out.stderr
            .trim_end()
            .ends_with("run `berth doctor` for details"),
        "{out}"
    );
    lab.remove_all_and_check();
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
    require!(Need::Root, Need::Cni);
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
    // The nat rules a bridge masquerade leaves when its DEL never ran, on a
    // network of this berth (10.250-255.x, third octet from the env's
    // subnet); a rule of the same name outside its subnet is someone
    // else's and must stay.
    let third: u32 = b.subnet.split('.').nth(2).unwrap().parse().unwrap();
    let prefix = format!("10.{}.{}", 250 + std::process::id() % 6, (third + 64) % 256);
    let net = crate::support::unique("ghostnet");
    b.ok(&[
        "network",
        "create",
        "--subnet",
        &format!("{prefix}.0/24"),
        &net,
    ]);
    let chain = format!("CNI-T{:x}{third:x}", std::process::id());
    let comment = format!("name: \"{net}\" id: \"{ghost}\"");
    let decoy_id = "dec0".repeat(16);
    let decoy_comment = format!("name: \"{net}\" id: \"{decoy_id}\"");
    let ipt = |args: &[&str]| {
        let st = Command::new("iptables")
            .arg("-w")
            .args(args)
            .status()
            .unwrap();
        assert!(st.success(), "iptables {args:?}");
    };
    ipt(&["-t", "nat", "-N", &chain]);
    ipt(&[
        "-t",
        "nat",
        "-A",
        &chain,
        "-m",
        "comment",
        "--comment",
        &comment,
        "-j",
        "RETURN",
    ]);
    let jump: Vec<String> = [
        "-s",
        &format!("{prefix}.7/32"),
        "-m",
        "comment",
        "--comment",
        &comment,
        "-j",
        &chain,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let decoy: Vec<String> = [
        "-s",
        "192.0.2.7/32",
        "-m",
        "comment",
        "--comment",
        &decoy_comment,
        "-j",
        "RETURN",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let with = |op: &str, rule: &[String]| {
        let mut a = vec!["-t", "nat", op, "POSTROUTING"];
        a.extend(rule.iter().map(String::as_str));
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run_ipt = |a: Vec<String>| {
        Command::new("iptables")
            .arg("-w")
            .args(&a)
            .status()
            .unwrap()
            .success()
    };
    assert!(run_ipt(with("-A", &jump)));
    assert!(run_ipt(with("-A", &decoy)));
    struct Cleanup(Box<dyn Fn()>);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            (self.0)()
        }
    }
    let (c2, j2, d2) = (chain.clone(), with("-D", &jump), with("-D", &decoy));
    let _cleanup = Cleanup(Box::new(move || {
        let q = |a: &[String]| {
            let _ = Command::new("iptables")
                .arg("-w")
                .args(a)
                .stderr(std::process::Stdio::null())
                .status();
        };
        q(&j2);
        q(&d2);
        q(&["-t".into(), "nat".into(), "-F".into(), c2.clone()]);
        q(&["-t".into(), "nat".into(), "-X".into(), c2.clone()]);
    }));

    let out = b.run(&["doctor", "--format", "json"]);
    let left = check(&json_of(&out), "leftovers").clone();
    assert_eq!(left["status"], "warn", "{left}");
    let found = left["items"].to_string();
    for want in [
        merged.display().to_string(),
        lease_dir.join("10.1.2.3").display().to_string(),
        shim_dir.display().to_string(),
    ] {
        assert!(found.contains(&want), "{want} not in {found}");
    }
    assert!(found.contains(&format!("-t nat -A {chain} ")), "{found}");
    assert!(found.contains(&format!("-s {prefix}.7/32")), "{found}");
    assert!(!found.contains(&decoy_id), "another's rule taken: {found}");
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
    let nat = String::from_utf8(
        Command::new("iptables")
            .args(["-w", "-t", "nat", "-S"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(!nat.contains(&ghost), "rules left:\n{nat}");
    assert!(
        !nat.contains(&format!("-N {chain}\n")),
        "chain left:\n{nat}"
    );
    assert!(nat.contains(&decoy_id), "another's rule removed:\n{nat}");
    let after = b.run(&["doctor", "--format", "json"]);
    assert_eq!(
        check(&json_of(&after), "leftovers")["status"],
        "ok",
        "{after}"
    );
}

/// Parse `system df --format '{{json .}}'` into (type, row).
fn df_rows(b: &Berth) -> Vec<(String, Value)> {
    let out = b.ok(&["system", "df", "--format", "{{json .}}"]);
    out.stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (v["Type"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

#[test]
fn system_df_counts_images_containers_and_volumes() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let stopped = lab.name("df-stopped");
    let running = lab.name("df-running");
    let vol = lab.name("df-vol");
    lab.run(
        &["--name", &stopped],
        &["sh", "-c", "head -c 100000 /dev/zero > /f"],
    );
    lab.run_d(&["--name", &running], &["sleep", "60"]);
    lab.run_ok(
        &["-v", &format!("{vol}:/v")],
        &["sh", "-c", "head -c 5000 /dev/zero > /v/f"],
    );
    let rows = df_rows(b);
    let types: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        types,
        ["Images", "Containers", "Local Volumes", "Build Cache"]
    );
    let row = |t: &str| rows.iter().find(|r| r.0 == t).unwrap().1.clone();
    let images = row("Images");
    assert_eq!(
        (images["TotalCount"].as_str(), images["Active"].as_str()),
        (Some("1"), Some("1")),
        "{images}"
    );
    assert_ne!(images["Size"], "0B", "{images}");
    assert_eq!(
        images["Reclaimable"], "0B (0%)",
        "the only image is in use: {images}"
    );
    let ctrs = row("Containers");
    assert_eq!(
        (ctrs["TotalCount"].as_str(), ctrs["Active"].as_str()),
        (Some("2"), Some("1")),
        "{ctrs}"
    );
    // The stopped container's 100 kB file is all there is to reclaim.
    assert!(
        ctrs["Reclaimable"].as_str().unwrap().ends_with("(100%)"),
        "{ctrs}"
    );
    assert!(ctrs["Size"].as_str().unwrap().ends_with("kB"), "{ctrs}");
    let vols = row("Local Volumes");
    assert_eq!(
        (vols["TotalCount"].as_str(), vols["Active"].as_str()),
        (Some("1"), Some("0")),
        "{vols}"
    );
    assert!(
        vols["Reclaimable"].as_str().unwrap().ends_with("(100%)"),
        "{vols}"
    );
    assert_eq!(row("Build Cache")["Size"], "0B");

    let table = b.ok(&["system", "df"]);
    assert!(table.stdout.starts_with("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\nImages          1         1    "), "{table}");
    let verbose = b.ok(&["system", "df", "-v"]);
    for want in [
        "Images space usage:",
        "Containers space usage:",
        "Local Volumes space usage:",
        "Build cache usage: 0B",
        &stopped,
        &running,
        &vol,
    ] {
        assert!(verbose.stdout.contains(want), "{want} missing:\n{verbose}");
    }
    b.ok(&["volume", "rm", &vol]);
    lab.remove_all_and_check();
}

#[test]
fn system_prune_removes_what_docker_does_and_nothing_in_use() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    // Two user networks on this env's own /24s (10.250-255.x, third octet
    // taken from the env's subnet so parallel envs differ).
    let third: u32 = b.subnet.split('.').nth(2).unwrap().parse().unwrap();
    let second = 250 + std::process::id() % 6;
    let (used_net, idle_net) = (lab.name("sp-used"), lab.name("sp-idle"));
    let (used_br, idle_br) = (
        format!("spu{}x{third}", std::process::id() % 100000),
        format!("spi{}x{third}", std::process::id() % 100000),
    );
    for (name, br, third) in [
        (&used_net, &used_br, third),
        (&idle_net, &idle_br, (third + 128) % 256),
    ] {
        b.ok(&[
            "network",
            "create",
            "--subnet",
            &format!("10.{second}.{third}.0/24"),
            "-o",
            &format!("com.docker.network.bridge.name={br}"),
            name,
        ]);
    }
    let running = lab.name("sp-running");
    let stopped = lab.name("sp-stopped");
    let anon_owner = lab.name("sp-anon");
    let named = lab.name("sp-named");
    let run_id = lab.run_d(
        &["--name", &running, "--network", &used_net, "-v", "/busy"],
        &["sleep", "60"],
    );
    let stopped_id = lab.create(&["--name", &stopped], &["true"]);
    // An anonymous volume no container uses any more, and a named one.
    lab.run(&["--name", &anon_owner, "-v", "/data"], &["true"]);
    let anon = b
        .ok(&[
            "inspect",
            "--format",
            "{{range .Mounts}}{{.Name}}{{end}}",
            &anon_owner,
        ])
        .stdout
        .trim()
        .to_string();
    b.ok(&["rm", &anon_owner]);
    b.ok(&["volume", "create", &named]);
    // An image no container uses.
    let unused_image = format!("{}-unused", lab.name("sp-img"));
    b.ok(&["commit", &stopped, &unused_image]);

    // Declining the prompt removes nothing.
    let no = b.run_stdin(&["system", "prune", "-a", "--volumes"], Some("n\n"));
    assert_eq!(no.code, 0, "{no}");
    assert!(no.stderr.starts_with("WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all anonymous volumes not used by at least one container\n  - all images without at least one container associated to them\n  - unused build cache\n"), "{no}");
    assert!(no.stdout.is_empty(), "{no}");
    assert!(b
        .ok(&["ps", "-aq", "--no-trunc"])
        .stdout
        .contains(&stopped_id));

    let out = b.ok(&["system", "prune", "-a", "--volumes", "-f"]);
    let text = &out.stdout;
    let section = |h: &str| -> Vec<String> {
        text.split("\n\n")
            .find_map(|s| s.strip_prefix(&format!("{h}\n")))
            .map(|s| s.lines().map(str::to_string).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        section("Deleted Containers:"),
        std::slice::from_ref(&stopped_id),
        "{out}"
    );
    assert_eq!(
        section("Deleted Networks:"),
        std::slice::from_ref(&idle_net),
        "{out}"
    );
    assert_eq!(
        section("Deleted Volumes:"),
        std::slice::from_ref(&anon),
        "{out}"
    );
    let imgs = section("Deleted Images:");
    assert!(
        imgs.iter()
            .any(|l| l.starts_with("untagged: ") && l.contains(&unused_image)),
        "{out}"
    );
    assert!(
        imgs.iter().any(|l| l.starts_with("deleted: sha256:")),
        "{out}"
    );
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("Total reclaimed space: "),
        "{out}"
    );
    let order: Vec<usize> = [
        "Deleted Containers:",
        "Deleted Networks:",
        "Deleted Volumes:",
        "Deleted Images:",
    ]
    .iter()
    .map(|h| text.find(h).unwrap())
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "Docker's order: {out}"
    );

    // What the running container uses stays.
    let state = b.ok(&["inspect", "--format", "{{.State.Status}}", &run_id]);
    assert_eq!(state.stdout.trim(), "running");
    b.ok(&["network", "inspect", &used_net]);
    b.ok(&["volume", "inspect", &named]);
    b.ok(&["image", "inspect", lab.image()]);
    assert_ne!(b.run(&["network", "inspect", &idle_net]).code, 0);
    // A second prune finds nothing.
    let again = b.ok(&["system", "prune", "-f"]);
    assert_eq!(again.stdout, "Total reclaimed space: 0B\n", "{again}");
    b.ok(&["rm", "-f", "-v", &run_id]);
    b.ok(&["network", "rm", &used_net]);
    b.ok(&["volume", "rm", &named]);
    let until = b.run(&["system", "prune", "-f", "--volumes", "--filter", "until=1h"]);
    assert_ne!(until.code, 0, "{until}");
    assert!(
        until
            .stderr
            .contains("The \"until\" filter is not supported with \"--volumes\""),
        "{until}"
    );
    lab.remove_all_and_check();
}

#[test]
fn doctor_fix_cleans_a_container_whose_record_vanished() {
    require!(@containers);
    require!(Need::Cni);
    let lab = Lab::new();
    let b = lab.b();
    let port = crate::support::free_port().to_string();
    let id = lab.run_d(
        &[
            "--name",
            &lab.name("vanish"),
            "-p",
            &format!("127.0.0.1:{port}:80"),
        ],
        &["sleep", "600"],
    );
    // The record goes while the container runs, as a data root restored
    // from a backup, or a crash between a removal's steps, would leave it.
    let db = rusqlite::Connection::open(b.data_root.join("berth.db")).unwrap();
    db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    db.execute("DELETE FROM containers WHERE id = ?1", [&id])
        .unwrap();
    drop(db);
    let nat = || {
        String::from_utf8(
            Command::new("iptables")
                .args(["-w", "-t", "nat", "-S"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    assert!(
        nat().contains(&id),
        "the test needs the portmap/masquerade rules"
    );

    let out = b.run(&["doctor", "--format", "json"]);
    let left = check(&json_of(&out), "leftovers").clone();
    assert_eq!(left["status"], "warn", "{left}");
    let found = left["found"].as_str().unwrap();
    assert!(
        found.starts_with("state of 1 removed container(s)"),
        "{found}"
    );
    for kind in [
        "mount",
        "network namespace",
        "CNI attachment",
        "IPAM lease",
        "shim state",
        "bundle",
        "snapshot",
    ] {
        assert!(found.contains(kind), "{kind} not found: {found}");
    }
    let fixed = b.run(&["doctor", "--fix"]);
    assert!(!fixed.stdout.contains("not removed"), "{fixed}");
    assert!(!nat().contains(&id), "rules left:\n{}", nat());
    let after = b.run(&["doctor", "--format", "json"]);
    assert_eq!(
        check(&json_of(&after), "leftovers")["status"],
        "ok",
        "{after}"
    );
    lab.assert_clean();
}

#[test]
fn doctor_warns_about_cni_rules_in_the_other_iptables_backend() {
    require!(Need::Root, Need::Cni);
    let b = Berth::new();
    let which = b.ok(&["doctor", "--format", "json"]);
    let ipt = check(&json_of(&which), "iptables")["found"]
        .as_str()
        .unwrap()
        .to_string();
    let other = if ipt.contains("nf_tables") {
        "iptables-legacy"
    } else {
        "iptables-nft"
    };
    if Command::new(other).arg("--version").output().is_err() {
        assert!(std::env::var("CI").is_err(), "{other} missing");
        return;
    }
    let chain = format!("CNI-B{:x}", std::process::id());
    let st = Command::new(other)
        .args(["-w", "-t", "nat", "-N", &chain])
        .status()
        .unwrap();
    assert!(st.success());
    let out = b.run(&["doctor", "--format", "json"]);
    let _ = Command::new(other)
        .args(["-w", "-t", "nat", "-X", &chain])
        .status();
    let c = check(&json_of(&out), "iptables").clone();
    assert_eq!(c["status"], "warn", "{c}");
    assert!(
        c["found"]
            .as_str()
            .unwrap()
            .contains(&format!("but {other} also holds")),
        "{c}"
    );
    assert!(
        c["fix"]
            .as_str()
            .unwrap()
            .contains("update-alternatives --set iptables"),
        "{c}"
    );
}
