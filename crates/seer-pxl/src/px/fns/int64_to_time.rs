//! `px.int64_to_time(ns)`: INT64 nanoseconds since the epoch as a time.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::logical_expr::cast;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, int};

/// `px.int64_to_time`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "int64_to_time",
    params: &["ns"],
    doc: "INT64 nanoseconds since the epoch as a time.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(cast(int(a, 0)?, DataType::Timestamp(TimeUnit::Nanosecond, None)))
}
