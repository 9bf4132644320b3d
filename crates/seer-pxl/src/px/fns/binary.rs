//! Shared bodies of the operator functions (`px.add`, `px.equal`, `px.logicalAnd`…): the same typing and
//! folding rules as the operators they name.

use ruff_text_size::TextRange;

use crate::args::CallArgs;
use crate::error::DResult;
use crate::ops::{self, Arith, Cmp, Unary};
use crate::value::Value;

fn two(args: CallArgs, func: &str) -> DResult<(Value, Value, TextRange)> {
    let range = args.range;
    let mut b = args.bind(func, &["a", "b"], &["a", "b"])?;
    Ok((b.req("a")?.value, b.req("b")?.value, range))
}

/// `a <op> b` for arithmetic.
pub(super) fn arith(args: CallArgs, func: &str, op: Arith) -> DResult<Value> {
    let (l, r, range) = two(args, func)?;
    ops::arith(op, &l, &r, range)
}

/// `a <op> b` for comparisons.
pub(super) fn compare(args: CallArgs, func: &str, op: Cmp) -> DResult<Value> {
    let (l, r, range) = two(args, func)?;
    ops::compare(op, &l, &r, range)
}

/// `a and b` / `a or b`.
pub(super) fn logical(args: CallArgs, func: &str, and: bool) -> DResult<Value> {
    let (l, r, range) = two(args, func)?;
    if let (Some(a), Some(b)) = (
        l.is_const().then(|| l.truthy()).flatten(),
        r.is_const().then(|| r.truthy()).flatten(),
    ) {
        return Ok(Value::Bool(if and { a && b } else { a || b }));
    }
    ops::logical(and, &l, &r, range)
}

/// `not a`.
pub(super) fn not(args: CallArgs, func: &str) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind(func, &["a"], &["a"])?;
    ops::unary(Unary::Not, &b.req("a")?.value, range)
}
