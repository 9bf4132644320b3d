//! DataFusion access to a table: schema, time-pruned scans, scan counters.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use arrow::datatypes::SchemaRef;
use async_trait::async_trait;
use datafusion::catalog::{Session, TableProvider};
use datafusion::datasource::TableType;
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::error::Result;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::physical_plan::ExecutionPlan;

use crate::prune::{is_time_bound, time_range};
use crate::table::Table;

/// Per-query scan counters. Register one as a `SessionConfig` extension
/// (`SessionConfig::with_extension`) and every scan of a store table adds to it.
#[derive(Debug, Default)]
pub struct ScanCounters {
    /// Rows handed to the engine after time pruning.
    pub rows: AtomicU64,
    /// Bytes handed to the engine after time pruning.
    pub bytes: AtomicU64,
    /// Batches skipped by time pruning.
    pub batches_pruned: AtomicU64,
    /// Batches scanned.
    pub batches: AtomicU64,
    /// Every scan: which table, over which time range.
    pub scans: Mutex<Vec<ScanRecord>>,
}

/// One scan of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRecord {
    /// Table name.
    pub table: &'static str,
    /// Lower `time_` bound (ns, inclusive), if the query had one.
    pub start_ns: Option<i64>,
    /// Upper `time_` bound (ns, inclusive), if the query had one.
    pub end_ns: Option<i64>,
}

/// A store table as a DataFusion `TableProvider`.
#[derive(Debug, Clone)]
pub struct StoreTableProvider {
    table: Arc<Table>,
}

impl StoreTableProvider {
    /// Wraps a table.
    pub fn new(table: Arc<Table>) -> Self {
        Self { table }
    }
}

#[async_trait]
impl TableProvider for StoreTableProvider {
    fn schema(&self) -> SchemaRef {
        self.table.schema()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(&self, filters: &[&Expr]) -> Result<Vec<TableProviderFilterPushDown>> {
        Ok(filters
            .iter()
            .map(|f| {
                if is_time_bound(f) {
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        _limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let range = time_range(filters);
        let snap = self.table.snapshot(&range);
        if let Some(c) = state.config().get_extension::<ScanCounters>() {
            let record = ScanRecord {
                table: self.table.def().name,
                start_ns: range.lo,
                end_ns: range.hi,
            };
            c.scans.lock().unwrap_or_else(|e| e.into_inner()).push(record);
            c.rows.fetch_add(snap.rows as u64, Ordering::Relaxed);
            c.bytes.fetch_add(snap.bytes as u64, Ordering::Relaxed);
            c.batches.fetch_add(snap.batches.len() as u64, Ordering::Relaxed);
            c.batches_pruned.fetch_add(snap.pruned as u64, Ordering::Relaxed);
        }
        let n = state.config().target_partitions().max(1);
        let mut partitions = vec![Vec::new(); n];
        for (i, b) in snap.batches.into_iter().enumerate() {
            partitions[i % n].push(b);
        }
        partitions.retain(|p| !p.is_empty());
        if partitions.is_empty() {
            partitions.push(Vec::new());
        }
        let exec = MemorySourceConfig::try_new_exec(&partitions, self.schema(), projection.cloned())?;
        Ok(exec)
    }
}
