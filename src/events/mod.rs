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

/// An image's event as moby logs it: `name` beside the image's labels
/// (left out here); `id` is a reference for pull and push, the image ID
/// otherwise.
pub fn emit_image(data_root: &Path, action: &str, id: &str, name: &str) {
    let a = BTreeMap::from([("name".to_string(), name.to_string())]);
    emit(data_root, message::IMAGE, action, id, a);
}
