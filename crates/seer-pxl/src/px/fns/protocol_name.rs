//! `px.protocol_name(protocol)`: The name of a traffic protocol number (`conn_stats.protocol`).

use datafusion::arrow::array::ArrayRef;
use datafusion::common::Result;

use super::code_names;
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef};

/// `px.protocol_name`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "protocol_name",
    params: &["protocol"],
    doc: "The name of a traffic protocol number (`conn_stats.protocol`).",
    build,
};

/// Seer's traffic protocol numbers (Pixie-compatible, never renumbered).
const NAMES: &[(i64, &str)] = &[
    (0, "Unknown"),
    (1, "HTTP"),
    (2, "HTTP2"),
    (3, "MySQL"),
    (4, "CQL"),
    (5, "PGSQL"),
    (6, "DNS"),
    (7, "Redis"),
    (8, "NATS"),
    (9, "Mongo"),
    (10, "Kafka"),
    (11, "Mux"),
    (12, "AMQP"),
    (13, "TLS"),
];

fn build(a: &[Operand]) -> Built {
    code_names::build("protocol_name", a, kernel)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    code_names::lookup(args, NAMES, Some("Unknown"))
}
