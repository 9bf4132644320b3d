//! `redis_events` rows and the writer that turns them into an Arrow batch.

use arrow::array::ArrayRef;
use seer_types::TableDef;
use seer_types::tables::REDIS_EVENTS;

use crate::l7::RowHead;
use crate::rows_writer::{L7Row, RowsWriter, text_column};
use crate::types::{ConnMeta, TraceRole};

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

impl L7Row for RedisRecord {
    const TABLE: TableDef = REDIS_EVENTS;

    fn head(&self) -> &RowHead {
        &self.head
    }

    fn column(rows: &[Self], name: &str) -> Option<ArrayRef> {
        Some(match name {
            "req_cmd" => text_column(rows, |r| &r.req_cmd),
            "req_args" => text_column(rows, |r| &r.req_args),
            "resp" => text_column(rows, |r| &r.resp),
            _ => return None,
        })
    }
}

/// Accumulates [`RedisRecord`]s for `redis_events`.
pub type RedisWriter = RowsWriter<RedisRecord>;
