//! Issue 8's audit gaps, through the binary: `-p` on an IPv6 host address
//! is refused at create with a clear error (berth publishes by DNAT only,
//! which can serve neither IPv6 loopback nor IPv6 on an IPv4-only network;
//! Docker's docker-proxy does), leaving no container behind.
//!
//! Subnets: 10.242.n.0/24 (n this env's own third octet).

use crate::containers::Lab;
use crate::require;

#[test]
fn network_ipv6_host_address_publish_is_refused_at_create() {
    require!(@network);
    let lab = Lab::new();
    let b = lab.b();
    let port = crate::support::free_port().to_string();
    for (spec, why) in [
        (
            format!("[::1]:{port}:80"),
            "cannot publish on IPv6 address [::1]: IPv6 loopback cannot be forwarded by DNAT",
        ),
        (
            format!("[::]:{port}:80"),
            "cannot publish on IPv6 address [::]: the portmap plugin's DNAT",
        ),
        (
            format!("[fd42::7]:{port}:80"),
            "cannot publish on IPv6 address [fd42::7]: network bridge has no IPv6 subnet",
        ),
    ] {
        let out = lab.run(&["-d", "-p", &spec], &["sleep", "30"]);
        assert_eq!(out.code, 125, "{spec}: {out}");
        assert!(out.stderr.contains(why), "{spec}: {out}");
        let out = b.code(&["create", "-p", &spec, lab.image(), "true"], 1);
        assert!(out.stderr.contains(why), "create {spec}: {out}");
    }
    let left = b.ok(&["ps", "-aq"]);
    assert_eq!(left.stdout, "", "a refused -p left a container");
    // IPv4 forms still publish.
    let ok = lab.run_d(&["-p", &format!("127.0.0.1:{port}:80")], &["sleep", "30"]);
    let out = b.ok(&["port", &ok]);
    assert_eq!(out.stdout, format!("80/tcp -> 127.0.0.1:{port}\n"));
    lab.remove_all_and_check();
    b.delete_bridge();
}
