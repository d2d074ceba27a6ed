//! `berth events` / `berth system events`: the journal's events (see
//! `crate::events`), filtered and printed as docker-cli prints them.
//!
//! Without `--since`/`--until` only events from now on are shown; either
//! one also shows the recorded events in range first (moby's buffered
//! events). Without `--until`, or with one in the future, the journal is
//! followed (polled every [`POLL`]) until the command is killed or the
//! `--until` time passes.

use crate::cli::system::EventsArgs;
use crate::cmd::context::Context;
use crate::cmd::WithExitCode;
use crate::container::exit::ExitCode;
use crate::events::filter::EventFilter;
use crate::events::{Journal, Message};
use crate::format::template::Template;
use anyhow::{anyhow, Result};
use serde_json::Value;
use std::io::Write;
use std::time::{Duration, SystemTime};

/// How often a following `events` looks for new lines.
const POLL: Duration = Duration::from_millis(50);

/// How each event is printed.
#[derive(Debug)]
enum Output {
    /// docker-cli's default line.
    Line,
    /// `{{json .}}` (also `--format json`): the event object.
    Json,
    Template(Template),
}

/// `--since`/`--until`: a time or a duration back from `now` (docker's
/// forms), or nothing when empty.
pub fn time_flag(flag: &str, v: Option<&str>, now: SystemTime) -> Result<Option<SystemTime>> {
    match v {
        None | Some("") => Ok(None),
        Some(s) => crate::gotime::parse_timestamp(s, now)
            .map(Some)
            .ok_or_else(|| {
                anyhow!(
                "invalid value for \"{flag}\": failed to parse value as time or duration: \"{s}\""
            )
            }),
    }
}

pub fn run(ctx: &Context, a: EventsArgs, out: &mut dyn Write) -> Result<u8> {
    let output = output(a.format.as_deref())?;
    let filter = EventFilter::parse(&a.filter)?;
    let now = SystemTime::now();
    let since = time_flag("since", a.since.as_deref(), now)?;
    let until = time_flag("until", a.until.as_deref(), now)?;
    let journal = Journal::of_data_root(&ctx.settings.data_root);
    let (past, mut follower) = journal.open()?;
    let in_range = |m: &Message| {
        let t = m.time();
        since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u)
    };
    if since.is_some() || until.is_some() {
        for m in past.iter().filter(|m| in_range(m) && filter.matches(m)) {
            print(out, &output, m)?;
        }
    }
    let mut fresh = Vec::new();
    loop {
        if until.is_some_and(|u| SystemTime::now() > u) {
            return Ok(0);
        }
        std::thread::sleep(POLL);
        fresh.clear();
        follower.read_available(&mut fresh)?;
        for m in fresh.iter().filter(|m| in_range(m) && filter.matches(m)) {
            print(out, &output, m)?;
        }
    }
}

/// docker-cli's `--format` handling for events: empty is the default line,
/// `json` is `{{json .}}`, anything else a template over the event; a
/// template that does not parse ends the command with status 64.
fn output(format: Option<&str>) -> Result<Output> {
    let text = match format {
        None | Some("") => return Ok(Output::Line),
        Some("json") => return Ok(Output::Json),
        Some(t) => t,
    };
    if text.trim() == "{{json .}}" {
        return Ok(Output::Json);
    }
    match Template::parse(text) {
        Ok(t) => Ok(Output::Template(t)),
        Err(e) => Err(WithExitCode {
            code: ExitCode::Container(64),
            error: anyhow!("Error parsing format: {e}"),
        }
        .into()),
    }
}

fn print(out: &mut dyn Write, output: &Output, m: &Message) -> Result<()> {
    match output {
        Output::Line => writeln!(out, "{}", m.line())?,
        Output::Json => writeln!(
            out,
            "{}",
            crate::format::json::to_json_compact_unescaped(&m.to_value())
        )?,
        Output::Template(t) => {
            let mut s = String::new();
            t.execute_into(&template_data(m), &mut s)?;
            writeln!(out, "{s}")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The event for a template: its JSON object, plus the Go field names
/// that differ from the JSON ones (`.Status`, `.ID`, `.From`, `.Scope`,
/// `.Time`, `.TimeNano`), so both spellings docker users write work.
fn template_data(m: &Message) -> Value {
    let mut v = m.to_value();
    if let Value::Object(map) = &mut v {
        map.insert("Status".into(), m.status.clone().into());
        map.insert("ID".into(), m.id.clone().into());
        map.insert("From".into(), m.from.clone().into());
        map.insert("Scope".into(), m.scope.clone().into());
        map.insert("Time".into(), m.time.into());
        map.insert("TimeNano".into(), m.time_nano.into());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn formats() {
        let m = Message::at(
            std::time::UNIX_EPOCH + Duration::from_secs(5),
            "container",
            "start",
            "abc",
            BTreeMap::from([("name".to_string(), "web".to_string())]),
        );
        let render = |f: &str| {
            let mut buf = Vec::new();
            print(&mut buf, &output(Some(f)).unwrap(), &m).unwrap();
            String::from_utf8(buf).unwrap()
        };
        assert_eq!(
            render("{{.Status}} {{.ID}} {{.Type}} {{.Actor.Attributes.name}} {{.TimeNano}}"),
            "start abc container web 5000000000\n"
        );
        assert!(render("{{json .}}").starts_with("{\"status\":\"start\",\"id\":\"abc\","));
        assert_eq!(render("json"), render("{{json .}}"));
        assert_eq!(
            render(""),
            "1970-01-01T00:00:05.000000000Z container start abc (name=web)\n"
        );
        let e = output(Some("{{.Foo")).unwrap_err();
        assert!(e.to_string().starts_with("Error parsing format: "), "{e}");
    }
}
