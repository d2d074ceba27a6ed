//! CNI networking through the binary with the real plugins: a published
//! port answered from the host on 127.0.0.1 and on a non-loopback address,
//! the address and ports released when the container stops (by `stop`, or
//! on its own with no CLI call), host-port conflicts with Docker's wording,
//! a second data root whose default bridge name is taken, and a leak check
//! (iptables rules, links, netns mounts, IPAM leases) after each case.
//!
//! Each case uses its own default-bridge interface and subnet (every test
//! `Berth` writes them to its `berth.toml`), its own CNI config dir under
//! its data root, and removes its bridge at the end.

use crate::containers::Lab;
use crate::require;
use crate::support::wait_for;
use std::path::PathBuf;
use std::time::Duration;

/// A lab whose default network is its own bridge and subnet.
struct NetLab {
    lab: Lab,
    bridge: String,
    subnet: String,
}

impl NetLab {
    fn new() -> NetLab {
        let lab = Lab::new();
        let bridge = lab.b().bridge.clone();
        let subnet = lab.b().subnet.clone();
        lab.b().delete_bridge();
        NetLab {
            lab,
            bridge,
            subnet,
        }
    }

    fn ipam_dir(&self) -> PathBuf {
        self.lab.b().state_root.join("network/ipam")
    }

    fn netns_dir(&self) -> PathBuf {
        self.lab.b().state_root.join("netns")
    }

    /// IPAM leases held (host-local writes one file per address).
    fn leases(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in crate::support::walk_files(&self.ipam_dir()) {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            if n.parse::<std::net::IpAddr>().is_ok() {
                out.push(n);
            }
        }
        out
    }

    /// What the network left on the host: iptables lines naming the
    /// subnet's prefix or a container of this lab (the network's own rules,
    /// tagged `berth-net`, stay while it exists), links on this bridge,
    /// pinned namespaces, leases.
    fn leftovers(&self) -> Vec<String> {
        let prefix = self.subnet.rsplit_once('.').unwrap().0.to_string();
        let ids = self.lab.known_ids();
        let mut out = crate::support::iptables_rules_where(|l| {
            !l.contains("berth-net ")
                && (l.contains(&format!("{prefix}."))
                    || ids.iter().any(|id| l.contains(id.as_str())))
        });
        let links = std::process::Command::new("ip")
            .args(["-br", "link", "show", "master", &self.bridge])
            .output()
            .unwrap();
        for l in String::from_utf8_lossy(&links.stdout).lines() {
            out.push(format!("link on {}: {l}", self.bridge));
        }
        let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
        let netns = self.netns_dir();
        for l in mountinfo.lines() {
            if l.contains(netns.to_str().unwrap()) {
                out.push(format!("netns mount: {l}"));
            }
        }
        for lease in self.leases() {
            out.push(format!("lease: {lease}"));
        }
        out
    }

    /// No leftovers, allowing the kernel a moment: a namespace unpinned
    /// before the CNI DEL (`network::attach::detach`) loses its veth in the
    /// background.
    #[track_caller]
    fn assert_no_leftovers(&self) {
        let gone = wait_for(Duration::from_secs(10), || {
            self.leftovers().is_empty().then_some(())
        });
        assert!(
            gone.is_some(),
            "left behind:\n{}",
            self.leftovers().join("\n")
        );
    }
}

impl Drop for NetLab {
    fn drop(&mut self) {
        for id in self.lab.all_ids() {
            let _ = self.lab.b().run(&["rm", "-f", &id]);
        }
        self.lab.b().delete_bridge();
    }
}

const HTTPD: &[&str] = &[
    "sh",
    "-c",
    "mkdir -p /www && echo hello-from-berth > /www/index.html && exec httpd -f -p 80 -h /www",
];

#[test]
fn network_published_port_answers_on_loopback_and_host_address() {
    require!(@network);
    let nl = NetLab::new();
    let before = nl.leftovers();
    assert!(before.is_empty(), "{before:?}");
    let port = crate::support::free_port();
    let name = nl.lab.name("web");
    let p = format!("{port}:80");
    nl.lab
        .run_d(&["--name", &name, "--network", "bridge", "-p", &p], HTTPD);
    let local = format!("127.0.0.1:{port}");
    let body = wait_for(Duration::from_secs(10), || {
        crate::support::http_body(&local)
    });
    assert_eq!(body.as_deref(), Some("hello-from-berth\n"), "via {local}");
    if let Some(addr) = crate::support::host_address() {
        let remote = format!("{addr}:{port}");
        assert_eq!(
            crate::support::http_body(&remote).as_deref(),
            Some("hello-from-berth\n"),
            "via {remote}"
        );
    }
    assert_eq!(nl.leases().len(), 1);
    // port, ps and inspect show the mapping and the address.
    let v6 = crate::support::v6_listenable();
    let out = nl.lab.b().ok(&["port", &name]);
    let want = if v6 {
        format!("80/tcp -> 0.0.0.0:{port}\n80/tcp -> [::]:{port}\n")
    } else {
        format!("80/tcp -> 0.0.0.0:{port}\n")
    };
    assert_eq!(out.stdout, want);
    let out = nl.lab.b().ok(&["port", &name, "80"]);
    assert_eq!(out.stdout, crate::support::all_addresses(port));
    let out = nl.lab.b().code(&["port", &name, "81/udp"], 1);
    assert!(
        out.stderr.contains("No public port '81/udp' published for"),
        "{out}"
    );
    let out = nl.lab.b().ok(&[
        "ps",
        "--format",
        "{{.Ports}} {{.Networks}}",
        "-f",
        &format!("name={name}"),
    ]);
    let want = if v6 {
        format!("0.0.0.0:{port}->80/tcp, [::]:{port}->80/tcp bridge")
    } else {
        format!("0.0.0.0:{port}->80/tcp bridge")
    };
    assert_eq!(out.stdout.trim(), want);
    let out = nl.lab.b().ok(&["inspect", &name]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let ns = &v[0]["NetworkSettings"];
    assert_eq!(
        ns["Ports"]["80/tcp"][0]["HostPort"],
        port.to_string(),
        "{ns}"
    );
    let ip = ns["IPAddress"].as_str().unwrap();
    let prefix = nl.subnet.rsplit_once('.').unwrap().0;
    assert!(ip.starts_with(&format!("{prefix}.")), "{ns}");
    assert_eq!(ns["Gateway"], format!("{prefix}.1"));
    assert_eq!(ns["Networks"]["bridge"]["IPAddress"], ip);
    assert_eq!(ns["Networks"]["bridge"]["IPPrefixLen"], 24);
    assert_eq!(ns["MacAddress"].as_str().unwrap().len(), 17, "{ns}");
    assert_eq!(
        ns["Networks"]["bridge"]["NetworkID"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    assert_eq!(
        ns["Networks"]["bridge"]["EndpointID"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    assert_eq!(
        v[0]["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"],
        port.to_string()
    );
    // Its /etc/hosts names its own address, as Docker's does.
    let out = nl.lab.b().ok(&["exec", &name, "cat", "/etc/hosts"]);
    let short = &v[0]["Id"].as_str().unwrap()[..12];
    assert!(out.stdout.ends_with(&format!("{ip}\t{short}\n")), "{out}");
    // The container reaches itself through its published port (hairpin) and
    // another container joins its namespace with container:NAME.
    let got = nl.lab.run_ok(
        &["--network", &format!("container:{name}")],
        &["wget", "-q", "-O", "-", "http://127.0.0.1:80/"],
    );
    assert_eq!(got, "hello-from-berth\n");
    // A second container cannot take the same host port.
    let other = nl
        .lab
        .run(&["-d", "--network", "bridge", "-p", &p], &["sleep", "30"]);
    assert_eq!(other.code, 125, "{other}");
    assert!(
        other.stderr.contains(&format!(
            "Bind for 0.0.0.0:{port} failed: port is already allocated"
        )),
        "{other}"
    );
    // Stopping releases the address, the rules and the port.
    nl.lab.b().ok(&["stop", "-t", "1", &name]);
    assert!(
        crate::support::http_body(&local).is_none(),
        "still answering after stop"
    );
    for id in nl.lab.all_ids() {
        let _ = nl.lab.b().run(&["rm", "-f", &id]);
    }
    nl.assert_no_leftovers();
}

#[test]
fn network_exit_on_its_own_releases_everything_without_a_cli() {
    require!(@network);
    let nl = NetLab::new();
    let name = nl.lab.name("brief");
    nl.lab.run_d(
        &[
            "--name",
            &name,
            "--network",
            "bridge",
            "-p",
            "127.0.0.1::80",
        ],
        &["sleep", "1"],
    );
    assert_eq!(nl.leases().len(), 1);
    // No berth command runs until everything is gone: the shim's cleanup
    // released the address, the rules, the namespace.
    let gone = wait_for(Duration::from_secs(15), || {
        nl.leftovers().is_empty().then_some(())
    });
    assert!(
        gone.is_some(),
        "left behind:\n{}",
        nl.leftovers().join("\n")
    );
    // A new start takes an address again (and a new random port).
    nl.lab.b().ok(&["start", &name]);
    assert_eq!(nl.leases().len(), 1);
    nl.lab.b().ok(&["rm", "-f", &name]);
    nl.assert_no_leftovers();
}

#[test]
fn network_host_process_holding_the_port_fails_the_run_cleanly() {
    require!(@network);
    let nl = NetLab::new();
    let held = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let out = nl.lab.run(
        &["-d", "--network", "bridge", "-p", &format!("{port}:80")],
        &["sleep", "30"],
    );
    assert_eq!(out.code, 125, "{out}");
    assert!(out.stderr.contains("address already in use"), "{out}");
    for id in nl.lab.all_ids() {
        let _ = nl.lab.b().run(&["rm", "-f", &id]);
    }
    nl.assert_no_leftovers();
}

#[test]
fn network_udp_and_publish_all_take_random_ports() {
    require!(@network);
    let nl = NetLab::new();
    let name = nl.lab.name("udp");
    // The fixture's busybox has no UDP server applet, so the UDP mapping is
    // checked where it takes effect: portmap's DNAT rule for the port.
    nl.lab.run_d(
        &[
            "--name",
            &name,
            "--network",
            "bridge",
            "-p",
            "127.0.0.1::5353/udp",
            "--expose",
            "7000",
            "-P",
        ],
        &["sleep", "30"],
    );
    let out = nl.lab.b().ok(&["port", &name, "5353/udp"]);
    let addr = out.stdout.trim().to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{out}");
    let host_port = addr.rsplit_once(':').unwrap().1.to_string();
    let out = nl.lab.b().ok(&["port", &name, "7000"]);
    assert!(
        out.stdout.starts_with("0.0.0.0:"),
        "-P publishes --expose: {out}"
    );
    let nat = std::process::Command::new("iptables-save")
        .args(["-t", "nat"])
        .output()
        .unwrap();
    let nat = String::from_utf8_lossy(&nat.stdout);
    assert!(
        nat.lines()
            .any(|l| l.contains("-p udp") && l.contains(&format!("--dport {host_port}"))),
        "no UDP DNAT for {host_port}:\n{nat}"
    );
    nl.lab.b().ok(&["rm", "-f", &name]);
    nl.assert_no_leftovers();
}

#[test]
fn network_concurrent_runs_of_one_port_exactly_one_wins() {
    require!(@network);
    let nl = NetLab::new();
    let port = crate::support::free_port();
    let p = format!("{port}:80");
    // The default network exists before the race (its creation is not
    // what this case checks).
    nl.lab.run_ok(&["--network", "bridge"], &["true"]);
    let image = nl.lab.image().to_string();
    let children: Vec<_> = (0..4)
        .map(|_| {
            nl.lab
                .b()
                .command(&[
                    "run",
                    "-d",
                    "--network",
                    "bridge",
                    "-p",
                    &p,
                    &image,
                    "sleep",
                    "30",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let won = outs.iter().filter(|o| o.status.success()).count();
    let lost: Vec<String> = outs
        .iter()
        .filter(|o| !o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .collect();
    assert_eq!(won, 1, "{lost:?}");
    for e in &lost {
        assert!(e.contains("port is already allocated"), "{e}");
    }
    for id in nl.lab.all_ids() {
        let _ = nl.lab.b().run(&["rm", "-f", &id]);
    }
    nl.assert_no_leftovers();
}

/// A second data root whose configured default bridge is already another
/// root's: its default network takes the next free bridge name (and its own
/// subnet) instead of failing on the bridge plugin's "already has an IP
/// address different from ...", and the first root's containers keep
/// working. Both roots are pointed at a bridge name ending in a letter, so
/// the counted-up name (`...a1`) is no other test's.
#[test]
fn network_a_default_bridge_taken_by_another_data_root_gets_the_next_name() {
    require!(@network);
    let shared = format!("bq{}a", std::process::id() % 1_000_000);
    let point_at = |nl: &NetLab| {
        let config = std::fs::read_to_string(&nl.lab.b().config).unwrap();
        let config = config.replace(
            &format!("default_bridge = {:?}", nl.bridge),
            &format!("default_bridge = {shared:?}"),
        );
        std::fs::write(&nl.lab.b().config, config).unwrap();
    };
    let delete = |name: &str| {
        let _ = std::process::Command::new("ip")
            .args(["link", "delete", name])
            .stderr(std::process::Stdio::null())
            .status();
    };
    let first = NetLab::new();
    let second = NetLab::new();
    point_at(&first);
    point_at(&second);
    let (a, b) = (first.lab.name("rootA"), second.lab.name("rootB"));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        first
            .lab
            .run_d(&["--name", &a, "--network", "bridge"], &["sleep", "100"]);
        assert!(std::path::Path::new("/sys/class/net")
            .join(&shared)
            .exists());
        second
            .lab
            .run_d(&["--name", &b, "--network", "bridge"], &["sleep", "100"]);
        let picked = second
            .lab
            .b()
            .ok(&[
                "network",
                "inspect",
                "-f",
                "{{index .Options \"com.docker.network.bridge.name\"}}",
                "bridge",
            ])
            .stdout
            .trim()
            .to_string();
        assert_eq!(picked, format!("{shared}1"));
        assert!(std::path::Path::new("/sys/class/net")
            .join(&picked)
            .exists());
        let ip = second
            .lab
            .b()
            .ok(&["inspect", "-f", "{{.NetworkSettings.IPAddress}}", &b])
            .stdout
            .trim()
            .to_string();
        let prefix = second.subnet.rsplit_once('.').unwrap().0;
        assert!(ip.starts_with(prefix), "{ip} not in {}", second.subnet);
        // The first root's container is still up on its bridge.
        let st = first
            .lab
            .b()
            .ok(&["inspect", "-f", "{{.State.Status}}", &a]);
        assert_eq!(st.stdout.trim(), "running");
    }));
    let _ = second.lab.b().run(&["rm", "-f", &b]);
    let _ = first.lab.b().run(&["rm", "-f", &a]);
    delete(&shared);
    delete(&format!("{shared}1"));
    r.unwrap();
    second.assert_no_leftovers();
    first.assert_no_leftovers();
}
