//! `network_stats`: interface counters per network namespace, once a second.
//!
//! Each sweep reads the `<proc_root>/<pid>/ns/net` link (`net:[<inode>]`) of every process, and for each
//! namespace not yet seen reads `<proc_root>/<pid>/net/dev` of the first pid where that works, summing every
//! interface except `lo`. Without Kubernetes metadata a namespace is named `pod_id = "netns:<inode>"`.
//! Per-process failures (a process exiting, a namespace link that cannot be read) are skipped and counted
//! in [`CollectReport::errors`](crate::CollectReport::errors).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use procfs::FromRead;
use procfs::net::{DeviceStatus, InterfaceDeviceStatus};
use seer_types::tables::NETWORK_STATS;
use seer_types::{RecordSink, TableDef};

use crate::batch;
use crate::collector::{CollectContext, CollectError, CollectReport, Collector, sat_i64};

/// Samples `/proc/<pid>/net/dev` once per network namespace into `network_stats`.
#[derive(Debug, Clone)]
pub struct NetworkStatsCollector {
    proc_root: PathBuf,
}

impl NetworkStatsCollector {
    /// Sampling period.
    pub const PERIOD: Duration = Duration::from_secs(1);

    /// A collector reading processes under `proc_root` (normally `/proc`).
    pub fn new(proc_root: impl AsRef<Path>) -> Self {
        Self {
            proc_root: proc_root.as_ref().to_path_buf(),
        }
    }
}

impl Default for NetworkStatsCollector {
    fn default() -> Self {
        Self::new("/proc")
    }
}

/// Parses a namespace link target such as `net:[4026531840]` into its inode.
pub fn parse_netns_link(target: &str) -> Option<u64> {
    target.strip_prefix("net:[")?.strip_suffix(']')?.parse().ok()
}

/// Interface counters summed over a namespace's interfaces.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Sums {
    rx_bytes: u64,
    rx_packets: u64,
    rx_errors: u64,
    rx_drops: u64,
    tx_bytes: u64,
    tx_packets: u64,
    tx_errors: u64,
    tx_drops: u64,
}

impl Sums {
    fn of<'a>(devices: impl IntoIterator<Item = &'a DeviceStatus>) -> Self {
        let mut s = Self::default();
        for d in devices.into_iter().filter(|d| d.name != "lo") {
            s.rx_bytes = s.rx_bytes.saturating_add(d.recv_bytes);
            s.rx_packets = s.rx_packets.saturating_add(d.recv_packets);
            s.rx_errors = s.rx_errors.saturating_add(d.recv_errs);
            s.rx_drops = s.rx_drops.saturating_add(d.recv_drop);
            s.tx_bytes = s.tx_bytes.saturating_add(d.sent_bytes);
            s.tx_packets = s.tx_packets.saturating_add(d.sent_packets);
            s.tx_errors = s.tx_errors.saturating_add(d.sent_errs);
            s.tx_drops = s.tx_drops.saturating_add(d.sent_drop);
        }
        s
    }
}

impl Collector for NetworkStatsCollector {
    fn name(&self) -> &'static str {
        "network_stats"
    }

    fn tables(&self) -> Vec<&'static TableDef> {
        vec![&NETWORK_STATS]
    }

    fn period(&self) -> Duration {
        Self::PERIOD
    }

    fn collect(&mut self, ctx: &CollectContext, sink: &dyn RecordSink) -> Result<CollectReport, CollectError> {
        let source_err = |e: std::io::Error| CollectError::Source {
            path: self.proc_root.clone(),
            reason: e.to_string(),
        };
        let mut report = CollectReport::default();
        let mut namespaces: BTreeMap<u64, Sums> = BTreeMap::new();
        for entry in std::fs::read_dir(&self.proc_root).map_err(source_err)? {
            let entry = entry.map_err(source_err)?;
            let name = entry.file_name();
            if name.to_str().is_none_or(|n| n.parse::<u32>().is_err()) {
                continue;
            }
            let pid_dir = entry.path();
            let inode = match std::fs::read_link(pid_dir.join("ns/net")) {
                Ok(target) => parse_netns_link(&target.to_string_lossy()),
                Err(e) => {
                    tracing::trace!(pid_dir = %pid_dir.display(), error = %e, "network_stats: no netns link");
                    None
                }
            };
            let Some(inode) = inode else {
                report.errors += 1;
                continue;
            };
            if namespaces.contains_key(&inode) {
                continue;
            }
            match InterfaceDeviceStatus::from_file(pid_dir.join("net/dev")) {
                Ok(InterfaceDeviceStatus(devices)) => {
                    namespaces.insert(inode, Sums::of(devices.values()));
                }
                Err(e) => {
                    tracing::trace!(pid_dir = %pid_dir.display(), error = %e, "network_stats: net/dev unreadable");
                    report.errors += 1;
                }
            }
        }

        let rows = namespaces.len();
        let col = |f: fn(&Sums) -> u64| batch::int64_column(namespaces.values().map(|s| sat_i64(f(s))).collect());
        let columns = vec![
            batch::time_column(ctx.now_ns, rows),
            batch::string_column(namespaces.keys().map(|inode| format!("netns:{inode}")).collect()),
            col(|s| s.rx_bytes),
            col(|s| s.rx_packets),
            col(|s| s.rx_errors),
            col(|s| s.rx_drops),
            col(|s| s.tx_bytes),
            col(|s| s.tx_packets),
            col(|s| s.tx_errors),
            col(|s| s.tx_drops),
        ];
        report.append(sink, NETWORK_STATS.name, batch::build(&NETWORK_STATS, columns)?);
        Ok(report)
    }
}
