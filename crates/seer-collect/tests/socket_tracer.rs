//! The eBPF socket tracer against real servers and clients on loopback (root only; skips loudly
//! otherwise). Each test starts its own tracer; the tracer skips this test process itself, so the
//! rows asserted are those of the server and client processes the test starts.

mod bpf_common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use arrow::record_batch::RecordBatch;
use bpf_common::*;
use seer_collect::{SocketTracerCollector, SyscallHooks, TracerConfig};
use seer_types::tables::{CONN_STATS, HTTP_EVENTS};

const SERVER: i64 = 2;
const CLIENT: i64 = 1;

/// A tracer; `local_clients` also records the client side of loopback connections (off by default).
fn tracer(local_clients: bool) -> SocketTracerCollector {
    let cfg = TracerConfig {
        conn_stats_interval: Duration::from_secs(1),
        ..tracer_config(local_clients)
    };
    let c = start_tracer(&cfg);
    // The default hooks are the per-syscall tracepoints; the tracer mounts tracefs itself.
    assert_eq!(
        c.hooks(),
        SyscallHooks::SyscallTracepoints,
        "fell back to raw tracepoints"
    );
    c
}

fn fixture_server() -> Server {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/http_server.py");
    let dir = tempfile::tempdir().expect("tempdir");
    python_server(dir.path(), &[script.to_str().expect("utf8 path"), "{port}"])
}

/// Collects until `pred` holds on the http_events rows (or 20 s), then once more so late duplicates
/// would show; returns the rows.
fn http_rows(c: &mut SocketTracerCollector, sink: &VecSink, pred: impl Fn(&RecordBatch) -> bool) -> RecordBatch {
    let ok = collect_until(c, sink, Duration::from_secs(20), |s| pred(&s.table(&HTTP_EVENTS)));
    let rows = sink.table(&HTTP_EVENTS);
    assert!(
        ok,
        "condition not met; rows: {:?} / stats {:?}",
        summary(&rows),
        c.stats()
    );
    settle(c, sink, Duration::from_millis(700));
    sink.table(&HTTP_EVENTS)
}

fn summary(b: &RecordBatch) -> Vec<(u32, i64, String, String, i64)> {
    let (p, r, m, path, st) = (
        pids(b),
        ints(b, "trace_role"),
        strings(b, "req_method"),
        strings(b, "req_path"),
        ints(b, "resp_status"),
    );
    (0..b.num_rows())
        .map(|i| (p[i], r[i], m[i].clone(), path[i].clone(), st[i]))
        .collect()
}

#[test]
fn every_curl_request_is_one_server_row_and_one_client_row() {
    if !bpf_or_skip("every_curl_request_is_one_server_row_and_one_client_row") {
        return;
    }
    let mut c = tracer(true);
    let sink = VecSink::default();
    let srv = fixture_server();
    let cases: Vec<(String, i64)> = (0..10)
        .map(|i| match i % 3 {
            0 => (
                format!("/status/{}", [200, 404, 500, 201][i % 4]),
                [200, 404, 500, 201][i % 4],
            ),
            1 => (format!("/item/{i}?q={i}"), 200),
            _ => (format!("/status/20{}", i % 2 * 4), if i % 2 == 1 { 204 } else { 200 }),
        })
        .collect();
    let mut clients = Vec::new();
    for (path, _) in &cases {
        let (pid, out) = curl(&[&format!("http://127.0.0.1:{}{path}", srv.port)]);
        assert!(!out.trim().is_empty(), "curl got no status");
        clients.push(pid);
    }
    let b = http_rows(&mut c, &sink, |b| role_rows(b, srv.pid, SERVER).len() >= cases.len());
    let server_rows = role_rows(&b, srv.pid, SERVER);
    assert_eq!(server_rows.len(), cases.len(), "{:?}", summary(&b));
    let (paths, status, methods, lat) = (
        strings(&b, "req_path"),
        ints(&b, "resp_status"),
        strings(&b, "req_method"),
        ints(&b, "latency"),
    );
    let got: BTreeMap<String, i64> = server_rows.iter().map(|&i| (paths[i].clone(), status[i])).collect();
    let want: BTreeMap<String, i64> = cases.iter().cloned().collect();
    assert_eq!(got, want);
    for &i in &server_rows {
        assert_eq!(methods[i], "GET");
        assert!(lat[i] > 0, "latency {}", lat[i]);
    }
    // The client side: each curl process has exactly one client row with its path.
    for (pid, (path, st)) in clients.iter().zip(&cases) {
        let rows = role_rows(&b, *pid, CLIENT);
        assert_eq!(rows.len(), 1, "curl {pid} {path}: {:?}", summary(&b));
        assert_eq!((&paths[rows[0]], status[rows[0]]), (path, *st));
    }
    let ports = ints(&b, "local_port");
    assert!(server_rows.iter().all(|&i| ports[i] == i64::from(srv.port)));
    let local = strings(&b, "local_addr");
    assert!(server_rows.iter().all(|&i| local[i] == "127.0.0.1"));
    let remote = strings(&b, "remote_addr");
    assert!(
        server_rows.iter().all(|&i| remote[i] == "127.0.0.1"),
        "{:?}",
        server_rows.iter().map(|&i| remote[i].clone()).collect::<Vec<_>>()
    );
}

#[test]
fn loopback_clients_count_bytes_but_record_no_rows_by_default() {
    if !bpf_or_skip("loopback_clients_count_bytes_but_record_no_rows_by_default") {
        return;
    }
    let mut c = tracer(false);
    let sink = VecSink::default();
    let srv = fixture_server();
    let mut clients = Vec::new();
    for i in 0..4 {
        let (pid, _) = curl(&[&format!("http://127.0.0.1:{}/default/{i}", srv.port)]);
        clients.push(pid);
    }
    let b = http_rows(&mut c, &sink, |b| role_rows(b, srv.pid, SERVER).len() >= 4);
    assert_eq!(role_rows(&b, srv.pid, SERVER).len(), 4, "{:?}", summary(&b));
    for pid in &clients {
        assert!(
            role_rows(&b, *pid, CLIENT).is_empty(),
            "client rows for curl {pid}: {:?}",
            summary(&b)
        );
    }
    // The client connections are still classified and counted in conn_stats (HTTP, client role).
    let ok = collect_until(&mut c, &sink, Duration::from_secs(5), |s| {
        let cs = s.table(&CONN_STATS);
        let (p, role, proto, sent) = (
            pids(&cs),
            ints(&cs, "trace_role"),
            ints(&cs, "protocol"),
            ints(&cs, "bytes_sent"),
        );
        clients
            .iter()
            .all(|pid| (0..cs.num_rows()).any(|i| p[i] == *pid && role[i] == CLIENT && proto[i] == 1 && sent[i] > 0))
    });
    assert!(ok, "conn_stats lacks the curl client connections");
}

#[test]
fn raw_tracepoints_see_the_same_requests() {
    let name = "raw_tracepoints_see_the_same_requests";
    if !bpf_or_skip(name) {
        return;
    }
    let mut cfg = tracer_config(false);
    cfg.bpf.hooks = SyscallHooks::RawTracepoints;
    let mut c = start_tracer(&cfg);
    assert_eq!(c.hooks(), SyscallHooks::RawTracepoints, "{name}");
    let sink = VecSink::default();
    let srv = fixture_server();
    for i in 0..3 {
        curl(&[&format!("http://127.0.0.1:{}/status/{}", srv.port, 200 + i)]);
    }
    let b = http_rows(&mut c, &sink, |b| role_rows(b, srv.pid, SERVER).len() >= 3);
    let rows = role_rows(&b, srv.pid, SERVER);
    let (paths, status) = (strings(&b, "req_path"), ints(&b, "resp_status"));
    let got: BTreeMap<String, i64> = rows.iter().map(|&i| (paths[i].clone(), status[i])).collect();
    let want: BTreeMap<String, i64> = (0..3).map(|i| (format!("/status/{}", 200 + i), 200 + i)).collect();
    assert_eq!(got, want, "{:?}", summary(&b));
}

#[test]
fn keep_alive_methods_chunked_and_truncated_bodies() {
    if !bpf_or_skip("keep_alive_methods_chunked_and_truncated_bodies") {
        return;
    }
    let mut c = tracer(true);
    let sink = VecSink::default();
    let srv = fixture_server();
    let base = format!("http://127.0.0.1:{}", srv.port);
    // One curl, one connection, four requests (keep-alive).
    let (ka_pid, _) = curl(&[
        &format!("{base}/ka/1"),
        &format!("{base}/ka/2"),
        &format!("{base}/chunked/5"),
        &format!("{base}/big/100000"),
    ]);
    let (_, _) = curl(&[
        "-X",
        "PATCH",
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"k":"v"}"#,
        &format!("{base}/echo"),
    ]);
    let (_, _) = curl(&["-X", "OPTIONS", &format!("{base}/opts")]);
    let (_, _) = curl(&["-I", &format!("{base}/status/200")]);
    let b = http_rows(&mut c, &sink, |b| role_rows(b, srv.pid, SERVER).len() >= 7);
    let rows = role_rows(&b, srv.pid, SERVER);
    assert_eq!(rows.len(), 7, "{:?}", summary(&b));
    let get = |col: &str| strings(&b, col);
    let (paths, methods, bodies) = (get("req_path"), get("req_method"), get("resp_body"));
    let (sizes, req_sizes) = (ints(&b, "resp_body_size"), ints(&b, "req_body_size"));
    let row = |path: &str| {
        *rows
            .iter()
            .find(|&&i| paths[i] == path)
            .unwrap_or_else(|| panic!("no row for {path}"))
    };
    assert_eq!(
        role_rows(&b, ka_pid, CLIENT).len(),
        4,
        "keep-alive client rows: {:?}",
        summary(&b)
    );
    let ch = row("/chunked/5");
    assert_eq!(sizes[ch], 40, "chunked body size");
    assert!(bodies[ch].starts_with("chunk-0;chunk-1;"), "{}", bodies[ch]);
    let big = row("/big/100000");
    assert_eq!(sizes[big], 100_000);
    assert!(
        bodies[big].len() <= 600,
        "body not truncated: {} bytes",
        bodies[big].len()
    );
    let echo = row("/echo");
    assert_eq!((methods[echo].as_str(), req_sizes[echo]), ("PATCH", 9));
    assert_eq!(get("req_body")[echo], r#"{"k":"v"}"#);
    assert_eq!(methods[row("/opts")], "OPTIONS");
    assert_eq!(methods[row("/status/200")], "HEAD");
    assert!(
        get("req_headers")[echo].contains("\"Content-Type\""),
        "{}",
        get("req_headers")[echo]
    );
}

#[test]
fn pipelined_requests_and_static_files_on_nginx() {
    if !bpf_or_skip("pipelined_requests_and_static_files_on_nginx") {
        return;
    }
    let mut c = tracer(false);
    let sink = VecSink::default();
    let root = tempfile::tempdir().expect("root");
    std::fs::write(root.path().join("index.html"), "<html>hello</html>\n").expect("write");
    std::fs::write(root.path().join("data.txt"), "y".repeat(20_000)).expect("write");
    let ng = nginx(root.path());
    let port = ng.server.port;
    let pipelined = "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\nGET /missing HTTP/1.1\r\nHost: a\r\n\r\n\
                     GET /data.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    let text = raw_exchange(port, pipelined.as_bytes());
    assert_eq!(text.matches("HTTP/1.1 ").count(), 3, "nginx answered: {text:.200}");
    for _ in 0..5 {
        curl(&[&format!("http://127.0.0.1:{port}/data.txt")]);
    }
    let workers = children_of(ng.server.pid);
    assert!(!workers.is_empty(), "nginx has no worker");
    let server_rows = |b: &RecordBatch| workers.iter().map(|&w| role_rows(b, w, SERVER).len()).sum::<usize>();
    let b = http_rows(&mut c, &sink, |b| server_rows(b) >= 8);
    assert_eq!(server_rows(&b), 8, "{:?}", summary(&b));
    let (paths, status, sizes) = (
        strings(&b, "req_path"),
        ints(&b, "resp_status"),
        ints(&b, "resp_body_size"),
    );
    let rows: Vec<usize> = workers.iter().flat_map(|&w| role_rows(&b, w, SERVER)).collect();
    let count = |p: &str, st: i64| rows.iter().filter(|&&i| paths[i] == p && status[i] == st).count();
    assert_eq!(
        (
            count("/index.html", 200),
            count("/missing", 404),
            count("/data.txt", 200)
        ),
        (1, 1, 6)
    );
    // The file body goes out with sendfile (bytes only, no payload): its size is still right.
    assert!(
        rows.iter()
            .filter(|&&i| paths[i] == "/data.txt")
            .all(|&i| sizes[i] == 20_000),
        "{sizes:?}"
    );
}

#[test]
fn concurrent_clients_and_a_connection_opened_before_tracing() {
    if !bpf_or_skip("concurrent_clients_and_a_connection_opened_before_tracing") {
        return;
    }
    use std::io::{Read, Write};
    let srv = fixture_server();
    // Opened and used before the tracer starts.
    let mut early = std::net::TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
    early
        .write_all(b"GET /before HTTP/1.1\r\nHost: a\r\n\r\n")
        .expect("write");
    let mut buf = [0u8; 4096];
    let _ = early.read(&mut buf).expect("read");
    let mut c = tracer(false);
    let sink = VecSink::default();
    // The server thread sat in recv() when tracing started, so this request's read may be missed
    // (a syscall entered before attach is invisible); the ones after it must all be seen.
    early
        .write_all(b"GET /after/0 HTTP/1.1\r\nHost: a\r\n\r\n")
        .expect("write");
    let _ = early.read(&mut buf).expect("read");
    early
        .write_all(b"GET /after/1 HTTP/1.1\r\nHost: a\r\n\r\n")
        .expect("write");
    let _ = early.read(&mut buf).expect("read");
    let port = srv.port;
    let threads: Vec<_> = (0..2)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..8 {
                    curl(&[&format!("http://127.0.0.1:{port}/c/{t}/{i}")]);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread");
    }
    early
        .write_all(b"GET /after/2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .expect("write");
    let _ = early.read(&mut buf);
    let b = http_rows(&mut c, &sink, |b| role_rows(b, srv.pid, SERVER).len() >= 18);
    let rows = role_rows(&b, srv.pid, SERVER);
    let paths = strings(&b, "req_path");
    assert_eq!(
        rows.iter().filter(|&&i| paths[i].starts_with("/c/")).count(),
        16,
        "{:?}",
        summary(&b)
    );
    let mut early_rows: Vec<&str> = rows
        .iter()
        .map(|&i| paths[i].as_str())
        .filter(|p| p.starts_with("/after/"))
        .collect();
    early_rows.retain(|p| *p != "/after/0");
    assert_eq!(early_rows, ["/after/1", "/after/2"], "{:?}", summary(&b));
    assert!(rows.len() == 18 || rows.len() == 19, "{:?}", summary(&b));
    // conn_stats: one row per (process, remote endpoint, role, protocol), cumulative, re-emitted every
    // interval; the latest report of the server process covers its 16+ closed HTTP connections.
    let latest = |cs: &RecordBatch| -> Vec<usize> {
        let (p, t) = (pids(cs), times(cs));
        let last = (0..cs.num_rows()).filter(|&i| p[i] == srv.pid).map(|i| t[i]).max();
        (0..cs.num_rows())
            .filter(|&i| p[i] == srv.pid && Some(t[i]) == last)
            .collect()
    };
    let ok = collect_until(&mut c, &sink, Duration::from_secs(5), |s| {
        let cs = s.table(&CONN_STATS);
        let (closed, proto) = (ints(&cs, "conn_close"), ints(&cs, "protocol"));
        latest(&cs)
            .iter()
            .filter(|&&i| proto[i] == 1)
            .map(|&i| closed[i])
            .sum::<i64>()
            >= 16
    });
    let cs = sink.table(&CONN_STATS);
    assert!(ok, "conn_stats rows for the server missing: {} rows", cs.num_rows());
    let (sent, recv, role, proto) = (
        ints(&cs, "bytes_sent"),
        ints(&cs, "bytes_recv"),
        ints(&cs, "trace_role"),
        ints(&cs, "protocol"),
    );
    let rows: Vec<usize> = latest(&cs).into_iter().filter(|&i| proto[i] == 1).collect();
    assert!(
        rows.iter().all(|&i| role[i] == SERVER && sent[i] > 0 && recv[i] > 0),
        "{rows:?}"
    );
    assert_eq!(ints(&cs, "remote_port").len(), cs.num_rows());
    assert!(bools(&cs, "ssl").iter().all(|s| !s));
}
