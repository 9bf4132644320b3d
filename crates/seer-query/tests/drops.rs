//! A query whose time window covers rows a collector dropped (e.g. BPF ring buffer full) gets a
//! data-health warning with the count; a window that does not cover them gets none.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use seer_query::{Entry, QueryEngine, QueryLimits, QueryRequest};
use seer_store::{Store, StoreConfig};
use seer_types::tables::HTTP_EVENTS;
use tokio::sync::mpsc;

fn now_ns() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_nanos() as i64
}

async fn warnings(engine: &QueryEngine, src: &str) -> Vec<seer_query::DataWarning> {
    let (tx, mut rx) = mpsc::channel(64);
    let req = QueryRequest {
        source: src.to_string(),
        entry: Entry::Script,
    };
    let e = engine.clone();
    let task = tokio::spawn(async move { e.execute(req, tx).await });
    while rx.recv().await.is_some() {}
    task.await.expect("join").expect("query runs").warnings
}

#[tokio::test]
async fn warns_only_when_the_window_covers_upstream_drops() {
    let store = Arc::new(Store::new(&StoreConfig::default(), &[HTTP_EVENTS]));
    let table = store.table("http_events").expect("table");
    // 37 events lost 10 minutes ago.
    table.record_upstream_drops(now_ns() - 600 * 1_000_000_000, 37);
    let engine = QueryEngine::new(store, QueryLimits::default());
    let recent = "import px\npx.display(px.DataFrame(table='http_events', start_time='-1m'), 'out')\n";
    assert!(warnings(&engine, recent).await.is_empty(), "last minute has no drops");
    let wide = "import px\npx.display(px.DataFrame(table='http_events', start_time='-15m'), 'out')\n";
    let w = warnings(&engine, wide).await;
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].message.contains("37 rows or events were dropped"),
        "{}",
        w[0].message
    );
    assert_eq!(w[0].rows_dropped, 37);
}
