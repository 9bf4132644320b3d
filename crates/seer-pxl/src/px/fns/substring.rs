//! `px.substring(arg, pos, length)`: `length` characters starting at 0-based `pos`.

use datafusion::functions::unicode::expr_fn::substring;
use datafusion::logical_expr::lit;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, int, string};

/// `px.substring`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "substring",
    params: &["arg", "pos", "length"],
    doc: "`length` characters starting at 0-based `pos`.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(substring(string(a, 0)?, int(a, 1)? + lit(1i64), int(a, 2)?))
}
