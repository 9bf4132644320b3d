//! `redis_events` rows and the writer that turns them into an Arrow batch.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, FixedSizeBinaryBuilder, Int64Array, StringArray, TimestampNanosecondArray};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::Upid;
use seer_types::tables::REDIS_EVENTS;

use crate::protocol::TableWriter;
use crate::types::{ConnMeta, ProtocolError, TraceRole};

/// One `redis_events` row (Pixie's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisRecord {
    /// `time_`: when the (last) reply ended (ns since epoch).
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
    /// `req_cmd`: the command (`GET`, `CONFIG GET`, `PUSH PUB`).
    pub req_cmd: String,
    /// `req_args`: the arguments as JSON.
    pub req_args: String,
    /// `resp`: the reply.
    pub resp: String,
    /// `latency`: last reply byte − first command byte (ns).
    pub latency: i64,
}

impl RedisRecord {
    /// A row for `meta`'s connection.
    pub(crate) fn new(
        meta: &ConnMeta,
        role: TraceRole,
        end_ts: u64,
        req_cmd: String,
        req_args: String,
        resp: String,
        latency: u64,
    ) -> Self {
        let i64_of = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Self {
            time_ns: i64_of(end_ts),
            upid: meta.upid,
            remote_addr: meta.remote_addr.clone(),
            remote_port: i64::from(meta.remote_port),
            local_addr: meta.local_addr.clone(),
            local_port: i64::from(meta.local_port),
            trace_role: role.as_i64(),
            encrypted: meta.encrypted,
            req_cmd,
            req_args,
            resp,
            latency: i64_of(latency),
        }
    }
}

/// Accumulates [`RedisRecord`]s for `redis_events`.
#[derive(Debug, Default)]
pub struct RedisWriter {
    rows: Vec<RedisRecord>,
}

impl RedisWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a row.
    pub fn push(&mut self, r: RedisRecord) {
        self.rows.push(r);
    }

    /// The rows held (not yet finished).
    pub fn rows(&self) -> &[RedisRecord] {
        &self.rows
    }

    /// Takes the rows held, leaving the writer empty.
    pub fn take_rows(&mut self) -> Vec<RedisRecord> {
        std::mem::take(&mut self.rows)
    }

    fn column(&self, name: &str) -> Result<ArrayRef, ArrowError> {
        let rows = &self.rows;
        let int =
            |f: fn(&RedisRecord) -> i64| -> ArrayRef { Arc::new(Int64Array::from_iter_values(rows.iter().map(f))) };
        let text =
            |f: fn(&RedisRecord) -> &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(rows.iter().map(f))) };
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
            "req_cmd" => text(|r| &r.req_cmd),
            "req_args" => text(|r| &r.req_args),
            "resp" => text(|r| &r.resp),
            "latency" => int(|r| r.latency),
            other => {
                return Err(ArrowError::SchemaError(format!(
                    "redis_events has no writer for column {other}"
                )));
            }
        })
    }

    fn build(&self) -> Result<RecordBatch, ArrowError> {
        let columns = REDIS_EVENTS
            .columns
            .iter()
            .map(|c| self.column(c.name))
            .collect::<Result<Vec<_>, _>>()?;
        RecordBatch::try_new(REDIS_EVENTS.arrow_schema(), columns)
    }
}

impl TableWriter for RedisWriter {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn finish(&mut self) -> Result<RecordBatch, ProtocolError> {
        let batch = self.build().map_err(|source| ProtocolError::Batch {
            table: REDIS_EVENTS.name,
            source,
        });
        self.rows.clear();
        batch
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
