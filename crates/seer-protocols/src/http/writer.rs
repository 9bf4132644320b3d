//! `http_events` rows and the writer that builds them straight into Arrow columns.
//!
//! The session appends each stitched pair with borrowed pieces ([`HttpRow`]): method, path and
//! reason come from the parsed heads, header JSON and bodies are rendered into scratch strings the
//! writer reuses, so a row costs no allocation of its own. [`HttpRecord`] is the owned form of a
//! row, read back from a finished batch ([`HttpWriter::take_rows`]) for inspection and tests.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, FixedSizeBinaryArray, Int64Array, StringArray, StringBuilder,
    TimestampNanosecondArray,
};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::Upid;
use seer_types::tables::HTTP_EVENTS;

use super::headers;
use super::message::Head;
use crate::l7::{HeadColumns, RowHead};
use crate::protocol::TableWriter;
use crate::types::{ConnMeta, ProtocolError, TraceRole};

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

/// A stitched pair as the session hands it over: everything borrowed.
pub(crate) struct HttpRow<'a> {
    pub(crate) meta: &'a ConnMeta,
    pub(crate) role: TraceRole,
    pub(crate) req_ts: u64,
    pub(crate) resp_ts: u64,
    pub(crate) req: &'a Head,
    pub(crate) resp: &'a Head,
    pub(crate) content_type: i64,
    pub(crate) max_header_bytes: usize,
    pub(crate) req_body_size: i64,
    pub(crate) resp_body_size: i64,
}

/// The text columns, in [`TEXT`] order.
const TEXT: [&str; 7] = [
    "req_headers",
    "req_method",
    "req_path",
    "req_body",
    "resp_headers",
    "resp_message",
    "resp_body",
];
const REQ_HEADERS: usize = 0;
const REQ_METHOD: usize = 1;
const REQ_PATH: usize = 2;
const REQ_BODY: usize = 3;
const RESP_HEADERS: usize = 4;
const RESP_MESSAGE: usize = 5;
const RESP_BODY: usize = 6;

/// The integer columns, in [`INT`] order.
const INT: [&str; 6] = [
    "major_version",
    "minor_version",
    "content_type",
    "req_body_size",
    "resp_status",
    "resp_body_size",
];

/// Accumulates `http_events` rows as Arrow columns.
#[derive(Debug, Default)]
pub struct HttpWriter {
    head: HeadColumns,
    text: [Option<StringBuilder>; 7],
    ints: [Vec<i64>; 6],
    /// Rows and text bytes of the last batch: the next one starts with that much room.
    last: (usize, [usize; 7]),
    /// Reused for rendering header JSON.
    scratch: String,
    /// Reused for rendering bodies (lent to the session for each row).
    bodies: [String; 2],
    rows: usize,
}

impl HttpWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    fn text(&mut self, i: usize) -> Option<&mut StringBuilder> {
        let (rows, bytes) = (self.last.0, self.last.1.get(i).copied().unwrap_or(0));
        let b = self.text.get_mut(i)?;
        Some(b.get_or_insert_with(|| StringBuilder::with_capacity(rows.max(16), bytes.max(1024))))
    }

    fn push_text(&mut self, i: usize, s: &str) {
        if let Some(b) = self.text(i) {
            b.append_value(s);
        }
    }

    fn push_ints(&mut self, v: [i64; 6]) {
        for (col, x) in self.ints.iter_mut().zip(v) {
            col.push(x);
        }
    }

    /// Appends a stitched pair; the bodies are already rendered for display.
    pub(crate) fn append(&mut self, row: &HttpRow<'_>, req_body: &str, resp_body: &str) {
        self.head.append(row.meta, row.role, row.req_ts, row.resp_ts);
        let mut json = std::mem::take(&mut self.scratch);
        for (i, h) in [(REQ_HEADERS, row.req), (RESP_HEADERS, row.resp)] {
            headers::to_json_into(&mut json, h.fields(), row.max_header_bytes);
            self.push_text(i, &json);
        }
        self.scratch = json;
        self.push_text(REQ_METHOD, row.req.method());
        self.push_text(REQ_PATH, row.req.path());
        self.push_text(REQ_BODY, req_body);
        self.push_text(RESP_MESSAGE, row.resp.reason());
        self.push_text(RESP_BODY, resp_body);
        self.push_ints([
            1,
            i64::from(row.resp.minor_version),
            row.content_type,
            row.req_body_size,
            i64::from(row.resp.status),
            row.resp_body_size,
        ]);
        self.rows += 1;
    }

    /// Buffers to render a row's bodies into (give them back with [`Self::put_body_scratch`]).
    pub(crate) fn take_body_scratch(&mut self) -> [String; 2] {
        std::mem::take(&mut self.bodies)
    }

    /// Returns the body buffers; their capacity is reused for the next row.
    pub(crate) fn put_body_scratch(&mut self, bodies: [String; 2]) {
        self.bodies = bodies;
    }

    /// Takes the rows held, leaving the writer empty (the batch read back into records).
    pub fn take_rows(&mut self) -> Vec<HttpRecord> {
        match self.finish() {
            Ok(b) => records_of(&b),
            Err(_) => Vec::new(),
        }
    }

    fn column(&mut self, name: &str) -> Result<ArrayRef, ArrowError> {
        if let Some(c) = self.head.finish_column(name) {
            return c;
        }
        if let Some(i) = TEXT.iter().position(|t| *t == name) {
            let b = self.text.get_mut(i).and_then(Option::take);
            let arr = b.map_or_else(|| StringArray::from(Vec::<&str>::new()), |mut b| b.finish());
            if let Some(l) = self.last.1.get_mut(i) {
                *l = arr.value_data().len();
            }
            return Ok(Arc::new(arr));
        }
        if let Some(i) = INT.iter().position(|t| *t == name) {
            let v = self.ints.get_mut(i).map(std::mem::take).unwrap_or_default();
            return Ok(Arc::new(Int64Array::from(v)));
        }
        Err(ArrowError::SchemaError(format!(
            "http_events has no writer for column {name}"
        )))
    }

    fn build(&mut self) -> Result<RecordBatch, ArrowError> {
        let columns = HTTP_EVENTS
            .columns
            .iter()
            .map(|c| self.column(c.name))
            .collect::<Result<Vec<_>, _>>()?;
        RecordBatch::try_new(HTTP_EVENTS.arrow_schema(), columns)
    }

    fn clear(&mut self) {
        self.head = HeadColumns::default();
        self.text = Default::default();
        self.ints = Default::default();
        self.rows = 0;
    }
}

impl TableWriter for HttpWriter {
    fn len(&self) -> usize {
        self.rows
    }

    fn finish(&mut self) -> Result<RecordBatch, ProtocolError> {
        self.last.0 = self.rows;
        let batch = self.build().map_err(|source| ProtocolError::Batch {
            table: HTTP_EVENTS.name,
            source,
        });
        self.clear();
        batch
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The records of an `http_events` batch (the writer's own output; missing columns read as empty).
fn records_of(b: &RecordBatch) -> Vec<HttpRecord> {
    let text = |n: &str| {
        b.column_by_name(n)
            .and_then(|c| c.as_any().downcast_ref::<StringArray>().cloned())
    };
    let int = |n: &str| {
        b.column_by_name(n)
            .and_then(|c| c.as_any().downcast_ref::<Int64Array>().cloned())
    };
    let time = b
        .column_by_name("time_")
        .and_then(|c| c.as_any().downcast_ref::<TimestampNanosecondArray>().cloned());
    let upid = b
        .column_by_name("upid")
        .and_then(|c| c.as_any().downcast_ref::<FixedSizeBinaryArray>().cloned());
    let enc = b
        .column_by_name("encrypted")
        .and_then(|c| c.as_any().downcast_ref::<BooleanArray>().cloned());
    let s = |a: &Option<StringArray>, i: usize| {
        a.as_ref()
            .filter(|a| i < a.len())
            .map(|a| a.value(i).to_string())
            .unwrap_or_default()
    };
    let n = |a: &Option<Int64Array>, i: usize| a.as_ref().filter(|a| i < a.len()).map_or(0, |a| a.value(i));
    let [raddr, laddr] = ["remote_addr", "local_addr"].map(text);
    let [rh, rm, rp, rb, sh, sm, sb] = TEXT.map(text);
    let [rport, lport, role, lat] = ["remote_port", "local_port", "trace_role", "latency"].map(int);
    let [major, minor, ct, rbs, st, sbs] = INT.map(int);
    (0..b.num_rows())
        .map(|i| HttpRecord {
            head: RowHead {
                time_ns: time.as_ref().filter(|a| i < a.len()).map_or(0, |a| a.value(i)),
                upid: upid
                    .as_ref()
                    .filter(|a| i < a.len())
                    .and_then(|a| Upid::from_bytes(a.value(i)))
                    .unwrap_or_else(|| Upid::new(0, 0, 0)),
                remote_addr: s(&raddr, i),
                remote_port: n(&rport, i),
                local_addr: s(&laddr, i),
                local_port: n(&lport, i),
                trace_role: n(&role, i),
                encrypted: enc.as_ref().filter(|a| i < a.len()).is_some_and(|a| a.value(i)),
                latency: n(&lat, i),
            },
            major_version: n(&major, i),
            minor_version: n(&minor, i),
            content_type: n(&ct, i),
            req_headers: s(&rh, i),
            req_method: s(&rm, i),
            req_path: s(&rp, i),
            req_body: s(&rb, i),
            req_body_size: n(&rbs, i),
            resp_headers: s(&sh, i),
            resp_status: n(&st, i),
            resp_message: s(&sm, i),
            resp_body: s(&sb, i),
            resp_body_size: n(&sbs, i),
        })
        .collect()
}
