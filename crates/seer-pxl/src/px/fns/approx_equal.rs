//! `px.approxEqual(a, b)`: Whether two numbers differ by less than 1e-6.

use datafusion::functions::math::expr_fn::abs;
use datafusion::logical_expr::lit;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.approxEqual`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "approxEqual",
    params: &["a", "b"],
    doc: "Whether two numbers differ by less than 1e-6.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(abs(float(a, 0)? - float(a, 1)?).lt(lit(1e-6)))
}
