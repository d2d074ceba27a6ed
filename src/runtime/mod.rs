//! The container runtime layer: generation of the OCI runtime spec
//! (`config.json`) with Docker's defaults — capabilities, seccomp, masked and
//! read-only paths, default mounts and device rules — from the image config
//! and `run` flags, resolution of users inside the image, and the driver for
//! the OCI runtime binary (`runc` by default, `crun` or any compatible binary
//! selectable) behind the [`runc::OciRuntime`] trait.
//!
//! This module never prints, never touches the metadata store and never
//! executes anything from an image on the host: image files (`/etc/passwd`,
//! `/etc/group`) are read through `openat2(RESOLVE_IN_ROOT)`.

pub mod caps;
pub mod devices;
pub mod runc;
pub mod seccomp;
pub mod spec;
pub mod user;
