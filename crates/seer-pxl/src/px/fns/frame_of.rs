//! Shared by the table functions (`px.GetSchemas()`…): a DataFrame over rows of strings made at compile
//! time.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::{MemTable, provider_as_source};
use ruff_text_size::TextRange;

use crate::error::{DResult, Diag, ErrorKind};
use crate::frame::DataFrame;
use crate::value::Value;

/// A DataFrame named `name` with string columns `columns` and `rows`.
pub(super) fn strings(name: &str, columns: &[&str], rows: &[Vec<String>], range: TextRange) -> DResult<Value> {
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| Field::new(*c, DataType::Utf8, false))
            .collect::<Vec<_>>(),
    ));
    let arrays: Vec<ArrayRef> = (0..columns.len())
        .map(|i| Arc::new(rows.iter().map(|r| r.get(i).cloned()).collect::<StringArray>()) as ArrayRef)
        .collect();
    let plan_err = |e: &dyn std::fmt::Display| Diag::new(ErrorKind::Plan, range, format!("{name}: {e}"));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| plan_err(&e))?;
    let table = MemTable::try_new(schema, vec![vec![batch]]).map_err(|e| plan_err(&e))?;
    DataFrame::scan(name, provider_as_source(Arc::new(table)), range).map(Value::DataFrame)
}
