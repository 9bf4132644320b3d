//! `process_stats`: CPU, memory and I/O counters of every process on the host, once a second.
//!
//! Each sweep lists `<proc_root>/<pid>` and reads `stat` (faults, CPU ticks, threads, vsize, rss, start
//! time) and `io` (rchar/wchar/read_bytes/write_bytes; zeros when unreadable, e.g. kernel threads or
//! missing permission). A process that exits mid-sweep is skipped and counted in
//! [`CollectReport::errors`](crate::CollectReport::errors). The UPID's start time is field 22 of `stat`
//! (clock ticks since boot), as in Pixie.

use std::path::{Path, PathBuf};
use std::time::Duration;

use procfs::process::{Io, Stat, all_processes_with_root};
use seer_types::tables::PROCESS_STATS;
use seer_types::{RecordSink, TableDef, Upid};

use crate::batch;
use crate::collector::{CollectContext, CollectError, CollectReport, Collector, sat_i64};

/// Samples `/proc/<pid>/{stat,io}` of every process into `process_stats`.
#[derive(Debug, Clone)]
pub struct ProcessStatsCollector {
    proc_root: PathBuf,
    ticks_per_second: u64,
    page_size: u64,
}

impl ProcessStatsCollector {
    /// Sampling period.
    pub const PERIOD: Duration = Duration::from_secs(1);

    /// A collector reading processes under `proc_root` (normally `/proc`; a host `/proc` mounted elsewhere
    /// works too, since it shares this kernel's tick rate and page size).
    pub fn new(proc_root: impl AsRef<Path>) -> Self {
        Self {
            proc_root: proc_root.as_ref().to_path_buf(),
            ticks_per_second: procfs::ticks_per_second().max(1),
            page_size: procfs::page_size(),
        }
    }

    fn ticks_to_ns(&self, ticks: u64) -> i64 {
        let ns = u128::from(ticks) * 1_000_000_000 / u128::from(self.ticks_per_second);
        i64::try_from(ns).unwrap_or(i64::MAX)
    }
}

impl Default for ProcessStatsCollector {
    fn default() -> Self {
        Self::new("/proc")
    }
}

/// Column vectors of one sweep, in `PROCESS_STATS` order after `time_`.
#[derive(Default)]
struct Columns {
    upid: Vec<[u8; 16]>,
    major_faults: Vec<i64>,
    minor_faults: Vec<i64>,
    cpu_utime_ns: Vec<i64>,
    cpu_ktime_ns: Vec<i64>,
    num_threads: Vec<i64>,
    vsize_bytes: Vec<i64>,
    rss_bytes: Vec<i64>,
    rchar_bytes: Vec<i64>,
    wchar_bytes: Vec<i64>,
    read_bytes: Vec<i64>,
    write_bytes: Vec<i64>,
}

impl Columns {
    fn push(&mut self, c: &ProcessStatsCollector, asid: u32, stat: &Stat, io: Option<&Io>) {
        let pid = u32::try_from(stat.pid).unwrap_or_default();
        self.upid.push(Upid::new(asid, pid, stat.starttime).to_bytes());
        self.major_faults.push(sat_i64(stat.majflt));
        self.minor_faults.push(sat_i64(stat.minflt));
        self.cpu_utime_ns.push(c.ticks_to_ns(stat.utime));
        self.cpu_ktime_ns.push(c.ticks_to_ns(stat.stime));
        self.num_threads.push(stat.num_threads);
        self.vsize_bytes.push(sat_i64(stat.vsize));
        self.rss_bytes.push(sat_i64(stat.rss.saturating_mul(c.page_size)));
        self.rchar_bytes.push(io.map_or(0, |io| sat_i64(io.rchar)));
        self.wchar_bytes.push(io.map_or(0, |io| sat_i64(io.wchar)));
        self.read_bytes.push(io.map_or(0, |io| sat_i64(io.read_bytes)));
        self.write_bytes.push(io.map_or(0, |io| sat_i64(io.write_bytes)));
    }
}

impl Collector for ProcessStatsCollector {
    fn name(&self) -> &'static str {
        "process_stats"
    }

    fn tables(&self) -> Vec<&'static TableDef> {
        vec![&PROCESS_STATS]
    }

    fn period(&self) -> Duration {
        Self::PERIOD
    }

    fn collect(&mut self, ctx: &CollectContext, sink: &dyn RecordSink) -> Result<CollectReport, CollectError> {
        let procs = all_processes_with_root(&self.proc_root).map_err(|e| CollectError::Source {
            path: self.proc_root.clone(),
            reason: e.to_string(),
        })?;
        let mut report = CollectReport::default();
        let mut cols = Columns::default();
        for proc in procs {
            let (proc, stat) = match proc.and_then(|p| p.stat().map(|s| (p, s))) {
                Ok(ok) => ok,
                Err(e) => {
                    tracing::trace!(error = %e, "process_stats: skipping process");
                    report.errors += 1;
                    continue;
                }
            };
            let io = proc.io().ok();
            cols.push(self, ctx.asid, &stat, io.as_ref());
        }
        let rows = cols.upid.len();
        let columns = vec![
            batch::time_column(ctx.now_ns, rows),
            batch::uint128_column(&cols.upid, PROCESS_STATS.name)?,
            batch::int64_column(cols.major_faults),
            batch::int64_column(cols.minor_faults),
            batch::int64_column(cols.cpu_utime_ns),
            batch::int64_column(cols.cpu_ktime_ns),
            batch::int64_column(cols.num_threads),
            batch::int64_column(cols.vsize_bytes),
            batch::int64_column(cols.rss_bytes),
            batch::int64_column(cols.rchar_bytes),
            batch::int64_column(cols.wchar_bytes),
            batch::int64_column(cols.read_bytes),
            batch::int64_column(cols.write_bytes),
        ];
        report.append(sink, PROCESS_STATS.name, batch::build(&PROCESS_STATS, columns)?);
        Ok(report)
    }
}
