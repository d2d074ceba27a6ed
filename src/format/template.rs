//! Go `text/template`, as Docker's `--format` flags use it, over JSON data.
//!
//! The data is a `serde_json::Value` standing in for Docker's Go structs: `.Field` looks a key
//! up in an object, and a missing key prints `<no value>` as it does for a Go map. Supported:
//! actions with pipelines and `|`, `{{-`/`-}}` trimming, comments, string/raw/number/char/bool
//! literals, `nil`, parenthesised pipelines and field chains on them, variables (`$`, `:=`,
//! `=`), `if`/`else if`/`else`, `range` (arrays, objects in sorted key order, integers;
//! `{{else}}`; `{{break}}`/`{{continue}}`), `with`/`else with`, and the functions listed in
//! [`super::funcs`]. `define`/`template`/`block` (named templates) are refused at parse time.
//! Errors carry Go's wording and positions (`template: :1:2: executing "" at <.Foo>: ...`).

use serde_json::Value;

use super::funcs::{self, FnError};

/// A template that failed to parse or to execute, worded like Go's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("template: :{line}: {msg}")]
    Parse { line: usize, msg: String },
    #[error("template: :{line}:{col}: executing \"\" at <{context}>: {msg}")]
    Exec {
        line: usize,
        col: usize,
        context: String,
        msg: String,
    },
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    src: String,
    nodes: Vec<Node>,
    missing_key_error: bool,
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Field(String),
    Dot,
    Var(String),
    Ident(String),
    Str(String),
    Number,
    Char(i64),
    Bool(bool),
    Nil,
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
    Other,
    /// A lexical error; parsing reports it when it gets this far, as Go's streaming lexer does.
    Error(String),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: usize,
    raw: String,
    space_before: bool,
}

impl Token {
    /// Go's `item.String()` used in "unexpected X" messages.
    fn describe(&self) -> String {
        match &self.tok {
            Tok::Ident(_) | Tok::Bool(_) | Tok::Nil | Tok::Dot => format!("<{}>", self.raw),
            _ if self.raw.chars().count() > 10 => {
                let short: String = self.raw.chars().take(10).collect();
                format!("{}...", funcs::go_quote(&short))
            }
            _ => funcs::go_quote(&self.raw),
        }
    }
}

#[derive(Debug)]
enum Item {
    Text(String),
    Action { tokens: Vec<Token>, end: usize },
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Splits `src` into text and action token lists, applying trim markers and dropping comments.
fn lex(src: &str) -> Vec<Item> {
    let b = src.as_bytes();
    let mut items = Vec::new();
    let mut i = 0;
    let mut trim_next = false;
    loop {
        let start = i;
        let open = src[i..].find("{{").map(|o| i + o);
        let text_end = open.unwrap_or(src.len());
        let mut text = &src[start..text_end];
        if trim_next {
            text = text.trim_start_matches([' ', '\t', '\r', '\n']);
        }
        let Some(open) = open else {
            if !text.is_empty() {
                items.push(Item::Text(text.to_string()));
            }
            return items;
        };
        let mut j = open + 2;
        if b.len() > j + 1 && b[j] == b'-' && is_space(b[j + 1]) {
            text = text.trim_end_matches([' ', '\t', '\r', '\n']);
            j += 1;
        }
        if !text.is_empty() {
            items.push(Item::Text(text.to_string()));
        }
        // Comment: {{/* ... */}} possibly with trim markers.
        let mut k = j;
        while k < b.len() && is_space(b[k]) && k > open + 2 {
            k += 1;
        }
        if src[k..].starts_with("/*") {
            let Some(close) = src[k + 2..].find("*/").map(|c| k + 2 + c + 2) else {
                items.push(error_action(open, "unclosed comment"));
                return items;
            };
            let rest = &src[close..];
            if let Some(stripped) = rest.strip_prefix("}}") {
                i = src.len() - stripped.len();
                trim_next = false;
                continue;
            }
            let ws = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
            if ws > 0 && rest[ws..].starts_with("-}}") {
                i = close + ws + 3;
                trim_next = true;
                continue;
            }
            items.push(error_action(open, "comment ends before closing delimiter"));
            return items;
        }
        let (tokens, end, trim_after, ok) = lex_action(src, j);
        items.push(Item::Action { tokens, end });
        if !ok {
            return items;
        }
        i = end;
        trim_next = trim_after;
    }
}

fn error_action(pos: usize, msg: &str) -> Item {
    Item::Action {
        tokens: vec![Token {
            tok: Tok::Error(msg.to_string()),
            pos,
            raw: String::new(),
            space_before: false,
        }],
        end: pos,
    }
}

/// Lexes one action starting after `{{` (and a left trim marker). Returns the tokens, the
/// offset after `}}`, whether a right trim marker was present, and false after a lex error.
fn lex_action(src: &str, mut i: usize) -> (Vec<Token>, usize, bool, bool) {
    let b = src.as_bytes();
    let mut toks: Vec<Token> = Vec::new();
    let mut depth = 0usize;
    let mut space = false;
    macro_rules! fail {
        ($pos:expr, $msg:expr) => {{
            toks.push(Token {
                tok: Tok::Error($msg),
                pos: $pos,
                raw: String::new(),
                space_before: space,
            });
            return (toks, src.len(), false, false);
        }};
    }
    loop {
        if i >= b.len() {
            fail!(i, "unclosed action".to_string());
        }
        let c = b[i];
        if is_space(c) {
            space = true;
            i += 1;
            continue;
        }
        let right_trim = space && src[i..].starts_with("-}}");
        if src[i..].starts_with("}}") || right_trim {
            if depth > 0 {
                fail!(i, "unclosed left paren".to_string());
            }
            let end = if right_trim { i + 3 } else { i + 2 };
            return (toks, end, right_trim, true);
        }
        let start = i;
        let ch = src[i..].chars().next().unwrap_or('\0');
        let tok = match ch {
            '|' => {
                i += 1;
                Tok::Pipe
            }
            '(' => {
                depth += 1;
                i += 1;
                Tok::LParen
            }
            ')' => {
                if depth == 0 {
                    fail!(i, format!("unexpected right paren {:?}", ")"));
                }
                depth -= 1;
                i += 1;
                Tok::RParen
            }
            ',' => {
                i += 1;
                Tok::Comma
            }
            '=' => {
                i += 1;
                Tok::Assign
            }
            ':' => {
                if b.get(i + 1) != Some(&b'=') {
                    fail!(i, "expected :=".to_string());
                }
                i += 2;
                Tok::Declare
            }
            '"' => {
                let mut j = i + 1;
                let mut value = String::new();
                loop {
                    let Some(c) = src[j..].chars().next() else {
                        fail!(start, "unterminated quoted string".to_string());
                    };
                    if c == '\n' {
                        fail!(start, "unterminated quoted string".to_string());
                    }
                    j += c.len_utf8();
                    match c {
                        '"' => break,
                        '\\' => match unescape(src, j) {
                            Some((s, next)) => {
                                value.push_str(&s);
                                j = next;
                            }
                            None => fail!(
                                start,
                                format!("invalid syntax: {}", &src[start..j.min(src.len())])
                            ),
                        },
                        c => value.push(c),
                    }
                }
                i = j;
                Tok::Str(value)
            }
            '`' => {
                let Some(close) = src[i + 1..].find('`') else {
                    fail!(start, "unterminated raw quoted string".to_string());
                };
                let value = src[i + 1..i + 1 + close].replace('\r', "");
                i += close + 2;
                Tok::Str(value)
            }
            '\'' => {
                let mut j = i + 1;
                let value = match src[j..].chars().next() {
                    Some('\\') => match unescape(src, j + 1) {
                        Some((s, next)) => {
                            j = next;
                            s.chars().next().map(|c| c as i64)
                        }
                        None => None,
                    },
                    Some('\'') | None => None,
                    Some(c) => {
                        j += c.len_utf8();
                        Some(c as i64)
                    }
                };
                match (value, b.get(j)) {
                    (Some(v), Some(b'\'')) => {
                        i = j + 1;
                        Tok::Char(v)
                    }
                    _ => fail!(start, "unterminated character constant".to_string()),
                }
            }
            '$' => {
                let mut j = i + 1;
                while let Some(c) = src[j..].chars().next().filter(|&c| is_alnum(c)) {
                    j += c.len_utf8();
                }
                i = j;
                Tok::Var(src[start..j].to_string())
            }
            '.' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let mut j = i + 1;
                while let Some(c) = src[j..].chars().next().filter(|&c| is_alnum(c)) {
                    j += c.len_utf8();
                }
                i = j;
                if j == start + 1 {
                    Tok::Dot
                } else {
                    Tok::Field(src[start + 1..j].to_string())
                }
            }
            '.' | '+' | '-' | '0'..='9' => {
                let mut j = i;
                if matches!(b[j], b'+' | b'-') {
                    j += 1;
                }
                while j < b.len()
                    && (b[j].is_ascii_alphanumeric()
                        || b[j] == b'.'
                        || b[j] == b'_'
                        || ((b[j] == b'+' || b[j] == b'-')
                            && matches!(b[j - 1], b'e' | b'E' | b'p' | b'P')))
                {
                    j += 1;
                }
                i = j;
                Tok::Number
            }
            c if is_alnum(c) => {
                let mut j = i;
                while let Some(c) = src[j..].chars().next().filter(|&c| is_alnum(c)) {
                    j += c.len_utf8();
                }
                i = j;
                match &src[start..j] {
                    "true" => Tok::Bool(true),
                    "false" => Tok::Bool(false),
                    "nil" => Tok::Nil,
                    word => Tok::Ident(word.to_string()),
                }
            }
            c => {
                i += c.len_utf8();
                Tok::Other
            }
        };
        toks.push(Token {
            tok,
            pos: start,
            raw: src[start..i].to_string(),
            space_before: space,
        });
        space = false;
    }
}

/// Decodes one Go escape sequence whose backslash ends right before `j`.
fn unescape(src: &str, j: usize) -> Option<(String, usize)> {
    let c = src[j..].chars().next()?;
    let simple = match c {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '\'' => Some('\''),
        _ => None,
    };
    if let Some(s) = simple {
        return Some((s.to_string(), j + 1));
    }
    let (digits, radix) = match c {
        'x' => (2, 16),
        'u' => (4, 16),
        'U' => (8, 16),
        '0'..='7' => (3, 8),
        _ => return None,
    };
    let start = if c.is_ascii_digit() { j } else { j + 1 };
    let text = src.get(start..start + digits)?;
    let v = u32::from_str_radix(text, radix).ok()?;
    let s = if c == 'x' || radix == 8 {
        // Byte escapes: only meaningful as ASCII in a UTF-8 string.
        char::from_u32(v).filter(|c| c.is_ascii())?.to_string()
    } else {
        char::from_u32(v)?.to_string()
    };
    Some((s, start + digits))
}

// ---------------------------------------------------------------------------------------------
// Parse tree

#[derive(Debug, Clone)]
enum Arg {
    Field {
        pos: usize,
        names: Vec<String>,
    },
    Var {
        pos: usize,
        name: String,
        names: Vec<String>,
    },
    Chain {
        pos: usize,
        node: Box<Arg>,
        names: Vec<String>,
    },
    Func {
        pos: usize,
        name: String,
    },
    Pipe {
        pos: usize,
        pipe: Box<Pipe>,
    },
    Dot {
        pos: usize,
    },
    Nil {
        pos: usize,
    },
    Lit {
        pos: usize,
        value: Value,
        raw: String,
    },
}

impl Arg {
    fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Var { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Func { pos, .. }
            | Arg::Pipe { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Lit { pos, .. } => *pos,
        }
    }

    /// Go's `Node.String()`, used as the `<...>` context of execution errors.
    fn describe(&self) -> String {
        let chain =
            |names: &[String]| -> String { names.iter().map(|n| format!(".{n}")).collect() };
        match self {
            Arg::Field { names, .. } => chain(names),
            Arg::Var { name, names, .. } => format!("{name}{}", chain(names)),
            Arg::Chain { node, names, .. } => format!("{}{}", node.describe(), chain(names)),
            Arg::Func { name, .. } => name.clone(),
            Arg::Pipe { pipe, .. } => format!("({})", pipe.describe()),
            Arg::Dot { .. } => ".".to_string(),
            Arg::Nil { .. } => "nil".to_string(),
            Arg::Lit { raw, .. } => raw.clone(),
        }
    }
}

#[derive(Debug, Clone)]
struct Cmd {
    pos: usize,
    args: Vec<Arg>,
}

impl Cmd {
    fn describe(&self) -> String {
        let parts: Vec<String> = self.args.iter().map(Arg::describe).collect();
        parts.join(" ")
    }
}

#[derive(Debug, Clone)]
struct Pipe {
    pos: usize,
    decl: Vec<String>,
    is_assign: bool,
    cmds: Vec<Cmd>,
}

impl Pipe {
    fn describe(&self) -> String {
        let cmds: Vec<String> = self.cmds.iter().map(Cmd::describe).collect();
        let cmds = cmds.join(" | ");
        if self.decl.is_empty() {
            cmds
        } else {
            let op = if self.is_assign { "=" } else { ":=" };
            format!("{} {op} {cmds}", self.decl.join(", "))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Control {
    If,
    With,
    Range,
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Action(Pipe),
    Control {
        kind: Control,
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Option<Vec<Node>>,
    },
    Break,
    Continue,
}

// ---------------------------------------------------------------------------------------------
// Parser

enum Terminator {
    Eof(usize),
    End,
    /// `{{else}}`, with the tokens after `else` (`if ...` / `with ...` or nothing).
    Else(Vec<Token>, usize),
}

struct Parser<'s> {
    src: &'s str,
    items: std::vec::IntoIter<Item>,
    vars: Vec<String>,
    range_depth: usize,
}

fn line_of(src: &str, pos: usize) -> usize {
    1 + src[..pos.min(src.len())].matches('\n').count()
}

struct Cursor<'t> {
    toks: &'t [Token],
    i: usize,
    end: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.toks.get(self.i)
    }
    fn next(&mut self) -> Option<&'t Token> {
        let t = self.toks.get(self.i);
        self.i += 1;
        t
    }
}

impl<'s> Parser<'s> {
    fn error(&self, pos: usize, msg: impl Into<String>) -> TemplateError {
        TemplateError::Parse {
            line: line_of(self.src, pos),
            msg: msg.into(),
        }
    }

    fn parse_list(&mut self) -> Result<(Vec<Node>, Terminator), TemplateError> {
        let mut nodes = Vec::new();
        while let Some(item) = self.items.next() {
            let (tokens, end) = match item {
                Item::Text(t) => {
                    nodes.push(Node::Text(t));
                    continue;
                }
                Item::Action { tokens, end } => (tokens, end),
            };
            let Some(first) = tokens.first() else {
                return Err(self.error(end, "missing value for command"));
            };
            if let Tok::Error(msg) = &first.tok {
                return Err(self.error(first.pos, msg.clone()));
            }
            let keyword = match &first.tok {
                Tok::Ident(w) => w.as_str(),
                _ => "",
            };
            let rest = &tokens[1..];
            match keyword {
                "end" => {
                    self.expect_empty(rest, "end")?;
                    return Ok((nodes, Terminator::End));
                }
                "else" => return Ok((nodes, Terminator::Else(rest.to_vec(), first.pos))),
                "if" => nodes.push(self.parse_control(Control::If, rest, first.pos, end)?),
                "with" => nodes.push(self.parse_control(Control::With, rest, first.pos, end)?),
                "range" => nodes.push(self.parse_control(Control::Range, rest, first.pos, end)?),
                "break" | "continue" => {
                    if self.range_depth == 0 {
                        return Err(self.error(
                            first.pos,
                            format!("{{{{{keyword}}}}} outside {{{{range}}}}"),
                        ));
                    }
                    self.expect_empty(rest, keyword)?;
                    nodes.push(if keyword == "break" {
                        Node::Break
                    } else {
                        Node::Continue
                    });
                }
                "define" | "template" | "block" => {
                    return Err(self.error(
                        first.pos,
                        format!("{{{{{keyword}}}}}: named templates are not supported"),
                    ))
                }
                _ => {
                    let pipe = self.parse_pipe(&tokens, "command", end)?;
                    nodes.push(Node::Action(pipe));
                }
            }
        }
        Ok((nodes, Terminator::Eof(self.src.len())))
    }

    fn expect_empty(&self, rest: &[Token], context: &str) -> Result<(), TemplateError> {
        match rest.first() {
            None => Ok(()),
            Some(Token {
                tok: Tok::Error(msg),
                pos,
                ..
            }) => Err(self.error(*pos, msg.clone())),
            Some(t) => Err(self.error(t.pos, format!("unexpected {} in {context}", t.describe()))),
        }
    }

    fn parse_control(
        &mut self,
        kind: Control,
        tokens: &[Token],
        pos: usize,
        end: usize,
    ) -> Result<Node, TemplateError> {
        let mark = self.vars.len();
        let context = match kind {
            Control::If => "if",
            Control::With => "with",
            Control::Range => "range",
        };
        let pipe = self.parse_pipe(tokens, context, end)?;
        let pipe = Pipe { pos, ..pipe };
        if kind == Control::Range {
            self.range_depth += 1;
        }
        let (body, term) = self.parse_list()?;
        if kind == Control::Range {
            self.range_depth -= 1;
        }
        let otherwise = match term {
            Terminator::Eof(p) => return Err(self.error(p, "unexpected EOF")),
            Terminator::End => None,
            Terminator::Else(rest, _) => {
                let chained = match (kind, rest.first().map(|t| &t.tok)) {
                    (Control::If, Some(Tok::Ident(w))) if w == "if" => Some(Control::If),
                    (Control::With, Some(Tok::Ident(w))) if w == "with" => Some(Control::With),
                    _ => None,
                };
                if let Some(k) = chained {
                    // {{else if x}} is {{else}}{{if x}}...{{end}} sharing the outer {{end}}.
                    let p = rest[0].pos;
                    Some(vec![self.parse_control(k, &rest[1..], p, end)?])
                } else {
                    let mut list = Vec::new();
                    if let Some(first) = rest.first() {
                        // {{else if}} in range/with: a nested control needing its own {{end}}.
                        let k = match &first.tok {
                            Tok::Ident(w) if w == "if" => Control::If,
                            Tok::Ident(w) if w == "with" => Control::With,
                            _ => {
                                return Err(self.error(
                                    first.pos,
                                    format!("unexpected {} in else", first.describe()),
                                ))
                            }
                        };
                        list.push(self.parse_control(k, &rest[1..], first.pos, end)?);
                    }
                    let (more, term) = self.parse_list()?;
                    list.extend(more);
                    match term {
                        Terminator::End => {}
                        Terminator::Eof(p) => return Err(self.error(p, "unexpected EOF")),
                        Terminator::Else(_, p) => {
                            return Err(self.error(p, "expected end; found {{else}}"))
                        }
                    }
                    Some(list)
                }
            }
        };
        self.vars.truncate(mark);
        Ok(Node::Control {
            kind,
            pipe,
            body,
            otherwise,
        })
    }

    /// Parses a whole action's tokens as one pipeline.
    fn parse_pipe(
        &mut self,
        tokens: &[Token],
        context: &str,
        end: usize,
    ) -> Result<Pipe, TemplateError> {
        let mut cur = Cursor {
            toks: tokens,
            i: 0,
            end,
        };
        let pipe = self.pipeline(&mut cur, context)?;
        if let Some(t) = cur.peek() {
            return Err(self.unexpected(t, "command"));
        }
        Ok(pipe)
    }

    fn unexpected(&self, t: &Token, context: &str) -> TemplateError {
        match &t.tok {
            Tok::Error(msg) => self.error(t.pos, msg.clone()),
            _ => self.error(t.pos, format!("unexpected {} in {context}", t.describe())),
        }
    }

    fn pipeline(&mut self, cur: &mut Cursor, context: &str) -> Result<Pipe, TemplateError> {
        let pos = cur.peek().map_or(cur.end, |t| t.pos);
        let mut decl = Vec::new();
        let mut is_assign = false;
        // Declarations: $x := ..., $x = ..., and in range $i, $v := ...
        if let Some(Token {
            tok: Tok::Var(v1), ..
        }) = cur.peek()
        {
            let next = cur.toks.get(cur.i + 1).map(|t| &t.tok);
            match next {
                Some(Tok::Declare | Tok::Assign) => {
                    is_assign = next == Some(&Tok::Assign);
                    decl.push(v1.clone());
                    cur.i += 2;
                }
                Some(Tok::Comma) => {
                    if context != "range" {
                        return Err(self.error(
                            cur.toks[cur.i + 1].pos,
                            format!("too many declarations in {context}"),
                        ));
                    }
                    let v2 = match cur.toks.get(cur.i + 2).map(|t| &t.tok) {
                        Some(Tok::Var(v2)) => v2.clone(),
                        _ => {
                            return Err(self.error(
                                cur.toks[cur.i + 1].pos,
                                "range can only initialize variables",
                            ))
                        }
                    };
                    match cur.toks.get(cur.i + 3).map(|t| &t.tok) {
                        Some(Tok::Declare) => {}
                        Some(Tok::Assign) => is_assign = true,
                        _ => {
                            return Err(self.error(
                                cur.toks[cur.i + 2].pos,
                                format!("too many declarations in {context}"),
                            ))
                        }
                    }
                    decl.push(v1.clone());
                    decl.push(v2);
                    cur.i += 4;
                }
                _ => {}
            }
        }
        if is_assign {
            for v in &decl {
                if !self.vars.contains(v) {
                    return Err(self.error(pos, format!("undefined variable {v:?}")));
                }
            }
        }
        let mut cmds = Vec::new();
        loop {
            let cmd = self.command(cur)?;
            cmds.push(cmd);
            match cur.peek().map(|t| &t.tok) {
                Some(Tok::Pipe) => {
                    cur.next();
                }
                _ => break,
            }
        }
        if cmds.iter().all(|c| c.args.is_empty()) {
            return Err(self.error(pos, format!("missing value for {context}")));
        }
        for (n, c) in cmds.iter().enumerate() {
            if c.args.is_empty() {
                return Err(self.error(c.pos, "missing value for command"));
            }
            if n > 0 {
                if let Arg::Lit { .. } | Arg::Dot { .. } | Arg::Nil { .. } = c.args[0] {
                    return Err(self.error(
                        c.pos,
                        format!("non executable command in pipeline stage {}", n + 1),
                    ));
                }
            }
        }
        if !is_assign {
            self.vars.extend(decl.iter().cloned());
        }
        Ok(Pipe {
            pos,
            decl,
            is_assign,
            cmds,
        })
    }

    fn command(&mut self, cur: &mut Cursor) -> Result<Cmd, TemplateError> {
        let pos = cur.peek().map_or(cur.end, |t| t.pos);
        let mut args: Vec<Arg> = Vec::new();
        while let Some(t) = cur.peek() {
            match t.tok {
                Tok::Pipe | Tok::RParen => break,
                _ => {}
            }
            if !args.is_empty() && !t.space_before {
                return Err(self.unexpected(t, "operand"));
            }
            args.push(self.operand(cur)?);
        }
        if let Some(Arg::Nil { pos }) = args.first() {
            return Err(self.error(*pos, "nil is not a command"));
        }
        Ok(Cmd { pos, args })
    }

    fn operand(&mut self, cur: &mut Cursor) -> Result<Arg, TemplateError> {
        let t = cur.next().expect("operand called with a token available");
        let pos = t.pos;
        let term = match &t.tok {
            Tok::Field(name) => Arg::Field {
                pos,
                names: vec![name.clone()],
            },
            Tok::Var(name) => {
                if !self.vars.contains(name) {
                    return Err(self.error(pos, format!("undefined variable {name:?}")));
                }
                Arg::Var {
                    pos,
                    name: name.clone(),
                    names: Vec::new(),
                }
            }
            Tok::Ident(name) => {
                if !funcs::FUNCTION_NAMES.contains(&name.as_str()) {
                    return Err(self.error(pos, format!("function {name:?} not defined")));
                }
                Arg::Func {
                    pos,
                    name: name.clone(),
                }
            }
            Tok::Dot => Arg::Dot { pos },
            Tok::Nil => Arg::Nil { pos },
            Tok::Bool(v) => Arg::Lit {
                pos,
                value: Value::Bool(*v),
                raw: t.raw.clone(),
            },
            Tok::Str(s) => Arg::Lit {
                pos,
                value: Value::String(s.clone()),
                raw: t.raw.clone(),
            },
            Tok::Char(c) => Arg::Lit {
                pos,
                value: Value::from(*c),
                raw: t.raw.clone(),
            },
            Tok::Number => Arg::Lit {
                pos,
                value: parse_number(&t.raw)
                    .ok_or_else(|| self.error(pos, format!("bad number syntax: {:?}", t.raw)))?,
                raw: t.raw.clone(),
            },
            Tok::LParen => {
                let pipe = self.pipeline(cur, "parenthesized pipeline")?;
                match cur.next() {
                    Some(Token {
                        tok: Tok::RParen, ..
                    }) => {}
                    Some(other) => return Err(self.unexpected(other, "parenthesized pipeline")),
                    None => return Err(self.error(pos, "unclosed left paren")),
                }
                Arg::Pipe {
                    pos,
                    pipe: Box::new(pipe),
                }
            }
            Tok::Error(msg) => return Err(self.error(pos, msg.clone())),
            _ => return Err(self.unexpected(t, "operand")),
        };
        // A field chain glued to the term: .A.B, $x.A, (pipeline).A
        let mut names = Vec::new();
        while let Some(Token {
            tok: Tok::Field(n),
            space_before: false,
            ..
        }) = cur.peek()
        {
            names.push(n.clone());
            cur.next();
        }
        if names.is_empty() {
            return Ok(term);
        }
        Ok(match term {
            Arg::Field { pos, names: mut n } => {
                n.extend(names);
                Arg::Field { pos, names: n }
            }
            Arg::Var {
                pos,
                name,
                names: mut n,
            } => {
                n.extend(names);
                Arg::Var {
                    pos,
                    name,
                    names: n,
                }
            }
            Arg::Pipe { .. } | Arg::Func { .. } => Arg::Chain {
                pos,
                node: Box::new(term),
                names,
            },
            other => {
                return Err(self.error(
                    pos,
                    format!("unexpected . after term {:?}", other.describe()),
                ))
            }
        })
    }
}

/// Go's number literals: decimal/hex/octal/binary integers (with `_`), floats.
fn parse_number(raw: &str) -> Option<Value> {
    let text = raw.replace('_', "");
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text.as_str()),
    };
    let lower = body.to_ascii_lowercase();
    let radix_int = |digits: &str, radix: u32| -> Option<Value> {
        let v = i64::from_str_radix(digits, radix).ok()?;
        Some(Value::from(if neg { -v } else { v }))
    };
    if let Some(h) = lower.strip_prefix("0x") {
        return radix_int(h, 16);
    }
    if let Some(o) = lower.strip_prefix("0o") {
        return radix_int(o, 8);
    }
    if let Some(bin) = lower.strip_prefix("0b") {
        return radix_int(bin, 2);
    }
    if body.contains(['.', 'e', 'E']) {
        let f: f64 = body.parse().ok()?;
        return serde_json::Number::from_f64(if neg { -f } else { f }).map(Value::Number);
    }
    if body.len() > 1 && body.starts_with('0') {
        return radix_int(&body[1..], 8);
    }
    if !body.bytes().all(|b| b.is_ascii_digit()) || body.is_empty() {
        return None;
    }
    match body.parse::<i64>() {
        Ok(v) => Some(Value::from(if neg { -v } else { v })),
        Err(_) if !neg => body.parse::<u64>().ok().map(Value::from),
        Err(_) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Execution

/// A value during execution: borrowed from the data, computed, or missing (Go's invalid
/// `reflect.Value`, printed `<no value>`).
#[derive(Debug, Clone)]
enum Val<'a> {
    Missing,
    Ref(&'a Value),
    Own(Value),
}

impl<'a> Val<'a> {
    fn get(&self) -> Option<&Value> {
        match self {
            Val::Missing => None,
            Val::Ref(v) => Some(v),
            Val::Own(v) => Some(v),
        }
    }

    fn into_value(self) -> Option<Value> {
        match self {
            Val::Missing => None,
            Val::Ref(v) => Some(v.clone()),
            Val::Own(v) => Some(v),
        }
    }

    /// A child value (array element or object member), borrowed when possible.
    fn child(&self, pick: impl Fn(&Value) -> Option<&Value>) -> Val<'a> {
        match self {
            Val::Missing => Val::Missing,
            Val::Ref(v) => pick(v).map_or(Val::Missing, Val::Ref),
            Val::Own(v) => pick(v).map_or(Val::Missing, |c| Val::Own(c.clone())),
        }
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
}

struct Exec<'a> {
    src: &'a str,
    vars: Vec<(String, Val<'a>)>,
    header: bool,
    missing_key_error: bool,
}

type R<T> = Result<T, TemplateError>;

impl<'a> Exec<'a> {
    fn error(&self, pos: usize, context: String, msg: impl Into<String>) -> TemplateError {
        let pos = pos.min(self.src.len());
        let before = &self.src[..pos];
        let col = match before.rfind('\n') {
            Some(nl) => pos - nl - 1,
            None => pos,
        };
        TemplateError::Exec {
            line: line_of(self.src, pos),
            col,
            context,
            msg: msg.into(),
        }
    }

    fn walk(&mut self, dot: &Val<'a>, nodes: &'a [Node], out: &mut String) -> R<Flow> {
        for node in nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Action(pipe) => {
                    let v = self.eval_pipe(dot, pipe, true)?;
                    if pipe.decl.is_empty() {
                        match v.get() {
                            None => out.push_str("<no value>"),
                            Some(v) => funcs::write_v(v, out),
                        }
                    }
                }
                Node::Control {
                    kind,
                    pipe,
                    body,
                    otherwise,
                } => {
                    let mark = self.vars.len();
                    let flow = match kind {
                        Control::Range => self.walk_range(dot, pipe, body, otherwise, out),
                        _ => self.walk_if_with(*kind, dot, pipe, body, otherwise, out),
                    };
                    self.vars.truncate(mark);
                    match flow? {
                        Flow::Normal => {}
                        other => return Ok(other),
                    }
                }
                Node::Break => return Ok(Flow::Break),
                Node::Continue => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk_if_with(
        &mut self,
        kind: Control,
        dot: &Val<'a>,
        pipe: &'a Pipe,
        body: &'a [Node],
        otherwise: &'a Option<Vec<Node>>,
        out: &mut String,
    ) -> R<Flow> {
        let v = self.eval_pipe(dot, pipe, true)?;
        if funcs::truth(v.get()) {
            let inner = if kind == Control::With {
                v
            } else {
                dot.clone()
            };
            self.walk(&inner, body, out)
        } else if let Some(list) = otherwise {
            self.walk(dot, list, out)
        } else {
            Ok(Flow::Normal)
        }
    }

    fn walk_range(
        &mut self,
        dot: &Val<'a>,
        pipe: &'a Pipe,
        body: &'a [Node],
        otherwise: &'a Option<Vec<Node>>,
        out: &mut String,
    ) -> R<Flow> {
        let v = self.eval_pipe(dot, pipe, false)?;
        // Go declares the range variables (holding the whole value) before iterating.
        if !pipe.is_assign {
            for name in &pipe.decl {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        let mark = self.vars.len();
        // What is iterated: a length, plus the sorted keys when ranging over an object.
        let mut keys: Option<Vec<String>> = None;
        let len: usize = match v.get() {
            None | Some(Value::Null) => 0,
            Some(Value::Array(a)) => a.len(),
            Some(Value::Object(m)) => {
                let mut k: Vec<String> = m.keys().cloned().collect();
                k.sort();
                let n = k.len();
                keys = Some(k);
                n
            }
            Some(Value::Number(n)) if n.as_i64().is_some() && !n.is_f64() => {
                if pipe.decl.len() > 1 {
                    return Err(self.error(
                        pipe.pos,
                        pipe.describe(),
                        format!("can't use {n} to iterate over more than one variable"),
                    ));
                }
                n.as_i64().unwrap_or(0).max(0) as usize
            }
            Some(other) => {
                return Err(self.error(
                    pipe.pos,
                    pipe.describe(),
                    format!("range can't iterate over {}", funcs::to_v(other)),
                ))
            }
        };
        if len == 0 {
            if let Some(list) = otherwise {
                return self.walk(dot, list, out);
            }
            return Ok(Flow::Normal);
        }
        let is_array = matches!(v.get(), Some(Value::Array(_)));
        for i in 0..len {
            let (index, elem) = match &keys {
                Some(keys) => {
                    let k = &keys[i];
                    (Val::Own(Value::String(k.clone())), v.child(|x| x.get(k)))
                }
                None if is_array => (Val::Own(Value::from(i)), v.child(|x| x.get(i))),
                None => (Val::Own(Value::from(i)), Val::Own(Value::from(i))),
            };
            match pipe.decl.len() {
                0 => {}
                1 => self.assign(pipe, 0, elem.clone(), mark),
                _ => {
                    self.assign(pipe, 0, index, mark);
                    self.assign(pipe, 1, elem.clone(), mark);
                }
            }
            let flow = self.walk(&elem, body, out)?;
            self.vars.truncate(mark);
            if let Flow::Break = flow {
                break;
            }
        }
        Ok(Flow::Normal)
    }

    /// Sets range variable `n` of `pipe` for this iteration.
    fn assign(&mut self, pipe: &Pipe, n: usize, v: Val<'a>, mark: usize) {
        if pipe.is_assign {
            self.set_var(&pipe.decl[n], v);
        } else {
            let slot = mark - pipe.decl.len() + n;
            self.vars[slot].1 = v;
        }
    }

    fn set_var(&mut self, name: &str, v: Val<'a>) {
        if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            slot.1 = v;
        }
    }

    fn lookup(&self, name: &str) -> Val<'a> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or(Val::Missing, |(_, v)| v.clone())
    }

    fn eval_pipe(&mut self, dot: &Val<'a>, pipe: &'a Pipe, declare: bool) -> R<Val<'a>> {
        let mut value: Option<Val<'a>> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_cmd(dot, cmd, value)?);
        }
        let value = value.unwrap_or(Val::Missing);
        if declare {
            for name in &pipe.decl {
                if pipe.is_assign {
                    self.set_var(name, value.clone());
                } else {
                    self.vars.push((name.clone(), value.clone()));
                }
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, cmd: &Cmd, has_final: bool) -> R<()> {
        if cmd.args.len() > 1 || has_final {
            let first = &cmd.args[0];
            return Err(self.error(
                first.pos(),
                first.describe(),
                format!("can't give argument to non-function {}", first.describe()),
            ));
        }
        Ok(())
    }

    fn eval_cmd(&mut self, dot: &Val<'a>, cmd: &'a Cmd, last: Option<Val<'a>>) -> R<Val<'a>> {
        let first = &cmd.args[0];
        let has_args = cmd.args.len() > 1 || last.is_some();
        match first {
            Arg::Func { name, .. } => self.call(dot, name, cmd, last),
            Arg::Field { names, .. } | Arg::Var { names, .. } | Arg::Chain { names, .. }
                if has_args && !names.is_empty() =>
            {
                // Docker's one-argument lookup methods (`{{.Label "k"}}` in
                // `ps`): a row exposes them as an object under the method's
                // name, and the call indexes it ("" when the key is absent).
                if cmd.args.len() == 2 && last.is_none() {
                    if let Ok(v) = self.eval_arg(dot, first) {
                        if let Some(Value::Object(map)) = v.get() {
                            let key = self.eval_arg(dot, &cmd.args[1])?;
                            if let Some(Value::String(k)) = key.get() {
                                let found = map.get(k.as_str()).cloned();
                                return Ok(Val::Own(
                                    found.unwrap_or_else(|| Value::String(String::new())),
                                ));
                            }
                        }
                    }
                }
                let name = names.last().map_or("", String::as_str);
                Err(self.error(
                    first.pos(),
                    first.describe(),
                    format!("{name} is not a method but has arguments"),
                ))
            }
            _ => {
                self.not_a_function(cmd, last.is_some())?;
                self.eval_arg(dot, first)
            }
        }
    }

    fn eval_arg(&mut self, dot: &Val<'a>, arg: &'a Arg) -> R<Val<'a>> {
        match arg {
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Ok(Val::Own(Value::Null)),
            Arg::Lit { value, .. } => Ok(Val::Ref(value)),
            Arg::Field { names, .. } => self.fields(dot.clone(), names, arg),
            Arg::Var { name, names, .. } => {
                let v = self.lookup(name);
                self.fields(v, names, arg)
            }
            Arg::Chain { node, names, .. } => {
                let v = self.eval_arg(dot, node)?;
                self.fields(v, names, arg)
            }
            Arg::Pipe { pipe, .. } => self.eval_pipe(dot, pipe, true),
            Arg::Func { name, .. } => {
                let cmd = Cmd {
                    pos: arg.pos(),
                    args: vec![arg.clone()],
                };
                self.call_with(dot, name, &cmd, &[], None)
            }
        }
    }

    fn fields(&self, mut v: Val<'a>, names: &[String], node: &Arg) -> R<Val<'a>> {
        for name in names {
            v = match v.get() {
                None => {
                    if self.missing_key_error {
                        return Err(self.error(
                            node.pos(),
                            node.describe(),
                            format!("nil data; no entry for key {name:?}"),
                        ));
                    }
                    Val::Missing
                }
                Some(Value::Object(m)) => {
                    if !m.contains_key(name) && self.missing_key_error {
                        return Err(self.error(
                            node.pos(),
                            node.describe(),
                            format!("map has no entry for key {name:?}"),
                        ));
                    }
                    v.child(|x| x.get(name))
                }
                Some(Value::Null) => {
                    return Err(self.error(
                        node.pos(),
                        node.describe(),
                        format!("nil pointer evaluating interface {{}}.{name}"),
                    ))
                }
                Some(other) => {
                    return Err(self.error(
                        node.pos(),
                        node.describe(),
                        format!(
                            "can't evaluate field {name} in type {}",
                            funcs::go_type(other)
                        ),
                    ))
                }
            };
        }
        Ok(v)
    }

    fn call(
        &mut self,
        dot: &Val<'a>,
        name: &str,
        cmd: &'a Cmd,
        last: Option<Val<'a>>,
    ) -> R<Val<'a>> {
        self.call_with(dot, name, cmd, &cmd.args[1..], last)
    }

    fn call_with(
        &mut self,
        dot: &Val<'a>,
        name: &str,
        cmd: &Cmd,
        arg_nodes: &'a [Arg],
        last: Option<Val<'a>>,
    ) -> R<Val<'a>> {
        let n_args = arg_nodes.len() + usize::from(last.is_some());
        if name == "and" || name == "or" {
            if n_args == 0 {
                return Err(self.error(
                    cmd.pos,
                    name.to_string(),
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            // Short-circuit like Go 1.18+: the first deciding argument is the result.
            let mut result = Val::Missing;
            for node in arg_nodes {
                result = self.eval_arg(dot, node)?;
                if funcs::truth(result.get()) == (name == "or") {
                    return Ok(result);
                }
            }
            if let Some(v) = last {
                result = v;
            }
            return Ok(result);
        }
        let mut args: Vec<Option<Value>> = Vec::with_capacity(n_args);
        for node in arg_nodes {
            args.push(self.eval_arg(dot, node)?.into_value());
        }
        if let Some(v) = last {
            args.push(v.into_value());
        }
        match funcs::call(name, &args, self.header) {
            Ok(v) => Ok(Val::Own(v)),
            Err(FnError::Arity(msg)) => Err(self.error(cmd.pos, name.to_string(), msg)),
            Err(FnError::Arg(i, msg)) => match arg_nodes.get(i) {
                Some(node) => Err(self.error(node.pos(), node.describe(), msg)),
                None => Err(self.error(cmd.pos, cmd.describe(), msg)),
            },
            Err(FnError::Call(msg)) => Err(self.error(
                cmd.pos,
                cmd.describe(),
                format!("error calling {name}: {msg}"),
            )),
        }
    }
}

impl Template {
    /// Parses Go template text.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut parser = Parser {
            src: text,
            items: lex(text).into_iter(),
            vars: vec!["$".to_string()],
            range_depth: 0,
        };
        let (nodes, term) = parser.parse_list()?;
        match term {
            Terminator::Eof(_) => {}
            Terminator::End => {
                return Err(TemplateError::Parse {
                    line: line_of(text, text.len()),
                    msg: "unexpected {{end}}".into(),
                })
            }
            Terminator::Else(_, pos) => {
                return Err(TemplateError::Parse {
                    line: line_of(text, pos),
                    msg: "unexpected {{else}}".into(),
                })
            }
        }
        Ok(Template {
            src: text.to_string(),
            nodes,
            missing_key_error: false,
        })
    }

    /// Go's `Option("missingkey=error")`: a missing object key is an error instead of
    /// `<no value>` (Docker's `inspect` uses this when it falls back to raw JSON).
    #[cfg(test)]
    pub fn missing_key_error(mut self, on: bool) -> Template {
        self.missing_key_error = on;
        self
    }

    /// Executes the template with `data` as `.` and `$`.
    #[cfg(test)]
    pub fn execute(&self, data: &Value) -> Result<String, TemplateError> {
        let mut out = String::new();
        self.execute_into(data, &mut out)?;
        Ok(out)
    }

    /// Executes into `out`; on error, what was produced before the error stays in `out`, as Go
    /// leaves it in its writer.
    pub fn execute_into(&self, data: &Value, out: &mut String) -> Result<(), TemplateError> {
        self.run(data, out, false)
    }

    /// Executes with Docker's header functions (`json`, `split`, `join`, `title`, `lower`,
    /// `upper`, `truncate` return their first argument unchanged), ignoring errors like Docker
    /// does when it prints a table header: the output is whatever was produced.
    pub fn execute_header(&self, data: &Value) -> String {
        let mut out = String::new();
        let _ = self.run(data, &mut out, true);
        out
    }

    fn run(&self, data: &Value, out: &mut String, header: bool) -> Result<(), TemplateError> {
        let mut exec = Exec {
            src: &self.src,
            vars: vec![("$".to_string(), Val::Ref(data))],
            header,
            missing_key_error: self.missing_key_error,
        };
        exec.walk(&Val::Ref(data), &self.nodes, out).map(|_| ())
    }

    /// Top-level field names the template reads from `.` (`{{.ID}}`, `{{json .Config}}` give
    /// `ID` and `Config`), in order of first use, for building a table header.
    pub fn fields(&self) -> Vec<String> {
        let mut names = Vec::new();
        collect_nodes(&self.nodes, &mut names);
        names
    }
}

fn collect_nodes(nodes: &[Node], names: &mut Vec<String>) {
    for node in nodes {
        match node {
            Node::Action(pipe) => collect_pipe(pipe, names),
            Node::Control {
                pipe,
                body,
                otherwise,
                ..
            } => {
                collect_pipe(pipe, names);
                collect_nodes(body, names);
                if let Some(o) = otherwise {
                    collect_nodes(o, names);
                }
            }
            Node::Text(_) | Node::Break | Node::Continue => {}
        }
    }
}

fn collect_pipe(pipe: &Pipe, names: &mut Vec<String>) {
    for cmd in &pipe.cmds {
        for arg in &cmd.args {
            collect_arg(arg, names);
        }
    }
}

fn collect_arg(arg: &Arg, names: &mut Vec<String>) {
    match arg {
        Arg::Field { names: n, .. } => {
            if let Some(first) = n.first() {
                if !names.contains(first) {
                    names.push(first.clone());
                }
            }
        }
        Arg::Pipe { pipe, .. } => collect_pipe(pipe, names),
        Arg::Chain { node, .. } => collect_arg(node, names),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(tpl: &str, data: &Value) -> String {
        Template::parse(tpl)
            .unwrap_or_else(|e| panic!("parse {tpl:?}: {e}"))
            .execute(data)
            .unwrap_or_else(|e| panic!("execute {tpl:?}: {e}"))
    }

    fn exec_err(tpl: &str, data: &Value) -> String {
        Template::parse(tpl)
            .unwrap_or_else(|e| panic!("parse {tpl:?}: {e}"))
            .execute(data)
            .expect_err("execution should fail")
            .to_string()
    }

    fn parse_err(tpl: &str) -> String {
        Template::parse(tpl)
            .expect_err("parse should fail")
            .to_string()
    }

    fn container() -> Value {
        json!({
            "ID": "0123456789ab",
            "Names": "web",
            "Args": ["-g", "daemon off;"],
            "Config": {
                "Image": "nginx:latest",
                "Labels": {"a.b": "c", "com.example": "<x&y>"},
                "Env": ["A=1", "B=2"]
            },
            "State": {"Status": "running", "ExitCode": 0, "Running": true, "Pid": 42},
            "Mounts": [
                {"Source": "/src1", "Destination": "/dst1"},
                {"Source": "/src2", "Destination": "/dst2"}
            ],
            "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]},
            "Empty": [],
            "Nothing": null,
            "Ratio": 0.5,
            "Size": 1234
        })
    }

    #[test]
    fn docker_common_formats() {
        let d = container();
        assert_eq!(run("{{.ID}}\t{{.Names}}", &d), "0123456789ab\tweb");
        assert_eq!(
            run("{{json .Config}}", &d),
            r#"{"Image":"nginx:latest","Labels":{"a.b":"c","com.example":"<x&y>"},"Env":["A=1","B=2"]}"#
        );
        assert_eq!(
            run("{{range .Mounts}}{{.Source}} {{end}}", &d),
            "/src1 /src2 "
        );
        assert_eq!(run(r#"{{index .Config.Labels "a.b"}}"#, &d), "c");
        assert_eq!(run(r#"{{join .Args " "}}"#, &d), "-g daemon off;");
        assert_eq!(
            run(r#"{{if eq .State.Status "running"}}up{{end}}"#, &d),
            "up"
        );
        assert_eq!(run("{{.State.Pid}}", &d), "42");
        assert_eq!(
            run(
                "{{range $p, $conf := .Ports}}{{$p}} -> {{(index $conf 0).HostPort}}{{end}}",
                &d
            ),
            "80/tcp -> 8080"
        );
    }

    #[test]
    fn dot_root_and_nested_fields() {
        let d = json!({"A": {"B": {"C": "deep"}}, "S": "x"});
        assert_eq!(run("{{.A.B.C}}", &d), "deep");
        assert_eq!(run("{{with .A}}{{.B.C}}{{$.S}}{{end}}", &d), "deepx");
        assert_eq!(run("{{.}}", &json!("plain")), "plain");
        assert_eq!(
            run("{{.}}", &json!({"b": 2, "a": [1, "x"]})),
            "map[a:[1 x] b:2]"
        );
    }

    #[test]
    fn value_printing() {
        let d = container();
        assert_eq!(run("{{.Args}}", &d), "[-g daemon off;]");
        assert_eq!(run("{{.Nothing}}", &d), "<nil>");
        assert_eq!(run("{{.Missing}}", &d), "<no value>");
        assert_eq!(run("{{.Missing.Deeper}}", &d), "<no value>");
        assert_eq!(
            run("{{.State.Running}} {{.Ratio}} {{.Size}}", &d),
            "true 0.5 1234"
        );
        assert_eq!(run("{{.Empty}}", &d), "[]");
    }

    #[test]
    fn literals() {
        let d = json!({});
        assert_eq!(run(r#"{{"quoted\t\"x\""}}"#, &d), "quoted\t\"x\"");
        assert_eq!(run("{{`raw\\n`}}", &d), "raw\\n");
        assert_eq!(
            run("{{42}} {{-7}} {{1.5}} {{0x1F}} {{1_000}} {{'a'}}", &d),
            "42 -7 1.5 31 1000 97"
        );
        assert_eq!(run("{{true}} {{false}}", &d), "true false");
        assert_eq!(run("{{1e3}}", &d), "1000");
    }

    #[test]
    fn trim_markers_and_comments() {
        let d = json!({"A": "a"});
        assert_eq!(run("x  {{- .A -}}  \n y", &d), "xay");
        assert_eq!(run("x {{.A -}}\n\t y", &d), "x ay");
        assert_eq!(run("x {{/* a comment */}}y", &d), "x y");
        assert_eq!(run("x {{- /* c */ -}} y", &d), "xy");
        assert_eq!(run("{{-3}}", &d), "-3");
    }

    #[test]
    fn variables() {
        let d = json!({"A": "a", "L": ["x", "y"]});
        assert_eq!(run("{{$x := .A}}{{$x}}{{$x}}", &d), "aa");
        assert_eq!(run("{{$x := 1}}{{$x = 2}}{{$x}}", &d), "2");
        assert_eq!(
            run("{{range $i, $v := .L}}{{$i}}={{$v}},{{end}}", &d),
            "0=x,1=y,"
        );
        assert_eq!(run("{{range $v := .L}}{{$v}}{{end}}", &d), "xy");
        assert_eq!(run("{{range .L}}{{$.A}}{{.}}{{end}}", &d), "axay");
        // Variables declared in a block end with it.
        assert!(
            parse_err("{{if true}}{{$y := 1}}{{end}}{{$y}}").contains("undefined variable \"$y\"")
        );
    }

    #[test]
    fn pipelines_and_parens() {
        let d = json!({"Name": "Web", "N": 3});
        assert_eq!(run("{{.Name | lower}}", &d), "web");
        assert_eq!(run("{{.Name | lower | upper}}", &d), "WEB");
        assert_eq!(
            run(r#"{{.Name | printf "%s-%d" "x"}}"#, &d),
            "x-%!d(string=Web)"
        );
        assert_eq!(run(r#"{{printf "%s-%d" .Name .N}}"#, &d), "Web-3");
        assert_eq!(run("{{(lower .Name) | len}}", &d), "3");
        assert_eq!(run(r#"{{(split "a:b" ":") | len}}"#, &d), "2");
    }

    #[test]
    fn if_else_chains() {
        let t = Template::parse(
            r#"{{if eq .S "a"}}A{{else if eq .S "b"}}B{{else if .Flag}}F{{else}}Z{{end}}"#,
        )
        .unwrap();
        assert_eq!(t.execute(&json!({"S": "a"})).unwrap(), "A");
        assert_eq!(t.execute(&json!({"S": "b"})).unwrap(), "B");
        assert_eq!(t.execute(&json!({"S": "c", "Flag": true})).unwrap(), "F");
        assert_eq!(t.execute(&json!({"S": "c"})).unwrap(), "Z");
    }

    #[test]
    fn truthiness() {
        let d = json!({"E": "", "Z": 0, "N": null, "A": [], "M": {}, "S": "x", "F": 0.0});
        for field in ["E", "Z", "N", "A", "M", "F", "Missing"] {
            assert_eq!(
                run(&format!("{{{{if .{field}}}}}t{{{{else}}}}f{{{{end}}}}"), &d),
                "f",
                "{field}"
            );
        }
        assert_eq!(run("{{if .S}}t{{end}}", &d), "t");
        assert_eq!(run("{{if not .E}}empty{{end}}", &d), "empty");
        assert_eq!(run("{{if and .S .E}}t{{else}}f{{end}}", &d), "f");
        assert_eq!(run("{{or .E .S}}", &d), "x");
        assert_eq!(run("{{and .S .E}}|{{and .S 5}}", &d), "|5");
    }

    #[test]
    fn range_objects_sorted_and_else() {
        let d = json!({"M": {"b": 2, "a": 1, "c": 3}, "E": [], "N": null});
        assert_eq!(
            run("{{range $k, $v := .M}}{{$k}}{{$v}} {{end}}", &d),
            "a1 b2 c3 "
        );
        assert_eq!(run("{{range .M}}{{.}}{{end}}", &d), "123");
        assert_eq!(run("{{range .E}}x{{else}}none{{end}}", &d), "none");
        assert_eq!(run("{{range .N}}x{{else}}none{{end}}", &d), "none");
        assert_eq!(run("{{range 3}}{{.}}{{end}}", &d), "012");
    }

    #[test]
    fn range_break_continue() {
        let d = json!({"L": [1, 2, 3, 4]});
        assert_eq!(
            run("{{range .L}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", &d),
            "13"
        );
        assert!(parse_err("{{break}}").contains("{{break}} outside {{range}}"));
    }

    #[test]
    fn with_else() {
        let d = json!({"A": {"B": "b"}, "E": ""});
        assert_eq!(run("{{with .A}}{{.B}}{{end}}", &d), "b");
        assert_eq!(run("{{with .E}}x{{else}}empty{{end}}", &d), "empty");
        assert_eq!(run("{{with .E}}x{{else with .A}}{{.B}}{{end}}", &d), "b");
        assert_eq!(run("{{with $x := .A}}{{$x.B}}{{end}}", &d), "b");
    }

    #[test]
    fn docker_string_functions() {
        let d = json!({"S": "Hello World", "Img": "nginx:1.25", "E": ""});
        assert_eq!(
            run("{{lower .S}} {{upper .S}}", &d),
            "hello world HELLO WORLD"
        );
        assert_eq!(
            run(r#"{{title "hello wide world"}}"#, &d),
            "Hello Wide World"
        );
        assert_eq!(run(r#"{{split .Img ":"}}"#, &d), "[nginx 1.25]");
        assert_eq!(run(r#"{{index (split .Img ":") 1}}"#, &d), "1.25");
        assert_eq!(
            run("{{truncate .S 5}}|{{truncate .S 50}}", &d),
            "Hello|Hello World"
        );
        assert_eq!(
            run("[{{pad .S 1 2}}][{{pad .E 1 2}}]", &d),
            "[ Hello World  ][]"
        );
        assert_eq!(
            run("{{json .S}} {{json .Missing}}", &d),
            r#""Hello World" null"#
        );
    }

    #[test]
    fn json_function_matches_docker_no_html_escaping() {
        let d = container();
        assert_eq!(
            run("{{json .Config.Labels}}", &d),
            r#"{"a.b":"c","com.example":"<x&y>"}"#
        );
        assert_eq!(run("{{json .State.ExitCode}}", &d), "0");
    }

    #[test]
    fn go_builtins() {
        let d = json!({"L": ["a", "b", "c"], "S": "hello", "M": {"k": "v"}, "N": 5});
        assert_eq!(run("{{len .L}} {{len .S}} {{len .M}}", &d), "3 5 1");
        assert_eq!(
            run("{{index .L 1}} {{index .M \"k\"}} {{index .S 0}}", &d),
            "b v 104"
        );
        assert_eq!(run("{{index .M \"nope\"}}|", &d), "|");
        assert_eq!(
            run("{{slice .L 1}} {{slice .L 1 2}} {{slice .S 1 3}}", &d),
            "[b c] [b] el"
        );
        assert_eq!(run("{{print \"a\" 1 2 \"b\"}}", &d), "a1 2b");
        assert_eq!(run("{{println \"a\" 1}}", &d), "a 1\n");
        assert_eq!(run("{{html \"<a & b>\"}}", &d), "&lt;a &amp; b&gt;");
        assert_eq!(run("{{urlquery \"a b/c\"}}", &d), "a+b%2Fc");
        assert_eq!(
            run(
                "{{printf \"%-5s|%5d|%q|%t|%x|%v\" .S .N .S true .N .L}}",
                &d
            ),
            "hello|    5|\"hello\"|true|5|[a b c]"
        );
    }

    #[test]
    fn comparisons() {
        let d = json!({"N": 5, "F": 2.5, "S": "b"});
        assert_eq!(
            run("{{eq .N 5}} {{eq .N 1 2 5}} {{ne .N 5}}", &d),
            "true true false"
        );
        assert_eq!(
            run("{{lt .N 6}} {{le .N 5}} {{gt .N 5}} {{ge .N 5}}", &d),
            "true true false true"
        );
        assert_eq!(
            run("{{lt .S \"c\"}} {{gt .F 2}} {{eq .Missing nil}}", &d),
            "true true true"
        );
        assert!(exec_err("{{eq .S 1}}", &d)
            .ends_with("error calling eq: incompatible types for comparison"));
        assert!(exec_err("{{lt true false}}", &d)
            .ends_with("error calling lt: invalid type for comparison"));
    }

    #[test]
    fn execution_errors_name_position() {
        let d = json!({"Foo": "str", "Nil": null, "L": [1]});
        assert_eq!(
            exec_err("{{.Foo.Bar}}", &d),
            "template: :1:2: executing \"\" at <.Foo.Bar>: can't evaluate field Bar in type string"
        );
        assert_eq!(
            exec_err("x\n  {{.Nil.X}}", &d),
            "template: :2:4: executing \"\" at <.Nil.X>: nil pointer evaluating interface {}.X"
        );
        assert_eq!(
            exec_err("{{index .L 5}}", &d),
            "template: :1:2: executing \"\" at <index .L 5>: error calling index: index out of range: 5"
        );
        assert_eq!(
            exec_err("{{join .Foo}}", &d),
            "template: :1:2: executing \"\" at <join>: wrong number of args for join: want 2 got 1"
        );
        assert_eq!(
            exec_err("{{lower 3}}", &d),
            "template: :1:8: executing \"\" at <3>: wrong type for value; expected string; got int"
        );
        assert_eq!(
            exec_err("{{range .Foo}}{{end}}", &d),
            "template: :1:2: executing \"\" at <.Foo>: range can't iterate over str"
        );
        assert!(exec_err("{{.Foo 1}}", &d).ends_with("Foo is not a method but has arguments"));
        let labels = serde_json::json!({"Label": {"a.b": "x"}});
        let t = Template::parse(r#"{{.Label "a.b"}}|{{.Label "nope"}}"#).unwrap();
        assert_eq!(t.execute(&labels).unwrap(), "x|");
        assert!(exec_err("{{\"x\" | .Foo}}", &d).ends_with("Foo is not a method but has arguments"));
    }

    #[test]
    fn missing_key_error_option() {
        let t = Template::parse("{{.Nope}}")
            .unwrap()
            .missing_key_error(true);
        assert_eq!(
            t.execute(&json!({})).unwrap_err().to_string(),
            "template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\""
        );
    }

    #[test]
    fn partial_output_kept_on_error() {
        let t = Template::parse("ab{{.X.Y}}cd").unwrap();
        let mut out = String::new();
        assert!(t.execute_into(&json!({"X": 1}), &mut out).is_err());
        assert_eq!(out, "ab");
    }

    #[test]
    fn parse_errors_name_line() {
        assert_eq!(
            parse_err("{{.ID}"),
            "template: :1: unexpected \"}\" in operand"
        );
        assert_eq!(parse_err("{{.ID"), "template: :1: unclosed action");
        assert_eq!(parse_err("a\n{{if .X}}"), "template: :2: unexpected EOF");
        assert_eq!(parse_err("{{end}}"), "template: :1: unexpected {{end}}");
        assert_eq!(parse_err("{{else}}"), "template: :1: unexpected {{else}}");
        assert_eq!(
            parse_err("{{nope .X}}"),
            "template: :1: function \"nope\" not defined"
        );
        assert_eq!(
            parse_err("{{$x}}"),
            "template: :1: undefined variable \"$x\""
        );
        assert_eq!(parse_err("{{}}"), "template: :1: missing value for command");
        assert_eq!(
            parse_err("{{if}}{{end}}"),
            "template: :1: missing value for if"
        );
        assert_eq!(
            parse_err("{{\"abc}}"),
            "template: :1: unterminated quoted string"
        );
        assert_eq!(parse_err("{{(.X}}"), "template: :1: unclosed left paren");
        assert_eq!(
            parse_err("{{.X | \"s\"}}"),
            "template: :1: non executable command in pipeline stage 2"
        );
        assert_eq!(parse_err("{{/* open"), "template: :1: unclosed comment");
        assert_eq!(
            parse_err("{{template \"x\"}}"),
            "template: :1: {{template}}: named templates are not supported"
        );
    }

    #[test]
    fn header_mode_keeps_header_text() {
        let t = Template::parse(
            "{{.ID}}\t{{json .Config}}\t{{lower .Name}}\t{{truncate .Name 2}}\t{{pad .ID 1 1}}",
        )
        .unwrap();
        let header = json!({"ID": "ID", "Config": "CONFIG", "Name": "NAME"});
        assert_eq!(t.execute_header(&header), "ID\tCONFIG\tNAME\tNAME\t ID ");
        assert_eq!(t.fields(), vec!["ID", "Config", "Name"]);
    }

    #[test]
    fn newline_in_action_and_multiline_positions() {
        let d = json!({"A": "a"});
        assert_eq!(run("{{.A\n}}", &d), "a");
        assert_eq!(run("line1\n{{.A}}\n", &d), "line1\na\n");
    }

    /// Random sequences of template fragments must parse or fail cleanly, never panic.
    #[test]
    fn fuzzed_fragments_never_panic() {
        const FRAGMENTS: &[&str] = &[
            "{{",
            "}}",
            "{{-",
            " -}}",
            ".",
            ".A",
            ".B.C",
            "$",
            "$x",
            " := ",
            " = ",
            "|",
            "(",
            ")",
            "\"",
            "`",
            "'",
            "'a'",
            "1",
            "-2",
            "0x",
            "1e3",
            ".5",
            "if ",
            "else",
            "end",
            "range ",
            "with ",
            "break",
            "continue",
            "/*",
            "*/",
            " ",
            "\n",
            "é",
            "日",
            "printf ",
            "\"%d\"",
            "index ",
            "slice ",
            "len ",
            "eq ",
            "lt ",
            "and ",
            "or ",
            "not ",
            "json ",
            "split ",
            "join ",
            "pad ",
            "truncate ",
            "nil",
            "true",
            ",",
            "\\",
            "\\x",
            "x",
        ];
        let data = json!({"A": {"B": {"C": [1, "two", null]}}, "L": [1, 2], "S": "s"});
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let n = (state % 12) as usize;
            for _ in 0..n {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(FRAGMENTS[(state % FRAGMENTS.len() as u64) as usize]);
            }
            if let Ok(t) = Template::parse(&text) {
                let _ = t.execute(&data);
                let _ = t.execute_header(&data);
            }
        }
    }
}
