//! The catalogue: every table Seer knows, with Pixie's names, columns and types (even tables nothing
//! fills yet, so that scripts selecting them get empty results rather than errors).

use crate::schema::{ColumnDef as C, DataType::*, PatternType as P, SemanticType as S, TableDef};

const fn time() -> C {
    C::new("time_", Time64Ns, "Time the record was produced (ns since epoch)").semantic(S::TimeNs)
}
const fn upid() -> C {
    C::new("upid", UInt128, "Unique process id (asid:pid:start_ticks)").semantic(S::Upid)
}
const fn counter(name: &'static str, st: S, desc: &'static str) -> C {
    C::new(name, Int64, desc).semantic(st).pattern(P::MetricCounter)
}
const fn gauge(name: &'static str, st: S, desc: &'static str) -> C {
    C::new(name, Int64, desc).semantic(st).pattern(P::MetricGauge)
}
const fn text(name: &'static str, desc: &'static str) -> C {
    C::new(name, String, desc)
}
const fn json(name: &'static str, desc: &'static str) -> C {
    C::new(name, String, desc).pattern(P::Structured)
}
const fn enum_i64(name: &'static str, desc: &'static str) -> C {
    C::new(name, Int64, desc).pattern(P::GeneralEnum)
}
const fn latency() -> C {
    C::new("latency", Int64, "Request to response latency")
        .semantic(S::DurationNs)
        .pattern(P::MetricGauge)
}

/// The columns every L7 (request/response) table starts with.
macro_rules! l7_head {
    () => {
        [
            time(),
            upid(),
            text("remote_addr", "Remote IP address").semantic(S::IpAddress).dict(),
            C::new("remote_port", Int64, "Remote port").semantic(S::Port),
            text("local_addr", "Local IP address").semantic(S::IpAddress).dict(),
            C::new("local_port", Int64, "Local port").semantic(S::Port),
            enum_i64("trace_role", "Side traced: 1 client, 2 server, 4 unknown"),
            C::new("encrypted", Boolean, "Traced as plaintext of a TLS connection"),
        ]
    };
}

/// Expands to a `&'static [ColumnDef]`: the L7 head followed by the given columns.
macro_rules! l7_table {
    ($($col:expr),* $(,)?) => {{
        const HEAD: [C; 8] = l7_head!();
        const COLS: &[C] = &[HEAD[0], HEAD[1], HEAD[2], HEAD[3], HEAD[4], HEAD[5], HEAD[6], HEAD[7], $($col),*];
        COLS
    }};
}

/// `http_events`: HTTP/1.x and HTTP/2 requests with responses.
pub const HTTP_EVENTS: TableDef = TableDef {
    name: "http_events",
    desc: "HTTP requests and responses",
    columns: l7_table![
        C::new("major_version", Int64, "HTTP major version"),
        C::new("minor_version", Int64, "HTTP minor version"),
        enum_i64("content_type", "Content type: 0 unknown, 1 JSON, 2 gRPC"),
        json("req_headers", "Request headers as JSON").dict(),
        text("req_method", "Request method").semantic(S::HttpReqMethod).dict(),
        text("req_path", "Request path").dict(),
        text("req_body", "Request body (truncated)"),
        C::new("req_body_size", Int64, "Request body size before truncation").semantic(S::Bytes),
        json("resp_headers", "Response headers as JSON").dict(),
        C::new("resp_status", Int64, "Response status code").semantic(S::HttpRespStatus),
        text("resp_message", "Response status message")
            .semantic(S::HttpRespMessage)
            .dict(),
        text("resp_body", "Response body (truncated)"),
        C::new("resp_body_size", Int64, "Response body size before truncation").semantic(S::Bytes),
        latency(),
    ],
};

/// `dns_events`.
pub const DNS_EVENTS: TableDef = TableDef {
    name: "dns_events",
    desc: "DNS queries and answers",
    columns: l7_table![
        json("req_header", "Query header as JSON"),
        json("req_body", "Queries as JSON"),
        json("resp_header", "Answer header as JSON"),
        json("resp_body", "Answers as JSON"),
        latency(),
    ],
};

/// `mysql_events`.
pub const MYSQL_EVENTS: TableDef = TableDef {
    name: "mysql_events",
    desc: "MySQL requests and responses",
    columns: l7_table![
        enum_i64("req_cmd", "MySQL command byte"),
        text("req_body", "Request body"),
        enum_i64("resp_status", "0 unknown, 1 none, 2 OK, 3 error"),
        text("resp_body", "Response body"),
        latency(),
    ],
};

/// `pgsql_events`.
pub const PGSQL_EVENTS: TableDef = TableDef {
    name: "pgsql_events",
    desc: "PostgreSQL requests and responses",
    columns: l7_table![
        text("req_cmd", "Request command tag").dict(),
        text("req", "Request"),
        text("resp", "Response"),
        latency(),
    ],
};

/// `redis_events`.
pub const REDIS_EVENTS: TableDef = TableDef {
    name: "redis_events",
    desc: "Redis commands and replies",
    columns: l7_table![
        text("req_cmd", "Command").dict(),
        json("req_args", "Command arguments"),
        text("resp", "Reply"),
        latency(),
    ],
};

/// `cql_events`.
pub const CQL_EVENTS: TableDef = TableDef {
    name: "cql_events",
    desc: "Cassandra (CQL) requests and responses",
    columns: l7_table![
        enum_i64("req_op", "Request opcode"),
        text("req_body", "Request body"),
        enum_i64("resp_op", "Response opcode"),
        text("resp_body", "Response body"),
        latency(),
    ],
};

/// `kafka_events.beta`.
pub const KAFKA_EVENTS: TableDef = TableDef {
    name: "kafka_events.beta",
    desc: "Kafka requests and responses",
    columns: l7_table![
        enum_i64("req_cmd", "Kafka API key"),
        text("client_id", "Client id").dict(),
        json("req_body", "Request body"),
        json("resp", "Response"),
        latency(),
    ],
};

/// `nats_events.beta` (no latency column).
pub const NATS_EVENTS: TableDef = TableDef {
    name: "nats_events.beta",
    desc: "NATS protocol messages",
    columns: l7_table![
        text("cmd", "Command").dict(),
        json("body", "Options as JSON"),
        text("resp", "Response (OK/ERR)"),
    ],
};

/// `mongodb_events`.
pub const MONGODB_EVENTS: TableDef = TableDef {
    name: "mongodb_events",
    desc: "MongoDB OP_MSG requests and responses",
    columns: l7_table![
        text("req_cmd", "Command").dict(),
        json("req_body", "Request document"),
        text("resp_status", "Response status").dict(),
        json("resp_body", "Response document"),
        latency(),
    ],
};

/// `amqp_events`.
pub const AMQP_EVENTS: TableDef = TableDef {
    name: "amqp_events",
    desc: "AMQP 0-9-1 frames",
    columns: l7_table![
        enum_i64("frame_type", "Frame type"),
        C::new("channel", Int64, "Channel"),
        enum_i64("req_class_id", "Request class id"),
        enum_i64("req_method_id", "Request method id"),
        enum_i64("resp_class_id", "Response class id"),
        enum_i64("resp_method_id", "Response method id"),
        text("req_msg", "Request message"),
        text("resp_msg", "Response message"),
        latency(),
    ],
};

/// `mux_events`.
pub const MUX_EVENTS: TableDef = TableDef {
    name: "mux_events",
    desc: "Finagle Mux messages",
    columns: l7_table![enum_i64("req_type", "Request type"), latency()],
};

/// `tls_events` (handshake records; no `encrypted` column).
pub const TLS_EVENTS: TableDef = TableDef {
    name: "tls_events",
    desc: "TLS handshake records",
    columns: {
        const HEAD: [C; 8] = l7_head!();
        &[
            HEAD[0],
            HEAD[1],
            HEAD[2],
            HEAD[3],
            HEAD[4],
            HEAD[5],
            HEAD[6],
            enum_i64("req_type", "TLS content type"),
            json("req_body", "Request extensions and version"),
            json("resp_body", "Response extensions and version"),
            latency(),
        ]
    },
};

/// `conn_stats`: cumulative per-connection-group traffic counters.
pub const CONN_STATS: TableDef = TableDef {
    name: "conn_stats",
    desc: "Connection counts and bytes per process, remote endpoint, role and protocol",
    columns: &[
        time(),
        upid(),
        text("remote_addr", "Remote IP address").semantic(S::IpAddress).dict(),
        C::new("remote_port", Int64, "Remote port").semantic(S::Port),
        enum_i64("trace_role", "Side traced: 1 client, 2 server, 4 unknown"),
        enum_i64("addr_family", "0 unspecified, 1 IPv4, 2 IPv6, 3 Unix, 4 other"),
        enum_i64("protocol", "Traffic protocol (px.protocol_name)"),
        C::new("ssl", Boolean, "Connection uses TLS"),
        counter("conn_open", S::None, "Connections opened"),
        counter("conn_close", S::None, "Connections closed"),
        gauge("conn_active", S::None, "Connections open now"),
        counter("bytes_sent", S::Bytes, "Bytes sent"),
        counter("bytes_recv", S::Bytes, "Bytes received"),
    ],
};

/// `process_stats`: per-process CPU, memory and I/O, sampled every second.
pub const PROCESS_STATS: TableDef = TableDef {
    name: "process_stats",
    desc: "CPU, memory and I/O of every process, sampled every second",
    columns: &[
        time(),
        upid(),
        counter("major_faults", S::None, "Major page faults"),
        counter("minor_faults", S::None, "Minor page faults"),
        counter("cpu_utime_ns", S::DurationNs, "User CPU time"),
        counter("cpu_ktime_ns", S::DurationNs, "Kernel CPU time"),
        gauge("num_threads", S::None, "Threads"),
        gauge("vsize_bytes", S::Bytes, "Virtual memory size"),
        gauge("rss_bytes", S::Bytes, "Resident set size"),
        counter("rchar_bytes", S::Bytes, "Bytes read (any source)"),
        counter("wchar_bytes", S::Bytes, "Bytes written (any sink)"),
        counter("read_bytes", S::Bytes, "Bytes read from storage"),
        counter("write_bytes", S::Bytes, "Bytes written to storage"),
    ],
};

/// `network_stats`: per network namespace (pod) interface counters, sampled every second.
pub const NETWORK_STATS: TableDef = TableDef {
    name: "network_stats",
    desc: "Network counters per pod (per network namespace without Kubernetes)",
    columns: &[
        time(),
        text(
            "pod_id",
            "Pod UID, or network namespace id (netns:<inode>) without Kubernetes",
        )
        .dict(),
        counter("rx_bytes", S::Bytes, "Bytes received"),
        counter("rx_packets", S::None, "Packets received"),
        counter("rx_errors", S::None, "Receive errors"),
        counter("rx_drops", S::None, "Receive drops"),
        counter("tx_bytes", S::Bytes, "Bytes sent"),
        counter("tx_packets", S::None, "Packets sent"),
        counter("tx_errors", S::None, "Send errors"),
        counter("tx_drops", S::None, "Send drops"),
    ],
};

/// `jvm_stats`.
pub const JVM_STATS: TableDef = TableDef {
    name: "jvm_stats",
    desc: "JVM garbage collection and heap",
    columns: &[
        time(),
        upid(),
        counter("young_gc_time", S::DurationNs, "Young GC time"),
        counter("full_gc_time", S::DurationNs, "Full GC time"),
        gauge("used_heap_size", S::None, "Used heap bytes"),
        gauge("total_heap_size", S::None, "Total heap bytes"),
        gauge("max_heap_size", S::None, "Max heap bytes"),
    ],
};

/// `stack_traces.beta`: folded CPU stacks from the profiler.
pub const STACK_TRACES: TableDef = TableDef {
    name: "stack_traces.beta",
    desc: "Sampled CPU stack traces (folded)",
    columns: &[
        time(),
        upid(),
        C::new("stack_trace_id", Int64, "Stack trace id"),
        text("stack_trace", "Folded stack, root first, ';'-separated").dict(),
        counter("count", S::None, "Samples in the window"),
    ],
};

/// `proc_exit_events`.
pub const PROC_EXIT_EVENTS: TableDef = TableDef {
    name: "proc_exit_events",
    desc: "Process exits",
    columns: &[
        time(),
        upid(),
        C::new("exit_code", Int64, "Exit code"),
        C::new("signal", Int64, "Terminating signal"),
        text("comm", "Command name").dict(),
    ],
};

/// `stirling_error`: collector initialisation and runtime errors.
pub const STIRLING_ERROR: TableDef = TableDef {
    name: "stirling_error",
    desc: "Collector errors",
    columns: &[
        time(),
        upid(),
        text("source_connector", "Collector").dict(),
        enum_i64("status", "Status code"),
        text("error", "Error message"),
        text("context", "Context"),
    ],
};

/// `probe_status`: probe deployment results.
pub const PROBE_STATUS: TableDef = TableDef {
    name: "probe_status",
    desc: "Probe deployment status",
    columns: &[
        time(),
        upid(),
        text("source_connector", "Collector").dict(),
        text("tracepoint", "Probe").dict(),
        enum_i64("status", "Status code"),
        text("error", "Error message"),
        json("info", "Details as JSON"),
    ],
};

/// `tcp_stats_events`.
pub const TCP_STATS_EVENTS: TableDef = TableDef {
    name: "tcp_stats_events",
    desc: "TCP statistics per connection",
    columns: &[
        time(),
        upid(),
        text("local_addr", "Local IP address").semantic(S::IpAddress).dict(),
        C::new("local_port", Int64, "Local port").semantic(S::Port),
        text("remote_addr", "Remote IP address").semantic(S::IpAddress).dict(),
        C::new("remote_port", Int64, "Remote port").semantic(S::Port),
        counter("tx", S::Bytes, "Bytes sent"),
        counter("rx", S::Bytes, "Bytes received"),
        counter("retransmits", S::None, "Retransmissions"),
    ],
};

/// `proc_stat`: host CPU split.
pub const PROC_STAT: TableDef = TableDef {
    name: "proc_stat",
    desc: "Host CPU utilisation",
    columns: &[
        time(),
        C::new("system_percent", Float64, "System CPU %").semantic(S::Percent),
        C::new("user_percent", Float64, "User CPU %").semantic(S::Percent),
        C::new("idle_percent", Float64, "Idle CPU %").semantic(S::Percent),
    ],
};

/// `self_telemetry`: Seer's own counters, per table, per collector and per protocol of the socket
/// tracer (cumulative since start). For `kind = 'protocol'` rows the columns mean: rows (and bytes) of
/// the protocol's table the store accepted, malformed frames in `errors`, messages that produced no
/// row in `rows_dropped`, payload bytes the parser refused at its memory bounds in `bytes_evicted`,
/// bytes its live sessions buffer in `bytes_held`; the other columns are 0.
pub const SELF_TELEMETRY: TableDef = TableDef {
    name: "self_telemetry",
    desc: "Seer's own counters: rows and bytes ingested, evicted and dropped per table, collector and parsed protocol",
    columns: &[
        time(),
        text(
            "kind",
            "'table', 'collector' or 'protocol' (the socket tracer's parser of one protocol)",
        )
        .dict(),
        text(
            "name",
            "Table, collector or protocol name (http, pgsql, mysql, dns, redis, ...)",
        )
        .dict(),
        counter(
            "rows_ingested",
            S::None,
            "Rows accepted (protocol: rows of its table the store accepted)",
        ),
        counter(
            "bytes_ingested",
            S::Bytes,
            "Bytes accepted (Arrow size; protocol: of its table's rows)",
        ),
        counter("rows_evicted", S::None, "Rows evicted by the byte budget"),
        counter(
            "bytes_evicted",
            S::Bytes,
            "Bytes evicted by the byte budget (protocol: payload bytes the parser refused at its memory bounds)",
        ),
        counter(
            "rows_dropped",
            S::None,
            "Rows or events dropped before storage (protocol: messages without a row: unmatched requests and \
             responses, rows lost before or refused by the store)",
        ),
        counter(
            "errors",
            S::None,
            "Errors (protocol: malformed frames, i.e. times the parser could not parse and resynchronised)",
        ),
        gauge("rows_held", S::None, "Rows held now"),
        gauge(
            "bytes_held",
            S::Bytes,
            "Bytes held now (protocol: bytes buffered by its live sessions)",
        ),
        gauge("budget_bytes", S::Bytes, "Byte budget"),
    ],
};

/// Every table, in a stable order.
pub const ALL: &[TableDef] = &[
    HTTP_EVENTS,
    DNS_EVENTS,
    MYSQL_EVENTS,
    PGSQL_EVENTS,
    REDIS_EVENTS,
    CQL_EVENTS,
    KAFKA_EVENTS,
    NATS_EVENTS,
    MONGODB_EVENTS,
    AMQP_EVENTS,
    MUX_EVENTS,
    TLS_EVENTS,
    CONN_STATS,
    PROCESS_STATS,
    NETWORK_STATS,
    JVM_STATS,
    STACK_TRACES,
    PROC_EXIT_EVENTS,
    STIRLING_ERROR,
    PROBE_STATUS,
    TCP_STATS_EVENTS,
    PROC_STAT,
    SELF_TELEMETRY,
];

/// Every table.
pub fn all() -> &'static [TableDef] {
    ALL
}

/// A table by name.
pub fn get(name: &str) -> Option<&'static TableDef> {
    ALL.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_every_table_has_time() {
        let mut names = HashSet::new();
        for t in all() {
            assert!(names.insert(t.name), "duplicate table {}", t.name);
            let mut cols = HashSet::new();
            for c in t.columns {
                assert!(cols.insert(c.name), "duplicate column {}.{}", t.name, c.name);
                assert!(
                    !c.dict || c.data_type == String,
                    "{}.{} dict on non-string",
                    t.name,
                    c.name
                );
            }
            assert_eq!(t.time_index(), Some(0), "{} lacks time_ first", t.name);
        }
    }

    #[test]
    fn pixie_column_sets() {
        let cols = |t: &TableDef| t.columns.iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(
            cols(&HTTP_EVENTS),
            [
                "time_",
                "upid",
                "remote_addr",
                "remote_port",
                "local_addr",
                "local_port",
                "trace_role",
                "encrypted",
                "major_version",
                "minor_version",
                "content_type",
                "req_headers",
                "req_method",
                "req_path",
                "req_body",
                "req_body_size",
                "resp_headers",
                "resp_status",
                "resp_message",
                "resp_body",
                "resp_body_size",
                "latency"
            ]
        );
        assert!(NATS_EVENTS.column("latency").is_none());
        assert!(TLS_EVENTS.column("encrypted").is_none());
        assert_eq!(get("process_stats").map(|t| t.columns.len()), Some(13));
        assert_eq!(get("kafka_events.beta").map(|t| t.name), Some("kafka_events.beta"));
    }
}
