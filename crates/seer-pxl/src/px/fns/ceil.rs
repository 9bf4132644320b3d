//! `px.ceil(value)`: Smallest integer not below the value (INT64).

use datafusion::arrow::datatypes::DataType;
use datafusion::functions::math::expr_fn::ceil;
use datafusion::logical_expr::cast;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.ceil`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "ceil",
    params: &["value"],
    doc: "Smallest integer not below the value (INT64).",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(cast(ceil(float(a, 0)?), DataType::Int64))
}
