//! `px.itoa(arg)`: The integer as a decimal string.

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::cast;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, int};

/// `px.itoa`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "itoa",
    params: &["arg"],
    doc: "The integer as a decimal string.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(cast(int(a, 0)?, DataType::Utf8))
}
