//! Robustness: arbitrary splits, gaps, garbage, oversized heads, memory bounds, random input.

mod common;

use common::*;
use seer_protocols::fuzz::{Rng, drive};
use seer_protocols::http::{Http, HttpWriter};
use seer_protocols::{ChunkMeta, Direction, ProtocolConfig, TraceRole};

const REQS: &[u8] = b"POST /a?b=c HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"k\":1}\
GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n\
HEAD /h HTTP/1.1\r\n\r\n\
PUT /cont HTTP/1.1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n2\r\nhi\r\n0\r\nT: v\r\n\r\n";
const RESPS: &[u8] = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}\
HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n\
HTTP/1.1 200 OK\r\nContent-Length: 123\r\n\r\n\
HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";

fn whole(role: TraceRole) -> Vec<seer_protocols::http::HttpRecord> {
    let (req_dir, resp_dir) = match role {
        TraceRole::Client => (Direction::Egress, Direction::Ingress),
        _ => (Direction::Ingress, Direction::Egress),
    };
    run_cfg(
        role,
        &ProtocolConfig::default(),
        &[(req_dir, 1, REQS), (resp_dir, 2, RESPS)],
        true,
    )
    .0
}

#[test]
fn one_byte_at_a_time_gives_the_same_records() {
    for role in [TraceRole::Server, TraceRole::Client, TraceRole::Unknown] {
        let expected = whole(role);
        assert_eq!(expected.len(), 4, "{role:?}: {expected:#?}");
        assert_eq!(
            strip_times(&byte_by_byte(role, REQS, RESPS)),
            strip_times(&expected),
            "{role:?}"
        );
    }
}

#[test]
fn every_split_point_gives_the_same_records() {
    let expected = strip_times(&whole(TraceRole::Server));
    for (data, dir) in [(REQS, Direction::Ingress), (RESPS, Direction::Egress)] {
        for cut in 0..=data.len() {
            let (a, b) = data.split_at(cut);
            // Requests carry earlier timestamps than responses whatever the feeding order.
            let (other, t) = if dir == Direction::Ingress {
                (RESPS, [1, 2, 3])
            } else {
                (REQS, [3, 4, 1])
            };
            let events = [(dir, t[0], a), (dir, t[1], b), (dir.opposite(), t[2], other)];
            let (rows, stats) = run_cfg(TraceRole::Server, &ProtocolConfig::default(), &events, true);
            assert_eq!(strip_times(&rows), expected, "cut at {cut} of {dir:?}");
            assert_eq!(stats.parse_errors, 0);
        }
    }
}

#[test]
fn gap_inside_a_sized_body_is_bridged() {
    let resp = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n";
    let mut s = session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = HttpWriter::new();
    s.feed(
        Direction::Ingress,
        ChunkMeta::at(1),
        b"GET / HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\n\r\n",
    );
    s.feed(Direction::Egress, ChunkMeta::at(2), resp);
    s.feed(Direction::Egress, ChunkMeta::at(3), b"abc");
    s.gap(Direction::Egress, 4);
    s.feed(Direction::Egress, ChunkMeta::at(4), b"xyz");
    s.feed(
        Direction::Egress,
        ChunkMeta::at(5),
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
    );
    s.poll(&meta(TraceRole::Server), 6, &mut w);
    let rows = w.take_rows();
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_eq!(rows[0].resp_body_size, 10);
    assert!(rows[0].resp_body.starts_with("abc"), "{}", rows[0].resp_body);
    assert_eq!(rows[1].resp_status, 404);
    assert_eq!(s.stats().gaps, 1);
    assert_eq!(s.stats().bytes_lost, 4);
}

#[test]
fn gap_in_a_head_resyncs_at_the_next_message() {
    let mut s = session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = HttpWriter::new();
    s.feed(Direction::Ingress, ChunkMeta::at(1), b"GET /lost HTTP/1.1\r\nHo");
    s.gap(Direction::Ingress, 100);
    s.feed(
        Direction::Ingress,
        ChunkMeta::at(2),
        b"e: z\r\n\r\nGET /found HTTP/1.1\r\n\r\n",
    );
    s.feed(
        Direction::Egress,
        ChunkMeta::at(3),
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    );
    s.poll(&meta(TraceRole::Server), 4, &mut w);
    let r = one(w.take_rows());
    assert_eq!(r.req_path, "/found");
}

#[test]
fn lost_response_realigns_after_the_gap() {
    // Responses to /1 and /2 are lost; the response after the gap belongs to /3.
    let mut s = session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = HttpWriter::new();
    s.feed(Direction::Ingress, ChunkMeta::at(10), b"GET /1 HTTP/1.1\r\n\r\n");
    s.gap(Direction::Egress, 80);
    s.feed(Direction::Ingress, ChunkMeta::at(20), b"GET /2 HTTP/1.1\r\n\r\n");
    s.gap(Direction::Egress, 80);
    s.feed(Direction::Ingress, ChunkMeta::at(30), b"GET /3 HTTP/1.1\r\n\r\n");
    s.feed(
        Direction::Egress,
        ChunkMeta::at(40),
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    );
    s.poll(&meta(TraceRole::Server), 50, &mut w);
    let r = one(w.take_rows());
    assert_eq!(r.req_path, "/3");
    assert_eq!(s.stats().unmatched_requests, 2);
}

#[test]
fn complete_pairs_are_stitched_between_polls() {
    let mut s = session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = HttpWriter::new();
    let m = meta(TraceRole::Server);
    s.feed(
        Direction::Ingress,
        ChunkMeta::at(10),
        b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
    );
    s.stitch_ready(&m, &mut w);
    assert_eq!(w.take_rows().len(), 0, "no response yet");
    s.feed(
        Direction::Egress,
        ChunkMeta::at(20),
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    );
    s.stitch_ready(&m, &mut w);
    let r = one(w.take_rows());
    assert_eq!((r.req_path.as_str(), r.head.latency), ("/a", 10));
    s.poll(&m, 30, &mut w);
    assert_eq!(w.take_rows().len(), 0, "/b is still unanswered");
}

#[test]
fn a_response_after_a_gap_waits_for_poll() {
    // The response after the gap answers /2, whose request event is drained after it: stitching it
    // at once would pair it with /1.
    let mut s = session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = HttpWriter::new();
    let m = meta(TraceRole::Server);
    s.feed(Direction::Ingress, ChunkMeta::at(10), b"GET /1 HTTP/1.1\r\n\r\n");
    s.gap(Direction::Egress, 80);
    s.feed(
        Direction::Egress,
        ChunkMeta::at(40),
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    );
    s.stitch_ready(&m, &mut w);
    s.feed(Direction::Ingress, ChunkMeta::at(30), b"GET /2 HTTP/1.1\r\n\r\n");
    s.stitch_ready(&m, &mut w);
    assert_eq!(w.take_rows().len(), 0, "left for poll");
    s.poll(&m, 50, &mut w);
    let r = one(w.take_rows());
    assert_eq!(r.req_path, "/2");
    assert_eq!(s.stats().unmatched_requests, 1);
}

#[test]
fn garbage_before_and_between_messages() {
    let reqs =
        b"\x00\x01binary junk\r\nmore junk\nGET /ok HTTP/1.1\r\n\r\nnot http at all\r\nGET /ok2 HTTP/1.1\r\n\r\n";
    let resps = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    let (rows, stats) = run(
        TraceRole::Server,
        &[(Direction::Ingress, 1, reqs), (Direction::Egress, 2, resps)],
    );
    let paths: Vec<_> = rows.iter().map(|r| r.req_path.as_str()).collect();
    assert_eq!(paths, ["/ok", "/ok2"]);
    assert!(stats.parse_errors >= 2);
    assert!(stats.bytes_skipped > 0);
}

#[test]
fn invalid_content_length_is_a_parse_error() {
    let reqs = b"POST /x HTTP/1.1\r\nContent-Length: abc\r\n\r\nGET /y HTTP/1.1\r\n\r\n";
    let (rows, stats) = run(
        TraceRole::Server,
        &[
            (Direction::Ingress, 1, reqs),
            (Direction::Egress, 2, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ],
    );
    assert_eq!(one(rows).req_path, "/y");
    assert!(stats.parse_errors >= 1);
}

#[test]
fn oversized_heads_are_rejected_and_bounded() {
    let cfg = ProtocolConfig {
        max_head_bytes: 1024,
        ..ProtocolConfig::default()
    };
    let mut s = session(TraceRole::Server, &cfg);
    let mut w = HttpWriter::new();
    s.feed(Direction::Ingress, ChunkMeta::at(1), b"GET /big HTTP/1.1\r\n");
    for i in 0..100 {
        s.feed(
            Direction::Ingress,
            ChunkMeta::at(2 + i),
            format!("X-Filler-{i}: {}\r\n", "v".repeat(40)).as_bytes(),
        );
        assert!(s.buffered_bytes() < 16 * 1024, "{}", s.buffered_bytes());
    }
    s.feed(
        Direction::Ingress,
        ChunkMeta::at(200),
        b"\r\nGET /small HTTP/1.1\r\n\r\n",
    );
    s.feed(
        Direction::Egress,
        ChunkMeta::at(300),
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    );
    s.poll(&meta(TraceRole::Server), 400, &mut w);
    assert_eq!(one(w.take_rows()).req_path, "/small");
    assert!(s.stats().parse_errors >= 1);
}

#[test]
fn header_json_is_capped_and_valid() {
    let mut req = b"GET /h HTTP/1.1\r\n".to_vec();
    for i in 0..100 {
        req.extend_from_slice(format!("X-H{i}: {}\r\n", "v".repeat(100)).as_bytes());
    }
    req.extend_from_slice(b"\r\n");
    let r = one(server(&req, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert!(r.req_headers.len() <= 8192, "{}", r.req_headers.len());
    let v: serde_json::Value = serde_json::from_str(&r.req_headers).expect("valid JSON");
    assert!(v.get("[TRUNCATED]").is_some());
}

#[test]
fn large_bodies_do_not_grow_memory() {
    let cfg = ProtocolConfig::default();
    let mut s = session(TraceRole::Server, &cfg);
    let mut w = HttpWriter::new();
    let size = 50 * 1024 * 1024;
    s.feed(Direction::Ingress, ChunkMeta::at(1), b"GET /big HTTP/1.1\r\n\r\n");
    s.feed(
        Direction::Egress,
        ChunkMeta::at(2),
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {size}\r\n\r\n").as_bytes(),
    );
    let chunk = vec![b'a'; 30 * 1024];
    let mut sent = 0;
    while sent < size {
        let n = chunk.len().min(size - sent);
        s.feed(Direction::Egress, ChunkMeta::at(3), &chunk[..n]);
        sent += n;
        assert!(s.buffered_bytes() < 64 * 1024, "{}", s.buffered_bytes());
    }
    // A single feed larger than the buffer bound is parsed in slices, not dropped.
    s.feed(Direction::Ingress, ChunkMeta::at(4), b"GET /big2 HTTP/1.1\r\n\r\n");
    let mut one_shot = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        3 << 20
    )
    .into_bytes();
    one_shot.resize(one_shot.len() + (3 << 20), b'b');
    s.feed(Direction::Egress, ChunkMeta::at(5), &one_shot);
    s.poll(&meta(TraceRole::Server), 6, &mut w);
    let rows = w.take_rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].resp_body_size, size as i64);
    assert_eq!(rows[1].resp_body_size, 3 << 20);
    assert_eq!(s.stats().bytes_dropped, 0);
}

#[test]
fn unterminated_garbage_is_dropped_within_the_buffer_bound() {
    let cfg = ProtocolConfig {
        max_buffer_bytes: 4096,
        max_head_bytes: 2048,
        ..ProtocolConfig::default()
    };
    let mut s = session(TraceRole::Unknown, &cfg);
    for i in 0..1000u64 {
        s.feed(Direction::Ingress, ChunkMeta::at(i), b"GET /never-ending-");
        assert!(s.buffered_bytes() <= 8192, "{}", s.buffered_bytes());
    }
    assert!(s.stats().parse_errors >= 1);
}

#[test]
fn pending_queue_is_bounded() {
    let cfg = ProtocolConfig {
        max_pending_messages: 8,
        ..ProtocolConfig::default()
    };
    let mut s = session(TraceRole::Server, &cfg);
    for i in 0..100u64 {
        s.feed(Direction::Ingress, ChunkMeta::at(i), b"GET / HTTP/1.1\r\n\r\n");
    }
    assert_eq!(s.stats().unmatched_requests, 92);
    assert!(s.buffered_bytes() < 16 * 1024);
}

#[test]
fn random_and_truncated_inputs_never_panic() {
    let mut rng = Rng::new(42);
    let samples: [&[u8]; 2] = [REQS, RESPS];
    let alphabet = b"GETPOSHTP/1.0 \r\n:;0123456789abcdefXContent-LengthTransfer-Encodingchunked\x00\xff";
    let mut total_rows = 0;
    for i in 0..4000 {
        let mut data: Vec<u8> = match i % 4 {
            0 => (0..rng.below(512)).map(|_| rng.below(256) as u8).collect(),
            1 => (0..rng.below(512))
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect(),
            _ => {
                let mut d = [REQS, RESPS].concat();
                d.truncate(rng.below(d.len() as u64 + 1) as usize);
                d
            }
        };
        if i % 4 == 3 {
            // Mutate a few bytes of a valid exchange.
            for _ in 0..1 + rng.below(4) {
                if !data.is_empty() {
                    let at = rng.below(data.len() as u64) as usize;
                    data[at] = rng.below(256) as u8;
                }
            }
            data.extend_from_slice(samples[i % 2]);
        }
        let report = drive(&Http, &data).unwrap_or_else(|e| panic!("input {i}: {e}\n{data:?}"));
        total_rows += report.rows;
    }
    assert!(
        total_rows > 100,
        "the driver should stitch valid prefixes too ({total_rows})"
    );
}
