//! The extension point: one [`Protocol`] per wire protocol, a [`Session`] per connection, a
//! [`TableWriter`] per output batch.
//!
//! Writers are passed as `&mut dyn TableWriter`; a session downcasts to its own writer type with
//! [`TableWriter::as_any_mut`]. Handing a session another protocol's writer is counted in
//! [`SessionStats::writer_errors`] and the records are dropped: never a panic.

use std::any::Any;
use std::net::SocketAddr;

use arrow::record_batch::RecordBatch;
use seer_types::TableDef;

use crate::types::{
    ConnMeta, Direction, MessageKind, ProtocolConfig, ProtocolError, SessionStats, TraceRole, TrafficProtocol,
};

/// One wire protocol: inference, sessions and the table its records go to.
pub trait Protocol: Send + Sync {
    /// Pixie's protocol number.
    fn id(&self) -> TrafficProtocol;
    /// Short lowercase name (`"http"`), used for fixtures, fuzz targets and counters.
    fn name(&self) -> &'static str;
    /// The table this protocol's records fill.
    fn table(&self) -> &'static TableDef;
    /// Looks at the first bytes of a connection's first message; `Some(kind)` if it is this protocol.
    fn infer(&self, data: &[u8]) -> Option<MessageKind>;
    /// Parse and stitch state for one connection.
    fn new_session(&self, role: TraceRole, cfg: &ProtocolConfig) -> Box<dyn Session>;
    /// An empty writer for [`Protocol::table`].
    fn new_writer(&self) -> Box<dyn TableWriter>;
    /// Whether the client side of a connection to a peer on the same host is recorded by default.
    /// Such a connection is traced on its server side too, so for most protocols the client side
    /// only doubles the work and the rows (Pixie keeps both roles only for MySQL and DNS).
    fn records_local_clients(&self) -> bool {
        false
    }
}

/// What the tracer knows about one chunk of bytes besides the bytes themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChunkMeta {
    /// Event time, ns since the epoch.
    pub ts_ns: u64,
    /// The peer the syscall named for this chunk: the destination of a `sendto`/`sendmsg`, the
    /// source of a `recvfrom`/`recvmsg` (one datagram on an unconnected UDP socket, whose
    /// connection-level remote address is unset). `None` when the syscall named none (connected
    /// sockets): the peer is then [`ConnMeta`]'s remote address.
    pub peer: Option<SocketAddr>,
}

impl ChunkMeta {
    /// A chunk seen at `ts_ns` without a peer of its own.
    pub fn at(ts_ns: u64) -> Self {
        Self { ts_ns, peer: None }
    }

    /// A chunk seen at `ts_ns` exchanged with `peer`.
    pub fn with_peer(ts_ns: u64, peer: SocketAddr) -> Self {
        Self {
            ts_ns,
            peer: Some(peer),
        }
    }
}

/// Per-connection parse + stitch state. Bytes arrive in stream order per direction.
pub trait Session: Send {
    /// Appends bytes seen at `meta.ts_ns`. Bounded: data that would push the unparsed bytes of `dir`
    /// past `max_buffer_bytes` is dropped, counted and treated as a gap. Protocols that have no use
    /// for the per-chunk peer ignore it.
    fn feed(&mut self, dir: Direction, meta: ChunkMeta, data: &[u8]);
    /// `lost_bytes` of `dir` were lost (ring-buffer loss, truncated capture): resynchronise at the
    /// next message boundary.
    fn gap(&mut self, dir: Direction, lost_bytes: u64);
    /// Parses what is complete, stitches requests to responses, appends finished records to `out`,
    /// and drops (counting them) messages older than `message_expiry_ns` at `now_ns`.
    fn poll(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter);
    /// The connection closed: completes messages delimited by the close (HTTP/1.0 bodies), polls, and
    /// drops whatever is left unmatched.
    fn close(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter);
    /// Bytes held (unparsed input plus parsed messages waiting for a partner).
    fn buffered_bytes(&self) -> usize;
    /// Counters since the session started.
    fn stats(&self) -> SessionStats;
    /// `false` once the connection stopped carrying this protocol (e.g. after `101 Switching
    /// Protocols` or a `CONNECT` tunnel): the caller may stop feeding it.
    fn wants_data(&self) -> bool {
        true
    }
    /// `true` when messages queued since the last poll have filled a queue of parsed messages to
    /// half its bound (`max_pending_messages`, `max_buffer_bytes`): the caller should poll now, not
    /// at its next flush. Stitching happens only in `poll`, so a connection that exchanges more
    /// messages than the bound between two polls (a fast client, or a tracer that falls behind and
    /// drains a long backlog at once) would otherwise lose its oldest requests at the bound, and
    /// with them the responses that answer them.
    fn wants_poll(&self) -> bool {
        false
    }
    /// Stitches the complete pairs already at the front of the queues into `out`, forcing no parse
    /// decision (unlike `poll`): called after every `feed`, so a row is built while its messages are
    /// still in the CPU's caches rather than at the next flush, when thousands of parsed messages
    /// later they are not. Pairs it cannot settle yet (a response after a gap) are left for `poll`.
    /// The default leaves all stitching to `poll`.
    fn stitch_ready(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter) {
        let _ = (meta, out);
    }
}

/// Accumulates rows for one table.
pub trait TableWriter: Send {
    /// Rows held.
    fn len(&self) -> usize;
    /// `true` when no rows are held.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Returns the rows as a batch with exactly the table's `arrow_schema()`, and resets.
    fn finish(&mut self) -> Result<RecordBatch, ProtocolError>;
    /// For sessions to reach their concrete writer.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}
