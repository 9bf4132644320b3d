//! Parse + stitch throughput of the HTTP/1.x session, rows built into Arrow batches included.
//!
//! `http1/small_get_200`: 1000 keep-alive GET → 200 pairs with a 13-byte JSON body.
//! `http1/body_4k`: 1000 POST (4 KiB JSON body) → 200 (4 KiB text body) pairs.
//! Each message is one event (as the tracer delivers them); the session is polled every 64 pairs.
//! Throughput is reported as both records/s and bytes/s (`bench/results/criterion.json`).
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use seer_protocols::fuzz::test_meta;
use seer_protocols::http::{Http, HttpWriter};
use seer_protocols::{ChunkMeta, Direction, Protocol, ProtocolConfig, TableWriter, TraceRole};

const PAIRS: usize = 1000;

fn small() -> (Vec<u8>, Vec<u8>) {
    let req = b"GET /api/v1/items?id=42 HTTP/1.1\r\nHost: svc.local:8080\r\nUser-Agent: wrk/4.2\r\nAccept: */*\r\n\r\n"
        .to_vec();
    let body = br#"{"ok":true}  "#;
    let mut resp = format!(
        "HTTP/1.1 200 OK\r\nServer: nginx/1.26\r\nDate: Sun, 29 Nov 2026 16:00:00 GMT\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n",
        body.len()
    )
    .into_bytes();
    resp.extend_from_slice(body);
    (req, resp)
}

fn big() -> (Vec<u8>, Vec<u8>) {
    let body: Vec<u8> = (0..4096u32)
        .map(|i| b"abcdefghijklmnopqrstuvwxyz012345"[(i % 32) as usize])
        .collect();
    let mut req = format!(
        "POST /upload HTTP/1.1\r\nHost: svc.local\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(&body);
    let mut resp = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    resp.extend_from_slice(&body);
    (req, resp)
}

fn run(req: &[u8], resp: &[u8]) -> usize {
    let cfg = ProtocolConfig::default();
    let meta = test_meta(TraceRole::Server);
    let mut s = Http.new_session(TraceRole::Server, &cfg);
    let mut w = HttpWriter::new();
    let mut rows = 0;
    for i in 0..PAIRS as u64 {
        s.feed(Direction::Ingress, ChunkMeta::at(i * 1000), req);
        s.feed(Direction::Egress, ChunkMeta::at(i * 1000 + 500), resp);
        if i % 64 == 63 {
            s.poll(&meta, i * 1000 + 600, &mut w);
        }
    }
    s.poll(&meta, u64::MAX / 2, &mut w);
    rows += w.finish().map(|b| b.num_rows()).unwrap_or(0);
    rows
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("http1");
    for (name, (req, resp)) in [("small_get_200", small()), ("body_4k", big())] {
        assert_eq!(run(&req, &resp), PAIRS, "{name}: every pair must become a row");
        let bytes = ((req.len() + resp.len()) * PAIRS) as u64;
        g.throughput(Throughput::ElementsAndBytes {
            elements: PAIRS as u64,
            bytes,
        });
        g.bench_function(name, |b| b.iter(|| black_box(run(black_box(&req), black_box(&resp)))));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
