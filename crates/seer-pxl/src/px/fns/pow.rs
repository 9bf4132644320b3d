//! `px.pow(base, exponent)`: `base` raised to `exponent` (FLOAT64).

use datafusion::functions::math::expr_fn::power;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, float};

/// `px.pow`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "pow",
    params: &["base", "exponent"],
    doc: "`base` raised to `exponent` (FLOAT64).",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(power(float(a, 0)?, float(a, 1)?))
}
