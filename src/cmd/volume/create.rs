//! `berth volume create`: prints the volume's name, like docker.

use crate::cli::volume::VolumeCreateArgs;
use crate::cmd::context::Context;
use crate::volume::{self, CreateOptions};
use anyhow::{bail, Result};
use std::collections::BTreeMap;
use std::io::Write;

/// `key=value` (or a bare `key`, value empty) items into a map, later wins.
fn key_values(items: &[String]) -> BTreeMap<String, String> {
    items
        .iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (s.clone(), String::new()),
        })
        .collect()
}

fn options(args: VolumeCreateArgs) -> Result<CreateOptions> {
    let name = match (args.name, args.name_flag) {
        (Some(a), Some(b)) if a != b => {
            bail!("conflicting options: either specify --name or provide positional arg, not both")
        }
        (a, b) => a.or(b),
    };
    Ok(CreateOptions {
        name,
        driver: Some(args.driver),
        labels: key_values(&args.label),
        driver_opts: key_values(&args.opt),
    })
}

pub fn run(ctx: &Context, args: VolumeCreateArgs) -> Result<u8> {
    let opts = options(args)?;
    let mut store = ctx.store()?;
    let row = volume::create(&mut store, &opts)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{}", row.name)?;
    out.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(name: Option<&str>, flag: Option<&str>) -> VolumeCreateArgs {
        VolumeCreateArgs {
            name: name.map(String::from),
            name_flag: flag.map(String::from),
            driver: "local".into(),
            label: vec!["a=b".into(), "bare".into(), "a=c".into()],
            opt: vec![],
        }
    }

    #[test]
    fn name_from_either_place() {
        assert_eq!(
            options(args(Some("x1"), None)).unwrap().name.as_deref(),
            Some("x1")
        );
        assert_eq!(
            options(args(None, Some("x2"))).unwrap().name.as_deref(),
            Some("x2")
        );
        assert_eq!(
            options(args(Some("x3"), Some("x3")))
                .unwrap()
                .name
                .as_deref(),
            Some("x3")
        );
        assert!(options(args(Some("x1"), Some("x2"))).is_err());
        assert_eq!(options(args(None, None)).unwrap().name, None);
    }

    #[test]
    fn labels_later_wins_and_bare_is_empty() {
        let o = options(args(None, None)).unwrap();
        assert_eq!(o.labels["a"], "c");
        assert_eq!(o.labels["bare"], "");
    }
}
