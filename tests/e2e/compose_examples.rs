//! The projects under `compose-examples/`, each brought up as a user would
//! (`compose up -d --wait` in a copy of its directory), answered over its
//! published port on 127.0.0.1, and taken down with `down -v`, leaving no
//! container, network, volume or iptables rule.
//!
//! The examples name their image `${BUSYBOX_IMAGE:-berth-demo/busybox}` and
//! their port `${WEB_PORT:-8080}`: the tests set both (the harness's busybox
//! image, a free port). Their networks get a subnet from a second compose
//! file, as a user's override would: 10.90-99.n.0/24 (n this env's own
//! third octet).

use crate::containers::Lab;
use crate::require;
use crate::support::berth::Out;
use crate::support::{free_port, unique, wait_for};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One example copied into this lab, with its project name and port.
struct Example {
    dir: PathBuf,
    name: String,
    port: u16,
    subnet: String,
}

impl Example {
    fn new(lab: &Lab, which: &str) -> Example {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("compose-examples")
            .join(which);
        let name = unique(which).replace('-', "_");
        let dir = lab.b().base().join("examples").join(&name);
        copy_tree(&src, &dir);
        let (_, rest) = lab.b().subnet.split_once('.').unwrap();
        let (second, rest) = rest.split_once('.').unwrap();
        let third = rest.split_once('.').unwrap().0;
        let second: u32 = second.parse().unwrap();
        let subnet = format!("10.{}.{third}", 90 + (second - 100) % 10);
        std::fs::write(
            dir.join("test-network.yaml"),
            format!(
                "networks:\n  default:\n    ipam:\n      config: [{{subnet: {subnet}.0/24}}]\n"
            ),
        )
        .unwrap();
        Example {
            dir,
            name,
            port: free_port(),
            subnet,
        }
    }

    fn compose(&self, lab: &Lab, args: &[&str]) -> Out {
        let mut full = vec![
            "compose",
            "-p",
            &self.name,
            "-f",
            "compose.yaml",
            "-f",
            "test-network.yaml",
        ];
        full.extend_from_slice(args);
        let mut cmd = lab.b().command(&full);
        cmd.current_dir(&self.dir)
            .env("BUSYBOX_IMAGE", lab.image())
            .env("WEB_PORT", self.port.to_string());
        let out = cmd.output().expect("running berth compose");
        let out = Out::of(&full, &out);
        lab.note(&out);
        out
    }

    #[track_caller]
    fn ok(&self, lab: &Lab, args: &[&str]) -> Out {
        let out = self.compose(lab, args);
        assert_eq!(out.code, 0, "compose {args:?} failed:\n{out}");
        out
    }

    /// The whole response to `GET path` on the published port.
    fn raw(&self, path: &str) -> std::io::Result<String> {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
        s.set_read_timeout(Some(Duration::from_secs(5)))?;
        s.write_all(format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").as_bytes())?;
        let mut buf = String::new();
        s.read_to_string(&mut buf)?;
        Ok(buf)
    }

    /// The body of a 200 answer to `GET path`.
    fn get(&self, path: &str) -> Option<String> {
        let buf = self.raw(path).ok()?;
        // A CGI script's own headers may end their lines with a bare \n.
        let end = [
            buf.find("\r\n\r\n").map(|i| (i, 4)),
            buf.find("\n\n").map(|i| (i, 2)),
        ]
        .into_iter()
        .flatten()
        .min()?;
        let (head, body) = (&buf[..end.0], &buf[end.0 + end.1..]);
        (head.split_whitespace().nth(1) == Some("200")).then(|| body.to_string())
    }

    /// The body of `GET path`, waiting up to 10 s for the server to answer;
    /// the project's state and logs in the panic message when it does not.
    #[track_caller]
    fn answer(&self, lab: &Lab, path: &str) -> String {
        match wait_for(Duration::from_secs(10), || self.get(path)) {
            Some(body) => body,
            None => panic!(
                "no answer on 127.0.0.1:{}{path}: {:?}\n{}\n{}",
                self.port,
                self.raw(path),
                self.compose(lab, &["ps", "-a"]),
                self.compose(lab, &["logs"])
            ),
        }
    }

    /// `down -v`, then nothing of the project is left.
    fn down_leaves_nothing(&self, lab: &Lab) {
        self.ok(lab, &["down", "-v"]);
        let listed = |args: &[&str]| -> Vec<String> {
            lab.b()
                .ok(args)
                .stdout
                .lines()
                .filter(|l| l.contains(&self.name))
                .map(String::from)
                .collect()
        };
        assert_eq!(
            listed(&["ps", "-a", "--format", "{{.Names}}"]),
            Vec::<String>::new()
        );
        assert_eq!(
            listed(&["network", "ls", "--format", "{{.Name}}"]),
            Vec::<String>::new()
        );
        assert_eq!(listed(&["volume", "ls", "-q"]), Vec::<String>::new());
        let mut rules = Vec::new();
        for table in ["nat", "filter"] {
            let o = std::process::Command::new("iptables-save")
                .args(["-t", table])
                .output()
                .expect("iptables-save");
            rules.extend(
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .filter(|l| l.contains(&format!("{}.", self.subnet)))
                    .map(String::from),
            );
        }
        assert_eq!(rules, Vec::<String>::new(), "iptables rules left");
        lab.assert_clean();
    }
}

/// Copy a directory tree, keeping file modes (the CGI script is executable).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[test]
fn example_web_proxy_forwards_to_the_app_by_name() {
    require!(@network);
    let lab = Lab::new();
    let ex = Example::new(&lab, "web-proxy");
    ex.ok(&lab, &["up", "-d", "--wait"]);
    assert_eq!(ex.answer(&lab, "/"), "front page from the proxy\n");
    assert_eq!(
        ex.answer(&lab, "/cgi-bin/api"),
        "hello from the app behind the proxy\n"
    );
    // Only the proxy is published.
    let ps = ex.ok(&lab, &["ps", "--format", "{{.Service}} {{.Ports}}"]);
    assert!(
        ps.stdout
            .contains(&format!("proxy 0.0.0.0:{}->80/tcp", ex.port)),
        "{ps}"
    );
    assert!(
        ps.stdout
            .lines()
            .any(|l| l.starts_with("app ") && !l.contains("->")),
        "{ps}"
    );
    ex.down_leaves_nothing(&lab);
}

#[test]
fn example_healthy_dependency_starts_the_app_after_the_db() {
    require!(@network);
    let lab = Lab::new();
    let ex = Example::new(&lab, "healthy-dependency");
    ex.ok(&lab, &["up", "-d", "--wait"]);
    // The app read the db when it started: it started after the db was up.
    assert_eq!(ex.answer(&lab, "/"), "app up, db says: db ready\n");
    let ps = ex.ok(&lab, &["ps", "--format", "{{.Service}} {{.Health}}"]);
    assert!(ps.stdout.contains("db healthy"), "{ps}");
    ex.down_leaves_nothing(&lab);
}

#[test]
fn example_migration_runs_once_before_the_app() {
    require!(@network);
    let lab = Lab::new();
    let ex = Example::new(&lab, "migration");
    ex.ok(&lab, &["up", "-d", "--wait"]);
    assert_eq!(ex.answer(&lab, "/schema.txt"), "schema v2 applied\n");
    let ps = ex.ok(
        &lab,
        &[
            "ps",
            "-a",
            "--format",
            "{{.Service}} {{.State}} {{.ExitCode}}",
        ],
    );
    assert!(ps.stdout.contains("migrate exited 0"), "{ps}");
    assert!(ps.stdout.contains("app running 0"), "{ps}");
    ex.down_leaves_nothing(&lab);
}

#[test]
fn example_profiles_start_the_probe_only_when_asked() {
    require!(@network);
    let lab = Lab::new();
    let ex = Example::new(&lab, "profiles");
    ex.ok(&lab, &["up", "-d", "--wait"]);
    assert_eq!(ex.answer(&lab, "/"), "web from the profiles example\n");
    let services = ex.ok(&lab, &["ps", "--services"]);
    assert_eq!(services.stdout, "web\n", "{services}");
    ex.ok(&lab, &["--profile", "debug", "up", "-d"]);
    let services = ex.ok(&lab, &["ps", "--services"]);
    assert_eq!(services.stdout, "probe\nweb\n", "{services}");
    // With the profile enabled, down takes the probe too.
    ex.ok(&lab, &["--profile", "debug", "down", "-v"]);
    ex.down_leaves_nothing(&lab);
}
