//! `--network container:X` and compose's `network_mode: service:X` take
//! X's hostname, domainname and its `hostname`/`hosts`/`resolv.conf` files,
//! as Docker's `initializeNetworking` does; the flags that would change
//! what X owns are refused with moby's `validateNetContainerMode` messages
//! (exit 125 from `run`, 1 from `create`), and compose's `hostname:` with a shared network mode fails
//! `up` the same way.
//!
//! No subnet of its own: the containers are on this lab's default bridge.

use crate::compose_up::{compose, compose_ok, project};
use crate::containers::Lab;
use crate::require;

#[test]
fn network_container_mode_takes_the_names_and_refuses_conflicts() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let target = lab.name("owner");
    lab.run_d(
        &[
            "--name",
            &target,
            "--hostname",
            "ownerhost",
            "--domainname",
            "example.org",
            "--add-host",
            "pinned:192.0.2.9",
        ],
        &["sleep", "300"],
    );
    let mode = format!("container:{target}");
    let got = lab.run_ok(
        &["--network", &mode],
        &[
            "sh",
            "-c",
            "hostname; cat /etc/hostname; cat /proc/sys/kernel/domainname; grep pinned /etc/hosts",
        ],
    );
    assert_eq!(
        got, "ownerhost\nownerhost\nexample.org\n192.0.2.9\tpinned\n",
        "names and files of {target}"
    );
    // The same files, not copies: inspect names the owner's.
    let joined = lab.name("joined");
    lab.run_d(&["--name", &joined, "--network", &mode], &["sleep", "300"]);
    let paths = "{{.HostsPath}} {{.ResolvConfPath}} {{.HostnamePath}}";
    assert_eq!(
        b.ok(&["inspect", "-f", "{{.Config.Hostname}}", &joined])
            .stdout,
        "ownerhost\n"
    );
    assert_eq!(
        b.ok(&["inspect", "-f", paths, &joined]).stdout,
        b.ok(&["inspect", "-f", paths, &target]).stdout
    );
    b.ok(&["rm", "-f", &joined]);

    for (flags, msg) in [
        (
            vec!["--hostname", "mine"],
            "conflicting options: hostname and the network mode",
        ),
        (
            vec!["-h", "mine"],
            "conflicting options: hostname and the network mode",
        ),
        (
            vec!["--dns", "192.0.2.53"],
            "conflicting options: dns and the network mode",
        ),
        (
            vec!["--add-host", "a:192.0.2.1"],
            "conflicting options: custom host-to-IP mapping and the network mode",
        ),
        (
            vec!["-p", "8080:80"],
            "conflicting options: port publishing and the container type network mode",
        ),
        (
            vec!["-P"],
            "conflicting options: port publishing and the container type network mode",
        ),
        (
            vec!["--expose", "80"],
            "conflicting options: port exposing and the container type network mode",
        ),
        (
            vec!["--mac-address", "02:42:ac:11:00:09"],
            "conflicting options: mac-address and the network mode",
        ),
    ] {
        let mut f = vec!["--network", mode.as_str()];
        f.extend(flags.iter().copied());
        let out = lab.run(&f, &["true"]);
        assert_eq!(out.code, 125, "{flags:?}: {out}");
        assert!(out.stderr.contains(msg), "{flags:?}: {out}");
        let mut create = vec!["create", "--network", mode.as_str()];
        create.extend(flags.iter().copied());
        create.extend([lab.image(), "true"]);
        // docker create exits 1 on the daemon's refusals (run: 125).
        let out = b.code(&create, 1);
        assert!(out.stderr.contains(msg), "create {flags:?}: {out}");
    }
    b.ok(&["rm", "-f", &target]);
    lab.remove_all_and_check();
}

const SHARED: &str = "services:
  owner:
    image: IMAGE
    command: [sleep, '300']
    hostname: composed
    domainname: example.net
    network_mode: bridge
  side:
    image: IMAGE
    command: [sleep, '300']
    network_mode: service:owner
";

#[test]
fn network_compose_service_mode_takes_the_names_and_refuses_hostname() {
    require!(@network);
    let lab = Lab::new();
    let p = project(&lab, "cshare", SHARED);
    compose_ok(&lab, &p, &["up", "-d"]);
    let side = format!("{}-side-1", p.name);
    let out = lab.b().ok(&[
        "exec",
        &side,
        "sh",
        "-c",
        "hostname; cat /proc/sys/kernel/domainname",
    ]);
    assert_eq!(out.stdout, "composed\nexample.net\n");
    compose_ok(&lab, &p, &["down", "-t", "0"]);

    let p = project(
        &lab,
        "cshareh",
        &SHARED.replace(
            "network_mode: service:owner",
            "network_mode: service:owner\n    hostname: own",
        ),
    );
    let up = compose(&lab, &p, &["up", "-d"]);
    assert_ne!(up.code, 0, "{up}");
    assert!(
        up.stderr
            .contains("conflicting options: hostname and the network mode"),
        "{up}"
    );
    compose_ok(&lab, &p, &["down", "-t", "0"]);
    lab.remove_all_and_check();
}

#[test]
fn legacy_links_on_the_default_bridge() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let db = lab.name("linkdb");
    lab.run_d(&["--name", &db, "--hostname", "dbhost"], &["sleep", "300"]);
    let ip = b
        .ok(&[
            "inspect",
            "-f",
            "{{.NetworkSettings.Networks.bridge.IPAddress}}",
            &db,
        ])
        .stdout
        .trim()
        .to_string();
    // The alias, the linked container's hostname and its name (when the
    // alias differs), as Docker's legacy links write /etc/hosts.
    let hosts = lab.run_ok(
        &["--link", &format!("{db}:dbalias")],
        &["cat", "/etc/hosts"],
    );
    assert!(
        hosts.contains(&format!("{ip}\tdbalias dbhost {db}\n")),
        "{hosts}"
    );
    let hosts = lab.run_ok(&["--link", &db], &["cat", "/etc/hosts"]);
    assert!(hosts.contains(&format!("{ip}\t{db} dbhost\n")), "{hosts}");

    let web = lab.name("linkweb");
    lab.create(
        &["--name", &web, "--link", &format!("{db}:dbalias")],
        &["true"],
    );
    assert_eq!(
        b.ok(&["inspect", "-f", "{{json .HostConfig.Links}}", &web])
            .stdout
            .trim(),
        format!("[\"/{db}:/{web}/dbalias\"]")
    );
    // The linked container must run when the linking one starts.
    b.ok(&["stop", "-t", "0", &db]);
    let out = b.run(&["start", &web]);
    assert_ne!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "Cannot link to a non running container: /{db} AS /{web}/dbalias"
        )),
        "{out}"
    );

    for (flags, msg) in [
        (
            vec!["--link", "nosuch-link-target"],
            "could not get container for nosuch-link-target: No such container: nosuch-link-target"
                .to_string(),
        ),
        (
            vec!["--link", "a:b:c"],
            "invalid argument \"a:b:c\" for \"--link\" flag: bad format for links: a:b:c"
                .to_string(),
        ),
        (
            vec!["--network", "host", "--link", "x"],
            "conflicting options: host type networking can't be used with links".to_string(),
        ),
    ] {
        let mut f = vec!["--rm"];
        f.extend(flags);
        let out = lab.run(&f, &["true"]);
        assert_eq!(out.code, 125, "{out}");
        assert!(out.stderr.contains(&msg), "{msg}: {out}");
    }
    lab.remove_all_and_check();
}
