//! Hidden `berth internal ...` roles.

use crate::cli::internal::{GenDocsArgs, InternalCommand, ShimControlArgs};
use anyhow::{Context as _, Result};
use clap_complete::Shell;
use std::path::Path;

pub fn run(cmd: InternalCommand, global: &crate::cli::GlobalArgs) -> Result<u8> {
    match cmd {
        InternalCommand::GenDocs(a) => gen_docs(&a),
        InternalCommand::Shim(a) => Ok(crate::shim::main(&a.state_dir)?),
        InternalCommand::Cleanup(a) => cleanup(global, &a.id),
        InternalCommand::ShimControl(a) => shim_control(&a),
        InternalCommand::Dns(a) => dns(&a.state_dir),
    }
}

/// Run a network's name server (see `network::dns::server`). The state
/// directory must be one berth made: it holds the records file.
fn dns(dir: &Path) -> Result<u8> {
    if !dir.is_absolute() || !dir.join(crate::network::dns::RECORDS).is_file() {
        anyhow::bail!(
            "internal dns: {} is not a name server state directory",
            dir.display()
        );
    }
    Ok(crate::network::dns::server::main(dir))
}

/// Send one control request to a running shim and print the state it
/// replies with.
fn shim_control(args: &ShimControlArgs) -> Result<u8> {
    use crate::shim::control::{request, Request};
    let req = match &args.restart {
        Some(p) => Request::SetRestartPolicy {
            policy: p.parse().map_err(anyhow::Error::msg)?,
        },
        None => Request::State,
    };
    let state = request(&args.state_dir, &req)
        .with_context(|| format!("shim of {}", args.state_dir.display()))?;
    println!("{}", serde_json::to_string(&state)?);
    Ok(0)
}

/// After a container exited for good (run by its shim): `--rm` removes it;
/// otherwise its networks are released (Docker frees a stopped container's
/// address and ports at once). Another process (the foreground `run`, a
/// `stop`) may be doing the same; the container lock makes the second one
/// find nothing to do.
fn cleanup(global: &crate::cli::GlobalArgs, id: &str) -> Result<u8> {
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        anyhow::bail!("internal cleanup: invalid container id {id:?}");
    }
    let ctx = crate::cmd::context::Context::new(global)?;
    // The state root went away with the container's state (a removed test
    // root, or its shim outlived an `rm`): nothing is left to release, and
    // opening the store would create the roots again.
    if !ctx.settings.state_root.exists() {
        return Ok(0);
    }
    let (host, mut store) = ctx.container_store()?;
    let lock = host.lock(id)?;
    match crate::container::lifecycle::find(&store, id) {
        Ok(mut c) if c.spec.auto_remove => {
            crate::container::lifecycle::remove(&host, &mut store, &lock, &mut c, true, true)?;
        }
        Ok(mut c) => {
            crate::container::lifecycle::refresh(&host, &mut store, &mut c)?;
            if !c.row.status.is_live() {
                crate::container::lifecycle::release(&host, &mut store, &c.row);
            }
        }
        Err(e)
            if e.downcast_ref::<crate::container::lifecycle::NoSuchContainer>()
                .is_some() => {}
        Err(e) => return Err(e),
    }
    Ok(0)
}

/// Write completions for bash, zsh and fish and one man page per command
/// (sub-commands included, named `berth-image-ls.1` like git's).
fn gen_docs(args: &GenDocsArgs) -> Result<u8> {
    std::fs::create_dir_all(&args.completions)
        .with_context(|| format!("creating {}", args.completions.display()))?;
    for (shell, file) in [
        (Shell::Bash, "berth.bash"),
        (Shell::Zsh, "_berth"),
        (Shell::Fish, "berth.fish"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut crate::cli::command(), "berth", &mut buf);
        write(&args.completions.join(file), &buf)?;
    }
    std::fs::create_dir_all(&args.man)
        .with_context(|| format!("creating {}", args.man.display()))?;
    let mut root = crate::cli::command();
    root.build();
    write_man(&root, "berth", &args.man)?;
    Ok(0)
}

fn write_man(cmd: &clap::Command, name: &str, dir: &Path) -> Result<()> {
    if cmd.is_hide_set() {
        return Ok(());
    }
    let page = cmd.clone().name(name.to_string());
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf)?;
    write(&dir.join(format!("{name}.1")), &buf)?;
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        write_man(sub, &format!("{name}-{}", sub.get_name()), dir)?;
    }
    Ok(())
}

fn write(path: &Path, data: &[u8]) -> Result<()> {
    std::fs::write(path, data).with_context(|| format!("writing {}", path.display()))
}
