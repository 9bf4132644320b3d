//! `px.sqrt(value)`: Square root.

use datafusion::functions::math::expr_fn::sqrt;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.sqrt`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "sqrt",
    params: &["value"],
    doc: "Square root.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(sqrt(float(a, 0)?))
}
