//! The socket tracer against a real PostgreSQL (Debian's) on loopback (root only; skips loudly
//! otherwise): `psql` simple queries (DDL, INSERT, SELECT rows, errors), `pgbench -M prepared`
//! (Parse/Bind/Describe/Execute with parameters) and a stdlib Python client of the extended protocol
//! (binary parameters, an error inside an extended-query batch), and `psql` over TLS
//! (`sslmode=require`: plaintext from the OpenSSL uprobes, `encrypted = true`). Password
//! authentication is cleartext over TCP (or inside TLS); the password must not appear in any row.

mod bpf_common;
mod sql_common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use arrow::record_batch::RecordBatch;
use bpf_common::*;
use seer_collect::SocketTracerCollector;
use seer_types::tables::PGSQL_EVENTS;
use sql_common::*;

const PASSWORD: &str = "pg-Secret-4242";
const SERVER: i64 = 2;
const CLIENT: i64 = 1;

fn tracer() -> SocketTracerCollector {
    // Client sides of loopback connections are recorded only on request (PostgreSQL is server-side
    // by default, as in Pixie); these tests check both sides.
    start_tracer(&tracer_config(true))
}

fn psql(port: u16, args: &[&str]) -> (u32, std::process::Output) {
    let child = Command::new("psql")
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres", "-X"])
        .args(args)
        .env("PGPASSWORD", PASSWORD)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("psql must be installed (tools/setup.sh)");
    let pid = child.id();
    (pid, child.wait_with_output().expect("psql"))
}

/// Rows as (pid, role, req_cmd, req, resp).
fn rows_of(b: &RecordBatch) -> Vec<(u32, i64, String, String, String)> {
    let (p, r, c, q, a) = (
        pids(b),
        ints(b, "trace_role"),
        strings(b, "req_cmd"),
        strings(b, "req"),
        strings(b, "resp"),
    );
    (0..b.num_rows())
        .map(|i| (p[i], r[i], c[i].clone(), q[i].clone(), a[i].clone()))
        .collect()
}

#[test]
fn psql_pgbench_and_extended_protocol_queries_are_recorded() {
    if !bpf_or_skip("psql_pgbench_and_extended_protocol_queries_are_recorded") {
        return;
    }
    let mut c = tracer();
    let sink = VecSink::default();
    let db = postgres(PASSWORD);
    let port = db.port;

    let (psql_pid, out) = psql(
        port,
        &[
            "-c",
            "CREATE TABLE items(id int PRIMARY KEY, name text)",
            "-c",
            "INSERT INTO items VALUES (1, 'apple'), (2, 'pear'), (3, NULL)",
            "-c",
            "SELECT id, name FROM items ORDER BY id",
            "-c",
            "SELEC broken",
            "-c",
            "INSERT INTO items VALUES (1, 'again')",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("pear"), "{out:?}");

    let script = db.dir.path().join("bench.sql");
    std::fs::write(
        &script,
        "\\set id random(1, 3)\nSELECT name /* bench */ FROM items WHERE id = :id;\n",
    )
    .expect("write pgbench script");
    let bench = Command::new("pgbench")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-U",
            "postgres",
            "-n",
            "-M",
            "prepared",
            "-t",
            "5",
            "-f",
        ])
        .arg(&script)
        .arg("postgres")
        .env("PGPASSWORD", PASSWORD)
        .output()
        .expect("pgbench must be installed (tools/setup.sh)");
    assert!(
        bench.status.success(),
        "pgbench: {}",
        String::from_utf8_lossy(&bench.stderr)
    );

    let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg_extended.py");
    run_ok(
        Command::new(python())
            .arg(&client)
            .args([&port.to_string(), "postgres", PASSWORD, "postgres"]),
    );

    let server_rows = |b: &RecordBatch| pick(rows_of(b), &port_rows(b, SERVER, port));
    let want_server = 5 + (1 + 5 * 3) + 8;
    let ok = collect_settled(&mut c, &sink, Duration::from_secs(30), |s| {
        server_rows(&s.table(&PGSQL_EVENTS)).len() >= want_server
    });
    let b = sink.table(&PGSQL_EVENTS);
    let rows = server_rows(&b);
    assert!(
        ok && rows.len() == want_server,
        "{} rows: {rows:#?}\n{:?}",
        rows.len(),
        c.stats()
    );

    // psql: one backend, five simple queries.
    let q = |req: &str| {
        rows.iter()
            .find(|r| r.2 == "Query" && r.3 == req)
            .unwrap_or_else(|| panic!("no row for {req}: {rows:#?}"))
            .4
            .clone()
    };
    assert_eq!(q("CREATE TABLE items(id int PRIMARY KEY, name text)"), "CREATE TABLE");
    assert_eq!(
        q("INSERT INTO items VALUES (1, 'apple'), (2, 'pear'), (3, NULL)"),
        "INSERT 0 3"
    );
    assert_eq!(
        q("SELECT id, name FROM items ORDER BY id"),
        "id,name\n1,apple\n2,pear\n3,[NULL]\nSELECT 3"
    );
    let syntax = q("SELEC broken");
    assert!(
        syntax.starts_with("ERROR RESPONSE [Severity=ERROR") && syntax.contains("Code=42601"),
        "{syntax}"
    );
    let dup = q("INSERT INTO items VALUES (1, 'again')");
    assert!(
        dup.contains("Code=23505") && dup.contains("Message=duplicate key value"),
        "{dup}"
    );

    // pgbench -M prepared: one Parse, then Bind + Describe + Execute per transaction.
    let bench_rows: Vec<_> = rows.iter().filter(|r| r.3.contains("bench")).collect();
    let count = |cmd: &str| bench_rows.iter().filter(|r| r.2 == cmd).count();
    assert_eq!((count("Parse"), count("Execute")), (1, 5), "{bench_rows:#?}");
    for r in bench_rows.iter().filter(|r| r.2 == "Execute") {
        assert!(
            r.3.starts_with("query=[SELECT name /* bench */ FROM items WHERE id = $1;] params=["),
            "{}",
            r.3
        );
        assert!(r.4.ends_with("SELECT 1"), "{}", r.4);
    }
    let binds = rows
        .iter()
        .filter(|r| r.2 == "Bind" && r.3.contains("statement=P_0"))
        .count();
    assert_eq!(binds, 5);

    // The Python client: binary parameter decoded, the error inside the batch recorded, the
    // skipped Bind/Execute after it not.
    let exec: Vec<_> = rows
        .iter()
        .filter(|r| r.2 == "Execute" && r.3.contains("WHERE id = $1]"))
        .map(|r| (r.3.as_str(), r.4.as_str()))
        .collect();
    assert_eq!(
        exec,
        vec![
            (
                "query=[SELECT id, name FROM items WHERE id = $1] params=[2]",
                "2,pear\nSELECT 1"
            ),
            (
                "query=[SELECT id, name FROM items WHERE id = $1] params=[3]",
                "3,[NULL]\nSELECT 1"
            ),
        ]
    );
    let parse_err = rows
        .iter()
        .find(|r| r.2 == "Parse" && r.3 == "SELEC oops")
        .expect("failed Parse row");
    assert!(parse_err.4.contains("Code=42601"), "{}", parse_err.4);

    // Every request here was answered: latency > 0.
    assert!(ints(&b, "latency").iter().all(|&l| l > 0), "{:?}", ints(&b, "latency"));
    // psql's own side of the connection is traced too (client role).
    let client_rows = pick(rows_of(&b), &role_rows(&b, psql_pid, CLIENT));
    assert_eq!(client_rows.len(), 5, "{client_rows:#?}");
    // The cleartext password went over the wire; it must not be in any row.
    assert_not_recorded(&b, PASSWORD);
}

/// A `psql` session opened before the tracer starts: its later queries are still recorded (the
/// connection is picked up mid-stream, from its next Query).
#[test]
fn a_session_opened_before_tracing_is_picked_up_mid_stream() {
    if !bpf_or_skip("a_session_opened_before_tracing_is_picked_up_mid_stream") {
        return;
    }
    let db = postgres(PASSWORD);
    let mut client = LineClient::spawn(
        Command::new("psql")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &db.port.to_string(),
                "-U",
                "postgres",
                "-X",
                "-q",
                "-A",
                "-t",
            ])
            .env("PGPASSWORD", PASSWORD),
    );
    client.ask("SELECT 'before';", "before");

    let mut c = tracer();
    let sink = VecSink::default();
    std::thread::sleep(Duration::from_millis(500));
    client.ask("SELECT 'after-1';", "after-1");
    client.ask("SELECT 'after-' || 2;", "after-2");
    client.finish();

    let ok = collect_until(&mut c, &sink, Duration::from_secs(20), |s| {
        server_rows_on(&s.table(&PGSQL_EVENTS), db.port).len() >= 2
    });
    settle(&mut c, &sink, Duration::from_millis(500));
    let rows = server_rows_on(&sink.table(&PGSQL_EVENTS), db.port);
    assert!(ok, "{rows:#?} {:?}", c.stats());
    let want = vec![
        (
            "Query".to_string(),
            "SELECT 'after-1';".to_string(),
            "?column?\nafter-1\nSELECT 1".to_string(),
        ),
        (
            "Query".to_string(),
            "SELECT 'after-' || 2;".to_string(),
            "?column?\nafter-2\nSELECT 1".to_string(),
        ),
    ];
    assert_eq!(rows, want);
}

/// `psql` over TLS (`sslmode=require`), one `-c` per statement; returns (pid, output).
fn psql_tls(port: u16, statements: &[&str]) -> (u32, std::process::Output) {
    let conninfo = format!("host=127.0.0.1 port={port} sslmode=require user=postgres dbname=postgres");
    let mut cmd = Command::new("psql");
    cmd.arg(&conninfo).arg("-X");
    for s in statements {
        cmd.args(["-c", s]);
    }
    let child = cmd
        .env("PGPASSWORD", PASSWORD)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("psql must be installed (tools/setup.sh)");
    let pid = child.id();
    (pid, child.wait_with_output().expect("psql"))
}

/// Server-side rows on `port` as (req_cmd, req, resp, encrypted, latency).
fn tls_server_rows(b: &RecordBatch, port: u16) -> Vec<(String, String, String, bool, i64)> {
    let (enc, lat) = (bools(b, "encrypted"), ints(b, "latency"));
    let keep = port_rows(b, SERVER, port);
    let rows = pick(rows_of(b), &keep);
    rows.into_iter()
        .zip(keep)
        .map(|(r, i)| (r.2, r.3, r.4, enc[i], lat[i]))
        .collect()
}

#[test]
fn psql_over_tls_is_recorded_as_plaintext() {
    if !bpf_or_skip("psql_over_tls_is_recorded_as_plaintext") {
        return;
    }
    let mut c = tracer();
    let sink = VecSink::default();
    let db = postgres_tls(PASSWORD);
    let port = db.port;

    // The probes go on libssl at the scanner's next sweep: warm-up sessions until one comes out as
    // plaintext on the server side.
    let warm = |b: &RecordBatch| {
        tls_server_rows(b, port)
            .iter()
            .any(|r| r.1.starts_with("SELECT 'warmup-") && r.3)
    };
    let send = |n| {
        let (_, out) = psql_tls(port, &[&format!("SELECT 'warmup-{n}'")]);
        assert!(out.status.success(), "warm-up psql: {out:?}");
    };
    let n = warm_up(&mut c, &sink, Duration::from_secs(30), send, |s| {
        warm(&s.table(&PGSQL_EVENTS))
    });
    assert!(
        warm(&sink.table(&PGSQL_EVENTS)),
        "no TLS plaintext after {n} warm-up sessions: {:?}\n{:#?}",
        c.stats(),
        tls_server_rows(&sink.table(&PGSQL_EVENTS), port)
    );

    let statements = [
        "CREATE TABLE notes(id int PRIMARY KEY, body text)",
        "INSERT INTO notes VALUES (1, 'sealed'), (2, NULL)",
        "SELECT id, body FROM notes ORDER BY id",
        "SELECT 1/0",
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    ];
    let (psql_pid, out) = psql_tls(port, &statements);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("sealed") && String::from_utf8_lossy(&out.stderr).contains("division by zero"),
        "{out:?}"
    );

    let measured = |b: &RecordBatch| {
        let mut rows = tls_server_rows(b, port);
        rows.retain(|r| !r.1.starts_with("SELECT 'warmup-"));
        rows
    };
    let ok = collect_settled(&mut c, &sink, Duration::from_secs(20), |s| {
        measured(&s.table(&PGSQL_EVENTS)).len() >= statements.len()
    });
    let b = sink.table(&PGSQL_EVENTS);
    let rows = measured(&b);
    assert!(ok, "{rows:#?}\n{:?}", c.stats());

    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str()))
        .collect();
    let error = got.get(3).map(|r| r.2).unwrap_or_default();
    assert!(
        error.starts_with("ERROR RESPONSE [Severity=ERROR")
            && error.contains("Code=22012")
            && error.contains("Message=division by zero"),
        "{rows:#?}"
    );
    assert_eq!(
        got,
        vec![
            ("Query", statements[0], "CREATE TABLE"),
            ("Query", statements[1], "INSERT 0 2"),
            ("Query", statements[2], "id,body\n1,sealed\n2,[NULL]\nSELECT 2"),
            ("Query", statements[3], error),
            ("Query", statements[4], "ssl\nt\nSELECT 1"),
        ]
    );
    assert!(rows.iter().all(|r| r.3 && r.4 > 0), "{rows:#?}");

    // psql's side of the connection: the same five queries, also from the plaintext.
    let enc = bools(&b, "encrypted");
    let client: Vec<_> = rows_of(&b)
        .into_iter()
        .enumerate()
        .filter(|(_, r)| r.0 == psql_pid && r.1 == CLIENT)
        .map(|(i, r)| (r.2, r.3, enc[i]))
        .collect();
    let want_client: Vec<_> = statements
        .iter()
        .map(|s| ("Query".to_string(), s.to_string(), true))
        .collect();
    assert_eq!(client, want_client);
    // The password went inside TLS; it must not be in any row.
    assert_not_recorded(&b, PASSWORD);
}

/// `pgbench` against the test server as `postgres`, panicking unless it succeeds.
fn pgbench(port: u16, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("pgbench");
    cmd.args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"])
        .args(args)
        .arg("postgres")
        .env("PGPASSWORD", PASSWORD);
    run_ok(&mut cmd)
}

/// Server-side rows on `port` as (req_cmd, req, resp).
fn server_rows_on(b: &RecordBatch, port: u16) -> Vec<(String, String, String)> {
    pick(rows_of(b), &port_rows(b, SERVER, port))
        .into_iter()
        .map(|r| (r.2, r.3, r.4))
        .collect()
}

/// Rows per (req_cmd, first words of req), the statement's literal cut off.
fn census(rows: &[(String, String, String)]) -> std::collections::BTreeMap<(String, String), usize> {
    let mut by = std::collections::BTreeMap::new();
    for r in rows {
        let head: String = r.1.split(" WHERE aid = ").next().unwrap_or_default().to_string();
        *by.entry((r.0.clone(), head)).or_default() += 1;
    }
    by
}

/// The overhead harness's workload (`pgbench -S`: one `SELECT abalance ... WHERE aid = N` per
/// transaction, several clients, many statements per connection) against a fresh server initialised
/// by `pgbench -i` (traced too), traced server side only (the agent's default) and drained every
/// `drain` (a long interval is what an agent that falls behind sees: a whole backlog of statements
/// per connection between two polls). Returns the server-side rows and the tracer's counters.
fn pgbench_select_only(
    drain: Duration,
    mode: &str,
    clients: usize,
    per_client: usize,
) -> (Vec<(String, String, String)>, seer_collect::SocketTracerStats) {
    let mut cfg = tracer_config(false);
    cfg.bpf.drain_interval = drain;
    // A 2 s drain holds `pgbench -i`'s 100,000-row COPY and thousands of statements in the ring, and
    // every tracer sees the whole host (tests of this binary run side by side): room for all of it,
    // so a busy machine does not turn an exact count into counted drops.
    cfg.bpf.ring_bytes = 128 << 20;
    let db = postgres(PASSWORD);
    let port = db.port;
    let mut c = start_tracer(&cfg);
    let sink = VecSink::default();
    pgbench(port, &["-i", "-q"]);
    let (n, t) = (clients.to_string(), per_client.to_string());
    pgbench(port, &["-n", "-S", "-M", mode, "-c", &n, "-j", "2", "-t", &t]);
    let want = clients * per_client;
    let executed = |s: &VecSink| {
        let rows = server_rows_on(&s.table(&PGSQL_EVENTS), port);
        rows.iter()
            .filter(|r| r.0 != "Parse" && r.1.contains(" WHERE aid = "))
            .filter(|r| r.2.ends_with("SELECT 1"))
            .count()
    };
    collect_until(&mut c, &sink, Duration::from_secs(30), |s| executed(s) >= want);
    settle(&mut c, &sink, drain + Duration::from_millis(700));
    (server_rows_on(&sink.table(&PGSQL_EVENTS), port), c.stats())
}

/// Checks the tracer's counters after [`pgbench_select_only`]: nothing dropped by BPF, nothing
/// malformed, no gap, no message without a row.
fn assert_nothing_lost(stats: &seer_collect::SocketTracerStats) {
    let s = &stats.sessions;
    assert_eq!((stats.bpf.dropped, s.parse_errors, s.gaps), (0, 0, 0), "{stats:#?}");
    assert_eq!((s.unmatched_requests, s.unmatched_responses), (0, 0), "{stats:#?}");
    assert_eq!((stats.flushes_dropped, stats.orphan_events), (0, 0), "{stats:#?}");
}

/// Rows of `cmd` whose request starts with `req`.
fn rows_like<'a>(rows: &'a [(String, String, String)], cmd: &str, req: &str) -> Vec<&'a (String, String, String)> {
    rows.iter().filter(|r| r.0 == cmd && r.1.starts_with(req)).collect()
}

/// Statements of `pgbench -i -q` (PostgreSQL 15, scale 1), one Query row each: drop, 4 creates,
/// begin, truncate, 1 branch + 10 tellers inserted, the COPY of 100000 accounts, commit, 4 vacuums,
/// 3 primary keys.
const INIT_ROWS: usize = 27;
/// pgbench's own queries before a run (scale, partitioning), on its own connection.
const SETUP_ROWS: [&str; 2] = ["select count(*) from pgbench_branches", "select o.n, p.partstrat"];

/// The rows of `pgbench -i -q` and of pgbench's setup queries; every row has an answer.
fn assert_init_and_setup_rows(rows: &[(String, String, String)]) {
    let copy = rows_like(rows, "Query", "copy pgbench_accounts from stdin");
    assert_eq!(copy.len(), 1, "{:#?}", census(rows));
    assert_eq!(copy[0].2, "COPY 100000");
    let tellers = rows_like(rows, "Query", "insert into pgbench_tellers");
    assert!(
        tellers.len() == 10 && tellers.iter().all(|r| r.2 == "INSERT 0 1"),
        "{tellers:#?}"
    );
    for q in SETUP_ROWS {
        assert_eq!(rows_like(rows, "Query", q).len(), 1, "{q}: {:#?}", census(rows));
    }
    let unanswered: Vec<_> = rows.iter().filter(|r| r.2.is_empty()).collect();
    assert!(unanswered.is_empty(), "{unanswered:#?}");
}

const SELECT: &str = "SELECT abalance FROM pgbench_accounts WHERE aid = ";

/// `pgbench -S` (simple protocol), 4 clients × 1500 statements: exactly 6000 SELECT rows, each
/// with its balance, plus pgbench's two setup queries on its own connection, with the ring drained
/// every 100 ms (the default) and every 2 s (a lagging agent: > 1024 statements per connection
/// between two polls). Before `Session::wants_poll`, the 100 ms run already lost 552 statements
/// (unmatched: 552 requests, 2208 responses) with no ring drop.
#[test]
fn pgbench_select_only_counts_are_exact() {
    if !bpf_or_skip("pgbench_select_only_counts_are_exact") {
        return;
    }
    for drain in [Duration::from_millis(100), Duration::from_secs(2)] {
        let (rows, stats) = pgbench_select_only(drain, "simple", 4, 1500);
        assert_nothing_lost(&stats);
        assert_init_and_setup_rows(&rows);
        assert_eq!(rows.len(), 6000 + INIT_ROWS + SETUP_ROWS.len(), "{:#?}", census(&rows));
        let selects = rows_like(&rows, "Query", SELECT);
        assert_eq!(selects.len(), 6000, "{drain:?}: {:#?}\n{stats:#?}", census(&rows));
        for r in &selects {
            assert!(r.2.starts_with("abalance\n") && r.2.ends_with("\nSELECT 1"), "{r:?}");
            assert_eq!(r.2.lines().count(), 3, "{r:?}");
        }
    }
}

/// The same with `-M extended` (Parse, Bind, Describe, Execute, Sync per statement): 6000 rows of
/// each, every Execute with its parameter and its balance.
#[test]
fn pgbench_select_only_extended_counts_are_exact() {
    if !bpf_or_skip("pgbench_select_only_extended_counts_are_exact") {
        return;
    }
    let (rows, stats) = pgbench_select_only(Duration::from_millis(100), "extended", 4, 1500);
    assert_nothing_lost(&stats);
    assert_init_and_setup_rows(&rows);
    assert_eq!(
        rows.len(),
        4 * 6000 + INIT_ROWS + SETUP_ROWS.len(),
        "{:#?}",
        census(&rows)
    );
    let query = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
    let census = census(&rows);
    for cmd in ["Parse", "Bind", "Describe"] {
        assert_eq!(rows.iter().filter(|r| r.0 == cmd).count(), 6000, "{cmd}: {census:#?}");
    }
    let execs = rows_like(&rows, "Execute", &format!("query=[{query}"));
    assert_eq!(execs.len(), 6000, "{census:#?}\n{stats:#?}");
    for r in &execs {
        assert!(r.1.contains("] params=[") && r.2.ends_with("\nSELECT 1"), "{r:?}");
        assert_eq!(r.2.lines().count(), 2, "{r:?}");
    }
}
