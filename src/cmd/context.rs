//! What every command needs: resolved settings, the on-disk layout, and
//! constructors for the stores and clients the domains use.

use crate::cli::GlobalArgs;
use crate::config::Settings;
use crate::image::content::ContentStore;
use crate::store::{Layout, Store};
use anyhow::{Context as _, Result};

pub struct Context {
    pub settings: Settings,
    pub layout: Layout,
    /// Leftovers were swept once in this invocation (see `container_store`).
    swept: std::sync::atomic::AtomicBool,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Context> {
        let settings = Settings::load(global)?;
        let layout = Layout::new(settings.data_root.clone(), settings.state_root.clone());
        Ok(Context {
            settings,
            layout,
            swept: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Open the metadata database (creating the roots on first use).
    pub fn store(&self) -> Result<Store> {
        Store::open(self.layout.clone()).context("opening berth's metadata store")
    }

    pub fn content(&self) -> ContentStore {
        ContentStore::new(self.layout.content_dir())
    }

    /// Image garbage collection as every command runs it: remove what no
    /// image record and no build-cache entry uses. The caller holds the
    /// exclusive GC lock (`lock`).
    pub fn collect_garbage(
        &self,
        lock: &crate::sys::lock::FileLock,
        store: &Store,
    ) -> Result<crate::image::gc::GcReport> {
        crate::image::gc::collect(
            lock,
            store.conn(),
            &self.content(),
            &crate::snapshot::Snapshotter::new(self.layout.snapshots_dir()),
            &crate::build::cache::Cache::new(&self.layout.data_root).live(),
        )
    }

    /// The registry client, configured from the settings.
    pub fn registry(&self) -> Result<crate::image::registry::Registry> {
        let opts = crate::image::registry::RegistryOptions {
            insecure: self.settings.insecure_registries.clone(),
            hosts_dir: self.settings.hosts_dir.clone(),
            docker_config: self.settings.docker_config.clone(),
        };
        Ok(crate::image::registry::Registry::new(opts))
    }

    /// Where networking finds its plugins and keeps its files.
    pub fn net_env(&self) -> crate::network::NetEnv {
        let s = &self.settings;
        crate::network::NetEnv {
            plugin_dirs: s.cni_path.clone(),
            conf_dir: s.cni_netconfpath.clone(),
            default_bridge: s.default_bridge.clone(),
            default_subnet: s.default_subnet,
            state_root: s.state_root.clone(),
            resolv_conf: s.resolv_conf.clone(),
            host_rules: true,
        }
    }

    /// The engine value for this invocation: layout, shim arguments, and the
    /// real OCI runtime provider and shim launcher.
    pub fn host(&self) -> Result<crate::container::lifecycle::Host> {
        let (exe, args) = self.shim_command()?;
        let s = &self.settings;
        Ok(crate::container::lifecycle::Host {
            layout: self.layout.clone(),
            exe,
            global_args: args,
            default_runtime: s.runtime.clone(),
            snapshot_driver: crate::snapshot::choose_driver(&s.snapshotter, &s.data_root),
            runtimes: std::sync::Arc::new(crate::runtime::runc::RuncProvider::new(
                &s.runtime,
                &s.state_root,
            )),
            shims: std::sync::Arc::new(crate::shim::launch::ProcessLauncher),
            cni: std::sync::Arc::new(crate::network::cni::ExecInvoker::new(&self.net_env())),
            net: self.net_env(),
        })
    }

    /// The binary a shim runs and the global flags it is given (its
    /// instance: data root, state root, runtime, CNI paths, config).
    pub fn shim_command(&self) -> Result<(std::path::PathBuf, Vec<std::ffi::OsString>)> {
        let exe = std::env::current_exe().context("finding the berth binary")?;
        let s = &self.settings;
        let mut args: Vec<std::ffi::OsString> = vec![
            "--data-root".into(),
            s.data_root.clone().into(),
            "--state-root".into(),
            s.state_root.clone().into(),
            "--runtime".into(),
            s.runtime.clone().into(),
        ];
        args.push("--cni-path".into());
        args.push(std::env::join_paths(&s.cni_path)?);
        args.push("--cni-netconfpath".into());
        args.push(s.cni_netconfpath.clone().into());
        if let Some(c) = &s.config_path {
            args.push("--config".into());
            args.push(c.clone().into());
        }
        if s.debug {
            args.push("--debug".into());
        }
        Ok((exe, args))
    }

    /// Open the store and finish anything killed CLIs or a reboot left.
    pub fn container_store(&self) -> Result<(crate::container::lifecycle::Host, Store)> {
        let host = self.host()?;
        let mut store = self.store()?;
        // Once per invocation is enough: `run` opens the store twice.
        if !self.swept.swap(true, std::sync::atomic::Ordering::SeqCst) {
            crate::container::lifecycle::sweep(&host, &mut store)?;
        }
        Ok((host, store))
    }

    /// A tokio runtime for registry I/O (the only place berth uses async).
    pub fn runtime(&self) -> Result<tokio::runtime::Runtime> {
        crate::image::async_runtime().context("starting the async runtime")
    }
}
