//! The list of collectors the agent runs. Adding a collector is one line in [`registry`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::collector::Collector;
use crate::network_stats::NetworkStatsCollector;
use crate::proc_exit::ProcExitCollector;
use crate::process_stats::ProcessStatsCollector;
use crate::self_telemetry::{SelfTelemetryCollector, TelemetrySource};
use crate::socket_tracer::{SocketTracerCollector, TracerConfig};

/// Settings shared by the built-in collectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectConfig {
    /// Root of the proc filesystem to read (default `/proc`; e.g. `/host/proc` inside a container).
    pub proc_root: PathBuf,
    /// How often `self_telemetry` rows are written (default 1 s).
    pub telemetry_period: Duration,
    /// eBPF socket tracer (`http_events`, `conn_stats`, …).
    pub socket_tracer: TracerConfig,
    /// eBPF process-exit tracer (`proc_exit_events`).
    pub proc_exit: bool,
}

impl Default for CollectConfig {
    fn default() -> Self {
        Self {
            proc_root: PathBuf::from("/proc"),
            telemetry_period: SelfTelemetryCollector::DEFAULT_PERIOD,
            socket_tracer: TracerConfig::default(),
            proc_exit: true,
        }
    }
}

/// Every built-in collector, configured from `cfg`; `telemetry` feeds `self_telemetry`. eBPF collectors
/// that cannot start here (no root, no BTF) are left out with a warning naming the reason.
pub fn registry(cfg: &CollectConfig, telemetry: Arc<dyn TelemetrySource>) -> Vec<Box<dyn Collector>> {
    let mut all: Vec<Box<dyn Collector>> = vec![
        Box::new(ProcessStatsCollector::new(&cfg.proc_root)),
        Box::new(NetworkStatsCollector::new(&cfg.proc_root)),
        Box::new(SelfTelemetryCollector::new(telemetry, cfg.telemetry_period)),
    ];
    let st = &cfg.socket_tracer;
    optional(&mut all, "socket_tracer", st.enabled, || {
        SocketTracerCollector::start(st)
    });
    optional(&mut all, "proc_exit", cfg.proc_exit, ProcExitCollector::start);
    all
}

fn optional<C: Collector + 'static>(
    all: &mut Vec<Box<dyn Collector>>,
    name: &str,
    enabled: bool,
    start: impl FnOnce() -> Result<C, seer_bpf::BpfError>,
) {
    if !enabled {
        return;
    }
    match start() {
        Ok(c) => all.push(Box::new(c)),
        Err(e) => tracing::warn!(collector = name, error = %e, "collector not started"),
    }
}
