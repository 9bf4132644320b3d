//! PostgreSQL wire protocol v3 into `pgsql_events`: inference, framing (startup and TLS
//! negotiation, tagged messages, bounded), the stitcher that follows the protocol flow (simple and
//! extended query, errors, multiple result sets), and Pixie's text renderings of `req` and `resp`.
//!
//! Secrets are never kept: password, SASL and GSS payloads (`p`) are skipped unread, authentication
//! requests keep only their code, the cancel key (`K`) is dropped.
//!
//! Module map: `infer.rs` (rules), `frame.rs` (framing), `msg.rs` (payloads and their text),
//! `values.rs` (binary values), `stitch.rs` (request → answer), `session.rs` (queues, gaps, bounds),
//! `writer.rs` (rows).

mod frame;
mod infer;
mod msg;
mod session;
mod stitch;
mod values;
mod writer;

pub use session::PgsqlSession;
pub use writer::{PgsqlRecord, PgsqlWriter};

use seer_types::TableDef;
use seer_types::tables::PGSQL_EVENTS;

use crate::protocol::{Protocol, Session, TableWriter};
use crate::types::{MessageKind, ProtocolConfig, TraceRole, TrafficProtocol};

/// PostgreSQL into `pgsql_events`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pgsql;

impl Protocol for Pgsql {
    fn id(&self) -> TrafficProtocol {
        TrafficProtocol::Pgsql
    }

    fn name(&self) -> &'static str {
        "pgsql"
    }

    fn table(&self) -> &'static TableDef {
        &PGSQL_EVENTS
    }

    fn infer(&self, data: &[u8]) -> Option<MessageKind> {
        infer::infer(data)
    }

    fn new_session(&self, role: TraceRole, cfg: &ProtocolConfig) -> Box<dyn Session> {
        Box::new(PgsqlSession::new(role, cfg.clone()))
    }

    fn new_writer(&self) -> Box<dyn TableWriter> {
        Box::new(PgsqlWriter::new())
    }
}
