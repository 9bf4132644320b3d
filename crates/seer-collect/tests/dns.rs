//! The eBPF socket tracer against a real DNS server (Debian `dnsmasq`, started on a free loopback
//! port with known records) and real clients, as root; skips loudly otherwise.
//! - `dig`, one process per query from a pinned source port (one query over TCP): one
//!   `dns_events` row per `dig` process (client side) with the right name, type, answers, rcode and
//!   addresses, and one per query on the server side whose remote is that `dig`'s address and port
//!   (dnsmasq answers UDP on one unconnected socket: the peer comes from each datagram).
//! - Python clients on unconnected UDP sockets (`sendto`/`recvfrom`, `sendmsg`/`recvmsg`, IPv4 and
//!   IPv6): their rows name the server they sent to, dnsmasq's name the client's address and port.

mod bpf_common;

use std::net::{Ipv6Addr, UdpSocket};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use arrow::record_batch::RecordBatch;
use bpf_common::*;
use seer_collect::{SocketTracerCollector, SyscallHooks};
use seer_types::tables::DNS_EVENTS;
use serde_json::Value;

const CLIENT: i64 = 1;
const SERVER: i64 = 2;

fn tracer(hooks: SyscallHooks) -> SocketTracerCollector {
    let mut cfg = tracer_config(false);
    cfg.bpf.hooks = hooks;
    let c = start_tracer(&cfg);
    assert_eq!(c.hooks(), hooks);
    c
}

/// A UDP (and TCP) port free on loopback (IPv4 and IPv6).
fn free_dns_port() -> u16 {
    loop {
        let port = free_port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() && UdpSocket::bind((Ipv6Addr::LOCALHOST, port)).is_ok() {
            return port;
        }
    }
}

/// dnsmasq on a free loopback port, killed on drop.
fn dnsmasq() -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_dns_port();
    let mut cmd = Command::new("dnsmasq");
    cmd.args([
        "--no-daemon",
        "--no-resolv",
        "--no-hosts",
        "--bind-interfaces",
        "--listen-address=127.0.0.1,::1",
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
    ]);
    let server = Server::spawn(&mut cmd, port, Some(dir), "dnsmasq must be installed (tools/setup.sh)");
    // Ready once it answers (this probe runs before tracing starts).
    let start = Instant::now();
    while dig(port, None, &["web.seer.test"]).1.trim() != "10.0.0.7" {
        assert!(start.elapsed() < Duration::from_secs(15), "dnsmasq does not answer");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// Runs `dig +short` (one try, no retries) against `port`, from `127.0.0.1#src_port` if given;
/// returns (pid, output).
fn dig(port: u16, src_port: Option<u16>, args: &[&str]) -> (u32, String) {
    let source = src_port.map(|p| ["-b".to_string(), format!("127.0.0.1#{p}")]);
    let child = Command::new("dig")
        .args(["@127.0.0.1", "-p", &port.to_string(), "+short", "+tries=1", "+time=3"])
        .args(source.iter().flatten())
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

fn summary(b: &RecordBatch) -> Vec<String> {
    let (p, r, q, a) = (
        pids(b),
        ints(b, "trace_role"),
        strings(b, "req_body"),
        strings(b, "resp_body"),
    );
    let (ra, rp) = (strings(b, "remote_addr"), ints(b, "remote_port"));
    (0..b.num_rows())
        .map(|i| format!("pid {} role {} {}:{} {} -> {}", p[i], r[i], ra[i], rp[i], q[i], a[i]))
        .collect()
}

#[test]
fn dig_queries_against_dnsmasq_are_one_row_each() {
    if !bpf_or_skip("dig_queries_against_dnsmasq_are_one_row_each") {
        return;
    }
    let server = dnsmasq();
    let mut c = tracer(SyscallHooks::default());
    let sink = VecSink::default();
    std::thread::sleep(Duration::from_millis(300));
    let mut digs = Vec::new();
    let mut src_ports = Vec::new();
    for case in CASES {
        let src_port = free_dns_port();
        let (pid, out) = dig(server.port, Some(src_port), case.args);
        assert_eq!(
            out.trim().is_empty(),
            case.answers.is_empty(),
            "{:?}: dig said {out:?}",
            case.args
        );
        digs.push(pid);
        src_ports.push(src_port);
    }
    let ok = collect_settled(&mut c, &sink, Duration::from_secs(20), |s| {
        let b = s.table(&DNS_EVENTS);
        digs.iter().all(|&pid| !role_rows(&b, pid, CLIENT).is_empty())
    });
    let b = sink.table(&DNS_EVENTS);
    assert!(ok, "rows missing: {:#?}\nstats {:?}", summary(&b), c.stats());

    let (req_h, req_b, resp_h, resp_b, lat) = (
        strings(&b, "req_header"),
        strings(&b, "req_body"),
        strings(&b, "resp_header"),
        strings(&b, "resp_body"),
        ints(&b, "latency"),
    );
    let (remote, rport, lport) = (
        strings(&b, "remote_addr"),
        ints(&b, "remote_port"),
        ints(&b, "local_port"),
    );
    for ((case, &pid), &src_port) in CASES.iter().zip(&digs).zip(&src_ports) {
        let rows = role_rows(&b, pid, CLIENT);
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
        assert_eq!(
            lport[i],
            i64::from(src_port),
            "{:?}: dig's pinned source port",
            case.args
        );
    }

    // The server side: dnsmasq answers UDP queries on one unconnected socket (whose own peer is
    // 0.0.0.0:0: each row's remote is the peer of the query's datagram) and the TCP query on an
    // accepted connection. Every query must be there exactly once, from its dig's source port.
    let server_rows = role_rows(&b, server.pid, SERVER);
    let mut seen: Vec<(String, String, Vec<String>, String, i64)> = server_rows
        .iter()
        .map(|&i| {
            let q = &json(&req_b[i])["queries"][0];
            let answers = json(&resp_b[i])["answers"]
                .as_array()
                .map(|a| a.iter().map(answer_text).collect())
                .unwrap_or_default();
            let field = |k: &str| q[k].as_str().unwrap_or_default().to_string();
            (field("name"), field("type"), answers, remote[i].clone(), rport[i])
        })
        .collect();
    let mut want: Vec<(String, String, Vec<String>, String, i64)> = CASES
        .iter()
        .zip(&src_ports)
        .map(|(c, &port)| {
            (
                c.name.to_string(),
                c.qtype.to_string(),
                c.answers.iter().map(|a| a.to_string()).collect(),
                "127.0.0.1".to_string(),
                i64::from(port),
            )
        })
        .collect();
    seen.sort();
    want.sort();
    assert_eq!(seen, want, "server-side rows: {:#?}", summary(&b));
    assert!(
        server_rows
            .iter()
            .all(|&i| lat[i] > 0 && lport[i] == i64::from(server.port))
    );
}

/// A client on an unconnected UDP socket bound to `host` (any port): one `A` query for `name` to
/// `host:port`, sent and received with `sendto`/`recvfrom` or `sendmsg`/`recvmsg` (`api`). Prints
/// its own port, the answer's source port and the answer's size.
const UDP_CLIENT: &str = r#"
import socket, struct, sys
host, port, name, api = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((host, 0))
q = struct.pack(">6H", 0x5eed, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0" + struct.pack(">2H", 1, 1)
s.settimeout(5)
if api == "sendto":
    s.sendto(q, (host, port))
    data, src = s.recvfrom(4096)
else:
    s.sendmsg([q], [], 0, (host, port))
    data, _, _, src = s.recvmsg(4096)
print(s.getsockname()[1], src[1], len(data))
"#;

/// One run of [`UDP_CLIENT`]: (pid, its source port).
fn udp_client(host: &str, port: u16, name: &str, api: &str) -> (u32, u16) {
    let child = Command::new(python())
        .args(["-c", UDP_CLIENT, host, &port.to_string(), name, api])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 must be installed (tools/setup.sh)");
    let pid = child.id();
    let out = child.wait_with_output().expect("python3");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let fields: Vec<u16> = text.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    assert!(
        out.status.success() && fields.len() == 3 && fields[1] == port && fields[2] > 12,
        "{api} client to {host}: {text:?}"
    );
    (pid, fields[0])
}

#[test]
fn unconnected_udp_rows_carry_each_datagrams_peer() {
    if bpf_or_skip("unconnected_udp_rows_carry_each_datagrams_peer") {
        unconnected_udp_peers(SyscallHooks::SyscallTracepoints);
    }
}

/// The other hook mode reads the peer arguments from the raw `sys_enter` registers.
#[test]
fn unconnected_udp_peers_with_raw_tracepoints() {
    if bpf_or_skip("unconnected_udp_peers_with_raw_tracepoints") {
        unconnected_udp_peers(SyscallHooks::RawTracepoints);
    }
}

fn unconnected_udp_peers(hooks: SyscallHooks) {
    let server = dnsmasq();
    let mut c = tracer(hooks);
    let sink = VecSink::default();
    std::thread::sleep(Duration::from_millis(300));
    // (host, api, name, client pid, client port)
    let mut clients = Vec::new();
    for (host, name) in [("127.0.0.1", "web.seer.test"), ("::1", "db.seer.test")] {
        for api in ["sendto", "sendmsg"] {
            let (pid, port) = udp_client(host, server.port, name, api);
            clients.push((host, api, name, pid, port));
        }
    }
    let dnsmasq_pid = server.pid;
    let ok = collect_until(&mut c, &sink, Duration::from_secs(20), |s| {
        let b = s.table(&DNS_EVENTS);
        let served = role_rows(&b, dnsmasq_pid, SERVER);
        let ports = ints(&b, "remote_port");
        clients.iter().all(|&(_, _, _, pid, port)| {
            !role_rows(&b, pid, CLIENT).is_empty() && served.iter().any(|&i| ports[i] == i64::from(port))
        })
    });
    let b = sink.table(&DNS_EVENTS);
    assert!(ok, "rows missing: {:#?}\nstats {:?}", summary(&b), c.stats());
    let (remote, rport, req) = (
        strings(&b, "remote_addr"),
        ints(&b, "remote_port"),
        strings(&b, "req_body"),
    );
    let served = role_rows(&b, dnsmasq_pid, SERVER);
    for &(host, api, name, pid, port) in &clients {
        // Client side: the socket has no remote; the row names the server the query went to.
        let rows = role_rows(&b, pid, CLIENT);
        assert_eq!(rows.len(), 1, "{api} {host}: {:#?}", summary(&b));
        let i = rows[0];
        assert_eq!(
            (remote[i].as_str(), rport[i]),
            (host, i64::from(server.port)),
            "{api} {host}"
        );
        assert!(req[i].contains(name), "{api} {host}: {}", req[i]);
        // Server side: exactly one row from this client's address and port.
        let from_client: Vec<usize> = served
            .iter()
            .copied()
            .filter(|&j| rport[j] == i64::from(port) && remote[j] == host)
            .collect();
        assert_eq!(from_client.len(), 1, "{api} {host} port {port}: {:#?}", summary(&b));
        assert!(req[from_client[0]].contains(name));
    }
}
