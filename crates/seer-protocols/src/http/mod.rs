//! HTTP/1.x: inference, an incremental parser (pipelining, keep-alive, `Content-Length`, chunked with
//! trailers, bodiless `HEAD`/`204`/`304`/1xx responses, interim `100 Continue` skipped, bodies that end
//! at close), a FIFO stitcher, Pixie's body and header display rules, and the `http_events` writer.
//!
//! Heads are parsed with `httparse`; framing, chunked decoding and stitching are ours.
//! Module map: [`infer`](self) rules in `infer.rs`, heads and framing in `message.rs`, chunked bodies
//! in `chunked.rs`, the per-direction parser in `parser.rs`, stitching in `session.rs`, display rules
//! in `body.rs` / `headers.rs`, rows in `writer.rs`.

mod body;
mod chunked;
mod headers;
mod infer;
mod message;
mod parser;
mod session;
mod writer;

pub use body::{GUNZIP_FAILED, REMOVED_NON_TEXT, REMOVED_UNKNOWN};
pub use session::HttpSession;
pub use writer::{HttpRecord, HttpWriter};

use seer_types::TableDef;
use seer_types::tables::HTTP_EVENTS;

use crate::protocol::{Protocol, Session, TableWriter};
use crate::types::{MessageKind, ProtocolConfig, TraceRole, TrafficProtocol};

/// HTTP/1.x into `http_events`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Http;

impl Protocol for Http {
    fn id(&self) -> TrafficProtocol {
        TrafficProtocol::Http
    }

    fn name(&self) -> &'static str {
        "http1"
    }

    fn table(&self) -> &'static TableDef {
        &HTTP_EVENTS
    }

    fn infer(&self, data: &[u8]) -> Option<MessageKind> {
        infer::infer(data)
    }

    fn new_session(&self, role: TraceRole, cfg: &ProtocolConfig) -> Box<dyn Session> {
        Box::new(HttpSession::new(role, cfg.clone()))
    }

    fn new_writer(&self) -> Box<dyn TableWriter> {
        Box::new(HttpWriter::new())
    }
}
