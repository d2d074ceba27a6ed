//! Docker's event object (`api/types/events.Message`), its JSON (field
//! order and names as Go writes them: the legacy `status`/`id`/`from`
//! first, filled for container and image events only, `from` for
//! containers only) and `docker events`' default line.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const CONTAINER: &str = "container";
pub const IMAGE: &str = "image";
pub const NETWORK: &str = "network";
pub const VOLUME: &str = "volume";

/// One event, as `docker events --format '{{json .}}'` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(rename = "Action")]
    pub action: String,
    #[serde(rename = "Actor")]
    pub actor: Actor,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub time: i64,
    #[serde(rename = "timeNano", default, skip_serializing_if = "is_zero")]
    pub time_nano: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// What the event is about: its id and attributes (a Go map: keys sorted).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actor {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Attributes", default)]
    pub attributes: BTreeMap<String, String>,
}

impl Message {
    /// moby's `Events.Log`: scope `local`, the time now, and the legacy
    /// fields of container and image events.
    pub fn now(kind: &str, action: &str, id: &str, attributes: BTreeMap<String, String>) -> Self {
        Message::at(SystemTime::now(), kind, action, id, attributes)
    }

    pub fn at(
        t: SystemTime,
        kind: &str,
        action: &str,
        id: &str,
        attributes: BTreeMap<String, String>,
    ) -> Self {
        let nanos = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos() as i64;
        let (status, legacy_id, from) = match kind {
            CONTAINER => (
                action.to_string(),
                id.to_string(),
                attributes.get("image").cloned().unwrap_or_default(),
            ),
            IMAGE => (action.to_string(), id.to_string(), String::new()),
            _ => Default::default(),
        };
        Message {
            status,
            id: legacy_id,
            from,
            kind: kind.to_string(),
            action: action.to_string(),
            actor: Actor {
                id: id.to_string(),
                attributes,
            },
            scope: "local".into(),
            time: nanos.div_euclid(1_000_000_000),
            time_nano: nanos,
        }
    }

    /// The event's time.
    pub fn time(&self) -> SystemTime {
        if self.time_nano != 0 {
            UNIX_EPOCH + Duration::from_nanos(self.time_nano.max(0) as u64)
        } else {
            UNIX_EPOCH + Duration::from_secs(self.time.max(0) as u64)
        }
    }

    /// docker-cli's default line: the time (RFC 3339, nine fraction
    /// digits), type, action, actor id, and the attributes sorted as
    /// `(k=v, k=v)`.
    pub fn line(&self) -> String {
        let mut s = String::new();
        if self.time_nano != 0 || self.time != 0 {
            s.push_str(&crate::shim::time::rfc3339_nano_fixed(self.time()));
            s.push(' ');
        }
        s.push_str(&format!("{} {} {}", self.kind, self.action, self.actor.id));
        if !self.actor.attributes.is_empty() {
            let attrs: Vec<String> = self
                .actor
                .attributes
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            s.push_str(&format!(" ({})", attrs.join(", ")));
        }
        s
    }

    /// The value `--format` templates see: the JSON object (for
    /// `{{json .}}`) with the Go field names (`.Status`, `.ID`, `.From`,
    /// `.Scope`, `.Time`, `.TimeNano`) readable too.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn container_event_json_is_dockers() {
        let t = UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
        let m = Message::at(
            t,
            CONTAINER,
            "start",
            "abc",
            attrs(&[("name", "web"), ("image", "alpine"), ("x", "y")]),
        );
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"status":"start","id":"abc","from":"alpine","Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"image":"alpine","name":"web","x":"y"}},"scope":"local","time":1700000000,"timeNano":1700000000123456789}"#
        );
        assert_eq!(
            m.line(),
            "2023-11-14T22:13:20.123456789Z container start abc (image=alpine, name=web, x=y)"
        );
        let back: Message = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn legacy_fields_only_for_containers_and_images() {
        let t = UNIX_EPOCH + Duration::from_secs(1);
        let img = Message::at(t, IMAGE, "tag", "sha256:1", attrs(&[("name", "a:b")]));
        let s = serde_json::to_string(&img).unwrap();
        assert!(
            s.starts_with(r#"{"status":"tag","id":"sha256:1","Type":"image""#),
            "{s}"
        );
        let net = Message::at(t, "network", "create", "n1", attrs(&[("name", "n")]));
        let s = serde_json::to_string(&net).unwrap();
        assert!(
            s.starts_with(r#"{"Type":"network","Action":"create""#),
            "{s}"
        );
    }
}
