//! Shared by the eBPF tests: skip-or-run gate, a recording sink, real servers and clients.
#![allow(dead_code)]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use arrow::array::{Array, BooleanArray, FixedSizeBinaryArray, Int64Array, StringArray};
use arrow::compute::concat_batches;
use arrow::record_batch::RecordBatch;
use seer_collect::{CollectContext, Collector, SocketTracerCollector, TracerConfig};
use seer_types::{RecordSink, SinkError, TableDef, Upid};

/// `true` when BPF tests can run; otherwise skips loudly (or fails under `SEER_REQUIRE_BPF=1`).
pub use seer_bpf::bpf_or_skip;

/// Collects every batch, per table.
#[derive(Default)]
pub struct VecSink(pub Mutex<Vec<(String, RecordBatch)>>);

impl RecordSink for VecSink {
    fn append(&self, table: &str, batch: RecordBatch) -> Result<(), SinkError> {
        self.0.lock().expect("sink lock").push((table.to_string(), batch));
        Ok(())
    }
}

impl VecSink {
    /// Every row of `table` so far, as one batch.
    pub fn table(&self, def: &TableDef) -> RecordBatch {
        let got = self.0.lock().expect("sink lock");
        let parts: Vec<RecordBatch> = got
            .iter()
            .filter(|(t, _)| t == def.name)
            .map(|(_, b)| b.clone())
            .collect();
        concat_batches(&def.arrow_schema(), &parts).expect("concat")
    }
}

/// Runs `collector` every 200 ms until `done(sink)` or `timeout`.
pub fn collect_until(
    collector: &mut dyn Collector,
    sink: &VecSink,
    timeout: Duration,
    mut done: impl FnMut(&VecSink) -> bool,
) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        std::thread::sleep(Duration::from_millis(200));
        collector.collect(&CollectContext::now(1), sink).expect("collect");
        if done(sink) {
            return true;
        }
    }
    false
}

/// The tests' tracer settings: rows flushed every 200 ms; `local_clients` also records the client
/// side of loopback connections (off by default).
pub fn tracer_config(local_clients: bool) -> TracerConfig {
    TracerConfig {
        flush_interval: Duration::from_millis(200),
        local_clients,
        ..Default::default()
    }
}

/// The socket tracer started with `cfg` (root only).
pub fn start_tracer(cfg: &TracerConfig) -> SocketTracerCollector {
    SocketTracerCollector::start(cfg).expect("socket tracer starts as root")
}

/// Sleeps `wait`, then collects for 300 ms more, so that late (or duplicate) rows would show.
pub fn settle(collector: &mut dyn Collector, sink: &VecSink, wait: Duration) {
    std::thread::sleep(wait);
    collect_until(collector, sink, Duration::from_millis(300), |_| false);
}

/// [`collect_until`], then [`settle`] for 700 ms; returns whether `done` held.
pub fn collect_settled(
    collector: &mut dyn Collector,
    sink: &VecSink,
    timeout: Duration,
    done: impl FnMut(&VecSink) -> bool,
) -> bool {
    let ok = collect_until(collector, sink, timeout, done);
    settle(collector, sink, Duration::from_millis(700));
    ok
}

/// Until `warm(sink)` or `timeout`: `send(n)` the n-th warm-up exchange, then collect for up to
/// 500 ms (TLS probes attach when the scanner finds libssl mapped). Returns how many were sent.
pub fn warm_up(
    collector: &mut dyn Collector,
    sink: &VecSink,
    timeout: Duration,
    mut send: impl FnMut(usize),
    warm: impl Fn(&VecSink) -> bool,
) -> usize {
    let deadline = Instant::now() + timeout;
    let mut n = 0;
    while !warm(sink) && Instant::now() < deadline {
        send(n);
        n += 1;
        collect_until(collector, sink, Duration::from_millis(500), &warm);
    }
    n
}

/// Column accessors by name.
pub fn strings(b: &RecordBatch, col: &str) -> Vec<String> {
    let a = b.column_by_name(col).unwrap_or_else(|| panic!("no column {col}"));
    let a = a.as_any().downcast_ref::<StringArray>().expect("string column");
    (0..a.len()).map(|i| a.value(i).to_string()).collect()
}
pub fn ints(b: &RecordBatch, col: &str) -> Vec<i64> {
    let a = b.column_by_name(col).unwrap_or_else(|| panic!("no column {col}"));
    let a = a.as_any().downcast_ref::<Int64Array>().expect("int column");
    a.values().to_vec()
}
pub fn times(b: &RecordBatch) -> Vec<i64> {
    let a = b.column_by_name("time_").expect("time_");
    let a = a
        .as_any()
        .downcast_ref::<arrow::array::TimestampNanosecondArray>()
        .expect("time column");
    a.values().to_vec()
}
pub fn bools(b: &RecordBatch, col: &str) -> Vec<bool> {
    let a = b.column_by_name(col).unwrap_or_else(|| panic!("no column {col}"));
    let a = a.as_any().downcast_ref::<BooleanArray>().expect("bool column");
    (0..a.len()).map(|i| a.value(i)).collect()
}
pub fn pids(b: &RecordBatch) -> Vec<u32> {
    let a = b.column_by_name("upid").expect("upid");
    let a = a.as_any().downcast_ref::<FixedSizeBinaryArray>().expect("upid column");
    (0..a.len())
        .map(|i| Upid::from_bytes(a.value(i)).expect("upid").pid)
        .collect()
}

/// Row indices where `pred(i)` holds.
pub fn rows_where(b: &RecordBatch, pred: impl Fn(usize) -> bool) -> Vec<usize> {
    (0..b.num_rows()).filter(|&i| pred(i)).collect()
}

/// Rows of process `pid` in `role`.
pub fn role_rows(b: &RecordBatch, pid: u32, role: i64) -> Vec<usize> {
    let (p, r) = (pids(b), ints(b, "trace_role"));
    rows_where(b, |i| p[i] == pid && r[i] == role)
}

/// Rows in `role` whose local port is `port` (any process).
pub fn port_rows(b: &RecordBatch, role: i64, port: u16) -> Vec<usize> {
    let (r, ports) = (ints(b, "trace_role"), ints(b, "local_port"));
    rows_where(b, |i| r[i] == role && ports[i] == i64::from(port))
}

/// The items of `all` at the (ascending) indices `keep`.
pub fn pick<T>(all: Vec<T>, keep: &[usize]) -> Vec<T> {
    all.into_iter()
        .enumerate()
        .filter(|(i, _)| keep.binary_search(i).is_ok())
        .map(|(_, x)| x)
        .collect()
}

/// A free loopback TCP port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Waits until something accepts on `port`.
pub fn wait_listening(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(15), "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Spawns `cmd` with its output discarded; `what` says why it failed (e.g. what to install).
pub fn spawn_quiet(cmd: &mut Command, what: &str) -> Child {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// A child process killed on drop, with the temp dir it works in (removed after).
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub pid: u32,
    pub dir: Option<tempfile::TempDir>,
}

impl Server {
    /// [`spawn_quiet`] of a server that will serve `port`, working in `dir`.
    pub fn spawn(cmd: &mut Command, port: u16, dir: Option<tempfile::TempDir>, what: &str) -> Server {
        let child = spawn_quiet(cmd, what);
        let pid = child.id();
        Server { child, port, pid, dir }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The real python3 executable (not a pyenv shim), so the traced pid is the server's.
pub fn python() -> PathBuf {
    let out = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .expect("python3 must be installed (tools/setup.sh test)");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Python serving `script` (a file path) with extra args, after the `port` placeholder `{port}`.
pub fn python_server(dir: &Path, args: &[&str]) -> Server {
    let port = free_port();
    let args: Vec<String> = args.iter().map(|a| a.replace("{port}", &port.to_string())).collect();
    let server = Server::spawn(
        Command::new(python()).args(&args).current_dir(dir),
        port,
        None,
        "start python",
    );
    wait_listening(port);
    server
}

/// A self-signed certificate and key (`cert.pem`, `key.pem`) in `dir`, made by Debian's `openssl`.
pub fn self_signed(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let out = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"])
        .args(["-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl must be installed (tools/setup.sh test)");
    assert!(
        out.status.success(),
        "openssl req failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

/// Debian nginx serving `root` on a free loopback port (master + one worker).
pub struct Nginx {
    pub server: Server,
    pub dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its workers; SIGKILL (Server's drop) would orphan them.
        let _ = Command::new("kill")
            .args(["-TERM", &self.server.pid.to_string()])
            .status();
        let _ = self.server.child.wait();
    }
}

pub fn nginx(root: &Path) -> Nginx {
    nginx_with(root, "")
}

/// Debian nginx serving `root` over HTTPS (OpenSSL, through `SSL_read`/`SSL_write`) with this
/// certificate and key.
pub fn nginx_tls(root: &Path, cert: &str, key: &str) -> Nginx {
    nginx_with(
        root,
        &format!(" ssl; ssl_certificate {cert}; ssl_certificate_key {key}"),
    )
}

/// nginx on a free loopback port; `listen_tail` is appended to the `listen` directive.
fn nginx_with(root: &Path, listen_tail: &str) -> Nginx {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let conf = format!(
        "worker_processes 1;\nuser root;\nerror_log {d}/error.log;\npid {d}/nginx.pid;\ndaemon off;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n access_log off;\n default_type text/plain;\n client_body_temp_path {d};\n\
          proxy_temp_path {d};\n fastcgi_temp_path {d};\n uwsgi_temp_path {d};\n scgi_temp_path {d};\n\
          server {{ listen 127.0.0.1:{port}{listen_tail}; root {r};\n   location /chunked {{ gzip on; gzip_min_length 1; gzip_types text/plain; }}\n }}\n}}\n",
        d = dir.path().display(),
        r = root.display()
    );
    let conf_path = dir.path().join("nginx.conf");
    std::fs::write(&conf_path, conf).expect("write nginx.conf");
    let server = Server::spawn(
        Command::new("nginx").arg("-c").arg(&conf_path),
        port,
        None,
        "nginx must be installed (tools/setup.sh test)",
    );
    wait_listening(port);
    Nginx { server, dir }
}

/// Pids of the processes whose parent is `ppid` (nginx workers).
pub fn children_of(ppid: u32) -> Vec<u32> {
    let path = format!("/proc/{ppid}/task/{ppid}/children");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// Runs curl with `args`; returns (pid, stdout).
pub fn curl(args: &[&str]) -> (u32, String) {
    let child = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}\n"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("curl must be installed (tools/setup.sh test)");
    let pid = child.id();
    let out = child.wait_with_output().expect("curl");
    (pid, String::from_utf8_lossy(&out.stdout).to_string())
}

/// Sends raw bytes over one connection (the last request should say `Connection: close`) and reads
/// until the server closes.
pub fn raw_exchange(port: u16, payload: &[u8]) -> String {
    use std::io::Read;
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    s.write_all(payload).expect("write");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).to_string()
}
