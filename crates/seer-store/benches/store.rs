//! Store benchmarks: append throughput of `http_events`-shaped rows, bytes held per row (dictionary vs
//! plain Arrow), and scans with and without time pruning.
//!
//! Run: `cargo bench -p seer-store --bench store`. Besides criterion's own JSON under
//! `<target>/criterion/`, writes `bench/results/store_memory.json` (bytes per row).

#[path = "../tests/common/http_fixture.rs"]
#[allow(dead_code)]
mod http_fixture;

use std::hint::black_box;
use std::sync::Arc;

use arrow::compute::concat_batches;
use arrow::record_batch::RecordBatch;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use datafusion::prelude::{SessionConfig, SessionContext};
use http_fixture::{Rng, http_batch};
use seer_store::{StoreTableProvider, Table};
use seer_types::tables::HTTP_EVENTS;

const SEC: i64 = 1_000_000_000;
const SEAL_ROWS: usize = 8192;

fn batches(n: usize, rows: usize) -> Vec<RecordBatch> {
    let mut rng = Rng::new(42);
    (0..n)
        .map(|i| http_batch(&mut rng, rows, (i * rows) as i64 * SEC, SEC))
        .collect()
}

fn filled_table(input: &[RecordBatch]) -> Table {
    let t = Table::new(HTTP_EVENTS, usize::MAX, SEAL_ROWS);
    for b in input {
        t.append(b.clone()).expect("append");
    }
    t
}

fn append(c: &mut Criterion) {
    let input = batches(128, 1024);
    let rows: usize = input.iter().map(|b| b.num_rows()).sum();
    let mut g = c.benchmark_group("store_append");
    g.throughput(Throughput::Elements(rows as u64));
    g.sample_size(20);
    g.bench_function("http_events_1024_row_appends", |b| {
        b.iter(|| black_box(filled_table(&input)))
    });
    g.finish();
}

fn memory(c: &mut Criterion) {
    let input = batches(128, 1024);
    let rows: usize = input.iter().map(|b| b.num_rows()).sum();
    let t = filled_table(&input);
    t.seal_if_older(i64::MAX, 0);
    let dict = t.stats().bytes_held as f64 / rows as f64;
    let schema = HTTP_EVENTS.arrow_schema();
    let plain: usize = input
        .chunks(SEAL_ROWS / 1024)
        .map(|c| concat_batches(&schema, c).expect("concat").get_array_memory_size())
        .sum();
    let plain = plain as f64 / rows as f64;
    let json = serde_json::json!({
        "bench": "store_memory",
        "rows": rows,
        "bytes_per_row_held": dict,
        "bytes_per_row_plain_arrow": plain,
        "ratio": dict / plain,
        "target_ratio_max": 0.6,
    });
    eprintln!("store_memory: {json}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/results");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("store_memory.json"), format!("{json:#}\n"));
    }
    // Keep criterion's report consistent: time one seal of 8192 rows.
    let eight: Vec<RecordBatch> = input[..8].to_vec();
    c.bench_function("store_seal_8192_rows", |b| b.iter(|| black_box(filled_table(&eight))));
}

fn scan(c: &mut Criterion) {
    let input = batches(1024, 1024);
    let table = Arc::new(filled_table(&input));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1));
    ctx.register_table("http_events", Arc::new(StoreTableProvider::new(table)))
        .expect("register");
    let last_tenth = (1024 * 1024 * 9 / 10) as i64 * SEC;
    let pruned = format!(
        "SELECT count(*), avg(latency) FROM http_events WHERE time_ >= arrow_cast({last_tenth}, 'Timestamp(Nanosecond, None)')"
    );
    let full = "SELECT count(*), avg(latency) FROM http_events WHERE latency >= 0";
    let mut g = c.benchmark_group("store_scan_1m_rows");
    g.sample_size(10);
    for (name, sql) in [("last_10pct_time_pruned", pruned.as_str()), ("full_scan", full)] {
        g.bench_function(name, |b| {
            b.iter(|| rt.block_on(async { black_box(ctx.sql(sql).await.expect("plan").collect().await.expect("run")) }))
        });
    }
    g.finish();
}

criterion_group!(benches, append, memory, scan);
criterion_main!(benches);
