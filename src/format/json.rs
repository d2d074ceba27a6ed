//! JSON text exactly as Go's `encoding/json` writes it, which is what Docker prints for
//! `inspect`, `--format json` and the `{{json}}` template function.
//!
//! Differences from `serde_json`'s printers that this file exists for: floats with an integral
//! value print without `.0`; `MarshalIndent` uses four spaces and keeps `[]`/`{}` on one line;
//! `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026` unless HTML escaping is turned off (the
//! template `json` function turns it off, like Docker's `SetEscapeHTML(false)`); U+2028 and
//! U+2029 are always escaped. Object members are written in their stored order: Go writes a
//! struct's fields in declaration order and sorts a map's keys, so callers that build a map-like
//! object (labels, options) insert its keys sorted.

use serde_json::Value;

use super::gofmt::format_json_float;

/// `json.Marshal`: compact, HTML-escaped.
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, true, None, 0);
    out
}

/// `json.MarshalIndent(v, "", "    ")`, HTML-escaped, as `docker inspect` prints.
pub fn to_json_indent(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, true, Some("    "), 0);
    out
}

/// Compact JSON without HTML escaping: the Docker CLI template `json` function
/// (`json.Encoder` with `SetEscapeHTML(false)`, trailing newline trimmed).
pub fn to_json_compact_unescaped(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, false, None, 0);
    out
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write_value(out: &mut String, v: &Value, html: bool, indent: Option<&str>, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s, html),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_value(out, item, html, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_string(out, k, html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_value(out, item, html, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

fn write_number(out: &mut String, n: &serde_json::Number) {
    if let Some(i) = n.as_i64() {
        out.push_str(&i.to_string());
    } else if let Some(u) = n.as_u64() {
        out.push_str(&u.to_string());
    } else if let Some(f) = n.as_f64() {
        out.push_str(&format_json_float(f));
    } else {
        out.push_str(&n.to_string());
    }
}

/// A JSON string literal with Go's escaping rules.
pub(crate) fn write_string(out: &mut String, s: &str, html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compact_is_go_marshal() {
        let v = json!({"Id": "abc", "Size": 12, "Ratio": 1.0, "Half": 0.5, "Tags": ["a", "b"],
                       "Empty": [], "Obj": {}, "Null": null, "Ok": true});
        assert_eq!(
            to_json_compact(&v),
            r#"{"Id":"abc","Size":12,"Ratio":1,"Half":0.5,"Tags":["a","b"],"Empty":[],"Obj":{},"Null":null,"Ok":true}"#
        );
    }

    #[test]
    fn html_and_control_escaping() {
        let v = json!("<a href=\"x\">&\u{1}\t\n\u{2028}é");
        assert_eq!(
            to_json_compact(&v),
            r#""\u003ca href=\"x\"\u003e\u0026\u0001\t\n\u2028é""#
        );
        assert_eq!(
            to_json_compact_unescaped(&v),
            r#""<a href=\"x\">&\u0001\t\n\u2028é""#
        );
    }

    #[test]
    fn indent_is_go_marshal_indent() {
        let v = json!([{"Id": "abc", "Args": [], "Labels": {}, "Cmd": ["sh", "-c"],
                        "State": {"Running": true, "Pid": 42}}]);
        let want = r#"[
    {
        "Id": "abc",
        "Args": [],
        "Labels": {},
        "Cmd": [
            "sh",
            "-c"
        ],
        "State": {
            "Running": true,
            "Pid": 42
        }
    }
]"#;
        assert_eq!(to_json_indent(&v), want);
        assert_eq!(to_json_indent(&json!([])), "[]");
    }

    #[test]
    fn numbers() {
        assert_eq!(to_json_compact(&json!(-5)), "-5");
        assert_eq!(to_json_compact(&json!(u64::MAX)), "18446744073709551615");
        assert_eq!(to_json_compact(&json!(1e21)), "1e+21");
        assert_eq!(to_json_compact(&json!(2.5e-7)), "2.5e-7");
    }
}
