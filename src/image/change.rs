//! `--change`/`-c` of `import` and `commit`: Dockerfile instructions applied
//! to an image's container config, parsed as the Dockerfile parser does
//! (the builder of issue 13 reuses [`Instruction::parse`]).
//!
//! Docker (moby's `validCommitCommands`) accepts CMD, ENTRYPOINT, ENV,
//! EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME and
//! WORKDIR; any other instruction is refused with
//! `<instr> is not a valid change command`. HEALTHCHECK takes `NONE` or
//! `[--interval=D] [--timeout=D] [--start-period=D] [--start-interval=D]
//! [--retries=N] CMD ...` (the exec form becomes `["CMD", ...]`, the shell
//! form `["CMD-SHELL", "..."]`), with the Dockerfile parser's errors. CMD, ENTRYPOINT and VOLUME take the JSON array form when
//! the argument parses as one and the shell form otherwise (wrapped in the
//! config's `Shell`, `/bin/sh -c` by default); ENV and LABEL take
//! `key=value` pairs with quotes and backslash escapes (or the legacy
//! `ENV key value`); environment references (`$X`, `${X}`, `${X:-d}`,
//! `${X:+a}`) are expanded in ENV, LABEL, EXPOSE, USER, VOLUME, WORKDIR and
//! STOPSIGNAL from the config's environment, as the builder does. As in the
//! builder, ENTRYPOINT clears the inherited CMD unless a CMD came before it.

use super::manifest::ContainerConfig;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ChangeError {
    #[error("{0} is not a valid change command")]
    NotAllowed(String),
    #[error("dockerfile parse error: unknown instruction: {0}")]
    Unknown(String),
    #[error("{0} requires at least one argument")]
    MissingArgument(String),
    #[error("{instr}: {message}")]
    Invalid { instr: String, message: String },
}

/// One parsed instruction.
#[derive(Debug, Clone, PartialEq)]
pub enum Instruction {
    /// `CMD`; `json` tells the exec form from the shell form.
    Cmd {
        args: Vec<String>,
        json: bool,
    },
    Entrypoint {
        args: Vec<String>,
        json: bool,
    },
    Env(Vec<(String, String)>),
    Label(Vec<(String, String)>),
    Expose(Vec<String>),
    Volume(Vec<String>),
    Workdir(String),
    User(String),
    StopSignal(String),
    /// The trigger, as `INSTR args` with the instruction upper-cased.
    OnBuild(String),
    Healthcheck(crate::shim::health::Healthcheck),
}

/// Every instruction a Dockerfile may hold, for telling "unknown" from
/// "not allowed here" (and for the Dockerfile parser).
pub const DOCKERFILE_INSTRUCTIONS: &[&str] = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

impl Instruction {
    /// Parse one `--change` value (one Dockerfile line; `\`-continued lines
    /// are joined).
    pub fn parse(line: &str) -> Result<Instruction, ChangeError> {
        let line = join_continuations(line);
        let line = line.trim();
        let (word, rest) = match line.find(char::is_whitespace) {
            Some(i) => (&line[..i], line[i..].trim()),
            None => (line, ""),
        };
        let instr = word.to_ascii_lowercase();
        if !DOCKERFILE_INSTRUCTIONS.contains(&instr.as_str()) {
            return Err(ChangeError::Unknown(word.to_ascii_uppercase()));
        }
        let needs_arg = || {
            if rest.is_empty() {
                Err(ChangeError::MissingArgument(word.to_ascii_uppercase()))
            } else {
                Ok(())
            }
        };
        let invalid = |message: String| ChangeError::Invalid {
            instr: word.to_ascii_uppercase(),
            message,
        };
        Ok(match instr.as_str() {
            "cmd" => {
                let (args, json) = exec_or_shell(rest);
                Instruction::Cmd { args, json }
            }
            "entrypoint" => {
                let (args, json) = exec_or_shell(rest);
                Instruction::Entrypoint { args, json }
            }
            "env" => {
                needs_arg()?;
                Instruction::Env(name_values(rest, true).map_err(invalid)?)
            }
            "label" => {
                needs_arg()?;
                Instruction::Label(name_values(rest, true).map_err(invalid)?)
            }
            "expose" => {
                needs_arg()?;
                Instruction::Expose(rest.split_whitespace().map(String::from).collect())
            }
            "volume" => {
                needs_arg()?;
                let (args, json) = exec_or_shell(rest);
                let list = if json {
                    args
                } else {
                    rest.split_whitespace().map(String::from).collect()
                };
                if list.iter().any(|v| v.trim().is_empty()) {
                    return Err(invalid(
                        "VOLUME specified can not be an empty string".into(),
                    ));
                }
                Instruction::Volume(list)
            }
            "workdir" => {
                needs_arg()?;
                Instruction::Workdir(rest.to_string())
            }
            "user" => {
                needs_arg()?;
                Instruction::User(rest.to_string())
            }
            "stopsignal" => {
                needs_arg()?;
                Instruction::StopSignal(rest.to_string())
            }
            "onbuild" => {
                needs_arg()?;
                let trigger = rest.split_whitespace().next().unwrap_or("");
                let upper = trigger.to_ascii_uppercase();
                if matches!(upper.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
                    return Err(invalid(format!(
                        "{upper} isn't allowed as an ONBUILD trigger"
                    )));
                }
                Instruction::OnBuild(format!("{upper}{}", &rest[trigger.len()..]))
            }
            "healthcheck" => {
                needs_arg()?;
                Instruction::Healthcheck(healthcheck(rest).map_err(invalid)?)
            }
            other => return Err(ChangeError::NotAllowed(other.to_string())),
        })
    }
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK [--flag=value...] CMD ...`, as the
/// Dockerfile parser reads it (`parseHealthConfig`).
fn healthcheck(rest: &str) -> Result<crate::shim::health::Healthcheck, String> {
    use crate::shim::health::{Healthcheck, MIN_DURATION_NS};
    let mut h = Healthcheck::default();
    let mut rest = rest.trim_start();
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        let (name, value) = match flag[..end].split_once('=') {
            Some((n, v)) => (n, v),
            None => (&flag[..end], ""),
        };
        let duration = |what: &str| -> Result<i64, String> {
            if value.is_empty() {
                return Ok(0);
            }
            let d = crate::gotime::parse_duration(value).map_err(|e| e.to_string())?;
            if d != 0 && d < MIN_DURATION_NS {
                return Err(format!("{what} cannot be less than 1ms"));
            }
            Ok(d)
        };
        match name {
            "interval" => h.interval = duration("Interval \"--interval\"")?,
            "timeout" => h.timeout = duration("Interval \"--timeout\"")?,
            "start-period" => h.start_period = duration("Interval \"--start-period\"")?,
            "start-interval" => h.start_interval = duration("Interval \"--start-interval\"")?,
            "retries" => {
                let n: i64 = value.parse().map_err(|_| {
                    format!("strconv.ParseInt: parsing \"{value}\": invalid syntax")
                })?;
                if n < 0 {
                    return Err("--retries cannot be negative".into());
                }
                h.retries = n;
            }
            other => return Err(format!("unknown flag: {other}")),
        }
        rest = flag[end..].trim_start();
    }
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (kind, args) = (&rest[..end], rest[end..].trim());
    match kind.to_ascii_uppercase().as_str() {
        "NONE" => {
            if !args.is_empty() {
                return Err("HEALTHCHECK NONE takes no arguments".into());
            }
            h = Healthcheck {
                test: vec!["NONE".into()],
                ..Default::default()
            };
        }
        "CMD" => {
            if args.is_empty() {
                return Err("Missing command after HEALTHCHECK CMD".into());
            }
            let (list, json) = exec_or_shell(args);
            h.test = if json {
                std::iter::once("CMD".to_string()).chain(list).collect()
            } else {
                vec!["CMD-SHELL".into(), args.to_string()]
            };
        }
        other => return Err(format!("Unknown type \"{other}\" in HEALTHCHECK (try CMD)")),
    }
    Ok(h)
}

fn join_continuations(line: &str) -> String {
    line.replace("\\\r\n", "").replace("\\\n", "")
}

/// The JSON array form when `rest` is one (of strings), else the shell form
/// (the whole text as one argument).
fn exec_or_shell(rest: &str) -> (Vec<String>, bool) {
    if rest.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(rest) {
            return (v, true);
        }
    }
    if rest.is_empty() {
        return (Vec::new(), false);
    }
    (vec![rest.to_string()], false)
}

/// Split words as the Dockerfile parser does for ENV and LABEL: whitespace
/// separates words, quotes group, a backslash escapes the next character
/// (inside single quotes it is literal).
pub fn words(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('\''), '$') => cur.push_str("\\$"),
            (Some('\''), c) => cur.push(c),
            (_, '\\') => {
                in_word = true;
                match chars.next() {
                    Some(n) => {
                        // Inside double quotes only \" \\ \$ are escapes.
                        if quote == Some('"') && !matches!(n, '"' | '\\' | '$') {
                            cur.push('\\');
                        }
                        if n == '$' {
                            // Keep the escape so expansion leaves it alone.
                            cur.push('\\');
                        }
                        cur.push(n);
                    }
                    None => cur.push('\\'),
                }
            }
            (_, c) => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if quote.is_some() {
        return Err("unexpected end of statement while looking for matching quote".into());
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// `key=value ...`, or (when `legacy`) `key value with spaces`.
fn name_values(rest: &str, legacy: bool) -> Result<Vec<(String, String)>, String> {
    let first = rest.split_whitespace().next().unwrap_or("");
    if legacy && !first.contains('=') {
        let value = rest[first.len()..].trim();
        if value.is_empty() {
            return Err(format!("{first} must have two arguments"));
        }
        return Ok(vec![(first.to_string(), value.to_string())]);
    }
    let mut out = Vec::new();
    for w in words(rest)? {
        match w.split_once('=') {
            Some(("", _)) => return Err(format!("{w}: key can't be empty")),
            Some((k, v)) => out.push((k.to_string(), v.to_string())),
            None => {
                return Err(format!(
                    "syntax error - can't find = in {w:?}. Must be of the form: name=value"
                ))
            }
        }
    }
    Ok(out)
}

fn env_lookup<'a>(env: &'a [String], key: &str) -> Option<&'a str> {
    env.iter()
        .rev()
        .find_map(|e| e.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
}

/// Expand `$X`, `${X}`, `${X:-default}`, `${X:+alt}`, `${X-default}` and
/// `${X+alt}` from `env`; `\$`
/// is a literal `$`.
#[cfg(test)]
pub fn expand(s: &str, env: &[String]) -> String {
    expand_escaped(s, env, '\\')
}

/// [`expand`] with the Dockerfile's escape character (`# escape=\``):
/// `esc` before `$` makes it literal; any other character, a backslash
/// included, is itself.
pub fn expand_escaped(s: &str, env: &[String], esc: char) -> String {
    let expand = |s: &str, env: &[String]| expand_escaped(s, env, esc);
    let mut out = String::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while i < b.len() {
        match b[i] {
            c if c == esc && b.get(i + 1) == Some(&'$') => {
                out.push('$');
                i += 2;
            }
            '$' if b.get(i + 1) == Some(&'{') => {
                let Some(end) = b[i + 2..].iter().position(|c| *c == '}') else {
                    out.extend(&b[i..]);
                    break;
                };
                let inner: String = b[i + 2..i + 2 + end].iter().collect();
                let unset_only = |k: &str| !k.contains(':');
                let value = if let Some((k, d)) =
                    inner.split_once('-').filter(|(k, _)| unset_only(k))
                {
                    // `${X-default}`: only an unset X takes the default.
                    env_lookup(env, k)
                        .map(String::from)
                        .unwrap_or_else(|| expand(d, env))
                } else if let Some((k, a)) = inner.split_once('+').filter(|(k, _)| unset_only(k)) {
                    // `${X+alt}`: any set X, even empty.
                    env_lookup(env, k)
                        .map(|_| expand(a, env))
                        .unwrap_or_default()
                } else if let Some((k, d)) = inner.split_once(":-") {
                    env_lookup(env, k)
                        .filter(|v| !v.is_empty())
                        .map(String::from)
                        .unwrap_or_else(|| expand(d, env))
                } else if let Some((k, a)) = inner.split_once(":+") {
                    match env_lookup(env, k) {
                        Some(v) if !v.is_empty() => expand(a, env),
                        _ => String::new(),
                    }
                } else {
                    env_lookup(env, &inner).unwrap_or("").to_string()
                };
                out.push_str(&value);
                i += end + 3;
            }
            '$' if b.get(i + 1).is_some_and(|c| name_char(*c)) => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && name_char(b[j]) {
                    j += 1;
                }
                let key: String = b[start..j].iter().collect();
                out.push_str(env_lookup(env, &key).unwrap_or(""));
                i = j;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// `EXPOSE` words as `port/proto` keys (ranges expanded), as the builder
/// stores them.
fn exposed_ports(word: &str) -> Result<Vec<String>, String> {
    let (ports, proto) = match word.split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (word, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    let parse = |p: &str| {
        p.parse::<u16>()
            .map_err(|_| format!("invalid containerPort: {ports}"))
    };
    let (lo, hi) = match ports.split_once('-') {
        Some((a, b)) => (parse(a)?, parse(b)?),
        None => (parse(ports)?, parse(ports)?),
    };
    if hi < lo {
        return Err(format!("invalid range specified for port: {ports}"));
    }
    Ok((lo..=hi).map(|p| format!("{p}/{proto}")).collect())
}

fn set_env(env: &mut Vec<String>, key: &str, value: &str) {
    let entry = format!("{key}={value}");
    match env
        .iter_mut()
        .find(|e| e.split_once('=').map(|(k, _)| k).unwrap_or(e) == key)
    {
        Some(e) => *e = entry,
        None => env.push(entry),
    }
}

/// The shell form wrapped in the config's shell.
fn shell_form(config: &ContainerConfig, args: Vec<String>, json: bool) -> Vec<String> {
    if json {
        return args;
    }
    let mut shell = config
        .shell
        .clone()
        .unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into()]);
    shell.extend(args);
    shell
}

/// Apply `changes` in order to `config`.
pub fn apply(config: &mut ContainerConfig, changes: &[Instruction]) -> Result<(), ChangeError> {
    apply_escaped(config, changes, '\\')
}

/// [`apply`] with the Dockerfile's escape character for `$` substitution.
pub fn apply_escaped(
    config: &mut ContainerConfig,
    changes: &[Instruction],
    esc: char,
) -> Result<(), ChangeError> {
    let expand = |s: &str, env: &[String]| expand_escaped(s, env, esc);
    let mut cmd_set = false;
    for ch in changes {
        let env = config.env.clone().unwrap_or_default();
        let x = |s: &str| expand(s, &env);
        match ch.clone() {
            Instruction::Cmd { args, json } => {
                config.cmd = Some(shell_form(config, args, json));
                cmd_set = true;
            }
            Instruction::Entrypoint { args, json } => {
                config.entrypoint = if !json && args.is_empty() {
                    None
                } else {
                    Some(shell_form(config, args, json))
                };
                if !cmd_set {
                    config.cmd = None;
                }
            }
            Instruction::Env(pairs) => {
                let mut env = env.clone();
                for (k, v) in pairs {
                    let v = expand(&v, &env);
                    set_env(&mut env, &k, &v);
                }
                config.env = Some(env);
            }
            Instruction::Label(pairs) => {
                let labels = config.labels.get_or_insert_with(BTreeMap::new);
                for (k, v) in pairs {
                    labels.insert(x(&k), x(&v));
                }
            }
            Instruction::Expose(words) => {
                let ports = config.exposed_ports.get_or_insert_with(BTreeMap::new);
                for w in words {
                    for p in exposed_ports(&x(&w)).map_err(|message| ChangeError::Invalid {
                        instr: "EXPOSE".into(),
                        message,
                    })? {
                        ports.insert(p, serde_json::json!({}));
                    }
                }
            }
            Instruction::Volume(list) => {
                let vols = config.volumes.get_or_insert_with(BTreeMap::new);
                for v in list {
                    vols.insert(x(&v), serde_json::json!({}));
                }
            }
            Instruction::Workdir(dir) => {
                let dir = x(&dir);
                let base = config.working_dir.clone().unwrap_or_default();
                config.working_dir = Some(join_workdir(&base, &dir));
            }
            Instruction::User(u) => config.user = Some(x(&u)),
            Instruction::StopSignal(s) => {
                let s = x(&s);
                crate::container::spec::Signal::parse(&s).map_err(|message| {
                    ChangeError::Invalid {
                        instr: "STOPSIGNAL".into(),
                        message,
                    }
                })?;
                config.stop_signal = Some(s);
            }
            Instruction::OnBuild(t) => config.on_build.get_or_insert_with(Vec::new).push(t),
            Instruction::Healthcheck(h) => {
                config.healthcheck = Some(serde_json::to_value(h).unwrap_or_default())
            }
        }
    }
    Ok(())
}

/// WORKDIR: an absolute path replaces, a relative one joins the current
/// directory; the result is cleaned like Go's `filepath.Clean`.
fn join_workdir(base: &str, dir: &str) -> String {
    let joined = if dir.starts_with('/') {
        dir.to_string()
    } else {
        format!("{}/{dir}", if base.is_empty() { "/" } else { base })
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Parse every `--change` value.
pub fn parse_all(values: &[String]) -> Result<Vec<Instruction>, ChangeError> {
    values.iter().map(|v| Instruction::parse(v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(changes: &[&str], base: ContainerConfig) -> ContainerConfig {
        let mut c = base;
        let parsed: Vec<Instruction> = changes
            .iter()
            .map(|s| Instruction::parse(s).unwrap())
            .collect();
        apply(&mut c, &parsed).unwrap();
        c
    }

    #[test]
    fn escape_character_for_dollar() {
        let env = vec!["A=x".to_string()];
        assert_eq!(expand_escaped("`$A-$A", &env, '`'), "$A-x");
        assert_eq!(expand_escaped("\\$A", &env, '`'), "\\x");
        assert_eq!(expand_escaped("${U:-`$A}", &env, '`'), "$A");
        assert_eq!(expand("\\$A-`$A", &env), "$A-`x");
        let mut c = ContainerConfig {
            env: Some(env),
            ..Default::default()
        };
        let ch = Instruction::parse("LABEL l=`$A").unwrap();
        apply_escaped(&mut c, &[ch], '`').unwrap();
        assert_eq!(c.labels.unwrap()["l"], "$A");
    }

    #[test]
    fn cmd_and_entrypoint_forms() {
        let c = applied(&[r#"CMD ["echo", "hi"]"#], ContainerConfig::default());
        assert_eq!(c.cmd, Some(vec!["echo".into(), "hi".into()]));
        let c = applied(&["cmd echo $HOME"], ContainerConfig::default());
        assert_eq!(
            c.cmd,
            Some(vec!["/bin/sh".into(), "-c".into(), "echo $HOME".into()])
        );
        // Not a JSON array of strings: the shell form, verbatim.
        let c = applied(&["CMD [1, 2]"], ContainerConfig::default());
        assert_eq!(c.cmd.unwrap()[2], "[1, 2]");
        // ENTRYPOINT drops the inherited CMD, but not one set before it.
        let base = ContainerConfig {
            cmd: Some(vec!["sh".into()]),
            ..Default::default()
        };
        let c = applied(&[r#"ENTRYPOINT ["top"]"#], base.clone());
        assert_eq!(c.entrypoint, Some(vec!["top".into()]));
        assert_eq!(c.cmd, None);
        let c = applied(&["CMD [\"-b\"]", "ENTRYPOINT [\"top\"]"], base);
        assert_eq!(c.cmd, Some(vec!["-b".into()]));
        // A custom SHELL wraps the shell form.
        let c = applied(
            &["CMD x"],
            ContainerConfig {
                shell: Some(vec!["/bin/bash".into(), "-lc".into()]),
                ..Default::default()
            },
        );
        assert_eq!(
            c.cmd,
            Some(vec!["/bin/bash".into(), "-lc".into(), "x".into()])
        );
    }

    #[test]
    fn env_forms_quotes_and_expansion() {
        let base = ContainerConfig {
            env: Some(vec!["PATH=/bin".into(), "A=1".into()]),
            ..Default::default()
        };
        let c = applied(
            &[
                r#"ENV A=2 B="two words" C=x\ y D='$A' E=$PATH:/x F=${NOPE:-dflt}"#,
                "ENV G legacy value here",
            ],
            base,
        );
        assert_eq!(
            c.env.unwrap(),
            [
                "PATH=/bin",
                "A=2",
                "B=two words",
                "C=x y",
                "D=$A",
                "E=/bin:/x",
                "F=dflt",
                "G=legacy value here"
            ]
        );
        assert!(Instruction::parse("ENV A=\"open").is_err());
        assert!(Instruction::parse("ENV").is_err());
    }

    #[test]
    fn label_expose_volume_workdir_user_stopsignal_onbuild() {
        let c = applied(
            &[
                r#"LABEL a=b "c d"=e"#,
                "EXPOSE 80 53/udp 8000-8001",
                r#"VOLUME ["/data", "/logs"]"#,
                "VOLUME /a /b",
                "WORKDIR /srv",
                "WORKDIR app/../web",
                "USER nobody:nogroup",
                "STOPSIGNAL SIGQUIT",
                "ONBUILD run echo hi",
            ],
            ContainerConfig::default(),
        );
        let labels = c.labels.unwrap();
        assert_eq!(labels["a"], "b");
        assert_eq!(labels["c d"], "e");
        let ports: Vec<&String> = c.exposed_ports.as_ref().unwrap().keys().collect();
        assert_eq!(ports, ["53/udp", "80/tcp", "8000/tcp", "8001/tcp"]);
        let vols: Vec<&String> = c.volumes.as_ref().unwrap().keys().collect();
        assert_eq!(vols, ["/a", "/b", "/data", "/logs"]);
        assert_eq!(c.working_dir.as_deref(), Some("/srv/web"));
        assert_eq!(c.user.as_deref(), Some("nobody:nogroup"));
        assert_eq!(c.stop_signal.as_deref(), Some("SIGQUIT"));
        assert_eq!(c.on_build, Some(vec!["RUN echo hi".into()]));
    }

    #[test]
    fn refused_instructions_read_like_docker() {
        assert_eq!(
            Instruction::parse("RUN echo hi").unwrap_err().to_string(),
            "run is not a valid change command"
        );
        assert_eq!(
            Instruction::parse("FROM busybox").unwrap_err(),
            ChangeError::NotAllowed("from".into())
        );
        assert!(matches!(
            Instruction::parse("BOGUS x").unwrap_err(),
            ChangeError::Unknown(_)
        ));
        assert!(Instruction::parse("ONBUILD FROM x").is_err());
        let mut c = ContainerConfig::default();
        let bad = [Instruction::parse("STOPSIGNAL NOTASIG").unwrap()];
        assert!(apply(&mut c, &bad).is_err());
        let bad = [Instruction::parse("EXPOSE 80/foo").unwrap()];
        assert!(apply(&mut c, &bad).is_err());
    }

    #[test]
    fn healthcheck_parses_as_the_dockerfile_does() {
        let h = |l: &str| match Instruction::parse(l) {
            Ok(Instruction::Healthcheck(h)) => Ok(serde_json::to_value(h).unwrap()),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e.to_string()),
        };
        assert_eq!(
            h("HEALTHCHECK --interval=5s --retries=2 CMD curl -f http://x/ || exit 1"),
            Ok(
                serde_json::json!({"Test": ["CMD-SHELL", "curl -f http://x/ || exit 1"],
                "Interval": 5_000_000_000i64, "Retries": 2})
            )
        );
        assert_eq!(
            h(r#"healthcheck cmd ["true", "x"]"#),
            Ok(serde_json::json!({"Test": ["CMD", "true", "x"]}))
        );
        assert_eq!(
            h("HEALTHCHECK NONE"),
            Ok(serde_json::json!({"Test": ["NONE"]}))
        );
        assert_eq!(
            h("HEALTHCHECK NONE x").unwrap_err(),
            "HEALTHCHECK: HEALTHCHECK NONE takes no arguments"
        );
        assert_eq!(
            h("HEALTHCHECK RUN true").unwrap_err(),
            r#"HEALTHCHECK: Unknown type "RUN" in HEALTHCHECK (try CMD)"#
        );
        assert_eq!(
            h("HEALTHCHECK --timeout=10us CMD true").unwrap_err(),
            r#"HEALTHCHECK: Interval "--timeout" cannot be less than 1ms"#
        );
        assert_eq!(
            h("HEALTHCHECK CMD").unwrap_err(),
            "HEALTHCHECK: Missing command after HEALTHCHECK CMD"
        );
        let mut config = ContainerConfig::default();
        apply(
            &mut config,
            &[Instruction::parse("HEALTHCHECK CMD true").unwrap()],
        )
        .unwrap();
        assert_eq!(
            config.healthcheck,
            Some(serde_json::json!({"Test": ["CMD-SHELL", "true"]}))
        );
    }
}
