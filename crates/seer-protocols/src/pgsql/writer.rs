//! `pgsql_events` rows and the writer that turns them into an Arrow batch.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, StringArray};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::tables::PGSQL_EVENTS;

use crate::l7::{RowHead, head_column};
use crate::protocol::TableWriter;
use crate::types::ProtocolError;

/// One `pgsql_events` row (Pixie's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgsqlRecord {
    /// The L7 columns and `latency`.
    pub head: RowHead,
    /// `req_cmd`: the request message's name (`Query`, `Parse`, `Bind`, `Describe`, `Execute`).
    pub req_cmd: String,
    /// `req`: the query, or the message rendered as Pixie does.
    pub req: String,
    /// `resp`: result rows and command tags, an error, or the acknowledgement.
    pub resp: String,
}

/// Accumulates [`PgsqlRecord`]s for `pgsql_events`.
#[derive(Debug, Default)]
pub struct PgsqlWriter {
    rows: Vec<PgsqlRecord>,
}

impl PgsqlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a row.
    pub fn push(&mut self, r: PgsqlRecord) {
        self.rows.push(r);
    }

    /// The rows held (not yet finished).
    pub fn rows(&self) -> &[PgsqlRecord] {
        &self.rows
    }

    /// Takes the rows held, leaving the writer empty.
    pub fn take_rows(&mut self) -> Vec<PgsqlRecord> {
        std::mem::take(&mut self.rows)
    }

    fn column(&self, name: &str) -> Result<ArrayRef, ArrowError> {
        if let Some(c) = head_column(name, self.rows.iter().map(|r| &r.head)) {
            return c;
        }
        let text = |f: fn(&PgsqlRecord) -> &str| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(self.rows.iter().map(f)))
        };
        Ok(match name {
            "req_cmd" => text(|r| &r.req_cmd),
            "req" => text(|r| &r.req),
            "resp" => text(|r| &r.resp),
            other => {
                return Err(ArrowError::SchemaError(format!(
                    "pgsql_events has no writer for column {other}"
                )));
            }
        })
    }

    fn build(&self) -> Result<RecordBatch, ArrowError> {
        let columns = PGSQL_EVENTS
            .columns
            .iter()
            .map(|c| self.column(c.name))
            .collect::<Result<Vec<_>, _>>()?;
        RecordBatch::try_new(PGSQL_EVENTS.arrow_schema(), columns)
    }
}

impl TableWriter for PgsqlWriter {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn finish(&mut self) -> Result<RecordBatch, ProtocolError> {
        let batch = self.build().map_err(|source| ProtocolError::Batch {
            table: PGSQL_EVENTS.name,
            source,
        });
        self.rows.clear();
        batch
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
