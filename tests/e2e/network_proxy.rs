//! Published host ports held by the container's shim and served where DNAT
//! cannot go (issue 8), through the binary:
//! - `-p P:80` takes `0.0.0.0:P` and, where the host listens on IPv6,
//!   `[::]:P` (Docker 28's two bindings), shown by `port`, `ps` and
//!   `inspect`; the container answers on `127.0.0.1:P` (DNAT) and on
//!   `[::1]:P` (the shim's proxy to its IPv4 address);
//! - while it runs a host program cannot bind the port, and right after
//!   `stop` returns it can; `start` holds it again;
//! - `-p [::1]:P:80` and `-p [::]:P:80` publish through the proxy; UDP
//!   ports are held too;
//! - the ports follow the gateway endpoint: `network disconnect` of the
//!   network carrying them moves them to the next one (released with the
//!   last), and `network connect` of one that takes them holds them again.
//!
//! Subnets: 10.234.n.0/24 (n this env's own third octet).

use crate::containers::Lab;
use crate::require;
use crate::support::wait_for;
use std::net::{TcpListener, UdpSocket};
use std::time::Duration;

const HTTPD: &[&str] = &[
    "sh",
    "-c",
    "mkdir -p /www && echo hello-proxy > /www/index.html && exec httpd -f -p 80 -h /www",
];

fn v6() -> bool {
    crate::support::v6_listenable()
}

fn answers(addr: &str) -> bool {
    wait_for(Duration::from_secs(10), || {
        crate::support::http_body(addr).filter(|b| b.contains("hello-proxy"))
    })
    .is_some()
}

/// A network of this env on `10.234.<third>.<host>` with `extra` create
/// flags; a bridge network gets its own bridge (`<env bridge><suffix>`):
/// its name and bridge.
fn user_network(lab: &Lab, suffix: &str, host: &str, extra: &[&str]) -> (String, String) {
    let b = lab.b();
    let third = b.subnet.split('.').nth(2).unwrap().to_string();
    let bridge = format!("{}{suffix}", b.bridge);
    delete_link(&bridge);
    let name = lab.name(&format!("px{suffix}"));
    let subnet = format!("10.234.{third}.{host}");
    let opt = format!("com.docker.network.bridge.name={bridge}");
    let mut args = vec!["network", "create", "--subnet", &subnet];
    // A macvlan network has a parent, not a bridge of its own.
    if !extra.contains(&"macvlan") {
        args.extend(["-o", &opt]);
    }
    args.extend_from_slice(extra);
    args.push(&name);
    b.ok(&args);
    (name, bridge)
}

/// The test page's httpd on `net`, published on a free port: its name and
/// port.
fn web_on(lab: &Lab, net: &str, what: &str) -> (String, u16) {
    let port = crate::support::free_port();
    let name = lab.name(what);
    let p = format!("{port}:80");
    lab.run_d(&["--name", &name, "--network", net, "-p", &p], HTTPD);
    (name, port)
}

fn delete_link(name: &str) {
    let _ = std::process::Command::new("ip")
        .args(["link", "delete", name])
        .stderr(std::process::Stdio::null())
        .status();
}

/// Whether a host program could bind `addr` now (TCP).
fn tcp_free(addr: &str) -> bool {
    TcpListener::bind(addr).is_ok()
}

#[test]
fn network_published_port_is_held_and_answers_on_ipv6_too() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let port = crate::support::free_port();
    let name = lab.name("held");
    let p = format!("{port}:80");
    lab.run_d(&["--name", &name, "-p", &p], HTTPD);
    assert!(answers(&format!("127.0.0.1:{port}")), "127.0.0.1:{port}");
    let v6 = v6();
    if v6 {
        assert!(answers(&format!("[::1]:{port}")), "[::1]:{port}");
    }
    // Both halves show, as Docker 28 shows them.
    let (port_out, ps_out, hosts) = if v6 {
        (
            format!("80/tcp -> 0.0.0.0:{port}\n80/tcp -> [::]:{port}\n"),
            format!("0.0.0.0:{port}->80/tcp, [::]:{port}->80/tcp"),
            vec!["0.0.0.0", "::"],
        )
    } else {
        (
            format!("80/tcp -> 0.0.0.0:{port}\n"),
            format!("0.0.0.0:{port}->80/tcp"),
            vec!["0.0.0.0"],
        )
    };
    assert_eq!(b.ok(&["port", &name]).stdout, port_out);
    let ps = b.ok(&[
        "ps",
        "--format",
        "{{.Ports}}",
        "-f",
        &format!("name={name}"),
    ]);
    assert_eq!(ps.stdout.trim(), ps_out);
    let v: serde_json::Value = serde_json::from_str(&b.ok(&["inspect", &name]).stdout).unwrap();
    let got: Vec<(String, String)> = v[0]["NetworkSettings"]["Ports"]["80/tcp"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["HostIp"].as_str().unwrap().to_string(),
                h["HostPort"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = hosts
        .iter()
        .map(|h| (h.to_string(), port.to_string()))
        .collect();
    assert_eq!(got, want);
    // Held: a host program cannot take the port while the container runs.
    assert!(
        !tcp_free(&format!("127.0.0.1:{port}")),
        "0.0.0.0:{port} not held"
    );
    if v6 {
        assert!(!tcp_free(&format!("[::1]:{port}")), "[::]:{port} not held");
    }
    // Free as soon as `stop` returns, held again after `start`.
    b.ok(&["stop", "-t", "1", &name]);
    assert!(
        tcp_free(&format!("127.0.0.1:{port}")),
        "still held after stop"
    );
    if v6 {
        assert!(
            tcp_free(&format!("[::1]:{port}")),
            "[::] still held after stop"
        );
    }
    b.ok(&["start", &name]);
    assert!(
        !tcp_free(&format!("127.0.0.1:{port}")),
        "not held after start"
    );
    assert!(answers(&format!("127.0.0.1:{port}")), "after start");
    if v6 {
        assert!(answers(&format!("[::1]:{port}")), "[::1] after start");
    }
    // A host program holding the port fails the next start with Docker's
    // error and leaves the container stopped, nothing reserved.
    b.ok(&["stop", "-t", "1", &name]);
    let squatter = TcpListener::bind(format!("127.0.0.1:{port}")).unwrap();
    let out = b.code(&["start", &name], 1);
    assert!(
        out.stderr.contains(&format!(
            "failed to bind host port 0.0.0.0:{port}/tcp: address already in use"
        )),
        "{out}"
    );
    drop(squatter);
    let out = b.ok(&["port", &name]);
    assert_eq!(out.stdout, "", "a failed start left ports");
    b.ok(&["start", &name]);
    assert!(
        answers(&format!("127.0.0.1:{port}")),
        "after the failed start"
    );
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_ipv6_host_addresses_publish_through_the_shim() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let lo6 = crate::support::free_port();
    let any6 = crate::support::free_port();
    let udp = crate::support::free_port();
    if !v6() {
        // No IPv6 on this host: binding `[::1]` fails the run, cleanly.
        let out = lab.run(&["-d", "-p", &format!("[::1]:{lo6}:80")], HTTPD);
        assert_eq!(out.code, 125, "{out}");
        assert!(out.stderr.contains(&format!("[::1]:{lo6}/tcp")), "{out}");
        lab.remove_all_and_check();
        b.delete_bridge();
        return;
    }
    let a = lab.run_d(&["-p", &format!("[::1]:{lo6}:80")], HTTPD);
    assert!(answers(&format!("[::1]:{lo6}")), "[::1]:{lo6}");
    assert!(
        crate::support::http_body(&format!("127.0.0.1:{lo6}")).is_none(),
        "published on [::1] only"
    );
    assert_eq!(
        b.ok(&["port", &a]).stdout,
        format!("80/tcp -> [::1]:{lo6}\n")
    );
    let c = lab.run_d(&["-p", &format!("[::]:{any6}:80")], HTTPD);
    assert!(answers(&format!("[::1]:{any6}")), "[::]:{any6}");
    assert_eq!(b.ok(&["port", &c, "80"]).stdout, format!("[::]:{any6}\n"));
    // A UDP port is held too (the fixture has no UDP server to answer).
    let u = lab.run_d(
        &["-p", &format!("127.0.0.1:{udp}:53/udp")],
        &["sleep", "60"],
    );
    assert!(
        UdpSocket::bind(format!("127.0.0.1:{udp}")).is_err(),
        "udp {udp} not held"
    );
    // What -p publishes is exposed too, as docker-cli records it.
    let out = b.ok(&["inspect", "-f", "{{json .Config.ExposedPorts}}", &u]);
    assert_eq!(out.stdout.trim(), r#"{"53/udp":{}}"#);
    b.ok(&["rm", "-f", &u]);
    assert!(UdpSocket::bind(format!("127.0.0.1:{udp}")).is_ok());
    lab.remove_all_and_check();
    b.delete_bridge();
}

#[test]
fn network_connect_and_disconnect_hand_ports_to_the_shim() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (net, _) = user_network(&lab, "x", "0/24", &[]);
    let (name, port) = web_on(&lab, &net, "pxc");
    assert!(answers(&format!("127.0.0.1:{port}")));
    assert!(!tcp_free(&format!("127.0.0.1:{port}")));
    // The ports go with the gateway endpoint: to the default bridge when
    // the network carrying them leaves, released with the last network.
    b.ok(&["network", "connect", "bridge", &name]);
    b.ok(&["network", "disconnect", &net, &name]);
    assert_eq!(
        b.ok(&["port", &name, "80"]).stdout,
        crate::support::all_addresses(port)
    );
    assert!(!tcp_free(&format!("127.0.0.1:{port}")), "moved, not held");
    assert!(answers(&format!("127.0.0.1:{port}")), "through the bridge");
    b.ok(&["network", "disconnect", "bridge", &name]);
    assert_eq!(b.ok(&["port", &name]).stdout, "");
    assert!(
        tcp_free(&format!("127.0.0.1:{port}")),
        "released, still held"
    );
    // A network that becomes the gateway takes them again.
    b.ok(&["network", "connect", &net, &name]);
    assert!(!tcp_free(&format!("127.0.0.1:{port}")), "not held again");
    assert!(answers(&format!("127.0.0.1:{port}")), "after connect");
    if crate::support::v6_listenable() {
        assert!(answers(&format!("[::1]:{port}")), "[::1] after connect");
    }
    lab.remove_all_and_check();
    b.ok(&["network", "rm", &net]);
    b.delete_bridge();
}

/// Docker publishes nothing for a container whose networks are all
/// internal (moby#36174) nor through a macvlan network (its driver
/// programs no external connectivity): no host port is taken or held, and
/// nothing answers.
#[test]
fn network_internal_and_macvlan_gateways_publish_nothing() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let parent = crate::support::TempLink::bridge(&format!("{}v", b.bridge));
    let (internal, bridge) = user_network(&lab, "i", "0/25", &["--internal"]);
    let (mv, _) = user_network(
        &lab,
        "m",
        "128/25",
        &["-d", "macvlan", "-o", &format!("parent={}", parent.0)],
    );
    for net in [&internal, &mv] {
        let port = crate::support::free_port();
        let name = lab.name("pxnone");
        lab.run_d(
            &[
                "--name",
                &name,
                "--network",
                net,
                "-p",
                &format!("{port}:80"),
            ],
            HTTPD,
        );
        assert_eq!(b.ok(&["port", &name]).stdout, "", "{net}");
        assert!(tcp_free(&format!("127.0.0.1:{port}")), "{net}: held");
        assert!(
            crate::support::http_body(&format!("127.0.0.1:{port}")).is_none(),
            "{net}: answers"
        );
        b.ok(&["rm", "-f", &name]);
    }
    lab.remove_all_and_check();
    b.ok(&["network", "rm", &internal, &mv]);
    delete_link(&bridge);
    b.delete_bridge();
}

/// `network create --ipv6` without an IPv6 `--subnet` takes a ULA /64
/// (Docker 27+), and a published port answers on `[::1]` there too.
#[test]
fn network_ipv6_without_a_subnet_takes_a_ula_64() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let (net, bridge) = user_network(&lab, "u", "0/24", &["--ipv6"]);
    let out = b.ok(&["network", "inspect", "-f", "{{json .IPAM.Config}}", &net]);
    let cfg: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let ula = cfg
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| c["Subnet"].as_str().filter(|s| s.contains(':')))
        .unwrap_or_else(|| panic!("no IPv6 subnet: {cfg}"))
        .to_string();
    assert!(ula.starts_with("fd") && ula.ends_with("::/64"), "{ula}");
    let (name, port) = web_on(&lab, &net, "pxulac");
    let addrs = b
        .ok(&["exec", &name, "ip", "-6", "addr", "show", "eth0"])
        .stdout;
    let prefix = ula.trim_end_matches("::/64");
    assert!(
        addrs.contains(&format!("inet6 {prefix}:")),
        "{ula}:\n{addrs}"
    );
    if v6() {
        assert!(answers(&format!("[::1]:{port}")), "[::1]:{port}");
    }
    assert!(answers(&format!("127.0.0.1:{port}")), "127.0.0.1:{port}");
    lab.remove_all_and_check();
    b.ok(&["network", "rm", &net]);
    delete_link(&bridge);
    b.delete_bridge();
}
