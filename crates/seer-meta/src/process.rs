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
    }
}
