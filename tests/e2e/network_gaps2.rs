//! Issue 8's second round of audit gaps, through the binary.
//!
//! `--network container:X` refuses only `--dns` of the resolver flags, as
//! moby's `validateNetContainerMode`: `--dns-search` and `--dns-option` are
//! kept in `HostConfig` and change nothing (X's `resolv.conf` is the one the
//! container sees). Its `Config.Hostname`/`Domainname` are its own until
//! its first start and X's from then on, as moby's `initializeNetworking`
//! records them.
//!
//! The default route of a container on several networks goes where moby's
//! `getGatewayEndpoint` puts it, not to the first `--network`: non-internal
//! before internal, dual-stack before single-stack, then network name; a
//! `network connect` of a network that sorts first takes it over, and its
//! `disconnect` gives it back; `connect --gw-priority` comes before all.
//!
//! `--link target:alias` on a user network is an alias of the linking
//! container's endpoint, answered by the network's name server to that
//! container only (moby's `CreateOptionAlias`), with no `/etc/hosts` line
//! and no check that the target exists, as Docker's; inspect shows it in
//! the endpoint's `Links`, not in `HostConfig.Links`. `network connect
//! --link` does the same for the endpoint it makes.
//!
//! Subnets: 10.241.n.0/24 (n this env's own third octet), cut into /26s
//! when a test needs several networks; bridges `bng...`.

use crate::containers::Lab;
use crate::require;

/// A user network of this env on 10.241.n.(64*quarter)/26, with its own
/// bridge (`bng...` + `suffix`), removed (bridge included) on drop.
struct Net<'a> {
    lab: &'a Lab,
    name: String,
    bridge: String,
    /// `10.241.n.` + the first address of the /26.
    gateway: String,
}

impl<'a> Net<'a> {
    fn new(lab: &'a Lab, name: &str, quarter: u8, suffix: char, flags: &[&str]) -> Net<'a> {
        let b = lab.b();
        let bridge = format!("bng{}{suffix}", &b.bridge[2..]);
        delete_link(&bridge);
        let n = b.subnet.split('.').nth(2).unwrap().to_string();
        let base = 64 * u32::from(quarter);
        let subnet = format!("10.241.{n}.{base}/26");
        let opt = format!("com.docker.network.bridge.name={bridge}");
        let mut args = vec!["network", "create", "--subnet", &subnet, "-o", &opt];
        args.extend_from_slice(flags);
        args.push(name);
        b.ok(&args);
        Net {
            lab,
            name: name.to_string(),
            bridge,
            gateway: format!("10.241.{n}.{}", base + 1),
        }
    }
}

impl Drop for Net<'_> {
    fn drop(&mut self) {
        let _ = self.lab.b().run(&["network", "rm", &self.name]);
        delete_link(&self.bridge);
    }
}

fn delete_link(name: &str) {
    if std::path::Path::new("/sys/class/net").join(name).exists() {
        let _ = std::process::Command::new("ip")
            .args(["link", "delete", name])
            .status();
    }
}

/// The container's default routes, as `ip route` prints them.
fn default_routes(lab: &Lab, ctr: &str) -> Vec<String> {
    let out = lab.b().ok(&["exec", ctr, "ip", "route"]);
    out.stdout
        .lines()
        .filter(|l| l.starts_with("default"))
        .map(str::to_string)
        .collect()
}

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

#[test]
fn network_default_route_follows_mobys_endpoint_order() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    // Names sort against the flag order: "...-a..." < "...-z...".
    let tag = lab.name("gw");
    let zeta = Net::new(&lab, &format!("{tag}-zeta"), 0, 'z', &[]);
    let alpha = Net::new(&lab, &format!("{tag}-alpha"), 1, 'a', &[]);
    let inner = Net::new(&lab, &format!("{tag}-inner"), 2, 'i', &["--internal"]);
    let beta = Net::new(&lab, &format!("{tag}-beta"), 3, 'b', &[]);

    // At start: internal last, then by name, whatever the flag order.
    let two = lab.run_d(
        &[
            "--network",
            &inner.name,
            "--network",
            &zeta.name,
            "--network",
            &alpha.name,
        ],
        &["sleep", "300"],
    );
    assert_eq!(
        default_routes(&lab, &two),
        [format!("default via {} dev eth2 ", alpha.gateway)]
    );
    b.ok(&["rm", "-f", &two]);

    // connect: a network that sorts first takes the route over, one that
    // sorts after leaves it; disconnect gives it to the next in order.
    let one = lab.run_d(&["--network", &zeta.name], &["sleep", "300"]);
    let via = |net: &Net, dev: &str| vec![format!("default via {} dev {dev} ", net.gateway)];
    assert_eq!(default_routes(&lab, &one), via(&zeta, "eth0"));
    b.ok(&["network", "connect", &inner.name, &one]);
    assert_eq!(default_routes(&lab, &one), via(&zeta, "eth0"));
    b.ok(&["network", "connect", &beta.name, &one]);
    assert_eq!(default_routes(&lab, &one), via(&beta, "eth2"));
    b.ok(&["network", "connect", &alpha.name, &one]);
    assert_eq!(default_routes(&lab, &one), via(&alpha, "eth3"));
    b.ok(&["network", "disconnect", &alpha.name, &one]);
    assert_eq!(default_routes(&lab, &one), via(&beta, "eth2"));
    b.ok(&["network", "disconnect", &zeta.name, &one]);
    assert_eq!(default_routes(&lab, &one), via(&beta, "eth2"));
    b.ok(&["network", "disconnect", &beta.name, &one]);
    assert_eq!(default_routes(&lab, &one), Vec::<String>::new());
    // The host is reached through the gateway endpoint.
    b.ok(&["network", "connect", &zeta.name, &one]);
    assert_eq!(default_routes(&lab, &one), via(&zeta, "eth2"));
    b.ok(&["exec", &one, "ping", "-c", "1", "-W", "3", &zeta.gateway]);
    // --gw-priority comes before the name: alpha at -1 leaves zeta (0) the
    // route, beta at 3 takes it.
    b.ok(&[
        "network",
        "connect",
        "--gw-priority",
        "-1",
        &alpha.name,
        &one,
    ]);
    assert_eq!(default_routes(&lab, &one), via(&zeta, "eth2"));
    b.ok(&["network", "connect", "--gw-priority", "3", &beta.name, &one]);
    assert_eq!(default_routes(&lab, &one), via(&beta, "eth4"));
    let prio = |net: &Net| {
        let f = format!(
            "{{{{(index .NetworkSettings.Networks {:?}).GwPriority}}}}",
            net.name
        );
        inspect(&lab, &one, &f)
    };
    assert_eq!(
        (prio(&alpha), prio(&beta), prio(&zeta)),
        ("-1".into(), "3".into(), "0".into())
    );
    b.ok(&["network", "disconnect", &beta.name, &one]);
    assert_eq!(default_routes(&lab, &one), via(&zeta, "eth2"));
    b.ok(&["rm", "-f", &one]);
    drop((zeta, alpha, inner, beta));
    lab.remove_all_and_check();
}

#[test]
fn network_create_driver_options_are_applied_or_refused() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let tag = lab.name("opt");
    // moby's parse errors, and the options berth cannot apply, name the
    // option; nothing is created.
    for (opt, msg) in [
        (
            "com.docker.network.bridge.enable_icc=yes",
            "failed to parse com.docker.network.bridge.enable_icc value: yes \
             (strconv.ParseBool: parsing \"yes\": invalid syntax)",
        ),
        ("com.docker.network.driver.mtu=-5", "invalid MTU number: -5"),
        (
            "com.docker.network.bridge.inhibit_ipv4=true",
            "network option com.docker.network.bridge.inhibit_ipv4=true is not supported",
        ),
        (
            "com.docker.network.bridge.gateway_mode_ipv4=routed",
            "network option com.docker.network.bridge.gateway_mode_ipv4=routed is not supported",
        ),
    ] {
        let out = b.code(&["network", "create", "-o", opt, &tag], 1);
        assert!(out.stderr.contains(msg), "{opt}: {out}");
    }
    assert!(!b.ok(&["network", "ls", "-q"]).stdout.contains(&tag));

    let opts = [
        "com.docker.network.driver.mtu=1400",
        "com.docker.network.bridge.enable_icc=false",
        "com.docker.network.bridge.enable_ip_masquerade=false",
        "com.docker.network.bridge.host_binding_ipv4=127.0.0.1",
        "not.a.driver.option=kept",
    ];
    let mut flags = Vec::new();
    for o in &opts {
        flags.extend(["-o", o]);
    }
    let net = Net::new(&lab, &tag, 0, 'o', &flags);
    let net_inspect = |f: &str| {
        let out = b.ok(&["network", "inspect", "-f", f, &net.name]);
        out.stdout.trim_end().to_string()
    };
    let shown = net_inspect("{{json .Options}}");
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    for o in opts {
        let (k, v) = o.split_once('=').unwrap();
        assert_eq!(shown[k], v, "{shown}");
    }
    let id = net_inspect("{{.Id}}");
    // mtu: the container's interface.
    let port = crate::support::free_port().to_string();
    let web = lab.run_d(
        &["--network", &net.name, "-p", &format!("{port}:80")],
        &["sleep", "300"],
    );
    let mtu = b.ok(&["exec", &web, "cat", "/sys/class/net/eth0/mtu"]);
    assert_eq!(mtu.stdout.trim(), "1400");
    // host_binding_ipv4: the host address of a -p that gives none.
    assert_eq!(
        b.ok(&["port", &web]).stdout,
        format!("80/tcp -> 127.0.0.1:{port}\n")
    );
    // enable_icc=false: containers of the bridge do not reach each other
    // (the gateway still answers).
    let addr = inspect(
        &lab,
        &web,
        &format!(
            "{{{{(index .NetworkSettings.Networks {:?}).IPAddress}}}}",
            net.name
        ),
    );
    let peer = lab.run_d(&["--network", &net.name], &["sleep", "300"]);
    b.ok(&["exec", &peer, "ping", "-c", "1", "-W", "2", &net.gateway]);
    let out = b.run(&["exec", &peer, "ping", "-c", "1", "-W", "2", &addr]);
    assert_ne!(out.code, 0, "icc=false let {addr} answer: {out}");
    // enable_ip_masquerade=false: no masquerade rule for the network.
    let tagged = format!("berth-net {id}");
    let rules = crate::support::iptables_rules_where(|l| l.contains(&tagged));
    assert!(
        rules
            .iter()
            .any(|r| r.contains("-j DROP") && r.contains("-o bng")),
        "{rules:?}"
    );
    assert!(!rules.iter().any(|r| r.contains("MASQUERADE")), "{rules:?}");
    b.ok(&["rm", "-f", &web, &peer]);
    drop(net);
    let left = crate::support::iptables_rules_where(|l| l.contains(&tagged));
    assert!(left.is_empty(), "{left:?}");
    lab.remove_all_and_check();
}

#[test]
fn network_link_on_a_user_network_is_a_dns_alias_of_the_linking_container() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    // Forwarded names go to a loopback address nothing listens on: nothing
    // leaves the machine, and a name the server does not know fails.
    let n = b.subnet.split('.').nth(2).unwrap().to_string();
    let file = b.base().join("host-resolv.conf");
    std::fs::write(&file, format!("nameserver 127.78.{n}.1\n")).unwrap();
    let mut cfg = std::fs::read_to_string(&b.config).unwrap();
    cfg.push_str(&format!("resolv_conf = {:?}\n", file.display().to_string()));
    std::fs::write(&b.config, cfg).unwrap();

    let net = Net::new(&lab, &lab.name("lnk"), 0, 'l', &[]);
    let db = lab.name("db");
    lab.run_d(&["--name", &db, "--network", &net.name], &["sleep", "300"]);
    let db_ip = inspect(
        &lab,
        &db,
        &format!(
            "{{{{(index .NetworkSettings.Networks {:?}).IPAddress}}}}",
            net.name
        ),
    );
    // The target need not exist (Docker registers no link here).
    let app = lab.name("app");
    let store_link = format!("{db}:store");
    lab.run_d(
        &[
            "--name",
            &app,
            "--network",
            &net.name,
            "--link",
            &store_link,
            "--link",
            "nosuch-target:ghost",
        ],
        &["sleep", "300"],
    );
    let lookup = |ctr: &str, name: &str| b.run(&["exec", ctr, "busybox", "nslookup", name]);
    for name in ["store".to_string(), format!("store.{}", net.name)] {
        let out = lookup(&app, &name);
        assert!(
            out.code == 0 && out.stdout.contains(&db_ip),
            "{name}: {out}"
        );
    }
    assert_ne!(lookup(&app, "ghost").code, 0);
    let hosts = b.ok(&["exec", &app, "cat", "/etc/hosts"]).stdout;
    assert!(!hosts.contains("store"), "{hosts}");
    // Another member does not resolve the alias; the target's own name
    // still resolves for it.
    let other = lab.run_d(&["--network", &net.name], &["sleep", "300"]);
    assert_ne!(lookup(&other, "store").code, 0);
    assert!(lookup(&other, &db).stdout.contains(&db_ip));
    assert_eq!(inspect(&lab, &app, "{{json .HostConfig.Links}}"), "null");
    assert_eq!(
        inspect(
            &lab,
            &app,
            &format!(
                "{{{{json (index .NetworkSettings.Networks {:?}).Links}}}}",
                net.name
            )
        ),
        format!("[\"{store_link}\",\"nosuch-target:ghost\"]")
    );
    // network connect --link: an alias of the new endpoint, answered
    // through the first network's server for that container only.
    let net2 = Net::new(&lab, &lab.name("lnk2"), 1, 'm', &[]);
    b.ok(&["network", "connect", &net2.name, &db]);
    let db_ip2 = inspect(
        &lab,
        &db,
        &format!(
            "{{{{(index .NetworkSettings.Networks {:?}).IPAddress}}}}",
            net2.name
        ),
    );
    let cache_link = format!("{db}:cache");
    b.ok(&[
        "network",
        "connect",
        "--link",
        &cache_link,
        &net2.name,
        &other,
    ]);
    for name in ["cache".to_string(), format!("cache.{}", net2.name)] {
        let out = lookup(&other, &name);
        assert!(
            out.code == 0 && out.stdout.contains(&db_ip2),
            "{name}: {out}"
        );
    }
    assert_ne!(lookup(&app, "cache").code, 0);
    assert_eq!(
        inspect(
            &lab,
            &other,
            &format!(
                "{{{{json (index .NetworkSettings.Networks {:?}).Links}}}}",
                net2.name
            )
        ),
        format!("[\"{cache_link}\"]")
    );
    b.ok(&["network", "disconnect", &net2.name, &other]);
    assert_ne!(lookup(&other, "cache").code, 0);
    b.ok(&["rm", "-f", &app, &db, &other]);
    drop((net, net2));
    lab.remove_all_and_check();
}
