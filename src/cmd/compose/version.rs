//! `berth compose version [--short] [--format pretty|json]`: the compose
//! release berth follows (`labels::COMPOSE_VERSION`, the version its
//! resources' `com.docker.compose.version` labels carry), in compose's
//! three shapes: `Docker Compose version vX`, `X` with `--short`,
//! `{"version":"vX"}` with `--format json`; any other format is the first,
//! as compose's `runVersion`. berth's own version is `berth version`'s.
//! Reads no project and opens no data root.

use crate::cli::compose::ComposeVersionArgs;
use crate::compose::service::labels::COMPOSE_VERSION;
use anyhow::Result;
use std::io::Write;

pub fn run(a: ComposeVersionArgs, out: &mut dyn Write) -> Result<u8> {
    if a.short {
        writeln!(out, "{COMPOSE_VERSION}")?;
    } else if a.format.as_deref() == Some("json") {
        writeln!(out, "{{\"version\":\"v{COMPOSE_VERSION}\"}}")?;
    } else {
        writeln!(out, "Docker Compose version v{COMPOSE_VERSION}")?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(short: bool, format: Option<&str>) -> String {
        let a = ComposeVersionArgs {
            short,
            format: format.map(String::from),
        };
        let mut out = Vec::new();
        run(a, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_emulated_compose_release_in_composes_shapes() {
        assert_eq!(version(true, None), "2.32.4\n");
        assert_eq!(version(false, Some("json")), "{\"version\":\"v2.32.4\"}\n");
        assert_eq!(version(false, None), "Docker Compose version v2.32.4\n");
        assert_eq!(
            version(false, Some("table")),
            "Docker Compose version v2.32.4\n"
        );
    }
}
