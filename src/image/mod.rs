//! Everything about images: references with Docker's normalisation, the
//! registry client, the content store, manifests and configs, unpacking into
//! snapshots, and archives. It never prints; progress goes through callbacks.

pub mod digest;
pub mod manifest;
pub mod reference;
pub mod registry;
pub mod content;
pub mod lookup;
pub mod describe;
pub mod unpack;
