//! SQL over the store (`seer sql`): tables by Pixie name, metadata functions and `quantiles`, the row
//! cap, and refusal of statements that would change anything.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use arrow::array::{ArrayRef, AsArray, FixedSizeBinaryArray, Int64Array, RecordBatch, TimestampNanosecondArray};
use arrow::datatypes::Int64Type;
use seer_query::{QueryEngine, QueryError, QueryEvent, QueryLimits, SQL_OUTPUT};
use seer_store::{Store, StoreConfig};
use seer_types::{RecordSink, Upid, tables::PROCESS_STATS};
use tokio::sync::mpsc;

fn store_with_rows(n: usize) -> Arc<Store> {
    let store = Arc::new(Store::new(&StoreConfig::default(), &[PROCESS_STATS]));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_nanos() as i64;
    let mut cols: Vec<ArrayRef> = vec![
        Arc::new(TimestampNanosecondArray::from(
            (0..n).map(|i| now - i as i64 * 1_000_000_000).collect::<Vec<_>>(),
        )),
        Arc::new(
            FixedSizeBinaryArray::try_from_iter((0..n).map(|i| Upid::new(1, 10 + (i % 2) as u32, 5).to_bytes()))
                .expect("upids"),
        ),
    ];
    for _ in 2..PROCESS_STATS.columns.len() {
        cols.push(Arc::new(Int64Array::from(
            (0..n).map(|i| i as i64 * 10).collect::<Vec<_>>(),
        )));
    }
    let batch = RecordBatch::try_new(PROCESS_STATS.arrow_schema(), cols).expect("batch");
    store.append("process_stats", batch).expect("append");
    store
}

async fn sql(engine: &QueryEngine, query: &str) -> Result<Vec<RecordBatch>, QueryError> {
    let (tx, mut rx) = mpsc::channel(64);
    let engine = engine.clone();
    let query = query.to_string();
    let task = tokio::spawn(async move { engine.execute_sql(&query, tx).await });
    let mut out = Vec::new();
    while let Some(e) = rx.recv().await {
        if let QueryEvent::Batch { table, batch } = e {
            assert_eq!(table, SQL_OUTPUT);
            out.push(batch);
        }
    }
    task.await.expect("join")?;
    Ok(out)
}

#[tokio::test]
async fn sql_over_store_tables_with_px_functions() {
    let engine = QueryEngine::new(store_with_rows(10), QueryLimits::default());
    let out = sql(
        &engine,
        "SELECT upid_to_pid(upid) AS pid, count(*) AS n, quantiles(rss_bytes) AS q \
         FROM process_stats GROUP BY upid_to_pid(upid) ORDER BY pid",
    )
    .await
    .expect("sql");
    let batch = &out[0];
    assert_eq!(batch.num_rows(), 2);
    let pids = batch.column(0).as_primitive::<Int64Type>();
    assert_eq!((pids.value(0), pids.value(1)), (10, 11));
    assert_eq!(batch.column(1).as_primitive::<Int64Type>().value(0), 5);
    assert!(batch.column(2).as_string::<i32>().value(0).starts_with("{\"p01\":"));
}

#[tokio::test]
async fn sql_is_capped_and_read_only() {
    let limits = QueryLimits {
        max_output_rows: 3,
        ..Default::default()
    };
    let engine = QueryEngine::new(store_with_rows(10), limits);
    let out = sql(&engine, "SELECT * FROM process_stats").await.expect("sql");
    assert_eq!(out.iter().map(RecordBatch::num_rows).sum::<usize>(), 3);
    for refused in [
        "CREATE TABLE t AS SELECT 1",
        "DROP TABLE process_stats",
        "INSERT INTO process_stats SELECT * FROM process_stats",
    ] {
        assert!(sql(&engine, refused).await.is_err(), "{refused}");
    }
    assert!(sql(&engine, "SELECT * FROM nope").await.is_err());
}
