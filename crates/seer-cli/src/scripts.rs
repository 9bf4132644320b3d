//! `seer scripts list|show`: the bundled script library (crate `seer-scripts`).

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use seer_scripts::all;
pub(crate) use seer_scripts::get;

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
