//! Seer's BPF programs (C with CO-RE, in `bpf/`) and safe loaders for them (libbpf-rs skeletons).
//!
//! - [`socket::SocketTracer`]: syscall tracepoints (raw `tp_btf/sys_enter`/`sys_exit`, or the
//!   per-syscall `syscalls:sys_*_X`) that follow every AF_INET/AF_INET6 socket on the host (except
//!   Seer's own process), plus uprobes on OpenSSL's `SSL_write`/`SSL_read` for TLS plaintext; they
//!   deliver connection open/close events and payload chunks, with per-CPU drop counters.
//! - [`proc_exit::ProcExitTracer`]: `tp_btf/sched_process_exit` for thread-group leaders.
//!
//! Each tracer owns one thread that loads and attaches its programs, drains its ring buffer on a
//! fixed interval and hands decoded events to a caller-supplied handler on that thread. This crate
//! decodes bytes into typed events and nothing more: it knows no protocol. kprobes and fentry are not
//! used (they are refused on locked-down kernels); the default hooks need no tracefs (the per-syscall
//! tracepoint mode mounts it when missing).
//!
//! Needs root (CAP_BPF + CAP_PERFMON) and kernel BTF (`/sys/kernel/btf/vmlinux`); [`bpf_support`]
//! tells whether this process can load BPF at all, for tests that must skip loudly otherwise.

mod clock;
mod error;
pub mod proc_exit;
mod skel;
pub mod socket;
mod thread;
mod tracefs;

pub use clock::{BootClock, monotonic_ns};
pub use error::BpfError;

/// Why BPF tracing cannot run in this process, or `None` when it can (root and kernel BTF present).
pub fn bpf_support() -> Option<String> {
    if !std::path::Path::new("/sys/kernel/btf/vmlinux").exists() {
        return Some("kernel BTF (/sys/kernel/btf/vmlinux) is missing".into());
    }
    if rustix::process::geteuid().as_raw() != 0 {
        return Some("not running as root (BPF needs CAP_BPF and CAP_PERFMON)".into());
    }
    None
}

/// The gate of every test that needs BPF: `true` when it can run; otherwise prints `SKIPPED <test>:
/// <why>` and returns `false` (the test returns early), or panics when `SEER_REQUIRE_BPF` is set (as
/// `tools/test.sh` sets it for root runs), so a CI run can never pass by skipping.
pub fn bpf_or_skip(test: &str) -> bool {
    match bpf_support() {
        None => true,
        Some(why) => {
            assert!(
                std::env::var_os("SEER_REQUIRE_BPF").is_none(),
                "{test}: BPF required but unavailable: {why}"
            );
            eprintln!("SKIPPED {test}: {why}");
            false
        }
    }
}

/// Raises `RLIMIT_MEMLOCK` for kernels that still charge BPF maps to it. A failure is logged, never
/// fatal: kernels >= 5.11 charge BPF memory to the memory cgroup instead.
pub fn raise_memlock() {
    let lim = rustix::process::Rlimit {
        current: None,
        maximum: None,
    };
    if let Err(e) = rustix::process::setrlimit(rustix::process::Resource::Memlock, lim) {
        tracing::debug!(error = %e, "could not raise RLIMIT_MEMLOCK (fine on kernels >= 5.11)");
    }
}
