//! `pgsql_events` rows and the writer that turns them into an Arrow batch.

use arrow::array::ArrayRef;
use seer_types::TableDef;
use seer_types::tables::PGSQL_EVENTS;

use crate::l7::RowHead;
use crate::rows_writer::{L7Row, RowsWriter, text_column};

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

impl L7Row for PgsqlRecord {
    const TABLE: TableDef = PGSQL_EVENTS;

    fn head(&self) -> &RowHead {
        &self.head
    }

    fn column(rows: &[Self], name: &str) -> Option<ArrayRef> {
        Some(match name {
            "req_cmd" => text_column(rows, |r| &r.req_cmd),
            "req" => text_column(rows, |r| &r.req),
            "resp" => text_column(rows, |r| &r.resp),
            _ => return None,
        })
    }
}

/// Accumulates [`PgsqlRecord`]s for `pgsql_events`.
pub type PgsqlWriter = RowsWriter<PgsqlRecord>;
