//! Runs the PxL script through the real query engine and times it end to end: compile, plan, execute and
//! receive every result batch (in logical types) from the engine's channel.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{Float64Type, Int64Type};
use seer_query::{Entry, QueryEngine, QueryEvent, QueryRequest, QueryStats};
use serde::Serialize;
use tokio::sync::mpsc;

/// The benchmark's PxL script, with `{start_ns}`, `{end_ns}` and `{min_status}` to fill in.
pub const TEMPLATE: &str = include_str!("http_stats.pxl");

/// The script for a window `[start_ns, end_ns)` and statuses `>= min_status`.
pub fn script(start_ns: i64, end_ns: i64, min_status: i64) -> String {
    TEMPLATE
        .replace("{start_ns}", &start_ns.to_string())
        .replace("{end_ns}", &end_ns.to_string())
        .replace("{min_status}", &min_status.to_string())
}

/// One run's times.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timing {
    /// From the call to `execute` until the last batch was received (seconds).
    pub total_s: f64,
    /// Compile time reported by the engine (seconds).
    pub compile_s: f64,
    /// Plan + execute time reported by the engine (seconds).
    pub execute_s: f64,
}

/// One output row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// `df.ctx['cmdline']`.
    pub service: String,
    /// Request path.
    pub req_path: String,
    /// Rows in the group.
    pub requests: i64,
    /// Latency quantiles (ns) from the t-digest.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
}

/// Runs `source` once; returns its timing, scan statistics and rows.
pub async fn run_once(engine: &QueryEngine, source: &str) -> Result<(Timing, QueryStats, Vec<Group>)> {
    let started = Instant::now();
    let (tx, mut rx) = mpsc::channel(64);
    let req = QueryRequest {
        source: source.to_string(),
        entry: Entry::Script,
    };
    let task_engine = engine.clone();
    let task = tokio::spawn(async move { task_engine.execute(req, tx).await });
    let mut batches = Vec::new();
    while let Some(ev) = rx.recv().await {
        if let QueryEvent::Batch { batch, .. } = ev {
            batches.push(batch);
        }
    }
    let stats = task.await.context("query task")??;
    let total = started.elapsed();
    let timing = Timing {
        total_s: total.as_secs_f64(),
        compile_s: secs(stats.compile_time),
        execute_s: secs(stats.execution_time),
    };
    let mut groups = Vec::new();
    for b in &batches {
        groups.extend(rows(b)?);
    }
    Ok((timing, stats, groups))
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn rows(b: &RecordBatch) -> Result<Vec<Group>> {
    let text = |i: usize| b.column(i).as_string_opt::<i32>().context("string column");
    let (service, path) = (text(0)?, text(1)?);
    let requests = b.column(2).as_primitive_opt::<Int64Type>().context("requests column")?;
    let q = |i: usize| b.column(i).as_primitive_opt::<Float64Type>().context("quantile column");
    let (p50, p90, p99) = (q(3)?, q(4)?, q(5)?);
    if [p50, p90, p99].iter().any(|a| a.null_count() > 0) {
        bail!("null quantile in the output");
    }
    Ok((0..b.num_rows())
        .map(|i| Group {
            service: service.value(i).to_string(),
            req_path: path.value(i).to_string(),
            requests: requests.value(i),
            p50: p50.value(i),
            p90: p90.value(i),
            p99: p99.value(i),
        })
        .collect())
}
