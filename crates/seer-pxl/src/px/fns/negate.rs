//! `px.negate(value)`: The value with its sign flipped.

use datafusion::logical_expr::Expr;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, numeric};

/// `px.negate`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "negate",
    params: &["value"],
    doc: "The value with its sign flipped.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(Expr::Negative(Box::new(numeric(a, 0)?)))
}
