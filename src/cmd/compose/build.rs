//! `berth compose build [SERVICE...]`: each named service (or every
//! service) that has `build:` built through `berth build`'s path
//! (`Engine::build`), in dependency order, tagged with its image
//! (`image:`, else `<project>-<service>`) and labelled as compose labels
//! what it builds. Services without `build:` are skipped, as compose
//! skips them; what the named services depend on is built only with
//! `--with-dependencies`. `--dry-run` prints the Building/Built lines and
//! builds nothing.

use super::engine::{BuildFlags, Engine};
use crate::cli::compose::ComposeBuildArgs;
use crate::cmd::context::Context;
use crate::compose::plan;
use crate::compose::project::LoadOptions;
use anyhow::{anyhow, Result};

pub fn run(ctx: &Context, mut base: LoadOptions, a: ComposeBuildArgs, dry_run: bool) -> Result<u8> {
    // Named services are enabled whatever their profiles (with what they
    // depend on); an unknown one fails the load.
    base.services = a.services.clone();
    let project = super::load(&base)?;
    let mut engine = Engine::new(ctx, project, "Building", dry_run)?;
    if !a.with_dependencies && !a.services.is_empty() {
        super::up::no_deps_selection(&mut engine.svcs, &a.services);
    }
    let flags = BuildFlags {
        no_cache: a.no_cache,
        pull: a.pull,
        quiet: a.quiet,
        args: a.build_arg.clone(),
    };
    for name in plan::start_order(&engine.svcs).map_err(|e| anyhow!(e))? {
        let svc = engine.service(&name).expect("ordered from the services");
        if let (Some(_), Some(image)) = (&svc.build, &svc.image) {
            engine.build(svc, image, &flags)?;
        }
    }
    Ok(0)
}
