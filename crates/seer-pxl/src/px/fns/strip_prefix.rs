//! `px.strip_prefix(prefix, arg)`: The string without `prefix` if it starts with it.

use datafusion::functions::string::expr_fn::starts_with;
use datafusion::functions::unicode::expr_fn::{character_length, substring};
use datafusion::logical_expr::{lit, when};

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.strip_prefix`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "strip_prefix",
    params: &["prefix", "arg"],
    doc: "The string without `prefix` if it starts with it.",
    build,
};

fn build(a: &[Operand]) -> Built {
    let (prefix, s) = (string(a, 0)?, string(a, 1)?);
    let rest = substring(
        s.clone(),
        character_length(prefix.clone()) + lit(1i64),
        character_length(s.clone()),
    );
    when(starts_with(s.clone(), prefix), rest)
        .otherwise(s)
        .map_err(|e| (0, e.strip_backtrace()))
}
