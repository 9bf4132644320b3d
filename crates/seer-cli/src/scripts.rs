//! The bundled script library (`scripts/` at the repository root, embedded at build time).

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use include_dir::{Dir, include_dir};
use serde::Deserialize;

static SCRIPTS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../scripts");

/// A script in Pixie's layout: `<name>.pxl`, `manifest.yaml`, optional `vis.json`.
pub(crate) struct Script {
    pub name: String,
    pub pxl: String,
    pub vis: Option<String>,
    pub manifest: Manifest,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Manifest {
    #[serde(default)]
    pub short: String,
    #[serde(default)]
    pub long: String,
}

fn utf8(d: &Dir<'static>, file: &str) -> Option<String> {
    d.get_file(d.path().join(file))
        .and_then(|f| f.contents_utf8())
        .map(str::to_string)
}

/// Every bundled script, sorted by name (`<group>/<name>`).
pub(crate) fn all() -> Vec<Script> {
    let mut out = Vec::new();
    for group in SCRIPTS.dirs() {
        for dir in group.dirs() {
            let name = dir.path().to_string_lossy().to_string();
            let base = dir
                .path()
                .file_name()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let Some(pxl) = utf8(dir, &format!("{base}.pxl")) else {
                continue;
            };
            let manifest = utf8(dir, "manifest.yaml")
                .and_then(|m| serde_yaml::from_str(&m).ok())
                .unwrap_or_default();
            out.push(Script {
                name,
                pxl,
                vis: utf8(dir, "vis.json"),
                manifest,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A bundled script by name.
pub(crate) fn get(name: &str) -> Option<Script> {
    all().into_iter().find(|s| s.name == name)
}

pub(crate) fn list() -> Result<ExitCode> {
    let scripts = all();
    let width = scripts.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for s in scripts {
        println!("{:width$}  {}", s.name, s.manifest.short.trim());
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn show(name: &str, vis: bool) -> Result<ExitCode> {
    let s = get(name).with_context(|| format!("no bundled script {name:?} (see `seer scripts list`)"))?;
    if vis {
        match s.vis {
            Some(v) => print!("{v}"),
            None => bail!("{name} has no vis.json"),
        }
    } else {
        if !s.manifest.long.trim().is_empty() {
            for line in s.manifest.long.trim().lines() {
                println!("# {line}");
            }
        }
        print!("{}", s.pxl);
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_scripts_have_manifests() {
        let all = all();
        for name in ["px/processes", "px/network_stats"] {
            let s = all
                .iter()
                .find(|s| s.name == name)
                .unwrap_or_else(|| panic!("{name} bundled"));
            assert!(!s.manifest.short.is_empty(), "{name} manifest has a short description");
            assert!(s.pxl.contains("import px"));
        }
    }
}
