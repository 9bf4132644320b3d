//! The interface producers (collectors, tracers) use to hand rows to storage, without knowing it.

use arrow::record_batch::RecordBatch;

/// Why a sink refused a batch. The batch is dropped by the caller, which counts it.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// No table of that name is known.
    #[error("unknown table {0:?}")]
    UnknownTable(String),
    /// The batch's columns do not match the table's schema.
    #[error("batch for table {table:?} does not match its schema: {reason}")]
    SchemaMismatch {
        /// Table name.
        table: String,
        /// What differs.
        reason: String,
    },
    /// The batch alone is larger than the table's budget.
    #[error("batch of {bytes} bytes exceeds the {budget}-byte budget of table {table:?}")]
    TooLarge {
        /// Table name.
        table: String,
        /// Batch size.
        bytes: usize,
        /// Table budget.
        budget: usize,
    },
}

/// Destination for rows. Batches use the table's logical schema ([`crate::TableDef::arrow_schema`]).
pub trait RecordSink: Send + Sync {
    /// Appends `batch` to table `table`.
    fn append(&self, table: &str, batch: RecordBatch) -> Result<(), SinkError>;
}
