//! `proc_exit_events`: one row per exited process (thread-group leader), from the BPF
//! `sched_process_exit` tracepoint: exit code, terminating signal, command name.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use arrow::array::{ArrayRef, FixedSizeBinaryBuilder, Int64Array, StringArray, TimestampNanosecondArray};
use arrow::record_batch::RecordBatch;
use seer_bpf::BootClock;
use seer_bpf::proc_exit::{ExitEvent, ProcExitTracer};
use seer_types::tables::PROC_EXIT_EVENTS;
use seer_types::{RecordSink, TableDef, Upid};

use crate::collector::{CollectContext, CollectError, CollectReport, Collector};

/// Exits buffered between collections at most; more are counted as dropped.
const QUEUE: usize = 65536;

/// The collector.
pub struct ProcExitCollector {
    tracer: ProcExitTracer,
    rx: Receiver<ExitEvent>,
    overflow: Arc<AtomicU64>,
    reported: u64,
    clock: BootClock,
}

impl std::fmt::Debug for ProcExitCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcExitCollector").finish_non_exhaustive()
    }
}

impl ProcExitCollector {
    /// Attaches the tracepoint.
    pub fn start() -> Result<Self, seer_bpf::BpfError> {
        let (tx, rx): (SyncSender<ExitEvent>, _) = sync_channel(QUEUE);
        let overflow = Arc::new(AtomicU64::new(0));
        let o = overflow.clone();
        let tracer = ProcExitTracer::start(Duration::from_millis(100), move |ev| {
            if tx.try_send(ev).is_err() {
                o.fetch_add(1, Ordering::Relaxed);
            }
        })?;
        Ok(Self {
            tracer,
            rx,
            overflow,
            reported: 0,
            clock: BootClock::new(),
        })
    }

    fn batch(&self, events: &[ExitEvent], asid: u32) -> Result<RecordBatch, CollectError> {
        let mut upid = FixedSizeBinaryBuilder::with_capacity(events.len(), 16);
        for e in events {
            upid.append_value(Upid::new(asid, e.tgid, e.start_ticks).to_bytes())
                .map_err(|source| CollectError::Batch {
                    table: PROC_EXIT_EVENTS.name,
                    source,
                })?;
        }
        let cols: Vec<ArrayRef> = vec![
            Arc::new(TimestampNanosecondArray::from(
                events.iter().map(|e| self.clock.to_wall(e.ts_ns)).collect::<Vec<_>>(),
            )),
            Arc::new(upid.finish()),
            Arc::new(Int64Array::from(events.iter().map(|e| e.exit_code).collect::<Vec<_>>())),
            Arc::new(Int64Array::from(events.iter().map(|e| e.signal).collect::<Vec<_>>())),
            Arc::new(StringArray::from(
                events.iter().map(|e| e.comm.as_str()).collect::<Vec<_>>(),
            )),
        ];
        RecordBatch::try_new(PROC_EXIT_EVENTS.arrow_schema(), cols).map_err(|source| CollectError::Batch {
            table: PROC_EXIT_EVENTS.name,
            source,
        })
    }
}

impl Collector for ProcExitCollector {
    fn name(&self) -> &'static str {
        "proc_exit"
    }

    fn tables(&self) -> Vec<&'static TableDef> {
        vec![&PROC_EXIT_EVENTS]
    }

    fn period(&self) -> Duration {
        Duration::from_millis(500)
    }

    fn collect(&mut self, ctx: &CollectContext, sink: &dyn RecordSink) -> Result<CollectReport, CollectError> {
        self.clock.refresh();
        let events: Vec<ExitEvent> = self.rx.try_iter().collect();
        let mut report = CollectReport::default();
        if !events.is_empty() {
            report.append(sink, PROC_EXIT_EVENTS.name, self.batch(&events, ctx.asid)?);
        }
        let lost = self.tracer.lost() + self.overflow.load(Ordering::Relaxed);
        report.dropped += lost.saturating_sub(self.reported);
        self.reported = lost;
        Ok(report)
    }
}
