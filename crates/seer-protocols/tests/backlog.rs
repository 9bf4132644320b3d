//! One connection exchanging more messages than `max_pending_messages` between two polls (a fast
//! client, or a tracer that falls behind and drains a long backlog at once): every exchange must
//! still become exactly one record, for every protocol. Sessions stitch only in `poll`; the tracer
//! polls between flushes when [`Session::wants_poll`] asks, and this test feeds the same way.
//!
//! Before `wants_poll`, the PostgreSQL session recorded 1024 of 3000 statements (the overhead
//! harness saw ~30% of `pgbench -S` statements): requests beyond the bound pushed the oldest out
//! unanswered, and their answers were then dropped as orphans.

use seer_protocols::dns::Dns;
use seer_protocols::http::Http;
use seer_protocols::mysql::Mysql;
use seer_protocols::pgsql::Pgsql;
use seer_protocols::redis::Redis;
use seer_protocols::{ChunkMeta, Direction, Protocol, ProtocolConfig, SessionStats, TraceRole};

const IN: Direction = Direction::Ingress;
const OUT: Direction = Direction::Egress;
/// Exchanges per connection between two flushes: almost three times the default bound (1024).
const N: u64 = 3000;

/// Feeds exchange `i` (request, then answer) for `i < N` as one drain, polling only when the
/// session asks, then flushes; returns (records, counters).
fn backlog_then_flush(proto: &dyn Protocol, exchange: impl Fn(u64) -> (Vec<u8>, Vec<u8>)) -> (usize, SessionStats) {
    let mut s = proto.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = proto.new_writer();
    let meta = seer_protocols::fuzz::test_meta(TraceRole::Server);
    for i in 0..N {
        let (req, resp) = exchange(i);
        for (dir, ts, data) in [(IN, 10 * i + 1, req), (OUT, 10 * i + 2, resp)] {
            s.feed(dir, ChunkMeta::at(ts), &data);
            if s.wants_poll() {
                s.poll(&meta, ts, w.as_mut());
            }
        }
    }
    s.poll(&meta, 10 * N, w.as_mut());
    (w.len(), s.stats())
}

fn assert_all_recorded(proto: &dyn Protocol, exchange: impl Fn(u64) -> (Vec<u8>, Vec<u8>)) {
    let (rows, st) = backlog_then_flush(proto, exchange);
    assert_eq!(rows as u64, N, "{}: {st:?}", proto.name());
    assert_eq!(
        (st.unmatched_requests, st.unmatched_responses, st.parse_errors),
        (0, 0, 0),
        "{}",
        proto.name()
    );
}

fn pg(tag: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    v.extend_from_slice(&(payload.len() as u32 + 4).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// `pgbench -S` in the simple protocol: Query, then RowDescription, DataRow, CommandComplete,
/// ReadyForQuery.
fn pgbench_select(i: u64) -> (Vec<u8>, Vec<u8>) {
    let q = format!("SELECT abalance FROM pgbench_accounts WHERE aid = {i};\0");
    let mut desc = 1i16.to_be_bytes().to_vec();
    desc.extend_from_slice(b"abalance\0");
    desc.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0, 4, 255, 255, 255, 255, 0, 0]);
    let mut row = 1i16.to_be_bytes().to_vec();
    row.extend_from_slice(&1i32.to_be_bytes());
    row.push(b'0');
    let mut answer = pg(b'T', &desc);
    answer.extend(pg(b'D', &row));
    answer.extend(pg(b'C', b"SELECT 1\0"));
    answer.extend(pg(b'Z', b"I"));
    (pg(b'Q', q.as_bytes()), answer)
}

#[test]
fn pgsql_simple_queries_beyond_the_queue_bound_are_all_recorded() {
    assert_all_recorded(&Pgsql, pgbench_select);
}

/// `pgbench -M extended`: Parse, Bind, Describe, Execute, Sync per statement (four records).
#[test]
fn pgsql_extended_queries_beyond_the_queue_bound_are_all_recorded() {
    let q = b"\0SELECT abalance FROM pgbench_accounts WHERE aid = $1\0\0\0";
    let (s, st) = backlog_then_flush(&Pgsql, |i| {
        let mut bind = b"\0\0\0\0\0\x01".to_vec();
        let v = i.to_string();
        bind.extend_from_slice(&(v.len() as i32).to_be_bytes());
        bind.extend_from_slice(v.as_bytes());
        bind.extend_from_slice(b"\0\0");
        let mut req = pg(b'P', q);
        req.extend(pg(b'B', &bind));
        req.extend(pg(b'D', b"P\0"));
        req.extend(pg(b'E', b"\0\0\0\0\0"));
        req.extend(pg(b'S', b""));
        let (_, select) = pgbench_select(i);
        let mut answer = pg(b'1', b"");
        answer.extend(pg(b'2', b""));
        answer.extend(select);
        (req, answer)
    });
    assert_eq!(s as u64, 4 * N, "{st:?}");
    assert_eq!(
        (st.unmatched_requests, st.unmatched_responses, st.parse_errors),
        (0, 0, 0)
    );
}

fn my(seq: u8, payload: &[u8]) -> Vec<u8> {
    let n = payload.len();
    let mut v = vec![n as u8, (n >> 8) as u8, (n >> 16) as u8, seq];
    v.extend_from_slice(payload);
    v
}

#[test]
fn mysql_commands_beyond_the_queue_bound_are_all_recorded() {
    assert_all_recorded(&Mysql, |i| {
        let q = format!("\x03UPDATE t SET v = {i}");
        (my(0, q.as_bytes()), my(1, b"\0\x01\0\x02\0\0\0"))
    });
}

#[test]
fn redis_commands_beyond_the_queue_bound_are_all_recorded() {
    assert_all_recorded(&Redis, |i| {
        let key = format!("key:{i}");
        let req = format!("*2\r\n$3\r\nGET\r\n${}\r\n{key}\r\n", key.len());
        (req.into_bytes(), b"$1\r\nv\r\n".to_vec())
    });
}

#[test]
fn http_requests_beyond_the_queue_bound_are_all_recorded() {
    assert_all_recorded(&Http, |i| {
        let req = format!("GET /item/{i} HTTP/1.1\r\nHost: x\r\n\r\n");
        (
            req.into_bytes(),
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".to_vec(),
        )
    });
}

#[test]
fn dns_queries_beyond_the_queue_bound_are_all_recorded() {
    assert_all_recorded(&Dns, |i| {
        let question = b"\x07example\x03com\0\0\x01\0\x01";
        let id = (i as u16).to_be_bytes();
        let mut query = [&id[..], b"\x01\0\0\x01\0\0\0\0\0\0"].concat();
        query.extend_from_slice(question);
        let mut answer = [&id[..], b"\x81\x80\0\x01\0\0\0\0\0\0"].concat();
        answer.extend_from_slice(question);
        (query, answer)
    });
}
