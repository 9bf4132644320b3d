//! `dns_events` rows and the writer that turns them into an Arrow batch.

use arrow::array::ArrayRef;
use seer_types::TableDef;
use seer_types::tables::DNS_EVENTS;

use crate::l7::RowHead;
use crate::rows_writer::{L7Row, RowsWriter, text_column};

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

impl L7Row for DnsRecord {
    const TABLE: TableDef = DNS_EVENTS;

    fn head(&self) -> &RowHead {
        &self.head
    }

    fn column(rows: &[Self], name: &str) -> Option<ArrayRef> {
        Some(match name {
            "req_header" => text_column(rows, |r| &r.req_header),
            "req_body" => text_column(rows, |r| &r.req_body),
            "resp_header" => text_column(rows, |r| &r.resp_header),
            "resp_body" => text_column(rows, |r| &r.resp_body),
            _ => return None,
        })
    }
}

/// Accumulates [`DnsRecord`]s for `dns_events`.
pub type DnsWriter = RowsWriter<DnsRecord>;
