//! Seer's protocol parsers and request/response stitchers: pure functions of the bytes they are fed
//! (no I/O, no syscalls, no clock), fuzzed (`fuzz/` at the repository root).
//!
//! The connection tracker in `seer-collect` finds a protocol with [`Protocol::infer`], opens one
//! [`Session`] per connection, feeds it each direction's bytes in stream order ([`Session::feed`],
//! [`Session::gap`]) and periodically calls [`Session::poll`], which appends finished records to the
//! protocol's [`TableWriter`]; [`TableWriter::finish`] turns them into an Arrow batch with the table's
//! exact schema.
//!
//! Adding a protocol = one module implementing [`Protocol`] + one line in [`registry`] + fixtures
//! and a fuzz target (a test checks all three).
//!
//! - [`types`]: directions, roles, [`TrafficProtocol`], [`ConnMeta`], [`ProtocolConfig`], [`SessionStats`].
//! - [`protocol`]: the [`Protocol`], [`Session`] and [`TableWriter`] traits.
//! - [`http`]: HTTP/1.x into `http_events`.
//! - [`pgsql`]: PostgreSQL into `pgsql_events`.
//! - [`mysql`]: MySQL / MariaDB into `mysql_events`.
//! - [`dns`]: DNS (UDP and TCP) into `dns_events`.
//! - [`redis`]: Redis (RESP2/RESP3) into `redis_events`.
//! - [`fuzz`]: the deterministic session driver behind the fuzz targets and robustness tests.

pub mod dns;
pub mod fuzz;
pub mod http;
pub mod mysql;
pub mod pgsql;
pub mod protocol;
pub mod redis;
pub mod types;

mod l7;
mod ordered_json;
mod rows_writer;
mod sql_common;
mod stream;
mod text;

use std::sync::{Arc, OnceLock};

pub use l7::RowHead;
pub use protocol::{ChunkMeta, Protocol, Session, TableWriter};
pub use rows_writer::{L7Row, RowsWriter};
pub use types::{
    ConnMeta, Direction, MessageKind, ProtocolConfig, ProtocolError, SessionStats, TraceRole, TrafficProtocol,
};

/// Every protocol Seer parses, in inference order (first match wins).
pub fn registry() -> Vec<Arc<dyn Protocol>> {
    vec![
        Arc::new(http::Http),
        Arc::new(pgsql::Pgsql),
        Arc::new(mysql::Mysql),
        Arc::new(dns::Dns),
        Arc::new(redis::Redis),
    ]
}

/// [`registry`], built once (inference runs on the tracer's hot path).
pub fn protocols() -> &'static [Arc<dyn Protocol>] {
    static ALL: OnceLock<Vec<Arc<dyn Protocol>>> = OnceLock::new();
    ALL.get_or_init(registry)
}

/// The registered protocol with this id.
pub fn by_id(id: TrafficProtocol) -> Option<Arc<dyn Protocol>> {
    protocols().iter().find(|p| p.id() == id).cloned()
}

/// Runs inference over every registered protocol in order: the first that recognises `data`.
pub fn infer(data: &[u8]) -> Option<(Arc<dyn Protocol>, MessageKind)> {
    protocols()
        .iter()
        .find_map(|p| p.infer(data).map(|k| (Arc::clone(p), k)))
}
