//! HTTP plumbing under the registry operations: one reqwest client per TLS
//! config, sending a request with cached or freshly negotiated auth (one
//! retry after a 401), Go-style transport error messages, registry error
//! bodies, and size-bounded body reads.

use super::auth::{self, Challenge};
use super::credentials::{self, Credential};
use super::hosts::{Endpoint, TlsConfig};
use super::{Registry, RegistryError};
use reqwest::header::{HeaderValue, AUTHORIZATION, WWW_AUTHENTICATE};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use std::time::Duration;

const USER_AGENT: &str = concat!("berth/", env!("CARGO_PKG_VERSION"));

/// Builds the request-specific part (headers, body) of a request. Called
/// again when the request is retried after authentication.
pub(super) type Build<'a> =
    &'a (dyn Fn(RequestBuilder) -> Result<RequestBuilder, RegistryError> + Send + Sync);

impl Registry {
    /// The HTTP client for `tls`, built on first use.
    pub(super) fn client_for(&self, ep: &Endpoint) -> Result<reqwest::Client, RegistryError> {
        let mut clients = self.inner.clients.lock().expect("client pool poisoned");
        if let Some(c) = clients.get(&ep.tls) {
            return Ok(c.clone());
        }
        let c = build_client(&ep.tls).map_err(|detail| RegistryError::Tls {
            api: ep.api.clone(),
            detail,
        })?;
        clients.insert(ep.tls.clone(), c.clone());
        Ok(c)
    }

    /// Credentials for an endpoint's auth host, looked up once per client.
    pub(super) async fn credential(&self, host: &str) -> Result<Option<Credential>, RegistryError> {
        if let Some(c) = self.inner.creds.lock().expect("creds poisoned").get(host) {
            return Ok(c.clone());
        }
        let path = self.inner.opts.docker_config.clone();
        let h = host.to_string();
        // Credential helpers are external programs: keep them off the runtime.
        let found = tokio::task::spawn_blocking(move || credentials::lookup(&path, &h))
            .await
            .expect("credential lookup panicked")?;
        self.inner
            .creds
            .lock()
            .expect("creds poisoned")
            .insert(host.to_string(), found.clone());
        Ok(found)
    }

    /// Send `method url` to `ep` with auth for `scopes`: a cached header, or
    /// one negotiated up front from the host's known challenge, or after a 401.
    /// A response that is still 401/403 is returned for the caller to word.
    pub(super) async fn send(
        &self,
        ep: &Endpoint,
        scopes: &[String],
        method: Method,
        url: &str,
        build: Build<'_>,
    ) -> Result<Response, RegistryError> {
        let client = self.client_for(ep)?;
        let cache = &self.inner.auth;
        let mut authz = cache.header(&ep.auth_host, scopes);
        if authz.is_none() {
            if let Some(ch) = cache.challenge(&ep.auth_host) {
                authz = self.authorize(ep, &client, &ch, scopes).await?;
            }
        }
        let mut retried = false;
        loop {
            let mut rb = client.request(method.clone(), url);
            for (k, v) in &ep.headers {
                rb = rb.header(k.as_str(), v.as_str());
            }
            if let Some(a) = &authz {
                rb = rb.header(AUTHORIZATION, a.as_str());
            }
            let rb = build(rb)?;
            crate::debug::debug!("registry: {method} {url}");
            let resp = rb
                .send()
                .await
                .map_err(|e| transport_error(&method, url, &e))?;
            crate::debug::debug!("registry: {method} {url} -> {}", resp.status());
            if resp.status() != StatusCode::UNAUTHORIZED || retried {
                return Ok(resp);
            }
            retried = true;
            let challenges: Vec<Challenge> = resp
                .headers()
                .get_all(WWW_AUTHENTICATE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(auth::parse_www_authenticate)
                .collect();
            // Prefer Bearer, as Docker does.
            let Some(ch) = challenges
                .iter()
                .find(|c| matches!(c, Challenge::Bearer { .. }))
                .or_else(|| challenges.first())
                .cloned()
            else {
                return Ok(resp);
            };
            cache.forget(&ep.auth_host, scopes);
            cache.set_challenge(&ep.auth_host, ch.clone());
            match self.authorize(ep, &client, &ch, scopes).await? {
                Some(a) => authz = Some(a),
                None => return Ok(resp),
            }
        }
    }

    /// Obtain an `Authorization` value for `scopes` under challenge `ch`.
    /// `None` when there is nothing to send (basic auth without credentials,
    /// or a token server that refuses anonymous access).
    async fn authorize(
        &self,
        ep: &Endpoint,
        client: &reqwest::Client,
        ch: &Challenge,
        scopes: &[String],
    ) -> Result<Option<String>, RegistryError> {
        let cred = self.credential(&ep.auth_host).await?;
        let cache = &self.inner.auth;
        match ch {
            Challenge::Basic { .. } => match cred {
                Some(Credential::Basic { username, password }) => {
                    let h = auth::basic_header(&username, &password);
                    cache.store(&ep.auth_host, scopes, &h, None);
                    Ok(Some(h))
                }
                _ => Ok(None),
            },
            Challenge::Bearer {
                realm,
                service,
                scope,
            } => {
                let mut all = scopes.to_vec();
                for s in scope.iter().flat_map(|s| s.split(' ')) {
                    if !s.is_empty() && !all.iter().any(|a| a == s) {
                        all.push(s.to_string());
                    }
                }
                match fetch_token(
                    client,
                    &ep.auth_host,
                    realm,
                    service.as_deref(),
                    &all,
                    cred.as_ref(),
                )
                .await?
                {
                    Some((token, ttl)) => {
                        let h = format!("Bearer {token}");
                        cache.store(&ep.auth_host, scopes, &h, Some(ttl));
                        Ok(Some(h))
                    }
                    None => Ok(None),
                }
            }
        }
    }
}

/// Ask a token server for a bearer token. `Ok(None)` when it refuses an
/// anonymous request; an error when it refuses the given credentials.
pub(super) async fn fetch_token(
    client: &reqwest::Client,
    host: &str,
    realm: &str,
    service: Option<&str>,
    scopes: &[String],
    cred: Option<&Credential>,
) -> Result<Option<(String, Duration)>, RegistryError> {
    let rb = auth::token_request(client, realm, service, scopes, cred).map_err(|e| {
        RegistryError::BadHeader {
            url: format!("https://{host}"),
            header: "WWW-Authenticate realm",
            value: format!("{realm} ({e})"),
        }
    })?;
    let req = rb
        .build()
        .map_err(|e| transport_error(&Method::GET, realm, &e))?;
    let method = req.method().clone();
    let url = req.url().to_string();
    let resp = client
        .execute(req)
        .await
        .map_err(|e| transport_error(&method, &url, &e))?;
    let status = resp.status();
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        if cred.is_none() {
            return Ok(None);
        }
        let detail = error_body_detail(resp).await;
        let detail = match detail.strip_prefix(": ") {
            Some(d) if !d.is_empty() => d.to_string(),
            _ => "incorrect username or password".to_string(),
        };
        return Err(RegistryError::Unauthorized {
            host: host.to_string(),
            detail,
        });
    }
    if !status.is_success() {
        return Err(status_error(&method, &url, resp).await);
    }
    let body = read_limited(resp, 1024 * 1024, "token response", &method, &url).await?;
    let parsed: auth::TokenResponse =
        serde_json::from_slice(&body).map_err(|e| RegistryError::BadHeader {
            url: url.clone(),
            header: "token response",
            value: e.to_string(),
        })?;
    match parsed.into_token() {
        Some(t) => Ok(Some(t)),
        None => Err(RegistryError::BadHeader {
            url,
            header: "token response",
            value: "no token or access_token".into(),
        }),
    }
}

fn build_client(tls: &TlsConfig) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(30))
        .read_timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::limited(10));
    for ca in &tls.ca {
        let pem = std::fs::read(ca).map_err(|e| format!("reading CA {}: {e}", ca.display()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| format!("invalid CA {}: {e}", ca.display()))?;
        if certs.is_empty() {
            return Err(format!("no certificate in CA file {}", ca.display()));
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    if let Some((cert, key)) = tls.client.first() {
        let mut pem = std::fs::read(cert)
            .map_err(|e| format!("reading client certificate {}: {e}", cert.display()))?;
        if let Some(key) = key {
            pem.push(b'\n');
            pem.extend(
                std::fs::read(key)
                    .map_err(|e| format!("reading client key {}: {e}", key.display()))?,
            );
        }
        let id = reqwest::Identity::from_pem(&pem)
            .map_err(|e| format!("invalid client certificate {}: {e}", cert.display()))?;
        b = b.identity(id);
    }
    if tls.skip_verify {
        b = b.danger_accept_invalid_certs(true);
    }
    b.build().map_err(|e| error_chain(&e))
}

/// Go's spelling of an HTTP method in `net/http` errors: `Get`, `Head`, `Put`.
pub(super) fn go_method(m: &Method) -> String {
    let s = m.as_str();
    let mut out = s[..1].to_string();
    out.push_str(&s[1..].to_ascii_lowercase());
    out
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    parts.join(": ")
}

/// A transport failure worded like Go's `net/http`, naming host:port:
/// `Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused`.
pub(super) fn transport_error(method: &Method, url: &str, e: &reqwest::Error) -> RegistryError {
    let parsed = url::Url::parse(url).ok();
    let hostport = parsed
        .as_ref()
        .map(|u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        })
        .unwrap_or_default();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let mut io_kind = None;
    let mut io_text = None;
    let mut chain = String::new();
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
            io_text.get_or_insert(io.to_string());
        }
        chain.push_str(&s.to_string());
        chain.push_str(": ");
        src = s.source();
    }
    let lower = chain.to_ascii_lowercase();
    let detail = if e.is_timeout() || io_kind == Some(std::io::ErrorKind::TimedOut) {
        format!("dial tcp {hostport}: i/o timeout")
    } else if io_kind == Some(std::io::ErrorKind::ConnectionRefused) {
        format!("dial tcp {hostport}: connect: connection refused")
    } else if lower.contains("unknownissuer") {
        "tls: failed to verify certificate: x509: certificate signed by unknown authority"
            .to_string()
    } else if lower.contains("invalid peer certificate") {
        let why = io_text.unwrap_or_else(|| "invalid peer certificate".into());
        format!("tls: failed to verify certificate: {why}")
    } else if lower.contains("dns error") {
        format!("dial tcp: lookup {host}: no such host")
    } else if e.is_connect() {
        let why = io_text.unwrap_or_else(|| "connection failed".into());
        format!("dial tcp {hostport}: {}", why.to_ascii_lowercase())
    } else {
        // Skip reqwest's own "error sending request for url (...)" prefix.
        let mut parts = Vec::new();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            let t = s.to_string();
            if !parts.iter().any(|p: &String| p.contains(&t)) {
                parts.push(t);
            }
            src = s.source();
        }
        if parts.is_empty() {
            e.to_string()
        } else {
            parts.join(": ")
        }
    };
    RegistryError::Transport {
        method: go_method(method),
        url: url.to_string(),
        detail,
    }
}

/// `: <code>: <message>` from an OCI error body (`{"errors":[{"code","message"}]}`),
/// as Docker's errcode package prints it; empty when there is none.
pub(super) async fn error_body_detail(resp: Response) -> String {
    let body = match read_limited(resp, 64 * 1024, "error body", &Method::GET, "").await {
        Ok(b) => b,
        Err(_) => return String::new(),
    };
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        errors: Vec<Item>,
        #[serde(default)]
        details: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    let Ok(parsed) = serde_json::from_slice::<Body>(&body) else {
        return String::new();
    };
    let mut parts: Vec<String> = parsed
        .errors
        .iter()
        .map(|e| {
            let code = e.code.to_ascii_lowercase().replace('_', " ");
            match (code.is_empty(), e.message.is_empty()) {
                (false, false) => format!("{code}: {}", e.message),
                (false, true) => code,
                _ => e.message.clone(),
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(d) = parsed.details.filter(|d| !d.is_empty()) {
        parts.push(d);
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join("; "))
    }
}

/// An unexpected status as an error carrying the registry's own message.
pub(super) async fn status_error(method: &Method, url: &str, resp: Response) -> RegistryError {
    let status = resp.status().as_u16();
    RegistryError::Status {
        method: go_method(method),
        url: url.to_string(),
        status,
        detail: error_body_detail(resp).await,
    }
}

/// Read a whole body, refusing more than `limit` bytes by Content-Length and
/// while reading.
pub(super) async fn read_limited(
    mut resp: Response,
    limit: u64,
    what: &'static str,
    method: &Method,
    url: &str,
) -> Result<Vec<u8>, RegistryError> {
    let too_large = || RegistryError::TooLarge {
        what,
        url: url.to_string(),
        limit,
    };
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut buf = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| transport_error(method, url, &e))?
    {
        if buf.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// A header's value as text, if present and valid.
pub(super) fn header_str<'a>(resp: &'a Response, name: &str) -> Option<&'a str> {
    resp.headers()
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_method_names() {
        assert_eq!(go_method(&Method::GET), "Get");
        assert_eq!(go_method(&Method::HEAD), "Head");
        assert_eq!(go_method(&Method::DELETE), "Delete");
    }

    #[tokio::test]
    async fn refused_connection_names_host_and_port() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let url = format!("http://127.0.0.1:{port}/v2/");
        let e = reqwest::Client::new().get(&url).send().await.unwrap_err();
        let msg = transport_error(&Method::GET, &url, &e).to_string();
        assert_eq!(
            msg,
            format!("Get \"{url}\": dial tcp 127.0.0.1:{port}: connect: connection refused")
        );
    }

    #[test]
    fn bad_ca_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, "not a certificate").unwrap();
        let tls = TlsConfig {
            ca: vec![ca.clone()],
            ..TlsConfig::default()
        };
        let e = build_client(&tls).unwrap_err();
        assert!(e.contains(&ca.display().to_string()), "{e}");
        let tls = TlsConfig {
            ca: vec![dir.path().join("missing.pem")],
            ..TlsConfig::default()
        };
        assert!(build_client(&tls).unwrap_err().contains("missing.pem"));
        assert!(build_client(&TlsConfig {
            skip_verify: true,
            ..TlsConfig::default()
        })
        .is_ok());
    }
}
