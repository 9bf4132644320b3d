//! [`RowsWriter`]: the table writer of the request/response protocols whose rows are a
//! [`RowHead`] plus a few text and integer columns (DNS, Redis, PostgreSQL, MySQL). A protocol
//! says what its table is and how to build its own columns ([`L7Row`]); the head columns, the
//! batch and the errors are built here.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, StringArray};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::TableDef;

use crate::l7::{HeadColumns, RowHead};
use crate::protocol::TableWriter;
use crate::types::ProtocolError;

/// One row of an L7 table written by a [`RowsWriter`].
pub trait L7Row: Sized + Send + 'static {
    /// The table the rows go to.
    const TABLE: TableDef;

    /// The head columns and `latency`.
    fn head(&self) -> &RowHead;

    /// The column `name` of `rows` if it is one of this table's own (not a head column).
    fn column(rows: &[Self], name: &str) -> Option<ArrayRef>;
}

/// A text column of `rows`.
pub(crate) fn text_column<R>(rows: &[R], f: fn(&R) -> &str) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(rows.iter().map(f)))
}

/// An integer column of `rows`.
pub(crate) fn int_column<R>(rows: &[R], f: fn(&R) -> i64) -> ArrayRef {
    Arc::new(Int64Array::from_iter_values(rows.iter().map(f)))
}

/// Accumulates rows of type `R` for `R::TABLE`.
#[derive(Debug)]
pub struct RowsWriter<R> {
    rows: Vec<R>,
}

impl<R> Default for RowsWriter<R> {
    fn default() -> Self {
        Self { rows: Vec::new() }
    }
}

impl<R: L7Row> RowsWriter<R> {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a row.
    pub fn push(&mut self, r: R) {
        self.rows.push(r);
    }

    /// The rows held (not yet finished).
    pub fn rows(&self) -> &[R] {
        &self.rows
    }

    /// Takes the rows held, leaving the writer empty.
    pub fn take_rows(&mut self) -> Vec<R> {
        std::mem::take(&mut self.rows)
    }

    fn build(&self) -> Result<RecordBatch, ArrowError> {
        let mut head = HeadColumns::default();
        for r in &self.rows {
            head.push(r.head());
        }
        let columns = R::TABLE
            .columns
            .iter()
            .map(|c| match head.finish_column(c.name) {
                Some(col) => col,
                None => R::column(&self.rows, c.name).ok_or_else(|| {
                    ArrowError::SchemaError(format!("{} has no writer for column {}", R::TABLE.name, c.name))
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        RecordBatch::try_new(R::TABLE.arrow_schema(), columns)
    }
}

impl<R: L7Row> TableWriter for RowsWriter<R> {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn finish(&mut self) -> Result<RecordBatch, ProtocolError> {
        let batch = self.build().map_err(|source| ProtocolError::Batch {
            table: R::TABLE.name,
            source,
        });
        self.rows.clear();
        batch
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
