//! `px.log2(value)`: Base-2 logarithm.

use datafusion::functions::math::expr_fn::log2;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.log2`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "log2",
    params: &["value"],
    doc: "Base-2 logarithm.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(log2(float(a, 0)?))
}
