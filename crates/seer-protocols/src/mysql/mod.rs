//! MySQL / MariaDB client-server protocol into `mysql_events`: inference, packet framing
//! (bounded), the handshake and authentication skipped unread, the stitcher for commands (text
//! queries, prepared statements with their parameters decoded, OK / ERR / EOF, text and binary
//! result sets, multiple result sets), and Pixie's column values.
//!
//! Module map: `infer.rs` (rules), `frame.rs` (packets), `msg.rs` (payloads), `stitch.rs`
//! (command → answer), `session.rs` (queues, handshake, gaps, bounds), `writer.rs` (rows).

mod frame;
mod infer;
mod msg;
mod session;
mod stitch;
mod writer;

pub use session::MysqlSession;
pub use writer::{MysqlRecord, MysqlWriter};

use seer_types::TableDef;
use seer_types::tables::MYSQL_EVENTS;

use crate::protocol::{Protocol, Session, TableWriter};
use crate::types::{MessageKind, ProtocolConfig, TraceRole, TrafficProtocol};

/// MySQL into `mysql_events`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mysql;

impl Protocol for Mysql {
    fn id(&self) -> TrafficProtocol {
        TrafficProtocol::Mysql
    }

    fn name(&self) -> &'static str {
        "mysql"
    }

    fn table(&self) -> &'static TableDef {
        &MYSQL_EVENTS
    }

    fn infer(&self, data: &[u8]) -> Option<MessageKind> {
        infer::infer(data)
    }

    fn new_session(&self, role: TraceRole, cfg: &ProtocolConfig) -> Box<dyn Session> {
        Box::new(MysqlSession::new(role, cfg.clone()))
    }

    fn new_writer(&self) -> Box<dyn TableWriter> {
        Box::new(MysqlWriter::new())
    }

    /// Pixie keeps both roles for MySQL.
    fn records_local_clients(&self) -> bool {
        true
    }
}
