//! The agent runs the real collectors into a real store and stops on shutdown.

use std::sync::Arc;
use std::time::{Duration, Instant};

use seer_agent::AgentConfig;
use seer_collect::TelemetrySource;
use seer_store::{Store, StoreConfig};
use tokio::sync::watch;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collects_into_the_store_and_stops() {
    let store = Arc::new(Store::with_all_tables(&StoreConfig {
        total_budget_bytes: 64 << 20,
        ..Default::default()
    }));
    let (stop, rx) = watch::channel(false);
    let agent = seer_agent::start(store.clone(), &AgentConfig::default(), rx);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = |t: &str| store.table(t).map_or(0, |t| t.stats().rows_held);
        if rows("process_stats") > 0 && rows("network_stats") > 0 && rows("self_telemetry") > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "collectors produced no rows");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let snapshot = agent.telemetry.snapshot();
    let collector = snapshot
        .iter()
        .find(|c| c.kind == "collector" && c.name == "process_stats")
        .expect("counters");
    assert!(collector.rows_ingested > 0);
    let table = snapshot
        .iter()
        .find(|c| c.kind == "table" && c.name == "process_stats")
        .expect("table counters");
    assert!(
        table.rows_ingested >= collector.rows_ingested,
        "the store saw every row the collector handed over"
    );
    stop.send(true).expect("stop");
    tokio::time::timeout(Duration::from_secs(5), agent.join())
        .await
        .expect("tasks stop on shutdown");
}
