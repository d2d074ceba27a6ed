//! The container lifecycle under races and faults (issue 3, "Reliability"):
//! many berth processes creating one name or removing one container at once,
//! parallel `run --rm`, `kill -9` of the CLI part-way through `run -d`,
//! `kill -9` of a shim, a simulated host reboot (a fresh state root over the
//! same data root), and an interactive `run -it` driven through a real
//! pseudo-terminal. After each, every container is either whole or gone and
//! nothing leaks ([`Lab::assert_clean`]).

use crate::containers::{alive, entries, is_full_id, kill, Lab};
use crate::require;
use crate::support::{wait_for, Out};
use std::time::{Duration, Instant};

/// Run `n` copies of `args` at once (all released together); their outputs.
fn race(lab: &Lab, n: usize, args: &[&str]) -> Vec<Out> {
    let barrier = std::sync::Barrier::new(n);
    std::thread::scope(|s| {
        let hs: Vec<_> = (0..n)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    lab.b().run(args)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn show(outs: &[Out]) -> String {
    outs.iter()
        .map(|o| o.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn concurrent_create_same_name_exactly_one_wins() {
    require!(@containers);
    let lab = Lab::new();
    let name = lab.name("race");
    let t = Instant::now();
    let outs = race(&lab, 8, &["create", "--name", &name, lab.image(), "true"]);
    eprintln!("8 concurrent creates: {:?}", t.elapsed());
    let winners: Vec<&Out> = outs.iter().filter(|o| o.code == 0).collect();
    assert_eq!(winners.len(), 1, "{}", show(&outs));
    let id = winners[0].stdout.trim().to_string();
    assert!(is_full_id(&id), "{}", winners[0]);
    let want =
        format!("Conflict. The container name \"/{name}\" is already in use by container \"{id}\"");
    for o in outs.iter().filter(|o| o.code != 0) {
        assert!(o.stderr.contains(&want), "want {want:?}:\n{o}");
    }
    assert_eq!(lab.all_ids(), [id.as_str()]);
    assert_eq!(
        entries(&lab.b().data_root.join("containers")),
        [id.as_str()]
    );
    assert_eq!(crate::containers::container_snapshots(lab.b()).len(), 1);
    // The one container is whole: it starts.
    let out = lab.b().ok(&["start", "-a", &name]);
    assert!(out.stderr.is_empty(), "{out}");
    lab.remove_all_and_check();
}

#[test]
fn concurrent_rm_of_one_container() {
    require!(@containers);
    let lab = Lab::new();
    // rm -f of a running container: one removes it (prints the name); the
    // rest find nothing, which `rm -f` does not treat as an error (docker).
    let name = lab.name("rmf");
    lab.run_d(&["--name", &name], &["sleep", "100"]);
    let outs = race(&lab, 6, &["rm", "-f", &name]);
    let printed: Vec<&Out> = outs.iter().filter(|o| o.stdout.trim() == name).collect();
    assert_eq!(printed.len(), 1, "{}", show(&outs));
    for o in &outs {
        assert_eq!(o.code, 0, "{o}");
        if o.stdout.is_empty() {
            assert!(o.stderr.is_empty(), "{o}");
        }
    }
    lab.assert_clean();
    // Plain rm of a stopped container: one wins, the others say so.
    let name = lab.name("rm");
    let out = lab.run(&["--name", &name], &["true"]);
    assert_eq!(out.code, 0, "{out}");
    let outs = race(&lab, 6, &["rm", &name]);
    let ok: Vec<&Out> = outs.iter().filter(|o| o.code == 0).collect();
    assert_eq!(ok.len(), 1, "{}", show(&outs));
    assert_eq!(ok[0].stdout, format!("{name}\n"));
    for o in outs.iter().filter(|o| o.code != 0) {
        assert_eq!(o.code, 1, "{o}");
        assert!(
            o.stderr.contains(&format!("No such container: {name}")),
            "{o}"
        );
    }
    lab.assert_clean();
}

#[test]
fn concurrent_run_rm_all_succeed() {
    require!(@containers);
    let lab = Lab::new();
    let t = Instant::now();
    let outs = race(
        &lab,
        10,
        &[
            "run",
            "--rm",
            lab.image(),
            "sh",
            "-c",
            "echo ok-$(hostname)",
        ],
    );
    eprintln!("10 concurrent run --rm: {:?}", t.elapsed());
    let mut hosts = Vec::new();
    for o in &outs {
        assert_eq!(o.code, 0, "{}", show(&outs));
        let h = o
            .stdout
            .trim()
            .strip_prefix("ok-")
            .unwrap_or_else(|| panic!("{o}"));
        hosts.push(h.to_string());
    }
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 10, "each run is its own container: {hosts:?}");
    lab.assert_clean();
}

#[test]
fn kill_9_of_the_cli_during_run_leaves_whole_or_nothing() {
    require!(@containers);
    let lab = Lab::new();
    // Calibrate: how long one `run -d` takes, so the kills land all along it.
    let t = Instant::now();
    lab.run_d(&[], &["sleep", "100"]);
    let full = t.elapsed().as_millis().max(20) as u64;
    lab.remove_all_and_check();
    let mut seed: u64 = 0x9e3779b97f4a7c15 ^ u64::from(std::process::id());
    let mut killed_midway = 0;
    for i in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = seed % (full + full / 2);
        let name = format!("k9-{i}");
        let mut child = lab
            .b()
            .spawn(&["run", "-d", "--name", &name, lab.image(), "sleep", "100"]);
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() {
            killed_midway += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    eprintln!("run -d takes ~{full} ms; {killed_midway}/20 CLIs killed before they finished");
    // Whatever is listed is whole: a known state, removable.
    let rows = lab.ps(&["-a"]);
    for (name, state, _) in &rows {
        assert!(
            ["created", "running", "exited"].contains(&state.as_str()),
            "{name} is {state}"
        );
    }
    lab.note(&lab.b().ok(&["ps", "-aq", "--no-trunc"]));
    // Every container dir on disk belongs to a listed container.
    let ids = lab.all_ids();
    for d in entries(&lab.b().data_root.join("containers")) {
        assert!(ids.contains(&d), "unlisted container dir {d} after ps -a");
    }
    for (name, _, _) in &rows {
        lab.b().ok(&["rm", "-f", name]);
    }
    lab.assert_clean();
}

#[test]
fn kill_9_of_a_shim_is_reported_truthfully() {
    require!(@containers);
    let lab = Lab::new();
    // The container survives its shim: still running, and rm -f works.
    let a = lab.name("orphan");
    lab.run_d(&["--name", &a], &["sleep", "100"]);
    let shims = lab.shim_pids();
    assert_eq!(shims.len(), 1, "{shims:?}");
    let procs = lab.container_pids();
    assert!(!procs.is_empty());
    kill(shims[0], libc::SIGKILL);
    assert!(wait_for(Duration::from_secs(5), || (!alive(shims[0])).then_some(())).is_some());
    assert_eq!(lab.state_of(&a).unwrap().0, "running");
    let out = lab.b().ok(&["stop", "-t", "1", &a]);
    assert_eq!(out.stdout, format!("{a}\n"));
    let (state, status) = lab.state_of(&a).unwrap();
    assert_eq!(state, "exited", "{status}");
    // sleep as PID 1 ignores SIGTERM: stop's own SIGKILL ended it, so its
    // code is known (Docker's 137), not the 255 of an exit nobody saw.
    assert!(status.starts_with("Exited (137)"), "{status}");
    let code = lab.b().ok(&["inspect", "-f", "{{.State.ExitCode}}", &a]);
    assert_eq!(code.stdout, "137\n");
    assert!(lab.container_pids().is_empty());
    lab.b().ok(&["rm", "-f", &a]);
    lab.assert_clean();

    // Shim and container both gone: exited, status unknown (255).
    let b = lab.name("lost");
    lab.run_d(&["--name", &b], &["sleep", "100"]);
    let shims = lab.shim_pids();
    assert_eq!(shims.len(), 1, "{shims:?}");
    kill(shims[0], libc::SIGKILL);
    for p in lab.container_pids() {
        kill(p, libc::SIGKILL);
    }
    let gone = wait_for(Duration::from_secs(5), || {
        lab.container_pids().is_empty().then_some(())
    });
    assert!(gone.is_some());
    let (state, status) = lab.state_of(&b).unwrap();
    assert_eq!(state, "exited", "{status}");
    assert!(status.starts_with("Exited (255)"), "{status}");
    // It can be started again and removed.
    lab.b().ok(&["start", &b]);
    assert_eq!(lab.state_of(&b).unwrap().0, "running");
    lab.b().ok(&["rm", "-f", &b]);

    // rm -f straight after killing the shim of a running container.
    let c = lab.name("rmf");
    lab.run_d(&["--name", &c], &["sleep", "100"]);
    for p in lab.shim_pids() {
        kill(p, libc::SIGKILL);
    }
    lab.b().ok(&["rm", "-f", &c]);
    lab.assert_clean();
}

#[test]
fn simulated_reboot_marks_running_containers_exited_255() {
    require!(@containers);
    let mut lab = Lab::new();
    let (a, b, c) = (lab.name("up"), lab.name("made"), lab.name("done"));
    // No network for the running one: a simulated reboot cannot clear
    // what a real one does (its pinned netns, veth and iptables rules).
    let ida = lab.run_d(&["--name", &a, "--network", "none"], &["sleep", "100"]);
    lab.create(&["--name", &b], &["true"]);
    let out = lab.run(&["--name", &c], &["sh", "-c", "exit 2"]);
    assert_eq!(out.code, 2, "{out}");
    let old_shims = lab.shim_pids();
    let old_procs = lab.container_pids();
    assert_eq!(old_shims.len(), 1);
    // The "reboot": a fresh state root (no boot marker) for the same data.
    let old_state = lab.reboot();
    let rows = lab.ps(&["-a"]);
    let st = |n: &str| rows.iter().find(|r| r.0 == n).cloned().unwrap();
    assert_eq!(st(&a).1, "exited");
    assert!(st(&a).2.starts_with("Exited (255)"), "{rows:?}");
    assert_eq!(st(&b).1, "created");
    assert!(st(&c).2.starts_with("Exited (2)"), "{rows:?}");
    // A reboot would have killed these; do it now, as cleanup.
    for p in old_shims.iter().chain(&old_procs) {
        kill(*p, libc::SIGKILL);
    }
    let gone = wait_for(Duration::from_secs(5), || {
        old_procs.iter().all(|p| !alive(*p)).then_some(())
    });
    assert!(gone.is_some());
    // The old state root's runc state must not block start or rm.
    lab.b().ok(&["start", &a]);
    assert_eq!(lab.state_of(&a).unwrap().0, "running");
    assert_eq!(lab.b().ok(&["wait", &c]).stdout, "2\n");
    lab.b().ok(&["start", "-a", &b]);
    lab.b().ok(&["rm", "-f", &a, &b, &c]);
    assert!(!lab.b().data_root.join("containers").join(&ida).exists());
    drop(old_state);
    lab.assert_clean();
}

/// A detached container that exits while no berth command runs keeps its
/// exit code across a reboot: the shim copies its exit record into the data
/// root, since the state root is a tmpfs.
#[test]
fn exit_code_of_a_detached_container_survives_a_reboot() {
    require!(@containers);
    let mut lab = Lab::new();
    let c = lab.name("quiet");
    // Without a network: its shim would exec `internal cleanup` to release
    // one, which may still run when the "reboot" drops the old state root.
    lab.run_d(
        &["--name", &c, "--network", "none"],
        &["sh", "-c", "exit 7"],
    );
    // No berth command may look at it before the "reboot": wait for the
    // shim to go away on its own.
    let gone = wait_for(Duration::from_secs(10), || {
        lab.shim_pids().is_empty().then_some(())
    });
    assert!(gone.is_some(), "the shim did not exit");
    let old_state = lab.reboot();
    let (state, status) = lab.state_of(&c).unwrap();
    assert_eq!(state, "exited");
    assert!(status.starts_with("Exited (7)"), "{status}");
    lab.b().ok(&["rm", &c]);
    drop(old_state);
    lab.assert_clean();
}

/// Drive `berth run -it` through a pseudo-terminal with python3's pty
/// module: type a command, read its output, `exit 5`, and check the exit
/// code and that the terminal modes berth changed are restored.
#[test]
fn run_it_session_through_a_pty() {
    require!(@containers);
    let Some(python) = crate::support::require::find_binary("python3") else {
        assert!(!crate::support::require::in_ci(), "python3 is needed");
        eprintln!("skipping: no python3");
        return;
    };
    let lab = Lab::new();
    let script = r##"
import os, sys, termios, subprocess, select, time, json
master, slave = os.openpty()
before = termios.tcgetattr(slave)
args = json.loads(sys.argv[1])
p = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave,
                     start_new_session=True,
                     preexec_fn=lambda: __import__('fcntl').ioctl(0, termios.TIOCSCTTY, 0))
buf = b""
def read_until(token, timeout):
    global buf
    end = time.time() + timeout
    while token not in buf:
        left = end - time.time()
        if left <= 0:
            return False
        r, _, _ = select.select([master], [], [], left)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return False
            if not chunk:
                return False
            buf += chunk
    return True
ok_prompt = read_until(b"# ", 30)
during = termios.tcgetattr(slave)
os.write(master, b"echo typed-$((40+2))\r")
ok_echo = read_until(b"typed-42", 10)
os.write(master, b"exit 5\r")
end = time.time() + 30
while p.poll() is None and time.time() < end:
    r, _, _ = select.select([master], [], [], 0.1)
    if r:
        try:
            buf += os.read(master, 4096)
        except OSError:
            pass
if p.poll() is None:
    p.kill()
after = termios.tcgetattr(slave)
print(json.dumps({
    "prompt": ok_prompt, "echo": ok_echo, "code": p.wait(),
    "raw_during": not (during[3] & termios.ICANON) and not (during[3] & termios.ECHO),
    "restored": before == after,
    "output": buf.decode("utf-8", "replace"),
}))
"##;
    let name = lab.name("pty");
    let mut args: Vec<String> = vec![env!("CARGO_BIN_EXE_berth").to_string()];
    let cmd = lab.b().command(&[]);
    args.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    for a in ["run", "-it", "--rm", "--name", &name, lab.image(), "sh"] {
        args.push(a.to_string());
    }
    let t = Instant::now();
    let mut py = std::process::Command::new(python);
    py.arg("-c")
        .arg(script)
        .arg(serde_json::to_string(&args).unwrap());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => py.env(k, v),
            None => py.env_remove(k),
        };
    }
    py.current_dir(lab.b().base());
    let out = py.output().unwrap();
    eprintln!("pty session: {:?}", t.elapsed());
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "driver output is not JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(v["prompt"], true, "no shell prompt: {v}");
    assert_eq!(v["echo"], true, "typed command's output missing: {v}");
    assert_eq!(
        v["raw_during"], true,
        "berth did not put the tty in raw mode: {v}"
    );
    assert_eq!(v["code"], 5, "{v}");
    assert_eq!(v["restored"], true, "tty modes not restored: {v}");
    lab.assert_clean();
}
