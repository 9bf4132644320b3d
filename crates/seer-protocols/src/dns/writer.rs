//! `dns_events` rows and the writer that turns them into an Arrow batch.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, StringArray};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::tables::DNS_EVENTS;

use crate::l7::{RowHead, head_column};
use crate::protocol::TableWriter;
use crate::types::ProtocolError;

/// One `dns_events` row (Pixie's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsRecord {
    /// `time_` (response seen), `upid`, addresses, ports, `trace_role`, `encrypted`, `latency`.
    pub head: RowHead,
    /// `req_header`: the query's header as JSON.
    pub req_header: String,
    /// `req_body`: `{"queries":[…]}`.
    pub req_body: String,
    /// `resp_header`: the response's header as JSON.
    pub resp_header: String,
    /// `resp_body`: `{"answers":[…]}`.
    pub resp_body: String,
}

/// Accumulates [`DnsRecord`]s for `dns_events`.
#[derive(Debug, Default)]
pub struct DnsWriter {
    rows: Vec<DnsRecord>,
}

impl DnsWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a row.
    pub fn push(&mut self, r: DnsRecord) {
        self.rows.push(r);
    }

    /// The rows held (not yet finished).
    pub fn rows(&self) -> &[DnsRecord] {
        &self.rows
    }

    /// Takes the rows held, leaving the writer empty.
    pub fn take_rows(&mut self) -> Vec<DnsRecord> {
        std::mem::take(&mut self.rows)
    }

    fn column(&self, name: &str) -> Result<ArrayRef, ArrowError> {
        if let Some(c) = head_column(name, self.rows.iter().map(|r| &r.head)) {
            return c;
        }
        let rows = &self.rows;
        let text =
            |f: fn(&DnsRecord) -> &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(rows.iter().map(f))) };
        Ok(match name {
            "req_header" => text(|r| &r.req_header),
            "req_body" => text(|r| &r.req_body),
            "resp_header" => text(|r| &r.resp_header),
            "resp_body" => text(|r| &r.resp_body),
            other => {
                return Err(ArrowError::SchemaError(format!(
                    "dns_events has no writer for column {other}"
                )));
            }
        })
    }

    fn build(&self) -> Result<RecordBatch, ArrowError> {
        let columns = DNS_EVENTS
            .columns
            .iter()
            .map(|c| self.column(c.name))
            .collect::<Result<Vec<_>, _>>()?;
        RecordBatch::try_new(DNS_EVENTS.arrow_schema(), columns)
    }
}

impl TableWriter for DnsWriter {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn finish(&mut self) -> Result<RecordBatch, ProtocolError> {
        let batch = self.build().map_err(|source| ProtocolError::Batch {
            table: DNS_EVENTS.name,
            source,
        });
        self.rows.clear();
        batch
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
