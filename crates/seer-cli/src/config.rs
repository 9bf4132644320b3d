//! `seer up` configuration: embedded defaults, an optional TOML file, then command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use bytesize::ByteSize;
use serde::Deserialize;

/// The whole configuration (TOML keys are listed in README.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Config {
    /// Query service address (loopback by default).
    pub listen: SocketAddr,
    /// Where the token file lives.
    pub data_dir: PathBuf,
    /// Log filter (tracing `EnvFilter` syntax).
    pub log: String,
    pub store: StoreSection,
    pub query: QuerySection,
    pub collect: CollectSection,
    pub ui: UiSection,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct UiSection {
    /// Serve the web UI.
    pub enabled: bool,
    /// Web UI address (loopback by default).
    pub listen: SocketAddr,
}

impl Default for UiSection {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: SocketAddr::from(([127, 0, 0, 1], 50301)),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct StoreSection {
    /// Total bytes all tables may hold.
    pub memory_budget: ByteSize,
    /// Share of the budget for `http_events`, percent.
    pub http_events_percent: u8,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct QuerySection {
    pub max_output_rows: usize,
    pub memory_budget: ByteSize,
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct CollectSection {
    /// Where /proc is (e.g. /host/proc in a container).
    pub proc_root: PathBuf,
    /// eBPF socket tracer (`http_events`, `conn_stats`); needs root and kernel BTF.
    pub trace_sockets: bool,
    /// eBPF process-exit tracer (`proc_exit_events`).
    pub trace_exits: bool,
    /// Payload bytes captured per event (at most 16384).
    pub max_payload_bytes: u32,
    /// Events per syscall (at most 8); bytes beyond `max_payload_bytes * chunk_limit` are counted only.
    pub chunk_limit: u32,
    /// BPF ring buffer size (a power of two).
    pub ring_buffer: ByteSize,
    /// Also record the client side of connections to peers on this host (their server side is
    /// recorded anyway; off by default, as in Pixie).
    pub trace_local_clients: bool,
    /// Kernel hooks for the syscalls: `syscall_tracepoints` (default: syscalls:sys_enter_X/sys_exit_X;
    /// tracefs is mounted when missing) or `raw_tracepoints` (tp_btf sys_enter/sys_exit).
    pub syscall_hooks: HooksSetting,
    /// TLS plaintext through uprobes on OpenSSL's SSL_write/SSL_read (libssl.so* and executables
    /// that define them).
    pub trace_tls: bool,
}

/// `[collect] syscall_hooks`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum HooksSetting {
    RawTracepoints,
    #[default]
    SyscallTracepoints,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 50300)),
            data_dir: default_data_dir(),
            log: "info".into(),
            store: StoreSection::default(),
            query: QuerySection::default(),
            collect: CollectSection::default(),
            ui: UiSection::default(),
        }
    }
}

impl Default for StoreSection {
    fn default() -> Self {
        let d = seer_store::StoreConfig::default();
        Self {
            memory_budget: ByteSize::b(d.total_budget_bytes),
            http_events_percent: d.http_events_percent,
        }
    }
}

impl Default for QuerySection {
    fn default() -> Self {
        let d = seer_query::QueryLimits::default();
        Self {
            max_output_rows: d.max_output_rows,
            memory_budget: ByteSize::b(d.memory_bytes as u64),
            timeout_secs: d.timeout.as_secs(),
        }
    }
}

impl Default for CollectSection {
    fn default() -> Self {
        let d = seer_collect::CollectConfig::default();
        Self {
            proc_root: d.proc_root,
            trace_sockets: d.socket_tracer.enabled,
            trace_exits: d.proc_exit,
            max_payload_bytes: d.socket_tracer.bpf.max_payload,
            chunk_limit: d.socket_tracer.bpf.chunk_limit,
            ring_buffer: ByteSize::b(u64::from(d.socket_tracer.bpf.ring_bytes)),
            trace_local_clients: d.socket_tracer.local_clients,
            syscall_hooks: HooksSetting::default(),
            trace_tls: d.socket_tracer.bpf.tls,
        }
    }
}

impl Config {
    /// The collectors' settings.
    pub fn collect_config(&self) -> Result<seer_collect::CollectConfig> {
        let c = &self.collect;
        let mut out = seer_collect::CollectConfig {
            proc_root: c.proc_root.clone(),
            proc_exit: c.trace_exits,
            ..Default::default()
        };
        let st = &mut out.socket_tracer;
        st.enabled = c.trace_sockets;
        st.bpf.max_payload = c.max_payload_bytes;
        st.bpf.chunk_limit = c.chunk_limit;
        st.local_clients = c.trace_local_clients;
        st.bpf.tls = c.trace_tls;
        st.bpf.hooks = match c.syscall_hooks {
            HooksSetting::RawTracepoints => seer_collect::SyscallHooks::RawTracepoints,
            HooksSetting::SyscallTracepoints => seer_collect::SyscallHooks::SyscallTracepoints,
        };
        st.bpf.ring_bytes = u32::try_from(c.ring_buffer.as_u64())
            .ok()
            .filter(|b| b.is_power_of_two())
            .with_context(|| {
                format!(
                    "[collect] ring_buffer {} must be a power of two below 4 GiB",
                    c.ring_buffer
                )
            })?;
        Ok(out)
    }

    /// Reads a TOML file over the defaults.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading config {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing config {}", path.display()))
    }

    pub fn store_config(&self) -> seer_store::StoreConfig {
        seer_store::StoreConfig {
            total_budget_bytes: self.store.memory_budget.as_u64(),
            http_events_percent: self.store.http_events_percent,
            ..Default::default()
        }
    }

    pub fn query_limits(&self) -> seer_query::QueryLimits {
        seer_query::QueryLimits {
            max_output_rows: self.query.max_output_rows,
            memory_bytes: usize::try_from(self.query.memory_budget.as_u64()).unwrap_or(usize::MAX),
            timeout: Duration::from_secs(self.query.timeout_secs),
        }
    }
}

/// `/var/lib/seer` for root, `$XDG_DATA_HOME/seer` or `~/.local/share/seer` otherwise.
pub(crate) fn default_data_dir() -> PathBuf {
    if is_root() {
        return PathBuf::from("/var/lib/seer");
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(x).join("seer");
    }
    std::env::var_os("HOME").map_or_else(
        || PathBuf::from(".seer"),
        |h| PathBuf::from(h).join(".local/share/seer"),
    )
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_overrides_defaults_and_rejects_unknown_keys() {
        let c: Config = toml::from_str(
            "listen = \"127.0.0.1:1234\"\n[store]\nmemory_budget = \"64 MiB\"\n[query]\ntimeout_secs = 5\n",
        )
        .expect("parse");
        assert_eq!(c.listen.port(), 1234);
        assert_eq!(c.store_config().total_budget_bytes, 64 << 20);
        assert_eq!(c.store.http_events_percent, 40);
        assert_eq!(c.query_limits().timeout, Duration::from_secs(5));
        assert!(toml::from_str::<Config>("lisen = \"x\"").is_err());
        assert_eq!(c.ui.listen.port(), 50301);
        let c: Config = toml::from_str("[ui]\nlisten = \"127.0.0.1:9\"\nenabled = false\n").expect("parse");
        assert!(!c.ui.enabled && c.ui.listen.port() == 9);
    }
}
