//! `px.length(arg)`: Length of the string in characters.

use datafusion::arrow::datatypes::DataType;
use datafusion::functions::unicode::expr_fn::character_length;
use datafusion::logical_expr::cast;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.length`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "length",
    params: &["arg"],
    doc: "Length of the string in characters.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(cast(character_length(string(a, 0)?), DataType::Int64))
}
