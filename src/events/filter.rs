//! `events --filter`: moby's event filter (`daemon/events/filter.go`).
//! Values of one key are alternatives, keys must all hold. `container`,
//! `network` and `volume` match an event whose actor id or `name`
//! attribute starts with a value (for any event type: a `container=`
//! filter drops image events); `image` matches the actor id or the image
//! name exactly, with or without its tag; `event` is exact, except that
//! `health_status`, `exec_create` and `exec_start` match their longer
//! forms (`health_status: healthy`); `label` conditions hold on the
//! attributes.

use super::message::{Message, IMAGE};
use crate::filter::{FilterError, FilterSpec, Filters, LabelFilter, UnknownKey};

pub const SPEC: FilterSpec = FilterSpec {
    flag: "-f, --filter",
    keys: &[
        "container",
        "event",
        "image",
        "label",
        "type",
        "network",
        "volume",
        "scope",
    ],
    unknown: UnknownKey::Lower,
};

/// A parsed `--filter` list.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    f: Filters,
    labels: LabelFilter,
}

impl EventFilter {
    pub fn parse(raw: &[String]) -> Result<EventFilter, FilterError> {
        let f = Filters::parse(raw, &SPEC)?;
        let labels = f.labels();
        Ok(EventFilter { f, labels })
    }

    fn has(&self, key: &str) -> bool {
        self.f.values(key).next().is_some()
    }

    /// moby's `ExactMatch`: no value given, or one equal to `s`.
    fn exact(&self, key: &str, s: &str) -> bool {
        !self.has(key) || self.f.values(key).any(|v| v == s)
    }

    /// moby's `FuzzyMatch`: exact, or `s` starts with a value.
    fn fuzzy(&self, key: &str, s: &str) -> bool {
        !self.has(key) || self.f.values(key).any(|v| s.starts_with(v))
    }

    fn name_match(&self, key: &str, m: &Message) -> bool {
        let name = m.actor.attributes.get("name").map_or("", String::as_str);
        !self.has(key) || self.fuzzy(key, &m.actor.id) || self.fuzzy(key, name)
    }

    pub fn matches(&self, m: &Message) -> bool {
        let event = if self
            .f
            .values("event")
            .any(|v| matches!(v, "health_status" | "exec_create" | "exec_start"))
        {
            self.fuzzy("event", &m.action)
        } else {
            self.exact("event", &m.action)
        };
        event
            && self.exact("type", &m.kind)
            && self.exact("scope", &m.scope)
            && self.name_match("container", m)
            && self.name_match("network", m)
            && self.name_match("volume", m)
            && self.image_match(m)
            && (self.labels.is_empty() || self.labels.matches(&m.actor.attributes))
    }

    fn image_match(&self, m: &Message) -> bool {
        if !self.has("image") {
            return true;
        }
        let attr = if m.kind == IMAGE { "name" } else { "image" };
        let name = m.actor.attributes.get(attr).map_or("", String::as_str);
        [
            m.actor.id.as_str(),
            name,
            strip_tag(&m.actor.id),
            strip_tag(name),
        ]
        .iter()
        .any(|s| self.f.values("image").any(|v| v == *s))
    }
}

/// A reference without its `:tag` (a registry port is not a tag).
fn strip_tag(s: &str) -> &str {
    let name_start = s.rfind('/').map_or(0, |i| i + 1);
    let s = s.split_once('@').map_or(s, |(n, _)| n);
    match s[name_start.min(s.len())..].rfind(':') {
        Some(i) => &s[..name_start + i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::message::CONTAINER;
    const NETWORK: &str = "network";
    use std::collections::BTreeMap;

    fn msg(kind: &str, action: &str, id: &str, attrs: &[(&str, &str)]) -> Message {
        let a: BTreeMap<String, String> = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Message::now(kind, action, id, a)
    }

    fn f(items: &[&str]) -> EventFilter {
        EventFilter::parse(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn moby_matching_rules() {
        let start = msg(
            CONTAINER,
            "start",
            "abcdef",
            &[("name", "web"), ("image", "alpine:3"), ("x", "y")],
        );
        let health = msg(
            CONTAINER,
            "health_status: healthy",
            "abcdef",
            &[("name", "web")],
        );
        let net = msg(
            NETWORK,
            "create",
            "n123",
            &[("name", "front"), ("type", "bridge")],
        );
        assert!(f(&[]).matches(&start));
        assert!(f(&["event=start", "event=die"]).matches(&start));
        assert!(!f(&["event=sta"]).matches(&start));
        assert!(f(&["event=health_status"]).matches(&health));
        assert!(!f(&["event=health"]).matches(&health));
        assert!(f(&["container=abc"]).matches(&start));
        assert!(f(&["container=we"]).matches(&start));
        assert!(!f(&["container=web"]).matches(&net));
        assert!(f(&["type=network", "network=front"]).matches(&net));
        assert!(!f(&["type=container"]).matches(&net));
        assert!(f(&["image=alpine"]).matches(&start));
        assert!(f(&["image=alpine:3"]).matches(&start));
        assert!(!f(&["image=alp"]).matches(&start));
        assert!(f(&["label=x"]).matches(&start));
        assert!(f(&["label=x=y"]).matches(&start));
        assert!(!f(&["label=x=z"]).matches(&start));
        assert!(!f(&["label=x"]).matches(&net));
        assert!(f(&["scope=local"]).matches(&net));
        assert!(!f(&["scope=swarm"]).matches(&net));
    }

    #[test]
    fn unknown_key_is_refused() {
        let e = EventFilter::parse(&["bogus=1".to_string()]).unwrap_err();
        assert_eq!(e.to_string(), "invalid filter 'bogus'");
    }

    #[test]
    fn strip_tag_keeps_ports() {
        assert_eq!(strip_tag("alpine:3"), "alpine");
        assert_eq!(strip_tag("localhost:5000/a"), "localhost:5000/a");
        assert_eq!(strip_tag("localhost:5000/a:1"), "localhost:5000/a");
        assert_eq!(strip_tag("sha256:abc"), "sha256");
    }
}
