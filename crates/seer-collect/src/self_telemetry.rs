//! `self_telemetry`: Seer's own counters, one row per table, per collector and per collector part (the
//! socket tracer's protocols), on a configurable period.
//!
//! The counters come from a [`TelemetrySource`] (storage implements it for tables, the agent's scheduler for
//! collectors and for the parts collectors report in [`crate::CollectReport::parts`]); this collector only
//! turns each [`ComponentCounters`] snapshot into a row. What each column means for a protocol row is in
//! [`crate::socket_tracer::proto_stats`].

use std::sync::Arc;
use std::time::Duration;

use seer_types::tables::SELF_TELEMETRY;
use seer_types::{RecordSink, TableDef};

use crate::batch;
use crate::collector::{CollectContext, CollectError, CollectReport, Collector, sat_i64};

/// Cumulative counters of one component (a table or a collector) since start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComponentCounters {
    /// `"table"`, `"collector"` or `"protocol"` (a part of the socket tracer).
    pub kind: &'static str,
    /// Table, collector or protocol name.
    pub name: String,
    /// Rows accepted.
    pub rows_ingested: u64,
    /// Bytes accepted.
    pub bytes_ingested: u64,
    /// Rows evicted by the byte budget.
    pub rows_evicted: u64,
    /// Bytes evicted by the byte budget.
    pub bytes_evicted: u64,
    /// Rows or events dropped before storage.
    pub rows_dropped: u64,
    /// Errors.
    pub errors: u64,
    /// Rows held now.
    pub rows_held: u64,
    /// Bytes held now.
    pub bytes_held: u64,
    /// Byte budget.
    pub budget_bytes: u64,
}

/// Anything that can report component counters (storage, the collector scheduler, or both combined).
pub trait TelemetrySource: Send + Sync {
    /// The current counters of every component.
    fn snapshot(&self) -> Vec<ComponentCounters>;
}

/// Writes one `self_telemetry` row per component of a [`TelemetrySource`] snapshot.
#[derive(Clone)]
pub struct SelfTelemetryCollector {
    source: Arc<dyn TelemetrySource>,
    period: Duration,
}

impl SelfTelemetryCollector {
    /// Default period.
    pub const DEFAULT_PERIOD: Duration = Duration::from_secs(1);

    /// A collector snapshotting `source` every `period`.
    pub fn new(source: Arc<dyn TelemetrySource>, period: Duration) -> Self {
        Self { source, period }
    }
}

impl std::fmt::Debug for SelfTelemetryCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SelfTelemetryCollector")
            .field("period", &self.period)
            .finish_non_exhaustive()
    }
}

impl Collector for SelfTelemetryCollector {
    fn name(&self) -> &'static str {
        "self_telemetry"
    }

    fn tables(&self) -> Vec<&'static TableDef> {
        vec![&SELF_TELEMETRY]
    }

    fn period(&self) -> Duration {
        self.period
    }

    fn collect(&mut self, ctx: &CollectContext, sink: &dyn RecordSink) -> Result<CollectReport, CollectError> {
        let snap = self.source.snapshot();
        let col = |f: fn(&ComponentCounters) -> u64| batch::int64_column(snap.iter().map(|c| sat_i64(f(c))).collect());
        let columns = vec![
            batch::time_column(ctx.now_ns, snap.len()),
            batch::string_column(snap.iter().map(|c| c.kind.to_string()).collect()),
            batch::string_column(snap.iter().map(|c| c.name.clone()).collect()),
            col(|c| c.rows_ingested),
            col(|c| c.bytes_ingested),
            col(|c| c.rows_evicted),
            col(|c| c.bytes_evicted),
            col(|c| c.rows_dropped),
            col(|c| c.errors),
            col(|c| c.rows_held),
            col(|c| c.bytes_held),
            col(|c| c.budget_bytes),
        ];
        let mut report = CollectReport::default();
        report.append(sink, SELF_TELEMETRY.name, batch::build(&SELF_TELEMETRY, columns)?);
        Ok(report)
    }
}
