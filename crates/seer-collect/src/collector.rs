//! The [`Collector`] trait every data source implements, its per-sweep [`CollectReport`], and
//! [`CollectError`] for the failures that abort a sweep.
//!
//! A collector is polled by the agent every [`Collector::period`]. Each call to [`Collector::collect`] is one
//! *sweep*: read the source, build one Arrow batch per table (with exactly the table's
//! [`seer_types::TableDef::arrow_schema`]) and hand it to the [`RecordSink`]. A sink refusing a batch is not an
//! error — the rows are counted as dropped; a single process vanishing mid-read is not an error either — it
//! is skipped and counted in [`CollectReport::errors`]. Only failures that make the whole sweep meaningless
//! (the proc root cannot be listed, a batch cannot be built) return [`CollectError`].

use std::path::PathBuf;
use std::time::Duration;

use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::{RecordSink, TableDef};

use crate::self_telemetry::ComponentCounters;

/// What a sweep gets from the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollectContext {
    /// Timestamp every row of this sweep carries in `time_` (ns since the Unix epoch).
    pub now_ns: i64,
    /// Agent short id, the high 32 bits of every UPID this agent produces.
    pub asid: u32,
}

impl CollectContext {
    /// A context stamped with the current wall-clock time.
    pub fn now(asid: u32) -> Self {
        let now_ns = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Self { now_ns, asid }
    }
}

/// Outcome of one sweep (or, merged, of many).
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub struct CollectReport {
    /// Rows the sink accepted.
    pub rows: u64,
    /// Bytes the sink accepted (Arrow memory size of the accepted batches).
    pub bytes: u64,
    /// Rows the sink refused.
    pub dropped: u64,
    /// Per-item read failures that were skipped (e.g. a process exiting mid-read).
    pub errors: u64,
    /// Cumulative counters of the collector's parts at the end of the sweep (the socket tracer: one
    /// per protocol), each shown as its own `self_telemetry` row. A snapshot, not a delta: merging
    /// keeps the latest counters of each part (same `kind` and `name`).
    pub parts: Vec<ComponentCounters>,
}

impl CollectReport {
    /// Adds `other`'s counters to these.
    pub fn merge(&mut self, other: &CollectReport) {
        self.rows += other.rows;
        self.bytes += other.bytes;
        self.dropped += other.dropped;
        self.errors += other.errors;
        for p in &other.parts {
            match self.parts.iter_mut().find(|q| q.kind == p.kind && q.name == p.name) {
                Some(q) => q.clone_from(p),
                None => self.parts.push(p.clone()),
            }
        }
    }

    /// Appends `batch` to `table`, counting its rows as accepted or dropped. Never fails: a sink refusal is
    /// logged at debug level and counted in [`CollectReport::dropped`]. Empty batches are not sent.
    pub fn append(&mut self, sink: &dyn RecordSink, table: &str, batch: RecordBatch) {
        let rows = batch.num_rows() as u64;
        if rows == 0 {
            return;
        }
        let bytes = batch.get_array_memory_size() as u64;
        match sink.append(table, batch) {
            Ok(()) => {
                self.rows += rows;
                self.bytes += bytes;
            }
            Err(e) => {
                tracing::debug!(table, rows, error = %e, "sink refused batch");
                self.dropped += rows;
            }
        }
    }
}

/// A failure that aborts a whole sweep.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The proc root (or another source directory) cannot be listed.
    #[error("cannot read {path}: {reason}")]
    Source {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The Arrow batch could not be built.
    #[error("cannot build a batch for table {table:?}: {source}")]
    Batch {
        /// Table name.
        table: &'static str,
        /// Arrow's error.
        #[source]
        source: ArrowError,
    },
}

/// A data source polled periodically by the agent.
pub trait Collector: Send {
    /// Stable collector name (used in `self_telemetry` and logs).
    fn name(&self) -> &'static str;
    /// The tables this collector writes.
    fn tables(&self) -> Vec<&'static TableDef>;
    /// How often the agent should call [`Collector::collect`].
    fn period(&self) -> Duration;
    /// One sweep: read the source and append rows to `sink`.
    fn collect(&mut self, ctx: &CollectContext, sink: &dyn RecordSink) -> Result<CollectReport, CollectError>;
}

/// `u64` → `i64`, saturating at `i64::MAX` (kernel counters are unsigned, Pixie's columns are `INT64`).
pub(crate) fn sat_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
