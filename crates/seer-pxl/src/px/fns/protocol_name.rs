//! `px.protocol_name(protocol)`: The name of a traffic protocol number (`conn_stats.protocol`).

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, int};
use crate::udf::{RowUdf, i64_to_str};

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
    let udf = RowUdf::udf("protocol_name", vec![DataType::Int64], DataType::Utf8, kernel);
    Ok(call_udf(&udf, vec![int(a, 0)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    i64_to_str(args, |v| {
        Some(
            NAMES
                .iter()
                .find(|(k, _)| *k == v)
                .map_or_else(|| "Unknown".to_string(), |(_, n)| (*n).to_string()),
        )
    })
}
