//! `df.merge(right, how, left_on, right_on, suffixes)` (an equijoin) and `df.append(other)` (a union).

use std::collections::HashSet;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Column, JoinType};
use datafusion::functions::core::expr_fn::coalesce;
use datafusion::logical_expr::{Expr, cast};
use ruff_text_size::TextRange;

use super::{DataFrame, Name};
use crate::error::{DResult, Diag, ErrorKind};
use crate::types::{PxType, type_name};

const LEFT: &str = "__seer_left";
const RIGHT: &str = "__seer_right";

/// How rows without a partner are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    Inner,
    Left,
    Right,
    Outer,
}

impl How {
    /// Parses Pixie's `how=` values.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "inner" => Self::Inner,
            "left" => Self::Left,
            "right" => Self::Right,
            "outer" => Self::Outer,
            _ => return None,
        })
    }

    fn join_type(self) -> JoinType {
        match self {
            Self::Inner => JoinType::Inner,
            Self::Left => JoinType::Left,
            Self::Right => JoinType::Right,
            Self::Outer => JoinType::Full,
        }
    }
}

fn col(alias: &str, name: &str) -> Expr {
    Expr::Column(Column::new(Some(alias), name))
}

/// Join key expressions, cast to a common type when the sides differ (e.g. dictionary and plain strings).
fn key_pair(l: &DataType, r: &DataType, ln: &str, rn: &str, at: TextRange) -> DResult<(Expr, Expr)> {
    let (lt, rt) = (PxType::of(l), PxType::of(r));
    if lt != rt {
        let msg = format!("cannot join {ln} ({}) with {rn} ({})", type_name(l), type_name(r));
        return Err(Diag::ty(at, msg));
    }
    if l == r {
        return Ok((col(LEFT, ln), col(RIGHT, rn)));
    }
    let common = if lt == PxType::String {
        DataType::Utf8
    } else {
        DataType::Int64
    };
    Ok((cast(col(LEFT, ln), common.clone()), cast(col(RIGHT, rn), common)))
}

/// The merge of `left` and `right` on `left_on[i] == right_on[i]`.
pub(crate) fn merge(
    left: &DataFrame,
    right: &DataFrame,
    how: How,
    keys: (&[Name], &[Name]),
    suffixes: (&str, &str),
    range: TextRange,
) -> DResult<DataFrame> {
    let (left_on, right_on) = keys;
    if left_on.len() != right_on.len() || left_on.is_empty() {
        let msg = format!(
            "merge() needs as many left_on as right_on columns (at least one), got {} and {}",
            left_on.len(),
            right_on.len()
        );
        return Err(Diag::arg(range, msg));
    }
    let (mut lkeys, mut rkeys) = (Vec::new(), Vec::new());
    for ((ln, lat), (rn, rat)) in left_on.iter().zip(right_on) {
        let l = left.column(ln, *lat)?;
        let r = right.column(rn, *rat)?;
        let (le, re) = key_pair(&l.dt, &r.dt, ln, rn, *rat)?;
        lkeys.push(le);
        rkeys.push(re);
    }
    let lb = left.builder().alias(LEFT);
    let rb = right.builder().alias(RIGHT).and_then(|b| b.build());
    let joined = lb.and_then(|l| rb.and_then(|r| l.join_with_expr_keys(r, how.join_type(), (lkeys, rkeys), None)));
    let joined = DataFrame::build(joined, range)?;
    let exprs = output_columns(left, right, how, (left_on, right_on), suffixes, range)?;
    DataFrame::build(joined.builder().project(exprs), range)
}

/// Left keys, other left columns, other right columns; shared names get the suffixes.
fn output_columns(
    left: &DataFrame,
    right: &DataFrame,
    how: How,
    keys: (&[Name], &[Name]),
    suffixes: (&str, &str),
    range: TextRange,
) -> DResult<Vec<Expr>> {
    let (left_on, right_on) = keys;
    let lnames: Vec<String> = left.schema().fields().iter().map(|f| f.name().clone()).collect();
    let rnames: Vec<String> = right.schema().fields().iter().map(|f| f.name().clone()).collect();
    // Right keys named like their left key are merged into it.
    let same: Vec<(&str, &str)> = left_on
        .iter()
        .zip(right_on)
        .filter(|((l, _), (r, _))| l == r)
        .map(|((l, _), (r, _))| (l.as_str(), r.as_str()))
        .collect();
    let merged_right: HashSet<&str> = same.iter().map(|(_, r)| *r).collect();
    let rest_right: Vec<&String> = rnames.iter().filter(|n| !merged_right.contains(n.as_str())).collect();
    let mut order: Vec<&String> = left_on.iter().map(|(k, _)| k).collect();
    order.dedup();
    order.extend(lnames.iter().filter(|n| !left_on.iter().any(|(k, _)| k == *n)));
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for name in order {
        let clash = rest_right.contains(&name);
        let out_name = if clash {
            format!("{name}{}", suffixes.0)
        } else {
            name.clone()
        };
        let expr = match same.iter().find(|(l, _)| *l == name) {
            Some((l, r)) if matches!(how, How::Right | How::Outer) => coalesce(vec![col(LEFT, l), col(RIGHT, r)]),
            _ => col(LEFT, name),
        };
        if seen.insert(out_name.clone()) {
            out.push(expr.alias(out_name));
        }
    }
    for name in rest_right {
        let clash = lnames.contains(name);
        let out_name = if clash {
            format!("{name}{}", suffixes.1)
        } else {
            name.clone()
        };
        if !seen.insert(out_name.clone()) {
            let msg = format!("merge() produces column '{out_name}' twice: pick other suffixes");
            return Err(Diag::new(ErrorKind::Column, range, msg));
        }
        out.push(col(RIGHT, name).alias(out_name));
    }
    Ok(out)
}

/// `df.append(other)`: the rows of both; `other` must have the same column names and types.
pub(crate) fn append(top: &DataFrame, other: &DataFrame, range: TextRange) -> DResult<DataFrame> {
    let names: Vec<&String> = top.schema().fields().iter().map(|f| f.name()).collect();
    let others: Vec<&String> = other.schema().fields().iter().map(|f| f.name()).collect();
    let mut sorted = (names.clone(), others.clone());
    sorted.0.sort();
    sorted.1.sort();
    if sorted.0 != sorted.1 {
        let list = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        let msg = format!(
            "append() needs DataFrames with the same columns: [{}] vs [{}]",
            list(&names),
            list(&others)
        );
        return Err(Diag::new(ErrorKind::Column, range, msg));
    }
    let mut top_exprs = Vec::new();
    let mut other_exprs = Vec::new();
    for f in top.schema().fields() {
        let name = f.name();
        let o = other.column(name, range)?;
        let t = top.column(name, range)?;
        if PxType::of(f.data_type()) != o.ty() {
            let msg = format!(
                "append(): column '{name}' is {} on one side and {} on the other",
                type_name(f.data_type()),
                type_name(&o.dt)
            );
            return Err(Diag::ty(range, msg));
        }
        if f.data_type() == &o.dt {
            top_exprs.push(t.expr.alias(name));
            other_exprs.push(o.expr.alias(name));
        } else {
            let common = if o.ty() == PxType::String {
                DataType::Utf8
            } else {
                f.data_type().clone()
            };
            top_exprs.push(cast(t.expr, common.clone()).alias(name));
            other_exprs.push(cast(o.expr, common).alias(name));
        }
    }
    let top = DataFrame::build(top.builder().project(top_exprs), range)?;
    let other = DataFrame::build(other.builder().project(other_exprs), range)?;
    DataFrame::build(top.builder().union(other.plan.as_ref().clone()), range)
}
