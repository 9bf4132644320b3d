//! `px.time_to_int64(time)`: A time as INT64 nanoseconds since the epoch.

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::cast;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, time};

/// `px.time_to_int64`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "time_to_int64",
    params: &["time"],
    doc: "A time as INT64 nanoseconds since the epoch.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(cast(time(a, 0)?, DataType::Int64))
}
