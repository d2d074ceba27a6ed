use crate::cli::image::LoginArgs;
use crate::cmd::context::Context;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: LoginArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}

pub fn run_logout(_ctx: &Context, _args: crate::cli::image::LogoutArgs) -> Result<u8> {
    anyhow::bail!("not implemented yet")
}
