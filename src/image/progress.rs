//! How a pull reports progress: the `PullProgress` trait the engine calls,
//! and Docker's plain-text rendering of it to a writer the caller hands in
//! (`pull` without a terminal writes it to stdout, `run`/`create` to
//! stderr). The engine never prints: it only calls the trait.
//!
//! The text follows docker's non-terminal output: `<tag>: Pulling from
//! <repo>`, one `<layer>: <status>` line per state change (byte counts are
//! left to progress bars), then `Digest: …` and `Status: Downloaded newer
//! image for …` or `Status: Image is up to date for …`.

use super::digest::Digest;
use super::pull::{LayerStatus, PullEvent, PulledImage};
use super::reference::Reference;
use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Mutex;

/// Receives a pull's progress. Called from the pull's worker threads.
pub trait PullProgress: Send + Sync {
    /// Before the registry is asked anything.
    fn start(&self, reference: &Reference) -> io::Result<()>;
    /// A layer changed state (or the layer list became known).
    fn event(&self, event: PullEvent);
    /// After the image was recorded.
    fn done(&self, reference: &Reference, pulled: &PulledImage) -> io::Result<()>;
}

/// Reports nothing (`pull -q`).
pub struct Silent;

impl PullProgress for Silent {
    fn start(&self, _: &Reference) -> io::Result<()> {
        Ok(())
    }
    fn event(&self, _: PullEvent) {}
    fn done(&self, _: &Reference, _: &PulledImage) -> io::Result<()> {
        Ok(())
    }
}

/// Docker's first line: `latest: Pulling from library/busybox`.
pub fn pulling_from(reference: &Reference) -> String {
    let what = reference
        .tag()
        .map(str::to_string)
        .or_else(|| reference.digest().map(|d| d.to_string()))
        .unwrap_or_default();
    let path = if reference.domain() == "docker.io" {
        reference.path().to_string()
    } else {
        reference.familiar_name()
    };
    format!("{what}: Pulling from {path}")
}

/// Docker's last two lines: the digest and whether anything was new.
pub fn summary(reference: &Reference, pulled: &PulledImage) -> [String; 2] {
    let status = if pulled.up_to_date {
        "Image is up to date for"
    } else {
        "Downloaded newer image for"
    };
    [
        format!("Digest: {}", pulled.repo_digest),
        format!("Status: {status} {}", reference.familiar()),
    ]
}

/// The word docker shows for a layer state on a plain line, None for
/// states it does not print (waiting).
fn plain_word(status: &LayerStatus) -> Option<&'static str> {
    Some(match status {
        LayerStatus::Waiting => return None,
        LayerStatus::AlreadyExists => "Already exists",
        LayerStatus::Downloading { .. } => "Pulling fs layer",
        LayerStatus::Extracting => "Extracting",
        LayerStatus::Complete => "Pull complete",
    })
}

/// Plain status lines written to `W`.
pub struct TextProgress<W> {
    inner: Mutex<TextState<W>>,
}

struct TextState<W> {
    out: W,
    last: HashMap<Digest, &'static str>,
    /// The first failed layer-line write, reported by `done`.
    error: Option<io::Error>,
}

impl<W: Write + Send> TextProgress<W> {
    pub fn new(out: W) -> TextProgress<W> {
        TextProgress {
            inner: Mutex::new(TextState {
                out,
                last: HashMap::new(),
                error: None,
            }),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut TextState<W>) -> T) -> T {
        let mut st = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut st)
    }
}

fn write_line(out: &mut impl Write, line: &str) -> io::Result<()> {
    writeln!(out, "{line}")?;
    out.flush()
}

impl<W: Write + Send> PullProgress for TextProgress<W> {
    fn start(&self, reference: &Reference) -> io::Result<()> {
        self.with(|st| write_line(&mut st.out, &pulling_from(reference)))
    }

    fn event(&self, event: PullEvent) {
        let PullEvent::Layer { digest, status } = event else {
            return;
        };
        let Some(word) = plain_word(&status) else {
            return;
        };
        self.with(|st| {
            if st.last.get(&digest) == Some(&word) {
                return;
            }
            st.last.insert(digest.clone(), word);
            if let Err(e) = write_line(&mut st.out, &format!("{}: {word}", digest.short())) {
                st.error.get_or_insert(e);
            }
        })
    }

    fn done(&self, reference: &Reference, pulled: &PulledImage) -> io::Result<()> {
        self.with(|st| {
            if let Some(e) = st.error.take() {
                return Err(e);
            }
            for line in summary(reference, pulled) {
                write_line(&mut st.out, &line)?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(c: char) -> Digest {
        format!("sha256:{}", c.to_string().repeat(64))
            .parse()
            .unwrap()
    }

    #[test]
    fn renders_docker_plain_lines_once_per_state() {
        let r = Reference::parse("busybox").unwrap();
        let p = TextProgress::new(Vec::new());
        p.start(&r).unwrap();
        let l = digest('a');
        for status in [
            LayerStatus::Waiting,
            LayerStatus::Downloading { done: 1, total: 9 },
            LayerStatus::Downloading { done: 9, total: 9 },
            LayerStatus::Extracting,
            LayerStatus::Complete,
        ] {
            p.event(PullEvent::Layer {
                digest: l.clone(),
                status,
            });
        }
        p.event(PullEvent::Layer {
            digest: digest('b'),
            status: LayerStatus::AlreadyExists,
        });
        let pulled = PulledImage {
            config_digest: digest('c'),
            manifest_digest: digest('d'),
            manifest_media_type: String::new(),
            repo_digest: digest('e'),
            created: None,
            size: 0,
            blobs: Vec::new(),
            up_to_date: false,
        };
        p.done(&r, &pulled).unwrap();
        let text = String::from_utf8(p.inner.into_inner().unwrap().out).unwrap();
        let e = "e".repeat(64);
        assert_eq!(
            text,
            format!(
                "latest: Pulling from library/busybox\n\
                 aaaaaaaaaaaa: Pulling fs layer\n\
                 aaaaaaaaaaaa: Extracting\n\
                 aaaaaaaaaaaa: Pull complete\n\
                 bbbbbbbbbbbb: Already exists\n\
                 Digest: sha256:{e}\n\
                 Status: Downloaded newer image for busybox:latest\n"
            )
        );
    }

    #[test]
    fn names_other_registries_in_full() {
        let r = Reference::parse(&format!("localhost:5000/app@sha256:{}", "f".repeat(64))).unwrap();
        assert_eq!(
            pulling_from(&r),
            format!("sha256:{}: Pulling from localhost:5000/app", "f".repeat(64))
        );
    }
}
