//! The executor's `COPY`/`ADD` step: sources from the build context (with
//! its `.dockerignore`), another stage or an image (`--from`), or the
//! instruction's heredocs; copied by `build::copy` into a scratch snapshot
//! of the stage whose changes become the step's layer. The cache key holds
//! what is copied: `copy::content_key` over the context's files, the
//! source stage's own key for `--from`, the bodies of heredocs.

use super::cache;
use super::copy::{self, CopyOptions};
use super::dockerfile::{Copy, Dockerfile};
use super::exec::{Builder, State};
use super::ignore::Ignore;
use crate::image::change;
use anyhow::{anyhow, bail, Context as _, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the step's sources are.
enum Source {
    Context,
    /// Another stage's or an image's filesystem.
    Stage(Box<State>),
    /// A private directory holding the heredocs as files.
    Heredocs(HeredocDir),
}

impl Builder<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn copy_step(
        &mut self,
        st: &mut State,
        c: &Copy,
        global: &[(String, Option<String>)],
        df: &Dockerfile,
        stage: usize,
        done: &BTreeMap<usize, State>,
    ) -> Result<()> {
        let cmd = if c.add { "ADD" } else { "COPY" };
        let env = st.subst_env();
        let esc = self.escape();
        let x = |s: &str| change::expand_escaped(s, &env, esc);
        let heredoc_names: Vec<&str> = c.heredocs.iter().map(|h| h.name.as_str()).collect();
        let is_heredoc = |s: &str| {
            s.strip_prefix("<<")
                .map(|r| r.trim_start_matches('-').trim_matches(['"', '\'']))
                .is_some_and(|n| heredoc_names.contains(&n))
        };
        let mut sources: Vec<String> = Vec::new();
        let mut docs = 0;
        for s in &c.sources {
            if is_heredoc(s) {
                docs += 1;
                let name = s
                    .trim_start_matches("<<")
                    .trim_start_matches('-')
                    .trim_matches(['"', '\'']);
                sources.push(name.to_string());
            } else {
                sources.push(x(s));
            }
        }
        if docs > 0 && docs != sources.len() {
            bail!("{cmd} with both heredocs and files is not supported by berth's builder");
        }
        let dest = x(&c.dest);
        let opts = CopyOptions {
            chown: c.chown.as_deref().map(&x),
            chmod: c.chmod.as_deref().map(&x),
            extract_archives: c.add,
            from_stage: c.from.is_some(),
        };
        let workdir = st
            .image
            .config
            .as_ref()
            .and_then(|c| c.working_dir.clone())
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "/".into());
        let source = if docs > 0 {
            let dir = HeredocDir::new(&self.scratch_dir()?)?;
            for h in &c.heredocs {
                let body = if h.expand {
                    change::expand_escaped(&h.content, &env, esc)
                } else {
                    h.content.clone()
                };
                std::fs::write(dir.path().join(&h.name), body)
                    .with_context(|| format!("writing heredoc {}", h.name))?;
            }
            Source::Heredocs(dir)
        } else if let Some(from) = &c.from {
            let genv: Vec<String> = global
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
                .collect();
            let from = change::expand_escaped(from, &genv, esc);
            match df.stage_index(&from, stage) {
                Some(j) => Source::Stage(Box::new(
                    done.get(&j)
                        .cloned()
                        .ok_or_else(|| anyhow!("stage {from} was not built"))?,
                )),
                None => Source::Stage(Box::new(self.base_image(&from)?)),
            }
        } else {
            Source::Context
        };
        let empty = Ignore::empty();
        let (what, ignore): (String, &Ignore) = match &source {
            Source::Context => {
                let ctx = self
                    .context
                    .ok_or_else(|| anyhow!("{cmd} needs a build context"))?;
                let k = copy::content_key(ctx.root(), ctx.ignore(), &sources, &opts)?;
                (format!("context:{k}"), ctx.ignore())
            }
            Source::Heredocs(d) => (
                format!(
                    "heredoc:{}",
                    copy::content_key(d.path(), &empty, &sources, &opts)?
                ),
                &empty,
            ),
            Source::Stage(s) => (format!("stage:{}", s.key), &empty),
        };
        let text = format!(
            "{cmd} chown={:?} chmod={:?} {} {dest} workdir={workdir}",
            opts.chown,
            opts.chmod,
            sources.join(" ")
        );
        let key = cache::key(&st.key, &[&text, &what]);
        if self.cached(st, &key)? {
            return Ok(());
        }
        let created_by = format!(
            "/bin/sh -c #(nop) {cmd} {}:{} in {dest} ",
            if sources.len() == 1 { "file" } else { "multi" },
            &cache::key(&what, &[]),
        );
        let copy_into = |src_root: &Path, root: &Path| -> Result<bool> {
            copy::copy(src_root, ignore, &sources, root, &dest, &workdir, &opts)?;
            Ok(true)
        };
        let layer = match &source {
            Source::Context => {
                let root: PathBuf = self.context.expect("checked above").root().to_path_buf();
                self.scratch_layer(st, |r| copy_into(&root, r))?
            }
            Source::Heredocs(d) => self.scratch_layer(st, |r| copy_into(d.path(), r))?,
            Source::Stage(s) => {
                let view = self.mount_view(s)?;
                let r = self.scratch_layer(st, |r| copy_into(view.root(), r));
                let closed = view.close();
                let layer = r?;
                closed?;
                layer
            }
        };
        if let Some(layer) = layer {
            self.push_layer(st, layer, created_by);
        }
        self.finish(st, key)
    }
}

/// A private directory for a COPY's heredocs, removed on drop.
struct HeredocDir(PathBuf);

impl HeredocDir {
    fn new(parent: &Path) -> Result<HeredocDir> {
        use std::os::unix::fs::DirBuilderExt;
        let p = parent.join(format!("heredoc-{}", crate::container::names::new_id()));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&p)
            .with_context(|| format!("creating {}", p.display()))?;
        Ok(HeredocDir(p))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for HeredocDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
