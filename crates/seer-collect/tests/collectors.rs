//! Collectors against the real `/proc` of this host.

use std::os::unix::fs::MetadataExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arrow::array::{Array, FixedSizeBinaryArray, Int64Array, StringArray, TimestampNanosecondArray};
use arrow::record_batch::RecordBatch;
use seer_collect::network_stats::parse_netns_link;
use seer_collect::{
    CollectConfig, CollectContext, CollectError, CollectReport, Collector, ComponentCounters, NetworkStatsCollector,
    ProcessStatsCollector, SelfTelemetryCollector, TelemetrySource, registry,
};
use seer_types::tables::{NETWORK_STATS, PROCESS_STATS, SELF_TELEMETRY};
use seer_types::{RecordSink, SinkError, Upid};

/// Collects every batch it is given.
#[derive(Default)]
struct VecSink(Mutex<Vec<(String, RecordBatch)>>);

impl RecordSink for VecSink {
    fn append(&self, table: &str, batch: RecordBatch) -> Result<(), SinkError> {
        self.0.lock().expect("sink lock").push((table.to_string(), batch));
        Ok(())
    }
}

impl VecSink {
    /// The single batch appended so far, checked to be for `table`.
    fn only(&self, table: &str) -> RecordBatch {
        let got = self.0.lock().expect("sink lock");
        assert_eq!(got.len(), 1, "expected one batch");
        assert_eq!(got[0].0, table);
        got[0].1.clone()
    }
}

/// Refuses every batch.
struct RefusingSink;

impl RecordSink for RefusingSink {
    fn append(&self, table: &str, _batch: RecordBatch) -> Result<(), SinkError> {
        Err(SinkError::UnknownTable(table.to_string()))
    }
}

const ASID: u32 = 7;

fn ctx() -> CollectContext {
    CollectContext::now(ASID)
}

fn i64_col(batch: &RecordBatch, name: &str) -> Int64Array {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<Int64Array>())
        .unwrap_or_else(|| panic!("no INT64 column {name}"))
        .clone()
}

fn str_col(batch: &RecordBatch, name: &str) -> StringArray {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .unwrap_or_else(|| panic!("no STRING column {name}"))
        .clone()
}

fn upids(batch: &RecordBatch) -> Vec<Upid> {
    let col = batch
        .column_by_name("upid")
        .and_then(|c| c.as_any().downcast_ref::<FixedSizeBinaryArray>())
        .expect("upid column is FixedSizeBinary(16)");
    (0..col.len())
        .map(|i| Upid::from_bytes(col.value(i)).expect("16-byte upid"))
        .collect()
}

fn times(batch: &RecordBatch) -> Vec<i64> {
    let col = batch
        .column_by_name("time_")
        .and_then(|c| c.as_any().downcast_ref::<TimestampNanosecondArray>())
        .expect("time_ column is Timestamp(ns)");
    col.values().to_vec()
}

/// Field 22 (`starttime`) of `/proc/self/stat`.
fn own_start_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("read /proc/self/stat");
    let after_comm = &stat[stat.rfind(')').expect("comm") + 1..];
    // Fields after the comm start at field 3 (state), so field 22 is index 19.
    after_comm
        .split_whitespace()
        .nth(19)
        .expect("field 22")
        .parse()
        .expect("numeric starttime")
}

/// Row of `process_stats` for our own pid.
fn own_row(batch: &RecordBatch) -> (usize, Upid) {
    let pid = std::process::id();
    upids(batch)
        .into_iter()
        .enumerate()
        .find(|(_, u)| u.pid == pid)
        .expect("row for our own pid")
}

fn sweep(c: &mut dyn Collector) -> (CollectReport, RecordBatch) {
    let sink = VecSink::default();
    let report = c.collect(&ctx(), &sink).expect("sweep");
    let batch = sink.only(c.tables()[0].name);
    (report, batch)
}

#[test]
fn process_stats_has_a_row_for_this_process() {
    let mut c = ProcessStatsCollector::default();
    let ctx = ctx();
    let sink = VecSink::default();
    let report = c.collect(&ctx, &sink).expect("sweep");
    let batch = sink.only("process_stats");

    assert_eq!(batch.schema(), PROCESS_STATS.arrow_schema());
    assert_eq!(report.rows, batch.num_rows() as u64);
    assert!(report.bytes > 0);
    assert_eq!(report.dropped, 0);
    assert!(times(&batch).iter().all(|t| *t == ctx.now_ns));

    let (i, upid) = own_row(&batch);
    assert_eq!(upid.asid, ASID);
    assert_eq!(upid.start_ticks, own_start_ticks());
    assert!(i64_col(&batch, "rss_bytes").value(i) > 0);
    assert!(i64_col(&batch, "vsize_bytes").value(i) >= i64_col(&batch, "rss_bytes").value(i));
    assert!(i64_col(&batch, "num_threads").value(i) >= 1);
    assert!(i64_col(&batch, "minor_faults").value(i) > 0);
    // We have read /proc, so rchar is positive (io is readable for our own process).
    assert!(i64_col(&batch, "rchar_bytes").value(i) > 0);

    // pid 1 exists in every pid namespace.
    assert!(upids(&batch).iter().any(|u| u.pid == 1));
}

#[test]
fn process_stats_cpu_counters_are_monotonic() {
    let mut c = ProcessStatsCollector::default();
    let (_, first) = sweep(&mut c);

    let start = Instant::now();
    let mut x: u64 = 1;
    while start.elapsed() < Duration::from_millis(300) {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407));
    }
    std::hint::black_box(x);

    let (_, second) = sweep(&mut c);
    let (i, u1) = own_row(&first);
    let (j, u2) = own_row(&second);
    assert_eq!(u1, u2, "same process, same UPID");
    let get = |b: &RecordBatch, k: usize, name: &str| i64_col(b, name).value(k);
    for name in [
        "cpu_utime_ns",
        "cpu_ktime_ns",
        "minor_faults",
        "major_faults",
        "rchar_bytes",
    ] {
        assert!(get(&second, j, name) >= get(&first, i, name), "{name} went backwards");
    }
    let total = |b: &RecordBatch, k: usize| get(b, k, "cpu_utime_ns") + get(b, k, "cpu_ktime_ns");
    let delta = total(&second, j) - total(&first, i);
    assert!(delta > 0, "300 ms of busy loop must add CPU time");
    eprintln!("cpu time added by a 300 ms busy loop: {} ms", delta / 1_000_000);
}

#[test]
fn process_stats_reads_a_proc_root_mounted_elsewhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("hostproc");
    std::os::unix::fs::symlink("/proc", &root).expect("symlink");
    let (report, batch) = sweep(&mut ProcessStatsCollector::new(&root));
    assert!(report.rows > 0);
    let (_, upid) = own_row(&batch);
    assert_eq!(upid.start_ticks, own_start_ticks());
}

#[test]
fn process_stats_sweep_time() {
    let mut c = ProcessStatsCollector::default();
    let sink = VecSink::default();
    let start = Instant::now();
    let report = c.collect(&ctx(), &sink).expect("sweep");
    let took = start.elapsed();
    eprintln!(
        "process_stats sweep: {} processes in {:.2} ms ({} skipped)",
        report.rows,
        took.as_secs_f64() * 1e3,
        report.errors
    );
}

#[test]
fn network_stats_has_a_row_for_our_namespace() {
    let inode = std::fs::metadata("/proc/self/ns/net").expect("stat netns").ino();
    let link = std::fs::read_link("/proc/self/ns/net").expect("readlink netns");
    assert_eq!(parse_netns_link(&link.to_string_lossy()), Some(inode));

    let mut c = NetworkStatsCollector::default();
    let (report, batch) = sweep(&mut c);
    assert_eq!(batch.schema(), NETWORK_STATS.arrow_schema());
    assert_eq!(report.rows, batch.num_rows() as u64);
    let pods = str_col(&batch, "pod_id");
    let want = format!("netns:{inode}");
    let i = (0..pods.len())
        .find(|&i| pods.value(i) == want)
        .expect("row for our namespace");
    for name in [
        "rx_bytes",
        "rx_packets",
        "rx_errors",
        "rx_drops",
        "tx_bytes",
        "tx_packets",
        "tx_errors",
        "tx_drops",
    ] {
        assert!(i64_col(&batch, name).value(i) >= 0, "{name}");
    }
    // One row per namespace.
    let mut seen: Vec<&str> = (0..pods.len()).map(|i| pods.value(i)).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), pods.len());
}

fn own_netns_row(batch: &RecordBatch) -> usize {
    let inode = std::fs::metadata("/proc/self/ns/net").expect("stat netns").ino();
    let pods = str_col(batch, "pod_id");
    (0..pods.len())
        .find(|&i| pods.value(i) == format!("netns:{inode}"))
        .expect("row for our namespace")
}

#[test]
fn network_stats_excludes_loopback() {
    // Push many packets through `lo`: the namespace's rx_packets must grow by far less than that.
    const PACKETS: u64 = 20_000;
    let (_, before) = sweep(&mut NetworkStatsCollector::default());
    let rx_before = i64_col(&before, "rx_packets").value(own_netns_row(&before));
    let listener = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let to = listener.local_addr().expect("addr");
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    for _ in 0..PACKETS {
        sender.send_to(&[0; 16], to).expect("send");
    }
    let (_, after) = sweep(&mut NetworkStatsCollector::default());
    let rx_after = i64_col(&after, "rx_packets").value(own_netns_row(&after));
    let grew = u64::try_from(rx_after - rx_before).expect("rx_packets is a counter");
    assert!(
        grew < PACKETS / 2,
        "loopback packets were counted ({grew} new rx packets)"
    );
}

struct FixedSource(Vec<ComponentCounters>);

impl TelemetrySource for FixedSource {
    fn snapshot(&self) -> Vec<ComponentCounters> {
        self.0.clone()
    }
}

fn counters() -> Vec<ComponentCounters> {
    vec![
        ComponentCounters {
            kind: "table",
            name: "http_events".into(),
            rows_ingested: 10,
            bytes_ingested: 1000,
            rows_evicted: 2,
            bytes_evicted: 200,
            rows_dropped: 1,
            errors: 0,
            rows_held: 8,
            bytes_held: 800,
            budget_bytes: 1 << 20,
        },
        ComponentCounters {
            kind: "collector",
            name: "process_stats".into(),
            rows_ingested: 500,
            bytes_ingested: 64_000,
            rows_dropped: 3,
            errors: 4,
            ..Default::default()
        },
    ]
}

#[test]
fn self_telemetry_writes_one_row_per_component() {
    let source = counters();
    let mut c = SelfTelemetryCollector::new(Arc::new(FixedSource(source.clone())), Duration::from_millis(250));
    assert_eq!(c.period(), Duration::from_millis(250));
    let ctx = ctx();
    let sink = VecSink::default();
    let report = c.collect(&ctx, &sink).expect("sweep");
    let batch = sink.only("self_telemetry");
    assert_eq!(batch.schema(), SELF_TELEMETRY.arrow_schema());
    assert_eq!(report.rows, 2);
    assert!(times(&batch).iter().all(|t| *t == ctx.now_ns));

    let kind = str_col(&batch, "kind");
    let name = str_col(&batch, "name");
    for (i, want) in source.iter().enumerate() {
        assert_eq!(kind.value(i), want.kind);
        assert_eq!(name.value(i), want.name);
        let fields: [(&str, u64); 9] = [
            ("rows_ingested", want.rows_ingested),
            ("bytes_ingested", want.bytes_ingested),
            ("rows_evicted", want.rows_evicted),
            ("bytes_evicted", want.bytes_evicted),
            ("rows_dropped", want.rows_dropped),
            ("errors", want.errors),
            ("rows_held", want.rows_held),
            ("bytes_held", want.bytes_held),
            ("budget_bytes", want.budget_bytes),
        ];
        for (col, v) in fields {
            assert_eq!(i64_col(&batch, col).value(i), v as i64, "{} {col}", want.name);
        }
    }
}

#[test]
fn self_telemetry_with_no_components_appends_nothing() {
    let mut c = SelfTelemetryCollector::new(Arc::new(FixedSource(vec![])), Duration::from_secs(1));
    let sink = VecSink::default();
    let report = c.collect(&ctx(), &sink).expect("sweep");
    assert_eq!(report, CollectReport::default());
    assert!(sink.0.lock().expect("sink lock").is_empty());
}

#[test]
fn refused_batches_are_counted_as_dropped() {
    let collectors: Vec<Box<dyn Collector>> = vec![
        Box::new(ProcessStatsCollector::default()),
        Box::new(NetworkStatsCollector::default()),
        Box::new(SelfTelemetryCollector::new(
            Arc::new(FixedSource(counters())),
            Duration::from_secs(1),
        )),
    ];
    for mut c in collectors {
        let report = c.collect(&ctx(), &RefusingSink).expect("refusal is not an error");
        assert_eq!(report.rows, 0, "{}", c.name());
        assert_eq!(report.bytes, 0, "{}", c.name());
        assert!(report.dropped > 0, "{}", c.name());
    }
}

#[test]
fn missing_proc_root_is_a_sweep_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let sink = VecSink::default();
    let e = ProcessStatsCollector::new(&missing).collect(&ctx(), &sink);
    assert!(matches!(e, Err(CollectError::Source { .. })), "{e:?}");
    let e = NetworkStatsCollector::new(&missing).collect(&ctx(), &sink);
    assert!(matches!(e, Err(CollectError::Source { .. })), "{e:?}");
}

#[test]
fn registry_lists_every_collector() {
    let mut cfg = CollectConfig {
        telemetry_period: Duration::from_secs(5),
        proc_exit: false,
        ..CollectConfig::default()
    };
    cfg.socket_tracer.enabled = false;
    assert_eq!(CollectConfig::default().proc_root, std::path::PathBuf::from("/proc"));
    let collectors = registry(&cfg, Arc::new(FixedSource(vec![])));
    let names: Vec<_> = collectors.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["process_stats", "network_stats", "self_telemetry"]);
    let tables: Vec<_> = collectors.iter().flat_map(|c| c.tables()).map(|t| t.name).collect();
    assert_eq!(tables, ["process_stats", "network_stats", "self_telemetry"]);
    let periods: Vec<_> = collectors.iter().map(|c| c.period()).collect();
    assert_eq!(
        periods,
        [Duration::from_secs(1), Duration::from_secs(1), Duration::from_secs(5)]
    );
}

#[test]
fn netns_link_parsing() {
    assert_eq!(parse_netns_link("net:[4026531840]"), Some(4026531840));
    assert_eq!(parse_netns_link("mnt:[4026531840]"), None);
    assert_eq!(parse_netns_link("net:[x]"), None);
    assert_eq!(parse_netns_link("net:4026531840"), None);
}

#[test]
fn report_merge_adds_counters_and_keeps_the_latest_parts() {
    let part = |name: &str, errors| ComponentCounters {
        kind: "protocol",
        name: name.into(),
        errors,
        ..Default::default()
    };
    let mut a = CollectReport {
        rows: 1,
        bytes: 2,
        dropped: 3,
        errors: 4,
        parts: vec![part("http", 1), part("redis", 1)],
    };
    a.merge(&CollectReport {
        rows: 10,
        bytes: 20,
        dropped: 30,
        errors: 40,
        parts: vec![part("redis", 5), part("dns", 2)],
    });
    assert_eq!(
        a,
        CollectReport {
            rows: 11,
            bytes: 22,
            dropped: 33,
            errors: 44,
            parts: vec![part("http", 1), part("redis", 5), part("dns", 2)],
        }
    );
}
