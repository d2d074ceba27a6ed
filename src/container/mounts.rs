//! The mount flags of `run`/`create` turned into [`MountSpec`]s: `-v`,
//! `--mount` and `--tmpfs`, plus the image's `VOLUME`s ([`resolve`]) and the
//! creation of missing `-v` bind sources ([`prepare_bind_sources`]).
//!
//! Docker behaviour followed (moby `volume/mounts/linux_parser.go`,
//! docker/cli `opts/mount.go` and `cli/command/container/opts.go`):
//! - `-v SRC:DST[:MODE]`: an absolute SRC is a bind, `.` or `./x` a bind of
//!   that path made absolute (docker CLI 23+), anything else a volume name,
//!   refused with Docker's "includes invalid characters" error when it is not
//!   one (so `../x` and `x/y` fail); `-v DST` is an anonymous volume;
//!   `-v DST:MODE` is invalid. Modes: `ro`/`rw`, `nocopy` (volumes),
//!   a propagation (`[r]shared`, `[r]slave`, `[r]private`; binds), `z`/`Z`,
//!   and the consistency hints `consistent`/`cached`/`delegated`.
//! - `--mount` is CSV (`"quoted,fields"` allowed) with Docker's keys; an
//!   unknown key is an error, and so are the Docker keys berth cannot honor
//!   (`volume-label`, `volume-opt`, `volume-subpath`, `bind-recursive`,
//!   `bind-nonrecursive`, a driver other than `local`) — never silently
//!   dropped. `type` defaults to `volume`; a bind source must exist.
//! - `--tmpfs DST[:OPTS]` with the tmpfs and generic mount options Docker
//!   accepts (`size=64m,mode=1777,uid=,gid=,nr_inodes=,exec,...`).
//! - Destinations must be absolute and not `/`; they are cleaned like Go's
//!   `filepath.Clean`, and two mounts on one destination are refused
//!   (`Duplicate mount point: /x`).
//!
//! Why some modes are accepted without an effect of their own:
//! - `z`/`Z` ask for an SELinux relabel. Docker's relabel is a no-op on a host
//!   without SELinux, which is what berth does there; on a host with SELinux
//!   enabled berth cannot relabel and refuses the mode instead.
//! - `consistent`/`cached`/`delegated` are Docker Desktop file-sharing hints;
//!   a Linux bind mount is always consistent, and Docker's Linux engine
//!   accepts and ignores them the same way (compose files use them).
//!
//! What a [`MountSpec`] carries: for binds, `options` is the propagation
//! (None: the runtime's default `rprivate`); for tmpfs, `options` is the
//! comma-separated tmpfs data (`size=67108864,mode=1777`, no `ro`/`rw`: those
//! are in `readonly`); for volumes it is None, and an anonymous volume has an
//! empty `source` until `volume::ensure` names it.

use super::spec::{MountKind, MountSpec};
use crate::volume::{self, VolumeError};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum MountError {
    #[error("invalid volume specification: '{0}'")]
    InvalidSpec(String),
    #[error("invalid volume specification: '{spec}': {reason}")]
    Spec { spec: String, reason: String },
    #[error(transparent)]
    VolumeName(#[from] VolumeError),
    #[error("invalid mount config for type \"{kind}\": {reason}")]
    Config { kind: String, reason: String },
    #[error("invalid argument \"{spec}\" for \"--mount\" flag: {reason}")]
    MountFlag { spec: String, reason: String },
    #[error("invalid argument \"{spec}\" for \"--tmpfs\" flag: {reason}")]
    TmpfsFlag { spec: String, reason: String },
    #[error("invalid image VOLUME {path}: {reason}")]
    ImageVolume { path: String, reason: String },
    #[error("Duplicate mount point: {0}")]
    Duplicate(String),
    #[error("volumes-from specification cannot be an empty string")]
    VolumesFromEmpty,
    #[error("invalid mode for volumes-from: {0}")]
    VolumesFromMode(String),
    #[error("creating bind source {path}: {source}")]
    CreateSource {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("resolving relative bind source {path}: {source}")]
    CurrentDir {
        path: String,
        source: std::io::Error,
    },
}

const PROPAGATIONS: &[&str] = &[
    "private", "rprivate", "shared", "rshared", "slave", "rslave",
];
const CONSISTENCY: &[&str] = &["default", "consistent", "cached", "delegated"];

/// Go's `filepath.Clean` for an absolute path: no `//`, `.` or `..` left.
fn clean_abs(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// A cleaned container destination, or Docker's reason it is not one.
fn check_destination(dest: &str) -> Result<String, String> {
    if dest.is_empty() {
        return Err("field Target must not be empty".into());
    }
    if !dest.starts_with('/') {
        return Err(format!(
            "invalid mount path: '{dest}' mount path must be absolute"
        ));
    }
    let clean = clean_abs(dest);
    if clean == "/" {
        return Err("invalid specification: destination can't be '/'".into());
    }
    Ok(clean)
}

/// `.` and `./x` as host paths: made absolute against the current directory,
/// as the docker CLI does. Other relative sources stay as they are.
fn absolutize_dot(src: &str) -> Result<String, MountError> {
    if src == "." || src.starts_with("./") {
        let cwd = std::env::current_dir().map_err(|source| MountError::CurrentDir {
            path: src.to_string(),
            source,
        })?;
        return Ok(clean_abs(&cwd.join(src).to_string_lossy()));
    }
    Ok(src.to_string())
}

/// Whether SELinux is enabled on this host (selinuxfs mounted).
fn selinux_enabled() -> bool {
    Path::new("/sys/fs/selinux/enforce").exists()
}

/// The modes of a `-v` spec.
#[derive(Debug, Default)]
struct Modes {
    readonly: Option<bool>,
    relabel: bool,
    propagation: Option<String>,
    nocopy: bool,
    consistency: bool,
}

/// Parse `ro,nocopy,...`; Err holds the reason (Docker: `invalid mode: <mode>`).
fn parse_modes(mode: &str) -> Result<Modes, String> {
    let bad = || format!("invalid mode: {mode}");
    let mut m = Modes::default();
    for item in mode.split(',') {
        match item {
            "ro" | "rw" if m.readonly.is_none() => m.readonly = Some(item == "ro"),
            "z" | "Z" if !m.relabel => m.relabel = true,
            "nocopy" if !m.nocopy => m.nocopy = true,
            p if PROPAGATIONS.contains(&p) && m.propagation.is_none() => {
                m.propagation = Some(p.to_string())
            }
            c if CONSISTENCY.contains(&c) && c != "default" && !m.consistency => {
                m.consistency = true
            }
            _ => return Err(bad()),
        }
    }
    Ok(m)
}

/// One `--volumes-from` value: the container and whether its mounts come
/// read-only (moby's `ParseVolumesFrom`: `name[:mode]`, a mount mode
/// without propagation or `nocopy`; `ro` anywhere in it makes them
/// read-only, `rw` or nothing keeps each mount's own mode).
pub fn parse_volumes_from(spec: &str) -> Result<(String, bool), MountError> {
    if spec.is_empty() {
        return Err(MountError::VolumesFromEmpty);
    }
    let (id, mode) = spec.split_once(':').unwrap_or((spec, ""));
    if mode.is_empty() {
        return Ok((id.to_string(), false));
    }
    let bad = || MountError::VolumesFromMode(mode.to_string());
    let m = parse_modes(mode).map_err(|_| bad())?;
    if m.propagation.is_some() || m.nocopy || m.consistency {
        return Err(bad());
    }
    Ok((id.to_string(), m.readonly == Some(true)))
}

/// The mounts a `--volumes-from` container passes on: every mount of the
/// donor at the same destination, read-only when the donor's is or when
/// asked; the volumes are the donor's (never removed with this container,
/// never seeded again: moby's `CopyData: false`).
pub fn inherited_from(donor: &[MountSpec], readonly: bool) -> Vec<MountSpec> {
    donor
        .iter()
        .map(|m| MountSpec {
            readonly: m.readonly || readonly,
            anonymous: false,
            nocopy: m.kind == MountKind::Volume || m.nocopy,
            inherited: true,
            ..m.clone()
        })
        .collect()
}

/// Parse one `-v`/`--volume` value.
pub fn parse_volume_flag(s: &str) -> Result<MountSpec, MountError> {
    let invalid = || MountError::InvalidSpec(s.to_string());
    let parts: Vec<&str> = s.split(':').collect();
    let (source, dest, mode) = match parts.as_slice() {
        [d] => (None, *d, None),
        // `/foo:rw` is a destination with a mode, which a volume cannot have.
        [_, m] if parse_modes(m).is_ok() => return Err(invalid()),
        [src, d] => (Some(*src), *d, None),
        [src, d, m] => (Some(*src), *d, Some(*m)),
        _ => return Err(invalid()),
    };
    if dest.is_empty() || source == Some("") || mode == Some("") {
        return Err(invalid());
    }
    let spec_err = |reason: String| MountError::Spec {
        spec: s.to_string(),
        reason,
    };
    let (kind, source) = match source {
        None => (MountKind::Volume, String::new()),
        Some(src) => {
            let src = absolutize_dot(src)?;
            if src.starts_with('/') {
                (MountKind::Bind, clean_abs(&src))
            } else {
                volume::validate_name(&src)?;
                (MountKind::Volume, src)
            }
        }
    };
    let config_err = |reason: String| {
        spec_err(format!(
            "invalid mount config for type \"{}\": {reason}",
            kind.as_str()
        ))
    };
    let destination = check_destination(dest).map_err(config_err)?;
    let modes = match mode {
        Some(m) => parse_modes(m).map_err(spec_err)?,
        None => Modes::default(),
    };
    if modes.relabel && selinux_enabled() {
        return Err(spec_err(
            "SELinux relabeling (z/Z) is not supported by berth; relabel the host path with chcon instead".into(),
        ));
    }
    if let (MountKind::Volume, Some(p)) = (kind, &modes.propagation) {
        return Err(spec_err(format!(
            "propagation mode {p} is only valid for bind mounts"
        )));
    }
    if kind == MountKind::Bind && modes.nocopy {
        return Err(spec_err("nocopy is only valid for volumes".into()));
    }
    Ok(MountSpec {
        kind,
        anonymous: kind == MountKind::Volume && source.is_empty(),
        source,
        destination,
        readonly: modes.readonly.unwrap_or(false),
        options: modes.propagation,
        nocopy: modes.nocopy,
        inherited: false,
    })
}

/// Split a CSV record the way Go's `encoding/csv` does (quotes, `""`).
fn split_csv(s: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("extraneous or missing \" in quoted-field".into()),
                }
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(',') => fields.push(field),
                Some(_) => return Err("extraneous or missing \" in quoted-field".into()),
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(',') => break,
                    Some('"') => return Err("bare \" in non-quoted-field".into()),
                    Some(c) => field.push(c),
                }
            }
            fields.push(field);
        }
    }
}

/// Go's `strconv.ParseBool`.
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Parse one `--mount` value.
pub fn parse_mount_flag(s: &str) -> Result<MountSpec, MountError> {
    let flag_err = |reason: String| MountError::MountFlag {
        spec: s.to_string(),
        reason,
    };
    let mut kind = "volume".to_string();
    let mut source = String::new();
    let mut target = String::new();
    let mut readonly = false;
    let mut nocopy = false;
    let mut propagation = None;
    let mut tmpfs: Vec<String> = Vec::new();
    // Which kind-specific option groups were given (Docker's "must not be
    // specified" checks).
    let (mut bind_opts, mut volume_opts) = (false, false);
    for field in split_csv(s).map_err(flag_err)? {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(v.to_string())),
            None => (field.to_ascii_lowercase(), None),
        };
        let bool_value = |v: &Option<String>| -> Result<bool, MountError> {
            match v {
                None => Ok(true),
                Some(v) => {
                    parse_bool(v).ok_or_else(|| flag_err(format!("invalid value for {key}: {v}")))
                }
            }
        };
        match key.as_str() {
            "readonly" | "ro" => readonly = bool_value(&value)?,
            "volume-nocopy" => {
                nocopy = bool_value(&value)?;
                volume_opts = true;
            }
            "bind-recursive" | "bind-nonrecursive" | "volume-label" | "volume-opt"
            | "volume-subpath" => {
                return Err(flag_err(format!("'{key}' is not supported by berth")))
            }
            _ => {
                let Some(v) = value else {
                    return Err(flag_err(format!(
                        "invalid field '{field}' must be a key=value pair"
                    )));
                };
                match key.as_str() {
                    "type" => kind = v.to_ascii_lowercase(),
                    "source" | "src" => source = absolutize_dot(&v)?,
                    "target" | "destination" | "dst" => target = v,
                    "consistency" => {
                        if !CONSISTENCY.contains(&v.as_str()) {
                            return Err(flag_err(format!("invalid value for {key}: {v}")));
                        }
                    }
                    "bind-propagation" => {
                        if !PROPAGATIONS.contains(&v.as_str()) {
                            return Err(flag_err(format!("invalid value for {key}: {v}")));
                        }
                        propagation = Some(v);
                        bind_opts = true;
                    }
                    "volume-driver" => {
                        if v != volume::LOCAL_DRIVER {
                            return Err(flag_err(format!(
                                "volume driver \"{v}\" is not supported (berth has only \"local\")"
                            )));
                        }
                        volume_opts = true;
                    }
                    "tmpfs-size" => {
                        let n = crate::format::units::parse_size(&v)
                            .ok()
                            .filter(|n| *n >= 0)
                            .ok_or_else(|| flag_err(format!("invalid value for {key}: {v}")))?;
                        tmpfs.push(format!("size={n}"));
                    }
                    "tmpfs-mode" => {
                        let m = u32::from_str_radix(&v, 8)
                            .ok()
                            .filter(|m| *m <= 0o7777)
                            .ok_or_else(|| flag_err(format!("invalid value for {key}: {v}")))?;
                        tmpfs.push(format!("mode={m:o}"));
                    }
                    _ => return Err(flag_err(format!("unexpected key '{key}' in '{field}'"))),
                }
            }
        }
    }
    let config_err = |reason: String| MountError::Config {
        kind: kind.clone(),
        reason,
    };
    let extra = |name: &str| config_err(format!("field {name} must not be specified"));
    let destination = check_destination(&target).map_err(config_err)?;
    let kind = match kind.as_str() {
        "bind" => MountKind::Bind,
        "volume" => MountKind::Volume,
        "tmpfs" => MountKind::Tmpfs,
        _ => return Err(config_err("mount type unknown".into())),
    };
    match kind {
        MountKind::Bind => {
            if volume_opts {
                return Err(extra("VolumeOptions"));
            }
            if !tmpfs.is_empty() {
                return Err(extra("TmpfsOptions"));
            }
            if source.is_empty() {
                return Err(config_err("field Source must not be empty".into()));
            }
            if !source.starts_with('/') {
                return Err(config_err(format!(
                    "invalid mount path: '{source}' mount path must be absolute"
                )));
            }
            let source = clean_abs(&source);
            if std::fs::metadata(&source).is_err() {
                return Err(config_err(format!(
                    "bind source path does not exist: {source}"
                )));
            }
            Ok(MountSpec {
                kind,
                source,
                destination,
                readonly,
                options: propagation,
                anonymous: false,
                nocopy: false,
                inherited: false,
            })
        }
        MountKind::Volume => {
            if bind_opts {
                return Err(extra("BindOptions"));
            }
            if !tmpfs.is_empty() {
                return Err(extra("TmpfsOptions"));
            }
            if !source.is_empty() {
                volume::validate_name(&source)?;
            }
            Ok(MountSpec {
                kind,
                anonymous: source.is_empty(),
                source,
                destination,
                readonly,
                options: None,
                nocopy,
                inherited: false,
            })
        }
        MountKind::Tmpfs => {
            if bind_opts {
                return Err(extra("BindOptions"));
            }
            if volume_opts {
                return Err(extra("VolumeOptions"));
            }
            if !source.is_empty() {
                return Err(extra("Source"));
            }
            Ok(MountSpec {
                kind,
                source,
                destination,
                readonly,
                options: (!tmpfs.is_empty()).then(|| tmpfs.join(",")),
                anonymous: false,
                nocopy: false,
                inherited: false,
            })
        }
    }
}

/// Mount flags (`MS_*`) a tmpfs accepts as options, as Docker's list.
const TMPFS_FLAGS: &[&str] = &[
    "ro",
    "rw",
    "suid",
    "nosuid",
    "dev",
    "nodev",
    "exec",
    "noexec",
    "sync",
    "async",
    "dirsync",
    "mand",
    "nomand",
    "atime",
    "noatime",
    "diratime",
    "nodiratime",
    "relatime",
    "norelatime",
    "strictatime",
    "nostrictatime",
    "tmpcopyup",
    "notmpcopyup",
];
/// tmpfs data options (`key=value`).
const TMPFS_DATA: &[&str] = &[
    "size",
    "mode",
    "uid",
    "gid",
    "nr_inodes",
    "nr_blocks",
    "mpol",
    "huge",
];

/// Parse one `--tmpfs` value: `DST[:opt,opt...]`.
pub fn parse_tmpfs_flag(s: &str) -> Result<MountSpec, MountError> {
    let (dest, opts) = s.split_once(':').unwrap_or((s, ""));
    let destination = check_destination(dest).map_err(|reason| MountError::Config {
        kind: "tmpfs".into(),
        reason,
    })?;
    let mut readonly = false;
    let mut data = Vec::new();
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        match o.split_once('=') {
            None if o == "ro" || o == "rw" => readonly = o == "ro",
            None if TMPFS_FLAGS.contains(&o) => data.push(o.to_string()),
            Some((k, v)) if TMPFS_DATA.contains(&k) && !v.is_empty() => data.push(o.to_string()),
            _ => {
                return Err(MountError::TmpfsFlag {
                    spec: s.to_string(),
                    reason: format!("invalid tmpfs option \"{o}\""),
                })
            }
        }
    }
    Ok(MountSpec {
        kind: MountKind::Tmpfs,
        source: String::new(),
        destination,
        readonly,
        options: (!data.is_empty()).then(|| data.join(",")),
        anonymous: false,
        nocopy: false,
        inherited: false,
    })
}

/// The container's mounts: the user's (from the three flags, in order) plus an
/// anonymous volume for each image `VOLUME` no user mount covers. Two mounts
/// on one destination are refused.
pub fn resolve(
    user: Vec<MountSpec>,
    image_volumes: &[String],
) -> Result<Vec<MountSpec>, MountError> {
    let mut seen = HashSet::new();
    for m in &user {
        if !seen.insert(clean_abs(&m.destination)) {
            return Err(MountError::Duplicate(m.destination.clone()));
        }
    }
    let mut out = user;
    for v in image_volumes {
        let abs = if v.starts_with('/') {
            v.clone()
        } else {
            format!("/{v}")
        };
        let destination = check_destination(&abs).map_err(|reason| MountError::ImageVolume {
            path: v.clone(),
            reason,
        })?;
        if seen.insert(destination.clone()) {
            out.push(MountSpec {
                kind: MountKind::Volume,
                source: String::new(),
                destination,
                readonly: false,
                options: None,
                anonymous: true,
                nocopy: false,
                inherited: false,
            });
        }
    }
    Ok(out)
}

/// Give each anonymous volume mount (empty `source`) a generated volume name
/// (64 hex characters), so the name is in the container's persisted config
/// before `volume::ensure(store, Some(&m.source), true)` creates the volume.
/// Call it right after [`resolve`].
pub fn name_anonymous_volumes(mounts: &mut [MountSpec]) {
    for m in mounts
        .iter_mut()
        .filter(|m| m.kind == MountKind::Volume && m.source.is_empty())
    {
        m.anonymous = true;
        m.source = volume::generate_name();
    }
}

/// Create the missing host directories of `-v` binds (mode 0755, parents
/// included), as Docker does for `-v`. `--mount type=bind` sources were
/// checked to exist when parsed, so every missing source here is a `-v` one.
/// Call it at create time, before the runtime spec is written. Returns the
/// directories it created.
pub fn prepare_bind_sources(mounts: &[MountSpec]) -> Result<Vec<PathBuf>, MountError> {
    use std::os::unix::fs::DirBuilderExt;
    let mut created = Vec::new();
    for m in mounts.iter().filter(|m| m.kind == MountKind::Bind) {
        let p = Path::new(&m.source);
        if std::fs::metadata(p).is_ok() {
            continue;
        }
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(p)
            .map_err(|source| MountError::CreateSource {
                path: p.to_path_buf(),
                source,
            })?;
        created.push(p.to_path_buf());
    }
    Ok(created)
}

/// Mount points every berth container gets from the runtime spec: `diff`
/// hides them, `commit` and `build` keep them out of layers.
const RUNTIME_PATHS: &[&str] = &[
    "/proc",
    "/dev",
    "/sys",
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
];

/// Where the runtime mounts something into this container.
pub fn runtime_mount_points(
    cfg: &crate::container::spec::ContainerSpec,
) -> Vec<std::path::PathBuf> {
    let mut v: Vec<std::path::PathBuf> =
        RUNTIME_PATHS.iter().map(std::path::PathBuf::from).collect();
    if cfg.init {
        v.push(crate::runtime::spec::INIT_PATH_IN_CONTAINER.into());
    }
    v.extend(
        cfg.mounts
            .iter()
            .map(|m| std::path::PathBuf::from(&m.destination)),
    );
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> MountSpec {
        parse_volume_flag(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }
    fn v_err(s: &str) -> String {
        parse_volume_flag(s).expect_err(s).to_string()
    }
    fn m(s: &str) -> MountSpec {
        parse_mount_flag(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }
    fn m_err(s: &str) -> String {
        parse_mount_flag(s).expect_err(s).to_string()
    }

    #[test]
    fn volumes_from_modes_and_inheritance() {
        assert_eq!(parse_volumes_from("db").unwrap(), ("db".into(), false));
        assert_eq!(parse_volumes_from("db:ro").unwrap(), ("db".into(), true));
        assert_eq!(parse_volumes_from("db:rw").unwrap(), ("db".into(), false));
        assert_eq!(parse_volumes_from("db:ro,z").unwrap(), ("db".into(), true));
        for bad in ["db:rshared", "db:nocopy", "db:bogus", "db:ro,rw"] {
            let mode = bad.split_once(':').unwrap().1;
            assert_eq!(
                parse_volumes_from(bad).unwrap_err().to_string(),
                format!("invalid mode for volumes-from: {mode}")
            );
        }
        assert_eq!(
            parse_volumes_from("").unwrap_err().to_string(),
            "volumes-from specification cannot be an empty string"
        );
        let donor = [v("/h:/bound:ro"), v("named:/data"), v("/anon")];
        let got = inherited_from(&donor, false);
        assert!(got.iter().all(|m| m.inherited && !m.anonymous));
        assert_eq!(
            got.iter().map(|m| m.readonly).collect::<Vec<_>>(),
            [true, false, false]
        );
        assert!(got[1].nocopy, "a donor's volume is not seeded again");
        assert!(inherited_from(&donor, true).iter().all(|m| m.readonly));
    }

    #[test]
    fn volume_flag_bind() {
        let b = v("/host/dir/:/data//x/:ro");
        assert_eq!(b.kind, MountKind::Bind);
        assert_eq!(b.source, "/host/dir");
        assert_eq!(b.destination, "/data/x");
        assert!(b.readonly);
        assert_eq!(b.options, None);
        let b = v("/h:/d:rw,rshared");
        assert!(!b.readonly);
        assert_eq!(b.options.as_deref(), Some("rshared"));
        let b = v("/h:/d:cached");
        assert_eq!(b.kind, MountKind::Bind);
    }

    #[test]
    fn volume_flag_dot_paths_are_binds() {
        let cwd = std::env::current_dir().unwrap();
        let b = v("./sub/../x:/d");
        assert_eq!(b.kind, MountKind::Bind);
        assert_eq!(b.source, format!("{}/x", cwd.display()));
        assert_eq!(v(".:/d").source, cwd.display().to_string());
    }

    #[test]
    fn volume_flag_named_and_anonymous() {
        let n = v("data:/var/lib/db:ro,nocopy");
        assert_eq!(n.kind, MountKind::Volume);
        assert_eq!(n.source, "data");
        assert!(n.readonly && n.nocopy && !n.anonymous);
        let a = v("/cache");
        assert_eq!(a.kind, MountKind::Volume);
        assert!(a.anonymous);
        assert_eq!(a.source, "");
        assert_eq!(a.destination, "/cache");
    }

    #[test]
    fn volume_flag_errors() {
        let e = v_err("../x:/d");
        assert_eq!(
            e,
            "create ../x: \"../x\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
        );
        assert!(v_err("a/b:/d").contains("includes invalid characters"));
        assert!(
            v_err("x:/d").contains("includes invalid characters"),
            "one-char name"
        );
        assert_eq!(
            v_err("/data:ro"),
            "invalid volume specification: '/data:ro'"
        );
        assert_eq!(
            v_err("/a:/b:/c:ro"),
            "invalid volume specification: '/a:/b:/c:ro'"
        );
        assert_eq!(v_err(":/d"), "invalid volume specification: ':/d'");
        assert_eq!(v_err("/a:/b:"), "invalid volume specification: '/a:/b:'");
        assert_eq!(
            v_err("/a:rel"),
            "invalid volume specification: '/a:rel': invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute"
        );
        assert_eq!(
            v_err("/a:/"),
            "invalid volume specification: '/a:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'"
        );
        assert!(v_err("/a:/b/..").contains("destination can't be '/'"));
        assert!(v_err("rel").contains("mount path must be absolute"));
        assert_eq!(
            v_err("/a:/b:ro,rw"),
            "invalid volume specification: '/a:/b:ro,rw': invalid mode: ro,rw"
        );
        assert!(v_err("/a:/b:bogus").contains("invalid mode: bogus"));
        assert!(v_err("vol:/b:rshared").contains("only valid for bind mounts"));
        assert!(v_err("/a:/b:nocopy").contains("only valid for volumes"));
    }

    #[test]
    fn volume_flag_relabel_follows_the_host() {
        if selinux_enabled() {
            assert!(v_err("/a:/b:z").contains("SELinux"));
        } else {
            assert_eq!(v("/a:/b:Z,ro").source, "/a");
        }
        assert!(v_err("/a:/b:z,Z").contains("invalid mode"));
    }

    #[test]
    fn mount_flag_bind() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().display().to_string();
        let b = m(&format!(
            "type=bind,source={src},target=/x,readonly,bind-propagation=rslave"
        ));
        assert_eq!(b.kind, MountKind::Bind);
        assert_eq!(b.source, src);
        assert_eq!(b.destination, "/x");
        assert!(b.readonly);
        assert_eq!(b.options.as_deref(), Some("rslave"));
        let b = m(&format!("\"type=bind\",src={src},dst=/x,ro=false"));
        assert!(!b.readonly);
        let missing = format!("{src}/nope");
        assert_eq!(
            m_err(&format!("type=bind,src={missing},dst=/x")),
            format!("invalid mount config for type \"bind\": bind source path does not exist: {missing}")
        );
        assert_eq!(
            m_err("type=bind,dst=/x"),
            "invalid mount config for type \"bind\": field Source must not be empty"
        );
        assert!(m_err("type=bind,src=rel/x,dst=/x").contains("mount path must be absolute"));
        assert!(m_err(&format!("type=bind,src={src},dst=/x,volume-nocopy"))
            .contains("field VolumeOptions must not be specified"));
        assert!(m_err(&format!("type=bind,src={src},dst=/x,tmpfs-size=1m"))
            .contains("field TmpfsOptions must not be specified"));
    }

    #[test]
    fn mount_flag_volume() {
        let n = m("source=db,target=/var/lib/db,volume-nocopy,volume-driver=local");
        assert_eq!(n.kind, MountKind::Volume);
        assert_eq!(n.source, "db");
        assert!(n.nocopy && !n.anonymous && !n.readonly);
        let a = m("type=volume,destination=/data");
        assert!(a.anonymous);
        assert_eq!(a.source, "");
        assert!(m_err("type=volume,src=a/b,dst=/x").contains("includes invalid characters"));
        assert!(m_err("type=volume,src=v1,dst=/x,bind-propagation=shared")
            .contains("field BindOptions must not be specified"));
        assert!(m_err("type=volume,src=v1,dst=/x,volume-driver=nfs").contains("not supported"));
        assert!(m_err("type=volume,src=v1,dst=/x,volume-label=a=b").contains("not supported"));
    }

    #[test]
    fn mount_flag_tmpfs() {
        let t = m("type=tmpfs,dst=/run,tmpfs-size=64m,tmpfs-mode=1770");
        assert_eq!(t.kind, MountKind::Tmpfs);
        assert_eq!(t.options.as_deref(), Some("size=67108864,mode=1770"));
        let t = m("type=tmpfs,dst=/run,ro");
        assert!(t.readonly);
        assert_eq!(t.options, None);
        assert_eq!(
            m_err("type=tmpfs,src=x,dst=/run"),
            "invalid mount config for type \"tmpfs\": field Source must not be specified"
        );
        assert!(m_err("type=tmpfs,dst=/run,tmpfs-mode=99").contains("invalid value for tmpfs-mode"));
        assert!(
            m_err("type=tmpfs,dst=/run,tmpfs-size=lots").contains("invalid value for tmpfs-size")
        );
    }

    #[test]
    fn mount_flag_errors() {
        assert_eq!(
            m_err("type=volume,dst=/x,foo=bar"),
            "invalid argument \"type=volume,dst=/x,foo=bar\" for \"--mount\" flag: unexpected key 'foo' in 'foo=bar'"
        );
        assert!(m_err("type=volume,dst").contains("invalid field 'dst' must be a key=value pair"));
        assert!(m_err("type=volume,dst=/x,ro=maybe").contains("invalid value for ro: maybe"));
        assert_eq!(
            m_err("type=npipe,dst=/x"),
            "invalid mount config for type \"npipe\": mount type unknown"
        );
        assert_eq!(
            m_err("type=volume"),
            "invalid mount config for type \"volume\": field Target must not be empty"
        );
        assert!(m_err("type=volume,dst=/").contains("destination can't be '/'"));
        assert!(m_err("type=volume,dst=/x,src=a\"b").contains("bare \""));
    }

    #[test]
    fn csv_fields() {
        assert_eq!(split_csv("a,b").unwrap(), ["a", "b"]);
        assert_eq!(split_csv("\"a,b\",c").unwrap(), ["a,b", "c"]);
        assert_eq!(split_csv("\"say \"\"hi\"\"\"").unwrap(), ["say \"hi\""]);
        assert_eq!(split_csv("a,").unwrap(), ["a", ""]);
        assert!(split_csv("\"open").is_err());
    }

    #[test]
    fn tmpfs_flag() {
        let t = parse_tmpfs_flag("/run").unwrap();
        assert_eq!(t.kind, MountKind::Tmpfs);
        assert_eq!(t.destination, "/run");
        assert_eq!(t.options, None);
        assert!(!t.readonly);
        let t = parse_tmpfs_flag("/run/:size=64m,mode=1777,ro,exec,uid=1000").unwrap();
        assert_eq!(t.destination, "/run");
        assert_eq!(
            t.options.as_deref(),
            Some("size=64m,mode=1777,exec,uid=1000")
        );
        assert!(t.readonly);
        let e = parse_tmpfs_flag("/run:bogus").unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid argument \"/run:bogus\" for \"--tmpfs\" flag: invalid tmpfs option \"bogus\""
        );
        assert!(parse_tmpfs_flag("/run:size=").is_err());
        assert!(parse_tmpfs_flag("run")
            .unwrap_err()
            .to_string()
            .contains("must be absolute"));
        assert!(parse_tmpfs_flag("/").is_err());
    }

    #[test]
    fn resolve_adds_image_volumes_and_rejects_duplicates() {
        let user = vec![v("/h:/data"), parse_tmpfs_flag("/run").unwrap()];
        let image = vec![
            "/data/".to_string(),
            "/var/log".to_string(),
            "cache".to_string(),
        ];
        let all = resolve(user, &image).unwrap();
        let dests: Vec<_> = all.iter().map(|m| m.destination.as_str()).collect();
        assert_eq!(dests, ["/data", "/run", "/var/log", "/cache"]);
        assert!(all[2].anonymous && all[2].kind == MountKind::Volume && all[2].source.is_empty());
        assert_eq!(
            all[0].kind,
            MountKind::Bind,
            "the user's bind covers the image VOLUME"
        );

        let e = resolve(vec![v("/a:/x"), v("vol:/x/")], &[]).unwrap_err();
        assert_eq!(e.to_string(), "Duplicate mount point: /x");
        assert!(resolve(vec![], &["/".to_string()]).is_err());
        let twice = resolve(vec![], &["/v".to_string(), "/v/".to_string()]).unwrap();
        assert_eq!(twice.len(), 1);
    }

    #[test]
    fn anonymous_volumes_get_names() {
        let mut all = resolve(vec![v("/a"), v("named:/b"), v("/h:/c")], &["/d".into()]).unwrap();
        name_anonymous_volumes(&mut all);
        assert_eq!(all[0].source.len(), 64);
        assert!(all[0].anonymous);
        assert_eq!(all[1].source, "named");
        assert!(!all[1].anonymous);
        assert_eq!(all[2].source, "/h");
        assert_eq!(all[3].source.len(), 64);
        assert_ne!(all[0].source, all[3].source);
    }

    #[test]
    fn bind_sources_are_created_for_v() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("a/b");
        let mounts = vec![
            v(&format!("{}:/x", missing.display())),
            v(&format!("{}:/y", dir.path().display())),
            v("vol:/z"),
        ];
        let created = prepare_bind_sources(&mounts).unwrap();
        assert_eq!(created, std::slice::from_ref(&missing));
        assert!(missing.is_dir());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&missing).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & !0o022, 0o755 & !0o022);
    }
}
