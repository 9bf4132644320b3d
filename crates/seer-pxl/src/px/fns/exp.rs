//! `px.exp(value)`: e raised to the value.

use datafusion::functions::math::expr_fn::exp;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.exp`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "exp",
    params: &["value"],
    doc: "e raised to the value.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(exp(float(a, 0)?))
}
