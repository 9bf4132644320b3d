//! TLS plaintext probes: finds the files that implement OpenSSL's `SSL_write`/`SSL_read`
//! (`libssl.so*` mapped by any process, or an executable with OpenSSL/BoringSSL linked in) and
//! attaches the uprobes once per file. A uprobe on a file covers every process that maps it, now
//! and later, so a new process using a known library is traced from its first call.
//!
//! A scanner thread walks `/proc/*/maps` (each file examined once, keyed by device + inode) and
//! hands the files that define the functions to the tracer thread, which owns the BPF skeleton and
//! attaches. Exec events (BPF) make it look at a new process at once instead of at the next sweep.

use std::collections::HashSet;
use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::Duration;

use libbpf_rs::{Link, UprobeOpts};
use object::{Object, ObjectSymbol, ReadCache};

use crate::skel::socket_trace::SocketTraceSkel;

/// The functions probed, in the order of [`TlsTarget::funcs`].
pub(crate) const FUNCS: [&str; 4] = ["SSL_write", "SSL_read", "SSL_write_ex", "SSL_read_ex"];

/// A file that defines `SSL_write` and `SSL_read` (and maybe the `_ex` variants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TlsTarget {
    /// Openable path (through `/proc/<pid>/root`, so files in other mount namespaces work too).
    pub path: PathBuf,
    /// Which of [`FUNCS`] it defines.
    pub funcs: [bool; 4],
}

/// Files up to this size are read whole and both symbol tables are searched; larger ones (big
/// debug builds, toolchains) are searched through their dynamic symbols only, read piecewise.
const READ_WHOLE_MAX: u64 = 64 << 20;

/// Which of [`FUNCS`] the ELF file at `path` defines (not merely imports); `None` if unreadable or
/// not ELF.
pub(crate) fn defined_funcs(path: &Path) -> Option<[bool; 4]> {
    let size = std::fs::metadata(path).ok()?.len();
    if size <= READ_WHOLE_MAX {
        let data = std::fs::read(path).ok()?;
        let elf = object::File::parse(data.as_slice()).ok()?;
        Some(find(elf.dynamic_symbols().chain(elf.symbols())))
    } else {
        let cache = ReadCache::new(File::open(path).ok()?);
        let elf = object::File::parse(&cache).ok()?;
        Some(find(elf.dynamic_symbols()))
    }
}

fn find<'d, S: ObjectSymbol<'d>>(symbols: impl Iterator<Item = S>) -> [bool; 4] {
    let mut found = [false; 4];
    for sym in symbols {
        if sym.is_undefined() || !sym.is_definition() {
            continue;
        }
        let Ok(name) = sym.name() else { continue };
        // Versioned names ("SSL_write@@OPENSSL_3.0.0") count as the plain name.
        let base = name.split('@').next().unwrap_or(name);
        if let Some(i) = FUNCS.iter().position(|f| *f == base) {
            found[i] = true;
        }
    }
    found
}

/// Mapped executable files of `pid` worth checking: `libssl*` libraries and the program itself.
fn candidates(pid: u32) -> Vec<PathBuf> {
    let Ok(maps) = std::fs::read_to_string(format!("/proc/{pid}/maps")) else {
        return Vec::new();
    };
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
    let root = PathBuf::from(format!("/proc/{pid}/root"));
    let mut out: Vec<PathBuf> = Vec::new();
    for line in maps.lines() {
        let mut f = line.split_whitespace();
        let perms = f.nth(1).unwrap_or_default();
        let Some(path) = f.nth(3) else { continue };
        if !perms.contains('x') || !path.starts_with('/') || line.ends_with("(deleted)") {
            continue;
        }
        let p = Path::new(path);
        let is_ssl = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("libssl"));
        if (is_ssl || exe.as_deref() == Some(p)) && !out.iter().any(|o| o.ends_with(path.trim_start_matches('/'))) {
            out.push(root.join(path.trim_start_matches('/')));
        }
    }
    out
}

/// Files already examined (device, inode).
#[derive(Default)]
struct Seen(HashSet<(u64, u64)>);

impl Seen {
    /// Examines `pid`'s files not seen before; sends those that define the TLS functions.
    fn scan_pid(&mut self, pid: u32, tx: &Sender<TlsTarget>) -> bool {
        for path in candidates(pid) {
            let Ok(meta) = std::fs::metadata(&path) else { continue };
            if !self.0.insert((meta.dev(), meta.ino())) {
                continue;
            }
            if let Some(funcs) = defined_funcs(&path)
                && funcs[0]
                && funcs[1]
                && tx.send(TlsTarget { path, funcs }).is_err()
            {
                return false;
            }
        }
        true
    }
}

fn pids() -> Vec<u32> {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect()
}

/// Runs the scanner: a full sweep every `every`, and at once for each pid received on `execs`
/// (and again shortly after, once its libraries are mapped).
pub(crate) fn scanner(stop: Arc<AtomicBool>, every: Duration, execs: Receiver<u32>, tx: Sender<TlsTarget>) {
    let own = std::process::id();
    let mut seen = Seen::default();
    let tick = Duration::from_millis(50);
    let mut since_sweep = every;
    let mut later: Vec<u32> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        if since_sweep >= every {
            since_sweep = Duration::ZERO;
            for pid in pids().into_iter().filter(|p| *p != own) {
                if !seen.scan_pid(pid, &tx) {
                    return;
                }
            }
        }
        for pid in std::mem::take(&mut later) {
            seen.scan_pid(pid, &tx);
        }
        loop {
            match execs.try_recv() {
                Ok(pid) => {
                    seen.scan_pid(pid, &tx);
                    later.push(pid);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        std::thread::sleep(tick);
        since_sweep += tick;
    }
}

/// Attaches the entry probes of every function `t` defines, plus the shared return probe.
pub(crate) fn attach(skel: &SocketTraceSkel<'_>, t: &TlsTarget, links: &mut Vec<Link>) -> bool {
    let p = &skel.progs;
    let entries = [
        &p.seer_ssl_write,
        &p.seer_ssl_read,
        &p.seer_ssl_write_ex,
        &p.seer_ssl_read_ex,
    ];
    let mut ok = true;
    for ((func, prog), present) in FUNCS.iter().zip(entries).zip(t.funcs) {
        if !present {
            continue;
        }
        for (prog, retprobe) in [(prog, false), (&p.seer_ssl_ret, true)] {
            let opts = UprobeOpts {
                retprobe,
                func_name: Some((*func).to_string()),
                ..Default::default()
            };
            match prog.attach_uprobe_with_opts(-1, &t.path, 0, opts) {
                Ok(l) => links.push(l),
                Err(e) => {
                    ok = false;
                    tracing::warn!(path = %t.path.display(), func, error = %e, "TLS probe not attached");
                }
            }
        }
    }
    if ok {
        tracing::info!(path = %t.path.display(), "TLS plaintext probes attached");
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_openssl_functions_in_libssl_and_not_in_libc() {
        let libssl = [
            "/usr/lib/x86_64-linux-gnu/libssl.so.3",
            "/lib/x86_64-linux-gnu/libssl.so.3",
        ]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists());
        let Some(libssl) = libssl else {
            eprintln!(
                "SKIPPED finds_openssl_functions_in_libssl_and_not_in_libc: no libssl.so.3 (apt install libssl3)"
            );
            return;
        };
        assert_eq!(defined_funcs(libssl), Some([true; 4]));
        let libc = Path::new("/lib/x86_64-linux-gnu/libc.so.6");
        assert_eq!(defined_funcs(libc), Some([false; 4]));
        // curl imports SSL functions through libcurl but defines none itself.
        if let Some(curl) = Some(Path::new("/usr/bin/curl")).filter(|p| p.exists()) {
            assert_eq!(defined_funcs(curl), Some([false; 4]));
        }
        assert_eq!(defined_funcs(Path::new("/etc/hostname")), None);
    }

    #[test]
    fn this_process_maps_its_own_executable() {
        let c = candidates(std::process::id());
        assert!(
            c.iter()
                .any(|p| p.starts_with(format!("/proc/{}/root", std::process::id()))),
            "{c:?}"
        );
    }
}
