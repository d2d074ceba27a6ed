//! The container lifecycle through the binary with the real runc: `run` and
//! `create` flags seen from inside the container, exit-code passthrough
//! (docker's 125/126/127 contract), `start`/`stop`/`restart`/`kill`/`rm`/
//! `ps`/`wait`, and what each leaves behind.
//!
//! Every case gets its own data and state roots ([`Lab`]); on drop a lab
//! force-removes its containers, kills anything left in their cgroups and
//! unmounts what is left under its roots, so one failing case does not leak
//! into the next. [`Lab::assert_clean`] is the leak check: no mounts under
//! the roots in `/proc/self/mountinfo`, no shim process of this lab, no
//! `runc` state, no container dirs or snapshots.

use crate::require;
use crate::support::fixtures;
use crate::support::{serve, wait_for, Berth, Out, Served};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One isolated berth environment with the busybox fixture pulled.
pub struct Lab {
    pub s: Served,
    /// A short state root in /run: the shim's `attach.sock` path must fit
    /// in `sun_path` (108 bytes), which `/tmp/berth-e2e-XXXXXX/state/
    /// containers/<64 hex>/attach.sock` does not.
    _state: tempfile::TempDir,
    /// Every container id this lab has seen, for cleanup and leak checks.
    ids: Mutex<BTreeSet<String>>,
}

impl Lab {
    /// Start a registry, push busybox, pull it into a fresh berth.
    pub fn new() -> Lab {
        Lab::new_with(|_| {})
    }

    /// [`Lab::new`] with the berth adjusted first (its data root moved to a
    /// small filesystem, say).
    pub fn new_with(adjust: impl FnOnce(&mut Berth)) -> Lab {
        let mut s = serve(fixtures::busybox());
        adjust(&mut s.berth);
        let state = tempfile::Builder::new()
            .prefix("b")
            .tempdir_in("/run")
            .expect("creating a state root in /run");
        s.berth.state_root = state.path().to_path_buf();
        s.berth.ok(&["pull", "-q", &s.image]);
        Lab {
            s,
            _state: state,
            ids: Mutex::new(BTreeSet::new()),
        }
    }

    /// Simulate a host reboot: point berth at a fresh state root (no boot
    /// marker, no shim or runtime state) over the same data root. Returns
    /// the old state root, which the caller drops after cleaning up.
    pub fn reboot(&mut self) -> tempfile::TempDir {
        let state = tempfile::Builder::new()
            .prefix("b")
            .tempdir_in("/run")
            .expect("creating a state root in /run");
        self.s.berth.state_root = state.path().to_path_buf();
        std::mem::replace(&mut self._state, state)
    }

    pub fn b(&self) -> &Berth {
        &self.s.berth
    }

    /// The pulled image reference.
    /// `events --since 0 --until <now> ARGS...`: every event recorded so
    /// far (the stream ends instead of following).
    #[track_caller]
    pub fn events_so_far(&self, args: &[&str]) -> Out {
        let until = format!(
            "{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs_f64()
                + 0.001
        );
        let mut all = vec!["events", "--since", "0", "--until", &until];
        all.extend_from_slice(args);
        self.b().ok(&all)
    }

    pub fn image(&self) -> &str {
        &self.s.image
    }

    /// A container name unique to this process.
    pub fn name(&self, what: &str) -> String {
        crate::support::unique(what)
    }

    /// Remember the 64-hex ids printed in `out` (run -d, create, ps -q --no-trunc).
    pub fn note(&self, out: &Out) {
        for w in out.stdout.split_whitespace() {
            if is_full_id(w) {
                self.ids.lock().unwrap().insert(w.to_string());
            }
        }
    }

    /// Ids of every container dir in the data root, and every id noted.
    pub fn known_ids(&self) -> BTreeSet<String> {
        let mut ids = self.ids.lock().unwrap().clone();
        for d in [
            self.b().data_root.join("containers"),
            self.b().state_root.join("containers"),
            self.b().state_root.join("runtime"),
        ] {
            for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if is_full_id(&n) {
                    ids.insert(n);
                }
            }
        }
        ids
    }

    /// `run` with the image inserted after `flags`.
    pub fn run(&self, flags: &[&str], cmd: &[&str]) -> Out {
        let mut args = vec!["run"];
        args.extend_from_slice(flags);
        args.push(self.image());
        args.extend_from_slice(cmd);
        let out = self.b().run(&args);
        self.note(&out);
        out
    }

    /// `run --rm` that must exit 0; its stdout.
    #[track_caller]
    pub fn run_ok(&self, flags: &[&str], cmd: &[&str]) -> String {
        let mut f = vec!["--rm"];
        f.extend_from_slice(flags);
        let out = self.run(&f, cmd);
        assert_eq!(out.code, 0, "expected success:\n{out}");
        out.stdout
    }

    /// `run -d` that must succeed; the full id.
    #[track_caller]
    pub fn run_d(&self, flags: &[&str], cmd: &[&str]) -> String {
        let mut f = vec!["-d"];
        f.extend_from_slice(flags);
        let out = self.run(&f, cmd);
        assert_eq!(out.code, 0, "expected success:\n{out}");
        let id = out.stdout.trim().to_string();
        assert!(is_full_id(&id), "run -d must print a 64-hex id:\n{out}");
        id
    }

    /// `create` that must succeed; the full id.
    #[track_caller]
    pub fn create(&self, flags: &[&str], cmd: &[&str]) -> String {
        let mut args = vec!["create"];
        args.extend_from_slice(flags);
        args.push(self.image());
        args.extend_from_slice(cmd);
        let out = self.b().ok(&args);
        self.note(&out);
        let id = out.stdout.trim().to_string();
        assert!(is_full_id(&id), "create must print a 64-hex id:\n{out}");
        id
    }

    /// `ps` with `args` plus `--format {{.Names}}|{{.State}}|{{.Status}}`, as
    /// (name, state, status) rows.
    #[track_caller]
    pub fn ps(&self, args: &[&str]) -> Vec<(String, String, String)> {
        let mut a = vec!["ps"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--format", "{{.Names}}|{{.State}}|{{.Status}}"]);
        let out = self.b().ok(&a);
        out.lines()
            .iter()
            .map(|l| {
                let mut p = l.splitn(3, '|').map(str::to_string);
                (
                    p.next().unwrap_or_default(),
                    p.next().unwrap_or_default(),
                    p.next().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The `State` column of one container (from `ps -a`), if listed.
    #[track_caller]
    pub fn state_of(&self, name: &str) -> Option<(String, String)> {
        self.ps(&["-a"])
            .into_iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, s, st)| (s, st))
    }

    /// Full ids from `ps -aq --no-trunc`.
    #[track_caller]
    pub fn all_ids(&self) -> Vec<String> {
        let out = self.b().ok(&["ps", "-aq", "--no-trunc"]);
        self.note(&out);
        out.lines().iter().map(|s| s.trim().to_string()).collect()
    }

    /// Wait until `ps -a` shows `name` in `state`.
    #[track_caller]
    pub fn wait_state(&self, name: &str, state: &str, timeout: Duration) {
        let got = wait_for(timeout, || {
            self.state_of(name).filter(|(s, _)| s == state).map(|_| ())
        });
        assert!(
            got.is_some(),
            "{name} never reached {state}: {:?}",
            self.state_of(name)
        );
    }

    /// Pids of this lab's shims and network name servers (their command
    /// line names our data root).
    pub fn shim_pids(&self) -> Vec<i32> {
        let root = self.b().data_root.to_string_lossy().into_owned();
        processes()
            .into_iter()
            .filter(|(_, cmd)| {
                cmd.contains(&root)
                    && (cmd.contains("internal\0shim") || cmd.contains("internal\0dns"))
            })
            .map(|(p, _)| p)
            .collect()
    }

    /// Pids of processes inside the cgroups of this lab's containers.
    pub fn container_pids(&self) -> Vec<i32> {
        let ids = self.known_ids();
        container_pids_of(&ids)
    }

    /// Mount points under this lab's temp dir and state root.
    pub fn mounts(&self) -> Vec<String> {
        let mut m = mounts_under(self.b().base());
        m.extend(mounts_under(&self.b().state_root));
        m
    }

    /// Assert nothing of any container is left: no listed containers, no
    /// container or runtime dirs, no container snapshots, no mounts, no
    /// shims, no container processes.
    #[track_caller]
    pub fn assert_clean(&self) {
        let b = self.b();
        let listed = b.ok(&["ps", "-aq"]);
        assert!(
            listed.stdout.trim().is_empty(),
            "containers still listed:\n{listed}"
        );
        let mut problems = Vec::new();
        for d in [
            b.data_root.join("containers"),
            b.state_root.join("containers"),
            b.state_root.join("runtime"),
        ] {
            let left = entries(&d);
            if !left.is_empty() {
                problems.push(format!("left in {}: {left:?}", d.display()));
            }
        }
        let snaps = container_snapshots(b);
        if !snaps.is_empty() {
            problems.push(format!("container snapshots left: {snaps:?}"));
        }
        let m = self.mounts();
        if !m.is_empty() {
            problems.push(format!("mounts left: {m:?}"));
        }
        // A shim that just saw its container exit may take a moment to go.
        // Generous: under a loaded parallel run a shim's last step (its
        // `internal cleanup`) can take seconds to be scheduled.
        let shims = wait_for(Duration::from_secs(20), || {
            let p = self.shim_pids();
            p.is_empty().then_some(()).or(None)
        });
        if shims.is_none() {
            problems.push(format!("shims left: {:?}", self.shim_pids()));
        }
        let procs = self.container_pids();
        if !procs.is_empty() {
            problems.push(format!("container processes left: {procs:?}"));
        }
        let cgroups: Vec<String> = self
            .known_ids()
            .into_iter()
            .filter(|id| Path::new("/sys/fs/cgroup/memory/berth").join(id).exists())
            .collect();
        if !cgroups.is_empty() {
            problems.push(format!("cgroups left: {cgroups:?}"));
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Force-remove everything and assert the lab is clean.
    #[track_caller]
    pub fn remove_all_and_check(&self) {
        let ids = self.all_ids();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(ids.iter().map(String::as_str));
            self.b().ok(&args);
        }
        self.assert_clean();
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Best effort: remove through berth, then by force.
        let out = self.b().run(&["ps", "-aq", "--no-trunc"]);
        self.note(&out);
        let ids: Vec<&str> = out.stdout.split_whitespace().collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(ids);
            let _ = self.b().run(&args);
        }
        for p in self.shim_pids() {
            kill(p, libc::SIGKILL);
        }
        for p in self.container_pids() {
            kill(p, libc::SIGKILL);
        }
        // User networks a failed test left (compose projects, `network
        // create`): removing them through berth deletes their bridges.
        let nets = self.b().run(&["network", "ls", "--format", "{{.Name}}"]);
        for n in nets.stdout.split_whitespace() {
            if !matches!(n, "bridge" | "host" | "none") {
                let _ = self.b().run(&["network", "rm", n]);
            }
        }
        // Unmount deepest first.
        let mut m = self.mounts();
        m.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for p in m {
            let _ = std::process::Command::new("umount")
                .arg("-l")
                .arg(&p)
                .status();
        }
        // Empty cgroups (runc's delete normally does this).
        for id in self.known_ids() {
            for c in cgroup_dirs(&id) {
                let _ = std::fs::remove_dir(c);
            }
        }
    }
}

/// `inspect -f FORMAT name`, trimmed.
#[track_caller]
pub fn field(lab: &Lab, name: &str, format: &str) -> String {
    lab.b()
        .ok(&["inspect", "-f", format, name])
        .stdout
        .trim()
        .to_string()
}

pub fn is_full_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Names in a dir (empty when it does not exist).
pub fn entries(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Per-container dirs under `<data>/snapshots` (any dir named by a 64-hex
/// id inside a `containers` dir).
pub fn container_snapshots(b: &Berth) -> Vec<PathBuf> {
    crate::support::walk_all(&b.snapshots_dir())
        .into_iter()
        .filter(|p| {
            p.parent()
                .and_then(|d| d.file_name())
                .is_some_and(|n| n == "containers")
                && p.file_name()
                    .is_some_and(|n| is_full_id(&n.to_string_lossy()))
        })
        .collect()
}

/// Mount points (field 5 of mountinfo, octal escapes decoded) under `root`.
pub fn mounts_under(root: &Path) -> Vec<String> {
    let root = root.to_string_lossy().into_owned();
    let text = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(unescape_mount)
        .filter(|m| m == &root || m.starts_with(&format!("{root}/")))
        .collect()
}

fn unescape_mount(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 4 <= b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 4], 8) {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// (pid, NUL-separated command line) of every process.
pub fn processes() -> Vec<(i32, String)> {
    let mut v = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if let Ok(c) = std::fs::read(e.path().join("cmdline")) {
            v.push((pid, String::from_utf8_lossy(&c).into_owned()));
        }
    }
    v
}

/// Processes whose cgroup path names one of `ids` (runc puts a container
/// in `/berth/<id>`).
pub fn container_pids_of(ids: &BTreeSet<String>) -> Vec<i32> {
    if ids.is_empty() {
        return Vec::new();
    }
    let mut v = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(cg) = std::fs::read_to_string(e.path().join("cgroup")) else {
            continue;
        };
        if cg
            .lines()
            .any(|l| ids.iter().any(|id| l.ends_with(&format!("/berth/{id}"))))
        {
            v.push(pid);
        }
    }
    v
}

/// The cgroup dirs runc makes for a container (v1 hierarchies and v2).
fn cgroup_dirs(id: &str) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir("/sys/fs/cgroup")
        .into_iter()
        .flatten()
        .flatten()
    {
        let d = e.path().join("berth").join(id);
        if d.is_dir() {
            v.push(d);
        }
    }
    let d = Path::new("/sys/fs/cgroup/berth").join(id);
    if d.is_dir() {
        v.push(d);
    }
    v
}

/// kill(2) with a pid read from /proc; a stale pid fails with ESRCH, ignored.
pub fn kill(pid: i32, sig: i32) {
    use rustix::process::{kill_process, Pid, Signal};
    if let (Some(pid), Some(sig)) = (Pid::from_raw(pid), Signal::from_named_raw(sig)) {
        let _ = kill_process(pid, sig);
    }
}

pub fn alive(pid: i32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                s.rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z')
            })
            .unwrap_or(true)
}

// ===================================================================== run

#[test]
fn run_passes_stdout_stderr_and_exit_codes() {
    require!(@containers);
    let lab = Lab::new();
    let out = lab.run(&["--rm"], &["sh", "-c", "echo out; echo err >&2"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "out\n", "{out}");
    assert_eq!(out.stderr, "err\n", "{out}");
    // PID 1 of a pid namespace ignores SIGKILL from inside it, so the
    // `kill -9 $$` is done by a child shell whose status sh passes on.
    for (cmd, code) in [
        ("exit 3", 3),
        ("sh -c 'kill -9 $$'; exit $?", 137),
        ("true", 0),
    ] {
        let out = lab.run(&["--rm"], &["sh", "-c", cmd]);
        assert_eq!(out.code, code, "{cmd}:\n{out}");
    }
    lab.assert_clean();
}

#[test]
fn run_exits_128_plus_signal_when_killed_from_outside() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("sig");
    let mut child = lab
        .b()
        .spawn(&["run", "--rm", "--name", &name, lab.image(), "sleep", "100"]);
    lab.wait_state(&name, "running", Duration::from_secs(20));
    lab.b().ok(&["kill", &name]);
    let status = wait_for(Duration::from_secs(20), || child.try_wait().unwrap());
    let status = status.unwrap_or_else(|| {
        let _ = child.kill();
        panic!(
            "run did not return after kill:\n{}\nps -a: {:?}\nshims: {:?}\ncontainer pids: {:?}",
            lab.b().spawned_output(),
            lab.ps(&["-a"]),
            lab.shim_pids(),
            lab.container_pids()
        )
    });
    assert_eq!(status.code(), Some(137), "{}", lab.b().spawned_output());
    // `kill -s`: PID 1 only sees signals it handles (kernel rule for a
    // namespace's init), so the shell traps HUP.
    let mut child = lab.b().spawn(&[
        "run",
        "--rm",
        "--name",
        &name,
        lab.image(),
        "sh",
        "-c",
        "trap 'exit 7' HUP; echo ready; while :; do sleep 0.1; done",
    ]);
    lab.wait_state(&name, "running", Duration::from_secs(20));
    let ready = wait_for(Duration::from_secs(10), || {
        lab.b().spawned_output().contains("ready").then_some(())
    });
    assert!(ready.is_some(), "{}", lab.b().spawned_output());
    lab.b().ok(&["kill", "-s", "HUP", &name]);
    let status = wait_for(Duration::from_secs(20), || child.try_wait().unwrap());
    let status = status.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("run did not return after kill -s HUP")
    });
    assert_eq!(status.code(), Some(7), "{}", lab.b().spawned_output());
    lab.assert_clean();
}

#[test]
fn run_command_errors_are_126_and_127_and_berth_errors_125() {
    require!(@containers);
    let lab = Lab::new();
    let out = lab.run(&["--rm"], &["no-such-command"]);
    assert_eq!(out.code, 127, "{out}");
    let out = lab.run(&["--rm"], &["/etc/passwd"]);
    assert_eq!(out.code, 126, "{out}");
    let out = lab.run(&["--rm"], &["/etc"]);
    assert_eq!(out.code, 126, "a directory is not executable:\n{out}");
    // berth's own failures: bad flag values, a missing image without pulling.
    for flags in [
        &["--memory", "lots"][..],
        &["--ulimit", "nofile"][..],
        &["--cpus", "x"][..],
        &["--pull", "sometimes"][..],
        &["--stop-signal", "SIGNOPE"][..],
        &["--log-opt", "max-file=0"][..],
    ] {
        let out = lab.run(flags, &["true"]);
        assert_eq!(out.code, 125, "{flags:?}:\n{out}");
        assert!(out.stderr.starts_with("berth: "), "{out}");
    }
    let out = lab
        .b()
        .run(&["run", "--rm", "--pull", "never", "nosuch/image:v9", "true"]);
    assert_eq!(out.code, 125, "{out}");
    assert!(out.stderr.contains("No such image"), "{out}");
    let out = lab.b().run(&["run", "--no-such-flag", lab.image()]);
    assert_eq!(out.code, 125, "{out}");
    lab.assert_clean();
}

#[test]
fn run_rm_leaves_nothing_and_detach_prints_id() {
    require!(@containers);
    let lab = Lab::new();
    assert_eq!(lab.run_ok(&[], &["echo", "gone"]), "gone\n");
    lab.assert_clean();
    assert!(
        !container_snapshots(lab.b()).iter().any(|_| true),
        "snapshots left"
    );
    let name = lab.name("det");
    let id = lab.run_d(&["--name", &name], &["sleep", "100"]);
    let out = lab.b().ok(&["ps", "--format", "{{.ID}} {{.Names}}"]);
    assert_eq!(out.stdout, format!("{} {name}\n", &id[..12]), "{out}");
    assert!(lab.b().data_root.join("containers").join(&id).is_dir());
    // A detached --rm container goes away by itself when it ends.
    let id2 = lab.run_d(&["--rm"], &["sh", "-c", "sleep 0.3"]);
    let gone = wait_for(Duration::from_secs(30), || {
        (!lab.all_ids().contains(&id2)).then_some(())
    });
    assert!(gone.is_some(), "run -d --rm container still listed");
    // Unlisted first, then its shim's `internal cleanup` removes the rest:
    // wait for that to end before checking nothing is left.
    let b = lab.b();
    let dirs = [
        b.data_root.join("containers").join(&id2),
        b.state_root.join("containers").join(&id2),
        b.state_root.join("runtime").join(&id2),
    ];
    // Its shim, or what the shim became (`internal cleanup ID`).
    let root = b.data_root.to_string_lossy().into_owned();
    let busy = || {
        processes()
            .into_iter()
            .filter(|(_, cmd)| cmd.contains(&root) && cmd.contains(&id2))
            .collect::<Vec<_>>()
    };
    let cleaned = wait_for(Duration::from_secs(30), || {
        (dirs.iter().all(|d| !d.exists())
            && !container_snapshots(b).iter().any(|s| s.ends_with(&id2))
            && busy().is_empty())
        .then_some(())
    });
    assert!(
        cleaned.is_some(),
        "run -d --rm container's cleanup never finished: {:?} {:?}",
        container_snapshots(b),
        busy()
    );
    lab.b().ok(&["rm", "-f", &name]);
    lab.assert_clean();
}

/// Command lines of the shim processes of this state root.
fn shim_processes(state_root: &std::path::Path) -> Vec<String> {
    let root = state_root.to_string_lossy().into_owned();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains("internal shim") && c.contains(&root))
        .collect()
}

#[test]
fn run_name_conflict_is_docker_error_125() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("dup");
    let id = lab.create(&["--name", &name], &["true"]);
    let want =
        format!("Conflict. The container name \"/{name}\" is already in use by container \"{id}\"");
    let out = lab.run(&["--name", &name], &["true"]);
    assert_eq!(out.code, 125, "{out}");
    assert!(out.stderr.contains(&want), "want {want:?}:\n{out}");
    // The shim `run` spawned ahead of the container is gone with the CLI.
    let shims = shim_processes(&lab.b().state_root);
    assert!(shims.is_empty(), "a refused run left shims: {shims:?}");
    let out = lab
        .b()
        .run(&["create", "--name", &name, lab.image(), "true"]);
    assert_ne!(out.code, 0, "{out}");
    assert!(out.stderr.contains(&want), "want {want:?}:\n{out}");
    assert_eq!(lab.all_ids(), vec![id.clone()]);
    assert_eq!(
        entries(&lab.b().data_root.join("containers")),
        vec![id.clone()],
        "a refused create left files"
    );
    lab.remove_all_and_check();
}

#[test]
fn run_attach_streams_sig_proxy_and_bare_env() {
    require!(@containers);
    let lab = Lab::new();
    let img = lab.image().to_string();
    let script = "echo out; echo err >&2";
    // The devcontainers CLI's invocation: only stdout and stderr attached.
    let out = lab.b().run(&[
        "run",
        "--rm",
        "--sig-proxy=false",
        "-a",
        "STDOUT",
        "-a",
        "STDERR",
        &img,
        "sh",
        "-c",
        script,
    ]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "out\n", "{out}");
    assert!(out.stderr.contains("err"), "{out}");
    // Only stderr: nothing on stdout.
    let out = lab.run(&["--rm", "-a", "stderr"], &["sh", "-c", script]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "", "{out}");
    assert!(out.stderr.contains("err"), "{out}");
    // Neither stdout nor stderr attached: docker prints the id instead.
    let out = lab.run(&["--rm", "-a", "stdin"], &["sh", "-c", script]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.lines().len(), 1, "{out}");
    assert_eq!(out.stdout.trim().len(), 64, "{out}");
    lab.b().code(&["run", "-a", "bogus", &img, "true"], 125);
    lab.b()
        .code(&["run", "-d", "-a", "stdout", &img, "true"], 125);
    lab.b()
        .code(&["run", "--rm", "--sig-proxy", &img, "true"], 0);
    // `-e KEY` unset on the CLI's side unsets KEY in the container (moby's
    // ReplaceOrAppendEnvValues), here the default HOSTNAME.
    let mut cmd = lab
        .b()
        .command(&["run", "--rm", "-e", "HOSTNAME", &img, "env"]);
    let o = cmd.env_remove("HOSTNAME").output().unwrap();
    let env = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{env}");
    assert!(!env.contains("HOSTNAME="), "{env}");
    assert!(env.contains("PATH="), "{env}");
    let mut cmd = lab
        .b()
        .command(&["run", "--rm", "-e", "BERTH_FROM_CLI", &img, "env"]);
    let o = cmd.env("BERTH_FROM_CLI", "v").output().unwrap();
    let env = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(env.lines().any(|l| l == "BERTH_FROM_CLI=v"), "{env}");
    lab.remove_all_and_check();
}

#[test]
fn run_env_workdir_user_entrypoint_hostname() {
    require!(@containers);
    let lab = Lab::new();
    let envf = lab.b().base().join("env.list");
    std::fs::write(&envf, "# comment\nFROM_FILE=yes\nSHARED=file\n").unwrap();
    let out = lab.run_ok(
        &[
            "--env-file",
            envf.to_str().unwrap(),
            "-e",
            "A=1",
            "-e",
            "B=two words",
            "-e",
            "SHARED=flag",
        ],
        &["env"],
    );
    for want in [
        "A=1",
        "B=two words",
        "FROM_FILE=yes",
        "SHARED=flag",
        crate::support::fixtures::PATH_ENV,
    ] {
        assert!(out.lines().any(|l| l == want), "env lacks {want}:\n{out}");
    }
    assert_eq!(
        lab.run_ok(&["-w", "/tmp/new/dir"], &["sh", "-c", "pwd"]),
        "/tmp/new/dir\n"
    );
    let id = lab.run_ok(&["-u", "1000:1000"], &["id"]);
    assert!(id.starts_with("uid=1000 gid=1000"), "{id}");
    let id = lab.run_ok(&["-u", "nobody"], &["id"]);
    assert!(
        id.starts_with("uid=65534(nobody) gid=65534(nogroup)"),
        "{id}"
    );
    let id = lab.run_ok(&["--user", "0"], &["id", "-u"]);
    assert_eq!(id, "0\n");
    assert_eq!(
        lab.run_ok(&["--entrypoint", ""], &["echo", "a", "b"]),
        "a b\n"
    );
    assert_eq!(
        lab.run_ok(&["--entrypoint", "echo"], &["from", "entrypoint"]),
        "from entrypoint\n"
    );
    assert_eq!(lab.run_ok(&["-h", "boxy"], &["hostname"]), "boxy\n");
    let hosts = lab.run_ok(&["-h", "boxy"], &["cat", "/etc/hostname"]);
    assert_eq!(hosts, "boxy\n");
    // Without -h the hostname is the short id.
    let out = lab.run(&["--name", "hn-default-x"], &["hostname"]);
    assert_eq!(out.code, 0, "{out}");
    let full = lab
        .b()
        .ok(&["ps", "-aq", "--no-trunc", "--filter", "name=hn-default-x"]);
    assert_eq!(
        out.stdout.trim(),
        &full.stdout.trim()[..12],
        "hostname is not the short id"
    );
    lab.remove_all_and_check();
}

#[test]
fn run_labels_filter_and_add_host_cidfile() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("lbl");
    let id = lab.create(
        &["--name", &name, "-l", "tier=web", "--label", "solo"],
        &["true"],
    );
    let _other = lab.create(&["-l", "tier=db"], &["true"]);
    for f in ["label=tier=web", "label=solo", "label=tier=web"] {
        let out = lab.b().ok(&["ps", "-aq", "--no-trunc", "--filter", f]);
        assert_eq!(out.stdout.trim(), id, "{f}:\n{out}");
    }
    let out = lab.b().ok(&[
        "ps",
        "-a",
        "--filter",
        "label=tier",
        "--format",
        "{{.Labels}}",
    ]);
    let mut tiers = out.lines();
    tiers.sort();
    assert_eq!(tiers, ["solo=,tier=web", "tier=db"], "{out}");
    let hosts = lab.run_ok(
        &[
            "--add-host",
            "db.local:10.1.2.3",
            "--add-host",
            "v6:fd00::1",
        ],
        &["cat", "/etc/hosts"],
    );
    assert!(hosts.contains("10.1.2.3\tdb.local"), "{hosts}");
    assert!(hosts.contains("fd00::1\tv6"), "{hosts}");
    assert!(hosts.contains("127.0.0.1\tlocalhost"), "{hosts}");
    let cid = lab.b().base().join("cid");
    let out = lab.run(&["--cidfile", cid.to_str().unwrap()], &["true"]);
    assert_eq!(out.code, 0, "{out}");
    let written = std::fs::read_to_string(&cid).unwrap();
    assert!(is_full_id(&written), "{written:?}");
    assert!(lab.all_ids().contains(&written));
    let out = lab.run(&["--cidfile", cid.to_str().unwrap()], &["true"]);
    assert_eq!(out.code, 125, "an existing cidfile must be refused:\n{out}");
    lab.remove_all_and_check();
}

/// Effective capability mask of the container's process.
fn cap_eff(lab: &Lab, flags: &[&str]) -> u64 {
    let status = lab.run_ok(flags, &["cat", "/proc/self/status"]);
    let line = status
        .lines()
        .find(|l| l.starts_with("CapEff:"))
        .unwrap_or_else(|| panic!("{status}"));
    u64::from_str_radix(line.split_whitespace().nth(1).unwrap(), 16).unwrap()
}

#[test]
fn run_security_flags() {
    require!(@containers);
    let lab = Lab::new();
    // Docker's 14 default capabilities.
    assert_eq!(cap_eff(&lab, &[]), 0xa80425fb);
    assert_eq!(cap_eff(&lab, &["--cap-drop", "ALL"]), 0);
    const NET_ADMIN: u64 = 1 << 12;
    const SYS_ADMIN: u64 = 1 << 21;
    const CHOWN: u64 = 1;
    assert_eq!(
        cap_eff(&lab, &["--cap-drop", "ALL", "--cap-add", "NET_ADMIN"]),
        NET_ADMIN
    );
    assert_eq!(
        cap_eff(&lab, &["--cap-add", "CAP_SYS_ADMIN", "--cap-drop", "chown"]),
        (0xa80425fb | SYS_ADMIN) & !CHOWN
    );
    // --privileged: every capability this process may hand on (its
    // bounding set; a nested environment may lack some the kernel knows).
    let bounding = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("CapBnd:"))
        .map(|l| u64::from_str_radix(l.split_whitespace().nth(1).unwrap(), 16).unwrap())
        .unwrap();
    assert_eq!(cap_eff(&lab, &["--privileged"]), bounding);
    let seccomp = |flags: &[&str]| {
        let s = lab.run_ok(flags, &["cat", "/proc/self/status"]);
        s.lines()
            .find(|l| l.starts_with("Seccomp:"))
            .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
            .unwrap()
    };
    assert_eq!(seccomp(&[]), "2", "default seccomp profile is a filter");
    assert_eq!(seccomp(&["--security-opt", "seccomp=unconfined"]), "0");
    assert_eq!(seccomp(&["--privileged"]), "0");
    let nnp = lab.run_ok(
        &["--security-opt", "no-new-privileges"],
        &["grep", "NoNewPrivs", "/proc/self/status"],
    );
    assert!(nnp.contains('1'), "{nnp}");
    // --read-only: the rootfs refuses writes; a --tmpfs mount still works.
    let out = lab.run(&["--rm", "--read-only"], &["touch", "/newfile"]);
    assert_ne!(out.code, 0, "{out}");
    assert!(out.stderr.contains("Read-only"), "{out}");
    lab.run_ok(&["--read-only", "--tmpfs", "/t"], &["touch", "/t/ok"]);
    let mounts = lab.run_ok(&["--tmpfs", "/t:size=1m"], &["cat", "/proc/mounts"]);
    let t = mounts
        .lines()
        .find(|l| l.split(' ').nth(1) == Some("/t"))
        .unwrap_or_else(|| panic!("no /t mount:\n{mounts}"));
    assert!(t.starts_with("tmpfs /t tmpfs"), "{t}");
    assert!(t.contains("size=1024k"), "{t}");
    lab.assert_clean();
}

/// Whether this kernel runs x32 system calls (an x32 `getpid` works).
#[allow(unsafe_code)]
fn kernel_runs_x32() -> bool {
    // SAFETY: getpid takes no arguments; the test runs under no seccomp
    // filter, so the kernel runs it or answers ENOSYS.
    unsafe { libc::syscall(0x4000_0000 | libc::SYS_getpid) != -1 }
}

/// The default seccomp filter names x86_64 and x86, and x32 only where the
/// kernel runs x32 (runc builds the filter three times faster without it).
#[test]
#[cfg(target_arch = "x86_64")]
fn run_seccomp_filter_covers_the_abis_the_kernel_runs() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("abis");
    let id = lab.create(&["--name", &name, "--network", "none"], &["true"]);
    lab.b().ok(&["start", "-a", &name]);
    let config = lab
        .b()
        .data_root
        .join("containers")
        .join(&id)
        .join("config.json");
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    let mut want = vec!["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"];
    if kernel_runs_x32() {
        want.push("SCMP_ARCH_X32");
    }
    assert_eq!(
        config["linux"]["seccomp"]["architectures"],
        serde_json::json!(want)
    );
    lab.b().ok(&["rm", &name]);
    lab.assert_clean();
}

#[test]
fn run_bind_mounts_and_named_volumes() {
    require!(@containers);
    let lab = Lab::new();
    let host = lab.b().base().join("shared");
    std::fs::create_dir_all(&host).unwrap();
    std::fs::write(host.join("in.txt"), "from host\n").unwrap();
    let v = format!("{}:/mnt", host.display());
    let out = lab.run_ok(
        &["-v", &v],
        &["sh", "-c", "cat /mnt/in.txt; echo back > /mnt/out.txt"],
    );
    assert_eq!(out, "from host\n");
    assert_eq!(
        std::fs::read_to_string(host.join("out.txt")).unwrap(),
        "back\n"
    );
    let v = format!("{}:/mnt:ro", host.display());
    let out = lab.run(
        &["--rm", "-v", &v],
        &["sh", "-c", "cat /mnt/in.txt && touch /mnt/x"],
    );
    assert_ne!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "from host\n", "{out}");
    assert!(!host.join("x").exists());
    // A named volume outlives the container that wrote it.
    let vol = lab.name("vol");
    let spec = format!("{vol}:/data");
    lab.run_ok(&["-v", &spec], &["sh", "-c", "echo kept > /data/f"]);
    assert_eq!(lab.run_ok(&["-v", &spec], &["cat", "/data/f"]), "kept\n");
    let on_disk = lab.b().data_root.join("volumes").join(&vol).join("_data/f");
    assert_eq!(std::fs::read_to_string(&on_disk).unwrap(), "kept\n");
    lab.assert_clean();
}

#[test]
fn run_anonymous_volume_goes_with_rm_v() {
    require!(@containers);
    let lab = Lab::new();
    let vols = lab.b().data_root.join("volumes");
    let keep = lab.create(&["-v", "/data"], &["true"]);
    let after_one = entries(&vols);
    assert_eq!(after_one.len(), 1, "{after_one:?}");
    let gone = lab.create(&["-v", "/data"], &["true"]);
    assert_eq!(entries(&vols).len(), 2);
    lab.b().ok(&["rm", "-v", &gone]);
    assert_eq!(
        entries(&vols),
        after_one,
        "rm -v must remove the anonymous volume"
    );
    lab.b().ok(&["rm", &keep]);
    assert_eq!(entries(&vols), after_one, "rm without -v keeps volumes");
    lab.assert_clean();
}

#[test]
fn run_resource_limits() {
    require!(@containers);
    let lab = Lab::new();
    let df = lab.run_ok(&["--shm-size", "2m"], &["df", "-k", "/dev/shm"]);
    assert!(
        df.lines().nth(1).unwrap().split_whitespace().nth(1) == Some("2048"),
        "{df}"
    );
    let df = lab.run_ok(&[], &["df", "-k", "/dev/shm"]);
    assert!(
        df.lines().nth(1).unwrap().split_whitespace().nth(1) == Some("65536"),
        "{df}"
    );
    let limits = lab.run_ok(
        &["--ulimit", "nofile=100:200"],
        &["cat", "/proc/self/limits"],
    );
    let l = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap();
    let f: Vec<&str> = l.split_whitespace().collect();
    assert_eq!(&f[3..5], ["100", "200"], "{l}");
    let fwd = lab.run_ok(
        &["--sysctl", "net.ipv4.ip_forward=1"],
        &["cat", "/proc/sys/net/ipv4/ip_forward"],
    );
    assert_eq!(fwd, "1\n");
    // cgroup limits, read on the host side (cgroup v1 hierarchies).
    let id = lab.run_d(
        &["-m", "64m", "--cpus", "0.5", "--pids-limit", "50"],
        &["sleep", "100"],
    );
    let cg = |ctl: &str, file: &str| {
        let p = Path::new("/sys/fs/cgroup")
            .join(ctl)
            .join("berth")
            .join(&id)
            .join(file);
        let p2 = Path::new("/sys/fs/cgroup/berth").join(&id).join(file);
        std::fs::read_to_string(&p)
            .or_else(|_| std::fs::read_to_string(&p2))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .trim()
            .to_string()
    };
    if Path::new("/sys/fs/cgroup/memory").is_dir() {
        assert_eq!(cg("memory", "memory.limit_in_bytes"), "67108864");
        assert_eq!(cg("pids", "pids.max"), "50");
        assert_eq!(cg("cpu", "cpu.cfs_quota_us"), "50000");
        assert_eq!(cg("cpu", "cpu.cfs_period_us"), "100000");
    } else {
        assert_eq!(cg("", "memory.max"), "67108864");
        assert_eq!(cg("", "pids.max"), "50");
        assert_eq!(cg("", "cpu.max"), "50000 100000");
    }
    lab.remove_all_and_check();
}

#[test]
fn run_network_host_and_none() {
    require!(@containers);
    let lab = Lab::new();
    let ifaces = |net: &str| -> Vec<String> {
        let out = lab.run_ok(&["--network", net], &["ls", "/sys/class/net"]);
        let mut v: Vec<String> = out.split_whitespace().map(str::to_string).collect();
        v.sort();
        v
    };
    assert_eq!(ifaces("none"), ["lo"]);
    // Other cases create and delete bridges and veths meanwhile: compare
    // the host's own interfaces.
    let stable = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .filter(|n| !n.starts_with("veth") && !n.starts_with("bt"))
            .collect()
    };
    let mut host: Vec<String> = entries(Path::new("/sys/class/net"));
    host.sort();
    assert_eq!(stable(ifaces("host")), stable(host));
    // Docker: the host's hostname, unless -h names one (its own UTS
    // namespace either way).
    let host_name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert_eq!(lab.run_ok(&["--network", "host"], &["hostname"]), host_name);
    assert_eq!(
        lab.run_ok(&["--network", "host", "-h", "x"], &["hostname"]),
        "x\n"
    );
    assert_eq!(
        std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap(),
        host_name,
        "the host's hostname changed"
    );
    lab.assert_clean();
}

#[test]
fn run_init_reaps_and_forwards_stop() {
    require!(@containers);
    if !Path::new("/usr/bin/tini-static").exists() && !Path::new("/usr/bin/tini").exists() {
        assert!(
            !crate::support::require::in_ci(),
            "--init needs tini (scripts/lib.sh installs it)"
        );
        eprintln!("skipping: no tini installed (apt-get install tini)");
        return;
    }
    let lab = Lab::new();
    let cmd = lab.run_ok(&["--init"], &["cat", "/proc/1/cmdline"]);
    assert!(cmd.starts_with("/sbin/docker-init\0--\0cat"), "{cmd:?}");
    // tini forwards the stop signal to sleep, which dies of it: 143, fast.
    let name = lab.name("init");
    lab.run_d(&["--init", "--name", &name], &["sleep", "100"]);
    let t = Instant::now();
    lab.b().ok(&["stop", &name]);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    let (state, status) = lab.state_of(&name).unwrap();
    assert_eq!(state, "exited");
    assert!(status.starts_with("Exited (143)"), "{status}");
    lab.remove_all_and_check();
}

#[test]
fn stop_honours_stop_signal_and_timeouts() {
    require!(@containers);
    let lab = Lab::new();
    // --stop-signal: the trap exits 9.
    let a = lab.name("sig");
    lab.run_d(
        &["--name", &a, "--stop-signal", "SIGHUP"],
        &["sh", "-c", "trap 'exit 9' HUP; while :; do sleep 0.1; done"],
    );
    let t = Instant::now();
    let out = lab.b().ok(&["stop", &a]);
    assert_eq!(out.stdout, format!("{a}\n"));
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert!(lab.state_of(&a).unwrap().1.starts_with("Exited (9)"));
    // PID 1 ignores SIGTERM: --stop-timeout 1 kills after a second.
    let b = lab.name("tmo");
    lab.run_d(&["--name", &b, "--stop-timeout", "1"], &["sleep", "100"]);
    let t = Instant::now();
    lab.b().ok(&["stop", &b]);
    let took = t.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(6),
        "{took:?}"
    );
    assert!(lab.state_of(&b).unwrap().1.starts_with("Exited (137)"));
    // -t overrides it.
    lab.b().ok(&["start", &b]);
    let t = Instant::now();
    lab.b().ok(&["stop", "-t", "0", &b]);
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    // Stopping a stopped container succeeds; an unknown one fails with exit 1.
    lab.b().ok(&["stop", &b]);
    let out = lab.b().code(&["stop", "no-such-ctr"], 1);
    assert!(
        out.stderr.contains("No such container: no-such-ctr"),
        "{out}"
    );
    lab.remove_all_and_check();
}

#[test]
fn run_log_driver_none_and_rotation() {
    require!(@containers);
    let lab = Lab::new();
    let id = lab.create(&["--log-driver", "none"], &["echo", "nolog"]);
    let out = lab.b().ok(&["start", "-a", &id]);
    assert_eq!(out.stdout, "nolog\n");
    let dir = lab.b().data_root.join("containers").join(&id);
    assert!(
        !entries(&dir).iter().any(|f| f.contains("json.log")),
        "{:?}",
        entries(&dir)
    );
    let id = lab.create(
        &["--log-opt", "max-size=1k", "--log-opt", "max-file=2"],
        &[
            "sh",
            "-c",
            "i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done",
        ],
    );
    lab.b().ok(&["start", "-a", &id]);
    let dir = lab.b().data_root.join("containers").join(&id);
    let logs: Vec<String> = entries(&dir)
        .into_iter()
        .filter(|f| f.contains("json.log"))
        .collect();
    assert_eq!(
        logs,
        [format!("{id}-json.log"), format!("{id}-json.log.1")],
        "max-file=2 keeps the live file and one rotated file"
    );
    for f in &logs {
        let len = std::fs::metadata(dir.join(f)).unwrap().len();
        assert!(len <= 1024 + 200, "{f} is {len} bytes");
    }
    let last = std::fs::read_to_string(dir.join(&logs[0])).unwrap();
    assert!(last.contains("line-199"), "{last}");
    let line: serde_json::Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
    assert_eq!(line["stream"], "stdout");
    assert_eq!(line["log"], "line-199\n");
    lab.remove_all_and_check();
}

// ============================================ create, start, stop, kill, rm

#[test]
fn create_start_attach_restart_kill_wait() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("cs");
    lab.create(
        &["--name", &name],
        &["sh", "-c", "echo hi; echo oops >&2; exit 4"],
    );
    assert_eq!(
        lab.state_of(&name).unwrap(),
        ("created".into(), "Created".into())
    );
    let out = lab.b().code(&["start", "-a", &name], 4);
    assert_eq!(out.stdout, "hi\n");
    assert_eq!(out.stderr, "oops\n");
    let (state, status) = lab.state_of(&name).unwrap();
    assert_eq!(state, "exited");
    assert!(status.starts_with("Exited (4) "), "{status}");
    assert_eq!(lab.b().ok(&["wait", &name]).stdout, "4\n");
    // start (detached) prints the name; wait blocks until the end.
    let out = lab.b().ok(&["start", &name]);
    assert_eq!(out.stdout, format!("{name}\n"));
    assert_eq!(lab.b().ok(&["wait", &name]).stdout, "4\n");

    let s = lab.name("sleeper");
    lab.run_d(&["--name", &s], &["sh", "-c", "sleep 1; exit 5"]);
    assert_eq!(lab.b().ok(&["wait", &s]).stdout, "5\n");
    let out = lab.b().code(&["wait", &s, "no-such-ctr"], 1);
    assert_eq!(out.stdout, "5\n");
    assert!(
        out.stderr.contains("No such container: no-such-ctr"),
        "{out}"
    );

    let r = lab.name("restart");
    lab.run_d(&["--name", &r], &["sleep", "100"]);
    let before = lab.container_pids();
    let out = lab.b().ok(&["restart", "-t", "0", &r]);
    assert_eq!(out.stdout, format!("{r}\n"));
    assert_eq!(lab.state_of(&r).unwrap().0, "running");
    let after = lab.container_pids();
    assert!(
        !after.is_empty() && after.iter().all(|p| !before.contains(p)),
        "{before:?} {after:?}"
    );
    // kill: default SIGKILL, then not running any more.
    let out = lab.b().ok(&["kill", &r]);
    assert_eq!(out.stdout, format!("{r}\n"));
    lab.wait_state(&r, "exited", Duration::from_secs(10));
    assert!(lab.state_of(&r).unwrap().1.starts_with("Exited (137)"));
    let out = lab.b().code(&["kill", &r], 1);
    assert!(out.stderr.contains("is not running"), "{out}");
    let out = lab.b().code(&["kill", "-s", "NOPE", &r], 1);
    assert!(!out.stderr.is_empty(), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn rm_refuses_running_without_force() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("rm");
    let id = lab.run_d(&["--name", &name], &["sleep", "100"]);
    let out = lab.b().code(&["rm", &name], 1);
    assert!(
        out.stderr.contains(&format!(
            "cannot remove container \"/{name}\": container is running"
        )),
        "{out}"
    );
    assert_eq!(lab.state_of(&name).unwrap().0, "running");
    let out = lab.b().ok(&["rm", "-f", &id[..12]]);
    assert_eq!(out.stdout, format!("{}\n", &id[..12]));
    let out = lab.b().code(&["rm", &name], 1);
    assert!(
        out.stderr.contains(&format!("No such container: {name}")),
        "{out}"
    );
    // rm -f of something missing is quiet success, as in docker.
    lab.b().ok(&["rm", "-f", &name]);
    lab.assert_clean();
}

// ====================================================================== ps

#[test]
fn ps_flags_filters_and_formats() {
    require!(@containers);
    let lab = Lab::new();
    let (a, b, c) = (lab.name("psa"), lab.name("psb"), lab.name("psc"));
    let ida = lab.create(&["--name", &a, "-l", "k=v"], &["true"]);
    std::thread::sleep(Duration::from_millis(20));
    let out = lab.run(&["--name", &b], &["sh", "-c", "exit 3"]);
    assert_eq!(out.code, 3);
    std::thread::sleep(Duration::from_millis(20));
    let idc = lab.run_d(&["--name", &c], &["sleep", "100"]);
    let idb = lab
        .b()
        .ok(&[
            "ps",
            "-aq",
            "--no-trunc",
            "--filter",
            &format!("name=^{b}$"),
        ])
        .stdout
        .trim()
        .to_string();
    assert!(is_full_id(&idb));

    // Default: running only, Docker's header.
    let out = lab.b().ok(&["ps"]);
    let lines = out.lines();
    assert_eq!(lines.len(), 2, "{out}");
    for h in [
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ] {
        assert!(lines[0].contains(h), "{out}");
    }
    assert!(
        lines[1].starts_with(&idc[..12]) && lines[1].ends_with(&c),
        "{out}"
    );
    assert!(lines[1].contains("\"sleep 100\""), "{out}");
    assert!(lines[1].contains(" Up "), "{out}");
    // -a, newest first; -q; --no-trunc.
    let names: Vec<String> = lab.ps(&["-a"]).into_iter().map(|r| r.0).collect();
    assert_eq!(names, [c.clone(), b.clone(), a.clone()]);
    let q = lab.b().ok(&["ps", "-aq"]);
    assert_eq!(q.lines(), [&idc[..12], &idb[..12], &ida[..12]]);
    let q = lab.b().ok(&["ps", "-q"]);
    assert_eq!(q.lines(), [&idc[..12]]);
    let nt = lab
        .b()
        .ok(&["ps", "-a", "--no-trunc", "--format", "{{.ID}}"]);
    assert_eq!(nt.lines(), [idc.as_str(), idb.as_str(), ida.as_str()]);
    // -n, -l.
    let n2 = lab.b().ok(&["ps", "-n", "2", "--format", "{{.Names}}"]);
    assert_eq!(n2.lines(), [c.as_str(), b.as_str()]);
    let l = lab.b().ok(&["ps", "-l", "--format", "{{.Names}}"]);
    assert_eq!(l.lines(), [c.as_str()]);
    // -s adds the SIZE column.
    let s = lab.b().ok(&["ps", "-a", "-s"]);
    assert!(s.lines()[0].contains("SIZE"), "{s}");
    assert!(s.lines()[1].contains("(virtual "), "{s}");
    // Filters.
    let f = |filter: &str| -> Vec<String> {
        let out = lab
            .b()
            .ok(&["ps", "-a", "--filter", filter, "--format", "{{.Names}}"]);
        out.lines().iter().map(|s| s.to_string()).collect()
    };
    assert_eq!(f(&format!("name={a}")), [a.as_str()]);
    assert_eq!(f(&format!("id={}", &idb[..8])), [b.as_str()]);
    assert_eq!(f("label=k=v"), [a.as_str()]);
    assert_eq!(f("label=k"), [a.as_str()]);
    assert_eq!(f("status=running"), [c.as_str()]);
    assert_eq!(f("status=created"), [a.as_str()]);
    assert_eq!(f("status=exited"), [b.as_str()]);
    assert_eq!(f("exited=3"), [b.as_str()]);
    assert!(f("exited=0").is_empty());
    assert_eq!(f(&format!("ancestor={}", lab.image())).len(), 3);
    assert!(f("ancestor=nosuch:image").is_empty());
    let out = lab.b().code(&["ps", "--filter", "status=sleeping"], 1);
    assert!(out.stderr.contains("status=sleeping"), "{out}");
    // --format: templates, json.
    let out = lab.b().ok(&[
        "ps",
        "-a",
        "--filter",
        &format!("name={b}"),
        "--format",
        "{{json .}}",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(v["Names"], b.as_str());
    assert_eq!(v["State"], "exited");
    assert_eq!(v["Image"], lab.image());
    let out = lab
        .b()
        .ok(&["ps", "--format", "table {{.Names}}\t{{.State}}"]);
    assert_eq!(
        out.lines()[0].split_whitespace().collect::<Vec<_>>(),
        ["NAMES", "STATE"]
    );
    lab.remove_all_and_check();
}

/// The container's init starts with no signals blocked, whatever berth's
/// shim blocks for itself: a trapped USR1/USR2 (a common reload or
/// `--stop-signal` choice) must arrive.
#[test]
fn container_init_starts_with_an_empty_signal_mask() {
    require!(@containers);
    let lab = Lab::new();
    let out = lab.run_ok(&[], &["grep", "SigBlk", "/proc/self/status"]);
    assert_eq!(
        out.split_whitespace().nth(1),
        Some("0000000000000000"),
        "{out}"
    );
    let a = lab.name("usr1");
    lab.run_d(
        &["--name", &a, "--stop-signal", "USR1"],
        &[
            "sh",
            "-c",
            "trap 'exit 9' USR1; while :; do sleep 0.1; done",
        ],
    );
    let t = Instant::now();
    lab.b().ok(&["stop", "-t", "3", &a]);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "USR1 never arrived: {:?}",
        t.elapsed()
    );
    assert!(lab.state_of(&a).unwrap().1.starts_with("Exited (9)"));
    lab.remove_all_and_check();
}

/// The copy-based snapshotter (`snapshotter = "native"`), for filesystems
/// where overlayfs cannot be mounted: a full root filesystem per container,
/// changes visible to `diff`, nothing left after `rm`.
#[test]
fn native_snapshotter_runs_containers_without_overlay() {
    require!(@containers);
    let lab = Lab::new();
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&lab.b().config)
            .unwrap();
        writeln!(f, "snapshotter = \"native\"").unwrap();
    }
    let c = lab.name("native");
    let out = lab.run(&["--name", &c], &["sh", "-c", "echo hi > /made; cat /made"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "hi\n");
    let diff = lab.b().ok(&["diff", &c]);
    assert!(diff.stdout.contains("A /made"), "{diff}");
    let driver = lab.b().ok(&["inspect", "-f", "{{.GraphDriver.Name}}", &c]);
    assert_eq!(driver.stdout.trim(), "vfs");
    assert!(
        mounts_under(&lab.b().data_root).is_empty(),
        "the native snapshotter mounts nothing"
    );
    lab.remove_all_and_check();
}

/// A stopped container holds no mount: its root filesystem is unmounted
/// when it exits (foreground), when `stop` returns, or when any later
/// command notices a detached one exited; `start` mounts it again.
#[test]
fn stopped_containers_release_their_rootfs_mount() {
    require!(@containers);
    let lab = Lab::new();
    let fg = lab.name("fg");
    assert_eq!(lab.run(&["--name", &fg], &["true"]).code, 0);
    let bg = lab.name("bg");
    lab.run_d(&["--name", &bg], &["sleep", "100"]);
    let quick = lab.name("quick");
    lab.run_d(&["--name", &quick], &["true"]);
    // `quick` exits on its own; the next command that sees it unmounts it.
    let one = wait_for(Duration::from_secs(5), || {
        lab.b().ok(&["ps", "-a"]);
        (mounts_under(&lab.b().data_root).len() == 1).then_some(())
    });
    assert!(one.is_some(), "{:?}", mounts_under(&lab.b().data_root));
    lab.b().ok(&["stop", "-t", "1", &bg]);
    let gone = wait_for(Duration::from_secs(5), || {
        lab.b().ok(&["ps", "-a"]);
        mounts_under(&lab.b().data_root).is_empty().then_some(())
    });
    assert!(gone.is_some(), "{:?}", mounts_under(&lab.b().data_root));
    lab.b().ok(&["start", &bg]);
    assert_eq!(mounts_under(&lab.b().data_root).len(), 1);
    lab.remove_all_and_check();
}
