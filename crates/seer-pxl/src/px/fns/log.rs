//! `px.log(base, value)`: Logarithm of `value` in base `base`.

use datafusion::functions::math::expr_fn::ln;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.log`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "log",
    params: &["base", "value"],
    doc: "Logarithm of `value` in base `base`.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(ln(float(a, 1)?) / ln(float(a, 0)?))
}
