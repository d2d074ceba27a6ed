//! The registry operations of the OCI distribution spec: resolve a tag or
//! digest to a manifest, fetch manifests and blobs (verified, size-bounded),
//! check, mount and push blobs, push manifests, and check credentials for
//! `login`. Pulls try mirrors in order and fall back to the server; pushes
//! go to the first endpoint that may push.

use super::auth::{self, Challenge};
use super::credentials::{self, Credential};
use super::hosts::{Endpoint, Operation};
use super::transport::{header_str, read_limited, status_error, transport_error};
use super::{Registry, RegistryError};
use crate::image::digest::Digest;
use crate::image::manifest::{
    check_document, Descriptor, MANIFEST_ACCEPT, MAX_MANIFEST_SIZE, OCI_INDEX, OCI_MANIFEST,
};
use crate::image::reference::{Reference, DEFAULT_TAG};
use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RANGE, WWW_AUTHENTICATE};
use reqwest::{Method, Response, StatusCode};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

/// A blob's bytes as they arrive. Never yields more than the descriptor's
/// size; ends with an error if the registry sends fewer.
pub type BlobStream = Pin<Box<dyn Stream<Item = Result<Bytes, RegistryError>> + Send>>;

/// Called with the number of bytes sent, chunk by chunk.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// What [`Registry::push_blob`] uploads.
#[derive(Debug, Clone)]
pub enum BlobBody {
    Bytes(Bytes),
    /// Streamed from this file, which must hold exactly the descriptor's size.
    File(PathBuf),
}

impl From<Vec<u8>> for BlobBody {
    fn from(v: Vec<u8>) -> BlobBody {
        BlobBody::Bytes(Bytes::from(v))
    }
}

impl From<PathBuf> for BlobBody {
    fn from(p: PathBuf) -> BlobBody {
        BlobBody::File(p)
    }
}

fn pull_scopes(r: &Reference) -> Vec<String> {
    vec![auth::repository_scope(r.path(), false)]
}

fn push_scopes(r: &Reference) -> Vec<String> {
    vec![auth::repository_scope(r.path(), true)]
}

/// The media type of a fetched manifest: Content-Type, else the document's
/// own `mediaType`, else guessed from its shape.
fn manifest_media_type(content_type: Option<&str>, body: &[u8]) -> String {
    let ct = content_type
        .map(|c| c.split(';').next().unwrap_or("").trim())
        .filter(|c| !c.is_empty() && *c != "application/json" && *c != "text/plain")
        .map(str::to_string);
    if let Some(ct) = ct {
        return ct;
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Sniff {
        #[serde(default)]
        media_type: Option<String>,
        #[serde(default)]
        manifests: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Sniff>(body) {
        Ok(Sniff {
            media_type: Some(m),
            ..
        }) if !m.is_empty() => m,
        Ok(Sniff {
            manifests: Some(_), ..
        }) => OCI_INDEX.to_string(),
        _ => OCI_MANIFEST.to_string(),
    }
}

fn accept_header(extra: Option<&str>) -> String {
    let mut types: Vec<&str> = MANIFEST_ACCEPT.to_vec();
    if let Some(e) = extra {
        if !types.contains(&e) {
            types.insert(0, e);
        }
    }
    types.join(", ")
}

/// Append `key=value` to a URL's query.
fn with_query(url: &str, pairs: &[(&str, &str)]) -> Result<String, RegistryError> {
    let mut u = url::Url::parse(url).map_err(|e| RegistryError::BadHeader {
        url: url.to_string(),
        header: "Location",
        value: e.to_string(),
    })?;
    {
        let mut q = u.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    Ok(u.to_string())
}

/// Requests to a mirror name the upstream registry in `?ns=`, as
/// containerd does, so one mirror can serve several registries.
fn mirror_url(ep: &Endpoint, r: &Reference, url: String) -> Result<String, RegistryError> {
    if ep.mirror {
        with_query(&url, &[("ns", r.domain())])
    } else {
        Ok(url)
    }
}

/// The upload session URL from a `Location` header, relative or absolute.
fn upload_location(base: &str, resp: &Response) -> Result<String, RegistryError> {
    let bad = |value: String| RegistryError::BadHeader {
        url: base.to_string(),
        header: "Location",
        value,
    };
    let loc = header_str(resp, LOCATION.as_str()).ok_or_else(|| bad("(missing)".into()))?;
    let base_url = url::Url::parse(base).map_err(|e| bad(e.to_string()))?;
    let joined = base_url
        .join(loc)
        .map_err(|e| bad(format!("{loc} ({e})")))?;
    Ok(joined.to_string())
}

impl Registry {
    /// Fetch the manifest or index that `r` names (by digest if it has one,
    /// else by tag, `latest` for a bare name). The descriptor's digest is
    /// computed from the body and checked against the reference's digest
    /// and the registry's `Docker-Content-Digest`.
    pub async fn resolve(&self, r: &Reference) -> Result<(Descriptor, Vec<u8>), RegistryError> {
        let (op, object) = match (r.digest(), r.tag()) {
            (Some(d), _) => (Operation::Pull, d.to_string()),
            (None, Some(t)) => (Operation::Resolve, t.to_string()),
            (None, None) => (Operation::Resolve, DEFAULT_TAG.to_string()),
        };
        let mut last = None;
        for ep in self.endpoints_for(r.domain(), op)? {
            match self.get_manifest(&ep, r, &object, None).await {
                Ok(found) => return Ok(found),
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("endpoints_for never returns an empty list"))
    }

    /// Fetch the manifest `desc` describes from `r`'s repository, verified
    /// against the descriptor's digest and size.
    pub async fn fetch_manifest(
        &self,
        r: &Reference,
        desc: &Descriptor,
    ) -> Result<Vec<u8>, RegistryError> {
        let pinned = r.with_digest(desc.digest.clone());
        if desc.size > MAX_MANIFEST_SIZE {
            return Err(RegistryError::TooLarge {
                what: "manifest",
                url: pinned.to_string(),
                limit: MAX_MANIFEST_SIZE,
            });
        }
        let object = desc.digest.to_string();
        let mut last = None;
        for ep in self.endpoints_for(r.domain(), Operation::Pull)? {
            match self
                .get_manifest(&ep, &pinned, &object, Some(&desc.media_type))
                .await
            {
                Ok((got, body)) if got.size != desc.size => {
                    last = Some(RegistryError::Mismatch {
                        what: "manifest size",
                        reference: pinned.familiar(),
                        expected: desc.size.to_string(),
                        actual: body.len().to_string(),
                    })
                }
                Ok((_, body)) => {
                    // The index's descriptor must agree with what it points at.
                    if !desc.media_type.is_empty() {
                        check_document(&body, &desc.media_type).map_err(|reason| {
                            RegistryError::InvalidManifest {
                                reference: pinned.familiar(),
                                reason,
                            }
                        })?;
                    }
                    return Ok(body);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("endpoints_for never returns an empty list"))
    }

    async fn get_manifest(
        &self,
        ep: &Endpoint,
        r: &Reference,
        object: &str,
        media_type: Option<&str>,
    ) -> Result<(Descriptor, Vec<u8>), RegistryError> {
        let url = mirror_url(ep, r, ep.url(&format!("{}/manifests/{object}", r.path())))?;
        let accept = accept_header(media_type);
        let resp = self
            .send(ep, &pull_scopes(r), Method::GET, &url, &|rb| {
                Ok(rb.header(ACCEPT, accept.as_str()))
            })
            .await?;
        match resp.status() {
            s if s.is_success() => {}
            StatusCode::NOT_FOUND => {
                return Err(RegistryError::ManifestNotFound {
                    reference: r.familiar(),
                })
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(RegistryError::PullDenied {
                    name: r.familiar_name(),
                })
            }
            _ => return Err(status_error(&Method::GET, &url, resp).await),
        }
        let header_digest = header_str(&resp, "docker-content-digest").map(str::to_string);
        let content_type = header_str(&resp, CONTENT_TYPE.as_str()).map(str::to_string);
        let body = read_limited(resp, MAX_MANIFEST_SIZE, "manifest", &Method::GET, &url).await?;
        let actual = Digest::of_bytes(&body);
        if let Some(want) = r.digest() {
            if *want != actual {
                return Err(RegistryError::Mismatch {
                    what: "manifest digest",
                    reference: r.familiar(),
                    expected: want.to_string(),
                    actual: actual.to_string(),
                });
            }
        }
        // Only sha256 is checked; other algorithms cannot be compared here.
        if let Some(h) = header_digest.filter(|h| h.starts_with("sha256:")) {
            let claimed: Digest = h.parse().map_err(|_| RegistryError::BadHeader {
                url: url.clone(),
                header: "Docker-Content-Digest",
                value: h.clone(),
            })?;
            if claimed != actual {
                return Err(RegistryError::Mismatch {
                    what: "manifest digest",
                    reference: r.familiar(),
                    expected: claimed.to_string(),
                    actual: actual.to_string(),
                });
            }
        }
        let media_type = manifest_media_type(content_type.as_deref(), &body);
        check_document(&body, &media_type).map_err(|reason| RegistryError::InvalidManifest {
            reference: r.familiar(),
            reason,
        })?;
        let desc = Descriptor {
            media_type,
            digest: actual,
            size: body.len() as u64,
            platform: None,
            annotations: None,
            urls: None,
        };
        Ok((desc, body))
    }

    /// Stream the blob `desc` from `r`'s repository, starting at `offset`
    /// (a Range request; a registry that ignores it is skipped forward).
    /// Redirects (to a CDN) are followed. The caller verifies the digest.
    pub async fn fetch_blob(
        &self,
        r: &Reference,
        desc: &Descriptor,
        offset: u64,
    ) -> Result<BlobStream, RegistryError> {
        let mut last = None;
        for ep in self.endpoints_for(r.domain(), Operation::Pull)? {
            match self.get_blob(&ep, r, desc, offset).await {
                Ok(s) => return Ok(s),
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("endpoints_for never returns an empty list"))
    }

    async fn get_blob(
        &self,
        ep: &Endpoint,
        r: &Reference,
        desc: &Descriptor,
        offset: u64,
    ) -> Result<BlobStream, RegistryError> {
        let url = mirror_url(
            ep,
            r,
            ep.url(&format!("{}/blobs/{}", r.path(), desc.digest)),
        )?;
        let range = format!("bytes={offset}-");
        let resp = self
            .send(ep, &pull_scopes(r), Method::GET, &url, &|rb| {
                Ok(if offset > 0 {
                    rb.header(RANGE, range.as_str())
                } else {
                    rb
                })
            })
            .await?;
        let status = resp.status();
        match status {
            StatusCode::OK | StatusCode::PARTIAL_CONTENT => {}
            StatusCode::NOT_FOUND => {
                return Err(RegistryError::BlobNotFound {
                    repository: r.name(),
                    digest: desc.digest.clone(),
                })
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(RegistryError::PullDenied {
                    name: r.familiar_name(),
                })
            }
            _ => return Err(status_error(&Method::GET, &url, resp).await),
        }
        let skip = if status == StatusCode::OK { offset } else { 0 };
        let remaining = desc.size.saturating_sub(offset);
        if resp.content_length().is_some_and(|n| n > remaining + skip) {
            return Err(RegistryError::TooLarge {
                what: "blob",
                url,
                limit: desc.size,
            });
        }
        let limit = desc.size;
        let stream = futures_util::stream::try_unfold(
            (resp, skip, remaining, url),
            move |(mut resp, mut skip, mut remaining, url)| async move {
                loop {
                    let chunk = resp
                        .chunk()
                        .await
                        .map_err(|e| transport_error(&Method::GET, &url, &e))?;
                    let Some(mut chunk) = chunk else {
                        if remaining > 0 {
                            return Err(RegistryError::Transport {
                                method: "Get".into(),
                                url,
                                detail: format!("unexpected EOF ({remaining} bytes missing)"),
                            });
                        }
                        return Ok(None);
                    };
                    if skip > 0 {
                        let n = skip.min(chunk.len() as u64);
                        chunk = chunk.slice(n as usize..);
                        skip -= n;
                    }
                    if chunk.is_empty() {
                        continue;
                    }
                    if chunk.len() as u64 > remaining {
                        return Err(RegistryError::TooLarge {
                            what: "blob",
                            url,
                            limit,
                        });
                    }
                    remaining -= chunk.len() as u64;
                    return Ok(Some((chunk, (resp, skip, remaining, url))));
                }
            },
        );
        Ok(Box::pin(stream))
    }

    /// The first endpoint of `domain` that may push.
    fn push_endpoint(&self, domain: &str) -> Result<Endpoint, RegistryError> {
        let mut eps = self.endpoints_for(domain, Operation::Push)?;
        Ok(eps.swap_remove(0))
    }

    /// Whether the push target already holds blob `digest` (HEAD).
    pub async fn blob_exists(&self, r: &Reference, digest: &Digest) -> Result<bool, RegistryError> {
        let ep = self.push_endpoint(r.domain())?;
        let url = ep.url(&format!("{}/blobs/{digest}", r.path()));
        let resp = self
            .send(&ep, &push_scopes(r), Method::HEAD, &url, &|rb| Ok(rb))
            .await?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(RegistryError::PushDenied {
                name: r.familiar_name(),
            }),
            _ => Err(status_error(&Method::HEAD, &url, resp).await),
        }
    }

    /// Ask the registry to mount blob `digest` from repository `from` into
    /// `repo` (`POST ?mount=&from=`). `true` when mounted (201); `false` when
    /// the registry opened an upload instead (202, which is cancelled), when
    /// it cannot mount, or when `from` is on another registry.
    pub async fn mount_blob(
        &self,
        repo: &Reference,
        from: &Reference,
        digest: &Digest,
    ) -> Result<bool, RegistryError> {
        if repo.domain() != from.domain() {
            return Ok(false);
        }
        let ep = self.push_endpoint(repo.domain())?;
        let base = ep.url(&format!("{}/blobs/uploads/", repo.path()));
        let digest_s = digest.to_string();
        let url = with_query(&base, &[("mount", &digest_s), ("from", from.path())])?;
        let mut scopes = push_scopes(repo);
        if from.path() != repo.path() {
            scopes.push(auth::repository_scope(from.path(), false));
        }
        let resp = self
            .send(&ep, &scopes, Method::POST, &url, &|rb| {
                Ok(rb.header(CONTENT_LENGTH, "0"))
            })
            .await?;
        match resp.status() {
            StatusCode::CREATED => Ok(true),
            StatusCode::ACCEPTED => {
                // An upload session was opened instead; close it.
                if let Ok(loc) = upload_location(&url, &resp) {
                    let _ = self
                        .send(&ep, &scopes, Method::DELETE, &loc, &|rb| Ok(rb))
                        .await;
                }
                Ok(false)
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(RegistryError::PushDenied {
                name: repo.familiar_name(),
            }),
            s if s.is_client_error() => Ok(false),
            _ => Err(status_error(&Method::POST, &url, resp).await),
        }
    }

    /// Upload blob `desc` to `r`'s repository: `POST` an upload session, then
    /// one `PUT <location>?digest=` with the whole body. The registry
    /// verifies the digest.
    pub async fn push_blob(
        &self,
        r: &Reference,
        desc: &Descriptor,
        body: BlobBody,
        progress: Option<Progress>,
    ) -> Result<(), RegistryError> {
        if let BlobBody::File(path) = &body {
            let len = tokio::fs::metadata(path)
                .await
                .map_err(|source| RegistryError::Io {
                    path: path.clone(),
                    source,
                })?
                .len();
            if len != desc.size {
                return Err(RegistryError::Mismatch {
                    what: "blob size",
                    reference: format!("{} ({})", desc.digest, path.display()),
                    expected: desc.size.to_string(),
                    actual: len.to_string(),
                });
            }
        }
        if let BlobBody::Bytes(b) = &body {
            if b.len() as u64 != desc.size {
                return Err(RegistryError::Mismatch {
                    what: "blob size",
                    reference: desc.digest.to_string(),
                    expected: desc.size.to_string(),
                    actual: b.len().to_string(),
                });
            }
        }
        let ep = self.push_endpoint(r.domain())?;
        let scopes = push_scopes(r);
        let start = ep.url(&format!("{}/blobs/uploads/", r.path()));
        let resp = self
            .send(&ep, &scopes, Method::POST, &start, &|rb| {
                Ok(rb.header(CONTENT_LENGTH, "0"))
            })
            .await?;
        match resp.status() {
            StatusCode::ACCEPTED => {}
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(RegistryError::PushDenied {
                    name: r.familiar_name(),
                })
            }
            _ => return Err(status_error(&Method::POST, &start, resp).await),
        }
        let location = upload_location(&start, &resp)?;
        let digest_s = desc.digest.to_string();
        let put_url = with_query(&location, &[("digest", &digest_s)])?;
        let size = desc.size.to_string();
        let resp = self
            .send(&ep, &scopes, Method::PUT, &put_url, &|rb| {
                let body = match &body {
                    BlobBody::Bytes(b) => {
                        if let Some(p) = &progress {
                            p(b.len() as u64);
                        }
                        reqwest::Body::from(b.clone())
                    }
                    BlobBody::File(path) => file_body(path, progress.clone())?,
                };
                Ok(rb
                    .header(CONTENT_TYPE, "application/octet-stream")
                    .header(CONTENT_LENGTH, size.as_str())
                    .body(body))
            })
            .await?;
        match resp.status() {
            s if s.is_success() => Ok(()),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(RegistryError::PushDenied {
                name: r.familiar_name(),
            }),
            _ => Err(status_error(&Method::PUT, &put_url, resp).await),
        }
    }

    /// Upload a manifest or index under `tag_or_digest`; returns its digest.
    pub async fn put_manifest(
        &self,
        r: &Reference,
        tag_or_digest: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<Digest, RegistryError> {
        let ep = self.push_endpoint(r.domain())?;
        let url = ep.url(&format!("{}/manifests/{tag_or_digest}", r.path()));
        let body = Bytes::copy_from_slice(bytes);
        let resp = self
            .send(&ep, &push_scopes(r), Method::PUT, &url, &|rb| {
                Ok(rb.header(CONTENT_TYPE, media_type).body(body.clone()))
            })
            .await?;
        match resp.status() {
            s if s.is_success() => Ok(Digest::of_bytes(bytes)),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(RegistryError::PushDenied {
                name: r.familiar_name(),
            }),
            _ => Err(status_error(&Method::PUT, &url, resp).await),
        }
    }

    /// Check `username`/`password` against `server`'s `/v2/` (basic auth, or
    /// a token fetched with them), as `docker login` does before saving.
    /// `server` may be any spelling `docker login` takes (`docker.io`,
    /// `https://index.docker.io/v1/`, `localhost:5000`).
    pub async fn login(
        &self,
        server: &str,
        username: &str,
        password: &str,
    ) -> Result<(), RegistryError> {
        let key = credentials::server_key(server);
        let domain = if key == credentials::HUB_KEY {
            "docker.io".to_string()
        } else {
            key
        };
        let ep = self
            .endpoints(&domain)?
            .into_iter()
            .rfind(|e| !e.mirror)
            .expect("the server endpoint is always present");
        let client = self.client_for(&ep)?;
        let url = format!("{}/", ep.api);
        let get = || {
            let mut rb = client.get(&url);
            for (k, v) in &ep.headers {
                rb = rb.header(k.as_str(), v.as_str());
            }
            rb
        };
        let resp = get()
            .send()
            .await
            .map_err(|e| transport_error(&Method::GET, &url, &e))?;
        if resp.status().is_success() {
            return Ok(());
        }
        if resp.status() != StatusCode::UNAUTHORIZED {
            return Err(status_error(&Method::GET, &url, resp).await);
        }
        let challenges: Vec<Challenge> = resp
            .headers()
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(auth::parse_www_authenticate)
            .collect();
        let cred = Credential::Basic {
            username: username.to_string(),
            password: password.to_string(),
        };
        let failed = |status: StatusCode| RegistryError::LoginFailed {
            url: url.clone(),
            status: status.to_string(),
        };
        if let Some(Challenge::Bearer { realm, service, .. }) = challenges
            .iter()
            .find(|c| matches!(c, Challenge::Bearer { .. }))
        {
            let token = super::transport::fetch_token(
                &client,
                &ep.auth_host,
                realm,
                service.as_deref(),
                &[],
                Some(&cred),
            )
            .await?;
            let Some((token, _)) = token else {
                return Err(failed(StatusCode::UNAUTHORIZED));
            };
            let resp = get()
                .bearer_auth(token)
                .send()
                .await
                .map_err(|e| transport_error(&Method::GET, &url, &e))?;
            return match resp.status() {
                s if s.is_success() => Ok(()),
                s => Err(failed(s)),
            };
        }
        if challenges
            .iter()
            .any(|c| matches!(c, Challenge::Basic { .. }))
        {
            let resp = get()
                .basic_auth(username, Some(password))
                .send()
                .await
                .map_err(|e| transport_error(&Method::GET, &url, &e))?;
            return match resp.status() {
                s if s.is_success() => Ok(()),
                s @ (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => Err(failed(s)),
                _ => Err(status_error(&Method::GET, &url, resp).await),
            };
        }
        Err(failed(StatusCode::UNAUTHORIZED))
    }
}

/// A request body streaming `path` in 64 KiB chunks, reporting progress.
fn file_body(
    path: &std::path::Path,
    progress: Option<Progress>,
) -> Result<reqwest::Body, RegistryError> {
    use tokio::io::AsyncReadExt;
    let f = std::fs::File::open(path).map_err(|source| RegistryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let f = tokio::fs::File::from_std(f);
    let stream = futures_util::stream::unfold(Some((f, progress)), |state| async move {
        let (mut f, progress) = state?;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                if let Some(p) = &progress {
                    p(n as u64);
                }
                Some((Ok::<Vec<u8>, std::io::Error>(buf), Some((f, progress))))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    Ok(reqwest::Body::wrap_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::manifest::DOCKER_MANIFEST;

    #[test]
    fn media_type_from_header_or_body() {
        assert_eq!(
            manifest_media_type(
                Some("application/vnd.oci.image.index.v1+json; charset=utf-8"),
                b"{}"
            ),
            OCI_INDEX
        );
        let body = format!(r#"{{"schemaVersion":2,"mediaType":"{DOCKER_MANIFEST}"}}"#);
        assert_eq!(
            manifest_media_type(Some("application/json"), body.as_bytes()),
            DOCKER_MANIFEST
        );
        assert_eq!(manifest_media_type(None, br#"{"manifests":[]}"#), OCI_INDEX);
        assert_eq!(manifest_media_type(None, br#"{"layers":[]}"#), OCI_MANIFEST);
    }

    #[test]
    fn accept_and_queries() {
        assert_eq!(accept_header(None), MANIFEST_ACCEPT.join(", "));
        assert!(accept_header(Some("application/x-custom")).starts_with("application/x-custom, "));
        assert_eq!(
            accept_header(Some(OCI_MANIFEST)),
            MANIFEST_ACCEPT.join(", ")
        );
        assert_eq!(
            with_query(
                "http://h/v2/x/blobs/uploads/u?_state=a",
                &[("digest", "sha256:ab")]
            )
            .unwrap(),
            "http://h/v2/x/blobs/uploads/u?_state=a&digest=sha256%3Aab"
        );
    }
}
