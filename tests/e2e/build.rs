//! `berth build` through the binary over the busybox fixture (pulled from
//! the case's loopback registry): every instruction in small Dockerfiles,
//! a failing RUN (docker's message, exit 1, nothing tagged, no container,
//! mount or snapshot left), `--target` and stage skipping, the cache (an
//! unchanged rebuild is all hits; `--no-cache`), `history`/`inspect` shaped
//! like docker's, the built image runs, and the devcontainers UID Dockerfile.
//! RUN steps use the case's own default bridge (the harness's 10.1xx.n.0/24).

use crate::containers::Lab;
use crate::require;
use serde_json::Value;
use std::path::Path;

/// A context directory holding `files` (name, contents).
fn context(lab: &Lab, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = lab.b().base().join(crate::support::unique("ctx"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, body) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    dir
}

fn build(lab: &Lab, dir: &Path, flags: &[&str]) -> crate::support::berth::Out {
    let mut args = vec!["build"];
    args.extend_from_slice(flags);
    let d = dir.to_string_lossy().into_owned();
    args.push(&d);
    lab.b().run(&args)
}

fn inspect(lab: &Lab, image: &str) -> Value {
    let out = lab.b().ok(&["image", "inspect", image]);
    serde_json::from_str::<Value>(&out.stdout).unwrap()[0].clone()
}

/// No container record, mount or build snapshot is left.
#[track_caller]
fn nothing_left(lab: &Lab) {
    assert_eq!(lab.all_ids(), Vec::<String>::new(), "containers left");
    assert_eq!(lab.mounts(), Vec::<String>::new(), "mounts left");
    let snaps = lab.b().snapshots_dir().join("containers");
    let left: Vec<_> = std::fs::read_dir(&snaps)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "snapshots left: {left:?}");
}

#[test]
fn metadata_and_run_instructions() {
    require!(@containers);
    let lab = Lab::new();
    let df = format!(
        "# syntax=docker/dockerfile:1\n\
         FROM {img}\n\
         LABEL org.example.a=\"one two\" b=2\n\
         MAINTAINER someone <s@example.com>\n\
         ENV GREETING=hello \\\n    TARGET=world\n\
         ARG WHO=${{TARGET}}\n\
         ARG BUILT_BY\n\
         RUN echo \"$GREETING $WHO\" > /greeting && echo \"by=$BUILT_BY\" >> /greeting\n\
         RUN [\"/bin/sh\", \"-c\", \"echo exec-form > /exec\"]\n\
         RUN <<EOF\n\
         echo heredoc > /heredoc\n\
         rm /bin/ls\n\
         EOF\n\
         WORKDIR /app/sub\n\
         WORKDIR ..\n\
         RUN pwd > /pwd\n\
         SHELL [\"/bin/sh\", \"-ec\"]\n\
         RUN echo shell-form-with-$0 > /shell\n\
         USER 1000:1000\n\
         EXPOSE 8080 53/udp\n\
         VOLUME /data\n\
         STOPSIGNAL SIGINT\n\
         HEALTHCHECK --interval=5s CMD true\n\
         ONBUILD RUN echo triggered > /tmp/onbuild\n\
         ENTRYPOINT [\"/bin/sh\", \"-c\"]\n\
         CMD [\"cat /greeting /exec /heredoc /pwd /shell; id -u; ls /bin/ls 2>&1 || true\"]\n",
        img = lab.image()
    );
    let dir = context(&lab, &[("Dockerfile", &df)]);
    let tag = crate::support::unique("meta").to_lowercase();
    let out = build(
        &lab,
        &dir,
        &[
            "-t",
            &tag,
            "--build-arg",
            "BUILT_BY=e2e",
            "--label",
            "extra=yes",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("syntax directive"), "{out}");
    assert!(out.stdout.contains("Step 1/"), "{out}");
    assert!(out.stdout.contains(" ---> Running in "), "{out}");
    let id_line = out
        .lines()
        .into_iter()
        .find(|l| l.starts_with("Successfully built "))
        .unwrap()
        .to_string();
    assert!(
        out.stdout
            .contains(&format!("Successfully tagged {tag}:latest")),
        "{out}"
    );
    let i = inspect(&lab, &tag);
    assert!(i["Id"].as_str().unwrap()[7..].starts_with(&id_line["Successfully built ".len()..]));
    let c = &i["Config"];
    assert_eq!(c["Labels"]["org.example.a"], "one two");
    assert_eq!(c["Labels"]["b"], "2");
    assert_eq!(c["Labels"]["extra"], "yes");
    assert_eq!(i["Author"], "someone <s@example.com>");
    let env: Vec<String> = serde_json::from_value(c["Env"].clone()).unwrap();
    assert!(env.contains(&"GREETING=hello".to_string()), "{env:?}");
    assert!(
        !env.iter().any(|e| e.starts_with("WHO=")),
        "ARGs stay out of the env: {env:?}"
    );
    assert_eq!(c["WorkingDir"], "/app");
    assert_eq!(c["User"], "1000:1000");
    assert!(c["ExposedPorts"]["8080/tcp"].is_object());
    assert!(c["ExposedPorts"]["53/udp"].is_object());
    assert!(c["Volumes"]["/data"].is_object());
    assert_eq!(c["StopSignal"], "SIGINT");
    assert_eq!(c["Healthcheck"]["Test"][0], "CMD-SHELL");
    assert_eq!(c["OnBuild"][0], "RUN echo triggered > /tmp/onbuild");
    assert_eq!(c["Shell"][1], "-ec");
    // The built image runs.
    let run = lab.b().ok(&["run", "--rm", &tag]);
    assert_eq!(
        run.stdout,
        "hello world\nby=e2e\nexec-form\nheredoc\n/app\nshell-form-with-/bin/sh\n1000\nls: /bin/ls: No such file or directory\n",
        "{run}"
    );
    // History: one entry per step, layers only for RUN and a created WORKDIR.
    let h = lab.b().ok(&[
        "history",
        "--no-trunc",
        "--format",
        "{{.CreatedBy}}|{{.Size}}",
        &tag,
    ]);
    let lines = h.lines();
    assert!(
        lines[0].starts_with("/bin/sh -c #(nop)  LABEL extra"),
        "{h}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("|1 BUILT_BY=e2e /bin/sh -c echo \"$GREETING $WHO\""))
            || lines
                .iter()
                .any(|l| l.contains("BUILT_BY=e2e") && l.contains("/bin/sh -c echo")),
        "{h}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("/bin/sh -c #(nop)  ENV GREETING=hello TARGET=world|0B")),
        "{h}"
    );
    nothing_left(&lab);

    // An image built FROM it runs its ONBUILD trigger first.
    let child = context(
        &lab,
        &[(
            "Dockerfile",
            &format!("FROM {tag}\nUSER root\nRUN test -f /tmp/onbuild\n"),
        )],
    );
    let out = build(&lab, &child, &["-q", "-t", "child"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.trim().starts_with("sha256:") && out.stdout.lines().count() == 1,
        "{out}"
    );
    let ci = inspect(&lab, "child");
    assert!(
        ci["Config"]["OnBuild"].is_null(),
        "triggers are not inherited: {ci}"
    );
    nothing_left(&lab);
}

#[test]
fn failing_run_tags_nothing_and_leaves_nothing() {
    require!(@containers);
    let lab = Lab::new();
    let dir = context(
        &lab,
        &[(
            "Dockerfile",
            &format!(
                "FROM {}\nRUN echo before\nRUN echo out; exit 3\nRUN echo never\n",
                lab.image()
            ),
        )],
    );
    let out = build(&lab, &dir, &["-t", "broken"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3"),
        "{out}"
    );
    assert!(out.stdout.contains("out\n"), "{out}");
    assert!(!out.stdout.contains("never\n"), "{out}");
    assert_ne!(lab.b().run(&["image", "inspect", "broken"]).code, 0);
    nothing_left(&lab);
    // BuildKit's wording with --progress plain.
    let out = build(&lab, &dir, &["--progress", "plain"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains(
            "process \"/bin/sh -c echo out; exit 3\" did not complete successfully: exit code: 3"
        ),
        "{out}"
    );
    assert!(
        out.stderr.contains("CACHED"),
        "the first RUN is cached: {out}"
    );
    nothing_left(&lab);
    // Parse errors name the line.
    let bad = context(&lab, &[("Dockerfile", "FROM scratch\n\nFOO bar\n")]);
    let out = build(&lab, &bad, &[]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("dockerfile parse error on line 3: unknown instruction: FOO"),
        "{out}"
    );
}

#[test]
fn cached_rebuild_and_no_cache() {
    require!(@containers);
    let lab = Lab::new();
    let df = format!(
        "FROM {}\nENV A=1\nRUN date +%s%N > /stamp\nCMD [\"cat\", \"/stamp\"]\n",
        lab.image()
    );
    let dir = context(&lab, &[("Dockerfile", &df)]);
    let first = build(&lab, &dir, &["-q"]);
    assert_eq!(first.code, 0, "{first}");
    let again = build(&lab, &dir, &[]);
    assert_eq!(again.code, 0, "{again}");
    assert_eq!(
        again.stdout.matches(" ---> Using cache").count(),
        3,
        "{again}"
    );
    assert!(!again.stdout.contains("Running in"), "{again}");
    assert!(
        again.stdout.contains(&format!(
            "Successfully built {}",
            &first.stdout.trim()[7..19]
        )),
        "{again}"
    );
    let fresh = build(&lab, &dir, &["-q", "--no-cache"]);
    assert_eq!(fresh.code, 0, "{fresh}");
    assert_ne!(fresh.stdout, first.stdout);
    // A changed build arg the RUN sees misses from there on.
    let df2 = format!("FROM {}\nARG V=1\nRUN echo $V > /v\n", lab.image());
    let dir2 = context(&lab, &[("Dockerfile", &df2)]);
    assert_eq!(build(&lab, &dir2, &[]).code, 0);
    let out = build(&lab, &dir2, &["--build-arg", "V=2"]);
    assert!(out.stdout.contains("Running in"), "{out}");
    // The proxy args reach RUN undeclared, and stay out of the history.
    let df3 = format!(
        "FROM {}\nRUN test \"$HTTP_PROXY\" = http://p.invalid:1\n",
        lab.image()
    );
    let dir3 = context(&lab, &[("Dockerfile", &df3)]);
    let out = build(
        &lab,
        &dir3,
        &[
            "-t",
            "proxied",
            "--build-arg",
            "HTTP_PROXY=http://p.invalid:1",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(!out.stdout.contains("not consumed"), "{out}");
    let h = lab.b().ok(&["history", "--no-trunc", "proxied"]);
    assert!(
        !h.stdout.contains("HTTP_PROXY=") && !h.stdout.contains("|1 "),
        "{h}"
    );
    // system df counts every layer the cache names (Docker's SIZE), not
    // only the bytes no image shares.
    let df = lab.b().ok(&["system", "df"]);
    let row = df
        .stdout
        .lines()
        .find(|l| l.starts_with("Build Cache"))
        .unwrap_or_default()
        .to_string();
    let size = row.split_whitespace().nth(4).unwrap_or_default();
    assert!(size != "0B" && !size.is_empty(), "{df}");
    // Filters: recently used entries survive until=24h; bad filters fail.
    let p = lab
        .b()
        .ok(&["builder", "prune", "-f", "--filter", "until=24h"]);
    assert!(p.stdout.starts_with("Total:"), "{p}");
    let out = build(&lab, &dir2, &[]);
    assert!(!out.stdout.contains("Running in"), "{out}");
    // system df -v lists the entries with Docker's columns; the rebuild
    // used each of dir2's steps a second time, and the RUN layer is the
    // image's too.
    let v = lab.b().ok(&["system", "df", "-v"]);
    let section = v.stdout.split("Build cache usage:").nth(1).unwrap_or("");
    assert!(
        [
            "CACHE ID",
            "CACHE TYPE",
            "SIZE",
            "CREATED",
            "LAST USED",
            "USAGE",
            "SHARED"
        ]
        .iter()
        .all(|h| section.contains(h)),
        "{v}"
    );
    let rows: Vec<Vec<&str>> = section
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some("regular"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(!rows.is_empty(), "{v}");
    assert!(
        rows.iter()
            .any(|r| r[r.len() - 1] == "true" && r[r.len() - 2].parse::<u64>().unwrap_or(0) >= 2),
        "{v}"
    );
    let bad = lab
        .b()
        .run(&["builder", "prune", "-f", "--filter", "bogus=1"]);
    assert_ne!(bad.code, 0, "{bad}");
    assert!(bad.stderr.contains("invalid filter 'bogus'"), "{bad}");
    let bad = lab
        .b()
        .run(&["builder", "prune", "-f", "--filter", "until=soon"]);
    assert!(bad.stderr.contains("filter expects a duration"), "{bad}");
    // --keep-storage 0: nothing may stay.
    let p = lab
        .b()
        .ok(&["builder", "prune", "-f", "--keep-storage", "0"]);
    assert!(p.stdout.starts_with("Total:"), "{p}");
    let out = build(&lab, &dir2, &[]);
    assert!(out.stdout.contains("Running in"), "{out}");
    // builder prune frees the cache; the next build runs again.
    let p = lab.b().ok(&["builder", "prune", "-f"]);
    assert!(p.stdout.starts_with("Total:"), "{p}");
    let out = build(&lab, &dir2, &[]);
    assert!(out.stdout.contains("Running in"), "{out}");
    nothing_left(&lab);
}

#[test]
fn targets_and_stages() {
    require!(@containers);
    let lab = Lab::new();
    let df = format!(
        "ARG BASE={img}\n\
         FROM $BASE AS base\nRUN echo base > /base\n\
         FROM base AS unused\nRUN echo unused-stage-ran && exit 7\n\
         FROM base AS final\nRUN cat /base > /final\n\
         FROM scratch AS other\n",
        img = lab.image()
    );
    let dir = context(&lab, &[("Dockerfile", &df)]);
    let out = build(&lab, &dir, &["--target", "final", "-t", "final"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(!out.stdout.contains("unused-stage-ran"), "{out}");
    assert_eq!(
        lab.b()
            .ok(&["run", "--rm", "final", "cat", "/final"])
            .stdout,
        "base\n"
    );
    let out = build(&lab, &dir, &["--target", "nope"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("target stage \"nope\" could not be found"),
        "{out}"
    );
    let out = build(&lab, &dir, &["--platform", "linux/s390x"]);
    assert_ne!(out.code, 0);
    nothing_left(&lab);
}

/// The devcontainers CLI's UID update: a derived image whose user's UID
/// matches the host user's.
#[test]
fn devcontainers_uid_update() {
    require!(@containers);
    let lab = Lab::new();
    let df = "ARG BASE_IMAGE\n\
              FROM $BASE_IMAGE\n\
              USER root\n\
              ARG REMOTE_USER\n\
              ARG NEW_UID\n\
              ARG NEW_GID\n\
              SHELL [\"/bin/sh\", \"-c\"]\n\
              RUN eval $(sed -n \"s/${REMOTE_USER}:[^:]*:\\([^:]*\\):\\([^:]*\\):[^:]*:\\([^:]*\\).*/OLD_UID=\\1;OLD_GID=\\2;HOME_FOLDER=\\3/p\" /etc/passwd); \\\n\
                  if [ -z \"$OLD_UID\" ]; then echo \"Remote user not found in /etc/passwd ($REMOTE_USER).\"; exit 1; fi; \\\n\
                  sed -i -e \"s/\\(${REMOTE_USER}:[^:]*:\\)[^:]*:[^:]*/\\1${NEW_UID}:${NEW_GID}/\" /etc/passwd\n\
              ARG IMAGE_USER\n\
              USER $IMAGE_USER\n";
    let dir = context(&lab, &[("Dockerfile", df)]);
    let base = format!("BASE_IMAGE={}", lab.image());
    let out = build(
        &lab,
        &dir,
        &[
            "-t",
            "dev-uid",
            "--build-arg",
            &base,
            "--build-arg",
            "REMOTE_USER=nobody",
            "--build-arg",
            "NEW_UID=4242",
            "--build-arg",
            "NEW_GID=4343",
            "--build-arg",
            "IMAGE_USER=nobody",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let run = lab
        .b()
        .ok(&["run", "--rm", "dev-uid", "sh", "-c", "id -u; id -g; whoami"]);
    assert_eq!(run.stdout, "4242\n4343\nnobody\n", "{run}");
    nothing_left(&lab);
}

#[test]
fn copy_add_and_multistage() {
    require!(@containers);
    let lab = Lab::new();
    let df = format!(
        "FROM {img} AS build\n\
         WORKDIR /src\n\
         COPY hello.txt ./\n\
         COPY dir/ /src/dir/\n\
         COPY --chown=nobody:nogroup --chmod=640 hello.txt /owned\n\
         ADD archive.tar /unpacked/\n\
         COPY <<EOF /src/heredoc.txt\n\
         made by ${{HOSTNAME:-heredoc}}\n\
         EOF\n\
         RUN cat hello.txt dir/a dir/sub/b > /src/all\n\
         FROM {img}\n\
         COPY --from=build /src/all /all\n\
         COPY --from=0 /owned /unpacked/ /from0/\n\
         COPY --from={img} /bin/busybox /busybox-copy\n\
         CMD [\"sh\", \"-c\", \"cat /all; ls -ln /from0/owned | awk '{{print $1, $3, $4}}'; cat /from0/inner.txt; ls /from0 | sort | tr '\\\\n' ' '; test -x /busybox-copy && echo busybox-ok\"]\n",
        img = lab.image()
    );
    let dir = context(
        &lab,
        &[
            ("Dockerfile", &df),
            ("hello.txt", "hello\n"),
            ("dir/a", "a\n"),
            ("dir/sub/b", "b\n"),
            ("dir/ignored.log", "secret\n"),
            (".dockerignore", "**/*.log\n"),
        ],
    );
    // A tar to ADD.
    let tar_path = dir.join("archive.tar");
    {
        let f = std::fs::File::create(&tar_path).unwrap();
        let mut t = tar::Builder::new(f);
        let mut h = tar::Header::new_gnu();
        h.set_size(6);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_700_000_000);
        h.set_cksum();
        t.append_data(&mut h, "inner.txt", &b"inner\n"[..]).unwrap();
        t.finish().unwrap();
    }
    let out = build(&lab, &dir, &["-t", "copied"]);
    assert_eq!(out.code, 0, "{out}");
    let run = lab.b().ok(&["run", "--rm", "copied"]);
    assert_eq!(
        run.stdout, "hello\na\nb\n-rw-r----- 65534 65534\ninner\ninner.txt owned busybox-ok\n",
        "{run}"
    );
    let ls = lab.b().ok(&[
        "run",
        "--rm",
        "--entrypoint",
        "",
        "copied",
        "sh",
        "-c",
        "ls /from0",
    ]);
    assert!(!ls.stdout.contains("ignored.log"), "{ls}");
    // The build stage's files (and the .dockerignored one) are not in the final image.
    let probe = lab.b().run(&[
        "run",
        "--rm",
        "copied",
        "sh",
        "-c",
        "test -e /src/dir/ignored.log",
    ]);
    assert_ne!(probe.code, 0);

    // An unchanged rebuild is all cache hits; a changed copied file misses
    // from its step on.
    let again = build(&lab, &dir, &["-t", "copied"]);
    assert_eq!(again.code, 0, "{again}");
    assert!(!again.stdout.contains("Running in"), "{again}");
    let steps = again.stdout.matches("Step ").count();
    assert_eq!(
        again.stdout.matches(" ---> Using cache").count(),
        steps - 2,
        "every step but the two FROMs: {again}"
    );
    std::fs::write(dir.join("dir/a"), "A\n").unwrap();
    let changed = build(&lab, &dir, &["-t", "copied"]);
    assert_eq!(changed.code, 0, "{changed}");
    let after: Vec<&str> = changed.stdout.split("Step ").collect();
    let copy_dir = after
        .iter()
        .position(|s| s.contains(": COPY dir/"))
        .unwrap();
    assert!(after[copy_dir - 1].contains("Using cache"), "{changed}");
    assert!(!after[copy_dir].contains("Using cache"), "{changed}");
    assert!(
        after[copy_dir + 4].contains("Running in"),
        "the RUN after it reruns: {changed}"
    );
    assert!(lab
        .b()
        .ok(&["run", "--rm", "copied"])
        .stdout
        .starts_with("hello\nA\nb\n"));
    nothing_left(&lab);
}

#[test]
fn copy_errors_and_stdin() {
    require!(@containers);
    let lab = Lab::new();
    let df = format!("FROM {}\nCOPY missing.txt /x\n", lab.image());
    let dir = context(&lab, &[("Dockerfile", &df)]);
    let out = build(&lab, &dir, &[]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("file not found in build context or excluded by .dockerignore"),
        "{out}"
    );
    let df = format!("FROM {}\nCOPY ../outside /x\n", lab.image());
    let dir = context(&lab, &[("Dockerfile", &df)]);
    let out = build(&lab, &dir, &[]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("outside the build context"), "{out}");
    nothing_left(&lab);
    // A Dockerfile on stdin: an empty context.
    let df = format!("FROM {}\nRUN echo from-stdin > /s\n", lab.image());
    let out = lab
        .b()
        .run_stdin(&["build", "-t", "stdin-img", "-"], Some(&df));
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        lab.b()
            .ok(&["run", "--rm", "stdin-img", "cat", "/s"])
            .stdout,
        "from-stdin\n"
    );
    nothing_left(&lab);
}

/// The context rules through the binary: `.dockerignore` with a `!`
/// exception, symlinks copied as links (one naming the host's `/etc`, one
/// leaving the context) and never followed, and the same context sent as a
/// tar on stdin (`build -`) giving the same image content.
#[test]
fn context_ignore_exceptions_symlinks_and_a_tar_on_stdin() {
    require!(@containers);
    let lab = Lab::new();
    let df = format!(
        "FROM {}\nCOPY . /ctx/\nCMD [\"sh\", \"-c\", \"ls /ctx | busybox tr '\\\\n' ' '; busybox readlink /ctx/etc-link; busybox readlink /ctx/up-link\"]\n",
        lab.image()
    );
    let dir = context(
        &lab,
        &[
            ("Dockerfile", &df),
            (".dockerignore", "*.log\n!keep.log\n"),
            ("a.log", "ignored\n"),
            ("keep.log", "kept\n"),
            ("data.txt", "data\n"),
        ],
    );
    std::os::unix::fs::symlink("/etc", dir.join("etc-link")).unwrap();
    std::os::unix::fs::symlink("../../outside", dir.join("up-link")).unwrap();
    let want = "Dockerfile data.txt etc-link keep.log up-link /etc\n../../outside\n";

    let out = build(&lab, &dir, &["-t", "ctx-dir"]);
    assert_eq!(out.code, 0, "{out}");
    let run = lab.b().ok(&["run", "--rm", "ctx-dir"]);
    assert_eq!(run.stdout, want, "{run}");
    // The links were copied, not followed: no host file came along.
    let probe = lab.b().run(&[
        "run",
        "--rm",
        "ctx-dir",
        "sh",
        "-c",
        "test -L /ctx/etc-link && ! test -e /ctx/etc-link/hostname.copied && ! test -e /ctx/a.log",
    ]);
    assert_eq!(probe.code, 0, "{probe}");

    // The same context as a tar on stdin.
    let tar_path = lab.b().base().join("ctx.tar");
    {
        let mut t = tar::Builder::new(std::fs::File::create(&tar_path).unwrap());
        t.follow_symlinks(false);
        t.append_dir_all(".", &dir).unwrap();
        t.finish().unwrap();
    }
    let o = lab
        .b()
        .command(&["build", "-t", "ctx-tar", "-"])
        .stdin(std::fs::File::open(&tar_path).unwrap())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let run = lab.b().ok(&["run", "--rm", "ctx-tar"]);
    assert_eq!(run.stdout, want, "{run}");
    nothing_left(&lab);
}

#[test]
fn escape_directive_applies_to_dollar() {
    require!(@containers);
    let lab = Lab::new();
    let df = format!(
        "# escape=`\nFROM {}\nENV A=x\nENV B=`$A-$A C=\\$A\nLABEL l=`$A\nRUN echo one `\n  two > /f\n",
        lab.image()
    );
    let dir = context(&lab, &[("Dockerfile", &df)]);
    let out = build(&lab, &dir, &["-t", "escaped"]);
    assert_eq!(out.code, 0, "{out}");
    let img = inspect(&lab, "escaped");
    let env: Vec<&str> = img["Config"]["Env"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(env.contains(&"B=$A-x"), "{env:?}");
    assert!(env.contains(&"C=\\x"), "{env:?}");
    assert_eq!(img["Config"]["Labels"]["l"], "$A");
    let run = lab.b().ok(&["run", "--rm", "escaped", "cat", "/f"]);
    assert_eq!(run.stdout.trim(), "one two");
    nothing_left(&lab);
}

/// Two independent stages run at the same time (their RUNs overlap), and
/// the classic output still reads as a sequential build: each stage's
/// steps together, numbered in Dockerfile order.
#[test]
fn independent_stages_build_in_parallel() {
    require!(@containers);
    let lab = Lab::new();
    let run = "RUN date +%s > /start && sleep 4 && date +%s > /end";
    let df = format!(
        "FROM {img} AS a\n{run}\nFROM {img} AS b\n{run}\nFROM {img}\n\
         COPY --from=a /start /a.start\nCOPY --from=a /end /a.end\n\
         COPY --from=b /start /b.start\nCOPY --from=b /end /b.end\n",
        img = lab.image()
    );
    let dir = context(&lab, &[("Dockerfile", &df)]);
    let out = build(&lab, &dir, &["-t", "par"]);
    assert_eq!(out.code, 0, "{out}");
    let steps: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("Step "))
        .collect();
    assert_eq!(steps.len(), 9, "{out}");
    assert!(
        steps[0].starts_with("Step 1/9 : FROM") && steps[0].ends_with("AS a"),
        "{out}"
    );
    assert!(steps[1].starts_with("Step 2/9 : RUN"), "{out}");
    assert!(
        steps[2].starts_with("Step 3/9 : FROM") && steps[2].ends_with("AS b"),
        "{out}"
    );
    assert!(steps[3].starts_with("Step 4/9 : RUN"), "{out}");
    let t = |f: &str| -> u64 {
        let o = lab.b().ok(&["run", "--rm", "par", "cat", f]);
        o.stdout.trim().parse().unwrap()
    };
    let (a0, a1, b0, b1) = (t("/a.start"), t("/a.end"), t("/b.start"), t("/b.end"));
    println!("stage a ran {a0}..{a1}, stage b {b0}..{b1}");
    assert!(
        a0 < b1 && b0 < a1,
        "the stages' RUNs did not overlap: a {a0}..{a1}, b {b0}..{b1}"
    );
    // A failing stage fails the build with its message; the other stage's
    // output is printed whole before it.
    let bad = format!(
        "FROM {img} AS a\nRUN echo from-a\nFROM {img} AS b\nRUN exit 3\nFROM {img}\n\
         COPY --from=a /bin/sh /x\nCOPY --from=b /bin/sh /y\n",
        img = lab.image()
    );
    let dir = context(&lab, &[("Dockerfile", &bad)]);
    let out = build(&lab, &dir, &["--no-cache"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("from-a"), "{out}");
    assert!(out.stderr.contains("returned a non-zero code: 3"), "{out}");
    nothing_left(&lab);
}

/// `COPY --chown` owns the parent directories it creates, as BuildKit's
/// copy does; existing parents keep their owner.
#[test]
fn chown_owns_created_parents() {
    require!(@containers);
    let lab = Lab::new();
    let df = format!(
        "FROM {}\nCOPY --chown=1000:50 f /opt/a/b/f\nADD --chown=7 f /srv/x/\n\
         RUN stat -c '%n %u:%g' /opt /opt/a /opt/a/b /opt/a/b/f /srv /srv/x /srv/x/f > /owners\n",
        lab.image()
    );
    let dir = context(&lab, &[("Dockerfile", &df), ("f", "x")]);
    let out = build(&lab, &dir, &["-t", "chowned"]);
    assert_eq!(out.code, 0, "{out}");
    let o = lab.b().ok(&["run", "--rm", "chowned", "cat", "/owners"]);
    assert_eq!(
        o.stdout,
        "/opt 1000:50\n/opt/a 1000:50\n/opt/a/b 1000:50\n/opt/a/b/f 1000:50\n\
         /srv 7:7\n/srv/x 7:7\n/srv/x/f 7:7\n",
        "{o}"
    );
    nothing_left(&lab);
}
