//! Container options as plain values (no clap types): what `create`, `run`
//! and `exec` were asked for, parsed once with Docker's rules so every caller
//! (a command, later compose) shares one parser and one set of messages.
//! It reads the files an option names (`--env-file`) and the CLI's own
//! environment (`-e KEY`), never the store or the runtime.
//!
//! Docker behaviour followed:
//! - `-e KEY=VALUE` is kept as given; `-e KEY` takes the value of `KEY` in
//!   the CLI's environment, and when that is unset stays a bare `KEY`, which
//!   the container's process environment then lacks (docker-cli
//!   `opts.ValidateEnv`, moby `ReplaceOrAppendEnvValues`). Same for `exec`.
//! - `--env-file` lines: `#` comments and blank lines skipped, leading
//!   whitespace trimmed, `KEY=VALUE` passed through untrimmed, a bare `KEY`
//!   takes the CLI's value and is dropped when unset (docker-cli
//!   `ReadKVEnvStrings`).
//! - `-a/--attach STDIN|STDOUT|STDERR`: the streams a foreground `run` (or a
//!   later `start -a`) attaches; without `-a` stdout and stderr, and stdin
//!   with `-i` (docker-cli `parse`).

use std::path::{Path, PathBuf};

/// Why an option was refused.
#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    #[error("invalid environment variable: {0}")]
    Env(String),
    #[error("variable '{0}' contains whitespaces")]
    EnvFileKey(String),
    #[error("open {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One `-e` value with docker's semantics (see the module docs).
pub fn env_from_flag(e: &str) -> Result<String, OptionsError> {
    let (key, has_value) = match e.split_once('=') {
        Some((k, _)) => (k, true),
        None => (e, false),
    };
    if key.is_empty() {
        return Err(OptionsError::Env(e.to_string()));
    }
    if has_value {
        return Ok(e.to_string());
    }
    Ok(match std::env::var_os(key) {
        Some(v) => format!("{key}={}", v.to_string_lossy()),
        None => key.to_string(),
    })
}

/// The non-comment lines of a line-delimited option file (`--env-file`,
/// `--label-file`), leading whitespace trimmed.
pub fn read_option_lines(path: &Path) -> Result<Vec<String>, OptionsError> {
    let text = std::fs::read_to_string(path).map_err(|source| OptionsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(text
        .lines()
        .map(|l| l.trim_start().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect())
}

/// One `--env-file` (see the module docs).
pub fn read_env_file(path: &Path) -> Result<Vec<String>, OptionsError> {
    let mut out = Vec::new();
    for line in read_option_lines(path)? {
        let (key, has_value) = match line.split_once('=') {
            Some((k, _)) => (k, true),
            None => (line.as_str(), false),
        };
        if key.contains(char::is_whitespace) {
            return Err(OptionsError::EnvFileKey(key.to_string()));
        }
        if key.is_empty() {
            return Err(OptionsError::Env(line));
        }
        if has_value {
            out.push(line);
        } else if let Some(v) = std::env::var_os(key) {
            out.push(format!("{key}={}", v.to_string_lossy()));
        }
    }
    Ok(out)
}

/// One stream `-a/--attach` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdin,
    Stdout,
    Stderr,
}

/// Docker's `Config.AttachStdin/Stdout/Stderr` from `-a` and `-i`: the
/// streams given, plus stdin with `-i`; with no `-a`, stdout and stderr.
pub fn attach_streams(given: &[Stream], interactive: bool) -> super::config::AttachStreams {
    let has = |s| given.is_empty() || given.contains(&s);
    super::config::AttachStreams {
        stdin: interactive || (!given.is_empty() && given.contains(&Stream::Stdin)),
        stdout: has(Stream::Stdout),
        stderr: has(Stream::Stderr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_flags_follow_docker() {
        assert_eq!(env_from_flag("A=1").unwrap(), "A=1");
        assert_eq!(env_from_flag("A=").unwrap(), "A=");
        assert_eq!(env_from_flag("A=b=c").unwrap(), "A=b=c");
        // Unset on the CLI's side: kept bare, which unsets it in the container.
        assert_eq!(
            env_from_flag("BERTH_SURELY_UNSET_VAR").unwrap(),
            "BERTH_SURELY_UNSET_VAR"
        );
        let path = std::env::var("PATH").unwrap();
        assert_eq!(env_from_flag("PATH").unwrap(), format!("PATH={path}"));
        assert!(env_from_flag("").is_err());
        assert_eq!(
            env_from_flag("=x").unwrap_err().to_string(),
            "invalid environment variable: =x"
        );
    }

    #[test]
    fn env_file_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("env");
        std::fs::write(
            &p,
            "# c\nA=1\n\n  B=two words \nBERTH_SURELY_UNSET_VAR\nPATH\n",
        )
        .unwrap();
        let path = std::env::var("PATH").unwrap();
        assert_eq!(
            read_env_file(&p).unwrap(),
            vec![
                "A=1".to_string(),
                "B=two words ".into(),
                format!("PATH={path}")
            ]
        );
        std::fs::write(&p, "BAD KEY=1\n").unwrap();
        assert_eq!(
            read_env_file(&p).unwrap_err().to_string(),
            "variable 'BAD KEY' contains whitespaces"
        );
        let missing = dir.path().join("missing");
        assert!(read_env_file(&missing)
            .unwrap_err()
            .to_string()
            .starts_with(&format!("open {}: ", missing.display())));
    }

    #[test]
    fn attach_streams_follow_docker() {
        use Stream::*;
        let a = attach_streams(&[], false);
        assert!(!a.stdin && a.stdout && a.stderr);
        let a = attach_streams(&[], true);
        assert!(a.stdin && a.stdout && a.stderr);
        let a = attach_streams(&[Stdout, Stderr], false);
        assert!(!a.stdin && a.stdout && a.stderr);
        let a = attach_streams(&[Stderr], true);
        assert!(a.stdin && !a.stdout && a.stderr);
        let a = attach_streams(&[Stdin], false);
        assert!(a.stdin && !a.stdout && !a.stderr);
    }
}
