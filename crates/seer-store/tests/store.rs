//! Store behaviour: batching, sealing, budgets, eviction accounting, time pruning through DataFusion.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Int64Type};
use common::http_fixture::{Rng, http_batch};
use datafusion::prelude::{SessionConfig, SessionContext};
use seer_store::{ScanCounters, Store, StoreConfig, StoreTableProvider, Table};
use seer_types::{RecordSink, SinkError, tables};

const SEC: i64 = 1_000_000_000;

fn http_table(budget: usize, seal_rows: usize) -> Table {
    Table::new(tables::HTTP_EVENTS, budget, seal_rows)
}

fn rows(batches: &[arrow::record_batch::RecordBatch]) -> usize {
    batches.iter().map(|b| b.num_rows()).sum()
}

#[test]
fn small_appends_are_batched_and_sealed_dictionary_encoded() {
    let t = http_table(1 << 30, 1000);
    let mut rng = Rng::new(1);
    for i in 0..25 {
        t.append(http_batch(&mut rng, 100, i * 100 * SEC, SEC)).expect("append");
    }
    let s = t.stats();
    assert_eq!(s.rows_appended, 2500);
    assert_eq!(s.rows_held, 2500);
    // 2 sealed batches of 1000 rows + 5 pending batches of 100.
    assert_eq!(s.batches_held, 7);
    let all = t.scan_all();
    assert_eq!(rows(&all), 2500);
    assert_eq!(all[0].num_rows(), 1000);
    let path = all[0]
        .schema()
        .field_with_name("req_path")
        .expect("req_path")
        .data_type()
        .clone();
    assert!(
        matches!(path, DataType::Dictionary(_, _)),
        "req_path stored as {path:?}"
    );
    // Pending rows are converted to the storage schema for readers too.
    assert_eq!(all.last().expect("batches").schema(), t.schema());
    let times: Vec<i64> = all
        .iter()
        .flat_map(|b| {
            b.column(0)
                .as_primitive::<arrow::datatypes::TimestampNanosecondType>()
                .values()
                .to_vec()
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "rows come back in time order");
}

#[test]
fn flood_stays_within_budget_and_counts_evictions() {
    let budget = 2 << 20;
    let t = http_table(budget, 512);
    let mut rng = Rng::new(2);
    let mut appended = 0u64;
    for i in 0..400 {
        t.append(http_batch(&mut rng, 128, i * 128 * SEC, SEC)).expect("append");
        appended += 128;
        let s = t.stats();
        assert!(
            s.bytes_held as usize <= budget,
            "held {} > budget {budget} after batch {i}",
            s.bytes_held
        );
    }
    let s = t.stats();
    assert_eq!(s.rows_appended, appended);
    assert!(s.rows_evicted > 0, "a flood over budget must evict");
    assert_eq!(
        s.rows_held + s.rows_evicted,
        appended,
        "every row is either held or counted as evicted"
    );
    assert!(s.bytes_evicted > 0);
    let oldest_held = s.min_time_ns.expect("rows held");
    assert!(
        s.evicted_until_ns.expect("evicted") < oldest_held,
        "oldest rows go first"
    );
}

#[test]
fn bad_batches_are_refused_and_counted() {
    let store = Store::new(
        &StoreConfig {
            total_budget_bytes: 1 << 20,
            ..Default::default()
        },
        &[tables::HTTP_EVENTS],
    );
    let mut rng = Rng::new(3);
    let err = store
        .append("process_stats", http_batch(&mut rng, 10, 0, SEC))
        .expect_err("unknown table");
    assert!(matches!(err, SinkError::UnknownTable(_)));
    let table = store.table("http_events").expect("table");
    let wrong = arrow::record_batch::RecordBatch::try_new(
        tables::PROC_STAT.arrow_schema(),
        tables::PROC_STAT
            .columns
            .iter()
            .map(|c| arrow::array::new_empty_array(&c.data_type.arrow()))
            .collect(),
    )
    .expect("empty batch");
    assert!(table.append(wrong).is_ok(), "empty batches are ignored");
    let proc_rows = http_batch(&mut rng, 5, 0, SEC).project(&[0, 1, 2]).expect("projection");
    assert!(matches!(table.append(proc_rows), Err(SinkError::SchemaMismatch { .. })));
    let huge = http_batch(&mut rng, 5000, 0, 1);
    assert!(matches!(table.append(huge), Err(SinkError::TooLarge { .. })));
    let s = table.stats();
    assert_eq!((s.batches_refused, s.rows_refused, s.rows_held), (2, 5005, 0));
}

#[tokio::test]
async fn datafusion_scan_prunes_by_time_and_counts() {
    let store = Store::new(
        &StoreConfig {
            seal_rows: 1000,
            ..Default::default()
        },
        &[tables::HTTP_EVENTS],
    );
    let mut rng = Rng::new(4);
    for i in 0..20 {
        store
            .append("http_events", http_batch(&mut rng, 1000, i * 1000 * SEC, SEC))
            .expect("append");
    }
    let counters = Arc::new(ScanCounters::default());
    let cfg = SessionConfig::new()
        .with_target_partitions(2)
        .with_extension(counters.clone());
    let ctx = SessionContext::new_with_config(cfg);
    let table = store.table("http_events").expect("table").clone();
    ctx.register_table("http_events", Arc::new(StoreTableProvider::new(table)))
        .expect("register");
    // Last 2.5 batches' worth of rows: time_ >= 17_500 s.
    let df = ctx
        .sql("SELECT count(*) AS n, max(latency) > 0 AS ok FROM http_events WHERE time_ >= arrow_cast(17500000000000, 'Timestamp(Nanosecond, None)')")
        .await
        .expect("plan");
    let out = df.collect().await.expect("run");
    assert_eq!(out[0].column(0).as_primitive::<Int64Type>().value(0), 2500);
    assert_eq!(
        counters.rows.load(Ordering::Relaxed),
        3000,
        "three batches overlap the range"
    );
    assert_eq!(counters.batches_pruned.load(Ordering::Relaxed), 17);
    // Group by a dictionary-encoded column works and gives plain results.
    let out = ctx
        .sql("SELECT req_method, count(*) AS n FROM http_events GROUP BY req_method ORDER BY req_method")
        .await
        .expect("plan")
        .collect()
        .await
        .expect("run");
    let total: i64 = out
        .iter()
        .map(|b| b.column(1).as_primitive::<Int64Type>().values().iter().sum::<i64>())
        .sum();
    assert_eq!(total, 20_000);
    assert_eq!(out.iter().map(|b| b.num_rows()).sum::<usize>(), 5);
    assert_eq!(out[0].column(0).null_count(), 0);
}

#[test]
fn aged_pending_rows_get_sealed() {
    let t = http_table(1 << 30, 1_000_000);
    let mut rng = Rng::new(5);
    t.append(http_batch(&mut rng, 10, 100 * SEC, SEC)).expect("append");
    t.append(http_batch(&mut rng, 10, 110 * SEC, SEC)).expect("append");
    assert_eq!(t.stats().batches_held, 2);
    t.seal_if_older(105 * SEC, 10 * SEC);
    assert_eq!(t.stats().batches_held, 2, "not old enough yet");
    t.seal_if_older(111 * SEC, 10 * SEC);
    assert_eq!(t.stats().batches_held, 1);
    assert_eq!(t.stats().rows_held, 20);
}

#[test]
fn readers_and_writers_run_concurrently() {
    let t = Arc::new(http_table(8 << 20, 256));
    let writer = {
        let t = t.clone();
        std::thread::spawn(move || {
            let mut rng = Rng::new(6);
            for i in 0..300 {
                t.append(http_batch(&mut rng, 64, i * 64 * SEC, SEC)).expect("append");
            }
        })
    };
    let mut last = 0;
    while !writer.is_finished() {
        let n = rows(&t.scan_all());
        let s = t.stats();
        assert!(s.rows_appended >= last);
        last = s.rows_appended;
        assert!(n as u64 <= s.rows_appended);
    }
    writer.join().expect("writer");
    let s = t.stats();
    assert_eq!(s.rows_appended, 300 * 64);
    assert_eq!(rows(&t.scan_all()) as u64, s.rows_held);
}
