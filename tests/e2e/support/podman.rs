//! podman as an independent loader and saver of image archives. Each
//! `Podman` has its own `--root`/`--runroot` (vfs storage, so nothing is
//! mounted) under a temp dir removed on drop, so the host's podman storage
//! is never touched and nothing is left behind.

use std::path::Path;
use std::process::Command;

pub struct Podman {
    dir: tempfile::TempDir,
}

impl Default for Podman {
    fn default() -> Self {
        Self::new()
    }
}

impl Podman {
    pub fn new() -> Podman {
        Podman {
            dir: super::temp_dir("berth-e2e-podman-"),
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let d = self.dir.path();
        let mut c = Command::new("podman");
        c.arg("--root")
            .arg(d.join("root"))
            .arg("--runroot")
            .arg(d.join("runroot"))
            .arg("--tmpdir")
            .arg(d.join("tmp"))
            .args(["--storage-driver", "vfs", "--cgroup-manager", "cgroupfs"])
            .args(["--events-backend", "none"])
            .args(args)
            .env("CONTAINERS_REGISTRIES_CONF", d.join("registries.conf"))
            .env("REGISTRY_AUTH_FILE", d.join("auth.json"));
        c
    }

    /// Run and assert success; stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        std::fs::write(self.dir.path().join("registries.conf"), "").unwrap();
        std::fs::write(self.dir.path().join("auth.json"), "{}").unwrap();
        let o = self.command(args).output().expect("running podman");
        assert!(
            o.status.success(),
            "podman {} failed:\n{}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    /// `podman image inspect` of one image, parsed.
    #[track_caller]
    pub fn inspect(&self, image: &str) -> serde_json::Value {
        let out = self.ok(&["image", "inspect", image]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v[0].clone()
    }

    pub fn load(&self, archive: &Path) -> String {
        self.ok(&["load", "-i", archive.to_str().unwrap()])
    }
}
