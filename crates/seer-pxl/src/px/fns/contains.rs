//! `px.contains(arg, substr)`: Whether the string contains the substring.

use datafusion::functions::string::expr_fn::contains;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.contains`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "contains",
    params: &["arg", "substr"],
    doc: "Whether the string contains the substring.",
    build,
};

fn build(a: &[Operand]) -> Built {
    Ok(contains(string(a, 0)?, string(a, 1)?))
}
