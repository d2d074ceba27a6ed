//! Containers as berth keeps them: records and their persisted config,
//! generated names, the state machine and its reconciliation with the shim's
//! files, and the lifecycle operations (create, start, stop, kill, remove)
//! that compose the snapshotter, the runtime spec, the shim and the store.
//! It never prints; commands in `cmd/container` do.

pub mod config;
pub mod copy;
pub mod describe;
pub mod exec;
pub mod lifecycle;
pub mod mounts;
pub mod names;
pub mod options;
pub mod state;
pub mod stats;
