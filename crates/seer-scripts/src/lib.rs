//! Seer's bundled script library: `scripts/` at the repository root, embedded at build time, in Pixie's
//! layout (`<group>/<name>/<name>.pxl`, `manifest.yaml`, optional `vis.json`). Shared by the `seer` CLI
//! (`seer scripts`, `seer run <name>`) and the web UI (`seer-web`).

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};

static SCRIPTS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../scripts");

/// A script in Pixie's layout: `<name>.pxl`, `manifest.yaml`, optional `vis.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// `<group>/<name>`, e.g. `px/processes`.
    pub name: String,
    /// PxL source.
    pub pxl: String,
    /// Live-view spec, if the script has one.
    pub vis: Option<String>,
    /// Descriptions from `manifest.yaml`.
    pub manifest: Manifest,
}

/// `manifest.yaml`: the only keys Pixie's bundled scripts use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// One-line title.
    #[serde(default)]
    pub short: String,
    /// Longer description.
    #[serde(default)]
    pub long: String,
}

fn utf8(d: &Dir<'static>, file: &str) -> Option<String> {
    d.get_file(d.path().join(file))
        .and_then(|f| f.contents_utf8())
        .map(str::to_string)
}

/// Every bundled script, sorted by name (`<group>/<name>`).
pub fn all() -> Vec<Script> {
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
pub fn get(name: &str) -> Option<Script> {
    all().into_iter().find(|s| s.name == name)
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
            assert!(s.vis.is_some(), "{name} has a vis.json");
        }
        assert!(get("px/nope").is_none());
        assert!(all.windows(2).all(|w| w[0].name < w[1].name), "sorted");
    }
}
