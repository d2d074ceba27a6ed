//! A deleted or damaged metadata database (issue 7, "A deleted or corrupted
//! database hides running containers"): with `berth.db` deleted, overwritten
//! or truncated while a container runs, every command exits 125 naming the
//! file and what was found, nothing is created in its place (no empty `ps`,
//! no second container of the same name), and restoring the file from a
//! backup brings the running container back into view.

use crate::containers::Lab;
use crate::require;
use crate::support::{Berth, Out};
use std::path::PathBuf;

/// A lab with one running container `name`, and a copy of its database.
fn running(what: &str) -> (Lab, String, PathBuf, Vec<u8>) {
    let lab = Lab::new();
    let name = lab.name(what);
    lab.run_d(&["--name", &name], &["sleep", "1000"]);
    let db = lab.b().data_root.join("berth.db");
    let mut wal = db.clone().into_os_string();
    wal.push("-wal");
    assert!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0,
        "a WAL is pending after every berth process closed the database"
    );
    let backup = std::fs::read(&db).unwrap();
    (lab, name, db, backup)
}

#[track_caller]
fn assert_refused(out: &Out, db: &std::path::Path, what: &str) {
    assert_eq!(out.code, 125, "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    let e = &out.stderr;
    assert!(e.contains(&db.display().to_string()), "{out}");
    assert!(e.contains(what), "{out}");
    assert!(e.contains("Restore berth.db from a backup"), "{out}");
}

/// Nothing made in the database's place: the name of the running container
/// is not handed out again, and no container directory is added.
#[track_caller]
fn assert_nothing_created(lab: &Lab, name: &str, what: &str) {
    let dirs = || {
        std::fs::read_dir(lab.b().data_root.join("containers"))
            .unwrap()
            .count()
    };
    let before = dirs();
    let out = lab.run(&["-d", "--name", name], &["true"]);
    assert_refused(&out, &lab.b().data_root.join("berth.db"), what);
    assert_eq!(dirs(), before, "a container was created:\n{out}");
}

fn restore_and_see(lab: &Lab, db: &std::path::Path, backup: &[u8], name: &str) {
    std::fs::write(db, backup).unwrap();
    let ps = lab.ps(&[]);
    assert!(
        ps.iter().any(|(n, s, _)| n == name && s == "running"),
        "{ps:?}"
    );
    lab.b().ok(&["rm", "-f", name]);
    lab.assert_clean();
}

#[test]
fn deleted_db_while_a_container_runs_is_an_error_not_an_empty_list() {
    require!(@containers);
    let (lab, name, db, backup) = running("lostdb");
    std::fs::remove_file(&db).unwrap();
    for args in [&["ps", "-a"][..], &["ps"], &["images"], &["volume", "ls"]] {
        let out = lab.b().run(args);
        assert_refused(&out, &db, "is missing");
        assert!(out.stderr.contains("1 container directory"), "{out}");
        assert!(out.stderr.contains("shim in the state root"), "{out}");
    }
    assert_nothing_created(&lab, &name, "is missing");
    assert!(!db.exists(), "berth made a new database");
    // An empty file in its place is no better.
    std::fs::write(&db, "").unwrap();
    assert_refused(&lab.b().run(&["ps", "-a"]), &db, "is empty");
    restore_and_see(&lab, &db, &backup, &name);
}

#[test]
fn garbage_db_is_refused_not_replaced() {
    require!(@containers);
    let (lab, name, db, backup) = running("garbagedb");
    let garbage: Vec<u8> = (0..backup.len()).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();
    for args in [&["ps", "-a"][..], &["inspect", &name]] {
        assert_refused(&lab.b().run(args), &db, "not an SQLite database");
    }
    assert_nothing_created(&lab, &name, "not an SQLite database");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        garbage,
        "berth rewrote the file"
    );
    restore_and_see(&lab, &db, &backup, &name);
}

#[test]
fn truncated_db_is_refused() {
    require!(@containers);
    let (lab, name, db, backup) = running("truncdb");
    std::fs::write(&db, &backup[..backup.len() / 2]).unwrap();
    let out = lab.b().run(&["ps", "-a"]);
    assert_refused(&out, &db, "truncated");
    assert_nothing_created(&lab, &name, "truncated");
    // Cut inside the header: not a database at all.
    std::fs::write(&db, &backup[..60]).unwrap();
    assert_refused(&lab.b().run(&["ps", "-a"]), &db, "not an SQLite database");
    restore_and_see(&lab, &db, &backup, &name);
}

#[test]
fn a_new_data_root_still_initialises() {
    // Missing, and made beforehand with `mkdir -p`: both start afresh.
    for premade in [false, true] {
        let b = Berth::new();
        if premade {
            std::fs::create_dir_all(&b.data_root).unwrap();
        }
        let out = b.ok(&["ps", "-a"]);
        assert!(out.stdout.starts_with("CONTAINER ID"), "{out}");
        b.ok(&["volume", "ls"]);
        assert!(b.data_root.join("berth.db").exists());
    }
}
