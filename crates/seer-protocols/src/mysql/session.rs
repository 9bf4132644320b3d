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
    kinds: [Option<MessageKind>; 2],
    reqs: VecDeque<Packet>,
    resps: VecDeque<Packet>,
    queued_bytes: [usize; 2],
    /// Packets were queued since the last poll.
    unpolled: bool,
    /// Between the server greeting and the end of authentication.
    handshake: bool,
    encrypted: bool,
    state: State,
    stats: SessionStats,
}

impl MysqlSession {
    /// A session for a connection traced on side `role`.
    pub fn new(role: TraceRole, cfg: ProtocolConfig) -> Self {
        let kinds = match role.request_direction() {
            Some(Direction::Egress) => [Some(MessageKind::Request), Some(MessageKind::Response)],
            Some(Direction::Ingress) => [Some(MessageKind::Response), Some(MessageKind::Request)],
            None => [None, None],
        };
        Self {
            state: State::with_cap(cfg.max_buffer_bytes),
            role,
            cfg,
            parsers: [PacketParser::default(), PacketParser::default()],
            kinds,
            reqs: VecDeque::new(),
            resps: VecDeque::new(),
            queued_bytes: [0; 2],
            unpolled: false,
            handshake: false,
            encrypted: false,
            stats: SessionStats::default(),
        }
    }

    fn keep(&self) -> usize {
        (self.cfg.max_buffer_bytes / 2).clamp(64, 64 * 1024)
    }

    fn kind(&self, dir: Direction) -> Option<MessageKind> {
        self.kinds.get(dir.index()).copied().flatten()
    }

    fn dir_of(&self, kind: MessageKind) -> Option<Direction> {
        [Direction::Egress, Direction::Ingress]
            .into_iter()
            .find(|&d| self.kind(d) == Some(kind))
    }

    /// With an unknown role, the first command or greeting decides both directions.
    fn classify(&mut self, dir: Direction) {
        if self.kinds.iter().any(Option::is_some) {
            return;
        }
        let Some(k) = self
            .parsers
            .get(dir.index())
            .and_then(|p| infer::classify(p.stream.data(), false))
        else {
            return;
        };
        if let Some(slot) = self.kinds.get_mut(dir.index()) {
            *slot = Some(k);
        }
        if let Some(slot) = self.kinds.get_mut(dir.opposite().index()) {
            *slot = Some(k.opposite());
        }
    }

    fn advance(&mut self, dir: Direction) {
        let Some(kind) = self.kind(dir) else { return };
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
        while !self.reqs.is_empty()
            && (self.reqs.len() >= self.cfg.max_pending_messages
                || self.queued_bytes[0] + p.held() > self.cfg.max_buffer_bytes)
        {
            self.pop_req();
            self.stats.unmatched_requests += 1;
        }
        self.queued_bytes[0] += p.held();
        self.reqs.push_back(p);
        self.unpolled = true;
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
        let cap = self.resp_cap();
        while !self.resps.is_empty()
            && (self.resps.len() >= cap || self.queued_bytes[1] + p.held() > self.cfg.max_buffer_bytes)
        {
            self.pop_resp();
            self.stats.unmatched_responses += 1;
        }
        self.queued_bytes[1] += p.held();
        self.resps.push_back(p);
        self.unpolled = true;
    }

    /// Response packets queued at most (a result set is many).
    fn resp_cap(&self) -> usize {
        self.cfg.max_pending_messages.saturating_mul(8).max(8)
    }

    /// A queue holds half its bound (count or bytes).
    fn backlogged(&self) -> bool {
        let half_bytes = self.cfg.max_buffer_bytes / 2;
        self.reqs.len() >= self.cfg.max_pending_messages / 2
            || self.resps.len() >= self.resp_cap() / 2
            || self.queued_bytes.iter().any(|&b| b >= half_bytes)
    }

    fn pop_req(&mut self) -> Option<Packet> {
        let p = self.reqs.pop_front()?;
        self.queued_bytes[0] = self.queued_bytes[0].saturating_sub(p.held());
        Some(p)
    }

    fn pop_resp(&mut self) -> Option<Packet> {
        let p = self.resps.pop_front()?;
        self.queued_bytes[1] = self.queued_bytes[1].saturating_sub(p.held());
        Some(p)
    }

    fn record_role(&self) -> TraceRole {
        match (self.role, self.dir_of(MessageKind::Request)) {
            (TraceRole::Unknown, Some(d)) => TraceRole::infer(d, MessageKind::Request),
            (r, _) => r,
        }
    }

    fn stitch(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter, closing: bool) {
        let role = self.record_role();
        let mut writer = out.as_any_mut().downcast_mut::<MysqlWriter>();
        while let Some(req_ts) = self.reqs.front().map(|r| r.ts) {
            while self.resps.front().is_some_and(|r| r.ts < req_ts) {
                self.pop_resp();
                self.stats.unmatched_responses += 1;
            }
            let more = self.reqs.len() > 1 || closing;
            let Some(req) = self.reqs.front() else { break };
            match stitch::handle(req, &self.resps, more, &mut self.state) {
                Outcome::Wait => break,
                Outcome::Desync => {
                    self.stats.parse_errors += 1;
                    self.pop_req();
                    // Drop the rest of this command's answer: up to the next answer's start.
                    while self.resps.front().is_some_and(|r| r.seq != 1) {
                        self.pop_resp();
                        self.stats.unmatched_responses += 1;
                    }
                }
                Outcome::Done { n, rec } => {
                    self.pop_req();
                    for _ in 0..n {
                        self.pop_resp();
                    }
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

    fn expire(&mut self, now_ns: u64) {
        let expiry = self.cfg.message_expiry_ns;
        while self.reqs.front().is_some_and(|p| p.ts.saturating_add(expiry) < now_ns) {
            self.pop_req();
            self.stats.unmatched_requests += 1;
        }
        if self.reqs.is_empty() {
            while self.resps.front().is_some_and(|p| p.ts.saturating_add(expiry) < now_ns) {
                self.pop_resp();
                self.stats.unmatched_responses += 1;
            }
        }
    }

    fn drop_queued(&mut self, responses_too: bool) {
        while self.pop_req().is_some() {
            self.stats.unmatched_requests += 1;
        }
        if responses_too {
            while self.pop_resp().is_some() {
                self.stats.unmatched_responses += 1;
            }
        }
    }

    fn lose(&mut self, dir: Direction, lost: u64) {
        let absorbed = match self.parsers.get_mut(dir.index()) {
            Some(p) => p.gap(lost, &mut self.stats),
            None => true,
        };
        if !absorbed {
            let response_side = self.kind(dir) == Some(MessageKind::Response);
            self.drop_queued(response_side);
        }
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
        let mut rest = data;
        while !rest.is_empty() {
            let held = self.parsers.get(dir.index()).map_or(0, |p| p.stream.len());
            let room = max.saturating_sub(held);
            if room == 0 {
                self.stats.bytes_dropped += rest.len() as u64;
                self.lose(dir, rest.len() as u64);
                return;
            }
            let (now, later) = rest.split_at(room.min(rest.len()));
            if let Some(p) = self.parsers.get_mut(dir.index()) {
                p.stream.push(ts_ns, now);
            }
            self.classify(dir);
            self.advance(dir);
            rest = later;
        }
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
        self.expire(now_ns);
        self.unpolled = false;
    }

    fn close(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        for d in [Direction::Egress, Direction::Ingress] {
            self.classify(d);
            self.advance(d);
        }
        self.stitch(meta, out, true);
        let _ = now_ns;
        self.drop_queued(true);
    }

    fn buffered_bytes(&self) -> usize {
        self.parsers.iter().map(|p| p.stream.len()).sum::<usize>()
            + self.queued_bytes.iter().sum::<usize>()
            + self.state.held_bytes()
    }

    fn stats(&self) -> SessionStats {
        self.stats
    }

    fn wants_data(&self) -> bool {
        !self.encrypted
    }

    fn wants_poll(&self) -> bool {
        self.unpolled && self.backlogged()
    }
}
