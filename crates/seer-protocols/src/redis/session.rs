//! [`RedisSession`]: both directions of one connection, and the stitcher.
//!
//! Replies come in request order (pipelining included), so stitching is FIFO, guarded by time: a
//! reply that started before the oldest waiting command is an orphan and is dropped; after a gap
//! in the reply direction, commands older than the latest one sent before the next reply are
//! dropped (their replies were lost). Exceptions, as Redis defines them:
//! - `SUBSCRIBE`/`PSUBSCRIBE`/`SSUBSCRIBE` with n channels get n confirmation replies, and their
//!   `UNSUBSCRIBE` counterparts without arguments get one per channel left (the last says 0): they
//!   are gathered into one record whose `resp` is the JSON array of the replies (one reply: itself);
//! - published messages (`message`, `pmessage`, `smessage` arrays in RESP2 or pushes in RESP3)
//!   answer no command: each becomes a record of its own with `req_cmd = "PUSH PUB"`, empty
//!   arguments and zero latency, as Pixie records them; other RESP3 pushes (`invalidate`) likewise
//!   become `PUSH <KIND>` records;
//! - `REPLCONF ACK` (a replica's acknowledgement) gets no reply: recorded alone, zero latency.
//!
//! A gap (bytes the capture missed) inside a bulk string's payload is skipped without losing the
//! framing, so a big value costs nothing and its command is still recorded (value cut). A gap
//! anywhere else ends the value in progress where it stands (recorded with the elements it had);
//! in the reply direction what follows is dropped until an event ends on a value boundary, and the
//! stitcher then realigns as above.
//!
//! A command must be an array (inline commands become one); any other value in the command
//! direction is a fragment after garbage or a gap and is counted as a parse error.

use std::collections::VecDeque;

use super::commands;
use super::decoder::{Decoded, Decoder, Limits, Step};
use super::inline::command_like;
use super::value::{AggKind, Value};
use super::writer::{RedisRecord, RedisWriter};
use crate::ordered_json::raw_array;
use crate::protocol::{ChunkMeta, Session, TableWriter};
use crate::stream::ByteStream;
use crate::text::truncate_marked;
use crate::types::{ConnMeta, Direction, MessageKind, ProtocolConfig, SessionStats, TraceRole};

/// What a command waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// One reply.
    One,
    /// No reply at all.
    Nothing,
    /// `n` confirmations of this kind (`subscribe`, `unsubscribe`, …).
    Confirmations(&'static str, u64),
    /// Confirmations of this kind until one reports 0 subscriptions left.
    UntilNoneLeft(&'static str),
}

#[derive(Debug)]
struct Request {
    start_ts: u64,
    end_ts: u64,
    dir: Direction,
    cmd: String,
    args: String,
    expect: Expect,
}

#[derive(Debug)]
struct Reply {
    start_ts: u64,
    end_ts: u64,
    value: Value,
    after_gap: bool,
}

#[derive(Debug, Default)]
struct Dir {
    stream: ByteStream,
    decoder: Decoder,
    kind: Option<MessageKind>,
    after_gap: bool,
    /// After a gap inside a value: values are the damaged value's rest and are dropped until an
    /// event ends on a value boundary.
    resync: bool,
}

/// Parse and stitch state of one Redis connection.
#[derive(Debug)]
pub struct RedisSession {
    role: TraceRole,
    cfg: ProtocolConfig,
    dirs: [Dir; 2],
    requests: VecDeque<Request>,
    replies: VecDeque<Reply>,
    /// Pushed messages, recorded at the next poll.
    pushes: VecDeque<(Direction, Decoded)>,
    /// Values were queued since the last poll.
    unpolled: bool,
    stats: SessionStats,
}

/// `(kind, reply kind)` of the subscription commands.
const SUBSCRIPTIONS: [(&str, &str); 6] = [
    ("SUBSCRIBE", "subscribe"),
    ("PSUBSCRIBE", "psubscribe"),
    ("SSUBSCRIBE", "ssubscribe"),
    ("UNSUBSCRIBE", "unsubscribe"),
    ("PUNSUBSCRIBE", "punsubscribe"),
    ("SUNSUBSCRIBE", "sunsubscribe"),
];

fn expect_of(cmd: &str, nargs: u64) -> Expect {
    if cmd == "REPLCONF ACK" {
        return Expect::Nothing;
    }
    match SUBSCRIPTIONS.iter().find(|(c, _)| *c == cmd) {
        Some((_, kind)) if nargs > 0 => Expect::Confirmations(kind, nargs),
        Some((c, kind)) if c.contains("UNSUB") => Expect::UntilNoneLeft(kind),
        _ => Expect::One,
    }
}

/// The first element's text, lower-cased, of an array or push.
fn head(v: &Value) -> Option<String> {
    v.elements()?.first()?.text().map(str::to_ascii_lowercase)
}

/// `message`/`pmessage`/`smessage`: a published message, not a reply.
fn is_published(v: &Value) -> bool {
    let Some(items) = v.elements() else { return false };
    match head(v).as_deref() {
        Some("message" | "smessage") => items.len() == 3,
        Some("pmessage") => items.len() == 4,
        _ => false,
    }
}

/// A RESP3 push that answers no command (anything but subscription confirmations).
fn is_out_of_band_push(v: &Value) -> bool {
    matches!(
        v,
        Value::Agg {
            kind: AggKind::Push,
            ..
        }
    ) && !head(v).is_some_and(|h| SUBSCRIPTIONS.iter().any(|(_, k)| *k == h))
}

/// A confirmation of `kind`.
fn confirms(v: &Value, kind: &str) -> bool {
    head(v).as_deref() == Some(kind)
}

/// A confirmation saying no subscriptions are left.
fn none_left(v: &Value) -> bool {
    v.elements().and_then(|e| e.get(2)).and_then(Value::text) == Some("0")
}

/// Looks like a command: an array of bulk strings whose first is a command name.
fn looks_like_command(v: &Value) -> bool {
    v.elements().is_some_and(|items| {
        matches!(
            v,
            Value::Agg {
                kind: AggKind::Array,
                ..
            }
        ) && items.iter().all(|i| matches!(i, Value::Bulk(_)))
            && items
                .first()
                .and_then(Value::text)
                .is_some_and(|t| command_like(t.as_bytes()))
    })
}

impl RedisSession {
    /// A session for a connection traced on side `role`.
    pub fn new(role: TraceRole, cfg: ProtocolConfig) -> Self {
        let mut dirs = [Dir::default(), Dir::default()];
        if let Some(req) = role.request_direction() {
            for d in [Direction::Egress, Direction::Ingress] {
                if let Some(ds) = dirs.get_mut(d.index()) {
                    ds.kind = Some(if d == req {
                        MessageKind::Request
                    } else {
                        MessageKind::Response
                    });
                }
            }
        }
        Self {
            role,
            cfg,
            dirs,
            requests: VecDeque::new(),
            replies: VecDeque::new(),
            pushes: VecDeque::new(),
            unpolled: false,
            stats: SessionStats::default(),
        }
    }

    fn limits(&self) -> Limits {
        Limits {
            max_string: self.cfg.max_body_bytes.max(16),
            max_retained: self.cfg.max_body_bytes.max(16) * 4,
        }
    }

    /// Decodes everything complete in `dir`.
    fn advance(&mut self, dir: Direction) {
        let lim = self.limits();
        loop {
            let Some(ds) = self.dirs.get_mut(dir.index()) else {
                return;
            };
            let inline_ok = ds.kind != Some(MessageKind::Response);
            match ds.decoder.step(&mut ds.stream, inline_ok, lim) {
                Step::NeedMore => return,
                Step::Invalid => {
                    // Resynchronise at the next line.
                    ds.decoder.reset();
                    let skip = ds
                        .stream
                        .data()
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(ds.stream.len(), |i| i + 1);
                    ds.stream.consume(skip);
                    self.stats.parse_errors += 1;
                    self.stats.bytes_skipped += skip as u64;
                }
                Step::Value(_) if ds.resync => match ds.kind {
                    Some(MessageKind::Request) => self.stats.unmatched_requests += 1,
                    _ => self.stats.unmatched_responses += 1,
                },
                Step::Value(d) => {
                    let kind = match ds.kind {
                        Some(k) => k,
                        None if looks_like_command(&d.value) => MessageKind::Request,
                        None => MessageKind::Response,
                    };
                    if kind == MessageKind::Request
                        && !matches!(
                            d.value,
                            Value::Agg {
                                kind: AggKind::Array,
                                ..
                            }
                        )
                    {
                        // Commands are arrays (inline ones become arrays too): anything else in
                        // this direction is a fragment seen after garbage or a gap.
                        self.stats.parse_errors += 1;
                        continue;
                    }
                    self.stats.frames_parsed += 1;
                    let after_gap = std::mem::take(&mut ds.after_gap);
                    self.set_kind(dir, kind);
                    self.take(dir, kind, d, after_gap);
                }
            }
        }
    }

    /// With an unknown role, the first message classified decides both directions.
    fn set_kind(&mut self, dir: Direction, kind: MessageKind) {
        for (d, k) in [(dir, kind), (dir.opposite(), kind.opposite())] {
            if let Some(ds) = self.dirs.get_mut(d.index()) {
                ds.kind.get_or_insert(k);
            }
        }
    }

    fn take(&mut self, dir: Direction, kind: MessageKind, d: Decoded, after_gap: bool) {
        let max = self.cfg.max_pending_messages.max(1);
        self.unpolled = true;
        match kind {
            MessageKind::Request => {
                let args: Vec<String> = d
                    .value
                    .elements()
                    .unwrap_or_default()
                    .iter()
                    .map(Value::render)
                    .collect();
                let nargs = d.len.max(args.len() as u64).saturating_sub(1);
                let (cmd, mut rendered) = commands::format(&args);
                self.stats.truncated += u64::from(truncate_marked(&mut rendered, self.cfg.max_body_bytes));
                self.requests.push_back(Request {
                    start_ts: d.start_ts,
                    end_ts: d.end_ts,
                    dir,
                    expect: expect_of(&cmd, nargs),
                    cmd,
                    args: rendered,
                });
                if self.requests.len() > max {
                    self.requests.pop_front();
                    self.stats.unmatched_requests += 1;
                }
            }
            MessageKind::Response if is_published(&d.value) || is_out_of_band_push(&d.value) => {
                self.pushes.push_back((dir, d));
                if self.pushes.len() > max {
                    self.pushes.pop_front();
                    self.stats.unmatched_responses += 1;
                }
            }
            MessageKind::Response => {
                self.replies.push_back(Reply {
                    start_ts: d.start_ts,
                    end_ts: d.end_ts,
                    value: d.value,
                    after_gap,
                });
                if self.replies.len() > max {
                    self.replies.pop_front();
                    self.stats.unmatched_responses += 1;
                }
            }
        }
    }

    fn role_for(&self, dir: Direction, kind: MessageKind) -> TraceRole {
        match self.role {
            TraceRole::Unknown => TraceRole::infer(dir, kind),
            r => r,
        }
    }

    /// How many replies at the front answer `req`; `None` while more are needed.
    fn replies_for(&self, req: &Request) -> Option<usize> {
        let (kind, n) = match req.expect {
            Expect::One => return Some(1),
            Expect::Nothing => return Some(0),
            Expect::Confirmations(kind, n) => (kind, Some(n)),
            Expect::UntilNoneLeft(kind) => (kind, None),
        };
        let mut taken = 0usize;
        for r in &self.replies {
            if !confirms(&r.value, kind) {
                // An error (or anything else) ends the confirmations.
                return Some(taken.max(1));
            }
            taken += 1;
            let done = match n {
                Some(n) => taken as u64 >= n,
                None => none_left(&r.value),
            };
            if done {
                return Some(taken);
            }
        }
        None
    }

    fn stitch(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter) {
        let mut writer = out.as_any_mut().downcast_mut::<RedisWriter>();
        let mut rows = Vec::new();
        self.stitch_pushes(meta, &mut rows);
        while let Some(req) = self.requests.front() {
            if req.expect != Expect::Nothing {
                let Some(reply) = self.replies.front() else { break };
                if reply.start_ts < req.start_ts {
                    self.replies.pop_front();
                    self.stats.unmatched_responses += 1;
                    continue;
                }
                if reply.after_gap {
                    let started = reply.start_ts;
                    while self.requests.get(1).is_some_and(|next| next.start_ts <= started) {
                        self.requests.pop_front();
                        self.stats.unmatched_requests += 1;
                    }
                    if let Some(r) = self.replies.front_mut() {
                        r.after_gap = false;
                    }
                    continue;
                }
            }
            let Some(n) = self.requests.front().and_then(|r| self.replies_for(r)) else {
                break;
            };
            let Some(req) = self.requests.pop_front() else { break };
            let replies: Vec<Reply> = self.replies.drain(..n.min(self.replies.len())).collect();
            rows.push(self.row(meta, req, &replies));
        }
        rows.sort_by_key(|r| r.head.time_ns);
        for row in rows {
            match writer.as_deref_mut() {
                Some(w) => {
                    w.push(row);
                    self.stats.records += 1;
                }
                None => self.stats.writer_errors += 1,
            }
        }
    }

    fn stitch_pushes(&mut self, meta: &ConnMeta, rows: &mut Vec<RedisRecord>) {
        while let Some((dir, d)) = self.pushes.pop_front() {
            let cmd = if is_published(&d.value) {
                "PUSH PUB".to_string()
            } else {
                format!("PUSH {}", head(&d.value).unwrap_or_default().to_ascii_uppercase())
            };
            let mut resp = d.value.render();
            self.stats.truncated += u64::from(truncate_marked(&mut resp, self.cfg.max_body_bytes));
            let role = self.role_for(dir, MessageKind::Response);
            rows.push(RedisRecord::new(
                meta,
                role,
                (d.end_ts, d.end_ts),
                cmd,
                String::new(),
                resp,
            ));
        }
    }

    fn row(&mut self, meta: &ConnMeta, req: Request, replies: &[Reply]) -> RedisRecord {
        let mut resp = match replies {
            [] => String::new(),
            [one] => one.value.render(),
            many => raw_array(&many.iter().map(|r| r.value.json()).collect::<Vec<_>>()),
        };
        self.stats.truncated += u64::from(truncate_marked(&mut resp, self.cfg.max_body_bytes));
        // Without a reply (e.g. a subscription's own row) the row ends with the command: latency 0.
        let span = match replies.last() {
            Some(r) => (req.start_ts, r.end_ts),
            None => (req.end_ts, req.end_ts),
        };
        let role = self.role_for(req.dir, MessageKind::Request);
        RedisRecord::new(meta, role, span, req.cmd, req.args, resp)
    }

    fn expire(&mut self, now_ns: u64) {
        let expiry = self.cfg.message_expiry_ns;
        let alive = |end: u64| end.saturating_add(expiry) >= now_ns;
        let before = (self.requests.len(), self.replies.len());
        self.requests.retain(|r| alive(r.end_ts));
        self.replies.retain(|r| alive(r.end_ts));
        self.stats.unmatched_requests += (before.0 - self.requests.len()) as u64;
        self.stats.unmatched_responses += (before.1 - self.replies.len()) as u64;
    }
}

impl Session for RedisSession {
    fn feed(&mut self, dir: Direction, meta: ChunkMeta, data: &[u8]) {
        let ts_ns = meta.ts_ns;
        let max = self.cfg.max_buffer_bytes;
        let mut rest = data;
        while !rest.is_empty() {
            let held = self.dirs.get(dir.index()).map_or(0, |d| d.stream.len());
            let room = max.saturating_sub(held);
            if room == 0 {
                self.stats.bytes_dropped += rest.len() as u64;
                self.gap(dir, 0);
                return;
            }
            let (now, later) = rest.split_at(room.min(rest.len()));
            if let Some(ds) = self.dirs.get_mut(dir.index()) {
                ds.stream.push(ts_ns, now);
            }
            self.advance(dir);
            rest = later;
        }
        if let Some(ds) = self.dirs.get_mut(dir.index())
            && ds.resync
            && !ds.decoder.in_value()
            && ds.stream.len() == 0
        {
            ds.resync = false;
            ds.after_gap = true;
        }
    }

    fn gap(&mut self, dir: Direction, lost_bytes: u64) {
        self.stats.gaps += 1;
        self.stats.bytes_lost += lost_bytes;
        self.advance(dir);
        let lim = self.limits();
        let Some(ds) = self.dirs.get_mut(dir.index()) else {
            return;
        };
        if ds.decoder.skip_in_bulk(ds.stream.len(), lost_bytes) {
            // Lost inside a bulk string's payload (a big value past the capture limit): the
            // framing holds and the value is recorded cut.
            return;
        }
        self.stats.bytes_skipped += ds.stream.clear() as u64;
        let kind = ds.kind;
        match ds.decoder.salvage(lim) {
            Some(d) => {
                // The damaged value still answers (or is) the message in progress. In the reply
                // direction what follows the gap is its rest until an event ends on a boundary;
                // commands need no such care (the rest's fragments are not arrays: dropped).
                ds.resync = kind != Some(MessageKind::Request);
                let after_gap = std::mem::take(&mut ds.after_gap);
                let kind = kind.unwrap_or(MessageKind::Response);
                self.set_kind(dir, kind);
                self.stats.frames_parsed += 1;
                self.take(dir, kind, d, after_gap);
            }
            None => ds.after_gap = true,
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
        self.stats.unmatched_requests += self.requests.len() as u64;
        self.stats.unmatched_responses += self.replies.len() as u64;
        self.requests.clear();
        self.replies.clear();
        for ds in &mut self.dirs {
            self.stats.bytes_skipped += ds.stream.clear() as u64;
            ds.decoder.reset();
        }
    }

    fn buffered_bytes(&self) -> usize {
        let streams: usize = self.dirs.iter().map(|d| d.stream.len() + d.decoder.held()).sum();
        let reqs: usize = self.requests.iter().map(|r| r.cmd.len() + r.args.len() + 96).sum();
        let reps: usize = self.replies.iter().map(|r| r.value.size() + 48).sum();
        let pushes: usize = self.pushes.iter().map(|(_, d)| d.value.size() + 48).sum();
        streams + reqs + reps + pushes
    }

    fn stats(&self) -> SessionStats {
        self.stats
    }

    fn wants_poll(&self) -> bool {
        let half = self.cfg.max_pending_messages.max(1) / 2;
        self.unpolled
            && [self.requests.len(), self.replies.len(), self.pushes.len()]
                .iter()
                .any(|&n| n >= half)
    }
}
