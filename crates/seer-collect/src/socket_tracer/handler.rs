//! The tracer-thread side: turns BPF events into connection state, protocol records and
//! `conn_stats` rows, and hands finished batches to the collector through a channel.

use std::collections::HashMap;
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::Duration;

use arrow::record_batch::RecordBatch;
use seer_bpf::BootClock;
use seer_bpf::socket::{ConnKey, SocketEvent, SocketEventHandler};
use seer_protocols::ProtocolConfig;

use super::conn::{Chunk, Conn, ProtoState, Writers, dir_of};
use super::conn_stats::ConnStats;
use super::proto_stats::ProtocolTally;
use super::{Shared, TracerConfig};

/// Output of the tracer thread for one flush.
pub(crate) struct Flush {
    pub batches: Vec<(&'static str, RecordBatch)>,
}

pub(crate) struct Handler {
    asid: u32,
    cfg: ProtocolConfig,
    clock: BootClock,
    conns: HashMap<(u32, i32), (u64, Conn)>,
    writers: Writers,
    stats: ConnStats,
    out: SyncSender<Flush>,
    shared: std::sync::Arc<Shared>,
    flush_every_ns: u64,
    conn_stats_every_ns: u64,
    idle_ns: u64,
    max_conns: usize,
    last_flush: u64,
    last_conn_stats: u64,
    last_sweep: u64,
    to_disable: Vec<ConnKey>,
    /// Counters of closed sessions and of rows lost, per protocol.
    closed_stats: ProtocolTally,
    local_clients: bool,
}

impl Handler {
    pub fn new(asid: u32, cfg: &TracerConfig, out: SyncSender<Flush>, shared: std::sync::Arc<Shared>) -> Self {
        let now = seer_bpf::monotonic_ns();
        let ns = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        Self {
            asid,
            cfg: cfg.protocol.clone(),
            clock: BootClock::new(),
            conns: HashMap::new(),
            writers: Writers::new(),
            stats: ConnStats::new(cfg.max_conn_stats_keys),
            out,
            shared,
            flush_every_ns: ns(cfg.flush_interval),
            conn_stats_every_ns: ns(cfg.conn_stats_interval),
            idle_ns: ns(cfg.idle_timeout),
            max_conns: cfg.max_connections,
            last_flush: now,
            last_conn_stats: now,
            last_sweep: now,
            to_disable: Vec::new(),
            closed_stats: ProtocolTally::new(),
            local_clients: cfg.local_clients,
        }
    }

    fn wall(&self, mono: u64) -> u64 {
        u64::try_from(self.clock.to_wall(mono)).unwrap_or(0)
    }

    fn close_conn(&mut self, mut c: Conn, wr: u64, rd: u64, now_mono: u64) {
        let wall = self.wall(now_mono);
        c.close(wr, rd, wall, &mut self.writers);
        if let ProtoState::Known { proto, session } = &c.proto {
            self.closed_stats.add_closed(proto.id(), &session.stats());
        }
        self.stats.on_close(&mut c);
    }

    fn flush(&mut self, now: u64, force_conn_stats: bool) {
        let wall = self.wall(now);
        for (_, c) in self.conns.values_mut() {
            c.poll(wall, &mut self.writers);
        }
        let mut batches = Vec::new();
        for (p, w) in &mut self.writers.entries {
            if w.is_empty() {
                continue;
            }
            match w.finish() {
                Ok(b) => batches.push((p.table().name, b)),
                Err(e) => {
                    tracing::warn!(protocol = p.name(), error = %e, "building a protocol batch failed");
                    self.shared.add_error();
                }
            }
        }
        if force_conn_stats || now.saturating_sub(self.last_conn_stats) >= self.conn_stats_every_ns {
            self.last_conn_stats = now;
            let live = self.conns.values_mut().map(|(_, c)| c);
            match self.stats.report(live, wall as i64) {
                Ok(Some(b)) => batches.push((seer_types::tables::CONN_STATS.name, b)),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "building conn_stats failed");
                    self.shared.add_error();
                }
            }
        }
        if !batches.is_empty()
            && let Err(e) = self.out.try_send(Flush { batches })
        {
            self.shared.add_flush_dropped();
            let (TrySendError::Full(lost) | TrySendError::Disconnected(lost)) = e;
            for (table, b) in lost.batches {
                self.closed_stats.add_rows_lost(table, b.num_rows() as u64);
            }
        }
        self.publish_session_stats();
    }

    fn publish_session_stats(&self) {
        let mut per_protocol = self.closed_stats.clone();
        let mut buffered = 0usize;
        for (_, c) in self.conns.values() {
            let held = c.buffered();
            if let ProtoState::Known { proto, session } = &c.proto {
                per_protocol.add_live(proto.id(), &session.stats(), held);
            }
            buffered += held;
        }
        self.shared.set_sessions(per_protocol, self.conns.len(), buffered);
    }

    /// Expires idle connections and connections of processes that are gone.
    fn sweep(&mut self, now: u64) {
        let idle: Vec<(u32, i32)> = self
            .conns
            .iter()
            .filter(|(k, (_, c))| {
                now.saturating_sub(c.last_ns) > self.idle_ns
                    || !std::path::Path::new(&format!("/proc/{}", k.0)).exists()
            })
            .map(|(k, _)| *k)
            .collect();
        for k in idle {
            if let Some((_, c)) = self.conns.remove(&k) {
                let (wr, rd) = (c.bytes[0], c.bytes[1]);
                self.close_conn(c, wr, rd, now);
                self.shared.add_expired();
            }
        }
    }
}

impl SocketEventHandler for Handler {
    fn on_event(&mut self, ev: SocketEvent<'_>) {
        match ev {
            SocketEvent::Open(o) => {
                let k = (o.key.tgid, o.key.fd);
                if let Some((_, old)) = self.conns.remove(&k) {
                    let (wr, rd) = (old.bytes[0], old.bytes[1]);
                    self.close_conn(old, wr, rd, o.ts_ns);
                }
                if self.conns.len() >= self.max_conns {
                    self.shared.add_conn_dropped();
                    self.to_disable.push(o.key);
                    return;
                }
                self.conns
                    .insert(k, (o.key.gen_ns, Conn::from_open(&o, self.asid, self.local_clients)));
            }
            SocketEvent::Data(d) => {
                let wall = self.wall(d.ts_ns);
                let Some((gen_ns, c)) = self.conns.get_mut(&(d.key.tgid, d.key.fd)) else {
                    self.shared.add_orphan();
                    return;
                };
                if *gen_ns != d.key.gen_ns {
                    self.shared.add_orphan();
                    return;
                }
                c.last_ns = d.ts_ns;
                let ch = Chunk {
                    dir: dir_of(d.dir),
                    pos: d.pos,
                    msg_size: d.msg_size,
                    wall_ns: wall,
                    data: d.data,
                    tls: d.tls,
                    peer: d.peer,
                };
                if c.on_data(&ch, &self.cfg) && !c.disabled {
                    c.disabled = true;
                    self.to_disable.push(d.key);
                }
                // Stitch now rather than at the next flush when the session's queues fill up: a
                // drain can hold more of one connection's messages than they take.
                if c.wants_poll() {
                    c.poll(wall, &mut self.writers);
                } else {
                    c.stitch_ready(&mut self.writers);
                }
            }
            SocketEvent::Exec(_) => {}
            SocketEvent::Close(cl) => {
                let k = (cl.key.tgid, cl.key.fd);
                if self.conns.get(&k).is_some_and(|(g, _)| *g == cl.key.gen_ns)
                    && let Some((_, c)) = self.conns.remove(&k)
                {
                    self.close_conn(c, cl.wr_bytes, cl.rd_bytes, cl.ts_ns);
                }
            }
        }
    }

    fn after_drain(&mut self, disable: &mut Vec<ConnKey>) {
        disable.append(&mut self.to_disable);
        let now = seer_bpf::monotonic_ns();
        if now.saturating_sub(self.last_sweep) >= 5_000_000_000 {
            self.last_sweep = now;
            self.clock.refresh();
            self.sweep(now);
        }
        if now.saturating_sub(self.last_flush) >= self.flush_every_ns || self.shared.take_flush_request() {
            self.last_flush = now;
            self.flush(now, false);
        }
    }
}
