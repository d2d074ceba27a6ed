//! Container administration verbs through the binary with the real runc:
//! `inspect` (and the generic `inspect`), `top`, `pause`/`unpause` (and a
//! paused container being stopped, killed and removed), `rename`, `diff`,
//! `stats --no-stream`, `container prune` and `cp` both ways, including a
//! container whose symlinks point at host paths: nothing outside the
//! container may be read or written.

use crate::containers::Lab;
use crate::require;
use serde_json::Value;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

fn inspect(lab: &Lab, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["inspect"];
    a.extend_from_slice(args);
    let out = lab.b().ok(&a);
    serde_json::from_str::<Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("inspect is not JSON ({e}):\n{out}"))
        .as_array()
        .expect("inspect prints an array")
        .clone()
}

#[test]
fn inspect_shape_and_generic_lookup() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("insp");
    let id = lab.run_d(
        &[
            "--name",
            &n,
            "-e",
            "FOO=bar",
            "-l",
            "mine=yes",
            "--pids-limit",
            "50",
        ],
        &["sleep", "1000"],
    );
    let v = &inspect(&lab, &[&n])[0];
    assert_eq!(v["Id"], id.as_str());
    assert_eq!(v["Name"], format!("/{n}"));
    assert_eq!(v["Path"], "sleep");
    assert_eq!(v["Args"], serde_json::json!(["1000"]));
    assert_eq!(v["State"]["Status"], "running");
    assert_eq!(v["State"]["Running"], true);
    assert!(v["State"]["Pid"].as_i64().unwrap() > 0, "{v}");
    assert!(v["Image"].as_str().unwrap().starts_with("sha256:"));
    let env: Vec<&str> = v["Config"]["Env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(env[0], "FOO=bar");
    assert!(env.iter().any(|e| e.starts_with("PATH=")), "{env:?}");
    assert_eq!(v["Config"]["Labels"]["mine"], "yes");
    assert_eq!(v["Config"]["Labels"]["org.berth.test"], "fixture");
    assert_eq!(v["Config"]["Image"], lab.image());
    assert_eq!(v["HostConfig"]["RestartPolicy"]["Name"], "no");
    assert_eq!(v["HostConfig"]["PidsLimit"], 50);
    assert_eq!(v["HostConfig"]["NetworkMode"], "bridge");
    assert!(v["GraphDriver"]["Data"]["UpperDir"].is_string(), "{v}");
    assert!(v["NetworkSettings"]["Networks"]["bridge"].is_object());
    assert!(Path::new(v["HostsPath"].as_str().unwrap()).is_file());
    assert!(Path::new(v["LogPath"].as_str().unwrap()).is_file());
    // Templates, -s, the container group.
    let out = lab.b().ok(&[
        "container",
        "inspect",
        "-f",
        "{{.State.Status}} {{.Name}}",
        &n,
    ]);
    assert_eq!(out.stdout, format!("running /{n}\n"));
    let out = lab
        .b()
        .ok(&["container", "inspect", "-s", "-f", "{{.SizeRw}}", &id[..12]]);
    assert!(out.stdout.trim().parse::<u64>().is_ok(), "{out}");
    // The generic verb: containers first, then images, one array.
    let both = inspect(&lab, &[&n, lab.image()]);
    assert_eq!(both.len(), 2);
    assert_eq!(both[0]["Id"], id.as_str());
    assert!(both[1]["RepoTags"].is_array(), "{}", both[1]);
    let out = lab.b().code(&["inspect", "--type", "image", &n], 1);
    assert!(out.stderr.contains(&format!("No such image: {n}")), "{out}");
    let out = lab
        .b()
        .ok(&["inspect", "--type", "container", "-f", "{{.Id}}", &n]);
    assert_eq!(out.stdout.trim(), id);
    let out = lab.b().code(&["inspect", &n, "no-such-thing"], 1);
    assert!(
        out.stderr.contains("No such object: no-such-thing"),
        "{out}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let out = lab.b().code(&["container", "inspect", "no-such-ctr"], 1);
    assert!(
        out.stderr.contains("No such container: no-such-ctr"),
        "{out}"
    );
    // After the end: exited state, exit code, zero pid.
    lab.b().ok(&["kill", &n]);
    lab.wait_state(&n, "exited", Duration::from_secs(10));
    let v = &inspect(&lab, &[&n])[0];
    assert_eq!(v["State"]["Status"], "exited");
    assert_eq!(v["State"]["ExitCode"], 137);
    assert_eq!(v["State"]["Pid"], 0);
    assert_ne!(v["State"]["FinishedAt"], "0001-01-01T00:00:00Z");
    lab.remove_all_and_check();
}

#[test]
fn top_pause_unpause_rename() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let n = lab.name("top");
    let id = lab.run_d(&["--name", &n], &["sleep", "1000"]);
    let out = b.ok(&["top", &n]);
    let lines = out.lines();
    assert!(
        lines[0].starts_with("UID") && lines[0].contains("PID"),
        "{out}"
    );
    assert_eq!(lines.len(), 2, "only the container's process:\n{out}");
    assert!(lines[1].ends_with("sleep 1000"), "{out}");
    let out = b.ok(&["top", &n, "-o", "pid,comm"]);
    assert!(
        out.lines()[0].contains("PID") && out.lines()[1].contains("sleep"),
        "{out}"
    );
    // pause / unpause with docker's errors.
    assert_eq!(b.ok(&["pause", &n]).stdout, format!("{n}\n"));
    assert_eq!(lab.state_of(&n).unwrap().0, "paused");
    assert!(lab.state_of(&n).unwrap().1.ends_with("(Paused)"));
    let v = &inspect(&lab, &[&n])[0];
    assert_eq!(v["State"]["Paused"], true);
    assert_eq!(v["State"]["Running"], true);
    let out = b.code(&["pause", &n], 1);
    assert!(
        out.stderr
            .contains(&format!("Container {id} is already paused")),
        "{out}"
    );
    assert_eq!(b.ok(&["unpause", &n]).stdout, format!("{n}\n"));
    assert_eq!(lab.state_of(&n).unwrap().0, "running");
    let out = b.code(&["unpause", &n], 1);
    assert!(
        out.stderr
            .contains(&format!("Container {id} is not paused")),
        "{out}"
    );
    // rename: same name, conflicts, then for real.
    let out = b.code(&["rename", &n, &n], 1);
    assert!(
        out.stderr.contains("same name as its current name"),
        "{out}"
    );
    let other = lab.name("other");
    lab.create(&["--name", &other], &["true"]);
    let out = b.code(&["rename", &n, &other], 1);
    assert!(out.stderr.contains("Conflict. The container name"), "{out}");
    let renamed = lab.name("renamed");
    let out = b.ok(&["rename", &n, &renamed]);
    assert!(out.stdout.is_empty(), "{out}");
    assert_eq!(lab.state_of(&renamed).unwrap().0, "running");
    assert!(lab.state_of(&n).is_none());
    b.code(&["rename", &n, "x-y"], 1);
    // Not running: top and pause refuse.
    let out = b.code(&["top", &other], 1);
    assert!(out.stderr.contains("is not running"), "{out}");
    let out = b.code(&["pause", &other], 1);
    assert!(out.stderr.contains("is not running"), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn paused_containers_stop_and_rm_f() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let s = lab.name("pstop");
    lab.run_d(&["--name", &s], &["sleep", "1000"]);
    b.ok(&["pause", &s]);
    b.ok(&["stop", "-t", "1", &s]);
    assert_eq!(lab.state_of(&s).unwrap().0, "exited");
    let r = lab.name("prm");
    lab.run_d(&["--name", &r], &["sleep", "1000"]);
    b.ok(&["pause", &r]);
    b.ok(&["rm", "-f", &r]);
    assert!(lab.state_of(&r).is_none());
    let k = lab.name("pkill");
    lab.run_d(&["--name", &k], &["sleep", "1000"]);
    b.ok(&["pause", &k]);
    b.ok(&["kill", &k]);
    lab.wait_state(&k, "exited", Duration::from_secs(10));
    assert!(lab.state_of(&k).unwrap().1.starts_with("Exited (137)"));
    lab.remove_all_and_check();
}

#[test]
fn diff_hides_runtime_mount_points() {
    require!(@containers);
    let lab = Lab::new();
    let n = lab.name("diff");
    let out = lab.run(
        &["--name", &n, "-v", "/vol"],
        &[
            "sh",
            "-c",
            "mkdir /newdir && echo x > /newdir/f && echo y > /etc/extra && rm /bin/ls",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let out = lab.b().ok(&["diff", &n]);
    assert_eq!(
        out.lines(),
        [
            "C /bin",
            "D /bin/ls",
            "C /etc",
            "A /etc/extra",
            "A /newdir",
            "A /newdir/f"
        ],
        "{out}"
    );
    lab.remove_all_and_check();
}

#[test]
fn container_prune_filters_and_prompt() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let keep = lab.name("keep");
    let labeled = lab.name("labeled");
    let plain = lab.name("plain");
    lab.run_d(&["--name", &keep], &["sleep", "1000"]);
    let labeled_id = lab.create(&["--name", &labeled, "-l", "prune=me"], &["true"]);
    let plain_id = lab.run_d(&["--name", &plain], &["sh", "-c", "echo data > /f"]);
    assert_eq!(b.ok(&["wait", &plain]).stdout, "0\n");
    let out = b.ok(&["container", "prune", "-f", "--filter", "label=prune=me"]);
    assert_eq!(
        out.stdout,
        format!("Deleted Containers:\n{labeled_id}\n\nTotal reclaimed space: 0B\n")
    );
    let out = b.run_stdin(&["container", "prune"], Some("n\n"));
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("Are you sure you want to continue?"),
        "{out}"
    );
    assert!(lab.state_of(&plain).is_some());
    let out = b.run_stdin(&["container", "prune"], Some("y\n"));
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .starts_with(&format!("Deleted Containers:\n{plain_id}\n\n")),
        "{out}"
    );
    assert!(out.stdout.contains("Total reclaimed space: "), "{out}");
    assert!(
        !out.stdout.contains("Total reclaimed space: 0B"),
        "the upper dir held /f:\n{out}"
    );
    assert_eq!(lab.state_of(&keep).unwrap().0, "running");
    let out = b.code(&["container", "prune", "-f", "--filter", "nope=1"], 1);
    assert!(out.stderr.contains("Invalid filter 'nope'"), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn stats_no_stream_columns_and_formats() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let n = lab.name("stats");
    let busy = lab.name("busy");
    let stopped = lab.name("stopped");
    lab.run_d(&["--name", &n, "-m", "64m"], &["sleep", "1000"]);
    lab.run_d(&["--name", &busy], &["sh", "-c", "while :; do :; done"]);
    lab.create(&["--name", &stopped], &["true"]);
    let out = b.ok(&["stats", "--no-stream", &n]);
    let lines = out.lines();
    assert_eq!(lines.len(), 2, "{out}");
    for col in [
        "CONTAINER ID",
        "NAME",
        "CPU %",
        "MEM USAGE / LIMIT",
        "MEM %",
        "NET I/O",
        "BLOCK I/O",
        "PIDS",
    ] {
        assert!(lines[0].contains(col), "{col} missing:\n{out}");
    }
    assert!(
        lines[1].contains(&n) && lines[1].contains("/ 64MiB"),
        "{out}"
    );
    assert!(lines[1].trim_end().ends_with(" 1"), "one pid:\n{out}");
    let out = b.ok(&[
        "stats",
        "--no-stream",
        "--format",
        "{{.Name}} {{.CPUPerc}}",
        &busy,
    ]);
    let cpu: f64 = out
        .stdout
        .split_whitespace()
        .nth(1)
        .unwrap()
        .trim_end_matches('%')
        .parse()
        .unwrap();
    // A busy loop shows real usage; how much depends on what else the
    // machine runs (9.8% was seen with the suite on 2 loaded cores).
    assert!(cpu > 1.0, "a busy loop uses CPU:\n{out}");
    // Default: running containers only; -a adds the stopped one with zeros.
    let out = b.ok(&["stats", "--no-stream", "--format", "{{.Name}}"]);
    let mut names = out.lines();
    names.sort();
    let mut want = vec![busy.as_str(), n.as_str()];
    want.sort();
    assert_eq!(names, want, "{out}");
    let out = b.ok(&["stats", "--no-stream", "-a", "--format", "json"]);
    let rows: Vec<Value> = out
        .lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3, "{out}");
    let st = rows.iter().find(|r| r["Name"] == stopped.as_str()).unwrap();
    assert_eq!(st["MemUsage"], "0B / 0B");
    assert_eq!(st["PIDs"], "0");
    // Streaming redraws about once a second until interrupted.
    let mut child = b.spawn(&["stats", "--format", "{{.Name}}", &n]);
    std::thread::sleep(Duration::from_millis(2800));
    let _ = child.kill();
    let _ = child.wait();
    let shown = b.spawned_output().matches(n.as_str()).count();
    assert!(
        shown >= 2,
        "expected repeated tables:\n{}",
        b.spawned_output()
    );
    let out = b.code(&["stats", "--no-stream", "no-such-ctr"], 1);
    assert!(
        out.stderr.contains("No such container: no-such-ctr"),
        "{out}"
    );
    lab.remove_all_and_check();
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

/// `cp - CTR:DIR` with `tar` bytes on stdin.
fn cp_tar_in(lab: &Lab, tar: &[u8], dest: &str) -> (i32, String) {
    let mut child = lab
        .b()
        .command(&["cp", "-", dest])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(tar).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A tar of regular files with names taken verbatim (`..` included).
fn raw_tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut t = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_cksum();
        t.append(&h, *data).unwrap();
    }
    t.into_inner().unwrap()
}

fn tar_names(data: &[u8]) -> Vec<String> {
    let mut a = tar::Archive::new(data);
    a.entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn cp_both_ways_running_and_stopped() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let n = lab.name("cp");
    lab.run_d(&["--name", &n, "-v", "cpvol:/data"], &["sleep", "1000"]);
    let host = b.base().join("host");
    std::fs::create_dir_all(host.join("dir/sub")).unwrap();
    std::fs::write(host.join("file"), b"hello\n").unwrap();
    std::fs::set_permissions(host.join("file"), PermissionsExt::from_mode(0o751)).unwrap();
    std::fs::write(host.join("dir/a"), b"a\n").unwrap();
    std::fs::write(host.join("dir/sub/b"), b"b\n").unwrap();
    let h = |p: &str| host.join(p).to_string_lossy().into_owned();
    let c = |p: &str| format!("{n}:{p}");
    // In: a file into a dir (own name), a file to a new name, a dir.
    b.ok(&["cp", &h("file"), &c("/tmp")]);
    b.ok(&["cp", &h("file"), &c("/tmp/renamed")]);
    b.ok(&["cp", &h("dir"), &c("/tmp")]);
    b.ok(&["cp", &h("dir/."), &c("/data")]);
    let ls = b.ok(&[
        "exec",
        &n,
        "sh",
        "-c",
        "cat /tmp/file /tmp/renamed /tmp/dir/sub/b /data/a; stat -c '%a %u:%g' /tmp/file",
    ]);
    assert_eq!(ls.stdout, "hello\nhello\nb\na\n751 0:0\n", "{ls}");
    // Docker's errors.
    let out = b.code(&["cp", &h("dir"), &c("/tmp/file")], 1);
    assert!(
        out.stderr.contains("cannot copy a directory to a file"),
        "{out}"
    );
    let out = b.code(&["cp", &h("file"), &c("/nowhere/")], 1);
    assert!(out.stderr.contains("must exist"), "{out}");
    let out = b.code(&["cp", &c("/no/such"), &h("x")], 1);
    assert!(
        out.stderr.contains(&format!(
            "Could not find the file /no/such in container {n}"
        )),
        "{out}"
    );
    let out = b.code(&["cp", &h("file"), &h("other")], 1);
    assert!(
        out.stderr
            .contains("must specify at least one container source"),
        "{out}"
    );
    // Out: a file, a dir into an existing dir, contents with /., a tar stream.
    let back = b.base().join("back");
    std::fs::create_dir(&back).unwrap();
    let bk = |p: &str| back.join(p).to_string_lossy().into_owned();
    b.ok(&["cp", &c("/tmp/file"), &bk("file")]);
    assert_eq!(std::fs::read(back.join("file")).unwrap(), b"hello\n");
    assert_eq!(mode(&back.join("file")), 0o751);
    b.ok(&["cp", &c("/tmp/dir"), &bk("")]);
    assert_eq!(std::fs::read(back.join("dir/sub/b")).unwrap(), b"b\n");
    std::fs::create_dir(back.join("contents")).unwrap();
    b.ok(&["cp", &c("/tmp/dir/."), &bk("contents")]);
    assert_eq!(std::fs::read(back.join("contents/a")).unwrap(), b"a\n");
    b.ok(&["cp", &c("/etc/hostname"), &bk("")]);
    assert!(back.join("hostname").is_file());
    let out = b.command(&["cp", &c("/tmp/dir"), "-"]).output().unwrap();
    assert!(out.status.success());
    let mut names = tar_names(&out.stdout);
    names.sort();
    assert_eq!(names, ["dir/", "dir/a", "dir/sub/", "dir/sub/b"]);
    // A tar stream in.
    let mut t = tar::Builder::new(Vec::new());
    let mut hd = tar::Header::new_gnu();
    hd.set_size(3);
    hd.set_mode(0o600);
    t.append_data(&mut hd, "streamed/x", &b"xyz"[..]).unwrap();
    let (code, err) = cp_tar_in(&lab, &t.into_inner().unwrap(), &c("/tmp"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(b.ok(&["exec", &n, "cat", "/tmp/streamed/x"]).stdout, "xyz");
    let (code, err) = cp_tar_in(&lab, b"", &c("/tmp/file"));
    assert_eq!(code, 1);
    assert!(err.contains("must be a directory"), "{err}");
    // Stopped: the snapshot is mounted for the copy and unmounted after.
    b.ok(&["stop", "-t", "0", &n]);
    b.ok(&["cp", &h("file"), &c("/stopped-in")]);
    b.ok(&["cp", &c("/stopped-in"), &bk("stopped-out")]);
    assert_eq!(std::fs::read(back.join("stopped-out")).unwrap(), b"hello\n");
    b.ok(&["start", &n]);
    assert_eq!(
        b.ok(&["exec", &n, "cat", "/stopped-in", "/tmp/file"])
            .stdout,
        "hello\nhello\n"
    );
    b.ok(&["rm", "-f", "-v", &n]);
    b.run(&["volume", "rm", "cpvol"]);
    lab.assert_clean();
}

#[test]
fn cp_never_follows_container_symlinks_to_the_host() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    // A host dir with a secret, and a container whose links name it.
    let secret_dir = b.base().join("hostsecret");
    std::fs::create_dir(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("secret"), b"host-only\n").unwrap();
    let sd = secret_dir.to_string_lossy().into_owned();
    let n = lab.name("evil");
    let script = format!(
        "ln -sfn {sd}/secret /evil-file; ln -sfn {sd} /evil-dir; ln -sfn ../../../../../../../..{sd} /evil-rel; sleep 1000"
    );
    lab.run_d(&["--name", &n], &["sh", "-c", &script]);
    crate::support::wait_for(Duration::from_secs(5), || {
        (b.run(&["exec", &n, "test", "-L", "/evil-rel"]).code == 0).then_some(())
    });
    let payload = b.base().join("payload");
    std::fs::write(&payload, b"from-host-cp\n").unwrap();
    let p = payload.to_string_lossy().into_owned();
    let out_dir = b.base().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let o = |x: &str| out_dir.join(x).to_string_lossy().into_owned();
    let check_host = |when: &str| {
        assert_eq!(
            std::fs::read(secret_dir.join("secret")).unwrap(),
            b"host-only\n",
            "{when}: host file changed"
        );
        let names: Vec<_> = std::fs::read_dir(&secret_dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{when}: host dir written: {names:?}");
    };
    let reads = |phase: &str| {
        // Without -L the link itself comes out; with -L it resolves inside
        // the container, where the target does not exist.
        b.ok(&[
            "cp",
            &format!("{n}:/evil-file"),
            &o(&format!("{phase}-link")),
        ]);
        let l = out_dir.join(format!("{phase}-link"));
        assert!(std::fs::symlink_metadata(&l)
            .unwrap()
            .file_type()
            .is_symlink());
        for src in ["/evil-file", "/evil-dir/secret", "/evil-rel/secret"] {
            let out = b.run(&["cp", "-L", &format!("{n}:{src}"), &o(&format!("{phase}-x"))]);
            assert_eq!(
                out.code, 1,
                "{phase}: {src} must not resolve to the host:\n{out}"
            );
            assert!(
                !out_dir.join(format!("{phase}-x")).exists(),
                "{phase}: {src} was read"
            );
            let out = b
                .command(&["cp", &format!("{n}:{src}/"), "-"])
                .output()
                .unwrap();
            assert!(
                !String::from_utf8_lossy(&out.stdout).contains("host-only"),
                "{phase}: {src}"
            );
        }
    };
    let writes = |phase: &str| {
        // Writing through the links lands inside the container or fails.
        for dst in [
            "/evil-dir/secret",
            "/evil-rel/secret",
            "/evil-dir/",
            "/evil-file",
        ] {
            let _ = b.run(&["cp", &p, &format!("{n}:{dst}")]);
            check_host(&format!("{phase}: cp to {dst}"));
        }
        let t = raw_tar(&[
            ("evil-dir/secret", b"tar\n"),
            ("../../evil-rel/secret", b"tar\n"),
        ]);
        let _ = cp_tar_in(&lab, &t, &format!("{n}:/"));
        check_host(&format!("{phase}: tar stream"));
    };
    reads("running");
    b.ok(&["stop", "-t", "0", &n]);
    reads("stopped");
    writes("stopped");
    b.ok(&["start", &n]);
    writes("running");
    // The writes went where the container sees those paths.
    let out = b.ok(&["exec", &n, "cat", &format!("{sd}/secret")]);
    assert!(
        out.stdout == "tar\n" || out.stdout == "from-host-cp\n",
        "{out}"
    );
    lab.remove_all_and_check();
}
