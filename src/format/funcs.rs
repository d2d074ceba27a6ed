//! The functions a `--format` template can call, and Go's `fmt` printing of values.
//!
//! Values are JSON values standing in for the Go values Docker's templates see: a string, an
//! integer (`int`), a float (`float64`), a bool, nil, a slice (`[]interface {}`) or a map
//! (`map[string]interface {}`). Printing follows `fmt`'s `%v`: `[a b c]`, `map[k:v]` with sorted
//! keys, `<nil>`. The function set is Go's `text/template` builtins plus the Docker CLI's
//! (`json`, `split`, `join`, `title`, `lower`, `upper`, `pad`, `truncate`), with Docker's
//! "header" variants used to print a table's header row.

use serde_json::{Number, Value};

use super::gofmt::{format_e, format_f, format_g};
use super::json::to_json_compact_unescaped;

/// Names the template parser accepts as functions.
pub(crate) const FUNCTION_NAMES: &[&str] = &[
    "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "html", "urlquery",
    "eq", "ne", "lt", "le", "gt", "ge", "json", "split", "join", "title", "lower", "upper", "pad",
    "truncate",
];

/// Why a function call failed; the executor turns it into Go's wording and position.
#[derive(Debug)]
pub(crate) enum FnError {
    /// `wrong number of args for NAME: want N got M`.
    Arity(String),
    /// A bad argument (index into the argument list): Go reports it at that argument.
    Arg(usize, String),
    /// `error calling NAME: ...`.
    Call(String),
}

/// Go's type name for a value, as used in error messages.
pub(crate) fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Go's truth: false, 0, nil, and empty strings, slices and maps are false.
pub(crate) fn truth(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

fn number_v(n: &Number, out: &mut String) {
    if let Some(i) = n.as_i64() {
        out.push_str(&i.to_string());
    } else if let Some(u) = n.as_u64() {
        out.push_str(&u.to_string());
    } else {
        out.push_str(&format_g(n.as_f64().unwrap_or(0.0), None));
    }
}

/// `fmt`'s `%v` of a value.
pub(crate) fn write_v(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => number_v(n, out),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("map[");
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v(&map[k], out);
            }
            out.push(']');
        }
    }
}

pub(crate) fn to_v(v: &Value) -> String {
    let mut s = String::new();
    write_v(v, &mut s);
    s
}

/// `fmt.Sprint`: operands are separated by a space when neither side is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !a.is_string() && !args[i - 1].is_string() {
            out.push(' ');
        }
        write_v(a, &mut out);
    }
    out
}

/// `fmt.Sprintln`: always space-separated, newline-terminated.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_v(a, &mut out);
    }
    out.push('\n');
    out
}

/// `strconv.Quote`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                if (c as u32) <= 0xffff {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

enum Num {
    Int(i128),
    Float(f64),
}

fn as_num(v: &Value) -> Option<Num> {
    match v {
        Value::Number(n) if n.is_f64() => n.as_f64().map(Num::Float),
        Value::Number(n) => n
            .as_i64()
            .map(|i| Num::Int(i as i128))
            .or_else(|| n.as_u64().map(|u| Num::Int(u as i128))),
        _ => None,
    }
}

fn bad_verb(verb: char, v: &Value) -> String {
    match v {
        Value::Null => format!("%!{verb}(<nil>)"),
        _ => format!("%!{verb}({}={})", go_type(v), to_v(v)),
    }
}

fn with_sign(s: String, negative: bool, spec: &Spec) -> String {
    if negative {
        format!("-{s}")
    } else if spec.plus {
        format!("+{s}")
    } else if spec.space {
        format!(" {s}")
    } else {
        s
    }
}

/// Formats one operand for one verb (without width padding).
fn format_one(verb: char, spec: &Spec, v: &Value) -> String {
    // Slices and maps are formatted element by element, as fmt does.
    match v {
        Value::Array(items) if verb != 'T' => {
            let parts: Vec<String> = items.iter().map(|i| format_one(verb, spec, i)).collect();
            return format!("[{}]", parts.join(" "));
        }
        Value::Object(map) if verb != 'T' => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        format_one(verb, spec, &Value::String(k.clone())),
                        format_one(verb, spec, &map[k])
                    )
                })
                .collect();
            return format!("map[{}]", parts.join(" "));
        }
        _ => {}
    }
    match verb {
        'T' => go_type(v).to_string(),
        'v' => match (v, spec.prec) {
            (Value::Number(n), Some(p)) if n.is_f64() => {
                format_g(n.as_f64().unwrap_or(0.0), Some(p))
            }
            (Value::Number(_), _) => match as_num(v) {
                Some(Num::Int(i)) => with_sign(i.unsigned_abs().to_string(), i < 0, spec),
                Some(Num::Float(f)) => {
                    with_sign(format_g(f.abs(), None), f.is_sign_negative(), spec)
                }
                None => to_v(v),
            },
            (Value::String(s), Some(p)) => s.chars().take(p).collect(),
            _ => to_v(v),
        },
        's' => match v {
            Value::String(s) => match spec.prec {
                Some(p) => s.chars().take(p).collect(),
                None => s.clone(),
            },
            _ => bad_verb(verb, v),
        },
        'q' => match (v, as_num(v)) {
            (Value::String(s), _) => {
                let s: String = match spec.prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.clone(),
                };
                if spec.sharp && !s.contains('`') {
                    format!("`{s}`")
                } else {
                    go_quote(&s)
                }
            }
            (_, Some(Num::Int(i))) => match char::from_u32(i as u32) {
                Some(c) if i >= 0 => {
                    let q = go_quote(&c.to_string());
                    let inner = &q[1..q.len() - 1];
                    let inner = if inner == "\\\"" { "\"" } else { inner };
                    format!("'{inner}'")
                }
                _ => "'\u{fffd}'".to_string(),
            },
            _ => bad_verb(verb, v),
        },
        't' => match v {
            Value::Bool(b) => b.to_string(),
            _ => bad_verb(verb, v),
        },
        'd' | 'b' | 'o' | 'O' | 'c' | 'U' => match as_num(v) {
            Some(Num::Int(i)) => {
                let a = i.unsigned_abs();
                match verb {
                    'd' => with_sign(a.to_string(), i < 0, spec),
                    'b' => with_sign(format!("{a:b}"), i < 0, spec),
                    'o' => with_sign(
                        if spec.sharp {
                            format!("0{a:o}")
                        } else {
                            format!("{a:o}")
                        },
                        i < 0,
                        spec,
                    ),
                    'O' => with_sign(format!("0o{a:o}"), i < 0, spec),
                    'c' => char::from_u32(i as u32).unwrap_or('\u{fffd}').to_string(),
                    _ => format!("U+{:04X}", i),
                }
            }
            _ => bad_verb(verb, v),
        },
        'x' | 'X' => {
            let hex = |s: String| {
                if verb == 'X' {
                    s.to_uppercase()
                } else {
                    s
                }
            };
            match (v, as_num(v)) {
                (Value::String(s), _) => hex(s.bytes().map(|b| format!("{b:02x}")).collect()),
                (_, Some(Num::Int(i))) => {
                    let body = format!("{:x}", i.unsigned_abs());
                    let body = if spec.sharp {
                        format!("0x{body}")
                    } else {
                        body
                    };
                    hex(with_sign(body, i < 0, spec))
                }
                _ => bad_verb(verb, v),
            }
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => match as_num(v) {
            Some(Num::Float(f)) => {
                let a = f.abs();
                let s = match verb {
                    'e' | 'E' => format_e(a, spec.prec.unwrap_or(6)),
                    'f' | 'F' => format_f(a, spec.prec.unwrap_or(6)),
                    _ => format_g(a, spec.prec),
                };
                let s = if verb.is_ascii_uppercase() {
                    s.to_uppercase()
                } else {
                    s
                };
                with_sign(s, f.is_sign_negative() && f != 0.0, spec)
            }
            _ => bad_verb(verb, v),
        },
        _ => bad_verb(verb, v),
    }
}

fn pad(s: String, spec: &Spec, numeric: bool) -> String {
    let Some(width) = spec.width else { return s };
    let len = s.chars().count();
    if len >= width {
        return s;
    }
    let fill = width - len;
    if spec.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero {
        // Zeros go after a sign.
        let (sign, rest) = match s.chars().next() {
            Some(c @ ('-' | '+' | ' ')) if numeric => (c.to_string(), s[1..].to_string()),
            _ => (String::new(), s),
        };
        format!("{sign}{}{rest}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

/// `fmt.Sprintf` over template values, with fmt's `%!v(MISSING)` / `%!(EXTRA ...)` notes.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut argi = 0;
    let mut chars = format.chars().peekable();
    let mut reordered = false;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                _ => break,
            }
            chars.next();
        }
        // Widths and precisions: digits or `*` (an int argument); fmt refuses more than 1e6.
        const TOO_LARGE: i64 = 1_000_000;
        let mut take_num = |chars: &mut std::iter::Peekable<std::str::Chars>| -> Option<i64> {
            if chars.peek() == Some(&'*') {
                chars.next();
                let n = args.get(argi).and_then(Value::as_i64);
                argi += 1;
                return Some(n.unwrap_or(TOO_LARGE + 1));
            }
            let mut n: Option<i64> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as i64));
                chars.next();
            }
            n
        };
        match take_num(&mut chars) {
            Some(w) if w.unsigned_abs() > TOO_LARGE as u64 => out.push_str("%!(BADWIDTH)"),
            Some(w) => {
                spec.minus |= w < 0;
                spec.width = Some(w.unsigned_abs() as usize);
            }
            None => {}
        }
        if chars.peek() == Some(&'.') {
            chars.next();
            match take_num(&mut chars) {
                Some(p) if p > TOO_LARGE => out.push_str("%!(BADPREC)"),
                Some(p) if p < 0 => {}
                p => spec.prec = Some(p.unwrap_or(0) as usize),
            }
        }
        if spec.minus {
            spec.zero = false;
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        if verb == '[' {
            // Explicit argument indexes are rare in templates; fmt reports them as bad syntax
            // when malformed, and we do not reorder.
            reordered = true;
            out.push_str("%!(BADINDEX)");
            continue;
        }
        let Some(arg) = args.get(argi) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        argi += 1;
        let numeric = matches!(arg, Value::Number(_));
        out.push_str(&pad(format_one(verb, &spec, arg), &spec, numeric));
    }
    if !reordered && argi < args.len() {
        out.push_str("%!(EXTRA ");
        let extras: Vec<String> = args[argi..]
            .iter()
            .map(|a| match a {
                Value::Null => "<nil>".to_string(),
                _ => format!("{}={}", go_type(a), to_v(a)),
            })
            .collect();
        out.push_str(&extras.join(", "));
        out.push(')');
    }
    out
}

/// `template.HTMLEscapeString`.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&#34;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `url.QueryEscape`.
fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `strings.Title`: upper-cases the first letter of each word.
fn title(s: &str) -> String {
    fn is_separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if c.is_alphanumeric() {
            return false;
        }
        c.is_whitespace()
    }
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        if is_separator(prev) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

fn want_args(name: &str, args: &[Option<Value>], n: usize) -> Result<(), FnError> {
    if args.len() != n {
        return Err(FnError::Arity(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        )));
    }
    Ok(())
}

fn want_at_least(name: &str, args: &[Option<Value>], n: usize) -> Result<(), FnError> {
    if args.len() < n {
        return Err(FnError::Arity(format!(
            "wrong number of args for {name}: want at least {n} got {}",
            args.len()
        )));
    }
    Ok(())
}

fn arg_str(args: &[Option<Value>], i: usize) -> Result<&str, FnError> {
    match &args[i] {
        Some(Value::String(s)) => Ok(s),
        None => Err(FnError::Arg(i, "invalid value; expected string".into())),
        Some(v) => Err(FnError::Arg(
            i,
            format!("wrong type for value; expected string; got {}", go_type(v)),
        )),
    }
}

fn arg_int(args: &[Option<Value>], i: usize) -> Result<i64, FnError> {
    match &args[i] {
        Some(Value::Number(n)) if !n.is_f64() => n
            .as_i64()
            .ok_or_else(|| FnError::Arg(i, "integer overflow".into())),
        None => Err(FnError::Arg(i, "invalid value; expected int".into())),
        Some(v) => Err(FnError::Arg(
            i,
            format!("wrong type for value; expected int; got {}", go_type(v)),
        )),
    }
}

/// A function's interface{} arguments: a missing value becomes nil, as Go passes it.
fn plain(args: &[Option<Value>]) -> Vec<Value> {
    args.iter()
        .map(|a| a.clone().unwrap_or(Value::Null))
        .collect()
}

fn index_int(v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) if !n.is_f64() => n.as_i64().ok_or_else(|| "index out of range".into()),
        _ => Err(format!("cannot index slice/array with type {}", go_type(v))),
    }
}

/// The zero value Go's `index` returns for a missing map key, guessed from the map's other
/// values (Docker's maps are typed: `map[string]string` gives "", not nil).
fn map_zero(map: &serde_json::Map<String, Value>) -> Value {
    match map.values().next() {
        None | Some(Value::String(_)) => Value::String(String::new()),
        Some(Value::Number(n)) if n.is_f64() => Value::from(0.0),
        Some(Value::Number(_)) => Value::from(0),
        Some(Value::Bool(_)) => Value::Bool(false),
        Some(_) => Value::Null,
    }
}

fn builtin_index(args: &[Option<Value>]) -> Result<Value, FnError> {
    let Some(mut item) = args[0].clone() else {
        return Err(FnError::Call("index of untyped nil".into()));
    };
    for idx in args[1..].iter() {
        let idx = idx.clone().unwrap_or(Value::Null);
        item = match &item {
            Value::Array(a) => {
                let i = index_int(&idx).map_err(FnError::Call)?;
                if i < 0 || i as usize >= a.len() {
                    return Err(FnError::Call(format!("index out of range: {i}")));
                }
                a[i as usize].clone()
            }
            Value::String(s) => {
                let i = index_int(&idx).map_err(FnError::Call)?;
                if i < 0 || i as usize >= s.len() {
                    return Err(FnError::Call(format!("index out of range: {i}")));
                }
                Value::from(s.as_bytes()[i as usize])
            }
            Value::Object(m) => match &idx {
                Value::String(k) => m.get(k).cloned().unwrap_or_else(|| map_zero(m)),
                other => {
                    return Err(FnError::Call(format!(
                        "value has type {}; should be string",
                        go_type(other)
                    )))
                }
            },
            Value::Null => return Err(FnError::Call("index of untyped nil".into())),
            other => {
                return Err(FnError::Call(format!(
                    "can't index item of type {}",
                    go_type(other)
                )))
            }
        };
    }
    Ok(item)
}

fn builtin_slice(args: &[Option<Value>]) -> Result<Value, FnError> {
    let Some(item) = &args[0] else {
        return Err(FnError::Call("slice of untyped nil".into()));
    };
    let len = match item {
        Value::String(s) => s.len(),
        Value::Array(a) => a.len(),
        other => {
            return Err(FnError::Call(format!(
                "can't slice item of type {}",
                go_type(other)
            )))
        }
    };
    if args.len() > 4 {
        return Err(FnError::Call(format!(
            "too many slice indexes: {}",
            args.len() - 1
        )));
    }
    if item.is_string() && args.len() == 4 {
        return Err(FnError::Call("cannot 3-index slice a string".into()));
    }
    let mut idx = [0usize, len, len];
    for (k, a) in args[1..].iter().enumerate() {
        let v = index_int(a.as_ref().unwrap_or(&Value::Null)).map_err(FnError::Call)?;
        if v < 0 || v as usize > len {
            return Err(FnError::Call(format!("index out of range: {v}")));
        }
        idx[k] = v as usize;
    }
    if idx[0] > idx[1] {
        return Err(FnError::Call(format!(
            "invalid slice index: {} > {}",
            idx[0], idx[1]
        )));
    }
    match item {
        Value::String(s) => s
            .get(idx[0]..idx[1])
            .map(|s| Value::String(s.to_string()))
            .ok_or_else(|| FnError::Call("slice splits a UTF-8 character".into())),
        Value::Array(a) => Ok(Value::Array(a[idx[0]..idx[1]].to_vec())),
        _ => unreachable!("checked above"),
    }
}

#[derive(PartialEq, PartialOrd)]
enum Basic<'v> {
    Nil,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'v str),
    Complex,
}

fn basic(v: Option<&Value>) -> Basic<'_> {
    match v {
        None | Some(Value::Null) => Basic::Nil,
        Some(Value::Bool(b)) => Basic::Bool(*b),
        Some(v @ Value::Number(_)) => match as_num(v) {
            Some(Num::Int(i)) => Basic::Int(i),
            Some(Num::Float(f)) => Basic::Float(f),
            None => Basic::Nil,
        },
        Some(Value::String(s)) => Basic::Str(s),
        Some(_) => Basic::Complex,
    }
}

fn num_f(b: &Basic) -> Option<f64> {
    match b {
        Basic::Int(i) => Some(*i as f64),
        Basic::Float(f) => Some(*f),
        _ => None,
    }
}

fn equal(a: &Basic, b: &Basic) -> Result<bool, FnError> {
    match (a, b) {
        (Basic::Complex, _) | (_, Basic::Complex) => {
            Err(FnError::Call("non-comparable type".into()))
        }
        (Basic::Nil, Basic::Nil) => Ok(true),
        (Basic::Nil, _) | (_, Basic::Nil) => Ok(false),
        (Basic::Bool(x), Basic::Bool(y)) => Ok(x == y),
        (Basic::Str(x), Basic::Str(y)) => Ok(x == y),
        (Basic::Int(x), Basic::Int(y)) => Ok(x == y),
        (x, y) => match (num_f(x), num_f(y)) {
            (Some(p), Some(q)) => Ok(p == q),
            _ => Err(FnError::Call("incompatible types for comparison".into())),
        },
    }
}

fn less(a: &Basic, b: &Basic) -> Result<bool, FnError> {
    match (a, b) {
        (Basic::Nil | Basic::Bool(_) | Basic::Complex, _)
        | (_, Basic::Nil | Basic::Bool(_) | Basic::Complex) => {
            Err(FnError::Call("invalid type for comparison".into()))
        }
        (Basic::Str(x), Basic::Str(y)) => Ok(x < y),
        (Basic::Int(x), Basic::Int(y)) => Ok(x < y),
        (x, y) => match (num_f(x), num_f(y)) {
            (Some(p), Some(q)) => Ok(p < q),
            _ => Err(FnError::Call("incompatible types for comparison".into())),
        },
    }
}

/// Calls function `name` (never `and`/`or`, which the executor evaluates lazily). `None` is a
/// missing value (`<no value>`). `header` selects Docker's `HeaderFunctions`, which leave the
/// header text alone.
pub(crate) fn call(name: &str, args: &[Option<Value>], header: bool) -> Result<Value, FnError> {
    if header {
        let arity = match name {
            "json" | "title" | "lower" | "upper" => Some(1),
            "split" | "join" | "truncate" => Some(2),
            _ => None,
        };
        if let Some(n) = arity {
            want_args(name, args, n)?;
            return Ok(args[0].clone().unwrap_or(Value::Null));
        }
    }
    let s = |v: String| Ok(Value::String(v));
    match name {
        "not" => {
            want_args(name, args, 1)?;
            Ok(Value::Bool(!truth(args[0].as_ref())))
        }
        "len" => {
            want_args(name, args, 1)?;
            match &args[0] {
                Some(Value::String(x)) => Ok(Value::from(x.len())),
                Some(Value::Array(a)) => Ok(Value::from(a.len())),
                Some(Value::Object(m)) => Ok(Value::from(m.len())),
                None | Some(Value::Null) => Err(FnError::Call("len of nil pointer".into())),
                Some(v) => Err(FnError::Call(format!("len of type {}", go_type(v)))),
            }
        }
        "index" => {
            want_at_least(name, args, 1)?;
            builtin_index(args)
        }
        "slice" => {
            want_at_least(name, args, 1)?;
            builtin_slice(args)
        }
        "print" => s(sprint(&plain(args))),
        "println" => s(sprintln(&plain(args))),
        "printf" => {
            want_at_least(name, args, 1)?;
            let f = arg_str(args, 0)?;
            s(sprintf(f, &plain(&args[1..])))
        }
        "html" | "urlquery" => {
            let text = match args {
                [Some(Value::String(x))] => x.clone(),
                _ => sprint(&plain(args)),
            };
            s(if name == "html" {
                html_escape(&text)
            } else {
                query_escape(&text)
            })
        }
        "eq" => {
            want_at_least(name, args, 2)?;
            let a = basic(args[0].as_ref());
            for b in &args[1..] {
                if equal(&a, &basic(b.as_ref()))? {
                    return Ok(Value::Bool(true));
                }
            }
            Ok(Value::Bool(false))
        }
        "ne" => {
            want_args(name, args, 2)?;
            let eq = equal(&basic(args[0].as_ref()), &basic(args[1].as_ref()))?;
            Ok(Value::Bool(!eq))
        }
        "lt" | "le" | "gt" | "ge" => {
            want_args(name, args, 2)?;
            let a = basic(args[0].as_ref());
            let b = basic(args[1].as_ref());
            let result = match name {
                "lt" => less(&a, &b)?,
                "le" => less(&a, &b)? || equal(&a, &b)?,
                "gt" => !less(&a, &b)? && !equal(&a, &b)?,
                _ => !less(&a, &b)?,
            };
            Ok(Value::Bool(result))
        }
        "json" => {
            want_args(name, args, 1)?;
            s(to_json_compact_unescaped(
                args[0].as_ref().unwrap_or(&Value::Null),
            ))
        }
        "split" => {
            want_args(name, args, 2)?;
            let (text, sep) = (arg_str(args, 0)?, arg_str(args, 1)?);
            let parts: Vec<Value> = if sep.is_empty() {
                text.chars().map(|c| Value::String(c.to_string())).collect()
            } else {
                text.split(sep)
                    .map(|p| Value::String(p.to_string()))
                    .collect()
            };
            Ok(Value::Array(parts))
        }
        "join" => {
            want_args(name, args, 2)?;
            let sep = arg_str(args, 1)?;
            match &args[0] {
                Some(Value::Array(items)) => {
                    let parts: Vec<String> = items.iter().map(to_v).collect();
                    s(parts.join(sep))
                }
                Some(Value::Null) => s(String::new()),
                None => Err(FnError::Arg(0, "invalid value; expected []string".into())),
                Some(v) => Err(FnError::Arg(
                    0,
                    format!(
                        "wrong type for value; expected []string; got {}",
                        go_type(v)
                    ),
                )),
            }
        }
        "title" => {
            want_args(name, args, 1)?;
            s(title(arg_str(args, 0)?))
        }
        "lower" => {
            want_args(name, args, 1)?;
            s(arg_str(args, 0)?.to_lowercase())
        }
        "upper" => {
            want_args(name, args, 1)?;
            s(arg_str(args, 0)?.to_uppercase())
        }
        "pad" => {
            want_args(name, args, 3)?;
            let text = arg_str(args, 0)?;
            let (l, r) = (arg_int(args, 1)?, arg_int(args, 2)?);
            if text.is_empty() {
                return s(String::new());
            }
            let rep = |n: i64| " ".repeat(n.max(0) as usize);
            s(format!("{}{text}{}", rep(l), rep(r)))
        }
        "truncate" => {
            want_args(name, args, 2)?;
            let text = arg_str(args, 0)?;
            let n = arg_int(args, 1)?.max(0) as usize;
            if text.len() < n {
                return s(text.to_string());
            }
            let mut end = n;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            s(text[..end].to_string())
        }
        _ => Err(FnError::Call(format!("function {name:?} not defined"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v_printing_matches_go() {
        assert_eq!(to_v(&json!("s")), "s");
        assert_eq!(to_v(&json!(3)), "3");
        assert_eq!(to_v(&json!(2.0)), "2");
        assert_eq!(to_v(&json!(0.25)), "0.25");
        assert_eq!(to_v(&json!(null)), "<nil>");
        assert_eq!(to_v(&json!(["a", 1, null])), "[a 1 <nil>]");
        assert_eq!(
            to_v(&json!({"b": 1, "a": {"c": true}})),
            "map[a:map[c:true] b:1]"
        );
    }

    #[test]
    fn sprintf_verbs() {
        let a = |v: Value| vec![v];
        assert_eq!(sprintf("%s", &a(json!("x"))), "x");
        assert_eq!(sprintf("%-6s|", &a(json!("ab"))), "ab    |");
        assert_eq!(sprintf("%6s|", &a(json!("ab"))), "    ab|");
        assert_eq!(sprintf("%d", &a(json!(-42))), "-42");
        assert_eq!(sprintf("%05d", &a(json!(-42))), "-0042");
        assert_eq!(sprintf("%x %X", &[json!(255), json!("hi")]), "ff 6869");
        assert_eq!(sprintf("%q", &a(json!("a\"b\n"))), r#""a\"b\n""#);
        assert_eq!(sprintf("%t", &a(json!(true))), "true");
        assert_eq!(sprintf("%v", &a(json!(["a", "b"]))), "[a b]");
        assert_eq!(sprintf("%.2f%%", &a(json!(12.345))), "12.35%");
        assert_eq!(sprintf("%d", &a(json!("x"))), "%!d(string=x)");
        assert_eq!(sprintf("%s %s", &a(json!("x"))), "x %!s(MISSING)");
        assert_eq!(sprintf("%s", &[json!("x"), json!(1)]), "x%!(EXTRA int=1)");
        assert_eq!(sprintf("%s", &a(json!(null))), "%!s(<nil>)");
        assert_eq!(sprintf("%5.1f|", &a(json!(7.36))), "  7.4|");
        assert_eq!(sprintf("%c", &a(json!(65))), "A");
        assert_eq!(sprintf("%.3s", &a(json!("abcdef"))), "abc");
        assert_eq!(sprintf("%*d", &[json!(4), json!(7)]), "   7");
        assert_eq!(sprintf("%*d|", &[json!(-4), json!(7)]), "7   |");
        assert_eq!(
            sprintf("%99999999999999999999d", &a(json!(1))),
            "%!(BADWIDTH)1"
        );
    }

    #[test]
    fn sprint_spacing() {
        assert_eq!(
            sprint(&[json!("a"), json!(1), json!(2), json!("b")]),
            "a1 2b"
        );
        assert_eq!(sprintln(&[json!("a"), json!(1)]), "a 1\n");
    }

    #[test]
    fn title_and_escapes() {
        assert_eq!(
            title("hello wide-world foo_bar"),
            "Hello Wide-World Foo_bar"
        );
        assert_eq!(
            html_escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"
        );
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }

    /// Random printf formats over every kind of value must not panic.
    #[test]
    fn fuzzed_printf_never_panics() {
        let chars: Vec<char> = "%-+# 0123456789.**dsvqxXtfegEGcbouOUT[é".chars().collect();
        let args = [
            json!("str"),
            json!(-12),
            json!(2.5),
            json!(true),
            json!(null),
            json!([1, "a"]),
            json!({"k": 1.5}),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(i64::MAX),
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..50_000 {
            let mut fmt = String::new();
            for _ in 0..8 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                fmt.push(chars[(state % chars.len() as u64) as usize]);
            }
            let start = (state % args.len() as u64) as usize;
            let _ = sprintf(&fmt, &args[start..]);
        }
    }
}
