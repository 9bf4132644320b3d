//! `px.tolower(arg)`: The string in lower case.

use datafusion::functions::string::expr_fn::lower;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.tolower`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "tolower",
    params: &["arg"],
    doc: "The string in lower case.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(lower(string(a, 0)?))
}
