//! Seer's table store: one time-ordered, byte-budgeted ring of Arrow `RecordBatch`es per table.
//!
//! Producers append small batches in a table's logical schema ([`seer_types::TableDef::arrow_schema`]).
//! The table keeps them in a *pending* buffer and, once enough rows have accumulated, *seals* them into one
//! batch in the storage schema (low-cardinality strings dictionary-encoded, see
//! [`seer_types::ColumnDef::dict`]). Each table has a byte budget; when an append would exceed it, the
//! oldest batches are evicted first and counted. Readers take a point-in-time snapshot (cheap `Arc`
//! clones under a short lock), so they never hold up writers.
//!
//! [`StoreTableProvider`] exposes a table to DataFusion and prunes sealed
//! batches by `time_` bounds found in pushed-down filters.

pub mod budget;
pub mod drops;
mod encode;
pub mod provider;
mod prune;
pub mod stats;
pub mod table;

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::record_batch::RecordBatch;
use seer_types::{RecordSink, SinkError, TableDef};

pub use budget::StoreConfig;
pub use drops::DropLog;
pub use provider::{ScanCounters, ScanRecord, StoreTableProvider};
pub use stats::TableStats;
pub use table::Table;

/// All tables of one node.
#[derive(Debug)]
pub struct Store {
    tables: BTreeMap<&'static str, Arc<Table>>,
}

impl Store {
    /// Creates a store holding `defs`, splitting `config`'s total budget between them.
    pub fn new(config: &StoreConfig, defs: &[TableDef]) -> Self {
        let budgets = config.budgets(defs);
        let tables = defs
            .iter()
            .zip(budgets)
            .map(|(def, budget)| (def.name, Arc::new(Table::new(*def, budget, config.seal_rows))))
            .collect();
        Self { tables }
    }

    /// Creates a store with every table Seer knows.
    pub fn with_all_tables(config: &StoreConfig) -> Self {
        Self::new(config, seer_types::tables::all())
    }

    /// A table by name.
    pub fn table(&self, name: &str) -> Option<&Arc<Table>> {
        self.tables.get(name)
    }

    /// Every table, by name.
    pub fn tables(&self) -> impl Iterator<Item = &Arc<Table>> {
        self.tables.values()
    }

    /// Counters of every table.
    pub fn stats(&self) -> Vec<TableStats> {
        self.tables.values().map(|t| t.stats()).collect()
    }

    /// Seals pending rows older than `max_age_ns` (relative to `now_ns`) in every table.
    pub fn seal_aged(&self, now_ns: i64, max_age_ns: i64) {
        for t in self.tables.values() {
            t.seal_if_older(now_ns, max_age_ns);
        }
    }
}

impl RecordSink for Store {
    fn append(&self, table: &str, batch: RecordBatch) -> Result<(), SinkError> {
        self.tables
            .get(table)
            .ok_or_else(|| SinkError::UnknownTable(table.to_string()))?
            .append(batch)
    }
}
