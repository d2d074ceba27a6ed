//! What berth refuses in a compose file is refused by `up` before
//! anything is created (one clear error, no container, network or volume
//! left), while `config` still prints the model: a logging driver berth
//! cannot honour, options `create` would refuse, a missing external
//! network (after a network `up` would have created), an
//! `external_links` target that does not exist, a volume or network
//! driver or driver option berth cannot honour.
//!
//! Subnets: 10.247.N.0/24, N the lab's own third octet (no network is
//! ever created here: each case is refused first).

use crate::compose_up::{compose, compose_ok, containers, need, networks, project, write};
use crate::containers::Lab;

const BASE: &str = "\
services:
  web:
    image: IMAGE
    command: [sleep, '1000']
    volumes: [data:/data]
  late:
    image: IMAGE
    command: [sleep, '1000']
EXTRA
networks:
  default:
    ipam:
      config: [{subnet: MYNET}]
volumes:
  data: {}
";

#[test]
fn compose_up_refuses_what_berth_cannot_create_before_creating_anything() {
    need();
    let lab = Lab::new();
    let third = lab.b().subnet.split('.').nth(2).unwrap().to_string();
    let file = |extra: &str| BASE.replace("EXTRA", extra);
    let first =
        file("    logging: {driver: syslog}").replace("MYNET", &format!("10.247.{third}.0/24"));
    let p = project(&lab, "crefuse", &first);
    let config = compose_ok(&lab, &p, &["config"]);
    assert!(config.stdout.contains("driver: syslog"), "{config}");
    let check = compose(&lab, &p, &["config", "--check"]);
    assert_eq!(check.code, 1, "{check}");
    assert!(
        check
            .stdout
            .lines()
            .any(|l| l.starts_with("late") && l.contains("logging") && l.contains("rejected")),
        "{check}"
    );
    let cases = [
        (
            "    logging: {driver: syslog}",
            "services.late.logging: rejected by berth: logging driver \"syslog\" is not supported: use json-file or none",
        ),
        (
            "    logging: {options: {max-file: '0'}}",
            "services.late.logging: rejected by berth:",
        ),
        (
            "    mem_limit: 64m\n    memswap_limit: 32m",
            "service \"late\": Minimum memoryswap limit should be larger than memory limit",
        ),
        (
            "    networks: [default, outside]",
            "network outside declared as external, but could not be found",
        ),
        (
            "    external_links: [nosuch_container]",
            "could not get container for nosuch_container: No such container: nosuch_container",
        ),
    ];
    for (extra, error) in cases {
        // `outside` is declared external (and missing) in every case.
        let text = file(extra).replace(
            "      config: [{subnet: MYNET}]\n",
            "      config: [{subnet: MYNET}]\n  outside: {external: true}\n",
        );
        let text = text.replace("MYNET", &format!("10.247.{third}.0/24"));
        write(&lab, &p, &text);
        for verb in [&["up", "-d"][..], &["create"][..]] {
            let out = compose(&lab, &p, verb);
            assert_eq!(out.code, 1, "{extra}:\n{out}");
            assert!(out.stderr.contains(error), "{extra}: {error:?}:\n{out}");
            assert!(!out.stderr.contains("Created"), "{extra}:\n{out}");
            assert!(containers(&lab, &p).is_empty(), "{extra}");
            assert!(networks(&lab, &p).is_empty(), "{extra}");
            let volumes = lab.b().ok(&["volume", "ls", "-q"]);
            assert!(!volumes.stdout.contains(&p.name), "{extra}:\n{volumes}");
        }
    }
    lab.assert_clean();
}

/// A volume or network driver (or driver option) berth cannot honour is
/// listed by `config --check` and refused by `up`/`create` before the
/// networks are made (`up` used to create the network, then fail on the
/// volume, leaving the network).
#[test]
fn compose_up_refuses_unsupported_volume_and_network_drivers_first() {
    need();
    let lab = Lab::new();
    let third = lab.b().subnet.split('.').nth(2).unwrap().to_string();
    let base = BASE
        .replace("EXTRA", "")
        .replace("MYNET", &format!("10.247.{third}.0/24"));
    let cases = [
        (
            base.replace("  data: {}", "  data: {driver: nfs}"),
            "volumes.data.driver",
            "volumes.data.driver: rejected by berth: volume driver \"nfs\" is not supported",
        ),
        (
            base.replace(
                "  data: {}",
                "  data:\n    driver_opts: {type: nfs, o: 'addr=127.0.0.1', device: ':/x'}",
            ),
            "volumes.data.driver_opts",
            "volumes.data.driver_opts: rejected by berth: driver options of the local driver (device, o, type) are not supported",
        ),
        (
            base.replace("  default:\n", "  default:\n    driver: overlay\n"),
            "networks.default.driver",
            "networks.default.driver: rejected by berth: network driver \"overlay\" is not supported (bridge, macvlan, ipvlan)",
        ),
        (
            base.replace(
                "  default:\n",
                "  default:\n    driver_opts: {com.docker.network.bridge.inhibit_ipv4: 'true'}\n",
            ),
            "networks.default.driver_opts",
            "networks.default.driver_opts: rejected by berth: network option com.docker.network.bridge.inhibit_ipv4=true is not supported",
        ),
    ];
    let p = project(&lab, "crdrv", &base);
    // The file as it is passes the check.
    compose_ok(&lab, &p, &["config", "--check"]);
    for (text, key, error) in cases {
        std::fs::write(
            p.dir.join("compose.yaml"),
            text.replace("IMAGE", lab.image()),
        )
        .unwrap();
        let check = compose(&lab, &p, &["config", "--check"]);
        assert_eq!(check.code, 1, "{key}:\n{check}");
        assert!(
            check
                .stdout
                .lines()
                .any(|l| l.split_whitespace().next() == Some(key) && l.contains("rejected")),
            "{key}:\n{check}"
        );
        for verb in [&["up", "-d"][..], &["create"][..]] {
            let out = compose(&lab, &p, verb);
            assert_eq!(out.code, 1, "{key}:\n{out}");
            assert!(out.stderr.contains(error), "{error:?}:\n{out}");
            assert!(!out.stderr.contains("Created"), "{key}:\n{out}");
            assert!(containers(&lab, &p).is_empty(), "{key}");
            assert!(networks(&lab, &p).is_empty(), "{key}");
            let volumes = lab.b().ok(&["volume", "ls", "-q"]);
            assert!(!volumes.stdout.contains(&p.name), "{key}:\n{volumes}");
        }
    }
    lab.assert_clean();
}
