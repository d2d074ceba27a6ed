//! Variable substitution in compose files and `.env` values, exactly as
//! compose-go's `template` package does it: `$VAR`, `${VAR}`, `${VAR:-d}`,
//! `${VAR-d}`, `${VAR:?e}`, `${VAR?e}`, `${VAR:+a}`, `${VAR+a}`, nested
//! defaults, `$$` for a literal `$`; a `$` followed by anything else stays
//! as it is, and a `${` that does not open a valid name is an invalid
//! template. An unset variable without a default becomes "" with the warning
//! `The "X" variable is not set. Defaulting to a blank string.`. After
//! substitution, the fields compose types as numbers and booleans are cast
//! (compose-go's `loader/interpolate.go`).

use super::yaml::{Node, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The whole template the bad `${` was found in.
    #[error("Invalid template: {0:?}")]
    Invalid(String),
    #[error("required variable {name} is missing a value{}", if reason.is_empty() { String::new() } else { format!(": {reason}") })]
    Required { name: String, reason: String },
}

/// Where variables come from, and where the unset-variable warnings go.
pub struct Resolver<'a> {
    pub lookup: &'a dyn Fn(&str) -> Option<String>,
    pub warn: &'a mut dyn FnMut(String),
}

impl Resolver<'_> {
    fn get(&mut self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }
}

/// Substitutes every variable of `template`.
pub fn substitute(template: &str, r: &mut Resolver) -> Result<String, TemplateError> {
    let mut out = String::new();
    let mut first_err: Option<TemplateError> = None;
    let mut i = 0;
    while let Some(off) = template[i..].find('$') {
        let p = i + off;
        out.push_str(&template[i..p]);
        let Some(end) = match_end(template, p) else {
            out.push('$');
            i = p + 1;
            continue;
        };
        match replace(&template[p..end], r) {
            Ok(v) => out.push_str(&v),
            Err(e) => {
                let e = match e {
                    TemplateError::Invalid(t) if t.is_empty() => {
                        TemplateError::Invalid(template.to_string())
                    }
                    e => e,
                };
                first_err.get_or_insert(e);
            }
        }
        i = end;
    }
    out.push_str(&template[i..]);
    match first_err {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

fn name_len(s: &[u8]) -> usize {
    match s.first() {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            1 + s[1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count()
        }
        _ => 0,
    }
}

const OPS: [&str; 6] = [":?", "?", ":-", "-", ":+", "+"];

/// Where compose-go's pattern match starting at the `$` at `p` ends, or
/// `None` when a `$` starts no match (it is then kept literally).
fn match_end(t: &str, p: usize) -> Option<usize> {
    let b = t.as_bytes();
    match b.get(p + 1) {
        Some(b'$') => Some(p + 2),
        Some(b'{') => {
            let start = p + 2;
            let n = name_len(&b[start..]);
            // `${` then anything invalid matches as the "invalid" group.
            let invalid = Some(p + 2);
            if n == 0 {
                return invalid;
            }
            let j = start + n;
            match b.get(j) {
                Some(b'}') => Some(j + 1),
                Some(_) => {
                    let oplen = if b[j] == b':' && matches!(b.get(j + 1), Some(b'-' | b'+' | b'?'))
                    {
                        2
                    } else if matches!(b[j], b'-' | b'+' | b'?') {
                        1
                    } else {
                        return invalid;
                    };
                    // Go's `(.*)}`: greedy up to the last `}` on this line.
                    let line_end = t[j + oplen..].find('\n').map_or(t.len(), |e| j + oplen + e);
                    match t[j + oplen..line_end].rfind('}') {
                        Some(k) => Some(j + oplen + k + 1),
                        None => invalid,
                    }
                }
                None => invalid,
            }
        }
        Some(_) => {
            let n = name_len(&b[p + 1..]);
            (n > 0).then_some(p + 1 + n)
        }
        None => None,
    }
}

/// compose-go's `getFirstBraceClosingIndex`.
fn first_closing_brace(s: &[u8]) -> Option<usize> {
    let mut open = 0i32;
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'}' {
            open -= 1;
            if open == 0 {
                return Some(i);
            }
        }
        if s[i] == b'{' {
            open += 1;
            i += 1;
        }
        i += 1;
    }
    None
}

/// One match (`$$`, `$NAME`, `${...}`) replaced.
fn replace(matched: &str, r: &mut Resolver) -> Result<String, TemplateError> {
    if matched == "$$" {
        return Ok("$".into());
    }
    let op = OPS
        .iter()
        .filter_map(|op| matched.find(op).map(|i| (i, *op)))
        .min_by_key(|(i, _)| *i)
        .map(|(_, op)| op);
    let (head, rest) = match first_closing_brace(matched.as_bytes()) {
        Some(c) => (&matched[..=c], &matched[c + 1..]),
        None => (matched, ""),
    };
    let (substitution, braced) = if let Some(inner) = head.strip_prefix("${") {
        let Some(inner) = inner.strip_suffix('}') else {
            return Err(TemplateError::Invalid(String::new()));
        };
        let n = name_len(inner.as_bytes());
        let valid = n > 0
            && (n == inner.len() || {
                let tail = &inner[n..];
                OPS.iter().any(|o| tail.starts_with(o))
            });
        if !valid {
            return Err(TemplateError::Invalid(String::new()));
        }
        (inner, true)
    } else {
        (&head[1..], false)
    };
    if braced {
        if let Some(op) = op {
            if let Some(value) = apply_op(substitution, op, r)? {
                let nested = substitute(rest, r)?;
                return Ok(value + &nested);
            }
        }
    }
    match r.get(substitution) {
        Some(v) => Ok(v),
        None => {
            (r.warn)(format!(
                "The {substitution:?} variable is not set. Defaulting to a blank string."
            ));
            Ok(String::new())
        }
    }
}

/// The substitution functions of compose-go; `None` when `op` does not
/// occur in the substitution (not applied).
fn apply_op(
    substitution: &str,
    op: &str,
    r: &mut Resolver,
) -> Result<Option<String>, TemplateError> {
    let Some((name, arg)) = substitution.split_once(op) else {
        return Ok(None);
    };
    let value = r.get(name);
    let colon = op.starts_with(':');
    let set = |v: &Option<String>| match v {
        Some(s) => !colon || !s.is_empty(),
        None => false,
    };
    Ok(Some(match op {
        ":-" | "-" => {
            if set(&value) {
                value.unwrap_or_default()
            } else {
                substitute(arg, r)?
            }
        }
        ":+" | "+" => {
            if set(&value) {
                substitute(arg, r)?
            } else {
                value.unwrap_or_default()
            }
        }
        _ => {
            if set(&value) {
                value.unwrap_or_default()
            } else {
                let reason = substitute(arg, r)?;
                return Err(TemplateError::Required {
                    name: name.to_string(),
                    reason,
                });
            }
        }
    }))
}

/// A variable a file refers to, for `config --variables` (compose-go's
/// `ExtractVariables`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variable {
    pub name: String,
    pub default: String,
    pub alternate: String,
    pub required: bool,
}

/// Every variable `template` refers to, nested defaults included; a later
/// mention of a name replaces an earlier one.
pub fn extract_variables(template: &str, out: &mut std::collections::BTreeMap<String, Variable>) {
    let mut i = 0;
    while let Some(off) = template[i..].find('$') {
        let p = i + off;
        let Some(end) = match_end(template, p) else {
            i = p + 1;
            continue;
        };
        i = end;
        let m = &template[p..end];
        if m == "$$" || m == "${" {
            continue;
        }
        let val = match m.strip_prefix("${") {
            Some(_) => match first_closing_brace(m.as_bytes()) {
                Some(c) if c > 0 => {
                    let inner = &m[2..c];
                    let tail = &m[c + 1..];
                    if !tail.is_empty() {
                        extract_variables(tail, out);
                    }
                    inner
                }
                _ => m[2..].trim_end_matches('}'),
            },
            None => &m[1..],
        };
        let n = val
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(val.len());
        let mut v = Variable {
            name: val[..n].to_string(),
            ..Variable::default()
        };
        let rest = &val[n..];
        if rest.starts_with(":?") || rest.starts_with('?') {
            v.required = true;
        } else if let Some(d) = rest.strip_prefix(":-").or_else(|| rest.strip_prefix('-')) {
            v.default = d.to_string();
        } else if let Some(a) = rest.strip_prefix(":+").or_else(|| rest.strip_prefix('+')) {
            v.alternate = a.to_string();
        }
        let (d, a) = (v.default.clone(), v.alternate.clone());
        out.insert(v.name.clone(), v);
        for nested in [d, a] {
            if !nested.is_empty() {
                extract_variables(&nested, out);
            }
        }
    }
}

/// `extract_variables` over every string of a tree.
pub fn tree_variables(node: &Node, out: &mut std::collections::BTreeMap<String, Variable>) {
    match &node.value {
        Value::Str(s) => extract_variables(s, out),
        Value::Seq(items) => items.iter().for_each(|i| tree_variables(i, out)),
        Value::Map(m) => m.values().for_each(|v| tree_variables(v, out)),
        _ => {}
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InterpolateError {
    #[error("invalid interpolation format for {path}.\nYou may need to escape any $ with another $.\n{template}")]
    Invalid { path: String, template: String },
    #[error("error while interpolating {path}: {source}")]
    Other {
        path: String,
        #[source]
        source: TemplateError,
    },
    #[error("error while interpolating {path}: failed to cast to expected type: {reason}")]
    Cast { path: String, reason: String },
}

/// Interpolates every string of a file's tree (keys are left alone, as
/// compose-go does), casting the typed fields.
pub fn interpolate_tree(root: &mut Node, r: &mut Resolver) -> Result<(), InterpolateError> {
    walk(root, &mut Vec::new(), r)
}

fn walk(node: &mut Node, path: &mut Vec<String>, r: &mut Resolver) -> Result<(), InterpolateError> {
    match &mut node.value {
        Value::Str(s) => {
            let p = || path.join(".");
            let v = substitute(s, r).map_err(|e| match e {
                TemplateError::Invalid(template) => InterpolateError::Invalid {
                    path: p(),
                    template,
                },
                e => InterpolateError::Other {
                    path: p(),
                    source: e,
                },
            })?;
            node.value = match cast_for(path) {
                Some(cast) => {
                    cast(&v).map_err(|reason| InterpolateError::Cast { path: p(), reason })?
                }
                None => Value::Str(v),
            };
        }
        Value::Map(m) => {
            for (k, v) in m.iter_mut() {
                path.push(k.clone());
                walk(v, path, r)?;
                path.pop();
            }
        }
        Value::Seq(items) => {
            for v in items {
                path.push("[]".into());
                walk(v, path, r)?;
                path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

type Cast = fn(&str) -> Result<Value, String>;

fn to_int(s: &str) -> Result<Value, String> {
    s.trim()
        .parse::<i64>()
        .map(Value::Int)
        .map_err(|_| format!("strconv.ParseInt: parsing {s:?}: invalid syntax"))
}
fn to_float(s: &str) -> Result<Value, String> {
    s.trim()
        .parse::<f64>()
        .map(Value::Float)
        .map_err(|_| format!("strconv.ParseFloat: parsing {s:?}: invalid syntax"))
}
/// compose-go's `toBoolean`: YAML 1.1 spellings accepted.
fn to_bool(s: &str) -> Result<Value, String> {
    match s.to_lowercase().as_str() {
        "y" | "yes" | "true" | "on" => Ok(Value::Bool(true)),
        "n" | "no" | "false" | "off" => Ok(Value::Bool(false)),
        _ => Err(format!("invalid boolean: {s}")),
    }
}

/// The typed paths of compose-go's `interpolateTypeCastMapping`; `*`
/// matches any key, `[]` any list item.
const CASTS: &[(&str, Cast)] = &[
    ("services.*.cpu_count", to_int),
    ("services.*.cpu_percent", to_float),
    ("services.*.cpu_period", to_int),
    ("services.*.cpu_quota", to_int),
    ("services.*.cpu_rt_period", to_int),
    ("services.*.cpu_rt_runtime", to_int),
    ("services.*.cpus", to_float),
    ("services.*.cpu_shares", to_int),
    ("services.*.init", to_bool),
    ("services.*.depends_on.*.required", to_bool),
    ("services.*.depends_on.*.restart", to_bool),
    ("services.*.deploy.replicas", to_int),
    ("services.*.deploy.update_config.parallelism", to_int),
    (
        "services.*.deploy.update_config.max_failure_ratio",
        to_float,
    ),
    ("services.*.deploy.rollback_config.parallelism", to_int),
    (
        "services.*.deploy.rollback_config.max_failure_ratio",
        to_float,
    ),
    ("services.*.deploy.restart_policy.max_attempts", to_int),
    ("services.*.deploy.placement.max_replicas_per_node", to_int),
    ("services.*.healthcheck.retries", to_int),
    ("services.*.healthcheck.disable", to_bool),
    ("services.*.oom_kill_disable", to_bool),
    ("services.*.oom_score_adj", to_int),
    ("services.*.pids_limit", to_int),
    ("services.*.ports.[].target", to_int),
    ("services.*.privileged", to_bool),
    ("services.*.read_only", to_bool),
    ("services.*.scale", to_int),
    ("services.*.stdin_open", to_bool),
    ("services.*.tty", to_bool),
    ("services.*.ulimits.*", to_int),
    ("services.*.ulimits.*.hard", to_int),
    ("services.*.ulimits.*.soft", to_int),
    ("services.*.volumes.[].read_only", to_bool),
    ("services.*.volumes.[].volume.nocopy", to_bool),
    ("networks.*.external", to_bool),
    ("networks.*.internal", to_bool),
    ("networks.*.attachable", to_bool),
    ("networks.*.enable_ipv4", to_bool),
    ("networks.*.enable_ipv6", to_bool),
    ("volumes.*.external", to_bool),
    ("secrets.*.external", to_bool),
    ("configs.*.external", to_bool),
];

fn cast_for(path: &[String]) -> Option<Cast> {
    CASTS.iter().find_map(|(pattern, cast)| {
        let parts: Vec<&str> = pattern.split('.').collect();
        (parts.len() == path.len()
            && parts
                .iter()
                .zip(path)
                .all(|(p, k)| *p == "*" && k != "[]" || p == k))
        .then_some(*cast)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env() -> HashMap<&'static str, &'static str> {
        HashMap::from([
            ("FOO", "first"),
            ("BAR", ""),
            ("JSON", "{\"json\": 2}"),
            ("lower", "l"),
            ("_U", "u"),
            ("NESTED", "${FOO}"),
        ])
    }

    fn run(t: &str) -> (Result<String, TemplateError>, Vec<String>) {
        let e = env();
        let lookup = move |k: &str| e.get(k).map(|v| v.to_string());
        let mut warnings = Vec::new();
        let mut push = |w: String| warnings.push(w);
        let mut r = Resolver {
            lookup: &lookup,
            warn: &mut push,
        };
        let out = substitute(t, &mut r);
        (out, warnings)
    }

    /// Cases from compose-go's template_test.go and what real files hold.
    #[test]
    fn substitution_table() {
        let ok: &[(&str, &str)] = &[
            ("", ""),
            ("plain text", "plain text"),
            ("$FOO", "first"),
            ("${FOO}", "first"),
            ("$FOO-bar", "first-bar"),
            ("${FOO}bar", "firstbar"),
            ("$FOO$FOO", "firstfirst"),
            ("a $FOO b ${FOO} c", "a first b first c"),
            ("$$", "$"),
            ("$$FOO", "$FOO"),
            ("$${FOO}", "${FOO}"),
            ("$$$FOO", "$first"),
            ("price: 5$", "price: 5$"),
            ("$5", "$5"),
            ("$ FOO", "$ FOO"),
            ("$-", "$-"),
            ("$lower", "l"),
            ("$_U", "u"),
            ("${_U}", "u"),
            ("$FOO.bar", "first.bar"),
            ("${JSON}", "{\"json\": 2}"),
            ("$NESTED", "${FOO}"),
            ("${FOO:-default}", "first"),
            ("${FOO-default}", "first"),
            ("${BAR:-default}", "default"),
            ("${BAR-default}", ""),
            ("${UNSET:-default}", "default"),
            ("${UNSET-default}", "default"),
            ("${UNSET:-}", ""),
            ("${UNSET-}", ""),
            ("${UNSET:-default value}", "default value"),
            ("${UNSET:-a:b}", "a:b"),
            ("${UNSET:-a-b}", "a-b"),
            ("${UNSET-a:-b}", "a:-b"),
            ("${UNSET:-${FOO}}", "first"),
            ("${UNSET:-${BAR:-x}}", "x"),
            ("${UNSET:-${UNSET2:-${FOO}}}", "first"),
            ("${UNSET:-$FOO}", "first"),
            ("${UNSET:-$$}", "$"),
            ("${UNSET:-{}}", "{}"),
            ("${UNSET:-x} ${FOO}", "x first"),
            ("${UNSET:-x}-${FOO:-y}", "x-first"),
            ("${FOO:+alt}", "alt"),
            ("${FOO+alt}", "alt"),
            ("${BAR:+alt}", ""),
            ("${BAR+alt}", "alt"),
            ("${UNSET:+alt}", ""),
            ("${UNSET+alt}", ""),
            ("${FOO:+${FOO}-x}", "first-x"),
            ("${FOO:?err}", "first"),
            ("${FOO?err}", "first"),
            ("${BAR?err}", ""),
            ("ok ${FOO} ${UNSET:-d} $$ $FOO", "ok first d $ first"),
            ("line1 ${UNSET:-a}\nline2 ${UNSET:-b}", "line1 a\nline2 b"),
            ("é${FOO}ü", "éfirstü"),
            ("http://${FOO}:8080/${UNSET:-x}", "http://first:8080/x"),
        ];
        for (t, want) in ok {
            let (got, _) = run(t);
            assert_eq!(got.as_deref(), Ok(*want), "template {t:?}");
        }
    }

    #[test]
    fn invalid_templates() {
        for t in [
            "${",
            "$}x${",
            "${}",
            "${ }",
            "${ FOO}",
            "${FOO }",
            "${FOO!}",
            "${FOO:}",
            "${1}",
            "${FOO",
            "${FOO:-x",
            "${FOO%bar}",
            "a ${ b",
        ] {
            let (got, _) = run(t);
            assert_eq!(
                got,
                Err(TemplateError::Invalid(t.to_string())),
                "template {t:?}"
            );
        }
    }

    #[test]
    fn required_variables() {
        let cases: &[(&str, &str, &str)] = &[
            ("${UNSET:?}", "UNSET", ""),
            ("${UNSET?}", "UNSET", ""),
            ("${UNSET:?it is needed}", "UNSET", "it is needed"),
            ("${UNSET?it is needed}", "UNSET", "it is needed"),
            ("${BAR:?empty}", "BAR", "empty"),
            ("${UNSET:?set $FOO}", "UNSET", "set first"),
            ("x ${UNSET:?a} y", "UNSET", "a"),
        ];
        for (t, name, reason) in cases {
            let (got, _) = run(t);
            assert_eq!(
                got,
                Err(TemplateError::Required {
                    name: name.to_string(),
                    reason: reason.to_string()
                }),
                "template {t:?}"
            );
        }
        assert_eq!(
            run("${X:?boom}").0.unwrap_err().to_string(),
            "required variable X is missing a value: boom"
        );
        assert_eq!(
            run("${X?}").0.unwrap_err().to_string(),
            "required variable X is missing a value"
        );
    }

    #[test]
    fn variables_are_extracted() {
        let mut vars = std::collections::BTreeMap::new();
        extract_variables(
            "$A ${B} ${C:-dc} ${D-dd} ${E:?oops} ${F?} ${G:+ag} ${H+ah} $$I ${J:-${K:-dk}} ${L}x${M}",
            &mut vars,
        );
        let v = |n: &str| {
            vars.get(n)
                .cloned()
                .unwrap_or_else(|| panic!("{n} missing: {vars:?}"))
        };
        assert_eq!(
            v("A"),
            Variable {
                name: "A".into(),
                ..Default::default()
            }
        );
        assert_eq!(v("C").default, "dc");
        assert_eq!(v("D").default, "dd");
        assert!(v("E").required && v("F").required && !v("A").required);
        assert_eq!(v("G").alternate, "ag");
        assert_eq!(v("H").alternate, "ah");
        assert!(!vars.contains_key("I"));
        assert_eq!(v("J").default, "${K:-dk}");
        assert_eq!(v("K").default, "dk");
        assert!(vars.contains_key("L") && vars.contains_key("M"));
    }

    #[test]
    fn unset_variables_warn_once_per_use() {
        let (got, w) = run("$UNSET ${UNSET} ${UNSET:-x} ${UNSET-y} ${UNSET:+z}");
        assert_eq!(got.as_deref(), Ok("  x y "));
        assert_eq!(
            w,
            vec!["The \"UNSET\" variable is not set. Defaulting to a blank string.".to_string(); 2]
        );
        let (_, w) = run("${UNSET:-$ALSO_UNSET}");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn trees_are_interpolated_with_paths_and_casts() {
        let text = "services:\n  web:\n    image: ${FOO}\n    privileged: ${P}\n    scale: \"${N}\"\n    ports:\n      - target: ${N}\n";
        let mut tree = super::super::yaml::parse("c.yaml", text).unwrap();
        let lookup = |k: &str| match k {
            "FOO" => Some("busybox".to_string()),
            "P" => Some("yes".to_string()),
            "N" => Some("3".to_string()),
            _ => None,
        };
        let mut warn = |_: String| {};
        interpolate_tree(
            &mut tree,
            &mut Resolver {
                lookup: &lookup,
                warn: &mut warn,
            },
        )
        .unwrap();
        let j = tree.to_json();
        assert_eq!(j["services"]["web"]["image"], "busybox");
        assert_eq!(j["services"]["web"]["privileged"], true);
        assert_eq!(j["services"]["web"]["scale"], 3);
        assert_eq!(j["services"]["web"]["ports"][0]["target"], 3);

        let mut tree =
            super::super::yaml::parse("c.yaml", "services:\n  web:\n    image: ${X:?need it}\n")
                .unwrap();
        let e = interpolate_tree(
            &mut tree,
            &mut Resolver {
                lookup: &lookup,
                warn: &mut warn,
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "error while interpolating services.web.image: required variable X is missing a value: need it");
        let mut tree =
            super::super::yaml::parse("c.yaml", "services:\n  web:\n    command: [\"a ${\"]\n")
                .unwrap();
        let e = interpolate_tree(
            &mut tree,
            &mut Resolver {
                lookup: &lookup,
                warn: &mut warn,
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "invalid interpolation format for services.web.command.[].\nYou may need to escape any $ with another $.\na ${");
        let mut tree =
            super::super::yaml::parse("c.yaml", "services:\n  web:\n    tty: maybe\n").unwrap();
        let e = interpolate_tree(
            &mut tree,
            &mut Resolver {
                lookup: &lookup,
                warn: &mut warn,
            },
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("failed to cast to expected type"),
            "{e}"
        );
    }
}
