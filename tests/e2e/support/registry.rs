//! `Registry`: Debian's `docker-registry` (distribution 2.8) on a free
//! 127.0.0.1 port, storage in a temp dir, optionally behind htpasswd auth.
//! Killed on drop.

use super::http;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const REGISTRY_BIN: &str = "/usr/bin/docker-registry";

pub struct Registry {
    child: Option<Child>,
    dir: tempfile::TempDir,
    pub port: u16,
    /// `rootdirectory` of the filesystem storage driver.
    pub storage: PathBuf,
    /// `(user, password)` when started with htpasswd auth.
    pub auth: Option<(String, String)>,
}

impl Registry {
    /// An open registry (no auth).
    pub fn start() -> Registry {
        Self::start_inner(None)
    }

    /// A registry that requires `user`/`password` (bcrypt htpasswd file,
    /// written with `htpasswd -B`).
    pub fn start_with_auth(user: &str, password: &str) -> Registry {
        Self::start_inner(Some((user.to_string(), password.to_string())))
    }

    fn start_inner(auth: Option<(String, String)>) -> Registry {
        let dir = super::temp_dir("berth-e2e-registry-");
        let storage = dir.path().join("storage");
        std::fs::create_dir_all(&storage).unwrap();
        if let Some((user, password)) = &auth {
            let out = Command::new("htpasswd")
                .args(["-Bbn", user, password])
                .output()
                .expect("running htpasswd (apt-get install apache2-utils)");
            assert!(out.status.success(), "htpasswd failed: {out:?}");
            std::fs::write(dir.path().join("htpasswd"), &out.stdout).unwrap();
        }
        let mut reg = Registry {
            child: None,
            dir,
            port: 0,
            storage,
            auth,
        };
        // A free port can be taken between probing and binding: retry.
        for _ in 0..5 {
            reg.port = super::free_port();
            if reg.launch() {
                return reg;
            }
        }
        panic!("docker-registry did not come up; log:\n{}", reg.log());
    }

    fn config_yaml(&self) -> String {
        let mut y = format!(
            "version: 0.1\n\
             log:\n  level: warn\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {storage}\n  delete:\n    enabled: true\n  \
             maintenance:\n    uploadpurging:\n      enabled: false\n\
             http:\n  addr: 127.0.0.1:{port}\n  secret: berth-e2e-secret\n\
             health:\n  storagedriver:\n    enabled: false\n",
            storage = self.storage.display(),
            port = self.port
        );
        if self.auth.is_some() {
            y.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: berth-e2e\n    path: {}\n",
                self.dir.path().join("htpasswd").display()
            ));
        }
        y
    }

    /// Start the process and wait for `/v2/` to answer; false if it exited.
    fn launch(&mut self) -> bool {
        let cfg = self.dir.path().join("config.yml");
        std::fs::write(&cfg, self.config_yaml()).unwrap();
        let log = std::fs::File::create(self.dir.path().join("registry.log")).unwrap();
        let mut child = Command::new(REGISTRY_BIN)
            .arg("serve")
            .arg(&cfg)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawning docker-registry (apt-get install docker-registry)");
        let addr = self.addr();
        let up = super::wait_for(Duration::from_secs(15), || {
            if let Ok(Some(_)) = child.try_wait() {
                return Some(false);
            }
            match http::request(&addr, "GET", "/v2/", &[], b"") {
                Ok(r) if r.status == 200 || r.status == 401 => Some(true),
                _ => None,
            }
        });
        if up == Some(true) {
            self.child = Some(child);
            true
        } else {
            let _ = child.kill();
            let _ = child.wait();
            false
        }
    }

    /// Kill the registry (it stays down until `restart`).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Start again on the same port with the same storage.
    pub fn restart(&mut self) {
        self.stop();
        assert!(
            self.launch(),
            "docker-registry did not come back on port {}; log:\n{}",
            self.port,
            self.log()
        );
    }

    /// `127.0.0.1:<port>`
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn addr(&self) -> String {
        self.host()
    }

    /// `127.0.0.1:<port>/<repo>:<tag>`
    pub fn image(&self, repo: &str, tag: &str) -> String {
        format!("{}/{repo}:{tag}", self.host())
    }

    /// The registry's own log (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    /// Where the registry keeps a blob's bytes (filesystem driver layout).
    pub fn blob_path(&self, digest: &str) -> PathBuf {
        let hex = super::hex_of(digest);
        self.storage
            .join("docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    /// `Authorization` header value for the auth variant.
    pub fn basic_auth(&self) -> Option<String> {
        use base64::Engine as _;
        self.auth.as_ref().map(|(u, p)| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
            )
        })
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}
