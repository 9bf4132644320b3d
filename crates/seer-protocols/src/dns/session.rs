//! [`DnsSession`]: both directions of one socket, and the stitcher that pairs each response with
//! its query by transaction id.
//!
//! Queries and responses are told apart by the QR bit, not by direction, so a session with an
//! unknown role still classifies every message, and the role of its records follows from the
//! direction queries travel in. A response is matched to the oldest waiting query with the same
//! transaction id that was seen no later than the response and asks the same first question (UDP
//! may reorder, and several queries can be outstanding, e.g. A and AAAA from one resolver call).
//! Queries that never get an answer expire after `message_expiry_ns` and are counted, as are
//! responses without a query.
//!
//! On an unconnected UDP socket (a server's, or a client's that uses `sendto`) the connection has
//! no remote address; each datagram's own peer (reported per chunk by the tracer) stands in for it:
//! a row's remote is the query's peer (server side: the client that asked; client side: the server
//! asked), else the response's, else the connection's. When both messages carry a peer, a
//! response only answers a query exchanged with the same peer.

use std::collections::VecDeque;
use std::net::SocketAddr;

use super::framing::{Cut, Framer, RawMessage};
use super::render;
use super::wire::Message;
use super::writer::{DnsRecord, DnsWriter};
use crate::l7::RowHead;
use crate::protocol::{ChunkMeta, Session, TableWriter};
use crate::types::{ConnMeta, Direction, MessageKind, ProtocolConfig, SessionStats, TraceRole};

/// A decoded message reduced to what stitching and the row need.
#[derive(Debug, Clone)]
struct Parsed {
    dir: Direction,
    start_ts: u64,
    end_ts: u64,
    /// The datagram's own peer (unconnected UDP sockets).
    peer: Option<SocketAddr>,
    txid: u16,
    /// First question, name lower-cased, for matching.
    question: Option<(String, u16)>,
    header_json: String,
    body_json: String,
}

impl Parsed {
    fn new(dir: Direction, raw: &RawMessage, m: &Message, cfg: &ProtocolConfig) -> Self {
        let body_json = if m.header.is_response() {
            render::response_body(m, cfg.max_header_bytes)
        } else {
            render::request_body(m, cfg.max_header_bytes)
        };
        Self {
            dir,
            start_ts: raw.start_ts,
            end_ts: raw.end_ts,
            peer: raw.peer,
            txid: m.header.txid,
            question: m.questions.first().map(|q| (q.name.to_ascii_lowercase(), q.qtype)),
            header_json: render::header_json(&m.header),
            body_json,
        }
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.header_json.len() + self.body_json.len() + 64
    }

    fn answers(&self, query: &Parsed) -> bool {
        self.txid == query.txid
            && query.start_ts <= self.end_ts
            && (self.question.is_none() || query.question.is_none() || self.question == query.question)
            && (self.peer.is_none() || query.peer.is_none() || self.peer == query.peer)
    }
}

/// Parse and stitch state of one DNS socket (UDP or TCP).
#[derive(Debug)]
pub struct DnsSession {
    role: TraceRole,
    cfg: ProtocolConfig,
    framers: [Framer; 2],
    queries: VecDeque<Parsed>,
    responses: VecDeque<Parsed>,
    /// Messages were queued since the last poll.
    unpolled: bool,
    stats: SessionStats,
}

impl DnsSession {
    /// A session for a socket traced on side `role`.
    pub fn new(role: TraceRole, cfg: ProtocolConfig) -> Self {
        Self {
            role,
            cfg,
            framers: [Framer::default(), Framer::default()],
            queries: VecDeque::new(),
            responses: VecDeque::new(),
            unpolled: false,
            stats: SessionStats::default(),
        }
    }

    fn take(&mut self, dir: Direction, cut: Cut) {
        self.stats.parse_errors += cut.errors;
        self.stats.bytes_dropped += cut.dropped;
        self.stats.bytes_skipped += cut.skipped;
        for raw in cut.messages {
            match &raw.message {
                Ok(m) => {
                    self.stats.frames_parsed += 1;
                    let p = Parsed::new(dir, &raw, m, &self.cfg);
                    let (queue, kind) = if m.header.is_response() {
                        (&mut self.responses, MessageKind::Response)
                    } else {
                        (&mut self.queries, MessageKind::Request)
                    };
                    queue.push_back(p);
                    self.unpolled = true;
                    if queue.len() > self.cfg.max_pending_messages.max(1) {
                        queue.pop_front();
                        self.count_unmatched(kind);
                    }
                }
                Err(_) => {
                    self.stats.parse_errors += 1;
                    self.stats.bytes_skipped += raw.len as u64;
                }
            }
        }
    }

    fn count_unmatched(&mut self, kind: MessageKind) {
        match kind {
            MessageKind::Request => self.stats.unmatched_requests += 1,
            MessageKind::Response => self.stats.unmatched_responses += 1,
        }
    }

    /// The role records carry: the session's, or what the direction of the query says.
    fn record_role(&self, query_dir: Direction) -> TraceRole {
        match self.role {
            TraceRole::Unknown => TraceRole::infer(query_dir, MessageKind::Request),
            r => r,
        }
    }

    fn stitch(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter) {
        let mut writer = out.as_any_mut().downcast_mut::<DnsWriter>();
        while let Some(resp) = self.responses.pop_front() {
            let Some(i) = self.queries.iter().position(|q| resp.answers(q)) else {
                self.stats.unmatched_responses += 1;
                continue;
            };
            let Some(query) = self.queries.remove(i) else { continue };
            match writer.as_deref_mut() {
                Some(w) => {
                    w.push(record(meta, self.record_role(query.dir), query, resp));
                    self.stats.records += 1;
                }
                None => self.stats.writer_errors += 1,
            }
        }
    }

    fn expire(&mut self, now_ns: u64) {
        let expiry = self.cfg.message_expiry_ns;
        let before = self.queries.len();
        self.queries.retain(|q| q.end_ts.saturating_add(expiry) >= now_ns);
        self.stats.unmatched_requests += (before - self.queries.len()) as u64;
    }
}

/// Builds a row from a query and its response.
fn record(meta: &ConnMeta, role: TraceRole, query: Parsed, resp: Parsed) -> DnsRecord {
    let mut head = RowHead::new(meta, role, query.start_ts, resp.end_ts);
    if let Some(peer) = query.peer.or(resp.peer) {
        head.remote_addr = peer.ip().to_string();
        head.remote_port = i64::from(peer.port());
    }
    DnsRecord {
        head,
        req_header: query.header_json,
        req_body: query.body_json,
        resp_header: resp.header_json,
        resp_body: resp.body_json,
    }
}

impl Session for DnsSession {
    fn feed(&mut self, dir: Direction, meta: ChunkMeta, data: &[u8]) {
        let mut cut = Cut::default();
        if let Some(f) = self.framers.get_mut(dir.index()) {
            f.feed(meta, data, self.cfg.max_buffer_bytes, &mut cut);
        }
        self.take(dir, cut);
    }

    fn gap(&mut self, dir: Direction, lost_bytes: u64) {
        self.stats.gaps += 1;
        self.stats.bytes_lost += lost_bytes;
        if let Some(f) = self.framers.get_mut(dir.index()) {
            f.gap();
        }
    }

    fn poll(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        self.stitch(meta, out);
        self.expire(now_ns);
        self.unpolled = false;
    }

    fn close(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        self.stitch(meta, out);
        let _ = now_ns;
        self.stats.unmatched_requests += self.queries.len() as u64;
        self.queries.clear();
        for f in &mut self.framers {
            self.stats.bytes_skipped += f.held() as u64;
            *f = Framer::default();
        }
    }

    fn buffered_bytes(&self) -> usize {
        let framed: usize = self.framers.iter().map(Framer::held).sum();
        let queued: usize = self.queries.iter().chain(&self.responses).map(Parsed::size).sum();
        framed + queued
    }

    fn stats(&self) -> SessionStats {
        self.stats
    }

    fn wants_poll(&self) -> bool {
        let half = self.cfg.max_pending_messages.max(1) / 2;
        self.unpolled && (self.queries.len() >= half || self.responses.len() >= half)
    }
}
