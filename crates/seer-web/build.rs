//! Points `SEER_UI_DIST` at the built web UI (`ui/dist`, made by `tools/ui.sh`) for `include_dir!`, or at
//! an empty directory when the UI was not built; the server then serves a page saying how to build it.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let ui = manifest.join("../../ui");
    let dist = ui.join("dist");
    println!("cargo:rerun-if-env-changed=SEER_UI_DIST");
    let dir = if let Some(d) = std::env::var_os("SEER_UI_DIST") {
        PathBuf::from(d)
    } else if dist.join("index.html").is_file() {
        println!("cargo:rerun-if-changed={}", dist.display());
        dist
    } else {
        // Rebuild once `tools/ui.sh` has produced ui/dist.
        println!("cargo:rerun-if-changed={}", ui.join("index.html").display());
        println!("cargo:rerun-if-changed={}", ui.display());
        let empty = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("no-ui");
        if let Err(e) = std::fs::create_dir_all(&empty) {
            println!("cargo:warning=cannot create {}: {e}", empty.display());
        }
        empty
    };
    let dir = dir.canonicalize().unwrap_or(dir);
    println!("cargo:rustc-env=SEER_UI_DIST={}", dir.display());
}
