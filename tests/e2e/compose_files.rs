//! Compose secrets and configs from every source (`file:`, `environment:`,
//! `content:`) with the long syntax's target, uid, gid and mode; compose's
//! refusals (an unset variable, `external`) before anything is created;
//! static IPv4/IPv6 addresses on every network of a service, not only the
//! first; `links` and `external_links` resolvable in the linking
//! container only (its /etc/hosts), with the implied `depends_on`.
//!
//! Subnets: 10.236.n.0/24, 10.237.n.0/24 and 10.238.n.0/24 (n this env's
//! own third octet), fd36:n::/64 for IPv6.

use super::compose_up::{compose, compose_ok, containers, need, networks, project};
use crate::containers::Lab;

fn third(lab: &Lab) -> String {
    lab.b().subnet.split('.').nth(2).unwrap().to_string()
}

fn exec(lab: &Lab, ctr: &str, args: &[&str]) -> String {
    let mut full = vec!["exec", ctr];
    full.extend_from_slice(args);
    lab.b().ok(&full).stdout
}

const FILES: &str = "\
services:
  app:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    scale: 2
    secrets:
      - db
      - source: token
        target: tok
        uid: '1000'
        gid: '1001'
        mode: '0400'
    configs:
      - conf
      - source: inline
        target: /etc/app.conf
        mode: '0640'
      - source: fromenv
networks:
  default:
    ipam:
      config: [{subnet: SUBNET}]
secrets:
  db: {file: ./db.txt}
  token: {environment: TOKEN}
configs:
  conf: {file: ./conf.txt}
  inline: {content: 'port=${PORT}'}
  fromenv: {environment: TOKEN}
";

#[test]
fn compose_secrets_and_configs_from_every_source() {
    need();
    let lab = Lab::new();
    let subnet = format!("10.236.{}.0/24", third(&lab));
    let p = project(&lab, "cfiles", &FILES.replace("SUBNET", &subnet));
    std::fs::write(p.dir.join("db.txt"), "from-a-file").unwrap();
    std::fs::write(p.dir.join("conf.txt"), "conf-file").unwrap();
    std::fs::write(p.dir.join(".env"), "TOKEN=s3cr3t\nPORT=8080\n").unwrap();

    let check = compose(&lab, &p, &["config", "--check"]);
    assert_eq!(check.code, 0, "every key supported:\n{check}");

    compose_ok(&lab, &p, &["up", "-d"]);
    let app = format!("{}-app-1", p.name);
    let stat = |f: &str| exec(&lab, &app, &["stat", "-c", "%u:%g %a", f]);
    assert_eq!(exec(&lab, &app, &["cat", "/run/secrets/db"]), "from-a-file");
    assert_eq!(exec(&lab, &app, &["cat", "/run/secrets/tok"]), "s3cr3t");
    assert_eq!(stat("/run/secrets/tok").trim(), "1000:1001 400");
    assert_eq!(exec(&lab, &app, &["cat", "/conf"]), "conf-file");
    assert_eq!(exec(&lab, &app, &["cat", "/etc/app.conf"]), "port=8080");
    assert_eq!(stat("/etc/app.conf").trim(), "0:0 640");
    assert_eq!(exec(&lab, &app, &["cat", "/fromenv"]), "s3cr3t");
    assert_eq!(stat("/fromenv").trim(), "0:0 444");
    let second = format!("{}-app-2", p.name);
    assert_eq!(exec(&lab, &second, &["cat", "/run/secrets/tok"]), "s3cr3t");
    // Never writable from the container, root included.
    for f in ["/run/secrets/tok", "/etc/app.conf", "/run/secrets/db"] {
        let w = lab
            .b()
            .run(&["exec", &app, "sh", "-c", &format!("echo x > {f}")]);
        assert_ne!(w.code, 0, "{f} writable:\n{w}");
    }
    let written = lab.b().data_root.join("compose").join(&p.name);
    assert!(written.join("files").is_dir());

    compose_ok(&lab, &p, &["down"]);
    assert!(containers(&lab, &p).is_empty());
    assert!(!written.exists(), "down leaves {}", written.display());
    lab.assert_clean();
}

#[test]
fn compose_secret_refusals_create_nothing() {
    need();
    let lab = Lab::new();
    let subnet = format!("10.236.{}.0/24", third(&lab));
    let base = "\
services:
  app:
    image: IMAGE
    command: [sleep, '1000']
    secrets: [s]
networks:
  default:
    ipam:
      config: [{subnet: SUBNET}]
";
    for (def, msg) in [
        (
            "secrets:\n  s: {environment: BERTH_TEST_UNSET_VAR}\n",
            // compose-go names a secret `<project>_<key>`.
            "environment variable \"BERTH_TEST_UNSET_VAR\" required by secret \"PROJECT_s\" is not set",
        ),
        (
            "secrets:\n  s: {external: true, name: shared}\n",
            "unsupported external secret shared",
        ),
    ] {
        let yaml = format!("{base}{def}").replace("SUBNET", &subnet);
        let p = project(&lab, "crefuse", &yaml);
        let up = compose(&lab, &p, &["up", "-d"]);
        assert_ne!(up.code, 0, "{up}");
        let msg = msg.replace("PROJECT", &p.name);
        assert!(up.stderr.contains(&msg), "{msg:?} missing:\n{up}");
        assert!(containers(&lab, &p).is_empty(), "{up}");
        assert!(networks(&lab, &p).is_empty(), "{up}");
        assert!(!lab.b().data_root.join("compose").join(&p.name).exists());
    }
    lab.assert_clean();
}

const NETS: &str = "\
services:
  app:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    networks:
      front:
        ipv4_address: P1.10
      back:
        ipv4_address: P2.11
        ipv6_address: 'fd36:T::11'
networks:
  front:
    ipam:
      config: [{subnet: P1.0/24}]
  back:
    enable_ipv6: true
    ipam:
      config: [{subnet: P2.0/24}, {subnet: 'fd36:T::/64'}]
";

#[test]
fn compose_static_addresses_on_every_network() {
    need();
    let lab = Lab::new();
    let t = third(&lab);
    let (p1, p2) = (format!("10.236.{t}"), format!("10.237.{t}"));
    let yaml = NETS
        .replace("P1", &p1)
        .replace("P2", &p2)
        .replace("fd36:T", &format!("fd36:{t}"));
    let p = project(&lab, "cnets", &yaml);
    compose_ok(&lab, &p, &["up", "-d"]);
    let app = format!("{}-app-1", p.name);
    let addrs = exec(&lab, &app, &["ip", "addr"]);
    for want in [
        format!("{p1}.10/24"),
        format!("{p2}.11/24"),
        // As `ip` prints it (`fd36::11` when t is 0).
        format!(
            "{}/64",
            format!("fd36:{t}::11")
                .parse::<std::net::Ipv6Addr>()
                .unwrap()
        ),
    ] {
        assert!(addrs.contains(&want), "{want} missing:\n{addrs}");
    }
    compose_ok(&lab, &p, &["down"]);

    // An IPv6 address on a network without IPv6: refused, as Docker does.
    let no6 = yaml.replace(
        "    enable_ipv6: true\n    ipam:\n      config: [{subnet: P2.0/24}, {subnet: 'fd36:T::/64'}]\n"
            .replace("P2", &p2)
            .replace("fd36:T", &format!("fd36:{t}"))
            .as_str(),
        &format!("    ipam:\n      config: [{{subnet: {p2}.0/24}}]\n"),
    );
    assert_ne!(no6, yaml);
    let q = project(&lab, "cnets6", &no6);
    let up = compose(&lab, &q, &["up", "-d"]);
    assert_ne!(up.code, 0, "{up}");
    assert!(
        up.stderr
            .contains("user specified IP address is supported only"),
        "{up}"
    );
    compose_ok(&lab, &q, &["down"]);
    assert!(networks(&lab, &q).is_empty());
    lab.assert_clean();
}

const LINKS: &str = "\
services:
  db:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
  web:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
    links: ['db:database']
    external_links: ['EXT:legacy']
  other:
    image: IMAGE
    command: [sleep, '1000']
    stop_grace_period: 1s
networks:
  default:
    external: true
    name: NET
";

#[test]
fn compose_links_resolve_in_the_linking_container_only() {
    need();
    let lab = Lab::new();
    let net = lab.name("links");
    let subnet = format!("10.238.{}.0/24", third(&lab));
    lab.b()
        .ok(&["network", "create", "--subnet", &subnet, &net]);
    let ext = lab.name("ext");
    lab.b().ok(&[
        "run",
        "-d",
        "--network",
        &net,
        "--name",
        &ext,
        lab.image(),
        "sleep",
        "1000",
    ]);
    let yaml = LINKS.replace("NET", &net).replace("EXT", &ext);
    let p = project(&lab, "clinks", &yaml);
    let check = compose(&lab, &p, &["config", "--check"]);
    assert_eq!(check.code, 0, "links are supported:\n{check}");
    let up = compose_ok(&lab, &p, &["up", "-d"]);
    let (db, web, other) = (
        format!("{}-db-1", p.name),
        format!("{}-web-1", p.name),
        format!("{}-other-1", p.name),
    );
    // links imply depends_on: db starts before web.
    assert!(
        up.stderr.find(&format!("Container {db}  Started"))
            < up.stderr.find(&format!("Container {web}  Started")),
        "{up}"
    );
    let ip = |c: &str| {
        let out = lab.b().ok(&[
            "inspect",
            "--format",
            "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
            c,
        ]);
        out.stdout.trim().to_string()
    };
    let (db_ip, ext_ip) = (ip(&db), ip(&ext));
    let hosts = exec(&lab, &web, &["cat", "/etc/hosts"]);
    for (name, addr) in [
        ("database", &db_ip),
        ("db-1", &db_ip),
        (db.as_str(), &db_ip),
        ("legacy", &ext_ip),
    ] {
        assert!(
            hosts
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == [addr.as_str(), name]),
            "{addr} {name} missing:\n{hosts}"
        );
    }
    let ping = exec(&lab, &web, &["ping", "-c", "1", "-W", "5", "database"]);
    assert!(ping.contains(&db_ip), "{ping}");
    let theirs = exec(&lab, &other, &["cat", "/etc/hosts"]);
    assert!(
        !theirs.contains("database") && !theirs.contains("legacy"),
        "{theirs}"
    );
    // A restart of the project keeps the lines, once each.
    compose_ok(&lab, &p, &["restart", "web"]);
    let again = exec(&lab, &web, &["cat", "/etc/hosts"]);
    assert_eq!(again.matches("database").count(), 1, "{again}");

    // A one-off of the linking service gets the lines too.
    let run = compose_ok(&lab, &p, &["run", "--rm", "-T", "web", "cat", "/etc/hosts"]);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == [db_ip.as_str(), "database"]),
        "{run}"
    );

    compose_ok(&lab, &p, &["down"]);
    lab.b().ok(&["rm", "-f", &ext]);
    lab.b().ok(&["network", "rm", &net]);
    lab.assert_clean();
}
