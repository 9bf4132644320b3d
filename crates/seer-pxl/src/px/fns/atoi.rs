//! `px.atoi(arg)`: The string parsed as an integer (null if it is not one).

use datafusion::arrow::datatypes::DataType;
use datafusion::functions::string::expr_fn::btrim;
use datafusion::logical_expr::{Expr, TryCast};

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.atoi`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "atoi",
    params: &["arg"],
    doc: "The string parsed as an integer (null if it is not one).",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(Expr::TryCast(TryCast::new(
        Box::new(btrim(vec![string(a, 0)?])),
        DataType::Int64,
    )))
}
