//! Vocabulary shared by every protocol: directions, roles, message kinds, connection facts, limits,
//! counters and errors.

use seer_types::Upid;

/// Direction of a byte stream relative to the traced process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The traced process wrote these bytes.
    Egress,
    /// The traced process read these bytes.
    Ingress,
}

impl Direction {
    /// The other direction.
    pub fn opposite(self) -> Self {
        match self {
            Self::Egress => Self::Ingress,
            Self::Ingress => Self::Egress,
        }
    }

    /// 0 for egress, 1 for ingress (array index).
    pub(crate) fn index(self) -> usize {
        match self {
            Self::Egress => 0,
            Self::Ingress => 1,
        }
    }
}

/// Which side of the connection the traced process is (Pixie's `trace_role` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i64)]
pub enum TraceRole {
    /// The traced process opened the connection (`connect`).
    Client = 1,
    /// The traced process accepted the connection (`accept`).
    Server = 2,
    /// Not known (e.g. the connection predates tracing).
    Unknown = 4,
}

impl TraceRole {
    /// The value stored in the `trace_role` column.
    pub fn as_i64(self) -> i64 {
        self as i64
    }

    /// The direction that carries requests for this role; `None` when the role is unknown.
    pub fn request_direction(self) -> Option<Direction> {
        match self {
            Self::Client => Some(Direction::Egress),
            Self::Server => Some(Direction::Ingress),
            Self::Unknown => None,
        }
    }

    /// Pixie's rule for an unknown role once one message has been classified:
    /// `(egress XOR response) ? client : server`.
    pub fn infer(dir: Direction, kind: MessageKind) -> Self {
        match (dir == Direction::Egress) ^ (kind == MessageKind::Response) {
            true => Self::Client,
            false => Self::Server,
        }
    }
}

/// Request or response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A request (the client speaks).
    Request,
    /// A response (the server answers).
    Response,
}

impl MessageKind {
    /// The other kind.
    pub fn opposite(self) -> Self {
        match self {
            Self::Request => Self::Response,
            Self::Response => Self::Request,
        }
    }
}

/// Pixie's `traffic_protocol_t` (API-stable numbering; never renumber).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i64)]
#[allow(missing_docs)]
pub enum TrafficProtocol {
    Unknown = 0,
    Http = 1,
    Http2 = 2,
    Mysql = 3,
    Cql = 4,
    Pgsql = 5,
    Dns = 6,
    Redis = 7,
    Nats = 8,
    Mongo = 9,
    Kafka = 10,
    Mux = 11,
    Amqp = 12,
    Tls = 13,
}

impl TrafficProtocol {
    /// Every value, in numeric order.
    pub const ALL: [Self; 14] = [
        Self::Unknown,
        Self::Http,
        Self::Http2,
        Self::Mysql,
        Self::Cql,
        Self::Pgsql,
        Self::Dns,
        Self::Redis,
        Self::Nats,
        Self::Mongo,
        Self::Kafka,
        Self::Mux,
        Self::Amqp,
        Self::Tls,
    ];

    /// The value stored in `conn_stats.protocol`.
    pub fn as_i64(self) -> i64 {
        self as i64
    }

    /// Inverse of [`TrafficProtocol::as_i64`].
    pub fn from_i64(v: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_i64() == v)
    }

    /// Pixie's display name (`px.protocol_name`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown => "Unknown",
            Self::Http => "HTTP",
            Self::Http2 => "HTTP2",
            Self::Mysql => "MySQL",
            Self::Cql => "CQL",
            Self::Pgsql => "PGSQL",
            Self::Dns => "DNS",
            Self::Redis => "Redis",
            Self::Nats => "NATS",
            Self::Mongo => "Mongo",
            Self::Kafka => "Kafka",
            Self::Mux => "Mux",
            Self::Amqp => "AMQP",
            Self::Tls => "TLS",
        }
    }
}

/// Facts about a connection that every record carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnMeta {
    /// The traced process.
    pub upid: Upid,
    /// Local IP address (text form).
    pub local_addr: String,
    /// Local port.
    pub local_port: u16,
    /// Remote IP address (text form).
    pub remote_addr: String,
    /// Remote port.
    pub remote_port: u16,
    /// Side traced.
    pub role: TraceRole,
    /// Plaintext captured from a TLS library.
    pub encrypted: bool,
}

/// Limits every session honours. Defaults follow Pixie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolConfig {
    /// Bodies are shown up to this many bytes (Pixie `max_body_bytes`, 512); the original size is kept.
    pub max_body_bytes: usize,
    /// Header JSON columns are cut to this many bytes (Pixie `kMaxHTTPHeadersBytes`, 8192).
    pub max_header_bytes: usize,
    /// A message head (start line + headers, or chunk trailers) longer than this is a parse error.
    pub max_head_bytes: usize,
    /// Unparsed bytes held per direction; beyond it incoming data is dropped, counted and treated as a gap.
    pub max_buffer_bytes: usize,
    /// Parsed messages waiting for their partner, per direction; beyond it the oldest are dropped.
    pub max_pending_messages: usize,
    /// Compressed bytes kept per body for display inflation (gzip).
    pub max_inflate_input_bytes: usize,
    /// Messages waiting longer than this for their partner are dropped and counted.
    pub message_expiry_ns: u64,
}

impl Default for ProtocolConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 512,
            max_header_bytes: 8192,
            max_head_bytes: 32 * 1024,
            max_buffer_bytes: 1024 * 1024,
            max_pending_messages: 1024,
            max_inflate_input_bytes: 64 * 1024,
            message_expiry_ns: 60_000_000_000,
        }
    }
}

/// What a session did: the parser and stitcher counters the agent exports (observe the observer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionStats {
    /// Complete messages parsed (requests + responses, interim responses included).
    pub frames_parsed: u64,
    /// Times the parser met bytes it could not parse and had to resynchronise.
    pub parse_errors: u64,
    /// Records appended to a writer.
    pub records: u64,
    /// Bytes refused because a bound was hit (buffer full, pending queue full).
    pub bytes_dropped: u64,
    /// Bytes skipped without parsing (resynchronisation, upgraded/tunnelled connections).
    pub bytes_skipped: u64,
    /// Bytes the caller reported lost through [`crate::Session::gap`].
    pub bytes_lost: u64,
    /// Gaps reported.
    pub gaps: u64,
    /// Bodies cut to `max_body_bytes` for display.
    pub truncated: u64,
    /// Requests dropped without a response (expired, superseded after a gap, or at close).
    pub unmatched_requests: u64,
    /// Responses dropped without a request.
    pub unmatched_responses: u64,
    /// Interim (1xx) responses skipped, e.g. `100 Continue`.
    pub interim_responses: u64,
    /// Records lost because `poll` was handed a writer of another protocol.
    pub writer_errors: u64,
}

impl SessionStats {
    /// Adds every counter of `other` to `self` (for per-protocol totals).
    pub fn add(&mut self, other: &Self) {
        self.frames_parsed += other.frames_parsed;
        self.parse_errors += other.parse_errors;
        self.records += other.records;
        self.bytes_dropped += other.bytes_dropped;
        self.bytes_skipped += other.bytes_skipped;
        self.bytes_lost += other.bytes_lost;
        self.gaps += other.gaps;
        self.truncated += other.truncated;
        self.unmatched_requests += other.unmatched_requests;
        self.unmatched_responses += other.unmatched_responses;
        self.interim_responses += other.interim_responses;
        self.writer_errors += other.writer_errors;
    }
}

/// Errors a protocol can report.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// Building the Arrow batch failed.
    #[error("building the {table} batch: {source}")]
    Batch {
        /// Table name.
        table: &'static str,
        /// Arrow's error.
        #[source]
        source: arrow::error::ArrowError,
    },
}
