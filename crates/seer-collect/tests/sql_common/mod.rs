//! Real database servers for the SQL protocol tests, each in its own temp dir on a free loopback
//! port, stopped (and waited for) when the guard drops, also on panic.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Lines, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::time::{Duration, Instant};

use arrow::array::{Array, StringArray};
use arrow::record_batch::RecordBatch;

/// A server process, stopped with `signal` on drop, then killed if it has not exited in 15 s.
pub struct Db {
    pub child: Child,
    pub pid: u32,
    pub port: u16,
    pub dir: tempfile::TempDir,
    signal: &'static str,
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = Command::new("kill").args([self.signal, &self.pid.to_string()]).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Db {
    /// Spawns the server `cmd` (output discarded) on `port`, working in `dir`, stopped with
    /// `signal`.
    fn spawn(cmd: &mut Command, port: u16, dir: tempfile::TempDir, signal: &'static str, what: &str) -> Db {
        let child = super::bpf_common::spawn_quiet(cmd, what);
        let pid = child.id();
        Db {
            child,
            pid,
            port,
            dir,
            signal,
        }
    }
}

/// A line-oriented client process (`psql`, `mariadb`) fed one statement at a time on stdin.
pub struct LineClient {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Lines<BufReader<ChildStdout>>,
}

impl LineClient {
    /// Spawns `cmd` with piped stdin and stdout.
    pub fn spawn(cmd: &mut Command) -> LineClient {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        let stdin = child.stdin.take();
        let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        LineClient { child, stdin, lines }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `sql` as one line; its answer must be the line `want`.
    pub fn ask(&mut self, sql: &str, want: &str) {
        let stdin = self.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{sql}").expect("write to the client");
        stdin.flush().expect("flush");
        let line = self.lines.next().expect("a line").expect("utf8");
        assert_eq!(line, want);
    }

    /// Closes stdin and waits for the client to exit.
    pub fn finish(mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// Runs `cmd`, panicking with its output unless it succeeds.
pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Retries `cmd` until it succeeds (server start-up), at most `secs` seconds.
pub fn wait_until_ok(mut cmd: impl FnMut() -> Command, secs: u64) {
    let start = Instant::now();
    loop {
        let out = cmd().output().expect("run readiness probe");
        if out.status.success() {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "server not ready after {secs} s: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn id_of(user: &str, flag: &str) -> u32 {
    let out = run_ok(Command::new("id").args([flag, user]));
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("numeric id")
}

/// Debian's PostgreSQL binaries (`/usr/lib/postgresql/<version>/bin`), newest version.
pub fn pg_bin() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL must be installed (tools/setup.sh)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("postgres").is_file())
        .collect();
    dirs.sort();
    dirs.pop().expect("a PostgreSQL server under /usr/lib/postgresql")
}

/// PostgreSQL: `initdb` as `postgres` (superuser `postgres` with `password`, cleartext password
/// authentication over TCP), then `postgres` on a free loopback port with its socket in the dir,
/// without TLS.
pub fn postgres(password: &str) -> Db {
    postgres_with(password, false)
}

/// [`postgres`] with `ssl=on` and a self-signed certificate made in the temp dir (key `0600`, owned
/// by `postgres`, as the server demands).
pub fn postgres_tls(password: &str) -> Db {
    postgres_with(password, true)
}

/// [`super::bpf_common::self_signed`] owned by `uid:gid`, the key readable by its owner only.
fn self_signed_for(dir: &Path, uid: u32, gid: u32) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let (cert, key) = super::bpf_common::self_signed(dir);
    for f in [&cert, &key] {
        std::os::unix::fs::chown(f, Some(uid), Some(gid)).expect("chown certificate");
    }
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod key");
    (cert, key)
}

fn postgres_with(password: &str, tls: bool) -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let (uid, gid) = (id_of("postgres", "-u"), id_of("postgres", "-g"));
    std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown temp dir");
    let pwfile = dir.path().join("pw");
    std::fs::write(&pwfile, password).expect("write pwfile");
    std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).expect("chown pwfile");
    let data = dir.path().join("data");
    let bin = pg_bin();
    run_ok(
        Command::new(bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth-local=trust", "--auth-host=password"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .current_dir(dir.path())
            .uid(uid)
            .gid(gid),
    );
    let ssl: Vec<String> = if tls {
        let (cert, key) = self_signed_for(dir.path(), uid, gid);
        vec![
            "ssl=on".into(),
            format!("ssl_cert_file={}", cert.display()),
            format!("ssl_key_file={}", key.display()),
        ]
    } else {
        vec!["ssl=off".into()]
    };
    let port = super::bpf_common::free_port();
    let mut cmd = Command::new(bin.join("postgres"));
    cmd.arg("-D")
        .arg(&data)
        .args(["-p", &port.to_string(), "-k"])
        .arg(dir.path())
        .args(["-c", "listen_addresses=127.0.0.1"]);
    for setting in &ssl {
        cmd.arg("-c").arg(setting);
    }
    cmd.current_dir(dir.path()).uid(uid).gid(gid);
    let db = Db::spawn(&mut cmd, port, dir, "-INT", "start postgres");
    let sock = db.dir.path().to_path_buf();
    wait_until_ok(
        || {
            let mut c = Command::new("psql");
            c.arg("-h")
                .arg(&sock)
                .args(["-p", &port.to_string(), "-U", "postgres", "-c", "select 1"]);
            c
        },
        60,
    );
    db
}

/// `mariadb-install-db` into `data`. Installs run one at a time (two bootstraps at once, from tests
/// running in parallel, failed in CI), and a failed one is retried once on a fresh directory.
fn install_mariadb(data: &Path) {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let install = || {
        let mut cmd = Command::new("mariadb-install-db");
        cmd.arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .args([
                "--user=root",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ]);
        cmd
    };
    let first = install()
        .output()
        .expect("mariadb-install-db must be installed (tools/setup.sh test)");
    if !first.status.success() {
        eprintln!("mariadb-install-db failed once; retrying on a fresh data directory");
        let _ = std::fs::remove_dir_all(data);
        run_ok(&mut install());
    }
}

/// MariaDB: `mariadb-install-db` into the temp dir, `mariadbd` as root on a free loopback port with
/// its socket in the dir.
pub fn mariadb() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    install_mariadb(&data);
    let port = super::bpf_common::free_port();
    let sock = dir.path().join("mysqld.sock");
    let mut cmd = Command::new("mariadbd");
    cmd.arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .args(["--user=root", &format!("--port={port}"), "--bind-address=127.0.0.1"])
        .arg(format!("--socket={}", sock.display()))
        .arg(format!("--pid-file={}", dir.path().join("mysqld.pid").display()))
        .arg(format!("--log-error={}", dir.path().join("error.log").display()));
    let db = Db::spawn(&mut cmd, port, dir, "-TERM", "start mariadbd");
    wait_until_ok(|| mariadb_socket(&sock, "select 1"), 60);
    db
}

/// `mariadb` over the server's Unix socket as root (not traced: not an INET socket).
pub fn mariadb_socket(sock: &Path, sql: &str) -> Command {
    let mut c = Command::new("mariadb");
    c.arg("--no-defaults").arg("-S").arg(sock).args(["-uroot", "-e", sql]);
    c
}

/// Every string cell of `batch`.
pub fn all_strings(batch: &RecordBatch) -> Vec<String> {
    let mut out = Vec::new();
    for col in batch.columns() {
        if let Some(a) = col.as_any().downcast_ref::<StringArray>() {
            out.extend((0..a.len()).map(|i| a.value(i).to_string()));
        }
    }
    out
}

/// No string cell of `batch` holds `secret` (a password that went over the wire).
pub fn assert_not_recorded(batch: &RecordBatch, secret: &str) {
    assert!(
        all_strings(batch).iter().all(|s| !s.contains(secret)),
        "password recorded"
    );
}
