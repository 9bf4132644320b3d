//! `dns_events` rows and the writer that turns them into an Arrow batch.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, FixedSizeBinaryBuilder, Int64Array, StringArray, TimestampNanosecondArray};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::Upid;
use seer_types::tables::DNS_EVENTS;

use crate::protocol::TableWriter;
use crate::types::ProtocolError;

/// One `dns_events` row (Pixie's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsRecord {
    /// `time_`: when the response was seen (ns since epoch).
    pub time_ns: i64,
    /// `upid`.
    pub upid: Upid,
    /// `remote_addr`.
    pub remote_addr: String,
    /// `remote_port`.
    pub remote_port: i64,
    /// `local_addr`.
    pub local_addr: String,
    /// `local_port`.
    pub local_port: i64,
    /// `trace_role`: 1 client, 2 server.
    pub trace_role: i64,
    /// `encrypted`.
    pub encrypted: bool,
    /// `req_header`: the query's header as JSON.
    pub req_header: String,
    /// `req_body`: `{"queries":[…]}`.
    pub req_body: String,
    /// `resp_header`: the response's header as JSON.
    pub resp_header: String,
    /// `resp_body`: `{"answers":[…]}`.
    pub resp_body: String,
    /// `latency`: response − query (ns).
    pub latency: i64,
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
        let rows = &self.rows;
        let int = |f: fn(&DnsRecord) -> i64| -> ArrayRef { Arc::new(Int64Array::from_iter_values(rows.iter().map(f))) };
        let text =
            |f: fn(&DnsRecord) -> &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(rows.iter().map(f))) };
        Ok(match name {
            "time_" => Arc::new(TimestampNanosecondArray::from_iter_values(
                rows.iter().map(|r| r.time_ns),
            )),
            "upid" => {
                let mut b = FixedSizeBinaryBuilder::with_capacity(rows.len(), 16);
                for r in rows {
                    b.append_value(r.upid.to_bytes())?;
                }
                Arc::new(b.finish())
            }
            "remote_addr" => text(|r| &r.remote_addr),
            "remote_port" => int(|r| r.remote_port),
            "local_addr" => text(|r| &r.local_addr),
            "local_port" => int(|r| r.local_port),
            "trace_role" => int(|r| r.trace_role),
            "encrypted" => Arc::new(rows.iter().map(|r| Some(r.encrypted)).collect::<BooleanArray>()),
            "req_header" => text(|r| &r.req_header),
            "req_body" => text(|r| &r.req_body),
            "resp_header" => text(|r| &r.resp_header),
            "resp_body" => text(|r| &r.resp_body),
            "latency" => int(|r| r.latency),
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
