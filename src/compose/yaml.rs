//! A compose file read into a generic tree (`Node`), before anything typed:
//! interpolation, merging and `extends` all work on this tree, as
//! compose-go works on its `map[string]any`. YAML is parsed by serde-saphyr
//! (anchors, aliases and `<<` merge keys expanded by the parser); each node
//! keeps its line and its local tag, so `!reset` and `!override` reach the
//! merge and errors can name `file:line`.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// A mapping of a compose file: keys sorted, as `docker compose config`
/// prints them.
pub type Map = BTreeMap<String, Node>;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Map),
}

/// The merge directive a node carries (compose-spec 13-merge.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tag {
    #[default]
    None,
    /// `!reset`: drop the value inherited from earlier files.
    Reset,
    /// `!override`: replace the inherited value instead of merging.
    Override,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub tag: Tag,
    /// 1-based line in its file (0 when made by berth).
    pub line: u32,
}

impl Node {
    pub fn new(value: Value) -> Node {
        Node {
            value,
            tag: Tag::None,
            line: 0,
        }
    }
    pub fn str(s: impl Into<String>) -> Node {
        Node::new(Value::Str(s.into()))
    }
    pub fn map(m: Map) -> Node {
        Node::new(Value::Map(m))
    }
    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&Vec<Node>> {
        match &self.value {
            Value::Seq(v) => Some(v),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
    /// A scalar as the string compose-go would see after YAML decoding
    /// (`8080` → "8080", `true` → "true"); `None` for collections and null.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(format_float(*f)),
            Value::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
    /// The name of the kind of value, for errors (as JSON schema names it).
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(v) => J::Array(v.iter().map(Node::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

pub fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

/// A YAML syntax or shape error, with the file and line it was found at.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ParseError {
    pub file: String,
    pub message: String,
}

/// Parses one compose file. The top level must be a mapping (an empty file
/// is an empty mapping, as compose-go reads it).
pub fn parse(file: &str, text: &str) -> Result<Node, ParseError> {
    if text.trim().is_empty() {
        return Ok(Node::map(Map::new()));
    }
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        strict_booleans: true,
        with_snippet: false,
    };
    let node: Node = serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| ParseError {
            file: file.to_string(),
            message: one_line(&e.to_string()),
        })
        .map_err(|e| locate(file, e))?;
    match node.value {
        Value::Map(_) => Ok(node),
        Value::Null => Ok(Node::map(Map::new())),
        _ => Err(ParseError {
            file: file.to_string(),
            message: format!(
                "line {}: top-level object must be a mapping, not {}",
                node.line.max(1),
                node.kind()
            ),
        }),
    }
}

/// `MSG at line L, column C` becomes `FILE:L:C: MSG`, the shape of a
/// compiler's error that editors jump to.
fn locate(file: &str, e: ParseError) -> ParseError {
    let msg = e
        .message
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    let Some((what, at)) = msg.rsplit_once(" at line ") else {
        return ParseError { message: msg, ..e };
    };
    let at = at.replace(", column ", ":");
    ParseError {
        file: format!("{file}:{at}"),
        message: what.to_string(),
    }
}

/// serde-saphyr renders a snippet over several lines; berth prints one
/// line per cause.
fn one_line(msg: &str) -> String {
    msg.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|') && !l.starts_with('-'))
        .take(2)
        .collect::<Vec<_>>()
        .join(": ")
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        let spanned = serde_saphyr::Spanned::<serde_saphyr::Tagged<RawValue>>::deserialize(d)?;
        let serde_saphyr::Tagged(raw, tag) = spanned.value;
        let tag = match tag.as_deref() {
            Some("!reset") => Tag::Reset,
            Some("!override") => Tag::Override,
            _ => Tag::None,
        };
        Ok(Node {
            value: raw.0,
            tag,
            line: spanned.referenced.line() as u32,
        })
    }
}

struct RawValue(Value);

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawValue, D::Error> {
        d.deserialize_any(RawVisitor).map(RawValue)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Int)
            .or(Ok(Value::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            out.push(n);
        }
        Ok(Value::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<Key>()? {
            let value = map.next_value::<Node>()?;
            out.insert(key.0, value);
        }
        Ok(Value::Map(out))
    }
}

/// A mapping key: any scalar, as its text (`80: 80` has the key "80").
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        match d.deserialize_any(RawVisitor)? {
            Value::Bool(b) => Ok(Key(b.to_string())),
            Value::Int(i) => Ok(Key(i.to_string())),
            Value::Float(f) => Ok(Key(format_float(f))),
            Value::Str(s) => Ok(Key(s)),
            Value::Null => Ok(Key(String::new())),
            _ => Err(de::Error::custom("a mapping key must be a scalar")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_merge_keys_tags_and_lines() {
        let text = "\
x-common: &common
  image: busybox
  environment:
    A: \"1\"
services:
  web:
    <<: *common
    command: !reset []
    ports: !override
      - 80:80
    restart: no
  n:
    replicas: 3
";
        let n = parse("compose.yaml", text).unwrap();
        let web = &n.as_map().unwrap()["services"].as_map().unwrap()["web"];
        let web = web.as_map().unwrap();
        assert_eq!(web["image"].as_str(), Some("busybox"));
        assert_eq!(web["command"].tag, Tag::Reset);
        assert_eq!(web["ports"].tag, Tag::Override);
        assert_eq!(web["ports"].line, 10);
        assert_eq!(web["restart"].scalar_text().as_deref(), Some("no"));
        let n2 = &n.as_map().unwrap()["services"].as_map().unwrap()["n"];
        assert_eq!(n2.as_map().unwrap()["replicas"].value, Value::Int(3));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let e = parse("c.yaml", "services:\n  web:\n    image: [a\n").unwrap_err();
        assert_eq!(e.to_string(), "c.yaml:3:12: unclosed bracket '['");
        let e = parse("c.yaml", "- a\n").unwrap_err();
        assert!(e.to_string().contains("must be a mapping"), "{e}");
        let e = parse("c.yaml", "a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.to_string(), "c.yaml:2:1: duplicate mapping key: a");
    }
}
