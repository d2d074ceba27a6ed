//! A `RUN` step: a container made from the stage's current image config and
//! layers exactly as `run` makes one (`CreateOptions::validate`,
//! `lifecycle::create`/`start`: Docker's default capabilities, seccomp
//! profile, masked paths; not privileged), attached so its output streams
//! to the build's output, then its changes committed as one layer through
//! `image::commit::changes_layer` (the path `commit` takes), and the
//! container removed whatever happened. Like Docker's classic builder, the
//! container is a real one while it runs (`ps -a` shows it) and leaves no
//! record, mount, snapshot or network behind.

use super::dockerfile::RunNetwork;
use crate::container::lifecycle::{self, CreateRequest, Host, StartOptions};
use crate::container::options::{CreateOptions, HealthFlags};
use crate::digest::Digest;
use crate::image::content::ContentStore;
use crate::image::import::NewLayer;
use crate::image::manifest::{chain_ids, ImageConfig};
use crate::shim::attach::{AttachOptions, PumpEnd, PumpIo};
use crate::store::Store;
use anyhow::{anyhow, Result};
use std::io::Write;

/// What the step runs and how, besides the image.
#[derive(Debug, Clone)]
pub struct RunStep {
    /// The full command line (the shell already wrapped around it).
    pub argv: Vec<String>,
    /// Build args as `K=V`, only those the image's env does not set.
    pub args_env: Vec<String>,
    pub network: RunNetwork,
    pub add_hosts: Vec<String>,
    pub shm_size: Option<String>,
    pub ulimits: Vec<String>,
    pub runtime: String,
}

/// How the step's process ended, and its layer when it succeeded.
pub enum RunOutcome {
    Layer(Box<NewLayer>),
    Failed(i32),
}

fn options(step: &RunStep) -> CreateOptions {
    CreateOptions {
        image: "berth-build-step".into(),
        command: step.argv.clone(),
        entrypoint: Some(String::new()),
        env: step.args_env.clone(),
        log_driver: "none".into(),
        networks: match step.network {
            RunNetwork::Default => Vec::new(),
            RunNetwork::None => vec!["none".into()],
            RunNetwork::Host => vec!["host".into()],
        },
        add_hosts: step.add_hosts.clone(),
        shm_size: step.shm_size.clone(),
        ulimits: step.ulimits.clone(),
        // The image's HEALTHCHECK is for containers of the image, not its build.
        health: HealthFlags {
            none: true,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Run `step` over `image` (its layers unpacked). `started` is told the
/// container's id before any output arrives.
pub fn run(
    host: &Host,
    store: &mut Store,
    image_id: &str,
    image: &ImageConfig,
    step: &RunStep,
    out: &mut dyn Write,
    started: &mut dyn FnMut(&str, &mut dyn Write) -> std::io::Result<()>,
) -> Result<RunOutcome> {
    let opts = options(step);
    let spec = opts.validate(&step.runtime)?;
    let hidden = crate::container::mounts::runtime_mount_points(&spec);
    let c = lifecycle::create(
        host,
        store,
        CreateRequest {
            name: None,
            image_id: image_id.to_string(),
            image_config: image.clone(),
            config: spec,
        },
    )?;
    let id = c.row.id.clone();
    let result = run_created(host, store, c, image, &hidden, out, started);
    // Whatever happened, the container goes.
    let removed = (|| -> Result<()> {
        let lock = host.lock(&id)?;
        if let Ok(mut c) = lifecycle::find(store, &id) {
            lifecycle::remove(host, store, &lock, &mut c, true, true)?;
        }
        Ok(())
    })();
    let outcome = result?;
    removed?;
    Ok(outcome)
}

fn run_created(
    host: &Host,
    store: &mut Store,
    mut c: lifecycle::Container,
    image: &ImageConfig,
    hidden: &[std::path::PathBuf],
    out: &mut dyn Write,
    started: &mut dyn FnMut(&str, &mut dyn Write) -> std::io::Result<()>,
) -> Result<RunOutcome> {
    let id = c.row.id.clone();
    started(&id, out)?;
    let lock = host.lock(&id)?;
    let attach = Some(AttachOptions {
        stdin: false,
        stdout: true,
        stderr: true,
    });
    let s = lifecycle::start(host, store, &lock, &mut c, image, StartOptions { attach })
        .map_err(|f| f.error)?;
    drop(lock);
    let mut client = s
        .attach
        .ok_or_else(|| anyhow!("the shim did not open an attach session"))?;
    // Both streams go to the one build output, in the order they come.
    let end = {
        let cell = std::cell::RefCell::new(out);
        let (mut a, mut b) = (Shared(&cell), Shared(&cell));
        client.pump(PumpIo {
            input: None,
            stdout: &mut a,
            stderr: &mut b,
            detach_keys: None,
            close_stdin_on_eof: false,
            resize_from: None,
        })?
    };
    lifecycle::record_exit(host, store, &id);
    let code = match end {
        PumpEnd::Exited(code) => code,
        PumpEnd::Detached | PumpEnd::Disconnected => {
            let mut c = lifecycle::find(store, &id)?;
            lifecycle::refresh(host, store, &mut c)?;
            i32::try_from(c.row.exit_code).unwrap_or(1)
        }
    };
    if code != 0 {
        return Ok(RunOutcome::Failed(code));
    }
    let content = ContentStore::new(host.layout.content_dir());
    let chains: Vec<Digest> = chain_ids(&image.rootfs.diff_ids);
    let layer = crate::image::commit::changes_layer(
        &content,
        &host.snapshots(),
        chains.last(),
        &id,
        hidden,
    )?;
    Ok(RunOutcome::Layer(Box::new(layer)))
}

/// One writer seen as two (stdout and stderr of the step both go to it).
struct Shared<'a, 'b>(&'b std::cell::RefCell<&'a mut dyn Write>);

impl Write for Shared<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.borrow_mut().flush()
    }
}
