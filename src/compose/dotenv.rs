//! `.env` and `--env-file` files as compose-go's `dotenv` parser reads
//! them: `KEY=VALUE` or `KEY: VALUE`, an optional `export `, `#` comment
//! lines, ` #` inline comments on unquoted values, single quotes literal,
//! double quotes with shell escapes (`\n`, `\t`, `\\`, `\"`, `\$`, octal
//! `\0NNN`), values that span lines inside quotes, and `${...}`
//! interpolation in unquoted and double-quoted values (the shell's
//! variables first, then the file's earlier keys). A bare `KEY` line takes
//! the shell's value when there is one.

use super::interpolate::{substitute, Resolver};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DotenvError {
    #[error("line {line}: key cannot contain a space")]
    SpaceInKey { line: usize },
    #[error("line {line}: unexpected character {ch:?} in variable name {text:?}")]
    BadChar {
        line: usize,
        ch: String,
        text: String,
    },
    #[error("line {line}: unterminated quoted value {text}")]
    Unterminated { line: usize, text: String },
    #[error("{0}")]
    Template(#[from] super::interpolate::TemplateError),
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

/// Parses `src`; `lookup` is the shell's environment (consulted for
/// interpolation and for bare keys); `warn` receives unset-variable
/// warnings.
pub fn parse(
    src: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    warn: &mut dyn FnMut(String),
) -> Result<BTreeMap<String, String>, DotenvError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut out = BTreeMap::new();
    let mut line = 1usize;
    let mut rest = src;
    loop {
        // Statement start: skip whitespace and comment lines.
        loop {
            let start = rest.find(|c: char| !c.is_whitespace());
            let Some(start) = start else {
                return Ok(out);
            };
            line += rest[..start].matches('\n').count();
            rest = &rest[start..];
            if !rest.starts_with('#') {
                break;
            }
            match rest.find('\n') {
                Some(nl) => rest = &rest[nl..],
                None => return Ok(out),
            }
        }
        // Key.
        if let Some(after) = rest.strip_prefix("export") {
            if after.starts_with(is_space) {
                rest = after.trim_start_matches(is_space);
            }
        }
        let mut key_end = None;
        for (i, c) in rest.char_indices() {
            if is_space(c) {
                continue;
            }
            match c {
                '=' | ':' | '\n' => {
                    key_end = Some((i, c));
                    break;
                }
                '_' | '.' | '-' | '[' | ']' => {}
                c if c.is_alphanumeric() => {}
                c => {
                    return Err(DotenvError::BadChar {
                        line,
                        ch: c.to_string(),
                        text: rest.split('\n').next().unwrap_or("").to_string(),
                    })
                }
            }
        }
        let (key, inherited, after) = match key_end {
            Some((i, c)) => (&rest[..i], c == '\n', &rest[i + 1..]),
            None => (rest, true, ""),
        };
        let key = key.trim_end();
        if inherited && !key.contains(' ') {
            line += 1;
        }
        if key.contains(' ') {
            return Err(DotenvError::SpaceInKey { line });
        }
        let after = after.trim_start_matches(is_space);
        if inherited {
            if let Some(v) = lookup(key) {
                out.insert(key.to_string(), v);
            }
            rest = after;
            continue;
        }
        let (value, left) = value(after, &mut line, &out, lookup, warn)?;
        out.insert(key.to_string(), value);
        rest = left;
    }
}

fn expand(
    value: &str,
    file: &BTreeMap<String, String>,
    lookup: &dyn Fn(&str) -> Option<String>,
    warn: &mut dyn FnMut(String),
) -> Result<String, DotenvError> {
    let both = |k: &str| lookup(k).or_else(|| file.get(k).cloned());
    Ok(substitute(
        value,
        &mut Resolver {
            lookup: &both,
            warn,
        },
    )?)
}

fn value<'a>(
    src: &'a str,
    line: &mut usize,
    file: &BTreeMap<String, String>,
    lookup: &dyn Fn(&str) -> Option<String>,
    warn: &mut dyn FnMut(String),
) -> Result<(String, &'a str), DotenvError> {
    let quote = match src.as_bytes().first() {
        Some(q @ (b'"' | b'\'')) => *q,
        _ => {
            let (v, rest) = src.split_once('\n').unwrap_or((src, ""));
            *line += 1;
            let v = v.split(" #").next().unwrap_or("").trim_end();
            return Ok((expand(v, file, lookup, warn)?, rest));
        }
    };
    let b = src.as_bytes();
    let mut chars = Vec::new();
    let mut escaped = false;
    for i in 1..b.len() {
        let c = b[i];
        if c == b'\n' {
            *line += 1;
        }
        if c != quote {
            if !escaped && c == b'\\' {
                escaped = true;
                continue;
            }
            if escaped {
                escaped = false;
                chars.push(b'\\');
            }
            chars.push(c);
            continue;
        }
        if escaped {
            escaped = false;
            chars.push(c);
            continue;
        }
        let mut v = String::from_utf8_lossy(&chars).into_owned();
        if quote == b'"' {
            v = expand(&unescape(&v), file, lookup, warn)?;
        }
        return Ok((v, &src[i + 1..]));
    }
    let end = src.find('\n').unwrap_or(src.len());
    Err(DotenvError::Unterminated {
        line: *line,
        text: src[..end].to_string(),
    })
}

/// The escapes compose-go expands in double quotes; `\$` becomes `$$` so
/// interpolation leaves a literal `$`. Anything else stays as written.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.peek().copied() {
            Some(e @ ('a' | 'b' | 'c' | 'f' | 'n' | 'r' | 't' | 'v' | '"' | '\\' | '$')) => {
                it.next();
                match e {
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{b}'),
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '$' => out.push_str("$$"),
                    // `\c` is matched but not a Go escape: kept.
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            Some('0') => {
                it.next();
                let mut digits = String::new();
                while digits.len() < 3 && it.peek().is_some_and(char::is_ascii_digit) {
                    digits.push(it.next().unwrap_or('0'));
                }
                // Go's UnquoteChar wants exactly three octal digits.
                match (digits.len() == 3)
                    .then(|| u8::from_str_radix(&digits, 8).ok())
                    .flatten()
                {
                    Some(v) => out.push(v as char),
                    None => {
                        out.push_str("\\0");
                        out.push_str(&digits);
                    }
                }
            }
            _ => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(
        src: &str,
        shell: &[(&str, &str)],
    ) -> Result<BTreeMap<String, String>, DotenvError> {
        let shell: Vec<(String, String)> = shell
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |k: &str| shell.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        parse(src, &lookup, &mut |_| {})
    }

    /// compose-go's godotenv_test.go `TestParsing` lines.
    #[test]
    fn single_lines() {
        let cases: &[(&str, &str, &str)] = &[
            ("FOO=bar", "FOO", "bar"),
            ("FOO =bar", "FOO", "bar"),
            ("FOO= bar", "FOO", "bar"),
            (r#"FOO="bar""#, "FOO", "bar"),
            ("FOO='bar'", "FOO", "bar"),
            (r#"FOO="escaped\"bar""#, "FOO", "escaped\"bar"),
            (r#"FOO="\"quoted\"""#, "FOO", "\"quoted\""),
            (r#"FOO="'d'""#, "FOO", "'d'"),
            ("OPTION_A: 1", "OPTION_A", "1"),
            ("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"),
            ("OPTION_A=1:B", "OPTION_A", "1:B"),
            ("export OPTION_A=2", "OPTION_A", "2"),
            (r"export OPTION_B='\n'", "OPTION_B", "\\n"),
            ("export exportFoo=2", "exportFoo", "2"),
            ("exportFOO=2", "exportFOO", "2"),
            ("export_FOO =2", "export_FOO", "2"),
            ("export.FOO= 2", "export.FOO", "2"),
            ("export\tOPTION_A=2", "OPTION_A", "2"),
            ("  export OPTION_A=2", "OPTION_A", "2"),
            ("\texport OPTION_A=2", "OPTION_A", "2"),
            (r#"export OPTION_A="export A""#, "OPTION_A", "export A"),
            (r#"FOO="bar\nbaz""#, "FOO", "bar\nbaz"),
            (r"FOO=a\tb", "FOO", "a\\tb"),
            (r#"FOO="a\tb""#, "FOO", "a\tb"),
            (
                r#"KEY="Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\Z\0123Z""#,
                "KEY",
                "Z\u{7}Z\u{8}Z\u{c}Z\nZ\rZ\tZ\u{b}Z\\ZSZ",
            ),
            ("FOO.BAR=foobar", "FOO.BAR", "foobar"),
            ("FOO=foobar=", "FOO", "foobar="),
            ("FOO=bar ", "FOO", "bar"),
            ("FOO=bar # this is foo", "FOO", "bar"),
            ("FOO=bar #this is foo", "FOO", "bar"),
            ("FOO=bar #", "FOO", "bar"),
            (
                "FOO=123#not-an-inline-comment",
                "FOO",
                "123#not-an-inline-comment",
            ),
            (r#"FOO="bar#baz""#, "FOO", "bar#baz"),
            (r##"FOO="bar#baz"#"##, "FOO", "bar#baz"),
            (r#"FOO="bar#baz" # comment"#, "FOO", "bar#baz"),
            ("FOO='bar#baz' # comment", "FOO", "bar#baz"),
            (r#"FOO="bar#baz#bang" # comment"#, "FOO", "bar#baz#bang"),
            (r#"FOO="ba#r""#, "FOO", "ba#r"),
            ("FOO='ba#r'", "FOO", "ba#r"),
            (r#"FOO="bar\n\ b\az""#, "FOO", "bar\n\\ b\u{7}z"),
            (r#"FOO="bar\\\n\ b\az""#, "FOO", "bar\\\n\\ b\u{7}z"),
            (r#"FOO="bar\\r\ b\az""#, "FOO", "bar\\r\\ b\u{7}z"),
            (r#"FOO="bar\nbaz\\""#, "FOO", "bar\nbaz\\"),
            (r#"="value""#, "", "value"),
            (" KEY =value", "KEY", "value"),
            ("   KEY=value", "KEY", "value"),
            ("\tKEY=value", "KEY", "value"),
            (r#"KEY="\0123""#, "KEY", "S"),
            (r#"KEY="\x07""#, "KEY", "\\x07"),
            (r#"KEY="\u12e4""#, "KEY", "\\u12e4"),
            (r#"KEY="\U00101234""#, "KEY", "\\U00101234"),
            (r#"FOO="\$bar""#, "FOO", "$bar"),
            ("FOO=$$bar", "FOO", "$bar"),
            ("FOO='$bar'", "FOO", "$bar"),
            ("FOO='Let\\'s go!'", "FOO", "Let's go!"),
            (
                "OPTION_H = my string # Inline comment",
                "OPTION_H",
                "my string",
            ),
            ("OPTION_F = ", "OPTION_F", ""),
            ("456 = ABC", "456", "ABC"),
            ("VAR-WITH-DASHES=dashes", "VAR-WITH-DASHES", "dashes"),
            ("\u{feff}BOM=yes", "BOM", "yes"),
            (
                "OPTION_D = then another one with an unquoted phrase special è char",
                "OPTION_D",
                "then another one with an unquoted phrase special è char",
            ),
        ];
        for (line, key, want) in cases {
            let got = parse_with(line, &[]).unwrap_or_else(|e| panic!("{line:?}: {e}"));
            assert_eq!(
                got.get(*key).map(String::as_str),
                Some(*want),
                "line {line:?} → {got:?}"
            );
        }
    }

    #[test]
    fn whole_files_substitute_and_inherit() {
        let src = "\
# comment
export OPTION_A='postgres://localhost:5432/database?sslmode=disable'

OPTION_B=${OPTION_A}
OPTION_C=$OPTION_B
OPTION_D=${OPTION_A}_${OPTION_B}
OPTION_E=${OPTION_NOT_DEFINED}
OPTION_F=${FROM_SHELL:-x}
OPTION_G='${OPTION_A}'
OPTION_J = 'first line
second line'
INHERITED
MISSING
LAST=\"last value\"
";
        let got = parse_with(src, &[("FROM_SHELL", "shell"), ("INHERITED", "from shell")]).unwrap();
        let url = "postgres://localhost:5432/database?sslmode=disable";
        assert_eq!(got["OPTION_A"], url);
        assert_eq!(got["OPTION_B"], url);
        assert_eq!(got["OPTION_C"], url);
        assert_eq!(got["OPTION_D"], format!("{url}_{url}"));
        assert_eq!(got["OPTION_E"], "");
        assert_eq!(got["OPTION_F"], "shell");
        assert_eq!(got["OPTION_G"], "${OPTION_A}");
        assert_eq!(got["OPTION_J"], "first line\nsecond line");
        assert_eq!(got["INHERITED"], "from shell");
        assert!(!got.contains_key("MISSING"));
        assert_eq!(got["LAST"], "last value");
        // The shell wins inside the file's own interpolation too.
        let got = parse_with("A=file\nB=${A}\n", &[("A", "shell")]).unwrap();
        assert_eq!(got["B"], "shell");
        // A default that refers to the file's own key.
        let got = parse_with("A=${A:-1}\n", &[]).unwrap();
        assert_eq!(got["A"], "1");
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse_with("A=1\nB=\"open\n", &[]).unwrap_err().to_string(),
            "line 3: unterminated quoted value \"open"
        );
        assert_eq!(
            parse_with("A=1\n\nINVALID LINE\n", &[])
                .unwrap_err()
                .to_string(),
            "line 3: key cannot contain a space"
        );
        assert_eq!(
            parse_with("FOO!=bar\n", &[]).unwrap_err().to_string(),
            "line 1: unexpected character \"!\" in variable name \"FOO!=bar\""
        );
        assert!(parse_with("A=${B:?needed}\n", &[])
            .unwrap_err()
            .to_string()
            .contains("required variable B"));
    }
}
