//! The socket tracer collector: every TCP/UDP connection of every process on the host (through
//! `seer-bpf`'s syscall tracepoints), parsed by `seer-protocols` into `http_events` (and the other
//! protocol tables as they are registered), plus `conn_stats`.
//!
//! Data path: the BPF thread of [`seer_bpf::socket::SocketTracer`] calls [`handler::Handler`] for
//! every event; the handler keeps one [`conn::Conn`] per (pid, fd, generation), feeds its protocol
//! session, and every `flush_interval` builds batches that it sends over a bounded channel. The
//! agent calls [`SocketTracerCollector::collect`], which appends those batches to the store and
//! reports the BPF and parser loss counters as drops/errors in `self_telemetry`, plus one
//! `kind = 'protocol'` row per registered protocol ([`proto_stats`] documents the columns).

mod conn;
mod conn_stats;
mod handler;
pub mod proto_stats;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use seer_bpf::socket::{SocketTraceConfig, SocketTracer, TracerStats};
use seer_protocols::{ProtocolConfig, SessionStats};
use seer_types::{RecordSink, TableDef};

use crate::collector::{CollectContext, CollectError, CollectReport, Collector};
use handler::{Flush, Handler};
pub use proto_stats::ProtocolStats;
use proto_stats::{ProtocolTally, TableIntake};

/// Socket tracer settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracerConfig {
    /// Run the tracer (needs root and kernel BTF; when it cannot start, the agent logs why and goes on).
    pub enabled: bool,
    /// Agent id written into UPIDs.
    pub asid: u32,
    /// BPF side: ring size, payload per event, chunks per syscall, drain interval.
    pub bpf: SocketTraceConfig,
    /// Parser limits.
    pub protocol: ProtocolConfig,
    /// How often parsed records are turned into batches.
    pub flush_interval: Duration,
    /// How often `conn_stats` rows are written.
    pub conn_stats_interval: Duration,
    /// Connections without traffic for this long are dropped from tracking.
    pub idle_timeout: Duration,
    /// Connections tracked at most (more are counted and not traced).
    pub max_connections: usize,
    /// `conn_stats` keys at most.
    pub max_conn_stats_keys: usize,
    /// Record the client side of connections whose peer is on this host (loopback, or the
    /// host's own address) for every protocol. Off by default: the server side of such a connection
    /// is recorded anyway, and tracing both sides doubles the cost (Pixie's default too). Protocols
    /// whose [`seer_protocols::Protocol::records_local_clients`] is true are recorded either way.
    pub local_clients: bool,
}

impl Default for TracerConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            asid: 1,
            bpf: SocketTraceConfig::default(),
            protocol: ProtocolConfig::default(),
            flush_interval: Duration::from_millis(500),
            conn_stats_interval: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(300),
            max_connections: 65536,
            max_conn_stats_keys: 65536,
            local_clients: false,
        }
    }
}

/// Counters shared between the tracer thread and the collector.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    errors: AtomicU64,
    flush_dropped: AtomicU64,
    conn_dropped: AtomicU64,
    orphans: AtomicU64,
    expired: AtomicU64,
    flush_requested: AtomicBool,
    sessions: Mutex<SessionsSnapshot>,
}

/// What the tracer thread last published about its sessions.
#[derive(Debug, Default)]
struct SessionsSnapshot {
    protocols: Vec<ProtocolStats>,
    connections: usize,
    buffered_bytes: usize,
}

impl Shared {
    fn add_error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }
    fn add_flush_dropped(&self) {
        self.flush_dropped.fetch_add(1, Ordering::Relaxed);
    }
    fn add_conn_dropped(&self) {
        self.conn_dropped.fetch_add(1, Ordering::Relaxed);
    }
    fn add_orphan(&self) {
        self.orphans.fetch_add(1, Ordering::Relaxed);
    }
    fn add_expired(&self) {
        self.expired.fetch_add(1, Ordering::Relaxed);
    }
    fn take_flush_request(&self) -> bool {
        self.flush_requested.swap(false, Ordering::Relaxed)
    }
    fn set_sessions(&self, protocols: ProtocolTally, connections: usize, buffered_bytes: usize) {
        *self.sessions.lock().unwrap_or_else(|e| e.into_inner()) = SessionsSnapshot {
            protocols: protocols.into_vec(),
            connections,
            buffered_bytes,
        };
    }
}

/// A snapshot of the tracer's counters (BPF, tracker and parsers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SocketTracerStats {
    /// BPF and decoder counters.
    pub bpf: TracerStats,
    /// Parser/stitcher counters summed over every session (live and closed).
    pub sessions: SessionStats,
    /// The same per registered protocol (registry order), with rows lost per protocol table.
    pub protocols: Vec<ProtocolStats>,
    /// Connections tracked now.
    pub connections: usize,
    /// Bytes buffered in sessions now.
    pub buffered_bytes: usize,
    /// Data events for connections whose open was never seen (lost) or of an older generation.
    pub orphan_events: u64,
    /// Connections not tracked because `max_connections` was reached.
    pub connections_dropped: u64,
    /// Batches lost because the collector did not keep up.
    pub flushes_dropped: u64,
}

/// The collector the agent schedules.
pub struct SocketTracerCollector {
    tracer: SocketTracer,
    rx: Receiver<Flush>,
    shared: Arc<Shared>,
    reported_drops: u64,
    reported_errors: u64,
    intake: TableIntake,
}

impl std::fmt::Debug for SocketTracerCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketTracerCollector").finish_non_exhaustive()
    }
}

impl SocketTracerCollector {
    /// Loads the BPF programs and starts tracing.
    pub fn start(cfg: &TracerConfig) -> Result<Self, seer_bpf::BpfError> {
        let (tx, rx) = sync_channel(64);
        let shared = Arc::new(Shared::default());
        let handler = Handler::new(cfg.asid, cfg, tx, shared.clone());
        let tracer = SocketTracer::start(cfg.bpf.clone(), handler)?;
        Ok(Self {
            tracer,
            rx,
            shared,
            reported_drops: 0,
            reported_errors: 0,
            intake: TableIntake::default(),
        })
    }

    /// The syscall hooks in use.
    pub fn hooks(&self) -> seer_bpf::socket::SyscallHooks {
        self.tracer.hooks()
    }

    /// Current counters.
    pub fn stats(&self) -> SocketTracerStats {
        let snap = self.shared.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let protocols = match snap.protocols.is_empty() {
            true => ProtocolTally::new().into_vec(),
            false => snap.protocols.clone(),
        };
        SocketTracerStats {
            bpf: self.tracer.stats(),
            sessions: proto_stats::total(&protocols),
            protocols,
            connections: snap.connections,
            buffered_bytes: snap.buffered_bytes,
            orphan_events: self.shared.orphans.load(Ordering::Relaxed),
            connections_dropped: self.shared.conn_dropped.load(Ordering::Relaxed),
            flushes_dropped: self.shared.flush_dropped.load(Ordering::Relaxed),
        }
    }

    /// Asks the tracer thread to flush parsed records at its next drain (tests, shutdown).
    pub fn request_flush(&self) {
        self.shared.flush_requested.store(true, Ordering::Relaxed);
    }
}

impl Collector for SocketTracerCollector {
    fn name(&self) -> &'static str {
        "socket_tracer"
    }

    fn tables(&self) -> Vec<&'static TableDef> {
        let mut t: Vec<&'static TableDef> = seer_protocols::registry().iter().map(|p| p.table()).collect();
        t.push(&seer_types::tables::CONN_STATS);
        t
    }

    fn period(&self) -> Duration {
        Duration::from_millis(500)
    }

    fn collect(&mut self, _ctx: &CollectContext, sink: &dyn RecordSink) -> Result<CollectReport, CollectError> {
        let mut report = CollectReport::default();
        while let Ok(flush) = self.rx.try_recv() {
            for (table, batch) in flush.batches {
                let mut one = CollectReport::default();
                one.append(sink, table, batch);
                self.intake.add(table, &one);
                report.merge(&one);
            }
        }
        let s = self.stats();
        let drops = s.bpf.dropped + s.bpf.args_lost + s.bpf.conn_lost + s.flushes_dropped + s.connections_dropped;
        report.dropped += drops.saturating_sub(self.reported_drops);
        self.reported_drops = drops;
        let errors = s.sessions.parse_errors + s.bpf.undecodable + self.shared.errors.load(Ordering::Relaxed);
        report.errors += errors.saturating_sub(self.reported_errors);
        self.reported_errors = errors;
        report.parts = proto_stats::components(&s.protocols, &self.intake);
        Ok(report)
    }
}
