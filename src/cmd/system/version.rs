//! `berth version [--format]`: Docker's `Client` and `Server` sections.
//! berth has no server: `Server` describes the engine that runs containers
//! for this binary — the binary itself, its shim and the OCI runtime — and
//! its `Version` is the Docker Engine version whose command-line behaviour
//! berth follows ([`DOCKER_COMPAT`]), so tools that gate features on
//! `{{.Server.Version}}` (ansible's docker connection: `--user` from 1.7,
//! `--workdir` from 18.06) keep working. berth's own version is
//! `Client.Version` and the `berth` component's. Never touches the data
//! root, and never fails for a missing runtime (the component says so).

use crate::cli::system::VersionArgs;
use crate::cli::GlobalArgs;
use crate::runtime::advisory::{describe_escapes, RuntimeVersion};
use anyhow::Result;
use serde_json::{json, Value};
use std::io::Write;

use super::{go_arch, GIT_COMMIT, VERSION};

/// The Docker Engine release whose CLI behaviour berth follows, and its
/// API version.
pub const DOCKER_COMPAT: &str = "27.5.1";
pub const DOCKER_API: &str = "1.47";

/// The configured runtime: name, version text and binary, or why not.
pub struct RuntimeInfo {
    pub name: String,
    pub found: Result<(std::path::PathBuf, Option<RuntimeVersion>), String>,
}

impl RuntimeInfo {
    pub fn probe(name: &str) -> RuntimeInfo {
        let found = crate::runtime::runc::find_binary(name)
            .map(|b| {
                let v = RuntimeVersion::probe(&b);
                (b, v)
            })
            .map_err(|e| e.to_string());
        RuntimeInfo {
            name: name.to_string(),
            found,
        }
    }

    /// The runtime's version as printed, or `unknown`/`not found`.
    pub fn version_text(&self) -> String {
        match &self.found {
            Ok((_, Some(v))) => v.text.clone(),
            Ok((_, None)) => "unknown".to_string(),
            Err(_) => "not found".to_string(),
        }
    }

    /// The component name (`runc`, `crun`, or the configured name).
    pub fn component_name(&self) -> String {
        match &self.found {
            Ok((_, Some(v))) => v.name.clone(),
            _ => self
                .name
                .rsplit('/')
                .next()
                .unwrap_or(&self.name)
                .to_string(),
        }
    }
}

/// The whole `version` object, with Docker's field names.
pub fn version_value(rt: &RuntimeInfo) -> Value {
    let kernel = crate::host::facts::kernel_version();
    let mut runtime_details = json!({ "GitCommit": rt.version_text() });
    if let Ok((path, found)) = &rt.found {
        runtime_details["Path"] = json!(path.display().to_string());
        if let Some(line) = found.as_ref().and_then(describe_escapes) {
            runtime_details["Warning"] = json!(line);
        }
    }
    json!({
        "Client": {
            "Platform": {"Name": "berth"},
            "Version": VERSION,
            "ApiVersion": DOCKER_API,
            "DefaultAPIVersion": DOCKER_API,
            "GitCommit": GIT_COMMIT,
            "GoVersion": "",
            "Os": "linux",
            "Arch": go_arch(),
            "BuildTime": "",
            "Context": "default",
        },
        "Server": {
            "Platform": {"Name": "berth (daemonless)"},
            "Components": [
                {
                    "Name": "Engine",
                    "Version": DOCKER_COMPAT,
                    "Details": {
                        "ApiVersion": DOCKER_API,
                        "Arch": go_arch(),
                        "BuildTime": "",
                        "Experimental": "false",
                        "GitCommit": GIT_COMMIT,
                        "GoVersion": "",
                        "KernelVersion": kernel,
                        "MinAPIVersion": "1.24",
                        "Os": "linux",
                    }
                },
                {"Name": "berth", "Version": VERSION, "Details": {"GitCommit": GIT_COMMIT}},
                {"Name": rt.component_name(), "Version": rt.version_text(), "Details": runtime_details},
            ],
            "Version": DOCKER_COMPAT,
            "ApiVersion": DOCKER_API,
            "MinAPIVersion": "1.24",
            "GitCommit": GIT_COMMIT,
            "GoVersion": "",
            "Os": "linux",
            "Arch": go_arch(),
            "KernelVersion": kernel,
            "BuildTime": "",
        }
    })
}

fn line(out: &mut dyn Write, indent: usize, key: &str, value: &str) -> std::io::Result<()> {
    // Values start in column 20, as docker's template aligns them.
    let width = 20 - indent;
    writeln!(out, "{:indent$}{key:<width$}{value}", "")
}

/// Docker's human layout.
pub fn write_human(out: &mut dyn Write, v: &Value) -> std::io::Result<()> {
    let s = |p: &Value| p.as_str().unwrap_or_default().to_string();
    let c = &v["Client"];
    writeln!(out, "Client:")?;
    line(out, 1, "Version:", &s(&c["Version"]))?;
    line(out, 1, "API version:", &s(&c["ApiVersion"]))?;
    line(out, 1, "Git commit:", &s(&c["GitCommit"]))?;
    line(
        out,
        1,
        "OS/Arch:",
        &format!("{}/{}", s(&c["Os"]), s(&c["Arch"])),
    )?;
    line(out, 1, "Context:", &s(&c["Context"]))?;
    writeln!(out)?;
    let srv = &v["Server"];
    writeln!(out, "Server: {}", s(&srv["Platform"]["Name"]))?;
    for comp in srv["Components"].as_array().into_iter().flatten() {
        writeln!(out, " {}:", s(&comp["Name"]))?;
        line(out, 2, "Version:", &s(&comp["Version"]))?;
        let d = &comp["Details"];
        if comp["Name"] == "Engine" {
            line(
                out,
                2,
                "API version:",
                &format!(
                    "{} (minimum version {})",
                    s(&d["ApiVersion"]),
                    s(&d["MinAPIVersion"])
                ),
            )?;
            line(out, 2, "Git commit:", &s(&d["GitCommit"]))?;
            line(
                out,
                2,
                "OS/Arch:",
                &format!("{}/{}", s(&d["Os"]), s(&d["Arch"])),
            )?;
            line(out, 2, "Experimental:", &s(&d["Experimental"]))?;
        } else {
            line(out, 2, "GitCommit:", &s(&d["GitCommit"]))?;
            if let Some(p) = d["Path"].as_str() {
                line(out, 2, "Path:", p)?;
            }
            if let Some(w) = d["Warning"].as_str() {
                line(out, 2, "WARNING:", w)?;
            }
        }
    }
    Ok(())
}

pub fn run(global: &GlobalArgs, args: VersionArgs, out: &mut dyn Write) -> Result<u8> {
    let runtime = crate::config::Settings::load(global)
        .map(|s| s.runtime)
        .unwrap_or_else(|_| "runc".to_string());
    let rt = RuntimeInfo::probe(&runtime);
    let v = version_value(&rt);
    match args.format.as_deref() {
        Some(f) => super::render_format(out, f, &v)?,
        None => write_human(out, &v)?,
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_fields_and_layout() {
        let rt = RuntimeInfo {
            name: "/nonexistent/runc".into(),
            found: Err("not found".into()),
        };
        let v = version_value(&rt);
        assert_eq!(v["Client"]["Version"], VERSION);
        assert_eq!(v["Server"]["Version"], DOCKER_COMPAT);
        assert_eq!(v["Server"]["Components"][2]["Name"], "runc");
        assert_eq!(v["Server"]["Components"][2]["Version"], "not found");
        let mut out = Vec::new();
        write_human(&mut out, &v).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(&format!("Client:\n Version:           {VERSION}\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "Server: berth (daemonless)\n Engine:\n  Version:          {DOCKER_COMPAT}\n"
            )),
            "{text}"
        );
        let mut out = Vec::new();
        super::super::render_format(&mut out, "{{.Server.Version}} {{.Client.Version}}", &v)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{DOCKER_COMPAT} {VERSION}\n")
        );
    }
}
