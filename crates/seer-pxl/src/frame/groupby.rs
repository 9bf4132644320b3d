//! `df.groupby(keys)` and `.agg(out=(column, px.fn), ...)`.

use std::collections::HashSet;

use ruff_text_size::TextRange;

use super::{DataFrame, Name};
use crate::args::{Arg, CallArgs};
use crate::error::{DResult, Diag, ErrorKind};
use crate::px::agg::AggDef;
use crate::value::Value;

/// The pending result of `df.groupby(...)`: only `.agg(...)` may follow.
#[derive(Clone, Debug)]
pub(crate) struct GroupBy {
    pub df: DataFrame,
    pub keys: Vec<Name>,
    /// The `groupby(...)` call, for the "must be followed by agg" error.
    pub range: TextRange,
}

/// The error for a groupby used as anything but `.agg(...)`'s receiver.
pub(crate) fn needs_agg(range: TextRange) -> Diag {
    Diag::new(ErrorKind::Type, range, "groupby() must be followed by agg()")
}

/// Validates the group keys.
pub(crate) fn groupby(df: DataFrame, keys: Vec<Name>, range: TextRange) -> DResult<GroupBy> {
    let mut seen = HashSet::new();
    for (key, at) in &keys {
        df.column(key, *at)?;
        if !seen.insert(key.as_str()) {
            return Err(Diag::new(
                ErrorKind::Column,
                *at,
                format!("column '{key}' grouped twice"),
            ));
        }
    }
    if keys.is_empty() {
        return Err(Diag::arg(range, "groupby() needs at least one column"));
    }
    Ok(GroupBy { df, keys, range })
}

/// `agg(out=(column, px.fn), ...)` over `keys` (empty for a global aggregate).
pub(crate) fn agg(df: &DataFrame, keys: &[Name], args: CallArgs) -> DResult<DataFrame> {
    if let Some(first) = args.positional.first() {
        return Err(Diag::arg(
            first.range,
            "agg() takes keyword arguments only: out=('column', px.fn)",
        ));
    }
    let mut names: HashSet<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    let mut exprs = Vec::with_capacity(args.keywords.len());
    for (out, arg) in &args.keywords {
        let (column, at, agg) = agg_spec(out, arg)?;
        let input = df.column(&column, at)?;
        let expr = (agg.build)(input.expr, &input.dt).map_err(|m| Diag::ty(arg.range, m))?;
        if !names.insert(out.clone()) {
            return Err(Diag::new(
                ErrorKind::Column,
                arg.range,
                format!("duplicate output column '{out}'"),
            ));
        }
        exprs.push(expr.alias(out));
    }
    df.aggregate(keys, exprs, args.range)
}

fn agg_spec(out: &str, arg: &Arg) -> DResult<(String, TextRange, &'static AggDef)> {
    if let Value::Tuple(items) | Value::List(items) = &arg.value
        && let [Value::Str(column), Value::Agg(agg)] = items.as_slice()
    {
        let at = arg.elems.first().copied().unwrap_or(arg.range);
        return Ok((column.clone(), at, agg));
    }
    let msg =
        format!("agg argument '{out}' must be a tuple (column name, aggregate function), e.g. ('latency', px.mean)");
    Err(Diag::arg(arg.range, msg))
}
