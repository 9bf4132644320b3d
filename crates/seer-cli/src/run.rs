//! `seer run`: resolve a script, execute it on `seer up`, print its tables.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use seer_api::pb::{ExecuteScriptRequest, FuncCall};
use seer_pxl::vis::VisSpec;

use crate::ConnectArgs;
use crate::format::{self, Format};

/// Flags of `seer run`.
#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// A `.pxl` file, `-` (stdin), a script directory (`<name>.pxl` + `vis.json`) or a bundled script name.
    script: String,
    /// Script argument `name=value` (repeatable): overrides a vis.json variable, or is passed to --func.
    #[arg(long = "arg", short = 'a', value_parser = parse_kv)]
    args: Vec<(String, String)>,
    /// Call this function of the script (function mode) instead of running its top level.
    #[arg(long)]
    func: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    output: Format,
    /// Sort every output table that has this column: `col` or `col:desc` (descending), `col:asc`.
    #[arg(long)]
    sort: Option<String>,
    /// Print execution statistics to stderr.
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    connect: ConnectArgs,
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected name=value, got {s:?}"))
}

/// A script's source and optional live-view spec.
struct Source {
    name: String,
    pxl: String,
    vis: Option<String>,
}

fn resolve(arg: &str) -> Result<Source> {
    if arg == "-" {
        let mut pxl = String::new();
        std::io::stdin()
            .read_to_string(&mut pxl)
            .context("reading the script from stdin")?;
        return Ok(Source {
            name: "<stdin>".into(),
            pxl,
            vis: None,
        });
    }
    let path = Path::new(arg);
    if path.is_dir() {
        let base = path
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let pxl = path.join(format!("{base}.pxl"));
        let pxl = std::fs::read_to_string(&pxl).with_context(|| format!("reading {}", pxl.display()))?;
        return Ok(Source {
            name: arg.into(),
            pxl,
            vis: std::fs::read_to_string(path.join("vis.json")).ok(),
        });
    }
    if path.is_file() {
        let pxl = std::fs::read_to_string(path).with_context(|| format!("reading {arg}"))?;
        let vis = path
            .parent()
            .and_then(|d| std::fs::read_to_string(d.join("vis.json")).ok());
        return Ok(Source {
            name: arg.into(),
            pxl,
            vis,
        });
    }
    match crate::scripts::get(arg) {
        Some(s) => Ok(Source {
            name: s.name,
            pxl: s.pxl,
            vis: s.vis,
        }),
        None => bail!("{arg:?} is neither a file, a directory nor a bundled script (see `seer scripts list`)"),
    }
}

fn request(src: Source, func: Option<String>, args: Vec<(String, String)>) -> Result<ExecuteScriptRequest> {
    let args: BTreeMap<String, String> = args.into_iter().collect();
    let exec_funcs = match (func, &src.vis) {
        (Some(f), _) => vec![FuncCall {
            func_name: f.clone(),
            args: args.into_iter().collect(),
            output_table: f,
        }],
        (None, Some(vis)) => {
            let spec = VisSpec::parse(vis).map_err(|e| anyhow::anyhow!("{}: vis.json: {}", src.name, e.0))?;
            spec.func_calls(&args)
                .map_err(|e| anyhow::anyhow!("{}: vis.json: {}", src.name, e.0))?
                .into_iter()
                .map(|c| FuncCall {
                    func_name: c.name,
                    args: c.args.into_iter().collect(),
                    output_table: c.output,
                })
                .collect()
        }
        (None, None) if !args.is_empty() => {
            bail!("--arg needs function mode: pass --func <name>, or run a script that has a vis.json")
        }
        (None, None) => vec![],
    };
    Ok(ExecuteScriptRequest {
        query_str: src.pxl,
        exec_funcs,
        script_name: src.name,
    })
}

pub(crate) fn run(a: RunArgs) -> Result<ExitCode> {
    let src = resolve(&a.script)?;
    let name = src.name.clone();
    let req = request(src, a.func, a.args)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (mut tables, status) = rt.block_on(crate::client::execute(&a.connect, req))?;
    if let Some(key) = &a.sort {
        for t in &mut tables {
            format::sort(t, key)?;
        }
    }
    for w in &status.warnings {
        eprintln!("warning: table {}: {}", w.table_name, w.message);
    }
    if status.code != 0 {
        match status.errors.first() {
            Some(e) => eprintln!("error: {name}:{}:{}: {}", e.line, e.column, e.message),
            None => eprintln!("error: {}", status.message),
        }
        return Ok(ExitCode::from(2));
    }
    let mut out = std::io::stdout().lock();
    format::print(&tables, a.output, &mut out)?;
    if a.stats
        && let Some(s) = status.stats
    {
        eprintln!(
            "stats: rows_scanned={} bytes_scanned={} batches_pruned={} rows_returned={} compile_ms={:.3} exec_ms={:.3}",
            s.rows_scanned,
            s.bytes_scanned,
            s.batches_pruned,
            s.rows_returned,
            s.compile_time_ns as f64 / 1e6,
            s.execution_time_ns as f64 / 1e6
        );
    }
    Ok(ExitCode::SUCCESS)
}
