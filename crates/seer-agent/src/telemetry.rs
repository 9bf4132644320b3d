//! Counters behind the `self_telemetry` table.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use seer_collect::{CollectReport, ComponentCounters, TelemetrySource};
use seer_store::Store;

/// Per-collector counters plus the store's per-table counters.
#[derive(Debug)]
pub struct AgentTelemetry {
    store: Arc<Store>,
    collectors: Mutex<BTreeMap<&'static str, ComponentCounters>>,
}

impl AgentTelemetry {
    /// Telemetry over `store`.
    pub fn new(store: Arc<Store>) -> Self {
        Self {
            store,
            collectors: Mutex::new(BTreeMap::new()),
        }
    }

    fn with<F: FnOnce(&mut ComponentCounters)>(&self, name: &'static str, f: F) {
        let mut map = self.collectors.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(name).or_insert_with(|| ComponentCounters {
            kind: "collector",
            name: name.to_string(),
            ..Default::default()
        });
        f(entry);
    }

    /// Adds one collection's report.
    pub fn record(&self, name: &'static str, r: &CollectReport) {
        self.with(name, |c| {
            c.rows_ingested += r.rows;
            c.bytes_ingested += r.bytes;
            c.rows_dropped += r.dropped;
            c.errors += r.errors;
        });
    }

    /// Counts a failed collection.
    pub fn record_error(&self, name: &'static str) {
        self.with(name, |c| c.errors += 1);
    }
}

impl TelemetrySource for AgentTelemetry {
    fn snapshot(&self) -> Vec<ComponentCounters> {
        let mut out: Vec<ComponentCounters> = self
            .store
            .stats()
            .into_iter()
            .map(|s| ComponentCounters {
                kind: "table",
                name: s.name.to_string(),
                rows_ingested: s.rows_appended,
                bytes_ingested: s.bytes_appended,
                rows_evicted: s.rows_evicted,
                bytes_evicted: s.bytes_evicted,
                rows_dropped: s.rows_refused,
                errors: s.batches_refused,
                rows_held: s.rows_held,
                bytes_held: s.bytes_held,
                budget_bytes: s.budget_bytes,
            })
            .collect();
        out.extend(
            self.collectors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .values()
                .cloned(),
        );
        out
    }
}
