//! `conn_stats`: cumulative counters per (process, remote endpoint, role, protocol, TLS), reported
//! every few seconds. A connection is folded into the key of the protocol it was classified as, so
//! its open, its bytes and its close all land in the same row.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, FixedSizeBinaryBuilder, Int64Array, StringArray, TimestampNanosecondArray};
use arrow::record_batch::RecordBatch;
use seer_types::tables::CONN_STATS;

use super::conn::Conn;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    upid: [u8; 16],
    remote_addr: String,
    remote_port: u16,
    role: i64,
    family: i64,
    protocol: i64,
    ssl: bool,
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    open: i64,
    close: i64,
    sent: i64,
    recv: i64,
}

/// The aggregation. A connection's open is counted when it is first folded (at a report or at its
/// close), under the protocol known by then.
pub(crate) struct ConnStats {
    rows: HashMap<Key, Counts>,
    max_keys: usize,
    /// Folds refused because `max_keys` was reached.
    pub dropped: u64,
}

fn key_of(c: &Conn) -> Key {
    Key {
        upid: c.meta.upid.to_bytes(),
        remote_addr: c.meta.remote_addr.clone(),
        remote_port: c.meta.remote_port,
        role: c.meta.role.as_i64(),
        family: if c.family_v6 { 2 } else { 1 },
        protocol: c.protocol().as_i64(),
        ssl: c.meta.encrypted,
    }
}

fn sat(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl ConnStats {
    pub fn new(max_keys: usize) -> Self {
        Self {
            rows: HashMap::new(),
            max_keys,
            dropped: 0,
        }
    }

    fn fold(&mut self, c: &mut Conn, closing: bool) -> Option<Key> {
        let key = key_of(c);
        if !self.rows.contains_key(&key) && self.rows.len() >= self.max_keys {
            self.dropped += 1;
            return None;
        }
        let e = self.rows.entry(key.clone()).or_default();
        if !c.open_reported {
            e.open += 1;
            c.open_reported = true;
        }
        e.sent += sat(c.bytes[0].saturating_sub(c.reported[0]));
        e.recv += sat(c.bytes[1].saturating_sub(c.reported[1]));
        c.reported = c.bytes;
        if closing {
            e.close += 1;
        }
        Some(key)
    }

    pub fn on_close(&mut self, c: &mut Conn) {
        self.fold(c, true);
    }

    /// Folds live connections and returns one row per key (cumulative counters, `conn_active` = live
    /// connections of the key now), or `None` when nothing was ever seen.
    pub fn report<'a>(
        &mut self,
        live: impl Iterator<Item = &'a mut Conn>,
        now_ns: i64,
    ) -> Result<Option<RecordBatch>, arrow::error::ArrowError> {
        let mut active: HashMap<Key, i64> = HashMap::new();
        for c in live {
            if let Some(k) = self.fold(c, false) {
                *active.entry(k).or_default() += 1;
            }
        }
        if self.rows.is_empty() {
            return Ok(None);
        }
        let n = self.rows.len();
        let mut upid = FixedSizeBinaryBuilder::with_capacity(n, 16);
        let (mut addr, mut port, mut role, mut fam, mut proto, mut ssl) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let (mut open, mut close, mut act, mut sent, mut recv) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (k, c) in &self.rows {
            upid.append_value(k.upid)?;
            addr.push(k.remote_addr.clone());
            port.push(i64::from(k.remote_port));
            role.push(k.role);
            fam.push(k.family);
            proto.push(k.protocol);
            ssl.push(k.ssl);
            open.push(c.open);
            close.push(c.close);
            act.push(active.get(k).copied().unwrap_or(0));
            sent.push(c.sent);
            recv.push(c.recv);
        }
        let cols: Vec<ArrayRef> = vec![
            Arc::new(TimestampNanosecondArray::from(vec![now_ns; n])),
            Arc::new(upid.finish()),
            Arc::new(StringArray::from(addr)),
            Arc::new(Int64Array::from(port)),
            Arc::new(Int64Array::from(role)),
            Arc::new(Int64Array::from(fam)),
            Arc::new(Int64Array::from(proto)),
            Arc::new(BooleanArray::from(ssl)),
            Arc::new(Int64Array::from(open)),
            Arc::new(Int64Array::from(close)),
            Arc::new(Int64Array::from(act)),
            Arc::new(Int64Array::from(sent)),
            Arc::new(Int64Array::from(recv)),
        ];
        RecordBatch::try_new(CONN_STATS.arrow_schema(), cols).map(Some)
    }
}
