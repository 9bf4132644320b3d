//! Process facts from `/proc`, cached per UPID.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use seer_types::Upid;

const CACHE_LIMIT: usize = 65_536;

fn cache() -> &'static Mutex<HashMap<Upid, String>> {
    static CACHE: OnceLock<Mutex<HashMap<Upid, String>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Start time in clock ticks (field 22 of `/proc/<pid>/stat`), if the process exists.
fn start_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

fn read_cmdline(u: Upid) -> String {
    if start_ticks(u.pid) != Some(u.start_ticks) {
        return String::new();
    }
    match std::fs::read(format!("/proc/{}/cmdline", u.pid)) {
        Ok(raw) if !raw.is_empty() => {
            let parts: Vec<String> = raw
                .split(|b| *b == 0)
                .filter(|p| !p.is_empty())
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            parts.join(" ")
        }
        // Kernel threads have no command line: show their name in brackets, like ps.
        _ => std::fs::read_to_string(format!("/proc/{}/comm", u.pid))
            .map(|c| format!("[{}]", c.trim()))
            .unwrap_or_default(),
    }
}

/// The command line of the process behind `u` ("" if it exited or its pid was reused).
pub(crate) fn cmdline(u: Upid) -> String {
    let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = map.get(&u) {
        return c.clone();
    }
    let c = read_cmdline(u);
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    if !c.is_empty() {
        map.insert(u, c.clone());
    }
    c
}

/// The cgroup path of the process behind `u` (cgroup v2 unified line, else the first line), if it still runs.
fn cgroup(u: Upid) -> Option<String> {
    if start_ticks(u.pid) != Some(u.start_ticks) {
        return None;
    }
    let text = std::fs::read_to_string(format!("/proc/{}/cgroup", u.pid)).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let line = lines.iter().find(|l| l.starts_with("0::")).or(lines.first())?;
    line.splitn(3, ':').nth(2).map(str::to_string)
}

/// A container id in the process's cgroup path (64 hex digits, as Docker, containerd and CRI-O name them).
pub(crate) fn container_id(u: Upid) -> String {
    let Some(path) = cgroup(u) else { return String::new() };
    path.split(['/', '-', '.', ':'])
        .find(|p| p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_default()
        .to_string()
}

/// The last component of the process's cgroup path: the container scope or systemd unit it runs in
/// (e.g. `nginx.service`, `docker-<id>.scope`); "" for the root cgroup.
pub(crate) fn container_name(u: Upid) -> String {
    cgroup(u)
        .and_then(|p| p.rsplit('/').next().map(str::to_string))
        .unwrap_or_default()
}

/// Logical CPUs of this host.
pub(crate) fn num_cpus() -> i64 {
    std::thread::available_parallelism().map_or(1, |n| i64::try_from(n.get()).unwrap_or(1))
}

/// This host's name.
pub(crate) fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_own_command_line_and_rejects_reused_pids() {
        let pid = std::process::id();
        let ticks = start_ticks(pid).expect("own stat");
        let me = cmdline(Upid::new(1, pid, ticks));
        let exe = std::env::args().next().expect("argv0");
        assert!(me.starts_with(&exe), "{me:?} vs {exe:?}");
        assert_eq!(
            cmdline(Upid::new(1, pid, ticks + 1)),
            "",
            "a different start time is another process"
        );
        assert!(!hostname().is_empty());
        let me = Upid::new(1, pid, ticks);
        let id = container_id(me);
        assert!(id.is_empty() || id.len() == 64, "{id}");
        assert!(num_cpus() >= 1);
    }
}
