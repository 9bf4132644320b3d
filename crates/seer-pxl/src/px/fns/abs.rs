//! `px.abs(value)`: Absolute value.

use datafusion::functions::math::expr_fn::abs;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, numeric};

/// `px.abs`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "abs",
    params: &["value"],
    doc: "Absolute value.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(abs(numeric(a, 0)?))
}
