//! The socket tracer: loads `bpf/socket_trace.bpf.c`, attaches it to the raw syscall tracepoints and
//! drains its ring buffer on a dedicated thread.

mod event;
mod tls;

use std::mem::MaybeUninit;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use libbpf_rs::skel::{OpenSkel, Skel, SkelBuilder};
use libbpf_rs::{MapCore, MapFlags, RingBufferBuilder};

pub use event::{ConnClose, ConnKey, ConnOpen, DataChunk, DataDirection, SocketEvent, SocketRole};

use crate::BpfError;
use crate::skel::socket_trace::{SocketTraceSkel, SocketTraceSkelBuilder};

const OBJECT: &str = "socket_trace";
/// Largest payload per event the BPF side supports (`MAX_PAYLOAD`).
pub const MAX_PAYLOAD: u32 = 16384;
/// Largest chunk limit the BPF side supports (`MAX_CHUNKS`).
pub const MAX_CHUNKS: u32 = 8;

/// Socket tracer settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketTraceConfig {
    /// Ring buffer size in bytes (a power of two, at least one page).
    pub ring_bytes: u32,
    /// Payload bytes per event (at most [`MAX_PAYLOAD`]).
    pub max_payload: u32,
    /// Events per syscall (at most [`MAX_CHUNKS`]); bytes beyond `max_payload * chunk_limit` are counted,
    /// not copied.
    pub chunk_limit: u32,
    /// How often the ring buffer is drained.
    pub drain_interval: Duration,
    /// Which kernel hooks see the syscalls.
    pub hooks: SyscallHooks,
    /// Capture TLS plaintext with uprobes on OpenSSL-compatible libraries (`libssl.so*`, and
    /// executables that define `SSL_write`/`SSL_read` themselves).
    pub tls: bool,
}

/// The two ways of hooking syscalls without kprobes (the same BPF logic runs behind both).
/// `bench/http_overhead.py` measures both side by side; the per-syscall tracepoints cost less BPF
/// time per request (5.7 vs 8.0 µs on nginx+wrk, 2026-11-29), so they are the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SyscallHooks {
    /// `tp_btf/sys_enter` + `tp_btf/sys_exit`: one program pair runs on every syscall of the host and
    /// filters on the syscall number; needs no tracefs.
    RawTracepoints,
    /// `syscalls:sys_enter_X` / `sys_exit_X` for the 15 traced syscalls only; tracefs is mounted at
    /// /sys/kernel/tracing if missing (if that fails, the raw tracepoints are used, with a warning).
    #[default]
    SyscallTracepoints,
}

impl SyscallHooks {
    /// Whether the BPF program named `name` belongs to this mode.
    fn owns(self, name: &str) -> bool {
        match self {
            Self::RawTracepoints => name.starts_with("seer_sys_"),
            Self::SyscallTracepoints => name.starts_with("seer_e_") || name.starts_with("seer_x_"),
        }
    }
}

impl Default for SocketTraceConfig {
    fn default() -> Self {
        Self {
            ring_bytes: 32 << 20,
            max_payload: 4096,
            chunk_limit: 4,
            drain_interval: Duration::from_millis(100),
            hooks: SyscallHooks::default(),
            tls: true,
        }
    }
}

impl SocketTraceConfig {
    fn validate(&self) -> Result<(), BpfError> {
        if !self.ring_bytes.is_power_of_two() || self.ring_bytes < 4096 {
            return Err(BpfError::Config(format!(
                "ring_bytes {} is not a power of two >= 4096",
                self.ring_bytes
            )));
        }
        if self.max_payload == 0 || self.max_payload > MAX_PAYLOAD {
            return Err(BpfError::Config(format!(
                "max_payload {} not in 1..={MAX_PAYLOAD}",
                self.max_payload
            )));
        }
        if self.chunk_limit == 0 || self.chunk_limit > MAX_CHUNKS {
            return Err(BpfError::Config(format!(
                "chunk_limit {} not in 1..={MAX_CHUNKS}",
                self.chunk_limit
            )));
        }
        Ok(())
    }
}

/// Receives decoded events on the tracer thread.
pub trait SocketEventHandler: Send + 'static {
    /// One ring-buffer record.
    fn on_event(&mut self, ev: SocketEvent<'_>);
    /// Called after each drain. Push connections whose payload BPF should stop sending (their bytes
    /// are still counted) into `disable`.
    fn after_drain(&mut self, disable: &mut Vec<ConnKey>);
}

/// Counters summed over CPUs (BPF side) plus the user-space decoder's.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TracerStats {
    /// Records written to the ring buffer.
    pub events: u64,
    /// Records lost because the ring buffer was full.
    pub dropped: u64,
    /// Payload bytes not copied (beyond the per-syscall chunk limit).
    pub bytes_skipped: u64,
    /// Syscalls not followed because the per-thread argument map was full.
    pub args_lost: u64,
    /// Connections not tracked because the connection map update failed.
    pub conn_lost: u64,
    /// Payload bytes copied.
    pub data_bytes: u64,
    /// TLS-library calls whose socket was not found (no socket syscall inside the call yet).
    pub tls_no_fd: u64,
    /// Files (shared libraries or executables) the TLS probes are attached to.
    pub tls_files: u64,
    /// Records user space could not decode.
    pub undecodable: u64,
    /// Records handed to the handler.
    pub delivered: u64,
}

#[derive(Debug, Default)]
struct SharedStats([AtomicU64; SHARED_STATS]);

/// BPF counters 0..8 (`STAT_*`), then user space's.
const SHARED_STATS: usize = 11;
const UNDECODABLE: usize = 8;
const DELIVERED: usize = 9;
const TLS_FILES: usize = 10;

impl SharedStats {
    fn snapshot(&self) -> TracerStats {
        let v = |i: usize| self.0[i].load(Ordering::Relaxed);
        TracerStats {
            events: v(0),
            dropped: v(1),
            bytes_skipped: v(2),
            args_lost: v(3),
            conn_lost: v(4),
            data_bytes: v(5),
            tls_no_fd: v(6),
            tls_files: v(TLS_FILES),
            undecodable: v(UNDECODABLE),
            delivered: v(DELIVERED),
        }
    }
}

/// A running socket tracer. Dropping it detaches the programs and joins the thread.
#[derive(Debug)]
pub struct SocketTracer {
    stop: Arc<AtomicBool>,
    stats: Arc<SharedStats>,
    hooks: SyscallHooks,
    thread: Option<JoinHandle<()>>,
}

impl SocketTracer {
    /// Loads and attaches the programs, then drains events into `handler` until dropped. Returns once
    /// the programs are attached (or failed to load).
    pub fn start(cfg: SocketTraceConfig, handler: impl SocketEventHandler) -> Result<Self, BpfError> {
        cfg.validate()?;
        if let Some(why) = crate::bpf_support() {
            return Err(BpfError::Unsupported(why));
        }
        crate::raise_memlock();
        let mut cfg = cfg;
        if cfg.hooks == SyscallHooks::SyscallTracepoints
            && let Err(why) = crate::tracefs::ensure()
        {
            tracing::warn!(reason = %why, "syscall tracepoints unavailable; using the raw tracepoints");
            cfg.hooks = SyscallHooks::RawTracepoints;
        }
        let hooks = cfg.hooks;
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(SharedStats::default());
        let (s, st) = (stop.clone(), stats.clone());
        let thread = crate::thread::spawn_tracer("seer-socktrace", move |ready| run(cfg, handler, s, st, ready))?;
        Ok(Self {
            stop,
            stats,
            hooks,
            thread: Some(thread),
        })
    }

    /// The hooks in use (the requested ones, unless they were unavailable).
    pub fn hooks(&self) -> SyscallHooks {
        self.hooks
    }

    /// Current counters.
    pub fn stats(&self) -> TracerStats {
        self.stats.snapshot()
    }
}

impl Drop for SocketTracer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn load<'o>(
    cfg: &SocketTraceConfig,
    obj: &'o mut MaybeUninit<libbpf_rs::OpenObject>,
) -> Result<SocketTraceSkel<'o>, BpfError> {
    let mut open = SocketTraceSkelBuilder::default()
        .open(obj)
        .map_err(BpfError::libbpf("open", OBJECT))?;
    if let Some(ro) = open.maps.rodata_data.as_deref_mut() {
        ro.self_tgid = std::process::id();
        ro.max_payload = cfg.max_payload;
        ro.chunk_limit = cfg.chunk_limit;
    }
    for mut prog in open.open_object_mut().progs_mut() {
        let name = prog.name().to_string_lossy();
        let mine = cfg.hooks.owns(&name) || (cfg.tls && name.starts_with("seer_ssl_"));
        prog.set_autoload(mine);
    }
    open.maps
        .events
        .set_max_entries(cfg.ring_bytes)
        .map_err(BpfError::libbpf("size ring of", OBJECT))?;
    // One staging event per CPU, indexed by CPU id.
    let cpus = libbpf_rs::num_possible_cpus().map_err(BpfError::libbpf("count CPUs for", OBJECT))?;
    open.maps
        .data_heap
        .set_max_entries(u32::try_from(cpus).unwrap_or(u32::MAX))
        .map_err(BpfError::libbpf("size staging map of", OBJECT))?;
    let mut skel = open.load().map_err(BpfError::libbpf("load", OBJECT))?;
    skel.attach().map_err(BpfError::libbpf("attach", OBJECT))?;
    Ok(skel)
}

fn run(
    cfg: SocketTraceConfig,
    mut handler: impl SocketEventHandler,
    stop: Arc<AtomicBool>,
    stats: Arc<SharedStats>,
    ready: crate::thread::Ready,
) {
    let mut obj = MaybeUninit::uninit();
    let started = Instant::now();
    let skel = match load(&cfg, &mut obj) {
        Ok(s) => s,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    tracing::info!(
        load_ms = started.elapsed().as_millis() as u64,
        hooks = ?cfg.hooks,
        "socket tracer attached"
    );
    let (exec_tx, exec_rx) = std::sync::mpsc::channel();
    let (tls_tx, tls_rx) = std::sync::mpsc::channel();
    let scanner = cfg.tls.then(|| {
        let s = stop.clone();
        std::thread::Builder::new()
            .name("seer-tlsscan".into())
            .spawn(move || tls::scanner(s, Duration::from_secs(2), exec_rx, tls_tx))
    });
    if let Some(Err(e)) = &scanner {
        tracing::warn!(error = %e, "TLS library scanner not started: no TLS plaintext");
    }
    let mut tls_links = Vec::new();
    let handler_cell = std::cell::RefCell::new(&mut handler);
    let hc = &handler_cell;
    let st = stats.clone();
    let mut rb = RingBufferBuilder::new();
    let added = rb.add(&skel.maps.events, move |bytes: &[u8]| {
        match SocketEvent::decode(bytes) {
            Some(SocketEvent::Exec(pid)) => {
                let _ = exec_tx.send(pid);
            }
            Some(ev) => {
                st.0[DELIVERED].fetch_add(1, Ordering::Relaxed);
                hc.borrow_mut().on_event(ev);
            }
            None => {
                st.0[UNDECODABLE].fetch_add(1, Ordering::Relaxed);
            }
        }
        0
    });
    let ring = match added.map(|_| ()).and_then(|()| rb.build()) {
        Ok(r) => r,
        Err(e) => {
            let _ = ready.send(Err(BpfError::libbpf("ring buffer of", OBJECT)(e)));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    let mut disable = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(cfg.drain_interval);
        if let Err(e) = ring.consume() {
            tracing::warn!(error = %e, "socket tracer: draining the ring buffer failed");
        }
        while let Ok(t) = tls_rx.try_recv() {
            if tls::attach(&skel, &t, &mut tls_links) {
                stats.0[TLS_FILES].fetch_add(1, Ordering::Relaxed);
            }
        }
        handler_cell.borrow_mut().after_drain(&mut disable);
        for k in disable.drain(..) {
            let key = ((u64::from(k.tgid)) << 32) | u64::from(k.fd as u32);
            if let Err(e) = skel
                .maps
                .conn_disabled
                .update(&key.to_ne_bytes(), &k.gen_ns.to_ne_bytes(), MapFlags::ANY)
            {
                tracing::debug!(error = %e, "could not disable a connection");
            }
        }
        read_bpf_stats(&skel, &stats);
    }
    if let Err(e) = ring.consume() {
        tracing::debug!(error = %e, "final drain failed");
    }
    drop(tls_links);
    if let Some(Ok(t)) = scanner {
        let _ = t.join();
    }
}

fn read_bpf_stats(skel: &SocketTraceSkel<'_>, stats: &SharedStats) {
    for i in 0..7u32 {
        let Ok(Some(per_cpu)) = skel.maps.stats.lookup_percpu(&i.to_ne_bytes(), MapFlags::ANY) else {
            continue;
        };
        let sum = crate::thread::sum_percpu(&per_cpu);
        stats.0[i as usize].store(sum, Ordering::Relaxed);
    }
}
