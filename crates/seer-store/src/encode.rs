//! Conversion between a table's logical schema (what producers write) and its storage schema.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::compute::{cast, concat_batches};
use arrow::datatypes::{SchemaRef, TimestampNanosecondType};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;

/// Checks `batch` against the logical schema; returns a description of the first mismatch.
pub(crate) fn check_logical(batch: &RecordBatch, logical: &SchemaRef) -> Result<(), String> {
    let got = batch.schema();
    if got.fields().len() != logical.fields().len() {
        return Err(format!(
            "expected {} columns, got {}",
            logical.fields().len(),
            got.fields().len()
        ));
    }
    for (want, have) in logical.fields().iter().zip(got.fields()) {
        if want.name() != have.name() || want.data_type() != have.data_type() {
            return Err(format!(
                "column {:?} {:?} expected, got {:?} {:?}",
                want.name(),
                want.data_type(),
                have.name(),
                have.data_type()
            ));
        }
    }
    if let Some(i) = batch.columns().iter().position(|c| c.null_count() > 0) {
        return Err(format!("column {:?} has nulls", logical.field(i).name()));
    }
    Ok(())
}

/// Casts the columns of logical batches to the storage schema (dictionary-encoding low-cardinality
/// strings), concatenating them into one batch first.
pub(crate) fn to_storage(
    batches: &[RecordBatch],
    logical: &SchemaRef,
    storage: &SchemaRef,
) -> Result<RecordBatch, ArrowError> {
    let merged = concat_batches(logical, batches)?;
    let columns = merged
        .columns()
        .iter()
        .zip(storage.fields())
        .map(|(col, field)| {
            if col.data_type() == field.data_type() {
                Ok(col.clone())
            } else {
                cast(col, field.data_type())
            }
        })
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    RecordBatch::try_new(storage.clone(), columns)
}

/// Minimum and maximum of the `time_` column at `idx`, if the batch has rows.
pub(crate) fn time_bounds(batch: &RecordBatch, idx: Option<usize>) -> Option<(i64, i64)> {
    let col = batch.column(idx?);
    let times = col.as_primitive_opt::<TimestampNanosecondType>()?;
    let min = arrow::compute::min(times)?;
    let max = arrow::compute::max(times)?;
    Some((min, max))
}
