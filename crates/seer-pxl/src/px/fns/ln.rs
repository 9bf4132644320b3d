//! `px.ln(value)`: Natural logarithm.

use datafusion::functions::math::expr_fn::ln;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.ln`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "ln",
    params: &["value"],
    doc: "Natural logarithm.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(ln(float(a, 0)?))
}
