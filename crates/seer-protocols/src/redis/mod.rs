//! Redis (RESP2 and RESP3) into `redis_events`: inference, an incremental bounded decoder of every
//! reply type (maps, sets, doubles, big numbers, verbatim strings, pushes, attributes) and of
//! inline commands, Pixie's `req_cmd`/`req_args` rendering, and a FIFO stitcher that handles
//! pipelining, subscription confirmations and published messages (`PUSH PUB`).
//!
//! Module map: inference in `infer.rs`, values and the `resp` text in `value.rs`, decoding in
//! `decoder.rs` (inline commands in `inline.rs`), command names and arguments in `commands.rs`,
//! stitching in `session.rs`, rows in `writer.rs`.

mod commands;
mod decoder;
mod infer;
mod inline;
mod session;
mod value;
mod writer;

pub use session::RedisSession;
pub use writer::{RedisRecord, RedisWriter};

use seer_types::TableDef;
use seer_types::tables::REDIS_EVENTS;

use crate::protocol::{Protocol, Session, TableWriter};
use crate::types::{MessageKind, ProtocolConfig, TraceRole, TrafficProtocol};

/// Redis into `redis_events`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Redis;

impl Protocol for Redis {
    fn id(&self) -> TrafficProtocol {
        TrafficProtocol::Redis
    }

    fn name(&self) -> &'static str {
        "redis"
    }

    fn table(&self) -> &'static TableDef {
        &REDIS_EVENTS
    }

    fn infer(&self, data: &[u8]) -> Option<MessageKind> {
        infer::infer(data)
    }

    fn new_session(&self, role: TraceRole, cfg: &ProtocolConfig) -> Box<dyn Session> {
        Box::new(RedisSession::new(role, cfg.clone()))
    }

    fn new_writer(&self) -> Box<dyn TableWriter> {
        Box::new(RedisWriter::new())
    }
}
