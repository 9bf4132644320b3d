//! PostgreSQL and MySQL sessions on the edges: connections picked up mid-stream, TLS negotiation,
//! lost bytes, huge result sets, sequence-id wrap-around, and truncated or garbage input.

use seer_protocols::mysql::{Mysql, MysqlRecord, MysqlWriter};
use seer_protocols::pgsql::{Pgsql, PgsqlRecord, PgsqlWriter};
use seer_protocols::{ChunkMeta, Direction, Protocol, ProtocolConfig, Session, TraceRole};

const IN: Direction = Direction::Ingress;
const OUT: Direction = Direction::Egress;

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

fn pg_run(s: &mut dyn Session, events: &[(Direction, u64, Vec<u8>)]) -> Vec<PgsqlRecord> {
    let mut w = PgsqlWriter::new();
    let meta = seer_protocols::fuzz::test_meta(TraceRole::Server);
    for (d, ts, data) in events {
        s.feed(*d, ChunkMeta::at(*ts), data);
        s.poll(&meta, *ts, &mut w);
    }
    w.take_rows()
}

fn my_run(s: &mut dyn Session, events: &[(Direction, u64, Vec<u8>)]) -> Vec<MysqlRecord> {
    let mut w = MysqlWriter::new();
    let meta = seer_protocols::fuzz::test_meta(TraceRole::Server);
    for (d, ts, data) in events {
        s.feed(*d, ChunkMeta::at(*ts), data);
        s.poll(&meta, *ts, &mut w);
    }
    w.take_rows()
}

fn query_answer(tag: &str, rows: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    if !rows.is_empty() {
        let mut desc = 1i16.to_be_bytes().to_vec();
        desc.extend_from_slice(b"v\0");
        desc.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 255, 255, 255, 255, 255, 255, 0, 0]);
        out.extend(pg(b'T', &desc));
        for r in rows {
            let mut d = 1i16.to_be_bytes().to_vec();
            d.extend_from_slice(&(r.len() as i32).to_be_bytes());
            d.extend_from_slice(r.as_bytes());
            out.extend(pg(b'D', &d));
        }
    }
    out.extend(pg(b'C', format!("{tag}\0").as_bytes()));
    out.extend(pg(b'Z', b"I"));
    out
}

#[test]
fn pgsql_picked_up_mid_stream() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    // The tail of an earlier answer, then a query and its answer.
    let rows = pg_run(
        s.as_mut(),
        &[
            (OUT, 10, pg(b'C', b"SELECT 3\0")),
            (IN, 20, pg(b'Q', b"select v from t\0")),
            (OUT, 30, query_answer("SELECT 2", &["a", "b"])),
        ],
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].resp, "v\na\nb\nSELECT 2");
    assert_eq!(rows[0].head.latency, 10);
    assert_eq!(s.stats().unmatched_responses, 1);
}

#[test]
fn pgsql_tls_accepted_stops_parsing() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let rows = pg_run(
        s.as_mut(),
        &[
            (IN, 1, vec![0, 0, 0, 8, 4, 210, 22, 47]),
            (OUT, 2, b"S".to_vec()),
            (IN, 3, vec![0x16, 3, 1, 0, 5]),
        ],
    );
    assert!(rows.is_empty());
    assert!(!s.wants_data());
}

#[test]
fn pgsql_gss_refused_then_plaintext_queries() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut startup = vec![0, 0, 0, 0, 0, 3, 0, 0];
    startup.extend_from_slice(b"user\0bob\0\0");
    let n = startup.len() as u32;
    startup[..4].copy_from_slice(&n.to_be_bytes());
    let rows = pg_run(
        s.as_mut(),
        &[
            (IN, 1, vec![0, 0, 0, 8, 4, 210, 22, 48]),
            (OUT, 2, b"N".to_vec()),
            (IN, 3, startup),
            (
                OUT,
                4,
                [pg(b'R', &0i32.to_be_bytes()), pg(b'S', b"a\0b\0"), pg(b'Z', b"I")].concat(),
            ),
            (IN, 5, pg(b'Q', b"select v from t\0")),
            (OUT, 6, query_answer("SELECT 1", &["x"])),
        ],
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].resp, "v\nx\nSELECT 1");
    assert!(s.wants_data());
    // Accepted: the rest is ciphertext.
    let mut t = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    pg_run(
        t.as_mut(),
        &[(IN, 1, vec![0, 0, 0, 8, 4, 210, 22, 48]), (OUT, 2, b"G".to_vec())],
    );
    assert!(!t.wants_data());
}

#[test]
fn pgsql_huge_result_is_bounded_and_marked() {
    let cfg = ProtocolConfig::default();
    let mut s = Pgsql.new_session(TraceRole::Server, &cfg);
    let values: Vec<String> = (0..20_000).map(|i| format!("row-{i}")).collect();
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    let answer = query_answer("SELECT 20000", &refs);
    let mut events = vec![(IN, 1, pg(b'Q', b"select v from big\0"))];
    for (i, chunk) in answer.chunks(8192).enumerate() {
        events.push((OUT, 2 + i as u64, chunk.to_vec()));
    }
    let mut peak = 0;
    let mut w = PgsqlWriter::new();
    let meta = seer_protocols::fuzz::test_meta(TraceRole::Server);
    for (d, ts, data) in &events {
        s.feed(*d, ChunkMeta::at(*ts), data);
        peak = peak.max(s.buffered_bytes());
    }
    s.poll(&meta, 1000, &mut w);
    let rows = w.take_rows();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].resp.ends_with("... [TRUNCATED]"), "{}", rows[0].resp);
    assert!(rows[0].resp.starts_with("v\nrow-0\nrow-1\n"));
    assert!(peak < 4 * cfg.max_buffer_bytes, "peak {peak}");
}

#[test]
fn pgsql_long_parse_and_bind_are_cut_not_lost() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let long_query = format!("SELECT $1 /* {} */", "x".repeat(200_000));
    let mut parse = b"\0".to_vec();
    parse.extend_from_slice(long_query.as_bytes());
    parse.extend_from_slice(&[0, 0, 0]);
    let mut bind = b"\0\0\0\0\0\x01".to_vec();
    bind.extend_from_slice(&100_000i32.to_be_bytes());
    bind.extend(std::iter::repeat_n(b'v', 100_000));
    bind.extend_from_slice(&[0, 0]);
    let req = [pg(b'P', &parse), pg(b'B', &bind), pg(b'S', b"")].concat();
    let mut events: Vec<(Direction, u64, Vec<u8>)> = req.chunks(16 * 1024).map(|c| (IN, 1, c.to_vec())).collect();
    events.push((OUT, 2, [pg(b'1', b""), pg(b'2', b""), pg(b'Z', b"I")].concat()));
    let rows = pg_run(s.as_mut(), &events);
    let got: Vec<(&str, &str)> = rows.iter().map(|r| (r.req_cmd.as_str(), r.resp.as_str())).collect();
    assert_eq!(got, vec![("Parse", "PARSE COMPLETE"), ("Bind", "BIND COMPLETE")]);
    assert!(rows[0].req.starts_with("SELECT $1 /* xxx") && rows[0].req.ends_with("... [TRUNCATED]"));
    assert!(
        rows[1]
            .req
            .starts_with("portal= statement= parameters=[[format=kText value=vvv"),
        "{}",
        rows[1].req
    );
    assert!(rows.iter().all(|r| r.req.len() <= 1024 + 15));
}

#[test]
fn pgsql_gap_in_answers_drops_the_query_and_recovers() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = PgsqlWriter::new();
    let meta = seer_protocols::fuzz::test_meta(TraceRole::Server);
    s.feed(IN, ChunkMeta::at(1), &pg(b'Q', b"select 1\0"));
    let a = query_answer("SELECT 1", &["1"]);
    s.feed(OUT, ChunkMeta::at(2), &a[..7]);
    s.gap(OUT, 20);
    s.feed(OUT, ChunkMeta::at(3), &a[27..]);
    s.feed(IN, ChunkMeta::at(4), &pg(b'Q', b"select 2\0"));
    s.feed(OUT, ChunkMeta::at(5), &query_answer("SELECT 1", &["2"]));
    s.poll(&meta, 6, &mut w);
    let rows = w.take_rows();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0].req.as_str(), rows[0].resp.as_str()),
        ("select 2", "v\n2\nSELECT 1")
    );
    assert!(s.stats().unmatched_requests >= 1);
}

#[test]
fn pgsql_password_bytes_are_never_buffered() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut startup = vec![0, 0, 0, 0, 0, 3, 0, 0];
    startup.extend_from_slice(b"user\0bob\0\0");
    let n = startup.len() as u32;
    startup[..4].copy_from_slice(&n.to_be_bytes());
    let mut w = PgsqlWriter::new();
    let meta = seer_protocols::fuzz::test_meta(TraceRole::Server);
    s.feed(IN, ChunkMeta::at(1), &startup);
    s.feed(OUT, ChunkMeta::at(2), &pg(b'R', &3i32.to_be_bytes()));
    let pw = pg(b'p', b"hunter2-very-secret\0");
    s.feed(IN, ChunkMeta::at(3), &pw[..9]);
    s.poll(&meta, 3, &mut w);
    s.feed(IN, ChunkMeta::at(4), &pw[9..]);
    s.feed(
        OUT,
        ChunkMeta::at(5),
        &[pg(b'R', &0i32.to_be_bytes()), pg(b'Z', b"I")].concat(),
    );
    s.feed(
        IN,
        ChunkMeta::at(6),
        &pg(b'Q', b"select 'hunter2-very-secret' is null\0"),
    );
    s.feed(OUT, ChunkMeta::at(7), &query_answer("SELECT 1", &["f"]));
    s.poll(&meta, 8, &mut w);
    let rows = w.take_rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].req_cmd, "Query");
}

fn column_def(name: &str) -> Vec<u8> {
    let mut v = Vec::new();
    for s in ["def", "db", "t", "t", name, name] {
        v.push(s.len() as u8);
        v.extend_from_slice(s.as_bytes());
    }
    v.extend_from_slice(&[0x0c, 33, 0, 0, 1, 0, 0, 0xfd, 0, 0, 0, 0, 0]);
    v
}

#[test]
fn mysql_sequence_ids_wrap_in_big_result_sets() {
    let mut s = Mysql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut answer = my(1, b"\x01");
    answer.extend(my(2, &column_def("v")));
    let mut seq = 3u8;
    for i in 0..600 {
        let v = format!("{i}");
        let mut row = vec![v.len() as u8];
        row.extend_from_slice(v.as_bytes());
        answer.extend(my(seq, &row));
        seq = seq.wrapping_add(1);
    }
    answer.extend(my(seq, b"\xfe\0\0\x02\0\0\0"));
    let rows = my_run(
        s.as_mut(),
        &[
            (IN, 1, my(0, b"\x03select v from t")),
            (OUT, 2, answer),
            (IN, 3, my(0, b"\x0e")),
            (OUT, 4, my(1, b"\0\0\0\x02\0\0\0")),
        ],
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0].resp_status, rows[0].resp_body.as_str()),
        (2, "Resultset rows = 600")
    );
    assert_eq!((rows[1].req_cmd, rows[1].resp_status), (14, 2));
}

#[test]
fn mysql_tls_request_stops_parsing() {
    let mut s = Mysql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut greeting = b"\x0a10.11.19-MariaDB\0".to_vec();
    greeting.extend_from_slice(&[7u8; 40]);
    let mut ssl = vec![0u8; 32];
    ssl[1] = 0x08;
    let rows = my_run(
        s.as_mut(),
        &[
            (OUT, 1, my(0, &greeting)),
            (IN, 2, my(1, &ssl)),
            (IN, 3, vec![0x16, 3, 1]),
        ],
    );
    assert!(rows.is_empty());
    assert!(!s.wants_data());
}

#[test]
fn mysql_unknown_statement_and_desync_recover() {
    let mut s = Mysql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let rows = my_run(
        s.as_mut(),
        &[
            // Execute of a statement prepared before tracing started.
            (IN, 1, my(0, b"\x17\x09\0\0\0\0\x01\0\0\0")),
            (OUT, 2, my(1, b"\0\0\0\x02\0\0\0")),
            // An answer with a broken sequence id, then a healthy exchange.
            (IN, 3, my(0, b"\x03select 1")),
            (OUT, 4, my(5, b"\x01")),
            (IN, 5, my(0, b"\x03do 1")),
            (OUT, 6, my(1, b"\0\0\0\x02\0\0\0")),
        ],
    );
    let got: Vec<(&str, i64)> = rows.iter().map(|r| (r.req_body.as_str(), r.resp_status)).collect();
    assert_eq!(got, vec![("Execute stmt_id=9.", 2), ("do 1", 2)]);
    assert_eq!(s.stats().parse_errors, 1);
}

/// Every cut of every fixture stream, in both directions, parses without panicking and never
/// yields more rows than the whole exchange.
#[test]
fn truncated_fixtures_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for proto in [&Pgsql as &dyn Protocol, &Mysql] {
        for entry in std::fs::read_dir(root.join(proto.name()))
            .expect("fixtures")
            .filter_map(Result::ok)
        {
            let req = std::fs::read(entry.path().join("request")).expect("request");
            let resp = std::fs::read(entry.path().join("response")).expect("response");
            let full = count(proto, &req, &resp);
            for cut in (0..req.len().max(resp.len())).step_by(7) {
                let r = &req[..cut.min(req.len())];
                let a = &resp[..cut.min(resp.len())];
                assert!(count(proto, r, &resp) <= full);
                assert!(count(proto, &req, a) <= full);
                // Garbage in the middle: flip a byte.
                let mut bad = resp.clone();
                if let Some(b) = bad.get_mut(cut) {
                    *b ^= 0x5a;
                }
                count(proto, &req, &bad);
            }
        }
    }
}

fn count(proto: &dyn Protocol, req: &[u8], resp: &[u8]) -> usize {
    let mut s = proto.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = proto.new_writer();
    let meta = seer_protocols::fuzz::test_meta(TraceRole::Server);
    s.feed(IN, ChunkMeta::at(1), req);
    s.feed(OUT, ChunkMeta::at(2), resp);
    s.poll(&meta, 3, w.as_mut());
    s.close(&meta, 4, w.as_mut());
    w.finish().expect("batch").num_rows()
}

/// Random mutations of the fixture streams (flipped, inserted and deleted bytes, splices) through
/// the fuzz driver: no panic, no broken invariant.
#[test]
fn mutated_fixtures_keep_the_invariants() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut rng = seer_protocols::fuzz::Rng::new(20261129);
    for proto in [&Pgsql as &dyn Protocol, &Mysql] {
        let mut seeds = Vec::new();
        for entry in std::fs::read_dir(root.join(proto.name()))
            .expect("fixtures")
            .filter_map(Result::ok)
        {
            let req = std::fs::read(entry.path().join("request")).expect("request");
            let resp = std::fs::read(entry.path().join("response")).expect("response");
            seeds.push([req.clone(), resp.clone()].concat());
            seeds.push(req);
            seeds.push(resp);
        }
        for i in 0..1500 {
            let mut data = seeds[i % seeds.len()].clone();
            for _ in 0..=rng.below(6) {
                let at = rng.below(data.len() as u64 + 1) as usize;
                match rng.below(4) {
                    0 if at < data.len() => data[at] ^= 1 << rng.below(8),
                    1 => data.insert(at.min(data.len()), rng.below(256) as u8),
                    2 if at < data.len() => {
                        data.remove(at);
                    }
                    _ => {
                        let other = &seeds[rng.below(seeds.len() as u64) as usize];
                        let from = rng.below(other.len() as u64) as usize;
                        let n = rng.below(64) as usize;
                        let piece = other[from..(from + n).min(other.len())].to_vec();
                        data.splice(at.min(data.len())..at.min(data.len()), piece);
                    }
                }
            }
            if let Err(e) = seer_protocols::fuzz::drive(proto, &data) {
                panic!("{} mutation {i}: {e}", proto.name());
            }
        }
    }
}

/// `COPY ... FROM STDIN` (as `pgbench -i` loads its 100000 accounts): the client streams CopyData
/// messages, more than `max_pending_messages`, before the server answers the Query. They answer
/// nothing and must not push the Query out of the queue.
#[test]
fn pgsql_copy_from_stdin_is_one_row() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut events = vec![
        (IN, 1, pg(b'Q', b"copy t from stdin\0")),
        (OUT, 2, pg(b'G', &[0, 0, 1, 0, 0])),
    ];
    for i in 0..5000u64 {
        events.push((IN, 3 + i, pg(b'd', format!("{i}\t0\n").as_bytes())));
    }
    let mut tail = pg(b'c', b"");
    tail.extend(pg(b'Q', b"commit\0"));
    events.push((IN, 6000, tail));
    let mut answer = pg(b'C', b"COPY 5000\0");
    answer.extend(pg(b'Z', b"T"));
    answer.extend(query_answer("COMMIT", &[]));
    events.push((OUT, 6001, answer));
    let rows = pg_run(s.as_mut(), &events);
    let got: Vec<(&str, &str)> = rows.iter().map(|r| (r.req.as_str(), r.resp.as_str())).collect();
    assert_eq!(got, vec![("copy t from stdin", "COPY 5000"), ("commit", "COMMIT")]);
    let st = s.stats();
    assert_eq!((st.unmatched_requests, st.unmatched_responses), (0, 0), "{st:?}");
}

/// `COPY ... TO STDOUT`: the server streams CopyData messages, more than the response queue takes,
/// before CommandComplete: one row, nothing counted as unmatched.
#[test]
fn pgsql_copy_to_stdout_is_one_row() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut answer = pg(b'H', &[0, 0, 1, 0, 0]);
    for i in 0..20000u64 {
        answer.extend(pg(b'd', format!("{i}\t0\n").as_bytes()));
    }
    answer.extend(pg(b'c', b""));
    answer.extend(pg(b'C', b"COPY 20000\0"));
    answer.extend(pg(b'Z', b"I"));
    let events = vec![(IN, 1, pg(b'Q', b"copy t to stdout\0")), (OUT, 2, answer)];
    let rows = pg_run(s.as_mut(), &events);
    let got: Vec<(&str, &str)> = rows.iter().map(|r| (r.req.as_str(), r.resp.as_str())).collect();
    assert_eq!(got, vec![("copy t to stdout", "COPY 20000")]);
    let st = s.stats();
    assert_eq!((st.unmatched_requests, st.unmatched_responses), (0, 0), "{st:?}");
}

/// `COPY ... FROM STDIN` through the extended protocol: the Execute's answer is CopyInResponse,
/// then (after the client's CopyData and CopyDone) CommandComplete.
#[test]
fn pgsql_copy_through_execute_is_one_row() {
    let mut s = Pgsql.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut req = pg(b'P', b"\0copy t from stdin\0\0\0");
    req.extend(pg(b'B', b"\0\0\0\0\0\0\0\0"));
    req.extend(pg(b'E', b"\0\0\0\0\0"));
    req.extend(pg(b'S', b""));
    let mut first = pg(b'1', b"");
    first.extend(pg(b'2', b""));
    first.extend(pg(b'G', &[0, 0, 1, 0, 0]));
    let mut data = Vec::new();
    for i in 0..3000u64 {
        data.extend(pg(b'd', format!("{i}\t0\n").as_bytes()));
    }
    data.extend(pg(b'c', b""));
    let mut end = pg(b'C', b"COPY 3000\0");
    end.extend(pg(b'Z', b"I"));
    let events = vec![(IN, 1, req), (OUT, 2, first), (IN, 3, data), (OUT, 4, end)];
    let rows = pg_run(s.as_mut(), &events);
    let got: Vec<(&str, &str)> = rows.iter().map(|r| (r.req_cmd.as_str(), r.resp.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("Parse", "PARSE COMPLETE"),
            ("Bind", "BIND COMPLETE"),
            ("Execute", "COPY 3000")
        ]
    );
    let st = s.stats();
    assert_eq!(
        (st.unmatched_requests, st.unmatched_responses, st.parse_errors),
        (0, 0, 0),
        "{st:?}"
    );
}
