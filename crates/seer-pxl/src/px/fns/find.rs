//! `px.find(arg, substr)`: 0-based position of the first occurrence of `substr`, or -1.

use datafusion::arrow::datatypes::DataType;
use datafusion::functions::unicode::expr_fn::strpos;
use datafusion::logical_expr::{cast, lit};

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.find`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "find",
    params: &["arg", "substr"],
    doc: "0-based position of the first occurrence of `substr`, or -1.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(cast(strpos(string(a, 0)?, string(a, 1)?), DataType::Int64) - lit(1i64))
}
