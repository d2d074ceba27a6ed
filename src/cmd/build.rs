//! `berth build` (also `image build`, `builder build`) and `builder prune`:
//! the flags become `build::exec::BuildOptions` (unsupported ones refused
//! with a reason), the Dockerfile is read and parsed, base images are found
//! or pulled as `run` finds them, and `build::exec::Builder` does the rest.

use crate::build::cache::Cache;
use crate::build::context::{Context as BuildContext, ContextSource};
use crate::build::dockerfile::{self, RunNetwork};
use crate::build::exec::{self, BuildOptions, Builder, Progress};
use crate::cli::build::{BuildArgs, BuilderCommand, BuilderPruneArgs};
use crate::cmd::context::Context;
use crate::image::lookup;
use crate::image::manifest::host_platform;
use crate::image::reference::{parse_tag_target, Reference};
use crate::store::Store;
use anyhow::{anyhow, bail, Context as _, Result};
use std::io::Write;

pub fn run_group(ctx: &Context, c: BuilderCommand) -> Result<u8> {
    match c {
        BuilderCommand::Build(a) => run(ctx, *a),
        BuilderCommand::Prune(a) => prune(ctx, a),
    }
}

/// Flags → options, with docker's errors and berth's refusals.
fn options(ctx: &Context, a: &BuildArgs) -> Result<BuildOptions> {
    let refuse = |flag: &str, given: bool, why: &str| -> Result<()> {
        if given {
            bail!("{flag} is not supported by berth's builder: {why}");
        }
        Ok(())
    };
    refuse(
        "--secret",
        !a.secret.is_empty(),
        "no build secrets are mounted",
    )?;
    refuse("--ssh", !a.ssh.is_empty(), "no SSH agent is forwarded")?;
    refuse(
        "--output",
        !a.output.is_empty(),
        "the image is always stored in berth's image store",
    )?;
    refuse(
        "--cache-from",
        !a.cache_from.is_empty(),
        "the cache is local only",
    )?;
    refuse(
        "--cache-to",
        !a.cache_to.is_empty(),
        "the cache is local only",
    )?;
    if !a.rm {
        bail!("--rm=false is not supported by berth's builder: the containers of RUN steps are always removed");
    }
    if let Some(p) = &a.platform {
        exec::check_platform(p)?;
    }
    let tags = a
        .tag
        .iter()
        .map(|t| {
            parse_tag_target(t).map_err(|_| {
                anyhow!("invalid argument \"{t}\" for \"-t, --tag\" flag: invalid reference format")
            })
        })
        .collect::<Result<Vec<Reference>>>()?;
    let build_args = a
        .build_arg
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (kv.clone(), std::env::var(kv).ok()),
        })
        .collect();
    let labels = a
        .label
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.clone(), String::new()),
        })
        .collect();
    let network = match a.network.as_str() {
        "default" | "" => RunNetwork::Default,
        "none" => RunNetwork::None,
        "host" => RunNetwork::Host,
        other => bail!(
            "network mode \"{other}\" not supported by berth's builder: use default, none or host"
        ),
    };
    let progress = match (a.quiet, a.progress.as_str()) {
        (true, _) => Progress::Quiet,
        (false, "auto" | "tty") => Progress::Classic,
        (false, "plain") => Progress::Plain,
        (false, "quiet") => Progress::Quiet,
        (false, other) => bail!("invalid progress mode \"{other}\": use auto, plain or tty"),
    };
    Ok(BuildOptions {
        tags,
        build_args,
        target: a.target.clone(),
        labels,
        no_cache: a.no_cache,
        pull: a.pull,
        network,
        add_hosts: a.add_host.clone(),
        shm_size: a.shm_size.clone(),
        ulimits: a.ulimit.clone(),
        progress,
        runtime: ctx.settings.runtime.clone(),
    })
}

/// Base images: found locally or pulled (`--pull`: always), as `run` does.
struct StoreBases<'a> {
    ctx: &'a Context,
}

impl exec::Bases for StoreBases<'_> {
    fn image(&self, store: &mut Store, reference: &str, pull: bool) -> Result<String> {
        let found = match lookup::find(store.conn(), reference) {
            Ok(rec) => Some(rec.id),
            Err(lookup::LookupError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        if let (Some(id), false) = (&found, pull) {
            return Ok(id.clone());
        }
        let reference = Reference::parse(reference)?;
        let opts = crate::image::pull::PullOptions {
            reference,
            platform: host_platform(),
            max_concurrent_downloads: self.ctx.settings.max_concurrent_downloads,
        };
        let progress = crate::image::progress::TextProgress::new(std::io::stderr());
        let pulled = crate::image::pull::pull_and_record(
            store,
            self.ctx.registry()?,
            &opts,
            std::sync::Arc::new(progress),
        );
        match (pulled, found) {
            (Ok(p), _) => Ok(p.config_digest.to_string()),
            // `--pull` with no registry at hand keeps a local image, as docker's does not; berth says so.
            (Err(e), Some(id)) if pull => {
                eprintln!(
                    "WARNING: could not pull {}: {e:#}; using the local image",
                    opts.reference.familiar()
                );
                Ok(id)
            }
            (Err(e), _) => Err(e.into()),
        }
    }
}

pub fn run(ctx: &Context, a: BuildArgs) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    let (id, opts) = build_with(ctx, &a, &mut out, &mut err)?;
    if opts.progress == Progress::Quiet {
        writeln!(out, "{id}")?;
    }
    if let Some(path) = &a.iidfile {
        std::fs::write(path, &id)
            .with_context(|| format!("writing the image ID to {}", path.display()))?;
    }
    Ok(0)
}

/// Build as `a` says, the steps' output to `out` and `err`; the image ID
/// (shared by `build` and `compose up`'s builds).
pub fn build_with(
    ctx: &Context,
    a: &BuildArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(String, BuildOptions)> {
    let opts = options(ctx, a)?;
    let source = if a.context == "-" {
        ContextSource::Stdin
    } else {
        ContextSource::Dir(a.context.clone().into())
    };
    let scratch = ctx.layout.data_root.join("tmp");
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let build_ctx = BuildContext::open(
        source,
        a.file.as_deref(),
        &mut std::io::stdin().lock(),
        &scratch,
    )?;
    let text = String::from_utf8_lossy(build_ctx.dockerfile()).into_owned();
    let df = dockerfile::parse(&text)?;
    let (host, mut store) = ctx.container_store()?;
    let bases = StoreBases { ctx };
    let id =
        Builder::new(&host, &mut store, &bases, &opts, out, err, Some(&build_ctx)).build(&df)?;
    let id = id.to_string();
    // moby tags a built image through TagImage, which records `tag`.
    for t in &opts.tags {
        crate::image::emit_event(&ctx.layout, "tag", &id, &t.familiar(), &id);
    }
    Ok((id, opts))
}

/// `builder prune`: forget the cache entries, then collect what only they
/// kept (Docker's prompt and report).
pub fn prune(ctx: &Context, a: BuilderPruneArgs) -> Result<u8> {
    let sel = crate::build::prune::Selection::parse(&a.filter)?;
    let keep =
        match &a.keep_storage {
            None => None,
            Some(v) => Some(
                u64::try_from(crate::format::units::parse_size(v).map_err(|e| {
                    anyhow!("invalid argument {v:?} for \"--keep-storage\" flag: {e}")
                })?)
                .unwrap_or(0),
            ),
        };
    if !a.force {
        let what = if a.all {
            "WARNING! This will remove all build cache."
        } else {
            "WARNING! This will remove all dangling build cache."
        };
        if !crate::cmd::confirm(what)? {
            return Ok(0);
        }
    }
    let bytes = if a.filter.is_empty() && keep.is_none() {
        prune_cache(ctx)?
    } else {
        prune_selected(ctx, &sel, keep)?
    };
    writeln!(
        std::io::stdout(),
        "Total:\t{}",
        crate::format::units::human_size(bytes)
    )?;
    Ok(0)
}

/// Remove the entries `sel` and `keep` pick, then what only they kept.
fn prune_selected(
    ctx: &Context,
    sel: &crate::build::prune::Selection,
    keep: Option<u64>,
) -> Result<u64> {
    let mut store = ctx.store()?;
    store.frees_space();
    let gc_lock = ctx.layout.gc_lock_exclusive()?;
    let cache = Cache::new(&ctx.layout.data_root);
    let content = crate::image::content::ContentStore::new(ctx.layout.content_dir());
    let snaps = crate::snapshot::Snapshotter::new(ctx.layout.snapshots_dir());
    let size = |e: &[&crate::build::cache::Entry]| Cache::size_of(e, &content, &snaps);
    let records = cache.records();
    let now = std::time::SystemTime::now();
    for key in crate::build::prune::pick(&records, sel, keep, now, &size) {
        cache.remove(&key)?;
    }
    let report = ctx.collect_garbage(&gc_lock, &store)?;
    Ok(report.bytes)
}

/// Remove the build cache and what only it kept; the bytes freed. Also a
/// step of `system prune`.
pub fn prune_cache(ctx: &Context) -> Result<u64> {
    let mut store = ctx.store()?;
    store.frees_space();
    let gc_lock = ctx.layout.gc_lock_exclusive()?;
    Cache::new(&ctx.layout.data_root).clear()?;
    let report = ctx.collect_garbage(&gc_lock, &store)?;
    Ok(report.bytes)
}
