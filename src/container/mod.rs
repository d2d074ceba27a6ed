//! Containers as berth keeps them: plain create options validated once
//! (`options`) into the typed, versioned spec the store keeps (`spec`),
//! records and generated names, the state machine and its reconciliation with
//! the shim's files, and the lifecycle operations (create, start, stop, kill,
//! remove) on a [`lifecycle::Container`] (record and spec, loaded once per
//! operation) that compose the snapshotter, the runtime spec, the shim and the
//! store. It never prints; commands in `cmd/container` do.

pub mod copy;
pub mod describe;
pub mod exec;
pub mod exit;
#[cfg(test)]
pub mod fakes;
pub mod lifecycle;
pub mod mounts;
pub mod names;
pub mod netconnect;
pub mod options;
pub mod restart;
pub mod spec;
pub mod state;
pub mod stats;
pub mod update;
pub mod wait;
