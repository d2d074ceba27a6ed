//! Compose: the compose-spec model loaded as `docker compose` (compose-go)
//! loads it. `yaml` reads files into a generic tree; `dotenv` and
//! `interpolate` resolve variables; `merge` applies override files,
//! `!reset`/`!override`, `extends` and `include`; `normalize` expands short
//! syntax into the canonical long form `docker compose config` prints;
//! `project` finds the files, the project name and the active profiles and
//! runs the whole load; `service` types each service (with the per-key
//! support table), `resources` reports the top-level networks' and
//! volumes' drivers berth cannot honour, and `plan` decides what `up`
//! changes. Nothing here creates
//! containers, networks or volumes (`cmd/compose/` does, through the same
//! engine functions as `create`, `network create` and `volume create`).

pub mod canonical;
pub mod containers;
pub mod dotenv;
pub mod files;
pub mod interpolate;
pub mod merge;
pub mod plan;
pub mod project;
pub mod render;
pub mod resources;
pub mod schema;
pub mod service;
pub mod yaml;

/// An I/O error's reason as Go prints it (`no such file or directory`),
/// without Rust's `(os error N)`.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => s,
    }
}
