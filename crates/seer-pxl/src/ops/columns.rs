//! Operators on column expressions, typed by Pixie's rules and lowered to DataFusion expressions.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::logical_expr::{Expr, Operator, binary_expr, cast};
use ruff_text_size::TextRange;

use super::{Arith, Cmp, Unary, unary_symbol};
use crate::column::{ColumnExpr, Operand};
use crate::error::{DResult, Diag};
use crate::types::{PxType, type_name};
use crate::value::Value;

fn finish(expr: Expr, l: &Operand, r: &Operand, range: TextRange) -> DResult<ColumnExpr> {
    ColumnExpr::from_operands(expr, &[l, r], range)
}

fn int(e: Expr) -> Expr {
    cast(e, DataType::Int64)
}

fn time(e: Expr) -> Expr {
    cast(e, DataType::Timestamp(TimeUnit::Nanosecond, None))
}

pub(super) fn arith(op: Arith, l: &Value, r: &Value, range: TextRange) -> DResult<ColumnExpr> {
    use PxType::{Int64 as I, String as S, Time as T};
    let (l, r) = (Operand::of(l, range)?, Operand::of(r, range)?);
    let (lt, rt) = (l.ty(), r.ty());
    let expr = match (op, lt, rt) {
        (Arith::Div, a, b) if a.is_numeric() && b.is_numeric() => binary_expr(
            cast(l.expr.clone(), DataType::Float64),
            Operator::Divide,
            cast(r.expr.clone(), DataType::Float64),
        ),
        (Arith::Add | Arith::Sub | Arith::Mul | Arith::Mod, a, b) if a.is_numeric() && b.is_numeric() => {
            let df_op = match op {
                Arith::Add => Operator::Plus,
                Arith::Sub => Operator::Minus,
                Arith::Mul => Operator::Multiply,
                _ => Operator::Modulo,
            };
            binary_expr(l.expr.clone(), df_op, r.expr.clone())
        }
        (Arith::Add, S, S) => binary_expr(l.utf8(), Operator::StringConcat, r.utf8()),
        (Arith::Add, T, I) => time(int(l.expr.clone()) + r.expr.clone()),
        (Arith::Add, I, T) => time(l.expr.clone() + int(r.expr.clone())),
        (Arith::Sub, T, I) => time(int(l.expr.clone()) - r.expr.clone()),
        (Arith::Sub, T, T) => int(l.expr.clone()) - int(r.expr.clone()),
        (Arith::FloorDiv | Arith::Pow, _, _) => {
            return Err(Diag::unsupported(
                range,
                format!("operator '{}' is not supported on columns", op.symbol()),
            ));
        }
        _ => {
            let msg = format!(
                "cannot apply '{}' to {} and {}",
                op.symbol(),
                type_name(&l.dt),
                type_name(&r.dt)
            );
            return Err(Diag::ty(range, msg));
        }
    };
    finish(expr, &l, &r, range)
}

pub(super) fn compare(op: Cmp, l: &Value, r: &Value, range: TextRange) -> DResult<ColumnExpr> {
    use PxType::{Boolean as B, Int64 as I, String as S, Time as T, UInt128 as U};
    let (l, r) = (Operand::of(l, range)?, Operand::of(r, range)?);
    let (mut le, mut re) = (l.expr.clone(), r.expr.clone());
    match (l.ty(), r.ty()) {
        (a, b) if a.is_numeric() && b.is_numeric() => {}
        (S, S) | (B, B) | (T, T) => {}
        (U, U) if matches!(op, Cmp::Eq | Cmp::NotEq) => {}
        (T, I) => re = time(re),
        (I, T) => le = time(le),
        _ => {
            let msg = format!(
                "cannot compare {} with {} using '{}'",
                type_name(&l.dt),
                type_name(&r.dt),
                op.symbol()
            );
            return Err(Diag::ty(range, msg));
        }
    }
    let df_op = match op {
        Cmp::Eq => Operator::Eq,
        Cmp::NotEq => Operator::NotEq,
        Cmp::Lt => Operator::Lt,
        Cmp::LtE => Operator::LtEq,
        Cmp::Gt => Operator::Gt,
        Cmp::GtE => Operator::GtEq,
    };
    finish(binary_expr(le, df_op, re), &l, &r, range)
}

pub(super) fn logical(and: bool, l: &Value, r: &Value, range: TextRange) -> DResult<ColumnExpr> {
    let (l, r) = (Operand::of(l, range)?, Operand::of(r, range)?);
    let word = if and { "and" } else { "or" };
    for side in [&l, &r] {
        if side.ty() != PxType::Boolean {
            return Err(Diag::ty(
                range,
                format!("'{word}' needs BOOLEAN operands, got {}", type_name(&side.dt)),
            ));
        }
    }
    let expr = if and {
        l.expr.clone().and(r.expr.clone())
    } else {
        l.expr.clone().or(r.expr.clone())
    };
    finish(expr, &l, &r, range)
}

pub(super) fn unary(op: Unary, c: &ColumnExpr, range: TextRange) -> DResult<ColumnExpr> {
    let expr = match (op, c.ty()) {
        (Unary::Not, PxType::Boolean) => Expr::Not(Box::new(c.expr.clone())),
        (Unary::Neg, t) if t.is_numeric() => Expr::Negative(Box::new(c.expr.clone())),
        (Unary::Pos, t) if t.is_numeric() => c.expr.clone(),
        _ => {
            return Err(Diag::ty(
                range,
                format!("cannot apply unary '{}' to {}", unary_symbol(op), type_name(&c.dt)),
            ));
        }
    };
    ColumnExpr::new(expr, c.schema.clone(), range)
}
