//! The Dockerfile's physical lines into logical instructions, as moby's
//! `parser.Parse` reads them: parser directives (`# escape=`, `# syntax=`)
//! only before anything else, `#` comment lines dropped (also inside a
//! continuation), a line ending in the escape character (`\` or the
//! `escape` directive's `` ` ``) joined to the next, empty lines inside a
//! continuation skipped, and the bodies of heredocs (`<<EOF`, `<<-EOF`,
//! `<<"EOF"`) of `RUN`, `COPY` and `ADD` taken verbatim up to their
//! delimiter line.

use super::ParseError;

/// Parser directives found at the top of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Directives {
    pub escape: char,
    pub syntax: Option<String>,
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq)]
pub struct Heredoc {
    pub name: String,
    /// The body, each line ending in `\n` (leading tabs removed for `<<-`).
    pub content: String,
    /// Unquoted delimiters let the builder expand variables in the body.
    pub expand: bool,
}

/// One instruction's text: its first line number (1-based), the joined
/// line, and its heredocs.
#[derive(Debug, Clone, PartialEq)]
pub struct Logical {
    pub line: usize,
    pub text: String,
    pub heredocs: Vec<Heredoc>,
}

fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix('#')?.trim();
    let (k, v) = rest.split_once('=')?;
    let k = k.trim().to_ascii_lowercase();
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((k, v.trim().to_string()))
}

/// The delimiters of the heredocs on an instruction line: `(name, strip
/// tabs, expand)`. Only `<<` at the start of a word (or after a file
/// descriptor number) counts.
pub fn heredoc_markers(text: &str) -> Vec<(String, bool, bool)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i + 1 < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            quote = Some(c);
            i += 1;
            continue;
        }
        let word_start = i == 0
            || b[i - 1].is_ascii_whitespace()
            || (b[i - 1].is_ascii_digit()
                && (i < 2 || b[i - 2].is_ascii_whitespace() || b[i - 2].is_ascii_digit()));
        if c == b'<' && b[i + 1] == b'<' && word_start {
            let mut j = i + 2;
            let strip = b.get(j) == Some(&b'-');
            if strip {
                j += 1;
            }
            let q = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    j += 1;
                    Some(q)
                }
                _ => None,
            };
            let start = j;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            let closed = match q {
                Some(q) => b.get(j) == Some(&q),
                None => true,
            };
            if j > start && closed {
                out.push((text[start..j].to_string(), strip, q.is_none()));
                i = j + usize::from(q.is_some());
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Split the file into directives and logical instructions.
pub fn split(src: &str) -> Result<(Directives, Vec<Logical>), ParseError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let lines: Vec<&str> = src
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut d = Directives {
        escape: '\\',
        syntax: None,
    };
    let mut i = 0;
    let mut seen = std::collections::HashSet::new();
    while i < lines.len() {
        let Some((k, v)) = directive(lines[i]) else {
            break;
        };
        if !matches!(k.as_str(), "escape" | "syntax" | "check") {
            break;
        }
        if !seen.insert(k.clone()) {
            return Err(ParseError::at(
                i + 1,
                format!("only one {k} parser directive can be used"),
            ));
        }
        match k.as_str() {
            "escape" => {
                d.escape = match v.as_str() {
                    "\\" => '\\',
                    "`" => '`',
                    _ => {
                        return Err(ParseError::at(
                            i + 1,
                            format!("invalid escape token '{v}' does not match ` or \\"),
                        ))
                    }
                }
            }
            "syntax" => d.syntax = Some(v),
            _ => {}
        }
        i += 1;
    }
    let esc = d.escape;
    let continues = |l: &str| -> Option<String> {
        let t = l.trim_end_matches([' ', '\t']);
        t.strip_suffix(esc).map(String::from)
    };
    let mut out = Vec::new();
    while i < lines.len() {
        let raw = lines[i];
        let t = raw.trim_start();
        if t.is_empty() || t.starts_with('#') {
            i += 1;
            continue;
        }
        let line = i + 1;
        let mut text = String::new();
        let mut cur = t.to_string();
        i += 1;
        loop {
            match continues(&cur) {
                Some(head) => {
                    text.push_str(&head);
                    // The next line that is not a comment or empty continues it.
                    loop {
                        if i >= lines.len() {
                            cur = String::new();
                            break;
                        }
                        let n = lines[i];
                        let nt = n.trim_start();
                        i += 1;
                        if nt.starts_with('#') || nt.is_empty() {
                            continue;
                        }
                        cur = n.to_string();
                        break;
                    }
                    if cur.is_empty() && i >= lines.len() {
                        break;
                    }
                }
                None => {
                    text.push_str(&cur);
                    break;
                }
            }
        }
        let text = text.trim().to_string();
        let word = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut heredocs = Vec::new();
        if matches!(word.as_str(), "run" | "copy" | "add") {
            for (name, strip, expand) in heredoc_markers(&text) {
                let mut content = String::new();
                let mut closed = false;
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let body = if strip { l.trim_start_matches('\t') } else { l };
                    if body == name {
                        closed = true;
                        break;
                    }
                    content.push_str(body);
                    content.push('\n');
                }
                if !closed {
                    return Err(ParseError::at(line, format!("unterminated heredoc {name}")));
                }
                heredocs.push(Heredoc {
                    name,
                    content,
                    expand,
                });
            }
        }
        out.push(Logical {
            line,
            text,
            heredocs,
        });
    }
    Ok((d, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<(usize, String)> {
        split(src)
            .unwrap()
            .1
            .into_iter()
            .map(|l| (l.line, l.text))
            .collect()
    }

    #[test]
    fn lines_comments_and_continuations() {
        let cases: &[(&str, &[(usize, &str)])] = &[
            ("FROM a\nRUN x", &[(1, "FROM a"), (2, "RUN x")]),
            ("# c\n\nFROM a\r\n", &[(3, "FROM a")]),
            ("FROM a\nRUN a \\\n  b", &[(1, "FROM a"), (2, "RUN a   b")]),
            ("RUN a \\\n# comment\n\n b", &[(1, "RUN a  b")]),
            ("RUN a \\  \n b", &[(1, "RUN a  b")]),
            ("# escape=`\nRUN a `\n b \\", &[(2, "RUN a  b \\")]),
            ("  RUN  x  ", &[(1, "RUN  x")]),
            ("RUN a \\", &[(1, "RUN a")]),
        ];
        for (src, want) in cases {
            let want: Vec<(usize, String)> =
                want.iter().map(|(l, t)| (*l, t.to_string())).collect();
            assert_eq!(texts(src), want, "{src:?}");
        }
    }

    #[test]
    fn directives_only_at_the_top() {
        let (d, l) = split("# syntax=docker/dockerfile:1\n# escape=`\nFROM a").unwrap();
        assert_eq!(d.escape, '`');
        assert_eq!(d.syntax.as_deref(), Some("docker/dockerfile:1"));
        assert_eq!(l.len(), 1);
        let (d, _) = split("# hello\n# escape=`\nFROM a").unwrap();
        assert_eq!(d.escape, '\\');
        let (d, _) = split("FROM a\n# escape=`\n").unwrap();
        assert_eq!(d.escape, '\\');
        assert!(split("# escape=x\nFROM a").is_err());
        assert!(split("# escape=`\n# escape=\\\nFROM a").is_err());
    }

    #[test]
    fn heredocs() {
        let (_, l) = split("FROM a\nRUN <<EOF\necho hi\n  # not a comment\nEOF\nCMD x").unwrap();
        assert_eq!(l.len(), 3);
        assert_eq!(l[1].heredocs[0].content, "echo hi\n  # not a comment\n");
        assert!(l[1].heredocs[0].expand);
        assert_eq!(l[2].line, 6);
        let (_, l) = split("COPY <<-\"A\" <<B /x/\n\tone\n\tA\ntwo\nB\n").unwrap();
        assert_eq!(l[0].heredocs.len(), 2);
        assert_eq!(l[0].heredocs[0].content, "one\n");
        assert!(!l[0].heredocs[0].expand);
        assert_eq!(l[0].heredocs[1].content, "two\n");
        assert!(split("RUN <<EOF\nnever closed\n").is_err());
        // Not heredocs: inside quotes, inside a word, other instructions.
        assert!(heredoc_markers("echo '<<EOF'").is_empty());
        assert!(heredoc_markers("echo a<<EOF").is_empty());
        assert_eq!(heredoc_markers("cat 3<<X").len(), 1);
        let (_, l) = split("LABEL a=<<EOF\nRUN x").unwrap();
        assert_eq!(l.len(), 2);
    }
}
