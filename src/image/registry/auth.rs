//! Registry authentication as Docker and the distribution token spec do it:
//! a 401 carries `WWW-Authenticate` (`Bearer realm=..,service=..,scope=..` or
//! `Basic realm=..`); for Bearer, a token is fetched from the realm (GET with
//! basic credentials when known, anonymous otherwise; POST with
//! `grant_type=refresh_token` for an identity token) and the answer's `token`
//! or `access_token` is sent as `Authorization: Bearer`. Tokens are cached per
//! (host, scope) until they expire; the challenge is remembered per host so
//! later requests authenticate up front.

use super::credentials::Credential;
use base64::Engine as _;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One challenge from a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    Basic {
        realm: Option<String>,
    },
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// Parse every challenge in a `WWW-Authenticate` header value (RFC 7235:
/// `scheme param=value, param="quoted, value", scheme2 ...`). Unknown
/// schemes are skipped; a Bearer challenge without realm is dropped.
pub fn parse_www_authenticate(value: &str) -> Vec<Challenge> {
    let mut out = Vec::new();
    let mut current: Option<(String, HashMap<String, String>)> = None;
    let s = value.as_bytes();
    let mut i = 0;
    let finish = |c: Option<(String, HashMap<String, String>)>, out: &mut Vec<Challenge>| {
        if let Some((scheme, mut params)) = c {
            match scheme.to_ascii_lowercase().as_str() {
                "basic" => out.push(Challenge::Basic {
                    realm: params.remove("realm"),
                }),
                "bearer" => {
                    if let Some(realm) = params.remove("realm") {
                        out.push(Challenge::Bearer {
                            realm,
                            service: params.remove("service"),
                            scope: params.remove("scope"),
                        });
                    }
                }
                _ => {}
            }
        }
    };
    while i < s.len() {
        while i < s.len() && (s[i] == b' ' || s[i] == b',' || s[i] == b'\t') {
            i += 1;
        }
        let start = i;
        while i < s.len() && !matches!(s[i], b' ' | b'=' | b',' | b'\t') {
            i += 1;
        }
        if start == i {
            if i < s.len() {
                i += 1; // stray '='
            }
            continue;
        }
        let token = &value[start..i];
        // Skip spaces to see whether this token is a parameter name.
        let mut j = i;
        while j < s.len() && (s[j] == b' ' || s[j] == b'\t') {
            j += 1;
        }
        if j < s.len() && s[j] == b'=' {
            j += 1;
            while j < s.len() && (s[j] == b' ' || s[j] == b'\t') {
                j += 1;
            }
            let mut val = String::new();
            if j < s.len() && s[j] == b'"' {
                j += 1;
                while j < s.len() && s[j] != b'"' {
                    if s[j] == b'\\' && j + 1 < s.len() {
                        j += 1;
                    }
                    let ch = value[j..].chars().next().unwrap_or('\u{fffd}');
                    val.push(ch);
                    j += ch.len_utf8();
                }
                j += 1; // closing quote
            } else {
                let vs = j;
                while j < s.len() && s[j] != b',' && s[j] != b' ' {
                    j += 1;
                }
                val.push_str(&value[vs..j]);
            }
            if let Some((_, params)) = current.as_mut() {
                params.insert(token.to_ascii_lowercase(), val);
            }
            i = j;
        } else {
            finish(current.take(), &mut out);
            current = Some((token.to_string(), HashMap::new()));
            i = j;
        }
    }
    finish(current.take(), &mut out);
    out
}

/// The scope for repository `path`: `repository:<path>:pull` or `:pull,push`.
pub fn repository_scope(path: &str, push: bool) -> String {
    let actions = if push { "pull,push" } else { "pull" };
    format!("repository:{path}:{actions}")
}

/// The JSON a token endpoint answers with.
#[derive(Debug, serde::Deserialize)]
pub struct TokenResponse {
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
}

impl TokenResponse {
    /// The bearer token (`token`, else `access_token`) and how long to keep it.
    pub fn into_token(self) -> Option<(String, Duration)> {
        let token = self
            .token
            .filter(|t| !t.is_empty())
            .or(self.access_token.filter(|t| !t.is_empty()))?;
        // The spec's default lifetime is 60 seconds; renew a little early.
        let secs = self.expires_in.filter(|&s| s > 0).unwrap_or(60);
        Some((token, Duration::from_secs(secs.saturating_sub(5).max(1))))
    }
}

/// The `Authorization` value for basic credentials.
pub fn basic_header(username: &str, password: &str) -> String {
    let enc = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    format!("Basic {enc}")
}

/// Build the token request for a Bearer challenge: GET with basic auth or
/// anonymously, or POST with the refresh-token grant for an identity token.
pub fn token_request(
    client: &reqwest::Client,
    realm: &str,
    service: Option<&str>,
    scopes: &[String],
    cred: Option<&Credential>,
) -> Result<reqwest::RequestBuilder, url::ParseError> {
    let mut url = url::Url::parse(realm)?;
    match cred {
        Some(Credential::IdentityToken { token }) => {
            let mut form: Vec<(&str, &str)> = vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", token),
                ("client_id", "berth"),
            ];
            if let Some(s) = service {
                form.push(("service", s));
            }
            let scope = scopes.join(" ");
            if !scope.is_empty() {
                form.push(("scope", &scope));
            }
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish();
            Ok(client
                .post(url)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(body))
        }
        other => {
            {
                let mut q = url.query_pairs_mut();
                if let Some(s) = service {
                    q.append_pair("service", s);
                }
                for s in scopes {
                    q.append_pair("scope", s);
                }
            }
            let rb = client.get(url);
            Ok(match other {
                Some(Credential::Basic { username, password }) => rb.header(
                    reqwest::header::AUTHORIZATION,
                    basic_header(username, password),
                ),
                _ => rb,
            })
        }
    }
}

/// (host, sorted scopes) → (`Authorization` value, expiry; None = until replaced).
type HeaderMap = HashMap<(String, String), (String, Option<Instant>)>;

/// Known challenges per host and cached `Authorization` values per (host, scopes).
#[derive(Default)]
pub struct AuthCache {
    challenges: Mutex<HashMap<String, Challenge>>,
    headers: Mutex<HeaderMap>,
}

fn scope_key(scopes: &[String]) -> String {
    let mut s = scopes.to_vec();
    s.sort();
    s.dedup();
    s.join(" ")
}

impl AuthCache {
    pub fn challenge(&self, host: &str) -> Option<Challenge> {
        self.challenges
            .lock()
            .expect("auth cache poisoned")
            .get(host)
            .cloned()
    }

    pub fn set_challenge(&self, host: &str, c: Challenge) {
        self.challenges
            .lock()
            .expect("auth cache poisoned")
            .insert(host.to_string(), c);
    }

    /// A cached, unexpired `Authorization` value.
    pub fn header(&self, host: &str, scopes: &[String]) -> Option<String> {
        let mut map = self.headers.lock().expect("auth cache poisoned");
        let key = (host.to_string(), scope_key(scopes));
        match map.get(&key) {
            Some((h, None)) => Some(h.clone()),
            Some((h, Some(deadline))) if Instant::now() < *deadline => Some(h.clone()),
            Some(_) => {
                map.remove(&key);
                None
            }
            None => None,
        }
    }

    /// Cache `value`; `ttl` None means until replaced (basic auth).
    pub fn store(&self, host: &str, scopes: &[String], value: &str, ttl: Option<Duration>) {
        self.headers.lock().expect("auth cache poisoned").insert(
            (host.to_string(), scope_key(scopes)),
            (value.to_string(), ttl.map(|t| Instant::now() + t)),
        );
    }

    pub fn forget(&self, host: &str, scopes: &[String]) {
        self.headers
            .lock()
            .expect("auth cache poisoned")
            .remove(&(host.to_string(), scope_key(scopes)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_challenges() {
        let v = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push""#;
        assert_eq!(
            parse_www_authenticate(v),
            [Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/busybox:pull,push".into()),
            }]
        );
        let v = r#"bearer realm = "https://x/token" , error="insufficient_scope""#;
        assert_eq!(
            parse_www_authenticate(v),
            [Challenge::Bearer {
                realm: "https://x/token".into(),
                service: None,
                scope: None
            }]
        );
    }

    #[test]
    fn parses_basic_and_multiple() {
        assert_eq!(
            parse_www_authenticate(r#"Basic realm="Registry Realm""#),
            [Challenge::Basic {
                realm: Some("Registry Realm".into())
            }]
        );
        assert_eq!(
            parse_www_authenticate("Basic"),
            [Challenge::Basic { realm: None }]
        );
        let v = r#"Negotiate abc, Basic realm="r", Bearer realm="https://t/x",service=svc"#;
        assert_eq!(
            parse_www_authenticate(v),
            [
                Challenge::Basic {
                    realm: Some("r".into())
                },
                Challenge::Bearer {
                    realm: "https://t/x".into(),
                    service: Some("svc".into()),
                    scope: None
                }
            ]
        );
        assert_eq!(parse_www_authenticate(r#"Bearer service="x""#), []);
        assert_eq!(
            parse_www_authenticate(r#"Basic realm="a \"q\" b""#),
            [Challenge::Basic {
                realm: Some("a \"q\" b".into())
            }]
        );
        assert_eq!(parse_www_authenticate(""), []);
        assert_eq!(parse_www_authenticate("==,,"), []);
    }

    #[test]
    fn scopes_and_tokens() {
        assert_eq!(
            repository_scope("library/x", false),
            "repository:library/x:pull"
        );
        assert_eq!(repository_scope("a/b", true), "repository:a/b:pull,push");
        let t: TokenResponse =
            serde_json::from_str(r#"{"access_token":"abc","expires_in":300}"#).unwrap();
        assert_eq!(
            t.into_token(),
            Some(("abc".into(), Duration::from_secs(295)))
        );
        let t: TokenResponse =
            serde_json::from_str(r#"{"token":"t1","access_token":"t2"}"#).unwrap();
        assert_eq!(t.into_token().unwrap().0, "t1");
        let t: TokenResponse = serde_json::from_str(r#"{"token":""}"#).unwrap();
        assert_eq!(t.into_token(), None);
        assert_eq!(basic_header("u", "p"), "Basic dTpw");
    }

    #[test]
    fn token_requests() {
        let client = reqwest::Client::new();
        let scopes = vec![
            "repository:a:pull".to_string(),
            "repository:b:pull".to_string(),
        ];
        let req = token_request(
            &client,
            "https://auth.example/token",
            Some("svc"),
            &scopes,
            None,
        )
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(req.method(), reqwest::Method::GET);
        assert_eq!(
            req.url().as_str(),
            "https://auth.example/token?service=svc&scope=repository%3Aa%3Apull&scope=repository%3Ab%3Apull"
        );
        assert!(req.headers().get("authorization").is_none());
        let cred = Credential::Basic {
            username: "u".into(),
            password: "p".into(),
        };
        let req = token_request(
            &client,
            "https://auth.example/token",
            None,
            &[],
            Some(&cred),
        )
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(req.headers()["authorization"], "Basic dTpw");
        let cred = Credential::IdentityToken { token: "rt".into() };
        let req = token_request(
            &client,
            "https://auth.example/token",
            Some("svc"),
            &scopes,
            Some(&cred),
        )
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(req.method(), reqwest::Method::POST);
        let body = std::str::from_utf8(req.body().unwrap().as_bytes().unwrap()).unwrap();
        assert!(
            body.contains("grant_type=refresh_token") && body.contains("refresh_token=rt"),
            "{body}"
        );
        assert!(token_request(&client, "not a url", None, &[], None).is_err());
    }

    #[test]
    fn cache_keys_and_expiry() {
        let c = AuthCache::default();
        let s1 = vec!["b".to_string(), "a".to_string()];
        let s2 = vec!["a".to_string(), "b".to_string()];
        c.store("h", &s1, "Bearer x", Some(Duration::from_secs(60)));
        assert_eq!(c.header("h", &s2).as_deref(), Some("Bearer x"));
        assert_eq!(c.header("other", &s2), None);
        c.store("h", &["z".to_string()], "Bearer old", Some(Duration::ZERO));
        assert_eq!(c.header("h", &["z".to_string()]), None);
        c.forget("h", &s1);
        assert_eq!(c.header("h", &s1), None);
        c.set_challenge("h", Challenge::Basic { realm: None });
        assert_eq!(c.challenge("h"), Some(Challenge::Basic { realm: None }));
    }
}
