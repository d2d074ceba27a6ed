//! `berth network ls`: Docker's `NETWORK ID  NAME  DRIVER  SCOPE` table
//! sorted by name, `-q`, `--no-trunc`, `--format`, and the `driver`, `id`,
//! `label`, `name`, `scope`, `type` and `dangling` filters (values of one
//! key OR, keys AND; `name`/`driver` as berth's anchored substrings, `id`
//! as a prefix, as the daemon matches them). `host` and `none` are listed
//! as Docker lists them (drivers `host`/`null`, `type=builtin` with
//! `bridge`, never dangling).

use crate::cli::network::NetworkListArgs;
use crate::cmd::context::Context;
use crate::filter::{FilterSpec, Filters, LabelFilter, UnknownKey};
use crate::format::{self, ListFormat};
use crate::network::store::{self as nets, Network, DEFAULT_NETWORK};
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::io::Write;

const DEFAULT_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
const HEADERS: &[(&str, &str)] = &[
    ("ID", "NETWORK ID"),
    ("Name", "NAME"),
    ("Driver", "DRIVER"),
    ("Scope", "SCOPE"),
    ("IPv6", "IPV6"),
    ("Internal", "INTERNAL"),
    ("Labels", "LABELS"),
    ("CreatedAt", "CREATED AT"),
];

const FILTERS: FilterSpec = FilterSpec {
    flag: "-f, --filter",
    keys: &[
        "dangling", "driver", "id", "label", "label!", "name", "scope", "type",
    ],
    unknown: UnknownKey::Lower,
};

#[derive(Debug, Default)]
struct ListFilters {
    dangling: Option<bool>,
    drivers: Vec<String>,
    ids: Vec<String>,
    names: Vec<String>,
    scopes: Vec<String>,
    /// `custom` or `builtin`.
    types: Vec<String>,
    labels: LabelFilter,
}

impl ListFilters {
    fn parse(raw: &[String]) -> Result<ListFilters> {
        let f = Filters::parse(raw, &FILTERS)?;
        let dangling = f.one_bool("dangling")?;
        let types: Vec<String> = f.values("type").map(str::to_string).collect();
        if let Some(t) = types
            .iter()
            .find(|t| !matches!(t.as_str(), "custom" | "builtin"))
        {
            bail!("invalid filter: 'type'='{t}'");
        }
        let v = |k| f.values(k).map(str::to_string).collect();
        Ok(ListFilters {
            dangling,
            drivers: v("driver"),
            ids: v("id"),
            names: v("name"),
            scopes: v("scope"),
            types,
            labels: f.labels(),
        })
    }

    fn admits(&self, net: &Network, used: bool) -> bool {
        let any = |pats: &[String], text: &str| {
            pats.is_empty() || pats.iter().any(|p| crate::cmd::pattern_matches(p, text))
        };
        let builtin = net.name == DEFAULT_NETWORK || nets::is_predefined(&net.name);
        let kind = if builtin { "builtin" } else { "custom" };
        // Docker never counts its predefined networks as dangling.
        let used = used || builtin;
        self.dangling.is_none_or(|d| d != used)
            && any(&self.drivers, &net.driver)
            && any(&self.names, &net.name)
            && (self.ids.is_empty() || self.ids.iter().any(|i| net.id.starts_with(i.as_str())))
            && (self.scopes.is_empty() || self.scopes.iter().any(|s| s == "local"))
            && (self.types.is_empty() || self.types.iter().any(|t| t == kind))
            && self.labels.matches(&net.labels)
    }
}

fn row_json(net: &Network, no_trunc: bool) -> Value {
    let id = if no_trunc {
        &net.id[..]
    } else {
        &net.id[..12.min(net.id.len())]
    };
    let labels: Vec<String> = net.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    json!({
        "ID": id,
        "Name": net.name,
        "Driver": net.driver,
        "Scope": "local",
        "IPv6": net.ipv6.to_string(),
        "Internal": net.internal.to_string(),
        "Labels": labels.join(","),
        // docker-cli's network formatter prints Go's time.Time.String().
        "CreatedAt": crate::gotime::go_time_string(&net.created_at),
    })
}

pub fn run(ctx: &Context, args: NetworkListArgs) -> Result<u8> {
    let filters = ListFilters::parse(&args.filter)?;
    let format = if args.quiet {
        ListFormat::Template("{{.ID}}".into())
    } else {
        ListFormat::parse(args.format.as_deref(), DEFAULT_TABLE)?
    };
    let store = ctx.store()?;
    let mut networks = nets::list(&store)?;
    networks.extend(nets::builtin());
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    let mut rows = Vec::new();
    for net in &networks {
        let used = filters.dangling.is_some()
            && !crate::store::networks::endpoints_of_network(store.conn(), &net.id)?.is_empty();
        if filters.admits(net, used) {
            rows.push(row_json(net, args.no_trunc));
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    format::render_list(&mut out, &format, HEADERS, &rows)?;
    out.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn net(name: &str, driver: &str) -> Network {
        Network {
            id: format!("{:0>64}", name.len()),
            name: name.into(),
            driver: driver.into(),
            created_at: String::new(),
            subnets: Vec::new(),
            internal: false,
            ipv6: false,
            labels: BTreeMap::from([("team".to_string(), "a".to_string())]),
            options: BTreeMap::new(),
            bridge: "br0".into(),
        }
    }

    fn f(items: &[&str]) -> ListFilters {
        ListFilters::parse(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn filters_combine_like_docker() {
        let n = net("web", "bridge");
        assert!(f(&["driver=bridge", "name=we"]).admits(&n, false));
        assert!(!f(&["driver=macvlan"]).admits(&n, false));
        assert!(f(&["type=custom", "label=team=a"]).admits(&n, false));
        assert!(!f(&["type=builtin"]).admits(&n, false));
        assert!(f(&["type=builtin"]).admits(&net("bridge", "bridge"), false));
        assert!(f(&["type=builtin", "driver=null"]).admits(&net("none", "null"), false));
        assert!(!f(&["dangling=true"]).admits(&net("host", "host"), false));
        assert!(!f(&["dangling=true"]).admits(&net("bridge", "bridge"), false));
        assert!(!f(&["dangling=true"]).admits(&n, true));
        assert!(f(&["id=0000"]).admits(&n, false));
        assert!(ListFilters::parse(&["type=other".to_string()]).is_err());
    }

    #[test]
    fn ids_are_truncated_unless_asked() {
        let n = net("web", "bridge");
        assert_eq!(row_json(&n, false)["ID"].as_str().unwrap().len(), 12);
        assert_eq!(row_json(&n, true)["ID"].as_str().unwrap().len(), 64);
    }
}
