//! Golden fixtures for the event-based protocols (DNS, Redis): `fixtures/<protocol>/<case>/` holds
//! numbered events `NN-req` / `NN-resp` (bytes recorded from real clients and servers with
//! `tools/protocol_capture.py`, one file per datagram or per `recv`) and `expected.json`, every
//! column of every row.
//!
//! Events are fed in file order at `ts = NN * 1000` to a server-side session (`req` files are read,
//! `resp` files written), then polled and closed. Each case also runs as the client, with an unknown
//! role and — for byte streams — one byte per event, and must give the same rows. Regenerate
//! expectations only on purpose: `SEER_BLESS=1 cargo test -p seer-protocols --test
//! protocol_fixtures`, then review the diff by hand.

use std::path::{Path, PathBuf};

use arrow::array::{Array, BooleanArray, FixedSizeBinaryArray, Int64Array, StringArray, TimestampNanosecondArray};
use arrow::record_batch::RecordBatch;
use seer_protocols::{ChunkMeta, Direction, Protocol, ProtocolConfig, TraceRole};
use serde_json::{Map, Value};

/// One recorded event: order number, request side or not, bytes.
type Event = (u64, bool, Vec<u8>);

fn cases(proto: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(proto);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn events(dir: &Path) -> Vec<Event> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("case dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_none())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let (n, kind) = name.split_once('-').expect("NN-req / NN-resp");
            let n: u64 = n.parse().expect("event number");
            (n, kind == "req", std::fs::read(p).expect("event bytes"))
        })
        .collect()
}

/// Every row of `batch` as a JSON object (upid as text, times as integers).
fn rows_json(batch: &RecordBatch) -> Vec<Value> {
    let mut rows = vec![Map::new(); batch.num_rows()];
    for (field, col) in batch.schema().fields().iter().zip(batch.columns()) {
        for (i, row) in rows.iter_mut().enumerate() {
            let any = col.as_any();
            let v = if let Some(a) = any.downcast_ref::<Int64Array>() {
                Value::from(a.value(i))
            } else if let Some(a) = any.downcast_ref::<StringArray>() {
                Value::from(a.value(i))
            } else if let Some(a) = any.downcast_ref::<BooleanArray>() {
                Value::from(a.value(i))
            } else if let Some(a) = any.downcast_ref::<TimestampNanosecondArray>() {
                Value::from(a.value(i))
            } else if let Some(a) = any.downcast_ref::<FixedSizeBinaryArray>() {
                Value::from(seer_types::Upid::from_bytes(a.value(i)).expect("upid").to_string())
            } else {
                panic!("unexpected column type {}", field.data_type())
            };
            row.insert(field.name().clone(), v);
        }
    }
    rows.into_iter().map(Value::Object).collect()
}

/// Feeds `events` (split into one-byte events when `bytewise`) and returns the rows as JSON.
fn run(proto: &dyn Protocol, role: TraceRole, evs: &[Event], bytewise: bool) -> Vec<Value> {
    let (req_dir, resp_dir) = match role {
        TraceRole::Client => (Direction::Egress, Direction::Ingress),
        _ => (Direction::Ingress, Direction::Egress),
    };
    let meta = seer_protocols::fuzz::test_meta(role);
    let mut s = proto.new_session(role, &ProtocolConfig::default());
    let mut w = proto.new_writer();
    let mut last = 0;
    for (n, is_req, data) in evs {
        let dir = if *is_req { req_dir } else { resp_dir };
        let ts = n * 1000;
        if bytewise {
            for (i, b) in data.chunks(1).enumerate() {
                s.feed(dir, ChunkMeta::at(ts + i as u64 % 1000), b);
            }
        } else {
            s.feed(dir, ChunkMeta::at(ts), data);
        }
        last = ts;
    }
    s.poll(&meta, last, w.as_mut());
    s.close(&meta, last, w.as_mut());
    let batch = w.finish().expect("batch");
    assert_eq!(batch.schema(), proto.table().arrow_schema());
    rows_json(&batch)
}

fn with(rows: &[Value], f: impl Fn(&mut Map<String, Value>)) -> Vec<Value> {
    rows.iter()
        .cloned()
        .map(|mut r| {
            if let Value::Object(m) = &mut r {
                f(m);
            }
            r
        })
        .collect()
}

fn check_protocol(proto: &dyn Protocol, bytewise_ok: impl Fn(&str) -> bool) -> usize {
    let bless = std::env::var_os("SEER_BLESS").is_some();
    let cases = cases(proto.name());
    for dir in &cases {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let evs = events(dir);
        let rows = run(proto, TraceRole::Server, &evs, false);
        assert!(!rows.is_empty(), "{name}: no rows");
        let path = dir.join("expected.json");
        if bless {
            let text = serde_json::to_string_pretty(&rows).expect("json") + "\n";
            std::fs::write(&path, text).expect("write expected.json");
        } else {
            let want: Vec<Value> =
                serde_json::from_slice(&std::fs::read(&path).expect("expected.json")).expect("valid JSON");
            assert_eq!(rows, want, "{name}: rows differ from expected.json");
        }
        let flipped = with(&rows, |m| {
            m.insert("trace_role".into(), Value::from(1));
        });
        assert_eq!(
            run(proto, TraceRole::Client, &evs, false),
            flipped,
            "{name}: client side"
        );
        assert_eq!(
            run(proto, TraceRole::Unknown, &evs, false),
            rows,
            "{name}: unknown role"
        );
        if bytewise_ok(&name) {
            let no_times = |rows: &[Value]| {
                with(rows, |m| {
                    m.remove("time_");
                    m.remove("latency");
                })
            };
            assert_eq!(
                no_times(&run(proto, TraceRole::Server, &evs, true)),
                no_times(&rows),
                "{name}: byte by byte"
            );
        }
    }
    cases.len()
}

#[test]
fn dns_fixtures() {
    // UDP messages are whole datagrams; only TCP streams may be cut anywhere.
    let n = check_protocol(&seer_protocols::dns::Dns, |name| name.starts_with("tcp"));
    assert!(n >= 10, "dns fixtures missing");
}

#[test]
fn redis_fixtures() {
    let n = check_protocol(&seer_protocols::redis::Redis, |_| true);
    assert!(n >= 8, "redis fixtures missing");
}
