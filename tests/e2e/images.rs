//! `images` (columns, -q, --format, --digests, --no-trunc, filters), `tag`,
//! `rmi`, `image prune`, `history` and `inspect` on pulled images.

use crate::require;
use crate::support::fixtures;
use crate::support::require::Need;
use crate::support::{serve, skopeo, Served};

/// Serve and pull the busybox fixture.
fn pulled() -> Served {
    let s = serve(fixtures::busybox());
    s.berth.ok(&["pull", "-q", &s.image]);
    s
}

/// Columns of a table line (split on runs of 2+ spaces, like Go's tabwriter output).
fn columns(line: &str) -> Vec<String> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn images_table_columns() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let out = s.berth.ok(&["images"]);
    let lines = out.lines();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(
        columns(lines[0]),
        ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"],
        "{out}"
    );
    let row = columns(lines[1]);
    assert_eq!(row.len(), 5, "{out}");
    assert_eq!(row[0], s.name);
    assert_eq!(row[1], "v1");
    assert_eq!(row[2], fixtures::busybox().image().short_id());
    // Column starts line up between header and row.
    let col = |l: &str, w: &str| l.find(w).unwrap();
    assert_eq!(col(lines[0], "TAG"), col(lines[1], "v1"), "{out}");
}

#[test]
fn images_quiet_prints_short_ids() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let out = s.berth.ok(&["images", "-q"]);
    assert_eq!(
        out.lines(),
        [fixtures::busybox().image().short_id()],
        "{out}"
    );
}

#[test]
fn images_no_trunc_prints_full_ids() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let out = s.berth.ok(&["images", "--no-trunc", "-q"]);
    assert_eq!(
        out.lines(),
        [fixtures::busybox().image().config_digest.as_str()],
        "{out}"
    );
}

#[test]
fn images_format_template() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let out = s
        .berth
        .ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert_eq!(out.lines(), [s.image.as_str()], "{out}");
}

#[test]
fn images_format_json_lines() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let out = s.berth.ok(&["images", "--format", "{{json .}}"]);
    let v: serde_json::Value = serde_json::from_str(out.lines()[0]).unwrap();
    assert_eq!(v["Repository"], s.name);
    assert_eq!(v["Tag"], "v1");
    assert_eq!(v["ID"], fixtures::busybox().image().short_id());
}

#[test]
fn images_digests_column() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let out = s.berth.ok(&["images", "--digests"]);
    let lines = out.lines();
    assert_eq!(
        columns(lines[0]),
        ["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"],
        "{out}"
    );
    assert_eq!(columns(lines[1])[2], s.digest, "{out}");
}

#[test]
fn images_filter_reference_and_positional() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let other = crate::support::unique("other");
    skopeo::push(fixtures::multilayer(), &s.reg, &other, "v1");
    let other_image = s.reg.image(&other, "v1");
    s.berth.ok(&["pull", "-q", &other_image]);
    let fmt = ["--format", "{{.Repository}}:{{.Tag}}"];
    let all = s.berth.ok(&["images", fmt[0], fmt[1]]);
    assert_eq!(all.lines().len(), 2, "{all}");
    let filtered = s.berth.ok(&[
        "images",
        "--filter",
        &format!("reference={}", s.name),
        fmt[0],
        fmt[1],
    ]);
    assert_eq!(filtered.lines(), [s.image.as_str()], "{filtered}");
    let positional = s.berth.ok(&[
        "images",
        &format!("{}/{other}", s.reg.host()),
        fmt[0],
        fmt[1],
    ]);
    assert_eq!(positional.lines(), [other_image.as_str()], "{positional}");
    let dangling = s.berth.ok(&["images", "-q", "--filter", "dangling=true"]);
    assert!(dangling.lines().is_empty(), "{dangling}");
}

#[test]
fn images_bad_filter_fails() {
    let b = crate::support::Berth::new();
    let out = b.code(&["images", "--filter", "nonsense=1"], 1);
    assert!(out.stderr.contains("nonsense"), "{out}");
    // Without `=` it is a flag error for docker-cli, which exits 125.
    let out = b.code(&["images", "--filter", "dangling"], 125);
    let msg = "invalid argument \"dangling\" for \"-f, --filter\" flag: bad format of filter (expected name=value)";
    assert!(out.stderr.contains(msg), "{out}");
    b.code(&["ps", "--filter", "status"], 125);
}

#[test]
fn tag_adds_a_name() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    s.berth.ok(&["tag", &s.image, "localname:t2"]);
    let out = s
        .berth
        .ok(&["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"]);
    let id = fixtures::busybox().image().short_id();
    let mut lines = out.lines();
    lines.sort();
    let mut want = vec![format!("localname:t2 {id}"), format!("{} {id}", s.image)];
    want.sort();
    assert_eq!(lines, want, "{out}");
}

#[test]
fn tag_missing_source_fails() {
    let b = crate::support::Berth::new();
    let out = b.code(&["tag", "nosuchimage:v1", "other:v2"], 1);
    assert!(
        out.stderr.contains("No such image: nosuchimage:v1"),
        "{out}"
    );
}

#[test]
fn rmi_by_name_untags_then_deletes() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    s.berth.ok(&["tag", &s.image, "second:v1"]);
    let out = s.berth.ok(&["rmi", "second:v1"]);
    assert!(out.stdout.contains("Untagged: second:v1"), "{out}");
    assert!(
        !out.stdout.contains("Deleted:"),
        "image still tagged:\n{out}"
    );
    assert_eq!(s.berth.image_ids().len(), 1);
    let out = s.berth.ok(&["rmi", &s.image]);
    assert!(
        out.stdout.contains(&format!("Untagged: {}", s.image)),
        "{out}"
    );
    assert!(
        out.stdout.contains(&format!(
            "Deleted: {}",
            fixtures::busybox().image().config_digest
        )),
        "{out}"
    );
    assert!(s.berth.image_ids().is_empty());
}

#[test]
fn rmi_by_short_id() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    s.berth.ok(&["rmi", fixtures::busybox().image().short_id()]);
    assert!(s.berth.image_ids().is_empty());
}

#[test]
fn rmi_id_with_several_tags_needs_force() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    s.berth.ok(&["tag", &s.image, "second:v1"]);
    let id = fixtures::busybox().image().short_id();
    let out = s.berth.code(&["rmi", id], 1);
    assert!(out.stderr.contains("must be forced"), "{out}");
    s.berth.ok(&["rmi", "-f", id]);
    assert!(s.berth.image_ids().is_empty());
}

#[test]
fn rmi_missing_is_no_such_image() {
    let b = crate::support::Berth::new();
    let out = b.code(&["rmi", "nosuchimage"], 1);
    assert!(out.stderr.contains("No such image: nosuchimage"), "{out}");
}

#[test]
fn image_prune_all_leaves_nothing_behind() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let other = crate::support::unique("other");
    skopeo::push(fixtures::multilayer(), &s.reg, &other, "v1");
    s.berth.ok(&["pull", "-q", &s.reg.image(&other, "v1")]);
    s.berth.ok(&["image", "prune", "-a", "-f"]);
    assert!(s.berth.image_ids().is_empty());
    assert_eq!(s.berth.committed_blobs(), Vec::<String>::new());
    for fx in [fixtures::busybox(), fixtures::multilayer()] {
        for chain in fx.image().chain_ids() {
            assert!(
                s.berth.snapshot_dir(&chain).is_none(),
                "snapshot {chain} left behind"
            );
        }
    }
    let leftovers: Vec<_> = crate::support::walk_files(&s.berth.snapshots_dir())
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".lock"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "files left under snapshots/: {leftovers:?}"
    );
}

#[test]
fn history_lists_layers_newest_first() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let fx = fixtures::multilayer();
    let s = serve(fx);
    s.berth.ok(&["pull", "-q", &s.image]);
    let out = s.berth.ok(&["history", "--no-trunc", &s.image]);
    let lines = out.lines();
    assert_eq!(
        columns(lines[0]),
        ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"],
        "{out}"
    );
    let rows = &lines[1..];
    assert_eq!(rows.len(), fx.image().history.len(), "{out}");
    for (row, by) in rows.iter().zip(fx.image().history.iter().rev()) {
        assert!(row.contains(by.as_str()), "row {row:?} lacks {by:?}\n{out}");
    }
    assert!(rows[0].contains(&fx.image().config_digest), "{out}");
}

#[test]
fn inspect_generic_finds_images() {
    require!(Need::Root, Need::Busybox, Need::Skopeo, Need::Registry);
    let s = pulled();
    let out = s.berth.ok(&["inspect", "--format", "{{.Id}}", &s.image]);
    assert_eq!(
        out.lines(),
        [fixtures::busybox().image().config_digest.as_str()]
    );
}

#[test]
fn image_inspect_missing_is_no_such_image() {
    let b = crate::support::Berth::new();
    let out = b.code(&["image", "inspect", "nosuchimage"], 1);
    assert!(out.stderr.contains("No such image: nosuchimage"), "{out}");
}
