//! `redis_events` rows and the writer that turns them into an Arrow batch.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, StringArray};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use seer_types::tables::REDIS_EVENTS;

use crate::l7::{RowHead, head_column};
use crate::protocol::TableWriter;
use crate::types::{ConnMeta, ProtocolError, TraceRole};

/// One `redis_events` row (Pixie's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisRecord {
    /// `time_` (when the last reply ended), `upid`, addresses, ports, `trace_role`, `encrypted`, and
    /// `latency` (last reply byte − first command byte).
    pub head: RowHead,
    /// `req_cmd`: the command (`GET`, `CONFIG GET`, `PUSH PUB`).
    pub req_cmd: String,
    /// `req_args`: the arguments as JSON.
    pub req_args: String,
    /// `resp`: the reply.
    pub resp: String,
}

impl RedisRecord {
    /// A row for `meta`'s connection: the command started at `start_ts`, the reply ended at `end_ts`.
    pub(crate) fn new(
        meta: &ConnMeta,
        role: TraceRole,
        (start_ts, end_ts): (u64, u64),
        req_cmd: String,
        req_args: String,
        resp: String,
    ) -> Self {
        Self {
            head: RowHead::new(meta, role, start_ts, end_ts),
            req_cmd,
            req_args,
            resp,
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
        if let Some(c) = head_column(name, self.rows.iter().map(|r| &r.head)) {
            return c;
        }
        let rows = &self.rows;
        let text =
            |f: fn(&RedisRecord) -> &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(rows.iter().map(f))) };
        Ok(match name {
            "req_cmd" => text(|r| &r.req_cmd),
            "req_args" => text(|r| &r.req_args),
            "resp" => text(|r| &r.resp),
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
