//! `px.trim(arg)`: The string without leading and trailing whitespace.

use datafusion::functions::string::expr_fn::btrim;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.trim`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "trim",
    params: &["arg"],
    doc: "The string without leading and trailing whitespace.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(btrim(vec![string(a, 0)?]))
}
