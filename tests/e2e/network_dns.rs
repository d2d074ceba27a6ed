//! A container's `/etc/hosts` and `/etc/resolv.conf` through the binary:
//! its own address under its hostname (and `--domainname`), `--add-host`
//! with `host-gateway`, no host-loopback name server on a bridge, and the
//! `--dns`, `--dns-search`, `--dns-option` overrides.
//!
//! The bridge case uses the lab's own default-bridge interface and subnet
//! and deletes the bridge at the end.

use crate::containers::Lab;
use crate::require;

#[test]
fn network_dns_etc_files_on_the_default_bridge() {
    require!(@network);
    let lab = Lab::new();
    lab.b().delete_bridge();
    let prefix = lab.b().subnet.rsplit_once('.').unwrap().0.to_string();
    let out = lab.run_ok(
        &[
            "--network",
            "bridge",
            "--hostname",
            "web",
            "--domainname",
            "example.org",
            "--add-host",
            "db:10.1.2.3",
            "--add-host",
            "gw:host-gateway",
        ],
        &["sh", "-c", "cat /etc/hosts; echo ---; cat /etc/resolv.conf"],
    );
    let (hosts, resolv) = out.split_once("---\n").unwrap();
    assert!(hosts.starts_with("127.0.0.1\tlocalhost\n"), "{hosts}");
    assert!(hosts.contains("10.1.2.3\tdb\n"), "{hosts}");
    assert!(hosts.contains(&format!("{prefix}.1\tgw\n")), "{hosts}");
    let own = hosts.lines().last().unwrap();
    assert!(
        own.starts_with(&format!("{prefix}.")) && own.ends_with("\tweb.example.org web"),
        "{hosts}"
    );
    for l in resolv.lines().filter(|l| l.starts_with("nameserver")) {
        let ip: std::net::IpAddr = l.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(!ip.is_loopback(), "{resolv}");
    }
    assert!(resolv.contains("nameserver"), "{resolv}");

    let resolv = lab.run_ok(
        &[
            "--network",
            "bridge",
            "--dns",
            "192.0.2.53",
            "--dns-search",
            "a.example.",
            "--dns-option",
            "ndots:3",
        ],
        &["cat", "/etc/resolv.conf"],
    );
    let id = lab.run_d(
        &[
            "--network",
            "none",
            "--dns",
            "192.0.2.53",
            "--domainname",
            "d.example",
        ],
        &["true"],
    );
    let out = lab.b().ok(&[
        "inspect",
        "--format",
        "{{json .HostConfig.Dns}} {{.Config.Domainname}}",
        &id,
    ]);
    assert_eq!(out.stdout.trim(), "[\"192.0.2.53\"] d.example", "{out}");
    let directives: Vec<&str> = resolv
        .lines()
        .filter(|l| {
            ["nameserver", "search", "options"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .collect();
    assert_eq!(
        directives,
        [
            "nameserver 192.0.2.53",
            "search a.example",
            "options ndots:3"
        ],
        "{resolv}"
    );

    for (flags, msg) in [
        (
            vec!["--dns", "nope"],
            "invalid argument \"nope\" for \"--dns\" flag: IP address is not correctly formatted: nope",
        ),
        (
            vec!["--dns-search", "bad_domain"],
            "bad_domain is not a valid domain",
        ),
        (
            vec!["--network", "container:x", "--dns", "1.1.1.1"],
            "conflicting options: dns and the network mode",
        ),
    ] {
        let out = lab.run(&flags, &["true"]);
        assert_eq!(out.code, 125, "{out}");
        assert!(out.stderr.contains(msg), "{out}");
    }
    lab.remove_all_and_check();
    lab.b().delete_bridge();
}
