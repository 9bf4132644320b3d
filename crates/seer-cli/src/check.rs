//! `seer check <file|dir>`: compiles and type-checks scripts against the table schemas without running
//! them. A directory is searched recursively for `.pxl` files; a script next to a `vis.json` in a
//! directory named like it is also checked the way its live view calls it. Errors print as
//! `path:line:col: message`; the exit code is 1 when any script fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use seer_pxl::vis::VisSpec;
use seer_query::{Entry, FuncCall};

/// Every `.pxl` file under `path` (or `path` itself), sorted.
fn scripts(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let p = entry?.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "pxl") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The live-view calls of `script` if it is `<dir>/<dir>.pxl` beside a `vis.json`.
fn vis_calls(script: &Path) -> Result<Option<Vec<FuncCall>>, String> {
    let (Some(dir), Some(stem)) = (script.parent(), script.file_stem()) else {
        return Ok(None);
    };
    let named_like_dir = dir.file_name() == Some(stem);
    let vis = dir.join("vis.json");
    if !named_like_dir || !vis.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&vis).map_err(|e| format!("{}: {e}", vis.display()))?;
    let spec = VisSpec::parse(&text).map_err(|e| format!("{}: {e}", vis.display()))?;
    let calls = spec
        .func_calls(&BTreeMap::new())
        .map_err(|e| format!("{}: {e}", vis.display()))?;
    Ok(Some(calls))
}

/// Errors of one script, formatted `path:line:col: message`.
pub(crate) fn check_file(path: &Path) -> Vec<String> {
    let name = path.display();
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => return vec![format!("{name}: {e}")],
    };
    let mut errors = Vec::new();
    if let Err(e) = seer_query::check(&source, &Entry::Script) {
        errors.push(format!("{name}:{}:{}: {}", e.line, e.column, e.message));
    }
    match vis_calls(path) {
        Ok(Some(calls)) if errors.is_empty() => {
            if let Err(e) = seer_query::check(&source, &Entry::Functions(calls)) {
                errors.push(format!("{name}:{}:{}: {} (live view)", e.line, e.column, e.message));
            }
        }
        Ok(_) => {}
        Err(e) => errors.push(e),
    }
    errors
}

/// `seer check`.
pub(crate) fn check(path: &Path) -> Result<ExitCode> {
    let files = scripts(path)?;
    let mut failed = 0;
    for f in &files {
        let errors = check_file(f);
        if !errors.is_empty() {
            failed += 1;
        }
        for e in errors {
            eprintln!("{e}");
        }
    }
    println!(
        "checked {} scripts: {} ok, {failed} with errors",
        files.len(),
        files.len() - failed
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_scripts_pass() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts");
        let files = scripts(&root).unwrap_or_default();
        assert!(files.len() >= 8, "{files:?}");
        let errors: Vec<String> = files.iter().flat_map(|f| check_file(f)).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn errors_name_path_line_and_column() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let bad = dir.path().join("bad.pxl");
        std::fs::write(&bad, "import px\ndf = px.DataFrame('http_events')\ndf.x = df.nope\n")?;
        let errors = check_file(&bad);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].ends_with("bad.pxl:3:11: column 'nope' not found in DataFrame; available: time_, upid, remote_addr, remote_port, local_addr, local_port, trace_role, encrypted, major_version, minor_version, content_type, req_headers, req_method, req_path, req_body, req_body_size, resp_headers, resp_status, resp_message, resp_body, resp_body_size, latency"), "{}", errors[0]);
        assert_eq!(check(dir.path())?, ExitCode::from(1));
        Ok(())
    }
}
