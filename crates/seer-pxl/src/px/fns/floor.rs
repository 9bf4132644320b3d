//! `px.floor(value)`: Largest integer not above the value (INT64).

use datafusion::arrow::datatypes::DataType;
use datafusion::functions::math::expr_fn::floor;
use datafusion::logical_expr::cast;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.floor`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "floor",
    params: &["value"],
    doc: "Largest integer not above the value (INT64).",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(cast(floor(float(a, 0)?), DataType::Int64))
}
