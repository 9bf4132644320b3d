//! A deterministic driver that pushes arbitrary bytes through a protocol session, shared by the
//! cargo-fuzz targets (`fuzz/fuzz_targets/`), the corpus replay test and the randomized tests.
//!
//! The input is fed to **both** directions (one parses it as requests, the other as responses),
//! split into events of pseudo-random sizes, interleaved, with occasional gaps and polls, under
//! pseudo-random limits, every third event naming a peer of its own (as datagrams of an unconnected
//! UDP socket do); the pseudo-random choices are seeded by a hash of the input, so a run is a
//! pure function of the input. Besides "never panics", [`drive`] checks invariants and returns them
//! as errors: every batch has the table's exact schema, rows written = records counted, and the
//! session's memory stays within its bounds.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::protocol::{ChunkMeta, Protocol};
use crate::types::{ConnMeta, Direction, ProtocolConfig, SessionStats, TraceRole};

/// What a run produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FuzzReport {
    /// Rows written to batches.
    pub rows: usize,
    /// The session's counters at the end.
    pub stats: SessionStats,
    /// Largest `buffered_bytes()` seen.
    pub peak_buffered: usize,
}

/// xorshift64*: small, deterministic, good enough to pick split points.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded generator (any seed, including 0).
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    /// Next value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
}

fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The peer [`drive`] attaches to every third event.
pub const FUZZ_PEER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3)), 5300);

/// Connection facts used by [`drive`].
pub fn test_meta(role: TraceRole) -> ConnMeta {
    ConnMeta {
        upid: seer_types::Upid::new(1, 4242, 777),
        local_addr: "127.0.0.1".to_string(),
        local_port: 8080,
        remote_addr: "127.0.0.2".to_string(),
        remote_port: 50000,
        role,
        encrypted: false,
    }
}

/// Feeds `data` through a session of `proto` (see the module docs). `Err` names a broken invariant.
pub fn drive(proto: &dyn Protocol, data: &[u8]) -> Result<FuzzReport, String> {
    let mut rng = Rng::new(fnv1a(data));
    let role = [TraceRole::Client, TraceRole::Server, TraceRole::Unknown][rng.below(3) as usize];
    let small = rng.below(2) == 0;
    let cfg = ProtocolConfig {
        max_body_bytes: if small { 1 + rng.below(64) as usize } else { 512 },
        max_header_bytes: if small { 16 + rng.below(512) as usize } else { 8192 },
        max_head_bytes: if small {
            64 + rng.below(1024) as usize
        } else {
            32 * 1024
        },
        max_buffer_bytes: if small { 128 + rng.below(4096) as usize } else { 1 << 20 },
        max_pending_messages: if small { 1 + rng.below(8) as usize } else { 1024 },
        max_inflate_input_bytes: if small { 64 } else { 64 * 1024 },
        message_expiry_ns: 1 + rng.below(1000),
    };
    let meta = test_meta(role);
    let mut session = proto.new_session(role, &cfg);
    let mut writer = proto.new_writer();
    let schema = proto.table().arrow_schema();
    let mut pos = [0usize; 2];
    let mut ts = 1u64;
    let mut rows = 0usize;
    let mut peak = 0usize;
    let bound = 4 * cfg.max_buffer_bytes.max(cfg.max_head_bytes)
        + cfg.max_pending_messages * 2 * (4 * cfg.max_head_bytes + cfg.max_inflate_input_bytes + 1024)
        + 64 * 1024;
    let finish = |w: &mut dyn crate::TableWriter, rows: &mut usize| -> Result<(), String> {
        let batch = w.finish().map_err(|e| e.to_string())?;
        if batch.schema() != schema {
            return Err("batch schema differs from the table's".to_string());
        }
        *rows += batch.num_rows();
        Ok(())
    };
    while pos.iter().any(|&p| p < data.len()) {
        let d = rng.below(2) as usize;
        let dir = if d == 0 { Direction::Egress } else { Direction::Ingress };
        let p = pos.get(d).copied().unwrap_or(data.len());
        if p >= data.len() {
            continue;
        }
        let left = (data.len() - p) as u64;
        let len = match rng.below(8) {
            0 => left,
            1 => 1,
            _ => 1 + rng.below(left.min(96)),
        } as usize;
        ts += 1 + rng.below(3);
        if rng.below(48) == 0 {
            session.gap(dir, len as u64);
        } else {
            let meta = ChunkMeta {
                ts_ns: ts,
                peer: ts.is_multiple_of(3).then_some(FUZZ_PEER),
            };
            session.feed(dir, meta, data.get(p..p + len).unwrap_or_default());
        }
        if let Some(slot) = pos.get_mut(d) {
            *slot = p + len;
        }
        if rng.below(6) == 0 {
            session.poll(&meta, ts, writer.as_mut());
        }
        if rng.below(16) == 0 {
            finish(writer.as_mut(), &mut rows)?;
        }
        peak = peak.max(session.buffered_bytes());
        if session.buffered_bytes() > bound {
            return Err(format!(
                "session holds {} bytes, bound {bound}",
                session.buffered_bytes()
            ));
        }
    }
    session.poll(&meta, ts, writer.as_mut());
    session.close(&meta, ts + 1, writer.as_mut());
    finish(writer.as_mut(), &mut rows)?;
    let stats = session.stats();
    if rows as u64 != stats.records {
        return Err(format!("{rows} rows written but {} records counted", stats.records));
    }
    Ok(FuzzReport {
        rows,
        stats,
        peak_buffered: peak,
    })
}
