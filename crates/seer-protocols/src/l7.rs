//! The columns every request/response table starts with (`time_`, `upid`, addresses, ports,
//! `trace_role`, `encrypted`) and the `latency` column, shared by every L7 writer.

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, FixedSizeBinaryArray, Int64Array, StringBuilder, TimestampNanosecondArray};
use arrow::error::ArrowError;
use seer_types::Upid;

use crate::types::{ConnMeta, TraceRole};

/// The L7 head of one row plus its latency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowHead {
    /// `time_`: when the response's last message was seen (ns since epoch).
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
    /// `trace_role`: 1 client, 2 server, 4 unknown.
    pub trace_role: i64,
    /// `encrypted`.
    pub encrypted: bool,
    /// `latency`: response end − request start (ns).
    pub latency: i64,
}

fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl RowHead {
    /// The head of a record whose request started at `req_ts` and whose response ended at `resp_ts`.
    pub(crate) fn new(meta: &ConnMeta, role: TraceRole, req_ts: u64, resp_ts: u64) -> Self {
        Self {
            time_ns: i64_of(resp_ts),
            upid: meta.upid,
            remote_addr: meta.remote_addr.clone(),
            remote_port: i64::from(meta.remote_port),
            local_addr: meta.local_addr.clone(),
            local_port: i64::from(meta.local_port),
            trace_role: role.as_i64(),
            encrypted: meta.encrypted,
            latency: i64_of(resp_ts.saturating_sub(req_ts)),
        }
    }
}

/// The head columns built row by row: from each stitched pair (HTTP) or from [`RowHead`]s (the
/// other writers).
#[derive(Debug, Default)]
pub(crate) struct HeadColumns {
    time: Vec<i64>,
    upid: Vec<[u8; 16]>,
    remote_addr: StringBuilder,
    remote_port: Vec<i64>,
    local_addr: StringBuilder,
    local_port: Vec<i64>,
    trace_role: Vec<i64>,
    encrypted: Vec<bool>,
    latency: Vec<i64>,
}

impl HeadColumns {
    /// Appends the head of a record whose request started at `req_ts` and whose response ended at
    /// `resp_ts` (as [`RowHead::new`]).
    pub(crate) fn append(&mut self, meta: &ConnMeta, role: TraceRole, req_ts: u64, resp_ts: u64) {
        self.time.push(i64_of(resp_ts));
        self.upid.push(meta.upid.to_bytes());
        self.remote_addr.append_value(&meta.remote_addr);
        self.remote_port.push(i64::from(meta.remote_port));
        self.local_addr.append_value(&meta.local_addr);
        self.local_port.push(i64::from(meta.local_port));
        self.trace_role.push(role.as_i64());
        self.encrypted.push(meta.encrypted);
        self.latency.push(i64_of(resp_ts.saturating_sub(req_ts)));
    }

    /// Appends an owned head (as [`Self::append`] would have).
    pub(crate) fn push(&mut self, h: &RowHead) {
        self.time.push(h.time_ns);
        self.upid.push(h.upid.to_bytes());
        self.remote_addr.append_value(&h.remote_addr);
        self.remote_port.push(h.remote_port);
        self.local_addr.append_value(&h.local_addr);
        self.local_port.push(h.local_port);
        self.trace_role.push(h.trace_role);
        self.encrypted.push(h.encrypted);
        self.latency.push(h.latency);
    }

    /// Takes the column `name` if it is a head column (leaving it empty).
    pub(crate) fn finish_column(&mut self, name: &str) -> Option<Result<ArrayRef, ArrowError>> {
        let take = |v: &mut Vec<i64>| Int64Array::from(std::mem::take(v));
        let col: ArrayRef = match name {
            "time_" => Arc::new(TimestampNanosecondArray::from(std::mem::take(&mut self.time))),
            "upid" => {
                let ids = std::mem::take(&mut self.upid);
                match FixedSizeBinaryArray::try_from_iter(ids.iter()) {
                    Ok(a) => Arc::new(a),
                    // No rows: an empty column of the right width.
                    Err(_) if ids.is_empty() => Arc::new(FixedSizeBinaryArray::new_null(16, 0)),
                    Err(e) => return Some(Err(e)),
                }
            }
            "remote_addr" => Arc::new(self.remote_addr.finish()),
            "remote_port" => Arc::new(take(&mut self.remote_port)),
            "local_addr" => Arc::new(self.local_addr.finish()),
            "local_port" => Arc::new(take(&mut self.local_port)),
            "trace_role" => Arc::new(take(&mut self.trace_role)),
            "encrypted" => Arc::new(BooleanArray::from(std::mem::take(&mut self.encrypted))),
            "latency" => Arc::new(take(&mut self.latency)),
            _ => return None,
        };
        Some(Ok(col))
    }
}

/// Big-endian / little-endian readers over untrusted bytes: every read is bounds-checked.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf }
    }

    /// Bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.buf
    }

    /// Takes `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.buf.len() {
            return None;
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Some(head)
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take(1).and_then(|b| b.first().copied())
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N).and_then(|b| b.try_into().ok())
    }

    pub(crate) fn be_i16(&mut self) -> Option<i16> {
        self.array().map(i16::from_be_bytes)
    }

    pub(crate) fn be_i32(&mut self) -> Option<i32> {
        self.array().map(i32::from_be_bytes)
    }

    pub(crate) fn le_u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }

    pub(crate) fn le_u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    pub(crate) fn le_u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    /// A NUL-terminated string (the NUL is consumed, not returned).
    pub(crate) fn cstr(&mut self) -> Option<&'a [u8]> {
        let end = self.buf.iter().position(|&b| b == 0)?;
        let s = self.take(end)?;
        self.take(1)?;
        Some(s)
    }
}
