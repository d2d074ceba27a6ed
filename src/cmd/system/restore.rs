//! `berth system restore` and `berth system install-restore`: the boot
//! half of restart policies (see `container::restart`).

use crate::cli::system::InstallRestoreArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus};
use crate::container::lifecycle::{self, StartOptions};
use crate::container::restart::{self, Restore};
use crate::image::read_config;
use anyhow::{bail, Context as _, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The shipped units (`contrib/init`), with the binary path they name.
const SYSTEMD_UNIT: &str = include_str!("../../../contrib/init/berth-restore.service");
const SYSV_SCRIPT: &str = include_str!("../../../contrib/init/berth-restore.sh");
const SHIPPED_BINARY: &str = "/usr/local/bin/berth";
const SERVICE: &str = "berth-restore";

/// Start what the restore plan picks, printing each name started.
pub fn restore(ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let (host, mut store) = ctx.container_store()?;
    let (picked, done) = match restart::plan(&host, &store)? {
        Restore::AlreadyDone => return Ok(0),
        Restore::Start(picked, done) => (picked, done),
    };
    let mut failed = false;
    for mut c in picked {
        let res = (|| -> Result<bool> {
            let lock = host.lock(&c.row.id)?;
            lifecycle::refresh(&host, &mut store, &mut c)?;
            if !c.row.status.can_start() {
                return Ok(false);
            }
            let image_config = read_config(&ctx.content(), &c.row.image_id)?;
            lifecycle::start(
                &host,
                &mut store,
                &lock,
                &mut c,
                &image_config,
                StartOptions { attach: None },
            )
            .map_err(|f| f.error)?;
            Ok(true)
        })();
        match res {
            Ok(true) => writeln!(out, "{}", c.row.name)?,
            Ok(false) => {}
            Err(e) => {
                eprintln!("berth: restoring container {}: {e:#}", c.row.name);
                failed = true;
            }
        }
    }
    done.finish()?;
    if failed {
        return Err(ExitStatus(ExitCode::Failure).into());
    }
    Ok(0)
}

/// Which init system to install for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Init {
    Systemd,
    Sysv,
}

/// systemd's own test for "booted with systemd" (`sd_booted`).
fn detect_init() -> Init {
    if Path::new("/run/systemd/system").is_dir() {
        Init::Systemd
    } else {
        Init::Sysv
    }
}

/// Quote one word for a POSIX shell and for a systemd command line (single
/// quotes work in both).
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:,@".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The berth command line the service runs: this binary and the global
/// flags of this invocation (data root, state root, runtime, CNI paths).
fn berth_command(ctx: &Context) -> Result<String> {
    let host = ctx.host()?;
    let mut words = vec![host.exe.display().to_string()];
    for a in &host.global_args {
        let a = a.to_string_lossy();
        if a == "--debug" {
            continue;
        }
        words.push(a.into_owned());
    }
    Ok(words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "))
}

fn write_file(path: &Path, body: &str, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    crate::sys::fs::write_atomic(path, body.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("setting the mode of {}", path.display()))
}

/// Point `link` at `target` (replacing what was there).
fn symlink(target: &str, link: &Path) -> Result<()> {
    if let Some(dir) = link.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    match std::fs::remove_file(link) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("replacing {}", link.display())),
    }
    std::os::unix::fs::symlink(target, link)
        .with_context(|| format!("linking {} to {target}", link.display()))
}

pub fn install(ctx: &Context, a: InstallRestoreArgs, out: &mut dyn Write) -> Result<u8> {
    let init = match a.init.as_deref() {
        None => detect_init(),
        Some("systemd") => Init::Systemd,
        Some("sysv") | Some("sysvinit") => Init::Sysv,
        Some(other) => bail!("unknown init system {other:?}: use systemd or sysv"),
    };
    let command = berth_command(ctx)?;
    let root: PathBuf = a.root;
    let live = root == Path::new("/");
    match init {
        Init::Systemd => {
            let unit = root.join("etc/systemd/system/berth-restore.service");
            let body = SYSTEMD_UNIT.replace(SHIPPED_BINARY, &command);
            write_file(&unit, &body, 0o644)?;
            // What `systemctl enable` does for WantedBy=multi-user.target.
            symlink(
                "/etc/systemd/system/berth-restore.service",
                &root.join("etc/systemd/system/multi-user.target.wants/berth-restore.service"),
            )?;
            if live {
                let st = std::process::Command::new("systemctl")
                    .arg("daemon-reload")
                    .status();
                if !st.is_ok_and(|s| s.success()) {
                    eprintln!(
                        "WARNING: systemctl daemon-reload failed; run it before the next boot"
                    );
                }
            }
            writeln!(out, "installed {} (systemd, enabled)", unit.display())?;
        }
        Init::Sysv => {
            let script = root.join("etc/init.d").join(SERVICE);
            let body = SYSV_SCRIPT.replace(
                &format!("BERTH=\"{SHIPPED_BINARY}\""),
                &format!("BERTH=\"{}\"", command.replace('"', "\\\"")),
            );
            write_file(&script, &body, 0o755)?;
            // What `update-rc.d berth-restore defaults` does for the LSB
            // header's Default-Start, with no Default-Stop.
            for level in ["2", "3", "4", "5"] {
                symlink(
                    &format!("../init.d/{SERVICE}"),
                    &root.join(format!("etc/rc{level}.d/S99{SERVICE}")),
                )?;
            }
            writeln!(
                out,
                "installed {} (SysV init, runlevels 2-5)",
                script.display()
            )?;
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_shipped_placeholders() {
        assert_eq!(quote("/usr/bin/berth"), "/usr/bin/berth");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert!(SYSTEMD_UNIT.contains(&format!("ExecStart={SHIPPED_BINARY} system restore")));
        assert!(SYSTEMD_UNIT.contains("KillMode=process"));
        assert!(SYSV_SCRIPT.contains(&format!("BERTH=\"{SHIPPED_BINARY}\"")));
    }
}
