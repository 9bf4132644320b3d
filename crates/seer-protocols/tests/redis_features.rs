//! Redis behaviour: pipelining and resynchronisation, subscriptions, pushes, bounded memory on
//! large values, inference, and robustness against truncated and random input.

use seer_protocols::fuzz::{Rng, drive, test_meta};
use seer_protocols::redis::{Redis, RedisRecord, RedisWriter};
use seer_protocols::{ChunkMeta, Direction, MessageKind, Protocol, ProtocolConfig, SessionStats, TraceRole};

fn cmd(args: &[&str]) -> Vec<u8> {
    let mut v = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        v.extend(format!("${}\r\n{a}\r\n", a.len()).as_bytes());
    }
    v
}

type Events = Vec<(Direction, u64, Vec<u8>)>;

fn run_cfg(role: TraceRole, cfg: &ProtocolConfig, events: &Events) -> (Vec<RedisRecord>, SessionStats) {
    let mut s = Redis.new_session(role, cfg);
    let mut w = RedisWriter::new();
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

fn run(events: &Events) -> (Vec<RedisRecord>, SessionStats) {
    run_cfg(TraceRole::Server, &ProtocolConfig::default(), events)
}

const IN: Direction = Direction::Ingress;
const OUT: Direction = Direction::Egress;

fn summary(rows: &[RedisRecord]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|r| (r.req_cmd.clone(), r.req_args.clone(), r.resp.clone()))
        .collect()
}

fn s3(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.to_string(), b.to_string(), c.to_string())
}

#[test]
fn pipelined_commands_pair_in_order_with_latency() {
    let reqs = [cmd(&["SET", "a", "1"]), cmd(&["INCR", "a"]), cmd(&["GET", "a"])].concat();
    let (rows, _) = run(&vec![
        (IN, 100, reqs),
        (OUT, 150, b"+OK\r\n:2\r\n".to_vec()),
        (OUT, 180, b"$1\r\n2\r\n".to_vec()),
    ]);
    assert_eq!(
        summary(&rows),
        vec![
            s3("SET", r#"{"key":"a","value":"1","options":[]}"#, "OK"),
            s3("INCR", r#"{"key":"a"}"#, "2"),
            s3("GET", r#"{"key":"a"}"#, "2"),
        ]
    );
    assert_eq!(rows.iter().map(|r| r.head.latency).collect::<Vec<_>>(), [50, 50, 80]);
}

#[test]
fn a_lost_reply_realigns_after_the_gap() {
    let mut s = Redis.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = RedisWriter::new();
    let meta = test_meta(TraceRole::Server);
    s.feed(IN, ChunkMeta::at(10), &cmd(&["GET", "x"]));
    s.feed(IN, ChunkMeta::at(20), &cmd(&["GET", "y"]));
    s.gap(OUT, 7); // the reply to GET x was lost
    s.feed(OUT, ChunkMeta::at(30), b"$1\r\nY\r\n");
    s.poll(&meta, 40, &mut w);
    assert_eq!(summary(w.rows()), vec![s3("GET", r#"{"key":"y"}"#, "Y")]);
    assert_eq!(s.stats().unmatched_requests, 1);
}

#[test]
fn garbage_resynchronises_at_the_next_line() {
    let (rows, stats) = run(&vec![
        (IN, 1, b"\x00\x01garbage\r\n".to_vec()),
        (IN, 2, cmd(&["PING"])),
        (OUT, 3, b"+PONG\r\n".to_vec()),
    ]);
    assert_eq!(summary(&rows), vec![s3("PING", "{}", "PONG")]);
    assert!(stats.parse_errors >= 1);
}

#[test]
fn subscriptions_gather_their_confirmations() {
    let confirm = |kind: &str, ch: &str, n: u32| {
        format!("*3\r\n${}\r\n{kind}\r\n${}\r\n{ch}\r\n:{n}\r\n", kind.len(), ch.len()).into_bytes()
    };
    let events = vec![
        (IN, 1, cmd(&["SUBSCRIBE", "a", "b"])),
        (
            OUT,
            2,
            [confirm("subscribe", "a", 1), confirm("subscribe", "b", 2)].concat(),
        ),
        (OUT, 3, b"*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n".to_vec()),
        (
            OUT,
            4,
            b"*4\r\n$8\r\npmessage\r\n$2\r\nb*\r\n$1\r\nb\r\n$2\r\nyo\r\n".to_vec(),
        ),
        (IN, 5, cmd(&["PING"])),
        (OUT, 6, b"*2\r\n$4\r\npong\r\n$0\r\n\r\n".to_vec()),
        (IN, 7, cmd(&["UNSUBSCRIBE"])),
        (OUT, 8, confirm("unsubscribe", "a", 1)),
        (OUT, 9, confirm("unsubscribe", "b", 0)),
        (IN, 10, cmd(&["GET", "k"])),
        (OUT, 11, b"$-1\r\n".to_vec()),
    ];
    let (rows, stats) = run(&events);
    assert_eq!(
        summary(&rows),
        vec![
            s3(
                "SUBSCRIBE",
                r#"{"channel":["a","b"]}"#,
                r#"[["subscribe","a","1"],["subscribe","b","2"]]"#
            ),
            s3("PUSH PUB", "", r#"["message","a","hi"]"#),
            s3("PUSH PUB", "", r#"["pmessage","b*","b","yo"]"#),
            s3("PING", "{}", r#"["pong",""]"#),
            s3(
                "UNSUBSCRIBE",
                "[]",
                r#"[["unsubscribe","a","1"],["unsubscribe","b","0"]]"#
            ),
            s3("GET", r#"{"key":"k"}"#, "<NULL>"),
        ]
    );
    assert_eq!((stats.unmatched_requests, stats.unmatched_responses), (0, 0));
    // Pushes carry zero latency and their own time.
    assert_eq!((rows[1].head.latency, rows[1].head.time_ns), (0, 3));
    // Waiting for the second confirmation holds the record back, not loses it.
    let (rows, _) = run(&vec![
        (IN, 1, cmd(&["SUBSCRIBE", "a", "b"])),
        (OUT, 2, confirm("subscribe", "a", 1)),
    ]);
    assert!(rows.is_empty());
}

#[test]
fn resp3_pushes_and_replies_without_answers() {
    let events = vec![
        (IN, 1, cmd(&["HELLO", "3"])),
        (OUT, 2, b"%1\r\n$5\r\nproto\r\n:3\r\n".to_vec()),
        (OUT, 3, b">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n".to_vec()),
        (IN, 4, cmd(&["REPLCONF", "ACK", "100"])),
        (IN, 5, cmd(&["SUBSCRIBE", "c"])),
        (OUT, 6, b">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n".to_vec()),
        (OUT, 7, b">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n".to_vec()),
    ];
    let (rows, _) = run(&events);
    assert_eq!(
        summary(&rows),
        vec![
            s3("HELLO", r#"["3"]"#, r#"{"proto":"3"}"#),
            s3("PUSH INVALIDATE", "", r#"["invalidate",["k"]]"#),
            s3("REPLCONF ACK", r#"{"offset":"100"}"#, ""),
            s3("SUBSCRIBE", r#"{"channel":["c"]}"#, r#"["subscribe","c","1"]"#),
            s3("PUSH PUB", "", r#"["message","c","m"]"#),
        ]
    );
}

#[test]
fn huge_values_stream_through_bounded_buffers() {
    let cfg = ProtocolConfig {
        max_buffer_bytes: 64 * 1024,
        ..Default::default()
    };
    let value = vec![b'v'; 4 * 1024 * 1024];
    let mut s = Redis.new_session(TraceRole::Server, &cfg);
    let mut w = RedisWriter::new();
    let meta = test_meta(TraceRole::Server);
    let mut req = format!("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n${}\r\n", value.len()).into_bytes();
    req.extend(&value);
    req.extend(b"\r\n");
    let mut peak = 0;
    for (i, chunk) in req.chunks(4096).enumerate() {
        s.feed(IN, ChunkMeta::at(10 + i as u64), chunk);
        peak = peak.max(s.buffered_bytes());
    }
    s.feed(OUT, ChunkMeta::at(5000), b"+OK\r\n");
    s.poll(&meta, 5000, &mut w);
    assert!(peak < 16 * 1024, "held {peak} bytes");
    let rows = w.take_rows();
    assert_eq!(rows.len(), 1, "{:?}", s.stats());
    assert!(rows[0].req_args.len() <= 512 + 20, "{}", rows[0].req_args.len());
    assert!(rows[0].req_args.ends_with("... [TRUNCATED]"));
    assert_eq!(rows[0].resp, "OK");
    assert_eq!(s.stats().bytes_dropped, 0);
}

#[test]
fn roles_and_inference() {
    let events = |req: Direction| {
        vec![
            (req, 1, cmd(&["GET", "k"])),
            (req.opposite(), 2, b"$1\r\nv\r\n".to_vec()),
        ]
    };
    for (role, req_dir, want) in [
        (TraceRole::Client, OUT, 1),
        (TraceRole::Server, IN, 2),
        (TraceRole::Unknown, IN, 2),
        (TraceRole::Unknown, OUT, 1),
    ] {
        let (rows, _) = run_cfg(role, &ProtocolConfig::default(), &events(req_dir));
        assert_eq!(rows.len(), 1, "{role:?}");
        assert_eq!(rows[0].head.trace_role, want, "{role:?} {req_dir:?}");
    }
    assert_eq!(Redis.infer(&cmd(&["GET", "k"])), Some(MessageKind::Request));
    assert_eq!(Redis.infer(b"+OK\r\n"), Some(MessageKind::Response));
    let mut rng = Rng::new(9);
    let mut hits = 0;
    for _ in 0..20_000 {
        let len = 1 + rng.below(200) as usize;
        let data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        hits += usize::from(Redis.infer(&data).is_some());
    }
    assert_eq!(hits, 0, "random binary taken for Redis");
}

#[test]
fn truncated_and_random_input_never_panics() {
    let stream = [
        cmd(&["HSET", "h", "f", "v"]),
        b"*2\r\n$3\r\nGET\r\n".to_vec(),
        b"%2\r\n+a\r\n*2\r\n:1\r\n,2.5\r\n+b\r\n|1\r\n+x\r\n+y\r\n=8\r\ntxt:abcd\r\n".to_vec(),
        b">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n".to_vec(),
    ]
    .concat();
    for cut in 0..stream.len() {
        drive(&Redis, &stream[..cut]).unwrap_or_else(|e| panic!("cut {cut}: {e}"));
    }
    let mut rng = Rng::new(11);
    for i in 0..3000 {
        let data: Vec<u8> = if i % 2 == 0 {
            let mut d = stream.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(d.len() as u64) as usize;
                d[at] = b"*$:+-\r\n0123_%~>|#,(=!"[rng.below(21) as usize];
            }
            d
        } else {
            let len = rng.below(400) as usize;
            (0..len).map(|_| rng.next_u64() as u8).collect()
        };
        drive(&Redis, &data).unwrap_or_else(|e| panic!("input {i}: {e}"));
    }
}

#[test]
fn capture_gaps_inside_values_keep_the_connection_in_step() {
    // A 1 MiB SET of which the capture kept 16 KiB: the gap lies inside the value's payload.
    let mut s = Redis.new_session(TraceRole::Server, &ProtocolConfig::default());
    let mut w = RedisWriter::new();
    let meta = test_meta(TraceRole::Server);
    let size = 1 << 20;
    let mut head = format!("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n${size}\r\n").into_bytes();
    let kept = 16 * 1024 - head.len();
    head.extend(vec![b'x'; kept]);
    s.feed(IN, ChunkMeta::at(10), &head);
    s.gap(IN, (size - kept) as u64);
    s.feed(IN, ChunkMeta::at(11), b"\r\n");
    s.feed(IN, ChunkMeta::at(12), &cmd(&["LRANGE", "l", "0", "-1"]));
    s.feed(IN, ChunkMeta::at(13), &cmd(&["PING"]));
    s.feed(OUT, ChunkMeta::at(20), b"+OK\r\n");
    // The LRANGE reply: 1000 elements of which only the first ten were captured.
    let mut reply = b"*1000\r\n".to_vec();
    for i in 0..10 {
        reply.extend(format!("$2\r\ne{i}\r\n").as_bytes());
    }
    s.feed(OUT, ChunkMeta::at(21), &reply);
    s.gap(OUT, 5000);
    // The rest of the reply as the next event, ending on a boundary, then PING's reply.
    let mut tail = Vec::new();
    for i in 900..1000 {
        tail.extend(format!("$4\r\ne{i}\r\n").as_bytes());
    }
    s.feed(OUT, ChunkMeta::at(22), &tail);
    s.feed(OUT, ChunkMeta::at(23), b"+PONG\r\n");
    s.poll(&meta, 30, &mut w);
    let rows = w.take_rows();
    let got = summary(&rows);
    assert_eq!(got.len(), 3, "{got:#?} {:?}", s.stats());
    assert_eq!(got[0].0, "SET");
    assert!(got[0].1.starts_with(r#"{"key":"big","value":"xxx"#) && got[0].1.contains("[TRUNCATED]"));
    assert_eq!(got[0].2, "OK");
    assert_eq!(got[1].0, "LRANGE");
    assert!(
        got[1].2.starts_with(r#"["e0","e1","#) && got[1].2.ends_with(r#""... 990 elements omitted"]"#),
        "{}",
        got[1].2
    );
    assert_eq!(got[2], s3("PING", "{}", "PONG"));
}

#[test]
fn a_gap_that_swallows_the_closing_crlf_keeps_the_framing() {
    for swallowed in 0..=2u64 {
        let mut s = Redis.new_session(TraceRole::Server, &ProtocolConfig::default());
        let mut w = RedisWriter::new();
        let meta = test_meta(TraceRole::Server);
        s.feed(
            IN,
            ChunkMeta::at(1),
            b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\n0123456789",
        );
        s.gap(IN, 90 + swallowed);
        s.feed(IN, ChunkMeta::at(2), &b"\r\n"[swallowed as usize..]);
        s.feed(IN, ChunkMeta::at(3), &cmd(&["GET", "k"]));
        s.feed(OUT, ChunkMeta::at(4), b"+OK\r\n$3\r\nabc\r\n");
        s.poll(&meta, 5, &mut w);
        let got: Vec<String> = w.rows().iter().map(|r| format!("{} {}", r.req_cmd, r.resp)).collect();
        assert_eq!(got, ["SET OK", "GET abc"], "swallowed {swallowed}");
    }
}
