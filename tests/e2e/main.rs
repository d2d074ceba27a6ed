//! Black-box tests: each case drives the built `berth` binary with its own
//! data root, state root, config, hosts dir and `DOCKER_CONFIG`, against a
//! loopback `docker-registry` started for that case, and checks output, exit
//! codes and on-disk effects the way a Docker user would.
//!
//! Cases that need root, runc, skopeo or the registry binary skip with a
//! message when those are missing, and fail instead when `CI=true`.
//! Run one group with `cargo test --test e2e pull::`; with
//! `BERTH_E2E_RUNTIME=crun` (a name or a path) the containers run with that
//! OCI runtime instead of runc.

mod support;

mod archive;
mod basic;
mod build;
mod compose_abort;
mod compose_attached;
mod compose_build;
mod compose_config;
mod compose_converge;
mod compose_dryrun;
mod compose_examples;
mod compose_files;
mod compose_orphans;
mod compose_recreate;
mod compose_refuse;
mod compose_resources;
mod compose_up;
mod compose_verbs;
mod container_admin;
mod container_io;
mod containers;
mod events;
mod events_objects;
mod faults;
mod full_disk;
mod harness;
mod health;
mod hostile_registry;
mod images;
mod import_commit;
mod limits;
mod login;
mod lost_db;
mod namespaces;
mod network;
mod network_cmd;
mod network_cmd_verbs;
mod network_connect;
mod network_connect_files;
mod network_connect_verbs;
mod network_dns;
mod network_dns_server;
mod network_gaps;
mod network_gaps2;
mod network_names;
mod network_ports_multi;
mod network_proxy;
mod network_rules;
mod network_shared;
mod pull;
mod push;
mod reliability;
mod restart;
mod security;
mod system;
mod tar_safety;
mod volume;
