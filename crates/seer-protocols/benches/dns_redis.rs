//! Parse + stitch throughput of the DNS and Redis sessions, rows built into Arrow batches included.
//!
//! `dns/udp_a`: 1000 recorded dig → dnsmasq A query/answer pairs (one datagram per event, txids
//! varied). `redis/get_set`: 1000 recorded-style `SET`/`GET` commands with their replies, one
//! command per event. `redis/pipeline_32`: the same commands written 32 per event (pipelining).
//! (DNS datagrams are never merged: one message per event.) The session is polled every 64 events. Throughput is reported as records/s and bytes/s.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use seer_protocols::dns::Dns;
use seer_protocols::fuzz::test_meta;
use seer_protocols::redis::Redis;
use seer_protocols::{ChunkMeta, Direction, Protocol, ProtocolConfig, TraceRole};

const PAIRS: usize = 1000;

/// One request's bytes and its response's.
type Pair = (Vec<u8>, Vec<u8>);

fn fixture(case: &str, file: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{case}/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Query/answer pairs with distinct transaction ids.
fn dns_pairs() -> Vec<Pair> {
    let (q, r) = (fixture("dns/udp_a", "01-req"), fixture("dns/udp_a", "02-resp"));
    (0..PAIRS as u16)
        .map(|id| {
            let (mut q, mut r) = (q.clone(), r.clone());
            q.splice(0..2, id.to_be_bytes());
            r.splice(0..2, id.to_be_bytes());
            (q, r)
        })
        .collect()
}

fn cmd(args: &[&str]) -> Vec<u8> {
    let mut v = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        v.extend(format!("${}\r\n{a}\r\n", a.len()).as_bytes());
    }
    v
}

fn redis_pairs() -> Vec<Pair> {
    (0..PAIRS)
        .map(|i| {
            let key = format!("user:{i}:session");
            if i % 2 == 0 {
                (
                    cmd(&["SET", &key, "0123456789abcdef0123456789abcdef"]),
                    b"+OK\r\n".to_vec(),
                )
            } else {
                (
                    cmd(&["GET", &key]),
                    b"$32\r\n0123456789abcdef0123456789abcdef\r\n".to_vec(),
                )
            }
        })
        .collect()
}

fn run(proto: &dyn Protocol, pairs: &[Pair], per_event: usize) -> usize {
    let cfg = ProtocolConfig::default();
    let meta = test_meta(TraceRole::Server);
    let mut s = proto.new_session(TraceRole::Server, &cfg);
    let mut w = proto.new_writer();
    for (n, chunk) in pairs.chunks(per_event).enumerate() {
        let ts = n as u64 * 1000;
        let reqs: Vec<u8> = chunk.iter().flat_map(|(q, _)| q.iter().copied()).collect();
        let resps: Vec<u8> = chunk.iter().flat_map(|(_, r)| r.iter().copied()).collect();
        s.feed(Direction::Ingress, ChunkMeta::at(ts), &reqs);
        s.feed(Direction::Egress, ChunkMeta::at(ts + 500), &resps);
        if n % 64 == 63 {
            s.poll(&meta, ts + 600, w.as_mut());
        }
    }
    s.poll(&meta, u64::MAX / 2, w.as_mut());
    w.finish().map(|b| b.num_rows()).unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let cases: [(&str, &dyn Protocol, Vec<Pair>, usize); 3] = [
        ("dns/udp_a", &Dns, dns_pairs(), 1),
        ("redis/get_set", &Redis, redis_pairs(), 1),
        ("redis/pipeline_32", &Redis, redis_pairs(), 32),
    ];
    for (name, proto, pairs, per_event) in cases {
        assert_eq!(
            run(proto, &pairs, per_event),
            PAIRS,
            "{name}: every pair must become a row"
        );
        let bytes: usize = pairs.iter().map(|(q, r)| q.len() + r.len()).sum();
        let mut g = c.benchmark_group(name.split('/').next().unwrap_or(name));
        g.throughput(Throughput::ElementsAndBytes {
            elements: PAIRS as u64,
            bytes: bytes as u64,
        });
        g.bench_function(name.split('/').nth(1).unwrap_or(name), |b| {
            b.iter(|| black_box(run(proto, black_box(&pairs), per_event)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
