//! `berth commit [-a] [-c] [-m] [-p] CONTAINER [REPOSITORY[:TAG]]` (and
//! `container commit`): holds the container's lock, pauses it while its
//! changes are read (`--pause`, on by default, only when it runs), and
//! calls `image::commit::commit` with the container's effective config;
//! prints the new image ID (`sha256:...`) as Docker does.

use crate::cli::container::CommitArgs;
use crate::cmd::context::Context;
use crate::container::describe::{merged_env, merged_labels};
use crate::container::lifecycle;
use crate::container::spec::{ContainerSpec, MountKind};
use crate::image::change;
use crate::image::commit::{self, CommitRequest};
use crate::image::manifest::ContainerConfig;
use crate::image::reference::parse_tag_target;
use crate::store::containers::Status;
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Context, args: CommitArgs, out: &mut dyn Write) -> Result<u8> {
    let reference = args
        .reference
        .as_deref()
        .map(parse_tag_target)
        .transpose()?;
    let changes = change::parse_all(&args.change)?;
    let (host, mut store) = ctx.container_store()?;
    let found = lifecycle::find_row(&store, &args.container)?;
    let lock = host.lock(&found.id)?;
    let mut c = lifecycle::find(&store, &found.id)?;
    lifecycle::refresh(&host, &mut store, &mut c)?;
    let image = crate::image::read_config(&ctx.content(), &c.row.image_id)
        .ok()
        .and_then(|i| i.config);
    let req = CommitRequest {
        container_id: c.row.id.clone(),
        image_id: c.row.image_id.clone(),
        config: effective_config(&c.spec, image.as_ref()),
        changes,
        comment: args.message,
        author: args.author,
        hidden: super::diff::runtime_mount_points(&c.spec),
        reference,
    };
    let pause = args.pause && c.row.status == Status::Running;
    if pause {
        lifecycle::set_paused(&host, &mut store, &lock, &mut c, true)?;
    }
    let result = commit::commit(&mut store, &host.snapshots(), &req);
    if pause {
        lifecycle::set_paused(&host, &mut store, &lock, &mut c, false)?;
    }
    let id = result?;
    // moby tags the new image (a `tag` event) before it records `commit`.
    if let Some(r) = &req.reference {
        let id = id.to_string();
        crate::image::emit_event(&host.layout, "tag", &id, &r.familiar(), &id);
    }
    host.emit(
        &c.row,
        &c.spec,
        "commit",
        &[
            ("comment", req.comment.clone().unwrap_or_default()),
            ("imageID", id.to_string()),
            (
                "imageRef",
                req.reference
                    .as_ref()
                    .map(|r| r.familiar())
                    .unwrap_or_default(),
            ),
        ],
    );
    writeln!(out, "{id}")?;
    Ok(0)
}

/// The container's config as Docker keeps it: the image's defaults with
/// what `run`/`create` set over them.
fn effective_config(spec: &ContainerSpec, image: Option<&ContainerConfig>) -> ContainerConfig {
    let mut cfg = image.cloned().unwrap_or_default();
    let image_env = cfg.env.clone().unwrap_or_default();
    cfg.env = Some(merged_env(&image_env, &spec.env));
    if let Some(e) = &spec.entrypoint {
        let e: Vec<String> = e.iter().filter(|s| !s.is_empty()).cloned().collect();
        cfg.entrypoint = (!e.is_empty()).then_some(e);
        cfg.cmd = None;
    }
    if !spec.cmd.is_empty() {
        cfg.cmd = Some(spec.cmd.clone());
    }
    if let Some(u) = &spec.user {
        cfg.user = Some(u.clone());
    }
    if let Some(w) = &spec.working_dir {
        cfg.working_dir = Some(w.clone());
    }
    let labels = merged_labels(cfg.labels.as_ref(), &spec.labels);
    cfg.labels = (!labels.is_empty()).then_some(labels);
    if !spec.exposed.is_empty() {
        let ports = cfg.exposed_ports.get_or_insert_with(Default::default);
        for p in &spec.exposed {
            ports.insert(p.clone(), serde_json::json!({}));
        }
    }
    for m in &spec.mounts {
        if m.kind == MountKind::Volume && m.anonymous {
            cfg.volumes
                .get_or_insert_with(Default::default)
                .insert(m.destination.clone(), serde_json::json!({}));
        }
    }
    if let Some(s) = &spec.stop_signal {
        cfg.stop_signal = Some(s.name().to_string());
    }
    cfg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_settings_override_the_image() {
        let image = ContainerConfig {
            env: Some(vec!["PATH=/bin".into(), "A=1".into()]),
            cmd: Some(vec!["sh".into()]),
            working_dir: Some("/".into()),
            ..Default::default()
        };
        let spec = ContainerSpec {
            env: vec!["A=2".into(), "B=3".into()],
            cmd: vec!["top".into()],
            working_dir: Some("/srv".into()),
            ..Default::default()
        };
        let c = effective_config(&spec, Some(&image));
        assert_eq!(c.env.unwrap(), ["A=2", "B=3", "PATH=/bin"]);
        assert_eq!(c.cmd, Some(vec!["top".into()]));
        assert_eq!(c.working_dir.as_deref(), Some("/srv"));
        let spec = ContainerSpec {
            entrypoint: Some(vec!["echo".into()]),
            ..Default::default()
        };
        let c = effective_config(&spec, Some(&image));
        assert_eq!(c.entrypoint, Some(vec!["echo".into()]));
        assert_eq!(c.cmd, None);
    }
}
