//! `px.replace(regex, arg, sub)`: Every match of the regular expression replaced by `sub` (`\\1` refers to a group).

use datafusion::common::ScalarValue;
use datafusion::functions::regex::expr_fn::regexp_replace;
use datafusion::logical_expr::{Expr, lit};

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, string};

/// `px.replace`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "replace",
    params: &["regex", "arg", "sub"],
    doc: "Every match of the regular expression replaced by `sub` (`\\1` refers to a group).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let sub = match &a[2].expr {
        Expr::Literal(ScalarValue::Utf8(Some(s)), _) => lit(group_refs(s)),
        _ => string(a, 2)?,
    };
    Ok(regexp_replace(string(a, 1)?, string(a, 0)?, sub, Some(lit("g"))))
}

/// RE2-style `\\1` group references in Rust's `${1}` syntax.
fn group_refs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(d)) if d.is_ascii_digit() => {
                out.push_str(&format!("${{{d}}}"));
                chars.next();
            }
            ('$', _) => out.push_str("$$"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn group_references() {
        assert_eq!(super::group_refs("<\\1>$"), "<${1}>$$");
    }
}
