//! [`MysqlSession`]: packet parsing of both directions, the handshake (skipped), bounded queues, and
//! the loop that hands the oldest command to the stitcher. Orphans and gaps are handled as in the
//! PostgreSQL session: answers older than the head command are dropped; after a gap that broke the
//! framing, queued commands (and, in the answer direction, queued answers) are dropped.

use std::collections::VecDeque;

use super::frame::{Packet, PacketParser};
use super::infer;
use super::msg;
use super::stitch::{self, Outcome, Rec, State};
use super::writer::{MysqlRecord, MysqlWriter};
use crate::l7::RowHead;
use crate::protocol::{ChunkMeta, Session, TableWriter};
use crate::sql_common::{BoundedParse, Queues, Sides, feed_bounded};
use crate::text::truncate_marked;
use crate::types::{ConnMeta, Direction, MessageKind, ProtocolConfig, SessionStats, TraceRole};

/// Longest `req_body` / `resp_body` kept (Pixie's default string column limit).
pub(crate) const MAX_TEXT: usize = 1024;

/// Parse and stitch state of one MySQL connection.
#[derive(Debug)]
pub struct MysqlSession {
    role: TraceRole,
    cfg: ProtocolConfig,
    parsers: [PacketParser; 2],
    sides: Sides,
    queues: Queues<Packet>,
    /// Between the server greeting and the end of authentication.
    handshake: bool,
    encrypted: bool,
    state: State,
    stats: SessionStats,
}

impl MysqlSession {
    /// A session for a connection traced on side `role`.
    pub fn new(role: TraceRole, cfg: ProtocolConfig) -> Self {
        Self {
            state: State::with_cap(cfg.max_buffer_bytes),
            role,
            cfg,
            parsers: [PacketParser::default(), PacketParser::default()],
            sides: Sides::new(role),
            queues: Queues::default(),
            handshake: false,
            encrypted: false,
            stats: SessionStats::default(),
        }
    }

    fn keep(&self) -> usize {
        (self.cfg.max_buffer_bytes / 2).clamp(64, 64 * 1024)
    }

    /// With an unknown role, the first command or greeting decides both directions.
    fn classify(&mut self, dir: Direction) {
        if self.sides.known() {
            return;
        }
        if let Some(k) = self
            .parsers
            .get(dir.index())
            .and_then(|p| infer::classify(p.stream.data(), false))
        {
            self.sides.learn(dir, k);
        }
    }

    fn advance(&mut self, dir: Direction) {
        let Some(kind) = self.sides.kind(dir) else { return };
        let keep = self.keep();
        let mut out = VecDeque::new();
        if let Some(p) = self.parsers.get_mut(dir.index()) {
            p.advance(kind, keep, &mut self.stats, &mut out);
            if p.ssl_requested {
                self.encrypted = true;
            }
        }
        for p in out {
            match kind {
                MessageKind::Request => self.push_req(p),
                MessageKind::Response => self.push_resp(p),
            }
        }
    }

    fn push_req(&mut self, p: Packet) {
        if !p.first().is_some_and(msg::is_command) {
            self.stats.parse_errors += 1;
            return;
        }
        self.handshake = false;
        self.queues.push_req(p, &self.cfg, &mut self.stats);
    }

    fn push_resp(&mut self, p: Packet) {
        if p.seq == 0 && p.first() == Some(0x0a) {
            self.handshake = true;
            return;
        }
        if self.handshake {
            if matches!(p.first(), Some(0x00 | 0xff)) {
                self.handshake = false;
            }
            return;
        }
        let _ = self.queues.make_room_for_resp(p.held(), &self.cfg, &mut self.stats);
        self.queues.push_resp(p);
    }

    fn stitch(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter, closing: bool) {
        let role = self.sides.record_role(self.role);
        let mut writer = out.as_any_mut().downcast_mut::<MysqlWriter>();
        while self.queues.head_after_orphans(&mut self.stats).is_some() {
            let more = self.queues.reqs.len() > 1 || closing;
            let Some(req) = self.queues.reqs.front() else { break };
            match stitch::handle(req, &self.queues.resps, more, &mut self.state) {
                Outcome::Wait => break,
                Outcome::Desync => {
                    self.stats.parse_errors += 1;
                    self.queues.pop_req();
                    // Drop the rest of this command's answer: up to the next answer's start.
                    while self.queues.resps.front().is_some_and(|r| r.seq != 1) {
                        self.queues.pop_resp();
                        self.stats.unmatched_responses += 1;
                    }
                }
                Outcome::Done { n, rec } => {
                    self.queues.pop_answered(n);
                    let Some(rec) = rec else { continue };
                    match writer.as_deref_mut() {
                        Some(w) => {
                            w.push(self.record(meta, role, rec));
                            self.stats.records += 1;
                        }
                        None => self.stats.writer_errors += 1,
                    }
                }
            }
        }
    }

    fn record(&mut self, meta: &ConnMeta, role: TraceRole, r: Rec) -> MysqlRecord {
        let Rec {
            cmd,
            mut req_body,
            status,
            mut resp_body,
            req_ts,
            resp_ts,
        } = r;
        let cut =
            u64::from(truncate_marked(&mut req_body, MAX_TEXT)) + u64::from(truncate_marked(&mut resp_body, MAX_TEXT));
        self.stats.truncated += cut;
        MysqlRecord {
            head: RowHead::new(meta, role, req_ts, resp_ts.max(req_ts)),
            req_cmd: i64::from(cmd),
            req_body,
            resp_status: status,
            resp_body,
        }
    }

    fn lose(&mut self, dir: Direction, lost: u64) {
        let absorbed = match self.parsers.get_mut(dir.index()) {
            Some(p) => p.gap(lost, &mut self.stats),
            None => true,
        };
        if !absorbed {
            let response_side = self.sides.kind(dir) == Some(MessageKind::Response);
            self.queues.drop_queued(response_side, &mut self.stats);
        }
    }
}

impl BoundedParse for MysqlSession {
    fn unparsed(&self, dir: Direction) -> usize {
        self.parsers.get(dir.index()).map_or(0, |p| p.stream.len())
    }

    fn parse_more(&mut self, dir: Direction, ts_ns: u64, bytes: &[u8]) {
        if let Some(p) = self.parsers.get_mut(dir.index()) {
            p.stream.push(ts_ns, bytes);
        }
        self.classify(dir);
        self.advance(dir);
    }

    fn dropped(&mut self, dir: Direction, lost: u64) {
        self.lose(dir, lost);
    }

    /// Checked once per feed, before any byte (see `feed`).
    fn skips_rest(&self) -> bool {
        false
    }

    fn stats_mut(&mut self) -> &mut SessionStats {
        &mut self.stats
    }
}

impl Session for MysqlSession {
    fn feed(&mut self, dir: Direction, meta: ChunkMeta, data: &[u8]) {
        let ts_ns = meta.ts_ns;
        if self.encrypted {
            self.stats.bytes_skipped += data.len() as u64;
            return;
        }
        let max = self.cfg.max_buffer_bytes;
        feed_bounded(self, dir, ts_ns, data, max);
    }

    fn gap(&mut self, dir: Direction, lost_bytes: u64) {
        self.stats.gaps += 1;
        self.stats.bytes_lost += lost_bytes;
        self.lose(dir, lost_bytes);
    }

    fn poll(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        for d in [Direction::Egress, Direction::Ingress] {
            self.classify(d);
            self.advance(d);
        }
        self.stitch(meta, out, false);
        self.queues.expire(now_ns, self.cfg.message_expiry_ns, &mut self.stats);
        self.queues.unpolled = false;
    }

    fn close(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        for d in [Direction::Egress, Direction::Ingress] {
            self.classify(d);
            self.advance(d);
        }
        self.stitch(meta, out, true);
        let _ = now_ns;
        self.queues.drop_queued(true, &mut self.stats);
    }

    fn buffered_bytes(&self) -> usize {
        self.parsers.iter().map(|p| p.stream.len()).sum::<usize>() + self.queues.held_bytes() + self.state.held_bytes()
    }

    fn stats(&self) -> SessionStats {
        self.stats
    }

    fn wants_data(&self) -> bool {
        !self.encrypted
    }

    fn wants_poll(&self) -> bool {
        self.queues.unpolled && self.queues.backlogged(&self.cfg)
    }
}
