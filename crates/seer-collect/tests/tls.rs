//! TLS plaintext through the OpenSSL uprobes (root only; skips loudly otherwise): a Python HTTPS
//! server (Python's `ssl` → `SSL_read_ex`/`SSL_write_ex` in libssl.so.3) and `curl -k` (libcurl →
//! `SSL_write`/`SSL_read`) on loopback; the requests must appear in `http_events` with
//! `encrypted = true`, on both sides, with the right paths and statuses.

mod bpf_common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use arrow::record_batch::RecordBatch;
use bpf_common::*;
use seer_types::tables::HTTP_EVENTS;

const SERVER: i64 = 2;
const CLIENT: i64 = 1;

/// [`self_signed`] as paths in strings (for the servers' command lines).
fn cert_and_key(dir: &Path) -> (String, String) {
    let (cert, key) = self_signed(dir);
    let s = |p: &Path| p.to_str().expect("utf8 path").to_string();
    (s(&cert), s(&key))
}

#[test]
fn https_requests_are_recorded_as_plaintext_on_both_sides() {
    if !bpf_or_skip("https_requests_are_recorded_as_plaintext_on_both_sides") {
        return;
    }
    let mut c = start_tracer(&tracer_config(true));
    let sink = VecSink::default();
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = cert_and_key(dir.path());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/http_server.py");
    let srv = python_server(dir.path(), &[script.to_str().expect("utf8"), "{port}", &cert, &key]);
    // The probes go on libssl when the scanner finds it mapped (at exec, or at the next 2 s sweep):
    // warm-up requests until one comes out as plaintext.
    let warm = |b: &RecordBatch| {
        let (paths, enc) = (strings(b, "req_path"), bools(b, "encrypted"));
        role_rows(b, srv.pid, SERVER)
            .iter()
            .any(|&i| paths[i].starts_with("/warmup/") && enc[i])
    };
    let send = |n| {
        curl(&["-k", &format!("https://127.0.0.1:{}/warmup/{n}", srv.port)]);
    };
    let n = warm_up(&mut c, &sink, Duration::from_secs(20), send, |s| {
        warm(&s.table(&HTTP_EVENTS))
    });
    assert!(
        warm(&sink.table(&HTTP_EVENTS)),
        "no TLS plaintext after {n} warm-up requests: {:?}",
        c.stats().bpf
    );
    let cases = [("/tls/one", 200), ("/status/404", 404), ("/status/201", 201)];
    let mut clients = Vec::new();
    for (path, want) in cases {
        let (pid, out) = curl(&["-k", &format!("https://127.0.0.1:{}{path}", srv.port)]);
        assert_eq!(out.trim(), want.to_string(), "curl {path}");
        clients.push(pid);
    }
    let measured = |b: &RecordBatch| {
        let paths = strings(b, "req_path");
        let mut rows = role_rows(b, srv.pid, SERVER);
        rows.retain(|&i| !paths[i].starts_with("/warmup/"));
        rows
    };
    let ok = collect_until(&mut c, &sink, Duration::from_secs(20), |s| {
        let b = s.table(&HTTP_EVENTS);
        role_rows(&b, srv.pid, SERVER).len() >= cases.len()
            && clients.iter().all(|p| !role_rows(&b, *p, CLIENT).is_empty())
    });
    let b = sink.table(&HTTP_EVENTS);
    let (paths, status, enc) = (strings(&b, "req_path"), ints(&b, "resp_status"), bools(&b, "encrypted"));
    let summary: Vec<_> = (0..b.num_rows())
        .map(|i| {
            (
                pids(&b)[i],
                ints(&b, "trace_role")[i],
                paths[i].clone(),
                status[i],
                enc[i],
            )
        })
        .collect();
    assert!(ok, "rows: {summary:?}; stats {:?}", c.stats());
    let server = measured(&b);
    assert_eq!(server.len(), cases.len(), "{summary:?}");
    let got: BTreeMap<&str, i64> = server.iter().map(|&i| (paths[i].as_str(), status[i])).collect();
    let want: BTreeMap<&str, i64> = cases.iter().copied().collect();
    assert_eq!(got, want);
    assert!(
        server.iter().all(|&i| enc[i]),
        "server rows not marked encrypted: {summary:?}"
    );
    for (pid, (path, st)) in clients.iter().zip(cases) {
        let rows = role_rows(&b, *pid, CLIENT);
        assert_eq!(rows.len(), 1, "curl {pid}: {summary:?}");
        assert_eq!(
            (paths[rows[0]].as_str(), status[rows[0]], enc[rows[0]]),
            (path, st, true)
        );
    }
}

#[test]
fn nginx_https_requests_are_recorded_as_plaintext() {
    if !bpf_or_skip("nginx_https_requests_are_recorded_as_plaintext") {
        return;
    }
    let mut c = start_tracer(&tracer_config(false));
    let sink = VecSink::default();
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = cert_and_key(dir.path());
    let root = dir.path().join("www");
    std::fs::create_dir(&root).expect("www");
    std::fs::write(root.join("index.html"), "<html>over tls</html>\n").expect("write");
    std::fs::write(root.join("data.txt"), "z".repeat(3000)).expect("write");
    let ng = nginx_tls(&root, &cert, &key);
    let port = ng.server.port;
    let workers = children_of(ng.server.pid);
    assert!(!workers.is_empty(), "nginx has no worker");
    let server_rows =
        |b: &RecordBatch| -> Vec<usize> { workers.iter().flat_map(|&w| role_rows(b, w, SERVER)).collect() };
    // Warm up until the probes are on libssl (attached at the exec scan or the next 2 s sweep).
    let warm = |b: &RecordBatch| {
        let paths = strings(b, "req_path");
        server_rows(b).iter().any(|&i| paths[i].starts_with("/warmup/"))
    };
    let send = |n| {
        curl(&["-k", &format!("https://127.0.0.1:{port}/warmup/{n}")]);
    };
    let n = warm_up(&mut c, &sink, Duration::from_secs(20), send, |s| {
        warm(&s.table(&HTTP_EVENTS))
    });
    assert!(
        warm(&sink.table(&HTTP_EVENTS)),
        "no TLS plaintext after {n} warm-up requests: {:?}",
        c.stats().bpf
    );
    let cases = [
        ("/index.html", 200, 22),
        ("/data.txt", 200, 3000),
        ("/missing", 404, -1),
    ];
    for (path, want, _) in cases {
        let (_, out) = curl(&["-k", &format!("https://127.0.0.1:{port}{path}")]);
        assert_eq!(out.trim(), want.to_string(), "curl {path}");
    }
    let measured = |b: &RecordBatch| -> Vec<usize> {
        let paths = strings(b, "req_path");
        server_rows(b)
            .into_iter()
            .filter(|&i| !paths[i].starts_with("/warmup/"))
            .collect()
    };
    let ok = collect_until(&mut c, &sink, Duration::from_secs(20), |s| {
        measured(&s.table(&HTTP_EVENTS)).len() >= 3
    });
    let b = sink.table(&HTTP_EVENTS);
    let rows = measured(&b);
    let (paths, status, enc, sizes) = (
        strings(&b, "req_path"),
        ints(&b, "resp_status"),
        bools(&b, "encrypted"),
        ints(&b, "resp_body_size"),
    );
    let summary: Vec<_> = rows
        .iter()
        .map(|&i| (paths[i].clone(), status[i], enc[i], sizes[i]))
        .collect();
    assert!(ok && rows.len() == 3, "{summary:?}; stats {:?}", c.stats());
    for (path, st, size) in cases {
        let i = *rows
            .iter()
            .find(|&&i| paths[i] == path)
            .unwrap_or_else(|| panic!("no row for {path}: {summary:?}"));
        assert_eq!((status[i], enc[i]), (st, true), "{path}: {summary:?}");
        if size >= 0 {
            assert_eq!(sizes[i], size, "{path}: {summary:?}");
        }
    }
}
