//! Small helpers to build Arrow columns and batches with a table's exact logical schema.

use std::sync::Arc;

use arrow::array::{ArrayRef, FixedSizeBinaryBuilder, Int64Array, StringArray, TimestampNanosecondArray};
use arrow::record_batch::RecordBatch;
use seer_types::TableDef;

use crate::collector::CollectError;

/// A `time_` column holding `now_ns` in every one of `rows` rows.
pub(crate) fn time_column(now_ns: i64, rows: usize) -> ArrayRef {
    Arc::new(TimestampNanosecondArray::from(vec![now_ns; rows]))
}

/// An `INT64` column.
pub(crate) fn int64_column(values: Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(values))
}

/// A `STRING` column.
pub(crate) fn string_column(values: Vec<String>) -> ArrayRef {
    Arc::new(StringArray::from(values))
}

/// A `UINT128` column (16-byte big-endian values, e.g. [`seer_types::Upid::to_bytes`]).
pub(crate) fn uint128_column(values: &[[u8; 16]], table: &'static str) -> Result<ArrayRef, CollectError> {
    let mut b = FixedSizeBinaryBuilder::with_capacity(values.len(), 16);
    for v in values {
        b.append_value(v)
            .map_err(|source| CollectError::Batch { table, source })?;
    }
    Ok(Arc::new(b.finish()))
}

/// A batch of `columns` (in schema order) with exactly `table`'s logical Arrow schema.
pub(crate) fn build(table: &'static TableDef, columns: Vec<ArrayRef>) -> Result<RecordBatch, CollectError> {
    RecordBatch::try_new(table.arrow_schema(), columns).map_err(|source| CollectError::Batch {
        table: table.name,
        source,
    })
}
