//! `Berth`: runs the built binary with everything moved into one temp dir —
//! data root, state root, config file, hosts dir, `DOCKER_CONFIG` and `HOME` —
//! so cases never see each other's state or the host's. The temp dir (and so
//! every image it holds) goes away when the `Berth` is dropped.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// What one run printed and how it exited (`code` is -1 when killed by a signal).
pub struct Out {
    pub args: Vec<String>,
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Out {
    /// What a finished `berth` process printed, with the arguments it ran with.
    pub fn of<S: AsRef<str>>(args: &[S], o: &std::process::Output) -> Out {
        Out {
            args: args.iter().map(|s| s.as_ref().to_string()).collect(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }

    /// Non-empty stdout lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }
}

impl fmt::Display for Out {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "berth {}\n--- exit code: {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

pub struct Berth {
    /// The default network's bridge interface and subnet, this env's own
    /// (written to berth.toml; the bridge is deleted on drop).
    pub bridge: String,
    pub subnet: String,
    dir: tempfile::TempDir,
    pub data_root: PathBuf,
    pub state_root: PathBuf,
    pub config: PathBuf,
    pub hosts_dir: PathBuf,
    pub docker_config: PathBuf,
}

impl Drop for Berth {
    fn drop(&mut self) {
        self.delete_bridge();
    }
}

impl Default for Berth {
    fn default() -> Self {
        Self::new()
    }
}

impl Berth {
    /// A fresh, empty environment. Loopback registries are reached over
    /// plain HTTP through `insecure_registry` in the config file.
    pub fn new() -> Berth {
        let dir = super::temp_dir("berth-e2e-");
        let base = dir.path().to_path_buf();
        static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let pid = std::process::id();
        let b = Berth {
            // At most 15 bytes (IFNAMSIZ - 1).
            bridge: format!("bt{}x{n}", pid % 10_000_000),
            // 10.100-10.199, keyed by the test process; one /24 per env.
            subnet: format!("10.{}.{}.0/24", 100 + pid % 100, n % 256),
            data_root: base.join("data"),
            state_root: base.join("state"),
            config: base.join("berth.toml"),
            hosts_dir: base.join("certs.d"),
            docker_config: base.join("docker"),
            dir,
        };
        std::fs::create_dir_all(&b.hosts_dir).unwrap();
        std::fs::create_dir_all(&b.docker_config).unwrap();
        b.set_insecure(&[]);
        b
    }

    /// Rewrite the config file so these hosts are reached over plain HTTP,
    /// the default network uses this env's bridge and subnet (and, with `BERTH_E2E_RUNTIME` set, containers run with that OCI
    /// runtime instead of runc).
    pub fn set_insecure(&self, hosts: &[&str]) {
        let list: Vec<String> = hosts.iter().map(|h| format!("{h:?}")).collect();
        let mut text = format!(
            "insecure_registry = [{}]\ndefault_bridge = {:?}\ndefault_subnet = {:?}\ncni_netconfpath = {:?}\n",
            list.join(", "),
            self.bridge,
            self.subnet,
            self.data_root.join("cni").display().to_string(),
        );
        if let Some(rt) = std::env::var("BERTH_E2E_RUNTIME")
            .ok()
            .filter(|r| !r.is_empty())
        {
            text.push_str(&format!("runtime = {rt:?}\n"));
        }
        std::fs::write(&self.config, text).expect("writing berth.toml");
    }

    /// Delete this env's bridge (the CNI bridge plugin never does), and
    /// the per-network iptables rules of the networks this env still has
    /// (berth removes them at `network rm`; the default network is never
    /// removed).
    pub fn delete_bridge(&self) {
        self.delete_network_rules();
        if Path::new("/sys/class/net").join(&self.bridge).exists() {
            let _ = Command::new("ip")
                .args(["link", "delete", &self.bridge])
                .stderr(Stdio::null())
                .status();
        }
    }

    /// Delete the iptables rules tagged `berth-net <id>` of every network
    /// whose rules this env installed (the marker files under
    /// `<state>/network/firewall` name them).
    pub fn delete_network_rules(&self) {
        let ids: Vec<String> = std::fs::read_dir(self.state_root.join("network/firewall"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if ids.is_empty() {
            return;
        }
        for (bin, save) in [
            ("iptables", "iptables-save"),
            ("ip6tables", "ip6tables-save"),
        ] {
            for table in ["nat", "filter"] {
                let Ok(o) = Command::new(save).args(["-t", table]).output() else {
                    continue;
                };
                for l in String::from_utf8_lossy(&o.stdout).lines() {
                    if !(l.starts_with("-A ")
                        && ids
                            .iter()
                            .any(|id| l.contains(&format!("berth-net {id}\""))))
                    {
                        continue;
                    }
                    let mut words = crate::support::split_rule(l);
                    words[0] = "-D".into();
                    let _ = Command::new(bin)
                        .args(["-w", "-t", table])
                        .args(&words)
                        .stderr(Stdio::null())
                        .status();
                }
            }
        }
        let _ = std::fs::remove_dir_all(self.state_root.join("network/firewall"));
    }

    /// The temp dir holding everything of this environment.
    pub fn base(&self) -> &Path {
        self.dir.path()
    }

    /// `$DOCKER_CONFIG/config.json`.
    pub fn docker_config_json(&self) -> PathBuf {
        self.docker_config.join("config.json")
    }

    /// `<data-root>/content/blobs/sha256`.
    pub fn blobs_dir(&self) -> PathBuf {
        self.data_root.join("content/blobs/sha256")
    }

    /// `<data-root>/snapshots`.
    pub fn snapshots_dir(&self) -> PathBuf {
        self.data_root.join("snapshots")
    }

    /// A `Command` for the binary with the global flags and environment set.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_berth"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("BERTH_") {
                c.env_remove(&k);
            }
        }
        c.arg("--data-root")
            .arg(&self.data_root)
            .arg("--state-root")
            .arg(&self.state_root)
            .arg("--config")
            .arg(&self.config)
            .arg("--hosts-dir")
            .arg(&self.hosts_dir)
            .args(args)
            .env("DOCKER_CONFIG", &self.docker_config)
            .env("HOME", self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("REGISTRY_AUTH_FILE")
            .current_dir(self.dir.path());
        c
    }

    /// Run to completion with stdin closed.
    pub fn run(&self, args: &[&str]) -> Out {
        self.run_stdin(args, None)
    }

    /// Run to completion, feeding `input` on stdin when given.
    pub fn run_stdin(&self, args: &[&str], input: Option<&str>) -> Out {
        let mut cmd = self.command(args);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = cmd.spawn().expect("spawning berth");
        if let Some(text) = input {
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(text.as_bytes()).expect("writing stdin");
        }
        let o = child.wait_with_output().expect("waiting for berth");
        Out::of(args, &o)
    }

    /// Run and assert exit 0.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> Out {
        let out = self.run(args);
        assert_eq!(out.code, 0, "expected success:\n{out}");
        out
    }

    /// Run and assert a specific exit code.
    #[track_caller]
    pub fn code(&self, args: &[&str], code: i32) -> Out {
        let out = self.run(args);
        assert_eq!(out.code, code, "expected exit code {code}:\n{out}");
        out
    }

    /// Start in the background (stdout/stderr to files in the temp dir).
    pub fn spawn(&self, args: &[&str]) -> Child {
        let n = super::unique("spawn");
        let so = std::fs::File::create(self.base().join(format!("{n}.out"))).unwrap();
        let se = std::fs::File::create(self.base().join(format!("{n}.err"))).unwrap();
        self.command(args)
            .stdin(Stdio::null())
            .stdout(so)
            .stderr(se)
            .spawn()
            .expect("spawning berth")
    }

    /// Everything that processes started with `spawn` printed so far.
    pub fn spawned_output(&self) -> String {
        let mut out = String::new();
        for p in super::walk_files(self.base()) {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            if n.starts_with("spawn-") && (n.ends_with(".out") || n.ends_with(".err")) {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                out.push_str(&format!("--- {n}:\n{text}\n"));
            }
        }
        out
    }

    /// `image inspect` of one image, parsed.
    #[track_caller]
    pub fn inspect(&self, image: &str) -> serde_json::Value {
        let out = self.ok(&["image", "inspect", image]);
        let v: serde_json::Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("image inspect is not JSON ({e}):\n{out}"));
        let arr = v.as_array().expect("image inspect prints an array");
        assert_eq!(arr.len(), 1, "one object per image:\n{out}");
        arr[0].clone()
    }

    /// Full image IDs (`images -q --no-trunc`).
    #[track_caller]
    pub fn image_ids(&self) -> Vec<String> {
        let out = self.ok(&["images", "-q", "--no-trunc"]);
        let mut ids: Vec<String> = out.lines().iter().map(|s| s.trim().to_string()).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Names of the committed blobs (`sha256:<hex>`), checking each file's
    /// content hashes to its name and that nothing else sits in the dir.
    #[track_caller]
    pub fn committed_blobs(&self) -> Vec<String> {
        let dir = self.blobs_dir();
        let mut out = Vec::new();
        let Ok(rd) = std::fs::read_dir(&dir) else {
            return out;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(
                name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()),
                "stray file in {}: {name}",
                dir.display()
            );
            let data = std::fs::read(e.path()).unwrap();
            assert_eq!(
                super::sha256(&data),
                format!("sha256:{name}"),
                "blob {name} does not match its digest"
            );
            out.push(format!("sha256:{name}"));
        }
        out.sort();
        out
    }

    /// The unpacked dir of a snapshot whose name contains `chain_id`'s hex
    /// (searched up to three levels below `snapshots/`, `fs/` taken if present).
    pub fn snapshot_dir(&self, chain_id: &str) -> Option<PathBuf> {
        let hex = super::hex_of(chain_id);
        let mut level = vec![self.snapshots_dir()];
        for _ in 0..3 {
            let mut next = Vec::new();
            for d in &level {
                for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
                    if !e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                        continue;
                    }
                    let p = e.path();
                    if e.file_name().to_string_lossy().contains(hex) {
                        let fs = p.join("fs");
                        return Some(if fs.is_dir() { fs } else { p });
                    }
                    next.push(p);
                }
            }
            level = next;
        }
        None
    }
}
