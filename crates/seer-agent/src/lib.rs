//! The node agent: runs every registered collector on its period into the store, seals aged pending
//! rows, and publishes self-telemetry (per-table and per-collector counters). Wiring only: the
//! collectors, store and telemetry table live in their own crates.

mod telemetry;

use std::sync::Arc;
use std::time::Duration;

use seer_collect::{CollectConfig, CollectContext, Collector, registry};
use seer_store::Store;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use telemetry::AgentTelemetry;

/// Agent configuration.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// Agent short id written into UPIDs (1 on a single host).
    pub asid: u32,
    /// Collector settings.
    pub collect: CollectConfig,
    /// Pending rows older than this are sealed into a storage batch.
    pub seal_age: Duration,
}

impl Default for AgentConfig {
    fn default() -> Self {
        Self {
            asid: 1,
            collect: CollectConfig::default(),
            seal_age: Duration::from_secs(10),
        }
    }
}

/// Running agent tasks; stop them by sending `true` on the shutdown channel given to [`start`].
#[derive(Debug)]
pub struct Agent {
    /// One task per collector plus the maintenance task.
    pub tasks: Vec<JoinHandle<()>>,
    /// Counters shown in `self_telemetry`.
    pub telemetry: Arc<AgentTelemetry>,
}

impl Agent {
    /// Waits for every task to finish (after shutdown was signalled).
    pub async fn join(self) {
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Starts every registered collector and the store maintenance task.
pub fn start(store: Arc<Store>, cfg: &AgentConfig, shutdown: watch::Receiver<bool>) -> Agent {
    let telemetry = Arc::new(AgentTelemetry::new(store.clone()));
    let mut tasks = Vec::new();
    let mut collect = cfg.collect.clone();
    collect.socket_tracer.asid = cfg.asid;
    for c in registry(&collect, telemetry.clone()) {
        tracing::info!(
            collector = c.name(),
            period_ms = c.period().as_millis() as u64,
            "starting collector"
        );
        tasks.push(tokio::spawn(run_collector(
            c,
            store.clone(),
            telemetry.clone(),
            cfg.asid,
            shutdown.clone(),
        )));
    }
    tasks.push(tokio::spawn(maintain(store, cfg.seal_age, shutdown)));
    Agent { tasks, telemetry }
}

async fn run_collector(
    mut collector: Box<dyn Collector>,
    store: Arc<Store>,
    telemetry: Arc<AgentTelemetry>,
    asid: u32,
    mut shutdown: watch::Receiver<bool>,
) {
    let name = collector.name();
    let mut ticker = tokio::time::interval(collector.period());
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = shutdown.changed() => break,
        }
        let ctx = CollectContext::now(asid);
        let sink = store.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let result = collector.collect(&ctx, sink.as_ref());
            (collector, result)
        })
        .await;
        let Ok((back, result)) = joined else {
            tracing::error!(collector = name, "collector panicked; stopping it");
            telemetry.record_error(name);
            return;
        };
        collector = back;
        match result {
            Ok(report) => {
                if report.dropped > 0 {
                    // Queries whose window covers this moment warn that rows are missing.
                    for t in collector.tables() {
                        if let Some(table) = store.table(t.name) {
                            table.record_upstream_drops(ctx_now_ns(), report.dropped);
                        }
                    }
                }
                telemetry.record(name, &report)
            }
            Err(e) => {
                tracing::warn!(collector = name, error = %e, "collection failed");
                telemetry.record_error(name);
            }
        }
    }
}

fn ctx_now_ns() -> i64 {
    CollectContext::now(0).now_ns
}

async fn maintain(store: Arc<Store>, seal_age: Duration, mut shutdown: watch::Receiver<bool>) {
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    let age = i64::try_from(seal_age.as_nanos()).unwrap_or(i64::MAX);
    loop {
        tokio::select! {
            _ = ticker.tick() => store.seal_aged(CollectContext::now(0).now_ns, age),
            _ = shutdown.changed() => break,
        }
    }
}
