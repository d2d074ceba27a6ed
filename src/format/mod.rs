//! Output formatting shared by every list and inspect command: Docker's `--format` handling
//! (`table ...`, `json`, Go templates), Go-`tabwriter` tables, Go-`encoding/json` output, and
//! go-units sizes and durations.
//!
//! This module only renders: it gets rows and records as JSON values whose keys are Docker's
//! template field names (`ID`, `Repository`, `State.Status`, ...) and writes to the `Write` it
//! is handed. It never decides which columns a command has or what its data means.
//!
//! Docker behaviour followed (docker/cli `cli/command/formatter` and `cli/command/inspect`):
//! - a format starting with `table` is a table: the rest is the row template, the header row is
//!   the same template executed with Docker's header functions over the column titles, and all
//!   of it goes through a tabwriter (minwidth 10, padding 3);
//! - `json` prints each row as one compact JSON object (`{{json .}}`);
//! - anything else is a template printed once per row, each followed by a newline;
//! - in list formats the two characters `\t` and `\n` typed by the user become a tab and a
//!   newline, and spaces around the format are trimmed (`preFormat`);
//! - nothing is printed when any row fails to render;
//! - `inspect` prints an indented JSON array (`[]` when empty), or with `--format` one rendered
//!   line per item (no `\t` replacement there, as in Docker), or with `--format json` a compact
//!   array.

mod funcs;
pub(crate) use funcs::go_quote;
mod gofmt;
pub mod json;
pub mod natural;
pub mod tabwriter;
pub mod template;
pub mod units;

use std::io::{self, Write};

use serde_json::{Map, Value};

use self::tabwriter::TabWriter;
use self::template::{Template, TemplateError};

/// Failure to render list or inspect output.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The `--format` template does not parse (Docker exits 64 for this in `inspect`).
    #[error("template parsing error: {0}")]
    Parse(TemplateError),
    /// The template failed on a row or item (Docker words this the same way).
    #[error("template parsing error: {0}")]
    Execute(TemplateError),
    #[error("writing output: {0}")]
    Io(#[from] io::Error),
}

impl FormatError {}

/// How a list command prints its rows (`--format`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListFormat {
    /// A table: header row plus one row per item, aligned. `template` is the row template.
    Table { template: String },
    /// A template printed once per row, each followed by a newline.
    Template(String),
    /// One compact JSON object per line (`--format json`).
    Json,
}

const TABLE_KEY: &str = "table";

/// Docker's `preFormat` on a template: trim spaces, turn typed `\t` / `\n` into the characters.
fn pre_format(text: &str) -> String {
    text.trim_matches(' ')
        .replace("\\t", "\t")
        .replace("\\n", "\n")
}

impl ListFormat {
    /// Interprets a user's `--format` value. `None`, `""` and `"table"` give the command's
    /// default table (`default_table` is its row template, with or without a `table` prefix);
    /// `"table X"` a table of template X; `"json"` JSON lines; anything else a plain template.
    /// The template is checked here so a bad one fails before any work is done.
    pub fn parse(user: Option<&str>, default_table: &str) -> Result<ListFormat, TemplateError> {
        let strip = |t: &str| pre_format(t.strip_prefix(TABLE_KEY).unwrap_or(t));
        let format = match user {
            None | Some("") | Some(TABLE_KEY) => ListFormat::Table {
                template: strip(default_table),
            },
            Some("json") => return Ok(ListFormat::Json),
            // Docker treats any format starting with "table" as a table.
            Some(t) if t.starts_with(TABLE_KEY) => ListFormat::Table { template: strip(t) },
            Some(t) => ListFormat::Template(pre_format(t)),
        };
        match &format {
            ListFormat::Table { template } | ListFormat::Template(template) => {
                Template::parse(template)?;
            }
            ListFormat::Json => {}
        }
        Ok(format)
    }
}

/// The object a table's header row is rendered from: every `(field, title)` pair, plus each
/// top-level field the template uses that has no title, titled with its upper-cased name.
fn header_data(template: &Template, headers: &[(&str, &str)]) -> Value {
    let mut map = Map::new();
    for (field, title) in headers {
        map.insert((*field).to_string(), Value::String((*title).to_string()));
    }
    for field in template.fields() {
        if !map.contains_key(&field) {
            let title = field.to_uppercase();
            map.insert(field, Value::String(title));
        }
    }
    Value::Object(map)
}

/// Renders `rows` as `fmt` says. `headers` maps field names to column titles, e.g.
/// `[("ID", "IMAGE ID"), ("Repository", "REPOSITORY")]`. Output is produced in memory first, so
/// nothing is written if any row fails.
pub fn render_list(
    out: &mut dyn Write,
    fmt: &ListFormat,
    headers: &[(&str, &str)],
    rows: &[Value],
) -> Result<(), FormatError> {
    match fmt {
        ListFormat::Json => {
            let mut text = String::new();
            for row in rows {
                text.push_str(&json::to_json_compact_unescaped(row));
                text.push('\n');
            }
            out.write_all(text.as_bytes())?;
        }
        ListFormat::Template(source) => {
            let template = Template::parse(source).map_err(FormatError::Parse)?;
            let text = render_rows(&template, rows)?;
            out.write_all(text.as_bytes())?;
        }
        ListFormat::Table { template: source } => {
            let template = Template::parse(source).map_err(FormatError::Parse)?;
            let body = render_rows(&template, rows)?;
            let mut tw = TabWriter::new(&mut *out);
            let header = template.execute_header(&header_data(&template, headers));
            tw.write_all(header.as_bytes())?;
            tw.write_all(b"\n")?;
            tw.write_all(body.as_bytes())?;
            tw.flush()?;
        }
    }
    out.flush()?;
    Ok(())
}

fn render_rows(template: &Template, rows: &[Value]) -> Result<String, FormatError> {
    let mut text = String::new();
    for row in rows {
        template
            .execute_into(row, &mut text)
            .map_err(FormatError::Execute)?;
        text.push('\n');
    }
    Ok(text)
}

/// Renders `inspect` output. Without a format (or with `""`): the items as an indented JSON
/// array, `[]` when there are none. With `"json"`: a compact JSON array. Otherwise each item
/// through the template, one line each. A failing item does not stop the others: the lines
/// that rendered are written, then the first error is returned (Docker prints all of them and
/// exits 1).
pub fn render_inspect(
    out: &mut dyn Write,
    format: Option<&str>,
    items: &[Value],
) -> Result<(), FormatError> {
    let array = || Value::Array(items.to_vec());
    match format {
        None | Some("") => {
            let mut text = json::to_json_indent(&array());
            text.push('\n');
            out.write_all(text.as_bytes())?;
        }
        Some("json") => {
            let mut text = json::to_json_compact(&array());
            text.push('\n');
            out.write_all(text.as_bytes())?;
        }
        Some(source) => {
            let template = Template::parse(source).map_err(FormatError::Parse)?;
            let mut text = String::new();
            let mut first_error = None;
            for item in items {
                let mut line = String::new();
                match template.execute_into(item, &mut line) {
                    Ok(()) => {
                        text.push_str(&line);
                        text.push('\n');
                    }
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            if text.is_empty() {
                text.push('\n');
            }
            out.write_all(text.as_bytes())?;
            if let Some(e) = first_error {
                out.flush()?;
                return Err(FormatError::Execute(e));
            }
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const IMAGES_TABLE: &str =
        "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    const IMAGES_HEADERS: &[(&str, &str)] = &[
        ("Repository", "REPOSITORY"),
        ("Tag", "TAG"),
        ("ID", "IMAGE ID"),
        ("CreatedSince", "CREATED"),
        ("Size", "SIZE"),
    ];

    fn images() -> Vec<Value> {
        vec![
            json!({"Repository": "nginx", "Tag": "latest", "ID": "0123456789ab",
                   "CreatedSince": "2 weeks ago", "Size": "187MB"}),
            json!({"Repository": "busybox", "Tag": "1.36", "ID": "abcdefabcdef",
                   "CreatedSince": "3 months ago", "Size": "4.26MB"}),
        ]
    }

    fn list(user: Option<&str>, rows: &[Value]) -> String {
        let fmt = ListFormat::parse(user, IMAGES_TABLE).unwrap();
        let mut out = Vec::new();
        render_list(&mut out, &fmt, IMAGES_HEADERS, rows).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn parse_format_kinds() {
        let tpl = |t: &str| ListFormat::Table {
            template: t.to_string(),
        };
        let default = "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
        assert_eq!(ListFormat::parse(None, IMAGES_TABLE).unwrap(), tpl(default));
        assert_eq!(
            ListFormat::parse(Some(""), IMAGES_TABLE).unwrap(),
            tpl(default)
        );
        assert_eq!(
            ListFormat::parse(Some("table"), IMAGES_TABLE).unwrap(),
            tpl(default)
        );
        assert_eq!(
            ListFormat::parse(Some("table {{.ID}}\\t{{.Size}}"), IMAGES_TABLE).unwrap(),
            tpl("{{.ID}}\t{{.Size}}")
        );
        assert_eq!(
            ListFormat::parse(Some("json"), IMAGES_TABLE).unwrap(),
            ListFormat::Json
        );
        assert_eq!(
            ListFormat::parse(Some(" {{.ID}}\\n "), IMAGES_TABLE).unwrap(),
            ListFormat::Template("{{.ID}}\n".to_string())
        );
        assert_eq!(
            ListFormat::parse(Some("{{.ID"), IMAGES_TABLE)
                .unwrap_err()
                .to_string(),
            "template: :1: unclosed action"
        );
    }

    #[test]
    fn images_default_table() {
        assert_eq!(
            list(None, &images()),
            "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE\n\
             nginx        latest    0123456789ab   2 weeks ago    187MB\n\
             busybox      1.36      abcdefabcdef   3 months ago   4.26MB\n"
        );
    }

    #[test]
    fn empty_table_prints_header_only() {
        assert_eq!(
            list(Some("table"), &[]),
            "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
        );
    }

    #[test]
    fn custom_table_with_typed_backslash_t() {
        // The user typed a backslash and a t, as in a shell: `--format 'table {{.ID}}\t{{.Size}}'`.
        assert_eq!(
            list(Some("table {{.ID}}\\t{{.Size}}"), &images()),
            "IMAGE ID       SIZE\n\
             0123456789ab   187MB\n\
             abcdefabcdef   4.26MB\n"
        );
    }

    #[test]
    fn table_header_for_unlisted_fields_and_functions() {
        let rows = vec![json!({"ID": "abc", "Labels": {"a": "b"}, "Name": "Web"})];
        assert_eq!(
            list(
                Some("table {{.ID}}\t{{json .Labels}}\t{{lower .Name}}"),
                &rows
            ),
            "IMAGE ID   LABELS      NAME\n\
             abc        {\"a\":\"b\"}   web\n"
        );
    }

    #[test]
    fn plain_template_one_line_per_row() {
        assert_eq!(
            list(Some("{{.Repository}}:{{.Tag}}\\t{{.Size}}"), &images()),
            "nginx:latest\t187MB\nbusybox:1.36\t4.26MB\n"
        );
        assert_eq!(list(Some("{{.ID}}"), &[]), "");
    }

    #[test]
    fn json_lines() {
        let rows = vec![
            json!({"ID": "abc", "Note": "<b>&"}),
            json!({"ID": "def", "N": 1}),
        ];
        assert_eq!(
            list(Some("json"), &rows),
            "{\"ID\":\"abc\",\"Note\":\"<b>&\"}\n{\"ID\":\"def\",\"N\":1}\n"
        );
    }

    #[test]
    fn failing_row_prints_nothing() {
        let fmt = ListFormat::parse(Some("{{.ID.X}}"), IMAGES_TABLE).unwrap();
        let mut out = Vec::new();
        let err = render_list(&mut out, &fmt, IMAGES_HEADERS, &images()).unwrap_err();
        assert!(out.is_empty());
        assert_eq!(
            err.to_string(),
            "template parsing error: template: :1:2: executing \"\" at <.ID.X>: \
             can't evaluate field X in type string"
        );
    }

    fn inspect(format: Option<&str>, items: &[Value]) -> (String, Option<FormatError>) {
        let mut out = Vec::new();
        let r = render_inspect(&mut out, format, items);
        (String::from_utf8(out).unwrap(), r.err())
    }

    #[test]
    fn inspect_without_format_is_indented_array() {
        let items = vec![
            json!({"Id": "abc", "Config": {"Env": ["A=<1>"], "Labels": {}},
                                "State": {"Running": true}}),
        ];
        let (out, err) = inspect(None, &items);
        assert!(err.is_none());
        assert_eq!(
            out,
            r#"[
    {
        "Id": "abc",
        "Config": {
            "Env": [
                "A=\u003c1\u003e"
            ],
            "Labels": {}
        },
        "State": {
            "Running": true
        }
    }
]
"#
        );
        assert_eq!(inspect(None, &[]).0, "[]\n");
        assert_eq!(inspect(Some("json"), &items).0.lines().count(), 1);
    }

    #[test]
    fn inspect_with_template() {
        let items = vec![
            json!({"Name": "/web", "State": {"Status": "running"}}),
            json!({"Name": "/db", "State": {"Status": "exited"}}),
        ];
        let (out, err) = inspect(Some("{{.Name}} {{.State.Status}}"), &items);
        assert!(err.is_none());
        assert_eq!(out, "/web running\n/db exited\n");
        // Docker does not replace a typed \t in inspect formats.
        assert_eq!(inspect(Some("{{.Name}}\\t"), &items[..1]).0, "/web\\t\n");
    }

    #[test]
    fn inspect_errors_keep_other_items() {
        let items = vec![json!({"A": "x"}), json!({"A": {"B": "ok"}})];
        let (out, err) = inspect(Some("{{.A.B}}"), &items);
        assert_eq!(out, "ok\n");
        assert!(matches!(err, Some(FormatError::Execute(_))));
        let (_, err) = inspect(Some("{{.A"), &items);
        assert!(matches!(err, Some(FormatError::Parse(_))));
    }
}
