//! `volume create | ls | inspect | rm | prune` through the binary, Docker's
//! errors for bad names, unknown drivers and missing volumes, and — with
//! runc — volumes used by containers: in-use refusal, copy-up from the image,
//! anonymous volumes.

use crate::require;
use crate::support::{fixtures, serve, unique, Berth};
use std::path::PathBuf;

/// Columns of a table line (split on runs of 2+ spaces, like Go's tabwriter output).
fn columns(line: &str) -> Vec<String> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn data_dir(b: &Berth, name: &str) -> PathBuf {
    b.data_root.join("volumes").join(name).join("_data")
}

fn inspect(b: &Berth, name: &str) -> serde_json::Value {
    let out = b.ok(&["volume", "inspect", name]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("inspect prints JSON");
    v[0].clone()
}

#[test]
fn volume_create_prints_name_and_makes_data_dir() {
    let b = Berth::new();
    let name = unique("vol");
    let out = b.ok(&["volume", "create", &name]);
    assert_eq!(out.stdout, format!("{name}\n"), "{out}");
    assert!(data_dir(&b, &name).is_dir());
    // An existing name is returned as it is.
    let again = b.ok(&["volume", "create", "--label", "x=y", &name]);
    assert_eq!(again.stdout, format!("{name}\n"), "{again}");
    assert_eq!(inspect(&b, &name)["Labels"], serde_json::json!({}));
    // Without a name: 64 hex characters.
    let gen = b.ok(&["volume", "create"]);
    let g = gen.stdout.trim();
    assert_eq!(g.len(), 64, "{gen}");
    assert!(g.bytes().all(|c| c.is_ascii_hexdigit()), "{gen}");
    assert!(data_dir(&b, g).is_dir());
}

#[test]
fn volume_ls_table_quiet_format_and_filters() {
    let b = Berth::new();
    b.ok(&["volume", "create", "--label", "tier=db", "vol10"]);
    b.ok(&["volume", "create", "vol9"]);
    b.ok(&["volume", "create", "--name", "other", "--label", "tier=web"]);
    let out = b.ok(&["volume", "ls"]);
    let lines = out.lines();
    assert_eq!(columns(lines[0]), ["DRIVER", "VOLUME NAME"], "{out}");
    assert_eq!(lines[0], "DRIVER    VOLUME NAME", "{out}");
    let names: Vec<_> = lines[1..].iter().map(|l| columns(l)).collect();
    assert_eq!(
        names,
        [["local", "other"], ["local", "vol9"], ["local", "vol10"]],
        "natural name order:\n{out}"
    );
    assert_eq!(
        b.ok(&["volume", "ls", "-q"]).lines(),
        ["other", "vol9", "vol10"]
    );
    assert_eq!(
        b.ok(&["volume", "ls", "-q", "--filter", "label=tier=db"])
            .lines(),
        ["vol10"]
    );
    assert_eq!(
        b.ok(&["volume", "ls", "-q", "-f", "label=tier", "-f", "name=^vol"])
            .lines(),
        ["vol10"]
    );
    assert_eq!(
        b.ok(&["volume", "ls", "-q", "-f", "name=vol9", "-f", "name=other"])
            .lines(),
        ["other", "vol9"]
    );
    assert_eq!(
        b.ok(&["volume", "ls", "-q", "-f", "dangling=true"])
            .lines()
            .len(),
        3
    );
    assert!(b
        .ok(&["volume", "ls", "-q", "-f", "dangling=false"])
        .lines()
        .is_empty());
    assert!(b
        .ok(&["volume", "ls", "-q", "-f", "driver=nfs"])
        .lines()
        .is_empty());
    let out = b.ok(&[
        "volume",
        "ls",
        "--format",
        "{{.Name}}:{{.Labels}}:{{.Scope}}",
    ]);
    assert_eq!(
        out.lines(),
        ["other:tier=web:local", "vol9::local", "vol10:tier=db:local"]
    );
    let out = b.ok(&["volume", "ls", "--format", "json", "-f", "name=vol9"]);
    let j: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(j["Name"], "vol9");
    assert_eq!(j["Driver"], "local");
    assert_eq!(j["Mountpoint"], data_dir(&b, "vol9").display().to_string());
    let out = b.ok(&[
        "volume",
        "ls",
        "--format",
        "table {{.Name}}\t{{.Mountpoint}}",
    ]);
    assert_eq!(
        columns(out.lines()[0]),
        ["VOLUME NAME", "MOUNTPOINT"],
        "{out}"
    );
    let bad = b.code(&["volume", "ls", "-f", "bogus=1"], 1);
    assert!(bad.stderr.contains("invalid filter 'bogus'"), "{bad}");
}

#[test]
fn volume_inspect_json_and_templates() {
    let b = Berth::new();
    b.ok(&["volume", "create", "--label", "a=1", "--label", "b", "insp"]);
    let v = inspect(&b, "insp");
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "CreatedAt",
            "Driver",
            "Labels",
            "Mountpoint",
            "Name",
            "Options",
            "Scope"
        ]
    );
    assert_eq!(v["Name"], "insp");
    assert_eq!(v["Driver"], "local");
    assert_eq!(v["Scope"], "local");
    assert_eq!(v["Labels"], serde_json::json!({"a": "1", "b": ""}));
    assert_eq!(v["Mountpoint"], data_dir(&b, "insp").display().to_string());
    let created = v["CreatedAt"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(created).is_ok(),
        "CreatedAt {created:?} is not RFC 3339"
    );
    let out = b.ok(&[
        "volume",
        "inspect",
        "-f",
        "{{.Name}} {{.Driver}}",
        "insp",
        "insp",
    ]);
    assert_eq!(out.lines(), ["insp local", "insp local"]);
    let out = b.ok(&[
        "volume",
        "inspect",
        "--format",
        "{{index .Labels \"a\"}}",
        "insp",
    ]);
    assert_eq!(out.stdout, "1\n");
}

#[test]
fn volume_missing_is_reported_after_found_ones() {
    let b = Berth::new();
    b.ok(&["volume", "create", "here"]);
    let out = b.code(&["volume", "inspect", "nope"], 1);
    assert_eq!(out.stdout.trim(), "[]", "{out}");
    assert!(out.stderr.contains("No such volume: nope"), "{out}");
    let out = b.code(&["volume", "inspect", "here", "nope"], 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["Name"], "here", "{out}");
    assert!(out.stderr.contains("No such volume: nope"), "{out}");
    let out = b.code(&["volume", "inspect", "-f", "{{.Name}}", "here", "nope"], 1);
    assert_eq!(out.stdout, "here\n", "{out}");

    let out = b.code(&["volume", "rm", "nope", "here"], 1);
    assert_eq!(
        out.stdout, "here\n",
        "the existing one is still removed:\n{out}"
    );
    assert!(out.stderr.contains("No such volume: nope"), "{out}");
    assert!(!b.data_root.join("volumes/here").exists());
    let out = b.ok(&["volume", "rm", "-f", "nope"]);
    assert_eq!(out.stdout, "nope\n", "{out}");
}

#[test]
fn volume_bad_names_drivers_and_options() {
    let b = Berth::new();
    for bad in ["x", "a/b", "_ab", ".hidden", "a b"] {
        let out = b.code(&["volume", "create", bad], 1);
        assert!(
            out.stderr.contains(&format!(
                "\"{bad}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed"
            )),
            "{out}"
        );
    }
    let out = b.code(&["volume", "create", "-d", "nfs", "vv"], 1);
    assert!(out.stderr.contains("plugin \"nfs\" not found"), "{out}");
    let out = b.code(&["volume", "create", "-o", "type=tmpfs", "vv"], 1);
    assert!(out.stderr.contains("not supported"), "{out}");
    let out = b.code(&["volume", "create", "--name", "n1", "n2"], 1);
    assert!(out.stderr.contains("conflicting options"), "{out}");
    assert!(b.ok(&["volume", "ls", "-q"]).lines().is_empty());
    assert!(!b.data_root.join("volumes/vv").exists());
    b.code(&["volume", "rm"], 125);
    b.code(&["volume", "inspect"], 125);
}

#[test]
fn volume_rm_removes_data() {
    let b = Berth::new();
    b.ok(&["volume", "create", "gone"]);
    std::fs::write(data_dir(&b, "gone").join("f"), b"data").unwrap();
    let out = b.ok(&["volume", "rm", "gone"]);
    assert_eq!(out.stdout, "gone\n");
    assert!(!b.data_root.join("volumes/gone").exists());
    // Nothing else left in volumes/ (no trash).
    let left: Vec<_> = std::fs::read_dir(b.data_root.join("volumes"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // Recreating the name starts empty.
    b.ok(&["volume", "create", "gone"]);
    assert!(!data_dir(&b, "gone").join("f").exists());
}

#[test]
fn volume_prune_named_needs_all_and_reports_space() {
    let b = Berth::new();
    b.ok(&["volume", "create", "--label", "keep=1", "p1"]);
    b.ok(&["volume", "create", "p2"]);
    std::fs::write(data_dir(&b, "p2").join("f"), b"12345").unwrap();
    // Without -a only anonymous volumes go: none here.
    let out = b.ok(&["volume", "prune", "-f"]);
    assert_eq!(out.stdout, "Total reclaimed space: 0B\n", "{out}");
    assert_eq!(b.ok(&["volume", "ls", "-q"]).lines().len(), 2);
    // The prompt: anything but y keeps everything.
    let out = b.run_stdin(&["volume", "prune", "-a"], Some("n\n"));
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains(
            "WARNING! This will remove all local volumes not used by at least one container."
        ),
        "{out}"
    );
    assert_eq!(b.ok(&["volume", "ls", "-q"]).lines().len(), 2);
    let out = b.run_stdin(
        &["volume", "prune", "-a", "--filter", "label!=keep"],
        Some("y\n"),
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout, "Deleted Volumes:\np2\n\nTotal reclaimed space: 5B\n",
        "{out}"
    );
    assert_eq!(b.ok(&["volume", "ls", "-q"]).lines(), ["p1"]);
    let out = b.ok(&["volume", "prune", "-f", "--filter", "all=true"]);
    assert_eq!(
        out.stdout,
        "Deleted Volumes:\np1\n\nTotal reclaimed space: 0B\n"
    );
    let bad = b.code(&["volume", "prune", "-f", "--filter", "until=1h"], 1);
    assert!(bad.stderr.contains("invalid filter 'until'"), "{bad}");
}

#[test]
fn volume_concurrent_creates_of_one_name_all_succeed() {
    let b = Berth::new();
    let children: Vec<_> = (0..6)
        .map(|_| b.spawn(&["volume", "create", "--label", "race=1", "racy"]))
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "{}", b.spawned_output());
    }
    assert_eq!(b.ok(&["volume", "ls", "-q"]).lines(), ["racy"]);
    assert!(data_dir(&b, "racy").is_dir());
}

// --- with containers (need root, runc and the busybox fixture) -----------

#[test]
fn volume_in_use_is_refused_until_the_container_goes() {
    require!(@containers);
    let s = serve(fixtures::busybox());
    let b = &s.berth;
    b.ok(&["pull", "-q", &s.image]);
    let name = unique("user");
    let out = b.ok(&[
        "run",
        "-d",
        "--name",
        &name,
        "-v",
        "busyvol:/data",
        &s.image,
        "sleep",
        "100",
    ]);
    let id = out.stdout.trim().to_string();
    assert_eq!(id.len(), 64, "{out}");
    let out = b.code(&["volume", "rm", "busyvol"], 1);
    assert!(
        out.stderr
            .contains(&format!("remove busyvol: volume is in use - [{id}]")),
        "{out}"
    );
    let out = b.code(&["volume", "rm", "-f", "busyvol"], 1);
    assert!(out.stderr.contains("volume is in use"), "{out}");
    assert_eq!(
        b.ok(&["volume", "ls", "-q", "-f", "dangling=false"])
            .lines(),
        ["busyvol"]
    );
    let out = b.ok(&["volume", "prune", "-a", "-f"]);
    assert_eq!(out.stdout, "Total reclaimed space: 0B\n", "{out}");
    b.ok(&["rm", "-f", &name]);
    b.ok(&["volume", "rm", "busyvol"]);
}

#[test]
fn volume_is_seeded_from_the_image_once() {
    require!(@containers);
    let s = serve(fixtures::busybox());
    let b = &s.berth;
    b.ok(&["pull", "-q", &s.image]);
    let out = b.ok(&[
        "run",
        "--rm",
        "-v",
        "etcvol:/etc",
        &s.image,
        "cat",
        "/etc/passwd",
    ]);
    assert!(out.stdout.contains("root:"), "{out}");
    let passwd = data_dir(b, "etcvol").join("passwd");
    assert!(passwd.is_file(), "the volume was not seeded");
    // Once seeded, a later container sees the volume's content, not the image's.
    std::fs::remove_file(&passwd).unwrap();
    let out = b.run(&["run", "--rm", "-v", "etcvol:/etc", &s.image, "ls", "/etc"]);
    assert!(!out.stdout.contains("passwd"), "re-seeded:\n{out}");
    // nocopy: an empty volume is not seeded. (Only the runtime's bind-mount
    // targets for /etc/hostname, hosts and resolv.conf appear in it, as with
    // docker.)
    let out = b.ok(&[
        "run",
        "--rm",
        "--mount",
        "src=emptyvol,dst=/etc,volume-nocopy",
        &s.image,
        "ls",
        "-A",
        "/etc",
    ]);
    assert!(!out.stdout.contains("passwd"), "{out}");
}

#[test]
fn volume_anonymous_from_v_is_pruned_without_all() {
    require!(@containers);
    let s = serve(fixtures::busybox());
    let b = &s.berth;
    b.ok(&["pull", "-q", &s.image]);
    b.ok(&["volume", "create", "named1"]);
    let name = unique("anon");
    b.ok(&["run", "--name", &name, "-v", "/scratch", &s.image, "true"]);
    let vols = b.ok(&["volume", "ls", "-q"]).stdout;
    let anon: Vec<_> = vols.lines().filter(|l| l.len() == 64).collect();
    assert_eq!(anon.len(), 1, "{vols}");
    let v = inspect(b, anon[0]);
    assert!(
        v["Labels"].get("com.docker.volume.anonymous").is_some(),
        "{v}"
    );
    // Still used by the (exited) container.
    assert_eq!(
        b.ok(&["volume", "prune", "-f"]).stdout,
        "Total reclaimed space: 0B\n"
    );
    b.ok(&["rm", &name]);
    let out = b.ok(&["volume", "prune", "-f"]);
    assert!(out.stdout.contains(anon[0]), "{out}");
    assert_eq!(b.ok(&["volume", "ls", "-q"]).lines(), ["named1"]);
}
