//! DNS behaviour: every record type's rendering, framing over UDP and TCP, stitching by
//! transaction id, bounds, and robustness against truncated and random input.

use seer_protocols::dns::{Dns, DnsRecord, DnsWriter};
use seer_protocols::fuzz::{Rng, drive, test_meta};
use seer_protocols::{ChunkMeta, Direction, MessageKind, Protocol, ProtocolConfig, SessionStats, TraceRole};
use serde_json::{Value, json};

/// Builds DNS messages by hand (names uncompressed unless a pointer is given explicitly).
struct Msg(Vec<u8>);

fn name(n: &str) -> Vec<u8> {
    let mut v = Vec::new();
    for l in n.split('.').filter(|l| !l.is_empty()) {
        v.push(l.len() as u8);
        v.extend_from_slice(l.as_bytes());
    }
    v.push(0);
    v
}

impl Msg {
    fn new(txid: u16, flags: u16, counts: [u16; 4]) -> Self {
        let mut v = Vec::new();
        for x in [txid, flags, counts[0], counts[1], counts[2], counts[3]] {
            v.extend(x.to_be_bytes());
        }
        Self(v)
    }
    fn question(mut self, n: &str, qtype: u16, class: u16) -> Self {
        self.0.extend(name(n));
        self.0.extend(qtype.to_be_bytes());
        self.0.extend(class.to_be_bytes());
        self
    }
    fn rr(mut self, owner: &[u8], rtype: u16, rdata: &[u8]) -> Self {
        self.0.extend(owner);
        self.0.extend(rtype.to_be_bytes());
        self.0.extend(1u16.to_be_bytes());
        self.0.extend(300u32.to_be_bytes());
        self.0.extend((rdata.len() as u16).to_be_bytes());
        self.0.extend(rdata);
        self
    }
}

fn query(txid: u16, n: &str, qtype: u16) -> Vec<u8> {
    Msg::new(txid, 0x0100, [1, 0, 0, 0]).question(n, qtype, 1).0
}

fn tcp(msg: &[u8]) -> Vec<u8> {
    let mut v = (msg.len() as u16).to_be_bytes().to_vec();
    v.extend(msg);
    v
}

fn run(role: TraceRole, cfg: &ProtocolConfig, events: &[(Direction, u64, Vec<u8>)]) -> (Vec<DnsRecord>, SessionStats) {
    let mut s = Dns.new_session(role, cfg);
    let mut w = DnsWriter::new();
    let meta = test_meta(role);
    let mut last = 0;
    for (dir, ts, data) in events {
        s.feed(*dir, ChunkMeta::at(*ts), data);
        last = *ts;
    }
    s.poll(&meta, last, &mut w);
    s.close(&meta, last, &mut w);
    (w.take_rows(), s.stats())
}

/// Server side: query read at 100, response written at 250.
fn exchange(q: Vec<u8>, r: Vec<u8>) -> Vec<DnsRecord> {
    run(
        TraceRole::Server,
        &ProtocolConfig::default(),
        &[(Direction::Ingress, 100, q), (Direction::Egress, 250, r)],
    )
    .0
}

fn answers(r: &DnsRecord) -> Value {
    serde_json::from_str::<Value>(&r.resp_body).expect("JSON body")
}

#[test]
fn every_record_type_renders() {
    let owner = name("x.seer.test");
    let mut soa = name("ns1.seer.test");
    soa.extend(name("admin.seer.test"));
    for v in [2026u32, 3600, 600, 86400, 60] {
        soa.extend(v.to_be_bytes());
    }
    let mut mx = 5u16.to_be_bytes().to_vec();
    mx.extend(name("mail.seer.test"));
    let mut srv = Vec::new();
    for v in [1u16, 2, 8080] {
        srv.extend(v.to_be_bytes());
    }
    srv.extend(name("svc.seer.test"));
    let resp = Msg::new(7, 0x8580, [1, 8, 1, 0])
        .question("x.seer.test", 255, 1)
        .rr(&owner, 1, &[192, 0, 2, 1])
        .rr(
            &owner,
            28,
            &[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        )
        .rr(&owner, 5, &name("y.seer.test"))
        .rr(&owner, 2, &name("ns1.seer.test"))
        .rr(&owner, 12, &name("ptr.seer.test"))
        .rr(&owner, 15, &mx)
        .rr(&owner, 33, &srv)
        .rr(&owner, 16, b"\x03abc\x00")
        .rr(&name("seer.test"), 6, &soa)
        .0;
    let rows = exchange(query(7, "x.seer.test", 255), resp);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r.req_body, r#"{"queries":[{"name":"x.seer.test","type":"ANY"}]}"#);
    let x = "x.seer.test";
    assert_eq!(
        answers(r),
        json!({
            "answers": [
                {"name": x, "type": "A", "addr": "192.0.2.1"},
                {"name": x, "type": "AAAA", "addr": "2001:db8::1"},
                {"name": x, "type": "CNAME", "cname": "y.seer.test"},
                {"name": x, "type": "NS", "ns": "ns1.seer.test"},
                {"name": x, "type": "PTR", "ptr": "ptr.seer.test"},
                {"name": x, "type": "MX", "preference": 5, "exchange": "mail.seer.test"},
                {"name": x, "type": "SRV", "priority": 1, "weight": 2, "port": 8080, "target": "svc.seer.test"},
                {"name": x, "type": "TXT", "txt": ["abc", ""]},
            ],
            "authority": [
                {"name": "seer.test", "type": "SOA", "mname": "ns1.seer.test", "rname": "admin.seer.test",
                 "serial": 2026, "refresh": 3600, "retry": 600, "expire": 86400, "minimum": 60},
            ],
        })
    );
    let h: Value = serde_json::from_str(&r.resp_header).expect("header");
    assert_eq!(
        h,
        json!({"txid": 7, "qr": 1, "opcode": 0, "aa": 1, "tc": 0, "rd": 1, "ra": 1, "ad": 0, "cd": 0,
               "rcode": 0, "num_queries": 1, "num_answers": 8, "num_auth": 1, "num_addl": 0})
    );
    // Pixie's member order, compact, so its scripts' text searches work.
    assert!(r.resp_header.starts_with(r#"{"txid":7,"qr":1,"opcode":0,"aa":1,"#));
}

#[test]
fn compression_pointers_and_classes() {
    // The answer's owner points at the question name (offset 12); the CNAME target points into it.
    let resp = Msg::new(9, 0x8180, [1, 1, 0, 0])
        .question("www.seer.test", 1, 3)
        .rr(&[0xC0, 12], 5, &[4, b'e', b'd', b'g', b'e', 0xC0, 16])
        .0;
    let rows = exchange(query(9, "www.seer.test", 1), resp);
    assert_eq!(
        answers(&rows[0]),
        json!({"answers": [{"name": "www.seer.test", "type": "CNAME", "cname": "edge.seer.test"}]})
    );
    // A CHAOS-class question says so.
    let q = Msg::new(3, 0x0100, [1, 0, 0, 0]).question("version.bind", 16, 3).0;
    let r = Msg::new(3, 0x8100, [1, 0, 0, 0]).question("version.bind", 16, 3).0;
    let rows = exchange(q, r);
    assert_eq!(
        rows[0].req_body,
        r#"{"queries":[{"name":"version.bind","type":"TXT","class":"CH"}]}"#
    );
}

#[test]
fn pointer_loops_are_rejected_not_followed() {
    let mut loop_msg = Msg::new(1, 0x8180, [1, 1, 0, 0]).question("a.test", 1, 1).0;
    let at = loop_msg.len() as u16;
    // Owner name is a pointer to itself.
    loop_msg.extend((0xC000 | at).to_be_bytes());
    loop_msg.extend([0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]);
    let (rows, stats) = run(
        TraceRole::Server,
        &ProtocolConfig::default(),
        &[
            (Direction::Ingress, 1, query(1, "a.test", 1)),
            (Direction::Egress, 2, loop_msg),
        ],
    );
    assert!(rows.is_empty());
    assert!(stats.parse_errors >= 1, "{stats:?}");
}

#[test]
fn nxdomain_and_unknown_types() {
    let resp = Msg::new(5, 0x8183, [1, 0, 0, 0]).question("nope.test", 1, 1).0;
    let rows = exchange(query(5, "nope.test", 1), resp);
    let h: Value = serde_json::from_str(&rows[0].resp_header).expect("header");
    assert_eq!(h["rcode"], 3);
    assert_eq!(rows[0].resp_body, r#"{"answers":[]}"#);
    let resp = Msg::new(6, 0x8180, [1, 1, 0, 0])
        .question("t.test", 99, 1)
        .rr(&name("t.test"), 4242, &[0xde, 0xad])
        .0;
    let rows = exchange(query(6, "t.test", 99), resp);
    assert_eq!(
        rows[0].resp_body,
        r#"{"answers":[{"name":"t.test","type":"TYPE4242","rdata":"dead"}]}"#
    );
}

#[test]
fn outstanding_queries_match_by_txid_in_any_order_both_roles() {
    let a = query(10, "a.test", 1);
    let aaaa = query(11, "a.test", 28);
    let ra = Msg::new(10, 0x8180, [1, 1, 0, 0])
        .question("a.test", 1, 1)
        .rr(&name("a.test"), 1, &[10, 0, 0, 1])
        .0;
    let raaaa = Msg::new(11, 0x8180, [1, 0, 0, 0]).question("a.test", 28, 1).0;
    for role in [TraceRole::Client, TraceRole::Server, TraceRole::Unknown] {
        let (q, r) = match role {
            TraceRole::Client => (Direction::Egress, Direction::Ingress),
            _ => (Direction::Ingress, Direction::Egress),
        };
        let (rows, stats) = run(
            role,
            &ProtocolConfig::default(),
            &[
                (q, 100, a.clone()),
                (q, 110, aaaa.clone()),
                (r, 150, raaaa.clone()),
                (r, 400, ra.clone()),
            ],
        );
        assert_eq!(rows.len(), 2, "{role:?} {stats:?}");
        let want_role = if role == TraceRole::Client { 1 } else { 2 };
        assert!(rows.iter().all(|r| r.head.trace_role == want_role));
        assert_eq!((rows[0].head.latency, rows[0].head.time_ns), (40, 150));
        assert_eq!((rows[1].head.latency, rows[1].head.time_ns), (300, 400));
        assert!(rows[1].resp_body.contains("10.0.0.1"));
    }
}

fn a_response(txid: u16, n: &str, addr: [u8; 4]) -> Vec<u8> {
    Msg::new(txid, 0x8180, [1, 1, 0, 0])
        .question(n, 1, 1)
        .rr(&name(n), 1, &addr)
        .0
}

/// An unconnected UDP socket: the connection itself knows no remote.
fn unconnected(role: TraceRole) -> seer_protocols::ConnMeta {
    seer_protocols::ConnMeta {
        remote_addr: "0.0.0.0".to_string(),
        remote_port: 0,
        ..test_meta(role)
    }
}

fn addr(s: &str) -> std::net::SocketAddr {
    s.parse().expect("socket address")
}

#[test]
fn datagram_peers_name_the_remote_and_keep_clients_apart() {
    // A server answers two clients that happen to use the same id and question, the later one first.
    let (a, b) = (addr("10.0.0.1:40001"), addr("[fd00::2]:40002"));
    let mut s = Dns.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = DnsWriter::new();
    s.feed(
        Direction::Ingress,
        ChunkMeta::with_peer(10, a),
        &query(5, "same.test", 1),
    );
    s.feed(
        Direction::Ingress,
        ChunkMeta::with_peer(20, b),
        &query(5, "same.test", 1),
    );
    s.feed(
        Direction::Egress,
        ChunkMeta::with_peer(30, b),
        &a_response(5, "same.test", [2, 2, 2, 2]),
    );
    s.feed(
        Direction::Egress,
        ChunkMeta::with_peer(40, a),
        &a_response(5, "same.test", [1, 1, 1, 1]),
    );
    // A query on a socket that names no peer per datagram: the connection's remote stays.
    s.feed(Direction::Ingress, ChunkMeta::at(50), &query(6, "conn.test", 1));
    s.feed(
        Direction::Egress,
        ChunkMeta::at(60),
        &a_response(6, "conn.test", [3, 3, 3, 3]),
    );
    let meta = unconnected(TraceRole::Server);
    s.poll(&meta, 100, &mut w);
    let rows: Vec<(String, i64, String, i64)> = w
        .take_rows()
        .iter()
        .map(|r| {
            let ans = answers(r)["answers"][0]["addr"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            (r.head.remote_addr.clone(), r.head.remote_port, ans, r.head.latency)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("fd00::2".to_string(), 40002, "2.2.2.2".to_string(), 10),
            ("10.0.0.1".to_string(), 40001, "1.1.1.1".to_string(), 30),
            ("0.0.0.0".to_string(), 0, "3.3.3.3".to_string(), 10),
        ]
    );
    assert_eq!(s.stats().unmatched_responses, 0);
}

#[test]
fn client_side_sendto_names_the_server_and_a_response_peer_fills_in() {
    let server = addr("192.0.2.53:53");
    let mut s = Dns.new_session(TraceRole::Client, &ProtocolConfig::default());
    let mut w = DnsWriter::new();
    // sendto(server) then recvfrom(server).
    s.feed(
        Direction::Egress,
        ChunkMeta::with_peer(10, server),
        &query(7, "c.test", 1),
    );
    s.feed(
        Direction::Ingress,
        ChunkMeta::with_peer(15, server),
        &a_response(7, "c.test", [4, 4, 4, 4]),
    );
    // send() on a connected socket, recvfrom() naming the source: the response's peer is used.
    s.feed(Direction::Egress, ChunkMeta::at(20), &query(8, "d.test", 1));
    s.feed(
        Direction::Ingress,
        ChunkMeta::with_peer(25, server),
        &a_response(8, "d.test", [5, 5, 5, 5]),
    );
    // A response from another address than the one asked does not answer the query.
    s.feed(
        Direction::Egress,
        ChunkMeta::with_peer(30, server),
        &query(9, "e.test", 1),
    );
    s.feed(
        Direction::Ingress,
        ChunkMeta::with_peer(35, addr("198.51.100.1:53")),
        &a_response(9, "e.test", [6, 6, 6, 6]),
    );
    s.poll(&unconnected(TraceRole::Client), 100, &mut w);
    let rows: Vec<(String, i64)> = w
        .take_rows()
        .iter()
        .map(|r| (r.head.remote_addr.clone(), r.head.remote_port))
        .collect();
    assert_eq!(rows, [("192.0.2.53".to_string(), 53), ("192.0.2.53".to_string(), 53)]);
    assert_eq!(s.stats().unmatched_responses, 1);
}

#[test]
fn unmatched_and_expired_messages_are_counted() {
    let stray = Msg::new(99, 0x8180, [1, 0, 0, 0]).question("x.test", 1, 1).0;
    // A response whose question differs from the query with the same id does not match it.
    let other = Msg::new(1, 0x8180, [1, 0, 0, 0]).question("other.test", 1, 1).0;
    let cfg = ProtocolConfig {
        message_expiry_ns: 1000,
        ..Default::default()
    };
    let mut s = Dns.new_session(TraceRole::Server, &cfg);
    let mut w = DnsWriter::new();
    let meta = test_meta(TraceRole::Server);
    s.feed(Direction::Ingress, ChunkMeta::at(10), &query(1, "x.test", 1));
    s.feed(Direction::Egress, ChunkMeta::at(20), &stray);
    s.feed(Direction::Egress, ChunkMeta::at(30), &other);
    s.poll(&meta, 100, &mut w);
    assert_eq!(s.stats().unmatched_responses, 2);
    s.poll(&meta, 5000, &mut w);
    assert_eq!(s.stats().unmatched_requests, 1, "expired");
    assert!(w.rows().is_empty());
    assert_eq!(s.buffered_bytes(), 0);
}

#[test]
fn tcp_framing_survives_any_split_and_separate_length_writes() {
    let q = query(21, "t.test", 1);
    let r = Msg::new(21, 0x8180, [1, 1, 0, 0])
        .question("t.test", 1, 1)
        .rr(&name("t.test"), 1, &[1, 2, 3, 4])
        .0;
    let (qs, rs) = (tcp(&q), tcp(&r));
    let mut rng = Rng::new(7);
    for _ in 0..50 {
        let mut events = Vec::new();
        let mut ts = 0;
        for (dir, bytes) in [(Direction::Ingress, &qs), (Direction::Egress, &rs)] {
            let mut rest = bytes.as_slice();
            while !rest.is_empty() {
                let n = 1 + rng.below(rest.len() as u64) as usize;
                ts += 1;
                events.push((dir, ts, rest[..n].to_vec()));
                rest = &rest[n..];
            }
        }
        let (rows, _) = run(TraceRole::Server, &ProtocolConfig::default(), &events);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].resp_body.contains("1.2.3.4"));
    }
    // Inference started on a bare message (the length came in a write of its own before tracing
    // looked): later 2-byte length writes are skipped and the messages still pair.
    let events = vec![
        (Direction::Ingress, 1, q.clone()),
        (Direction::Egress, 2, rs[..2].to_vec()),
        (Direction::Egress, 3, r.clone()),
        (Direction::Ingress, 4, qs[..2].to_vec()),
        (Direction::Ingress, 5, query(22, "u.test", 1)),
        (
            Direction::Egress,
            6,
            tcp(&Msg::new(22, 0x8180, [1, 0, 0, 0]).question("u.test", 1, 1).0),
        ),
    ];
    let (rows, _) = run(TraceRole::Server, &ProtocolConfig::default(), &events);
    assert_eq!(rows.len(), 2, "{rows:#?}");
}

#[test]
fn long_bodies_stay_valid_json() {
    let mut m = Msg::new(30, 0x8180, [1, 200, 0, 0]).question("many.test", 1, 1);
    for i in 0..200u16 {
        m = m.rr(&[0xC0, 12], 1, &[10, 0, (i >> 8) as u8, i as u8]);
    }
    let cfg = ProtocolConfig {
        max_header_bytes: 512,
        ..Default::default()
    };
    let (rows, _) = run(
        TraceRole::Server,
        &cfg,
        &[
            (Direction::Ingress, 1, query(30, "many.test", 1)),
            (Direction::Egress, 2, m.0),
        ],
    );
    assert!(rows[0].resp_body.len() <= 512, "{}", rows[0].resp_body.len());
    let v: Value = serde_json::from_str(&rows[0].resp_body).expect("still JSON");
    let kept = v["answers"].as_array().map_or(0, Vec::len) as u64;
    assert_eq!(kept + v["omitted"].as_u64().expect("omitted count"), 200);
}

#[test]
fn inference_is_strict() {
    assert_eq!(Dns.infer(&query(1, "a.test", 1)), Some(MessageKind::Request));
    assert_eq!(Dns.infer(&tcp(&query(1, "a.test", 1))), Some(MessageKind::Request));
    let resp = Msg::new(1, 0x8183, [1, 0, 0, 0]).question("a.test", 1, 1).0;
    assert_eq!(Dns.infer(&resp), Some(MessageKind::Response));
    // Opcode, Z bit, counts, trailing bytes, qtype 0, odd class.
    let bad = [
        Msg::new(1, 0x2100, [1, 0, 0, 0]).question("a.test", 1, 1).0,
        Msg::new(1, 0x0140, [1, 0, 0, 0]).question("a.test", 1, 1).0,
        Msg::new(1, 0x0100, [0, 0, 0, 0]).0,
        [query(1, "a.test", 1), vec![0]].concat(),
        Msg::new(1, 0x0100, [1, 0, 0, 0]).question("a.test", 0, 1).0,
        Msg::new(1, 0x0100, [1, 0, 0, 0]).question("a.test", 1, 77).0,
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"*1\r\n$4\r\nPING\r\n".to_vec(),
    ];
    for b in &bad {
        assert_eq!(Dns.infer(b), None, "{b:?}");
    }
    // Random binary: no false positives.
    let mut rng = Rng::new(42);
    let mut hits = 0;
    for _ in 0..20_000 {
        let len = 12 + rng.below(300) as usize;
        let data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        hits += usize::from(Dns.infer(&data).is_some());
    }
    assert_eq!(hits, 0);
}

#[test]
fn truncated_and_random_input_never_panics() {
    let r = Msg::new(40, 0x8180, [1, 2, 0, 0])
        .question("t.test", 1, 1)
        .rr(&[0xC0, 12], 5, &name("u.test"))
        .rr(&name("u.test"), 1, &[1, 1, 1, 1])
        .0;
    for cut in 0..r.len() {
        let (rows, _) = run(
            TraceRole::Server,
            &ProtocolConfig::default(),
            &[
                (Direction::Ingress, 1, query(40, "t.test", 1)),
                (Direction::Egress, 2, r[..cut].to_vec()),
            ],
        );
        assert!(rows.is_empty(), "cut at {cut}");
    }
    let mut rng = Rng::new(3);
    for i in 0..3000 {
        let len = rng.below(600) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        if i % 2 == 0 {
            // Mutate a real message instead of pure noise.
            data = r.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(data.len() as u64) as usize;
                data[at] = rng.next_u64() as u8;
            }
        }
        drive(&Dns, &data).unwrap_or_else(|e| panic!("input {i}: {e}"));
        let (_, _) = run(
            TraceRole::Unknown,
            &ProtocolConfig::default(),
            &[(Direction::Ingress, 1, data.clone()), (Direction::Egress, 2, data)],
        );
    }
}
