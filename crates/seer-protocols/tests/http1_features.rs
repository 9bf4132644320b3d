//! HTTP/1.x features, one test each: framing, stitching, display rules, columns.

mod common;

use common::*;
use seer_protocols::http::{REMOVED_NON_TEXT, REMOVED_UNKNOWN};
use seer_protocols::{ChunkMeta, Direction, ProtocolConfig, TraceRole};

const GET: &[u8] = b"GET /api/items?id=7&x=y HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n";
const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";

#[test]
fn simple_exchange_fills_every_column() {
    let r = one(server(GET, OK));
    assert_eq!(r.req_method, "GET");
    assert_eq!(r.req_path, "/api/items?id=7&x=y");
    assert_eq!(r.resp_status, 200);
    assert_eq!(r.resp_message, "OK");
    assert_eq!(r.resp_body, "hello");
    assert_eq!(r.resp_body_size, 5);
    assert_eq!(r.req_body, "");
    assert_eq!(r.req_body_size, 0);
    assert_eq!((r.major_version, r.minor_version), (1, 1));
    assert_eq!(r.content_type, 0);
    assert_eq!(r.head.trace_role, 2);
    assert_eq!(r.head.time_ns, 250);
    assert_eq!(r.head.latency, 150);
    assert_eq!((r.head.local_port, r.head.remote_port), (8080, 50000));
    assert_eq!(r.req_headers, r#"{"Accept":"*/*","Host":"localhost"}"#);
    assert_eq!(r.resp_headers, r#"{"Content-Length":"5","Content-Type":"text/plain"}"#);
}

#[test]
fn client_role_uses_egress_requests() {
    let (rows, _) = run(
        TraceRole::Client,
        &[(Direction::Egress, 10, GET), (Direction::Ingress, 30, OK)],
    );
    let r = one(rows);
    assert_eq!(r.head.trace_role, 1);
    assert_eq!(r.head.latency, 20);
}

#[test]
fn unknown_role_is_inferred_from_traffic() {
    let (rows, _) = run(
        TraceRole::Unknown,
        &[(Direction::Ingress, 10, GET), (Direction::Egress, 30, OK)],
    );
    assert_eq!(one(rows).head.trace_role, 2, "requests read = server");
    let (rows, _) = run(
        TraceRole::Unknown,
        &[(Direction::Ingress, 30, OK), (Direction::Egress, 10, GET)],
    );
    assert_eq!(one(rows).head.trace_role, 1, "responses read = client");
}

#[test]
fn latency_spans_request_start_to_response_end() {
    let (rows, _) = run(
        TraceRole::Server,
        &[
            (Direction::Ingress, 100, &GET[..10]),
            (Direction::Ingress, 110, &GET[10..]),
            (Direction::Egress, 300, &OK[..20]),
            (Direction::Egress, 340, &OK[20..]),
        ],
    );
    let r = one(rows);
    assert_eq!(r.head.time_ns, 340);
    assert_eq!(r.head.latency, 240);
}

#[test]
fn keep_alive_sequence() {
    let mut events = Vec::new();
    let reqs: Vec<String> = (0..5)
        .map(|i| format!("GET /k{i} HTTP/1.1\r\nHost: a\r\n\r\n"))
        .collect();
    let resps: Vec<String> = (0..5)
        .map(|i| {
            format!("HTTP/1.1 {} OK\r\nContent-Type", 200 + 10 * i)
                + &format!(": text/plain\r\nContent-Length: 2\r\n\r\nr{i}")
        })
        .collect();
    for i in 0..5 {
        events.push((Direction::Ingress, 100 * i as u64 + 1, reqs[i].as_bytes()));
        events.push((Direction::Egress, 100 * i as u64 + 50, resps[i].as_bytes()));
    }
    let (rows, stats) = run(TraceRole::Server, &events);
    assert_eq!(rows.len(), 5);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.req_path, format!("/k{i}"));
        assert_eq!(r.resp_status, 200 + 10 * i as i64);
        assert_eq!(r.resp_body, format!("r{i}"));
        assert_eq!(r.head.latency, 49);
    }
    assert_eq!(stats.records, 5);
    assert_eq!(stats.frames_parsed, 10);
}

#[test]
fn pipelined_requests_pair_in_order() {
    let reqs = b"GET /a HTTP/1.1\r\n\r\nHEAD /b HTTP/1.1\r\n\r\nDELETE /c HTTP/1.1\r\n\r\n";
    let resps = b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Type: text/plain\r\n\r\nA\
HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n\
HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    let rows = server(reqs, resps);
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.req_method.as_str(), r.req_path.as_str(), r.resp_status))
        .collect();
    assert_eq!(got, [("GET", "/a", 200), ("HEAD", "/b", 200), ("DELETE", "/c", 404)]);
    assert_eq!(rows[0].resp_body, "A");
    assert_eq!(
        rows[1].resp_body_size, 0,
        "HEAD response has no body despite Content-Length"
    );
}

#[test]
fn head_response_waits_for_its_request_when_fed_first() {
    // The response bytes arrive before the request is fed: the parser must not eat the next
    // response as the HEAD response's body.
    let (rows, _) = run(
        TraceRole::Server,
        &[
            (Direction::Egress, 20, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"),
            (Direction::Ingress, 10, b"HEAD /h HTTP/1.1\r\n\r\n"),
        ],
    );
    let r = one(rows);
    assert_eq!((r.req_method.as_str(), r.resp_body_size), ("HEAD", 0));
}

#[test]
fn chunked_bodies_with_trailers() {
    let req =
        b"POST /upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    let resp = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
5;ext=1\r\n{\"a\":\r\n2\r\n1}\r\n0\r\nX-Checksum: 42\r\n\r\n";
    let r = one(server(req, resp));
    assert_eq!((r.req_body.as_str(), r.req_body_size), ("abc", 3));
    assert_eq!((r.resp_body.as_str(), r.resp_body_size), ("{\"a\":1}", 7));
    assert_eq!(r.content_type, 1);
    assert!(r.resp_headers.contains(r#""X-Checksum":"42""#), "{}", r.resp_headers);
}

#[test]
fn bodiless_statuses() {
    for status in ["204 No Content", "304 Not Modified"] {
        let resp =
            format!("HTTP/1.1 {status}\r\nContent-Length: 99\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        let reqs = b"GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n";
        let rows = server(reqs, resp.as_bytes());
        assert_eq!(rows.len(), 2, "{status}");
        assert_eq!(rows[0].resp_body_size, 0);
        assert_eq!(rows[1].resp_status, 200);
    }
}

#[test]
fn interim_100_continue_is_skipped() {
    let req = b"PUT /f HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\nContent-Type: text/plain\r\n\r\ndata";
    let resp = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
    let (rows, stats) = run(
        TraceRole::Server,
        &[(Direction::Ingress, 1, req), (Direction::Egress, 2, resp)],
    );
    let r = one(rows);
    assert_eq!((r.resp_status, r.req_body.as_str()), (201, "data"));
    assert_eq!(stats.interim_responses, 2);
}

#[test]
fn http10_body_ends_at_close() {
    let req = b"GET /old HTTP/1.0\r\n\r\n";
    let resp = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>until close</html>";
    let (rows, _) = run(
        TraceRole::Server,
        &[(Direction::Ingress, 1, req), (Direction::Egress, 2, resp)],
    );
    assert!(rows.is_empty(), "not complete before close");
    let (rows, _) = run_cfg(
        TraceRole::Server,
        &ProtocolConfig::default(),
        &[
            (Direction::Ingress, 1, req),
            (Direction::Egress, 2, &resp[..40]),
            (Direction::Egress, 9, &resp[40..]),
        ],
        true,
    );
    let r = one(rows);
    assert_eq!(r.resp_body, "<html>until close</html>");
    assert_eq!((r.minor_version, r.head.time_ns, r.head.latency), (0, 9, 8));
}

#[test]
fn any_method_token() {
    for method in [
        "M-SEARCH",
        "PURGE",
        "BREW",
        "PROPFIND",
        "VERSION-CONTROL",
        "LINK",
        "QUERY",
    ] {
        let req = format!("{method} /x HTTP/1.1\r\nHost: h\r\n\r\n");
        let r = one(server(req.as_bytes(), b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assert_eq!(r.req_method, method);
    }
}

#[test]
fn absolute_form_and_asterisk_targets_kept_as_sent() {
    let reqs = b"GET http://example.com/p?q=1 HTTP/1.1\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\n";
    let resps = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    let rows = server(reqs, resps);
    assert_eq!(rows[0].req_path, "http://example.com/p?q=1");
    assert_eq!(rows[1].req_path, "*");
}

#[test]
fn body_truncation_keeps_original_size() {
    let body = "x".repeat(5000);
    let resp = format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n{body}");
    let req = format!("POST /p HTTP/1.1\r\nContent-Length: 5000\r\n\r\n{body}");
    let (rows, stats) = run(
        TraceRole::Server,
        &[
            (Direction::Ingress, 1, req.as_bytes()),
            (Direction::Egress, 2, resp.as_bytes()),
        ],
    );
    let r = one(rows);
    assert_eq!(r.resp_body_size, 5000);
    assert_eq!(r.req_body_size, 5000);
    assert_eq!(r.resp_body, format!("{}... [TRUNCATED]", "x".repeat(512)));
    assert_eq!(r.req_body, r.resp_body, "requests without Content-Type are shown raw");
    assert_eq!(stats.truncated, 2);
    let cfg = ProtocolConfig {
        max_body_bytes: 16,
        ..ProtocolConfig::default()
    };
    let (rows, _) = run_cfg(
        TraceRole::Server,
        &cfg,
        &[
            (Direction::Ingress, 1, req.as_bytes()),
            (Direction::Egress, 2, resp.as_bytes()),
        ],
        false,
    );
    assert_eq!(one(rows).resp_body, format!("{}... [TRUNCATED]", "x".repeat(16)));
}

#[test]
fn pixie_body_rules() {
    let req = b"GET / HTTP/1.1\r\n\r\n";
    let r = one(server(req, b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
    assert_eq!(r.resp_body, REMOVED_UNKNOWN);
    assert_eq!(r.resp_body_size, 3);
    let r = one(server(
        req,
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 3\r\n\r\n\x89PN",
    ));
    assert_eq!(r.resp_body, REMOVED_NON_TEXT);
    let form = b"POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 25\r\n\r\nuser=a+b&pass=%21%40x%3D1";
    let r = one(server(
        form,
        b"HTTP/1.1 302 Found\r\nLocation: /\r\nContent-Length: 0\r\n\r\n",
    ));
    assert_eq!(r.req_body, "user=a b&pass=!@x=1");
    assert_eq!(r.req_body_size, 25);
    assert_eq!(r.resp_body, "");
}

#[test]
fn gzip_bodies_are_inflated() {
    // "hello gzip world\n" gzipped (mtime 0).
    let gz: &[u8] = &[
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x48, 0xaf,
        0xca, 0x2c, 0x50, 0x28, 0xcf, 0x2f, 0xca, 0x49, 0xe1, 0x02, 0x00, 0x3e, 0x56, 0x00, 0xe8, 0x11, 0x00, 0x00,
        0x00,
    ];
    let mut resp = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        gz.len()
    )
    .into_bytes();
    resp.extend_from_slice(gz);
    let r = one(server(GET, &resp));
    assert_eq!(r.resp_body, "hello gzip world\n");
    assert_eq!(r.resp_body_size, gz.len() as i64, "size is the wire (compressed) size");
    assert_eq!(r.content_type, 1);
}

#[test]
fn repeated_headers_are_repeated_members() {
    let resp = b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n";
    let r = one(server(GET, resp));
    assert_eq!(
        r.resp_headers,
        r#"{"Content-Length":"0","Set-Cookie":"a=1","set-cookie":"b=2"}"#
    );
}

#[test]
fn grpc_content_type() {
    let resp = b"HTTP/1.1 200 OK\r\nContent-Type: application/grpc+json\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(one(server(GET, resp)).content_type, 2);
}

#[test]
fn upgrade_stops_parsing() {
    let req = b"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    let resp = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello";
    let mut s = session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = seer_protocols::http::HttpWriter::new();
    s.feed(Direction::Ingress, ChunkMeta::at(1), req);
    s.feed(Direction::Egress, ChunkMeta::at(2), resp);
    s.feed(Direction::Ingress, ChunkMeta::at(3), b"\x81\x85garbage");
    s.poll(&meta(TraceRole::Server), 3, &mut w);
    let r = one(w.take_rows());
    assert_eq!(r.resp_status, 101);
    assert!(!s.wants_data());
    assert_eq!(s.stats().parse_errors, 0);
    assert!(s.stats().bytes_skipped >= 7);
}

#[test]
fn orphan_response_and_expiry_are_counted() {
    let mut s = session(
        TraceRole::Server,
        &ProtocolConfig {
            message_expiry_ns: 1000,
            ..ProtocolConfig::default()
        },
    );
    let mut w = seer_protocols::http::HttpWriter::new();
    let m = meta(TraceRole::Server);
    s.feed(Direction::Egress, ChunkMeta::at(5), OK);
    s.feed(Direction::Ingress, ChunkMeta::at(10), GET);
    s.poll(&m, 20, &mut w);
    assert_eq!(seer_protocols::TableWriter::len(&w), 0);
    assert_eq!(
        s.stats().unmatched_responses,
        1,
        "a response older than every request is an orphan"
    );
    s.poll(&m, 5000, &mut w);
    assert_eq!(s.stats().unmatched_requests, 1, "expired");
    assert_eq!(s.buffered_bytes(), 0);
}

#[test]
fn close_drops_unanswered_requests() {
    let (rows, stats) = run_cfg(
        TraceRole::Server,
        &ProtocolConfig::default(),
        &[(Direction::Ingress, 1, GET)],
        true,
    );
    assert!(rows.is_empty());
    assert_eq!(stats.unmatched_requests, 1);
}

#[test]
fn wrong_writer_is_counted_not_a_panic() {
    struct Other;
    impl seer_protocols::TableWriter for Other {
        fn len(&self) -> usize {
            0
        }
        fn finish(&mut self) -> Result<arrow::record_batch::RecordBatch, seer_protocols::ProtocolError> {
            Ok(arrow::record_batch::RecordBatch::new_empty(
                seer_types::tables::HTTP_EVENTS.arrow_schema(),
            ))
        }
        fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
            self
        }
    }
    let mut s = session(TraceRole::Server, &ProtocolConfig::default());
    s.feed(Direction::Ingress, ChunkMeta::at(1), GET);
    s.feed(Direction::Egress, ChunkMeta::at(2), OK);
    s.poll(&meta(TraceRole::Server), 3, &mut Other);
    assert_eq!(s.stats().writer_errors, 1);
    assert_eq!(s.stats().records, 0);
}

#[test]
fn writer_builds_the_exact_schema() {
    use seer_protocols::TableWriter;
    let mut s = session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = seer_protocols::http::HttpWriter::new();
    for i in 0..3u64 {
        s.feed(Direction::Ingress, ChunkMeta::at(i * 10 + 1), GET);
        s.feed(Direction::Egress, ChunkMeta::at(i * 10 + 2), OK);
    }
    s.poll(&meta(TraceRole::Server), 100, &mut w);
    let batch = w.finish().expect("batch");
    assert_eq!(batch.schema(), seer_types::tables::HTTP_EVENTS.arrow_schema());
    assert_eq!(batch.num_rows(), 3);
    assert_eq!(w.len(), 0, "finish resets");
    let upid = batch.column_by_name("upid").expect("upid");
    let upid = upid
        .as_any()
        .downcast_ref::<arrow::array::FixedSizeBinaryArray>()
        .expect("fsb");
    assert_eq!(
        seer_types::Upid::from_bytes(upid.value(0)),
        Some(meta(TraceRole::Server).upid)
    );
    let empty = w.finish().expect("empty batch");
    assert_eq!(empty.num_rows(), 0);
}

#[test]
fn connect_tunnel_stops_parsing() {
    let req = b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n";
    let resp = b"HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03\x03\x00\x02hi";
    let (rows, stats) = run(
        TraceRole::Server,
        &[
            (Direction::Ingress, 1, req),
            (Direction::Egress, 2, resp),
            (Direction::Ingress, 3, b"\x16\x03\x01\x00\x05hello"),
        ],
    );
    let r = one(rows);
    assert_eq!(
        (r.req_method.as_str(), r.req_path.as_str(), r.resp_status),
        ("CONNECT", "example.com:443", 200)
    );
    assert_eq!(stats.parse_errors, 0, "tunnelled bytes are skipped, not parsed");
    assert_eq!(stats.bytes_skipped, 7 + 10);
}

#[test]
fn unknown_role_skips_leading_garbage() {
    let (rows, stats) = run(
        TraceRole::Unknown,
        &[
            (Direction::Egress, 1, b"\x00\x00garbage\r\n"),
            (Direction::Egress, 2, b"GET /late HTTP/1.1\r\n\r\n"),
            (Direction::Ingress, 3, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ],
    );
    let r = one(rows);
    assert_eq!((r.req_path.as_str(), r.head.trace_role), ("/late", 1));
    assert!(stats.parse_errors >= 1);
}
