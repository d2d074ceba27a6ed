//! Loading a compose project as `docker compose` does: which files
//! (`-f`, `COMPOSE_FILE`, or discovery in the working directory and its
//! parents plus the override file), the environment (the shell over
//! `--env-file` or `.env`; `COMPOSE_*` keys in it configure the CLI), the
//! project name (`-p` > `COMPOSE_PROJECT_NAME` > `name:` > directory), each
//! file read, interpolated, checked, canonicalised, with its `include`s and
//! `extends` applied, merged over the previous files; then profiles and
//! normalisation (env files read into `environment`, implied `depends_on`,
//! the default network, resource names, absolute paths).

use super::canonical::{canonical, clean_path};
use super::interpolate::{interpolate_tree, tree_variables, Resolver, Variable};
use super::merge::{merge, merge_file};
use super::yaml::{Map, Node, Value};
use super::{dotenv, schema, yaml};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the command line says about the project.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `-f`, in order; `-` is standard input.
    pub files: Vec<String>,
    pub project_directory: Option<PathBuf>,
    pub project_name: Option<String>,
    pub env_files: Vec<PathBuf>,
    pub profiles: Vec<String>,
    /// Services named on the command line: enabled whatever their
    /// profiles, and the output is limited to them and their dependencies.
    pub services: Vec<String>,
    pub interpolate: bool,
    pub normalize: bool,
    pub resolve_paths: bool,
}

/// The process around the load: working directory, environment, stdin.
pub struct Host<'a> {
    pub cwd: PathBuf,
    pub environ: BTreeMap<String, String>,
    pub stdin: &'a mut dyn FnMut() -> std::io::Result<String>,
}

#[derive(Debug)]
pub struct Project {
    pub name: String,
    pub working_dir: PathBuf,
    pub config_files: Vec<String>,
    /// The shell's variables over the `.env` / `--env-file` ones.
    pub environment: BTreeMap<String, String>,
    /// The resolved model: `name`, `services` (enabled ones), `networks`,
    /// `volumes`, `secrets`, `configs`, extensions.
    pub model: Node,
    /// Every profile any service declares.
    pub all_profiles: BTreeSet<String>,
    /// Every service the files declare, enabled or not: those of profiles
    /// not enabled and those left out by a SERVICE selection too
    /// (compose-go's `Services` with its `DisabledServices`). A project
    /// container whose service is not here is an orphan.
    pub declared_services: BTreeSet<String>,
    pub variables: BTreeMap<String, Variable>,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("no configuration file provided: not found")]
    NoConfig,
    #[error("{0}")]
    Msg(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn msg(s: impl Into<String>) -> LoadError {
    LoadError::Msg(s.into())
}

const CONFIG_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];
const OVERRIDE_NAMES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

fn absolute(base: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    PathBuf::from(clean_path(&joined.to_string_lossy()))
}

/// A path of a compose file made absolute: `~` is the home directory.
fn resolve_str(base: &Path, p: &str, home: Option<&str>) -> String {
    if let (Some(rest), Some(home)) = (p.strip_prefix('~'), home) {
        if rest.is_empty() || rest.starts_with('/') {
            return clean_path(&format!("{home}{rest}"));
        }
    }
    absolute(base, Path::new(p)).to_string_lossy().into_owned()
}

/// Reads the env files (or `<dir>/.env`) under the shell's variables.
fn load_env(
    dir: &Path,
    explicit: &[PathBuf],
    shell: &BTreeMap<String, String>,
    warnings: &mut Vec<String>,
) -> Result<BTreeMap<String, String>, LoadError> {
    let mut files = explicit.to_vec();
    if files.is_empty() {
        let default = dir.join(".env");
        if default.is_file() {
            files.push(default);
        }
    } else {
        for f in &files {
            if !f.exists() {
                return Err(msg(format!("couldn't find env file: {}", f.display())));
            }
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        if f.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&f).map_err(|source| LoadError::Io {
            path: f.display().to_string(),
            source,
        })?;
        let lookup = |k: &str| shell.get(k).cloned().or_else(|| out.get(k).cloned());
        let mut warn = |w: String| warnings.push(w);
        let parsed = dotenv::parse(&text, &lookup, &mut warn)
            .map_err(|e| msg(format!("failed to read {}: {e}", f.display())))?;
        out.extend(parsed);
    }
    for (k, v) in shell {
        out.insert(k.clone(), v.clone());
    }
    Ok(out)
}

/// Finds compose.yaml (or another default name) in `dir` or the nearest
/// parent that has one, plus its override file.
fn discover(dir: &Path, warnings: &mut Vec<String>) -> Result<Vec<PathBuf>, LoadError> {
    let mut d = Some(dir);
    while let Some(cur) = d {
        let found: Vec<PathBuf> = CONFIG_NAMES
            .iter()
            .map(|n| cur.join(n))
            .filter(|p| p.is_file())
            .collect();
        if let Some(first) = found.first() {
            if found.len() > 1 {
                warnings.push(format!(
                    "Found multiple config files with supported names: {}\nUsing {}",
                    found
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    first.display()
                ));
            }
            let mut files = vec![first.clone()];
            if let Some(o) = OVERRIDE_NAMES
                .iter()
                .map(|n| cur.join(n))
                .find(|p| p.is_file())
            {
                files.push(o);
            }
            return Ok(files);
        }
        d = cur.parent();
    }
    Err(LoadError::NoConfig)
}

/// Docker's project-name rule for `-p` and `COMPOSE_PROJECT_NAME`.
pub fn check_project_name(name: &str) -> Result<(), LoadError> {
    let ok = name
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-');
    if ok {
        Ok(())
    } else {
        Err(msg(format!(
            "invalid project name {name:?}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number"
        )))
    }
}

/// compose-go's `NormalizeProjectName` for `name:` and the directory.
pub fn normalize_project_name(s: &str) -> String {
    let lower: String = s
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    lower.trim_start_matches(['_', '-']).to_string()
}

/// The state of one load: the environment files are interpolated with,
/// where warnings go, and the include chain.
struct Loader<'a> {
    env: BTreeMap<String, String>,
    interpolate: bool,
    warnings: &'a mut Vec<String>,
    variables: &'a mut BTreeMap<String, Variable>,
    home: Option<String>,
}

impl Loader<'_> {
    /// One file read, interpolated, checked and canonicalised.
    fn read(&mut self, display: &str, text: &str) -> Result<Node, LoadError> {
        let mut tree = yaml::parse(display, text).map_err(|e| msg(e.to_string()))?;
        tree_variables(&tree, self.variables);
        if self.interpolate {
            let env = &self.env;
            let lookup = |k: &str| env.get(k).cloned();
            let warnings = &mut *self.warnings;
            let mut warn = |w: String| warnings.push(w);
            interpolate_tree(
                &mut tree,
                &mut Resolver {
                    lookup: &lookup,
                    warn: &mut warn,
                },
            )
            .map_err(|e| msg(e.to_string()))?;
        }
        schema::validate(display, &tree).map_err(|e| msg(e.to_string()))?;
        if let Some(m) = tree.as_map_mut() {
            if m.remove("version").is_some() {
                self.warnings.push(format!(
                    "{display}: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion"
                ));
            }
        }
        canonical(&mut tree).map_err(|e| msg(e.to_string()))?;
        Ok(tree)
    }

    fn read_path(&mut self, path: &Path) -> Result<Node, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
        self.read(&path.display().to_string(), &text)
    }

    /// A file's own processing after reading: `include` then `extends`.
    fn expand(
        &mut self,
        tree: &mut Node,
        file: &Path,
        dir: &Path,
        included: &[PathBuf],
    ) -> Result<(), LoadError> {
        self.apply_include(tree, file, dir, included)?;
        self.apply_extends(tree, file, dir)?;
        Ok(())
    }

    fn apply_include(
        &mut self,
        tree: &mut Node,
        file: &Path,
        dir: &Path,
        included: &[PathBuf],
    ) -> Result<(), LoadError> {
        let Some(top) = tree.as_map_mut() else {
            return Ok(());
        };
        let Some(inc) = top.remove("include") else {
            return Ok(());
        };
        let Some(entries) = inc.as_seq() else {
            return Err(msg("`include` must be a list"));
        };
        for entry in entries {
            let (paths, project_dir, env_files) = match &entry.value {
                Value::Str(p) => (vec![p.clone()], None, Vec::new()),
                Value::Map(m) => {
                    let paths = match m.get("path").map(|p| &p.value) {
                        Some(Value::Str(p)) => vec![p.clone()],
                        Some(Value::Seq(ps)) => ps.iter().filter_map(Node::scalar_text).collect(),
                        _ => return Err(msg("include: `path` is required")),
                    };
                    let pd = m.get("project_directory").and_then(Node::scalar_text);
                    let ef = match m.get("env_file").map(|p| &p.value) {
                        Some(Value::Str(p)) => vec![p.clone()],
                        Some(Value::Seq(ps)) => ps.iter().filter_map(Node::scalar_text).collect(),
                        _ => Vec::new(),
                    };
                    (paths, pd, ef)
                }
                _ => return Err(msg("include: entries must be a string or a mapping")),
            };
            let paths: Vec<PathBuf> = paths.iter().map(|p| absolute(dir, Path::new(p))).collect();
            for p in &paths {
                if included.contains(p) || p == file {
                    let chain: Vec<String> =
                        included.iter().map(|p| p.display().to_string()).collect();
                    return Err(msg(format!(
                        "include cycle detected:\n{}\n include {}",
                        chain.first().cloned().unwrap_or_default(),
                        chain[1.min(chain.len())..]
                            .iter()
                            .chain(std::iter::once(&p.display().to_string()))
                            .cloned()
                            .collect::<Vec<_>>()
                            .join("\n include ")
                    )));
                }
                if !p.is_file() {
                    return Err(msg(format!("{} is not a file", p.display())));
                }
            }
            let sub_dir = match &project_dir {
                Some(pd) => absolute(dir, Path::new(pd)),
                None => paths[0]
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf()),
            };
            let env_files: Vec<PathBuf> = env_files
                .iter()
                .map(|f| absolute(dir, Path::new(f)))
                .collect();
            // The including project's variables win over the included
            // project's own `.env`.
            let sub_env = load_env(&sub_dir, &env_files, &self.env, self.warnings)?;
            let saved = std::mem::replace(&mut self.env, sub_env);
            let mut chain = included.to_vec();
            chain.push(file.to_path_buf());
            let mut acc = super::merge::empty();
            let mut result = Ok(());
            for p in &paths {
                result = self.read_path(p).and_then(|mut t| {
                    self.expand(&mut t, p, &sub_dir, &chain)?;
                    merge_file(&mut acc, t).map_err(|e| msg(e.to_string()))
                });
                if result.is_err() {
                    break;
                }
            }
            self.env = saved;
            result?;
            resolve_paths(&mut acc, &sub_dir, self.home.as_deref());
            import(tree, acc)?;
        }
        Ok(())
    }

    fn apply_extends(&mut self, tree: &mut Node, file: &Path, dir: &Path) -> Result<(), LoadError> {
        let names: Vec<String> = match tree
            .as_map()
            .and_then(|m| m.get("services"))
            .and_then(Node::as_map)
        {
            Some(s) => s.keys().cloned().collect(),
            None => return Ok(()),
        };
        for name in names {
            let resolved = self.resolve_service(tree, &name, file, dir, &mut Vec::new())?;
            if let Some(s) = tree
                .as_map_mut()
                .and_then(|m| m.get_mut("services"))
                .and_then(Node::as_map_mut)
            {
                s.insert(name, resolved);
            }
        }
        Ok(())
    }

    /// A service of `tree` with its `extends` chain applied.
    fn resolve_service(
        &mut self,
        tree: &Node,
        name: &str,
        file: &Path,
        dir: &Path,
        chain: &mut Vec<(PathBuf, String)>,
    ) -> Result<Node, LoadError> {
        let services = tree
            .as_map()
            .and_then(|m| m.get("services"))
            .and_then(Node::as_map);
        let Some(svc) = services.and_then(|s| s.get(name)).cloned() else {
            let (from_file, from) = chain
                .last()
                .cloned()
                .unwrap_or((file.to_path_buf(), name.to_string()));
            return Err(msg(format!(
                "cannot extend service {from:?} in {}: service {name:?} not found",
                from_file.display()
            )));
        };
        let me = (file.to_path_buf(), name.to_string());
        if chain.contains(&me) {
            let mut lines = vec!["Circular reference:".to_string()];
            lines.push(format!("  {} in {}", chain[0].1, chain[0].0.display()));
            for (f, s) in chain[1..].iter().chain(std::iter::once(&me)) {
                lines.push(format!("  extends {s} in {}", f.display()));
            }
            return Err(msg(lines.join("\n")));
        }
        let Some(ext) = svc.as_map().and_then(|m| m.get("extends")).cloned() else {
            return Ok(svc);
        };
        let ext = ext.as_map().cloned().unwrap_or_default();
        let Some(base_name) = ext.get("service").and_then(Node::scalar_text) else {
            return Err(msg(format!(
                "services.{name}.extends: `service` is required"
            )));
        };
        chain.push(me);
        let mut base = match ext.get("file").and_then(Node::scalar_text) {
            Some(f) => {
                let other = absolute(dir, Path::new(&f));
                let other_dir = other
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                let other_tree = self.read_path(&other)?;
                let mut b =
                    self.resolve_service(&other_tree, &base_name, &other, &other_dir, chain)?;
                // Paths of the extended file are relative to that file.
                let mut wrapper = Map::new();
                let mut services = Map::new();
                services.insert(base_name.clone(), b.clone());
                wrapper.insert("services".into(), Node::map(services));
                let mut w = Node::map(wrapper);
                resolve_paths(&mut w, &other_dir, self.home.as_deref());
                if let Some(r) = w
                    .as_map()
                    .and_then(|m| m.get("services"))
                    .and_then(Node::as_map)
                    .and_then(|s| s.get(&base_name))
                {
                    b = r.clone();
                }
                b
            }
            None => self.resolve_service(tree, &base_name, file, dir, chain)?,
        };
        chain.pop();
        let mut child = svc;
        if let Some(m) = child.as_map_mut() {
            m.remove("extends");
        }
        let mut resets = Vec::new();
        super::merge::take_resets(
            &mut child,
            &mut vec!["services".into(), name.into()],
            &mut resets,
        );
        for r in &resets {
            super::merge::remove_path(&mut base, &r[2..]);
        }
        merge(&mut base, child, &mut vec!["services".into(), name.into()])
            .map_err(|e| msg(e.to_string()))?;
        super::merge::enforce_unicity(&mut base, &mut vec!["services".into(), name.into()]);
        Ok(base)
    }
}

/// Imports an included project's resources under the including file's
/// own (the including file's definitions win).
fn import(tree: &mut Node, included: Node) -> Result<(), LoadError> {
    let Value::Map(inc) = included.value else {
        return Ok(());
    };
    let Some(top) = tree.as_map_mut() else {
        return Ok(());
    };
    for kind in [
        "services", "volumes", "networks", "secrets", "configs", "models",
    ] {
        let Some(Value::Map(from)) = inc.get(kind).map(|n| n.value.clone()) else {
            continue;
        };
        let to = top
            .entry(kind.to_string())
            .or_insert_with(|| Node::map(Map::new()));
        if to.is_null() {
            *to = Node::map(Map::new());
        }
        let Some(to) = to.as_map_mut() else {
            continue;
        };
        for (name, res) in from {
            match to.remove(&name) {
                None => {
                    to.insert(name, res);
                }
                Some(local) => {
                    let mut merged = res;
                    merge(&mut merged, local, &mut vec![kind.into(), name.clone()])
                        .map_err(|e| msg(e.to_string()))?;
                    to.insert(name, merged);
                }
            }
        }
    }
    Ok(())
}

/// Makes a tree's relative host paths absolute against `base`.
pub fn resolve_paths(tree: &mut Node, base: &Path, home: Option<&str>) {
    let Some(top) = tree.as_map_mut() else {
        return;
    };
    let fix = |n: &mut Node| {
        if let Some(s) = n.as_str() {
            let r = resolve_str(base, s, home);
            n.value = Value::Str(r);
        }
    };
    if let Some(services) = top.get_mut("services").and_then(Node::as_map_mut) {
        for svc in services.values_mut() {
            let Some(m) = svc.as_map_mut() else { continue };
            if let Some(b) = m.get_mut("build").and_then(Node::as_map_mut) {
                if let Some(ctx) = b.get_mut("context") {
                    let remote = ctx.as_str().is_some_and(|c| {
                        c.contains("://") || c.starts_with("git@") || c.starts_with("github.com/")
                    });
                    if !remote {
                        fix(ctx);
                    }
                }
            }
            if let Some(Value::Seq(items)) = m.get_mut("env_file").map(|n| &mut n.value) {
                for i in items.iter_mut() {
                    if let Some(p) = i.as_map_mut().and_then(|f| f.get_mut("path")) {
                        fix(p);
                    }
                }
            }
            if let Some(Value::Seq(items)) = m.get_mut("label_file").map(|n| &mut n.value) {
                items.iter_mut().for_each(fix);
            }
            if let Some(Value::Seq(items)) = m.get_mut("volumes").map(|n| &mut n.value) {
                for v in items.iter_mut() {
                    let Some(vm) = v.as_map_mut() else { continue };
                    let bind = vm.get("type").and_then(Node::as_str) == Some("bind");
                    if let Some(src) = vm.get_mut("source") {
                        if bind {
                            fix(src);
                        }
                    }
                }
            }
            if let Some(f) = m
                .get_mut("extends")
                .and_then(Node::as_map_mut)
                .and_then(|e| e.get_mut("file"))
            {
                fix(f);
            }
        }
    }
    for kind in ["secrets", "configs"] {
        if let Some(res) = top.get_mut(kind).and_then(Node::as_map_mut) {
            for r in res.values_mut() {
                if let Some(f) = r.as_map_mut().and_then(|m| m.get_mut("file")) {
                    fix(f);
                }
            }
        }
    }
}

/// Loads the project.
pub fn load(opts: &LoadOptions, host: &mut Host) -> Result<Project, LoadError> {
    let mut warnings = Vec::new();
    let cwd = host.cwd.clone();
    let shell = host.environ.clone();
    let project_dir = opts.project_directory.as_ref().map(|d| absolute(&cwd, d));
    let env_files: Vec<PathBuf> = opts.env_files.iter().map(|f| absolute(&cwd, f)).collect();
    let first_dir = project_dir.clone().unwrap_or_else(|| cwd.clone());
    let mut env = load_env(&first_dir, &env_files, &shell, &mut warnings)?;

    // The files.
    let mut files: Vec<String> = opts.files.clone();
    if files.is_empty() {
        if let Some(cf) = env.get("COMPOSE_FILE").filter(|v| !v.is_empty()) {
            let sep = env
                .get("COMPOSE_PATH_SEPARATOR")
                .filter(|s| !s.is_empty())
                .cloned()
                .unwrap_or_else(|| ":".into());
            files = cf
                .split(sep.as_str())
                .filter(|f| !f.is_empty())
                .map(|f| {
                    absolute(&first_dir, Path::new(f))
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
        }
    }
    let paths: Vec<Option<PathBuf>> = if files.is_empty() {
        discover(&first_dir, &mut warnings)?
            .into_iter()
            .map(Some)
            .collect()
    } else {
        files
            .iter()
            .map(|f| (f != "-").then(|| absolute(&cwd, Path::new(f))))
            .collect()
    };
    let working_dir = match (&project_dir, paths.first()) {
        (Some(d), _) => d.clone(),
        (None, Some(Some(p))) => p
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.clone()),
        _ => cwd.clone(),
    };
    if working_dir != first_dir && env_files.is_empty() {
        env = load_env(&working_dir, &[], &shell, &mut warnings)?;
    }

    let mut variables = BTreeMap::new();
    let mut acc = super::merge::empty();
    let mut config_files = Vec::new();
    {
        let mut loader = Loader {
            env: env.clone(),
            interpolate: opts.interpolate,
            warnings: &mut warnings,
            variables: &mut variables,
            home: shell.get("HOME").cloned(),
        };
        for p in &paths {
            let (display, text, file) = match p {
                Some(p) => {
                    if !p.exists() {
                        return Err(msg(format!(
                            "open {}: no such file or directory",
                            p.display()
                        )));
                    }
                    let text = std::fs::read_to_string(p).map_err(|source| LoadError::Io {
                        path: p.display().to_string(),
                        source,
                    })?;
                    (p.display().to_string(), text, p.clone())
                }
                None => {
                    let text = (host.stdin)().map_err(|source| LoadError::Io {
                        path: "-".into(),
                        source,
                    })?;
                    ("-".to_string(), text, working_dir.join("-"))
                }
            };
            let mut tree = loader.read(&display, &text)?;
            loader.expand(&mut tree, &file, &working_dir, &[])?;
            merge_file(&mut acc, tree).map_err(|e| msg(e.to_string()))?;
            config_files.push(display);
        }
    }

    // The name.
    let name = if let Some(n) = &opts.project_name {
        check_project_name(n)?;
        n.clone()
    } else if let Some(n) = env.get("COMPOSE_PROJECT_NAME").filter(|n| !n.is_empty()) {
        check_project_name(n)?;
        n.clone()
    } else if let Some(n) = acc
        .as_map()
        .and_then(|m| m.get("name"))
        .and_then(Node::scalar_text)
        .filter(|n| !n.is_empty())
    {
        normalize_project_name(&n)
    } else {
        normalize_project_name(
            &working_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    };
    if name.is_empty() {
        return Err(msg("project name must not be empty"));
    }
    if let Some(m) = acc.as_map_mut() {
        m.insert("name".into(), Node::str(&name));
        m.entry("services".into())
            .or_insert_with(|| Node::map(Map::new()));
    }

    // Profiles.
    let active: Vec<String> = if !opts.profiles.is_empty() {
        opts.profiles.clone()
    } else {
        env.get("COMPOSE_PROFILES")
            .map(|p| {
                p.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let declared_services: BTreeSet<String> = services_of(&acc)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let all_profiles = apply_profiles(&mut acc, &active, &opts.services)?;

    if opts.normalize {
        normalize(
            &mut acc,
            &env,
            &working_dir,
            opts.resolve_paths,
            shell.get("HOME").map(String::as_str),
        )?;
    } else if opts.resolve_paths {
        resolve_paths(
            &mut acc,
            &working_dir,
            shell.get("HOME").map(String::as_str),
        );
    }
    validate_model(&acc)?;
    if !opts.services.is_empty() {
        select(&mut acc, &opts.services)?;
    }

    Ok(Project {
        name,
        working_dir,
        config_files,
        environment: env,
        model: acc,
        all_profiles,
        declared_services,
        variables,
        warnings,
    })
}

fn services_of(acc: &Node) -> Option<&Map> {
    acc.as_map()
        .and_then(|m| m.get("services"))
        .and_then(Node::as_map)
}

fn profiles_of(svc: &Node) -> Vec<String> {
    svc.as_map()
        .and_then(|m| m.get("profiles"))
        .and_then(Node::as_seq)
        .map(|p| p.iter().filter_map(Node::scalar_text).collect())
        .unwrap_or_default()
}

fn depends_of(svc: &Node) -> Vec<(String, bool)> {
    svc.as_map()
        .and_then(|m| m.get("depends_on"))
        .and_then(Node::as_map)
        .map(|d| {
            d.iter()
                .map(|(k, v)| {
                    let required = v
                        .as_map()
                        .and_then(|m| m.get("required"))
                        .map(|r| r.value != Value::Bool(false))
                        .unwrap_or(true);
                    (k.clone(), required)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Disables the services whose profiles are not active (those named on the
/// command line are enabled, with their profiles); an enabled service that
/// requires a disabled one is an error naming the profiles to enable.
fn apply_profiles(
    acc: &mut Node,
    active: &[String],
    named: &[String],
) -> Result<BTreeSet<String>, LoadError> {
    let Some(services) = services_of(acc).cloned() else {
        return Ok(BTreeSet::new());
    };
    let all: BTreeSet<String> = services.values().flat_map(profiles_of).collect();
    let mut active: Vec<String> = active.to_vec();
    for n in named {
        match services.get(n) {
            Some(s) => active.extend(profiles_of(s)),
            None => return Err(msg(format!("no such service: {n}"))),
        }
    }
    let enabled = |svc: &Node| {
        let p = profiles_of(svc);
        p.is_empty() || active.iter().any(|a| a == "*" || p.contains(a))
    };
    let (on, off): (Map, Map) = services.into_iter().partition(|(_, s)| enabled(s));
    for (name, svc) in &on {
        for (dep, required) in depends_of(svc) {
            if let Some(d) = off.get(&dep) {
                if required {
                    return Err(msg(format!(
                        "service {dep:?} is required by {name:?} but is disabled. Can be enabled by profiles [{}]",
                        profiles_of(d).join(" ")
                    )));
                }
            }
        }
    }
    if let Some(m) = acc.as_map_mut() {
        m.insert("services".into(), Node::map(on));
    }
    Ok(all)
}

/// Keeps only the named services and what they depend on.
fn select(acc: &mut Node, named: &[String]) -> Result<(), LoadError> {
    let Some(services) = services_of(acc).cloned() else {
        return Ok(());
    };
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = named.to_vec();
    while let Some(n) = todo.pop() {
        if !keep.insert(n.clone()) {
            continue;
        }
        let Some(svc) = services.get(&n) else {
            return Err(msg(format!("no such service: {n}")));
        };
        todo.extend(
            depends_of(svc)
                .into_iter()
                .map(|(d, _)| d)
                .filter(|d| services.contains_key(d)),
        );
    }
    let kept: Map = services
        .into_iter()
        .filter(|(k, _)| keep.contains(k))
        .collect();
    if let Some(m) = acc.as_map_mut() {
        m.insert("services".into(), Node::map(kept));
    }
    Ok(())
}

/// compose-go's consistency checks on the final model.
fn validate_model(acc: &Node) -> Result<(), LoadError> {
    let Some(services) = services_of(acc) else {
        return Ok(());
    };
    for (name, svc) in services {
        let m = svc.as_map().cloned().unwrap_or_default();
        if !m.contains_key("image") && !m.contains_key("build") && !m.contains_key("provider") {
            return Err(msg(format!(
                "service {name:?} has neither an image nor a build context specified: invalid compose project"
            )));
        }
        for (dep, required) in depends_of(svc) {
            if required && !services.contains_key(&dep) {
                return Err(msg(format!(
                    "service {name:?} depends on undefined service {dep:?}: invalid compose project"
                )));
            }
        }
        let top = acc.as_map().cloned().unwrap_or_default();
        for (key, kind) in [
            ("networks", "network"),
            ("volumes", "volume"),
            ("secrets", "secret"),
            ("configs", "config"),
        ] {
            let declared = top.get(key).and_then(Node::as_map);
            let refs: Vec<String> = match (key, m.get(key)) {
                ("networks", Some(n)) => n
                    .as_map()
                    .map(|n| n.keys().cloned().collect())
                    .unwrap_or_default(),
                ("volumes", Some(v)) => v
                    .as_seq()
                    .map(|v| {
                        v.iter()
                            .filter(|e| {
                                e.as_map()
                                    .and_then(|m| m.get("type"))
                                    .and_then(Node::as_str)
                                    == Some("volume")
                            })
                            .filter_map(|e| {
                                e.as_map()
                                    .and_then(|m| m.get("source"))
                                    .and_then(Node::scalar_text)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                (_, Some(s)) => s
                    .as_seq()
                    .map(|v| {
                        v.iter()
                            .filter_map(|e| {
                                e.as_map()
                                    .and_then(|m| m.get("source"))
                                    .and_then(Node::scalar_text)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            for r in refs {
                if key == "networks" && r == "default" {
                    continue;
                }
                if !declared.is_some_and(|d| d.contains_key(&r)) {
                    let err = match kind {
                        "volume" => format!("service {name:?} refers to undefined volume {r}: invalid compose project"),
                        _ => format!("service {name:?} refers to undefined {kind} {r}: invalid compose project"),
                    };
                    return Err(msg(err));
                }
            }
        }
    }
    Ok(())
}

/// Reads a service's `env_file`s (interpolated with the project's
/// environment; `format: raw` taken as written).
fn read_env_files(
    files: &[Node],
    env: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, LoadError> {
    let mut out = BTreeMap::new();
    for f in files {
        let Some(m) = f.as_map() else { continue };
        let Some(path) = m.get("path").and_then(Node::scalar_text) else {
            continue;
        };
        let required = m
            .get("required")
            .map(|r| r.value != Value::Bool(false))
            .unwrap_or(true);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => continue,
            Err(e) => {
                return Err(msg(format!(
                    "env file {path} not found: stat {path}: {}",
                    crate::compose::io_reason(&e)
                )))
            }
        };
        if m.get("format").and_then(Node::as_str) == Some("raw") {
            for line in text.lines() {
                if line.trim().is_empty() || line.trim_start().starts_with('#') {
                    continue;
                }
                match line.split_once('=') {
                    Some((k, v)) => out.insert(k.to_string(), v.to_string()),
                    None => out.insert(line.to_string(), String::new()),
                };
            }
            continue;
        }
        let lookup = |k: &str| env.get(k).cloned().or_else(|| out.get(k).cloned());
        let parsed = dotenv::parse(&text, &lookup, &mut |_| {})
            .map_err(|e| msg(format!("failed to read {path}: {e}")))?;
        out.extend(parsed);
    }
    Ok(out)
}

/// The normalisation `docker compose config` prints.
fn normalize(
    acc: &mut Node,
    env: &BTreeMap<String, String>,
    working_dir: &Path,
    paths: bool,
    home: Option<&str>,
) -> Result<(), LoadError> {
    if paths {
        resolve_paths(acc, working_dir, home);
    }
    let project = acc
        .as_map()
        .and_then(|m| m.get("name"))
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    let Some(top) = acc.as_map_mut() else {
        return Ok(());
    };
    let mut uses_default = false;
    if let Some(services) = top.get_mut("services").and_then(Node::as_map_mut) {
        for svc in services.values_mut() {
            if svc.is_null() {
                *svc = Node::map(Map::new());
            }
            let Some(m) = svc.as_map_mut() else { continue };
            if let Some(b) = m.get_mut("build").and_then(Node::as_map_mut) {
                if !b.contains_key("context") {
                    let ctx = if paths {
                        working_dir.to_string_lossy().into_owned()
                    } else {
                        ".".into()
                    };
                    b.insert("context".into(), Node::str(ctx));
                }
                if !b.contains_key("dockerfile") && !b.contains_key("dockerfile_inline") {
                    b.insert("dockerfile".into(), Node::str("Dockerfile"));
                }
                if let Some(args) = b.get_mut("args").and_then(Node::as_map_mut) {
                    args.retain(|k, v| {
                        if v.is_null() {
                            match env.get(k) {
                                Some(val) => {
                                    *v = Node::str(val);
                                    true
                                }
                                None => false,
                            }
                        } else {
                            true
                        }
                    });
                }
            }
            // env_file content, then `environment` over it.
            if let Some(files) = m.remove("env_file") {
                let from_files =
                    read_env_files(files.as_seq().map(Vec::as_slice).unwrap_or(&[]), env)?;
                let environment = m
                    .entry("environment".into())
                    .or_insert_with(|| Node::map(Map::new()));
                if let Some(e) = environment.as_map_mut() {
                    for (k, v) in from_files {
                        e.entry(k).or_insert_with(|| Node::str(v));
                    }
                }
            }
            if let Some(e) = m.get_mut("environment").and_then(Node::as_map_mut) {
                for (k, v) in e.iter_mut() {
                    if v.is_null() {
                        if let Some(val) = env.get(k) {
                            *v = Node::str(val);
                        }
                    }
                }
            }
            // Implied dependencies.
            let mut implied: Vec<(String, bool)> = Vec::new();
            if let Some(links) = m.get("links").and_then(Node::as_seq) {
                for l in links.iter().filter_map(Node::scalar_text) {
                    implied.push((l.split(':').next().unwrap_or("").to_string(), true));
                }
            }
            for ns in ["network_mode", "ipc", "pid", "uts", "cgroup"] {
                if let Some(s) = m
                    .get(ns)
                    .and_then(Node::as_str)
                    .and_then(|v| v.strip_prefix("service:"))
                {
                    implied.push((s.to_string(), true));
                }
            }
            if let Some(vf) = m.get("volumes_from").and_then(Node::as_seq) {
                for v in vf.iter().filter_map(Node::scalar_text) {
                    if !v.starts_with("container:") {
                        implied.push((v.split(':').next().unwrap_or("").to_string(), false));
                    }
                }
            }
            if !implied.is_empty() {
                let d = m
                    .entry("depends_on".into())
                    .or_insert_with(|| Node::map(Map::new()));
                if let Some(d) = d.as_map_mut() {
                    for (name, restart) in implied {
                        d.entry(name).or_insert_with(|| {
                            let mut dm = Map::new();
                            dm.insert("condition".into(), Node::str("service_started"));
                            dm.insert("required".into(), Node::new(Value::Bool(true)));
                            dm.insert("restart".into(), Node::new(Value::Bool(restart)));
                            Node::map(dm)
                        });
                    }
                }
            }
            // The default network.
            if !m.contains_key("network_mode") && !m.contains_key("provider") {
                let empty = m
                    .get("networks")
                    .and_then(Node::as_map)
                    .is_none_or(|n| n.is_empty());
                if empty {
                    let mut n = Map::new();
                    n.insert("default".into(), Node::new(Value::Null));
                    m.insert("networks".into(), Node::map(n));
                    uses_default = true;
                } else if m
                    .get("networks")
                    .and_then(Node::as_map)
                    .is_some_and(|n| n.contains_key("default"))
                {
                    uses_default = true;
                }
            }
        }
    }
    if uses_default {
        let nets = top
            .entry("networks".into())
            .or_insert_with(|| Node::map(Map::new()));
        if nets.is_null() {
            *nets = Node::map(Map::new());
        }
        if let Some(n) = nets.as_map_mut() {
            n.entry("default".into())
                .or_insert_with(|| Node::new(Value::Null));
        }
    }
    for kind in ["networks", "volumes", "configs", "secrets"] {
        let Some(res) = top.get_mut(kind).and_then(Node::as_map_mut) else {
            continue;
        };
        for (key, r) in res.iter_mut() {
            if r.is_null() {
                *r = Node::map(Map::new());
            }
            let Some(rm) = r.as_map_mut() else { continue };
            if rm.get("name").is_none_or(Node::is_null) {
                let external = rm.get("external").is_some_and(|x| {
                    matches!(x.value, Value::Bool(true)) || x.as_str() == Some("true")
                });
                let n = if external {
                    key.clone()
                } else {
                    format!("{project}_{key}")
                };
                rm.insert("name".into(), Node::str(n));
            }
        }
    }
    Ok(())
}
