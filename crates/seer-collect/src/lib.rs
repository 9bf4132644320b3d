//! Seer's collectors: periodic data sources that turn host state into rows of Pixie-compatible tables.
//!
//! A *collector* implements [`Collector`]: it names the tables it writes ([`Collector::tables`]), says how
//! often it wants to run ([`Collector::period`]), and on each call to [`Collector::collect`] (a *sweep*)
//! reads its source, builds one Arrow batch per table with exactly the table's
//! [`seer_types::TableDef::arrow_schema`], and hands it to a [`seer_types::RecordSink`]. The agent owns the
//! schedule; collectors own no threads.
//!
//! Failure model: a sink refusing a batch is counted in [`CollectReport::dropped`], never an error; one item
//! failing to read (a process exiting mid-sweep) is skipped and counted in [`CollectReport::errors`]; only a
//! failure that voids the whole sweep (the proc root cannot be listed) returns [`CollectError`].
//!
//! Built-in collectors:
//! - [`ProcessStatsCollector`] → `process_stats` (every process, `/proc/<pid>/{stat,io}`, 1 s).
//! - [`NetworkStatsCollector`] → `network_stats` (per network namespace, `/proc/<pid>/net/dev`, 1 s).
//! - [`SocketTracerCollector`] → `http_events` (and every protocol table registered in
//!   `seer-protocols`), `conn_stats` (eBPF syscall tracepoints; root only).
//! - [`ProcExitCollector`] → `proc_exit_events` (eBPF `sched_process_exit`; root only).
//! - [`SelfTelemetryCollector`] → `self_telemetry` (one row per [`ComponentCounters`] of a
//!   [`TelemetrySource`]: tables, collectors, and the socket tracer's protocols, [`ProtocolStats`]).
//!
//! # Adding a collector
//! 1. Write one file, `src/<name>.rs`, with a struct implementing [`Collector`] (use
//!    [`CollectReport::append`] to hand batches to the sink; it does the counting).
//! 2. Add `pub mod <name>;` and a re-export here, and one line to [`registry`].

mod batch;
pub mod collector;
pub mod network_stats;
pub mod proc_exit;
pub mod process_stats;
pub mod registry;
pub mod self_telemetry;
pub mod socket_tracer;

pub use collector::{CollectContext, CollectError, CollectReport, Collector};
pub use network_stats::NetworkStatsCollector;
pub use proc_exit::ProcExitCollector;
pub use process_stats::ProcessStatsCollector;
pub use registry::{CollectConfig, registry};
pub use seer_bpf::socket::SyscallHooks;
pub use self_telemetry::{ComponentCounters, SelfTelemetryCollector, TelemetrySource};
pub use socket_tracer::{ProtocolStats, SocketTracerCollector, SocketTracerStats, TracerConfig};
