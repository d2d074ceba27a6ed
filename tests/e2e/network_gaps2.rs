//! Issue 8's second round of audit gaps, through the binary.
//!
//! `--network container:X` refuses only `--dns` of the resolver flags, as
//! moby's `validateNetContainerMode`: `--dns-search` and `--dns-option` are
//! kept in `HostConfig` and change nothing (X's `resolv.conf` is the one the
//! container sees). Its `Config.Hostname`/`Domainname` are its own until
//! its first start and X's from then on, as moby's `initializeNetworking`
//! records them.
//!
//! Subnets: 10.241.n.0/24 (n this env's own third octet), cut into /26s
//! when a test needs several networks; bridges `bng...`.

use crate::containers::Lab;
use crate::require;

fn inspect(lab: &Lab, what: &str, format: &str) -> String {
    let out = lab.b().ok(&["inspect", "-f", format, what]);
    out.stdout.trim_end().to_string()
}

#[test]
fn network_container_mode_keeps_dns_search_and_takes_the_names_at_start() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let owner = lab.name("owner");
    lab.run_d(
        &[
            "--name",
            &owner,
            "--hostname",
            "ownerhost",
            "--domainname",
            "example.org",
            "--dns-search",
            "owner.test",
        ],
        &["sleep", "300"],
    );
    let mode = format!("container:{owner}");
    let joined = lab.name("joined");
    let id = lab.create(
        &[
            "--name",
            &joined,
            "--network",
            &mode,
            "--dns-search",
            "mine.test",
            "--dns-option",
            "ndots:3",
            "--domainname",
            "own.test",
        ],
        &["cat", "/etc/resolv.conf"],
    );
    // Created: its own names (moby's create gives the short ID).
    assert_eq!(
        inspect(&lab, &joined, "{{.Config.Hostname}} {{.Config.Domainname}}"),
        format!("{} own.test", &id[..12])
    );
    assert_eq!(
        inspect(
            &lab,
            &joined,
            "{{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}}"
        ),
        r#"["mine.test"] ["ndots:3"]"#
    );
    // Started: the owner's resolv.conf, untouched by the joiner's flags.
    let seen = b.ok(&["start", "-a", &joined]).stdout;
    let owners = b.ok(&["exec", &owner, "cat", "/etc/resolv.conf"]).stdout;
    assert_eq!(seen, owners);
    assert!(seen.contains("search owner.test"), "{seen}");
    assert!(
        !seen.contains("mine.test") && !seen.contains("ndots:3"),
        "{seen}"
    );
    // ... and the owner's names, kept after the owner is gone.
    let names = "{{.Config.Hostname}} {{.Config.Domainname}}";
    assert_eq!(inspect(&lab, &joined, names), "ownerhost example.org");
    b.ok(&["rm", "-f", &owner]);
    assert_eq!(inspect(&lab, &joined, names), "ownerhost example.org");
    b.ok(&["rm", "-f", &joined]);
    lab.remove_all_and_check();
}
