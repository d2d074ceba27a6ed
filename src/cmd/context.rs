//! What every command needs: resolved settings and lazily opened stores.

use crate::cli::GlobalArgs;
use crate::config::Settings;
use anyhow::Result;

pub struct Context {
    pub settings: Settings,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Context> {
        let settings = Settings::load(global)?;
        Ok(Context { settings })
    }
}
