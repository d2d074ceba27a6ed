//! Commands that need no registry: version, help, usage errors, and the
//! committed completions and man pages being current.

use crate::support::{walk_files, Berth};
use std::path::Path;

#[test]
fn version_prints_version() {
    let b = Berth::new();
    let out = b.ok(&["version"]);
    assert!(
        out.stdout.contains(env!("CARGO_PKG_VERSION")),
        "version output lacks {}:\n{out}",
        env!("CARGO_PKG_VERSION")
    );
    assert!(out.stderr.is_empty(), "{out}");
}

#[test]
fn help_exits_zero_and_lists_commands() {
    let b = Berth::new();
    let out = b.ok(&["--help"]);
    for cmd in ["pull", "push", "images", "rmi", "login", "image"] {
        assert!(out.stdout.contains(cmd), "--help lacks {cmd}:\n{out}");
    }
    assert!(
        !out.stdout.contains("internal"),
        "hidden command shown:\n{out}"
    );
}

#[test]
fn image_help_exits_zero() {
    let b = Berth::new();
    let out = b.ok(&["image", "--help"]);
    for cmd in [
        "ls", "pull", "push", "tag", "rm", "inspect", "history", "prune",
    ] {
        assert!(out.stdout.contains(cmd), "image --help lacks {cmd}:\n{out}");
    }
}

#[test]
fn unknown_flag_is_usage_error_125() {
    let b = Berth::new();
    let out = b.code(&["images", "--no-such-flag"], 125);
    assert!(out.stderr.contains("--no-such-flag"), "{out}");
}

#[test]
fn unknown_command_is_usage_error_125() {
    let b = Berth::new();
    b.code(&["no-such-command"], 125);
}

#[test]
fn missing_argument_is_usage_error_125() {
    let b = Berth::new();
    b.code(&["pull"], 125);
}

#[test]
fn gen_docs_match_committed_copies() {
    let b = Berth::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = b.base().join("gen");
    let (comp, man) = (tmp.join("completions"), tmp.join("man"));
    b.ok(&[
        "internal",
        "gen-docs",
        "--completions",
        comp.to_str().unwrap(),
        "--man",
        man.to_str().unwrap(),
    ]);
    let hint = "refresh with `cargo run -- internal gen-docs` and commit completions/ and man/";
    let mut problems = Vec::new();
    for (generated, committed) in [(&comp, repo.join("completions")), (&man, repo.join("man"))] {
        let gen_files = relative(generated, &walk_files(generated));
        let com_files = relative(&committed, &walk_files(&committed));
        assert!(
            !gen_files.is_empty(),
            "gen-docs wrote nothing into {}",
            generated.display()
        );
        for f in &gen_files {
            if !com_files.contains(f) {
                problems.push(format!("missing from {}: {f}", committed.display()));
            } else if std::fs::read(generated.join(f)).unwrap()
                != std::fs::read(committed.join(f)).unwrap()
            {
                problems.push(format!("out of date: {}", committed.join(f).display()));
            }
        }
        for f in &com_files {
            if !gen_files.contains(f) {
                problems.push(format!(
                    "no longer generated: {}",
                    committed.join(f).display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}\n{hint}", problems.join("\n"));
}

fn relative(root: &Path, files: &[std::path::PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|f| f.strip_prefix(root).unwrap().to_string_lossy().into_owned())
        .collect()
}
