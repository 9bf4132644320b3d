//! `px.log10(value)`: Base-10 logarithm.

use datafusion::functions::math::expr_fn::log10;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.log10`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "log10",
    params: &["value"],
    doc: "Base-10 logarithm.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(log10(float(a, 0)?))
}
