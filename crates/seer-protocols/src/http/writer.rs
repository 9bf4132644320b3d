//! `http_events` rows and the writer that turns them into an Arrow batch.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, StringBuilder};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::tables::HTTP_EVENTS;

use crate::l7::{RowHead, head_column};
use crate::protocol::TableWriter;
use crate::types::ProtocolError;

/// One `http_events` row (Pixie's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRecord {
    /// `time_` (when the response's last byte was seen), `upid`, addresses, ports, `trace_role`,
    /// `encrypted`, and `latency` (response end − request start).
    pub head: RowHead,
    /// `major_version` (1).
    pub major_version: i64,
    /// `minor_version` (of the response).
    pub minor_version: i64,
    /// `content_type`: 0 unknown, 1 JSON, 2 gRPC (from the response's `Content-Type`).
    pub content_type: i64,
    /// `req_headers` (JSON object).
    pub req_headers: String,
    /// `req_method`.
    pub req_method: String,
    /// `req_path` (request target as sent, query included).
    pub req_path: String,
    /// `req_body` (display form, cut to `max_body_bytes`).
    pub req_body: String,
    /// `req_body_size` (de-chunked size on the wire).
    pub req_body_size: i64,
    /// `resp_headers` (JSON object).
    pub resp_headers: String,
    /// `resp_status`.
    pub resp_status: i64,
    /// `resp_message` (reason phrase).
    pub resp_message: String,
    /// `resp_body` (display form).
    pub resp_body: String,
    /// `resp_body_size`.
    pub resp_body_size: i64,
}

/// Accumulates [`HttpRecord`]s for `http_events`.
#[derive(Debug, Default)]
pub struct HttpWriter {
    rows: Vec<HttpRecord>,
}

impl HttpWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a row.
    pub fn push(&mut self, r: HttpRecord) {
        self.rows.push(r);
    }

    /// The rows held (not yet finished).
    pub fn rows(&self) -> &[HttpRecord] {
        &self.rows
    }

    /// Takes the rows held, leaving the writer empty.
    pub fn take_rows(&mut self) -> Vec<HttpRecord> {
        std::mem::take(&mut self.rows)
    }

    fn column(&self, name: &str) -> Result<ArrayRef, ArrowError> {
        if let Some(c) = head_column(name, self.rows.iter().map(|r| &r.head)) {
            return c;
        }
        let rows = &self.rows;
        let int =
            |f: fn(&HttpRecord) -> i64| -> ArrayRef { Arc::new(Int64Array::from_iter_values(rows.iter().map(f))) };
        // Sized up front: growing big string buffers by doubling re-faults fresh (huge) pages.
        let text = |f: fn(&HttpRecord) -> &str| -> ArrayRef {
            let bytes = rows.iter().map(|r| f(r).len()).sum();
            let mut b = StringBuilder::with_capacity(rows.len(), bytes);
            for r in rows {
                b.append_value(f(r));
            }
            Arc::new(b.finish())
        };
        Ok(match name {
            "major_version" => int(|r| r.major_version),
            "minor_version" => int(|r| r.minor_version),
            "content_type" => int(|r| r.content_type),
            "req_headers" => text(|r| &r.req_headers),
            "req_method" => text(|r| &r.req_method),
            "req_path" => text(|r| &r.req_path),
            "req_body" => text(|r| &r.req_body),
            "req_body_size" => int(|r| r.req_body_size),
            "resp_headers" => text(|r| &r.resp_headers),
            "resp_status" => int(|r| r.resp_status),
            "resp_message" => text(|r| &r.resp_message),
            "resp_body" => text(|r| &r.resp_body),
            "resp_body_size" => int(|r| r.resp_body_size),
            other => {
                return Err(ArrowError::SchemaError(format!(
                    "http_events has no writer for column {other}"
                )));
            }
        })
    }

    fn build(&self) -> Result<RecordBatch, ArrowError> {
        let columns = HTTP_EVENTS
            .columns
            .iter()
            .map(|c| self.column(c.name))
            .collect::<Result<Vec<_>, _>>()?;
        RecordBatch::try_new(HTTP_EVENTS.arrow_schema(), columns)
    }
}

impl TableWriter for HttpWriter {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn finish(&mut self) -> Result<RecordBatch, ProtocolError> {
        let batch = self.build().map_err(|source| ProtocolError::Batch {
            table: HTTP_EVENTS.name,
            source,
        });
        self.rows.clear();
        batch
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
