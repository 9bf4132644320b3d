//! `mysql_events` rows and the writer that turns them into an Arrow batch.

use arrow::array::ArrayRef;
use seer_types::TableDef;
use seer_types::tables::MYSQL_EVENTS;

use crate::l7::RowHead;
use crate::rows_writer::{L7Row, RowsWriter, int_column, text_column};

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

impl L7Row for MysqlRecord {
    const TABLE: TableDef = MYSQL_EVENTS;

    fn head(&self) -> &RowHead {
        &self.head
    }

    fn column(rows: &[Self], name: &str) -> Option<ArrayRef> {
        Some(match name {
            "req_cmd" => int_column(rows, |r| r.req_cmd),
            "req_body" => text_column(rows, |r| &r.req_body),
            "resp_status" => int_column(rows, |r| r.resp_status),
            "resp_body" => text_column(rows, |r| &r.resp_body),
            _ => return None,
        })
    }
}

/// Accumulates [`MysqlRecord`]s for `mysql_events`.
pub type MysqlWriter = RowsWriter<MysqlRecord>;
