//! Security cases through the binary with the real runtime (issue 7,
//! "Security"): images and volumes whose mount destinations are symlinks to
//! host paths. Each case aims its hostile image at a host directory of its
//! own and checks that the runtime left nothing in it.

use crate::containers::Lab;
use crate::require;
use crate::support::fixtures::{self, RawTar};
use crate::support::{skopeo, unique};
use std::path::Path;

/// Push `fx` into the lab's registry and pull it; the reference.
fn add_image(lab: &Lab, fx: &fixtures::Fixture) -> String {
    let repo = unique(fx.name);
    skopeo::push(fx, &lab.s.reg, &repo, "v1");
    let image = lab.s.reg.image(&repo, "v1");
    lab.b().ok(&["pull", "-q", &image]);
    image
}

#[track_caller]
fn assert_empty(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.is_empty(),
        "written on the host in {}: {left:?}",
        dir.display()
    );
}

#[test]
fn image_symlinks_at_default_destinations_stay_inside() {
    require!(@containers);
    let lab = Lab::new();
    let host = crate::support::temp_dir("hostile-dest");
    let h = host.path().display().to_string();
    let up = "../".repeat(16);
    let hr = h.trim_start_matches('/');
    // Two images: runc refuses a symlink at /proc before it gets to /dev.
    let mut t = RawTar::new();
    t.symlink("dev", &h)
        .symlink("etc/hosts", &format!("{h}/hosts"))
        .symlink("etc/hostname", &format!("{up}{hr}/hostname"))
        .symlink("etc/resolv.conf", &format!("{h}/resolv.conf"))
        .symlink("mnt", &h);
    let image = add_image(&lab, &fixtures::on_busybox("hostile-dev", t.layer()));
    let mut t = RawTar::new();
    t.symlink("dev", &format!("{up}{hr}"))
        .symlink("proc", &format!("{up}{hr}"))
        .symlink("sys", &format!("{h}/sys"));
    let image2 = add_image(&lab, &fixtures::on_busybox("hostile-proc", t.layer()));

    // A read-only root filesystem is prepared the same way (berth writes in
    // the container's layer from the host side).
    for (img, flag) in [(&image, "-i"), (&image2, "-i"), (&image, "--read-only")] {
        let out = lab.b().run(&[
            "run",
            "--rm",
            flag,
            img,
            "sh",
            "-c",
            "test -c /dev/null && test -e /proc/self/stat && test -d /sys/fs && cat /etc/hostname",
        ]);
        assert_empty(host.path());
        assert_eq!(out.code, 0, "{out}");
    }

    // A user's destinations through an image symlink resolve in the root:
    // a volume, a bind, a tmpfs and a file bind under /mnt -> <host dir>.
    let src = crate::support::temp_dir("hostile-src");
    std::fs::write(src.path().join("f"), "file\n").unwrap();
    let vol = unique("hv");
    let out = lab.b().run(&[
        "run",
        "--rm",
        "-v",
        &format!("{vol}:/mnt/vol"),
        "-v",
        &format!("{}:/mnt/bind", src.path().display()),
        "-v",
        &format!("{}/f:/mnt/file", src.path().display()),
        "--tmpfs",
        "/mnt/tmp",
        &image,
        "sh",
        "-c",
        &format!("cat {h}/file && test -d {h}/vol && test -d /mnt/tmp"),
    ]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "file\n");
    assert_empty(host.path());

    // So does a missing working directory (made in-root, as Docker does).
    let out = lab.b().run(&[
        "run",
        "--rm",
        "-w",
        "/mnt/wd/sub",
        &image,
        "sh",
        "-c",
        "pwd",
    ]);
    assert_empty(host.path());
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.ends_with("/wd/sub\n"), "{out}");

    // A device's path goes through the same symlink.
    let out = lab.b().run(&[
        "run",
        "--rm",
        "--device",
        "/dev/null:/mnt/devnull",
        &image,
        "sh",
        "-c",
        &format!("test -c {h}/devnull"),
    ]);
    assert_empty(host.path());
    assert_eq!(out.code, 0, "{out}");
    lab.b().ok(&["volume", "rm", &vol]);
}

/// Run `args` with stdin from `input` and stdout appended to `file`;
/// returns the exit code and stderr.
fn run_into_file(lab: &Lab, args: &[&str], input: &Path, file: &Path) -> (i32, String) {
    let out = std::fs::OpenOptions::new().append(true).open(file).unwrap();
    let o = lab
        .b()
        .command(args)
        .stdin(std::fs::File::open(input).unwrap())
        .stdout(out)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn exec_and_run_give_the_process_pipes_not_the_callers_files() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("fds");
    lab.run_d(&["--name", &name], &["sleep", "600"]);
    let dir = crate::support::temp_dir("callers-fds");
    let file = dir.path().join("host-file");
    let input = dir.path().join("input");
    std::fs::write(&input, "in\n").unwrap();
    // The process looks at what its stdio are, then tries to truncate the
    // file behind its stdout through /proc (with the caller's descriptor it
    // would reach the host file).
    let script =
        "ls -l /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2; : > /proc/$$/fd/1; cat; echo end";
    for args in [
        vec!["exec", name.as_str(), "sh", "-c", script],
        vec!["exec", "-i", name.as_str(), "sh", "-c", script],
    ] {
        std::fs::write(&file, "secret\n").unwrap();
        let (code, err) = run_into_file(&lab, &args, &input, &file);
        assert_eq!(code, 0, "{args:?}: {err}");
        let got = std::fs::read_to_string(&file).unwrap();
        assert!(
            got.starts_with("secret\n"),
            "{args:?} truncated the host file: {got:?}"
        );
        assert!(
            !got.contains("host-file"),
            "{args:?} saw the host file: {got:?}"
        );
        assert!(got.contains("pipe:"), "{args:?}: {got:?}");
        let stdin_seen = args[1] == "-i";
        assert_eq!(got.contains("in\nend\n"), stdin_seen, "{args:?}: {got:?}");
        assert!(got.ends_with("end\n"), "{got:?}");
    }
    // With -t the process's stdio is its own pty's slave, not ours.
    let out = lab.b().ok(&[
        "exec",
        "-t",
        &name,
        "sh",
        "-c",
        "ls -l /proc/$$/fd/0 /proc/$$/fd/1",
    ]);
    assert_eq!(out.stdout.matches("-> /dev/pts/0").count(), 2, "{out}");
    // The shim's paths (run -i; start -a) give pipes as well.
    let image = lab.image().to_string();
    std::fs::write(&file, "secret\n").unwrap();
    let (code, err) = run_into_file(
        &lab,
        &["run", "--rm", "-i", &image, "sh", "-c", script],
        &input,
        &file,
    );
    assert_eq!(code, 0, "run -i: {err}");
    let got = std::fs::read_to_string(&file).unwrap();
    assert!(
        got.starts_with("secret\n") && got.contains("pipe:"),
        "run -i: {got:?}"
    );
    assert!(
        !got.contains("host-file") && got.ends_with("in\nend\n"),
        "run -i: {got:?}"
    );
    let c = lab.name("fds-start");
    lab.create(&["--name", &c, "-i"], &["sh", "-c", script]);
    std::fs::write(&file, "secret\n").unwrap();
    let (code, err) = run_into_file(&lab, &["start", "-a", "-i", &c], &input, &file);
    assert_eq!(code, 0, "start -ai: {err}");
    let got = std::fs::read_to_string(&file).unwrap();
    assert!(
        got.starts_with("secret\n") && got.contains("pipe:"),
        "start -ai: {got:?}"
    );
    assert!(!got.contains("host-file"), "start -ai: {got:?}");
}

/// Run `script` with `/bin/sh` as the unprivileged user nobody (65534).
fn as_nobody(script: &str) -> std::process::Output {
    std::process::Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            "/bin/sh",
            "-c",
            script,
        ])
        .output()
        .expect("running setpriv (util-linux)")
}

#[test]
fn other_users_are_kept_out_of_a_data_root_made_beforehand() {
    require!(@containers);
    use std::os::unix::fs::PermissionsExt;
    let lab = Lab::new();
    let b = lab.b();
    // As if the roots had been made with `mkdir -p` (0755), and berth's own
    // directories by an older berth (0755 too).
    let open = |p: &Path| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    for p in [b.base(), &b.data_root, &b.state_root] {
        open(p);
    }
    for n in ["containers", "content", "snapshots", "volumes"] {
        open(&b.data_root.join(n));
    }
    for n in ["containers", "locks", "runtime"] {
        open(&b.state_root.join(n));
    }
    let probe = b.base().join("probe");
    std::fs::write(&probe, "visible\n").unwrap();
    let o = as_nobody(&format!("cat {}", probe.display()));
    assert!(
        o.status.success(),
        "the test's own dir must be reachable by nobody: {}",
        String::from_utf8_lossy(&o.stderr)
    );

    let name = lab.name("private");
    let id = lab.run_d(
        &["--name", &name],
        &["sh", "-c", "echo secret-log; sleep 600"],
    );
    crate::support::wait_for(std::time::Duration::from_secs(10), || {
        b.ok(&["logs", &name])
            .stdout
            .contains("secret-log")
            .then_some(())
    })
    .expect("the container logged");
    let log = b.data_root.join(format!("containers/{id}/{id}-json.log"));
    let merged = b
        .data_root
        .join(format!("snapshots/containers/{id}/merged"));
    assert!(
        merged.join("bin").is_dir(),
        "the container's rootfs is mounted"
    );
    let busybox = crate::support::walk_files(&b.data_root.join("snapshots/layers"))
        .into_iter()
        .find(|p| p.ends_with("fs/bin/busybox"))
        .expect("a layer with busybox");
    for (what, script) in [
        ("read a log", format!("cat {}", log.display())),
        ("run a layer's file", format!("{} true", busybox.display())),
        ("list a rootfs", format!("ls {}", merged.display())),
        (
            "read the db",
            format!("cat {}/berth.db", b.data_root.display()),
        ),
        (
            "list the volumes",
            format!("ls {}/volumes", b.data_root.display()),
        ),
        (
            "list the blobs",
            format!("ls {}/content", b.data_root.display()),
        ),
        (
            "list the shims' state",
            format!("ls {}/containers", b.state_root.display()),
        ),
    ] {
        let o = as_nobody(&script);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && err.contains("Permission denied"),
            "nobody could {what} ({script}): {}{err}",
            String::from_utf8_lossy(&o.stdout)
        );
    }

    // The container's own non-root users are not affected.
    let out = lab.run_ok(
        &["-u", "1000:1000"],
        &[
            "sh",
            "-c",
            "id -u; ls /bin >/dev/null && cat /etc/hostname >/dev/null && echo ok",
        ],
    );
    assert_eq!(out, "1000\nok\n");
    let vol = crate::support::unique("pv");
    let out = lab.run_ok(
        &[
            "-u",
            "1000",
            "-v",
            &format!("{vol}:/v"),
            "--tmpfs",
            "/w:uid=1000",
        ],
        &["sh", "-c", "ls /v && touch /w/x && echo ok"],
    );
    assert_eq!(out, "ok\n");
    b.ok(&["volume", "rm", &vol]);
}

#[test]
fn a_volume_symlink_swapped_in_by_another_container_stays_inside() {
    // The CVE-2024-45310 shape, in its swapped state: one container turns a
    // directory of a shared volume into a symlink to a host path; the next
    // container mounts below it. berth resolves the destination in the
    // container (the symlink leads to the container's own root). The race
    // itself (a swap between berth's check and the runtime's mount) is the
    // runtime's to close: `berth version` names runtimes that do not.
    require!(@containers);
    let lab = Lab::new();
    let host = crate::support::temp_dir("swapped");
    let h = host.path().display().to_string();
    let vol = unique("sv");
    lab.run_ok(
        &["-v", &format!("{vol}:/v")],
        &["busybox", "ln", "-s", &h, "/v/d"],
    );
    let src = crate::support::temp_dir("swapped-src");
    std::fs::write(src.path().join("f"), "from src\n").unwrap();
    let out = lab.run_ok(
        &[
            "-v",
            &format!("{vol}:/v"),
            "-v",
            &format!("{}:/v/d/mnt", src.path().display()),
        ],
        &["cat", &format!("{h}/mnt/f")],
    );
    assert_eq!(out, "from src\n");
    assert_empty(host.path());
    lab.b().ok(&["volume", "rm", &vol]);
}
