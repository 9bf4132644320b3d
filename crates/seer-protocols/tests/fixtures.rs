//! Golden fixtures: `fixtures/http1/<case>/{request,response}` → `expected.json` (every column).
//!
//! Each case also runs as client, with an unknown role, and one byte per event, and must give the
//! same rows. Regenerate expectations only on purpose: `SEER_BLESS=1 cargo test -p seer-protocols
//! --test fixtures`, then review the diff by hand.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use seer_protocols::http::HttpRecord;
use seer_protocols::{Direction, ProtocolConfig, TraceRole};
use serde_json::{Value, json};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/http1");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn to_json(r: &HttpRecord) -> Value {
    json!({
        "time_": r.head.time_ns, "upid": r.head.upid.to_string(), "remote_addr": r.head.remote_addr, "remote_port": r.head.remote_port,
        "local_addr": r.head.local_addr, "local_port": r.head.local_port, "trace_role": r.head.trace_role, "encrypted": r.head.encrypted,
        "major_version": r.major_version, "minor_version": r.minor_version, "content_type": r.content_type,
        "req_headers": r.req_headers, "req_method": r.req_method, "req_path": r.req_path, "req_body": r.req_body,
        "req_body_size": r.req_body_size, "resp_headers": r.resp_headers, "resp_status": r.resp_status,
        "resp_message": r.resp_message, "resp_body": r.resp_body, "resp_body_size": r.resp_body_size,
        "latency": r.head.latency,
    })
}

/// Requests at ts 1000 (one event), responses at ts 5000 (one event), then poll and close.
fn exchange(role: TraceRole, req: &[u8], resp: &[u8]) -> Vec<HttpRecord> {
    let (req_dir, resp_dir) = match role {
        TraceRole::Client => (Direction::Egress, Direction::Ingress),
        _ => (Direction::Ingress, Direction::Egress),
    };
    run_cfg(
        role,
        &ProtocolConfig::default(),
        &[(req_dir, 1000, req), (resp_dir, 5000, resp)],
        true,
    )
    .0
}

#[test]
fn golden_fixtures() {
    let cases = cases();
    assert!(cases.len() >= 10, "fixtures missing");
    let bless = std::env::var_os("SEER_BLESS").is_some();
    for dir in cases {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let req = std::fs::read(dir.join("request")).expect("request");
        let resp = std::fs::read(dir.join("response")).expect("response");
        let rows = exchange(TraceRole::Server, &req, &resp);
        assert!(!rows.is_empty(), "{name}: no rows");
        let got = Value::Array(rows.iter().map(to_json).collect());
        let path = dir.join("expected.json");
        if bless {
            let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
            std::fs::write(&path, text).expect("write expected.json");
        } else {
            let want: Value =
                serde_json::from_slice(&std::fs::read(&path).expect("expected.json")).expect("valid JSON");
            assert_eq!(got, want, "{name}: rows differ from expected.json");
        }

        let as_client = exchange(TraceRole::Client, &req, &resp);
        let flipped: Vec<HttpRecord> = rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.head.trace_role = 1;
                r
            })
            .collect();
        assert_eq!(as_client, flipped, "{name}: client side differs");
        assert_eq!(
            exchange(TraceRole::Unknown, &req, &resp),
            rows,
            "{name}: unknown role differs"
        );
        assert_eq!(
            strip_times(&byte_by_byte(TraceRole::Server, &req, &resp)),
            strip_times(&rows),
            "{name}: byte by byte"
        );
    }
}
