//! The socket tracer against a real MariaDB (Debian's) on loopback (root only; skips loudly
//! otherwise): the `mariadb` client's text queries (DDL, INSERT, SELECT, an error) and a stdlib
//! Python client of the binary protocol (COM_STMT_PREPARE / EXECUTE with parameters / RESET / CLOSE,
//! a failed prepare, COM_INIT_DB, COM_PING, two result sets from one COM_QUERY). Logins use
//! `mysql_native_password` over TCP; the password must not appear in any row.

mod bpf_common;
mod sql_common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use arrow::record_batch::RecordBatch;
use bpf_common::*;
use seer_collect::SocketTracerCollector;
use seer_types::tables::MYSQL_EVENTS;
use sql_common::*;

const PASSWORD: &str = "my-Secret-4242";
const SERVER: i64 = 2;
const CLIENT: i64 = 1;

/// SQL making the user `app` (password [`PASSWORD`]) with all rights, over TCP and the socket.
fn app_user() -> String {
    format!(
        "CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}'; CREATE USER 'app'@'localhost' IDENTIFIED BY '{PASSWORD}';\
         GRANT ALL ON *.* TO 'app'@'127.0.0.1'; GRANT ALL ON *.* TO 'app'@'localhost';"
    )
}

fn tracer() -> SocketTracerCollector {
    start_tracer(&tracer_config(false))
}

/// Rows as (pid, role, req_cmd, req_body, resp_status, resp_body).
fn rows_of(b: &RecordBatch) -> Vec<(u32, i64, i64, String, i64, String)> {
    let (p, r, c, q, s, a) = (
        pids(b),
        ints(b, "trace_role"),
        ints(b, "req_cmd"),
        strings(b, "req_body"),
        ints(b, "resp_status"),
        strings(b, "resp_body"),
    );
    (0..b.num_rows())
        .map(|i| (p[i], r[i], c[i], q[i].clone(), s[i], a[i].clone()))
        .collect()
}

#[test]
fn mariadb_text_and_binary_protocol_commands_are_recorded() {
    if !bpf_or_skip("mariadb_text_and_binary_protocol_commands_are_recorded") {
        return;
    }
    let mut c = tracer();
    let sink = VecSink::default();
    let db = mariadb();
    let port = db.port;
    let sock = db.dir.path().join("mysqld.sock");
    let setup = format!(
        "{} CREATE DATABASE shop;\
         CREATE TABLE shop.items(id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO shop.items VALUES (1,'apple'),(2,'pear'),(3,'fig')",
        app_user()
    );
    run_ok(&mut mariadb_socket(&sock, &setup));

    let cli = Command::new("mariadb")
        .args([
            "--no-defaults",
            "-h127.0.0.1",
            &format!("-P{port}"),
            "-uapp",
            &format!("-p{PASSWORD}"),
            "shop",
            "-e",
        ])
        .arg(
            "CREATE TABLE fruit(id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO fruit VALUES (1,'apple'),(2,NULL); \
             SELECT * FROM fruit ORDER BY id; SELECT * FROM nosuch",
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mariadb client must be installed (tools/setup.sh)");
    let cli_pid = cli.id();
    let out = cli.wait_with_output().expect("mariadb client");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("doesn't exist"),
        "{out:?}"
    );

    let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mysql_prepared.py");
    run_ok(
        Command::new(python())
            .arg(&client)
            .args([&port.to_string(), "app", PASSWORD, "shop"]),
    );

    let server_rows = |b: &RecordBatch| {
        let mine = pick(rows_of(b), &port_rows(b, SERVER, port));
        mine.into_iter().filter(|r| r.0 == db.pid).collect::<Vec<_>>()
    };
    let want = 5 + 10;
    let ok = collect_settled(&mut c, &sink, Duration::from_secs(30), |s| {
        server_rows(&s.table(&MYSQL_EVENTS)).len() >= want
    });
    let b = sink.table(&MYSQL_EVENTS);
    let rows = server_rows(&b);
    assert!(
        ok && rows.len() == want,
        "{} rows: {rows:#?}\n{:?}",
        rows.len(),
        c.stats()
    );

    let got: Vec<(i64, &str, i64, &str)> = rows.iter().map(|r| (r.2, r.3.as_str(), r.4, r.5.as_str())).collect();
    let syntax = "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server \
                  version for the right syntax to use near 'SELEC broken ?' at line 1";
    let expected: Vec<(i64, &str, i64, &str)> = vec![
        (3, "CREATE TABLE fruit(id INT PRIMARY KEY, name VARCHAR(20))", 2, ""),
        (3, "INSERT INTO fruit VALUES (1,'apple'),(2,NULL)", 2, ""),
        (3, "SELECT * FROM fruit ORDER BY id", 2, "Resultset rows = 2"),
        (3, "SELECT * FROM nosuch", 3, "Table 'shop.nosuch' doesn't exist"),
        (1, "", 1, ""),
        (22, "SELECT id, name FROM items WHERE id = ? AND name <> ?", 2, ""),
        (
            23,
            "SELECT id, name FROM items WHERE id = 2 AND name <> zzz",
            2,
            "Resultset rows = 1",
        ),
        (
            23,
            "SELECT id, name FROM items WHERE id = 3 AND name <> NULL",
            2,
            "Resultset rows = 0",
        ),
        (26, "", 2, ""),
        (25, "", 1, ""),
        (22, "SELEC broken ?", 3, syntax),
        (2, "shop", 2, ""),
        (14, "", 2, ""),
        (
            3,
            "SELECT 1 AS a; SELECT 2 AS b, 3 AS c",
            2,
            "Resultset rows = 1, Resultset rows = 1",
        ),
        (1, "", 1, ""),
    ];
    assert_eq!(got, expected);

    // Answered commands took time; commands without an answer have latency 0.
    let (lat, status) = (ints(&b, "latency"), ints(&b, "resp_status"));
    assert!((0..b.num_rows()).all(|i| if status[i] == 1 { lat[i] == 0 } else { lat[i] > 0 }));
    // The mariadb client's own side (client role) has the same five commands.
    let client_rows = pick(rows_of(&b), &role_rows(&b, cli_pid, CLIENT));
    assert_eq!(client_rows.len(), 5, "{client_rows:#?}");
    assert_not_recorded(&b, PASSWORD);
}

/// A `mariadb` session opened before the tracer starts: its later queries are still recorded on the
/// client side and the server side (picked up mid-stream, from the next command).
#[test]
fn a_session_opened_before_tracing_is_picked_up_mid_stream() {
    if !bpf_or_skip("a_session_opened_before_tracing_is_picked_up_mid_stream") {
        return;
    }
    let db = mariadb();
    let sock = db.dir.path().join("mysqld.sock");
    run_ok(&mut mariadb_socket(&sock, &app_user()));
    let mut client = LineClient::spawn(
        Command::new("mariadb")
            .args([
                "--no-defaults",
                "-h127.0.0.1",
                &format!("-P{}", db.port),
                "-uapp",
                &format!("-p{PASSWORD}"),
            ])
            .args(["--unbuffered", "-N", "-B"]),
    );
    let client_pid = client.pid();
    client.ask("SELECT 'before';", "before");

    let mut c = tracer();
    let sink = VecSink::default();
    std::thread::sleep(Duration::from_millis(500));
    client.ask("SELECT 'after-1';", "after-1");
    client.ask("SELECT CONCAT('after-', 2);", "after-2");
    client.finish();

    let rows_for = |b: &RecordBatch, pid: u32, role: i64| {
        rows_of(b)
            .into_iter()
            .filter(|r| r.0 == pid && r.1 == role && r.2 == 3)
            .map(|r| (r.3, r.4, r.5))
            .collect::<Vec<_>>()
    };
    let ok = collect_until(&mut c, &sink, Duration::from_secs(20), |s| {
        let b = s.table(&MYSQL_EVENTS);
        rows_for(&b, db.pid, SERVER).len() >= 2 && rows_for(&b, client_pid, CLIENT).len() >= 2
    });
    settle(&mut c, &sink, Duration::from_millis(500));
    let b = sink.table(&MYSQL_EVENTS);
    let want = vec![
        ("SELECT 'after-1'".to_string(), 2, "Resultset rows = 1".to_string()),
        (
            "SELECT CONCAT('after-', 2)".to_string(),
            2,
            "Resultset rows = 1".to_string(),
        ),
    ];
    assert!(ok, "{:#?} {:?}", rows_of(&b), c.stats());
    assert_eq!(rows_for(&b, client_pid, CLIENT), want);
    assert_eq!(rows_for(&b, db.pid, SERVER), want);
}
