//! One direction's incremental parser: message heads, body framing, resynchronisation.
//!
//! Bytes are parsed as soon as they are fed: body bytes are consumed on arrival (only the first
//! bytes needed for display are kept), so the unparsed buffer only ever holds an incomplete head,
//! chunk-size line or trailer section — which is what keeps a session's memory bounded.

use std::collections::VecDeque;

use super::chunked::{self, ChunkState, Outcome};
use super::infer::{Start, classify};
use super::message::{self, Body, Framing, Head, Message, RequestFacts};
use crate::stream::ByteStream;
use crate::types::{MessageKind, ProtocolConfig, SessionStats};

/// A response head waits for its request's method (a `HEAD` response has no body) while fewer than
/// this many bytes are buffered behind it and the session is not being flushed.
const MAX_STALL_BYTES: usize = 64 * 1024;

/// How the body in progress is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFraming {
    Length(u64),
    Chunked(ChunkState),
    UntilClose,
}

/// A message whose body is still arriving.
#[derive(Debug)]
pub(crate) struct Partial {
    pub(crate) kind: MessageKind,
    pub(crate) head: Head,
    pub(crate) body: Body,
    pub(crate) framing: BodyFraming,
    pub(crate) start_ts: u64,
    pub(crate) last_ts: u64,
    pub(crate) wire_bytes: u64,
    pub(crate) after_gap: bool,
    pub(crate) tunnel: bool,
}

/// State shared by both directions of a session.
pub(crate) struct Ctx<'a> {
    pub(crate) cfg: &'a ProtocolConfig,
    pub(crate) stats: &'a mut SessionStats,
    /// Facts of requests whose responses have not started, oldest first.
    pub(crate) pending: &'a mut VecDeque<RequestFacts>,
    /// The connection left HTTP (101 / CONNECT tunnel): stop parsing.
    pub(crate) tunnel: &'a mut bool,
}

/// One direction of a session.
#[derive(Debug, Default)]
pub(crate) struct DirState {
    pub(crate) stream: ByteStream,
    /// What this direction carries, once known.
    pub(crate) kind: Option<MessageKind>,
    pub(crate) partial: Option<Box<Partial>>,
    /// Looking for the next message start.
    pub(crate) resync: bool,
    /// The current position may start a message (right after a gap).
    pub(crate) at_boundary: bool,
    /// Head bytes already searched for the empty line.
    pub(crate) head_scan: usize,
    /// The next message follows a gap.
    pub(crate) after_gap: bool,
    /// Complete messages waiting to be stitched.
    pub(crate) queue: VecDeque<Message>,
}

impl DirState {
    /// Parses as much as possible. `flush`: do not wait for the other direction.
    pub(crate) fn advance(&mut self, cx: &mut Ctx<'_>, flush: bool) {
        loop {
            if *cx.tunnel {
                cx.stats.bytes_skipped += self.stream.clear() as u64;
                self.partial = None;
                return;
            }
            let progressed = if self.partial.is_some() {
                self.body(cx)
            } else {
                self.start(cx, flush)
            };
            if !progressed {
                return;
            }
        }
    }

    /// Drops the byte at the front and starts looking for a message boundary.
    fn error(&mut self, cx: &mut Ctx<'_>) {
        cx.stats.parse_errors += 1;
        self.partial = None;
        self.resync = true;
        self.at_boundary = false;
        self.head_scan = 0;
        if self.stream.len() > 0 {
            self.stream.consume(1);
            cx.stats.bytes_skipped += 1;
        }
    }

    fn skip(&mut self, cx: &mut Ctx<'_>, n: usize) {
        self.stream.consume(n);
        cx.stats.bytes_skipped += n as u64;
    }

    fn classify_any(&self, data: &[u8]) -> (Start, Option<MessageKind>) {
        let kinds: &[MessageKind] = match self.kind {
            Some(MessageKind::Request) => &[MessageKind::Request],
            Some(MessageKind::Response) => &[MessageKind::Response],
            None => &[MessageKind::Response, MessageKind::Request],
        };
        let mut need = false;
        for &k in kinds {
            match classify(k, data) {
                Start::Yes => return (Start::Yes, Some(k)),
                Start::NeedMore { .. } => need = true,
                Start::No => {}
            }
        }
        if need {
            (Start::NeedMore { confident: false }, None)
        } else {
            (Start::No, None)
        }
    }

    /// Skips to the next plausible message start; `true` when one is found.
    fn resync(&mut self, cx: &mut Ctx<'_>) -> bool {
        let data = self.stream.data();
        let mut candidates = self.at_boundary.then_some(0).into_iter().chain(
            data.iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let found = candidates.find_map(|c| match self.classify_any(data.get(c..).unwrap_or_default()).0 {
            Start::Yes => Some((c, true)),
            Start::NeedMore { .. } => Some((c, false)),
            Start::No => None,
        });
        match found {
            Some((c, yes)) => {
                self.skip(cx, c);
                self.at_boundary = true;
                self.resync = !yes;
                yes
            }
            None => {
                let n = self.stream.len();
                self.skip(cx, n);
                self.at_boundary = false;
                false
            }
        }
    }

    /// Tries to parse a head at the front; `true` on progress.
    fn start(&mut self, cx: &mut Ctx<'_>, flush: bool) -> bool {
        if self.stream.len() == 0 || (self.resync && !self.resync(cx)) {
            return false;
        }
        let data = self.stream.data();
        let kind = match self.classify_any(data) {
            (Start::No, _) => {
                self.error(cx);
                return true;
            }
            (Start::Yes, Some(k)) => *self.kind.get_or_insert(k),
            _ => match self.kind {
                Some(k) => k,
                None => return self.need_more(cx),
            },
        };
        let Some(end) = message::find_head_end(data, self.head_scan) else {
            return self.need_more(cx);
        };
        if end > cx.cfg.max_head_bytes {
            self.error(cx);
            return true;
        }
        let Ok(head) = message::parse_head(kind, data.get(..end).unwrap_or_default()) else {
            self.error(cx);
            return true;
        };
        let framing = match kind {
            MessageKind::Request => message::request_framing(&head).map(|f| (f, RequestFacts::default())),
            MessageKind::Response if head.is_interim() => Ok((Framing::None, RequestFacts::default())),
            MessageKind::Response => {
                let facts = match cx.pending.front() {
                    Some(&f) => f,
                    None => {
                        let guess = message::response_framing(&head, RequestFacts::default());
                        if !flush && data.len() < MAX_STALL_BYTES && !matches!(guess, Ok(Framing::None) | Err(_)) {
                            self.head_scan = end.saturating_sub(1);
                            return false;
                        }
                        // Pixie's heuristic: another response right behind the head means no body.
                        let next = data.get(end..).unwrap_or_default();
                        RequestFacts {
                            head: classify(MessageKind::Response, next) == Start::Yes,
                            connect: false,
                        }
                    }
                };
                cx.pending.pop_front();
                message::response_framing(&head, facts).map(|f| (f, facts))
            }
        };
        let Ok((framing, facts)) = framing else {
            self.error(cx);
            return true;
        };
        if kind == MessageKind::Request {
            if cx.pending.len() >= cx.cfg.max_pending_messages {
                cx.pending.pop_front();
            }
            cx.pending.push_back(RequestFacts {
                head: head.method().eq_ignore_ascii_case("HEAD"),
                connect: head.method().eq_ignore_ascii_case("CONNECT"),
            });
        }
        let start_abs = self.stream.abs_pos();
        let tunnel = kind == MessageKind::Response
            && (head.status == 101 || (facts.connect && (200..300).contains(&head.status)));
        let mut p = Partial {
            kind,
            body: Body::for_head(&head, cx.cfg),
            head,
            framing: BodyFraming::UntilClose,
            start_ts: self.stream.ts_here(),
            last_ts: self.stream.ts_at(start_abs + end as u64 - 1),
            wire_bytes: end as u64,
            after_gap: std::mem::take(&mut self.after_gap),
            tunnel,
        };
        self.stream.consume(end);
        self.head_scan = 0;
        self.at_boundary = false;
        p.framing = match framing {
            Framing::None => {
                self.finish(cx, p);
                return true;
            }
            Framing::Length(n) => BodyFraming::Length(n),
            Framing::Chunked => BodyFraming::Chunked(ChunkState::Size),
            Framing::UntilClose => BodyFraming::UntilClose,
        };
        self.partial = Some(Box::new(p));
        true
    }

    /// An incomplete head: wait, unless it is already too long.
    fn need_more(&mut self, cx: &mut Ctx<'_>) -> bool {
        let len = self.stream.len();
        if len > cx.cfg.max_head_bytes {
            self.error(cx);
            return true;
        }
        self.head_scan = len;
        false
    }

    /// Consumes body bytes; `true` on progress.
    fn body(&mut self, cx: &mut Ctx<'_>) -> bool {
        let Some(p) = self.partial.as_mut() else { return false };
        let data = self.stream.data();
        if data.is_empty() {
            return false;
        }
        let abs = self.stream.abs_pos();
        let (used, done) = match &mut p.framing {
            BodyFraming::Length(left) => {
                let take = usize::try_from(*left).unwrap_or(usize::MAX).min(data.len());
                p.body.add(data.get(..take).unwrap_or_default());
                *left -= take as u64;
                (take, *left == 0)
            }
            BodyFraming::Chunked(st) => {
                match chunked::decode(st, data, &mut p.body, &mut p.head, cx.cfg.max_head_bytes) {
                    Ok((used, outcome)) => (used, outcome == Outcome::Done),
                    Err(_) => {
                        self.error(cx);
                        return true;
                    }
                }
            }
            BodyFraming::UntilClose => {
                p.body.add(data);
                (data.len(), false)
            }
        };
        if used > 0 {
            p.last_ts = self.stream.ts_at(abs + used as u64 - 1);
            p.wire_bytes += used as u64;
            self.stream.consume(used);
        }
        if done && let Some(p) = self.partial.take() {
            self.finish(cx, *p);
            return true;
        }
        used > 0 && !matches!(self.partial.as_ref().map(|p| p.framing), Some(BodyFraming::UntilClose))
    }

    /// Queues a complete message (interim responses are counted and dropped).
    pub(crate) fn finish(&mut self, cx: &mut Ctx<'_>, p: Partial) {
        cx.stats.frames_parsed += 1;
        if p.kind == MessageKind::Response && p.head.is_interim() {
            cx.stats.interim_responses += 1;
            return;
        }
        if p.tunnel {
            *cx.tunnel = true;
        }
        if self.queue.len() >= cx.cfg.max_pending_messages && self.queue.pop_front().is_some() {
            match p.kind {
                MessageKind::Request => cx.stats.unmatched_requests += 1,
                MessageKind::Response => cx.stats.unmatched_responses += 1,
            }
        }
        let Partial {
            kind,
            head,
            body,
            start_ts,
            last_ts,
            after_gap,
            wire_bytes,
            ..
        } = p;
        self.queue.push_back(Message {
            kind,
            head,
            body,
            start_ts,
            end_ts: last_ts,
            after_gap,
            wire_bytes,
        });
    }

    /// `lost` bytes of this direction are missing. Keeps going when they fall inside a body of known
    /// length; otherwise drops the message in progress and resynchronises.
    pub(crate) fn gap(&mut self, cx: &mut Ctx<'_>, lost: u64) {
        self.advance(cx, true);
        let mut done = false;
        let bridged = self.stream.len() == 0
            && self.partial.as_mut().is_some_and(|p| match &mut p.framing {
                BodyFraming::Length(left) if lost <= *left => {
                    *left -= lost;
                    p.body.skip(lost);
                    done = *left == 0;
                    true
                }
                BodyFraming::Chunked(ChunkState::Data(left)) if lost < *left => {
                    *left -= lost;
                    p.body.skip(lost);
                    true
                }
                BodyFraming::UntilClose => {
                    p.body.skip(lost);
                    true
                }
                _ => false,
            });
        if bridged {
            if done && let Some(p) = self.partial.take() {
                self.finish(cx, *p);
            }
            return;
        }
        self.partial = None;
        cx.stats.bytes_skipped += self.stream.clear() as u64;
        self.resync = true;
        self.at_boundary = true;
        self.head_scan = 0;
        self.after_gap = true;
        if self.kind == Some(MessageKind::Request) {
            cx.pending.clear();
        }
    }

    /// The connection closed: a body delimited by the close is complete; anything else in
    /// progress is dropped.
    pub(crate) fn close(&mut self, cx: &mut Ctx<'_>) {
        self.advance(cx, true);
        if let Some(p) = self.partial.take()
            && p.framing == BodyFraming::UntilClose
        {
            self.finish(cx, *p);
        }
        cx.stats.bytes_skipped += self.stream.clear() as u64;
    }

    /// Bytes held: unparsed input, queued messages, the body capture in progress.
    pub(crate) fn held_bytes(&self) -> usize {
        self.stream.len()
            + self.queue.iter().map(Message::held_bytes).sum::<usize>()
            + self.partial.as_ref().map_or(0, |p| p.body.captured.capacity() + 256)
    }
}
