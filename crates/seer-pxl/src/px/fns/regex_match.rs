//! `px.regex_match(regex, arg)`: Whether the whole string matches the regular expression.

use datafusion::functions::regex::expr_fn::regexp_like;
use datafusion::functions::string::expr_fn::concat;
use datafusion::logical_expr::lit;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.regex_match`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "regex_match",
    params: &["regex", "arg"],
    doc: "Whether the whole string matches the regular expression.",
    build,
};

fn build(a: &[Operand]) -> Built {
    let pattern = concat(vec![lit("^(?:"), string(a, 0)?, lit(")$")]);
    Ok(regexp_like(string(a, 1)?, pattern, None))
}
