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
///
/// The file is held open from the scan until the probes are attached: the process whose
/// `/proc/<pid>/root` led to it may exit in between (a short-lived `curl`), and the probes are
/// attached through `/proc/self/fd/<n>`, which stays valid as long as this handle lives.
#[derive(Debug)]
pub(crate) struct TlsTarget {
    /// Where it was found (through `/proc/<pid>/root`, so other mount namespaces work too); for logs.
    pub path: PathBuf,
    /// The open file the probes are attached through.
    pub file: File,
    /// Which of [`FUNCS`] it defines.
    pub funcs: [bool; 4],
}

impl TlsTarget {
    /// A path to the held file that works while `self` lives, whatever happens to the process.
    fn fd_path(&self) -> PathBuf {
        use std::os::fd::AsRawFd;
        PathBuf::from(format!("/proc/self/fd/{}", self.file.as_raw_fd()))
    }
}

/// Files up to this size are read whole and both symbol tables are searched; larger ones (big
/// debug builds, toolchains) are searched through their dynamic symbols only, read piecewise.
const READ_WHOLE_MAX: u64 = 64 << 20;

/// Which of [`FUNCS`] the ELF file at `path` defines (not merely imports); `None` if unreadable or
/// not ELF.
#[cfg(test)]
pub(crate) fn defined_funcs(path: &Path) -> Option<[bool; 4]> {
    defined_funcs_in(&File::open(path).ok()?)
}

/// Which of [`FUNCS`] the open ELF file defines; `None` if unreadable or not ELF.
fn defined_funcs_in(file: &File) -> Option<[bool; 4]> {
    use std::io::{Read, Seek, SeekFrom};
    let size = file.metadata().ok()?.len();
    if size <= READ_WHOLE_MAX {
        let mut data = Vec::with_capacity(usize::try_from(size).ok()?);
        let mut f = file;
        f.seek(SeekFrom::Start(0)).ok()?;
        f.read_to_end(&mut data).ok()?;
        let elf = object::File::parse(data.as_slice()).ok()?;
        Some(find(elf.dynamic_symbols().chain(elf.symbols())))
    } else {
        let cache = ReadCache::new(file);
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
            // Opened first: a process that exits now leaves the file unseen for a later sweep.
            let Ok(file) = File::open(&path) else { continue };
            let Ok(meta) = file.metadata() else { continue };
            if !meta.is_file() || self.0.contains(&(meta.dev(), meta.ino())) {
                continue;
            }
            let Some(funcs) = defined_funcs_in(&file) else { continue };
            self.0.insert((meta.dev(), meta.ino()));
            if funcs[0] && funcs[1] && tx.send(TlsTarget { path, file, funcs }).is_err() {
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
            match prog.attach_uprobe_with_opts(-1, t.fd_path(), 0, opts) {
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

    #[test]
    fn a_target_outlives_the_process_it_was_found_in() {
        // A short-lived process maps libssl; its target must stay attachable after it exits.
        let child = std::process::Command::new("python3")
            .args([
                "-c",
                "import ssl, sys; sys.stdout.write('up\\n'); sys.stdout.flush(); sys.stdin.read()",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("SKIPPED a_target_outlives_the_process_it_was_found_in: no python3");
            return;
        };
        let mut line = String::new();
        let out = child.stdout.take().expect("piped stdout");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(out), &mut line).expect("child starts");
        let (tx, rx) = std::sync::mpsc::channel();
        let mut seen = Seen::default();
        assert!(seen.scan_pid(child.id(), &tx));
        drop(child.stdin.take());
        child.wait().expect("child exits");
        let targets: Vec<TlsTarget> = rx.try_iter().collect();
        let Some(t) = targets.iter().find(|t| t.path.to_string_lossy().contains("libssl")) else {
            eprintln!(
                "SKIPPED a_target_outlives_the_process_it_was_found_in: python3's ssl maps no libssl ({targets:?})"
            );
            return;
        };
        assert!(
            !t.path.exists(),
            "{} still resolves after the process exited",
            t.path.display()
        );
        assert_eq!(defined_funcs(&t.fd_path()), Some([true; 4]));
    }
}
