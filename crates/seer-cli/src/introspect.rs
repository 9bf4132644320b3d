//! `seer tables`, `seer schema <table>`, `seer functions`: the catalogue and the `px` library, read locally
//! (no running `seer up` needed).

use std::process::ExitCode;

use anyhow::{Result, bail};

/// `seer tables`.
pub(crate) fn tables() -> Result<ExitCode> {
    let all = seer_types::tables::all();
    let width = all.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in all {
        println!("{:width$}  {:>3} columns  {}", t.name, t.columns.len(), t.desc);
    }
    Ok(ExitCode::SUCCESS)
}

/// `seer schema <table>`.
pub(crate) fn schema(name: &str) -> Result<ExitCode> {
    let Some(t) = seer_types::tables::get(name) else {
        bail!("no table {name:?} (see `seer tables`)");
    };
    println!("{}: {}", t.name, t.desc);
    let width = t.columns.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in t.columns {
        println!(
            "  {:width$}  {:<9} {:<22} {}",
            c.name,
            c.data_type.name(),
            c.semantic.name(),
            c.desc
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `seer functions`.
pub(crate) fn functions() -> Result<ExitCode> {
    for f in seer_pxl::functions() {
        println!("px.{}({})  [{}]  {}", f.name, f.params.join(", "), f.kind.name(), f.doc);
    }
    for name in seer_query::host_functions() {
        println!("px.{name}(...)  [metadata]  Host metadata function.");
    }
    Ok(ExitCode::SUCCESS)
}
