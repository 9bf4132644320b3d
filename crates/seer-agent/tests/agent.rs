//! The agent runs the real collectors into a real store and stops on shutdown; as root, the socket
//! tracer's per-protocol counters reach `self_telemetry`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{Array, Int64Array, StringArray};
use seer_agent::AgentConfig;
use seer_collect::TelemetrySource;
use seer_store::{Store, StoreConfig};
use tokio::sync::watch;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collects_into_the_store_and_stops() {
    let store = Arc::new(Store::with_all_tables(&StoreConfig {
        total_budget_bytes: 64 << 20,
        ..Default::default()
    }));
    let (stop, rx) = watch::channel(false);
    let agent = seer_agent::start(store.clone(), &AgentConfig::default(), rx);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = |t: &str| store.table(t).map_or(0, |t| t.stats().rows_held);
        if rows("process_stats") > 0 && rows("network_stats") > 0 && rows("self_telemetry") > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "collectors produced no rows");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let snapshot = agent.telemetry.snapshot();
    let collector = snapshot
        .iter()
        .find(|c| c.kind == "collector" && c.name == "process_stats")
        .expect("counters");
    assert!(collector.rows_ingested > 0);
    let table = snapshot
        .iter()
        .find(|c| c.kind == "table" && c.name == "process_stats")
        .expect("table counters");
    assert!(
        table.rows_ingested >= collector.rows_ingested,
        "the store saw every row the collector handed over"
    );
    stop.send(true).expect("stop");
    tokio::time::timeout(Duration::from_secs(5), agent.join())
        .await
        .expect("tasks stop on shutdown");
}

/// redis-server on a free loopback port (temp dir, no persistence), killed on drop.
struct Redis {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn redis_server() -> Redis {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = std::process::Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", ""])
        .args(["--appendonly", "no"])
        .arg("--dir")
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("redis-server must be installed (tools/setup.sh)");
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "redis-server does not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Redis { child, port, _dir: dir }
}

/// One Redis connection: PING, SET, then a malformed frame (redis-server answers with an error and
/// closes).
fn redis_with_malformed_frame(port: u16) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    for (req, reply) in [
        (&b"*1\r\n$4\r\nPING\r\n"[..], &b"+PONG\r\n"[..]),
        (b"*3\r\n$3\r\nSET\r\n$1\r\nm\r\n$1\r\n1\r\n", b"+OK\r\n"),
    ] {
        s.write_all(req).expect("write");
        let mut got = vec![0u8; reply.len()];
        s.read_exact(&mut got).expect("reply");
        assert_eq!(got, reply);
    }
    s.write_all(b"*1\r\nx\r\n").expect("write");
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    assert!(
        String::from_utf8_lossy(&rest).starts_with("-ERR Protocol error"),
        "{rest:?}"
    );
}

/// `(kind, name, rows_ingested, errors)` of every `self_telemetry` row in the store.
fn telemetry_rows(store: &Store) -> Vec<(String, String, i64, i64)> {
    let Some(table) = store.table("self_telemetry") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for b in table.scan_all() {
        let text = |c: &str| {
            let col = b.column_by_name(c).expect("column");
            let col = arrow::compute::cast(col, &arrow::datatypes::DataType::Utf8).expect("utf8");
            let col = col.as_any().downcast_ref::<StringArray>().expect("strings").clone();
            (0..col.len()).map(|i| col.value(i).to_string()).collect::<Vec<_>>()
        };
        let int = |c: &str| {
            let col = b.column_by_name(c).expect("column");
            col.as_any()
                .downcast_ref::<Int64Array>()
                .expect("ints")
                .values()
                .to_vec()
        };
        let (kind, name, rows, errors) = (text("kind"), text("name"), int("rows_ingested"), int("errors"));
        for i in 0..b.num_rows() {
            out.push((kind[i].clone(), name[i].clone(), rows[i], errors[i]));
        }
    }
    out
}

/// As root: the socket tracer's per-protocol counters reach the `self_telemetry` table through the
/// agent: a Redis connection with a malformed frame makes the `protocol`/`redis` row count rows and
/// an error, and every registered protocol has its row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_counters_reach_self_telemetry() {
    if let Some(why) = seer_bpf::bpf_support() {
        assert!(
            std::env::var("SEER_REQUIRE_BPF").is_err(),
            "BPF required but unavailable: {why}"
        );
        eprintln!("SKIPPED protocol_counters_reach_self_telemetry: {why}");
        return;
    }
    let store = Arc::new(Store::with_all_tables(&StoreConfig {
        total_budget_bytes: 64 << 20,
        ..Default::default()
    }));
    let mut cfg = AgentConfig::default();
    cfg.collect.telemetry_period = Duration::from_millis(200);
    cfg.collect.proc_exit = false;
    let (stop, rx) = watch::channel(false);
    let agent = seer_agent::start(store.clone(), &cfg, rx);
    let redis = redis_server();
    let port = redis.port;
    tokio::task::spawn_blocking(move || redis_with_malformed_frame(port))
        .await
        .expect("client");

    let deadline = Instant::now() + Duration::from_secs(20);
    let rows = loop {
        let rows = telemetry_rows(&store);
        if rows
            .iter()
            .any(|(k, n, r, e)| k == "protocol" && n == "redis" && *r >= 2 && *e >= 1)
        {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "no redis protocol row with the error: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for p in seer_protocols::protocols().iter().map(|p| p.name()) {
        assert!(
            rows.iter().any(|(k, n, _, _)| k == "protocol" && n == p),
            "no self_telemetry row for protocol {p}"
        );
    }
    stop.send(true).expect("stop");
    // Detaching the BPF programs and joining the tracer thread takes longer than the /proc
    // collectors, more so with the other test's tracer starting at the same time.
    tokio::time::timeout(Duration::from_secs(30), agent.join())
        .await
        .expect("tasks stop on shutdown");
}
