//! The typed service model: one resolved compose service (the canonical
//! `Node` the loader produced) turned into what berth runs — plain
//! container options (`container::options::CreateOptions`, the same struct
//! the `create`/`run` flags fill), what only compose knows (dependencies,
//! networks with aliases, replicas, pull policy), and for every key the
//! service uses a verdict: supported, partial, ignored or rejected, with
//! the reason (`compose config --check` prints this table, `up` warns
//! about each key once and refuses rejected ones; `up --strict` refuses
//! anything not fully supported).

use super::project::Project;
use super::yaml::{Map, Node, Value};
use crate::container::options::CreateOptions;
use crate::shim::health::Healthcheck;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    Supported,
    Partial,
    Ignored,
    Rejected,
}

impl Support {
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Supported => "supported",
            Support::Partial => "partial",
            Support::Ignored => "ignored",
            Support::Rejected => "rejected",
        }
    }
}

/// One key of one service and what berth does with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyReport {
    pub service: String,
    pub key: String,
    pub support: Support,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Started,
    Healthy,
    CompletedSuccessfully,
}

impl Condition {
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Started => "service_started",
            Condition::Healthy => "service_healthy",
            Condition::CompletedSuccessfully => "service_completed_successfully",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub service: String,
    pub condition: Condition,
    pub required: bool,
    pub restart: bool,
}

/// A service's attachment to one project network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The network's key in the file.
    pub key: String,
    /// The network's real name (`<project>_<key>`, or its `name:`).
    pub name: String,
    pub aliases: Vec<String>,
    pub ipv4_address: Option<String>,
    pub ipv6_address: Option<String>,
    /// Given to the primary network's interface only (berth's MAC is the
    /// first interface's, as `--mac-address`).
    pub mac_address: Option<String>,
    pub priority: i64,
}

/// How the service's containers get their network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetMode {
    /// Project networks, the primary first.
    Networks(Vec<Attachment>),
    /// `host`, `none`, `container:x` as given.
    Plain(String),
    /// `service:x`: the first container of service x.
    Service(String),
}

/// A service's `build:` as `berth build` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildSpec {
    pub context: String,
    pub dockerfile: Option<String>,
    /// `KEY=VALUE` (or a bare `KEY`).
    pub args: Vec<String>,
    pub target: Option<String>,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// The image to run: `image:`, or `<project>-<service>` for a service
    /// that only builds.
    pub image: Option<String>,
    /// `image:` was given (else the image is the build's).
    pub image_given: bool,
    /// `build:`, when the service has one.
    pub build: Option<BuildSpec>,
    /// `always`, `missing`, `never`, `build` (compose's names).
    pub pull_policy: String,
    pub container_name: Option<String>,
    pub replicas: u32,
    pub depends_on: Vec<Dependency>,
    pub net: NetMode,
    /// Everything the container flags can say.
    pub opts: CreateOptions,
    /// Set on the spec after validation (compose's exec-form tests).
    pub healthcheck: Option<Healthcheck>,
    /// `entrypoint` as a list (replaces the image's; `[]` clears it).
    pub entrypoint: Option<Vec<String>>,
    /// `com.docker.compose.config-hash`.
    pub hash: String,
    /// Per-key hashes (`render::key_hashes`), to name what changed.
    pub key_hashes: String,
    /// `attach: false` keeps its output out of attached `up`.
    pub attach: bool,
    /// Secrets and configs whose bytes berth writes (`environment:`,
    /// `content:`) and mounts read-only (`file:` ones are in `opts.mounts`).
    pub files: Vec<super::files::FileMount>,
    /// `links` (`service[:alias]`) and `external_links` (`container[:alias]`)
    /// as (target, alias): names the container's own /etc/hosts gives the
    /// linked containers' addresses when it starts.
    pub links: Vec<(String, String)>,
    pub external_links: Vec<(String, String)>,
    pub reports: Vec<KeyReport>,
}

/// A project's services, typed, in name order, with every key's report.
pub fn services(p: &Project) -> Result<Vec<Service>, String> {
    let top = p.model.as_map().cloned().unwrap_or_default();
    let empty = Map::new();
    let svcs = top.get("services").and_then(Node::as_map).unwrap_or(&empty);
    svcs.iter()
        .map(|(name, node)| service(&top, &p.environment, name, node))
        .collect()
}

fn text(n: &Node) -> String {
    n.scalar_text().unwrap_or_default()
}

fn strings(n: Option<&Node>) -> Vec<String> {
    n.and_then(Node::as_seq)
        .map(|v| v.iter().filter_map(Node::scalar_text).collect())
        .unwrap_or_default()
}

fn truthy(n: Option<&Node>) -> bool {
    n.is_some_and(|n| matches!(n.value, Value::Bool(true)) || n.as_str() == Some("true"))
}

fn duration_ns(n: &Node, key: &str) -> Result<i64, String> {
    let t = text(n);
    crate::gotime::parse_duration(&t).map_err(|e| format!("{key}: invalid duration {t:?}: {e}"))
}

/// A size as compose-go reads one: a number of bytes, or `512m`/`1g`.
fn size(n: &Node) -> String {
    match &n.value {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => (*f as i64).to_string(),
        _ => text(n),
    }
}

/// The verdict of each key berth does not fully run, with its reason.
fn static_verdict(key: &str) -> Option<(Support, &'static str)> {
    use Support::*;
    Some(match key {
        "develop" => (
            Ignored,
            "watch mode is a development tool berth does not run",
        ),
        "annotations" => (Ignored, "berth's OCI specs carry no annotations"),
        "isolation" => (Ignored, "isolation applies to Windows containers only"),
        "storage_opt" => (Ignored, "the overlay snapshotter has no per-container size"),
        "blkio_config" => (Ignored, "block I/O weights are not set by berth"),
        "cpu_count" | "cpu_percent" => (Ignored, "Windows-only CPU settings"),
        "cgroup_parent" => (Ignored, "berth places containers under its own cgroup"),
        "pull_refresh_after" => (Ignored, "images are pulled as pull_policy says"),
        "credential_spec" => (Ignored, "Windows-only (gMSA)"),
        "uts" => (Rejected, "berth cannot share a UTS namespace"),
        "cgroup" => (Rejected, "berth cannot choose the cgroup namespace"),
        "userns_mode" => (Rejected, "berth runs without user namespaces"),
        "group_add" => (Rejected, "supplementary groups cannot be added by berth"),
        "gpus" => (Rejected, "berth has no GPU support"),
        "device_cgroup_rules" => (Rejected, "device cgroup rules are not supported"),
        "post_start" | "pre_start" | "pre_stop" => {
            (Rejected, "lifecycle hooks are not run by berth")
        }
        "provider" => (Rejected, "provider services are not supported"),
        "models" => (Rejected, "model runners are not supported"),
        "use_api_socket" => (Rejected, "berth has no engine API socket to share"),
        _ => return None,
    })
}

struct Ctx<'a> {
    svc: &'a str,
    reports: Vec<KeyReport>,
}

impl Ctx<'_> {
    fn note(&mut self, key: &str, support: Support, reason: impl Into<String>) {
        self.reports.push(KeyReport {
            service: self.svc.to_string(),
            key: key.to_string(),
            support,
            reason: reason.into(),
        });
    }
}

fn service(
    top: &Map,
    env: &BTreeMap<String, String>,
    name: &str,
    node: &Node,
) -> Result<Service, String> {
    let empty = Map::new();
    let m = node.as_map().unwrap_or(&empty);
    let mut cx = Ctx {
        svc: name,
        reports: Vec::new(),
    };
    let mut o = CreateOptions {
        log_driver: "json-file".into(),
        ..Default::default()
    };
    let mut svc = Service {
        name: name.to_string(),
        image: m.get("image").map(text).or_else(|| {
            m.contains_key("build").then(|| {
                let project = top.get("name").map(text).unwrap_or_default();
                format!("{project}-{name}")
            })
        }),
        image_given: m.contains_key("image"),
        build: m.get("build").and_then(Node::as_map).map(build_spec),
        pull_policy: m
            .get("pull_policy")
            .map(text)
            .unwrap_or_else(|| "missing".into()),
        container_name: m.get("container_name").map(text),
        replicas: 1,
        depends_on: Vec::new(),
        net: NetMode::Networks(Vec::new()),
        opts: CreateOptions::default(),
        healthcheck: None,
        entrypoint: None,
        hash: super::render::service_hash(node),
        key_hashes: super::render::key_hashes(node),
        attach: true,
        files: Vec::new(),
        links: link_pairs(m.get("links")),
        external_links: link_pairs(m.get("external_links")),
        reports: Vec::new(),
    };
    let bad = |key: &str, msg: String| format!("services.{name}.{key}: {msg}");
    for (key, v) in m {
        if key.starts_with("x-") {
            continue;
        }
        if let Some((support, reason)) = static_verdict(key) {
            cx.note(key, support, reason);
            continue;
        }
        use Support::*;
        match key.as_str() {
            "image" | "container_name" | "hostname" | "domainname" | "user" | "working_dir"
            | "tty" | "stdin_open" | "init" | "privileged" | "read_only" | "cap_add"
            | "cap_drop" | "security_opt" | "expose" | "dns" | "dns_search" | "dns_opt"
            | "platform" | "runtime" | "mac_address" | "label_file" | "profiles" | "extends"
            | "stop_signal" | "shm_size" | "tmpfs" | "mem_limit" | "memswap_limit" | "cpus"
            | "cpu_shares" | "pids_limit" | "environment" | "env_file" | "labels" | "sysctls"
            | "extra_hosts" | "ulimits" | "devices" | "command" | "entrypoint" | "restart"
            | "stop_grace_period" | "healthcheck" | "depends_on" | "scale" | "attach"
            | "network_mode" | "ports" | "volumes" | "pid" | "ipc" | "volumes_from"
            | "cpu_period" | "cpu_quota" | "cpu_rt_period" | "cpu_rt_runtime" | "cpuset"
            | "mem_reservation" | "mem_swappiness" | "oom_kill_disable" | "oom_score_adj" => {
                cx.note(key, Supported, "")
            }
            "logging" => match logging_options(v) {
                Ok(_) => cx.note(key, Supported, ""),
                Err(e) => cx.note(key, Rejected, e),
            },
            "pull_policy" => match text(v).as_str() {
                "always" | "missing" | "never" | "if_not_present" => cx.note(key, Supported, ""),
                "build" => cx.note(key, Supported, ""),
                other => cx.note(key, Partial, format!("{other:?} is treated as \"missing\"")),
            },
            "build" => {
                let extra: Vec<&str> = v
                    .as_map()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.as_str())
                    .filter(|k| {
                        !matches!(*k, "context" | "dockerfile" | "args" | "target" | "labels")
                    })
                    .collect();
                if extra.is_empty() {
                    cx.note(key, Supported, "")
                } else {
                    cx.note(
                        key,
                        Partial,
                        format!(
                            "berth builds from context, dockerfile, args, target and labels; ignored: {}",
                            extra.join(", ")
                        ),
                    )
                }
            }
            "links" | "external_links" => {
                if m.contains_key("network_mode") {
                    cx.note(
                        key,
                        Rejected,
                        "links name containers on the service's own networks; network_mode is set",
                    )
                } else {
                    cx.note(key, Supported, "")
                }
            }
            "networks" => networks_verdict(v, &mut cx),
            "secrets" | "configs" => {
                let (support, reason) = super::files::verdict(top, key, v);
                cx.note(key, support, reason)
            }
            "deploy" => deploy_verdict(v, &mut cx),
            _ => cx.note(key, Ignored, "not known to berth"),
        }
    }
    // The container options, as the flags would give them.
    let s = |k: &str| m.get(k).map(text);
    o.image = svc.image.clone().unwrap_or_default();
    o.hostname = s("hostname");
    o.domainname = s("domainname");
    o.user = s("user");
    o.workdir = s("working_dir");
    o.tty = truthy(m.get("tty"));
    o.interactive = truthy(m.get("stdin_open"));
    o.init = truthy(m.get("init"));
    o.privileged = truthy(m.get("privileged"));
    o.read_only = truthy(m.get("read_only"));
    o.cap_add = strings(m.get("cap_add"));
    o.cap_drop = strings(m.get("cap_drop"));
    o.security_opt = strings(m.get("security_opt"));
    o.expose = strings(m.get("expose"));
    o.dns = strings(m.get("dns"));
    o.dns_search = strings(m.get("dns_search"));
    o.dns_options = strings(m.get("dns_opt"));
    o.platform = s("platform");
    o.runtime = s("runtime");
    o.mac_address = s("mac_address");
    o.label_files = strings(m.get("label_file"))
        .into_iter()
        .map(Into::into)
        .collect();
    o.stop_signal = s("stop_signal");
    o.shm_size = m.get("shm_size").map(size);
    // `service:x` forms stay as written: the engine names x's container.
    o.pid = s("pid");
    o.ipc = s("ipc");
    o.volumes_from = strings(m.get("volumes_from"));
    o.tmpfs = strings(m.get("tmpfs"));
    o.memory = m.get("mem_limit").map(size);
    o.memory_swap = m.get("memswap_limit").map(size);
    o.cpus = s("cpus");
    o.cpu_shares = s("cpu_shares").and_then(|c| c.parse().ok());
    o.pids_limit = s("pids_limit").and_then(|c| c.parse().ok());
    o.restart = s("restart").unwrap_or_default();
    resource_options(m, &mut o).map_err(|(k, e)| bad(k, e))?;
    if let Some(g) = m.get("stop_grace_period") {
        let ns = duration_ns(g, "stop_grace_period").map_err(|e| bad("stop_grace_period", e))?;
        o.stop_timeout = Some(ns.div_euclid(1_000_000_000));
    }
    if let Some(env) = m.get("environment").and_then(Node::as_map) {
        // Unset variables (null) stay out of the container, as compose does.
        o.env = env
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{k}={}", text(v)))
            .collect();
    }
    if let Some(l) = m.get("labels").and_then(Node::as_map) {
        o.labels = l.iter().map(|(k, v)| format!("{k}={}", text(v))).collect();
    }
    if let Some(l) = m.get("sysctls").and_then(Node::as_map) {
        o.sysctls = l.iter().map(|(k, v)| format!("{k}={}", text(v))).collect();
    }
    o.add_hosts = strings(m.get("extra_hosts"))
        .into_iter()
        .map(|h| match h.split_once('=') {
            Some((host, ip)) => format!("{host}:{ip}"),
            None => h,
        })
        .collect();
    if let Some(u) = m.get("ulimits").and_then(Node::as_map) {
        for (k, v) in u {
            let spec = match v.as_map() {
                Some(lim) => format!(
                    "{k}={}:{}",
                    lim.get("soft").map(text).unwrap_or_default(),
                    lim.get("hard").map(text).unwrap_or_default()
                ),
                None => format!("{k}={}", text(v)),
            };
            o.ulimits.push(spec);
        }
    }
    if let Some(d) = m.get("devices").and_then(Node::as_seq) {
        for dev in d {
            let Some(dm) = dev.as_map() else { continue };
            let get = |k: &str| dm.get(k).map(text).unwrap_or_default();
            o.devices.push(format!(
                "{}:{}:{}",
                get("source"),
                get("target"),
                get("permissions")
            ));
        }
    }
    if let Some(c) = m.get("command") {
        o.command = strings(Some(c));
    }
    if let Some(e) = m.get("entrypoint") {
        if !e.is_null() {
            svc.entrypoint = Some(strings(Some(e)));
        }
    }
    if let Some(l) = m.get("logging") {
        if let Ok((driver, opts)) = logging_options(l) {
            if let Some(d) = driver {
                o.log_driver = d;
            }
            o.log_opts = opts;
        }
    }
    if let Some(h) = m.get("healthcheck").and_then(Node::as_map) {
        svc.healthcheck = Some(healthcheck(h).map_err(|e| bad("healthcheck", e))?);
    }
    if let Some(d) = m.get("depends_on").and_then(Node::as_map) {
        for (dep, dv) in d {
            let dm = dv.as_map().unwrap_or(&empty);
            let condition = match dm.get("condition").map(text).as_deref() {
                None | Some("service_started") => Condition::Started,
                Some("service_healthy") => Condition::Healthy,
                Some("service_completed_successfully") => Condition::CompletedSuccessfully,
                Some(other) => {
                    return Err(bad(
                        "depends_on",
                        format!("invalid condition {other:?} for {dep}"),
                    ))
                }
            };
            svc.depends_on.push(Dependency {
                service: dep.clone(),
                condition,
                required: dm.get("required").is_none_or(|r| truthy(Some(r))),
                restart: truthy(dm.get("restart")),
            });
        }
    }
    if let Some(sc) = m.get("scale") {
        svc.replicas = text(sc)
            .parse()
            .map_err(|_| bad("scale", "must be a number".into()))?;
    }
    if let Some(dep) = m.get("deploy").and_then(Node::as_map) {
        if let Some(r) = dep.get("replicas") {
            svc.replicas = text(r)
                .parse()
                .map_err(|_| bad("deploy.replicas", "must be a number".into()))?;
        }
        if let Some(lim) = dep
            .get("resources")
            .and_then(Node::as_map)
            .and_then(|r| r.get("limits"))
            .and_then(Node::as_map)
        {
            if let Some(mem) = lim.get("memory") {
                o.memory = Some(size(mem));
            }
            if let Some(c) = lim.get("cpus") {
                o.cpus = Some(text(c));
            }
            if let Some(pids) = lim.get("pids") {
                o.pids_limit = text(pids).parse().ok();
            }
        }
        deploy_options(dep, &mut o);
    }
    if m.get("attach").is_some_and(|a| !truthy(Some(a))) {
        svc.attach = false;
    }
    ports(m, &mut o);
    volumes(top, m, &mut o).map_err(|e| bad("volumes", e))?;
    for kind in ["secrets", "configs"] {
        for f in super::files::mounts(top, env, m, kind).map_err(|e| bad(kind, e))? {
            match &f.source {
                super::files::Source::File(file) => o.mounts.push(format!(
                    "type=bind,source={file},target={},readonly",
                    f.target
                )),
                _ => svc.files.push(f),
            }
        }
    }
    svc.net = net_mode(top, name, m);
    svc.opts = o;
    svc.reports = cx.reports;
    Ok(svc)
}

/// `name[:alias]` items as (name, alias); the alias defaults to the name.
fn link_pairs(n: Option<&Node>) -> Vec<(String, String)> {
    strings(n)
        .into_iter()
        .map(|l| match l.split_once(':') {
            Some((t, a)) => (t.to_string(), a.to_string()),
            None => (l.clone(), l),
        })
        .collect()
}

fn build_spec(b: &Map) -> BuildSpec {
    let kv = |k: &str| -> Vec<String> {
        b.get(k)
            .and_then(Node::as_map)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| match v.scalar_text() {
                        Some(v) => format!("{k}={v}"),
                        None => k.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let context = b.get("context").map(text).unwrap_or_else(|| ".".into());
    // compose resolves the Dockerfile against the context.
    let dockerfile = b.get("dockerfile").map(text).map(|d| {
        if d.starts_with('/') {
            d
        } else {
            format!("{}/{d}", context.trim_end_matches('/'))
        }
    });
    BuildSpec {
        context,
        dockerfile,
        args: kv("args"),
        target: b.get("target").map(text),
        labels: kv("labels"),
    }
}

/// `logging:` as `--log-driver` (None: the default) and `--log-opt`s,
/// checked as `create` checks them (berth logs json-file or nothing), so
/// a driver berth cannot honour is refused before anything is created.
fn logging_options(v: &Node) -> Result<(Option<String>, Vec<String>), String> {
    let empty = Map::new();
    let l = v.as_map().unwrap_or(&empty);
    let driver = l.get("driver").map(text);
    let opts: Vec<String> = l
        .get("options")
        .and_then(Node::as_map)
        .map(|m| m.iter().map(|(k, v)| format!("{k}={}", text(v))).collect())
        .unwrap_or_default();
    crate::container::options::log_config(driver.as_deref().unwrap_or("json-file"), &opts)
        .map_err(|e| e.to_string())?;
    Ok((driver, opts))
}

/// `networks:` per attachment: aliases, static addresses and priority are
/// applied on every network; a MAC only on the primary one (berth gives
/// the MAC to the first interface); the rest is reported.
fn networks_verdict(v: &Node, cx: &mut Ctx) {
    let Some(nets) = v.as_map() else {
        return cx.note("networks", Support::Supported, "");
    };
    let primary = nets
        .iter()
        .map(|(k, n)| {
            let p = n
                .as_map()
                .and_then(|m| m.get("priority"))
                .map(text)
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(0);
            (std::cmp::Reverse(p), k.clone())
        })
        .min()
        .map(|(_, k)| k);
    let mut ignored = Vec::new();
    for (net, n) in nets {
        for (k, _) in n.as_map().into_iter().flatten() {
            match k.as_str() {
                "aliases" | "ipv4_address" | "ipv6_address" | "priority" => {}
                "mac_address" if primary.as_deref() == Some(net.as_str()) => {}
                "mac_address" => ignored.push(format!(
                    "{net}.mac_address (a MAC is given to the primary network's interface only)"
                )),
                "gw_priority" => ignored.push(format!(
                    "{net}.gw_priority (the default route is the primary network's)"
                )),
                other => ignored.push(format!("{net}.{other}")),
            }
        }
    }
    if ignored.is_empty() {
        cx.note("networks", Support::Supported, "");
    } else {
        cx.note(
            "networks",
            Support::Partial,
            format!("ignored: {}", ignored.join(", ")),
        );
    }
}

/// The service-level resource keys compose's `getDeployResources` passes
/// to the engine, as the matching `run` flags.
fn resource_options(m: &Map, o: &mut CreateOptions) -> Result<(), (&'static str, String)> {
    let int = |k: &'static str| -> Result<Option<i64>, (&'static str, String)> {
        m.get(k)
            .map(|v| {
                text(v)
                    .parse()
                    .map_err(|_| (k, format!("invalid integer {:?}", text(v))))
            })
            .transpose()
    };
    let l = &mut o.limits;
    l.memory_reservation = m.get("mem_reservation").map(size);
    l.memory_swappiness = int("mem_swappiness")?;
    l.oom_kill_disable = truthy(m.get("oom_kill_disable"));
    l.oom_score_adj = int("oom_score_adj")?;
    l.cpu_period = int("cpu_period")?;
    l.cpu_quota = int("cpu_quota")?;
    l.cpu_rt_period = int("cpu_rt_period")?;
    l.cpu_rt_runtime = int("cpu_rt_runtime")?;
    l.cpuset_cpus = m.get("cpuset").map(text);
    Ok(())
}

/// `deploy:` keys compose v2 applies besides replicas and limits:
/// `resources.reservations.memory` is the memory reservation
/// (`setReservations`; it wins over `mem_reservation`), and
/// `restart_policy` the restart policy (`getRestartPolicy`: it wins over
/// `restart:`; `condition` any/none map to always/no, `max_attempts` is
/// the retry count).
fn deploy_options(dep: &Map, o: &mut CreateOptions) {
    let get = |m: Option<&Node>, k: &str| m.and_then(Node::as_map).and_then(|m| m.get(k)).cloned();
    let reservations = get(dep.get("resources"), "reservations");
    if let Some(mem) = get(reservations.as_ref(), "memory") {
        o.limits.memory_reservation = Some(size(&mem));
    }
    if let Some(policy) = dep.get("restart_policy") {
        let condition = get(Some(policy), "condition").map(|c| text(&c));
        let name = match condition.as_deref() {
            None | Some("" | "none" | "no") => "no",
            Some("any" | "always") => "always",
            Some(other) => other,
        };
        o.restart = match get(Some(policy), "max_attempts").map(|n| text(&n)) {
            Some(n) if name != "no" => format!("{name}:{n}"),
            _ => name.to_string(),
        };
    }
}

fn deploy_verdict(v: &Node, cx: &mut Ctx) {
    let Some(d) = v.as_map() else {
        return cx.note("deploy", Support::Supported, "");
    };
    let mut ignored = Vec::new();
    let mut rejected = Vec::new();
    let keys = |n: &Node| -> Vec<String> {
        n.as_map()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect()
    };
    for (k, sub) in d {
        match k.as_str() {
            "replicas" => {}
            // compose applies the condition and the count only.
            "restart_policy" => ignored.extend(
                keys(sub)
                    .into_iter()
                    .filter(|rk| !matches!(rk.as_str(), "condition" | "max_attempts"))
                    .map(|rk| format!("restart_policy.{rk}")),
            ),
            "resources" => {
                for (rk, rv) in sub.as_map().into_iter().flatten() {
                    for lk in keys(rv) {
                        let full = format!("resources.{rk}.{lk}");
                        match (rk.as_str(), lk.as_str()) {
                            ("limits", "memory" | "cpus" | "pids") | ("reservations", "memory") => {
                            }
                            // Device requests (GPUs): compose makes them,
                            // berth has none to make.
                            ("reservations", "devices") => rejected.push(full),
                            // Swarm-only: compose v2 does not apply them either.
                            _ => ignored.push(full),
                        }
                    }
                }
            }
            other => ignored.push(other.to_string()),
        }
    }
    if !rejected.is_empty() {
        let reason = format!(
            "berth has no device requests (GPUs): {}",
            rejected.join(", ")
        );
        cx.note("deploy", Support::Rejected, reason);
    } else if ignored.is_empty() {
        cx.note("deploy", Support::Supported, "");
    } else {
        cx.note(
            "deploy",
            Support::Partial,
            format!(
                "replicas, restart_policy (condition, max_attempts), resources.limits (memory, cpus, pids) and resources.reservations.memory are applied; ignored (swarm-only, as compose does): {}",
                ignored.join(", ")
            ),
        );
    }
}

fn healthcheck(h: &Map) -> Result<Healthcheck, String> {
    if truthy(h.get("disable")) {
        return Ok(Healthcheck {
            test: vec!["NONE".into()],
            ..Default::default()
        });
    }
    let d = |k: &str| -> Result<i64, String> { h.get(k).map_or(Ok(0), |n| duration_ns(n, k)) };
    Ok(Healthcheck {
        test: strings(h.get("test")),
        interval: d("interval")?,
        timeout: d("timeout")?,
        start_period: d("start_period")?,
        start_interval: d("start_interval")?,
        retries: h
            .get("retries")
            .map(text)
            .and_then(|r| r.parse::<f64>().ok())
            .map_or(0, |r| r as i64),
    })
}

fn ports(m: &Map, o: &mut CreateOptions) {
    for p in m.get("ports").and_then(Node::as_seq).into_iter().flatten() {
        let Some(pm) = p.as_map() else { continue };
        let get = |k: &str| pm.get(k).map(text).unwrap_or_default();
        let (ip, published, target, proto) = (
            get("host_ip"),
            get("published"),
            get("target"),
            get("protocol"),
        );
        let mut spec = String::new();
        if !ip.is_empty() {
            spec.push_str(&if ip.contains(':') {
                format!("[{ip}]:")
            } else {
                format!("{ip}:")
            });
        }
        if !published.is_empty() || !ip.is_empty() {
            spec.push_str(&format!("{published}:"));
        }
        spec.push_str(&target);
        if !proto.is_empty() && proto != "tcp" {
            spec.push_str(&format!("/{proto}"));
        }
        o.publish.push(spec);
    }
}

/// The real name of a project resource (`volumes`, `networks`, ...) key.
pub fn resource_name(top: &Map, kind: &str, key: &str) -> Option<String> {
    top.get(kind)
        .and_then(Node::as_map)
        .and_then(|m| m.get(key))
        .and_then(Node::as_map)
        .and_then(|m| m.get("name"))
        .map(text)
}

fn volumes(top: &Map, m: &Map, o: &mut CreateOptions) -> Result<(), String> {
    for v in m
        .get("volumes")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
    {
        let Some(vm) = v.as_map() else { continue };
        let get = |k: &str| vm.get(k).map(text).unwrap_or_default();
        let (kind, source, target) = (get("type"), get("source"), get("target"));
        let ro = truthy(vm.get("read_only"));
        let sub = |k: &str| vm.get(k).and_then(Node::as_map);
        match kind.as_str() {
            "bind" => {
                let create = sub("bind")
                    .is_none_or(|b| b.get("create_host_path").is_none_or(|c| truthy(Some(c))));
                let mut modes: Vec<String> = Vec::new();
                if ro {
                    modes.push("ro".into());
                }
                if let Some(p) = sub("bind").and_then(|b| b.get("propagation")) {
                    modes.push(text(p));
                }
                if create {
                    // `-v` creates a missing host path, as compose does.
                    let mut spec = format!("{source}:{target}");
                    if !modes.is_empty() {
                        spec.push_str(&format!(":{}", modes.join(",")));
                    }
                    o.volumes.push(spec);
                } else {
                    let mut spec = format!("type=bind,source={source},target={target}");
                    if ro {
                        spec.push_str(",readonly");
                    }
                    o.mounts.push(spec);
                }
            }
            "volume" => {
                let mut modes = Vec::new();
                if ro {
                    modes.push("ro");
                }
                if sub("volume").is_some_and(|b| truthy(b.get("nocopy"))) {
                    modes.push("nocopy");
                }
                let mode = if modes.is_empty() {
                    String::new()
                } else {
                    format!(":{}", modes.join(","))
                };
                if source.is_empty() {
                    o.volumes.push(format!("{target}{mode}"));
                } else {
                    let real = resource_name(top, "volumes", &source).ok_or_else(|| {
                        format!(
                            "service refers to undefined volume {source}: invalid compose project"
                        )
                    })?;
                    o.volumes.push(format!("{real}:{target}{mode}"));
                }
            }
            "tmpfs" => {
                let mut spec = format!("type=tmpfs,target={target}");
                if let Some(sz) = sub("tmpfs").and_then(|t| t.get("size")) {
                    spec.push_str(&format!(",tmpfs-size={}", size(sz)));
                }
                o.mounts.push(spec);
            }
            other => return Err(format!("volume type {other:?} is not supported by berth")),
        }
    }
    Ok(())
}

fn net_mode(top: &Map, name: &str, m: &Map) -> NetMode {
    if let Some(mode) = m.get("network_mode").map(text) {
        return match mode.strip_prefix("service:") {
            Some(s) => NetMode::Service(s.to_string()),
            None => NetMode::Plain(mode),
        };
    }
    let mut atts = Vec::new();
    for (key, v) in m
        .get("networks")
        .and_then(Node::as_map)
        .into_iter()
        .flatten()
    {
        let vm = v.as_map();
        let get = |k: &str| vm.and_then(|m| m.get(k));
        let mut aliases = vec![name.to_string()];
        for a in strings(get("aliases")) {
            if !aliases.contains(&a) {
                aliases.push(a);
            }
        }
        atts.push(Attachment {
            key: key.clone(),
            name: resource_name(top, "networks", key).unwrap_or_else(|| key.clone()),
            aliases,
            ipv4_address: get("ipv4_address").map(text),
            ipv6_address: get("ipv6_address").map(text),
            mac_address: get("mac_address").map(text),
            priority: get("priority")
                .map(text)
                .and_then(|p| p.parse().ok())
                .unwrap_or(0),
        });
    }
    // compose: the highest priority first, then by name.
    atts.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.key.cmp(&b.key)));
    NetMode::Networks(atts)
}

/// Every report of the project, service by service.
pub fn reports(svcs: &[Service]) -> Vec<KeyReport> {
    svcs.iter()
        .flat_map(|s| s.reports.iter().cloned())
        .collect()
}

/// The label keys compose writes (and reads back without the file).
pub mod labels {
    pub const PROJECT: &str = "com.docker.compose.project";
    pub const SERVICE: &str = "com.docker.compose.service";
    pub const NUMBER: &str = "com.docker.compose.container-number";
    pub const ONEOFF: &str = "com.docker.compose.oneoff";
    pub const WORKING_DIR: &str = "com.docker.compose.project.working_dir";
    pub const CONFIG_FILES: &str = "com.docker.compose.project.config_files";
    pub const CONFIG_HASH: &str = "com.docker.compose.config-hash";
    pub const DEPENDS_ON: &str = "com.docker.compose.depends_on";
    pub const IMAGE: &str = "com.docker.compose.image";
    pub const VERSION: &str = "com.docker.compose.version";
    pub const NETWORK: &str = "com.docker.compose.network";
    pub const VOLUME: &str = "com.docker.compose.volume";
    pub const SLUG: &str = "com.docker.compose.slug";
    /// On a replacement container: the one it replaces (`<service>-<n>`,
    /// or its `container_name`).
    pub const REPLACE: &str = "com.docker.compose.replace";
    /// berth's own: per-key hashes of the service, so a recreate says
    /// which keys changed.
    pub const KEY_HASHES: &str = "io.berth.compose.config-keys";
    /// The compose release whose behaviour berth follows.
    pub const COMPOSE_VERSION: &str = "2.32.4";
}

/// The labels of a service's container number `n`, besides the user's.
pub fn container_labels(
    p: &Project,
    svc: &Service,
    number: u32,
    oneoff: bool,
    image_id: &str,
) -> BTreeMap<String, String> {
    use labels::*;
    let mut l = BTreeMap::new();
    l.insert(PROJECT.into(), p.name.clone());
    l.insert(SERVICE.into(), svc.name.clone());
    l.insert(NUMBER.into(), number.to_string());
    l.insert(ONEOFF.into(), if oneoff { "True" } else { "False" }.into());
    l.insert(
        WORKING_DIR.into(),
        p.working_dir.to_string_lossy().into_owned(),
    );
    l.insert(CONFIG_FILES.into(), p.config_files.join(","));
    l.insert(CONFIG_HASH.into(), svc.hash.clone());
    l.insert(KEY_HASHES.into(), svc.key_hashes.clone());
    l.insert(
        DEPENDS_ON.into(),
        svc.depends_on
            .iter()
            .map(|d| format!("{}:{}:{}", d.service, d.condition.as_str(), d.restart))
            .collect::<Vec<_>>()
            .join(","),
    );
    l.insert(IMAGE.into(), image_id.to_string());
    l.insert(VERSION.into(), COMPOSE_VERSION.into());
    l
}

/// A service as its containers' labels describe it, for the verbs that
/// work without a compose file (`down -p NAME`, `stop`, `start`,
/// `restart`): its name, image and `depends_on` (from
/// `com.docker.compose.depends_on`, `service:condition:restart` items,
/// every one required); nothing else is known.
pub fn from_labels(name: &str, image: &str, l: &BTreeMap<String, String>) -> Service {
    let depends_on = l
        .get(labels::DEPENDS_ON)
        .map(String::as_str)
        .unwrap_or_default()
        .split(',')
        .filter(|d| !d.is_empty())
        .filter_map(|d| {
            let mut parts = d.splitn(3, ':');
            let service = parts.next()?.to_string();
            let condition = match parts.next() {
                Some("service_healthy") => Condition::Healthy,
                Some("service_completed_successfully") => Condition::CompletedSuccessfully,
                _ => Condition::Started,
            };
            Some(Dependency {
                service,
                condition,
                required: true,
                restart: parts.next() == Some("true"),
            })
        })
        .collect();
    Service {
        name: name.to_string(),
        image: (!image.is_empty()).then(|| image.to_string()),
        image_given: true,
        build: None,
        pull_policy: "missing".into(),
        container_name: None,
        replicas: 1,
        depends_on,
        net: NetMode::Networks(Vec::new()),
        opts: CreateOptions::default(),
        healthcheck: None,
        entrypoint: None,
        hash: l.get(labels::CONFIG_HASH).cloned().unwrap_or_default(),
        key_hashes: l.get(labels::KEY_HASHES).cloned().unwrap_or_default(),
        attach: true,
        files: Vec::new(),
        links: Vec::new(),
        external_links: Vec::new(),
        reports: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::project::{load, Host, LoadOptions};

    #[test]
    fn from_labels_reads_the_depends_on_label() {
        let mut l = BTreeMap::new();
        l.insert(
            labels::DEPENDS_ON.to_string(),
            "db:service_healthy:false,init:service_completed_successfully:true,cache:service_started:false".to_string(),
        );
        let s = from_labels("web", "nginx", &l);
        assert_eq!(s.image.as_deref(), Some("nginx"));
        let deps: Vec<_> = s
            .depends_on
            .iter()
            .map(|d| (d.service.as_str(), d.condition, d.restart))
            .collect();
        assert_eq!(
            deps,
            [
                ("db", Condition::Healthy, false),
                ("init", Condition::CompletedSuccessfully, true),
                ("cache", Condition::Started, false)
            ]
        );
        assert!(from_labels("x", "", &BTreeMap::new()).depends_on.is_empty());
    }

    fn project(text: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("compose.yaml"), text).unwrap();
        let mut stdin = || Ok(String::new());
        let mut host = Host {
            cwd: dir.path().to_path_buf(),
            environ: BTreeMap::new(),
            stdin: &mut stdin,
        };
        let opts = LoadOptions {
            interpolate: true,
            normalize: true,
            resolve_paths: true,
            ..Default::default()
        };
        load(&opts, &mut host).unwrap()
    }

    #[test]
    fn keys_become_container_options() {
        let p = project(
            "name: p\nservices:\n  web:\n    image: alpine\n    command: sleep 10\n    environment: [A=1, B]\n    ports: ['127.0.0.1:8080:80', '53:53/udp']\n    volumes: [data:/d:ro, /tmp/x:/x, /anon]\n    stop_grace_period: 1m30s\n    healthcheck: {test: [CMD, true], interval: 2s, retries: 3}\n    depends_on: {db: {condition: service_healthy}}\n    networks: {back: {aliases: [api]}}\n    deploy: {replicas: 2, resources: {limits: {memory: 64m}}}\n  db: {image: alpine}\nvolumes: {data: {}}\nnetworks: {back: {}}\n",
        );
        let svcs = services(&p).unwrap();
        let web = svcs.iter().find(|s| s.name == "web").unwrap();
        assert_eq!(web.opts.command, ["sleep", "10"]);
        assert_eq!(web.opts.env, ["A=1"]);
        assert_eq!(web.opts.publish, ["127.0.0.1:8080:80", "53:53/udp"]);
        assert_eq!(web.opts.volumes, ["p_data:/d:ro", "/tmp/x:/x", "/anon"]);
        assert_eq!(web.opts.stop_timeout, Some(90));
        assert_eq!(web.opts.memory.as_deref(), Some("64m"));
        assert_eq!(web.replicas, 2);
        let h = web.healthcheck.as_ref().unwrap();
        assert_eq!(h.test, ["CMD", "true"]);
        assert_eq!((h.interval, h.retries), (2_000_000_000, 3));
        assert_eq!(web.depends_on[0].condition, Condition::Healthy);
        match &web.net {
            NetMode::Networks(a) => {
                assert_eq!(a[0].name, "p_back");
                assert_eq!(a[0].aliases, ["web", "api"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(web.reports.iter().all(|r| r.support == Support::Supported));
    }

    #[test]
    fn resource_keys_and_deploy_reservations_map_as_compose_does() {
        let p = project(
            "services:\n  a:\n    image: alpine\n    mem_reservation: 32m\n    cpu_period: 100000\n    cpu_quota: 50000\n    cpu_rt_runtime: 400\n    cpuset: '0'\n    oom_score_adj: 100\n    restart: always\n    deploy:\n      restart_policy: {condition: on-failure, max_attempts: 3, delay: 5s}\n      resources:\n        limits: {memory: 128m, pids: 10}\n        reservations: {memory: 64m, cpus: '0.5'}\n  b:\n    image: alpine\n    deploy: {restart_policy: {condition: any}, resources: {reservations: {devices: [{capabilities: [gpu]}]}}}\n",
        );
        let svcs = services(&p).unwrap();
        let a = svcs.iter().find(|s| s.name == "a").unwrap();
        let l = &a.opts.limits;
        // The reservation wins over mem_reservation (setReservations runs last).
        assert_eq!(l.memory_reservation.as_deref(), Some("64m"));
        assert_eq!((l.cpu_period, l.cpu_quota), (Some(100000), Some(50000)));
        assert_eq!(l.cpu_rt_runtime, Some(400));
        assert_eq!(l.cpuset_cpus.as_deref(), Some("0"));
        assert_eq!(l.oom_score_adj, Some(100));
        assert_eq!(a.opts.memory.as_deref(), Some("128m"));
        assert_eq!(a.opts.restart, "on-failure:3");
        let r = reports(&svcs);
        let find = |s: &str, k: &str| r.iter().find(|x| x.service == s && x.key == k).unwrap();
        let dep = find("a", "deploy");
        assert_eq!(dep.support, Support::Partial);
        assert!(dep.reason.ends_with("ignored (swarm-only, as compose does): resources.reservations.cpus, restart_policy.delay"), "{}", dep.reason);
        assert_eq!(find("a", "mem_reservation").support, Support::Supported);
        let b = svcs.iter().find(|s| s.name == "b").unwrap();
        assert_eq!(b.opts.restart, "always");
        assert_eq!(find("b", "deploy").support, Support::Rejected);
    }

    #[test]
    fn unsupported_keys_are_reported_with_reasons() {
        let p = project(
            "services:\n  a:\n    image: alpine\n    pid: host\n    uts: host\n    develop: {}\n    deploy: {replicas: 1, placement: {}}\n  b:\n    build: .\n",
        );
        let r = reports(&services(&p).unwrap());
        let find = |s: &str, k: &str| {
            r.iter()
                .find(|x| x.service == s && x.key == k)
                .unwrap()
                .support
        };
        assert_eq!(find("a", "pid"), Support::Supported);
        assert_eq!(find("a", "uts"), Support::Rejected);
        assert_eq!(find("a", "develop"), Support::Ignored);
        assert_eq!(find("a", "deploy"), Support::Partial);
        assert_eq!(find("b", "build"), Support::Supported);
        let svcs = services(&p).unwrap();
        let b = svcs.iter().find(|s| s.name == "b").unwrap();
        assert!(b.image.as_deref().unwrap().ends_with("-b"), "{:?}", b.image);
        assert!(!b.image_given);
        let spec = b.build.as_ref().unwrap();
        assert!(spec.context.starts_with('/'), "{spec:?}");
    }

    #[test]
    fn logging_berth_cannot_honour_is_rejected() {
        let p = project(
            "services:\n  a:\n    image: alpine\n    logging: {driver: syslog}\n  b:\n    image: alpine\n    logging: {driver: json-file, options: {max-size: 1m, max-file: '3'}}\n  c:\n    image: alpine\n    logging: {options: {labels: x}}\n  d:\n    image: alpine\n    logging: {driver: none}\n",
        );
        let svcs = services(&p).unwrap();
        let r = reports(&svcs);
        let find = |s: &str| {
            r.iter()
                .find(|x| x.service == s && x.key == "logging")
                .unwrap()
                .clone()
        };
        assert_eq!(find("a").support, Support::Rejected);
        assert!(
            find("a").reason.contains("\"syslog\" is not supported"),
            "{:?}",
            find("a")
        );
        assert_eq!(find("b").support, Support::Supported);
        assert_eq!(find("c").support, Support::Rejected);
        assert_eq!(find("d").support, Support::Supported);
        let b = svcs.iter().find(|s| s.name == "b").unwrap();
        assert_eq!(b.opts.log_driver, "json-file");
        assert_eq!(b.opts.log_opts, ["max-file=3", "max-size=1m"]);
    }

    #[test]
    fn network_attachments_and_their_verdicts() {
        let p = project(
            "services:\n  a:\n    image: alpine\n    networks:\n      front: {ipv4_address: 10.1.0.5, mac_address: '02:00:00:00:00:01', priority: 5}\n      back: {ipv4_address: 10.2.0.5, ipv6_address: 'fd00::5'}\n  b:\n    image: alpine\n    networks:\n      front: {mac_address: '02:00:00:00:00:02'}\n      back: {mac_address: '02:00:00:00:00:03', gw_priority: 1, interface_name: eth9}\nnetworks: {front: {}, back: {}}\n",
        );
        let svcs = services(&p).unwrap();
        let a = svcs.iter().find(|s| s.name == "a").unwrap();
        let NetMode::Networks(atts) = &a.net else {
            panic!("{:?}", a.net)
        };
        assert_eq!(atts[0].key, "front", "the highest priority first");
        assert_eq!(atts[0].mac_address.as_deref(), Some("02:00:00:00:00:01"));
        assert_eq!(atts[1].ipv6_address.as_deref(), Some("fd00::5"));
        let r = reports(&svcs);
        let find = |s: &str| {
            r.iter()
                .find(|x| x.service == s && x.key == "networks")
                .unwrap()
                .clone()
        };
        assert_eq!(find("a").support, Support::Supported);
        let b = find("b");
        assert_eq!(b.support, Support::Partial);
        // back is the primary (same priority, first by name): its MAC applies.
        assert!(!b.reason.contains("back.mac_address"), "{}", b.reason);
        for k in [
            "front.mac_address",
            "back.gw_priority",
            "back.interface_name",
        ] {
            assert!(b.reason.contains(k), "{k}: {}", b.reason);
        }
    }

    #[test]
    fn links_and_external_links_are_pairs_and_supported() {
        let p = project(
            "services:\n  web:\n    image: alpine\n    links: [db, 'db:database']\n    external_links: ['legacy_db:old']\n  db: {image: alpine}\n  host:\n    image: alpine\n    network_mode: host\n    links: [db]\n",
        );
        let svcs = services(&p).unwrap();
        let web = svcs.iter().find(|s| s.name == "web").unwrap();
        assert_eq!(
            web.links,
            [("db".into(), "db".into()), ("db".into(), "database".into())]
        );
        assert_eq!(web.external_links, [("legacy_db".into(), "old".into())]);
        let r = reports(&svcs);
        let find = |s: &str, k: &str| {
            r.iter()
                .find(|x| x.service == s && x.key == k)
                .unwrap()
                .support
        };
        assert_eq!(find("web", "links"), Support::Supported);
        assert_eq!(find("web", "external_links"), Support::Supported);
        assert_eq!(find("host", "links"), Support::Rejected);
    }
}
