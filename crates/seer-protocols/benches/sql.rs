//! Parse + stitch throughput of the PostgreSQL and MySQL sessions, rows built into Arrow batches
//! included. Each case is 1000 request/answer exchanges, one event per message batch (as the tracer
//! delivers them), polled every 64 exchanges; throughput in records/s and bytes/s.
//!
//! `pgsql/simple_query`: Query → RowDescription, DataRow, CommandComplete, ReadyForQuery.
//! `pgsql/extended_execute`: Bind + Execute + Sync → BindComplete, DataRow, CommandComplete,
//! ReadyForQuery (after one Parse of the statement); two records (Bind, Execute) per exchange.
//! `mysql/com_query`: COM_QUERY → text result set (2 columns, 1 row, EOF packets).
//! `mysql/stmt_execute`: COM_STMT_EXECUTE with 2 parameters → binary result set.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use seer_protocols::fuzz::test_meta;
use seer_protocols::mysql::Mysql;
use seer_protocols::pgsql::Pgsql;
use seer_protocols::{ChunkMeta, Direction, Protocol, ProtocolConfig, TraceRole};

const PAIRS: usize = 1000;

fn pg(tag: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    v.extend_from_slice(&(payload.len() as u32 + 4).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

fn my(seq: u8, payload: &[u8]) -> Vec<u8> {
    let n = payload.len();
    let mut v = vec![n as u8, (n >> 8) as u8, (n >> 16) as u8, seq];
    v.extend_from_slice(payload);
    v
}

fn pg_answer(with_desc: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if with_desc {
        let mut desc = 2i16.to_be_bytes().to_vec();
        for (name, oid) in [("id", 23i32), ("name", 25)] {
            desc.extend_from_slice(name.as_bytes());
            desc.push(0);
            desc.extend_from_slice(&16384i32.to_be_bytes());
            desc.extend_from_slice(&1i16.to_be_bytes());
            desc.extend_from_slice(&oid.to_be_bytes());
            desc.extend_from_slice(&(-1i16).to_be_bytes());
            desc.extend_from_slice(&(-1i32).to_be_bytes());
            desc.extend_from_slice(&0i16.to_be_bytes());
        }
        out.extend(pg(b'T', &desc));
    } else {
        out.extend(pg(b'2', b""));
    }
    let mut row = 2i16.to_be_bytes().to_vec();
    for v in ["2", "pear"] {
        row.extend_from_slice(&(v.len() as i32).to_be_bytes());
        row.extend_from_slice(v.as_bytes());
    }
    out.extend(pg(b'D', &row));
    out.extend(pg(b'C', b"SELECT 1\0"));
    out.extend(pg(b'Z', b"I"));
    out
}

fn pg_simple() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let req = pg(b'Q', b"SELECT id, name FROM items WHERE id = 2\0");
    (Vec::new(), req, pg_answer(true))
}

fn pg_extended() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut parse = b"s1\0SELECT id, name FROM items WHERE id = $1\0".to_vec();
    parse.extend_from_slice(&[0, 1, 0, 0, 0, 23]);
    let setup = [pg(b'P', &parse), pg(b'S', b"")].concat();
    let mut bind = b"\0s1\0".to_vec();
    bind.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, b'2', 0, 0]);
    let req = [pg(b'B', &bind), pg(b'E', b"\0\0\0\0\0"), pg(b'S', b"")].concat();
    (setup, req, pg_answer(false))
}

fn column_def(name: &str, ty: u8) -> Vec<u8> {
    let mut v = Vec::new();
    for s in ["def", "shop", "items", "items", name, name] {
        v.push(s.len() as u8);
        v.extend_from_slice(s.as_bytes());
    }
    v.extend_from_slice(&[0x0c, 33, 0, 80, 0, 0, 0, ty, 0, 0, 0, 0, 0]);
    v
}

fn my_result(binary: bool) -> Vec<u8> {
    let mut out = my(1, b"\x02");
    out.extend(my(2, &column_def("id", 0x03)));
    out.extend(my(3, &column_def("name", 0xfd)));
    out.extend(my(4, b"\xfe\0\0\x22\0"));
    if binary {
        out.extend(my(5, b"\x00\x00\x02\x00\x00\x00\x04pear"));
    } else {
        out.extend(my(5, b"\x012\x04pear"));
    }
    out.extend(my(6, b"\xfe\0\0\x22\0"));
    out
}

fn my_query() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    (
        Vec::new(),
        my(0, b"\x03SELECT id, name FROM items WHERE id = 2"),
        my_result(false),
    )
}

fn my_execute() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let setup = my(0, b"\x16SELECT id, name FROM items WHERE id = ? AND name <> ?");
    let mut exec = vec![0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0x08, 0, 0xfd, 0];
    exec.extend_from_slice(&2i64.to_le_bytes());
    exec.extend_from_slice(b"\x03zzz");
    (setup, my(0, &exec), my_result(true))
}

fn setup_answer(proto: &str) -> Vec<u8> {
    match proto {
        "pgsql" => [pg(b'1', b""), pg(b'Z', b"I")].concat(),
        _ => [
            my(1, b"\x00\x01\0\0\0\x02\0\x02\0\0\0\0"),
            my(2, &column_def("?", 0xfd)),
            my(3, &column_def("?", 0xfd)),
            my(4, b"\xfe\0\0\x02\0"),
            my(5, &column_def("id", 3)),
            my(6, &column_def("name", 0xfd)),
            my(7, b"\xfe\0\0\x02\0"),
        ]
        .concat(),
    }
}

fn run(proto: &dyn Protocol, setup: &[u8], req: &[u8], resp: &[u8]) -> usize {
    let cfg = ProtocolConfig::default();
    let meta = test_meta(TraceRole::Server);
    let mut s = proto.new_session(TraceRole::Server, &cfg);
    let mut w = proto.new_writer();
    if !setup.is_empty() {
        s.feed(Direction::Ingress, ChunkMeta::at(1), setup);
        s.feed(Direction::Egress, ChunkMeta::at(2), &setup_answer(proto.name()));
    }
    for i in 1..=PAIRS as u64 {
        s.feed(Direction::Ingress, ChunkMeta::at(i * 1000), req);
        s.feed(Direction::Egress, ChunkMeta::at(i * 1000 + 500), resp);
        if i % 64 == 0 {
            s.poll(&meta, i * 1000 + 600, w.as_mut());
        }
    }
    s.poll(&meta, u64::MAX / 2, w.as_mut());
    w.finish().map(|b| b.num_rows()).unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    type Case = (&'static str, (Vec<u8>, Vec<u8>, Vec<u8>));
    let groups: [(&dyn Protocol, Vec<Case>); 2] = [
        (
            &Pgsql,
            vec![("simple_query", pg_simple()), ("extended_execute", pg_extended())],
        ),
        (&Mysql, vec![("com_query", my_query()), ("stmt_execute", my_execute())]),
    ];
    for (proto, cases) in groups {
        let mut g = c.benchmark_group(proto.name());
        for (name, (setup, req, resp)) in cases {
            let rows = run(proto, &setup, &req, &resp);
            let setup_rows = usize::from(!setup.is_empty());
            // Bind and Execute are one row each.
            let per_pair = if name == "extended_execute" { 2 } else { 1 };
            assert_eq!(
                rows,
                per_pair * PAIRS + setup_rows,
                "{name}: every exchange must become rows"
            );
            g.throughput(Throughput::ElementsAndBytes {
                elements: (per_pair * PAIRS) as u64,
                bytes: ((req.len() + resp.len()) * PAIRS) as u64,
            });
            g.bench_function(name, |b| {
                b.iter(|| black_box(run(proto, black_box(&setup), black_box(&req), black_box(&resp))))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
