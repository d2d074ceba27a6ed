//! `berth exec [-d] [-i] [-t] [-e K=V] [--env-file F] [-w DIR] [-u USER]
//! [--privileged] [--detach-keys K] CONTAINER CMD...`: run a process in a
//! running container, the way `docker exec` does. Glue only: the flags
//! become [`exec::ExecOptions`], the session is [`exec::run`] (the
//! `container::exec` engine call), and its end becomes docker's exit code:
//! the process's own; 127 when the command is not found and 126 when it
//! cannot be run (`OCI runtime exec failed: ...`); 1 after detaching (with
//! docker's "read escape sequence"), when the container is not running, or
//! when berth itself fails.

use crate::cli::container::ExecArgs;
use crate::cmd::context::Context;
use crate::cmd::{ExitCode, ExitStatus, WithExitCode};
use crate::container::exec::{self, ExecEnd, ExecError, ExecIo};
use crate::runtime::spec;
use anyhow::Result;
use std::os::fd::AsFd;

fn options(args: ExecArgs) -> Result<exec::ExecOptions> {
    let mut env = Vec::new();
    for f in &args.env_file {
        env.extend(crate::container::options::read_env_file(f)?);
    }
    for e in &args.env {
        env.push(crate::container::options::env_from_flag(e)?);
    }
    Ok(exec::ExecOptions {
        container: args.container,
        process: spec::ExecOptions {
            args: args.command,
            env,
            working_dir: args.workdir,
            user: args.user,
            tty: args.tty,
            privileged: args.privileged,
        },
        detach: args.detach,
        interactive: args.interactive,
        detach_keys: args.detach_keys,
    })
}

pub fn run(ctx: &Context, args: ExecArgs) -> Result<u8> {
    let opts = options(args)?;
    let (host, mut store) = ctx.container_store()?;
    let (stdin, stdout, stderr) = (std::io::stdin(), std::io::stdout(), std::io::stderr());
    let end = exec::run(
        &host,
        &mut store,
        &opts,
        ExecIo {
            stdin: stdin.as_fd(),
            stdout: stdout.as_fd(),
            out: &mut stdout.lock(),
            err: &mut stderr.lock(),
        },
    );
    match end {
        Ok(ExecEnd::Started) | Ok(ExecEnd::Exited(0)) => Ok(0),
        Ok(ExecEnd::Exited(code)) => Err(ExitStatus(ExitCode::Container(i64::from(code))).into()),
        Ok(ExecEnd::Detached) => {
            eprintln!("read escape sequence");
            Err(ExitStatus(ExitCode::Failure).into())
        }
        Err(ExecError::Other(e)) => Err(e),
        Err(e) => Err(WithExitCode {
            code: e.exit_code(),
            error: e.into(),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> ExecArgs {
        use clap::Parser;
        #[derive(Parser)]
        struct T {
            #[command(flatten)]
            a: ExecArgs,
        }
        T::try_parse_from(std::iter::once("exec").chain(v.iter().copied()))
            .unwrap()
            .a
    }

    #[test]
    fn flags_become_options() {
        std::env::set_var("BERTH_EXEC_TEST_HOST", "h");
        let o = options(args(&[
            "-e",
            "A=1",
            "-e",
            "BERTH_EXEC_TEST_HOST",
            "-e",
            "NOPE_UNSET_X",
            "-dit",
            "--detach-keys",
            "ctrl-a",
            "-u",
            "1:2",
            "-w",
            "/tmp",
            "c",
            "sh",
            "-c",
            "x",
        ]))
        .unwrap();
        assert_eq!(o.container, "c");
        assert_eq!(o.process.args, ["sh", "-c", "x"]);
        assert_eq!(
            o.process.env,
            ["A=1", "BERTH_EXEC_TEST_HOST=h", "NOPE_UNSET_X"]
        );
        assert!(o.detach && o.interactive && o.process.tty);
        assert_eq!(o.detach_keys.as_deref(), Some("ctrl-a"));
        assert_eq!(o.process.user.as_deref(), Some("1:2"));
        assert_eq!(o.process.working_dir.as_deref(), Some("/tmp"));
        assert!(options(args(&["-e", "=x", "c", "sh"])).is_err());
    }
}
