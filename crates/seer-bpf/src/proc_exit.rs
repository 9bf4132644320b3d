//! The process-exit tracer: `tp_btf/sched_process_exit`, thread-group leaders only.

use std::mem::MaybeUninit;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use libbpf_rs::skel::{OpenSkel, Skel, SkelBuilder};
use libbpf_rs::{MapCore, MapFlags, RingBufferBuilder};

use crate::BpfError;
use crate::skel::proc_exit::{ProcExitSkel, ProcExitSkelBuilder};

const OBJECT: &str = "proc_exit";
const EVENT_SIZE: usize = 8 + 8 + 4 + 4 + 16;

/// One process (thread-group leader) exited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitEvent {
    /// Monotonic ns.
    pub ts_ns: u64,
    /// Process id.
    pub tgid: u32,
    /// Process start, clock ticks since boot.
    pub start_ticks: u64,
    /// Exit status (`exit_code >> 8`).
    pub exit_code: i64,
    /// Terminating signal (`exit_code & 0x7f`), 0 for a normal exit.
    pub signal: i64,
    /// Command name.
    pub comm: String,
}

impl ExitEvent {
    /// Decodes one record (layout: `bpf/proc_exit.h`).
    pub fn decode(b: &[u8]) -> Option<Self> {
        if b.len() < EVENT_SIZE {
            return None;
        }
        let u64_at = |at: usize| {
            b.get(at..at + 8)
                .and_then(|s| s.try_into().ok())
                .map(u64::from_le_bytes)
        };
        let u32_at = |at: usize| {
            b.get(at..at + 4)
                .and_then(|s| s.try_into().ok())
                .map(u32::from_le_bytes)
        };
        let raw = u32_at(20)?;
        let comm = b.get(24..40)?;
        let end = comm.iter().position(|&c| c == 0).unwrap_or(comm.len());
        Some(Self {
            ts_ns: u64_at(0)?,
            start_ticks: u64_at(8)?,
            tgid: u32_at(16)?,
            exit_code: i64::from((raw >> 8) & 0xff),
            signal: i64::from(raw & 0x7f),
            comm: String::from_utf8_lossy(&comm[..end]).into_owned(),
        })
    }
}

/// A running process-exit tracer; dropping it detaches and joins the thread.
#[derive(Debug)]
pub struct ProcExitTracer {
    stop: Arc<AtomicBool>,
    lost: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl ProcExitTracer {
    /// Attaches and delivers every exit to `handler` (on the tracer thread) every `interval`.
    pub fn start(interval: Duration, handler: impl FnMut(ExitEvent) + Send + 'static) -> Result<Self, BpfError> {
        if let Some(why) = crate::bpf_support() {
            return Err(BpfError::Unsupported(why));
        }
        crate::raise_memlock();
        let stop = Arc::new(AtomicBool::new(false));
        let lost = Arc::new(AtomicU64::new(0));
        let (s, l) = (stop.clone(), lost.clone());
        let thread = crate::thread::spawn_tracer("seer-procexit", move |ready| run(interval, handler, s, l, ready))?;
        Ok(Self {
            stop,
            lost,
            thread: Some(thread),
        })
    }

    /// Exit events lost because the ring buffer was full.
    pub fn lost(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }
}

impl Drop for ProcExitTracer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn load(obj: &mut MaybeUninit<libbpf_rs::OpenObject>) -> Result<ProcExitSkel<'_>, BpfError> {
    let open = ProcExitSkelBuilder::default()
        .open(obj)
        .map_err(BpfError::libbpf("open", OBJECT))?;
    let mut skel = open.load().map_err(BpfError::libbpf("load", OBJECT))?;
    skel.attach().map_err(BpfError::libbpf("attach", OBJECT))?;
    Ok(skel)
}

fn run(
    interval: Duration,
    mut handler: impl FnMut(ExitEvent),
    stop: Arc<AtomicBool>,
    lost: Arc<AtomicU64>,
    ready: crate::thread::Ready,
) {
    let mut obj = MaybeUninit::uninit();
    let skel = match load(&mut obj) {
        Ok(s) => s,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let mut rb = RingBufferBuilder::new();
    let added = rb.add(&skel.maps.exits, |bytes: &[u8]| {
        if let Some(ev) = ExitEvent::decode(bytes) {
            handler(ev);
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
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(interval);
        if let Err(e) = ring.consume() {
            tracing::warn!(error = %e, "process-exit tracer: draining failed");
        }
        if let Ok(Some(per_cpu)) = skel.maps.exit_stats.lookup_percpu(&1u32.to_ne_bytes(), MapFlags::ANY) {
            let sum = crate::thread::sum_percpu(&per_cpu);
            lost.store(sum, Ordering::Relaxed);
        }
    }
    let _ = ring.consume();
}
