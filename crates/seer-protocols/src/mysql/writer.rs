//! `mysql_events` rows and the writer that turns them into an Arrow batch.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, StringArray};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::tables::MYSQL_EVENTS;

use crate::l7::{RowHead, head_column};
use crate::protocol::TableWriter;
use crate::types::ProtocolError;

/// One `mysql_events` row (Pixie's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysqlRecord {
    /// The L7 columns and `latency`.
    pub head: RowHead,
    /// `req_cmd`: the command byte (`COM_QUERY` = 3, …).
    pub req_cmd: i64,
    /// `req_body`: the query, database name, or prepared query with its parameters filled in.
    pub req_body: String,
    /// `resp_status`: 0 unknown, 1 none, 2 OK, 3 error.
    pub resp_status: i64,
    /// `resp_body`: the error message, or `Resultset rows = N` per result set.
    pub resp_body: String,
}

/// Accumulates [`MysqlRecord`]s for `mysql_events`.
#[derive(Debug, Default)]
pub struct MysqlWriter {
    rows: Vec<MysqlRecord>,
}

impl MysqlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a row.
    pub fn push(&mut self, r: MysqlRecord) {
        self.rows.push(r);
    }

    /// The rows held (not yet finished).
    pub fn rows(&self) -> &[MysqlRecord] {
        &self.rows
    }

    /// Takes the rows held, leaving the writer empty.
    pub fn take_rows(&mut self) -> Vec<MysqlRecord> {
        std::mem::take(&mut self.rows)
    }

    fn column(&self, name: &str) -> Result<ArrayRef, ArrowError> {
        if let Some(c) = head_column(name, self.rows.iter().map(|r| &r.head)) {
            return c;
        }
        let text = |f: fn(&MysqlRecord) -> &str| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(self.rows.iter().map(f)))
        };
        let int = |f: fn(&MysqlRecord) -> i64| -> ArrayRef {
            Arc::new(Int64Array::from_iter_values(self.rows.iter().map(f)))
        };
        Ok(match name {
            "req_cmd" => int(|r| r.req_cmd),
            "req_body" => text(|r| &r.req_body),
            "resp_status" => int(|r| r.resp_status),
            "resp_body" => text(|r| &r.resp_body),
            other => {
                return Err(ArrowError::SchemaError(format!(
                    "mysql_events has no writer for column {other}"
                )));
            }
        })
    }

    fn build(&self) -> Result<RecordBatch, ArrowError> {
        let columns = MYSQL_EVENTS
            .columns
            .iter()
            .map(|c| self.column(c.name))
            .collect::<Result<Vec<_>, _>>()?;
        RecordBatch::try_new(MYSQL_EVENTS.arrow_schema(), columns)
    }
}

impl TableWriter for MysqlWriter {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn finish(&mut self) -> Result<RecordBatch, ProtocolError> {
        let batch = self.build().map_err(|source| ProtocolError::Batch {
            table: MYSQL_EVENTS.name,
            source,
        });
        self.rows.clear();
        batch
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
