//! `px.toupper(arg)`: The string in upper case.

use datafusion::functions::string::expr_fn::upper;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.toupper`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "toupper",
    params: &["arg"],
    doc: "The string in upper case.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(upper(string(a, 0)?))
}
