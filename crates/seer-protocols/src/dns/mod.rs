//! DNS over UDP and TCP into `dns_events`: strict inference, a bounds-checked decoder of whole
//! messages (compression with loop protection; A, AAAA, CNAME, NS, PTR, MX, SRV, TXT, SOA decoded,
//! other types kept raw), transport framing worked out per direction, query ↔ response stitching by
//! transaction id, and Pixie's JSON columns.
//!
//! Module map: inference in `infer.rs`, the wire format in `wire.rs`, UDP/TCP framing in
//! `framing.rs`, stitching in `session.rs`, the JSON columns in `render.rs`, rows in `writer.rs`.

mod framing;
mod infer;
mod render;
mod session;
mod wire;
mod writer;

pub use render::type_name;
pub use session::DnsSession;
pub use writer::{DnsRecord, DnsWriter};

use seer_types::TableDef;
use seer_types::tables::DNS_EVENTS;

use crate::protocol::{Protocol, Session, TableWriter};
use crate::types::{MessageKind, ProtocolConfig, TraceRole, TrafficProtocol};

/// DNS into `dns_events`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dns;

impl Protocol for Dns {
    fn id(&self) -> TrafficProtocol {
        TrafficProtocol::Dns
    }

    fn name(&self) -> &'static str {
        "dns"
    }

    fn table(&self) -> &'static TableDef {
        &DNS_EVENTS
    }

    fn infer(&self, data: &[u8]) -> Option<MessageKind> {
        infer::infer(data)
    }

    fn new_session(&self, role: TraceRole, cfg: &ProtocolConfig) -> Box<dyn Session> {
        Box::new(DnsSession::new(role, cfg.clone()))
    }

    fn new_writer(&self) -> Box<dyn TableWriter> {
        Box::new(DnsWriter::new())
    }

    /// Pixie keeps both roles for DNS (a resolver on the same host is the usual case).
    fn records_local_clients(&self) -> bool {
        true
    }
}
