//! `.dockerignore` files and path patterns, with the rules of moby's
//! patternmatcher (github.com/moby/patternmatcher) that both the classic
//! builder and BuildKit use, and Go's `filepath.Match` (which COPY/ADD use
//! for their source globs).
//!
//! Reading a `.dockerignore` ([`Ignore::parse`]): a UTF-8 BOM is dropped,
//! lines starting with `#` are comments (a line starting with a space then
//! `#` is a pattern), whitespace around a pattern is trimmed, `!` marks an
//! exception, the pattern is cleaned like Go's `filepath.Clean` and a leading
//! `/` is dropped.
//!
//! Matching ([`Ignore::matches`], moby's `MatchesOrParentMatches`): a path
//! is excluded when the last pattern matching it, or one of its parent
//! directories, is not an exception. `*` and `?` never match `/`, `**`
//! matches any number of directories, `[...]` is a class (`^` negates), `\`
//! escapes the next character. The fast paths of the patternmatcher are kept
//! as they are, since they are its behaviour: `**foo` is a plain suffix test.
//!
//! A directory that is excluded may still hold re-included files (`dir`
//! then `!dir/keep`): [`Ignore::may_reinclude`] says when a walk must go
//! into it anyway.

// Called by the build executor (`berth build`), which lands separately.
#![allow(dead_code)]

use std::collections::HashSet;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IgnoreError {
    /// Go's `filepath.ErrBadPattern`.
    #[error("syntax error in pattern: {0:?}")]
    BadPattern(String),
    #[error("illegal exclusion pattern: \"!\"")]
    BareExclusion,
}

/// Go's `filepath.Clean` for `/`-separated paths (lexical only).
pub fn go_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if matches!(out.last(), Some(l) if *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            _ => out.push(part),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

// ---------------------------------------------------------------------------
// Go's filepath.Match

fn bad(p: &[char]) -> IgnoreError {
    IgnoreError::BadPattern(p.iter().collect())
}

/// Split off the next chunk: leading stars, then everything up to the next
/// star outside a class.
fn scan_chunk(p: &[char]) -> (bool, &[char], &[char]) {
    let mut p = p;
    let mut star = false;
    while p.first() == Some(&'*') {
        p = &p[1..];
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' if i + 1 < p.len() => i += 1,
            '[' => in_range = true,
            ']' => in_range = false,
            '*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &p[..i], &p[i..])
}

/// One character of a class (`\x` escapes), as Go's `getEsc`.
fn get_esc(chunk: &[char]) -> Option<(char, &[char])> {
    let mut c = chunk;
    match c.first() {
        None | Some('-') | Some(']') => return None,
        Some('\\') => {
            c = &c[1..];
            c.first()?;
        }
        _ => {}
    }
    let rest = &c[1..];
    if rest.is_empty() {
        return None;
    }
    Some((c[0], rest))
}

/// A parsed class: negated, its ranges, and the pattern after its `]`.
type Class<'a> = (bool, Vec<(char, char)>, &'a [char]);

/// Parse a class body (after `[`).
fn parse_class(chunk: &[char]) -> Option<Class<'_>> {
    let mut c = chunk;
    let mut negated = false;
    if c.first() == Some(&'^') {
        negated = true;
        c = &c[1..];
    }
    let mut ranges = Vec::new();
    loop {
        if c.first() == Some(&']') && !ranges.is_empty() {
            return Some((negated, ranges, &c[1..]));
        }
        let (lo, rest) = get_esc(c)?;
        c = rest;
        let mut hi = lo;
        if c.first() == Some(&'-') {
            let (h, rest) = get_esc(&c[1..])?;
            hi = h;
            c = rest;
        }
        ranges.push((lo, hi));
    }
}

fn class_has(ranges: &[(char, char)], negated: bool, r: char) -> bool {
    ranges.iter().any(|&(lo, hi)| lo <= r && r <= hi) != negated
}

/// Match `chunk` (no stars) at the start of `s`: the rest of `s`, `None`
/// when it does not match, an error for a bad pattern (checked even when
/// the text already failed, as Go does).
#[allow(clippy::type_complexity)]
fn match_chunk<'s>(chunk: &[char], s: &'s [char]) -> Result<Option<&'s [char]>, IgnoreError> {
    let whole = chunk;
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            '[' => {
                let r = if failed {
                    '\0'
                } else {
                    let r = s[0];
                    s = &s[1..];
                    r
                };
                let (negated, ranges, rest) = parse_class(&chunk[1..]).ok_or_else(|| bad(whole))?;
                chunk = rest;
                if !failed && !class_has(&ranges, negated, r) {
                    failed = true;
                }
            }
            '?' => {
                if !failed {
                    if s[0] == '/' {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
            c => {
                let lit = if c == '\\' {
                    chunk = &chunk[1..];
                    *chunk.first().ok_or_else(|| bad(whole))?
                } else {
                    c
                };
                if !failed {
                    if lit != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok(if failed { None } else { Some(s) })
}

/// Go's `filepath.Match` on `/`-separated paths: `*` and `?` stop at `/`.
pub fn path_match(pattern: &str, name: &str) -> Result<bool, IgnoreError> {
    let pat: Vec<char> = pattern.chars().collect();
    let txt: Vec<char> = name.chars().collect();
    let mut p: &[char] = &pat;
    let mut name: &[char] = &txt;
    'pattern: while !p.is_empty() {
        let (star, chunk, rest) = scan_chunk(p);
        p = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&'/'));
        }
        let res = match_chunk(chunk, name)?;
        if let Some(t) = res {
            if t.is_empty() || !p.is_empty() {
                name = t;
                continue;
            }
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != '/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    if p.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // Check the rest of the pattern for syntax errors before failing.
        while !p.is_empty() {
            let (_, chunk, rest) = scan_chunk(p);
            p = rest;
            match_chunk(chunk, &[])?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Whether a pattern uses any of `filepath.Match`'s special characters.
pub fn has_meta(p: &str) -> bool {
    p.contains(['*', '?', '[', '\\'])
}

// ---------------------------------------------------------------------------
// patternmatcher

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(char),
    /// `[^/]*`
    Star,
    /// `[^/]`
    One,
    /// `(.*/)?`
    OptDirs,
    /// `.*`
    Any,
    Class(bool, Vec<(char, char)>),
    /// A bare `^`, the regexp anchor: only matches at the start.
    Caret,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    Regexp(Vec<Tok>),
}

#[derive(Debug, Clone)]
struct Pattern {
    cleaned: String,
    exclusion: bool,
    kind: Kind,
}

/// Compile a cleaned pattern the way the patternmatcher turns it into a
/// regexp, keeping its exact/prefix/suffix fast paths.
fn compile(p: &str) -> Kind {
    #[derive(PartialEq)]
    enum Det {
        Exact,
        Prefix,
        Suffix,
        Regexp,
    }
    let chars: Vec<char> = p.chars().collect();
    let mut toks = Vec::new();
    let mut det = Det::Exact;
    let mut i = 0; // position in chars
    let mut n = 0; // iteration (a `**` is one)
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        match ch {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i == chars.len() {
                    if det == Det::Exact {
                        det = Det::Prefix;
                    } else {
                        toks.push(Tok::Any);
                        det = Det::Regexp;
                    }
                } else {
                    toks.push(Tok::OptDirs);
                    det = Det::Regexp;
                }
                if n == 0 {
                    det = Det::Suffix;
                }
            }
            '*' => {
                toks.push(Tok::Star);
                det = Det::Regexp;
            }
            '?' => {
                toks.push(Tok::One);
                det = Det::Regexp;
            }
            '\\' => match chars.get(i) {
                Some(&c) => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                    det = Det::Regexp;
                }
                None => toks.push(Tok::Lit('\\')),
            },
            '[' => {
                // Validated by path_match in Ignore::new, so it parses.
                match parse_class(&chars[i..]) {
                    Some((neg, ranges, rest)) => {
                        i = chars.len() - rest.len();
                        toks.push(Tok::Class(neg, ranges));
                    }
                    None => toks.push(Tok::Lit('[')),
                }
                det = Det::Regexp;
            }
            ']' => {
                toks.push(Tok::Lit(']'));
                det = Det::Regexp;
            }
            '^' => toks.push(Tok::Caret),
            c => toks.push(Tok::Lit(c)),
        }
        n += 1;
    }
    match det {
        Det::Exact => Kind::Exact,
        Det::Prefix => Kind::Prefix,
        Det::Suffix => Kind::Suffix,
        Det::Regexp => Kind::Regexp(toks),
    }
}

/// Run the compiled regexp (anchored at both ends) on `s`.
fn re_match(toks: &[Tok], s: &[char]) -> bool {
    fn go(
        toks: &[Tok],
        s: &[char],
        t: usize,
        i: usize,
        failed: &mut HashSet<(usize, usize)>,
    ) -> bool {
        if t == toks.len() {
            return i == s.len();
        }
        if failed.contains(&(t, i)) {
            return false;
        }
        let ok = match &toks[t] {
            Tok::Lit(c) => s.get(i) == Some(c) && go(toks, s, t + 1, i + 1, failed),
            Tok::One => {
                matches!(s.get(i), Some(c) if *c != '/') && go(toks, s, t + 1, i + 1, failed)
            }
            Tok::Class(neg, r) => {
                matches!(s.get(i), Some(c) if class_has(r, *neg, *c))
                    && go(toks, s, t + 1, i + 1, failed)
            }
            Tok::Caret => i == 0 && go(toks, s, t + 1, i, failed),
            Tok::Star => {
                let mut j = i;
                loop {
                    if go(toks, s, t + 1, j, failed) {
                        break true;
                    }
                    if j == s.len() || s[j] == '/' {
                        break false;
                    }
                    j += 1;
                }
            }
            Tok::Any => {
                let mut j = i;
                loop {
                    if go(toks, s, t + 1, j, failed) {
                        break true;
                    }
                    if j == s.len() || s[j] == '\n' {
                        break false;
                    }
                    j += 1;
                }
            }
            Tok::OptDirs => {
                if go(toks, s, t + 1, i, failed) {
                    true
                } else {
                    let mut j = i;
                    let mut hit = false;
                    while j < s.len() && s[j] != '\n' {
                        if s[j] == '/' && go(toks, s, t + 1, j + 1, failed) {
                            hit = true;
                            break;
                        }
                        j += 1;
                    }
                    hit
                }
            }
        };
        if !ok {
            failed.insert((t, i));
        }
        ok
    }
    go(toks, s, 0, 0, &mut HashSet::new())
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.cleaned,
            Kind::Prefix => path.starts_with(&self.cleaned[..self.cleaned.len() - 2]),
            Kind::Suffix => {
                let suffix = &self.cleaned[2..];
                path.ends_with(suffix) || (suffix.starts_with('/') && path == &suffix[1..])
            }
            Kind::Regexp(toks) => {
                let s: Vec<char> = path.chars().collect();
                re_match(toks, &s)
            }
        }
    }
}

/// The patterns of a `.dockerignore`, in order.
#[derive(Debug, Clone, Default)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

impl Ignore {
    /// No patterns: nothing is ignored.
    pub fn empty() -> Ignore {
        Ignore::default()
    }

    /// Read a `.dockerignore` file's contents (patternmatcher's
    /// `ignorefile.ReadAll`, then `New`).
    pub fn parse(contents: &[u8]) -> Result<Ignore, IgnoreError> {
        let text = String::from_utf8_lossy(contents);
        let mut lines = Vec::new();
        for (n, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let line = if n == 0 {
                line.strip_prefix('\u{feff}').unwrap_or(line)
            } else {
                line
            };
            if line.starts_with('#') {
                continue;
            }
            let mut p = line.trim();
            if p.is_empty() {
                continue;
            }
            let invert = p.starts_with('!');
            if invert {
                p = p[1..].trim();
            }
            let mut p = p.to_string();
            if !p.is_empty() {
                p = go_clean(&p);
                if p.len() > 1 && p.starts_with('/') {
                    p.remove(0);
                }
            }
            if invert {
                p.insert(0, '!');
            }
            lines.push(p);
        }
        Ignore::new(&lines)
    }

    /// Compile patterns (patternmatcher's `New`).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Ignore, IgnoreError> {
        let mut out = Vec::new();
        for p in patterns {
            let p = p.as_ref().trim();
            if p.is_empty() {
                continue;
            }
            let mut p = go_clean(p);
            let mut exclusion = false;
            if let Some(rest) = p.strip_prefix('!') {
                if rest.is_empty() {
                    return Err(IgnoreError::BareExclusion);
                }
                exclusion = true;
                p = rest.to_string();
            }
            path_match(&p, ".")?;
            out.push(Pattern {
                kind: compile(&p),
                cleaned: p,
                exclusion,
            });
        }
        Ok(Ignore { patterns: out })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `rel` (a `/`-separated path relative to the context) is
    /// excluded: the last pattern matching it or one of its parents wins.
    pub fn matches(&self, rel: &str) -> bool {
        let file = go_clean(rel);
        let file = file.trim_start_matches('/');
        if file == "." || file.is_empty() || self.patterns.is_empty() {
            return false;
        }
        self.matches_or_parent_matches(file)
    }

    /// patternmatcher's `MatchesOrParentMatches` on an already clean path.
    fn matches_or_parent_matches(&self, file: &str) -> bool {
        let parents: Vec<&str> = match file.rfind('/') {
            Some(i) => file[..i].split('/').collect(),
            None => Vec::new(),
        };
        let mut matched = false;
        for pat in &self.patterns {
            if pat.exclusion != matched {
                continue;
            }
            let mut hit = pat.matches(file);
            if !hit {
                for i in 0..parents.len() {
                    if pat.matches(&parents[..=i].join("/")) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                matched = !pat.exclusion;
            }
        }
        matched
    }

    /// Whether an exception pattern could re-include something below the
    /// excluded directory `dir`, so a walk must still go into it.
    pub fn may_reinclude(&self, dir: &str) -> bool {
        let dir = go_clean(dir);
        let dparts: Vec<&str> = dir.split('/').collect();
        self.patterns.iter().filter(|p| p.exclusion).any(|p| {
            let pparts: Vec<&str> = p.cleaned.split('/').collect();
            for (i, pp) in pparts.iter().enumerate() {
                if pp.contains("**") {
                    return true;
                }
                let Some(d) = dparts.get(i) else {
                    return true; // the pattern goes deeper than dir
                };
                if !path_match(pp, d).unwrap_or(false) {
                    return false;
                }
            }
            false
        })
    }

    /// Make sure `rel` is never excluded (the classic builder always sends
    /// the Dockerfile and `.dockerignore`): appends `!rel` when it matches.
    pub fn keep(&mut self, rel: &str) {
        if self.matches(rel) {
            let p = go_clean(rel);
            self.patterns.push(Pattern {
                kind: Kind::Exact,
                cleaned: p,
                exclusion: true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_clean_is_lexical() {
        for (i, o) in [
            ("", "."),
            ("a/b/../c", "a/c"),
            ("/../a", "/a"),
            ("../a", "../a"),
            ("a//b/./", "a/b"),
            ("docs/", "docs"),
            ("/", "/"),
            ("a/..", "."),
        ] {
            assert_eq!(go_clean(i), o, "{i}");
        }
    }

    // Go's filepath.Match cases, as the patternmatcher's tests list them.
    #[test]
    fn path_match_table() {
        let ok: &[(&str, &str, bool)] = &[
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[e-g]", "abc", false),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abc", false),
            ("ab[^e-g]", "abc", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a[^a]b", "a☺b", true),
            ("a???b", "a☺b", false),
            ("[a-ζ]*", "α", true),
            ("*[a-ζ]", "A", false),
            ("a?b", "a/b", false),
            ("a*b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[\\-]", "-", true),
            ("[x\\-]", "x", true),
            ("[x\\-]", "-", true),
            ("[x\\-]", "z", false),
            ("[\\-x]", "-", true),
            ("[\\-x]", "a", false),
            ("*x", "xxx", true),
        ];
        for (p, s, want) in ok {
            assert_eq!(path_match(p, s), Ok(*want), "{p} {s}");
        }
        for p in [
            "[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[",
        ] {
            assert!(path_match(p, "a").is_err(), "{p}");
        }
    }

    fn one(p: &str, s: &str) -> bool {
        Ignore::new(&[p]).unwrap().matches_or_parent_matches(s)
    }

    // The patternmatcher's TestMatches table (MatchesOrParentMatches).
    #[test]
    fn pattern_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("**", "file", true),
            ("**", "file/", true),
            ("**/", "file", true),
            ("**/", "file/", true),
            ("**", "/", true),
            ("**/", "/", true),
            ("**", "dir/file", true),
            ("**/", "dir/file", true),
            ("**", "dir/file/", true),
            ("**/", "dir/file/", true),
            ("**/**", "dir/file", true),
            ("**/**", "dir/file/", true),
            ("dir/**", "dir/file", true),
            ("dir/**", "dir/file/", true),
            ("dir/**", "dir/dir2/file", true),
            ("dir/**", "dir/dir2/file/", true),
            ("**/dir", "dir", true),
            ("**/dir", "dir/file", true),
            ("**/dir2/*", "dir/dir2/file", true),
            ("**/dir2/*", "dir/dir2/file/", true),
            ("**/dir2/**", "dir/dir2/dir3/file", true),
            ("**/dir2/**", "dir/dir2/dir3/file/", true),
            ("**file", "file", true),
            ("**file", "dir/file", true),
            ("**/file", "dir/file", true),
            ("**file", "dir/dir/file", true),
            ("**/file", "dir/dir/file", true),
            ("**/file*", "dir/dir/file", true),
            ("**/file*", "dir/dir/file.txt", true),
            ("**/file*txt", "dir/dir/file.txt", true),
            ("**/file*.txt", "dir/dir/file.txt", true),
            ("**/file*.txt*", "dir/dir/file.txt", true),
            ("**/**/*.txt", "dir/dir/file.txt", true),
            ("**/**/*.txt2", "dir/dir/file.txt", false),
            ("**/*.txt", "file.txt", true),
            ("**/**/*.txt", "file.txt", true),
            ("a**/*.txt", "a/file.txt", true),
            ("a**/*.txt", "a/dir/file.txt", true),
            ("a**/*.txt", "a/dir/dir/file.txt", true),
            ("a/*.txt", "a/dir/file.txt", false),
            ("a/*.txt", "a/file.txt", true),
            ("a/*.txt**", "a/file.txt", true),
            ("a[b-d]e", "ae", false),
            ("a[b-d]e", "ace", true),
            ("a[b-d]e", "aae", false),
            ("a[^b-d]e", "aze", true),
            (".*", ".foo", true),
            (".*", "foo", false),
            ("abc.def", "abcdef", false),
            ("abc.def", "abc.def", true),
            ("abc.def", "abcZdef", false),
            ("abc?def", "abcZdef", true),
            ("abc?def", "abcdef", false),
            ("a\\\\", "a\\", true),
            ("**/foo/bar", "foo/bar", true),
            ("**/foo/bar", "dir/foo/bar", true),
            ("**/foo/bar", "dir/dir2/foo/bar", true),
            ("abc/**", "abc", false),
            ("abc/**", "abc/def", true),
            ("abc/**", "abc/def/ghi", true),
            ("**/.foo", ".foo", true),
            ("**/.foo", "bar.foo", false),
            ("a(b)c/def", "a(b)c/def", true),
            ("a(b)c/def", "a(b)c/xyz", false),
            ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
            (
                "dist/*.whl",
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                true,
            ),
            ("a\\*b", "a*b", true),
            // The filepath.Match table, through the matcher (parents count).
            ("a*", "ab/c", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
        ];
        for (p, s, want) in cases {
            assert_eq!(one(p, s), *want, "pattern {p:?} text {s:?}");
        }
    }

    #[test]
    fn compile_kinds() {
        assert_eq!(compile("**"), Kind::Suffix);
        assert_eq!(compile("dir/**"), Kind::Prefix);
        assert_eq!(compile("**/dir"), Kind::Suffix);
        assert_eq!(compile("**file"), Kind::Suffix);
        assert_eq!(compile("abc.def"), Kind::Exact);
        assert_eq!(compile("a(b)c/def"), Kind::Exact);
        assert!(matches!(compile("**/**"), Kind::Regexp(_)));
        assert!(matches!(compile("**/dir2/*"), Kind::Regexp(_)));
        assert!(matches!(compile("a[b-d]e"), Kind::Regexp(_)));
    }

    #[test]
    fn multi_pattern_table() {
        let cases: &[(&[&str], &str, bool)] = &[
            (&["**", "!util/docker/web"], "util/docker/web/foo", false),
            (
                &["**", "!util/docker/web", "util/docker/web/foo"],
                "util/docker/web/foo",
                true,
            ),
            (
                &["**", "!dist/*.whl"],
                "dist/proxy.py-2.4.0rc3-any.whl",
                false,
            ),
            (&["*"], "fileutils.go", true),
            (&["*.go"], "fileutils.go", true),
            (&["!fileutils.go", "*.go"], "fileutils.go", true),
            (&["*.go", "!fileutils.go"], "fileutils.go", false),
            (&["docs", "!docs/README.md"], "docs/README.md", false),
            (&["docs/", "!docs/README.md"], "docs/README.md", false),
            (&["docs/*", "!docs/README.md"], "docs/README.md", false),
            (&["docs", "!docs/README.md"], "docs/other.md", true),
            (&["*.go"], ".", false),
            (&["docs", "  !docs/README.md  "], "docs/README.md", false),
        ];
        for (ps, s, want) in cases {
            assert_eq!(Ignore::new(ps).unwrap().matches(s), *want, "{ps:?} {s:?}");
        }
        assert_eq!(Ignore::new(&["!"]).unwrap_err(), IgnoreError::BareExclusion);
        assert!(matches!(
            Ignore::new(&["["]),
            Err(IgnoreError::BadPattern(_))
        ));
    }

    #[test]
    fn dockerignore_file_rules() {
        let f = "\u{feff}# comment\n  #not-a-comment\n/abs/path\n\n  spaced  \r\n!  /keep/me \nsub/../x\n";
        let ig = Ignore::parse(f.as_bytes()).unwrap();
        let pats: Vec<_> = ig
            .patterns
            .iter()
            .map(|p| (p.cleaned.as_str(), p.exclusion))
            .collect();
        assert_eq!(
            pats,
            [
                ("#not-a-comment", false),
                ("abs/path", false),
                ("spaced", false),
                ("keep/me", true),
                ("x", false)
            ]
        );
        assert!(ig.matches("abs/path/inner"));
        assert!(!ig.matches("keep/me"));
    }

    #[test]
    fn walk_into_excluded_dirs_only_when_needed() {
        let ig =
            Ignore::new(&["node_modules", "build", "!build/keep", "vendor", "!**/*.go"]).unwrap();
        assert!(ig.matches("build"));
        assert!(ig.may_reinclude("build"));
        assert!(!ig.matches("build/keep"));
        assert!(ig.matches("build/other"));
        // `!**/*.go` could re-include anything anywhere.
        assert!(ig.may_reinclude("node_modules"));
        let ig = Ignore::new(&["a", "!a/b/c", "!x/*/y"]).unwrap();
        assert!(ig.may_reinclude("a"));
        assert!(ig.may_reinclude("a/b"));
        assert!(!ig.may_reinclude("a/z"));
        assert!(ig.may_reinclude("x/q"));
        assert!(!ig.may_reinclude("y"));
        assert!(!ig.matches("a/b/c/d"));
        assert!(ig.matches("a/b/d"));
    }

    #[test]
    fn kept_files_are_never_ignored() {
        let mut ig = Ignore::new(&["*", "!src"]).unwrap();
        assert!(ig.matches("Dockerfile"));
        ig.keep("Dockerfile");
        ig.keep(".dockerignore");
        ig.keep("src/x"); // not matched: no pattern added
        assert!(!ig.matches("Dockerfile"));
        assert!(!ig.matches(".dockerignore"));
        assert!(ig.matches("other"));
        assert_eq!(ig.patterns.len(), 4);
    }
}
