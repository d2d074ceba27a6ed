//! `berth compose events [--json] [--since T] [--until T] [SERVICE...]`:
//! the container events of the project's service containers (not
//! one-offs) from berth's event journal (`crate::events`), in compose's
//! shapes: `2006-01-02 15:04:05.000000 container ACTION ID (k=v, ...)`
//! followed by compose's blank line, or with `--json` one object per line
//! (`action`, `attributes`, `id`, `service`, `time`, `type`). The
//! `com.docker.compose.*` labels are left out of the attributes. Like
//! `berth events`, it follows the journal until killed or `--until`.

use crate::cli::compose::ComposeEventsArgs;
use crate::cmd::context::Context;
use crate::compose::containers;
use crate::compose::project::LoadOptions;
use crate::events::{Journal, Message};
use anyhow::Result;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, SystemTime};

/// The event as compose sees it, or None when it is not the project's.
fn select(
    m: &Message,
    project: &str,
    services: &[String],
) -> Option<(String, BTreeMap<String, String>)> {
    let attrs = &m.actor.attributes;
    if m.kind != crate::events::message::CONTAINER
        || attrs.get(containers::PROJECT).map(String::as_str) != Some(project)
        || attrs.get(containers::ONEOFF).map(String::as_str) == Some("True")
    {
        return None;
    }
    let service = attrs.get(containers::SERVICE).cloned().unwrap_or_default();
    if !services.is_empty() && !services.contains(&service) {
        return None;
    }
    let rest = attrs
        .iter()
        .filter(|(k, _)| !k.starts_with("com.docker.compose."))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some((service, rest))
}

fn render(m: &Message, service: &str, attrs: &BTreeMap<String, String>, as_json: bool) -> String {
    let t: chrono::DateTime<chrono::Local> = m.time().into();
    if as_json {
        let v = json!({
            "action": m.action,
            "attributes": attrs,
            "id": m.actor.id,
            "service": service,
            "time": t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            "type": "container",
        });
        return crate::format::json::to_json_compact_unescaped(&v) + "\n";
    }
    let attrs: Vec<String> = attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{} container {} {} ({})\n\n",
        t.format("%Y-%m-%d %H:%M:%S%.6f"),
        m.action,
        m.actor.id,
        attrs.join(", ")
    )
}

pub fn run(
    ctx: &Context,
    base: &LoadOptions,
    a: ComposeEventsArgs,
    out: &mut dyn Write,
) -> Result<u8> {
    let now = SystemTime::now();
    let since = crate::cmd::events::time_flag("since", a.since.as_deref(), now)?;
    let until = crate::cmd::events::time_flag("until", a.until.as_deref(), now)?;
    let (_, name) = super::project_or_name(base)?;
    let name = name.to_lowercase();
    let journal = Journal::of_data_root(&ctx.settings.data_root);
    let (past, mut follower) = journal.open()?;
    let in_range = |m: &Message| {
        let t = m.time();
        since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u)
    };
    let emit = |m: &Message, out: &mut dyn Write| -> Result<()> {
        if !in_range(m) {
            return Ok(());
        }
        if let Some((service, attrs)) = select(m, &name, &a.service) {
            out.write_all(render(m, &service, &attrs, a.json).as_bytes())?;
            out.flush()?;
        }
        Ok(())
    };
    if since.is_some() || until.is_some() {
        for m in &past {
            emit(m, out)?;
        }
    }
    let mut fresh = Vec::new();
    loop {
        if until.is_some_and(|u| SystemTime::now() > u) {
            return Ok(0);
        }
        std::thread::sleep(Duration::from_millis(50));
        fresh.clear();
        follower.read_available(&mut fresh)?;
        for m in &fresh {
            emit(m, out)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(attrs: &[(&str, &str)]) -> Message {
        Message::at(
            std::time::UNIX_EPOCH + Duration::from_secs(5),
            "container",
            "start",
            "abc",
            attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn selects_the_project_s_service_events() {
        let m = msg(&[
            (containers::PROJECT, "p"),
            (containers::SERVICE, "web"),
            ("name", "p-web-1"),
        ]);
        let (svc, attrs) = select(&m, "p", &[]).unwrap();
        assert_eq!(svc, "web");
        assert_eq!(attrs.keys().collect::<Vec<_>>(), ["name"]);
        assert!(select(&m, "q", &[]).is_none());
        assert!(select(&m, "p", &["db".into()]).is_none());
        let oneoff = msg(&[(containers::PROJECT, "p"), (containers::ONEOFF, "True")]);
        assert!(select(&oneoff, "p", &[]).is_none());
        let text = render(&m, &svc, &attrs, false);
        assert!(
            text.ends_with(" container start abc (name=p-web-1)\n\n"),
            "{text}"
        );
        let j = render(&m, &svc, &attrs, true);
        assert!(j.starts_with("{\"action\":\"start\",\"attributes\":{\"name\":\"p-web-1\"},\"id\":\"abc\",\"service\":\"web\",\"time\":\""), "{j}");
    }
}
