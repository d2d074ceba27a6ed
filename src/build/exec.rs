//! The build executor: the stages the target needs, in rounds of stages
//! that do not depend on each other (a round of several is built on one
//! thread per stage, each stage's output buffered and printed whole, in
//! Dockerfile order, when the round ends: a RUN's output in such a round is
//! not streamed live, but the classic output reads exactly as a sequential
//! build's, step numbers included), each from
//! its base image's config and layers; every instruction a step whose
//! result (an image config and its layers) is looked up in the cache
//! first. `RUN` runs in a container (`run.rs`); `COPY`/`ADD` and a
//! `WORKDIR` that does not exist yet write into a scratch snapshot of the
//! stage whose changes become the layer; the other instructions change the
//! config only (history entries with `empty_layer`, as Docker's). The
//! final image is recorded like `commit`'s, through `image::record`.
//!
//! Output follows Docker's classic builder by default (`Step N/M : ...`,
//! ` ---> Running in <id>`, the step's output, ` ---> <id>`, `Successfully
//! built`/`Successfully tagged`), on stdout; `--progress plain` prints
//! BuildKit's plain lines (`#N [stage k/m] INSTR`, `#N CACHED`, `#N DONE`)
//! on stderr; `-q` prints only the image ID. History `created_by` texts are
//! the classic builder's (`/bin/sh -c #(nop)  ENV A=b`, `|1 X=y /bin/sh -c
//! ...` for a RUN that sees build args).

use super::cache::{self, Cache, Entry};
use super::dockerfile::{Command, Dockerfile, Instr, Kind, RunNetwork, Stage};
use super::run::{self, RunOutcome, RunStep};
use crate::container::lifecycle::Host;
use crate::digest::Digest;
use crate::image::change::{self, Instruction as Change};
use crate::image::content::ContentStore;
use crate::image::import::{now, record_image, NewLayer};
use crate::image::manifest::{self, chain_ids, ContainerConfig, Descriptor, History, ImageConfig};
use crate::image::reference::Reference;
use crate::snapshot::Snapshotter;
use crate::store::{images, Store};
use anyhow::{anyhow, bail, Context as _, Result};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::Path;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Docker's classic builder lines on stdout (the default).
    Classic,
    /// BuildKit's `--progress plain` lines on stderr.
    Plain,
    /// `-q`: nothing but the image ID at the end.
    Quiet,
}

/// Everything the build is asked for, validated by the command.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub tags: Vec<Reference>,
    /// `--build-arg` (a `KEY` without a value was looked up in the
    /// environment by the command; None when it is unset there too).
    pub build_args: Vec<(String, Option<String>)>,
    pub target: Option<String>,
    pub labels: Vec<(String, String)>,
    pub no_cache: bool,
    pub pull: bool,
    pub network: RunNetwork,
    pub add_hosts: Vec<String>,
    pub shm_size: Option<String>,
    pub ulimits: Vec<String>,
    pub progress: Progress,
    pub runtime: String,
}

/// Where base images come from (the command looks them up and pulls them
/// as `run` does).
pub trait Bases {
    /// The ID of the image `reference` names, pulled when missing (always
    /// with `pull`).
    fn image(&self, store: &mut Store, reference: &str, pull: bool) -> Result<String>;
}

/// A step's failure, with docker's wording; the command exits 1.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct StepFailed {
    pub message: String,
    pub code: i32,
}

/// The predefined proxy args: usable without an ARG, passed to RUN, kept
/// out of the history and the cache key.
const PROXY_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// BuildKit's automatic platform args (host platform only: berth builds
/// for the host).
pub fn platform_args() -> Vec<(String, String)> {
    let p = manifest::host_platform();
    let full = match &p.variant {
        Some(v) => format!("{}/{}/{v}", p.os, p.architecture),
        None => format!("{}/{}", p.os, p.architecture),
    };
    let variant = p.variant.clone().unwrap_or_default();
    let mut out = Vec::new();
    for prefix in ["BUILD", "TARGET"] {
        out.push((format!("{prefix}PLATFORM"), full.clone()));
        out.push((format!("{prefix}OS"), p.os.clone()));
        out.push((format!("{prefix}ARCH"), p.architecture.clone()));
        out.push((format!("{prefix}VARIANT"), variant.clone()));
    }
    out
}

/// A stage's state between steps.
#[derive(Debug, Clone)]
pub(super) struct State {
    pub(super) image: ImageConfig,
    layers: Vec<Descriptor>,
    /// ID of the image this state would be (for ` ---> <id>`).
    id: String,
    pub(super) key: String,
    /// ARGs declared in this stage, in order, with their values.
    args: Vec<(String, Option<String>)>,
}

impl State {
    fn config(&mut self) -> &mut ContainerConfig {
        self.image.config.get_or_insert_with(Default::default)
    }

    fn env(&self) -> Vec<String> {
        self.image
            .config
            .as_ref()
            .and_then(|c| c.env.clone())
            .unwrap_or_default()
    }

    /// The environment `$VAR` expands from: args, then env over them.
    pub(super) fn subst_env(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .args
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
            .collect();
        v.extend(self.env());
        v
    }

    /// Args a RUN sees as environment: those the env does not set.
    fn run_args(&self) -> Vec<(String, String)> {
        let env = self.env();
        let set = |k: &str| {
            env.iter()
                .any(|e| e.split_once('=').map(|x| x.0) == Some(k))
        };
        self.args
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.clone()?)))
            .filter(|(k, _)| !set(k))
            .collect()
    }
}

fn image_id(image: &ImageConfig) -> String {
    Digest::of_bytes(&serde_json::to_vec(image).unwrap_or_default()).to_string()
}

fn short(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    &hex[..hex.len().min(12)]
}

/// The build. Holds the shared GC lock from the first layer it writes to
/// the image record, so nothing it made is collected in between.
pub struct Builder<'a> {
    pub host: &'a Host,
    pub store: &'a mut Store,
    pub bases: &'a (dyn Bases + Sync),
    pub opts: &'a BuildOptions,
    /// Classic progress and RUN output (stdout).
    pub out: &'a mut dyn Write,
    /// Plain progress (stderr).
    pub err: &'a mut dyn Write,
    /// What COPY/ADD read (None: a Dockerfile with no context).
    pub(super) context: Option<&'a super::context::Context>,
    content: ContentStore,
    snaps: Snapshotter,
    cache: Cache,
    step: usize,
    total: usize,
    vertex: usize,
    used_args: HashSet<String>,
    /// The Dockerfile's escape character (`# escape=`), for `$` too.
    escape: char,
}

impl<'a> Builder<'a> {
    pub fn new(
        host: &'a Host,
        store: &'a mut Store,
        bases: &'a (dyn Bases + Sync),
        opts: &'a BuildOptions,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        context: Option<&'a super::context::Context>,
    ) -> Builder<'a> {
        Builder {
            content: ContentStore::new(host.layout.content_dir()),
            snaps: host.snapshots(),
            cache: Cache::new(&host.layout.data_root),
            host,
            store,
            bases,
            opts,
            out,
            err,
            context,
            step: 0,
            total: 0,
            vertex: 0,
            used_args: HashSet::new(),
            escape: '\\',
        }
    }

    fn build_arg(&self, k: &str) -> Option<Option<String>> {
        self.opts
            .build_args
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    }

    pub(super) fn escape(&self) -> char {
        self.escape
    }

    /// `$` substitution with the Dockerfile's escape character.
    pub(super) fn expand(&self, s: &str, env: &[String]) -> String {
        change::expand_escaped(s, env, self.escape)
    }

    fn say(&mut self, line: &str) -> Result<()> {
        if self.opts.progress == Progress::Classic {
            writeln!(self.out, "{line}")?;
            self.out.flush()?;
        }
        Ok(())
    }

    fn plain(&mut self, line: &str) -> Result<()> {
        if self.opts.progress == Progress::Plain {
            writeln!(self.err, "#{} {line}", self.vertex)?;
            self.err.flush()?;
        }
        Ok(())
    }

    /// Build `df` up to its target; returns the new image's ID.
    pub fn build(&mut self, df: &Dockerfile) -> Result<Digest> {
        if let Some(s) = &df.directives.syntax {
            eprintln!("NOTE: the syntax directive ({s}) is ignored: berth's own builder is used");
        }
        self.escape = df.directives.escape;
        // Global scope: the platform args, then the ARGs before FROM.
        let mut global: Vec<(String, Option<String>)> = platform_args()
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect();
        for (k, d) in &df.meta_args {
            let env = scope_env(&global);
            let v = match self.build_arg(k) {
                Some(v) => v,
                None => d.as_ref().map(|d| self.expand(d, &env)),
            };
            global.retain(|(n, _)| n != k);
            global.push((k.clone(), v));
        }
        let target = match &self.opts.target {
            Some(t) => df
                .stage_index(t, df.stages.len())
                .filter(|i| df.stages[*i].name.is_some() || t.parse::<usize>().is_ok())
                .ok_or_else(|| anyhow!("target stage \"{t}\" could not be found"))?,
            None => df.stages.len() - 1,
        };
        let genv = scope_env(&global);
        let bases: Vec<String> = df
            .stages
            .iter()
            .map(|s| self.expand(&s.base, &genv))
            .collect();
        let needed = needed_stages(df, &bases, &genv, target, self.escape);
        self.total = needed
            .iter()
            .map(|i| 1 + df.stages[*i].instrs.len())
            .sum::<usize>()
            + usize::from(!self.opts.labels.is_empty());
        let layout = self.store.layout().clone();
        let gc_lock = layout.gc_lock_shared()?;
        let mut done: BTreeMap<usize, State> = BTreeMap::new();
        // Each stage's first step and vertex number, as a sequential build
        // would number them.
        let mut first = BTreeMap::new();
        let (mut step, mut vertex) = (self.step, self.vertex);
        for &i in &needed {
            first.insert(i, (step, vertex));
            step += 1 + df.stages[i].instrs.len();
            vertex += 1 + df.stages[i].instrs.len();
        }
        let deps = |i: usize| stage_deps(df, &bases, &genv, i, self.escape);
        for wave in waves(&needed, deps) {
            if let [i] = wave[..] {
                (self.step, self.vertex) = first[&i];
                let st = self.stage(df, i, &bases[i], &global, &done)?;
                done.insert(i, st);
            } else {
                let built = self.parallel(df, &wave, &first, &bases, &global, &done)?;
                done.extend(built);
            }
        }
        (self.step, self.vertex) = (step, vertex);
        let mut st = done.remove(&target).expect("the target stage was built");
        if !self.opts.labels.is_empty() {
            let text = format!(
                "LABEL {}",
                self.opts
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v:?}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            let labels = self.opts.labels.clone();
            self.begin(&text, None, 0)?;
            let by = format!("/bin/sh -c #(nop)  {text}");
            self.config_step(&mut st, &by, move |c, _| {
                let l = c.labels.get_or_insert_with(BTreeMap::new);
                l.extend(labels);
                Ok(())
            })?;
        }
        let unused: Vec<&str> = self
            .opts
            .build_args
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !self.used_args.contains(*k) && !PROXY_ARGS.contains(k))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !unused.is_empty() && self.opts.progress == Progress::Classic {
            writeln!(
                self.out,
                "[Warning] One or more build-args [{}] were not consumed",
                unused.join(" ")
            )?;
        }
        // The image record: the final state's config with a fresh creation
        // time only if the last step was not cached would change the ID;
        // Docker keeps the cached image, so the state's config is recorded
        // as it is.
        let size = chain_ids(&st.image.rootfs.diff_ids)
            .iter()
            .map(|c| self.snaps.layer_info(c).map(|i| i.size).unwrap_or(0))
            .sum();
        let id = record_image(
            &gc_lock,
            self.store,
            &self.content,
            &st.image,
            st.layers.clone(),
            size,
            self.opts.tags.first(),
        )?;
        if self.opts.tags.len() > 1 {
            self.store.write(|tx| -> Result<()> {
                for t in &self.opts.tags[1..] {
                    images::set_tag(tx, &t.to_string(), &id.to_string())?;
                }
                Ok(())
            })?;
        }
        drop(gc_lock);
        match self.opts.progress {
            Progress::Classic => {
                writeln!(self.out, "Successfully built {}", short(&id.to_string()))?;
                for t in &self.opts.tags {
                    writeln!(self.out, "Successfully tagged {}", t.familiar())?;
                }
            }
            Progress::Plain => {
                self.vertex += 1;
                self.plain("exporting to image")?;
                self.plain(&format!("writing image {id} done"))?;
                for t in &self.opts.tags {
                    let name = t.to_string();
                    self.plain(&format!("naming to {name} done"))?;
                }
                self.plain("DONE 0.0s")?;
            }
            Progress::Quiet => {}
        }
        Ok(id)
    }

    /// Build independent stages at once, each on its own thread with its
    /// own store connection and its output buffered; the buffers are
    /// printed whole in Dockerfile order when all are done (so the classic
    /// output reads as a sequential build's, step numbers included), then
    /// the first failure, in Dockerfile order, is returned.
    fn parallel(
        &mut self,
        df: &Dockerfile,
        wave: &[usize],
        first: &BTreeMap<usize, (usize, usize)>,
        bases: &[String],
        global: &[(String, Option<String>)],
        done: &BTreeMap<usize, State>,
    ) -> Result<Vec<(usize, State)>> {
        type Outcome = (Result<State>, Vec<u8>, Vec<u8>, HashSet<String>);
        let (host, bases_src, opts, context) = (self.host, self.bases, self.opts, self.context);
        let (escape, total) = (self.escape, self.total);
        let layout = self.store.layout().clone();
        let results: Vec<Outcome> = std::thread::scope(|s| {
            let handles: Vec<_> = wave
                .iter()
                .map(|&i| {
                    let layout = layout.clone();
                    let (step, vertex) = first[&i];
                    s.spawn(move || -> Outcome {
                        let (mut out, mut err) = (Vec::new(), Vec::new());
                        let mut used = HashSet::new();
                        let r = Store::open(layout).map_err(anyhow::Error::from).and_then(
                            |mut store| {
                                let mut w = Builder::new(
                                    host, &mut store, bases_src, opts, &mut out, &mut err, context,
                                );
                                (w.escape, w.total, w.step, w.vertex) =
                                    (escape, total, step, vertex);
                                let r = w.stage(df, i, &bases[i], global, done);
                                used = std::mem::take(&mut w.used_args);
                                r
                            },
                        );
                        (r, out, err, used)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        (
                            Err(anyhow!("a build stage panicked")),
                            Vec::new(),
                            Vec::new(),
                            HashSet::new(),
                        )
                    })
                })
                .collect()
        });
        let mut built = Vec::new();
        let mut failed = None;
        for (&i, (r, out, err, used)) in wave.iter().zip(results) {
            if failed.is_some() {
                continue;
            }
            self.out.write_all(&out)?;
            self.out.flush()?;
            self.err.write_all(&err)?;
            self.err.flush()?;
            self.used_args.extend(used);
            match r {
                Ok(st) => built.push((i, st)),
                Err(e) => failed = Some(e),
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(built),
        }
    }

    /// Announce a step.
    fn begin(
        &mut self,
        text: &str,
        stage: Option<(&str, usize, usize)>,
        _line: usize,
    ) -> Result<()> {
        self.step += 1;
        self.vertex += 1;
        let line = format!("Step {}/{} : {text}", self.step, self.total);
        self.say(&line)?;
        let label = match stage {
            Some((name, k, m)) => format!("[{name} {k}/{m}] {text}"),
            None => text.to_string(),
        };
        self.plain(&label)
    }

    fn stage(
        &mut self,
        df: &Dockerfile,
        i: usize,
        base: &str,
        global: &[(String, Option<String>)],
        done: &BTreeMap<usize, State>,
    ) -> Result<State> {
        let stage: &Stage = &df.stages[i];
        let label = stage.name.clone().unwrap_or_else(|| format!("stage-{i}"));
        let m = stage.instrs.len() + 1;
        self.begin(&stage.text, Some((&label, 1, m)), stage.line)?;
        if let Some(p) = &stage.platform {
            let p = self.expand(p, &scope_env(global));
            check_platform(&p)?;
        }
        if base.is_empty() {
            bail!("base name ({}) should not be blank", stage.base);
        }
        let from_stage = df.stages[..i]
            .iter()
            .position(|s| s.name.as_deref() == Some(base.to_ascii_lowercase().as_str()));
        let mut st = match from_stage {
            Some(j) => done
                .get(&j)
                .cloned()
                .ok_or_else(|| anyhow!("stage {base} was not built"))?,
            None if base.eq_ignore_ascii_case("scratch") => scratch_state(),
            None => self.base_image(base)?,
        };
        st.args.clear();
        st.key = cache::key(&st.key, &["FROM"]);
        self.say(&format!(" ---> {}", short(&st.id)))?;
        self.plain("DONE 0.0s")?;
        // ONBUILD triggers of the base run first, then are cleared.
        let triggers = st
            .image
            .config
            .as_mut()
            .and_then(|c| c.on_build.take())
            .unwrap_or_default();
        if !triggers.is_empty() {
            self.say(&format!(
                "# Executing {} build trigger{}",
                triggers.len(),
                if triggers.len() == 1 { "" } else { "s" }
            ))?;
            for t in triggers {
                let instr = super::dockerfile::parse_instr(stage.line, &t, Vec::new())
                    .map_err(|e| anyhow!("{e}"))?;
                self.instr(&mut st, &instr, global, df, i, done)?;
            }
        }
        for (k, instr) in stage.instrs.iter().enumerate() {
            self.begin(&instr.text, Some((&label, k + 2, m)), instr.line)?;
            self.instr(&mut st, instr, global, df, i, done)
                .map_err(|e| annotate(e, instr.line))?;
        }
        Ok(st)
    }

    pub(super) fn base_image(&mut self, reference: &str) -> Result<State> {
        let id = self.bases.image(self.store, reference, self.opts.pull)?;
        let rec = images::get(self.store.conn(), &id)?
            .ok_or_else(|| anyhow!("No such image: {reference}"))?;
        let image = crate::image::read_config(&self.content, &id)?;
        let md: Digest = rec.manifest_digest.parse()?;
        let m: manifest::Manifest =
            serde_json::from_slice(&self.content.read(&md, manifest::MAX_MANIFEST_SIZE)?)
                .with_context(|| format!("reading the manifest of image {id}"))?;
        Ok(State {
            image,
            layers: m.layers,
            key: id.clone(),
            id,
            args: Vec::new(),
        })
    }

    /// One instruction over `st`.
    fn instr(
        &mut self,
        st: &mut State,
        instr: &Instr,
        global: &[(String, Option<String>)],
        df: &Dockerfile,
        stage: usize,
        done: &BTreeMap<usize, State>,
    ) -> Result<()> {
        let word = instr
            .text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let rest = instr.text[word.len()..].trim().to_string();
        let nop = |s: &str| format!("/bin/sh -c #(nop)  {s}");
        match &instr.kind {
            Kind::Arg(pairs) => {
                let env = st.subst_env();
                let mut parts = Vec::new();
                for (k, d) in pairs {
                    self.used_args.insert(k.clone());
                    let v = match self.build_arg(k) {
                        Some(v) => v,
                        None => match d {
                            Some(d) => Some(self.expand(d, &env)),
                            None => global
                                .iter()
                                .find(|(n, _)| n == k)
                                .and_then(|(_, v)| v.clone()),
                        },
                    };
                    parts.push(match &v {
                        Some(v) => format!("{k}={v}"),
                        None => k.clone(),
                    });
                    st.args.retain(|(n, _)| n != k);
                    st.args.push((k.clone(), v));
                }
                let text = nop(&format!("ARG {}", parts.join(" ")));
                self.config_step(st, &text, |_, _| Ok(()))
            }
            Kind::Shell(v) => {
                let v = v.clone();
                self.config_step(st, &nop(&instr.text), move |c, _| {
                    c.shell = Some(v);
                    Ok(())
                })
            }
            Kind::Maintainer(m) => {
                let m = m.clone();
                let text = nop(&instr.text);
                self.meta_step(st, &text, move |img, _| {
                    img.author = Some(m);
                    Ok(())
                })
            }
            Kind::Config(Change::Env(pairs)) => {
                let pairs = pairs.clone();
                let mut env = st.subst_env();
                let mut set = Vec::new();
                for (k, v) in pairs {
                    let v = self.expand(&v, &env);
                    env.push(format!("{k}={v}"));
                    set.push((k, v));
                }
                let text = nop(&format!(
                    "ENV {}",
                    set.iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
                self.config_step(st, &text, move |c, _| {
                    let env = c.env.get_or_insert_with(Vec::new);
                    for (k, v) in set {
                        let entry = format!("{k}={v}");
                        match env
                            .iter_mut()
                            .find(|e| e.split_once('=').map(|x| x.0) == Some(&k))
                        {
                            Some(e) => *e = entry,
                            None => env.push(entry),
                        }
                    }
                    Ok(())
                })
            }
            Kind::Config(ch) => {
                let ch = ch.clone();
                let text = nop(&format!("{word} {rest}"));
                let key = cache::key(&st.key, &["META", &text]);
                if self.cached(st, &key)? {
                    return Ok(());
                }
                let subst = st.subst_env();
                let c = st.config();
                let saved = c.env.take();
                c.env = Some(subst);
                let r = change::apply_escaped(c, std::slice::from_ref(&ch), self.escape);
                c.env = saved;
                r.map_err(|e| anyhow!("{e}"))?;
                let layer = match ch {
                    Change::Workdir(_) => self.make_workdir(st)?,
                    _ => None,
                };
                match layer {
                    Some(layer) => self.push_layer(st, layer, text),
                    None => st.image.history.push(History {
                        created: Some(now()),
                        created_by: Some(text),
                        author: None,
                        comment: None,
                        empty_layer: true,
                    }),
                }
                self.finish(st, key)
            }
            Kind::Run { command, network } => {
                let shell = st
                    .image
                    .config
                    .as_ref()
                    .and_then(|c| c.shell.clone())
                    .unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into()]);
                let argv: Vec<String> = match command {
                    Command::Exec(v) => v.clone(),
                    Command::Shell(s) => shell.iter().cloned().chain([s.clone()]).collect(),
                };
                let network = network.unwrap_or(self.opts.network);
                self.run_step(st, argv, network)
            }
            Kind::Copy(c) => self.copy_step(st, c, global, df, stage, done),
        }
    }

    /// A step that changes the image config only. `f` gets the config and
    /// the substitution environment.
    fn config_step(
        &mut self,
        st: &mut State,
        created_by: &str,
        f: impl FnOnce(&mut ContainerConfig, &[String]) -> Result<()>,
    ) -> Result<()> {
        self.meta_step(st, created_by, move |img, subst| {
            f(img.config.get_or_insert_with(Default::default), subst)
        })
    }

    fn meta_step(
        &mut self,
        st: &mut State,
        created_by: &str,
        f: impl FnOnce(&mut ImageConfig, &[String]) -> Result<()>,
    ) -> Result<()> {
        let key = cache::key(&st.key, &["META", created_by]);
        if self.cached(st, &key)? {
            return Ok(());
        }
        let subst = st.subst_env();
        f(&mut st.image, &subst)?;
        st.image.history.push(History {
            created: Some(now()),
            created_by: Some(created_by.to_string()),
            author: None,
            comment: None,
            empty_layer: true,
        });
        self.finish(st, key)
    }

    /// Use the cache entry for `key` if there is one.
    pub(super) fn cached(&mut self, st: &mut State, key: &str) -> Result<bool> {
        if self.opts.no_cache {
            return Ok(false);
        }
        let Some(e) = self.cache.get(key, &self.content, &self.snaps) else {
            return Ok(false);
        };
        let args = std::mem::take(&mut st.args);
        *st = State {
            id: image_id(&e.image),
            image: e.image,
            layers: e.layers,
            key: key.to_string(),
            args,
        };
        self.say(" ---> Using cache")?;
        self.say(&format!(" ---> {}", short(&st.id)))?;
        self.plain("CACHED")?;
        Ok(true)
    }

    /// Record the step's result under `key` and announce it.
    pub(super) fn finish(&mut self, st: &mut State, key: String) -> Result<()> {
        st.image.created = st.image.history.last().and_then(|h| h.created.clone());
        st.id = image_id(&st.image);
        st.key = key;
        self.cache.put(
            &st.key,
            &Entry {
                image: st.image.clone(),
                layers: st.layers.clone(),
                created: now(),
                uses: 1,
            },
        )?;
        self.say(&format!(" ---> {}", short(&st.id)))?;
        self.plain("DONE 0.0s")
    }

    pub(super) fn push_layer(&mut self, st: &mut State, layer: NewLayer, created_by: String) {
        st.image.rootfs.diff_ids.push(layer.diff_id);
        st.layers.push(layer.descriptor);
        st.image.history.push(History {
            created: Some(now()),
            created_by: Some(created_by),
            author: None,
            comment: None,
            empty_layer: false,
        });
    }

    fn run_step(&mut self, st: &mut State, argv: Vec<String>, network: RunNetwork) -> Result<()> {
        let run_args = st.run_args();
        let visible: Vec<String> = run_args
            .iter()
            .filter(|(k, _)| !PROXY_ARGS.contains(&k.as_str()))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let shown = argv.join(" ");
        let created_by = if visible.is_empty() {
            shown.clone()
        } else {
            format!("|{} {} {shown}", visible.len(), visible.join(" "))
        };
        let net = format!("{network:?}");
        let argv_json = serde_json::to_string(&argv)?;
        let key = cache::key(&st.key, &["RUN", &argv_json, &visible.join("\0"), &net]);
        if self.cached(st, &key)? {
            return Ok(());
        }
        // The proxy args reach RUN without an ARG (and stay out of the key).
        let mut args_env: Vec<String> = run_args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for (k, v) in &self.opts.build_args {
            if let (true, Some(v)) = (PROXY_ARGS.contains(&k.as_str()), v) {
                if !run_args.iter().any(|(n, _)| n == k) {
                    args_env.push(format!("{k}={v}"));
                    self.used_args.insert(k.clone());
                }
            }
        }
        let step = RunStep {
            argv: argv.clone(),
            args_env,
            network,
            add_hosts: self.opts.add_hosts.clone(),
            shm_size: self.opts.shm_size.clone(),
            ulimits: self.opts.ulimits.clone(),
            runtime: self.opts.runtime.clone(),
        };
        let progress = self.opts.progress;
        let vertex = self.vertex;
        let mut sink: Box<dyn Write + '_> = match progress {
            Progress::Classic => Box::new(&mut *self.out),
            Progress::Plain => Box::new(Prefixed {
                inner: &mut *self.err,
                prefix: format!("#{vertex} "),
                at_start: true,
            }),
            Progress::Quiet => Box::new(std::io::sink()),
        };
        let mut announce = |id: &str, w: &mut dyn Write| -> std::io::Result<()> {
            if progress == Progress::Classic {
                writeln!(w, " ---> Running in {}", &id[..12])?;
                w.flush()?;
            }
            Ok(())
        };
        let outcome = run::run(
            self.host,
            self.store,
            &st.id,
            &st.image,
            &step,
            &mut *sink,
            &mut announce,
        )?;
        drop(sink);
        match outcome {
            RunOutcome::Failed(code) => Err(StepFailed {
                message: match progress {
                    Progress::Plain => format!(
                        "process \"{}\" did not complete successfully: exit code: {code}",
                        argv.join(" ")
                    ),
                    _ => format!(
                        "The command '{}' returned a non-zero code: {code}",
                        argv.join(" ")
                    ),
                },
                code,
            }
            .into()),
            RunOutcome::Layer(layer) => {
                self.push_layer(st, *layer, created_by);
                self.finish(st, key)
            }
        }
    }

    /// Run `f` on a scratch snapshot of the stage's rootfs; when it says it
    /// changed something, the changes become a layer.
    pub(super) fn scratch_layer(
        &mut self,
        st: &State,
        f: impl FnOnce(&Path) -> Result<bool>,
    ) -> Result<Option<NewLayer>> {
        let id = crate::container::names::new_id();
        let chains = chain_ids(&st.image.rootfs.diff_ids);
        let snap = self
            .snaps
            .prepare_container(&id, &chains, crate::snapshot::Lifetime::Ephemeral)
            .context("preparing a build snapshot")?;
        let r = (|| -> Result<Option<NewLayer>> {
            self.snaps.mount(&snap)?;
            let changed = f(&snap.rootfs);
            self.snaps.unmount(&snap)?;
            if !changed? {
                return Ok(None);
            }
            Ok(Some(crate::image::commit::changes_layer(
                &self.content,
                &self.snaps,
                chains.last(),
                &id,
                &[],
            )?))
        })();
        let removed = self.snaps.remove_container(&id);
        let layer = r?;
        removed.context("removing a build snapshot")?;
        Ok(layer)
    }

    /// WORKDIR creates its directory (owned by root) when missing, in a
    /// layer of its own.
    fn make_workdir(&mut self, st: &State) -> Result<Option<NewLayer>> {
        let Some(dir) = st.image.config.as_ref().and_then(|c| c.working_dir.clone()) else {
            return Ok(None);
        };
        self.scratch_layer(st, |root| {
            mkdir_in_root(root, &dir).with_context(|| format!("creating WORKDIR {dir}"))
        })
    }

    /// A private directory on the data root for files a step stages.
    pub(super) fn scratch_dir(&self) -> Result<std::path::PathBuf> {
        let dir = self.host.layout.data_root.join("tmp");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(dir)
    }

    /// Another stage's (or image's) filesystem mounted for reading, for
    /// `COPY --from`.
    pub(super) fn mount_view(&self, st: &State) -> Result<View> {
        let id = crate::container::names::new_id();
        let chains = chain_ids(&st.image.rootfs.diff_ids);
        let snap = self
            .snaps
            .prepare_container(&id, &chains, crate::snapshot::Lifetime::Ephemeral)
            .context("preparing a build snapshot")?;
        let view = View {
            snaps: self.snaps.clone(),
            root: snap.rootfs.clone(),
            id,
        };
        self.snaps.mount(&snap)?;
        Ok(view)
    }
}

/// A mounted read view of a stage; [`View::close`] (or drop) removes it.
pub(super) struct View {
    snaps: Snapshotter,
    root: std::path::PathBuf,
    id: String,
}

impl View {
    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    pub(super) fn close(mut self) -> Result<()> {
        let id = std::mem::take(&mut self.id);
        self.snaps
            .remove_container(&id)
            .context("removing a build snapshot")
    }
}

impl Drop for View {
    fn drop(&mut self) {
        if !self.id.is_empty() {
            let _ = self.snaps.remove_container(&self.id);
        }
    }
}

/// The `K=V` list of a scope's args that have values.
fn scope_env(args: &[(String, Option<String>)]) -> Vec<String> {
    args.iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
        .collect()
}

/// The stages `target` needs, in Dockerfile order: its base stage and the
/// stages its `COPY --from` name, transitively.
fn needed_stages(
    df: &Dockerfile,
    bases: &[String],
    genv: &[String],
    target: usize,
    esc: char,
) -> Vec<usize> {
    let mut need = vec![false; df.stages.len()];
    let mut todo = vec![target];
    while let Some(i) = todo.pop() {
        if need[i] {
            continue;
        }
        need[i] = true;
        todo.extend(stage_deps(df, bases, genv, i, esc));
    }
    (0..df.stages.len()).filter(|i| need[*i]).collect()
}

/// The earlier stages stage `i` reads: its base, and what its `COPY
/// --from` name.
fn stage_deps(
    df: &Dockerfile,
    bases: &[String],
    genv: &[String],
    i: usize,
    esc: char,
) -> Vec<usize> {
    let mut deps = Vec::new();
    if let Some(j) = df
        .stage_index(&bases[i], i)
        .filter(|j| df.stages[*j].name.is_some())
    {
        deps.push(j);
    }
    for instr in &df.stages[i].instrs {
        if let Kind::Copy(c) = &instr.kind {
            if let Some(from) = &c.from {
                if let Some(j) = df.stage_index(&change::expand_escaped(from, genv, esc), i) {
                    deps.push(j);
                }
            }
        }
    }
    deps
}

/// `needed` (in Dockerfile order) in rounds: each round the stages whose
/// dependencies earlier rounds built, so a round's stages can be built at
/// the same time.
fn waves(needed: &[usize], deps: impl Fn(usize) -> Vec<usize>) -> Vec<Vec<usize>> {
    let mut built: HashSet<usize> = HashSet::new();
    let mut pending: Vec<usize> = needed.to_vec();
    let mut out = Vec::new();
    while !pending.is_empty() {
        let (ready, rest): (Vec<usize>, Vec<usize>) = pending.iter().partition(|i| {
            deps(**i)
                .iter()
                .all(|d| built.contains(d) || !needed.contains(d))
        });
        // Dependencies always point backwards, so the first pending stage is
        // ready; this guards against a loop all the same.
        let ready = if ready.is_empty() {
            vec![rest[0]]
        } else {
            ready
        };
        pending.retain(|i| !ready.contains(i));
        built.extend(&ready);
        out.push(ready);
    }
    out
}

fn scratch_state() -> State {
    let p = manifest::host_platform();
    let image = ImageConfig {
        created: None,
        author: None,
        architecture: p.architecture,
        os: p.os,
        variant: p.variant,
        config: Some(ContainerConfig {
            env: Some(vec![
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
            ]),
            ..Default::default()
        }),
        rootfs: manifest::RootFs {
            kind: "layers".into(),
            diff_ids: Vec::new(),
        },
        history: Vec::new(),
        extra: Default::default(),
    };
    State {
        id: image_id(&image),
        image,
        layers: Vec::new(),
        key: "scratch".into(),
        args: Vec::new(),
    }
}

/// `--platform` on FROM: the host's only.
pub fn check_platform(p: &str) -> Result<()> {
    let want = manifest::parse_platform(p).map_err(|e| anyhow!(e))?;
    let host = manifest::host_platform();
    if want.os != host.os || want.architecture != host.architecture {
        bail!(
            "platform {p} is not supported: berth builds for the host's platform ({}/{}) only",
            host.os,
            host.architecture
        );
    }
    Ok(())
}

/// Errors from a step name its line (`Dockerfile:3`), as BuildKit does.
fn annotate(e: anyhow::Error, line: usize) -> anyhow::Error {
    if e.downcast_ref::<StepFailed>().is_some() {
        return e;
    }
    e.context(format!("Dockerfile:{line}"))
}

/// `mkdir -p` of `dir` inside `root` (symlinks resolved in the root);
/// whether anything was made.
pub fn mkdir_in_root(root: &Path, dir: &str) -> std::io::Result<bool> {
    use crate::sys::fs::{mkdirat, open_in_root_fd, open_root};
    let rootf = open_root(root)?;
    let mut made = false;
    let mut prefix = std::path::PathBuf::from("/");
    for comp in Path::new(dir).components() {
        let std::path::Component::Normal(name) = comp else {
            continue;
        };
        let next = prefix.join(name);
        match open_in_root_fd(&rootf, &next, libc::O_PATH | libc::O_DIRECTORY) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let parent = open_in_root_fd(&rootf, &prefix, libc::O_PATH | libc::O_DIRECTORY)?;
                mkdirat(&parent, Path::new(name), 0o755)?;
                made = true;
            }
            Err(e) => return Err(e),
        }
        prefix = next;
    }
    Ok(made)
}

/// Prefixes each output line (BuildKit's plain progress: `#5 hello`).
struct Prefixed<'a> {
    inner: &'a mut dyn Write,
    prefix: String,
    at_start: bool,
}

impl Write for Prefixed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for chunk in buf.split_inclusive(|b| *b == b'\n') {
            if self.at_start {
                self.inner.write_all(self.prefix.as_bytes())?;
            }
            self.inner.write_all(chunk)?;
            self.at_start = chunk.ends_with(b"\n");
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_selection_skips_unused_stages() {
        let df = super::super::dockerfile::parse(
            "FROM busybox AS a\nRUN x\nFROM busybox AS b\nCOPY --from=a /x /x\nFROM busybox AS unused\nFROM b AS final\nCOPY --from=0 /y /y\n",
        )
        .unwrap();
        let bases: Vec<String> = df.stages.iter().map(|s| s.base.clone()).collect();
        assert_eq!(needed_stages(&df, &bases, &[], 3, '\\'), [0, 1, 3]);
        assert_eq!(needed_stages(&df, &bases, &[], 2, '\\'), [2]);
        assert_eq!(needed_stages(&df, &bases, &[], 1, '\\'), [0, 1]);
    }

    #[test]
    fn independent_stages_share_a_wave() {
        let df = super::super::dockerfile::parse(
            "FROM busybox AS a\nFROM busybox AS b\nFROM a AS c\nCOPY --from=b /x /x\nFROM busybox AS d\nFROM c\nCOPY --from=d /y /y\n",
        )
        .unwrap();
        let bases: Vec<String> = df.stages.iter().map(|s| s.base.clone()).collect();
        let needed = needed_stages(&df, &bases, &[], 4, '\\');
        assert_eq!(needed, [0, 1, 2, 3, 4]);
        let deps = |i| stage_deps(&df, &bases, &[], i, '\\');
        assert_eq!(waves(&needed, deps), vec![vec![0, 1, 3], vec![2], vec![4]]);
        // A target that needs one chain builds it one stage at a time.
        let needed = needed_stages(&df, &bases, &[], 2, '\\');
        let deps = |i| stage_deps(&df, &bases, &[], i, '\\');
        assert_eq!(waves(&needed, deps), vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn args_and_env_scoping() {
        let mut st = scratch_state();
        st.args = vec![
            ("A".into(), Some("arg".into())),
            ("B".into(), Some("b".into())),
            ("U".into(), None),
        ];
        st.config().env = Some(vec!["A=env".into()]);
        let env = st.subst_env();
        assert_eq!(change::expand("$A $B ${U:-u} ${U-x}", &env), "env b u x");
        assert_eq!(st.run_args(), [("B".to_string(), "b".to_string())]);
        let names: Vec<String> = platform_args().into_iter().map(|(k, _)| k).collect();
        assert!(names.contains(&"TARGETARCH".to_string()));
        assert!(names.contains(&"BUILDPLATFORM".to_string()));
        assert!(check_platform("linux/s390x").is_err() || std::env::consts::ARCH == "s390x");
    }

    #[test]
    fn mkdir_in_root_stays_inside() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        std::fs::create_dir(&root).unwrap();
        std::os::unix::fs::symlink("/", root.join("escape")).unwrap();
        assert!(mkdir_in_root(&root, "/escape/berth-build-test/x").unwrap());
        assert!(root.join("berth-build-test/x").is_dir());
        assert!(!Path::new("/berth-build-test").exists());
        assert!(!mkdir_in_root(&root, "/berth-build-test/x").unwrap());
    }
}
