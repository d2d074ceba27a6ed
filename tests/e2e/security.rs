//! Security cases through the binary with the real runtime (issue 7,
//! "Security"): images and volumes whose mount destinations are symlinks to
//! host paths. Each case aims its hostile image at a host directory of its
//! own and checks that the runtime left nothing in it.

use crate::containers::Lab;
use crate::require;
use crate::support::fixtures::{self, RawTar};
use crate::support::{skopeo, unique};
use std::path::Path;

/// Push `fx` into the lab's registry and pull it; the reference.
fn add_image(lab: &Lab, fx: &fixtures::Fixture) -> String {
    let repo = unique(fx.name);
    skopeo::push(fx, &lab.s.reg, &repo, "v1");
    let image = lab.s.reg.image(&repo, "v1");
    lab.b().ok(&["pull", "-q", &image]);
    image
}

#[track_caller]
fn assert_empty(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.is_empty(),
        "written on the host in {}: {left:?}",
        dir.display()
    );
}

#[test]
fn image_symlinks_at_default_destinations_stay_inside() {
    require!(@containers);
    let lab = Lab::new();
    let host = crate::support::temp_dir("hostile-dest");
    let h = host.path().display().to_string();
    let up = "../".repeat(16);
    let hr = h.trim_start_matches('/');
    // Two images: runc refuses a symlink at /proc before it gets to /dev.
    let mut t = RawTar::new();
    t.symlink("dev", &h)
        .symlink("etc/hosts", &format!("{h}/hosts"))
        .symlink("etc/hostname", &format!("{up}{hr}/hostname"))
        .symlink("etc/resolv.conf", &format!("{h}/resolv.conf"))
        .symlink("mnt", &h);
    let image = add_image(&lab, &fixtures::on_busybox("hostile-dev", t.layer()));
    let mut t = RawTar::new();
    t.symlink("dev", &format!("{up}{hr}"))
        .symlink("proc", &format!("{up}{hr}"))
        .symlink("sys", &format!("{h}/sys"));
    let image2 = add_image(&lab, &fixtures::on_busybox("hostile-proc", t.layer()));

    for img in [&image, &image2] {
        let out = lab.b().run(&[
            "run",
            "--rm",
            img,
            "sh",
            "-c",
            "test -c /dev/null && test -e /proc/self/stat && test -d /sys/fs && cat /etc/hostname",
        ]);
        assert_empty(host.path());
        assert_eq!(out.code, 0, "{out}");
    }

    // A user's destinations through an image symlink resolve in the root:
    // a volume, a bind, a tmpfs and a file bind under /mnt -> <host dir>.
    let src = crate::support::temp_dir("hostile-src");
    std::fs::write(src.path().join("f"), "file\n").unwrap();
    let vol = unique("hv");
    let out = lab.b().run(&[
        "run",
        "--rm",
        "-v",
        &format!("{vol}:/mnt/vol"),
        "-v",
        &format!("{}:/mnt/bind", src.path().display()),
        "-v",
        &format!("{}/f:/mnt/file", src.path().display()),
        "--tmpfs",
        "/mnt/tmp",
        &image,
        "sh",
        "-c",
        &format!("cat {h}/file && test -d {h}/vol && test -d /mnt/tmp"),
    ]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "file\n");
    assert_empty(host.path());
    lab.b().ok(&["volume", "rm", &vol]);
}
