//! `--pid`, `--ipc` and `--volumes-from` as Docker has them: the host's
//! PID namespace, another container's PID or IPC namespace (the donor must
//! run; an IPC donor must be `shareable` or `host`, moby's messages), and
//! another container's volumes and binds at the same destinations, with
//! what inspect shows for each (`HostConfig.PidMode`, `IpcMode`,
//! `VolumesFrom`, `Mounts`).
//!
//! No network: every container runs with `--network none`.

use crate::compose_up::{compose_ok, project};
use crate::containers::{field, Lab};
use crate::require;

const NONE: [&str; 2] = ["--network", "none"];

fn flags<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut f = NONE.to_vec();
    f.extend_from_slice(extra);
    f
}

#[test]
fn pid_host_and_container_modes() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    // The host's namespace: PID 1 is the host's init.
    let host_init = std::fs::read_to_string("/proc/1/comm").unwrap();
    let got = lab.run_ok(&flags(&["--pid", "host"]), &["cat", "/proc/1/comm"]);
    assert_eq!(got, host_init);

    // Another container's: its processes are visible, its sleep is PID 1.
    let donor = lab.name("pdonor");
    lab.run_d(&flags(&["--name", &donor]), &["sleep", "301"]);
    let mode = format!("container:{donor}");
    let got = lab.run_ok(&flags(&["--pid", &mode]), &["sh", "-c", "ps -o pid,args"]);
    assert!(
        got.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["1", "sleep", "301"]),
        "{got}"
    );
    let joined = lab.name("pjoined");
    lab.run_d(
        &flags(&["--name", &joined, "--pid", &mode]),
        &["sleep", "300"],
    );
    assert_eq!(field(&lab, &joined, "{{.HostConfig.PidMode}}"), mode);
    assert_eq!(field(&lab, &donor, "{{.HostConfig.PidMode}}"), "");
    b.ok(&["rm", "-f", &joined]);

    // The donor must run (checked at start, as the daemon does).
    b.ok(&["stop", "-t", "0", &donor]);
    let out = lab.run(&flags(&["--rm", "--pid", &mode]), &["true"]);
    assert_eq!(out.code, 125, "{out}");
    assert!(
        out.stderr
            .contains(&format!("container {donor} is not running")),
        "{out}"
    );
    let out = lab.run(
        &flags(&["--rm", "--pid", "container:nosuch-pid-donor"]),
        &["true"],
    );
    assert_eq!(out.code, 125, "{out}");
    assert!(
        out.stderr.contains("No such container: nosuch-pid-donor"),
        "{out}"
    );

    // The CLI's syntax check.
    for bad in ["bogus", "container:"] {
        let out = lab.run(&flags(&["--rm", "--pid", bad]), &["true"]);
        assert_eq!(out.code, 125, "{out}");
        assert!(out.stderr.contains("--pid: invalid PID mode"), "{out}");
    }
    lab.remove_all_and_check();
}

#[test]
fn ipc_modes_share_sysv_and_dev_shm() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    // Docker's default since 20.10.
    let plain = lab.create(&flags(&[]), &["true"]);
    assert_eq!(field(&lab, &plain, "{{.HostConfig.IpcMode}}"), "private");

    let donor = lab.name("idonor");
    lab.run_d(
        &flags(&["--name", &donor, "--ipc", "shareable"]),
        &["sh", "-c", "echo from-donor > /dev/shm/marker; sleep 300"],
    );
    assert_eq!(field(&lab, &donor, "{{.HostConfig.IpcMode}}"), "shareable");
    let mode = format!("container:{donor}");
    // The same IPC namespace (its inode) and the same /dev/shm.
    let ns_of = |id: &str| {
        let pid = field(&lab, id, "{{.State.Pid}}");
        std::fs::read_link(format!("/proc/{pid}/ns/ipc")).unwrap()
    };
    let joined = lab.name("ijoined");
    lab.run_d(
        &flags(&["--name", &joined, "--ipc", &mode]),
        &["sleep", "300"],
    );
    assert_eq!(ns_of(&joined), ns_of(&donor));
    assert_eq!(field(&lab, &joined, "{{.HostConfig.IpcMode}}"), mode);
    let got = lab.run_ok(&flags(&["--ipc", &mode]), &["cat", "/dev/shm/marker"]);
    assert_eq!(got, "from-donor\n");
    b.ok(&["rm", "-f", &joined]);
    // A private container is its own namespace, with its own /dev/shm.
    let own = lab.run_ok(&flags(&[]), &["ls", "/dev/shm"]);
    assert_eq!(own, "");

    // A private donor cannot be joined (moby's hint).
    let private = lab.name("iprivate");
    lab.run_d(&flags(&["--name", &private]), &["sleep", "300"]);
    let out = lab.run(
        &flags(&["--rm", "--ipc", &format!("container:{private}")]),
        &["true"],
    );
    assert_eq!(out.code, 125, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "failed to join IPC namespace: container {private}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)"
        )),
        "{out}"
    );
    // `none`: no /dev/shm mount at all; `host`: the host's namespace.
    let got = lab.run_ok(
        &flags(&["--ipc", "none"]),
        &["sh", "-c", "grep -c ' /dev/shm ' /proc/mounts || true"],
    );
    assert_eq!(got.trim(), "0");
    let host_ns = std::fs::read_link("/proc/self/ns/ipc").unwrap();
    let host = lab.name("ihost");
    lab.run_d(
        &flags(&["--name", &host, "--ipc", "host"]),
        &["sleep", "300"],
    );
    assert_eq!(ns_of(&host), host_ns);
    b.ok(&["rm", "-f", &host]);

    let out = lab.run(&flags(&["--rm", "--ipc", "bogus"]), &["true"]);
    assert_eq!(out.code, 125, "{out}");
    assert!(out.stderr.contains("--ipc: invalid IPC mode"), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn volumes_from_shares_volumes_and_binds() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bound"), "from-bind\n").unwrap();
    let vol = lab.name("vfvol");
    let bind = format!("{}:/bound", dir.path().display());
    let donor = lab.name("vfdonor");
    let out = b.ok(&[
        "run",
        "--network",
        "none",
        "--name",
        &donor,
        "-v",
        &format!("{vol}:/data"),
        "-v",
        &bind,
        "-v",
        "/anon",
        lab.image(),
        "sh",
        "-c",
        "echo named > /data/f; echo anon > /anon/f",
    ]);
    lab.note(&out);

    // The donor need not run. Its volumes and binds at the same places.
    let got = lab.run_ok(
        &flags(&["--volumes-from", &donor]),
        &["cat", "/data/f", "/anon/f", "/bound/bound"],
    );
    assert_eq!(got, "named\nanon\nfrom-bind\n");
    // `:ro` makes them all read-only; the container's own -v wins a place.
    let got = lab.run_ok(
        &flags(&["--volumes-from", &format!("{donor}:ro"), "-v", "/data"]),
        &[
            "sh",
            "-c",
            "touch /anon/x 2>/dev/null && echo rw || echo ro; ls /data | wc -l",
        ],
    );
    assert_eq!(got, "ro\n0\n");

    let user = lab.name("vfuser");
    lab.create(
        &flags(&["--name", &user, "--volumes-from", &donor]),
        &["true"],
    );
    assert_eq!(
        field(&lab, &user, "{{json .HostConfig.VolumesFrom}}"),
        format!("[\"{donor}\"]")
    );
    assert_eq!(field(&lab, &user, "{{json .HostConfig.Binds}}"), "null");
    let mounts = field(
        &lab,
        &user,
        "{{range .Mounts}}{{.Destination}} {{.Type}} {{.RW}};{{end}}",
    );
    assert!(mounts.contains("/data volume true;"), "{mounts}");
    assert!(mounts.contains("/anon volume true;"), "{mounts}");
    assert!(mounts.contains("/bound bind true;"), "{mounts}");
    // Removing the user with -v leaves the donor's anonymous volume.
    let anon = field(
        &lab,
        &donor,
        "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}{{end}}",
    );
    b.ok(&["rm", "-v", &user]);
    b.ok(&["volume", "inspect", &anon]);

    for (bad, msg) in [
        (
            format!("{donor}:shared"),
            "invalid mode for volumes-from: shared",
        ),
        (
            format!("{donor}:nocopy"),
            "invalid mode for volumes-from: nocopy",
        ),
        (
            "nosuch-vf-donor".to_string(),
            "No such container: nosuch-vf-donor",
        ),
    ] {
        let out = lab.run(&flags(&["--rm", "--volumes-from", &bad]), &["true"]);
        assert_eq!(out.code, 125, "{out}");
        assert!(out.stderr.contains(msg), "{msg}: {out}");
    }
    b.ok(&["rm", "-v", &donor]);
    lab.remove_all_and_check();
}

const SHARING: &str = "services:
  app:
    image: IMAGE
    command: [sh, -c, 'echo app-data > /data/f; echo app-shm > /dev/shm/m; sleep 300']
    network_mode: none
    ipc: shareable
    volumes: [/data]
  side:
    image: IMAGE
    command: [sleep, '300']
    network_mode: none
    pid: service:app
    ipc: service:app
    volumes_from: ['app:ro']
  host:
    image: IMAGE
    command: [sleep, '300']
    network_mode: none
    pid: host
";

#[test]
fn compose_pid_ipc_and_volumes_from_services() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let p = project(&lab, "cns", SHARING);
    // `side` depends on `app` through pid/ipc/volumes_from: started after it.
    compose_ok(&lab, &p, &["up", "-d"]);
    let (app, side, host) = (
        format!("{}-app-1", p.name),
        format!("{}-side-1", p.name),
        format!("{}-host-1", p.name),
    );
    let ps = b.ok(&["exec", &side, "ps", "-o", "args"]).stdout;
    // Its own sleep and app's (app's shell execs its last command).
    assert_eq!(ps.lines().filter(|l| *l == "sleep 300").count(), 2, "{ps}");
    let got = b
        .ok(&[
            "exec",
            &side,
            "sh",
            "-c",
            "cat /dev/shm/m; for i in 1 2 3 4 5; do [ -e /data/f ] && break; sleep 0.2; done; cat /data/f; touch /data/x 2>/dev/null || echo ro",
        ])
        .stdout;
    assert_eq!(got, "app-shm\napp-data\nro\n");
    let modes = "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{json .HostConfig.VolumesFrom}}";
    assert_eq!(
        field(&lab, &side, modes),
        format!("container:{app} container:{app} [\"{app}:ro\"]")
    );
    assert_eq!(field(&lab, &host, "{{.HostConfig.PidMode}}"), "host");
    let host_init = std::fs::read_to_string("/proc/1/comm").unwrap();
    assert_eq!(
        b.ok(&["exec", &host, "cat", "/proc/1/comm"]).stdout,
        host_init
    );
    let checked = compose_ok(&lab, &p, &["config", "--check"]).stdout;
    assert!(!checked.contains("rejected"), "{checked}");
    compose_ok(&lab, &p, &["down", "-t", "0", "-v"]);
    lab.remove_all_and_check();
}
