//! A full data root (issue 7, "A full data root locks the user out"): the
//! data root on a small tmpfs, filled by a container writing into its own
//! root filesystem and topped off with a filler file. Reading commands
//! work, a write says "no space left on device" and names the path, `rm`,
//! `rmi`, the prunes and `volume rm` still work, and once `rm` has freed
//! the container's space, `run` works again. The other files berth writes
//! (a volume's directory, a container's, a CNI network config) name their
//! path too when their filesystem is full.

use crate::containers::Lab;
use crate::require;
use crate::support::Out;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A tmpfs of `size` mounted on a temp dir (or a given one); unmounted on drop.
pub struct Tmpfs {
    path: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Tmpfs {
    pub fn mount(size: &str) -> Tmpfs {
        let dir = crate::support::temp_dir("berth-full-");
        let mut t = Tmpfs::mount_on(dir.path(), &format!("size={size}"));
        t._dir = Some(dir);
        t
    }

    /// Mount with these options (`size=1m,nr_inodes=64`: a tmpfs counts
    /// file data against `size` but directories only against `nr_inodes`).
    pub fn mount_on(path: &Path, options: &str) -> Tmpfs {
        let st = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("{options},mode=0700"),
                "tmpfs",
            ])
            .arg(path)
            .status()
            .expect("running mount");
        assert!(st.success(), "mounting a tmpfs on {}", path.display());
        Tmpfs {
            path: path.to_path_buf(),
            _dir: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes still free on it.
    pub fn free(&self) -> u64 {
        let s = statfs_blocks(self.path());
        s.0 * s.1
    }

    /// Write a filler file until the filesystem is full; its path.
    pub fn fill(&self) -> PathBuf {
        let p = self.path().join("filler");
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&p)
            .unwrap();
        // A process that was just finishing (a container's shim running
        // its cleanup, a store connection truncating its WAL at close) may
        // free a few pages after the first pass: fill until it stays full.
        for _ in 0..20 {
            for chunk in [1 << 20, 4096, 1] {
                let buf = vec![7u8; chunk];
                while f.write_all(&buf).is_ok() {}
            }
            let _ = f.flush();
            std::thread::sleep(std::time::Duration::from_millis(100));
            if self.free() == 0 {
                break;
            }
        }
        assert_eq!(self.free(), 0, "the filler left room");
        p
    }

    /// [`Tmpfs::fill`], then use up its inodes too (mounted with a small
    /// `nr_inodes`), so that making a directory fails as well.
    pub fn fill_all(&self) {
        self.fill();
        for i in 0..100_000 {
            if std::fs::create_dir(self.path().join(format!("inode{i}"))).is_err() {
                return;
            }
        }
        panic!("{} has inodes without end", self.path().display());
    }
}

/// (available blocks, block size) of the filesystem at `p`, from `stat -f`.
fn statfs_blocks(p: &Path) -> (u64, u64) {
    let out = std::process::Command::new("stat")
        .args(["-f", "-c", "%a %S"])
        .arg(p)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    let mut w = s.split_whitespace().map(|x| x.parse::<u64>().unwrap());
    (w.next().unwrap(), w.next().unwrap())
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
    }
}

#[track_caller]
fn assert_no_space(out: &Out, code: i32, path: &Path) {
    assert_eq!(out.code, code, "{out}");
    let e = &out.stderr;
    assert!(e.contains("no space left on device"), "{out}");
    assert!(
        e.contains(&path.display().to_string()),
        "path not named:\n{out}"
    );
    assert!(!e.contains("xShmMap"), "{out}");
}

#[test]
fn full_data_root_reads_work_and_rm_rmi_prune_free_space() {
    require!(@containers);
    let fs = Tmpfs::mount("48m");
    let lab = Lab::new_with(|b| b.data_root = fs.path().join("data"));
    let b = lab.b();
    let data = b.data_root.clone();
    let (hog, idle, done) = (lab.name("hog"), lab.name("idle"), lab.name("done"));
    let vol = lab.name("fullvol");
    let tag = format!("{}-second", lab.image());
    b.ok(&["tag", lab.image(), &tag]);
    b.ok(&["volume", "create", &vol]);
    lab.run_d(&["--name", &idle], &["sleep", "1000"]);
    let out = lab.run(&["--name", &done], &["echo", "logged"]);
    assert_eq!(out.code, 0, "{out}");
    // A container fills the disk from inside, as happens in real life; it
    // waits first, so `run` has recorded the start (a start that cannot be
    // recorded fails with 125, which is right but not what this tests).
    let out = lab.run(
        &["--name", &hog],
        &[
            "sh",
            "-c",
            "sleep 2; dd if=/dev/zero of=/big bs=65536 2>/dev/null; echo filled",
        ],
    );
    assert!(out.stdout.contains("filled"), "{out}");
    let filler = fs.fill();

    // Reading commands work.
    let ps = b.ok(&["ps", "-a", "--format", "{{.Names}}"]);
    for n in [&hog, &idle, &done] {
        assert!(ps.stdout.contains(n.as_str()), "{n} not listed:\n{ps}");
    }
    assert!(b.ok(&["ps"]).stdout.contains(&idle));
    assert!(b.ok(&["images"]).stdout.contains("-second"));
    b.ok(&["inspect", &idle]);
    b.ok(&["image", "inspect", lab.image()]);
    assert!(b.ok(&["logs", &done]).stdout.contains("logged"));
    assert!(b.ok(&["volume", "ls"]).stdout.contains(&vol));
    b.ok(&["network", "ls"]);

    // A write that needs space fails, saying so and naming where. (Each
    // berth deletes its WAL on exit and a failed run its files: top the
    // disk off again before each.)
    // The run goes last: what a failed `run --rm` cleans up may be freed
    // after it returns.
    fs.fill();
    let out = b.run(&["volume", "create", &lab.name("nospace")]);
    assert_no_space(&out, 1, &data);
    fs.fill();
    let out = lab.run(&["--rm"], &["true"]);
    assert_no_space(&out, 125, &data);

    // Removing works on the full disk.
    b.ok(&["rm", &done]);
    b.ok(&["rmi", &tag]);
    b.ok(&["volume", "rm", &vol]);
    b.ok(&["rm", "-f", &idle]);
    b.ok(&["image", "prune", "-f"]);
    let before = fs.free();
    let pruned = b.ok(&["container", "prune", "-f"]);
    assert!(pruned.stdout.contains("Total reclaimed space"), "{pruned}");
    assert!(
        fs.free() > before + (8 << 20),
        "prune of the container freed nothing: {} -> {}",
        before,
        fs.free()
    );
    let left = b.ok(&["ps", "-a", "--format", "{{.Names}}"]);
    assert!(left.stdout.trim().is_empty(), "{left}");
    // ... and with its space back, run works again (the filler stays).
    assert!(filler.exists());
    assert_eq!(lab.run_ok(&[], &["echo", "again"]).trim(), "again");
    assert!(
        data.join("berth.db.reserve").exists(),
        "the reserve is made again once there is room"
    );
    lab.assert_clean();
}

#[test]
fn other_files_on_a_full_filesystem_name_their_path() {
    require!(@containers);
    let lab = Lab::new();
    let b = lab.b();
    let config = std::fs::read_to_string(&b.config).unwrap();

    let vols = Tmpfs::mount_on(&b.data_root.join("volumes"), "size=1m,nr_inodes=64");
    vols.fill_all();
    let vol = lab.name("fullvol");
    let out = b.run(&["volume", "create", &vol]);
    assert_no_space(&out, 1, &b.data_root.join("volumes").join(&vol));
    assert!(!b.ok(&["volume", "ls", "-q"]).stdout.contains(&vol));
    drop(vols);

    let ctrs = Tmpfs::mount_on(&b.data_root.join("containers"), "size=1m,nr_inodes=64");
    ctrs.fill_all();
    let out = lab.run(&["--rm"], &["true"]);
    assert_no_space(&out, 125, &b.data_root.join("containers"));
    let left = b.ok(&["ps", "-aq"]);
    assert!(
        left.stdout.trim().is_empty(),
        "a failed run left a container:\n{left}"
    );
    drop(ctrs);

    let cni = Tmpfs::mount("1m");
    cni.fill();
    let text: Vec<String> = config
        .lines()
        .map(|l| match l.starts_with("cni_netconfpath") {
            true => format!("cni_netconfpath = {:?}", cni.path().display().to_string()),
            false => l.to_string(),
        })
        .collect();
    std::fs::write(&b.config, text.join("\n") + "\n").unwrap();
    let net = lab.name("fullnet");
    let out = b.run(&["network", "create", &net]);
    assert_no_space(&out, 1, cni.path());
    assert!(!b.ok(&["network", "ls"]).stdout.contains(&net));
    std::fs::write(&b.config, config).unwrap();
    lab.assert_clean();
}
