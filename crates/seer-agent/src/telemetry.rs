//! Counters behind the `self_telemetry` table: the store's per-table counters, per-collector counters
//! summed from each sweep's [`CollectReport`], and the latest counters of the parts collectors report
//! ([`CollectReport::parts`], e.g. one `kind = 'protocol'` row per protocol of the socket tracer).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use seer_collect::{CollectReport, ComponentCounters, TelemetrySource};
use seer_store::Store;

/// Per-collector counters, collector parts, plus the store's per-table counters.
#[derive(Debug)]
pub struct AgentTelemetry {
    store: Arc<Store>,
    collectors: Mutex<BTreeMap<&'static str, ComponentCounters>>,
    parts: Mutex<BTreeMap<(&'static str, String), ComponentCounters>>,
}

impl AgentTelemetry {
    /// Telemetry over `store`.
    pub fn new(store: Arc<Store>) -> Self {
        Self {
            store,
            collectors: Mutex::new(BTreeMap::new()),
            parts: Mutex::new(BTreeMap::new()),
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

    /// Adds one collection's report; its parts replace their previous counters (they are cumulative).
    pub fn record(&self, name: &'static str, r: &CollectReport) {
        self.with(name, |c| {
            c.rows_ingested += r.rows;
            c.bytes_ingested += r.bytes;
            c.rows_dropped += r.dropped;
            c.errors += r.errors;
        });
        if !r.parts.is_empty() {
            let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
            for p in &r.parts {
                parts.insert((p.kind, p.name.clone()), p.clone());
            }
        }
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
        out.extend(self.parts.lock().unwrap_or_else(|e| e.into_inner()).values().cloned());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seer_store::StoreConfig;

    fn part(name: &str, rows: u64, errors: u64) -> ComponentCounters {
        ComponentCounters {
            kind: "protocol",
            name: name.to_string(),
            rows_ingested: rows,
            errors,
            ..Default::default()
        }
    }

    #[test]
    fn parts_are_snapshots_and_collectors_are_sums() {
        let t = AgentTelemetry::new(Arc::new(Store::with_all_tables(&StoreConfig::default())));
        let sweep = |rows, parts| CollectReport {
            rows,
            errors: 1,
            parts,
            ..Default::default()
        };
        t.record(
            "socket_tracer",
            &sweep(5, vec![part("redis", 5, 1), part("http", 0, 0)]),
        );
        t.record("socket_tracer", &sweep(3, vec![part("redis", 8, 2)]));
        t.record("socket_tracer", &sweep(0, vec![]));
        let snap = t.snapshot();
        let find = |kind: &str, name: &str| snap.iter().find(|c| c.kind == kind && c.name == name).cloned();
        let collector = find("collector", "socket_tracer").expect("collector row");
        assert_eq!((collector.rows_ingested, collector.errors), (8, 3));
        assert_eq!(find("protocol", "redis"), Some(part("redis", 8, 2)));
        assert_eq!(find("protocol", "http"), Some(part("http", 0, 0)));
        let tables = snap.iter().filter(|c| c.kind == "table").count();
        assert_eq!(tables, seer_types::tables::all().len());
        assert_eq!(snap.len(), tables + 3);
    }
}
