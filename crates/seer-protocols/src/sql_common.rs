//! Protocol-neutral pieces of the request/response sessions over length-framed messages (used by
//! the PostgreSQL and MySQL sessions, and by any protocol of the same shape): which direction
//! carries requests ([`Sides`]), the bounded request and response queues with their orphan, expiry
//! and gap handling ([`Queues`]), and the framing state that skips the rest of a cut message and
//! resynchronises on the next plausible header ([`FrameSync`]).

use std::collections::VecDeque;

use crate::stream::ByteStream;
use crate::types::{Direction, MessageKind, ProtocolConfig, SessionStats, TraceRole};

/// What each direction of a connection carries (index: 0 egress, 1 ingress), once known.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sides([Option<MessageKind>; 2]);

impl Sides {
    /// Known from the start when the traced side `role` is known.
    pub(crate) fn new(role: TraceRole) -> Self {
        Self(match role.request_direction() {
            Some(Direction::Egress) => [Some(MessageKind::Request), Some(MessageKind::Response)],
            Some(Direction::Ingress) => [Some(MessageKind::Response), Some(MessageKind::Request)],
            None => [None, None],
        })
    }

    /// Whether either direction is known.
    pub(crate) fn known(&self) -> bool {
        self.0.iter().any(Option::is_some)
    }

    /// `dir` carries `kind`, so the other direction carries the opposite.
    pub(crate) fn learn(&mut self, dir: Direction, kind: MessageKind) {
        if let Some(slot) = self.0.get_mut(dir.index()) {
            *slot = Some(kind);
        }
        if let Some(slot) = self.0.get_mut(dir.opposite().index()) {
            *slot = Some(kind.opposite());
        }
    }

    /// What `dir` carries.
    pub(crate) fn kind(&self, dir: Direction) -> Option<MessageKind> {
        self.0.get(dir.index()).copied().flatten()
    }

    /// The direction that carries `kind`.
    pub(crate) fn dir_of(&self, kind: MessageKind) -> Option<Direction> {
        [Direction::Egress, Direction::Ingress]
            .into_iter()
            .find(|&d| self.kind(d) == Some(kind))
    }

    /// The role written in records: `role`, or inferred from the request direction when unknown.
    pub(crate) fn record_role(&self, role: TraceRole) -> TraceRole {
        match (role, self.dir_of(MessageKind::Request)) {
            (TraceRole::Unknown, Some(d)) => TraceRole::infer(d, MessageKind::Request),
            (r, _) => r,
        }
    }
}

/// A parsed message held in a [`Queues`].
pub(crate) trait Queued {
    /// When its first byte was seen (ns).
    fn ts(&self) -> u64;
    /// Bytes it holds (counted against the buffer bound).
    fn held(&self) -> usize;
}

/// Bounded queues of parsed requests and responses waiting to be stitched.
#[derive(Debug)]
pub(crate) struct Queues<M> {
    pub reqs: VecDeque<M>,
    pub resps: VecDeque<M>,
    /// Bytes held by the requests (0) and the responses (1).
    queued_bytes: [usize; 2],
    /// Messages were queued since the last poll.
    pub unpolled: bool,
}

impl<M> Default for Queues<M> {
    fn default() -> Self {
        Self {
            reqs: VecDeque::new(),
            resps: VecDeque::new(),
            queued_bytes: [0; 2],
            unpolled: false,
        }
    }
}

/// Response messages queued at most (a request is answered by several).
pub(crate) fn resp_cap(cfg: &ProtocolConfig) -> usize {
    cfg.max_pending_messages.saturating_mul(8).max(8)
}

impl<M: Queued> Queues<M> {
    /// Queues request `m`, first dropping the oldest requests (unmatched) that leave no room.
    pub(crate) fn push_req(&mut self, m: M, cfg: &ProtocolConfig, stats: &mut SessionStats) {
        while !self.reqs.is_empty()
            && (self.reqs.len() >= cfg.max_pending_messages || self.queued_bytes[0] + m.held() > cfg.max_buffer_bytes)
        {
            self.pop_req();
            stats.unmatched_requests += 1;
        }
        self.queued_bytes[0] += m.held();
        self.reqs.push_back(m);
        self.unpolled = true;
    }

    /// Drops the oldest responses (unmatched) until one of `held` bytes fits, before
    /// [`Self::push_resp`]; returns whether any was dropped.
    pub(crate) fn make_room_for_resp(&mut self, held: usize, cfg: &ProtocolConfig, stats: &mut SessionStats) -> bool {
        let cap = resp_cap(cfg);
        let mut dropped = false;
        while !self.resps.is_empty() && (self.resps.len() >= cap || self.queued_bytes[1] + held > cfg.max_buffer_bytes)
        {
            self.pop_resp();
            stats.unmatched_responses += 1;
            dropped = true;
        }
        dropped
    }

    /// Queues response `m` (after [`Self::make_room_for_resp`]).
    pub(crate) fn push_resp(&mut self, m: M) {
        self.queued_bytes[1] += m.held();
        self.resps.push_back(m);
        self.unpolled = true;
    }

    /// A queue holds half its bound (count or bytes).
    pub(crate) fn backlogged(&self, cfg: &ProtocolConfig) -> bool {
        let half_bytes = cfg.max_buffer_bytes / 2;
        self.reqs.len() >= cfg.max_pending_messages / 2
            || self.resps.len() >= resp_cap(cfg) / 2
            || self.queued_bytes.iter().any(|&b| b >= half_bytes)
    }

    pub(crate) fn pop_req(&mut self) -> Option<M> {
        Self::pop(&mut self.reqs, &mut self.queued_bytes[0])
    }

    pub(crate) fn pop_resp(&mut self) -> Option<M> {
        Self::pop(&mut self.resps, &mut self.queued_bytes[1])
    }

    /// The oldest message of `queue`, its bytes taken off `bytes`.
    fn pop(queue: &mut VecDeque<M>, bytes: &mut usize) -> Option<M> {
        let m = queue.pop_front()?;
        *bytes = bytes.saturating_sub(m.held());
        Some(m)
    }

    /// The start of the request at the head, after dropping the responses older than it (they
    /// answer a request never seen: picked up mid-stream, or lost); `None` when no request waits.
    pub(crate) fn head_after_orphans(&mut self, stats: &mut SessionStats) -> Option<u64> {
        let req_ts = self.reqs.front().map(Queued::ts)?;
        while self.resps.front().is_some_and(|r| r.ts() < req_ts) {
            self.pop_resp();
            stats.unmatched_responses += 1;
        }
        Some(req_ts)
    }

    /// Drops the request at the head and the `n` responses that answered it.
    pub(crate) fn pop_answered(&mut self, n: usize) {
        self.pop_req();
        for _ in 0..n {
            self.pop_resp();
        }
    }

    /// Drops requests older than `expiry_ns`, then, when none is left, responses as old.
    pub(crate) fn expire(&mut self, now_ns: u64, expiry_ns: u64, stats: &mut SessionStats) {
        while self
            .reqs
            .front()
            .is_some_and(|m| m.ts().saturating_add(expiry_ns) < now_ns)
        {
            self.pop_req();
            stats.unmatched_requests += 1;
        }
        if self.reqs.is_empty() {
            while self
                .resps
                .front()
                .is_some_and(|m| m.ts().saturating_add(expiry_ns) < now_ns)
            {
                self.pop_resp();
                stats.unmatched_responses += 1;
            }
        }
    }

    /// Drops every queued request (unmatched), and the responses too if `responses_too`.
    pub(crate) fn drop_queued(&mut self, responses_too: bool, stats: &mut SessionStats) {
        while self.pop_req().is_some() {
            stats.unmatched_requests += 1;
        }
        if responses_too {
            while self.pop_resp().is_some() {
                stats.unmatched_responses += 1;
            }
        }
    }

    /// Bytes held by both queues.
    pub(crate) fn held_bytes(&self) -> usize {
        self.queued_bytes.iter().sum()
    }
}

/// Framing state of one direction besides its bytes: the rest of a cut message to skip, and
/// whether the parser is looking for the next plausible header (after a gap or garbage).
#[derive(Debug, Default)]
pub(crate) struct FrameSync {
    /// Bytes of a cut message still to skip.
    pub skip: u64,
    /// Looking for the next plausible header.
    pub resync: bool,
}

impl FrameSync {
    /// Skips what is left of a cut message; `false` when `stream` ran out first.
    pub(crate) fn skip_cut(&mut self, stream: &mut ByteStream) -> bool {
        if self.skip > 0 {
            let n = usize::try_from(self.skip).unwrap_or(usize::MAX).min(stream.len());
            if n == 0 {
                return false;
            }
            stream.consume(n);
            self.skip -= n as u64;
        }
        self.skip == 0
    }

    /// When resynchronising, skips to the first offset where `plausible` holds (headers are at
    /// least `min_header` bytes); `false` when more data is needed to find one.
    pub(crate) fn find_boundary(
        &mut self,
        stream: &mut ByteStream,
        stats: &mut SessionStats,
        min_header: usize,
        plausible: impl Fn(&[u8]) -> bool,
    ) -> bool {
        if !self.resync {
            return true;
        }
        let data = stream.data();
        let mut at = None;
        for i in 0..data.len() {
            let Some(rest) = data.get(i..) else { break };
            if rest.len() < min_header {
                at = Some((i, false));
                break;
            }
            if plausible(rest) {
                at = Some((i, true));
                break;
            }
        }
        let (skip, found) = at.unwrap_or((data.len(), false));
        stream.consume(skip);
        stats.bytes_skipped += skip as u64;
        if found {
            self.resync = false;
        }
        found
    }

    /// `lost` bytes will never arrive: a cut message absorbs them (`true`); otherwise the partial
    /// message in `stream` is dropped and the parser resynchronises (`false`).
    pub(crate) fn gap(&mut self, stream: &mut ByteStream, lost: u64, stats: &mut SessionStats) -> bool {
        if self.skip >= lost && stream.len() == 0 {
            self.skip -= lost;
            return true;
        }
        self.skip = 0;
        stats.bytes_skipped += stream.clear() as u64;
        self.resync = true;
        false
    }
}

/// A session that parses each direction into a buffer bounded by `max_buffer_bytes` (see
/// [`feed_bounded`]).
pub(crate) trait BoundedParse {
    /// Bytes of `dir` held unparsed.
    fn unparsed(&self, dir: Direction) -> usize;
    /// Appends `bytes` of `dir`, seen at `ts_ns`, then parses what it can.
    fn parse_more(&mut self, dir: Direction, ts_ns: u64, bytes: &[u8]);
    /// `lost` bytes of `dir` were dropped (no room): resynchronise.
    fn dropped(&mut self, dir: Direction, lost: u64);
    /// What is left is not to be parsed (encryption started): it is counted as skipped.
    fn skips_rest(&self) -> bool;
    fn stats_mut(&mut self) -> &mut SessionStats;
}

/// Feeds `data` of `dir` to `s` in pieces that fit its buffer of `max` bytes; when the buffer is
/// full, the rest is dropped and counted.
pub(crate) fn feed_bounded(s: &mut impl BoundedParse, dir: Direction, ts_ns: u64, data: &[u8], max: usize) {
    let mut rest = data;
    while !rest.is_empty() {
        if s.skips_rest() {
            s.stats_mut().bytes_skipped += rest.len() as u64;
            return;
        }
        let room = max.saturating_sub(s.unparsed(dir));
        if room == 0 {
            s.stats_mut().bytes_dropped += rest.len() as u64;
            s.dropped(dir, rest.len() as u64);
            return;
        }
        let (now, later) = rest.split_at(room.min(rest.len()));
        s.parse_more(dir, ts_ns, now);
        rest = later;
    }
}
