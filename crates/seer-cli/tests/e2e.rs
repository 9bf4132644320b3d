//! End to end: a real `seer up` on a free loopback port with a temporary data directory, queried with
//! the real `seer run` CLI over gRPC.

use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const SEER: &str = env!("CARGO_BIN_EXE_seer");

struct Server {
    child: Child,
    addr: String,
    data: tempfile::TempDir,
}

impl Server {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("addr")
            .port();
        let data = tempfile::tempdir().expect("tempdir");
        let log = std::fs::File::create(data.path().join("seer.log")).expect("log file");
        let child = Command::new(SEER)
            .args([
                "up",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--memory-budget",
                "64MiB",
            ])
            .arg("--data-dir")
            .arg(data.path().join("data"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn seer up");
        let s = Self {
            child,
            addr: format!("http://127.0.0.1:{port}"),
            data,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "seer up did not listen in time:\n{}",
                s.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        s
    }

    fn data_dir(&self) -> PathBuf {
        self.data.path().join("data")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.data.path().join("seer.log")).unwrap_or_default()
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.run_with(args, stdin, &["--data-dir", &self.data_dir().to_string_lossy()])
    }

    fn run_with(&self, args: &[&str], stdin: Option<&str>, auth: &[&str]) -> Output {
        let mut cmd = Command::new(SEER);
        cmd.arg("run")
            .args(args)
            .args(["--addr", &self.addr])
            .args(auth)
            .env_remove("SEER_TOKEN");
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn seer run");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("write stdin");
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("seer run")
    }

    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(
                    status.success(),
                    "seer up exited with {status} on SIGTERM:\n{}",
                    self.log()
                );
                assert!(self.log().contains("stopped"), "clean shutdown logged:\n{}", self.log());
                return;
            }
            assert!(Instant::now() < deadline, "seer up did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn json_rows(out: &Output, table: &str) -> Vec<Value> {
    assert!(out.status.success(), "seer run failed: {}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    v.get(table)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_else(|| panic!("no table {table} in {v}"))
}

fn find_pid(rows: &[Value], pid: u32) -> Option<&Value> {
    rows.iter()
        .find(|r| r.get("pid").and_then(Value::as_i64) == Some(i64::from(pid)))
}

#[test]
fn seer_up_serves_real_process_data_and_refuses_bad_input() {
    let server = Server::start();
    let me = std::process::id();
    let seer_pid = server.child.id();

    // The bundled px/processes lists this test process (rss > 0) and seer itself within a few seconds.
    let deadline = Instant::now() + Duration::from_secs(15);
    let rows = loop {
        let rows = json_rows(&server.run(&["px/processes", "-o", "json"], None), "Processes");
        if find_pid(&rows, me).is_some() && find_pid(&rows, seer_pid).is_some() {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "own pid {me} / seer pid {seer_pid} not listed; log:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    let mine = find_pid(&rows, me).expect("own row");
    assert!(
        mine["rss_bytes"].as_i64().unwrap_or(0) > 0,
        "rss of the test process: {mine}"
    );
    assert!(mine["num_threads"].as_i64().unwrap_or(0) >= 1);
    let upid = mine["upid"].as_str().expect("upid string");
    assert!(
        upid.starts_with(&format!("1:{me}:")),
        "UPID string form asid:pid:start, got {upid}"
    );
    let seer = find_pid(&rows, seer_pid).expect("seer row");
    assert!(
        seer["cmd"].as_str().unwrap_or("").contains("seer"),
        "seer's command line: {seer}"
    );

    // Script mode from stdin, several outputs, argument-free.
    let script = "import px\n\
                  df = px.DataFrame(table='process_stats', start_time='-1m')\n\
                  df = df[df.rss_bytes > 0]\n\
                  px.display(df.groupby('upid').agg(n=('rss_bytes', px.count)), 'per_process')\n\
                  t = px.DataFrame(table='self_telemetry', start_time='-1m')\n\
                  px.display(t[t.name == 'process_stats'], 'telemetry')\n";
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let out = server.run(&["-", "-o", "json"], Some(script));
        assert!(!json_rows(&out, "per_process").is_empty());
        let telemetry = json_rows(&out, "telemetry");
        if telemetry
            .iter()
            .any(|r| r["kind"] == "table" && r["rows_ingested"].as_i64().unwrap_or(0) > 0)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "self_telemetry never counted process_stats rows: {telemetry:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }

    // CSV and table formats work too.
    let out = server.run(&["px/network_stats", "-o", "csv"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("pod_id,"), "{}", text(&out.stdout));
    let out = server.run(&["px/processes"], None);
    assert!(text(&out.stdout).contains("Table: Processes"));

    // Bad scripts: non-zero exit and line:column in the message.
    let bad = [
        (
            "import px\ndf = px.DataFrame(table='no_such_table')\npx.display(df)\n",
            "<stdin>:2:",
        ),
        (
            "import px\ndf = px.DataFrame(table='process_stats')\ndf = df[df.no_such_col > 1]\npx.display(df)\n",
            "<stdin>:3:",
        ),
        ("import px\ndf = px.DataFrame(table='process_stats'\n", "<stdin>:"),
        (
            "import px\ndf = px.DataFrame(table='process_stats')\ndf.x = df.rss_bytes + 'a'\npx.display(df)\n",
            "<stdin>:3:",
        ),
    ];
    for (src, want) in bad {
        let out = server.run(&["-"], Some(src));
        assert!(!out.status.success(), "bad script accepted: {src}");
        let err = text(&out.stderr);
        assert!(err.contains(want), "error {err:?} lacks position {want:?} for {src}");
    }

    // Authentication: a wrong token and a missing token are refused.
    let wrong = server.data.path().join("wrong-token");
    std::fs::write(
        &wrong,
        "seer_0000000000000000000000000000000000000000000000000000000000000000\n",
    )
    .expect("write");
    std::fs::set_permissions(&wrong, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = server.run_with(&["px/processes"], None, &["--token-file", &wrong.to_string_lossy()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("authentication failed"),
        "{}",
        text(&out.stderr)
    );
    let empty = tempfile::tempdir().expect("tempdir");
    let out = server.run_with(
        &["px/processes"],
        None,
        &["--data-dir", &empty.path().to_string_lossy()],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no access token"), "{}", text(&out.stderr));

    // The token never reaches the log.
    let token = std::fs::read_to_string(server.data_dir().join("token")).expect("token");
    assert!(!server.log().contains(token.trim()), "token leaked into the log");
    let mode = std::fs::metadata(server.data_dir().join("token"))
        .expect("stat")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    server.stop();
}

#[test]
fn scripts_list_and_show() {
    let out = Command::new(SEER).args(["scripts", "list"]).output().expect("run");
    let list = text(&out.stdout);
    assert!(
        list.contains("px/processes") && list.contains("px/network_stats"),
        "{list}"
    );
    let out = Command::new(SEER)
        .args(["scripts", "show", "px/processes"])
        .output()
        .expect("run");
    assert!(text(&out.stdout).contains("def processes("));
    let out = Command::new(SEER).args(["version"]).output().expect("run");
    assert!(text(&out.stdout).starts_with("seer "));
    let _ = Path::new(SEER);
}
