//! An async client for registries that speak the OCI distribution spec
//! (Docker Registry HTTP API v2): resolving tags and digests to manifests,
//! fetching and pushing blobs and manifests, cross-repository mounts, and
//! `login`. It owns endpoint choice (containerd's `hosts.toml`, see
//! [`hosts`]), authentication (see [`auth`]) and Docker's credential file
//! (see [`credentials`]); it never touches the content store and never prints.
//! Errors keep Docker's wording where scripts look for it (`manifest for x
//! not found: manifest unknown`, `pull access denied for x, repository does
//! not exist or may require 'docker login'`, `Get "url": dial tcp host:port:
//! connect: connection refused`).

pub mod auth;
pub mod client;
pub mod credentials;
pub mod hosts;
mod transport;

#[cfg(test)]
mod tests;

pub use hosts::{Endpoint, Operation};

use crate::image::digest::Digest;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where the client finds its configuration.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    /// Registries (`host` or `host:port`) spoken to over plain HTTP.
    pub insecure: Vec<String>,
    /// containerd `certs.d`-style directory of `hosts.toml` files.
    pub hosts_dir: PathBuf,
    /// Docker's `config.json` with credentials.
    pub docker_config: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Connection, TLS, timeout or read failure, in Go's `net/http` wording.
    #[error("{method} \"{url}\": {detail}")]
    Transport {
        method: String,
        url: String,
        detail: String,
    },
    #[error("manifest for {reference} not found: manifest unknown")]
    ManifestNotFound { reference: String },
    #[error("blob {digest} not found in {repository}: blob unknown to registry")]
    BlobNotFound { repository: String, digest: Digest },
    #[error(
        "pull access denied for {name}, repository does not exist or may require 'docker login'"
    )]
    PullDenied { name: String },
    #[error("push access denied for {name}: requested access to the resource is denied")]
    PushDenied { name: String },
    #[error("authenticating to {host}: unauthorized: {detail}")]
    Unauthorized { host: String, detail: String },
    #[error("login attempt to {url} failed with status: {status}")]
    LoginFailed { url: String, status: String },
    #[error("{method} \"{url}\": unexpected status {status}{detail}")]
    Status {
        method: String,
        url: String,
        status: u16,
        /// `: <code>: <message>` from the registry's error body, if any.
        detail: String,
    },
    #[error("{what} from {url} is larger than the {limit}-byte limit")]
    TooLarge {
        what: &'static str,
        url: String,
        limit: u64,
    },
    #[error("{what} for {reference} failed verification: expected {expected}, got {actual}")]
    Mismatch {
        what: &'static str,
        reference: String,
        expected: String,
        actual: String,
    },
    /// An ambiguous manifest or index (see `manifest::check_document`).
    #[error("invalid manifest for {reference}: {reason}")]
    InvalidManifest { reference: String, reason: String },
    #[error("{url}: registry sent an invalid {header} header {value:?}")]
    BadHeader {
        url: String,
        header: &'static str,
        value: String,
    },
    #[error("no endpoint configured for {domain} can {op:?}; check its hosts.toml capabilities")]
    NoEndpoint { domain: String, op: Operation },
    #[error("TLS setup for {api}: {detail}")]
    Tls { api: String, detail: String },
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Hosts(#[from] hosts::HostsError),
    #[error(transparent)]
    Credentials(#[from] credentials::CredentialsError),
}

impl RegistryError {
    /// Whether the manifest or blob does not exist (as opposed to a failure).
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            RegistryError::ManifestNotFound { .. } | RegistryError::BlobNotFound { .. }
        )
    }
}

/// The registry client. Cheap to clone: clones share HTTP clients (one per
/// distinct TLS config), tokens and looked-up credentials.
#[derive(Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

struct Inner {
    opts: RegistryOptions,
    clients: Mutex<HashMap<hosts::TlsConfig, reqwest::Client>>,
    auth: auth::AuthCache,
    creds: Mutex<HashMap<String, Option<credentials::Credential>>>,
}

impl Registry {
    pub fn new(opts: RegistryOptions) -> Registry {
        Registry {
            inner: Arc::new(Inner {
                opts,
                clients: Mutex::new(HashMap::new()),
                auth: auth::AuthCache::default(),
                creds: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Every endpoint of `domain`, mirrors first, server last.
    pub fn endpoints(&self, domain: &str) -> Result<Vec<Endpoint>, RegistryError> {
        Ok(hosts::resolve_endpoints(
            domain,
            &self.inner.opts.hosts_dir,
            &self.inner.opts.insecure,
        )?)
    }

    /// The endpoints of `domain` to try for `op`, in order; never empty.
    fn endpoints_for(&self, domain: &str, op: Operation) -> Result<Vec<Endpoint>, RegistryError> {
        let eps = hosts::for_operation(&self.endpoints(domain)?, op);
        if eps.is_empty() {
            return Err(RegistryError::NoEndpoint {
                domain: domain.to_string(),
                op,
            });
        }
        Ok(eps)
    }
}
