//! `berth logs [-f] [--since T] [--until T] [-t] [-n N] CONTAINER`: print a
//! container's json-file log, stdout entries to stdout and stderr entries to
//! stderr as the docker CLI demultiplexes them. Works for containers started
//! in the foreground or detached (the shim logs both). `-f` follows until
//! the container's shim is gone. A container created with
//! `--log-driver none` has no log: docker's "configured logging driver does
//! not support reading". `-n` takes `all` or a count; like dockerd, a value
//! that is not a number means all. A closed output pipe (`| head`) ends the
//! command quietly with exit 0.

use crate::cli::container::LogsArgs;
use crate::cmd::context::Context;
use crate::container::lifecycle;
use crate::shim::launch;
use crate::shim::logs::{self, LogsError, LogsOptions};
use anyhow::{anyhow, bail, Result};
use std::io::Write;
use std::time::SystemTime;

/// Turn the flags into reader options (`now` anchors relative times).
pub(crate) fn options(args: &LogsArgs, now: SystemTime) -> Result<LogsOptions> {
    let time = |flag: &str, v: &Option<String>| -> Result<Option<SystemTime>> {
        match v {
            None => Ok(None),
            Some(s) => crate::gotime::parse_timestamp(s, now).map(Some).ok_or_else(|| {
                anyhow!("invalid value for \"{flag}\": failed to parse value as time or duration: \"{s}\"")
            }),
        }
    };
    Ok(LogsOptions {
        follow: args.follow,
        since: time("since", &args.since)?,
        until: time("until", &args.until)?,
        timestamps: args.timestamps,
        tail: parse_tail(&args.tail),
    })
}

/// dockerd's `strconv.Atoi` rule: a number >= 0 limits, anything else is all.
fn parse_tail(s: &str) -> Option<usize> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .map(|n| n as usize)
}

/// Stdout entries go to `out`, stderr entries to the process's stderr.
pub fn run(ctx: &Context, args: LogsArgs, out: &mut dyn Write) -> Result<u8> {
    let opts = options(&args, SystemTime::now())?;
    // A closed pipe becomes an EPIPE we end on quietly, not a signal death.
    crate::sys::process::ignore_sigpipe();
    let (host, mut store) = ctx.container_store()?;
    let mut c = lifecycle::find(&store, &args.container)?;
    lifecycle::refresh(&host, &mut store, &mut c)?;
    let cfg = &c.spec;
    if cfg.log.driver == crate::container::spec::LogDriver::None {
        bail!("configured logging driver does not support reading");
    }
    let state_dir = host.state_dir(&c.row.id);
    let live = c.row.status.is_live();
    let mut running = || live && launch::is_running(&state_dir);
    let stderr = std::io::stderr();
    let res = logs::read(
        &host.log_path(&c.row.id),
        &opts,
        out,
        &mut stderr.lock(),
        &mut running,
    );
    match res {
        Ok(()) => Ok(0),
        // While following, output errors come back wrapped with the log path.
        Err(LogsError::Output(e) | LogsError::Io { source: e, .. })
            if e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            Ok(0)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn args(tail: &str, since: Option<&str>) -> LogsArgs {
        LogsArgs {
            follow: false,
            since: since.map(String::from),
            until: None,
            timestamps: true,
            tail: tail.into(),
            container: "c".into(),
        }
    }

    #[test]
    fn tail_follows_dockerd() {
        assert_eq!(parse_tail("all"), None);
        assert_eq!(parse_tail("3"), Some(3));
        assert_eq!(parse_tail("0"), Some(0));
        assert_eq!(parse_tail("-1"), None);
        assert_eq!(parse_tail("x"), None);
    }

    #[test]
    fn since_is_relative_to_now_and_checked() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let o = options(&args("2", Some("10s")), now).unwrap();
        assert_eq!(o.since, Some(UNIX_EPOCH + Duration::from_secs(990)));
        assert_eq!(o.tail, Some(2));
        assert!(o.timestamps && !o.follow);
        let e = options(&args("all", Some("yesterday")), now).unwrap_err();
        assert!(e.to_string().contains("invalid value for \"since\""), "{e}");
    }
}
