//! Golden fixtures of the SQL protocols: `fixtures/{pgsql,mysql}/<case>/{request,response}` (one
//! connection's bytes in each direction, captured from real servers and clients with
//! `fixtures/capture.py`) → `expected.json` (every column).
//!
//! Each case also runs as client, with an unknown role, and one byte per event, and must give the
//! same rows; no row may contain the passwords used for the captures. Regenerate expectations only
//! on purpose: `SEER_BLESS=1 cargo test -p seer-protocols --test sql_fixtures`, then review the diff.

use std::path::{Path, PathBuf};

use seer_protocols::mysql::{Mysql, MysqlRecord, MysqlWriter};
use seer_protocols::pgsql::{Pgsql, PgsqlRecord, PgsqlWriter};
use seer_protocols::{ChunkMeta, Direction, Protocol, ProtocolConfig, RowHead, TableWriter, TraceRole};
use serde_json::{Value, json};

/// Passwords typed into the captured clients.
const SECRETS: [&str; 3] = ["Sup3rSecretPW", "MyS3cretPW", "WrongPW"];

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

fn head_json(h: &RowHead) -> serde_json::Map<String, Value> {
    let v = json!({
        "time_": h.time_ns, "upid": h.upid.to_string(), "remote_addr": h.remote_addr,
        "remote_port": h.remote_port, "local_addr": h.local_addr, "local_port": h.local_port,
        "trace_role": h.trace_role, "encrypted": h.encrypted, "latency": h.latency,
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("object literal"),
    }
}

trait Row: Clone + PartialEq + std::fmt::Debug {
    fn to_json(&self) -> Value;
    fn head_mut(&mut self) -> &mut RowHead;
}

impl Row for PgsqlRecord {
    fn to_json(&self) -> Value {
        let mut m = head_json(&self.head);
        m.insert("req_cmd".into(), json!(self.req_cmd));
        m.insert("req".into(), json!(self.req));
        m.insert("resp".into(), json!(self.resp));
        Value::Object(m)
    }
    fn head_mut(&mut self) -> &mut RowHead {
        &mut self.head
    }
}

impl Row for MysqlRecord {
    fn to_json(&self) -> Value {
        let mut m = head_json(&self.head);
        m.insert("req_cmd".into(), json!(self.req_cmd));
        m.insert("req_body".into(), json!(self.req_body));
        m.insert("resp_status".into(), json!(self.resp_status));
        m.insert("resp_body".into(), json!(self.resp_body));
        Value::Object(m)
    }
    fn head_mut(&mut self) -> &mut RowHead {
        &mut self.head
    }
}

/// Feeds the events, polls and closes; returns the writer's rows.
fn run<R: Row, W: TableWriter + Default + 'static>(
    proto: &dyn Protocol,
    role: TraceRole,
    events: &[(Direction, u64, &[u8])],
    take: fn(&mut W) -> Vec<R>,
) -> Vec<R> {
    let mut s = proto.new_session(role, &ProtocolConfig::default());
    let mut w = W::default();
    let meta = seer_protocols::fuzz::test_meta(role);
    let mut last = 0;
    for &(dir, ts, data) in events {
        s.feed(dir, ChunkMeta::at(ts), data);
        last = last.max(ts);
    }
    s.poll(&meta, last, &mut w);
    s.close(&meta, last, &mut w);
    take(&mut w)
}

fn dirs(role: TraceRole) -> (Direction, Direction) {
    match role {
        TraceRole::Client => (Direction::Egress, Direction::Ingress),
        _ => (Direction::Ingress, Direction::Egress),
    }
}

fn whole<R: Row, W: TableWriter + Default + 'static>(
    proto: &dyn Protocol,
    role: TraceRole,
    req: &[u8],
    resp: &[u8],
    take: fn(&mut W) -> Vec<R>,
) -> Vec<R> {
    let (q, a) = dirs(role);
    run(proto, role, &[(q, 1000, req), (a, 5000, resp)], take)
}

fn bytewise<R: Row, W: TableWriter + Default + 'static>(
    proto: &dyn Protocol,
    req: &[u8],
    resp: &[u8],
    take: fn(&mut W) -> Vec<R>,
) -> Vec<R> {
    let (q, a) = dirs(TraceRole::Server);
    let mut events = Vec::new();
    let mut ts = 0;
    for b in req.chunks(1) {
        ts += 1;
        events.push((q, ts, b));
    }
    for b in resp.chunks(1) {
        ts += 1;
        events.push((a, ts, b));
    }
    run(proto, TraceRole::Server, &events, take)
}

fn untimed<R: Row>(rows: &[R]) -> Vec<R> {
    rows.iter()
        .cloned()
        .map(|mut r| {
            r.head_mut().time_ns = 0;
            r.head_mut().latency = 0;
            r
        })
        .collect()
}

fn check<R: Row, W: TableWriter + Default + 'static>(proto: &dyn Protocol, take: fn(&mut W) -> Vec<R>) {
    let cases = cases(proto.name());
    assert!(cases.len() >= 3, "{}: fixtures missing", proto.name());
    let bless = std::env::var_os("SEER_BLESS").is_some();
    for dir in cases {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let req = std::fs::read(dir.join("request")).expect("request");
        let resp = std::fs::read(dir.join("response")).expect("response");
        let rows = whole(proto, TraceRole::Server, &req, &resp, take);
        let got = Value::Array(rows.iter().map(Row::to_json).collect());
        let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
        for secret in SECRETS {
            assert!(!text.contains(secret), "{name}: a password reached a row");
        }
        let path = dir.join("expected.json");
        if bless {
            std::fs::write(&path, &text).expect("write expected.json");
        } else {
            let want: Value =
                serde_json::from_slice(&std::fs::read(&path).expect("expected.json")).expect("valid JSON");
            assert_eq!(got, want, "{name}: rows differ from expected.json");
        }
        let as_client: Vec<R> = whole(proto, TraceRole::Client, &req, &resp, take);
        let flipped: Vec<R> = rows
            .iter()
            .cloned()
            .map(|mut r| {
                r.head_mut().trace_role = 1;
                r
            })
            .collect();
        assert_eq!(as_client, flipped, "{name}: client side differs");
        assert_eq!(
            whole(proto, TraceRole::Unknown, &req, &resp, take),
            rows,
            "{name}: unknown role differs"
        );
        assert_eq!(
            untimed(&bytewise(proto, &req, &resp, take)),
            untimed(&rows),
            "{name}: byte by byte"
        );
    }
}

#[test]
fn pgsql_fixtures() {
    check::<PgsqlRecord, PgsqlWriter>(&Pgsql, PgsqlWriter::take_rows);
}

#[test]
fn mysql_fixtures() {
    check::<MysqlRecord, MysqlWriter>(&Mysql, MysqlWriter::take_rows);
}
