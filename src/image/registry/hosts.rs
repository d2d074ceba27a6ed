//! Which URLs serve a registry, and how to talk to them: containerd's
//! `certs.d` layout (`<hosts_dir>/<host[:port]>/hosts.toml`, else
//! `<hosts_dir>/_default/hosts.toml`; without a `hosts.toml`, Docker's
//! `*.crt` / `*.cert` + `*.key` files in the host directory). Mirrors
//! (`[host."URL"]` tables) come first, in file order, for the operations
//! their `capabilities` allow; the `server` comes last. Without config,
//! `docker.io` is served by `https://registry-1.docker.io`, loopback hosts
//! and `--insecure-registry` hosts by plain HTTP, everything else by HTTPS.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum HostsError {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid hosts file {path}: {detail}")]
    Invalid { path: PathBuf, detail: String },
}

/// What a registry operation needs from a host (containerd's host capabilities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Fetch a manifest by tag.
    Resolve,
    /// Fetch manifests and blobs by digest.
    Pull,
    /// Upload blobs and manifests.
    Push,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    pub pull: bool,
    pub resolve: bool,
    pub push: bool,
}

impl Capabilities {
    pub const ALL: Capabilities = Capabilities {
        pull: true,
        resolve: true,
        push: true,
    };

    pub fn allows(&self, op: Operation) -> bool {
        match op {
            Operation::Resolve => self.resolve,
            Operation::Pull => self.pull,
            Operation::Push => self.push,
        }
    }
}

/// TLS settings of an endpoint; endpoints with equal settings share one HTTP client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TlsConfig {
    /// Extra CA certificates (PEM files) trusted besides the system roots.
    pub ca: Vec<PathBuf>,
    /// Client certificate and key files (the key may be inside the cert file).
    pub client: Vec<(PathBuf, Option<PathBuf>)>,
    /// Accept any server certificate.
    pub skip_verify: bool,
}

/// One URL that serves a registry's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// API root without trailing slash, e.g. `https://registry-1.docker.io/v2`.
    pub api: String,
    /// The key for credentials and the token cache: the registry's own name
    /// (`docker.io`, `localhost:5000`) for its server, the mirror's
    /// `host[:port]` for a mirror.
    pub auth_host: String,
    pub capabilities: Capabilities,
    pub tls: TlsConfig,
    /// Extra request headers from `hosts.toml`.
    pub headers: Vec<(String, String)>,
    /// Whether this is a mirror (a `[host]` entry) rather than the server.
    pub mirror: bool,
}

impl Endpoint {
    /// `api` + `/` + `rest`.
    pub fn url(&self, rest: &str) -> String {
        format!("{}/{}", self.api, rest.trim_start_matches('/'))
    }
}

/// Whether `domain` (`host[:port]`) is a loopback name: `localhost`,
/// 127.0.0.0/8 or `::1`.
pub fn is_loopback(domain: &str) -> bool {
    let host = host_part(domain);
    host == "localhost"
        || host
            .parse::<IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

/// `host` of `host[:port]`, without IPv6 brackets.
fn host_part(domain: &str) -> &str {
    if domain.parse::<IpAddr>().is_ok() {
        return domain;
    }
    if let Some(rest) = domain.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    domain.split(':').next().unwrap_or(domain)
}

/// Whether `domain` is served by plain HTTP: loopback, or listed in
/// `insecure` by host or by host:port.
pub fn is_insecure(domain: &str, insecure: &[String]) -> bool {
    let host = host_part(domain);
    is_loopback(domain)
        || insecure.iter().any(|i| {
            let i = i
                .trim()
                .trim_start_matches("http://")
                .trim_start_matches("https://")
                .trim_end_matches('/');
            i == domain || i == host
        })
}

/// The default server URL (without `/v2`) of a registry.
fn default_server(domain: &str, insecure: &[String]) -> String {
    if domain == "docker.io" {
        return "https://registry-1.docker.io".into();
    }
    let scheme = if is_insecure(domain, insecure) {
        "http"
    } else {
        "https"
    };
    format!("{scheme}://{domain}")
}

/// All endpoints for `domain`, mirrors first (in file order), server last.
pub fn resolve_endpoints(
    domain: &str,
    hosts_dir: &Path,
    insecure: &[String],
) -> Result<Vec<Endpoint>, HostsError> {
    let host_dir = hosts_dir.join(domain);
    let file = host_dir.join("hosts.toml");
    if let Some(text) = read_optional(&file)? {
        return parse_hosts(domain, &text, &host_dir, insecure, true, &file);
    }
    let mut server = Endpoint {
        api: format!("{}/v2", default_server(domain, insecure)),
        auth_host: domain.to_string(),
        capabilities: Capabilities::ALL,
        tls: TlsConfig::default(),
        headers: Vec::new(),
        mirror: false,
    };
    if host_dir.is_dir() {
        server.tls = docker_cert_files(&host_dir)?;
        return Ok(vec![server]);
    }
    let default_dir = hosts_dir.join("_default");
    let default_file = default_dir.join("hosts.toml");
    if let Some(text) = read_optional(&default_file)? {
        return parse_hosts(domain, &text, &default_dir, insecure, false, &default_file);
    }
    Ok(vec![server])
}

/// Of `all`, those usable for `op`, in the order to try them.
pub fn for_operation(all: &[Endpoint], op: Operation) -> Vec<Endpoint> {
    all.iter()
        .filter(|e| e.capabilities.allows(op))
        .cloned()
        .collect()
}

fn read_optional(path: &Path) -> Result<Option<String>, HostsError> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(HostsError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Docker's certs.d files: `*.crt` are CAs, `x.cert` with `x.key` a client pair.
fn docker_cert_files(dir: &Path) -> Result<TlsConfig, HostsError> {
    let rerr = |source| HostsError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(rerr)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let mut tls = TlsConfig::default();
    for p in &names {
        match p.extension().and_then(|e| e.to_str()) {
            Some("crt") => tls.ca.push(p.clone()),
            Some("cert") => {
                let key = p.with_extension("key");
                if !key.exists() {
                    return Err(HostsError::Invalid {
                        path: p.clone(),
                        detail: format!("missing key {} for client certificate", key.display()),
                    });
                }
                tls.client.push((p.clone(), Some(key)));
            }
            _ => {}
        }
    }
    Ok(tls)
}

#[derive(Debug, Default, Deserialize)]
struct HostFile {
    server: Option<String>,
    #[serde(flatten)]
    top: HostEntry,
    #[serde(default)]
    host: BTreeMap<String, HostEntry>,
}

#[derive(Debug, Default, Deserialize)]
struct HostEntry {
    capabilities: Option<Vec<String>>,
    ca: Option<OneOrMany>,
    client: Option<ClientCerts>,
    skip_verify: Option<bool>,
    header: Option<BTreeMap<String, OneOrMany>>,
    override_path: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// `client = "cert.pem"`, `client = ["cert", "key"]` or `client = [["cert", "key"], ...]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ClientCerts {
    One(String),
    Pair(Vec<String>),
    Pairs(Vec<Vec<String>>),
}

fn parse_hosts(
    domain: &str,
    text: &str,
    dir: &Path,
    insecure: &[String],
    use_server: bool,
    file: &Path,
) -> Result<Vec<Endpoint>, HostsError> {
    let invalid = |detail: String| HostsError::Invalid {
        path: file.to_path_buf(),
        detail,
    };
    let parsed: HostFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    // TOML tables are unordered once parsed; mirrors are tried in the order
    // they appear in the file, as containerd does.
    let mut mirrors: Vec<(usize, String, HostEntry)> = parsed
        .host
        .into_iter()
        .map(|(k, v)| {
            let pos = [format!("\"{k}\""), format!("'{k}'")]
                .iter()
                .filter_map(|q| text.find(q.as_str()))
                .min()
                .unwrap_or(usize::MAX);
            (pos, k, v)
        })
        .collect();
    mirrors.sort_by_key(|(pos, _, _)| *pos);

    let mut out = Vec::new();
    for (_, url, entry) in mirrors {
        let ep = make_endpoint(&url, entry, dir, insecure, true, file)?;
        out.push(ep);
    }
    let server_url = match parsed.server.filter(|_| use_server) {
        Some(s) => s,
        None => default_server(domain, insecure),
    };
    let mut server = make_endpoint(&server_url, parsed.top, dir, insecure, false, file)?;
    server.auth_host = domain.to_string();
    out.push(server);
    Ok(out)
}

fn make_endpoint(
    raw: &str,
    entry: HostEntry,
    dir: &Path,
    insecure: &[String],
    mirror: bool,
    file: &Path,
) -> Result<Endpoint, HostsError> {
    let invalid = |detail: String| HostsError::Invalid {
        path: file.to_path_buf(),
        detail,
    };
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        let host = raw.split('/').next().unwrap_or(raw);
        let scheme = if is_insecure(host, insecure) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{raw}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|e| invalid(format!("host {raw:?}: {e}")))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(invalid(format!(
            "host {raw:?}: scheme must be http or https"
        )));
    }
    let host = url
        .host_str()
        .ok_or_else(|| invalid(format!("host {raw:?} has no host name")))?;
    let auth_host = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    let path = url.path().trim_end_matches('/');
    let api_path = if path.is_empty() {
        "/v2".to_string()
    } else if entry.override_path.unwrap_or(false) || path.ends_with("/v2") {
        path.to_string()
    } else {
        format!("{path}/v2")
    };
    let api = format!("{}://{}{}", url.scheme(), auth_host, api_path);

    let capabilities = match entry.capabilities {
        None => Capabilities::ALL,
        Some(list) => {
            let mut c = Capabilities {
                pull: false,
                resolve: false,
                push: false,
            };
            for cap in list {
                match cap.as_str() {
                    "pull" => c.pull = true,
                    "resolve" => c.resolve = true,
                    "push" => c.push = true,
                    other => {
                        return Err(invalid(format!("unknown capability {other:?} for {raw}")))
                    }
                }
            }
            c
        }
    };
    let resolve_path = |p: String| {
        let p = PathBuf::from(p);
        if p.is_absolute() {
            p
        } else {
            dir.join(p)
        }
    };
    let mut tls = TlsConfig {
        skip_verify: entry.skip_verify.unwrap_or(false),
        ..TlsConfig::default()
    };
    if let Some(ca) = entry.ca {
        tls.ca = ca.into_vec().into_iter().map(resolve_path).collect();
    }
    if let Some(client) = entry.client {
        let pairs = match client {
            ClientCerts::One(c) => vec![vec![c]],
            ClientCerts::Pair(p) => vec![p],
            ClientCerts::Pairs(p) => p,
        };
        for pair in pairs {
            let mut it = pair.into_iter();
            let Some(cert) = it.next() else {
                return Err(invalid(format!("empty client certificate entry for {raw}")));
            };
            let key = it.next();
            if it.next().is_some() {
                return Err(invalid(format!(
                    "client entry for {raw} has more than cert and key"
                )));
            }
            tls.client.push((resolve_path(cert), key.map(resolve_path)));
        }
    }
    let mut headers = Vec::new();
    for (name, values) in entry.header.unwrap_or_default() {
        for v in values.into_vec() {
            headers.push((name.clone(), v));
        }
    }
    Ok(Endpoint {
        api,
        auth_host,
        capabilities,
        tls,
        headers,
        mirror,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, host: &str, text: &str) {
        let d = dir.join(host);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("hosts.toml"), text).unwrap();
    }

    #[test]
    fn defaults_without_config() {
        let dir = tempfile::tempdir().unwrap();
        let eps = resolve_endpoints("docker.io", dir.path(), &[]).unwrap();
        assert_eq!(eps.len(), 1);
        assert_eq!(eps[0].api, "https://registry-1.docker.io/v2");
        assert_eq!(eps[0].auth_host, "docker.io");
        assert_eq!(
            eps[0].url("library/x/manifests/latest"),
            "https://registry-1.docker.io/v2/library/x/manifests/latest"
        );
        let api = |d: &str, ins: &[String]| {
            resolve_endpoints(d, dir.path(), ins).unwrap()[0]
                .api
                .clone()
        };
        assert_eq!(api("localhost:5000", &[]), "http://localhost:5000/v2");
        assert_eq!(api("127.0.0.1:5000", &[]), "http://127.0.0.1:5000/v2");
        assert_eq!(api("127.3.4.5", &[]), "http://127.3.4.5/v2");
        assert_eq!(api("[::1]:5000", &[]), "http://[::1]:5000/v2");
        assert_eq!(api("ghcr.io", &[]), "https://ghcr.io/v2");
        assert_eq!(
            api("reg.lan:5000", &["reg.lan:5000".into()]),
            "http://reg.lan:5000/v2"
        );
        assert_eq!(
            api("reg.lan:5000", &["reg.lan".into()]),
            "http://reg.lan:5000/v2"
        );
        assert_eq!(
            api("reg.lan:5000", &["reg.lan:6000".into()]),
            "https://reg.lan:5000/v2"
        );
        assert_eq!(
            api("reg.lan", &["http://reg.lan/".into()]),
            "http://reg.lan/v2"
        );
        // Missing hosts dir is fine.
        assert!(resolve_endpoints("x.io", Path::new("/nonexistent/berth"), &[]).is_ok());
    }

    #[test]
    fn hosts_toml_mirrors_in_file_order() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "docker.io",
            r#"
server = "https://registry-1.docker.io"

[host."https://zz-mirror.example.com"]
  capabilities = ["pull", "resolve"]
  ca = "certs/mirror.pem"
  [host."https://zz-mirror.example.com".header]
    x-custom = "one"
    x-multi = ["a", "b"]

[host."http://aa-mirror.example.com:5000/prefix"]
  capabilities = ["pull"]
  skip_verify = true
  client = [["/abs/client.cert", "client.key"]]

[host."https://raw.example.com/custom/api"]
  override_path = true
  client = "/abs/combined.pem"
"#,
        );
        let eps = resolve_endpoints("docker.io", dir.path(), &[]).unwrap();
        let apis: Vec<_> = eps.iter().map(|e| e.api.as_str()).collect();
        assert_eq!(
            apis,
            [
                "https://zz-mirror.example.com/v2",
                "http://aa-mirror.example.com:5000/prefix/v2",
                "https://raw.example.com/custom/api",
                "https://registry-1.docker.io/v2",
            ]
        );
        assert!(eps[0].mirror && !eps[3].mirror);
        assert_eq!(eps[0].auth_host, "zz-mirror.example.com");
        assert_eq!(eps[1].auth_host, "aa-mirror.example.com:5000");
        assert_eq!(eps[3].auth_host, "docker.io");
        assert_eq!(
            eps[0].tls.ca,
            [dir.path().join("docker.io/certs/mirror.pem")]
        );
        assert_eq!(
            eps[0].headers,
            [
                ("x-custom".to_string(), "one".to_string()),
                ("x-multi".into(), "a".into()),
                ("x-multi".into(), "b".into())
            ]
        );
        assert!(eps[1].tls.skip_verify);
        assert_eq!(
            eps[1].tls.client,
            [(
                PathBuf::from("/abs/client.cert"),
                Some(dir.path().join("docker.io/client.key"))
            )]
        );
        assert_eq!(
            eps[2].tls.client,
            [(PathBuf::from("/abs/combined.pem"), None)]
        );
        assert_eq!(eps[2].capabilities, Capabilities::ALL);

        let order =
            |op| -> Vec<String> { for_operation(&eps, op).into_iter().map(|e| e.api).collect() };
        assert_eq!(order(Operation::Resolve).len(), 3);
        assert_eq!(
            order(Operation::Resolve)[0],
            "https://zz-mirror.example.com/v2"
        );
        assert_eq!(order(Operation::Pull).len(), 4);
        assert_eq!(
            order(Operation::Push),
            [
                "https://raw.example.com/custom/api",
                "https://registry-1.docker.io/v2"
            ]
        );
    }

    #[test]
    fn server_settings_and_default_dir() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "reg.example:5000",
            r#"
server = "https://reg.example:5000"
ca = ["/etc/a.pem", "/etc/b.pem"]
skip_verify = true
capabilities = ["pull", "resolve", "push"]
"#,
        );
        let eps = resolve_endpoints("reg.example:5000", dir.path(), &[]).unwrap();
        assert_eq!(eps.len(), 1);
        assert_eq!(eps[0].api, "https://reg.example:5000/v2");
        assert_eq!(eps[0].auth_host, "reg.example:5000");
        assert_eq!(eps[0].tls.ca.len(), 2);
        assert!(eps[0].tls.skip_verify);

        write(
            dir.path(),
            "_default",
            r#"
server = "https://ignored.example"
[host."https://mirror.example"]
  capabilities = ["pull"]
"#,
        );
        let eps = resolve_endpoints("other.example", dir.path(), &[]).unwrap();
        let apis: Vec<_> = eps.iter().map(|e| e.api.as_str()).collect();
        assert_eq!(
            apis,
            ["https://mirror.example/v2", "https://other.example/v2"]
        );
        assert_eq!(eps[1].auth_host, "other.example");

        write(dir.path(), "bad.example", "[host.\"ftp://x\"]\n");
        assert!(resolve_endpoints("bad.example", dir.path(), &[]).is_err());
        write(
            dir.path(),
            "bad2.example",
            "[host.\"https://x\"]\ncapabilities = [\"fly\"]\n",
        );
        let e = resolve_endpoints("bad2.example", dir.path(), &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("hosts.toml") && e.contains("fly"), "{e}");
        write(dir.path(), "bad3.example", "server = [");
        assert!(resolve_endpoints("bad3.example", dir.path(), &[]).is_err());
    }

    #[test]
    fn docker_certs_d_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("secure.example:443");
        std::fs::create_dir_all(&d).unwrap();
        for f in ["ca.crt", "client.cert", "client.key", "README"] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let eps = resolve_endpoints("secure.example:443", dir.path(), &[]).unwrap();
        assert_eq!(eps.len(), 1);
        assert_eq!(eps[0].tls.ca, [d.join("ca.crt")]);
        assert_eq!(
            eps[0].tls.client,
            [(d.join("client.cert"), Some(d.join("client.key")))]
        );
        std::fs::remove_file(d.join("client.key")).unwrap();
        assert!(resolve_endpoints("secure.example:443", dir.path(), &[]).is_err());
    }

    #[test]
    fn loopback_detection() {
        for l in [
            "localhost",
            "localhost:5000",
            "127.0.0.1",
            "127.9.9.9:80",
            "[::1]:5000",
            "::1",
        ] {
            assert!(is_loopback(l), "{l}");
        }
        for n in [
            "example.com",
            "10.0.0.1:5000",
            "localhost.example.com",
            "128.0.0.1",
        ] {
            assert!(!is_loopback(n), "{n}");
        }
    }
}
