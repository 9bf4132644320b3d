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
use crate::sql_common::{BoundedParse, Queues, Sides, feed_bounded};
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
    sides: Sides,
    queues: Queues<Frame>,
    row_run: usize,
    state: State,
    stats: SessionStats,
}

impl PgsqlSession {
    /// A session for a connection traced on side `role`.
    pub fn new(role: TraceRole, cfg: ProtocolConfig) -> Self {
        let mut state = State::default();
        state.set_cap(cfg.max_buffer_bytes);
        Self {
            role,
            cfg,
            parsers: [FrameParser::default(), FrameParser::default()],
            sides: Sides::new(role),
            queues: Queues::default(),
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
        if self.sides.known() {
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
            self.sides.learn(dir, k);
        }
    }

    /// Parses what `dir` holds into its queue.
    fn advance(&mut self, dir: Direction) {
        let Some(kind) = self.sides.kind(dir) else { return };
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
            && let Some(d) = self.sides.dir_of(MessageKind::Response)
            && let Some(p) = self.parsers.get_mut(d.index())
        {
            p.ssl_answers_due += 1;
        }
        self.queues.push_req(f, &self.cfg, &mut self.stats);
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
                && let Some(last) = self.queues.resps.back_mut()
                && last.tag == b'D'
            {
                last.extra_rows += 1 + f.extra_rows;
                return;
            }
            self.row_run += f.payload.len();
        } else {
            self.row_run = 0;
        }
        if self.queues.make_room_for_resp(f.held(), &self.cfg, &mut self.stats) {
            self.end_row_run_if_drained();
        }
        self.queues.push_resp(f);
    }

    /// A run of rows ends when the response queue empties (it is 0 whenever the queue is empty,
    /// but while a frame is being queued).
    fn end_row_run_if_drained(&mut self) {
        if self.queues.resps.is_empty() {
            self.row_run = 0;
        }
    }

    fn stitch(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter) {
        let role = self.sides.record_role(self.role);
        let mut writer = out.as_any_mut().downcast_mut::<PgsqlWriter>();
        while self.queues.head_after_orphans(&mut self.stats).is_some() {
            self.end_row_run_if_drained();
            let Some(req) = self.queues.reqs.front() else { break };
            match stitch::handle(req, &self.queues.resps, &mut self.state) {
                Outcome::Wait => break,
                Outcome::Desync => {
                    self.stats.parse_errors += 1;
                    self.queues.pop_req();
                }
                Outcome::Done { n, pair } => {
                    self.queues.pop_answered(n);
                    self.end_row_run_if_drained();
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

    /// `lost` bytes of `dir` will never arrive: resynchronise; unless a cut message absorbed them,
    /// drop what they may have answered.
    fn lose(&mut self, dir: Direction, lost: u64) {
        let absorbed = match self.parsers.get_mut(dir.index()) {
            Some(p) => p.gap(lost, &mut self.stats),
            None => true,
        };
        if !absorbed {
            let response_side = self.sides.kind(dir) == Some(MessageKind::Response);
            self.drop_queued(response_side);
        }
    }

    fn drop_queued(&mut self, responses_too: bool) {
        self.queues.drop_queued(responses_too, &mut self.stats);
        self.end_row_run_if_drained();
    }
}

impl BoundedParse for PgsqlSession {
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

    fn skips_rest(&self) -> bool {
        self.state.encrypted
    }

    fn stats_mut(&mut self) -> &mut SessionStats {
        &mut self.stats
    }
}

impl Session for PgsqlSession {
    fn feed(&mut self, dir: Direction, meta: ChunkMeta, data: &[u8]) {
        let ts_ns = meta.ts_ns;
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
        self.stitch(meta, out);
        self.queues.expire(now_ns, self.cfg.message_expiry_ns, &mut self.stats);
        self.end_row_run_if_drained();
        self.queues.unpolled = false;
    }

    fn close(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        self.poll(meta, now_ns, out);
        self.drop_queued(true);
    }

    fn buffered_bytes(&self) -> usize {
        self.parsers.iter().map(|p| p.stream.len()).sum::<usize>() + self.queues.held_bytes() + self.state.held_bytes()
    }

    fn stats(&self) -> SessionStats {
        self.stats
    }

    fn wants_data(&self) -> bool {
        !self.state.encrypted
    }

    fn wants_poll(&self) -> bool {
        self.queues.unpolled && self.queues.backlogged(&self.cfg)
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
