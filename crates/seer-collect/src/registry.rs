//! The list of collectors the agent runs. Adding a collector is one line in [`registry`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::collector::Collector;
use crate::network_stats::NetworkStatsCollector;
use crate::process_stats::ProcessStatsCollector;
use crate::self_telemetry::{SelfTelemetryCollector, TelemetrySource};

/// Settings shared by the built-in collectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectConfig {
    /// Root of the proc filesystem to read (default `/proc`; e.g. `/host/proc` inside a container).
    pub proc_root: PathBuf,
    /// How often `self_telemetry` rows are written (default 1 s).
    pub telemetry_period: Duration,
}

impl Default for CollectConfig {
    fn default() -> Self {
        Self {
            proc_root: PathBuf::from("/proc"),
            telemetry_period: SelfTelemetryCollector::DEFAULT_PERIOD,
        }
    }
}

/// Every built-in collector, configured from `cfg`; `telemetry` feeds `self_telemetry`.
pub fn registry(cfg: &CollectConfig, telemetry: Arc<dyn TelemetrySource>) -> Vec<Box<dyn Collector>> {
    vec![
        Box::new(ProcessStatsCollector::new(&cfg.proc_root)),
        Box::new(NetworkStatsCollector::new(&cfg.proc_root)),
        Box::new(SelfTelemetryCollector::new(telemetry, cfg.telemetry_period)),
    ]
}
