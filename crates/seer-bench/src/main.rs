//! `pxl-duckdb`: Seer's half of the PxL-vs-DuckDB benchmark (`bench/pxl_duckdb.sh` runs both halves).
//!
//! Generates deterministic synthetic `http_events` rows into a seer-store table the way the agent holds
//! them (1024-row appends, sealed and dictionary-encoded every 8192 rows), writes the same rows as Arrow IPC
//! for DuckDB, then runs the HTTP-stats PxL script through the real query engine several times and writes
//! the timings and result rows as JSON.

mod compile_time;
mod explain;
mod files;
mod generate;
mod meta;
mod query;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use seer_query::{QueryEngine, QueryLimits};
use seer_store::{Store, StoreConfig};
use seer_types::RecordSink;
use seer_types::tables::HTTP_EVENTS;
use serde_json::{Value, json};

use crate::query::{Timing, run_once, script};

/// Threads for Seer's side (tokio workers; the engine plans 2 partitions).
const THREADS: usize = 2;
/// First row's time: 2023-11-14T22:13:20Z. Fixed, so every run queries the same rows.
const START_NS: i64 = 1_700_000_000_000_000_000;
/// The data covers 10 minutes; the script's window is the last 5.
const SPAN_NS: i64 = 600_000_000_000;

#[derive(Debug, Parser)]
#[command(about = "Seer's side of the PxL vs DuckDB benchmark")]
struct Args {
    /// Rows of http_events to generate.
    #[arg(long, default_value_t = 10_000_000)]
    rows: usize,
    /// Timed repetitions per query (after one untimed warm-up run).
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Directory for the IPC files and the JSON result.
    #[arg(long, default_value = "/var/tmp/seer-bench")]
    out_dir: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Rows per append (the agent appends what a collector produced since its last flush).
    #[arg(long, default_value_t = 1024)]
    append_rows: usize,
    /// Print the logical and physical plans of the queries after loading, then exit.
    #[arg(long)]
    explain: bool,
    /// Compile iterations per script for the compile-time measurement (0: skip it).
    #[arg(long, default_value_t = 2000)]
    compile_iters: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out_dir)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(THREADS)
        .enable_all()
        .build()?;
    let report = rt.block_on(run(&args))?;
    let path = args.out_dir.join("seer.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&report)?)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

async fn run(args: &Args) -> Result<Value> {
    let (store, load) = load(args)?;
    let table = store.table("http_events").context("http_events table")?.clone();
    let (start, end) = (START_NS + SPAN_NS / 2, START_NS + SPAN_NS);
    if args.explain {
        explain::explain(&store, &script(start, end, 400), meta::cmdline_udf()).await?;
        return Ok(json!({}));
    }
    let t = Instant::now();
    let ipc = args.out_dir.join("http_events.arrow");
    let ipc_bytes = files::write_table(&table, &ipc)?;
    files::write_processes(&args.out_dir.join("processes.arrow"))?;
    eprintln!(
        "wrote {} ({ipc_bytes} bytes) in {:.1} s",
        ipc.display(),
        t.elapsed().as_secs_f64()
    );

    let engine = QueryEngine::new(store.clone(), QueryLimits::default()).with_udf(meta::cmdline_udf());
    let mut queries = serde_json::Map::new();
    for (name, min_status) in [("errors", 400), ("all", 0)] {
        let src = script(start, end, min_status);
        queries.insert(name.to_string(), time_query(&engine, &src, args.reps).await?);
    }
    let stats = table.stats();
    let compile = if args.compile_iters > 0 {
        compile_time::run(args.compile_iters)?
    } else {
        json!(null)
    };
    Ok(json!({
        "compile": compile,
        "rows": args.rows,
        "seed": args.seed,
        "threads": THREADS,
        "target_partitions": 2,
        "window": {"start_ns": start, "end_ns": end, "data_start_ns": START_NS, "data_end_ns": START_NS + SPAN_NS},
        "load": load,
        "store": {"rows_held": stats.rows_held, "batches_held": stats.batches_held, "bytes_held": stats.bytes_held},
        "ipc": {"path": ipc, "bytes": ipc_bytes},
        "queries": queries,
    }))
}

/// Generates the rows into a fresh store; returns it with load statistics.
fn load(args: &Args) -> Result<(Arc<Store>, Value)> {
    let config = StoreConfig {
        total_budget_bytes: 64 << 30,
        http_events_percent: 100,
        ..StoreConfig::default()
    };
    let store = Arc::new(Store::new(&config, &[HTTP_EVENTS]));
    let mut generator = generate::Generator::new(args.seed, args.rows, START_NS, SPAN_NS);
    let t = Instant::now();
    while let Some(batch) = generator.batch(args.append_rows) {
        store.append("http_events", batch?)?;
    }
    store.seal_aged(i64::MAX, 0);
    let secs = t.elapsed().as_secs_f64();
    eprintln!("generated and stored {} rows in {secs:.1} s", args.rows);
    let load = json!({"seconds": secs, "append_rows": args.append_rows, "seal_rows": config.seal_rows});
    Ok((store, load))
}

/// One warm-up run, then `reps` timed runs of `src`.
async fn time_query(engine: &QueryEngine, src: &str, reps: usize) -> Result<Value> {
    let (_, _, _) = run_once(engine, src).await?;
    let mut timings: Vec<Timing> = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps.max(1) {
        let (timing, stats, groups) = run_once(engine, src).await?;
        eprintln!(
            "seer: {:.4} s (compile {:.5} s), {} groups",
            timing.total_s,
            timing.compile_s,
            groups.len()
        );
        timings.push(timing);
        last = Some((stats, groups));
    }
    let (stats, mut groups) = last.context("at least one repetition")?;
    groups.sort_by(|a, b| (&a.service, &a.req_path).cmp(&(&b.service, &b.req_path)));
    let mut totals: Vec<f64> = timings.iter().map(|t| t.total_s).collect();
    totals.sort_by(f64::total_cmp);
    let mut compiles: Vec<f64> = timings.iter().map(|t| t.compile_s).collect();
    compiles.sort_by(f64::total_cmp);
    Ok(json!({
        "script": src,
        "median_s": totals[totals.len() / 2],
        "min_s": totals[0],
        "compile_median_s": compiles[compiles.len() / 2],
        "runs": timings,
        "rows_scanned": stats.rows_scanned,
        "batches_pruned": stats.batches_pruned,
        "groups": groups,
    }))
}
