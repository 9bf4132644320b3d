//! The engine over a real store: results in logical types, scan stats with time pruning, data-health
//! warnings after evictions, compile errors, the time limit.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arrow::array::{
    ArrayRef, AsArray, FixedSizeBinaryArray, Int64Array, RecordBatch, StringArray, TimestampNanosecondArray,
};
use arrow::datatypes::{DataType, Int64Type};
use seer_query::{Entry, QueryEngine, QueryError, QueryEvent, QueryLimits, QueryRequest};
use seer_store::{Store, StoreConfig};
use seer_types::{RecordSink, Upid, tables::NETWORK_STATS, tables::PROCESS_STATS};
use tokio::sync::mpsc;

fn now_ns() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_nanos() as i64
}

/// `n` process_stats rows for pid 10+i%3, one second apart, ending now.
fn process_rows(n: usize, end_ns: i64) -> RecordBatch {
    let i64s = |f: &dyn Fn(usize) -> i64| -> ArrayRef { Arc::new(Int64Array::from((0..n).map(f).collect::<Vec<_>>())) };
    let mut cols: Vec<ArrayRef> = vec![
        Arc::new(TimestampNanosecondArray::from(
            (0..n)
                .map(|i| end_ns - (n - 1 - i) as i64 * 1_000_000_000)
                .collect::<Vec<_>>(),
        )),
        Arc::new(
            FixedSizeBinaryArray::try_from_iter((0..n).map(|i| Upid::new(1, 10 + (i % 3) as u32, 5).to_bytes()))
                .expect("upids"),
        ),
    ];
    for _ in 2..PROCESS_STATS.columns.len() {
        cols.push(i64s(&|i| (i as i64 + 1) * 1000));
    }
    RecordBatch::try_new(PROCESS_STATS.arrow_schema(), cols).expect("batch")
}

async fn run(engine: &QueryEngine, src: &str) -> Result<(Vec<QueryEvent>, seer_query::QueryStats), QueryError> {
    let (tx, mut rx) = mpsc::channel(64);
    let req = QueryRequest {
        source: src.to_string(),
        entry: Entry::Script,
    };
    let engine = engine.clone();
    let task = tokio::spawn(async move { engine.execute(req, tx).await });
    let mut events = Vec::new();
    while let Some(e) = rx.recv().await {
        events.push(e);
    }
    let stats = task.await.expect("join")?;
    Ok((events, stats))
}

fn batches(events: &[QueryEvent], table: &str) -> Vec<RecordBatch> {
    events
        .iter()
        .filter_map(|e| match e {
            QueryEvent::Batch { table: t, batch } if t == table => Some(batch.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn runs_scripts_with_pruning_stats_and_metadata_functions() {
    let store = Arc::new(Store::new(
        &StoreConfig {
            seal_rows: 100,
            ..Default::default()
        },
        &[PROCESS_STATS, NETWORK_STATS],
    ));
    let now = now_ns();
    // 1000 rows over the last 1000 s, sealed into 10 batches of 100.
    for chunk in 0..10 {
        let end = now - (9 - chunk) * 100 * 1_000_000_000;
        store.append("process_stats", process_rows(100, end)).expect("append");
    }
    let engine = QueryEngine::new(store, QueryLimits::default());
    let src = "import px\n\
               df = px.DataFrame(table='process_stats', start_time='-150s')\n\
               df.pid = px.upid_to_pid(df.upid)\n\
               px.display(df.groupby('pid').agg(n=('rss_bytes', px.count)), 'per_pid')\n";
    let (events, stats) = run(&engine, src).await.expect("query");
    let out = batches(&events, "per_pid");
    let total: i64 = out
        .iter()
        .map(|b| b.column(1).as_primitive::<Int64Type>().values().iter().sum::<i64>())
        .sum();
    assert!((150..=151).contains(&total), "rows in the last 150 s: {total}");
    assert_eq!(
        stats.rows_scanned, 200,
        "only the two newest batches overlap the window"
    );
    assert_eq!(stats.batches_pruned, 8);
    assert_eq!(stats.rows_returned, 3);
    assert!(stats.warnings.is_empty());
    assert!(matches!(&events[0], QueryEvent::Schema { table, .. } if table == "per_pid"));
}

#[tokio::test]
async fn warns_when_the_window_lost_rows_to_the_budget() {
    let budget_store = StoreConfig {
        total_budget_bytes: 2 * 60_000,
        seal_rows: 100,
        ..Default::default()
    };
    let store = Arc::new(Store::new(&budget_store, &[PROCESS_STATS, NETWORK_STATS]));
    let now = now_ns();
    for chunk in 0..20 {
        let _ = store.append(
            "process_stats",
            process_rows(100, now - (19 - chunk) * 100 * 1_000_000_000),
        );
    }
    assert!(store.table("process_stats").expect("table").stats().rows_evicted > 0);
    let engine = QueryEngine::new(store, QueryLimits::default());
    let all = "import px\npx.display(px.DataFrame(table='process_stats'))\n";
    let (_, stats) = run(&engine, all).await.expect("query");
    assert_eq!(stats.warnings.len(), 1, "{:?}", stats.warnings);
    assert!(
        stats.warnings[0].message.contains("evicted"),
        "{}",
        stats.warnings[0].message
    );
    let recent = "import px\npx.display(px.DataFrame(table='process_stats', start_time='-10s'))\n";
    let (_, stats) = run(&engine, recent).await.expect("query");
    assert!(
        stats.warnings.is_empty(),
        "a recent window lost nothing: {:?}",
        stats.warnings
    );
}

#[tokio::test]
async fn outputs_plain_strings_and_reports_errors() {
    let store = Arc::new(Store::new(&StoreConfig::default(), &[PROCESS_STATS, NETWORK_STATS]));
    let n = 4;
    let head: Vec<ArrayRef> = vec![
        Arc::new(TimestampNanosecondArray::from(vec![now_ns(); n])),
        Arc::new(StringArray::from(vec!["netns:1", "netns:2", "netns:1", "netns:2"])),
    ];
    let cols: Vec<ArrayRef> = head
        .into_iter()
        .chain((2..NETWORK_STATS.columns.len()).map(|_| Arc::new(Int64Array::from(vec![1i64; n])) as ArrayRef))
        .collect();
    store
        .append(
            "network_stats",
            RecordBatch::try_new(NETWORK_STATS.arrow_schema(), cols).expect("batch"),
        )
        .expect("append");
    store.seal_aged(i64::MAX, 0);
    let engine = QueryEngine::new(store, QueryLimits::default());
    let (events, _) = run(
        &engine,
        "import px\npx.display(px.DataFrame('network_stats')[['pod_id', 'rx_bytes']])\n",
    )
    .await
    .expect("query");
    let out = batches(&events, "output");
    assert_eq!(
        out[0].schema().field(0).data_type(),
        &DataType::Utf8,
        "dictionary decoded for clients"
    );
    assert_eq!(out.iter().map(RecordBatch::num_rows).sum::<usize>(), 4);

    let err = run(&engine, "import px\npx.display(px.DataFrame('network_stats').nope)\n")
        .await
        .expect_err("bad column");
    let QueryError::Compile(e) = err else {
        panic!("expected a compile error, got {err}")
    };
    assert_eq!(e.line, 2);
}

#[tokio::test]
async fn enforces_the_time_limit_and_stops_when_the_client_leaves() {
    let store = Arc::new(Store::new(
        &StoreConfig {
            seal_rows: 10,
            ..Default::default()
        },
        &[PROCESS_STATS, NETWORK_STATS],
    ));
    for _ in 0..10 {
        store
            .append("process_stats", process_rows(10, now_ns()))
            .expect("append");
    }
    let limits = QueryLimits {
        timeout: Duration::from_millis(200),
        ..Default::default()
    };
    let engine = QueryEngine::new(store, limits);
    let req = || QueryRequest {
        source: "import px\npx.display(px.DataFrame('process_stats'))\n".into(),
        entry: Entry::Script,
    };
    // A client that never reads: the engine blocks on a full channel until its deadline.
    let (tx, _rx) = mpsc::channel(1);
    let err = engine.execute(req(), tx).await.expect_err("timeout");
    assert!(matches!(err, QueryError::Timeout(_)), "{err}");
    // A client that went away: the engine stops with Cancelled.
    let (tx, rx) = mpsc::channel(1);
    drop(rx);
    let err = engine.execute(req(), tx).await.expect_err("cancelled");
    assert!(matches!(err, QueryError::Cancelled), "{err}");
}

fn fake_cmdline(u: Upid) -> String {
    format!("svc-{}", u.pid)
}

#[tokio::test]
async fn host_functions_can_be_replaced() {
    let store = Arc::new(Store::new(&StoreConfig::default(), &[PROCESS_STATS, NETWORK_STATS]));
    store
        .append("process_stats", process_rows(6, now_ns()))
        .expect("append");
    let engine = QueryEngine::new(store, QueryLimits::default())
        .with_udf(seer_meta::UpidFn::utf8("upid_to_cmdline", fake_cmdline).udf());
    let src = "import px\n\
               df = px.DataFrame(table='process_stats')\n\
               df.cmd = df.ctx['cmdline']\n\
               px.display(df.groupby('cmd').agg(n=('rss_bytes', px.count)), 'per_cmd')\n";
    let (events, _) = run(&engine, src).await.expect("query");
    let out = batches(&events, "per_cmd");
    let mut cmds: Vec<String> = out
        .iter()
        .flat_map(|b| {
            b.column(0)
                .as_string::<i32>()
                .iter()
                .flatten()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    cmds.sort();
    assert_eq!(cmds, ["svc-10", "svc-11", "svc-12"]);
}
