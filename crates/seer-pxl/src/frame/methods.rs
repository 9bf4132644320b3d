//! DataFrame and groupby methods: one table entry per method.

use super::groupby::{self, needs_agg};
use super::join;
use super::{DataFrame, GroupBy};
use crate::args::{Arg, CallArgs};
use crate::error::{DResult, Diag};
use crate::interp::Interp;
use crate::value::{NativeMethod, Value};

/// Methods of a DataFrame. An attribute that is not a method is a column.
pub(crate) static DATAFRAME: &[NativeMethod] = &[
    NativeMethod {
        name: "groupby",
        call: groupby_,
    },
    NativeMethod {
        name: "agg",
        call: agg_all,
    },
    NativeMethod {
        name: "drop",
        call: drop,
    },
    NativeMethod {
        name: "head",
        call: head,
    },
    NativeMethod {
        name: "filter",
        call: filter,
    },
    NativeMethod { name: "map", call: map },
    NativeMethod {
        name: "merge",
        call: merge,
    },
    NativeMethod {
        name: "append",
        call: append,
    },
];

/// Methods of a groupby.
pub(crate) static GROUPBY: &[NativeMethod] = &[NativeMethod {
    name: "agg",
    call: agg_groups,
}];

/// Pixie DataFrame methods Seer does not implement yet (so they are not mistaken for columns).
pub(crate) static NOT_YET: &[&str] = &["rolling", "stream"];

fn df(recv: &Value) -> DResult<&DataFrame> {
    match recv {
        Value::DataFrame(df) => Ok(df),
        other => Err(Diag::unplaced(
            crate::error::ErrorKind::Type,
            format!("expected a DataFrame, got {}", other.type_name()),
        )),
    }
}

fn groupby_(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind("groupby", &["by"], &["by"])?;
    let keys = b.req("by")?.names("groupby", "by")?;
    Ok(Value::GroupBy(groupby::groupby(df(&recv)?.clone(), keys, range)?))
}

fn agg_all(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    Ok(Value::DataFrame(groupby::agg(df(&recv)?, &[], args)?))
}

fn agg_groups(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    match recv {
        Value::GroupBy(GroupBy { df, keys, .. }) => Ok(Value::DataFrame(groupby::agg(&df, &keys, args)?)),
        _ => Err(needs_agg(args.range)),
    }
}

fn drop(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind("drop", &["columns"], &["columns"])?;
    let names = b.req("columns")?.names("drop", "columns")?;
    Ok(Value::DataFrame(df(&recv)?.drop(&names, range)?))
}

fn head(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind("head", &["n"], &[])?;
    let n = match b.take("n") {
        Some(arg) => non_negative(&arg)?,
        None => 5,
    };
    Ok(Value::DataFrame(df(&recv)?.head(n, range)?))
}

fn non_negative(arg: &Arg) -> DResult<usize> {
    let n = arg.int("head", "n")?;
    usize::try_from(n).map_err(|_| Diag::arg(arg.range, format!("head() needs a non-negative row count, got {n}")))
}

fn filter(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    let mut b = args.bind("filter", &["predicate"], &["predicate"])?;
    let pred = b.req("predicate")?;
    Ok(Value::DataFrame(df(&recv)?.filter(&pred.value, pred.range)?))
}

fn map(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    let mut b = args.bind("map", &["column", "expr"], &["column", "expr"])?;
    let name = b.req("column")?.str("map", "column")?;
    let expr = b.req("expr")?;
    Ok(Value::DataFrame(df(&recv)?.assign(&name, &expr.value, expr.range)?))
}

fn other_frame(arg: &Arg, func: &str) -> DResult<DataFrame> {
    match &arg.value {
        Value::DataFrame(d) => Ok(d.clone()),
        Value::GroupBy(g) => Err(needs_agg(g.range)),
        other => Err(Diag::arg(
            arg.range,
            format!("{func}() needs a DataFrame, got {}", other.type_name()),
        )),
    }
}

fn merge(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let params = &["right", "how", "left_on", "right_on", "suffixes"];
    let mut b = args.bind("merge", params, &["right", "left_on", "right_on"])?;
    let right = other_frame(&b.req("right")?, "merge")?;
    let how = match b.take("how") {
        Some(a) => {
            let s = a.str("merge", "how")?;
            join::How::parse(&s).ok_or_else(|| {
                Diag::arg(
                    a.range,
                    format!("merge() how must be 'inner', 'left', 'right' or 'outer', got '{s}'"),
                )
            })?
        }
        None => join::How::Inner,
    };
    let left_on = b.req("left_on")?.names("merge", "left_on")?;
    let right_on = b.req("right_on")?.names("merge", "right_on")?;
    let suffixes = match b.take("suffixes") {
        Some(a) => match a.names("merge", "suffixes")?.as_slice() {
            [(l, _), (r, _)] => (l.clone(), r.clone()),
            _ => return Err(Diag::arg(a.range, "merge() suffixes must be two strings")),
        },
        None => ("_x".to_string(), "_y".to_string()),
    };
    let keys = (left_on.as_slice(), right_on.as_slice());
    let merged = join::merge(df(&recv)?, &right, how, keys, (&suffixes.0, &suffixes.1), range)?;
    Ok(Value::DataFrame(merged))
}

fn append(_: &mut Interp, recv: Value, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind("append", &["other"], &["other"])?;
    let other = other_frame(&b.req("other")?, "append")?;
    Ok(Value::DataFrame(join::append(df(&recv)?, &other, range)?))
}
