//! `berth compose config` through the binary: file discovery from a
//! subdirectory with the override file, `!reset`/`!override` in an override,
//! `.env` against the shell, `--env-file`, `COMPOSE_*` from `.env`,
//! profiles and the error naming the profile, a malformed and an invalid
//! file (file, line and key; exit 1; nothing created), `--services`,
//! `--format json`, `-f -`, `--hash` and `--variables`. No root, runtime or
//! network needed: these never create a container, network or volume.

use crate::support::berth::{Berth, Out};
use std::path::{Path, PathBuf};

/// A project directory inside the env's temp dir, named `name`.
fn project(b: &Berth, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = b.base().join("projects").join(name);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    dir
}

/// Runs `berth compose ARGS` in `cwd` with extra shell variables.
fn compose(b: &Berth, cwd: &Path, env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Out {
    use std::io::Write;
    let mut full = vec!["compose"];
    full.extend_from_slice(args);
    let mut cmd = b.command(&full);
    cmd.current_dir(cwd);
    for (k, _) in std::env::vars() {
        if k.starts_with("COMPOSE_") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawning berth");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let o = child.wait_with_output().unwrap();
    Out::of(&full, &o)
}

#[track_caller]
fn ok(out: Out) -> Out {
    assert_eq!(out.code, 0, "expected success:\n{out}");
    out
}

fn json(out: &Out) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}:\n{out}"))
}

const BASE: &str = "\
services:
  web:
    image: nginx:${TAG:-latest}
    command: echo \"hello world\"
    ports: ['8080:80']
    volumes: ['./html:/usr/share/nginx/html:ro', 'cache:/cache']
    environment: [MODE, LEVEL=info]
  db:
    image: postgres
    profiles: [db]
volumes:
  cache:
";

#[test]
fn compose_config_discovers_files_from_a_subdirectory_and_merges_the_override() {
    let b = Berth::new();
    let dir = project(
        &b,
        "My_Shop",
        &[
            ("compose.yaml", BASE),
            (
                "compose.override.yaml",
                "services:\n  web:\n    ports: !reset []\n    environment: !override {ONLY: '1'}\n    labels: [tier=front]\n",
            ),
            ("deep/er/.keep", ""),
        ],
    );
    let out = ok(compose(
        &b,
        &dir.join("deep/er"),
        &[],
        &["config", "--format", "json"],
        None,
    ));
    let j = json(&out);
    // The directory's name, normalised.
    assert_eq!(j["name"], "my_shop", "{out}");
    let web = &j["services"]["web"];
    assert_eq!(web["image"], "nginx:latest");
    assert_eq!(web["command"], serde_json::json!(["echo", "hello world"]));
    assert!(web.get("ports").is_none(), "ports were reset:\n{out}");
    assert_eq!(web["environment"], serde_json::json!({"ONLY": "1"}));
    assert_eq!(web["labels"], serde_json::json!({"tier": "front"}));
    assert_eq!(web["volumes"][0]["type"], "bind");
    assert_eq!(
        web["volumes"][0]["source"],
        dir.join("html").display().to_string(),
        "bind sources are absolute against the project directory"
    );
    assert_eq!(web["volumes"][0]["read_only"], true);
    assert_eq!(web["volumes"][1]["source"], "cache");
    assert_eq!(web["networks"], serde_json::json!({"default": null}));
    assert_eq!(j["networks"]["default"]["name"], "my_shop_default");
    assert_eq!(j["volumes"]["cache"]["name"], "my_shop_cache");
    assert!(
        j["services"].get("db").is_none(),
        "db is behind a profile:\n{out}"
    );
    // Nothing was created: not even the data root.
    assert!(
        !b.data_root.exists(),
        "config created {}",
        b.data_root.display()
    );

    // The YAML rendering of the same model, and --services.
    let y = ok(compose(&b, &dir, &[], &["config"], None));
    assert!(
        y.stdout.starts_with("name: my_shop\nservices:\n  web:\n"),
        "{y}"
    );
    assert!(
        y.stdout.contains("      - echo\n      - hello world\n"),
        "{y}"
    );
    let s = ok(compose(&b, &dir, &[], &["config", "--services"], None));
    assert_eq!(s.lines(), vec!["web"]);
    let s = ok(compose(
        &b,
        &dir,
        &[],
        &["--profile", "db", "config", "--services"],
        None,
    ));
    assert_eq!(s.lines(), vec!["db", "web"]);
    let s = ok(compose(
        &b,
        &dir,
        &[("COMPOSE_PROFILES", "db")],
        &["config", "--services"],
        None,
    ));
    assert_eq!(s.lines(), vec!["db", "web"]);
    let s = ok(compose(&b, &dir, &[], &["config", "--profiles"], None));
    assert_eq!(s.lines(), vec!["db"]);
    let s = ok(compose(&b, &dir, &[], &["config", "--volumes"], None));
    assert_eq!(s.lines(), vec!["cache"]);

    // -f leaves the override out; -p names the project (validated).
    let j = json(&ok(compose(
        &b,
        &dir,
        &[],
        &[
            "-f",
            "compose.yaml",
            "-p",
            "shop2",
            "config",
            "--format",
            "json",
        ],
        None,
    )));
    assert_eq!(j["name"], "shop2");
    assert_eq!(j["services"]["web"]["ports"][0]["published"], "8080");
    assert_eq!(j["services"]["web"]["ports"][0]["target"], 80);
    let bad = compose(&b, &dir, &[], &["-p", "Shop", "config"], None);
    assert_eq!(bad.code, 1, "{bad}");
    assert!(
        bad.stderr.contains("invalid project name \"Shop\""),
        "{bad}"
    );
}

#[test]
fn compose_config_env_precedence_shell_over_dotenv() {
    let b = Berth::new();
    let dir = project(
        &b,
        "envs",
        &[
            ("compose.yaml", BASE),
            (".env", "# defaults\nTAG=1.25\nexport MODE=\"from ${TAG}\" # comment\nCOMPOSE_PROJECT_NAME=fromdotenv\n"),
            ("other.env", "TAG=2.0\n"),
        ],
    );
    let j = json(&ok(compose(
        &b,
        &dir,
        &[],
        &["config", "--format", "json"],
        None,
    )));
    assert_eq!(
        j["name"], "fromdotenv",
        "COMPOSE_* keys in .env configure the CLI"
    );
    assert_eq!(j["services"]["web"]["image"], "nginx:1.25");
    assert_eq!(j["services"]["web"]["environment"]["MODE"], "from 1.25");
    assert_eq!(j["services"]["web"]["environment"]["LEVEL"], "info");

    let j = json(&ok(compose(
        &b,
        &dir,
        &[("TAG", "shell"), ("MODE", "sh")],
        &["config", "--format", "json"],
        None,
    )));
    assert_eq!(
        j["services"]["web"]["image"], "nginx:shell",
        "the shell beats .env"
    );
    assert_eq!(j["services"]["web"]["environment"]["MODE"], "sh");

    let j = json(&ok(compose(
        &b,
        &dir,
        &[],
        &["--env-file", "other.env", "config", "--format", "json"],
        None,
    )));
    assert_eq!(j["services"]["web"]["image"], "nginx:2.0");
    assert_eq!(j["name"], "envs", "--env-file replaces .env");

    let missing = compose(&b, &dir, &[], &["--env-file", "nope.env", "config"], None);
    assert_eq!(missing.code, 1, "{missing}");
    assert!(
        missing.stderr.contains("couldn't find env file"),
        "{missing}"
    );

    // An unset variable warns, as compose does.
    let out = ok(compose(
        &b,
        &dir,
        &[],
        &["-f", "-", "config", "--format", "json"],
        Some("services:\n  a:\n    image: busybox${UNSET_IN_TEST}\n"),
    ));
    assert!(
        out.stderr
            .contains("The \"UNSET_IN_TEST\" variable is not set. Defaulting to a blank string."),
        "{out}"
    );
    assert_eq!(json(&out)["services"]["a"]["image"], "busybox");
    let req = compose(
        &b,
        &dir,
        &[],
        &["-f", "-", "config"],
        Some("services:\n  a:\n    image: ${NEED:?set NEED first}\n"),
    );
    assert_eq!(req.code, 1, "{req}");
    assert!(
        req.stderr.contains("error while interpolating services.a.image: required variable NEED is missing a value: set NEED first"),
        "{req}"
    );

    // --variables and --environment.
    let v = ok(compose(&b, &dir, &[], &["config", "--variables"], None));
    assert_eq!(
        v.lines()[0].split_whitespace().collect::<Vec<_>>(),
        ["NAME", "REQUIRED", "DEFAULT", "VALUE", "ALTERNATE", "VALUE"]
    );
    assert!(
        v.lines()
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["TAG", "false", "latest"]),
        "{v}"
    );
    let e = ok(compose(&b, &dir, &[], &["config", "--environment"], None));
    assert!(e.lines().contains(&"TAG=1.25"), "{e}");
}

#[test]
fn compose_config_profile_dependency_names_the_profile() {
    let b = Berth::new();
    let dir = project(
        &b,
        "profiles",
        &[(
            "compose.yaml",
            "services:\n  web:\n    image: nginx\n    depends_on: [db]\n  db:\n    image: postgres\n    profiles: [data]\n  tools:\n    image: busybox\n    profiles: [debug]\n",
        )],
    );
    let out = compose(&b, &dir, &[], &["config"], None);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains("service \"db\" is required by \"web\" but is disabled. Can be enabled by profiles [data]"),
        "{out}"
    );
    let s = ok(compose(
        &b,
        &dir,
        &[],
        &["--profile", "data", "config", "--services"],
        None,
    ));
    assert_eq!(s.lines(), vec!["db", "web"]);
    let s = ok(compose(
        &b,
        &dir,
        &[],
        &["--profile", "*", "config", "--services"],
        None,
    ));
    assert_eq!(s.lines(), vec!["db", "tools", "web"]);
    // Naming a service enables it.
    let s = ok(compose(
        &b,
        &dir,
        &[],
        &["--profile", "data", "config", "--services", "tools"],
        None,
    ));
    assert_eq!(s.lines(), vec!["tools"]);
}

#[test]
fn compose_config_malformed_and_invalid_files_fail_with_file_line_and_key() {
    let b = Berth::new();
    let dir = project(
        &b,
        "broken",
        &[
            ("compose.yaml", "services:\n  web:\n    image: [nginx\n"),
            (
                "typo.yaml",
                "services:\n  web:\n    image: nginx\n    prots: ['80']\n",
            ),
            (
                "kind.yaml",
                "services:\n  web:\n    image:\n      - nginx\n",
            ),
        ],
    );
    let out = compose(&b, &dir, &[], &["config"], None);
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(out.stdout, "");
    let file = dir.join("compose.yaml").display().to_string();
    assert!(
        out.stderr.contains(&format!("{file}:3:")),
        "file and line:\n{out}"
    );

    let out = compose(&b, &dir, &[], &["-f", "typo.yaml", "config"], None);
    assert_eq!(out.code, 1, "{out}");
    let file = dir.join("typo.yaml").display().to_string();
    assert!(
        out.stderr.contains(&format!(
            "validating {file}:4: services.web additional properties 'prots' not allowed"
        )),
        "{out}"
    );
    let out = compose(&b, &dir, &[], &["-f", "kind.yaml", "config", "-q"], None);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains("services.web.image must be a string"),
        "{out}"
    );
    // No file at all.
    let empty = b.base().join("projects/empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = compose(&b, &empty, &[], &["config"], None);
    // The temp dir may sit under a directory with a compose file; only
    // check the wording when discovery found none.
    if out.code != 0 {
        assert!(
            out.stderr
                .contains("no configuration file provided: not found"),
            "{out}"
        );
    }
    assert!(
        !b.data_root.exists(),
        "a failed config created {}",
        b.data_root.display()
    );
}

#[test]
fn compose_config_extends_include_stdin_and_hash() {
    let b = Berth::new();
    let dir = project(
        &b,
        "ext",
        &[
            (
                "compose.yaml",
                "include:\n  - lib/compose.yaml\nservices:\n  web:\n    extends: {file: common.yaml, service: base}\n    environment: {B: '2'}\n  worker:\n    extends: web\n    command: work\n",
            ),
            ("common.yaml", "services:\n  base:\n    image: app:1\n    environment: {A: '1', B: '1'}\n    volumes: ['./src:/src']\n"),
            ("lib/compose.yaml", "services:\n  cache:\n    image: redis\n    env_file: cache.env\n"),
            ("lib/cache.env", "MAXMEM=64mb\n"),
        ],
    );
    let out = ok(compose(
        &b,
        &dir,
        &[],
        &["config", "--format", "json"],
        None,
    ));
    let j = json(&out);
    let web = &j["services"]["web"];
    assert_eq!(web["image"], "app:1", "{out}");
    assert_eq!(web["environment"], serde_json::json!({"A": "1", "B": "2"}));
    assert_eq!(
        web["volumes"][0]["source"],
        dir.join("src").display().to_string()
    );
    assert!(web.get("extends").is_none());
    assert_eq!(
        j["services"]["worker"]["command"],
        serde_json::json!(["work"])
    );
    assert_eq!(j["services"]["worker"]["environment"]["B"], "2");
    assert_eq!(
        j["services"]["cache"]["environment"]["MAXMEM"], "64mb",
        "include keeps its own paths:\n{out}"
    );

    // --hash: stable, per service, changed by a changed setting.
    let h1 = ok(compose(&b, &dir, &[], &["config", "--hash", "*"], None));
    let h2 = ok(compose(&b, &dir, &[], &["config", "--hash", "web"], None));
    assert_eq!(h1.lines().len(), 3, "{h1}");
    assert!(h1.lines().contains(&h2.lines()[0]), "{h1}\n{h2}");
    let piped = "services:\n  web:\n    image: app:1\n";
    let a = ok(compose(
        &b,
        &dir,
        &[],
        &["-f", "-", "config", "--hash", "web"],
        Some(piped),
    ));
    let c = ok(compose(
        &b,
        &dir,
        &[],
        &["-f", "-", "config", "--hash", "web"],
        Some("services:\n  web:\n    image: app:2\n"),
    ));
    assert_ne!(a.stdout, c.stdout);
    assert_eq!(
        a.stdout,
        ok(compose(
            &b,
            &dir,
            &[],
            &["-f", "-", "config", "--hash", "web"],
            Some(piped)
        ))
        .stdout
    );

    // -o writes the model to a file.
    let target = b.base().join("out.yaml");
    ok(compose(
        &b,
        &dir,
        &[],
        &["config", "-o", target.to_str().unwrap()],
        None,
    ));
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .starts_with("name: ext\n"));
}
