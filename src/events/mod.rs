//! The events journal: what `berth events` reports, recorded by whoever
//! causes an event (the CLI for what a command does, a container's shim for
//! what happens with no CLI running: die, restart runs, oom, health).
//!
//! There is no daemon holding Docker's in-memory ring of events, so every
//! event is one JSON line (Docker's `events.Message`, [`Message`]) appended
//! to `<data-root>/events/events.log` by one `write(2)` on an `O_APPEND`
//! descriptor ([`Journal::append`]); `events` reads the file while it grows
//! ([`journal::Follower`]). The file is bounded: past [`journal::MAX_SIZE`]
//! it becomes `events.log.1` and a new one starts (so between one and two
//! files' worth of events, thousands, are kept; Docker keeps 256).
//!
//! Writing an event never fails the operation that caused it: a journal
//! that cannot be written is reported on stderr once and the command goes on.
//!
//! For a container, [`ContainerEvents`] carries what every event of it
//! names (id, name, image, labels) and the journal's place; the CLI builds
//! it from the record, the shim gets a copy in `shim.json`.

pub mod filter;
pub mod journal;
pub mod message;

pub use journal::Journal;
pub use message::Message;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A new random id: 32 random bytes as 64 lowercase hex characters, as
/// moby's `stringid.GenerateRandomID` (exec ids; container ids add a rule,
/// `container::names::new_id`). Here because the shim, which links no
/// container code, names its probes' execs.
pub fn random_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// The journal directory under a data root.
pub fn journal_dir(data_root: &Path) -> PathBuf {
    data_root.join("events")
}

/// Everything a container's events carry, and where they go. Serialised
/// into the shim's configuration, so the shim records `die`, `start` (of a
/// restart run), `oom` and `health_status` itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContainerEvents {
    /// The journal directory (`<data-root>/events`).
    pub journal: PathBuf,
    pub id: String,
    /// The container's name without the leading `/`.
    pub name: String,
    /// The image as the user named it (Docker's `Config.Image`).
    pub image: String,
    pub labels: BTreeMap<String, String>,
    /// The named volumes the container mounts: the shim records `volume
    /// mount` for each before every run's `start` and `volume unmount`
    /// before every `die`, as moby's `setupMounts` and `Cleanup` do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<VolumeUse>,
}

/// One named volume a container mounts, as its `mount` event names it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VolumeUse {
    pub name: String,
    pub destination: String,
    pub read_write: bool,
    /// The mount propagation (`rprivate`, ...), empty for the default.
    #[serde(default)]
    pub propagation: String,
}

impl ContainerEvents {
    /// Docker's container attributes: every label, then `image` and `name`
    /// (which win over labels of the same key, as in moby), then `extra`
    /// (`exitCode`, `signal`, `oldName`, ...).
    pub fn attributes(&self, extra: &[(&str, String)]) -> BTreeMap<String, String> {
        let mut a = self.labels.clone();
        a.insert("image".into(), self.image.clone());
        a.insert("name".into(), self.name.clone());
        for (k, v) in extra {
            a.insert((*k).to_string(), v.clone());
        }
        a
    }

    /// The event `action` of this container, now.
    pub fn message(&self, action: &str, extra: &[(&str, String)]) -> Message {
        Message::now(message::CONTAINER, action, &self.id, self.attributes(extra))
    }

    /// Record `action` (see [`Journal::record`]).
    pub fn emit(&self, action: &str, extra: &[(&str, String)]) {
        Journal::new(self.journal.clone()).record(&self.message(action, extra));
    }

    /// moby's exec events of one process (`docker exec` or a healthcheck
    /// probe): `exec_create: ARGV` and `exec_start: ARGV` as it starts,
    /// `exec_die` with its exit code when it ends, each with the exec's
    /// id. moby writes the argv as the entrypoint, a space and the other
    /// arguments joined (`exec_create: ls ` for a bare `ls`).
    pub fn exec_action(what: &str, argv: &[String]) -> String {
        let (first, rest) = argv
            .split_first()
            .map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
        format!("{what}: {first} {}", rest.join(" "))
    }

    /// Record `exec_create` and `exec_start` of `argv` (exec `exec_id`).
    pub fn emit_exec_start(&self, exec_id: &str, argv: &[String]) {
        let id = [("execID", exec_id.to_string())];
        let journal = Journal::new(self.journal.clone());
        for what in ["exec_create", "exec_start"] {
            journal.record(&self.message(&Self::exec_action(what, argv), &id));
        }
    }

    /// Record `exec_die` of exec `exec_id` with its exit code.
    pub fn emit_exec_die(&self, exec_id: &str, exit_code: i32) {
        self.emit(
            "exec_die",
            &[
                ("execID", exec_id.to_string()),
                ("exitCode", exit_code.to_string()),
            ],
        );
    }

    /// moby's volume events of one run: `mount` (driver, container,
    /// destination, read/write, propagation) for each volume as a run
    /// starts, `unmount` (driver, container) as it ends.
    pub fn volume_messages(&self, action: &str) -> Vec<Message> {
        self.volumes
            .iter()
            .map(|v| {
                let mut a = BTreeMap::from([
                    ("driver".to_string(), "local".to_string()),
                    ("container".to_string(), self.id.clone()),
                ]);
                if action == "mount" {
                    a.insert("destination".into(), v.destination.clone());
                    a.insert("read/write".into(), v.read_write.to_string());
                    a.insert("propagation".into(), v.propagation.clone());
                }
                Message::now(message::VOLUME, action, &v.name, a)
            })
            .collect()
    }

    /// Record [`Self::volume_messages`] of `action`.
    pub fn emit_volumes(&self, action: &str) {
        let journal = Journal::new(self.journal.clone());
        for m in self.volume_messages(action) {
            journal.record(&m);
        }
    }
}

/// Record an event of an image, network or volume (`kind`, one of
/// [`message`]'s constants) under `data_root` (see [`Journal::record`]).
pub fn emit(
    data_root: &Path,
    kind: &str,
    action: &str,
    id: &str,
    attributes: BTreeMap<String, String>,
) {
    Journal::new(journal_dir(data_root)).record(&Message::now(kind, action, id, attributes));
}

/// A network's event: moby's `name` and `type` attributes, then `extra`
/// (`container` on connect and disconnect).
pub fn emit_network(
    data_root: &Path,
    action: &str,
    id: &str,
    name: &str,
    driver: &str,
    extra: &[(&str, String)],
) {
    let mut a = BTreeMap::from([
        ("name".to_string(), name.to_string()),
        ("type".to_string(), driver.to_string()),
    ]);
    for (k, v) in extra {
        a.insert((*k).to_string(), v.clone());
    }
    emit(data_root, message::NETWORK, action, id, a);
}

/// A volume's event: moby's `driver` attribute, then `extra` (`container`,
/// `destination`, `read/write`, `propagation` on mount).
pub fn emit_volume(data_root: &Path, action: &str, name: &str, extra: &[(&str, String)]) {
    let mut a = BTreeMap::from([("driver".to_string(), "local".to_string())]);
    for (k, v) in extra {
        a.insert((*k).to_string(), v.clone());
    }
    emit(data_root, message::VOLUME, action, name, a);
}

/// An image's event as moby's `LogImageEvent` records it: the image's
/// labels, then `name` (which wins over a label of that key); `id` is a
/// reference for pull and push, the image ID otherwise. `labels` is empty
/// for `delete` (the image is gone by then, as in moby).
pub fn emit_image(
    data_root: &Path,
    action: &str,
    id: &str,
    name: &str,
    labels: BTreeMap<String, String>,
) {
    emit(
        data_root,
        message::IMAGE,
        action,
        id,
        image_attributes(name, labels),
    );
}

fn image_attributes(name: &str, mut labels: BTreeMap<String, String>) -> BTreeMap<String, String> {
    labels.insert("name".to_string(), name.to_string());
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_actions_as_moby_writes_them() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            ContainerEvents::exec_action("exec_create", &argv(&["sh", "-c", "echo hi"])),
            "exec_create: sh -c echo hi"
        );
        assert_eq!(
            ContainerEvents::exec_action("exec_start", &argv(&["ls"])),
            "exec_start: ls "
        );
    }

    fn events(volumes: Vec<VolumeUse>) -> ContainerEvents {
        ContainerEvents {
            journal: "/j".into(),
            id: "c1".into(),
            name: "web".into(),
            image: "busybox".into(),
            labels: BTreeMap::new(),
            volumes,
        }
    }

    #[test]
    fn volume_mount_and_unmount_carry_mobys_attributes() {
        let ev = events(vec![
            VolumeUse {
                name: "data".into(),
                destination: "/data".into(),
                read_write: false,
                propagation: String::new(),
            },
            VolumeUse {
                name: "cache".into(),
                destination: "/cache".into(),
                read_write: true,
                propagation: "rprivate".into(),
            },
        ]);
        let mounts = ev.volume_messages("mount");
        assert_eq!(mounts.len(), 2);
        let m = &mounts[0];
        assert_eq!(
            (m.kind.as_str(), m.action.as_str(), m.actor.id.as_str()),
            ("volume", "mount", "data")
        );
        let want: BTreeMap<String, String> = [
            ("container", "c1"),
            ("destination", "/data"),
            ("driver", "local"),
            ("propagation", ""),
            ("read/write", "false"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(m.actor.attributes, want);
        assert_eq!(mounts[1].actor.attributes["read/write"], "true");
        assert_eq!(mounts[1].actor.attributes["propagation"], "rprivate");
        let unmounts = ev.volume_messages("unmount");
        let want: BTreeMap<String, String> = [("container", "c1"), ("driver", "local")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(unmounts[1].actor.id, "cache");
        assert_eq!(unmounts[1].actor.attributes, want);
        assert!(events(Vec::new()).volume_messages("mount").is_empty());
    }

    #[test]
    fn a_shim_json_without_volumes_still_loads() {
        let old = r#"{"journal":"/j","id":"c1","name":"web","image":"busybox","labels":{}}"#;
        let ev: ContainerEvents = serde_json::from_str(old).unwrap();
        assert!(ev.volumes.is_empty());
    }

    #[test]
    fn image_events_carry_labels_and_name_wins() {
        let labels = BTreeMap::from([
            ("org.x".to_string(), "1".to_string()),
            ("name".to_string(), "from-label".to_string()),
        ]);
        let a = image_attributes("busybox:latest", labels);
        assert_eq!(a["org.x"], "1");
        assert_eq!(a["name"], "busybox:latest");
    }
}
