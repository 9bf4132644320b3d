//! The eBPF socket tracer against a real DNS server (Debian `dnsmasq`, started on a free loopback
//! port with known records) and a real client (`dig`, one process per query; one query over TCP),
//! as root; skips loudly otherwise. Asserts one `dns_events` row per `dig` process (client side)
//! with the right name, type, answers and rcode, and reports what the server side shows.

mod bpf_common;

use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use arrow::record_batch::RecordBatch;
use bpf_common::*;
use seer_collect::{SocketTracerCollector, TracerConfig};
use seer_types::tables::DNS_EVENTS;
use serde_json::Value;

const CLIENT: i64 = 1;
const SERVER: i64 = 2;

fn tracer() -> SocketTracerCollector {
    let cfg = TracerConfig {
        flush_interval: Duration::from_millis(200),
        ..Default::default()
    };
    SocketTracerCollector::start(&cfg).expect("socket tracer starts as root")
}

/// A UDP (and TCP) port free on loopback.
fn free_dns_port() -> u16 {
    loop {
        let port = free_port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// dnsmasq on a free loopback port, killed on drop.
struct Dnsmasq {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dnsmasq() -> Dnsmasq {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_dns_port();
    let child = Command::new("dnsmasq")
        .args([
            "--no-daemon",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            &format!("--port={port}"),
            &format!("--pid-file={}", dir.path().join("pid").display()),
            "--local=/seer.test/",
            "--host-record=web.seer.test,10.0.0.7,fd00::7",
            "--host-record=db.seer.test,10.0.0.8",
            "--cname=www.seer.test,web.seer.test",
            "--txt-record=info.seer.test,v=seer1,hello world",
            "--mx-host=seer.test,mail.seer.test,10",
            "--srv-host=_redis._tcp.seer.test,db.seer.test,6379,0,5",
            "--ptr-record=9.0.0.10.in-addr.arpa,nine.seer.test",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dnsmasq must be installed (tools/setup.sh)");
    let server = Dnsmasq { child, port, _dir: dir };
    // Ready once it answers (this probe runs before tracing starts).
    let start = Instant::now();
    while dig(port, &["web.seer.test"]).1.trim() != "10.0.0.7" {
        assert!(start.elapsed() < Duration::from_secs(15), "dnsmasq does not answer");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// Runs `dig +short` (one try, no retries) against `port`; returns (pid, output).
fn dig(port: u16, args: &[&str]) -> (u32, String) {
    let child = Command::new("dig")
        .args(["@127.0.0.1", "-p", &port.to_string(), "+short", "+tries=1", "+time=3"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dig must be installed (tools/setup.sh)");
    let pid = child.id();
    let out = child.wait_with_output().expect("dig");
    (pid, String::from_utf8_lossy(&out.stdout).to_string())
}

/// One query the test makes and what its row must say.
struct Case {
    args: &'static [&'static str],
    name: &'static str,
    qtype: &'static str,
    rcode: i64,
    /// Each answer as `TYPE value` (value: addr, cname, ptr, … as rendered).
    answers: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        args: &["web.seer.test", "A"],
        name: "web.seer.test",
        qtype: "A",
        rcode: 0,
        answers: &["A 10.0.0.7"],
    },
    Case {
        args: &["web.seer.test", "AAAA"],
        name: "web.seer.test",
        qtype: "AAAA",
        rcode: 0,
        answers: &["AAAA fd00::7"],
    },
    Case {
        args: &["www.seer.test", "A"],
        name: "www.seer.test",
        qtype: "A",
        rcode: 0,
        answers: &["CNAME web.seer.test", "A 10.0.0.7"],
    },
    Case {
        args: &["info.seer.test", "TXT"],
        name: "info.seer.test",
        qtype: "TXT",
        rcode: 0,
        answers: &[r#"TXT ["v=seer1","hello world"]"#],
    },
    Case {
        args: &["seer.test", "MX"],
        name: "seer.test",
        qtype: "MX",
        rcode: 0,
        answers: &["MX 10 mail.seer.test"],
    },
    Case {
        args: &["_redis._tcp.seer.test", "SRV"],
        name: "_redis._tcp.seer.test",
        qtype: "SRV",
        rcode: 0,
        answers: &["SRV 0 5 6379 db.seer.test"],
    },
    Case {
        args: &["-x", "10.0.0.9"],
        name: "9.0.0.10.in-addr.arpa",
        qtype: "PTR",
        rcode: 0,
        answers: &["PTR nine.seer.test"],
    },
    Case {
        args: &["nothere.seer.test", "A"],
        name: "nothere.seer.test",
        qtype: "A",
        rcode: 3,
        answers: &[],
    },
    Case {
        args: &["+tcp", "db.seer.test", "A"],
        name: "db.seer.test",
        qtype: "A",
        rcode: 0,
        answers: &["A 10.0.0.8"],
    },
];

/// `TYPE value` for one rendered answer object.
fn answer_text(a: &Value) -> String {
    let s = |k: &str| {
        a.get(k)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
    };
    let ty = s("type").unwrap_or_default();
    let value = match ty.as_str() {
        "A" | "AAAA" => s("addr"),
        "CNAME" => s("cname"),
        "PTR" => s("ptr"),
        "TXT" => a.get("txt").map(Value::to_string),
        "MX" => Some(format!(
            "{} {}",
            s("preference").unwrap_or_default(),
            s("exchange").unwrap_or_default()
        )),
        "SRV" => Some(format!(
            "{} {} {} {}",
            s("priority").unwrap_or_default(),
            s("weight").unwrap_or_default(),
            s("port").unwrap_or_default(),
            s("target").unwrap_or_default()
        )),
        _ => None,
    };
    format!("{ty} {}", value.unwrap_or_default())
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn rows_of(b: &RecordBatch, pid: u32, role: i64) -> Vec<usize> {
    let (p, r) = (pids(b), ints(b, "trace_role"));
    rows_where(b, |i| p[i] == pid && r[i] == role)
}

fn summary(b: &RecordBatch) -> Vec<String> {
    let (p, r, q, a) = (
        pids(b),
        ints(b, "trace_role"),
        strings(b, "req_body"),
        strings(b, "resp_body"),
    );
    (0..b.num_rows())
        .map(|i| format!("pid {} role {} {} -> {}", p[i], r[i], q[i], a[i]))
        .collect()
}

#[test]
fn dig_queries_against_dnsmasq_are_one_row_each() {
    if !bpf_or_skip("dig_queries_against_dnsmasq_are_one_row_each") {
        return;
    }
    let server = dnsmasq();
    let mut c = tracer();
    let sink = VecSink::default();
    std::thread::sleep(Duration::from_millis(300));
    let mut digs = Vec::new();
    for case in CASES {
        let (pid, out) = dig(server.port, case.args);
        assert_eq!(
            out.trim().is_empty(),
            case.answers.is_empty(),
            "{:?}: dig said {out:?}",
            case.args
        );
        digs.push(pid);
    }
    let ok = collect_until(&mut c, &sink, Duration::from_secs(20), |s| {
        let b = s.table(&DNS_EVENTS);
        digs.iter().all(|&pid| !rows_of(&b, pid, CLIENT).is_empty())
    });
    std::thread::sleep(Duration::from_millis(700));
    collect_until(&mut c, &sink, Duration::from_millis(300), |_| false);
    let b = sink.table(&DNS_EVENTS);
    assert!(ok, "rows missing: {:#?}\nstats {:?}", summary(&b), c.stats());

    let (req_h, req_b, resp_h, resp_b, lat) = (
        strings(&b, "req_header"),
        strings(&b, "req_body"),
        strings(&b, "resp_header"),
        strings(&b, "resp_body"),
        ints(&b, "latency"),
    );
    let (remote, rport) = (strings(&b, "remote_addr"), ints(&b, "remote_port"));
    for (case, &pid) in CASES.iter().zip(&digs) {
        let rows = rows_of(&b, pid, CLIENT);
        assert_eq!(rows.len(), 1, "{:?}: {:#?}", case.args, summary(&b));
        let i = rows[0];
        let queries = json(&req_b[i]);
        assert_eq!(
            queries["queries"][0],
            serde_json::json!({"name": case.name, "type": case.qtype}),
            "{:?}",
            case.args
        );
        let (qh, rh) = (json(&req_h[i]), json(&resp_h[i]));
        assert_eq!((qh["qr"].as_i64(), rh["qr"].as_i64()), (Some(0), Some(1)));
        assert_eq!(qh["txid"], rh["txid"]);
        assert_eq!(rh["rcode"].as_i64(), Some(case.rcode), "{:?}", case.args);
        let answers: Vec<String> = json(&resp_b[i])["answers"]
            .as_array()
            .map(|a| a.iter().map(answer_text).collect())
            .unwrap_or_default();
        assert_eq!(answers, case.answers, "{:?}: {}", case.args, resp_b[i]);
        assert!(lat[i] > 0, "{:?}: latency {}", case.args, lat[i]);
        assert_eq!((remote[i].as_str(), rport[i]), ("127.0.0.1", i64::from(server.port)));
    }

    // The server side: dnsmasq answers UDP queries on one unconnected socket (so its rows carry
    // the socket's unset peer, 0.0.0.0:0, until the tracer reports per-datagram peers) and the TCP
    // query on an accepted connection (peer known). Every query must be there exactly once.
    let server_rows = rows_of(&b, server.child.id(), SERVER);
    eprintln!(
        "dnsmasq (server side) rows: {} of {} queries: {:#?}",
        server_rows.len(),
        CASES.len(),
        server_rows
            .iter()
            .map(|&i| format!("{} -> {} ({}:{})", req_b[i], resp_b[i], remote[i], rport[i]))
            .collect::<Vec<_>>()
    );
    let mut seen: Vec<(String, String, Vec<String>)> = server_rows
        .iter()
        .map(|&i| {
            let q = &json(&req_b[i])["queries"][0];
            let answers = json(&resp_b[i])["answers"]
                .as_array()
                .map(|a| a.iter().map(answer_text).collect())
                .unwrap_or_default();
            let field = |k: &str| q[k].as_str().unwrap_or_default().to_string();
            (field("name"), field("type"), answers)
        })
        .collect();
    let mut want: Vec<(String, String, Vec<String>)> = CASES
        .iter()
        .map(|c| {
            (
                c.name.to_string(),
                c.qtype.to_string(),
                c.answers.iter().map(|a| a.to_string()).collect(),
            )
        })
        .collect();
    seen.sort();
    want.sort();
    assert_eq!(seen, want, "server-side rows");
    assert!(server_rows.iter().all(|&i| lat[i] > 0));
    let tcp = server_rows
        .iter()
        .find(|&&i| req_b[i].contains("db.seer.test"))
        .copied()
        .expect("tcp row");
    assert_eq!(remote[tcp], "127.0.0.1", "the TCP query's peer");
}
