//! Helpers shared by the integration tests.
#![allow(dead_code)]

use seer_protocols::http::{Http, HttpRecord, HttpWriter};
use seer_protocols::{ChunkMeta, ConnMeta, Direction, Protocol, ProtocolConfig, Session, SessionStats, TraceRole};

/// One event: direction, timestamp, bytes.
pub type Event<'a> = (Direction, u64, &'a [u8]);

pub fn meta(role: TraceRole) -> ConnMeta {
    seer_protocols::fuzz::test_meta(role)
}

pub fn session(role: TraceRole, cfg: &ProtocolConfig) -> Box<dyn Session> {
    Http.new_session(role, cfg)
}

/// Feeds events in order (stitching what is complete after each, as the tracer does), polls,
/// optionally closes; returns the rows and counters.
pub fn run_cfg(
    role: TraceRole,
    cfg: &ProtocolConfig,
    events: &[Event<'_>],
    close: bool,
) -> (Vec<HttpRecord>, SessionStats) {
    let mut s = session(role, cfg);
    let mut w = HttpWriter::new();
    let m = meta(role);
    let mut last = 0;
    for &(dir, ts, data) in events {
        s.feed(dir, ChunkMeta::at(ts), data);
        s.stitch_ready(&m, &mut w);
        last = last.max(ts);
    }
    s.poll(&m, last, &mut w);
    if close {
        s.close(&m, last, &mut w);
    }
    (w.take_rows(), s.stats())
}

pub fn run(role: TraceRole, events: &[Event<'_>]) -> (Vec<HttpRecord>, SessionStats) {
    run_cfg(role, &ProtocolConfig::default(), events, false)
}

/// Server side: `req` read at ts 100, `resp` written at ts 250.
pub fn server(req: &[u8], resp: &[u8]) -> Vec<HttpRecord> {
    run(
        TraceRole::Server,
        &[(Direction::Ingress, 100, req), (Direction::Egress, 250, resp)],
    )
    .0
}

/// Exactly one row.
pub fn one(rows: Vec<HttpRecord>) -> HttpRecord {
    assert_eq!(rows.len(), 1, "{rows:#?}");
    rows.into_iter().next().expect("one row")
}

/// Feeds `req`/`resp` one byte per event (alternating directions as a real exchange would), with
/// strictly increasing timestamps, then polls and closes.
pub fn byte_by_byte(role: TraceRole, req: &[u8], resp: &[u8]) -> Vec<HttpRecord> {
    let (req_dir, resp_dir) = match role {
        TraceRole::Client => (Direction::Egress, Direction::Ingress),
        _ => (Direction::Ingress, Direction::Egress),
    };
    let mut s = session(role, &ProtocolConfig::default());
    let mut w = HttpWriter::new();
    let m = meta(role);
    let mut ts = 0;
    for b in req.chunks(1) {
        ts += 1;
        s.feed(req_dir, ChunkMeta::at(ts), b);
    }
    for b in resp.chunks(1) {
        ts += 1;
        s.feed(resp_dir, ChunkMeta::at(ts), b);
        s.stitch_ready(&m, &mut w);
    }
    s.poll(&m, ts, &mut w);
    s.close(&m, ts, &mut w);
    w.take_rows()
}

/// Compares rows ignoring time-derived fields.
pub fn strip_times(rows: &[HttpRecord]) -> Vec<HttpRecord> {
    rows.iter()
        .map(|r| {
            let mut r = r.clone();
            (r.head.time_ns, r.head.latency) = (0, 0);
            r
        })
        .collect()
}
