//! Hostile layers (`../` names, absolute names, symlinks and hardlinks that
//! point out of the root) must never create or change anything outside the
//! snapshot they unpack into. Whether berth refuses the layer or clamps the
//! paths into the root (as containerd does) is its choice; the sentinel dir
//! these layers aim at and the test's temp dir must stay untouched.

use crate::require;
use crate::support::fixtures::{self, Fixture};
use crate::support::require::Need;
use crate::support::{serve, walk_all};

fn pull_hostile(name: &str) {
    let fx: &Fixture = fixtures::malicious()
        .iter()
        .find(|f| f.name == name)
        .unwrap();
    let s = serve(fx);
    let out = s.berth.run(&["pull", &s.image]);
    assert!(out.code == 0 || out.code == 1, "berth crashed:\n{out}");
    if out.code != 0 {
        assert!(out.stderr.contains("berth: "), "{out}");
        assert!(
            s.berth.image_ids().is_empty(),
            "refused image still recorded"
        );
    }
    fixtures::check_sentinel();
    // Escaped names may exist only inside the hostile layer's own snapshot.
    let evil_snapshot = s.berth.snapshot_dir(&fx.image().chain_ids()[1]);
    for p in walk_all(s.berth.base()) {
        let n = p.file_name().unwrap().to_string_lossy();
        if !n.starts_with("escape-") && !n.starts_with("evil-") {
            continue;
        }
        let inside = evil_snapshot.as_ref().is_some_and(|d| p.starts_with(d));
        assert!(
            inside,
            "{} written outside the layer's snapshot\n{out}",
            p.display()
        );
    }
    for p in walk_all(&s.berth.snapshots_dir()) {
        if let Ok(md) = std::fs::metadata(&p) {
            use std::os::unix::fs::MetadataExt;
            let sentinel = std::fs::metadata(fixtures::sentinel_dir().join("passwd")).unwrap();
            assert!(
                !(md.ino() == sentinel.ino() && md.dev() == sentinel.dev()),
                "{} is the sentinel file",
                p.display()
            );
        }
    }
}

#[test]
fn pull_layer_with_dotdot_names_stays_inside() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    pull_hostile("evil-dotdot");
}

#[test]
fn pull_layer_with_absolute_names_stays_inside() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    pull_hostile("evil-abs");
}

#[test]
fn pull_layer_writing_through_symlinks_stays_inside() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    pull_hostile("evil-symlink");
}

#[test]
fn pull_layer_hardlinking_outside_stays_inside() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    pull_hostile("evil-hardlink");
}
