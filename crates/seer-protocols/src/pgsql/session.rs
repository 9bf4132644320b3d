//! [`PgsqlSession`]: framing of both directions, bounded queues of parsed messages, and the loop
//! that hands the oldest request to the stitcher.
//!
//! Orphans: answers that started before the request at the head of the queue answer a request that
//! was never seen (picked up mid-stream, or lost) and are dropped. After a gap in either direction
//! the queued requests are dropped (their answers may be what was lost); after a gap in the answer
//! direction the queued answers are dropped too.

use std::collections::VecDeque;

use super::frame::{Frame, FrameParser, GSSENC_REQUEST, Limits, SSL_ANSWER, SSL_REQUEST, untagged_header};
use super::stitch::{self, MAX_TEXT, Outcome, Pair, State};
use super::writer::{PgsqlRecord, PgsqlWriter};
use crate::l7::RowHead;
use crate::protocol::{ChunkMeta, Session, TableWriter};
use crate::text::truncate_marked;
use crate::types::{ConnMeta, Direction, MessageKind, ProtocolConfig, SessionStats, TraceRole};

/// DataRow payload bytes kept per run of rows; further rows are counted, not kept.
const ROW_RUN_BYTES: usize = 8 * MAX_TEXT;

/// CopyData, CopyDone, CopyFail (either side): the stream of a `COPY`, which answers nothing and
/// is answered by nothing (the Query that started it is answered by the CommandComplete and
/// ReadyForQuery after it). They are not queued: a big `COPY` would push its Query (or its answer)
/// out of the bounded queue.
fn copy_stream(tag: u8) -> bool {
    matches!(tag, b'd' | b'c' | b'f')
}

/// Parse and stitch state of one PostgreSQL connection.
#[derive(Debug)]
pub struct PgsqlSession {
    role: TraceRole,
    cfg: ProtocolConfig,
    parsers: [FrameParser; 2],
    /// What each direction carries (index: 0 egress, 1 ingress), once known.
    kinds: [Option<MessageKind>; 2],
    reqs: VecDeque<Frame>,
    resps: VecDeque<Frame>,
    queued_bytes: [usize; 2],
    /// Frames were queued since the last poll.
    unpolled: bool,
    row_run: usize,
    state: State,
    stats: SessionStats,
}

impl PgsqlSession {
    /// A session for a connection traced on side `role`.
    pub fn new(role: TraceRole, cfg: ProtocolConfig) -> Self {
        let kinds = match role.request_direction() {
            Some(Direction::Egress) => [Some(MessageKind::Request), Some(MessageKind::Response)],
            Some(Direction::Ingress) => [Some(MessageKind::Response), Some(MessageKind::Request)],
            None => [None, None],
        };
        let mut state = State::default();
        state.set_cap(cfg.max_buffer_bytes);
        Self {
            role,
            cfg,
            parsers: [FrameParser::default(), FrameParser::default()],
            kinds,
            reqs: VecDeque::new(),
            resps: VecDeque::new(),
            queued_bytes: [0; 2],
            unpolled: false,
            row_run: 0,
            state,
            stats: SessionStats::default(),
        }
    }

    fn limits(&self) -> Limits {
        Limits {
            keep: (self.cfg.max_buffer_bytes / 2).clamp(64, 64 * 1024),
        }
    }

    /// With an unknown role, the first message that says what it is decides both directions.
    fn classify(&mut self, dir: Direction) {
        if self.kinds.iter().any(Option::is_some) {
            return;
        }
        let Some(p) = self.parsers.get(dir.index()) else { return };
        let data = p.stream.data();
        let kind = match data.first() {
            Some(0) => untagged_header(data).map(|_| MessageKind::Request),
            Some(t) if b"QPBFpX".contains(t) => Some(MessageKind::Request),
            Some(t) if b"RKZTI123ntsNAGVWv".contains(t) => Some(MessageKind::Response),
            _ => None,
        };
        if let Some(k) = kind {
            let (mine, other) = (dir.index(), dir.opposite().index());
            if let Some(slot) = self.kinds.get_mut(mine) {
                *slot = Some(k);
            }
            if let Some(slot) = self.kinds.get_mut(other) {
                *slot = Some(k.opposite());
            }
        }
    }

    fn kind(&self, dir: Direction) -> Option<MessageKind> {
        self.kinds.get(dir.index()).copied().flatten()
    }

    fn dir_of(&self, kind: MessageKind) -> Option<Direction> {
        [Direction::Egress, Direction::Ingress]
            .into_iter()
            .find(|&d| self.kind(d) == Some(kind))
    }

    /// Parses what `dir` holds into its queue.
    fn advance(&mut self, dir: Direction) {
        let Some(kind) = self.kind(dir) else { return };
        let lim = self.limits();
        let mut out = VecDeque::new();
        if let Some(p) = self.parsers.get_mut(dir.index()) {
            p.advance(kind, lim, &mut self.stats, &mut out);
        }
        for f in out {
            match kind {
                MessageKind::Request => self.push_req(f),
                MessageKind::Response => self.push_resp(f),
            }
        }
    }

    fn push_req(&mut self, f: Frame) {
        if copy_stream(f.tag) {
            return;
        }
        if matches!(f.tag, SSL_REQUEST | GSSENC_REQUEST)
            && let Some(d) = self.dir_of(MessageKind::Response)
            && let Some(p) = self.parsers.get_mut(d.index())
        {
            p.ssl_answers_due += 1;
        }
        while !self.reqs.is_empty()
            && (self.reqs.len() >= self.cfg.max_pending_messages
                || self.queued_bytes[0] + f.held() > self.cfg.max_buffer_bytes)
        {
            self.pop_req();
            self.stats.unmatched_requests += 1;
        }
        self.queued_bytes[0] += f.held();
        self.reqs.push_back(f);
        self.unpolled = true;
    }

    fn push_resp(&mut self, f: Frame) {
        if f.tag == SSL_ANSWER && matches!(f.payload.first(), Some(b'S' | b'G')) {
            // Encryption starts right after the answer: the handshake's ciphertext that follows
            // must not reach the parsers (the stitcher records the same when it meets the answer).
            self.state.encrypted = true;
        }
        if copy_stream(f.tag) {
            return;
        }
        if f.tag == b'D' {
            if self.row_run >= ROW_RUN_BYTES
                && let Some(last) = self.resps.back_mut()
                && last.tag == b'D'
            {
                last.extra_rows += 1 + f.extra_rows;
                return;
            }
            self.row_run += f.payload.len();
        } else {
            self.row_run = 0;
        }
        let cap = self.resp_cap();
        while !self.resps.is_empty()
            && (self.resps.len() >= cap || self.queued_bytes[1] + f.held() > self.cfg.max_buffer_bytes)
        {
            self.pop_resp();
            self.stats.unmatched_responses += 1;
        }
        self.queued_bytes[1] += f.held();
        self.resps.push_back(f);
        self.unpolled = true;
    }

    /// Response frames queued at most (a request is answered by several).
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

    fn pop_req(&mut self) -> Option<Frame> {
        let f = self.reqs.pop_front()?;
        self.queued_bytes[0] = self.queued_bytes[0].saturating_sub(f.held());
        Some(f)
    }

    fn pop_resp(&mut self) -> Option<Frame> {
        let f = self.resps.pop_front()?;
        self.queued_bytes[1] = self.queued_bytes[1].saturating_sub(f.held());
        if self.resps.is_empty() {
            self.row_run = 0;
        }
        Some(f)
    }

    fn record_role(&self) -> TraceRole {
        match (self.role, self.dir_of(MessageKind::Request)) {
            (TraceRole::Unknown, Some(d)) => TraceRole::infer(d, MessageKind::Request),
            (r, _) => r,
        }
    }

    fn stitch(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter) {
        let role = self.record_role();
        let mut writer = out.as_any_mut().downcast_mut::<PgsqlWriter>();
        while let Some(req_ts) = self.reqs.front().map(|r| r.ts) {
            while self.resps.front().is_some_and(|r| r.ts < req_ts) {
                self.pop_resp();
                self.stats.unmatched_responses += 1;
            }
            let Some(req) = self.reqs.front() else { break };
            match stitch::handle(req, &self.resps, &mut self.state) {
                Outcome::Wait => break,
                Outcome::Desync => {
                    self.stats.parse_errors += 1;
                    self.pop_req();
                }
                Outcome::Done { n, pair } => {
                    self.pop_req();
                    for _ in 0..n {
                        self.pop_resp();
                    }
                    let Some(pair) = pair else { continue };
                    match writer.as_deref_mut() {
                        Some(w) => {
                            w.push(self.record(meta, role, pair));
                            self.stats.records += 1;
                        }
                        None => self.stats.writer_errors += 1,
                    }
                }
            }
        }
    }

    fn record(&mut self, meta: &ConnMeta, role: TraceRole, p: Pair) -> PgsqlRecord {
        let Pair {
            req_cmd,
            mut req,
            mut resp,
            req_ts,
            resp_ts,
        } = p;
        let cut = u64::from(truncate_marked(&mut req, MAX_TEXT)) + u64::from(truncate_marked(&mut resp, MAX_TEXT));
        self.stats.truncated += cut;
        PgsqlRecord {
            head: RowHead::new(meta, role, req_ts, resp_ts.max(req_ts)),
            req_cmd: req_cmd.to_string(),
            req,
            resp,
        }
    }

    fn expire(&mut self, now_ns: u64) {
        let expiry = self.cfg.message_expiry_ns;
        while self.reqs.front().is_some_and(|f| f.ts.saturating_add(expiry) < now_ns) {
            self.pop_req();
            self.stats.unmatched_requests += 1;
        }
        if self.reqs.is_empty() {
            while self.resps.front().is_some_and(|f| f.ts.saturating_add(expiry) < now_ns) {
                self.pop_resp();
                self.stats.unmatched_responses += 1;
            }
        }
    }

    /// `lost` bytes of `dir` will never arrive: resynchronise; unless a cut message absorbed them,
    /// drop what they may have answered.
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
}

impl Session for PgsqlSession {
    fn feed(&mut self, dir: Direction, meta: ChunkMeta, data: &[u8]) {
        let ts_ns = meta.ts_ns;
        let max = self.cfg.max_buffer_bytes;
        let mut rest = data;
        while !rest.is_empty() {
            if self.state.encrypted {
                self.stats.bytes_skipped += rest.len() as u64;
                return;
            }
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
        self.stitch(meta, out);
        self.expire(now_ns);
        self.unpolled = false;
    }

    fn close(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        self.poll(meta, now_ns, out);
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
        !self.state.encrypted
    }

    fn wants_poll(&self) -> bool {
        self.unpolled && self.backlogged()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The connection tracker asks `wants_data` after every feed, before any poll: the ciphertext
    /// right after an accepted SSLRequest must neither be parsed nor be waited for.
    #[test]
    fn accepted_tls_stops_parsing_before_any_poll() {
        let mut s = PgsqlSession::new(TraceRole::Server, ProtocolConfig::default());
        s.feed(Direction::Ingress, ChunkMeta::at(1), &[0, 0, 0, 8, 4, 210, 22, 47]);
        assert!(s.wants_data());
        s.feed(Direction::Egress, ChunkMeta::at(2), b"S");
        assert!(!s.wants_data());
        // A ClientHello looks like nothing PostgreSQL sends: it is skipped, not a parse error.
        s.feed(Direction::Ingress, ChunkMeta::at(3), &[0x16, 3, 1, 0, 5, 1, 0, 0, 1, 0]);
        assert_eq!((s.stats().parse_errors, s.stats().bytes_skipped), (0, 10));
    }

    #[test]
    fn refused_tls_goes_on_in_plaintext() {
        let mut s = PgsqlSession::new(TraceRole::Server, ProtocolConfig::default());
        s.feed(Direction::Ingress, ChunkMeta::at(1), &[0, 0, 0, 8, 4, 210, 22, 47]);
        s.feed(Direction::Egress, ChunkMeta::at(2), b"N");
        assert!(s.wants_data());
    }
}
