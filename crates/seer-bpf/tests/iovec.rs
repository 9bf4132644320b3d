//! Root test against the real kernel: how a vectored write (`writev`) reaches user space. The pieces
//! of one call travel together: one data event while they fit in `max_payload`, cut at
//! `max_payload` (not at iovec boundaries) beyond it, and cut off at `chunk_limit` events with the
//! rest counted. The writer is a child `python3` (the tracer skips its own process).

use std::io::Read;
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use seer_bpf::bpf_or_skip;
use seer_bpf::socket::{ConnKey, DataDirection, SocketEvent, SocketEventHandler, SocketTraceConfig, SocketTracer};

/// x86_64 `writev`.
const NR_WRITEV: u8 = 20;

/// A data event as the handler saw it.
#[derive(Debug, Clone)]
struct Chunk {
    tgid: u32,
    dir: DataDirection,
    syscall: u8,
    pos: u64,
    msg_size: u32,
    data: Vec<u8>,
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Chunk>>>);

impl SocketEventHandler for Recorder {
    fn on_event(&mut self, ev: SocketEvent<'_>) {
        if let SocketEvent::Data(d) = ev {
            self.0.lock().expect("recorder lock").push(Chunk {
                tgid: d.key.tgid,
                dir: d.dir,
                syscall: d.syscall,
                pos: d.pos,
                msg_size: d.msg_size,
                data: d.data.to_vec(),
            });
        }
    }

    fn after_drain(&mut self, _disable: &mut Vec<ConnKey>) {}
}

/// Piece `i` of the writev: `len` bytes of one letter each, so a misplaced byte shows.
fn piece(i: usize, len: usize) -> Vec<u8> {
    vec![b'a' + (i % 26) as u8; len]
}

/// Has a child python3 connect to a local listener and write `sizes` with one `writev`; returns the
/// child's pid and the bytes the listener received.
fn writev_from_child(sizes: &[usize]) -> (u32, Vec<u8>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let parts: Vec<String> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| format!("bytes([{}]) * {n}", b'a' + (i % 26) as u8))
        .collect();
    let script = format!(
        "import os, socket\ns = socket.create_connection(('127.0.0.1', {port}))\n\
         n = os.writev(s.fileno(), [{}])\nassert n == {}, n\ns.close()\n",
        parts.join(", "),
        sizes.iter().sum::<usize>()
    );
    let mut child = Command::new("python3").args(["-c", &script]).spawn().expect("python3");
    let (mut conn, _) = listener.accept().expect("accept");
    let mut got = Vec::new();
    conn.read_to_end(&mut got).expect("read");
    let status = child.wait().expect("wait");
    assert!(status.success(), "python3 writev failed: {status}");
    (child.id(), got)
}

/// Starts a tracer, runs one writev of `sizes` in a child, and returns the child's egress writev
/// events, ordered by position, once they have arrived (or after 5 s) and the tracer's stats.
fn trace_writev(cfg: SocketTraceConfig, sizes: &[usize]) -> (Vec<Chunk>, Vec<u8>, seer_bpf::socket::TracerStats) {
    let rec = Recorder::default();
    let tracer = SocketTracer::start(
        SocketTraceConfig {
            drain_interval: Duration::from_millis(20),
            tls: false,
            ..cfg
        },
        rec.clone(),
    )
    .expect("tracer starts");
    let (pid, sent) = writev_from_child(sizes);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mine = || -> Vec<Chunk> {
        let all = rec.0.lock().expect("recorder lock");
        let mut v: Vec<Chunk> = all
            .iter()
            .filter(|c| c.tgid == pid && c.dir == DataDirection::Egress)
            .cloned()
            .collect();
        v.sort_by_key(|c| c.pos);
        v
    };
    while mine().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Later chunks of the same call are in the same drain; give a straggler one more drain.
    std::thread::sleep(Duration::from_millis(100));
    let stats = tracer.stats();
    drop(tracer);
    (mine(), sent, stats)
}

fn concat(chunks: &[Chunk]) -> Vec<u8> {
    chunks.iter().flat_map(|c| c.data.iter().copied()).collect()
}

fn expected(sizes: &[usize]) -> Vec<u8> {
    sizes.iter().enumerate().flat_map(|(i, &n)| piece(i, n)).collect()
}

#[test]
fn a_small_writev_is_one_event_with_every_iovec() {
    if !bpf_or_skip("a_small_writev_is_one_event_with_every_iovec") {
        return;
    }
    let sizes = [10, 200, 1, 35];
    let (chunks, sent, _) = trace_writev(SocketTraceConfig::default(), &sizes);
    assert_eq!(sent, expected(&sizes), "the listener got what was written");
    assert_eq!(chunks.len(), 1, "one event for the whole call: {chunks:?}");
    let c = &chunks[0];
    assert_eq!(c.syscall, NR_WRITEV);
    assert_eq!(c.pos, 0);
    assert_eq!(c.msg_size, 246);
    assert_eq!(c.data, expected(&sizes));
}

#[test]
fn a_large_writev_is_cut_at_max_payload_not_at_iovecs() {
    if !bpf_or_skip("a_large_writev_is_cut_at_max_payload_not_at_iovecs") {
        return;
    }
    let sizes = [3000, 3000, 3000, 5];
    let cfg = SocketTraceConfig {
        max_payload: 4096,
        chunk_limit: 4,
        ..SocketTraceConfig::default()
    };
    let (chunks, _, _) = trace_writev(cfg, &sizes);
    let lens: Vec<usize> = chunks.iter().map(|c| c.data.len()).collect();
    assert_eq!(lens, [4096, 4096, 813], "{chunks:?}");
    let pos: Vec<u64> = chunks.iter().map(|c| c.pos).collect();
    assert_eq!(pos, [0, 4096, 8192]);
    let sizes_left: Vec<u32> = chunks.iter().map(|c| c.msg_size).collect();
    assert_eq!(sizes_left, [9005, 4909, 813], "bytes of the call from each event on");
    assert_eq!(concat(&chunks), expected(&sizes));
}

#[test]
fn a_writev_past_the_chunk_limit_sends_the_first_chunks_and_counts_the_rest() {
    if !bpf_or_skip("a_writev_past_the_chunk_limit_sends_the_first_chunks_and_counts_the_rest") {
        return;
    }
    let sizes = [1500, 1500, 1500, 1500, 1500];
    let cfg = SocketTraceConfig {
        max_payload: 2048,
        chunk_limit: 2,
        ..SocketTraceConfig::default()
    };
    let (chunks, _, stats) = trace_writev(cfg, &sizes);
    let lens: Vec<usize> = chunks.iter().map(|c| c.data.len()).collect();
    assert_eq!(lens, [2048, 2048], "{chunks:?}");
    assert_eq!(chunks[0].msg_size, 7500);
    assert_eq!(chunks[1].msg_size, 7500 - 2048);
    assert_eq!(concat(&chunks), expected(&sizes)[..4096].to_vec());
    // Every traced process on the host adds to the counter: at least this call's 3404 bytes.
    assert!(stats.bytes_skipped >= 7500 - 4096, "{stats:?}");
}
