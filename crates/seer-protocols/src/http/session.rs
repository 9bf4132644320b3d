//! [`HttpSession`]: both directions of one connection, and the stitcher that pairs requests with
//! responses.
//!
//! Stitching is FIFO (HTTP/1.x answers in request order, pipelining included), guarded by time: a
//! response that started before the oldest waiting request is an orphan (its request was lost) and is
//! dropped. After a gap in the response direction, requests older than the latest one that precedes
//! the next response are dropped (their responses were lost), which re-aligns the pairs.

use std::collections::VecDeque;

use super::body;
use super::message::{Message, RequestFacts};
use super::parser::{Ctx, DirState};
use super::writer::{HttpRow, HttpWriter};
use crate::protocol::{ChunkMeta, Session, TableWriter};
use crate::types::{ConnMeta, Direction, MessageKind, ProtocolConfig, SessionStats, TraceRole};

/// Parse and stitch state of one HTTP/1.x connection.
#[derive(Debug)]
pub struct HttpSession {
    role: TraceRole,
    cfg: ProtocolConfig,
    dirs: [DirState; 2],
    pending: VecDeque<RequestFacts>,
    tunnel: bool,
    /// Messages each direction's queue held when the last poll ended.
    queued_at_poll: [usize; 2],
    stats: SessionStats,
}

impl HttpSession {
    /// A session for a connection traced on side `role`.
    pub fn new(role: TraceRole, cfg: ProtocolConfig) -> Self {
        let mut dirs = [DirState::default(), DirState::default()];
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
            pending: VecDeque::new(),
            tunnel: false,
            queued_at_poll: [0; 2],
            stats: SessionStats::default(),
        }
    }

    /// Runs `f` on one direction with the shared context.
    fn with_dir(&mut self, dir: Direction, f: impl FnOnce(&mut DirState, &mut Ctx<'_>)) {
        let Self {
            cfg,
            dirs,
            pending,
            tunnel,
            stats,
            ..
        } = self;
        let mut cx = Ctx {
            cfg,
            stats,
            pending,
            tunnel,
        };
        if let Some(ds) = dirs.get_mut(dir.index()) {
            f(ds, &mut cx);
        }
        self.sync_kinds();
    }

    /// With an unknown role, the first classified direction decides the other.
    fn sync_kinds(&mut self) {
        let [e, i] = &mut self.dirs;
        match (e.kind, i.kind) {
            (Some(k), None) => i.kind = Some(k.opposite()),
            (None, Some(k)) => e.kind = Some(k.opposite()),
            _ => {}
        }
    }

    fn advance_all(&mut self, flush: bool) {
        // Requests first: a response's framing may depend on its request's method.
        let order = match self.request_dir() {
            Some(Direction::Egress) | None => [Direction::Egress, Direction::Ingress],
            Some(Direction::Ingress) => [Direction::Ingress, Direction::Egress],
        };
        for d in order {
            self.with_dir(d, |ds, cx| ds.advance(cx, flush));
        }
    }

    /// The direction carrying requests, once known.
    fn request_dir(&self) -> Option<Direction> {
        match self.dirs.first().and_then(|d| d.kind) {
            Some(MessageKind::Request) => Some(Direction::Egress),
            Some(MessageKind::Response) => Some(Direction::Ingress),
            None => None,
        }
    }

    /// The role records carry: the session's, or inferred from the traffic when unknown.
    fn record_role(&self, req_dir: Direction) -> TraceRole {
        match self.role {
            TraceRole::Unknown => TraceRole::infer(req_dir, MessageKind::Request),
            r => r,
        }
    }

    /// Pairs queued requests with queued responses, in order. `eager` (between polls): stop at a
    /// response after a gap, whose request may be a later one not queued yet.
    fn stitch(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter, eager: bool) {
        let Some(req_dir) = self.request_dir() else { return };
        let role = self.record_role(req_dir);
        let mut writer = out.as_any_mut().downcast_mut::<HttpWriter>();
        let [e, i] = &mut self.dirs;
        let (reqs, resps) = match req_dir {
            Direction::Egress => (&mut e.queue, &mut i.queue),
            Direction::Ingress => (&mut i.queue, &mut e.queue),
        };
        while let (Some(req), Some(resp)) = (reqs.front(), resps.front()) {
            if resp.start_ts < req.start_ts {
                resps.pop_front();
                self.stats.unmatched_responses += 1;
                continue;
            }
            if resp.after_gap {
                if eager {
                    break;
                }
                while reqs.get(1).is_some_and(|next| next.start_ts <= resp.start_ts) {
                    reqs.pop_front();
                    self.stats.unmatched_requests += 1;
                }
            }
            let (Some(req), Some(resp)) = (reqs.pop_front(), resps.pop_front()) else {
                break;
            };
            match writer.as_deref_mut() {
                Some(w) => {
                    write_row(w, meta, role, &self.cfg, &mut self.stats, &req, &resp);
                    self.stats.records += 1;
                }
                None => self.stats.writer_errors += 1,
            }
        }
    }

    fn expire(&mut self, now_ns: u64) {
        let expiry = self.cfg.message_expiry_ns;
        for ds in &mut self.dirs {
            while ds
                .queue
                .front()
                .is_some_and(|m| m.end_ts.saturating_add(expiry) < now_ns)
            {
                if let Some(m) = ds.queue.pop_front() {
                    match m.kind {
                        MessageKind::Request => self.stats.unmatched_requests += 1,
                        MessageKind::Response => self.stats.unmatched_responses += 1,
                    }
                }
            }
        }
    }
}

/// Writes the row of a stitched pair.
fn write_row(
    w: &mut HttpWriter,
    meta: &ConnMeta,
    role: TraceRole,
    cfg: &ProtocolConfig,
    stats: &mut SessionStats,
    req: &Message,
    resp: &Message,
) {
    let [mut req_body, mut resp_body] = w.take_body_scratch();
    let req_cut = body::render_into(
        &mut req_body,
        MessageKind::Request,
        &req.head,
        &req.body,
        cfg.max_body_bytes,
    );
    let resp_cut = body::render_into(
        &mut resp_body,
        MessageKind::Response,
        &resp.head,
        &resp.body,
        cfg.max_body_bytes,
    );
    stats.truncated += u64::from(req_cut) + u64::from(resp_cut);
    let content_type = match resp.head.content_type().map(str::trim_start) {
        Some(ct) if ct.get(..16).is_some_and(|p| p.eq_ignore_ascii_case("application/grpc")) => 2,
        Some(ct) if body::contains_ci(ct, "json") => 1,
        _ => 0,
    };
    let i64_of = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let row = HttpRow {
        meta,
        role,
        req_ts: req.start_ts,
        resp_ts: resp.end_ts,
        req: &req.head,
        resp: &resp.head,
        content_type,
        max_header_bytes: cfg.max_header_bytes,
        req_body_size: i64_of(req.body.size),
        resp_body_size: i64_of(resp.body.size),
    };
    w.append(&row, &req_body, &resp_body);
    w.put_body_scratch([req_body, resp_body]);
}

impl Session for HttpSession {
    fn feed(&mut self, dir: Direction, meta: ChunkMeta, data: &[u8]) {
        let ts_ns = meta.ts_ns;
        if self.tunnel {
            self.stats.bytes_skipped += data.len() as u64;
            return;
        }
        let max = self.cfg.max_buffer_bytes;
        let mut rest = data;
        while !rest.is_empty() {
            let held = self.dirs.get(dir.index()).map_or(0, |d| d.stream.len());
            let room = max.saturating_sub(held);
            if room == 0 {
                self.stats.bytes_dropped += rest.len() as u64;
                let lost = rest.len() as u64;
                self.with_dir(dir, |ds, cx| ds.gap(cx, lost));
                return;
            }
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.with_dir(dir, |ds, cx| {
                ds.stream.push(ts_ns, now);
                ds.advance(cx, false);
            });
            rest = later;
        }
    }

    fn gap(&mut self, dir: Direction, lost_bytes: u64) {
        self.stats.gaps += 1;
        self.stats.bytes_lost += lost_bytes;
        self.with_dir(dir, |ds, cx| ds.gap(cx, lost_bytes));
    }

    fn poll(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        self.advance_all(true);
        self.stitch(meta, out, false);
        self.expire(now_ns);
        for (at, ds) in self.queued_at_poll.iter_mut().zip(&self.dirs) {
            *at = ds.queue.len();
        }
    }

    fn close(&mut self, meta: &ConnMeta, now_ns: u64, out: &mut dyn TableWriter) {
        self.advance_all(true);
        for d in [Direction::Egress, Direction::Ingress] {
            self.with_dir(d, |ds, cx| ds.close(cx));
        }
        self.stitch(meta, out, false);
        for ds in &mut self.dirs {
            for m in ds.queue.drain(..) {
                match m.kind {
                    MessageKind::Request => self.stats.unmatched_requests += 1,
                    MessageKind::Response => self.stats.unmatched_responses += 1,
                }
            }
        }
        let _ = now_ns;
    }

    fn buffered_bytes(&self) -> usize {
        self.dirs.iter().map(DirState::held_bytes).sum()
    }

    fn stats(&self) -> SessionStats {
        self.stats
    }

    fn wants_poll(&self) -> bool {
        let half = self.cfg.max_pending_messages / 2;
        self.dirs
            .iter()
            .zip(self.queued_at_poll)
            .any(|(ds, at)| ds.queue.len() >= half && ds.queue.len() > at)
    }

    fn wants_data(&self) -> bool {
        !self.tunnel
    }

    fn stitch_ready(&mut self, meta: &ConnMeta, out: &mut dyn TableWriter) {
        if self.dirs.iter().all(|d| !d.queue.is_empty()) {
            self.stitch(meta, out, true);
        }
    }
}
