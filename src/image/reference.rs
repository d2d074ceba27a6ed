//! Image references (`[domain/]path[:tag][@digest]`) with Docker's grammar
//! and normalisation, as `github.com/distribution/reference`'s
//! `ParseNormalizedNamed` does it: a name without a domain belongs to
//! `docker.io`, a single-component Docker Hub name gets the `library/`
//! prefix, and a reference without tag or digest gets `:latest`. It owns
//! parsing, the canonical and the "familiar" (short) spelling, and nothing
//! about registries or the store.
//!
//! Grammar (from distribution/reference):
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [domain '/'] path-component ['/' path-component]*
//! domain           := host [':' port-number]
//! host             := domain-name | '[' IPv6 ']'
//! domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//! path-component   := /[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*/
//! tag              := /[\w][\w.-]{0,127}/
//! ```

use super::digest::{Digest, DigestError};
use std::fmt;
use std::str::FromStr;

/// Docker Hub's canonical domain.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// The domain older clients wrote for Docker Hub; normalised to `docker.io`.
pub const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// The namespace of Docker Hub's official images.
pub const OFFICIAL_REPO_PREFIX: &str = "library/";
/// The tag a reference gets when it names neither a tag nor a digest.
pub const DEFAULT_TAG: &str = "latest";
/// Longest allowed `domain/path`, as in distribution/reference.
pub const NAME_TOTAL_LENGTH_MAX: usize = 255;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReferenceError {
    #[error("invalid reference format")]
    InvalidFormat,
    #[error("invalid reference format: repository name ({0}) must be lowercase")]
    Uppercase(String),
    #[error("invalid reference format: repository name must be lowercase")]
    UppercaseName,
    #[error("invalid reference format: repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters")]
    NameTooLong,
    #[error("invalid repository name ({0}), cannot specify 64-byte hexadecimal strings")]
    HexIdentifier(String),
    #[error("invalid reference format: {0}")]
    Digest(#[from] DigestError),
    #[error("refusing to create a tag with a digest reference")]
    TagWithDigest,
}

/// A fully normalised image reference. `domain` and `path` are always set;
/// at least one of `tag` and `digest` is set when it comes from [`Reference::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

impl Reference {
    /// Parse and normalise like `docker pull` does: `busybox` becomes
    /// `docker.io/library/busybox:latest`.
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        let mut r = Reference::parse_named(s)?;
        if r.tag.is_none() && r.digest.is_none() {
            r.tag = Some(DEFAULT_TAG.to_string());
        }
        Ok(r)
    }

    /// Parse and normalise without adding the default tag (Docker's
    /// `ParseNormalizedNamed`): `busybox` stays tag-less.
    pub fn parse_named(s: &str) -> Result<Reference, ReferenceError> {
        if s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(ReferenceError::HexIdentifier(s.to_string()));
        }
        let (domain, remainder) = split_docker_domain(s);
        let remote = match remainder.find(':') {
            Some(i) => &remainder[..i],
            None => remainder.as_str(),
        };
        if remote.to_lowercase() != remote {
            return Err(ReferenceError::Uppercase(remote.to_string()));
        }
        parse_full(&domain, &remainder)
    }

    /// The registry host, with port if any: `docker.io`, `localhost:5000`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The repository path inside the registry: `library/busybox`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `domain/path`: `docker.io/library/busybox`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// Docker's `FamiliarName`: the name as a user would type it (`busybox`,
    /// `user/app`, `localhost:5000/x`).
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            if let Some(rest) = self.path.strip_prefix(OFFICIAL_REPO_PREFIX) {
                if !rest.contains('/') {
                    return rest.to_string();
                }
            }
            return self.path.clone();
        }
        self.name()
    }

    /// Docker's `FamiliarString`: familiar name plus `:tag` and `@digest`.
    pub fn familiar(&self) -> String {
        let mut s = self.familiar_name();
        self.push_suffix(&mut s);
        s
    }

    /// The same name with `tag` (and no digest).
    #[cfg(test)]
    pub fn with_tag(&self, tag: &str) -> Result<Reference, ReferenceError> {
        if !valid_tag(tag) {
            return Err(ReferenceError::InvalidFormat);
        }
        Ok(Reference {
            domain: self.domain.clone(),
            path: self.path.clone(),
            tag: Some(tag.to_string()),
            digest: None,
        })
    }

    /// The same name pinned to `digest`; the tag is kept for display.
    pub fn with_digest(&self, digest: Digest) -> Reference {
        Reference {
            digest: Some(digest),
            ..self.clone()
        }
    }

    /// The same reference without its tag (a bare name when there is no digest).
    #[cfg(test)]
    pub fn without_tag(&self) -> Reference {
        Reference {
            tag: None,
            ..self.clone()
        }
    }

    /// The tag or digest to ask a registry for; a digest wins over a tag.
    /// `None` for a bare name.
    #[cfg(test)]
    pub fn object(&self) -> Option<String> {
        match (&self.digest, &self.tag) {
            (Some(d), _) => Some(d.to_string()),
            (None, Some(t)) => Some(t.clone()),
            (None, None) => None,
        }
    }

    fn push_suffix(&self, s: &mut String) {
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(&d.to_string());
        }
    }
}

/// Parse the TARGET of `docker tag SOURCE TARGET`: a normalised name that
/// gets `:latest` without a tag and may not carry a digest.
pub fn parse_tag_target(s: &str) -> Result<Reference, ReferenceError> {
    let r = Reference::parse_named(s)?;
    if r.digest.is_some() {
        return Err(ReferenceError::TagWithDigest);
    }
    Ok(Reference::parse(s).expect("a valid named reference stays valid with a default tag"))
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = self.name();
        self.push_suffix(&mut s);
        f.write_str(&s)
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;
    fn from_str(s: &str) -> Result<Reference, ReferenceError> {
        Reference::parse(s)
    }
}

/// distribution/reference's `splitDockerDomain`: the first component is a
/// domain when it contains `.` or `:`, is `localhost`, or has uppercase.
fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.find('/') {
        Some(i)
            if {
                let first = &name[..i];
                first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first
            } =>
        {
            (name[..i].to_string(), name[i + 1..].to_string())
        }
        _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
    };
    if domain == LEGACY_DEFAULT_DOMAIN {
        domain = DEFAULT_DOMAIN.to_string();
    }
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        remainder = format!("{OFFICIAL_REPO_PREFIX}{remainder}");
    }
    (domain, remainder)
}

/// Parse `remainder` = `path[:tag][@digest]` under an already split domain.
fn parse_full(domain: &str, remainder: &str) -> Result<Reference, ReferenceError> {
    let (name_tag, digest) = match remainder.split_once('@') {
        Some((n, d)) => {
            if !valid_digest_syntax(d) {
                return Err(ReferenceError::InvalidFormat);
            }
            (n, Some(d))
        }
        None => (remainder, None),
    };
    let (path, tag) = match name_tag.rfind(':') {
        Some(i) => (&name_tag[..i], Some(&name_tag[i + 1..])),
        None => (name_tag, None),
    };
    if let Some(t) = tag {
        if !valid_tag(t) {
            return Err(ReferenceError::InvalidFormat);
        }
    }
    if !valid_domain(domain) || !valid_path(path) {
        // distribution reports uppercase separately when lowercasing would help.
        if valid_domain(domain) && valid_path(&path.to_lowercase()) {
            return Err(ReferenceError::UppercaseName);
        }
        return Err(ReferenceError::InvalidFormat);
    }
    if domain.len() + 1 + path.len() > NAME_TOTAL_LENGTH_MAX {
        return Err(ReferenceError::NameTooLong);
    }
    let digest = digest.map(str::parse::<Digest>).transpose()?;
    Ok(Reference {
        domain: domain.to_string(),
        path: path.to_string(),
        tag: tag.map(str::to_string),
        digest,
    })
}

fn valid_tag(t: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b[1..].iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

/// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`
fn valid_digest_syntax(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let alg_ok = alg.split(['-', '_', '+', '.']).all(|part| {
        let b = part.as_bytes();
        !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(u8::is_ascii_alphanumeric)
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        // [IPv6](:port)?
        let Some(end) = rest.find(']') else {
            return false;
        };
        let ip = &rest[..end];
        if ip.is_empty() || !ip.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        let after = &rest[end + 1..];
        match after.strip_prefix(':') {
            Some(p) => ("", Some(p)),
            None if after.is_empty() => ("", None),
            None => return false,
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    if d.starts_with('[') {
        return true;
    }
    !host.is_empty()
        && host.split('.').all(|c| {
            let b = c.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|&x| x.is_ascii_alphanumeric() || x == b'-')
        })
}

fn valid_path(p: &str) -> bool {
    !p.is_empty() && p.split('/').all(valid_path_component)
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator run: ".", "_", "__", or one or more "-".
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn p(s: &str) -> Reference {
        Reference::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn normalises_docker_hub_names() {
        let r = p("busybox");
        assert_eq!(r.to_string(), "docker.io/library/busybox:latest");
        assert_eq!(r.domain(), "docker.io");
        assert_eq!(r.path(), "library/busybox");
        assert_eq!(r.name(), "docker.io/library/busybox");
        assert_eq!(r.tag(), Some("latest"));
        assert_eq!(r.digest(), None);
        assert_eq!(r.familiar(), "busybox:latest");
        assert_eq!(r.familiar_name(), "busybox");

        let r = p("user/app");
        assert_eq!(r.to_string(), "docker.io/user/app:latest");
        assert_eq!(r.familiar(), "user/app:latest");
        assert_eq!(
            p("docker.io/busybox").to_string(),
            "docker.io/library/busybox:latest"
        );
        assert_eq!(
            p("index.docker.io/busybox:1").to_string(),
            "docker.io/library/busybox:1"
        );
        assert_eq!(p("library/busybox").familiar_name(), "busybox");
        assert_eq!(p("docker.io/library/a/b").familiar_name(), "library/a/b");
        assert_eq!(p("a/b/c:d").to_string(), "docker.io/a/b/c:d");
    }

    #[test]
    fn other_domains() {
        let r = p("localhost:5000/x");
        assert_eq!(r.domain(), "localhost:5000");
        assert_eq!(r.path(), "x");
        assert_eq!(r.to_string(), "localhost:5000/x:latest");
        assert_eq!(r.familiar(), "localhost:5000/x:latest");
        assert_eq!(r.familiar_name(), "localhost:5000/x");

        let r = p("127.0.0.1:5000/x:tag");
        assert_eq!(r.domain(), "127.0.0.1:5000");
        assert_eq!(r.tag(), Some("tag"));
        assert_eq!(r.familiar(), "127.0.0.1:5000/x:tag");

        assert_eq!(p("localhost/x").domain(), "localhost");
        assert_eq!(
            p("localhost").to_string(),
            "docker.io/library/localhost:latest"
        );
        assert_eq!(p("ghcr.io/o/r/s:v1.2").path(), "o/r/s");
        assert_eq!(p("Registry.Example.com/x").domain(), "Registry.Example.com");
        assert_eq!(p("[::1]:5000/x:t").domain(), "[::1]:5000");
        assert_eq!(
            p("example.com:443/a-b__c.d_e/f--g").path(),
            "a-b__c.d_e/f--g"
        );
    }

    #[test]
    fn digests() {
        let r = p(&format!("x@sha256:{HEX}"));
        assert_eq!(r.tag(), None, "no default tag with a digest");
        assert_eq!(r.digest().unwrap().hex(), HEX);
        assert_eq!(r.to_string(), format!("docker.io/library/x@sha256:{HEX}"));
        assert_eq!(r.familiar(), format!("x@sha256:{HEX}"));
        assert_eq!(r.object().unwrap(), format!("sha256:{HEX}"));

        let r = p(&format!("localhost:5000/x:tag@sha256:{HEX}"));
        assert_eq!(r.tag(), Some("tag"));
        assert!(r.digest().is_some());
        assert_eq!(r.to_string(), format!("localhost:5000/x:tag@sha256:{HEX}"));
        assert_eq!(r.object().unwrap(), format!("sha256:{HEX}"));

        assert_eq!(
            Reference::parse("x@sha256:abc"),
            Err(ReferenceError::InvalidFormat)
        );
        assert!(matches!(
            Reference::parse(&format!("x@sha512:{HEX}{HEX}")),
            Err(ReferenceError::Digest(DigestError::Algorithm(_)))
        ));
    }

    #[test]
    fn rejects_bad_references() {
        let e = Reference::parse("Busybox").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid reference format: repository name (library/Busybox) must be lowercase"
        );
        assert_eq!(
            Reference::parse("user/App:tag").unwrap_err().to_string(),
            "invalid reference format: repository name (user/App) must be lowercase"
        );
        let e = Reference::parse(HEX).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("invalid repository name ({HEX}), cannot specify 64-byte hexadecimal strings")
        );
        for bad in [
            "",
            ":",
            "x:",
            "x:-tag",
            "x:.tag",
            "x:ta+g",
            "x@",
            "-x",
            "x-",
            "a//b",
            "a/",
            "x y",
            "x..y",
            "x___y",
            "x:a:b",
            "localhost:port/x",
            "-bad.com/x",
            "bad-.com/x",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(
            Reference::parse("").unwrap_err().to_string(),
            "invalid reference format"
        );
        let long_tag = "t".repeat(129);
        assert!(Reference::parse(&format!("x:{long_tag}")).is_err());
        assert!(Reference::parse(&format!("x:{}", "t".repeat(128))).is_ok());
        let long = "a".repeat(250);
        assert_eq!(Reference::parse(&long), Err(ReferenceError::NameTooLong));
        // 255 exactly is fine: "docker.io/" (10) + "library/" (8) + 237.
        assert!(Reference::parse(&"a".repeat(237)).is_ok());
        assert!(Reference::parse(&"a".repeat(238)).is_err());
    }

    #[test]
    fn tags_and_rewrites() {
        let r = p("busybox:1.36");
        assert_eq!(
            r.with_tag("v2").unwrap().to_string(),
            "docker.io/library/busybox:v2"
        );
        assert!(r.with_tag("bad tag").is_err());
        let d: Digest = format!("sha256:{HEX}").parse().unwrap();
        let pinned = r.with_digest(d.clone());
        assert_eq!(
            pinned.to_string(),
            format!("docker.io/library/busybox:1.36@sha256:{HEX}")
        );
        assert_eq!(
            pinned.without_tag().to_string(),
            format!("docker.io/library/busybox@sha256:{HEX}")
        );
        assert_eq!(r.without_tag().to_string(), "docker.io/library/busybox");
        assert_eq!(r.without_tag().object(), None);
        assert_eq!(Reference::parse_named("busybox").unwrap().tag(), None);
        assert_eq!(
            "busybox".parse::<Reference>().unwrap(),
            r.with_tag("latest").unwrap()
        );
    }

    #[test]
    fn tag_targets() {
        assert_eq!(
            parse_tag_target("x").unwrap().to_string(),
            "docker.io/library/x:latest"
        );
        assert_eq!(
            parse_tag_target("localhost:5000/x:v1").unwrap().familiar(),
            "localhost:5000/x:v1"
        );
        assert_eq!(
            parse_tag_target(&format!("x@sha256:{HEX}")),
            Err(ReferenceError::TagWithDigest)
        );
        assert!(parse_tag_target("X").is_err());
    }
}
