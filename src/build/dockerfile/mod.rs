//! The Dockerfile language as the reference describes it, parsed into
//! stages of typed instructions. Nothing here touches the store or runs
//! anything; variable substitution happens in the executor, which knows the
//! ARG and ENV scope of each step.
//!
//! Why berth has its own parser: the `parse-dockerfile` crate (taiki-e)
//! was evaluated first. It reads the syntax well (directives, heredocs,
//! continuations, spans), but it stops at the syntax tree: it does no
//! variable substitution, no ARG/ENV scoping, no stage resolution, and its
//! errors are its own rather than moby's (`unknown instruction: FOO` with
//! the line). Those are most of the work and must match Docker, and the
//! metadata instructions are already parsed by `image::change` (shared
//! with `commit --change`), so the lexer here is small (`lexer.rs`) and the
//! rest maps onto that. Errors read like BuildKit's:
//! `dockerfile parse error on line 3: unknown instruction: FOO`.
//!
//! The `# escape=` character continues lines here and makes `$` literal in
//! the executor's substitution (`change::expand_escaped`); a backslash is
//! then an ordinary character, as in BuildKit.

pub mod lexer;

use crate::image::change::{self, Instruction as Change};
pub use lexer::{Directives, Heredoc};

/// A parse error with its line (1-based).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("dockerfile parse error on line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl ParseError {
    pub fn at(line: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            line,
            message: message.into(),
        }
    }
}

/// RUN's command (also SHELL-wrapped later for the shell form).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Exec(Vec<String>),
    Shell(String),
}

/// Network mode of `RUN --network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunNetwork {
    Default,
    None,
    Host,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    /// ADD rather than COPY.
    pub add: bool,
    pub sources: Vec<String>,
    pub dest: String,
    pub from: Option<String>,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub heredocs: Vec<Heredoc>,
}

/// One instruction of a stage.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Run {
        command: Command,
        network: Option<RunNetwork>,
    },
    Copy(Copy),
    /// `ARG name[=default]...`
    Arg(Vec<(String, Option<String>)>),
    Shell(Vec<String>),
    Maintainer(String),
    /// CMD, ENTRYPOINT, ENV, LABEL, EXPOSE, VOLUME, WORKDIR, USER,
    /// STOPSIGNAL, ONBUILD, HEALTHCHECK: config changes, parsed as `commit
    /// --change` parses them.
    Config(Change),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instr {
    pub line: usize,
    /// The instruction as written, continuations joined (for step lines).
    pub text: String,
    pub kind: Kind,
}

/// One `FROM` and what follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub line: usize,
    /// The FROM line as written.
    pub text: String,
    /// The base, unexpanded (`$BASE` is expanded with the global ARGs).
    pub base: String,
    pub name: Option<String>,
    pub platform: Option<String>,
    pub instrs: Vec<Instr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dockerfile {
    pub directives: Directives,
    /// ARGs before the first FROM (line, name, default).
    pub meta_args: Vec<(String, Option<String>)>,
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    /// The stage a `--target` or `--from` names: by name (case-insensitive)
    /// or by index.
    pub fn stage_index(&self, name: &str, before: usize) -> Option<usize> {
        let lower = name.to_ascii_lowercase();
        if let Some(i) = self.stages[..before]
            .iter()
            .position(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            return Some(i);
        }
        name.parse::<usize>().ok().filter(|i| *i < before)
    }
}

/// An instruction's `--name[=value]` flags.
type Flags = Vec<(String, Option<String>)>;

/// Split leading `--name=value` flags off `rest`; `allowed` are the flags
/// this instruction knows (`None` value: a boolean flag).
fn flags<'a>(
    line: usize,
    mut rest: &'a str,
    allowed: &[&str],
) -> Result<(Flags, &'a str), ParseError> {
    let mut out = Vec::new();
    loop {
        let t = rest.trim_start();
        let Some(f) = t.strip_prefix("--") else {
            return Ok((out, t));
        };
        let end = f.find(char::is_whitespace).unwrap_or(f.len());
        let word = &f[..end];
        let (name, value) = match word.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (word, None),
        };
        if name.is_empty() {
            // `--` alone ends the flags.
            return Ok((out, f[end..].trim_start()));
        }
        if !allowed.contains(&name) {
            return Err(ParseError::at(line, format!("unknown flag: {name}")));
        }
        out.push((name.to_string(), value));
        rest = &f[end..];
    }
}

fn exec_or_shell(rest: &str) -> Command {
    if rest.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(rest) {
            return Command::Exec(v);
        }
    }
    Command::Shell(rest.to_string())
}

/// `ARG a=1 b` as name/default pairs.
fn arg_pairs(line: usize, rest: &str) -> Result<Vec<(String, Option<String>)>, ParseError> {
    if rest.trim().is_empty() {
        return Err(ParseError::at(line, "ARG requires at least one argument"));
    }
    let mut out = Vec::new();
    for w in change::words(rest).map_err(|m| ParseError::at(line, m))? {
        let (k, v) = match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (w, None),
        };
        if k.is_empty() {
            return Err(ParseError::at(line, "ARG names can not be blank"));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// Parse one logical instruction (not FROM).
pub fn parse_instr(line: usize, text: &str, heredocs: Vec<Heredoc>) -> Result<Instr, ParseError> {
    let (word, rest) = match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim()),
        None => (text, ""),
    };
    let lower = word.to_ascii_lowercase();
    if !crate::image::change::DOCKERFILE_INSTRUCTIONS.contains(&lower.as_str()) {
        return Err(ParseError::at(
            line,
            format!("unknown instruction: {}", word.to_ascii_uppercase()),
        ));
    }
    let upper = lower.to_ascii_uppercase();
    let needs = |r: &str| {
        if r.trim().is_empty() {
            Err(ParseError::at(
                line,
                format!("{upper} requires at least one argument"),
            ))
        } else {
            Ok(())
        }
    };
    let kind = match lower.as_str() {
        "run" => {
            let (fl, rest) = flags(line, rest, &["network", "mount", "security"])?;
            let mut network = None;
            for (k, v) in fl {
                let v = v.unwrap_or_default();
                match k.as_str() {
                    "network" => {
                        network = Some(match v.as_str() {
                            "default" => RunNetwork::Default,
                            "none" => RunNetwork::None,
                            "host" => RunNetwork::Host,
                            _ => {
                                return Err(ParseError::at(
                                    line,
                                    format!("unsupported network mode {v:?}"),
                                ))
                            }
                        })
                    }
                    "mount" => {
                        return Err(ParseError::at(
                            line,
                            format!("RUN --mount={v} is not supported by berth's builder"),
                        ))
                    }
                    _ => {
                        return Err(ParseError::at(
                            line,
                            format!("RUN --security={v} is not supported by berth's builder"),
                        ))
                    }
                }
            }
            needs(rest)?;
            let command = match heredocs.as_slice() {
                // `RUN <<EOF` alone: the body is the script.
                [h] if lexer::heredoc_markers(rest).len() == 1
                    && rest.split_whitespace().count() == 1 =>
                {
                    Command::Shell(h.content.clone())
                }
                [] => exec_or_shell(rest),
                hs => {
                    let mut s = rest.to_string();
                    s.push('\n');
                    for h in hs {
                        s.push_str(&h.content);
                        s.push_str(&h.name);
                        s.push('\n');
                    }
                    Command::Shell(s)
                }
            };
            Kind::Run { command, network }
        }
        "copy" | "add" => {
            let allowed: &[&str] = if lower == "copy" {
                &["from", "chown", "chmod", "link", "parents", "exclude"]
            } else {
                &[
                    "chown",
                    "chmod",
                    "link",
                    "checksum",
                    "keep-git-dir",
                    "exclude",
                ]
            };
            let (fl, rest) = flags(line, rest, allowed)?;
            let mut c = Copy {
                add: lower == "add",
                sources: Vec::new(),
                dest: String::new(),
                from: None,
                chown: None,
                chmod: None,
                heredocs: heredocs.clone(),
            };
            for (k, v) in fl {
                match (k.as_str(), v) {
                    ("from", Some(v)) => c.from = Some(v),
                    ("chown", Some(v)) => c.chown = Some(v),
                    ("chmod", Some(v)) => c.chmod = Some(v),
                    // --link only changes how BuildKit stores the layer;
                    // berth's layer is the same either way.
                    ("link", None | Some(_)) => {}
                    (k, _) => {
                        return Err(ParseError::at(
                            line,
                            format!("{upper} --{k} is not supported by berth's builder"),
                        ))
                    }
                }
            }
            let words: Vec<String> = match exec_or_shell(rest) {
                Command::Exec(v) => v,
                Command::Shell(s) => change::words(&s).map_err(|m| ParseError::at(line, m))?,
            };
            if words.len() < 2 {
                return Err(ParseError::at(
                    line,
                    format!("{upper} requires at least two arguments, but only one was provided. Destination could not be determined"),
                ));
            }
            c.dest = words[words.len() - 1].clone();
            c.sources = words[..words.len() - 1].to_vec();
            Kind::Copy(c)
        }
        "arg" => Kind::Arg(arg_pairs(line, rest)?),
        "shell" => match exec_or_shell(rest) {
            Command::Exec(v) if !v.is_empty() => Kind::Shell(v),
            _ => {
                return Err(ParseError::at(
                    line,
                    "SHELL requires the arguments to be in JSON form",
                ))
            }
        },
        "maintainer" => {
            needs(rest)?;
            Kind::Maintainer(rest.to_string())
        }
        "from" => {
            return Err(ParseError::at(line, "FROM is handled by the stage parser"));
        }
        _ => Kind::Config(Change::parse(text).map_err(|e| match e {
            change::ChangeError::Invalid { message, .. } => ParseError::at(line, message),
            other => ParseError::at(line, other.to_string()),
        })?),
    };
    Ok(Instr {
        line,
        text: text.to_string(),
        kind,
    })
}

fn parse_from(line: usize, text: &str) -> Result<Stage, ParseError> {
    let rest = text[4..].trim();
    let (fl, rest) = flags(line, rest, &["platform"])?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let (base, name) = match words.as_slice() {
        [b] => (*b, None),
        [b, as_, n] if as_.eq_ignore_ascii_case("as") => {
            let n = n.to_ascii_lowercase();
            let ok = n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !ok {
                return Err(ParseError::at(
                    line,
                    format!("invalid name for build stage: {n:?}, name can't start with a number or contain symbols"),
                ));
            }
            (*b, Some(n))
        }
        [] => {
            return Err(ParseError::at(
                line,
                "FROM requires either one or three arguments",
            ))
        }
        _ => {
            return Err(ParseError::at(
                line,
                "FROM requires either one or three arguments",
            ))
        }
    };
    Ok(Stage {
        line,
        text: text.to_string(),
        base: base.to_string(),
        name,
        platform: fl.into_iter().find_map(|(_, v)| v),
        instrs: Vec::new(),
    })
}

/// Parse a whole Dockerfile.
pub fn parse(src: &str) -> Result<Dockerfile, ParseError> {
    let (directives, logical) = lexer::split(src)?;
    let mut df = Dockerfile {
        directives,
        meta_args: Vec::new(),
        stages: Vec::new(),
    };
    for l in logical {
        let word = l
            .text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if word == "from" {
            let st = parse_from(l.line, &l.text)?;
            if let Some(n) = &st.name {
                if df.stages.iter().any(|s| s.name.as_ref() == Some(n)) {
                    return Err(ParseError::at(
                        l.line,
                        format!("duplicate stage name {n:?}"),
                    ));
                }
            }
            df.stages.push(st);
            continue;
        }
        let instr = parse_instr(l.line, &l.text, l.heredocs)?;
        match df.stages.last_mut() {
            Some(s) => s.instrs.push(instr),
            None => match instr.kind {
                Kind::Arg(pairs) => df.meta_args.extend(pairs),
                _ => {
                    return Err(ParseError::at(
                        l.line,
                        format!(
                            "{} cannot be used before the first FROM (only ARG can)",
                            word.to_ascii_uppercase()
                        ),
                    ))
                }
            },
        }
    }
    if df.stages.is_empty() {
        return Err(ParseError::at(1, "the Dockerfile has no FROM instruction"));
    }
    Ok(df)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Kind, String> {
        let df = parse(&format!("FROM scratch\n{text}")).map_err(|e| e.to_string())?;
        Ok(df.stages[0].instrs[0].kind.clone())
    }

    #[test]
    fn instruction_table() {
        use Command::*;
        let run = |c: Command, n| Kind::Run {
            command: c,
            network: n,
        };
        let ok: Vec<(&str, Kind)> = vec![
            ("RUN echo hi", run(Shell("echo hi".into()), None)),
            (
                "run [\"a\", \"b\"]",
                run(Exec(vec!["a".into(), "b".into()]), None),
            ),
            ("RUN [not json", run(Shell("[not json".into()), None)),
            (
                "RUN --network=none true",
                run(Shell("true".into()), Some(RunNetwork::None)),
            ),
            (
                "RUN --network=host true",
                run(Shell("true".into()), Some(RunNetwork::Host)),
            ),
            (
                "RUN <<EOF\necho a\nEOF",
                run(Shell("echo a\n".into()), None),
            ),
            (
                "RUN cat <<X > /f\nbody\nX",
                run(Shell("cat <<X > /f\nbody\nX\n".into()), None),
            ),
            (
                "ARG a=1 b",
                Kind::Arg(vec![("a".into(), Some("1".into())), ("b".into(), None)]),
            ),
            (
                "ARG q=\"x y\"",
                Kind::Arg(vec![("q".into(), Some("x y".into()))]),
            ),
            (
                "SHELL [\"/bin/bash\", \"-c\"]",
                Kind::Shell(vec!["/bin/bash".into(), "-c".into()]),
            ),
            ("MAINTAINER me <m@x>", Kind::Maintainer("me <m@x>".into())),
            (
                "ENV A=1 B=\"2 3\"",
                Kind::Config(Change::Env(vec![
                    ("A".into(), "1".into()),
                    ("B".into(), "2 3".into()),
                ])),
            ),
            (
                "ENV A 1 2",
                Kind::Config(Change::Env(vec![("A".into(), "1 2".into())])),
            ),
            ("WORKDIR /app", Kind::Config(Change::Workdir("/app".into()))),
            (
                "USER 1000:1000",
                Kind::Config(Change::User("1000:1000".into())),
            ),
            (
                "EXPOSE 80/udp 443",
                Kind::Config(Change::Expose(vec!["80/udp".into(), "443".into()])),
            ),
            (
                "CMD [\"sh\"]",
                Kind::Config(Change::Cmd {
                    args: vec!["sh".into()],
                    json: true,
                }),
            ),
            (
                "ENTRYPOINT top -b",
                Kind::Config(Change::Entrypoint {
                    args: vec!["top -b".into()],
                    json: false,
                }),
            ),
            (
                "VOLUME /a /b",
                Kind::Config(Change::Volume(vec!["/a".into(), "/b".into()])),
            ),
            (
                "STOPSIGNAL SIGINT",
                Kind::Config(Change::StopSignal("SIGINT".into())),
            ),
            (
                "ONBUILD run echo x",
                Kind::Config(Change::OnBuild("RUN echo x".into())),
            ),
            (
                "LABEL a=b",
                Kind::Config(Change::Label(vec![("a".into(), "b".into())])),
            ),
        ];
        for (text, want) in ok {
            assert_eq!(one(text).unwrap(), want, "{text}");
        }
        let copy = |t: &str| match one(t).unwrap() {
            Kind::Copy(c) => c,
            k => panic!("{k:?}"),
        };
        let c = copy("COPY --from=build --chown=1:2 --chmod=644 a b /dst/");
        assert_eq!(c.sources, ["a", "b"]);
        assert_eq!(c.dest, "/dst/");
        assert_eq!(c.from.as_deref(), Some("build"));
        assert_eq!(c.chown.as_deref(), Some("1:2"));
        assert_eq!(c.chmod.as_deref(), Some("644"));
        assert!(!c.add);
        let c = copy("ADD [\"a b\", \"/x\"]");
        assert_eq!(c.sources, ["a b"]);
        assert!(c.add);
        let c = copy("COPY --link <<EOF /etc/x\nhello\nEOF");
        assert_eq!(c.heredocs[0].content, "hello\n");
        assert_eq!(c.sources, ["<<EOF"]);

        let errs: &[(&str, &str)] = &[
            (
                "FOO bar",
                "dockerfile parse error on line 2: unknown instruction: FOO",
            ),
            (
                "RUN --mount=type=secret,id=x true",
                "RUN --mount=type=secret,id=x is not supported",
            ),
            (
                "RUN --security=insecure true",
                "RUN --security=insecure is not supported",
            ),
            ("RUN --nope true", "unknown flag: nope"),
            ("RUN --network=bridge true", "unsupported network mode"),
            ("RUN", "RUN requires at least one argument"),
            ("COPY a", "COPY requires at least two arguments"),
            ("ADD --from=x a b", "unknown flag: from"),
            (
                "SHELL sh -c",
                "SHELL requires the arguments to be in JSON form",
            ),
            ("ENV", "ENV requires at least one argument"),
            ("ENV A", "A must have two arguments"),
            ("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger"),
            ("HEALTHCHECK --retries=x CMD true", "invalid syntax"),
        ];
        for (text, want) in errs {
            let e = one(text).unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn stages_and_meta_args() {
        let df = parse(
            "# syntax=docker/dockerfile:1\nARG BASE=busybox\nARG V\nFROM $BASE AS Build\nRUN x\nFROM --platform=linux/amd64 scratch\nCOPY --from=build /a /b\n",
        )
        .unwrap();
        assert_eq!(
            df.meta_args,
            [("BASE".into(), Some("busybox".into())), ("V".into(), None)]
        );
        assert_eq!(df.stages.len(), 2);
        assert_eq!(df.stages[0].base, "$BASE");
        assert_eq!(df.stages[0].name.as_deref(), Some("build"));
        assert_eq!(df.stages[0].line, 4);
        assert_eq!(df.stages[1].platform.as_deref(), Some("linux/amd64"));
        assert_eq!(df.stage_index("BUILD", 1), Some(0));
        assert_eq!(df.stage_index("0", 1), Some(0));
        assert_eq!(df.stage_index("1", 1), None);
        assert_eq!(df.stage_index("busybox", 1), None);
        let e = parse("RUN x\nFROM a").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(parse("").is_err());
        assert!(parse("FROM a AS 1x").is_err());
        assert!(parse("FROM a AS x\nFROM b AS x").is_err());
        assert!(parse("FROM a b").is_err());
    }
}
